"""A CloudFormation template named alone (as pre-commit names it) is judged with the templates
of its project linked to it (using its managed policies or exports, defining those it uses,
and those linked to these in turn: rolelint.template_readers), as a run over the whole project
judges it: the same findings, the same fingerprints, the baseline a whole run recorded still
matched."""

from __future__ import annotations

import json
import math
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

import pytest
import yaml

from rolelint import discovery, module_readers, parse_jobs, reading, template_readers
from rolelint.api import lint_paths
from rolelint.baseline import apply_baseline, read_baseline, write_baseline
from rolelint.scope import RunScope
from tests.conftest import FIXTURES, run_python, run_rolelint

STACKS = FIXTURES / "parsers" / "cloudformation" / "cdk-exports"
BASELINE = ".rolelint-baseline.json"
GONE = "no longer occurs"

SHARED = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  OpsAdmin:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      ManagedPolicyName: ops-admin
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Action: "*"
            Resource: "*"
"""
APP = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  CiRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {Service: codebuild.amazonaws.com}
            Action: sts:AssumeRole
      ManagedPolicyArns:
        - !Sub arn:aws:iam::${AWS::AccountId}:policy/ops-admin
"""
LONE = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  OpenRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {AWS: "*"}
            Action: sts:AssumeRole
"""

# A template linked to no other, whose role nothing of the run can assume.
QUIET = LONE.replace('{AWS: "*"}', "{Service: ec2.amazonaws.com}")


def _checkout(root: Path, crowd: str = LONE) -> None:
    """A git checkout with a crowd of other folders, each holding the template ``crowd``."""
    (root / ".git").mkdir()
    for number in range(5):
        (root / "other" / f"s{number}").mkdir(parents=True)
        (root / "other" / f"s{number}" / "template.yaml").write_text(crowd)


def _imports(root: Path, fixture: str) -> str:
    """Hunt 1a: the fixture's App imports the managed policy (or boundary) Shared exports."""
    shutil.copytree(STACKS / fixture, root / "stacks" / fixture)
    return f"stacks/{fixture}/Shared.template.json"


def _by_arn(root: Path, _: str) -> str:
    """Hunt 1b: app.yaml attaches the policy shared.yaml defines by its ARN."""
    (root / "stacks").mkdir()
    (root / "stacks" / "shared.yaml").write_text(SHARED)
    (root / "stacks" / "app.yaml").write_text(APP)
    return "stacks/shared.yaml"


def _check(root: Path, *paths: str) -> tuple[int, list[dict[str, object]], str]:
    result = run_rolelint("check", *paths, "--format", "json", "--no-cache", cwd=root)
    assert result.returncode in (0, 1), result.stderr
    document = json.loads(result.stdout)
    notes = " ".join(str(n["message"]) for n in document["notices"]) + result.stderr
    return result.returncode, document["findings"], notes


def _key(finding: dict[str, object]) -> tuple[object, ...]:
    keys = ("rule_id", "file", "line", "resource", "role", "message", "fingerprint")
    return tuple(finding.get(key) for key in keys)


def _of(findings: list[dict[str, object]], file: str) -> list[tuple[object, ...]]:
    return [_key(f) for f in findings if f["file"] == file]


@pytest.mark.parametrize(
    ("layout", "fixture", "rules"),
    [
        (_imports, "managed", ["RL201"]),
        (_imports, "boundary", []),
        (_by_arn, "", ["RL201"]),
    ],
    ids=["import-managed", "import-boundary", "literal-arn"],
)
def test_a_named_template_is_judged_with_the_templates_using_its_policy(
    tmp_path: Path, layout: object, fixture: str, rules: list[str]
) -> None:
    """The hook naming the template that defines a managed policy read it as a policy of its
    own: RL201 named no role (another fingerprint than the whole run's, recorded in the
    baseline, which then said its entry no longer occurred: exit 1), and a boundary was judged
    as a permission policy (RL202, RL206, RL207, RL208 the whole run does not give)."""
    assert callable(layout)
    _checkout(tmp_path)
    named = layout(tmp_path, fixture)
    _, whole, _ = _check(tmp_path, ".")
    assert [f[0] for f in _of(whole, named)] == rules
    assert all(f[4] is not None for f in _of(whole, named))  # the role holding it
    _, hook, _ = _check(tmp_path, named)
    assert _of(hook, named) == _of(whole, named)

    recorded = run_rolelint("check", "--write-baseline", BASELINE, "--no-cache", cwd=tmp_path)
    assert recorded.returncode == 0, recorded.stderr
    (tmp_path / ".rolelint.yaml").write_text(f"baseline: {BASELINE}\n")
    code, hook, notes = _check(tmp_path, named)
    assert code == 0, hook
    assert GONE not in notes
    assert all("suppressed" in f for f in hook)
    assert [f[-1] for f in _of(hook, named)] == [f[-1] for f in _of(whole, named)]


# A managed policy denying IAM, exported under a name (its own is generated, as the CDK leaves
# it) or named (attached by ARN), and a boundary exported the same way.
GUARD_EXPORTED = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  GuardPolicy:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Deny
            Action: "iam:*"
            Resource: "*"
Outputs:
  Guard:
    Value: !Ref GuardPolicy
    Export:
      Name: Shared:GuardPolicy
"""
GUARD_NAMED = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  GuardPolicy:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      ManagedPolicyName: guard
      Path: /team/
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Deny
            Action: "iam:*"
            Resource: "*"
"""
BOUNDARY_EXPORTED = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  BoundaryPolicy:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Action: "s3:GetObject"
            Resource: "*"
Outputs:
  Boundary:
    Value: !Ref BoundaryPolicy
    Export:
      Name: Shared:BoundaryPolicy
"""
# How a role attaches the policy of GUARD_EXPORTED (and of the variants below, exported alike).
IMPORT_SHARED = "!ImportValue Shared:GuardPolicy"
# A role allowed everything by its inline policy, and {link}ed to what another template holds.
ADMIN_APP = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  AppRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {{Service: ec2.amazonaws.com}}
            Action: sts:AssumeRole
      {link}
      Policies:
        - PolicyName: all
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: "*"
                Resource: "*"
"""


def _importer(shared: str, link: str) -> object:
    """A layout whose stacks/app.yaml is linked by ``link`` to what stacks/shared.yaml holds."""

    def layout(root: Path, _: str) -> str:
        (root / "stacks").mkdir()
        (root / "stacks" / "shared.yaml").write_text(shared)
        (root / "stacks" / "app.yaml").write_text(ADMIN_APP.format(link=link))
        return "stacks/app.yaml"

    return layout


def _trusts_import(root: Path, _: str) -> str:
    """The CDK's App trusts the role Shared exports (fixture cdk-exports/chain)."""
    shutil.copytree(STACKS / "chain", root / "stacks")
    return "stacks/App.template.json"


def _cdk_pair(pair: str) -> object:
    """The CDK's App reads what Shared exports in a policy statement (fixture
    cdk-exports/``pair``): assume: ``sts:AssumeRole`` on the imported role; passrole:
    ``iam:PassRole`` of it; join: the role's ARN an ``Fn::Join`` of the imported name; sub: an
    ``Fn::Sub`` whose variable is the import; rolename: the role's own RoleName is the
    import, and Shared's trust names it by the exported name."""

    def layout(root: Path, _: str) -> str:
        shutil.copytree(STACKS / pair, root / "stacks")
        return "stacks/App.template.json"

    return layout


@pytest.mark.parametrize(
    ("layout", "rules"),
    [
        (
            _importer(GUARD_EXPORTED, "ManagedPolicyArns: [!ImportValue Shared:GuardPolicy]"),
            ["RL202", "RL206", "RL207", "RL208"],
        ),
        (
            _importer(BOUNDARY_EXPORTED, "PermissionsBoundary: !ImportValue Shared:BoundaryPolicy"),
            ["RL208"],
        ),
        (_trusts_import, ["RL201", "RL401"]),
        (_cdk_pair("assume"), ["RL401", "RL405"]),
        (_cdk_pair("passrole"), ["RL206"]),
        (_cdk_pair("join"), ["RL401", "RL405"]),
        (_cdk_pair("sub"), ["RL206"]),
        (_cdk_pair("rolename"), ["RL201", "RL206"]),
        (
            _importer(
                GUARD_NAMED,
                "ManagedPolicyArns: [!Sub 'arn:aws:iam::${AWS::AccountId}:policy/team/guard']",
            ),
            ["RL202", "RL206", "RL207", "RL208"],
        ),
    ],
    ids=[
        "import-managed",
        "import-boundary",
        "import-trust",
        "import-assume",
        "import-passrole",
        "import-join",
        "import-sub",
        "import-role-name",
        "arn-managed",
    ],
)
def test_a_named_template_is_judged_with_the_templates_defining_what_it_uses(
    tmp_path: Path, layout: object, rules: list[str]
) -> None:
    """The hook naming the template that imports a managed policy, a boundary or a trusted
    role, or attaches a policy by its ARN, did not read the template defining it: the policy's
    Deny of IAM was not seen (RL201 where a whole run gives RL202, RL206, RL207, RL208), the
    boundary was unknown (RL201 "may limit this" where a whole run gives RL208 under it), the
    role trusted was unknown (no RL401).  Every finding the hook reports, in any file, is one
    of the whole run's."""
    assert callable(layout)
    _checkout(tmp_path, QUIET)  # no role of the crowd is open to a chain through the named one
    named = layout(tmp_path, "")
    _, whole, _ = _check(tmp_path, ".")
    assert sorted(str(f[0]) for f in _of(whole, named)) == rules
    _, hook, _ = _check(tmp_path, named)
    assert _of(hook, named) == _of(whole, named)
    assert {_key(f) for f in hook} <= {_key(f) for f in whole}


# A role trusting EC2, {link}ed to what another template holds.
LINKED_ROLE = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  {name}:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {{Service: ec2.amazonaws.com}}
            Action: sts:AssumeRole
      {link}
"""
ADMIN_EXPORTED = GUARD_EXPORTED.replace("Deny", "Allow").replace("iam:*", "*")
# GUARD_EXPORTED allowing s3, and a role of its own (allowed everything) capped by a boundary
# another template exports.
GUARD_AND_WORKER = (
    GUARD_EXPORTED.replace("Deny", "Allow")
    .replace("iam:*", "s3:*")
    .replace(
        "Outputs:",
        """\
  WorkerRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {Service: ec2.amazonaws.com}
            Action: sts:AssumeRole
      PermissionsBoundary: !ImportValue Base:BoundaryPolicy
      Policies:
        - PolicyName: all
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: "*"
                Resource: "*"
