"""Permissions boundaries cap what a role's policies grant: a capped grant is not reported."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from rolelint.api import lint_paths
from rolelint.findings import Finding
from tests.conftest import FIXTURES
from tests.parsers.test_tf_plan import change, plan_text, policy_text, resource
from tests.rules.harness import exported_role, findings_of, line_of

BOUNDARIES = FIXTURES / "parsers" / "boundaries"


def pairs(findings: list[Finding]) -> set[tuple[str, int]]:
    return {(f.rule_id, f.location.line) for f in findings}


def rule_ids(path: Path) -> list[str]:
    report = lint_paths([str(path)])
    assert report.errors == []
    return sorted(f.rule_id for f in report.findings)


def test_cloudformation_boundary_caps_admin_and_escalation() -> None:
    # AdministratorAccess and iam:PassRole on *, under a boundary allowing only s3:GetObject on
    # *: what is left is reading every object (RL208), no admin access, no escalation.
    assert rule_ids(BOUNDARIES / "capped.yaml") == ["RL208"]


def test_terraform_boundary_from_the_module_and_from_aws() -> None:
    # A module policy as boundary (s3:GetObject on * is what is left: RL208), and
    # IAMReadOnlyAccess capping iam:* on *.
    assert rule_ids(BOUNDARIES / "terraform") == ["RL208"]


@pytest.mark.parametrize(
    ("boundary", "expected"),
    [
        ('{Effect: Allow, Action: "*", Resource: "*"}', ["RL201"]),  # caps nothing
        # What is left is every S3 action, writes and every object among them.
        ('{Effect: Allow, Action: "s3:*", Resource: "*"}', ["RL202", "RL203", "RL208"]),
        # Everything but IAM: no longer admin, but every other action (RL202), sts:AssumeRole
        # on * and the escalations outside IAM (ssm:SendCommand on * ...) are still allowed;
        # RL203 leaves '*' to RL206, which reports it.
        (
            '{Effect: Allow, NotAction: "iam:*", Resource: "*"}',
            ["RL202", "RL206", "RL207", "RL208"],
        ),
        ('{Effect: Allow, Action: !Ref Extra, Resource: "*"}', ["RL201"]),  # unknown: no cap
    ],
)
def test_what_a_boundary_caps(tmp_path: Path, boundary: str, expected: list[str]) -> None:
    template = (BOUNDARIES / "capped.yaml").read_text()
    template = template.replace(
        '          - Effect: Allow\n            Action: s3:GetObject\n            Resource: "*"',
        f"          - {boundary}",
    ).replace(
        '              - {Effect: Allow, Action: "iam:PassRole", Resource: "*"}',
        '              - {Effect: Allow, Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*"}',
    )
    path = tmp_path / "template.yaml"
    path.write_text("Parameters:\n  Extra:\n    Type: String\n" + template)
    assert rule_ids(path) == expected


def test_a_boundary_policy_is_not_checked_as_a_grant(tmp_path: Path) -> None:
    template = (
        (BOUNDARIES / "capped.yaml")
        .read_text()
        .replace(
            'Action: s3:GetObject\n            Resource: "*"',
            'Action: "*"\n            Resource: "*"',
        )
    )
    path = tmp_path / "template.yaml"
    path.write_text(template)
    # The boundary allows everything, so the role's admin access is real (RL201 and RL206 at the
    # role's lines), but the boundary itself grants nothing and is not reported.
    report = lint_paths([str(path)])
    assert {f.resource for f in report.findings} == {"Capped"}


def test_a_boundary_that_does_not_limit_the_grant_is_named(tmp_path: Path) -> None:
    template = (
        (BOUNDARIES / "capped.yaml")
        .read_text()
        .replace(
            'Action: s3:GetObject\n            Resource: "*"',
            'Action: "*"\n            Resource: "*"',
        )
    )
    path = tmp_path / "template.yaml"
    path.write_text(template)
    [admin] = [f for f in lint_paths([str(path)]).findings if f.rule_id == "RL201"]
    assert admin.message.endswith("(permissions boundary Boundary of role Capped allows it)")


UNREAD_BOUNDARIES_TERRAFORM = """\
data "aws_iam_policy" "boundary" {
  name = "org-workload-boundary"
}

resource "aws_iam_role" "app" {
  name                 = "app"
  permissions_boundary = data.aws_iam_policy.boundary.arn
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{
      Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" }
    }]
  })
}

resource "aws_iam_role_policy_attachment" "admin" {
  role       = aws_iam_role.app.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

resource "aws_iam_role" "ops" {
  name                 = "ops"
  permissions_boundary = "arn:aws:iam::111122223333:policy/org-boundary"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{
      Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" }
    }]
  })
}

resource "aws_iam_role_policy" "ops" {
  role = aws_iam_role.ops.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["iam:PassRole", "sts:AssumeRole"], Resource = "*" }]
  })
}
"""

UNREAD_BOUNDARIES_CLOUDFORMATION = """\
Parameters:
  BoundaryArn:
    Type: String
Resources:
  AppRole:
    Type: AWS::IAM::Role
    Properties:
      PermissionsBoundary: !Sub arn:aws:iam::${AWS::AccountId}:policy/OrgBoundary
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}
      ManagedPolicyArns:
        - arn:aws:iam::aws:policy/AdministratorAccess
  OpsRole:
    Type: AWS::IAM::Role
    Properties:
      PermissionsBoundary: !Ref BoundaryArn
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}
      Policies:
        - PolicyName: ops
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - {Effect: Allow, Action: ["iam:PassRole", "sts:AssumeRole"], Resource: "*"}
"""


@pytest.mark.parametrize(
    ("code", "suffix", "admin_boundary", "ops_boundary"),
    [
        (
            UNREAD_BOUNDARIES_TERRAFORM,
            "tf",
            "is unresolved (data.aws_iam_policy.boundary.arn is read when Terraform runs)",
            "arn:aws:iam::111122223333:policy/org-boundary is not in the scanned files",
        ),
        (
            UNREAD_BOUNDARIES_CLOUDFORMATION,
            "yaml",
            "arn:aws:iam::${AWS::AccountId}:policy/OrgBoundary is not in the scanned files",
            "is unresolved (parameter BoundaryArn has no default)",
        ),
    ],
    ids=["terraform", "cloudformation"],
)
def test_a_boundary_rolelint_cannot_read_is_named_where_it_may_limit(
    tmp_path: Path, code: str, suffix: str, admin_boundary: str, ops_boundary: str
) -> None:
    """Hunt: a role whose permissions boundary is not in the scanned files (or not known
    statically) was "full administrator access" (RL201, critical) with no word of the
    boundary, though `rolelint show` says it is there and not readable.  The findings stay,
    at their severities (the boundary may allow everything), and say that it may limit them."""
    findings = findings_of(code, suffix, tmp_path)
    by_rule = {f.rule_id: f for f in findings}
    assert sorted(by_rule) == ["RL201", "RL206", "RL207"]
    admin = by_rule["RL201"]
    assert admin.severity.value == "critical"
    assert admin.location.line == line_of(code, "policy/AdministratorAccess")
    assert admin.message.endswith(
        f": full administrator access (its permissions boundary {admin_boundary} and may "
        "limit this)"
    )
    for rule_id in ("RL206", "RL207"):
        finding = by_rule[rule_id]
        assert finding.location.line == line_of(code, '"iam:PassRole"')
        assert f"(its permissions boundary {ops_boundary} and may limit this)" in finding.message
    assert by_rule["RL206"].severity.value == "high"
    assert by_rule["RL207"].severity.value == "high"


SHARED_WITH_AN_UNREAD_BOUNDARY = """\
Resources:
  Shared:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      Roles: [!Ref Bounded, !Ref Free]
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Action: "iam:PassRole", Resource: "*"}
  Bounded:
    Type: AWS::IAM::Role
    Properties:
      PermissionsBoundary: arn:aws:iam::111122223333:policy/org-boundary
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}
  Free:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}
  Dev:
    Type: AWS::IAM::User
    Properties:
      PermissionsBoundary: arn:aws:iam::111122223333:policy/user-boundary
      Policies:
        - PolicyName: p
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - {Effect: Allow, Action: "iam:PassRole", Resource: "*"}
"""


def test_a_boundary_not_read_is_said_only_for_its_own_holder(tmp_path: Path) -> None:
    """A policy held by a role without a boundary is an escalation for it for certain: the
    finding naming both roles does not say that a boundary may limit it.  A user's boundary
    not read is said as a role's is."""
    findings = findings_of(SHARED_WITH_AN_UNREAD_BOUNDARY, "yaml", tmp_path)
    by_resource = {f.resource: f for f in findings if f.rule_id == "RL206"}
    assert sorted(by_resource) == ["Dev", "Shared"]
    assert by_resource["Shared"].roles == ("Bounded", "Free")
    assert "may limit this" not in by_resource["Shared"].message
    assert by_resource["Dev"].message.endswith(
        "(its permissions boundary arn:aws:iam::111122223333:policy/user-boundary is not in the "
        "scanned files and may limit this)"
    )


@pytest.mark.parametrize(
    "lifting", ["iam:DeleteRolePermissionsBoundary", "iam:PutRolePermissionsBoundary"]
)
def test_a_boundary_that_lets_the_role_remove_or_replace_it_caps_nothing(
    tmp_path: Path, lifting: str
) -> None:
    """Hunt: AdministratorAccess under a boundary allowing s3:GetObject and the removal (or
    replacement) of a role's boundary on '*' was two medium findings, the role "limited to
    's3:GetObject'": one API call lifts the boundary and the role is an administrator."""
    template = (BOUNDARIES / "capped.yaml").read_text()
    template = template.replace(
        "Action: s3:GetObject\n", f'Action: ["s3:GetObject", "{lifting}"]\n'
    )
    path = tmp_path / "template.yaml"
    path.write_text(template)
    report = lint_paths([str(path)])
    [escalation] = [f for f in report.findings if f.rule_id == "RL206"]
    assert escalation.location.line == line_of(template, "policy/AdministratorAccess")
    assert escalation.severity.value == "high"
    assert f"which grants {lifting} (" in escalation.message
    assert "so permissions boundary Boundary of role Capped does not cap it" in escalation.message
    # RL206 reports '*' now: RL203's "limited to 's3:GetObject', ..." is gone.
    assert "RL203" not in {f.rule_id for f in report.findings}


