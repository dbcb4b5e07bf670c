"""The stand-ins the parsers write for names and paths rolelint cannot know
(``<generated:FILE#ID>``, ``<unresolved name:FILE#ID>``, ``/<unresolved path:FILE#ID>``, see
rolelint.model) are said in words in everything a user reads: finding messages and chaining
paths, the inventory, the graph's labels and reasons, role cards and the HTML report.  Each
holds a file and a logical id or address: no name or path a user can find in IAM.

Identifiers keep them: graph node ids (which ``--focus`` and ``show`` take), and the keys
fingerprints hash, so that no baseline entry changes.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rolelint import model
from rolelint.model import (
    as_fingerprinted,
    generated_name,
    literal_index,
    literal_parts,
    stand_ins_in_words,
    unresolved_name,
    unresolved_path,
)
from tests.conftest import run_rolelint
from tests.test_placeholders import reading

# A raw stand-in, as written and as each format escapes its "<" (HTML, Mermaid, JSON).
RAW = re.compile(r"(?:<|&lt;|#lt;|\\u003c)(?:generated|unresolved name|unresolved path):")

# Roles without a name, named by a parameter without a default, or at a path not known; a SAML
# provider without a name; a profile at a path not known; each named by reference in trust
# policies, permissions, conditions and chains.
STACK = """\
Parameters:
  DeployName: {Type: String}
  TeamPath: {Type: String}
Resources:
  CiRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - {Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}
      Policies:
        - PolicyName: assume
          PolicyDocument:
            Statement:
              - {Effect: Allow, Action: sts:AssumeRole, Resource: !GetAtt DeployRole.Arn}
              - {Effect: Allow, Action: s3:GetObject, Resource: !GetAtt DeployRole.Arn}
              - {Effect: Allow, Action: sts:AssumeRole, Resource: !GetAtt Chained.Arn}
  Chained:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: {AWS: !Sub "arn:aws:sts::${AWS::AccountId}:assumed-role/${CiRole}/ci"}
            Action: sts:AssumeRole
      ManagedPolicyArns: [arn:aws:iam::aws:policy/AdministratorAccess]
  DeployRole:
    Type: AWS::IAM::Role
    Properties:
      RoleName: !Ref DeployName
      AssumeRolePolicyDocument:
        Statement:
          - {Effect: Allow, Principal: {AWS: !GetAtt CiRole.Arn}, Action: sts:AssumeRole}
          - {Effect: Allow, Principal: {AWS: !GetAtt DeployRole.Arn}, Action: sts:AssumeRole}
      Policies:
        - PolicyName: assume
          PolicyDocument:
            Statement:
              - {Effect: Allow, Action: sts:AssumeRole, Resource: !GetAtt AdminRole.Arn}
  AdminRole:
    Type: AWS::IAM::Role
    Properties:
      Path: !Ref TeamPath
      AssumeRolePolicyDocument:
        Statement:
          - {Effect: Allow, Principal: {AWS: !GetAtt DeployRole.Arn}, Action: sts:AssumeRole}
      ManagedPolicyArns: [arn:aws:iam::aws:policy/AdministratorAccess]
  AdminProfile:
    Type: AWS::IAM::InstanceProfile
    Properties:
      Path: !Ref TeamPath
      Roles: [!Ref AdminRole]
  Host:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: ami-12345678
      IamInstanceProfile: !Ref AdminProfile
  Saml:
    Type: AWS::IAM::SAMLProvider
    Properties:
      SamlMetadataDocument: "<xml/>"
  Federated:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - {Effect: Allow, Principal: {Federated: !Ref Saml}, Action: sts:AssumeRoleWithSAML}
          - {Effect: Allow, Principal: {AWS: !Ref CiRole}, Action: sts:AssumeRole}
          - Effect: Allow
            Principal: {AWS: !Sub "arn:aws:sts::${AWS::AccountId}:assumed-role/${Federated}/ci"}
            Action: sts:AssumeRole
          - Effect: Allow
            Principal: {AWS: "*"}
            Action: sts:AssumeRole
            Condition: {ArnLike: {aws:PrincipalArn: !GetAtt CiRole.Arn}}
      Policies:
        - PolicyName: most
          PolicyDocument:
            Statement:
              - {Effect: Allow, Action: "*", NotResource: !GetAtt AdminRole.Arn}
  Mistaken:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - {Effect: Allow, Principal: {Federated: !Ref Saml}, Action: sts:AssumeRole}
