"""Permission-policy rules RL201-RL207: overlaps between rules, Deny, wildcards, exact lines."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from rolelint.api import lint_paths
from rolelint.findings import Finding
from tests.conftest import count_calls, run_rolelint
from tests.rules.harness import exported_role, findings_of, line_of, policy


def allow(action: Any, resource: Any = "*", **extra: Any) -> dict[str, Any]:
    return {"Effect": "Allow", "Action": action, "Resource": resource, **extra}


def deny(action: Any, resource: Any = "*", **extra: Any) -> dict[str, Any]:
    return {"Effect": "Deny", "Action": action, "Resource": resource, **extra}


def lint(tmp_path: Path, *statements: dict[str, Any]) -> tuple[str, list[Finding]]:
    code = policy(*statements)
    return code, findings_of(code, "json", tmp_path)


def pairs(findings: list[Finding]) -> set[tuple[str, int]]:
    return {(f.rule_id, f.location.line) for f in findings}


# --- RL201 ----------------------------------------------------------------------------------------


# "?*" is "*" for a service prefix or an action name: neither is ever empty (hunt: no RL201).
@pytest.mark.parametrize("action", ["*", "*:*", "iam:*", "IAM:*", "iam:?*", "*:?*", "?*:*"])
def test_rl201_admin_actions_on_every_resource(tmp_path: Path, action: str) -> None:
    code, findings = lint(tmp_path, allow(action))
    # Nothing else fires: RL202, RL203, RL206 and RL207 leave admin statements to RL201.
    assert pairs(findings) == {("RL201", line_of(code, '"Action"'))}
    assert repr(action) in findings[0].message


@pytest.mark.parametrize("action", ["iam*", "*iam*", "i*", "?*", "IAM*"])
def test_rl201_an_action_without_a_service_prefix_grants_nothing(
    tmp_path: Path, action: str
) -> None:
    """'iam*' on '*' was RL201 critical: IAM refuses a value without a service prefix, and RL605
    says it grants nothing."""
    code, findings = lint(tmp_path, allow(action))
    assert pairs(findings) == {("RL605", line_of(code, '"Action"'))}


def test_rl201_admin_inside_an_action_list(tmp_path: Path) -> None:
    code, findings = lint(tmp_path, allow(["s3:GetObject", "*"], ["arn:aws:s3:::b", "*"]))
    assert pairs(findings) == {("RL201", line_of(code, '"*"'))}


def test_rl201_unconditional_deny_removes_it(tmp_path: Path) -> None:
    _, findings = lint(tmp_path, allow("iam:*"), deny("iam:*"))
    assert findings == []


def test_rl201_narrower_or_conditional_deny_does_not_remove_it(tmp_path: Path) -> None:
    code, findings = lint(
        tmp_path,
        allow("*"),
        deny("iam:*", "arn:aws:iam::123456789012:role/ops"),
        deny("*", Condition={"Bool": {"aws:MultiFactorAuthPresent": "false"}}),
    )
    assert pairs(findings) == {("RL201", line_of(code, '"Action": "*"'))}
    # The finding names the Denies a reviewer might think limit it, and why they do not.
    # (A statement is at its opening brace, the line before its "Effect".)
    deny_line, conditional_line = [
        number - 1 for number, line in enumerate(code.splitlines(), 1) if '"Deny"' in line
    ]
    message = findings[0].message
    assert f"the Deny at line {deny_line} covers fewer resources" in message
    assert f"the Deny at line {conditional_line} has a condition, so it may not apply" in message


def test_rl201_a_deny_of_iam_leaves_no_admin_but_everything_else(tmp_path: Path) -> None:
    code, findings = lint(tmp_path, allow("*"), deny("iam:*"))
    action, resource = line_of(code, '"Action": "*"'), line_of(code, '"Resource": "*"')
    assert pairs(findings) == {
        ("RL202", action),  # every action except IAM's
        ("RL206", action),  # escalation outside IAM (ssm:SendCommand on * ...)
        ("RL207", resource),
        ("RL208", resource),
    }
    [broad] = [f for f in findings if f.rule_id == "RL202"]
    assert "every action of every service except iam:*" in broad.message
    deny_line = line_of(code, '"Action": "iam:*"') - 2
    assert f"the Deny at line {deny_line} removes iam:*" in broad.message


@pytest.mark.parametrize(
    ("excluded", "admin"),
    [(["s3:*"], True), (["iam:*"], False), (["iam:PassRole", "ec2:*"], False)],
)
def test_rl201_allow_with_not_action_on_every_resource(
    tmp_path: Path, excluded: list[str], admin: bool
) -> None:
    code, findings = lint(tmp_path, {"Effect": "Allow", "NotAction": excluded, "Resource": "*"})
    at = line_of(code, '"NotAction"')
    assert (("RL201", at) in pairs(findings)) is admin
    assert ("RL204", at) in pairs(findings)


def test_rl201_every_action_on_one_bucket_is_not_admin(tmp_path: Path) -> None:
    code, findings = lint(tmp_path, allow("*", "arn:aws:s3:::app-uploads/*"))
    assert pairs(findings) == {("RL202", line_of(code, '"Action"'))}
    assert "every action of every service" in findings[0].message


@pytest.mark.parametrize("every", ["*", "arn:aws:*:*:*:*"])
def test_rl201_a_deny_of_all_but_one_bucket_leaves_no_admin(tmp_path: Path, every: str) -> None:
    """Hunt: "Deny * except on arn:aws:s3:::payroll/*" leaves '*' on that bucket only, yet a
    grant written on 'arn:aws:*:*:*:*' (every resource, as the rules read it) stayed RL201
    "(the Deny covers fewer resources)": only a literal '*' was narrowed.  What is left is
    every action on one bucket, which RL202 reports as it does when written so."""
    spare = {"Effect": "Deny", "Action": "*", "NotResource": "arn:aws:s3:::payroll/*"}
    code, findings = lint(tmp_path, allow("*", every), spare)
    assert pairs(findings) == {("RL202", line_of(code, '"Action": "*"'))}


@pytest.mark.parametrize(
    ("action", "resource", "what"),
    [
        ("iam:*", "arn:aws:iam::123456789012:*", "every IAM action ('iam:*')"),
        ("iam:*", "arn:aws:iam::*:*", "every IAM action ('iam:*')"),
        ("*", "arn:aws:*:*:123456789012:*", "every action ('*')"),
        ("*:*", "arn:aws:iam::${AWS::AccountId}:*", "every action ('*:*')"),
    ],
)
def test_rl201_every_iam_resource_of_an_account_is_every_resource(
    tmp_path: Path, action: str, resource: str, what: str
) -> None:
    """``iam:*`` on every IAM resource of the account lets the holder grant itself anything, as
    on ``"*"``, yet it was RL202 medium and RL206 high while the NotResource equivalent
    (every resource but a bucket) was RL201 critical.  The message names the resource written."""
    code, findings = lint(tmp_path, allow(action, resource))
    [finding] = findings
    assert (finding.rule_id, finding.location.line) == ("RL201", line_of(code, '"Action"'))
    assert finding.severity.value == "critical"
    assert f"allows {what} on '{resource}': full administrator access" in finding.message


@pytest.mark.parametrize(
    "resource",
    [
        "arn:aws:iam::123456789012:role/*",  # one kind of IAM resource: RL206
        "arn:aws:iam::123456789012:user/*",
        "arn:aws:iam::123456789012:*/app-*",  # some of each kind
    ],
)
def test_rl201_some_iam_resources_of_an_account_are_not_every_resource(
    tmp_path: Path, resource: str
) -> None:
    _, findings = lint(tmp_path, allow("iam:*", resource))
    assert "RL201" not in {f.rule_id for f in findings}


def test_rl201_every_iam_resource_under_a_deny_of_every_role(tmp_path: Path) -> None:
    """A Deny of iam:* on every role takes the role actions away from a grant on every IAM
    resource of the account as from one on '*': no administrator, the user ones stay (RL206)."""
    code, findings = lint(
        tmp_path,
        allow("iam:*", "arn:aws:iam::123456789012:*"),
        deny("iam:*", "arn:aws:iam::*:role/*"),
    )
    [finding] = findings
    assert (finding.rule_id, finding.location.line) == ("RL206", line_of(code, '"Action"'))
    assert "iam:AttachUserPolicy" in finding.message and "iam:PassRole" not in finding.message
    # And a Deny of every IAM resource takes it all.
    _, findings = lint(
        tmp_path,
        allow("*", "arn:aws:*:*:123456789012:*"),
        deny("iam:*", "arn:aws:iam::*:*"),
    )
    assert "RL201" not in {f.rule_id for f in findings}


def _resources_judged_for_admin(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, actions: list[str], resources: list[str]
) -> tuple[int, list[int]]:
    """How many times the rules asked whether a resource names every IAM resource
    (admin_access._every_iam_resource) for one Allow, and the lines of its RL201 findings."""
    from rolelint.checks import admin_access

    asked = count_calls(monkeypatch, admin_access, "_every_iam_resource")
    _, findings = lint(tmp_path, allow(actions, resources))
    monkeypatch.undo()
    return asked.count, sorted(f.location.line for f in findings if f.rule_id == "RL201")


def test_rl201_judges_each_admin_text_of_a_statement_once(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Every "*" of a statement went through every resource again (Grant.standing, on each):
    a statement an Fn::If on each of 1,600 conditions splits lists "*" hundreds of times in
    Action and in Resource, 20 million questions.  Each text is now judged once."""
    stars = ["*"] * 40
    once, found_once = _resources_judged_for_admin(monkeypatch, tmp_path, ["*"], stars)
    many, found_many = _resources_judged_for_admin(monkeypatch, tmp_path, stars, stars)
    assert len(found_once) == 1 and len(found_many) == len(stars)  # each copy still reported
    assert many == once
    # Other texts naming every IAM action are judged each on its own.
    mixed = ["*", "iam:*", "*", "iam:*", "s3:GetObject"]
    asked, found = _resources_judged_for_admin(monkeypatch, tmp_path, mixed, stars)
    assert len(found) == 4 and asked <= 2 * once


# --- RL202 ----------------------------------------------------------------------------------------


def test_rl202_service_wide_and_prefixes(tmp_path: Path) -> None:
    table = "arn:aws:dynamodb:eu-west-1:111122223333:table/orders"
    code, findings = lint(tmp_path, allow(["dynamodb:*", "dynamodb:Get*", "dynamodb:Query"], table))
    assert pairs(findings) == {("RL202", line_of(code, '"dynamodb:*"'))}


def test_rl202_names_the_service_in_lower_case_and_quotes_the_value(tmp_path: Path) -> None:
    bucket = "arn:aws:s3:::b/*"
    code, findings = lint(tmp_path, allow("S3:*", bucket))
    [finding] = findings
    assert (finding.rule_id, finding.location.line) == ("RL202", line_of(code, '"S3:*"'))
    assert finding.message.endswith("allows every s3 action ('S3:*')")


@pytest.mark.parametrize(
    ("action", "said"),
    [
        ("dynamodb:?*", "every dynamodb action"),
        ("dynamod?:*", "every dynamodb action"),
        ("*3:*", "every action of the 2 services matching '*3' (route53, s3)"),
        ("s3*:*", "services matching 's3*' (s3, s3-object-lambda, s3-outposts"),
    ],
)
def test_rl202_wildcard_spellings_of_whole_services(tmp_path: Path, action: str, said: str) -> None:
    """Hunt: ``dynamodb:?*`` (no action name is empty) and a prefix with a wildcard
    (``s*:*`` grants every action of s3, sqs, sns and the rest) were not RL202, while ``s3:*``
    on the same bucket was.  The services are named, from the action catalog."""
    code, findings = lint(tmp_path, allow(action, "arn:aws:s3:::mybucket/*"))
    [finding] = findings
    assert (finding.rule_id, finding.location.line) == ("RL202", line_of(code, '"Action"'))
    assert said in finding.message and finding.message.endswith(f"('{action}')")


def test_a_deny_spelled_with_question_marks_covers_the_grant(tmp_path: Path) -> None:
    """``?*`` in a Deny is ``*`` too: it takes the whole grant away."""
    _, findings = lint(tmp_path, allow("iam:?*"), deny("iam:*"), allow("s3:*"), deny("s3:?*"))
    assert findings == []


def test_rl202_is_silent_on_a_prefix_that_is_no_service(tmp_path: Path) -> None:
    """``lamda:*`` was "every lamda action" while RL605 said it grants nothing, and
    ``${Svc}:*`` (not resolved) "every ${svc} action"."""
    code, findings = lint(tmp_path, allow(["lamda:*", "${Svc}:*"], "arn:aws:s3:::b"))
    assert pairs(findings) == {("RL605", line_of(code, '"lamda:*"'))}


def test_rl202_denied_service(tmp_path: Path) -> None:
    key = "arn:aws:kms:eu-west-1:111122223333:key/abcd"
    _, findings = lint(tmp_path, allow("kms:*", key), deny("kms:*", "arn:aws:kms:*"))
    assert findings == []


UNKNOWN_TABLE = """\
Parameters:
  TableArn: {Type: String}
Resources:
  AppRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}
      Policies:
        - PolicyName: p
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: "dynamodb:*"
                Resource: !Ref TableArn
              - Effect: Deny
                Action: "dynamodb:*"
                Resource: DENIED
"""


@pytest.mark.parametrize(
    ("denied", "reported"),
    [
        ('"*"', False),  # every resource, whatever the parameter turns out to be
        ("arn:aws:dynamodb:eu-west-1:111122223333:table/orders", True),  # perhaps another one
    ],
)
def test_rl202_a_deny_of_every_resource_covers_one_not_known(
    tmp_path: Path, denied: str, reported: bool
) -> None:
    """dynamodb:* on a parameter with no default under an unconditional Deny of dynamodb:* on
    '*' was RL202: the Deny was not even asked, as the grant had no resolved resource."""
    code = UNKNOWN_TABLE.replace("DENIED", denied)
    found = pairs(findings_of(code, "yaml", tmp_path))
    assert found == ({("RL202", line_of(code, '"dynamodb:*"'))} if reported else set())


@pytest.mark.parametrize("action", ["dynamodb:*", "iam:Put*"])
def test_rl202_a_deny_of_every_resource_covers_a_not_resource_grant(
    tmp_path: Path, action: str
) -> None:
    """An Allow with NotResource grants on every resource but the listed ones: a Deny of the
    action on '*' takes it all away, yet RL202 reported it (the Deny was not asked), and so
    did RL205 (nothing of it is left on any resource)."""
    code, findings = lint(
        tmp_path,
        {"Effect": "Allow", "Action": action, "NotResource": "arn:aws:iam::111122223333:role/x"},
        deny(action.split(":")[0] + ":*"),
    )
    assert findings == []
    # Without the Deny, it is reported (iam:Put* on every user by RL206, as an escalation).
    code, findings = lint(
        tmp_path,
        {"Effect": "Allow", "Action": action, "NotResource": "arn:aws:iam::111122223333:role/x"},
    )
    assert pairs(findings) - {("RL205", line_of(code, '"NotResource"'))} == {
        ("RL202" if action == "dynamodb:*" else "RL206", line_of(code, '"Action"'))
    }


@pytest.mark.parametrize(
    "statement",
    [
        {"Effect": "Allow", "Action": "*"},
        {"Effect": "Allow", "Action": ["iam:*", "s3:*"]},
        {"Effect": "Allow", "NotAction": "iam:*"},  # RL204 said so too
        {"Effect": "Allow", "Action": "*", "Resources": "*"},  # RL613 points at the near miss
    ],
)
def test_a_statement_without_resource_grants_nothing_to_report(
    tmp_path: Path, statement: dict[str, Any]
) -> None:
    """IAM rejects a permissions policy whose statement names no resource (RL613), so the
    statement grants nothing: RL201 said nothing of it, yet RL202 reported "allows every action
    of every service" on it, and RL204 "allows every action except ..."."""
    code, findings = lint(tmp_path, statement)
    near_miss = "Resources" in statement
    # A statement is at its opening brace, the line before its "Effect".
    at = line_of(code, '"Resources"') if near_miss else line_of(code, '"Effect"') - 1
    assert pairs(findings) == {("RL613", at)}


@pytest.mark.parametrize(
    "statement",
    [
        {"Effect": "Allow", "NotAction": "iam:*", "NotResource": "*"},
        {"Effect": "Allow", "Action": "*", "NotResource": "*"},
        {"Effect": "Allow", "Action": "s3:*", "NotResource": ["arn:aws:s3:::b", "*"]},
        {"Effect": "Allow", "NotAction": "s3:*", "NotResource": "arn:aws:*:*:*:*"},
    ],
)
def test_a_not_resource_of_every_resource_grants_nothing_to_report(
    tmp_path: Path, statement: dict[str, Any]
) -> None:
    """Hunt: "Allow NotAction iam:* on every resource but '*'" was RL204 high and RL205
    ("allows its actions on every resource except '*'"), and "Allow * on every resource but
    '*'" RL202 and RL205: every resource but all of them is none, so the statement grants
    nothing, as NotAction "*" grants no action."""
    _, findings = lint(tmp_path, statement)
    assert findings == []
    # Every resource but one bucket is still every other resource.
    _, findings = lint(tmp_path, {**statement, "NotResource": "arn:aws:s3:::b"})
    assert "RL205" in {f.rule_id for f in findings}


def test_rl202_with_rl203_for_a_service_wildcard_on_every_resource(tmp_path: Path) -> None:
    code, findings = lint(tmp_path, allow("ec2:*"))
    assert pairs(findings) == {
        ("RL202", line_of(code, '"Action"')),
        ("RL203", line_of(code, '"Resource"')),
    }


# --- RL203 ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "action",
    [
        "s3:PutObject",
        "ec2:TerminateInstances",
        "s3:Put*",
        "s3:*ObjectTagging",
        "dynamodb:putitem",
    ],
)
def test_rl203_write_actions(tmp_path: Path, action: str) -> None:
    code, findings = lint(tmp_path, allow(["s3:ListBucket", action]))
    assert pairs(findings) == {("RL203", line_of(code, '"Resource"'))}
    assert repr(action) in findings[0].message


# Every partition AWS has (aws/aws-sdk-js-v3, util-endpoints partitions.json).
EVERY_PARTITION = (
    "aws",
    "aws-cn",
    "aws-us-gov",
    "aws-iso",
    "aws-iso-b",
    "aws-iso-e",
    "aws-iso-f",
    "aws-eusc",
)


@pytest.mark.parametrize("partition", EVERY_PARTITION)
def test_rl203_rl208_every_arn_of_any_partition_is_every_resource(
    tmp_path: Path, partition: str
) -> None:
    """The checks knew five partitions and the CloudFormation parser eight: 'arn:aws-eusc:*'
    (aws-iso-e, aws-iso-f) was not every resource, so writes and reads of secrets on it were
    not reported, as they were on 'arn:aws-cn:*'."""
    every = f"arn:{partition}:*:*:*:*"
    code, findings = lint(tmp_path, allow("s3:PutObject", every))
    [finding] = findings
    assert (finding.rule_id, finding.location.line) == ("RL203", line_of(code, '"Resource"'))
    assert f"'s3:PutObject' on every resource ('{every}')" in finding.message
    code, findings = lint(tmp_path, allow("secretsmanager:GetSecretValue", f"arn:{partition}:*"))
    [finding] = findings
    assert (finding.rule_id, finding.location.line) == ("RL208", line_of(code, '"Resource"'))
    assert "it can read every secret" in finding.message


