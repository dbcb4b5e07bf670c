"""Trust conditions graded by whether they limit who can assume a role."""

from __future__ import annotations

from pathlib import Path

import pytest

from rolelint.checks.trust_conditions import (
    Grade,
    benefit_of_doubt,
    deployer_decides,
    grade,
    scope_of,
    unjudged_claim_limit,
)
from rolelint.model import UNRESOLVED_KEY, Condition, Statement, Value
from rolelint.source import SourceRef
from tests.rules.harness import findings_of

AT = SourceRef("trust.json")


def condition(operator: str, key: str, *texts: str | None, constrained: bool = False) -> Condition:
    values = tuple(
        Value(t, AT, None if t is not None else "parameter P has no default", constrained)
        for t in texts
    )
    return Condition(operator, key, values, AT)


@pytest.mark.parametrize(
    ("operator", "key", "value"),
    [
        ("StringEquals", "aws:PrincipalOrgID", "o-a1b2c3d4e5"),
        ("StringEquals", "AWS:PRINCIPALORGID", "o-a1b2c3d4e5"),
        ("ForAnyValue:StringLike", "aws:PrincipalOrgPaths", "o-a1b2c3d4e5/r-ab12/*"),
        ("StringEquals", "aws:PrincipalAccount", "111122223333"),
        ("StringLike", "aws:PrincipalArn", "arn:aws:iam::111122223333:role/ci-*"),
        ("ArnEquals", "aws:SourceArn", "arn:aws:sns:eu-west-1:111122223333:alerts"),
        ("StringEquals", "aws:SourceAccount", "111122223333"),
        ("StringEquals", "sts:ExternalId", "8d2c6a1e-4b7f"),
        ("Bool", "aws:PrincipalIsAWSService", "true"),
        ("StringEquals", "aws:PrincipalOrgID", "*"),  # the literal text "*": nobody's org id
        # A set operator on a single-valued key: AWS advises against it, but ForAnyValue with a
        # positive test fails a request without the key and otherwise tests its one value, so it
        # limits as the plain operator does (it was "weak", and RL101 critical said nothing did).
        ("ForAnyValue:StringEquals", "aws:PrincipalAccount", "111122223333"),
        ("ForAnyValue:StringEquals", "aws:PrincipalOrgID", "o-a1b2c3d4e5"),
        # ARN operators match field by field, and no caller comes from another partition: a
        # wildcard partition admits the one account (it "matched principals of any account").
        ("ArnEquals", "aws:PrincipalArn", "arn:*:iam::111122223333:role/ci"),
        ("ArnLike", "aws:SourceArn", "arn:aws*:sns:eu-west-1:111122223333:alerts"),
        ("ArnLike", "aws:PrincipalArn", "arn:aws:*:*:111122223333:*"),
        # A named bucket, or a prefix, is taken as the owner's own.
        ("ArnLike", "aws:SourceArn", "arn:aws:s3:::my-bucket"),
        ("ArnLike", "aws:SourceArn", "arn:aws:s3:::my-bucket-*"),
    ],
)
def test_effective(operator: str, key: str, value: str) -> None:
    assert grade(condition(operator, key, value)).grade is Grade.EFFECTIVE


@pytest.mark.parametrize(
    ("operator", "key", "value"),
    [
        ("StringEquals", "aws:PrincipalServiceName", "states.amazonaws.com"),
        # Only a service principal's request holds the key (IAM User Guide, global condition
        # keys): whatever the pattern or value, it admits service principals only, as Bool
        # aws:PrincipalIsAWSService "true" does ("'*' matches every value": RL101 critical).
        ("StringLike", "aws:PrincipalServiceName", "*"),
        ("StringLike", "aws:PrincipalServiceName", "*.amazonaws.com"),
        ("StringEquals", "aws:PrincipalServiceName", None),
        ("StringLike", "aws:PrincipalServiceName", None),
        # The names of the service's principals, a multivalued key: ForAnyValue admits the
        # service whose names hold one listed ("does not name who may call": RL101 critical).
        ("ForAnyValue:StringEquals", "aws:PrincipalServiceNamesList", "states.amazonaws.com"),
        ("ForAnyValue:StringLike", "aws:PrincipalServiceNamesList", "*"),
    ],
)
def test_a_service_name_admits_service_principals_only(
    operator: str, key: str, value: str | None
) -> None:
    assert grade(condition(operator, key, value)).grade is Grade.EFFECTIVE


