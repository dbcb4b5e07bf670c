"""AWS managed policies attached by ARN are evaluated from their documents, in every format."""

from __future__ import annotations

from pathlib import Path

import pytest

from rolelint.api import lint_paths
from rolelint.managed_policies import known_policies, policy_name
from rolelint.model import Value
from rolelint.source import SourceRef

CFN = """\
Resources:
  Ops:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}
      ManagedPolicyArns:
        - !Sub arn:${AWS::Partition}:iam::aws:policy/POLICY
"""
TERRAFORM = """\
resource "aws_iam_role" "ops" {
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole",
      Principal = { Service = "ec2.amazonaws.com" } }]
  })
}
resource "aws_iam_role_policy_attachment" "ops" {
  role       = aws_iam_role.ops.name
  policy_arn = "arn:aws:iam::aws:policy/POLICY"
}
"""


def findings(tmp_path: Path, form: str, policy: str) -> set[tuple[str, int]]:
    if form == "cloudformation":
        path = tmp_path / "template.yaml"
        path.write_text(CFN.replace("POLICY", policy))
    else:
        path = tmp_path / "main.tf"
        path.write_text(TERRAFORM.replace("POLICY", policy))
    report = lint_paths([str(path)])
    assert report.errors == []
    return {(f.rule_id, f.location.line) for f in report.findings}


@pytest.mark.parametrize(
    ("policy", "rules"),
    [
        ("AdministratorAccess", {"RL201"}),
        ("IAMFullAccess", {"RL201"}),
        ("PowerUserAccess", {"RL204", "RL203"}),
        ("IAMReadOnlyAccess", set()),
        ("ReadOnlyAccess", set()),  # not shipped: stays an unresolved reference
    ],
)
def test_the_same_findings_at_the_attaching_line_in_every_format(
    tmp_path: Path, policy: str, rules: set[str]
) -> None:
    cloudformation = findings(tmp_path, "cloudformation", policy)
    terraform = findings(tmp_path, "terraform", policy)
    assert {rule for rule, _ in cloudformation} == rules
    assert {rule for rule, _ in terraform} == rules
    assert {line for _, line in cloudformation} <= {10}  # the ARN in ManagedPolicyArns
    assert {line for _, line in terraform} <= {10}  # policy_arn of the attachment


def test_the_finding_names_the_policy_version_and_the_holder(tmp_path: Path) -> None:
    path = tmp_path / "template.yaml"
    path.write_text(CFN.replace("POLICY", "AdministratorAccess"))
    [finding] = lint_paths([str(path)]).findings
    assert finding.message.startswith(
        "AWS managed policy AdministratorAccess (v1, edited 2015-02-06) attached to role Ops"
    )


def test_policy_names_from_arns() -> None:
    at = SourceRef("t.yaml")
    assert policy_name(Value("arn:aws-cn:iam::aws:policy/IAMFullAccess", at)) == "IAMFullAccess"
    assert policy_name(Value("arn:aws:iam::aws:policy/service-role/X", at)) == "X"
    assert policy_name(Value("arn:aws:iam::123456789012:policy/Mine", at)) is None
    assert policy_name(Value(None, at, "parameter")) is None


def test_every_shipped_policy_records_its_version_and_date() -> None:
    for name, entry in known_policies().items():
        assert entry["policy_version"].startswith("v"), name
        assert len(entry["edited"]) == 10, name
        assert entry["statements"], name
