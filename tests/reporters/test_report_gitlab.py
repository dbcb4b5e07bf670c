"""The GitLab Code Quality format, checked against the fields GitLab documents as required.

``SCHEMA`` is written from GitLab's "Code Quality report format" (a JSON array; each issue has
``description``, ``check_name``, ``fingerprint``, ``severity`` one of info/minor/major/critical/
blocker, ``location.path`` and ``location.lines.begin`` or ``location.positions.begin.line``)
and from the Code Climate specification it is a subset of (``type`` "issue", at least one of the
listed ``categories``, a description on one line, ``content.body`` Markdown, lines from 1).
"""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest

from rolelint.findings import InputError, Report, Severity
from rolelint.reporters import RenderOptions, render
from rolelint.source import Span
from tests.reporters.samples import ci_sample_report, finding, sample_report, sample_rules

OPTIONS = RenderOptions(version="9.9.9")
LINE = {"type": "integer", "minimum": 1}
SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "array",
    "items": {
        "type": "object",
        "required": [
            "type",
            "description",
            "check_name",
            "fingerprint",
            "severity",
            "categories",
            "location",
        ],
        "properties": {
            "type": {"const": "issue"},
            "description": {"type": "string", "minLength": 1, "pattern": "^[^\\r\\n]*$"},
            "check_name": {"type": "string", "minLength": 1},
            "fingerprint": {"type": "string", "minLength": 1},
            "severity": {"enum": ["info", "minor", "major", "critical", "blocker"]},
            "engine_name": {"type": "string"},
            "categories": {
                "type": "array",
                "minItems": 1,
                "items": {
                    "enum": [
                        "Bug Risk",
                        "Clarity",
                        "Compatibility",
                        "Complexity",
                        "Duplication",
                        "Performance",
                        "Security",
                        "Style",
                    ]
                },
            },
            "content": {
                "type": "object",
                "required": ["body"],
                "properties": {"body": {"type": "string"}},
            },
            "location": {
                "type": "object",
                "required": ["path"],
                "properties": {
                    "path": {"type": "string", "minLength": 1, "not": {"pattern": "^(\\./|/)"}},
                    "lines": {
                        "type": "object",
                        "required": ["begin"],
                        "properties": {"begin": LINE, "end": LINE},
                    },
                    "positions": {
                        "type": "object",
                        "required": ["begin"],
                        "properties": {
                            "begin": {
                                "type": "object",
                                "required": ["line"],
                                "properties": {"line": LINE},
                            }
                        },
                    },
                },
                "oneOf": [{"required": ["lines"]}, {"required": ["positions"]}],
            },
        },
    },
}


@pytest.fixture(scope="module")
def validator() -> Any:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    return jsonschema.Draft202012Validator(SCHEMA)


def _text(report: Report) -> str:
    return render("gitlab", report, sample_rules(), OPTIONS)


def _issues(report: Report) -> list[dict[str, Any]]:
    issues: list[dict[str, Any]] = json.loads(_text(report))
    return issues


def test_sample_validates(validator: Any) -> None:
    validator.validate(_issues(ci_sample_report()))
    validator.validate(_issues(sample_report()))
    validator.validate(_issues(Report()))


def test_the_schema_rejects_what_gitlab_would(validator: Any) -> None:
    issues = _issues(ci_sample_report())
    for broken in (
        {"fingerprint": None},
        {"severity": "high"},
        {"location": {"path": "a.yaml"}},
        {"description": "two\nlines"},
        {"location": {"path": "./a.yaml", "lines": {"begin": 1}}},
    ):
        issue = {**issues[0], **broken}
        issue = {key: value for key, value in issue.items() if value is not None}
        with pytest.raises(jsonschema.ValidationError):
            validator.validate([issue])


def test_no_byte_order_mark_and_a_plain_array() -> None:
    text = _text(ci_sample_report())
    assert text.startswith("[\n")
    assert text.endswith("]\n")
    assert _text(Report()) == "[]\n"


def test_active_findings_then_errors_suppressed_left_out() -> None:
    report = ci_sample_report()
    issues = _issues(report)
    assert len(issues) == len(report.active_findings) + len(report.errors) == 6
    assert [issue["check_name"] for issue in issues] == [
        "RL202 service-wide-wildcard-action",
        "RL101 trust-policy-allows-anyone",
        "RL401 role-chain-to-more-privileged-role",
        "RL101 trust-policy-allows-anyone",
        "rolelint/input-error",
        "rolelint/input-error",
    ]
    fingerprints = [issue["fingerprint"] for issue in issues]
    assert "fp-0005" not in fingerprints and "fp-0006" not in fingerprints
    # The notice is no issue: every entry counts as one in the merge-request widget.
    assert report.notices and "main.tf" not in {issue["location"]["path"] for issue in issues}


