"""RL301 MaxSessionDuration bounds: the edges of the range, non-integers, unresolved values."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rolelint.api import lint_paths
from rolelint.engine import Selection, run_checks
from rolelint.findings import Finding, Severity
from rolelint.model import Inventory, Role, ScanSettings, Value
from rolelint.source import SourceRef, Span
from tests.rules.harness import findings_of, line_of

FILE = "template.yaml"


def duration(text: str | None, line: int) -> Value:
    return Value(text, SourceRef(FILE, Span(line, 27, line, 32)), None if text else "a parameter")


def role(*values: Value) -> Role:
    return Role(
        id="ReportsRole",
        ref=SourceRef(FILE, Span(2, 3, 2, 14)),
        arn=Value(None, SourceRef(FILE), "no RoleName"),
        max_session_duration=values,
    )


def session_findings(*values: Value) -> list[Finding]:
    return run_checks(Inventory(roles=[role(*values)]), Selection(select=["RL301"]))


@pytest.mark.parametrize("text", ["3600", "43200", "7200", "+3600"])
def test_values_in_range_are_fine(text: str) -> None:
    assert session_findings(duration(text, 5)) == []


@pytest.mark.parametrize("text", ["3599", "43201", "86400", "0", "-3600", "3600.5", "12h", "true"])
def test_values_out_of_range_or_not_integers_fire_at_the_value(text: str) -> None:
    [finding] = session_findings(duration(text, 5))
    assert (finding.rule_id, finding.location.line, finding.location.column) == ("RL301", 5, 27)
    assert finding.severity is Severity.HIGH
    assert finding.role == "ReportsRole"
    assert f"'{text}'" in finding.message
    assert "3600" in finding.message and "43200" in finding.message


def test_unresolved_duration_is_silent() -> None:
    assert session_findings(duration(None, 5)) == []


def test_every_branch_of_a_condition_is_checked() -> None:
    findings = session_findings(duration("3600", 5), duration("86400", 6), duration(None, 7))
    assert [(f.rule_id, f.location.line) for f in findings] == [("RL301", 6)]


def test_fingerprint_follows_the_value_not_the_line() -> None:
    [first] = session_findings(duration("86400", 5))
    [moved] = session_findings(duration("86400", 9))
    [other] = session_findings(duration("90000", 5))
    assert first.fingerprint == moved.fingerprint != other.fingerprint


def test_exported_role_from_get_role(tmp_path: Path) -> None:
    code = json.dumps(
        {
            "Role": {
                "RoleName": "reports",
                "Arn": "arn:aws:iam::111122223333:role/reports",
                "MaxSessionDuration": 50000,
                "AssumeRolePolicyDocument": {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Principal": {"Service": "ec2.amazonaws.com"},
                            "Action": "sts:AssumeRole",
                        }
                    ],
                },
            }
        },
        indent=2,
    )
    findings = findings_of(code, "json", tmp_path)
    assert [(f.rule_id, f.location.line) for f in findings] == [
        ("RL301", line_of(code, "MaxSessionDuration"))
    ]


@pytest.mark.parametrize("written", ["4.32e4", "1e400", "3600.50"])
@pytest.mark.parametrize("layout", ["get-role", "cloudformation"])
def test_a_json_number_is_quoted_as_the_file_writes_it(
    tmp_path: Path, written: str, layout: str
) -> None:
    """The message quoted Python's reading of the number: '43200.0' for 4.32e4, 'inf' for 1e400,
    '3600.5' for 3600.50, none of them in the file the reader searches."""
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "ec2.amazonaws.com"},
                "Action": "sts:AssumeRole",
            }
        ],
    }
    if layout == "get-role":
        role = {"RoleName": "reports", "Arn": "arn:aws:iam::111122223333:role/reports"}
        document: dict[str, object] = {
            "Role": {**role, "MaxSessionDuration": 0, "AssumeRolePolicyDocument": trust}
        }
    else:
        properties = {"MaxSessionDuration": 0, "AssumeRolePolicyDocument": trust}
        document = {"Resources": {"R": {"Type": "AWS::IAM::Role", "Properties": properties}}}
    code = json.dumps(document, indent=2).replace(
        '"MaxSessionDuration": 0', f'"MaxSessionDuration": {written}'
    )
    [finding] = findings_of(code, "json", tmp_path)
    assert (finding.rule_id, finding.location.line) == (
        "RL301",
        line_of(code, "MaxSessionDuration"),
    )
    assert f"is '{written}';" in finding.message


def test_a_default_whoever_deploys_may_override_is_named(tmp_path: Path) -> None:
    """A MaxSessionDuration from a variable's default was stated as if written at
    ``var.session``, with the certain verdict "the deployment fails": a -var or tfvars value
    changes that.  RL303 already names such an origin; RL301 and RL305 now do too."""
    code = (
        'variable "session" {\n  type    = number\n  default = 86400\n}\n'
        'resource "aws_iam_role" "b" {\n  name                 = "b"\n'
        "  max_session_duration = var.session\n"
        '  assume_role_policy   = jsonencode({Version = "2012-10-17", Statement = [{'
        'Effect = "Allow", Principal = {Service = "ec2.amazonaws.com"}, '
        'Action = "sts:AssumeRole"}]})\n}\n'
    )
    [finding] = findings_of(code, "tf", tmp_path)
    assert (finding.rule_id, finding.location.line) == ("RL301", 7)
    assert "is '86400' (the default of variable session);" in finding.message


def test_rl305_names_a_default_too() -> None:
    value = Value(
        "43200", SourceRef(FILE, Span(5, 27, 5, 32)), origin="the default of parameter Session"
    )
    inventory = Inventory(roles=[role(value)], settings=ScanSettings(max_session_duration=3600))
    [finding] = run_checks(inventory, Selection(select=["RL305"]))
    assert finding.rule_id == "RL305"
    assert "is 43200 seconds (the default of parameter Session);" in finding.message


@pytest.mark.parametrize("through_a_local", [False, True])
def test_a_branch_a_variable_default_picks_is_named(tmp_path: Path, through_a_local: bool) -> None:
    """``var.env == "prod" ? 50000 : 7200`` with env defaulting to "dev": whoever deploys
    without passing env gets 7200, whoever passes "prod" a role AWS rejects.  RL305 stated the
    value as a fact of the code; it now names the default that picks it, at the same place as
    before, whether the conditional is the attribute or a local it reads."""
    picked = 'var.env == "prod" ? 50000 : 7200'
    setting = "local.duration" if through_a_local else picked
    code = (
        'variable "env" {\n  default = "dev"\n}\n'
        f"locals {{\n  duration = {picked}\n}}\n"
        'resource "aws_iam_role" "a" {\n  name                 = "a"\n'
        f"  max_session_duration = {setting}\n"
        '  assume_role_policy   = jsonencode({Version = "2012-10-17", Statement = [{'
        'Effect = "Allow", Principal = {Service = "ec2.amazonaws.com"}, '
        'Action = "sts:AssumeRole"}]})\n}\n'
    )
    (tmp_path / "main.tf").write_text(code)
    report = lint_paths([str(tmp_path)], settings=ScanSettings(max_session_duration=3600))
    assert report.errors == []
    [finding] = report.findings
    line = line_of(code, "max_session_duration")
    written = code.splitlines()[line - 1]
    column = written.index(setting if through_a_local else "7200") + 1
    assert (finding.rule_id, finding.location.line, finding.location.column) == (
        "RL305",
        line,
        column,
    )
    assert (
        "is 7200 seconds (the branch picked by the default of variable env); your configuration"
        in finding.message
    ), finding.message
