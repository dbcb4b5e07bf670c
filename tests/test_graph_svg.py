"""The assume-role graph as inline SVG (rolelint.graph.svg): valid XML for real and hostile
input, one element per node and per (source, target) pair, the colours and dashes of the other
drawings, a left-to-right layering, determinism, the cut of huge graphs and the empty graph."""

from __future__ import annotations

import itertools
import random
import re
import xml.etree.ElementTree as ET

import pytest

from rolelint.api import read_inventory
from rolelint.graph.build import build_graph
from rolelint.graph.model import AssumeGraph, Edge, Node, NodeKind
from rolelint.graph.render import EXTERNAL_FILL, RED
from rolelint.graph.svg import MAX_ARROWS, _clean, render_svg
from rolelint.managed_policies import resolve_managed_policies
from tests.conftest import REPO
from tests.test_graph_cli import ADMIN, CI, DEPLOY, FUNCTION, GITHUB, LAMBDA, VENDOR, VENDOR_ROLE
from tests.test_graph_render import make_graph

NS = "{http://www.w3.org/2000/svg}"
SHAPES = {f"{NS}rect", f"{NS}ellipse", f"{NS}polygon"}


def role(name: str, privileged: str | None = None) -> Node:
    return Node(name, NodeKind.ROLE, name, privileged=privileged)


def hop(source: str, target: str, *, conditional: bool = False) -> Edge:
    how = f"{source} may assume {target}"
    return Edge(source, target, "sts:AssumeRole", how, conditional=conditional)


def chain(*names: str) -> AssumeGraph:
    return make_graph(
        [role(name) for name in names], [hop(a, b) for a, b in itertools.pairwise(names)]
    )


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{NS}svg"
    return root


def node_groups(root: ET.Element) -> dict[str, ET.Element]:
    groups = [g for g in root.iter(f"{NS}g") if g.get("class") == "node"]
    found = {g.get("data-id", ""): g for g in groups}
    assert len(found) == len(groups), "a node drawn twice"
    return found


def edge_paths(root: ET.Element) -> dict[tuple[str, str], ET.Element]:
    paths = [p for p in root.iter(f"{NS}path") if p.get("class") == "edge"]
    found = {(p.get("data-source", ""), p.get("data-target", "")): p for p in paths}
    assert len(found) == len(paths), "an arrow drawn twice"
    return found


def shape(group: ET.Element) -> ET.Element:
    return next(child for child in group if child.tag in SHAPES)


def center_x(group: ET.Element) -> int:
    text = group.find(f"{NS}text")
    assert text is not None
    return int(text.get("x", ""))


def distinct_pairs(graph: AssumeGraph) -> set[tuple[str, str]]:
    return {(edge.source, edge.target) for edge in graph.edges}


@pytest.fixture
def project(monkeypatch: pytest.MonkeyPatch) -> AssumeGraph:
    """fixtures/graph, read as `rolelint graph fixtures/graph` reads it."""
    monkeypatch.chdir(REPO)
    inventory, report = read_inventory(["fixtures/graph"])
    assert not report.errors
    return build_graph(resolve_managed_policies(inventory))


# --- the fixture project ------------------------------------------------------------------------


def test_project_nodes_and_edges(project: AssumeGraph) -> None:
    svg = render_svg(project)
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg" ')
    root = parse(svg)
    width, height = int(root.get("width", "")), int(root.get("height", ""))
    assert root.get("viewBox", "").split()[2:] == [str(width), str(height)]
    groups = node_groups(root)
    expected = {CI, DEPLOY, ADMIN, FUNCTION, VENDOR_ROLE, GITHUB, LAMBDA, VENDOR}
    assert set(groups) == set(project.nodes) == expected
    assert groups[GITHUB].get("data-kind") == "federated"
    assert groups[LAMBDA].get("data-kind") == "service"
    assert groups[CI].get("data-kind") == "role"
    assert set(edge_paths(root)) == distinct_pairs(project)
    assert not [t for t in root.iter(f"{NS}text") if t.get("class") == "note"]


