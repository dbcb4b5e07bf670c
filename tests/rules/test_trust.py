"""Trust open to anyone (RL101): principals, graded conditions and Denies."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from rolelint.findings import Finding, Severity
from tests.rules.forms import FORMS, lint_trust
from tests.rules.harness import findings_of, line_of, lint_file, policy

ASSUME = "sts:AssumeRole"
WEB_IDENTITY = "sts:AssumeRoleWithWebIdentity"
GITHUB = "token.actions.githubusercontent.com"
GITHUB_ARN = f"arn:aws:iam::111122223333:oidc-provider/{GITHUB}"
SAML_ARN = "arn:aws:iam::111122223333:saml-provider/CorpIdP"
COGNITO = "cognito-identity.amazonaws.com"
POOL = "eu-west-1:0b5f0f3c-3d9a-4a8e-9f7e-2a6c1d9b4e21"


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


@pytest.mark.parametrize("form", FORMS)
def test_rl101_not_principal_with_allow_is_a_rejected_policy_not_an_open_one(
    tmp_path: Path, form: str
) -> None:
    """An Allow with NotPrincipal was RL101 critical, "allows every principal except those in
    NotPrincipal", beside RL613, while the inventory and the graph said nobody assumes the
    role.  IAM rejects NotPrincipal in a role trust policy ("You cannot use the NotPrincipal
    element ... in an IAM role trust policy", IAM User Guide): the role is never deployed, so
    no one assumes it, and RL613 alone is the finding, saying so."""
    statement = {
        "Effect": "Allow",
        "NotPrincipal": {"AWS": "arn:aws:iam::111122223333:user/mallory"},
        "Action": ASSUME,
    }
    text, findings = lint_trust(form, tmp_path, statement)
    assert pairs(findings) == {("RL613", line_of(text, "NotPrincipal"))}
    [rejected] = findings
    assert "IAM rejects NotPrincipal in a role trust policy" in rejected.message
    assert "admitting no one" in rejected.message


def test_rl101_not_principal_with_deny_opens_nothing(tmp_path: Path) -> None:
    """Not read as a trust open to anyone; IAM rejects the policy for it (RL613)."""
    deny = {
        "Effect": "Deny",
        "NotPrincipal": {"AWS": "arn:aws:iam::111122223333:role/ci"},
        "Action": ASSUME,
    }
    code, findings = lint(tmp_path, deny, allow({"Service": "lambda.amazonaws.com"}))
    assert pairs(findings) == {("RL613", line_of(code, '"NotPrincipal"'))}


@pytest.mark.parametrize(
    ("operator", "key", "value"),
    [
        ("StringEquals", "aws:PrincipalOrgID", "o-a1b2c3d4e5"),
        ("StringEquals", "aws:principalorgid", "o-a1b2c3d4e5"),  # keys are case-insensitive
        ("ForAnyValue:StringLike", "aws:PrincipalOrgPaths", "o-a1b2c3d4e5/r-ab12/ou-ab12-1111"),
        ("StringEquals", "aws:SourceAccount", "111122223333"),
        ("ArnEquals", "aws:SourceArn", "arn:aws:sns:eu-west-1:111122223333:alerts"),
        ("StringEquals", "sts:ExternalId", "8d2c6a1e"),
        # Field by field, and no caller from another partition: one account (was critical).
        ("ArnEquals", "aws:PrincipalArn", "arn:*:iam::111122223333:role/ci"),
    ],
)
def test_rl101_scoped_by_an_effective_condition_is_silent(
    tmp_path: Path, operator: str, key: str, value: str
) -> None:
    # The false positive users complain about: "*" limited to the organization is not open.
    _, findings = lint(tmp_path, allow({"AWS": "*"}, Condition={operator: {key: value}}))
    # The account a principal ARN pins is RL102's, as the ARN written as the principal is.
    expected = ["RL102"] if key == "aws:PrincipalArn" else []
    assert [f.rule_id for f in findings] == expected


@pytest.mark.parametrize(
    ("operator", "key", "value"),
    [
        ("StringEqualsIfExists", "aws:PrincipalOrgID", "o-a1b2c3d4e5"),
        ("StringLike", "aws:PrincipalOrgID", "o-*"),
        # (an empty org id admits no one: RL611's, tests/rules/test_conditions.py)
        ("StringNotEquals", "aws:PrincipalOrgID", "o-a1b2c3d4e5"),
        ("ForAllValues:StringEquals", "aws:PrincipalOrgID", "o-a1b2c3d4e5"),
        ("StringLike", "sts:ExternalId", "8d2c6a1e"),  # only StringEquals counts for ExternalId
        ("StringEquals", "sts:ExternalId", "changeme"),  # a placeholder anyone can send
        ("StringLike", "aws:PrincipalArn", "arn:aws:iam::*:role/ci"),
        ("ArnEquals", "aws:PrincipalArn", "arn:aws:iam::*:role/ci"),  # wildcards, as ArnLike
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
    # A negated operator is true for a request without the key, and IfExists makes it true
    # there as well: the Deny refuses the same callers (it was RL101 critical).
    if_exists = {"StringNotEqualsIfExists": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}
    _, findings = lint(tmp_path, allow({"AWS": "*"}), {**refuse, "Condition": if_exists})
    assert findings == []
    # A Deny that refuses only some callers, or only under another condition, does not.
    for condition in (
        {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}},
        {"StringNotLike": {"aws:PrincipalOrgID": "o-*"}},
        # A positive IfExists refuses callers without the key and lets every org id through.
        {"StringEqualsIfExists": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}},
        {"ArnNotEquals": {"aws:PrincipalArn": "arn:aws:iam::*:role/ci"}},  # any account's ci
    ):
        _, findings = lint(tmp_path, allow({"AWS": "*"}), {**refuse, "Condition": condition})
        assert [f.rule_id for f in findings] == ["RL101"], condition


@pytest.mark.parametrize(
    ("action", "still_open"),
    [
        ([ASSUME, "sts:AssumeRoleWithWebIdentity"], "sts:AssumeRoleWithWebIdentity"),
        ("sts:AssumeRole*", "sts:AssumeRoleWithWebIdentity or sts:AssumeRoleWithSAML"),
    ],
)
def test_rl101_a_deny_of_one_action_leaves_the_others_open(
    tmp_path: Path, action: Any, still_open: str
) -> None:
    """The Deny was judged against the first assume action alone: a trust open to anyone for
    sts:AssumeRoleWithWebIdentity was silent because sts:AssumeRole was limited."""
    refuse = {
        "Effect": "Deny",
        "Principal": "*",
        "Action": ASSUME,
        "Condition": {"StringNotEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}},
    }
    code, findings = lint(tmp_path, allow("*", action), refuse)
    assert pairs(findings) == {("RL101", line_of(code, '"Principal": "*"'))}
    [finding] = findings
    assert finding.severity is Severity.CRITICAL
    assert f"to assume the role with {still_open}; no condition limits" in finding.message
    # A Deny of every action the Allow grants closes them all.
    _, findings = lint(tmp_path, allow("*", action), {**refuse, "Action": action})
    assert findings == []


def test_rl101_a_deny_of_everyone_without_condition_leaves_nobody(tmp_path: Path) -> None:
    """An unconditional Deny of everyone wins over the Allow of anyone: nobody can assume the
    role ('roles' says so, the graph draws no arrow), and RL101 said it was open to anyone."""
    refuse = {"Effect": "Deny", "Principal": "*", "Action": ASSUME}
    for principal in ("*", {"AWS": "*"}, {"AWS": "arn:aws:iam::*:root"}):
        _, findings = lint(tmp_path, allow(principal), refuse)
        assert findings == [], principal
        _, findings = lint(tmp_path, allow(principal), {**refuse, "Principal": {"AWS": "*"}})
        assert findings == [], principal
    # Only the actions the Deny refuses are closed; a Deny under a condition rolelint cannot
    # judge for anyone refuses nothing certain.
    code, findings = lint(tmp_path, allow("*", [ASSUME, "sts:AssumeRoleWithSAML"]), refuse)
    [finding] = findings
    assert (finding.rule_id, finding.location.line) == ("RL101", line_of(code, '"*"'))
    assert "to assume the role with sts:AssumeRoleWithSAML; no condition limits" in (
        finding.message
    )
    mfa = {**refuse, "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "false"}}}
    _, findings = lint(tmp_path, allow("*"), mfa)
    assert [(f.rule_id, f.severity) for f in findings] == [("RL101", Severity.CRITICAL)]


@pytest.mark.parametrize("effect", ["Allow", "Deny"])
def test_rl101_a_claim_no_rule_judges_is_named_not_called_unresolved(
    tmp_path: Path, effect: str
) -> None:
    """Principal "*" with a literal test of GitHub's repository_id (or a Deny of every other
    repository id) read "only a condition rolelint cannot resolve may limit who", pointing at a
    value to resolve; the value is written, and it is the claim rolelint does not judge, as the
    role card says."""
    key = f"{GITHUB}:repository_id"
    web_identity = "sts:AssumeRoleWithWebIdentity"
    if effect == "Allow":
        statements = [allow("*", web_identity, Condition={"StringEquals": {key: "123456789"}})]
        head = "StringEquals"
    else:
        deny = {
            "Effect": "Deny",
            "Principal": "*",
            "Action": web_identity,
            "Condition": {"StringNotEquals": {key: "123456789"}},
        }
        statements = [allow("*", web_identity), deny]
        head = "the Deny's StringNotEquals"
    code, findings = lint(tmp_path, *statements)
    [finding] = findings
    assert (finding.rule_id, finding.severity) == ("RL101", Severity.INFO)
    assert "cannot resolve" not in finding.message
    assert finding.message.endswith(
        f"to assume the role; only {head} {key} at line {line_of(code, key)} (a mandatory test"
        " of the 'repository_id' claim of the provider's tokens, which rolelint does not judge)"
        " may limit who can use it"
    )


# The form of star_sub.json: the audience GitHub issues for AWS, and one repository's branch.
ONE_REPOSITORY = {
    "StringEquals": {f"{GITHUB}:aud": "sts.amazonaws.com"},
    "StringLike": {f"{GITHUB}:sub": "repo:acme/app:ref:refs/heads/main"},
}


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    "condition",
    [
        ONE_REPOSITORY,
        {"StringEquals": {f"{GITHUB}:sub": "repo:acme/app:environment:prod"}},
        # Every repository of one owner limits who as an organization does (RL103's medium).
        {"StringLike": {f"{GITHUB}:sub": "repo:acme/*"}},
        {"StringEquals": {f"{COGNITO}:aud": POOL}},  # Cognito's claim that says who
    ],
    ids=["sub-one-branch", "sub-literal", "sub-one-owner", "cognito-pool"],
)
def test_rl101_a_subject_rl103_calls_pinned_limits_who(
    tmp_path: Path, form: str, condition: dict[str, Any]
) -> None:
    """Principal "*" for web identity with a GitHub subject of one repository was RL101
    critical, "nothing limits who can use it: ... sub ... does not say who", while the weaker
    repository_id pin was info.  Only a token of that issuer with that subject passes the test:
    judged as RL103 judges the subject, it limits who.  (RL103 and RL108 judge the statement as
    a trust of that issuer: test_federation.)"""
    _, findings = lint_trust(form, tmp_path, allow("*", WEB_IDENTITY, Condition=condition))
    assert [f for f in findings if f.rule_id == "RL101"] == []
    if condition is ONE_REPOSITORY:
        assert findings == []


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    ("value", "why"),
    [
        ("repo:*", "'repo:*' admits workflows of any GitHub owner"),
        ("*", "'*' admits workflows of any GitHub owner"),
    ],
)
def test_rl101_a_subject_that_admits_other_owners_is_weak(
    tmp_path: Path, form: str, value: str, why: str
) -> None:
    condition = {"StringLike": {f"{GITHUB}:sub": value}}
    text, findings = lint_trust(form, tmp_path, allow("*", WEB_IDENTITY, Condition=condition))
    [finding] = findings
    assert (finding.rule_id, finding.severity) == ("RL101", Severity.CRITICAL)
    assert finding.location.line == line_of(text, "Principal")
    key_line = line_of(text, f"{GITHUB}:sub")
    assert finding.message.endswith(
        f"nothing limits who can use it: StringLike {GITHUB}:sub at line {key_line} is weak ({why})"
    )


@pytest.mark.parametrize("form", FORMS)
def test_rl101_a_subject_test_passes_other_issuers_tokens_under_if_exists(
    tmp_path: Path, form: str
) -> None:
    """A token of another issuer has no GitHub sub: StringLikeIfExists lets it through."""
    condition = {"StringLikeIfExists": {f"{GITHUB}:sub": "repo:acme/app:*"}}
    text, findings = lint_trust(form, tmp_path, allow("*", WEB_IDENTITY, Condition=condition))
    [finding] = findings
    assert (finding.rule_id, finding.severity) == ("RL101", Severity.CRITICAL)
    assert finding.location.line == line_of(text, "Principal")
    assert "StringLikeIfExists passes a request that lacks the key" in finding.message


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    ("principal", "condition", "severity", "verdict"),
    [
        # Any GitHub workflow's session holds the audience GitHub issues for AWS.
        (
            {"AWS": "*"},
            {"StringEquals": {f"{GITHUB}:aud": "sts.amazonaws.com"}},
            Severity.CRITICAL,
            f"nothing limits who can use it: StringEquals {GITHUB}:aud at line {{line}} does not "
            "say who (it does not name who may call)",
        ),
        (
            "*",
            {"StringLike": {f"{GITHUB}:sub": "repo:*"}},
            Severity.CRITICAL,
            f"nothing limits who can use it: StringLike {GITHUB}:sub at line {{line}} is weak "
            "('repo:*' admits workflows of any GitHub owner)",
        ),
        (
            {"AWS": "*"},
            {"StringEquals": {f"{GITHUB}:repository_id": "123456789"}},
            Severity.INFO,
            f"only StringEquals {GITHUB}:repository_id at line {{line}} (a mandatory test of the "
            "'repository_id' claim of the provider's tokens, which rolelint does not judge) may "
            "limit who",
        ),
    ],
    ids=["aud", "open-sub", "repository-id"],
)
def test_rl101_judges_a_token_claim_test_for_assume_role_as_for_web_identity(
    tmp_path: Path,
    form: str,
    principal: Any,
    condition: dict[str, Any],
    severity: Severity,
    verdict: str,
) -> None:
    """{"AWS": "*"} for sts:AssumeRole under only the GitHub audience was not reported: a
    request of sts:AssumeRole was taken to carry no token claim, so the test "admitted nobody".
    A session from AssumeRoleWithWebIdentity keeps web identity keys in its request context
    when it chains into another role, so any GitHub workflow's chained session passes."""
    statement = allow(principal, ASSUME, Condition=condition)
    text, findings = lint_trust(form, tmp_path, statement)
    [finding] = findings
    assert (finding.rule_id, finding.severity) == ("RL101", severity)
    assert finding.location.line == line_of(text, '"*"')  # the principal's value
    [key] = next(iter(condition.values()))
    assert verdict.format(line=line_of(text, key)) in finding.message


