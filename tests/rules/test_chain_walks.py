"""The chain walks end early, as soon as every node an edge leads to has been visited, and yield
as they queue: they must give exactly what the exhaustive walks gave, path for path and in the
same order.  The exhaustive walks are kept here as the oracle."""

from __future__ import annotations

import random
from collections import deque
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import rolelint.graph.crowds as crowds
from rolelint.checks.chaining import (
    MAX_HOPS,
    _into_member,
    _longest_reach,
    _reached,
    escalation_paths,
    hops_of,
)
from rolelint.graph.build import build_graph
from rolelint.graph.model import AssumeGraph, Edge, Node, NodeKind
from rolelint.model import Inventory, Role
from rolelint.source import SourceRef
from tests.rules.test_chain_crowds import inventories


def _exhaustive_paths(
    graph: AssumeGraph, start: str, max_hops: int | None = MAX_HOPS
) -> Iterator[list[Edge]]:
    first = graph.principal_edges(start)
    seen = {start, *(edge.target for edge in first)}
    queue: deque[list[Edge]] = deque([edge] for edge in first)
    while queue:
        path = queue.popleft()
        last = path[-1].target
        if graph.nodes[last].privileged is not None:
            if len(path) > 1:
                yield path
            continue
        crowd = graph.is_crowd(last)
        if crowd and len(path) > 1:
            yield path
        if max_hops is not None and hops_of(graph, path) >= max_hops:
            continue
        onward = (
            [
                (into, edge)
                for into, edge in graph.crowd_exits(last)
                if graph.nodes[into.target].privileged is None
            ]
            if crowd
            else [(None, edge) for edge in graph.principal_edges(last)]
        )
        for into, edge in onward:
            if edge.target == start or _reached(graph, edge.target, seen):
                continue
            seen.add(edge.target)
            queue.append([*path, into, edge] if into is not None else [*path, edge])


def _exhaustive_reach(graph: AssumeGraph, start: str, depth: int) -> list[Edge] | None:
    if graph.nodes[start].privileged is not None:
        return None  # an administrator's hops are its own
    first = graph.principal_edges(start)
    seen = {start, *(edge.target for edge in first)}
    frontier: list[list[Edge]] = [[edge] for edge in first]
    while frontier:
        following: list[list[Edge]] = []
        for path in frontier:
            last = path[-1].target
            if graph.nodes[last].privileged is not None:
                continue  # a chain stops at an administrator
            onward: list[list[Edge]] = (
                [
                    [into, edge]
                    for into, edge in graph.crowd_exits(last)
                    if graph.nodes[into.target].privileged is None
                ]
                if graph.is_crowd(last)
                else [[edge] for edge in graph.principal_edges(last)]
            )
            for step in onward:
                target = step[-1].target
                if target == start or _reached(graph, target, seen):
                    continue
                seen.add(target)
                longer = [*path, *step]
                if hops_of(graph, longer) > depth:
                    found = _into_member(graph, longer, seen)
                    if found is not None:
                        return found
                following.append(longer)
        frontier = following
    return None


def _same_walks(graph: AssumeGraph) -> None:
    for node_id in graph.nodes:
        for hops in (1, 2, MAX_HOPS, None):  # None: of any length, as RL405 walks
            assert list(escalation_paths(graph, node_id, hops)) == list(
                _exhaustive_paths(graph, node_id, hops)
            ), (node_id, hops)
        for depth in (1, 2, 3):
            assert _longest_reach(graph, node_id, depth) == _exhaustive_reach(
                graph, node_id, depth
            ), (node_id, depth)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(roles=inventories(), crowded=st.booleans())
def test_walks_of_scanned_roles_equal_the_exhaustive_walks(
    roles: list[Role], crowded: bool
) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(crowds, "CROWD_MIN_PAIRS", 0 if crowded else 10**12)
        graph = build_graph(Inventory(roles=roles))
    _same_walks(graph)


def _random_graph(rng: random.Random, size: int, density: float) -> AssumeGraph:
    """Roles, a few of them administrators, and hops between them; some edges need no grant
    (trust only, from a service), which the walks must not take."""
    graph = AssumeGraph()
    names = [f"role:t.yaml#R{i}" for i in range(size)]
    for name in names:
        privileged = "admin" if rng.random() < 0.1 else None
        graph.add_node(Node(name, NodeKind.ROLE, name, SourceRef("t.yaml"), privileged))
    graph.add_node(Node("service:ec2.amazonaws.com", NodeKind.SERVICE, "ec2"))
    for source in names:
        for target in names:
            if source != target and rng.random() < density:
                graph.add_edge(
                    Edge(source, target, "sts:AssumeRole", "h", grant=SourceRef("t.yaml"))
                )
    for target in rng.sample(names, k=size // 3):
        graph.add_edge(Edge("service:ec2.amazonaws.com", target, "sts:AssumeRole", "s"))
    return graph.sorted()


@pytest.mark.parametrize("density", [0.02, 0.1, 0.3, 0.9])
@pytest.mark.parametrize("seed", range(4))
def test_walks_of_random_graphs_equal_the_exhaustive_walks(seed: int, density: float) -> None:
    _same_walks(_random_graph(random.Random(seed), 40, density))


def test_a_walk_in_a_dense_graph_ends_after_a_few_nodes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Where every role may assume every other, the first hops visit every node: the walk ends
    there instead of taking each queued path's edges (every edge of the graph, for each start)."""
    graph = _random_graph(random.Random(1), 60, 1.0)
    asked: list[str] = []
    principal_edges = AssumeGraph.principal_edges

    def counted(self: AssumeGraph, node_id: str) -> list[Edge]:
        asked.append(node_id)
        return principal_edges(self, node_id)

    monkeypatch.setattr(AssumeGraph, "principal_edges", counted)
    for node_id in graph.nodes:
        list(escalation_paths(graph, node_id))
        _longest_reach(graph, node_id, 1)
    assert len(asked) <= 3 * len(graph.nodes)
    asked.clear()
    for node_id in graph.nodes:  # the exhaustive walks ask about every node from each start
        list(_exhaustive_paths(graph, node_id))
    assert len(asked) > len(graph.nodes) ** 2 / 2