"""

# What limits a grant, named by reference: a permissions boundary and a managed policy not in
# the scan, a Deny's NotResource and its condition; a trust principal made a pattern of a role's
# ARN, an Effect not known, a NotPrincipal.
LIMITS = """\
Parameters:
  Mode: {Type: String}
  TeamPath: {Type: String}
Resources:
  Caller:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - {Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}
      Policies:
        - PolicyName: assume
          PolicyDocument:
            Statement:
              - {Effect: Allow, Action: sts:AssumeRole, Resource: !GetAtt Patterned.Arn}
  Patterned:
    Type: AWS::IAM::Role
    Properties:
      PermissionsBoundary: !Sub "arn:aws:iam::${AWS::AccountId}:policy/${Caller}"
      ManagedPolicyArns: [!Sub "arn:aws:iam::${AWS::AccountId}:policy/${Elsewhere}"]
      AssumeRolePolicyDocument:
        Statement:
          - {Effect: Allow, Principal: {AWS: !Sub "${Caller.Arn}*"}, Action: sts:AssumeRole}
          - {Effect: !Ref Mode, Principal: {AWS: !GetAtt Elsewhere.Arn}, Action: sts:AssumeRole}
          - {Effect: Deny, NotPrincipal: {AWS: !GetAtt Caller.Arn}, Action: sts:AssumeRole}
      Policies:
        - PolicyName: p
          PolicyDocument:
            Statement:
              - {Effect: Allow, Action: "s3:*", Resource: "*"}
              - {Effect: Deny, Action: "s3:*", NotResource: !GetAtt Elsewhere.Arn}
              - {Effect: Allow, Action: iam:AttachRolePolicy, Resource: "*"}
              - Effect: Deny
                Action: iam:AttachRolePolicy
                Resource: "*"
                Condition: {ArnNotEquals: {iam:PolicyARN: !Ref Managed}}
  Elsewhere:
    Type: AWS::IAM::Role
    Properties:
      Path: !Ref TeamPath
      AssumeRolePolicyDocument:
        Statement:
          - {Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}
  Managed:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Statement:
          - {Effect: Allow, Action: "s3:GetObject", Resource: "*"}