@pytest.mark.parametrize("form", FORMS)
def test_rl101_a_pinned_subject_limits_who_for_assume_role_too(tmp_path: Path, form: str) -> None:
    """Graded as for web identity: only a chained session of that repository's token passes."""
    condition = {"StringEquals": {f"{GITHUB}:sub": "repo:acme/app:ref:refs/heads/main"}}
    _, findings = lint_trust(form, tmp_path, allow({"AWS": "*"}, ASSUME, Condition=condition))
    assert findings == []


@pytest.mark.parametrize("form", FORMS)
def test_rl101_a_token_claim_test_leaves_both_actions_open(tmp_path: Path, form: str) -> None:
    """With both actions, a subject that admits any owner leaves both open: the finding names
    no single action."""
    condition = {"StringLike": {f"{GITHUB}:sub": "repo:*"}}
    statement = allow("*", [ASSUME, WEB_IDENTITY], Condition=condition)
    text, findings = lint_trust(form, tmp_path, statement)
    [finding] = findings
    assert (finding.rule_id, finding.severity) == ("RL101", Severity.CRITICAL)
    assert finding.location.line == line_of(text, "Principal")
    assert "to assume the role; nothing limits who" in finding.message
    # For sts:AssumeRole, IfExists passes the request that lacks the claim: open to anyone.
    condition = {"StringLikeIfExists": {f"{GITHUB}:sub": "repo:acme/app:*"}}
    (tmp_path / "if-exists").mkdir()
    _, findings = lint_trust(form, tmp_path / "if-exists", allow({"AWS": "*"}, Condition=condition))
    [finding] = findings
    assert (finding.rule_id, finding.severity) == ("RL101", Severity.CRITICAL)
    assert "StringLikeIfExists passes a request that lacks the key" in finding.message


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
    # One sentence, and no pattern under StringEquals (it read "its value is parameter OrgId
    # has no default and ..., a pattern may admit anyone").
    assert finding.message.endswith(
        "is weak (its value is unresolved: parameter OrgId has no default; nothing constrains "
        "it, so whoever deploys decides it)"
    )
    path.write_text(template.replace("StringEquals:", "StringLike:"))
    [finding] = lint_file(path).findings
    assert finding.message.endswith(
        "whoever deploys decides it, and may make it a pattern that admits anyone)"
    )
    path.write_text(
        template.replace(
            "Type: String\n", "Type: String\n    AllowedPattern: ^o-[a-z0-9]{10,32}$\n", 1
        )
    )
    assert lint_file(path).findings == []
    # Constraints that still let the deployer pass "*" or "" constrain nothing that matters.
    for constraint in (
        "AllowedValues: [o-a1b2c3d4e5, '*']",
        "AllowedValues: ['', o-a1b2c3d4e5]",
        "AllowedPattern: .*",
        "AllowedPattern: ^(o-[a-z0-9]{10,32})?$",
    ):
        path.write_text(template.replace("Type: String\n", f"Type: String\n    {constraint}\n", 1))
        [finding] = lint_file(path).findings
        assert (finding.rule_id, finding.severity, finding.location.line) == (
            "RL101",
            Severity.LOW,
            13,  # the Principal, one line lower
        ), constraint
    for constraint in ("AllowedValues: [o-a1b2c3d4e5]", "AllowedPattern: '['"):  # Java-only
        path.write_text(template.replace("Type: String\n", f"Type: String\n    {constraint}\n", 1))
        assert lint_file(path).findings == [], constraint


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("aws:PrincipalOrgID", "o-a1b2c3d4e5"),
        ("aws:PrincipalAccount", "111122223333"),
        ("aws:PrincipalOrgPaths", "o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/"),
    ],
)
def test_rl101_a_deny_on_a_value_whoever_deploys_decides_is_low(
    tmp_path: Path, key: str, value: str
) -> None:
    """A Deny of everyone outside an organization (or account) that a parameter without a
    default names is the limit the same test on the Allow is: low, as whoever deploys decides
    it.  It was critical with "no condition limits who can use it"."""
    template = f"""\
Parameters:
  Limit:
    Type: String
Resources:
  Reader:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: "*"
            Action: sts:AssumeRole
          - Effect: Deny
            Principal: "*"
            Action: sts:AssumeRole
            Condition:
              StringNotEquals:
                {key}: !Ref Limit
"""
    path = tmp_path / "template.yaml"
    path.write_text(template)
    [finding] = lint_file(path).findings
    assert (finding.rule_id, finding.severity, finding.location.line) == (
        "RL101",
        Severity.LOW,
        12,
    )
    assert finding.message == (
        "Trust policy of role Reader allows anyone (Principal '*') to assume the role; nothing "
        f"limits who can use it: the Deny's StringNotEquals {key} at line 19 is weak (its value "
        "is unresolved: parameter Limit has no default; nothing constrains it, so whoever "
        "deploys decides it)"
    )
    # A written value scopes it; an operator that admits callers whatever the value does not.
    path.write_text(template.replace("!Ref Limit", value))
    assert lint_file(path).findings == []
    path.write_text(template.replace("StringNotEquals:", "ForAnyValue:StringNotEquals:"))
    [finding] = lint_file(path).findings
    assert (finding.rule_id, finding.severity) == ("RL101", Severity.CRITICAL)


