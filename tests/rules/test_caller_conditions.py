"""Which trust conditions block a hop: only mandatory tests of the caller's ARN, account or kind
(or a demand for a service) with every value resolved and none matching."""

from __future__ import annotations

from pathlib import Path

import pytest

from rolelint.graph.caller_conditions import Caller, certainly_met, refusal
from rolelint.model import Condition, Statement, Value
from rolelint.source import SourceRef, Span
from tests.rules.harness import findings_of

REF = SourceRef("t.yaml", Span.point(1, 1))
ROLE = Caller.of("arn:aws:iam::111122223333:role/ci")
USER = Caller.of("arn:aws:iam::111122223333:user/alice")


def statement(operator: str, key: str, *values: str | None) -> Statement:
    condition = Condition(
        operator,
        key,
        tuple(
            Value(text, REF, unresolved_reason=None if text else "a parameter") for text in values
        ),
        REF,
    )
    return Statement(REF, Value("Allow", REF), conditions=(condition,))


def test_the_caller_facts() -> None:
    assert (ROLE.account, ROLE.principal_type) == ("111122223333", "AssumedRole")
    assert USER.principal_type == "User"
    assert Caller.of("not an arn") == Caller("not an arn", None, None)


@pytest.mark.parametrize(
    ("operator", "key", "values", "blocks"),
    [
        ("ArnEquals", "aws:PrincipalArn", ["arn:aws:iam::111122223333:role/break-glass"], True),
        ("ArnEquals", "aws:PrincipalArn", ["arn:aws:iam::111122223333:role/ci"], False),
        # One scan is one partition: a symbolic partition names the same role.
        (
            "ArnEquals",
            "aws:principalarn",
            ["arn:${AWS::Partition}:iam::111122223333:role/ci"],
            False,
        ),
        ("StringLike", "aws:PrincipalArn", ["arn:aws:iam::111122223333:role/ops-*"], True),
        ("ArnLike", "aws:PrincipalArn", ["arn:aws:iam::111122223333:role/c*"], False),
        ("ArnEquals", "aws:PrincipalArn", ["arn:aws:iam::*:role/c?"], False),  # wildcards too
        ("StringEquals", "aws:PrincipalAccount", ["444455556666"], True),
        ("StringEquals", "aws:PrincipalAccount", ["444455556666", "111122223333"], False),
        ("StringEquals", "aws:PrincipalType", ["User"], True),
        ("StringEquals", "aws:PrincipalType", ["AssumedRole"], False),
        ("Bool", "aws:PrincipalIsAWSService", ["true"], True),
        ("Bool", "aws:PrincipalIsAWSService", ["false"], False),
        # A request carries these only when a service principal makes it: whatever the values,
        # a positive string test of one refuses a scanned principal.
        ("StringEquals", "aws:PrincipalServiceName", ["states.amazonaws.com"], True),
        ("StringLike", "aws:principalservicename", ["*"], True),
        ("StringEquals", "aws:PrincipalServiceName", [None], True),  # unresolved: no matter
        ("ForAnyValue:StringEquals", "aws:PrincipalServiceNamesList", ["s3.amazonaws.com"], True),
        # A request without the key passes these.
        ("StringNotEquals", "aws:PrincipalServiceName", ["states.amazonaws.com"], False),
        ("StringEqualsIfExists", "aws:PrincipalServiceName", ["states.amazonaws.com"], False),
        ("ForAllValues:StringEquals", "aws:PrincipalServiceNamesList", ["s3.amazonaws.com"], False),
        ("Null", "aws:PrincipalServiceName", ["true"], False),
        # Not mandatory tests, or not judged: never block.
        ("ArnEqualsIfExists", "aws:PrincipalArn", ["arn:aws:iam::1:role/x"], False),
        ("ArnNotEquals", "aws:PrincipalArn", ["arn:aws:iam::111122223333:role/ci"], False),
        ("StringEquals", "aws:PrincipalArn", [None], False),  # unresolved value
        ("StringEquals", "aws:PrincipalTag/team", ["platform"], False),  # tags unknown
        ("StringEquals", "sts:ExternalId", ["secret"], False),
        ("NumericLessThan", "aws:PrincipalAccount", ["5"], False),  # an operator not evaluated
    ],
)
def test_what_blocks_a_role_caller(
    operator: str, key: str, values: list[str | None], blocks: bool
) -> None:
    found = refusal(statement(operator, key, *values), ROLE)
    assert (found is not None) is blocks