def test_project_styles(project: AssumeGraph) -> None:
    root = parse(render_svg(project))
    groups = node_groups(root)
    admin = shape(groups[ADMIN])
    assert (admin.get("stroke"), admin.get("stroke-width")) == (RED, "3")
    assert shape(groups[CI]).get("stroke") != RED
    assert shape(groups[GITHUB]).get("fill") == EXTERNAL_FILL
    assert shape(groups[VENDOR]).get("fill") == EXTERNAL_FILL
    assert shape(groups[CI]).get("fill") != EXTERNAL_FILL
    edges = edge_paths(root)
    assert edges[(VENDOR, VENDOR_ROLE)].get("stroke-dasharray")
    assert edges[(LAMBDA, FUNCTION)].get("stroke-dasharray") is None
    assert edges[(DEPLOY, ADMIN)].get("stroke") == RED  # into the admin role
    assert edges[(CI, DEPLOY)].get("stroke") == RED  # toward it
    assert edges[(GITHUB, CI)].get("stroke") == RED
    assert edges[(LAMBDA, FUNCTION)].get("stroke") != RED
    assert edges[(VENDOR, VENDOR_ROLE)].get("stroke") != RED
    assert x_order(groups, [GITHUB, CI, DEPLOY, ADMIN])
    legend = [g for g in root.iter(f"{NS}g") if g.get("class") == "legend"]
    captions = {"".join(g.itertext()) for g in legend}
    assert {"admin-level role", "outside your accounts", "only under a condition"} <= captions


def x_order(groups: dict[str, ET.Element], ids: list[str]) -> bool:
    xs = [center_x(groups[node_id]) for node_id in ids]
    return xs == sorted(set(xs)) and len(set(xs)) == len(xs)


def test_self_contained(project: AssumeGraph) -> None:
    """Nothing the browser would fetch or run, and no page-wide style sheet."""
    svg = render_svg(project)
    assert svg.count("http") == 1  # the namespace
    for forbidden in ("<style", "<script", "href", "<?xml", "@import", "url(http"):
        assert forbidden not in svg
    assert set(re.findall(r"url\(#([^)]*)\)", svg)) <= set(re.findall(r'id="([^"]*)"', svg))


# --- escaping -----------------------------------------------------------------------------------

HOSTILE = "<script>alert(\"x\")</script> & 'q' \x07 \u202e ]]> <!-- \udc80"
HOSTILE_ID = "role:a&b.yaml#<Role> \"quoted\" 'single'"


def hostile_graph() -> AssumeGraph:
    return make_graph(
        [
            Node(HOSTILE_ID, NodeKind.ROLE, HOSTILE),
            Node("service:x", NodeKind.SERVICE, "<b>&amp;</b>\nline two", external=True),
        ],
        [Edge("service:x", HOSTILE_ID, "sts:AssumeRole", HOSTILE)],
    )


def test_hostile_text_is_escaped() -> None:
    svg = render_svg(hostile_graph())
    svg.encode("utf-8")  # a lone surrogate would fail here
    root = parse(svg)
    assert "<script" not in svg.lower()
    assert "<b>" not in svg and "<!--" not in svg and "]]>" not in svg
    assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\u202e\ud800-\udfff]", svg)
    groups = node_groups(root)
    assert set(groups) == {HOSTILE_ID, "service:x"}
    title = groups[HOSTILE_ID].find(f"{NS}title")
    assert title is not None and title.text is not None
    assert title.text.startswith("<script>alert(\"x\")</script> & 'q' \\x07 \\u202e ]]> <!--")
    label = groups[HOSTILE_ID].find(f"{NS}text")
    assert label is not None and label.text is not None
    assert label.text == '<script>alert("x")</script>…'
    other = groups["service:x"].find(f"{NS}text")
    assert other is not None and other.text == "<b>&amp;</b> line two"
    assert set(edge_paths(root)) == {("service:x", HOSTILE_ID)}


def test_long_label_is_shortened_with_full_title() -> None:
    name = "VeryLongRoleNameForTheDeploymentPipelineOfProduction"
    root = parse(render_svg(make_graph([role(name)], [])))
    group = node_groups(root)[name]
    label, title = group.find(f"{NS}text"), group.find(f"{NS}title")
    assert label is not None and label.text == name[:27] + "…"
    assert title is not None and title.text is not None
    assert title.text.splitlines()[0] == name
    short = node_groups(parse(render_svg(make_graph([role("Short")], []))))["Short"]
    assert "".join(short.itertext()).startswith("Short")
    assert [t.text for t in short.iter(f"{NS}text")] == ["Short"]


