"""Cross-stack references (rolelint.stack_exports): an ``Fn::ImportValue`` of one template read
as the value another template of the run exports under that name, as the CDK links its stacks.

The fixtures (fixtures/parsers/cloudformation/cdk-exports) are the hunt's reproductions: a
Shared stack exporting a role's ``Fn::GetAtt Arn`` or ``Ref`` (its name) or a managed policy's
``Ref``, and an App stack importing it: as a whole value (a trust principal, a managed policy,
a boundary, a permission policy's Resource or Condition) or inside a text (a piece of an
``Fn::Join``, a variable of an ``Fn::Sub``).  Each is also run with the names the CDK usually
leaves to CloudFormation (no RoleName, no ManagedPolicyName): the import is then the only link
between the files.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from rolelint import stack_exports
from rolelint.api import audit_paths, lint_paths, read_inventory
from rolelint.audit.rows import inventory_rows
from rolelint.graph.build import build_graph
from rolelint.model import PolicyKind, Value
from tests.conftest import FIXTURES
from tests.rules.harness import line_of

STACKS = FIXTURES / "parsers" / "cloudformation" / "cdk-exports"
SHARED = "Shared.template.json"
APP = "App.template.json"
# What leaves a resource's name to CloudFormation, by fixture.
NAMES = {
    "chain": '"RoleName": "ci-builder",',
    "managed": '"ManagedPolicyName": "ops-admin",',
    "boundary": '"ManagedPolicyName": "dev-boundary",',
    "assume": '"RoleName": "deploy-admin",',
    "join": '"RoleName": "release-admin",',
    "passrole": '"RoleName": "stack-execution",',
    "sub": '"RoleName": "app-deployer",',
    "condition": '"ManagedPolicyName": "read-reports",',
}


def stacks(tmp_path: Path, fixture: str, *, named: bool = True) -> Path:
    """A copy of a fixture's two templates, the Shared resource's name left out unless
    ``named``."""
    folder = tmp_path / fixture
    shutil.copytree(STACKS / fixture, folder)
    if not named:
        shared = folder / SHARED
        text = shared.read_text(encoding="utf-8")
        assert NAMES[fixture] in text
        shared.write_text(text.replace(NAMES[fixture], ""), encoding="utf-8")
    return folder


def found(folder: Path) -> list[tuple[str, str, int, int]]:
    report = lint_paths([str(folder)])
    assert report.errors == []
    return sorted(
        (Path(f.file).name, f.rule_id, f.location.line, f.location.column) for f in report.findings
    )


@pytest.mark.parametrize("named", [True, False], ids=["named", "generated-name"])
def test_a_trust_naming_a_role_by_import_makes_a_chain(tmp_path: Path, named: bool) -> None:
    """Hunt 1a: DeployAdminRole (AdministratorAccess) trusts ``Fn::ImportValue`` of
    Shared's export of CiRole's ARN.  The import was unresolved, so the chain codebuild ->
    CiRole -> DeployAdminRole went unreported; with the ARN written out it gave RL401 and
    RL405.  Now the import is that ARN, at the import's position (App line 6, column 117)."""
    folder = stacks(tmp_path, "chain", named=named)
    assert found(folder) == [
        (APP, "RL201", 7, 27),
        (APP, "RL401", 6, 117),
        (SHARED, "RL405", 7, 121),
    ]
    [chain] = [f for f in lint_paths([str(folder)]).findings if f.rule_id == "RL401"]
    assert chain.message.startswith("Role CiRole1A2B3C can assume role DeployAdminRole")


@pytest.mark.parametrize("named", [True, False], ids=["named", "generated-name"])
def test_a_managed_policy_attached_by_import_is_the_roles(tmp_path: Path, named: bool) -> None:
    """Hunt 1b: CiRole attaches Shared's AdminPolicyC3D4 (``*`` on ``*``) by import; the
    inventory showed it with access "none (+1 unread policy)" and risk 2.  It holds the
    policy now: admin, risk 67, as when the ARN is written."""
    folder = stacks(tmp_path, "managed", named=named)
    audit = audit_paths([str(folder)])
    [row] = inventory_rows(
        audit.inventory, audit.graph, audit.every_finding, audit.report.active_findings
    )
    assert (row.name, row.access.display(), row.risk.score) == ("CiRole", "admin", 67)
    inventory, _ = read_inventory([str(folder)])
    [role] = inventory.roles
    assert [d.resource for d in role.policies] == ["AdminPolicyC3D4"]
    assert role.managed_policy_arns == ()
    assert inventory.standalone_policies == []


@pytest.mark.parametrize("named", [True, False], ids=["named", "generated-name"])
def test_a_boundary_named_by_import_caps_and_grants_nothing(tmp_path: Path, named: bool) -> None:
    """Hunt 1c: WorkerRole's PermissionsBoundary is ``Fn::ImportValue`` of Shared's
    BoundaryPolicy1A2B (Allow ``*``, Deny two IAM actions).  Unlinked, the boundary stood alone
    and was judged as a grant: RL202, RL206, RL207 and RL208, false positives.  It is the
    role's boundary now, as when named by ARN: no finding."""
    folder = stacks(tmp_path, "boundary", named=named)
    assert found(folder) == []
    inventory, _ = read_inventory([str(folder)])
    [role] = inventory.roles
    [boundary] = role.policies
    assert (boundary.kind, boundary.resource) == (PolicyKind.BOUNDARY, "BoundaryPolicy1A2B")
    # Named as its template names it, as a boundary of the role's own template is: the ARN's
    # last part, split on "/", cut a generated name's stand-in (whose file has folders) in two,
    # "permissions boundary Shared.template.json#BoundaryPolicy1A2B>".
    assert boundary.origin == f"permissions boundary BoundaryPolicy1A2B of role {role.id}"
    assert role.permissions_boundary is not None
    assert role.permissions_boundary.ref.file.endswith(APP)  # where the import is written
    assert inventory.standalone_policies == []


READERS = [
    f"arn:aws:iam::aws:policy/{prefix}ReadOnlyAccess"
    for prefix in (
        "AmazonS3",
        "AmazonEC2",
        "AmazonSQS",
        "AmazonSNS",
        "AmazonRDS",
        "AmazonMQ",
        "AmazonDynamoDB",
        "AWSLambda_",
    )
]


def test_a_sam_policies_name_and_its_arn_by_import_are_one_policy(tmp_path: Path) -> None:
    """A SAM ``Policies`` name rolelint knows no path of (``CloudWatchFullAccess``) beside an
    import of the policy's ARN, which another template exports: one policy (SAM finds the
    name's ARN by the name), though only known once every file is parsed.  The role holds
    one reference, with the path the export names; RL610 counts it once (the basic execution
    role, eight ARNs and this policy are ten, no finding), as it did when it joined them."""
    (tmp_path / "exporter.yaml").write_text(
        "Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n"
        "Outputs:\n  Cw:\n    Value: arn:aws:iam::aws:policy/CloudWatchFullAccess\n"
        "    Export: {Name: CwPolicyArn}\n"
    )
    policies = ["CloudWatchFullAccess", "!ImportValue CwPolicyArn", *READERS]
    (tmp_path / "fn.yaml").write_text(
        "Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n"
        "    Type: AWS::Serverless::Function\n    Properties:\n      Handler: a.h\n"
        "      Policies:\n" + "".join(f"        - {item}\n" for item in policies)
    )
    inventory, _ = read_inventory([str(tmp_path)])
    [role] = inventory.roles
    assert [(r.arn.text, r.arn.ref.line) for r in role.managed_policy_arns[1:3]] == [
        ("arn:aws:iam::aws:policy/CloudWatchFullAccess", 8),
        (READERS[0], 10),
    ]
    assert len(role.managed_policy_arns) == 10
    assert found(tmp_path) == []
    # One policy more is eleven.
    text = (tmp_path / "fn.yaml").read_text()
    (tmp_path / "fn.yaml").write_text(text + "        - arn:aws:iam::aws:policy/ReadOnlyAccess\n")
    assert found(tmp_path) == [("fn.yaml", "RL610", 3, 3)]


