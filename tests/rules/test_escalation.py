"""Privilege-escalation methods (RL206), each named, found across all of a role's policies."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rolelint.api import lint_paths, read_inventory
from rolelint.checks.effective import Effect
from rolelint.checks.escalation_grants import Given, escalations_given
from rolelint.checks.escalation_methods import (
    ESCALATIONS,
    PASS_ROLE_METHODS,
    PASS_ROLE_SERVICE,
    SERVICE_ESCALATIONS,
)
from rolelint.checks.grants import Grant, action_entries
from rolelint.iam_actions import lookup
from rolelint.model import PolicyKind, Value
from tests.conftest import FIXTURES
from tests.rules.harness import line_of


def test_every_method_names_real_actions_and_its_service() -> None:
    named = [*ESCALATIONS, *SERVICE_ESCALATIONS]
    named += [action for needed in PASS_ROLE_METHODS.values() for action in needed]
    # CodeStar projects were retired in 2024 and left the catalog; old policies still name them.
    assert [action for action in named if lookup(action) is None] == ["codestar:CreateProject"]
    assert PASS_ROLE_SERVICE.keys() == PASS_ROLE_METHODS.keys()
    assert all(service.endswith(".amazonaws.com") for service in PASS_ROLE_SERVICE.values())
    # 18 IAM methods, 6 service takeovers and the PassRole combinations.
    assert len(ESCALATIONS) + len(SERVICE_ESCALATIONS) + len(PASS_ROLE_METHODS) == 46


def template(pass_role_resource: str, actions: tuple[str, ...], resource: str = "*") -> str:
    """A role whose PassRole and other actions sit in two different inline policies."""
    return f"""\
Resources:
  Builder:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {{Service: codebuild.amazonaws.com}}
            Action: sts:AssumeRole
      Policies:
        - PolicyName: pass
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: iam:PassRole
                Resource: "{pass_role_resource}"
        - PolicyName: compute
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: {json.dumps(list(actions))}
                Resource: "{resource}"
"""


def escalations(tmp_path: Path, code: str, suffix: str = "yaml") -> list[tuple[int, str]]:
    path = tmp_path / f"template.{suffix}"
    path.write_text(code)
    report = lint_paths([str(path)])
    assert report.errors == []
    return [(f.location.line, f.message) for f in report.findings if f.rule_id == "RL206"]


@pytest.mark.parametrize(("method", "needed"), sorted(PASS_ROLE_METHODS.items()))
def test_pass_role_methods_are_named_across_policies(
    tmp_path: Path, method: str, needed: tuple[str, ...]
) -> None:
    code = template("*", needed)
    [(line, message)] = escalations(tmp_path, code)
    assert line == line_of(code, "Action: iam:PassRole")
    assert method in message
    assert "inline policy 'compute' of role Builder" in message


@pytest.mark.parametrize(("method", "needed"), sorted(PASS_ROLE_METHODS.items()))
def test_pass_role_to_one_named_role_is_not_an_escalation(
    tmp_path: Path, method: str, needed: tuple[str, ...]
) -> None:
    code = template("arn:aws:iam::123456789012:role/app-task", needed)
    assert escalations(tmp_path, code) == []


def test_a_method_needs_every_one_of_its_actions(tmp_path: Path) -> None:
    code = template("*", ("lambda:CreateFunction",))  # no Invoke, no event source mapping
    [(_, message)] = escalations(tmp_path, code)  # PassRole on * itself is still reported
    assert "Lambda" not in message


@pytest.mark.parametrize("action", sorted(SERVICE_ESCALATIONS))
def test_service_escalations_on_every_resource(tmp_path: Path, action: str) -> None:
    code = template("arn:aws:iam::123456789012:role/app-task", (action,))
    [(line, message)] = escalations(tmp_path, code)
    assert line == line_of(code, json.dumps([action]))
    assert SERVICE_ESCALATIONS[action] in message


@pytest.mark.parametrize("action", sorted(SERVICE_ESCALATIONS))
def test_service_escalations_on_one_resource_are_not(tmp_path: Path, action: str) -> None:
    service = action.split(":")[0]
    resource = f"arn:aws:{service}:eu-west-1:123456789012:thing/one-named-thing"
    code = template("arn:aws:iam::123456789012:role/app-task", (action,), resource)
    assert escalations(tmp_path, code) == []


@pytest.mark.parametrize("action", sorted(ESCALATIONS))
def test_iam_escalations_each_reported(tmp_path: Path, action: str) -> None:
    code = template("arn:aws:iam::123456789012:role/app-task", (action,))
    found = escalations(tmp_path, code)
    assert [line for line, _ in found] == [line_of(code, json.dumps([action]))]


def test_the_same_method_in_terraform(tmp_path: Path) -> None:
    code = """\
resource "aws_iam_role" "builder" {
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow",
    Action = "sts:AssumeRole", Principal = { Service = "codebuild.amazonaws.com" } }] })
  inline_policy {
    name   = "pass"
    policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow",
      Action = "iam:PassRole", Resource = "*" }] })
  }
}
resource "aws_iam_role_policy" "compute" {
  role   = aws_iam_role.builder.name
  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow",
    Action = ["ec2:RunInstances"], Resource = "*" }] })
}
"""
    [(line, message)] = escalations(tmp_path, code, "tf")
    assert line == 7
    assert "a new EC2 instance (ec2:RunInstances)" in message


def test_a_grant_on_another_services_resource_enables_no_method(tmp_path: Path) -> None:
    # NotAction iam:* on an S3 bucket "grants" ec2:RunInstances on that bucket: on nothing.
    code = template("*", ("s3:GetObject",)).replace(
        'Action: ["s3:GetObject"]\n                Resource: "*"',
        'NotAction: ["iam:*"]\n                Resource: "arn:aws:s3:::reports/*"',
    )
    [(_, message)] = escalations(tmp_path, code)
    assert "EC2" not in message and "Lambda" not in message


def test_pass_role_limited_to_named_services_is_medium(tmp_path: Path) -> None:
    code = template("*", ("s3:GetObject",)).replace(
        '                Resource: "*"\n        - PolicyName: compute',
        '                Resource: "*"\n'
        "                Condition:\n"
        "                  StringEquals: {iam:PassedToService: ecs-tasks.amazonaws.com}\n"
        "        - PolicyName: compute",
    )
    path = tmp_path / "template.yaml"
    path.write_text(code)
    [finding] = [f for f in lint_paths([str(path)]).findings if f.rule_id == "RL206"]
    assert finding.severity.value == "medium"
    assert "only to ecs-tasks.amazonaws.com (iam:PassedToService)" in finding.message


@pytest.mark.parametrize(
    ("passed_to", "severity"),
    [
        ("!Ref Service", "medium"),  # a parameter without default: one service, not known
        ('"*"', "high"),  # a pattern admits every service
    ],
)
def test_pass_role_limited_to_a_service_not_known_is_medium(
    tmp_path: Path, passed_to: str, severity: str
) -> None:
    """StringEquals iam:PassedToService on a parameter without default was high: the condition
    is mandatory, and a value not known names one service, not every one."""
    code = "Parameters:\n  Service: {Type: String}\n" + template("*", ("ec2:RunInstances",))
    code = code.replace(
        '                Resource: "*"\n        - PolicyName: compute',
        '                Resource: "*"\n'
        "                Condition:\n"
        f"                  StringLike: {{iam:PassedToService: {passed_to}}}\n"
        "        - PolicyName: compute",
    )
    path = tmp_path / "template.yaml"
    path.write_text(code)
    [finding] = [f for f in lint_paths([str(path)]).findings if f.rule_id == "RL206"]
    assert finding.location.line == line_of(code, "Action: iam:PassRole")
    assert finding.severity.value == severity
    # Whatever the service, the EC2 method may be the one: it is still named.
    assert "a new EC2 instance (ec2:RunInstances)" in finding.message


@pytest.mark.parametrize(
    ("passed_to", "named", "not_named"),
    [
        ("lambda.amazonaws.com", "a new Lambda function invoked directly", "EC2"),
        ("ec2.amazonaws.com", "a new EC2 instance (ec2:RunInstances)", "Lambda"),
    ],
)
def test_pass_role_methods_follow_passed_to_service(
    tmp_path: Path, passed_to: str, named: str, not_named: str
) -> None:
    # The role can run both an EC2 instance and a Lambda function, but may pass a role to one.
    actions = ("ec2:RunInstances", "lambda:CreateFunction", "lambda:InvokeFunction")
    code = template("*", actions).replace(
        '                Resource: "*"\n        - PolicyName: compute',
        '                Resource: "*"\n'
        "                Condition:\n"
        f"                  StringEquals: {{iam:PassedToService: {passed_to}}}\n"
        "        - PolicyName: compute",
    )
    path = tmp_path / "template.yaml"
    path.write_text(code)
    [finding] = [f for f in lint_paths([str(path)]).findings if f.rule_id == "RL206"]
    assert named in finding.message
    assert not_named not in finding.message


def _passing_under(operator: str, value: str, actions: tuple[str, ...]) -> str:
    """:func:`template` with iam:PassRole on every role under ``operator`` on
    iam:PassedToService with ``value``."""
    return template("*", actions).replace(
        '                Resource: "*"\n        - PolicyName: compute',
        '                Resource: "*"\n'
        "                Condition:\n"
        f"                  {operator}: {{iam:PassedToService: {value}}}\n"
        "        - PolicyName: compute",
    )


@pytest.mark.parametrize(
    ("operator", "value"),
    [
        ("Bool", "ec2.amazonaws.com"),
        ("Bool", '"true"'),
        ("NumericEquals", '"1"'),
        ("ForAnyValue:Bool", "ec2.amazonaws.com"),
        ("DateEquals", "ec2.amazonaws.com"),
    ],
)
def test_pass_role_under_a_test_that_compares_no_text_passes_no_role(
    tmp_path: Path, operator: str, value: str
) -> None:
    """iam:PassedToService holds a service's name: a Bool or Numeric test of it fails every
    iam:PassRole request (IAM fails a test whose types differ), so the statement passes no role
    to any service, and grants nothing else (requests for other actions lack the key).  Its
    values were read as the services named: a MEDIUM RL206 'only to ec2.amazonaws.com'."""
    code = _passing_under(operator, value, ("ec2:RunInstances",))
    path = tmp_path / "template.yaml"
    path.write_text(code)
    report = lint_paths([str(path)])
    assert report.errors == []
    # Neither RL206 nor RL203 (which leaves such a statement to RL206) on iam:PassRole.
    passing_at = line_of(code, "Action: iam:PassRole")
    assert [
        f.rule_id for f in report.findings if f.rule_id == "RL206" or f.location.line == passing_at
    ] == []


def test_pass_role_under_an_ignore_case_test_is_passed_to_the_service_named(
    tmp_path: Path,
) -> None:
    """``StringEqualsIgnoreCase iam:PassedToService: EC2.AMAZONAWS.COM`` admits EC2: the EC2
    method is named, as under StringEquals ec2.amazonaws.com."""
    code = _passing_under("StringEqualsIgnoreCase", "EC2.AMAZONAWS.COM", ("ec2:RunInstances",))
    path = tmp_path / "template.yaml"
    path.write_text(code)
    [finding] = [f for f in lint_paths([str(path)]).findings if f.rule_id == "RL206"]
    assert finding.location.line == line_of(code, "Action: iam:PassRole")
    assert finding.severity.value == "medium"
    assert "a new EC2 instance (ec2:RunInstances)" in finding.message
    assert "only to EC2.AMAZONAWS.COM (iam:PassedToService)" in finding.message


def terraform(actions: tuple[str, ...]) -> str:
    """The same role in Terraform: PassRole inline, the other actions in a role policy."""
    return f"""\