# --- layout -------------------------------------------------------------------------------------


def test_chain_goes_left_to_right() -> None:
    groups = node_groups(parse(render_svg(chain("C", "A", "B"))))  # C -> A -> B
    assert x_order(groups, ["C", "A", "B"])
    assert [groups[n].get("data-layer") for n in ("C", "A", "B")] == ["0", "1", "2"]


def test_cycle_is_drawn() -> None:
    graph = make_graph([role("A"), role("B"), role("S")], [hop("S", "A"), *cycle("A", "B")])
    root = parse(render_svg(graph))
    groups = node_groups(root)
    assert set(groups) == {"A", "B", "S"}
    assert groups["A"].get("data-layer") == groups["B"].get("data-layer") == "1"
    edges = edge_paths(root)
    assert set(edges) == {("S", "A"), ("A", "B"), ("B", "A")}
    # Within the column: two arcs, one beside each side, each starting and ending on that side.
    down, up = coordinates(edges[("A", "B")]), coordinates(edges[("B", "A")])
    assert down[0][0] == down[3][0] and up[0][0] == up[3][0]
    assert down[0][0] != up[0][0]
    assert min(down[1][0], down[2][0]) > down[0][0]  # bulges right
    assert max(up[1][0], up[2][0]) < up[0][0]  # bulges left
    for path in edges.values():
        assert re.fullmatch(r"M-?\d+,-?\d+ C(-?\d+,-?\d+ ){2}-?\d+,-?\d+", path.get("d", ""))


def coordinates(path: ET.Element) -> list[tuple[int, int]]:
    """Start, control points and end of an arrow's cubic curve."""
    numbers = [int(v) for v in re.findall(r"-?\d+", path.get("d", ""))]
    return list(zip(numbers[::2], numbers[1::2], strict=True))


def cycle(a: str, b: str) -> list[Edge]:
    return [hop(a, b), hop(b, a)]


def test_edges_inside_a_circle_and_self_loop_are_visible() -> None:
    graph = make_graph(
        [role(n) for n in "ABC"], [hop("A", "B"), hop("B", "C"), hop("C", "C"), hop("C", "B")]
    )
    root = parse(render_svg(graph))
    edges = edge_paths(root)
    assert set(edges) == distinct_pairs(graph)
    assert len(set(coordinates(edges[("C", "C")]))) == 4  # not a degenerate point
    groups = node_groups(root)
    assert x_order(groups, ["A", "B"])  # B and C share a layer: one component


def test_barycenter_keeps_a_parallel_pair_uncrossed() -> None:
    """a1 -> b2 and a2 -> b1 would cross in id order; the sweeps put each b beside its a."""
    graph = make_graph(
        [role(n) for n in ("a1", "a2", "b1", "b2")], [hop("a1", "b2"), hop("a2", "b1")]
    )
    groups = node_groups(parse(render_svg(graph)))

    def top(node_id: str) -> int:
        text = groups[node_id].find(f"{NS}text")
        assert text is not None
        return int(text.get("y", ""))

    assert (top("a1") < top("a2")) == (top("b2") < top("b1"))


def test_several_edges_between_two_nodes_are_one_arrow() -> None:
    nodes = [role("A"), role("B"), role("C")]
    edges = [
        hop("A", "B", conditional=True),
        hop("A", "B"),
        hop("B", "C", conditional=True),
        hop("B", "C", conditional=True),
    ]
    paths = edge_paths(parse(render_svg(make_graph(nodes, edges))))
    assert set(paths) == {("A", "B"), ("B", "C")}
    assert paths[("A", "B")].get("stroke-dasharray") is None  # one unconditional trust
    assert paths[("B", "C")].get("stroke-dasharray")


def test_red_only_toward_admin() -> None:
    nodes = [role("A"), role("B"), role("Admin", privileged="'*' on '*'"), role("C")]
    edges = [hop("A", "B"), hop("B", "Admin"), hop("A", "C")]
    paths = edge_paths(parse(render_svg(make_graph(nodes, edges))))
    assert paths[("A", "B")].get("stroke") == RED
    assert paths[("B", "Admin")].get("stroke") == RED
    assert paths[("A", "C")].get("stroke") != RED
    assert paths[("A", "B")].get("marker-end") != paths[("A", "C")].get("marker-end")


