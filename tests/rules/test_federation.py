"""Federated trust: OIDC and SAML providers and their claims (RL103, RL104, RL107, RL108).

Most cases are written once and linted in the three forms rolelint reads (a CloudFormation role,
a Terraform ``aws_iam_role`` with ``jsonencode`` and a raw IAM JSON policy): the same trust
statement must produce the same findings, at the line of the principal or of the offending value.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from rolelint.api import audit_paths, lint_paths
from rolelint.checks.federation import provider_pin
from rolelint.checks.principals import typed
from rolelint.findings import Finding, Severity
from tests.rules.forms import lint_trust as lint
from tests.rules.harness import findings_of, line_of

ACCOUNT = "111122223333"
GITHUB = "token.actions.githubusercontent.com"
EKS = "oidc.eks.eu-west-1.amazonaws.com/id/5C1B2E7A9D4F6A8B0C2D4E6F8A0B2C4D"
GITLAB = "gitlab.com"
GITLAB_SELF = "gitlab.example.com"
TERRAFORM = "app.terraform.io"
BUILDKITE = "agent.buildkite.com"
BITBUCKET = "api.bitbucket.org/2.0/workspaces/acme/pipelines-config/identity/oidc"
CIRCLECI_ORG = "0b5f0f3c-3d9a-4a8e-9f7e-2a6c1d9b4e21"
CIRCLECI = f"oidc.circleci.com/org/{CIRCLECI_ORG}"
COGNITO = "cognito-identity.amazonaws.com"
GENERIC = "login.example.net"
POOL = "eu-west-1:0b5f0f3c-3d9a-4a8e-9f7e-2a6c1d9b4e21"
SAML_ARN = f"arn:aws:iam::{ACCOUNT}:saml-provider/CorpIdP"
WEB_IDENTITY = "sts:AssumeRoleWithWebIdentity"
SAML = "sts:AssumeRoleWithSAML"
FORMS = ("cloudformation", "terraform", "json")

# The audience each provider issues for AWS: a trust that pins it gets no RL108.
AUDIENCE = {
    GITHUB: "sts.amazonaws.com",
    EKS: "sts.amazonaws.com",
    GITLAB: "https://gitlab.com",
    GITLAB_SELF: "https://gitlab.example.com",
    TERRAFORM: "aws.workload.identity",
    BUILDKITE: "sts.amazonaws.com",
    BITBUCKET: "ari:cloud:bitbucket::workspace/6d2c1e4f-8a0b-4c2d-9e1f-3a5b7c9d0e2f",
    CIRCLECI: CIRCLECI_ORG,
}


def arn(host: str) -> str:
    return f"arn:aws:iam::{ACCOUNT}:oidc-provider/{host}"


def statement(
    principal: str | list[str],
    condition: Any = None,
    action: Any = WEB_IDENTITY,
    effect: str = "Allow",
) -> dict[str, Any]:
    """One trust statement with a Federated principal."""
    written: dict[str, Any] = {
        "Effect": effect,
        "Principal": {"Federated": principal},
        "Action": action,
    }
    if condition:
        written["Condition"] = condition
    return written


def pinned(
    host: str, sub: str | list[str] | None = None, operator: str = "StringLike"
) -> dict[str, Any]:
    """Conditions with the provider's audience and, when given, a subject."""
    condition: dict[str, Any] = {"StringEquals": {f"{host}:aud": AUDIENCE[host]}}
    if sub is not None:
        condition.setdefault(operator, {})[f"{host}:sub"] = sub
    return condition


def pairs(findings: list[Finding], *rule_ids: str) -> set[tuple[str, int]]:
    return {(f.rule_id, f.location.line) for f in findings if not rule_ids or f.rule_id in rule_ids}


def only(findings: list[Finding], rule_id: str) -> Finding:
    [finding] = [f for f in findings if f.rule_id == rule_id]
    return finding


# --- RL103: subjects each provider accepts --------------------------------------------------------

ACCEPTED_SUBJECTS = [
    (GITHUB, "repo:acme/app:ref:refs/heads/main"),
    (GITHUB, "repo:acme/app:*"),
    (GITHUB, "repo:Acme/app:environment:production"),
    (GITHUB, "repo:acme/app:pull_request"),
    (GITHUB, "repo:acme@123456/app@456789:ref:refs/heads/main"),
    (GITHUB, "repository_id:456789"),
    (GITHUB, "job_workflow_ref:acme/deploy/.github/workflows/release.yml@refs/heads/main"),
    (GITHUB, "repo:acme/app:environment:prod:job_workflow_ref:acme/deploy/.github/*"),
    (EKS, "system:serviceaccount:payments:api"),
    (GITLAB, "project_path:acme/app:ref_type:branch:ref:main"),
    (GITLAB, "project_path:acme/platform/app:*"),
    (GITLAB_SELF, "project_path:platform/deployer:ref_type:tag:ref:v*"),
    (TERRAFORM, "organization:acme:project:infra:workspace:prod:run_phase:apply"),
    (TERRAFORM, "organization:acme:project:infra:workspace:*:run_phase:*"),
    (BUILDKITE, "organization:acme:pipeline:deploy:ref:refs/heads/main:commit:*:step:*"),
    (BUILDKITE, "0184990a-477b-4fa8-9968-496074483cee"),
    (BITBUCKET, "{9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d}*:*"),
    (CIRCLECI, f"org/{CIRCLECI_ORG}/project/7c3e9a1b-2d4f-4e6a-8b0c-1d2e3f4a5b6c/user/*"),
]


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(("host", "sub"), ACCEPTED_SUBJECTS)
def test_rl103_subject_of_one_repository_project_or_account(
    tmp_path: Path, form: str, host: str, sub: str
) -> None:
    # The false positive to avoid: a subject pinned the way each provider's guide shows.
    _, findings = lint(form, tmp_path, statement(arn(host), pinned(host, sub)))
    assert findings == []


def test_rl103_github_exact_subject_is_silent_with_string_equals(tmp_path: Path) -> None:
    sub = "repo:acme/app:ref:refs/heads/main"
    _, findings = lint(
        "json", tmp_path, statement(arn(GITHUB), pinned(GITHUB, sub, operator="StringEquals"))
    )
    assert findings == []


OPEN_SUBJECTS = [
    (GITHUB, "*", "any GitHub owner"),
    (GITHUB, "repo:*", "any GitHub owner"),
    (GITHUB, "repo:*/infrastructure:*", "any GitHub owner"),
    (GITHUB, "repo:acme-*/app:*", "any GitHub owner"),
    (GITHUB, "repo:?cme/app:*", "any GitHub owner"),
    (GITHUB, "repository_owner:*", "any GitHub owner"),
    (GITHUB, "*:environment:production", "any GitHub owner"),
    (GITHUB, "environment:production", "names no owner"),
    (EKS, "*", "every namespace"),
    (EKS, "system:serviceaccount:*", "every namespace"),
    (EKS, "system:serviceaccount:pay*:api", "every namespace"),
    (EKS, "system:*:payments:api", "every namespace"),
    (GITLAB, "*", "any group"),
    (GITLAB, "project_path:*", "any group"),
    (GITLAB, "project_path:*/app:ref_type:branch:ref:main", "any group"),
    (TERRAFORM, "*", "any HCP Terraform organization"),
    (TERRAFORM, "organization:*:project:infra:workspace:prod:run_phase:*", "any HCP Terraform"),
    (BUILDKITE, "organization:*:pipeline:deploy:*", "any Buildkite organization"),
]


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(("host", "sub", "words"), OPEN_SUBJECTS)
def test_rl103_subject_that_admits_other_owners(
    tmp_path: Path, form: str, host: str, sub: str, words: str
) -> None:
    text, findings = lint(form, tmp_path, statement(arn(host), pinned(host, sub)))
    # The finding points at the value that admits any owner, not at the principal.
    assert pairs(findings) == {("RL103", line_of(text, f'"{sub}"'))}
    [finding] = findings
    assert finding.severity is Severity.CRITICAL
    assert repr(sub) in finding.message and words in finding.message


WIDE_SUBJECTS = [
    (GITHUB, "repo:acme/*", "every repository of 'acme'"),
    (GITHUB, "repo:acme/app-*", "every repository of 'acme'"),
    (GITHUB, "repository_owner:acme:repository_visibility:private", "every repository of 'acme'"),
    (EKS, "system:serviceaccount:payments:*", "every service account of namespace 'payments'"),
    (GITLAB, "project_path:acme/*", "every project under group 'acme'"),
    (GITLAB, "project_path:acme/platform/*", "every project under group 'acme/platform'"),
    (TERRAFORM, "organization:acme:*", "organization 'acme'"),
    (TERRAFORM, "organization:acme:project:*:workspace:prod:run_phase:*", "organization 'acme'"),
    (BUILDKITE, "organization:acme:*", "every pipeline of organization 'acme'"),
    (BITBUCKET, "*", "every repository of the workspace"),
    (CIRCLECI, f"org/{CIRCLECI_ORG}/project/*", "every project of the organization"),
    (CIRCLECI, "*", "every project of the organization"),
    (f"{GITHUB}/acme-corp", "repo:*", f"issuer '{GITHUB}/acme-corp'"),
]


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(("host", "sub", "words"), WIDE_SUBJECTS)
def test_rl103_subject_of_a_whole_owner_is_medium(
    tmp_path: Path, form: str, host: str, sub: str, words: str
) -> None:
    condition = {
        "StringEquals": {f"{host}:aud": AUDIENCE.get(host, "sts.amazonaws.com")},
        "StringLike": {f"{host}:sub": sub},
    }
    text, findings = lint(form, tmp_path, statement(arn(host), condition))
    assert pairs(findings) == {("RL103", line_of(text, f'"{sub}"'))}
    [finding] = findings
    assert finding.severity is Severity.MEDIUM
    assert words in finding.message and "need the role instead" in finding.message


def test_rl103_github_owner_template_is_wide_even_when_literal(tmp_path: Path) -> None:
    # StringEquals "repository_owner:acme" is what GitHub's owner-wide subject template emits.
    condition = pinned(GITHUB, "repository_owner:acme", operator="StringEquals")
    text, findings = lint("json", tmp_path, statement(arn(GITHUB), condition))
    assert pairs(findings) == {("RL103", line_of(text, '"repository_owner:acme"'))}
    assert findings[0].severity is Severity.MEDIUM


def test_rl103_string_equals_wildcards_are_literal(tmp_path: Path) -> None:
    # StringEquals "repo:acme/*" matches only the text "repo:acme/*": no token has it.
    condition = pinned(GITHUB, "repo:acme/*", operator="StringEquals")
    _, findings = lint("json", tmp_path, statement(arn(GITHUB), condition))
    assert findings == []


def test_rl103_every_too_broad_value_is_reported(tmp_path: Path) -> None:
    subs = ["repo:acme/app:*", "repo:acme/*", "repo:*"]
    text, findings = lint("json", tmp_path, statement(arn(GITHUB), pinned(GITHUB, subs)))
    assert pairs(findings) == {
        ("RL103", line_of(text, '"repo:acme/*"')),
        ("RL103", line_of(text, '"repo:*"')),
    }
    severities = {f.location.line: f.severity for f in findings}
    assert severities[line_of(text, '"repo:*"')] is Severity.CRITICAL
    assert severities[line_of(text, '"repo:acme/*"')] is Severity.MEDIUM


def test_rl103_narrower_condition_on_the_same_claim_wins(tmp_path: Path) -> None:
    # Both conditions must hold: the exact subject limits the owner-wide pattern.
    condition = {
        "StringEquals": {
            f"{GITHUB}:aud": "sts.amazonaws.com",
            f"{GITHUB}:sub": "repo:acme/app:ref:refs/heads/main",
        },
        "StringLike": {f"{GITHUB}:sub": "repo:acme/*"},
    }
    _, findings = lint("json", tmp_path, statement(arn(GITHUB), condition))
    assert findings == []


# --- RL103: no subject at all ---------------------------------------------------------------------

MISSING = [
    (arn(GITHUB), Severity.CRITICAL, "any GitHub Actions workflow", True),
    (arn(f"{GITHUB}/acme-corp"), Severity.MEDIUM, "any workflow of the enterprise", True),
    (arn(EKS), Severity.CRITICAL, "any service account of any namespace", True),
    (arn(GITLAB), Severity.CRITICAL, "any CI/CD job of any project on gitlab.com", True),
    (arn(GITLAB_SELF), Severity.CRITICAL, "any project on gitlab.example.com", True),
    (arn(TERRAFORM), Severity.CRITICAL, "any run of any HCP Terraform organization", True),
    (arn(BUILDKITE), Severity.CRITICAL, "any job of any Buildkite organization", True),
    (arn(BITBUCKET), Severity.MEDIUM, "any repository in the workspace", True),
    (arn(CIRCLECI), Severity.MEDIUM, "any project in the organization", True),
    (COGNITO, Severity.CRITICAL, "any Cognito identity pool", False),
    ("accounts.google.com", Severity.CRITICAL, "any Google application", False),
    ("graph.facebook.com", Severity.CRITICAL, "any Facebook application", False),
    ("www.amazon.com", Severity.CRITICAL, "any Login with Amazon application", False),
    (arn(GENERIC), Severity.CRITICAL, f"any identity that '{GENERIC}' issues tokens to", False),
]


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(("principal", "severity", "words", "audience"), MISSING)
def test_rl103_no_condition_points_at_the_provider(
    tmp_path: Path, form: str, principal: str, severity: Severity, words: str, audience: bool
) -> None:
    text, findings = lint(form, tmp_path, statement(principal))
    line = line_of(text, f'"{principal}"')
    expected = {("RL103", line), ("RL108", line)} if audience else {("RL103", line)}
    assert pairs(findings) == expected
    finding = only(findings, "RL103")
    assert finding.severity is severity
    assert words in finding.message and "no mandatory condition pins" in finding.message


@pytest.mark.parametrize("org", ["<CIRCLECI_ORG_UUID>", "${CIRCLECI_ORG}", "my.org"])
def test_rl103_circleci_with_a_placeholder_org_is_still_circleci(tmp_path: Path, org: str) -> None:
    """The corpus example writes ``oidc.circleci.com/org/<CIRCLECI_ORG_UUID>``: an org segment
    other than ``[\\w-]`` made the issuer generic, for which an ``aud`` condition pins the
    tokens, so the trust was "scoped" with no finding.  A CircleCI aud is the organization id,
    which the issuer already fixes: it pins nothing."""
    host = f"oidc.circleci.com/org/{org}"
    condition = {"StringEquals": {f"{host}:aud": org}}
    text, findings = lint("json", tmp_path, statement(arn(host), condition))
    assert pairs(findings) == {("RL103", line_of(text, arn(host)))}
    finding = only(findings, "RL103")
    assert finding.severity is Severity.MEDIUM
    assert "any job of any project in the organization" in finding.message