def test_principal_type_tells_users_from_roles() -> None:
    only_users = statement("StringEquals", "aws:PrincipalType", "User")
    assert refusal(only_users, USER) is None
    assert refusal(only_users, ROLE) is not None


def test_the_refusing_condition_is_returned() -> None:
    found = statement("StringEquals", "aws:PrincipalAccount", "444455556666")
    assert refusal(found, ROLE) is found.conditions[0]


TEMPLATE_ROLE = Caller.of("arn:aws:iam::${AWS::AccountId}:role/ci")
NUMBERED = "arn:aws:iam::123456789012:role"


@pytest.mark.parametrize(
    ("caller", "operator", "key", "value", "blocks"),
    [
        # The template's account may be the one written as a number: never refused for it.
        (TEMPLATE_ROLE, "ArnEquals", "aws:PrincipalArn", f"{NUMBERED}/ci", False),
        (TEMPLATE_ROLE, "StringEquals", "aws:PrincipalAccount", "123456789012", False),
        (TEMPLATE_ROLE, "ArnLike", "aws:PrincipalArn", f"{NUMBERED}/c*", False),
        # ... and the other way round.
        (ROLE, "ArnEquals", "aws:PrincipalArn", "arn:aws:iam::${AWS::AccountId}:role/ci", False),
        (ROLE, "StringEquals", "aws:PrincipalAccount", "${AWS::AccountId}", False),
        # Whatever the account, another role is another role.
        (TEMPLATE_ROLE, "ArnEquals", "aws:PrincipalArn", f"{NUMBERED}/x", True),
        (ROLE, "ArnEquals", "aws:PrincipalArn", "arn:aws:iam::${AWS::AccountId}:role/x", True),
        # Two numbers are two accounts.
        (ROLE, "StringEquals", "aws:PrincipalAccount", "123456789012", True),
    ],
)
def test_an_account_written_as_the_stand_in_on_one_side_may_be_the_other_s(
    caller: Caller, operator: str, key: str, value: str, blocks: bool
) -> None:
    """An Allow's ``aws:PrincipalArn`` or ``aws:PrincipalAccount`` naming the account by its
    number refused a caller of the template's account (``${AWS::AccountId}``): the two were
    compared as text, though the module counts them as possibly one account for Denies."""
    found = refusal(statement(operator, key, value), caller)
    assert (found is not None) is blocks


# A role whose path holds a colon (IAM paths may hold any character from "!" to DEL).
COLON_PATH = Caller.of("arn:aws:iam::444455556666:role/team:ci/deployer")


