"""`rolelint graph` end to end on fixtures/graph: a CI role (CloudFormation) trusted by GitHub
OIDC that assumes a deploy role (a Terraform module) that assumes an admin role, a Lambda role
and a vendor's role.  Exact Mermaid, the JSON's content, DOT syntax, --focus, input errors,
--output and determinism, run as users run it."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, REPO, run_python, run_rolelint
from tests.test_graph_render import parse_dot, parse_mermaid

PROJECT = "fixtures/graph"  # relative to the repository, as a user would type it
# What every run on the project notes: its vendor role holds an AWS managed policy rolelint
# ships no document of (rolelint.managed_policies.unshipped_notices).
NOTE = (
    "fixtures/graph/platform.yaml:36:11: note: AWS managed policy SecurityAudit is not in"
    " rolelint's policy data: what it grants is not judged (1 role holds it)\n"
)
CI = "role:fixtures/graph/ci.yaml#CiRole"
DEPLOY = "role:fixtures/graph/deploy/main.tf#aws_iam_role.deploy"
ADMIN = "role:fixtures/graph/platform.yaml#AdminRole"
FUNCTION = "role:fixtures/graph/platform.yaml#FunctionRole"
VENDOR_ROLE = "role:fixtures/graph/platform.yaml#VendorAuditRole"
GITHUB = (
    "federated:arn:aws:iam::${AWS::AccountId}:oidc-provider/token.actions.githubusercontent.com"
)
LAMBDA = "service:lambda.amazonaws.com"
VENDOR = "account:444455556666"

PROJECT_MERMAID = """flowchart LR
    %% rolelint assume-role graph: an arrow A --> B means A can obtain B's credentials.
    %% Rectangles: roles; stadiums: AWS services; hexagons: OIDC/SAML providers; flags:
    %% accounts; double circle: anyone; parallelograms: IAM users; subroutines: groups.
    %% Red border: admin-level role; orange fill: outside your accounts; dotted arrow:
    %% only under a condition; thick red arrow: leads to an admin-level role (or comes
    %% from anyone).
    n1>"account 444455556666"]
    n2{{"GitHub Actions token.actions.githubusercontent.com"}}
    n3["CiRole<br/>fixtures/graph/ci.yaml:7"]
    n4["aws_iam_role.deploy<br/>fixtures/graph/deploy/main.tf:6"]
    n5["AdminRole<br/>fixtures/graph/platform.yaml:8<br/>admin-level"]
    n6["FunctionRole<br/>fixtures/graph/platform.yaml:38"]
    n7["VendorAuditRole<br/>fixtures/graph/platform.yaml:22"]
    n8(["lambda.amazonaws.com"])
    n1 -.-> n7
    n2 -.->|"sts:AssumeRoleWithWebIdentity"| n3
    n3 ==> n4
    n4 ==> n5
    n8 --> n6
    classDef privileged stroke:#d62728,stroke-width:3px,color:#d62728
    class n5 privileged
    classDef external fill:#ffe8cc
    class n1,n2 external
    linkStyle 1,2,3 stroke:#d62728,stroke-width:2px
