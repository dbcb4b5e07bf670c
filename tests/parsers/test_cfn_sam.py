"""SAM functions: the implicit role, its Policies forms, and functions that bring their own role."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rolelint.api import lint_paths
from rolelint.model import THIS_ACCOUNT, PrincipalKind, unresolved_path
from tests.conftest import FIXTURES
from tests.parsers.cfn_helpers import FIXTURES as CFN_FIXTURES
from tests.parsers.cfn_helpers import at, parse_fixture, parse_text, role
from tests.rules.harness import findings_of, line_of


def named(name: str, file: str = "template.yaml") -> str:
    """The ARN of an AWS managed policy a SAM Policies name names when rolelint knows no path
    of it: the stand-in of a path not known (rolelint.model.unresolved_path) before the name,
    not the root path, where the policy may not be."""
    return "arn:aws:iam::aws:policy" + unresolved_path(file, name) + name


def test_only_functions_without_role_get_an_implicit_role() -> None:
    inventory = parse_fixture("sam.yaml")
    assert [r.id for r in inventory.roles] == [
        "ImplicitFunctionRole",
        "SinglePolicyFunctionRole",
        "ExplicitRole",
    ]


def test_implicit_role_trusts_lambda_at_the_function() -> None:
    implicit = role(parse_fixture("sam.yaml"), "ImplicitFunctionRole")
    assert implicit.ref.span is not None
    assert (implicit.ref.span.line, implicit.ref.span.column) == (6, 3)
    assert implicit.arn.text == (
        f"arn:aws:iam::{THIS_ACCOUNT}:role/<generated:{implicit.ref.file}#ImplicitFunctionRole>"
    )
    assert implicit.trust_policy is not None
    (statement,) = implicit.trust_policy.statements
    assert statement.is_allow
    assert [a.text for a in statement.actions] == ["sts:AssumeRole"]
    (principal,) = statement.principals
    assert principal.kind is PrincipalKind.SERVICE
    assert principal.value.text == "lambda.amazonaws.com"
    assert at(principal.value) == (6, 3)


def test_sam_policies_list_forms() -> None:
    implicit = role(parse_fixture("sam.yaml"), "ImplicitFunctionRole")
    managed = [
        (m.arn.text, m.arn.unresolved_reason, at(m.arn)) for m in implicit.managed_policy_arns
    ]
    assert managed == [
        ("arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole", None, (6, 3)),
        (named("AWSLambdaExecute", str(CFN_FIXTURES / "sam.yaml")), None, (13, 11)),
        ("arn:aws:iam::aws:policy/AdministratorAccess", None, (14, 11)),
        (None, "SAM policy template S3CrudPolicy", (15, 11)),
    ]
    inline, shared = implicit.policies
    assert inline.origin == "inline policy of function ImplicitFunction (role ImplicitFunctionRole)"
    assert [(a.text, at(a)) for a in inline.statements[0].actions] == [
        ("dynamodb:GetItem", (19, 23))
    ]
    # !Ref to a ManagedPolicy of the template attaches that document; its GetAtt of the implicit
    # role resolves to the implicit role's ARN.
    assert shared.resource == "SharedPolicy"
    assert shared.statements[0].resources[0].text == implicit.arn.text


def test_sam_policies_single_name() -> None:
    single = role(parse_fixture("sam.yaml"), "SinglePolicyFunctionRole")
    assert [(m.arn.text, at(m.arn)) for m in single.managed_policy_arns][1:] == [
        ("arn:aws:iam::aws:policy/AdministratorAccess", (28, 17))
    ]


GLOBALS_TEMPLATE = """\
Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Runtime: python3.12
    AssumeRolePolicyDocument:
      Statement:
        - {Effect: Allow, Principal: {AWS: "*"}, Action: sts:AssumeRole}
    PermissionsBoundary: arn:aws:iam::123456789012:policy/boundary
Resources:
  Plain:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
  Own:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      PermissionsBoundary: arn:aws:iam::123456789012:policy/own
      AssumeRolePolicyDocument:
        Statement:
          - {Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}
  Isolated:
    Type: AWS::Serverless::Function
    IgnoreGlobals: "*"
    Properties:
      Handler: app.handler
  Partly:
    Type: AWS::Serverless::Function
    IgnoreGlobals: [AssumeRolePolicyDocument]
    Properties:
      Handler: app.handler
"""


def test_implicit_roles_take_their_role_settings_from_globals_merged_as_sam_does() -> None:
    """Globals were never read: a boundary or a trust policy set there was lost (the role
    showed no boundary and Lambda's default trust).  SAM merges them with the function's own:
    a text is replaced, a map merged, a list of statements is the global ones then the
    function's (a function's own trust does not hide a global ``*``)."""
    inventory = parse_text(GLOBALS_TEMPLATE)
    plain, own = role(inventory, "PlainRole"), role(inventory, "OwnRole")
    assert plain.permissions_boundary is not None and own.permissions_boundary is not None
    assert plain.permissions_boundary.text == "arn:aws:iam::123456789012:policy/boundary"
    assert plain.permissions_boundary.ref.line == 8  # where Globals says it
    assert own.permissions_boundary.text == "arn:aws:iam::123456789012:policy/own"
    assert plain.trust_policy is not None and own.trust_policy is not None
    [anyone] = plain.trust_policy.statements[0].principals
    assert (anyone.value.text, anyone.value.ref.line) == ("*", 7)
    principals = [
        (p.value.text, p.value.ref.line) for s in own.trust_policy.statements for p in s.principals
    ]
    assert principals == [("*", 7), ("lambda.amazonaws.com", 21)]
    # IgnoreGlobals: '*' takes nothing from Globals, a list leaves those properties out.
    isolated, partly = role(inventory, "IsolatedRole"), role(inventory, "PartlyRole")
    assert isolated.permissions_boundary is None
    assert (
        isolated.trust_policy is not None
        and isolated.trust_policy.statements[0].principals[0].value.text == "lambda.amazonaws.com"
    )
    assert partly.permissions_boundary is not None and partly.trust_policy is not None
    assert partly.trust_policy.statements[0].principals[0].value.text == "lambda.amazonaws.com"


def test_an_ignore_globals_item_that_is_no_text_names_no_property() -> None:
    """``IgnoreGlobals: [!Ref Skip]`` lost the file to an internal error (unhashable PMap).
    SAM takes property names there; an item that is none leaves out nothing, and the names
    beside it still count."""
    template = (
        "Transform: AWS::Serverless-2016-10-31\n"
        "Globals:\n"
        "  Function:\n"
        "    PermissionsBoundary: arn:aws:iam::111122223333:policy/b\n"
        "    AssumeRolePolicyDocument:\n"
        "      Statement: [{Effect: Allow, Principal: {AWS: '*'}, Action: sts:AssumeRole}]\n"
        "Resources:\n"
        "  Fn:\n"
        "    Type: AWS::Serverless::Function\n"
        "    IgnoreGlobals: [!Ref Skip, AssumeRolePolicyDocument, [x]]\n"
        "    Properties: {Handler: i.h}\n"
    )
    fn_role = role(parse_text(template), "FnRole")
    assert fn_role.permissions_boundary is not None
    assert (fn_role.permissions_boundary.text, fn_role.permissions_boundary.ref.line) == (
        "arn:aws:iam::111122223333:policy/b",
        4,
    )
    assert fn_role.trust_policy is not None
    [principal] = fn_role.trust_policy.statements[0].principals
    assert principal.value.text == "lambda.amazonaws.com"


STATE_MACHINES = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Orders:
    Type: AWS::Serverless::StateMachine
    Properties:
      Definition: {StartAt: A, States: {A: {Type: Pass, End: true}}}
      Policies:
        - AWSXrayWriteOnlyAccess
        - Statement:
            - Effect: Allow
              Action: iam:PassRole
              Resource: "*"
  Billing:
    Type: AWS::Serverless::StateMachine
    Properties:
      Role: arn:aws:iam::111122223333:role/billing
      Definition: {StartAt: A, States: {A: {Type: Pass, End: true}}}
"""