resource "aws_iam_role" "builder" {{
  assume_role_policy = jsonencode({{ Version = "2012-10-17", Statement = [{{ Effect = "Allow",
    Action = "sts:AssumeRole", Principal = {{ Service = "codebuild.amazonaws.com" }} }}] }})
  inline_policy {{
    name   = "pass"
    policy = jsonencode({{ Version = "2012-10-17", Statement = [{{ Effect = "Allow",
      Action = "iam:PassRole", Resource = "*" }}] }})
  }}
}}
resource "aws_iam_role_policy" "compute" {{
  role   = aws_iam_role.builder.name
  policy = jsonencode({{ Version = "2012-10-17", Statement = [{{ Effect = "Allow",
    Action = {json.dumps(list(actions))}, Resource = "*" }}] }})
}}
"""


def raw_policy(actions: tuple[str, ...]) -> str:
    """The same permissions as one raw policy file."""
    statements = [
        {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"},
        {"Effect": "Allow", "Action": list(actions), "Resource": "*"},
    ]
    return json.dumps({"Version": "2012-10-17", "Statement": statements}, indent=2)


@pytest.mark.parametrize(("method", "needed"), sorted(PASS_ROLE_METHODS.items()))
@pytest.mark.parametrize("form", ["tf", "json"])
def test_pass_role_methods_in_terraform_and_raw_json(
    tmp_path: Path, method: str, needed: tuple[str, ...], form: str
) -> None:
    code = terraform(needed) if form == "tf" else raw_policy(needed)
    [(line, message)] = escalations(tmp_path, code, form)
    assert line == line_of(code, "iam:PassRole")
    assert method in message


def test_a_method_allowed_by_not_action_points_at_the_not_action(tmp_path: Path) -> None:
    """'ec2:RunInstances in ... (line N)' gave the statement's line, not its NotAction's; the
    methods it allows cite it at its NotAction, once."""
    code = json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "NotAction": "iam:DeleteRole", "Resource": "*"}],
        },
        indent=2,
    )
    (tmp_path / "p.json").write_text(code)
    [finding] = [f for f in lint_paths([str(tmp_path / "p.json")]).findings if f.rule_id == "RL206"]
    not_action = line_of(code, '"NotAction"')
    assert finding.location.line == not_action
    cited = f"policy file {tmp_path / 'p.json'} (line {not_action}) allows"
    assert "a new EC2 instance (ec2:RunInstances), a new Lambda function " in finding.message
    assert finding.message.count(cited) == 1


def test_the_bundled_example_cites_its_statement_once_and_names_ten_methods() -> None:
    """README's first command: RL206 on fixtures/examples/app-server.yaml line 31 was one
    line of 3,600 characters, naming all 22 methods and "in inline policy 'app' of role
    AppRole (line 34)" after each of their 34 actions.  A finding names at most 10 items of a
    list, then how many more."""
    path = FIXTURES / "examples" / "app-server.yaml"
    [message] = [
        f.message
        for f in lint_paths([str(path)]).findings
        if f.rule_id == "RL206" and f.location.line == 31
    ]
    methods = list(PASS_ROLE_METHODS)
    named = ", ".join(methods[:10])
    assert f"it can pass a role to {named} and {len(methods) - 10} more, which " in message
    assert methods[10] not in message
    assert message.count("inline policy 'app' of role AppRole (line") == 1
    assert message.endswith(
        "which inline policy 'app' of role AppRole (line 34) allows: privilege escalation"
    )


def test_methods_are_grouped_by_the_statements_that_allow_their_other_actions(
    tmp_path: Path,
) -> None:
    """Each statement cited once, after the methods whose other actions it allows; a method
    needing two statements of one policy cites that policy once, with both lines."""
    code = """\
Resources:
  Builder:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Principal: {Service: codebuild.amazonaws.com}, Action: sts:AssumeRole}
      Policies:
        - PolicyName: pass
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - {Effect: Allow, Action: iam:PassRole, Resource: "*"}
        - PolicyName: compute
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action:
                  - ec2:RunInstances
                  - ec2:CreateLaunchTemplate
                Resource: "*"
              - Effect: Allow
                Action:
                  - autoscaling:CreateAutoScalingGroup
                  - lambda:CreateFunction
                  - lambda:InvokeFunction
                Resource: "*"
"""
    [(_, message)] = escalations(tmp_path, code)
    compute = "inline policy 'compute' of role Builder"
    run, template = line_of(code, "ec2:RunInstances"), line_of(code, "ec2:CreateLaunchTemplate")
    group, create = line_of(code, "autoscaling:Create"), line_of(code, "lambda:CreateFunction")
    assert message.endswith(
        "; with its other permissions it can pass a role to a new EC2 instance "
        f"(ec2:RunInstances), which {compute} (line {run}) allows; a new Lambda function "
        f"invoked directly, which {compute} (line {create}) allows; an Auto Scaling group with "
        f"a new launch template, which {compute} (lines {template} and {group}) allows: "
        "privilege escalation"
    )


def test_the_methods_a_not_action_grants_are_ten_then_how_many_more(tmp_path: Path) -> None:
    """NotAction of one action grants every escalation method but it: its finding listed all
    24 of them, and the 22 PassRole methods (4,900 characters)."""
    statement = {"Effect": "Allow", "NotAction": "iam:DeleteRole", "Resource": "*"}
    code = json.dumps({"Version": "2012-10-17", "Statement": [statement]}, indent=2)
    [(_, message)] = escalations(tmp_path, code, "json")
    granted = message[message.index(", which grants ") : message.index("; with its other")]
    assert granted.count(" (") == 10
    assert granted.endswith(" and 14 more")
    assert len(message) < 1_500


@pytest.mark.parametrize("actions", [["iam:PassRole", "ec2:RunInstances"], "*"])
def test_a_method_is_not_allowed_by_a_statement_only_pass_role_requests_can_meet(
    tmp_path: Path, actions: list[str] | str
) -> None:
    """Hunt: iam:PassRole and ec2:RunInstances in one statement under StringEquals
    iam:PassedToService named 'a new EC2 instance (ec2:RunInstances): ec2:RunInstances in ...
    (line 2)'.  A RunInstances request lacks the key, so that statement never allows it."""
    condition = {"StringEquals": {"iam:PassedToService": "ec2.amazonaws.com"}}
    statement = {"Effect": "Allow", "Action": actions, "Resource": "*", "Condition": condition}
    code = json.dumps({"Version": "2012-10-17", "Statement": [statement]}, indent=2)
    [(line, message)] = escalations(tmp_path, code, "json")
    assert line == line_of(code, '"iam:PassRole"' if isinstance(actions, list) else '"*"')
    assert "only to ec2.amazonaws.com (iam:PassedToService)" in message
    assert "with its other permissions" not in message
    assert "a new EC2 instance" not in message
    # Allowed by a statement without the condition, the method is named as before.
    other = {"Effect": "Allow", "Action": "ec2:RunInstances", "Resource": "*"}
    code = json.dumps({"Version": "2012-10-17", "Statement": [statement, other]}, indent=2)
    [(_, message)] = escalations(tmp_path, code, "json")
    at = line_of(code, '"ec2:RunInstances"', 2 if isinstance(actions, list) else 1)
    assert "pass a role to a new EC2 instance (ec2:RunInstances), which policy file " in message
    assert f"(line {at}) allows" in message


_BOUNDED_TO_EC2 = """\
Resources:
  Boundary:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Action: "*"
            Resource: "*"
            Condition: {StringEquals: {iam:PassedToService: ec2.amazonaws.com}}
  Ops:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}
      PermissionsBoundary: !Ref Boundary
      ManagedPolicyArns: [arn:aws:iam::aws:policy/AdministratorAccess]
"""


@pytest.mark.parametrize("gate", ["deny", "boundary"])
def test_a_method_is_not_allowed_where_a_gate_lets_pass_role_requests_alone_through(
    tmp_path: Path, gate: str
) -> None:
    """Regression hunt: a Deny of '*' unless iam:PassedToService is ec2.amazonaws.com (or a
    boundary allowing '*' only under that test) refuses every ec2:RunInstances request, whose
    requests lack the key, yet RL206 named 'a new EC2 instance (ec2:RunInstances):
    ec2:RunInstances in ... (line 4)'.  The gate is judged as the statement's own test is."""
    if gate == "deny":
        condition = {"StringNotEquals": {"iam:PassedToService": "ec2.amazonaws.com"}}
        statements = [
            {"Effect": "Allow", "Action": ["iam:PassRole", "ec2:RunInstances"], "Resource": "*"},
            {"Effect": "Deny", "Action": "*", "Resource": "*", "Condition": condition},
        ]
        code, suffix = (
            json.dumps({"Version": "2012-10-17", "Statement": statements}, indent=2),
            "json",
        )
        marker = '"iam:PassRole"'
    else:
        code, suffix, marker = _BOUNDED_TO_EC2, "yaml", "AdministratorAccess"
    [(line, message)] = escalations(tmp_path, code, suffix)
    assert line == line_of(code, marker)
    assert "; only to ec2.amazonaws.com (iam:PassedToService): privilege escalation" in message
    assert "with its other permissions" not in message
    assert "a new EC2 instance" not in message


# --- escalation on the holder itself --------------------------------------------------------------


def own_escalations(tmp_path: Path, code: str, suffix: str = "yaml") -> list[tuple[int, str, str]]:
    """RL206's (line, message, roles named) for ``code``, read alone."""
    path = tmp_path / f"template.{suffix}"
    path.write_text(code)
    report = lint_paths([str(path)])
    assert report.errors == []
    return [
        (f.location.line, f.message, f.role or "") for f in report.findings if f.rule_id == "RL206"
    ]


def self_role(
    actions: str, resource: str, extra: str = "", name: str = "self-editor", policy: str = ""
) -> str:
    """A Lambda role named ``name`` whose inline policy allows ``actions`` on ``resource``."""
    return f"""\
Parameters:
  Other: {{Type: String}}
Resources:
  SelfRole:
    Type: AWS::IAM::Role
    Properties:
      RoleName: {name}
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {{Service: lambda.amazonaws.com}}
            Action: sts:AssumeRole
{extra}      Policies:
        - PolicyName: self
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: {actions}
                Resource: {resource}
{policy}"""


_OWN_ARN = "arn:aws:iam::${AWS::AccountId}:role/self-editor"


def test_a_role_allowed_to_write_its_own_policy_escalates(tmp_path: Path) -> None:
    """Hunt (realistic3, defect 1): iam:PutRolePolicy on the role's own ARN lets it write
    itself "*" on "*", yet RL206 counted only "*" or every role, and reported nothing."""
    code = self_role("iam:PutRolePolicy", f"!Sub {_OWN_ARN}")
    [(line, message, role)] = own_escalations(tmp_path, code)
    assert line == line_of(code, "Action: iam:PutRolePolicy")
    assert role == "SelfRole"
    assert message == (
        "Inline policy 'self' of role SelfRole allows iam:PutRolePolicy on its own role "
        f"'{_OWN_ARN}', which lets it write itself any policy: privilege escalation"
    )


def test_a_pattern_covering_the_role_s_own_name_escalates(tmp_path: Path) -> None:
    """Hunt: a CI role "managing its own roles" (``role/ci-*`` for ``ci-deployer``) can
    attach itself AdministratorAccess."""
    code = self_role(
        "[iam:PutRolePolicy, iam:AttachRolePolicy]",
        "!Sub arn:aws:iam::${AWS::AccountId}:role/ci-*",
        name="ci-deployer",
    )
    found = own_escalations(tmp_path, code)
    line = line_of(code, "Action: [iam:PutRolePolicy")
    own = "'arn:aws:iam::${AWS::AccountId}:role/ci-*' (its own role "
    own += "'arn:aws:iam::${AWS::AccountId}:role/ci-deployer' among them)"
    assert found == [
        (
            line,
            f"Inline policy 'self' of role SelfRole allows iam:PutRolePolicy on {own}, which "
            "lets it write itself any policy: privilege escalation",
            "SelfRole",
        ),
        (
            line,
            f"Inline policy 'self' of role SelfRole allows iam:AttachRolePolicy on {own}, "
            "which lets it attach itself any managed policy: privilege escalation",
            "SelfRole",
        ),
    ]


_HELD_POLICY = """\
Resources:
  Pol:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      ManagedPolicyName: app-policy
      Roles: [!Ref R]
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Action: iam:CreatePolicyVersion
            Resource: !Sub arn:aws:iam::${AWS::AccountId}:policy/app-policy
  R:
    Type: AWS::IAM::Role
    Properties:
      RoleName: r
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {Service: lambda.amazonaws.com}
            Action: sts:AssumeRole
"""


def test_rewriting_a_managed_policy_the_role_holds_escalates(tmp_path: Path) -> None:
    """Hunt: iam:CreatePolicyVersion on a customer managed policy the role holds rewrites its
    own permissions (the method table says "rewrite a managed policy it holds")."""
    [(line, message, role)] = own_escalations(tmp_path, _HELD_POLICY)
    assert line == line_of(_HELD_POLICY, "Action: iam:CreatePolicyVersion")
    assert role == "R"
    assert message == (
        "AWS::IAM::ManagedPolicy Pol allows iam:CreatePolicyVersion on the managed policy it "
        "holds 'arn:aws:iam::${AWS::AccountId}:policy/app-policy', which lets it rewrite that "
        "policy to allow it anything: privilege escalation"
    )


def test_rewriting_a_managed_policy_it_does_not_hold_is_not(tmp_path: Path) -> None:
    code = _HELD_POLICY.replace("policy/app-policy", "policy/other-policy")
    assert own_escalations(tmp_path, code) == []


