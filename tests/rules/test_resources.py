"""RL612: an action paired only with resources of a type it cannot act on."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rolelint.findings import Severity
from rolelint.model import generated_name, unresolved_name, unresolved_path
from tests.conftest import count_calls
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


# A role at a path whose parameter has no default (so its ARN holds a stand-in for the path),
# with the name NAME sets, and a policy pairing ACTION with RESOURCE (EFFECT).
AT_A_PATH = """\
Parameters:
  TeamPath: {Type: String}
  BuildName: {Type: String}
Resources:
  Build:
    Type: AWS::IAM::Role
    Properties:
      Path: !Ref TeamPath
      NAME
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Principal: {Service: codebuild.amazonaws.com}, Action: sts:AssumeRole}
  Pipeline:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: EFFECT
            Action: ACTION
            Resource: RESOURCE
"""


def at_a_path(
    tmp_path: Path,
    action: str,
    resource: str = "!GetAtt Build.Arn",
    effect: str = "Allow",
    name: str = "RoleName: build",
) -> list[Any]:
    code = (
        AT_A_PATH.replace("NAME", name)
        .replace("EFFECT", effect)
        .replace("ACTION", action)
        .replace("RESOURCE", resource)
    )
    return [
        (f.location.line == line_of(code, f"Action: {action}"), f.severity, f.message)
        for f in findings_of(code, "yaml", tmp_path)
        if f.rule_id == "RL612"
    ]


@pytest.mark.parametrize(
    ("name", "said"),
    [
        ("RoleName: build", "build"),
        ("RoleName: !Ref BuildName", "<unresolved name>"),
        ("Description: no RoleName", "<a name CloudFormation generates>"),
    ],
)
def test_a_role_arn_at_a_path_not_known_is_still_a_role(
    tmp_path: Path, name: str, said: str
) -> None:
    """Every statement whose resources held a path rolelint cannot resolve was skipped, though
    the ARN is a role's whatever the path (and the name): s3:GetObject on it grants nothing."""
    [(at_action, severity, message)] = at_a_path(tmp_path, "s3:GetObject", name=name)
    assert at_action and severity is Severity.MEDIUM
    assert (
        "pairs s3:GetObject with 'arn:aws:iam::${AWS::AccountId}:role/<unresolved path>/"
        f"{said}', but s3:GetObject acts on accesspointobject, object resources"
    ) in message


def test_a_deny_on_a_role_at_a_path_not_known_protects_nothing(tmp_path: Path) -> None:
    [(_, severity, message)] = at_a_path(tmp_path, "s3:PutObject", effect="Deny")
    assert severity is Severity.HIGH and message.endswith("so it denies nothing there")


@pytest.mark.parametrize(
    ("action", "resource"),
    [
        ("iam:PassRole", "!GetAtt Build.Arn"),  # a role's action: the type is known
        ("iam:GetRole", "!GetAtt Build.Arn"),
        ("ssm:UpdateManagedInstanceRole", "!GetAtt Build.Arn"),  # SSM's "iam-role" type
        ("s3:GetObject", "[!GetAtt Build.Arn, 'arn:aws:s3:::artifacts/*']"),  # one fits
        ("s3:GetObject", '!Sub "${Build.Arn}*"'),  # a wildcard: not certain
        ("s3:GetObject", '!Sub "${Build.Arn}/${BuildName}"'),  # a value not known
    ],
)
def test_what_is_not_reported_at_a_path_not_known(
    tmp_path: Path, action: str, resource: str
) -> None:
    assert at_a_path(tmp_path, action, resource) == []


def test_a_type_at_one_path_may_be_a_role_at_a_path_not_known() -> None:
    """OpenSearch's service-linked role type has one ARN, at the path
    ``/aws-service-role/es.amazonaws.com/``: a role of that name at a path not known may be
    it, so no finding may say it is not; a role of another name, or of that name at "/",
    never is."""
    from rolelint import iam_actions
    from rolelint.checks.resources import _may_be_of
    from rolelint.model import unresolved_path

    pattern = iam_actions.resource_arn_patterns("es")["es_role"]
    arn_format = (pattern, iam_actions.resource_arn_wildcards("es")["es_role"])
    role = "arn:aws:iam::123456789012:role"
    at_a_path_not_known = role + unresolved_path("s.yaml", "R")
    assert _may_be_of(arn_format, at_a_path_not_known + "AWSServiceRoleForAmazonOpenSearchService")
    assert not _may_be_of(arn_format, at_a_path_not_known + "build")
    assert not _may_be_of(arn_format, role + "/AWSServiceRoleForAmazonOpenSearchService")
    assert _may_be_of(
        arn_format,
        role + "/aws-service-role/es.amazonaws.com/AWSServiceRoleForAmazonOpenSearchService",
    )


def _judgements_of(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, actions: list[str], resources: list[str]
) -> tuple[int, list[Any]]:
    """How many times RL612 asked whether a resource may be of a type (``_may_be_of``) for
    one statement, and its findings."""
    from rolelint.checks import resources as rl612_module

    judged = count_calls(monkeypatch, rl612_module, "_may_be_of")
    found = rl612(tmp_path, actions, resources)
    monkeypatch.undo()
    return judged.count, found


