"""Strongly connected components of a directed graph, sinks first.

Two views need them: the chaining rules look for circles of roles, and the inventory sums up what
each role can reach, which a walk from every role would make quadratic.  Each component comes
after every component it reaches (Tarjan's order), so a caller can fold what components reach
in one pass.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator


def components(
    roots: Iterable[str], successors: Callable[[str], Iterable[str]]
) -> Iterator[list[str]]:
    """Every component reachable from ``roots``; a component is yielded after all those it
    reaches.  Iterative (role chains can be deeper than Python's recursion limit)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    counter = 0
    for root in roots:
        if root in index:
            continue
        work = [(root, iter(successors(root)))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, onward = work[-1]
            advanced = False
            for successor in onward:
                if successor not in index:
                    index[successor] = low[successor] = counter
                    counter += 1
                    stack.append(successor)
                    on_stack.add(successor)
                    work.append((successor, iter(successors(successor))))
                    advanced = True
                    break
                if successor in on_stack:
                    low[node] = min(low[node], index[successor])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                yield group