UNJUDGED = [
    (arn(GITHUB), f"{GITHUB}:repository_id", "123456789"),
    (arn(GITHUB), f"{GITHUB}:repository", "acme/app"),
    (arn(GITHUB), f"{GITHUB}:job_workflow_ref", "acme/ci/.github/workflows/d.yml@main"),
    (arn(EKS), f"{EKS}:namespace", "payments"),
    ("accounts.google.com", "accounts.google.com:sub", "100018646976219416293"),
    (arn(GENERIC), f"{GENERIC}:email", "ci@example.net"),
]


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(("principal", "key", "value"), UNJUDGED)
def test_rl103_a_required_claim_rolelint_does_not_judge_is_a_limit(
    tmp_path: Path, form: str, principal: str, key: str, value: str
) -> None:
    """StringEquals on GitHub's repository_id was RL103 critical, "any GitHub Actions workflow,
    in any repository of any owner", and the trust open to the world in the inventory.  A
    mandatory positive test of a claim fails every token without it, so the statement never
    admits every token; which tokens it admits rolelint does not judge: low, saying so."""
    host = principal.split(":oidc-provider/")[-1]
    condition: dict[str, Any] = {"StringEquals": {key: value}}
    if host in AUDIENCE:
        condition["StringEquals"][f"{host}:aud"] = AUDIENCE[host]
    text, findings = lint(form, tmp_path, statement(principal, condition))
    assert pairs(findings) == {("RL103", line_of(text, f'"{principal}"'))}
    [finding] = findings
    assert finding.severity is Severity.LOW
    assert f"requires '{key}' (StringEquals at line {line_of(text, key)})" in finding.message
    assert "a claim rolelint does not judge" in finding.message
    assert "any GitHub Actions workflow" not in finding.message


CHOSEN = [
    (
        "accounts.google.com",
        {"StringEquals": {"accounts.google.com:oaud": "sts.amazonaws.com"}},
        "users of any Google application",
        "'accounts.google.com:aud'",
    ),
    (
        arn(GITHUB),
        {"StringEquals": {f"{GITHUB}:aud": AUDIENCE[GITHUB], f"{GITHUB}:environment": "prod"}},
        "any GitHub Actions workflow, in any repository of any owner,",
        f"'{GITHUB}:sub'",
    ),
    (
        arn(GITHUB),
        {"StringLike": {f"{GITHUB}:ref": "refs/heads/main", f"{GITHUB}:aud": AUDIENCE[GITHUB]}},
        "any GitHub Actions workflow, in any repository of any owner,",
        f"'{GITHUB}:sub'",
    ),
]


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(("principal", "condition", "everyone", "key"), CHOSEN)
def test_rl103_a_claim_the_caller_chooses_is_no_limit(
    tmp_path: Path, form: str, principal: str, condition: dict[str, Any], everyone: str, key: str
) -> None:
    """A Google trust pinned only by accounts.google.com:oaud was RL103 low, "a claim rolelint
    does not judge", and graded unknown: oaud is the token's own audience, which whoever asks
    Google for an ID token chooses, so any Google identity passes it.  GitHub's environment or
    ref is a name the owner of any repository gives its own workflows.  Critical, as before."""
    text, findings = lint(form, tmp_path, statement(principal, condition))
    assert pairs(findings) == {("RL103", line_of(text, f'"{principal}"'))}
    [finding] = findings
    assert finding.severity is Severity.CRITICAL
    assert f"lets {everyone} assume the role: no mandatory condition pins {key}" in finding.message
    assert "does not judge" not in finding.message


def test_rl101_anyone_limited_by_a_claim_the_caller_chooses_is_critical(tmp_path: Path) -> None:
    """Principal "*" with AssumeRoleWithWebIdentity and only accounts.google.com:oaud was RL101
    info, "only a condition rolelint cannot resolve may limit who"."""
    open_trust = {
        "Effect": "Allow",
        "Principal": "*",
        "Action": WEB_IDENTITY,
        "Condition": {"StringEquals": {"accounts.google.com:oaud": "sts.amazonaws.com"}},
    }
    text, findings = lint("json", tmp_path, open_trust)
    assert pairs(findings) == {("RL101", line_of(text, '"Principal"'))}
    [finding] = findings
    assert finding.severity is Severity.CRITICAL
    assert "nothing limits who can use it: StringEquals accounts.google.com:oaud" in finding.message


@pytest.mark.parametrize(
    "condition",
    [
        {"StringEqualsIfExists": {f"{GITHUB}:repository_id": "123456789"}},
        {"StringNotEquals": {f"{GITHUB}:repository_id": "123456789"}},
        {"ForAllValues:StringEquals": {f"{GITHUB}:repository_id": "123456789"}},
        {"StringLike": {f"{GITHUB}:repository_id": "*"}},
        {"StringEquals": {f"{GITHUB}:repository_id": ""}},
    ],
    ids=["if-exists", "negated", "for-all-values", "wildcard", "empty"],
)
def test_rl103_a_test_of_such_a_claim_that_limits_nothing_is_no_limit(
    tmp_path: Path, condition: dict[str, Any]
) -> None:
    both = {**condition}
    both.setdefault("StringEquals", {})[f"{GITHUB}:aud"] = AUDIENCE[GITHUB]
    text, findings = lint("json", tmp_path, statement(arn(GITHUB), both))
    assert pairs(findings) == {("RL103", line_of(text, arn(GITHUB)))}
    assert findings[0].severity is Severity.CRITICAL


def test_rl103_a_broad_subject_beside_such_a_claim_is_low(tmp_path: Path) -> None:
    condition = pinned(GITHUB, "repo:*")
    condition["StringEquals"][f"{GITHUB}:repository_id"] = "123456789"
    text, findings = lint("json", tmp_path, statement(arn(GITHUB), condition))
    assert pairs(findings) == {("RL103", line_of(text, '"repo:*"'))}
    [finding] = findings
    assert finding.severity is Severity.LOW
    assert "admits workflows of any GitHub owner (the statement also requires" in finding.message


def test_rl103_names_the_first_three_such_claims_and_counts_the_rest(tmp_path: Path) -> None:
    """Past three such tests the message said "and more"; it now says how many more, as every
    other list of a message does (checks.base.some_of)."""
    condition = pinned(GITHUB)
    condition["StringEquals"].update(
        {
            f"{GITHUB}:repository_id": "123456789",
            f"{GITHUB}:repository": "acme/app",
            f"{GITHUB}:repository_owner_id": "4242",
            f"{GITHUB}:actor_id": "77",
        }
    )
    text, findings = lint("json", tmp_path, statement(arn(GITHUB), condition))
    [finding] = findings
    assert finding.severity is Severity.LOW
    line = line_of(text, "repository_owner_id")
    assert (
        f"'{GITHUB}:repository_owner_id' (StringEquals at line {line}) and 1 more, a claim "
        "rolelint does not judge"
    ) in finding.message


def test_rl103_a_deny_on_such_a_claim_is_a_limit_too(tmp_path: Path) -> None:
    deny = {
        "Effect": "Deny",
        "Principal": "*",
        "Action": WEB_IDENTITY,
        "Condition": {"StringNotEquals": {f"{GITHUB}:repository_id": "123456789"}},
    }
    text, findings = lint("json", tmp_path, statement(arn(GITHUB), pinned(GITHUB)), deny)
    assert pairs(findings) == {("RL103", line_of(text, arn(GITHUB)))}
    assert findings[0].severity is Severity.LOW


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("effect", ["Allow", "Deny"])
def test_rl103_a_claim_test_with_a_value_admitting_every_token_is_no_limit(
    tmp_path: Path, form: str, effect: str
) -> None:
    """StringLike repository_id ["123456789", "*"] (or the Deny StringNotLike with those values)
    made an open GitHub trust RL103 low: the values of one condition are OR-ed, so "*" admits
    every token that has the claim, and the trust is as open as with "*" alone."""
    values = ["123456789", "*"]
    key = f"{GITHUB}:repository_id"
    if effect == "Allow":
        condition = pinned(GITHUB)
        condition["StringLike"] = {key: values}
        statements = [statement(arn(GITHUB), condition)]
    else:
        deny = {
            "Effect": "Deny",
            "Principal": "*",
            "Action": WEB_IDENTITY,
            "Condition": {"StringNotLike": {key: values}},
        }
        statements = [statement(arn(GITHUB), pinned(GITHUB)), deny]
    text, findings = lint(form, tmp_path, *statements)
    assert pairs(findings) == {("RL103", line_of(text, arn(GITHUB)))}
    [finding] = findings
    assert finding.severity is Severity.CRITICAL
    assert "lets any GitHub Actions workflow, in any repository of any owner," in finding.message
    assert "a claim rolelint does not judge" not in finding.message


@pytest.mark.parametrize(
    ("principal", "claim"),
    [
        (COGNITO, f"'{COGNITO}:aud'"),
        ("accounts.google.com", "'accounts.google.com:aud'"),
        ("graph.facebook.com", "'graph.facebook.com:app_id'"),
        ("www.amazon.com", "'www.amazon.com:app_id'"),
        (arn(GENERIC), f"'{GENERIC}:sub' or '{GENERIC}:aud'"),
    ],
)
def test_rl103_names_the_claim_each_provider_needs(
    tmp_path: Path, principal: str, claim: str
) -> None:
    # A subject alone: Cognito and the social providers are scoped by their application.
    host = principal.rsplit("/", 1)[-1]
    condition = None if host == GENERIC else {"StringEquals": {f"{host}:sub": "some-user"}}
    _, findings = lint("json", tmp_path, statement(principal, condition))
    assert claim in only(findings, "RL103").message


@pytest.mark.parametrize(
    ("principal", "claim", "value"),
    [
        (COGNITO, "aud", POOL),
        ("accounts.google.com", "aud", "1234567890-abc.apps.googleusercontent.com"),
        ("graph.facebook.com", "app_id", "310987654321098"),
        ("www.amazon.com", "app_id", "amzn1.application.0b5f0f3c3d9a4a8e"),
        (arn(GENERIC), "sub", "user-7c3e9a1b"),
        (arn(GENERIC), "aud", "deploy-client"),
    ],
)
def test_rl103_application_or_generic_claim_pinned(
    tmp_path: Path, principal: str, claim: str, value: str
) -> None:
    host = principal.rsplit("/", 1)[-1]
    condition: dict[str, Any] = {"StringEquals": {f"{host}:{claim}": value}}
    if host == COGNITO:
        condition["ForAnyValue:StringLike"] = {f"{COGNITO}:amr": "authenticated"}
    _, findings = lint("json", tmp_path, statement(principal, condition))
    assert findings == []


@pytest.mark.parametrize(
    ("principal", "claim"),
    [(COGNITO, "aud"), ("accounts.google.com", "aud"), (arn(GENERIC), "sub")],
)
def test_rl103_application_claim_of_wildcards_only(
    tmp_path: Path, principal: str, claim: str
) -> None:
    host = principal.rsplit("/", 1)[-1]
    condition = {"StringLike": {f"{host}:{claim}": "*"}}
    text, findings = lint("json", tmp_path, statement(principal, condition))
    assert pairs(findings) == {("RL103", line_of(text, f'"{host}:{claim}"'))}
    assert findings[0].severity is Severity.CRITICAL


@pytest.mark.parametrize(
    ("principal", "claim", "value", "broad"),
    [
        (COGNITO, "aud", "eu-west-1:*", True),
        ("accounts.google.com", "aud", "*.apps.googleusercontent.com", True),
        ("accounts.google.com", "aud", "1234567890-*.apps.googleusercontent.com", False),
        ("graph.facebook.com", "app_id", "3109876543*", True),
        (arn(GENERIC), "sub", "user-*", False),
    ],
)
def test_rl103_application_id_patterns(
    tmp_path: Path, principal: str, claim: str, value: str, broad: bool
) -> None:
    host = principal.rsplit("/", 1)[-1]
    condition: dict[str, Any] = {"StringLike": {f"{host}:{claim}": value}}
    if host == COGNITO:
        condition["ForAnyValue:StringLike"] = {f"{COGNITO}:amr": "authenticated"}
    text, findings = lint("json", tmp_path, statement(principal, condition))
    assert pairs(findings) == ({("RL103", line_of(text, f'"{value}"'))} if broad else set())


NOT_A_PIN = {
    "negated": {"StringNotLike": {f"{GITHUB}:sub": "repo:evil/*"}},
    "null": {"Null": {f"{GITHUB}:sub": "false"}},
    "empty": {"StringEquals": {f"{GITHUB}:sub": ""}},
    "other-key": {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}},
}


@pytest.mark.parametrize("case", NOT_A_PIN)
def test_rl103_conditions_that_do_not_pin_the_subject(tmp_path: Path, case: str) -> None:
    condition = pinned(GITHUB)
    for operator, entries in NOT_A_PIN[case].items():
        condition.setdefault(operator, {}).update(entries)
    text, findings = lint("json", tmp_path, statement(arn(GITHUB), condition))
    assert pairs(findings) == {("RL103", line_of(text, arn(GITHUB)))}
    if case != "other-key":
        # The message says why the condition that is there does not count.
        assert f"{GITHUB}:sub at line" in findings[0].message


@pytest.mark.parametrize(
    "condition",
    [
        {"StringLikeIfExists": {f"{GITHUB}:sub": "repo:acme/app:*"}},
        {"ForAllValues:StringLike": {f"{GITHUB}:sub": ["repo:acme/app:*", "repo:acme/api:*"]}},
    ],
    ids=["if-exists", "for-all-values"],
)
def test_claims_every_token_has_are_pinned_under_if_exists_and_for_all_values(
    tmp_path: Path, condition: dict[str, Any]
) -> None:
    """Every token carries sub and aud (STS refuses one without aud, OIDC requires sub), so
    the forms that pass "a request without the key" test them as the plain operator does.
    These were RL103 critical: "any workflow of any owner"."""
    both = {**condition, "StringEqualsIfExists": {f"{GITHUB}:aud": "sts.amazonaws.com"}}
    _, findings = lint("json", tmp_path, statement(arn(GITHUB), both))
    assert findings == []


def test_rl103_bare_provider_host(tmp_path: Path) -> None:
    text, findings = lint("json", tmp_path, statement(GITHUB))
    assert pairs(findings, "RL103") == {("RL103", line_of(text, f'"Federated": "{GITHUB}"'))}


def test_rl103_needs_web_identity_action(tmp_path: Path) -> None:
    _, findings = lint("json", tmp_path, statement(arn(GITHUB), action="sts:TagSession"))
    assert findings == []


def deny_unless(*conditions: dict[str, Any]) -> dict[str, Any]:
    """A Deny for everyone, under the given conditions (merged)."""
    merged: dict[str, Any] = {}
    for condition in conditions:
        for operator, entries in condition.items():
            merged.setdefault(operator, {}).update(entries)
    return {"Effect": "Deny", "Principal": "*", "Action": WEB_IDENTITY, "Condition": merged}


def test_rl103_deny_outside_the_repository_pins_the_subject(tmp_path: Path) -> None:
    # The Allow has only the audience; a Deny refuses every other subject.
    allow = statement(arn(GITHUB), pinned(GITHUB))
    deny = deny_unless({"StringNotLike": {f"{GITHUB}:sub": "repo:acme/app:*"}})
    _, findings = lint("json", tmp_path, allow, deny)
    assert findings == []


def test_rl103_deny_with_a_negated_if_exists_operator_pins_the_subject(tmp_path: Path) -> None:
    # StringNotLikeIfExists is true for a token without the claim, as StringNotLike is.
    allow = statement(arn(GITHUB), pinned(GITHUB))
    deny = deny_unless({"StringNotLikeIfExists": {f"{GITHUB}:sub": "repo:acme/app:*"}})
    _, findings = lint("json", tmp_path, allow, deny)
    assert findings == []