@pytest.mark.parametrize("partition", EVERY_PARTITION)
def test_rl201_a_deny_of_every_arn_of_any_partition(tmp_path: Path, partition: str) -> None:
    """A Deny of every ARN of the policy's partition takes every IAM action that acts on a
    resource: in aws-iso-e, aws-iso-f and aws-eusc it was read as a Deny of a few resources,
    and 'iam:*' on '*' stayed RL201 critical."""
    _, findings = lint(tmp_path, allow("iam:*"), deny("*", f"arn:{partition}:*:*:*:*"))
    assert "RL201" not in {f.rule_id for f in findings}


def test_rl203_names_the_writes_a_read_looking_pattern_grants(tmp_path: Path) -> None:
    """'redshift:Get*' reads as read-only, yet grants temporary database credentials."""
    from rolelint.iam_actions import expand

    _, findings = lint(tmp_path, allow("redshift:Get*"))
    [finding] = findings
    writes = sorted(a.full_name for a in expand("redshift:Get*") if a.modifies)
    assert "redshift:GetClusterCredentials" in writes
    assert f"'redshift:Get*' ({len(writes)} write actions: {', '.join(writes)})" in finding.message


def test_rl203_names_a_few_when_a_pattern_grants_many(tmp_path: Path) -> None:
    from rolelint.iam_actions import PERMISSIONS_MANAGEMENT, expand

    _, findings = lint(tmp_path, allow("*:Get*"))
    [rl203] = [f for f in findings if f.rule_id == "RL203"]
    count, named = rl203.message.split("'*:Get*' (")[1].split(")")[0].split(", among them ")
    by_name = {a.full_name: a for a in expand("*:Get*")}
    # Writes AWS allows only on "*" are not counted: a policy cannot scope them.
    scopable = [a for a in by_name.values() if a.modifies and a.supports_resources]
    assert 3 < int(count.removesuffix(" write actions")) <= len(scopable)
    examples = named.split(", ")
    assert len(examples) == 3
    assert all(by_name[name] in scopable for name in examples)
    assert PERMISSIONS_MANAGEMENT in by_name[examples[0]].access_levels  # the worst first


@pytest.mark.parametrize("action", ["s3:*", "s3:PutObject"])
def test_rl203_names_no_examples_for_service_wide_or_literal_actions(
    tmp_path: Path, action: str
) -> None:
    _, findings = lint(tmp_path, allow(action))
    [rl203] = [f for f in findings if f.rule_id == "RL203"]
    assert f"'{action}' on every resource" in rl203.message


@pytest.mark.parametrize(
    "action",
    [
        "s3:GetBucketLocation",
        "ec2:Describe*",
        "logs:List*",
        "s3:ListAllMyBuckets",
        "logs:StartQuery",  # a Read action despite its verb
        "sns:CreatePlatformApplication",  # a Write action AWS supports only on "*"
    ],
)
def test_rl203_reads_and_actions_only_possible_on_every_resource(
    tmp_path: Path, action: str
) -> None:
    _, findings = lint(tmp_path, allow(action))
    assert findings == []


@pytest.mark.parametrize(
    "action",
    ["ec2:CreateTags", "rds:AddTagsToResource", "lambda:UntagResource", "kms:PutKeyPolicy"],
)
def test_rl203_tagging_and_permissions_management_count_as_writes(
    tmp_path: Path, action: str
) -> None:
    code, findings = lint(tmp_path, allow(action))
    assert ("RL203", line_of(code, '"Resource"')) in pairs(findings)


def test_rl203_a_condition_on_the_resource_limits_the_statement(tmp_path: Path) -> None:
    condition = {"StringEquals": {"aws:ResourceTag/team": "payments"}}
    _, findings = lint(tmp_path, allow("ec2:TerminateInstances", Condition=condition))
    assert findings == []