"""

# The same in Terraform: a name from a variable without a default, a name_prefix, a path from
# a variable; a provider assuming a role, a policy attachment limited to one policy.
MODULE = """\
variable "name" {
  type = string
}
variable "path" {
  type = string
}
provider "aws" {
  assume_role {
    role_arn = aws_iam_role.admin.arn
    duration = "12h"
  }
}
resource "aws_iam_role" "ci" {
  name_prefix = "ci-"
  assume_role_policy = jsonencode({
    Statement = [{
      Effect = "Allow", Principal = { Service = "ec2.amazonaws.com" }, Action = "sts:AssumeRole"
    }]
  })
}
resource "aws_iam_role_policy" "ci" {
  role = aws_iam_role.ci.id
  policy = jsonencode({
    Statement = [
      { Effect = "Allow", Action = "sts:AssumeRole", Resource = aws_iam_role.deploy.arn },
      { Effect = "Allow", Action = "*", NotResource = aws_iam_role.admin.arn },
    ]
  })
}
resource "aws_iam_role" "deploy" {
  name = var.name
  assume_role_policy = jsonencode({
    Statement = [{
      Effect = "Allow", Principal = { AWS = aws_iam_role.ci.arn }, Action = "sts:AssumeRole"
    }]
  })
}
resource "aws_iam_role_policy" "deploy" {
  role = aws_iam_role.deploy.id
  policy = jsonencode({
    Statement = [
      { Effect = "Allow", Action = "sts:AssumeRole", Resource = aws_iam_role.admin.arn },
      { Effect = "Allow", Action = "iam:AttachRolePolicy", Resource = "*",
        Condition = { ArnEquals = { "iam:PolicyARN" = aws_iam_policy.admin.arn } } },
      { Effect = "Allow", Action = "iam:PutRolePolicy", Resource = "${aws_iam_role.deploy.arn}*" },
    ]
  })
}
resource "aws_iam_policy" "admin" {
  path = var.path
  policy = jsonencode({
    Statement = [{ Effect = "Allow", Action = "*", Resource = "*" }]
  })
}
resource "aws_iam_role" "admin" {
  path = var.path
  assume_role_policy = jsonencode({
    Statement = [
      { Effect = "Allow", Action = "sts:AssumeRole",
        Principal = { AWS = aws_iam_role.deploy.arn } },
      { Effect = "Allow", Action = "sts:AssumeRole",
        Principal = { AWS = aws_iam_role.admin.arn } },
    ]
  })
}
resource "aws_iam_role" "bounded" {
  name                 = "bounded"
  permissions_boundary = aws_iam_policy.boundary.arn
  assume_role_policy = jsonencode({
    Statement = [{
      Effect = "Allow", Principal = { Service = "ec2.amazonaws.com" }, Action = "sts:AssumeRole"
    }]
  })
}
resource "aws_iam_role_policy" "bounded" {
  role = aws_iam_role.bounded.id
  policy = jsonencode({
    Statement = [{ Effect = "Allow", Action = "s3:*", Resource = "*" }]
  })
}
resource "aws_iam_policy" "boundary" {
  name_prefix = "boundary-"
  policy = jsonencode({
    Statement = [{ Effect = "Allow", Action = "s3:*", Resource = aws_iam_role.deploy.arn }]
  })
}
resource "aws_iam_role_policy_attachment" "admin" {
  role       = aws_iam_role.admin.name
  policy_arn = aws_iam_policy.admin.arn
}
"""


_PATHS = ("stack.yaml", "limits.yaml", "module")


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("stand-ins")
    (root / "stack.yaml").write_text(STACK, encoding="utf-8")
    (root / "limits.yaml").write_text(LIMITS, encoding="utf-8")
    (root / "module").mkdir()
    (root / "module" / "main.tf").write_text(MODULE, encoding="utf-8")
    return root


def _run(project: Path, *args: str, ok: tuple[int, ...] = (0,)) -> str:
    result = run_rolelint(*args, *_PATHS, "--no-cache", cwd=project)
    assert result.returncode in ok, result.stderr
    assert result.stderr == ""
    return result.stdout


@pytest.fixture(scope="module")
def graph(project: Path) -> dict[str, list[dict[str, object]]]:
    document: dict[str, list[dict[str, object]]] = json.loads(
        _run(project, "graph", "--format", "json")
    )
    return document


def _node_ids(graph: dict[str, list[dict[str, object]]]) -> list[str]:
    """The ids of the graph's nodes, longest first (one may hold another)."""
    return sorted((str(node["id"]) for node in graph["nodes"]), key=len, reverse=True)


def _without_ids(text: str, ids: list[str], escape: bool = False) -> str:
    for node_id in ids:
        text = text.replace(html.escape(node_id) if escape else node_id, "")
    return text