def test_a_state_machine_without_role_gets_one_trusting_step_functions() -> None:
    """SAM creates <StateMachine>Role with the Policies, as it does for functions; the state
    machine's policies were not read at all."""
    inventory = parse_text(STATE_MACHINES)
    assert [r.id for r in inventory.roles] == ["OrdersRole"]
    orders = role(inventory, "OrdersRole")
    assert orders.trust_policy is not None
    (principal,) = orders.trust_policy.statements[0].principals
    assert (principal.kind, principal.value.text) == (PrincipalKind.SERVICE, "states.amazonaws.com")
    assert [m.arn.text for m in orders.managed_policy_arns] == [
        "arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess"  # no Lambda execution policy
    ]
    [inline] = orders.policies
    assert inline.origin == "inline policy of state machine Orders (role OrdersRole)"
    assert [(a.text, at(a)) for a in inline.statements[0].actions] == [("iam:PassRole", (11, 23))]


def test_a_sam_policy_template_is_a_note(tmp_path: Path) -> None:
    """A template such as S3CrudPolicy is not expanded: what it grants went unanalyzed without
    a word.  (The AWS managed policy named beside it, which rolelint does not ship, is noted
    too: rolelint.managed_policies.unshipped_notices.)"""
    report = lint_paths([str(FIXTURES / "parsers" / "cloudformation" / "sam.yaml")])
    assert [(n.line, n.message) for n in report.notices] == [
        (
            15,
            "SAM policy template S3CrudPolicy is not expanded: the permissions it grants are"
            " not analyzed",
        ),
        (
            13,
            "AWS managed policy AWSLambdaExecute is not in rolelint's policy data: what it grants"
            " is not judged, and the path in its ARN, which SAM looks up by the name, is not"
            " known (1 role holds it)",
        ),
    ]


SAM_POLICY_BY_ARN = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: a.b
      Runtime: python3.12
      CodeUri: .
      Policies:
        - !Sub "arn:${AWS::Partition}:iam::${AWS::AccountId}:policy/assume-admin"
  AssumeAdmin:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      ManagedPolicyName: assume-admin
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Action: sts:AssumeRole, Resource: !GetAtt Admin.Arn}
  Admin:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {AWS: !Sub "arn:aws:iam::${AWS::AccountId}:root"}
            Action: sts:AssumeRole
      ManagedPolicyArns:
        - arn:aws:iam::aws:policy/AdministratorAccess
"""


def test_sam_policies_naming_the_templates_managed_policy_by_arn_attach_it(
    tmp_path: Path,
) -> None:
    """An ARN in a function's Policies naming the template's ManagedPolicy by its name attaches
    that policy, as in ManagedPolicyArns: read as an unknown ARN, the function's way to the
    admin role was missed."""
    (tmp_path / "t.yaml").write_text(SAM_POLICY_BY_ARN)
    report = lint_paths([str(tmp_path / "t.yaml")])
    assert [(f.rule_id, f.location.line, f.role) for f in report.findings] == [
        ("RL405", 3, "FnRole"),
        ("RL401", 18, "FnRole"),
        ("RL201", 29, "Admin"),
    ]


OPTIONAL_ROLE = """\
Transform: AWS::Serverless-2016-10-31
Parameters:
  ExistingRoleArn: {Type: String, Default: ""}
Conditions:
  UseExisting: !Not [!Equals [!Ref ExistingRoleArn, ""]]
Resources:
  F1:
    Type: AWS::Serverless::Function
    Properties:
      Handler: a.b
      Runtime: python3.12
      CodeUri: .
      Role: !If [UseExisting, !Ref ExistingRoleArn, !Ref AWS::NoValue]
      Policies:
        - AdministratorAccess
        - !If [UseExisting, AmazonS3FullAccess, AWSLambdaExecute]
  F2:
    Type: AWS::Serverless::Function
    Properties:
      Handler: a.b
      Runtime: python3.12
      CodeUri: .
      Role: !If [UseExisting, !Ref ExistingRoleArn, arn:aws:iam::123456789012:role/x]
      Policies:
        - AdministratorAccess
  F3:
    Type: AWS::Serverless::Function
    Condition: UseExisting
    Properties:
      Handler: a.b
      Runtime: python3.12
      CodeUri: .
      Role: !If [UseExisting, !Ref ExistingRoleArn, !Ref AWS::NoValue]
      Policies:
        - AdministratorAccess