@pytest.mark.parametrize(
    "pattern", ["arn:aws:*:*:111122223333:*", "arn:aws:iam:*:111122223333:role/x"]
)
def test_rl101_string_like_principal_arn_with_a_wildcard_before_the_account(
    tmp_path: Path, pattern: str
) -> None:
    """Under StringLike the '*' matches colons too, and an IAM path may contain any character
    from '!' to DEL: arn:aws:iam::444455556666:role/:111122223333:/x matches the pattern.  It
    was graded effective, so the trust open to any account gave nothing.  ArnLike compares
    field by field and limits the caller to the account."""
    condition = {"StringLike": {"aws:PrincipalArn": pattern}}
    code, findings = lint(tmp_path, allow({"AWS": "*"}, Condition=condition))
    assert pairs(findings) == {("RL101", line_of(code, '"AWS": "*"'))}
    _, findings = lint(
        tmp_path, allow({"AWS": "*"}, Condition={"ArnLike": condition["StringLike"]})
    )
    # Pinned to the account, which is RL102's (as an ARN of it written as the principal).
    assert [f.rule_id for f in findings] == ["RL102"]


def test_rl101_a_source_arn_of_every_bucket_limits_nobody(tmp_path: Path) -> None:
    """An S3 ARN has an empty account field, so 'arn:aws:s3:::*' is every bucket of every
    account; it was graded effective because the empty account has no wildcard.  A named
    bucket stays a limit."""
    condition = {"ArnLike": {"aws:SourceArn": "arn:aws:s3:::*"}}
    code, findings = lint(tmp_path, allow({"AWS": "*"}, Condition=condition))
    assert pairs(findings) == {("RL101", line_of(code, '"AWS": "*"'))}
    condition = {"ArnLike": {"aws:SourceArn": "arn:aws:s3:::my-bucket"}}
    _, findings = lint(tmp_path, allow({"AWS": "*"}, Condition=condition))
    assert findings == []


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    ("key", "pattern", "words"),
    [
        (  # principalarn_q.json: ten accounts, 111122223330 to 111122223339
            "aws:PrincipalArn",
            "arn:aws:iam::11112222333?:role/deployer",
            "matches principals of more than one account (its account field '11112222333?' "
            "is a pattern)",
        ),
        (
            "aws:PrincipalArn",
            "arn:aws:iam::1111*:role/deployer",
            "matches principals of more than one account (its account field '1111*' is a pattern)",
        ),
        ("aws:PrincipalArn", "arn:aws:iam::*:role/deployer", "matches principals of any account"),
        (  # the ARN of the resource a service acts for, not of a principal
            "aws:SourceArn",
            "arn:aws:states:us-east-1:*:stateMachine:*",
            "matches resources of any account",
        ),
        (
            "aws:SourceArn",
            "arn:aws:sns:eu-west-1:11112222333?:alerts",
            "matches resources of more than one account (its account field '11112222333?' "
            "is a pattern)",
        ),
    ],
    ids=["principal-ten-accounts", "principal-prefix", "principal-any", "source-any", "source-ten"],
)
def test_rl101_says_what_an_arn_pattern_admits(
    tmp_path: Path, form: str, key: str, pattern: str, words: str
) -> None:
    """An aws:SourceArn pattern was said to match "principals of any account", and
    '11112222333?' in the account was "any account" though it matches ten."""
    condition = {"ArnLike": {key: pattern}}
    text, findings = lint_trust(form, tmp_path, allow({"AWS": "*"}, Condition=condition))
    [finding] = findings
    assert (finding.rule_id, finding.severity) == ("RL101", Severity.CRITICAL)
    assert finding.location.line == line_of(text, '"*"')
    assert finding.message.endswith(
        f"nothing limits who can use it: ArnLike {key} at line {line_of(text, key)} is weak "
        f"('{pattern}' {words})"
    )