def test_a_terraform_role_allowed_to_change_itself_by_reference(tmp_path: Path) -> None:
    """Hunt: ``Resource = aws_iam_role.ci.arn`` in the role's own policy."""
    code = """\
resource "aws_iam_role" "ci" {
  name = "ci-deployer"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "codebuild.amazonaws.com" },
      Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy" "ci" {
  role = aws_iam_role.ci.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["iam:AttachRolePolicy", "iam:PutRolePolicy"],
      Resource = aws_iam_role.ci.arn }]
  })
}
"""
    found = own_escalations(tmp_path, code, "tf")
    assert [(line, role) for line, _, role in found] == [(14, "aws_iam_role.ci")] * 2
    assert [message.split(" allows ")[1].split(" on ")[0] for _, message, _ in found] == [
        "iam:AttachRolePolicy",
        "iam:PutRolePolicy",
    ]
    assert all(
        "on its own role 'arn:aws:iam::${AWS::AccountId}:role/ci-deployer'" in message
        for _, message, _ in found
    )


def test_a_user_allowed_to_attach_itself_a_policy_escalates(tmp_path: Path) -> None:
    code = """\
Resources:
  Dev:
    Type: AWS::IAM::User
    Properties:
      UserName: dev
      Policies:
        - PolicyName: self
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: [iam:AttachUserPolicy, iam:CreateAccessKey]
                Resource: !Sub arn:aws:iam::${AWS::AccountId}:user/dev
"""
    [(line, message, _)] = own_escalations(tmp_path, code)
    assert line == line_of(code, "Action: [iam:AttachUserPolicy")
    assert "allows iam:AttachUserPolicy on its own user" in message
    assert "attach itself any managed policy: privilege escalation" in message


_SELF_SERVICE_USERS = """\
Resources:
  SelfService:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      Users: [!Ref Alice, !Ref Bob]
      Roles: [!Ref Worker]
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Action: [iam:PutUserPolicy, iam:PutRolePolicy]
            Resource:
              - RESOURCE
  Alice:
    Type: AWS::IAM::User
    Properties:
      UserName: alice
  Bob:
    Type: AWS::IAM::User
    Properties:
      UserName: bob
      Path: /team/
  Worker:
    Type: AWS::IAM::Role
    Properties:
      RoleName: worker
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}
"""


def test_a_user_resource_of_its_own_user_name_names_each_user_holding_it(
    tmp_path: Path,
) -> None:
    """Regression hunt (regr4, 4): ``user/${aws:username}``, AWS's pattern for letting each
    user manage its own user, is the holder itself for a user, yet RL206 read the variable
    as text and named no one.  IAM puts the requesting user's name there (not its path: Bob at
    /team/ is not named); a role's session has no user name, so it names no role."""
    resource = "!Sub 'arn:aws:iam::${AWS::AccountId}:user/${!aws:username}'"
    code = _SELF_SERVICE_USERS.replace("RESOURCE", resource)
    [(line, message, role)] = own_escalations(tmp_path, code)
    assert line == line_of(code, "Action: [iam:PutUserPolicy")
    assert role == ""  # not the role Worker: Alice alone
    assert message == (
        "AWS::IAM::ManagedPolicy SelfService allows iam:PutUserPolicy on "
        "'arn:aws:iam::${AWS::AccountId}:user/${aws:username}' (its own user "
        "'arn:aws:iam::${AWS::AccountId}:user/alice' among them), which lets it write itself "
        "any policy: privilege escalation"
    )


@pytest.mark.parametrize(
    "variable", ["${!aws:userid}", "${!aws:PrincipalTag/name}", "${!aws:username}-admin"]
)
def test_other_policy_variables_name_no_holder(tmp_path: Path, variable: str) -> None:
    """A user's unique id and its tags are not in the files: they name no one."""
    resource = f"!Sub 'arn:aws:iam::${{AWS::AccountId}}:user/{variable}'"
    assert own_escalations(tmp_path, _SELF_SERVICE_USERS.replace("RESOURCE", resource)) == []


def test_a_terraform_user_policy_on_its_own_user_name(tmp_path: Path) -> None:
    code = """\
resource "aws_iam_user" "dev" {
  name = "dev"
}

resource "aws_iam_user_policy" "self" {
  user = aws_iam_user.dev.name
  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow",
    Action = "iam:AttachUserPolicy", Resource = "arn:aws:iam::*:user/$${aws:username}" }] })
}
"""
    [(_, message, _)] = own_escalations(tmp_path, code, "tf")
    assert message == (
        "Inline policy aws_iam_user_policy.self allows iam:AttachUserPolicy on "
        "'arn:aws:iam::*:user/${aws:username}' (its own user "
        "'arn:aws:iam::${AWS::AccountId}:user/dev' among them), which lets it attach itself "
        "any managed policy: privilege escalation"
    )


def test_a_policy_document_data_source_writes_the_variable_as_its_provider_does(
    tmp_path: Path,
) -> None:
    """Regression hunt (regr5, 1): ``aws_iam_policy_document`` spells the IAM policy variable
    ``&{aws:username}`` (``${...}`` is Terraform's own), and the provider renders it as
    ``${aws:username}``; read as written it named no user and the finding was missed."""
    code = """\
resource "aws_iam_user" "dev" {
  name = "dev"
}

data "aws_iam_policy_document" "self" {
  statement {
    actions   = ["iam:PutUserPolicy"]
    resources = ["arn:aws:iam::*:user/&{aws:username}"]
  }
}

resource "aws_iam_user_policy" "self" {
  user   = aws_iam_user.dev.name
  policy = data.aws_iam_policy_document.self.json
}
"""
    [(line, message, _)] = own_escalations(tmp_path, code, "tf")
    assert line == 7
    assert message == (
        "Inline policy aws_iam_user_policy.self allows iam:PutUserPolicy on "
        "'arn:aws:iam::*:user/${aws:username}' (its own user "
        "'arn:aws:iam::${AWS::AccountId}:user/dev' among them), which lets it write itself "
        "any policy: privilege escalation"
    )


@pytest.mark.parametrize(
    "resource",
    [
        "!Sub arn:aws:iam::${AWS::AccountId}:role/other-role",  # another role: as before
        "!Ref Other",  # a parameter without default: not known
        "!Sub arn:aws:iam::${AWS::AccountId}:role/${Other}",  # nor is this name
        "!Sub arn:aws:iam::${AWS::AccountId}:user/self-editor",  # a user of that name
    ],
)
def test_a_grant_on_a_resource_not_known_to_be_the_role_itself_is_not(
    tmp_path: Path, resource: str
) -> None:
    code = self_role("[iam:PutRolePolicy, iam:AttachRolePolicy]", resource)
    assert own_escalations(tmp_path, code) == []


def test_a_role_whose_name_is_not_known_is_not_named_by_a_pattern(tmp_path: Path) -> None:
    code = self_role(
        "iam:PutRolePolicy", "!Sub arn:aws:iam::${AWS::AccountId}:role/self-*", name="!Ref Other"
    )
    assert own_escalations(tmp_path, code) == []


def test_its_own_role_named_by_a_parameter_is_not_said_to_be_generated(tmp_path: Path) -> None:
    """A role named ``!Ref Other`` (no default) writing its own policy by ``!GetAtt``: the
    finding stands as for any role, but it called the role's name "a name CloudFormation
    generates", which whoever deploys the template chooses."""
    code = self_role("iam:PutRolePolicy", "!GetAtt SelfRole.Arn", name="!Ref Other")
    [(line, message, role)] = own_escalations(tmp_path, code)
    assert (line, role) == (line_of(code, "Action: iam:PutRolePolicy"), "SelfRole")
    assert message == (
        "Inline policy 'self' of role SelfRole allows iam:PutRolePolicy on its own role "
        "'arn:aws:iam::${AWS::AccountId}:role/<unresolved name>', which lets it write itself "
        "any policy: privilege escalation"
    )


def test_access_keys_and_passwords_for_itself_are_no_escalation(tmp_path: Path) -> None:
    code = self_role(
        "[iam:CreateAccessKey, iam:CreateLoginProfile, iam:UpdateAssumeRolePolicy]",
        f"!Sub {_OWN_ARN}",
    )
    assert own_escalations(tmp_path, code) == []


_NARROW_BOUNDARY = """\
  Boundary:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Action: "s3:GetObject", Resource: "*"}
"""


def test_a_boundary_that_does_not_allow_the_method_leaves_no_escalation(tmp_path: Path) -> None:
    code = self_role(
        "iam:PutRolePolicy",
        f"!Sub {_OWN_ARN}",
        extra="      PermissionsBoundary: !Ref Boundary\n",
        policy=_NARROW_BOUNDARY,
    )
    assert own_escalations(tmp_path, code) == []


def test_a_deny_of_the_method_leaves_no_escalation(tmp_path: Path) -> None:
    code = self_role("iam:PutRolePolicy", f"!Sub {_OWN_ARN}").replace(
        "                Resource: !Sub",
        '              - {Effect: Deny, Action: "iam:Put*", Resource: "*"}\n'
        "              - Effect: Allow\n"
        "                Action: iam:PutRolePolicy\n"
        "                Resource: !Sub",
    )
    assert own_escalations(tmp_path, code) == []


def test_removing_its_own_boundary_names_the_boundary_it_lifts(tmp_path: Path) -> None:
    code = self_role(
        "iam:DeleteRolePermissionsBoundary",
        f"!Sub {_OWN_ARN}",
        extra="      PermissionsBoundary: !Ref Boundary\n",
        policy=_NARROW_BOUNDARY.replace('"s3:GetObject"', '["s3:GetObject", "iam:Delete*"]'),
    )
    [(_, message, _)] = own_escalations(tmp_path, code)
    assert message == (
        "Inline policy 'self' of role SelfRole allows iam:DeleteRolePermissionsBoundary on its "
        f"own role '{_OWN_ARN}', which lets it remove its own permissions boundary and act "
        "with all its policies allow; so permissions boundary Boundary of role SelfRole does "
        "not cap it: privilege escalation (permissions boundary Boundary of role SelfRole "
        "allows it)"
    )


_SHARED_SELF = """\
Resources:
  Shared:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      Roles: [!Ref A, !Ref B, !Ref C]
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Action: iam:PutRolePolicy
            Resource: !GetAtt A.Arn
  A:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: &trust
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}
  B:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: *trust
      Policies:
        - PolicyName: deny-one
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - {Effect: Deny, Action: iam:PutRolePolicy, Resource: "arn:aws:iam::*:role/x"}
  C:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: *trust
"""


def test_a_shared_policy_naming_one_holder_escalates_for_that_holder_alone(
    tmp_path: Path,
) -> None:
    """B and C may write A's policy, not their own: the finding names A only, also when the
    holders are judged in groups (B's Deny sets it apart; A and C are alike)."""
    [(_, message, role)] = own_escalations(tmp_path, _SHARED_SELF)
    assert role == "A"
    assert message == (
        "AWS::IAM::ManagedPolicy Shared allows iam:PutRolePolicy on its own role "
        "'arn:aws:iam::${AWS::AccountId}:role/<a name CloudFormation generates>', which lets "
        "it write itself any policy: privilege escalation"
    )


def test_one_action_on_the_role_and_a_policy_it_holds_names_each(tmp_path: Path) -> None:
    code = _HELD_POLICY.replace(
        "            Action: iam:CreatePolicyVersion\n"
        "            Resource: !Sub arn:aws:iam::${AWS::AccountId}:policy/app-policy\n",
        '            Action: "iam:*"\n'
        "            Resource:\n"
        "              - !Sub arn:aws:iam::${AWS::AccountId}:policy/app-*\n"
        "              - !GetAtt R.Arn\n",
    )
    [(line, message, role)] = own_escalations(tmp_path, code)
    assert (line, role) == (line_of(code, 'Action: "iam:*"'), "R")
    assert message.startswith(
        "AWS::IAM::ManagedPolicy Pol allows 'iam:*', which grants iam:CreatePolicyVersion "
        "(rewrite that policy to allow it anything) and iam:SetDefaultPolicyVersion (switch "
        "that policy to a more permissive version) on "
        "'arn:aws:iam::${AWS::AccountId}:policy/app-*' (the managed policy it holds "
        "'arn:aws:iam::${AWS::AccountId}:policy/app-policy' among them); and "
        "iam:AttachRolePolicy (attach itself any managed policy) and iam:PutRolePolicy"
    )
    assert message.endswith(
        "on its own role 'arn:aws:iam::${AWS::AccountId}:role/r': privilege escalation"
    )


def _lambda_role(logical_id: str, name: str, extra: str = "") -> str:
    return f"""\
  {logical_id}:
    Type: AWS::IAM::Role
    Properties:
      RoleName: {name}
{extra}      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {{Service: lambda.amazonaws.com}}
            Action: sts:AssumeRole
"""


