"""In-source suppressions, end to end: every form (YAML and Terraform comments, CloudFormation
Metadata in YAML and JSON), what each covers, expiry, and the errors and notes about bad or
unused ones."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from rolelint.api import lint_paths
from rolelint.engine import Selection
from rolelint.findings import Report
from rolelint.suppressions import comment_directives, comments_of
from tests.conftest import run_rolelint

OPEN_TRUST = """\
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: "*"
            Action: sts:AssumeRole
"""


def template(*roles: tuple[str, str]) -> str:
    """Roles that everyone may assume (RL101 at each Principal line); each with a text placed
    before its Type line (a comment, Metadata)."""
    body = "Resources:\n"
    for name, extra in roles:
        body += f"  {name}:\n{extra}    Type: AWS::IAM::Role\n    Properties:\n{OPEN_TRUST}"
    return body


def lint(tmp_path: Path, name: str, text: str, *select: str) -> Report:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    from rolelint.engine import Selection

    return lint_paths([str(path)], Selection(select=select or ("RL101",)))


def states(report: Report) -> list[tuple[int, str | None]]:
    return [
        (f.location.line, f.suppression.reason if f.suppression else None) for f in report.findings
    ]


# --- comments in YAML -----------------------------------------------------------------------------


def test_a_comment_above_a_resource_covers_all_of_it(tmp_path: Path) -> None:
    text = "Resources:\n  # rolelint:ignore RL101 public demo, reviewed (SEC-42)\n" + template(
        ("OpenRole", "")
    ).removeprefix("Resources:\n")
    report = lint(tmp_path, "t.yaml", text)
    assert states(report) == [(10, "public demo, reviewed (SEC-42)")]
    assert report.errors == [] and report.notices == []


def test_a_trailing_comment_covers_its_line_only(tmp_path: Path) -> None:
    text = template(("A", ""), ("B", "")).replace(
        'Principal: "*"', 'Principal: "*"  # rolelint:ignore RL101 expires=2999-01-01 known', 1
    )
    report = lint(tmp_path, "t.yaml", text)
    assert states(report) == [(9, "known"), (18, None)]
    assert report.findings[0].suppression is not None
    assert report.findings[0].suppression.expires == "2999-01-01"


def test_a_comment_above_a_statement_covers_that_statement_only(tmp_path: Path) -> None:
    text = template(("A", "")).replace(
        "          - Effect: Allow",
        "          # rolelint:ignore RL101 this statement only\n          - Effect: Allow",
    )
    text += '          - Effect: Allow\n            Principal: "*"\n'
    text += "            Action: sts:AssumeRole\n"
    report = lint(tmp_path, "t.yaml", text)
    assert states(report) == [(10, "this statement only"), (13, None)]


def test_a_directive_inside_a_string_is_not_a_comment() -> None:
    text = 'Description: "see # rolelint:ignore RL101 in docs"\nResources: {}\n'
    assert comment_directives("t.yaml", text) == []


def test_an_apostrophe_in_a_plain_value_does_not_hide_the_comment(tmp_path: Path) -> None:
    """The apostrophe of ``it's-public`` was taken for an opening quote, and the comment after
    it for part of the string: the finding was not suppressed."""
    text = template(("A", "")).replace(
        "          - Effect: Allow",
        "          - Sid: it's-public  # rolelint:ignore RL101 reviewed in SEC-1\n"
        "            Effect: Allow",
    )
    report = lint(tmp_path, "t.yaml", text)
    assert states(report) == [(10, "reviewed in SEC-1")]
    assert report.errors == [] and report.notices == []


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("- Sid: it's-public  # rolelint:ignore RL101 r", "r"),
        ("x: it 's # rolelint:ignore RL101 r", "r"),
        ("url: https://example.com  # rolelint:ignore RL101 r", "r"),  # '//' is no YAML comment
        ('x: !Sub "a: \'b"  # rolelint:ignore RL101 r', "r"),
        ('Description: "see # rolelint:ignore RL101 in docs"', None),
        ("Description: 'see # rolelint:ignore RL101 in docs'", None),
        ("Description: 'it''s # rolelint:ignore RL101 in docs'", None),
        ('x: !Sub "a \'b # rolelint:ignore RL101 x"', None),
        ("x: [a, 'b # rolelint:ignore RL101 x']", None),
        ('x: "a \\" # rolelint:ignore RL101 x"', None),
        ("- &anchor 'x # rolelint:ignore RL101 y'", None),
        ("a: b#rolelint:ignore RL101 r", None),  # '#' inside a plain value
        # JSON style in YAML: a quote right after ':' opens a string (review 2).
        ('- {"Sid":"a # rolelint:ignore RL101 x", Effect: Allow}', None),
        # Right after a quoted string or a flow collection, '#' is a comment.
        ('AWS: "*"# rolelint:ignore RL101 r', "r"),
        ("Principal: {AWS: '*'}#rolelint:ignore RL101 r", "r"),
    ],
)
def test_comments_and_quoted_strings_in_yaml(line: str, reason: str | None) -> None:
    found = comment_directives("t.yaml", line + "\n  y: 1\n")
    assert [d.reason for d in found] == ([reason] if reason else [])


def test_text_in_a_block_scalar_is_no_comment(tmp_path: Path) -> None:
    """A ``Description: |`` explaining suppressions was read as one: "the suppression names
    unknown rule RLxxx", exit 2."""
    text = (
        "Description: |\n  To accept a finding, write\n  # rolelint:ignore RLxxx\n"
        "  above the element.\n" + template(("A", ""))
    )
    report = lint(tmp_path, "t.yaml", text)
    assert states(report) == [(13, None)]
    assert report.errors == [] and report.notices == []


def test_code_in_a_zipfile_is_no_comment(tmp_path: Path) -> None:
    """Python under ``ZipFile: |`` held the marker: it was called an unused suppression."""
    text = template(("A", "")) + (
        "  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      Code:\n"
        "        ZipFile: |\n          def h(e, c):\n"
        "              # rolelint:ignore RL101 this is python code\n"
        "              return 1\n"
    )
    report = lint(tmp_path, "t.yaml", text)
    assert states(report) == [(9, None)]
    assert report.errors == [] and report.notices == []


@pytest.mark.parametrize(
    "text",
    [
        "a: |\n  # rolelint:ignore RL101 r\nb: 1\n",
        "a: >-\n    x\n    # rolelint:ignore RL101 r\nb: 1\n",
        "- |\n  # rolelint:ignore RL101 r\n",
        'a: "x\n  # rolelint:ignore RL101 r"\nb: 1\n',  # a quoted scalar over two lines
        "a: 'x\n  # rolelint:ignore RL101 r'\nb: 1\n",
        "a: x\n  y # rolelint:ignore RL101 r\nb: 1\n",  # the comment ends a plain scalar
    ],
)
def test_only_yaml_comments_are_directives(text: str) -> None:
    found = comment_directives("t.yaml", text)
    assert [d.reason for d in found] == (["r"] if text.startswith("a: x") else [])


@pytest.mark.parametrize(
    "header",
    ["a: |", "a: >-", "a: |2", "a: |+1", "a: !Sub |", "a: !Sub >", "- |", "- !Sub |-"],
)
def test_a_comment_after_a_block_scalar_header_is_a_directive(header: str) -> None:
    """``AssumeRolePolicyDocument: !Sub |  # rolelint:ignore ...``: a real comment on the line
    of the key, which the YAML scanner reads as part of the block scalar's token, so it was
    never seen.  It covers the key and the scalar's text; the text's own ``#`` lines stay
    text."""
    text = f"{header}  # rolelint:ignore RL101 r\n  x\n  # rolelint:ignore RL102 s\n  y\nb: 1\n"
    found = comment_directives("t.yaml", text)
    assert [(d.line, d.column, d.reason, d.lines) for d in found] == [
        (1, len(header) + 3, "r", (1, 4))
    ]


def test_a_comment_after_a_policy_text_header_suppresses_its_findings(tmp_path: Path) -> None:
    """The trust policy written as JSON text under ``!Sub |``: the comment on its key's line
    suppressed nothing, as the one above the key did."""
    trust = (
        "      AssumeRolePolicyDocument: !Sub |  # rolelint:ignore RL101 public demo\n"
        '        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",\n'
        '          "Principal": "*", "Action": "sts:AssumeRole"}]}\n'
    )
    text = template(("A", "")).replace(OPEN_TRUST, trust)
    report = lint(tmp_path, "t.yaml", text)
    assert states(report) == [(7, "public demo")]
    assert report.errors == [] and report.notices == []
    above = text.replace(
        "      AssumeRolePolicyDocument: !Sub |  # rolelint:ignore RL101 public demo\n",
        "      # rolelint:ignore RL101 public demo\n      AssumeRolePolicyDocument: !Sub |\n",
    )
    assert states(lint(tmp_path, "t.yaml", above)) == [(8, "public demo")]


def test_a_hash_in_a_yaml_flow_string_does_not_stretch_the_comment(tmp_path: Path) -> None:
    """``[`` after a key: the brackets were counted before each line's first ``#``, the one in
    ``"#1"`` too, so the list never closed and the comment covered every role after it."""
    first = template(("A", "")).replace(
        "        Statement:\n          - Effect: Allow\n"
        '            Principal: "*"\n            Action: sts:AssumeRole\n',
        "        # rolelint:ignore RL101 reviewed\n        Statement: [\n"
        '          {Sid: "#1", Effect: Allow, Principal: "*", Action: "sts:AssumeRole"}\n'
        "        ]\n",
    )
    text = first + template(("B", "")).removeprefix("Resources:\n")
    report = lint(tmp_path, "t.yaml", text)
    assert states(report) == [(9, "reviewed"), (18, None)]


