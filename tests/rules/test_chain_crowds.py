"""Crowds: hops from callers allowed sts:AssumeRole on "*" to the roles open to their account,
drawn through one node per account (rolelint.graph.crowds) so that size stays linear.

The crowd must change only the shape, never the answer: the property tests below build random
inventories and compare, hop by hop, what the graph says with crowds and without them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import rolelint.graph.crowds as crowds
from rolelint.checks.chaining import escalation_paths
from rolelint.engine import Selection, run_checks
from rolelint.graph.build import NodeIds, build_graph
from rolelint.graph.model import AssumeGraph, NodeKind
from rolelint.model import Inventory, PolicyDocument, Role
from tests.rules.test_chaining import (
    ROOT,
    _source_identity_trust,
    allow,
    arn,
    permissions,
    role,
    value,
)

NEVER = 10**12  # a threshold no test reaches: every hop drawn one by one


@pytest.fixture
def always_crowd(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(crowds, "CROWD_MIN_PAIRS", 0)


def _inventory(roles: list[Role]) -> Inventory:
    return Inventory(roles=list(roles))


def _graph(roles: list[Role], threshold: int, monkeypatch: pytest.MonkeyPatch) -> AssumeGraph:
    monkeypatch.setattr(crowds, "CROWD_MIN_PAIRS", threshold)
    return build_graph(_inventory(roles))


def _callers_and_open_roles(callers: int, open_roles: int, admins: int = 0) -> list[Role]:
    found = [role(f"Caller{i}", assumes=("*",), line=10 + i) for i in range(callers)]
    found += [
        role(f"Open{i}", trusts=(ROOT,), admin=i < admins, line=100 + i) for i in range(open_roles)
    ]
    return found


def _iam_edges(graph: AssumeGraph) -> list[object]:
    """Edges between roles and crowds (trust edges from accounts and services left out)."""
    return [
        e
        for e in graph.edges
        if e.between_principals or graph.is_crowd(e.source) or graph.is_crowd(e.target)
    ]


# --- shape ----------------------------------------------------------------------------------------


def test_many_callers_and_open_roles_meet_in_one_node(monkeypatch: pytest.MonkeyPatch) -> None:
    roles = _callers_and_open_roles(callers=40, open_roles=60)
    graph = _graph(roles, 1000, monkeypatch)
    crowd_nodes = [n for n in graph.nodes.values() if n.kind is NodeKind.CROWD]
    assert [n.label for n in crowd_nodes] == ["every role open to this account"]
    # One edge per caller in, one per open role out.
    assert len(_iam_edges(graph)) == 40 + 60
    assert len(_iam_edges(_graph(roles, NEVER, monkeypatch))) == 40 * 60


def test_small_accounts_keep_their_hops(monkeypatch: pytest.MonkeyPatch) -> None:
    roles = _callers_and_open_roles(callers=3, open_roles=4)
    graph = _graph(roles, crowds.CROWD_MIN_PAIRS, monkeypatch)
    assert not [n for n in graph.nodes.values() if n.kind is NodeKind.CROWD]
    assert len(_iam_edges(graph)) == 12


def test_hops_that_depend_on_the_caller_stay_out_of_the_crowd(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A Deny in the caller, or a trust condition on who calls, is judged hop by hop."""
    denied = role(
        "Denied",
        line=5,
        extra=(permissions(allow(resources=(value(arn("open0")),), effect="Deny")),),
        assumes=("*",),
    )
    roles = [*_callers_and_open_roles(callers=3, open_roles=3), denied]
    graph = _graph(roles, 0, monkeypatch)
    crowd = "crowd:${AWS::AccountId}"
    assert {e.source for e in graph.in_edges(crowd)} == {
        NodeIds().role(r) for r in roles if r.id.startswith("Caller")
    }
    # The limited caller reaches the two roles its Deny leaves, one edge each.
    denied_hops = {graph.nodes[e.target].label for e in graph.out_edges(NodeIds().role(denied))}
    assert denied_hops == {"Open1", "Open2"}


