"""The policies of an IAM Identity Center permission set are judged together, as a role's.

Identity Center creates, in each account a set is assigned to, one role holding every policy of
the set: its inline policy, the AWS managed policies it attaches and the customer managed ones
it names, under its permissions boundary.  Each policy was judged standing alone: the inline
policy's Deny of ``iam:*`` did not take away what AdministratorAccess grants (RL201, critical,
where the same policies on a role give RL202), a Deny of the escalation actions left RL206 and
RL207 naming them, and an ``iam:PassRole`` on ``*`` beside PowerUserAccess missed the
escalation methods the two policies make together.  The set's role is no role of the
inventory: ``roles``, ``graph`` and ``show`` do not list it, as before.
"""

from __future__ import annotations

import json
from pathlib import Path

from rolelint.api import lint_paths
from rolelint.findings import Finding
from tests.conftest import run_rolelint
from tests.parsers.test_tf_plan import plan_text, policy_text, resource
from tests.rules.harness import line_of

SET_HEAD = """\
Resources:
  {name}:
    Type: AWS::SSO::PermissionSet
    Properties:
      InstanceArn: arn:aws:sso:::instance/ssoins-1234567890abcdef
      Name: {name}
      ManagedPolicies:
        - arn:aws:iam::aws:policy/{managed}
      InlinePolicy:
        Version: "2012-10-17"
        Statement:
"""
NO_IAM = (
    '          - {Effect: Deny, Action: ["iam:*", "organizations:*", "account:*"], Resource: "*"}\n'
)
NO_ESCALATION = (
    "          - Effect: Deny\n"
    "            Action: [sts:AssumeRole, lambda:UpdateFunctionCode, ssm:SendCommand,"
    " ssm:StartSession]\n"
    '            Resource: "*"\n'
)
PASS_ANY_ROLE = '          - {Effect: Allow, Action: iam:PassRole, Resource: "*"}\n'


def permission_set(name: str, managed: str, *statements: str) -> str:
    return SET_HEAD.format(name=name, managed=managed) + "".join(statements)


def role(name: str, managed: str, *statements: str) -> str:
    """The same policies on a role, as the reference the set's findings must agree with."""
    return (
        "Resources:\n"
        f"  {name}:\n"
        "    Type: AWS::IAM::Role\n"
        "    Properties:\n"
        "      AssumeRolePolicyDocument:\n"
        '        Version: "2012-10-17"\n'
        "        Statement:\n"
        "          - Effect: Allow\n"
        '            Principal: {AWS: !Sub "arn:aws:iam::${AWS::AccountId}:root"}\n'
        "            Action: sts:AssumeRole\n"
        "      ManagedPolicyArns:\n"
        f"        - arn:aws:iam::aws:policy/{managed}\n"
        "      Policies:\n"
        "        - PolicyName: own\n"
        "          PolicyDocument:\n"
        '            Version: "2012-10-17"\n'
        "            Statement:\n"
        + "".join(f"    {line}" for line in "".join(statements).splitlines(True))
    )


def check(tmp_path: Path, text: str, name: str = "t.yaml") -> list[Finding]:
    path = tmp_path / name
    path.write_text(text)
    report = lint_paths([str(path)])
    assert report.errors == []
    return report.findings


def rules_at(findings: list[Finding]) -> set[tuple[str, int]]:
    return {(f.rule_id, f.location.line) for f in findings}


def messages(findings: list[Finding], rule: str) -> list[str]:
    return [f.message for f in findings if f.rule_id == rule]