def test_json_has_no_comments() -> None:
    """A plan's tag or a Sid holding the marker (a plan is one line) suppressed every RL101 of
    the plan: JSON has no comments, JSON templates use Metadata."""
    text = '{"tags": {"note": "x # rolelint:ignore RL101 tag text"}, "a": 1}\n'
    assert comments_of("plan.json", text) == []
    assert comments_of("plan.yaml", "a: 1  # rolelint:ignore RL101 r\n") != []


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ('  name = "it\'s" # rolelint:ignore RL101 r', "r"),
        ('  name = "x"// rolelint:ignore RL101 r', "r"),
        ('  name = "a # rolelint:ignore RL101 r"', None),
        ('  name = "x" # it\'s # rolelint:ignore RL101 r', None),  # in a plain comment
    ],
)
def test_comments_and_quoted_strings_in_terraform(line: str, reason: str | None) -> None:
    found = comment_directives("main.tf", line + "\n")
    assert [d.reason for d in found] == ([reason] if reason else [])


def test_several_ids_and_the_lines_covered() -> None:
    [directive] = comment_directives(
        "t.yaml", "a:\n  # rolelint:ignore RL101, RL102 -- shared demo\n  b:\n    c: 1\n  d: 2\n"
    )
    assert directive.rule_ids == ("RL101", "RL102")
    assert directive.reason == "shared demo"
    assert directive.lines == (3, 4)


# --- comments in Terraform ------------------------------------------------------------------------

TERRAFORM = """\
# rolelint:ignore RL101 the public bucket reader, approved (SEC-7)
resource "aws_iam_role" "public" {
  name = "public"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = "*"
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_role" "other" {
  name = "other"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = "*" // rolelint:ignore RL101 same approval (SEC-7)
      Action    = "sts:AssumeRole"
    }]
  })
}
"""


def test_terraform_comments_above_a_block_and_trailing(tmp_path: Path) -> None:
    report = lint(tmp_path, "main.tf", TERRAFORM)
    assert states(report) == [
        (8, "the public bucket reader, approved (SEC-7)"),
        (20, "same approval (SEC-7)"),
    ]


OPEN_TF_TRUST = """\
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { AWS = "*" }, Action = "sts:AssumeRole" }]
  })
"""


def test_a_hash_in_a_terraform_string_does_not_stretch_the_comment(tmp_path: Path) -> None:
    """The ``#`` of ``"#platform-alerts"`` cut its line, its ``}`` went uncounted, and the
    comment above ``demo`` covered ``prod`` too: a critical finding hidden with demo's reason."""
    text = (
        "# rolelint:ignore RL101 demo role, reviewed in SEC-7\n"
        'resource "aws_iam_role" "demo" {\n  name = "demo"\n'
        '  tags = { Slack = "#platform-alerts" }\n' + OPEN_TF_TRUST + "}\n\n"
        'resource "aws_iam_role" "prod" {\n  name = "prod"\n' + OPEN_TF_TRUST + "}\n"
    )
    report = lint(tmp_path, "main.tf", text)
    assert states(report) == [(7, "demo role, reviewed in SEC-7"), (15, None)]
    assert report.errors == [] and report.notices == []


# Characters ``str.splitlines`` breaks lines at and HCL does not.
NOT_HCL_LINE_BREAKS = ["\u2028", "\u2029", "\x85", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\r"]


@pytest.mark.parametrize("separator", NOT_HCL_LINE_BREAKS)
def test_a_terraform_comment_is_on_the_line_hcl_counts(tmp_path: Path, separator: str) -> None:
    """A line separator in a string or a comment is no line break to HCL: the comment covered
    the line below the finding's, which stayed unsuppressed, and was called unused.  A carriage
    return alone is text in a comment only: in a string, HCL (and rolelint) rejects the file."""
    in_string = " " if separator == "\r" else separator
    text = (
        'resource "aws_iam_role" "a" {\n'
        f'  description = "Owner: team{in_string}platform"\n'
        f"  # note{separator}more\n"
        "  # rolelint:ignore RL101 public demo role, reviewed\n"
        '  assume_role_policy = jsonencode({Version = "2012-10-17", Statement = [{Effect = '
        '"Allow", Principal = {AWS = "*"}, Action = "sts:AssumeRole"}]})\n'
        "}\n"
    )
    report = lint(tmp_path, "main.tf", text)
    assert states(report) == [(5, "public demo role, reviewed")]
    assert report.errors == [] and report.notices == []


@pytest.mark.parametrize(
    ("body", "covered"),
    [
        ('  tags = { Slack = "#alerts" }\n', (2, 4)),
        ('  tags = { Slack = "{" }\n', (2, 4)),  # a brace in a string opens nothing
        ('  tags = { Slack = "}" }\n', (2, 4)),
        ('  name = "a \\" } #"\n', (2, 4)),  # an escaped quote does not end the string
        ('  name = "${lookup(var.m, "}")}"\n', (2, 4)),  # a string in a template
        ('  name = "$${x} %%{y}"\n', (2, 4)),  # literal, not templates
        ("  name = var.x // }\n", (2, 4)),  # a brace in a comment closes nothing
        ("  name = var.x # }\n", (2, 4)),
        ("  /* } */ name = var.x\n", (2, 4)),
        ("  /* {\n  } */\n", (2, 5)),
        ("  policy = <<EOF\n}\n{\nEOF\n", (2, 7)),  # a heredoc's body is text
        ("  policy = <<-EOT\n    }\n    EOT\n", (2, 6)),
        ('  policy = jsonencode(\n    { a = "b" }\n  )\n', (2, 6)),
    ],
)
def test_a_comment_above_a_terraform_block_covers_it_to_its_end(
    body: str, covered: tuple[int, int]
) -> None:
    text = '# rolelint:ignore RL101 r\nresource "a" "b" {\n' + body + '}\nresource "c" "d" {}\n'
    [directive] = comment_directives("main.tf", text)
    assert directive.lines == covered


def test_a_comment_above_a_terraform_attribute_covers_its_heredoc(tmp_path: Path) -> None:
    """The comment above ``assume_role_policy = <<EOF`` covered that line alone: the finding in
    the heredoc's body stayed, and the comment was called unused."""
    text = (
        'resource "aws_iam_role" "a" {\n  name = "a"\n'
        "  # rolelint:ignore RL101 public demo role, reviewed in SEC-7\n"
        "  assume_role_policy = <<EOF\n{\n"
        '  "Version": "2012-10-17",\n'
        '  "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"},'
        ' "Action": "sts:AssumeRole"}]\n}\nEOF\n}\n'
    )
    report = lint(tmp_path, "main.tf", text)
    assert states(report) == [(7, "public demo role, reviewed in SEC-7")]
    assert report.errors == [] and report.notices == []


@pytest.mark.parametrize(
    ("text", "covered"),
    [
        ('/* rolelint:ignore RL101 r */\nresource "a" "b" {\n  x = 1\n}\n', (2, 4)),
        ('/* rolelint:ignore RL101 r */ resource "a" "b" {\n  x = 1\n}\n', (1, 3)),
        ('resource "a" "b" {\n  x = 1 /* rolelint:ignore RL101 r */\n}\n', (2, 2)),
        ('/* rolelint:ignore RL101 r\n   */\nresource "a" "b" {\n}\n', (3, 4)),
    ],
)
def test_a_block_comment_in_terraform_suppresses_too(text: str, covered: tuple[int, int]) -> None:
    """``/* rolelint:ignore ... */`` was ignored without a word; HCL comments are ``#``,
    ``//`` and ``/* */`` alike."""
    [directive] = comment_directives("main.tf", text)
    assert (directive.rule_ids, directive.reason, directive.lines) == (("RL101",), "r", covered)


def test_a_hash_in_a_heredoc_is_no_comment() -> None:
    text = 'resource "a" "b" {\n  user_data = <<EOF\n# rolelint:ignore RL101 shell text\nEOF\n}\n'
    assert comment_directives("main.tf", text) == []


def _trust_in_a_file(folder: Path, comment: str = "") -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "trust.json").write_text(
        '{"Version": "2012-10-17", "Statement": [\n'
        '  {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}]}\n'
    )
    (folder / "main.tf").write_text(
        comment + 'resource "aws_iam_role" "a" {\n  name = "a"\n'
        '  assume_role_policy = file("${path.module}/trust.json")\n}\n'
    )


def test_a_comment_on_a_role_covers_its_policy_read_by_file(tmp_path: Path) -> None:
    """The finding is in trust.json, outside the lines of the commented block: it stayed, and
    the comment was called unused.  The policy is the role's, as with Metadata."""
    _trust_in_a_file(tmp_path, "# rolelint:ignore RL101 public demo role, reviewed in SEC-7\n")
    report = lint_paths([str(tmp_path)])
    assert [(f.rule_id, Path(f.file).name, f.location.line) for f in report.findings] == [
        ("RL101", "trust.json", 2)
    ]
    assert states(report) == [(2, "public demo role, reviewed in SEC-7")]
    assert report.errors == [] and report.notices == []


