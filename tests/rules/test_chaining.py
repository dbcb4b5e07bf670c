"""RL401 role chaining on model objects: how a hop is matched, severities, paths, cycles."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from itertools import count, pairwise
from pathlib import Path

import pytest

from rolelint.api import lint_paths, read_inventory
from rolelint.checks.base import LISTED
from rolelint.checks.chaining import MAX_HOPS
from rolelint.checks.stand_ins import arn_matches, arn_may_match
from rolelint.engine import Selection, run_checks
from rolelint.findings import Finding, PathHop, Severity
from rolelint.graph.hops import principal_admits
from rolelint.model import (
    THIS_ACCOUNT,
    AccountContext,
    Condition,
    Inventory,
    ManagedPolicyRef,
    PolicyDocument,
    PolicyKind,
    Principal,
    PrincipalKind,
    Role,
    Statement,
    Value,
)
from rolelint.parsers import parse_source
from rolelint.source import SourceRef, Span
from tests.conftest import dense_roles
from tests.rules.harness import exported_role, findings_of, line_of

FILE = "roles.yaml"
ADMIN_ARN = "arn:aws:iam::aws:policy/AdministratorAccess"
_lines = count(100)


def ref(line: int | None = None, file: str = FILE) -> SourceRef:
    number = next(_lines) if line is None else line
    return SourceRef(file, Span(number, 7, number, 20))


def value(text: str | None, line: int | None = None, file: str = FILE) -> Value:
    return Value(text, ref(line, file), None if text is not None else "a parameter")


def arn(name: str, account: str = THIS_ACCOUNT, partition: str = "aws") -> str:
    return f"arn:{partition}:iam::{account}:role/{name}"


def allow(
    actions: tuple[str, ...] = ("sts:AssumeRole",),
    resources: tuple[Value, ...] = (),
    effect: str = "Allow",
) -> Statement:
    return Statement(
        ref=ref(),
        effect=value(effect),
        actions=tuple(value(action) for action in actions),
        resources=resources,
        has_action=True,
    )


def permissions(
    *statements: Statement, kind: PolicyKind = PolicyKind.PERMISSIONS
) -> PolicyDocument:
    return PolicyDocument(kind, ref(), "Owner", "inline policy 'p' of role Owner", statements)


def trust(
    *principals: str, kind: PrincipalKind = PrincipalKind.AWS, effect: str = "Allow"
) -> PolicyDocument:
    statement = Statement(
        ref=ref(),
        effect=value(effect),
        actions=(value("sts:AssumeRole"),),
        principals=tuple(Principal(kind, value(text)) for text in principals),
        has_action=True,
    )
    return PolicyDocument(PolicyKind.TRUST, ref(), "Owner", "trust policy", (statement,))


def role(
    name: str,
    *,
    assumes: tuple[str | None, ...] = (),
    trusts: tuple[str, ...] = (),
    admin: bool = False,
    role_arn: str | None = None,
    line: int = 1,
    file: str = FILE,
    extra: tuple[PolicyDocument, ...] = (),
) -> Role:
    """A role that may assume ``assumes`` (resource patterns) and is trusted by ``trusts``."""
    policies = list(extra)
    if assumes:
        policies.append(permissions(allow(resources=tuple(value(r, file=file) for r in assumes))))
    return Role(
        id=name,
        ref=SourceRef(file, Span(line, 3, line, 3 + len(name))),
        arn=Value(role_arn if role_arn is not None else arn(name.lower()), ref(line, file)),
        trust_policy=trust(*trusts)
        if trusts
        else trust("ec2.amazonaws.com", kind=PrincipalKind.SERVICE),
        policies=tuple(policies),
        managed_policy_arns=(ManagedPolicyRef(value(ADMIN_ARN)),) if admin else (),
    )


ROOT = f"arn:aws:iam::{THIS_ACCOUNT}:root"


def chains(*roles: Role) -> list[Finding]:
    return run_checks(Inventory(roles=list(roles)), Selection(select=["RL401"]))


def paths(findings: list[Finding]) -> list[tuple[str, ...]]:
    return sorted(tuple(hop.node for hop in finding.path) for finding in findings)


# --- matching helpers -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "matches"),
    [
        ("*", True),
        (arn("deploy"), True),
        (f"arn:aws:iam::{THIS_ACCOUNT}:role/dep*", True),
        (f"arn:aws:iam::{THIS_ACCOUNT}:role/deplo?", True),
        (f"arn:aws:iam::{THIS_ACCOUNT}:role/Deploy", False),  # resources are case-sensitive
        (f"arn:${{AWS::Partition}}:iam::{THIS_ACCOUNT}:role/deploy", True),
        (f"arn:aws-cn:iam::{THIS_ACCOUNT}:role/deploy", False),
        ("arn:aws:iam::111122223333:role/deploy", False),
        (f"arn:aws:iam::{THIS_ACCOUNT}:role/deploy-*", False),
    ],
)
def test_resource_patterns(pattern: str, matches: bool) -> None:
    assert arn_matches(pattern, arn("deploy")) is matches


@pytest.mark.parametrize(
    "partition",
    ["aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f", "aws-eusc"],
)
def test_the_template_partition_names_a_role_of_every_partition(partition: str) -> None:
    """``arn:${AWS::Partition}:...`` names the role once deployed in the role's partition: the
    hops knew five partitions, so a role in aws-iso-e, aws-iso-f or aws-eusc was neither
    matched by such a Resource nor admitted by such an account root."""
    target = arn("deploy", "111122223333", partition)
    assert arn_matches("arn:${AWS::Partition}:iam::111122223333:role/deploy", target)
    assert arn_matches("arn:${AWS::Partition}:iam::111122223333:role/dep*", target)
    assert principal_admits("arn:${AWS::Partition}:iam::111122223333:root", target) == (
        "its account root ('arn:${AWS::Partition}:iam::111122223333:root')"
    )
    # A partition AWS does not have names no role, whatever the template's.
    assert not arn_matches(
        "arn:${AWS::Partition}:iam::111122223333:role/deploy",
        arn("deploy", "111122223333", "aws-typo"),
    )


def test_principal_admits_by_root_id_arn_wildcard_and_anyone() -> None:
    target = arn("ci")
    assert principal_admits("*", target) == "anyone ('*')"
    assert principal_admits(ROOT, target) is not None
    assert principal_admits(f"arn:${{AWS::Partition}}:iam::{THIS_ACCOUNT}:root", target)
    assert principal_admits(THIS_ACCOUNT, target) is not None
    assert principal_admits(target, target) == "its ARN"
    assert principal_admits(f"arn:aws:iam::{THIS_ACCOUNT}:role/c*", target) is not None
    assert principal_admits("arn:aws:iam::111122223333:root", target) is None
    assert principal_admits("111122223333", target) is None
    assert principal_admits(arn("other"), target) is None
    literal = arn("ci", account="111122223333")
    assert principal_admits("111122223333", literal) is not None
    assert principal_admits("arn:aws:iam::111122223333:root", literal) is not None


# --- direct hops ----------------------------------------------------------------------------------


def test_hop_to_admin_through_account_root_is_high_and_points_at_the_resource() -> None:
    ci = role("CiRole", assumes=(arn("adminrole"),), line=3)
    admin = role("AdminRole", trusts=(ROOT,), admin=True, line=30)
    [finding] = chains(ci, admin)
    resource = ci.policies[0].statements[0].resources[0]
    assert finding.location == resource.ref
    assert finding.severity is Severity.HIGH
    assert finding.role == "CiRole"
    assert finding.path == (PathHop("CiRole", FILE, 3), PathHop("AdminRole", FILE, 30))
    assert finding.message.startswith("Role CiRole can assume role AdminRole (")
    assert "AdministratorAccess" in finding.message
    assert "account root" in finding.message


def test_a_grant_of_everything_but_a_few_resources_is_administrator_level() -> None:
    """Allow * with NotResource one bucket made the target only 'more privileged' (low)."""
    everything_but = Statement(
        ref=ref(),
        effect=value("Allow"),
        actions=(value("*"),),
        not_resources=(value("arn:aws:s3:::audit/*"),),
        has_action=True,
        has_not_resource=True,
    )
    ci = role("CiRole", assumes=(arn("adminrole"),))
    admin = role("AdminRole", trusts=(ROOT,), extra=(permissions(everything_but),))
    [finding] = chains(ci, admin)
    assert finding.severity is Severity.HIGH
    assert "every resource except 'arn:aws:s3:::audit/*' (NotResource)" in finding.message


def test_two_roles_of_one_name_in_two_files_are_told_apart() -> None:
    """One template deployed per environment: both Admin roles are reachable.  The two hops read
    the same and were one finding; each now names the file and line of its role."""
    ci = role("CiRole", assumes=(arn("admin"),), line=3, file="ci.yaml")
    prod = role("Admin", trusts=(ROOT,), admin=True, line=5, file="prod.yaml")
    staging = role("Admin", trusts=(ROOT,), admin=True, line=7, file="staging.yaml")
    found = chains(ci, prod, staging)
    assert [f.message[: f.message.index(")") + 1] for f in found] == [
        "Role CiRole can assume role Admin (prod.yaml:5)",
        "Role CiRole can assume role Admin (staging.yaml:7)",
    ]
    assert "; Admin (staging.yaml:7) has administrator-level access" in found[1].message
    assert len({f.fingerprint for f in found}) == 2
    lone = chains(ci, prod)  # a name no other role has stays as it is
    assert [f.message[: f.message.index(" (")] for f in lone] == [
        "Role CiRole can assume role Admin"
    ]


def test_hop_through_wildcard_trust_arn() -> None:
    ci = role("CiRole", assumes=(arn("adminrole"),))
    admin = role("AdminRole", trusts=(f"arn:aws:iam::{THIS_ACCOUNT}:role/ci*",), admin=True)
    assert paths(chains(ci, admin)) == [("CiRole", "AdminRole")]


def test_hop_through_exact_arn_and_anyone() -> None:
    ci = role("CiRole", assumes=("*",))
    by_arn = role("ByArn", trusts=(arn("cirole"),), admin=True)
    by_anyone = role("ByAnyone", trusts=("*",))
    findings = chains(ci, by_arn, by_anyone)
    assert paths(findings) == [("CiRole", "ByAnyone"), ("CiRole", "ByArn")]
    severities = {f.path[-1].node: f.severity for f in findings}
    assert severities == {"ByArn": Severity.HIGH, "ByAnyone": Severity.LOW}


def test_sts_wildcard_actions_count_case_insensitively() -> None:
    for action in ("sts:*", "STS:Assume*", "*"):
        statement = allow(actions=(action,), resources=(value(arn("adminrole")),))
        ci = role("CiRole", extra=(permissions(statement),))
        admin = role("AdminRole", trusts=(ROOT,), admin=True)
        assert paths(chains(ci, admin)) == [("CiRole", "AdminRole")], action


def test_no_hop_when_the_trust_policy_does_not_admit_the_caller() -> None:
    ci = role("CiRole", assumes=(arn("adminrole"),))
    cases = [
        role("AdminRole", admin=True),  # a service principal only
        role("AdminRole", trusts=("arn:aws:iam::111122223333:root",), admin=True),
        role("AdminRole", trusts=(arn("other"),), admin=True),
    ]
    for admin in cases:
        assert chains(ci, admin) == []


def test_no_hop_when_anything_is_unresolved() -> None:
    admin = role("AdminRole", trusts=(ROOT,), admin=True)
    assert chains(role("CiRole", assumes=(None,)), admin) == []
    unknown_target = replace(admin, arn=value(None))
    assert chains(role("CiRole", assumes=("*",)), unknown_target) == []
    unknown_caller = replace(role("CiRole", assumes=("*",)), arn=value(None))
    assert chains(unknown_caller, admin) == []
    unknown_principal = Statement(
        ref=ref(),
        effect=value("Allow"),
        actions=(value("sts:AssumeRole"),),
        principals=(Principal(PrincipalKind.AWS, value(None)),),
        has_action=True,
    )
    assert admin.trust_policy is not None
    unknown_trust = replace(
        admin, trust_policy=replace(admin.trust_policy, statements=(unknown_principal,))
    )
    assert chains(role("CiRole", assumes=("*",)), unknown_trust) == []


def test_no_hop_without_permission_or_when_denied() -> None:
    admin = role("AdminRole", trusts=(ROOT,), admin=True)
    other = role("CiRole", assumes=(arn("deploy"),))
    assert chains(other, admin) == []
    deny = allow(resources=(value(arn("adminrole")),), effect="Deny")
    denied = role("CiRole", assumes=("*",), extra=(permissions(deny),))
    assert chains(denied, admin) == []
    boundary = permissions(
        allow(actions=("s3:*",), resources=(value("*"),)), kind=PolicyKind.BOUNDARY
    )
    bounded = role("CiRole", assumes=("*",), extra=(boundary,))
    assert chains(bounded, admin) == []


def _bounded_caller(boundary_statement: Statement) -> Role:
    boundary = permissions(boundary_statement, kind=PolicyKind.BOUNDARY)
    return role("CiRole", assumes=(arn("adminrole"),), extra=(boundary,))


def test_a_boundary_with_not_resource_allows_the_roles_it_does_not_list() -> None:
    """A boundary 'Allow * NotResource <a bucket>' removed the hop: only its Resource values
    were read."""
    admin = role("AdminRole", trusts=(ROOT,), admin=True)
    everything_but = Statement(
        ref=ref(),
        effect=value("Allow"),
        actions=(value("*"),),
        not_resources=(value("arn:aws:s3:::secret-bucket/*"),),
        has_action=True,
        has_not_resource=True,
    )
    ci = _bounded_caller(everything_but)
    [finding] = chains(ci, admin)
    assert finding.rule_id == "RL401"
    assert finding.location == ci.policies[1].statements[0].resources[0].ref
    assert finding.severity is Severity.HIGH
    # A NotResource naming the target still takes the hop away.
    naming_it = replace(everything_but, not_resources=(value(arn("admin*")),))
    assert chains(_bounded_caller(naming_it), admin) == []


def test_an_unresolved_boundary_value_caps_nothing_in_the_graph_either() -> None:
    """As for the permission rules (rolelint.checks.effective): a boundary Resource not known
    may be the one allowing the hop; it removed the hop."""
    admin = role("AdminRole", trusts=(ROOT,), admin=True)
    unknown = allow(actions=("*",), resources=(value(None),))
    ci = _bounded_caller(unknown)
    [finding] = chains(ci, admin)
    assert finding.rule_id == "RL401"
    assert finding.location == ci.policies[1].statements[0].resources[0].ref
    assert finding.severity is Severity.HIGH


def _deny_all_but(*spared: str) -> PolicyDocument:
    return permissions(
        Statement(
            ref=ref(),
            effect=value("Deny"),
            actions=(value("sts:AssumeRole"),),
            not_resources=tuple(value(text) for text in spared),
            has_action=True,
            has_not_resource=True,
            not_resource_ref=ref(),
        )
    )


def test_a_deny_of_every_role_but_a_few_removes_the_hop_to_the_others() -> None:
    """'Deny sts:AssumeRole, NotResource: role/deploy-only' denies every other role: the hop
    to AdminRole stood (RL401 high), since a NotResource Deny was judged only on '*'."""
    admin = role("AdminRole", trusts=(ROOT,), admin=True)
    ci = role("CiRole", assumes=("*",), extra=(_deny_all_but(arn("deploy-only")),))
    assert chains(ci, admin) == []
    # A Deny that spares the target, by name or by a pattern, leaves the hop.
    for spared in (arn("adminrole"), arn("admin*"), "arn:aws:iam::*:role/*"):
        kept = role("CiRole", assumes=("*",), extra=(_deny_all_but(spared),))
        [finding] = chains(kept, admin)
        assert finding.rule_id == "RL401"
        assert finding.location == kept.policies[1].statements[0].resources[0].ref
    # One that may name it (a literal account against the symbolic one) leaves it too.
    doubt = role("CiRole", assumes=("*",), extra=(_deny_all_but(arn("adminrole", "111122223333")),))
    assert [f.rule_id for f in chains(doubt, admin)] == ["RL401"]


def test_deny_in_trust_naming_the_caller_removes_the_hop() -> None:
    admin = role("AdminRole", trusts=(ROOT,), admin=True)
    assert admin.trust_policy is not None
    deny = trust(arn("cirole"), effect="Deny").statements[0]
    admin = replace(
        admin,
        trust_policy=replace(admin.trust_policy, statements=(*admin.trust_policy.statements, deny)),
    )
    assert chains(role("CiRole", assumes=("*",)), admin) == []


def _deny_everyone_but(operator: str, key: str, *excepted: str | None) -> Statement:
    """``Deny "*" sts:AssumeRole`` unless ``key`` is one of ``excepted``: the form AWS
    recommends in place of NotPrincipal."""
    condition = Condition(operator, key, tuple(value(text) for text in excepted), ref())
    return replace(trust("*", effect="Deny").statements[0], conditions=(condition,))


def _admin_trusting_root_with(deny: Statement) -> Role:
    admin = role("AdminRole", trusts=(ROOT,), admin=True)
    assert admin.trust_policy is not None
    statements = (*admin.trust_policy.statements, deny)
    return replace(admin, trust_policy=replace(admin.trust_policy, statements=statements))


@pytest.mark.parametrize(
    ("operator", "key", "excepted", "hop"),
    [
        # CiRole is not the break-glass role: the Deny applies to it, and wins.
        ("ArnNotEquals", "aws:PrincipalArn", (arn("breakglass"),), False),
        ("StringNotEquals", "aws:PrincipalArn", (arn("breakglass"),), False),
        ("ArnNotLike", "aws:PrincipalArn", (arn("breakglass-*"),), False),
        ("ArnNotEqualsIfExists", "aws:PrincipalArn", (arn("breakglass"),), False),
        ("StringNotEquals", "aws:PrincipalType", ("User",), False),
        # Excepted, by name or by a pattern: the Deny spares it.
        ("ArnNotEquals", "aws:PrincipalArn", (arn("breakglass"), arn("cirole")), True),
        ("ArnNotLike", "aws:PrincipalArn", (arn("ci*"),), True),
        ("StringNotEquals", "aws:PrincipalAccount", (THIS_ACCOUNT,), True),
        # What may name it is no certain refusal: an account written literally may be the
        # scan's own (${AWS::AccountId}), a value rolelint cannot read may be its ARN, a key
        # it cannot know (a tag) may hold any value.
        ("ArnNotEquals", "aws:PrincipalArn", (arn("cirole", "111122223333"),), True),
        ("StringNotEquals", "aws:PrincipalAccount", ("111122223333",), True),
        ("ArnNotEquals", "aws:PrincipalArn", (None,), True),
        ("StringNotEquals", "aws:PrincipalTag/team", ("ops",), True),
        ("ForAnyValue:StringNotEquals", "aws:PrincipalArn", (arn("breakglass"),), True),
    ],
)
def test_a_trust_deny_of_everyone_but_named_callers_refuses_the_others(
    operator: str, key: str, excepted: tuple[str | None, ...], hop: bool
) -> None:
    """AdminRole admits its account root, and denies everyone but the break-glass role: CiRole
    reached it anyway (RL401 high), since only Denies without a condition were judged."""
    admin = _admin_trusting_root_with(_deny_everyone_but(operator, key, *excepted))
    found = chains(role("CiRole", assumes=("*",)), admin)
    assert [(f.rule_id, f.severity) for f in found] == ([("RL401", Severity.HIGH)] if hop else [])


def test_roles_in_different_files_are_joined() -> None:
    ci = role("CiRole", assumes=(arn("adminrole"),), file="ci.yaml", line=4)
    admin = role("AdminRole", trusts=(ROOT,), admin=True, file="admin.yaml", line=9)
    [finding] = chains(ci, admin)
    assert finding.file == "ci.yaml"
    assert finding.path == (PathHop("CiRole", "ci.yaml", 4), PathHop("AdminRole", "admin.yaml", 9))


# --- severity -------------------------------------------------------------------------------------


def test_hop_from_an_admin_is_not_reported_and_to_a_plain_role_is_low() -> None:
    admin_caller = role("CiRole", assumes=(arn("adminrole"),), admin=True)
    admin = role("AdminRole", trusts=(ROOT,), admin=True)
    assert chains(admin_caller, admin) == []  # an administrator gains nothing by the hop
    plain = role("AdminRole", trusts=(ROOT,))
    [finding] = chains(role("CiRole", assumes=(arn("adminrole"),)), plain)
    assert finding.severity is Severity.LOW


@pytest.mark.parametrize(
    ("action", "privileged"),
    [
        ("*", True),
        ("iam:*", True),
        ("iam:PassRole", True),
        ("iam:Put*Policy", True),
        ("iam:AttachRolePolicy", True),
        ("iam:CreatePolicyVersion", True),
        ("iam:Get*", False),
        ("s3:*", False),
    ],
)
def test_what_counts_as_more_privileged(action: str, privileged: bool) -> None:
    grant = permissions(allow(actions=(action,), resources=(value("*"),)))
    target = role("AdminRole", trusts=(ROOT,), extra=(grant,))
    [finding] = chains(role("CiRole", assumes=(arn("adminrole"),)), target)
    assert (finding.severity is Severity.HIGH) is privileged


def test_admin_on_one_resource_only_is_not_admin() -> None:
    grant = permissions(allow(actions=("*",), resources=(value("arn:aws:s3:::bucket/*"),)))
    target = role("AdminRole", trusts=(ROOT,), extra=(grant,))
    [finding] = chains(role("CiRole", assumes=(arn("adminrole"),)), target)
    assert finding.severity is Severity.LOW


@pytest.mark.parametrize(
    ("action", "resource", "privileged"),
    [
        ("iam:PassRole", f"arn:aws:iam::{THIS_ACCOUNT}:role/*", True),
        ("iam:AttachRolePolicy", "arn:aws:iam::*:role/*", True),
        ("iam:PassRole", f"arn:aws:iam::{THIS_ACCOUNT}:role/deploy", False),
        ("iam:PassRole", f"arn:aws:iam::{THIS_ACCOUNT}:user/*", False),
    ],
)
def test_an_escalation_on_every_role_is_administrator_level_as_rl206_says(
    action: str, resource: str, privileged: bool
) -> None:
    """RL206 reports iam:PassRole on ``role/*``, yet the graph called such a role admin-level
    only for ``"*"``: a hop to it was low."""
    grant = permissions(allow(actions=(action,), resources=(value(resource),)))
    target = role("AdminRole", trusts=(ROOT,), extra=(grant,))
    [finding] = chains(role("CiRole", assumes=(arn("adminrole"),)), target)
    assert (finding.severity is Severity.HIGH) is privileged
    rl206 = run_checks(Inventory(roles=[target]), Selection(select=["RL206"]))
    assert bool(rl206) is privileged


def test_every_iam_action_on_every_iam_resource_is_administrator_level_as_rl201_says() -> None:
    """``iam:*`` on every IAM resource of the account is RL201, every IAM action, as on
    ``"*"``: the graph called it admin-level only as a privilege escalation."""
    resource = f"arn:aws:iam::{THIS_ACCOUNT}:*"
    grant = permissions(allow(actions=("iam:*",), resources=(value(resource),)))
    target = role("AdminRole", trusts=(ROOT,), extra=(grant,))
    [finding] = chains(role("CiRole", assumes=(arn("adminrole"),)), target)
    assert finding.severity is Severity.HIGH
    assert (
        f"has administrator-level access ('iam:*' on '{resource}' in inline policy 'p' of role "
        "Owner)" in finding.message
    )
    [rl201] = run_checks(Inventory(roles=[target]), Selection(select=["RL201"]))
    assert rl201.location == grant.statements[0].actions[0].ref


def test_an_escalation_a_boundary_leaves_on_every_role_is_administrator_level() -> None:
    """iam:* on "*" under a boundary allowing iam:* on ``role/*`` still attaches any policy to
    any role of the account: RL206 says so, and the graph called the role not admin-level."""
    grant = permissions(allow(actions=("iam:*",), resources=(value("*"),)))
    every_role = permissions(
        allow(actions=("iam:*",), resources=(value(f"arn:aws:iam::{THIS_ACCOUNT}:role/*"),)),
        kind=PolicyKind.BOUNDARY,
    )
    target = role("AdminRole", trusts=(ROOT,), extra=(grant, every_role))
    [finding] = chains(role("CiRole", assumes=(arn("adminrole"),)), target)
    assert finding.severity is Severity.HIGH
    assert "'iam:*' on '*' in inline policy 'p' of role Owner, a privilege escalation" in (
        finding.message
    )
    # A boundary allowing IAM on one role only leaves no escalation: a plain hop.
    one_role = permissions(
        allow(actions=("iam:*",), resources=(value(arn("deploy")),)), kind=PolicyKind.BOUNDARY
    )
    capped = role("AdminRole", trusts=(ROOT,), extra=(grant, one_role))
    [plain] = chains(role("CiRole", assumes=(arn("adminrole"),)), capped)
    assert plain.severity is Severity.LOW


# --- transitive paths -----------------------------------------------------------------------------


def test_three_hop_chain_to_admin() -> None:
    a = role("A", assumes=(arn("b"),), line=1)
    b = role("B", assumes=(arn("c"),), trusts=(arn("a"),), line=10)
    c = role("C", assumes=(arn("d"),), trusts=(arn("b"),), line=20)
    d = role("D", trusts=(arn("c"),), admin=True, line=30)
    findings = chains(a, b, c, d)
    assert paths(findings) == [
        ("A", "B"),
        ("A", "B", "C", "D"),
        ("B", "C"),
        ("B", "C", "D"),
        ("C", "D"),
    ]
    longest = next(f for f in findings if len(f.path) == 4)
    assert longest.severity is Severity.HIGH
    assert longest.location == a.policies[0].statements[0].resources[0].ref
    assert [hop.line for hop in longest.path] == [1, 10, 20, 30]
    assert "through B, C" in longest.message
    direct = {f.path: f.severity for f in findings if len(f.path) == 2}
    assert direct[(PathHop("C", FILE, 20), PathHop("D", FILE, 30))] is Severity.HIGH
    assert direct[(PathHop("A", FILE, 1), PathHop("B", FILE, 10))] is Severity.LOW


def test_chains_longer_than_the_limit_are_not_reported() -> None:
    names = [f"R{i}" for i in range(MAX_HOPS + 2)]
    roles = []
    for index, name in enumerate(names):
        following = (arn(names[index + 1].lower()),) if index + 1 < len(names) else ()
        previous = (arn(names[index - 1].lower()),) if index else ()
        roles.append(role(name, assumes=following, trusts=previous, admin=index == len(names) - 1))
    longest = max(len(path) for path in paths(chains(*roles)))
    assert longest == MAX_HOPS + 1  # hops + 1 nodes, never more


def test_cycle_terminates_and_each_target_is_reported_once() -> None:
    a = role("A", assumes=(arn("b"),), trusts=(arn("b"),))
    b = role("B", assumes=(arn("a"), arn("c")), trusts=(arn("a"),))
    c = role("C", trusts=(arn("b"),), admin=True)
    found = paths(chains(a, b, c))
    assert found == [("A", "B"), ("A", "B", "C"), ("B", "A"), ("B", "C")]


def test_no_transitive_path_from_an_admin_or_through_one() -> None:
    a = role("A", assumes=(arn("b"),))
    b = role("B", assumes=(arn("c"),), trusts=(ROOT,), admin=True)
    c = role("C", trusts=(ROOT,), admin=True)
    # A -> B is reported (high); A -> B -> C adds nothing; hops between admins are not reported.
    findings = chains(a, b, c)
    assert paths(findings) == [("A", "B")]


def test_transitive_and_direct_to_the_same_admin_reports_the_direct_hop_only() -> None:
    a = role("A", assumes=(arn("b"), arn("c")))
    b = role("B", assumes=(arn("c"),), trusts=(arn("a"),))
    c = role("C", trusts=(ROOT,), admin=True)
    assert paths(chains(a, b, c)) == [("A", "B"), ("A", "C"), ("B", "C")]


def test_a_role_never_chains_to_itself() -> None:
    assert chains(role("A", assumes=("*",), trusts=(ROOT,), admin=True)) == []


def test_fingerprints_are_distinct_and_line_independent() -> None:
    ci = role("CiRole", assumes=("*",))
    one = chains(ci, role("X", trusts=(ROOT,)), role("Y", trusts=(ROOT,)))
    assert len({f.fingerprint for f in one}) == 2
    moved = chains(replace(ci, ref=ref(500)), role("X", trusts=(ROOT,), line=77))
    assert moved[0].fingerprint == one[0].fingerprint


# --- through the real pipeline --------------------------------------------------------------------

CI_TEMPLATE = """\
Resources:
  CiRole:
    Type: AWS::IAM::Role
    Properties:
      RoleName: ci
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal:
              Service: codebuild.amazonaws.com
            Action: sts:AssumeRole
      Policies:
        - PolicyName: assume-admin
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: sts:AssumeRole
                Resource: arn:aws:iam::123456789012:role/platform-admin
"""

ADMIN_TEMPLATE = """\
Resources:
  PlatformAdmin:
    Type: AWS::IAM::Role
    Properties:
      RoleName: platform-admin
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal:
              AWS: !Sub arn:${AWS::Partition}:iam::${AWS::AccountId}:role/ci
            Action: sts:AssumeRole
      Policies:
        - PolicyName: everything
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: iam:*
                Resource: "*"
"""


def test_templates_of_one_run_are_chained_together(tmp_path: Path) -> None:
    ci = tmp_path / "ci.yaml"
    admin = tmp_path / "admin.yaml"
    # The CI template names the admin role with a literal account: that is not the symbolic
    # account of the admin template, so the two match only once both use the same account.
    ci.write_text(CI_TEMPLATE.replace("123456789012", "${AWS::AccountId}"), encoding="utf-8")
    admin.write_text(ADMIN_TEMPLATE, encoding="utf-8")
    report = lint_paths([str(ci), str(admin)])
    assert report.errors == []
    chained = [f for f in report.findings if f.rule_id == "RL401"]
    assert [(f.file, f.location.line, f.severity) for f in chained] == [
        (str(ci), 20, Severity.HIGH)
    ]
    assert chained[0].path == (
        PathHop("CiRole", str(ci), 2),
        PathHop("PlatformAdmin", str(admin), 2),
    )
    # Each template alone has no chain.
    assert [f for f in lint_paths([str(ci)]).findings if f.rule_id == "RL401"] == []


def test_literal_and_symbolic_accounts_do_not_match(tmp_path: Path) -> None:
    # The CI role's permission names a literal account, the admin role's own ARN is symbolic:
    # the permission does not match.  The admin trust policy names the CI role by ARN in the
    # same (symbolic) account, which AWS honours without any permission: the hop stands, and
    # says so.
    ci = tmp_path / "ci.yaml"
    admin = tmp_path / "admin.yaml"
    ci.write_text(CI_TEMPLATE, encoding="utf-8")
    admin.write_text(ADMIN_TEMPLATE, encoding="utf-8")
    report = lint_paths([str(ci), str(admin)])
    [finding] = [f for f in report.findings if f.rule_id == "RL401"]
    assert "names CiRole by its ARN (same account: no permission of its own is needed)" in (
        finding.message
    )
    assert "allows sts:AssumeRole" not in finding.message


USER_BY_ATTRIBUTE = """\
Resources:
  Dev:
    Type: AWS::IAM::User
    Properties:
      UserName: dev
      Path: /eng/
  Team:
    Type: AWS::IAM::Group
  Admin:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Principal: {AWS: !GetAtt Dev.Arn}, Action: sts:AssumeRole}
          - {Effect: Allow, Principal: {AWS: !Sub "${Dev.Arn}"}, Action: sts:TagSession}
          - {Effect: Allow, Principal: {AWS: !GetAtt Team.Arn}, Action: sts:AssumeRole}
      ManagedPolicyArns: [arn:aws:iam::aws:policy/AdministratorAccess]
  Other:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Principal: {AWS: !Sub "${Dev.Arn}"}, Action: sts:AssumeRole}
      ManagedPolicyArns: [arn:aws:iam::aws:policy/AdministratorAccess]
"""


def test_a_trust_naming_a_user_by_its_attribute_lets_the_user_in(tmp_path: Path) -> None:
    """``Principal: {AWS: !GetAtt Dev.Arn}`` (or ``${Dev.Arn}``) was never resolved, so the
    user reaching an admin role was missed (the same trust written as the ARN's text was
    reported).  The ARN is the user's, with its Path; a group has an ARN too, but IAM takes
    no group as a principal: it admits nobody, and RL111 says IAM refuses it."""
    code = USER_BY_ATTRIBUTE
    findings = findings_of(code, "yaml", tmp_path)
    chained = [(f.rule_id, f.location.line, f.message) for f in findings if f.rule_id == "RL401"]
    assert [(rule, line) for rule, line, _ in chained] == [
        ("RL401", line_of(code, "!GetAtt Dev.Arn")),
        ("RL401", line_of(code, '!Sub "${Dev.Arn}"}, Action: sts:AssumeRole')),
    ]
    assert all(message.startswith("User Dev can assume role") for _, _, message in chained)
    team = [f for f in findings if f.location.line == line_of(code, "!GetAtt Team.Arn")]
    assert [f.rule_id for f in team] == ["RL111"]
    assert "an IAM group cannot be a principal" in team[0].message
    trust = next(r for r in parse_source("t.yaml", code).inventory.roles if r.id == "Admin")
    assert trust.trust_policy is not None
    named = [s.principals[0].value for s in trust.trust_policy.statements]
    assert [v.text for v in named] == [
        f"arn:aws:iam::{THIS_ACCOUNT}:user/eng/dev",
        f"arn:aws:iam::{THIS_ACCOUNT}:user/eng/dev",
        f"arn:aws:iam::{THIS_ACCOUNT}:group/<generated:t.yaml#Team>",
    ]
    assert named[0].ref.line == line_of(code, "!GetAtt Dev.Arn")  # where the trust names it


ROLE_PATHS = """\
Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    RolePath: /svc/
Resources:
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
              - Effect: Allow
                Action: sts:AssumeRole
                Resource: !Sub "arn:aws:iam::${AWS::AccountId}:role/svc/*"
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: i.h
      CodeUri: .
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {AWS: !Sub "arn:aws:iam::${AWS::AccountId}:root"}
            Action: sts:AssumeRole
      Policies: [AdministratorAccess]
  Elsewhere:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: i.h
      CodeUri: .
      RolePath: /other/
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {AWS: !Sub "arn:aws:iam::${AWS::AccountId}:root"}
            Action: sts:AssumeRole
      Policies: [AdministratorAccess]
  Flow:
    Type: AWS::Serverless::StateMachine
    Properties:
      DefinitionUri: flow.json
      RolePath: /svc/
      Policies: [AdministratorAccess]
"""


def test_the_role_sam_generates_takes_the_role_path(tmp_path: Path) -> None:
    """``RolePath`` (a function's own, or from ``Globals``; a state machine's) was ignored: the
    role SAM generates got ``role/<generated>``, so a grant of sts:AssumeRole on
    ``role/svc/*`` did not reach it (RL401 missed).  SAM gives the path to that role."""
    code = ROLE_PATHS
    findings = findings_of(code, "yaml", tmp_path)
    chained = [f for f in findings if f.rule_id == "RL401"]
    assert [(f.location.line, f.path[-1].node) for f in chained] == [
        (line_of(code, "role/svc/*"), "FnRole")  # not ElsewhereRole, in /other/
    ]
    roles = {r.id: r for r in parse_source("t.yaml", code).inventory.roles}
    generated = {name: f"<generated:t.yaml#{name}>" for name in roles}
    assert {name: roles[name].arn.text for name in ("FnRole", "ElsewhereRole", "FlowRole")} == {
        "FnRole": f"arn:aws:iam::{THIS_ACCOUNT}:role/svc/{generated['FnRole']}",
        "ElsewhereRole": f"arn:aws:iam::{THIS_ACCOUNT}:role/other/{generated['ElsewhereRole']}",
        "FlowRole": f"arn:aws:iam::{THIS_ACCOUNT}:role/svc/{generated['FlowRole']}",
    }


NAME_PREFIX = """\
data "aws_caller_identity" "current" {}

resource "aws_iam_role" "caller" {
  name = "caller"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{
      Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "ec2.amazonaws.com" }
    }]
  })
  inline_policy {
    name = "hop"
    policy = jsonencode({
      Version = "2012-10-17"
      Statement = [{
        Effect   = "Allow"
        Action   = "sts:AssumeRole"
        Resource = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:role/ci-*"
      }]
    })
  }
}

resource "aws_iam_role" "ci" {
  name_prefix = "ci-"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { AWS = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:root" }
    }]
  })
  managed_policy_arns = ["arn:aws:iam::aws:policy/AdministratorAccess"]
}

resource "aws_iam_role" "other" {
  name_prefix = "ops-"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { AWS = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:root" }
    }]
  })
  managed_policy_arns = ["arn:aws:iam::aws:policy/AdministratorAccess"]
}
"""


def test_a_terraform_role_named_by_prefix_is_reached_by_a_grant_on_the_prefix(
    tmp_path: Path,
) -> None:
    """``name_prefix = "ci-"`` was dropped: the role's ARN was ``role/<generated>``, so
    sts:AssumeRole on ``role/ci-*`` did not reach it (RL401 missed).  Terraform names it
    the prefix and a unique suffix; a role of another prefix stays out of reach."""
    (tmp_path / "main.tf").write_text(NAME_PREFIX, encoding="utf-8")
    report = lint_paths([str(tmp_path)])
    assert report.errors == []
    chained = [f for f in report.findings if f.rule_id == "RL401"]
    assert [(f.location.line, f.path[-1].node) for f in chained] == [
        (line_of(NAME_PREFIX, ":role/ci-*"), "aws_iam_role.ci")
    ]


def test_finding_points_at_the_exact_arn_and_at_action_over_not_action() -> None:
    not_action = Statement(
        ref=ref(),
        effect=value("Allow"),
        not_actions=(value("iam:*"),),
        resources=(value("*"),),
        has_not_action=True,
    )
    exact = value(arn("adminrole"))
    ci = role(
        "CiRole",
        extra=(permissions(not_action), permissions(allow(resources=(value("*"), exact)))),
    )
    [finding] = chains(ci, role("AdminRole", trusts=(ROOT,), admin=True))
    assert finding.location == exact.ref
    wildcard_only = role(
        "CiRole", extra=(permissions(not_action), permissions(allow(resources=(value("*"),))))
    )
    [finding] = chains(wildcard_only, role("AdminRole", trusts=(ROOT,), admin=True))
    assert finding.location == wildcard_only.policies[1].statements[0].resources[0].ref


def test_a_target_is_admin_only_with_every_iam_action_left_after_its_denies() -> None:
    ci = role("CiRole", assumes=(arn("adminrole"),))
    everything = permissions(allow(actions=("*",), resources=(value("*"),)))
    no_iam = permissions(allow(actions=("iam:*",), resources=(value("*"),), effect="Deny"))
    admin = role("AdminRole", trusts=(ROOT,), extra=(everything,))
    [to_admin] = chains(ci, admin)
    assert to_admin.severity.value == "high" and "administrator" in to_admin.message
    # Every action but IAM's: no longer an admin hop, a low one ...
    capped = role("AdminRole", trusts=(ROOT,), extra=(everything, no_iam))
    [to_capped] = chains(ci, capped)
    assert to_capped.severity.value == "low"
    # ... while NotAction that leaves IAM in is admin.
    loose = Statement(
        ref=ref(),
        effect=value("Allow"),
        not_actions=(value("s3:*"),),
        resources=(value("*"),),
        has_not_action=True,
        not_action_ref=ref(),
    )
    not_action = role("AdminRole", trusts=(ROOT,), extra=(permissions(loose),))
    assert [f.severity.value for f in chains(ci, not_action)] == ["high"]


def test_not_action_leaving_an_escalation_in_is_administrator_level() -> None:
    """NotAction iam:DeleteRole on '*' grants iam:PassRole and the rest: the hop to it was low,
    since only Action values were searched for an escalation."""
    loose = Statement(
        ref=ref(),
        effect=value("Allow"),
        not_actions=(value("iam:DeleteRole"),),
        resources=(value("*"),),
        has_not_action=True,
        not_action_ref=ref(),
    )
    ci = role("CiRole", assumes=(arn("deployrole"),))
    deploy = role("DeployRole", trusts=(ROOT,), extra=(permissions(loose),))
    [finding] = chains(ci, deploy)
    assert finding.rule_id == "RL401"
    assert finding.location == ci.policies[0].statements[0].resources[0].ref
    assert finding.severity is Severity.HIGH
    assert "(NotAction granting iam:PassRole on '*' in inline policy 'p'" in finding.message
    # Leaving out every escalation method leaves a role that is only more privileged.
    spared = replace(loose, not_actions=(value("iam:*"),))
    plain = role("DeployRole", trusts=(ROOT,), extra=(permissions(spared),))
    assert [f.severity for f in chains(ci, plain)] == [Severity.LOW]


def test_sts_assume_role_on_every_resource_but_a_few_reaches_the_others() -> None:
    """Action sts:AssumeRole with NotResource grants it on every role not listed: such a
    grant made no hop at all, since only Resource values were matched."""
    but_unrelated = Statement(
        ref=ref(),
        effect=value("Allow"),
        actions=(value("sts:AssumeRole"),),
        not_resources=(value(arn("unrelated")),),
        has_action=True,
        has_not_resource=True,
        not_resource_ref=ref(),
    )
    ci = role("CiRole", extra=(permissions(but_unrelated),))
    admin = role("AdminRole", trusts=(ROOT,), admin=True)
    unrelated = role("Unrelated", trusts=(ROOT,), admin=True)
    [finding] = chains(ci, admin, unrelated)
    assert finding.rule_id == "RL401"
    assert finding.location == but_unrelated.not_resource_ref
    assert finding.severity is Severity.HIGH
    assert finding.path[-1].node == "AdminRole"
    assert f"on every resource except '{arn('unrelated')}' (NotResource)" in finding.message


def test_pass_role_only_to_tagged_roles_is_not_administrator_level() -> None:
    """RL206 is silent on iam:PassRole limited to roles tagged team=build; the hop to its
    holder was high, 'administrator-level ... a privilege escalation'."""
    tag = Condition("StringEquals", "iam:ResourceTag/team", (value("build"),), ref(), ref())
    tagged = replace(allow(actions=("iam:PassRole",), resources=(value("*"),)), conditions=(tag,))
    ci = role("CiRole", assumes=(arn("deployrole"),))
    deploy = role("DeployRole", trusts=(ROOT,), extra=(permissions(tagged),))
    [finding] = chains(ci, deploy)
    assert finding.rule_id == "RL401"
    assert finding.location == ci.policies[0].statements[0].resources[0].ref
    assert finding.severity is Severity.LOW
    # A negated tag test passes every other role: still administrator-level.
    negated = replace(tagged, conditions=(replace(tag, operator="StringNotEquals"),))
    loose = role("DeployRole", trusts=(ROOT,), extra=(permissions(negated),))
    assert [f.severity for f in chains(ci, loose)] == [Severity.HIGH]


def test_an_escalation_under_a_condition_only_pass_role_meets_is_not_admin() -> None:
    """No iam:AttachRolePolicy request carries iam:PassedToService: the statement never grants
    it, and its holder is no administrator."""
    passed = Condition(
        "StringEquals", "iam:PassedToService", (value("lambda.amazonaws.com"),), ref()
    )
    attach = replace(
        allow(actions=("iam:AttachRolePolicy",), resources=(value("*"),)), conditions=(passed,)
    )
    ci = role("CiRole", assumes=(arn("deployrole"),))
    deploy = role("DeployRole", trusts=(ROOT,), extra=(permissions(attach),))
    [finding] = chains(ci, deploy)
    assert finding.rule_id == "RL401"
    assert finding.location == ci.policies[0].statements[0].resources[0].ref
    assert finding.severity is Severity.LOW


def test_every_iam_action_under_passed_to_service_is_no_full_administrator() -> None:
    """``iam:*`` on '*' under StringEquals iam:PassedToService grants iam:PassRole alone: the
    hop to its holder said 'administrator-level ('iam:*' on '*' ...)', every IAM action."""
    passed = Condition("StringEquals", "iam:PassedToService", (value("ec2.amazonaws.com"),), ref())
    iam = replace(allow(actions=("iam:*",), resources=(value("*"),)), conditions=(passed,))
    ci = role("CiRole", assumes=(arn("deployrole"),))
    deploy = role("DeployRole", trusts=(ROOT,), extra=(permissions(iam),))
    [finding] = chains(ci, deploy)
    assert finding.location == ci.policies[0].statements[0].resources[0].ref
    # What is left is what RL206 reports: iam:PassRole on any role, an escalation.
    assert "on '*' in inline policy 'p' of role Owner, a privilege escalation" in finding.message


def test_an_action_without_a_service_prefix_makes_no_administrator() -> None:
    """'iam*' on '*' names no action (IAM refuses it, RL605): the hop to its holder was high,
    'administrator-level ('iam*' on '*' ...)'."""
    ci = role("CiRole", assumes=(arn("deployrole"),))
    prefixless = permissions(allow(actions=("iam*", "*iam*"), resources=(value("*"),)))
    deploy = role("DeployRole", trusts=(ROOT,), extra=(prefixless,))
    [finding] = chains(ci, deploy)
    assert finding.location == ci.policies[0].statements[0].resources[0].ref
    assert finding.severity is Severity.LOW


def test_attach_limited_to_named_policies_is_not_administrator_level() -> None:
    """iam:AttachRolePolicy on '*' under ArnEquals iam:PolicyARN naming a customer policy: RL206
    is silent, yet the hop to its holder was high, 'administrator-level ... escalation'."""
    named = Condition(
        "ArnEquals", "iam:PolicyARN", (value(f"arn:aws:iam::{THIS_ACCOUNT}:policy/logs"),), ref()
    )
    attach = replace(
        allow(actions=("iam:AttachRolePolicy",), resources=(value("*"),)), conditions=(named,)
    )
    ci = role("CiRole", assumes=(arn("deployrole"),))
    deploy = role("DeployRole", trusts=(ROOT,), extra=(permissions(attach),))
    [finding] = chains(ci, deploy)
    assert finding.location == ci.policies[0].statements[0].resources[0].ref
    assert finding.severity is Severity.LOW
    admin = (value("arn:aws:iam::aws:policy/AdministratorAccess"),)
    loose = replace(attach, conditions=(replace(named, values=admin),))
    deploy = role("DeployRole", trusts=(ROOT,), extra=(permissions(loose),))
    assert [f.severity for f in chains(ci, deploy)] == [Severity.HIGH]


def test_assume_role_under_passed_to_service_is_no_hop() -> None:
    """No sts:AssumeRole request carries iam:PassedToService: the statement grants no hop."""
    passed = Condition("StringEquals", "iam:PassedToService", (value("ec2.amazonaws.com"),), ref())
    ci = role("CiRole", assumes=(arn("deployrole"),))
    [assume] = ci.policies[0].statements
    ci = replace(ci, policies=(permissions(replace(assume, conditions=(passed,))),))
    assert chains(ci, role("DeployRole", trusts=(ROOT,), admin=True)) == []


# --- RL402, RL404, RL405 on the assume-role graph -------------------------------------------------


def graph_findings(rule: str, *roles: Role) -> list[Finding]:
    return graph_findings_of((rule,), *roles)


def graph_findings_of(rules: tuple[str, ...], *roles: Role) -> list[Finding]:
    return run_checks(Inventory(roles=list(roles)), Selection(select=list(rules)))


def test_rl402_one_finding_per_circle_of_any_length() -> None:
    # Trust by account root: each hop needs the caller's own permission.
    a = role("A", assumes=(arn("b"),), trusts=(ROOT,), line=1)
    b = role("B", assumes=(arn("c"),), trusts=(ROOT,), line=2)
    c = role("C", assumes=(arn("a"),), trusts=(ROOT,), line=3)
    lone = role("D", assumes=(arn("a"),), trusts=(ROOT,), line=4)  # reaches the circle, not in it
    [finding] = graph_findings("RL402", a, b, c, lone)
    assert "Roles A, B, C can assume one another in a circle" in finding.message
    assert [hop.node for hop in finding.path] == ["A", "B", "C", "A"]
    # Break one hop (C may no longer assume A): no circle.
    assert graph_findings("RL402", a, b, role("C", trusts=(ROOT,), line=3), lone) == []
    # A trust policy naming a same-account role by ARN needs no permission: the circle is back.
    named = role("A", assumes=(arn("b"),), trusts=(arn("c"),), line=1)
    assert len(graph_findings("RL402", named, b, role("C", trusts=(ROOT,), line=3), lone)) == 1


TRUST_ONLY_CIRCLE = """\
Resources:
  BlueRole:
    Type: AWS::IAM::Role
    Properties:
      RoleName: blue
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal:
              AWS: !Sub arn:aws:iam::${AWS::AccountId}:role/green
            Action: sts:AssumeRole
  GreenRole:
    Type: AWS::IAM::Role
    Properties:
      RoleName: green
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal:
              AWS: !Sub arn:aws:iam::${AWS::AccountId}:role/blue
            Action: sts:AssumeRole
"""


def test_rl402_on_a_circle_of_trust_hops_points_at_the_trust_making_its_first_hop(
    tmp_path: Path,
) -> None:
    """A circle whose hops are made by trust policies naming the roles (no permission at all)
    was reported at its first role's definition, though the first hop (Blue -> Green) is made
    by Green's trust principal, where RL401 points for that hop and where a reviewer acts."""
    code = TRUST_ONLY_CIRCLE
    findings = findings_of(code, "yaml", tmp_path)
    [circle] = [f for f in findings if f.rule_id == "RL402"]
    first_hop = line_of(code, "role/blue")  # Green's trust names Blue
    assert (circle.location.line, circle.location.column) == (first_hop, 20)
    assert [hop.node for hop in circle.path] == ["BlueRole", "GreenRole", "BlueRole"]
    hop = next(
        f for f in findings if f.rule_id == "RL401" and f.message.startswith("Role BlueRole")
    )
    assert hop.location.line == first_hop


def test_rl404_a_role_naming_itself_but_not_its_account_root() -> None:
    itself = role("Poller", trusts=(arn("poller"),))
    [finding] = graph_findings("RL404", itself)
    assert finding.severity is Severity.INFO and "trusts itself" in finding.message
    # A chaining finding always has its path (CONTRACT.md): the one hop from the role to itself.
    assert [(hop.node, hop.file, hop.line) for hop in finding.path] == [
        ("Poller", itself.ref.file, itself.ref.line),
        ("Poller", itself.ref.file, itself.ref.line),
    ]
    pattern = role("Poller", trusts=(f"arn:aws:iam::{THIS_ACCOUNT}:role/poll*",))
    assert len(graph_findings("RL404", pattern)) == 1
    assert graph_findings("RL404", role("Poller", trusts=(ROOT,))) == []


def test_rl404_a_role_naming_a_session_of_itself() -> None:
    """``assumed-role/poller/renew`` is poller: it opens that session and, from it, assumes
    poller again, the self-renewal RL404 describes."""
    session = f"arn:aws:sts::{THIS_ACCOUNT}:assumed-role/poller/renew"
    itself = role("Poller", trusts=(session,))
    [finding] = graph_findings("RL404", itself)
    assert f"Role Poller trusts itself ('{session}')" in finding.message
    # A session of another role is not the role itself.
    other = f"arn:aws:sts::{THIS_ACCOUNT}:assumed-role/worker/renew"
    assert graph_findings("RL404", role("Poller", trusts=(other,))) == []


SELF_TRUST = """\
Resources:
  WorkerRole:
    Type: AWS::IAM::Role
    Properties:
      RoleName: worker
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal:
              AWS: !Sub NAMED
            Action: sts:AssumeRole
"""
SELF_SESSION = "arn:aws:sts::${AWS::AccountId}:assumed-role/worker/build-session"
SELF_ARN = "arn:aws:iam::${AWS::AccountId}:role/worker"


def _self_trust(named: str, *, condition: str = "", deny: str = "") -> str:
    """WorkerRole trusting ``named``, its Allow under ``condition`` (YAML lines), with ``deny``
    (a statement's YAML lines) after it."""
    code = SELF_TRUST.replace("NAMED", named)
    return code + (f"            Condition:\n{condition}" if condition else "") + deny


def _self_deny(principal: str, condition: str = "") -> str:
    return (
        "          - Effect: Deny\n"
        f"            Principal: {principal}\n"
        "            Action: sts:AssumeRole\n"
        + (f"            Condition:\n{condition}" if condition else "")
    )


def _equals(key: str, text: str) -> str:
    return f"              StringEquals:\n                {key}: !Sub {text}\n"


@pytest.mark.parametrize(
    ("named", "deny"),
    [
        (SELF_SESSION, _self_deny(f"{{AWS: !Sub '{SELF_SESSION}'}}")),
        (SELF_SESSION, _self_deny('"*"', _equals("aws:PrincipalArn", SELF_ARN))),
        (SELF_ARN, _self_deny('"*"', _equals("aws:PrincipalArn", SELF_ARN))),
        (SELF_ARN, _self_deny(f"{{AWS: !Sub '{SELF_ARN}'}}")),
    ],
    ids=["session-denied", "session-by-principal-arn", "arn-by-principal-arn", "arn-denied"],
)
def test_rl404_a_self_trust_a_deny_refuses_is_no_finding(
    tmp_path: Path, named: str, deny: str
) -> None:
    """RL404 matched the Allow's principal alone: a trust naming the role (or a session of it)
    that a Deny refuses to the role was still "trusts itself", though the graph found no hop.
    It now asks the graph's own question (trust_admissions)."""
    code = _self_trust(named, deny=deny)
    assert [f for f in findings_of(code, "yaml", tmp_path) if f.rule_id == "RL404"] == []
    # Without the Deny the role trusts itself, reported at the principal.
    (tmp_path / "open").mkdir()
    code = _self_trust(named)
    [finding] = [f for f in findings_of(code, "yaml", tmp_path / "open") if f.rule_id == "RL404"]
    assert finding.location.line == line_of(code, "AWS: !Sub arn:")
    assert "Role WorkerRole trusts itself" in finding.message


def test_rl404_follows_the_graph_on_conditions_and_session_names(tmp_path: Path) -> None:
    """An Allow whose condition the role can never meet (aws:PrincipalArn names another role)
    admits no session of it: no RL404, as no hop.  A Deny of one session name
    (sts:RoleSessionName, which the caller chooses for the new session) refuses none of the
    others: RL404 stays, as the hop does."""
    other = "arn:aws:iam::${AWS::AccountId}:role/builder"
    never = _self_trust(SELF_ARN, condition=_equals("aws:PrincipalArn", other))
    assert [f for f in findings_of(never, "yaml", tmp_path) if f.rule_id == "RL404"] == []
    kept = _self_trust(SELF_ARN, deny=_self_deny('"*"', _equals("sts:RoleSessionName", "build")))
    (tmp_path / "kept").mkdir()
    [finding] = [f for f in findings_of(kept, "yaml", tmp_path / "kept") if f.rule_id == "RL404"]
    assert finding.location.line == line_of(kept, "AWS: !Sub arn:")


@pytest.mark.parametrize(
    "condition",
    [
        "              ArnEquals:\n"
        "                aws:PrincipalArn: arn:aws:iam::123456789012:role/worker\n",
        '              StringEquals:\n                aws:PrincipalAccount: "123456789012"\n',
    ],
    ids=["principal-arn", "principal-account"],
)
def test_rl404_a_condition_naming_the_own_account_by_its_number_may_hold(
    tmp_path: Path, condition: str
) -> None:
    """The role's ARN holds the template's account (``${AWS::AccountId}``), the condition a
    literal account: they may be the same account (the deployer's), so the role may meet it
    and trusts itself.  The stand-in and the number were compared as text, and RL404 went
    silent."""
    code = _self_trust(SELF_ARN, condition=condition)
    [finding] = [f for f in findings_of(code, "yaml", tmp_path) if f.rule_id == "RL404"]
    assert finding.location.line == line_of(code, "AWS: !Sub arn:")
    assert "Role WorkerRole trusts itself" in finding.message
    if "role/worker" in condition:
        # Another role of that account can never be this one: still refused.
        other = condition.replace("role/worker", "role/builder")
        (tmp_path / "other").mkdir()
        code = _self_trust(SELF_ARN, condition=other)
        found = findings_of(code, "yaml", tmp_path / "other")
        assert [f for f in found if f.rule_id == "RL404"] == []


def test_rl405_from_an_outside_account_through_a_role_to_an_admin() -> None:
    vendor = "arn:aws:iam::444455556666:root"
    entry = role("Gateway", assumes=(arn("admin"),), trusts=(vendor,), line=1)
    admin = role("Admin", trusts=(arn("gateway"),), admin=True, line=2)
    [finding] = graph_findings("RL405", entry, admin)
    assert finding.severity is Severity.HIGH
    assert finding.message.startswith("account 444455556666 can reach role Admin")
    assert [hop.node for hop in finding.path] == ["account 444455556666", "Gateway", "Admin"]
    # Trusted directly by the outside account, the admin role is the trust rules' concern.
    direct = role("Admin", trusts=(vendor,), admin=True, line=2)
    assert graph_findings("RL405", direct) == []
    assert finding.message.endswith(
        "the first hop is the trust policy of Gateway, the next ones its permissions"
    )


def test_rl405_names_a_later_hop_made_by_a_trust_policy_not_a_permission() -> None:
    """Worker holds no permission at all: Admin's trust names it by ARN, which in the same
    account needs none.  RL405 said "the next ones its permissions", so a reader looked for a
    permission that does not exist and could take the chain for a false one."""
    worker = role("Worker", line=1)  # trusted by ec2.amazonaws.com, no permission policy
    admin = role("Admin", trusts=(arn("worker"),), admin=True, line=2)
    [finding] = graph_findings("RL405", worker, admin)
    assert [hop.node for hop in finding.path] == ["ec2.amazonaws.com", "Worker", "Admin"]
    assert finding.message.endswith(
        "the first hop is the trust policy of Worker, "
        "then the trust policy of Admin naming Worker by its ARN"
    )
    # A permission, then a trust naming the role: each later hop by what makes it.
    entry = role("Entry", assumes=(arn("worker"),), line=1)
    middle = role("Worker", trusts=(ROOT,), line=3)
    [mixed] = graph_findings("RL405", entry, middle, admin)
    assert [hop.node for hop in mixed.path] == ["ec2.amazonaws.com", "Entry", "Worker", "Admin"]
    assert mixed.message.endswith(
        "the first hop is the trust policy of Entry, then a permission of Entry, "
        "then the trust policy of Admin naming Worker by its ARN"
    )


@pytest.mark.parametrize("order", ["as written", "reversed"])
def test_rl405_reports_the_shortest_chain_whichever_role_sorts_first(order: str) -> None:
    """Two roles trusted by the same service reach Admin: AppFn through Mid, ZetaFn directly.
    The walk from AppFn (first by id) was taken first and its longer chain kept, so the finding
    (its place, its fingerprint) hung on the names of the roles."""
    app = role("AppFn", assumes=(arn("mid"),), line=1)
    mid = role("Mid", assumes=(arn("admin"),), trusts=(ROOT,), line=2)
    zeta = role("ZetaFn", assumes=(arn("admin"),), line=3)
    admin = role("Admin", trusts=(ROOT,), admin=True, line=4)
    roles = [app, mid, zeta, admin]
    [finding] = graph_findings("RL405", *(roles if order == "as written" else roles[::-1]))
    assert [hop.node for hop in finding.path] == ["ec2.amazonaws.com", "ZetaFn", "Admin"]
    assert zeta.trust_policy is not None
    assert finding.location == zeta.trust_policy.statements[0].principals[0].value.ref
    assert "ec2.amazonaws.com -> ZetaFn -> Admin;" in finding.message
    # Of two chains of the same length, the one through the role first by id.
    bravo = role("Bravo", assumes=(arn("admin"),), trusts=(ROOT,), line=5)
    alpha = role("Alpha", assumes=(arn("admin"),), trusts=(ROOT,), line=6)
    two_ways = role("AppFn", assumes=(arn("bravo"), arn("alpha")), line=1)
    [tied] = graph_findings("RL405", two_ways, bravo, alpha, admin)
    assert [hop.node for hop in tied.path] == ["ec2.amazonaws.com", "AppFn", "Alpha", "Admin"]


STAGE_TEMPLATE = """\
Resources:
  CiRole:
    Type: AWS::IAM::Role
    Properties:
      RoleName: ci-{stage}
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal:
              Service: codebuild.amazonaws.com
            Action: sts:AssumeRole
      Policies:
        - PolicyName: deploy
          PolicyDocument:
            Statement:
              - Effect: Allow
                Action: sts:AssumeRole
                Resource: !Sub arn:aws:iam::${{AWS::AccountId}}:role/deploy-{stage}
  DeployRole:
    Type: AWS::IAM::Role
    Properties:
      RoleName: deploy-{stage}
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal:
              AWS: !Sub arn:aws:iam::${{AWS::AccountId}}:role/ci-{stage}
            Action: sts:AssumeRole
      Policies:
        - PolicyName: admin
          PolicyDocument:
            Statement:
              - Effect: Allow
                Action: sts:AssumeRole
                Resource: !Sub arn:aws:iam::${{AWS::AccountId}}:role/platform-admin
"""
SHARED_ADMIN = """\
Resources:
  PlatformAdmin:
    Type: AWS::IAM::Role
    Properties:
      RoleName: platform-admin
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal:
              AWS: !Sub arn:aws:iam::${AWS::AccountId}:root
            Action: sts:AssumeRole
      ManagedPolicyArns:
        - arn:aws:iam::aws:policy/AdministratorAccess
"""


def test_rl405_reports_the_chain_through_each_copy_of_a_template(tmp_path: Path) -> None:
    """One CI template deployed per stage (prod/ci.yaml, staging/ci.yaml): in each, CiRole,
    trusted by CodeBuild, reaches the shared PlatformAdmin through the stage's DeployRole.
    RL405 reported the chain of the first copy by id alone, so staging's CiRole, as open to
    CodeBuild, had no finding: none at its trust policy, none on its inventory row."""
    stages = ("prod", "staging")
    for stage in stages:
        (tmp_path / stage).mkdir()
        (tmp_path / stage / "ci.yaml").write_text(STAGE_TEMPLATE.format(stage=stage))
    (tmp_path / "admin.yaml").write_text(SHARED_ADMIN)
    files = [str(tmp_path / stage / "ci.yaml") for stage in stages]
    report = lint_paths([*files, str(tmp_path / "admin.yaml")])
    assert report.errors == []
    found = [f for f in report.findings if f.rule_id == "RL405"]
    assert [(f.file, f.location.line) for f in found] == [(file, 10) for file in files]
    assert [[(hop.node, hop.file) for hop in f.path] for f in found] == [
        [
            ("codebuild.amazonaws.com", ""),
            ("CiRole", file),
            ("DeployRole", file),
            ("PlatformAdmin", str(tmp_path / "admin.yaml")),
        ]
        for file in files
    ]
    assert [[(key.file, key.id) for key in f.holders] for f in found] == [
        [(file, "CiRole")] for file in files
    ]
    assert len({f.fingerprint for f in found}) == 2
    # prod's is the finding there was: its fingerprint is the one a baseline recorded.
    [alone] = [
        f
        for f in lint_paths([files[0], str(tmp_path / "admin.yaml")]).findings
        if f.rule_id == "RL405"
    ]
    assert alone.fingerprint == found[0].fingerprint


def _relay(hops: int) -> list[Role]:
    """R1 (trusted by ec2.amazonaws.com) -> R2 -> ... -> Admin, ``hops`` hops from R1, each
    role allowed sts:AssumeRole on the next and trusted by the previous one's ARN."""
    names = [f"R{i}" for i in range(1, hops + 1)] + ["Admin"]
    return [
        role(
            name,
            assumes=(arn(names[i + 1].lower()),) if i + 1 < len(names) else (),
            trusts=(arn(names[i - 1].lower()),) if i else (),
            admin=name == "Admin",
            line=i + 1,
        )
        for i, name in enumerate(names)
    ]


@pytest.mark.parametrize("hops", [3, 4, 7])
def test_rl405_follows_a_chain_of_any_length_to_an_admin(hops: int) -> None:
    """The service enters R1, which reaches Admin only through ``hops`` hops.  RL405 walked
    from R1 as RL401 does, three hops at most, and was silent from four on, though its
    rationale promises the chain of fewest hops, with no limit, and RL403 reported that very
    chain as longer than the depth.  Both now show the same chain."""
    roles = _relay(hops)
    names = [r.id for r in roles]
    findings = graph_findings_of(("RL403", "RL405"), *roles)
    [outside] = [f for f in findings if f.rule_id == "RL405"]
    assert [hop.node for hop in outside.path] == ["ec2.amazonaws.com", *names]
    assert outside.message.startswith("ec2.amazonaws.com can reach role Admin")
    # RL403 reports R1's chain past the depth (3), to the first role beyond it: the start of
    # the same chain, the same roles in the same order.
    long = [[hop.node for hop in f.path] for f in findings if f.rule_id == "RL403"]
    assert (names[: 3 + 2] in long) is (hops > 3)


def _trust_relay(hops: int) -> list[Role]:
    """R1 (trusted by ec2.amazonaws.com) -> R2 -> ... -> Admin, ``hops`` hops from R1, each
    role trusted by the previous one's ARN and holding no permission (in the same account the
    trust policy alone makes the hop)."""
    names = [f"R{i}" for i in range(1, hops + 1)] + ["Admin"]
    return [
        role(
            name,
            trusts=(arn(names[i - 1].lower()),) if i else (),
            admin=name == "Admin",
            line=i + 1,
        )
        for i, name in enumerate(names)
    ]


@pytest.mark.parametrize("relay", [_relay, _trust_relay], ids=["permissions", "trust policies"])
@pytest.mark.parametrize("hops", [LISTED - 1, LISTED, 300])
def test_rl405_names_the_first_roles_of_a_long_chain_and_counts_the_rest(
    relay: Callable[[int], list[Role]], hops: int
) -> None:
    """The message named every role of the chain, and every later hop that a trust policy
    makes: a ring of 5,000 roles in an account export made one message of 144,248 characters.
    It names the first ten, then "and N more", as RL402's circle does (docs/fuzzing.md); the
    finding's path keeps every hop."""
    roles = relay(hops)
    names = [r.id for r in roles]
    [finding] = graph_findings("RL405", *roles)
    assert [hop.node for hop in finding.path] == ["ec2.amazonaws.com", *names]
    shown = " -> ".join(names[:LISTED])
    if len(names) > LISTED:
        shown += f" and {len(names) - LISTED} more"
    assert f": ec2.amazonaws.com -> {shown}; the first hop is the trust policy of R1, " in (
        finding.message
    )
    if relay is _relay:
        assert finding.message.endswith(", the next ones its permissions")
    else:
        later = [f"the trust policy of {b} naming {a} by its ARN" for a, b in pairwise(names)]
        listed = ", then ".join(later[:LISTED])
        if len(later) > LISTED:
            listed += f" and {len(later) - LISTED} more"
        assert finding.message.endswith(f", then {listed}")
    assert len(finding.message) < 2_000


@pytest.mark.parametrize(
    ("condition", "reported"),
    [
        (None, False),  # the service holds Admin in one step: the chain adds nothing
        (Condition("StringEquals", "aws:SourceAccount", (value(THIS_ACCOUNT),), ref()), True),
    ],
)
def test_rl405_not_to_an_admin_the_party_is_trusted_by_directly(
    condition: Condition | None, reported: bool
) -> None:
    """Admin's own trust admits the service that enters through Worker: RL405 said the service
    reaches Admin through Worker, as if fixing Worker closed it (rules/RL405.yaml leaves roles
    reached directly to the trust rules).  Trusted only under a condition, the chain may reach
    Admin where the direct trust does not: still reported."""
    worker = role("Worker", assumes=(arn("admin"),), line=1)
    service = trust("ec2.amazonaws.com", kind=PrincipalKind.SERVICE).statements[0]
    if condition is not None:
        service = replace(service, conditions=(condition,))
    both = PolicyDocument(
        PolicyKind.TRUST, ref(), "Admin", "trust policy", (service, *trust(ROOT).statements)
    )
    admin = replace(role("Admin", admin=True, line=2), trust_policy=both)
    found = graph_findings("RL405", worker, admin)
    assert [[hop.node for hop in f.path] for f in found] == (
        [["ec2.amazonaws.com", "Worker", "Admin"]] if reported else []
    )
    # RL401 still reports the hop from Worker to Admin.
    assert [f.rule_id for f in graph_findings("RL401", worker, admin)] == ["RL401"]


def test_rl405_not_from_this_account_root() -> None:
    entry = role("Gateway", assumes=(arn("admin"),), trusts=(ROOT,), line=1)
    admin = role("Admin", trusts=(arn("gateway"),), admin=True, line=2)
    assert graph_findings("RL405", entry, admin) == []


def _anyone_of(*accounts: str | None, operator: str = "StringEquals") -> PolicyDocument:
    """Trust of ``"*"`` limited by ``aws:PrincipalAccount`` to ``accounts``."""
    statement = Statement(
        ref=ref(),
        effect=value("Allow"),
        actions=(value("sts:AssumeRole"),),
        principals=(Principal(PrincipalKind.ANYONE, value("*")),),
        conditions=(
            Condition(operator, "aws:PrincipalAccount", tuple(value(a) for a in accounts), ref()),
        ),
        has_action=True,
    )
    return PolicyDocument(PolicyKind.TRUST, ref(), "Gateway", "trust policy", (statement,))


@pytest.mark.parametrize(
    ("accounts", "operator", "entry"),
    [
        ((THIS_ACCOUNT,), "StringEquals", None),  # the own account, as its root would be
        (("444455556666",), "StringEquals", "account 444455556666"),
        ((THIS_ACCOUNT, "444455556666"), "StringEquals", "account 444455556666"),
        ((None,), "StringEquals", None),  # an unresolved account is no party
        (("not-an-account",), "StringEquals", None),  # matches no caller
        ((THIS_ACCOUNT,), "StringNotEquals", "anyone (*)"),  # excludes, does not name
        ((THIS_ACCOUNT,), "StringLike", "anyone (*)"),  # left as written
    ],
)
def test_rl405_anyone_limited_by_principal_account_starts_from_those_accounts(
    accounts: tuple[str | None, ...], operator: str, entry: str | None
) -> None:
    gateway = replace(
        role("Gateway", assumes=(arn("admin"),), line=1),
        trust_policy=_anyone_of(*accounts, operator=operator),
    )
    admin = role("Admin", trusts=(arn("gateway"),), admin=True, line=2)
    found = graph_findings("RL405", gateway, admin)
    assert [f.path[0].node for f in found] == ([entry] if entry else [])


ORG = "o-abc123def4"


@pytest.mark.parametrize(
    ("organizations", "operator", "declared", "entry"),
    [
        ((ORG,), "StringEquals", True, None),  # only the declared organization's principals
        (("O-ABC123DEF4",), "StringEqualsIgnoreCase", True, None),
        # Nothing declared: the organization may be anyone's.
        ((ORG,), "StringEquals", False, "anyone (*)"),
        # Another organization than the declared one: its principals, not anyone's (RL405 said
        # "anyone (*)").
        ((ORG, "o-zzz999yyy8"), "StringEquals", True, "organization o-zzz999yyy8"),
        (("o-zzz999yyy8",), "StringEquals", True, "organization o-zzz999yyy8"),
        # Unresolved: whoever deploys names the organization, most likely their own, which
        # --org-id cannot declare (no value is written).  An unknown is no outsider: RL101 is
        # low ("whoever deploys decides"), and RL405 used to say "anyone (*)", high.
        ((None,), "StringEquals", True, None),
        ((None,), "StringEquals", False, None),
        ((ORG,), "StringEqualsIfExists", True, "anyone (*)"),  # a caller without the key passes
        ((ORG,), "ForAllValues:StringEquals", True, "anyone (*)"),  # so does it here
        # Case matters to StringEquals: not the declared organization.
        (("O-ABC123DEF4",), "StringEquals", True, "organization O-ABC123DEF4"),
    ],
)
def test_rl405_anyone_limited_to_a_declared_organization_is_no_outside_entry(
    organizations: tuple[str | None, ...], operator: str, declared: bool, entry: str | None
) -> None:
    """Principal "*" under StringEquals aws:PrincipalOrgID = the organization declared with
    --org-id admits the principals of the user's own accounts only (RL101 is silent): RL405
    reported "anyone (*) can reach role Admin" and `roles --filter outside` kept the role.
    Limited to another organization, it admits that organization's principals: the entry."""
    statement = Statement(
        ref=ref(),
        effect=value("Allow"),
        actions=(value("sts:AssumeRole"),),
        principals=(Principal(PrincipalKind.AWS, value("*", line=13)),),
        conditions=(
            Condition(
                operator, "aws:PrincipalOrgID", tuple(value(o) for o in organizations), ref()
            ),
        ),
        has_action=True,
    )
    trust = PolicyDocument(PolicyKind.TRUST, ref(), "Gateway", "trust policy", (statement,))
    gateway = replace(role("Gateway", assumes=(arn("admin"),), line=1), trust_policy=trust)
    admin = role("Admin", trusts=(arn("gateway"),), admin=True, line=2)
    context = AccountContext(org_ids=frozenset({ORG} if declared else ()))
    inventory = Inventory(roles=[gateway, admin], accounts=context)
    found = run_checks(inventory, Selection(select=["RL405"]))
    expected = [("RL405", 13, entry)] if entry else []
    assert [(f.rule_id, f.location.line, f.path[0].node) for f in found] == expected


@pytest.mark.parametrize(
    ("operator", "pinned", "entry"),
    [
        # The own account's break-glass role: no outsider (RL405 said "anyone (*)").
        ("ArnEquals", arn("break-glass"), None),
        # A vendor's role: its account is the entry, as for the ARN written as the principal.
        ("ArnEquals", arn("reader", "444455556666"), "account 444455556666"),
        ("ArnLike", arn("*", "444455556666"), "account 444455556666"),
        ("ArnLike", arn("reader", "*"), "anyone (*)"),  # any account's reader role
        ("ArnNotEquals", arn("break-glass"), "anyone (*)"),  # every other principal
    ],
)
def test_rl405_anyone_pinned_by_principal_arn_starts_from_its_account(
    operator: str, pinned: str, entry: str | None
) -> None:
    """Principal "*" under an ``aws:PrincipalArn`` test whose ARN names an account admits
    principals of that account only: RL405 reported "anyone (*) can reach role Admin" for a
    trust pinned to a role of the user's own account, and named anyone for a vendor's."""
    statement = Statement(
        ref=ref(),
        effect=value("Allow"),
        actions=(value("sts:AssumeRole"),),
        principals=(Principal(PrincipalKind.AWS, value("*", line=13)),),
        conditions=(Condition(operator, "aws:PrincipalArn", (value(pinned),), ref()),),
        has_action=True,
    )
    trust = PolicyDocument(PolicyKind.TRUST, ref(), "Gateway", "trust policy", (statement,))
    gateway = replace(role("Gateway", assumes=(arn("admin"),), line=1), trust_policy=trust)
    admin = role("Admin", trusts=(arn("gateway"),), admin=True, line=2)
    found = run_checks(Inventory(roles=[gateway, admin]), Selection(select=["RL405"]))
    expected = [("RL405", 13, entry)] if entry else []
    assert [(f.rule_id, f.location.line, f.path[0].node) for f in found] == expected


def test_rl207_names_the_scanned_roles_an_assume_any_grant_reaches() -> None:
    jump = role("Jump", assumes=("*",), line=1)
    reached = [role(f"Target{n}", trusts=(ROOT,), line=2 + n) for n in range(7)]
    closed = role("Closed", trusts=("lambda.amazonaws.com",), line=20)
    [finding] = graph_findings("RL207", jump, *reached, closed)
    assert finding.message.endswith(
        "; among the scanned roles it reaches Target0, Target1, Target2, Target3, Target4 "
        "and 2 more"
    )


def test_rl403_reports_chains_beyond_the_configured_depth() -> None:
    from rolelint.model import ScanSettings

    names = ["A", "B", "C", "D", "E"]
    roles = [
        role(
            name,
            assumes=(arn(names[i + 1].lower()),) if i < len(names) - 1 else (),
            trusts=(arn(names[i - 1].lower()),) if i else (ROOT,),
            line=i + 1,
        )
        for i, name in enumerate(names)
    ]
    found = run_checks(Inventory(roles=list(roles)), Selection(select=["RL403"]))
    assert [tuple(hop.node for hop in f.path) for f in found] == [("A", "B", "C", "D", "E")]
    assert "4 hops" in found[0].message and "more than the 3 allowed" in found[0].message
    deeper = Inventory(roles=list(roles), settings=ScanSettings(chain_depth=4))
    assert run_checks(deeper, Selection(select=["RL403"])) == []
    shallow = Inventory(roles=list(roles), settings=ScanSettings(chain_depth=2))
    assert len(run_checks(shallow, Selection(select=["RL403"]))) == 2  # from A and from B


def test_rl403_counts_no_hop_out_of_an_administrator_role() -> None:
    """Ci reaches Admin (RL401, high); Admin's '*' reaches every role trusting the account.
    RL403 reported "Role Ci reaches role Audit only through 2 hops (Ci -> Admin -> Audit)", a
    chain nobody built, where RL401 and RL402 leave an administrator's own hops out."""
    from rolelint.model import ScanSettings

    ci = role("Ci", assumes=(arn("admin"),), line=1)
    admin = role("Admin", trusts=(arn("ci"),), admin=True, line=2)
    audit = role("Audit", trusts=(ROOT,), line=3)
    # An administrator at the start of a chain: its hops are its own too (it may rewrite any
    # trust policy), so Boss -> Stage -> Vault is no long chain either.
    boss = role("Boss", assumes=(arn("stage"),), admin=True, line=4)
    stage = role("Stage", assumes=(arn("vault"),), trusts=(ROOT,), line=5)
    vault = role("Vault", trusts=(arn("stage"),), line=6)
    roles = [ci, admin, audit, boss, stage, vault]
    shallow = Inventory(roles=roles, settings=ScanSettings(chain_depth=1))
    assert [f.message for f in run_checks(shallow, Selection(select=["RL403"]))] == []
    assert [f.rule_id for f in run_checks(shallow, Selection(select=["RL401"]))] == [
        "RL401",  # Ci -> Admin, high
        "RL401",  # Stage -> Vault, low
    ]
    # Through a plain role allowed to assume Audit, the long chain is still reported.
    plain = role("Admin", assumes=(arn("audit"),), trusts=(arn("ci"),), line=2)
    found = run_checks(
        Inventory(roles=[ci, plain, audit], settings=ScanSettings(chain_depth=1)),
        Selection(select=["RL403"]),
    )
    assert [tuple(hop.node for hop in f.path) for f in found] == [("Ci", "Admin", "Audit")]


def test_a_long_chain_names_the_file_of_roles_another_file_shares_names_with() -> None:
    """The same five roles in one.yaml and two.yaml (a template per stage): the two RL403
    messages read the same, with no way to tell which VaultRole or which chain was meant,
    though RL401 and RL405 name such roles with their file and line."""
    names = ["A", "B", "C", "D", "E"]
    roles = [
        role(
            name,
            assumes=(arn(f"{names[i + 1].lower()}-{stage}"),) if i < len(names) - 1 else (),
            trusts=(arn(f"{names[i - 1].lower()}-{stage}"),) if i else (ROOT,),
            role_arn=arn(f"{name.lower()}-{stage}"),
            line=i + 1,
            file=f"{stage}.yaml",
        )
        for stage in ("one", "two")
        for i, name in enumerate(names)
    ]
    found = run_checks(Inventory(roles=roles), Selection(select=["RL403"]))
    assert [f.message.split(", more than")[0] for f in found] == [
        f"Role A reaches role E ({stage}.yaml:5) only through 4 hops (A ({stage}.yaml:1) -> "
        f"B ({stage}.yaml:2) -> C ({stage}.yaml:3) -> D ({stage}.yaml:4) -> E ({stage}.yaml:5))"
        for stage in ("one", "two")
    ]


def _tagging_trust(*, allow_tag_session: bool) -> PolicyDocument:
    """Trust of the account root that admits only callers passing a team session tag."""
    actions = ("sts:AssumeRole", "sts:TagSession") if allow_tag_session else ("sts:AssumeRole",)
    statement = Statement(
        ref=ref(),
        effect=value("Allow"),
        actions=tuple(value(a) for a in actions),
        principals=(Principal(PrincipalKind.AWS, value(ROOT)),),
        conditions=(Condition("StringEquals", "aws:RequestTag/team", (value("platform"),), ref()),),
        has_action=True,
    )
    return PolicyDocument(PolicyKind.TRUST, ref(), "Target", "trust policy", (statement,))


@pytest.mark.parametrize(
    ("caller_actions", "allow_tag_session", "hop"),
    [
        (("sts:AssumeRole", "sts:TagSession"), True, True),
        (("sts:AssumeRole",), True, False),  # may not pass the tags the trust requires
        (("sts:AssumeRole", "sts:TagSession"), False, False),  # the trust refuses tags at all
    ],
)
def test_a_trust_requiring_session_tags_needs_sts_tag_session(
    caller_actions: tuple[str, ...], allow_tag_session: bool, hop: bool
) -> None:
    caller = role(
        "Caller",
        extra=(permissions(allow(actions=caller_actions, resources=(value(arn("target")),))),),
    )
    target = replace(
        role("Target", admin=True), trust_policy=_tagging_trust(allow_tag_session=allow_tag_session)
    )
    found = chains(caller, target)
    assert bool(found) is hop
    if hop:
        assert "with session tags its policy lets it pass (sts:TagSession)" in found[0].message


def _tag_session_statement(principal: str, effect: str = "Allow") -> Statement:
    return Statement(
        ref=ref(),
        effect=value(effect),
        actions=(value("sts:TagSession"),),
        principals=(Principal(PrincipalKind.AWS, value(principal)),),
        has_action=True,
    )


@pytest.mark.parametrize(
    ("extra", "hop"),
    [
        # AWS's documented layout: sts:TagSession in a statement of its own.
        ((_tag_session_statement(ROOT),), True),
        ((_tag_session_statement(arn("caller")),), True),
        # Allowed to someone else only, or allowed and then denied to the caller: no tags.
        ((_tag_session_statement(arn("other")),), False),
        ((_tag_session_statement(ROOT), _tag_session_statement(arn("caller"), "Deny")), False),
    ],
)
def test_sts_tag_session_allowed_by_another_trust_statement_counts(
    extra: tuple[Statement, ...], hop: bool
) -> None:
    """The statement admitting sts:AssumeRole requires a session tag; another statement of the
    trust policy allows sts:TagSession.  IAM authorizes sts:TagSession against the whole trust
    policy, but only the admitting statement was searched: RL401 (and RL405) were silent."""
    caller = role(
        "Caller",
        extra=(
            permissions(
                allow(
                    actions=("sts:AssumeRole", "sts:TagSession"),
                    resources=(value(arn("target"), line=9),),
                )
            ),
        ),
    )
    base = _tagging_trust(allow_tag_session=False)
    trust = replace(base, statements=(*base.statements, *extra))
    target = replace(role("Target", admin=True), trust_policy=trust)
    found = [(f.rule_id, f.location.line, f.severity) for f in chains(caller, target)]
    assert found == ([("RL401", 9, Severity.HIGH)] if hop else [])


@pytest.mark.parametrize(
    ("key", "values", "hop"),
    [
        ("aws:RequestTag/team", ("false",), False),  # the tag must be present: it is passed
        ("aws:TagKeys", ("false",), False),  # some tag must be passed
        # In any case, as the graph's tests of a caller and the permission rules read it.
        ("aws:RequestTag/team", ("False",), False),
        ("aws:TagKeys", ("FALSE",), False),
        ("aws:RequestTag/team", ("True",), True),
        ("aws:RequestTag/team", ("true",), True),  # must be absent: no tag needed
        ("aws:RequestTag/team", ("true", "false"), True),  # either holds
        ("aws:RequestTag/team", (None,), True),  # unknown: the hop stays
    ],
)
def test_a_null_test_requires_session_tags_only_when_it_says_false(
    key: str, values: tuple[str | None, ...], hop: bool
) -> None:
    """Null "false" means the key is present: the trust admits only callers that pass the
    tag, which needs sts:TagSession (neither the trust nor the caller allows it here).  Every
    Null test was taken for "no tag needed", and the hop reported high."""
    caller = role("Caller", extra=(permissions(allow(resources=(value(arn("target"), line=9),))),))
    null = Condition("Null", key, tuple(value(v) for v in values), ref())
    base = _tagging_trust(allow_tag_session=False)
    [statement] = base.statements
    trust = replace(base, statements=(replace(statement, conditions=(null,)),))
    target = replace(role("Target", admin=True), trust_policy=trust)
    found = [(f.rule_id, f.location.line, f.severity) for f in chains(caller, target)]
    assert found == ([("RL401", 9, Severity.HIGH)] if hop else [])


@pytest.mark.parametrize(
    ("operator", "key", "hop"),
    [
        ("ForAnyValue:StringEquals", "aws:TagKeys", False),  # false without tags: they are needed
        ("ForAllValues:StringEquals", "aws:TagKeys", True),  # true without tags
        ("ForAllValues:StringLike", "aws:RequestTag/team", True),
        ("StringNotEquals", "aws:RequestTag/team", True),  # negated: true when absent
        ("StringEqualsIfExists", "aws:RequestTag/team", True),
        # An operator rolelint cannot read (a Terraform test from a variable) may be one of
        # those: the hop stands.
        ("<unresolved condition key> test", "aws:RequestTag/team", True),
    ],
)
def test_a_tag_test_true_without_tags_requires_none(operator: str, key: str, hop: bool) -> None:
    """ForAllValues, negated and IfExists operators hold for a request without the key (IAM
    User Guide, multivalued context keys; condition operators), so such a trust admits callers
    without session tags.  ForAllValues on aws:TagKeys was taken for "tags required", and a
    caller without sts:TagSession lost its hop to the admin role."""
    caller = role("Caller", extra=(permissions(allow(resources=(value(arn("target"), line=9),))),))
    test = Condition(operator, key, (value("team"),), ref())
    base = _tagging_trust(allow_tag_session=False)
    [statement] = base.statements
    trust = replace(base, statements=(replace(statement, conditions=(test,)),))
    target = replace(role("Target", admin=True), trust_policy=trust)
    found = [(f.rule_id, f.location.line, f.severity) for f in chains(caller, target)]
    assert found == ([("RL401", 9, Severity.HIGH)] if hop else [])


SET_SOURCE_IDENTITY = "sts:SetSourceIdentity"
SOURCE_IDENTITY_SET = "with a source identity its policy lets it set (sts:SetSourceIdentity)"


def _source_identity_trust(
    *principals: str,
    allow_set: bool,
    condition: Condition | None = None,
) -> PolicyDocument:
    """Trust of ``principals`` (the account root by default) that admits only callers setting
    a source identity (``StringLike sts:SourceIdentity "*"``, or ``condition``), allowing them
    sts:SetSourceIdentity when ``allow_set``."""
    actions = ("sts:AssumeRole", SET_SOURCE_IDENTITY) if allow_set else ("sts:AssumeRole",)
    test = condition or Condition("StringLike", "sts:SourceIdentity", (value("*"),), ref())
    statement = Statement(
        ref=ref(),
        effect=value("Allow"),
        actions=tuple(value(a) for a in actions),
        principals=tuple(Principal(PrincipalKind.AWS, value(p)) for p in principals or (ROOT,)),
        conditions=(test,),
        has_action=True,
    )
    return PolicyDocument(PolicyKind.TRUST, ref(), "Target", "trust policy", (statement,))


@pytest.mark.parametrize(
    ("caller_actions", "allow_set", "hop"),
    [
        (("sts:AssumeRole", SET_SOURCE_IDENTITY), True, True),
        (("sts:AssumeRole",), True, False),  # may not set the source identity required
        (("sts:AssumeRole", SET_SOURCE_IDENTITY), False, False),  # the trust refuses it
        (("sts:AssumeRole",), False, False),  # neither allows it
    ],
)
def test_a_trust_requiring_a_source_identity_needs_sts_set_source_identity(
    caller_actions: tuple[str, ...], allow_set: bool, hop: bool
) -> None:
    """Admin trusts its account root only when the caller sets a source identity.  Setting one
    needs sts:SetSourceIdentity in the trust policy and in the caller's policy (IAM User
    Guide, "Permissions required to set source identity": in role chaining, both, or the
    assume-role call fails); a StringLike test fails when the key is absent.  The hop was
    drawn whatever either allowed: a high RL401 (and RL405) for a hop IAM never allows."""
    caller = role(
        "Caller",
        extra=(
            permissions(allow(actions=caller_actions, resources=(value(arn("target"), line=9),))),
        ),
    )
    target = replace(
        role("Target", admin=True), trust_policy=_source_identity_trust(allow_set=allow_set)
    )
    found = chains(caller, target)
    assert [(f.rule_id, f.location.line, f.severity) for f in found] == (
        [("RL401", 9, Severity.HIGH)] if hop else []
    )
    if hop:
        assert SOURCE_IDENTITY_SET in found[0].message


@pytest.mark.parametrize(
    ("operator", "values", "hop"),
    [
        ("StringEquals", ("alice",), False),  # fails without the key: it must be set
        ("Null", ("false",), False),  # must be present
        ("Null", ("true",), True),  # must be absent: none needed
        ("StringLikeIfExists", ("*",), True),  # holds without the key
        ("StringNotEquals", ("alice",), True),  # negated: holds without the key
        ("<unresolved condition key> test", ("*",), True),  # may be one of those
    ],
)
def test_a_source_identity_test_true_without_the_key_requires_none(
    operator: str, values: tuple[str, ...], hop: bool
) -> None:
    """Only a test that fails without sts:SourceIdentity requires the caller to set one
    (neither the trust nor the caller allows sts:SetSourceIdentity here); IfExists, negated
    operators and a Null test of absence hold without it, and an operator rolelint cannot
    read leaves the hop standing."""
    caller = role("Caller", extra=(permissions(allow(resources=(value(arn("target"), line=9),))),))
    test = Condition(operator, "sts:SourceIdentity", tuple(value(v) for v in values), ref())
    trust = _source_identity_trust(allow_set=False, condition=test)
    target = replace(role("Target", admin=True), trust_policy=trust)
    found = [(f.rule_id, f.location.line, f.severity) for f in chains(caller, target)]
    assert found == ([("RL401", 9, Severity.HIGH)] if hop else [])


@pytest.mark.parametrize("allow_set", [True, False])
def test_a_trust_naming_the_caller_and_requiring_a_source_identity(allow_set: bool) -> None:
    """Target's trust names Caller by ARN in its own account, so Caller needs no permission of
    its own, for sts:SetSourceIdentity as for sts:AssumeRole (as for session tags): the hop
    stands when the trust allows it to set one, and not otherwise."""
    caller = role("Caller", line=3)  # no permission policy at all
    trust = _source_identity_trust(arn("caller"), allow_set=allow_set)
    target = replace(role("Target", admin=True, line=4), trust_policy=trust)
    found = chains(caller, target)
    assert [tuple(h.node for h in f.path) for f in found] == (
        [("Caller", "Target")] if allow_set else []
    )


_SOURCE_IDENTITY_ADMIN = """Resources:
  Worker:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {Version: "2012-10-17", Statement: [{Effect: Allow, \
Principal: {Service: ecs-tasks.amazonaws.com}, Action: sts:AssumeRole}]}
      Policies: [{PolicyName: hop, PolicyDocument: {Version: "2012-10-17", Statement: \
[{Effect: Allow, Action: CALLER, Resource: "*"}]}}]
  Admin:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {AWS: !Sub "arn:aws:iam::${AWS::AccountId}:root"}
            Action: TRUST
            Condition: {StringLike: {sts:SourceIdentity: "*"}}
      ManagedPolicyArns: [arn:aws:iam::aws:policy/AdministratorAccess]
"""


@pytest.mark.parametrize("allowed", [False, True])
def test_an_outside_party_reaches_an_admin_requiring_a_source_identity_only_if_it_can_be_set(
    tmp_path: Path, allowed: bool
) -> None:
    """ECS enters Worker, which may call sts:AssumeRole on "*"; Admin trusts its account root
    only with a source identity.  Neither allowed sts:SetSourceIdentity, yet RL401 and RL405
    (both high) said Worker and ECS reach Admin, and RL207 named Admin among the roles Worker
    reaches.  With sts:SetSourceIdentity in both, all three stand."""
    actions = "[sts:AssumeRole, sts:SetSourceIdentity]" if allowed else "sts:AssumeRole"
    code = _SOURCE_IDENTITY_ADMIN.replace("CALLER", actions).replace("TRUST", actions)
    found = [
        (f.rule_id, f.location.line, "reaches Admin" in f.message)
        for f in findings_of(code, "yaml", tmp_path)
        if f.rule_id in ("RL207", "RL401", "RL405")
    ]
    grant, entry = line_of(code, "PolicyName: hop"), line_of(code, "ecs-tasks")
    expected = [("RL207", grant, allowed)]
    if allowed:
        expected = [("RL405", entry, False), *expected, ("RL401", grant, False)]
    assert sorted(found) == sorted(expected)


@pytest.mark.parametrize(
    ("not_resource", "hop"),
    [
        (arn("other"), True),  # every resource but another role: the target is granted
        (arn("target"), False),  # every resource but the target
    ],
)
def test_sts_tag_session_granted_by_not_resource(not_resource: str, hop: bool) -> None:
    tagging = replace(
        allow(actions=("sts:TagSession",)),
        not_resources=(value(not_resource),),
        has_not_resource=True,
    )
    caller = role(
        "Caller",
        extra=(permissions(allow(resources=(value(arn("target")),)), tagging),),
    )
    tagged_trust = _tagging_trust(allow_tag_session=True)
    target = replace(role("Target", admin=True), trust_policy=tagged_trust)
    found = chains(caller, target)
    assert bool(found) is hop
    if hop:
        assert "with session tags its policy lets it pass (sts:TagSession)" in found[0].message


def test_sts_tag_session_under_iam_passed_to_service_lets_no_tag_through() -> None:
    """No sts:TagSession request carries iam:PassedToService, so a grant under a mandatory
    test of it passes no tag, as sts:AssumeRole under it makes no hop."""
    passed_to = Condition(
        "StringEquals", "iam:PassedToService", (value("ec2.amazonaws.com"),), ref()
    )
    tagging = replace(
        allow(actions=("sts:TagSession",), resources=(value(arn("target")),)),
        conditions=(passed_to,),
    )
    caller = role(
        "Caller",
        extra=(permissions(allow(resources=(value(arn("target")),)), tagging),),
    )
    target = replace(
        role("Target", admin=True), trust_policy=_tagging_trust(allow_tag_session=True)
    )
    assert chains(caller, target) == []
    unconditional = replace(tagging, conditions=())
    caller = replace(
        caller, policies=(permissions(allow(resources=(value(arn("target")),)), unconditional),)
    )
    assert len(chains(caller, target)) == 1


REF_NAMES = """\
Resources:
  CiRole:
    Type: AWS::IAM::Role
    Properties:
      RoleName: ci
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Principal: {Service: codebuild.amazonaws.com}, Action: sts:AssumeRole}
      Policies:
        - PolicyName: p
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: sts:AssumeRole
                Resource: GRANT
  AdminRole:
    Type: AWS::IAM::Role
    Properties:
      RoleName: admin
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal:
              AWS: TRUSTED
            Action: sts:AssumeRole
      ManagedPolicyArns:
        - arn:aws:iam::aws:policy/AdministratorAccess
"""
OWN_ROOT = "!Sub arn:aws:iam::${AWS::AccountId}:root"


@pytest.mark.parametrize(
    ("grant", "trusted", "named"),
    [
        ("!Sub arn:${AWS::Partition}:iam::${AWS::AccountId}:role/${AdminRole}", OWN_ROOT, True),
        (
            '!Join ["", ["arn:aws:iam::", !Ref "AWS::AccountId", ":role/", !Ref AdminRole]]',
            OWN_ROOT,
            True,
        ),
        ("!GetAtt AdminRole.Arn", "!Sub arn:aws:iam::${AWS::AccountId}:role/${CiRole}", True),
        # Without a RoleName, Ref gives the name CloudFormation generates: the same stand-in
        # as the role's ARN holds.
        ("!Sub arn:aws:iam::${AWS::AccountId}:role/${AdminRole}", OWN_ROOT, False),
        ("!GetAtt AdminRole.Arn", "!Sub arn:aws:iam::${AWS::AccountId}:role/${CiRole}", False),
    ],
)
def test_a_role_named_by_its_ref_in_an_arn_is_a_hop(
    tmp_path: Path, grant: str, trusted: str, named: bool
) -> None:
    """``Ref`` of an AWS::IAM::Role is its name: ``!Sub ...:role/${AdminRole}`` (or Join) in
    the caller's grant, or ``role/${CiRole}`` in the target's trust, names the role as its
    ARN would.  It was left unresolved, so the chain to the admin role went unreported."""
    text = REF_NAMES.replace("GRANT", grant).replace("TRUSTED", trusted)
    if not named:
        text = text.replace("      RoleName: ci\n", "").replace("      RoleName: admin\n", "")
    (tmp_path / "t.yaml").write_text(text)
    report = lint_paths([str(tmp_path / "t.yaml")])
    chains = [f for f in report.findings if f.rule_id.startswith("RL4")]
    assert [(f.rule_id, f.severity, f.role) for f in chains] == [
        ("RL405", Severity.HIGH, "CiRole"),
        ("RL401", Severity.HIGH, "CiRole"),
    ]
    (rl401,) = [f for f in report.findings if f.rule_id == "RL401"]
    assert rl401.path == (
        PathHop("CiRole", str(tmp_path / "t.yaml"), 2),
        PathHop("AdminRole", str(tmp_path / "t.yaml"), 18 if named else 17),
    )


REF_USER = """\
Resources:
  Deployer:
    Type: AWS::IAM::User
    Properties:
      UserName: deployer
      Policies:
        - PolicyName: p
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - {Effect: Allow, Action: sts:AssumeRole, Resource: !GetAtt AdminRole.Arn}
  AdminRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal:
              AWS: !Sub arn:aws:iam::${AWS::AccountId}:user/${Deployer}
            Action: sts:AssumeRole
      ManagedPolicyArns:
        - arn:aws:iam::aws:policy/AdministratorAccess
"""


@pytest.mark.parametrize("named", [True, False])
def test_a_user_named_by_its_ref_in_a_trust_policy_is_a_hop(tmp_path: Path, named: bool) -> None:
    """``Ref`` of an AWS::IAM::User is its name, as for a role: ``user/${Deployer}`` in a
    trust policy names the user (by its UserName, or the name CloudFormation generates).  It
    was left unresolved, so the user's way into the admin role went unreported."""
    text = REF_USER if named else REF_USER.replace("      UserName: deployer\n", "")
    (tmp_path / "t.yaml").write_text(text)
    report = lint_paths([str(tmp_path / "t.yaml")])
    [rl401] = [f for f in report.findings if f.rule_id == "RL401"]
    assert (rl401.role, rl401.location.line) == ("Deployer", 11 if named else 10)
    assert "admits Deployer by its ARN" in rl401.message


BOUNDED_CALLER = """\
Resources:
  S3Only:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Action: s3:*
            Resource: "*"
  Carol:
    Type: AWS::IAM::User
    Properties:
      UserName: carol
      PermissionsBoundary: !Ref S3Only
  CarolRole:
    Type: AWS::IAM::Role
    Properties:
      RoleName: carol
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}
      PermissionsBoundary: !Ref S3Only
  AdminRole:
    Type: AWS::IAM::Role
    Properties:
      RoleName: admin
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal:
              AWS: !GetAtt CALLER.Arn
            Action: sts:AssumeRole
      ManagedPolicyArns:
        - arn:aws:iam::aws:policy/AdministratorAccess
"""

_DENY_ASSUME = """\
          - Effect: Deny
            Action: sts:AssumeRole
            Resource: "*"
"""


@pytest.mark.parametrize(
    ("caller", "explicit_deny", "hop"),
    [
        ("Carol", False, True),  # a user: the boundary's implicit deny does not limit it
        ("Carol", True, False),  # an explicit Deny in the boundary does
        ("CarolRole", False, False),  # a role: the boundary's implicit deny limits it
    ],
)
def test_a_trust_naming_a_user_by_arn_is_limited_only_by_explicit_denies(
    tmp_path: Path, caller: str, explicit_deny: bool, hop: bool
) -> None:
    """A trust policy is a resource-based policy.  In the same account, one that names an IAM
    user ARN is not limited by an implicit deny in the user's identity-based policies or
    permissions boundary (IAM User Guide, policy evaluation logic); one that names a role ARN
    is limited by the role's boundary.  The user's boundary leaving out sts:AssumeRole removed
    the hop, so a user reaching an administrator role through the trust alone went unreported
    (and `roles` said nobody assumes the role)."""
    code = BOUNDED_CALLER.replace("CALLER", caller)
    if explicit_deny:
        every = '            Resource: "*"\n'
        code = code.replace(every, every + _DENY_ASSUME, 1)
    findings = findings_of(code, "yaml", tmp_path)
    chained = [(f.rule_id, f.severity, f.location.line) for f in findings if f.rule_id == "RL401"]
    expected = [("RL401", Severity.HIGH, line_of(code, f"!GetAtt {caller}.Arn"))]
    assert chained == (expected if hop else [])
    if hop:
        [rl401] = [f for f in findings if f.rule_id == "RL401"]
        assert rl401.message.startswith(
            "User Carol can assume role AdminRole (the trust policy of AdminRole names Carol "
            "by its ARN (same account: no permission of its own is needed))"
        )


# --- targets whose name or path rolelint cannot know ---------------------------------------------

_ACCOUNT_ROLES = f"arn:aws:iam::{THIS_ACCOUNT}:role/"
GENERATED = _ACCOUNT_ROLES + "<generated:prod/t.yaml#AdminRole>"
PREFIXED = _ACCOUNT_ROLES + "ci-<generated:prod#aws_iam_role.ci>"
# A name set from a parameter or variable without a default: worded apart, matched alike.
UNRESOLVED = _ACCOUNT_ROLES + "<unresolved name:prod/t.yaml#AdminRole>"
UNKNOWN_PATH = _ACCOUNT_ROLES.removesuffix("/") + "/<unresolved path:prod/t.yaml#AdminRole>admin"


@pytest.mark.parametrize(
    ("pattern", "target", "matches"),
    [
        ("*", GENERATED, True),
        (GENERATED, GENERATED, True),  # the role's own ARN (a reference to it)
        (_ACCOUNT_ROLES + "*", GENERATED, True),
        (_ACCOUNT_ROLES + "?*", GENERATED, True),
        ("arn:aws:iam::*:role/*", GENERATED, True),
        # Never through the text of the stand-in: its folder, file or logical id.
        (_ACCOUNT_ROLES + "*prod*", GENERATED, False),
        (_ACCOUNT_ROLES + "*Admin*", GENERATED, False),
        (_ACCOUNT_ROLES + "*generated*", GENERATED, False),
        (_ACCOUNT_ROLES + "ci-*", PREFIXED, True),  # the prefix is known
        (_ACCOUNT_ROLES + "*-*", PREFIXED, True),
        (_ACCOUNT_ROLES + "ci-x*", PREFIXED, False),
        (_ACCOUNT_ROLES + "*aws_iam_role*", PREFIXED, False),
        ("*", UNRESOLVED, True),
        (UNRESOLVED, UNRESOLVED, True),
        (_ACCOUNT_ROLES + "*", UNRESOLVED, True),
        (_ACCOUNT_ROLES + "?*", UNRESOLVED, True),
        (_ACCOUNT_ROLES + "*prod*", UNRESOLVED, False),
        (_ACCOUNT_ROLES + "*unresolved*", UNRESOLVED, False),
        (_ACCOUNT_ROLES + "* *", UNRESOLVED, False),
        (_ACCOUNT_ROLES + "AdminRole", UNRESOLVED, False),
        (GENERATED, UNRESOLVED, False),
        (_ACCOUNT_ROLES + "*", UNKNOWN_PATH, True),
        (_ACCOUNT_ROLES + "*admin", UNKNOWN_PATH, True),  # whatever the path, "/" included
        (_ACCOUNT_ROLES + "admin", UNKNOWN_PATH, False),
        (_ACCOUNT_ROLES + "*/admin", UNKNOWN_PATH, False),  # the path may be "/"
        (_ACCOUNT_ROLES + "*prod*", UNKNOWN_PATH, False),
    ],
)
def test_a_stand_in_is_matched_only_by_wildcards_covering_all_of_it(
    pattern: str, target: str, matches: bool
) -> None:
    """A name AWS or Terraform generates, or a name or path rolelint cannot resolve, is written
    as a stand-in holding the file and the logical id or address.  Resource patterns were
    matched against that text, so ``role/*prod*`` reached a generated role of a template in a
    folder named prod: the finding hung on the folder's name.  Only a wildcard covering the
    whole unknown part certainly names the role."""
    assert arn_matches(pattern, target) is matches
    assert (principal_admits(pattern, target) is not None) is matches