def test_the_sets_deny_takes_away_what_its_managed_policy_allows(tmp_path: Path) -> None:
    """AdministratorAccess under the set's own Deny of ``iam:*``, ``organizations:*`` and
    ``account:*`` was full administrator access (RL201, critical): the Deny is the set's, as it
    is the role's, and what is left is every action but those (RL202), at the same line."""
    text = permission_set("PlatformEngineer", "AdministratorAccess", NO_IAM)
    findings = check(tmp_path, text)
    attached = line_of(text, "policy/AdministratorAccess")
    assert ("RL201", attached) not in rules_at(findings)
    [wide] = messages(findings, "RL202")
    assert wide == (
        "AWS managed policy AdministratorAccess (v1, edited 2015-02-06) attached to permission"
        " set PlatformEngineer allows '*', which still grants every action of every service"
        " except iam:*, organizations:*, account:* (the Deny in inline policy of permission set"
        f" PlatformEngineer (line {line_of(text, 'Effect: Deny')}) removes iam:*,"
        " organizations:*, account:*)"
    )
    # The role with the same policies comes to the same rules at the same line.
    as_role = role("PlatformEngineer", "AdministratorAccess", NO_IAM)
    role_findings = check(tmp_path, as_role, "role.yaml")
    role_line = line_of(as_role, "policy/AdministratorAccess")
    assert {r for r, line in rules_at(findings) if line == attached} == {
        r for r, line in rules_at(role_findings) if line == role_line
    }


def test_the_sets_deny_takes_away_escalation_actions(tmp_path: Path) -> None:
    """PowerUserAccess under the set's Deny of sts:AssumeRole, lambda:UpdateFunctionCode,
    ssm:SendCommand and ssm:StartSession was still RL207 (assume any role) and RL206 naming the
    very actions denied."""
    text = permission_set("Developer", "PowerUserAccess", NO_ESCALATION)
    findings = check(tmp_path, text)
    assert "RL207" not in {f.rule_id for f in findings}
    [escalation] = messages(findings, "RL206")
    for denied in ("lambda:UpdateFunctionCode", "ssm:SendCommand", "ssm:StartSession"):
        assert denied not in escalation
    assert "glue:UpdateDevEndpoint" in escalation


def test_escalation_methods_combine_the_sets_policies(tmp_path: Path) -> None:
    """iam:PassRole on ``*`` in the inline policy and ec2:RunInstances (and more) in
    PowerUserAccess are a privilege escalation together, as they are on a role: the finding
    names the methods and the policy that allows their other half."""
    text = permission_set("Developer", "PowerUserAccess", PASS_ANY_ROLE)
    findings = check(tmp_path, text)
    [passing] = [
        m for m in messages(findings, "RL206") if m.startswith("Inline policy of permission set")
    ]
    assert "with its other permissions it can pass a role to a new EC2 instance" in passing
    assert passing.endswith(
        "which AWS managed policy PowerUserAccess (v12, edited 2026-02-12) attached to permission"
        f" set Developer (line {line_of(text, 'policy/PowerUserAccess')}) allows: privilege"
        " escalation"
    )


def test_one_sets_deny_limits_no_other_set(tmp_path: Path) -> None:
    """Each set is a role of its own: the Deny of one takes nothing from another, of the same
    template, with the same managed policy."""
    denied = permission_set("Limited", "AdministratorAccess", NO_IAM)
    admin = permission_set("Admin", "AdministratorAccess", PASS_ANY_ROLE)
    text = denied + admin.removeprefix("Resources:\n")
    findings = check(tmp_path, text)
    assert ("RL201", line_of(text, "policy/AdministratorAccess", 2)) in rules_at(findings)
    assert ("RL201", line_of(text, "policy/AdministratorAccess")) not in rules_at(findings)


def test_fingerprints_stay_where_the_verdict_does(tmp_path: Path) -> None:
    """A finding the set's other policies do not change keeps its message and fingerprint:
    RL204 on PowerUserAccess is the same beside an inline policy granting iam:PassRole as
    beside one reading a bucket (no role line: the set's role is no role of the inventory)."""
    read = '          - {Effect: Allow, Action: s3:GetObject, Resource: "arn:aws:s3:::b/*"}\n'
    reading = check(tmp_path, permission_set("Developer", "PowerUserAccess", read))
    passing = check(tmp_path, permission_set("Developer", "PowerUserAccess", PASS_ANY_ROLE))
    [before] = [f for f in reading if f.rule_id == "RL204"]
    [after] = [f for f in passing if f.rule_id == "RL204"]
    assert (before.fingerprint, before.message) == (after.fingerprint, after.message)
    assert (after.role, after.roles) == (None, ())