@pytest.mark.parametrize(
    ("operator", "value", "blocks"),
    [
        # ArnLike matches each field on its own: the account's "*" stops at its colon, and
        # the resource "ci/deployer" is not "role/team:ci/deployer".
        ("ArnLike", "arn:aws:iam::*:ci/deployer", True),
        ("ArnEquals", "arn:aws:iam::*:ci/deployer", True),
        # StringLike matches the whole text: its "*" takes the colon too.
        ("StringLike", "arn:aws:iam::*:ci/deployer", False),
        # Field by field, the wildcards still match within each field.
        ("ArnLike", "arn:aws:iam::*:role/team:*", False),
        ("ArnLike", "arn:*:iam::4444555566??:role/*", False),
        ("ArnLike", "*", False),
        # A value of five fields is no ARN: ArnLike names nothing with it.
        ("ArnLike", "arn:aws:iam::*", True),
        # Six fields, the first a pattern of "arn": each field matched on its own.
        ("ArnLike", "*:*:*:*:*:*", False),
        ("ArnLike", "a?n:aws:iam::*:role/team:*", False),
        ("ArnLike", "x*:*:*:*:*:*", True),
        # Case-sensitive: every ARN begins "arn", and "ARN" or "A?N" names none.
        ("ArnLike", "ARN:aws:iam::*:role/team:*", True),
        ("ArnEquals", "Arn:*:*:*:*:*", True),
        ("ArnLike", "A?N:aws:iam::*:role/team:*", True),
    ],
)
def test_arn_operators_match_an_arn_field_by_field(operator: str, value: str, blocks: bool) -> None:
    """``ArnLike aws:PrincipalArn`` was compared as ``StringLike`` is, a ``*`` spanning colons:
    ``arn:aws:iam::*:ci/deployer`` seemed to name a role at path ``/team:ci/`` of any account,
    so the hop stayed (and a Deny of that form took away one it never refuses)."""
    found = refusal(statement(operator, "aws:PrincipalArn", value), COLON_PATH)
    assert (found is not None) is blocks
    conditions = statement(operator, "aws:PrincipalArn", value).conditions
    deny = Statement(REF, Value("Deny", REF), conditions=conditions)
    assert certainly_met(deny, COLON_PATH) is not blocks


COLON_PATH_TRUST = """\
Resources:
  Caller:
    Type: AWS::IAM::Role
    Properties:
      RoleName: deployer
      Path: /team:ci/
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {Service: lambda.amazonaws.com}
            Action: sts:AssumeRole
      Policies:
        - PolicyName: assume
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: sts:AssumeRole
                Resource: "*"
  Admin:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {AWS: !Sub "arn:aws:iam::${AWS::AccountId}:root"}
            Action: sts:AssumeRole
            Condition:
              ArnLike:
                aws:PrincipalArn: "arn:aws:iam::*:ci/deployer"
      ManagedPolicyArns:
        - arn:aws:iam::aws:policy/AdministratorAccess
"""


def test_an_arn_like_test_whose_star_would_cross_a_colon_admits_no_such_caller(
    tmp_path: Path,
) -> None:
    """Caller's ARN is ``arn:aws:iam::<account>:role/team:ci/deployer``; ArnLike matches its
    resource ``role/team:ci/deployer`` against ``ci/deployer`` and fails.  Read as a string,
    the account's ``*`` ran on to the colon in the path: RL401 and RL405 reported a chain to
    Admin that IAM refuses."""
    findings = findings_of(COLON_PATH_TRUST, ".yaml", tmp_path)
    assert [f.rule_id for f in findings if f.rule_id in ("RL401", "RL405")] == []


TEMPLATE_PARTITION = Caller.of("arn:${AWS::Partition}:iam::111122223333:role/ci")


@pytest.mark.parametrize(
    ("caller", "operator", "value", "blocks"),
    [
        # StringLike compares the whole text: these name every IAM ARN of the partition.
        (ROLE, "StringLike", "arn:aws:iam::*", False),
        (ROLE, "StringLike", "arn:*:iam::*", False),
        (ROLE, "StringLike", "arn:*", False),
        (ROLE, "StringLike", "arn:aws*", False),
        (ROLE, "StringLike", "arn*", False),
        (TEMPLATE_PARTITION, "StringLike", "arn:aws:iam::*", False),
        (TEMPLATE_PARTITION, "StringLike", "arn:*", False),
        # A partition pattern the template's partition may or may not match: not known.
        (TEMPLATE_PARTITION, "StringLike", "arn:aws-cn*", False),
        # ... and those naming another service, or another partition's every ARN, do not.
        (ROLE, "StringLike", "arn:aws:sts::*", True),
        (ROLE, "StringLike", "arn:aws-cn*", True),
        # Under StringEquals the star is text; under ArnLike five fields name no ARN.
        (ROLE, "StringEquals", "arn:aws:iam::*", True),
        (ROLE, "ArnLike", "arn:aws:iam::*", True),
    ],
)
def test_a_string_pattern_shorter_than_an_arn_is_matched_against_the_whole_arn(
    caller: Caller, operator: str, value: str, blocks: bool
) -> None:
    """The partition was left out of a value only when it parsed as an ARN of six fields:
    ``StringLike arn:aws:iam::*`` was compared, as written, with the caller's ARN shortened to
    ``iam::111122223333:role/ci``, and refused every caller though it names every IAM ARN of
    the partition (RL401 and RL405 went silent)."""
    found = refusal(statement(operator, "aws:PrincipalArn", value), caller)
    assert (found is not None) is blocks
    conditions = statement(operator, "aws:PrincipalArn", value).conditions
    deny = Statement(REF, Value("Deny", REF), conditions=conditions)
    applies = not blocks and value != "arn:aws-cn*"
    assert certainly_met(deny, caller) is applies


