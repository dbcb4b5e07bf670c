"""Trust edges of the assume-role graph (rolelint.graph.build): which assume action each
trusted party reaches a role through, and whether a condition limits it."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rolelint.api import lint_paths, read_inventory
from rolelint.graph import hops
from rolelint.graph.build import build_graph
from rolelint.graph.hops import RolesByArn
from rolelint.graph.model import Edge
from tests.conftest import count_calls, dense_roles, traced_memory
from tests.rules.harness import exported_role

_TEMPLATE = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Deployer:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
{statements}
"""


def _trust_edges(tmp_path: Path, statements: str) -> list[Edge]:
    template = tmp_path / "template.yaml"
    template.write_text(_TEMPLATE.format(statements=statements))
    inventory, report = read_inventory([str(template)])
    assert not report.errors
    graph = build_graph(inventory)
    return sorted(graph.edges, key=lambda e: (e.source, e.action))


@pytest.mark.parametrize(
    "provider",
    [
        "arn:aws:iam::111122223333:oidc-provider/https://token.actions.githubusercontent.com",
        "https://accounts.google.com",
    ],
)
def test_a_provider_named_with_its_urls_scheme_is_no_party(tmp_path: Path, provider: str) -> None:
    """No provider is named with its URL's scheme (RL111 says so) and no token is one's: the
    graph drew an "OIDC provider https://..." node and its edge, "under a condition that
    limits who", as for a provider.  The name without the scheme is one (under a claim of its
    own tokens: under another issuer's, the statement never applies, RL611)."""
    issuer = provider.rsplit("https://", 1)[1]
    statement = f"""\
          - Effect: Allow
            Principal:
              Federated: {provider}
            Action: sts:AssumeRoleWithWebIdentity
            Condition:
              StringLike:
                {issuer}:sub: repo:acme/*"""
    assert _trust_edges(tmp_path, statement) == []
    bare = provider.replace("https://", "")
    [edge] = _trust_edges(tmp_path, statement.replace(provider, bare))
    assert edge.source == f"federated:{bare}"


@pytest.mark.parametrize(
    ("nameless", "action"),
    [
        ("arn:aws:iam::111122223333:oidc-provider/", "sts:AssumeRoleWithWebIdentity"),
        ("arn:aws:iam::111122223333:saml-provider/", "sts:AssumeRoleWithSAML"),
    ],
)
def test_a_provider_arn_without_a_name_is_no_party(
    tmp_path: Path, nameless: str, action: str
) -> None:
    """A provider ARN with no name after its slash names no provider (RL111): the graph drew
    an "OIDC provider " (or "SAML ") node and its edge, unconditioned."""
    statement = f"""\
          - Effect: Allow
            Principal:
              Federated: {nameless}
            Action: {action}"""
    assert _trust_edges(tmp_path, statement) == []
    [edge] = _trust_edges(tmp_path, statement.replace(nameless, f"{nameless}Corp"))
    assert edge.source == f"federated:{nameless}Corp"


def test_a_deny_of_sts_assume_role_alone_leaves_the_web_identity_edge_open(
    tmp_path: Path,
) -> None:
    edges = _trust_edges(
        tmp_path,
        """\
          - Effect: Allow
            Principal: "*"
            Action: ["sts:AssumeRole", "sts:AssumeRoleWithWebIdentity"]
          - Effect: Deny
            Principal: "*"
            Action: sts:AssumeRole
            Condition:
              StringNotEquals:
                aws:PrincipalOrgID: o-abc1234567""",
    )
    assert [(e.source, e.action, e.conditional) for e in edges] == [
        ("anyone", "sts:AssumeRoleWithWebIdentity", False)
    ]
    assert edges[0].trust is not None and edges[0].trust.line == 10


def test_a_deny_of_every_assume_action_marks_the_edge_conditional(tmp_path: Path) -> None:
    edges = _trust_edges(
        tmp_path,
        """\
          - Effect: Allow
            Principal: "*"
            Action: ["sts:AssumeRole", "sts:AssumeRoleWithWebIdentity"]
          - Effect: Deny
            Principal: "*"
            Action: "sts:AssumeRole*"
            Condition:
              StringNotEquals:
                aws:PrincipalOrgID: o-abc1234567""",
    )
    assert [(e.source, e.action, e.conditional) for e in edges] == [
        ("anyone", "sts:AssumeRole", True)
    ]


def test_each_federated_party_reaches_the_role_through_its_own_action(tmp_path: Path) -> None:
    edges = _trust_edges(
        tmp_path,
        """\
          - Effect: Allow
            Principal:
              Federated: !Sub arn:aws:iam::${AWS::AccountId}:saml-provider/CorporateIdP
              AWS: arn:aws:iam::111122223333:root
            Action: "sts:*\"""",
    )
    assert [(e.source.split(":")[0], e.action) for e in edges] == [
        ("account", "sts:AssumeRole"),
        ("federated", "sts:AssumeRoleWithSAML"),
    ]


def test_a_federated_principal_allowed_only_sts_assume_role_reaches_nothing(
    tmp_path: Path,
) -> None:
    # Federated identities never call sts:AssumeRole (RL107 reports the statement): no edge.
    edges = _trust_edges(
        tmp_path,
        """\
          - Effect: Allow
            Principal:
              Federated: arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com
            Action: sts:AssumeRole""",
    )
    assert edges == []


_CALLER = """\
  Caller:
    Type: AWS::IAM::Role
    Properties:
      RoleName: caller
      AssumeRolePolicyDocument:
        Statement:
          - {Effect: Allow, Principal: {Service: codebuild.amazonaws.com}, Action: sts:AssumeRole}
      Policies:
        - PolicyName: assume
          PolicyDocument:
            Statement:
              - {Effect: Allow, Action: sts:AssumeRole, Resource: !GetAtt Deployer.Arn}
"""


def _hop(tmp_path: Path, statements: str) -> Edge:
    template = tmp_path / "template.yaml"
    template.write_text(_TEMPLATE.format(statements=statements) + _CALLER)
    inventory, report = read_inventory([str(template)])
    assert not report.errors
    [edge] = [e for e in build_graph(inventory).edges if e.source.endswith("#Caller")]
    return edge