def test_finding_messages_and_paths_say_stand_ins_in_words(project: Path) -> None:
    findings = json.loads(_run(project, "check", "--format", "json", ok=(1,)))["findings"]
    raw_hops = {
        (finding["rule_id"], hop["node"])
        for finding in findings
        for hop in finding.get("path", [])
        if RAW.search(hop["node"])
    }
    raw = [(f["rule_id"], f["message"]) for f in findings if RAW.search(f["message"])]
    assert (raw, raw_hops) == ([], set())
    # Each rule that quoted a stand-in quotes it in words: what it becomes, not what it is not.
    messages = "\n".join(f"{f['rule_id']} {f['message']}" for f in findings)
    for expected in (
        # RL401 (the graph's hop), RL404, RL612: a name from a parameter without a default.
        "sts:AssumeRole on 'arn:aws:iam::${AWS::AccountId}:role/<unresolved name>'",
        "RL404 Role DeployRole trusts itself ('arn:aws:iam::${AWS::AccountId}:role/<unresolved",
        "s3:GetObject with 'arn:aws:iam::${AWS::AccountId}:role/<unresolved name>'",
        # A path not known, before a generated name (RL401, RL205, RL303).
        "sts:AssumeRole on 'arn:aws:iam::${AWS::AccountId}:role/<unresolved path>/"
        "<a name CloudFormation generates>'",
        "every resource except 'arn:aws:iam::${AWS::AccountId}:role/<unresolved path>/"
        "<a name Terraform generates>' (Allow with NotResource)",
        "provider aws assumes arn:aws:iam::${AWS::AccountId}:role/<unresolved path>/"
        "<a name Terraform generates> with duration 12h",
        # RL206: a policy and a pattern of the holder's own ARN.
        "admits ('arn:aws:iam::${AWS::AccountId}:policy/<unresolved path>/"
        "<a name Terraform generates>'",
        "iam:PutRolePolicy on 'arn:aws:iam::${AWS::AccountId}:role/<unresolved name>*'",
        # RL104 and RL111: a SAML provider's name, a role's name where an ARN belongs.
        "accepts SAML assertions from '<a name CloudFormation generates>'",
        "SAML provider '<a name CloudFormation generates>'",
        "(arn:aws:iam::<account>:role/<a name CloudFormation generates>)",
        # What limits a grant (RL202's notes), and a trust pattern made of a role's ARN (RL401).
        "the Deny at line 31 leaves s3:* only on 'arn:aws:iam::${AWS::AccountId}:role"
        "/<unresolved path>/<a name CloudFormation generates>'",
        "its permissions boundary arn:aws:iam::${AWS::AccountId}:policy/<a name CloudFormation "
        "generates> is not in the scanned files",
        "allows it only on 'arn:aws:iam::${AWS::AccountId}:role/<unresolved name>'",
        "admits Caller by the pattern 'arn:aws:iam::${AWS::AccountId}:role/<a name "
        "CloudFormation generates>*'",
    ):
        assert expected in messages


def test_the_inventory_says_stand_ins_in_words(project: Path) -> None:
    """Every text of ``rolelint roles`` (callers, access reasons, findings): only the row's id,
    which ``show`` takes, is an identifier."""
    rows = json.loads(_run(project, "roles", "--format", "json"))["roles"]
    for row in rows:
        texts = json.dumps({key: value for key, value in row.items() if key != "id"})
        assert not RAW.search(texts), row["name"]
    callers = {caller["name"] for row in rows for caller in row["assumed_by"]}
    assert "SAML <a name CloudFormation generates>" in callers
    assert (
        "arn:aws:iam::${AWS::AccountId}:role/<unresolved path>/<a name CloudFormation generates> "
        "if Effect <unresolved: parameter Mode has no default>"
    ) in callers
    for form in ("csv", "markdown", "text"):
        assert not RAW.search(_run(project, "roles", "--format", form)), form


def test_the_graph_labels_and_reasons_say_stand_ins_in_words(
    graph: dict[str, list[dict[str, object]]],
) -> None:
    """Labels, admin-level reasons and each edge's how; the node ids keep the stand-in, which
    tells apart two parties whose names are not known."""
    ids = [str(node["id"]) for node in graph["nodes"]]
    assert any(RAW.search(node_id) for node_id in ids)  # stable ids, as before
    for node in graph["nodes"]:
        shown = {key: value for key, value in node.items() if key != "id"}
        assert not RAW.search(json.dumps(shown)), node["id"]
    for edge in graph["edges"]:
        shown = {k: v for k, v in edge.items() if k not in ("source", "target")}
        assert not RAW.search(json.dumps(shown)), (edge["source"], edge["target"])
    labels = {str(node["label"]) for node in graph["nodes"]}
    assert "SAML <a name CloudFormation generates>" in labels
    assert (
        "arn:aws:sts::${AWS::AccountId}:assumed-role/<a name CloudFormation generates>/ci" in labels
    )


@pytest.mark.parametrize("form", ["dot", "mermaid"])
def test_the_drawings_say_stand_ins_in_words(
    project: Path, graph: dict[str, list[dict[str, object]]], form: str
) -> None:
    """DOT names a node by its id (and shows it as the node's tooltip): anything else said."""
    drawing = _without_ids(_run(project, "graph", "--format", form), _node_ids(graph))
    assert not RAW.search(drawing)