def test_a_shared_policy_naming_each_holder_by_its_own_resource_names_them_all(
    tmp_path: Path,
) -> None:
    """Regression hunt: a policy shared by A and B listing role/a and role/b reported A alone
    (the search stopped at the first resource naming a holder); B's card said both 'can
    escalate' and 'no escalation method found'."""
    code = (
        "Resources:\n"
        "  MP:\n"
        "    Type: AWS::IAM::ManagedPolicy\n"
        "    Properties:\n"
        "      Roles: [!Ref A, !Ref B]\n"
        "      PolicyDocument:\n"
        '        Version: "2012-10-17"\n'
        "        Statement:\n"
        "          - Effect: Allow\n"
        "            Action: iam:PutRolePolicy\n"
        "            Resource:\n"
        "              - !Sub arn:aws:iam::${AWS::AccountId}:role/a\n"
        "              - !Sub arn:aws:iam::${AWS::AccountId}:role/b\n"
        + _lambda_role("A", "a")
        + _lambda_role("B", "b")
    )
    [(_, message, roles)] = own_escalations(tmp_path, code)
    assert sorted(roles.split(", ")) == ["A", "B"]
    assert "role/a'" in message and "role/b'" in message


def _bounded_self_role(boundary: list[str], actions: str = "iam:PutRolePolicy") -> str:
    """:func:`self_role` allowed ``actions`` on itself, whose permissions boundary BP of the
    template holds the ``boundary`` statements (flow-style YAML)."""
    statements = "".join(f"          - {statement}\n" for statement in boundary)
    return (
        "Resources:\n"
        "  BP:\n"
        "    Type: AWS::IAM::ManagedPolicy\n"
        "    Properties:\n"
        "      PolicyDocument:\n"
        '        Version: "2012-10-17"\n'
        "        Statement:\n"
        + statements
        + self_role(
            actions, f"!Sub {_OWN_ARN}", extra="      PermissionsBoundary: !Ref BP\n"
        ).split("Resources:\n", 1)[1]
    )


_WRITES_ITSELF = (
    "Inline policy 'self' of role SelfRole allows iam:PutRolePolicy on its own role "
    f"'{_OWN_ARN}', which lets it write itself any policy"
)
_ALLOW_ALL = '{Effect: Allow, Action: "*", Resource: "*"}'
# A boundary statement letting the role write its own policy, and no other's.
_PUT_ITSELF = "{Effect: Allow, Action: iam:PutRolePolicy, Resource: !Sub '" + _OWN_ARN + "'}"


@pytest.mark.parametrize(
    ("boundary", "capped"),
    [
        ([_ALLOW_ALL], "administrator access"),
        # The usual guard rail: everything, but not lifting the boundary.
        (
            [
                _ALLOW_ALL,
                "{Effect: Deny, Action: iam:DeleteRolePermissionsBoundary, Resource: '*'}",
            ],
            "every action except iam:DeleteRolePermissionsBoundary",
        ),
        # It writes itself the removal of its boundary, then anything.
        (
            [
                "{Effect: Allow, Action: [s3:*, iam:PutRolePolicy, "
                "iam:DeleteRolePermissionsBoundary], Resource: '*'}"
            ],
            "iam:DeleteRolePermissionsBoundary, which lifts it",
        ),
        (
            [
                "{Effect: Allow, Action: [s3:*, iam:PassRole, ec2:RunInstances], Resource: '*'}",
                _PUT_ITSELF,
            ],
            "iam:PassRole",
        ),
    ],
)
def test_writing_itself_a_policy_gets_what_its_boundary_allows(
    tmp_path: Path, boundary: list[str], capped: str
) -> None:
    """Regression hunt (regr4, 1): any boundary rolelint read was taken for a cap, so a role
    writing itself a policy under AdministratorAccess, ``Allow *`` or a boundary it may lift
    had no RL206 (and 'scoped' in the inventory).  It gets whatever the boundary allows."""
    [(_, message, role)] = own_escalations(tmp_path, _bounded_self_role(boundary))
    assert role == "SelfRole"
    assert message == (
        f"{_WRITES_ITSELF} that permissions boundary BP of role SelfRole allows ({capped}): "
        "privilege escalation (permissions boundary BP of role SelfRole allows it)"
    )


def test_writing_itself_a_policy_under_aws_administrator_access_as_boundary(
    tmp_path: Path,
) -> None:
    code = self_role(
        "iam:PutRolePolicy",
        f"!Sub {_OWN_ARN}",
        extra="      PermissionsBoundary: arn:aws:iam::aws:policy/AdministratorAccess\n",
    )
    [(line, message, _)] = own_escalations(tmp_path, code)
    assert line == line_of(code, "Action: iam:PutRolePolicy")
    assert message.startswith(
        f"{_WRITES_ITSELF} that AWS managed policy AdministratorAccess as permissions boundary "
        "of role SelfRole allows (administrator access): privilege escalation"
    )


@pytest.mark.parametrize(
    "boundary",
    [
        # Writing itself a policy again gives it nothing the boundary does not allow.
        ["{Effect: Allow, Action: [s3:*, logs:*], Resource: '*'}", _PUT_ITSELF],
        # Passing roles only to those so tagged.
        [
            "{Effect: Allow, Action: [s3:*, iam:PassRole, ec2:RunInstances], Resource: '*', "
            "Condition: {StringEquals: {iam:ResourceTag/team: ci}}}",
            _PUT_ITSELF,
        ],
    ],
)
def test_writing_itself_a_policy_under_a_narrow_boundary_is_no_escalation(
    tmp_path: Path, boundary: list[str]
) -> None:
    """The case the first fix meant: a boundary allowing s3:* and logs:* caps whatever the
    role writes itself, and RL206 said it could write itself any policy."""
    assert own_escalations(tmp_path, _bounded_self_role(boundary)) == []


def test_a_deny_of_the_role_still_limits_what_its_boundary_lets_it_write(
    tmp_path: Path,
) -> None:
    """The boundary is judged as the holder's policy would be: the role's own Deny of lifting
    it leaves s3:* and writing its own policy, a cap."""
    lifting = "{Effect: Allow, Action: [s3:*, iam:DeleteRolePermissionsBoundary], Resource: '*'}"
    code = _bounded_self_role([lifting, _PUT_ITSELF]).replace(
        "              - Effect: Allow\n                Action: iam:PutRolePolicy",
        "              - {Effect: Deny, Action: iam:DeleteRolePermissionsBoundary, Resource: '*'}\n"
        "              - Effect: Allow\n                Action: iam:PutRolePolicy",
    )
    assert "Effect: Deny, Action: iam:DeleteRolePermissionsBoundary" in code
    assert own_escalations(tmp_path, code) == []


def test_lifting_a_boundary_that_lets_it_is_still_reported(tmp_path: Path) -> None:
    lifting = (
        "{Effect: Allow, Action: [s3:*, iam:PutRolePolicy, iam:DeleteRolePermissionsBoundary], "
        "Resource: '*'}"
    )
    code = _bounded_self_role([lifting], "iam:DeleteRolePermissionsBoundary")
    [(_, message, _)] = own_escalations(tmp_path, code)
    assert "which lets it remove its own permissions boundary" in message
    assert "so permissions boundary BP of role SelfRole does not cap it" in message


def test_writing_itself_a_policy_under_a_boundary_only_some_deployments_have(
    tmp_path: Path,
) -> None:
    """Regression hunt (regr4, 2): ``PermissionsBoundary: !If [Bounded, !Ref BP, !Ref
    AWS::NoValue]`` capped the role in every deployment, though where the condition is false
    it has no boundary and writes itself anything.  It is reported as without one."""
    narrow = "{Effect: Allow, Action: [s3:*, logs:*], Resource: '*'}"
    code = (
        _bounded_self_role([narrow, _PUT_ITSELF])
        .replace(
            "PermissionsBoundary: !Ref BP",
            "PermissionsBoundary: !If [Bounded, !Ref BP, !Ref AWS::NoValue]",
        )
        .replace(
            "Parameters:\n",
            "Conditions:\n  Bounded: !Equals [!Ref Other, 'yes']\nParameters:\n",
        )
    )
    [(line, message, _)] = own_escalations(tmp_path, code)
    assert line == line_of(code, "                Action: iam:PutRolePolicy")
    assert message == f"{_WRITES_ITSELF}: privilege escalation"


def test_a_terraform_boundary_only_some_deployments_have(tmp_path: Path) -> None:
    """The same in Terraform: ``var.bounded ? aws_iam_policy.b.arn : null``."""
    code = """\
variable "bounded" { type = bool }

resource "aws_iam_policy" "b" {
  name = "b"
  policy = jsonencode({ Version = "2012-10-17",
    Statement = [{ Effect = "Allow", Action = ["s3:*", "iam:PutRolePolicy"], Resource = "*" }] })
}

resource "aws_iam_role" "w" {
  name                 = "w"
  permissions_boundary = var.bounded ? aws_iam_policy.b.arn : null
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow",
    Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }] })
}

resource "aws_iam_role_policy" "self" {
  role = aws_iam_role.w.id
  policy = jsonencode({ Version = "2012-10-17",
    Statement = [{ Effect = "Allow", Action = "iam:PutRolePolicy",
      Resource = aws_iam_role.w.arn }] })
}
"""
    [(line, message, role)] = own_escalations(tmp_path, code, "tf")
    assert line == line_of(code, 'Action = "iam:PutRolePolicy",')
    assert role == "aws_iam_role.w"
    assert message == (
        "Inline policy aws_iam_role_policy.self allows iam:PutRolePolicy on its own role "
        "'arn:aws:iam::${AWS::AccountId}:role/w', which lets it write itself any policy: "
        "privilege escalation"
    )


@pytest.mark.parametrize(
    "action", ["iam:DeleteRolePermissionsBoundary", "iam:PutRolePermissionsBoundary"]
)
def test_boundary_actions_on_a_role_without_a_boundary_are_no_escalation(
    tmp_path: Path, action: str
) -> None:
    """Regression hunt: with no boundary there is nothing to lift, and a new one only takes
    away; RL206 said 'remove its own permissions boundary' of a role that has none."""
    assert own_escalations(tmp_path, self_role(action, f"!Sub {_OWN_ARN}")) == []


# --- a user changing itself through its groups ----------------------------------------------------

_GROUP_ARN = "arn:aws:iam::${AWS::AccountId}:group/devs"
_DEV_ARN = "arn:aws:iam::${AWS::AccountId}:user/dev"


def group_and_user(
    user_statements: tuple[str, ...] = (),
    group_statements: tuple[str, ...] = (),
    groups: str = "[!Ref Devs]",
    user_extra: str = "",
) -> str:
    """A group ``devs`` and a user ``dev`` in it (``groups``), each with an inline policy of
    ``*_statements`` when given, and a boundary ``BP`` allowing the group methods on devs."""

    def policy(name: str, statements: tuple[str, ...]) -> str:
        if not statements:
            return ""
        listed = "".join(f"              - {statement}\n" for statement in statements)
        return (
            "      Policies:\n"
            f"        - PolicyName: {name}\n"
            "          PolicyDocument:\n"
            '            Version: "2012-10-17"\n'
            "            Statement:\n" + listed
        )

    return f"""\
Conditions:
  Yes: !Equals [!Ref AWS::Region, us-east-1]
Resources:
  Devs:
    Type: AWS::IAM::Group
    Properties:
      GroupName: devs
{policy("grp", group_statements)}  Dev:
    Type: AWS::IAM::User
    Properties:
      UserName: dev
      Groups: {groups}
{user_extra}{policy("own", user_statements)}  BP:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Action: [s3:GetObject, iam:PutGroupPolicy, iam:AttachGroupPolicy]
            Resource: !Sub {_GROUP_ARN}
"""


def _allow(action: str, resource: str, condition: str = "") -> str:
    return f"{{Effect: Allow, Action: {action}, Resource: !Sub '{resource}'{condition}}}"


def test_a_user_allowed_to_write_a_policy_of_its_group_escalates(tmp_path: Path) -> None:
    """A user gets its groups' policies: iam:PutGroupPolicy on a group it is in lets it write
    itself any policy, yet RL206 judged only a role's or user's own ARN and said nothing."""
    code = group_and_user(user_statements=(_allow("iam:PutGroupPolicy", _GROUP_ARN),))
    [(line, message, role)] = own_escalations(tmp_path, code)
    assert line == line_of(code, "Action: iam:PutGroupPolicy")
    assert role == ""  # a user: no role to name
    assert message == (
        "Inline policy 'own' of user Dev allows iam:PutGroupPolicy on its group "
        f"'{_GROUP_ARN}', which lets it write itself any policy: privilege escalation"
    )


def test_a_group_named_by_its_getatt_arn_is_the_group(tmp_path: Path) -> None:
    """``!GetAtt Devs.Arn`` was left unresolved (a group is no principal, so its ARN was never
    worked out), and iam:PutGroupPolicy on it named no group: 0 findings, where the same ARN
    written with Fn::Sub gave RL206."""
    code = group_and_user(user_statements=(_allow("iam:PutGroupPolicy", _GROUP_ARN),))
    code = code.replace(f"Resource: !Sub '{_GROUP_ARN}'", "Resource: !GetAtt Devs.Arn")
    [(line, message, _)] = own_escalations(tmp_path, code)
    assert line == line_of(code, "Action: iam:PutGroupPolicy")
    assert message == (
        "Inline policy 'own' of user Dev allows iam:PutGroupPolicy on its group "
        f"'{_GROUP_ARN}', which lets it write itself any policy: privilege escalation"
    )


