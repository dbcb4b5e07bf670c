"""CloudFormation roles, policy resources, identities, instance profiles and compute."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from rolelint.api import lint_paths
from rolelint.model import (
    THIS_ACCOUNT,
    Identity,
    IdentityKind,
    PolicyKind,
    PrincipalKind,
    Role,
    generated_name,
    identity_holder,
    unresolved_path,
)
from rolelint.parsers.cfn_foreach import UNKNOWN_COLLECTION
from rolelint.parsers.cloudformation import NOT_EXPANDED, PROPERTIES_NOT_EXPANDED
from tests.parsers.cfn_helpers import at, identity, parse_fixture, parse_text, role


def test_role_properties_are_resolved_and_positioned() -> None:
    inventory = parse_fixture("roles.yaml")
    app = role(inventory, "AppRole")
    assert app.ref.span is not None
    assert (app.ref.span.line, app.ref.span.column) == (19, 3)
    assert app.name is not None and app.name.text == "app"
    assert app.path is not None and app.path.text == "/service/"
    assert app.arn.text == f"arn:aws:iam::{THIS_ACCOUNT}:role/service/app"
    assert app.arn.ref == app.ref
    # MaxSessionDuration under Fn::If: both branches, each at its own position.
    assert [(v.text, at(v)) for v in app.max_session_duration] == [
        ("43200", (24, 40)),
        ("3600", (24, 47)),
    ]
    assert app.permissions_boundary is not None
    assert app.permissions_boundary.text == f"arn:aws:iam::{THIS_ACCOUNT}:policy/boundary"
    assert app.instance_profiles == ("AppProfile",)


def test_trust_policy_principals_point_at_themselves() -> None:
    app = role(parse_fixture("roles.yaml"), "AppRole")
    trust = app.trust_policy
    assert trust is not None
    assert trust.kind is PolicyKind.TRUST
    assert trust.origin == "trust policy of role AppRole"
    principals = [(p.kind, p.value.text, at(p.value)) for p in trust.statements[0].principals]
    assert principals == [
        (PrincipalKind.AWS, "arn:aws:iam::111122223333:root", (31, 20)),
        (PrincipalKind.SERVICE, "ec2.amazonaws.com", (32, 24)),
    ]


def test_inline_policy_actions_and_unresolved_resource() -> None:
    app = role(parse_fixture("roles.yaml"), "AppRole")
    inline = app.policies[0]
    assert inline.origin == "inline policy 'reads' of role AppRole"
    assert inline.kind is PolicyKind.PERMISSIONS
    statement = inline.statements[0]
    assert [(a.text, at(a)) for a in statement.actions] == [
        ("s3:GetObject", (40, 26)),
        ("s3:ListBucket", (40, 40)),
    ]
    (resource,) = statement.resources
    assert resource.text is None
    assert resource.unresolved_reason == "parameter OtherAccount has no default"
    assert at(resource) == (41, 27)


def test_managed_policy_arns_and_getatt_arn() -> None:
    inventory = parse_fixture("roles.yaml")
    app, worker = role(inventory, "AppRole"), role(inventory, "WorkerRole")
    assert [(m.arn.text, at(m.arn)) for m in app.managed_policy_arns] == [
        ("arn:aws:iam::aws:policy/ReadOnlyAccess", (43, 11))
    ]
    assert worker.arn.text == (
        f"arn:aws:iam::{THIS_ACCOUNT}:role/<generated:{worker.ref.file}#WorkerRole>"
    )
    assert worker.name is None
    # !GetAtt AppRole.Arn in a trust policy is exactly AppRole's ARN.
    assert worker.trust_policy is not None
    (principal,) = worker.trust_policy.statements[0].principals
    assert principal.value.text == app.arn.text
    assert at(principal.value) == (52, 30)


def test_managed_policy_on_two_roles_is_one_object() -> None:
    inventory = parse_fixture("roles.yaml")
    app, worker = role(inventory, "AppRole"), role(inventory, "WorkerRole")
    shared_in_app = [d for d in app.policies if d.resource == "SharedPolicy"]
    shared_in_worker = [d for d in worker.policies if d.resource == "SharedPolicy"]
    # Attached by Roles (a Ref, a literal RoleName) and by AppRole's ManagedPolicyArns: once.
    assert len(shared_in_app) == len(shared_in_worker) == 1
    assert shared_in_app[0] is shared_in_worker[0]
    assert shared_in_app[0].origin == "AWS::IAM::ManagedPolicy SharedPolicy"
    holders = {
        document.resource: [r.id for r in roles]
        for document, roles in inventory.permission_policies()
    }
    assert holders["SharedPolicy"] == ["AppRole", "WorkerRole"]


def test_policy_and_role_policy_attach_by_name_and_ref() -> None:
    inventory = parse_fixture("roles.yaml")
    app, worker = role(inventory, "AppRole"), role(inventory, "WorkerRole")
    assert [d.resource for d in app.policies] == ["AppRole", "SharedPolicy", "AssumePolicy"]
    assert [d.resource for d in worker.policies] == ["SharedPolicy", "WorkerInline"]
    assume = next(d for d in app.policies if d.resource == "AssumePolicy")
    (target,) = assume.statements[0].resources
    assert target.text == worker.arn.text
    assert at(target) == (75, 23)


IF_ATTACHED = """\
Transform: AWS::Serverless-2016-10-31
Parameters:
  Env: {Type: String, Default: prod, AllowedValues: [prod, dev]}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
  Admin:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Action: "*", Resource: "*"}
  Caller:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}
      Policies:
        - PolicyName: hop
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - {Effect: Allow, Action: sts:AssumeRole, Resource: !GetAtt Target.Arn}
  Target:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Principal: {AWS: !GetAtt Caller.Arn}, Action: sts:AssumeRole}
      ManagedPolicyArns:
        - !If [IsProd, !Ref Admin, !Ref AWS::NoValue]
        - arn:aws:iam::aws:policy/ReadOnlyAccess
  PassAny:
    Type: AWS::IAM::Policy
    Properties:
      PolicyName: pass
      Roles: [!If [IsProd, !Ref Target, !Ref AWS::NoValue]]
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Action: iam:PassRole, Resource: "*"}
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: i.h
      Policies:
        - !If [IsProd, !Ref Admin, AWSLambdaExecute]