BOUNDED_TO_S3_AND_LAMBDA = """\
Resources:
  DevBoundary:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      ManagedPolicyName: DevBoundary
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Action: ["s3:*", "{second}"]
            Resource: "*"
  AppRole:
    Type: AWS::IAM::Role
    Properties:
      PermissionsBoundary: !Sub arn:aws:iam::${{AWS::AccountId}}:policy/DevBoundary
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {{Effect: Allow, Principal: {{Service: lambda.amazonaws.com}}, Action: sts:AssumeRole}}
      ManagedPolicyArns:
        - arn:aws:iam::aws:policy/AdministratorAccess
"""


@pytest.mark.parametrize("second", ["lambda:*", "logs:*"])
def test_rl203_leaves_to_rl206_only_what_is_left_of_the_grant_that_escalates(
    tmp_path: Path, second: str
) -> None:
    """Hunt: AdministratorAccess under a boundary allowing s3:* and lambda:* got RL206 for
    lambda:UpdateFunctionCode, and no RL203: it left the whole written '*' to RL206, so the
    writes to every S3 bucket went unreported, though with logs:* in place of lambda:* they
    were.  Only what is left of '*' that escalates (lambda:*) is RL206's."""
    template = BOUNDED_TO_S3_AND_LAMBDA.format(second=second)
    findings = findings_of(template, "yaml", tmp_path)
    line = line_of(template, "policy/AdministratorAccess")
    [writes] = [f for f in findings if f.rule_id == "RL203"]
    assert writes.location.line == line
    assert writes.message.endswith(
        "on every resource ('*') (permissions boundary DevBoundary of role AppRole limits it "
        f"to 's3:*', '{second}')"
    )
    escalations = [f for f in findings if f.rule_id == "RL206"]
    if second == "logs:*":
        assert escalations == []
        assert "allows write actions '*' on every resource" in writes.message
        return
    [escalation] = escalations
    assert escalation.location.line == line
    assert "which grants lambda:UpdateFunctionCode" in escalation.message
    # The writes RL203 reports are named: S3's, none of Lambda's (RL206's).
    assert "allows write actions '*' (" in writes.message
    assert " write actions, among them s3:" in writes.message
    assert "lambda:" not in writes.message.split(" on every resource")[0]


BOUNDED_BY_TEMPLATE_POLICY = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Boundary:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Action: ["s3:*", "logs:*"], Resource: "arn:aws:s3:::reports/*"}
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: i.h
      CodeUri: .
      PermissionsBoundary: !Ref Boundary
      Policies:
        - Version: "2012-10-17"
          Statement:
            - {Effect: Allow, Action: ["iam:PassRole", "ec2:RunInstances"], Resource: "*"}
  Flow:
    Type: AWS::Serverless::StateMachine
    Properties:
      DefinitionUri: flow.json
      PermissionsBoundary: !GetAtt Boundary.PolicyArn
      Policies:
        - Version: "2012-10-17"
          Statement:
            - {Effect: Allow, Action: ["iam:PassRole", "ec2:RunInstances"], Resource: "*"}
  Dev:
    Type: AWS::IAM::User
    Properties:
      PermissionsBoundary: !Ref Boundary
      Policies:
        - PolicyName: p
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - {Effect: Allow, Action: ["iam:PassRole", "ec2:RunInstances"], Resource: "*"}
"""


def test_a_template_policy_bounding_a_function_or_user_is_a_boundary_not_a_grant(
    tmp_path: Path,
) -> None:
    """A ManagedPolicy named as the PermissionsBoundary of a SAM function (or state machine),
    or of a user, was judged as a policy standing alone (RL202, RL203 on its ``s3:*``): only
    a role's counted as a boundary.  And the role SAM generates did not get it as its
    boundary, so its own iam:PassRole on ``*`` was reported though the boundary allows no IAM
    action.  A boundary grants nothing; it caps what the holder's policies grant."""
    findings = findings_of(BOUNDED_BY_TEMPLATE_POLICY, "yaml", tmp_path)
    # Only the state machine's generated trust (no aws:SourceArn), which no boundary changes.
    assert pairs(findings) == {("RL110", line_of(BOUNDED_BY_TEMPLATE_POLICY, "  Flow:"))}


BOUNDED_BY_ARN = """\
Transform: AWS::Serverless-2016-10-31
Parameters:
  Env: {Type: String, Default: dev}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
  Boundary:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      ManagedPolicyName: dev-boundary
      Path: /b/
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Action: "*", Resource: "*"}
          - {Effect: Deny, Action: ["iam:*", "organizations:*", "account:*"], Resource: "*"}
  ProdBoundary:
    Type: AWS::IAM::ManagedPolicy
    Condition: IsProd
    Properties:
      ManagedPolicyName: prod-boundary
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Action: "*", Resource: "*"}  # prod boundary
  DevRole:
    Type: AWS::IAM::Role
    Properties:
      PermissionsBoundary: !Sub arn:${AWS::Partition}:iam::${AWS::AccountId}:policy/b/dev-boundary
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}
      Policies:
        - PolicyName: dev
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - {Effect: Allow, Action: "*", Resource: "*"}  # dev
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: i.h
      CodeUri: .
      PermissionsBoundary: !Sub arn:aws:iam::${AWS::AccountId}:policy/b/dev-boundary
      Policies:
        - Version: "2012-10-17"
          Statement:
            - {Effect: Allow, Action: "*", Resource: "*"}  # function
  Dev:
    Type: AWS::IAM::User
    Properties:
      PermissionsBoundary: !Join
        - ""
        - ["arn:aws:iam::", !Ref AWS::AccountId, ":policy/b/dev-boundary"]
      Policies:
        - PolicyName: p
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - {Effect: Allow, Action: "*", Resource: "*"}  # user
  OtherPath:
    Type: AWS::IAM::Role
    Properties:
      PermissionsBoundary: !Sub arn:aws:iam::${AWS::AccountId}:policy/dev-boundary
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}
      Policies:
        - PolicyName: other
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - {Effect: Allow, Action: "*", Resource: "*"}  # other path
  ProdRole:
    Type: AWS::IAM::Role
    Properties:
      PermissionsBoundary: !Sub arn:aws:iam::${AWS::AccountId}:policy/prod-boundary
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}
      Policies:
        - PolicyName: prod
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - {Effect: Allow, Action: "*", Resource: "*"}  # prod grant
"""


def test_a_template_policy_named_as_boundary_by_its_arn_caps_and_grants_nothing(
    tmp_path: Path,
) -> None:
    """Hunt: ``PermissionsBoundary: !Sub arn:${AWS::Partition}:iam::${AWS::AccountId}:policy/
    dev-boundary``, the template's own ManagedPolicy by name and path, was not linked to it
    (only Ref and Fn::GetAtt were): the role's ``*`` was full admin access (RL201) though the
    boundary denies iam:*, and the boundary was judged as a grant (RL202, RL206...).  By ARN
    it caps a role, a SAM function's role and a user as a Ref does.  Another path names
    another policy; and a policy under a Condition the holder does not share may be missing
    where the holder is deployed (a name is no dependency): no limit assumed there, and the
    policy grants nothing either."""
    code = BOUNDED_BY_ARN
    findings = findings_of(code, "yaml", tmp_path)
    capped = [
        (rule, line_of(code, f"# {marker}"))
        for marker in ("dev", "function", "user")
        for rule in ("RL202", "RL206", "RL207", "RL208")
    ]
    admin = [("RL201", line_of(code, "# other path")), ("RL201", line_of(code, "# prod grant"))]
    assert sorted(pairs(findings)) == sorted([*capped, *admin])
    for finding in findings:
        if finding.rule_id != "RL201":
            holder = f"{'user' if finding.resource == 'Dev' else 'role'} {finding.resource}"
            assert finding.message.endswith(f"permissions boundary Boundary of {holder} allows it)")


BOUNDARY_NAMED_BY_A_CONDITION = """\
Conditions:
  IsProd: !Equals [!Ref AWS::Region, us-east-1]
Resources:
  Boundary:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      ManagedPolicyName: !If [IsProd, cap, other]
      PolicyDocument:
        Version: "2012-10-17"
        Statement: [{Effect: Allow, Action: "s3:GetObject", Resource: "*"}]
  R:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Action: sts:AssumeRole, Principal: {Service: ec2.amazonaws.com}}
      PermissionsBoundary: !Sub arn:${AWS::Partition}:iam::${AWS::AccountId}:policy/cap
      ManagedPolicyArns: [arn:aws:iam::aws:policy/AdministratorAccess]  # admin
"""


def test_a_boundary_whose_name_a_condition_chooses_caps_no_deployment_for_certain(
    tmp_path: Path,
) -> None:
    """The policy is named ``cap`` only where IsProd holds: elsewhere the role's boundary ARN
    names no policy at all, and AdministratorAccess is full admin.  ManagedPolicyArns already
    took such a name as one of alternatives; the boundary read it as a cap everywhere, and
    RL201 was not reported."""
    code = BOUNDARY_NAMED_BY_A_CONDITION
    findings = findings_of(code, "yaml", tmp_path)
    assert ("RL201", line_of(code, "# admin")) in pairs(findings)


BOUNDARY_CHOSEN_BY_CONDITION = """\
Parameters:
  Strict: {Type: String, Default: "yes", AllowedValues: ["yes", "no"]}
Conditions:
  IsStrict: !Equals [!Ref Strict, "yes"]
Resources:
  Boundary:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Action: "*", Resource: "*"}
          - {Effect: Deny, Action: "iam:*", Resource: "*"}
  App:
    Type: AWS::IAM::Role
    Properties:
      PermissionsBoundary: !If [IsStrict, !Ref Boundary, !Ref AWS::NoValue]
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}
      Policies:
        - PolicyName: app
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - {Effect: Allow, Action: "iam:PassRole", Resource: "*"}  # app
  Managed:
    Type: AWS::IAM::Role
    Properties:
      PermissionsBoundary: !If
        - IsStrict
        - arn:aws:iam::aws:policy/AmazonS3FullAccess
        - !Ref AWS::NoValue
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}
      Policies:
        - PolicyName: managed
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - {Effect: Allow, Action: "iam:PassRole", Resource: "*"}  # managed
"""