def test_a_comment_on_a_role_covers_its_policy_in_a_local(tmp_path: Path) -> None:
    text = (
        'locals {\n  trust = jsonencode({ Version = "2012-10-17", Statement = [{ Effect ='
        ' "Allow", Principal = { AWS = "*" }, Action = "sts:AssumeRole" }] })\n}\n'
        "# rolelint:ignore RL101 reviewed\n"
        'resource "aws_iam_role" "a" {\n  name = "a"\n  assume_role_policy = local.trust\n}\n'
        'resource "aws_iam_role" "b" {\n  name = "b"\n  assume_role_policy = local.trust\n}\n'
    )
    report = lint(tmp_path, "main.tf", text)
    assert [(f.resource, f.location.line) for f in report.findings] == [
        ("aws_iam_role.a", 2),
        ("aws_iam_role.b", 2),
    ]
    assert states(report) == [(2, "reviewed"), (2, None)]
    assert report.errors == [] and report.notices == []


@pytest.mark.parametrize("kind", ["aws_iam_role_policy", "aws_iam_policy"])
def test_a_comment_on_a_policy_resource_covers_its_text_read_by_file(
    tmp_path: Path, kind: str
) -> None:
    """The policy of an aws_iam_role_policy or aws_iam_policy block read by file() has its
    findings in the JSON file: a comment on the block covered nothing and was called unused."""
    (tmp_path / "admin.json").write_text(
        '{"Version": "2012-10-17", "Statement": [\n'
        '  {"Effect": "Allow", "Action": "*", "Resource": "*"}]}\n'
    )
    trust = (
        '  assume_role_policy = jsonencode({Version = "2012-10-17", Statement = [{Effect = '
        '"Allow", Principal = {Service = "ec2.amazonaws.com"}, Action = "sts:AssumeRole"}]})\n'
    )
    policy = '  policy = file("${path.module}/admin.json")\n'
    attachment = (
        "  role = aws_iam_role.r.id\n"
        if kind == "aws_iam_role_policy"
        else '}\nresource "aws_iam_role_policy_attachment" "a" {\n'
        "  role = aws_iam_role.r.name\n  policy_arn = aws_iam_policy.p.arn\n"
    )
    (tmp_path / "main.tf").write_text(
        'resource "aws_iam_role" "r" {\n  name = "r"\n' + trust + "}\n"
        "# rolelint:ignore RL201 break-glass, SEC-12\n"
        f'resource "{kind}" "p" {{\n' + policy + attachment + "}\n"
    )
    report = lint_paths([str(tmp_path)])
    assert [(f.rule_id, Path(f.file).name, f.location.line) for f in report.findings] == [
        ("RL201", "admin.json", 2)
    ]
    assert states(report) == [(2, "break-glass, SEC-12")]
    assert report.errors == [] and report.notices == []


READ_TRUST = 'file("${path.module}/policies/trust.json")'


def _policies_read_by_functions(tmp_path: Path, trust_use: str = "") -> None:
    """A role whose trust is read by file() and a policy by templatefile(), each attribute with
    a comment above it (lines 3 and 9); the ``*`` of the template comes from line 10."""
    (tmp_path / "policies").mkdir()
    (tmp_path / "policies" / "trust.json").write_text(
        '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*",'
        ' "Action": "sts:AssumeRole"}]}\n'
    )
    (tmp_path / "policies" / "admin.tftpl").write_text(
        '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "${action}",'
        ' "Resource": "*"}]}\n'
    )
    (tmp_path / "main.tf").write_text(
        'resource "aws_iam_role" "demo" {\n  name = "demo"\n'
        "  # rolelint:ignore RL101 public demo role, SEC-1\n"
        f"  assume_role_policy = {trust_use or READ_TRUST}\n"
        "}\n\n"
        'resource "aws_iam_role_policy" "p" {\n  role = aws_iam_role.demo.id\n'
        "  # rolelint:ignore RL201 break-glass, SEC-2\n"
        '  policy = templatefile("${path.module}/policies/admin.tftpl", { action = "*" })\n}\n'
        + (f"locals {{\n  trust = {READ_TRUST}\n}}\n" if trust_use else "")
    )


@pytest.mark.parametrize("trust_use", ["", "local.trust"])
def test_a_comment_above_an_attribute_covers_the_policy_a_file_function_reads(
    tmp_path: Path, trust_use: str
) -> None:
    """The whole value of ``assume_role_policy = file(...)`` is the policy holding the finding,
    and the ``*`` of ``templatefile(..., { action = "*" })`` is written under the comment: both
    findings stayed (exit 1) and each comment was called "unused ... remove it".  The
    document's strings are now marked as used at the call (or at the reference to a local
    holding it), as a reference's value is."""
    _policies_read_by_functions(tmp_path, trust_use)
    report = lint_paths([str(tmp_path)], Selection(select=("RL101", "RL201")))
    found = [
        (f.rule_id, Path(f.file).name, f.location.line, f.location.column) for f in report.findings
    ]
    assert found == [("RL201", "admin.tftpl", 1, 74), ("RL101", "trust.json", 1, 74)]
    assert [f.suppression.reason if f.suppression else None for f in report.findings] == [
        "break-glass, SEC-2",
        "public demo role, SEC-1",
    ]
    assert report.errors == [] and report.notices == []


def test_a_comment_above_another_attribute_does_not_cover_a_file_functions_policy(
    tmp_path: Path,
) -> None:
    _policies_read_by_functions(tmp_path)
    text = (tmp_path / "main.tf").read_text()
    (tmp_path / "main.tf").write_text(
        text.replace("  # rolelint:ignore RL201 break-glass, SEC-2\n", "").replace(
            "  role = aws_iam_role.demo.id\n",
            "  # rolelint:ignore RL201 break-glass, SEC-2\n  role = aws_iam_role.demo.id\n",
        )
    )
    report = lint_paths([str(tmp_path)], Selection(select=("RL201",)))
    assert [f.suppressed for f in report.findings] == [False]
    assert [n.message for n in report.notices] == [
        "unused suppression of RL201: no such finding on line 9; remove it"
    ]


_QUOTED_TRUST = (
    '"{\\"Version\\": \\"2012-10-17\\", \\"Statement\\": [{\\"Effect\\": \\"Allow\\",'
    ' \\"Principal\\": \\"*\\", \\"Action\\": \\"sts:AssumeRole\\"}]}"'
)


def test_a_comment_above_an_attribute_covers_a_quoted_json_policy_its_caller_passes(
    tmp_path: Path,
) -> None:
    """A module's ``assume_role_policy = var.trust``, the caller passing the policy as a quoted
    JSON string: the findings of the text are placed at the string (main.tf line 3), and the
    comment above the attribute covered nothing ("unused ... remove it"), while the same
    comment covers a heredoc or ``file()`` the caller passes.  The text's values are now
    marked as used at the reference, as those of a heredoc are."""
    (tmp_path / "m").mkdir()
    (tmp_path / "main.tf").write_text(
        f'module "role" {{\n  source = "./m"\n  trust  = {_QUOTED_TRUST}\n}}\n'
    )
    (tmp_path / "m" / "main.tf").write_text(
        'variable "trust" {}\n\nresource "aws_iam_role" "demo" {\n  name = "demo"\n'
        "  # rolelint:ignore RL101 public demo role, SEC-1\n"
        "  assume_role_policy = var.trust\n}\n"
    )
    report = lint_paths([str(tmp_path)], Selection(select=("RL101",)))
    found = [(f.rule_id, Path(f.file).parent.name, f.location.line) for f in report.findings]
    assert found == [("RL101", tmp_path.name, 3)]
    assert states(report) == [(3, "public demo role, SEC-1")]
    assert not [n for n in report.notices if "suppression" in n.message]


@pytest.mark.parametrize("version", ["2012", "2.012e3"])
def test_a_comment_above_an_attribute_covers_a_number_of_its_policy_text(
    tmp_path: Path, version: str
) -> None:
    """A number of a heredoc policy (``"Version": 2012``, RL602 at line 3) got no place of use,
    where its strings did: the comment above ``policy = local.policy`` covered the strings'
    findings only, and this one was called unused.  Marked, a number is still quoted as the
    text writes it."""
    (tmp_path / "main.tf").write_text(
        "locals {\n  policy = <<-JSON\n"
        f'    {{"Version": {version},\n'
        '     "Statement": [{"Effect": "Allow", "Action": "s3:GetObject",'
        ' "Resource": "arn:aws:s3:::b/*"}]}\n'
        "  JSON\n}\n\n"
        'resource "aws_iam_role_policy" "p" {\n  role = "demo"\n'
        "  # rolelint:ignore RL602 legacy tooling, SEC-3\n"
        "  policy = local.policy\n}\n"
    )
    report = lint_paths([str(tmp_path)], Selection(select=("RL602",)))
    assert [(f.rule_id, f.location.line, f.location.column) for f in report.findings] == [
        ("RL602", 3, 17)
    ]
    assert f"has Version '{version}'" in report.findings[0].message
    assert states(report) == [(3, "legacy tooling, SEC-3")]
    assert report.errors == [] and report.notices == []


def test_a_comment_on_one_of_two_roots_covers_its_own_role_only(tmp_path: Path) -> None:
    """envs/dev and envs/prod both define aws_iam_role.a: the comment in dev covers dev's."""
    _trust_in_a_file(tmp_path / "dev", "# rolelint:ignore RL101 dev only\n")
    _trust_in_a_file(tmp_path / "prod")
    report = lint_paths([str(tmp_path)])
    assert sorted((Path(f.file).parent.name, f.suppressed) for f in report.findings) == [
        ("dev", True),
        ("prod", False),
    ]
    assert report.notices == []