@pytest.mark.parametrize(
    ("operator", "key", "why"),
    [
        ("ForAllValues:StringEquals", "aws:PrincipalServiceNamesList", "lacks the key"),
        ("StringNotEquals", "aws:PrincipalServiceName", "admits every other"),
        ("StringEqualsIfExists", "aws:PrincipalServiceName", "lacks the key"),
    ],
)
def test_a_service_name_test_a_request_without_the_key_passes_is_weak(
    operator: str, key: str, why: str
) -> None:
    graded = grade(condition(operator, key, "states.amazonaws.com"))
    assert graded.grade is Grade.WEAK
    assert why in graded.why


@pytest.mark.parametrize(
    ("operator", "value", "admits"),
    [
        ("ArnLike", "arn:aws:iam::*", "no principal"),
        ("ArnEquals", "arn:*", "no principal"),
        ("ArnLike", "arn:aws:iam:*", "no principal"),  # four fields
        ("ArnLikeIfExists", "arn:aws:iam::*", "any request without the key"),
        # Under StringLike the '*' runs to the end: every IAM ARN of the partition.
        ("StringLike", "arn:aws:iam::*", "any account"),
        ("ArnLike", "arn:aws:iam::*:*", "any account"),
        # Six fields, the first a pattern: it matches "arn", and each field is matched alone.
        ("ArnLike", "*:*:*:*:*:*", "any account"),
        ("ArnLike", "*:aws:iam::*:role/*", "any account"),
        ("ArnEquals", "a?n:aws:iam::*:*", "any account"),
        ("ArnLike", "x*:aws:iam::*:*", "no principal"),  # no ARN starts "x"
        # Under StringLike a pattern no text starting "arn:" matches names no ARN either.
        ("StringLike", "my-*", "no principal"),
        ("StringLike", "topic-?", "no principal"),
        ("StringLike", "Arn:aws:iam::*", "no principal"),  # StringLike minds case
        ("StringLike", "a*", "any account"),
        ("StringLike", "?rn*", "any account"),
    ],
)
def test_an_arn_operator_value_of_fewer_than_six_fields_names_no_principal(
    operator: str, value: str, admits: str
) -> None:
    """ArnLike and ArnEquals match an ARN's six fields each on its own (IAM User Guide, ARN
    condition operators): a value of fewer fields names no ARN, as the assume-role graph
    already judged it.  Graded, ``ArnLike arn:aws:iam::*`` was "matches principals of any
    account", and RL101 called a trust of ``"*"`` it limits to no one open to anyone."""
    graded = grade(condition(operator, "aws:PrincipalArn", value))
    if admits == "no principal":
        assert graded.grade is Grade.EFFECTIVE
        assert grade(condition(operator, "aws:SourceArn", value)).grade is Grade.EFFECTIVE
    elif admits == "any account":
        assert graded.grade is Grade.WEAK and "any account" in graded.why
    else:
        assert graded.grade is Grade.WEAK and "lacks the key" in graded.why


FIVE_FIELD_TRUST = """\
Resources:
  Open:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {AWS: "*"}
            Action: sts:AssumeRole
            Condition:
              OPERATOR:
                aws:PrincipalArn: "arn:aws:iam::*"
"""


@pytest.mark.parametrize(
    ("operator", "value", "open_"),
    [
        ("ArnLike", "arn:aws:iam::*", False),
        ("StringLike", "arn:aws:iam::*", True),
        # Six fields, each a wildcard: every principal's ARN (the first matches "arn").
        ("ArnLike", "*:*:*:*:*:*", True),
        ("ArnLike", "*:aws:iam::*:role/*", True),
        # No ARN starts "my-": it admits no one (it was "matches principals of any account").
        ("StringLike", "my-*", False),
    ],
)
def test_a_trust_of_anyone_an_arn_like_value_of_five_fields_limits_is_not_open(
    tmp_path: Path, operator: str, value: str, open_: bool
) -> None:
    """RL101 said ``"*"`` limited by ``ArnLike aws:PrincipalArn arn:aws:iam::*`` was open to
    anyone; the test names no ARN.  Under StringLike the value is every IAM ARN: open.  A
    value of six fields whose first is a pattern is no shorter one: ``*:*:*:*:*:*`` admits
    every principal (it went silent with the five-field change)."""
    code = FIVE_FIELD_TRUST.replace("OPERATOR", operator).replace('"arn:aws:iam::*"', f'"{value}"')
    found = [f.rule_id for f in findings_of(code, ".yaml", tmp_path)]
    assert ("RL101" in found) is open_