"""


def test_references_an_fn_if_chooses_attach_the_templates_policies(tmp_path: Path) -> None:
    """``ManagedPolicyArns: [!If [IsProd, !Ref Admin, !Ref AWS::NoValue]]`` (and a policy's
    ``Roles``, a SAM function's ``Policies`` written so) attached nothing: the role showed
    "none (+1 unread policy)" and the chain to it was judged without its admin access.  The
    deployments whose branch names the policy attach it."""
    inventory = parse_text(IF_ATTACHED)
    target, fn_role = role(inventory, "Target"), role(inventory, "FnRole")
    assert [d.resource for d in target.policies] == ["Admin", "PassAny"]
    assert [ref.arn.text for ref in target.managed_policy_arns] == [
        "arn:aws:iam::aws:policy/ReadOnlyAccess"
    ]
    assert [d.resource for d in fn_role.policies] == ["Admin"]
    assert [ref.arn.text for ref in fn_role.managed_policy_arns] == [
        "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
        # A name rolelint knows no path of: the stand-in of a path not known.
        "arn:aws:iam::aws:policy"
        + unresolved_path("template.yaml", "AWSLambdaExecute")
        + "AWSLambdaExecute",
    ]
    # Attached in some deployments only: one document, optional, for both roles.
    assert target.policies[0] is fn_role.policies[0] and target.policies[0].optional
    (tmp_path / "t.yaml").write_text(IF_ATTACHED)
    report = lint_paths([str(tmp_path / "t.yaml")])
    assert not report.errors
    found = {(f.rule_id, f.location.line) for f in report.findings}
    assert found == {("RL201", 13), ("RL405", 20), ("RL401", 26), ("RL206", 45)}
    rl401 = next(f for f in report.findings if f.rule_id == "RL401")
    assert rl401.severity.value == "high" and "administrator-level access" in rl401.message


IF_DENY = """\
Parameters:
  Env: {Type: String, Default: prod, AllowedValues: [prod, dev]}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
  Fence:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      Roles: [!Ref Always]
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Deny, Action: "*", Resource: "*"}
  Always:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}
      Policies:
        - PolicyName: all
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - {Effect: Allow, Action: "*", Resource: "*"}
  Sometimes:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}
      ManagedPolicyArns: [!If [IsProd, !Ref Fence, !Ref AWS::NoValue]]
      Policies:
        - PolicyName: all
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - {Effect: Allow, Action: "*", Resource: "*"}
"""


def test_a_deny_an_fn_if_attaches_does_not_limit_every_deployment(tmp_path: Path) -> None:
    """A Deny policy attached in one branch only is not there in the other: the role's own
    grants stay open where it is left out.  The role that always has it is limited."""
    inventory = parse_text(IF_DENY)
    always, sometimes = role(inventory, "Always"), role(inventory, "Sometimes")
    [fence] = [d for d in always.policies if d.resource == "Fence"]
    [sometimes_fence] = [d for d in sometimes.policies if d.resource == "Fence"]
    assert not fence.optional and sometimes_fence.optional
    (tmp_path / "t.yaml").write_text(IF_DENY)
    report = lint_paths([str(tmp_path / "t.yaml")])
    assert [(f.rule_id, f.location.line, f.role) for f in report.findings] == [
        ("RL201", 40, "Sometimes")
    ]


BY_ARN = """\
Resources:
  Admin:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      ManagedPolicyName: team-admin
      Path: /teams/
      PolicyDocument:
        Statement:
          - {Effect: Allow, Action: "*", Resource: "*"}
  App:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - {Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}
      ManagedPolicyArns:
        - !Sub "arn:${AWS::Partition}:iam::${AWS::AccountId}:policy/teams/team-admin"
        - arn:aws:iam::111122223333:policy/teams/team-admin
        - !Sub "arn:${AWS::Partition}:iam::${AWS::AccountId}:policy/team-admin"
"""


def test_the_templates_managed_policy_named_by_its_arn_is_attached() -> None:
    """An ARN of this account naming the template's managed policy by name and path attaches
    it as a Ref would; another account's, or another path, stays an ARN rolelint cannot read."""
    app = role(parse_text(BY_ARN), "App")
    assert [d.resource for d in app.policies] == ["Admin"]
    assert [ref.arn.text for ref in app.managed_policy_arns] == [
        "arn:aws:iam::111122223333:policy/teams/team-admin",
        f"arn:aws:iam::{THIS_ACCOUNT}:policy/team-admin",
    ]


def test_unattached_policy_is_standalone() -> None:
    inventory = parse_fixture("roles.yaml")
    assert [d.resource for d in inventory.standalone_policies] == ["Orphan"]
    assert inventory.standalone_policies[0].kind is PolicyKind.PERMISSIONS


def test_users_and_groups_are_identities() -> None:
    inventory = parse_fixture("roles.yaml")
    deployer = identity(inventory, "Deployer")
    assert deployer.kind is IdentityKind.USER
    assert deployer.arn.text == f"arn:aws:iam::{THIS_ACCOUNT}:user/deployer"
    assert [d.origin for d in deployer.policies] == ["inline policy 'assume-app' of user Deployer"]
    assert [m.arn.text for m in deployer.managed_policy_arns] == [
        "arn:aws:iam::aws:policy/PowerUserAccess"
    ]
    operators = identity(inventory, "Operators")
    assert operators.kind is IdentityKind.GROUP
    assert [d.resource for d in operators.policies] == ["OperatorsPolicy"]
    assert inventory.problems == []


def test_instance_and_launch_template_compute() -> None:
    inventory = parse_fixture("roles.yaml")
    server, template = inventory.compute
    assert server.kind == "AWS::EC2::Instance"
    assert server.instance_profile is not None
    assert server.instance_profile.text == "AppProfile"
    assert at(server.instance_profile) == (132, 27)
    assert server.http_tokens is not None and server.http_tokens.text == "optional"
    assert at(server.http_tokens) == (134, 21)
    assert server.metadata_options_ref is not None
    assert server.metadata_options_ref.line == 133
    assert template.kind == "AWS::EC2::LaunchTemplate"
    assert template.instance_profile is not None
    assert template.instance_profile.text == "AppProfile"
    assert template.http_tokens is not None and template.http_tokens.text == "required"
    assert at(template.http_tokens) == (143, 23)


def test_json_template() -> None:
    inventory = parse_fixture("roles.json")
    (json_role,) = inventory.roles
    assert json_role.arn.text == f"arn:aws:iam::{THIS_ACCOUNT}:role/json-role"
    assert [(v.text, at(v)) for v in json_role.max_session_duration] == [("7200", (11, 31))]
    assert json_role.trust_policy is not None
    statement = json_role.trust_policy.statements[0]
    assert [(p.value.text, at(p.value)) for p in statement.principals] == [
        ("arn:aws:iam::555555555555:root", (17, 36))
    ]
    assert [(c.operator, c.key) for c in statement.conditions] == [
        ("StringEquals", "sts:ExternalId")
    ]
    # A policy given as JSON text is read; its elements are where the string writes them,
    # through its escapes (the action's \"s3:*\").
    (inline,) = json_role.policies
    assert [a.text for a in inline.statements[0].actions] == ["s3:*"]
    assert at(inline.statements[0].actions[0]) == (26, 85)
    # Linked by the literal role name.
    assert json_role.instance_profiles == ("JsonProfile",)


FOR_EACH_TEMPLATE = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::LanguageExtensions
Parameters:
  Teams:
    Type: CommaDelimitedList