def test_a_group_policy_letting_its_member_attach_the_group_a_policy_escalates(
    tmp_path: Path,
) -> None:
    """The grant may come from the group's own policy: its members make the request."""
    code = group_and_user(group_statements=(_allow("iam:AttachGroupPolicy", _GROUP_ARN),))
    [(line, message, _)] = own_escalations(tmp_path, code)
    assert line == line_of(code, "Action: iam:AttachGroupPolicy")
    assert message == (
        "Inline policy 'grp' of group Devs allows iam:AttachGroupPolicy on its group "
        f"'{_GROUP_ARN}', which lets it attach itself any managed policy: privilege escalation"
    )


def test_a_group_policy_on_its_member_s_own_user_escalates(tmp_path: Path) -> None:
    """A group's policy allowing iam:PutUserPolicy on a member's own ARN was judged for the
    group alone (no user ARN of its own), while the graph called the member admin-level."""
    code = group_and_user(group_statements=(_allow("iam:PutUserPolicy", _DEV_ARN),))
    [(line, message, _)] = own_escalations(tmp_path, code)
    assert line == line_of(code, "Action: iam:PutUserPolicy")
    assert message == (
        "Inline policy 'grp' of group Devs allows iam:PutUserPolicy on its member's own user "
        f"'{_DEV_ARN}', which lets it write itself any policy: privilege escalation"
    )


def test_a_pattern_naming_the_user_s_group_escalates(tmp_path: Path) -> None:
    pattern = "arn:aws:iam::${AWS::AccountId}:group/dev*"
    code = group_and_user(user_statements=(_allow("'iam:*GroupPolicy'", pattern),))
    [(_, message, _)] = own_escalations(tmp_path, code)
    assert message == (
        "Inline policy 'own' of user Dev allows 'iam:*GroupPolicy' on "
        "'arn:aws:iam::${AWS::AccountId}:group/dev*' (its group "
        f"'{_GROUP_ARN}' among them), which grants iam:AttachGroupPolicy (attach itself any "
        "managed policy) and iam:PutGroupPolicy (write itself any policy): privilege escalation"
    )


def test_attaching_its_group_only_harmless_policies_is_no_escalation(tmp_path: Path) -> None:
    """The iam:PolicyARN gate is judged as for a role's own ARN."""
    condition = ", Condition: {{ArnEquals: {{iam:PolicyARN: arn:aws:iam::aws:policy/{}}}}}"
    harmless = _allow("iam:AttachGroupPolicy", _GROUP_ARN, condition.format("ReadOnlyAccess"))
    admin = _allow("iam:AttachGroupPolicy", _GROUP_ARN, condition.format("AdministratorAccess"))
    assert own_escalations(tmp_path, group_and_user(user_statements=(harmless,))) == []
    folder = tmp_path / "admin"
    folder.mkdir()
    [(_, message, _)] = own_escalations(folder, group_and_user(user_statements=(admin,)))
    assert message == (
        "Inline policy 'own' of user Dev allows iam:AttachGroupPolicy on its group "
        f"'{_GROUP_ARN}', which lets it attach itself the managed policies its iam:PolicyARN "
        "condition admits ('arn:aws:iam::aws:policy/AdministratorAccess'; AdministratorAccess "
        "with administrator-level access): privilege escalation"
    )


_GROUP_WRITE = _allow("iam:PutGroupPolicy", _GROUP_ARN)
_DENY_PUT = "{Effect: Deny, Action: 'iam:Put*', Resource: '*'}"
_OPTIONAL = "[!If [Yes, !Ref Devs, !Ref AWS::NoValue]]"
_BOUNDED = "      PermissionsBoundary: !Ref BP\n"
_OTHER_USER = "arn:aws:iam::${AWS::AccountId}:user/other"
_OTHER_GROUP = "arn:aws:iam::${AWS::AccountId}:group/ops"


@pytest.mark.parametrize(
    ("user_statements", "group_statements", "groups", "user_extra"),
    [
        # Added to the group only where a condition holds: not certainly a member.
        ((_GROUP_WRITE,), (), _OPTIONAL, ""),
        ((), (_GROUP_WRITE,), _OPTIONAL, ""),
        ((), (_allow("iam:PutUserPolicy", _DEV_ARN),), _OPTIONAL, ""),
        # In no group: a group's policy on itself lets no member escalate.
        ((_GROUP_WRITE,), (), "[]", ""),
        ((), (_GROUP_WRITE,), "[]", ""),
        # A boundary rolelint reads caps what the user writes into its group's policy.
        ((_GROUP_WRITE,), (), "[!Ref Devs]", _BOUNDED),
        ((), (_GROUP_WRITE,), "[!Ref Devs]", _BOUNDED),
        # A Deny of the user's takes the method away, whichever policy grants it.
        ((_GROUP_WRITE, _DENY_PUT), (), "[!Ref Devs]", ""),
        ((_DENY_PUT,), (_GROUP_WRITE,), "[!Ref Devs]", ""),
        # Another user's ARN, another group's.
        ((), (_allow("iam:PutUserPolicy", _OTHER_USER),), "[!Ref Devs]", ""),
        ((_allow("iam:PutGroupPolicy", _OTHER_GROUP),), (), "[!Ref Devs]", ""),
        # The member has no boundary to lift.
        ((), (_allow("iam:DeleteUserPermissionsBoundary", _DEV_ARN),), "[!Ref Devs]", ""),
    ],
)
def test_a_group_method_the_user_does_not_certainly_gain_is_no_escalation(
    tmp_path: Path,
    user_statements: tuple[str, ...],
    group_statements: tuple[str, ...],
    groups: str,
    user_extra: str,
) -> None:
    code = group_and_user(user_statements, group_statements, groups, user_extra)
    assert own_escalations(tmp_path, code) == []


_TF_GROUP = """\
resource "aws_iam_group" "devs" {
  name = "devs"
}

resource "aws_iam_user" "dev" {
  name = "dev"
}

resource "aws_iam_user_group_membership" "dev" {
  user   = aws_iam_user.dev.name
  groups = [aws_iam_group.devs.name]
}

resource "aws_iam_user_policy" "own" {
  user = aws_iam_user.dev.name
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "iam:PutGroupPolicy",
      Resource = aws_iam_group.devs.arn }]
  })
}

resource "aws_iam_group_policy" "grp" {
  group = aws_iam_group.devs.name
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "iam:AttachUserPolicy",
      Resource = aws_iam_user.dev.arn }]
  })
}
"""


def test_terraform_group_methods_on_the_user_s_group_and_its_member_s_own_user(
    tmp_path: Path,
) -> None:
    """aws_iam_user_group_membership makes the user a member: its own policy on its group's
    ARN, and the group's policy on its own ARN, each let it give itself any policy."""
    found = own_escalations(tmp_path, _TF_GROUP, "tf")
    assert [(line, message.split(", which")[0]) for line, message, _ in found] == [
        (
            line_of(_TF_GROUP, '"iam:PutGroupPolicy"'),
            "Inline policy aws_iam_user_policy.own allows iam:PutGroupPolicy on its group "
            f"'{_GROUP_ARN}'",
        ),
        (
            line_of(_TF_GROUP, '"iam:AttachUserPolicy"'),
            "Inline policy aws_iam_group_policy.grp allows iam:AttachUserPolicy on its member's "
            f"own user '{_DEV_ARN}'",
        ),
    ]
    # aws_iam_group_membership says the same from the group's side.
    other = tmp_path / "membership"
    other.mkdir()
    code = _TF_GROUP.replace(
        """resource "aws_iam_user_group_membership" "dev" {
  user   = aws_iam_user.dev.name
  groups = [aws_iam_group.devs.name]
}""",
        """resource "aws_iam_group_membership" "devs" {
  name  = "devs"
  group = aws_iam_group.devs.name
  users = [aws_iam_user.dev.name]
}""",
    )
    assert [line for line, _, _ in own_escalations(other, code, "tf")] == [
        line_of(code, '"iam:PutGroupPolicy"'),
        line_of(code, '"iam:AttachUserPolicy"'),
    ]


def test_an_account_export_s_group_methods_on_its_member_and_itself(tmp_path: Path) -> None:
    """An export lists a user's groups (GroupList) and each group's inline policies."""
    export = {
        "UserDetailList": [
            {
                "UserName": "dev",
                "Path": "/",
                "Arn": "arn:aws:iam::123456789012:user/dev",
                "GroupList": ["devs"],
                "UserPolicyList": [],
                "AttachedManagedPolicies": [],
            }
        ],
        "GroupDetailList": [
            {
                "GroupName": "devs",
                "Path": "/",
                "Arn": "arn:aws:iam::123456789012:group/devs",
                "GroupPolicyList": [
                    {
                        "PolicyName": "grp",
                        "PolicyDocument": {
                            "Version": "2012-10-17",
                            "Statement": [
                                {
                                    "Effect": "Allow",
                                    "Action": "iam:PutUserPolicy",
                                    "Resource": "arn:aws:iam::123456789012:user/dev",
                                },
                                {
                                    "Effect": "Allow",
                                    "Action": "iam:AttachGroupPolicy",
                                    "Resource": "arn:aws:iam::123456789012:group/devs",
                                },
                            ],
                        },
                    }
                ],
                "AttachedManagedPolicies": [],
            }
        ],
        "RoleDetailList": [],
        "Policies": [],
    }
    code = json.dumps(export, indent=2)
    found = own_escalations(tmp_path, code, "json")
    said = [(line, message.split(" allows ")[1].split(", which")[0]) for line, message, _ in found]
    assert said == [
        (
            line_of(code, '"iam:PutUserPolicy"'),
            "iam:PutUserPolicy on its member's own user 'arn:aws:iam::123456789012:user/dev'",
        ),
        (
            line_of(code, '"iam:AttachGroupPolicy"'),
            "iam:AttachGroupPolicy on its group 'arn:aws:iam::123456789012:group/devs'",
        ),
    ]
    # Not in the group: neither.
    export["UserDetailList"][0]["GroupList"] = []  # type: ignore[index]
    other = tmp_path / "alone"
    other.mkdir()
    assert own_escalations(other, json.dumps(export, indent=2), "json") == []


# --- a user changing itself through its groups, under a boundary or by ${aws:username} ------------

_ADMIN_BOUNDARY = "      PermissionsBoundary: arn:aws:iam::aws:policy/AdministratorAccess\n"
_CAPPED_BY_ADMIN = (
    "that AWS managed policy AdministratorAccess as permissions boundary of user Dev allows "
    "(administrator access): privilege escalation (AWS managed policy AdministratorAccess as "
    "permissions boundary of user Dev allows it)"
)


@pytest.mark.parametrize(
    ("user_statements", "group_statements", "said"),
    [
        (
            (_GROUP_WRITE,),
            (),
            "Inline policy 'own' of user Dev allows iam:PutGroupPolicy on its group "
            f"'{_GROUP_ARN}'",
        ),
        (
            (),
            (_GROUP_WRITE,),
            "Inline policy 'grp' of group Devs allows iam:PutGroupPolicy on its group "
            f"'{_GROUP_ARN}'",
        ),
        (
            (),
            (_allow("iam:PutUserPolicy", _DEV_ARN),),
            "Inline policy 'grp' of group Devs allows iam:PutUserPolicy on its member's own user "
            f"'{_DEV_ARN}'",
        ),
    ],
)
def test_a_group_method_under_a_boundary_that_does_not_cap_gets_what_it_allows(
    tmp_path: Path, user_statements: tuple[str, ...], group_statements: tuple[str, ...], said: str
) -> None:
    """The group kind meets the boundary rule: the member's boundary is judged as for a role's
    own ARN (:func:`_gains_by_itself`), so a boundary the scan reads caps only if it caps.
    AdministratorAccess does not, and the finding says what it lets the user write itself,
    through the group's policy as through its own."""
    code = group_and_user(user_statements, group_statements, "[!Ref Devs]", _ADMIN_BOUNDARY)
    [(_, message, _)] = own_escalations(tmp_path, code)
    assert message == f"{said}, which lets it write itself any policy {_CAPPED_BY_ADMIN}"


def test_a_group_method_under_a_guard_rail_boundary_says_what_it_lets_through(
    tmp_path: Path,
) -> None:
    """``Allow *`` but a Deny of lifting the boundary: no cap for a user writing its group's
    policy, and the message names what the boundary takes away."""
    code = group_and_user((_GROUP_WRITE,), (), "[!Ref Devs]", _BOUNDED).replace(
        "          - Effect: Allow\n"
        "            Action: [s3:GetObject, iam:PutGroupPolicy, iam:AttachGroupPolicy]\n"
        f"            Resource: !Sub {_GROUP_ARN}\n",
        "          - {Effect: Allow, Action: '*', Resource: '*'}\n"
        "          - {Effect: Deny, Action: iam:DeleteUserPermissionsBoundary, Resource: '*'}\n",
    )
    assert "iam:DeleteUserPermissionsBoundary, Resource" in code
    [(_, message, _)] = own_escalations(tmp_path, code)
    assert message == (
        "Inline policy 'own' of user Dev allows iam:PutGroupPolicy on its group "
        f"'{_GROUP_ARN}', which lets it write itself any policy that permissions boundary BP of "
        "user Dev allows (every action except iam:DeleteUserPermissionsBoundary): privilege "
        "escalation (permissions boundary BP of user Dev allows it)"
    )