def test_a_boundary_chosen_by_a_condition_is_no_grant_and_no_certain_limit(
    tmp_path: Path,
) -> None:
    """``PermissionsBoundary: !If [IsStrict, !Ref Boundary, !Ref AWS::NoValue]``: the template
    policy was judged as a grant (RL206, RL207 on its ``Allow *``), and an AWS managed policy
    chosen so was applied as the role's boundary in every deployment, hiding the role's
    iam:PassRole on ``*`` (RL206).  Where IsStrict is false the role has no boundary: its
    grants stand, and the boundary policy still grants nothing."""
    code = BOUNDARY_CHOSEN_BY_CONDITION
    findings = findings_of(code, "yaml", tmp_path)
    assert pairs(findings) == {
        ("RL206", line_of(code, "# app")),
        ("RL206", line_of(code, "# managed")),
    }


BOUNDARY_ON_FEWER_RESOURCES = """\
Resources:
  Boundary:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Action: ["s3:*", "lambda:*"], Resource: "*"}
          - Effect: Allow
            Action: [iam:PassRole, iam:PutRolePolicy, sts:AssumeRole]
            Resource: BOUNDED
  AppRole:
    Type: AWS::IAM::Role
    Properties:
      PermissionsBoundary: !Ref Boundary
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
                Action: [iam:PassRole, iam:PutRolePolicy, sts:AssumeRole]  # grant
                Resource: "*"  # on
"""


@pytest.mark.parametrize(
    ("bounded", "shown", "expected"),
    [
        # Every role of this account: iam:PassRole and iam:PutRolePolicy stay unscoped (RL206);
        # sts:AssumeRole is left on this account's roles only, which RL207 does not report.
        (
            '!Sub "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/*"',
            "arn:aws:iam::${AWS::AccountId}:role/*",
            {"RL206"},
        ),
        # Every role of every account: assuming any role too.
        ('"arn:aws:iam::*:role/*"', "arn:aws:iam::*:role/*", {"RL206", "RL207"}),
        # One named role: scoped, as if the grant were written on it.
        ('"arn:aws:iam::111122223333:role/app"', "", set()),
    ],
)
def test_a_boundary_on_fewer_resources_leaves_the_grant_on_the_overlap(
    tmp_path: Path, bounded: str, shown: str, expected: set[str]
) -> None:
    """Hunt: a boundary allowing iam:PassRole only on ``role/*`` took the policy's iam:PassRole
    on ``*`` away entirely (no RL206, no RL207), though IAM allows what the policy and the
    boundary both allow: PassRole on every role of the account, which RL206 calls unscoped
    when it is written so.  The findings stay at the grant's lines."""
    code = BOUNDARY_ON_FEWER_RESOURCES.replace("BOUNDED", bounded)
    findings = findings_of(code, "yaml", tmp_path)
    lines = {"RL206": line_of(code, "# grant"), "RL207": line_of(code, "# on")}
    escalations = 2 if "RL206" in expected else 0  # iam:PassRole and iam:PutRolePolicy
    assert sorted(pairs(findings)) == sorted((rule, lines[rule]) for rule in expected)
    assert len([f for f in findings if f.rule_id == "RL206"]) == escalations
    for finding in findings:
        assert finding.message.endswith(
            f"(permissions boundary Boundary of role AppRole allows it only on '{shown}')"
        )


@pytest.mark.parametrize("bounded", ["arn:aws:*:*:*:*", "arn:*"])
def test_a_boundary_on_every_arn_leaves_full_admin_access(tmp_path: Path, bounded: str) -> None:
    """Hunt: ``Allow * on *`` under a boundary allowing ``*`` on ``arn:aws:*:*:*:*`` (or
    ``arn:*``) was not RL201, though both are every resource, as they are for a grant."""
    code = (
        BOUNDARY_ON_FEWER_RESOURCES.replace("BOUNDED", f'"{bounded}"')
        .replace(
            "Action: [iam:PassRole, iam:PutRolePolicy, sts:AssumeRole]  # grant",
            'Action: "*"  # grant',
        )
        .replace("Action: [iam:PassRole, iam:PutRolePolicy, sts:AssumeRole]\n", 'Action: "*"\n')
    )
    findings = findings_of(code, "yaml", tmp_path)
    assert pairs(findings) == {("RL201", line_of(code, "# grant"))}
    [admin] = findings
    assert admin.message.endswith(f"allows it only on '{bounded}')")


BOUNDED_TERRAFORM = """\
resource "aws_iam_policy" "boundary" {
  name = "boundary"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["iam:PassRole", "sts:AssumeRole"]
      Resource = "arn:aws:iam::*:role/*"
    }]
  })
}
resource "aws_iam_role" "app" {
  name                 = "app"
  permissions_boundary = aws_iam_policy.boundary.arn
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "ec2.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}
resource "aws_iam_role_policy" "p" {
  role = aws_iam_role.app.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["iam:PassRole", "sts:AssumeRole"] # grant
      Resource = "*" # on
    }]
  })
}
"""


def test_a_terraform_boundary_on_every_role_leaves_passing_and_assuming_any(
    tmp_path: Path,
) -> None:
    code = BOUNDED_TERRAFORM
    findings = findings_of(code, "tf", tmp_path)
    assert pairs(findings) == {
        ("RL206", line_of(code, "# grant")),
        ("RL207", line_of(code, "# on")),
    }


BOUNDARY_WITH_NOT_RESOURCE = """\
Resources:
  Boundary:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Action: "*", NotResource: LISTED}
  AppRole:
    Type: AWS::IAM::Role
    Properties:
      PermissionsBoundary: !Ref Boundary
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
                Action: GRANTED  # grant
                Resource: "*"  # on
"""


@pytest.mark.parametrize(
    ("listed", "granted", "expected"),
    [
        # Every IAM resource left out: no administrator, the rest of '*' still allowed.
        (
            '["arn:aws:iam::*:*"]',
            '"*"',
            {("RL202", "# grant"), ("RL206", "# grant"), ("RL208", "# on")},
        ),
        # Every role left out: neither passing nor assuming one (sts:AssumeRole acts on roles).
        (
            '["arn:aws:iam::*:role/*"]',
            "[iam:PassRole, sts:AssumeRole, ec2:RunInstances]",
            {("RL203", "# on")},
        ),
        # Every bucket, object and access point left out: no S3 read or write at all.
        (
            '["arn:aws:s3:::*", "arn:aws:s3:*:*:accesspoint/*"]',
            "[s3:GetObject, s3:PutObject]",
            set(),
        ),
        # Every bucket and object, but not the objects reached through access points
        # (arn:aws:s3:REGION:ACCOUNT:accesspoint/NAME/object/KEY), as a Deny of them leaves.
        (
            '"arn:aws:s3:::*"',
            "[s3:GetObject, s3:PutObject]",
            {("RL203", "# on"), ("RL208", "# on")},
        ),
        # One bucket's objects left out: still every other object.
        (
            '"arn:aws:s3:::logs/*"',
            "[s3:GetObject, s3:PutObject]",
            {("RL203", "# on"), ("RL208", "# on")},
        ),
    ],
)
def test_a_boundary_with_not_resource_allows_nothing_on_what_it_lists(
    tmp_path: Path, listed: str, granted: str, expected: set[tuple[str, str]]
) -> None:
    """Hunt: a boundary statement with NotResource was taken to allow its actions everywhere,
    so ``*`` under a boundary allowing ``*`` on all but ``arn:aws:iam::*:*`` was RL201
    critical, and iam:PassRole under one leaving out every role RL206.  It allows nothing on
    what it lists: what it leaves out is judged as a Deny of those resources is."""
    code = BOUNDARY_WITH_NOT_RESOURCE.replace("LISTED", listed).replace("GRANTED", granted)
    findings = findings_of(code, "yaml", tmp_path)
    wanted = {(rule, line_of(code, marker)) for rule, marker in expected}
    assert pairs(findings) == wanted


@pytest.mark.parametrize(
    ("listed", "granted", "resource", "expected"),
    [
        # Every parameter left out: neither reading nor deleting one, as on "*".
        (
            '"arn:aws:ssm:*:*:parameter/*"',
            "[ssm:GetParameter, ssm:DeleteParameter]",
            "arn:aws:ssm:*:*:parameter/*",
            set(),
        ),
        (
            '"arn:aws:ssm:*:*:parameter/*"',
            "[ssm:GetParameter, ssm:DeleteParameter]",
            "arn:aws:ssm:*:*:*",
            set(),
        ),
        # Every role left out: neither passing nor assuming one.
        (
            '["arn:aws:iam::*:role/*"]',
            "[iam:PassRole, sts:AssumeRole]",
            "arn:aws:iam::*:role/*",
            set(),
        ),
        # One bucket's objects left out: still every other object.
        (
            '"arn:aws:s3:::logs/*"',
            "[s3:GetObject, s3:PutObject]",
            "arn:aws:s3:::*/*",
            {("RL203", "# on"), ("RL208", "# on")},
        ),
    ],
)
def test_a_boundary_with_not_resource_caps_a_pattern_of_every_resource_as_every_resource(
    tmp_path: Path, listed: str, granted: str, resource: str, expected: set[tuple[str, str]]
) -> None:
    """A grant on a pattern naming every resource its actions act on (every parameter, every
    role) under a boundary allowing everything but those was RL203, RL206, RL207 and RL208,
    though the boundary allows none of it, and the same grant on ``"*"`` had no finding: the
    boundary's list was judged only against ``"*"``."""
    for on in ('"*"', f'"{resource}"'):
        code = (
            BOUNDARY_WITH_NOT_RESOURCE.replace("LISTED", listed)
            .replace("GRANTED", granted)
            .replace('Resource: "*"  # on', f"Resource: {on}  # on")
        )
        findings = findings_of(code, "yaml", tmp_path)
        wanted = {(rule, line_of(code, marker)) for rule, marker in expected}
        assert pairs(findings) == wanted, on


GATED_BOUNDARY = """\
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Key: {Type: String}
Resources:
  Boundary:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Action: "s3:*"
            Resource: "*"
          - Effect: Allow
            Action: GATE
            Resource: "*"
            Condition: CONDITION
  App:
    Type: AWS::IAM::Role
    Properties:
      PermissionsBoundary: !Ref Boundary
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {Service: ec2.amazonaws.com}
            Action: sts:AssumeRole
      Policies:
        - PolicyName: p
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: GRANTED
                Resource: "*"
"""

