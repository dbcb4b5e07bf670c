"""Cross-account trust and its ExternalId (RL102)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from rolelint.findings import Finding
from tests.rules.harness import findings_of, line_of, policy

ASSUME = "sts:AssumeRole"
GITHUB = "token.actions.githubusercontent.com"
GITHUB_ARN = f"arn:aws:iam::111122223333:oidc-provider/{GITHUB}"
SAML_ARN = "arn:aws:iam::111122223333:saml-provider/CorpIdP"


def allow(principal: Any, action: Any = ASSUME, **extra: Any) -> dict[str, Any]:
    return {"Effect": "Allow", "Principal": principal, "Action": action, **extra}


def lint(tmp_path: Path, *statements: dict[str, Any]) -> tuple[str, list[Finding]]:
    code = policy(*statements)
    return code, findings_of(code, "json", tmp_path)


def pairs(findings: list[Finding]) -> set[tuple[str, int]]:
    return {(f.rule_id, f.location.line) for f in findings}


# --- RL102 ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "condition",
    [
        None,
        {"StringLike": {"sts:ExternalId": "*"}},
        {"StringEquals": {"sts:ExternalId": ""}},
        {"StringEquals": {"sts:ExternalId": "partner-*"}},
        {"StringEqualsIfExists": {"sts:ExternalId": "8d2c6a1e"}},
        {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}},
    ],
    ids=["none", "like-star", "empty", "wildcard", "if-exists", "org-id-instead"],
)
def test_rl102_missing_or_weak_external_id(tmp_path: Path, condition: Any) -> None:
    extra = {"Condition": condition} if condition else {}
    code, findings = lint(tmp_path, allow({"AWS": "arn:aws:iam::444455556666:root"}, **extra))
    assert pairs(findings) == {("RL102", line_of(code, "444455556666"))}
    assert "444455556666" in findings[0].message


def test_rl102_bare_account_id(tmp_path: Path) -> None:
    code, findings = lint(tmp_path, allow({"AWS": "444455556666"}))
    assert pairs(findings) == {("RL102", line_of(code, "444455556666"))}


def test_rl102_concrete_external_id(tmp_path: Path) -> None:
    condition = {"StringEquals": {"sts:externalid": "8d2c6a1e-acme"}}
    _, findings = lint(
        tmp_path, allow({"AWS": "arn:aws:iam::444455556666:root"}, Condition=condition)
    )
    assert findings == []


@pytest.mark.parametrize(
    "principal",
    [
        {"AWS": "arn:aws:iam::${AWS::AccountId}:root"},
        {"Service": "ec2.amazonaws.com"},
        {"AWS": "arn:aws:iam::44445555666:root"},  # not twelve digits
    ],
)
def test_rl102_own_or_non_account_principals(tmp_path: Path, principal: Any) -> None:
    _, findings = lint(tmp_path, allow(principal))
    assert findings == []


def test_rl102_ignores_web_identity_only_statements(tmp_path: Path) -> None:
    _, findings = lint(
        tmp_path, allow({"AWS": "arn:aws:iam::444455556666:root"}, "sts:AssumeRoleWithSAML")
    )
    assert findings == []