def test_the_sets_role_is_no_role_of_the_audit(tmp_path: Path) -> None:
    """The role Identity Center creates is not the template's: the inventory and the graph
    list no role for a set, whose policies are now judged together."""
    path = tmp_path / "t.yaml"
    path.write_text(permission_set("Developer", "PowerUserAccess", PASS_ANY_ROLE, NO_ESCALATION))
    roles = run_rolelint("roles", str(path), "-f", "json")
    assert json.loads(roles.stdout)["roles"] == []
    graph = run_rolelint("graph", str(path), "-f", "json")
    assert json.loads(graph.stdout)["nodes"] == []


TERRAFORM_SET = """\
resource "aws_ssoadmin_permission_set" "platform" {
  name         = "PlatformEngineer"
  instance_arn = "arn:aws:sso:::instance/ssoins-1"
}

resource "aws_ssoadmin_managed_policy_attachment" "admin" {
  instance_arn       = aws_ssoadmin_permission_set.platform.instance_arn
  permission_set_arn = aws_ssoadmin_permission_set.platform.arn
  managed_policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

resource "aws_ssoadmin_permission_set_inline_policy" "deny" {
  instance_arn       = aws_ssoadmin_permission_set.platform.instance_arn
  permission_set_arn = aws_ssoadmin_permission_set.platform.arn
  inline_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Deny"
      Action   = ["iam:*", "organizations:*", "account:*"]
      Resource = "*"
    }]
  })
}
"""


def test_terraform_sets_judge_their_attachments_together(tmp_path: Path) -> None:
    """``aws_ssoadmin_managed_policy_attachment`` and ``aws_ssoadmin_permission_set_inline_policy``
    of one set: the inline Deny takes away what AdministratorAccess allows (RL202, not RL201)."""
    (tmp_path / "main.tf").write_text(TERRAFORM_SET)
    report = lint_paths([str(tmp_path)])
    attached = line_of(TERRAFORM_SET, "policy/AdministratorAccess")
    assert rules_at(report.findings) >= {("RL202", attached)}
    assert ("RL201", attached) not in rules_at(report.findings)
    [wide] = messages(report.findings, "RL202")
    assert wide.endswith(
        "(the Deny in inline policy aws_ssoadmin_permission_set_inline_policy.deny of a"
        f" permission set (line {line_of(TERRAFORM_SET, 'Statement = [{')}) removes iam:*,"
        " organizations:*, account:*)"
    )


def test_terraform_sets_combine_escalation_methods(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        TERRAFORM_SET.replace("AdministratorAccess", "PowerUserAccess")
        .replace('"Deny"', '"Allow"')
        .replace('["iam:*", "organizations:*", "account:*"]', '"iam:PassRole"')
    )
    report = lint_paths([str(tmp_path)])
    [passing] = [m for m in messages(report.findings, "RL206") if m.startswith("Inline policy")]
    assert "with its other permissions it can pass a role to a new EC2 instance" in passing
    assert "attached to permission set aws_ssoadmin_permission_set.platform" in passing


def test_a_terraform_set_of_several_instances_keeps_its_policies_apart(tmp_path: Path) -> None:
    """Which instance of a set with ``for_each`` an attachment names is not read: the Deny of
    one set must not take away what another's policy allows, so each policy is judged alone,
    as before."""
    text = TERRAFORM_SET.replace(
        'name         = "PlatformEngineer"',
        'for_each     = toset(["a", "b"])\n  name         = each.key',
    ).replace("aws_ssoadmin_permission_set.platform.", 'aws_ssoadmin_permission_set.platform["a"].')
    (tmp_path / "main.tf").write_text(text)
    report = lint_paths([str(tmp_path)])
    assert ("RL201", line_of(text, "policy/AdministratorAccess")) in rules_at(report.findings)