def test_a_comment_on_a_role_whose_shared_file_two_roots_read(tmp_path: Path) -> None:
    """Both roots read ../shared/trust.json as aws_iam_role.a: which finding is dev's cannot be
    told, so neither is suppressed, and the comment is not called unused either."""
    _trust_in_a_file(tmp_path / "shared")
    (tmp_path / "shared" / "main.tf").unlink()
    for env, comment in (("dev", "# rolelint:ignore RL101 dev only\n"), ("prod", "")):
        (tmp_path / env).mkdir()
        (tmp_path / env / "main.tf").write_text(
            comment + 'resource "aws_iam_role" "a" {\n  name = "a"\n'
            '  assume_role_policy = file("${path.module}/../shared/trust.json")\n}\n'
        )
    report = lint_paths([str(tmp_path / "dev"), str(tmp_path / "prod")])
    assert report.findings and not [f for f in report.findings if f.suppressed]
    assert report.notices == []


_TRUST_OF_R = (
    'resource "aws_iam_role" "r" {\n  name = "r"\n  assume_role_policy = jsonencode({'
    ' Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "sts:AssumeRole",'
    ' Principal = { Service = "lambda.amazonaws.com" } }] })\n}\n'
)


def _policy_using(tmp_path: Path, action: str, before: str = "", local: str = "") -> None:
    """locals.tf holds ``admin = ["*"]`` (line 2, after LOCAL); main.tf's policy has
    ``Action = ACTION`` right after the lines BEFORE (on line 11 without them)."""
    (tmp_path / "locals.tf").write_text("locals {\n" + local + '  admin = ["*"]\n}\n')
    (tmp_path / "main.tf").write_text(
        _TRUST_OF_R + 'resource "aws_iam_role_policy" "q" {\n  role = aws_iam_role.r.name\n'
        '  policy = jsonencode({\n    Version = "2012-10-17"\n    Statement = [{\n'
        '      Effect = "Allow"\n' + before + f"      Action = {action}\n"
        '      Resource = "*"\n    }]\n  })\n}\n'
    )


@pytest.mark.parametrize("action", ["local.admin", 'concat(local.admin, ["s3:GetObject"])'])
def test_a_comment_above_an_element_covers_its_list_from_a_local(
    tmp_path: Path, action: str
) -> None:
    """The items of a list in a local keep their own places, so the finding is in locals.tf;
    the comment above ``Action = local.admin`` covered nothing and was called unused.  A
    comment on the element where the list is used covers it, and the finding stays where the
    ``*`` is written."""
    _policy_using(tmp_path, action, "      # rolelint:ignore RL201 break-glass, reviewed\n")
    report = lint_paths([str(tmp_path)])
    found = [(Path(f.file).name, f.location.line, f.rule_id) for f in report.findings]
    assert found == [("locals.tf", 2, "RL201")]
    assert states(report) == [(2, "break-glass, reviewed")]
    assert report.errors == [] and report.notices == []


def test_a_comment_above_an_attribute_covers_its_policy_in_a_local(tmp_path: Path) -> None:
    """The same for a whole policy kept in a local: the comment on one role's use of it covers
    that role's finding, not the other role's."""
    text = (
        'locals {\n  trust = jsonencode({ Version = "2012-10-17", Statement = [{ Effect ='
        ' "Allow", Principal = { AWS = "*" }, Action = "sts:AssumeRole" }] })\n}\n'
        'resource "aws_iam_role" "a" {\n  name = "a"\n'
        "  # rolelint:ignore RL101 reviewed\n  assume_role_policy = local.trust\n}\n"
        'resource "aws_iam_role" "b" {\n  name = "b"\n  assume_role_policy = local.trust\n}\n'
    )
    report = lint(tmp_path, "main.tf", text)
    assert [(f.resource, f.location.line) for f in report.findings] == [
        ("aws_iam_role.a", 2),
        ("aws_iam_role.b", 2),
    ]
    assert states(report) == [(2, "reviewed"), (2, None)]
    assert report.errors == [] and report.notices == []


def test_a_comment_in_the_local_still_covers_the_list(tmp_path: Path) -> None:
    _policy_using(tmp_path, "local.admin", local="  # rolelint:ignore RL201 shared, reviewed\n")
    report = lint_paths([str(tmp_path)])
    assert states(report) == [(3, "shared, reviewed")]
    assert report.errors == [] and report.notices == []


def test_a_comment_above_another_element_does_not_cover_the_list(tmp_path: Path) -> None:
    before = '      # rolelint:ignore RL201 wrong place\n      Sid = "x"\n'
    _policy_using(tmp_path, "local.admin", before)
    report = lint_paths([str(tmp_path)])
    assert states(report) == [(2, None)]
    assert [n.message for n in report.notices] == [
        "unused suppression of RL201: no such finding on line 12; remove it"
    ]


def _many_policies_then_breakglass(count: int) -> str:
    """``count`` instances of a policy using a list of 50 strings, then a break-glass policy
    whose ``Action = local.admin`` (line 17) carries a comment; the ``*`` is on line 3."""
    read = ", ".join(f'"s3:Get{n}"' for n in range(50))
    return (
        f'locals {{\n  read_only = [{read}]\n  admin     = ["*"]\n}}\n'
        + _TRUST_OF_R
        + f'resource "aws_iam_role_policy" "team" {{\n  count = {count}\n'
        '  role  = aws_iam_role.r.name\n  policy = jsonencode({ Version = "2012-10-17",'
        ' Statement = [{ Effect = "Allow", Action = local.read_only, Resource = "*" }] })\n}\n'
        'resource "aws_iam_role_policy" "breakglass" {\n  role = aws_iam_role.r.name\n'
        '  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow",\n'
        "    Action = local.admin # rolelint:ignore RL201 break-glass, reviewed in SEC-1\n"
        '    Resource = "*" }] })\n}\n'
    )