PARAMETER_TEMPLATE = """\
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
              %s
"""


@pytest.mark.parametrize(
    "condition",
    [
        "StringEqualsIfExists: {aws:PrincipalOrgID: !Ref OrgId}",
        "StringNotEquals: {aws:PrincipalOrgID: !Ref OrgId}",
        "Null: {aws:PrincipalOrgID: !Ref OrgId}",
        "IpAddress: {aws:SourceIp: !Ref OrgId}",
        "ForAllValues:StringEquals: {aws:PrincipalOrgID: !Ref OrgId}",
    ],
    ids=["if-exists", "negated", "null", "network", "for-all-values"],
)
def test_rl101_an_operator_weak_whatever_the_value_is_critical_when_unresolved(
    tmp_path: Path, condition: str
) -> None:
    """The condition admits callers whatever value is passed (a request without the key, every
    other organization, any caller from that network): the deployer's choice cannot make it a
    limit.  Every value was unresolved, so it was reported low."""
    path = tmp_path / "template.yaml"
    path.write_text(PARAMETER_TEMPLATE % condition)
    [finding] = lint_file(path).findings
    assert (finding.rule_id, finding.severity, finding.location.line) == (
        "RL101",
        Severity.CRITICAL,
        12,
    )


@pytest.mark.parametrize(
    ("condition", "severity"),
    [
        ("StringLike: {sts:ExternalId: !Ref OrgId}", Severity.LOW),
        ("StringEqualsIgnoreCase: {sts:ExternalId: !Ref OrgId}", Severity.LOW),
        ("ForAnyValue:StringLike: {sts:ExternalId: !Ref OrgId}", Severity.LOW),
        ("StringLike: {sts:ExternalId: 7f3c9a2e-acme-monitoring}", Severity.CRITICAL),
        ("StringLikeIfExists: {sts:ExternalId: !Ref OrgId}", Severity.CRITICAL),
    ],
)
def test_rl101_an_external_id_compared_loosely_is_weak_only_for_a_written_value(
    tmp_path: Path, condition: str, severity: Severity
) -> None:
    """RL105 says a loose comparison of sts:ExternalId only of values it can read: a value
    whoever deploys chooses may be the agreed id, compared exactly when it holds no wildcard.
    So it is the deployer's choice (low) here too, and the audit grades it unknown; it was
    critical, as if StringLike were weak whatever the value (as IfExists is)."""
    path = tmp_path / "template.yaml"
    path.write_text(PARAMETER_TEMPLATE % condition)
    [finding] = lint_file(path).findings
    assert (finding.rule_id, finding.severity, finding.location.line) == ("RL101", severity, 12)