@pytest.mark.parametrize(
    ("operator", "key", "value", "why"),
    [
        ("StringEqualsIfExists", "aws:PrincipalOrgID", "o-a1b2c3d4e5", "lacks the key"),
        ("ForAllValues:StringEquals", "aws:PrincipalOrgID", "o-a1b2c3d4e5", "lacks the key"),
        ("Null", "aws:PrincipalOrgID", "false", "only tests whether"),
        ("StringNotEquals", "aws:PrincipalAccount", "111122223333", "admits every other"),
        ("StringLike", "aws:PrincipalOrgID", "o-*", "more than one"),
        ("StringLike", "aws:PrincipalArn", "arn:aws:iam::*:role/ci", "any account"),
        # ArnEquals takes wildcards as ArnLike does: not the literal text.
        ("ArnEquals", "aws:PrincipalArn", "arn:aws:iam::*:role/ci", "any account"),
        # Under StringLike a '*' may run past the colons into the account field.
        ("StringLike", "aws:PrincipalArn", "arn:*:iam::111122223333:role/ci", "any account"),
        # So does one in the service or region: a role path may hold ':111122223333:'.
        ("StringLike", "aws:PrincipalArn", "arn:aws:*:*:111122223333:*", "path may contain"),
        ("StringLike", "aws:PrincipalArn", "arn:aws:iam:*:111122223333:role/x", "any account"),
        # A bucket ARN names no account: a wildcard name is every bucket of every account.
        ("ArnLike", "aws:SourceArn", "arn:aws:s3:::*", "every account"),
        ("StringLike", "aws:SourceArn", "arn:aws:s3:::*/*", "every account"),
        ("StringLike", "aws:SourceAccount", "*", "every value"),
        ("StringLike", "sts:ExternalId", "8d2c6a1e", "exactly"),
        ("IpAddress", "aws:SourceIp", "203.0.113.0/24", "where from"),
    ],
)
def test_weak(operator: str, key: str, value: str, why: str) -> None:
    graded = grade(condition(operator, key, value))
    assert graded.grade is Grade.WEAK
    assert why in graded.why


@pytest.mark.parametrize(
    ("operator", "key"),
    [
        ("Bool", "aws:SecureTransport"),
        ("StringEquals", "aws:RequestedRegion"),
        ("Bool", "aws:MultiFactorAuthPresent"),
        ("StringEquals", "aws:PrincipalTag/team"),
        ("StringEquals", "aws:RequestTag/team"),
        ("StringLike", "sts:RoleSessionName"),
        ("StringEquals", "s3:prefix"),
        ("StringEquals", "aws:ResourceAccount"),  # the role's own account, whoever calls
        ("StringEquals", "aws:ResourceOrgID"),
    ],
)
def test_irrelevant(operator: str, key: str) -> None:
    assert grade(condition(operator, key, "x")).grade is Grade.IRRELEVANT


GITHUB = "token.actions.githubusercontent.com"
COGNITO = "cognito-identity.amazonaws.com"


@pytest.mark.parametrize(
    ("operator", "key", "value"),
    [
        ("StringEquals", f"{GITHUB}:repository_id", "123456789"),
        ("StringLike", f"{GITHUB}:job_workflow_ref", "acme/shared/.github/workflows/*"),
        ("StringEquals", "accounts.google.com:sub", "100018646976219416293"),
        ("StringEquals", "login.example.net:email", None),  # a value whoever deploys chooses
    ],
)
def test_a_claim_no_rule_judges_is_a_limit_rolelint_cannot_judge(
    operator: str, key: str, value: str | None
) -> None:
    """A mandatory test of such a claim was 'does not say who', so a GitHub trust pinned by
    repository_id was graded weak and open to the world in the inventory; a token without the
    claim fails it, so it is a limit rolelint cannot judge."""
    graded = grade(condition(operator, key, value))
    assert graded.grade is Grade.UNKNOWN
    assert "which rolelint does not judge" in graded.why