def test_a_role_requiring_a_source_identity_stays_out_of_the_crowd(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A trust admitting the account root only with a source identity admits each caller as
    its policy lets it set one (sts:SetSourceIdentity): it depends on the caller, as session
    tags do, so the role is no member of the crowd, and callers that may not set one (none
    here) do not reach it through the crowd either."""
    guarded = replace(
        role("Guarded", admin=True, line=50), trust_policy=_source_identity_trust(allow_set=True)
    )
    roles = [*_callers_and_open_roles(callers=3, open_roles=3), guarded]
    graph = _graph(roles, 0, monkeypatch)
    members = {graph.nodes[e.target].label for e in graph.out_edges("crowd:${AWS::AccountId}")}
    assert members == {"Open0", "Open1", "Open2"}
    into = graph.in_edges(NodeIds().role(guarded))
    assert [e for e in into if e.between_principals or graph.is_crowd(e.source)] == []
    found = run_checks(_inventory(roles), Selection(select=["RL401"]))
    assert not [f for f in found if "Guarded" in f.message]


# --- findings -------------------------------------------------------------------------------------


def test_one_finding_per_caller_names_the_admin_roles(always_crowd: None) -> None:
    roles = _callers_and_open_roles(callers=2, open_roles=8, admins=7)
    found = run_checks(_inventory(roles), Selection(select=["RL401"]))
    assert len(found) == 2
    first = found[0]
    assert first.severity.value == "high"
    assert first.message.startswith("Role Caller0 can assume any of 8 roles (")
    assert first.message.endswith(
        "7 of them have administrator-level access that Caller0 lacks: "
        "Open0, Open1, Open2, Open3, Open4 and 2 more"
    )
    assert [(hop.node, hop.line) for hop in first.path] == [("Caller0", 10), ("Open0", 100)]
    assert first.location.line == roles[0].policies[0].statements[0].resources[0].ref.line


def test_a_crowd_without_admin_roles_is_one_low_finding(always_crowd: None) -> None:
    roles = _callers_and_open_roles(callers=2, open_roles=3)
    found = run_checks(_inventory(roles), Selection(select=["RL401"]))
    assert [(f.role, f.severity.value) for f in found] == [("Caller0", "low"), ("Caller1", "low")]


def test_a_chain_into_a_crowd_from_a_named_hop(always_crowd: None) -> None:
    """Build -> Hub (named ARN) -> every open role: one chain finding, not one per admin."""
    build = role("Build", assumes=(arn("hub"),), line=2)
    hub = role("Hub", trusts=(arn("build"),), assumes=("*",), line=3)
    roles = [build, hub, *_callers_and_open_roles(callers=1, open_roles=4, admins=2)]
    found = run_checks(_inventory(roles), Selection(select=["RL401"]))
    chains = [f for f in found if f.role == "Build" and len(f.path) > 2]
    assert len(chains) == 1
    assert [hop.node for hop in chains[0].path] == ["Build", "Hub", "Open0"]
    assert "Build -> Hub -> every role open to this account" in chains[0].message
    assert chains[0].message.endswith(
        "2 of them have administrator-level access that Build lacks: Open0, Open1"
    )


def test_a_circle_through_a_crowd_shows_real_hops(always_crowd: None) -> None:
    """Two callers open to each other: A -> B -> A, never A -> A."""
    first = role("A", assumes=("*",), trusts=(ROOT,), line=2)
    second = role("B", assumes=("*",), trusts=(ROOT,), line=3)
    third = role("C", trusts=(ROOT,), line=4)
    found = run_checks(_inventory([first, second, third]), Selection(select=["RL402"]))
    assert [[hop.node for hop in f.path] for f in found] == [["A", "B", "A"]]
    assert found[0].message.startswith("Roles A, B can assume one another in a circle")


def test_one_caller_open_to_its_own_crowd_is_no_circle(always_crowd: None) -> None:
    lonely = role("A", assumes=("*",), trusts=(ROOT,), line=2)
    roles = [lonely, role("C", trusts=(ROOT,), line=4), role("D", trusts=(ROOT,), line=5)]
    assert run_checks(_inventory(roles), Selection(select=["RL402"])) == []


def test_the_assume_any_role_listing_counts_the_crowd(always_crowd: None) -> None:
    roles = _callers_and_open_roles(callers=2, open_roles=7)
    found = run_checks(_inventory(roles), Selection(select=["RL207"]))
    assert len(found) == 2
    assert found[0].message.endswith(
        "among the scanned roles it reaches Open0, Open1, Open2, Open3, Open4 and 2 more"
    )


# --- the answer does not change -------------------------------------------------------------------

NAMES = [f"R{i}" for i in range(7)]


@st.composite
def inventories(draw: st.DrawFn) -> list[Role]:
    roles = []
    for index, name in enumerate(NAMES):
        grant = draw(st.sampled_from(["none", "*", "named", "deny"]))
        assumes: tuple[str, ...] = ()
        extra: tuple[PolicyDocument, ...] = ()
        if grant in ("*", "deny"):
            assumes = ("*",)
        elif grant == "named":
            assumes = (arn(draw(st.sampled_from(NAMES)).lower()),)
        if grant == "deny":
            denied = arn(draw(st.sampled_from(NAMES)).lower())
            extra = (permissions(allow(resources=(value(denied),), effect="Deny")),)
        trusts = draw(
            st.lists(st.sampled_from(["root", "*", "named", "service"]), min_size=1, max_size=2)
        )
        principals = tuple(
            ROOT if t == "root" else "*" if t == "*" else arn(draw(st.sampled_from(NAMES)).lower())
            for t in trusts
            if t != "service"
        )
        roles.append(
            role(
                name,
                assumes=assumes,
                trusts=principals,
                admin=draw(st.booleans()),
                line=index + 1,
                extra=extra,
            )
        )
    return roles


def _hops(graph: AssumeGraph) -> set[tuple[str, str]]:
    """Every (source, target) hop between roles, a crowd opened into its members."""
    found = set()
    for edge in graph.edges:
        if graph.is_crowd(edge.source):
            continue
        if graph.is_crowd(edge.target):
            found |= {
                (edge.source, e.target)
                for e in graph.out_edges(edge.target)
                if e.target != edge.source
            }
        elif edge.between_principals:
            found.add((edge.source, edge.target))
    return found


def _admins_reached(graph: AssumeGraph) -> set[tuple[str, str]]:
    """(start, admin role) for every admin role a non-admin role reaches, as RL401 reports."""
    found = set()
    for node in graph.roles():
        if node.privileged is not None:
            continue
        ends: Iterator[str] = (path[-1].target for path in escalation_paths(graph, node.id))
        for end in [*ends, *(t for s, t in _hops(graph) if s == node.id)]:
            if graph.is_crowd(end):
                found |= {(node.id, admin.id) for admin in graph.crowd_admins(end)}
            elif graph.nodes[end].privileged is not None:
                found.add((node.id, end))
    return {(s, t) for s, t in found if s != t}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(roles=inventories())
def test_crowds_change_the_shape_not_the_answer(roles: list[Role]) -> None:
    with pytest.MonkeyPatch.context() as patch:
        explicit = _graph(roles, NEVER, patch)
        crowded = _graph(roles, 0, patch)
    assert _hops(crowded) == _hops(explicit)
    assert _admins_reached(crowded) == _admins_reached(explicit)
    for rule in ("RL402", "RL403", "RL405"):
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(crowds, "CROWD_MIN_PAIRS", NEVER)
            plain = run_checks(_inventory(roles), Selection(select=[rule]))
            patch.setattr(crowds, "CROWD_MIN_PAIRS", 0)
            grouped = run_checks(_inventory(roles), Selection(select=[rule]))
        assert {f.role for f in grouped} == {f.role for f in plain}, rule


@pytest.mark.parametrize(
    ("pattern", "prefix"),
    [
        ("*", ""),
        ("arn*", ""),
        ("arn:aws*iam::*:role/x", ""),
        ("arn:*:iam::*:role/*", ""),  # a wildcard partition may span colons: look at all
        ("arn:aws:iam::123456789012:role/deploy-*", "iam::123456789012:role/deploy-"),
        ("arn:${AWS::Partition}:iam::${AWS::AccountId}:role/a?c", "iam::${AWS::AccountId}:role/a"),
        ("arn:aws:s3:::bucket/*", "s3:::bucket/"),
    ],
)
def test_patterns_are_matched_only_against_roles_that_begin_alike(
    pattern: str, prefix: str
) -> None:
    from rolelint.graph.hops import literal_prefix

    assert literal_prefix(pattern) == prefix


def test_a_crowd_is_drawn_in_every_format(monkeypatch: pytest.MonkeyPatch) -> None:
    import json
    import shutil
    import subprocess

    from rolelint.graph.render import render_dot, render_json, render_mermaid
    from tests.test_graph_render import parse_dot, parse_mermaid

    graph = _graph(_callers_and_open_roles(callers=2, open_roles=3, admins=1), 0, monkeypatch)
    crowd = "crowd:${AWS::AccountId}"
    dot = parse_dot(render_dot(graph))
    assert dot.nodes[crowd]["shape"] == "trapezium"
    assert dot.nodes[crowd]["label"] == "every role open to this account"
    assert sum(1 for _, target, _ in dot.edges if target == crowd) == 2
    mermaid = parse_mermaid(render_mermaid(graph))
    assert "every role open to this account" in mermaid.labels.values()
    kinds = {node["id"]: node["kind"] for node in json.loads(render_json(graph))["nodes"]}
    assert kinds[crowd] == "crowd"
    if shutil.which("dot") is not None:
        result = subprocess.run(
            ["dot", "-Tsvg"], input=render_dot(graph), capture_output=True, text=True, timeout=60
        )
        assert result.returncode == 0 and result.stderr == "", result.stderr