def test_not_resource_that_may_name_an_unknown_name_leaves_no_hop() -> None:
    """Allow sts:AssumeRole on every role but ``role/*prod*``: whether a generated name holds
    "prod" is not known, so the hop only may exist, and makes no finding."""
    every_but = Statement(
        ref=ref(),
        effect=value("Allow"),
        actions=(value("sts:AssumeRole"),),
        not_resources=(value(_ACCOUNT_ROLES + "*prod*"),),
        has_action=True,
        has_not_resource=True,
    )
    admin = role("AdminRole", trusts=(ROOT,), admin=True, role_arn=GENERATED.replace("prod/", ""))
    assert chains(role("CiRole", extra=(permissions(every_but),)), admin) == []
    named = role("AdminRole", trusts=(ROOT,), admin=True)  # role/adminrole: not listed
    assert len(chains(role("CiRole", extra=(permissions(every_but),)), named)) == 1


@pytest.mark.parametrize(
    ("pattern", "target", "may"),
    [
        # A name holds no "/" and no ":": these can name no value of the stand-in.
        (_ACCOUNT_ROLES + "break-glass/*", GENERATED, False),
        ("arn:aws:iam::*:user/*", GENERATED, False),
        ("arn:aws:iam::*:user/*", PREFIXED, False),
        ("arn:aws:iam::*:role/ci", PREFIXED, False),  # the name starts "ci-"
        ("arn:aws:iam::*:user/*", UNKNOWN_PATH, False),
        (_ACCOUNT_ROLES + "*/*", GENERATED, False),  # at "/", the name holds no "/"
        (_ACCOUNT_ROLES + "*/ci", UNKNOWN_PATH, False),  # the name is "admin"
        # These may name it, whatever the stand-in's text holds.
        (_ACCOUNT_ROLES + "*prod*", GENERATED, True),
        (_ACCOUNT_ROLES + "x", GENERATED, True),
        (_ACCOUNT_ROLES + "ci-x*", PREFIXED, True),
        (_ACCOUNT_ROLES + "team/*", UNKNOWN_PATH, True),
        (_ACCOUNT_ROLES + "admin", UNKNOWN_PATH, True),
        (_ACCOUNT_ROLES + "*", GENERATED, True),
    ],
)
def test_a_stand_in_may_be_named_only_by_what_a_role_name_or_path_can_hold(
    pattern: str, target: str, may: bool
) -> None:
    """A stand-in was read as ``?*`` (a name) and ``/*`` (a path), wildcards that run over
    "/" and ":": ``role/break-glass/*`` and ``arn:aws:iam::*:user/*`` seemed to name a role
    at "/" of unknown name, so a grant on every role but those gave it no hop."""
    assert arn_may_match(pattern, target) is may


