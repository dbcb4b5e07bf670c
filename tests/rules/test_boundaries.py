"""Permissions boundaries cap what a role's policies grant: a capped grant is not reported."""

from __future__ import annotations

from pathlib import Path

import pytest

from rolelint.api import lint_paths
from rolelint.findings import Finding
from tests.conftest import FIXTURES
from tests.rules.harness import findings_of, line_of

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