FIVE_FIELD_TRUST = COLON_PATH_TRUST.replace("      Path: /team:ci/\n", "").replace(
    'ArnLike:\n                aws:PrincipalArn: "arn:aws:iam::*:ci/deployer"',
    'StringLike:\n                aws:PrincipalArn: "arn:aws:iam::*"',
)


def test_a_string_like_test_of_every_iam_arn_leaves_the_hop(tmp_path: Path) -> None:
    """``StringLike aws:PrincipalArn arn:aws:iam::*`` admits every user and role of the
    partition: Caller may assume Admin, a chain to administrator access (RL401, RL405)."""
    assert "StringLike" in FIVE_FIELD_TRUST and "team:ci" not in FIVE_FIELD_TRUST
    findings = findings_of(FIVE_FIELD_TRUST, ".yaml", tmp_path)
    found = {f.rule_id for f in findings}
    assert {"RL401", "RL405"} <= found


# A role whose name is generated (in a prod folder, logical id CiRole), one named from a
# parameter after a known prefix, and one whose path is not known.
GENERATED = Caller.of("arn:aws:iam::111122223333:role/<generated:prod/t.yaml#CiRole>")
PREFIXED = Caller.of("arn:aws:iam::111122223333:role/ci-<generated:prod#aws_iam_role.ci>")
UNKNOWN_PATH = Caller.of("arn:aws:iam::111122223333:role/<unresolved path:prod/t.yaml#Ci>ci")


@pytest.mark.parametrize(
    ("caller", "operator", "value", "blocks"),
    [
        # Values naming some of the names it may have: not known, never a block.
        (GENERATED, "ArnLike", "arn:aws:iam::111122223333:role/ci-*", False),
        (GENERATED, "ArnEquals", "arn:aws:iam::111122223333:role/ci", False),
        (GENERATED, "StringEquals", "arn:aws:iam::111122223333:role/ci", False),
        (UNKNOWN_PATH, "ArnEquals", "arn:aws:iam::111122223333:role/ci", False),
        (UNKNOWN_PATH, "ArnLike", "arn:aws:iam::111122223333:role/team/*", False),
        # Values naming none of them: a block, whatever the stand-in's text holds.
        (GENERATED, "ArnLike", "arn:aws:iam::111122223333:user/*", True),
        (GENERATED, "ArnLike", "arn:aws:iam::111122223333:role/team/*", True),
        (PREFIXED, "ArnLike", "arn:aws:iam::111122223333:role/ops-*", True),
        (PREFIXED, "StringEquals", "arn:aws:iam::111122223333:role/ci", True),
        (UNKNOWN_PATH, "ArnLike", "arn:aws:iam::111122223333:role/*-admin", True),
        # Values naming every one of them.
        (PREFIXED, "ArnLike", "arn:aws:iam::111122223333:role/ci-*", False),
        (GENERATED, "ArnLike", "arn:aws:iam::111122223333:role/*", False),
    ],
)
def test_a_caller_of_unknown_name_is_judged_by_every_name_it_may_have(
    caller: Caller, operator: str, value: str, blocks: bool
) -> None:
    """aws:PrincipalArn was compared with the stand-in's text: ``role/ci-*`` refused a caller
    whose name comes from a parameter (it may well be ``ci-build``), so RL401 and RL405 went
    silent.  Only a value that can name none of its names refuses it."""
    found = refusal(statement(operator, "aws:PrincipalArn", value), caller)
    assert (found is not None) is blocks