def test_a_comment_where_a_list_is_used_holds_however_many_instances_came_before(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Marking values with where a reference uses them is budgeted per root module (MAX_MARKS):
    1,900 instances of a policy using a list of 50 strings spent it, copying the list for each,
    and the comment on the break-glass policy after them no longer applied.  The RL201 came
    back (exit 1) and the comment was called unused, "remove it".  A reference evaluated again
    with the same value now reuses its marked copy: the budget counts copies, not instances."""
    from rolelint.parsers import tf_budget

    monkeypatch.setattr(tf_budget, "MAX_MARKS", 1_000)  # 1,900 instances' worth, made smaller
    (tmp_path / "main.tf").write_text(_many_policies_then_breakglass(40))
    report = lint_paths([str(tmp_path)], Selection(select=("RL201",)))
    assert states(report) == [(3, "break-glass, reviewed in SEC-1")]
    assert report.findings[0].resource == "aws_iam_role_policy.breakglass"
    assert report.errors == [] and report.notices == []


def test_a_comment_past_the_marking_budget_is_out_of_reach_not_unused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past the budget (distinct references enough to spend it), the value a reference brings
    is not marked and the comment there cannot reach its finding.  It is then not "unused ...
    remove it": a note says it may not reach the finding, and where a comment would."""
    from rolelint.parsers import tf_budget

    monkeypatch.setattr(tf_budget, "MAX_MARKS", 10)  # spent by the 50 strings of read_only
    (tmp_path / "main.tf").write_text(_many_policies_then_breakglass(1))
    report = lint_paths([str(tmp_path)], Selection(select=("RL201",)))
    assert states(report) == [(3, None)]
    [notice] = report.notices
    assert (notice.line, notice.column) == (17, 26)
    assert notice.message.startswith(
        "suppression of RL201 on line 17 matched no finding, and may not reach the one it"
        " means: the value the reference on line 17 brings is used at too many places"
    )
    assert "remove it" not in notice.message


# --- CloudFormation Metadata ----------------------------------------------------------------------
# --- CloudFormation Metadata ----------------------------------------------------------------------

META = (
    "    Metadata:\n      rolelint:\n        ignore:\n"
    "          - {id: RL101, reason: vendor demo}\n"
)


def test_metadata_in_yaml_covers_the_resource(tmp_path: Path) -> None:
    report = lint(tmp_path, "t.yaml", template(("A", META), ("B", "")))
    assert states(report) == [(13, "vendor demo"), (22, None)]


@pytest.mark.parametrize("kind", ["AWS::Serverless::Function", "AWS::Serverless::StateMachine"])
def test_metadata_on_a_sam_resource_covers_the_role_sam_generates(
    tmp_path: Path, kind: str
) -> None:
    """The findings name ``FnRole``, the role SAM generates, and the Metadata sat on ``Fn``: it
    suppressed nothing and was called unused ("no such finding on resource Fn")."""
    text = (
        "Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n"
        f"    Type: {kind}\n"
        "    Metadata:\n      rolelint:\n        ignore:\n"
        "          - {id: RL201, reason: admin lambda reviewed}\n"
        "    Properties:\n      Policies:\n        - Statement:\n"
        '            - {Effect: Allow, Action: "*", Resource: "*"}\n'
    )
    report = lint(tmp_path, "t.yaml", text, "RL201")
    assert [(f.rule_id, f.resource) for f in report.findings] == [("RL201", "FnRole")]
    assert states(report) == [(12, "admin lambda reviewed")]
    assert report.errors == [] and report.notices == []


def _shared_policy(roles: str, metadata_on_b: bool = False) -> str:
    """RoleA (its Metadata ignores RL202), RoleB, and a managed policy allowing s3:* attached to
    ``roles`` (RL202 at line 30, 35 when RoleB has Metadata too)."""
    meta = (
        "    Metadata:\n      rolelint:\n        ignore:\n"
        "          - id: RL202\n            reason: accepted for {name}\n"
    )
    trust = (
        "    Properties:\n      AssumeRolePolicyDocument:\n"
        "        Statement:\n          - Effect: Allow\n"
        "            Principal: {Service: lambda.amazonaws.com}\n"
        "            Action: sts:AssumeRole\n"
    )
    text = "Resources:\n  RoleA:\n    Type: AWS::IAM::Role\n" + meta.format(name="A") + trust
    text += "  RoleB:\n    Type: AWS::IAM::Role\n"
    text += (meta.format(name="B") if metadata_on_b else "") + trust
    text += (
        "  Shared:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n"
        f"      Roles: [{roles}]\n      PolicyDocument:\n        Statement:\n"
        "          - Effect: Allow\n            Action: s3:*\n"
        "            Resource: arn:aws:s3:::b/*\n"
    )
    return text


def test_metadata_on_one_role_of_a_shared_policy_is_partial_not_unused(tmp_path: Path) -> None:
    """RoleA accepted the managed policy's s3:*, RoleB did not: the finding stays, and the
    Metadata was called "unused ... remove it" (the finding names the roles "RoleA, RoleB")."""
    report = lint(tmp_path, "t.yaml", _shared_policy("!Ref RoleA, !Ref RoleB"), "RL202")
    [finding] = report.findings
    assert (finding.rule_id, finding.location.line, finding.role) == ("RL202", 30, "RoleA, RoleB")
    assert finding.suppression is None
    [note] = report.notices
    assert note.line == 7
    assert note.message == (
        "partial suppression of RL202 on resource RoleA: the finding at "
        f"{tmp_path / 't.yaml'}:30 also concerns role RoleB, which does not suppress it, so it "
        "is still reported"
    )


def test_metadata_on_every_role_of_a_shared_policy_suppresses_it(tmp_path: Path) -> None:
    report = lint(tmp_path, "t.yaml", _shared_policy("!Ref RoleA"), "RL202")
    assert states(report) == [(30, "accepted for A")]
    assert report.notices == []
    report = lint(tmp_path, "t.yaml", _shared_policy("!Ref RoleA, !Ref RoleB", True), "RL202")
    assert states(report) == [(35, "accepted for A")]
    assert report.notices == []


def test_metadata_in_a_json_template(tmp_path: Path) -> None:
    document: dict[str, Any] = {
        "Resources": {
            "A": {
                "Type": "AWS::IAM::Role",
                "Metadata": {"rolelint": {"ignore": [{"id": ["RL101"], "reason": "demo"}]}},
                "Properties": {
                    "AssumeRolePolicyDocument": {
                        "Version": "2012-10-17",
                        "Statement": [
                            {"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole"}
                        ],
                    }
                },
            }
        }
    }
    report = lint(tmp_path, "t.json", json.dumps(document, indent=2))
    [finding] = report.findings
    assert finding.suppression is not None and finding.suppression.reason == "demo"
    entry = document["Resources"]["A"]["Metadata"]["rolelint"]["ignore"][0]
    entry["expire"] = "2027-01-01"  # misspelt: it suppressed for ever
    report = lint(tmp_path, "t.json", json.dumps(document, indent=2))
    assert [f.suppressed for f in report.findings] == [False]
    [error] = report.errors
    assert (error.line, error.message) == (
        8,  # the entry's
        "the suppression has unknown key 'expire' (known: id, reason, expires)",
    )


@pytest.mark.parametrize(
    ("field", "value", "shown"),
    [
        ("expires", ["2020-01-01"], "'[\"2020-01-01\"]' is not a date (YYYY-MM-DD)"),
        ("expires", 2020.10, "'2020.10' is not a date (YYYY-MM-DD)"),  # as written
        ("expires", {"Ref": "Until"}, '\'{"Ref": "Until"}\' is not a date (YYYY-MM-DD)'),
        ("expires", None, "'null' is not a date (YYYY-MM-DD)"),
        ("id", ["RL101", ["RL102"], None], "unknown rule '[\"RL102\"]', 'null'"),
    ],
)
def test_a_metadata_value_that_is_not_text_is_an_error_in_a_json_template(
    tmp_path: Path, field: str, value: Any, shown: str
) -> None:
    """It was dropped: an expiry taken as none suppressed for ever, and the id list suppressed
    RL101 without a word about the other items."""
    entry: dict[str, Any] = {"id": ["RL101"], "reason": "demo", field: value}
    document = {
        "Resources": {
            "A": {
                "Type": "AWS::IAM::Role",
                "Metadata": {"rolelint": {"ignore": [entry]}},
                "Properties": {
                    "AssumeRolePolicyDocument": {
                        "Statement": [
                            {"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole"}
                        ]
                    }
                },
            }
        }
    }
    written = json.dumps(document, indent=2).replace("2020.1\n", "2020.10\n")
    report = lint(tmp_path, "t.json", written)
    [error] = report.errors
    assert (error.line, error.column) == (8, 13)  # the entry's
    assert shown in error.message
    assert [f.suppressed for f in report.findings] == [False]


# --- expiry, errors, unused -----------------------------------------------------------------------


def test_an_expired_suppression_stops_suppressing_and_says_so(tmp_path: Path) -> None:
    extra = "    Metadata:\n      rolelint:\n        ignore:\n"
    extra += "          - {id: RL101, reason: demo, expires: 2001-02-03}\n"
    report = lint(tmp_path, "t.yaml", template(("A", extra)))
    assert states(report) == [(13, None)]
    [note] = report.notices
    assert (note.line, note.message.split(":")[0]) == (
        6,
        "the suppression of RL101 expired on 2001-02-03",
    )


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("{id: RL101}", "the suppression of RL101 needs a reason"),
        ("{id: RL999, reason: x}", "the suppression names unknown rule 'RL999'"),
        ("{id: trust-policy-allows-anyone, reason: x}", "by exact id: write RL101 for trust-"),
        ("{id: RL101, reason: x, expires: soon}", "expiry 'soon' is not a date"),
        ("{id: RL101, reason: x, expires: 20200101}", "expiry '20200101' is not a date"),
        # Not text at all: taken as "no expiry", they suppressed for ever, unsaid.
        ("{id: RL101, reason: x, expires: [2020-01-01]}", "expiry '[\"2020-01-01\"]' is not"),
        ("{id: RL101, reason: x, expires: 2020.01}", "expiry '2020.01' is not a date"),
        ("{id: RL101, reason: x, expires: !Ref Until}", 'expiry \'{"Ref": "Until"}\' is not'),
        ("{id: RL101, reason: x, expires: {on: 2020-01-01}}", 'expiry \'{"on": "2020-01-01"}\''),
        ("{id: RL101, reason: x, expires: }", "the suppression's expiry 'null' is not a date"),
        ("{id: RL101, reason: x, expires: true}", "the suppression's expiry 'true' is not a date"),
        ("{id: [RL101, [RL102], null], reason: x}", "unknown rule '[\"RL102\"]', 'null'"),
        ("{reason: x}", "must name rule ids"),
        ("{id: RL101, reason: x, expire: 2027-01-01}", "unknown key 'expire' (known: id, "),
        ("{id: RL101, reasn: x, until: 1}", "unknown keys 'reasn', 'until'"),
    ],
)
def test_a_bad_suppression_is_an_error_at_its_line(
    tmp_path: Path, entry: str, message: str
) -> None:
    extra = f"    Metadata:\n      rolelint:\n        ignore:\n          - {entry}\n"
    report = lint(tmp_path, "t.yaml", template(("A", extra)))
    [error] = report.errors
    assert error.line == 6 and message in error.message
    assert states(report) == [(13, None)]  # nothing suppressed, and the scan went on


def test_a_directive_repeated_many_times_is_reported_once(tmp_path: Path) -> None:
    """Metadata repeating one bad entry and one unused entry 1,000 times on one line: one
    error, one note (a JSON template of 200,000 such entries, all on line 1, gave 190,657
    errors, 223 copies of each)."""
    entries = ", ".join(["{id: RL999, reason: x}, {id: RL102, reason: x}"] * 1000)
    extra = f"    Metadata:\n      rolelint:\n        ignore: [{entries}]\n"
    report = lint(tmp_path, "t.yaml", template(("A", extra)), "RL101", "RL102")
    assert [(e.column, e.message) for e in report.errors] == [
        (18, "the suppression names unknown rule 'RL999' (see 'rolelint rules')")  # the first
    ]
    assert [n.message.split(":")[0] for n in report.notices] == ["unused suppression of RL102"]


def test_errors_and_notes_about_a_suppression_name_its_column(tmp_path: Path) -> None:
    """They had ``"column": null`` although the comment's column (the Metadata entry's) is
    known: CI annotations and editors could not point at it."""
    text = template(
        (
            "A",
            "    Metadata:\n      rolelint:\n        ignore:\n          - {id: RL999, reason: x}\n",
        ),
        ("B", "    # rolelint:ignore RL101 expires=2001-01-01 until fixed\n"),
        ("C", "    # rolelint:ignore RL102 no vendor here\n"),
    ).replace('Principal: "*"', 'Principal: "*"  # rolelint:ignore RL101', 1)
    (tmp_path / "t.yaml").write_text(text)
    result = run_rolelint("check", "t.yaml", "--select", "RL101,RL102", "-f", "json", cwd=tmp_path)
    assert result.returncode == 2
    report = json.loads(result.stdout)
    said = report["errors"] + report["notices"]
    assert [(e["line"], e["column"], e["message"].split(" (")[0].split(":")[0]) for e in said] == [
        (6, 13, "the suppression names unknown rule 'RL999'"),  # the Metadata entry
        (13, 29, "the suppression of RL101 needs a reason"),  # a comment after code
        (16, 5, "the suppression of RL101 expired on 2001-01-01"),
        (26, 5, "unused suppression of RL102"),
    ]
    # The text and GitHub formats give the column too.
    assert (
        "t.yaml:13:29: error: the suppression of RL101 needs a reason"
        in run_rolelint("check", "t.yaml", "--select", "RL101,RL102", cwd=tmp_path).stdout
    )
    github = run_rolelint("check", "t.yaml", "-f", "github", cwd=tmp_path).stdout
    assert "::error file=t.yaml,line=13,col=29,title=rolelint input error::" in github