"""


def test_a_role_an_fn_if_leaves_out_is_generated_where_it_is_no_value(tmp_path: Path) -> None:
    """SAM generates ``<Function>Role`` where ``Role: !If [C, X, !Ref AWS::NoValue]`` gives no
    role (SAM PR #3842): its Policies were never read, and AdministratorAccess passed.  That
    role exists only where UseExisting is false, so an Fn::If on it in Policies gives its
    second branch there.  A Role given in every branch (F2), or in the branch the function's
    own Condition takes (F3), still generates none."""
    inventory = parse_text(OPTIONAL_ROLE)
    assert [r.id for r in inventory.roles] == ["F1Role"]
    assert [m.arn.text for m in role(inventory, "F1Role").managed_policy_arns] == [
        "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
        "arn:aws:iam::aws:policy/AdministratorAccess",
        named("AWSLambdaExecute"),
    ]
    (tmp_path / "t.yaml").write_text(OPTIONAL_ROLE)
    report = lint_paths([str(tmp_path / "t.yaml")])
    assert [(f.rule_id, f.location.line, f.role) for f in report.findings] == [
        ("RL201", 15, "F1Role")
    ]


def _sam_function(*policies: str, properties: str = "") -> str:
    """A template whose function Fn (line 7) has ``policies`` (YAML list items)."""
    return (
        "Transform: AWS::Serverless-2016-10-31\n"
        "Parameters:\n  Env: {Type: String, Default: dev}\n"
        "Conditions:\n  IsProd: !Equals [!Ref Env, prod]\n"
        "Resources:\n"
        "  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n"
        "      Handler: index.handler\n      Runtime: python3.12\n      CodeUri: .\n"
        + properties
        + "      Policies:\n"
        + "".join(f"        - {item}\n" for item in policies)
    )


EIGHT_READERS = [
    f"Amazon{service}ReadOnlyAccess"
    for service in ("S3", "SQS", "SNS", "DynamoDB", "Kinesis", "SSM", "Athena", "MQ")
]


def test_managed_policies_an_fn_if_chooses_in_sam_policies_are_alternatives(
    tmp_path: Path,
) -> None:
    """SAM copies an ``Fn::If`` of managed policies into the generated role's
    ManagedPolicyArns, each branch made an ARN (samtranslator role_constructor,
    ``_convert_intrinsic_if_values``): a deployment attaches one branch.  Both were counted,
    so the basic execution role, 8 policies and one of two was "11 managed policies ... the
    deployment fails"; they are now alternatives, as in a role's ManagedPolicyArns."""
    chosen = "!If [IsProd, AmazonEC2ReadOnlyAccess, AmazonRDSReadOnlyAccess]"
    template = _sam_function(*EIGHT_READERS, chosen)
    fn_role = role(parse_text(template), "FnRole")
    ec2, rds = named("AmazonEC2ReadOnlyAccess"), named("AmazonRDSReadOnlyAccess")
    by_arn = {r.arn.text: r for r in fn_role.managed_policy_arns}
    assert by_arn[ec2].alternatives == by_arn[rds].alternatives == ((ec2,), (rds,))
    assert by_arn[named("AmazonS3ReadOnlyAccess")].alternatives is None
    (tmp_path / "t.yaml").write_text(template)
    assert lint_paths([str(tmp_path / "t.yaml")]).findings == []
    # One more certain policy: eleven in every deployment.
    (tmp_path / "t.yaml").write_text(_sam_function(*EIGHT_READERS, "AWSXrayReadOnlyAccess", chosen))
    report = lint_paths([str(tmp_path / "t.yaml")])
    assert [(f.rule_id, f.location.line) for f in report.findings] == [("RL610", 7)]


def test_a_whole_sam_policies_list_an_fn_if_chooses_is_read_item_by_item(tmp_path: Path) -> None:
    """``Policies: !If [C, [...], [...]]``: each branch's list was taken for one managed-policy
    name, so its documents were never read (``iam:*`` on ``*`` passed) and its names were
    one unresolved ARN.  Each item is now read, the names as alternatives of their branch."""
    template = _sam_function().replace(
        "      Policies:\n",
        "      Policies: !If\n"
        "        - IsProd\n"
        "        - - AmazonS3ReadOnlyAccess\n"
        "          - Version: '2012-10-17'\n"
        "            Statement: [{Effect: Allow, Action: 'iam:*', Resource: '*'}]\n"
        "        - [AmazonSQSReadOnlyAccess]\n",
    )
    fn_role = role(parse_text(template), "FnRole")
    s3, sqs = named("AmazonS3ReadOnlyAccess"), named("AmazonSQSReadOnlyAccess")
    assert [(r.arn.text, r.alternatives) for r in fn_role.managed_policy_arns[1:]] == [
        (s3, ((s3,), (sqs,))),
        (sqs, ((s3,), (sqs,))),
    ]
    (tmp_path / "t.yaml").write_text(template)
    report = lint_paths([str(tmp_path / "t.yaml")])
    assert [(f.rule_id, f.location.line) for f in report.findings] == [("RL201", 17)]


def test_a_managed_policy_named_in_sam_policies_has_its_path_and_is_attached_once(
    tmp_path: Path,
) -> None:
    """SAM maps a managed policy's name to its ARN with the policy's path, and attaches one it
    adds itself once ("De-Duplicate managed policy arns ... such as
    AWSLambdaBasicExecutionRole", samtranslator role_constructor).  rolelint made
    ``arn:aws:iam::aws:policy/AWSLambdaBasicExecutionRole``, an ARN that does not exist: the
    policy was listed twice and counted twice (RL610 "11 managed policies" for 10)."""
    template = _sam_function(
        "AWSLambdaBasicExecutionRole", "AWSLambdaVPCAccessExecutionRole", *EIGHT_READERS
    )
    fn_role = role(parse_text(template), "FnRole")
    assert [(r.arn.text, r.arn.ref.line) for r in fn_role.managed_policy_arns[:2]] == [
        ("arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole", 7),
        ("arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole", 15),
    ]
    assert len(fn_role.managed_policy_arns) == 10
    (tmp_path / "t.yaml").write_text(template)
    assert lint_paths([str(tmp_path / "t.yaml")]).findings == []


SAM_NAME_AND_ARN = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: a.h
      InlineCode: x
      Policies:
        - AWSLambdaKinesisExecutionRole
        - AmazonKinesisReadOnlyAccess
        - ReadOnlyAccess
  R:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: '2012-10-17'
        Statement:
          - {Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}
      ManagedPolicyArns:
        - arn:aws:iam::aws:policy/service-role/AWSLambdaKinesisExecutionRole
        - arn:aws:iam::aws:policy/AmazonKinesisReadOnlyAccess
"""


def test_a_sam_policies_name_of_unknown_path_gets_no_invented_arn_and_one_note(
    tmp_path: Path,
) -> None:
    """SAM makes a Policies name the ARN of the AWS managed policy with its path, which it
    looks up.  rolelint took any name it ships no document of at the root:
    ``AWSLambdaKinesisExecutionRole`` (under ``service-role/``) became an ARN of no policy,
    and attached by its ARN elsewhere, it was two policies with a note each, where the notes
    are one per policy.  The path of a policy SAM attaches for an event is SAM's fact; any
    other's is not known (rolelint's data and the action catalog know none): its ARN holds
    the stand-in of a path not known, its note joins the one of the same name attached with
    its path, and says that the path is not known where no attachment has it."""
    fn_role = role(parse_text(SAM_NAME_AND_ARN), "FnRole")
    assert [r.arn.text for r in fn_role.managed_policy_arns[1:]] == [
        "arn:aws:iam::aws:policy/service-role/AWSLambdaKinesisExecutionRole",
        named("AmazonKinesisReadOnlyAccess"),
        named("ReadOnlyAccess"),
    ]
    (tmp_path / "template.yaml").write_text(SAM_NAME_AND_ARN)
    report = lint_paths([str(tmp_path / "template.yaml")])
    data = "is not in rolelint's policy data: what it grants is not judged"
    assert [(n.line, n.message) for n in report.notices] == [
        (
            10,
            f"AWS managed policy AWSLambdaKinesisExecutionRole {data} (2 roles hold it;"
            " attached here first)",
        ),
        (
            11,
            f"AWS managed policy AmazonKinesisReadOnlyAccess {data} (2 roles hold it; attached"
            " here first)",
        ),
        (
            12,
            f"AWS managed policy ReadOnlyAccess {data}, and the path in its ARN, which SAM"
            " looks up by the name, is not known (1 role holds it)",
        ),
    ]


def _sam_function_policies(*items: str) -> str:
    listed = "".join(f"        - {item}\n" for item in items)
    return (
        "Transform: AWS::Serverless-2016-10-31\n"
        "Conditions:\n  Prod: !Equals [!Ref AWS::Region, us-east-1]\n"
        "Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n"
        "      Handler: a.h\n      Policies:\n" + listed
    )


CLOUDWATCH = "arn:aws:iam::aws:policy/CloudWatchFullAccess"


def test_a_sam_policies_name_and_the_arn_of_its_policy_are_one_reference_of_the_role() -> None:
    """SAM finds a Policies name's ARN by the name (AWS managed policies' names are unique), so
    ``CloudWatchFullAccess`` (rolelint ships no text of it, nor knows its path) beside its
    ARN is one policy.  Only RL610 joined them: the role held two references, and the
    inventory and the role's card said "+2 unread policies".  The role now holds one, with
    the path the ARN names, at the first place written; in either order."""
    fn_role = role(parse_text(_sam_function_policies("CloudWatchFullAccess", CLOUDWATCH)), "FnRole")
    assert [(r.arn.text, r.arn.ref.line, r.optional) for r in fn_role.managed_policy_arns] == [
        ("arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole", 5, False),
        (CLOUDWATCH, 10, False),
    ]
    fn_role = role(parse_text(_sam_function_policies(CLOUDWATCH, "CloudWatchFullAccess")), "FnRole")
    assert [(r.arn.text, r.arn.ref.line) for r in fn_role.managed_policy_arns[1:]] == [
        (CLOUDWATCH, 10)
    ]


def test_a_sam_policies_name_two_arns_name_under_two_paths_stays_a_policy_of_its_own() -> None:
    """Which of two policies of the name SAM finds is not known: the name stays a reference of
    its own, with the stand-in of a path not known, beside both ARNs."""
    team = "arn:aws:iam::aws:policy/team/CloudWatchFullAccess"
    template = _sam_function_policies("CloudWatchFullAccess", CLOUDWATCH, team)
    fn_role = role(parse_text(template), "FnRole")
    assert [r.arn.text for r in fn_role.managed_policy_arns[1:]] == [
        named("CloudWatchFullAccess"),
        CLOUDWATCH,
        team,
    ]


def test_a_sam_policies_name_a_condition_chooses_is_the_policy_in_its_branches() -> None:
    """An ``Fn::If`` choosing between the name and its ARN attaches that one policy whichever
    branch a deployment takes: one reference, whose branches name it with its path (as RL610
    counted them); a branch naming another policy keeps it optional."""
    template = _sam_function_policies(f"!If [Prod, CloudWatchFullAccess, {CLOUDWATCH}]")
    [reference] = role(parse_text(template), "FnRole").managed_policy_arns[1:]
    assert (reference.arn.text, reference.alternatives) == (
        CLOUDWATCH,
        ((CLOUDWATCH,), (CLOUDWATCH,)),
    )
    other = "arn:aws:iam::aws:policy/AmazonSQSReadOnlyAccess"
    template = _sam_function_policies(CLOUDWATCH, f"!If [Prod, CloudWatchFullAccess, {other}]")
    held = role(parse_text(template), "FnRole").managed_policy_arns[1:]
    assert [(r.arn.text, r.alternatives) for r in held] == [
        (CLOUDWATCH, None),
        (other, ((CLOUDWATCH,), (other,))),
    ]


STATE_MACHINE_TRUST = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  SM:
    Type: AWS::Serverless::StateMachine
    Properties:
      Definition: {}
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {Service: states.amazonaws.com}
            Action: sts:AssumeRole
            Condition:
              StringEquals: {aws:SourceAccount: "111122223333"}
      Policies:
        - Version: "2012-10-17"
          Statement:
            - {Effect: Allow, Action: s3:GetObject, Resource: "arn:aws:s3:::b/*"}
"""