@pytest.mark.parametrize(
    ("caller", "operator", "value", "applies"),
    [
        # "Deny unless the caller is ci-*": it may be, so the Deny may spare it.
        (GENERATED, "ArnNotLike", "arn:aws:iam::111122223333:role/ci-*", False),
        (GENERATED, "ArnNotEquals", "arn:aws:iam::111122223333:role/break-glass", False),
        (UNKNOWN_PATH, "ArnNotEquals", "arn:aws:iam::111122223333:role/ci", False),
        # It can never be a user, nor hold a "/" in its name: the Deny applies.
        (GENERATED, "ArnNotLike", "arn:aws:iam::111122223333:user/*", True),
        (PREFIXED, "ArnNotLike", "arn:aws:iam::111122223333:role/ops-*", True),
        # "Deny if the caller is ...": only a value naming every name it may have applies.
        (GENERATED, "ArnLike", "arn:aws:iam::111122223333:role/*prod*", False),
        (PREFIXED, "ArnLike", "arn:aws:iam::111122223333:role/ci-*", True),
        (GENERATED, "ArnLike", "arn:aws:iam::*:role/*", True),
    ],
)
def test_a_trust_deny_applies_to_a_caller_of_unknown_name_only_when_every_name_would_be_refused(
    caller: Caller, operator: str, value: str, applies: bool
) -> None:
    """``Deny "*"`` unless ``ArnNotLike aws:PrincipalArn`` names ``role/ci-*`` (the
    break-glass form docs/graph.md recommends) took away the hop of a caller whose name is a
    parameter, and ``ArnLike role/*prod*`` applied to one of a template in a prod folder."""
    condition = statement(operator, "aws:PrincipalArn", value).conditions[0]
    deny = Statement(REF, Value("Deny", REF), conditions=(condition,))
    assert certainly_met(deny, caller) is applies


SERVICE_NAMED_TRUST = """\
Resources:
  Caller:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {Service: lambda.amazonaws.com}
            Action: sts:AssumeRole
      Policies:
        - PolicyName: assume
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: sts:AssumeRole
                Resource: "*"
  Workflow:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: "*"
            Action: sts:AssumeRole
            Condition:
              StringEquals:
                aws:PrincipalServiceName: states.amazonaws.com
                aws:SourceAccount: !Ref AWS::AccountId
      ManagedPolicyArns:
        - arn:aws:iam::aws:policy/AdministratorAccess
"""


def test_a_role_only_a_named_service_may_assume_is_out_of_a_scanned_role_s_reach(
    tmp_path: Path,
) -> None:
    """``"*"`` limited by ``StringEquals aws:PrincipalServiceName`` admits the service
    principal of that name only: the key is absent from any other caller's request (IAM User
    Guide, global condition keys).  The graph judged ``aws:PrincipalIsAWSService`` so, not this
    key: a role allowed sts:AssumeRole on "*" reached the administrator role (RL401, and RL207
    named it among the roles it reaches)."""
    findings = findings_of(SERVICE_NAMED_TRUST, ".yaml", tmp_path)
    assert [f for f in findings if f.rule_id == "RL401"] == []
    [any_role] = [f for f in findings if f.rule_id == "RL207"]
    assert "Workflow" not in any_role.message