Outputs:""",
    )
)


@pytest.mark.parametrize(
    ("a", "b", "c"),
    [
        (
            LINKED_ROLE.format(name="AppRole", link=f"ManagedPolicyArns: [{IMPORT_SHARED}]"),
            ADMIN_EXPORTED,
            LINKED_ROLE.format(name="CiRole", link=f"ManagedPolicyArns: [{IMPORT_SHARED}]"),
        ),
        (
            LINKED_ROLE.format(name="AppRole", link=f"ManagedPolicyArns: [{IMPORT_SHARED}]"),
            GUARD_AND_WORKER,
            BOUNDARY_EXPORTED.replace("Shared:", "Base:"),
        ),
    ],
    ids=["another-user-of-the-definer", "the-definer-of-the-definer"],
)
def test_the_templates_linked_to_a_linked_template_are_read_in_turn(
    tmp_path: Path, a: str, b: str, c: str
) -> None:
    """a.yaml uses what b.yaml defines, and b.yaml is linked to c.yaml: c.yaml uses b.yaml's
    policy too (the policy's RL201 names both roles in a whole run), or defines the boundary
    of b.yaml's own role (RL208 under it in a whole run).  Read only because of a.yaml, b.yaml
    was judged without c.yaml: its RL201 named one role (another fingerprint), its role's
    boundary was unknown (RL201 "may limit this").  Every finding of the three files is now the
    whole run's, whichever of them the hook names."""
    _checkout(tmp_path, QUIET)
    (tmp_path / "stacks").mkdir()
    for name, text in (("a", a), ("b", b), ("c", c)):
        (tmp_path / "stacks" / f"{name}.yaml").write_text(text)
    _, whole, _ = _check(tmp_path, ".")
    stacks = sorted(_key(f) for f in whole if str(f["file"]).startswith("stacks/"))
    assert stacks
    for name in "abc":
        _, hook, _ = _check(tmp_path, f"stacks/{name}.yaml")
        assert sorted(_key(f) for f in hook) == stacks, name


# A role CloudFormation assumes, holding AdministratorAccess, whose ARN (or name) its template
# exports under a name it computes: {name}.
EXEC_EXPORTED = """\
Parameters:
  Prefix: {{Type: String, Default: Shared}}
Resources:
  Exec:
    Type: AWS::IAM::Role
    Properties:
      RoleName: stack-exec
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {{Service: cloudformation.amazonaws.com}}
            Action: sts:AssumeRole
          - {{Effect: Allow, Principal: {{AWS: !Ref AWS::AccountId}}, Action: sts:AssumeRole}}
      ManagedPolicyArns: [arn:aws:iam::aws:policy/AdministratorAccess]
Outputs:
  Exec:
    Value: !GetAtt Exec.Arn
    Export: {{Name: {name}}}
"""
# A pipeline's role passing (and assuming) the role of the ARN {arn}.
PASSING_APP = """\
Resources:
  Pipe:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {{Service: codepipeline.amazonaws.com}}
            Action: sts:AssumeRole
      Policies:
        - PolicyName: p
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: [iam:PassRole, sts:AssumeRole]
                Resource: {arn}
"""
# A managed policy allowing IAM, named {name} (Env: prod by default).
OPS_POLICY = """\
Parameters:
  Env: {{Type: String, Default: prod}}
Resources:
  Ops:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      ManagedPolicyName: {name}
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {{Effect: Allow, Action: "iam:*", Resource: "*"}}
"""
# A role attaching the managed policy of the ARN {arn} (Env: prod by default), and a role
# passing it.
ATTACHING_APP = """\
Parameters:
  Env: {{Type: String, Default: prod}}
Resources:
  Worker:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {{Service: cloudformation.amazonaws.com}}
            Action: sts:AssumeRole
      ManagedPolicyArns: [{arn}]
  Pipe:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {{Service: codepipeline.amazonaws.com}}
            Action: sts:AssumeRole
      Policies:
        - PolicyName: p
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - {{Effect: Allow, Action: iam:PassRole, Resource: !GetAtt Worker.Arn}}
              - {{Effect: Allow, Action: cloudformation:CreateStack, Resource: "*"}}
"""
# The same policy, exported under a literal name.
OPS_EXPORTED = (
    OPS_POLICY.format(name="!Sub ${Env}-ops-admin")
    + """\
Outputs:
  PolicyArn:
    Value: !Ref Ops
    Export: {Name: shared-PolicyArn}
"""
)
ROLE_ARN = "arn:aws:iam::${AWS::AccountId}:role/"


def _pair(named: str, other: str, other_name: str = "other.yaml") -> object:
    """A layout: stacks/named.yaml, named, and stacks/``other_name``."""

    def layout(root: Path) -> str:
        (root / "stacks").mkdir()
        (root / "stacks" / "named.yaml").write_text(named)
        (root / "stacks" / other_name).write_text(other)
        return "stacks/named.yaml"

    return layout


def _as_json(template: str) -> str:
    """``template`` (YAML without tags) as the indented JSON the CDK writes."""
    return json.dumps(yaml.safe_load(template), indent=1)


@pytest.mark.parametrize(
    ("layout", "rules"),
    [
        (
            _pair(
                PASSING_APP.format(arn="!ImportValue shared-ExecArn"),
                EXEC_EXPORTED.format(name='!Join ["-", [shared, ExecArn]]'),
            ),
            ["RL401", "RL405"],
        ),
        (
            _pair(
                PASSING_APP.format(arn="!ImportValue shared-ExecArn"),
                _as_json(
                    EXEC_EXPORTED.format(name='{"Fn::Join": ["-", [shared, ExecArn]]}')
                    .replace("!Ref AWS::AccountId", "{Ref: AWS::AccountId}")
                    .replace("!GetAtt Exec.Arn", '{"Fn::GetAtt": [Exec, Arn]}')
                ),
                "other.json",
            ),
            ["RL401", "RL405"],
        ),
        (
            _pair(
                PASSING_APP.format(arn=f'!Join ["", ["{ROLE_ARN}", !ImportValue Shared-Exec]]'),
                EXEC_EXPORTED.format(name='!Sub "${Prefix}-Exec"').replace(
                    "!GetAtt Exec.Arn", "!Ref Exec"
                ),
            ),
            ["RL401", "RL405"],
        ),
        (
            _pair(
                ATTACHING_APP.format(arn='!Sub "arn:aws:iam::${AWS::AccountId}:policy/prod-ops"'),
                OPS_POLICY.format(name='!Sub "${Env}-ops"'),
            ),
            ["RL206"],
        ),
        (
            _pair(
                OPS_EXPORTED,
                ATTACHING_APP.format(arn='!ImportValue {"Fn::Sub": "${Env}-PolicyArn"}').replace(
                    "Default: prod", "Default: shared"
                ),
            ),
            ["RL201"],
        ),
        (
            _pair(
                OPS_POLICY.format(name="prod-ops"),
                ATTACHING_APP.format(arn='!Sub "arn:aws:iam::${AWS::AccountId}:policy/${Env}-ops"'),
            ),
            ["RL201"],
        ),
        (
            _pair(
                OPS_POLICY.format(name="prod-ops"),
                ATTACHING_APP.format(
                    arn='!Join ["", ["arn:aws:iam::", !Ref AWS::AccountId, ":policy/", !Ref Env,'
                    ' "-ops"]]'
                ),
            ),
            ["RL201"],
        ),
        (
            _pair(
                OPS_POLICY.format(name="prod-ops"),
                ATTACHING_APP.format(
                    arn="!Join [':', [arn, !Ref AWS::Partition, iam, '', !Ref AWS::AccountId,"
                    " policy/prod-ops]]"
                ),
            ),
            ["RL201"],
        ),
    ],
    ids=[
        "export-name-joined",
        "export-name-joined-json",
        "export-name-of-a-default",
        "policy-name-of-a-default",
        "import-name-of-a-default",
        "attached-arn-of-a-default",
        "attached-arn-joined",
        "attached-arn-joined-unquoted",
    ],
)
def test_a_name_computed_in_the_other_template_links_it_as_in_a_whole_run(
    tmp_path: Path, layout: object, rules: list[str]
) -> None:
    """The search looked for a name as its literal text in the other template: an export name
    that template computes (``!Join``, ``!Sub`` of a parameter's default, which a whole run
    resolves), a managed policy's computed name, an ``!ImportValue`` of a computed name, an
    ARN attached through ``!Sub`` or ``!Join``.  The hook did not read that template, and lost
    the whole run's findings (RL401 and RL405 on the role assumed, RL206 on the role passed;
    RL201 naming no role, another fingerprint) without a notice.  A template that computes such
    a name is parsed, and linked by what it holds."""
    assert callable(layout)
    _checkout(tmp_path, QUIET)
    named = layout(tmp_path)
    _, whole, _ = _check(tmp_path, ".")
    assert sorted({str(f[0]) for f in _of(whole, named)} - {"RL203"}) == rules
    assert all(f[4] is not None for f in _of(whole, named))  # the role holding it
    _, hook, notes = _check(tmp_path, named)
    assert "stopped at" not in notes
    assert _of(hook, named) == _of(whole, named)
    assert {_key(f) for f in hook} <= {_key(f) for f in whole}


# A template exporting a name, below a banner comment, and the role of EXEC_EXPORTED under a
# name it computes, below another.
BANNER = "#" * 60
EXPORTS_BELOW_BANNERS = EXEC_EXPORTED.format(name="shared-Unused").replace(
    "Outputs:\n",
    f"""\
Outputs:
  Named:
    Value: !Ref AWS::AccountId
    Export:  {BANNER}
      Name: shared-Other
  Computed:
    Value: !GetAtt Exec.Arn
    Export:
      {BANNER}
      Name: !Join ["-", [shared, ExecArn]]
""",
)


# A relay of exports (app.yaml <- relay.yaml <- base.yaml), and a permission set taking its
# policy and its boundary from two other templates' exports.
RELAY = {
    "app.yaml": """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Deployer:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {Service: lambda.amazonaws.com}
            Action: sts:AssumeRole
      ManagedPolicyArns:
        - !ImportValue Relay-PolicyArn
""",
    "relay.yaml": """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Topic:
    Type: AWS::SNS::Topic
Outputs:
  P:
    Value: !ImportValue Base-PolicyArn
    Export:
      Name: Relay-PolicyArn
""",
    "base.yaml": """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Topic:
    Type: AWS::SNS::Topic
Outputs:
  P:
    Value: arn:aws:iam::aws:policy/AdministratorAccess
    Export:
      Name: Base-PolicyArn
""",
}
PERMISSION_SET = {
    "app.yaml": """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Admins:
    Type: AWS::SSO::PermissionSet
    Properties:
      InstanceArn: arn:aws:sso:::instance/ssoins-1234567890abcdef
      Name: Admins
      ManagedPolicies:
        - !ImportValue shared-PolicyArn
      PermissionsBoundary:
        ManagedPolicyArn: !ImportValue shared-BoundaryArn
""",
    "a.yaml": """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Topic:
    Type: AWS::SNS::Topic
Outputs:
  P:
    Value: arn:aws:iam::aws:policy/AdministratorAccess
    Export:
      Name: shared-PolicyArn
""",
    "b.yaml": """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Topic:
    Type: AWS::SNS::Topic
Outputs:
  B:
    Value: arn:aws:iam::aws:policy/AmazonS3FullAccess
    Export:
      Name: shared-BoundaryArn
""",
}


@pytest.mark.parametrize("case", ["relay", "ps"])
def test_a_link_through_a_third_template_is_found_as_in_a_whole_run(
    tmp_path: Path, case: str
) -> None:
    """relay: app.yaml attaches what relay.yaml exports, which passes on what base.yaml exports
    (AdministratorAccess); ps: a permission set takes its managed policy from a.yaml's export
    and its boundary from b.yaml's.  Named alone, the hook did not look for base.yaml (the
    names an export reads were not searched for) nor b.yaml (a boundary's import was noted
    only where the set's policy was linked): a critical finding lost, or another one given."""
    _checkout(tmp_path, QUIET)
    (tmp_path / "stacks").mkdir()
    named = "stacks/app.yaml"
    files = RELAY if case == "relay" else PERMISSION_SET
    for name, text in files.items():
        (tmp_path / "stacks" / name).write_text(text)
    _, whole, _ = _check(tmp_path, ".")
    assert _of(whole, named)
    _, hook, _ = _check(tmp_path, named)
    assert _of(hook, named) == _of(whole, named)


def test_a_banner_comment_after_an_export_costs_the_search_no_time(tmp_path: Path) -> None:
    """Whether an export's name is computed was told by a pattern that skips the comments after
    ``Export:``: a comment of many ``#`` there was split every way in turn (2 ** 60 tries) before
    the pattern gave up on a name written out, and the hook never ended.  A comment now runs to
    its line's end, one way only; the name computed below a banner is found as any other."""
    _checkout(tmp_path, QUIET)
    named = _pair(PASSING_APP.format(arn="!ImportValue shared-ExecArn"), EXPORTS_BELOW_BANNERS)
    assert callable(named)
    path = named(tmp_path)
    code = f"""\
import json

from rolelint.api import lint_paths

def seen(paths):
    return sorted(
        (f.rule_id, f.location.line, f.role, f.message, f.fingerprint)
        for f in lint_paths(paths).findings
        if f.file == {path!r}
    )

whole, hook = seen(["."]), seen([{path!r}])
print(json.dumps([sorted({{rule for rule, *_ in whole}}), hook == whole]))
"""
    result = run_python(code, cwd=tmp_path, timeout=60)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [["RL401", "RL405"], True]


def test_each_file_is_read_once_for_the_searches_of_a_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two named templates, both linked to b.yaml, which is then searched for in turn: every
    other file of the project is read once for the run (and counted once in the budget), not
    once per named template or per round."""
    _checkout(tmp_path, QUIET)
    (tmp_path / "stacks").mkdir()
    link = f"ManagedPolicyArns: [{IMPORT_SHARED}]"
    (tmp_path / "stacks" / "a.yaml").write_text(LINKED_ROLE.format(name="AppRole", link=link))
    (tmp_path / "stacks" / "b.yaml").write_text(ADMIN_EXPORTED)
    (tmp_path / "stacks" / "c.yaml").write_text(LINKED_ROLE.format(name="CiRole", link=link))
    read: list[str] = []
    real_text = module_readers.ModuleSearch.text

    def text(search: module_readers.ModuleSearch, path: str, named: str, *rest: Any) -> str | None:
        read.append(path)
        return real_text(search, path, named, *rest)

    monkeypatch.setattr(module_readers.ModuleSearch, "text", text)
    monkeypatch.chdir(tmp_path)
    report = lint_paths(["stacks/a.yaml", "stacks/c.yaml"])
    assert report.analyzed_files == {"stacks/a.yaml", "stacks/b.yaml", "stacks/c.yaml"}
    others = [f"other/s{n}/template.yaml" for n in range(5)]
    assert sorted(read) == sorted(["stacks/b.yaml", *others])


def test_a_template_with_no_policy_or_export_searches_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only a template defining a managed policy or exporting a value can be used by another:
    any other named template walks no folder and reads no other file."""
    _checkout(tmp_path)
    _by_arn(tmp_path, "")
    listed: list[str] = []
    real_listing = discovery._listing

    def listing(directory: str) -> tuple[list[str], list[str], set[str]]:
        listed.append(directory)
        return real_listing(directory)

    monkeypatch.setattr(discovery, "_listing", listing)
    monkeypatch.chdir(tmp_path)
    lone = lint_paths(["other/s0/template.yaml"])
    assert listed == []
    assert lone.analyzed_files == {"other/s0/template.yaml"}
    shared = lint_paths(["stacks/shared.yaml"])
    assert len(listed) == 8  # the root, stacks, other and its five folders, each once
    assert shared.analyzed_files == {"stacks/shared.yaml", "stacks/app.yaml"}
    assert [(f.rule_id, f.file, f.role) for f in shared.findings] == [
        ("RL201", "stacks/shared.yaml", "CiRole")
    ]


@pytest.mark.parametrize(
    ("named", "rules"), [("stacks/shared.yaml", ["RL201"]), ("stacks/app.yaml", [])]
)
def test_the_search_stops_at_its_budget_saying_where(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, named: str, rules: list[str]
) -> None:
    """The templates are read within the budget of the Terraform search, whether the named
    template defines the policy or attaches it: past it, one notice says where the search
    stopped, and the named template is still judged."""
    _checkout(tmp_path)
    _by_arn(tmp_path, "")
    monkeypatch.setattr(module_readers, "SEARCH_BYTES", 1)
    monkeypatch.chdir(tmp_path)
    report = lint_paths([named])
    assert report.analyzed_files == {named}
    assert [n.file for n in report.notices] == [named]
    assert (
        "the search for the templates linked to this template (using its policies or exports, or"
        " defining what it uses) stopped at "
    ) in report.notices[0].message
    assert "and what it takes from them, are not known here" in report.notices[0].message
    assert [f.rule_id for f in report.findings] == rules


# A 2.5 MiB lock file of npm, and of pnpm (whose start, YAML, tells nothing: its name does).
NPM_LOCK = (
    '{\n  "name": "app",\n  "lockfileVersion": 3,\n  "packages": {\n'
    + " " * (5 * 512 * 1024)
    + "}}\n"
)
PNPM_LOCK = (
    "lockfileVersion: '9.0'\n\nsettings:\n  autoInstallPeers: true\n\npackages:\n"
    + "".join(
        f"  pkg{n}@1.0.0:\n    resolution: {{integrity: sha512-{'x' * 88}}}\n"
        for n in range(20_000)
    )
)


@pytest.mark.parametrize(
    ("name", "lock"), [("package-lock.json", NPM_LOCK), ("pnpm-lock.yaml", PNPM_LOCK)]
)
def test_a_lock_file_does_not_spend_the_budget_of_the_template_search(
    tmp_path: Path, name: str, lock: str
) -> None:
    """A project's 2.5 MiB package-lock.json (or pnpm-lock.yaml) was read and counted as
    template text: the 2 MiB budget was spent before the template attaching the named one's
    policy (in a folder read after it), and the hook's RL201 named no role, with another
    fingerprint than the whole run's.  It is no template, and its start or its name says so:
    it is left unread, as a scan leaves one over the size limit."""
    assert len(lock) > module_readers.SEARCH_BYTES
    _checkout(tmp_path, QUIET)
    (tmp_path / "policy.yaml").write_text(SHARED)
    (tmp_path / "zzz").mkdir()
    (tmp_path / "zzz" / "role.yaml").write_text(APP)
    (tmp_path / name).write_text(lock)
    _, whole, _ = _check(tmp_path, ".")
    assert [(f[0], f[4]) for f in _of(whole, "policy.yaml")] == [("RL201", "CiRole")]
    _, hook, notes = _check(tmp_path, "policy.yaml")
    assert "stopped at" not in notes
    assert _of(hook, "policy.yaml") == _of(whole, "policy.yaml")


class _Counted:
    """A file handle that counts the bytes read through it."""

    def __init__(self, handle: IO[bytes], counts: list[int]) -> None:
        self._handle = handle
        self._counts = counts

    def __enter__(self) -> _Counted:
        return self

    def __exit__(self, *_: object) -> None:
        self._handle.close()

    def read(self, size: int = -1) -> bytes:
        data = self._handle.read(size)
        self._counts.append(len(data))
        return data


def _reading(
    monkeypatch: pytest.MonkeyPatch, read: Callable[[], str | None]
) -> tuple[str | None, list[str], int]:
    """What ``read`` gives, the files it opened and the bytes it read from them."""
    opened: list[str] = []
    counts: list[int] = []
    real_open, real_fdopen, real_read = os.open, os.fdopen, os.read

    def counting_open(path: str, flags: int, *rest: Any) -> int:
        opened.append(os.fspath(path))
        return real_open(path, flags, *rest)

    def counting_read(descriptor: int, size: int) -> bytes:
        data = real_read(descriptor, size)
        counts.append(len(data))
        return data

    def counting_fdopen(descriptor: int, mode: str) -> _Counted:
        return _Counted(real_fdopen(descriptor, mode), counts)

    with monkeypatch.context() as patch:
        patch.setattr(os, "open", counting_open)
        patch.setattr(os, "read", counting_read)
        patch.setattr(os, "fdopen", counting_fdopen)
        text = read()
    return text, opened, sum(counts)


def test_a_candidate_is_opened_once_and_a_big_lock_file_read_no_further_than_its_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A candidate over 16 KiB was opened twice, once for its start (to tell a lock file) and
    once for its whole text.  It is opened once: a lock file is still read no further than its
    start, and a template is read whole from the same opening."""
    lock = tmp_path / "package-lock.json"
    lock.write_text(NPM_LOCK)
    template = tmp_path / "app.yaml"
    template.write_text(APP + "# padding\n" * 4000)
    assert template.stat().st_size > reading.HEAD_SIZE
    search = module_readers.ModuleSearch()
    named = str(tmp_path / "policy.yaml")
    text, opened, read = _reading(monkeypatch, lambda: search.text(str(lock), named))
    assert (text, opened) == (None, [str(lock)])
    assert read <= reading.HEAD_SIZE
    text, opened, read = _reading(monkeypatch, lambda: search.text(str(template), named))
    assert (text, opened) == (template.read_text(), [str(template)])
    assert read == template.stat().st_size
    assert not search.spent


def test_the_search_reads_no_template_over_the_runs_size_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The search read its candidates whole up to 10 MiB, whatever ``--max-file-size`` said:
    with a limit of 4 KiB, a 10 KB template attaching the named one's policy was read, found
    linked, and then refused by the run for its size (an input error the user never named).
    The search reads nothing over the run's limit: the template is left unread, as the run
    leaves such a file."""
    _checkout(tmp_path, QUIET)
    named = _by_arn(tmp_path, "")
    (tmp_path / "stacks" / "app.yaml").write_text(APP + "# padding\n" * 1000)
    texts: dict[str, str | None] = {}
    real_text = module_readers.ModuleSearch.text

    def text(search: module_readers.ModuleSearch, path: str, origin: str, *rest: Any) -> str | None:
        texts[path] = real_text(search, path, origin, *rest)
        return texts[path]

    monkeypatch.setattr(module_readers.ModuleSearch, "text", text)
    monkeypatch.chdir(tmp_path)
    limited = lint_paths([named], max_size=4096)
    assert "stacks/app.yaml" in texts
    assert texts["stacks/app.yaml"] is None
    assert texts["other/s0/template.yaml"] == QUIET  # under the limit: read
    assert limited.errors == []
    assert limited.analyzed_files == {named}
    # Under the default limit it is read, and linked.
    texts.clear()
    whole = lint_paths([named])
    assert texts["stacks/app.yaml"] is not None
    assert whole.analyzed_files == {named, "stacks/app.yaml"}


def test_what_did_not_occur_in_a_template_read_for_context_is_not_judged() -> None:
    """A template read only because it is linked to a named one is judged without what files
    other than templates (or beyond the search's budget) define for it: its recorded findings
    are not called gone."""
    scope = RunScope(
        files=frozenset({"stacks/shared.yaml", "stacks/app.yaml"}),
        rules=frozenset({"RL201"}),
        partial=True,
        context=frozenset({"stacks/app.yaml"}),
    )
    assert scope.covers("RL201", "stacks/shared.yaml", "OpsAdmin")
    assert not scope.covers("RL201", "stacks/app.yaml", "CiRole")


# Terraform and account exports linked to templates by a customer managed policy's ARN.
CALLER = "${data.aws_caller_identity.current.account_id}"
# A Terraform role allowed everything by its inline policy, attaching the policy {arn}.
TF_ROLE = """\
data "aws_caller_identity" "current" {{}}
{more}
resource "aws_iam_role" "ci" {{
  name = "ci"
  assume_role_policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [{{
      Effect    = "Allow"
      Principal = {{ Service = "codebuild.amazonaws.com" }}
      Action    = "sts:AssumeRole"
    }}]
  }})
}}

resource "aws_iam_role_policy" "all" {{
  role   = aws_iam_role.ci.id
  policy = jsonencode({{
    Version   = "2012-10-17"
    Statement = [{{ Effect = "Allow", Action = "*", Resource = "*" }}]
  }})
}}

resource "aws_iam_role_policy_attachment" "linked" {{
  role       = aws_iam_role.ci.name
  policy_arn = "{arn}"
}}
"""
# A Terraform customer managed policy named {name} (an expression), of path /team/ when the
# policy denies IAM (as GUARD_NAMED), allowing everything (as SHARED) otherwise.
TF_POLICY = """\
{more}
resource "aws_iam_policy" "linked" {{
  name   = {name}
  {path}
  policy = jsonencode({{
    Version   = "2012-10-17"
    Statement = [{{ Effect = "{effect}", Action = "{action}", Resource = "*" }}]
  }})
}}
"""
GUARD_ARN = "arn:aws:iam::${AWS::AccountId}:policy/team/guard"
ADMIN_ROLE_ATTACHING = ADMIN_APP.replace("{link}", "ManagedPolicyArns: [!Sub '{arn}']")


def _tf_policy(name: str, guard: bool, more: str = "") -> str:
    if guard:
        return TF_POLICY.format(
            name=name, path='path = "/team/"', effect="Deny", action="iam:*", more=more
        )
    return TF_POLICY.format(name=name, path="", effect="Allow", action="*", more=more)


def _export(attached: str = "", defined: str = "", deny: bool = False) -> str:
    """An account export (123456789012): a role attaching the policy ``attached`` (by its ARN,
    none when empty), and a customer managed policy of the ARN ``defined`` (denying IAM, or
    allowing everything)."""
    attachments = [{"PolicyName": "linked", "PolicyArn": attached}] if attached else []
    role = {
        "Path": "/",
        "RoleName": "exported-ci",
        "RoleId": "AROAEXAMPLEEXPORTED01",
        "Arn": "arn:aws:iam::123456789012:role/exported-ci",
        "AssumeRolePolicyDocument": {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"Service": "codebuild.amazonaws.com"},
                    "Action": "sts:AssumeRole",
                }
            ],
        },
        "RolePolicyList": [],
        "AttachedManagedPolicies": attachments,
    }
    statement = (
        {"Effect": "Deny", "Action": "iam:*", "Resource": "*"}
        if deny
        else {"Effect": "Allow", "Action": "*", "Resource": "*"}
    )
    policies = []
    if defined:
        path, name = defined.split(":policy", 1)[1].rsplit("/", 1)
        policies.append(
            {
                "PolicyName": name,
                "PolicyId": "ANPAEXAMPLELINKED0001",
                "Arn": defined,
                "Path": path + "/",
                "DefaultVersionId": "v1",
                "PolicyVersionList": [
                    {
                        "Document": {"Version": "2012-10-17", "Statement": [statement]},
                        "VersionId": "v1",
                        "IsDefaultVersion": True,
                    }
                ],
            }
        )
    return json.dumps(
        {
            "UserDetailList": [],
            "GroupDetailList": [],
            "RoleDetailList": [role],
            "Policies": policies,
        },
        indent=2,
    )


