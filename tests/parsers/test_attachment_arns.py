"""A managed policy attached by a text that is no ARN: a note at the text, nothing attached.

IAM attaches a managed policy by its ARN; CloudFormation's ManagedPolicyArns and Terraform's
managed_policy_arns / policy_arn pass the text on, so ``AdministratorAccess`` written there fails
the deployment.  It was held as a policy of unknown grants, and ``check`` said nothing.
"""

from __future__ import annotations

from pathlib import Path

import pytest

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
    as CloudFormation notes it, and the set's inline policy is still judged."""
    from rolelint.api import lint_paths
    from tests.parsers.test_terraform import PERMISSION_SET

    module = PERMISSION_SET.replace(
        '"arn:aws:iam::aws:policy/AdministratorAccess"', '"IAMFullAccess"'
    )
    (tmp_path / "main.tf").write_text(module)
    report = lint_paths([str(tmp_path)])
    where = "managed_policy_arn of aws_ssoadmin_managed_policy_attachment.admin"
    assert _identity_center_notes(report.notices) == [(16, where, "'IAMFullAccess'")]
    assert [(f.rule_id, f.location.line) for f in report.findings] == [("RL201", 10)]


# IAM Identity Center attaches a permission set's managed policy by an AWS managed policy's ARN
# only (AttachManagedPolicyToPermissionSet: arn:<partition>:iam::aws:policy/...); a customer
# managed policy is attached by name and path (CustomerManagedPolicyReferences,
# aws_ssoadmin_customer_managed_policy_attachment).  The two formats say one thing of it.
IDENTITY_CENTER = (
    "is no ARN of an AWS managed policy (arn:aws:iam::aws:policy/...), the only value IAM"
    " Identity Center takes there: a deployment with it fails, and nothing is attached for it (a"
    " customer managed policy is attached by its name and path, as a customer managed policy"
    " reference)"
)

PERMISSION_SET_TEMPLATE = """\
Parameters:
  Unknown: {Type: String}
  Prod: {Type: String, Default: "no"}
Conditions:
  IsProd: !Equals [!Ref Prod, "yes"]
Resources:
  Ops:
    Type: AWS::SSO::PermissionSet
    Properties:
      InstanceArn: arn:aws:sso:::instance/ssoins-1111111111111111
      Name: Ops
      ManagedPolicies:
        - IAMFullAccess
        - arn:aws:iam::123456789012:policy/mine
        - arn:aws:iam::aws:policy/ReadOnlyAccess
        - !Sub arn:${AWS::Partition}:iam::aws:policy/job-function/ViewOnlyAccess
        - !Ref Unknown
        - !If [IsProd, PowerUserAccess, !Ref AWS::NoValue]
"""

PERMISSION_SET_MODULE = """\
variable "unknown" { type = string }
variable "prod" { type = bool }
resource "aws_ssoadmin_permission_set" "ops" {
  name         = "Ops"
  instance_arn = "arn:aws:sso:::instance/ssoins-1111111111111111"
}
resource "aws_ssoadmin_managed_policy_attachment" "p" {
  for_each = toset([
    "IAMFullAccess",
    "arn:aws:iam::123456789012:policy/mine",
    "arn:aws:iam::aws:policy/ReadOnlyAccess",
  ])
  permission_set_arn = aws_ssoadmin_permission_set.ops.arn
  instance_arn       = aws_ssoadmin_permission_set.ops.instance_arn
  managed_policy_arn = each.value
}
resource "aws_ssoadmin_managed_policy_attachment" "unknown" {
  permission_set_arn = aws_ssoadmin_permission_set.ops.arn
  instance_arn       = aws_ssoadmin_permission_set.ops.instance_arn
  managed_policy_arn = var.unknown
}
resource "aws_ssoadmin_managed_policy_attachment" "prod" {
  permission_set_arn = aws_ssoadmin_permission_set.ops.arn
  instance_arn       = aws_ssoadmin_permission_set.ops.instance_arn
  managed_policy_arn = var.prod ? "PowerUserAccess" : "arn:aws:iam::aws:policy/SecurityAudit"
}
"""


def _identity_center_notes(notices: list[InputError]) -> list[tuple[int | None, str, str]]:
    """Each note on a permission set's managed policy that is no AWS managed policy's ARN: its
    line, where the parser says it is, and the text it names."""
    found = []
    for notice in notices:
        where, _, said = notice.message.partition(": ")
        if said.endswith(IDENTITY_CENTER):
            found.append((notice.line, where, said.removesuffix(" " + IDENTITY_CENTER)))
    return sorted(found, key=lambda note: (note[0] or 0, note[1]))


def test_a_cloudformation_permission_set_s_managed_policy_that_is_no_aws_managed_arn(
    tmp_path: Path,
) -> None:
    """A name and a customer managed policy's ARN (each branch of a condition too) are a note
    at the item, in the words Terraform uses; an AWS managed ARN (``${AWS::Partition}`` too)
    and a value not known are held."""
    (tmp_path / "t.yaml").write_text(PERMISSION_SET_TEMPLATE)
    inventory, report = read_inventory([str(tmp_path / "t.yaml")])
    where = "ManagedPolicies of permission set Ops"
    assert _identity_center_notes(report.notices) == [
        (13, where, "'IAMFullAccess'"),
        (14, where, "'arn:aws:iam::123456789012:policy/mine'"),
        (18, where, "'PowerUserAccess'"),
    ]
    assert not _refused(report.notices)  # not the wording of a role's attachment
    held = [attachment.reference.arn.text for attachment in inventory.permission_set_policies]
    assert held == [
        "arn:aws:iam::aws:policy/ReadOnlyAccess",
        "arn:aws:iam::aws:policy/job-function/ViewOnlyAccess",  # the !Sub of AWS::Partition
        None,
    ]