@pytest.mark.parametrize("form", FORMS)
def test_rl103_deny_for_any_value_outside_the_repository_pins_the_subject(
    tmp_path: Path, form: str
) -> None:
    """deny_foranyvalue.json: a Deny with ForAnyValue:StringNotLike on sub was dropped ("a
    request without the key fails ForAnyValue"), and RL103 said critical that no condition
    pins the subject.  Every token has one sub, so the Deny refuses every other subject as
    StringNotLike does.  A broad one is judged like an Allow's, at its value."""
    allow = statement(arn(GITHUB), pinned(GITHUB))
    deny = deny_unless({"ForAnyValue:StringNotLike": {f"{GITHUB}:sub": "repo:acme/app:*"}})
    _, findings = lint(form, tmp_path, allow, deny)
    assert findings == []
    (tmp_path / "broad").mkdir()
    deny = deny_unless({"ForAnyValue:StringNotLike": {f"{GITHUB}:sub": "repo:*"}})
    text, findings = lint(form, tmp_path / "broad", allow, deny)
    assert pairs(findings) == {("RL103", line_of(text, '"repo:*"'))}
    [finding] = findings
    assert finding.severity is Severity.CRITICAL
    assert "'repo:*', which admits workflows of any GitHub owner" in finding.message


@pytest.mark.parametrize("form", FORMS)
def test_rl103_deny_for_any_value_of_a_claim_that_may_hold_several_is_no_mirror(
    tmp_path: Path, form: str
) -> None:
    """An aud may be a list (OpenID Connect): ForAnyValue:StringNotEquals on it refuses a token
    with any other audience, not one without this one.  Not counted, as before."""
    allow = statement(arn(GENERIC))
    deny = deny_unless({"ForAnyValue:StringNotEquals": {f"{GENERIC}:aud": "my-client"}})
    text, findings = lint(form, tmp_path, allow, deny)
    assert pairs(findings) == {("RL103", line_of(text, arn(GENERIC)))}


@pytest.mark.parametrize(
    "key",
    [f"{GITHUB.upper()}:sub", f"{GITHUB}:SUB", "Token.Actions.GitHubUserContent.com:Sub"],
)
def test_rl103_deny_for_any_value_on_sub_whatever_the_case_of_its_key(
    tmp_path: Path, key: str
) -> None:
    """Condition keys compare case-insensitively: the issuer host or claim written in another
    case is still the token's one sub, so ForAnyValue tests it as the plain operator does."""
    allow = statement(arn(GITHUB), pinned(GITHUB))
    deny = deny_unless({"ForAnyValue:StringNotLike": {key: "repo:acme/app:*"}})
    _, findings = lint("json", tmp_path, allow, deny)
    assert findings == []


@pytest.mark.parametrize(
    ("principal", "condition", "key"),
    [
        # Google's sub is unjudged (its aud says who): a Deny on it is a limit, low.
        ("accounts.google.com", None, "accounts.google.com:sub"),
        # Cognito's sub, beside the pool id pinned: the Deny only narrows, no finding.
        (
            COGNITO,
            {
                "StringEquals": {f"{COGNITO}:aud": POOL},
                "StringLike": {f"{COGNITO}:amr": "authenticated"},
            },
            f"{COGNITO}:sub",
        ),
    ],
    ids=["google", "cognito"],
)
def test_rl103_deny_for_any_value_on_the_sub_of_other_providers(
    tmp_path: Path, principal: str, condition: dict[str, Any] | None, key: str
) -> None:
    deny = deny_unless({"ForAnyValue:StringNotEquals": {key: "1234567890"}})
    text, findings = lint("json", tmp_path, statement(principal, condition), deny)
    if condition is not None:
        assert findings == []
        return
    assert pairs(findings) == {("RL103", line_of(text, f'"{principal}"'))}
    [finding] = findings
    assert finding.severity is Severity.LOW
    assert f"requires '{key}' (StringEquals at line" in finding.message


def test_rl103_deny_for_any_value_on_a_tag_key_ending_in_sub_is_no_mirror(tmp_path: Path) -> None:
    """``aws:PrincipalTag/team:sub`` ends in ':sub' but is a tag of the caller, not a token's
    claim: no subject is pinned."""
    allow = statement(arn(GITHUB), pinned(GITHUB))
    deny = deny_unless({"ForAnyValue:StringNotEquals": {"aws:PrincipalTag/team:sub": "x"}})
    text, findings = lint("json", tmp_path, allow, deny)
    assert pairs(findings) == {("RL103", line_of(text, arn(GITHUB)))}
    assert findings[0].severity is Severity.CRITICAL


def test_rl103_deny_with_a_broad_subject_is_judged_like_an_allow(tmp_path: Path) -> None:
    allow = statement(arn(GITHUB), pinned(GITHUB))
    deny = deny_unless({"StringNotLike": {f"{GITHUB}:sub": "repo:*"}})
    text, findings = lint("json", tmp_path, allow, deny)
    assert pairs(findings) == {("RL103", line_of(text, '"repo:*"'))}


def test_rl103_deny_with_two_conditions_refuses_less(tmp_path: Path) -> None:
    # It refuses only tokens failing both tests: other subjects from eu-west-1 still get in.
    allow = statement(arn(GITHUB), pinned(GITHUB))
    deny = deny_unless(
        {"StringNotLike": {f"{GITHUB}:sub": "repo:acme/app:*"}},
        {"StringNotEquals": {"aws:RequestedRegion": "eu-west-1"}},
    )
    text, findings = lint("json", tmp_path, allow, deny)
    assert pairs(findings) == {("RL103", line_of(text, arn(GITHUB)))}


_GITHUB_DENIES = [
    ({"Federated": arn(GITHUB)}, None, WEB_IDENTITY, True),
    ("*", None, WEB_IDENTITY, True),
    # Another action, or a condition rolelint cannot know of the tokens: nothing certain.
    ({"Federated": arn(GITHUB)}, None, "sts:TagSession", False),
    ({"Federated": arn(GITHUB)}, {"Bool": {"aws:SecureTransport": "false"}}, WEB_IDENTITY, False),
]


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(("denied", "condition", "action", "refused"), _GITHUB_DENIES)
def test_rl103_a_provider_a_deny_refuses_is_not_reported(
    form: str, tmp_path: Path, denied: Any, condition: Any, action: str, refused: bool
) -> None:
    """A Deny of the provider (or of everyone) without a condition wins over the Allow: its
    tokens never get in, and the graph draws no arrow.  RL103 (critical) and RL108 still
    reported it."""
    deny = {"Effect": "Deny", "Principal": denied, "Action": action}
    if condition:
        deny["Condition"] = condition
    text, findings = lint(form, tmp_path, statement(arn(GITHUB)), deny)
    github = line_of(text, arn(GITHUB))
    assert pairs(findings) == (set() if refused else {("RL103", github), ("RL108", github)})


def test_rl103_a_condition_on_another_providers_claim_excludes_this_one(tmp_path: Path) -> None:
    # GitLab tokens carry no GitHub claims: the GitHub subject condition fails for them.
    condition = pinned(GITHUB, "repo:acme/app:*")
    both = statement(arn(GITHUB), condition)
    both["Principal"] = {"Federated": [arn(GITHUB), arn(GITLAB)]}
    _, findings = lint("json", tmp_path, both)
    assert findings == []


# Another cluster of the same Region: its issuer differs from EKS's only by the id.
OTHER_EKS = "oidc.eks.eu-west-1.amazonaws.com/id/BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB"


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    "condition",
    [
        {
            "StringEquals": {
                f"{OTHER_EKS}:sub": "system:serviceaccount:payments:api",
                f"{OTHER_EKS}:aud": "sts.amazonaws.com",
            }
        },
        {"StringEquals": {f"{OTHER_EKS}:aud": "sts.amazonaws.com"}},
        {"StringEquals": {f"{GITHUB}:aud": "sts.amazonaws.com"}},
    ],
    ids=["other-cluster-sub-and-aud", "other-cluster-aud", "github-aud"],
)
def test_rl103_rl108_a_provider_whose_statement_requires_another_issuers_claim_admits_no_one(
    tmp_path: Path, form: str, condition: Any
) -> None:
    """IAM fills ``<issuer>:<claim>`` keys only from that issuer's tokens: a token of cluster
    AAAA's provider has no ``<cluster BBBB>:sub``, so StringEquals on it is false and the
    statement admits no one.  RL103 called it open to any service account (critical) and RL108
    asked for the audience, though the statement was judged so for a principal beside another
    provider's and for ``Principal "*"``, not for a provider alone."""
    _, findings = lint(form, tmp_path, statement(arn(EKS), condition))
    assert pairs(findings, "RL103", "RL108") == set()


# Statements RL611 finds never apply, each with the trust rule that judged it before: the keys
# of another cluster beside the provider's own sub of every namespace (the regression hunt's
# example), a SAML key or HCP Terraform's audience beside GitHub's sub of every repository of
# an owner, a key no web identity or SAML call carries (sts:ExternalId: RL611's catalog
# judgement), and "*" allowed only web identity under two issuers' audiences.
_NEVER_APPLYING = {
    "other-cluster-aud-beside-own-sub": statement(
        arn(EKS),
        {
            "StringEquals": {f"{OTHER_EKS}:aud": "sts.amazonaws.com"},
            "StringLike": {f"{EKS}:sub": "system:serviceaccount:*:*"},
        },
    ),
    "saml-key-beside-github-sub": statement(
        arn(GITHUB),
        {
            "StringEquals": {f"{GITHUB}:aud": "sts.amazonaws.com", "SAML:sub": "alice"},
            "StringLike": {f"{GITHUB}:sub": "repo:acme/*"},
        },
    ),
    "terraform-aud-beside-github-sub": statement(
        arn(GITHUB),
        {
            "StringEquals": {
                f"{GITHUB}:aud": "sts.amazonaws.com",
                f"{TERRAFORM}:aud": "aws.workload.identity",
            },
            "StringLike": {f"{GITHUB}:sub": "repo:acme/*"},
        },
    ),
    "github-external-id": statement(arn(GITHUB), {"StringEquals": {"sts:ExternalId": "x-71c9"}}),
    "saml-external-id": statement(
        SAML_ARN, {"StringEquals": {"sts:ExternalId": "x-71c9"}}, action=SAML
    ),
    "everyone-two-audiences": {
        "Effect": "Allow",
        "Principal": "*",
        "Action": WEB_IDENTITY,
        "Condition": {
            "StringEquals": {
                f"{GITHUB}:aud": "sts.amazonaws.com",
                f"{GITLAB}:aud": "https://gitlab.com",
            }
        },
    },
}


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("case", list(_NEVER_APPLYING))
def test_no_trust_rule_judges_a_statement_rl611_finds_never_applies(
    tmp_path: Path, form: str, case: str
) -> None:
    """An Allow RL611 reports never applies admits no one: RL103 still reported GitHub's sub of
    every repository of an owner beside a SAML key (medium), RL103 and RL108 a provider under
    sts:ExternalId (critical), RL104 a SAML provider so, and RL101 "*" under two issuers'
    audiences (critical).  Only 1c9560f's "no mandatory condition pins" form of RL103 left a
    statement bound to another issuer's claim alone.  RL611 alone speaks now."""
    _, findings = lint(form, tmp_path, _NEVER_APPLYING[case])
    assert {f.rule_id for f in findings} == {"RL611"}


def test_rl103_an_eks_provider_of_the_region_under_keys_of_two_regions_admits_no_one(
    tmp_path: Path,
) -> None:
    """``oidc.eks.${AWS::Region}...`` may be the issuer of eu-west-1 or of us-east-1, never
    both: its audience written for one Region and its subject for another are never in one
    token (RL611 reports the second), yet RL103 judged each key as the provider's and called
    the subject of every namespace critical."""
    text = """\
Resources:
  R:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal:
              Federated: !Sub >-
                arn:aws:iam::${AWS::AccountId}:oidc-provider/oidc.eks.${AWS::Region}.amazonaws.com/id/AAAA
            Action: sts:AssumeRoleWithWebIdentity
            Condition:
              StringEquals:
                oidc.eks.us-east-1.amazonaws.com/id/AAAA:aud: sts.amazonaws.com
              StringLike:
                oidc.eks.eu-west-1.amazonaws.com/id/AAAA:sub: system:serviceaccount:*:*
"""
    found = findings_of(text, "yaml", tmp_path)
    assert [(f.rule_id, f.location.line) for f in found] == [
        ("RL611", line_of(text, "eu-west-1.amazonaws.com/id/AAAA:sub"))
    ]


@pytest.mark.parametrize("form", FORMS)
def test_rl103_rl108_the_issuers_own_claim_keys_in_any_case_are_judged(
    tmp_path: Path, form: str
) -> None:
    """Condition keys and hosts compare case-insensitively: a key of the provider's issuer in
    other letters is its own claim, no other issuer's, and a namespace wildcard in it is open."""
    host = EKS.upper().replace("/ID/", "/id/")
    condition = pinned(EKS, "system:serviceaccount:*:api")
    condition["StringLike"] = {f"{host}:sub": "system:serviceaccount:*:api"}
    text, findings = lint(form, tmp_path, statement(arn(EKS), condition))
    assert pairs(findings, "RL103", "RL108") == {("RL103", line_of(text, "system:serviceaccount"))}


def test_rl103_an_issuer_holding_the_templates_region_may_be_the_one_its_keys_name(
    tmp_path: Path,
) -> None:
    """``oidc.eks.${AWS::Region}...`` in the provider's ARN and the Region written out in the
    keys may be one issuer once deployed: the keys do not exclude the provider, which is still
    judged (RL103), as it was."""
    text = """\
Resources:
  R:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal:
              Federated: !Sub >-
                arn:aws:iam::${AWS::AccountId}:oidc-provider/oidc.eks.${AWS::Region}.amazonaws.com/id/AAAA
            Action: sts:AssumeRoleWithWebIdentity
            Condition:
              StringEquals:
                oidc.eks.eu-west-1.amazonaws.com/id/AAAA:aud: sts.amazonaws.com
              StringLike:
                oidc.eks.eu-west-1.amazonaws.com/id/AAAA:sub: system:serviceaccount:*:*
"""
    assert "RL103" in {f.rule_id for f in findings_of(text, "yaml", tmp_path)}


# The EKS cluster of the Region a template is deployed in, its Region a stand-in; the keys
# write it out.  Each trust is written in CloudFormation (the id a parameter's default or
# literal) and in Terraform (the Region from data.aws_region).
_REGION_PROVIDER_CFN = """\
Parameters:
  ClusterId:
    Type: String
    Default: 5C1B2E7A9D4F6A8B0C2D4E6F8A0B2C4D
Resources:
  R:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal:
              Federated: !Sub >-
                arn:aws:iam::${{AWS::AccountId}}:oidc-provider/oidc.eks.${{AWS::Region}}.amazonaws.com/id/{cluster}
            Action: sts:AssumeRoleWithWebIdentity
{condition}"""
_REGION_PROVIDER_TF = """\
data "aws_region" "current" {{}}

locals {{
  issuer = "oidc.eks.${{data.aws_region.current.name}}.amazonaws.com/id/{cluster}"
}}

resource "aws_iam_role" "r" {{
  name = "r"
  assume_role_policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [{{
      Effect = "Allow"
      Principal = {{
        Federated = "arn:aws:iam::111122223333:oidc-provider/${{local.issuer}}"
      }}
      Action = "sts:AssumeRoleWithWebIdentity"
{condition}    }}]
  }})
}}
"""
_CLUSTER = "5C1B2E7A9D4F6A8B0C2D4E6F8A0B2C4D"
_WRITTEN_OUT = f"oidc.eks.eu-west-1.amazonaws.com/id/{_CLUSTER}"
_REGION_FORMS = ["cloudformation-parameter", "cloudformation-literal", "terraform"]