def _project(named: str, **files: str) -> object:
    """A layout of ``files`` (by path: ``__`` for ``/``, the last ``_`` for ``.``) naming
    ``named``."""

    def layout(root: Path) -> str:
        for name, text in files.items():
            stem, suffix = name.replace("__", "/").rsplit("_", 1)
            path = root / f"{stem}.{suffix}"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
        return named

    return layout


OPS_ADMIN = f"arn:aws:iam::{CALLER}:policy/ops-admin"
TF_ROLE_CALLING = """\
module "role" {
  source = "../../modules/role"
  policy = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:policy/ops-admin"
}

data "aws_caller_identity" "current" {}
"""
TF_ROLE_CALLED = TF_ROLE.format(
    arn="${var.policy}", more='variable "policy" {\n  type = string\n}\n'
)
# A module attaching the policy whose name its caller passes, by the ARN it computes from it (as
# a hunter's ``tf/modules/ci_role``); one attaching the ARN its caller passes.
TF_NAME_ATTACHING = (
    """\
variable "policy_name" {
  type = string
}

data "aws_caller_identity" "current" {}

resource "aws_iam_role" "ci" {
  name = "ci-${var.policy_name}"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "ec2.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_role_policy_attachment" "ops" {
  role       = aws_iam_role.ci.name
"""
    + f"""\
  policy_arn = "arn:aws:iam::{CALLER}:policy/${{var.policy_name}}"
}}
"""
)
TF_ARN_ATTACHING = (
    TF_NAME_ATTACHING.replace('variable "policy_name"', 'variable "policy_arn"')
    .replace('data "aws_caller_identity" "current" {}\n\n', "")
    .replace('"ci-${var.policy_name}"', '"ci"')
    .replace(f'"arn:aws:iam::{CALLER}:policy/${{var.policy_name}}"', "var.policy_arn")
)
# A root passing a module the name it computes for the policy that module defines.
TF_ROOT_COMPUTING_NAME = """\
locals {
  team = "ci"
}

module "policy" {
  source = "../../modules/policy"
  name   = "${local.team}-guard"
}
"""
# A module between: passing on the name its caller passes, or the ARN it computes from it.
TF_PASSING_NAME = """\
variable "policy_name" {
  type = string
}

module "role" {
  source      = "../role"
  policy_name = var.policy_name
}
"""
TF_PASSING_ARN = f"""\
variable "policy_name" {{
  type = string
}}

data "aws_caller_identity" "current" {{}}

module "role" {{
  source     = "../role"
  policy_arn = "arn:aws:iam::{CALLER}:policy/${{var.policy_name}}"
}}
"""
# The root: it spells the policy's name only, no ARN (or its tfvars does).
TF_ROOT_PASSING_NAME = """\
module "ci" {
  source      = "../../modules/%s"
  policy_name = "ops-admin"
}
"""


