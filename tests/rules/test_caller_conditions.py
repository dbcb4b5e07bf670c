"""Which trust conditions block a hop: only mandatory tests of the caller's ARN, account or kind
(or a demand for a service) with every value resolved and none matching."""

from __future__ import annotations

import pytest

from rolelint.graph.caller_conditions import Caller, refusal
from rolelint.model import Condition, Statement, Value
from rolelint.source import SourceRef, Span

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