@pytest.mark.parametrize(
    ("operator", "key", "value"),
    [
        ("StringEquals", f"{GITHUB}:aud", "sts.amazonaws.com"),  # every GitHub workflow's
        ("StringEquals", f"{COGNITO}:amr", "authenticated"),  # any pool's signed-in identity
        ("StringEqualsIfExists", f"{GITHUB}:repository_id", "123456789"),
        ("StringNotEquals", f"{GITHUB}:repository_id", "123456789"),
        ("ForAllValues:StringEquals", f"{GITHUB}:repository_id", "123456789"),
        ("StringLike", f"{GITHUB}:repository_id", "*"),
        ("StringEquals", "aws:RequestTag/team.name:x", "a"),  # not a claim of a token
        # Claims the caller chooses: the audience asked of Google, a GitHub environment's name.
        ("StringEquals", "accounts.google.com:oaud", "sts.amazonaws.com"),
        ("StringEquals", f"{GITHUB}:environment", "prod"),
        ("StringLike", f"{GITHUB}:ref", "refs/heads/main"),
    ],
)
def test_other_claim_tests_still_do_not_say_who(operator: str, key: str, value: str) -> None:
    assert grade(condition(operator, key, value)).grade is Grade.IRRELEVANT


@pytest.mark.parametrize(
    ("operator", "key", "values", "expected", "why"),
    [
        ("StringLike", f"{GITHUB}:sub", ("repo:acme/app:*",), Grade.EFFECTIVE, ""),
        (
            "StringEquals",
            f"{GITHUB}:SUB",
            ("repo:acme/app:ref:refs/heads/main",),
            Grade.EFFECTIVE,
            "",
        ),
        ("StringLike", f"{GITHUB}:sub", ("repo:acme/*",), Grade.EFFECTIVE, ""),  # one owner
        ("StringLike", f"{GITHUB}:sub", ("repo:acme/app:*", None), Grade.EFFECTIVE, ""),
        ("StringLike", f"{GITHUB}:sub", ("repo:acme/app:*", ""), Grade.EFFECTIVE, ""),
        ("StringLike", f"{GITHUB}:sub", ("repo:*",), Grade.WEAK, "any GitHub owner"),
        ("StringLike", f"{GITHUB}:sub", ("repo:acme/app:*", "*"), Grade.WEAK, "any GitHub owner"),
        # A subject that names no owner: any owner can configure the template.
        ("StringEquals", f"{GITHUB}:sub", ("environment:prod",), Grade.WEAK, "names no owner"),
        ("StringEquals", f"{GITHUB}:sub", ("",), Grade.WEAK, "empty"),
        # Another issuer's token lacks the claim: these pass it.
        ("StringLikeIfExists", f"{GITHUB}:sub", ("repo:acme/app:*",), Grade.WEAK, "lacks the key"),
        ("StringNotLike", f"{GITHUB}:sub", ("repo:acme/app:*",), Grade.WEAK, "every other value"),
        ("StringEquals", f"{COGNITO}:aud", ("eu-west-1:0b5f0f3c",), Grade.EFFECTIVE, ""),
        ("StringLike", f"{COGNITO}:aud", ("eu-west-1:*",), Grade.WEAK, "another account's"),
        # An enterprise's own issuer signs its tokens only: said so, and still no pin (RL103).
        (
            "StringLike",
            f"{GITHUB}/acme:sub",
            ("repo:*",),
            Grade.WEAK,
            f"admits every repository that issuer '{GITHUB}/acme' signs tokens for",
        ),
    ],
)
def test_the_claim_that_says_who_is_judged_as_rl103_judges_it(
    operator: str, key: str, values: tuple[str | None, ...], expected: Grade, why: str
) -> None:
    """A test of GitHub's sub (Cognito's aud) 'did not say who', so Principal "*" pinned to one
    repository was RL101 critical, "nothing limits who can use it"."""
    graded = grade(condition(operator, key, *values))
    assert graded.grade is expected, graded
    assert why in graded.why


