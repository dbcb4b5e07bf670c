"""The assume-role graph drawn as Graphviz DOT, Mermaid or JSON (``rolelint graph``).

Every renderer is deterministic: nodes in id order, edges in (source, target, action, ...)
order, no counters that depend on anything but that order, so the same input gives a
byte-identical drawing.  Text from the user's files (role names, file names, ``${...}``
placeholders) is escaped for each syntax; it can never end a string or start a statement.

What the drawings show:

- one shape per kind of party: roles are boxes, AWS services ellipses, OIDC/SAML providers
  hexagons, accounts octagons, anyone a double octagon, users houses, groups folders;
- admin-level (privileged) roles with a thick red border and an "admin-level" line;
- parties outside the declared accounts filled orange;
- an arrow A -> B when A can obtain B's credentials, dashed when the trust holds only under a
  condition (an ExternalId, an organization), thick red when it leads to an admin-level role
  (or comes from anyone), labelled with the action when it is not ``sts:AssumeRole``.

The helpers :func:`match_nodes`, :func:`close_names` and :func:`focused` let a command find the
nodes a user names (``--focus``) and keep only what reaches them or what they reach.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from rolelint.graph.model import AssumeGraph, Edge, Node, NodeKind
from rolelint.json_text import Lazy, chunks_indented
from rolelint.names import address_forms, closest, short_name
from rolelint.source import SourceRef

ASSUME_ROLE = "sts:AssumeRole"
RED = "#d62728"
EXTERNAL_FILL = "#ffe8cc"
FOCUS_BLUE = "#1f77b4"
PRIVILEGED_NOTE = "admin-level"

# --- what is drawn, shared by the formats ---------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Arrow:
    """One drawn arrow: the edges with the same source, target and action, merged.

    Two trust statements admitting the same party would otherwise draw two identical arrows.
    The merged arrow is conditional only when every edge is.
    """

    source: str
    target: str
    action: str
    conditional: bool
    risky: bool
    how: tuple[str, ...]

    @property
    def label(self) -> str:
        return "" if self.action == ASSUME_ROLE else self.action


def _ref_key(ref: SourceRef | None) -> tuple[str, int, int]:
    return ("", 0, 0) if ref is None else (ref.file, ref.line, ref.column)


def _edge_key(edge: Edge) -> tuple[Any, ...]:
    return (
        edge.source,
        edge.target,
        edge.action,
        edge.how,
        _ref_key(edge.trust),
        _ref_key(edge.grant),
        edge.conditional,
    )


def _nodes(graph: AssumeGraph) -> list[Node]:
    """Every node in id order, including the (unexpected) ends of edges that have no node."""
    nodes = dict(graph.nodes)
    for edge in graph.edges:
        for end in (edge.source, edge.target):
            if end not in nodes:
                nodes[end] = Node(end, NodeKind.ROLE, end)
    return [nodes[node_id] for node_id in sorted(nodes)]


def _edges(graph: AssumeGraph) -> list[Edge]:
    """The edges in :func:`_edge_key` order.  Those of a built graph are in it already
    (AssumeGraph.sorted orders them by the same fields, then others), and are taken as they
    are: the keys of every edge at once held the words of each (Edge.how, made as asked),
    300,000 of them in a graph of 800 roles each assuming hundreds of the others."""
    edges = graph.edges
    if all(a <= b for a, b in pairwise(map(_edge_key, edges))):
        return list(edges)
    return sorted(edges, key=_edge_key)


def toward_privileged(graph: AssumeGraph) -> set[str]:
    """The nodes that are admin-level or can reach one: arrows into them are risky."""
    found = {node.id for node in graph.nodes.values() if node.privileged}
    stack = list(found)
    while stack:  # one walk back from all of them at once: each node is visited once
        for edge in graph.in_edges(stack.pop()):
            if edge.source not in found:
                found.add(edge.source)
                stack.append(edge.source)
    return found


def _arrows(graph: AssumeGraph) -> list[_Arrow]:
    risky_targets = toward_privileged(graph)
    merged: dict[tuple[str, str, str], list[Edge]] = {}
    for edge in _edges(graph):
        merged.setdefault((edge.source, edge.target, edge.action), []).append(edge)
    arrows = []
    for (source, target, action), edges in merged.items():
        source_node = graph.nodes.get(source)
        from_anyone = source_node is not None and source_node.kind is NodeKind.ANYONE
        arrows.append(
            _Arrow(
                source,
                target,
                action,
                conditional=all(edge.conditional for edge in edges),
                risky=target in risky_targets or from_anyone,
                how=tuple(dict.fromkeys(edge.how for edge in edges)),
            )
        )
    return arrows


def _label_lines(node: Node) -> list[str]:
    """What a node's box says: its name, where it is defined, and whether it is admin-level."""
    lines = [node.label]
    if node.ref is not None:
        lines.append(f"{node.ref.file}:{node.ref.line}")
    if node.privileged:
        lines.append(PRIVILEGED_NOTE)
    return [_newlines(line) for line in lines]