def _region_provider(form: str, conditions: dict[str, dict[str, str]]) -> tuple[str, str]:
    """A trust of the cluster's provider, its Region a stand-in, with ``conditions``
    (operator -> key -> value), and its file suffix."""
    if form == "terraform":
        lines = ["      Condition = {"] if conditions else []
        for operator, tests in conditions.items():
            lines.append(f"        {operator} = {{")
            lines += [f'          "{key}" = "{value}"' for key, value in tests.items()]
            lines.append("        }")
        lines += ["      }"] if conditions else []
        condition = "".join(f"{line}\n" for line in lines)
        return _REGION_PROVIDER_TF.format(cluster=_CLUSTER, condition=condition), "tf"
    lines = ["            Condition:"] if conditions else []
    for operator, tests in conditions.items():
        lines.append(f"              {operator}:")
        lines += [f'                {key}: "{value}"' for key, value in tests.items()]
    cluster = "${ClusterId}" if form == "cloudformation-parameter" else _CLUSTER
    condition = "".join(f"{line}\n" for line in lines)
    return _REGION_PROVIDER_CFN.format(cluster=cluster, condition=condition), "yaml"


@pytest.mark.parametrize("form", _REGION_FORMS)
def test_rl103_rl108_a_provider_of_the_deployments_region_is_pinned_by_keys_naming_the_region(
    tmp_path: Path, form: str
) -> None:
    """``oidc.eks.${AWS::Region}...`` in the provider's ARN, the Region written out in the keys
    (``oidc.eks.eu-west-1...:sub``): deployed in eu-west-1 the keys are the provider's and pin
    one service account; anywhere else they are another issuer's, no token carries them and
    StringEquals admits no one.  Either way the trust is pinned; RL103 said it was open to any
    identity (critical), asking for '<the stand-in issuer>:sub', as if the keys were not
    there."""
    text, suffix = _region_provider(
        form,
        {
            "StringEquals": {
                f"{_WRITTEN_OUT}:sub": "system:serviceaccount:kube-system:cluster-autoscaler",
                f"{_WRITTEN_OUT}:aud": "sts.amazonaws.com",
            }
        },
    )
    assert findings_of(text, suffix, tmp_path) == []


@pytest.mark.parametrize("form", _REGION_FORMS)
def test_rl103_an_eks_provider_of_the_deployments_region_is_judged_as_eks(
    tmp_path: Path, form: str
) -> None:
    """An EKS issuer whose Region is a stand-in is EKS's: a namespace wildcard in the subject
    admits every namespace (critical, at the value).  It was judged as an issuer rolelint knows
    nothing of, and the keys naming the Region were not read as its own."""
    text, suffix = _region_provider(
        form,
        {
            "StringEquals": {f"{_WRITTEN_OUT}:aud": "sts.amazonaws.com"},
            "StringLike": {f"{_WRITTEN_OUT}:sub": "system:serviceaccount:*:*"},
        },
    )
    [finding] = findings_of(text, suffix, tmp_path)
    assert (finding.rule_id, finding.location.line) == ("RL103", line_of(text, "*:*"))
    assert finding.severity is Severity.CRITICAL
    assert "service accounts of every namespace" in finding.message


@pytest.mark.parametrize("form", _REGION_FORMS)
def test_rl103_rl108_an_eks_provider_of_the_deployments_region_without_conditions(
    tmp_path: Path, form: str
) -> None:
    """Without a condition, EKS's words (any service account of any namespace) and its
    audience (RL108), as for a cluster whose Region is written out; as an unknown issuer its
    ``aud`` counted as the claim RL103 asks for, and RL108 said nothing."""
    text, suffix = _region_provider(form, {})
    findings = findings_of(text, suffix, tmp_path)
    line = line_of(text, "Federated")
    assert pairs(findings) == {("RL103", line), ("RL108", line)}
    assert "any service account of any namespace in the cluster" in only(findings, "RL103").message


@pytest.mark.parametrize("form", _REGION_FORMS)
def test_rl103_a_key_naming_the_region_pins_only_as_a_mandatory_test(
    tmp_path: Path, form: str
) -> None:
    """Deployed outside eu-west-1 a request carries no ``oidc.eks.eu-west-1...`` key, and
    ``StringEqualsIfExists`` passes it: the service account is pinned in one Region only, so
    the trust is open (RL103, at the principal), as it was."""
    text, suffix = _region_provider(
        form,
        {
            "StringEquals": {f"{_WRITTEN_OUT}:aud": "sts.amazonaws.com"},
            "StringEqualsIfExists": {f"{_WRITTEN_OUT}:sub": "system:serviceaccount:ns:sa"},
        },
    )
    findings = findings_of(text, suffix, tmp_path)
    assert pairs(findings, "RL103") == {("RL103", line_of(text, "Federated"))}
    assert only(findings, "RL103").severity is Severity.CRITICAL


# The cluster's provider, its Region a stand-in, with its audience pinned by the Allow and
# the subject by a Deny of the same provider whose one condition is {deny} (operator, key and
# value written in, the key writing the Region out or not).
_REGION_DENY_CFN = """\
Resources:
  R:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal:
              Federated: !Sub arn:aws:iam::${{AWS::AccountId}}:oidc-provider/{issuer}
            Action: sts:AssumeRoleWithWebIdentity
            Condition:
              StringEquals:
                {issuer}:aud: sts.amazonaws.com
          - Effect: Deny
            Principal:
              Federated: !Sub arn:aws:iam::${{AWS::AccountId}}:oidc-provider/{issuer}
            Action: sts:AssumeRoleWithWebIdentity
            Condition:
              {operator}:
                {key}:sub: "{value}"
"""
_REGION_DENY_TF = """\
data "aws_region" "current" {{}}

locals {{
  issuer   = "{issuer}"
  provider = "arn:aws:iam::111122223333:oidc-provider/${{local.issuer}}"
}}

resource "aws_iam_role" "r" {{
  name = "r"
  assume_role_policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [
      {{
        Effect    = "Allow"
        Principal = {{ Federated = local.provider }}
        Action    = "sts:AssumeRoleWithWebIdentity"
        Condition = {{ StringEquals = {{ "${{local.issuer}}:aud" = "sts.amazonaws.com" }} }}
      }},
      {{
        Effect    = "Deny"
        Principal = {{ Federated = local.provider }}
        Action    = "sts:AssumeRoleWithWebIdentity"
        Condition = {{
          "{operator}" = {{
            "{key}:sub" = "{value}"
          }}
        }}
      }},
    ]
  }})
}}
"""


def _region_deny(form: str, operator: str, key: str, value: str) -> tuple[str, str]:
    """The trust of :data:`_REGION_DENY_CFN` (or its Terraform twin) and its file suffix; in
    ``key``, ``<region>`` stands for the stand-in of the deployment's Region."""
    if form == "terraform":
        issuer = f"oidc.eks.${{data.aws_region.current.name}}.amazonaws.com/id/{_CLUSTER}"
        key = key.replace("<region>", "${data.aws_region.current.name}")
        code = _REGION_DENY_TF.format(issuer=issuer, operator=operator, key=key, value=value)
        return code, "tf"
    issuer = f"oidc.eks.${{AWS::Region}}.amazonaws.com/id/{_CLUSTER}"
    key = key.replace("<region>", "${AWS::Region}")
    code = _REGION_DENY_CFN.format(issuer=issuer, operator=operator, key=key, value=value)
    return code, "yaml"


# The provider's issuer as it writes it, ``<region>`` the stand-in of the deployment's.
_REGION_OWN_KEY = f"oidc.eks.<region>.amazonaws.com/id/{_CLUSTER}"


@pytest.mark.parametrize("form", ["cloudformation", "terraform"])
@pytest.mark.parametrize("key", [_WRITTEN_OUT, _REGION_OWN_KEY])
def test_rl103_a_deny_pins_the_subject_by_a_key_naming_the_region(
    tmp_path: Path, form: str, key: str
) -> None:
    """A Deny of the provider ``oidc.eks.${AWS::Region}.../id/X`` refusing, by
    ``StringNotEquals``, every ``sub`` but one service account, its key writing the Region out:
    deployed in eu-west-1 it refuses every other service account; anywhere else no token
    carries the key, the negated test is true and it refuses every token.  Either way it pins
    the subject, as the Allow's own StringEquals on that key does.  RL103 called the trust open
    to any service account (critical): a Deny counted only with the provider's exact key text.
    The key written as the provider writes it: pinned, as before."""
    code, suffix = _region_deny(form, "StringNotEquals", key, "system:serviceaccount:ns:sa")
    assert findings_of(code, suffix, tmp_path) == []


@pytest.mark.parametrize("form", ["cloudformation", "terraform"])
def test_rl103_a_deny_on_a_key_naming_the_region_is_judged_as_the_subject(
    tmp_path: Path, form: str
) -> None:
    """The mirrored Deny's value is judged as the subject's: ``StringNotLike`` every namespace
    admits every service account (critical, at the Deny's value), where RL103 said no mandatory
    condition pinned the subject at all (at the principal)."""
    code, suffix = _region_deny(form, "StringNotLike", _WRITTEN_OUT, "system:serviceaccount:*:*")
    [finding] = findings_of(code, suffix, tmp_path)
    assert (finding.rule_id, finding.location.line) == ("RL103", line_of(code, "*:*"))
    assert finding.severity is Severity.CRITICAL
    assert "service accounts of every namespace" in finding.message


@pytest.mark.parametrize("form", ["cloudformation", "terraform"])
def test_rl103_a_for_any_value_deny_on_a_key_naming_the_region_pins_nothing(
    tmp_path: Path, form: str
) -> None:
    """``ForAnyValue:StringNotEquals`` is false for a request without the key: deployed
    outside eu-west-1 the Deny refuses no one, and the trust is open (RL103 critical, at the
    principal), as it was.  On the key written as the provider writes it, whose ``sub`` every
    token carries as one value, it pins (no finding), as it did."""
    operator = "ForAnyValue:StringNotEquals"
    value = "system:serviceaccount:ns:sa"
    code, suffix = _region_deny(form, operator, _WRITTEN_OUT, value)
    findings = findings_of(code, suffix, tmp_path)
    assert [(f.rule_id, f.severity) for f in findings] == [("RL103", Severity.CRITICAL)]
    assert findings[0].location.line == line_of(code, "Federated")
    code, suffix = _region_deny(form, operator, _REGION_OWN_KEY, value)
    (tmp_path / "own").mkdir()
    assert findings_of(code, suffix, tmp_path / "own") == []


# Keys whose issuer holds the stand-in of the deployment's Region, as Terraform's aws_region
# and a CloudFormation !Sub of the whole document write them.
_STAND_IN_KEYS_TF = """\
data "aws_region" "current" {{}}

variable "provider_arn" {{
  type = string
}}

locals {{
  issuer = "oidc.eks.${{data.aws_region.current.name}}.amazonaws.com/id/{cluster}"
}}

resource "aws_iam_role" "r" {{
  name = "r"
  assume_role_policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [{{
      Effect    = "Allow"
      Principal = {principal}
      Action    = "sts:AssumeRoleWithWebIdentity"
      Condition = {{
{condition}      }}
    }}]
  }})
}}
"""
_STAND_IN_KEYS_CFN = """\
Resources:
  R:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: !Sub |
        {{
          "Version": "2012-10-17",
          "Statement": [{{
            "Effect": "Allow",
            "Principal": {principal},
            "Action": "sts:AssumeRoleWithWebIdentity",
            "Condition": {condition}
          }}]
        }}
"""
# How each form names the principal: the provider of the issuer with the stand-in, everyone,
# and (Terraform) a provider rolelint cannot resolve.
_STAND_IN_PRINCIPALS = {
    ("terraform", "provider"): (
        '{ Federated = "arn:aws:iam::111122223333:oidc-provider/${local.issuer}" }'
    ),
    ("terraform", "everyone"): '"*"',
    ("terraform", "unresolved"): "{ Federated = var.provider_arn }",
    ("cloudformation", "provider"): (
        '{"Federated": "arn:aws:iam::${AWS::AccountId}:oidc-provider/'
        f'oidc.eks.${{AWS::Region}}.amazonaws.com/id/{_CLUSTER}"}}'
    ),
    ("cloudformation", "everyone"): '"*"',
}


def _stand_in_keys(form: str, principal: str, conditions: dict[str, dict[str, str]]) -> str:
    """A trust of ``principal`` (see _STAND_IN_PRINCIPALS) with ``conditions`` (operator ->
    key -> value), ``<region>`` in a key standing for the stand-in of the deployment's."""
    written = _STAND_IN_PRINCIPALS[(form, principal)]
    if form == "terraform":
        lines = []
        for operator, tests in conditions.items():
            lines.append(f"        {operator} = {{")
            for key, value in tests.items():
                key = key.replace("<region>", "${data.aws_region.current.name}")
                lines.append(f'          "{key}" = "{value}"')
            lines.append("        }")
        condition = "".join(f"{line}\n" for line in lines)
        return _STAND_IN_KEYS_TF.format(cluster=_CLUSTER, principal=written, condition=condition)
    substituted = {
        operator: {key.replace("<region>", "${AWS::Region}"): v for key, v in values.items()}
        for operator, values in conditions.items()
    }
    return _STAND_IN_KEYS_CFN.format(principal=written, condition=json.dumps(substituted))


_STAND_IN_ISSUER = f"oidc.eks.<region>.amazonaws.com/id/{_CLUSTER}"
_SUFFIX = {"terraform": "tf", "cloudformation": "yaml"}


@pytest.mark.parametrize("form", ["terraform", "cloudformation"])
def test_rl103_rl108_a_key_whose_issuer_holds_the_region_stand_in_is_the_providers_claim(
    tmp_path: Path, form: str
) -> None:
    """``oidc.eks.${AWS::Region}.amazonaws.com/id/X:sub`` is claim ``sub`` of the issuer the
    provider names: it was split at the ``:`` inside ``${AWS::Region}``, read as a claim of an
    issuer ``oidc.eks.${AWS``, which no provider is, so a ``sub`` of ``*`` was not judged
    (RL103) and was called never met (RL611)."""
    text = _stand_in_keys(form, "provider", {"StringLike": {f"{_STAND_IN_ISSUER}:sub": "*"}})
    findings = findings_of(text, _SUFFIX[form], tmp_path)
    assert {f.rule_id for f in findings} == {"RL103", "RL108"}
    assert only(findings, "RL103").severity is Severity.CRITICAL
    assert "service accounts of every namespace" in only(findings, "RL103").message