def test_rl203_a_condition_on_the_network_does_not(tmp_path: Path) -> None:
    condition = {"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}
    code, findings = lint(tmp_path, allow("ec2:TerminateInstances", Condition=condition))
    assert pairs(findings) == {("RL203", line_of(code, '"Resource"'))}


@pytest.mark.parametrize(
    ("action", "condition", "rule"),
    [
        # Every resource but those tagged team=prod, or requests without tags: still every one.
        ("s3:PutObject", {"StringNotEquals": {"aws:ResourceTag/team": "prod"}}, "RL203"),
        ("secretsmanager:GetSecretValue", {"StringNotEquals": {"aws:ResourceTag/t": "p"}}, "RL208"),
        (
            "secretsmanager:GetSecretValue",
            {"ForAllValues:StringEquals": {"aws:TagKeys": ["a"]}},
            "RL208",
        ),
        # Who calls: in the holder's own policy, the holder itself.
        ("s3:PutObject", {"StringEquals": {"aws:PrincipalAccount": "123456789012"}}, "RL203"),
        ("s3:PutObject", {"StringEquals": {"aws:PrincipalOrgID": "o-abc"}}, "RL203"),
        ("s3:PutObject", {"StringEquals": {"aws:PrincipalTag/team": "data"}}, "RL203"),
        ("secretsmanager:GetSecretValue", {"StringEquals": {"aws:PrincipalAccount": "1"}}, "RL208"),
        # Hunt: who calls and from where, missing from the list, exempted the statement.
        ("kms:Decrypt", {"StringEquals": {"kms:CallerAccount": "111122223333"}}, "RL208"),
        ("kms:Decrypt", {"StringEquals": {"aws:SourceIdentity": "alice"}}, "RL208"),
        ("kms:Decrypt", {"StringEquals": {"aws:FederatedProvider": "x"}}, "RL208"),
        ("kms:Decrypt", {"ArnEquals": {"ec2:SourceInstanceARN": "arn:aws:ec2:*:*:i"}}, "RL208"),
        ("s3:PutObject", {"ArnEquals": {"aws:SourceVpcArn": "arn:aws:ec2:*:*:vpc/v"}}, "RL203"),
        ("s3:PutObject", {"StringEquals": {"aws:VpceAccount": "111122223333"}}, "RL203"),
        ("s3:PutObject", {"StringEquals": {"aws:VpceOrgID": "o-abc"}}, "RL203"),
        ("s3:PutObject", {"StringEquals": {"aws:Ec2InstanceSourceVpc": "vpc-1"}}, "RL203"),
    ],
)
def test_rl203_rl208_conditions_not_on_what_is_acted_on_do_not_narrow_it(
    tmp_path: Path, action: str, condition: dict[str, Any], rule: str
) -> None:
    """Any condition but IfExists, network and time ones exempted the statement."""
    code, findings = lint(tmp_path, allow(action, Condition=condition))
    assert pairs(findings) == {(rule, line_of(code, '"Resource"'))}


@pytest.mark.parametrize(
    ("action", "condition", "rule"),
    [
        ("s3:GetObject", {"NumericGreaterThanEquals": {"s3:TlsVersion": "1.2"}}, "RL208"),
        ("s3:GetObject", {"StringEquals": {"s3:signatureversion": "AWS4-HMAC-SHA256"}}, "RL208"),
        ("s3:GetObject", {"StringEquals": {"s3:authType": "REST-HEADER"}}, "RL208"),
        ("s3:DeleteObject", {"NumericLessThan": {"s3:signatureAge": "600000"}}, "RL203"),
        ("s3:PutObject", {"StringEquals": {"s3:x-amz-server-side-encryption": "aws:kms"}}, "RL203"),
        (
            "s3:PutObject",
            {"StringEquals": {"s3:x-amz-content-sha256": "UNSIGNED-PAYLOAD"}},
            "RL203",
        ),
    ],
)
def test_rl203_rl208_how_an_s3_request_is_made_does_not_narrow_it(
    tmp_path: Path, action: str, condition: dict[str, Any], rule: str
) -> None:
    """Hunt: S3's TLS and signature version, authentication type, body checksum and
    encryption header silenced both rules, while aws:SecureTransport did not: every request
    made that way passes them, whatever bucket or object it acts on."""
    code, findings = lint(tmp_path, allow(action, Condition=condition))
    assert pairs(findings) == {(rule, line_of(code, '"Resource"'))}


def test_rl203_rl208_an_s3_request_key_grants_nothing_its_requests_lack(tmp_path: Path) -> None:
    """A request without the key fails a positive test of it: under s3:signatureversion the
    statement grants s3:GetObject alone, and under the encryption header s3:PutObject alone
    (neither secretsmanager:GetSecretValue nor s3:DeleteObject carry it)."""
    signed = {"StringEquals": {"s3:signatureversion": "AWS4-HMAC-SHA256"}}
    code, findings = lint(
        tmp_path, allow(["s3:GetObject", "secretsmanager:GetSecretValue"], Condition=signed)
    )
    assert pairs(findings) == {("RL208", line_of(code, '"Resource"'))}
    assert "allows 's3:GetObject' on every resource ('*'): it can read every object" in (
        findings[0].message
    )
    assert "secret" not in findings[0].message
    _, findings = lint(tmp_path, allow("secretsmanager:GetSecretValue", Condition=signed))
    assert findings == []
    encrypted = {"StringEquals": {"s3:x-amz-server-side-encryption": "aws:kms"}}
    code, findings = lint(tmp_path, allow(["s3:PutObject", "s3:DeleteObject"], Condition=encrypted))
    assert pairs(findings) == {("RL203", line_of(code, '"Resource"'))}
    assert "allows write action 's3:PutObject' on every resource" in findings[0].message
    _, findings = lint(tmp_path, allow("s3:DeleteObject", Condition=encrypted))
    assert [f.rule_id for f in findings] == ["RL611"]  # the condition is never met


@pytest.mark.parametrize(
    ("action", "condition", "named"),
    [
        (
            "s3:Put*",
            {"StringEquals": {"s3:x-amz-server-side-encryption": "AES256"}},
            "'s3:Put*' (1 write action: s3:PutObject)",
        ),
        (
            "s3:*",
            {"StringEquals": {"s3:x-amz-server-side-encryption": "AES256"}},
            "'s3:*' (4 write actions, among them s3:BypassGovernanceRetention, s3:PutObject,",
        ),
        ("s3:*", {"NumericGreaterThanEquals": {"s3:TlsVersion": "1.2"}}, "'s3:*' (90 write"),
    ],
)
def test_rl203_a_wildcard_under_an_s3_request_key_writes_what_carries_it(
    tmp_path: Path, action: str, condition: dict[str, Any], named: str
) -> None:
    """Regression hunt: 's3:Put*' or 's3:*' under s3:x-amz-server-side-encryption (or
    s3:TlsVersion) was silent while 's3:PutObject' gave RL203: one write of the pattern whose
    requests lack the key (s3:InitiateReplication) made the whole pattern "limited".  The writes
    whose requests carry it are still granted on every resource, and are the ones named."""
    code, findings = lint(tmp_path, allow(action, Condition=condition))
    [finding] = [f for f in findings if f.rule_id == "RL203"]
    assert finding.location.line == line_of(code, '"Resource"')
    assert f"allows write actions {named}" in finding.message
    assert "s3:InitiateReplication" not in finding.message
    # A Deny of the writes that carry the key leaves none on every resource.
    _, findings = lint(
        tmp_path,
        allow(action, Condition=condition),
        deny(["s3:PutObject", "s3:BypassGovernanceRetention", "s3:ReplicateObject", "s3:Update*"]),
    )
    assert ("RL203" in {f.rule_id for f in findings}) is ("TlsVersion" in str(condition))


TLS = {"NumericGreaterThanEquals": {"s3:TlsVersion": "1.2"}}


def test_rl201_every_action_under_an_s3_request_key_is_s3_writes_not_admin(
    tmp_path: Path,
) -> None:
    """Hunt: '*' on '*' under s3:TlsVersion was RL201 critical "full administrator access".
    No IAM request carries an S3 request key, and a mandatory test of a key the request lacks
    is false: the statement grants the S3 actions whose requests carry it, judged as RL203
    judges 's3:*' under the key."""
    code, findings = lint(tmp_path, allow("*", Condition=TLS))
    assert "RL201" not in {f.rule_id for f in findings}
    [writes] = [f for f in findings if f.rule_id == "RL203"]
    assert writes.location.line == line_of(code, '"Resource"')
    assert "allows write actions '*' (90 write actions, among them s3:" in writes.message
    assert "iam:" not in writes.message


@pytest.mark.parametrize(
    "action",
    [
        "iam:*",
        "iam:PassRole",
        "iam:AttachRolePolicy",
        "iam:Create*",
        "lambda:UpdateFunctionCode",
        "ssm:StartSession",
        "sts:AssumeRole",
    ],
)
@pytest.mark.parametrize("condition", [TLS, {"Null": {"s3:x-amz-server-side-encryption": "false"}}])
def test_an_s3_request_key_leaves_no_admin_escalation_or_assumed_role(
    tmp_path: Path, action: str, condition: dict[str, Any]
) -> None:
    """As RL203 and RL208 judge it: an action whose requests lack the key (every IAM, Lambda,
    SSM and STS action) is granted nowhere, so neither administrator access, nor a privilege
    escalation, nor every role to assume.  A Null "false" test requires the key too."""
    _, findings = lint(tmp_path, allow(action, Condition=condition))
    assert not {"RL201", "RL206", "RL207"} & {f.rule_id for f in findings}


@pytest.mark.parametrize(
    "condition",
    [
        {"NumericGreaterThanEqualsIfExists": {"s3:TlsVersion": "1.2"}},
        {"Null": {"s3:TlsVersion": "true"}},
        {"StringNotEquals": {"s3:x-amz-server-side-encryption": "AES256"}},
        {"ForAllValues:StringEquals": {"s3:authType": "REST-HEADER"}},
    ],
)
def test_an_s3_request_key_test_a_request_without_the_key_passes_limits_nothing(
    tmp_path: Path, condition: dict[str, Any]
) -> None:
    """IfExists, Null "true", a negation and ForAllValues pass a request without the key: the
    statement still grants every action, and RL201 stands."""
    code, findings = lint(tmp_path, allow("*", Condition=condition))
    assert pairs(findings) == {("RL201", line_of(code, '"Action"'))}


def test_rl203_a_null_test_requiring_a_tag_is_a_limit(tmp_path: Path) -> None:
    """AWS's Load Balancer Controller policy keeps writes on '*' to the resources it tagged."""
    condition = {"Null": {"aws:ResourceTag/elbv2.k8s.aws/cluster": "false"}}
    _, findings = lint(tmp_path, allow("ec2:DeleteSecurityGroup", Condition=condition))
    assert findings == []


@pytest.mark.parametrize("value", ["False", "FALSE"])
def test_rl203_a_null_false_test_in_any_case_is_a_limit(tmp_path: Path, value: str) -> None:
    condition = {"Null": {"aws:ResourceTag/elbv2.k8s.aws/cluster": value}}
    _, findings = lint(tmp_path, allow("ec2:DeleteSecurityGroup", Condition=condition))
    assert findings == []


@pytest.mark.parametrize("operator", ["NullIfExists", "ForAnyValue:Null", "ForAllValues:Null"])
def test_rl203_only_null_itself_is_a_null_test_requiring_a_tag(
    tmp_path: Path, operator: str
) -> None:
    """The graph reads a Null test only under ``Null`` itself; the permission rules took any
    operator whose base was Null for one, so ``NullIfExists "false"`` (which IAM rejects:
    RL607) or a set operator before Null kept writes on '*' to tagged resources here alone.
    They read the one answer now (condition_operators.is_null_test): no Null test, and no
    mandatory test either (operator_problem), so no limit."""
    condition = {operator: {"aws:ResourceTag/elbv2.k8s.aws/cluster": "false"}}
    code, findings = lint(tmp_path, allow("ec2:DeleteSecurityGroup", Condition=condition))
    assert ("RL203", line_of(code, '"Resource"')) in pairs(findings)


@pytest.mark.parametrize(
    ("action", "value", "rule"),
    [
        ("ec2:TerminateInstances", "true", "RL203"),
        ("ec2:TerminateInstances", "True", "RL203"),
        ("secretsmanager:GetSecretValue", "true", "RL208"),
        ("secretsmanager:GetSecretValue", ["true", "false"], "RL208"),  # either: every resource
    ],
)
def test_rl203_rl208_a_null_test_requiring_a_tag_to_be_absent_is_no_limit(
    tmp_path: Path, action: str, value: Any, rule: str
) -> None:
    """``Null "true"`` holds where the key is absent: every resource not tagged ``protected``
    (almost all of them), not only those tagged.  It silenced both rules."""
    condition = {"Null": {"aws:ResourceTag/protected": value}}
    code, findings = lint(tmp_path, allow(action, Condition=condition))
    assert pairs(findings) == {(rule, line_of(code, '"Resource"'))}


def test_rl203_scoped_resources_and_deny(tmp_path: Path) -> None:
    _, findings = lint(tmp_path, allow("s3:PutObject", "arn:aws:s3:::uploads/*"))
    assert findings == []
    _, findings = lint(tmp_path, allow(["s3:PutObject"]), deny("s3:Put*"))
    assert findings == []


# A pattern covering the whole ARN format of every resource type an action acts on (by the
# action catalog) names every resource it acts on, as "*" does (hunt: RL203 and RL208 were
# silent on 'arn:aws:s3:::*/*' and 'arn:aws:secretsmanager:*:*:secret:*').
@pytest.mark.parametrize(
    ("resource", "action", "every"),
    [
        ("arn:aws:s3:::*/*", "s3:GetObject", True),  # through access points too: same objects
        ("arn:aws:s3:::*", "s3:GetObject", True),  # its "*" takes the "/": every object too
        ("arn:aws:s3:::*/*", "s3:CreateBucket", False),  # no bucket ARN holds a "/"
        ("arn:aws:s3:::my-bucket/*", "s3:GetObject", False),
        ("arn:aws:s3:*:*:accesspoint/*/object/*", "s3:GetObject", False),  # not by bucket
        ("arn:aws:s3:::*", "s3:ListAllMyBuckets", False),  # allowed only on "*"
        ("*", "s3:ListAllMyBuckets", True),
        ("arn:aws-cn:secretsmanager:*:*:secret:*", "secretsmanager:GetSecretValue", True),
        (
            "arn:${AWS::Partition}:secretsmanager:*:*:secret:*",
            "secretsmanager:GetSecretValue",
            True,
        ),
        ("arn:aws:secretsmanager:*", "secretsmanager:GetSecretValue", True),
        ("arn:aws:secretsmanager:*:*:*", "secretsmanager:GetSecretValue", True),
        ("arn:nope:secretsmanager:*:*:secret:*", "secretsmanager:GetSecretValue", False),
        ("arn:aws:secretsmanager:eu-west-1:*:secret:*", "secretsmanager:GetSecretValue", False),
        (
            "arn:aws:secretsmanager:${AWS::Region}:*:secret:*",
            "secretsmanager:GetSecretValue",
            False,
        ),
        # Another account may share its secrets: the account's own are not all of them.
        (
            "arn:aws:secretsmanager:*:${AWS::AccountId}:secret:*",
            "secretsmanager:GetSecretValue",
            False,
        ),
        ("arn:aws:secretsmanager:*:111122223333:secret:*", "secretsmanager:GetSecretValue", False),
        ("arn:aws:secretsmanager:*:*:secret:app/*", "secretsmanager:GetSecretValue", False),
        # IAM acts on the account's own resources alone.
        ("arn:aws:iam::${AWS::AccountId}:role/*", "iam:TagRole", True),
        ("arn:aws:iam::*:role/*", "iam:TagRole", True),
        ("arn:aws:iam::111122223333:role/*", "iam:TagRole", False),  # perhaps another's
        ("arn:aws:iam::${AWS::AccountId}:role/*", "sts:AssumeRole", False),  # others' roles
        ("arn:aws:iam::*:role/*", "sts:AssumeRole", True),
        ("arn:aws:ec2:*:*:volume/*", "ec2:AttachVolume", False),  # and the instance
    ],
)
def test_a_pattern_names_every_resource_of_the_types_an_action_acts_on(
    resource: str, action: str, every: bool
) -> None:
    from rolelint.checks.effective import names_every_resource_of
    from rolelint.iam_actions import lookup

    known = lookup(action)
    assert known is not None
    assert names_every_resource_of(resource, known) is every


def test_rl203_on_every_object_names_the_object_writes_alone(tmp_path: Path) -> None:
    """s3:* on every object writes every object, not every bucket: the writes it names are
    object writes, fewer than those of s3:* on "*"."""
    from rolelint.iam_actions import expand

    code, findings = lint(tmp_path, allow("s3:*", "arn:aws:s3:::*/*"))
    [rl203] = [f for f in findings if f.rule_id == "RL203"]
    assert rl203.location.line == line_of(code, '"Resource"')
    counted, named = rl203.message.split("'s3:*' (")[1].split(")")[0].split(", among them ")
    by_name = {a.full_name: a for a in expand("s3:*")}
    scopable = [a for a in by_name.values() if a.modifies and a.supports_resources]
    assert 3 < int(counted.removesuffix(" write actions")) < len(scopable)
    for name in named.split(", "):
        assert "object" in by_name[name].resource_types
        assert "bucket" not in by_name[name].resource_types
    assert "on every resource they act on ('arn:aws:s3:::*/*')" in rl203.message


@pytest.mark.parametrize(
    ("actions", "resource", "said"),
    [
        ("s3:DeleteObject", "*", "write action 's3:DeleteObject' on every resource ('*')"),
        (
            ["s3:DeleteObject"],
            "arn:aws:s3:::*/*",
            "write action 's3:DeleteObject' on every resource it acts on ('arn:aws:s3:::*/*')",
        ),
        (
            ["s3:DeleteObject", "s3:PutObject"],
            "arn:aws:s3:::*/*",
            "write actions 's3:DeleteObject', 's3:PutObject' on every resource they act on"
            " ('arn:aws:s3:::*/*')",
        ),
        # A pattern names several: plural, with the ones it grants there.
        (
            "s3:DeleteObject*",
            "arn:aws:s3:::*/*",
            "write actions 's3:DeleteObject*' (",
        ),
    ],
)
def test_rl203_says_one_write_action_in_the_singular(
    tmp_path: Path, actions: Any, resource: str, said: str
) -> None:
    """RL203 said "allows write actions 's3:DeleteObject' on every resource they act on" of
    one action, where RL208 says "it acts on"; it now says "write action ... it acts on"."""
    _, findings = lint(tmp_path, allow(actions, resource))
    [finding] = findings
    assert finding.rule_id == "RL203"
    assert f"The policy allows {said}" in finding.message
    if "*" in str(actions):
        assert finding.message.endswith("on every resource they act on ('arn:aws:s3:::*/*')")


def test_rl203_names_each_resource_naming_every_one_of_some_writes(tmp_path: Path) -> None:
    code, findings = lint(
        tmp_path,
        allow(
            ["s3:DeleteObject", "dynamodb:DeleteItem"],
            ["arn:aws:s3:::app/*", "arn:aws:s3:::*/*", "arn:aws:dynamodb:*:*:table/*"],
        ),
    )
    [finding] = findings
    assert (finding.rule_id, finding.location.line) == ("RL203", line_of(code, "s3:::*/*"))
    assert finding.message.endswith(
        "write actions 's3:DeleteObject', 'dynamodb:DeleteItem' on every resource they act on"
        " ('arn:aws:s3:::*/*', 'arn:aws:dynamodb:*:*:table/*')"
    )


@pytest.mark.parametrize(
    ("action", "resource", "expected"),
    [
        # It creates the device its request names: no existing one is changed or deleted.
        ("iam:CreateVirtualMFADevice", "arn:aws:iam::*:mfa/*", set()),
        ("iam:CreateUser", "arn:aws:iam::*:user/*", set()),
        ("s3:CreateBucket", "arn:aws:s3:::*", set()),
        # They act on an existing user: a credential for every user of the account (keys and
        # passwords are RL206's, which RL203 leaves to it).
        (
            "iam:CreateServiceSpecificCredential",
            "arn:aws:iam::*:user/*",
            {("RL203", '"Resource"')},
        ),
        ("iam:CreateAccessKey", "arn:aws:iam::*:user/*", {("RL206", '"Action"')}),
        ("iam:TagMFADevice", "arn:aws:iam::*:mfa/*", {("RL203", '"Resource"')}),
        # On "*" nothing changes.
        ("iam:CreateVirtualMFADevice", "*", {("RL203", '"Resource"')}),
        ("s3:CreateBucket", "*", {("RL203", '"Resource"')}),
    ],
)
def test_rl203_a_pattern_is_not_every_resource_of_a_write_creating_it(
    tmp_path: Path, action: str, resource: str, expected: set[tuple[str, str]]
) -> None:
    """iam:CreateVirtualMFADevice on ``arn:aws:iam::*:mfa/*`` (AWS's own example policy
    letting users manage their MFA device) was RL203: the pattern is every MFA device, but
    the action can only make a new one, and RL203 is about modifying or deleting every
    resource.  A write that makes something of an existing user still writes every user."""
    code, findings = lint(tmp_path, allow(action, resource))
    assert pairs(findings) == {(rule, line_of(code, marker)) for rule, marker in expected}


@pytest.mark.parametrize(
    ("pattern", "resource", "named"),
    [
        ("iam:CreateVirtualMFADevice", "arn:aws:iam::*:mfa/*", set()),
        ("iam:CreateAccessKey", "arn:aws:iam::*:user/*", {"iam:CreateAccessKey"}),
        (
            "iam:Create*",
            "arn:aws:iam::*:user/*",
            {
                "iam:CreateAccessKey",
                "iam:CreateLoginProfile",
                "iam:CreateServiceSpecificCredential",
            },
        ),
    ],
)
def test_rl203_judges_on_a_pattern_the_writes_of_existing_resources(
    pattern: str, resource: str, named: set[str]
) -> None:
    """The writes RL203 takes a pattern for every resource of: iam:CreateAccessKey on every
    user still counts (RL206 reports it first), iam:CreateUser and
    iam:CreateVirtualMFADevice, which make the resource they act on, do not."""
    from rolelint.checks.broad_access import _writes_named_all
    from rolelint.model import Value
    from rolelint.source import SourceRef

    written = _writes_named_all(pattern, Value(resource, SourceRef("policy.json")))
    assert set(written) == named


def test_rl203_aws_example_letting_users_manage_their_own_mfa_device(tmp_path: Path) -> None:
    """AWS's "IAM: allows IAM users to self-manage an MFA device" (IAM User Guide,
    reference_policies_examples_iam_mfa-selfmanage): nothing in it modifies or deletes every
    resource of a type."""
    own_user = "arn:aws:iam::*:user/${aws:username}"
    _, findings = lint(
        tmp_path,
        allow(["iam:ListUsers", "iam:ListVirtualMFADevices"], Sid="AllowListActions"),
        allow(
            ["iam:CreateVirtualMFADevice"],
            "arn:aws:iam::*:mfa/*",
            Sid="AllowUserToCreateVirtualMFADevice",
        ),
        allow(
            [
                "iam:EnableMFADevice",
                "iam:GetMFADevice",
                "iam:ListMFADevices",
                "iam:ResyncMFADevice",
            ],
            own_user,
            Sid="AllowUserToManageTheirOwnMFA",
        ),
        allow(
            ["iam:DeactivateMFADevice"],
            [own_user],
            Sid="AllowUserToDeactivateTheirOwnMFAOnlyWhenUsingMFA",
            Condition={"Bool": {"aws:MultiFactorAuthPresent": "true"}},
        ),
        {
            "Sid": "BlockMostAccessUnlessSignedInWithMFA",
            "Effect": "Deny",
            "NotAction": [
                "iam:CreateVirtualMFADevice",
                "iam:EnableMFADevice",
                "iam:ListMFADevices",
                "iam:ListUsers",
                "iam:ListVirtualMFADevices",
                "iam:ResyncMFADevice",
            ],
            "Resource": "*",
            "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}},
        },
    )
    assert findings == []


# A grant on a pattern naming every resource its actions act on, with a Deny that leaves it
# on a few of them (or none): the same policy on "*" has no finding, and neither has this.
_NARROWED_PATTERNS = [
    pytest.param(
        ["s3:DeleteObject", "s3:GetObject"],
        "arn:aws:s3:::*/*",
        {"Effect": "Deny", "Action": "s3:*", "NotResource": ["arn:aws:s3:::app-*/*"]},
        id="s3-deny-all-but-app-objects",
    ),
    pytest.param(
        ["ssm:GetParameter", "ssm:DeleteParameter"],
        "arn:aws:ssm:*:*:parameter/*",
        {"Effect": "Deny", "Action": "ssm:*", "NotResource": "arn:aws:ssm:*:*:parameter/app/*"},
        id="ssm-deny-all-but-app-parameters",
    ),
    pytest.param(
        ["iam:PassRole"],
        "arn:aws:iam::*:role/*",
        {"Effect": "Deny", "Action": "iam:PassRole", "NotResource": "arn:aws:iam::*:role/app-*"},
        id="passrole-deny-all-but-app-roles",
    ),
    pytest.param(
        ["sts:AssumeRole"],
        "arn:aws:iam::*:role/*",
        {
            "Effect": "Deny",
            "Action": "sts:AssumeRole",
            "NotResource": "arn:aws:iam::*:role/deploy-only",
        },
        id="assume-deny-all-but-one-role",
    ),
    pytest.param(
        ["ssm:GetParameter", "ssm:DeleteParameter"],
        "arn:aws:ssm:*:*:*",
        deny("ssm:*", "arn:aws:ssm:*:*:parameter/*"),
        id="ssm-deny-every-parameter",
    ),
]


@pytest.mark.parametrize(("actions", "resource", "denial"), _NARROWED_PATTERNS)
def test_a_pattern_of_every_resource_is_narrowed_by_a_deny_as_every_resource_is(
    tmp_path: Path, actions: list[str], resource: str, denial: dict[str, Any]
) -> None:
    """A grant on ``arn:aws:s3:::*/*`` under "Deny s3:* on all but app-*/*" deletes and reads
    the app-* objects alone: RL203 and RL208 said it deleted and read every object, as the
    Deny "covers fewer resources", though on "*" the same Deny left nothing to report.  So
    did RL206 and RL207 of a grant on every role, and a Deny on every parameter removed
    nothing of a grant on every SSM resource."""
    _, on_every = lint(tmp_path, allow(actions), denial)
    assert on_every == []
    _, findings = lint(tmp_path, allow(actions, resource), denial)
    assert findings == []


def test_a_deny_of_fewer_resources_leaves_a_pattern_of_every_resource(tmp_path: Path) -> None:
    """A Deny that covers only some of the objects leaves the others, as on "*", and says it
    covers fewer resources; one sparing every object leaves them all and says so."""
    actions = ["s3:DeleteObject", "s3:GetObject"]
    for resource in ("*", "arn:aws:s3:::*/*"):
        code, findings = lint(
            tmp_path, allow(actions, resource), deny("s3:*", "arn:aws:s3:::prod-*/*")
        )
        at = line_of(code, '"Resource"')
        assert pairs(findings) == {("RL203", at), ("RL208", at)}
        deny_line = line_of(code, '"Deny"') - 1
        for finding in findings:
            assert f"(the Deny at line {deny_line} covers fewer resources)" in finding.message
        sparing = {"Effect": "Deny", "Action": "s3:*", "NotResource": "arn:aws:s3:::*/*"}
        code, findings = lint(tmp_path, allow(actions, resource), sparing)
        assert pairs(findings) == {("RL203", at), ("RL208", at)}
        spares = "spares 'arn:aws:s3:::*/*', every s3 resource of the kind it names"
        for finding in findings:
            assert f"(the Deny at line {deny_line} {spares})" in finding.message


OWN_ACCOUNT = """\
Resources:
  Worker:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}
      Policies:
        - PolicyName: own
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: [iam:TagRole, sts:AssumeRole]
                Resource: !Sub "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/*"
              - Effect: Allow
                Action: [secretsmanager:GetSecretValue, secretsmanager:DeleteSecret]
                Resource: !Sub "arn:${AWS::Partition}:secretsmanager:*:${AWS::AccountId}:secret:*"
"""


def test_rl203_rl208_the_accounts_own_resources_are_all_only_for_iam(tmp_path: Path) -> None:
    """Every role of the account is every role iam:TagRole acts on; not every role
    sts:AssumeRole acts on (RL207 says so too), nor every secret: another account may share
    its own."""
    findings = findings_of(OWN_ACCOUNT, "yaml", tmp_path)
    [finding] = findings
    assert (finding.rule_id, finding.location.line) == ("RL203", line_of(OWN_ACCOUNT, "iam::"))
    assert "write action 'iam:TagRole' on every resource it acts on" in finding.message


def test_rl203_leaves_escalation_and_assume_actions_to_their_rules(tmp_path: Path) -> None:
    code, findings = lint(tmp_path, allow(["iam:PassRole", "sts:AssumeRole", "ec2:RunInstances"]))
    assert pairs(findings) == {
        ("RL206", line_of(code, '"iam:PassRole"')),
        ("RL207", line_of(code, '"Resource"')),
        ("RL203", line_of(code, '"Resource"')),
    }
    [rl203] = [f for f in findings if f.rule_id == "RL203"]
    assert "ec2:RunInstances" in rl203.message
    assert "iam:PassRole" not in rl203.message


# --- RL204 / RL205 --------------------------------------------------------------------------------


def test_rl204_allow_not_action(tmp_path: Path) -> None:
    statement = {"Effect": "Allow", "NotAction": ["iam:*"], "Resource": "arn:aws:s3:::x/*"}
    code, findings = lint(tmp_path, statement)
    assert pairs(findings) == {("RL204", line_of(code, '"NotAction"'))}


def test_an_empty_not_action_grants_nothing_and_denies_nothing(tmp_path: Path) -> None:
    """Hunt: ``"NotAction": []`` was every action but none: an Allow was RL201 (full
    administrator access) and RL204, and a Deny of it took away every grant beside it.  An
    empty list names no action (RL604 says so): the Allow grants nothing, the Deny denies
    nothing, as IAM reads them."""
    code, findings = lint(tmp_path, {"Effect": "Allow", "NotAction": [], "Resource": "*"})
    assert pairs(findings) == {("RL604", line_of(code, '"NotAction"'))}
    code, findings = lint(
        tmp_path, allow("*"), {"Effect": "Deny", "NotAction": [], "Resource": "*"}
    )
    assert pairs(findings) == {
        ("RL201", line_of(code, '"Action": "*"')),
        ("RL604", line_of(code, '"NotAction"')),
    }


def test_what_a_not_action_grants_is_judged_for_escalation_and_assume_role(
    tmp_path: Path,
) -> None:
    statement = {"Effect": "Allow", "NotAction": ["iam:*"], "Resource": "*"}
    code, findings = lint(tmp_path, statement)
    assert pairs(findings) == {
        ("RL204", line_of(code, '"NotAction"')),
        ("RL206", line_of(code, '"NotAction"')),
        ("RL207", line_of(code, '"Resource"')),
    }
    [escalation] = [f for f in findings if f.rule_id == "RL206"]
    assert "every action except 'iam:*' on '*', which grants" in escalation.message
    assert "ssm:SendCommand" in escalation.message and "iam:PassRole" not in escalation.message
    # Excluding the escalation services and sts leaves no escalation and no AssumeRole.
    excluded = [
        "iam:*",
        "sts:*",
        "ssm:*",
        "lambda:*",
        "glue:*",
        "sagemaker:*",
        "ec2-instance-connect:*",
    ]
    _, findings = lint(tmp_path, {**statement, "NotAction": excluded})
    assert {f.rule_id for f in findings} == {"RL204"}


def test_rl205_allow_not_resource_but_not_deny(tmp_path: Path) -> None:
    statement = {"Effect": "Allow", "Action": "s3:GetObject", "NotResource": "arn:aws:s3:::x/*"}
    code, findings = lint(tmp_path, statement)
    assert pairs(findings) == {("RL205", line_of(code, '"NotResource"'))}
    denial = {"Effect": "Deny", "Action": "s3:*", "NotResource": "arn:aws:s3:::x/*"}
    _, findings = lint(tmp_path, allow("s3:GetObject", "arn:aws:s3:::x/*"), denial)
    assert findings == []


# PowerUserAccess (every action but IAM, Organizations and Account) under a permissions boundary
# allowing two S3 actions on one bucket's objects: IAM allows those two alone.
POWER_USER_BOUNDED = """\
{"RoleDetailList": [
  {"Path": "/", "RoleName": "dev", "Arn": "arn:aws:iam::181818181818:role/dev",
   "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [
     {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::181818181818:root"},
      "Action": "sts:AssumeRole"}]},
   "RolePolicyList": [],
   "AttachedManagedPolicies": [{"PolicyName": "PowerUserAccess",
     "PolicyArn": "arn:aws:iam::aws:policy/PowerUserAccess"}],
   "PermissionsBoundary": {"PermissionsBoundaryType": "Policy",
     "PermissionsBoundaryArn": "arn:aws:iam::181818181818:policy/dev-boundary"}}],
 "Policies": [
  {"PolicyName": "dev-boundary", "Arn": "arn:aws:iam::181818181818:policy/dev-boundary",
   "DefaultVersionId": "v1", "AttachmentCount": 0, "PermissionsBoundaryUsageCount": 1,
   "PolicyVersionList": [{"VersionId": "v1", "IsDefaultVersion": true, "Document": {
     "Version": "2012-10-17", "Statement": [
       {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"],
        "Resource": "arn:aws:s3:::dev-sandbox/*"}]}}]}]}
"""


def test_rl204_a_boundary_naming_a_few_actions_leaves_nothing_of_a_not_action(
    tmp_path: Path,
) -> None:
    """Hunt: PowerUserAccess under a boundary allowing s3:GetObject and s3:PutObject on one
    bucket's objects was RL204 high ("allows every action except 'iam:*' ..."): IAM allows
    those two actions alone, which is no longer every action but a few."""
    assert findings_of(POWER_USER_BOUNDED, "json", tmp_path) == []
    # Without the boundary, it is every action but a few.
    unbounded = re.sub(r',\n   "PermissionsBoundary": \{[^}]*\}', "", POWER_USER_BOUNDED)
    assert 'PermissionsBoundary"' not in unbounded
    findings = findings_of(unbounded, "json", tmp_path)
    at = line_of(unbounded, '"PolicyArn": "arn:aws:iam::aws:policy/PowerUserAccess"')
    assert ("RL204", at) in pairs(findings)


# An Allow with NotAction and one with NotResource beside a Deny of every action on every
# resource, in one policy.
LOCKED = {
    "RoleDetailList": [
        exported_role(
            "locked",
            inline={
                "p": {
                    "Version": "2012-10-17",
                    "Statement": [
                        {"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"},
                        {
                            "Effect": "Allow",
                            "Action": "s3:DeleteObject",
                            "NotResource": "arn:aws:s3:::keep/*",
                        },
                        {"Effect": "Deny", "Action": "*", "Resource": "*"},
                    ],
                }
            },
        )
    ]
}


def test_rl204_rl205_a_deny_of_everything_leaves_nothing_to_report(tmp_path: Path) -> None:
    """Hunt: "Allow NotAction iam:* on *" and "Allow s3:DeleteObject on all but keep/*" beside
    "Deny * on *" were RL204 high and RL205 medium: the Deny takes both away entirely."""
    assert findings_of(json.dumps(LOCKED, indent=2), "json", tmp_path) == []
    statements = LOCKED["RoleDetailList"][0]["RolePolicyList"][0]["PolicyDocument"]["Statement"]
    open_ = {
        "RoleDetailList": [
            exported_role(
                "locked", inline={"p": {"Version": "2012-10-17", "Statement": statements[:2]}}
            )
        ]
    }
    code = json.dumps(open_, indent=2)
    assert {("RL204", line_of(code, '"NotAction"')), ("RL205", line_of(code, '"NotResource"'))} <= (
        pairs(findings_of(code, "json", tmp_path))
    )


SHARED_NOT_ACTION = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Broad:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, NotAction: "iam:*", Resource: "*"}
          - {Effect: Allow, Action: "s3:GetObject", NotResource: "arn:aws:s3:::secret/*"}
  Open:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}
      ManagedPolicyArns: [!Ref Broad]
  Denied:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}
      ManagedPolicyArns: [!Ref Broad]
      Policies:
        - PolicyName: deny
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - {Effect: Deny, Action: "*", Resource: "*"}
  Bounded:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}
      ManagedPolicyArns: [!Ref Broad]
      PermissionsBoundary: !Ref Bnd
  Bnd:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Action: logs:PutLogEvents
            Resource: "arn:aws:logs:*:*:log-group:/app:*"
