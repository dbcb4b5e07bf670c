"""Drawing the assume-role graph: exact DOT, Mermaid and JSON for a small hand-built graph,
escaping of odd names, determinism, --focus matching, and syntax checks of every output.

The DOT checks parse the output with a small parser of the DOT grammar below (strings read as
the strictest Graphviz lexer reads them); when Graphviz is installed, `dot` itself reads it too.
"""

from __future__ import annotations

import itertools
import json
import random
import re
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import pytest

from rolelint.graph.model import AssumeGraph, Edge, Node, NodeKind
from rolelint.graph.render import (
    close_names,
    dot_string,
    focused,
    graph_document,
    json_chunks,
    match_nodes,
    mermaid_text,
    render_dot,
    render_json,
    render_mermaid,
    rendered,
)
from rolelint.json_text import dumps_indented
from rolelint.source import SourceRef, Span

CI = "role:ci.yaml#CiRole"
DEPLOY = "role:deploy/main.tf#aws_iam_role.deploy"
ADMIN = "role:platform.yaml#AdminRole"
FUNCTION = "role:platform.yaml#FunctionRole"
OIDC = "federated:token.actions.githubusercontent.com"
LAMBDA = "service:lambda.amazonaws.com"
VENDOR = "account:444455556666"


def at(file: str, line: int) -> SourceRef:
    return SourceRef(file, Span(line, 3, line, 10))


def tiny_nodes() -> list[Node]:
    return [
        Node(CI, NodeKind.ROLE, "CiRole", at("ci.yaml", 7)),
        Node(DEPLOY, NodeKind.ROLE, "aws_iam_role.deploy", at("deploy/main.tf", 6)),
        Node(ADMIN, NodeKind.ROLE, "AdminRole", at("platform.yaml", 8), privileged="'*' on '*'"),
        Node(FUNCTION, NodeKind.ROLE, "FunctionRole", at("platform.yaml", 30)),
        Node(OIDC, NodeKind.FEDERATED, "GitHub Actions", external=True),
        Node(LAMBDA, NodeKind.SERVICE, "lambda.amazonaws.com"),
        Node(VENDOR, NodeKind.ACCOUNT, "account 444455556666", external=True),
    ]


def tiny_edges() -> list[Edge]:
    web = "sts:AssumeRoleWithWebIdentity"
    return [
        Edge(OIDC, CI, web, "the trust admits GitHub", trust=at("ci.yaml", 16)),
        Edge(CI, DEPLOY, "sts:AssumeRole", "CiRole may assume deploy", grant=at("ci.yaml", 29)),
        Edge(
            DEPLOY,
            ADMIN,
            "sts:AssumeRole",
            "deploy may assume AdminRole",
            grant=at("deploy/main.tf", 26),
        ),
        Edge(
            LAMBDA,
            FUNCTION,
            "sts:AssumeRole",
            "the trust admits lambda",
            trust=at("platform.yaml", 38),
        ),
        Edge(
            VENDOR,
            FUNCTION,
            "sts:AssumeRole",
            "the trust admits the vendor",
            trust=at("platform.yaml", 40),
            conditional=True,
        ),
    ]


def make_graph(nodes: list[Node], edges: list[Edge]) -> AssumeGraph:
    graph = AssumeGraph()
    for node in nodes:
        graph.add_node(node)
    for edge in edges:
        graph.add_edge(edge)
    return graph


def tiny() -> AssumeGraph:
    """GitHub -> CiRole -> deploy -> AdminRole (admin-level); lambda and a vendor (under a
    condition) -> FunctionRole: every style of node and arrow, in seven nodes."""
    return make_graph(tiny_nodes(), tiny_edges())


# --- exact output -----------------------------------------------------------------------------