_ORG_ROOT = """\
          - Effect: Allow
            Principal: {AWS: !Sub "arn:aws:iam::${AWS::AccountId}:root"}
            Action: sts:AssumeRole
            Condition: {StringEquals: {aws:PrincipalOrgID: o-abc1234567}}"""


def test_a_role_admitted_only_under_an_organization_condition_is_a_conditional_hop(
    tmp_path: Path,
) -> None:
    """The hop from a scanned role carried no trust statement: drawn solid, and graded open in
    'roles', though the only statement admitting it requires the organization."""
    edge = _hop(tmp_path, _ORG_ROOT)
    assert edge.conditional
    assert edge.trust is not None and edge.trust.line == 10
    assert edge.grant is not None and edge.grant.line == 24
    # One unconditional statement admitting it makes the hop certain, and is the one named.
    plain = (
        "\n          - {Effect: Allow, Principal: {AWS: !GetAtt Caller.Arn},"
        " Action: sts:AssumeRole}"
    )
    edge = _hop(tmp_path, _ORG_ROOT + plain)
    assert not edge.conditional
    assert edge.trust is not None and edge.trust.line == 13


def test_a_statement_naming_the_caller_that_refuses_it_does_not_spare_a_permission(
    tmp_path: Path,
) -> None:
    """Naming a same-account role by ARN lets it assume without a permission of its own, but
    not when that statement's condition refuses it: then only the root statement admits it,
    and that one needs the caller's own sts:AssumeRole, which this caller lacks."""
    arn_statement = """\
          - Effect: Allow
            Principal: {AWS: !Sub "arn:aws:iam::${AWS::AccountId}:role/caller"}
            Action: sts:AssumeRole
            Condition: {StringEquals: {aws:PrincipalType: %s}}
          - Effect: Allow
            Principal: {AWS: !Sub "arn:aws:iam::${AWS::AccountId}:root"}
            Action: sts:AssumeRole"""
    caller = _CALLER.split("      Policies:")[0]  # no sts:AssumeRole of its own
    for principal_type, hop_line in (("User", None), ("AssumedRole", 10)):
        template = tmp_path / "template.yaml"
        statements = arn_statement % principal_type
        template.write_text(_TEMPLATE.format(statements=statements) + caller)
        inventory, report = read_inventory([str(template)])
        assert not report.errors
        hops = [e for e in build_graph(inventory).edges if e.source.endswith("#Caller")]
        assert [e.trust.line if e.trust else None for e in hops] == ([hop_line] if hop_line else [])


@pytest.mark.parametrize(
    "condition",
    [
        "{ArnEquals: {aws:PrincipalArn: arn:aws:iam::123456789012:role/caller}}",
        '{StringEquals: {aws:PrincipalAccount: "123456789012"}}',
    ],
    ids=["principal-arn", "principal-account"],
)
def test_a_condition_naming_the_own_account_by_its_number_leaves_the_hop(
    tmp_path: Path, condition: str
) -> None:
    """The caller's ARN holds the template's account (``${AWS::AccountId}``), the condition
    a literal account: they may be the same account, so the condition may hold and the hop
    stays (under the condition).  The stand-in and the number were compared as text, and the
    condition refused the caller."""
    statements = f"""\
          - Effect: Allow
            Principal: {{AWS: !Sub "arn:aws:iam::${{AWS::AccountId}}:root"}}
            Action: sts:AssumeRole
            Condition: {condition}"""
    edge = _hop(tmp_path, statements)
    assert edge.trust is not None and edge.trust.line == 10
    assert edge.grant is not None and edge.grant.line == 24
    assert edge.conditional


_GITHUB = "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"


def _github_trust(conditions: str) -> str:
    return f"""\
          - Effect: Allow
            Principal: {{Federated: {_GITHUB}}}
            Action: sts:AssumeRoleWithWebIdentity
            Condition:
{conditions}"""


def test_a_github_trust_is_conditional_only_when_rl103_finds_its_subject_pinned(
    tmp_path: Path,
) -> None:
    """Any condition on a 'token.actions.githubusercontent.com:' claim marked the edge
    conditional: a pinned aud alone, or a sub of '*', which RL103 reports as critical."""
    aud = "                token.actions.githubusercontent.com:aud: sts.amazonaws.com"
    cases = {
        "aud only": f"              StringEquals:\n{aud}",
        "sub *": f"              StringEquals:\n{aud}\n              StringLike:\n"
        "                token.actions.githubusercontent.com:sub: '*'",
        "sub pinned": f"              StringEquals:\n{aud}\n"
        "                token.actions.githubusercontent.com:sub:"
        " repo:my-org/app:ref:refs/heads/main",
    }
    conditional = {}
    for name, conditions in cases.items():
        (edge,) = _trust_edges(tmp_path, _github_trust(conditions))
        conditional[name] = (edge.action, edge.conditional)
    assert conditional == {
        "aud only": ("sts:AssumeRoleWithWebIdentity", False),
        "sub *": ("sts:AssumeRoleWithWebIdentity", False),
        "sub pinned": ("sts:AssumeRoleWithWebIdentity", True),
    }


_JUMP = "arn:aws:iam::111122223333:role/jump"