S3_READ_ONLY = "{ArnEquals: {iam:PolicyARN: arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess}}"
TO_EC2 = "{StringEquals: {iam:PassedToService: ec2.amazonaws.com}}"
S3_TLS = "{NumericGreaterThanEquals: {s3:TlsVersion: '1.2'}}"
DEV_BOUNDARY = (
    "{StringEquals: {iam:PermissionsBoundary: arn:aws:iam::111122223333:policy/DevBoundary}}"
)


def gated(tmp_path: Path, gate: str, condition: str, granted: str) -> tuple[str, list[Finding]]:
    """Findings of a role whose boundary allows ``gate`` under ``condition`` alone (and s3:*)
    and whose inline policy allows ``granted`` on every resource."""
    template = (
        GATED_BOUNDARY.replace("GATE", gate)
        .replace("CONDITION", condition)
        .replace("GRANTED", granted)
    )
    path = tmp_path / "template.yaml"
    path.write_text(template)
    report = lint_paths([str(path)])
    assert report.errors == []
    return template, report.findings


@pytest.mark.parametrize(
    ("gate", "condition", "granted"),
    [
        # Only for a policy that is no administrator's, as the same condition on the grant
        # (hunt: RL206 high "attach any managed policy ... boundary allows it").
        ("iam:AttachRolePolicy", S3_READ_ONLY, "iam:AttachRolePolicy"),
        (
            "iam:Attach*",
            "{ArnLike: {iam:PolicyARN: arn:aws:iam::aws:policy/ReadOnlyAccess}}",
            '"iam:*RolePolicy"',
        ),
        # Only iam:PassRole requests carry iam:PassedToService: the boundary's iam:* under it
        # lets nothing else through.
        ('"iam:*"', TO_EC2, "iam:AttachRolePolicy"),
        ('"iam:*"', TO_EC2, "iam:PutRolePolicy"),
        # A condition rolelint cannot read may be such a test: no finding on it.
        ("iam:AttachRolePolicy", "{StringEquals: !Ref Key}", '"iam:*RolePolicy"'),
        # Only on roles capped by a named boundary that is no administrator's (AWS's
        # delegation pattern), as the same condition on the grant.
        ('"iam:*RolePolicy"', DEV_BOUNDARY, '"iam:*RolePolicy"'),
        # Only for requests carrying an S3 request key: no IAM, Lambda, SSM or STS request
        # does, so the boundary lets none of them through (hunt: RL206, RL207).
        ('"*"', S3_TLS, "iam:PassRole"),
        ('"*"', S3_TLS, '["iam:PassRole", "ec2:RunInstances"]'),
        ('"*"', S3_TLS, "lambda:UpdateFunctionCode"),
        ('"*"', S3_TLS, "ssm:SendCommand"),
        ('"*"', S3_TLS, "sts:AssumeRole"),
    ],
)
def test_a_boundary_condition_that_makes_the_grant_no_escalation(
    tmp_path: Path, gate: str, condition: str, granted: str
) -> None:
    _, findings = gated(tmp_path, gate, condition, granted)
    assert findings == []


def test_a_boundary_passing_roles_to_named_services_only_is_medium(tmp_path: Path) -> None:
    """Hunt: the boundary's iam:PassedToService was not read, and RL206 said high "pass any
    role to a service" where the grant's own condition gives medium "only to ..."."""
    template, findings = gated(tmp_path, "iam:PassRole", TO_EC2, "iam:PassRole")
    [finding] = findings
    granted = line_of(template, "Action: iam:PassRole", 2)  # the role's, after the boundary's
    assert (finding.rule_id, finding.location.line) == ("RL206", granted)
    assert finding.severity.value == "medium"
    assert "; only to ec2.amazonaws.com (iam:PassedToService): privilege escalation" in (
        finding.message
    )
    condition = line_of(template, "iam:PassedToService")
    assert finding.message.endswith(
        f"(permissions boundary Boundary of role App allows it only under its condition at "
        f"line {condition})"
    )


@pytest.mark.parametrize(
    ("gate", "condition"),
    [
        # AdministratorAccess among what the boundary's condition admits: an escalation.
        (
            "iam:AttachRolePolicy",
            "{ArnEquals: {iam:PolicyARN: [arn:aws:iam::aws:policy/AdministratorAccess]}}",
        ),
        # A condition on where the request comes from limits nothing of what is attached.
        ("iam:AttachRolePolicy", "{StringEquals: {aws:RequestedRegion: eu-west-1}}"),
    ],
)
def test_a_boundary_condition_that_leaves_the_escalation(
    tmp_path: Path, gate: str, condition: str
) -> None:
    template, findings = gated(tmp_path, gate, condition, "iam:AttachRolePolicy")
    [finding] = findings
    assert finding.rule_id == "RL206"
    assert finding.severity.value == "high"
    assert "which lets the holder attach any managed policy to a role" in finding.message
    assert finding.message.endswith(
        f"allows it only under its condition at line {line_of(template, 'Condition:')})"
    )


def test_a_boundary_allowing_everything_to_pass_roles_to_a_service_allows_nothing_else(
    tmp_path: Path,
) -> None:
    """The boundary's "*" under iam:PassedToService lets iam:PassRole alone through, as the
    grant's own condition would: not every IAM action, Run Command or sts:AssumeRole on every
    resource.  The unconditional s3:* of the boundary still lets s3:GetObject through."""
    granted = '["iam:*", "ssm:SendCommand", "sts:AssumeRole", "s3:GetObject"]'
    template, findings = gated(tmp_path, '"*"', TO_EC2, granted)
    assert {(f.rule_id, f.location.line, f.severity.value) for f in findings} == {
        ("RL206", line_of(template, '"iam:*"'), "medium"),
        ("RL208", line_of(template, '"iam:*"') + 1, "medium"),  # at its Resource "*"
    }
    [passing] = [f for f in findings if f.rule_id == "RL206"]
    assert "which grants iam:PassRole (pass any role to a service" in passing.message
    assert "; only to ec2.amazonaws.com (iam:PassedToService)" in passing.message


def test_a_boundary_condition_counts_only_when_nothing_else_lets_the_grant_through(
    tmp_path: Path,
) -> None:
    """An Allow of the boundary without a condition lets iam:AttachRolePolicy through whatever
    the other's condition admits: the escalation stands, and the boundary "allows it"."""
    template = (
        GATED_BOUNDARY.replace('Action: "s3:*"', 'Action: ["s3:*", "iam:Attach*"]')
        .replace("GATE", "iam:AttachRolePolicy")
        .replace("CONDITION", S3_READ_ONLY)
        .replace("GRANTED", "iam:AttachRolePolicy")
    )
    path = tmp_path / "template.yaml"
    path.write_text(template)
    [finding] = lint_paths([str(path)]).findings
    assert (finding.rule_id, finding.severity.value) == ("RL206", "high")
    assert finding.message.endswith("(permissions boundary Boundary of role App allows it)")


def test_a_boundary_condition_is_judged_for_its_own_holder_only(tmp_path: Path) -> None:
    """A policy held by a role whose boundary admits only a harmless policy and by one without
    a boundary is an escalation for the second, and the finding names it alone."""
    template = GATED_BOUNDARY.replace("GATE", "iam:AttachRolePolicy").replace(
        "CONDITION", S3_READ_ONLY
    )
    template = template.replace(
        """      Policies:
        - PolicyName: p
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: GRANTED
                Resource: "*"
""",
        """      ManagedPolicyArns: [!Ref Shared]
  Other:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}
      ManagedPolicyArns: [!Ref Shared]
  Shared:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Action: iam:AttachRolePolicy, Resource: "*"}
""",
    )
    path = tmp_path / "template.yaml"
    path.write_text(template)
    [finding] = lint_paths([str(path)]).findings
    assert (finding.rule_id, finding.severity.value, finding.roles) == ("RL206", "high", ("Other",))
    assert "attach any managed policy to a role: privilege escalation" in finding.message


def test_a_boundary_allowing_everything_under_an_s3_request_key_is_no_administrator(
    tmp_path: Path,
) -> None:
    """The boundary's "*" under s3:TlsVersion lets no IAM request through, as the grant's own
    condition would (no IAM request carries the key): 'iam:*' is no full admin access."""
    _, findings = gated(tmp_path, '"*"', S3_TLS, '"iam:*"')
    assert "RL201" not in {f.rule_id for f in findings}


GATE_TEMPLATE = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Boundary:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
BOUNDARY
  App:
    Type: AWS::IAM::Role
    Properties:
      PermissionsBoundary: !Ref Boundary
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
                Action: GRANTED
                Resource: "*"