TINY_DOT = r"""// rolelint assume-role graph: an arrow A -> B means A can obtain B's credentials.
// Boxes: roles; ellipses: AWS services; hexagons: OIDC/SAML providers; octagons:
// accounts; double octagon: anyone; houses: IAM users; folders: IAM groups.
// Red bold border: admin-level role; orange fill: outside your accounts.
// Dashed arrow: only under a condition; red arrow: leads to an admin-level role
// (or comes from anyone).
digraph rolelint {
  graph [rankdir="LR", fontname="Helvetica", fontsize="10"];
  node [fontname="Helvetica", fontsize="10"];
  edge [fontname="Helvetica", fontsize="9"];
  "account:444455556666" [label="account 444455556666", shape="octagon", style="filled", fillcolor="#ffe8cc", tooltip="account:444455556666"];
  "federated:token.actions.githubusercontent.com" [label="GitHub Actions", shape="hexagon", style="filled", fillcolor="#ffe8cc", tooltip="federated:token.actions.githubusercontent.com"];
  "role:ci.yaml#CiRole" [label="CiRole\nci.yaml:7", shape="box", style="rounded", tooltip="role:ci.yaml#CiRole"];
  "role:deploy/main.tf#aws_iam_role.deploy" [label="aws_iam_role.deploy\ndeploy/main.tf:6", shape="box", style="rounded", tooltip="role:deploy/main.tf#aws_iam_role.deploy"];
  "role:platform.yaml#AdminRole" [label="AdminRole\nplatform.yaml:8\nadmin-level", shape="box", style="rounded,bold", color="#d62728", fontcolor="#d62728", penwidth="3", tooltip="role:platform.yaml#AdminRole: admin-level: '*' on '*'"];
  "role:platform.yaml#FunctionRole" [label="FunctionRole\nplatform.yaml:30", shape="box", style="rounded", tooltip="role:platform.yaml#FunctionRole"];
  "service:lambda.amazonaws.com" [label="lambda.amazonaws.com", shape="ellipse", tooltip="service:lambda.amazonaws.com"];
  "account:444455556666" -> "role:platform.yaml#FunctionRole" [style="dashed", tooltip="the trust admits the vendor"];
  "federated:token.actions.githubusercontent.com" -> "role:ci.yaml#CiRole" [label="sts:AssumeRoleWithWebIdentity", color="#d62728", fontcolor="#d62728", penwidth="2", tooltip="the trust admits GitHub"];
  "role:ci.yaml#CiRole" -> "role:deploy/main.tf#aws_iam_role.deploy" [color="#d62728", fontcolor="#d62728", penwidth="2", tooltip="CiRole may assume deploy"];
  "role:deploy/main.tf#aws_iam_role.deploy" -> "role:platform.yaml#AdminRole" [color="#d62728", fontcolor="#d62728", penwidth="2", tooltip="deploy may assume AdminRole"];
  "service:lambda.amazonaws.com" -> "role:platform.yaml#FunctionRole" [tooltip="the trust admits lambda"];
  subgraph cluster_legend {
    label="Legend";
    color="#999999";
    fontsize="9";
    node [fontsize="9"];
    "legend:role" [label="role", shape="box", style="rounded"];
    "legend:service" [label="AWS service", shape="ellipse"];
    "legend:federated" [label="OIDC / SAML provider", shape="hexagon"];
    "legend:account" [label="account (every principal)", shape="octagon"];
    "legend:privileged" [label="admin-level role", shape="box", style="rounded,bold", color="#d62728", fontcolor="#d62728", penwidth="3"];
    "legend:external" [label="outside your accounts", shape="box", style="rounded,filled", fillcolor="#ffe8cc"];
    "legend:edge1:from" [label="", shape="point"];
    "legend:edge1:to" [label="", shape="point"];
    "legend:edge1:from" -> "legend:edge1:to" [label="can assume"];
    "legend:edge2:from" [label="", shape="point"];
    "legend:edge2:to" [label="", shape="point"];
    "legend:edge2:from" -> "legend:edge2:to" [label="only under a condition", style="dashed"];
    "legend:edge3:from" [label="", shape="point"];
    "legend:edge3:to" [label="", shape="point"];
    "legend:edge3:from" -> "legend:edge3:to" [label="leads to admin-level", color="#d62728", fontcolor="#d62728", penwidth="2"];
  }
}
"""  # noqa: E501

TINY_MERMAID = """flowchart LR
    %% rolelint assume-role graph: an arrow A --> B means A can obtain B's credentials.
    %% Rectangles: roles; stadiums: AWS services; hexagons: OIDC/SAML providers; flags:
    %% accounts; double circle: anyone; parallelograms: IAM users; subroutines: groups.
    %% Red border: admin-level role; orange fill: outside your accounts; dotted arrow:
    %% only under a condition; thick red arrow: leads to an admin-level role (or comes
    %% from anyone).
    n1>"account 444455556666"]
    n2{{"GitHub Actions"}}
    n3["CiRole<br/>ci.yaml:7"]
    n4["aws_iam_role.deploy<br/>deploy/main.tf:6"]
    n5["AdminRole<br/>platform.yaml:8<br/>admin-level"]
    n6["FunctionRole<br/>platform.yaml:30"]
    n7(["lambda.amazonaws.com"])
    n1 -.-> n6
    n2 ==>|"sts:AssumeRoleWithWebIdentity"| n3
    n3 ==> n4
    n4 ==> n5
    n7 --> n6
    classDef privileged stroke:#d62728,stroke-width:3px,color:#d62728
    class n5 privileged
    classDef external fill:#ffe8cc
    class n1,n2 external
    linkStyle 1,2,3 stroke:#d62728,stroke-width:2px
"""

