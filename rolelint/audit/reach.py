"""Which scanned roles each principal can reach by chaining, for every principal at once.

A walk from every role costs roles x edges, which is minutes on a large organisation (and a
crowd, :mod:`rolelint.graph.crowds`, puts thousands of roles behind one node).  Instead the
graph is folded once over its strongly connected components, sinks first, each component's reach
a bit set (a Python integer, one bit per scanned role): OR-ing two of them costs one machine word
per 64 roles.  Bits are numbered in the order of the roles' names, so the lowest bits of a reach
are its first names alphabetically.
"""

from __future__ import annotations

from rolelint.graph.model import AssumeGraph, NodeKind
from rolelint.graph.scc import components
from rolelint.names import short_name


class Reach:
    """What every node of ``graph`` reaches, itself left out."""

    def __init__(self, graph: AssumeGraph) -> None:
        named = sorted(
            (
                # graph.shown: with its file when another role has the same name.
                (short_name(graph.shown(node), node.ref.file), node.id, node)
                for node in graph.nodes.values()
                if node.kind is NodeKind.ROLE and node.ref is not None
            ),
            key=lambda entry: (entry[0].casefold(), entry[0], entry[1]),
        )
        scanned = [node for _, _, node in named]
        self._labels = [name for name, _, _ in named]
        self._bit = {node.id: 1 << number for number, node in enumerate(scanned)}
        self._admin = 0
        for node in scanned:
            if node.privileged is not None:
                self._admin |= self._bit[node.id]
        self._component: dict[str, int] = {}
        self._reach: list[int] = []
        own: list[int] = []
        for number, group in enumerate(
            components(sorted(graph.nodes), lambda node: (e.target for e in graph.out_edges(node)))
        ):
            members = 0
            for node_id in group:
                self._component[node_id] = number
                members |= self._bit.get(node_id, 0)
            reached = 0
            circle = len(group) > 1
            for node_id in group:
                for edge in graph.out_edges(node_id):
                    other = self._component[edge.target]
                    if other == number:
                        circle = True  # a self-loop or an edge inside the group
                    else:
                        reached |= self._reach[other] | own[other]
            self._reach.append(reached | members if circle else reached)
            own.append(members)

    def _bits(self, node_id: str) -> int:
        component = self._component.get(node_id)
        if component is None:
            return 0
        return self._reach[component] & ~self._bit.get(node_id, 0)

    def count(self, node_id: str) -> int:
        return self._bits(node_id).bit_count()

    def reaches_admin(self, node_id: str) -> bool:
        return bool(self._bits(node_id) & self._admin)

    def names(self, node_id: str, limit: int) -> list[str]:
        """The first ``limit`` names of the roles reached, alphabetically, each once."""
        bits = self._bits(node_id)
        found: list[str] = []
        while bits and len(found) < limit:
            lowest = bits & -bits
            label = self._labels[lowest.bit_length() - 1]
            if not found or found[-1] != label:  # same name in two files: said once
                found.append(label)
            bits ^= lowest
        return found
