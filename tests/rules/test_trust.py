"""Trust-policy rules RL101-RL104: the tricky cases, with exact rule ids, lines and severities."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from rolelint.findings import Finding, Severity
from tests.rules.harness import findings_of, line_of, lint_file, policy

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


# --- RL101 ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("principal", "needle"),
    [
        ("*", '"Principal": "*"'),
        ({"AWS": "*"}, '"AWS": "*"'),
        ({"AWS": ["arn:aws:iam::${AWS::AccountId}:root", "*"]}, '"*"'),
        ({"AWS": "arn:aws:iam::*:root"}, "::*:root"),
    ],
    ids=["bare-star", "aws-star", "star-in-list", "wildcard-account"],
)
def test_rl101_open_principals(tmp_path: Path, principal: Any, needle: str) -> None:
    code, findings = lint(tmp_path, allow(principal))
    [finding] = findings
    assert (finding.rule_id, finding.severity) == ("RL101", Severity.CRITICAL)
    assert finding.location.line == line_of(code, needle)
    assert "no condition limits" in finding.message


def test_rl101_points_at_the_wildcard_among_other_principals(tmp_path: Path) -> None:
    principals = {"AWS": ["arn:aws:iam::111122223333:role/ci", "arn:aws:iam::*:role/ci"]}
    code, findings = lint(tmp_path, allow(principals))
    # The literal other-account principal is RL102's, the wildcard one RL101's.
    assert pairs(findings) == {
        ("RL102", line_of(code, "111122223333:role/ci")),
        ("RL101", line_of(code, "::*:role/ci")),
    }


def test_rl101_not_principal_with_allow(tmp_path: Path) -> None:
    statement = {
        "Effect": "Allow",
        "NotPrincipal": {"AWS": "arn:aws:iam::111122223333:user/mallory"},
        "Action": ASSUME,
    }
    code, findings = lint(tmp_path, statement)
    assert pairs(findings) == {("RL101", line_of(code, "user/mallory"))}
    assert "NotPrincipal" in findings[0].message


def test_rl101_not_principal_with_deny_is_fine(tmp_path: Path) -> None:
    deny = {
        "Effect": "Deny",
        "NotPrincipal": {"AWS": "arn:aws:iam::111122223333:role/ci"},
        "Action": ASSUME,
    }
    _, findings = lint(tmp_path, deny, allow({"Service": "lambda.amazonaws.com"}))
    assert findings == []


@pytest.mark.parametrize(
    ("operator", "key", "value"),
    [
        ("StringEquals", "aws:PrincipalOrgID", "o-a1b2c3d4e5"),
        ("StringEquals", "aws:principalorgid", "o-a1b2c3d4e5"),  # keys are case-insensitive
        ("ForAnyValue:StringLike", "aws:PrincipalOrgPaths", "o-a1b2c3d4e5/r-ab12/ou-ab12-1111"),
        ("StringEquals", "aws:SourceAccount", "111122223333"),
        ("ArnEquals", "aws:SourceArn", "arn:aws:sns:eu-west-1:111122223333:alerts"),
        ("StringEquals", "sts:ExternalId", "8d2c6a1e"),
    ],
)
def test_rl101_scoped_by_an_effective_condition_is_silent(
    tmp_path: Path, operator: str, key: str, value: str
) -> None:
    # The false positive users complain about: "*" limited to the organization is not open.
    _, findings = lint(tmp_path, allow({"AWS": "*"}, Condition={operator: {key: value}}))
    assert findings == []


@pytest.mark.parametrize(
    ("operator", "key", "value"),
    [
        ("StringEqualsIfExists", "aws:PrincipalOrgID", "o-a1b2c3d4e5"),
        ("StringLike", "aws:PrincipalOrgID", "o-*"),
        ("StringEquals", "aws:PrincipalOrgID", ""),
        ("StringNotEquals", "aws:PrincipalOrgID", "o-a1b2c3d4e5"),
        ("ForAllValues:StringEquals", "aws:PrincipalOrgID", "o-a1b2c3d4e5"),
        ("StringLike", "sts:ExternalId", "8d2c6a1e"),  # only StringEquals counts for ExternalId
        ("StringLike", "aws:PrincipalArn", "arn:aws:iam::*:role/ci"),
        ("Bool", "aws:SecureTransport", "true"),
    ],
)
def test_rl101_conditions_that_do_not_scope(
    tmp_path: Path, operator: str, key: str, value: str
) -> None:
    code, findings = lint(tmp_path, allow({"AWS": "*"}, Condition={operator: {key: value}}))
    assert [(f.rule_id, f.severity) for f in findings] == [("RL101", Severity.CRITICAL)]
    # The finding names the condition it judged, with its line, and says why it does not count.
    assert f"{operator} {key} at line {line_of(code, key)} " in findings[0].message
    assert "is weak (" in findings[0].message or "does not say who (" in findings[0].message


def test_rl101_needs_an_assume_action(tmp_path: Path) -> None:
    _, findings = lint(tmp_path, allow("*", "sts:TagSession"))
    assert findings == []
    _, findings = lint(tmp_path, allow("*", "sts:*"))
    assert [f.rule_id for f in findings] == ["RL101"]


def test_rl101_deny_outside_the_organization_scopes_the_allow(tmp_path: Path) -> None:
    refuse = {
        "Effect": "Deny",
        "Principal": {"AWS": "*"},
        "Action": ASSUME,
        "Condition": {"StringNotEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}},
    }
    _, findings = lint(tmp_path, allow({"AWS": "*"}), refuse)
    assert findings == []
    # A Deny that refuses only some callers, or only under another condition, does not.
    for condition in (
        {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}},
        {"StringNotLike": {"aws:PrincipalOrgID": "o-*"}},
        {"StringNotEqualsIfExists": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}},
    ):
        _, findings = lint(tmp_path, allow({"AWS": "*"}), {**refuse, "Condition": condition})
        assert [f.rule_id for f in findings] == ["RL101"], condition


def test_rl101_unresolved_limit_is_low_unless_constrained(tmp_path: Path) -> None:
    template = """\
Parameters:
  OrgId:
    Type: String
Resources:
  Reader:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {AWS: "*"}
            Action: sts:AssumeRole
            Condition:
              StringEquals:
                aws:PrincipalOrgID: !Ref OrgId
"""
    path = tmp_path / "template.yaml"
    path.write_text(template)
    [finding] = lint_file(path).findings
    assert (finding.rule_id, finding.severity) == ("RL101", Severity.LOW)
    assert "parameter OrgId has no default and nothing constrains it" in finding.message
    path.write_text(
        template.replace(
            "Type: String\n", "Type: String\n    AllowedPattern: ^o-[a-z0-9]{10,32}$\n", 1
        )
    )
    assert lint_file(path).findings == []


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