Resources:
  Fn::ForEach::Teams:
    - Team
    - [alpha, beta]
    - ${Team}Role:
        Type: AWS::IAM::Role
        Properties:
          RoleName: !Sub ${Team}-deploy
          AssumeRolePolicyDocument:
            Statement:
              - {Effect: Allow, Principal: {AWS: "*"}, Action: sts:AssumeRole}
  Fn::ForEach::Unknown:
    - Team
    - !Ref Teams
    - ${Team}Other:
        Type: AWS::IAM::Role
        Properties:
          AssumeRolePolicyDocument:
            Statement:
              - {Effect: Allow, Principal: {AWS: "*"}, Action: sts:AssumeRole}
  Fn::ForEach::Buckets:
    - Name
    - !Ref Teams
    - ${Name}Bucket:
        Type: AWS::S3::Bucket
"""


def test_a_for_each_loop_generates_its_roles(tmp_path: Path) -> None:
    """The loop's resources used to vanish without a word.  A loop over a list written out is
    written out, each role at the loop's lines; one over values not known is a note (none for
    a loop of resources rolelint does not read, such as buckets)."""
    (tmp_path / "teams.yaml").write_text(FOR_EACH_TEMPLATE)
    report = lint_paths([str(tmp_path / "teams.yaml")])
    assert [(n.line, n.column, n.message) for n in report.notices] == [
        (17, 3, f"Fn::ForEach::Unknown: {NOT_EXPANDED}: {UNKNOWN_COLLECTION}")
    ]
    open_roles = sorted(
        (f.resource, f.location.line) for f in report.findings if f.rule_id == "RL101"
    )
    assert open_roles == [("alphaRole", 16), ("betaRole", 16)]
    inventory = parse_text(FOR_EACH_TEMPLATE)
    assert sorted(r.name.text for r in inventory.roles if r.name and r.name.text) == [
        "alpha-deploy",
        "beta-deploy",
    ]


PROPERTY_LOOPS = """\
Transform: AWS::LanguageExtensions
Parameters:
  Keys: {Type: CommaDelimitedList}
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - {Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}
      Fn::ForEach::Settings:
        - Key
        - [MaxSessionDuration]
        - ${Key}: 90000
      Fn::ForEach::Unknown: [K, !Ref Keys, {'${K}': 1}]
  Bucket:
    Type: AWS::S3::Bucket
    Properties:
      Fn::ForEach::Unknown: [K, !Ref Keys, {'${K}': 1}]
"""


def test_loops_in_a_roles_properties_are_written_out(tmp_path: Path) -> None:
    """A loop writing a role's properties was dropped without a word: its session length of
    90,000 s (AWS accepts at most 43,200) went unreported.  A loop over values not known is a
    note, but not in a resource rolelint does not read."""
    (tmp_path / "t.yaml").write_text(PROPERTY_LOOPS)
    report = lint_paths([str(tmp_path / "t.yaml")])
    assert [(f.rule_id, f.location.line) for f in report.findings if f.rule_id == "RL301"] == [
        ("RL301", 14)
    ]
    assert [(n.line, n.message) for n in report.notices] == [
        (15, f"Fn::ForEach::Unknown in Role: {PROPERTIES_NOT_EXPANDED}: {UNKNOWN_COLLECTION}")
    ]


def test_launch_template_data_chosen_by_if_gives_every_branch() -> None:
    """Launch template data under Fn::If was read as a mapping without keys: the template's
    instance profile and metadata options were lost, and with them its RL501."""
    template = (
        "Conditions:\n  Prod: !Equals [!Ref AWS::StackName, prod]\nResources:\n"
        "  Profile:\n    Type: AWS::IAM::InstanceProfile\n    Properties:\n      Roles: [x]\n"
        "  LT:\n    Type: AWS::EC2::LaunchTemplate\n    Properties:\n"
        "      LaunchTemplateData: !If\n        - Prod\n"
        "        - IamInstanceProfile: {Name: !Ref Profile}\n"
        "          MetadataOptions: {HttpTokens: optional}\n"
        "        - IamInstanceProfile: {Name: !Ref Profile}\n"
        "          MetadataOptions: {HttpTokens: required}\n"
    )
    compute = parse_text(template).compute
    assert [(c.id, c.instance_profile is not None) for c in compute] == [("LT", True), ("LT", True)]
    assert [(c.http_tokens.text, c.http_tokens.ref.line) for c in compute if c.http_tokens] == [
        ("optional", 14),
        ("required", 16),
    ]


USER_GROUPS = """\
Resources:
  Deployers:
    Type: AWS::IAM::Group
    Properties:
      Policies:
        - PolicyName: assume-admin
          PolicyDocument:
            Version: "2012-10-17"
            Statement: [{Effect: Allow, Action: sts:AssumeRole, Resource: "*"}]
  CiUser:
    Type: AWS::IAM::User
    Properties:
      Groups: [!Ref Deployers]
  OtherUser:
    Type: AWS::IAM::User
  Addition:
    Type: AWS::IAM::UserToGroupAddition
    Properties:
      GroupName: !Ref Deployers
      Users: [!Ref OtherUser]