@pytest.mark.parametrize("group_policy", [False, True])
def test_a_boundary_only_some_deployments_have_does_not_cap_a_group_method(
    tmp_path: Path, group_policy: bool
) -> None:
    """BP caps a user writing its group's policy (it allows the group methods on devs, and
    writing itself again gives nothing more); given only where a condition holds, it caps
    nothing, and the finding reads as for a user without one."""
    own, grp = ((), (_GROUP_WRITE,)) if group_policy else ((_GROUP_WRITE,), ())
    optional = "      PermissionsBoundary: !If [Yes, !Ref BP, !Ref AWS::NoValue]\n"
    assert own_escalations(tmp_path, group_and_user(own, grp, "[!Ref Devs]", _BOUNDED)) == []
    folder = tmp_path / "optional"
    folder.mkdir()
    [(_, message, _)] = own_escalations(folder, group_and_user(own, grp, "[!Ref Devs]", optional))
    policy = (
        "Inline policy 'grp' of group Devs" if group_policy else "Inline policy 'own' of user Dev"
    )
    assert message == (
        f"{policy} allows iam:PutGroupPolicy on its group '{_GROUP_ARN}', which lets it write "
        "itself any policy: privilege escalation"
    )


# AWS's "manage your own user" pattern as a group's policy (IAM User Guide, policy variables):
# every member may write its own user's policy.  Alice and Bob are members; Erin is one at
# /team/ (user/${aws:username} is user/erin, not her user/team/erin); Carol is one only where
# a condition holds; Dave is in no group.
_SELF_SERVICE_GROUP = """\
Conditions:
  Yes: !Equals [!Ref AWS::Region, us-east-1]
Resources:
  Users:
    Type: AWS::IAM::Group
    Properties:
      GroupName: users
      Policies:
        - PolicyName: manage-own-user
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: [iam:GetUser, iam:PutUserPolicy]
                Resource: !Sub 'arn:aws:iam::${AWS::AccountId}:user/${!aws:username}'
  Alice:
    Type: AWS::IAM::User
    Properties:
      UserName: alice
      Groups: [!Ref Users]
  Bob:
    Type: AWS::IAM::User
    Properties:
      UserName: bob
BOB_BOUNDARY      Groups: [!Ref Users]
  Erin:
    Type: AWS::IAM::User
    Properties:
      UserName: erin
      Path: /team/
      Groups: [!Ref Users]
  Carol:
    Type: AWS::IAM::User
    Properties:
      UserName: carol
      Groups: [!If [Yes, !Ref Users, !Ref AWS::NoValue]]
  Dave:
    Type: AWS::IAM::User
    Properties:
      UserName: dave
  Narrow:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Action: ["s3:*", "logs:*"], Resource: "*"}
"""
_USERNAME = "arn:aws:iam::${AWS::AccountId}:user/${aws:username}"
_ALICE = "arn:aws:iam::${AWS::AccountId}:user/alice"
_BOB = "arn:aws:iam::${AWS::AccountId}:user/bob"


def test_a_group_policy_on_user_aws_username_names_each_member(tmp_path: Path) -> None:
    """A group's policy is judged for its members, and each member reads ``${aws:username}``
    as its own name: the group policy AWS documents for "manage your own user" lets each
    member write itself any policy, and RL206 names each one certainly in the group whose
    user ARN it names."""
    code = _SELF_SERVICE_GROUP.replace("BOB_BOUNDARY", "")
    [(line, message, role)] = own_escalations(tmp_path, code)
    assert line == line_of(code, "Action: [iam:GetUser, iam:PutUserPolicy]")
    assert role == ""  # users only
    assert message == (
        "Inline policy 'manage-own-user' of group Users allows iam:PutUserPolicy on "
        f"'{_USERNAME}' (its members' own users '{_ALICE}', '{_BOB}' among them), which lets it "
        "write itself any policy: privilege escalation"
    )


def test_a_group_policy_on_user_aws_username_follows_each_member_s_boundary(
    tmp_path: Path,
) -> None:
    """Each member is judged under its own boundary: one that caps drops that member (Bob under
    s3:* and logs:*); one that does not (AdministratorAccess) keeps it, and the message says
    what that boundary lets it write, for it alone, beside the member without a boundary."""
    capped = _SELF_SERVICE_GROUP.replace("BOB_BOUNDARY", "      PermissionsBoundary: !Ref Narrow\n")
    [(_, message, _)] = own_escalations(tmp_path, capped)
    assert message == (
        "Inline policy 'manage-own-user' of group Users allows iam:PutUserPolicy on "
        f"'{_USERNAME}' (its member's own user '{_ALICE}' among them), which lets it write itself "
        "any policy: privilege escalation"
    )
    folder = tmp_path / "admin"
    folder.mkdir()
    uncapped = _SELF_SERVICE_GROUP.replace("BOB_BOUNDARY", _ADMIN_BOUNDARY)
    [(_, message, _)] = own_escalations(folder, uncapped)
    assert message == (
        "Inline policy 'manage-own-user' of group Users allows 'iam:PutUserPolicy', which grants "
        f"iam:PutUserPolicy (write itself any policy) on '{_USERNAME}' (its member's own user "
        f"'{_ALICE}' among them); and iam:PutUserPolicy (write itself any policy that AWS "
        "managed policy AdministratorAccess as permissions boundary of user Bob allows "
        f"(administrator access)) on '{_USERNAME}' (its member's own user '{_BOB}' among them): "
        "privilege escalation (AWS managed policy AdministratorAccess as permissions boundary of "
        "user Bob allows it)"
    )


def test_a_terraform_group_policy_on_user_aws_username_names_its_member(tmp_path: Path) -> None:
    code = """\
resource "aws_iam_group" "users" {
  name = "users"
}

resource "aws_iam_user" "dev" {
  name = "dev"
}

resource "aws_iam_user" "outsider" {
  name = "outsider"
}

resource "aws_iam_group_membership" "users" {
  name  = "users"
  group = aws_iam_group.users.name
  users = [aws_iam_user.dev.name]
}

resource "aws_iam_group_policy" "self" {
  group = aws_iam_group.users.name
  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow",
    Action = "iam:AttachUserPolicy", Resource = "arn:aws:iam::*:user/$${aws:username}" }] })
}
"""
    [(_, message, _)] = own_escalations(tmp_path, code, "tf")
    assert message == (
        "Inline policy aws_iam_group_policy.self allows iam:AttachUserPolicy on "
        "'arn:aws:iam::*:user/${aws:username}' (its member's own user "
        f"'{_DEV_ARN}' among them), which lets it attach itself any managed policy: privilege "
        "escalation"
    )


# --- what its boundary lets it write, in each form of the message ---------------------------------


def test_what_its_boundary_lets_it_write_is_said_in_a_list_of_methods(tmp_path: Path) -> None:
    """The boundary's words follow the method they qualify when the entry grants several."""
    code = self_role("'iam:Put*'", f"!Sub {_OWN_ARN}", extra=_ADMIN_BOUNDARY)
    [(_, message, _)] = own_escalations(tmp_path, code)
    admin = "AWS managed policy AdministratorAccess as permissions boundary of role SelfRole"
    assert message == (
        "Inline policy 'self' of role SelfRole allows 'iam:Put*' on its own role "
        f"'{_OWN_ARN}', which grants iam:PutRolePolicy (write itself any policy that {admin} "
        "allows (administrator access)) and iam:PutRolePermissionsBoundary (replace its own "
        f"permissions boundary with one that allows more); so {admin} does not cap it: "
        f"privilege escalation ({admin} allows it)"
    )


@pytest.mark.parametrize(
    ("condition", "described"),
    [
        (
            "{ArnEquals: {iam:PolicyARN: arn:aws:iam::aws:policy/AdministratorAccess}}",
            "attach itself the managed policies its iam:PolicyARN condition admits "
            "('arn:aws:iam::aws:policy/AdministratorAccess'; AdministratorAccess with "
            "administrator-level access)",
        ),
        (
            "{StringLike: {iam:PermissionsBoundary: 'arn:aws:iam::*:policy/*'}}",
            "write itself any policy while its permissions boundary is one its "
            "iam:PermissionsBoundary condition admits ('arn:aws:iam::*:policy/*')",
        ),
    ],
)
def test_what_its_boundary_lets_it_write_follows_the_statement_s_own_limit(
    tmp_path: Path, condition: str, described: str
) -> None:
    """Under the statement's iam:PolicyARN or iam:PermissionsBoundary test the method's words
    are no longer "... any policy", and the boundary's follow them: ", up to what ..."."""
    action = "iam:AttachRolePolicy" if "PolicyARN" in condition else "iam:PutRolePolicy"
    code = self_role(action, f"!Sub {_OWN_ARN}", extra=_ADMIN_BOUNDARY).replace(
        "                Resource: !Sub",
        f"                Condition: {condition}\n                Resource: !Sub",
    )
    [(_, message, _)] = own_escalations(tmp_path, code)
    admin = "AWS managed policy AdministratorAccess as permissions boundary of role SelfRole"
    assert message == (
        f"Inline policy 'self' of role SelfRole allows {action} on its own role '{_OWN_ARN}', "
        f"which lets it {described}, up to what {admin} allows (administrator access): "
        f"privilege escalation ({admin} allows it)"
    )


# --- iam:PassRole on one named role the scan holds ------------------------------------------------


def passing(
    pass_resource: str,
    *,
    launch: str = "cloudformation:CreateStack",
    service: str = "cloudformation.amazonaws.com",
    deploy_access: str = "ManagedPolicyArns: [arn:aws:iam::aws:policy/AdministratorAccess]",
    condition: str = "",
    extra: str = "",
    launch_condition: str = "",
) -> str:
    """A CI role allowed iam:PassRole on ``pass_resource`` and ``launch`` on every resource
    (under ``launch_condition``), beside the deploy role it names, which trusts ``service``."""
    return f"""\
Resources:
  DeployRole:
    Type: AWS::IAM::Role
    Properties:
      RoleName: deploy
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {{Effect: Allow, Principal: {{Service: {service}}}, Action: sts:AssumeRole}}
      {deploy_access}
  CiRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {{Effect: Allow, Principal: {{Service: codebuild.amazonaws.com}},
              Action: sts:AssumeRole}}
      Policies:
        - PolicyName: ci
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: iam:PassRole
                Resource: {pass_resource}{condition}
              - Effect: Allow
                Action: {launch}
                Resource: "*"{launch_condition}
{extra}"""


_DEPLOY_ARN = "arn:aws:iam::${AWS::AccountId}:role/deploy"


def test_pass_role_on_a_named_admin_role_a_stack_runs_as_is_an_escalation(
    tmp_path: Path,
) -> None:
    """The commonest pipeline escalation: iam:PassRole on one admin role that trusts
    CloudFormation, and cloudformation:CreateStack, was silent (RL203 alone)."""
    code = passing("!GetAtt DeployRole.Arn")
    [(line, message)] = escalations(tmp_path, code)
    assert line == line_of(code, "Resource: !GetAtt DeployRole.Arn")
    assert message == (
        f"Inline policy 'ci' of role CiRole allows iam:PassRole on '{_DEPLOY_ARN}', which lets "
        "the holder pass role DeployRole (administrator access) to a CloudFormation stack "
        "(cloudformation:CreateStack), which inline policy 'ci' of role CiRole "
        f"(line {line_of(code, 'cloudformation:Create')}) allows, and act with its permissions "
        "(DeployRole has '*' on '*' in AWS managed policy AdministratorAccess (v1, edited "
        "2015-02-06) attached to role DeployRole): privilege escalation"
    )
    report = lint_paths([str(tmp_path / "template.yaml")])
    [finding] = [f for f in report.findings if f.rule_id == "RL206"]
    assert finding.severity.value == "high"
    assert finding.role == "CiRole"


@pytest.mark.parametrize(
    "resource",
    [
        "!Sub arn:${AWS::Partition}:iam::${AWS::AccountId}:role/deploy",
        "!Sub arn:aws:iam::${AWS::AccountId}:role/deploy*",
    ],
)
def test_a_role_with_action_star_is_named_by_its_arn_or_a_pattern(
    tmp_path: Path, resource: str
) -> None:
    inline = (
        "Policies:\n        - PolicyName: all\n          PolicyDocument:\n"
        '            Version: "2012-10-17"\n'
        '            Statement: [{Effect: Allow, Action: "*", Resource: "*"}]'
    )
    code = passing(resource, deploy_access=inline)
    [(line, message)] = escalations(tmp_path, code)
    assert line == line_of(code, f"Resource: {resource}")
    assert "pass role DeployRole (administrator access) to a CloudFormation stack" in message
    assert "DeployRole has '*' on '*' in inline policy 'all' of role DeployRole" in message