def test_every_kind_has_its_own_look() -> None:
    nodes = [Node(f"{kind.value}:x", kind, kind.value) for kind in NodeKind]
    root = parse(render_svg(make_graph(nodes, [])))
    groups = node_groups(root)
    assert {g.get("data-kind") for g in groups.values()} == {kind.value for kind in NodeKind}
    looks = set()
    for group in groups.values():
        outline = shape(group)
        looks.add((outline.tag, outline_form(outline.get("points", "")), len(list(group))))
    assert len(looks) == len(NodeKind)
    assert shape(groups["service:x"]).tag == f"{NS}ellipse"
    assert shape(groups["role:x"]).get("rx")


def outline_form(points: str) -> tuple[tuple[int, int], ...]:
    """A polygon's corners moved to the origin: the same form wherever it is drawn."""
    corners = [tuple(int(v) for v in point.split(",")) for point in points.split()]
    if not corners:
        return ()
    left, top = min(x for x, _ in corners), min(y for _, y in corners)
    return tuple((x - left, y - top) for x, y in corners)


def test_edge_to_a_node_missing_from_the_graph_is_still_drawn() -> None:
    root = parse(render_svg(make_graph([role("A")], [hop("A", "ghost")])))
    assert set(node_groups(root)) == {"A", "ghost"}
    assert set(edge_paths(root)) == {("A", "ghost")}


# --- determinism, size, speed -------------------------------------------------------------------


def random_graph(seed: int, roles: int, edges: int) -> tuple[list[Node], list[Edge]]:
    rng = random.Random(seed)
    nodes = [role(f"r{i:03d}", privileged="x" if i % 97 == 5 else None) for i in range(roles)]
    nodes.append(Node("account:999", NodeKind.ACCOUNT, "account 999", external=True))
    hops = [
        hop(f"r{rng.randrange(roles):03d}", f"r{rng.randrange(roles):03d}", conditional=i % 7 == 0)
        for i in range(edges)
    ]
    hops.append(hop("account:999", "r010"))
    return nodes, hops


def test_deterministic_whatever_the_insertion_order() -> None:
    nodes, edges = random_graph(3, 80, 200)
    first = render_svg(make_graph(nodes, edges))
    assert render_svg(make_graph(nodes, edges)) == first
    rng = random.Random(9)
    rng.shuffle(nodes)
    rng.shuffle(edges)
    assert render_svg(make_graph(nodes, edges)) == first


def test_project_is_deterministic(project: AssumeGraph) -> None:
    assert render_svg(project) == render_svg(project.sorted())


def test_big_graph_is_cut_to_what_matters() -> None:
    callers = [f"caller{i}" for i in range(6)]
    nodes = [role(f"bulk{i:03d}") for i in range(490)]
    nodes += [role(name) for name in callers]
    nodes += [role("Admin", privileged="'*' on '*'"), role("Vendored")]
    nodes.append(Node("account:999", NodeKind.ACCOUNT, "account 999", external=True))
    edges = [hop(f"bulk{i:03d}", f"bulk{i + 1:03d}") for i in range(489)]
    edges += [hop(a, b) for a, b in zip(callers, [*callers[1:], "Admin"], strict=True)]
    edges.append(hop("account:999", "Vendored"))
    graph = make_graph(nodes, edges)
    assert len(graph.nodes) == 499
    root = parse(render_svg(graph, max_nodes=50))
    groups = node_groups(root)
    assert len(groups) == 50
    assert {"Admin", *callers, "account:999", "Vendored"} <= set(groups)
    notes = [t for t in root.iter(f"{NS}text") if t.get("class") == "note"]
    assert len(notes) == 1
    assert "50 of 499 nodes shown" in "".join(notes[0].itertext())
    assert set(edge_paths(root)) == {
        pair for pair in distinct_pairs(graph) if set(pair) <= set(groups)
    }
    default = node_groups(parse(render_svg(graph)))
    assert len(default) == 300 and "Admin" in default