def _control(char: str) -> str | None:
    """A control character shown as text (``\\x1b``), None for a printable one."""
    if unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp") and char != "\n":
        return f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"
    return None


def _newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


# --- Graphviz DOT ---------------------------------------------------------------------------------

_DOT_SHAPES = {
    NodeKind.ROLE: "box",
    NodeKind.USER: "house",
    NodeKind.GROUP: "folder",
    NodeKind.SERVICE: "ellipse",
    NodeKind.FEDERATED: "hexagon",
    NodeKind.ACCOUNT: "octagon",
    NodeKind.ANYONE: "doubleoctagon",
    NodeKind.CROWD: "trapezium",
}
KIND_NAMES = {  # how legends name each kind of party
    NodeKind.ROLE: "role",
    NodeKind.USER: "IAM user",
    NodeKind.GROUP: "IAM group",
    NodeKind.SERVICE: "AWS service",
    NodeKind.FEDERATED: "OIDC / SAML provider",
    NodeKind.ACCOUNT: "account (every principal)",
    NodeKind.ANYONE: "anyone (*)",
    NodeKind.CROWD: "every role open to an account (many hops drawn as one)",
}


def dot_string(text: str, *, label: bool = True) -> str:
    """``text`` as a double-quoted DOT string.

    Quotes and backslashes are escaped, a line break becomes ``\\n`` (a new line in a label),
    other control characters are shown as ``\\x..`` text, and in labels ``&`` becomes ``&amp;``
    (Graphviz reads HTML entities in labels).  Nothing can end the string early, and the text
    never ends with a backslash that an older Graphviz would read as escaping the closing quote.
    """
    out = []
    for char in _newlines(text):
        shown = _control(char)
        if shown is not None:
            out.append(shown.replace("\\", "\\\\"))
        elif char == "\\":
            out.append("\\\\")
        elif char == '"':
            out.append('\\"')
        elif char == "\n":
            out.append("\\n")
        elif char == "&" and label:
            out.append("&amp;")
        else:
            out.append(char)
    body = "".join(out)
    if body.endswith("\\"):
        body += " "
    return f'"{body}"'


def _dot_attributes(pairs: Sequence[tuple[str, str]]) -> str:
    return ", ".join(f"{name}={value}" for name, value in pairs)


def _dot_node(node: Node, focus: set[str]) -> list[tuple[str, str]]:
    styles = ["rounded"] if node.kind in (NodeKind.ROLE, NodeKind.USER) else []
    if node.external:
        styles.append("filled")
    if node.privileged:
        styles.append("bold")
    pairs = [
        ("label", dot_string("\n".join(_label_lines(node)))),
        ("shape", f'"{_DOT_SHAPES[node.kind]}"'),
    ]
    if styles:
        pairs.append(("style", dot_string(",".join(styles))))
    if node.privileged:
        pairs += [("color", f'"{RED}"'), ("fontcolor", f'"{RED}"'), ("penwidth", '"3"')]
    if node.external:
        pairs.append(("fillcolor", f'"{EXTERNAL_FILL}"'))
    if node.id in focus:
        pairs.append(("peripheries", '"2"'))
    tooltip = node.id if not node.privileged else f"{node.id}: admin-level: {node.privileged}"
    pairs.append(("tooltip", dot_string(tooltip)))
    return pairs


def _dot_edge(arrow: _Arrow) -> list[tuple[str, str]]:
    pairs = []
    if arrow.label:
        pairs.append(("label", dot_string(arrow.label)))
    if arrow.conditional:
        pairs.append(("style", '"dashed"'))
    if arrow.risky:
        pairs += [("color", f'"{RED}"'), ("fontcolor", f'"{RED}"'), ("penwidth", '"2"')]
    pairs.append(("tooltip", dot_string("; ".join(arrow.how))))
    return pairs


