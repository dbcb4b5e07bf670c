"""The assume-role graph drawn as one self-contained inline SVG, for the offline HTML report.

Graphviz is not a dependency and a report must open without a network, so the layout is done
here, in pure Python, and the drawing is a single ``<svg>`` element: no external font, style
sheet or script.  Styles are presentation attributes, never a ``<style>`` element: a style sheet
inside an inline SVG applies to the whole HTML page it is embedded in.

How it lays out (a simplified Sugiyama layout, left to right):

1. the strongly connected components are condensed (:func:`rolelint.graph.scc.components`), so
   that a circle of roles does not make the layering undefined;
2. each component gets a layer, the longest path to it from a component nothing points to; all
   members of a component share that layer (one column), so a large circle stays one column
   instead of stretching the drawing to the right;
3. the nodes of each layer are ordered by a few barycenter sweeps (a node moves toward the mean
   position of its neighbours in earlier layers, then in later ones), ties by node id;
4. an arrow to the next layer is an S-curve from the right side of its source to the left side
   of its target; an arrow to a later layer bends into the gap beside its source's row, runs
   along it (columns are centred by whole rows, so that gap holds no box anywhere) and bends
   into its target, so it never seems to end at a box it passes; an arrow within one column
   (inside a circle: the only arrows that do not go forward, since a circle shares one column)
   is an arc beside the column, on the right going down and on the left going up, so a two-way
   pair shows two arcs; an arrow from a node to itself is a small loop on its top right corner.

Everything is integer arithmetic over sorted input: the same graph gives byte-identical SVG.
Nodes and arrows carry ``data-*`` attributes (id, kind, ends) for the report's scripts and
tests; hovering shows a ``<title>`` with the full name and why.

Limits: past 2,000 arrows (:data:`MAX_ARROWS`) only those toward admin-level roles and a few of
each node's are drawn, with a note; arrows running along one gap overlap (their titles tell them
apart); a large circle is
one tall column whose arcs overlap; there are no font metrics, so a label of 28 wide letters can
overflow its box (the full name is in the title);
the arrowhead markers have fixed ids (``rolelint-svg-arrow...``), which is harmless when a page
embeds several drawings because their definitions are the same.
"""

from __future__ import annotations

import html
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rolelint.graph.model import AssumeGraph, Edge, Node, NodeKind
from rolelint.graph.render import EXTERNAL_FILL, KIND_NAMES, RED, toward_privileged
from rolelint.graph.scc import components
from rolelint.names import short_name

MAX_LABEL = 28  # characters shown in a box; the full label is in the hover title
NODE_WIDTH = 200
NODE_HEIGHT = 34
LAYER_GAP = 110  # between two columns: room for the curves and their arrowheads
ROW_GAP = 18
MARGIN = 24
SWEEPS = 3  # rounds of (forward, backward) barycenter ordering

FONT = "Helvetica, Arial, sans-serif"  # generic system fonts: nothing is downloaded
STROKE = "#555555"
EDGE_GREY = "#777777"
TEXT = "#222222"
DASH = "6 4"
MARKER = "rolelint-svg-arrow"
MARKER_RED = "rolelint-svg-arrow-red"

_FILLS = {
    NodeKind.ROLE: "#ffffff",
    NodeKind.USER: "#f1eefc",
    NodeKind.GROUP: "#f1eefc",
    NodeKind.SERVICE: "#eaf5ea",
    NodeKind.FEDERATED: "#e8f0fb",
    NodeKind.ACCOUNT: "#f2f2f2",
    NodeKind.ANYONE: "#fbe9e9",
    NodeKind.CROWD: "#f2f2f2",
}


# --- text -------------------------------------------------------------------------------------


def _visible(char: str) -> str:
    """A character XML and the eye can take as is, else a ``\\x1b``-style text.

    XML 1.0 forbids most control characters (a parser rejects the whole page), lone surrogates
    cannot even be encoded, and format characters such as a right-to-left override would let a
    name disguise itself; all are shown the way the DOT and Mermaid drawings show them.
    """
    code = ord(char)
    if unicodedata.category(char) in ("Cc", "Cf", "Cs", "Zl", "Zp") or code in (0xFFFE, 0xFFFF):
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
    return char