@pytest.mark.parametrize(
    ("deny", "edges"),
    [
        # The same principal, or everyone, denied without condition: an explicit Deny wins.
        (f'{{AWS: "{_JUMP}"}}', []),
        ('"*"', []),
        ('{AWS: "arn:aws:iam::111122223333:root"}', []),  # every principal of its account
        # Someone else denied: the edge stays.
        ('{AWS: "arn:aws:iam::111122223333:role/other"}', [(f"principal:{_JUMP}", False)]),
        # Everyone but jump denied (ArnNotEquals aws:PrincipalArn): jump is spared (the edge
        # is marked conditional, as the Deny limits who may use the statement).
        (
            f'"*"\n            Condition: {{ArnNotEquals: {{aws:PrincipalArn: "{_JUMP}"}}}}',
            [(f"principal:{_JUMP}", True)],
        ),
        # Everyone but another role denied: jump is refused.
        (
            '"*"\n            Condition: {ArnNotEquals: {aws:PrincipalArn: '
            '"arn:aws:iam::111122223333:role/break-glass"}}',
            [],
        ),
    ],
)
def test_a_trust_deny_that_certainly_applies_removes_the_trust_edge(
    tmp_path: Path, deny: str, edges: list[tuple[str, bool]]
) -> None:
    """A role outside the scan, allowed and denied by the same trust policy: the graph drew
    jump -> Deployer, and RL304 said jump "can assume it"."""
    found = _trust_edges(
        tmp_path,
        f"""\
          - Effect: Allow
            Principal: {{AWS: "{_JUMP}"}}
            Action: sts:AssumeRole
          - Effect: Deny
            Principal: {deny}
            Action: sts:AssumeRole""",
    )
    assert [(e.source, e.conditional) for e in found] == edges


def test_a_trust_deny_of_other_accounts_removes_only_their_edges(tmp_path: Path) -> None:
    """Deny everyone outside 111122223333 (StringNotEquals aws:PrincipalAccount): the other
    account's edge goes, the named account's stays; a service is no account's principal that
    rolelint can judge, so its edge stays."""
    found = _trust_edges(
        tmp_path,
        """\
          - Effect: Allow
            Principal:
              AWS: ["111122223333", "arn:aws:iam::444455556666:root"]
              Service: ecs-tasks.amazonaws.com
            Action: sts:AssumeRole
          - Effect: Deny
            Principal: "*"
            Action: sts:AssumeRole
            Condition: {StringNotEquals: {aws:PrincipalAccount: "111122223333"}}""",
    )
    assert [e.source for e in found] == ["account:111122223333", "service:ecs-tasks.amazonaws.com"]


def test_a_condition_whose_value_the_deployer_decides_marks_the_edge_conditional(
    tmp_path: Path,
) -> None:
    """An ExternalId or organization id in a parameter without default may be exactly the
    limit ('check' gives it the benefit of the doubt): the arrow holds only under it.  It was
    drawn solid, as a trust no condition limits.  IfExists admits callers whatever the value:
    that one stays solid."""
    template = tmp_path / "template.yaml"
    template.write_text(
        "Parameters:\n  Ext: {Type: String}\n  Org: {Type: String}\n"
        + _TEMPLATE.format(
            statements="""\
          - Effect: Allow
            Principal: {AWS: "arn:aws:iam::999988887777:root"}
            Action: sts:AssumeRole
            Condition: {StringEquals: {sts:ExternalId: !Ref Ext}}
          - Effect: Allow
            Principal: "*"
            Action: sts:AssumeRole
            Condition: {StringEquals: {aws:PrincipalOrgID: !Ref Org}}
          - Effect: Allow
            Principal: {AWS: "arn:aws:iam::444455556666:root"}
            Action: sts:AssumeRole
            Condition: {StringEqualsIfExists: {sts:ExternalId: !Ref Ext}}"""
        )
    )
    inventory, report = read_inventory([str(template)])
    assert not report.errors
    edges = sorted(build_graph(inventory).edges, key=lambda e: e.source)
    assert [(e.source, e.conditional) for e in edges] == [
        ("account:444455556666", False),
        ("account:999988887777", True),
        ("anyone", True),
    ]
    assert edges[1].how == (
        "the trust policy admits account 999988887777 under a condition rolelint cannot"
        " resolve, which may limit who"
    )


def test_a_deny_on_a_value_the_deployer_decides_marks_the_edge_conditional(
    tmp_path: Path,
) -> None:
    """A Deny of everyone outside an organization a parameter without a default names is the
    limit the same test on the Allow is: the arrow holds only under it.  It was drawn solid,
    "the trust policy admits anyone (*)", while a literal organization id made it dashed."""
    template = tmp_path / "template.yaml"
    template.write_text(
        "Parameters:\n  Org: {Type: String}\n"
        + _TEMPLATE.format(
            statements="""\
          - Effect: Allow
            Principal: "*"
            Action: sts:AssumeRole
          - Effect: Deny
            Principal: "*"
            Action: sts:AssumeRole
            Condition: {StringNotEquals: {aws:PrincipalOrgID: !Ref Org}}"""
        )
    )
    inventory, report = read_inventory([str(template)])
    assert not report.errors
    [edge] = build_graph(inventory).edges
    assert (edge.source, edge.conditional, edge.maybe_own) == ("anyone", True, True)
    assert edge.how == (
        "the trust policy admits anyone (*) under a condition rolelint cannot resolve, which"
        " may limit who"
    )


_IF_NAMED = """\
Parameters:
  Env: {Type: String, Default: dev}
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
            Principal: {AWS: !Sub "arn:aws:iam::${AWS::AccountId}:root"}
            Action: sts:AssumeRole
      Policies:
        - PolicyName: itself
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: sts:AssumeRole
                Resource: !Sub "arn:aws:iam::${AWS::AccountId}:role/dev-admin"
  App:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}
      Policies:
        - PolicyName: hop
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: sts:AssumeRole
                Resource:
                  - !Sub "arn:aws:iam::${AWS::AccountId}:role/dev-admin"
                  - !Sub "arn:aws:iam::${AWS::AccountId}:role/prod-admin"
                  - !Sub "arn:aws:iam::${AWS::AccountId}:role/*-admin"
"""


def test_a_role_under_each_name_an_fn_if_gives_it_is_one_target(tmp_path: Path) -> None:
    """A role whose name a condition chooses is matched under each of its ARNs, but it stays
    one node: one edge from a caller naming it by both names (and a pattern), and none to
    itself from its own policy naming its other name."""
    template = tmp_path / "t.yaml"
    template.write_text(_IF_NAMED)
    inventory, report = read_inventory([str(template)])
    assert not report.errors
    graph = build_graph(inventory)
    hops = [(e.source, e.target, e.grant.line if e.grant else None) for e in graph.edges]
    admin, app = f"role:{template}#Admin", f"role:{template}#App"
    # The grant shown is the first exact one, by ARN: role/dev-admin.
    assert [hop for hop in hops if hop[0].startswith("role:")] == [(app, admin, 39)]