def test_a_state_machine_has_no_trust_property_and_rl110_says_to_declare_a_role(
    tmp_path: Path,
) -> None:
    """``AssumeRolePolicyDocument`` is a property of AWS::Serverless::Function only: the
    properties of AWS::Serverless::StateMachine are AutoPublishAlias, UseAliasAsEventTarget,
    Definition, DefinitionSubstitutions, DefinitionUri, DeploymentPreference, Events, Logging,
    Name, PermissionsBoundary, Policies, PropagateTags, RolePath, Role, Tags, Tracing and Type
    (https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-resource-statemachine.html),
    and SAM gives the role it generates its own trust.  rolelint read one written there as
    the role's trust, so the RL110 it advised to fix went away though SAM never deploys that
    trust.  It is now a note; RL110 stays, and says that this trust is fixed: the way to a
    condition is a role of one's own."""
    (tmp_path / "t.yaml").write_text(STATE_MACHINE_TRUST)
    report = lint_paths([str(tmp_path / "t.yaml")])
    assert [(n.line, n.message) for n in report.notices] == [
        (
            7,
            "AssumeRolePolicyDocument is not a property of AWS::Serverless::StateMachine (SAM"
            " refuses it): it is not read, and the role SAM generates for state machine SM"
            " trusts states.amazonaws.com with no condition",
        )
    ]
    [finding] = report.findings
    assert (finding.rule_id, finding.location.line, finding.role) == ("RL110", 3, "SMRole")
    assert finding.message.endswith(
        "its trust policy is generated with the role and cannot be changed where the role is"
        " declared: give the resource a role of its own (Role) whose trust policy has"
        " StringEquals aws:SourceAccount with your account id, or ArnLike aws:SourceArn with"
        " the ARNs of your resources"
    )


XRAY = "arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess"
VPC = "arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole"
SEVEN_READERS = EIGHT_READERS[:7]