NOT_RESOURCE_TARGET = """\
Resources:
  CiRole:
    Type: AWS::IAM::Role
    Properties:
      RoleName: ci
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Principal: {Service: codebuild.amazonaws.com}, Action: sts:AssumeRole}
      Policies:
        - PolicyName: p
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: sts:AssumeRole
                GRANT
  DeployRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {AWS: !Sub "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"}
            Action: sts:AssumeRole
      ManagedPolicyArns: [arn:aws:iam::aws:policy/AdministratorAccess]
  Boundary:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Action: "*"
            NotResource: !Sub "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/break-glass/*"
"""


@pytest.mark.parametrize(
    ("grant", "reached"),
    [
        (
            'NotResource: !Sub "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/break-glass/*"',
            True,
        ),
        ('NotResource: "arn:aws:iam::*:user/*"', True),
        ('NotResource: "arn:aws:iam::*:role/*"', False),
        ('NotResource: "arn:aws:iam::*:role/*deploy*"', False),  # the name may hold it
        ('Resource: "*"\n      PermissionsBoundary: !Ref Boundary', True),
    ],
)
def test_a_not_resource_that_cannot_name_a_generated_role_leaves_its_hop(
    tmp_path: Path, grant: str, reached: bool
) -> None:
    """A role without RoleName or Path is at "/" with a name CloudFormation generates: a grant
    (or permissions boundary) on every resource but ``role/break-glass/*`` or ``user/*`` lets
    CiRole assume it.  The hop was dropped, and with it RL401 and RL405 (high)."""
    if "PermissionsBoundary" in grant:
        code = NOT_RESOURCE_TARGET.replace("GRANT", 'Resource: "*"').replace(
            "      RoleName: ci\n", "      RoleName: ci\n      PermissionsBoundary: !Ref Boundary\n"
        )
    else:
        code = NOT_RESOURCE_TARGET.replace("GRANT", grant)
    findings = findings_of(code, "yaml", tmp_path)
    chained = sorted(
        (f.rule_id, f.location.line) for f in findings if f.rule_id in ("RL401", "RL405")
    )
    grant_line = line_of(code, "Action: sts:AssumeRole", 2) + 1
    expected = [("RL401", grant_line), ("RL405", line_of(code, "codebuild.amazonaws.com"))]
    assert chained == (sorted(expected) if reached else [])
    if reached:
        [rl401] = [f for f in findings if f.rule_id == "RL401"]
        assert rl401.message.startswith("Role CiRole can assume role DeployRole")