def test_plan_sets_judge_their_policies_together(tmp_path: Path) -> None:
    """As in HCL: a plan's inline policy and managed policy attachment naming one set by its
    ARN are that set's role's; another set's Deny takes nothing from it."""
    set_arn = "arn:aws:sso:::permissionSet/ssoins-1/ps-1"
    deny = policy_text(
        {"Effect": "Deny", "Action": ["iam:*", "organizations:*", "account:*"], "Resource": "*"}
    )
    admin = "arn:aws:iam::aws:policy/AdministratorAccess"

    def lint(inline_set: str) -> set[str]:
        text = plan_text(
            [
                resource("aws_ssoadmin_permission_set", "ps", {"name": "p", "arn": set_arn}),
                resource(
                    "aws_ssoadmin_managed_policy_attachment",
                    "admin",
                    {"managed_policy_arn": admin, "permission_set_arn": set_arn},
                ),
                resource(
                    "aws_ssoadmin_permission_set_inline_policy",
                    "deny",
                    {"inline_policy": deny, "permission_set_arn": inline_set},
                ),
            ]
        )
        path = tmp_path / "plan.json"
        path.write_text(text, encoding="utf-8")
        report = lint_paths([str(path)])
        assert report.errors == []
        return {f.rule_id for f in report.findings}

    assert "RL201" not in lint(set_arn)
    assert "RL202" in lint(set_arn)
    assert "RL201" in lint("arn:aws:sso:::permissionSet/ssoins-1/ps-2")


def test_a_managed_policy_by_import_is_held_with_the_sets_others(tmp_path: Path) -> None:
    """A managed policy another template's export names (IAMFullAccess, read once every file
    is parsed) is the set's too: the set's inline Deny of ``iam:*`` takes it all away."""
    from tests.test_stack_exports import APP, found, stacks

    folder = stacks(tmp_path, "permission-set")
    assert (APP, "RL201", 8, 25) in found(folder)
    app = json.loads((folder / APP).read_text(encoding="utf-8"))
    deny = {"Effect": "Deny", "Action": "iam:*", "Resource": "*"}
    properties = app["Resources"]["IamAdmins"]["Properties"]
    properties["InlinePolicy"] = {"Version": "2012-10-17", "Statement": [deny]}
    (folder / APP).write_text(json.dumps(app, indent=1), encoding="utf-8")
    assert [rule for _, rule, _, _ in found(folder)] == ["RL203"]  # Developers' iam:*


CHOSEN_DENY = """\
Parameters:
  Env: {Type: String}
Conditions:
  Prod: !Equals [!Ref Env, prod]
Resources:
  Engineer:
    Type: AWS::SSO::PermissionSet
    Properties:
      InstanceArn: arn:aws:sso:::instance/ssoins-1234567890abcdef
      Name: Engineer
      ManagedPolicies:
        - arn:aws:iam::aws:policy/AdministratorAccess
      InlinePolicy: !If
        - Prod
        - Version: "2012-10-17"
          Statement:
            - {Effect: Deny, Action: "iam:*", Resource: "*"}
        - !Ref AWS::NoValue
"""


def test_a_deny_only_some_deployments_have_limits_nothing_else(tmp_path: Path) -> None:
    """An inline policy a condition chooses (``!If [C, {...}, !Ref AWS::NoValue]``, a Terraform
    policy whose ``count`` is not known) is absent where the condition is false: its Deny takes
    nothing from the managed policy there, as a role's optional inline policy takes nothing."""
    attached = line_of(CHOSEN_DENY, "policy/AdministratorAccess")
    assert ("RL201", attached) in rules_at(check(tmp_path, CHOSEN_DENY))
    (tmp_path / "t.yaml").unlink()
    hcl = TERRAFORM_SET.replace(
        'resource "aws_ssoadmin_permission_set_inline_policy" "deny" {\n',
        'variable "strict" {\n  type = bool\n}\n\n'
        'resource "aws_ssoadmin_permission_set_inline_policy" "deny" {\n'
        "  count              = var.strict ? 1 : 0\n",
    )
    (tmp_path / "main.tf").write_text(hcl)
    report = lint_paths([str(tmp_path)])
    assert ("RL201", line_of(hcl, "policy/AdministratorAccess")) in rules_at(report.findings)


REWRITES_ITS_OWN = """\
Resources:
  Dev:
    Type: AWS::SSO::PermissionSet
    Properties:
      InstanceArn: arn:aws:sso:::instance/ssoins-1234567890abcdef
      Name: Dev
      CustomerManagedPolicyReferences:
        - {Name: dev, Path: /team/}
      InlinePolicy:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Action: iam:CreatePolicyVersion
            Resource: "arn:aws:iam::*:policy/team/*"
"""


