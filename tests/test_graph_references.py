"""A reference to a role in the assume-role graph (rolelint.graph.build, rolelint.graph.hops):
``!GetAtt Role.Arn`` and ``aws_iam_role.x.arn`` name the role of their own template or module
instance (Value.declared_in), as RL206 reads them, never the role of a per-environment copy of
that template with the same ARN; an ARN written out, or a pattern, names every scanned role it
matches."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rolelint.api import lint_paths, read_inventory
from rolelint.graph.build import build_graph
from tests.conftest import run_rolelint

_STACK = """\
Resources:
  Caller:
    Type: AWS::IAM::Role
    Properties:
      RoleName: caller
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {{Service: codebuild.amazonaws.com}}
            Action: sts:AssumeRole
      Policies:
        - PolicyName: hop
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: {actions}
                Resource: {resource}{extra}
  Target:
    Type: AWS::IAM::Role
    Properties:
      RoleName: target
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
{trust}
      ManagedPolicyArns: [arn:aws:iam::aws:policy/AdministratorAccess]
"""

_ROOT = '!Sub "arn:aws:iam::${AWS::AccountId}:root"'
_WRITTEN_OUT = '!Sub "arn:aws:iam::${AWS::AccountId}:role/target"'


def _trust(principal: str) -> str:
    return (
        "          - Effect: Allow\n"
        f"            Principal: {{AWS: {principal}}}\n"
        "            Action: sts:AssumeRole"
    )


def _copies(
    tmp_path: Path,
    resource: str,
    trust: str | None = None,
    actions: str = "sts:AssumeRole",
    extra: str = "",
) -> Path:
    """dev/stack.yaml and prod/stack.yaml: one template deployed per environment (so in two
    accounts: both copies give their roles the same names)."""
    for env in ("dev", "prod"):
        (tmp_path / env).mkdir(parents=True)
        (tmp_path / env / "stack.yaml").write_text(
            _STACK.format(
                resource=resource, trust=trust or _trust(_ROOT), actions=actions, extra=extra
            )
        )
    return tmp_path


def _role_hops(root: Path) -> set[tuple[str, str]]:
    """(caller's folder, target's folder) of each edge between two scanned roles."""
    inventory, report = read_inventory([str(root)])
    assert not report.errors
    graph = build_graph(inventory)
    return {
        (_env(edge.source), _env(edge.target))
        for edge in graph.edges
        if edge.source.startswith("role:") and edge.target.startswith("role:")
    }


def _env(node: str) -> str:
    return Path(node.removeprefix("role:").split("#")[0]).parent.name


_OWN = {("dev", "dev"), ("prod", "prod")}
_EVERY = {("dev", "dev"), ("dev", "prod"), ("prod", "dev"), ("prod", "prod")}


@pytest.mark.parametrize(
    ("resource", "expected"),
    [
        ("!GetAtt Target.Arn", _OWN),  # both copies reached each other's Target
        (_WRITTEN_OUT, _EVERY),  # a text written out names every role of that ARN
        ('!Sub "arn:aws:iam::${AWS::AccountId}:role/targ*"', _EVERY),  # and so does a pattern
    ],
)
def test_a_grant_by_reference_reaches_the_role_of_its_own_template(
    tmp_path: Path, resource: str, expected: set[tuple[str, str]]
) -> None:
    assert _role_hops(_copies(tmp_path, resource)) == expected


@pytest.mark.parametrize(
    ("principal", "expected"),
    [
        ("!GetAtt Caller.Arn", _OWN),  # each Target admitted both Callers
        ('!Sub "arn:aws:iam::${AWS::AccountId}:role/caller"', _EVERY),
    ],
)
def test_a_trust_principal_by_reference_admits_the_role_of_its_own_template(
    tmp_path: Path, principal: str, expected: set[tuple[str, str]]
) -> None:
    """With a grant written out (naming every Target) and, in the same account, with no grant
    at all: the trust naming the caller is enough (the direct hop)."""
    trust = _trust(principal)
    assert _role_hops(_copies(tmp_path, _WRITTEN_OUT, trust)) == expected
    assert _role_hops(_copies(tmp_path / "direct", '"arn:aws:s3:::bucket"', trust)) == expected


_TAGGED_TRUST = """\
          - Effect: Allow
            Principal: {AWS: !Sub "arn:aws:iam::${AWS::AccountId}:root"}
            Action: sts:AssumeRole
            Condition: {StringEquals: {aws:RequestTag/team: ci}}
          - Effect: Allow
            Principal: {AWS: !GetAtt Caller.Arn}
            Action: [sts:AssumeRole, sts:TagSession]"""


def test_session_tags_the_trust_lets_a_reference_pass_are_its_own_template_s_role_s(
    tmp_path: Path,
) -> None:
    """The trust admits its own Caller by reference (and lets it tag its session); any other
    principal of the account only with a session tag.  The other copy's Caller, granted both
    Targets by an ARN written out, was admitted by that reference; it is admitted only under
    the tag, which the trust lets only its own Caller pass: no hop."""
    root = _copies(tmp_path, _WRITTEN_OUT, _TAGGED_TRUST, "[sts:AssumeRole, sts:TagSession]")
    assert _role_hops(root) == _OWN


def test_session_tags_a_grant_by_reference_lets_pass_are_for_its_own_template_s_role(
    tmp_path: Path,
) -> None:
    """Every caller of the account needs a session tag; each Caller may assume both Targets
    (an ARN written out) but tag its session only for its own (a reference)."""
    trust = _TAGGED_TRUST.replace("!GetAtt Caller.Arn}", _ROOT + "}").replace(
        "[sts:AssumeRole, sts:TagSession]", "sts:TagSession"
    )
    tagging = (
        "\n              - Effect: Allow"
        "\n                Action: sts:TagSession"
        "\n                Resource: !GetAtt Target.Arn"
    )
    assert _role_hops(_copies(tmp_path, _WRITTEN_OUT, trust, extra=tagging)) == _OWN


_TF_ROOT = """\
resource "aws_iam_role" "caller" {
  name = "caller"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow",
    Action = "sts:AssumeRole", Principal = { Service = "codebuild.amazonaws.com" } }] })
}
resource "aws_iam_role_policy" "caller" {
  role   = aws_iam_role.caller.id
  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow",
    Action = "sts:AssumeRole", Resource = aws_iam_role.target.arn }] })
}
resource "aws_iam_role" "target" {
  name = "target"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow",
    Action = "sts:AssumeRole", Principal = { AWS = PRINCIPAL } }] })
}
resource "aws_iam_role_policy_attachment" "target" {
  role       = aws_iam_role.target.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}