EXTERNAL = "arn:aws:iam::111122223333:policy/external"


def _attaches_twice(tmp_path: Path, written: str) -> Path:
    """A role attaching the policy EXTERNAL as ``written`` and by an import of its ARN, which
    another template exports (a policy no scanned file defines: an unread policy)."""
    (tmp_path / "exporter.yaml").write_text(
        "Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n"
        f"Outputs:\n  Arn:\n    Value: {EXTERNAL}\n    Export: {{Name: ExternalArn}}\n"
    )
    (tmp_path / "role.yaml").write_text(
        "Conditions:\n  Extra: !Equals [!Ref AWS::Region, eu-west-1]\n"
        "Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n"
        "      AssumeRolePolicyDocument:\n"
        '        Version: "2012-10-17"\n'
        "        Statement:\n"
        "          - {Effect: Allow, Principal: {Service: lambda.amazonaws.com},"
        " Action: sts:AssumeRole}\n"
        f"      ManagedPolicyArns:\n        - {written}\n        - !ImportValue ExternalArn\n"
    )
    return tmp_path


def test_an_arn_written_out_and_imported_is_one_policy_of_the_holder(tmp_path: Path) -> None:
    """``ManagedPolicyArns: [<ARN>, !ImportValue X]`` where another template exports that ARN
    as X: one policy, which IAM attaches once, held at the first place it is written, as the
    ARN written out twice is.  It was two references, known the same only once every file
    is parsed: ``rolelint roles`` said two unread policies, where RL610 counted one."""
    folder = _attaches_twice(tmp_path, EXTERNAL)
    inventory, _ = read_inventory([str(folder)])
    [role] = inventory.roles
    written = line_of((folder / "role.yaml").read_text(), f"- {EXTERNAL}")
    assert [(r.arn.text, r.arn.ref.line) for r in role.managed_policy_arns] == [(EXTERNAL, written)]
    audit = audit_paths([str(folder)])
    [row] = inventory_rows(
        audit.inventory, audit.graph, audit.every_finding, audit.report.active_findings
    )
    assert row.access.unresolved_policies == 1
    # Written under a condition, the import attaches it in every deployment: that one is held.
    conditional = _attaches_twice(tmp_path, f'!If [Extra, "{EXTERNAL}", !Ref AWS::NoValue]')
    inventory, _ = read_inventory([str(conditional)])
    [role] = inventory.roles
    [held] = role.managed_policy_arns
    imported = line_of((folder / "role.yaml").read_text(), "!ImportValue ExternalArn")
    assert (held.arn.text, held.arn.ref.line, held.optional) == (EXTERNAL, imported, False)


def _other_export(value: object) -> str:
    """A third template exporting the name Shared exports for BoundaryPolicy1A2B."""
    return json.dumps(
        {
            "Resources": {
                "Other": {
                    "Type": "AWS::IAM::ManagedPolicy",
                    "Properties": {
                        "ManagedPolicyName": "other",
                        "PolicyDocument": {
                            "Version": "2012-10-17",
                            "Statement": [
                                {
                                    "Effect": "Allow",
                                    "Action": "s3:GetObject",
                                    "Resource": "arn:aws:s3:::reports/*",
                                }
                            ],
                        },
                    },
                }
            },
            "Outputs": {
                "Out": {
                    "Value": value,
                    "Export": {"Name": "Shared:ExportsOutputRefBoundaryPolicy1A2B"},
                }
            },
        },
        indent=1,
    )


BOUNDARY_ALONE = [
    (SHARED, "RL202", 9, 18),
    (SHARED, "RL206", 9, 18),
    (SHARED, "RL207", 9, 54),
    (SHARED, "RL208", 9, 54),
]


@pytest.mark.parametrize(
    "value",
    [
        {"Ref": "Other"},  # another policy
        {"Ref": "Unknown"},  # a parameter or resource not known: not resolved
        {"Fn::Sub": "${AWS::StackName}-x"},
    ],
)
def test_a_name_exported_twice_with_different_values_stays_unresolved(
    tmp_path: Path, value: object
) -> None:
    """Two templates exporting one name cannot both deploy in one account and region: which
    value the import reads is not known, so it stays unresolved, as before (the boundary is
    not the role's and stands alone: the findings of today)."""
    folder = stacks(tmp_path, "boundary")
    (folder / "Other.template.json").write_text(_other_export(value), encoding="utf-8")
    assert found(folder) == BOUNDARY_ALONE
    inventory, _ = read_inventory([str(folder)])
    worker = next(r for r in inventory.roles if r.id == "WorkerRole")
    assert worker.permissions_boundary is not None
    assert worker.permissions_boundary.text is None
    assert worker.permissions_boundary.imported == "Shared:ExportsOutputRefBoundaryPolicy1A2B"


def test_a_name_exported_twice_with_one_value_is_read(tmp_path: Path) -> None:
    """The same template scanned twice (a copy in a build folder) exports one value twice:
    it is still known."""
    folder = stacks(tmp_path, "chain")
    (folder / "copy").mkdir()
    shutil.copy(folder / SHARED, folder / "copy" / SHARED)
    assert [f[:2] for f in found(folder) if f[1] == "RL401"] == [(APP, "RL401")]


@pytest.mark.parametrize("fixture", ["chain", "managed", "boundary"])
def test_an_import_nobody_exports_stays_unresolved_and_finds_nothing(
    tmp_path: Path, fixture: str
) -> None:
    """The App template alone: its import is unresolved, never a wildcard or a match."""
    folder = stacks(tmp_path, fixture)
    (folder / SHARED).unlink()
    assert found(folder) == ([(APP, "RL201", 7, 27)] if fixture == "chain" else [])
    inventory, _ = read_inventory([str(folder)])
    [role] = inventory.roles
    if fixture == "chain":
        assert role.trust_policy is not None
        [value] = [p.value for s in role.trust_policy.statements for p in s.principals]
    elif fixture == "managed":
        [value] = [r.arn for r in role.managed_policy_arns]
    else:
        assert role.permissions_boundary is not None
        value = role.permissions_boundary
    assert value.text is None and value.constrained
    assert value.unresolved_reason == "Fn::ImportValue is not resolved statically"
    assert value.imported is not None and value.imported.startswith("Shared:ExportsOutput")


# The import's name as App writes it, and whether it names Shared's export (written
# ``Shared:ExportsOutputFnGetAttCiRole1A2B3CArnD4E5F6``).
NAME = "Shared:ExportsOutputFnGetAttCiRole1A2B3CArnD4E5F6"


@pytest.mark.parametrize(
    ("name", "linked"),
    [
        ({"Fn::Join": [":", ["Shared", "ExportsOutputFnGetAttCiRole1A2B3CArnD4E5F6"]]}, True),
        (
            {
                "Fn::Sub": [
                    "Shared:ExportsOutput${Attribute}",
                    {"Attribute": "FnGetAttCiRole1A2B3CArnD4E5F6"},
                ]
            },
            True,
        ),
        # A parameter's default, as rolelint reads every value made of one.
        ({"Fn::Sub": "${Stack}:ExportsOutputFnGetAttCiRole1A2B3CArnD4E5F6"}, True),
        # What only the deployment knows is no name rolelint knows, even where it would match.
        ({"Fn::Sub": "${AWS::StackName}:ExportsOutputFnGetAttCiRole1A2B3CArnD4E5F6"}, False),
        ({"Fn::Sub": "${Passed}:ExportsOutputFnGetAttCiRole1A2B3CArnD4E5F6"}, False),
        ({"Fn::If": ["InUsEast1", NAME, "Shared:Other"]}, False),
        ({"Fn::If": ["Always", NAME, "Shared:Other"]}, True),  # true whatever is deployed
    ],
)
def test_an_import_name_the_template_spells_out_is_read(
    tmp_path: Path, name: object, linked: bool
) -> None:
    """A name made by Fn::Join or Fn::Sub of literals (or defaults) is as good as a literal.
    A name only the deployment knows (``${AWS::StackName}``, a parameter without a default,
    an Fn::If on the region) is not."""
    folder = stacks(tmp_path, "chain")
    app = json.loads((folder / APP).read_text(encoding="utf-8"))
    role = app["Resources"]["DeployAdminRole"]["Properties"]
    role["AssumeRolePolicyDocument"]["Statement"][0]["Principal"]["AWS"] = {"Fn::ImportValue": name}
    app["Parameters"] = {
        "Stack": {"Type": "String", "Default": "Shared"},
        "Passed": {"Type": "String"},
    }
    app["Conditions"] = {
        "Always": {"Fn::Equals": ["a", "a"]},
        "InUsEast1": {"Fn::Equals": [{"Ref": "AWS::Region"}, "us-east-1"]},
    }
    (folder / APP).write_text(json.dumps(app, indent=1), encoding="utf-8")
    rules = {rule for _, rule, _, _ in found(folder)}
    assert ("RL401" in rules) is linked