def test_the_role_index_holds_each_role_under_every_arn_as_the_same_objects(
    tmp_path: Path,
) -> None:
    """RolesByArn, which RL206 asks which roles iam:PassRole names and the graph builder
    looks sts:AssumeRole targets up in: a role whose name a condition chooses is found under
    each of its ARNs, as the very objects every_arn gives (the builder keeps its caches by
    id() of them), each leading back to the role."""
    template = tmp_path / "t.yaml"
    template.write_text(_IF_NAMED)
    inventory, _ = read_inventory([str(template)])
    admin = next(role for role in inventory.roles if role.id == "Admin")
    index = RolesByArn(inventory.roles)
    variants = index.every_arn([admin])
    assert [v.arn.text for v in variants] == [
        "arn:aws:iam::${AWS::AccountId}:role/prod-admin",  # the condition's first branch
        "arn:aws:iam::${AWS::AccountId}:role/dev-admin",
    ]
    for variant in variants:
        arn = variant.arn.text or ""
        assert [found for found in index.exact(arn) if found is variant] == [variant]
        assert index.exact(arn.replace("arn:aws:", "arn:aws-cn:")) == index.exact(arn)
        assert index.primary(variant) is admin
    # A pattern names it once, by the first of its ARNs in ARN order.
    assert index.named_by("arn:aws:iam::${AWS::AccountId}:role/*-admin") == [
        (admin, "arn:aws:iam::${AWS::AccountId}:role/dev-admin")
    ]


_SESSION_TEMPLATE = """\
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Who: {{Type: String}}
Resources:
  Admin:
    Type: AWS::IAM::Role
    Properties:
      RoleName: admin
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {{AWS: {principal}}}
            Action: sts:AssumeRole
      ManagedPolicyArns: [arn:aws:iam::aws:policy/AdministratorAccess]
  Worker:
    Type: AWS::IAM::Role
    Properties:
      RoleName: worker
      Path: /build/
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {{Service: codebuild.amazonaws.com}}
            Action: sts:AssumeRole
      Policies:
        - PolicyName: a
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: sts:AssumeRole
                Resource: {resource}
"""


@pytest.mark.parametrize("resource", ['!Sub "arn:aws:iam::${AWS::AccountId}:role/admin"', '"*"'])
def test_a_trust_naming_a_session_of_a_role_is_a_hop_from_that_role(
    tmp_path: Path, resource: str
) -> None:
    """Whoever holds worker's credentials chooses the session name, so a trust admitting
    ``assumed-role/worker/build-session`` admits worker (whatever its path)."""
    principal = '!Sub "arn:aws:sts::${AWS::AccountId}:assumed-role/worker/build-session"'
    template = tmp_path / "t.yaml"
    template.write_text(_SESSION_TEMPLATE.format(principal=principal, resource=resource))
    inventory, report = read_inventory([str(template)])
    assert not report.errors
    graph = build_graph(inventory)
    hops = [(e.source, e.target) for e in graph.edges if e.source.startswith("role:")]
    assert hops == [(f"role:{template}#Worker", f"role:{template}#Admin")]
    assert not any(node.startswith("principal:") for node in graph.nodes)
    findings = lint_paths([str(template)]).findings
    chains = {(f.rule_id, f.severity.value, f.location.line) for f in findings}
    # RL401 at worker's grant (line 34); RL405 from CodeBuild at worker's trust (line 25).
    assert {("RL401", "high", 34), ("RL405", "high", 25)} <= chains, chains
    [chain] = [f for f in findings if f.rule_id == "RL401"]
    assert "a session of it" in chain.message


@pytest.mark.parametrize(
    "name",
    [
        "",  # no RoleName: CloudFormation generates it
        "      RoleName: !Ref Who\n",  # a parameter without a default: not known
    ],
    ids=["generated", "unresolved"],
)
def test_a_trust_naming_a_session_of_a_role_by_reference_is_a_hop_from_that_role(
    tmp_path: Path, name: str
) -> None:
    """``!Sub ...:assumed-role/${Worker}/build-session`` names a session of Worker whatever
    its name: the ``Ref`` gives the stand-in for a name rolelint does not know, which Worker's
    ARN holds too.  The stand-in was read as no role name (its file and logical id hold
    ``<``, ``#`` and ``/``), so the trust admitted a principal of its own, and the chain
    CodeBuild -> Worker -> Admin went unreported."""
    principal = '!Sub "arn:aws:sts::${AWS::AccountId}:assumed-role/${Worker}/build-session"'
    text = _SESSION_TEMPLATE.format(principal=principal, resource='"*"')
    text = text.replace("      RoleName: worker\n", name)
    template = tmp_path / "stacks" / "t.yaml"
    template.parent.mkdir()
    template.write_text(text)
    inventory, report = read_inventory([str(template)])
    assert not report.errors
    worker = next(role for role in inventory.roles if role.id == "Worker")
    assert worker.arn.text is not None and "/build/<" in worker.arn.text
    graph = build_graph(inventory)
    hops = [(e.source, e.target) for e in graph.edges if e.source.startswith("role:")]
    assert hops == [(f"role:{template}#Worker", f"role:{template}#Admin")]
    assert not any(node.startswith("principal:") for node in graph.nodes)
    findings = lint_paths([str(template)]).findings
    assert {"RL401", "RL405"} <= {f.rule_id for f in findings}


_SESSION_MODULE = """\
data "aws_caller_identity" "current" {}

locals {
  account = data.aws_caller_identity.current.account_id
}

resource "aws_iam_role" "worker" {
  name_prefix        = "ci-"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole",
                   Principal = { Service = "codebuild.amazonaws.com" } }]
  })
}

resource "aws_iam_role" "admin" {
  name                = "admin"
  managed_policy_arns = ["arn:aws:iam::aws:policy/AdministratorAccess"]
  assume_role_policy  = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = {
      AWS = "arn:aws:sts::${local.account}:assumed-role/${aws_iam_role.worker.name}/ci"
    } }]
  })
}
"""