"""


@pytest.mark.parametrize(
    "principal",
    ['"*"', "aws_iam_role.caller.arn"],
)
def test_a_terraform_reference_names_the_role_of_its_own_module(
    tmp_path: Path, principal: str
) -> None:
    """Two roots (envs/dev, envs/prod) declaring the same roles: ``aws_iam_role.target.arn``
    (and, on the trust side, ``aws_iam_role.caller.arn``) names its own root's role."""
    for env in ("dev", "prod"):
        (tmp_path / env).mkdir()
        (tmp_path / env / "main.tf").write_text(_TF_ROOT.replace("PRINCIPAL", principal))
    assert _role_hops(tmp_path) == _OWN


def test_the_chaining_rules_name_only_the_own_template_s_target(tmp_path: Path) -> None:
    """RL401 (a role reaching an administrator) and RL405 (an outside principal reaching one)
    each reported the other copy's Target too."""
    root = _copies(tmp_path, "!GetAtt Target.Arn")
    report = lint_paths([str(root)])
    assert report.errors == []
    found = sorted(
        (
            f.rule_id,
            Path(f.location.file).parent.name,
            [Path(h.file).parent.name for h in f.path if h.file],
        )
        for f in report.findings
        if f.rule_id in ("RL401", "RL405")
    )
    assert found == [
        ("RL401", "dev", ["dev", "dev"]),
        ("RL401", "prod", ["prod", "prod"]),
        ("RL405", "dev", ["dev", "dev"]),
        ("RL405", "prod", ["prod", "prod"]),
    ]


def test_graph_and_roles_json_show_no_hop_between_copies(tmp_path: Path) -> None:
    """``rolelint graph -f json`` drew Caller -> Target across the copies, and ``rolelint roles
    -f json`` listed the other copy's Caller among who assumes Target."""
    root = _copies(tmp_path, "!GetAtt Target.Arn")
    graph = run_rolelint("graph", str(root), "-f", "json")
    assert graph.returncode == 0, graph.stderr
    hops = {
        (_env(edge["source"]), _env(edge["target"]))
        for edge in json.loads(graph.stdout)["edges"]
        if edge["source"].startswith("role:") and edge["target"].startswith("role:")
    }
    assert hops == _OWN
    roles = run_rolelint("roles", str(root), "-f", "json")
    assert roles.returncode == 0, roles.stderr
    rows = {(r["name"], Path(r["file"]).parent.name): r for r in json.loads(roles.stdout)["roles"]}
    lines = (root / "dev" / "stack.yaml").read_text().splitlines()
    target_line = lines.index("  Target:") + 1
    for env in ("dev", "prod"):
        at = root / env / "stack.yaml"
        assert rows["Caller", env]["reaches"] == [f"Target ({at}:{target_line})"]
        callers = [p["name"] for p in rows["Target", env]["assumed_by"] if p["kind"] == "role"]
        assert callers == [f"Caller ({at}:{lines.index('  Caller:') + 1})"]