@pytest.mark.parametrize("form", ["terraform", "cloudformation"])
def test_rl108_everyone_under_keys_writing_one_issuer_two_ways_is_judged_as_that_issuer(
    tmp_path: Path, form: str
) -> None:
    """``Principal "*"`` under a test of one service account written with the stand-in and an
    ``aud`` of ``*`` written with the Region: both keys may name one issuer, whose tokens the
    statement admits, and the audience is not pinned (RL108).  Each was taken for another
    issuer that excludes the other, and nothing was judged."""
    conditions = {
        "StringEquals": {f"{_STAND_IN_ISSUER}:sub": "system:serviceaccount:ns:sa"},
        "StringLike": {f"{_WRITTEN_OUT}:aud": "*"},
    }
    text = _stand_in_keys(form, "everyone", conditions)
    findings = findings_of(text, _SUFFIX[form], tmp_path)
    assert [f.rule_id for f in findings] == ["RL108"]


def test_rl103_an_unresolved_provider_under_keys_writing_one_issuer_two_ways_is_judged_once(
    tmp_path: Path,
) -> None:
    """A provider rolelint cannot resolve, under the audience written with the Region and a
    subject of every namespace written with the stand-in: judged once as the issuer the keys
    name (RL103 critical at the value).  Each way of writing it was taken for another issuer
    that excludes the other, and nothing was judged."""
    conditions = {
        "StringEquals": {f"{_WRITTEN_OUT}:aud": "sts.amazonaws.com"},
        "StringLike": {f"{_STAND_IN_ISSUER}:sub": "system:serviceaccount:*:*"},
    }
    text = _stand_in_keys("terraform", "unresolved", conditions)
    [finding] = findings_of(text, "tf", tmp_path)
    assert (finding.rule_id, finding.location.line) == ("RL103", line_of(text, "*:*"))
    assert finding.severity is Severity.CRITICAL


@pytest.mark.parametrize("form", FORMS)
def test_rl104_a_saml_provider_whose_statement_requires_an_oidc_claim_admits_no_one(
    tmp_path: Path, form: str
) -> None:
    """A SAML assertion carries no OIDC issuer's claims: a statement of a SAML provider alone
    that requires ``token.actions.githubusercontent.com:sub`` admits no one.  RL104 asked for
    its SAML:aud: only an OIDC principal of the statement counted as another provider."""
    condition = {"StringLike": {f"{GITHUB}:sub": "repo:acme/app:*"}}
    _, findings = lint(form, tmp_path, statement(SAML_ARN, condition, action=SAML))
    assert pairs(findings, "RL104") == set()


@pytest.mark.parametrize(
    ("like", "equals"),
    [
        ("StringLikeIfExists", "StringEqualsIfExists"),
        ("ForAllValues:StringLike", "ForAllValues:StringEquals"),
    ],
    ids=["if-exists", "for-all-values"],
)
def test_rl103_rl108_an_optional_test_of_another_providers_claim_excludes_nothing(
    tmp_path: Path, like: str, equals: str
) -> None:
    """A GitLab token has no GitHub claims, so IfExists and ForAllValues tests of them are true
    for it: any GitLab project can assume the role.  They were taken as binding the statement
    to GitHub, and GitLab got no finding."""
    condition = {
        like: {f"{GITHUB}:sub": "repo:acme/app:*"},
        equals: {f"{GITHUB}:aud": AUDIENCE[GITHUB]},
    }
    text, findings = lint("json", tmp_path, statement([arn(GITHUB), arn(GITLAB)], condition))
    line = line_of(text, arn(GITLAB))
    assert pairs(findings) == {("RL103", line), ("RL108", line)}
    assert only(findings, "RL103").severity is Severity.CRITICAL


def test_a_test_of_the_other_kind_of_providers_key_excludes_its_principals(
    tmp_path: Path,
) -> None:
    """A web-identity request has no SAML keys and a SAML request no OIDC claims: a mandatory
    positive test on one kind's key means the other kind's principal never uses the statement.
    (SAML:aud gave RL103 and RL108 for GitHub; GitHub's claims gave RL104 for the SAML
    provider.)"""
    saml_aud = {"SAML:aud": "https://signin.aws.amazon.com/saml"}
    both = statement([SAML_ARN, arn(GITHUB)], {"StringEquals": saml_aud}, [SAML, WEB_IDENTITY])
    _, findings = lint("json", tmp_path, both)
    assert findings == []
    both["Condition"] = pinned(GITHUB, "repo:acme/app:*")
    _, findings = lint("json", tmp_path, both)
    assert findings == []
    # Under IfExists the other kind's requests pass the test: both are judged.
    both["Condition"] = {"StringEqualsIfExists": saml_aud}
    text, findings = lint("json", tmp_path, both)
    github, saml = line_of(text, arn(GITHUB)), line_of(text, SAML_ARN)
    assert pairs(findings) == {("RL103", github), ("RL108", github), ("RL104", saml)}


# --- unresolved values never produce a finding ----------------------------------------------------


def test_unresolved_subject_value_is_never_reported(tmp_path: Path) -> None:
    template = tmp_path / "template.yaml"
    template.write_text(
        "Parameters:\n"
        "  Subject:\n"
        "    Type: String\n"
        "Resources:\n"
        "  Deployer:\n"
        "    Type: AWS::IAM::Role\n"
        "    Properties:\n"
        "      AssumeRolePolicyDocument:\n"
        "        Statement:\n"
        "          - Effect: Allow\n"
        "            Principal:\n"
        f"              Federated: {arn(GITHUB)}\n"
        "            Action: sts:AssumeRoleWithWebIdentity\n"
        "            Condition:\n"
        "              StringEquals:\n"
        f"                {GITHUB}:aud: !Ref Audience\n"
        "              StringLike:\n"
        f"                {GITHUB}:sub: !Ref Subject\n",
        encoding="utf-8",
    )
    report = lint_paths([str(template)])
    assert [f for f in report.findings if f.rule_id in ("RL103", "RL108")] == []


def _subject_roles(
    subjects: dict[str, str], principal: str = f"{{Federated: {arn(GITHUB)}}}"
) -> str:
    """A template with a parameter without a default, Subject, and one role per entry of
    ``subjects`` (role name: the flow value of its GitHub sub, beside the audience)."""
    template = "Parameters:\n  Subject: {Type: String}\nResources:\n"
    for name, sub in subjects.items():
        template += (
            f"  {name}:\n    Type: AWS::IAM::Role\n    Properties:\n"
            "      AssumeRolePolicyDocument:\n"
            '        Version: "2012-10-17"\n'
            "        Statement:\n"
            f"          - Effect: Allow\n            Principal: {principal}\n"
            "            Action: sts:AssumeRoleWithWebIdentity\n"
            "            Condition:\n"
            f"              StringEquals: {{{GITHUB}:aud: sts.amazonaws.com}}\n"
            f"              StringLike: {{{GITHUB}:sub: {sub}}}\n"
        )
    return template


def test_a_subject_with_no_written_value_to_judge_is_not_pinned(tmp_path: Path) -> None:
    """subject_pin, which the role card and the inventory grade a trust by, judged each value
    but those rolelint cannot resolve and found a subject pinned when none was too broad: so
    one with no written value, all unresolved (or blank beside it), was "pinned".  It is not,
    as far as rolelint can tell; one written value pinning one owner beside it still pins.
    RL103 stays silent on all three: the unresolved value may be exactly the pin."""
    template = tmp_path / "ci.yaml"
    template.write_text(
        _subject_roles(
            {
                "Unresolved": "!Ref Subject",
                "Blank": '[!Ref Subject, ""]',
                "Beside": '[!Ref Subject, "repo:acme/app:*"]',
            }
        )
    )
    audit = audit_paths([str(template)])
    pinned = {}
    for role in audit.inventory.roles:
        assert role.trust_policy is not None
        [statement] = role.trust_policy.statements
        [principal] = statement.principals
        pin = provider_pin(role.trust_policy, statement, typed(principal))
        assert pin is not None
        pinned[role.id] = pin.pinned
    assert pinned == {"Unresolved": False, "Blank": False, "Beside": True}
    assert audit.report.findings == []


def test_everyone_bound_to_github_by_an_unresolved_subject_is_left_to_rl103_and_rl108(
    tmp_path: Path,
) -> None:
    """Principal "*" under GitHub's sub admits GitHub's tokens alone: RL101 leaves it to RL103
    and RL108, as with a pinned subject, now that the views no longer call an unresolved one
    a limit.  RL103 stays silent on the value; RL108 still wants the audience."""
    template = tmp_path / "ci.yaml"
    template.write_text(
        _subject_roles({"Anyone": "!Ref Subject"}, principal="'*'").replace(
            f"              StringEquals: {{{GITHUB}:aud: sts.amazonaws.com}}\n", ""
        )
    )
    report = lint_paths([str(template)])
    assert [(f.rule_id, f.location.line) for f in report.findings] == [("RL108", 11)]


def test_a_saml_audience_pinned_by_an_unresolved_value_alone_is_undecided(
    tmp_path: Path,
) -> None:
    """audience_pin called SAML:aud from a parameter without a default pinned: RL104 must stay
    silent on it (the value may be exactly the audience), but the views grade a trust by the
    same answer and called it limited.  It is undecided now, with why; a written audience
    beside the unresolved one pins, as before, and a blank one beside it does not."""
    template = tmp_path / "saml.yaml"
    roles = {
        "Unresolved": "!Ref Audience",
        "Blank": '[!Ref Audience, ""]',
        "Written": '[!Ref Audience, "https://signin.aws.amazon.com/saml"]',
    }
    text = "Parameters:\n  Audience: {Type: String}\nResources:\n"
    for name, audience in roles.items():
        text += (
            f"  {name}:\n    Type: AWS::IAM::Role\n    Properties:\n"
            '      AssumeRolePolicyDocument:\n        Version: "2012-10-17"\n'
            "        Statement:\n"
            f"          - Effect: Allow\n            Principal: {{Federated: {SAML_ARN}}}\n"
            "            Action: sts:AssumeRoleWithSAML\n"
            f"            Condition: {{StringEquals: {{SAML:aud: {audience}}}}}\n"
        )
    template.write_text(text)
    audit = audit_paths([str(template)])
    pins = {}
    for role in audit.inventory.roles:
        assert role.trust_policy is not None
        [statement] = role.trust_policy.statements
        pin = provider_pin(role.trust_policy, statement, typed(statement.principals[0]))
        assert pin is not None
        pins[role.id] = (pin.pinned, [why for _, why in pin.undecided])
    undecided = (
        "its value is unresolved: parameter Audience has no default; nothing constrains it, so "
        "whoever deploys decides it"
    )
    assert pins == {
        "Unresolved": (False, [undecided]),
        "Blank": (False, [undecided]),
        "Written": (True, []),
    }
    assert audit.report.findings == []  # no RL104


def test_unresolved_condition_key_suppresses_the_statement(tmp_path: Path) -> None:
    # The key comes from a variable without default: it may be the very subject condition.
    module = tmp_path / "module"
    module.mkdir()
    (module / "main.tf").write_text(
        'variable "provider_host" {\n  type = string\n}\n\n'
        'data "aws_iam_policy_document" "trust" {\n'
        "  statement {\n"
        '    actions = ["sts:AssumeRoleWithWebIdentity"]\n'
        "    principals {\n"
        '      type        = "Federated"\n'
        f'      identifiers = ["{arn(GITHUB)}"]\n'
        "    }\n"
        "    condition {\n"
        '      test     = "StringLike"\n'
        '      variable = "${var.provider_host}:sub"\n'
        '      values   = ["repo:acme/*"]\n'
        "    }\n"
        "  }\n"
        "}\n\n"
        'resource "aws_iam_role" "deployer" {\n'
        '  name               = "deployer"\n'
        "  assume_role_policy = data.aws_iam_policy_document.trust.json\n"
        "}\n",
        encoding="utf-8",
    )
    report = lint_paths([str(module)])
    assert report.errors == []
    assert report.roles == 1
    assert report.findings == []


# --- RL103: Cognito guests ------------------------------------------------------------------------


@pytest.mark.parametrize("form", FORMS)
def test_rl103_cognito_role_for_signed_in_users(tmp_path: Path, form: str) -> None:
    condition = {
        "StringEquals": {f"{COGNITO}:aud": POOL},
        "ForAnyValue:StringLike": {f"{COGNITO}:amr": "authenticated"},
    }
    _, findings = lint(form, tmp_path, statement(COGNITO, condition))
    assert findings == []


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("amr", ["unauthenticated", "*authenticated", "*"])
def test_rl103_cognito_role_open_to_guests(tmp_path: Path, form: str, amr: str) -> None:
    condition = {
        "StringEquals": {f"{COGNITO}:aud": POOL},
        "ForAnyValue:StringLike": {f"{COGNITO}:amr": amr},
    }
    text, findings = lint(form, tmp_path, statement(COGNITO, condition))
    assert pairs(findings) == {("RL103", line_of(text, f'"{amr}"'))}
    [finding] = findings
    assert finding.severity is Severity.MEDIUM
    # Guest roles are a real pattern: the message explains instead of alarming.
    assert "guest" in finding.message and "otherwise require 'authenticated'" in finding.message


@pytest.mark.parametrize(
    "amr",
    [None, {"ForAnyValue:StringNotLikeIfExists": {f"{COGNITO}:amr": "authenticated"}}],
    ids=["absent", "negation-of-signed-in"],
)
def test_rl103_cognito_without_amr(tmp_path: Path, amr: Any) -> None:
    condition = {"StringEquals": {f"{COGNITO}:aud": POOL}, **(amr or {})}
    text, findings = lint("json", tmp_path, statement(COGNITO, condition))
    assert pairs(findings) == {("RL103", line_of(text, f'"{COGNITO}"'))}
    assert findings[0].severity is Severity.MEDIUM
    assert "whether or not they signed in" in findings[0].message


@pytest.mark.parametrize(
    "amr",
    [
        {"ForAnyValue:StringLikeIfExists": {f"{COGNITO}:amr": "authenticated"}},
        {"ForAllValues:StringLike": {f"{COGNITO}:amr": ["authenticated", "accounts.google.com"]}},
        {"ForAllValues:StringEqualsIfExists": {f"{COGNITO}:amr": "authenticated"}},
        {"ForAnyValue:StringNotLikeIfExists": {f"{COGNITO}:amr": "unauthenticated"}},
    ],
    ids=["if-exists", "for-all-values", "for-all-values-if-exists", "negation-if-exists"],
)
def test_rl103_cognito_amr_is_on_every_token(tmp_path: Path, amr: Any) -> None:
    """Cognito sets amr on every token it issues (["unauthenticated"] for a guest): IfExists
    changes nothing, and ForAllValues with no value matching "unauthenticated" refuses every
    guest, as _guests_denied already took it for a Deny.  RL103 said these Allows admitted
    identities whether or not they signed in."""
    condition = {"StringEquals": {f"{COGNITO}:aud": POOL}, **amr}
    _, findings = lint("json", tmp_path, statement(COGNITO, condition))
    assert findings == []