def test_a_suppression_naming_a_rule_by_name_gives_the_id_to_write(tmp_path: Path) -> None:
    """The configuration and ``--select`` take names, prefixes and classes, so users write them
    here too; "unknown rule trust-policy-allows-anyone" denied the rule named on the finding
    just above.  A suppression stays exact: the error gives the ids to write."""
    text = (
        'resource "aws_iam_role" "demo" {\n  name = "demo"\n  assume_role_policy = jsonencode({\n'
        '    Statement = [{\n      Effect    = "Allow"\n'
        '      Principal = { AWS = "*" } # rolelint:ignore trust-policy-allows-anyone demo, SEC-7\n'
        '      Action    = "sts:AssumeRole"\n    }]\n  })\n}\n'
    )
    report = lint(tmp_path, "main.tf", text)
    assert states(report) == [(6, None)]  # nothing suppressed
    [error] = report.errors
    assert (error.line, error.column, error.message) == (
        6,
        33,
        "suppressions name rules by exact id: write RL101 for trust-policy-allows-anyone",
    )


@pytest.mark.parametrize(
    ("name", "ids", "written"),
    [
        ("t.yaml", "RL101, RL102", "id: [RL101, RL102]"),
        ("t.yaml", "RL101,rl102", "id: [RL101, rl102]"),
        ("t.json", "RL101, RL102", '"id": ["RL101", "RL102"]'),
        ("t.template", "RL101, RL102", '"id": ["RL101", "RL102"]'),
        ("t.template", "RL101, RL102", "id: [RL101, RL102]"),
    ],
    ids=["yaml", "yaml-lowercase", "json", "json-template", "yaml-template"],
)
def test_metadata_naming_several_ids_in_one_string_says_to_write_a_list(
    tmp_path: Path, name: str, ids: str, written: str
) -> None:
    """``id: RL101, RL102`` is one string, which the comment form would read as two ids: the
    error said "unknown rule RL101, RL102", two real rules, and not what to write.  The list
    is written in the language the template was read in, whatever its name: a JSON template
    named ``.template`` was told YAML syntax."""
    entry = {"id": ids, "reason": "partner demo, SEC-5"}
    document = {
        "Resources": {
            "B": {
                "Type": "AWS::IAM::Role",
                "Metadata": {"rolelint": {"ignore": [entry]}},
                "Properties": {
                    "AssumeRolePolicyDocument": {
                        "Statement": [
                            {"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole"}
                        ]
                    }
                },
            }
        }
    }
    in_json = written.startswith('"')
    text = json.dumps(document, indent=2) if in_json else _as_yaml(document)
    report = lint(tmp_path, name, text)
    assert [f.suppressed for f in report.findings] == [False]
    [error] = report.errors
    assert error.message == (
        f"the suppression's id '{ids}' names several rules in one string: write {written}"
    )
    result = run_rolelint("check", name, "-q", "--no-cache", cwd=tmp_path)
    assert result.returncode == 2


def _as_yaml(document: dict[str, Any]) -> str:
    import yaml

    return yaml.safe_dump(document, sort_keys=False)


def test_a_suppression_naming_a_class_or_prefix_lists_its_ids(tmp_path: Path) -> None:
    from rolelint.catalog import load_catalog

    chaining = ", ".join(r.id for r in load_catalog().values() if r.rule_class == "chaining")
    comment = "# rolelint:ignore Chaining,trust-wildcard,RL9,rl101 demo"
    text = template(("A", "")).replace('Principal: "*"', f'Principal: "*"  {comment}')
    report = lint(tmp_path, "t.yaml", text)
    assert states(report) == [(9, None)]
    [error] = report.errors
    assert (error.line, error.message) == (
        9,
        f"suppressions name rules by exact id: Chaining is {chaining}: write those whose risk "
        "is accepted; write RL101 for trust-wildcard; the suppression names unknown rule 'RL9' "
        "(see 'rolelint rules')",
    )


def test_a_comment_without_reason_is_an_error(tmp_path: Path) -> None:
    report = lint(tmp_path, "t.yaml", template(("A", "    # rolelint:ignore RL101\n")))
    [error] = report.errors
    assert (error.line, error.message) == (3, "the suppression of RL101 needs a reason")


@pytest.mark.parametrize(
    "comment",
    [
        "# rolelint:ignore RL101 demo until launch expires=2020-01-31",  # after the reason
        "# rolelint:ignore RL101 expire=2020-01-31 demo",  # misspelt
        "# rolelint:ignore RL101 expires: 2020-01-31 demo",
        "# rolelint:ignore RL101 expires = 2020-01-31 demo",
        "# rolelint:ignore RL101 demo EXPIRY: 20200131",  # any date shape: it is an expiry
    ],
)
def test_an_expiry_a_comment_does_not_read_is_an_error(tmp_path: Path, comment: str) -> None:
    """Taken as part of the reason, it suppressed for ever, unsaid: the Metadata form already
    refuses a misspelt ``expire`` for that reason."""
    text = template(("A", "")).replace('Principal: "*"', f'Principal: "*"  {comment}')
    report = lint(tmp_path, "t.yaml", text)
    assert states(report) == [(9, None)]  # nothing suppressed
    [error] = report.errors
    assert (error.line, error.column) == (9, 29)
    assert error.message.startswith("the suppression of RL101 has an expiry its comment does")
    assert "write it as expires=YYYY-MM-DD right after the rule ids" in error.message
    tf = f'{comment.replace("#", "//")}\nresource "aws_iam_role" "r" {{\n{OPEN_TF_TRUST}}}\n'
    report = lint(tmp_path, "main.tf", tf)
    assert [f.suppressed for f in report.findings] == [False]
    assert [(e.line, "expires=YYYY-MM-DD" in e.message) for e in report.errors] == [(1, True)]


@pytest.mark.parametrize("date", ["2020-W01-1", "2099-W01", "20200101", "2099-1-1", "2099-01"])
def test_an_expiry_in_another_iso_form_is_an_error(tmp_path: Path, date: str) -> None:
    """Python 3.11's ``date.fromisoformat`` reads week dates and compact dates: ``2099-W01``
    suppressed, ``2020-W01-1`` "expired on 2020-W01-1"; only YYYY-MM-DD is documented."""
    comment = f"# rolelint:ignore RL101 expires={date} demo"
    text = template(("A", "")).replace('Principal: "*"', f'Principal: "*"  {comment}')
    report = lint(tmp_path, "t.yaml", text)
    assert states(report) == [(9, None)] and report.notices == []
    assert [(e.line, e.message) for e in report.errors] == [
        (9, f"the suppression's expiry '{date}' is not a date (YYYY-MM-DD)")
    ]


@pytest.mark.parametrize(
    "reason",
    [
        "the vendor's contract expires in 2027, see SEC-9",
        "expires when the migration ends (SEC-9)",
        "key expires: never rotated by hand",
    ],
)
def test_a_reason_speaking_of_expiry_in_prose_is_no_error(tmp_path: Path, reason: str) -> None:
    comment = f"# rolelint:ignore RL101 {reason}"
    text = template(("A", "")).replace('Principal: "*"', f'Principal: "*"  {comment}')
    report = lint(tmp_path, "t.yaml", text)
    assert states(report) == [(9, reason)] and report.errors == []


def test_an_unused_suppression_is_noted_unless_its_rule_did_not_run(tmp_path: Path) -> None:
    text = template(("A", "    # rolelint:ignore RL102 no vendor here\n"))
    report = lint(tmp_path, "t.yaml", text, "RL101", "RL102")
    [note] = report.notices
    assert note.line == 3 and note.message.startswith("unused suppression of RL102")
    assert lint(tmp_path, "t.yaml", text, "RL101").notices == []


def test_a_suppression_is_unused_only_when_every_rule_it_names_ran(tmp_path: Path) -> None:
    """``RL101,RL102`` with no finding of RL101 may be there for RL102: a run of RL101 alone
    cannot tell (it asked to remove the suppression)."""
    text = template(("A", "")) + "  B:\n    # rolelint:ignore RL101,RL102 vendor, reviewed\n"
    text += "    Type: AWS::IAM::Role\n"
    assert lint(tmp_path, "t.yaml", text, "RL101").notices == []
    [note] = lint(tmp_path, "t.yaml", text, "RL101", "RL102").notices
    assert note.message.startswith("unused suppression of RL101, RL102")


CHAIN = Path(__file__).parent.parent / "fixtures" / "chains" / "across-two-templates"


def chain_with_comment(tmp_path: Path) -> Path:
    """The CI role of ci.yaml reaches the release role of release.yaml (RL401 at the Resource
    line), with that line suppressed."""
    folder = tmp_path / "stacks"
    folder.mkdir()
    (folder / "release.yaml").write_text((CHAIN / "release.yaml").read_text())
    ci = (CHAIN / "ci.yaml").read_text()
    ci = ci.replace("role/release\n", "role/release  # rolelint:ignore RL401 reviewed in SEC-9\n")
    (folder / "ci.yaml").write_text(ci)
    return folder