UNKNOWN_CALLER = """\
Parameters:
  CiName:
    Type: String
Resources:
  CiRole:
    Type: AWS::IAM::Role
    Properties:
      RoleName: !Ref CiName
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Principal: {Service: codebuild.amazonaws.com}, Action: sts:AssumeRole}
      Policies:
        - PolicyName: p
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - {Effect: Allow, Action: sts:AssumeRole, Resource: "*"}
              - {Effect: Deny, Action: sts:AssumeRole, Resource: "arn:aws:iam::*:role/DENIED"}
  AdminRole:
    Type: AWS::IAM::Role
    Properties:
      TARGET_NAME
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {AWS: !Sub "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"}
            Action: sts:AssumeRole
            ALLOW_CONDITION
          - Effect: Deny
            Principal: {AWS: "*"}
            Action: sts:AssumeRole
            Condition:
              ArnNotLike:
                aws:PrincipalArn: DENY_UNLESS
      ManagedPolicyArns: [arn:aws:iam::aws:policy/AdministratorAccess]
"""
_CI = '!Sub "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/ci-*"'


@pytest.mark.parametrize(
    ("allow_condition", "deny_unless", "target_name", "denied", "reached"),
    [
        # The caller's name is a parameter: it may be ci-build.
        (
            f"Condition: {{ArnLike: {{aws:PrincipalArn: {_CI}}}}}",
            "'*'",
            "RoleName: admin",
            "x",
            True,
        ),
        ("", _CI, "RoleName: admin", "x", True),
        # It is never a user, whatever its name.
        ("", '"arn:aws:iam::*:user/*"', "RoleName: admin", "x", False),
        # The target's name is generated: a Deny of *prod* may miss it, of * cannot.
        ("", "'*'", "# generated", "*prod*", True),
        ("", "'*'", "# generated", "*", False),
    ],
)
def test_conditions_and_denies_judge_a_role_of_unknown_name_by_every_name_it_may_have(
    tmp_path: Path,
    allow_condition: str,
    deny_unless: str,
    target_name: str,
    denied: str,
    reached: bool,
) -> None:
    """A trust condition on aws:PrincipalArn, and a Deny of the caller's, were matched against
    the text standing for an unknown name (its file, folder and logical id): ``ArnLike
    role/ci-*`` refused a caller named by a parameter, ``Deny "*"`` unless ``role/ci-*`` took
    its hop away, and the caller's Deny of ``role/*prod*`` took the hop to a generated admin
    role of a template in a prod folder.  Only what holds for every name it may have decides;
    in doubt the hop stays."""
    code = (
        UNKNOWN_CALLER.replace("ALLOW_CONDITION", allow_condition)
        .replace("DENY_UNLESS", deny_unless)
        .replace("TARGET_NAME", target_name)
        .replace("DENIED", denied)
    )
    folder = tmp_path / "prod"
    folder.mkdir()
    (folder / "t.yaml").write_text(code, encoding="utf-8")
    report = lint_paths([str(folder)])
    assert report.errors == []
    chained = sorted(f.rule_id for f in report.findings if f.rule_id in ("RL401", "RL405"))
    assert chained == (["RL401", "RL405"] if reached else [])