def _trust_principal(folder: Path, principal: object) -> None:
    """App's DeployAdminRole (of the chain fixture) trusting ``principal`` instead."""
    app = json.loads((folder / APP).read_text(encoding="utf-8"))
    statement = app["Resources"]["DeployAdminRole"]["Properties"]["AssumeRolePolicyDocument"]
    statement["Statement"][0]["Principal"]["AWS"] = principal
    app["Parameters"] = {"Passed": {"Type": "String"}}
    (folder / APP).write_text(json.dumps(app, indent=1), encoding="utf-8")


def test_an_import_inside_a_trust_principal_text_is_read(tmp_path: Path) -> None:
    """An import as a piece of an ``Fn::Join`` (here the export's ARN and nothing around it)
    was another text, never known: the chain through it went unreported.  The text is now
    written out with the exported ARN, where the Join is, and RL401 points there."""
    folder = stacks(tmp_path, "chain")
    _trust_principal(folder, {"Fn::Join": ["", [{"Fn::ImportValue": NAME}, ""]]})
    inventory, _ = read_inventory([str(folder)])
    deploy = next(r for r in inventory.roles if r.id == "DeployAdminRole")
    assert deploy.trust_policy is not None
    [value] = [p.value for s in deploy.trust_policy.statements for p in s.principals]
    ci = next(r for r in inventory.roles if r.id == "CiRole1A2B3C")
    assert value.text == ci.arn.text
    assert value.ref.file.endswith(APP)
    chain = [f for f in found(folder) if f[1] == "RL401"]
    assert chain == [(APP, "RL401", value.ref.line, value.ref.column)]


@pytest.mark.parametrize(
    "principal",
    [
        # Another piece only the deployment knows: the text is not known, export or not.
        {"Fn::Join": ["", [{"Fn::ImportValue": NAME}, {"Ref": "Passed"}]]},
        {"Fn::Sub": ["${Arn}${Passed}", {"Arn": {"Fn::ImportValue": NAME}}]},
        # An export no template of the run gives.
        {"Fn::Join": ["", [{"Fn::ImportValue": "Shared:Nobody"}, ""]]},
        # An import whose name only the deployment knows.
        {"Fn::Join": ["", [{"Fn::ImportValue": {"Fn::Sub": "${AWS::StackName}:X"}}, ""]]},
    ],
)
def test_an_import_inside_a_text_with_anything_else_unknown_stays_unresolved(
    tmp_path: Path, principal: object
) -> None:
    """A text is written out only when the imports are all it did not know, and the run
    knows each of their exports."""
    folder = stacks(tmp_path, "chain")
    _trust_principal(folder, principal)
    assert [f[1] for f in found(folder)] == ["RL201"]
    inventory, _ = read_inventory([str(folder)])
    deploy = next(r for r in inventory.roles if r.id == "DeployAdminRole")
    assert deploy.trust_policy is not None
    [value] = [p.value for s in deploy.trust_policy.statements for p in s.principals]
    assert value.text is None and value.imported is None


def test_a_boundary_named_by_a_text_of_an_import_is_read(tmp_path: Path) -> None:
    """A text of an import is read wherever a whole import is: WorkerRole's boundary as an
    ``Fn::Join`` of the import alone is Shared's BoundaryPolicy1A2B, and caps the role: no
    finding (standing alone it gave RL202, RL206, RL207 and RL208)."""
    folder = stacks(tmp_path, "boundary")
    app = json.loads((folder / APP).read_text(encoding="utf-8"))
    properties = app["Resources"]["WorkerRole"]["Properties"]
    properties["PermissionsBoundary"] = {"Fn::Join": ["", [properties["PermissionsBoundary"]]]}
    (folder / APP).write_text(json.dumps(app, indent=1), encoding="utf-8")
    assert found(folder) == []
    inventory, _ = read_inventory([str(folder)])
    [role] = inventory.roles
    assert [(d.kind, d.resource) for d in role.policies] == [
        (PolicyKind.BOUNDARY, "BoundaryPolicy1A2B")
    ]