@pytest.mark.parametrize(
    ("operator", "values", "applies"),
    [
        # Absent from a scanned principal's request: a negated test of it is true, whatever
        # its values (unresolved too), and so is "Null: true".
        ("StringNotEquals", ["states.amazonaws.com"], True),
        ("StringNotLike", ["*"], True),
        ("StringNotEqualsIfExists", ["states.amazonaws.com"], True),
        ("StringNotEquals", [None], True),
        ("Null", ["true"], True),
        # These need the key: never true for it.
        ("Null", ["false"], False),
        ("StringEquals", ["states.amazonaws.com"], False),
        ("StringEqualsIfExists", ["states.amazonaws.com"], False),
        ("ForAnyValue:StringNotEquals", ["states.amazonaws.com"], False),
    ],
)
def test_a_deny_of_every_caller_but_services_applies_to_a_scanned_principal(
    operator: str, values: list[str | None], applies: bool
) -> None:
    """``Deny "*"`` unless the caller is a service (``StringNotEquals
    aws:PrincipalServiceName``, ``Null aws:PrincipalServiceName: true``) refuses every scanned
    role and user: the key is in a service principal's request only.  The Deny side read only
    aws:PrincipalArn, aws:PrincipalAccount and aws:PrincipalType, and let them through, where
    the Allow side already refused them for ``"*"`` under a test of the service's name."""
    deny = statement(operator, "aws:PrincipalServiceName", *values)
    assert certainly_met(deny, ROLE) is applies
    assert certainly_met(deny, USER) is applies
    assert certainly_met(deny, Caller(None, "111122223333", None)) is applies  # an account
    # Of a party rolelint knows nothing of (a service, anyone), the key may be there.
    assert certainly_met(deny, Caller(None, None, None)) is False


def test_an_allow_requiring_the_service_name_key_refuses_a_scanned_principal() -> None:
    """``Null aws:PrincipalServiceName: false`` requires the key: no scanned principal's
    request holds it, so such a trust statement admits none of them (as a positive test of
    the name does); ``Null: true`` requires it absent, which every scanned caller passes."""
    assert refusal(statement("Null", "aws:PrincipalServiceName", "false"), ROLE) is not None
    assert refusal(statement("Null", "aws:PrincipalServiceNamesList", "false"), USER) is not None
    assert refusal(statement("Null", "aws:PrincipalServiceName", "true"), ROLE) is None


SERVICES_ONLY_BY_DENY = """\
Resources:
  Caller:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {Service: lambda.amazonaws.com}
            Action: sts:AssumeRole
      Policies:
        - PolicyName: assume
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: sts:AssumeRole
                Resource: "*"
  Workflow:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {AWS: !Sub "arn:aws:iam::${AWS::AccountId}:root"}
            Action: sts:AssumeRole
          - Effect: Allow
            Principal: {Service: states.amazonaws.com}
            Action: sts:AssumeRole
            Condition:
              StringEquals: {aws:SourceAccount: !Ref AWS::AccountId}
          - Effect: Deny
            Principal: "*"
            Action: sts:AssumeRole
            Condition:
              {condition}
      ManagedPolicyArns:
        - arn:aws:iam::aws:policy/AdministratorAccess
"""


@pytest.mark.parametrize(
    "condition",
    [
        "StringNotEquals: {aws:PrincipalServiceName: states.amazonaws.com}",
        "Null: {aws:PrincipalServiceName: 'true'}",
    ],
    ids=["not-the-service", "no-service"],
)
def test_a_deny_of_every_caller_but_a_service_cuts_a_scanned_role_s_edge(
    tmp_path: Path, condition: str
) -> None:
    """The trust admits the account's root and states.amazonaws.com, and denies every caller
    that is not a service: a role of the account allowed sts:AssumeRole on "*" does not reach
    the administrator role.  RL401 said it did (and RL207 named it among the roles reached)."""
    text = SERVICES_ONLY_BY_DENY.replace("{condition}", condition)
    findings = findings_of(text, ".yaml", tmp_path)
    assert [f.message for f in findings if f.rule_id == "RL401"] == []
    assert all("Workflow" not in f.message for f in findings if f.rule_id == "RL207")