GENERATED_TARGET = """\
Resources:
  CallerRole:
    Type: AWS::IAM::Role
    Properties:
      RoleName: caller
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}
      Policies:
        - PolicyName: a
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: sts:AssumeRole
                Resource: !Sub arn:aws:iam::${AWS::AccountId}:role/PATTERN
  AdminRole:
    Type: AWS::IAM::Role
    Properties:
      NAME
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {AWS: !Sub "arn:aws:iam::${AWS::AccountId}:root"}
            Action: sts:AssumeRole
      ManagedPolicyArns: [arn:aws:iam::aws:policy/AdministratorAccess]
Parameters:
  AdminName:
    Type: String
"""


@pytest.mark.parametrize(
    ("name", "pattern", "reported"),
    [
        ("# no RoleName: generated", "*prod*", False),  # the folder is prod
        ("# no RoleName: generated", "*Admin*", False),  # the logical id is AdminRole
        ("RoleName: !Ref AdminName", "*Admin*", False),  # whoever deploys names it
        ("# no RoleName: generated", "*", True),
        ("RoleName: !Ref AdminName", "*", True),
    ],
)
def test_a_cloudformation_role_of_unknown_name_is_reached_only_by_a_pattern_covering_it(
    tmp_path: Path, name: str, pattern: str, reported: bool
) -> None:
    code = GENERATED_TARGET.replace("NAME", name).replace("PATTERN", pattern)
    folder = tmp_path / "prod"
    folder.mkdir()
    (folder / "t.yaml").write_text(code, encoding="utf-8")
    report = lint_paths([str(folder)])
    assert report.errors == []
    chained = sorted(f.rule_id for f in report.findings if f.rule_id.startswith("RL40"))
    assert chained == (["RL401", "RL405"] if reported else [])


