"""The graph model's bookkeeping that the build relies on for speed: edge order equal to the
full-key sort (ties included), adjacency that follows added edges, the collector pause, and the
managed-policy step keeping the inventory (and so its cached graph) when nothing changes."""

from __future__ import annotations

import random

import pytest

from rolelint.graph.model import AssumeGraph, Edge, Node, NodeKind, _edge_order
from rolelint.managed_policies import resolve_managed_policies
from rolelint.model import Inventory, ManagedPolicyRef, Role, Value
from rolelint.source import SourceRef, Span


def _ref(line: int, column: int = 1, file: str = "a.yaml") -> SourceRef:
    return SourceRef(file, Span.point(line, column))


def _random_edges(rng: random.Random, nodes: list[str], count: int) -> list[Edge]:
    edges = []
    for _ in range(count):
        edges.append(
            Edge(
                rng.choice(nodes),
                rng.choice(nodes),
                rng.choice(["sts:AssumeRole", "sts:AssumeRoleWithWebIdentity"]),
                rng.choice(["by its ARN", "by its account root"]),
                trust=rng.choice([None, _ref(rng.randrange(1, 4))]),
                grant=rng.choice([None, _ref(rng.randrange(1, 4), rng.randrange(1, 3))]),
                conditional=rng.random() < 0.5,
            )
        )
    return edges


@pytest.mark.parametrize("seed", range(5))
def test_sorted_edges_equal_the_full_key_sort(seed: int) -> None:
    rng = random.Random(seed)
    names = [f"role:a.yaml#R{i}" for i in range(6)]
    graph = AssumeGraph()
    for name in names:
        graph.add_node(Node(name, NodeKind.ROLE, name))
    # Few nodes and few texts: many edges share both ends and their texts, so ties are
    # broken by positions, the case the fast path hands to the full key.
    edges = _random_edges(rng, [*names, "account:111122223333"], 300)
    for edge in edges:
        graph.add_edge(edge)
    ordered = graph.sorted()
    assert ordered.edges == sorted(edges, key=_edge_order)
    assert list(ordered.nodes) == sorted(graph.nodes)


def test_adjacency_follows_edges_added_after_a_question() -> None:
    graph = AssumeGraph()
    first = Edge("a", "b", "sts:AssumeRole", "x")
    graph.add_edge(first)
    assert graph.out_edges("a") == [first]
    second = Edge("a", "c", "sts:AssumeRole", "y")
    graph.add_edge(second)
    assert graph.out_edges("a") == [first, second]
    assert graph.in_edges("c") == [second]
    assert graph.reachable("a") == {"a", "b", "c"}


def _role(name: str, *managed: str) -> Role:
    return Role(
        name,
        _ref(1),
        Value(f"arn:aws:iam::111122223333:role/{name}", _ref(1)),
        managed_policy_arns=tuple(ManagedPolicyRef(Value(arn, _ref(2))) for arn in managed),
    )


def test_resolving_managed_policies_keeps_an_inventory_without_any() -> None:
    inventory = Inventory(roles=[_role("App")])
    assert resolve_managed_policies(inventory) is inventory


def test_resolving_managed_policies_replaces_the_holders_that_have_some() -> None:
    inventory = Inventory(
        roles=[_role("App"), _role("Admin", "arn:aws:iam::aws:policy/AdministratorAccess")]
    )
    resolved = resolve_managed_policies(inventory)
    assert resolved is not inventory
    assert resolved.roles[0] is inventory.roles[0]
    admin = resolved.roles[1]
    assert admin.managed_policy_arns == ()
    assert any("AdministratorAccess" in document.origin for document in admin.policies)