def test_a_role_that_can_escalate_itself_counts_as_administrator(tmp_path: Path) -> None:
    inline = (
        "Policies:\n        - PolicyName: iam\n          PolicyDocument:\n"
        '            Version: "2012-10-17"\n'
        '            Statement: [{Effect: Allow, Action: iam:PutRolePolicy, Resource: "*"}]'
    )
    code = passing("!GetAtt DeployRole.Arn", deploy_access=inline)
    # The deploy role's own iam:PutRolePolicy on '*' is reported too.
    [(line, message)] = [(ln, m) for ln, m in escalations(tmp_path, code) if "CiRole allows" in m]
    assert line == line_of(code, "Resource: !GetAtt DeployRole.Arn")
    assert "pass role DeployRole (a privilege escalation of its own)" in message


def test_each_role_a_pattern_names_is_judged(tmp_path: Path) -> None:
    """``role/deploy-*`` names an admin role and a read-only one: only the first is passed."""
    other = """\
  DeployReader:
    Type: AWS::IAM::Role
    Properties:
      RoleName: deploy-reader
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Principal: {Service: cloudformation.amazonaws.com},
              Action: sts:AssumeRole}
      ManagedPolicyArns: [arn:aws:iam::aws:policy/ReadOnlyAccess]
  DeployAdmin:
    Type: AWS::IAM::Role
    Properties:
      RoleName: deploy-admin
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Principal: {Service: cloudformation.amazonaws.com},
              Action: sts:AssumeRole}
      ManagedPolicyArns: [arn:aws:iam::aws:policy/AdministratorAccess]
"""
    code = passing("!Sub arn:aws:iam::${AWS::AccountId}:role/deploy-*", extra=other)
    [(line, message)] = escalations(tmp_path, code)
    assert line == line_of(code, "role/deploy-*")
    assert "pass role DeployAdmin (administrator access)" in message


def test_pass_role_on_a_named_admin_role_in_terraform(tmp_path: Path) -> None:
    code = """\
resource "aws_iam_role" "deploy" {
  name = "deploy"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow",
    Action = "sts:AssumeRole", Principal = { Service = "cloudformation.amazonaws.com" } }] })
}
resource "aws_iam_role_policy_attachment" "deploy" {
  role       = aws_iam_role.deploy.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}
resource "aws_iam_role" "ci" {
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow",
    Action = "sts:AssumeRole", Principal = { Service = "codebuild.amazonaws.com" } }] })
}
resource "aws_iam_role_policy" "ci" {
  role   = aws_iam_role.ci.id
  policy = jsonencode({ Version = "2012-10-17", Statement = [
    { Effect = "Allow", Action = "iam:PassRole",
      Resource = aws_iam_role.deploy.arn },
    { Effect = "Allow", Action = "cloudformation:CreateStack", Resource = "*" },
  ] })
}
"""
    [(line, message)] = escalations(tmp_path, code, "tf")
    assert line == line_of(code, "Resource = aws_iam_role.deploy.arn")
    assert message.startswith(
        f"Inline policy aws_iam_role_policy.ci allows iam:PassRole on '{_DEPLOY_ARN}', which "
        "lets the holder pass role aws_iam_role.deploy (administrator access) to a "
        "CloudFormation stack (cloudformation:CreateStack), which inline policy "
        f"aws_iam_role_policy.ci (line {line_of(code, 'cloudformation:CreateStack')}) allows, "
        "and act with its permissions"
    )


def test_a_literal_arn_names_a_role_of_that_account(tmp_path: Path) -> None:
    """A literal ARN names a role of an account export in that account; a template's own
    roles are in an account it does not name (``${AWS::AccountId}``): not known to be the one,
    as for sts:AssumeRole."""
    literal = "arn:aws:iam::111122223333:role/deploy"
    template_code = passing(literal).replace("      RoleName: deploy\n", "      RoleName: other\n")
    (tmp_path / "ci.yaml").write_text(template_code)
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "cloudformation.amazonaws.com"},
                "Action": "sts:AssumeRole",
            }
        ],
    }
    role = {
        "Path": "/",
        "RoleName": "deploy",
        "RoleId": "AROAEXAMPLEDEPLOY0001",
        "Arn": literal,
        "CreateDate": "2024-01-08T08:30:00+00:00",
        "AssumeRolePolicyDocument": trust,
        "InstanceProfileList": [],
        "RolePolicyList": [],
        "AttachedManagedPolicies": [
            {
                "PolicyName": "AdministratorAccess",
                "PolicyArn": "arn:aws:iam::aws:policy/AdministratorAccess",
            }
        ],
        "Tags": [],
    }
    export = {
        "UserDetailList": [],
        "GroupDetailList": [],
        "RoleDetailList": [role],
        "Policies": [],
    }
    (tmp_path / "account.json").write_text(json.dumps(export, indent=2))
    report = lint_paths([str(tmp_path)])
    assert report.errors == []
    [finding] = [
        f for f in report.findings if f.rule_id == "RL206" and f.location.file.endswith("ci.yaml")
    ]
    assert finding.location.line == line_of(template_code, f"Resource: {literal}")
    deploy = f"{tmp_path / 'account.json'}#deploy"
    assert f"pass role {deploy} (administrator access) to a CloudFormation stack" in (
        finding.message
    )
    # The template's own role named deploy is in an account it does not name.
    alone = tmp_path / "alone"
    alone.mkdir()
    assert escalations(alone, passing(literal)) == []


@pytest.mark.parametrize(
    "case",
    ["not admin", "trusts only ec2", "unresolved arn", "passed to ec2 only", "itself"],
)
def test_pass_role_on_a_named_role_is_silent_when_it_gives_nothing(
    tmp_path: Path, case: str
) -> None:
    if case == "not admin":
        code = passing(
            "!GetAtt DeployRole.Arn",
            deploy_access="ManagedPolicyArns: [arn:aws:iam::aws:policy/ReadOnlyAccess]",
        )
    elif case == "trusts only ec2":  # the holder can create stacks, not launch instances
        code = passing("!GetAtt DeployRole.Arn", service="ec2.amazonaws.com")
    elif case == "unresolved arn":  # a parameter without default names no role rolelint knows
        code = "Parameters:\n  Target: {Type: String}\n" + passing("!Ref Target")
    elif case == "passed to ec2 only":
        code = passing(
            "!GetAtt DeployRole.Arn",
            condition=(
                "\n                Condition: "
                "{StringEquals: {iam:PassedToService: ec2.amazonaws.com}}"
            ),
        )
    else:  # the deploy role passing itself gains nothing
        code = passing("!GetAtt DeployRole.Arn").replace(
            "  CiRole:",
            "  CiPolicy:\n    Type: AWS::IAM::Policy\n    Properties:\n"
            "      PolicyName: ci\n      Roles: [!Ref DeployRole]\n      PolicyDocument:\n"
            '        Version: "2012-10-17"\n        Statement:\n'
            "          - {Effect: Allow, Action: iam:PassRole, Resource: !GetAtt DeployRole.Arn}\n"
            "  CiRole:",
        )
        (tmp_path / "template.yaml").write_text(code)
        report = lint_paths([str(tmp_path / "template.yaml")])
        assert not [f for f in report.findings if f.rule_id == "RL206" and "CiPolicy" in f.resource]
        return
    assert escalations(tmp_path, code) == []


def test_pass_role_on_a_named_role_limited_to_its_service_is_still_an_escalation(
    tmp_path: Path,
) -> None:
    code = passing(
        "!GetAtt DeployRole.Arn",
        condition=(
            "\n                Condition: "
            "{StringEquals: {iam:PassedToService: cloudformation.amazonaws.com}}"
        ),
    )
    [(line, message)] = escalations(tmp_path, code)
    assert line == line_of(code, "Resource: !GetAtt DeployRole.Arn")
    assert "pass role DeployRole (administrator access) to a CloudFormation stack" in message


def _launch_under(operator: str, key: str, value: str) -> str:
    """A Condition block for the launch statement of :func:`passing`."""
    indent = "\n" + " " * 16
    return f"{indent}Condition:{indent}  {operator}:{indent}    {key}: {value}"


_OTHER_ROLE = "!Sub arn:aws:iam::${AWS::AccountId}:role/deployer"
_WEB_PROFILE = "!Sub arn:aws:iam::${AWS::AccountId}:instance-profile/web"


@pytest.mark.parametrize(
    ("launch", "service", "operator", "key", "value"),
    [
        (
            "cloudformation:CreateStack",
            "cloudformation.amazonaws.com",
            "StringEquals",
            "cloudformation:RoleArn",
            _OTHER_ROLE,
        ),
        (
            "cloudformation:UpdateStack",
            "cloudformation.amazonaws.com",
            "ArnEquals",
            "cloudformation:RoleArn",
            _OTHER_ROLE,
        ),
        (
            "[cloudformation:CreateChangeSet, cloudformation:ExecuteChangeSet]",
            "cloudformation.amazonaws.com",
            "StringEquals",
            "cloudformation:RoleArn",
            _OTHER_ROLE,
        ),
        # The request passing the deploy role carries the key: IfExists tests it all the same.
        (
            "cloudformation:CreateStack",
            "cloudformation.amazonaws.com",
            "StringEqualsIfExists",
            "cloudformation:RoleArn",
            _OTHER_ROLE,
        ),
        # A value rolelint cannot read may be any role: not known to be the deploy role.
        (
            "cloudformation:CreateStack",
            "cloudformation.amazonaws.com",
            "StringEquals",
            "cloudformation:RoleArn",
            "!Ref Approved",
        ),
        # Under StringEquals a '*' is a character, which no role ARN holds.
        (
            "cloudformation:CreateStack",
            "cloudformation.amazonaws.com",
            "StringEquals",
            "cloudformation:RoleArn",
            "!Sub arn:aws:iam::${AWS::AccountId}:role/*",
        ),
        # The deploy role is in no instance profile the scan knows, let alone 'web'.
        (
            "ec2:RunInstances",
            "ec2.amazonaws.com",
            "ArnEquals",
            "ec2:InstanceProfile",
            _WEB_PROFILE,
        ),
    ],
)
def test_a_launch_limited_to_another_role_does_not_pass_the_named_one(
    tmp_path: Path, launch: str, service: str, operator: str, key: str, value: str
) -> None:
    """A pipeline may create stacks only with its approved service role (cloudformation:RoleArn)
    or launch instances only with one instance profile (ec2:InstanceProfile): a request
    passing the admin role fails that test, so iam:PassRole on it escalates nothing.  Was a
    HIGH RL206."""
    code = "Parameters:\n  Approved: {Type: String}\n" + passing(
        "!GetAtt DeployRole.Arn",
        launch=launch,
        service=service,
        launch_condition=_launch_under(operator, key, value),
    )
    assert escalations(tmp_path, code) == []


@pytest.mark.parametrize(
    ("operator", "value"),
    [
        ("StringEquals", "!GetAtt DeployRole.Arn"),
        ("ArnLike", "!Sub arn:aws:iam::${AWS::AccountId}:role/dep*"),
        (
            "StringEquals",
            "[!Sub 'arn:aws:iam::${AWS::AccountId}:role/deployer', !GetAtt DeployRole.Arn]",
        ),
    ],
)
def test_a_launch_limited_to_the_named_role_still_passes_it(
    tmp_path: Path, operator: str, value: str
) -> None:
    code = passing(
        "!GetAtt DeployRole.Arn",
        launch_condition=_launch_under(operator, "cloudformation:RoleArn", value),
    )
    [(line, message)] = escalations(tmp_path, code)
    assert line == line_of(code, "Resource: !GetAtt DeployRole.Arn")
    assert (
        "pass role DeployRole (administrator access) to a CloudFormation stack "
        "(cloudformation:CreateStack), which inline policy 'ci' of role CiRole "
        f"(line {line_of(code, 'cloudformation:Create')}) allows, and act with its permissions"
    ) in message


def test_a_launch_under_another_statement_s_limit_is_allowed_by_the_one_without(
    tmp_path: Path,
) -> None:
    """The limited statement passes another role; a second Allow of CreateStack on every
    resource, with no such test, still lets the holder pass the admin role."""
    extra = '              - {Effect: Allow, Action: cloudformation:CreateStack, Resource: "*"}\n'
    code = passing(
        "!GetAtt DeployRole.Arn",
        launch_condition=_launch_under("StringEquals", "cloudformation:RoleArn", _OTHER_ROLE),
    ).replace("{extra}", "")
    code = code.rstrip("\n") + "\n" + extra
    [(line, message)] = escalations(tmp_path, code)
    assert line == line_of(code, "Resource: !GetAtt DeployRole.Arn")
    allowed_at = line_of(code, "cloudformation:CreateStack", 2)
    where = f"which inline policy 'ci' of role CiRole (line {allowed_at}) allows"
    assert where in message