"""


def test_rl204_rl205_name_only_the_roles_the_broad_part_stands_for(tmp_path: Path) -> None:
    """Hunt: a managed policy held by three roles, one of which denies everything and one
    whose boundary allows one logs action on one log group: RL204 and RL205 named all three,
    while RL206 and RL207 on the same statement rightly named Open alone."""
    code = SHARED_NOT_ACTION
    findings = findings_of(code, "yaml", tmp_path)
    roles = {(f.rule_id, f.location.line): f.role for f in findings}
    assert set(roles) == {
        ("RL204", line_of(code, "NotAction:")),
        ("RL206", line_of(code, "NotAction:")),
        ("RL207", line_of(code, "NotAction:")),
        ("RL205", line_of(code, "NotResource:")),
    }
    assert set(roles.values()) == {"Open"}


SHARED_NOT_ACTION_TF = """\
resource "aws_iam_policy" "broad" {
  name = "broad"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", NotAction = "iam:*", Resource = "*" }]
  })
}

resource "aws_iam_role" "denied" {
  name = "denied"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "lambda.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
  inline_policy {
    name   = "deny"
    policy = jsonencode({ Version = "2012-10-17", Statement = [DENY] })
  }
}

resource "aws_iam_role_policy_attachment" "denied" {
  role       = aws_iam_role.denied.name
  policy_arn = aws_iam_policy.broad.arn
}
"""


@pytest.mark.parametrize(
    ("denied", "reported"),
    [
        ('{ Effect = "Deny", Action = "*", Resource = "*" }', False),
        # What is denied is not known: it takes nothing away (as for RL206 and RL207).
        ('{ Effect = "Deny", Action = var.denied, Resource = "*" }', True),
        # A Deny of some services leaves every action but those and IAM's.
        ('{ Effect = "Deny", Action = ["s3:*", "ec2:*"], Resource = "*" }', True),
    ],
)
def test_rl204_in_terraform_a_deny_of_everything_takes_it_away(
    tmp_path: Path, denied: str, reported: bool
) -> None:
    code = SHARED_NOT_ACTION_TF.replace("DENY", denied)
    if "var.denied" in code:
        code += 'variable "denied" {\n  type = string\n}\n'
    found = {(f.rule_id, f.location.line) for f in findings_of(code, "tf", tmp_path)}
    assert (("RL204", line_of(code, "NotAction")) in found) is reported
    if "s3:*" in denied:
        [finding] = [f for f in findings_of(code, "tf", tmp_path) if f.rule_id == "RL204"]
        assert "which still grants every action of every service except iam:*, s3:*, ec2:*" in (
            finding.message
        )


BOUNDED_NOT_ACTION = """\
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Unknown: {Type: String}
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}
      PermissionsBoundary: BOUNDARY
      Policies:
        - PolicyName: p
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - {Effect: Allow, NotAction: ["iam:*", "sts:*"], Resource: "*"}
              - {Effect: Allow, Action: "s3:GetObject", NotResource: "arn:aws:s3:::secret/*"}
  Bnd:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Action: ALLOWED, Resource: "RESOURCE"}
"""


@pytest.mark.parametrize(
    ("boundary", "allowed", "resource", "expected"),
    [
        # A few actions on one bucket's objects: nothing broad, on every resource or not.
        ("!Ref Bnd", "[s3:GetObject]", "arn:aws:s3:::app/*", set()),
        # A few actions, on every object: RL205's s3:GetObject still reads every object but
        # those of secret, while the NotAction is s3:GetObject alone.
        ("!Ref Bnd", "[s3:GetObject]", "arn:aws:s3:::*/*", {"RL205"}),
        # Every S3 action: the NotAction still grants a whole service.
        ("!Ref Bnd", "s3:*", "*", {"RL204", "RL205"}),
        # A boundary not known limits nothing: both stand, saying it may limit them.
        ("!Ref Unknown", "[s3:GetObject]", "arn:aws:s3:::app/*", {"RL204", "RL205"}),
    ],
)
def test_rl204_rl205_judge_what_the_boundary_leaves(
    tmp_path: Path, boundary: str, allowed: str, resource: str, expected: set[str]
) -> None:
    code = (
        BOUNDED_NOT_ACTION.replace("BOUNDARY", boundary)
        .replace("ALLOWED", allowed)
        .replace("RESOURCE", resource)
    )
    findings = findings_of(code, "yaml", tmp_path)
    lines = {"RL204": line_of(code, "NotAction:"), "RL205": line_of(code, "NotResource:")}
    broad = {(f.rule_id, f.location.line) for f in findings if f.rule_id in lines}
    assert broad == {(rule, lines[rule]) for rule in expected}
    messages = {f.rule_id: f.message for f in findings}
    if allowed == "s3:*":
        assert "(Allow with NotAction), which still grants every s3 action" in messages["RL204"]
        assert "limits it to 's3:*'" in messages["RL204"]
    if boundary == "!Ref Unknown":
        assert "its permissions boundary is unresolved" in messages["RL204"]
        assert "its permissions boundary is unresolved" in messages["RL205"]


def test_rl204_a_conditional_deny_may_not_apply(tmp_path: Path) -> None:
    """A Deny under a condition may not apply: the NotAction stands, and says so."""
    condition = {"Bool": {"aws:MultiFactorAuthPresent": "false"}}
    code, findings = lint(
        tmp_path,
        {"Effect": "Allow", "NotAction": "iam:*", "Resource": "arn:aws:s3:::x/*"},
        deny("*", Condition=condition),
    )
    [finding] = [f for f in findings if f.rule_id == "RL204"]
    assert finding.location.line == line_of(code, '"NotAction"')
    assert "has a condition, so it may not apply" in finding.message


# An Allow on every resource, written as GRANT (NotAction, or the Action values the Denies and
# the boundary leave of it), beside DENIES, under a boundary allowing BOUNDARY.
LEFT_OF_NOT_ACTION = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}
      PermissionsBoundary: !Ref Bnd
      Policies:
        - PolicyName: p
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                GRANT
                Resource: "*"
              DENIES
  Bnd:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Action: BOUNDARY}
"""
NO_DENY = ""
TWO = "[s3:DeleteObject, s3:GetObject]"


def _left_of_not_action(grant: str, denies: str, boundary: str) -> str:
    return (
        LEFT_OF_NOT_ACTION.replace("GRANT", grant)
        .replace("DENIES", denies)
        .replace("BOUNDARY", boundary)
    )


@pytest.mark.parametrize(
    ("boundary", "denies", "actions", "expected"),
    [
        # Hunt: reported by nothing, while the same actions written out were RL203 and RL208.
        (f'{TWO}, Resource: "*"', NO_DENY, TWO, {"RL203", "RL208"}),
        # On every object: both still act on every resource they act on.
        (f'{TWO}, Resource: "arn:aws:s3:::*/*"', NO_DENY, TWO, {"RL203", "RL208"}),
        # A Deny of every action but two, under a boundary allowing everything.
        (
            '"*", Resource: "*"',
            f'- {{Effect: Deny, NotAction: {TWO}, Resource: "*"}}',
            TWO,
            {"RL203", "RL208"},
        ),
        # Reads alone, of two services.
        (
            '[secretsmanager:GetSecretValue, ssm:GetParameter], Resource: "*"',
            NO_DENY,
            "[secretsmanager:GetSecretValue, ssm:GetParameter]",
            {"RL208"},
        ),
        # A pattern narrower than a service: its writes.
        ('"s3:Put*", Resource: "*"', NO_DENY, '"s3:Put*"', {"RL203"}),
        # An escalation is RL206's, the other write RL203's.
        (
            '[lambda:UpdateFunctionCode, s3:DeleteObject], Resource: "*"',
            NO_DENY,
            "[lambda:UpdateFunctionCode, s3:DeleteObject]",
            {"RL203", "RL206"},
        ),
        # A Deny of some buckets' objects leaves the others.
        (
            's3:DeleteObject, Resource: "*"',
            '- {Effect: Deny, Action: s3:DeleteObject, Resource: "arn:aws:s3:::prod-*/*"}',
            "s3:DeleteObject",
            {"RL203"},
        ),
        # The boundary lets through the objects of one bucket, or those with a tag, alone.
        (f'{TWO}, Resource: "arn:aws:s3:::app/*"', NO_DENY, TWO, set()),
        (
            f'{TWO}, Resource: "*", Condition: {{StringEquals: {{"aws:ResourceTag/team": a}}}}',
            NO_DENY,
            TWO,
            set(),
        ),
    ],
)
def test_rl203_rl208_judge_what_denies_and_boundaries_leave_of_a_not_action(
    tmp_path: Path, boundary: str, denies: str, actions: str, expected: set[str]
) -> None:
    """Hunt: "Allow NotAction iam:* on *" under a boundary allowing s3:DeleteObject and
    s3:GetObject was reported by nothing: RL204 rightly no longer calls it every action but
    a few, and RL203 and RL208 never judged a NotAction.  They now judge what is left of it
    as the same actions written as Action values: the same rules, at the same resource."""
    found = {}
    for grant in ('NotAction: "iam:*"', f"Action: {actions}"):
        code = _left_of_not_action(grant, denies, boundary)
        findings = findings_of(code, "yaml", tmp_path)
        found[grant.partition(":")[0]] = {f.rule_id for f in findings}
        at = line_of(code, 'Resource: "*"')
        assert {f.location.line for f in findings if f.rule_id in {"RL203", "RL208"}} <= {at}
    assert found["NotAction"] == found["Action"] == expected


@pytest.mark.parametrize("grant", ['NotAction: "iam:*"', 'Action: "*"', 'Action: "s3:*"'])
def test_rl203_a_boundary_on_every_object_leaves_every_object_deleted(
    tmp_path: Path, grant: str
) -> None:
    """Hunt: under a boundary allowing s3:DeleteObject only on ``arn:aws:s3:::*/*``,
    "NotAction iam:* on *" was RL203 ("includes write action 's3:DeleteObject' on every
    resource"), but "*" and "s3:*" on "*", which grant the same there, were reported by
    nothing: the boundary's resource had to name every resource of every write of the
    pattern (s3:DeleteBucket, ec2:...), not of those the boundary leaves.  rules/RL203.yaml
    says this case "still deletes every object, and is reported"."""
    code = _left_of_not_action(grant, NO_DENY, 's3:DeleteObject, Resource: "arn:aws:s3:::*/*"')
    findings = [f for f in findings_of(code, "yaml", tmp_path) if f.rule_id == "RL203"]
    assert [f.location.line for f in findings] == [line_of(code, 'Resource: "*"')]
    assert "s3:DeleteObject" in findings[0].message
    assert "allows it only on 'arn:aws:s3:::*/*'" in findings[0].message
    # A bucket write there acts on no object, and on no bucket (no bucket ARN holds a "/").
    code = _left_of_not_action(grant, NO_DENY, 's3:PutBucketPolicy, Resource: "arn:aws:s3:::*/*"')
    assert "RL203" not in {f.rule_id for f in findings_of(code, "yaml", tmp_path)}


def test_rl203_rl208_say_what_is_left_of_the_not_action(tmp_path: Path) -> None:
    code = _left_of_not_action('NotAction: "iam:*"', NO_DENY, f'{TWO}, Resource: "*"')
    messages = {f.rule_id: f.message for f in findings_of(code, "yaml", tmp_path)}
    said = (
        "allows every action except 'iam:*' (Allow with NotAction); what Denies and "
        "permissions boundaries leave of it includes "
    )
    limited = (
        "(permissions boundary Bnd of role Role limits it to 's3:DeleteObject', 's3:GetObject')"
    )
    assert messages["RL203"].endswith(
        f"{said}write action 's3:DeleteObject' on every resource ('*') {limited}"
    )
    assert messages["RL208"].endswith(
        f"{said}'s3:GetObject' on every resource ('*'): it can read every object of every "
        f"bucket that does not deny it {limited}"
    )


@pytest.mark.parametrize(
    ("boundary", "denies"),
    [
        # Nothing limits it.
        ('"*", Resource: "*"', NO_DENY),
        # What is left is still a whole service: RL204's, as "which still grants every s3
        # action", though s3:* written out is RL202, RL203 and RL208.
        ('"s3:*", Resource: "*"', NO_DENY),
    ],
)
def test_rl203_rl208_leave_a_not_action_rl204_reports_to_it(
    tmp_path: Path, boundary: str, denies: str
) -> None:
    code = _left_of_not_action('NotAction: "iam:*"', denies, boundary)
    rules = {f.rule_id for f in findings_of(code, "yaml", tmp_path)}
    assert "RL204" in rules
    assert not rules & {"RL203", "RL208"}


def test_rl203_rl208_judge_what_is_left_without_what_the_not_action_lists(
    tmp_path: Path,
) -> None:
    """Under a boundary allowing s3:Get*, NotAction s3:GetObject leaves the other reads of
    s3:Get*: no sensitive one, though s3:Get* written out is RL208."""
    grant = 'NotAction: ["iam:*", "s3:GetObject"]'
    code = _left_of_not_action(grant, NO_DENY, '"s3:Get*", Resource: "*"')
    assert findings_of(code, "yaml", tmp_path) == []
    code = _left_of_not_action('Action: "s3:Get*"', NO_DENY, '"s3:Get*", Resource: "*"')
    assert {f.rule_id for f in findings_of(code, "yaml", tmp_path)} == {"RL208"}


@pytest.mark.parametrize(
    ("boundary", "denies", "actions"),
    [
        # Hunt: RL203 judged what is left of the NotAction, RL202 did not.
        ('"kms:Create*", Resource: "*"', NO_DENY, '"kms:Create*"'),
        ('"organizations:Attach*", Resource: "*"', NO_DENY, '"organizations:Attach*"'),
        # A Deny of every action but the prefix, under a boundary allowing everything.
        (
            '"*", Resource: "*"',
            '- {Effect: Deny, NotAction: "kms:Create*", Resource: "*"}',
            '"kms:Create*"',
        ),
        # Left on the keys alone: the prefix still grants what it grants there.
        ('"kms:Create*", Resource: "arn:aws:kms:*:*:key/*"', NO_DENY, '"kms:Create*"'),
    ],
)
def test_rl202_judges_what_denies_and_boundaries_leave_of_a_not_action(
    tmp_path: Path, boundary: str, denies: str, actions: str
) -> None:
    """Hunt: "Allow NotAction iam:* on *" under a boundary allowing ``kms:Create*`` was RL203
    (its writes on every resource) but not RL202, while ``kms:Create*`` written as an Action
    value is RL202 (a broad prefix on a sensitive service granting kms:CreateGrant).  RL202
    now judges the remainder as RL203 and RL208 do: the same rules, at the resource."""
    found = {}
    for grant in ('NotAction: "iam:*"', f"Action: {actions}"):
        code = _left_of_not_action(grant, denies, boundary)
        found[grant.partition(":")[0]] = {f.rule_id for f in findings_of(code, "yaml", tmp_path)}
    assert "RL202" in found["Action"]
    assert found["NotAction"] == found["Action"]
    code = _left_of_not_action('NotAction: "iam:*"', denies, boundary)
    at = {f.location.line for f in findings_of(code, "yaml", tmp_path) if f.rule_id == "RL202"}
    assert at == {line_of(code, 'Resource: "*"')}


def test_rl202_says_what_is_left_of_the_not_action(tmp_path: Path) -> None:
    code = _left_of_not_action('NotAction: "iam:*"', NO_DENY, '"kms:Create*", Resource: "*"')
    [finding] = [f for f in findings_of(code, "yaml", tmp_path) if f.rule_id == "RL202"]
    assert finding.message == (
        "Inline policy 'p' of role Role allows every action except 'iam:*' (Allow with "
        "NotAction); what Denies and permissions boundaries leave of it includes a broad prefix "
        "on a sensitive service, 'kms:Create*': 4 kms actions, 1 of them permissions management "
        "(kms:CreateGrant) (permissions boundary Bnd of role Role limits it to 'kms:Create*')"
    )
    # Its fingerprint is not that of the same prefix written as an Action value.
    written = _left_of_not_action('Action: "kms:Create*"', NO_DENY, '"kms:Create*", Resource: "*"')
    [other] = [f for f in findings_of(written, "yaml", tmp_path) if f.rule_id == "RL202"]
    assert other.fingerprint != finding.fingerprint


@pytest.mark.parametrize(
    ("grant", "boundary", "expected"),
    [
        # What the NotAction lists is not granted: kms:CreateGrant is out, no permission
        # management is left (written out, the prefix is RL202).
        ('NotAction: ["iam:*", "kms:CreateGrant"]', '"kms:Create*"', set()),
        # An escalation is RL206's, for the remainder as for the Action value.
        ('NotAction: "s3:*"', '"iam:Put*"', {"RL206"}),
        # Still a whole service: RL204's, never RL202's for the same holder.
        ('NotAction: "iam:*"', '"kms:*"', {"RL204"}),
        # Only cryptographic operations: no permissions management.
        ('NotAction: "iam:*"', '"kms:GenerateDataKey*"', set()),
    ],
)
def test_rl202_leaves_alone_what_it_leaves_of_an_action_value(
    tmp_path: Path, grant: str, boundary: str, expected: set[str]
) -> None:
    code = _left_of_not_action(grant, NO_DENY, f'{boundary}, Resource: "*"')
    rules = {f.rule_id for f in findings_of(code, "yaml", tmp_path)}
    assert "RL202" not in rules
    assert expected <= rules


SHARED_BOUNDED_NOT_ACTION = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Broad:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            NotAction: "iam:*"
            Resource: "*"
  Open:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}
      ManagedPolicyArns: [!Ref Broad]
  Bounded:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}
      ManagedPolicyArns: [!Ref Broad]
      PermissionsBoundary: !Ref Bnd
  Bnd:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Action: [s3:DeleteObject, secretsmanager:GetSecretValue], Resource: "*"}