TINY_JSON = """{
  "nodes": [
    {
      "id": "account:444455556666",
      "kind": "account",
      "label": "account 444455556666",
      "file": null,
      "line": null,
      "privileged": null,
      "external": true
    },
    {
      "id": "federated:token.actions.githubusercontent.com",
      "kind": "federated",
      "label": "GitHub Actions",
      "file": null,
      "line": null,
      "privileged": null,
      "external": true
    },
    {
      "id": "role:ci.yaml#CiRole",
      "kind": "role",
      "label": "CiRole",
      "file": "ci.yaml",
      "line": 7,
      "privileged": null,
      "external": false
    },
    {
      "id": "role:deploy/main.tf#aws_iam_role.deploy",
      "kind": "role",
      "label": "aws_iam_role.deploy",
      "file": "deploy/main.tf",
      "line": 6,
      "privileged": null,
      "external": false
    },
    {
      "id": "role:platform.yaml#AdminRole",
      "kind": "role",
      "label": "AdminRole",
      "file": "platform.yaml",
      "line": 8,
      "privileged": "'*' on '*'",
      "external": false
    },
    {
      "id": "role:platform.yaml#FunctionRole",
      "kind": "role",
      "label": "FunctionRole",
      "file": "platform.yaml",
      "line": 30,
      "privileged": null,
      "external": false
    },
    {
      "id": "service:lambda.amazonaws.com",
      "kind": "service",
      "label": "lambda.amazonaws.com",
      "file": null,
      "line": null,
      "privileged": null,
      "external": false
    }
  ],
  "edges": [
    {
      "source": "account:444455556666",
      "target": "role:platform.yaml#FunctionRole",
      "action": "sts:AssumeRole",
      "how": "the trust admits the vendor",
      "trust": {
        "file": "platform.yaml",
        "line": 40
      },
      "grant": null,
      "conditional": true
    },
    {
      "source": "federated:token.actions.githubusercontent.com",
      "target": "role:ci.yaml#CiRole",
      "action": "sts:AssumeRoleWithWebIdentity",
      "how": "the trust admits GitHub",
      "trust": {
        "file": "ci.yaml",
        "line": 16
      },
      "grant": null,
      "conditional": false
    },
    {
      "source": "role:ci.yaml#CiRole",
      "target": "role:deploy/main.tf#aws_iam_role.deploy",
      "action": "sts:AssumeRole",
      "how": "CiRole may assume deploy",
      "trust": null,
      "grant": {
        "file": "ci.yaml",
        "line": 29
      },
      "conditional": false
    },
    {
      "source": "role:deploy/main.tf#aws_iam_role.deploy",
      "target": "role:platform.yaml#AdminRole",
      "action": "sts:AssumeRole",
      "how": "deploy may assume AdminRole",
      "trust": null,
      "grant": {
        "file": "deploy/main.tf",
        "line": 26
      },
      "conditional": false
    },
    {
      "source": "service:lambda.amazonaws.com",
      "target": "role:platform.yaml#FunctionRole",
      "action": "sts:AssumeRole",
      "how": "the trust admits lambda",
      "trust": {
        "file": "platform.yaml",
        "line": 38
      },
      "grant": null,
      "conditional": false
    }
  ],
  "focus": []
}
"""


def test_dot_snapshot() -> None:
    assert render_dot(tiny()) == TINY_DOT


def test_mermaid_snapshot() -> None:
    assert render_mermaid(tiny()) == TINY_MERMAID


def test_json_snapshot() -> None:
    assert render_json(tiny()) == TINY_JSON


def test_snapshots_are_valid_syntax() -> None:
    dot = parse_dot(TINY_DOT)
    assert set(dot.nodes) >= {CI, DEPLOY, ADMIN, FUNCTION, OIDC, LAMBDA, VENDOR}
    assert (DEPLOY, ADMIN) in [(source, target) for source, target, _ in dot.edges]
    assert dot.nodes[ADMIN]["label"] == "AdminRole\nplatform.yaml:8\nadmin-level"
    mermaid = parse_mermaid(TINY_MERMAID)
    assert mermaid.labels["n5"] == "AdminRole\nplatform.yaml:8\nadmin-level"
    assert len(mermaid.edges) == 5
    document = json.loads(TINY_JSON)
    assert [node["id"] for node in document["nodes"]] == sorted(n.id for n in tiny_nodes())