GENERATED_TERRAFORM = """\
data "aws_caller_identity" "c" {}

locals {
  account = data.aws_caller_identity.c.account_id
}

resource "aws_iam_role" "caller" {
  name = "caller"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "lambda.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
  inline_policy {
    name = "a"
    policy = jsonencode({
      Version = "2012-10-17"
      Statement = [{
        Effect   = "Allow"
        Action   = "sts:AssumeRole"
        Resource = "arn:aws:iam::${local.account}:role/*admin*"
      }]
    })
  }
}

resource "aws_iam_role" "admin" {
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::${local.account}:root" }
      Action    = "sts:AssumeRole"
    }]
  })
  managed_policy_arns = ["arn:aws:iam::aws:policy/AdministratorAccess"]
}
"""


def test_a_terraform_role_of_generated_name_is_not_reached_through_its_address(
    tmp_path: Path,
) -> None:
    """Terraform names a role without ``name`` or ``name_prefix`` ``terraform-<timestamp>``,
    never after its address: ``role/*admin*`` matched ``aws_iam_role.admin`` through the
    address in its stand-in (a high RL401 and RL405)."""
    (tmp_path / "main.tf").write_text(GENERATED_TERRAFORM, encoding="utf-8")
    report = lint_paths([str(tmp_path)])
    assert report.errors == []
    assert [f.rule_id for f in report.findings if f.rule_id.startswith("RL40")] == []