@pytest.mark.parametrize(
    ("key", "values", "operator"),
    [
        (f"{GITHUB}:sub", (None,), "StringLike"),
        (f"{GITHUB}:sub", (None, ""), "StringLike"),  # a blank value admits no token
        (f"{GITHUB}:sub", (None,), "StringEquals"),
        (f"{COGNITO}:aud", (None,), "StringEquals"),
        ("oidc.eks.eu-west-1.amazonaws.com/id/ABC:sub", (None,), "StringEquals"),
    ],
)
def test_a_claim_whose_values_are_all_unresolved_is_no_pin_but_the_deployer_s(
    key: str, values: tuple[str | None, ...], operator: str
) -> None:
    """GitHub's sub from a parameter without a default was effective: judged value by value,
    with the unresolved ones left out, it judged none and found none too broad.  So the role
    inventory called the trust "scoped" and the card said the value "pins the subject", while
    an ExternalId or an organization id from the same parameter is "unknown", "whoever deploys
    decides it".  It is weak for that alone, so the views give it the benefit of the doubt."""
    graded = grade(condition(operator, key, *values))
    assert graded.grade is Grade.WEAK, graded
    assert graded.why.startswith(
        "its value is unresolved: parameter P has no default; nothing constrains it, so "
        "whoever deploys decides it"
    )
    assert deployer_decides(graded)
    assert benefit_of_doubt(graded).grade is Grade.UNKNOWN


def test_a_claim_whose_unresolved_value_is_constrained_is_still_no_pin() -> None:
    """An input constraint keeps out "*" and "", enough for an account or an ExternalId, not
    another owner's subject ("repo:*"): the value is unresolved, and nothing more is said."""
    graded = grade(condition("StringLike", f"{GITHUB}:sub", None, constrained=True))
    assert (graded.grade, graded.why) == (
        Grade.WEAK,
        "its value is unresolved: parameter P has no default; rolelint cannot tell whose "
        "tokens it admits",
    )
    assert benefit_of_doubt(graded).grade is Grade.UNKNOWN


@pytest.mark.parametrize("action", ["sts:AssumeRole", "sts:AssumeRoleWithSAML"])
@pytest.mark.parametrize(
    ("operator", "key", "value", "expected"),
    [
        ("StringEquals", f"{GITHUB}:sub", "repo:acme/app:ref:refs/heads/main", Grade.EFFECTIVE),
        ("StringLike", f"{GITHUB}:sub", "repo:*", Grade.WEAK),
        ("StringEquals", f"{GITHUB}:aud", "sts.amazonaws.com", Grade.IRRELEVANT),
        ("StringEquals", f"{GITHUB}:repository_id", "123456789", Grade.UNKNOWN),
        ("StringLikeIfExists", f"{GITHUB}:sub", "repo:acme/app:*", Grade.WEAK),
    ],
)
def test_a_token_claim_is_graded_for_every_assume_action_as_for_web_identity(
    action: str, operator: str, key: str, value: str, expected: Grade
) -> None:
    """A mandatory test of a token claim was effective for sts:AssumeRole, "it admits no
    caller", so {"AWS": "*"} under GitHub's aud alone was not reported.  A session from
    AssumeRoleWithWebIdentity keeps web identity keys in its request context when it chains
    into another role: the key may be there, and the test is graded as for web identity."""
    tested = condition(operator, key, value)
    statement = Statement(AT, Value("Allow", AT), conditions=(tested,))
    [graded] = scope_of(statement, [statement], action).graded
    assert graded.grade is expected, graded
    assert graded == grade(tested)


@pytest.mark.parametrize(
    "values",
    [("123456789", "*"), ("*", "123456789"), ("123456789", "??*"), ("", "*")],
    ids=["narrow-then-star", "star-first", "wildcards-only", "empty-and-star"],
)
def test_a_claim_test_with_one_value_admitting_every_token_is_no_limit(
    values: tuple[str, ...],
) -> None:
    """["123456789", "*"] under StringLike was a limit rolelint cannot judge, so an open GitHub
    trust was RL103 low: the values of one condition are OR-ed, and "*" admits every token that
    has the claim, as it does alone."""
    graded = grade(condition("StringLike", f"{GITHUB}:repository_id", *values))
    assert graded.grade is Grade.IRRELEVANT
    assert unjudged_claim_limit(condition("StringLike", f"{GITHUB}:repository_id", *values)) is None