def test_a_session_of_a_terraform_role_by_reference_is_a_hop_from_that_role(
    tmp_path: Path,
) -> None:
    """``aws_iam_role.worker.name`` of a role named by ``name_prefix`` is the prefix and the
    stand-in for what Terraform generates, in the session ARN as in the role's."""
    (tmp_path / "main.tf").write_text(_SESSION_MODULE)
    inventory, report = read_inventory([str(tmp_path)])
    assert not report.errors
    graph = build_graph(inventory)
    hops = [(e.source, e.target) for e in graph.edges if e.source.startswith("role:")]
    module = tmp_path / "main.tf"
    assert hops == [(f"role:{module}#aws_iam_role.worker", f"role:{module}#aws_iam_role.admin")]
    assert not any(node.startswith("principal:") for node in graph.nodes)


@pytest.mark.parametrize(
    "principal",
    [
        '!Sub "arn:aws:sts::${AWS::AccountId}:assumed-role/${Who}/build-session"',
        '"arn:aws:sts::999988887777:assumed-role/worker/build-session"',
        # A session name cannot hold '/' (RoleSessionName is [\\w+=,.@-]{2,64}): this is no
        # session of worker, whose path a user wrote in.
        '!Sub "arn:aws:sts::${AWS::AccountId}:assumed-role/worker/ci/build-session"',
        '!Sub "arn:aws:sts::${AWS::AccountId}:assumed-role/worker/x"',
    ],
)
def test_a_session_of_an_unknown_or_other_account_s_role_links_nothing(
    tmp_path: Path, principal: str
) -> None:
    template = tmp_path / "t.yaml"
    resource = '"*"'
    template.write_text(_SESSION_TEMPLATE.format(principal=principal, resource=resource))
    inventory, report = read_inventory([str(template)])
    assert not report.errors
    graph = build_graph(inventory)
    assert [e for e in graph.edges if e.source.startswith("role:")] == []


def test_a_session_principal_links_exported_roles_too(tmp_path: Path) -> None:
    statement = {"Effect": "Allow", "Action": "sts:AssumeRole"}
    session = "arn:aws:sts::111122223333:assumed-role/worker/build-session"
    roles = [
        {
            "RoleName": "admin",
            "Arn": "arn:aws:iam::111122223333:role/admin",
            "AssumeRolePolicyDocument": {
                "Version": "2012-10-17",
                "Statement": [{**statement, "Principal": {"AWS": session}}],
            },
        },
        {
            "RoleName": "worker",
            "Path": "/",
            "Arn": "arn:aws:iam::111122223333:role/worker",
            "AssumeRolePolicyDocument": {
                "Version": "2012-10-17",
                "Statement": [{**statement, "Principal": {"Service": "codebuild.amazonaws.com"}}],
            },
            "RolePolicyList": [
                {
                    "PolicyName": "a",
                    "PolicyDocument": {
                        "Version": "2012-10-17",
                        "Statement": [
                            {**statement, "Resource": "arn:aws:iam::111122223333:role/admin"}
                        ],
                    },
                }
            ],
        },
    ]
    export = tmp_path / "export.json"
    export.write_text(json.dumps({"RoleDetailList": roles}, indent=2))
    inventory, report = read_inventory([str(export)])
    assert not report.errors
    graph = build_graph(inventory)
    hops = [(e.source, e.target) for e in graph.edges if e.source.startswith("role:")]
    assert hops == [(f"role:{export}#{export}#worker", f"role:{export}#{export}#admin")]


def _export(tmp_path: Path, admin_trust: Sequence[object], **worker: object) -> Path:
    """An account export: ``admin`` (AdministratorAccess) with trust ``admin_trust``, and
    ``worker`` (trusted by CodeBuild, reading S3 only) with ``worker``'s extra fields."""
    roles = [
        {
            "RoleName": "admin",
            "Path": "/",
            "Arn": "arn:aws:iam::111122223333:role/admin",
            "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": admin_trust},
            "AttachedManagedPolicies": [
                {
                    "PolicyName": "AdministratorAccess",
                    "PolicyArn": "arn:aws:iam::aws:policy/AdministratorAccess",
                }
            ],
        },
        {
            "RoleName": "worker",
            "Path": "/",
            "Arn": "arn:aws:iam::111122223333:role/worker",
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
            **worker,
        },
    ]
    export = tmp_path / "account.json"
    export.write_text(json.dumps({"RoleDetailList": roles}, indent=1))
    return export


_DEPLOY = "arn:aws:sts::111122223333:assumed-role/worker/deploy"


ADMIN_ARN = "arn:aws:iam::111122223333:role/admin"