_TF_PROFILES = """\
resource "aws_iam_role" "deploy" {
  name = "deploy"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow",
    Action = "sts:AssumeRole", Principal = { Service = "ec2.amazonaws.com" } }] })
}
resource "aws_iam_role_policy_attachment" "deploy" {
  role       = aws_iam_role.deploy.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}
resource "aws_iam_instance_profile" "deploy" {
  name = "deploy-profile"
  role = aws_iam_role.deploy.name
}
resource "aws_iam_instance_profile" "web" {
  name = "web"
}
resource "aws_iam_role" "ci" {
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow",
    Action = "sts:AssumeRole", Principal = { Service = "codebuild.amazonaws.com" } }] })
}
resource "aws_iam_role_policy" "ci" {
  role   = aws_iam_role.ci.id
  policy = jsonencode({ Version = "2012-10-17", Statement = [
    { Effect = "Allow", Action = "iam:PassRole",
      Resource = aws_iam_role.deploy.arn },
    { Effect = "Allow", Action = "ec2:RunInstances", Resource = "*",
      Condition = { ArnEquals = { "ec2:InstanceProfile" = PROFILE } } },
  ] })
}
"""


@pytest.mark.parametrize(
    ("profile", "reported"),
    [
        ("aws_iam_instance_profile.deploy.arn", True),
        ("aws_iam_instance_profile.web.arn", False),
        ('"arn:aws:iam::${data.aws_caller_identity.me.account_id}:instance-profile/*"', True),
        ("var.profile_arn", False),
    ],
)
def test_an_instance_launch_passes_the_role_of_the_profile_it_is_limited_to(
    tmp_path: Path, profile: str, reported: bool
) -> None:
    """ec2:RunInstances under ``ec2:InstanceProfile`` launches only with the profiles it names:
    the admin role is passed only when one of them holds it (a value not known, a variable
    without default, names none)."""
    code = 'variable "profile_arn" {}\n' + _TF_PROFILES.replace("PROFILE", profile)
    found = escalations(tmp_path, code, "tf")
    if not reported:
        assert found == []
        return
    [(line, message)] = found
    assert line == line_of(code, "Resource = aws_iam_role.deploy.arn")
    assert "pass role aws_iam_role.deploy (administrator access) to a new EC2 instance" in message


@pytest.mark.parametrize("reverse", [False, True])
def test_a_role_named_twice_by_one_statement_is_reported_once(
    tmp_path: Path, reverse: bool
) -> None:
    """The deploy role by its ARN and by ``role/dep*`` in one statement is one escalation: one
    finding at the first resource naming it, with one fingerprint whichever comes first."""
    exact, pattern = "!GetAtt DeployRole.Arn", "!Sub arn:aws:iam::${AWS::AccountId}:role/dep*"
    first, second = (pattern, exact) if reverse else (exact, pattern)
    indent = "\n" + " " * 18
    code = passing(f"{indent}- {first}{indent}- {second}")
    [(line, message)] = escalations(tmp_path, code)
    assert line == line_of(code, f"- {first}")
    assert "pass role DeployRole (administrator access) to a CloudFormation stack" in message
    path = tmp_path / "template.yaml"
    other = passing(f"{indent}- {second}{indent}- {first}")
    fingerprints = []
    for text in (code, other):
        path.write_text(text)
        [finding] = [f for f in lint_paths([str(path)]).findings if f.rule_id == "RL206"]
        fingerprints.append(finding.fingerprint)
    assert fingerprints[0] == fingerprints[1]


_TAGGED = """\
Resources:
  Builder:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - {Effect: Allow, Principal: {Service: codebuild.amazonaws.com}, Action: sts:AssumeRole}
      Policies:
        - PolicyName: build
          PolicyDocument:
            Statement:
              - Effect: Allow
                Action: [iam:PassRole, iam:AttachRolePolicy, lambda:UpdateFunctionCode]
                Resource: "*"
CONDITION"""


@pytest.mark.parametrize("tagged", [True, False])
def test_what_an_entry_gives_beyond_tagged_resources_is_judged_in_one_place(
    tmp_path: Path, tagged: bool
) -> None:
    """escalations_given, which RL206, the graph's admin level and a holder writing itself a
    policy under its boundary read: under a mandatory test of the resource's tags, iam:PassRole
    passes only the roles so tagged and a service method takes over only the functions so
    tagged, so neither gives more; a method on any role's policies still does."""
    condition = "                Condition: {StringEquals: {aws:ResourceTag/team: ci}}\n"
    path = tmp_path / "t.yaml"
    path.write_text(_TAGGED.replace("CONDITION", condition if tagged else ""))
    inventory, report = read_inventory([str(path)])
    assert report.errors == []
    [role] = inventory.roles
    [document] = [d for d in role.policies if d.kind is PolicyKind.PERMISSIONS]
    grant = Grant(document, document.statements[0], (role,))

    def methods(found: list[tuple[str, Value, Effect]]) -> list[str]:
        return [method for method, _, _ in found]

    given = [escalations_given(grant, entry) for entry in action_entries(grant.statement)]
    assert [(methods(g.iam), methods(g.services)) for g in given] == [
        (["iam:PassRole"], []),
        (["iam:AttachRolePolicy"], []),
        ([], ["lambda:UpdateFunctionCode"]),
    ]
    untagged = [methods(g.untagged) for g in given]
    if tagged:
        assert untagged == [[], ["iam:AttachRolePolicy"], []]
    else:
        assert untagged == [
            ["iam:PassRole"],
            ["iam:AttachRolePolicy"],
            ["lambda:UpdateFunctionCode"],
        ]
    lambda_entry = action_entries(grant.statement)[2]
    assert escalations_given(grant, lambda_entry, services=False) == Given([], [], [])
    found = [f.message for f in lint_paths([str(path)]).findings if f.rule_id == "RL206"]
    assert ["iam:AttachRolePolicy" in message for message in found] == (
        [True] if tagged else [False, True, False]
    )


def test_each_resource_is_compared_with_the_holder_s_own_arn_once_per_grant(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """on_itself compared every resource with the holder's own ARN once per method of the
    same kind: an Action list naming iam:PutRolePolicy, iam:AttachRolePolicy and
    iam:DeleteRolePermissionsBoundary on 40 buckets asked the same 41 questions three times
    (a role of generated name, whose ARN holds a stand-in, is the walk that costs), and the
    graph and RL206 ask for each entry.  Each pair is now asked once per grant, and each
    method on the role's own ARN is still found (removing a boundary it has not gains
    nothing)."""
    from rolelint.checks import self_escalation

    buckets = [f"arn:aws:s3:::b{n}/*" for n in range(40)]
    methods = ["iam:PutRolePolicy", "iam:AttachRolePolicy", "iam:DeleteRolePermissionsBoundary"]
    own = {"Fn::GetAtt": "R.Arn"}
    statement = {"Effect": "Allow", "Action": methods, "Resource": [*buckets, own]}
    trust = {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}}
    trust["Action"] = "sts:AssumeRole"
    properties = {
        "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [trust]},
        "Policies": [{"PolicyName": "p", "PolicyDocument": {"Statement": [statement]}}],
    }
    path = tmp_path / "t.json"
    role = {"Type": "AWS::IAM::Role", "Properties": properties}
    path.write_text(json.dumps({"Resources": {"R": role}}))
    inventory, report = read_inventory([str(path)])
    assert report.errors == []
    [holder] = inventory.roles
    [document] = [d for d in holder.policies if d.kind is PolicyKind.PERMISSIONS]
    grant = Grant(document, document.statements[0], (holder,))
    arn = holder.arn.text
    assert arn is not None
    asked: list[str] = []  # the resources compared with the holder's ARN
    from rolelint.checks.stand_ins import arn_matches as compare

    def counted(pattern: str, arn: str) -> bool:
        asked.append(pattern)
        return compare(pattern, arn)

    monkeypatch.setattr(self_escalation, "arn_matches", counted)
    found = [
        (item.method, item.resource.text)
        for entry in action_entries(grant.statement)
        for item in self_escalation.on_itself(grant, entry)
    ]
    assert found == [("iam:PutRolePolicy", arn), ("iam:AttachRolePolicy", arn)]
    assert sorted(asked) == sorted([*buckets, arn])  # 125 before


_ATTACH_ADMIN = "arn:aws:iam::aws:policy/ADMINISTRATORACCESS"
_ATTACH_ANY = "arn:aws:iam::aws:policy/*"


def _attach_under(operator: str, key: str, value: str, action: str = "iam:AttachRolePolicy") -> str:
    """A policy (JSON) allowing ``action`` on every resource under ``operator`` on ``key``
    with ``value``."""
    statement = {
        "Effect": "Allow",
        "Action": action,
        "Resource": "*",
        "Condition": {operator: {key: value}},
    }
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]}, indent=2)


@pytest.mark.parametrize(
    ("operator", "value", "admin"),
    [
        # IgnoreCase admits AdministratorAccess however the ARN spells its name.
        ("StringEqualsIgnoreCase", _ATTACH_ADMIN, "AdministratorAccess"),
        # StringEquals and the Arn operators compare the name exactly: no policy AWS has.
        ("StringEquals", _ATTACH_ADMIN, ""),
        ("ArnEquals", _ATTACH_ADMIN, ""),
        # Under StringEquals and IgnoreCase a '*' is a character, which no policy's ARN holds.
        ("StringEquals", _ATTACH_ANY, ""),
        ("StringEqualsIgnoreCase", _ATTACH_ANY, ""),
        ("StringLike", _ATTACH_ANY, "pattern"),
        ("ArnLike", _ATTACH_ANY, "pattern"),
        # A Bool test compares no ARN: the policy's ARN is never its value.
        ("Bool", _ATTACH_ANY, ""),
    ],
)
def test_a_policy_arn_test_admits_the_policies_its_operator_compares_equal(
    tmp_path: Path, operator: str, value: str, admin: str
) -> None:
    """iam:AttachRolePolicy on every role under a test of iam:PolicyARN attaches what the
    test admits, compared as its operator compares: ``StringEqualsIgnoreCase`` naming
    ``policy/ADMINISTRATORACCESS`` admits AdministratorAccess (it was read case-sensitively,
    as no policy AWS has, and RL206 was silent), and ``StringEquals`` of ``policy/*`` admits
    no policy (its ``*`` was read as a wildcard, a HIGH RL206).  ``admin``: the
    administrator policy the message names, "pattern" for an open one, "" for no finding."""
    code = _attach_under(operator, "iam:PolicyARN", value)
    found = escalations(tmp_path, code, "json")
    if admin == "":
        assert found == []
        return
    [(line, message)] = found
    assert line == line_of(code, '"iam:AttachRolePolicy"')
    if admin == "pattern":
        assert f"its iam:PolicyARN condition admits ('{value}') to a role" in message
    else:
        assert f"('{value}'; {admin} with administrator-level access) to a role" in message


@pytest.mark.parametrize(
    ("operator", "reported"),
    [("StringEqualsIgnoreCase", True), ("StringEquals", False), ("ArnEquals", False)],
)
def test_a_permissions_boundary_test_compares_as_its_operator_does(
    tmp_path: Path, operator: str, reported: bool
) -> None:
    """The same reading for iam:PermissionsBoundary: setting as any role's boundary a policy
    named ``ADMINISTRATORACCESS`` in any case is setting AdministratorAccess."""
    code = _attach_under(
        operator, "iam:PermissionsBoundary", _ATTACH_ADMIN, "iam:PutRolePermissionsBoundary"
    )
    found = escalations(tmp_path, code, "json")
    assert [
        "AdministratorAccess with administrator-level access" in message for _, message in found
    ] == ([True] if reported else [])


_SCANNED_ADMIN = """\
Resources:
  AdminPolicy:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      ManagedPolicyName: Everything
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Action: "*", Resource: "*"}
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
                  OPERATOR:
                    iam:PolicyARN: !Sub "arn:aws:iam::${AWS::AccountId}:policy/everything"
"""


@pytest.mark.parametrize(
    ("operator", "reported"), [("StringEqualsIgnoreCase", True), ("ArnEquals", False)]
)
def test_an_ignore_case_policy_arn_test_names_a_customer_policy_of_the_scan(
    tmp_path: Path, operator: str, reported: bool
) -> None:
    """``policy/everything`` under IgnoreCase names the scan's policy ``Everything``, which
    grants '*': attaching it is an escalation; ArnEquals names no policy of the scan."""
    code = _SCANNED_ADMIN.replace("OPERATOR", operator)
    found = escalations(tmp_path, code)
    assert [
        "AWS::IAM::ManagedPolicy AdminPolicy with administrator-level access" in message
        for _, message in found
    ] == ([True] if reported else [])
