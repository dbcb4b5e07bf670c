"""Federated trust: OIDC and SAML providers and their claims (RL103, RL104)."""

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


# --- RL103 ----------------------------------------------------------------------------------------


def web_identity(federated: str, condition: Any = None) -> dict[str, Any]:
    extra = {"Condition": condition} if condition else {}
    return allow({"Federated": federated}, "sts:AssumeRoleWithWebIdentity", **extra)


@pytest.mark.parametrize(
    "sub",
    ["repo:my-org/my-repo:ref:refs/heads/main", "repo:my-org/*", "repo:My-Org/app:*"],
)
def test_rl103_github_subject_of_one_owner(tmp_path: Path, sub: str) -> None:
    condition = {
        "StringEquals": {f"{GITHUB}:aud": "sts.amazonaws.com"},
        "StringLike": {f"{GITHUB}:sub": sub},
    }
    _, findings = lint(tmp_path, web_identity(GITHUB_ARN, condition))
    assert findings == []


@pytest.mark.parametrize("sub", ["*", "repo:*", "repo:*/infra:*", "repo:my-*/app:*", "repo:?rg/x"])
def test_rl103_github_subject_of_any_owner(tmp_path: Path, sub: str) -> None:
    condition = {"StringLike": {f"{GITHUB}:sub": ["repo:my-org/app:*", sub]}}
    code, findings = lint(tmp_path, web_identity(GITHUB_ARN, condition))
    # The finding points at the value that admits any owner, not at the condition key.
    assert pairs(findings) == {("RL103", line_of(code, f'"{sub}"'))}
    assert repr(sub) in findings[0].message


@pytest.mark.parametrize(
    "condition",
    [
        None,
        {"StringEquals": {f"{GITHUB}:aud": "sts.amazonaws.com"}},
        {"StringLikeIfExists": {f"{GITHUB}:sub": "repo:my-org/*"}},
        {"StringNotLike": {f"{GITHUB}:sub": "repo:evil/*"}},
    ],
    ids=["none", "aud-only", "if-exists", "negated"],
)
def test_rl103_missing_subject_points_at_the_provider(tmp_path: Path, condition: Any) -> None:
    code, findings = lint(tmp_path, web_identity(GITHUB_ARN, condition))
    assert pairs(findings) == {("RL103", line_of(code, GITHUB_ARN))}


def test_rl103_bare_provider_host(tmp_path: Path) -> None:
    code, findings = lint(tmp_path, web_identity(GITHUB))
    assert pairs(findings) == {("RL103", line_of(code, f'"Federated": "{GITHUB}"'))}


def test_rl103_other_providers_only_reject_a_bare_wildcard(tmp_path: Path) -> None:
    eks = "oidc.eks.eu-west-1.amazonaws.com/id/5C1B2E7A9D"
    arn = f"arn:aws:iam::111122223333:oidc-provider/{eks}"
    fine = {"StringLike": {f"{eks}:sub": "system:serviceaccount:app:*"}}
    _, findings = lint(tmp_path, web_identity(arn, fine))
    assert findings == []
    code, findings = lint(tmp_path, web_identity(arn, {"StringLike": {f"{eks}:sub": "*"}}))
    assert pairs(findings) == {("RL103", line_of(code, f'"{eks}:sub"'))}


def test_rl103_cognito_requires_the_pool_audience(tmp_path: Path) -> None:
    host = "cognito-identity.amazonaws.com"
    sub_only = {"StringEquals": {f"{host}:sub": "eu-west-1:abc"}}
    code, findings = lint(tmp_path, web_identity(host, sub_only))
    assert pairs(findings) == {("RL103", line_of(code, f'"Federated": "{host}"'))}
    assert f"{host}:aud" in findings[0].message
    aud = {"StringEquals": {f"{host}:aud": "eu-west-1:0b5f0f3c-3d9a-4a8e-9f7e-2a6c1d9b4e21"}}
    _, findings = lint(tmp_path, web_identity(host, aud))
    assert findings == []


def test_rl103_needs_web_identity_action(tmp_path: Path) -> None:
    _, findings = lint(tmp_path, allow({"Federated": GITHUB_ARN}, "sts:TagSession"))
    assert findings == []


# --- RL104 ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "condition",
    [
        None,
        {"StringEqualsIfExists": {"SAML:aud": "https://signin.aws.amazon.com/saml"}},
        {"StringEquals": {"SAML:sub": "alice"}},
    ],
    ids=["none", "if-exists", "other-key"],
)
def test_rl104_missing_audience(tmp_path: Path, condition: Any) -> None:
    extra = {"Condition": condition} if condition else {}
    code, findings = lint(
        tmp_path, allow({"Federated": SAML_ARN}, "sts:AssumeRoleWithSAML", **extra)
    )
    assert pairs(findings) == {("RL104", line_of(code, SAML_ARN))}
    assert "CorpIdP" in findings[0].message


def test_rl104_audience_key_is_case_insensitive(tmp_path: Path) -> None:
    condition = {"StringEquals": {"saml:aud": "https://signin.aws.amazon.com/saml"}}
    _, findings = lint(
        tmp_path, allow({"Federated": SAML_ARN}, "sts:AssumeRoleWithSAML", Condition=condition)
    )
    assert findings == []


def test_rl103_social_providers_are_scoped_by_application(tmp_path: Path) -> None:
    google = {"StringEquals": {"accounts.google.com:aud": "1234567890.apps.googleusercontent.com"}}
    _, findings = lint(tmp_path, web_identity("accounts.google.com", google))
    assert findings == []
    code, findings = lint(tmp_path, web_identity("graph.facebook.com"))
    assert pairs(findings) == {("RL103", line_of(code, "graph.facebook.com"))}
    assert "graph.facebook.com:app_id" in findings[0].message