@pytest.mark.parametrize(
    ("layout", "rules"),
    [
        (
            _project(
                "stacks/shared.yaml",
                stacks__shared_yaml=SHARED,
                tf__main_tf=TF_ROLE.format(arn=OPS_ADMIN, more=""),
            ),
            ["RL201"],
        ),
        (
            _project(
                "stacks/shared.yaml",
                stacks__shared_yaml=SHARED,
                tf__main_tf=TF_ROLE.format(
                    arn=f"arn:aws:iam::{CALLER}:policy/${{var.policy}}",
                    more='variable "policy" {\n  default = "ops-admin"\n}\n',
                ),
            ),
            ["RL201"],
        ),
        (
            _project(
                "stacks/shared.yaml",
                stacks__shared_yaml=SHARED,
                live__prod__main_tf=TF_ROLE_CALLING,
                modules__role__main_tf=TF_ROLE_CALLED,
            ),
            ["RL201"],
        ),
        (
            _project(
                "stacks/shared.yaml",
                stacks__shared_yaml=SHARED,
                live__prod__main_tf=TF_ROOT_PASSING_NAME % "role",
                modules__role__main_tf=TF_NAME_ATTACHING,
            ),
            ["RL201"],
        ),
        (
            _project(
                "tf/main.tf",
                stacks__guard_yaml=GUARD_NAMED,
                tf__main_tf=TF_ROLE.format(arn=f"arn:aws:iam::{CALLER}:policy/team/guard", more=""),
            ),
            ["RL202", "RL206", "RL207", "RL208"],
        ),
        (
            _project(
                "tf/main.tf",
                stacks__app_yaml=APP,
                tf__main_tf=_tf_policy('"ops-admin"', guard=False),
            ),
            ["RL201"],
        ),
        (
            _project(
                "stacks/app.yaml",
                stacks__app_yaml=ADMIN_ROLE_ATTACHING.format(arn=GUARD_ARN),
                tf__main_tf=_tf_policy('"guard"', guard=True),
            ),
            ["RL202", "RL206", "RL207", "RL208"],
        ),
        (
            _project(
                "stacks/app.yaml",
                stacks__app_yaml=ADMIN_ROLE_ATTACHING.format(arn=GUARD_ARN),
                tf__main_tf=_tf_policy(
                    "lower(var.name)",
                    guard=True,
                    more='variable "name" {\n  default = "GUARD"\n}\n',
                ),
            ),
            ["RL202", "RL206", "RL207", "RL208"],
        ),
        (
            _project(
                "stacks/app.yaml",
                stacks__app_yaml=ADMIN_ROLE_ATTACHING.format(
                    arn=GUARD_ARN.replace("/guard", "/ci-guard")
                ),
                modules__policy__main_tf=_tf_policy(
                    "var.name", guard=True, more='variable "name" {\n  type = string\n}\n'
                ),
                live__prod__main_tf=TF_ROOT_COMPUTING_NAME,
            ),
            ["RL202", "RL206", "RL207", "RL208"],
        ),
        (
            _project(
                "export/account.json",
                stacks__app_yaml=APP.replace(
                    "!Sub arn:aws:iam::${AWS::AccountId}:policy/ops-admin",
                    "arn:aws:iam::123456789012:policy/ops-admin",
                ),
                export__account_json=_export(defined="arn:aws:iam::123456789012:policy/ops-admin"),
            ),
            ["RL201"],
        ),
        (
            _project(
                "stacks/app.yaml",
                stacks__app_yaml=ADMIN_ROLE_ATTACHING.format(
                    arn="arn:aws:iam::123456789012:policy/team/guard"
                ),
                export__account_json=_export(
                    defined="arn:aws:iam::123456789012:policy/team/guard", deny=True
                ),
            ),
            ["RL202", "RL206", "RL207", "RL208"],
        ),
    ],
    ids=[
        "template-policy-terraform-holder",
        "template-policy-terraform-holder-computed",
        "template-policy-terraform-module-holder",
        "template-policy-terraform-module-holder-by-name",
        "terraform-holder-template-policy",
        "terraform-policy-template-holder",
        "template-holder-terraform-policy",
        "template-holder-terraform-policy-computed",
        "template-holder-terraform-module-policy-named-by-root",
        "export-policy-template-holder",
        "template-holder-export-policy",
    ],
)
def test_a_template_and_the_files_linked_to_it_by_a_policy_bring_each_other(
    tmp_path: Path, layout: object, rules: list[str]
) -> None:
    """A customer managed policy a template defines and a Terraform role attaches by its ARN
    (or the reverse; or an account export's), which a whole run links: named alone, neither
    file brought the other.  The policy's RL201 named no role (another fingerprint than the
    baseline's), the Deny of IAM of the policy a role attaches was not seen (RL201 where a
    whole run gives RL202, RL206, RL207, RL208).  Now the named file's findings are the whole
    run's, every finding the hook reports is one of the whole run's, and the baseline a whole
    run recorded is matched, none of it said to be gone."""
    assert callable(layout)
    _checkout(tmp_path, QUIET)
    named = layout(tmp_path)
    _, whole, _ = _check(tmp_path, ".")
    assert sorted(str(f[0]) for f in _of(whole, named)) == rules
    _, hook, _ = _check(tmp_path, named)
    assert _of(hook, named) == _of(whole, named)
    assert {_key(f) for f in hook} <= {_key(f) for f in whole}

    recorded = run_rolelint("check", "--write-baseline", BASELINE, "--no-cache", cwd=tmp_path)
    assert recorded.returncode == 0, recorded.stderr
    (tmp_path / ".rolelint.yaml").write_text(f"baseline: {BASELINE}\n")
    code, hook, notes = _check(tmp_path, named)
    assert code == 0, hook
    assert GONE not in notes


@pytest.mark.parametrize(
    "holder",
    [
        ("tf/main.tf", TF_ROLE.format(arn="arn:aws:iam::123456789012:policy/ops-admin", more="")),
        ("export/account.json", _export(attached="arn:aws:iam::123456789012:policy/ops-admin")),
    ],
    ids=["terraform", "export"],
)
def test_a_file_naming_the_policy_in_another_account_is_not_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, holder: tuple[str, str]
) -> None:
    """A template's policy is in the account it is deployed to, which a whole run does not take
    for the literal account of a Terraform attachment or an account export (rolelint.policy_links):
    the file spelling ``:policy/ops-admin`` is parsed, found not linked, and not read."""
    _checkout(tmp_path, QUIET)
    (tmp_path / "stacks").mkdir()
    (tmp_path / "stacks" / "shared.yaml").write_text(SHARED)
    (tmp_path / holder[0]).parent.mkdir()
    (tmp_path / holder[0]).write_text(holder[1])
    monkeypatch.chdir(tmp_path)
    assert [f.role for f in lint_paths(["."]).findings if f.file == "stacks/shared.yaml"] == [None]
    report = lint_paths(["stacks/shared.yaml"])
    assert report.analyzed_files == {"stacks/shared.yaml"}