"""


def graph(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    return run_rolelint("graph", *args, cwd=cwd)


def test_fixture_project_as_mermaid() -> None:
    result = graph(PROJECT, "--format", "mermaid")
    assert (result.returncode, result.stderr) == (0, NOTE)
    assert result.stdout == PROJECT_MERMAID
    parse_mermaid(result.stdout)


def test_fixture_project_as_json() -> None:
    result = graph(PROJECT, "--format", "json")
    assert (result.returncode, result.stderr) == (0, NOTE)
    document = json.loads(result.stdout)
    assert list(document) == ["nodes", "edges", "focus"]
    nodes = {node["id"]: node for node in document["nodes"]}
    assert list(nodes) == sorted(nodes)
    assert set(nodes) == {CI, DEPLOY, ADMIN, FUNCTION, VENDOR_ROLE, GITHUB, LAMBDA, VENDOR}
    assert nodes[DEPLOY] == {
        "id": DEPLOY,
        "kind": "role",
        "label": "aws_iam_role.deploy",
        "file": "fixtures/graph/deploy/main.tf",
        "line": 6,
        "privileged": None,
        "external": False,
    }
    assert "AdministratorAccess" in nodes[ADMIN]["privileged"]  # an AWS managed policy
    assert {node_id for node_id, node in nodes.items() if node["external"]} == {GITHUB, VENDOR}
    assert {node["kind"] for node in nodes.values()} == {"role", "federated", "service", "account"}
    edges = {(edge["source"], edge["target"]): edge for edge in document["edges"]}
    assert set(edges) == {
        (GITHUB, CI),
        (CI, DEPLOY),
        (DEPLOY, ADMIN),
        (LAMBDA, FUNCTION),
        (VENDOR, VENDOR_ROLE),
    }
    assert edges[(GITHUB, CI)]["action"] == "sts:AssumeRoleWithWebIdentity"
    assert edges[(GITHUB, CI)]["trust"] == {"file": "fixtures/graph/ci.yaml", "line": 16}
    # Across files: the grant in the Terraform module names the role of platform.yaml.
    assert edges[(DEPLOY, ADMIN)]["grant"] == {"file": "fixtures/graph/deploy/main.tf", "line": 26}
    assert edges[(DEPLOY, ADMIN)]["trust"] == {"file": "fixtures/graph/platform.yaml", "line": 17}
    # The vendor needs an ExternalId, the GitHub workflows a pinned repository: both drawn as
    # holding only under a condition.
    conditional = [key for key, edge in edges.items() if edge["conditional"]]
    assert sorted(conditional) == sorted([(GITHUB, CI), (VENDOR, VENDOR_ROLE)])
    assert document["focus"] == []


def test_fixture_project_as_dot() -> None:
    result = graph(PROJECT)  # dot is the default format
    assert (result.returncode, result.stderr) == (0, NOTE)
    dot = parse_dot(result.stdout)
    assert dot.nodes[ADMIN]["label"] == "AdminRole\nfixtures/graph/platform.yaml:8\nadmin-level"
    assert dot.nodes[ADMIN]["color"] == "#d62728"
    assert dot.nodes[VENDOR]["fillcolor"] == "#ffe8cc"
    arrows = {(source, target): attributes for source, target, attributes in dot.edges}
    assert arrows[(VENDOR, VENDOR_ROLE)]["style"] == "dashed"
    red = {edge for edge, attributes in arrows.items() if attributes.get("color") == "#d62728"}
    assert red >= {(GITHUB, CI), (CI, DEPLOY), (DEPLOY, ADMIN)}
    assert (LAMBDA, FUNCTION) not in red
    assert "legend:privileged" in dot.nodes


@pytest.mark.parametrize("output_format", ["dot", "mermaid", "json"])
def test_two_runs_are_identical(output_format: str) -> None:
    first = graph(PROJECT, "--format", output_format)
    second = graph(PROJECT, "--format", output_format)
    assert first.returncode == second.returncode == 0
    assert first.stdout == second.stdout


@pytest.mark.parametrize("name", ["aws_iam_role.deploy", DEPLOY])
def test_focus_keeps_the_chain_through_a_role(name: str) -> None:
    result = graph(PROJECT, "--format", "json", "--focus", name)
    assert (result.returncode, result.stderr) == (0, NOTE)
    document = json.loads(result.stdout)
    assert [node["id"] for node in document["nodes"]] == sorted([GITHUB, CI, DEPLOY, ADMIN])
    assert len(document["edges"]) == 3
    assert document["focus"] == [DEPLOY]


def test_focus_on_an_exported_role_by_the_name_roles_prints() -> None:
    """An export's roles are "account.json#name" in the graph, and "name" in `roles` and
    `show`: the name those print was refused here."""
    export = "fixtures/parsers/account-authorization/account.json"
    result = graph(export, "-f", "json", "--focus", "app-server")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["focus"] == [f"role:{export}#{export}#app-server"]


def test_focus_on_roles_of_a_folder_whose_name_holds_a_hash(tmp_path: Path) -> None:
    """Names were read after the first "#" of the node id, inside "env#1/": an exported role
    by the name `roles` prints, and a template's by its logical id, named no node (exit 2)."""
    export = Path("fixtures/parsers/account-authorization/account.json").read_text()
    (tmp_path / "env#1").mkdir()
    (tmp_path / "env#1" / "account.json").write_text(export)
    (tmp_path / "env#1" / "t.yaml").write_text(
        "Resources:\n  AppRole:\n    Type: AWS::IAM::Role\n    Properties:\n"
        "      AssumeRolePolicyDocument:\n        Statement:\n"
        "          - {Effect: Allow, Principal: {Service: ec2.amazonaws.com},"
        " Action: sts:AssumeRole}\n"
    )
    exported = "env#1/account.json"
    for query, focus in (
        ("app-server", f"role:{exported}#{exported}#app-server"),
        ("AppRole", "role:env#1/t.yaml#AppRole"),
        ("env#1/t.yaml#AppRole", "role:env#1/t.yaml#AppRole"),
    ):
        result = graph(".", "-f", "json", "--focus", query, cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        assert json.loads(result.stdout)["focus"] == [focus]


def test_focus_on_a_service_and_repeated() -> None:
    result = graph(PROJECT, "-f", "json", "--focus", "lambda.amazonaws.com", "--focus", "AdminRole")
    assert result.returncode == 0, result.stderr
    ids = [node["id"] for node in json.loads(result.stdout)["nodes"]]
    assert ids == sorted([GITHUB, CI, DEPLOY, ADMIN, LAMBDA, FUNCTION])
    dot = parse_dot(graph(PROJECT, "--focus", "AdminRole").stdout)
    assert dot.nodes[ADMIN]["peripheries"] == "2"


def test_focus_matching_several_roles_keeps_them_all(tmp_path: Path) -> None:
    for name, service in (("a.yaml", "ec2"), ("b.yaml", "lambda")):
        (tmp_path / name).write_text(
            "Resources:\n"
            "  AppRole:\n"
            "    Type: AWS::IAM::Role\n"
            "    Properties:\n"
            "      AssumeRolePolicyDocument:\n"
            "        Statement:\n"
            "          - Effect: Allow\n"
            f"            Principal: {{Service: {service}.amazonaws.com}}\n"
            "            Action: sts:AssumeRole\n"
        )
    result = graph(".", "--format", "json", "--focus", "AppRole", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["focus"] == ["role:a.yaml#AppRole", "role:b.yaml#AppRole"]
    assert len(document["nodes"]) == 4


def test_focus_by_file_and_name_and_on_every_instance_of_a_resource(tmp_path: Path) -> None:
    trust = (
        '  assume_role_policy = jsonencode({Version = "2012-10-17", Statement = [{Effect = '
        '"Allow", Principal = {Service = "ec2.amazonaws.com"}, Action = "sts:AssumeRole"}]})\n'
    )
    (tmp_path / "main.tf").write_text(
        'resource "aws_iam_role" "team" {\n  for_each = toset(["a", "b"])\n' + trust + "}\n"
        'resource "aws_iam_role" "other" {\n' + trust + "}\n"
    )
    team = ['role:main.tf#aws_iam_role.team["a"]', 'role:main.tf#aws_iam_role.team["b"]']
    for query, focus in (
        ("aws_iam_role.team", team),  # as Terraform names all instances
        ('main.tf#aws_iam_role.team["b"]', team[1:]),  # FILE#NAME, as `show` takes it
    ):
        result = graph(".", "--format", "json", "--focus", query, cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        assert json.loads(result.stdout)["focus"] == focus


def test_focus_without_a_match_suggests_names() -> None:
    result = graph(PROJECT, "--focus", "AdminRol")
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == NOTE + (
        "error: --focus 'AdminRol' names no node of the graph. Did you mean: AdminRole?\n"
    )
    result = graph(PROJECT, "--focus", "deploy")
    assert "Did you mean: aws_iam_role.deploy?" in result.stderr
    result = graph(PROJECT, "--focus", "nothing-like-it")
    assert result.returncode == 2
    assert "Its roles: AdminRole, CiRole, FunctionRole, VendorAuditRole, aws_iam_role.deploy" in (
        result.stderr
    )


def test_focus_in_an_empty_folder(tmp_path: Path) -> None:
    result = graph(str(tmp_path), "--focus", "DeployRole")
    assert result.returncode == 2
    assert "no role was found" in result.stderr


def test_input_errors_are_reported_and_the_rest_is_drawn(tmp_path: Path) -> None:
    (tmp_path / "good.yaml").write_text((FIXTURES / "graph" / "platform.yaml").read_text())
    (tmp_path / "broken.json").write_text('{"Version": "2012-10-17", "Statement": [\n')
    result = graph(".", "--format", "json", cwd=tmp_path)
    assert result.returncode == 2
    [error, note] = result.stderr.splitlines()
    assert error.startswith("broken.json:1:41: error: ")  # the end of its one line
    assert note.startswith("good.yaml:36:11: note: AWS managed policy SecurityAudit ")
    assert "Traceback" not in result.stderr
    labels = {node["label"] for node in json.loads(result.stdout)["nodes"]}
    assert {"AdminRole", "FunctionRole", "VendorAuditRole"} <= labels


def test_missing_path_is_an_input_error() -> None:
    result = graph(PROJECT, "no/such/dir", "--format", "mermaid")
    assert result.returncode == 2
    assert "no/such/dir: error: no such file or directory" in result.stderr
    assert result.stdout == PROJECT_MERMAID


def test_output_file(tmp_path: Path) -> None:
    target = tmp_path / "roles.mmd"
    result = graph(PROJECT, "--format", "mermaid", "--output", str(target))
    assert (result.returncode, result.stdout, result.stderr) == (0, "", NOTE)
    assert target.read_text() == PROJECT_MERMAID
    result = graph(PROJECT, "--output", str(tmp_path / "missing" / "roles.dot"))
    assert result.returncode == 2
    assert "cannot write" in result.stderr


def test_the_drawing_is_not_written_over_a_scanned_file(tmp_path: Path) -> None:
    """``graph -o ci.yaml`` replaced the template with the drawing: refused, as a report over
    the baseline is, before anything is written."""
    shutil.copytree(FIXTURES / "graph", tmp_path / "graph")
    before = (tmp_path / "graph" / "ci.yaml").read_text()
    result = run_rolelint("graph", "graph", "--no-cache", "-o", "graph/ci.yaml", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (2, "")
    assert "error: --output: graph/ci.yaml is a file this run scans" in result.stderr
    assert (tmp_path / "graph" / "ci.yaml").read_text() == before


def test_standard_input() -> None:
    template = (FIXTURES / "graph" / "platform.yaml").read_text()
    result = run_rolelint(
        "graph", "-", "--stdin-filename", "platform.yaml", "-f", "json", stdin=template
    )
    assert result.returncode == 0, result.stderr
    ids = {node["id"] for node in json.loads(result.stdout)["nodes"]}
    assert "role:platform.yaml#AdminRole" in ids


def test_declared_accounts() -> None:
    result = graph(PROJECT, "-f", "json", "--account", "444455556666")
    nodes = {node["id"]: node for node in json.loads(result.stdout)["nodes"]}
    assert nodes[VENDOR]["external"] is False
    result = graph(PROJECT, "--account", "4444")
    assert result.returncode == 2
    assert "--account: '4444' is not a 12-digit account id" in result.stderr
    assert result.stdout == ""


def test_the_configuration_declares_accounts_and_excludes(tmp_path: Path) -> None:
    shutil.copytree(REPO / PROJECT, tmp_path / "graph")
    (tmp_path / ".rolelint.yaml").write_text("accounts: ['444455556666']\n")
    nodes = {
        n["id"]: n for n in json.loads(graph("graph", "-f", "json", cwd=tmp_path).stdout)["nodes"]
    }
    assert nodes["account:444455556666"]["external"] is False
    (tmp_path / ".rolelint.yaml").write_text("exclude: [deploy]\n")
    drawn = json.loads(graph("graph", "-f", "json", cwd=tmp_path).stdout)["nodes"]
    assert not any("deploy/main.tf" in node["id"] for node in drawn)
    assert any(node["id"] == "role:graph/ci.yaml#CiRole" for node in drawn)
    (tmp_path / ".rolelint.yaml").write_text("acounts: []\n")
    result = graph("graph", cwd=tmp_path)
    assert result.returncode == 2 and "unknown setting acounts" in result.stderr


def test_bad_format_is_a_usage_error() -> None:
    result = graph(PROJECT, "--format", "svg")
    assert result.returncode == 2
    assert "'svg' is not one of 'dot', 'mermaid', 'json'" in result.stderr


def test_help_explains_formats_with_an_example() -> None:
    result = graph("--help")
    assert result.returncode == 0
    for text in ("dot", "mermaid", "json", "--focus", "--output", "--account"):
        assert text in result.stdout
    assert "rolelint graph infra/ --format dot | dot -Tsvg > roles.svg" in result.stdout
    assert "graph" in run_rolelint("--help").stdout


def test_version_does_not_import_the_graph() -> None:
    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from rolelint.cli import main\n"
        "CliRunner().invoke(main, ['--version'])\n"
        "print(sorted(m for m in sys.modules if m.startswith('rolelint.graph')))\n"
    )
    result = run_python(code, timeout=60)
    assert result.stdout.strip() == "[]", result.stderr


def test_real_world_corpus(corpus: Path) -> None:
    for output_format in ("dot", "mermaid", "json"):
        result = run_rolelint("graph", str(corpus), "--format", output_format, cwd=Path("/tmp"))
        assert result.returncode in (0, 2)
        assert "internal error" not in result.stderr
        assert "Traceback" not in result.stderr
        if output_format == "dot":
            assert parse_dot(result.stdout).nodes
        elif output_format == "mermaid":
            assert parse_mermaid(result.stdout).edges
        else:
            assert json.loads(result.stdout)["edges"]


def test_docs_example_is_current() -> None:
    text = (REPO / "docs" / "graph.md").read_text()
    block = text.split("```mermaid\n", 1)[1].split("```", 1)[0]
    assert block == PROJECT_MERMAID, "docs/graph.md: update the example from `rolelint graph`"


def test_docs_dot_example_is_current() -> None:
    """docs/graph.md's DOT example is the real output of its command, with only what it says
    it shortens shortened (each tooltip to "...", the legend cluster to ``{ ... }``).  It had
    lost the OIDC arrow's ``style="dashed"`` that the Mermaid example beside it draws."""
    result = graph(PROJECT, "--focus", "aws_iam_role.deploy")
    assert result.returncode == 0
    shortened = re.sub(r'tooltip="(?:[^"\\]|\\.)*"', 'tooltip="..."', result.stdout)
    shortened = re.sub(
        r"subgraph cluster_legend \{\n.*?\n  \}\n",
        "subgraph cluster_legend { ... }\n",
        shortened,
        flags=re.S,
    )
    text = (REPO / "docs" / "graph.md").read_text()
    block = text.split("```dot\n", 1)[1].split("```", 1)[0]
    assert block == shortened, "docs/graph.md: update the DOT example from `rolelint graph`"


def test_a_trust_policy_without_its_role_is_said_to_be_left_out() -> None:
    """A raw trust-policy file names no role: it is no node, and the graph says so (it drew
    nothing for the bundled vendor trust policy without a word)."""
    vendor = "fixtures/examples/vendor-trust-policy.json"
    result = graph(vendor, "--format", "json", "--isolated")
    assert result.returncode == 0
    assert result.stderr == (
        f"{vendor}:1: note: a trust policy without its role: no role to draw or list here "
        "('rolelint check' judges it)\n"
    )
    assert json.loads(result.stdout)["nodes"] == []
