"""Role chaining (RL401): which role can assume which, across every file of one run.

The hops come from the assume-role graph (:mod:`rolelint.graph`): a role's permission names
another role and that role's trust policy admits it, matched over the whole inventory, so a CI
role in one template and an admin role in another are joined.  A hop to a role with
administrator-level access the source lacks is high; any other hop is low; a chain of several
hops that ends at such a role is reported once from its start, with every hop.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from rolelint.checks.base import Hit, check, holder_key, holder_keys, once_per_inventory, some_of
from rolelint.checks.iam_match import statement_grants
from rolelint.checks.principals import Who, typed
from rolelint.checks.session import longest_valid_session, origin_note
from rolelint.findings import HolderKey, PathHop, Severity
from rolelint.graph.build import graph_of, node_ids_of
from rolelint.graph.hops import ASSUME_ROLE, trust_admissions
from rolelint.graph.model import AssumeGraph, Edge, Node, NodeKind
from rolelint.graph.scc import components
from rolelint.model import Inventory, Role, stand_ins_in_words
from rolelint.names import short_name
from rolelint.source import SourceRef

_NOWHERE = SourceRef("")  # a finding about parties outside the code points at their first file

# The longest chain reported, in hops (A -> B -> C -> D is three).
MAX_HOPS = 3


def hops_of(graph: AssumeGraph, path: Sequence[Edge]) -> int:
    """The hops of a path: an edge out of a crowd continues the hop that entered it."""
    return sum(1 for edge in path if not graph.is_crowd(edge.source))


def _reached(graph: AssumeGraph, node_id: str, seen: set[str]) -> bool:
    """Whether a walk has reached ``node_id``: itself, or a crowd it is a member of."""
    return node_id in seen or any(crowd in seen for crowd in graph.crowds_of(node_id))


# One step of a walk, the edges it adds to a path: a hop, or through a crowd the edge into a
# member and that member's hop onward (one hop: the crowd's edge continues the one into it).
_Step = tuple[Edge, ...]


def _steps_out(graph: AssumeGraph, node_id: str) -> list[_Step]:
    """The steps a walk takes out of ``node_id``: a role's or user's own hops, or a crowd's
    exits through its members that are no administrators (a chain stops at an admin)."""
    if graph.is_crowd(node_id):
        return [
            (into, edge)
            for into, edge in graph.crowd_exits(node_id)
            if graph.nodes[into.target].privileged is None
        ]
    return [(edge,) for edge in graph.principal_edges(node_id)]


@dataclass(slots=True)
class _Walk:
    """What a breadth-first walk has found so far: the step by which it first reached each
    node (a start has none), the hops of that node's path, and every node reached (a live set).

    A node keeps only the step into it, never its whole path: copying a path at each node cost
    a walk along a line of n roles n * n / 2 edges.  A path is put together when asked for."""

    steps: dict[str, _Step] = field(default_factory=dict)
    hops: dict[str, int] = field(default_factory=dict)
    seen: set[str] = field(default_factory=set)

    def path_to(self, node_id: str) -> list[Edge]:
        """The path by which the walk first reached ``node_id``, from the start it left."""
        backwards: list[Edge] = []
        step = self.steps.get(node_id)
        while step is not None:
            backwards.extend(reversed(step))
            step = self.steps.get(step[0].source)
        backwards.reverse()
        return backwards


def _breadth_first(
    graph: AssumeGraph, starts: Sequence[str], max_hops: int | None = None
) -> Iterator[tuple[str, _Walk]]:
    """Each role and crowd reached in more than one hop from the nearest of ``starts`` (breadth
    first, shortest hops), with the walk so far (:meth:`_Walk.path_to` gives its path).

    Each node is visited once (so cycles end); a path stops at the first privileged role (its
    hops are the administrator's own, a chain nobody built) and at ``max_hops``.  A crowd is
    walked through by its exits, never member by member.

    Of several starts, the nearest reaches a node, and of equally near ones the first in
    ``starts``: the walk goes layer by layer, each layer in the order of the starts it came
    from, so a node's path is the one a walk from that start alone finds.  One walk from every
    start costs what one start's does, where a walk per start cost each the rest of the graph
    (an outside party entering a line of n roles at each: n walks of up to n roles).

    The walk ends as soon as every node an edge leads to has been visited.  In a dense graph
    (every role may assume every other) that is after a node or two, where walking the rest of
    the queue cost each start every edge of the graph (a 1,500-role template: over three
    minutes).
    """
    walk = _Walk(hops=dict.fromkeys(starts, 0), seen=set(starts))
    queue: deque[str] = deque()
    for start in starts:
        for edge in graph.principal_edges(start):
            walk.seen.add(edge.target)
            if edge.target in walk.steps or edge.target in walk.hops:
                continue  # reached first by an earlier edge, or a start itself
            walk.steps[edge.target] = (edge,)
            walk.hops[edge.target] = hops_of(graph, (edge,))
            queue.append(edge.target)
    return _walk_on(graph, walk, queue, max_hops)


def _walk_on(
    graph: AssumeGraph, walk: _Walk, queue: deque[str], max_hops: int | None
) -> Iterator[tuple[str, _Walk]]:
    """:func:`_breadth_first` once its first layer is in ``walk`` and ``queue``: each node
    reached past it, breadth first, with the walk so far."""
    reachable = graph.edge_targets()
    unvisited = len(reachable) - len(walk.seen & reachable)
    while queue and unvisited:
        last = queue.popleft()
        if graph.nodes[last].privileged is not None:
            continue
        if max_hops is not None and walk.hops[last] >= max_hops:
            continue
        for step in _steps_out(graph, last):
            target = step[-1].target
            if _reached(graph, target, walk.seen):  # the starts are seen from the first
                continue
            walk.seen.add(target)
            walk.steps[target] = step
            walk.hops[target] = walk.hops[last] + hops_of(graph, step)
            unvisited -= 1
            yield target, walk
            if not unvisited:
                return
            queue.append(target)


def _escalations(
    graph: AssumeGraph, starts: Sequence[str], max_hops: int | None
) -> Iterator[list[Edge]]:
    """:func:`escalation_paths` from the nearest of several starts (:func:`_breadth_first`)."""
    for target, walk in _breadth_first(graph, starts, max_hops):
        if graph.nodes[target].privileged is not None or graph.is_crowd(target):
            yield walk.path_to(target)


def escalation_paths(
    graph: AssumeGraph, start: str, max_hops: int | None = MAX_HOPS
) -> Iterator[list[Edge]]:
    """The shortest multi-hop path from ``start`` to each privileged role it reaches, and to
    each crowd (whose privileged members it then reaches, see :mod:`rolelint.graph.crowds`),
    in the order a breadth-first walk reaches them; direct hops are not repeated here.  Of
    ``max_hops`` hops at most (RL401's chains), or of any length with None: each node is
    visited once either way, so the walk stays linear in the graph."""
    return _escalations(graph, (start,), max_hops)


def chain_nodes(graph: AssumeGraph, source: Node, path: list[Edge]) -> list[Node]:
    """The parties a path goes through, crowds left out unless the path ends in one."""
    nodes = [source]
    for index, edge in enumerate(path):
        node = graph.nodes[edge.target]
        if node.kind is not NodeKind.CROWD or index == len(path) - 1:
            nodes.append(node)
    return nodes


_NAMED = 5  # administrator roles a crowd finding names before "and N more"


def _admins_named(graph: AssumeGraph, admins: list[Node]) -> str:
    return some_of([graph.shown(n) for n in admins], _NAMED)


def _hop(node: Node) -> PathHop:
    """The node as a hop of a finding's path; a party defined nowhere gets no place ("", 0)."""
    ref = node.ref
    return PathHop(node.label, ref.file if ref else "", ref.line if ref else 0, node.id)


class _Hops:
    """:func:`_hop` of each node, made once per check: the findings of a dense graph (800
    roles each assuming hundreds of the others) name each node hundreds of times, and a hop of
    its own per finding held 600,000 equal objects (37 MB) until the report was written."""

    __slots__ = ("_made",)

    def __init__(self) -> None:
        self._made: dict[str, PathHop] = {}

    def __call__(self, node: Node) -> PathHop:
        made = self._made.get(node.id)
        if made is None:
            made = self._made[node.id] = _hop(node)
        return made


@once_per_inventory
def _holders_by_node(inventory: Inventory) -> dict[str, frozenset[HolderKey]]:
    """The holders each graph node of ``inventory`` stands for (its role, or its user seen as
    one), by node id.  A chaining finding carries those of the role it names (``Hit.holders``),
    as every other rule's findings do: the instances of a module two Terraform roots call are
    one address at one place and two nodes, and only the holders say which instance a finding
    is on (the engine then names its root, the audit views count it on that instance's row),
    and a finding merged for several instances carries each one's."""
    ids = node_ids_of(inventory)
    found: dict[str, set[HolderKey]] = {}
    for role in inventory.roles:
        found.setdefault(ids.role(role), set()).add(holder_key(role))
    for identity in inventory.identities:
        found.setdefault(ids.identity(identity), set()).add(holder_key(identity))
    return {node: frozenset(keys) for node, keys in found.items()}


def _holders(inventory: Inventory, node: Node) -> frozenset[HolderKey]:
    """The holders of ``node`` (none for a party outside the scanned code)."""
    return _holders_by_node(inventory).get(node.id, frozenset())


def _node_key(node: Node) -> str:
    """The node as fingerprints name it (file#id), stable since the first release."""
    return node.id.split(":", 1)[1]


def _escalates(source: Node) -> bool:
    """Whether reaching an administrator role is known to give ``source`` more than it has:
    not when the input holds none of its own policies (a get-role or list-roles answer), as
    it may be an administrator itself.  Such a hop is reported at low severity, as one to a
    role that is no administrator."""
    return source.unread_permissions is None


def _lacking(source: Node) -> str:
    """How a finding says the target's administrator-level access is more than ``source``'s:
    it lacks it, or, when its own policies are not in the input, it may."""
    if _escalates(source):
        return f"that {source.label} lacks"
    return f"that {source.label} may lack (its own permission policies are not in the input)"


def _first_hop_at(graph: AssumeGraph, edge: Edge, caller: Node) -> tuple[SourceRef, str]:
    """Where a finding on a chain or circle whose first hop is ``edge`` (out of ``caller``)
    points, and the resource whose text that is: the caller's permission that grants the hop
    (in the policy resource that holds it), else the trust principal that admits the caller,
    in the trust policy of the role it assumes (that role's, as RL401 says of that one hop),
    else the caller's definition.  A suppression on a resource covers the findings in its
    text: a chain found in Beta's trust named its first role, so an entry on Beta did not
    cover it and was called unused."""
    if edge.grant is not None:
        return edge.grant, edge.grant_resource or caller.label
    if edge.trust is not None:
        return edge.trust, graph.nodes[edge.target].label
    return caller.ref or _NOWHERE, caller.label


def _resource_once(edge: Edge, caller: Node) -> str:
    """The resource a chain or circle finding named before it named the one its place is in
    (:func:`_first_hop_at`): the grant's, else the caller's, whatever its place.  Its
    fingerprint hashes this one, so that a baseline recorded then still matches it."""
    return edge.grant_resource or caller.label


@check("RL401", reads_graph=True)
def role_chain_to_more_privileged_role(inventory: Inventory) -> Iterator[Hit]:
    graph = graph_of(inventory)
    hop = _Hops()
    for source in graph.nodes.values():
        if source.kind not in (NodeKind.ROLE, NodeKind.USER):
            continue
        if source.ref is None or source.privileged is not None:
            continue  # outside the code, or an administrator gains nothing by assuming another
        noun = "User" if source.kind is NodeKind.USER else "Role"
        holders = _holders(inventory, source)
        roles = (source.label,)  # Finding.roles, one tuple for every finding on the source
        for edge in graph.principal_edges(source.id):
            target = graph.nodes[edge.target]
            if target.kind is NodeKind.CROWD:
                yield from _crowd_hop(graph, noun, source, edge, holders, hop)
                continue
            escalates = target.privileged is not None
            shown = graph.shown(target)
            tail = (
                f"; {shown} has administrator-level access ({target.privileged}) "
                + _lacking(source)
                if escalates
                else ""
            )
            yield Hit(
                "RL401",
                f"{noun} {source.label} can assume role {shown} ({edge.how}){tail}",
                edge.grant or edge.trust or source.ref,
                edge.grant_resource or target.label,
                f"assume|{source.label}|{_node_key(target)}|{edge.grant_value}",
                role=source.label,
                severity=None if escalates and _escalates(source) else Severity.LOW,
                path=(hop(source), hop(target)),
                roles=roles,
                holders=holders,
            )
        for path in escalation_paths(graph, source.id):
            chain = chain_nodes(graph, source, path)
            final = chain[-1]
            through = ", ".join(graph.shown(node) for node in chain[1:-1])
            hops = " -> ".join(graph.shown(node) for node in chain)
            if final.kind is NodeKind.CROWD:
                admins = graph.crowd_admins(final.id)
                if not admins:
                    continue
                yield Hit(
                    "RL401",
                    f"{noun} {source.label} can assume {final.label} through {through} "
                    f"({hops}); {len(admins)} of them have "
                    f"administrator-level access {_lacking(source)}: "
                    + _admins_named(graph, admins),
                    *_first_hop_at(graph, path[0], source),
                    "chain|" + "|".join(_node_key(node) for node in chain),
                    role=source.label,
                    severity=None if _escalates(source) else Severity.LOW,
                    path=(*(hop(node) for node in chain[:-1]), hop(admins[0])),
                    roles=roles,
                    holders=holders,
                    fingerprinted_resource=_resource_once(path[0], source),
                )
                continue
            yield Hit(
                "RL401",
                f"{noun} {source.label} can assume role {graph.shown(final)} through {through} "
                f"({hops}); {graph.shown(final)} has "
                f"administrator-level access ({final.privileged}) {_lacking(source)}",
                *_first_hop_at(graph, path[0], source),
                "chain|" + "|".join(_node_key(node) for node in chain),
                role=source.label,
                severity=None if _escalates(source) else Severity.LOW,
                path=tuple(hop(node) for node in chain),
                roles=roles,
                holders=holders,
                fingerprinted_resource=_resource_once(path[0], source),
            )


def _crowd_hop(
    graph: AssumeGraph,
    noun: str,
    source: Node,
    edge: Edge,
    holders: frozenset[HolderKey],
    hop: _Hops,
) -> Iterator[Hit]:
    """One finding for a grant that reaches a whole crowd, naming its administrator roles;
    ``holders`` are ``source``'s."""
    crowd = graph.nodes[edge.target]
    admins = graph.crowd_admins(crowd.id)
    others = len(graph.crowd_member_ids(crowd.id) - {source.id})
    if not others:
        return
    tail = (
        f"; {len(admins)} of them have administrator-level access {_lacking(source)}: "
        + _admins_named(graph, admins)
        if admins
        else ""
    )
    shown = admins[0] if admins else graph.nodes[_first_other(graph, crowd.id, source.id)]
    yield Hit(
        "RL401",
        f"{noun} {source.label} can assume any of {others} roles ({edge.how}){tail}",
        edge.grant or source.ref or _NOWHERE,
        edge.grant_resource or crowd.label,
        f"assume|{source.label}|{_node_key(crowd)}|{edge.grant_value}",
        role=source.label,
        severity=None if admins and _escalates(source) else Severity.LOW,
        path=(hop(source), hop(shown)),
        holders=holders,
    )


def _first_other(graph: AssumeGraph, crowd: str, source: str) -> str:
    return next(node for _, node in graph.crowd_members_by_label(crowd) if node != source)


# --- RL402 ----------------------------------------------------------------------------------------


def _onward(graph: AssumeGraph, node_id: str) -> list[str]:
    """Where a circle can go on from a role: its IAM hops, none from an administrator (it can
    reach every role that trusts its account anyway, which RL201 reports; a circle closed only
    through it says nothing new)."""
    if graph.nodes[node_id].privileged is not None:
        return []
    if graph.is_crowd(node_id):
        return [e.target for e in graph.out_edges(node_id)]  # sorted with the edges
    return sorted({e.target for e in graph.principal_edges(node_id)})


def _cycles(graph: AssumeGraph) -> list[list[str]]:
    """Each group of roles that can assume one another in a circle (a strongly connected group
    of two or more over IAM hops, see :func:`_onward`), members in sorted order; groups in
    sorted order."""
    groups = [
        sorted(group)
        for group in components(sorted(graph.nodes), lambda node: _onward(graph, node))
        if sum(1 for member in group if not graph.is_crowd(member)) > 1
    ]
    return sorted(groups)


def _circle_through(graph: AssumeGraph, start: str, group: set[str]) -> list[str]:
    """The shortest walk of hops from ``start`` back to it, inside ``group`` (a circle of
    roles, so one exists): the roles a finding shows, each arrow a real hop.

    A crowd is opened once per walk (its members are the next roles); a role entering a crowd
    that ``start`` belongs to closes the circle, unless that role is ``start`` itself (a role
    does not assume itself through a crowd).
    """
    parents: dict[str, str] = {}
    opened: set[str] = set()
    queue: deque[str] = deque([start])

    def walk_back(last: str) -> list[str]:
        walk = [last]
        while walk[-1] != start:
            walk.append(parents[walk[-1]])
        return [*reversed(walk), start]

    while queue:
        current = queue.popleft()
        for successor in _onward(graph, current):
            if successor not in group:
                continue
            if graph.is_crowd(successor):
                if current != start and start in graph.crowd_member_ids(successor):
                    return walk_back(current)
                if successor in opened:
                    continue
                opened.add(successor)
                following = [m for m in _onward(graph, successor) if m in group]
            else:
                following = [successor]
            for role in following:
                if role == start:
                    if current != start:
                        return walk_back(current)
                    continue
                if role not in parents:
                    parents[role] = current
                    queue.append(role)
    raise AssertionError(f"{start} is in a circle, so some walk leads back to it")


def _hop_edge(graph: AssumeGraph, source: str, target: str) -> Edge:
    """The edge of a hop from ``source`` to ``target``: direct, or into a crowd holding it."""
    edges = graph.principal_edges(source)
    for edge in edges:
        if edge.target == target:
            return edge
    return next(e for e in edges if e.target in graph.crowds_of(target))


_LISTED = 10  # roles of a circle or a chain a finding names before "and N more"


@check("RL402", reads_graph=True)
def role_chaining_cycle(inventory: Inventory) -> Iterator[Hit]:
    graph = graph_of(inventory)
    for group in _cycles(graph):
        nodes = [graph.nodes[member] for member in group if not graph.is_crowd(member)]
        first = nodes[0]
        circle = _circle_through(graph, first.id, set(group))
        edge = _hop_edge(graph, first.id, circle[1])
        names = some_of([n.label for n in nodes], _LISTED)
        yield Hit(
            "RL402",
            f"Roles {names} can assume one another in a circle: "
            "whoever holds one holds them all, and a session can be renewed through the circle "
            "for as long as an attacker keeps it going (each chained session lasts an hour, "
            "the next hop starts a new one)",
            *_first_hop_at(graph, edge, first),
            "cycle|" + "|".join(_node_key(n) for n in nodes),
            role=first.label,
            path=tuple(_hop(graph.nodes[member]) for member in circle),
            holders=_holders(inventory, first),
            fingerprinted_resource=_resource_once(edge, first),
        )


# --- RL404 ----------------------------------------------------------------------------------------


@check("RL404")
def role_trusts_itself(inventory: Inventory) -> Iterator[Hit]:
    """Each principal of a role's trust policy naming the role itself (its ARN, a pattern
    matching it, a session of it), judged as the graph judges a hop (trust_admissions): a Deny
    refusing it to the role, or a condition the role can never meet, leaves it out, as the
    graph draws no hop then.  Anyone ('*'), the account and its root name every principal of
    the account, not the role: other rules speak of them."""
    ids = node_ids_of(inventory)
    for role in inventory.roles:
        if role.trust_policy is None:
            continue
        # A chaining finding always has its path: here the one hop from the role to itself.
        itself = PathHop(role.id, role.ref.file, role.ref.line, ids.role(role))
        for admission in trust_admissions(role, role, each_principal=True):
            principal = admission.principal
            text = principal.value.text or ""
            if not text.startswith("arn:") or text.endswith(":root"):
                continue
            # A session of the role (``assumed-role/NAME/SESSION``) is the role too: it opens
            # that session and, from it, assumes the role again.  Its ARN, named by reference,
            # holds the stand-ins of a name or path not known: said in words, kept in the key.
            yield Hit(
                "RL404",
                f"Role {role.id} trusts itself ('{stand_ins_in_words(text)}'): its own sessions "
                "can assume it again, so a session can be renewed indefinitely; keep this only "
                "when the workload really re-assumes its own role",
                principal.value.ref,
                role.trust_policy.resource,
                f"self|{role.id}|{text}",
                role=role.id,
                holders=holder_keys((role,)),
                path=(itself, itself),
            )


# --- RL405 ----------------------------------------------------------------------------------------

_OUTSIDE = (NodeKind.ANYONE, NodeKind.ACCOUNT, NodeKind.FEDERATED, NodeKind.SERVICE)
_BY_ARN = (NodeKind.ROLE, NodeKind.USER)


def _is_entry(node: Node) -> bool:
    """A party outside the scanned code that a chain can start from: anyone, a service, a
    provider, an account outside the declared ones, or a role or user of such an account
    named by its ARN (it is no less outside than the account's root; scanned roles have a
    place, own-account ones are left out as the own account is)."""
    if node.kind in _BY_ARN:
        return node.ref is None and node.external
    return node.kind in _OUTSIDE and (node.kind is not NodeKind.ACCOUNT or node.external)


def _entered(graph: AssumeGraph, entry: Node) -> dict[str, Edge]:
    """The roles a chain from ``entry`` starts at, each by the first edge into it."""
    firsts: dict[str, Edge] = {}
    for first in graph.out_edges(entry.id):
        if first.between_principals or first.maybe_own:
            continue  # a hop between scanned principals, or perhaps from the user's own
        start = graph.nodes[first.target]
        if start.privileged is not None or start.kind is NodeKind.CROWD:
            continue  # trusted directly: the trust rules and RL201 say so already
        firsts.setdefault(start.id, first)
    return firsts


def _entry_paths(graph: AssumeGraph, entry: Node) -> Iterator[list[Edge]]:
    """From a party outside the scanned principals: each privileged role (or crowd with one)
    reached through at least one role hop (entry -> role -> ... -> admin), however many hops it
    takes.  RL401's limit of three hops is a limit on what it reports per role; the party holds
    the admin role at the end of a longer chain all the same (RL403 reports that chain as too
    long, which says nothing of who enters it).

    The roles the party enters (by the first edge into each) are walked from at once, in the
    order of their ids: each role or crowd comes with its path from the nearest, of equally
    near ones the first by id, which is the path :func:`_shortest_entry_paths` keeps of those a
    walk from each role in turn finds (they begin with the first role's id).  That walk cost a
    party entering a line of n roles at each n walks of up to n roles."""
    firsts = _entered(graph, entry)
    starts = sorted(firsts)
    for path in _escalations(graph, starts, max_hops=None):
        yield [firsts[path[0].source], *path]
    for start_id in starts:
        for hop in graph.principal_edges(start_id):
            target = graph.nodes[hop.target]
            if target.privileged is not None or target.kind is NodeKind.CROWD:
                yield [firsts[start_id], hop]


def _admins_reached(graph: AssumeGraph, path: list[Edge]) -> list[Node]:
    """The administrator roles at the end of a path: its last role, or a crowd's admins."""
    final = graph.nodes[path[-1].target]
    return graph.crowd_admins(final.id) if final.kind is NodeKind.CROWD else [final]


def _shortest_entry_paths(graph: AssumeGraph, entry: Node) -> list[tuple[list[Edge], list[Node]]]:
    """Each chain RL405 reports from ``entry``, with the administrator roles it reaches: for
    every such role the path with the fewest hops, of equal ones the first by the ids of the
    nodes it goes through.  The first role of a path only decides where the walk starts, so a
    role's name never decides which of two chains is shown (and where, and its fingerprint).

    An administrator role whose own trust admits ``entry`` with no condition is left out: the
    party holds it in one step, which the trust rules and RL201 report, and no chain to it
    exposes more (under a condition, a chain may reach it where the trust does not)."""
    direct = {
        edge.target
        for edge in graph.out_edges(entry.id)
        if not edge.between_principals and not edge.conditional
    }
    best: dict[str, tuple[tuple[int, tuple[str, ...]], list[Edge]]] = {}
    for path in _entry_paths(graph, entry):
        key = (hops_of(graph, path), tuple(edge.target for edge in path))
        for admin in _admins_reached(graph, path):
            if admin.id in direct:
                continue
            known = best.get(admin.id)
            if known is None or key < known[0]:
                best[admin.id] = (key, path)
    chosen: dict[tuple[int, tuple[str, ...]], tuple[list[Edge], set[str]]] = {}
    for admin_id, (key, path) in best.items():
        chosen.setdefault(key, (path, set()))[1].add(admin_id)
    return [
        (path, [admin for admin in _admins_reached(graph, path) if admin.id in admin_ids])
        for _, (path, admin_ids) in sorted(chosen.items(), key=lambda item: item[0])
    ]


def _later_hops(graph: AssumeGraph, edges: list[Edge]) -> str:
    """What makes the hops of an RL405 chain after its first, in words: "the next ones its
    permissions" when each is a permission of the role it leaves; otherwise each in turn, so
    that a hop a trust policy makes by naming the role (same account: AWS asks no permission
    of it) is not sought among permissions that do not exist.  An edge out of a crowd is the
    end of the permission hop that entered it."""
    hops = [edge for edge in edges if not graph.is_crowd(edge.source)]
    if all(edge.grant is not None for edge in hops):
        return "the next ones its permissions"
    named = [
        f"a permission of {graph.shown(graph.nodes[edge.source])}"
        if edge.grant is not None
        else f"the trust policy of {graph.shown(graph.nodes[edge.target])} naming "
        f"{graph.shown(graph.nodes[edge.source])} by {edge.named_by or 'its ARN'}"
        for edge in hops[:_LISTED]
    ]
    return "then " + some_of(named, _LISTED, count=len(hops), separator=", then ")


# What the instances of one role share: its kind and its name.
_Instance = tuple[NodeKind, str]


def _instance_of(node: Node) -> _Instance | None:
    """Which role or user of the code ``node`` is an instance of: the same kind and name (a
    module's role in each root that calls it, a template's in each copy of it, named in each
    alike); None for a party outside the code or a crowd, each the only one of its kind."""
    if node.ref is None or node.kind not in _BY_ARN:
        return None
    return node.kind, short_name(node.label, node.ref.file)


def _instances(graph: AssumeGraph) -> dict[_Instance, list[str]]:
    """The nodes of each role or user of the code, by :func:`_instance_of`."""
    found: dict[_Instance, list[str]] = {}
    for node in graph.nodes.values():
        instance = _instance_of(node)
        if instance is not None:
            found.setdefault(instance, []).append(node.id)
    return found


def _onward_edges(graph: AssumeGraph, node_id: str) -> list[Edge]:
    """The edges a chain goes on by: a role's or user's hops, or a crowd's into its members."""
    return graph.out_edges(node_id) if graph.is_crowd(node_id) else graph.principal_edges(node_id)


def _same_chain_elsewhere(
    graph: AssumeGraph,
    instances: dict[_Instance, list[str]],
    entered: dict[str, Edge],
    path: list[Edge],
) -> Iterator[list[Edge]]:
    """The chain ``path`` (from an outside party, by ``entered``: its first edge into each role
    it enters) through another instance of its roles, once for each other instance of its
    first role that the party enters and that reaches the same end so: the same hops, through
    roles of the same names (a module two roots call, each root's instance of its role; a
    template deployed from a copy per stage).  Each is a chain of fewest hops as well; of
    several from one instance, the first by the ids of its nodes; in the order of those of
    the first role.

    RL405 reported the chain of the first instance alone (by the ids of its nodes), so the
    others had no finding: not on their inventory rows, and for a module no root of theirs."""
    nodes = [edge.target for edge in path]
    first = _instance_of(graph.nodes[nodes[0]])
    if first is None or len(instances[first]) < 2:
        return  # the only instance of its first role: the usual case, asked nothing more
    layers = [{nodes[-1]}]  # from the end back: the nodes at each place that lead on to it
    for index in range(len(nodes) - 2, -1, -1):
        layer = {
            other
            for other in _leading_to(graph, instances, nodes[index], layers[-1])
            if graph.nodes[other].privileged is None and (index or other in entered)
        }
        layers.append(layer)
    layers.reverse()
    for start in sorted(layers[0] - {nodes[0]}):
        chain = [entered[start]]
        for layer in layers[1:]:
            onward = _onward_edges(graph, chain[-1].target)
            chain.append(min((e for e in onward if e.target in layer), key=lambda e: e.target))
        yield chain


def _leading_to(
    graph: AssumeGraph, instances: dict[_Instance, list[str]], node_id: str, onward: set[str]
) -> set[str]:
    """The instances of ``node_id`` (itself, for a crowd) an edge of which leads on into
    ``onward``: asked of each instance, or of the edges into ``onward``, whichever are fewer
    (a thousand copies of a template, each reaching its own administrator; one administrator
    a thousand roles may assume)."""
    instance = _instance_of(graph.nodes[node_id])
    alike = [node_id] if instance is None else instances[instance]
    if len(alike) <= sum(len(graph.in_edges(target)) for target in onward):
        return {
            other
            for other in alike
            if any(edge.target in onward for edge in _onward_edges(graph, other))
        }
    return {
        edge.source
        for target in onward
        for edge in graph.in_edges(target)
        if (graph.is_crowd(edge.source) or edge.between_principals)
        and (
            edge.source == node_id
            or (instance is not None and _instance_of(graph.nodes[edge.source]) == instance)
        )
    }


@check("RL405", reads_graph=True)
def outside_principal_reaches_privileged_role(inventory: Inventory) -> Iterator[Hit]:
    graph = graph_of(inventory)
    instances = _instances(graph)
    for entry in graph.nodes.values():
        if not _is_entry(entry):
            continue
        entered = _entered(graph, entry)
        for path, admins in _shortest_entry_paths(graph, entry):
            yield _entry_hit(inventory, graph, entry, path, admins)
            for elsewhere in _same_chain_elsewhere(graph, instances, entered, path):
                yield _entry_hit(inventory, graph, entry, elsewhere, admins)


def _entry_hit(
    inventory: Inventory, graph: AssumeGraph, entry: Node, path: list[Edge], admins: list[Node]
) -> Hit:
    """RL405's finding on the chain ``path`` from ``entry`` to ``admins``, on its first role:
    where two instances of a module make it, the two say the same at one place, and the engine
    keeps one finding on the holders of both."""
    final = graph.nodes[path[-1].target]
    chain = chain_nodes(graph, graph.nodes[path[0].target], path[1:])
    first_role = chain[0]
    reached = (
        f"{final.label}, {len(admins)} of them with administrator-level access: "
        + _admins_named(graph, admins)
        if final.kind is NodeKind.CROWD
        else f"role {graph.shown(final)}, which has administrator-level access ({final.privileged})"
    )
    # A chain of thousands of roles (a ring of them in an account export) named each one: the
    # message names the first, as RL402's circle does; the path holds every hop.
    shown = [graph.shown(n) for n in chain[:_LISTED]]
    through = some_of(shown, _LISTED, count=len(chain), separator=" -> ")
    return Hit(
        "RL405",
        f"{entry.label} can reach {reached}: {entry.label} -> {through}; the first hop is the "
        f"trust policy of {graph.shown(first_role)}, {_later_hops(graph, path[1:])}",
        path[0].trust or first_role.ref or _NOWHERE,
        first_role.label,
        f"entry|{entry.id}|" + "|".join(_node_key(n) for n in chain),
        role=first_role.label,
        holders=_holders(inventory, first_role),
        path=(
            PathHop(entry.label, "", 0),  # outside the code: no place
            *(_hop(n) for n in chain if n.kind is not NodeKind.CROWD),
            *((_hop(admins[0]),) if final.kind is NodeKind.CROWD else ()),
        ),
    )


# --- RL304 ----------------------------------------------------------------------------------------

CHAINED_SESSION_LIMIT = 3600  # seconds: AWS caps every role-chaining session at one hour


def _only_chained(graph: AssumeGraph, node_id: str) -> bool:
    """Every way into the role is another role's session (a scanned role, or a role ARN its
    trust policy names): users, services, providers and accounts never reach it directly."""
    edges = graph.in_edges(node_id)
    return bool(edges) and all(_from_roles(graph, e.source) for e in edges)


def _admits_someone_unknown(role: Role) -> bool:
    """The trust policy allows a principal rolelint cannot resolve (a parameter, a variable):
    it may be a user or an account, whose sessions are not chained, so "only roles" is not
    certain."""
    trust = role.trust_policy
    if trust is None:
        return False
    return any(
        principal.value.text is None
        for statement in trust.statements
        if statement.is_allow
        for principal in statement.principals
    )


_ROLE_SESSIONS = frozenset({Who.ROLE, Who.ASSUMED_ROLE})
_NO_ONE = frozenset({Who.UNRESOLVED, Who.MALFORMED})  # unknowns: see _admits_someone_unknown


def _admits_a_non_role(role: Role) -> bool:
    """The trust policy lets a principal that is not a role call sts:AssumeRole: a user
    (scanned or not), a federated user, a unique id, an account... Its sessions are not
    chained, though the graph may hold no edge from it (a scanned user whose policies rolelint
    cannot read has no known grant)."""
    trust = role.trust_policy
    if trust is None:
        return False
    return any(
        typed(principal).who not in _ROLE_SESSIONS | _NO_ONE
        for statement in trust.statements
        if statement.is_allow and statement_grants(statement, ASSUME_ROLE)
        for principal in statement.principals
    )


def _from_roles(graph: AssumeGraph, node_id: str) -> bool:
    """A role, or a crowd only roles enter."""
    kind = graph.nodes[node_id].kind
    if kind is NodeKind.CROWD:
        return all(graph.nodes[e.source].kind is NodeKind.ROLE for e in graph.in_edges(node_id))
    return kind is NodeKind.ROLE


@check("RL304", reads_graph=True)
def chained_role_session_duration(inventory: Inventory) -> Iterator[Hit]:
    graph = graph_of(inventory)
    ids = node_ids_of(inventory)
    for role in inventory.roles:
        node = graph.nodes.get(ids.role(role))
        if node is None or node.max_session_duration is None:
            continue
        if node.max_session_duration <= CHAINED_SESSION_LIMIT:
            continue
        if not _only_chained(graph, node.id) or _admits_someone_unknown(role):
            continue
        if _admits_a_non_role(role):
            continue
        callers = sorted({graph.nodes[e.source].label for e in graph.in_edges(node.id)})
        written = longest_valid_session(role.max_session_duration)
        if written is None:
            continue
        yield Hit(
            "RL304",
            f"Role {role.id} sets MaxSessionDuration {node.max_session_duration}"
            f"{origin_note(written)}, but only other "
            f"roles can assume it ({', '.join(callers)}), and a session obtained by role "
            f"chaining lasts at most {CHAINED_SESSION_LIMIT} seconds: the setting promises "
            "sessions no caller can get, and a caller that asks for more is refused",
            written.ref,
            role.id,
            f"chained-duration|{role.id}",
            role=role.id,
            holders=holder_keys((role,)),
        )


# --- RL403 ----------------------------------------------------------------------------------------


def _into_member(graph: AssumeGraph, path: list[Edge], seen: set[str]) -> list[Edge] | None:
    """A path that ends in a crowd, made to end at its first member reached only there; None
    when every member was reached before."""
    if not graph.is_crowd(path[-1].target):
        return path
    for edge in graph.out_edges(path[-1].target):
        if edge.target not in seen and not any(
            crowd in seen and crowd != edge.source for crowd in graph.crowds_of(edge.target)
        ):
            return [*path, edge]
    return None


def _firsts(graph: AssumeGraph, start: str) -> dict[str, Edge]:
    """The first layer of a walk from ``start``: each node its hops lead to but itself, in the
    order of its edges, by the first edge to it (:func:`_breadth_first` keeps that one)."""
    firsts: dict[str, Edge] = {}
    for edge in graph.principal_edges(start):
        if edge.target != start:
            firsts.setdefault(edge.target, edge)
    return firsts


class _SharedReach:
    """RL403's walk from every role whose hops lead to the same nodes (``firsts``, in order),
    taken once for them all: a hub role that a thousand roles may assume was walked past
    once per role, each walk to every role past the hub (the roles of a wide hub, squared).

    A walk from such a role is this walk with the role's own edges in front, but for the role
    itself, which its own walk has seen from the start.  Its hops lead only to the nodes this
    walk sets out from, so no node is reached through it, and only two answers can differ for
    it: it is no node of its own chain (:meth:`chain_from` passes over it where this walk
    reached it beyond the depth), and a crowd reached beyond the depth does not end the chain
    at it (this walk may, as the first member of the crowd it had not reached).

    The walk goes on only as far as a role asks: the first node beyond the depth usually
    answers every role of the group."""

    __slots__ = ("_depth", "_found", "_graph", "_order", "_walk", "_walker")

    def __init__(self, graph: AssumeGraph, firsts: Sequence[str], depth: int) -> None:
        self._graph = graph
        self._depth = depth
        # The first layer has no step: a path ends at it, where each role puts its own edge.
        self._walk = _Walk(hops=dict.fromkeys(firsts, 1), seen=set(firsts))
        self._walker = _walk_on(graph, self._walk, deque(firsts), None)
        self._order: dict[str, int] = {}  # each node reached, by when
        # Each node reached beyond the depth whose chain a role without a part in the walk
        # takes (:func:`_into_member` finds one), in the order reached, with that chain.
        self._found: list[tuple[str, list[Edge]]] = []

    def _beyond(self, index: int) -> tuple[str, list[Edge]] | None:
        """The ``index``-th node reached beyond the depth, with its chain; None past the last."""
        walk = self._walk
        while len(self._found) <= index:
            reached = next(self._walker, None)
            if reached is None:
                return None
            target = reached[0]
            self._order[target] = len(self._order)
            if walk.hops[target] > self._depth:
                found = _into_member(self._graph, walk.path_to(target), walk.seen)
                if found is not None:
                    self._found.append((target, found))
        return self._found[index]

    def chain_from(self, start: str, firsts: dict[str, Edge]) -> list[Edge] | None:
        """The chain RL403 reports from ``start`` (see :func:`_longest_reaches`), whose first
        layer is this walk's (``firsts``, by the edge to each); None for none."""
        index = 0
        while (beyond := self._beyond(index)) is not None:
            index += 1
            target, path = beyond
            if target == start:
                continue  # its own walk set out from it
            if path[-1].target == start:  # the member of a crowd this walk ended at
                found = self._member_besides(target, path[:-1], start)
                if found is None:
                    continue
                path = found
            return [firsts[path[0].source], *path]
        return None

    def _member_besides(self, crowd: str, path: list[Edge], start: str) -> list[Edge] | None:
        """:func:`_into_member` of ``path`` into ``crowd`` as the walk from ``start`` saw it
        then: the nodes reached up to the crowd, and ``start``."""
        order = self._order
        until = order[crowd]

        def seen(node: str) -> bool:
            return node == start or (node in self._walk.hops and order.get(node, -1) <= until)

        for edge in self._graph.out_edges(crowd):
            member = edge.target
            if not seen(member) and not any(
                seen(other) and other != crowd for other in self._graph.crowds_of(member)
            ):
                return [*path, edge]
        return None


def _longest_reaches(graph: AssumeGraph, depth: int) -> Iterator[tuple[Node, list[Edge]]]:
    """Each scanned role (in the graph's order) that reaches a role only in more than
    ``depth`` hops, with the first path to one a walk from it finds (breadth first, shortest
    hops; into a crowd, on to its first member reached only there).

    As in :func:`escalation_paths`, a path stops at a role with administrator-level access: its
    hops are the administrator's own (it reaches every role that trusts its account, and may
    rewrite any trust policy), a chain nobody built, which RL401 and RL402 leave out too.  So
    an administrator starts none.

    Roles whose hops lead to the same nodes share one walk (:class:`_SharedReach`), kept while
    a role of theirs is still to come: a walk from each role in turn took every role before a
    hub past it, to every role behind it."""
    starts: list[tuple[Node, dict[str, Edge]]] = []
    waiting: dict[tuple[str, ...], int] = {}
    for source in graph.roles():
        if source.ref is None or source.privileged is not None:
            continue  # outside the code, or an administrator: its hops are its own
        firsts = _firsts(graph, source.id)
        if firsts:
            starts.append((source, firsts))
            key = tuple(firsts)
            waiting[key] = waiting.get(key, 0) + 1
    shared: dict[tuple[str, ...], _SharedReach] = {}
    for source, firsts in starts:
        key = tuple(firsts)
        reach = shared.get(key)
        if reach is None:
            reach = shared[key] = _SharedReach(graph, key, depth)
        path = reach.chain_from(source.id, firsts)
        waiting[key] -= 1
        if not waiting[key]:
            del shared[key]
        if path is not None:
            yield source, path


@check("RL403", reads_graph=True)
def role_chain_longer_than_depth(inventory: Inventory) -> Iterator[Hit]:
    graph = graph_of(inventory)
    depth = inventory.settings.chain_depth
    for source, path in _longest_reaches(graph, depth):
        chain = chain_nodes(graph, source, path)
        yield Hit(
            "RL403",
            f"Role {source.label} reaches role {graph.shown(chain[-1])} only through "
            f"{hops_of(graph, path)} hops "
            f"({' -> '.join(graph.shown(n) for n in chain)}), more than the {depth} allowed "
            "(chain-depth): long chains hide who can finally act as a role, and each hop "
            "adds a trust policy to review",
            path[0].grant or source.ref or _NOWHERE,
            path[0].grant_resource or source.label,
            "depth|" + "|".join(_node_key(n) for n in chain),
            role=source.label,
            path=tuple(_hop(n) for n in chain),
            holders=_holders(inventory, source),
        )