def test_rl101_a_literal_beside_an_unresolved_value_is_low(tmp_path: Path) -> None:
    """A literal organization id next to a parameter without a default: only the value the
    deployer passes makes it weak, so low, as for a parameter alone (it was critical, because
    not every value was unresolved).  A weak literal beside the parameter stays critical."""
    path = tmp_path / "template.yaml"
    path.write_text(
        PARAMETER_TEMPLATE % "StringEquals: {aws:PrincipalOrgID: [o-abcdef1234, !Ref OrgId]}"
    )
    [finding] = lint_file(path).findings
    assert (finding.rule_id, finding.severity, finding.location.line) == (
        "RL101",
        Severity.LOW,
        12,
    )
    path.write_text(PARAMETER_TEMPLATE % "StringLike: {aws:PrincipalOrgID: [o-*, !Ref OrgId]}")
    [finding] = lint_file(path).findings
    assert (finding.rule_id, finding.severity, finding.location.line) == (
        "RL101",
        Severity.CRITICAL,
        12,
    )


ORG_MODULE = """\
variable "org_id" {
  type = string
  validation {
    condition     = can(regex("^o-[a-z0-9]{10,32}$", var.org_id))
    error_message = "Must be an organization id."
  }
}
resource "aws_iam_role" "this" {
  name = "m"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { AWS = "*" }
      Condition = { StringLike = { "aws:PrincipalOrgID" = var.org_id } }
    }]
  })
}
"""