def _dot_legend(nodes: Sequence[Node], arrows: Sequence[_Arrow], focus: set[str]) -> list[str]:
    """A small cluster with one sample of each shape and style the drawing uses."""
    samples = [
        Node(f"legend:{kind.value}", kind, KIND_NAMES[kind])
        for kind in NodeKind
        if any(node.kind is kind for node in nodes)
    ]
    if any(node.privileged for node in nodes):
        samples.append(Node("legend:privileged", NodeKind.ROLE, "admin-level role", privileged="y"))
    if any(node.external for node in nodes):
        samples.append(
            Node("legend:external", NodeKind.ROLE, "outside your accounts", external=True)
        )
    if any(node.id in focus for node in nodes):
        samples.append(Node("legend:focus", NodeKind.ROLE, "asked for (--focus)"))
    edge_samples = []
    if any(not arrow.conditional and not arrow.risky for arrow in arrows):
        edge_samples.append(_Arrow("", "", "can assume", False, False, ()))
    if any(arrow.conditional for arrow in arrows):
        edge_samples.append(_Arrow("", "", "only under a condition", True, False, ()))
    if any(arrow.risky for arrow in arrows):
        edge_samples.append(_Arrow("", "", "leads to admin-level", False, True, ()))
    if not samples and not edge_samples:
        return []
    lines = [
        "  subgraph cluster_legend {",
        '    label="Legend";',
        '    color="#999999";',
        '    fontsize="9";',
        '    node [fontsize="9"];',
    ]
    for sample in samples:
        pairs = [("label", dot_string(sample.label))]
        pairs += [p for p in _dot_node(sample, {"legend:focus"})[1:] if p[0] != "tooltip"]
        lines.append(f"    {dot_string(sample.id, label=False)} [{_dot_attributes(pairs)}];")
    for number, arrow in enumerate(edge_samples, 1):
        start = dot_string(f"legend:edge{number}:from", label=False)
        end = dot_string(f"legend:edge{number}:to", label=False)
        lines.append(f'    {start} [label="", shape="point"];')
        lines.append(f'    {end} [label="", shape="point"];')
        pairs = [p for p in _dot_edge(arrow) if p[0] != "tooltip"]
        lines.append(f"    {start} -> {end} [{_dot_attributes(pairs)}];")
    lines.append("  }")
    return lines


def render_dot(graph: AssumeGraph, *, focus: Iterable[str] = (), legend: bool = True) -> str:
    """The graph in Graphviz DOT: ``rolelint graph . --format dot | dot -Tsvg > roles.svg``.

    ``focus`` names nodes to mark (a double border); ``legend`` adds a cluster explaining the
    shapes and colours used.
    """
    focused_ids = set(focus)
    nodes = _nodes(graph)
    arrows = _arrows(graph)
    lines = [
        "// rolelint assume-role graph: an arrow A -> B means A can obtain B's credentials.",
        "// Boxes: roles; ellipses: AWS services; hexagons: OIDC/SAML providers; octagons:",
        "// accounts; double octagon: anyone; houses: IAM users; folders: IAM groups.",
        "// Red bold border: admin-level role; orange fill: outside your accounts.",
        "// Dashed arrow: only under a condition; red arrow: leads to an admin-level role",
        "// (or comes from anyone).",
        "digraph rolelint {",
        '  graph [rankdir="LR", fontname="Helvetica", fontsize="10"];',
        '  node [fontname="Helvetica", fontsize="10"];',
        '  edge [fontname="Helvetica", fontsize="9"];',
    ]
    for node in nodes:
        attributes = _dot_attributes(_dot_node(node, focused_ids))
        lines.append(f"  {dot_string(node.id, label=False)} [{attributes}];")
    for arrow in arrows:
        source, target = (
            dot_string(arrow.source, label=False),
            dot_string(arrow.target, label=False),
        )
        lines.append(f"  {source} -> {target} [{_dot_attributes(_dot_edge(arrow))}];")
    if legend:
        lines += _dot_legend(nodes, arrows, focused_ids)
    lines.append("}")
    return "\n".join(lines) + "\n"


# --- Mermaid --------------------------------------------------------------------------------------