def _export_trusting(tmp_path: Path, principal: str) -> list[tuple[str, str]]:
    """The role-to-role hops of an account export where worker may assume admin and admin's
    trust names ``principal``, by role name."""
    grant = {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": ADMIN_ARN}
    roles = [
        exported_role("admin", trusted={"AWS": principal}),
        exported_role(
            "worker",
            trusted={"Service": "codebuild.amazonaws.com"},
            inline={"a": {"Version": "2012-10-17", "Statement": [grant]}},
        ),
    ]
    export = tmp_path / "export.json"
    export.write_text(json.dumps({"RoleDetailList": roles}, indent=2))
    inventory, report = read_inventory([str(export)])
    assert not report.errors
    graph = build_graph(inventory)
    return [
        (e.source.rsplit("#", 1)[1], e.target.rsplit("#", 1)[1])
        for e in graph.edges
        if e.source.startswith("role:")
    ]


@pytest.mark.parametrize(
    ("partition", "hop"),
    [
        ("aws", True),
        # The template's own partition, which every other reading of a hop lines up with the
        # role's: its session was no session at all, where its role ARN admits worker.
        ("${AWS::Partition}", True),
        # No partition parse_arn reads (a '${' never closed): its role ARN admits no one, and
        # its session admitted worker.
        ("${x", False),
    ],
)
def test_a_session_principal_is_read_as_its_role_arn_is(
    tmp_path: Path, partition: str, hop: bool
) -> None:
    """The sessions of a role were read by a regular expression of their own, which took the
    partition to be any text without a colon, while every other principal is read by
    parse_arn: the same trust admitted worker by its role ARN and not by its session, or the
    other way round."""
    session = f"arn:{partition}:sts::111122223333:assumed-role/worker/build-session"
    role = f"arn:{partition}:iam::111122223333:role/worker"
    expected = [("worker", "admin")] if hop else []
    assert _export_trusting(tmp_path, role) == expected
    assert _export_trusting(tmp_path, session) == expected


@pytest.mark.parametrize("bounded", [False, True])
def test_a_same_account_trust_naming_a_session_needs_no_permission(
    tmp_path: Path, bounded: bool
) -> None:
    """In its own account a trust naming a principal by ARN grants it directly, a role ARN as a
    session ARN: worker, with no sts:AssumeRole of its own, opens session ``deploy`` and
    assumes admin.  The role's boundary does not limit what is granted to a session ARN."""
    trust = [{"Effect": "Allow", "Principal": {"AWS": _DEPLOY}, "Action": "sts:AssumeRole"}]
    boundary = {
        "PermissionsBoundary": {
            "PermissionsBoundaryType": "Policy",
            "PermissionsBoundaryArn": "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess",
        }
    }
    export = _export(tmp_path, trust, **(boundary if bounded else {}))
    graph = build_graph(read_inventory([str(export)])[0])
    worker, admin = f"role:{export}#{export}#worker", f"role:{export}#{export}#admin"
    [edge] = [e for e in graph.edges if e.target == admin]
    assert (edge.source, edge.direct) == (worker, True)
    assert "by a session of it" in edge.how and "same account" in edge.how
    findings = lint_paths([str(export)]).findings
    chains = {(f.rule_id, f.severity.value, f.location.line) for f in findings}
    # RL401 at the session in admin's trust (line 13); RL405 from CodeBuild at worker's (line 36).
    assert {("RL401", "high", 13), ("RL405", "high", 36)} <= chains, chains
    # RL405 words the later hop as the trust policy writes it: a session, not the role's ARN.
    [chain] = [f for f in findings if f.rule_id == "RL405"]
    assert "worker by a session of it (" in chain.message, chain.message
    assert "by its ARN" not in chain.message


def test_a_session_an_allow_and_a_deny_both_name_is_refused(tmp_path: Path) -> None:
    """An explicit Deny of the very session an Allow admits wins: no hop, no RL401/RL405."""
    principal = '!Sub "arn:aws:sts::${AWS::AccountId}:assumed-role/worker/build-session"'
    text = _SESSION_TEMPLATE.format(principal=principal, resource='"*"')
    allow = f"""          - Effect: Allow
            Principal: {{AWS: {principal}}}
            Action: sts:AssumeRole
"""
    deny = allow.replace("Effect: Allow", "Effect: Deny")
    template = tmp_path / "t.yaml"
    template.write_text(text.replace(allow, allow + deny, 1))
    inventory, report = read_inventory([str(template)])
    assert not report.errors
    graph = build_graph(inventory)
    assert [e for e in graph.edges if e.source.startswith("role:")] == []
    rules = {f.rule_id for f in lint_paths([str(template)]).findings}
    assert not rules & {"RL401", "RL405"}, rules
    # A Deny of another session of worker refuses none of the others: the hop stays.
    template.write_text(text.replace(allow, allow + deny.replace("build-session", "other"), 1))
    graph = build_graph(read_inventory([str(template)])[0])
    assert [e.source for e in graph.edges if e.source.startswith("role:")] == [
        f"role:{template}#Worker"
    ]


@pytest.mark.parametrize("session_first", [True, False], ids=["session-first", "arn-first"])
def test_a_deny_of_a_session_leaves_the_role_s_arn_beside_it_admitting(
    tmp_path: Path, session_first: bool
) -> None:
    """A Deny of ``assumed-role/worker/build-session`` refuses that session only: the role's
    ARN in the same Allow admits worker's other sessions, so the hop stays.  With the session
    written first, the Deny of it refused the whole statement and the hop was gone."""
    session = '!Sub "arn:aws:sts::${AWS::AccountId}:assumed-role/worker/build-session"'
    role_arn = '!Sub "arn:aws:iam::${AWS::AccountId}:role/build/worker"'
    both = [session, role_arn] if session_first else [role_arn, session]
    text = _SESSION_TEMPLATE.format(principal=f"[{', '.join(both)}]", resource='"*"')
    allow = f"""          - Effect: Allow
            Principal: {{AWS: [{", ".join(both)}]}}
            Action: sts:AssumeRole
"""
    deny = f"""          - Effect: Deny
            Principal: {{AWS: {session}}}
            Action: sts:AssumeRole
"""
    assert allow in text
    template = tmp_path / "t.yaml"
    template.write_text(text.replace(allow, allow + deny, 1))
    inventory, report = read_inventory([str(template)])
    assert not report.errors
    graph = build_graph(inventory)
    [edge] = [e for e in graph.edges if e.source.startswith("role:")]
    assert (edge.source, edge.target) == (f"role:{template}#Worker", f"role:{template}#Admin")
    assert "by its ARN" in edge.how


def test_a_role_trusting_a_session_of_itself_keeps_it_as_a_party(tmp_path: Path) -> None:
    """The graph draws no edge from a role to itself (RL404 reports it); the session still
    shows among the role's callers, as it did before sessions were linked to their role."""
    session = "arn:aws:sts::111122223333:assumed-role/worker/renew"
    export = _export(tmp_path, [])
    data = json.loads(export.read_text())
    data["RoleDetailList"][1]["AssumeRolePolicyDocument"]["Statement"].append(
        {"Effect": "Allow", "Principal": {"AWS": session}, "Action": "sts:AssumeRole"}
    )
    export.write_text(json.dumps(data, indent=1))
    graph = build_graph(read_inventory([str(export)])[0])
    worker = f"role:{export}#{export}#worker"
    assert (f"principal:{session}", worker) in {(e.source, e.target) for e in graph.edges}
    [finding] = [f for f in lint_paths([str(export)]).findings if f.rule_id == "RL404"]
    assert "trusts itself" in finding.message


_DENIED_SESSION = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Admin:
    Type: AWS::IAM::Role
    Properties:
      RoleName: admin
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal:
              AWS:
                - !Sub arn:${{AWS::Partition}}:sts::${{AWS::AccountId}}:assumed-role/worker/nightly
                - !Sub arn:${{AWS::Partition}}:iam::${{AWS::AccountId}}:{beside}
            Action: sts:AssumeRole
          - Effect: Deny
            Principal:
              AWS: !Sub arn:${{AWS::Partition}}:sts::${{AWS::AccountId}}:assumed-role/worker/nightly
            Action: sts:AssumeRole
      ManagedPolicyArns: [arn:aws:iam::aws:policy/AdministratorAccess]
  Worker:
    Type: AWS::IAM::Role
    Properties:
      RoleName: worker
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {{Service: ec2.amazonaws.com}}
            Action: sts:AssumeRole
"""


def test_a_denied_session_beside_the_account_root_spares_no_permission(tmp_path: Path) -> None:
    """The Allow names worker's session ``nightly`` and the account root; a Deny refuses the
    session.  The root only hands the decision to worker's own policies, which allow no
    sts:AssumeRole: no hop.  The root's admission, from the same statement, stood in for the
    denied session and drew a hop needing "no permission of its own" (RL401, RL405)."""
    template = tmp_path / "t.yaml"
    template.write_text(_DENIED_SESSION.format(beside="root"))
    inventory, report = read_inventory([str(template)])
    assert not report.errors
    graph = build_graph(inventory)
    assert [e for e in graph.edges if e.source.startswith("role:")] == []
    rules = {f.rule_id for f in lint_paths([str(template)]).findings}
    assert not rules & {"RL401", "RL405"}, rules


def test_a_denied_session_beside_the_role_s_arn_is_a_hop_by_the_arn(tmp_path: Path) -> None:
    """Beside the denied session, the role's ARN admits worker (which needs no permission in
    its own account): the hop is named by the ARN and points at its line (14), not at the
    denied session's (13)."""
    template = tmp_path / "t.yaml"
    template.write_text(_DENIED_SESSION.format(beside="role/worker"))
    inventory, report = read_inventory([str(template)])
    assert not report.errors
    graph = build_graph(inventory)
    [edge] = [e for e in graph.edges if e.source.startswith("role:")]
    assert (edge.source, edge.target) == (f"role:{template}#Worker", f"role:{template}#Admin")
    assert edge.named_by == "its ARN"
    assert edge.trust is not None and edge.trust.line == 14
    [chain] = [f for f in lint_paths([str(template)]).findings if f.rule_id == "RL401"]
    assert chain.location.line == 14
    assert "names Worker by its ARN" in chain.message, chain.message