def test_a_chain_suppression_is_not_unused_in_a_run_of_one_file(tmp_path: Path) -> None:
    """The pre-commit hook passes ci.yaml alone: the chain needs release.yaml, so no RL401 is
    found, and the run cannot tell the suppression is unused (it said to remove it)."""
    from rolelint.engine import Selection

    folder = chain_with_comment(tmp_path)
    whole = lint_paths([str(folder)], Selection(select=["RL401"]))
    assert [(f.rule_id, bool(f.suppression)) for f in whole.findings] == [("RL401", True)]
    assert whole.notices == []
    alone = lint_paths([str(folder / "ci.yaml")], Selection(select=["RL401"]))
    assert (alone.findings, alone.notices) == ([], [])
    both = lint_paths([str(folder / "ci.yaml"), str(folder)], Selection(select=["RL401"]))
    assert [f.suppressed for f in both.findings] == [True] and both.notices == []


def test_a_chain_suppression_is_unused_in_a_run_of_the_folders(tmp_path: Path) -> None:
    from rolelint.engine import Selection

    folder = chain_with_comment(tmp_path)
    (folder / "release.yaml").unlink()  # no chain any more
    [note] = lint_paths([str(folder)], Selection(select=["RL401"])).notices
    assert note.message.startswith("unused suppression of RL401")


# --- through the command --------------------------------------------------------------------------


def test_suppressed_findings_are_visible_and_do_not_fail_the_run(tmp_path: Path) -> None:
    (tmp_path / "t.yaml").write_text(template(("A", META)))
    result = run_rolelint("check", "t.yaml", "--select", "RL101", "-f", "json", cwd=tmp_path)
    assert result.returncode == 0
    report = json.loads(result.stdout)
    [finding] = report["findings"]
    assert finding["suppressed"] == {"kind": "inSource", "reason": "vendor demo"}
    assert report["summary"]["suppressed"] == 1 and report["summary"]["findings"] == 0
    sarif = run_rolelint("check", "t.yaml", "--select", "RL101", "-f", "sarif", cwd=tmp_path)
    [result_entry] = json.loads(sarif.stdout)["runs"][0]["results"]
    assert result_entry["suppressions"][0]["kind"] == "inSource"
    assert result_entry["suppressions"][0]["justification"] == "vendor demo"
    text = run_rolelint("check", "t.yaml", "--select", "RL101", cwd=tmp_path)
    assert "0 findings, 1 suppressed" in text.stdout and "RL101" not in text.stdout.split("\n")[0]


def test_a_bad_suppression_exits_2(tmp_path: Path) -> None:
    (tmp_path / "t.yaml").write_text(template(("A", "    # rolelint:ignore RL101\n")))
    result = run_rolelint("check", "t.yaml", cwd=tmp_path)
    assert result.returncode == 2
    assert "t.yaml:3:5: error: the suppression of RL101 needs a reason" in result.stdout


def test_the_comments_of_a_template_that_failed_to_parse_are_not_judged(tmp_path: Path) -> None:
    """A template cut short was an error, and its comment also a note to remove it: nothing
    of the file was analyzed, so nothing says the comment is unused."""
    text = template(("A", "")).replace(
        '            Principal: "*"\n',
        '            # rolelint:ignore RL101 vendor demo\n            Principal: "*"\n',
    )
    text += "      Policies: [\n"
    report = lint(tmp_path, "t.yaml", text)
    assert [(e.line, e.message.split(":")[0]) for e in report.errors] == [(12, "invalid YAML")]
    assert report.notices == [] and report.findings == []


def test_the_comments_of_a_skipped_file_are_not_judged(tmp_path: Path) -> None:
    """Files that are not IaC are skipped quietly (pre-commit hands every YAML file over): a
    ``# rolelint:ignore`` in one was called unused, and one naming RL999 failed the run."""
    (tmp_path / "deploy.yaml").write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n"
        "  # rolelint:ignore RL101 accepted\n  a: b\n"
    )
    (tmp_path / "notes.yaml").write_text("# rolelint:ignore RL999\nkey: value\n")
    (tmp_path / "other.hcl").write_text("# rolelint:ignore RL999\ninputs = {}\n")
    result = run_rolelint("check", ".", "-f", "json", cwd=tmp_path)
    report = json.loads(result.stdout)
    assert (result.returncode, report["errors"], report["notices"]) == (0, [], [])
    assert report["summary"]["files_skipped"] == 3


def test_the_comments_of_a_terraform_file_that_failed_to_parse_are_not_judged(
    tmp_path: Path,
) -> None:
    """Its parse error is the one error; the other files' comments still count."""
    (tmp_path / "broken.tf").write_text(
        "# rolelint:ignore RL999 no such rule\nlocals {\n  oops = [\n}\n"
    )
    (tmp_path / "main.tf").write_text(
        "# rolelint:ignore RL101 reviewed with security\n"
        'resource "aws_iam_role" "r" {\n  name = "r"\n' + OPEN_TF_TRUST + "}\n"
    )
    report = lint_paths([str(tmp_path)])
    assert [e.file for e in report.errors] == [str(tmp_path / "broken.tf")]
    assert "RL999" not in report.errors[0].message
    assert states(report) == [(6, "reviewed with security")]


def test_the_comments_of_terraform_on_standard_input_that_failed_are_not_judged() -> None:
    result = run_rolelint(
        "check", "-", "--stdin-filename", "main.tf", stdin="# rolelint:ignore RL999 x\nlocals {\n"
    )
    assert result.returncode == 2
    assert "RL999" not in result.stdout and "main.tf:" in result.stdout


# --- which directive covers which finding: indexed, as asking each directive about each ---------


def _naive_covering(
    findings: list[Any], directives: list[Any]
) -> tuple[list[int | None], set[int]]:
    """Every directive asked about every finding: what the index must give."""
    first: list[int | None] = []
    used: set[int] = set()
    for finding in findings:
        chosen = None
        for number, directive in enumerate(directives):
            rules = {rule.upper() for rule in directive.rule_ids}
            if finding.rule_id.upper() not in rules:
                continue
            if directive.resource is not None:
                covers = finding.file == directive.file and directive.resource in (
                    finding.resource,
                    finding.role,
                )
            else:
                places = (finding.location, finding.location.used_at)
                covers = any(
                    place is not None
                    and place.file == directive.file
                    and directive.lines[0] <= place.line <= directive.lines[1]
                    for place in places
                )
            if covers:
                used.add(number)
                chosen = number if chosen is None else chosen
        first.append(chosen)
    return first, used


def _random_case(seed: int) -> tuple[list[Any], list[Any]]:
    import random

    from rolelint.findings import Finding, Severity
    from rolelint.model import SuppressionDirective
    from rolelint.source import SourceRef, Span

    rng = random.Random(seed)
    files, rules, names = ["a.yaml", "b.tf"], ["RL101", "rl102", "RL103"], ["A", "B", "C", "D"]
    findings = [
        Finding(
            rng.choice(rules).upper(),
            "r",
            "c",
            Severity.LOW,
            "m",
            SourceRef(
                rng.choice(files),
                Span.point(rng.randint(1, 40), 1),
                # where a reference uses the value (a list in a local), for a third of them
                rng.choice(
                    [None, None, SourceRef(rng.choice(files), Span.point(rng.randint(1, 40), 1))]
                ),
            ),
            rng.choice(names),
            rng.choice([None, *names]),
            "f",
        )
        for _ in range(rng.randint(0, 60))
    ]
    directives = []
    for _ in range(rng.randint(0, 40)):
        start = rng.randint(1, 40)
        resource = rng.choice(names) if rng.random() < 0.4 else None
        directives.append(
            SuppressionDirective(
                rng.choice(files),
                start,
                tuple(rng.sample(rules, rng.randint(1, 2))),
                "why",
                resource=resource,
                lines=None if resource else (start, start + rng.choice([0, 0, 2, 10, 40])),
            )
        )
    return findings, directives


@pytest.mark.parametrize("seed", range(300))
def test_the_index_finds_what_asking_every_directive_finds(seed: int) -> None:
    from rolelint.suppressions import _covering

    findings, directives = _random_case(seed)
    assert _covering(findings, directives) == _naive_covering(findings, directives)


def test_many_comments_above_many_roles(tmp_path: Path) -> None:
    """3,000 roles with ten comments each took 51 s: each of 30,000 comments was asked about
    each of 3,000 findings.  Each finding still takes the first comment covering it, and every
    comment covering one is used."""
    comments = "".join(f"  # rolelint:ignore RL101 reason {k}\n" for k in range(9))
    text = template(*((f"Role{i}", "") for i in range(300)))
    text = text.replace("\n  Role", "\n" + comments + "  Role")
    report = lint(tmp_path, "many.yaml", text)
    assert len(report.findings) == 300
    assert {f.suppression.reason for f in report.findings if f.suppression} == {"reason 0"}
    assert all(f.suppressed for f in report.findings)
    assert not [n for n in report.notices if "unused" in n.message]


def _naive_directive_lines(text: str) -> list[tuple[int, tuple[int, int] | None]]:
    """Each comment's covered lines worked out on its own, as before they were shared."""
    from rolelint.source import YAML_BREAKS
    from rolelint.suppressions import _COMMENT, _block_end, _yaml_layout

    layout = _yaml_layout(text, YAML_BREAKS)
    lines = layout.lines
    found = []
    for comment in layout.comments:
        line = lines[comment.line]
        if _COMMENT.match(line, comment.column) is None:
            continue
        if line[: comment.column].strip():
            target: int | None = comment.line
        else:
            later = (i for i in range(comment.line, len(lines)) if layout.code[i])
            target = next(later, None)
        covered = None if target is None else (target + 1, _block_end(lines, target, layout) + 1)
        found.append((comment.line + 1, covered))
    return found