@pytest.mark.parametrize(
    ("named", "files"),
    [
        ("stacks/shared.yaml", {"stacks/shared.yaml": SHARED, "stacks/app.yaml": APP}),
        (
            "tf/main.tf",
            {"stacks/app.yaml": APP, "tf/main.tf": _tf_policy('"ops-admin"', guard=False)},
        ),
    ],
    ids=["template", "terraform"],
)
def test_no_baseline_entry_of_a_file_whose_search_stopped_is_gone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, named: str, files: dict[str, str]
) -> None:
    """Past the search's budget, the role attaching the named file's policy was not read: its
    RL201 named no role, another fingerprint than the one a whole run recorded, and that entry
    was said to be gone ("no longer occurs: record it again"), though the run could not tell.
    It is not judged now; a run whose search went to the end still says a fixed one is gone."""
    _checkout(tmp_path, QUIET)
    for path, text in files.items():
        (tmp_path / path).parent.mkdir(exist_ok=True)
        (tmp_path / path).write_text(text)
    monkeypatch.chdir(tmp_path)
    whole = lint_paths(["."])
    write_baseline(BASELINE, whole.findings, "test")
    recorded = read_baseline(BASELINE)

    def applied(paths: list[str]) -> tuple[int, int]:
        report = lint_paths(paths)
        result = apply_baseline(report.findings, recorded, BASELINE, report.scope)
        return result.matched, result.gone

    assert applied([named]) == (1, 0)
    with monkeypatch.context() as budget:
        budget.setattr(module_readers, "SEARCH_BYTES", 1)
        stopped = lint_paths([named])
        assert [n.file for n in stopped.notices] == [named]
        assert "stopped at" in stopped.notices[0].message
        assert [f.role for f in stopped.findings if f.file == named] == [None]
        assert applied([named]) == (0, 0)
        assert named in stopped.scope.stopped
    (tmp_path / named).write_text(files[named].replace('"*"', '"s3:GetObject"'))
    assert applied([named]) == (0, 1)  # fixed: gone, as the search went to the end


@pytest.mark.parametrize(
    ("block", "computed"),
    [
        ('  name = "guard"\n', False),
        ('  name   = "guard" # the team\'s\n  path = "/team/"\n', False),
        ('  name = "guard"\r\n', False),
        ("  name_prefix = var.name\n", False),
        ("  name = var.name\n", True),
        ('  name = "${var.team}-guard"\n', True),
        ("  name = lower(var.name)\n", True),
    ],
)
def test_a_terraform_policy_name_is_computed_unless_written_out(block: str, computed: bool) -> None:
    """Only a module whose ``aws_iam_policy`` computes its name is parsed to tell whether it
    defines a policy a template attaches; one written out is matched by its text, and a role's
    computed name beside a policy's written one does not count."""
    from rolelint.template_readers import _computes_a_policy_name

    policy = f'resource "aws_iam_policy" "guard" {{\n{block}}}\n'
    role = 'resource "aws_iam_role" "ci" {\n  name = var.role\n}\n'
    assert _computes_a_policy_name("main.tf", policy + role) is computed
    assert _computes_a_policy_name("main.tf", role + policy) is computed


# --- a policy another file requires as a permissions boundary -----------------------------------

BOUNDARY = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  WorkloadBoundary:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      ManagedPolicyName: workload-boundary
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Action: ACTIONS, Resource: "*"}
"""
# A role allowed to create roles only with that boundary: an Allow under StringEquals, or an
# Allow beside a Deny unless it is that boundary (StringNotEquals); the ARN computed (the name a
# parameter's default), so that the text does not spell it out.
DELEGATE = """\
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Name: {Type: String, Default: workload-boundary}
Resources:
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
GATE                Condition:
                  TEST:
                    iam:PermissionsBoundary: !Sub arn:aws:iam::${AWS::AccountId}:policy/${Name}
"""
_DENY_UNLESS = """\
              - Effect: Deny
                Action: [iam:CreateRole, iam:AttachRolePolicy, iam:PutRolePolicy]
                Resource: "*"
"""
TF_BOUNDARY = """\
resource "aws_iam_policy" "workload_boundary" {
  name = "workload-boundary"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ACTIONS, Resource = "*" }]
  })
}
"""
TF_DELEGATE = """\
data "aws_caller_identity" "current" {}

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
      Condition = { StringEquals = { "iam:PermissionsBoundary" = local.boundary } }
    }]
  })
}

locals {
  boundary = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:policy/${var.name}"
}

variable "name" {
  default = "workload-boundary"
}
"""
_SOME = '["s3:*", "sqs:*"]'  # what a boundary is for: judged as a grant, 4 findings
_ALL = '"*"'  # an administrator's boundary: what the delegate may create is an administrator


def _delegate(deny: bool = False) -> str:
    if deny:
        return DELEGATE.replace("GATE", _DENY_UNLESS).replace("TEST", "StringNotEquals")
    return DELEGATE.replace("GATE", "").replace("TEST", "StringEquals")


@pytest.mark.parametrize(
    ("layout", "rules"),
    [
        pytest.param(
            _project(
                "stacks/boundary.yaml",
                stacks__boundary_yaml=BOUNDARY.replace("ACTIONS", _SOME),
                stacks__delegate_yaml=_delegate(),
            ),
            [],
            id="template-boundary-template-delegate",
        ),
        pytest.param(
            _project(
                "stacks/boundary.yaml",
                stacks__boundary_yaml=BOUNDARY.replace("ACTIONS", _SOME),
                stacks__delegate_yaml=_delegate(deny=True),
            ),
            [],
            id="template-boundary-template-deny",
        ),
        pytest.param(
            _project(
                "stacks/boundary.yaml",
                stacks__boundary_yaml=BOUNDARY.replace("ACTIONS", _SOME),
                tf__main_tf=TF_DELEGATE,
            ),
            [],
            id="template-boundary-terraform-delegate",
        ),
        pytest.param(
            _project(
                "tf/main.tf",
                tf__main_tf=TF_BOUNDARY.replace("ACTIONS", _SOME),
                stacks__delegate_yaml=_delegate(),
            ),
            [],
            id="terraform-boundary-template-delegate",
        ),
        pytest.param(
            _project(
                "stacks/delegate.yaml",
                stacks__boundary_yaml=BOUNDARY.replace("ACTIONS", _ALL),
                stacks__delegate_yaml=_delegate(),
            ),
            ["RL206", "RL206"],
            id="template-delegate-template-boundary",
        ),
        pytest.param(
            _project(
                "stacks/delegate.yaml",
                tf__main_tf=TF_BOUNDARY.replace("ACTIONS", _ALL),
                stacks__delegate_yaml=_delegate(),
            ),
            ["RL206", "RL206"],
            id="template-delegate-terraform-boundary",
        ),
        pytest.param(
            _project(
                "tf/main.tf",
                stacks__boundary_yaml=BOUNDARY.replace("ACTIONS", _ALL),
                tf__main_tf=TF_DELEGATE,
            ),
            ["RL206", "RL206"],
            id="terraform-delegate-template-boundary",
        ),
    ],
)
def test_a_policy_required_as_a_boundary_and_its_delegate_bring_each_other(
    tmp_path: Path, layout: object, rules: list[str]
) -> None:
    """A customer managed policy one file defines and another requires as the boundary of the
    roles its delegate creates (``iam:PermissionsBoundary`` in an Allow, or in a Deny unless
    it is that boundary), by an ARN the text computes: a whole run judges the policy as that
    boundary (no finding of its ``s3:*``), and RL206 of the delegate by its document.  Named
    alone (pre-commit), the file defining it judged it as a grant (RL202, RL202, RL203,
    RL208), and the delegate's file lost its RL206 under an administrator's boundary.  Now
    each brings the other: the named file's findings are the whole run's, and a baseline the
    whole run recorded is matched, none of it said to be gone."""
    assert callable(layout)
    _checkout(tmp_path, QUIET)
    named = layout(tmp_path)
    _, whole, _ = _check(tmp_path, ".")
    assert sorted(str(f[0]) for f in _of(whole, named)) == rules
    _, hook, _ = _check(tmp_path, named)
    assert _of(hook, named) == _of(whole, named)
    assert {_key(f) for f in hook} <= {_key(f) for f in whole}

    recorded = run_rolelint("check", "--write-baseline", BASELINE, "--no-cache", cwd=tmp_path)
    assert recorded.returncode == 0, recorded.stderr
    (tmp_path / ".rolelint.yaml").write_text(f"baseline: {BASELINE}\n")
    code, hook, notes = _check(tmp_path, named)
    assert code == 0, hook
    assert GONE not in notes


# --- a Terraform root passing a template's policy to a module -----------------------------------

MODULE_CHAINS = {
    "root-module": {
        "stacks/shared.yaml": SHARED,
        "live/prod/main.tf": TF_ROOT_PASSING_NAME % "role",
        "modules/role/main.tf": TF_NAME_ATTACHING,
    },
    "root-module-module": {
        "stacks/shared.yaml": SHARED,
        "live/prod/main.tf": TF_ROOT_PASSING_NAME % "ci",
        "modules/ci/main.tf": TF_PASSING_NAME,
        "modules/role/main.tf": TF_NAME_ATTACHING,
    },
    "root-tfvars-module": {
        "stacks/shared.yaml": SHARED,
        "live/prod/main.tf": (TF_ROOT_PASSING_NAME % "role").replace(
            '"ops-admin"', "var.policy_name"
        )
        + 'variable "policy_name" {\n  type = string\n}\n',
        "live/prod/terraform.tfvars": 'policy_name = "ops-admin"\n',
        "modules/role/main.tf": TF_NAME_ATTACHING,
    },
    "root-module-module-arn-between": {
        "stacks/shared.yaml": SHARED,
        "live/prod/main.tf": TF_ROOT_PASSING_NAME % "ci",
        "modules/ci/main.tf": TF_PASSING_ARN,
        "modules/role/main.tf": TF_ARN_ATTACHING,
    },
}


def _finding_key(finding: Any) -> tuple[object, ...]:
    return (
        finding.rule_id,
        finding.location.file,
        finding.location.span.line if finding.location.span is not None else None,
        finding.resource,
        finding.role,
        finding.message,
        finding.fingerprint,
    )


@pytest.mark.parametrize(
    ("chain", "named"),
    [(chain, named) for chain, files in MODULE_CHAINS.items() for named in files],
)
def test_a_template_policy_a_root_passes_to_a_module_brings_the_module_chain(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chain: str, named: str
) -> None:
    """A template defines ``ops-admin``; a Terraform root passes the name alone to a module
    (``policy_name = "ops-admin"``), which attaches the ARN it computes from it
    (``policy/${var.policy_name}``), or passes it on to another that does.  A whole run
    evaluates the modules as the root calls them: the policy's RL201 names
    ``module.ci...aws_iam_role.ci``.  Named alone, the template did not bring the root: the
    module computing the ARN, parsed alone, holds no exact ARN, and the root spells no ARN,
    so the RL201 named no role (another fingerprint), and a whole run's baseline was said to
    be gone.  Now the root is confirmed as it evaluates its modules; and naming the root or
    any module of the chain brings the template.  Every file named gives the whole run's
    findings, the baseline all matched, none gone."""
    _checkout(tmp_path, QUIET)
    for path, text in MODULE_CHAINS[chain].items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text)
    monkeypatch.chdir(tmp_path)
    whole = lint_paths(["."])
    policy = [f for f in whole.findings if f.location.file == "stacks/shared.yaml"]
    assert [f.rule_id for f in policy] == ["RL201"]
    role = policy[0].role or ""
    assert role.startswith("module.ci.")
    assert role.endswith("aws_iam_role.ci")

    hook = lint_paths([named])
    assert sorted(map(_finding_key, hook.findings)) == sorted(map(_finding_key, whole.findings))
    write_baseline(BASELINE, whole.findings, "test")
    applied = apply_baseline(hook.findings, read_baseline(BASELINE), BASELINE, hook.scope)
    assert (applied.matched, applied.gone) == (len(whole.findings), 0)
    assert not [f for f in applied.findings if not f.suppressed]


def test_only_the_callers_passing_the_policy_are_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The module computing the ARN is confirmed by each of its callers as it evaluates it: the
    root passing the template's policy is read, the one passing another policy's name is not
    (nor is the module read alone brought for itself: it holds no exact ARN)."""
    _checkout(tmp_path, QUIET)
    for path, text in {
        "stacks/shared.yaml": SHARED,
        "live/prod/main.tf": TF_ROOT_PASSING_NAME % "role",
        "live/dev/main.tf": (TF_ROOT_PASSING_NAME % "role").replace("ops-admin", "dev-admin"),
        "modules/role/main.tf": TF_NAME_ATTACHING,
    }.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text)
    monkeypatch.chdir(tmp_path)
    report = lint_paths(["stacks/shared.yaml"])
    assert report.analyzed_files == {
        "stacks/shared.yaml",
        "live/prod/main.tf",
        "modules/role/main.tf",
    }
    assert [f.role for f in report.findings] == ["module.ci.aws_iam_role.ci"]