"""


def test_users_belong_to_the_groups_the_template_puts_them_in() -> None:
    """A user's Groups and AWS::IAM::UserToGroupAddition were not read, so what a group may
    do (assume an admin role) was not what its members may do."""
    inventory = parse_text(USER_GROUPS)
    assert identity(inventory, "CiUser").groups == ("Deployers",)
    assert identity(inventory, "OtherUser").groups == ("Deployers",)
    assert identity(inventory, "Deployers").groups == ()


def test_a_group_or_user_chosen_by_fn_if_is_an_optional_membership() -> None:
    """A group chosen by Fn::If (or added by a conditioned UserToGroupAddition) was dropped:
    a user made an administrator in prod had no access at all.  Its grants are the user's in
    the deployments that add it; its Denies limit nothing (see identity_holder)."""
    template = "Conditions:\n  Prod: !Equals [!Ref AWS::StackName, prod]\n" + USER_GROUPS.replace(
        "[!Ref Deployers]", "[!If [Prod, !Ref Deployers, !Ref AWS::NoValue]]"
    ).replace("  Addition:\n", "  Addition:\n    Condition: Prod\n").replace(
        "  OtherUser:\n",
        "  Always:\n    Type: AWS::IAM::User\n    Properties:\n"
        "      Groups: [!Ref Deployers, !If [Prod, !Ref Deployers, !Ref AWS::NoValue]]\n"
        "  OtherUser:\n",
    )
    inventory = parse_text(template)
    memberships = {
        name: (identity(inventory, name).groups, identity(inventory, name).optional_groups)
        for name in ("CiUser", "OtherUser", "Always")
    }
    assert memberships == {
        "CiUser": ((), ("Deployers",)),
        "OtherUser": ((), ("Deployers",)),
        "Always": (("Deployers",), ()),  # named in every deployment as well
    }
    groups = {i.id: i for i in inventory.identities}
    holder = identity_holder(identity(inventory, "CiUser"), groups)
    assert [(p.resource, p.optional) for p in holder.policies] == [("Deployers", True)]


@pytest.mark.parametrize(
    ("user_condition", "optional"),
    [("Prod", False), ("Other", True), (None, True)],
)
def test_an_addition_under_the_users_own_condition_is_certain(
    user_condition: str | None, optional: bool
) -> None:
    """A UserToGroupAddition under the Condition the user is created under is made wherever
    the user is (CloudFormation creates both or neither), so the group's Denies limit the
    user too; it was taken for an optional membership, as under any other condition."""
    conditions = (
        "Conditions:\n  Prod: !Equals [!Ref AWS::StackName, prod]\n"
        "  Other: !Equals [!Ref AWS::Region, us-east-1]\n"
    )
    user = "  OtherUser:\n    Type: AWS::IAM::User\n"
    if user_condition:
        user += f"    Condition: {user_condition}\n"
    template = conditions + USER_GROUPS.replace(
        "  Addition:\n", "  Addition:\n    Condition: Prod\n"
    ).replace("  OtherUser:\n    Type: AWS::IAM::User\n", user)
    other = identity(parse_text(template), "OtherUser")
    expected = ((), ("Deployers",)) if optional else (("Deployers",), ())
    assert (other.groups, other.optional_groups) == expected


def test_a_role_chosen_by_fn_if_is_in_its_instance_profile() -> None:
    template = (
        "Conditions:\n  Prod: !Equals [!Ref AWS::StackName, prod]\nResources:\n"
        "  App:\n    Type: AWS::IAM::Role\n    Properties:\n"
        "      AssumeRolePolicyDocument: {Statement: []}\n"
        "  Profile:\n    Type: AWS::IAM::InstanceProfile\n    Properties:\n"
        "      Roles: [!If [Prod, !Ref App, !Ref AWS::NoValue]]\n"
    )
    assert role(parse_text(template), "App").instance_profiles == ("Profile",)


def test_a_role_knows_the_arn_iam_gives_each_of_its_instance_profiles() -> None:
    """Its path and InstanceProfileName, every name an Fn::If may give it, or the stand-in for
    the one CloudFormation generates: the logical id (the key compute resources find it by) is
    no name IAM knows it by."""
    template = (
        "Conditions:\n  Prod: !Equals [!Ref AWS::StackName, prod]\nResources:\n"
        "  App:\n    Type: AWS::IAM::Role\n    Properties:\n"
        "      AssumeRolePolicyDocument: {Statement: []}\n"
        "  Named:\n    Type: AWS::IAM::InstanceProfile\n    Properties:\n"
        "      InstanceProfileName: !If [Prod, app-prod, app-dev]\n      Path: /app/\n"
        "      Roles: [!Ref App]\n"
        "  Unnamed:\n    Type: AWS::IAM::InstanceProfile\n    Properties:\n"
        "      Roles: [!Ref App]\n"
    )
    app = role(parse_text(template), "App")
    assert app.instance_profiles == ("Named", "Unnamed")
    prefix = f"arn:aws:iam::{THIS_ACCOUNT}:instance-profile/"
    assert [v.text for v in app.instance_profile_arns] == [
        f"{prefix}app/app-prod",
        f"{prefix}app/app-dev",
        f"{prefix}{generated_name(app.ref.file, 'Unnamed')}",
    ]


PERMISSION_SETS = """\
Resources:
  Admin:
    Type: AWS::SSO::PermissionSet
    Properties:
      Name: Admin
      ManagedPolicies: [arn:aws:iam::aws:policy/AdministratorAccess]
      InlinePolicy:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Action: s3:GetObjct, Resource: "arn:aws:s3:::logs/*"}
  Bounded:
    Type: AWS::SSO::PermissionSet
    Properties:
      Name: Bounded
      InlinePolicy: '{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}'
      PermissionsBoundary: {ManagedPolicyArn: arn:aws:iam::aws:policy/ReadOnlyAccess}
  AdminBound:
    Type: AWS::SSO::PermissionSet
    Properties:
      Name: AdminBound
      InlinePolicy:
        {Version: "2012-10-17", Statement: [{Effect: Allow, Action: "*", Resource: "*"}]}
      PermissionsBoundary: {ManagedPolicyArn: arn:aws:iam::aws:policy/AdministratorAccess}
  S3Bound:
    Type: AWS::SSO::PermissionSet
    Properties:
      Name: S3Bound
      InlinePolicy:
        {Version: "2012-10-17", Statement: [{Effect: Allow, Action: "*", Resource: "*"}]}
      PermissionsBoundary: {ManagedPolicyArn: arn:aws:iam::aws:policy/AmazonS3FullAccess}
  CustomerBound:
    Type: AWS::SSO::PermissionSet
    Properties:
      Name: CustomerBound
      ManagedPolicies: [arn:aws:iam::aws:policy/AdministratorAccess]
      PermissionsBoundary:
        CustomerManagedPolicyReference: {Name: dev-boundary, Path: /team/}
"""


def test_permission_sets_policies_are_judged_under_their_set_s_boundary(tmp_path: Path) -> None:
    """IAM Identity Center permission sets were not read at all.  A set's permissions boundary
    limits its policies as a role's limits the role's: one with any boundary was left out with
    a note (exit 0 with AdministratorAccess as boundary and Action "*").  An AWS managed
    boundary rolelint ships is applied (AmazonS3FullAccess leaves every s3 action, no
    administrator); one it cannot read (an AWS managed policy it does not ship, a customer
    managed policy of each account) may limit the grant, as the finding says."""
    (tmp_path / "t.yaml").write_text(PERMISSION_SETS)
    report = lint_paths([str(tmp_path / "t.yaml")])
    found = sorted((f.rule_id, f.location.line) for f in report.findings)
    assert found == [
        ("RL201", 6),
        ("RL201", 15),
        ("RL201", 22),
        ("RL201", 35),
        ("RL202", 29),
        ("RL203", 29),
        ("RL208", 29),
        ("RL602", 15),  # no Version: analyzed now
        ("RL605", 10),
    ]
    assert report.notices == []
    said = {(f.rule_id, f.location.line): f.message for f in report.findings}
    assert said[("RL201", 15)].endswith(
        "(its permissions boundary, AWS managed policy ReadOnlyAccess, is not in rolelint's"
        " policy data and may limit this)"
    )
    assert said[("RL201", 22)].endswith(
        "(AWS managed policy AdministratorAccess as permissions boundary of permission set"
        " AdminBound allows it)"
    )
    assert "limits it to 's3:*', 's3-object-lambda:*'" in said[("RL202", 29)]
    assert said[("RL201", 35)].endswith(
        "(its permissions boundary /team/dev-boundary is not in the scanned files and may limit"
        " this)"
    )


NAMED_MANAGED_POLICIES = """\
Conditions:
  Prod: !Equals [!Ref "AWS::Region", us-east-1]
Resources:
  Named:
    Type: AWS::SSO::PermissionSet
    Properties:
      InstanceArn: arn:aws:sso:::instance/ssoins-1111111111111111
      Name: Named
      ManagedPolicies:
        - AdministratorAccess
        - AWSLambdaKinesisExecutionRole
        - arn:aws:iam::123456789012:policy/mine
        - !If [Prod, ReadOnlyAccess, !Sub "arn:${AWS::Partition}:iam::aws:policy/ReadOnlyAccess"]
        - arn:aws-us-gov:iam::aws:policy/job-function/ViewOnlyAccess