def test_the_policies_sam_adds_for_tracing_and_a_vpc_are_attached(tmp_path: Path) -> None:
    """SAM attaches AWSXrayWriteOnlyAccess to the role it generates for a function with
    ``Tracing`` (but ``Disabled``, SAM PR #3223) and AWSLambdaVPCAccessExecutionRole for one
    with ``VpcConfig`` (SAM PR #1228, samtranslator ``SamFunction._construct_role``; the
    properties are in
    https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-resource-function.html
    and may come from ``Globals``), and X-Ray to a state machine's with ``Tracing: {Enabled:
    true}`` (SAM PR #1941).  They were left out: basic execution, both and 8 more was "clean"
    (a deployment that fails on the quota), and the card missed the VPC policy."""
    template = _sam_function(
        *EIGHT_READERS,
        properties=(
            "      Tracing: Active\n"
            "      VpcConfig: {SubnetIds: [subnet-1], SecurityGroupIds: [sg-1]}\n"
        ),
    )
    fn_role = role(parse_text(template), "FnRole")
    assert [(r.arn.text, r.arn.ref.line, r.optional) for r in fn_role.managed_policy_arns[:3]] == [
        ("arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole", 7, False),
        (XRAY, 13, False),
        (VPC, 14, False),
    ]
    (tmp_path / "t.yaml").write_text(template)
    report = lint_paths([str(tmp_path / "t.yaml")])
    assert [(f.rule_id, f.location.line) for f in report.findings] == [("RL610", 7)]
    assert "has 11 managed policies" in report.findings[0].message

    # From Globals (where they are written), a policy the function also names held once, and
    # a value no deployment disables: 10.
    template = (
        _sam_function(
            *SEVEN_READERS, "AWSXrayWriteOnlyAccess", properties="      Tracing: !Ref Mode\n"
        )
        .replace(
            "Resources:\n",
            "Globals:\n  Function:\n    VpcConfig: {SubnetIds: [subnet-1]}\nResources:\n",
        )
        .replace(
            "  Env: {Type: String, Default: dev}\n", "  Mode: {Type: String, Default: Active}\n"
        )
    )
    fn_role = role(parse_text(template), "FnRole")
    assert [(r.arn.text, r.arn.ref.line, r.optional) for r in fn_role.managed_policy_arns[1:3]] == [
        (XRAY, 16, False),
        (VPC, 8, False),
    ]
    assert len(fn_role.managed_policy_arns) == 10
    (tmp_path / "t.yaml").write_text(template)
    assert lint_paths([str(tmp_path / "t.yaml")]).findings == []

    # What a deployment may leave out is not counted: a parameter without a default, Disabled.
    for tracing in ("!Ref NoDefault", "!If [IsProd, Active, Disabled]", "Disabled"):
        template = _sam_function(*EIGHT_READERS, properties=f"      Tracing: {tracing}\n").replace(
            "Parameters:\n", "Parameters:\n  NoDefault: {Type: String}\n"
        )
        xray = [
            r
            for r in role(parse_text(template), "FnRole").managed_policy_arns
            if r.arn.text == XRAY
        ]
        assert [r.optional for r in xray] == ([] if tracing == "Disabled" else [True]), tracing

    machines = STATE_MACHINES.replace(
        "      Policies:\n        - AWSXrayWriteOnlyAccess\n",
        "      Tracing: {Enabled: true}\n      Policies:\n",
    )
    orders = role(parse_text(machines), "OrdersRole")
    assert [(r.arn.text, r.arn.ref.line) for r in orders.managed_policy_arns] == [(XRAY, 7)]


SAM_APPLICATIONS = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Local:
    Type: AWS::Serverless::Application
    Properties:
      Location: ./child.yaml
      Parameters:
        TrustedPrincipal: "*"
  Published:
    Type: AWS::Serverless::Application
    Properties:
      Location:
        ApplicationId: arn:aws:serverlessrepo:us-east-1:123456789012:applications/roles
        SemanticVersion: 1.0.0
      Parameters: {Account: "444455556666"}
  Plain:
    Type: AWS::Serverless::Application
    Properties:
      Location: ./other.yaml
"""


def test_a_sam_application_passing_parameters_is_the_nested_stack_notice(tmp_path: Path) -> None:
    """SAM writes an AWS::Serverless::Application as a nested stack with the same Parameters,
    yet only AWS::CloudFormation::Stack got the notice that the child template is judged
    with its own defaults: a "*" the parent passes went unsaid.  The template is its
    Location, a path or a published application; one passing no Parameters needs no note."""
    (tmp_path / "t.yaml").write_text(SAM_APPLICATIONS)
    report = lint_paths([str(tmp_path / "t.yaml")])
    assert report.findings == [] and report.errors == []
    tail = (
        ": scanned as a file of its own, that template is analyzed with its own parameter"
        " defaults, not these values"
    )
    assert [(n.line, n.column, n.message) for n in report.notices] == [
        (7, 7, f"nested stack Local passes Parameters to ./child.yaml{tail}"),
        (
            15,
            7,
            "nested stack Published passes Parameters to application"
            " arn:aws:serverlessrepo:us-east-1:123456789012:applications/roles version 1.0.0"
            f"{tail}",
        ),
    ]


NAME_FROM_AN_INTRINSIC = """\
Transform: AWS::Serverless-2016-10-31
Parameters:
  ExtraPolicy: {Type: String, Default: AdministratorAccess}
  ReadPolicy: {Type: String, Default: ReadOnlyAccess}
Conditions:
  IsProd: !Equals [!Ref AWS::Region, us-east-1]
  IsEU: !Equals [!Ref AWS::Region, eu-west-1]
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: index.handler
      Runtime: python3.12
      CodeUri: .
      Policies:
        - !Ref ExtraPolicy
        - !Sub "${ReadPolicy}"
        - !If [IsProd, AWSLambdaExecute, !Ref ExtraPolicy]
        - !If
          - IsProd
          - !If [IsEU, AmazonS3ReadOnlyAccess, AmazonSQSReadOnlyAccess]
          - !Ref AWS::NoValue
"""


def test_a_policy_name_an_intrinsic_gives_in_sam_policies_is_no_arn(tmp_path: Path) -> None:
    """SAM makes a ``Policies`` item an ARN only when it is literal text, or a text branch of
    an ``Fn::If`` it is; any other intrinsic (``!Ref``, ``!Sub``, a nested ``Fn::If``) it copies
    into the generated role's ManagedPolicyArns as it is (samtranslator
    construct_role_for_resource), where a bare name is no ARN.  rolelint made the parameter's
    default ``AdministratorAccess`` that policy's ARN: a critical RL201 on a role that never
    holds it, where a role's own ManagedPolicyArns with the same value was rightly unread."""
    fn_role = role(parse_text(NAME_FROM_AN_INTRINSIC), "FnRole")
    assert [(r.arn.text, r.arn.ref.line) for r in fn_role.managed_policy_arns[1:]] == [
        ("AdministratorAccess", 16),
        ("ReadOnlyAccess", 17),
        (named("AWSLambdaExecute"), 18),
        ("AmazonS3ReadOnlyAccess", 21),
        ("AmazonSQSReadOnlyAccess", 21),
    ]
    (tmp_path / "t.yaml").write_text(NAME_FROM_AN_INTRINSIC)
    report = lint_paths([str(tmp_path / "t.yaml")])
    assert [f.rule_id for f in report.findings if f.rule_id == "RL201"] == []