"""
IN_REGION = "{StringEquals: {aws:RequestedRegion: eu-west-1}}"
NOT_READ_ONLY = "{ArnNotEquals: {iam:PolicyARN: arn:aws:iam::aws:policy/ReadOnlyAccess}}"


def boundary_statement(
    effect: str,
    action: str,
    condition: str | None = None,
    resource: str = '"*"',
    *,
    not_action: bool = False,
    not_resource: bool = False,
) -> str:
    """One statement of GATE_TEMPLATE's boundary, in block style (its Condition on a line of
    its own, which the notes name)."""
    lines = [
        f"          - Effect: {effect}",
        f"            {'NotAction' if not_action else 'Action'}: {action}",
        f"            {'NotResource' if not_resource else 'Resource'}: {resource}",
    ]
    if condition is not None:
        lines.append(f"            Condition: {condition}")
    return "\n".join(lines)


_BOUNDED = "permissions boundary Boundary of role App"
_DENY = f"the Deny in {_BOUNDED} (line {{d1}})"
_GATED = f"{_BOUNDED} allows it only under its condition at line {{c1}}"


@pytest.mark.parametrize(
    ("statements", "granted", "expected"),
    [
        pytest.param(  # the Deny takes the unconditional Allow's share: iam:* only by the gate
            [
                boundary_statement("Allow", '"s3:*"'),
                boundary_statement("Allow", '"iam:*"', IN_REGION),
                boundary_statement("Deny", '"s3:*"'),
            ],
            '"*"',
            [
                (
                    "RL201",
                    "critical",
                    f"({_DENY} removes s3:*; {_BOUNDED} limits it to 'iam:*' only under its "
                    "condition at line {c1})",
                )
            ],
            id="deny-of-the-unconditional-share",
        ),
        pytest.param(  # the Deny takes one conditional Allow's share: not in the gate
            [
                boundary_statement("Allow", '"iam:*"', IN_REGION),
                boundary_statement("Allow", '"s3:*"', S3_TLS),
                boundary_statement("Deny", '"s3:*"'),
            ],
            '"*"',
            [
                (
                    "RL201",
                    "critical",
                    f"({_DENY} removes s3:*; {_BOUNDED} limits it to 'iam:*' only under its "
                    "condition at line {c1})",
                )
            ],
            id="deny-of-a-conditional-share",
        ),
        pytest.param(  # the unconditional Allow's one action is denied: the rest is gated
            [
                boundary_statement("Allow", '"iam:PassRole"'),
                boundary_statement("Allow", '"iam:*"', IN_REGION),
                boundary_statement("Deny", '"iam:PassRole"'),
            ],
            '"iam:*"',
            [
                ("RL202", "medium", f"({_DENY} removes iam:PassRole; {_GATED})"),
                ("RL206", "high", f"({_GATED})"),
            ],
            id="deny-inside-the-gated-pattern",
        ),
        pytest.param(  # without the Deny the unconditional Allow lets iam:PassRole through
            [
                boundary_statement("Allow", '"iam:PassRole"'),
                boundary_statement("Allow", '"iam:*"', IN_REGION),
            ],
            '"iam:*"',
            [("RL201", "critical", f"({_BOUNDED} allows it)")],
            id="unconditional-share-no-deny",
        ),
        pytest.param(  # a Deny with a condition may not apply: no gate, nothing removed
            [
                boundary_statement("Allow", '"s3:*"'),
                boundary_statement("Allow", '"iam:*"', IN_REGION),
                boundary_statement("Deny", '"s3:*"', IN_REGION),
            ],
            '"*"',
            [
                (
                    "RL201",
                    "critical",
                    f"({_BOUNDED} limits it to 's3:*', 'iam:*'; {_DENY} has a condition, so it "
                    "may not apply)",
                )
            ],
            id="conditional-deny",
        ),
        pytest.param(
            [
                boundary_statement("Allow", '"*"', IN_REGION),
                boundary_statement("Deny", '"iam:PassRole"'),
            ],
            '"*"',
            [
                ("RL202", "medium", f"({_DENY} removes iam:PassRole; {_GATED})"),
                ("RL206", "high", f"({_GATED})"),
                ("RL207", "high", f"({_GATED})"),
                ("RL208", "medium", f"({_GATED})"),
            ],
            id="everything-gated-less-a-denied-action",
        ),
        pytest.param(
            [
                boundary_statement("Allow", '"s3:*"'),
                boundary_statement(
                    "Allow", '"*"', IN_REGION, '"arn:aws:s3:::*"', not_resource=True
                ),
                boundary_statement("Deny", '"s3:*"'),
            ],
            '"*"',
            [("RL201", "critical", f"({_DENY} removes s3:*; {_GATED})")],
            id="gated-not-resource",
        ),
        pytest.param(
            [
                boundary_statement("Allow", '"iam:PassRole"', TO_EC2),
                boundary_statement("Allow", '"s3:*"', S3_TLS),
                boundary_statement("Deny", '"s3:*"'),
            ],
            '"*"',
            [("RL206", "medium", f"({_GATED})")],
            id="pass-role-gate-beside-a-denied-one",
        ),
        pytest.param(
            [
                boundary_statement("Allow", '"s3:*"'),
                boundary_statement("Allow", '"iam:*"', IN_REGION),
                boundary_statement("Deny", '"iam:*"', not_action=True),
            ],
            '"*"',
            [
                (
                    "RL201",
                    "critical",
                    f"({_DENY} removes every action but iam:*; {_GATED})",
                )
            ],
            id="not-action-deny",
        ),
        pytest.param(  # an unconditional Allow of the same: the condition limits nothing
            [
                boundary_statement("Allow", '"iam:*"'),
                boundary_statement("Allow", '"iam:*"', IN_REGION),
                boundary_statement("Deny", '"iam:Put*"'),
            ],
            '"iam:*"',
            [
                ("RL202", "medium", f"({_DENY} removes iam:Put*; {_BOUNDED} allows it)"),
                ("RL206", "high", f"({_BOUNDED} allows it)"),
            ],
            id="unconditional-beside-conditional",
        ),
        pytest.param(
            [
                boundary_statement("Allow", '"iam:*"', IN_REGION),
                boundary_statement("Allow", '"iam:Pass*"', TO_EC2),
            ],
            '"iam:PassRole"',
            [
                (
                    "RL206",
                    "high",
                    f"({_BOUNDED} allows it only under its conditions at lines {{c1}}, {{c2}})",
                )
            ],
            id="two-gates",
        ),
        pytest.param(
            [
                boundary_statement("Allow", '"s3:*"'),
                boundary_statement("Allow", '"iam:PassRole"', IN_REGION, '"arn:aws:iam::*:role/*"'),
            ],
            '"iam:PassRole"',
            [
                (
                    "RL206",
                    "high",
                    f"({_BOUNDED} allows it only on 'arn:aws:iam::*:role/*'; {_GATED})",
                )
            ],
            id="gate-on-fewer-resources",
        ),
        pytest.param(  # the Deny's negated test admits ReadOnlyAccess alone: no escalation
            [
                boundary_statement("Allow", '"iam:*"', IN_REGION),
                boundary_statement("Deny", '"iam:AttachRolePolicy"', NOT_READ_ONLY),
            ],
            '"iam:AttachRolePolicy"',
            [],
            id="deny-with-a-negated-test",
        ),
        pytest.param(  # the catalog splits 'iam:*Policy': iam:Get* lets no escalation through
            [
                boundary_statement("Allow", '"iam:Get*"'),
                boundary_statement("Allow", '"iam:*"', IN_REGION),
            ],
            '"iam:*Policy"',
            [("RL206", "high", f"({_GATED})")],
            id="catalog-split",
        ),
    ],
)
def test_what_a_boundary_gate_is_made_of(
    tmp_path: Path, statements: list[str], granted: str, expected: list[tuple[str, str, str]]
) -> None:
    """Which Allows with a condition of a boundary a grant passes through alone (its gate),
    once the boundary's Denies and its Allows without one have had their say: the findings
    and the notes naming the gate's lines, pinned when _boundary_gate stopped asking
    _within_boundary a second time."""
    code = GATE_TEMPLATE.replace("BOUNDARY", "\n".join(statements)).replace("GRANTED", granted)
    conditions = code.count("Condition:")
    lines = {f"c{n}": line_of(code, "Condition:", n) for n in range(1, conditions + 1)}
    if "Effect: Deny" in code:
        lines["d1"] = line_of(code, "Effect: Deny")
    findings = findings_of(code, "yaml", tmp_path)
    action = line_of(code, f"Action: {granted}", code.count(f"Action: {granted}"))
    got = [(f.rule_id, f.location.line, f.severity.value) for f in findings]
    want = [
        (rule, action + (rule in ("RL207", "RL208")), severity) for rule, severity, _ in expected
    ]
    assert sorted(got) == sorted(want)
    for finding, (_, _, note) in zip(
        sorted(findings, key=lambda f: f.rule_id), sorted(expected), strict=True
    ):
        assert finding.message.endswith(" " + note.format(**lines)), finding.message


# --- a policy named only as a boundary by an iam:PermissionsBoundary test ------------------------

DELEGATED_BOUNDARY_CFN = """\
Parameters:
  ExtraPolicy: {Type: String}
  BoundaryArn: {Type: String}
Resources:
  WorkloadBoundary:
    Type: AWS::IAM::ManagedPolicy
    Properties:
HOLDERS      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Action: ["s3:*", "sqs:*"], Resource: "*"}  # boundary
  DeveloperRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}
ATTACHED      Policies:
        - PolicyName: delegated-iam
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: [iam:CreateRole, iam:AttachRolePolicy, iam:PutRolePolicy]
                Resource: "*"
                Condition: {TEST: {iam:PermissionsBoundary: NAMED}}
"""
_AS_A_GRANT = ["RL202", "RL202", "RL203", "RL208"]  # s3:* and sqs:* on every resource


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        pytest.param({}, [], id="only-a-boundary"),
        pytest.param({"TEST": "ArnEquals"}, [], id="arn-equals"),
        pytest.param({"TEST": "StringEqualsIfExists"}, [], id="if-exists"),
        pytest.param(
            {"ATTACHED": "      ManagedPolicyArns: [!Ref WorkloadBoundary]\n"},
            _AS_A_GRANT,
            id="attached-too",
        ),
        pytest.param(
            {"HOLDERS": "      Roles: [existing-app-role]\n"},
            _AS_A_GRANT,
            id="attached-to-a-role-of-another-stack",
        ),
        pytest.param(
            {"ATTACHED": "      ManagedPolicyArns: [!Ref ExtraPolicy]\n"},
            _AS_A_GRANT,
            id="an-attachment-not-known-may-be-it",
        ),
        pytest.param({"TEST": "StringNotEquals"}, _AS_A_GRANT, id="a-negated-test"),
        pytest.param({"NAMED": "!Ref BoundaryArn"}, _AS_A_GRANT, id="a-value-not-known"),
    ],
)
def test_a_policy_named_only_by_an_iam_permissions_boundary_test_is_a_boundary(
    tmp_path: Path, changes: dict[str, str], expected: list[str]
) -> None:
    """Hunt: AWS's delegation pattern (CreateOrChangeOnlyWithBoundary) names a managed policy
    as the boundary of every role the delegate creates or changes; no role holds it, so it was
    judged standing alone, as a grant: 4 medium findings on its ``s3:*`` and ``sqs:*``, which a
    boundary gives nobody (as its ``PermissionsBoundary`` of a role, it had none).  It is now
    that boundary.  Attached as a permissions policy too (to a role of the template or of
    another stack), or beside an attachment rolelint cannot resolve, or named by a value not
    known or by a negated test, it is judged as before."""
    values = {
        "HOLDERS": "",
        "ATTACHED": "",
        "TEST": "StringEquals",
        "NAMED": "!Ref WorkloadBoundary",
        **changes,
    }
    code = DELEGATED_BOUNDARY_CFN
    for placeholder, value in values.items():
        code = code.replace(placeholder, value)
    findings = findings_of(code, "yaml", tmp_path)
    judged = [f for f in findings if f.resource == "WorkloadBoundary"]
    assert sorted(f.rule_id for f in judged) == expected
    assert {f.location.line for f in judged} <= {line_of(code, "# boundary")}


def test_an_administrator_boundary_named_by_the_test_still_makes_the_delegate_escalate(
    tmp_path: Path,
) -> None:
    """As a boundary the policy grants nothing (no RL201 of its own), but what the test admits
    is still judged by its document: a delegate that may attach any policy to a role capped by
    a boundary allowing everything can make an administrator (RL206)."""
    code = DELEGATED_BOUNDARY_CFN.replace('["s3:*", "sqs:*"]', '"*"')
    for placeholder, value in (
        ("HOLDERS", ""),
        ("ATTACHED", ""),
        ("TEST", "StringEquals"),
        ("NAMED", "!Ref WorkloadBoundary"),
    ):
        code = code.replace(placeholder, value)
    findings = findings_of(code, "yaml", tmp_path)
    assert {(f.rule_id, f.resource) for f in findings} == {("RL206", "DeveloperRole")}
    assert all(
        "AWS::IAM::ManagedPolicy WorkloadBoundary with administrator-level access" in f.message
        for f in findings
    )


DELEGATED_BOUNDARY_TF = """\
variable "role_name" {
  type = string
}