def test_styles_follow_the_graph() -> None:
    dot = parse_dot(render_dot(tiny(), legend=False))
    admin = dot.nodes[ADMIN]
    assert (admin["color"], admin["penwidth"]) == ("#d62728", "3")
    assert "bold" in admin["style"]
    assert dot.nodes[OIDC]["fillcolor"] == "#ffe8cc"
    assert dot.nodes[LAMBDA]["shape"] == "ellipse"
    assert dot.nodes[OIDC]["shape"] == "hexagon"
    assert dot.nodes[VENDOR]["shape"] == "octagon"
    assert not any(name.startswith("legend:") for name in dot.nodes)
    arrows = {(source, target): attributes for source, target, attributes in dot.edges}
    # Red: the arrows on the way to AdminRole; dashed: the vendor's conditional trust.
    assert {edge for edge, a in arrows.items() if a.get("color") == "#d62728"} == {
        (OIDC, CI),
        (CI, DEPLOY),
        (DEPLOY, ADMIN),
    }
    assert {edge for edge, a in arrows.items() if a.get("style") == "dashed"} == {
        (VENDOR, FUNCTION)
    }
    assert arrows[(OIDC, CI)]["label"] == "sts:AssumeRoleWithWebIdentity"
    assert "label" not in arrows[(CI, DEPLOY)]


def test_anyone_and_users_and_groups() -> None:
    nodes = [
        Node("anyone", NodeKind.ANYONE, "anyone (*)", external=True),
        Node("user:u.yaml#Alice", NodeKind.USER, "Alice", at("u.yaml", 2)),
        Node("group:u.yaml#Ops", NodeKind.GROUP, "Ops", at("u.yaml", 9)),
        Node("role:r.yaml#Open", NodeKind.ROLE, "Open", at("r.yaml", 3)),
    ]
    edges = [
        Edge("anyone", "role:r.yaml#Open", "sts:AssumeRole", "anyone"),
        Edge("user:u.yaml#Alice", "role:r.yaml#Open", "sts:AssumeRole", "alice"),
    ]
    graph = make_graph(nodes, edges)
    dot = parse_dot(render_dot(graph))
    assert dot.nodes["anyone"]["shape"] == "doubleoctagon"
    assert dot.nodes["user:u.yaml#Alice"]["shape"] == "house"
    assert dot.nodes["group:u.yaml#Ops"]["shape"] == "folder"
    arrows = {(source, target): attributes for source, target, attributes in dot.edges}
    assert arrows[("anyone", "role:r.yaml#Open")]["color"] == "#d62728"  # anyone: always red
    assert "color" not in arrows[("user:u.yaml#Alice", "role:r.yaml#Open")]
    mermaid = render_mermaid(graph)
    parse_mermaid(mermaid)
    assert '    n1((("anyone (*)")))' in mermaid.splitlines()
    assert '    n2[["Ops<br/>u.yaml:9"]]' in mermaid.splitlines()
    assert '    n4[/"Alice<br/>u.yaml:2"/]' in mermaid.splitlines()


def test_empty_graph() -> None:
    empty = AssumeGraph()
    dot = render_dot(empty)
    assert "subgraph" not in dot
    assert parse_dot(dot).nodes == {}
    assert render_mermaid(empty).splitlines()[0] == "flowchart LR"
    assert parse_mermaid(render_mermaid(empty)).labels == {}
    assert json.loads(render_json(empty)) == {"nodes": [], "edges": [], "focus": []}


# --- escaping ---------------------------------------------------------------------------------

ODD_NAMES = [
    'Say "hi"',
    "hash#tag #quot; #35;",
    "arn:aws:iam::${AWS::AccountId}:role/${Env}-deploy",
    "two\nlines\r\nand a CR\r",
    "ends with a backslash \\",
    'back\\slash \\" and \\n',
    "a & b <b>bold</b> | pipe `tick` [x] {y} (z) ; %% end",
    "escape \x1b[31m and \x00 and \u2028",
    "unicode: caf\u00e9 \u2192 \u6771\u4eac",
]