_MERMAID_SHAPES = {
    NodeKind.ROLE: ("[", "]"),
    NodeKind.USER: ("[/", "/]"),
    NodeKind.GROUP: ("[[", "]]"),
    NodeKind.SERVICE: ("([", "])"),
    NodeKind.FEDERATED: ("{{", "}}"),
    NodeKind.ACCOUNT: (">", "]"),
    NodeKind.ANYONE: ("(((", ")))"),
    NodeKind.CROWD: ("[/", "\\]"),
}
# Mermaid entity codes (#name; or #decimal;): characters that could end a quoted label, be read
# as HTML, or start an entity code themselves.
_MERMAID_ESCAPES = {
    '"': "#quot;",
    "#": "#35;",
    "&": "#amp;",
    "<": "#lt;",
    ">": "#gt;",
    "|": "#124;",
    "`": "#96;",
    "%": "#37;",  # "%%" starts a comment
}


def mermaid_text(text: str) -> str:
    """``text`` for inside a double-quoted Mermaid label: entity codes for the characters that
    matter, ``<br/>`` for a line break, control characters shown as ``\\x..`` text."""
    out = []
    for char in _newlines(text):
        shown = _control(char)
        if shown is not None:
            out.append(shown)
        elif char == "\n":
            out.append("<br/>")
        else:
            out.append(_MERMAID_ESCAPES.get(char, char))
    return "".join(out)


def mermaid_ids(graph: AssumeGraph) -> dict[str, str]:
    """Node id -> Mermaid id (n1, n2, ... in node id order): Mermaid ids allow no punctuation."""
    return {node.id: f"n{number}" for number, node in enumerate(_nodes(graph), 1)}


def render_mermaid(graph: AssumeGraph, *, focus: Iterable[str] = ()) -> str:
    """The graph as a Mermaid ``flowchart LR``, for a Markdown page (in a ```mermaid block).

    Node ids are n1, n2, ... in node id order (the real ids are in the JSON); labels show the
    name and file:line.  ``focus`` names nodes to mark with the ``focus`` class.
    """
    focused_ids = set(focus)
    nodes = _nodes(graph)
    arrows = _arrows(graph)
    ids = mermaid_ids(graph)
    lines = [
        "flowchart LR",
        "    %% rolelint assume-role graph: an arrow A --> B means A can obtain B's credentials.",
        "    %% Rectangles: roles; stadiums: AWS services; hexagons: OIDC/SAML providers; flags:",
        "    %% accounts; double circle: anyone; parallelograms: IAM users; subroutines: groups.",
        "    %% Red border: admin-level role; orange fill: outside your accounts; dotted arrow:",
        "    %% only under a condition; thick red arrow: leads to an admin-level role (or comes",
        "    %% from anyone).",
    ]
    for node in nodes:
        opening, closing = _MERMAID_SHAPES[node.kind]
        label = "<br/>".join(mermaid_text(line) for line in _label_lines(node))
        lines.append(f'    {ids[node.id]}{opening}"{label}"{closing}')
    risky: list[str] = []
    for number, arrow in enumerate(arrows):
        link = "-.->" if arrow.conditional else "==>" if arrow.risky else "-->"
        text = f'|"{mermaid_text(arrow.label)}"|' if arrow.label else ""
        lines.append(f"    {ids[arrow.source]} {link}{text} {ids[arrow.target]}")
        if arrow.risky:
            risky.append(str(number))
    classes = (
        (
            "privileged",
            f"stroke:{RED},stroke-width:3px,color:{RED}",
            [n for n in nodes if n.privileged],
        ),
        ("external", f"fill:{EXTERNAL_FILL}", [n for n in nodes if n.external]),
        (
            "focus",
            f"stroke:{FOCUS_BLUE},stroke-width:4px",
            [n for n in nodes if n.id in focused_ids],
        ),
    )
    for name, style, members in classes:
        if members:
            lines.append(f"    classDef {name} {style}")
            lines.append(f"    class {','.join(ids[n.id] for n in members)} {name}")
    if risky:
        lines.append(f"    linkStyle {','.join(risky)} stroke:{RED},stroke-width:2px")
    return "\n".join(lines) + "\n"


# --- JSON -----------------------------------------------------------------------------------------


def _position(ref: SourceRef | None) -> dict[str, Any] | None:
    return None if ref is None else {"file": ref.file, "line": ref.line}


def _node_entry(node: Node) -> dict[str, Any]:
    return {
        "id": node.id,
        "kind": node.kind.value,
        "label": node.label,
        "file": node.ref.file if node.ref else None,
        "line": node.ref.line if node.ref else None,
        "privileged": node.privileged,
        "external": node.external,
    }