def test_organization_conditions_are_read_once_per_statement_and_each_party_keeps_its_ids(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``"*"`` under an organization condition, organizations declared: the graph read the
    statement's organization conditions twice (once for the user's organizations, once for
    another's) and told a party of the user's own organizations by splitting its joined name
    ("o-a, o-b") back into ids.  They are read once and each party keeps its ids: both
    declared organizations are one party of the user's own; of a condition naming a declared
    organization beside another one, each is a party, the declared one the user's own."""
    from rolelint.checks import external_id
    from rolelint.model import AccountContext

    reads: list[object] = []
    read = external_id._organization_limits

    def counted(*args: object) -> object:
        reads.append(args[0])
        return read(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(external_id, "_organization_limits", counted)
    mine, other = "o-aaaaaaaaaa", "o-bbbbbbbbbb"
    template = tmp_path / "template.yaml"
    both = f"""\
          - Effect: Allow
            Principal: "*"
            Action: sts:AssumeRole
            Condition: {{StringEquals: {{aws:PrincipalOrgID: [{other}, {mine}]}}}}"""
    cases = [
        (frozenset({mine, other}), [(f"organization:{mine}, {other}", False)]),
        (
            frozenset({mine}),
            [(f"organization:{mine}", False), (f"organization:{other}", True)],
        ),
    ]
    for org_ids, expected in cases:
        reads.clear()
        template.write_text(_TEMPLATE.format(statements=both))
        inventory, report = read_inventory(
            [str(template)], accounts=AccountContext(org_ids=org_ids)
        )
        assert not report.errors
        graph = build_graph(inventory)
        parties = sorted(
            (n.id, n.external) for n in graph.nodes.values() if n.id.startswith("organization:")
        )
        assert parties == expected
        assert len(reads) == 1, org_ids
        edges = [e for e in graph.edges if e.source.startswith("organization:")]
        assert all("(aws:PrincipalOrgID)" in e.how for e in edges)


# --- a role ARN's name read in time linear in the ARN ------------------------------------------

_ROLE_PIECES = ["role/", "/", "a", ".", "#", "*", "?", "<", ">", "%3E", "\x00", "<generated:"]
_ROLE_PIECES += ["<unresolved name:", "/<unresolved path:", "role/<generated:m#aws_iam_role.r"]


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(_ROLE_PIECES), max_size=12).map("".join))
def test_a_role_resource_is_read_as_its_expression_reads_it(text: str) -> None:
    """hops._role_resource is the expression's full match (the role's name it reads, or
    none), for every text, however its stand-ins' openers and ">" lie."""
    resource = "role/" + text
    found, expected = hops._role_resource(resource), hops._ROLE_RESOURCE.fullmatch(resource)
    assert (found and found["name"]) == (expected and expected["name"])