def _clean(text: str, *, newlines: bool = False) -> str:
    """``text`` with every unsafe character made visible; line breaks kept when asked (a
    title), else shown as spaces (a one-line label)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return ("\n" if newlines else " ").join(map(_visible_line, text.split("\n")))


def _visible_line(line: str) -> str:
    """One line made visible.  A printable line (no character of Unicode's Other or Separator
    categories but the space, so none :func:`_visible` changes) is kept whole: asking each
    character's category made the arrow titles of a dense graph 21 million calls."""
    return line if line.isprintable() else "".join(map(_visible, line))


def _escape(text: str, *, newlines: bool = False) -> str:
    """Cleaned and XML-escaped: safe as element text and inside a double-quoted attribute."""
    return html.escape(_clean(text, newlines=newlines), quote=True)


def _shorten(label: str) -> str:
    """A cleaned label cut to :data:`MAX_LABEL` characters, the last one "…"."""
    shown = _clean(label)
    return shown if len(shown) <= MAX_LABEL else shown[: MAX_LABEL - 1] + "…"


# --- what is drawn ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Arrow:
    """Every edge from one node to another, drawn once: dashed only when each of them holds
    only under a condition (one unconditional trust is enough to make the hop certain)."""

    source: str
    target: str
    conditional: bool
    risky: bool
    title: str


def _all_nodes(graph: AssumeGraph) -> dict[str, Node]:
    """The graph's nodes, plus a plain role node for an edge end that has none (as the other
    renderers do: an arrow is never dropped for want of a node)."""
    nodes = dict(graph.nodes)
    for edge in graph.edges:
        for end in (edge.source, edge.target):
            if end not in nodes:
                nodes[end] = Node(end, NodeKind.ROLE, end)
    return nodes


def _arrows(
    graph: AssumeGraph,
    keep: set[str],
    risky_targets: set[str],
    max_arrows: int,
    nodes: dict[str, Node],
) -> tuple[list[_Arrow], int]:
    """One arrow per distinct (source, target) between kept nodes, in that order, at most
    ``max_arrows`` of them (see :func:`_drawn`); with how many there were in all."""
    merged: dict[tuple[str, str], list[Edge]] = {}
    for edge in graph.edges:
        if edge.source in keep and edge.target in keep:
            merged.setdefault((edge.source, edge.target), []).append(edge)
    drawn = _drawn(merged, risky_targets, max_arrows, nodes)
    arrows = []
    for (source, target), edges in sorted(drawn.items(), key=lambda item: item[0]):
        actions = sorted({edge.action for edge in edges})
        reasons = sorted({edge.how for edge in edges})
        title = f"{source} -> {target} ({', '.join(actions)})\n" + "\n".join(reasons)
        arrows.append(
            _Arrow(
                source,
                target,
                conditional=all(edge.conditional for edge in edges),
                risky=target in risky_targets,
                title=title if len(title) <= 2000 else title[:1999] + "…",
            )
        )
    return arrows, len(merged)


def _drawn(
    merged: dict[tuple[str, str], list[Edge]],
    risky_targets: set[str],
    max_arrows: int,
    nodes: dict[str, Node],
) -> dict[tuple[str, str], list[Edge]]:
    """The arrows drawn when there are more than ``max_arrows``: 300 roles that may each
    assume every other are 90,000 arrows, a drawing of tens of megabytes that shows nothing.

    Arrows toward admin-level roles come first; within each group, every node's first arrow
    (to an admin-level role first, then by target id), then every node's second, and so on,
    so that each node keeps some of its arrows; ties by (source, target).
    """
    if len(merged) <= max_arrows:
        return merged
    by_source: dict[str, list[str]] = {}
    for source, target in merged:
        by_source.setdefault(source, []).append(target)
    rank: dict[tuple[str, str], tuple[bool, int, str, str]] = {}
    for source, targets in by_source.items():
        targets.sort(key=lambda t: (nodes[t].privileged is None, t))
        for index, target in enumerate(targets):
            rank[(source, target)] = (target not in risky_targets, index, source, target)
    chosen = sorted(merged, key=rank.__getitem__)[:max_arrows]
    return {pair: merged[pair] for pair in chosen}