def test_the_budget_stops_a_search_parsing_many_modules(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each module computing a policy's ARN (``policy/${var.policy_name}``) is parsed to tell
    whether it links to the named template: the budget counted the text read, not the
    parsing, so a template named alone parsed every such module of a big repository with no
    notice.  A parse is now charged its text again: within the budget the search is as
    before, past it the search stops with the notice, and the named file's search counts as
    stopped."""
    (tmp_path / ".git").mkdir()
    (tmp_path / "stacks").mkdir()
    (tmp_path / "stacks" / "shared.yaml").write_text(SHARED)
    modules = 12
    for number in range(modules):
        (tmp_path / "modules" / f"m{number}").mkdir(parents=True)
        (tmp_path / "modules" / f"m{number}" / "main.tf").write_text(TF_NAME_ATTACHING)
    parsed: list[list[str]] = []
    real_parse = parse_jobs.parse_modules

    def parse(directories: list[str], *rest: Any, **options: Any) -> Any:
        parsed.append(list(directories))
        return real_parse(directories, *rest, **options)

    monkeypatch.setattr(template_readers, "parse_modules", parse)
    monkeypatch.chdir(tmp_path)
    whole = lint_paths(["stacks/shared.yaml"])
    assert (len(parsed), whole.notices, whole.scope.stopped) == (modules, [], frozenset())

    # Room to read every module's text, not to parse them all as well.
    parsed.clear()
    monkeypatch.setattr(module_readers, "SEARCH_BYTES", modules * len(TF_NAME_ATTACHING) + 1)
    cut = lint_paths(["stacks/shared.yaml"])
    assert 0 < len(parsed) < modules
    assert [n.file for n in cut.notices] == ["stacks/shared.yaml"]
    assert cut.notices[0].message.startswith(
        "the search for the files linked to this file by a customer managed policy"
    )
    assert " stopped at modules/m" in cut.notices[0].message
    assert cut.scope.stopped == frozenset({"stacks/shared.yaml"})
    assert [(f.rule_id, f.role) for f in cut.findings] == [
        (f.rule_id, f.role) for f in whole.findings
    ]


def test_a_module_is_checked_once_for_the_same_links(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two named templates define the same policy: the module computing an ARN, which parsed
    alone holds no link, and its caller, passing another policy's name, were checked for each
    of them (its text matched again, its callers searched and parsed again).  A module found
    not linked is not checked again for the same links."""
    (tmp_path / ".git").mkdir()
    for path, text in {
        "stacks/a.yaml": SHARED,
        "stacks/b.yaml": SHARED.replace("OpsAdmin", "OpsAdminToo"),
        "live/dev/main.tf": (TF_ROOT_PASSING_NAME % "role").replace("ops-admin", "dev-admin"),
        "modules/role/main.tf": TF_NAME_ATTACHING,
    }.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text)
    calls: list[str] = []
    real_callers = module_readers.ModuleSearch.callers
    real_in_terraform = template_readers._Links.in_terraform

    def callers(
        search: module_readers.ModuleSearch, folder: str, named: str, *rest: Any
    ) -> list[str]:
        calls.append(f"callers {folder}")
        return real_callers(search, folder, named, *rest)

    def in_terraform(links: template_readers._Links, path: str, text: str) -> bool:
        calls.append(f"in_terraform {path}")
        return real_in_terraform(links, path, text)

    monkeypatch.setattr(module_readers.ModuleSearch, "callers", callers)
    monkeypatch.setattr(template_readers._Links, "in_terraform", in_terraform)
    monkeypatch.chdir(tmp_path)
    report = lint_paths(["stacks/a.yaml", "stacks/b.yaml"])
    assert sorted(calls) == [
        "callers modules/role",
        "in_terraform live/dev/main.tf",
        "in_terraform modules/role/main.tf",
    ]
    assert report.analyzed_files == {"stacks/a.yaml", "stacks/b.yaml"}