"""


def test_rl203_rl208_rl204_name_each_the_holders_of_one_not_action(tmp_path: Path) -> None:
    """A NotAction two roles hold, one under a boundary allowing two actions: RL204 for the
    other, RL203 and RL208 for that one, never two of them for the same role."""
    code = SHARED_BOUNDED_NOT_ACTION
    roles = {f.rule_id: f.role for f in findings_of(code, "yaml", tmp_path)}
    assert roles == {
        "RL204": "Open",
        "RL206": "Open",
        "RL207": "Open",
        "RL203": "Bounded",
        "RL208": "Bounded",
    }


# An Allow on every resource written as GRANT, under a boundary allowing WIDE on every
# resource and NARROW on one bucket's objects only.
NOTED_NOT_ACTION = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}
      PermissionsBoundary: !Ref Bnd
      Policies:
        - PolicyName: p
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - {Effect: Allow, GRANT, Resource: "*"}
  Bnd:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Action: WIDE, Resource: "*"}
          - {Effect: Allow, Action: NARROW, Resource: "arn:aws:s3:::b/*"}
"""


@pytest.mark.parametrize(
    ("rule", "wide", "narrow", "written", "not_action_note", "action_note"),
    [
        (
            "RL203",
            "s3:Delete*",
            "s3:GetObject",
            "s3:*",
            "limits it to 's3:Delete*' except s3:DeleteBucket",
            "limits it to 's3:Delete*'",
        ),
        # Of s3:*, RL208 judges s3:GetObject, which the boundary allows whole.
        (
            "RL208",
            "s3:GetObject",
            "s3:PutObject",
            "s3:*",
            "limits it to 's3:GetObject'",
            "allows it",
        ),
    ],
)
def test_rl203_rl208_note_only_what_limited_the_not_action_to_what_they_report(
    tmp_path: Path,
    rule: str,
    wide: str,
    narrow: str,
    written: str,
    not_action_note: str,
    action_note: str,
) -> None:
    """Hunt: "Allow NotAction s3:DeleteBucket on *" under a boundary allowing s3:Delete* on
    "*" and s3:GetObject on one bucket's objects was RL203 "... on every resource ('*')"
    with the boundary's notes on that bucket too ("allows it only on 'arn:aws:s3:::b/*';
    ... limits it to 's3:Delete*' except s3:DeleteBucket, 's3:GetObject'"), which is not
    what is reported.  The note now says what limited it on the resources reported, as the
    note of the same grant written as an Action value does."""
    template = NOTED_NOT_ACTION.replace("WIDE", wide).replace("NARROW", narrow)
    code = template.replace("GRANT", "NotAction: s3:DeleteBucket")
    [finding] = [f for f in findings_of(code, "yaml", tmp_path) if f.rule_id == rule]
    assert finding.location.line == line_of(code, 'Resource: "*"}')
    assert "on every resource ('*')" in finding.message
    assert finding.message.endswith(f" (permissions boundary Bnd of role Role {not_action_note})")
    assert "arn:aws:s3:::b/*" not in finding.message and narrow not in finding.message
    code = template.replace("GRANT", f"Action: '{written}'")
    [finding] = [f for f in findings_of(code, "yaml", tmp_path) if f.rule_id == rule]
    assert finding.message.endswith(f" (permissions boundary Bnd of role Role {action_note})")


def test_rl203_rl208_note_the_narrower_resource_a_not_action_is_reported_on(
    tmp_path: Path,
) -> None:
    """On a narrower resource the boundary leaves it on (every object), the note says that
    resource and what is left there, not what another narrower resource (one bucket) leaves."""
    template = NOTED_NOT_ACTION.replace("WIDE", "sqs:DeleteQueue").replace("NARROW", "s3:PutObject")
    code = template.replace(
        '- {Effect: Allow, Action: sqs:DeleteQueue, Resource: "*"}',
        '- {Effect: Allow, Action: s3:GetObject, Resource: "arn:aws:s3:::*/*"}',
    ).replace("GRANT", 'NotAction: "iam:*"')
    assert "arn:aws:s3:::*/*" in code
    [finding] = [f for f in findings_of(code, "yaml", tmp_path) if f.rule_id == "RL208"]
    assert finding.message.endswith(
        "(permissions boundary Bnd of role Role allows it only on 'arn:aws:s3:::*/*'; "
        "permissions boundary Bnd of role Role limits it to 's3:GetObject')"
    )


@pytest.mark.parametrize("listed", ["*", ["s3:*", "*"], "*:*"])
def test_a_not_action_of_every_action_grants_nothing_to_report(
    tmp_path: Path, listed: str | list[str]
) -> None:
    """Hunt: "Allow NotAction '*' on *" under a boundary allowing "*" but iam:* was RL204
    high, "which still grants every action of every service except *, iam:*" (and, with no
    boundary, "allows every action except '*'"): every action except all of them is none,
    and nothing else of it is broad."""
    code = _left_of_not_action(
        f"NotAction: {json.dumps(listed)}",
        '- {Effect: Deny, Action: "iam:*", Resource: "*"}',
        '"*", Resource: "*"',
    )
    assert findings_of(code, "yaml", tmp_path) == []
    _, findings = lint(tmp_path, {"Effect": "Allow", "NotAction": listed, "Resource": "*"})
    assert findings == []
    # Less than every action listed, it is every action but those.
    _, findings = lint(tmp_path, {"Effect": "Allow", "NotAction": "s3:*", "Resource": "*"})
    assert "RL204" in {f.rule_id for f in findings}


def _all_but(action: Any, *listed: Any) -> dict[str, Any]:
    return {"Effect": "Allow", "Action": action, "NotResource": list(listed)}


@pytest.mark.parametrize(
    ("action", "listed", "rule"),
    [
        ("*", ["arn:aws:s3:::audit-logs/*"], "RL201"),
        ("iam:PassRole", ["arn:aws:iam::111122223333:role/break-glass"], "RL206"),
        ("sts:AssumeRole", ["arn:aws:iam::111122223333:role/break-glass"], "RL207"),
    ],
)
def test_allow_with_not_resource_grants_on_every_resource_but_those(
    tmp_path: Path, action: str, listed: list[str], rule: str
) -> None:
    """An Allow with NotResource was never read as a grant on every resource: "*" on all but
    one bucket had RL202 and RL205 (medium), no RL201."""
    code, findings = lint(tmp_path, _all_but(action, *listed))
    [finding] = [f for f in findings if f.rule_id == rule]
    assert f"every resource except '{listed[0]}' (NotResource)" in finding.message
    assert finding.location.line == line_of(code, f'"{action}"' if rule != "RL207" else "Not")
    assert "RL205" in {f.rule_id for f in findings}


@pytest.mark.parametrize(
    ("action", "listed", "absent"),
    [
        # Every IAM resource left out: not admin (acting on instances, RL206, still is).
        ("*", ["arn:aws:iam::111122223333:*"], {"RL201"}),
        ("iam:PassRole", ["arn:aws:iam::111122223333:role/*"], {"RL206"}),  # every role
        ("sts:AssumeRole", ["arn:aws:iam::*:role/*"], {"RL207"}),
        ("*", [{"Ref": "Unknown"}], {"RL201", "RL206", "RL207"}),  # left out: not known
    ],
)
def test_a_not_resource_leaving_out_every_resource_in_question_is_not(
    tmp_path: Path, action: str, listed: list[Any], absent: set[str]
) -> None:
    template = {
        "Parameters": {"Unknown": {"Type": "String"}},
        "Resources": {
            "P": {
                "Type": "AWS::IAM::ManagedPolicy",
                "Properties": {
                    "PolicyDocument": {
                        "Version": "2012-10-17",
                        "Statement": [_all_but(action, *listed)],
                    }
                },
            }
        },
    }
    findings = findings_of(json.dumps(template, indent=2), "json", tmp_path)
    assert not absent & {f.rule_id for f in findings}
    assert "RL205" in {f.rule_id for f in findings} or listed[0] == {"Ref": "Unknown"}


USERS_LIMITED = """\
Resources:
  Frozen:
    Type: AWS::IAM::User
    Properties:
      ManagedPolicyArns: [arn:aws:iam::aws:policy/AdministratorAccess]
      Policies:
        - PolicyName: deny-all
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - {Effect: Deny, Action: "*", Resource: "*"}
  Bounded:
    Type: AWS::IAM::User
    Properties:
      ManagedPolicyArns: [arn:aws:iam::aws:policy/AdministratorAccess]
      PermissionsBoundary: !Ref S3Only
  S3Only:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Action: "s3:GetObject", Resource: "arn:aws:s3:::reports/*"}
"""


def test_a_users_denies_and_boundary_limit_its_grants(tmp_path: Path) -> None:
    """A user's Denies and permissions boundary were never applied: a user with a Deny of
    everything, or bounded to one bucket, had RL201 (critical) for AdministratorAccess."""
    findings = findings_of(USERS_LIMITED, "yaml", tmp_path)
    assert [(f.rule_id, f.resource) for f in findings if f.rule_id.startswith("RL2")] == []


# --- RL206 ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("action", "resource", "method"),
    [
        ("iam:PassRole", "*", "iam:PassRole"),
        ("iam:Pass*", "*", "iam:PassRole"),
        ("iam:passrole", "arn:aws:iam::111122223333:role/*", "iam:PassRole"),
        ("iam:CreateAccessKey", "arn:aws:iam::111122223333:user/*", "iam:CreateAccessKey"),
        ("iam:*Policy*", "arn:aws:iam::*:*", "iam:PutRolePolicy"),
        ("iam:*Version", "*", "iam:SetDefaultPolicyVersion"),
        ("iam:Add*", "arn:aws:iam::111122223333:group/*", "iam:AddUserToGroup"),
    ],
)
def test_rl206_escalation(tmp_path: Path, action: str, resource: str, method: str) -> None:
    code, findings = lint(tmp_path, allow(action, resource))
    escalations = [f for f in findings if f.rule_id == "RL206"]
    assert [f.location.line for f in escalations] == [line_of(code, '"Action"')]
    assert method in escalations[0].message


@pytest.mark.parametrize(
    ("action", "resource"),
    [
        ("iam:PassRole", "arn:aws:iam::111122223333:role/app-instance"),
        ("iam:PassRole", "arn:aws:iam::111122223333:role/app-*"),
        ("iam:CreateAccessKey", "arn:aws:iam::111122223333:user/${aws:username}"),
        ("iam:Get*", "*"),
        ("iam:CreateRole", "arn:aws:iam::111122223333:role/app-*"),
        # An escalation action on a resource of another type is no escalation.
        ("iam:AttachUserPolicy", "arn:aws:iam::111122223333:role/*"),
    ],
)
def test_rl206_not_escalation(tmp_path: Path, action: str, resource: str) -> None:
    _, findings = lint(tmp_path, allow(action, resource))
    assert "RL206" not in {f.rule_id for f in findings}


@pytest.mark.parametrize(
    ("operator", "reported"),
    [
        ("StringEquals", ["iam:PassRole"]),  # requests for the others lack the key: false
        ("ForAnyValue:StringLike", ["iam:PassRole"]),
        ("StringEqualsIfExists", ["iam:PassRole", "iam:AttachRolePolicy"]),  # true without it
        ("StringNotEquals", ["iam:PassRole", "iam:AttachRolePolicy"]),
    ],
)
def test_rl206_a_condition_only_pass_role_requests_carry(
    tmp_path: Path, operator: str, reported: list[str]
) -> None:
    """iam:AttachRolePolicy beside iam:PassRole under StringEquals iam:PassedToService was
    reported high: no AttachRolePolicy request carries the key, so the statement never grants it."""
    condition = {operator: {"iam:PassedToService": "lambda.amazonaws.com"}}
    code, findings = lint(
        tmp_path, allow(["iam:PassRole", "iam:AttachRolePolicy"], Condition=condition)
    )
    found = [(f.location.line, f.message) for f in findings if f.rule_id == "RL206"]
    lines = {
        "iam:PassRole": line_of(code, '"iam:PassRole"'),
        "iam:AttachRolePolicy": line_of(code, '"iam:AttachRolePolicy"'),
    }
    assert [line for line, _ in found] == [lines[action] for action in reported]


def test_a_condition_only_pass_role_requests_carry_leaves_only_pass_role(tmp_path: Path) -> None:
    """``iam:*`` on '*' under StringEquals iam:PassedToService was RL201 critical, and
    sts:AssumeRole and s3:* beside iam:PassRole were RL207 and RL202: only iam:PassRole requests
    carry the key, so the statement grants iam:PassRole alone (RL206, medium)."""
    condition = {"StringEquals": {"iam:PassedToService": "ec2.amazonaws.com"}}
    code, findings = lint(tmp_path, allow("iam:*", Condition=condition))
    assert pairs(findings) == {("RL206", line_of(code, '"iam:*"'))}
    assert [f.severity.value for f in findings] == ["medium"]
    code, findings = lint(
        tmp_path, allow(["sts:AssumeRole", "s3:*", "iam:PassRole", "iam:Put*"], Condition=condition)
    )
    assert pairs(findings) == {("RL206", line_of(code, '"iam:PassRole"'))}
    # IfExists passes a request without the key: every IAM action stays granted.
    loose = {"StringEqualsIfExists": {"iam:PassedToService": "ec2.amazonaws.com"}}
    code, findings = lint(tmp_path, allow("iam:*", Condition=loose))
    assert pairs(findings) == {("RL201", line_of(code, '"iam:*"'))}


@pytest.mark.parametrize(
    "condition",
    [
        {"Null": {"iam:PassedToService": "false"}},  # the key is present: any service
        {"ForAllValues:StringEquals": {"iam:PassedToService": "ec2.amazonaws.com"}},
    ],
)
def test_rl206_a_passed_to_service_test_that_is_not_mandatory_limits_nothing(
    tmp_path: Path, condition: dict[str, Any]
) -> None:
    """Hunt: under Null iam:PassedToService "false" RL206 said "only to false" at medium and
    named no method, though the test only requires the key (any service); ForAllValues was
    read as StringEquals.  Neither is a mandatory positive test: high, with the methods."""
    code, findings = lint(
        tmp_path, allow("iam:PassRole", Condition=condition), allow("ec2:RunInstances")
    )
    [finding] = [f for f in findings if f.rule_id == "RL206"]
    assert finding.location.line == line_of(code, '"iam:PassRole"')
    assert finding.severity.value == "high"
    assert "a new EC2 instance (ec2:RunInstances)" in finding.message
    assert "(iam:PassedToService)" not in finding.message


def test_rl206_a_deny_of_every_other_service_limits_pass_role_as_the_allow_would(
    tmp_path: Path,
) -> None:
    """Hunt: a Deny of iam:PassRole where StringNotEquals iam:PassedToService ec2.amazonaws.com
    "may not apply" and RL206 said high; every iam:PassRole request carries the key, so it
    passes roles to EC2 alone: medium, with the EC2 methods only, as under the Allow's own
    StringEquals."""
    guard = {"StringNotEquals": {"iam:PassedToService": "ec2.amazonaws.com"}}
    code, findings = lint(
        tmp_path,
        allow("iam:PassRole"),
        allow(["ec2:RunInstances", "lambda:CreateFunction", "lambda:InvokeFunction"], ["*", "*"]),
        deny("iam:Pass*", Condition=guard),
    )
    [finding] = [f for f in findings if f.rule_id == "RL206"]
    assert finding.location.line == line_of(code, '"iam:PassRole"')
    assert finding.severity.value == "medium"
    assert "a new EC2 instance (ec2:RunInstances)" in finding.message
    assert "Lambda" not in finding.message
    assert "; only to ec2.amazonaws.com (iam:PassedToService): privilege escalation" in (
        finding.message
    )
    deny_line = line_of(code, '"Deny"') - 1  # a statement is at its opening brace
    assert finding.message.endswith(
        f"(the Deny at line {deny_line} refuses it unless iam:PassedToService is "
        "'ec2.amazonaws.com')"
    )


_PASSED_TO = """\
Parameters:
  Env: {Type: String, Default: prod}
  Service: {Type: String, Default: ec2.amazonaws.com}
Mappings:
  Services:
    prod: {Name: ec2.amazonaws.com}
    dev: {Name: lambda.amazonaws.com}
Resources:
  R:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}
      Policies:
        - PolicyName: p
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - {Effect: Allow, Action: [iam:PassRole, ec2:RunInstances], Resource: "*"}
              - Effect: Deny
                Action: iam:PassRole
                Resource: "*"
                Condition: {StringNotEquals: {iam:PassedToService: SERVICE}}
"""


@pytest.mark.parametrize(
    ("service", "severity"),
    [
        ("ec2.amazonaws.com", "medium"),
        ("!FindInMap [Services, prod, Name]", "medium"),
        ("!Ref Service", "high"),  # another deployment may pass another service
        ("!FindInMap [Services, !Ref Env, Name]", "high"),  # so may it pick another entry
    ],
)
def test_rl206_a_deny_of_every_other_service_a_default_picks_may_not_apply(
    tmp_path: Path, service: str, severity: str
) -> None:
    """The service an entry of Mappings gives, picked by a parameter's default, is the
    default's choice as much as a bare ``!Ref`` of one (Value.origin): the Deny is no test
    every deployment makes, and is judged as the Ref's is."""
    code = _PASSED_TO.replace("SERVICE", service)
    [finding] = [f for f in findings_of(code, "yaml", tmp_path) if f.rule_id == "RL206"]
    assert finding.severity.value == severity
    assert ("has a condition, so it may not apply" in finding.message) is (severity == "high")


_PASSED_TO_TF = """\
variable "env" {
  default = "prod"
}
variable "service" {
  default = "ec2.amazonaws.com"
}
resource "aws_iam_role" "r" {
  name = "r"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{
      Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "ec2.amazonaws.com" }
    }]
  })
}
resource "aws_iam_role_policy" "p" {
  role = aws_iam_role.r.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = ["iam:PassRole", "ec2:RunInstances"], Resource = "*" },
      {
        Effect = "Deny", Action = "iam:PassRole", Resource = "*"
        Condition = { StringNotEquals = { "iam:PassedToService" = SERVICE } }
      },
    ]
  })
}
"""


@pytest.mark.parametrize(
    ("service", "severity"),
    [
        ('"ec2.amazonaws.com"', "medium"),
        ('1 == 1 ? "ec2.amazonaws.com" : "lambda.amazonaws.com"', "medium"),
        ("var.service", "high"),  # another deployment may pass another service
        ('var.env == "prod" ? "ec2.amazonaws.com" : "lambda.amazonaws.com"', "high"),
    ],
)
def test_rl206_a_deny_of_every_other_service_a_terraform_default_picks_may_not_apply(
    tmp_path: Path, service: str, severity: str
) -> None:
    """The branch a variable's default picks is the default's choice as much as the bare
    variable (Value.origin): the Deny is judged as the variable's is."""
    code = _PASSED_TO_TF.replace("SERVICE", service)
    [finding] = [f for f in findings_of(code, "tf", tmp_path) if f.rule_id == "RL206"]
    assert finding.severity.value == severity
    assert ("has a condition, so it may not apply" in finding.message) is (severity == "high")


@pytest.mark.parametrize(
    "guard",
    [
        # The Deny applies where both hold: refused unless either fails, no one test.
        {
            "ArnNotEquals": {"iam:PolicyARN": "arn:aws:iam::aws:policy/ReadOnlyAccess"},
            "Bool": {"aws:MultiFactorAuthPresent": "false"},
        },
        {"ArnNotEqualsIfExists": {"iam:PolicyARN": "arn:aws:iam::aws:policy/ReadOnlyAccess"}},
        {
            "ForAnyValue:StringNotEquals": {
                "iam:PolicyARN": "arn:aws:iam::aws:policy/ReadOnlyAccess"
            }
        },
    ],
)
def test_rl206_a_deny_that_is_no_one_negated_test_may_not_apply(
    tmp_path: Path, guard: dict[str, Any]
) -> None:
    _, findings = lint(
        tmp_path, allow("iam:AttachRolePolicy"), deny("iam:Attach*", Condition=guard)
    )
    [finding] = [f for f in findings if f.rule_id == "RL206"]
    assert finding.severity.value == "high"
    assert "has a condition, so it may not apply" in finding.message