def test_rl103_cognito_for_all_values_that_admits_guests(tmp_path: Path) -> None:
    condition = {
        "StringEquals": {f"{COGNITO}:aud": POOL},
        "ForAllValues:StringLike": {f"{COGNITO}:amr": ["authenticated", "unauthenticated"]},
    }
    text, findings = lint("json", tmp_path, statement(COGNITO, condition))
    assert pairs(findings) == {("RL103", line_of(text, '"unauthenticated"'))}
    assert "admits unauthenticated (guest) identities" in findings[0].message


def test_rl103_cognito_guests_refused_by_a_negation(tmp_path: Path) -> None:
    condition = {
        "StringEquals": {f"{COGNITO}:aud": POOL},
        "ForAnyValue:StringNotLike": {f"{COGNITO}:amr": "unauthenticated"},
    }
    _, findings = lint("json", tmp_path, statement(COGNITO, condition))
    assert findings == []


def _cognito_deny(condition: dict[str, Any], principal: Any = "*") -> dict[str, Any]:
    return {
        "Effect": "Deny",
        "Principal": principal,
        "Action": WEB_IDENTITY,
        "Condition": condition,
    }


@pytest.mark.parametrize(
    "condition",
    [
        {"ForAnyValue:StringLike": {f"{COGNITO}:amr": "unauthenticated"}},
        {"ForAnyValue:StringEquals": {f"{COGNITO}:amr": ["x", "unauthenticated"]}},
        {"ForAllValues:StringNotLike": {f"{COGNITO}:amr": "authenticated"}},
        {"ForAllValues:StringNotEqualsIfExists": {f"{COGNITO}:amr": "authenticated"}},
    ],
)
def test_rl103_cognito_guests_refused_by_a_deny(tmp_path: Path, condition: Any) -> None:
    """A guest's amr is ["unauthenticated"]: these Denies refuse it whatever the Allow says
    (RL103 said the role admitted identities whether or not they signed in)."""
    allow = statement(COGNITO, {"StringEquals": {f"{COGNITO}:aud": POOL}})
    _, findings = lint("json", tmp_path, allow, _cognito_deny(condition))
    assert findings == []
    # For the pool's principal by name too.
    deny = _cognito_deny(condition, {"Federated": COGNITO})
    _, findings = lint("json", tmp_path, allow, deny)
    assert findings == []


@pytest.mark.parametrize(
    "condition",
    [
        # A set operator is needed on amr, which holds several values.
        {"StringLike": {f"{COGNITO}:amr": "unauthenticated"}},
        # The guest's "unauthenticated" matches the pattern, so the Deny does not apply to it.
        {"ForAllValues:StringNotLike": {f"{COGNITO}:amr": "*authenticated"}},
        # Refuses signed-in identities, not guests.
        {"ForAnyValue:StringLike": {f"{COGNITO}:amr": "authenticated"}},
        # The guest's only value is "unauthenticated": no value differs from it, the Deny
        # does not apply.
        {"ForAnyValue:StringNotLike": {f"{COGNITO}:amr": "unauthenticated"}},
        # Refuses guests only when another condition holds as well.
        {
            "ForAnyValue:StringLike": {f"{COGNITO}:amr": "unauthenticated"},
            "Bool": {"aws:SecureTransport": "false"},
        },
    ],
)
def test_rl103_cognito_denies_that_let_guests_through(tmp_path: Path, condition: Any) -> None:
    allow = statement(COGNITO, {"StringEquals": {f"{COGNITO}:aud": POOL}})
    text, findings = lint("json", tmp_path, allow, _cognito_deny(condition))
    assert pairs(findings) == {("RL103", line_of(text, f'"{COGNITO}"'))}
    assert "whether or not they signed in" in findings[0].message


def test_rl103_cognito_deny_of_another_principal_lets_guests_through(tmp_path: Path) -> None:
    allow = statement(COGNITO, {"StringEquals": {f"{COGNITO}:aud": POOL}})
    condition = {"ForAnyValue:StringLike": {f"{COGNITO}:amr": "unauthenticated"}}
    deny = _cognito_deny(condition, {"AWS": "arn:aws:iam::444455556666:root"})
    text, findings = lint("json", tmp_path, allow, deny)
    assert pairs(findings) == {("RL103", line_of(text, f'"{COGNITO}"'))}


def test_rl103_cognito_without_pool_is_one_critical_finding(tmp_path: Path) -> None:
    text, findings = lint("json", tmp_path, statement(COGNITO))
    assert pairs(findings) == {("RL103", line_of(text, f'"{COGNITO}"'))}
    assert findings[0].severity is Severity.CRITICAL


# --- RL108 ----------------------------------------------------------------------------------------

AUDIENCE_WORDS = {
    GITHUB: "sts.amazonaws.com",
    EKS: "sts.amazonaws.com",
    GITLAB: "id_tokens",
    TERRAFORM: "aws.workload.identity",
    BUILDKITE: "sts.amazonaws.com",
    BITBUCKET: "ari:cloud:bitbucket::workspace/",
    CIRCLECI: "organization id",
}
SUBJECTS = dict(ACCEPTED_SUBJECTS)


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("host", list(AUDIENCE_WORDS))
def test_rl108_subject_without_audience(tmp_path: Path, form: str, host: str) -> None:
    condition = {"StringLike": {f"{host}:sub": SUBJECTS[host]}}
    text, findings = lint(form, tmp_path, statement(arn(host), condition))
    assert pairs(findings) == {("RL108", line_of(text, f'"{arn(host)}"'))}
    [finding] = findings
    assert finding.severity is Severity.MEDIUM
    assert f"'{host}:aud'" in finding.message and AUDIENCE_WORDS[host] in finding.message


@pytest.mark.parametrize(
    "audience",
    [
        {"Null": {f"{GITHUB}:aud": "false"}},
        {"StringNotEquals": {f"{GITHUB}:aud": "https://github.com/evil"}},
        {"StringLike": {f"{GITHUB}:aud": "*"}},
        {"StringEquals": {f"{GITHUB}:aud": ""}},
    ],
    ids=["null", "negated", "wildcard", "empty"],
)
def test_rl108_conditions_that_do_not_pin_the_audience(tmp_path: Path, audience: Any) -> None:
    condition = {"StringEquals": {f"{GITHUB}:sub": "repo:acme/app:ref:refs/heads/main"}}
    for operator, entries in audience.items():
        condition.setdefault(operator, {}).update(entries)
    text, findings = lint("json", tmp_path, statement(arn(GITHUB), condition))
    assert pairs(findings) == {("RL108", line_of(text, arn(GITHUB)))}
    assert f"{GITHUB}:aud at line" in findings[0].message


@pytest.mark.parametrize(
    "principal", [COGNITO, "accounts.google.com", arn(GENERIC)], ids=["cognito", "google", "oidc"]
)
def test_rl108_not_for_providers_whose_audience_is_the_application(
    tmp_path: Path, principal: str
) -> None:
    host = principal.rsplit("/", 1)[-1]
    condition: dict[str, Any] = {"StringEquals": {f"{host}:aud": "app-1"}}
    if host == COGNITO:
        condition["ForAnyValue:StringLike"] = {f"{COGNITO}:amr": "authenticated"}
    _, findings = lint("json", tmp_path, statement(principal, condition))
    assert findings == []


# --- anyone, under one issuer's claims ------------------------------------------------------------

EVERYONE = {"anyone": "*", "any-aws": {"AWS": "*"}}


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("everyone", list(EVERYONE.values()), ids=list(EVERYONE))
@pytest.mark.parametrize(
    ("federated", "condition", "expected"),
    [
        (
            arn(GITHUB),
            {"StringLike": {f"{GITHUB}:sub": "repo:acme/*"}},
            [("RL103", "admits every repository of 'acme'"), ("RL108", f"'{GITHUB}:aud'")],
        ),
        (
            arn(GITHUB),
            {"StringLike": {f"{GITHUB}:sub": "repo:acme/app:*"}},
            [("RL108", f"'{GITHUB}:aud'")],
        ),
        (
            arn(EKS),
            pinned(EKS, "system:serviceaccount:payments:*"),
            [("RL103", "every service account of namespace 'payments'")],
        ),
        (
            COGNITO,
            {"StringEquals": {f"{COGNITO}:aud": POOL}},
            [("RL103", "guests get these credentials too")],
        ),
    ],
    ids=["github-owner", "github-no-audience", "eks-namespace", "cognito-guests"],
)
def test_anyone_under_one_issuers_claims_is_judged_as_that_issuers_federated_trust(
    tmp_path: Path,
    form: str,
    everyone: Any,
    federated: str,
    condition: dict[str, Any],
    expected: list[tuple[str, str]],
) -> None:
    """Principal "*" (or {"AWS": "*"}) for web identity, pinned to every repository of one
    owner, or to one repository without the audience, or to a Cognito pool without 'amr', was
    silent: RL101 rightly takes the pinned claim as the limit on who, and RL103 and RL108 judged
    Federated principals only.  Only tokens of the issuer the claim keys name pass such a test,
    so the statement trusts that issuer as the Federated form does: the same findings, the
    principal's at the "*"."""
    (tmp_path / "anyone").mkdir()
    (tmp_path / "federated").mkdir()
    written = {"Effect": "Allow", "Principal": everyone, "Action": WEB_IDENTITY}
    text, findings = lint(form, tmp_path / "anyone", {**written, "Condition": condition})
    twin_text, twin = lint(form, tmp_path / "federated", statement(federated, condition))

    def seen(found: list[Finding], code: str, principal: str) -> list[tuple[str, str, str]]:
        """Each finding with the line it points at: the principal, or the text of the line."""
        lines, at_principal = code.splitlines(), line_of(code, principal)
        return sorted(
            (
                f.rule_id,
                f.message,
                "principal"
                if f.location.line == at_principal
                else lines[f.location.line - 1].strip(),
            )
            for f in found
        )

    assert seen(findings, text, '"*"') == seen(twin, twin_text, f'"{federated}"')
    words = dict(expected)
    assert sorted(f.rule_id for f in findings) == sorted(words)
    for finding in findings:
        assert finding.severity is Severity.MEDIUM
        assert words[finding.rule_id] in finding.message
    for finding in findings:
        if finding.rule_id == "RL108" or "guests" in finding.message:
            assert finding.location.line == line_of(text, '"*"')


def test_anyone_under_two_issuers_claims_is_no_issuers_trust(tmp_path: Path) -> None:
    """No token carries the claims of two issuers: nothing to judge for either (no RL103 or
    RL108).  The statement never applies, which RL611 says at the key of the issuer tested
    second."""
    condition = {
        "StringLike": {f"{GITHUB}:sub": "repo:acme/*"},
        "StringEquals": {f"{COGNITO}:aud": POOL},
    }
    written = {"Effect": "Allow", "Principal": "*", "Action": WEB_IDENTITY, "Condition": condition}
    text, findings = lint("json", tmp_path, written)
    assert pairs(findings) == {("RL611", line_of(text, f"{COGNITO}:aud"))}


# --- a provider rolelint cannot resolve, under one issuer's claims --------------------------------

# Federated principals rolelint cannot resolve: another stack's export, a parameter without a
# default.  The provider is created once per account in a bootstrap stack and named so.
UNRESOLVED_PROVIDERS = {
    "import-value": "!ImportValue GithubOidcProviderArn",
    "parameter": "!Ref GithubOidcProviderArn",
}


def cfn_web_identity_trust(federated: str, conditions: dict[str, dict[str, str]]) -> str:
    """A CloudFormation role trusting ``federated`` (YAML as written) for web identity, under
    ``conditions`` (operator -> key -> value), one key per line."""
    lines = [
        'AWSTemplateFormatVersion: "2010-09-09"',
        "Parameters:",
        "  GithubOidcProviderArn:",
        "    Type: String",
        "Resources:",
        "  Deployer:",
        "    Type: AWS::IAM::Role",
        "    Properties:",
        "      AssumeRolePolicyDocument:",
        '        Version: "2012-10-17"',
        "        Statement:",
        "          - Effect: Allow",
        "            Principal:",
        f"              Federated: {federated}",
        "            Action: sts:AssumeRoleWithWebIdentity",
    ]
    if conditions:
        lines.append("            Condition:")
        for operator, tests in conditions.items():
            lines.append(f"              {operator}:")
            lines += [f'                {key}: "{value}"' for key, value in tests.items()]
    return "\n".join(lines) + "\n"


GITHUB_AUDIENCE = {"StringEquals": {f"{GITHUB}:aud": "sts.amazonaws.com"}}
JUDGED_BY_CLAIM_KEYS = [
    (GITHUB_AUDIENCE, [("RL103", "principal", Severity.CRITICAL)]),
    (
        {**GITHUB_AUDIENCE, "StringLike": {f"{GITHUB}:sub": "repo:*"}},
        [("RL103", '"repo:*"', Severity.CRITICAL)],
    ),
    (
        {"StringLike": {f"{GITHUB}:sub": "repo:acme/*"}},
        [("RL103", '"repo:acme/*"', Severity.MEDIUM), ("RL108", "principal", Severity.MEDIUM)],
    ),
]


@pytest.mark.parametrize(
    "federated", list(UNRESOLVED_PROVIDERS.values()), ids=list(UNRESOLVED_PROVIDERS)
)
@pytest.mark.parametrize(
    ("conditions", "expected"), JUDGED_BY_CLAIM_KEYS, ids=["no-subject", "any-owner", "owner"]
)
def test_unresolved_provider_under_one_issuers_claims_is_judged_as_that_issuers_trust(
    tmp_path: Path,
    federated: str,
    conditions: dict[str, dict[str, str]],
    expected: list[tuple[str, str, Severity]],
) -> None:
    """A provider named by `!ImportValue` or a parameter without a default was never judged,
    even under `repo:*`: IAM fills `<issuer>:<claim>` keys only from that issuer's tokens, so
    the statement admits that issuer's tokens alone whatever the provider is.  It gets what the
    provider's literal ARN gets, at the same places, and the message says how it was judged."""
    text = cfn_web_identity_trust(federated, conditions)
    twin_text = cfn_web_identity_trust(arn(GITHUB), conditions)
    (tmp_path / "unresolved").mkdir()
    (tmp_path / "literal").mkdir()
    findings = findings_of(text, "yaml", tmp_path / "unresolved")
    twin = findings_of(twin_text, "yaml", tmp_path / "literal")
    where = {"principal": line_of(text, "Federated:")}
    assert sorted((f.rule_id, f.location.line, f.severity) for f in findings) == sorted(
        (rule, where.get(at) or line_of(text, at), severity) for rule, at, severity in expected
    )
    assert [(f.rule_id, f.location.line) for f in findings] == [
        (f.rule_id, f.location.line) for f in twin
    ]
    for finding, literal in zip(findings, twin, strict=True):
        assert finding.message.startswith(literal.message)
        assert finding.message.endswith(
            f". Its Federated principal could not be resolved: it is judged as a trust of "
            f"'{GITHUB}', whose tokens alone carry the claims its condition keys name."
        )