def test_no_hop_starts_from_the_permissions_aws_writes_for_a_service_linked_role(
    tmp_path: Path,
) -> None:
    """The StackSets org-admin service-linked role's AWS managed policy allows sts:AssumeRole on
    ``role/stacksets-exec-*``: RL401 and RL405 (high) were reported on that text, which AWS
    writes and IAM refuses to change, though no permission rule judges a service-linked role's
    permissions.  A role of the customer's with the same grant still makes the hop."""
    service_policy = (
        "arn:aws:iam::aws:policy/aws-service-role/"
        "AWSCloudFormationStackSetsOrgAdminServiceRolePolicy"
    )
    export = {
        "RoleDetailList": [
            exported_role(
                "AWSServiceRoleForCloudFormationStackSetsOrgAdmin",
                "/aws-service-role/stacksets.cloudformation.amazonaws.com/",
                trusted={"Service": "stacksets.cloudformation.amazonaws.com"},
                attached=[service_policy],
            ),
            exported_role(
                "stacksets-exec-admin",
                trusted={"AWS": "arn:aws:iam::111122223333:root"},
                attached=["arn:aws:iam::aws:policy/AdministratorAccess"],
            ),
        ],
        "Policies": [
            {
                "PolicyName": "AWSCloudFormationStackSetsOrgAdminServiceRolePolicy",
                "Arn": service_policy,
                "DefaultVersionId": "v1",
                "PolicyVersionList": [
                    {
                        "Document": {
                            "Version": "2012-10-17",
                            "Statement": [
                                {
                                    "Effect": "Allow",
                                    "Action": "sts:AssumeRole",
                                    "Resource": "arn:aws:iam::*:role/stacksets-exec-*",
                                }
                            ],
                        },
                        "VersionId": "v1",
                        "IsDefaultVersion": True,
                    }
                ],
            }
        ],
    }
    (tmp_path / "slr.json").write_text(json.dumps(export), encoding="utf-8")
    report = lint_paths([str(tmp_path / "slr.json")], Selection(select=["RL401", "RL405"]))
    assert report.errors == []
    assert report.findings == []
    # The same grant on a role of the customer's (another path) is a hop.
    slr = export["RoleDetailList"][0]
    slr["Path"] = "/"
    slr["Arn"] = "arn:aws:iam::111122223333:role/AWSServiceRoleForCloudFormationStackSetsOrgAdmin"
    (tmp_path / "slr.json").write_text(json.dumps(export), encoding="utf-8")
    report = lint_paths([str(tmp_path / "slr.json")], Selection(select=["RL401", "RL405"]))
    assert sorted(f.rule_id for f in report.findings) == ["RL401", "RL405"]