resource "aws_iam_policy" "workload_boundary" {
  name = "workload-boundary"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["s3:*", "sqs:*"], Resource = "*" }] # boundary
  })
}

resource "aws_iam_role" "developer" {
  name = "developer"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "ec2.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_role_policy" "developer" {
  name = "delegated-iam"
  role = aws_iam_role.developer.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = ["iam:CreateRole", "iam:AttachRolePolicy", "iam:PutRolePolicy"]
      Resource  = "*"
      Condition = { StringEquals = { "iam:PermissionsBoundary" = NAMED } }
    }]
  })
}
ATTACHMENT"""
_TF_ATTACHMENT = """
resource "aws_iam_role_policy_attachment" "workload" {
  role       = ROLE
  policy_arn = aws_iam_policy.workload_boundary.arn
}
"""


@pytest.mark.parametrize(
    ("named", "role", "expected"),
    [
        pytest.param("aws_iam_policy.workload_boundary.arn", None, [], id="only-a-boundary"),
        pytest.param(
            '"arn:aws:iam::${data.aws_caller_identity.current.account_id}:policy/workload-boundary"',
            None,
            [],
            id="by-its-arn-in-the-account",
        ),
        pytest.param(
            "aws_iam_policy.workload_boundary.arn",
            "aws_iam_role.developer.name",
            _AS_A_GRANT,
            id="attached-too",
        ),
        pytest.param(
            "aws_iam_policy.workload_boundary.arn",
            '"existing-app-role"',
            _AS_A_GRANT,
            id="attached-to-a-role-of-another-state",
        ),
        pytest.param(
            "aws_iam_policy.workload_boundary.arn",
            "var.role_name",
            _AS_A_GRANT,
            id="attached-to-a-role-not-known",
        ),
        pytest.param(
            '"arn:aws:iam::111122223333:policy/workload-boundary"',
            None,
            _AS_A_GRANT,
            id="an-account-that-may-be-another",
        ),
    ],
)
def test_a_terraform_policy_named_only_by_an_iam_permissions_boundary_test_is_a_boundary(
    tmp_path: Path, named: str, role: str | None, expected: list[str]
) -> None:
    """The same in Terraform: ``"iam:PermissionsBoundary" = aws_iam_policy.x.arn`` makes the
    policy a boundary, unless an attachment gives it to a role, of the module or not (a name
    of another state, a variable without a value), or the ARN names a literal account the
    module's own may not be."""
    code = DELEGATED_BOUNDARY_TF.replace("NAMED", named)
    if "data.aws_caller_identity" in named:
        code += 'data "aws_caller_identity" "current" {}\n'
    attachment = _TF_ATTACHMENT.replace("ROLE", role) if role is not None else ""
    code = code.replace("ATTACHMENT", attachment)
    findings = findings_of(code, "tf", tmp_path)
    judged = [f for f in findings if f.resource == "aws_iam_policy.workload_boundary"]
    assert sorted(f.rule_id for f in judged) == expected
    assert {f.location.line for f in judged} <= {line_of(code, "# boundary")}


def _exported_policy(arn: str, attachments: int | None) -> dict[str, Any]:
    document = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": ["s3:*", "sqs:*"], "Resource": "*"}],
    }
    entry: dict[str, Any] = {"PolicyName": arn.rsplit("/", 1)[-1], "Arn": arn}
    if attachments is not None:
        entry["AttachmentCount"] = attachments
    entry["PolicyVersionList"] = [
        {"VersionId": "v1", "IsDefaultVersion": True, "Document": document}
    ]
    return entry


@pytest.mark.parametrize(
    ("attachments", "attached", "expected"),
    [
        pytest.param(0, False, [], id="only-a-boundary"),
        pytest.param(0, True, _AS_A_GRANT, id="attached-too"),
        pytest.param(1, False, _AS_A_GRANT, id="attached-to-an-entity-not-exported"),
        pytest.param(None, False, _AS_A_GRANT, id="attachments-not-counted"),
    ],
)
def test_an_exported_policy_named_only_by_an_iam_permissions_boundary_test_is_a_boundary(
    tmp_path: Path, attachments: int | None, attached: bool, expected: list[str]
) -> None:
    """An account export: the policy the delegate's test names, attached to no entity, is a
    boundary.  One the export counts attachments of that it does not list (an export of fewer
    entities), or does not count them of, may be attached: judged as before."""
    arn = "arn:aws:iam::111122223333:policy/workload-boundary"
    delegated = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": ["iam:CreateRole", "iam:AttachRolePolicy", "iam:PutRolePolicy"],
                "Resource": "*",
                "Condition": {"StringEquals": {"iam:PermissionsBoundary": arn}},
            }
        ],
    }
    role = exported_role(
        "developer", attached=[arn] if attached else [], inline={"delegated-iam": delegated}
    )
    export = {
        "UserDetailList": [],
        "GroupDetailList": [],
        "RoleDetailList": [role],
        "Policies": [_exported_policy(arn, attachments)],
    }
    path = tmp_path / "export.json"
    path.write_text(json.dumps(export, indent=2), encoding="utf-8")
    report = lint_paths([str(path)])
    assert report.errors == []
    judged = [f for f in report.findings if f.resource.endswith("#workload-boundary")]
    assert sorted(f.rule_id for f in judged) == expected


def _delegating_plan(attachment: dict[str, Any] | None, unknown: bool) -> str:
    arn = "arn:aws:iam::111122223333:policy/workload-boundary"
    boundary = policy_text({"Effect": "Allow", "Action": ["s3:*", "sqs:*"], "Resource": "*"})
    delegated = policy_text(
        {
            "Effect": "Allow",
            "Action": ["iam:CreateRole", "iam:AttachRolePolicy", "iam:PutRolePolicy"],
            "Resource": "*",
            "Condition": {"StringEquals": {"iam:PermissionsBoundary": arn}},
        }
    )
    trust = policy_text(
        {
            "Effect": "Allow",
            "Principal": {"Service": "ec2.amazonaws.com"},
            "Action": "sts:AssumeRole",
        }
    )
    resources = [
        resource(
            "aws_iam_policy",
            "workload_boundary",
            {"name": "workload-boundary", "arn": arn, "policy": boundary},
        ),
        resource(
            "aws_iam_role",
            "developer",
            {
                "name": "developer",
                "arn": "arn:aws:iam::111122223333:role/developer",
                "assume_role_policy": trust,
            },
        ),
        resource(
            "aws_iam_role_policy",
            "developer",
            {"name": "delegated-iam", "role": "developer", "policy": delegated},
        ),
    ]
    changes = []
    if attachment is not None:
        resources.append(
            resource(
                "aws_iam_role_policy_attachment", "workload", {**attachment, "policy_arn": arn}
            )
        )
        if unknown:
            changes.append(change("aws_iam_role_policy_attachment.workload", {"role": True}))
    return plan_text(resources, changes)


@pytest.mark.parametrize(
    ("attachment", "unknown", "expected"),
    [
        pytest.param(None, False, [], id="only-a-boundary"),
        pytest.param({"role": "developer"}, False, _AS_A_GRANT, id="attached-too"),
        pytest.param(
            {"role": "existing-app-role"},
            False,
            _AS_A_GRANT,
            id="attached-to-a-role-of-another-state",
        ),
        pytest.param({}, True, _AS_A_GRANT, id="attached-to-a-role-known-after-apply"),
    ],
)
def test_a_planned_policy_named_only_by_an_iam_permissions_boundary_test_is_a_boundary(
    tmp_path: Path, attachment: dict[str, Any] | None, unknown: bool, expected: list[str]
) -> None:
    """A Terraform plan: the same, with an attachment to a role the plan does not hold, or to
    one known only after apply that its references do not single out, judged as before."""
    path = tmp_path / "plan.json"
    path.write_text(_delegating_plan(attachment, unknown), encoding="utf-8")
    report = lint_paths([str(path)])
    assert report.errors == []
    judged = [f for f in report.findings if f.resource == "aws_iam_policy.workload_boundary"]
    assert sorted(f.rule_id for f in judged) == expected


# --- the Deny form of the delegation: a Deny unless the request's boundary is the policy ---------

DENIED_UNLESS_BOUNDARY_CFN = """\
Parameters:
  BoundaryArn: {Type: String}
Resources:
  WorkloadBoundary:
    Type: AWS::IAM::ManagedPolicy
    Properties:
HOLDERS      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Action: ["s3:*", "sqs:*"], Resource: "*"}  # boundary
  DeveloperRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}
ATTACHED      Policies:
        - PolicyName: delegated-iam
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: [iam:CreateRole, iam:AttachRolePolicy, iam:PutRolePolicy]
                Resource: "*"
              - Effect: EFFECT
                Action: [iam:CreateRole, iam:PutRolePermissionsBoundary]
                Resource: "*"
                Condition: {TEST: {iam:PermissionsBoundary: NAMED}}
"""


