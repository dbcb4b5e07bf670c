"""RL612: an action paired only with resources of a type it cannot act on."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from rolelint.findings import Severity
from tests.rules.harness import findings_of, line_of, policy


def rl612(tmp_path: Path, action: Any, resource: Any, effect: str = "Allow") -> list[Any]:
    code = policy({"Effect": effect, "Action": action, "Resource": resource})
    return [
        (f.location.line, f.severity, f.message, code)
        for f in findings_of(code, "json", tmp_path)
        if f.rule_id == "RL612"
    ]


def test_object_action_on_a_bucket(tmp_path: Path) -> None:
    [(line, severity, message, code)] = rl612(
        tmp_path, ["s3:ListBucket", "s3:GetObject"], "arn:aws:s3:::reports"
    )
    assert line == line_of(code, '"s3:GetObject"') and severity is Severity.MEDIUM
    assert "acts on accesspointobject, object resources" in message


def test_a_deny_that_protects_nothing_is_high(tmp_path: Path) -> None:
    [(_, severity, message, _)] = rl612(
        tmp_path, "s3:ListBucket", "arn:aws:s3:::reports/2026/summary.csv", "Deny"
    )
    assert severity is Severity.HIGH and message.endswith("so it denies nothing there")


@pytest.mark.parametrize(
    ("action", "resource"),
    [
        ("s3:GetObject", ["arn:aws:s3:::reports", "arn:aws:s3:::reports/*"]),  # one fits
        ("s3:GetObject", "arn:aws:s3:::reports*"),  # a wildcard: not certain
        ("s3:Get*", "arn:aws:s3:::reports"),  # s3:GetBucketPolicy among them fits
        ("s3:Get*Object", "arn:aws:s3:::reports/*"),
        ("s3:ListAllMyBuckets", "arn:aws:s3:::reports"),  # "*"-only action: not this rule
        ("dynamodb:GetItem", "arn:aws:dynamodb:eu-west-1:123456789012:table/orders"),
        ("kms:Decrypt", "arn:aws:kms:eu-west-1:123456789012:key/0f5c2e1a"),
        # Formats once read too strictly: a log group name holds slashes, an AWS managed
        # policy's account is "aws", an npm package without a scope has an empty namespace.
        (
            "logs:PutLogEvents",
            "arn:aws:logs:us-east-1:123456789012:log-group:/ecs/api:log-stream:api/app/0123",
        ),
        ("iam:GetPolicyVersion", "arn:aws:iam::aws:policy/ReadOnlyAccess"),
        (
            "codeartifact:PublishPackageVersion",
            "arn:aws:codeartifact:us-east-1:123456789012:package/acme/internal/npm//left-pad",
        ),
    ],
)
def test_what_is_not_reported(tmp_path: Path, action: Any, resource: Any) -> None:
    assert rl612(tmp_path, action, resource) == []


@pytest.mark.parametrize("action", ["s3:Get*Object", "S3:GETOBJECT?ersion", "s3:*ObjectAcl"])
def test_a_wildcard_action_none_of_whose_actions_fits(tmp_path: Path, action: str) -> None:
    [(line, _, message, code)] = rl612(tmp_path, action, "arn:aws:s3:::reports")
    assert line == line_of(code, f'"{action}"')
    assert "object" in message and "bucket" not in message.split("acts on")[1]


@pytest.mark.parametrize(
    "resource",
    [
        "arn:aws:dynamodb:us-east-1:123456789012:table/Ledger",  # "table" of Glue, Timestream ...
        "arn:aws:iam::123456789012:user/break-glass",  # "user" of Transfer, QuickSight ...
    ],
)
def test_a_deny_of_everything_on_one_resource_protects_it(tmp_path: Path, resource: str) -> None:
    """The formats of resource types were kept by their name alone, so for "*" the last
    service with a "table" type decided what a table ARN looks like: a Deny of every action
    on one table was said to deny nothing (high)."""
    assert rl612(tmp_path, "*", resource, "Deny") == []