def _kept(graph: AssumeGraph, nodes: dict[str, Node], max_nodes: int) -> set[str]:
    """The nodes drawn when there are more than ``max_nodes`` (see :func:`render_svg`).

    Every node is ranked: first admin-level roles and what can reach them, the nearest callers
    first; then parties outside the user's accounts and anyone (``*``), with what they reach,
    nearest first; then the rest.  Ties go by node id, and the first ``max_nodes`` are kept, so
    the most telling part of a huge estate is drawn and always the same part.
    """
    if len(nodes) <= max_nodes:
        return set(nodes)
    admins = [n.id for n in nodes.values() if n.privileged is not None and n.id in graph.nodes]
    outsiders = [
        n.id
        for n in nodes.values()
        if (n.external or n.kind is NodeKind.ANYONE) and n.id in graph.nodes
    ]
    toward_admin = graph.hops_from(admins, backwards=True)
    from_outside = graph.hops_from(outsiders)

    def rank(node_id: str) -> tuple[int, int, str]:
        if node_id in toward_admin:
            return (0, toward_admin[node_id], node_id)
        if node_id in from_outside:
            return (1, from_outside[node_id], node_id)
        return (2, 0, node_id)

    return set(sorted(nodes, key=rank)[:max_nodes])


# --- layout -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Layout:
    layer: dict[str, int]
    x: dict[str, int]  # left side of the node's box
    y: dict[str, int]  # top of the node's box


def _layers(ids: Sequence[str], successors: dict[str, list[str]]) -> dict[str, int]:
    """Longest path from a source in the condensed graph; a component shares one layer."""
    comps = list(components(ids, lambda node: successors[node]))
    comp_of = {member: index for index, comp in enumerate(comps) for member in comp}
    level = [0] * len(comps)
    # Tarjan yields sinks first: walking the list backwards visits every component after all
    # those that point to it, so its layer is final when it is pushed onward.
    for index in range(len(comps) - 1, -1, -1):
        for member in comps[index]:
            for target in successors[member]:
                other = comp_of[target]
                if other != index and level[other] < level[index] + 1:
                    level[other] = level[index] + 1
    return {node: level[comp_of[node]] for node in ids}


def _order(
    columns: list[list[str]],
    layer: dict[str, int],
    successors: dict[str, list[str]],
    predecessors: dict[str, list[str]],
) -> None:
    """Barycenter sweeps, in place: each node moves to the mean (relative) position of its
    neighbours in earlier layers (forward sweep), then in later layers (backward sweep).  A
    node with no such neighbour keeps its place; ties go by node id."""
    place: dict[str, float] = {}

    def measure(column: list[str]) -> None:
        for index, node in enumerate(column):
            place[node] = (index + 0.5) / len(column)

    for column in columns:
        measure(column)
    for _ in range(SWEEPS):
        for forward in (True, False):
            indices = range(1, len(columns)) if forward else range(len(columns) - 2, -1, -1)
            for index in indices:
                column = columns[index]
                centers: dict[str, float] = {}
                for node in column:
                    near = predecessors[node] if forward else successors[node]
                    seen = [
                        place[other]
                        for other in near
                        if (layer[other] < index if forward else layer[other] > index)
                    ]
                    centers[node] = sum(seen) / len(seen) if seen else place[node]
                column.sort(key=lambda node: (centers[node], node))
                measure(column)