def _denied_unless_boundary(changes: dict[str, str]) -> str:
    values = {
        "HOLDERS": "",
        "ATTACHED": "",
        "EFFECT": "Deny",
        "TEST": "StringNotEquals",
        "NAMED": "!Ref WorkloadBoundary",
        **changes,
    }
    code = DENIED_UNLESS_BOUNDARY_CFN
    for placeholder, value in values.items():
        code = code.replace(placeholder, value)
    return code


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        pytest.param({}, [], id="only-a-boundary"),
        pytest.param({"TEST": "ArnNotEquals"}, [], id="arn-not-equals"),
        pytest.param({"TEST": "StringNotEqualsIfExists"}, [], id="if-exists"),
        pytest.param(
            {"TEST": "ArnNotLike", "NAMED": '"arn:aws:iam::*:policy/*"'},
            _AS_A_GRANT,
            id="a-pattern",
        ),
        pytest.param(
            {"ATTACHED": "      ManagedPolicyArns: [!Ref WorkloadBoundary]\n"},
            _AS_A_GRANT,
            id="attached-too",
        ),
        pytest.param(
            {"HOLDERS": "      Roles: [existing-app-role]\n"},
            _AS_A_GRANT,
            id="attached-to-a-role-of-another-stack",
        ),
        pytest.param({"NAMED": "!Ref BoundaryArn"}, _AS_A_GRANT, id="a-value-not-known"),
        pytest.param({"TEST": "Null", "NAMED": '"true"'}, _AS_A_GRANT, id="a-null-test"),
        pytest.param({"EFFECT": "Allow"}, _AS_A_GRANT, id="an-allow-unless-it-is-the-boundary"),
        pytest.param({"TEST": "StringEquals"}, _AS_A_GRANT, id="a-deny-of-it-as-the-boundary"),
        pytest.param({"TEST": "ArnLike"}, _AS_A_GRANT, id="a-deny-of-it-like-the-boundary"),
    ],
)
def test_a_policy_a_deny_requires_as_the_boundary_is_a_boundary(
    tmp_path: Path, changes: dict[str, str], expected: list[str]
) -> None:
    """The Deny form of AWS's delegation pattern (the IAM User Guide's
    DenyPermBoundaryIAMPolicyAlteration and its kin): ``Effect: Deny`` of iam:CreateRole,
    iam:PutRolePermissionsBoundary ... unless ``StringNotEquals`` (or ``ArnNotEquals``)
    ``iam:PermissionsBoundary: <policy ARN>``.  The policy named there is as much a boundary
    only as the one a positive test in an Allow names: it was judged as a grant (4 findings on
    a document that grants nobody anything).  The same guards hold: attached too (to a role of
    the template or another stack), named by a value not known, or by a negated test in an
    Allow (any boundary but it), it is judged as before; and so when a positive test in the
    Deny names it (``StringEquals``: whatever sets it as the boundary is refused), which
    forbids it as a boundary and is no evidence that it is one."""
    code = _denied_unless_boundary(changes)
    findings = findings_of(code, "yaml", tmp_path)
    judged = [f for f in findings if f.resource == "WorkloadBoundary"]
    assert sorted(f.rule_id for f in judged) == expected
    assert {f.location.line for f in judged} <= {line_of(code, "# boundary")}


DENIED_UNLESS_BOUNDARY_TF = DELEGATED_BOUNDARY_TF.replace(
    """      Effect    = "Allow"
      Action    = ["iam:CreateRole", "iam:AttachRolePolicy", "iam:PutRolePolicy"]
      Resource  = "*"
      Condition = { StringEquals = { "iam:PermissionsBoundary" = NAMED } }
    }]""",
    """      Effect   = "Allow"
      Action   = ["iam:CreateRole", "iam:AttachRolePolicy", "iam:PutRolePolicy"]
      Resource = "*"
      }, {
      Effect    = "Deny"
      Action    = ["iam:CreateRole", "iam:PutRolePermissionsBoundary"]
      Resource  = "*"
      Condition = { TEST = { "iam:PermissionsBoundary" = NAMED } }
    }]""",
)


@pytest.mark.parametrize(
    ("test", "named", "role", "expected"),
    [
        pytest.param(
            "StringNotEquals",
            "aws_iam_policy.workload_boundary.arn",
            None,
            [],
            id="only-a-boundary",
        ),
        pytest.param(
            "ArnNotEquals",
            '"arn:aws:iam::${data.aws_caller_identity.current.account_id}:policy/workload-boundary"',
            None,
            [],
            id="by-its-arn-in-the-account",
        ),
        pytest.param(
            "StringNotEquals",
            "aws_iam_policy.workload_boundary.arn",
            "aws_iam_role.developer.name",
            _AS_A_GRANT,
            id="attached-too",
        ),
        pytest.param(
            "StringNotEquals",
            "aws_iam_policy.workload_boundary.arn",
            '"existing-app-role"',
            _AS_A_GRANT,
            id="attached-to-a-role-of-another-state",
        ),
        pytest.param(
            "StringNotEquals",
            '"arn:aws:iam::111122223333:policy/workload-boundary"',
            None,
            _AS_A_GRANT,
            id="an-account-that-may-be-another",
        ),
        pytest.param("StringNotEquals", "var.role_name", None, _AS_A_GRANT, id="a-value-not-known"),
        pytest.param(
            "StringEquals",
            "aws_iam_policy.workload_boundary.arn",
            None,
            _AS_A_GRANT,
            id="a-deny-of-it-as-the-boundary",
        ),
    ],
)
def test_a_terraform_policy_a_deny_requires_as_the_boundary_is_a_boundary(
    tmp_path: Path, test: str, named: str, role: str | None, expected: list[str]
) -> None:
    """The Deny form in Terraform: a Deny of iam:CreateRole ... under ``StringNotEquals =
    { "iam:PermissionsBoundary" = aws_iam_policy.x.arn }`` makes the policy a boundary, with
    the guards of the Allow form."""
    assert DENIED_UNLESS_BOUNDARY_TF != DELEGATED_BOUNDARY_TF
    code = DENIED_UNLESS_BOUNDARY_TF.replace("TEST", test).replace("NAMED", named)
    if "data.aws_caller_identity" in named:
        code += 'data "aws_caller_identity" "current" {}\n'
    attachment = _TF_ATTACHMENT.replace("ROLE", role) if role is not None else ""
    code = code.replace("ATTACHMENT", attachment)
    findings = findings_of(code, "tf", tmp_path)
    judged = [f for f in findings if f.resource == "aws_iam_policy.workload_boundary"]
    assert sorted(f.rule_id for f in judged) == expected
    assert {f.location.line for f in judged} <= {line_of(code, "# boundary")}


ADMIN_NEVER_A_BOUNDARY = """\
Resources:
  AdminPolicy:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      ManagedPolicyName: break-glass-admin
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Action: "*", Resource: "*"}  # admin
  Guard:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      Roles: [!Ref Dev]
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Sid: NeverUseAdminAsBoundary
            Effect: Deny
            Action: [iam:CreateRole, iam:PutRolePermissionsBoundary]
            Resource: "*"
            Condition: {StringEquals: {iam:PermissionsBoundary: !Ref AdminPolicy}}
  Dev:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}
"""


def test_a_policy_a_deny_forbids_as_the_boundary_is_still_judged_as_a_grant(
    tmp_path: Path,
) -> None:
    """Hunt: a guard that refuses the administrator policy as any role's boundary (a Deny
    under ``StringEquals iam:PermissionsBoundary: !Ref AdminPolicy``) made that policy a
    boundary, and its ``*`` on ``*`` (RL201, critical) went unreported.  A positive test names
    the required boundary only in an Allow; in a Deny it forbids it."""
    findings = findings_of(ADMIN_NEVER_A_BOUNDARY, "yaml", tmp_path)
    judged = [f for f in findings if f.resource == "AdminPolicy"]
    assert [(f.rule_id, f.location.line) for f in judged] == [
        ("RL201", line_of(ADMIN_NEVER_A_BOUNDARY, "# admin"))
    ]


# --- an attachment in another file, to a holder the run does not model -------------------------

_OWN_ACCOUNT_ARN = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:policy/NAME"
_BOUNDARY_MODULE = """\
resource "aws_iam_policy" "x" {
  name   = "workload-boundary"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["s3:*", "sqs:*"], Resource = "*" }] # boundary
  })
}
"""
_DELEGATE_MODULE = """\
data "aws_caller_identity" "current" {}
resource "aws_iam_role" "d" {
  name = "delegate"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "lambda.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}
resource "aws_iam_role_policy" "d" {
  role = aws_iam_role.d.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = ["iam:CreateRole", "iam:AttachRolePolicy"]
      Resource  = "*"
      Condition = { StringEquals = { "iam:PermissionsBoundary" = "ARN" } }
    }]
  })
}
""".replace("ARN", _OWN_ACCOUNT_ARN.replace("NAME", "workload-boundary"))
_ROLE_ATTACHMENT = """\
data "aws_caller_identity" "current" {}
resource "aws_iam_role_policy_attachment" "legacy" {
  role       = "legacy-role"
  policy_arn = "ARN"
}
"""
_USERS_ATTACHMENT = """\
resource "aws_iam_policy_attachment" "legacy" {
  name       = "legacy"
  users      = ["bob"]
  policy_arn = "ARN"
}
"""