@pytest.mark.parametrize("method", ["iam:PassRole", "lambda:UpdateFunctionCode"])
@pytest.mark.parametrize("key", ["iam:ResourceTag/team", "aws:ResourceTag/team"])
def test_rl206_a_deny_of_every_resource_without_a_tag_limits_as_the_allow_would(
    tmp_path: Path, method: str, key: str
) -> None:
    """Regression hunt: a Deny of iam:PassRole where StringNotEquals iam:ResourceTag/team
    blue gave high RL206 "pass any role ... (the Deny refuses it unless iam:ResourceTag/team
    is 'blue')", where the same test on the Allow gives nothing: only roles (functions) so
    tagged can be passed (taken over).  The Deny is judged as that test on the grant."""
    guard = {"StringNotEquals": {key: "blue"}}
    _, findings = lint(tmp_path, allow(method), deny(method, Condition=guard))
    assert findings == []
    # Tags on the role acted on do not keep iam:AttachRolePolicy to harmless policies.
    code, findings = lint(
        tmp_path,
        allow([method, "iam:AttachRolePolicy"]),
        deny([method, "iam:AttachRolePolicy"], Condition=guard),
    )
    [finding] = [f for f in findings if f.rule_id == "RL206"]
    assert finding.location.line == line_of(code, '"iam:AttachRolePolicy"')
    assert "which lets the holder attach any managed policy to a role" in finding.message
    # A boundary allowing the method only under the positive test limits it alike.
    bounded = _TAG_BOUNDED.replace("METHOD", method).replace("KEY", key)
    assert findings_of(bounded, "yaml", tmp_path) == []


_TAG_BOUNDED = """\
Resources:
  Boundary:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Action: METHOD
            Resource: "*"
            Condition: {StringEquals: {KEY: blue}}
  Ops:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}
      PermissionsBoundary: !Ref Boundary
      Policies:
        - PolicyName: p
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - {Effect: Allow, Action: METHOD, Resource: "*"}
"""


def test_rl206_a_deny_of_every_other_policy_on_fewer_resources_may_not_apply(
    tmp_path: Path,
) -> None:
    guard = {"ArnNotEquals": {"iam:PolicyARN": "arn:aws:iam::aws:policy/ReadOnlyAccess"}}
    code, findings = lint(
        tmp_path,
        allow("iam:AttachRolePolicy"),
        deny("iam:Attach*", "arn:aws:iam::123456789012:role/admin", Condition=guard),
    )
    assert pairs(findings) == {("RL206", line_of(code, '"iam:AttachRolePolicy"'))}
    assert "has a condition, so it may not apply" in findings[0].message


ATTACH = ["iam:AttachUserPolicy", "iam:DetachUserPolicy", "iam:PutUserPolicy"]


def _policy_arn(*arns: str) -> dict[str, Any]:
    return {"ArnEquals": {"iam:PolicyARN": list(arns)}}


def test_rl206_attach_limited_to_named_policies_is_no_escalation(tmp_path: Path) -> None:
    """AWS's own example (reference_policies_examples_iam_limit-managed): attach on '*' only
    policy-name-1 and -2 was RL206 high, 'attach any managed policy'.  Neither is an AWS
    managed policy with administrator-level access, and iam:PutUserPolicy requests carry no
    iam:PolicyARN, so the test is false for them."""
    condition = _policy_arn(
        "arn:aws:iam::*:policy/policy-name-1", "arn:aws:iam::*:policy/policy-name-2"
    )
    _, findings = lint(tmp_path, allow(ATTACH, Condition=condition))
    assert findings == []


@pytest.mark.parametrize(
    ("arn", "named"),
    [
        ("arn:aws:iam::aws:policy/AdministratorAccess", "AdministratorAccess"),
        ("arn:aws:iam::*:policy/IAMFullAccess", "IAMFullAccess"),  # the account may be "aws"
        ("arn:aws:iam::111122223333:policy/team-*", None),  # a pattern: any policy so named
    ],
)
def test_rl206_attach_limited_to_policies_that_may_be_admin(
    tmp_path: Path, arn: str, named: str | None
) -> None:
    code, findings = lint(tmp_path, allow(ATTACH, Condition=_policy_arn(arn)))
    [finding] = findings
    assert (finding.rule_id, finding.location.line) == (
        "RL206",
        line_of(code, '"iam:AttachUserPolicy"'),
    )
    admin = f"; {named} with administrator-level access" if named else ""
    assert (
        f"attach the managed policies its iam:PolicyARN condition admits ('{arn}'{admin})"
        " to a user" in finding.message
    )


def test_rl206_attach_limited_to_a_known_name_under_another_path_is_no_escalation(
    tmp_path: Path,
) -> None:
    """``policy/job-function/IAMFullAccess`` is no policy AWS has (IAMFullAccess is at the
    root): it was judged as IAMFullAccess, by its last segment alone."""
    condition = _policy_arn("arn:aws:iam::aws:policy/job-function/IAMFullAccess")
    _, findings = lint(tmp_path, allow(ATTACH, Condition=condition))
    assert findings == []


CUSTOMER_POLICY_CFN = """\
Resources:
  AdminPolicy:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      ManagedPolicyName: everything
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Action: "ACTION", Resource: "*"}
  Deployer:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}
      Policies:
        - PolicyName: p
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: iam:AttachRolePolicy
                Resource: "*"
                Condition:
                  ArnEquals:
                    iam:PolicyARN: !Sub "arn:aws:iam::ACCOUNT:policy/everything"
"""

CUSTOMER_POLICY_TF = """\
resource "aws_iam_policy" "everything" {
  name   = "everything"
  policy = jsonencode({ Version = "2012-10-17",
    Statement = [{ Effect = "Allow", Action = "ACTION", Resource = "*" }] })
}
resource "aws_iam_role" "deployer" {
  name               = "deployer"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow",
    Principal = { Service = "ec2.amazonaws.com" }, Action = "sts:AssumeRole" }] })
}
resource "aws_iam_role_policy" "attach" {
  role = aws_iam_role.deployer.name
  policy = jsonencode({ Version = "2012-10-17", Statement = [{
    Effect    = "Allow"
    Action    = "iam:AttachRolePolicy"
    Resource  = "*"
    Condition = { ArnEquals = { "iam:PolicyARN" = aws_iam_policy.everything.arn } }
  }] })
}
"""


@pytest.mark.parametrize(
    ("form", "named"),
    [
        ("yaml", "AWS::IAM::ManagedPolicy AdminPolicy"),
        ("tf", "policy aws_iam_policy.everything"),
    ],
)
def test_rl206_attach_limited_to_a_customer_admin_policy_of_the_scan(
    tmp_path: Path, form: str, named: str
) -> None:
    """Hunt: iam:AttachRolePolicy on '*' limited by iam:PolicyARN to a customer managed policy
    of the scan granting '*' (RL201 reports it) was no escalation: only AWS managed policies
    were looked up, a customer managed one's document counted as not known."""
    template = CUSTOMER_POLICY_CFN if form == "yaml" else CUSTOMER_POLICY_TF
    code = template.replace("ACTION", "*").replace("ACCOUNT", "${AWS::AccountId}")
    found = findings_of(code, form, tmp_path)
    [escalation] = [f for f in found if f.rule_id == "RL206"]
    assert escalation.location.line == line_of(code, "iam:AttachRolePolicy")
    assert escalation.severity.value == "high"
    assert f"; {named} with administrator-level access) to a role" in escalation.message
    assert "RL201" in {f.rule_id for f in found}  # on the policy itself, as before
    # A harmless policy of the scan, or one of another account, admits no escalation.
    harmless = template.replace("ACTION", "s3:GetObject").replace("ACCOUNT", "${AWS::AccountId}")
    assert "RL206" not in {f.rule_id for f in findings_of(harmless, form, tmp_path)}
    if form == "yaml":
        elsewhere = template.replace("ACTION", "*").replace("ACCOUNT", "111122223333")
        assert "RL206" not in {f.rule_id for f in findings_of(elsewhere, form, tmp_path)}


@pytest.mark.parametrize(
    ("reference", "name", "arn"),
    [
        ("!Ref AdminPolicy", "ManagedPolicyName: everything", "policy/everything"),
        ("!GetAtt AdminPolicy.PolicyArn", "ManagedPolicyName: everything", "policy/everything"),
        ("!Ref AdminPolicy", "Path: /team/", "policy/team/<a name CloudFormation generates>"),
    ],
)
def test_rl206_attach_limited_to_a_policy_of_the_template_by_reference(
    tmp_path: Path, reference: str, name: str, arn: str
) -> None:
    """``iam:PolicyARN: !Ref AdminPolicy`` names the template's policy as its ARN does (a
    ManagedPolicy's Ref is its ARN), but was left unresolved: the message showed
    '<unresolved: resource AdminPolicy>' and never said the policy grants '*'.  It is now the
    policy's ARN (its generated name said in words), judged by the policy's document."""
    template = CUSTOMER_POLICY_CFN.replace(
        '!Sub "arn:aws:iam::ACCOUNT:policy/everything"', reference
    ).replace("ManagedPolicyName: everything", name)
    code = template.replace("ACTION", "*")
    [escalation] = [f for f in findings_of(code, "yaml", tmp_path) if f.rule_id == "RL206"]
    assert escalation.location.line == line_of(code, "iam:AttachRolePolicy")
    assert (
        f"its iam:PolicyARN condition admits ('arn:aws:iam::${{AWS::AccountId}}:{arn}';"
        " AWS::IAM::ManagedPolicy AdminPolicy with administrator-level access) to a role"
    ) in escalation.message
    assert "<unresolved" not in escalation.message
    # A harmless policy of the template admits no escalation, as when its ARN is written.
    harmless = template.replace("ACTION", "s3:GetObject")
    assert "RL206" not in {f.rule_id for f in findings_of(harmless, "yaml", tmp_path)}


def test_rl206_attach_limited_to_a_policy_named_by_a_variable(tmp_path: Path) -> None:
    """The policy ``iam:PolicyARN`` names by reference, its name a variable without a default:
    the escalation stands, but the message called the name "a name Terraform generates",
    which whoever applies the module chooses."""
    code = 'variable "policy_name" {}\n' + CUSTOMER_POLICY_TF.replace(
        'name   = "everything"', "name   = var.policy_name"
    ).replace("ACTION", "*")
    [escalation] = [f for f in findings_of(code, "tf", tmp_path) if f.rule_id == "RL206"]
    assert escalation.location.line == line_of(code, "iam:AttachRolePolicy")
    assert (
        "its iam:PolicyARN condition admits ('arn:aws:iam::${AWS::AccountId}:policy/"
        "<unresolved name>'; policy aws_iam_policy.everything with administrator-level access)"
        " to a role"
    ) in escalation.message


GATED_BY_A_CUSTOMER_POLICY_CFN = """\
Resources:
  TeamAdmin:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      ManagedPolicyName: team-admin
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Action: "ACTION", Resource: "*"}
  Boundary:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Action: METHOD
            Resource: "*"
BOUNDARY
  Dev:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}
      PermissionsBoundary: !Ref Boundary
      Policies:
        - PolicyName: p
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: METHOD
                Resource: "*"
DENY
"""
_TEAM_ADMIN = "!Sub arn:aws:iam::${AWS::AccountId}:policy/team-admin"
_GATE_OF = {
    # A boundary allowing the method only where the key names team-admin.
    "boundary": (
        "BOUNDARY",
        "            Condition:\n              ArnEquals:\n                KEY: TEAM",
        "permissions boundary Boundary of role Dev allows it only under its condition",
    ),
    # A Deny of the method wherever the key names another policy.
    "deny": (
        "DENY",
        "              - Effect: Deny\n"
        "                Action: METHOD\n"
        '                Resource: "*"\n'
        "                Condition:\n"
        "                  NOTTEST:\n"
        "                    KEY: TEAM",
        "refuses it unless KEY is 'arn:aws:iam::${AWS::AccountId}:policy/team-admin'",
    ),
}


@pytest.mark.parametrize("gate", sorted(_GATE_OF))
@pytest.mark.parametrize(
    ("method", "key", "not_test"),
    [
        ("iam:AttachRolePolicy", "iam:PolicyARN", "ArnNotEquals"),
        ("iam:PutRolePolicy", "iam:PermissionsBoundary", "StringNotEquals"),
    ],
)
def test_rl206_a_gate_admitting_a_customer_admin_policy_of_the_scan(
    tmp_path: Path, gate: str, method: str, key: str, not_test: str
) -> None:
    """Regression hunt: a Deny's ``ArnNotEquals iam:PolicyARN`` (or a boundary's
    ``ArnEquals``) naming a customer managed policy of the scan granting '*' removed RL206:
    the gate was judged without the scan's policies, so the one it admits counted as harmless,
    where the same test on the Allow gives high RL206.  Judged with them, as the Allow's own
    test is: the holder can attach (or act under) full admin."""
    marker, text, note = _GATE_OF[gate]
    other = next(m for m in _GATE_OF if m != gate)

    def template(action: str) -> str:
        code = GATED_BY_A_CUSTOMER_POLICY_CFN.replace(marker, text).replace(
            _GATE_OF[other][0] + "\n", ""
        )
        for placeholder, value in (
            ("ACTION", action),
            ("METHOD", method),
            ("NOTTEST", not_test),
            ("KEY", key),
            ("TEAM", _TEAM_ADMIN),
        ):
            code = code.replace(placeholder, value)
        return code

    code = template("*")
    found = findings_of(code, "yaml", tmp_path)
    [escalation] = [f for f in found if f.rule_id == "RL206"]
    assert escalation.location.line == line_of(code, f"Action: {method}", occurrence=2)
    assert escalation.severity.value == "high"
    assert note.replace("KEY", key) in escalation.message
    # A harmless policy of the scan behind the same gate admits no escalation.
    harmless = findings_of(template("s3:GetObject"), "yaml", tmp_path)
    assert "RL206" not in {f.rule_id for f in harmless}


def test_a_policy_arn_test_leaves_only_the_attachments(tmp_path: Path) -> None:
    """Hunt: ``iam:*`` on '*' under ArnEquals iam:PolicyARN was RL201 critical, and
    sts:AssumeRole and ``iam:*Policy`` beside it RL207 and RL202: only the attach and detach
    requests carry the key (the AWS action catalog lists it for those six actions alone), so
    the statement grants nothing else.  Attaching AdministratorAccess is still RL206."""
    customer = _policy_arn("arn:aws:iam::111122223333:policy/app")
    _, findings = lint(tmp_path, allow("iam:*", Condition=customer))
    assert findings == []
    actions = ["iam:*Policy", "sts:AssumeRole", "s3:PutObject", "iam:PassRole"]
    _, findings = lint(tmp_path, allow(actions, Condition=customer))
    assert findings == []
    admin = _policy_arn("arn:aws:iam::aws:policy/AdministratorAccess")
    code, findings = lint(tmp_path, allow("iam:*", Condition=admin))
    assert pairs(findings) == {("RL206", line_of(code, '"iam:*"'))}


DELEGATING = [
    "iam:AttachRolePolicy",
    "iam:PutRolePolicy",
    "iam:DetachRolePolicy",
    "iam:DeleteRolePolicy",
    "iam:CreateRole",
    "iam:PutRolePermissionsBoundary",
]


def _boundary_is(*arns: str) -> dict[str, Any]:
    return {"StringEquals": {"iam:PermissionsBoundary": list(arns)}}


def test_rl206_changing_only_roles_capped_by_a_named_boundary_is_no_escalation(
    tmp_path: Path,
) -> None:
    """Hunt: AWS's CreateOrChangeOnlyWithBoundary statement (IAM User Guide, permissions
    boundaries, delegating responsibility) was two RL206 high, 'attach any managed policy to a
    role': a request on a role without DevBoundary fails the test, so every role the holder
    changes, or creates, stays capped by DevBoundary."""
    condition = _boundary_is("arn:aws:iam::111122223333:policy/DevBoundary")
    _, findings = lint(tmp_path, allow(DELEGATING, Condition=condition))
    assert findings == []
    # iam:PassRole and iam:CreateAccessKey requests lack the key: never granted under it.
    actions = [*DELEGATING, "iam:PassRole", "iam:CreateAccessKey", "sts:AssumeRole"]
    _, findings = lint(tmp_path, allow(actions, Condition=condition))
    assert findings == []


def test_rl206_a_named_boundary_with_administrator_access_still_escalates(
    tmp_path: Path,
) -> None:
    arn = "arn:aws:iam::aws:policy/AdministratorAccess"
    code, findings = lint(tmp_path, allow(DELEGATING, Condition=_boundary_is(arn)))
    assert [(f.rule_id, f.location.line, f.severity.value) for f in findings] == [
        ("RL206", line_of(code, '"iam:AttachRolePolicy"'), "high"),
        ("RL206", line_of(code, '"iam:PutRolePolicy"'), "high"),
        ("RL206", line_of(code, '"iam:PutRolePermissionsBoundary"'), "high"),
    ]
    assert (
        "attach any managed policy to a role whose permissions boundary its "
        f"iam:PermissionsBoundary condition admits ('{arn}'; AdministratorAccess with "
        "administrator-level access)" in findings[0].message
    )


def test_rl206_removing_a_named_boundary_still_escalates(tmp_path: Path) -> None:
    """Removing the boundary lifts it, whichever it is; ``iam:*`` under the test was RL201
    critical, though it grants only the IAM actions whose requests carry the key."""
    arn = "arn:aws:iam::111122223333:policy/DevBoundary"
    code, findings = lint(tmp_path, allow("iam:*", Condition=_boundary_is(arn)))
    [finding] = findings
    assert (finding.rule_id, finding.location.line) == ("RL206", line_of(code, '"iam:*"'))
    assert (
        "iam:DeleteRolePermissionsBoundary (remove the permissions boundary of any role whose "
        f"boundary its iam:PermissionsBoundary condition admits ('{arn}'), its own included"
    ) in finding.message


def test_rl206_a_boundary_not_known_adds_no_finding(tmp_path: Path) -> None:
    """A boundary rolelint cannot resolve may be any policy: the finding stays as it was
    without the condition, naming it, and no other appears."""
    template = """\
Parameters:
  BoundaryArn: {Type: String}
Resources:
  Delegate:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Action: [iam:AttachRolePolicy, iam:CreateRole]
            Resource: "*"
CONDITION"""
    bare = findings_of(template.replace("CONDITION", ""), "yaml", tmp_path)
    condition = (
        "            Condition:\n"
        "              StringEquals: {iam:PermissionsBoundary: !Ref BoundaryArn}\n"
    )
    code = template.replace("CONDITION", condition)
    found = findings_of(code, "yaml", tmp_path)
    assert pairs(found) == {("RL206", line_of(code, "iam:AttachRolePolicy"))}
    assert pairs(found) <= pairs(bare)  # RL203 on iam:CreateRole: the condition may limit it
    assert "its iam:PermissionsBoundary condition admits ('<unresolved" in found[0].message


def test_rl206_deny_removes_only_the_denied_method(tmp_path: Path) -> None:
    _, findings = lint(tmp_path, allow("iam:P*"), deny("iam:PassRole"))
    [finding] = [f for f in findings if f.rule_id == "RL206"]
    assert "iam:PutRolePolicy" in finding.message
    assert "iam:PassRole" not in finding.message
    _, findings = lint(tmp_path, allow("iam:PassRole"), deny("iam:Pass*"))
    assert findings == []


