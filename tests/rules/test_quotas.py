"""Quotas: policy sizes as IAM counts them, and managed policies per role."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from rolelint.api import lint_paths
from rolelint.audit.access import access_of
from rolelint.checks.quotas import (
    MANAGED_POLICY_SIZE,
    ROLE_INLINE_POLICIES_SIZE,
    ROLE_TRUST_POLICY_SIZE,
    policy_size,
)
from rolelint.model import (
    THIS_ACCOUNT,
    UNRESOLVED_KEY,
    Condition,
    PolicyDocument,
    PolicyKind,
    Statement,
    Value,
)
from rolelint.parsers import parse_source
from rolelint.parsers.policy_builder import MAX_STATEMENTS
from rolelint.source import SourceRef
from tests.conftest import count_calls

AT = SourceRef("p.json")


def document(*actions: str | None) -> PolicyDocument:
    statement = Statement(
        AT,
        Value("Allow", AT),
        actions=tuple(Value(a, AT, None if a else "parameter") for a in actions),
        resources=(Value("*", AT),),
    )
    return PolicyDocument(
        PolicyKind.PERMISSIONS, AT, "p.json", "policy", (statement,), Value("2012-10-17", AT)
    )


def test_size_counts_characters_without_white_space() -> None:
    assert policy_size(document("s3:Get Object")) == len(
        '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject",'
        '"Resource":"*"}]}'
    )


def test_unresolved_values_count_as_empty_so_the_size_is_a_lower_bound() -> None:
    assert policy_size(document(None)) == policy_size(document(""))
    assert policy_size(document(None)) < policy_size(document("s3:GetObject"))


def _managed_policy(tmp_path: Path, padding: int) -> tuple[int, list[str]]:
    """A managed policy whose size IAM would count, and the rules that fire on it."""
    body = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": "s3:PutObject",
                "Resource": [f"arn:aws:s3:::bucket-{i:03d}/*" for i in range(180)]
                + ["arn:aws:s3:::" + "x" * padding],
            }
        ],
    }
    size = len(json.dumps(body, separators=(",", ":")))  # as IAM counts it: no white space
    template = {
        "Resources": {
            "P": {"Type": "AWS::IAM::ManagedPolicy", "Properties": {"PolicyDocument": body}}
        }
    }
    path = tmp_path / "template.json"
    path.write_text(json.dumps(template, indent=2))
    return size, [f.rule_id for f in lint_paths([str(path)]).findings]


def test_a_managed_policy_at_the_quota_passes_and_one_character_more_fails(tmp_path: Path) -> None:
    base, _ = _managed_policy(tmp_path, 1)
    at_quota = 1 + MANAGED_POLICY_SIZE - base
    size, rules = _managed_policy(tmp_path, at_quota)
    assert size == MANAGED_POLICY_SIZE and "RL609" not in rules
    size, rules = _managed_policy(tmp_path, at_quota + 1)
    assert size == MANAGED_POLICY_SIZE + 1 and "RL609" in rules


def _policy_file(tmp_path: Path, buckets: int, trust: bool = False) -> tuple[int, list[str]]:
    """A raw policy file, its size as IAM counts it, and the rules that fire on it."""
    if trust:
        statement = {
            "Effect": "Allow",
            "Principal": {"AWS": [f"arn:aws:iam::{i:012d}:root" for i in range(buckets)]},
            "Action": "sts:AssumeRole",
        }
    else:
        statement = {
            "Effect": "Allow",
            "Action": "s3:PutObject",
            "Resource": [f"arn:aws:s3:::bucket-{i:04d}/*" for i in range(buckets)],
        }
    body = {"Version": "2012-10-17", "Statement": [statement]}
    path = tmp_path / "policy.json"
    path.write_text(json.dumps(body, indent=2))
    size = len(json.dumps(body, separators=(",", ":")))
    return size, [f.rule_id for f in lint_paths([str(path)]).findings]


def test_a_policy_file_is_too_large_only_when_it_fits_no_kind_of_policy(tmp_path: Path) -> None:
    # Between the managed (6,144) and inline (10,240) quotas it may still be an inline policy.
    size, rules = _policy_file(tmp_path, 300)
    assert MANAGED_POLICY_SIZE < size < ROLE_INLINE_POLICIES_SIZE and "RL609" not in rules
    size, rules = _policy_file(tmp_path, 400)
    assert size > ROLE_INLINE_POLICIES_SIZE and "RL609" in rules


def _padded_policy(
    tmp_path: Path, statements: list[dict[str, Any]], size: int
) -> list[tuple[str, int]]:
    """The RL609 findings on a policy file of ``statements`` and one more, padded to ``size``
    characters as IAM counts them (compact JSON, characters of Latin-1 written as they are)."""
    padding = {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::"}
    body = {"Version": "2012-10-17", "Statement": [*statements, padding]}
    missing = size - len(json.dumps(body, separators=(",", ":"), ensure_ascii=False))
    padding["Resource"] += "x" * missing
    assert len(json.dumps(body, separators=(",", ":"), ensure_ascii=False)) == size
    path = tmp_path / "policy.json"
    path.write_text(json.dumps(body, indent=1, ensure_ascii=False), encoding="utf-8")
    found = lint_paths([str(path)]).findings
    return [(f.rule_id, f.location.line) for f in found if f.rule_id == "RL609"]


def test_a_latin_1_character_counts_one(tmp_path: Path) -> None:
    """``ü`` was counted as its JSON escape, six characters: 60 of them made a policy of the
    inline quota 300 characters too large."""
    named = [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::" + "ü" * 60}]
    assert _padded_policy(tmp_path, named, ROLE_INLINE_POLICIES_SIZE) == []
    assert _padded_policy(tmp_path, named, ROLE_INLINE_POLICIES_SIZE + 1) == [("RL609", 1)]


def test_booleans_and_numbers_written_bare_count_without_quotes(tmp_path: Path) -> None:
    """``"aws:SecureTransport": false`` was counted as ``"false"``: 60 such Denies and a
    number made a policy of the inline quota 240 characters too large."""
    deny = [
        {
            "Effect": "Deny",
            "Action": "s3:*",
            "Resource": f"arn:aws:s3:::bucket-{i:03d}/*",
            "Condition": {
                "Bool": {"aws:SecureTransport": False},
                "NumericGreaterThan": {"s3:max-keys": 1000},
            },
        }
        for i in range(60)
    ]
    assert _padded_policy(tmp_path, deny, ROLE_INLINE_POLICIES_SIZE) == []
    assert _padded_policy(tmp_path, deny, ROLE_INLINE_POLICIES_SIZE + 1) == [("RL609", 1)]


def test_a_trust_policy_file_over_its_quota_is_reported(tmp_path: Path) -> None:
    size, rules = _policy_file(tmp_path, 60, trust=True)
    assert size > ROLE_TRUST_POLICY_SIZE and "RL609" in rules
    size, rules = _policy_file(tmp_path, 20, trust=True)
    assert size < ROLE_TRUST_POLICY_SIZE and "RL609" not in rules


def _trust_file(tmp_path: Path, size: int) -> list[tuple[str, int]]:
    """The RL609 findings on a trust policy file of ``"Principal": "*"``, padded to ``size``
    characters as IAM counts them."""
    condition = {"StringEquals": {"aws:PrincipalOrgID": "o-"}}
    trust = {"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole"}
    body = {"Version": "2012-10-17", "Statement": [{**trust, "Condition": condition}]}
    missing = size - len(json.dumps(body, separators=(",", ":")))
    condition["StringEquals"]["aws:PrincipalOrgID"] += "a" * missing
    path = tmp_path / "trust.json"
    path.write_text(json.dumps(body, indent=1))
    found = lint_paths([str(path)]).findings
    return [(f.rule_id, f.location.line) for f in found if f.rule_id == "RL609"]


def test_a_bare_star_principal_counts_as_written(tmp_path: Path) -> None:
    """``"Principal": "*"`` was counted as ``{"*":"*"}``, six characters more."""
    assert _trust_file(tmp_path, ROLE_TRUST_POLICY_SIZE) == []
    assert _trust_file(tmp_path, ROLE_TRUST_POLICY_SIZE + 1) == [("RL609", 1)]


def _single_statement_trust_file(tmp_path: Path, size: int) -> list[str]:
    """The RL609 messages on a trust policy file whose Statement is one object (no list),
    padded to ``size`` characters as IAM counts them."""
    condition = {"StringEquals": {"sts:ExternalId": ""}}
    statement = {
        "Effect": "Allow",
        "Principal": {"AWS": [str(100000000000 + i * 7919) for i in range(124)]},
        "Action": "sts:AssumeRole",
        "Condition": condition,
    }
    body = {"Version": "2012-10-17", "Statement": statement}
    missing = size - len(json.dumps(body, separators=(",", ":")))
    condition["StringEquals"]["sts:ExternalId"] += "x" * missing
    path = tmp_path / "trust.json"
    path.write_text(json.dumps(body, indent=2))
    return [f.message for f in lint_paths([str(path)]).findings if f.rule_id == "RL609"]


def test_a_statement_written_as_one_object_counts_no_brackets(tmp_path: Path) -> None:
    """A Statement written as one object was counted as a list of it, two characters more:
    a trust policy of 2,047 characters was reported as 2,049, over the quota."""
    assert _single_statement_trust_file(tmp_path, ROLE_TRUST_POLICY_SIZE - 1) == []
    assert _single_statement_trust_file(tmp_path, ROLE_TRUST_POLICY_SIZE) == []
    [message] = _single_statement_trust_file(tmp_path, ROLE_TRUST_POLICY_SIZE + 1)
    assert "The policy is 2,049 characters, over the 2,048" in message


def test_a_policy_cut_at_the_statement_limit_is_at_least_its_size(tmp_path: Path) -> None:
    """Past 1,000 statements the rest is not read: the size counted is of the first 1,000 only,
    which was given as the policy's size (75,928 characters of a policy of 114,475)."""
    statements = [
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::b{i}/*"}
        for i in range(1500)
    ]
    body = {"Version": "2012-10-17", "Statement": statements}
    read = {"Version": "2012-10-17", "Statement": statements[:MAX_STATEMENTS]}
    counted = len(json.dumps(read, separators=(",", ":")))
    path = tmp_path / "policy.json"
    path.write_text(json.dumps(body, indent=1))
    messages = [f.message for f in lint_paths([str(path)]).findings if f.rule_id == "RL609"]
    assert messages == [
        f"The policy is at least {counted:,} characters, over the 6,144 IAM allows a managed "
        "policy and the 10,240 it allows all inline policies of a role together; IAM rejects it "
        "(count without white space, values rolelint cannot resolve counted as empty)"
    ]


def test_a_policy_on_many_roles_counts_for_each_and_is_sized_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An AWS::IAM::Policy is an inline policy of every role it names: it counts toward each
    role's total, and is sized once (200 such policies on 2,000 roles were sized 400,000
    times)."""
    import rolelint.checks.quotas as quotas

    big = [f"arn:aws:s3:::bucket-{i:03d}/*" for i in range(200)]  # about 5,800 characters
    trust = {
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "ec2.amazonaws.com"},
                "Action": "sts:AssumeRole",
            }
        ]
    }
    resources: dict[str, object] = {
        f"R{n}": {"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": trust}}
        for n in range(40)
    }

    def policy(roles: range, buckets: list[str]) -> dict[str, object]:
        return {
            "Type": "AWS::IAM::Policy",
            "Properties": {
                "PolicyName": "p",
                "Roles": [{"Ref": f"R{n}"} for n in roles],
                "PolicyDocument": {
                    "Statement": [
                        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": buckets}
                    ]
                },
            },
        }

    resources["Shared"] = policy(range(40), big)
    for n in range(10):  # the first ten roles have a larger one of their own: over the quota
        resources[f"Own{n}"] = policy(range(n, n + 1), [*big, "arn:aws:s3:::more/*"])
    path = tmp_path / "template.json"
    path.write_text(json.dumps({"Resources": resources}))
    sized = count_calls(monkeypatch, quotas, "policy_size")
    findings = [f for f in lint_paths([str(path)]).findings if f.rule_id == "RL609"]
    roles: list[str] = []
    for f in findings:
        assert f.role is not None
        roles.append(f.role)
    assert sorted(roles) == sorted(f"R{n}" for n in range(10))
    assert [f.resource for f in findings] == [f"Own{n}" for n in range(10)]  # the largest
    assert sized.count == 1 + 10 + 40  # each policy once, and each role's trust policy


def _branch(condition_first: bool, buckets: int) -> str:
    resources = ", ".join(f'"arn:aws:s3:::bucket-{n:04}/*"' for n in range(buckets))
    statement = f'{{Sid: Read, Effect: Allow, Action: "s3:GetObject", Resource: [{resources}]}}'
    options = [statement, "!Ref AWS::NoValue"]
    if not condition_first:
        options.reverse()
    return f"          - !If [IsProd, {options[0]}, {options[1]}]\n"


def test_statements_of_exclusive_branches_are_not_added_together(tmp_path: Path) -> None:
    """Two Fn::If statements of which only one is ever deployed: each fits, so the policy fits.
    They were counted together (RL609), and their shared Sid was a duplicate (RL606)."""
    template = (
        "Conditions:\n  IsProd: !Equals [!Ref AWS::StackName, prod]\n"
        "Resources:\n  MP:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n"
        "      PolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n"
        + _branch(True, 110)
        + _branch(False, 110)
    )
    (tmp_path / "t.yaml").write_text(template)
    assert [f.rule_id for f in lint_paths([str(tmp_path)]).findings] == []
    # The same two statements, both certain, are too large together and share a Sid.
    certain = template.replace("!If [IsProd, ", "").replace(", !Ref AWS::NoValue]", "")
    certain = certain.replace("!Ref AWS::NoValue, ", "").replace("}]\n", "}\n")
    (tmp_path / "t.yaml").write_text(certain)
    assert sorted(f.rule_id for f in lint_paths([str(tmp_path)]).findings) == ["RL606", "RL609"]


def test_statements_of_a_dynamic_block_over_unknown_elements_are_not_counted(
    tmp_path: Path,
) -> None:
    """Zero, one or many such statements: the one analyzed is not certainly in the policy
    (alone it is over the quota, and gave RL609)."""
    resources = ", ".join(f'"arn:aws:s3:::bucket-{n:04}/*"' for n in range(300))
    (tmp_path / "main.tf").write_text(
        'variable "readers" {}\n'
        'data "aws_iam_policy_document" "p" {\n'
        '  dynamic "statement" {\n    for_each = var.readers\n    content {\n'
        f'      actions   = ["s3:GetObject"]\n      resources = [{resources}]\n    }}\n  }}\n}}\n'
        'resource "aws_iam_policy" "p" {\n  policy = data.aws_iam_policy_document.p.json\n}\n'
    )
    assert [f.rule_id for f in lint_paths([str(tmp_path)]).findings if f.rule_id == "RL609"] == []


MANY = [f"arn:aws:iam::aws:policy/P{n}" for n in range(12)]
BIG_TRUST = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Action": "sts:AssumeRole",
            "Principal": {"AWS": [f"arn:aws:iam::{100000000000 + n}:root" for n in range(70)]},
            "Condition": {"StringEquals": {"sts:ExternalId": "partner-7f3c9a2e"}},
        }
    ],
}
ROLE_ARN = "arn:aws:iam::111122223333:role/many"
QUOTA_RULES = ("RL609", "RL610")


def _terraform(top: str) -> dict[str, object]:
    values = {
        "name": "many",
        "arn": ROLE_ARN,
        "assume_role_policy": json.dumps(BIG_TRUST, separators=(",", ":")),
        "managed_policy_arns": MANY,
    }
    role = {
        "address": "aws_iam_role.many",
        "mode": "managed",
        "type": "aws_iam_role",
        "name": "many",
        "values": values,
    }
    return {
        "format_version": "1.0",
        "terraform_version": "1.9.0",
        top: {"root_module": {"resources": [role]}},
    }


DEPLOYED: dict[str, dict[str, object]] = {
    "export": {
        "RoleDetailList": [
            {
                "Path": "/",
                "RoleName": "many",
                "Arn": ROLE_ARN,
                "AssumeRolePolicyDocument": BIG_TRUST,
                "RolePolicyList": [],
                "AttachedManagedPolicies": [
                    {"PolicyName": arn.rsplit("/", 1)[1], "PolicyArn": arn} for arn in MANY
                ],
                "InstanceProfileList": [],
            }
        ],
        "Policies": [],
    },
    "state": _terraform("values"),
    "get-role": {
        "Role": {
            "Path": "/",
            "RoleName": "many",
            "Arn": ROLE_ARN,
            "AssumeRolePolicyDocument": BIG_TRUST,
        }
    },
}


@pytest.mark.parametrize("source", [*DEPLOYED, "plan"])
def test_quotas_are_not_judged_on_roles_already_deployed(tmp_path: Path, source: str) -> None:
    """An export, a state or a get-role answer shows a role that exists: over the default
    quotas, the account's were raised, and "the deployment fails" (RL610, RL609 on its trust
    policy) was wrong. A plan is yet to be deployed and is still judged."""
    content = _terraform("planned_values") if source == "plan" else DEPLOYED[source]
    path = tmp_path / "input.json"
    text = json.dumps(content, indent=1)
    path.write_text(text)
    report = lint_paths([str(path)])
    assert report.errors == [] and report.files_analyzed == 1
    found = {(f.rule_id, f.location.line) for f in report.findings if f.rule_id in QUOTA_RULES}
    if source != "plan":
        assert found == set()
    else:
        lines = text.splitlines()
        assert found == {
            ("RL610", next(n for n, t in enumerate(lines, 1) if '"address"' in t)),
            ("RL609", next(n for n, t in enumerate(lines, 1) if '"assume_role_policy"' in t)),
        }


def _managed_arns(*items: str) -> str:
    """A template whose role R (line 4) attaches ``items`` (YAML list items) by ARN."""
    return (
        "Conditions:\n  Prod: !Equals [!Ref AWS::Region, us-east-1]\n"
        "Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n"
        "      AssumeRolePolicyDocument:\n        Statement:\n"
        "          - {Effect: Allow, Principal: {Service: ec2.amazonaws.com}, "
        "Action: sts:AssumeRole}\n"
        "      ManagedPolicyArns:\n" + "".join(f"        - {item}\n" for item in items)
    )


def _quota_findings(tmp_path: Path, name: str, text: str) -> list[tuple[str, int]]:
    (tmp_path / name).write_text(text)
    report = lint_paths([str(tmp_path / name)])
    assert report.errors == []
    return [(f.rule_id, f.location.line) for f in report.findings if f.rule_id in QUOTA_RULES]


def _aws(name: str) -> str:
    return f"arn:aws:iam::aws:policy/{name}"


@pytest.mark.parametrize(
    ("items", "expected"),
    [
        # One deployment attaches one ARN of each Fn::If, none of the last: 5 or 6, never 11.
        (
            [f"!If [Prod, {_aws(f'A{n}')}, {_aws(f'B{n}')}]" for n in range(5)]
            + [f"!If [Prod, {_aws('C')}, !Ref AWS::NoValue]"],
            [],
        ),
        # Eleven conditions, each attaching one of two: eleven in every deployment.
        ([f"!If [Prod, {_aws(f'A{n}')}, {_aws(f'B{n}')}]" for n in range(11)], [("RL610", 4)]),
        # Ten certain, and a condition choosing between two of them: still ten.
        ([_aws(f"A{n}") for n in range(10)] + [f"!If [Prod, {_aws('A0')}, {_aws('A1')}]"], []),
        # Ten certain, and a condition choosing one of two others: eleven.
        (
            [_aws(f"A{n}") for n in range(10)] + [f"!If [Prod, {_aws('B0')}, {_aws('B1')}]"],
            [("RL610", 4)],
        ),
        # Two conditions that may pick the same ARN: a deployment may attach it once.
        (
            [_aws(f"A{n}") for n in range(9)]
            + [
                f"!If [Prod, {_aws('B0')}, {_aws('B1')}]",
                f"!If [Prod, {_aws('B0')}, {_aws('B2')}]",
            ],
            [],
        ),
    ],
)
def test_managed_policies_chosen_by_fn_if_count_what_a_deployment_certainly_attaches(
    tmp_path: Path, items: list[str], expected: list[tuple[str, int]]
) -> None:
    """RL610 promises that the deployment fails: both branches of each Fn::If were counted."""
    assert _quota_findings(tmp_path, "t.yaml", _managed_arns(*items)) == expected


KNOWN = ["AdministratorAccess", "PowerUserAccess", "IAMFullAccess", "IAMReadOnlyAccess"]


def test_aws_managed_policies_read_from_data_count_as_the_arns_that_attach_them(
    tmp_path: Path,
) -> None:
    """Policies whose documents rolelint ships are attached as documents: a condition choosing
    between two of those already attached adds nothing."""
    items = [_aws(name) for name in KNOWN] + [_aws(f"A{n}") for n in range(6)]
    items.append(f"!If [Prod, {_aws(KNOWN[0])}, {_aws(KNOWN[1])}]")
    assert _quota_findings(tmp_path, "t.yaml", _managed_arns(*items)) == []
    items[-1] = f"!If [Prod, {_aws(KNOWN[0])}, {_aws('B0')}]"
    assert _quota_findings(tmp_path, "t.yaml", _managed_arns(*items)) == []
    items.append(f"!If [Prod, {_aws('B1')}, {_aws('B2')}]")
    assert _quota_findings(tmp_path, "t.yaml", _managed_arns(*items)) == [("RL610", 4)]


def test_a_managed_policy_resource_with_a_condition_is_not_counted(tmp_path: Path) -> None:
    """It exists only where its condition holds: ten ARNs and it are ten in some deployments."""
    template = _managed_arns(*(_aws(f"A{n}") for n in range(10))) + (
        "  MP:\n    Type: AWS::IAM::ManagedPolicy\n    Condition: Prod\n    Properties:\n"
        "      Roles: [!Ref R]\n      PolicyDocument:\n        Statement:\n"
        "          - {Effect: Allow, Action: s3:GetObject, Resource: '*'}\n"
    )
    assert _quota_findings(tmp_path, "t.yaml", template) == []
    unconditional = template.replace("    Condition: Prod\n", "")
    assert _quota_findings(tmp_path, "t.yaml", unconditional) == [("RL610", 4)]


def test_a_managed_policy_whose_text_is_unread_still_counts_where_it_is_attached(
    tmp_path: Path,
) -> None:
    """A ManagedPolicy whose document is a parameter is still attached: held as an unread
    policy (it was dropped), it counts once however many ways it is attached, and not where
    a condition leaves it out."""
    template = (
        "Parameters:\n  Doc: {Type: String}\n"
        + _managed_arns(*(_aws(f"A{n}") for n in range(10)), "!Ref MP").replace(
            "Conditions:", "Conditions:", 1
        )
        + "  MP:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n"
        "      Roles: [!Ref R]\n      PolicyDocument: !Ref Doc\n"
    )
    assert _quota_findings(tmp_path, "t.yaml", template) == [("RL610", 6)]
    conditional = template.replace("      Roles: [!Ref R]\n", "").replace(
        "- !Ref MP", "- !If [Prod, !Ref MP, !Ref AWS::NoValue]"
    )
    assert _quota_findings(tmp_path, "t.yaml", conditional) == []


def test_a_whole_list_chosen_by_fn_if_counts_its_smaller_branch(tmp_path: Path) -> None:
    eleven = "[" + ", ".join(_aws(f"A{n}") for n in range(11)) + "]"
    six = "[" + ", ".join(_aws(f"B{n}") for n in range(6)) + "]"
    template = _managed_arns("x").replace("\n        - x\n", f" !If [Prod, {eleven}, {six}]\n")
    assert _quota_findings(tmp_path, "t.yaml", template) == []
    template = template.replace(six, eleven.replace("/A", "/B"))
    assert _quota_findings(tmp_path, "t.yaml", template) == [("RL610", 4)]


def test_managed_policies_of_a_terraform_conditional_count_its_smaller_branch(
    tmp_path: Path,
) -> None:
    def arns(prefix: str, count: int) -> str:
        return "[" + ", ".join(f'"{_aws(f"{prefix}{n}")}"' for n in range(count)) + "]"

    def role(then: str, otherwise: str) -> str:
        return (
            'variable "prod" {\n  type = bool\n}\n\n'
            'resource "aws_iam_role" "r" {\n  name = "r"\n'
            '  assume_role_policy = "{}"\n'
            f"  managed_policy_arns = var.prod ? {then} : {otherwise}\n}}\n"
        )

    assert _quota_findings(tmp_path, "main.tf", role(arns("A", 6), arns("B", 6))) == []
    found = _quota_findings(tmp_path, "main.tf", role(arns("A", 11), arns("B", 11)))
    assert found == [("RL610", 5)]


def test_a_module_policy_a_terraform_conditional_may_leave_out_is_not_counted(
    tmp_path: Path,
) -> None:
    """Ten certain ARNs and the module's own policy under ``var.prod ? [...] : []``: the
    policy was held as attached in every deployment, "11 managed policies ... the deployment
    fails", though a deployment without ``prod`` attaches ten.  Made certain, it counts."""

    def role(own: str) -> str:
        ten = ", ".join(f'"{_aws(f"A{n}")}"' for n in range(10))
        return (
            'variable "prod" {\n  type = bool\n}\n\n'
            'resource "aws_iam_policy" "own" {\n  name = "own"\n'
            '  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow",'
            ' Action = "s3:GetObject", Resource = "arn:aws:s3:::b/*" }] })\n}\n'
            'resource "aws_iam_role" "r" {\n  name = "r"\n'
            '  assume_role_policy = "{}"\n'
            f"  managed_policy_arns = concat([{ten}], {own})\n}}\n"
        )

    assert (
        _quota_findings(tmp_path, "main.tf", role("var.prod ? [aws_iam_policy.own.arn] : []")) == []
    )
    assert _quota_findings(tmp_path, "main.tf", role("[aws_iam_policy.own.arn]")) == [("RL610", 9)]


@pytest.mark.parametrize(
    "attachment", ["aws_iam_role_policy_attachment", "aws_iam_policy_attachment"]
)
def test_an_attachment_of_a_terraform_conditional_attaches_one_policy(
    tmp_path: Path, attachment: str
) -> None:
    """Both branches of each attachment's ``policy_arn = var.x ? A : B`` were counted: six
    attachments were "12 managed policies ... the deployment fails".  Each attaches one."""

    def role(attachments: int, *, chosen: bool = True) -> str:
        arn = (
            f'var.prod ? "{_aws("A")}${{each.key}}" : "{_aws("B")}${{each.key}}"'
            if chosen
            else f'"{_aws("A")}${{each.key}}"'
        )
        holder = (
            "  role = aws_iam_role.r.name\n"
            if attachment == "aws_iam_role_policy_attachment"
            else '  name  = "a"\n  roles = [aws_iam_role.r.name]\n'
        )
        keys = ", ".join(f'"{n}"' for n in range(attachments))
        return (
            'variable "prod" {\n  type = bool\n}\n\n'
            'resource "aws_iam_role" "r" {\n  name = "r"\n'
            '  assume_role_policy = "{}"\n}\n'
            f'resource "{attachment}" "a" {{\n  for_each = toset([{keys}])\n'
            f"{holder}  policy_arn = {arn}\n}}\n"
        )

    assert _quota_findings(tmp_path, "main.tf", role(6)) == []
    assert _quota_findings(tmp_path, "main.tf", role(10)) == []
    assert _quota_findings(tmp_path, "main.tf", role(11)) == [("RL610", 5)]
    assert _quota_findings(tmp_path, "main.tf", role(11, chosen=False)) == [("RL610", 5)]


def _placeholder_policy(tmp_path: Path, padding: int) -> tuple[int, list[tuple[str, int]]]:
    """A managed policy naming this account and region in every statement: its size once
    deployed (a 12-digit account, the shortest region code), and the quota findings."""
    resources = ["arn:aws:s3:::" + "x" * padding]
    resources += [f"arn:aws:s3:::b-{n:03d}/${{AWS::AccountId}}/${{AWS::Region}}" for n in range(60)]

    def body(resource: Callable[[str], object]) -> dict[str, object]:
        statements = [
            {"Effect": "Allow", "Action": "s3:GetObject", "Resource": resource(text)}
            for text in resources
        ]
        return {"Version": "2012-10-17", "Statement": statements}

    policy = body(lambda text: {"Fn::Sub": text})
    template = {
        "Resources": {
            "P": {"Type": "AWS::IAM::ManagedPolicy", "Properties": {"PolicyDocument": policy}}
        }
    }
    deployed = body(
        lambda text: text.replace("${AWS::AccountId}", "1" * 12).replace(
            "${AWS::Region}", "us-east-1"
        )
    )
    size = len(json.dumps(deployed, separators=(",", ":")))
    return size, _quota_findings(tmp_path, "template.json", json.dumps(template, indent=2))


def test_this_account_and_region_count_as_long_as_they_are_once_deployed(tmp_path: Path) -> None:
    """``${AWS::AccountId}`` (17 characters) becomes 12 digits and ``${AWS::Region}`` a region
    code of 9 at the least: a policy of 6,118 characters once deployed was reported as 6,438."""
    base, _ = _placeholder_policy(tmp_path, 1)
    at_quota = 1 + MANAGED_POLICY_SIZE - base
    size, found = _placeholder_policy(tmp_path, at_quota)
    assert size == MANAGED_POLICY_SIZE and found == []
    size, found = _placeholder_policy(tmp_path, at_quota + 1)
    assert size == MANAGED_POLICY_SIZE + 1 and found == [("RL609", 6)]


def test_generated_names_and_unresolved_condition_keys_count_as_empty() -> None:
    def sized(resource: str, key: str = "aws:SourceArn") -> int:
        statement = Statement(
            AT,
            Value("Allow", AT),
            actions=(Value("s3:GetObject", AT),),
            resources=(Value(resource, AT),),
            conditions=(Condition("StringEquals", key, (Value("x", AT),), AT),),
        )
        return policy_size(PolicyDocument(PolicyKind.PERMISSIONS, AT, "p", "p", (statement,)))

    role = "arn:aws:iam::111122223333:role/"
    assert sized(role + "<generated:t.yaml#Role>") == sized(role)
    assert sized(f"arn:aws:iam::{THIS_ACCOUNT}:role/x") == sized(role + "x")
    assert sized("*", f"{UNRESOLVED_KEY} 3:5") == sized("*", "")


SAM_TEMPLATES = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: index.handler
      Policies:
{policies}
"""


def test_sam_policy_templates_are_no_managed_policies(tmp_path: Path) -> None:
    """SAM makes each policy template an inline policy of the function's role; only names and
    ARNs become managed policies.  Ten templates beside the basic execution role made "FnRole
    has 11 managed policies".  They are still unread policies of the role."""
    templates = "".join(f"        - S3ReadPolicy: {{BucketName: b{n}}}\n" for n in range(10))
    path = tmp_path / "template.yaml"
    path.write_text(SAM_TEMPLATES.format(policies=templates))
    report = lint_paths([str(path)])
    assert report.errors == [] and not [f for f in report.findings if f.rule_id == "RL610"]
    [fn_role] = parse_source(str(path), path.read_text()).inventory.roles
    assert access_of(fn_role, [], None).unresolved_policies == 11
    # Ten managed policies beside the basic execution role: counted.
    managed = "".join(f"        - arn:aws:iam::aws:policy/P{n}\n" for n in range(10))
    path.write_text(SAM_TEMPLATES.format(policies=templates + managed))
    report = lint_paths([str(path)])
    assert [(f.rule_id, f.location.line) for f in report.findings if f.rule_id == "RL610"] == [
        ("RL610", 3)
    ]


# AWS managed policies rolelint ships no document of, so SAM's ARN for each name has a path
# rolelint does not know.
READ_ONLY_NAMES = [
    f"{prefix}ReadOnlyAccess"
    for prefix in (
        "AmazonS3",
        "AmazonEC2",
        "AmazonSQS",
        "AmazonSNS",
        "AmazonDynamoDB",
        "AmazonRDS",
        "CloudWatch",
        "AWSLambda_",
        "AmazonMQ",
    )
]
KINESIS = "AmazonKinesisReadOnlyAccess"


def _sam_policies(*items: str) -> str:
    listed = "".join(f"        - {item}\n" for item in items)
    return "Conditions:\n  Prod: !Equals [!Ref AWS::Region, us-east-1]\n" + SAM_TEMPLATES.format(
        policies=listed
    )


def test_a_sam_policies_name_and_an_arn_of_the_same_policy_count_once(tmp_path: Path) -> None:
    """A SAM ``Policies`` name rolelint knows no path of is held with a path not known
    (``arn:aws:iam::aws:policy<unresolved path:...>AmazonKinesisReadOnlyAccess``); beside the
    policy's ARN it counted as a second policy: eight names, the name and the ARN of one
    more, and the basic execution role (ten policies: SAM finds the name's ARN, and adds an
    ARN the role has no second time) were "11 managed policies", a failed deployment that is
    none.  A name an ``Fn::If`` chooses is that policy too."""
    path = tmp_path / "template.yaml"
    same = [*READ_ONLY_NAMES[:8], KINESIS, f"arn:aws:iam::aws:policy/{KINESIS}"]
    for items in (same, [*same, f"!If [Prod, {KINESIS}, !Ref AWS::NoValue]"]):
        path.write_text(_sam_policies(*items))
        assert [f.rule_id for f in lint_paths([str(path)]).findings] == []
    # One more policy is eleven.
    path.write_text(_sam_policies(*same, READ_ONLY_NAMES[8]))
    assert [(f.rule_id, f.location.line) for f in lint_paths([str(path)]).findings] == [
        ("RL610", 5)
    ]
    # Two policies of the name under two paths: which one SAM finds is not known, and the name
    # counts as a policy of its own (seven names, the name, two ARNs and the basic execution
    # role are eleven).
    other = f"arn:aws:iam::aws:policy/team/{KINESIS}"
    path.write_text(_sam_policies(*READ_ONLY_NAMES[:7], *same[8:], other))
    assert [(f.rule_id, f.location.line) for f in lint_paths([str(path)]).findings] == [
        ("RL610", 5)
    ]


_SWITCHED = {
    # what the attachment that some deployments do not make attaches
    "readable policy": "aws_iam_policy.extra.arn",
    "unread policy": "aws_iam_policy.unread.arn",
    "aws managed policy": f'"{_aws("B0")}"',
}


@pytest.mark.parametrize("switch", ["var.on ? 1 : 0", "length(var.names)"])
@pytest.mark.parametrize("attached", sorted(_SWITCHED))
def test_an_attachment_whose_count_is_not_known_is_not_counted(
    tmp_path: Path, attached: str, switch: str
) -> None:
    """Ten attachments every deployment makes and one with ``count = var.on ? 1 : 0`` (``var.on``
    has no default) were "11 managed policies ... the deployment fails", though a deployment
    with ``on = false`` attaches ten.  RL610 promises certain failure: such an attachment is
    optional, whether its policy is read or not; made certain (``count = 1``), it counts."""

    keys = ", ".join(f'"{n}"' for n in range(10))

    def module(count: str) -> str:
        return (
            'variable "on" {\n  type = bool\n}\n'
            'variable "names" {\n  type = list(string)\n}\n'
            'variable "doc" {\n  type = string\n}\n'
            'resource "aws_iam_role" "r" {\n  name = "r"\n'
            '  assume_role_policy = "{}"\n}\n'
            'resource "aws_iam_policy" "extra" {\n  name = "extra"\n'
            '  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow",'
            ' Action = "*", Resource = "*" }] })\n}\n'
            'resource "aws_iam_policy" "unread" {\n  name = "unread"\n  policy = var.doc\n}\n'
            'resource "aws_iam_role_policy_attachment" "ten" {\n'
            f"  for_each   = toset([{keys}])\n"
            f'  role       = aws_iam_role.r.name\n  policy_arn = "{_aws("A")}${{each.key}}"\n}}\n'
            'resource "aws_iam_role_policy_attachment" "switched" {\n'
            f"  count      = {count}\n  role       = aws_iam_role.r.name\n"
            f"  policy_arn = {_SWITCHED[attached]}\n}}\n"
        )

    assert _quota_findings(tmp_path, "main.tf", module(switch)) == []
    # What an optional attachment grants is still read, for the role.
    report = lint_paths([str(tmp_path / "main.tf")])
    admin = [(f.location.line, f.role) for f in report.findings if f.rule_id == "RL201"]
    holder = "aws_iam_role.r" if attached == "readable policy" else None
    assert admin == [(16, holder)]
    assert _quota_findings(tmp_path, "main.tf", module("1")) == [("RL610", 10)]


def test_an_attachment_over_a_for_each_not_known_is_not_counted(tmp_path: Path) -> None:
    """``for_each = toset(var.arns)`` with ``var.arns`` unknown may attach none: its one
    (unresolved) policy was counted as certain, the eleventh of "11 managed policies"."""
    text = (
        'variable "arns" {\n  type = list(string)\n}\n'
        'resource "aws_iam_role" "r" {\n  name = "r"\n  managed_policy_arns = ['
        + ", ".join(f'"{_aws(f"A{n}")}"' for n in range(10))
        + ']\n  assume_role_policy = "{}"\n}\n'
        'resource "aws_iam_role_policy_attachment" "more" {\n'
        "  for_each   = toset(var.arns)\n  role       = aws_iam_role.r.name\n"
        "  policy_arn = each.value\n}\n"
    )
    assert _quota_findings(tmp_path, "main.tf", text) == []
    certain = text.replace("toset(var.arns)", 'toset(["x"])').replace("each.value", "var.arns[0]")
    assert _quota_findings(tmp_path, "main.tf", certain) == [("RL610", 4)]


def test_a_policy_one_role_always_holds_and_another_may_is_one_finding(tmp_path: Path) -> None:
    """The optional copy made for an attachment whose count is not known was reported beside
    the document itself: the same RL201, at the same place, twice (one per role).  As in
    CloudFormation, a policy without a Deny that some holder always holds is that one
    document: one finding naming both roles."""
    (tmp_path / "main.tf").write_text(
        """\
variable "on" { type = bool }
locals {
  trust = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow",
    Principal = { Service = "ec2.amazonaws.com" }, Action = "sts:AssumeRole" }] })
}
resource "aws_iam_role" "a" {
  name               = "a"
  assume_role_policy = local.trust
}
resource "aws_iam_role" "b" {
  name               = "b"
  assume_role_policy = local.trust
}
resource "aws_iam_policy" "p" {
  name   = "p"
  policy = jsonencode({ Version = "2012-10-17",
    Statement = [{ Effect = "Allow", Action = "iam:*", Resource = "*" }] })
}
resource "aws_iam_role_policy_attachment" "a" {
  role       = aws_iam_role.a.name
  policy_arn = aws_iam_policy.p.arn
}
resource "aws_iam_role_policy_attachment" "b" {
  count      = var.on ? 1 : 0
  role       = aws_iam_role.b.name
  policy_arn = aws_iam_policy.p.arn
}
"""
    )
    report = lint_paths([str(tmp_path)])
    [finding] = [f for f in report.findings if f.rule_id == "RL201"]
    assert (finding.location.line, finding.role) == (17, "aws_iam_role.a, aws_iam_role.b")


def test_a_policy_module_attaching_to_its_callers_roles_shares_the_document(
    tmp_path: Path,
) -> None:
    """The sharing above looked only at the roles of the policy's own module: a policy module
    attaching its policy to two roles its caller creates, one always and one with a ``count``
    not known before apply, gave the same RL201 at the same place twice, one per role."""
    (tmp_path / "main.tf").write_text(
        """\
variable "n" { type = number }
locals {
  trust = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow",
    Principal = { Service = "ec2.amazonaws.com" }, Action = "sts:AssumeRole" }] })
}
resource "aws_iam_role" "a" {
  name               = "a"
  assume_role_policy = local.trust
}
resource "aws_iam_role" "b" {
  name               = "b"
  assume_role_policy = local.trust
}
module "policy" {
  source = "./policy"
  always = aws_iam_role.a.name
  some   = aws_iam_role.b.name
  n      = var.n
}
"""
    )
    (tmp_path / "policy").mkdir()
    (tmp_path / "policy" / "main.tf").write_text(
        """\
variable "always" { type = string }
variable "some" { type = string }
variable "n" { type = number }
resource "aws_iam_policy" "p" {
  name   = "p"
  policy = jsonencode({ Version = "2012-10-17",
    Statement = [{ Effect = "Allow", Action = "iam:*", Resource = "*" }] })
}
resource "aws_iam_role_policy_attachment" "always" {
  role       = var.always
  policy_arn = aws_iam_policy.p.arn
}
resource "aws_iam_role_policy_attachment" "some" {
  count      = var.n
  role       = var.some
  policy_arn = aws_iam_policy.p.arn
}
"""
    )
    report = lint_paths([str(tmp_path / "main.tf")])
    found = [(f.location.line, f.role) for f in report.findings if f.rule_id == "RL201"]
    assert found == [(7, "aws_iam_role.a, aws_iam_role.b")]


SAM_CONNECTORS = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Queue:
    Type: AWS::SQS::Queue
  Table:
    Type: AWS::DynamoDB::Table
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: a.h
      Policies:
{policies}
    Connectors:
      ToTable:
        Properties:
          Destination: {{Id: Table}}
          Permissions: [Read, Write]
  FnToQueue:
    Type: AWS::Serverless::Connector
    Properties:
      Source: {{Id: Fn}}
      Destination: {{Id: Queue}}
      Permissions: [Write]
"""


def test_the_managed_policies_sam_connectors_generate_are_counted(tmp_path: Path) -> None:
    """SAM turns each connector from a function to a table or queue into an
    AWS::IAM::ManagedPolicy attached to the function's role.  Nine names, Lambda's basic
    execution policy and two connectors are 12 managed policies, and the stack fails to
    deploy; the connectors were not read, so RL610 counted 10 and said nothing."""

    def names(count: int) -> str:
        return "".join(f"        - arn:aws:iam::aws:policy/P{n}\n" for n in range(count))

    def rl610(template: str) -> list[tuple[int, str]]:
        path = tmp_path / "template.yaml"
        path.write_text(template)
        findings = lint_paths([str(path)]).findings
        return [(f.location.line, f.message[:45]) for f in findings if f.rule_id == "RL610"]

    # At the function SAM generates the role for.
    assert rl610(SAM_CONNECTORS.format(policies=names(9))) == [
        (7, "Role FnRole has 12 managed policies attached;")
    ]
    assert rl610(SAM_CONNECTORS.format(policies=names(7))) == []  # 10: within the quota
    # A connector under a Condition of its own may not be deployed: not counted.
    conditional = SAM_CONNECTORS.replace(
        "    Type: AWS::Serverless::Connector\n",
        "    Type: AWS::Serverless::Connector\n    Condition: Later\n",
    ).replace(
        "Resources:\n",
        "Parameters:\n  Env: {{Type: String}}\n"
        "Conditions:\n  Later: !Equals [!Ref Env, prod]\nResources:\n",
    )
    assert rl610(SAM_CONNECTORS.format(policies=names(8))) != []
    assert rl610(conditional.format(policies=names(8))) == []


def test_every_oversized_boundary_several_roles_hold_is_reported_once(tmp_path: Path) -> None:
    """A boundary two roles hold is judged as one text, a document made for the question
    (Inventory.permission_texts).  RL609 remembered the texts it had judged by id(): once one
    was judged and freed, the next one made could take its id and was taken as judged
    already, so an over-size boundary went unreported, depending on how memory was reused."""
    many = ", ".join(f'"arn:aws:s3:::bucket-{n:04}/*"' for n in range(400))
    roles = "".join(
        f"""\
  R{n}:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {{Effect: Allow, Principal: {{Service: lambda.amazonaws.com}}, Action: sts:AssumeRole}}
      PermissionsBoundary: !Ref Bnd
"""
        for n in (1, 2)
    )
    template = f"""\
Resources:
  Bnd:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {{Effect: Allow, Action: s3:GetObject, Resource: [{many}]}}
{roles}"""
    paths = []
    for n in range(6):
        (tmp_path / f"t{n}").mkdir()
        (tmp_path / f"t{n}" / "t.yaml").write_text(template)
        paths.append(str(tmp_path / f"t{n}" / "t.yaml"))
    report = lint_paths(paths)
    assert report.errors == []
    found = sorted(f.location.file for f in report.findings if f.rule_id == "RL609")
    assert found == sorted(paths)