def test_the_report_says_stand_ins_in_words(
    project: Path, graph: dict[str, list[dict[str, object]]]
) -> None:
    """Findings, inventory, a card per role and the graph, in one page; ids only in its data
    attributes and the graph's hover titles."""
    page = project / "report.html"
    result = run_rolelint("report", *_PATHS, "--no-cache", "-o", str(page), cwd=project)
    assert result.returncode == 0, result.stderr
    text = _without_ids(page.read_text(encoding="utf-8"), _node_ids(graph), escape=True)
    assert not RAW.search(text)


def test_a_card_says_stand_ins_in_words(project: Path) -> None:
    """The trust, the statements, the effective permissions, the chaining; the instance
    profile's unknown path is said as the ARN line says it, with the slashes that start and
    end a path (``role/<unresolved path>/...``; ``(path /<unresolved path>/)``, as a known
    one is ``(path /team/)``)."""
    for role in ("CiRole", "DeployRole", "Federated", "Patterned", "aws_iam_role.deploy"):
        card = _run(project, "show", role, "--format", "json")
        assert not RAW.search(card), role
    card = _run(project, "show", "AdminRole")
    assert "ARN: arn:aws:iam::${AWS::AccountId}:role/<unresolved path>/" in card
    assert "instance profile(s): <a name CloudFormation generates> (path /<unresolved path>/)" in (
        card
    )
    assert not RAW.search(card)


# Two stand-ins in one text: a trust principal naming a session of one role by another's name,
# a policy naming a role by two others' names, both with no name set.
TWO_IN_ONE = """\
Resources:
  Ci:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - {Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}
  Deploy:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: {AWS: !Sub "arn:aws:sts::${AWS::AccountId}:assumed-role/${Ci}/${Deploy}"}
            Action: sts:AssumeRole
      Policies:
        - PolicyName: p
          PolicyDocument:
            Statement:
              - Effect: Allow
                Action: s3:GetObject
                Resource: !Sub "arn:aws:iam::${AWS::AccountId}:role/${Ci}-${Deploy}"
"""


def test_each_stand_in_of_a_text_is_said_in_words_alone(tmp_path: Path) -> None:
    """A name's stand-in was matched to the last ">" of a text ending with one, so that the
    first of two took the second in: the session ``${Ci}/${Deploy}`` was labelled
    ``assumed-role/<a name CloudFormation generates>`` in the graph, and ``role/${Ci}-${Deploy}``
    quoted as ``role/<a name CloudFormation generates>`` by RL612."""
    (tmp_path / "two.yaml").write_text(TWO_IN_ONE, encoding="utf-8")
    result = run_rolelint("graph", "two.yaml", "--format", "json", "--no-cache", cwd=tmp_path)
    labels = {str(node["label"]) for node in json.loads(result.stdout)["nodes"]}
    assert (
        "arn:aws:sts::${AWS::AccountId}:assumed-role/<a name CloudFormation generates>"
        "/<a name CloudFormation generates>"
    ) in labels
    result = run_rolelint("check", "two.yaml", "--format", "json", "--no-cache", cwd=tmp_path)
    [message] = [
        f["message"] for f in json.loads(result.stdout)["findings"] if f["rule_id"] == "RL612"
    ]
    assert (
        "pairs s3:GetObject with 'arn:aws:iam::${AWS::AccountId}:role/<a name CloudFormation "
        "generates>-<a suffix CloudFormation generates>'"
    ) in message