@pytest.mark.parametrize(
    "denied",
    [
        "arn:aws:iam::*:role/*",
        "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/*",  # IAM: the holder's own account
    ],
)
def test_rl206_a_deny_of_every_resource_the_action_acts_on_removes_it(
    tmp_path: Path, denied: str
) -> None:
    """iam:PassRole acts only on roles: a Deny of it on every role takes it away as one on '*'
    does, yet RL206 said 'the Deny covers fewer resources'."""
    _, findings = lint(tmp_path, allow("iam:PassRole"), deny("iam:PassRole", denied))
    assert findings == []


@pytest.mark.parametrize(
    ("allowed", "denied", "resource"),
    [
        ("iam:PassRole", "iam:PassRole", "arn:*"),
        ("sts:AssumeRole", "sts:AssumeRole", "arn:*"),
        ("iam:*", "iam:*", "arn:*"),
        ("*", "*", "arn:aws:*:*:*:*"),
        ("*", "*:*", "arn:*"),
    ],
)
def test_a_deny_of_every_arn_removes_what_acts_on_a_resource(
    tmp_path: Path, allowed: str, denied: str, resource: str
) -> None:
    """A Deny on ``arn:*`` (every resource, as the rules read it) was said to "cover fewer
    resources" than a grant on '*', and RL206, RL207 and RL201 stayed.  Every action that acts
    on an ARN is denied, the IAM writes among them; what is left (the actions allowed only on
    '*', such as iam:ListRoles) is nothing any of these rules reports."""
    _, findings = lint(tmp_path, allow(allowed), deny(denied, resource))
    assert findings == []


def test_a_deny_of_star_colon_star_takes_every_action(tmp_path: Path) -> None:
    """``*:*`` names every action, though as text it does not cover ``*``: '*' under a Deny of
    it on '*' still "granted every action of every service except *:*" (RL202)."""
    _, findings = lint(tmp_path, allow("*"), deny("*:*"))
    assert findings == []


def test_a_deny_of_every_iam_resource_leaves_no_admin_access(tmp_path: Path) -> None:
    """RL201 (critical) stayed: what is left are the IAM actions allowed only on '*'."""
    _, findings = lint(tmp_path, allow("iam:*"), deny("iam:*", "arn:aws:iam::*:*"))
    assert findings == []


@pytest.mark.parametrize(
    "denied",
    [
        "arn:aws:iam::111122223333:role/*",  # one account, perhaps not the holder's
        "arn:aws:iam::*:role/app-*",  # some roles
    ],
)
def test_rl206_a_deny_of_fewer_resources_than_the_action_acts_on_leaves_it(
    tmp_path: Path, denied: str
) -> None:
    code, findings = lint(tmp_path, allow("iam:PassRole"), deny("iam:PassRole", denied))
    [finding] = findings
    assert (finding.rule_id, finding.location.line) == ("RL206", line_of(code, '"Action"'))
    assert "(the Deny at line 9 covers fewer resources)" in finding.message


def test_a_deny_of_every_resource_of_some_actions_leaves_the_others(tmp_path: Path) -> None:
    """A Deny of iam:* on every role takes away the role actions; the user ones stay.  RL206
    reports the escalations among them, RL203 the other writes left on '*' (iam:CreatePolicy
    ...), as it would were they written out: only what RL206 reports is left to it."""
    code, findings = lint(tmp_path, allow("iam:*"), deny("iam:*", "arn:aws:iam::*:role/*"))
    [finding] = [f for f in findings if f.rule_id == "RL206"]
    assert finding.location.line == line_of(code, '"Action"')
    assert "iam:AttachUserPolicy" in finding.message and "iam:PassRole" not in finding.message
    assert "(the Deny at line 9 covers fewer resources)" in finding.message  # of users
    [writes] = [f for f in findings if f.rule_id == "RL203"]
    assert writes.location.line == line_of(code, '"Resource": "*"')
    assert "write actions, among them iam:CreatePolicy," in writes.message
    assert "iam:AttachUserPolicy" not in writes.message
    assert {f.rule_id for f in findings} == {"RL203", "RL206"}


@pytest.mark.parametrize(
    ("action", "resources"),
    [
        ("ssm:StartSession", "arn:aws:ec2:*:*:instance/*"),
        ("ec2-instance-connect:SendSSHPublicKey", "arn:aws:ec2:*:111122223333:instance/*"),
        ("ssm:StartSession", "arn:aws:ssm:eu-west-1:111122223333:managed-instance/*"),
        (
            "ssm:SendCommand",
            [
                "arn:aws:ec2:*:111122223333:instance/*",
                "arn:aws:ssm:*::document/AWS-RunShellScript",
            ],
        ),
        # "*" names every document, the shell among them, whatever else is listed.
        ("ssm:SendCommand", ["*", "arn:aws:ssm:*::document/MyFixedDoc"]),
        # A script fetched from S3 or GitHub runs whatever it is.
        (
            "ssm:SendCommand",
            ["arn:aws:ec2:*:*:instance/*", "arn:aws:ssm:*::document/AWS-RunRemoteScript"],
        ),
    ],
)
def test_rl206_taking_over_every_instance(tmp_path: Path, action: str, resources: Any) -> None:
    """Session Manager and Run Command act on EC2 instance ARNs, not on ssm ones: every
    instance named that way was not seen as every instance."""
    code, findings = lint(tmp_path, allow(action, resources))
    assert ("RL206", line_of(code, f'"{action}"')) in pairs(findings)


@pytest.mark.parametrize(
    ("action", "resources"),
    [
        # Run Command on every instance, but only with a document of fixed steps.
        (
            "ssm:SendCommand",
            ["arn:aws:ec2:*:*:instance/*", "arn:aws:ssm:*:*:document/RestartNginx"],
        ),
        ("ssm:SendCommand", "arn:aws:ssm:*:*:document/*"),  # documents alone: no instance
        ("lambda:UpdateFunctionCode", "arn:aws:lambda:*:111122223333:layer:*"),  # not functions
        ("ssm:StartSession", "arn:aws:ec2:*:*:instance/i-0abc"),
    ],
)
def test_rl206_not_taking_over_every_instance(tmp_path: Path, action: str, resources: Any) -> None:
    _, findings = lint(tmp_path, allow(action, resources))
    assert "RL206" not in {f.rule_id for f in findings}


EVERY_INSTANCE = "arn:aws:ec2:*:*:instance/*"
PATCH_DOCUMENT = "arn:aws:ssm:*::document/AWS-RunPatchBaseline"
SHELL_DOCUMENT = "arn:aws:ssm:*::document/AWS-RunShellScript"


def test_rl206_run_command_documents_allowed_in_another_statement(tmp_path: Path) -> None:
    """ssm:SendCommand is authorized on the instance and on the document, each by any Allow
    that names it: AWS's own managed policies allow the instances and the documents in separate
    statements.  Only the grant's own statement was read, so a fixed document allowed apart was
    RL206 high, and a shell allowed apart (with one instance) was nothing."""
    # Every instance, and only a fixed document (in another statement): no shell anywhere.
    _, findings = lint(
        tmp_path,
        allow("ssm:SendCommand", EVERY_INSTANCE),
        allow("ssm:SendCommand", PATCH_DOCUMENT),
    )
    assert findings == []
    # Every instance with a fixed document; the shell allowed beside one instance only.
    bastion = "arn:aws:ec2:eu-west-1:111122223333:instance/i-0123456789abcdef0"
    code, findings = lint(
        tmp_path,
        allow("ssm:SendCommand", [EVERY_INSTANCE, PATCH_DOCUMENT]),
        allow("ssm:SendCommand", [bastion, SHELL_DOCUMENT]),
    )
    [finding] = findings
    assert (finding.rule_id, finding.location.line) == ("RL206", line_of(code, '"Action"'))
    assert "ssm:SendCommand on 'arn:aws:ec2:*:*:instance/*'" in finding.message
    assert finding.severity.value == "high"


def test_rl206_a_deny_of_the_shell_documents_leaves_no_shell(tmp_path: Path) -> None:
    """A Deny of the shell document, here or in another policy of the holder, leaves every
    instance with fixed documents only."""
    _, findings = lint(
        tmp_path,
        allow("ssm:SendCommand", [EVERY_INSTANCE, SHELL_DOCUMENT, PATCH_DOCUMENT]),
        deny("ssm:SendCommand", "arn:aws:ssm:*::document/AWS-Run*Script"),
    )
    assert findings == []
    # A Deny of another document takes nothing away.
    code, findings = lint(
        tmp_path,
        allow("ssm:SendCommand", [EVERY_INSTANCE, SHELL_DOCUMENT]),
        deny("ssm:SendCommand", PATCH_DOCUMENT),
    )
    assert pairs(findings) == {("RL206", line_of(code, '"Action"'))}


@pytest.mark.parametrize("partition", ["aws-cn", "aws-iso-e", "aws-iso-f", "aws-eusc"])
def test_rl206_a_deny_of_the_shells_in_the_partition_of_a_wildcard_one(
    tmp_path: Path, partition: str
) -> None:
    """A shell document of any partition ('arn:*:ssm:...') is denied by a Deny of it in the
    policy's own: the wildcard was spelled out in five partitions only, so a Deny written in
    aws-iso-e, aws-iso-f or aws-eusc left the shell standing (RL206 high)."""
    _, findings = lint(
        tmp_path,
        allow(
            "ssm:SendCommand",
            [f"arn:{partition}:ec2:*:*:instance/*", "arn:*:ssm:*::document/AWS-RunShellScript"],
        ),
        deny("ssm:SendCommand", f"arn:{partition}:ssm:*::document/AWS-Run*Script"),
    )
    assert findings == []


SPLIT_RUN_COMMAND = """\
Resources:
  PatchRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}
      Policies:
        - PolicyName: instances
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: ssm:SendCommand
                Resource: arn:aws:ec2:*:*:instance/*
        - PolicyName: documents
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: ssm:SendCommand
                Resource: DOCUMENT
"""


@pytest.mark.parametrize(
    ("document", "reported"),
    [
        ("arn:aws:ssm:*::document/AWS-RunPatchBaseline", False),
        ("arn:aws:ssm:*::document/AWS-RunShellScript", True),
        ("!Ref DocumentArn", False),  # not known: never a finding
    ],
)
def test_rl206_run_command_documents_of_another_policy_of_the_role(
    tmp_path: Path, document: str, reported: bool
) -> None:
    """The documents a role may send are read from all of its policies, not one statement."""
    code = SPLIT_RUN_COMMAND.replace("DOCUMENT", document)
    if document.startswith("!Ref"):
        code = "Parameters:\n  DocumentArn: {Type: String}\n" + code
    found = pairs(findings_of(code, "yaml", tmp_path))
    assert found == ({("RL206", line_of(code, "Action: ssm:SendCommand"))} if reported else set())


@pytest.mark.parametrize(
    ("action", "resource", "rule"),
    [
        ("iam:PassRole", "arn:aws:iam::111122223333:role/?*", "RL206"),
        ("sts:AssumeRole", "arn:aws:iam::????????????:role/*", "RL207"),
        ("lambda:UpdateFunctionCode", "arn:aws:lambda:*:111122223333:function:?*", "RL206"),
    ],
)
def test_question_marks_that_match_every_name_or_account(
    tmp_path: Path, action: str, resource: str, rule: str
) -> None:
    """Names are never empty and account ids have twelve digits: these name every role, every
    account and every function, and were taken for narrower patterns."""
    _, findings = lint(tmp_path, allow(action, resource))
    assert rule in {f.rule_id for f in findings}


def test_a_not_resource_of_one_region_leaves_the_others(tmp_path: Path) -> None:
    statement = {
        "Effect": "Allow",
        "Action": "lambda:UpdateFunctionCode",
        "NotResource": "arn:aws:lambda:us-east-1:*:function:*",
    }
    _, findings = lint(tmp_path, statement)
    assert "RL206" in {f.rule_id for f in findings}


# --- RL207 ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("action", "resource"),
    [
        ("sts:AssumeRole", "*"),
        ("sts:Assume*", "*"),
        ("STS:ASSUMEROLE", "arn:aws:iam::*:role/*"),
        ("sts:AssumeRole", "arn:aws-cn:iam::*:role/*"),
    ],
)
def test_rl207_assume_any_role(tmp_path: Path, action: str, resource: str) -> None:
    code, findings = lint(tmp_path, allow(action, resource))
    assert pairs(findings) == {("RL207", line_of(code, '"Resource"'))}


def test_rl207_a_deny_of_all_but_every_role_leaves_assuming_any_role(tmp_path: Path) -> None:
    """Hunt: "Deny sts:AssumeRole, NotResource arn:aws:iam::*:role/*" spares every role, so it
    takes nothing away from assuming roles; RL207 stayed silent because the Deny took the
    grant away on '*' and the rule never looked at what it left.  A Deny sparing one role
    leaves no finding."""
    every_role = {
        "Effect": "Deny",
        "Action": "sts:AssumeRole",
        "NotResource": "arn:aws:iam::*:role/*",
    }
    code, findings = lint(tmp_path, allow("sts:AssumeRole"), every_role)
    assert pairs(findings) == {("RL207", line_of(code, '"Resource"'))}
    [finding] = findings
    deny_line = line_of(code, '"Deny"') - 1
    assert finding.message.endswith(
        f"(the Deny at line {deny_line} leaves sts:AssumeRole only on 'arn:aws:iam::*:role/*')"
    )
    one_role = {**every_role, "NotResource": "arn:aws:iam::111122223333:role/deploy-only"}
    _, findings = lint(tmp_path, allow("sts:AssumeRole"), one_role)
    assert findings == []


@pytest.mark.parametrize(
    "denied",
    [
        "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/*",  # the holder's own account
        "arn:aws:iam::111122223333:role/*",
    ],
)
def test_rl207_a_deny_of_the_accounts_own_roles_leaves_other_accounts(
    tmp_path: Path, denied: str
) -> None:
    """Hunt: a Deny of sts:AssumeRole on the holder's own roles was taken for one on every
    role (an IAM action acts on no other account's roles, sts:AssumeRole does): no RL207,
    though the holder can still assume the roles of every account that trusts it.  A Deny
    of every account's roles takes it away."""
    code, findings = lint(tmp_path, allow("sts:AssumeRole"), deny("sts:AssumeRole", denied))
    assert pairs(findings) == {("RL207", line_of(code, '"Resource"'))}
    [finding] = findings
    assert finding.message.endswith("(the Deny at line 9 covers fewer resources)")
    _, findings = lint(
        tmp_path, allow("sts:AssumeRole"), deny("sts:AssumeRole", "arn:aws:iam::*:role/*")
    )
    assert findings == []


_TF_JSONENCODE = """variable "tag_key" {
  type = string
}

resource "aws_iam_policy" "p" {
  name = "p"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["sts:AssumeRole", "iam:PassRole"]
      Resource = "*"
      Condition = { StringEquals = { "KEY" = "x" } }
    }]
  })
}
"""

_TF_DOCUMENT = """variable "tag_key" {
  type = string
}

data "aws_iam_policy_document" "p" {
  statement {
    actions   = ["sts:AssumeRole", "iam:PassRole"]
    resources = ["*"]
    condition {
      test     = "StringEquals"
      variable = "KEY"
      values   = ["x"]
    }
  }
}

resource "aws_iam_policy" "p" {
  name   = "p"
  policy = data.aws_iam_policy_document.p.json
}
"""


@pytest.mark.parametrize("module", [_TF_JSONENCODE, _TF_DOCUMENT], ids=["jsonencode", "document"])
def test_rl206_rl207_a_condition_key_not_known_may_limit(tmp_path: Path, module: str) -> None:
    """Hunt: ``aws:ResourceTag/${var.tag_key}`` (a variable without default) was a condition
    on nothing known, so RL206 and RL207 reported iam:PassRole and sts:AssumeRole on '*' as
    unlimited, though the key may be the tag test that limits them.  A key known not to
    limit what is acted on (who calls) still leaves both."""
    unknown = module.replace("KEY", "aws:ResourceTag/${var.tag_key}")
    assert findings_of(unknown, "tf", tmp_path) == []
    # It may be iam:PassedToService too: then "*" grants iam:PassRole alone (no RL201).
    everything = unknown.replace('"sts:AssumeRole", "iam:PassRole"', '"*"')
    assert findings_of(everything, "tf", tmp_path) == []
    known = module.replace("KEY", "aws:PrincipalTag/team")
    findings = findings_of(known, "tf", tmp_path)
    action, resource = line_of(known, "iam:PassRole"), line_of(known, '"*"')
    assert pairs(findings) == {("RL206", action), ("RL207", resource)}


def test_rl207_sts_wildcard_is_also_service_wide(tmp_path: Path) -> None:
    code, findings = lint(tmp_path, allow("sts:*"))
    assert pairs(findings) == {
        ("RL202", line_of(code, '"Action"')),
        ("RL207", line_of(code, '"Resource"')),
    }


@pytest.mark.parametrize(
    "resource",
    ["arn:aws:iam::111122223333:role/deploy", "arn:aws:iam::111122223333:role/*"],
)
def test_rl207_named_roles_or_one_account(tmp_path: Path, resource: str) -> None:
    _, findings = lint(tmp_path, allow("sts:AssumeRole", resource))
    assert findings == []


def test_rl207_what_grants_it_tells_fingerprints_apart(tmp_path: Path) -> None:
    """`NotAction: iam:*` and `Action: sts:AssumeRole`, each on '*': two findings that had one
    fingerprint, so code scanning folded them into one alert."""
    not_action = {"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}
    code, findings = lint(tmp_path, not_action, allow("sts:AssumeRole"), allow("sts:Assume*"))
    found = sorted((f for f in findings if f.rule_id == "RL207"), key=lambda f: f.location.line)
    assert [f.location.line for f in found] == [
        line_of(code, '"Resource"', 1),
        line_of(code, '"Resource"', 2),
        line_of(code, '"Resource"', 3),
    ]
    assert len({f.fingerprint for f in found}) == 3
    # Still independent of lines: the same statements further down keep their fingerprints.
    _, moved = lint(
        tmp_path,
        allow("s3:GetObject", "arn:aws:s3:::b/*"),
        not_action,
        allow("sts:AssumeRole"),
        allow("sts:Assume*"),
    )
    assert {f.fingerprint for f in moved if f.rule_id == "RL207"} == {f.fingerprint for f in found}


def test_rl207_denied(tmp_path: Path) -> None:
    _, findings = lint(tmp_path, allow("sts:AssumeRole"), deny("sts:*"))
    assert findings == []


def test_rl203_spares_named_telemetry_writes_but_not_their_wildcards(tmp_path: Path) -> None:
    telemetry = ["logs:CreateLogStream", "logs:PutLogEvents", "cloudwatch:PutMetricData"]
    _, findings = lint(tmp_path, allow(telemetry))
    assert findings == []
    code, findings = lint(tmp_path, allow("logs:Put*"))
    assert pairs(findings) == {("RL203", line_of(code, '"Resource"'))}


# --- Deny across a role's policies ------------------------------------------------------------

CROSS_POLICY_DENY = """\
Resources:
  Shared:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      Roles: [!Ref Builder, !Ref Deployer]
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Action: iam:PassRole
            Resource: "*"
  Builder:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Principal: {Service: codebuild.amazonaws.com}, Action: sts:AssumeRole}
      Policies:
        - PolicyName: guardrail
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - {Effect: Deny, Action: "iam:*", Resource: "*"}
  Deployer:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Principal: {Service: codebuild.amazonaws.com}, Action: sts:AssumeRole}
"""


def test_a_deny_in_another_policy_of_every_holder_removes_the_grant(tmp_path: Path) -> None:
    guarded = CROSS_POLICY_DENY.replace("[!Ref Builder, !Ref Deployer]", "[!Ref Builder]")
    findings = findings_of(guarded, "yaml", tmp_path)
    assert [f for f in findings if f.rule_id == "RL206"] == []


def test_a_deny_in_only_one_holder_leaves_the_grant_reported(tmp_path: Path) -> None:
    findings = findings_of(CROSS_POLICY_DENY, "yaml", tmp_path)
    [escalation] = [f for f in findings if f.rule_id == "RL206"]
    assert escalation.location.line == line_of(CROSS_POLICY_DENY, "Action: iam:PassRole")


def test_a_shared_policy_s_finding_names_only_the_holders_it_holds_for(tmp_path: Path) -> None:
    """Hunt: RL206 on a managed policy of two roles named both ('Builder, Deployer'), though
    Builder's own Deny of iam:* takes iam:PassRole away from it; alone, Builder has none."""
    findings = findings_of(CROSS_POLICY_DENY, "yaml", tmp_path)
    [escalation] = [f for f in findings if f.rule_id == "RL206"]
    assert (escalation.role, escalation.roles) == ("Deployer", ("Deployer",))
    assert [f for f in findings if "Builder" in (f.role or "")] == []
    # The JSON field keeps its form; it names one role now.
    result = run_rolelint("check", "example.yaml", "--format", "json", cwd=tmp_path)
    [reported] = [f for f in json.loads(result.stdout)["findings"] if f["rule_id"] == "RL206"]
    assert reported["role"] == "Deployer"


def _holder(name: str, **properties: Any) -> dict[str, Any]:
    """Role ``name`` of a template (EC2 may assume it), with ``properties``."""
    trust = {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}}
    document = {"Version": "2012-10-17", "Statement": [{**trust, "Action": "sts:AssumeRole"}]}
    role = {"AssumeRolePolicyDocument": document, **properties}
    return {name: {"Type": "AWS::IAM::Role", "Properties": role}}


