"""A managed policy attached by a text that is no ARN: a note at the text, nothing attached.

IAM attaches a managed policy by its ARN; CloudFormation's ManagedPolicyArns and Terraform's
managed_policy_arns / policy_arn pass the text on, so ``AdministratorAccess`` written there fails
the deployment.  It was held as a policy of unknown grants, and ``check`` said nothing.
"""

from __future__ import annotations

from pathlib import Path

from rolelint.api import read_inventory
from rolelint.findings import InputError

TEMPLATE = """\
Parameters:
  Named: {Type: String, Default: ReadOnlyAccess}
  Unknown: {Type: String}
  Prod: {Type: String, Default: "no"}
Conditions:
  IsProd: !Equals [!Ref Prod, "yes"]
Resources:
  R:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - {Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}
      ManagedPolicyArns:
        - AdministratorAccess
        - arn:aws:iam::aws:policy/job-function/ViewOnlyAccess
        - !Sub arn:${AWS::Partition}:iam::aws:policy/PowerUserAccess
        - !Ref Named
        - !Ref Unknown
        - !If [IsProd, SecurityAudit, !Ref AWS::NoValue]
  U:
    Type: AWS::IAM::User
    Properties:
      ManagedPolicyArns: [service-role/AWSLambdaRole]
"""

MODULE = """\
resource "aws_iam_role" "r" {
  name               = "r"
  assume_role_policy = "{}"
  managed_policy_arns = [
    "AdministratorAccess",
    "arn:aws:iam::aws:policy/ReadOnlyAccess",
    var.unknown,
  ]
}

variable "unknown" {}

resource "aws_iam_role_policy_attachment" "a" {
  role       = aws_iam_role.r.name
  policy_arn = "PowerUserAccess"
}
"""

REFUSED = "is no policy ARN: IAM attaches a managed policy by its ARN"


def _refused(notices: list[InputError]) -> list[tuple[int | None, str]]:
    """Where each note on a text that is no ARN is, and what it names."""
    return sorted(
        ((n.line, n.message.split(": ")[0]) for n in notices if REFUSED in n.message),
        key=lambda said: (said[0] or 0, said[1]),
    )


def test_a_name_in_managed_policy_arns_is_a_note_and_attaches_nothing(tmp_path: Path) -> None:
    """A name written out, or a parameter's default that is one, is noted where it is written;
    an ARN, a value not known and a condition's branch are held as before."""
    (tmp_path / "t.yaml").write_text(TEMPLATE)
    inventory, report = read_inventory([str(tmp_path / "t.yaml")])
    assert _refused(report.notices) == [
        (15, "ManagedPolicyArns of R"),
        (18, "ManagedPolicyArns of R"),
        (24, "ManagedPolicyArns of U"),
    ]
    first = next(n for n in report.notices if REFUSED in n.message)
    assert first.message == (
        "ManagedPolicyArns of R: 'AdministratorAccess' is no policy ARN: IAM attaches a managed"
        " policy by its ARN (arn:aws:iam::aws:policy/AdministratorAccess for an AWS managed"
        " policy of that name at the root path), so a deployment with it fails, and nothing is"
        " attached for it"
    )
    role = next(r for r in inventory.roles if r.id == "R")
    held = [reference.arn.text for reference in role.managed_policy_arns]
    assert "AdministratorAccess" not in held and "ReadOnlyAccess" not in held
    assert "arn:aws:iam::aws:policy/job-function/ViewOnlyAccess" in held
    assert None in held  # !Ref Unknown: not known, held as a policy of unknown grants
    user = next(i for i in inventory.identities if i.id == "U")
    assert user.managed_policy_arns == ()


def test_a_name_as_a_terraform_policy_arn_is_a_note_and_attaches_nothing(tmp_path: Path) -> None:
    """managed_policy_arns and an attachment's policy_arn alike; a variable without a value
    stays a policy of unknown grants."""
    (tmp_path / "main.tf").write_text(MODULE)
    inventory, report = read_inventory([str(tmp_path)])
    assert _refused(report.notices) == [
        (5, "managed_policy_arns of aws_iam_role.r"),
        (15, "policy_arn of aws_iam_role_policy_attachment.a"),
    ]
    (role,) = inventory.roles
    held = [reference.arn.text for reference in role.managed_policy_arns]
    assert held == ["arn:aws:iam::aws:policy/ReadOnlyAccess", None]


def test_a_name_as_a_permission_set_s_managed_policy_arn_is_a_note(tmp_path: Path) -> None:
    """Regression hunt: Identity Center's managed_policy_arn given a name attached nothing and
    said nothing in Terraform, while CloudFormation's ManagedPolicies noted it; it is noted
    the same way as a role's attachment, and the set's inline policy is still judged."""
    from rolelint.api import lint_paths
    from tests.parsers.test_terraform import PERMISSION_SET

    module = PERMISSION_SET.replace(
        '"arn:aws:iam::aws:policy/AdministratorAccess"', '"IAMFullAccess"'
    )
    (tmp_path / "main.tf").write_text(module)
    report = lint_paths([str(tmp_path)])
    assert _refused(report.notices) == [
        (16, "managed_policy_arn of aws_ssoadmin_managed_policy_attachment.admin")
    ]
    assert [(f.rule_id, f.location.line) for f in report.findings] == [("RL201", 10)]
