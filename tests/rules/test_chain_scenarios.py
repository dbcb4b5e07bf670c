"""Role-chaining scenarios of fixtures/chains, end to end: every chaining and chained-session
finding of each scenario, at its line, with the exact path it shows.

Each scenario is a small project (one or several files, CloudFormation, Terraform, an AWS config
file, an account export).  The "blocked" scenarios must stay silent; each also has a control that
removes the one element that blocks the chain, to prove the silence comes from that element.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from rolelint.api import lint_paths
from rolelint.findings import Finding
from tests.rules.harness import exported_role

CHAINS = Path(__file__).resolve().parents[2] / "fixtures" / "chains"
# The rules about who can become whom, and about the sessions chaining gives.
CHAIN_RULES = {"RL302", "RL303", "RL304", "RL401", "RL402", "RL403", "RL404", "RL405"}

Hop = tuple[str, str, int]  # label, file name ("" outside the code), line
Expected = tuple[str, str, int, tuple[Hop, ...]]  # rule, file name, line, path


def _found(paths: list[Path]) -> set[Expected]:
    report = lint_paths([str(path) for path in paths])
    assert report.errors == []
    return {_shape(f) for f in report.findings if f.rule_id in CHAIN_RULES}


def _shape(finding: Finding) -> Expected:
    path = tuple(
        (hop.node, Path(hop.file).name if hop.file else "", hop.line) for hop in finding.path
    )
    return finding.rule_id, Path(finding.file).name, finding.location.line, path


T = "template.yaml"


def test_two_hops_within_one_template() -> None:
    builder, deployer, admin = ("Builder", T, 4), ("Deployer", T, 22), ("Admin", T, 40)
    assert _found([CHAINS / "two-hops-one-template"]) == {
        ("RL401", T, 21, (builder, deployer, admin)),  # the chain, at Builder's permission
        ("RL401", T, 21, (builder, deployer)),
        ("RL401", T, 39, (deployer, admin)),
        ("RL405", T, 12, (("codebuild.amazonaws.com", "", 0), builder, deployer, admin)),
    }


def test_three_hops_within_one_template() -> None:
    ci, packager = ("Ci", T, 4), ("Packager", T, 25)
    deployer, admin = ("Deployer", T, 41), ("Admin", T, 57)
    github = ("GitHub Actions token.actions.githubusercontent.com", "", 0)
    assert _found([CHAINS / "three-hops-one-template"]) == {
        ("RL401", T, 24, (ci, packager, deployer, admin)),
        ("RL401", T, 24, (ci, packager)),
        ("RL401", T, 40, (packager, deployer, admin)),
        ("RL401", T, 40, (packager, deployer)),
        ("RL401", T, 56, (deployer, admin)),
        ("RL405", T, 13, (github, ci, packager, deployer, admin)),
    }


def test_across_two_templates() -> None:
    ci, release = ("CiRole", "ci.yaml", 4), ("ReleaseRole", "release.yaml", 4)
    folder = CHAINS / "across-two-templates"
    assert _found([folder]) == {
        ("RL401", "ci.yaml", 21, (ci, release)),
        ("RL405", "ci.yaml", 12, (("codebuild.amazonaws.com", "", 0), ci, release)),
    }
    # Each template alone: no chain.
    assert _found([folder / "ci.yaml"]) == set()
    assert _found([folder / "release.yaml"]) == set()


def test_across_two_terraform_files() -> None:
    ci, admin = ("aws_iam_role.ci", "ci.tf", 2), ("aws_iam_role.admin", "admin.tf", 2)
    assert _found([CHAINS / "across-two-terraform-files"]) == {
        ("RL401", "ci.tf", 22, (ci, admin)),
        ("RL405", "ci.tf", 8, (("codebuild.amazonaws.com", "", 0), ci, admin)),
    }


def test_across_cloudformation_and_terraform() -> None:
    pipeline = ("PipelineRole", "pipeline.yaml", 4)
    platform = ("aws_iam_role.platform", "platform.tf", 4)
    folder = CHAINS / "cloudformation-and-terraform"
    assert _found([folder]) == {
        ("RL401", "pipeline.yaml", 21, (pipeline, platform)),
        ("RL405", "pipeline.yaml", 12, (("codepipeline.amazonaws.com", "", 0), pipeline, platform)),
    }


def test_a_cycle_shows_the_circle_in_the_order_of_its_hops() -> None:
    blue, green, red = ("Blue", T, 4), ("Green", T, 18), ("Red", T, 32)
    assert _found([CHAINS / "cycle"]) == {
        ("RL402", T, 17, (blue, red, green, blue)),  # Blue -> Red -> Green -> Blue
        ("RL401", T, 17, (blue, red)),
        ("RL401", T, 45, (red, green)),
        ("RL401", T, 31, (green, blue)),
    }


def test_an_outside_account_reaches_an_admin_through_a_role() -> None:
    support, admin = ("Support", T, 4), ("Admin", T, 22)
    assert _found([CHAINS / "outside-account-through-a-role"]) == {
        ("RL405", T, 12, (("account 444455556666", "", 0), support, admin)),
        ("RL401", T, 21, (support, admin)),
    }


_VENDOR = """\
Resources:
  SupportRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: {AWS: "PRINCIPAL"}
            Action: sts:AssumeRole
      Policies:
        - PolicyName: assume
          PolicyDocument:
            Statement:
              - {Effect: Allow, Action: sts:AssumeRole, Resource: !GetAtt AdminRole.Arn}
  AdminRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - {Effect: Allow, Principal: {AWS: !GetAtt SupportRole.Arn}, Action: sts:AssumeRole}
      ManagedPolicyArns: [arn:aws:iam::aws:policy/AdministratorAccess]