@pytest.mark.parametrize(
    ("operator", "values"),
    [
        ("StringLike", ("123456789", "987654321")),
        ("StringLike", ("123456789", None)),  # the unresolved value may be narrow
        ("StringLike", ("123456789", "")),  # an empty value admits no token
        ("StringEquals", ("123456789", "*")),  # "*" is literal text here
    ],
    ids=["two-narrow", "narrow-and-unresolved", "narrow-and-empty", "literal-star"],
)
def test_a_claim_test_whose_every_value_is_narrow_is_a_limit(
    operator: str, values: tuple[str | None, ...]
) -> None:
    graded = grade(condition(operator, f"{GITHUB}:repository_id", *values))
    assert graded.grade is Grade.UNKNOWN
    assert "'repository_id' claim" in graded.why


def test_unresolved_values_are_weak_unless_constrained() -> None:
    loose = grade(condition("StringEquals", "aws:PrincipalOrgID", None))
    assert loose.grade is Grade.WEAK and "nothing constrains it" in loose.why
    strict = grade(condition("StringEquals", "aws:PrincipalOrgID", None, constrained=True))
    assert strict.grade is Grade.EFFECTIVE


def test_a_written_weak_value_is_named_before_one_not_known() -> None:
    """[!Ref Repo, 'arn:aws:iam::*:role/x']: the pattern is what admits any account; the message
    named the parameter instead."""
    mixed = grade(condition("StringLike", "aws:PrincipalArn", None, "arn:aws:iam::*:role/x"))
    assert mixed.grade is Grade.WEAK and "any account" in mixed.why


def test_an_unreadable_key_is_unknown() -> None:
    assert grade(condition("StringEquals", f"{UNRESOLVED_KEY} 3:5", "x")).grade is Grade.UNKNOWN


@pytest.mark.parametrize(
    ("operator", "value", "expected"),
    [
        # A role's sessions: '<role unique id>:<session name>'; the id pins one role.
        ("StringLike", "AROAEXAMPLEROLEID123:*", Grade.EFFECTIVE),
        ("StringEquals", "AROAEXAMPLEROLEID123:ci", Grade.EFFECTIVE),
        ("StringEquals", "AIDAEXAMPLEEXAMPLE1", Grade.EFFECTIVE),  # a user's unique id
        ("StringEquals", "AROAEXAMPLEROLEID123:*", Grade.EFFECTIVE),  # "*": the literal text
        ("StringEquals", "*:ci", Grade.EFFECTIVE),  # StringEquals: the literal text, nobody's
        ("StringLike", "*:ci", Grade.WEAK),  # any role's session named ci
        ("StringLike", "AROA*", Grade.WEAK),  # every role of every account
        ("StringLike", "AROAEXAMPLE*:*", Grade.WEAK),  # ids of that prefix, in any account
        ("StringLike", "AROAEXAMPLEROLEID12?:*", Grade.WEAK),
        ("StringLike", "*", Grade.WEAK),
    ],
)
def test_a_literal_unique_id_in_aws_userid_says_who(
    operator: str, value: str, expected: Grade
) -> None:
    """aws:userid is the caller's unique id (with ':<session name>' for a role): IAM never
    reuses a unique id, so a literal one names one principal of one account, as
    aws:PrincipalArn does.  It was "does not say who", and RL101 critical.  A wildcard in the
    id before the first ':' lets principals of any account match."""
    graded = grade(condition(operator, "aws:userid", value))
    assert graded.grade is expected, graded
    if expected is Grade.WEAK:
        assert "unique id" in graded.why or "every value" in graded.why


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("aws:PrincipalOrgID", "o-a1b2c3d4e5"),
        ("aws:PrincipalAccount", "111122223333"),
        ("aws:SourceAccount", "111122223333"),
        ("aws:SourceOrgID", "o-a1b2c3d4e5"),
        ("aws:PrincipalServiceName", "states.amazonaws.com"),
    ],
)
@pytest.mark.parametrize("operator", ["StringEquals", "StringLike", "StringEqualsIgnoreCase"])
def test_an_empty_value_of_a_key_never_empty_is_no_weakness(
    operator: str, key: str, value: str
) -> None:
    """A request carries these keys (when it carries them at all) with an organization's id,
    an account or a service's name, never an empty one: an empty value admits no request, so
    beside a value it leaves the test the limit that value is (it was "weak (its value is
    empty)", and RL101 called "*" so limited open to anyone), and alone it admits no one
    (RL611: the statement never applies)."""
    assert grade(condition(operator, key, "", value)).grade is Grade.EFFECTIVE
    assert grade(condition(operator, key, " ")).grade is Grade.EFFECTIVE


