"""Escalation, Deny, boundaries, NotAction, wildcards and invalid policies in every form.

Each case describes its statements once (``tests/rules/forms.py``) and is written as a
CloudFormation YAML template (role ``Worker`` with an inline policy), a Terraform module
(``aws_iam_role`` and ``aws_iam_role_policy`` with ``jsonencode``) and a raw JSON policy file.
The same statements must give the same verdicts at the same place in every form: lines are
found in the generated text by a marker (the quoted action, a Sid, a key), never written down.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from rolelint.checks.escalation_methods import ESCALATIONS, PASS_ROLE_METHODS, SERVICE_ESCALATIONS
from tests.rules.forms import (
    FORMS,
    ROLE_FORMS,
    Linted,
    Pairs,
    Policy,
    lint,
)

ACCOUNT = "123456789012"
ANY_ROLE = "*"
# One named resource of each IAM kind an escalation acts on: the safe form of the method.
NAMED_IAM = {
    "role": f"arn:aws:iam::{ACCOUNT}:role/app-task",
    "user": f"arn:aws:iam::{ACCOUNT}:user/alice",
    "group": f"arn:aws:iam::{ACCOUNT}:group/developers",
    "policy": f"arn:aws:iam::{ACCOUNT}:policy/app-policy",
}
# One named resource of the service each escalation outside IAM acts on.
NAMED_SERVICE = {
    "lambda:UpdateFunctionCode": f"arn:aws:lambda:eu-west-1:{ACCOUNT}:function:app",
    "glue:UpdateDevEndpoint": f"arn:aws:glue:eu-west-1:{ACCOUNT}:devEndpoint/app",
    "sagemaker:CreatePresignedNotebookInstanceUrl": (
        f"arn:aws:sagemaker:eu-west-1:{ACCOUNT}:notebook-instance/app"
    ),
    "ssm:SendCommand": f"arn:aws:ssm:eu-west-1:{ACCOUNT}:document/app-deploy",
    "ssm:StartSession": f"arn:aws:ssm:eu-west-1:{ACCOUNT}:document/app-session",
    "ec2-instance-connect:SendSSHPublicKey": (
        f"arn:aws:ec2:eu-west-1:{ACCOUNT}:instance/i-0123456789abcdef0"
    ),
}
MFA_OFF = {"Bool": {"aws:MultiFactorAuthPresent": "false"}}
NOT_TO_EC2 = {"StringNotEquals": {"iam:PassedToService": "ec2.amazonaws.com"}}
READ_ONLY = "arn:aws:iam::aws:policy/ReadOnlyAccess"
ADMIN_POLICY = "arn:aws:iam::aws:policy/AdministratorAccess"


def allow(action: Any, resource: Any = "*", sid: str = "", **extra: Any) -> dict[str, Any]:
    """An Allow statement; its Sid (first, when given) marks where it is."""
    head = {"Sid": sid} if sid else {}
    return {**head, "Effect": "Allow", "Action": action, "Resource": resource, **extra}


def deny(action: Any, resource: Any = "*", sid: str = "", **extra: Any) -> dict[str, Any]:
    head = {"Sid": sid} if sid else {}
    return {**head, "Effect": "Deny", "Action": action, "Resource": resource, **extra}


def allow_not(excluded: list[str], resource: Any = "*") -> dict[str, Any]:
    return {"Effect": "Allow", "NotAction": excluded, "Resource": resource}


def quoted(text: str) -> str:
    """How a value is written in every form (a JSON string): the marker of its line."""
    return json.dumps(text)


def check(linted: Linted, condition: bool) -> None:
    assert condition, linted.describe()


def test_the_forms_write_the_same_statements(tmp_path: Path) -> None:
    # The generator itself: each form holds the statement's values, one per line.
    statements = [allow(["iam:PassRole", "ec2:RunInstances"], Condition=MFA_OFF)]
    for form in FORMS:
        directory = tmp_path / form
        directory.mkdir()
        linted = lint(form, Policy(statements), directory)
        lines = {linted.line(quoted(v)) for v in ("iam:PassRole", "ec2:RunInstances", "false")}
        assert len(lines) == 3, linted.describe()


# --- 1. Every escalation method, bad and made safe ------------------------------------------------

PASS_ROLE_CASES = [
    pytest.param(method, needed, id=needed[0])
    for method, needed in sorted(PASS_ROLE_METHODS.items())
]


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("action", sorted(ESCALATIONS))
def test_iam_method_on_every_resource(tmp_path: Path, form: str, action: str) -> None:
    linted = lint(form, Policy([allow(action)]), tmp_path)
    [finding] = linted.of("RL206")
    check(linted, finding.location.line == linted.line(quoted(action)))
    check(linted, action in finding.message)


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("action", sorted(ESCALATIONS))
def test_iam_method_on_every_resource_of_its_kind(tmp_path: Path, form: str, action: str) -> None:
    kind = ESCALATIONS[action][0]
    every = f"arn:aws:iam::{ACCOUNT}:{kind}/*"
    linted = lint(form, Policy([allow(action, every)]), tmp_path)
    check(linted, linted.pairs("RL206") == {("RL206", linted.line(quoted(action)))})


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("action", sorted(ESCALATIONS))
def test_iam_method_on_one_named_resource(tmp_path: Path, form: str, action: str) -> None:
    named = NAMED_IAM[ESCALATIONS[action][0]]
    linted = lint(form, Policy([allow(action, named)]), tmp_path)
    check(linted, linted.of("RL206") == [])


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("action", sorted(SERVICE_ESCALATIONS))
def test_service_method_on_every_resource(tmp_path: Path, form: str, action: str) -> None:
    linted = lint(form, Policy([allow(action)]), tmp_path)
    [finding] = linted.of("RL206")
    check(linted, finding.location.line == linted.line(quoted(action)))
    check(linted, action in finding.message and SERVICE_ESCALATIONS[action] in finding.message)


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("action", sorted(SERVICE_ESCALATIONS))
def test_service_method_on_one_named_resource(tmp_path: Path, form: str, action: str) -> None:
    linted = lint(form, Policy([allow(action, NAMED_SERVICE[action])]), tmp_path)
    check(linted, linted.of("RL206") == [])
    check(linted, linted.of("RL612") == [])  # a resource the action really acts on


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(("method", "needed"), PASS_ROLE_CASES)
def test_pass_role_method_with_any_role(
    tmp_path: Path, form: str, method: str, needed: tuple[str, ...]
) -> None:
    linted = lint(form, Policy([allow("iam:PassRole", ANY_ROLE), allow(list(needed))]), tmp_path)
    [finding] = linted.of("RL206")
    check(linted, finding.location.line == linted.line(quoted("iam:PassRole")))
    check(linted, method in finding.message)
    # The message cites the statement that allows the actions the method needs, once, at the
    # first of their lines.
    first = min(linted.line(quoted(action)) for action in needed)
    check(linted, f"{method}, which " in finding.message)
    check(linted, finding.message.count(f"(line {first}) allows") == 1)


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(("method", "needed"), PASS_ROLE_CASES)
def test_pass_role_method_with_one_named_role(
    tmp_path: Path, form: str, method: str, needed: tuple[str, ...]
) -> None:
    statements = [allow("iam:PassRole", NAMED_IAM["role"]), allow(list(needed))]
    linted = lint(form, Policy(statements), tmp_path)
    check(linted, linted.of("RL206") == [])


# --- Cases: statements and what they give in every form -------------------------------------


@dataclass(frozen=True)
class Case:
    """Statements and what they must give in every form: (rule id, where) pairs, ``where``
    finding the line in the linted text."""

    name: str
    statements: Sequence[Any] = ()
    expected: Sequence[tuple[str, Callable[[Linted], int]]] = ()
    rules: tuple[str, ...] = ()  # the rules compared (all when empty)
    says: Sequence[Callable[[Linted], str]] = ()  # words of the first expected finding
    lacks: Sequence[str] = ()  # words the first expected finding must not contain
    policy: Policy | None = None

    def build(self) -> Policy:
        return self.policy if self.policy is not None else Policy(self.statements)


def at(marker: str, after: str | None = None) -> Callable[[Linted], int]:
    """The line of ``marker`` (below ``after``) in the linted text."""
    return lambda linted: linted.line(marker, after)


def statement_at(marker: str, after: str | None = None) -> Callable[[Linted], int]:
    """The line where the statement holding ``marker`` opens."""
    return lambda linted: linted.statement_line(marker, after)


def document_at() -> Callable[[Linted], int]:
    return lambda linted: linted.document_line()


def role_at() -> Callable[[Linted], int]:
    return lambda linted: linted.role_line()


def text(words: str) -> Callable[[Linted], str]:
    return lambda _: words


def deny_line_says(marker: str, words: str) -> Callable[[Linted], str]:
    """``the Deny at line N <words>``, N where the Deny holding ``marker`` opens."""
    return lambda linted: f"the Deny at line {linted.statement_line(marker)} {words}"


def cases_by_form(cases: Sequence[Case], forms: Sequence[str] = FORMS) -> list[Any]:
    return [pytest.param(form, case, id=f"{form}-{case.name}") for case in cases for form in forms]


def run(tmp_path: Path, form: str, case: Case) -> Linted:
    linted = lint(form, case.build(), tmp_path)
    expected = {(rule, where(linted)) for rule, where in case.expected}
    check(linted, linted.pairs(*case.rules) == expected)
    if case.expected:
        rule, where = case.expected[0]
        [first] = [f for f in linted.of(rule) if f.location.line == where(linted)]
        for says in case.says:
            check(linted, says(linted) in first.message)
        for words in case.lacks:
            check(linted, words not in first.message)
    return linted


# --- 2. Deny subtraction --------------------------------------------------------------------------


ADMIN_RULES = ("RL201", "RL206")
DENY_CASES = [
    Case("escalation-denied", [allow("iam:PassRole"), deny("iam:PassRole")]),
    Case("escalation-denied-by-a-wildcard", [allow("iam:PassRole"), deny("iam:*")]),
    Case("service-method-denied", [allow("ssm:SendCommand"), deny("ssm:*")]),
    Case("iam-admin-denied", [allow("iam:*"), deny("iam:*")]),
    Case("admin-denied", [allow("*"), deny("*")]),
    Case(
        "deny-of-iam-leaves-no-admin",
        [allow("*", sid="Admin"), deny("iam:*")],
        # Every action but IAM's is left: no admin, but every other service (RL202) and the
        # escalations outside IAM, ssm:SendCommand on * and the like (RL206).
        [
            ("RL202", at(quoted("*"), after=quoted("Admin"))),
            ("RL206", at(quoted("*"), after=quoted("Admin"))),
        ],
        rules=("RL201", "RL202", "RL206"),
        says=[
            text("every action of every service except iam:*"),
            deny_line_says(quoted("iam:*"), "removes iam:*"),
        ],
    ),
    Case(
        "escalation-conditional-deny",
        [allow("iam:PassRole"), deny("iam:Pass*", Condition=MFA_OFF)],
        [("RL206", at(quoted("iam:PassRole")))],
        says=[deny_line_says(quoted("iam:Pass*"), "has a condition, so it may not apply")],
    ),
    # Every iam:PassRole request carries iam:PassedToService, every attach request
    # iam:PolicyARN: a Deny of every other value refuses exactly what the positive test on the
    # Allow would (hunt: "the Deny has a condition, so it may not apply", high).
    Case(
        "pass-role-under-a-deny-of-every-other-service",
        [allow("iam:PassRole"), deny("iam:Pass*", sid="Guard", Condition=NOT_TO_EC2)],
        [("RL206", at(quoted("iam:PassRole")))],
        says=[
            text("; only to ec2.amazonaws.com (iam:PassedToService): privilege escalation"),
            deny_line_says(
                quoted("Guard"), "refuses it unless iam:PassedToService is 'ec2.amazonaws.com'"
            ),
        ],
        lacks=["may not apply"],
    ),
    Case(
        "attach-under-a-deny-of-every-other-policy",
        [
            allow("iam:AttachRolePolicy"),
            deny("iam:Attach*", Condition={"ArnNotEquals": {"iam:PolicyARN": READ_ONLY}}),
        ],
    ),
    Case(
        "attach-under-a-deny-of-every-other-policy-an-admin-among-them",
        [
            allow("iam:AttachRolePolicy"),
            deny(
                "iam:Attach*",
                sid="Guard",
                Condition={"ArnNotLike": {"iam:PolicyARN": [READ_ONLY, ADMIN_POLICY]}},
            ),
        ],
        [("RL206", at(quoted("iam:AttachRolePolicy")))],
        says=[
            deny_line_says(
                quoted("Guard"),
                f"refuses it unless iam:PolicyARN matches '{READ_ONLY}', '{ADMIN_POLICY}'",
            )
        ],
    ),
    # IAM compares ARNs with wildcards under ArnEquals too: a value with one is a pattern, and
    # the message said the key "is" it.
    Case(
        "attach-under-a-deny-of-every-policy-but-a-pattern",
        [
            allow("iam:AttachRolePolicy"),
            deny(
                "iam:Attach*",
                sid="Guard",
                Condition={"ArnNotEquals": {"iam:PolicyARN": "arn:aws:iam::aws:policy/ReadOnly*"}},
            ),
        ],
        [("RL206", at(quoted("iam:AttachRolePolicy")))],
        says=[
            deny_line_says(
                quoted("Guard"),
                "refuses it unless iam:PolicyARN matches 'arn:aws:iam::aws:policy/ReadOnly*'",
            )
        ],
    ),
    # Every other action lacks iam:PolicyARN, and a negated test passes a request without the
    # key: the Deny refuses it.
    Case(
        "admin-under-a-deny-of-every-other-policy",
        [allow("*"), deny("*", Condition={"ArnNotEquals": {"iam:PolicyARN": READ_ONLY}})],
    ),
    Case(
        "pass-role-under-an-if-exists-deny-of-every-other-service",
        [
            allow("iam:PassRole"),
            deny(
                "iam:Pass*",
                sid="Guard",
                Condition={"StringNotEqualsIfExists": NOT_TO_EC2["StringNotEquals"]},
            ),
        ],
        [("RL206", at(quoted("iam:PassRole")))],
        says=[deny_line_says(quoted("Guard"), "has a condition, so it may not apply")],
    ),
    Case(
        "escalation-deny-on-fewer-resources",
        [allow("iam:PassRole"), deny("iam:Pass*", f"arn:aws:iam::{ACCOUNT}:role/admin")],
        [("RL206", at(quoted("iam:PassRole")))],
        says=[deny_line_says(quoted("iam:Pass*"), "covers fewer resources")],
    ),
    Case(
        "service-method-conditional-deny",
        [
            allow("lambda:UpdateFunctionCode"),
            deny("lambda:*", Condition={"StringEquals": {"aws:RequestedRegion": "us-east-1"}}),
        ],
        [("RL206", at(quoted("lambda:UpdateFunctionCode")))],
        rules=ADMIN_RULES,
        says=[deny_line_says(quoted("lambda:*"), "has a condition, so it may not apply")],
    ),
    Case(
        "admin-conditional-deny",
        [allow("*", sid="Admin"), deny("*", sid="Guard", Condition=MFA_OFF)],
        [("RL201", at(quoted("*"), after=quoted("Admin")))],
        says=[deny_line_says(quoted("Guard"), "has a condition, so it may not apply")],
    ),
    Case(
        "admin-deny-on-fewer-resources",
        [allow("*", sid="Admin"), deny("*", "arn:aws:s3:::payroll/*", sid="Guard")],
        [("RL201", at(quoted("*"), after=quoted("Admin")))],
        rules=ADMIN_RULES,
        says=[deny_line_says(quoted("Guard"), "covers fewer resources")],
    ),
    Case(
        "deny-with-not-action",
        # Deny everything but S3, unconditionally: iam:PassRole is denied.
        [allow("iam:PassRole"), {"Effect": "Deny", "NotAction": ["s3:*"], "Resource": "*"}],
        rules=ADMIN_RULES,
    ),
    Case(
        "admin-under-a-deny-with-not-action",
        # Deny everything but S3: of '*' only s3:* is left, no admin and no escalation.
        [allow("*", sid="Admin"), {"Effect": "Deny", "NotAction": ["s3:*"], "Resource": "*"}],
        [("RL202", at(quoted("*"), after=quoted("Admin")))],
        rules=("RL201", "RL202", "RL206"),
        says=[text("removes every action but s3:*")],
    ),
    Case(
        "admin-under-a-conditional-deny-with-not-action",
        [
            allow("*", sid="Admin"),
            {"Effect": "Deny", "NotAction": ["s3:*"], "Resource": "*", "Condition": MFA_OFF},
        ],
        [("RL201", at(quoted("*"), after=quoted("Admin")))],
        rules=ADMIN_RULES,
        says=[text("has a condition, so it may not apply")],
    ),
]


@pytest.mark.parametrize(("form", "case"), cases_by_form(DENY_CASES))
def test_deny_subtraction(tmp_path: Path, form: str, case: Case) -> None:
    run(tmp_path, form, case)


# --- 3. Permissions boundaries --------------------------------------------------------------------

# Only a role has a permissions boundary: CloudFormation's PermissionsBoundary (here a !Ref to an
# AWS::IAM::ManagedPolicy of the same template) and Terraform's permissions_boundary (here
# aws_iam_policy.boundary.arn).  A raw JSON policy file is a policy alone, with no role to bound,
# so these cases run in the two role forms only.
ONLY_GET_OBJECT = [allow("s3:GetObject")]
BOUNDARY_CASES = [
    Case(
        "admin-without-a-boundary",
        policy=Policy([allow("*", sid="Admin")]),
        expected=[("RL201", at(quoted("*"), after=quoted("Admin")))],
    ),
    Case(
        # AdministratorAccess-like "*" on "*", capped at s3:GetObject: reading every object
        # (RL208, at the resource) is what is left.
        "admin-capped-by-a-boundary",
        policy=Policy([allow("*", sid="Admin")], boundary=ONLY_GET_OBJECT),
        expected=[("RL208", at("Resource", after=quoted("Admin")))],
        says=[text("allows '*' (includes s3:GetObject) on every resource ('*')")],
    ),
    Case(
        "admin-under-a-boundary-that-allows-it",
        policy=Policy([allow("*", sid="Admin")], boundary=[allow("*")]),
        expected=[("RL201", at(quoted("*"), after=quoted("Admin")))],
        says=[text("allows it)")],
    ),
    Case(
        "escalation-capped-by-a-boundary",
        policy=Policy([allow("iam:PassRole")], boundary=ONLY_GET_OBJECT),
    ),
    Case(
        "escalation-under-a-boundary-that-allows-it",
        policy=Policy([allow("iam:PassRole")], boundary=[allow("iam:*")]),
        expected=[("RL206", at(quoted("iam:PassRole")))],
    ),
]


@pytest.mark.parametrize(("form", "case"), cases_by_form(BOUNDARY_CASES, ROLE_FORMS))
def test_boundary_intersection(tmp_path: Path, form: str, case: Case) -> None:
    run(tmp_path, form, case)


# --- 4. NotAction ---------------------------------------------------------------------------------

NOT_ACTION_CASES = [
    Case(
        # Everything but S3 on "*" holds every IAM action: administrator access, at NotAction.
        "not-s3-on-every-resource",
        [allow_not(["s3:*"])],
        [("RL201", at("NotAction")), ("RL204", at("NotAction"))],
    ),
    Case(
        # Everything but IAM on "*" still grants ssm:SendCommand, lambda:UpdateFunctionCode and
        # the other escalations outside IAM (RL206, at NotAction) and sts:AssumeRole on "*"
        # (RL207, at the resource).
        "not-iam-on-every-resource",
        [allow_not(["iam:*"])],
        [
            ("RL206", at("NotAction")),
            ("RL204", at("NotAction")),
            ("RL207", at("Resource", after="NotAction")),
        ],
        says=[text("every action except 'iam:*' on '*', which grants"), text("ssm:SendCommand")],
    ),
    Case(
        # With PassRole on any role, everything but IAM and S3 completes the published methods:
        # the first ten are named, and the NotAction (not the statement) that allows them is
        # cited once.
        "pass-role-and-not-iam-on-every-resource",
        [allow("iam:PassRole"), allow_not(["iam:*", "s3:*"])],
        [
            ("RL206", at(quoted("iam:PassRole"))),
            ("RL206", at("NotAction")),
            ("RL204", at("NotAction")),
            ("RL207", at("Resource", after="NotAction")),
        ],
        says=[
            text("a new EC2 instance (ec2:RunInstances), a new Lambda function invoked directly"),
            text(" and 12 more, which "),
            lambda linted: f"(line {linted.line('NotAction')}) allows: privilege escalation",
        ],
    ),
    Case(
        # NotAction iam:* on an S3 bucket grants ec2:RunInstances and the like on that bucket:
        # on nothing.  PassRole on any role is still reported, but with no method.
        "pass-role-and-not-iam-on-a-bucket",
        [allow("iam:PassRole"), allow_not(["iam:*"], "arn:aws:s3:::reports/*")],
        [("RL206", at(quoted("iam:PassRole"))), ("RL204", at("NotAction"))],
        lacks=["with its other permissions"],
    ),
    Case(
        "not-iam-on-a-bucket-grants-no-escalation",
        [allow_not(["iam:*", "sts:*"], "arn:aws:s3:::reports/*")],
        [("RL204", at("NotAction"))],
    ),
]


@pytest.mark.parametrize(("form", "case"), cases_by_form(NOT_ACTION_CASES))
def test_not_action_expansion(tmp_path: Path, form: str, case: Case) -> None:
    run(tmp_path, form, case)


# --- 5. Mixed case and wildcards ------------------------------------------------------------------


def escalation(pattern: str, resource: str, *names: str) -> Case:
    """``pattern`` on ``resource`` is reported by RL206 at its line, naming ``names``, and is
    a known action (no RL605)."""
    return Case(
        pattern,
        [allow(pattern, resource)],
        [("RL206", at(quoted(pattern)))],
        rules=("RL206", "RL605"),
        says=[text(name) for name in names],
    )


WILDCARD_CASES = [
    escalation("IAM:passrole", "*", "iam:PassRole on '*'"),
    escalation("iam:Pass?ole", "*", "iam:PassRole (pass any role"),
    escalation("iam:*Policy*", "*", "iam:CreatePolicyVersion", "iam:PutRolePolicy"),
    escalation("IAM:*policy*", "*", "iam:AttachUserPolicy", "iam:PutGroupPolicy"),
    escalation("iam:Create?ccessKey", f"arn:aws:iam::{ACCOUNT}:user/*", "iam:CreateAccessKey"),
    escalation("iam:add*", f"arn:aws:iam::{ACCOUNT}:group/*", "iam:AddUserToGroup"),
    escalation("SSM:sendcommand", "*", "ssm:SendCommand"),
    escalation("lambda:Update*Code", "arn:aws:lambda:*:*:function:*", "lambda:UpdateFunctionCode"),
    Case(
        "mixed-case-pass-role-method",
        [allow("IAM:PASSROLE"), allow(["EC2:runinstances"])],
        [("RL206", at(quoted("IAM:PASSROLE")))],
        rules=("RL206", "RL605"),
        says=[text("a new EC2 instance (ec2:RunInstances), which ")],
    ),
    Case(
        "wildcard-pass-role-method",
        [allow("iam:PassRol?"), allow(["lambda:Create*", "Lambda:InvokeFunction"])],
        [("RL206", at(quoted("iam:PassRol?")))],
        rules=("RL206", "RL605"),
        says=[text("a new Lambda function invoked directly")],
    ),
    Case(
        "mixed-case-wildcard-deny",
        [allow("iam:PassRole"), deny("IAM:PASS?OLE")],
        rules=("RL206", "RL605"),
    ),
    Case(
        "typo",
        [allow(["s3:GetObjects"], "arn:aws:s3:::reports/*")],
        [("RL605", at(quoted("s3:GetObjects")))],
        says=[text("did you mean 's3:GetObject'?")],
    ),
    Case(
        # A misspelled escalation grants nothing: RL605, and no RL206.
        "typo-in-an-escalation",
        [allow("iam:PassRoles")],
        [("RL605", at(quoted("iam:PassRoles")))],
        rules=("RL206", "RL605"),
        says=[text("did you mean 'iam:PassRole'?")],
    ),
    Case(
        "wildcard-matching-nothing",
        [allow("s3:Get?bjects", "arn:aws:s3:::reports/*")],
        [("RL605", at(quoted("s3:Get?bjects")))],
        says=[text("'s3:Get?bjects' matches no s3 action")],
    ),
]


@pytest.mark.parametrize(("form", "case"), cases_by_form(WILDCARD_CASES))
def test_mixed_case_and_wildcards(tmp_path: Path, form: str, case: Case) -> None:
    run(tmp_path, form, case)


# --- 5b. Resource patterns naming every resource an action acts on -------------------------------

# For an action, an ARN pattern covering the whole ARN format of every resource type it acts on
# (by the action catalog) is "*" (hunt: nothing fired on 'arn:aws:s3:::*/*').
EVERY_OBJECT = "arn:aws:s3:::*/*"
EVERY_SECRET = "arn:aws:secretsmanager:*:*:secret:*"
BROAD = ("RL203", "RL208")
EVERY_RESOURCE_OF_TYPE_CASES = [
    Case(
        "every-object",
        [allow(["s3:GetObject", "s3:DeleteObject"], EVERY_OBJECT)],
        [("RL203", at(quoted(EVERY_OBJECT))), ("RL208", at(quoted(EVERY_OBJECT)))],
        rules=BROAD,
        says=[text(f"'s3:DeleteObject' on every resource it acts on ('{EVERY_OBJECT}')")],
    ),
    Case(
        "every-secret",
        [allow("secretsmanager:GetSecretValue", EVERY_SECRET)],
        [("RL208", at(quoted(EVERY_SECRET)))],
        rules=BROAD,
        says=[text(f"on every resource it acts on ('{EVERY_SECRET}'): it can read every secret")],
    ),
    Case(
        # The "*" of a bucket pattern takes the "/" too: every bucket and every object.
        "every-bucket-is-every-object-too",
        [allow("s3:GetObject", "arn:aws:s3:::*")],
        [("RL208", at(quoted("arn:aws:s3:::*")))],
        rules=BROAD,
    ),
    Case(
        "the-first-of-the-resources-naming-every-one",
        [allow(["s3:GetObject"], ["arn:aws:s3:::reports/*", EVERY_OBJECT])],
        [("RL208", at(quoted(EVERY_OBJECT)))],
        rules=BROAD,
    ),
    Case(
        "the-objects-of-some-buckets",
        [
            allow(
                ["s3:GetObject", "s3:DeleteObject"],
                ["arn:aws:s3:::my-bucket/*", "arn:aws:s3:::app-*/*"],
            )
        ],
        rules=BROAD,
    ),
    Case(
        "the-objects-behind-one-access-point",
        [allow("s3:GetObject", "arn:aws:s3:eu-west-1:*:accesspoint/reports/object/*")],
        rules=BROAD,
    ),
    Case(
        "the-secrets-of-one-region-or-one-prefix",
        [
            allow(
                "secretsmanager:GetSecretValue",
                [
                    "arn:aws:secretsmanager:eu-west-1:*:secret:*",
                    "arn:aws:secretsmanager:*:*:secret:app/*",
                ],
            )
        ],
        rules=BROAD,
    ),
    Case(
        "every-secret-denied",
        [allow("secretsmanager:GetSecretValue", EVERY_SECRET), deny("secretsmanager:*")],
        rules=BROAD,
    ),
]


@pytest.mark.parametrize(("form", "case"), cases_by_form(EVERY_RESOURCE_OF_TYPE_CASES))
def test_a_pattern_of_every_resource_of_the_actions_types(
    tmp_path: Path, form: str, case: Case
) -> None:
    run(tmp_path, form, case)


# A boundary leaving a grant on "*" on a pattern of every resource it acts on leaves it as broad.
NARROWED_TO_EVERY_RESOURCE_OF_TYPE_CASES = [
    Case(
        "boundary-on-every-object",
        policy=Policy(
            [allow("s3:DeleteObject", sid="Delete")], boundary=[allow("s3:*", EVERY_OBJECT)]
        ),
        expected=[("RL203", at("Resource", after=quoted("Delete")))],
        rules=BROAD,
        says=[text("on every resource ('*') (permissions boundary")],
    ),
    Case(
        "boundary-on-the-objects-of-one-bucket",
        policy=Policy(
            [allow("s3:DeleteObject")], boundary=[allow("s3:*", "arn:aws:s3:::reports/*")]
        ),
        rules=BROAD,
    ),
]


@pytest.mark.parametrize(
    ("form", "case"), cases_by_form(NARROWED_TO_EVERY_RESOURCE_OF_TYPE_CASES, ROLE_FORMS)
)
def test_a_boundary_on_every_resource_of_the_actions_types(
    tmp_path: Path, form: str, case: Case
) -> None:
    run(tmp_path, form, case)


# --- 6. Invalid policies (RL601-RL614) ------------------------------------------------------------

INVALID_RULES = tuple(f"RL6{number:02d}" for number in range(1, 15))
REPORTS = "arn:aws:s3:::reports/*"


def invalid(
    name: str, rule: str, where: Callable[[Linted], int], *statements: Any, **policy: Any
) -> Case:
    """Statements (or a policy) that give ``rule`` at ``where`` and no other RL6xx finding."""
    return Case(
        f"{rule}-{name}",
        expected=[(rule, where)],
        rules=INVALID_RULES,
        policy=Policy(statements, **policy),
    )


INVALID_CASES = [
    invalid(
        "repeated-resource",
        "RL601",
        at(quoted("arn:aws:s3:::archive/*")),  # the second occurrence
        Pairs(
            [
                ("Effect", "Allow"),
                ("Action", "s3:GetObject"),
                ("Resource", REPORTS),
                ("Resource", "arn:aws:s3:::archive/*"),
            ]
        ),
    ),
    invalid(
        "repeated-condition-operator",
        "RL601",
        at("StringEquals", after=quoted("o-a1b2c3d4e5")),
        allow(
            "s3:GetObject",
            REPORTS,
            Condition=Pairs(
                [
                    ("StringEquals", {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}),
                    ("StringEquals", {"aws:PrincipalAccount": ACCOUNT}),
                ]
            ),
        ),
    ),
    invalid(
        "template-version",
        "RL602",
        at(quoted("2010-09-09")),
        allow("s3:GetObject", REPORTS),
        version="2010-09-09",
    ),
    invalid(
        "legacy-version",
        "RL602",
        at(quoted("2008-10-17")),
        allow("s3:GetObject", REPORTS),
        version="2008-10-17",
    ),
    invalid("no-version", "RL602", document_at(), allow("s3:GetObject", REPORTS), version=None),
    invalid(
        "lower-case-effect",
        "RL603",
        at(quoted("allow")),
        {"Effect": "allow", "Action": "s3:GetObject", "Resource": REPORTS},
    ),
    invalid(
        "no-effect",
        "RL603",
        statement_at(quoted("NoEffect")),
        {"Sid": "NoEffect", "Action": "s3:GetObject", "Resource": REPORTS},
    ),
    invalid(
        "misspelled-action-key",
        "RL604",
        statement_at(quoted("Misspelled")),
        {"Sid": "Misspelled", "Effect": "Allow", "Actions": ["s3:GetObject"], "Resource": REPORTS},
    ),
    invalid(
        "unknown-action", "RL605", at(quoted("s3:GetObjects")), allow("s3:GetObjects", REPORTS)
    ),
    invalid(
        "repeated-sid",
        "RL606",
        at(quoted("Read"), after=quoted("s3:GetObject")),  # the second statement's Sid
        allow("s3:GetObject", REPORTS, sid="Read"),
        allow("s3:ListBucket", "arn:aws:s3:::reports", sid="Read"),
    ),
    invalid(
        "misspelled-operator",
        "RL607",
        at("StringEqual"),
        allow("s3:GetObject", REPORTS, Condition={"StringEqual": {"aws:PrincipalOrgID": "o-1"}}),
    ),
    invalid(
        "null-if-exists",
        "RL607",
        at("NullIfExists"),
        allow("s3:GetObject", REPORTS, Condition={"NullIfExists": {"aws:TokenIssueTime": "true"}}),
    ),
    invalid("bucket-name", "RL608", at(quoted("reports/*")), allow("s3:GetObject", "reports/*")),
    invalid(
        "five-part-arn",
        "RL608",
        at(quoted("arn:aws:s3:reports")),
        allow("s3:GetObject", "arn:aws:s3:reports"),
    ),
    invalid(
        "key-the-action-never-carries",
        "RL611",
        at(quoted("s3:prefix")),
        deny(
            "s3:GetObject",
            "arn:aws:s3:::payroll/*",
            Condition={"StringLike": {"s3:prefix": "2026/*"}},
        ),
    ),
    invalid(
        "object-action-on-a-bucket",
        "RL612",
        at(quoted("s3:GetObject")),
        allow(["s3:ListBucket", "s3:GetObject"], "arn:aws:s3:::reports"),
    ),
    invalid(
        "misspelled-resource-key",
        "RL613",
        at(quoted(REPORTS)),
        {"Effect": "Allow", "Action": "s3:GetObject", "Resources": REPORTS},
    ),
    invalid(
        "action-and-not-action",
        "RL613",
        at(quoted("s3:DeleteObject")),
        allow("s3:PutObject", REPORTS, NotAction="s3:DeleteObject"),
    ),
    invalid(
        "resource-and-not-resource",
        "RL613",
        at(quoted("arn:aws:s3:::reports/private/*")),
        allow("s3:GetObject", REPORTS, NotResource="arn:aws:s3:::reports/private/*"),
    ),
    invalid(
        "sid-with-hyphens",
        "RL614",
        at(quoted("read-reports")),
        allow("s3:GetObject", REPORTS, sid="read-reports"),
    ),
    Case(
        "RL604-statement-that-is-not-an-object",
        expected=[("RL604", at(quoted("s3:GetObject")))],
        rules=INVALID_RULES,
        policy=Policy(statement=["s3:GetObject"]),
    ),
]

# Fixed versions of the cases above: no RL6xx at all, in any form.
VALID_CASES = [
    Case(
        "every-field-right",
        [
            allow("s3:GetObject", [REPORTS, "arn:aws:s3:::archive/*"], sid="Read"),
            allow("s3:ListBucket", "arn:aws:s3:::reports", sid="List"),
            allow(
                "s3:GetObject",
                REPORTS,
                Condition={
                    "StringEquals": {
                        "aws:PrincipalOrgID": "o-a1b2c3d4e5",
                        "aws:PrincipalAccount": ACCOUNT,
                    },
                    "Null": {"aws:TokenIssueTime": "false"},
                },
            ),
            deny(
                "s3:ListBucket",
                "arn:aws:s3:::payroll",
                Condition={"StringLike": {"s3:prefix": "2026/*"}},
            ),
        ],
        rules=INVALID_RULES,
    ),
]


@pytest.mark.parametrize(("form", "case"), cases_by_form(INVALID_CASES + VALID_CASES))
def test_invalid_policy(tmp_path: Path, form: str, case: Case) -> None:
    run(tmp_path, form, case)


# Quotas belong to a role and to how a policy is attached, which only the role forms say: a raw
# JSON policy file may become an inline or a managed policy (6,144 or 10,240 characters), so
# rolelint measures no standalone policy, and it has no role to count attachments of.
MANY_BUCKETS = [f"arn:aws:s3:::customer-exports-{n:04d}/*" for n in range(300)]
AWS_READ_ONLY = [
    f"arn:aws:iam::aws:policy/{name}ReadOnlyAccess"
    for name in (
        "AmazonS3",
        "AmazonEC2",
        "AmazonSQS",
        "AmazonSNS",
        "AmazonDynamoDB",
        "AmazonRDS",
        "CloudWatch",
        "AmazonKinesis",
        "AWSCloudFormation",
        "AmazonRoute53",
        "IAM",
    )
]
QUOTA_CASES = [
    Case(
        "RL609-inline-policies-over-10240",
        expected=[("RL609", document_at())],
        rules=INVALID_RULES,
        policy=Policy([allow("s3:PutObject", MANY_BUCKETS)]),
        says=[text("over the 10,240 IAM allows all inline policies of a role together")],
    ),
    Case(
        "RL609-managed-policy-over-6144",
        expected=[("RL609", document_at())],
        rules=INVALID_RULES,
        policy=Policy([allow("s3:PutObject", MANY_BUCKETS[:200])], managed=True),
        says=[text("over the 6,144 IAM allows a managed policy")],
    ),
    Case(
        "RL609-inline-policy-under-10240",
        rules=INVALID_RULES,
        policy=Policy([allow("s3:PutObject", MANY_BUCKETS[:200])]),
    ),
    Case(
        "RL610-eleven-managed-policies",
        expected=[("RL610", role_at())],
        rules=INVALID_RULES,
        policy=Policy([allow("s3:GetObject", REPORTS)], managed_policy_arns=AWS_READ_ONLY),
        says=[text("has 11 managed policies attached")],
    ),
    Case(
        # The role's own customer managed policy counts too.
        "RL610-ten-aws-and-one-customer-managed-policy",
        expected=[("RL610", role_at())],
        rules=INVALID_RULES,
        policy=Policy(
            [allow("s3:GetObject", REPORTS)], managed_policy_arns=AWS_READ_ONLY[:10], managed=True
        ),
    ),
    Case(
        "RL610-ten-managed-policies",
        rules=INVALID_RULES,
        policy=Policy([allow("s3:GetObject", REPORTS)], managed_policy_arns=AWS_READ_ONLY[:10]),
    ),
]


@pytest.mark.parametrize(("form", "case"), cases_by_form(QUOTA_CASES, ROLE_FORMS))
def test_role_quotas(tmp_path: Path, form: str, case: Case) -> None:
    run(tmp_path, form, case)