"""


def test_a_permission_set_s_managed_policy_that_is_no_aws_managed_arn_is_a_note(
    tmp_path: Path,
) -> None:
    """IAM Identity Center takes ARNs of AWS managed policies in ``ManagedPolicies``
    (AttachManagedPolicyToPermissionSet: ``arn:<partition>:iam::aws:policy/...``).  A name was
    read as the ARN of the root path's policy: ``AdministratorAccess`` was RL201 on a set that
    cannot be deployed, and ``AWSLambdaKinesisExecutionRole`` (under ``service-role/``) an ARN
    of no policy.  Each item that is no such ARN (a name, a customer managed policy's ARN) is a
    note at it, and the set holds nothing of it; no path is guessed."""
    (tmp_path / "t.yaml").write_text(NAMED_MANAGED_POLICIES)
    report = lint_paths([str(tmp_path / "t.yaml")])
    assert report.findings == []
    refused = [
        (n.line, n.message.split(": ")[1].split(" is no")[0])
        for n in report.notices
        if "is no ARN of an AWS managed policy" in n.message
    ]
    assert refused == [
        (10, "'AdministratorAccess'"),
        (11, "'AWSLambdaKinesisExecutionRole'"),
        (12, "'arn:aws:iam::123456789012:policy/mine'"),
        (13, "'ReadOnlyAccess'"),
    ]
    assert report.notices[0].message == (
        "ManagedPolicies of permission set Named: 'AdministratorAccess' is no ARN of an AWS"
        " managed policy (arn:aws:iam::aws:policy/...), the only value IAM Identity Center takes"
        " there: a deployment with it fails, and nothing is attached for it (a customer managed"
        " policy is attached by its name and path, as a customer managed policy reference)"
    )
    held = [
        attachment.reference.arn.text
        for attachment in parse_text(NAMED_MANAGED_POLICIES).permission_set_policies
    ]
    assert held == [
        "arn:aws:iam::aws:policy/ReadOnlyAccess",
        "arn:aws-us-gov:iam::aws:policy/job-function/ViewOnlyAccess",
    ]


def test_a_permission_set_s_customer_managed_policies_are_recorded_by_name_and_path() -> None:
    """A set's ``CustomerManagedPolicyReferences`` name a policy of each account it is assigned
    to: recorded with their name and path (every option a condition chooses), a name rolelint
    cannot read as not known, so that a policy of the scan so named is not taken for a boundary
    alone (rolelint.boundary_links)."""
    inventory = parse_text(
        """\
Parameters:
  Name: {Type: String}
Conditions:
  Prod: !Equals [!Ref "AWS::Region", eu-west-1]
Resources:
  Ops:
    Type: AWS::SSO::PermissionSet
    Properties:
      InstanceArn: arn:aws:sso:::instance/ssoins-1111111111111111
      Name: Ops
      CustomerManagedPolicyReferences:
        - {Name: workload-boundary}
        - {Name: !If [Prod, prod-policy, dev-policy], Path: /team/}
        - {Name: !Ref Name}
"""
    )
    found = [
        (r.name.text, r.path.text if r.path is not None else None, r.permission_set)
        for r in inventory.permission_set_customer_policies
    ]
    assert found == [
        ("workload-boundary", None, "Ops"),
        ("prod-policy", "/team/", "Ops"),
        ("dev-policy", "/team/", "Ops"),
        (None, None, "Ops"),
    ]
    [first, *_] = inventory.permission_set_customer_policies
    assert at(first.name) == (12, 18)


WILDCARD_FILE = """\
Resources:
  Caller:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}
  Target:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal:
              AWS: !GetAtt Caller.Arn
            Action: sts:AssumeRole
      Policies:
        - PolicyName: p
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - {Effect: Allow, Action: iam:PassRole, Resource: !GetAtt Caller.Arn}
"""


def test_a_wildcard_in_the_file_name_makes_no_generated_arn_a_pattern(tmp_path: Path) -> None:
    """The stand-in for a generated role name holds the file name: a ``*`` or ``?`` in it made
    the role's ARN a pattern, reported as a malformed principal (RL111) where ``!GetAtt
    Caller.Arn`` names a role exactly, and the chain from Caller to Target was missed."""
    for name in ("app*.yaml", "app?.yaml"):
        (tmp_path / name).write_text(WILDCARD_FILE)
        report = lint_paths([str(tmp_path / name)])
        assert [(f.rule_id, f.location.line, f.role) for f in report.findings] == [
            ("RL401", 17, "Caller")
        ]
    caller = role(parse_text(WILDCARD_FILE, "app*%.yaml"), "Caller")
    assert caller.arn.text == f"arn:aws:iam::{THIS_ACCOUNT}:role/<generated:app%2A%25.yaml#Caller>"


def _conditional_template(role_props: str, policy: str) -> str:
    """A role with iam:* on '*' (its Condition and further properties: ``role_props``), and a
    managed policy Limit (its Condition, Roles and statement: ``policy``)."""
    return (
        "Parameters:\n  Env: {Type: String, Default: dev}\n"
        "Conditions:\n  IsProd: !Equals [!Ref Env, prod]\n  IsProd2: !Equals [!Ref Env, prod]\n"
        "Resources:\n  ProdRole:\n    Type: AWS::IAM::Role\n"
        + role_props
        + "      AssumeRolePolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n"
        "          - {Effect: Allow, Principal: {Service: ec2.amazonaws.com}, "
        "Action: sts:AssumeRole}\n"
        "      Policies:\n        - PolicyName: ops\n          PolicyDocument:\n"
        "            Version: '2012-10-17'\n            Statement:\n"
        "              - {Effect: Allow, Action: 'iam:*', Resource: '*'}\n"
        "  Limit:\n    Type: AWS::IAM::ManagedPolicy\n" + policy
    )


BOUNDARY = (
    "      PolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n"
    "          - {Effect: Allow, Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*'}\n"
)
DENY = (
    "      PolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n"
    "          - {Effect: Deny, Action: 'iam:*', Resource: '*'}\n"
)
PROPS = "    Properties:\n"
PROD = "    Condition: IsProd\n"
REFERS = "      PermissionsBoundary: !Ref Limit\n"
IF_PROD = "      PermissionsBoundary: !If [IsProd, !Ref Limit, !Ref AWS::NoValue]\n"
TO_ROLE = "      Roles: [!Ref ProdRole]\n"


@pytest.mark.parametrize(
    ("role_props", "policy", "reported"),
    [
        # The role refers to its boundary: it is never created without it.
        (PROPS + REFERS, PROD + PROPS + BOUNDARY, False),
        (PROD + PROPS + REFERS, PROD + PROPS + BOUNDARY, False),
        # ... nor with an Fn::If on its own condition, which always takes its first branch.
        (PROD + PROPS + IF_PROD, PROD + PROPS + BOUNDARY, False),
        # An Fn::If on a condition the role is not created under: maybe no boundary.
        (PROPS + IF_PROD, PROD + PROPS + BOUNDARY, True),
        # A Deny naming the role, created under the role's own condition.
        (PROD + PROPS, PROD + PROPS + TO_ROLE + DENY, False),
        # Under another condition (even an equivalent one), or none on the role: not proven.
        (PROD + PROPS, "    Condition: IsProd2\n" + PROPS + TO_ROLE + DENY, True),
        (PROPS, PROD + PROPS + TO_ROLE + DENY, True),
        # A Deny the role refers to (ManagedPolicyArns: [!Ref Limit]).
        (PROPS + "      ManagedPolicyArns: [!Ref Limit]\n", PROD + PROPS + DENY, False),
    ],
    ids=[
        "boundary-referred-to",
        "boundary-same-condition",
        "boundary-if-on-own-condition",
        "boundary-if-on-a-condition",
        "deny-same-condition",
        "deny-other-condition",
        "deny-role-unconditional",
        "deny-referred-to",
    ],
)
def test_a_conditional_limit_counts_where_the_template_proves_it_is_deployed_with_the_role(
    tmp_path: Path, role_props: str, policy: str, reported: bool
) -> None:
    """A boundary or Deny with a Condition was taken as missing from some deployment of the
    role, whatever the role: a critical RL201 for a role never created without it.  The role
    refers to it (a resource depending on one a Condition leaves out is not created either),
    or both have the same Condition: then it limits the role.  Anything else still does not."""
    text = _conditional_template(role_props, policy)
    (tmp_path / "t.yaml").write_text(text)
    report = lint_paths([str(tmp_path / "t.yaml")])
    at = next(n for n, line in enumerate(text.splitlines(), 1) if "'iam:*'" in line)
    expected = [("RL201", at, "ProdRole")] if reported else []
    assert [(f.rule_id, f.location.line, f.role) for f in report.findings] == expected


STACK_SET = """\
Resources:
  Spread:
    Type: AWS::CloudFormation::StackSet
    Properties:
      PermissionModel: SERVICE_MANAGED
      TemplateBody: |
        Resources:
          Reader:
            Type: {kind}
            Properties:
              AssumeRolePolicyDocument:
                Statement:
                  - {{Effect: Allow, Principal: "*", Action: sts:AssumeRole}}