def test_a_terraform_permission_set_s_managed_policy_that_is_no_aws_managed_arn(
    tmp_path: Path,
) -> None:
    """aws_ssoadmin_managed_policy_attachment said a name was no policy ARN, in the words of a
    role's attachment, and held a customer managed policy's ARN, which Identity Center refuses
    there.  Both are now the note CloudFormation's ManagedPolicies gives, and attach nothing;
    an AWS managed ARN and a value not known are held."""
    (tmp_path / "main.tf").write_text(PERMISSION_SET_MODULE)
    inventory, report = read_inventory([str(tmp_path)])
    where = "managed_policy_arn of aws_ssoadmin_managed_policy_attachment"
    assert _identity_center_notes(report.notices) == [
        (15, f'{where}.p["IAMFullAccess"]', "'IAMFullAccess'"),
        (
            15,
            f'{where}.p["arn:aws:iam::123456789012:policy/mine"]',
            "'arn:aws:iam::123456789012:policy/mine'",
        ),
        (25, f"{where}.prod", "'PowerUserAccess'"),
    ]
    assert not _refused(report.notices)  # not the wording of a role's attachment
    held = sorted(
        (attachment.reference.arn.text or "") for attachment in inventory.permission_set_policies
    )
    assert held == [
        "",  # var.unknown: not known, may be an AWS managed policy's ARN
        "arn:aws:iam::aws:policy/ReadOnlyAccess",
        "arn:aws:iam::aws:policy/SecurityAudit",
    ]


def test_a_plan_s_permission_set_managed_policy_that_is_no_aws_managed_arn(
    tmp_path: Path,
) -> None:
    """A plan's aws_ssoadmin_managed_policy_attachment held a name or a customer managed
    policy's ARN as the set's policy, silently, where HCL (and CloudFormation) note it.  The
    plan reader asks the same judgement: the same note, at the value, and nothing attached; an
    AWS managed ARN is held, and one known only after apply is not judged."""
    from tests.parsers.test_tf_plan import change, plan_text, resource

    set_arn = "arn:aws:sso:::permissionSet/ssoins-1/ps-1"
    kind = "aws_ssoadmin_managed_policy_attachment"
    attached = {
        "name": "IAMFullAccess",
        "customer": "arn:aws:iam::123456789012:policy/mine",
        "aws": "arn:aws:iam::aws:policy/ReadOnlyAccess",
    }
    resources = [resource("aws_ssoadmin_permission_set", "ops", {"name": "Ops", "arn": set_arn})]
    resources += [
        resource(kind, name, {"permission_set_arn": set_arn, "managed_policy_arn": arn})
        for name, arn in attached.items()
    ]
    resources.append(resource(kind, "later", {"permission_set_arn": set_arn}))
    text = plan_text(resources, [change(f"{kind}.later", {"managed_policy_arn": True})])
    (tmp_path / "plan.json").write_text(text)
    inventory, report = read_inventory([str(tmp_path / "plan.json")])
    lines = text.splitlines()

    def line_of(value: str) -> int:
        return 1 + next(i for i, line in enumerate(lines) if f'"{value}"' in line)

    where = f"managed_policy_arn of {kind}"
    assert _identity_center_notes(report.notices) == [
        (line_of(attached["name"]), f"{where}.name", "'IAMFullAccess'"),
        (
            line_of(attached["customer"]),
            f"{where}.customer",
            "'arn:aws:iam::123456789012:policy/mine'",
        ),
    ]
    assert not _refused(report.notices)
    held = sorted(
        (attachment.reference.arn.text or "") for attachment in inventory.permission_set_policies
    )
    assert held == ["", "arn:aws:iam::aws:policy/ReadOnlyAccess"]


@pytest.mark.parametrize(
    ("text", "refused"),
    [
        ("arn:aws:iam::aws:policy/ReadOnlyAccess", False),
        ("arn:aws-cn:iam::aws:policy/job-function/ViewOnlyAccess", False),
        ("arn:${AWS::Partition}:iam::aws:policy/SecurityAudit", False),  # the deployment's own
        (None, False),  # not known: may be such an ARN
        ("ReadOnlyAccess", True),
        ("arn:aws:iam::${AWS::AccountId}:policy/mine", True),  # a customer managed policy
    ],
)
def test_what_identity_center_takes_as_a_permission_set_s_managed_policy(
    text: str | None, refused: bool
) -> None:
    """The one judgement both parsers ask: an AWS managed policy's ARN of any partition, or of
    the deployment's, is taken; a value not known is not judged."""
    from rolelint.model import Value
    from rolelint.parsers.holder import not_an_aws_managed_arn
    from rolelint.source import SourceRef, Span

    said = not_an_aws_managed_arn(Value(text, SourceRef("t.yaml", Span(1, 1, 1, 2))))
    assert (said is not None) is refused
    if said is not None:
        assert said.endswith(IDENTITY_CENTER) and said.startswith(f"'{text}' ")