@pytest.mark.parametrize(
    ("text", "words"),
    [
        # Two ARNs, the second's name whoever deploys chooses.
        (
            f"role/{generated_name('s.yaml', 'A')},role/{unresolved_name('s.yaml', 'B')}",
            "role/<a name CloudFormation generates>,role/<unresolved name>",
        ),
        # A ">" of a file name or a Terraform key is the stand-in's, wherever it stands.
        (
            f"role/{generated_name('a>b.yaml', 'R')}",
            "role/<a name CloudFormation generates>",
        ),
        (
            "role/" + generated_name("m", 'aws_iam_role.r["a>b"]') + "*",
            "role/<a name Terraform generates>*",
        ),
        (
            f"role{unresolved_path('a>b.yaml', 'R')}{unresolved_name('a>b.yaml', 'R')}/"
            f"{generated_name('a>b.yaml', 'S')}",
            "role/<unresolved path>/<unresolved name>/<a name CloudFormation generates>",
        ),
    ],
)
def test_a_stand_in_ends_at_its_own_end(text: str, words: str) -> None:
    assert stand_ins_in_words(text) == words


def test_the_literal_parts_between_two_stand_ins_are_kept() -> None:
    """What a check judging spelling reads (model.literal_parts): the ``-ci-`` written between
    two names' stand-ins was taken in with them."""
    text = f"{generated_name('s.yaml', 'A')}-ci-{unresolved_name('s.yaml', 'B')}"
    assert literal_parts(text) == ["", "-ci-", ""]


@pytest.mark.parametrize(
    "text",
    ["A" + "${" * 20_000, "A" + "<generated:" * 4_000, "${x}<generated:" + "${" * 20_000],
)
def test_the_literal_parts_of_many_unclosed_stand_ins_are_found_reading_once(
    monkeypatch: pytest.MonkeyPatch, text: str
) -> None:
    """A ``${`` (or a ``<generated:``) that nothing closes was read to the end of the text
    once for each: a Sid of 20,000 ``${`` took 0.6 s for each check reading its spelling."""
    read = reading(monkeypatch)
    parts = literal_parts(text)
    assert "".join(parts) == text.replace("${x}", "")
    assert 0 < read[0] <= 3 * len(text)  # about len(text) ** 2 / 4 when read once for each


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("token.actions.githubusercontent.com:sub", 35),
        ("oidc.eks.${AWS::Region}.amazonaws.com/id/X:sub", 42),
        ("${AWS::Region}:${AWS::AccountId}", 14),
        ("<unresolved name:a.yaml#K>.example.com:aud", 38),
        ("oidc.eks.${AWS::Region}.amazonaws.com", -1),
        ("unclosed ${a:b", 12),
    ],
)
def test_a_character_is_found_where_it_is_written_outside_the_stand_ins(
    text: str, expected: int
) -> None:
    """The ``:`` that ends the issuer of ``oidc.eks.${AWS::Region}...:sub`` is not the one in
    the stand-in (model.literal_index): the key was read as a claim of ``oidc.eks.${AWS``."""
    assert literal_index(text, ":") == expected
    assert expected < 0 or text[expected] == ":"


def test_a_stand_in_holding_a_greater_than_sign_is_fingerprinted_as_before() -> None:
    """A ">" of a file name or key is escaped in a name's stand-in now; a fingerprint hashes
    the stand-in as it was spelled, so no baseline entry recorded for such a role changes."""
    text = f"role/{generated_name('a>b%.yaml', 'K')}/{unresolved_name('a>b.yaml', 'K')}"
    assert as_fingerprinted(text) == "role/<generated:a>b%25.yaml#K>/<generated:a>b.yaml#K>"


# A role and its instance profile at a path from a parameter without a default, with names set.
AT_A_PATH = """\
Parameters:
  TeamPath: {Type: String}
Resources:
  Ci:
    Type: AWS::IAM::Role
    Properties:
      RoleName: ci
      AssumeRolePolicyDocument:
        Statement:
          - {Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}
      Policies:
        - PolicyName: assume
          PolicyDocument:
            Statement:
              - {Effect: Allow, Action: sts:AssumeRole, Resource: !GetAtt Exec.Arn}
  Exec:
    Type: AWS::IAM::Role
    Properties:
      Path: !Ref TeamPath
      RoleName: exec
      AssumeRolePolicyDocument:
        Statement:
          - {Effect: Allow, Principal: {AWS: !GetAtt Ci.Arn}, Action: sts:AssumeRole}
  ExecProfile:
    Type: AWS::IAM::InstanceProfile
    Properties:
      Path: !Ref TeamPath
      InstanceProfileName: exec-profile
      Roles: [!Ref Exec]
"""