def odd_graph() -> AssumeGraph:
    nodes = [
        Node(f"role:odd{number}.yaml#{name}", NodeKind.ROLE, name, at(f'odd "{number}".yaml', 1))
        for number, name in enumerate(ODD_NAMES)
    ]
    edges = [
        Edge(nodes[number].id, nodes[number + 1].id, f"sts:{name}", name, conditional=True)
        for number, name in enumerate(ODD_NAMES[:-1])
    ]
    return make_graph(nodes, edges)


def shown(text: str) -> str:
    """What a label shows for ``text``: line breaks kept, other control characters as text."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.replace("\x1b", "\\x1b").replace("\x00", "\\x00").replace("\u2028", "\\u2028")


def test_dot_escapes_odd_names() -> None:
    graph = odd_graph()
    dot = parse_dot(render_dot(graph, legend=False))
    for number, name in enumerate(ODD_NAMES):
        node_id = f"role:odd{number}.yaml#{name}"
        drawn = [n for n in dot.nodes if n.startswith(f"role:odd{number}.yaml#")]
        assert len(drawn) == 1, drawn
        assert dot.nodes[drawn[0]]["label"] == f'{shown(name)}\nodd "{number}".yaml:1', node_id
    assert len(dot.edges) == len(ODD_NAMES) - 1
    labels = sorted(a["label"] for _, _, a in dot.edges if "label" in a)
    # A label ending in a backslash gets a space after it (see dot_string).
    expected = [f"sts:{shown(name)}" for name in ODD_NAMES[:-1]]
    assert labels == sorted(text + " " if text.endswith("\\") else text for text in expected)


def test_dot_string_never_ends_in_a_backslash() -> None:
    assert dot_string("a\\") == '"a\\\\ "'
    assert dot_string('say "x"') == '"say \\"x\\""'
    assert dot_string("a\nb") == '"a\\nb"'
    assert dot_string("a & b") == '"a &amp; b"'
    assert dot_string("a & b", label=False) == '"a & b"'


def test_mermaid_escapes_odd_names() -> None:
    graph = odd_graph()
    mermaid = parse_mermaid(render_mermaid(graph))
    labels = sorted(mermaid.labels.values())
    assert labels == sorted(
        f'{shown(name)}\nodd "{number}".yaml:1' for number, name in enumerate(ODD_NAMES)
    )
    edge_labels = sorted(label for _, _, label in mermaid.edges if label)
    assert edge_labels == sorted(f"sts:{shown(name)}" for name in ODD_NAMES[:-1])


def test_mermaid_text() -> None:
    assert mermaid_text('a "b" #c') == "a #quot;b#quot; #35;c"
    assert mermaid_text("${AWS::AccountId}") == "${AWS::AccountId}"
    assert mermaid_text("x\ny") == "x<br/>y"
    assert mermaid_text("<i>|`%%") == "#lt;i#gt;#124;#96;#37;#37;"


def test_json_keeps_odd_names_as_they_are() -> None:
    document = json.loads(render_json(odd_graph()))
    assert sorted(node["label"] for node in document["nodes"]) == sorted(ODD_NAMES)


# --- determinism ------------------------------------------------------------------------------


@pytest.mark.parametrize("render", [render_dot, render_mermaid, render_json])
def test_output_does_not_depend_on_insertion_order(render: Callable[[AssumeGraph], str]) -> None:
    expected = render(tiny())
    assert render(tiny()) == expected
    shuffler = random.Random(7)
    for _ in range(5):
        nodes, edges = tiny_nodes(), tiny_edges()
        shuffler.shuffle(nodes)
        shuffler.shuffle(edges)
        assert render(make_graph(nodes, edges)) == expected


def test_same_arrow_twice_is_drawn_once() -> None:
    edges = [
        *tiny_edges(),
        Edge(LAMBDA, FUNCTION, "sts:AssumeRole", "a second statement", trust=at("p.yaml", 50)),
        Edge(VENDOR, FUNCTION, "sts:AssumeRole", "unconditionally", trust=at("p.yaml", 60)),
    ]
    graph = make_graph(tiny_nodes(), edges)
    dot = parse_dot(render_dot(graph, legend=False))
    assert len(dot.edges) == 5
    arrows = {(source, target): attributes for source, target, attributes in dot.edges}
    assert arrows[(LAMBDA, FUNCTION)]["tooltip"] == "a second statement; the trust admits lambda"
    assert "style" not in arrows[(VENDOR, FUNCTION)]  # one unconditional trust is enough
    assert len(parse_mermaid(render_mermaid(graph)).edges) == 5
    assert len(json.loads(render_json(graph))["edges"]) == 7


def test_edges_to_missing_nodes_are_still_drawn() -> None:
    graph = make_graph([], [Edge("a", "b", "sts:AssumeRole", "x")])
    assert set(parse_dot(render_dot(graph)).nodes) >= {"a", "b"}
    assert len(parse_mermaid(render_mermaid(graph)).edges) == 1


# --- focus ------------------------------------------------------------------------------------


def test_match_nodes_by_logical_id_address_label_or_full_id() -> None:
    graph = tiny()
    assert match_nodes(graph, "AdminRole") == [ADMIN]
    assert match_nodes(graph, "aws_iam_role.deploy") == [DEPLOY]
    assert match_nodes(graph, DEPLOY) == [DEPLOY]
    assert match_nodes(graph, "lambda.amazonaws.com") == [LAMBDA]
    assert match_nodes(graph, "adminrole") == [ADMIN]  # no exact match: case ignored
    assert match_nodes(graph, "Admin") == []


def test_match_nodes_several_and_module_instances() -> None:
    nodes = [
        *tiny_nodes(),
        Node("role:other.yaml#CiRole", NodeKind.ROLE, "CiRole", at("other.yaml", 3)),
        Node(
            "role:mod/main.tf#module.app.aws_iam_role.deploy",
            NodeKind.ROLE,
            "module.app.aws_iam_role.deploy",
            at("mod/main.tf", 4),
        ),
    ]
    graph = make_graph(nodes, tiny_edges())
    assert match_nodes(graph, "CiRole") == [CI, "role:other.yaml#CiRole"]
    assert match_nodes(graph, "aws_iam_role.deploy") == [
        DEPLOY,
        "role:mod/main.tf#module.app.aws_iam_role.deploy",
    ]
    assert match_nodes(graph, "module.app.aws_iam_role.deploy") == [
        "role:mod/main.tf#module.app.aws_iam_role.deploy"
    ]


def test_close_names() -> None:
    graph = tiny()
    assert close_names(graph, "AdminRol") == ["AdminRole"]
    assert close_names(graph, "deploy") == ["aws_iam_role.deploy"]
    assert close_names(graph, "zzzzzz") == []


def test_focused_keeps_what_reaches_and_is_reached() -> None:
    graph = tiny()
    deploy = focused(graph, [DEPLOY])
    assert sorted(deploy.nodes) == sorted([OIDC, CI, DEPLOY, ADMIN])
    assert len(deploy.edges) == 3
    both = focused(graph, [ADMIN, FUNCTION])
    assert sorted(both.nodes) == sorted(graph.nodes)
    assert focused(graph, [LAMBDA]).nodes.keys() == {LAMBDA, FUNCTION}


def test_focus_is_marked() -> None:
    graph = focused(tiny(), [DEPLOY])
    dot = parse_dot(render_dot(graph, focus=[DEPLOY]))
    assert dot.nodes[DEPLOY]["peripheries"] == "2"
    assert "peripheries" not in dot.nodes[CI]
    assert "legend:focus" in dot.nodes
    mermaid = render_mermaid(graph, focus=[DEPLOY])
    assert "    class n3 focus" in mermaid.splitlines()
    assert json.loads(render_json(graph, focus=[DEPLOY]))["focus"] == [DEPLOY]


# --- Graphviz itself, when installed ----------------------------------------------------------


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz `dot` is not installed")
@pytest.mark.parametrize("graph", [tiny, odd_graph, AssumeGraph], ids=["tiny", "odd", "empty"])
def test_graphviz_accepts_the_output(graph: Callable[[], AssumeGraph]) -> None:
    result = subprocess.run(
        ["dot", "-Tsvg"], input=render_dot(graph()), capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert "<svg" in result.stdout


# --- a reader of the DOT grammar (https://graphviz.org/doc/info/lang.html) ---------------------


@dataclass
class Dot:
    nodes: dict[str, dict[str, str]] = field(default_factory=dict)
    edges: list[tuple[str, str, dict[str, str]]] = field(default_factory=list)


_DOT_TOKEN = re.compile(
    r"""
    (?P<space>\s+|//[^\n]*|/\*.*?\*/|^\#[^\n]*)
    | (?P<string>")
    | (?P<edgeop>->|--)
    | (?P<punct>[{}\[\];,=:])
    | (?P<id>[A-Za-z_\x80-\U0010ffff][A-Za-z_0-9\x80-\U0010ffff]*
             |-?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?))
    """,
    re.VERBOSE | re.DOTALL | re.MULTILINE,
)


def _dot_tokens(text: str) -> list[tuple[str, str]]:
    """(kind, value) tokens.  A quoted string is read as the oldest Graphviz lexers read it:
    only backslash-quote is an escape, so a string ending in a backslash does not end."""
    tokens: list[tuple[str, str]] = []
    position = 0
    while position < len(text):
        match = _DOT_TOKEN.match(text, position)
        assert match, f"DOT syntax error at {text[position : position + 40]!r}"
        kind = match.lastgroup
        assert kind is not None
        if kind == "string":
            value = []
            position = match.end()
            while True:
                assert position < len(text), "unterminated DOT string"
                char = text[position]
                if char == "\\" and text[position + 1 : position + 2] == '"':
                    value.append('"')
                    position += 2
                elif char == '"':
                    position += 1
                    break
                else:
                    assert char != "\n", "raw line break in a DOT string"
                    value.append(char)
                    position += 1
            tokens.append(("id", "".join(value)))
            continue
        if kind != "space":
            tokens.append((kind if kind != "punct" else match.group(), match.group()))
        position = match.end()
    return tokens


def _unescape_label(text: str) -> str:
    """Graphviz's reading of a label: \\n a line break, \\\\ a backslash, &amp; an ampersand."""
    out = []
    position = 0
    while position < len(text):
        char = text[position]
        if char == "\\" and position + 1 < len(text):
            following = text[position + 1]
            out.append({"n": "\n", "\\": "\\"}.get(following, following))
            position += 2
        else:
            out.append(char)
            position += 1
    return "".join(out).replace("&amp;", "&")


class _DotParser:
    def __init__(self, text: str) -> None:
        self.tokens = _dot_tokens(text)
        self.position = 0
        self.dot = Dot()

    def peek(self, offset: int = 0) -> str:
        index = self.position + offset
        return self.tokens[index][0] if index < len(self.tokens) else "end"

    def take(self, kind: str) -> str:
        assert self.peek() == kind, f"expected {kind}, got {self.tokens[self.position :][:3]}"
        self.position += 1
        return self.tokens[self.position - 1][1]

    def graph(self) -> Dot:
        if self.peek() == "id" and self.tokens[self.position][1] == "strict":
            self.take("id")
        assert self.take("id") in ("digraph", "graph")
        if self.peek() == "id":
            self.take("id")
        self.block()
        assert self.peek() == "end", "text after the graph"
        return self.dot

    def block(self) -> None:
        self.take("{")
        while self.peek() != "}":
            self.statement()
            if self.peek() == ";":
                self.take(";")
        self.take("}")

    def attributes(self) -> dict[str, str]:
        found: dict[str, str] = {}
        while self.peek() == "[":
            self.take("[")
            while self.peek() != "]":
                name = self.take("id")
                self.take("=")
                value = self.take("id")
                assert name not in found, f"attribute {name} given twice"
                found[name] = _unescape_label(value) if name in ("label", "tooltip") else value
                if self.peek() in (",", ";"):
                    self.position += 1
            self.take("]")
        return found

    def statement(self) -> None:
        if self.peek() == "{" or (
            self.peek() == "id" and self.tokens[self.position][1] == "subgraph"
        ):
            if self.peek() == "id":
                self.take("id")
                if self.peek() == "id":
                    self.take("id")
            self.block()
            return
        first = self.take("id")
        if first in ("graph", "node", "edge") and self.peek() == "[":
            self.attributes()
            return
        if self.peek() == "=":
            self.take("=")
            self.take("id")
            return
        ends = [first]
        while self.peek() == "edgeop":
            assert self.take("edgeop") == "->", "undirected edge in a digraph"
            ends.append(self.take("id"))
        attributes = self.attributes()
        if len(ends) == 1:
            assert first not in self.dot.nodes, f"node {first!r} declared twice"
            self.dot.nodes[first] = attributes
        else:
            for source, target in itertools.pairwise(ends):
                self.dot.edges.append((source, target, attributes))


def parse_dot(text: str) -> Dot:
    """The nodes (with their attributes, labels unescaped) and edges of a DOT text; fails on
    anything the DOT grammar does not allow."""
    dot = _DotParser(text).graph()
    for source, target, _ in dot.edges:
        assert source in dot.nodes and target in dot.nodes, (source, target)
    return dot


# --- a reader of the Mermaid this renderer writes ---------------------------------------------


@dataclass
class Mermaid:
    labels: dict[str, str] = field(default_factory=dict)
    edges: list[tuple[str, str, str]] = field(default_factory=list)


_LABEL = r'"(?P<label>[^"\n]*)"'
_SHAPES = [
    re.compile(opening + _LABEL + closing)
    for opening, closing in (
        (r"\[", r"\]"),
        (r"\[/", r"/\]"),
        (r"\[\[", r"\]\]"),
        (r"\(\[", r"\]\)"),
        (r"\{\{", r"\}\}"),
        (r">", r"\]"),
        (r"\(\(\(", r"\)\)\)"),
        (r"\[/", r"\\\]"),  # trapezoid: a crowd
    )
]
_MERMAID_NODE = re.compile(r"    (?P<id>n[0-9]+)(?P<shape>[^ 0-9].*)")
_MERMAID_EDGE = re.compile(
    r'    (?P<source>n[0-9]+) (?:-->|-\.->|==>)(?:\|"(?P<label>[^"\n]*)"\|)? (?P<target>n[0-9]+)'
)
_MERMAID_OTHER = re.compile(
    r"    (?:%% [^{\n].*"
    r"|classDef [a-z]+ [a-z-]+:[#0-9a-z]+(?:,[a-z-]+:[#0-9a-z]+)*"
    r"|class n[0-9]+(?:,n[0-9]+)* [a-z]+"
    r"|linkStyle [0-9]+(?:,[0-9]+)* [a-z-]+:[#0-9a-z]+(?:,[a-z-]+:[#0-9a-z]+)*)"
)


def _decode_mermaid(text: str) -> str:
    """A label as Mermaid shows it: entity codes decoded, <br/> a line break."""
    names = {"quot": '"', "amp": "&", "lt": "<", "gt": ">"}

    def entity(match: re.Match[str]) -> str:
        code = match.group(1)
        return chr(int(code)) if code.isdigit() else names[code]

    assert "<" not in text.replace("<br/>", ""), "raw HTML in a Mermaid label"
    assert not set(text) & set("|`%")
    return re.sub(r"#([a-z]+|[0-9]+);", entity, text.replace("<br/>", "\n"))


def parse_mermaid(text: str) -> Mermaid:
    """The node labels and edges of a flowchart; fails on a line of any other form."""
    lines = text.splitlines()
    assert lines[0] == "flowchart LR"
    assert text.endswith("\n")
    found = Mermaid()
    for line in lines[1:]:
        node = _MERMAID_NODE.fullmatch(line)
        edge = _MERMAID_EDGE.fullmatch(line)
        if node:
            assert node.group("id") not in found.labels
            shapes = [shape.fullmatch(node.group("shape")) for shape in _SHAPES]
            [shape] = [match for match in shapes if match]
            found.labels[node.group("id")] = _decode_mermaid(shape.group("label"))
        elif edge:
            label = _decode_mermaid(edge.group("label") or "")
            found.edges.append((edge.group("source"), edge.group("target"), label))
        else:
            assert _MERMAID_OTHER.fullmatch(line), f"unexpected Mermaid line {line!r}"
    for source, target, _ in found.edges:
        assert source in found.labels and target in found.labels
    return found


def test_the_json_drawing_in_pieces_is_the_whole_document() -> None:
    """``graph -f json`` writes the drawing a piece at a time (each node's and edge's entry
    made as it is written): the same text as the document made whole, in any edge order."""
    graph = tiny()
    whole = dumps_indented(graph_document(graph, focus=[DEPLOY])) + "\n"
    assert (
        "".join(json_chunks(graph, focus=[DEPLOY])) == whole == render_json(graph, focus=[DEPLOY])
    )
    assert "".join(rendered("json", graph, focus=[DEPLOY])) == whole
    assert list(rendered("dot", graph)) == [render_dot(graph)]
    shuffled = make_graph(tiny_nodes(), list(reversed(tiny_edges())))
    assert render_json(shuffled) == render_json(graph)


def test_an_edge_s_words_may_be_kept_in_pieces() -> None:
    """The graph builder keeps an IAM hop's words as the pieces they are joined from
    (Edge.said): every drawing shows them joined."""
    nodes = tiny_nodes()
    edges = [
        replace(edge, said=tuple(edge.how.partition(" "))) if edge.grant is not None else edge
        for edge in tiny_edges()
    ]
    graph, pieces = tiny(), make_graph(nodes, edges)
    for render in (render_json, render_dot, render_mermaid):
        assert render(pieces) == render(graph)