def test_unresolved_terraform_provider_under_one_issuers_claims_is_judged(tmp_path: Path) -> None:
    """The same in Terraform: a provider ARN from a variable without a default."""
    module = tmp_path / "module"
    module.mkdir()
    code = (
        'variable "github_provider_arn" {\n  type = string\n}\n\n'
        'resource "aws_iam_role" "gha" {\n'
        '  name = "gha-deploy"\n'
        "  assume_role_policy = jsonencode({\n"
        '    Version = "2012-10-17"\n'
        "    Statement = [{\n"
        '      Effect    = "Allow"\n'
        '      Action    = "sts:AssumeRoleWithWebIdentity"\n'
        "      Principal = { Federated = var.github_provider_arn }\n"
        "      Condition = {\n"
        f'        StringEquals = {{ "{GITHUB}:aud" = "sts.amazonaws.com" }}\n'
        f'        StringLike   = {{ "{GITHUB}:sub" = "repo:*" }}\n'
        "      }\n"
        "    }]\n"
        "  })\n"
        "}\n"
    )
    (module / "main.tf").write_text(code, encoding="utf-8")
    report = lint_paths([str(module)])
    assert report.errors == []
    [finding] = report.findings
    assert (finding.rule_id, finding.severity) == ("RL103", Severity.CRITICAL)
    assert finding.location.line == line_of(code, '"repo:*"')
    assert "which admits workflows of any GitHub owner" in finding.message
    assert "Its Federated principal could not be resolved" in finding.message


@pytest.mark.parametrize(
    "conditions",
    [
        {},
        {"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}},
        {"StringEqualsIfExists": {f"{GITHUB}:aud": "sts.amazonaws.com"}},
        {"StringNotLike": {f"{GITHUB}:sub": "repo:acme/*"}},
        {**GITHUB_AUDIENCE, "StringLike": {f"{GITHUB}:sub": "repo:acme/app:*"}},
    ],
    ids=["no-condition", "no-issuer-key", "if-exists", "negated", "pinned"],
)
def test_unresolved_provider_without_one_issuers_claims_stays_silent(
    tmp_path: Path, conditions: dict[str, dict[str, str]]
) -> None:
    """Unresolved never yields a finding by itself: without a mandatory positive test of one
    issuer's claim the statement may admit another issuer's tokens (IfExists and a negation pass
    a token without the key).  A statement requiring two issuers' claims admits none, whichever
    provider it names: RL611 says so, with a note that the principal is unresolved
    (test_conditions.py, test_an_unresolved_provider_under_two_issuers_claims_admits_no_one)."""
    text = cfn_web_identity_trust(UNRESOLVED_PROVIDERS["import-value"], conditions)
    assert findings_of(text, "yaml", tmp_path) == []


# --- RL107 ----------------------------------------------------------------------------------------

WRONG_ACTIONS = [
    (arn(GITHUB), "sts:AssumeRole", WEB_IDENTITY),
    (arn(GITHUB), SAML, WEB_IDENTITY),
    (COGNITO, "sts:AssumeRole", WEB_IDENTITY),
    (SAML_ARN, "sts:AssumeRole", SAML),
    (SAML_ARN, WEB_IDENTITY, SAML),
]


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(("principal", "action", "right"), WRONG_ACTIONS)
def test_rl107_federated_principal_with_the_wrong_action(
    tmp_path: Path, form: str, principal: str, action: str, right: str
) -> None:
    text, findings = lint(form, tmp_path, statement(principal, action=[action, "sts:TagSession"]))
    assert pairs(findings) == {("RL107", line_of(text, f'"{action}"'))}
    [finding] = findings
    assert finding.severity is Severity.MEDIUM
    assert f"never call {action}" in finding.message and f"Allow {right}" in finding.message


@pytest.mark.parametrize(
    "nameless",
    ["arn:aws:iam::111122223333:saml-provider/", "arn:aws:iam::111122223333:oidc-provider/"],
)
def test_rl107_leaves_a_provider_arn_without_a_name_to_rl111(tmp_path: Path, nameless: str) -> None:
    """A provider ARN with no name names no provider (RL111): no party calls the wrong action.
    RL107 called it "SAML provider 'arn:aws:iam::111122223333:saml-provider/'"."""
    text, findings = lint("json", tmp_path, statement(nameless, action="sts:AssumeRole"))
    assert pairs(findings) == {("RL111", line_of(text, nameless))}


@pytest.mark.parametrize(
    "action",
    ["sts:*", "sts:AssumeRole*", ["sts:AssumeRole", WEB_IDENTITY], "*"],
    ids=["sts-star", "assume-role-star", "both", "star"],
)
def test_rl107_actions_that_include_the_right_one(tmp_path: Path, action: Any) -> None:
    condition = pinned(GITHUB, "repo:acme/app:*")
    _, findings = lint("json", tmp_path, statement(arn(GITHUB), condition, action=action))
    assert [f for f in findings if f.rule_id == "RL107"] == []


def test_rl107_ignores_other_principals(tmp_path: Path) -> None:
    service = {
        "Effect": "Allow",
        "Principal": {"Service": "ec2.amazonaws.com"},
        "Action": "sts:AssumeRole",
    }
    _, findings = lint("json", tmp_path, service)
    assert findings == []


def test_rl107_unresolved_action_is_never_reported(tmp_path: Path) -> None:
    template = tmp_path / "template.yaml"
    template.write_text(
        "Parameters:\n"
        "  TrustAction:\n"
        "    Type: String\n"
        "Resources:\n"
        "  Deployer:\n"
        "    Type: AWS::IAM::Role\n"
        "    Properties:\n"
        "      AssumeRolePolicyDocument:\n"
        "        Statement:\n"
        "          - Effect: Allow\n"
        "            Principal:\n"
        f"              Federated: {SAML_ARN}\n"
        "            Action:\n"
        "              - sts:AssumeRole\n"
        "              - !Ref TrustAction\n",
        encoding="utf-8",
    )
    report = lint_paths([str(template)])
    assert [f for f in report.findings if f.rule_id == "RL107"] == []


# --- RL104 ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "condition",
    [
        None,
        {"StringEqualsIfExists": {"SAML:aud": "https://signin.aws.amazon.com/saml"}},
        {"StringEquals": {"SAML:sub": "alice"}},
        {"ForAllValues:StringEquals": {"SAML:aud": "https://signin.aws.amazon.com/saml"}},
        {"Null": {"SAML:aud": "false"}},
        {"StringLike": {"SAML:aud": "*"}},
    ],
    ids=["none", "if-exists", "other-key", "for-all-values", "null", "wildcard"],
)
def test_rl104_missing_audience(tmp_path: Path, condition: Any) -> None:
    text, findings = lint("json", tmp_path, statement(SAML_ARN, condition, action=SAML))
    assert pairs(findings) == {("RL104", line_of(text, SAML_ARN))}
    assert "CorpIdP" in findings[0].message


@pytest.mark.parametrize("form", FORMS)
def test_rl104_an_audience_of_wildcards_is_said_to_match_every_assertion(
    tmp_path: Path, form: str
) -> None:
    """A SAML provider issues assertions, not tokens: the note on a ``SAML:aud`` of wildcards
    alone said its values "match every token"."""
    condition = {"StringLike": {"SAML:aud": "*"}}
    text, findings = lint(form, tmp_path, statement(SAML_ARN, condition, action=SAML))
    finding = only(findings, "RL104")
    assert finding.location.line == line_of(text, SAML_ARN)
    note = f"(StringLike SAML:aud at line {line_of(text, 'SAML:aud')}: "
    assert f"{note}its values match every assertion)" in finding.message
    assert "token" not in finding.message


def test_rl104_names_a_provider_named_by_a_parameter_as_unresolved(tmp_path: Path) -> None:
    """A SAML provider whose Name is a parameter without a default had the stand-in of the name
    CloudFormation generates when none is given, and RL104 (the graph, the inventory) quoted
    it as '<generated:Saml>': whoever deploys the template chooses that name.  It is said in
    words, as every stand-in is (it was quoted as '<unresolved name:Saml>')."""
    text = """\
Parameters:
  IdpName: {Type: String}
Resources:
  Saml:
    Type: AWS::IAM::SAMLProvider
    Properties:
      Name: !Ref IdpName
      SamlMetadataDocument: x
  Sso:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Principal: {Federated: !Ref Saml}, Action: sts:AssumeRoleWithSAML}
"""
    [finding] = findings_of(text, "yaml", tmp_path)
    assert (finding.rule_id, finding.location.line) == ("RL104", line_of(text, "Federated"))
    assert finding.message.startswith(
        "Trust policy of role Sso accepts SAML assertions from '<unresolved name>' without"
    )


@pytest.mark.parametrize("form", FORMS)
def test_rl104_audience_pinned(tmp_path: Path, form: str) -> None:
    condition = {"StringEquals": {"saml:aud": "https://signin.aws.amazon.com/saml"}}
    _, findings = lint(form, tmp_path, statement(SAML_ARN, condition, action=SAML))
    assert findings == []


@pytest.mark.parametrize("operator", ["StringNotEquals", "StringNotEqualsIfExists"])
def test_rl104_deny_of_every_other_audience_pins_it(tmp_path: Path, operator: str) -> None:
    # IfExists adds nothing to a negated operator, true for an assertion without the key.
    deny = {
        "Effect": "Deny",
        "Principal": "*",
        "Action": SAML,
        "Condition": {operator: {"SAML:aud": "https://signin.aws.amazon.com/saml"}},
    }
    _, findings = lint("json", tmp_path, statement(SAML_ARN, action=SAML), deny)
    assert findings == []


def test_rl108_deny_of_every_other_audience_pins_it(tmp_path: Path) -> None:
    allow = statement(arn(GITHUB), {"StringLike": {f"{GITHUB}:sub": "repo:acme/app:*"}})
    deny = deny_unless({"StringNotEquals": {f"{GITHUB}:aud": "sts.amazonaws.com"}})
    _, findings = lint("json", tmp_path, allow, deny)
    assert findings == []
    # A Deny that names another principal does not limit the federated tokens.
    deny["Principal"] = {"AWS": "arn:aws:iam::444455556666:root"}
    other = tmp_path / "other"
    other.mkdir()
    text, findings = lint("json", other, allow, deny)
    assert pairs(findings) == {("RL108", line_of(text, arn(GITHUB)))}


SAML_AUDIENCE = "https://signin.aws.amazon.com/saml"


@pytest.mark.parametrize("form", FORMS)
def test_rl104_an_audience_one_of_whose_values_matches_every_assertion_pins_nothing(
    tmp_path: Path, form: str
) -> None:
    """The values of one test are alternatives: under StringLike ``["*", <the AWS
    audience>]`` admits an assertion of any audience, as ``"*"`` alone does.  RL104 took the
    second value for a pin and said nothing, and the views graded the trust limited."""
    condition = {"StringLike": {"SAML:aud": ["*", SAML_AUDIENCE]}}
    text, findings = lint(form, tmp_path, statement(SAML_ARN, condition, action=SAML))
    finding = only(findings, "RL104")
    assert finding.location.line == line_of(text, SAML_ARN)
    assert "its value '*' matches every assertion, whatever the others name" in finding.message


def test_rl104_a_deny_one_of_whose_values_matches_every_assertion_pins_nothing(
    tmp_path: Path,
) -> None:
    """A Deny's negated values are NOR-ed: ``StringNotLike ["*", <audience>]`` refuses no
    assertion, and admits every audience as the positive test it amounts to does."""
    deny = {
        "Effect": "Deny",
        "Principal": "*",
        "Action": SAML,
        "Condition": {"StringNotLike": {"SAML:aud": ["*", SAML_AUDIENCE]}},
    }
    text, findings = lint("json", tmp_path, statement(SAML_ARN, action=SAML), deny)
    assert pairs(findings) == {("RL104", line_of(text, SAML_ARN))}
    # Every value pinning, the Deny pins the audience.
    deny["Condition"] = {"StringNotLike": {"SAML:aud": [SAML_AUDIENCE, "urn:amazon:webservices"]}}
    pinned_too = tmp_path / "pinned"
    pinned_too.mkdir()
    _, findings = lint("json", pinned_too, statement(SAML_ARN, action=SAML), deny)
    assert findings == []


@pytest.mark.parametrize("form", FORMS)
def test_rl108_an_audience_one_of_whose_values_matches_every_token_pins_nothing(
    tmp_path: Path, form: str
) -> None:
    """GitHub's ``aud`` under StringLike ``["*", "sts.amazonaws.com"]`` admits a token minted
    for any audience: RL108, as for ``"*"`` alone."""
    condition = {
        "StringLike": {
            f"{GITHUB}:aud": ["*", "sts.amazonaws.com"],
            f"{GITHUB}:sub": "repo:acme/app:*",
        }
    }
    text, findings = lint(form, tmp_path, statement(arn(GITHUB), condition))
    assert pairs(findings) == {("RL108", line_of(text, f'"{arn(GITHUB)}"'))}
    assert "its value '*' matches every token, whatever the others name" in findings[0].message


def test_a_value_matching_every_assertion_beside_an_unresolved_one_pins_nothing(
    tmp_path: Path,
) -> None:
    """A value rolelint cannot resolve may be narrow, but ``"*"`` beside it admits every
    audience whatever it is: RL104 reports the trust and the views do not call it pinned.
    An unresolved value beside a written audience still pins (silent); beside a blank one it
    is undecided, as before."""
    roles = {
        "Every": '["*", !Ref Audience]',
        "Written": f'[!Ref Audience, "{SAML_AUDIENCE}"]',
        "Both": f'["*", "{SAML_AUDIENCE}"]',
        "Pinned": f'["{SAML_AUDIENCE}", "urn:amazon:webservices"]',
    }
    text = "Parameters:\n  Audience: {Type: String}\nResources:\n"
    for name, audience in roles.items():
        text += (
            f"  {name}:\n    Type: AWS::IAM::Role\n    Properties:\n"
            '      AssumeRolePolicyDocument:\n        Version: "2012-10-17"\n'
            "        Statement:\n"
            f"          - Effect: Allow\n            Principal: {{Federated: {SAML_ARN}}}\n"
            "            Action: sts:AssumeRoleWithSAML\n"
            f"            Condition: {{StringLike: {{SAML:aud: {audience}}}}}\n"
        )
    template = tmp_path / "saml.yaml"
    template.write_text(text)
    audit = audit_paths([str(template)])
    pins = {}
    for role in audit.inventory.roles:
        assert role.trust_policy is not None
        [statement_] = role.trust_policy.statements
        pin = provider_pin(role.trust_policy, statement_, typed(statement_.principals[0]))
        assert pin is not None
        pins[role.id] = (pin.pinned, bool(pin.undecided))
    assert pins == {
        "Every": (False, False),
        "Written": (True, False),
        "Both": (False, False),
        "Pinned": (True, False),
    }
    flagged = {f.location.line for f in audit.report.findings if f.rule_id == "RL104"}
    assert flagged == {line_of(text, SAML_ARN, 1), line_of(text, SAML_ARN, 3)}  # Every, Both


def test_a_condition_with_a_computed_key_silences_the_claim_rules(tmp_path: Path) -> None:
    # jsonencode with an interpolated key: rolelint cannot read the Condition, which may be the
    # very pin the rules look for, so neither RL103 nor RL108 guesses.
    module = tmp_path / "ci"
    module.mkdir()
    (module / "main.tf").write_text(
        'variable "issuer" { type = string }\n'
        'resource "aws_iam_role" "ci" {\n'
        "  assume_role_policy = jsonencode({\n"
        '    Version = "2012-10-17"\n'
        "    Statement = [{\n"
        '      Effect    = "Allow"\n'
        f'      Principal = {{ Federated = "arn:aws:iam::{ACCOUNT}:oidc-provider/{GITHUB}" }}\n'
        '      Action    = "sts:AssumeRoleWithWebIdentity"\n'
        '      Condition = { StringEquals = { "${var.issuer}:sub" = "repo:acme/app:*" } }\n'
        "    }]\n"
        "  })\n"
        "}\n"
    )
    report = lint_paths([str(module)])
    assert report.errors == [] and report.findings == []