"""


def test_a_role_of_an_outside_account_reaches_an_admin_through_a_role(tmp_path: Path) -> None:
    """A trust naming one role of another account is no less outside than that account's
    root: RL405 fired for ':root' and not for ':role/vendor-ops'."""
    vendor = "arn:aws:iam::999988887777:role/vendor-ops"
    support, admin = ("SupportRole", T, 2), ("AdminRole", T, 15)
    (tmp_path / T).write_text(_VENDOR.replace("PRINCIPAL", vendor))
    assert _found([tmp_path / T]) == {
        ("RL405", T, 8, ((vendor, "", 0), support, admin)),
        ("RL401", T, 14, (support, admin)),
    }
    # A role of the template's own account is not an outside party.
    (tmp_path / T).write_text(
        _VENDOR.replace("PRINCIPAL", "arn:aws:iam::${AWS::AccountId}:role/ops")
    )
    assert {shape[0] for shape in _found([tmp_path / T])} == {"RL401"}


def test_the_chained_session_duration_cases() -> None:
    folder = CHAINS / "chained-session-duration"
    assert _found([folder / T, folder / "operator.config"]) == {
        ("RL304", T, 23, ()),  # MaxSessionDuration 14400 on a role only Jump can assume
        ("RL302", "operator.config", 10, ()),  # 14400 s asked for a chained hop
        ("RL401", T, 18, (("Jump", T, 5), ("Operations", T, 19))),
    }


def test_an_account_export_with_a_chain_from_a_user() -> None:
    export = CHAINS / "account-export" / "account.json"
    carol, deploy, admin = (f"{export}#carol", 5), (f"{export}#deploy", 45), (f"{export}#admin", 83)
    name = export.name
    hop = {label: (label, name, line) for label, line in (carol, deploy, admin)}
    assert _found([export]) == {
        ("RL401", name, 33, (hop[carol[0]], hop[deploy[0]], hop[admin[0]])),
        ("RL401", name, 33, (hop[carol[0]], hop[deploy[0]])),
        ("RL401", name, 71, (hop[deploy[0]], hop[admin[0]])),
    }


# --- blocked chains: silent, and only because of what blocks them ---------------------------------

BLOCKS = {
    # scenario: (text that blocks the chain, the same without the block)
    "blocked-by-deny": (
        "              - Effect: Deny\n"
        "                Action: sts:AssumeRole\n"
        "                Resource: !GetAtt Admin.Arn\n",
        "",
    ),
    "blocked-by-boundary": ("      PermissionsBoundary: !Ref CiBoundary\n", ""),
    "blocked-by-trust-condition": ("role/break-glass", "role/ci"),
    "blocked-by-trust-deny": ("role/break-glass", "role/ci"),
}


@pytest.mark.parametrize("scenario", sorted(BLOCKS))
def test_a_blocked_chain_is_silent(scenario: str, tmp_path: Path) -> None:
    template = CHAINS / scenario / T
    assert _found([template]) == set()
    blocking, unblocked = BLOCKS[scenario]
    text = template.read_text(encoding="utf-8")
    assert text.count(blocking) == 1
    control = tmp_path / T
    control.write_text(text.replace(blocking, unblocked), encoding="utf-8")
    rules = {rule for rule, *_ in _found([control])}
    assert "RL401" in rules, f"without its block, {scenario} must chain"


def test_a_principal_not_known_keeps_a_long_session_from_being_called_chained_only(
    tmp_path: Path,
) -> None:
    """The unresolved principal may be a user or an account, whose sessions are not chained:
    RL304 ("only other roles can assume it") was not certain, and is not reported."""
    template = (CHAINS / "chained-session-duration" / T).read_text()
    (tmp_path / T).write_text(template)
    assert "RL304" in {rule for rule, *_ in _found([tmp_path / T])}
    marker = "      AssumeRolePolicyDocument:\n"
    parameter = "Parameters:\n  Caller:\n    Type: String\n"
    lines = template.splitlines(keepends=True)
    operations = next(i for i, line in enumerate(lines) if line.startswith("  Operations:"))
    trust = next(i for i in range(operations, len(lines)) if lines[i] == marker)
    statements = next(i for i in range(trust, len(lines)) if "Statement:" in lines[i])
    indent = lines[statements].index("Statement:") + 2
    extra = (
        f"{' ' * indent}- Effect: Allow\n{' ' * indent}  Principal: {{AWS: !Ref Caller}}\n"
        f"{' ' * indent}  Action: sts:AssumeRole\n"
    )
    lines.insert(statements + 1, extra)
    (tmp_path / T).write_text(parameter + "".join(lines))
    assert "RL304" not in {rule for rule, *_ in _found([tmp_path / T])}


_DENIED_JUMP = """\
Resources:
  OpsRole:
    Type: AWS::IAM::Role
    Properties:
      MaxSessionDuration: 43200
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {AWS: "arn:aws:iam::111122223333:role/jump"}
            Action: sts:AssumeRole
          - Effect: Deny
            Principal: {AWS: "arn:aws:iam::111122223333:role/jump"}
            Action: sts:AssumeRole