# A role holding an AWS managed policy: the run reads that policy's document into a new
# inventory (managed_policies.resolve_managed_policies) before the checks.
OTHER_ROLE = """\
  Other:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}
      ManagedPolicyArns: [arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly]
"""


def test_a_set_rewriting_its_own_customer_managed_policy_escalates(tmp_path: Path) -> None:
    """The customer managed policy a set names (``CustomerManagedPolicyReferences``,
    ``aws_ssoadmin_customer_managed_policy_attachment``) is its role's, in the account it is
    assigned to: iam:CreatePolicyVersion on a pattern naming it lets the set rewrite it to
    allow anything, which a role holding that policy gets RL206 for and the set did not.
    Beside a role holding an AWS managed policy too, whose reading left the references out."""
    [escalation] = messages(check(tmp_path, REWRITES_ITS_OWN), "RL206")
    assert messages(check(tmp_path, REWRITES_ITS_OWN + OTHER_ROLE), "RL206") == [escalation]
    assert escalation == (
        "Inline policy of permission set Dev allows iam:CreatePolicyVersion on"
        " 'arn:aws:iam::*:policy/team/*' (the managed policy it holds"
        " 'arn:aws:iam::${AWS::AccountId}:policy/team/dev' among them), which lets it rewrite"
        " that policy to allow it anything: privilege escalation"
    )
    (tmp_path / "t.yaml").unlink()
    (tmp_path / "main.tf").write_text(
        """\
resource "aws_ssoadmin_permission_set" "dev" {
  name         = "Dev"
  instance_arn = "arn:aws:sso:::instance/ssoins-1"
}
resource "aws_ssoadmin_customer_managed_policy_attachment" "dev" {
  instance_arn       = "arn:aws:sso:::instance/ssoins-1"
  permission_set_arn = aws_ssoadmin_permission_set.dev.arn
  customer_managed_policy_reference {
    name = "dev"
    path = "/team/"
  }
}
resource "aws_ssoadmin_permission_set_inline_policy" "dev" {
  instance_arn       = "arn:aws:sso:::instance/ssoins-1"
  permission_set_arn = aws_ssoadmin_permission_set.dev.arn
  inline_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{
      Effect = "Allow", Action = "iam:CreatePolicyVersion",
      Resource = "arn:aws:iam::*:policy/team/*"
    }]
  })
}
"""
    )
    found = lint_paths([str(tmp_path)]).findings
    assert [f.rule_id for f in found] == ["RL206"]
    assert "'arn:aws:iam::${AWS::AccountId}:policy/team/dev' among them" in found[0].message


def test_a_plan_sets_customer_managed_policy_is_its_own(tmp_path: Path) -> None:
    """As in HCL, for a plan naming the set by its ARN."""
    set_arn = "arn:aws:sso:::permissionSet/ssoins-1/ps-1"
    rewrite = policy_text(
        {
            "Effect": "Allow",
            "Action": "iam:CreatePolicyVersion",
            "Resource": "arn:aws:iam::*:policy/team/*",
        }
    )
    reference = [{"name": "dev", "path": "/team/"}]
    text = plan_text(
        [
            resource("aws_ssoadmin_permission_set", "ps", {"name": "p", "arn": set_arn}),
            resource(
                "aws_ssoadmin_customer_managed_policy_attachment",
                "dev",
                {"permission_set_arn": set_arn, "customer_managed_policy_reference": reference},
            ),
            resource(
                "aws_ssoadmin_permission_set_inline_policy",
                "rewrite",
                {"inline_policy": rewrite, "permission_set_arn": set_arn},
            ),
        ]
    )
    path = tmp_path / "plan.json"
    path.write_text(text, encoding="utf-8")
    [escalation] = lint_paths([str(path)]).findings
    assert escalation.rule_id == "RL206"
    assert "'arn:aws:iam::${AWS::AccountId}:policy/team/dev' among them" in escalation.message