NULL_ROLES = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: index.handler
      Runtime: python3.12
      CodeUri: .
      Role: null
      Policies:
        - AdministratorAccess
  Empty:
    Type: AWS::Serverless::Function
    Properties:
      Handler: index.handler
      Runtime: python3.12
      CodeUri: .
      Role:
      Policies:
        - AdministratorAccess
  SM:
    Type: AWS::Serverless::StateMachine
    Properties:
      Definition: {StartAt: A, States: {A: {Type: Pass, End: true}}}
      Role: ~
      Policies:
        - AdministratorAccess
"""


def test_a_null_role_is_no_role_and_sam_generates_one(tmp_path: Path) -> None:
    """SAM generates ``<Function>Role`` when the function's Role is None (samtranslator
    SamFunction.to_cloudformation, ``if lambda_function.Role is None``), and a state machine's
    when its Role is falsy: ``Role: null`` or an empty ``Role:`` is no Role.  rolelint took
    the key for a role named, so the generated role and its Policies were not read: an
    administrator passed, and ``roles`` said "No role found"."""
    inventory = parse_text(NULL_ROLES)
    assert [r.id for r in inventory.roles] == ["FnRole", "EmptyRole", "SMRole"]
    (tmp_path / "t.yaml").write_text(NULL_ROLES)
    report = lint_paths([str(tmp_path / "t.yaml")])
    assert [(f.rule_id, f.location.line, f.location.column, f.role) for f in report.findings] == [
        ("RL201", 11, 11, "FnRole"),
        ("RL201", 20, 11, "EmptyRole"),
        ("RL110", 21, 3, "SMRole"),  # the trust SAM gives a state machine's role
        ("RL201", 27, 11, "SMRole"),
    ]
    json_template = {
        "Transform": "AWS::Serverless-2016-10-31",
        "Resources": {
            "Fn": {
                "Type": "AWS::Serverless::Function",
                "Properties": {"Role": None, "Policies": ["AdministratorAccess"]},
            }
        },
    }
    inventory = parse_text(json.dumps(json_template), "template.json")
    assert [r.id for r in inventory.roles] == ["FnRole"]


def test_a_state_machines_empty_role_is_no_role_and_sam_generates_one(tmp_path: Path) -> None:
    """A state machine's Role is falsy too when it is "" (samtranslator StateMachineGenerator:
    ``if self.role``, else it constructs the role with the Policies): rolelint took ``Role:
    ""`` for a role named and dropped the state machine's policies without a word (its "*"
    was silent).  A function's "" is a Role SAM passes on (it generates one only for None)."""
    text = NULL_ROLES.replace("Role: ~", 'Role: ""').replace("Role: null", 'Role: ""')
    assert [r.id for r in parse_text(text).roles] == ["EmptyRole", "SMRole"]
    found = findings_of(text, "yaml", tmp_path)
    at_sm = line_of(text, "Type: AWS::Serverless::StateMachine") - 1
    assert [(f.rule_id, f.location.line, f.role) for f in found if f.role == "SMRole"] == [
        ("RL110", at_sm, "SMRole"),
        ("RL201", line_of(text, "- AdministratorAccess", 3), "SMRole"),
    ]


GENERATED_ELSEWHERE = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  F1:
    Type: AWS::Serverless::Function
    Properties:
      Handler: index.handler
      Runtime: python3.12
      CodeUri: .
      Role: arn:aws:iam::111122223333:role/existing
      AutoPublishAlias: live
      DeploymentPreference:
        Type: AllAtOnce
      Events:
        Nightly:
          Type: ScheduleV2
          Properties: {ScheduleExpression: rate(1 day)}
        Own:
          Type: ScheduleV2
          Properties:
            ScheduleExpression: rate(1 day)
            RoleArn: arn:aws:iam::111122223333:role/scheduler
        Get:
          Type: Api
          Properties: {Path: /, Method: get}
  F2:
    Type: AWS::Serverless::Function
    Properties:
      Handler: index.handler
      Runtime: python3.12
      CodeUri: .
      Role: arn:aws:iam::111122223333:role/existing
      AutoPublishAlias: live
      DeploymentPreference: {Type: AllAtOnce}
  SM:
    Type: AWS::Serverless::StateMachine
    Properties:
      DefinitionUri: s.json
      Role: arn:aws:iam::111122223333:role/existing-sm
      Events:
        Hourly:
          Type: Schedule
          Properties: {Schedule: rate(1 hour)}
        Post:
          Type: Api
          Properties: {Path: /, Method: post, RestApiId: !Ref Api}