"""


def test_a_role_the_trust_denies_is_not_named_as_a_caller(tmp_path: Path) -> None:
    """OpsRole allows and denies jump (a role outside the scan): an explicit Deny wins, so
    nobody can assume it.  RL304 said "only other roles can assume it (...role/jump)"."""
    (tmp_path / T).write_text(_DENIED_JUMP)
    assert _found([tmp_path / T]) == set()
    deny = "          - Effect: Deny\n"
    (tmp_path / T).write_text(_DENIED_JUMP.replace(deny, deny.replace("Deny", "Allow")))
    assert {rule for rule, *_ in _found([tmp_path / T])} == {"RL304"}


_OWN_ACCOUNT_TEMPLATE = """\
Resources:
  JumpRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - {Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}
      Policies:
        - PolicyName: assume-ops
          PolicyDocument:
            Statement:
              - {Effect: Allow, Action: sts:AssumeRole, Resource: !GetAtt OpsRole.Arn}
  OpsRole:
    Type: AWS::IAM::Role
    Properties:
      MaxSessionDuration: 43200
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: {AWS: PRINCIPAL}
            Action: sts:AssumeRole
"""

_OWN_ACCOUNT_TERRAFORM = """\
data "aws_caller_identity" "current" {}

resource "aws_iam_role" "jump" {
  assume_role_policy = jsonencode({ Statement = [{
    Effect = "Allow", Principal = { Service = "ec2.amazonaws.com" }, Action = "sts:AssumeRole"
  }] })
  inline_policy {
    name = "assume-ops"
    policy = jsonencode({ Statement = [{
      Effect = "Allow", Action = "sts:AssumeRole", Resource = aws_iam_role.ops.arn
    }] })
  }
}

