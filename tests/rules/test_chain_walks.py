"""The chain walks end early, as soon as every node an edge leads to has been visited, and yield
as they queue: they must give exactly what the exhaustive walks gave, path for path and in the
same order.  The exhaustive walks are kept here as the oracle.  RL405 walks from every role an
outside party enters at once: it must choose the chains it chose walking from each in turn,
which is kept here as its oracle, and the same chain through the other instances of its
roles must be the one a search of every path finds.  RL403 walks once for all the roles whose
hops lead to the same roles: it must find, for each, what the walk from that role alone
finds."""

from __future__ import annotations

import random
from collections import deque
from collections.abc import Iterator
from itertools import pairwise

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import rolelint.checks.chaining as chaining
import rolelint.graph.crowds as crowds
from rolelint.checks.base import Hit
from rolelint.checks.chaining import (
    MAX_HOPS,
    _into_member,
    _longest_reaches,
    _reached,
    escalation_paths,
    hops_of,
    role_chain_longer_than_depth,
)
from rolelint.graph.build import build_graph, graph_of
from rolelint.graph.model import AssumeGraph, Edge, Node, NodeKind
from rolelint.model import Inventory, Role
from rolelint.source import SourceRef, Span
from tests.rules.test_chain_crowds import inventories
from tests.rules.test_chaining import ROOT, arn, role


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
        assert list(_longest_reaches(graph, depth)) == _reaches_one_by_one(graph, depth), depth


def _reaches_one_by_one(graph: AssumeGraph, depth: int) -> list[tuple[Node, list[Edge]]]:
    """RL403's chains as the exhaustive walk from each scanned role in turn finds them."""
    found = []
    for source in graph.roles():
        path = _exhaustive_reach(graph, source.id, depth) if source.ref is not None else None
        if path is not None:
            found.append((source, path))
    return found


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
    list(_longest_reaches(graph, 1))
    assert len(asked) <= 3 * len(graph.nodes)
    asked.clear()
    for node_id in graph.nodes:  # the exhaustive walks ask about every node from each start
        list(_exhaustive_paths(graph, node_id))
    assert len(asked) > len(graph.nodes) ** 2 / 2


# --- RL405: the same chain through each instance of its roles -------------------------------------


