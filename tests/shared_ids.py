"""Projects whose holders share an id: one Terraform module two roots call (one block, one
file and address, two roles), and one logical id in two templates that attach policies a third
file defines; and a module one root calls twice (two ids, one block), whose findings are
merged into one.  Only prod's holder is admin; the audit views once gave staging's the findings on
prod's, since a finding counted for every holder of its id written in the file it points into.
"""

from __future__ import annotations

from pathlib import Path

MODULE = """\
variable "name" { type = string }
variable "admin" {
  type    = bool
  default = false
}
resource "aws_iam_role" "this" {
  name = var.name
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", \
Principal = { Service = "codebuild.amazonaws.com" }, Action = "sts:AssumeRole" }] })
}
resource "aws_iam_role_policy_attachment" "admin" {
  count      = var.admin ? 1 : 0
  role       = aws_iam_role.this.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}
"""
ADDRESS = "module.ci.aws_iam_role.this"


def module_of_two_roots(directory: Path, *, staging_admin: bool = False) -> Path:
    """``mod/`` and the roots ``prod/`` (admin) and ``staging/`` (admin only if asked) calling
    it as ``module.ci``; ``directory``, whose roots to scan."""
    (directory / "mod").mkdir(parents=True)
    (directory / "mod" / "main.tf").write_text(MODULE)
    for root, admin in (("prod", True), ("staging", staging_admin)):
        (directory / root).mkdir()
        flag = "  admin  = true\n" if admin else ""
        (directory / root / "main.tf").write_text(
            f'module "ci" {{\n  source = "../mod"\n  name   = "{root}-ci"\n{flag}}}\n'
        )
    return directory


TWICE = ("module.a.aws_iam_role.this", "module.b.aws_iam_role.this")


def module_called_twice(directory: Path) -> Path:
    """``mod/`` and one root ``app/`` calling it twice, as ``module.a`` and ``module.b``, both
    with ``admin = true``: two roles (two ids) that say the same at one place, which ``check``
    merges into one finding naming ``module.a`` ("also as module.b..."); ``directory / "app"``,
    the root to scan."""
    (directory / "mod").mkdir(parents=True)
    (directory / "mod" / "main.tf").write_text(MODULE)
    (directory / "app").mkdir()
    calls = (
        f'module "{name}" {{\n  source = "../mod"\n  name   = "{name}-ci"\n  admin  = true\n}}\n'
        for name in ("a", "b")
    )
    (directory / "app" / "main.tf").write_text("\n".join(calls))
    return directory / "app"


POLICIES = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  OpsAdminPolicy:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      ManagedPolicyName: ops-admin
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Action: "iam:*"
            Resource: "*"
  ReadConfigPolicy:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      ManagedPolicyName: read-config
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Action: "s3:GetObject"
            Resource: "arn:aws:s3:::acme-config/*"
"""
APP = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  AppRole:
    Type: AWS::IAM::Role
    Properties:
      RoleName: {stage}-app
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {{Service: ec2.amazonaws.com}}
            Action: sts:AssumeRole
      ManagedPolicyArns:
        - !Sub arn:aws:iam::${{AWS::AccountId}}:policy/{policy}
"""


def templates_of_two_stages(directory: Path) -> Path:
    """``prod/app.yaml`` and ``staging/app.yaml``, each defining AppRole, attaching ops-admin
    (``iam:*``) and read-config, both defined in ``shared/policies.yaml``; ``directory``."""
    for stage, policy in (("prod", "ops-admin"), ("staging", "read-config")):
        (directory / stage).mkdir(parents=True)
        (directory / stage / "app.yaml").write_text(APP.format(stage=stage, policy=policy))
    (directory / "shared").mkdir()
    (directory / "shared" / "policies.yaml").write_text(POLICIES)
    return directory


CHAIN_MODULE = """\
variable "name" { type = string }
resource "aws_iam_role" "this" {
  name = var.name
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", \
Principal = { Service = "codebuild.amazonaws.com" }, Action = "sts:AssumeRole" }] })
}
resource "aws_iam_role_policy" "hop" {
  role = aws_iam_role.this.id
  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", \
Action = "sts:AssumeRole", Resource = "arn:aws:iam::*:role/admin" }] })
}
"""
ADMIN_ROLE = """\
data "aws_caller_identity" "me" {{}}
resource "aws_iam_role" "admin" {{
  name = "admin"
  assume_role_policy = jsonencode({{ Version = "2012-10-17", Statement = [{{ Effect = "Allow", \
Principal = {{ AWS = "arn:aws:iam::${{data.aws_caller_identity.me.account_id}}:{trusted}" }}, \
Action = "sts:AssumeRole" }}] }})
}}
resource "aws_iam_role_policy_attachment" "admin" {{
  role       = aws_iam_role.admin.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}}
"""


def module_chaining_in_roots(directory: Path, *, both: bool = False) -> Path:
    """``mod/``, whose role may assume any role named ``admin`` (a grant written in the
    module, so the chaining findings point into it), and the roots ``prod/`` and ``staging/``
    calling it as ``module.ci``.  prod defines ``admin`` (AdministratorAccess), trusting only
    prod's instance by its ARN, or, with ``both``, the whole account: then staging's instance
    reaches it as well, with the same words at the same place; ``directory``."""
    (directory / "mod").mkdir(parents=True)
    (directory / "mod" / "main.tf").write_text(CHAIN_MODULE)
    for root in ("prod", "staging"):
        (directory / root).mkdir()
        call = f'module "ci" {{\n  source = "../mod"\n  name   = "{root}-ci"\n}}\n'
        trusted = "root" if both else "role/prod-ci"
        admin = ADMIN_ROLE.format(trusted=trusted) if root == "prod" else ""
        (directory / root / "main.tf").write_text(call + admin)
    return directory


def module_chaining_twice(directory: Path) -> Path:
    """``mod/`` (as above) and one root ``app/`` calling it as ``module.a`` and ``module.b``
    and defining ``admin``, which trusts the account: both instances reach it, and ``check``
    merges the two RL401 into one naming ``module.a``; ``directory / "app"``."""
    (directory / "mod").mkdir(parents=True)
    (directory / "mod" / "main.tf").write_text(CHAIN_MODULE)
    (directory / "app").mkdir()
    calls = "".join(
        f'module "{name}" {{\n  source = "../mod"\n  name   = "{name}-ci"\n}}\n'
        for name in ("a", "b")
    )
    (directory / "app" / "main.tf").write_text(calls + ADMIN_ROLE.format(trusted="root"))
    return directory / "app"