def test_each_resource_is_judged_once_against_the_types_of_its_service(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """For a wildcard action, every resource type's format was tried on every resource, again
    for each copy of the action: "*" ten times on 2,000 buckets asked 37 million times (19 s).
    A resource is now tried against the formats of its own service only (a format's service
    field is written in it: an ARN of another service never matches), and each action text of
    a statement is judged once."""
    from rolelint import iam_actions

    buckets = [f"arn:aws:s3:::b{n}" for n in range(20)]
    s3_formats = len(iam_actions.resource_arn_templates("s3"))
    once, found = _judgements_of(monkeypatch, tmp_path, ["*"], buckets)
    assert found == []  # "*" holds the bucket actions
    # The first bucket is of a type of "*": at most every S3 format (and those whose service
    # is a field) are tried on it, never the catalog's 2,300, and no other bucket is tried.
    assert once <= s3_formats + 1
    tenfold, found_ten = _judgements_of(monkeypatch, tmp_path, ["*"] * 10, buckets)
    assert found_ten == [] and tenfold == once
    # Where no resource fits, each is tried against its service's formats: linear.
    pattern = "s3:Get*Object"
    mismatched, found = _judgements_of(monkeypatch, tmp_path, [pattern] * 10, buckets)
    more = buckets + [f"{bucket}x" for bucket in buckets]
    doubled, found_more = _judgements_of(monkeypatch, tmp_path, [pattern] * 10, more)
    assert len(found) == len(found_more) == 10
    assert doubled == 2 * mismatched <= 2 * len(buckets) * (s3_formats + 1)


def test_copies_of_a_mismatched_action_are_each_reported(tmp_path: Path) -> None:
    """Judging each text of a statement once still reports every value holding it."""
    found = rl612(tmp_path, ["s3:GetObject", "s3:ListBucket", "s3:GetObject"], "arn:aws:s3:::b")
    code = found[0][3]
    both = [line_of(code, '"s3:GetObject"', n) for n in (1, 2)]
    assert [line for line, *_ in found] == both


# --- roles whose name or path is not known ------------------------------------------------------

_STAND_IN_ACTIONS = ["s3:*", "lambda:*", "dynamodb:*", "iam:CreateUser", "iam:*", "backup:*"]


def _unknown_roles(count: int, *, own_paths: bool) -> list[str]:
    """The ARNs of ``count`` roles without a name (at a path of their own, or at ``/``)."""
    path = "/p{n}/" if own_paths else "/"
    return [
        f"arn:aws:iam::123456789012:role{path.format(n=n)}" + generated_name("t.json", f"R{n}")
        for n in range(count)
    ]


_FIELD_PIECES = ["arn", ":", "aws", "iam", "s3", "lambda", "backup", "role/", "/", "x", "1"]
_FIELD_PIECES += [generated_name("t.json", "R"), unresolved_name("d/t.yaml", "R")]
_FIELD_PIECES += [unresolved_path("t.json", "R"), ":::", "arn:aws:iam::123456789012:role/"]


@settings(max_examples=400, deadline=None)
@given(
    st.lists(st.sampled_from(_FIELD_PIECES), min_size=1, max_size=8).map("".join),
    st.sampled_from(_STAND_IN_ACTIONS),
)
def test_a_resource_holding_a_stand_in_is_judged_as_against_every_format(
    resource: str, action: str
) -> None:
    """A resource holding a stand-in is tried against the formats of the services its fields
    name only (and those whose service is a field): for every such resource and action, what
    trying every format said."""
    from rolelint.checks import resources as rl612_module

    formats = rl612_module._formats_of(action)
    assert formats is not None
    every = any(rl612_module._may_be_of(f, resource) for f in formats.every)
    assert formats.may_hold(resource) == every


@pytest.mark.parametrize("own_paths", [False, True])
def test_roles_without_a_name_are_judged_against_the_formats_of_their_service(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, own_paths: bool
) -> None:
    """Hunt: a statement of s3:*, lambda:*, dynamodb:* on 500 roles without a name took 12 s
    (0.9 s with names; as long with each role at a path of its own): a resource holding a
    stand-in was tried against every format of each action, each a walk of its own."""
    from rolelint.checks import resources as rl612_module
    from rolelint.checks import stand_ins

    roles = _unknown_roles(60, own_paths=own_paths)
    actions = ["s3:*", "lambda:*", "dynamodb:*", "iam:CreateUser"]
    stand_ins._judged.cache_clear()
    stand_ins._judged_shape.cache_clear()
    walks = count_calls(monkeypatch, stand_ins, "_walk")
    judged, found = _judgements_of(monkeypatch, tmp_path, actions, roles)
    assert len(found) == len(actions)  # none of them acts on roles
    tried = 0  # for each role, the formats of IAM and those whose service is a field
    for action in actions:
        formats = rl612_module._formats_of(action)
        assert formats is not None
        tried += len(formats.by_service.get("iam", ())) + len(formats.any_service)
    assert 0 < judged <= len(roles) * tried
    # Roles that differ only in their stand-in are walked once for each format.
    assert 0 < walks.count <= (len(roles) if own_paths else 1) * tried