@pytest.mark.parametrize(
    ("reference", "provider", "action", "rule"),
    [
        (
            "!Ref Provider",
            "Type: AWS::IAM::OIDCProvider\n    Properties:\n"
            "      Url: https://token.actions.githubusercontent.com",
            "sts:AssumeRoleWithWebIdentity",
            "RL103",
        ),
        (
            "!GetAtt Provider.Arn",
            "Type: AWS::IAM::OIDCProvider\n    Properties:\n"
            "      Url: https://token.actions.githubusercontent.com",
            "sts:AssumeRoleWithWebIdentity",
            "RL103",
        ),
        (
            "!Ref Provider",
            "Type: Custom::AWSCDKOpenIdConnectProvider\n    Properties:\n"
            "      Url: https://token.actions.githubusercontent.com",
            "sts:AssumeRoleWithWebIdentity",
            "RL103",
        ),
        (
            "!Ref Provider",
            "Type: AWS::IAM::SAMLProvider\n    Properties:\n      Name: CorpIdP",
            "sts:AssumeRoleWithSAML",
            "RL104",
        ),
    ],
)
def test_a_provider_of_the_template_is_known_by_its_ref(
    tmp_path: Path, reference: str, provider: str, action: str, rule: str
) -> None:
    # Ref (and GetAtt .Arn) of an AWS::IAM::OIDCProvider or SAMLProvider is its ARN, and so is
    # Ref of the custom resource CDK's iam.OpenIdConnectProvider synthesizes.
    template = tmp_path / "template.yaml"
    template.write_text(
        "Resources:\n"
        "  Provider:\n"
        f"    {provider}\n"
        "  Role:\n"
        "    Type: AWS::IAM::Role\n"
        "    Properties:\n"
        "      AssumeRolePolicyDocument:\n"
        '        Version: "2012-10-17"\n'
        "        Statement:\n"
        "          - Effect: Allow\n"
        f"            Principal: {{Federated: {reference}}}\n"
        f"            Action: {action}\n"
    )
    report = lint_paths([str(template)])
    assert report.errors == []
    line = (
        template.read_text()
        .splitlines()
        .index(f"            Principal: {{Federated: {reference}}}")
    )
    assert (rule, line + 1) in {(f.rule_id, f.location.line) for f in report.findings}
    assert not any("could not be resolved" in f.message for f in report.findings)


# What `cdk synth` writes for `new iam.OpenIdConnectProvider(...)`: a custom resource whose Ref
# is the provider's ARN, as AWS::IAM::OIDCProvider's is (aws-cdk-lib's RESOURCE_TYPE).
CDK_PROVIDER = {
    "Type": "Custom::AWSCDKOpenIdConnectProvider",
    "Properties": {
        "ServiceToken": {
            "Fn::GetAtt": [
                "CustomAWSCDKOpenIdConnectProviderCustomResourceProviderHandlerF2C543E0",
                "Arn",
            ]
        },
        "ClientIDList": ["sts.amazonaws.com"],
        "Url": f"https://{GITHUB}",
        "CodeHash": "0123abcd",
    },
}


def cdk_template(url: Any, condition: dict[str, Any]) -> str:
    """A cdk.out template (JSON): the GitHub provider and a role trusting it by Ref."""
    provider = json.loads(json.dumps(CDK_PROVIDER))
    provider["Properties"]["Url"] = url
    trust = {
        "Action": WEB_IDENTITY,
        "Condition": condition,
        "Effect": "Allow",
        "Principal": {"Federated": {"Ref": "GithubProviderB4C3E1D2"}},
    }
    role = {
        "Type": "AWS::IAM::Role",
        "Properties": {
            "AssumeRolePolicyDocument": {"Statement": [trust], "Version": "2012-10-17"},
            "ManagedPolicyArns": [
                {
                    "Fn::Join": [
                        "",
                        ["arn:", {"Ref": "AWS::Partition"}, ":iam::aws:policy/AdministratorAccess"],
                    ]
                }
            ],
        },
    }
    template = {
        "Parameters": {"IssuerUrl": {"Type": "String"}},
        "Resources": {"GithubProviderB4C3E1D2": provider, "DeployRole4A8C1F2D": role},
    }
    return json.dumps(template, indent=1)


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        (
            {"StringEquals": {f"{GITHUB}:aud": "sts.amazonaws.com"}},
            [("RL103", '"Federated"', "no mandatory condition pins")],
        ),
        (
            {"StringLike": {f"{GITHUB}:sub": "repo:*"}},
            [
                ("RL103", '"repo:*"', "which admits workflows of any GitHub owner"),
                ("RL108", '"Federated"', "without pinning the token audience"),
            ],
        ),
    ],
    ids=["no-subject", "any-owner"],
)
def test_a_cdk_oidc_provider_of_the_template_is_known_by_its_ref(
    tmp_path: Path, condition: dict[str, Any], expected: list[tuple[str, str, str]]
) -> None:
    """CDK's iam.OpenIdConnectProvider is a Custom::AWSCDKOpenIdConnectProvider, whose Ref is
    the provider ARN: `Federated: {"Ref": ...}` stayed unresolved, so a GitHub trust with
    AdministratorAccess was never judged, even under `repo:*`.  Its Url gives the issuer."""
    text = cdk_template(f"https://{GITHUB}", condition)
    found = findings_of(text, "template.json", tmp_path)
    trust = sorted(
        (f.rule_id, f.location.line, f.severity) for f in found if f.rule_id.startswith("RL10")
    )
    assert trust == sorted(
        (rule, line_of(text, at), Severity.CRITICAL if rule == "RL103" else Severity.MEDIUM)
        for rule, at, _ in expected
    )
    for rule, _, words in expected:
        message = only(found, rule).message
        assert words in message
        assert "could not be resolved" not in message  # the provider is known


def test_a_cdk_oidc_provider_whose_url_is_not_known_is_judged_by_the_claim_keys(
    tmp_path: Path,
) -> None:
    """A Url rolelint cannot resolve leaves the ARN unknown: the trust is judged as the issuer
    its claim keys name, saying so."""
    condition = {"StringLike": {f"{GITHUB}:sub": "repo:*"}}
    text = cdk_template({"Ref": "IssuerUrl"}, condition)
    found = findings_of(text, "template.json", tmp_path)
    rl103 = only(found, "RL103")
    assert (rl103.location.line, rl103.severity) == (line_of(text, '"repo:*"'), Severity.CRITICAL)
    assert "Its Federated principal could not be resolved" in rl103.message


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("denied", [{"Federated": SAML_ARN}, "*"])
def test_rl104_a_provider_a_deny_refuses_is_not_reported(
    form: str, tmp_path: Path, denied: Any
) -> None:
    """An unconditional Deny of the SAML provider (or of everyone) refuses its assertions: no
    assertion gets in, whatever its audience, and RL104 still reported it."""
    deny = {"Effect": "Deny", "Principal": denied, "Action": SAML}
    _, findings = lint(form, tmp_path, statement(SAML_ARN, action=SAML), deny)
    assert findings == []


def test_unresolved_provider_beside_everyone_is_judged_once(tmp_path: Path) -> None:
    """`AWS: "*"` beside an unresolved Federated principal: both paths judged GitHub for the
    statement, so RL103 and RL108 each came twice at one place (a suppression covered one)."""
    text = cfn_web_identity_trust(
        UNRESOLVED_PROVIDERS["import-value"], {"StringLike": {f"{GITHUB}:sub": "repo:acme/*"}}
    ).replace(
        "              Federated: !ImportValue GithubOidcProviderArn\n",
        '              Federated: !ImportValue GithubOidcProviderArn\n              AWS: "*"\n',
    )
    findings = findings_of(text, "yaml", tmp_path)
    assert sorted(f.rule_id for f in findings) == ["RL103", "RL108"]


def _deny_of(provider: str, condition: bool) -> str:
    lines = (
        "          - Effect: Deny\n"
        "            Principal:\n"
        f"              Federated: {provider}\n"
        "            Action: sts:AssumeRoleWithWebIdentity\n"
    )
    if condition:
        lines += (
            "            Condition:\n"
            "              StringNotLike:\n"
            f'                {GITHUB}:sub: "repo:acme/app:*"\n'
        )
    return lines


OWN_PROVIDER = f"!Sub arn:aws:iam::${{AWS::AccountId}}:oidc-provider/{GITHUB}"


@pytest.mark.parametrize("condition", [True, False], ids=["pinning-sub", "unconditional"])
def test_unresolved_provider_is_limited_by_a_deny_naming_its_issuers_provider(
    tmp_path: Path, condition: bool
) -> None:
    """A Deny naming the role's account's GitHub provider: the only provider whose tokens pass
    the Allow (an account has one per issuer URL), yet the unresolved Allow was judged
    critical, while the literal Allow was silent.  One refusing every other repository pins
    `sub`; one without a condition refuses everything."""
    text = cfn_web_identity_trust(UNRESOLVED_PROVIDERS["import-value"], GITHUB_AUDIENCE)
    twin = cfn_web_identity_trust(OWN_PROVIDER, GITHUB_AUDIENCE)
    for name, allow in (("unresolved", text), ("literal", twin)):
        (tmp_path / name).mkdir()
        written = allow + _deny_of(OWN_PROVIDER, condition)
        assert [f.rule_id for f in findings_of(written, "yaml", tmp_path / name)] == [], name


@pytest.mark.parametrize("condition", [True, False], ids=["pinning-sub", "unconditional"])
def test_a_deny_of_another_accounts_provider_does_not_limit_an_unresolved_one(
    tmp_path: Path, condition: bool
) -> None:
    """Another account's provider is not the role's: such a Deny silenced a critical RL103,
    though it limits nothing the literal provider of the role's account admits."""
    text = cfn_web_identity_trust(UNRESOLVED_PROVIDERS["import-value"], GITHUB_AUDIENCE)
    written = text + _deny_of(f"arn:aws:iam::999999999999:oidc-provider/{GITHUB}", condition)
    assert [(f.rule_id, f.severity) for f in findings_of(written, "yaml", tmp_path)] == [
        ("RL103", Severity.CRITICAL)
    ]


def test_unresolved_provider_beside_everyone_without_sub_keeps_rl103(tmp_path: Path) -> None:
    """`AWS: "*"` beside it with no `sub` test: the fix judging the issuer once judged it not
    at all (the everyone path judges only a statement its claims bind)."""
    text = cfn_web_identity_trust(UNRESOLVED_PROVIDERS["import-value"], GITHUB_AUDIENCE).replace(
        "              Federated: !ImportValue GithubOidcProviderArn\n",
        '              Federated: !ImportValue GithubOidcProviderArn\n              AWS: "*"\n',
    )
    assert "RL103" in [f.rule_id for f in findings_of(text, "yaml", tmp_path)]


SAML_PROVIDER_OF_ODD_ID = """\
Resources:
  "Idp>x":
    Type: AWS::IAM::SAMLProvider
    Properties:
      SamlMetadataDocument: "<xml/>"
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {Federated: !Ref "Idp>x"}
            Action: sts:AssumeRoleWithSAML
"""


def test_a_saml_provider_stand_in_escapes_a_greater_than_of_its_logical_id(
    tmp_path: Path,
) -> None:
    """The stand-in for a SAML provider's generated name was written ``<generated:Idp>x>``
    without escaping: it ended at the first ">", and the finding named the provider
    ``'<a name CloudFormation generates>x>'``.  The logical id is escaped as every other
    stand-in's text is; the fingerprint, which reads it unescaped, stays."""
    [finding] = [
        f for f in findings_of(SAML_PROVIDER_OF_ODD_ID, ".yaml", tmp_path) if f.rule_id == "RL104"
    ]
    assert "from '<a name CloudFormation generates>' without" in finding.message


# A Deny whose negated test is on a key of another issuer than its provider's: no token of the
# provider carries the key, the negated test is true without it, so the Deny refuses them all.
_DENIED_BY_ANOTHER_ISSUERS_KEY = {
    "other-cluster-sub": {"StringNotEquals": {f"{OTHER_EKS}:sub": "system:serviceaccount:a:b"}},
    "other-cluster-sub-if-exists": {
        "StringNotEqualsIfExists": {f"{OTHER_EKS}:sub": "system:serviceaccount:a:b"}
    },
    "saml-aud": {"StringNotEquals": {"SAML:aud": "https://signin.aws.amazon.com/saml"}},
    "github-sub": {"StringNotLike": {f"{GITHUB}:sub": "repo:acme/app:*"}},
}


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("case", list(_DENIED_BY_ANOTHER_ISSUERS_KEY))
def test_rl103_a_deny_on_another_issuers_key_refuses_every_token_of_the_provider(
    tmp_path: Path, form: str, case: str
) -> None:
    """``Deny StringNotEquals <another cluster>:sub`` under the cluster's provider refuses every
    token of that provider: none carries the other issuer's key, and a negated test is true
    without its key.  RL103 called the trust open to every service account (critical), and
    ``rolelint roles`` listed the provider as scoped.  The Deny certainly applies to the
    provider's every request (graph.hops.certainly_refused, the machinery an unconditional
    Deny already goes through): nobody gets in, and no rule reports the Allow, as none reports
    one an unconditional Deny refuses.  Its condition is met, not never met: no RL611 either."""
    deny = statement(arn(EKS), _DENIED_BY_ANOTHER_ISSUERS_KEY[case], effect="Deny")
    _, findings = lint(form, tmp_path, statement(arn(EKS), pinned(EKS)), deny)
    assert [(f.rule_id, f.message) for f in findings] == []


@pytest.mark.parametrize("form", FORMS)
def test_rl103_a_deny_on_a_key_the_providers_tokens_may_carry_still_refuses_some(
    tmp_path: Path, form: str
) -> None:
    """The Deny's key is the provider's own claim (its issuer in other letters), or a test
    ``ForAnyValue`` makes false without the key: some token passes it, and RL103 judges the
    Allow's subject (none: critical) or the Deny's (one service account: none) as before."""
    own = EKS.upper().replace("/ID/", "/id/")
    pins = statement(
        arn(EKS), {"StringNotEquals": {f"{own}:sub": "system:serviceaccount:a:b"}}, effect="Deny"
    )
    _, findings = lint(form, tmp_path, statement(arn(EKS), pinned(EKS)), pins)
    assert [f.rule_id for f in findings] == []
    any_value = statement(
        arn(EKS),
        {"ForAnyValue:StringNotEquals": {f"{OTHER_EKS}:sub": "system:serviceaccount:a:b"}},
        effect="Deny",
    )
    (tmp_path / "any").mkdir()
    _, findings = lint(form, tmp_path / "any", statement(arn(EKS), pinned(EKS)), any_value)
    assert [f.rule_id for f in findings] == ["RL103"]