"""


def test_the_roles_sam_generates_for_events_and_codedeploy_are_notes(tmp_path: Path) -> None:
    """SAM generates a role for a ScheduleV2 event without RoleArn (samtranslator
    SchedulerEventSource), for each Schedule, CloudWatchEvent, EventBridgeRule and Api event of
    a state machine (EventSource._construct_role), and one CodeDeployServiceRole for the
    template's DeploymentPreferences without a Role.  None of them is modelled, and the
    template read as "No role found" without a word; each is now a note at what asks for it
    (CodeDeploy's once).  A function's Api event generates no role."""
    (tmp_path / "t.yaml").write_text(GENERATED_ELSEWHERE)
    report = lint_paths([str(tmp_path / "t.yaml")])
    assert report.findings == [] and report.errors == []
    assert parse_text(GENERATED_ELSEWHERE).roles == []
    tail = "is not analyzed"
    assert [(n.line, n.column, n.message) for n in report.notices] == [
        (
            11,
            7,
            "DeploymentPreference of function F1: role CodeDeployServiceRole, which SAM"
            " generates for the gradual deployments of the template's functions (trusting"
            f" codedeploy.amazonaws.com), {tail}",
        ),
        (
            14,
            9,
            "event Nightly of function F1: role F1NightlyRole, which SAM generates to invoke"
            f" the function (trusting scheduler.amazonaws.com), {tail}",
        ),
        (
            40,
            9,
            "event Hourly of state machine SM: role SMHourlyRole, which SAM generates to start"
            f" the state machine (trusting events.amazonaws.com), {tail}",
        ),
        (
            43,
            9,
            "event Post of state machine SM: role SMPostRole, which SAM generates to start"
            f" the state machine (trusting apigateway.amazonaws.com), {tail}",
        ),
    ]

    # Disabled, given a Role, or without AutoPublishAlias (SAM refuses it): no CodeDeploy role.
    for preference in ("{Type: AllAtOnce, Enabled: false}", "{Type: AllAtOnce, Role: arn:r}"):
        template = (
            "Transform: AWS::Serverless-2016-10-31\n"
            "Globals:\n  Function:\n    AutoPublishAlias: live\n"
            "Resources:\n  F:\n    Type: AWS::Serverless::Function\n"
            f"    Properties:\n      Role: arn:r\n      DeploymentPreference: {preference}\n"
        )
        (tmp_path / "t.yaml").write_text(template)
        assert lint_paths([str(tmp_path / "t.yaml")]).notices == [], preference
    # From Globals, as SAM merges them.
    template = (
        "Transform: AWS::Serverless-2016-10-31\n"
        "Globals:\n  Function:\n    AutoPublishAlias: live\n"
        "    DeploymentPreference: {Type: AllAtOnce}\n"
        "Resources:\n  F:\n    Type: AWS::Serverless::Function\n"
        "    Properties: {Role: arn:r}\n"
    )
    (tmp_path / "t.yaml").write_text(template)
    assert [(n.line, n.message[:38]) for n in lint_paths([str(tmp_path / "t.yaml")]).notices] == [
        (5, "DeploymentPreference of function F: ro")
    ]


@pytest.mark.parametrize(
    ("parameter", "note"),
    [
        ('{Type: String, AllowedValues: ["false"]}', None),
        ("{Type: String, AllowedValues: [false, 'False'], Default: false}", None),
        ('{Type: String, Default: "false"}', "DeploymentPreference of function F, when enabled"),
        (
            "{Type: String, AllowedValues: [true, false]}",
            "DeploymentPreference of function F, when enabled",
        ),
        ("{Type: String, AllowedValues: [true]}", "DeploymentPreference of function F"),
    ],
)
def test_a_deployment_preference_a_parameter_enables_is_noted_when_enabled(
    tmp_path: Path, parameter: str, note: str | None
) -> None:
    """``Enabled: !Ref Canary``: SAM puts the parameter's value in before it reads Enabled,
    and generates CodeDeploy's role only where it is not false.  The note named the role
    as generated in every deployment, also where the parameter's AllowedValues allow only
    false; those generate none, and a parameter a deployment may set either way is noted
    "when enabled"."""
    template = (
        "Transform: AWS::Serverless-2016-10-31\n"
        f"Parameters:\n  Canary: {parameter}\n"
        "Resources:\n  F:\n    Type: AWS::Serverless::Function\n"
        "    Properties:\n      Role: arn:r\n      AutoPublishAlias: live\n"
        "      DeploymentPreference: {Type: AllAtOnce, Enabled: !Ref Canary}\n"
    )
    (tmp_path / "t.yaml").write_text(template)
    notices = lint_paths([str(tmp_path / "t.yaml")]).notices
    if note is None:
        assert notices == []
        return
    [notice] = notices
    assert notice.line == line_of(template, "DeploymentPreference:")
    assert notice.message == (
        f"{note}: role CodeDeployServiceRole, which SAM generates for the gradual deployments"
        " of the template's functions (trusting codedeploy.amazonaws.com), is not analyzed"
    )


def test_codedeploys_role_is_noted_at_a_function_that_certainly_asks_for_it(
    tmp_path: Path,
) -> None:
    """One CodeDeployServiceRole serves the template: where a parameter enables the first
    function's preference and the second's is always on, the role is certain, noted there."""
    template = (
        "Transform: AWS::Serverless-2016-10-31\n"
        "Parameters:\n  Canary: {Type: String, AllowedValues: [true, false]}\n"
        "Globals:\n  Function:\n    Role: arn:r\n    AutoPublishAlias: live\n"
        "Resources:\n"
        "  A:\n    Type: AWS::Serverless::Function\n"
        "    Properties:\n      DeploymentPreference: {Type: AllAtOnce, Enabled: !Ref Canary}\n"
        "  B:\n    Type: AWS::Serverless::Function\n"
        "    Properties:\n      DeploymentPreference: {Type: AllAtOnce}\n"
    )
    (tmp_path / "t.yaml").write_text(template)
    [notice] = lint_paths([str(tmp_path / "t.yaml")]).notices
    assert notice.line == line_of(template, "DeploymentPreference:", 2)
    assert notice.message.startswith("DeploymentPreference of function B: role CodeDeploy")


def test_a_state_machine_schedule_that_names_its_role_generates_none(tmp_path: Path) -> None:
    """A state machine's Schedule event takes a RoleArn (SAM PR #3363), and SAM then
    generates no role for it (stepfunctions/events.py Schedule): the note named a role
    (MachineNightlyRole) that is in no deployed stack.  Its CloudWatchEvent, EventBridgeRule
    and Api events always get one, RoleArn or not, and a function's Schedule none at all."""
    template = (
        "Transform: AWS::Serverless-2016-10-31\n"
        "Resources:\n"
        "  Machine:\n"
        "    Type: AWS::Serverless::StateMachine\n"
        "    Properties:\n"
        "      DefinitionUri: machine.asl.json\n"
        "      Role: arn:aws:iam::123456789012:role/machine\n"
        "      Events:\n"
        "        Nightly:\n"
        "          Type: Schedule\n"
        "          Properties:\n"
        "            Schedule: rate(1 day)\n"
        "            RoleArn: arn:aws:iam::123456789012:role/scheduler\n"
        "        Changes:\n"
        "          Type: EventBridgeRule\n"
        "          Properties:\n"
        "            Pattern: {source: [aws.s3]}\n"
        "            RoleArn: arn:aws:iam::123456789012:role/scheduler\n"
        "  Fn:\n"
        "    Type: AWS::Serverless::Function\n"
        "    Properties:\n"
        "      Role: arn:aws:iam::123456789012:role/fn\n"
        "      Events:\n"
        "        Nightly:\n"
        "          Type: Schedule\n"
        "          Properties: {Schedule: rate(1 day), RoleArn: arn:aws:iam::1:role/x}\n"
    )
    (tmp_path / "t.yaml").write_text(template)
    report = lint_paths([str(tmp_path / "t.yaml")])
    assert report.findings == [] and report.errors == []
    assert [(n.line, n.column, n.message) for n in report.notices] == [
        (
            14,
            9,
            "event Changes of state machine Machine: role MachineChangesRole, which SAM"
            " generates to start the state machine (trusting events.amazonaws.com), is not"
            " analyzed",
        )
    ]
    # Without its RoleArn, SAM generates the Schedule's role.
    own_role = "            RoleArn: arn:aws:iam::123456789012:role/scheduler\n"
    (tmp_path / "t.yaml").write_text(template.replace(own_role, "", 1))
    notices = lint_paths([str(tmp_path / "t.yaml")]).notices
    assert [(n.line, n.message[:50]) for n in notices] == [
        (9, "event Nightly of state machine Machine: role Machi"),
        (13, "event Changes of state machine Machine: role Machi"),
    ]


CONNECTORS = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Queue:
    Type: AWS::SQS::Queue
  Table:
    Type: AWS::DynamoDB::Table
  Topic:
    Type: AWS::SNS::Topic
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: a.h
    Connectors:
      ToTable:
        Properties:
          Destination: {Id: Table}
          Permissions: [Read, Write]
  FnToQueue:
    Type: AWS::Serverless::Connector
    Properties:
      Source: {Id: Fn}
      Destination: {Id: Queue}
      Permissions: [Write]
  Outside:
    Type: AWS::Serverless::Function
    Properties:
      Handler: a.h
      Role: arn:aws:iam::123456789012:role/outside
    Connectors:
      ToQueue:
        Properties:
          Destination: {Id: Queue}
          Permissions: [Write]
  Worker:
    Type: AWS::Lambda::Function
    Properties:
      Role: !GetAtt WorkerRole.Arn
    Connectors:
      ToBoth:
        Properties:
          Destination: [{Id: Table}, {Id: Topic}]
          Permissions: [Write]
  WorkerRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - {Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}
  QueueToWorker:
    Type: AWS::Serverless::Connector
    Properties:
      Source: {Id: Queue}
      Destination: {Id: Worker}
      Permissions: [Read, Write]
  TopicToQueue:
    Type: AWS::Serverless::Connector
    Properties:
      Source: {Id: Topic}
      Destination: {Id: Queue}
      Permissions: [Write]
"""


def test_the_managed_policies_sam_connectors_generate_are_unread_policies_of_the_role() -> None:
    """SAM makes each connector (an AWS::Serverless::Connector, or an item of a resource's
    ``Connectors``, named ``<Resource><Connector>``) an AWS::IAM::ManagedPolicy
    ``<Connector>Policy`` on the source's role (``PolicyDestination<i>`` for a list of
    destinations; on the destination function's role for a queue it reads).  None was read,
    and the roles looked complete.  Each is now an unread managed policy of its role, at the
    connector; one that grants through a queue or topic policy gives the role nothing."""
    inventory = parse_text(CONNECTORS)

    def unread(role_id: str) -> list[tuple[str | None, int]]:
        return [
            (r.arn.unresolved_reason, r.arn.ref.line)
            for r in role(inventory, role_id).managed_policy_arns
            if r.arn.text is None and not r.inline
        ]

    assert unread("FnRole") == [
        ("SAM connector FnToTable (managed policy FnToTablePolicy)", 14),
        ("SAM connector FnToQueue (managed policy FnToQueuePolicy)", 18),
    ]
    assert unread("WorkerRole") == [
        ("SAM connector WorkerToBoth (managed policy WorkerToBothPolicyDestination0)", 39),
        ("SAM connector WorkerToBoth (managed policy WorkerToBothPolicyDestination1)", 39),
        ("SAM connector QueueToWorker (managed policy QueueToWorkerPolicy)", 49),
    ]


def test_each_sam_connector_is_a_note_at_the_connector(tmp_path: Path) -> None:
    """A connector said nothing: what SAM generates from it went unanalyzed without a word.
    Each that generates a managed policy is now a note at the connector, naming the policy and
    the role SAM attaches it to.  A role ARN is no role SAM can tell (only a Ref or Fn::GetAtt
    is): SAM refuses the connector, and the note says so (it said "a role not in this
    template")."""
    (tmp_path / "t.yaml").write_text(CONNECTORS)
    report = lint_paths([str(tmp_path / "t.yaml")])
    assert report.errors == []
    tail = "is not analyzed"
    assert [(n.line, n.column, n.message) for n in report.notices] == [
        (
            14,
            7,
            "connector ToTable of function Fn: managed policy FnToTablePolicy, which SAM"
            f" generates for role FnRole, {tail}",
        ),
        (
            18,
            3,
            "connector FnToQueue: managed policy FnToQueuePolicy, which SAM generates for role"
            f" FnRole, {tail}",
        ),
        (
            30,
            7,
            "connector ToQueue of function Outside: SAM refuses it, and the template does not"
            " deploy: the Role of function Outside is arn:aws:iam::123456789012:role/outside,"
            " and SAM tells the role of managed policy OutsideToQueuePolicy only by a Ref or"
            " Fn::GetAtt",
        ),
        (
            39,
            7,
            "connector ToBoth of function Worker: managed policies"
            " WorkerToBothPolicyDestination0 and WorkerToBothPolicyDestination1, which SAM"
            " generates for role WorkerRole, are not analyzed",
        ),
        (
            49,
            3,
            "connector QueueToWorker: managed policy QueueToWorkerPolicy, which SAM generates"
            f" for role WorkerRole, {tail}",
        ),
    ]
    assert [r.id for r in parse_text(CONNECTORS).roles] == ["FnRole", "WorkerRole"]


CONNECTOR_OF_A_CHOSEN_ROLE = """\
Transform: AWS::Serverless-2016-10-31
Conditions:
  UseA: !Equals [!Ref AWS::Region, us-east-1]
Resources:
  RoleA:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: '2012-10-17'
        Statement:
          - {Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}
  RoleB:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: '2012-10-17'
        Statement:
          - {Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: a.h
      Role: !If [UseA, !GetAtt RoleA.Arn, !GetAtt RoleB.Arn]
  Table:
    Type: AWS::DynamoDB::Table
  FnToTable:
    Type: AWS::Serverless::Connector
    Properties:
      Source: {Id: Fn}
      Destination: {Id: Table}
      Permissions: [Read, Write]
  ByName:
    Type: AWS::Serverless::Connector
    Properties:
      Source: {Type: AWS::Lambda::Function, Arn: arn:aws:lambda:us-east-1:123456789012:function:f}
      Destination: {Id: Table}
      Permissions: [Read]
"""


def test_a_connector_whose_role_an_fn_if_chooses_is_one_sam_refuses(tmp_path: Path) -> None:
    """A connector from a function whose ``Role`` is ``!If [UseA, !GetAtt RoleA.Arn, !GetAtt
    RoleB.Arn]``: the note said SAM generates its policy "for a role not in this template".
    SAM tells the role only by a Ref or Fn::GetAtt (samtranslator
    get_logical_id_from_intrinsic), and refuses the connector otherwise ("Unable to get IAM role
    name"), as it does for a role ARN or an end without an Id or a RoleName: no policy is
    generated for any role, and the note says SAM refuses it."""
    (tmp_path / "t.yaml").write_text(CONNECTOR_OF_A_CHOSEN_ROLE)
    report = lint_paths([str(tmp_path / "t.yaml")])
    assert (report.errors, report.findings) == ([], [])
    assert [(n.line, n.column, n.message) for n in report.notices] == [
        (
            26,
            3,
            "connector FnToTable: SAM refuses it, and the template does not deploy: the Role of"
            " function Fn is chosen by a condition (Fn::If), and SAM tells the role of managed"
            " policy FnToTablePolicy only by a Ref or Fn::GetAtt",
        ),
        (
            32,
            3,
            "connector ByName: SAM refuses it, and the template does not deploy: its Source has"
            " neither an Id nor a RoleName, and SAM tells the role of managed policy ByNamePolicy"
            " only by a Ref or Fn::GetAtt",
        ),
    ]
    inventory = parse_text(CONNECTOR_OF_A_CHOSEN_ROLE)
    assert {r.id: r.managed_policy_arns for r in inventory.roles} == {"RoleA": (), "RoleB": ()}
