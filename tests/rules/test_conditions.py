"""RL611: a condition on a key the statement's actions never carry makes the statement void."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from rolelint.findings import Severity
from tests.rules.harness import findings_of, line_of, policy


def statement(action: Any, condition: dict[str, Any], effect: str = "Allow") -> dict[str, Any]:
    return {
        "Effect": effect,
        "Action": action,
        "Resource": "arn:aws:s3:::b",
        "Condition": condition,
    }


def rl611(tmp_path: Path, *statements: dict[str, Any]) -> list[tuple[int, Severity, str]]:
    code = policy(*statements)
    return [
        (f.location.line, f.severity, f.message)
        for f in findings_of(code, "json", tmp_path)
        if f.rule_id == "RL611"
    ]


def test_a_key_the_action_does_not_carry(tmp_path: Path) -> None:
    code = policy(statement("s3:GetObject", {"StringLike": {"s3:prefix": "a/*"}}))
    [(line, severity, message)] = rl611(tmp_path, *json.loads(code)["Statement"])
    assert line == line_of(code, '"s3:prefix"')
    assert severity is Severity.MEDIUM and "never present in requests for s3:GetObject" in message


def test_a_deny_that_never_applies_is_high(tmp_path: Path) -> None:
    [(_, severity, message)] = rl611(
        tmp_path, statement("s3:GetObject", {"StringEquals": {"s3:prefixes": "a"}}, "Deny")
    )
    assert severity is Severity.HIGH
    assert "'s3:prefixes' is not a condition key of s3 (did you mean 's3:prefix'?)" in message
    assert message.endswith("so this Deny never applies")


def test_a_wildcard_action_none_of_whose_actions_carries_the_key(tmp_path: Path) -> None:
    code = policy(statement("s3:Get*", {"StringLike": {"s3:prefix": "a/*"}}))
    [(line, _, message)] = rl611(tmp_path, *json.loads(code)["Statement"])
    assert line == line_of(code, '"s3:prefix"')
    assert "never present in requests for s3:GetAccelerateConfiguration" in message
    assert "more, and StringLike is false without it" in message


@pytest.mark.parametrize(
    ("action", "condition"),
    [
        ("s3:ListBucket", {"StringLike": {"s3:prefix": "a/*"}}),  # carried
        ("s3:GetObject", {"StringLikeIfExists": {"s3:prefix": "a/*"}}),  # IfExists
        ("s3:GetObject", {"StringNotLike": {"s3:prefix": "a/*"}}),  # negated: true when absent
        ("s3:GetObject", {"Null": {"s3:prefix": "true"}}),
        ("s3:List*", {"StringLike": {"s3:prefix": "a/*"}}),  # s3:ListBucket among them
        ("*:Get*", {"StringLike": {"s3:prefix": "a/*"}}),  # a wildcard service: not certain
        (["s3:GetObject", "ec2:RunInstances"], {"StringLike": {"s3:prefix": "a/*"}}),
        ("s3:GetObject", {"StringEquals": {"aws:PrincipalOrgID": "o-1"}}),  # global key
        ("s3:GetObject", {"StringEquals": {"ec2:Vpc": "vpc-1"}}),  # another service's key
        ("s3:GetObject", {"StringEquals": {"s3:ExistingObjectTag/team": "a"}}),  # tag template
    ],
)
def test_what_is_not_judged(tmp_path: Path, action: Any, condition: dict[str, Any]) -> None:
    assert rl611(tmp_path, statement(action, condition)) == []


def test_a_templated_key_of_the_catalog_names_its_instances(tmp_path: Path) -> None:
    """The catalog lists kms:EncryptionContext:${EncryptionContextKey} for kms:Decrypt: the key
    of AWS's own CloudTrail key policy was "not a condition key of kms"."""
    context = "kms:EncryptionContext:aws:cloudtrail:arn"
    good = statement("kms:Decrypt", {"StringLike": {context: "arn:aws:cloudtrail:*:1:trail/*"}})
    assert rl611(tmp_path, good) == []
    typo = statement("kms:Decrypt", {"StringEquals": {"kms:EncryptionContextt:x": "y"}})
    [(_, _, message)] = rl611(tmp_path, typo)
    assert "'kms:EncryptionContextt:x' is not a condition key of kms" in message


def test_for_all_values_is_true_without_the_key(tmp_path: Path) -> None:
    """ForAllValues is vacuously true when the request carries no value of the key (IAM User
    Guide, multivalued context keys): a Deny so written does apply, ForAnyValue's does not."""
    forall = {"ForAllValues:StringLike": {"s3:prefix": "2026/*"}}
    assert rl611(tmp_path, statement("s3:GetObject", forall, "Deny")) == []
    assert rl611(tmp_path, statement("s3:GetObject", forall)) == []
    forany = {"ForAnyValue:StringLike": {"s3:prefix": "a/*"}}
    code = policy(statement("s3:GetObject", forany, "Deny"))
    [(line, severity, message)] = rl611(tmp_path, *json.loads(code)["Statement"])
    assert line == line_of(code, '"s3:prefix"') and severity is Severity.HIGH
    assert "ForAnyValue:StringLike is false without it" in message


def test_an_operator_iam_rejects_is_not_judged(tmp_path: Path) -> None:
    """``StringLikeIfexists`` is no IfExists to the model (nor a valid operator to IAM): it was
    "false without it, so this Deny never applies" while RL607 reports the operator."""
    code = policy(statement("s3:GetObject", {"StringLikeIfexists": {"s3:prefix": "a/*"}}, "Deny"))
    found = findings_of(code, "json", tmp_path)
    pairs = [(f.rule_id, f.location.line) for f in found if f.rule_id in ("RL607", "RL611")]
    assert pairs == [("RL607", line_of(code, '"StringLikeIfexists"'))]
