"""How long the SVG picture of a large assume-role graph takes to lay out and draw.

Usage: python benchmarks/graph_svg.py [--repeat N] [ROLES:EDGES ...]   (default: 300:1000 1000:5000)

Each graph is seeded random roles (one in 97 admin-level), one outside account trusting one of
them, and random assume-role hops (one in seven under a condition): the shape
``tests/test_graph_svg.py`` checks the layout on.  Printed per size: the median wall time of
``render_svg`` over ``--repeat`` runs, the nodes drawn and the size of the picture.  The SVG is
drawn for ``rolelint graph --format svg`` and for the HTML report, where a graph of a few
hundred roles should take well under a second.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

from rolelint.graph.model import AssumeGraph, Edge, Node, NodeKind
from rolelint.graph.svg import render_svg


def random_graph(roles: int, edges: int, seed: int = 1) -> AssumeGraph:
    rng = random.Random(seed)
    graph = AssumeGraph()
    for index in range(roles):
        name = f"r{index:04d}"
        privileged = "admin-level" if index % 97 == 5 else None
        graph.add_node(Node(name, NodeKind.ROLE, name, privileged=privileged))
    graph.add_node(Node("account:999", NodeKind.ACCOUNT, "account 999", external=True))
    for index in range(edges):
        source, target = f"r{rng.randrange(roles):04d}", f"r{rng.randrange(roles):04d}"
        how = f"{source} may assume {target}"
        graph.add_edge(Edge(source, target, "sts:AssumeRole", how, conditional=index % 7 == 0))
    graph.add_edge(Edge("account:999", "r0010", "sts:AssumeRole", "account 999 is trusted"))
    return graph


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", default=["300:1000", "1000:5000"])
    parser.add_argument("--repeat", type=int, default=5)
    arguments = parser.parse_args()
    print(f"{'roles':>6} {'edges':>6} {'seconds':>8} {'nodes drawn':>11} {'SVG kB':>7}")
    for size in arguments.sizes:
        roles, edges = (int(part) for part in size.split(":"))
        graph = random_graph(roles, edges)
        times = []
        for _ in range(arguments.repeat):
            started = time.perf_counter()
            svg = render_svg(graph)
            times.append(time.perf_counter() - started)
        drawn = svg.count('class="node"')
        seconds, kilobytes = statistics.median(times), len(svg) / 1000
        print(f"{roles:>6} {edges:>6} {seconds:>8.3f} {drawn:>11} {kilobytes:>7.0f}")


if __name__ == "__main__":
    main()