def _edge_entry(edge: Edge) -> dict[str, Any]:
    return {
        "source": edge.source,
        "target": edge.target,
        "action": edge.action,
        "how": edge.how,
        "trust": _position(edge.trust),
        "grant": _position(edge.grant),
        "conditional": edge.conditional,
    }


def graph_document(graph: AssumeGraph, *, focus: Iterable[str] = ()) -> dict[str, Any]:
    """The graph as plain data: every node and every edge (not merged), sorted."""
    return {
        "nodes": [_node_entry(node) for node in _nodes(graph)],
        "edges": [_edge_entry(edge) for edge in _edges(graph)],
        "focus": sorted(set(focus)),
    }


def render_json(graph: AssumeGraph, *, focus: Iterable[str] = ()) -> str:
    """The graph as JSON: ``nodes`` (id, kind, label, file, line, privileged, external),
    ``edges`` (source, target, action, how, trust and grant as {file, line} or null,
    conditional) and ``focus`` (the node ids asked for, or [])."""
    return "".join(json_chunks(graph, focus=focus))


def json_chunks(graph: AssumeGraph, *, focus: Iterable[str] = ()) -> Iterator[str]:
    """:func:`render_json`'s text in pieces, each node's and edge's entry made as it is
    written: the drawing of 800 roles each assuming hundreds of the others is 160 MB of text
    from 300,000 entries, which were all held at once, then the text twice over."""
    document = {
        "nodes": Lazy(_nodes(graph), _node_entry),
        "edges": Lazy(_edges(graph), _edge_entry),
        "focus": sorted(set(focus)),
    }
    yield from chunks_indented(document, end="\n")


RENDERERS = {"dot": render_dot, "mermaid": render_mermaid, "json": render_json}


def rendered(format_name: str, graph: AssumeGraph, *, focus: Iterable[str] = ()) -> Iterable[str]:
    """The drawing :data:`RENDERERS` makes in ``format_name``, in the pieces it is written in
    (JSON's made as they are written, :func:`json_chunks`)."""
    if format_name == "json":
        return json_chunks(graph, focus=focus)
    return (RENDERERS[format_name](graph, focus=focus),)


# --- finding the nodes a user names ---------------------------------------------------------------


def _names(node: Node) -> list[str]:
    """What a user may call a node: its id, its label, and for a scanned principal the part of
    the id after the file (a logical id or a Terraform address, also without module prefixes)."""
    names = [node.id, node.label]
    # The file may hold "#" itself (env#1/account.json): the name follows the file, not the
    # first "#".
    ref = node.ref
    prefix = f"{node.kind.value}:{ref.file}#" if ref is not None else ""
    if ref is not None and node.id.startswith(prefix):
        short = node.id[len(prefix) :]
        # FILE#NAME, as `show` takes it when two roles share a name.
        names += [node.id.partition(":")[2], short]
        # An export's roles are ids qualified by their file ("export.json#deploy"): their
        # bare name, as `roles` and `show` print it.
        bare = short_name(short, ref.file)
        if bare != short:
            names.append(bare)
        names += address_forms(bare, *names)
    return names


def match_nodes(graph: AssumeGraph, query: str) -> list[str]:
    """The ids of the nodes ``query`` names (exactly, else ignoring case), sorted."""
    exact = sorted(n.id for n in graph.nodes.values() if query in _names(n))
    if exact:
        return exact
    folded = query.casefold()
    return sorted(
        n.id for n in graph.nodes.values() if any(folded == x.casefold() for x in _names(n))
    )


def close_names(graph: AssumeGraph, query: str, count: int = 5) -> list[str]:
    """The names of the graph's nodes that look most like ``query`` (for a helpful error)."""
    nodes = sorted(graph.nodes.values(), key=lambda n: n.id)
    # Names with a file (node ids, FILE#NAME) are too long to read as a suggestion.
    names = (name for node in nodes for name in _names(node) if "#" not in name)
    return closest(query, names, count)


def focused(graph: AssumeGraph, node_ids: Iterable[str]) -> AssumeGraph:
    """What reaches any of ``node_ids`` or is reached from it, with the edges among them
    (:meth:`AssumeGraph.focus` for several nodes)."""
    keep: set[str] = set()
    for node_id in node_ids:
        keep |= graph.reachable(node_id) | graph.reachable(node_id, backwards=True)
    return graph.subgraph(keep).sorted()