def test_a_text_longer_than_the_parsers_build_stays_unresolved(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The parsers leave a text over MAX_TEXT characters unknown (a short file can build a
    huge one); a text of imports written out is measured the same way, before it is built."""
    monkeypatch.setattr(stack_exports, "MAX_TEXT", len("arn:aws:iam::${AWS::AccountId}:role/"))
    folder = stacks(tmp_path, "join")
    assert [f for f in found(folder) if f[0] == APP] == []
    [resource] = _granted(folder, "CiRole")
    assert resource.text is None and resource.import_parts is not None


def _granted(folder: Path, role: str) -> tuple[Value, ...]:
    """The values of the first statement of ``role``'s one policy that say what it grants on:
    its resources and its conditions' values."""
    inventory, _ = read_inventory([str(folder)])
    holder = next(r for r in inventory.roles if r.id == role)
    [document] = holder.policies
    statement = document.statements[0]
    return (*statement.resources, *(v for c in statement.conditions for v in c.values))


# What each fixture of an import in a permission policy gives, read or written out: the
# findings of App that the import's value brings (at the import, or at the Join or Sub it is
# a piece of), and the role holding the policy.
GRANTS = {
    # CiRole may assume Shared's administrator role: the edge codebuild -> CiRole -> AdminRole.
    "assume": ([(APP, "RL401", 12, 98), (APP, "RL405", 6, 121)], "CiRole"),
    "join": ([(APP, "RL401", 12, 98), (APP, "RL405", 6, 121)], "CiRole"),
    # PipelineRole may pass Shared's administrator role to CloudFormation.
    "passrole": ([(APP, "RL206", 14, 65)], "PipelineRole"),
    "sub": ([(APP, "RL206", 14, 65)], "PipelineRole"),
}


@pytest.mark.parametrize("named", [True, False], ids=["named", "generated-name"])
@pytest.mark.parametrize("fixture", list(GRANTS))
def test_an_import_in_a_permission_policy_is_read(
    tmp_path: Path, fixture: str, named: bool
) -> None:
    """An import in a permission policy's Resource, whole (``assume``, ``passrole``) or in a
    text (a piece of the CDK's ``Fn::Join`` of a role ARN, a variable of an ``Fn::Sub``), was
    unresolved: ``sts:AssumeRole`` on Shared's administrator role drew no edge (no RL401,
    RL405) and ``iam:PassRole`` of it no RL206, though the ARN written out gave them.  It is
    that ARN now, where the import (or the text) is, whether the role is named or not."""
    folder = stacks(tmp_path, fixture, named=named)
    expected, role = GRANTS[fixture]
    assert [f for f in found(folder) if f[0] == APP] == sorted(expected)
    [resource] = _granted(folder, role)
    assert resource.text is not None and resource.text.startswith("arn:aws:iam::")
    assert resource.ref.file.endswith(APP) and resource.ref.line == expected[0][2]


def test_an_assume_role_grant_by_import_is_an_edge_of_the_graph(tmp_path: Path) -> None:
    """The edge CiRole -> AdminRole1A2B3C is drawn, its grant at the import (App line 12)."""
    audit = audit_paths([str(stacks(tmp_path, "assume"))])
    [edge] = [e for e in audit.graph.edges if e.source.endswith("#CiRole")]
    assert edge.target.endswith(f"{SHARED}#AdminRole1A2B3C")
    assert edge.grant is not None and edge.grant.file.endswith(APP)
    assert (edge.grant.line, edge.grant.column) == (12, 98)


@pytest.mark.parametrize("fixture", [*GRANTS, "condition"])
def test_an_import_in_a_permission_policy_nobody_exports_stays_unresolved(
    tmp_path: Path, fixture: str
) -> None:
    """The App template alone: the import (or the text it is a piece of) is unresolved, never
    a wildcard or a match: no edge, no RL206 on it; the iam:PolicyARN test of an unknown
    policy may admit any, so RL206 stays, as before."""
    folder = stacks(tmp_path, fixture)
    (folder / SHARED).unlink()
    role = GRANTS[fixture][1] if fixture in GRANTS else "OnboardingRole"
    *_, value = _granted(folder, role)  # the Resource, or the condition's value
    assert value.text is None and value.constrained and value.import_parts is not None
    assert [f[1] for f in found(folder)] == (["RL206"] if fixture == "condition" else [])


def test_an_import_in_a_permission_policy_exported_twice_stays_unresolved(
    tmp_path: Path,
) -> None:
    """Two templates exporting the name with different values: which one the import reads is
    not known, so the Resource stays unresolved and draws no edge."""
    folder = stacks(tmp_path, "assume")
    other = (folder / SHARED).read_text(encoding="utf-8").replace("deploy-admin", "other-admin")
    (folder / "Other.template.json").write_text(other, encoding="utf-8")
    assert [f for f in found(folder) if f[0] == APP] == []
    [resource] = _granted(folder, "CiRole")
    assert resource.text is None


@pytest.mark.parametrize("admin", [False, True], ids=["read-only", "admin"])
def test_a_condition_value_named_by_import_is_read(tmp_path: Path, admin: bool) -> None:
    """``iam:AttachRolePolicy`` on ``*`` under ``ArnEquals iam:PolicyARN`` an import of
    Shared's managed policy: the condition's value was unresolved, so it could admit any
    policy, and RL206 was reported whatever Shared's policy is.  It is the policy's ARN now:
    one that only reads grants nothing to escalate with (no RL206), one with ``*`` on ``*``
    is named in the finding."""
    folder = stacks(tmp_path, "condition")
    if admin:
        shared = folder / SHARED
        text = shared.read_text(encoding="utf-8")
        read = '"Action": "s3:GetObject", "Effect": "Allow", "Resource": "arn:aws:s3:::reports/*"'
        assert read in text
        shared.write_text(text.replace(read, '"Action": "*", "Effect": "Allow", "Resource": "*"'))
    report = lint_paths([str(folder)])
    escalations = [f for f in report.findings if f.rule_id == "RL206"]
    if admin:
        [finding] = escalations
        assert (finding.location.line, finding.location.column) == (12, 49)
        assert "policy/read-reports'; AWS::IAM::ManagedPolicy ReadReportsPolicy7C8D with" in (
            finding.message
        )
    else:
        assert escalations == []
    [_, value] = _granted(folder, "OnboardingRole")
    assert value.text == "arn:aws:iam::${AWS::AccountId}:policy/read-reports"
    assert value.ref.file.endswith(APP) and value.ref.line == 12


# --- exports made of a parameter's default ------------------------------------------------------

POLICY_ARN = "arn:aws:iam::aws:policy/AdministratorAccess"
OPS_ADMIN = "arn:${AWS::Partition}:iam::${AWS::AccountId}:policy/ops-admin"


def _managed_export(tmp_path: Path, value: object, *, named: object = "ops-admin") -> Path:
    """The managed fixture, Shared exporting ``value`` for CiRole's import instead (its
    AdminPolicyC3D4, ``*`` on ``*``, named ``named``), with parameters whose defaults name
    that policy or AdministratorAccess, and what reads them (a condition, a map)."""
    folder = stacks(tmp_path, "managed")
    shared = json.loads((folder / SHARED).read_text(encoding="utf-8"))
    shared["Parameters"] = {
        "PolicyName": {"Type": "String", "Default": "ops-admin"},
        "PolicyArn": {"Type": "String", "Default": POLICY_ARN},
        "PolicyArns": {"Type": "CommaDelimitedList", "Default": f"{POLICY_ARN},x"},
        "Index": {"Type": "String", "Default": "0"},
        "Team": {"Type": "String", "Default": "ops"},
    }
    shared["Conditions"] = {"Always": {"Fn::Equals": ["a", "a"]}}
    shared["Mappings"] = {"Policies": {"ops": {"Arn": POLICY_ARN}}}
    shared["Resources"]["AdminPolicyC3D4"]["Properties"]["ManagedPolicyName"] = named
    [output] = shared["Outputs"].values()
    output["Value"] = value
    (folder / SHARED).write_text(json.dumps(shared, indent=1), encoding="utf-8")
    return folder


def _ci_role_access(folder: Path) -> str:
    audit = audit_paths([str(folder)])
    rows = inventory_rows(
        audit.inventory, audit.graph, audit.every_finding, audit.report.active_findings
    )
    return next(row.access.display() for row in rows if row.name == "CiRole")


@pytest.mark.parametrize(
    "value",
    [
        {"Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:policy/${PolicyName}"},
        {
            "Fn::Join": [
                "",
                [
                    "arn:",
                    {"Ref": "AWS::Partition"},
                    ":iam::",
                    {"Ref": "AWS::AccountId"},
                    ":policy/",
                    {"Ref": "PolicyName"},
                ],
            ]
        },
        {"Fn::Sub": "${PolicyArn}"},
        {"Fn::Join": ["", [{"Ref": "PolicyArn"}]]},
        {"Fn::Sub": ["${Arn}", {"Arn": {"Ref": "PolicyArn"}}]},
        {"Ref": "PolicyArn"},
        {"Fn::Select": [{"Ref": "Index"}, [POLICY_ARN, "x"]]},
        {"Fn::Select": [0, {"Ref": "PolicyArns"}]},
        {"Fn::Select": [1, {"Fn::Split": ["|", {"Fn::Sub": "x|${PolicyArn}"}]}]},
        {"Fn::If": ["Always", {"Fn::Sub": "${PolicyArn}"}, "x"]},
        {"Fn::FindInMap": ["Policies", {"Ref": "Team"}, "Arn"]},
        {"Fn::Sub": ["${Arn}", {"Arn": {"Fn::FindInMap": ["Policies", {"Ref": "Team"}, "Arn"]}}]},
    ],
    ids=[
        "sub",
        "join",
        "sub-only",
        "join-only",
        "sub-variable",
        "ref",
        "select-index",
        "select-list",
        "split",
        "if",
        "find-in-map",
        "sub-of-find-in-map",
    ],
)
def test_an_export_made_of_a_parameter_default_stays_unresolved(
    tmp_path: Path, value: object
) -> None:
    """Hunt: an export built from a parameter's default through Fn::Sub or Fn::Join (of the
    default ``ops-admin``, or of the whole default ARN of AdministratorAccess) was linked,
    though a ``Ref`` of the same parameter was not: CiRole read "admin" through it.  Whoever
    deploys Shared may pass another value, so no function a default goes through (Sub,
    Join, Select, Split, If, FindInMap) makes it a fact of the template: the import stays
    unresolved, and CiRole's access what an unread policy leaves it."""
    folder = _managed_export(tmp_path, value)
    assert _ci_role_access(folder) == "none (+1 unread policy)"
    inventory, _ = read_inventory([str(folder)])
    role = next(r for r in inventory.roles if r.id == "CiRole")
    [reference] = role.managed_policy_arns
    assert reference.arn.text is None and reference.arn.imported is not None


@pytest.mark.parametrize(
    ("value", "named"),
    [
        ({"Ref": "AdminPolicyC3D4"}, "ops-admin"),
        ({"Fn::GetAtt": ["AdminPolicyC3D4", "PolicyArn"]}, "ops-admin"),
        ({"Fn::Sub": OPS_ADMIN}, "ops-admin"),  # pseudo parameters only
        ({"Fn::Sub": "${AdminPolicyC3D4}"}, "ops-admin"),
        # The resource's name is a default: its Ref is the resource, whatever it is named.
        ({"Ref": "AdminPolicyC3D4"}, {"Ref": "PolicyName"}),
        ({"Fn::Sub": "${AdminPolicyC3D4}"}, {"Ref": "PolicyName"}),
    ],
    ids=["ref", "get-att", "pseudo-parameters", "sub-of-ref", "ref-named", "sub-of-ref-named"],
)
def test_an_export_of_a_resource_or_pseudo_parameters_is_read(
    tmp_path: Path, value: object, named: object
) -> None:
    """What a resource's Ref or Fn::GetAtt gives is the resource's, even where its name is a
    parameter's default (the policy is then named by that default in rolelint's model as
    well); the account, partition and region are the deploying account's.  Those exports
    are read: CiRole holds Shared's policy, admin."""
    folder = _managed_export(tmp_path, value, named=named)
    assert _ci_role_access(folder) == "admin"


def test_a_text_of_an_import_and_a_default_written_out_is_still_the_defaults(
    tmp_path: Path,
) -> None:
    """A text around an import that holds a default as well is written out with the export,
    and stays what it is made of (Value.from_default): a default another deployment may
    replace."""
    folder = stacks(tmp_path, "chain")
    _trust_principal(folder, {"Fn::Sub": ["${Prefix}${Arn}", {"Arn": {"Fn::ImportValue": NAME}}]})
    app = json.loads((folder / APP).read_text(encoding="utf-8"))
    app["Parameters"]["Prefix"] = {"Type": "String", "Default": ""}
    (folder / APP).write_text(json.dumps(app, indent=1), encoding="utf-8")
    inventory, _ = read_inventory([str(folder)])
    deploy = next(r for r in inventory.roles if r.id == "DeployAdminRole")
    assert deploy.trust_policy is not None
    [value] = [p.value for s in deploy.trust_policy.statements for p in s.principals]
    assert value.text is not None and value.text.endswith(":role/ci-builder")
    assert value.from_default


def test_a_role_name_exported_by_ref_is_the_role_whatever_its_default(tmp_path: Path) -> None:
    """Shared's CiRole is named by a parameter's default and exports its ``Ref`` (its name);
    App's trust builds the ARN around the import.  The name is the role's, in every
    deployment (another name passed renames the role and the export alike), so the chain is
    drawn, as through ``Fn::GetAtt Arn`` (it was not: a Ref of a role named by a default was
    taken for the default itself)."""
    folder = stacks(tmp_path, "chain")
    shared = json.loads((folder / SHARED).read_text(encoding="utf-8"))
    shared["Parameters"] = {"CiRoleName": {"Type": "String", "Default": "ci-builder"}}
    shared["Resources"]["CiRole1A2B3C"]["Properties"]["RoleName"] = {"Ref": "CiRoleName"}
    [output] = shared["Outputs"].values()
    output["Value"] = {"Ref": "CiRole1A2B3C"}
    (folder / SHARED).write_text(json.dumps(shared, indent=1), encoding="utf-8")
    arn = "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/${Name}"
    _trust_principal(folder, {"Fn::Sub": [arn, {"Name": {"Fn::ImportValue": NAME}}]})
    assert [f[:2] for f in found(folder) if f[1] == "RL401"] == [(APP, "RL401")]


# --- a role named by import -----------------------------------------------------------------------


def test_a_role_named_by_import_has_the_exported_name(tmp_path: Path) -> None:
    """App's DeployAdminRole (AdministratorAccess) is named ``!ImportValue
    Shared:DeployRoleName``, which Shared exports as ``deploy-admin``; Shared's CiRole may
    assume ``role/deploy-admin``.  The role's ARN was a generated name's stand-in, so the
    chain CiRole -> DeployAdminRole went unreported.  Its name and ARN are the export's now
    (the name at the import), and the ``Fn::GetAtt Arn`` of it in App (PipelineRole's
    iam:PassRole) is that ARN too: its RL206 stays."""
    folder = stacks(tmp_path, "rolename")
    assert found(folder) == [
        (APP, "RL201", 8, 27),
        (APP, "RL206", 16, 64),
        (SHARED, "RL401", 12, 98),
        (SHARED, "RL405", 6, 121),
    ]
    inventory, _ = read_inventory([str(folder)])
    deploy = next(r for r in inventory.roles if r.id == "DeployAdminRole")
    assert deploy.arn.text == "arn:aws:iam::${AWS::AccountId}:role/deploy-admin"
    assert deploy.name is not None and deploy.name.text == "deploy-admin"
    assert deploy.name.ref.file.endswith(APP) and deploy.name.ref.line == 6
    pipeline = next(r for r in inventory.roles if r.id == "PipelineRole")
    [passed, _] = pipeline.policies[0].statements
    assert [v.text for v in passed.resources] == [deploy.arn.text]


def test_an_export_of_a_role_named_by_import_is_its_exported_name(tmp_path: Path) -> None:
    """App exports DeployAdminRole's ``Fn::GetAtt Arn`` in turn, which Ops's OpsRole may
    assume by import.  The export held the ARN's stand-in, as the role did (the chain was
    drawn through it); both are the exported name now, and the chain still is."""
    folder = stacks(tmp_path, "rolename")
    app = json.loads((folder / APP).read_text(encoding="utf-8"))
    app["Outputs"] = {
        "DeployArn": {
            "Value": {"Fn::GetAtt": ["DeployAdminRole", "Arn"]},
            "Export": {"Name": "App:DeployAdminRoleArn"},
        }
    }
    (folder / APP).write_text(json.dumps(app, indent=1), encoding="utf-8")
    ops = json.loads((folder / SHARED).read_text(encoding="utf-8"))
    del ops["Outputs"]
    ops["Resources"] = {"OpsRole": ops["Resources"]["CiRole"]}
    grant = {"Fn::ImportValue": "App:DeployAdminRoleArn"}
    policy = {"Statement": [{"Action": "sts:AssumeRole", "Effect": "Allow", "Resource": grant}]}
    ops["Resources"]["OpsRole"]["Properties"]["Policies"] = [
        {"PolicyName": "deploy", "PolicyDocument": policy}
    ]
    (folder / "Ops.template.json").write_text(json.dumps(ops, indent=1), encoding="utf-8")
    assert [f[:2] for f in found(folder) if f[1] == "RL401"] == [
        ("Ops.template.json", "RL401"),
        (SHARED, "RL401"),
    ]
    [resource] = _granted(folder, "OpsRole")
    assert resource.text == "arn:aws:iam::${AWS::AccountId}:role/deploy-admin"


def _role_name(folder: Path, name: object, *, exported: object = "deploy-admin") -> None:
    """The rolename fixture with DeployAdminRole named ``name`` and Shared exporting
    ``exported`` as Shared:DeployRoleName."""
    app = json.loads((folder / APP).read_text(encoding="utf-8"))
    app["Resources"]["DeployAdminRole"]["Properties"]["RoleName"] = name
    app["Conditions"] = {"InUsEast1": {"Fn::Equals": [{"Ref": "AWS::Region"}, "us-east-1"]}}
    (folder / APP).write_text(json.dumps(app, indent=1), encoding="utf-8")
    shared = json.loads((folder / SHARED).read_text(encoding="utf-8"))
    shared["Outputs"]["DeployRoleName"]["Value"] = exported
    (folder / SHARED).write_text(json.dumps(shared, indent=1), encoding="utf-8")


IMPORTED_NAME = {"Fn::ImportValue": "Shared:DeployRoleName"}


@pytest.mark.parametrize(
    ("name", "exported"),
    [
        (IMPORTED_NAME, "deploy admin"),  # no name IAM takes
        (IMPORTED_NAME, "arn:aws:iam::123456789012:role/deploy-admin"),
        (IMPORTED_NAME, "deploy-*"),
        (IMPORTED_NAME, {"Fn::Sub": "deploy-${AWS::Region}"}),  # the region is not known
        # One of two names, by a condition: the ARN is one of two, not the export's.
        ({"Fn::If": ["InUsEast1", IMPORTED_NAME, "other-admin"]}, "deploy-admin"),
    ],
    ids=["space", "arn", "wildcard", "region", "condition"],
)
def test_a_role_named_by_import_of_no_name_stays_unresolved(
    tmp_path: Path, name: object, exported: object
) -> None:
    """An exported text that is no role name (IAM refuses it), or a name a condition
    chooses, leaves the role's ARN what it was: no chain."""
    folder = stacks(tmp_path, "rolename")
    _role_name(folder, name, exported=exported)
    assert [f[1] for f in found(folder) if f[1] in ("RL401", "RL405")] == []
    inventory, _ = read_inventory([str(folder)])
    deploy = next(r for r in inventory.roles if r.id == "DeployAdminRole")
    # The stand-in of a name the template sets to a value not known (model.unresolved_name).
    assert deploy.arn.text is not None and "<unresolved name:" in deploy.arn.text


def test_a_role_named_by_an_import_nobody_exports_stays_unresolved(tmp_path: Path) -> None:
    folder = stacks(tmp_path, "rolename")
    shared = json.loads((folder / SHARED).read_text(encoding="utf-8"))
    del shared["Outputs"]
    (folder / SHARED).write_text(json.dumps(shared, indent=1), encoding="utf-8")
    assert [f[1] for f in found(folder)] == ["RL201", "RL206"]
    inventory, _ = read_inventory([str(folder)])
    deploy = next(r for r in inventory.roles if r.id == "DeployAdminRole")
    assert deploy.name is not None and deploy.name.imported == "Shared:DeployRoleName"
    # The stand-in of a name the template sets to a value not known (model.unresolved_name).
    assert deploy.arn.text is not None and "<unresolved name:" in deploy.arn.text


def test_a_role_path_given_by_import_is_the_exported_path(tmp_path: Path) -> None:
    """A role's ``Path`` by import was a stand-in no path-less ARN matches: CiRole's grant on
    ``role/deploy/deploy-admin`` named nothing.  The path is the export's now."""
    folder = stacks(tmp_path, "rolename")
    _role_name(folder, "deploy-admin", exported="/deploy/")
    app = json.loads((folder / APP).read_text(encoding="utf-8"))
    app["Resources"]["DeployAdminRole"]["Properties"]["Path"] = IMPORTED_NAME
    (folder / APP).write_text(json.dumps(app, indent=1), encoding="utf-8")
    shared = (folder / SHARED).read_text(encoding="utf-8")
    (folder / SHARED).write_text(shared.replace(":role/deploy-admin", ":role/deploy/deploy-admin"))
    assert [f[1] for f in found(folder) if f[1] in ("RL401", "RL405")] == ["RL401", "RL405"]
    inventory, _ = read_inventory([str(folder)])
    deploy = next(r for r in inventory.roles if r.id == "DeployAdminRole")
    assert deploy.arn.text == "arn:aws:iam::${AWS::AccountId}:role/deploy/deploy-admin"
    assert deploy.path is not None and deploy.path.text == "/deploy/"


# --- a user, group or managed policy named by import ---------------------------------------------

OPS = "Ops.template.json"


def _names(tmp_path: Path, **exported: object) -> Path:
    """The names fixture: App's user Deployer, group Developers and managed policy OpsPolicy
    named by import of Shared's exports (``imported-deployer``, ``imported-devs``,
    ``imported-ops``), Ops naming each by its ARN written out; Shared exporting ``exported``
    instead where given (by output: DeployerName, DevelopersName, OpsPolicyName)."""
    folder = stacks(tmp_path, "names")
    shared = json.loads((folder / SHARED).read_text(encoding="utf-8"))
    for output, value in exported.items():
        shared["Outputs"][output]["Value"] = value
    (folder / SHARED).write_text(json.dumps(shared, indent=1), encoding="utf-8")
    return folder


NAMED_BY_IMPORT = [
    (APP, "RL201", 26, 49),  # OpsPolicy's iam:* (standing alone, or held by CiRole)
    (OPS, "RL201", 8, 27),  # DeployAdminRole's AdministratorAccess
]


def test_a_user_named_by_import_has_the_exported_name(tmp_path: Path) -> None:
    """App's Deployer is named ``!ImportValue Shared:DeployerName`` (``imported-deployer``),
    and Ops's DeployAdminRole (AdministratorAccess) trusts ``user/imported-deployer``.  The
    user's ARN was the stand-in of a name not known, so the trust admitted no scanned user
    and the chain Deployer -> DeployAdminRole went unreported (RL401)."""
    folder = _names(tmp_path)
    assert (OPS, "RL401", 7, 117) in found(folder)
    inventory, _ = read_inventory([str(folder)])
    deployer = next(i for i in inventory.identities if i.id == "Deployer")
    assert deployer.arn.text == "arn:aws:iam::${AWS::AccountId}:user/imported-deployer"
    assert deployer.name is not None and deployer.name.text == "imported-deployer"
    assert deployer.name.ref.file.endswith(APP) and deployer.name.ref.line == 6


def test_a_group_named_by_import_has_the_exported_name(tmp_path: Path) -> None:
    """App's Developers is named ``!ImportValue Shared:DevelopersName``; its member Dev may
    ``iam:PutGroupPolicy`` on ``group/imported-devs``: on its own group, so it may write itself
    any policy (RL206).  The group's ARN was a stand-in, which that grant did not name."""
    folder = _names(tmp_path)
    [escalation] = [f for f in lint_paths([str(folder)]).findings if f.rule_id == "RL206"]
    assert (Path(escalation.file).name, escalation.location.line) == (APP, 19)
    assert "on its group" in escalation.message
    inventory, _ = read_inventory([str(folder)])
    developers = next(i for i in inventory.identities if i.id == "Developers")
    assert developers.arn.text == "arn:aws:iam::${AWS::AccountId}:group/imported-devs"


def test_a_managed_policy_named_by_import_has_the_exported_name(tmp_path: Path) -> None:
    """App's OpsPolicy (``iam:*``) is named ``!ImportValue Shared:OpsPolicyName``; Ops's
    CiRole attaches ``policy/imported-ops`` by ARN.  The policy had no ARN (its name not known),
    so it stood alone and CiRole held an unread reference: access "none (+1 unread
    policy)".  CiRole holds it now, as when the name is written out."""
    folder = _names(tmp_path)
    assert found(folder) == sorted(
        [*NAMED_BY_IMPORT, (APP, "RL206", 19, 86), (OPS, "RL401", 7, 117)]
    )
    inventory, _ = read_inventory([str(folder)])
    ci = next(r for r in inventory.roles if r.id == "CiRole")
    [policy] = ci.policies
    assert (policy.resource, policy.arn) == (
        "OpsPolicy",
        "arn:aws:iam::${AWS::AccountId}:policy/imported-ops",
    )
    assert policy.name is not None and policy.name.text == "imported-ops"
    assert ci.managed_policy_arns == ()
    assert inventory.standalone_policies == []
    [policy_finding] = [f for f in lint_paths([str(folder)]).findings if f.location.line == 26]
    assert policy_finding.role == "CiRole"


@pytest.mark.parametrize(
    "exported",
    [
        {},  # Shared left out below: an import nobody exports
        {"DeployerName": "deploy er", "DevelopersName": "dev/s", "OpsPolicyName": "ops*"},
        # Longer than IAM takes: a user's name 64 characters, a group's and a policy's 128.
        {"DeployerName": "d" * 65, "DevelopersName": "d" * 129, "OpsPolicyName": "o" * 129},
        {
            "DeployerName": {"Fn::Sub": "deployer-${AWS::Region}"},
            "DevelopersName": {"Ref": "AWS::StackName"},
            "OpsPolicyName": {"Fn::Sub": "${AWS::Region}"},
        },
    ],
    ids=["nobody", "no-name", "too-long", "region"],
)
def test_a_user_group_or_policy_named_by_import_of_no_name_stays_unresolved(
    tmp_path: Path, exported: dict[str, object]
) -> None:
    """No link, and the findings of the names not known: the trust and the group grant name
    no scanned user or group, the policy stands alone."""
    folder = _names(tmp_path, **exported)
    if not exported:
        (folder / SHARED).unlink()
    assert found(folder) == NAMED_BY_IMPORT
    inventory, _ = read_inventory([str(folder)])
    for identity in inventory.identities:
        if identity.id != "Dev":
            assert identity.arn.text is not None and "<unresolved name:" in identity.arn.text
    [policy] = inventory.standalone_policies
    assert policy.arn is not None and "<unresolved name:" in policy.arn


def test_a_user_named_by_import_under_a_condition_stays_unresolved(tmp_path: Path) -> None:
    """One of two names, by a condition: the user's ARN is one of two, not the export's."""
    folder = _names(tmp_path)
    app = json.loads((folder / APP).read_text(encoding="utf-8"))
    properties = app["Resources"]["Deployer"]["Properties"]
    properties["UserName"] = {"Fn::If": ["InUsEast1", properties["UserName"], "other"]}
    app["Conditions"] = {"InUsEast1": {"Fn::Equals": [{"Ref": "AWS::Region"}, "us-east-1"]}}
    (folder / APP).write_text(json.dumps(app, indent=1), encoding="utf-8")
    assert [f[1] for f in found(folder) if f[1] == "RL401"] == []
    inventory, _ = read_inventory([str(folder)])
    deployer = next(i for i in inventory.identities if i.id == "Deployer")
    assert deployer.arn.text is not None and "<unresolved name:" in deployer.arn.text


def test_a_user_path_given_by_import_is_the_exported_path(tmp_path: Path) -> None:
    """A user's ``Path`` by import, as a role's: ``user/ci/imported-deployer`` names Deployer."""
    folder = _names(tmp_path)
    app = json.loads((folder / APP).read_text(encoding="utf-8"))
    app["Resources"]["Deployer"]["Properties"]["Path"] = {"Fn::ImportValue": "Shared:UserPath"}
    (folder / APP).write_text(json.dumps(app, indent=1), encoding="utf-8")
    shared = json.loads((folder / SHARED).read_text(encoding="utf-8"))
    shared["Outputs"]["UserPath"] = {"Value": "/ci/", "Export": {"Name": "Shared:UserPath"}}
    (folder / SHARED).write_text(json.dumps(shared, indent=1), encoding="utf-8")
    ops = (folder / OPS).read_text(encoding="utf-8")
    (folder / OPS).write_text(ops.replace(":user/imported-deployer", ":user/ci/imported-deployer"))
    assert [f[1] for f in found(folder) if f[1] == "RL401"] == ["RL401"]
    inventory, _ = read_inventory([str(folder)])
    deployer = next(i for i in inventory.identities if i.id == "Deployer")
    assert deployer.arn.text == "arn:aws:iam::${AWS::AccountId}:user/ci/imported-deployer"


def test_the_names_users_groups_and_policies_import_are_searched_for(tmp_path: Path) -> None:
    """pre-commit naming App alone looks for the templates exporting the names its user,
    group and managed policy import (rolelint.template_readers), as it does a role's."""
    folder = stacks(tmp_path, "names")
    (folder / SHARED).unlink()  # the names stay imports
    inventory, _ = read_inventory([str(folder / APP)])
    assert stack_exports.imported_names(inventory) == {
        "Shared:DeployerName",
        "Shared:DevelopersName",
        "Shared:OpsPolicyName",
    }


# --- permission sets ------------------------------------------------------------------------------


def test_a_permission_sets_policies_and_boundary_by_import_are_read(tmp_path: Path) -> None:
    """A permission set's managed policy (IAMFullAccess) and boundary (PowerUserAccess)
    given by import were unread: the set holding IAMFullAccess gave no finding, and the
    other set's ``iam:*`` was full admin (RL201) with a boundary that "may limit" it.  They
    are the exported ARNs now, read as when written out: RL201 on IAMFullAccess, and the
    boundary limits ``iam:*`` to what PowerUserAccess allows (RL203)."""
    folder = stacks(tmp_path, "permission-set")
    assert found(folder) == [(APP, "RL201", 8, 25), (APP, "RL203", 16, 87)]
    inventory, _ = read_inventory([str(folder)])
    [attachment] = inventory.permission_set_policies
    assert attachment.reference.arn.text == "arn:aws:iam::aws:policy/IAMFullAccess"
    bounded = next(d for d in inventory.standalone_policies if d.resource == "Developers")
    assert bounded.holder_boundary is not None
    assert bounded.holder_boundary.text == "arn:aws:iam::aws:policy/PowerUserAccess"
    assert [d.origin for d in bounded.holder_boundaries] == [
        "AWS managed policy PowerUserAccess as permissions boundary of permission set Developers"
    ]


@pytest.mark.parametrize(
    ("reference", "expected"),
    [
        ({"Name": IMPORTED_NAME}, "dev-boundary"),
        ({"Name": IMPORTED_NAME, "Path": "/team/"}, "/team/dev-boundary"),
        ({"Name": "dev-boundary", "Path": IMPORTED_NAME}, None),
        ({"Name": IMPORTED_NAME, "Path": {"Ref": "Passed"}}, None),
    ],
    ids=["name", "name-under-path", "path", "name-under-unknown-path"],
)
def test_a_permission_sets_customer_managed_boundary_by_import(
    tmp_path: Path, reference: object, expected: str | None
) -> None:
    """A customer managed boundary named by import is the exported name, after its path
    when the path is written out.  Read alone, the name without its path, or the path
    without its name, would name another policy: a path not known keeps it unresolved."""
    folder = stacks(tmp_path, "permission-set")
    app = json.loads((folder / APP).read_text(encoding="utf-8"))
    app["Parameters"] = {"Passed": {"Type": "String"}}
    properties = app["Resources"]["Developers"]["Properties"]
    properties["PermissionsBoundary"] = {"CustomerManagedPolicyReference": reference}
    (folder / APP).write_text(json.dumps(app, indent=1), encoding="utf-8")
    shared = json.loads((folder / SHARED).read_text(encoding="utf-8"))
    shared["Outputs"]["Name"] = {
        "Value": "dev-boundary",
        "Export": {"Name": "Shared:DeployRoleName"},
    }
    (folder / SHARED).write_text(json.dumps(shared, indent=1), encoding="utf-8")
    inventory, _ = read_inventory([str(folder)])
    bounded = next(d for d in inventory.standalone_policies if d.resource == "Developers")
    assert bounded.holder_boundary is not None
    assert bounded.holder_boundary.text == expected
    assert bounded.holder_boundaries == ()  # a customer managed boundary is never read


# --- exports of imports ---------------------------------------------------------------------------


def test_an_export_of_an_import_is_followed(tmp_path: Path) -> None:
    """Shared exports what Network exports (CiRole's ARN), and App trusts Shared's export:
    the import of an import was not followed, and the chain went unreported."""
    folder = stacks(tmp_path, "relay")
    assert found(folder) == [
        (APP, "RL201", 7, 27),
        (APP, "RL401", 6, 117),
        ("Network.template.json", "RL405", 7, 121),
    ]


def _relay(folder: Path, value: object, *, network: object = None) -> None:
    """The relay fixture with Shared exporting ``value`` (and Network ``network``, when
    given) instead."""
    shared = json.loads((folder / SHARED).read_text(encoding="utf-8"))
    [output] = shared["Outputs"].values()
    output["Value"] = value
    shared["Parameters"] = {"Prefix": {"Type": "String", "Default": "arn"}}
    (folder / SHARED).write_text(json.dumps(shared, indent=1), encoding="utf-8")
    if network is not None:
        path = folder / "Network.template.json"
        template = json.loads(path.read_text(encoding="utf-8"))
        [output] = template["Outputs"].values()
        output["Value"] = network
        path.write_text(json.dumps(template, indent=1), encoding="utf-8")


CI_ROLE = {"Fn::ImportValue": "Network:CiRoleArn"}
SHARED_EXPORT = {"Fn::ImportValue": NAME}


@pytest.mark.parametrize(
    ("value", "network", "linked"),
    [
        ({"Fn::Join": ["", [CI_ROLE, ""]]}, None, True),
        ({"Fn::Sub": ["${Arn}", {"Arn": CI_ROLE}]}, None, True),
        # Network passes on a third template's export in turn.
        (CI_ROLE, {"Fn::ImportValue": "Third:CiRoleArn"}, "third"),
        # Made of a default as well: not known.
        ({"Fn::Sub": ["${Prefix}${Arn}", {"Arn": CI_ROLE}]}, None, False),
        # Exports reading each other: CloudFormation deploys neither.
        (CI_ROLE, SHARED_EXPORT, False),
        (SHARED_EXPORT, None, False),  # an export of itself
    ],
    ids=["join", "sub", "three-hops", "default", "cycle", "itself"],
)
def test_an_export_of_a_text_of_imports_is_followed_to_the_end(
    tmp_path: Path, value: object, network: object, linked: bool | str
) -> None:
    folder = stacks(tmp_path, "relay")
    if linked == "third":
        third = json.loads((folder / "Network.template.json").read_text(encoding="utf-8"))
        [output] = third["Outputs"].values()
        output["Export"]["Name"] = "Third:CiRoleArn"
        (folder / "Third.template.json").write_text(json.dumps(third), encoding="utf-8")
        # Network's role is now another: the one the chain reaches is Third's.
        network_path = folder / "Network.template.json"
        network_template = json.loads(network_path.read_text(encoding="utf-8"))
        network_template["Resources"] = {"Topic": {"Type": "AWS::SNS::Topic"}}
        network_path.write_text(json.dumps(network_template), encoding="utf-8")
    _relay(folder, value, network=network)
    chains = [f for f in found(folder) if f[1] == "RL401"]
    assert chains == ([(APP, "RL401", 6, 117)] if linked else [])
    inventory, _ = read_inventory([str(folder)])
    deploy = next(r for r in inventory.roles if r.id == "DeployAdminRole")
    assert deploy.trust_policy is not None
    [principal] = [p.value for s in deploy.trust_policy.statements for p in s.principals]
    assert (principal.text is not None) is bool(linked)


def test_the_names_a_permission_set_imports_are_searched_for(tmp_path: Path) -> None:
    """pre-commit naming the template of a permission set looks for the templates exporting
    what it imports (rolelint.template_readers): its managed policy's and its boundary's
    names, the boundary's even where the set's managed policy is written out."""
    folder = stacks(tmp_path, "permission-set")
    (folder / SHARED).unlink()  # the names stay imports
    inventory, _ = read_inventory([str(folder / APP)])
    assert stack_exports.imported_names(inventory) == {
        "Shared:IamFullAccessArn",
        "Shared:PowerUserArn",
    }
    app = json.loads((folder / APP).read_text(encoding="utf-8"))
    admins = app["Resources"]["IamAdmins"]["Properties"]
    admins["ManagedPolicies"] = ["arn:aws:iam::aws:policy/IAMFullAccess"]
    admins["PermissionsBoundary"] = {"ManagedPolicyArn": {"Fn::ImportValue": "Shared:Cap"}}
    (folder / APP).write_text(json.dumps(app, indent=1), encoding="utf-8")
    inventory, _ = read_inventory([str(folder / APP)])
    assert "Shared:Cap" in stack_exports.imported_names(inventory)


# --- a role's ARN by import, per environment ------------------------------------------------------


def _environments(tmp_path: Path, fixture: str, *, one_name: bool = False) -> Path:
    """env-a/ and env-b/, a copy each of a fixture's templates, as one CDK app deploys its
    stacks once per environment (so in two accounts): the same role names in both, each stack
    exporting under its own stack's name (``Shared-a:...``, ``Network-b:...``), unless
    ``one_name`` (both copies export under the names the fixture writes)."""
    for env in ("a", "b"):
        folder = tmp_path / f"env-{env}"
        shutil.copytree(STACKS / fixture, folder)
        for template in folder.iterdir():
            text = template.read_text(encoding="utf-8")
            if not one_name:
                for stack in ("Shared", "Network"):
                    text = text.replace(f'"{stack}:', f'"{stack}-{env}:')
            template.write_text(text, encoding="utf-8")
    return tmp_path


def _role_hops(root: Path) -> set[tuple[str, str]]:
    """(caller's folder, target's folder) of each edge between two scanned roles."""
    inventory, report = read_inventory([str(root)])
    assert report.errors == []
    return {
        (_folder(edge.source), _folder(edge.target))
        for edge in build_graph(inventory).edges
        if edge.source.startswith("role:") and edge.target.startswith("role:")
    }


def _folder(node: str) -> str:
    return Path(node.removeprefix("role:").split("#")[0]).parent.name


OWN_ENVIRONMENT = {("env-a", "env-a"), ("env-b", "env-b")}


@pytest.mark.parametrize(
    "fixture",
    [
        "assume",  # CiRole's sts:AssumeRole on the import of Shared's AdminRole ARN
        "chain",  # DeployAdminRole's trust naming the import of Shared's CiRole ARN
        "relay",  # the same through Shared's export of Network's export
    ],
)
def test_an_imported_role_arn_names_the_role_of_the_exporting_template(
    tmp_path: Path, fixture: str
) -> None:
    """An export of ``Fn::GetAtt Role.Arn`` read by import is that role, as the reference
    itself names only the role of its own template (Value.declared_in).  The import kept
    the ARN's text alone, so it named the other environment's role of that name too: each
    App's role reached (or admitted) both copies' roles."""
    root = _environments(tmp_path, fixture)
    assert _role_hops(root) == OWN_ENVIRONMENT
    inventory, _ = read_inventory([str(root)])
    [app_a] = [r for r in inventory.roles if r.ref.file.endswith(f"env-a/{APP}")]
    values = (
        [p.value for s in app_a.trust_policy.statements for p in s.principals]
        if app_a.trust_policy is not None and fixture != "assume"
        else [v for d in app_a.policies for s in d.statements for v in s.resources]
    )
    exporter = "Network.template.json" if fixture == "relay" else SHARED
    assert [v.declared_in for v in values] == [str(root / "env-a" / exporter)]


def test_a_pass_role_by_import_names_the_role_of_the_exporting_template(
    tmp_path: Path,
) -> None:
    """env-b's StackExecutionRole holds nothing: passing it is no escalation.  env-b's
    PipelineRole, passing it by import, was reported for env-a's role of the same name
    (RL206 for administrator access it cannot reach)."""
    root = _environments(tmp_path, "passrole")
    shared_b = root / "env-b" / SHARED
    template = json.loads(shared_b.read_text(encoding="utf-8"))
    del template["Resources"]["StackExecutionRole8A9B"]["Properties"]["ManagedPolicyArns"]
    shared_b.write_text(json.dumps(template, indent=1), encoding="utf-8")
    report = lint_paths([str(root)])
    assert report.errors == []
    escalations = [f for f in report.findings if f.rule_id == "RL206"]
    assert [(Path(f.file).parent.name, Path(f.file).name) for f in escalations] == [("env-a", APP)]


def test_a_role_arn_two_templates_export_under_one_name_names_both(tmp_path: Path) -> None:
    """Both copies exporting under one name (literal export names, the same in each
    environment): which of them an App's account holds is not in the code, so the import
    names every scanned role of that ARN, as the ARN written out does."""
    root = _environments(tmp_path, "assume", one_name=True)
    assert _role_hops(root) == {(a, b) for a in ("env-a", "env-b") for b in ("env-a", "env-b")}
