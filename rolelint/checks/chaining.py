"""Role chaining (RL401): which role can assume which, across every file of one run.

The hops come from the assume-role graph (:mod:`rolelint.graph`): a role's permission names
another role and that role's trust policy admits it, matched over the whole inventory, so a CI
role in one template and an admin role in another are joined.  A hop to a role with
administrator-level access the source lacks is high; any other hop is low; a chain of several
hops that ends at such a role is reported once from its start, with every hop.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator

from rolelint.checks.base import Hit, check
from rolelint.findings import PathHop, Severity
from rolelint.graph.build import graph_of
from rolelint.graph.model import AssumeGraph, Edge, Node
from rolelint.model import Inventory

# The longest chain reported, in hops (A -> B -> C -> D is three).
MAX_HOPS = 3


def _iam_edges(graph: AssumeGraph, node_id: str) -> list[Edge]:
    """The hops a scanned role takes with its own permissions (not trust-only edges)."""
    return [e for e in graph.out_edges(node_id) if e.grant is not None]


def escalation_paths(
    graph: AssumeGraph, start: str, max_hops: int = MAX_HOPS
) -> Iterator[list[Edge]]:
    """The shortest multi-hop path from ``start`` to each privileged role it reaches.

    Breadth first, each role visited once (so cycles end); a path stops at the first privileged
    role; direct hops are not repeated here.
    """
    first = _iam_edges(graph, start)
    seen = {start, *(edge.target for edge in first)}
    queue: deque[list[Edge]] = deque([edge] for edge in first)
    while queue:
        path = queue.popleft()
        last = path[-1].target
        if graph.nodes[last].privileged is not None:
            if len(path) > 1:
                yield path
            continue
        if len(path) >= max_hops:
            continue
        for edge in _iam_edges(graph, last):
            if edge.target not in seen:
                seen.add(edge.target)
                queue.append([*path, edge])


def _hop(node: Node) -> PathHop:
    ref = node.ref
    return PathHop(node.label, ref.file if ref else "", ref.line if ref else 0)


def _node_key(node: Node) -> str:
    """The node as fingerprints name it (file#id), stable since the first release."""
    return node.id.split(":", 1)[1]


@check("RL401")
def role_chain_to_more_privileged_role(inventory: Inventory) -> Iterator[Hit]:
    graph = graph_of(inventory)
    for source in graph.roles():
        if source.ref is None or source.privileged is not None:
            continue  # outside the code, or an administrator gains nothing by assuming another
        for edge in _iam_edges(graph, source.id):
            target = graph.nodes[edge.target]
            escalates = target.privileged is not None
            tail = (
                f"; {target.label} has administrator-level access ({target.privileged}) "
                f"that {source.label} lacks"
                if escalates
                else ""
            )
            yield Hit(
                "RL401",
                f"Role {source.label} can assume role {target.label} ({edge.how}){tail}",
                edge.grant or source.ref,
                edge.grant_resource or source.label,
                f"assume|{source.label}|{_node_key(target)}|{edge.grant_value}",
                role=source.label,
                severity=None if escalates else Severity.LOW,
                path=(_hop(source), _hop(target)),
            )
        for path in escalation_paths(graph, source.id):
            chain = [source, *(graph.nodes[edge.target] for edge in path)]
            final = chain[-1]
            through = ", ".join(node.label for node in chain[1:-1])
            yield Hit(
                "RL401",
                f"Role {source.label} can assume role {final.label} through {through} "
                f"({' -> '.join(node.label for node in chain)}); {final.label} has "
                f"administrator-level access ({final.privileged}) that {source.label} lacks",
                path[0].grant or source.ref,
                path[0].grant_resource or source.label,
                "chain|" + "|".join(_node_key(node) for node in chain),
                role=source.label,
                path=tuple(_hop(node) for node in chain),
            )