resource "aws_iam_role" "ops" {
  max_session_duration = 43200
  assume_role_policy = jsonencode({
    Statement = [{ Effect = "Allow", Principal = { AWS = PRINCIPAL }, Action = "sts:AssumeRole" }]
  })
}
"""


@pytest.mark.parametrize(
    ("name", "text", "bare", "root", "line"),
    [
        (
            T,
            _OWN_ACCOUNT_TEMPLATE,
            "!Ref AWS::AccountId",
            "!Sub 'arn:aws:iam::${AWS::AccountId}:root'",
            16,
        ),
        (
            "main.tf",
            _OWN_ACCOUNT_TERRAFORM,
            "data.aws_caller_identity.current.account_id",
            '"arn:aws:iam::${data.aws_caller_identity.current.account_id}:root"',
            16,
        ),
    ],
)
def test_the_own_account_id_bare_is_a_caller_whose_sessions_are_not_chained(
    tmp_path: Path, name: str, text: str, bare: str, root: str, line: int
) -> None:
    """A bare account id as a principal means that account's root (its users and roles), as
    its root ARN does.  The template's own id (!Ref AWS::AccountId, aws_caller_identity) bare
    was taken for no principal at all: RL304 said "only other roles can assume it" of a role
    the whole account may assume with unchained sessions."""
    for principal in (bare, root):
        (tmp_path / name).write_text(text.replace("PRINCIPAL", principal))
        assert "RL304" not in {rule for rule, *_ in _found([tmp_path / name])}, principal
    # Control: trusting JumpRole alone, only a role assumes it, and its sessions are chained.
    jump = "!GetAtt JumpRole.Arn" if name == T else "aws_iam_role.jump.arn"
    (tmp_path / name).write_text(text.replace("PRINCIPAL", jump))
    assert ("RL304", name, line, ()) in _found([tmp_path / name])


def _export(roles: list[dict[str, object]], users: list[dict[str, object]]) -> str:
    import json

    return json.dumps(
        {"UserDetailList": users, "GroupDetailList": [], "RoleDetailList": roles, "Policies": []},
        indent=1,
    )


def test_a_trusted_user_whose_policies_are_not_read_is_not_a_chained_caller(
    tmp_path: Path,
) -> None:
    """ops trusts user bob and role ci (of an export where bob's managed policy is missing):
    bob had no edge, so RL304 said "only other roles can assume it (ci)", though bob's own
    sessions are not chained (RL304's rationale: none is a user)."""
    bob, ci = "arn:aws:iam::111111111111:user/bob", "arn:aws:iam::111111111111:role/ci"
    user: dict[str, object] = {
        "Path": "/",
        "UserName": "bob",
        "UserId": "AIDABOBXXXXXXXXXXXXXX",
        "Arn": bob,
        "GroupList": [],
        "UserPolicyList": [],
        "AttachedManagedPolicies": [
            {"PolicyName": "custom", "PolicyArn": "arn:aws:iam::111111111111:policy/custom"}
        ],
    }
    ops = "arn:aws:iam::222222222222:role/ops"
    hop = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": ops}],
    }
    ci_role = exported_role("ci", account="111111111111", inline={"hop": hop})
    (tmp_path / "a.json").write_text(_export([ci_role], [user]))

    def ops_role(*trusted: str) -> dict[str, object]:
        return exported_role(
            "ops", account="222222222222", trusted={"AWS": list(trusted)}, seconds=43200
        )

    (tmp_path / "b.json").write_text(_export([ops_role(bob, ci)], []))
    assert "RL304" not in {rule for rule, *_ in _found([tmp_path])}
    # Control: trusting ci alone, only a role assumes ops.
    (tmp_path / "b.json").write_text(_export([ops_role(ci)], []))
    assert ("RL304", "b.json", 26, ()) in _found([tmp_path])


@pytest.mark.parametrize(("written", "chained"), [("' 14400 '", True), ("'14400²'", False)])
def test_a_session_length_is_read_as_rl301_reads_it(
    tmp_path: Path, written: str, chained: bool
) -> None:
    """RL304 and the graph read MaxSessionDuration with str.isdigit: " 14400 " (which RL301
    takes as 14400) was ignored, and "14400²" (a digit to isdigit, not to int) crashed the
    whole run with an internal error."""
    template = (CHAINS / "chained-session-duration" / T).read_text()
    assert template.count("MaxSessionDuration: 14400") == 1
    written_yaml = f"MaxSessionDuration: {written}"
    (tmp_path / T).write_text(template.replace("MaxSessionDuration: 14400", written_yaml))
    rules = {rule for rule, *_ in _found([tmp_path / T])}
    assert ("RL304" in rules) is chained


@pytest.mark.parametrize(
    ("written", "reported"),
    [
        ("!If [Long, 3600, 14400]", "14400"),
        ("!If [Long, 14400, 3600]", "14400"),
        ("!If [Long, 86400, 14400]", "14400"),  # 86400 is RL301's: AWS refuses it
        ("!If [Long, 3600, 86400]", None),  # the one value AWS accepts is an hour
    ],
)
def test_the_longest_session_a_condition_may_pick_is_judged(
    tmp_path: Path, written: str, reported: str | None
) -> None:
    """RL304 took the first integer of an Fn::If: `!If [Long, 3600, 14400]` was silent and
    `!If [Long, 14400, 3600]` reported, though both deploy 14400 somewhere; RL303 and `roles`
    take the longest.  The finding points at the value it judged."""
    template = (CHAINS / "chained-session-duration" / T).read_text()
    template = template.replace("MaxSessionDuration: 14400", f"MaxSessionDuration: {written}")
    template = template.replace(
        "Resources:\n", "Conditions:\n  Long: !Equals [!Ref AWS::Region, eu-west-1]\nResources:\n"
    )
    (tmp_path / T).write_text(template)
    report = lint_paths([str(tmp_path / T)])
    assert report.errors == []
    found = [
        (f.location.line, f.location.column, f.message.split(",")[0])
        for f in report.findings
        if f.rule_id == "RL304"
    ]
    if reported is None:
        assert found == []
        return
    line = template.splitlines().index(f"      MaxSessionDuration: {written}") + 1
    column = len("      MaxSessionDuration: ") + written.index(reported) + 1
    assert found == [(line, column, f"Role Operations sets MaxSessionDuration {reported}")]


def test_a_session_a_default_sets_is_said_to_be_the_default(tmp_path: Path) -> None:
    """``MaxSessionDuration: !Ref Dur`` with ``Default: 14400``: RL305 said "(the default of
    parameter Dur)" of the value, RL304 did not, though its verdict too holds only while
    nobody deploys another."""
    template = (CHAINS / "chained-session-duration" / T).read_text()
    template = template.replace("MaxSessionDuration: 14400", "MaxSessionDuration: !Ref Dur")
    template = template.replace(
        "Resources:\n", "Parameters:\n  Dur: {Type: Number, Default: 14400}\nResources:\n"
    )
    (tmp_path / T).write_text(template)
    report = lint_paths([str(tmp_path / T)])
    assert report.errors == []
    [message] = [f.message for f in report.findings if f.rule_id == "RL304"]
    assert message.startswith(
        "Role Operations sets MaxSessionDuration 14400 (the default of parameter Dur), but only"
    ), message


def test_anyone_of_an_organization_whoever_deploys_names_is_no_outside_entry(
    tmp_path: Path,
) -> None:
    """``Principal "*"`` under ``aws:PrincipalOrgID: !Ref Org`` (no default) is the usual
    organization-wide role: RL405 said "anyone (*) can reach role Admin" (high) from that
    unknown, while RL101 says whoever deploys decides it (low).  The written organization of
    the control, not declared with --org-id, is still an outside entry."""
    template = """\
Parameters:
  Org: {Type: String}
Resources:
  Entry:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {AWS: "*"}
            Action: sts:AssumeRole
            Condition: {StringEquals: {aws:PrincipalOrgID: !Ref Org}}
      Policies:
        - PolicyName: hop
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
      ManagedPolicyArns: [arn:aws:iam::aws:policy/AdministratorAccess]
"""
    (tmp_path / T).write_text(template)
    assert {rule for rule, *_ in _found([tmp_path / T])} == {"RL401"}
    (tmp_path / T).write_text(template.replace("!Ref Org", "o-abc123def4"))
    assert {rule for rule, *_ in _found([tmp_path / T])} == {"RL401", "RL405"}