def _layout(ids: Sequence[str], arrows: Sequence[_Arrow]) -> _Layout:
    successors: dict[str, list[str]] = {node: [] for node in ids}
    predecessors: dict[str, list[str]] = {node: [] for node in ids}
    for arrow in arrows:
        if arrow.source != arrow.target:
            successors[arrow.source].append(arrow.target)
            predecessors[arrow.target].append(arrow.source)
    layer = _layers(ids, successors)
    columns: list[list[str]] = [[] for _ in range(max(layer.values(), default=-1) + 1)]
    for node in ids:  # ids are sorted: the first order of each column is by id
        columns[layer[node]].append(node)
    _order(columns, layer, successors, predecessors)
    row = NODE_HEIGHT + ROW_GAP
    tallest = max((len(column) for column in columns), default=0)
    x: dict[str, int] = {}
    y: dict[str, int] = {}
    for index, column in enumerate(columns):
        # Each column centred on the tallest, by whole rows: every box sits on one grid, so the
        # gaps between rows are free across the drawing (long arrows run along them).
        offset = (tallest - len(column)) // 2 * row
        for position, node in enumerate(column):
            x[node] = index * (NODE_WIDTH + LAYER_GAP)
            y[node] = offset + position * row
    return _Layout(layer, x, y)


# --- drawing ----------------------------------------------------------------------------------


class _Box:
    """The extent of what is drawn, to size the viewBox (curves lie within their control
    points, so the points of each path are enough)."""

    def __init__(self) -> None:
        self.left = self.top = 0
        self.right = self.bottom = 0
        self.empty = True

    def add(self, x: int, y: int) -> None:
        if self.empty:
            self.left, self.right, self.top, self.bottom = x, x, y, y
            self.empty = False
        else:
            self.left, self.right = min(self.left, x), max(self.right, x)
            self.top, self.bottom = min(self.top, y), max(self.bottom, y)


def _points(points: Iterable[tuple[int, int]]) -> str:
    return " ".join(f"{x},{y}" for x, y in points)