class _ReadFromOpeners:
    """The role expression, counting in ``read`` what it may read from the openers of the
    texts it is given that end no match: for the "/" before it, the expression reads on from
    each to the next ">" (or the end) before it tries the next "/" to the left.  (An opener
    whose ">" ends the text ends the match: read once.)"""

    def __init__(self, read: list[int]) -> None:
        self._read = read

    def fullmatch(self, text: str) -> object:
        for opener in re.finditer("<(?:generated|unresolved name):", text):
            closer = text.find(">", opener.end())
            if closer != len(text) - 1:
                self._read[0] += (len(text) if closer < 0 else closer) - opener.start()
        return _ROLE_EXPRESSION.fullmatch(text)


_ROLE_EXPRESSION = hops._ROLE_RESOURCE


@pytest.mark.parametrize(
    "name",
    [
        "/<generated:a" * 20_000,  # no ">" at all
        "/<generated:a" * 20_000 + ">x",  # a ">" that ends no name
        "/<generated:a>" * 20_000 + "*",  # each closed, none at the end
    ],
)
def test_a_role_arn_s_name_is_read_once(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    """A role ARN whose path holds 20,000 ``/<generated:a`` (a RoleName or Path may be
    written so) took 4.7 s to tell whose sessions it names: the expression read from each
    opener to the next ">" for each "/" before it."""
    read = [0]
    monkeypatch.setattr(hops, "_ROLE_RESOURCE", _ReadFromOpeners(read))
    arn = "arn:aws:iam::111122223333:role" + name
    assert hops.role_of_sessions(arn) is None
    assert read[0] <= len(arn)  # about len(arn) ** 2 / 26 when read from every opener


@pytest.mark.parametrize("named", [False, True])
def test_a_grant_naming_many_roles_compares_each_resource_with_its_own_role(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, named: bool
) -> None:
    """One grant of sts:AssumeRole whose Resource names 60 roles (``!GetAtt Ri.Arn``) was
    compared resource by resource with every role (3,600 comparisons; with 2,000 roles without
    a name, 85 s): a literal ARN is looked up, and compared only with the roles of its ARN."""
    count = 60
    root = {"Fn::Sub": "arn:aws:iam::${AWS::AccountId}:root"}
    trust = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"AWS": root}, "Action": "sts:AssumeRole"}],
    }
    resources: dict[str, object] = {
        f"R{n}": {
            "Type": "AWS::IAM::Role",
            "Properties": {
                "AssumeRolePolicyDocument": trust,
                **({"RoleName": f"role-{n}"} if named else {}),
            },
        }
        for n in range(count)
    }
    statement = {
        "Effect": "Allow",
        "Action": "sts:AssumeRole",
        "Resource": [{"Fn::GetAtt": [f"R{n}", "Arn"]} for n in range(count)],
    }
    resources["Holder"] = {
        "Type": "AWS::IAM::Role",
        "Properties": {
            "AssumeRolePolicyDocument": trust,
            "Policies": [
                {
                    "PolicyName": "p",
                    "PolicyDocument": {"Version": "2012-10-17", "Statement": [statement]},
                }
            ],
        },
    }
    template = tmp_path / "t.json"
    template.write_text(json.dumps({"Resources": resources}))
    inventory, report = read_inventory([str(template)])
    assert not report.errors
    calls = count_calls(monkeypatch, hops, "_names_target")
    graph = build_graph(inventory)
    holder = next(node for node in graph.nodes.values() if node.label.endswith("Holder"))
    targets = {edge.target for edge in graph.edges if edge.source == holder.id}
    assert len(targets) == count  # every role, each reached
    assert calls.count <= 2 * count  # a resource per role, not every resource with every role


def _dense_hops(template: Path) -> set[tuple[str, str]]:
    """Every hop of :func:`dense_roles`' roles, matched pair by pair: each role's pattern with
    every other role's ARN (each trusts its account's root)."""
    document = json.loads(template.read_text())
    arns: dict[str, str] = {}
    patterns: dict[str, str] = {}
    for logical_id, resource in document["Resources"].items():
        arns[logical_id] = f"arn:aws:iam::{{account}}:role/{resource['Properties']['RoleName']}"
        policy = resource["Properties"]["Policies"][0]["PolicyDocument"]
        patterns[logical_id] = policy["Statement"][0]["Resource"]
    return {
        (source, target)
        for source, pattern in patterns.items()
        for target, arn in arns.items()
        if target != source and re.fullmatch(pattern.replace("*", ".*"), arn)
    }


def test_a_dense_graph_matches_each_pattern_with_each_role_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """120 roles, each allowed sts:AssumeRole on one of 12 role-name patterns that name about
    half of the others: each pattern was matched with every role once per role holding it
    (120 x 120 matches; 640,000 for 800 roles), where 12 x 120 say the same.  The hops are
    every pair the pattern names, as matched one by one."""
    count = 120
    template = dense_roles(tmp_path, count)
    inventory, report = read_inventory([str(template)])
    assert not report.errors
    calls = count_calls(monkeypatch, hops, "_names_target")
    graph = build_graph(inventory)
    labels = {node.id: node.label for node in graph.nodes.values()}
    found = {(labels[e.source], labels[e.target]) for e in graph.edges if e.grant is not None}
    assert found == _dense_hops(template)
    assert len(found) > count * count // 3
    assert calls.count <= 12 * count


def test_a_dense_graph_keeps_each_hop_in_few_bytes(tmp_path: Path) -> None:
    """Each of the 7,000 hops of 120 roles (300,000 of 800 roles) kept its words as a text of
    its own, and a copy of its target's id: over 500 bytes a hop (170 MB for 800 roles).  The
    words are joined from pieces the hops share (Edge.said), and the ids are the nodes'."""
    inventory, report = read_inventory([str(dense_roles(tmp_path, 120))])
    assert not report.errors
    with traced_memory() as memory:
        graph = build_graph(inventory)
    assert len(graph.edges) > 5_000
    assert memory.kept / len(graph.edges) < 400
    edge = next(edge for edge in graph.edges if edge.grant is not None)
    assert edge.how == "".join(edge.said)
    assert edge.how.startswith("inline policy 'p' of role ")
    assert " and the trust policy of " in edge.how