@pytest.mark.parametrize(
    ("attachment", "arn", "expected"),
    [
        pytest.param(None, "", [], id="only-a-boundary"),
        pytest.param(
            _ROLE_ATTACHMENT,
            _OWN_ACCOUNT_ARN.replace("NAME", "workload-boundary"),
            _AS_A_GRANT,
            id="attached-to-a-role-of-another-state-by-another-module",
        ),
        pytest.param(
            _USERS_ATTACHMENT,
            "arn:aws:iam::111122223333:policy/workload-boundary",
            _AS_A_GRANT,
            id="attached-to-a-user-of-another-state-by-another-module",
        ),
        pytest.param(
            _ROLE_ATTACHMENT,
            _OWN_ACCOUNT_ARN.replace("NAME", "Workload-Boundary"),
            _AS_A_GRANT,
            id="attached-there-by-its-arn-in-another-case",
        ),
        pytest.param(
            _ROLE_ATTACHMENT,
            _OWN_ACCOUNT_ARN.replace("NAME", "other-policy"),
            [],
            id="another-policy-attached-there",
        ),
        pytest.param(
            _USERS_ATTACHMENT,
            "arn:aws:iam::aws:policy/workload-boundary",
            [],
            id="an-aws-managed-policy-attached-there",
        ),
    ],
)
def test_a_boundary_named_policy_another_module_attaches_outside_the_run_is_a_grant(
    tmp_path: Path, attachment: str | None, arn: str, expected: list[str]
) -> None:
    """Hunt: the policy (one folder), the delegate whose test names it as the boundary
    (another), and a third folder attaching it by ARN to ``legacy-role`` (or user ``bob``) of
    another state.  Only the policy's own module said when it was attached outside the model,
    so the third folder's attachment was lost and the policy made a boundary: its grants (a
    ``*`` on ``*`` was RL201, critical) went unreported.  Any attachment of the run to a holder
    it does not model that may name the policy now keeps it a grant; one naming another
    policy does not.  Hunt: an ARN whose name differs from the policy's only in case was taken
    for another policy, though IAM tells no two policy names apart by case (a permission set's
    reference by name already compared so): the policy was made a boundary; it stays a grant."""
    for folder, code in (("pol", _BOUNDARY_MODULE), ("deleg", _DELEGATE_MODULE)):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "main.tf").write_text(code, encoding="utf-8")
    if attachment is not None:
        (tmp_path / "other").mkdir()
        (tmp_path / "other" / "main.tf").write_text(
            attachment.replace("ARN", arn), encoding="utf-8"
        )
    report = lint_paths([str(tmp_path)])
    assert report.errors == []
    judged = [f for f in report.findings if f.location.file.endswith("pol/main.tf")]
    assert sorted(f.rule_id for f in judged) == expected
    assert {f.location.line for f in judged} <= {line_of(_BOUNDARY_MODULE, "# boundary")}


@pytest.mark.parametrize(
    ("holder", "arn", "expected"),
    [
        pytest.param(
            "existing-app-role",
            "arn:aws:iam::111122223333:policy/workload-boundary",
            _AS_A_GRANT,
            id="attached-to-a-role-of-another-state",
        ),
        pytest.param(
            "existing-app-role",
            "arn:aws:iam::111122223333:policy/other-policy",
            [],
            id="another-policy-attached-there",
        ),
    ],
)
def test_a_boundary_named_policy_a_plan_attaches_outside_the_run_is_a_grant(
    tmp_path: Path, holder: str, arn: str, expected: list[str]
) -> None:
    """The same with the attachment in a Terraform plan of another state: a role the plan
    does not hold, given the policy the modules define by its ARN."""
    for folder, code in (("pol", _BOUNDARY_MODULE), ("deleg", _DELEGATE_MODULE)):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "main.tf").write_text(code, encoding="utf-8")
    attachment = resource(
        "aws_iam_role_policy_attachment", "legacy", {"role": holder, "policy_arn": arn}
    )
    (tmp_path / "plan.json").write_text(plan_text([attachment]), encoding="utf-8")
    report = lint_paths([str(tmp_path)])
    assert report.errors == []
    judged = [f for f in report.findings if f.location.file.endswith("pol/main.tf")]
    assert sorted(f.rule_id for f in judged) == expected


# --- a permission set attaching the policy by name -------------------------------------------

NAMED_BY_A_PERMISSION_SET_CFN = """\
Parameters:
  PolicyName: {Type: String}
Resources:
  WorkloadBoundary:
    Type: AWS::IAM::ManagedPolicy
    Properties:
OWN      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Action: ["s3:*", "sqs:*"], Resource: "*"}  # boundary
  DeveloperRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}
      Policies:
        - PolicyName: delegated-iam
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: [iam:CreateRole, iam:AttachRolePolicy, iam:PutRolePolicy]
                Resource: "*"
                Condition: {StringEquals: {iam:PermissionsBoundary: !Ref WorkloadBoundary}}
  Ops:
    Type: AWS::SSO::PermissionSet
    Properties:
      InstanceArn: arn:aws:sso:::instance/ssoins-1111111111111111
      Name: Ops
      CustomerManagedPolicyReferences: REFERENCES
"""
_NAMED = "      ManagedPolicyName: workload-boundary\n"


@pytest.mark.parametrize(
    ("own", "references", "expected"),
    [
        pytest.param(_NAMED, "[]", [], id="only-a-boundary"),
        pytest.param(_NAMED, "[{Name: workload-boundary}]", _AS_A_GRANT, id="by-its-name"),
        pytest.param(
            _NAMED, "[{Name: workload-boundary, Path: /}]", _AS_A_GRANT, id="by-name-and-path"
        ),
        pytest.param(_NAMED, "[{Name: Workload-Boundary}]", _AS_A_GRANT, id="in-another-case"),
        pytest.param(_NAMED, "[{Name: !Ref PolicyName}]", _AS_A_GRANT, id="a-name-not-known"),
        pytest.param(_NAMED, "!Ref AWS::NoValue", [], id="none"),
        pytest.param(
            _NAMED + "      Path: /team/\n",
            "[{Name: workload-boundary, Path: /team/}]",
            _AS_A_GRANT,
            id="in-its-path",
        ),
        pytest.param(_NAMED, "[{Name: workload-boundary, Path: /team/}]", [], id="in-another-path"),
        pytest.param(_NAMED, "[{Name: other-policy}]", [], id="another-policy"),
        pytest.param("", "[{Name: some-policy}]", _AS_A_GRANT, id="its-name-generated"),
    ],
)
def test_a_boundary_named_policy_a_permission_set_attaches_by_name_is_a_grant(
    tmp_path: Path, own: str, references: str, expected: list[str]
) -> None:
    """Hunt: an IAM Identity Center permission set attaching the policy by name
    (``CustomerManagedPolicyReferences: [{Name: workload-boundary}]``) was not read at all, so
    the policy the delegate's test names was made a boundary and its grants (to the set's role
    in every account it is assigned to) went unreported.  A reference that may name it (its
    name in any case, at its path, a name not known, a policy whose name CloudFormation
    generates) now keeps it a grant; one of another name or path does not."""
    code = NAMED_BY_A_PERMISSION_SET_CFN.replace("OWN", own).replace("REFERENCES", references)
    findings = findings_of(code, "yaml", tmp_path)
    judged = [f for f in findings if f.resource == "WorkloadBoundary"]
    assert sorted(f.rule_id for f in judged) == expected
    assert {f.location.line for f in judged} <= {line_of(code, "# boundary")}


_PERMISSION_SET = """\
Resources:
  Ops:
    Type: AWS::SSO::PermissionSet
    Properties:
      InstanceArn: arn:aws:sso:::instance/ssoins-1111111111111111
      Name: Ops
      CustomerManagedPolicyReferences:
        - Name: workload-boundary
"""


def test_a_terraform_boundary_a_template_s_permission_set_attaches_by_name_is_a_grant(
    tmp_path: Path,
) -> None:
    """Hunt: the policy and the delegate in Terraform folders, and a CloudFormation permission
    set attaching the policy by name: judged as a grant again."""
    for folder, code in (("pol", _BOUNDARY_MODULE), ("deleg", _DELEGATE_MODULE)):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "main.tf").write_text(code, encoding="utf-8")
    (tmp_path / "ps.yaml").write_text(_PERMISSION_SET, encoding="utf-8")
    report = lint_paths([str(tmp_path)])
    assert report.errors == []
    judged = [f for f in report.findings if f.location.file.endswith("pol/main.tf")]
    assert sorted(f.rule_id for f in judged) == _AS_A_GRANT


_CUSTOMER_POLICY_ATTACHMENT = """\
variable "policy_name" {
  type = string
}
resource "aws_ssoadmin_customer_managed_policy_attachment" "ops" {
  instance_arn       = "arn:aws:sso:::instance/ssoins-1111111111111111"
  permission_set_arn = "arn:aws:sso:::permissionSet/ssoins-1111111111111111/ps-1111111111111111"
  customer_managed_policy_reference {
    name = NAME
    PATH
  }
}
"""


@pytest.mark.parametrize(
    ("name", "path", "expected"),
    [
        pytest.param('"workload-boundary"', "", _AS_A_GRANT, id="by-its-name"),
        pytest.param('"workload-boundary"', 'path = "/"', _AS_A_GRANT, id="by-name-and-path"),
        pytest.param("var.policy_name", "", _AS_A_GRANT, id="a-name-not-known"),
        pytest.param('"workload-boundary"', 'path = "/team/"', [], id="in-another-path"),
        pytest.param('"other-policy"', "", [], id="another-policy"),
    ],
)
def test_a_boundary_named_policy_a_terraform_permission_set_attaches_by_name_is_a_grant(
    tmp_path: Path, name: str, path: str, expected: list[str]
) -> None:
    """The same with ``aws_ssoadmin_customer_managed_policy_attachment`` in another folder."""
    for folder, code in (("pol", _BOUNDARY_MODULE), ("deleg", _DELEGATE_MODULE)):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "main.tf").write_text(code, encoding="utf-8")
    (tmp_path / "sso").mkdir()
    (tmp_path / "sso" / "main.tf").write_text(
        _CUSTOMER_POLICY_ATTACHMENT.replace("NAME", name).replace("PATH", path),
        encoding="utf-8",
    )
    report = lint_paths([str(tmp_path)])
    assert report.errors == []
    judged = [f for f in report.findings if f.location.file.endswith("pol/main.tf")]
    assert sorted(f.rule_id for f in judged) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        pytest.param("workload-boundary", _AS_A_GRANT, id="by-its-name"),
        pytest.param("other-policy", [], id="another-policy"),
    ],
)
def test_a_boundary_named_policy_a_planned_permission_set_attaches_by_name_is_a_grant(
    tmp_path: Path, name: str, expected: list[str]
) -> None:
    """The same with the attachment in a Terraform plan."""
    for folder, code in (("pol", _BOUNDARY_MODULE), ("deleg", _DELEGATE_MODULE)):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "main.tf").write_text(code, encoding="utf-8")
    attachment = resource(
        "aws_ssoadmin_customer_managed_policy_attachment",
        "ops",
        {
            "instance_arn": "arn:aws:sso:::instance/ssoins-1111111111111111",
            "permission_set_arn": "arn:aws:sso:::permissionSet/ssoins-1/ps-1",
            "customer_managed_policy_reference": [{"name": name, "path": "/"}],
        },
    )
    (tmp_path / "plan.json").write_text(plan_text([attachment]), encoding="utf-8")
    report = lint_paths([str(tmp_path)])
    assert report.errors == []
    judged = [f for f in report.findings if f.location.file.endswith("pol/main.tf")]
    assert sorted(f.rule_id for f in judged) == expected