"""


@pytest.mark.parametrize(
    ("kind", "noticed"),
    [
        ("AWS::IAM::Role", "AWS::IAM::Role"),
        ("AWS::IAM::RolePolicy", "AWS::IAM::RolePolicy"),  # not taken for AWS::IAM::Role
        ("AWS::SQS::Queue", None),
    ],
)
def test_a_stack_set_template_body_with_roles_is_a_notice(
    tmp_path: Path, kind: str, noticed: str | None
) -> None:
    """The roles of a StackSet's TemplateBody are created in every target account but are only
    text here: the template was passed over in silence, as if it were clean."""
    (tmp_path / "t.yaml").write_text(STACK_SET.format(kind=kind))
    report = lint_paths([str(tmp_path / "t.yaml")])
    assert report.findings == [] and report.errors == []
    expected = (
        [
            (
                6,
                f"the TemplateBody of StackSet Spread is a template with {noticed} resources, "
                "which is not analyzed: check that template as a file of its own",
            )
        ]
        if noticed
        else []
    )
    assert [(n.line, n.message) for n in report.notices] == expected


INCLUDED = """\
Resources:
  Fn::Transform:
    Name: AWS::Include
    Parameters:
      Location: s3://bucket/more-roles.yaml
  One:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}
      Policies:
        - Fn::Transform:
            Name: AWS::Include
            Parameters: {Location: s3://bucket/policy.yaml}
  All:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}
      Policies:
        Fn::Transform:
          Name: AWS::Include
          Parameters: {Location: s3://bucket/policies.yaml}
  Ops:
    Type: AWS::IAM::User
    Properties:
      Policies:
        - !Ref PolicyParameter
Parameters:
  PolicyParameter: {Type: String}
"""


def test_inline_policies_and_resources_an_include_brings_are_noted_and_unread(
    tmp_path: Path,
) -> None:
    """``AWS::Include`` may stand anywhere but in Parameters (CloudFormation user guide,
    "AWS::Include transform"): an inline policy it brings (one item, or the whole
    ``Policies``) was dropped without a word and its role showed access "none", and resources
    it brings into ``Resources`` were passed over as if the template held no more.  Each is
    now a note where it is written, and the policies are held as unread (a lower bound)."""
    (tmp_path / "t.yaml").write_text(INCLUDED)
    report = lint_paths([str(tmp_path / "t.yaml")])
    assert report.findings == [] and report.errors == []
    reason = "Fn::Transform is not resolved statically"
    assert [(n.line, n.column, n.message) for n in report.notices] == [
        (
            2,
            3,
            "Fn::Transform in Resources: the resources it includes (from"
            " s3://bucket/more-roles.yaml) are not analyzed",
        ),
        (14, 11, f"an inline policy of role One is not analyzed: {reason}"),
        (25, 9, f"the inline policies of role All are not analyzed: {reason}"),
        (
            32,
            11,
            "an inline policy of user Ops is not analyzed: parameter PolicyParameter has no"
            " default",
        ),
    ]
    inventory = parse_text(INCLUDED)
    holders: list[Role | Identity] = [*inventory.roles, *inventory.identities]
    unread = {
        holder.id: [
            (r.origin, r.inline, r.arn.text, r.arn.ref.line, r.arn.unresolved_reason)
            for r in holder.managed_policy_arns
        ]
        for holder in holders
    }
    assert unread == {
        "One": [("inline policy of role One", True, None, 14, reason)],
        "All": [("inline policies of role All", True, None, 25, reason)],
        "Ops": [
            (
                "inline policy of user Ops",
                True,
                None,
                32,
                "parameter PolicyParameter has no default",
            )
        ],
    }


UNKNOWN_PATH = """\
Parameters:
  TeamPath: {{Type: String}}
Resources:
  Admin:
    Type: AWS::IAM::Role
    Properties:
      RoleName: admin
{path}
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {{AWS: !Sub "arn:aws:iam::${{AWS::AccountId}}:root"}}
            Action: sts:AssumeRole
      ManagedPolicyArns: [arn:aws:iam::aws:policy/AdministratorAccess]
  Deployer:
    Type: AWS::IAM::User
    Properties:
      UserName: deployer
{path}
  App:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {{Effect: Allow, Principal: {{Service: lambda.amazonaws.com}}, Action: sts:AssumeRole}}
      Policies:
        - PolicyName: hop
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: sts:AssumeRole
                Resource: {resource}
"""
NAMED = '!Sub "arn:aws:iam::${AWS::AccountId}:role/admin"'


@pytest.mark.parametrize(
    ("path", "resource", "chained"),
    [
        ("      Path: !Ref TeamPath", NAMED, False),
        ("      Path: !ImportValue team-path", NAMED, False),
        ("", NAMED, True),  # no Path: the role is at "/"
        ('      Path: ""', NAMED, True),
        ("      Path: /", NAMED, True),
        ("      Path: /team/", NAMED, False),
        # A reference to the role, or a pattern over every path, names it whatever its path.
        ("      Path: !Ref TeamPath", "!GetAtt Admin.Arn", True),
        ("      Path: !Ref TeamPath", '!Sub "arn:aws:iam::${AWS::AccountId}:role/*"', True),
    ],
    ids=["parameter", "import", "absent", "empty", "root", "literal", "getatt", "pattern"],
)
def test_a_path_rolelint_cannot_resolve_makes_no_arn_a_path_less_name_matches(
    tmp_path: Path, path: str, resource: str, chained: bool
) -> None:
    """A Path rolelint cannot resolve (a parameter without a default, an import) was taken as
    "/", so ``role/admin`` named the role whose ARN may be ``role/team/admin``: RL401 and RL405
    on a value rolelint does not know.  Now its ARN holds a stand-in for the path."""
    text = UNKNOWN_PATH.format(path=path, resource=resource)
    (tmp_path / "t.yaml").write_text(text)
    report = lint_paths([str(tmp_path / "t.yaml")])
    chains = [f for f in report.findings if f.rule_id.startswith("RL4")]
    lines = text.splitlines()
    trust = next(n for n, line in enumerate(lines, 1) if "lambda.amazonaws.com" in line)
    expected = [("RL405", trust, "App"), ("RL401", len(lines), "App")] if chained else []
    assert [(f.rule_id, f.location.line, f.role) for f in chains] == expected


def test_the_arn_of_a_role_or_user_with_an_unresolved_path_holds_a_stand_in() -> None:
    text = UNKNOWN_PATH.format(path="      Path: !Ref TeamPath", resource=NAMED)
    inventory = parse_text(text, "t.yaml")
    admin, deployer = role(inventory, "Admin"), identity(inventory, "Deployer")
    assert admin.arn.text == f"arn:aws:iam::{THIS_ACCOUNT}:role/<unresolved path:t.yaml#Admin>admin"
    assert admin.path is not None and admin.path.text is None
    assert deployer.arn.text == (
        f"arn:aws:iam::{THIS_ACCOUNT}:user/<unresolved path:t.yaml#Deployer>deployer"
    )


IF_NAMED = """\
Parameters:
  Env: {{Type: String, Default: dev, AllowedValues: [dev, prod]}}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
  Admin:
    Type: AWS::IAM::Role
    Properties:
      RoleName: !If [IsProd, prod-admin, dev-admin]
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {{AWS: !Sub "arn:aws:iam::${{AWS::AccountId}}:root"}}
            Action: sts:AssumeRole
      ManagedPolicyArns: [arn:aws:iam::aws:policy/AdministratorAccess]
  App:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {{Effect: Allow, Principal: {{Service: lambda.amazonaws.com}}, Action: sts:AssumeRole}}
      Policies:
        - PolicyName: hop
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: sts:AssumeRole
                Resource: !Sub "arn:aws:iam::${{AWS::AccountId}}:role/{name}"
"""


@pytest.mark.parametrize(
    ("name", "chained"),
    [("prod-admin", True), ("dev-admin", True), ("qa-admin", False), ("*-admin", True)],
)
def test_every_name_an_fn_if_gives_a_role_names_it(
    tmp_path: Path, name: str, chained: bool
) -> None:
    """A RoleName chosen by Fn::If was read as its first branch only: a chain to the role under
    the other branch's name (here the one the defaults deploy) was missed.  Every branch's name
    names it now, and a name no branch gives still does not."""
    (tmp_path / "t.yaml").write_text(IF_NAMED.format(name=name))
    report = lint_paths([str(tmp_path / "t.yaml")])
    chains = [(f.rule_id, f.location.line, f.role) for f in report.findings if f.rule_id != "RL201"]
    assert chains == ([("RL405", 23, "App"), ("RL401", 31, "App")] if chained else [])


IF_NAMES = """\
Parameters:
  Env: {Type: String, Default: dev, AllowedValues: [dev, prod]}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  IsEu: !Equals [!Ref AWS::Region, eu-west-1]
Resources:
  Admin:
    Type: AWS::IAM::Role
    Properties:
      RoleName: !If [IsProd, prod-admin, dev-admin]
      Path: !If [IsProd, /prod/, !Ref AWS::NoValue]
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {AWS: !Sub "arn:aws:iam::${AWS::AccountId}:user/dev-deployer"}
            Action: sts:AssumeRole
      ManagedPolicyArns: [arn:aws:iam::aws:policy/AdministratorAccess]
  Regional:
    Type: AWS::IAM::Role
    Properties:
      RoleName: !If [IsProd, prod-ops, dev-ops]
      Path: !If [IsEu, /eu/, /us/]
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}
  Deployer:
    Type: AWS::IAM::User
    Properties:
      UserName: !If [IsProd, prod-deployer, dev-deployer]
  Ops:
    Type: AWS::IAM::Group
    Properties:
      GroupName: !If [IsProd, prod-ops, dev-ops]
  Join:
    Type: AWS::IAM::UserToGroupAddition
    Properties:
      GroupName: dev-ops
      Users: [dev-deployer]
  Limit:
    Type: AWS::IAM::Policy
    Properties:
      PolicyName: limit
      Roles: [dev-admin]
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Deny, Action: "s3:*", Resource: "*"}
  Hop:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      ManagedPolicyName: !If [IsProd, prod-hop, dev-hop]
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Action: sts:AssumeRole, Resource: "*"}
  App:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}
      ManagedPolicyArns: [!Sub "arn:aws:iam::${AWS::AccountId}:policy/dev-hop"]
