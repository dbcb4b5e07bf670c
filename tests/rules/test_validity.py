"""Invalid-policy rules RL601-RL604 through the real pipeline on raw policy files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from rolelint.findings import Finding, Severity
from tests.rules.harness import findings_of, line_of, policy

READ = {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*"}


def pairs(findings: list[Finding]) -> set[tuple[str, int]]:
    return {(f.rule_id, f.location.line) for f in findings}


def document(version: Any = "2012-10-17", *statements: Any) -> str:
    body: dict[str, Any] = {} if version is None else {"Version": version}
    body["Statement"] = list(statements) or [READ]
    return json.dumps(body, indent=2)


# --- RL601 ----------------------------------------------------------------------------------------


def test_rl601_duplicate_key_points_at_the_second_occurrence(tmp_path: Path) -> None:
    code = (
        '{\n  "Version": "2012-10-17",\n  "Statement": [{\n    "Effect": "Deny",\n'
        '    "Action": "s3:DeleteObject",\n    "Resource": "arn:aws:s3:::reports/*",\n'
        '    "Effect": "Allow"\n  }]\n}\n'
    )
    findings = findings_of(code, "json", tmp_path)
    assert pairs(findings) == {("RL601", 7)}
    assert "'Effect'" in findings[0].message
    assert findings[0].severity is Severity.MEDIUM


def test_rl601_duplicate_keys_in_yaml(tmp_path: Path) -> None:
    code = (
        'Version: "2012-10-17"\nStatement:\n  - Effect: Allow\n    Action: s3:GetObject\n'
        "    Resource: arn:aws:s3:::reports/*\n    Action: s3:PutObject\n"
    )
    assert pairs(findings_of(code, "yaml", tmp_path)) == {("RL601", 6)}


# --- RL602 ----------------------------------------------------------------------------------------


def test_rl602_current_version_is_fine(tmp_path: Path) -> None:
    assert findings_of(document(), "json", tmp_path) == []


def test_rl602_missing_version_points_at_the_document(tmp_path: Path) -> None:
    code = document(None)
    findings = findings_of(code, "json", tmp_path)
    assert pairs(findings) == {("RL602", 1)}
    assert findings[0].severity is Severity.LOW
    assert "no Version" in findings[0].message


def test_rl602_legacy_version_says_why(tmp_path: Path) -> None:
    code = document("2008-10-17")
    findings = findings_of(code, "json", tmp_path)
    assert pairs(findings) == {("RL602", line_of(code, '"Version"'))}
    assert "policy variables" in findings[0].message


@pytest.mark.parametrize("version", ["2010-09-09", "2012-10-18", "2012-10-17 "])
def test_rl602_other_versions_fire_at_the_value(tmp_path: Path, version: str) -> None:
    code = document(version)
    findings = findings_of(code, "json", tmp_path)
    assert pairs(findings) == {("RL602", line_of(code, '"Version"'))}
    assert "rejects" in findings[0].message


def test_rl602_trust_policies_count_too(tmp_path: Path) -> None:
    trust = {
        "Effect": "Allow",
        "Principal": {"Service": "ec2.amazonaws.com"},
        "Action": "sts:AssumeRole",
    }
    code = document("2008-10-17", trust)
    assert pairs(findings_of(code, "json", tmp_path)) == {("RL602", 2)}


# --- RL603 ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("effect", ["allow", "ALLOW", "deny", "Denied", "Allow ", ""])
def test_rl603_effect_is_case_sensitive(tmp_path: Path, effect: str) -> None:
    code = policy({**READ, "Effect": effect})
    findings = findings_of(code, "json", tmp_path)
    assert pairs(findings) == {("RL603", line_of(code, '"Effect"'))}
    assert findings[0].severity is Severity.HIGH


def test_rl603_missing_effect_points_at_the_statement(tmp_path: Path) -> None:
    statement = {key: value for key, value in READ.items() if key != "Effect"}
    code = policy(READ, statement)
    findings = findings_of(code, "json", tmp_path)
    # The second statement opens on the line after the first one closes.
    assert pairs(findings) == {("RL603", line_of(code, "},") + 1)}
    assert "without Effect" in findings[0].message


def test_rl603_allow_and_deny_are_fine(tmp_path: Path) -> None:
    code = policy(READ, {**READ, "Effect": "Deny", "Resource": "arn:aws:s3:::reports/secret/*"})
    assert findings_of(code, "json", tmp_path) == []


# --- RL604 ----------------------------------------------------------------------------------------


def test_rl604_statement_without_action(tmp_path: Path) -> None:
    statement = {"Effect": "Allow", "Actions": ["s3:GetObject"], "Resource": "arn:aws:s3:::r/*"}
    code = policy(statement)
    findings = findings_of(code, "json", tmp_path)
    assert pairs(findings) == {("RL604", line_of(code, "{", 2))}
    assert findings[0].severity is Severity.MEDIUM


def test_rl604_not_action_counts_as_an_action(tmp_path: Path) -> None:
    code = policy({"Effect": "Deny", "NotAction": "s3:GetObject", "Resource": "arn:aws:s3:::r/*"})
    assert findings_of(code, "json", tmp_path) == []


def test_rl604_statement_that_is_not_an_object(tmp_path: Path) -> None:
    code = document("2012-10-17", READ, ["s3:GetObject"], 42)
    findings = findings_of(code, "json", tmp_path)
    lines = {line for rule, line in pairs(findings) if rule == "RL604"}
    assert pairs(findings) == {("RL604", line) for line in lines}
    assert lines == {line_of(code, "    ["), line_of(code, "    42")}


def test_rl604_several_statements_without_action_are_told_apart(tmp_path: Path) -> None:
    first = {"Sid": "Reports", "Effect": "Allow", "Resource": "arn:aws:s3:::r/*"}
    second = {"Sid": "Archive", "Effect": "Allow", "Resource": "arn:aws:s3:::a/*"}
    findings = findings_of(policy(first, second), "json", tmp_path)
    assert [f.rule_id for f in findings] == ["RL604", "RL604"]
    assert len({f.fingerprint for f in findings}) == 2
    assert "'Reports'" in findings[0].message