def test_rl101_a_module_validation_constrains_what_its_caller_passes(tmp_path: Path) -> None:
    """Terraform runs a module's validation blocks on the value its caller passes: the module
    alone was silent, called with an unresolved value it was RL101 low ("nothing constrains
    it")."""
    (tmp_path / "mod").mkdir()
    (tmp_path / "mod" / "main.tf").write_text(ORG_MODULE)
    (tmp_path / "main.tf").write_text(
        'variable "org" {\n  type = string\n}\n'
        'module "m" {\n  source = "./mod"\n  org_id = var.org\n}\n'
    )
    assert lint_file(tmp_path / "mod" / "main.tf").findings == []
    assert lint_file(tmp_path / "main.tf").findings == []
    # Without the validation block, nothing constrains it: low, at the principal.
    start, end = ORG_MODULE.index("  validation"), ORG_MODULE.index("  }\n}") + 4
    unvalidated = ORG_MODULE[:start] + ORG_MODULE[end:]
    (tmp_path / "mod" / "main.tf").write_text(unvalidated)
    found = lint_file(tmp_path / "main.tf").findings
    # The module is read alone too, as a scan of the folder reads it: unset there as well.
    assert [f.resource for f in found] == ["aws_iam_role.this", "module.m.aws_iam_role.this"]
    for finding in found:
        assert (finding.rule_id, finding.severity) == ("RL101", Severity.LOW)
        assert (finding.file, finding.location.line) == (
            str(tmp_path / "mod" / "main.tf"),
            line_of(unvalidated, 'AWS = "*"'),
        )


ORG_PATH_TEMPLATE = """\
Parameters:
  OrgId:
    Type: String
    AllowedPattern: "^o-[a-z0-9]{10,32}$"
Resources:
  OuRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal:
              AWS: "*"
            Action: sts:AssumeRole
            Condition:
              ForAnyValue:StringLike:
                aws:PrincipalOrgPaths: !Sub "%s"
"""

ORG_PATH_MODULE = """\
variable "org_id" {
  type = string
  validation {
    condition     = can(regex("^o-[a-z0-9]{10,32}$", var.org_id))
    error_message = "must be an organization id"
  }
}
data "aws_iam_policy_document" "trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = ["*"]
    }
    condition {
      test     = "ForAnyValue:StringLike"
      variable = "aws:PrincipalOrgPaths"
      values   = ["%s"]
    }
  }
}
resource "aws_iam_role" "ou" {
  name               = "ou"
  assume_role_policy = data.aws_iam_policy_document.trust.json
}
"""


@pytest.mark.parametrize(
    ("path", "reported"),
    [
        ("{org}/r-ab12/ou-ab12-11111111/*", False),  # an OU and its children, in that org
        ("{org}/*", False),  # any path of that organization
        ("{org}/r-ab12/", False),
        ("{org}*", True),  # every organization whose id starts with the one passed
        ("{org}*/r-ab12/*", True),
        ("*/{org}/*", True),
    ],
)
@pytest.mark.parametrize(
    ("template", "org", "name"),
    [
        (ORG_PATH_TEMPLATE, "${OrgId}", "parameter OrgId"),
        (ORG_PATH_MODULE, "${var.org_id}", "variable org_id"),
    ],
    ids=["cloudformation", "terraform"],
)
def test_rl101_an_organization_path_built_from_a_constrained_id(
    tmp_path: Path, path: str, reported: bool, template: str, org: str, name: str
) -> None:
    """``aws:PrincipalOrgPaths`` ``${OrgId}/r-ab12/ou-ab12-11111111/*`` with OrgId constrained
    to an organization id (AllowedPattern, a validation) admits the principals of that OU of
    that organization, as the literal path does: RL101 was low, saying "parameter OrgId has no
    default; nothing constrains it", since any wildcard written beside a constrained value made
    it unconstrained.  A wildcard before the first "/" still makes a pattern of the organization
    (``${OrgId}*``): low, and the message names the wildcard, not a missing constraint."""
    written = template % path.format(org=org)
    file = tmp_path / ("main.tf" if "variable" in template else "template.yaml")
    file.write_text(written)
    findings = lint_file(file).findings
    principal = '"*"' if file.suffix == ".yaml" else '["*"]'
    expected = [("RL101", Severity.LOW, line_of(written, principal))] if reported else []
    assert [(f.rule_id, f.severity, f.location.line) for f in findings] == expected
    if reported:
        [finding] = findings
        assert "nothing constrains it" not in finding.message
        assert (
            f"(its value is unresolved: {name} has no default; the input constrains what is "
            "passed, but a wildcard written beside it (before any '/') makes the whole value a "
            "pattern that may admit more than it names)" in finding.message
        )


CALLER_PATTERN_ROLE = """\
variable "caller_pattern" {
  type        = %s
  description = "Which principals may assume the role, e.g. arn:aws:iam::111122223333:role/ci-*"
%s}
resource "aws_iam_role" "r" {
  name = "r"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { AWS = "*" }
      Condition = { StringLike = { "aws:PrincipalArn" = var.caller_pattern } }
    }]
  })
}
"""


def validation(condition: str) -> str:
    return f'  validation {{\n    condition     = {condition}\n    error_message = "No."\n  }}\n'