def _copies_graph(rng: random.Random, names: int, copies: int, density: float) -> AssumeGraph:
    """Roles of a few names, each in up to ``copies`` files (a module's instances, a template
    per stage), a few administrators; the hops of one template between them in each copy
    (most of them), more at random across copies, some twice; a service and anyone entering
    some; now and then a crowd or two (two accounts) of random members that some roles enter."""
    graph = AssumeGraph()
    in_copies = [
        {name: f"role:f{copy}.yaml#R{name}" for name in range(names) if rng.random() < 0.8}
        for copy in range(copies)
    ]
    nodes = sorted(node for copy in in_copies for node in copy.values())
    for node in nodes:
        file, label = node[len("role:") :].split("#")
        privileged = "admin" if rng.random() < 0.1 else None
        graph.add_node(Node(node, NodeKind.ROLE, label, SourceRef(file), privileged))
    shared = "role:shared.yaml#Admin"  # the administrator every copy may reach
    graph.add_node(Node(shared, NodeKind.ROLE, "Admin", SourceRef("shared.yaml"), "admin"))
    line = iter(range(1, 10**6))

    def hop(source: str, target: str, grant: bool = True) -> None:
        at = SourceRef("t.yaml", Span.point(next(line), 1))
        graph.add_edge(
            Edge(source, target, "sts:AssumeRole", "h", trust=at, grant=at if grant else None)
        )

    template = [(a, b) for a in range(names) for b in range(names) if rng.random() < density]
    to_shared = [a for a in range(names) if rng.random() < 0.3]
    for copy in in_copies:
        for a, b in template:
            if a in copy and b in copy and a != b and rng.random() < 0.85:
                hop(copy[a], copy[b])
                if rng.random() < 0.2:
                    hop(copy[a], copy[b])
        for a in to_shared:
            if a in copy and rng.random() < 0.85:
                hop(copy[a], shared)
    for source in nodes:
        for target in nodes:
            if source != target and rng.random() < density / 4:
                hop(source, target)
    ends = list(nodes)
    for account in ("111122223333", "444455556666")[: rng.randrange(3)]:
        crowd = f"crowd:{account}"
        graph.add_node(Node(crowd, NodeKind.CROWD, crowd))
        ends.append(crowd)
        for member in rng.sample(nodes, k=len(nodes) // 2):
            hop(crowd, member, grant=False)
        for caller in rng.sample(nodes, k=min(4, len(nodes))):
            hop(caller, crowd)
    for entry in (
        Node("service:ec2.amazonaws.com", NodeKind.SERVICE, "ec2.amazonaws.com"),
        Node("anyone", NodeKind.ANYONE, "anyone (*)"),
    ):
        graph.add_node(entry)
        for target in rng.sample(ends, k=2 * len(ends) // 3):
            hop(entry.id, target, grant=False)
    return graph.sorted()


def _every_same_chain(
    graph: AssumeGraph, entered: dict[str, Edge], path: list[Edge]
) -> list[list[Edge]]:
    """Every path of ``path``'s length from each other role the party enters named as its first
    role, through roles named as its roles (none an administrator) to its end; of those from
    one role, the first by the ids of its nodes: found by trying them all."""
    nodes = [edge.target for edge in path]

    def alike(node: str, index: int) -> bool:
        ours, theirs = graph.nodes[node], graph.nodes[nodes[index]]
        if graph.is_crowd(nodes[index]):
            return node == nodes[index]
        return (ours.kind, ours.label) == (theirs.kind, theirs.label) and (
            index == len(nodes) - 1 or ours.privileged is None
        )

    def onward(node: str) -> list[Edge]:
        return graph.out_edges(node) if graph.is_crowd(node) else graph.principal_edges(node)

    def paths_from(node: str, index: int) -> Iterator[list[Edge]]:
        if index == len(nodes) - 1:
            if node == nodes[-1]:
                yield []
            return
        for edge in onward(node):
            if alike(edge.target, index + 1):
                for rest in paths_from(edge.target, index + 1):
                    yield [edge, *rest]

    found: list[list[Edge]] = []
    for start in sorted(entered):
        if start == nodes[0] or not alike(start, 0):
            continue
        every = [[entered[start], *rest] for rest in paths_from(start, 0)]
        if every:
            found.append(min(every, key=lambda p: [e.target for e in p]))
    return found


@pytest.mark.parametrize("density", [0.1, 0.25, 0.5])
def test_rl405_chains_through_other_instances_are_those_a_full_search_finds(
    density: float,
) -> None:
    compared = 0
    for seed in range(40):
        graph = _copies_graph(random.Random(seed), names=6, copies=3, density=density)
        instances = chaining._instances(graph)
        for entry in graph.nodes.values():
            if not chaining._is_entry(entry):
                continue
            entered = chaining._entered(graph, entry)
            for path, _ in chaining._shortest_entry_paths(graph, entry):
                found = list(chaining._same_chain_elsewhere(graph, instances, entered, path))
                assert found == _every_same_chain(graph, entered, path), (seed, entry.id)
                compared += len(found)
    assert compared >= 20  # the graphs give the search something to find


# --- RL403: one walk for the roles whose hops lead to the same roles ------------------------------


def _shared_first_layers(rng: random.Random, size: int) -> AssumeGraph:
    """Roles (a few administrators) most of which take their hops from a few shared lists of
    roles and crowds (a hub, a pattern every team role is granted), the others from lists of
    their own, some none; some hops twice, some to the role itself; zero to two crowds of
    random members.  Roles of one list in a circle with it, and crowds holding the roles
    entering them, are the cases where a shared walk's answer is not the role's own."""
    graph = AssumeGraph()
    names = [f"role:t.yaml#R{i:02d}" for i in range(size)]
    for name in names:
        privileged = "admin" if rng.random() < 0.08 else None
        graph.add_node(Node(name, NodeKind.ROLE, name, SourceRef("t.yaml"), privileged))
    line = iter(range(1, 10**6))

    def hop(source: str, target: str, grant: bool = True) -> None:
        at = SourceRef("t.yaml", Span.point(next(line), 1))
        graph.add_edge(
            Edge(source, target, "sts:AssumeRole", "h", trust=at, grant=at if grant else None)
        )

    ends = list(names)
    for account in ("111122223333", "444455556666")[: rng.randrange(3)]:
        crowd = f"crowd:{account}"
        graph.add_node(Node(crowd, NodeKind.CROWD, crowd))
        ends.append(crowd)
        for member in rng.sample(names, k=rng.randrange(1, max(2, size // 2))):
            hop(crowd, member, grant=False)
    shared = [rng.sample(ends, k=rng.randrange(1, 4)) for _ in range(rng.randrange(1, 5))]
    for name in names:
        draw = rng.random()
        targets = (
            rng.choice(shared)
            if draw < 0.6
            else rng.sample(ends, k=rng.randrange(1, 3))
            if draw < 0.9
            else []
        )
        for target in targets:
            hop(name, target)
            if rng.random() < 0.1:
                hop(name, target)
        if rng.random() < 0.05:
            hop(name, name)
    return graph.sorted()


@pytest.mark.parametrize("seed", range(150))
def test_rl403_walks_shared_by_roles_equal_each_roles_own_walk(seed: int) -> None:
    rng = random.Random(seed)
    graph = _shared_first_layers(rng, rng.randrange(3, 25))
    for depth in (1, 2, 3):
        assert list(_longest_reaches(graph, depth)) == _reaches_one_by_one(graph, depth), depth


def _hub_inventory(shape: str, size: int) -> Inventory:
    """``fan``: roles each allowed to assume a hub, which may assume ``size`` roles, each of
    which may assume a role that may assume an administrator (four hops from each of the first
    ones); ``star``: roles each allowed to assume a hub, which may assume each of them."""
    if shape == "fan":
        roles = [role(f"Entry{i}", assumes=(arn("hub"),), trusts=(ROOT,)) for i in range(size)]
        roles += [role("Hub", assumes=(arn("fan*"),), trusts=(ROOT,))]
        roles += [role(f"Fan{i}", assumes=(arn("far"),), trusts=(ROOT,)) for i in range(size)]
        roles += [
            role("Far", assumes=(arn("admin"),), trusts=(ROOT,)),
            role("Admin", trusts=(ROOT,), admin=True),
        ]
    else:
        roles = [role(f"Spoke{i}", assumes=(arn("hub"),), trusts=(ROOT,)) for i in range(size)]
        roles += [role("Hub", assumes=(arn("spoke*"),), trusts=(ROOT,))]
    return Inventory(roles=roles)


@pytest.mark.parametrize(("shape", "findings"), [("fan", 60), ("star", 0)])
def test_rl403_walks_past_a_wide_hub_once(
    monkeypatch: pytest.MonkeyPatch, shape: str, findings: int
) -> None:
    """Sixty roles that may assume one hub, which may assume sixty roles (and, in a star,
    they are the same sixty).  RL403 walked from each role in turn, each walk past the hub to
    every one of the sixty: 3,600 steps looked at (a hub of 1,000: 3.7 s).  The roles whose
    hops lead to the same roles now share one walk, and each still gets its chain."""
    inventory = _hub_inventory(shape, 60)
    graph = graph_of(inventory)
    looked_at: list[str] = []
    reached = chaining._reached

    def counted(graph: AssumeGraph, node_id: str, seen: set[str]) -> bool:
        looked_at.append(node_id)
        return reached(graph, node_id, seen)

    monkeypatch.setattr(chaining, "_reached", counted)
    found = list(role_chain_longer_than_depth(inventory))
    assert len(looked_at) <= 3 * len(graph.nodes)
    monkeypatch.undo()
    assert len(found) == findings
    assert [(hit.role, hit.path) for hit in found] == [
        (hit.role, hit.path) for hit in _rl403_one_by_one(inventory)
    ]
    if shape == "fan":
        assert [hop.node for hop in found[0].path] == ["Entry0", "Hub", "Fan0", "Far", "Admin"]


def _rl403_one_by_one(inventory: Inventory) -> list[Hit]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(
            chaining,
            "_longest_reaches",
            lambda graph, depth: iter(_reaches_one_by_one(graph, depth)),
        )
        return list(role_chain_longer_than_depth(inventory))


# --- RL405: one walk from every role an outside party enters --------------------------------------


def _entry_paths_one_by_one(graph: AssumeGraph, entry: Node) -> Iterator[list[Edge]]:
    """RL405's paths as they were found: a walk from each role the party enters in turn (by
    each edge into it), the single-start walk of escalation_paths, then the role's own hops to
    administrators and crowds.  ``_shortest_entry_paths`` chooses among them."""
    for first in graph.out_edges(entry.id):
        if first.between_principals or first.maybe_own:
            continue
        start = graph.nodes[first.target]
        if start.privileged is not None or start.kind is NodeKind.CROWD:
            continue
        for path in escalation_paths(graph, start.id, max_hops=None):
            yield [first, *path]
        for hop in graph.principal_edges(start.id):
            target = graph.nodes[hop.target]
            if target.privileged is not None or target.kind is NodeKind.CROWD:
                yield [first, hop]


def _same_entry_chains(graph: AssumeGraph) -> int:
    """RL405's chains from each outside party of ``graph``, walked from its roles at once and
    one by one, are the same (edge for edge, admin for admin, in the same order); the number
    of chains compared."""
    compared = 0
    for entry in graph.nodes.values():
        if not chaining._is_entry(entry):
            continue
        at_once = chaining._shortest_entry_paths(graph, entry)
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(chaining, "_entry_paths", _entry_paths_one_by_one)
            one_by_one = chaining._shortest_entry_paths(graph, entry)
        assert at_once == one_by_one, entry.id
        compared += len(at_once)
    return compared


def _entered_graph(rng: random.Random, size: int, density: float, crowded: bool) -> AssumeGraph:
    """Roles (a few administrators) with hops between them, some twice (two grants of one hop,
    which a chain takes the first of); a service and anyone each entering a third of them, some
    roles twice or under a condition, and an administrator or a crowd now and then.  With
    ``crowded``, two crowds of random members, each entered from a few roles."""
    graph = AssumeGraph()
    names = [f"role:t.yaml#R{i:02d}" for i in range(size)]
    for name in names:
        privileged = "admin" if rng.random() < 0.15 else None
        graph.add_node(Node(name, NodeKind.ROLE, name, SourceRef("t.yaml"), privileged))
    line = iter(range(1, 10**6))

    def hop(source: str, target: str, grant: bool = True, conditional: bool = False) -> None:
        at = SourceRef("t.yaml", Span.point(next(line), 1))
        graph.add_edge(
            Edge(
                source,
                target,
                "sts:AssumeRole",
                "h",
                trust=at,
                grant=at if grant else None,
                conditional=conditional,
            )
        )

    for source in names:
        for target in names:
            if source != target and rng.random() < density:
                hop(source, target)
                if rng.random() < 0.2:
                    hop(source, target)
    ends = list(names)
    if crowded:
        for account in ("111122223333", "444455556666"):
            crowd = f"crowd:{account}"
            graph.add_node(Node(crowd, NodeKind.CROWD, crowd))
            ends.append(crowd)
            for member in rng.sample(names, k=size // 4):
                hop(crowd, member, grant=False)
            for caller in rng.sample(names, k=3):
                hop(caller, crowd)
    entries = [
        Node("service:ec2.amazonaws.com", NodeKind.SERVICE, "ec2.amazonaws.com"),
        Node("anyone", NodeKind.ANYONE, "anyone (*)"),
    ]
    for entry in entries:
        graph.add_node(entry)
        for target in rng.sample(ends, k=len(ends) // 3):
            hop(entry.id, target, grant=False, conditional=rng.random() < 0.2)
            if rng.random() < 0.2:
                hop(entry.id, target, grant=False)
    return graph.sorted()


@pytest.mark.parametrize("crowded", [False, True])
@pytest.mark.parametrize("density", [0.03, 0.08, 0.2, 0.6])
@pytest.mark.parametrize("seed", range(6))
def test_rl405_chains_walked_at_once_equal_those_walked_one_by_one(
    seed: int, density: float, crowded: bool
) -> None:
    graph = _entered_graph(random.Random(seed), 40, density, crowded)
    assert _same_entry_chains(graph) > 0  # each graph gives the rule something to choose


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(roles=inventories(), crowded=st.booleans())
def test_rl405_chains_of_scanned_roles_walked_at_once_equal_those_one_by_one(
    roles: list[Role], crowded: bool
) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(crowds, "CROWD_MIN_PAIRS", 0 if crowded else 10**12)
        graph = build_graph(Inventory(roles=roles))
    _same_entry_chains(graph)


def test_rl405_walks_each_role_once_whatever_roles_a_party_enters(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A service enters every role of a line of n, the last of which may assume an admin role.
    RL405 walked from each in turn, each walk to the end of the line: n * n / 2 roles (a line
    of 1,000 took seconds, a hub entered from 1,000 roles then a line of 1,000 more).  It now
    walks from all of them at once, each role once, and still reports the shortest chain."""
    size = 60
    graph = AssumeGraph()
    names = [f"role:t.yaml#R{i:02d}" for i in range(size)] + ["role:t.yaml#Admin"]
    for name in names:
        privileged = "admin" if name.endswith("Admin") else None
        graph.add_node(Node(name, NodeKind.ROLE, name, SourceRef("t.yaml"), privileged))
    service = Node("service:ec2.amazonaws.com", NodeKind.SERVICE, "ec2.amazonaws.com")
    graph.add_node(service)
    for source, target in pairwise(names):
        graph.add_edge(Edge(source, target, "sts:AssumeRole", "h", grant=SourceRef("t.yaml")))
        graph.add_edge(Edge(service.id, source, "sts:AssumeRole", "s"))
    graph = graph.sorted()
    asked: list[str] = []
    principal_edges = AssumeGraph.principal_edges

    def counted(self: AssumeGraph, node_id: str) -> list[Edge]:
        asked.append(node_id)
        return principal_edges(self, node_id)

    monkeypatch.setattr(AssumeGraph, "principal_edges", counted)
    [(path, admins)] = chaining._shortest_entry_paths(graph, service)
    assert [edge.target for edge in path] == names[-2:]
    assert [admin.id for admin in admins] == names[-1:]
    # Each role's hops asked for at most three times: where the walk starts, when it leaves
    # the role, and for the role's own hops to an admin.  Walking from each in turn: 1,900.
    assert len(asked) <= 3 * len(names)