def test_a_hop_from_a_role_whose_policies_are_not_in_the_input_is_no_known_escalation(
    tmp_path: Path,
) -> None:
    """A list-roles answer holds none of a role's permission policies: RL401 said the admin
    role its trust names had access "that list-roles.json#deploy lacks" (high), though deploy
    may be an administrator itself.  The hop is still reported, at low severity, and says
    deploy may lack that access; the same role from an account export, whose policies are
    there, still escalates."""
    deploy = {
        "RoleName": "deploy",
        "Path": "/",
        "Arn": "arn:aws:iam::111122223333:role/deploy",
        "AssumeRolePolicyDocument": {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
                    "Action": "sts:AssumeRole",
                }
            ],
        },
    }
    admin = exported_role(
        "admin",
        trusted={"AWS": "arn:aws:iam::111122223333:role/deploy"},
        attached=["arn:aws:iam::aws:policy/AdministratorAccess"],
    )
    (tmp_path / "export.json").write_text(json.dumps({"RoleDetailList": [admin]}))
    (tmp_path / "list-roles.json").write_text(json.dumps({"Roles": [deploy]}))
    report = lint_paths([str(tmp_path)])
    assert report.errors == []
    [rl401] = [f for f in report.findings if f.rule_id == "RL401"]
    assert rl401.severity is Severity.LOW
    assert rl401.message.endswith(
        "list-roles.json#deploy may lack (its own permission policies are not in the input)"
    )
    (tmp_path / "list-roles.json").unlink()
    exported = {**deploy, "RolePolicyList": [], "AttachedManagedPolicies": []}
    (tmp_path / "export.json").write_text(json.dumps({"RoleDetailList": [admin, exported]}))
    [rl401] = [f for f in lint_paths([str(tmp_path)]).findings if f.rule_id == "RL401"]
    assert rl401.severity is Severity.HIGH
    assert rl401.message.endswith("export.json#deploy lacks")


def test_the_findings_of_a_dense_graph_share_their_hops_and_roles(tmp_path: Path) -> None:
    """60 roles each assuming about half of the others: an RL401 finding per hop, each of
    which made its own two path hops and its own one-role tuple, 600,000 equal objects for 800
    roles (50 MB) kept until the report was written; one of each per role is enough."""
    inventory, report = read_inventory([str(dense_roles(tmp_path, 60))])
    assert not report.errors
    findings = run_checks(inventory, Selection(["RL401"]))
    assert len(findings) > 60 * 20
    assert len({id(hop) for finding in findings for hop in finding.path}) <= 60
    assert len({id(finding.roles) for finding in findings}) <= 60
    assert all(finding.roles == (finding.role,) for finding in findings)