@pytest.mark.parametrize(
    ("type_", "validations", "reported"),
    [
        ("string", "", True),  # nothing constrains it
        # Validations that still accept "*" (or ""): whoever deploys decides, as with none.
        ("string", validation("length(var.caller_pattern) > 0"), True),
        ("string", validation('var.caller_pattern != ""'), True),
        ("string", validation('contains(["*", "arn:aws:iam::1:root"], var.caller_pattern)'), True),
        ("list(string)", validation("length(var.caller_pattern) > 0"), True),
        # Validations that keep both out constrain it, one alone or two together.
        ("string", validation('startswith(var.caller_pattern, "arn:aws:iam::1111")'), False),
        (
            "string",
            validation('var.caller_pattern != ""') + validation('var.caller_pattern != "*"'),
            False,
        ),
        (
            "list(string)",
            validation('!contains(var.caller_pattern, "*") && !contains(var.caller_pattern, "")'),
            False,
        ),
        # A condition rolelint cannot evaluate (can() and regex() are not implemented) is taken
        # to refuse what it is written to refuse: what rolelint cannot tell makes no finding.
        ("string", validation('can(regex("^arn:aws:iam::[0-9]{12}:", var.caller_pattern))'), False),
    ],
)
def test_rl101_a_validation_constrains_a_variable_only_if_it_refuses_anything(
    tmp_path: Path, type_: str, validations: str, reported: bool
) -> None:
    """Any validation block made the variable constrained: ``length(var.x) > 0`` still takes
    "*", which under StringLike admits every principal, and RL101 went silent.  Each condition
    is now evaluated with the variable bound to "" and to "*", as CloudFormation's
    AllowedPattern is tried."""
    written = CALLER_PATTERN_ROLE % (type_, validations)
    path = tmp_path / "main.tf"
    path.write_text(written)
    found = [(f.rule_id, f.severity, f.location.line) for f in lint_file(path).findings]
    expected = [("RL101", Severity.LOW, line_of(written, 'AWS = "*"'))] if reported else []
    assert found == expected
    if reported:
        [finding] = lint_file(path).findings
        assert "nothing constrains it" in finding.message


def test_rl101_names_a_few_weak_conditions_and_counts_the_rest(tmp_path: Path) -> None:
    """A statement of 40,000 weak conditions made one message of 5 MB."""
    tags = {f"aws:PrincipalTag/t{n}": "x" for n in range(40)}
    _, findings = lint(tmp_path, allow({"AWS": "*"}, Condition={"StringEquals": tags}))
    [finding] = findings
    assert finding.message.endswith("; and 35 more conditions of these kinds")
    assert finding.message.count("does not say who") == 5


ORG_READ_AT_DEPLOYMENT = """\
Resources:
  OrgInfo:
    Type: Custom::OrgInfo
    Properties:
      ServiceToken: arn:aws:lambda:us-east-1:111122223333:function:org-info
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
              %s: {aws:PrincipalOrgID: %s}
"""


@pytest.mark.parametrize("operator", ["StringEquals", "StringLike"])
@pytest.mark.parametrize(
    "value",
    [
        "'{{resolve:ssm:/org/id}}'",
        "!ImportValue OrgId",
        "!GetAtt OrgInfo.Id",
        "!Ref OrgInfo",
        "!Sub '${OrgInfo.Id}'",
    ],
    ids=["dynamic-reference", "import", "attribute", "resource", "sub-of-attribute"],
)
def test_rl101_an_organization_id_read_at_deployment_limits_who(
    tmp_path: Path, operator: str, value: str
) -> None:
    """An organization id that AWS supplies when the stack deploys (an SSM value, another
    stack's export, a resource's attribute) is no value whoever deploys passes: the statement
    is scoped to that organization.  It was RL101 low, "nothing constrains it, so whoever
    deploys decides it", as for a parameter without a default."""
    path = tmp_path / "template.yaml"
    path.write_text(ORG_READ_AT_DEPLOYMENT % (operator, value))
    assert lint_file(path).findings == []


@pytest.mark.parametrize("value", ["!Sub '${OrgInfo.Id}*'", "'{{resolve:ssm:/org/id}}*'"])
def test_rl101_a_wildcard_written_around_a_value_read_at_deployment_stays_weak(
    tmp_path: Path, value: str
) -> None:
    """Text written around the value with a wildcard makes a pattern, whatever AWS supplies."""
    path = tmp_path / "template.yaml"
    path.write_text(ORG_READ_AT_DEPLOYMENT % ("StringLike", value))
    [finding] = lint_file(path).findings
    assert (finding.rule_id, finding.location.line) == ("RL101", 13)


ORG_DATA_SOURCE = """\
data "aws_organizations_organization" "org" {}

data "aws_iam_policy_document" "trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = ["*"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:PrincipalOrgID"
      values   = [%s]
    }
  }
}

resource "aws_organizations_organization" "org" {}

resource "aws_iam_role" "org_reader" {
  name               = "org-reader"
  assume_role_policy = data.aws_iam_policy_document.trust.json
}
"""


@pytest.mark.parametrize(
    "value",
    ["data.aws_organizations_organization.org.id", "aws_organizations_organization.org.id"],
    ids=["data-source", "resource"],
)
def test_rl101_a_terraform_organization_id_read_when_it_runs_limits_who(
    tmp_path: Path, value: str
) -> None:
    """``data.aws_organizations_organization.org.id``: Terraform reads the organization id
    from AWS, nobody passes it.  It was RL101 low ("whoever deploys decides it") on the most
    common way to share a role with one's own organization."""
    (tmp_path / "main.tf").write_text(ORG_DATA_SOURCE % value)
    assert lint_file(tmp_path / "main.tf").findings == []
    # A variable without a default is still left to whoever deploys: low.
    (tmp_path / "main.tf").write_text(
        'variable "org_id" {\n  type = string\n}\n' + ORG_DATA_SOURCE % "var.org_id"
    )
    [finding] = lint_file(tmp_path / "main.tf").findings
    assert (finding.rule_id, finding.severity) == ("RL101", Severity.LOW)
    assert "variable org_id has no default" in finding.message