@pytest.mark.parametrize("seed", range(200))
def test_stacked_comments_cover_what_each_comment_alone_covers(seed: int) -> None:
    import random

    rng = random.Random(seed)
    pieces = [
        "# rolelint:ignore RL101 why",
        "  # rolelint:ignore RL102 why",
        "x: 1  # rolelint:ignore RL101 why",
        "a:",
        "  b: 2",
        "  - c",
        "    d: [",
        "    ]",
        'resource "x" "y" {',
        "}",
        "",
        "   ",
        "# plain comment",
    ]
    text = "\n".join(rng.choice(pieces) for _ in range(rng.randint(0, 60)))
    got = [(d.line, d.lines) for d in comment_directives("f.yaml", text)]
    assert got == _naive_directive_lines(text)


def test_a_suppression_in_a_module_with_a_broken_file_is_not_called_unused(
    tmp_path: Path,
) -> None:
    """Review 2: the finding of main.tf disappeared with the local of broken.tf; the note
    advised removing a suppression that is still needed."""
    (tmp_path / "broken.tf").write_text(
        'locals {\n  trust = jsonencode({ Version = "2012-10-17", Statement = [{'
        ' Effect = "Allow", Principal = { AWS = "*" }, Action = "sts:AssumeRole" }] })\n'
        "  oops = [\n}\n"
    )
    (tmp_path / "main.tf").write_text(
        "# rolelint:ignore RL101 reviewed with security\n"
        'resource "aws_iam_role" "r" {\n  name = "r"\n  assume_role_policy = local.trust\n}\n'
    )
    report = lint_paths([str(tmp_path)])
    assert [e.file for e in report.errors] == [str(tmp_path / "broken.tf")]
    assert not [n for n in report.notices if "unused suppression" in n.message]


_MODULE_USING_ITS_INPUT = """\
variable "actions" {
  type = list(string)
}

resource "aws_iam_role" "this" {
  name = "app"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole",
      Principal = { Service = "ec2.amazonaws.com" } }]
  })
}
resource "aws_iam_role_policy" "p" {
  role = aws_iam_role.this.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect = "Allow"
      # rolelint:ignore RL201 prod operators need it, SEC-11
      Action   = var.actions
      Resource = "*"
    }]
  })
}
"""


def _module_and_caller(tmp_path: Path, actions: str) -> Path:
    """modules/app, whose policy's Action is its input (the comment on line 19 above it), and
    envs/prod calling it with ``actions = ACTIONS``."""
    (tmp_path / "modules" / "app").mkdir(parents=True)
    (tmp_path / "modules" / "app" / "main.tf").write_text(_MODULE_USING_ITS_INPUT)
    (tmp_path / "envs" / "prod").mkdir(parents=True)
    (tmp_path / "envs" / "prod" / "main.tf").write_text(
        f'module "app" {{\n  source  = "../../modules/app"\n  actions = {actions}\n}}\n'
    )
    return tmp_path / "modules" / "app"


@pytest.mark.parametrize("named", ["main.tf", "."])
def test_a_comment_in_a_module_read_without_its_caller_is_not_called_unused(
    tmp_path: Path, named: str
) -> None:
    """The pre-commit hook passes modules/app/main.tf alone (or a run names the module's
    folder): its variable has no value there, so no RL201, and the comment that suppresses the
    caller's RL201 in the whole run was called "unused ... remove it"."""
    module = _module_and_caller(tmp_path, '["*"]')
    whole = lint_paths([str(tmp_path)], Selection(select=("RL201",)))
    assert [(f.resource, f.suppressed) for f in whole.findings] == [
        ("module.app.aws_iam_role_policy.p", True)
    ]
    assert whole.notices == []
    alone = lint_paths([str(module / named)], Selection(select=("RL201",)))
    assert (alone.findings, alone.notices, alone.errors) == ([], [], [])


def test_a_comment_in_a_called_module_is_unused_in_a_whole_run_only(tmp_path: Path) -> None:
    """A whole run evaluates the module with what its caller passes: nothing there, the note
    is right.  A run of the caller's file alone may lack another caller (as baselines' module
    entries are not judged there)."""
    module = _module_and_caller(tmp_path, '["s3:GetObject"]')
    whole = lint_paths([str(tmp_path)], Selection(select=("RL201",)))
    assert [(n.file, n.line, n.message) for n in whole.notices] == [
        (
            str(module / "main.tf"),
            19,
            "unused suppression of RL201: no such finding on line 20; remove it",
        )
    ]
    caller = tmp_path / "envs" / "prod" / "main.tf"
    assert lint_paths([str(caller)], Selection(select=("RL201",))).notices == []


def test_a_comment_in_a_root_module_whose_inputs_are_set_is_unused_in_a_run_of_its_file(
    tmp_path: Path,
) -> None:
    """A variable with a default (or set in terraform.tfvars) has its value: a run of the root
    module's file alone still judges the comments there."""
    (tmp_path / "main.tf").write_text(
        _MODULE_USING_ITS_INPUT.replace(
            "  type = list(string)\n", '  type = list(string)\n  default = ["s3:GetObject"]\n'
        )
    )
    report = lint_paths([str(tmp_path / "main.tf")], Selection(select=("RL201",)))
    assert [(n.line, n.message) for n in report.notices] == [
        (20, "unused suppression of RL201: no such finding on line 21; remove it")
    ]


# --- chains and circles: on the resource whose text they point into -------------------------------

_CIRCLE_OF_TRUST = """\
Resources:
  Alpha:
    Type: AWS::IAM::Role
    Properties:
      RoleName: alpha
      AssumeRolePolicyDocument: {Version: "2012-10-17", Statement: [{Effect: Allow, \
Principal: {AWS: !Sub "arn:aws:iam::${AWS::AccountId}:role/beta"}, Action: sts:AssumeRole}]}
  Beta:
    Type: AWS::IAM::Role
    Metadata: {rolelint: {ignore: [{id: RL402, reason: "re-assume each other by design"}]}}
    Properties:
      RoleName: beta
      AssumeRolePolicyDocument: {Version: "2012-10-17", Statement: [{Effect: Allow, \
Principal: {AWS: !Sub "arn:aws:iam::${AWS::AccountId}:role/alpha"}, Action: sts:AssumeRole}]}
"""


def test_a_circle_found_in_a_trust_policy_is_on_that_role_and_its_metadata_covers_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The circle's first hop (Alpha -> Beta) is made by Beta's trust naming Alpha, where the
    finding points (line 12), but its resource was Alpha, the circle's first role: Beta's
    Metadata entry did not cover it, and was called unused.  It is Beta's now; its
    fingerprint still hashes Alpha, so a baseline recorded before (this value, from a run of
    this file before the change) still matches it."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "t.yaml").write_text(_CIRCLE_OF_TRUST)
    report = lint_paths(["t.yaml"], Selection(select=("RL402",)))
    [circle] = report.findings
    assert (circle.location.line, circle.resource, circle.role) == (12, "Beta", "Alpha")
    assert circle.suppression is not None
    assert circle.suppression.reason == "re-assume each other by design"
    assert report.notices == []
    assert circle.fingerprint == "9a68f49c29616d0593701ef224ac3228"


_CHAIN_THROUGH_OPS = """\
Resources:
  App:
    Type: AWS::IAM::Role
    Properties:
      RoleName: app
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Principal: {Service: ecs-tasks.amazonaws.com}, Action: sts:AssumeRole}
  Ops:
    Type: AWS::IAM::Role
    Metadata: {rolelint: {ignore: [{id: RL401, reason: "ops is the break-glass path"}]}}
    Properties:
      RoleName: ops
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Principal: {AWS: !GetAtt App.Arn}, Action: sts:AssumeRole}
      Policies:
        - PolicyName: p
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - {Effect: Allow, Action: sts:AssumeRole, Resource: !GetAtt Admin.Arn}
  Admin:
    Type: AWS::IAM::Role
    Properties:
      RoleName: admin
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Principal: {AWS: !Sub "arn:aws:iam::${AWS::AccountId}:root"}, \
Action: sts:AssumeRole}
      ManagedPolicyArns: [arn:aws:iam::aws:policy/AdministratorAccess]
"""


def test_a_chain_found_in_a_trust_policy_is_on_that_role_and_its_metadata_covers_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """App -> Ops -> Admin: the first hop is Ops's trust naming App (line 18), where RL401
    reports the hop App -> Ops on Ops and the chain App -> Admin on App: Ops's entry covered
    the hop and not the chain, at the same line.  Both are Ops's now; the chain's
    fingerprint still hashes App (the value a run of this file gave before the change)."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "t.yaml").write_text(_CHAIN_THROUGH_OPS)
    report = lint_paths(["t.yaml"], Selection(select=("RL401",)))
    found = [
        (f.location.line, f.resource, f.role, f.suppression is not None, f.message.split(" (")[0])
        for f in report.findings
    ]
    assert found == [
        (18, "Ops", "App", True, "Role App can assume role Admin through Ops"),
        (18, "Ops", "App", True, "Role App can assume role Ops"),
        (24, "Ops", "Ops", True, "Role Ops can assume role Admin"),
    ]
    assert report.notices == []
    [chain] = [f for f in report.findings if "through" in f.message]
    assert chain.fingerprint == "8de81d175941fd5de37d36e4b7f22dc0"