def _shared(holders: list[str], *statements: dict[str, Any], **resources: Any) -> str:
    """A template: managed policy Shared of ``statements`` attached to ``holders``."""
    document = {"Version": "2012-10-17", "Statement": list(statements)}
    shared = {
        "Type": "AWS::IAM::ManagedPolicy",
        "Properties": {"Roles": [{"Ref": h} for h in holders], "PolicyDocument": document},
    }
    return json.dumps({"Resources": {"Shared": shared, **resources}}, indent=2)


BOUNDARY = {
    "Type": "AWS::IAM::ManagedPolicy",
    "Properties": {
        "PolicyDocument": {"Version": "2012-10-17", "Statement": [allow("s3:GetObject")]}
    },
}
DENY_IAM = [
    {
        "PolicyName": "deny-iam",
        "PolicyDocument": {"Version": "2012-10-17", "Statement": [deny("iam:*")]},
    }
]


def _named(findings: list[Finding]) -> set[tuple[str, str | None]]:
    return {(f.rule_id, f.role) for f in findings}


def _unlined(message: str) -> str:
    return re.sub(r"\(line \d+\)", "(line N)", message)


def test_rl201_on_a_shared_policy_spares_the_holder_whose_boundary_takes_it_away(
    tmp_path: Path,
) -> None:
    """Hunt: 'Allow * on *' attached to Bounded (boundary: s3:GetObject) and Free was RL201
    naming both, and `rolelint roles` called Bounded admin.  Bounded keeps s3:GetObject on
    '*', which is what it is reported for when it holds the policy alone: RL208."""
    roles = {**_holder("Bounded", PermissionsBoundary={"Ref": "Boundary"}), **_holder("Free")}
    code = _shared(["Bounded", "Free"], allow("*"), Boundary=BOUNDARY, **roles)
    findings = findings_of(code, "json", tmp_path)
    assert _named(findings) == {("RL201", "Free"), ("RL208", "Bounded")}
    [admin] = [f for f in findings if f.rule_id == "RL201"]
    assert admin.location.line == line_of(code, '"Action": "*"')
    assert admin.message.endswith("full administrator access")
    # Bounded's finding is the one it has holding the policy alone.
    bounded = _holder("Bounded", PermissionsBoundary={"Ref": "Boundary"})
    alone = findings_of(
        _shared(["Bounded"], allow("*"), Boundary=BOUNDARY, **bounded), "json", tmp_path
    )
    assert [f.message for f in findings if f.role == "Bounded"] == [f.message for f in alone]


def test_a_shared_admin_policy_under_one_holder_s_deny_is_what_that_holder_has_alone(
    tmp_path: Path,
) -> None:
    """Hunt: under Locked's Deny of iam:*, 'Allow * on *' is no administrator access for
    Locked, but still every other action: privilege escalation through Lambda and SSM,
    every role that trusts the account, every secret.  Shared with Free, it was one RL201
    naming both; Locked's own findings were not said, as if Free's access were Locked's."""
    roles = {**_holder("Locked", Policies=DENY_IAM), **_holder("Free")}
    code = _shared(["Locked", "Free"], allow("*"), **roles)
    findings = findings_of(code, "json", tmp_path)
    alone = findings_of(
        _shared(["Locked"], allow("*"), **_holder("Locked", Policies=DENY_IAM)), "json", tmp_path
    )
    assert {(f.rule_id, f.role) for f in alone} == {
        ("RL202", "Locked"),
        ("RL206", "Locked"),
        ("RL207", "Locked"),
        ("RL208", "Locked"),
    }
    assert _named(findings) == {("RL201", "Free"), *_named(alone)}
    # The same words but for the Deny's line, in a template two roles long.
    locked = sorted((f.rule_id, _unlined(f.message)) for f in findings if f.role == "Locked")
    assert locked == sorted((f.rule_id, _unlined(f.message)) for f in alone)
    assert {f.fingerprint for f in findings if f.role == "Locked"} == {f.fingerprint for f in alone}


def test_a_shared_policy_none_of_whose_holders_keeps_the_grant_is_silent(tmp_path: Path) -> None:
    """As for a single holder: a grant every holder's Deny or boundary takes away is no
    finding (the policy alone, attached to nobody, still is)."""
    roles = {
        **_holder("Locked", Policies=DENY_IAM),
        **_holder("Bounded", PermissionsBoundary={"Ref": "Boundary"}),
    }
    code = _shared(["Locked", "Bounded"], allow("iam:PassRole"), Boundary=BOUNDARY, **roles)
    assert findings_of(code, "json", tmp_path) == []
    unattached = findings_of(_shared([], allow("iam:PassRole")), "json", tmp_path)
    assert _named(unattached) == {("RL206", None)}


SHARED_TERRAFORM = """\
resource "aws_iam_policy" "shared" {
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = "iam:*", Resource = "*" },
      { Effect = "Allow", Action = "iam:PassRole", Resource = "*" },
    ]
  })
}

resource "aws_iam_policy" "boundary" {
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = "*" }]
  })
}

locals {
  trust = jsonencode({
    Version   = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "ec2.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_role" "open" {
  assume_role_policy = local.trust
}

resource "aws_iam_role" "guarded" {
  assume_role_policy = local.trust
}

resource "aws_iam_role" "bounded" {
  assume_role_policy   = local.trust
  permissions_boundary = aws_iam_policy.boundary.arn
}

resource "aws_iam_role_policy" "guardrail" {
  role = aws_iam_role.guarded.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Deny", Action = "iam:*", Resource = "*" }]
  })
}

resource "aws_iam_policy_attachment" "shared" {
  name       = "shared"
  roles      = [aws_iam_role.open.name, aws_iam_role.guarded.name, aws_iam_role.bounded.name]
  policy_arn = aws_iam_policy.shared.arn
}
"""


def test_terraform_a_shared_policy_s_findings_name_only_the_role_that_keeps_the_grant(
    tmp_path: Path,
) -> None:
    """The hunt's case in Terraform: RL201 and RL206 named all three roles."""
    findings = findings_of(SHARED_TERRAFORM, "tf", tmp_path)
    assert {(f.rule_id, f.location.line, f.role) for f in findings} == {
        ("RL201", line_of(SHARED_TERRAFORM, '"iam:*", Resource'), "aws_iam_role.open"),
        ("RL206", line_of(SHARED_TERRAFORM, '"iam:PassRole"'), "aws_iam_role.open"),
    }


# --- RL202: wildcard prefixes on sensitive services ---------------------------------------------

ROLE_PATTERN = "arn:aws:iam::123456789012:role/app-*"


@pytest.mark.parametrize(
    ("action", "reported"),
    [
        ("iam:Put*", True),
        ("IAM:attach*", True),  # case does not matter
        ("iam:Pass?ole", False),  # one action, no permissions management
        ("iam:Get*", False),
        ("iam:List*", False),
        ("kms:Create*", True),  # kms:CreateGrant
        ("kms:GenerateDataKey*", False),
        ("s3:Put*", False),  # not a sensitive service
        ("iam:Nothing*", False),  # matches nothing: RL605's
    ],
)
def test_rl202_broad_prefixes_on_sensitive_services(
    tmp_path: Path, action: str, reported: bool
) -> None:
    code, findings = lint(tmp_path, allow(action, ROLE_PATTERN))
    assert (("RL202", line_of(code, '"Action"')) in pairs(findings)) is reported


def test_rl202_a_prefix_names_what_it_grants(tmp_path: Path) -> None:
    _, findings = lint(tmp_path, allow("iam:Attach*", ROLE_PATTERN))
    [finding] = [f for f in findings if f.rule_id == "RL202"]
    assert "'iam:Attach*': 3 iam actions, 3 of them permissions management" in finding.message
    assert "iam:AttachRolePolicy" in finding.message


def test_rl202_a_prefix_granting_one_action_says_so_in_the_singular(tmp_path: Path) -> None:
    """'organizations:Attach*' grants one action: the message said '1 organizations actions,
    1 of them permissions management'."""
    code, findings = lint(tmp_path, allow("organizations:Attach*", ROLE_PATTERN))
    [finding] = [f for f in findings if f.rule_id == "RL202"]
    assert finding.location.line == line_of(code, '"Action"')
    assert (
        "'organizations:Attach*': 1 organizations action, permissions management "
        "(organizations:AttachPolicy)" in finding.message
    )


def test_rl202_a_prefix_after_deny_and_escalation(tmp_path: Path) -> None:
    # A Deny of the permission changes leaves nothing to report.
    _, findings = lint(tmp_path, allow("iam:Put*", ROLE_PATTERN), deny("iam:Put*", "*"))
    assert findings == []
    # On "*" it is a privilege escalation, reported by RL206 alone.
    code, findings = lint(tmp_path, allow("iam:Put*"))
    assert pairs(findings) == {("RL206", line_of(code, '"Action"'))}


def _tagged(actions: Any, operator: str = "StringEquals", value: Any = "payments") -> Any:
    return {
        "Effect": "Allow",
        "Action": actions,
        "Resource": "*",
        "Condition": {operator: {"aws:ResourceTag/team": value}},
    }


def test_a_resource_tag_condition_limits_roles_and_functions_to_the_tagged(
    tmp_path: Path,
) -> None:
    """Only roles, functions and instances tagged team=payments: RL207 said 'every role', RL206
    'any role' and 'any function'."""
    code = policy(
        _tagged("sts:AssumeRole"),
        _tagged("iam:PassRole"),
        _tagged(["ssm:SendCommand", "lambda:UpdateFunctionCode"]),
    )
    assert findings_of(code, "json", tmp_path) == []
    negated = policy(_tagged("sts:AssumeRole", "StringNotEquals"), _tagged("iam:PassRole", "Null"))
    assert {f.rule_id for f in findings_of(negated, "json", tmp_path)} >= {"RL206", "RL207"}


def test_a_resource_tag_condition_whose_value_is_not_known_is_a_limit(tmp_path: Path) -> None:
    """RL203 reported the statement when the tag value was a parameter without default, and not
    when it was written out: the value not known was taken for no limit."""
    (tmp_path / "t.yaml").write_text(
        "Parameters:\n  Owner:\n    Type: String\nResources:\n  R:\n    Type: AWS::IAM::Role\n"
        "    Properties:\n      AssumeRolePolicyDocument:\n        Version: '2012-10-17'\n"
        "        Statement:\n          - {Effect: Allow, Principal: {Service: ec2.amazonaws.com},"
        " Action: sts:AssumeRole}\n"
        "      Policies:\n        - PolicyName: p\n          PolicyDocument:\n"
        "            Version: '2012-10-17'\n            Statement:\n"
        "              - Effect: Allow\n                Action: ec2:TerminateInstances\n"
        "                Resource: '*'\n                Condition:\n"
        "                  StringEquals: {aws:ResourceTag/Owner: !Ref Owner}\n"
    )
    assert [f.rule_id for f in lint_paths([str(tmp_path / "t.yaml")]).findings] == []


NO_SERVICE_PREFIX = """\
Resources:
  R:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: '2012-10-17'
        Statement:
          - {Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}
      Policies:
        - PolicyName: p
          PolicyDocument:
            Version: '2012-10-17'
            Statement:
              - {Effect: Allow, Action: ['*Role', '*Assume*'], Resource: '*'}
              - {Effect: Allow, Action: iam:PassRole, Resource: '*'}
              - {Effect: Deny, Action: '*Role', Resource: '*'}
"""


def test_an_action_without_a_service_prefix_grants_and_denies_nothing(tmp_path: Path) -> None:
    """Hunt: '*Role' was read as a pattern over every service's actions, so RL206 and RL207
    said it grants iam:PassRole and sts:AssumeRole while RL605 said it grants nothing (IAM
    refuses it: actions must be prefaced by a service), and a Deny of '*Role' hid the real
    iam:PassRole grant."""
    (tmp_path / "t.yaml").write_text(NO_SERVICE_PREFIX)
    found = [(f.rule_id, f.location.line) for f in lint_paths([str(tmp_path / "t.yaml")]).findings]
    assert sorted(found) == [("RL206", 15), ("RL605", 14), ("RL605", 14), ("RL605", 16)]


# --- service-linked roles -------------------------------------------------------------------------

SLR_PATH = "/aws-service-role/autoscaling.amazonaws.com/"
SLR_POLICY_ARN = "arn:aws:iam::aws:policy/aws-service-role/AutoScalingServiceRolePolicy"
AUTOSCALING = {"Service": "autoscaling.amazonaws.com"}


def _exported_policy(name: str, arn: str, *statements: dict[str, Any]) -> dict[str, Any]:
    document = {"Version": "2012-10-17", "Statement": list(statements)}
    return {
        "PolicyName": name,
        "Arn": arn,
        "PolicyVersionList": [{"VersionId": "v1", "IsDefaultVersion": True, "Document": document}],
    }


def test_the_policies_of_service_linked_roles_are_not_judged(tmp_path: Path) -> None:
    """AWS writes the permissions of a service-linked role and IAM refuses every change to
    them (UnmodifiableEntity): an export's AutoScalingServiceRolePolicy gave RL202 and RL206
    (high) that nobody could act on.  Its AWS policy and its inline policy are left out of the
    permission rules; a customer managed policy attached to it is not, and an AWS policy also
    held by a role of the account's own is judged for that role."""
    broad = [allow(["elasticloadbalancing:*", "iam:PassRole"]), allow("s3:*")]
    shared_arn = "arn:aws:iam::aws:policy/aws-service-role/SharedServiceRolePolicy"
    custom_arn = "arn:aws:iam::111122223333:policy/custom"
    slr = "AWSServiceRoleForAutoScaling"
    export = {
        "RoleDetailList": [
            exported_role(
                slr,
                SLR_PATH,
                trusted=AUTOSCALING,
                attached=[SLR_POLICY_ARN, shared_arn, custom_arn],
                inline={"inline": {"Version": "2012-10-17", "Statement": broad}},
            ),
            exported_role("app", trusted=AUTOSCALING, attached=[shared_arn]),
        ],
        "Policies": [
            _exported_policy("AutoScalingServiceRolePolicy", SLR_POLICY_ARN, *broad),
            _exported_policy("SharedServiceRolePolicy", shared_arn, allow("iam:PassRole")),
            _exported_policy("custom", custom_arn, allow("iam:PassRole")),
        ],
    }
    path = tmp_path / "export.json"
    path.write_text(json.dumps(export, indent=2))
    report = lint_paths([str(path)])
    assert report.errors == []
    found = sorted((f.rule_id, f.message.split(" allows ")[0], f.role) for f in report.findings)
    assert found == [
        (
            "RL206",
            "AWS managed policy SharedServiceRolePolicy (default version v1) as exported",
            f"{path}#{slr}, {path}#app",
        ),
        ("RL206", "Managed policy custom (default version v1)", f"{path}#{slr}"),
    ]


# --- RL208: the message ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("actions", "written", "reads"),
    [
        # Corpus (EFS/efs_with_automount_to_ec2.yaml): "allows s3:GetObject", which the policy
        # does not contain, and "every secret, parameter, encrypted value or object".
        (["s3:Get*", "s3:List*"], "'s3:Get*' (includes s3:GetObject)", "every object of every"),
        ("s3:GetObject", "'s3:GetObject' on", "every object of every bucket"),
        (
            ["ssm:GetParameter", "ssm:GetParameters"],
            "'ssm:GetParameter', 'ssm:GetParameters' on",
            "every SSM parameter",
        ),
        (
            ["secretsmanager:GetSecretValue", "kms:Decrypt"],
            "'secretsmanager:GetSecretValue', 'kms:Decrypt' on",
            "every secret and every value encrypted with a key it may use",
        ),
    ],
)
def test_rl208_names_the_action_as_written_and_only_what_its_reads_expose(
    tmp_path: Path, actions: Any, written: str, reads: str
) -> None:
    code, findings = lint(tmp_path, allow(actions))
    [finding] = [f for f in findings if f.rule_id == "RL208"]
    assert finding.location.line == line_of(code, '"Resource"')
    assert f"allows {written}" in finding.message
    assert f"on every resource ('*'): it can read {reads}" in finding.message
    kinds = ("secret", "SSM parameter", "encrypted", "object")
    assert [kind in finding.message for kind in kinds] == [kind in reads for kind in kinds]


def test_each_action_text_is_asked_once_whether_it_names_every_iam_action(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """RL201 and the graph's admin level asked of every Action value of every statement
    whether it names every IAM action: 20 roles holding the same statement of 30 actions
    compared the same 30 texts 1,520 times.  Each text is now judged once; what is found
    does not change (an iam:* among them is still RL201 for every role)."""
    from rolelint.checks import admin_access

    actions = [f"s3:GetEachTextOnce{n}" for n in range(29)] + ["iam:*"]
    trust = {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}}
    trust["Action"] = "sts:AssumeRole"
    statement = {"Effect": "Allow", "Action": actions, "Resource": "*"}
    properties = {
        "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [trust]},
        "Policies": [{"PolicyName": "p", "PolicyDocument": {"Statement": [statement]}}],
    }
    roles = {f"R{n}": {"Type": "AWS::IAM::Role", "Properties": properties} for n in range(20)}
    path = tmp_path / "t.json"
    path.write_text(json.dumps({"Resources": roles}))
    asked = count_calls(monkeypatch, admin_access, "names_actions")
    report = lint_paths([str(path)])
    assert asked.count <= len(actions)  # 1,520 before
    admin = [f for f in report.findings if f.rule_id == "RL201"]
    assert len(admin) == len(roles) and all("'iam:*'" in f.message for f in admin)