@pytest.mark.parametrize(
    ("value", "operator", "weak"),
    [
        ('"o-${data.aws_organizations_organization.org.id}"', "StringEquals", False),
        ('"o-${var.org_id}"', "StringEquals", True),  # the deployer's choice
        ('"o-*${data.aws_organizations_organization.org.id}"', "StringLike", True),  # a pattern
        # StringEquals takes the '*' as text: the value is as constrained as the id.
        ('"o-*${data.aws_organizations_organization.org.id}"', "StringEquals", False),
    ],
    ids=["read-from-aws", "variable", "wildcard", "wildcard-as-text"],
)
def test_rl101_text_around_a_value_read_from_aws_keeps_it_constrained(
    tmp_path: Path, value: str, operator: str, weak: bool
) -> None:
    """Text written around an interpolated organization id AWS supplies leaves the whole as
    much AWS's choice as the id alone: it was RL101 low ("nothing constrains it, so whoever
    deploys decides it"), as CloudFormation's Fn::Sub already judged it."""
    variable = 'variable "org_id" {\n  type = string\n}\n'
    trust = (ORG_DATA_SOURCE % value).replace('"StringEquals"', f'"{operator}"')
    (tmp_path / "main.tf").write_text(variable + trust)
    findings = lint_file(tmp_path / "main.tf").findings
    if not weak:
        assert findings == []
        return
    [finding] = findings
    assert (finding.rule_id, finding.severity) == ("RL101", Severity.LOW)


@pytest.mark.parametrize(
    ("condition", "open_"),
    [
        ({"StringLike": {"aws:userid": "AROAEXAMPLEROLEID123:*"}}, False),
        ({"StringEquals": {"aws:userid": "AIDAEXAMPLEEXAMPLE1"}}, False),
        ({"StringLike": {"aws:userid": "*:deploy"}}, True),
        ({"StringLike": {"aws:userid": "AROA*"}}, True),
    ],
    ids=["role-id", "user-id", "any-id", "id-pattern"],
)
def test_rl101_a_literal_unique_id_in_aws_userid_limits_who(
    tmp_path: Path, condition: dict[str, Any], open_: bool
) -> None:
    """aws:userid pins a principal by its unique id, never reused: Principal "*" limited to one
    role's sessions ('AROA...:*') or one user ('AIDA...') was RL101 critical, "does not say
    who".  A wildcard in the id itself still admits principals of any account."""
    code, findings = lint(tmp_path, allow({"AWS": "*"}, Condition=condition))
    if not open_:
        assert findings == []
        return
    [finding] = findings
    assert (finding.rule_id, finding.severity, finding.location.line) == (
        "RL101",
        Severity.CRITICAL,
        line_of(code, '"AWS": "*"'),
    )
    assert "StringLike aws:userid at line" in finding.message
    assert "is weak (" in finding.message and "unique id" in finding.message


_CHOSEN_DENY = """\
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Env: {Type: String, AllowedValues: [prod, dev]}
Mappings:
  Blocked:
    us-east-1: {Acct: "arn:aws:iam::222222222222:root"}
    eu-west-1: {Acct: "arn:aws:iam::333333333333:root"}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: %s
            Action: sts:AssumeRole
          - Effect: Deny
%s
"""


@pytest.mark.parametrize(
    ("allowed", "deny", "rule"),
    [
        ('"*"', "Principal: '*'\nAction: !If [IsProd, sts:AssumeRole, sts:TagSession]", "RL101"),
        (
            "{AWS: 'arn:aws:iam::222222222222:root'}",
            "Principal: {AWS: !If [IsProd, 'arn:aws:iam::222222222222:root',"
            " 'arn:aws:iam::333333333333:root']}\nAction: sts:AssumeRole",
            "RL102",
        ),
        (
            "{AWS: 'arn:aws:iam::222222222222:root'}",
            "Principal: {AWS: !FindInMap [Blocked, !Ref 'AWS::Region', Acct]}\n"
            "Action: sts:AssumeRole",
            "RL102",
        ),
        (
            "{AWS: 'arn:aws:iam::222222222222:root'}",
            "Principal: '*'\nAction: sts:AssumeRole\nCondition:\n  StringEquals:\n"
            "    aws:PrincipalAccount: !If [IsProd, '222222222222', '333333333333']",
            "RL102",
        ),
    ],
)
def test_a_deny_whose_values_a_condition_chooses_refuses_nobody_for_certain(
    tmp_path: Path, allowed: str, deny: str, rule: str
) -> None:
    """CloudFormation deploys one branch of an Fn::If, and a Mappings entry per region: a Deny
    refuses a party for certain only if it does in every deployment.  Its options were listed
    together, so the Deny seemed to refuse each of them at once: the role open to anyone where
    Env is dev was silent, and 'roles' said nobody could assume it."""
    indented = "\n".join(f"            {line}" for line in deny.splitlines())
    path = tmp_path / "template.yaml"
    path.write_text(_CHOSEN_DENY % (allowed, indented))
    [finding] = lint_file(path).findings
    assert (finding.rule_id, finding.location.line) == (rule, 18)  # the Allow's Principal


def test_a_deny_of_those_outside_one_of_two_organizations_still_limits(tmp_path: Path) -> None:
    """Under a negated test, the options a condition chooses refuse fewer callers together
    than in either deployment: the Deny limits the role to one organization in each, so the
    role is no role anyone can assume."""
    deny = (
        "Principal: '*'\nAction: sts:AssumeRole\nCondition:\n  StringNotEquals:\n"
        "    aws:PrincipalOrgID: !If [IsProd, o-aaaaaaaaaa, o-bbbbbbbbbb]"
    )
    indented = "\n".join(f"            {line}" for line in deny.splitlines())
    path = tmp_path / "template.yaml"
    path.write_text(_CHOSEN_DENY % ('"*"', indented))
    assert lint_file(path).findings == []