"""


def test_names_and_paths_an_fn_if_chooses_give_every_arn_and_link_by_every_name(
    tmp_path: Path,
) -> None:
    """Every ARN a role or user may have is in the model (the first branch's first), a name
    and path one Fn::If on the same condition chooses go together, and a policy, group or
    user named by a branch's name is linked where the resource has that name (optionally)."""
    inventory = parse_text(IF_NAMES)
    arn = f"arn:aws:iam::{THIS_ACCOUNT}:"
    admin, regional = role(inventory, "Admin"), role(inventory, "Regional")
    assert [admin.arn.text, *(a.text for a in admin.other_arns)] == [
        arn + "role/prod/prod-admin",  # never /prod/dev-admin nor /prod-admin
        arn + "role/dev-admin",
    ]
    assert [regional.arn.text, *(a.text for a in regional.other_arns)] == [
        arn + "role/eu/prod-ops",
        arn + "role/us/prod-ops",
        arn + "role/eu/dev-ops",
        arn + "role/us/dev-ops",
    ]
    assert [(d.origin, d.optional) for d in admin.policies] == [("AWS::IAM::Policy Limit", True)]
    assert [(d.origin, d.optional) for d in role(inventory, "App").policies] == [
        ("AWS::IAM::ManagedPolicy Hop", True)
    ]
    deployer = identity(inventory, "Deployer")
    assert [deployer.arn.text, *(a.text for a in deployer.other_arns)] == [
        arn + "user/prod-deployer",
        arn + "user/dev-deployer",
    ]
    assert (deployer.groups, deployer.optional_groups) == ((), ("Ops",))
    # The trust names the user by the name the defaults give it: no permission is needed.
    (tmp_path / "t.yaml").write_text(IF_NAMES)
    report = lint_paths([str(tmp_path / "t.yaml")])
    assert [(f.rule_id, f.location.line, f.role) for f in report.findings] == [
        ("RL401", 16, "Deployer"),
        ("RL201", 18, "Admin"),
        ("RL207", 57, "App"),  # attached by the name the defaults give it
    ]


NESTED = """\
Parameters:
  Bucket: {{Type: String}}
Resources:
  Child:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: {url}
{parameters}
"""


@pytest.mark.parametrize(
    ("url", "parameters", "noticed"),
    [
        ("./child.yaml", '      Parameters:\n        TrustedPrincipal: "*"', "./child.yaml"),
        (
            "!Sub https://${Bucket}.s3.amazonaws.com/child.yaml",
            "      Parameters: {Account: '444455556666'}",
            "https://${Bucket}.s3.amazonaws.com/child.yaml",  # as written: it names the file
        ),
        (
            "!Ref Bucket",
            "      Parameters: {Account: '444455556666'}",
            "<unresolved: parameter Bucket has no default>",
        ),
        ("./child.yaml", "      Parameters: {}", None),
        ("./child.yaml", "", None),
    ],
    ids=["literal", "unresolved-sub", "unresolved-ref", "empty", "none"],
)
def test_a_nested_stack_passing_parameters_is_a_notice(
    tmp_path: Path, url: str, parameters: str, noticed: str | None
) -> None:
    """A nested stack's Parameters were passed over in silence: its template, scanned as a
    file of its own, is judged with its own defaults (a "*" the parent passes never seen, a
    finding on a default the parent replaces reported).  Each such stack is now a notice."""
    (tmp_path / "t.yaml").write_text(NESTED.format(url=url, parameters=parameters))
    report = lint_paths([str(tmp_path / "t.yaml")])
    assert report.findings == [] and report.errors == []
    expected = (
        [
            (
                8,
                7,
                f"nested stack Child passes Parameters to {noticed}: scanned as a file of its"
                " own, that template is analyzed with its own parameter defaults, not these"
                " values",
            )
        ]
        if noticed
        else []
    )
    assert [(n.line, n.column, n.message) for n in report.notices] == expected


def _cdk_nested_stack(metadata: dict[str, object]) -> str:
    """A CDK parent template: its nested stack's TemplateURL is the S3 copy of an asset."""
    url = {
        "Fn::Join": [
            "",
            ["https://s3.", {"Ref": "AWS::Region"}, ".", {"Ref": "AWS::URLSuffix"}, "/5d6f.json"],
        ]
    }
    stack = {
        "Type": "AWS::CloudFormation::Stack",
        "Properties": {"TemplateURL": url, "Parameters": {"referencetoRoleArn": "arn"}},
        "Metadata": {"aws:cdk:path": "EksStack/Nested.NestedStack/Nested.NestedStackResource"}
        | metadata,
    }
    return json.dumps({"Resources": {"NestedStackResource9C05": stack}}, indent=1)


CDK_ASSET = {
    "aws:asset:path": "EksStackNested1234.nested.template.json",
    "aws:asset:property": "TemplateURL",
}
S3_URL = "https://s3.${AWS::Region}.amazonaws.com/5d6f.json"


@pytest.mark.parametrize(
    ("metadata", "noticed"),
    [
        (CDK_ASSET, os.path.join("cdk.out", "EksStackNested1234.nested.template.json")),
        ({**CDK_ASSET, "aws:asset:property": "Code"}, S3_URL),  # the asset is another's
        ({**CDK_ASSET, "aws:asset:path": {"Ref": "Path"}}, S3_URL),
        ({}, S3_URL),
    ],
    ids=["cdk-asset", "other-property", "no-path", "no-asset"],
)
def test_a_cdk_nested_stack_is_noticed_by_the_template_file_it_deploys(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, metadata: dict[str, object], noticed: str
) -> None:
    """CDK deploys a nested stack from an S3 copy of the template it synthesized beside the
    parent, and records that file in the resource's ``aws:asset:path``: the notice named the
    URL, with placeholders, so the reader could not tell which scanned file it means."""
    (tmp_path / "cdk.out").mkdir()
    (tmp_path / "cdk.out" / "EksStack.template.json").write_text(_cdk_nested_stack(metadata))
    monkeypatch.chdir(tmp_path)
    report = lint_paths(["cdk.out"])
    assert [n.message.split(": scanned")[0] for n in report.notices] == [
        f"nested stack NestedStackResource9C05 passes Parameters to {noticed}"
    ]


MACRO = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: {transform}
Resources:
  AppRole:
    Type: AWS::IAM::Role
    Properties:
      Type: Lambda
      Permissions:
        - ReadWrite: "*"
"""
ONE_MACRO = (
    "the template is judged as written, before this macro processes it; what the macro"
    " generates or changes is not analyzed"
)


@pytest.mark.parametrize(
    ("transform", "noticed"),
    [
        ("ExecutionRoleBuilder", (2, 12, f"Transform ExecutionRoleBuilder: {ONE_MACRO}")),
        (
            "[AWS::Serverless-2016-10-31, ExecutionRoleBuilder]",
            (2, 41, f"Transform ExecutionRoleBuilder: {ONE_MACRO}"),
        ),
        (
            "{Name: AWS::Include, Parameters: {Location: s3://b/roles.yaml}}",
            (2, 19, f"Transform AWS::Include: {ONE_MACRO}"),
        ),
        (
            "[Upper, AWS::LanguageExtensions, Lower]",
            (
                2,
                13,
                "Transform Upper, Lower: the template is judged as written, before these macros"
                " process it; what the macros generate or change is not analyzed",
            ),
        ),
        ("[AWS::Serverless-2016-10-31, AWS::LanguageExtensions]", None),
    ],
    ids=["macro", "in-a-list", "name-and-parameters", "two-macros", "modeled"],
)
def test_a_template_transform_rolelint_does_not_model_is_a_notice(
    tmp_path: Path, transform: str, noticed: tuple[int, int, str] | None
) -> None:
    """A macro in the Transform section rewrites the whole template before deployment (here
    ExecutionRoleBuilder writes the role's policies), yet the template was judged as written
    without a word: 0 findings and a role with no access read as a clean result.  The
    transforms rolelint models (SAM, AWS::LanguageExtensions) need no note."""
    (tmp_path / "t.yaml").write_text(MACRO.format(transform=transform))
    report = lint_paths([str(tmp_path / "t.yaml")])
    assert report.findings == [] and report.errors == []
    expected = [noticed] if noticed else []
    assert [(n.line, n.column, n.message) for n in report.notices] == expected