def _shape(kind: NodeKind, x: int, y: int, width: int, height: int, paint: str) -> str:
    """The outline of a node of ``kind`` in its box; ``paint`` holds fill and stroke."""
    right, bottom, middle = x + width, y + height, y + height // 2
    cut = min(12, width // 4)
    if kind is NodeKind.SERVICE:
        center = x + width // 2
        return (
            f'<ellipse cx="{center}" cy="{middle}" rx="{width // 2}" ry="{height // 2}" {paint}/>'
        )
    if kind is NodeKind.FEDERATED:
        corners = [(x, middle), (x + cut, y), (right - cut, y), (right, middle)]
        corners += [(right - cut, bottom), (x + cut, bottom)]
        return f'<polygon points="{_points(corners)}" {paint}/>'
    if kind in (NodeKind.ACCOUNT, NodeKind.ANYONE):
        corner = height // 3
        corners = [(x + corner, y), (right - corner, y), (right, y + corner)]
        corners += [(right, bottom - corner), (right - corner, bottom), (x + corner, bottom)]
        corners += [(x, bottom - corner), (x, y + corner)]
        outline = f'<polygon points="{_points(corners)}" {paint}/>'
        if kind is NodeKind.ANYONE:  # a second, inner outline: the "double octagon"
            inner = [(px + (3 if px < x + width // 2 else -3), py) for px, py in corners]
            inner = [(px, py + (3 if py < middle else -3)) for px, py in inner]
            outline += f'<polygon points="{_points(inner)}" fill="none" stroke="{STROKE}"/>'
        return outline
    if kind is NodeKind.USER:  # a parallelogram, as in Mermaid
        corners = [(x + cut, y), (right, y), (right - cut, bottom), (x, bottom)]
        return f'<polygon points="{_points(corners)}" {paint}/>'
    if kind is NodeKind.CROWD:  # a trapezoid, wide at the bottom
        corners = [(x + cut, y), (right - cut, y), (right, bottom), (x, bottom)]
        return f'<polygon points="{_points(corners)}" {paint}/>'
    if kind is NodeKind.GROUP:  # a "subroutine": a box with inner side bars
        bars = "".join(
            f'<line x1="{bar}" y1="{y}" x2="{bar}" y2="{bottom}" stroke="{STROKE}"/>'
            for bar in (x + 7, right - 7)
        )
        return f'<rect x="{x}" y="{y}" width="{width}" height="{height}" {paint}/>{bars}'
    return f'<rect x="{x}" y="{y}" width="{width}" height="{height}" rx="6" ry="6" {paint}/>'


def _paint(node: Node) -> str:
    fill = EXTERNAL_FILL if node.external else _FILLS[node.kind]
    if node.privileged is not None:
        return f'fill="{fill}" stroke="{RED}" stroke-width="3"'
    return f'fill="{fill}" stroke="{STROKE}" stroke-width="1.2"'


def _title(node: Node) -> str:
    """The hover text: full label first, then the id, where it is defined and why it stands
    out."""
    lines = [node.label, node.id]
    if node.ref is not None:
        lines.append(f"{node.ref.file}:{node.ref.line}")
    if node.privileged is not None:
        lines.append(f"admin-level: {node.privileged}")
    if node.external:
        lines.append("outside your accounts")
    return "\n".join(lines)


def _name(node: Node) -> str:
    """The label without the file an account export's names are qualified with."""
    return short_name(node.label, node.ref.file) if node.ref is not None else node.label


def _node(node: Node, layout: _Layout) -> str:
    x, y = layout.x[node.id], layout.y[node.id]
    color = RED if node.privileged is not None else TEXT
    weight = ' font-weight="bold"' if node.privileged is not None else ""
    return (
        f'<g class="node" data-id="{_escape(node.id)}" data-kind="{node.kind.value}"'
        f' data-layer="{layout.layer[node.id]}">'
        f"<title>{_escape(_title(node), newlines=True)}</title>"
        f"{_shape(node.kind, x, y, NODE_WIDTH, NODE_HEIGHT, _paint(node))}"
        f'<text x="{x + NODE_WIDTH // 2}" y="{y + NODE_HEIGHT // 2}" dy="0.35em"'
        f' text-anchor="middle" fill="{color}"{weight}>{_escape(_shorten(_name(node)))}</text>'
        "</g>"
    )


def _route(arrow: _Arrow, layout: _Layout) -> list[tuple[int, int]]:
    """Start, two control points and end of the arrow's cubic curve (see the module doc)."""
    sx, sy = layout.x[arrow.source], layout.y[arrow.source] + NODE_HEIGHT // 2
    tx, ty = layout.x[arrow.target], layout.y[arrow.target] + NODE_HEIGHT // 2
    rows = abs(ty - sy) // (NODE_HEIGHT + ROW_GAP)
    if arrow.source == arrow.target:  # a loop on the top right corner
        top = sy - NODE_HEIGHT // 2
        start = (sx + NODE_WIDTH - 28, top)
        return [start, (start[0], top - 30), (sx + NODE_WIDTH + 30, sy), (sx + NODE_WIDTH, sy)]
    span = layout.layer[arrow.target] - layout.layer[arrow.source]
    if span == 1:  # right side to left side of the next column
        start, end = (sx + NODE_WIDTH, sy), (tx, ty)
        bend = max((end[0] - start[0]) // 2, 30)
        return [start, (start[0] + bend, sy), (end[0] - bend, ty), end]
    if span > 1:
        # Across columns: down (or up) into the gap beside the source's row, along that gap,
        # which no box occupies, then into the target; never through a box in between.
        top = layout.y[arrow.source]
        lane = top + NODE_HEIGHT + ROW_GAP // 2 if ty >= sy else top - ROW_GAP // 2
        start, end = (sx + NODE_WIDTH, sy), (tx, ty)
        enter = (start[0] + LAYER_GAP // 2, lane)
        leave = (end[0] - LAYER_GAP // 2, lane)
        return [
            start,
            (start[0] + 25, sy),
            (enter[0] - 25, lane),
            enter,
            leave,
            (leave[0] + 25, lane),
            (end[0] - 25, ty),
            end,
        ]
    # Within a column (a component shares one; every other arrow goes forward, the layering
    # being longest paths): an arc beside the column.
    bulge = 30 + 12 * min(rows, 8)
    if ty > sy:  # going down: on the right
        side = sx + NODE_WIDTH
        return [(side, sy), (side + bulge, sy), (side + bulge, ty), (side, ty)]
    return [(sx, sy), (sx - bulge, sy), (tx - bulge, ty), (tx, ty)]  # going up: on the left


def _path(points: Sequence[tuple[int, int]]) -> str:
    """SVG path data: one cubic curve (4 points), or a curve, a straight run and a curve
    (8 points, see :func:`_route`)."""
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = points[:4]
    data = f"M{x0},{y0} C{x1},{y1} {x2},{y2} {x3},{y3}"
    if len(points) == 8:
        (x4, y4), (x5, y5), (x6, y6), (x7, y7) = points[4:]
        data += f" L{x4},{y4} C{x5},{y5} {x6},{y6} {x7},{y7}"
    return data


def _edge(arrow: _Arrow, points: Sequence[tuple[int, int]]) -> str:
    color, marker, width = (RED, MARKER_RED, 2) if arrow.risky else (EDGE_GREY, MARKER, 1.4)
    dash = f' stroke-dasharray="{DASH}"' if arrow.conditional else ""
    return (
        f'<path class="edge" data-source="{_escape(arrow.source)}"'
        f' data-target="{_escape(arrow.target)}"'
        f' d="{_path(points)}" fill="none" stroke="{color}"'
        f' stroke-width="{width}"{dash} marker-end="url(#{marker})">'
        f"<title>{_escape(arrow.title, newlines=True)}</title></path>"
    )


def _defs() -> str:
    """Two arrowheads (a marker cannot take the colour of its path in SVG 1.1)."""
    return (
        "<defs>"
        + "".join(
            f'<marker id="{name}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7"'
            f' markerHeight="7" markerUnits="userSpaceOnUse" orient="auto">'
            f'<path d="M0,0 L10,5 L0,10 z" fill="{color}"/></marker>'
            for name, color in ((MARKER, EDGE_GREY), (MARKER_RED, RED))
        )
        + "</defs>"
    )


def _legend(nodes: Sequence[Node], left: int, top: int, width: int, box: _Box) -> list[str]:
    """Legend items in rows under the drawing: node styles, arrow styles, then a sample of
    each kind of party that appears."""
    samples: list[tuple[str, str]] = []  # (sample drawing at 0,0 - 40x20, caption)
    red_box = f'fill="#ffffff" stroke="{RED}" stroke-width="3"'
    orange_box = f'fill="{EXTERNAL_FILL}" stroke="{STROKE}" stroke-width="1.2"'
    samples.append((_shape(NodeKind.ROLE, 0, 0, 40, 20, red_box), "admin-level role"))
    samples.append((_shape(NodeKind.ROLE, 0, 0, 40, 20, orange_box), "outside your accounts"))
    for caption, color, marker, dash in (
        ("can assume", EDGE_GREY, MARKER, ""),
        ("only under a condition", EDGE_GREY, MARKER, f' stroke-dasharray="{DASH}"'),
        ("leads to an admin-level role", RED, MARKER_RED, ""),
    ):
        line = (
            f'<path d="M0,10 L40,10" fill="none" stroke="{color}" stroke-width="2"{dash}'
            f' marker-end="url(#{marker})"/>'
        )
        samples.append((line, caption))
    present = {node.kind for node in nodes}
    for kind in NodeKind:
        if kind in present:
            paint = f'fill="{_FILLS[kind]}" stroke="{STROKE}" stroke-width="1.2"'
            samples.append((_shape(kind, 0, 0, 40, 20, paint), KIND_NAMES[kind]))
    item_width, item_height = 230, 28
    per_row = max(1, min(len(samples), (width + 20) // item_width))
    parts = []
    for index, (drawing, caption) in enumerate(samples):
        x = left + (index % per_row) * item_width
        y = top + (index // per_row) * item_height
        parts.append(
            f'<g class="legend" transform="translate({x},{y})">{drawing}'
            f'<text x="50" y="10" dy="0.35em" fill="{TEXT}">{html.escape(caption)}</text></g>'
        )
        box.add(x, y)
        box.add(x + item_width, y + 20)
    return parts


def _svg(box: _Box, body: Iterable[str]) -> str:
    left, top = box.left - MARGIN, box.top - MARGIN
    width, height = box.right - box.left + 2 * MARGIN, box.bottom - box.top + 2 * MARGIN
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="rolelint-graph" role="img"'
        f' aria-label="assume-role graph" width="{width}" height="{height}"'
        f' viewBox="{left} {top} {width} {height}" font-family="{FONT}" font-size="12">'
        "<title>Assume-role graph: an arrow A to B means A can obtain B's credentials</title>"
        + "".join(body)
        + "</svg>"
    )


MAX_ARROWS = 2_000


def render_svg(graph: AssumeGraph, *, max_nodes: int = 300, max_arrows: int = MAX_ARROWS) -> str:
    """The assume-role graph as one ``<svg>`` element (no XML declaration), to embed in HTML.

    Layout, shapes and limits are described in the module documentation.  Admin-level roles
    have a thick red border, parties outside the user's accounts an orange fill; an arrow is
    dashed when every trust behind it holds only under a condition, and red when its target is
    admin-level or can reach an admin-level role (judged on the whole graph, before any cut).
    Several edges between the same two nodes are one arrow.

    A graph of more than ``max_nodes`` nodes is cut, because a drawing of thousands of boxes
    helps nobody and costs the browser: nodes are ranked (1) admin-level roles and everything
    that can reach them, nearest first, (2) parties outside the user's accounts or anyone and
    everything they reach, nearest first, (3) the rest; ties by node id; the first
    ``max_nodes`` are drawn, with a note "N of M nodes shown".  The arrows between them are
    cut likewise past ``max_arrows`` (see :func:`_drawn`), with a note "N of M arrows shown".
    An empty graph gives a small drawing that says "no role found".
    """
    if max_nodes < 1:
        raise ValueError(f"max_nodes must be at least 1, not {max_nodes}")
    if max_arrows < 0:
        raise ValueError(f"max_arrows must be at least 0, not {max_arrows}")
    nodes = _all_nodes(graph)
    box = _Box()
    if not nodes:
        box.add(0, 0)
        box.add(160, 20)
        return _svg(
            box, [f'<text class="note" x="0" y="10" dy="0.35em" fill="{TEXT}">no role found</text>']
        )
    keep = _kept(graph, nodes, max_nodes)
    ids = sorted(keep)
    arrows, all_arrows = _arrows(graph, keep, toward_privileged(graph), max_arrows, nodes)
    layout = _layout(ids, arrows)
    body = [_defs()]
    edges = []
    for arrow in arrows:
        points = _route(arrow, layout)
        for x, y in points:
            box.add(x, y)
        edges.append(_edge(arrow, points))
    for node_id in ids:
        box.add(layout.x[node_id], layout.y[node_id])
        box.add(layout.x[node_id] + NODE_WIDTH, layout.y[node_id] + NODE_HEIGHT)
    # Arrows first, so that boxes are drawn over the curves that cross them.
    body += edges
    body += [_node(nodes[node_id], layout) for node_id in ids]
    notes = []
    if len(keep) < len(nodes):
        notes.append(
            f"{len(keep)} of {len(nodes)} nodes shown (admin-level roles and their callers first)"
        )
    if len(arrows) < all_arrows:
        notes.append(
            f"{len(arrows)} of {all_arrows} arrows shown (those toward admin-level roles first;"
            " 'rolelint graph' writes them all)"
        )
    for note in reversed(notes):
        note_y = box.top - 20
        body.append(
            f'<text class="note" x="{box.left}" y="{note_y}" dy="0.35em" fill="{RED}"'
            f' font-weight="bold">{html.escape(note)}</text>'
        )
        box.add(box.left, note_y - 10)
    width = box.right - box.left
    body += _legend([nodes[node_id] for node_id in ids], box.left, box.bottom + 30, width, box)
    return _svg(box, body)