@pytest.mark.parametrize(
    ("operator", "key", "value"),
    [
        ("StringEquals", "aws:PrincipalArn", "arn:aws:iam::111122223333:role/ci"),
        ("ArnEquals", "aws:PrincipalArn", "arn:aws:iam::111122223333:role/ci"),
        ("ArnEquals", "aws:SourceArn", "arn:aws:sns:eu-west-1:111122223333:alerts"),
        ("StringEquals", "sts:ExternalId", "8d2c6a1e-4b7f"),
        ("StringEquals", "aws:userid", "AROAEXAMPLEID:ci"),
    ],
)
def test_an_empty_arn_external_id_or_unique_id_is_no_weakness(
    operator: str, key: str, value: str
) -> None:
    """No request holds an empty principal or resource ARN, ExternalId (STS takes 2 to 1224
    characters) or unique id: an empty value admits no request, so beside a value it leaves
    the test the limit that value is (it was "weak (its value is empty)", and RL101 called "*"
    so limited open to anyone), and alone it admits no one (RL611).  A negation of it admits
    every request: weak, for the operator."""
    assert grade(condition(operator, key, "", value)).grade is Grade.EFFECTIVE
    assert grade(condition(operator, key, " ")).grade is Grade.EFFECTIVE
    negated = grade(condition(operator.replace("Equals", "NotEquals"), key, ""))
    assert negated.grade is Grade.WEAK and "admits every other value" in negated.why


@pytest.mark.parametrize(
    ("operator", "key", "narrow", "broad"),
    [
        ("StringLike", "aws:PrincipalOrgID", "o-a1b2c3d4e5", "*"),
        ("StringLike", "aws:PrincipalAccount", "111122223333", "*"),
        (
            "ArnLike",
            "aws:PrincipalArn",
            "arn:aws:iam::111122223333:role/x",
            "arn:aws:iam::*:role/x",
        ),
        ("StringLike", "sts:ExternalId", "a1b2c3d4-e5f6-4789-9abc-def012345678", "*"),
        ("StringLike", f"{GITHUB}:sub", "repo:acme/app:*", "repo:*"),
    ],
    ids=["organization", "account", "principal-arn", "external-id", "subject"],
)
def test_a_test_is_a_limit_only_when_every_value_is_one(
    operator: str, key: str, narrow: str, broad: str
) -> None:
    """The values of one test are alternatives (OR-ed): a value that admits anyone beside a
    narrow one makes the test admit anyone, wherever it is written.  The readings of who a
    test admits judge each value so (grade; the ExternalId rules' judge; the accounts an ARN
    test names), as RL104 and RL108 now judge an audience; the narrow value alone limits."""
    from rolelint.checks.account_limits import arn_namings
    from rolelint.checks.external_id_values import judge

    both = condition(operator, key, narrow, broad)
    assert grade(both).grade is Grade.WEAK
    exact = "StringEquals" if key == "sts:ExternalId" else operator  # StringLike is loose there
    assert grade(condition(exact, key, narrow)).grade is Grade.EFFECTIVE
    if key == "sts:ExternalId":
        assert not judge(both).sound and judge(condition("StringEquals", key, narrow)).sound
    if key == "aws:PrincipalArn":
        assert arn_namings(both) is None
        assert [n.account for n in arn_namings(condition(operator, key, narrow)) or ()] == [
            "111122223333"
        ]


def test_a_service_name_test_with_a_value_every_service_matches_admits_every_service() -> None:
    """``StringLike aws:PrincipalServiceName ["lambda.amazonaws.com", "*"]`` admits every
    service, as ``"*"`` alone does: the service pin names no one service."""
    from rolelint.checks.service_limits import service_pin
    from rolelint.model import Principal, PrincipalKind

    test = condition("StringLike", "aws:PrincipalServiceName", "lambda.amazonaws.com", "*")
    everyone = Principal(PrincipalKind.AWS, Value("*", AT))
    pin = service_pin(Statement(AT, Value("Allow", AT), principals=(everyone,), conditions=(test,)))
    assert pin is not None and pin.services == () and pin.pattern is not None