def test_finding_issue() -> None:
    trust = _issues(ci_sample_report())[1]
    assert trust == {
        "type": "issue",
        "engine_name": "rolelint",
        "check_name": "RL101 trust-policy-allows-anyone",
        "description": "The trust policy allows any AWS principal ('*') to assume the role",
        "categories": ["Security"],
        "severity": "blocker",
        "fingerprint": "fp-0001",
        "location": {"path": "templates/app.yaml", "lines": {"begin": 12, "end": 12}},
        "content": {"body": "Summary of trust-policy-allows-anyone."},
    }


def test_content_only_for_rules_in_the_catalog() -> None:
    (issue,) = _issues(Report(findings=[finding("RL999", rule="unknown-rule")]))
    assert "content" not in issue


def test_input_error_issue(validator: Any) -> None:
    issues = _issues(Report(errors=[InputError("broken.yaml", "bad indentation", 3, 7)]))
    validator.validate(issues)
    (issue,) = issues
    assert {key: issue[key] for key in ("check_name", "severity", "categories", "location")} == {
        "check_name": "rolelint/input-error",
        "severity": "blocker",
        "categories": ["Bug Risk"],
        "location": {"path": "broken.yaml", "lines": {"begin": 3, "end": 3}},
    }


@pytest.mark.parametrize(
    ("severity", "expected"),
    [
        (Severity.CRITICAL, "blocker"),
        (Severity.HIGH, "critical"),
        (Severity.MEDIUM, "major"),
        (Severity.LOW, "minor"),
        (Severity.INFO, "info"),
    ],
)
def test_severity_map(severity: Severity, expected: str) -> None:
    (issue,) = _issues(Report(findings=[finding(severity=severity)]))
    assert issue["severity"] == expected


def test_fingerprints_are_unique_and_keep_the_first_as_it_is(validator: Any) -> None:
    same = [
        finding(span=Span(line, 18, line, 21), fingerprint="shared", message=f"m{line}")
        for line in (40, 12, 30)
    ]
    report = Report(findings=[*same, finding(fingerprint="other")])
    issues = _issues(report)
    validator.validate(issues)
    fingerprints = [issue["fingerprint"] for issue in issues]
    assert len(set(fingerprints)) == 4
    # In report order: the one on line 1 (fingerprint "other"), then lines 12, 30, 40.
    assert fingerprints[0] == "other"
    assert fingerprints[1] == "shared"
    assert all(len(fp) == 32 and fp != "shared" for fp in fingerprints[2:])
    # The same report gives the same fingerprints: GitLab compares them between pipelines.
    assert [issue["fingerprint"] for issue in _issues(report)] == fingerprints


@pytest.mark.usefixtures("windows_paths")
def test_path_relative_and_lines_of_a_region() -> None:
    (issue,) = _issues(Report(findings=[finding(file=".\\infra\\a.yaml", span=Span(5, 3, 9, 4))]))
    assert issue["location"] == {"path": "infra/a.yaml", "lines": {"begin": 5, "end": 9}}


def test_a_region_ending_at_column_1_ends_on_the_line_before() -> None:
    """A YAML block ends at column 1 of the line after it (exclusive), past the end of a file
    it ends; ``lines.end`` is the last line of the issue."""
    (issue,) = _issues(Report(findings=[finding(span=Span(3, 5, 6, 1))]))
    assert issue["check_name"].startswith("RL101 ")
    assert issue["location"]["lines"] == {"begin": 3, "end": 5}


@pytest.mark.usefixtures("posix_paths")
def test_a_backslash_in_a_file_name_stays_where_it_separates_nothing() -> None:
    """On Linux ``a\\b.yaml`` is one file: ``a/b.yaml`` would name a file that is not there."""
    (issue,) = _issues(Report(findings=[finding(file="r_bs/a\\b.yaml", span=Span(11, 20, 11, 23))]))
    assert (issue["check_name"], issue["location"]) == (
        "RL101 trust-policy-allows-anyone",
        {"path": "r_bs/a\\b.yaml", "lines": {"begin": 11, "end": 11}},
    )


def test_description_is_one_line() -> None:
    (issue,) = _issues(Report(findings=[finding(message="first\r\nsecond\nthird")]))
    assert issue["description"] == "first second third"


def test_deterministic() -> None:
    first = _text(ci_sample_report())
    shuffled = ci_sample_report()
    shuffled.findings.reverse()
    shuffled.errors.reverse()
    assert _text(shuffled) == first