@pytest.mark.parametrize(
    ("kept", "written", "path"),
    [
        (":policy", "/ops-admin", ""),
        (":policy/", "ops-admin", ""),
        (":policy/team", "/ops-admin", "/team/"),
        (":policy/team/", "ops-admin", "/team/"),
        (":", "policy/ops-admin", ""),
    ],
)
def test_an_arn_begun_in_a_local_links_as_in_a_whole_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kept: str, written: str, path: str
) -> None:
    """A Terraform role attaches a template's policy by an ARN whose beginning a local keeps
    whole (``prefix = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:policy/"``),
    the rest written where it is attached (``policy_arn = "${local.prefix}ops-admin"``).  A whole
    run links them (RL201 of the policy names the role); named alone, the template did not
    bring the module unless the local ended at ``:policy`` (its text spells neither the ARN's
    ``:policy/ops-admin`` nor a computed ``policy/${...}``), so its RL201 named no role, and the
    module's findings were missing.  Either file named alone gives the whole run's findings."""
    _checkout(tmp_path, QUIET)
    policy = SHARED
    if path:
        policy = SHARED.replace("ops-admin\n", f"ops-admin\n      Path: {path}\n")
    more = f'locals {{\n  prefix = "arn:aws:iam::{CALLER}{kept}"\n}}\n'
    files = {
        "stacks/shared.yaml": policy,
        "tf/main.tf": TF_ROLE.format(arn="${local.prefix}" + written, more=more),
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    monkeypatch.chdir(tmp_path)
    whole = lint_paths(["."])
    assert [(f.rule_id, f.role) for f in whole.findings if f.file == "stacks/shared.yaml"] == [
        ("RL201", "aws_iam_role.ci")
    ]
    for named in files:
        hook = lint_paths([named])
        assert sorted(map(_finding_key, hook.findings)) == sorted(
            map(_finding_key, whole.findings)
        ), named


def test_a_whole_arn_of_another_policy_in_the_account_is_not_parsed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The beginnings of the policy's ARN sought end where a text ends, at a segment of its
    path: a module attaching another policy of the account by its whole ARN
    (``:policy/team-reader``, ``:policy/ops"``) is not parsed for a template defining
    ``/team/ops-admin``."""
    _checkout(tmp_path, QUIET)
    (tmp_path / "stacks").mkdir()
    (tmp_path / "stacks" / "shared.yaml").write_text(
        SHARED.replace("ops-admin\n", "ops-admin\n      Path: /team/\n")
    )
    for name in ("team-reader", "ops", "teams/ops-admin"):
        folder = tmp_path / "tf" / name.replace("/", "-")
        folder.mkdir(parents=True)
        arn = f"arn:aws:iam::{CALLER}:policy/{name}"
        (folder / "main.tf").write_text(TF_ROLE.format(arn=arn, more=""))
    parsed: list[list[str]] = []
    real_parse = parse_jobs.parse_modules

    def parse(directories: list[str], *rest: Any, **options: Any) -> Any:
        parsed.append(list(directories))
        return real_parse(directories, *rest, **options)

    monkeypatch.setattr(template_readers, "parse_modules", parse)
    monkeypatch.chdir(tmp_path)
    report = lint_paths(["stacks/shared.yaml"])
    assert parsed == []
    assert report.analyzed_files == {"stacks/shared.yaml"}


def _over_limit(path: str, size: int, limit: str) -> tuple[str, str]:
    """The notice of a file the search left unread for its size: the run's own words."""
    shown = math.ceil(size * 10 / 1024) / 10  # rounded up: never at the limit
    return (
        path,
        f"file is {shown:g} KiB, over the {limit} limit: not read (raise it with --max-file-size"
        " or the max-file-size setting)",
    )


def test_a_candidate_over_the_size_limit_is_named_in_a_notice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A template the search would read, over ``--max-file-size``, was left unread without a
    word (nothing is skipped silently): a notice now names it, its size and the limit, in the
    run's words for a file over the limit; a lock file over it, which the run skips as no
    input, is left quietly, as the run leaves it."""
    _checkout(tmp_path, QUIET)
    named = _by_arn(tmp_path, "")
    (tmp_path / "stacks" / "app.yaml").write_text(APP + "# padding\n" * 1000)
    (tmp_path / "package-lock.json").write_text(NPM_LOCK)
    monkeypatch.chdir(tmp_path)
    size = (tmp_path / "stacks" / "app.yaml").stat().st_size
    report = lint_paths([named], max_size=4096)
    assert report.errors == []
    assert [(n.file, n.message) for n in report.notices] == [
        _over_limit("stacks/app.yaml", size, "4 KiB")
    ]
    assert report.analyzed_files == {named}


def test_the_terraform_side_of_the_search_reads_within_the_runs_size_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The search read Terraform text up to 10 MiB whatever ``--max-file-size`` said: with a
    limit of 4 KiB, a 10 KB module attaching the named template's policy was read, parsed,
    found linked, and then refused by the run for its size (an input error, exit 2, for a file
    the hook was not given).  The search now reads within the run's limit: the module is left
    unread, and a notice names the file, its size and the limit."""
    _checkout(tmp_path, QUIET)
    (tmp_path / "stacks").mkdir()
    (tmp_path / "stacks" / "shared.yaml").write_text(SHARED)
    (tmp_path / "tf").mkdir()
    main = tmp_path / "tf" / "main.tf"
    main.write_text(TF_ROLE.format(arn=OPS_ADMIN, more="# padding\n" * 1000))
    monkeypatch.chdir(tmp_path)
    assert lint_paths(["stacks/shared.yaml"]).analyzed_files == {
        "stacks/shared.yaml",
        "tf/main.tf",
    }
    report = lint_paths(["stacks/shared.yaml"], max_size=4096)
    assert report.errors == []
    assert [(n.file, n.message) for n in report.notices] == [
        _over_limit("tf/main.tf", main.stat().st_size, "4 KiB")
    ]
    assert report.analyzed_files == {"stacks/shared.yaml"}


def test_a_file_over_the_limit_the_run_reads_has_its_error_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A Terraform file over the limit in the folder of a named module is read by the run,
    which refuses it with its error: the search, which met it too, adds no notice of it."""
    (tmp_path / ".git").mkdir()
    module = tmp_path / "modules" / "role"
    module.mkdir(parents=True)
    (module / "main.tf").write_text(TF_ROLE_CALLED)
    big = module / "big.tf"
    big.write_text("# padding\n" * 1000)
    (tmp_path / "live").mkdir()
    (tmp_path / "live" / "main.tf").write_text('module "role" {\n  source = "../modules/role"\n}\n')
    monkeypatch.chdir(tmp_path)
    report = lint_paths(["modules/role/main.tf"], max_size=4096)
    assert [(e.file, e.message) for e in report.errors] == [
        _over_limit("modules/role/big.tf", big.stat().st_size, "4 KiB")
    ]
    assert report.notices == []


def _three_named(root: Path) -> list[str]:
    """A project of three named templates, each defining a policy of its own, and files linked
    to none of them: five templates and four Terraform modules, each of its own text."""
    (root / ".git").mkdir()
    named = []
    for name in ("a", "b", "c"):
        path = root / "stacks" / f"{name}.yaml"
        path.parent.mkdir(exist_ok=True)
        path.write_text(SHARED.replace("ops-admin", f"{name}-admin"))
        named.append(f"stacks/{name}.yaml")
    for number in range(5):
        (root / "other" / f"s{number}").mkdir(parents=True)
        (root / "other" / f"s{number}" / "template.yaml").write_text(f"# {number}\n{QUIET}")
    for number in range(4):
        (root / "tf" / f"m{number}").mkdir(parents=True)
        arn = f"arn:aws:iam::aws:policy/ReadOnlyAccess{number}"
        (root / "tf" / f"m{number}" / "main.tf").write_text(TF_ROLE.format(arn=arn, more=""))
    return named


def test_a_project_is_gone_through_once_a_round_for_all_its_named_templates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Three named templates of one project: every file of it was matched with the names of
    each in turn (5 templates and 4 modules, 27 matches where 9 do).  The project is gone
    through once a round for all of them: a file linked to none is matched once."""
    named = _three_named(tmp_path)
    matched: list[str] = []
    real_found_in = template_readers._Links.found_in
    real_in_terraform = template_readers._Links.in_terraform

    def found_in(links: template_readers._Links, text: str) -> bool:
        matched.append(text.split("\n", 1)[0])
        return real_found_in(links, text)

    def in_terraform(links: template_readers._Links, path: str, text: str) -> bool:
        matched.append(path)
        return real_in_terraform(links, path, text)

    monkeypatch.setattr(template_readers._Links, "found_in", found_in)
    monkeypatch.setattr(template_readers._Links, "in_terraform", in_terraform)
    monkeypatch.chdir(tmp_path)
    report = lint_paths(named)
    assert report.analyzed_files == set(named)
    assert report.notices == []
    assert sorted(matched) == sorted(
        [f"# {number}" for number in range(5)] + [f"tf/m{number}/main.tf" for number in range(4)]
    )


def test_a_file_linked_to_a_later_named_template_is_found_for_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In the one pass, a file goes to the first named template it is linked to: a role of
    another template attaching b's policy, a Terraform role attaching c's, are read, and each
    policy's RL201 names its holder as a whole run names it."""
    named = _three_named(tmp_path)
    (tmp_path / "apps").mkdir()
    (tmp_path / "apps" / "app.yaml").write_text(APP.replace("ops-admin", "b-admin"))
    (tmp_path / "tf" / "m3" / "main.tf").write_text(
        TF_ROLE.format(arn=f"arn:aws:iam::{CALLER}:policy/c-admin", more="")
    )
    monkeypatch.chdir(tmp_path)
    whole = lint_paths(["."])
    report = lint_paths(named)
    assert report.analyzed_files == {*named, "apps/app.yaml", "tf/m3/main.tf"}
    assert sorted(map(_finding_key, report.findings)) == sorted(
        _finding_key(f) for f in whole.findings if f.file in report.analyzed_files
    )


def test_a_budget_cutting_the_pass_counts_each_search_it_cut_as_stopped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two named templates of one project, and the budget spent after the first file read: the
    pass going through the project for both was cut, so both searches stopped before the end.
    Only the first was counted as stopped (the files left unread were kept as unreadable, and
    the second named template's search met them as such): a role beyond the budget holding the
    second one's policy was not read, its RL201 named no role, and the whole run's baseline
    entry was said to be gone.  Both are counted as stopped now, their entries not judged."""
    (tmp_path / ".git").mkdir()
    (tmp_path / "stacks").mkdir()
    (tmp_path / "stacks" / "a.yaml").write_text(SHARED.replace("ops-admin", "a-admin"))
    (tmp_path / "stacks" / "b.yaml").write_text(SHARED.replace("ops-admin", "b-admin"))
    (tmp_path / "zzz").mkdir()
    (tmp_path / "zzz" / "app.yaml").write_text(APP.replace("ops-admin", "b-admin"))
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "quiet.yaml").write_text(QUIET)
    monkeypatch.chdir(tmp_path)
    whole = lint_paths(["."])
    write_baseline(BASELINE, whole.findings, "test")
    named = ["stacks/a.yaml", "stacks/b.yaml"]
    assert lint_paths(named).analyzed_files == {*named, "zzz/app.yaml"}
    monkeypatch.setattr(module_readers, "SEARCH_BYTES", 1)
    report = lint_paths(named)
    assert report.analyzed_files == set(named)
    assert [n.file for n in report.notices] == ["stacks/a.yaml"]
    assert report.scope.stopped == frozenset(named)
    applied = apply_baseline(report.findings, read_baseline(BASELINE), BASELINE, report.scope)
    assert applied.gone == 0


def test_a_parse_the_budget_refuses_cuts_only_the_search_needing_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In the one pass, the budget runs out once every file is read: the template importing a
    computed name is then to be parsed for the named template exporting values only, whose
    search is cut there; the other named template's search had nothing more to do and went to
    the end, and is not counted as stopped."""
    (tmp_path / ".git").mkdir()
    (tmp_path / "stacks").mkdir()
    (tmp_path / "stacks" / "a.yaml").write_text(SHARED)
    (tmp_path / "stacks" / "b.yaml").write_text(
        QUIET + "Outputs:\n  Role:\n    Value: !Ref OpenRole\n    Export: {Name: b-role}\n"
    )
    (tmp_path / "zzz").mkdir()
    importer = QUIET.replace(
        "{Service: ec2.amazonaws.com}", '{AWS: !ImportValue {"Fn::Sub": "${Stack}-role"}}'
    )
    importer = importer.replace("Resources:", "Parameters:\n  Stack: {Type: String}\nResources:")
    (tmp_path / "zzz" / "importer.yaml").write_text(importer)
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "quiet.yaml").write_text(QUIET)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(module_readers, "SEARCH_BYTES", len(importer) + len(QUIET))
    report = lint_paths(["stacks/a.yaml", "stacks/b.yaml"])
    assert report.scope.stopped == frozenset({"stacks/b.yaml"})
    assert [n.file for n in report.notices] == ["stacks/b.yaml"]
    assert "stopped at zzz/importer.yaml" in report.notices[0].message


def test_a_file_the_search_parsed_is_not_parsed_again_by_the_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The search parses a template computing a name, and a Terraform module, to tell whether
    they are linked; the run reading what it found parsed each again (with no cache folder, a
    second full parse; with one, read back from it).  The run now takes the search's parse:
    each file is parsed once, and the findings are the whole run's."""
    from rolelint import parsers
    from rolelint.parsers import tf_module

    (tmp_path / ".git").mkdir()
    (tmp_path / "stacks").mkdir()
    (tmp_path / "stacks" / "shared.yaml").write_text(SHARED)
    (tmp_path / "apps").mkdir()
    (tmp_path / "apps" / "app.yaml").write_text(
        APP.replace(
            "Resources:", "Parameters:\n  Name: {Type: String, Default: ops-admin}\nResources:"
        ).replace("policy/ops-admin", "policy/${Name}")
    )
    (tmp_path / "tf").mkdir()
    (tmp_path / "tf" / "main.tf").write_text(
        TF_ROLE.format(
            arn=f"arn:aws:iam::{CALLER}:policy/${{var.policy}}",
            more='variable "policy" {\n  default = "ops-admin"\n}\n',
        )
    )
    monkeypatch.chdir(tmp_path)
    whole = lint_paths(["."])
    parsed: list[str] = []
    real_source, real_terraform = parsers.parse_source, tf_module._parse_terraform_text

    def source(name: str, text: str, *rest: Any) -> Any:
        parsed.append(name)
        return real_source(name, text, *rest)

    def terraform(path: str, text: str) -> Any:
        parsed.append(path)
        return real_terraform(path, text)

    monkeypatch.setattr(parsers, "parse_source", source)
    monkeypatch.setattr(tf_module, "_parse_terraform_text", terraform)
    report = lint_paths(["stacks/shared.yaml"])
    assert report.analyzed_files == {"stacks/shared.yaml", "apps/app.yaml", "tf/main.tf"}
    assert sorted(parsed) == ["apps/app.yaml", "stacks/shared.yaml", "tf/main.tf"]
    assert sorted(map(_finding_key, report.findings)) == sorted(
        _finding_key(f) for f in whole.findings if f.file in report.analyzed_files
    )


# Two files neither of which is a template, linked by a customer managed policy's ARN.
EXPORTED_OPS_ADMIN = "arn:aws:iam::123456789012:policy/ops-admin"
EXPORTED_GUARD = "arn:aws:iam::123456789012:policy/team/guard"


def _capped(arn: str) -> str:
    """A Terraform role allowed everything, capped by the permissions boundary ``arn``."""
    role = TF_ROLE.format(arn="", more="").split('resource "aws_iam_role_policy_attachment"')[0]
    return role.replace('  name = "ci"\n', f'  name = "ci"\n  permissions_boundary = "{arn}"\n')


def _policies_only(defined: str) -> str:
    """An account export (``--filter LocalManagedPolicy``) holding the policy ``defined``."""
    document = json.loads(_export(defined=defined))
    document["RoleDetailList"] = []
    return json.dumps(document, indent=2)


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)


NEITHER_A_TEMPLATE = {
    "terraform-policy-terraform-holder": {
        "iam/policies/main.tf": _tf_policy('"ops-admin"', guard=False),
        "apps/ci/main.tf": TF_ROLE.format(arn=OPS_ADMIN, more=""),
    },
    "terraform-guard-terraform-holder": {
        "iam/policies/main.tf": _tf_policy('"guard"', guard=True),
        "apps/ci/main.tf": TF_ROLE.format(arn=f"arn:aws:iam::{CALLER}:policy/team/guard", more=""),
    },
    "terraform-boundary-terraform-role": {
        "iam/policies/main.tf": _tf_policy('"guard"', guard=True),
        "apps/ci/main.tf": _capped(f"arn:aws:iam::{CALLER}:policy/team/guard"),
    },
    "terraform-policy-terraform-module-named-by-root": {
        "iam/policies/main.tf": _tf_policy('"ops-admin"', guard=False),
        "live/prod/main.tf": TF_ROOT_PASSING_NAME % "role",
        "modules/role/main.tf": TF_NAME_ATTACHING,
    },
    "export-policy-terraform-holder": {
        "export/account.json": _export(defined=EXPORTED_OPS_ADMIN),
        "tf/main.tf": TF_ROLE.format(arn=EXPORTED_OPS_ADMIN, more=""),
    },
    "export-guard-terraform-holder": {
        "export/account.json": _export(defined=EXPORTED_GUARD, deny=True),
        "tf/main.tf": TF_ROLE.format(arn=EXPORTED_GUARD, more=""),
    },
    "export-boundary-terraform-role": {
        "export/account.json": _export(defined=EXPORTED_GUARD, deny=True),
        "tf/main.tf": _capped(EXPORTED_GUARD),
    },
    "export-policy-export-holder": {
        "export/policies.json": _policies_only(EXPORTED_OPS_ADMIN),
        "export/roles.json": _export(attached=EXPORTED_OPS_ADMIN),
    },
}


@pytest.mark.parametrize(
    ("case", "named"),
    [(case, named) for case, files in NEITHER_A_TEMPLATE.items() for named in files],
)
def test_two_files_neither_of_which_is_a_template_bring_each_other(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: str, named: str
) -> None:
    """A customer managed policy one Terraform root (or account export) defines and another
    Terraform root (or export) attaches by its ARN, or takes as its boundary: a whole run links
    them (rolelint.policy_links), but the search looked only for templates from a file other
    than a template, so each named alone was judged without the other: the policy's RL201
    named no role (another fingerprint than the baseline's, the recorded one said to be gone),
    the role's Deny or boundary was not seen.  Either file (any module of a chain) named alone
    now brings the other: the whole run's findings and fingerprints, the baseline matched."""
    (tmp_path / ".git").mkdir()
    files = NEITHER_A_TEMPLATE[case]
    _write(tmp_path, files)
    monkeypatch.chdir(tmp_path)
    whole = lint_paths(["."])
    assert whole.analyzed_files == set(files)
    defining = next(iter(files))
    assert all(f.role is not None for f in whole.findings if f.file == defining)

    hook = lint_paths([named])
    assert hook.analyzed_files == set(files)
    assert hook.notices == []
    assert sorted(map(_finding_key, hook.findings)) == sorted(map(_finding_key, whole.findings))
    write_baseline(BASELINE, whole.findings, "test")
    applied = apply_baseline(hook.findings, read_baseline(BASELINE), BASELINE, hook.scope)
    assert (applied.matched, applied.gone) == (len(whole.findings), 0)


def test_a_file_naming_the_policy_in_another_account_is_not_brought(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A whole run links a policy's ARN only to the very text (rolelint.policy_links): the
    account of ``aws_caller_identity`` to a policy a module creates, a literal account to the
    export of that account.  Named alone, a Terraform root defining ``ops-admin``, or an
    export of account 123456789012 defining it, brings the root attaching it in that account
    (neither was brought before), not the root attaching ``ops-admin`` of another account
    (parsed for its text, found not linked); and that root brings neither."""
    (tmp_path / ".git").mkdir()
    files = {
        "iam/policies/main.tf": _tf_policy('"ops-admin"', guard=False),
        "export/account.json": _policies_only(EXPORTED_OPS_ADMIN),
        "apps/same/main.tf": TF_ROLE.format(arn=OPS_ADMIN, more=""),
        "apps/exported/main.tf": TF_ROLE.format(arn=EXPORTED_OPS_ADMIN, more=""),
        "apps/other/main.tf": TF_ROLE.format(
            arn="arn:aws:iam::999999999999:policy/ops-admin", more=""
        ),
    }
    _write(tmp_path, files)
    monkeypatch.chdir(tmp_path)
    whole = lint_paths(["."])
    for named, linked in [
        ("iam/policies/main.tf", {"apps/same/main.tf"}),
        ("export/account.json", {"apps/exported/main.tf"}),
        ("apps/other/main.tf", set()),
        ("apps/same/main.tf", {"iam/policies/main.tf"}),
        ("apps/exported/main.tf", {"export/account.json"}),
    ]:
        hook = lint_paths([named])
        assert hook.analyzed_files == {named, *linked}, named
        assert sorted(map(_finding_key, hook.findings)) == sorted(
            _finding_key(f) for f in whole.findings if f.file in hook.analyzed_files
        ), named


@pytest.mark.parametrize("named", ["iam/policies/main.tf", "apps/ci/main.tf"])
def test_a_budget_cutting_the_search_of_a_terraform_file_counts_it_as_stopped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, named: str
) -> None:
    """A project of two Terraform roots linked by a policy and no template: the search of a
    named one went through no file (it looked for templates only), so a budget never cut it.
    It now goes through the project's modules: past the budget a notice at the named file says
    where it stopped, the file counts as stopped, and the whole run's baseline entry of the
    policy, whose holder lies beyond, is not said to be gone."""
    (tmp_path / ".git").mkdir()
    _write(tmp_path, NEITHER_A_TEMPLATE["terraform-policy-terraform-holder"])
    monkeypatch.chdir(tmp_path)
    whole = lint_paths(["."])
    write_baseline(BASELINE, whole.findings, "test")
    monkeypatch.setattr(module_readers, "SEARCH_BYTES", 1)
    report = lint_paths([named])
    assert report.analyzed_files == {named}
    assert [n.file for n in report.notices] == [named]
    assert report.notices[0].message.startswith(
        "the search for the files linked to this file by a customer managed policy"
    )
    assert " stopped at " in report.notices[0].message
    assert named in report.scope.stopped
    applied = apply_baseline(report.findings, read_baseline(BASELINE), BASELINE, report.scope)
    assert applied.gone == 0


def test_a_terraform_file_linked_to_a_named_one_over_the_size_limit_is_named_in_a_notice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The Terraform root attaching a named root's policy is read within ``--max-file-size``,
    as every candidate of the search: over it, it is left unread, and a notice names it with
    its size and the limit (before, the search never read it, and said nothing)."""
    (tmp_path / ".git").mkdir()
    files = dict(NEITHER_A_TEMPLATE["terraform-policy-terraform-holder"])
    files["apps/ci/main.tf"] += "# padding\n" * 1000
    _write(tmp_path, files)
    monkeypatch.chdir(tmp_path)
    assert lint_paths(["iam/policies/main.tf"]).analyzed_files == set(files)
    report = lint_paths(["iam/policies/main.tf"], max_size=4096)
    assert report.errors == []
    size = (tmp_path / "apps" / "ci" / "main.tf").stat().st_size
    assert [(n.file, n.message) for n in report.notices] == [
        _over_limit("apps/ci/main.tf", size, "4 KiB")
    ]
    assert report.analyzed_files == {"iam/policies/main.tf"}


def test_a_terraform_root_a_template_brings_brings_the_root_defining_its_boundary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A named template defines ``ops-admin``; a Terraform root attaching it is capped by a
    boundary another root defines.  The first root was brought, and linked in turn to
    templates only: its role was judged without its boundary, findings a whole run does not
    give.  It now brings the root defining the boundary: every finding is the whole run's."""
    (tmp_path / ".git").mkdir()
    files = {
        "stacks/shared.yaml": SHARED,
        "apps/ci/main.tf": TF_ROLE.format(arn=OPS_ADMIN, more="").replace(
            '  name = "ci"\n',
            f'  name = "ci"\n  permissions_boundary = "arn:aws:iam::{CALLER}:policy/team/guard"\n',
        ),
        "iam/guard/main.tf": _tf_policy('"guard"', guard=True),
    }
    _write(tmp_path, files)
    monkeypatch.chdir(tmp_path)
    whole = lint_paths(["."])
    hook = lint_paths(["stacks/shared.yaml"])
    assert hook.analyzed_files == set(files)
    assert sorted(map(_finding_key, hook.findings)) == sorted(map(_finding_key, whole.findings))


# A module whose role attaches the template's policy only in a file the configuration excludes.
EXCLUDED_ATTACHMENT = {
    ".rolelint.yaml": 'exclude: ["*_test.tf"]\n',
    "stacks/shared.yaml": SHARED,
    "tf/main.tf": TF_ROLE.format(arn="", more="").split('resource "aws_iam_role_policy_attach')[0],
    "tf/attach_test.tf": (
        'resource "aws_iam_role_policy_attachment" "ops" {\n'
        "  role       = aws_iam_role.ci.name\n"
        f'  policy_arn = "{OPS_ADMIN}"\n'
        "}\n" + "# padding\n" * 400
    ),
}


def _lint_with_config(paths: list[str], max_size: int | None = reading.MAX_FILE_SIZE) -> Any:
    from rolelint.config import find_config, load_config

    return lint_paths(paths, config=load_config(find_config(paths)), max_size=max_size)


def test_a_file_the_configuration_excludes_is_not_parsed_by_the_search(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The search parsed a module found by a policy's ARN with every file of its folder, those
    the configuration excludes too (the run then reads the module without them): a module
    attaching the named template's policy only in an excluded file was brought, its findings
    reported where a whole run finds it linked to nothing, and an excluded file over the size
    limit was named in a notice a whole run does not give.  Now the search reads a module as
    the run does: the named file's findings are the whole run's, nothing more is read."""
    (tmp_path / ".git").mkdir()
    _write(tmp_path, EXCLUDED_ATTACHMENT)
    monkeypatch.chdir(tmp_path)
    whole = _lint_with_config(["."])
    assert whole.analyzed_files == {"stacks/shared.yaml", "tf/main.tf"}
    assert [f.role for f in whole.findings if f.file == "stacks/shared.yaml"] == [None]
    hook = _lint_with_config(["stacks/shared.yaml"])
    assert hook.analyzed_files == {"stacks/shared.yaml"}
    assert sorted(map(_finding_key, hook.findings)) == sorted(
        _finding_key(f) for f in whole.findings if f.file == "stacks/shared.yaml"
    )
    # Over the size limit, the excluded file is left out quietly, as a whole run leaves it.
    limit = len(EXCLUDED_ATTACHMENT["tf/attach_test.tf"]) - 1
    assert _lint_with_config(["."], limit).notices == []
    hook = _lint_with_config(["stacks/shared.yaml"], limit)
    assert hook.notices == []
    assert hook.analyzed_files == {"stacks/shared.yaml"}


def test_a_module_the_search_evaluated_is_not_evaluated_again_by_the_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The search evaluates a module to tell whether it is linked (alone, or as each caller
    evaluates it), and the run reading what it found evaluated each again: a module found
    (tf, linked by its ARN), a caller found (live/prod, passing the policy's name) and the
    module it calls (modules/role, read on its own as a folder scan reads it) were each
    evaluated twice.  The run now takes the search's evaluation: each folder is evaluated
    once, and the findings are the whole run's."""
    from rolelint.parsers import terraform

    _checkout(tmp_path, QUIET)
    extra = 'module "extra" {\n  source = "../modules/extra"\n}\n'
    _write(
        tmp_path,
        {
            "stacks/shared.yaml": SHARED,
            "live/prod/main.tf": TF_ROOT_PASSING_NAME % "role",
            "live/dev/main.tf": (TF_ROOT_PASSING_NAME % "role").replace("ops-admin", "dev"),
            "modules/role/main.tf": TF_NAME_ATTACHING,
            "tf/main.tf": TF_ROLE.format(arn=OPS_ADMIN, more=extra),
            "modules/extra/main.tf": QUIET_TF_ROLE,
        },
    )
    monkeypatch.chdir(tmp_path)
    whole = lint_paths(["."])
    evaluated: list[str] = []
    real_evaluation = terraform.parse_terraform_directory

    def evaluation(directory: str, *rest: Any) -> Any:
        evaluated.append(directory)
        return real_evaluation(directory, *rest)

    monkeypatch.setattr(terraform, "parse_terraform_directory", evaluation)
    hook = lint_paths(["stacks/shared.yaml"])
    assert hook.analyzed_files == {
        "stacks/shared.yaml",
        "live/prod/main.tf",
        "modules/role/main.tf",
        "tf/main.tf",
        "modules/extra/main.tf",
    }
    assert sorted(evaluated) == ["live/dev", "live/prod", "modules/extra", "modules/role", "tf"]
    # The whole run's findings (its RL201 also says which root calls module.ci: live/dev, which
    # passes another policy, calls it too, and the hook does not read it).
    assert sorted((f.rule_id, f.file, f.location.line, f.fingerprint) for f in hook.findings) == (
        sorted(
            (f.rule_id, f.file, f.location.line, f.fingerprint)
            for f in whole.findings
            if f.file in hook.analyzed_files
        )
    )
    assert [f.roles for f in hook.findings if f.file == "stacks/shared.yaml"] == [
        ("aws_iam_role.ci", "module.ci.aws_iam_role.ci")
    ]


# A role of its own, linked to nothing, that nothing of the run can assume.
QUIET_TF_ROLE = """\
resource "aws_iam_role" "extra" {
  name = "extra"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole",
      Principal = { Service = "ec2.amazonaws.com" } }]
  })
}
"""


def test_a_search_evaluation_spelling_a_folder_otherwise_is_not_taken(tmp_path: Path) -> None:
    """A module's findings name its files as the run spells its folder: an evaluation whose
    loader read a folder under another spelling than the run's loader would is not taken (the
    run evaluates the module itself), and one spelling every folder alike is, with its
    folders kept for the run's later modules."""
    from rolelint.parsers.terraform import ModuleLoader

    (tmp_path / "tf").mkdir()
    (tmp_path / "tf" / "main.tf").write_text(QUIET_TF_ROLE)
    folder = str(tmp_path / "tf")
    other = os.path.join(str(tmp_path), "..", tmp_path.name, "tf")  # the same folder
    searched = parse_jobs.parse_modules([other], keep_sources=True)
    assert searched.sources is not None and list(searched.sources) == [folder]
    loader = ModuleLoader(reading.read_text, roots=[folder])
    assert not loader.adopt(searched.sources)
    assert loader.sources == {}
    again = parse_jobs.parse_modules([folder], roots=[folder], ready={folder: searched})
    assert again.outcomes[0] is not searched.outcomes[0]
    assert again.outcomes[0].files == [os.path.join(folder, "main.tf")]

    alike = parse_jobs.parse_modules([folder], keep_sources=True)
    taken = parse_jobs.parse_modules([folder], roots=[folder], ready={folder: alike})
    assert taken.outcomes == alike.outcomes
    assert (taken.read, taken.directives) == (alike.read, alike.directives)