def test_a_path_not_known_is_said_with_the_slashes_of_a_path(tmp_path: Path) -> None:
    """IAM writes a path between the resource type and the name, starting and ending with
    "/" (``role/team/exec``); a path not known was said without them, ``role<unresolved
    path>exec``, which told no reader where the path ends and the name begins."""
    (tmp_path / "p.yaml").write_text(AT_A_PATH, encoding="utf-8")
    arn = "arn:aws:iam::${AWS::AccountId}:role/<unresolved path>/exec"
    result = run_rolelint("check", "p.yaml", "--format", "json", "--no-cache", cwd=tmp_path)
    [message] = [
        f["message"] for f in json.loads(result.stdout)["findings"] if f["rule_id"] == "RL401"
    ]
    assert f"inline policy 'assume' of role Ci allows sts:AssumeRole on '{arn}'" in message
    card = run_rolelint("show", "Exec", "p.yaml", "--no-cache", cwd=tmp_path).stdout
    assert f"ARN: {arn}  (p.yaml:16)" in card
    assert "instance profile(s): exec-profile (path /<unresolved path>/)" in card


_PATH_AT_END = re.compile(r"/<unresolved path:[^>]*>\Z")  # what model._path_ends_at replaces
_PATH_PIECES = ["/", "<", ">", "a", "/<unresolved path:", "<generated:", "%3E"]


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.sampled_from(_PATH_PIECES), max_size=10).map("".join))
def test_a_path_ending_before_a_name_is_told_as_the_expression_told_it(text: str) -> None:
    """Whether a name's stand-in follows a path's (and so is a whole name) is what the
    expression searched in the text before it said, at every offset: the text is no longer
    copied and searched again for each name's stand-in (20,000 of them, 0.65 s)."""
    for end in range(len(text) + 1):
        assert model._path_ends_at(text, end) == (_PATH_AT_END.search(text[:end]) is not None)


# What model._names_terraform_address replaces, and the pieces of the texts it is tried on.
_TERRAFORM_ADDRESS = re.compile(r"#(?:module\.\S*?\.)?aws_[a-z0-9_]+\.[^.\s]")
_ADDRESS_PIECES = ["#", "module.", "module", "aws_", "iam_role", ".", "x", "_", " ", "\n", "\t"]
_ADDRESS_PIECES += ['["k"]', "[0]", ">", "%2A", "\u00a0", "A", "-"]


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(_ADDRESS_PIECES), max_size=14).map("".join))
def test_a_terraform_address_is_found_where_the_expression_found_it(text: str) -> None:
    """A stand-in is said to be Terraform's where the expression found a resource address
    after its ``#``, and CloudFormation's elsewhere, whatever the text."""
    for where, name in (("main.tf", text), (text, "R"), ("m", f"module.{text}")):
        stand_in = generated_name(where, name)
        expected = "Terraform" if _TERRAFORM_ADDRESS.search(stand_in) else "CloudFormation"
        assert model.generated_by(stand_in) == expected
    expected = "Terraform" if _TERRAFORM_ADDRESS.search(text) else "CloudFormation"
    assert model.generated_by(text) == expected


@pytest.mark.parametrize(
    "name", ["#module." * 20_000, "module." + "#module." * 20_000 + "x.aws_", "#aws_" * 40_000]
)
def test_a_stand_in_of_many_module_openers_is_read_once(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A stand-in holding ``#module.`` 8,000 times took 4 s to say who generates its name:
    the expression read on from each ``#module.`` to the end of the word (20,000: 25 s).  The
    searches after a ``#module.`` now read the stand-in at most once between them."""
    searched: list[int] = []
    pattern = model._MODULE_RESOURCE

    class Counted:
        def search(self, text: str, start: int, end: int) -> re.Match[str] | None:
            searched.append(end - start)
            return pattern.search(text, start, end)

    monkeypatch.setattr(model, "_MODULE_RESOURCE", Counted())
    stand_in = generated_name("main.tf", name)
    assert model.generated_by(stand_in) == "CloudFormation"
    assert sum(searched) <= len(stand_in)