def test_cut_keeps_the_admin_callers_nearest_first() -> None:
    """More callers than room: the admin role and its nearest callers are drawn, even though
    farther callers come first by id."""
    callers = [f"c{i:02d}" for i in range(19, -1, -1)]  # c00 -> c01 -> ... -> c19 -> Admin
    nodes = [role(name) for name in callers] + [role("Admin", privileged="yes")]
    edges = [hop(callers[0], "Admin")]
    edges += [hop(callers[i + 1], callers[i]) for i in range(19)]
    groups = node_groups(parse(render_svg(make_graph(nodes, edges), max_nodes=5)))
    assert set(groups) == {"Admin", "c19", "c18", "c17", "c16"}


def test_no_note_when_everything_fits() -> None:
    svg = render_svg(chain("A", "B"), max_nodes=2)
    assert 'class="note"' not in svg
    with pytest.raises(ValueError):
        render_svg(chain("A", "B"), max_nodes=0)


def test_300_roles_and_1000_edges_keep_to_the_node_budget() -> None:
    # How long this takes is measured by benchmarks/graph_svg.py, not asserted here.
    nodes, edges = random_graph(1, 300, 1000)
    svg = render_svg(make_graph(nodes, edges))
    root = parse(svg)
    assert len(node_groups(root)) == 300  # 301 nodes, one over the default budget
    assert "300 of 301 nodes shown" in svg


def test_a_dense_graph_keeps_to_the_arrow_budget() -> None:
    """300 roles that may each assume every other: 89,700 arrows were drawn (tens of MB); the
    node cap did not limit them."""
    names = [f"r{i:03d}" for i in range(300)]
    nodes = [role(name, privileged="yes" if name == "r150" else None) for name in names]
    edges = [hop(a, b) for a in names for b in names if a != b]
    svg = render_svg(make_graph(nodes, edges))
    root = parse(svg)
    paths = edge_paths(root)
    assert len(paths) == MAX_ARROWS
    assert len(node_groups(root)) == 300
    # Toward the admin-level role first, from every node (each keeps some of its arrows).
    assert {(name, "r150") for name in names if name != "r150"} <= set(paths)
    assert {source for source, _ in paths} == set(names)
    notes = ["".join(t.itertext()) for t in root.iter(f"{NS}text") if t.get("class") == "note"]
    assert notes == [
        f"{MAX_ARROWS} of 89700 arrows shown (those toward admin-level roles"
        " first; 'rolelint graph' writes them all)"
    ]
    assert len(svg) < 3_000_000
    assert 'class="note"' not in render_svg(chain("A", "B"), max_arrows=1)


def test_cleaning_a_printable_line_keeps_it_and_any_other_is_made_visible() -> None:
    """A printable line is kept whole (the fast path); any other is cleaned character by
    character, as before."""
    assert _clean("Role -> Admin (sts:AssumeRole)\nwhy", newlines=True) == (
        "Role -> Admin (sts:AssumeRole)\nwhy"
    )
    assert _clean("a\u202eb\x00c\u2028d\r\ne", newlines=False) == "a\\u202eb\\x00c\\u2028d e"
    assert _clean("\ufffe\ud800") == "\\ufffe\\ud800"


def test_empty_graph() -> None:
    svg = render_svg(AssumeGraph())
    root = parse(svg)
    assert "no role found" in "".join(root.itertext())
    assert not node_groups(root)
    assert int(root.get("width", "0")) > 0 and root.get("viewBox")


def test_an_arrow_across_columns_runs_between_the_boxes() -> None:
    """A -> B -> C and A -> C: the long arrow must not pass through B's box (it would seem to
    end there); it runs along the gap beside A's row."""
    from rolelint.graph.svg import NODE_HEIGHT, NODE_WIDTH

    graph = make_graph(
        [role("A"), role("B"), role("C")], [hop("A", "B"), hop("B", "C"), hop("A", "C")]
    )
    root = parse(render_svg(graph))
    groups = node_groups(root)
    b_shape = shape(groups["B"])
    b_top = int(b_shape.get("y", "0"))
    b_left = int(b_shape.get("x", "0"))
    points = coordinates(edge_paths(root)[("A", "C")])
    assert len(points) == 8  # curve, straight run, curve
    (_, run_y), (end_x, end_y) = points[3], points[4]
    assert points[3][1] == end_y  # the run is horizontal
    assert run_y < b_top or run_y > b_top + NODE_HEIGHT  # beside B's box, not through it
    assert points[3][0] < b_left and end_x > b_left + NODE_WIDTH  # and it spans B's column
