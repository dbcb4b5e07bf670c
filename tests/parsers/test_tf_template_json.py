"""JSON written in a heredoc or a template whose strings interpolate what JSON would misread.

Terraform renders the template before AWS reads the JSON: ``"${var.public ? "a" : "b"}"``,
``"${format("arn:aws:s3:::%s/*", var.bucket)}"`` and ``"${lookup(var.m, "k")}"`` are valid
policies.  rolelint read the text before rendering, where the quotes inside the interpolation
end the string: the policy was "not analyzed", and nothing in it was judged.  What an
interpolation renders is written into the JSON as it is, so a rendered quote, backslash or
control character makes other JSON than the text says: such a string is unknown, never one
literal string (a local holding a quote was read as that string).
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rolelint.api import lint_paths, read_inventory
from rolelint.findings import Report
from rolelint.parsers import hcl_adapter
from rolelint.parsers.hcl_adapter import Closings, closing_brace
from rolelint.parsers.tf_eval import ESCAPED_BY_JSON, MISREAD_IN_JSON
from rolelint.parsers.tf_template_json import (
    masked_lines,
    masked_strings,
    misread_in_json,
    restored,
)
from rolelint.source import Span
from tests.parsers.test_paired_branches import ROLE_TF, found
from tests.rules.harness import line_of


def heredoc_policy(statements: str, variables: str = "") -> str:
    """A module of one ``aws_iam_policy`` whose heredoc holds ``statements`` (JSON text)."""
    return (
        variables
        + 'resource "aws_iam_policy" "p" {\n  name   = "p"\n  policy = <<EOT\n'
        + '{\n  "Version": "2012-10-17",\n  "Statement": [\n'
        + statements
        + "\n  ]\n}\nEOT\n}\n"
    )


def lint(tmp_path: Path, text: str, name: str = "main.tf") -> Report:
    (tmp_path / name).write_text(text)
    report = lint_paths([str(tmp_path)])
    assert report.errors == []
    return report


def place(text: str, needle: str, occurrence: int = 1) -> tuple[int, int]:
    """The line and column where the ``occurrence``-th ``needle`` of ``text`` starts."""
    line = line_of(text, needle, occurrence)
    before = sum(needle in row for row in text.splitlines()[: line - 1])
    row = text.splitlines()[line - 1]
    column = -1
    for _ in range(occurrence - before):
        column = row.index(needle, column + 1)
    return line, column + 1


def resources(text: str, tmp_path: Path) -> list[str | None]:
    """The Resource texts of the module's standalone policy, statement by statement."""
    (tmp_path / "main.tf").write_text(text)
    inventory, report = read_inventory([str(tmp_path)])
    assert report.errors == []
    [policy] = inventory.standalone_policies
    return [value.text for statement in policy.statements for value in statement.resources]


PUBLIC = 'variable "public" {\n  type = bool\n}\n'


def test_a_conditional_with_quoted_branches_is_read_and_its_bad_branch_reported(
    tmp_path: Path,
) -> None:
    """The policy was not analyzed ("could not be read as JSON before its ${...} are
    rendered"): the write action on every resource of the public branch is RL203 at the
    ``"*"`` the branch writes, and the private branch is no finding."""
    text = heredoc_policy(
        '    {\n      "Effect": "Allow",\n      "Action": "s3:PutObject",\n'
        '      "Resource": "${var.public ? "*" : "arn:aws:s3:::y/*"}"\n    }',
        PUBLIC,
    )
    report = lint(tmp_path, text)
    assert report.notices == []
    assert [(f.rule_id, f.location.line, f.location.column) for f in report.findings] == [
        ("RL203", *place(text, '"*"'))
    ]
    assert resources(text, tmp_path) == ["*", "arn:aws:s3:::y/*"]


def test_conditionals_in_two_strings_of_a_statement_are_paired(tmp_path: Path) -> None:
    """Admin's s3:* on the logs (RL202 at the Action) and the reader's s3:GetObject on every
    resource (RL208 at the Resource), never s3:* on every resource (RL203), as for the same
    conditionals written in HCL (tests/parsers/test_tf_paired_paths.py)."""
    text = (
        'variable "admin" {\n  type = bool\n}\n'
        'resource "aws_iam_role_policy" "worker" {\n  role = aws_iam_role.worker.id\n'
        "  policy = <<EOT\n"
        '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow",\n'
        '  "Action": "${var.admin ? "s3:*" : "s3:GetObject"}",\n'
        '  "Resource": "${var.admin ? "arn:aws:s3:::logs/*" : "*"}"}]}\n'
        "EOT\n}\n" + ROLE_TF
    )
    report = lint(tmp_path, text)
    assert found(report.findings) == {
        ("RL202", line_of(text, '"Action"')),
        ("RL208", line_of(text, '"Resource"')),
    }


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ('${format("arn:aws:s3:::%s/*", var.bucket)}', "arn:aws:s3:::logs/*"),
        ('${lookup(var.m, "k")}', "arn:aws:s3:::mapped/*"),
        ('arn:aws:s3:::${join("-", ["a", var.bucket])}/*', "arn:aws:s3:::a-logs/*"),
        ('${replace(var.bucket, "/^l/", "L")}', "Logs"),
    ],
)
def test_functions_given_quoted_arguments_are_read(tmp_path: Path, written: str, read: str) -> None:
    """The quotes of a function's arguments ended the JSON string: nothing was read."""
    variables = (
        'variable "bucket" {\n  default = "logs"\n}\n'
        'variable "m" {\n  default = { k = "arn:aws:s3:::mapped/*" }\n}\n'
    )
    text = heredoc_policy(
        '    {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "' + written + '"}',
        variables,
    )
    assert resources(text, tmp_path) == [read]


MULTI_LINE = """    {"Effect": "Allow", "Resource": "${
      var.public
        ? "*"
        : "arn:aws:s3:::z/*"
    }", "Action": ["s3:PutObject", "s3:Nope"], "Sid": "not valid"}"""


def test_an_interpolation_over_several_lines_in_a_string_is_read(tmp_path: Path) -> None:
    """Its line breaks (and quotes) were raw in the JSON string: not read.  What follows it
    keeps its line and column, though the JSON read masks those breaks."""
    text = heredoc_policy(MULTI_LINE, PUBLIC)
    assert resources(text, tmp_path) == ["*", "arn:aws:s3:::z/*"]
    report = lint(tmp_path, text)
    assert report.notices == []
    placed = {f.rule_id: (f.location.line, f.location.column) for f in report.findings}
    assert placed["RL203"] == place(text, '"*"')  # the public branch, where it is written
    assert placed["RL605"] == place(text, '"s3:Nope"')
    assert placed["RL614"] == place(text, '"not valid"')


def test_what_follows_an_interpolation_on_its_line_keeps_its_column(tmp_path: Path) -> None:
    """Stand-ins as wide as what they mask: the Sid and the unknown action after the
    interpolation are reported where they are written."""
    text = heredoc_policy(
        '    {"Effect": "Allow", "Resource": "${var.public ? "arn:aws:s3:::a/*" : "x"}",'
        ' "Action": ["s3:GetObject", "s3:Nope"], "Sid": "a-b"}',
        PUBLIC,
    )
    report = lint(tmp_path, text)
    placed = {(f.rule_id, f.location.line, f.location.column) for f in report.findings}
    assert ("RL605", *place(text, '"s3:Nope"')) in placed
    assert ("RL614", *place(text, '"a-b"')) in placed


# The public branch of a conditional written over two lines: its "*" starts the second line,
# which starts at the heredoc's (or the template's) first column, not at the string's.
SPLIT_RESOURCE = '"Resource": "${var.public ?\n          "*" : "arn:aws:s3:::y/*"}"'


def placed_findings(report: Report) -> list[tuple[str, Span | None]]:
    return [(f.rule_id, f.location.span) for f in report.findings]


def at(text: str, needle: str) -> Span:
    """Where ``needle`` is written in ``text`` (on one line)."""
    line, column = place(text, needle)
    return Span(line, column, line, column + len(needle))


@pytest.mark.parametrize("trimmed", [False, True], ids=["heredoc", "indented-heredoc"])
def test_a_value_on_a_later_line_of_an_interpolation_is_placed_there(
    tmp_path: Path, trimmed: bool
) -> None:
    """The "*" of the second line was reported on the first, past its end (11:44 of a line of
    33 characters): the interpolation was read as one line starting at the string's column."""
    statement = '    {"Effect": "Allow", "Action": "s3:PutObject",\n     ' + SPLIT_RESOURCE + "}"
    text = heredoc_policy(statement, PUBLIC)
    if trimmed:  # <<-EOT with every line of its body indented by 4
        head, body = text.split("<<EOT\n")
        body, tail = body.split("EOT\n")
        indented = "".join("    " + line for line in body.splitlines(keepends=True))
        text = head + "<<-EOT\n" + indented + "  EOT\n" + tail
    report = lint(tmp_path, text)
    assert report.notices == []
    assert placed_findings(report) == [("RL203", at(text, '"*"'))]


def test_a_template_file_places_a_value_on_a_later_line_of_an_interpolation(
    tmp_path: Path,
) -> None:
    """Through templatefile() the same "*" was at 3:38 of the template, where 4:11 is right."""
    template = (
        '{"Version": "2012-10-17", "Statement": [\n'
        '  {"Effect": "Allow", "Action": "s3:PutObject",\n'
        "   " + SPLIT_RESOURCE.replace("var.public", "public") + "}]}\n"
    )
    (tmp_path / "policy.json.tpl").write_text(template)
    text = (
        PUBLIC + 'resource "aws_iam_policy" "p" {\n  name   = "p"\n'
        '  policy = templatefile("${path.module}/policy.json.tpl", { public = var.public })\n}\n'
    )
    report = lint(tmp_path, text)
    assert placed_findings(report) == [("RL203", at(template, '"*"'))]


def test_a_spliced_value_on_a_later_line_of_an_interpolation_is_placed_there(
    tmp_path: Path,
) -> None:
    """A ``${...}`` written in place of a JSON value, over two lines: its "*" was reported on
    the first line, past its end."""
    text = heredoc_policy(
        '    {"Effect": "Allow", "Action": "s3:PutObject", "Resource": ${var.public ?\n'
        '      jsonencode("*") : jsonencode("arn:aws:s3:::y/*")}}',
        PUBLIC,
    )
    report = lint(tmp_path, text)
    assert placed_findings(report) == [("RL203", at(text, '"*"'))]


def test_an_interpolation_after_one_over_several_lines_keeps_its_column(tmp_path: Path) -> None:
    """The second ``${`` of the string starts its second line: it was placed as if that line
    started at the string's column (the notice of its file() call at column 79, not 17)."""
    text = heredoc_policy(
        '    {"Effect": "Allow", "Action": "s3:PutObject", '
        '"Resource": "arn:aws:s3:::${var.public ?\n'
        '  "a" : "b"}/${file("nope.txt")}"}',
        PUBLIC,
    )
    report = lint(tmp_path, text)
    assert [(n.line, n.column) for n in report.notices] == [place(text, 'file("nope.txt")')]


def test_a_literal_dollar_brace_is_text_and_not_an_interpolation(tmp_path: Path) -> None:
    """``$${`` is a literal ``${`` (a policy variable): read as written, beside an
    interpolation with quotes that made the text unreadable."""
    text = heredoc_policy(
        '    {"Effect": "Allow", "Action": "s3:GetObject", "Resource": '
        '["arn:aws:s3:::$${aws:username}/*", "${var.public ? "arn:aws:s3:::p/*" : "x"}"]}',
        PUBLIC,
    )
    assert resources(text, tmp_path) == ["arn:aws:s3:::${aws:username}/*", "arn:aws:s3:::p/*", "x"]


def test_a_literal_dollar_brace_with_quotes_is_not_masked(tmp_path: Path) -> None:
    """``"$${a ? "b" : "c"}"`` is no interpolation: the text is what AWS gets, and its quotes
    make it no JSON (RL604 where the JSON breaks, as for any broken policy text)."""
    text = heredoc_policy(
        '    {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "$${a ? "b" : "c"}"}'
    )
    report = lint(tmp_path, text)
    assert [(f.rule_id, f.location.line, f.location.column) for f in report.findings] == [
        ("RL604", *place(text, 'b" : "c'))
    ]
    assert report.findings[0].message.startswith("The policy text is not JSON: expecting")


def test_a_literal_dollar_brace_outside_strings_breaks_the_policy(tmp_path: Path) -> None:
    """``"Resource": $${literal}`` renders as ``"Resource": ${literal}``: no JSON, so IAM
    rejects the policy, as rolelint says (RL604 at the ``$``).  splice took the ``$${`` for an
    interpolation; the JSON broke at the same ``$`` all the same, so this pins the run."""
    text = heredoc_policy(
        '    {"Effect": "Allow", "Action": "s3:GetObject", "Resource": $${literal}}'
    )
    report = lint(tmp_path, text)
    assert [(f.rule_id, f.location.line, f.location.column) for f in report.findings] == [
        ("RL604", *place(text, "$${literal}"))
    ]
    assert report.findings[0].message.startswith("The policy text is not JSON: expecting a value")


@pytest.mark.parametrize(
    "local",
    ['"arn:aws:s3:::a/*\\", \\"*"', '"arn:aws:s3:::a\\\\*"', '"arn:aws:s3:::a/*\\n"'],
)
def test_a_rendered_quote_backslash_or_line_break_leaves_the_string_unknown(
    tmp_path: Path, local: str
) -> None:
    """Rendered into the JSON as it is, such a value is not the string it is in HCL (a quote
    even makes two strings): it was read as that one string, and judged as one.  Unknown,
    with a note at the string."""
    text = heredoc_policy(
        '    {"Effect": "Allow", "Action": "s3:PutObject", "Resource": "${local.x}"}',
        f"locals {{\n  x = {local}\n}}\n",
    )
    assert resources(text, tmp_path) == [None]
    report = lint(tmp_path, text)
    assert report.findings == []
    assert [(n.line, n.column, n.message) for n in report.notices] == [
        (*place(text, '"${local.x}"'), f"this string is not analyzed: {MISREAD_IN_JSON}")
    ]


def test_a_join_writing_several_strings_stays_unknown(tmp_path: Path) -> None:
    """``"${join("\\",\\"", local.arns)}"`` makes one JSON string per ARN, "*" among them:
    read now, but as unknown, with a note and no finding (never "arn:...","*" as one)."""
    text = heredoc_policy(
        '    {"Effect": "Allow", "Action": "s3:PutObject",\n'
        '     "Resource": ["${join("\\",\\"", local.arns)}"]}',
        'locals {\n  arns = ["arn:aws:s3:::a/*", "*"]\n}\n',
    )
    report = lint(tmp_path, text)
    assert report.findings == []
    assert [(n.line, n.column, n.message) for n in report.notices] == [
        (*place(text, '"${join'), f"this string is not analyzed: {MISREAD_IN_JSON}")
    ]


def test_one_branch_rendering_a_quote_leaves_the_other_read(tmp_path: Path) -> None:
    """Each option of a conditional is judged on its own: the branch without a quote is read."""
    text = heredoc_policy(
        '    {"Effect": "Allow", "Action": "s3:PutObject",'
        ' "Resource": "${var.public ? "*" : "a\\"b"}"}',
        PUBLIC,
    )
    assert resources(text, tmp_path) == ["*", None]
    report = lint(tmp_path, text)
    assert [f.rule_id for f in report.findings] == ["RL203"]
    assert len(report.notices) == 1


def test_a_template_file_reads_its_strings_the_same_way(tmp_path: Path) -> None:
    """templatefile() renders the same way: its conditional was not read either."""
    (tmp_path / "policy.json.tpl").write_text(
        '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:PutObject",\n'
        '  "Resource": "${public ? "*" : "arn:aws:s3:::y/*"}", "Sid": "x y"}]}\n'
    )
    text = (
        PUBLIC + 'resource "aws_iam_policy" "p" {\n  name   = "p"\n'
        '  policy = templatefile("${path.module}/policy.json.tpl", { public = var.public })\n}\n'
    )
    report = lint(tmp_path, text)
    placed = {(f.rule_id, f.location.line, f.location.column) for f in report.findings}
    template = (tmp_path / "policy.json.tpl").read_text()
    assert placed == {("RL203", *place(template, '"*"')), ("RL614", *place(template, '"x y"'))}


# A statement read whatever the other one is: s3:PutObject on every resource (RL203).
OPEN_WRITE = '    {"Effect": "Allow", "Action": "s3:PutObject", "Resource": "*"},\n'


@pytest.mark.parametrize(
    "string",
    [
        '"\\${local.x}"',
        '"arn:aws:s3:::\\${local.x}"',
        '"\\\\\\${local.x}"',
        '"\\${var.public ? "*" : "arn:aws:s3:::y/*"}"',
    ],
    ids=["alone", "after-text", "after-an-escaped-backslash", "quoted-branches"],
)
def test_a_backslash_before_an_interpolation_leaves_its_string_unknown(
    tmp_path: Path, string: str
) -> None:
    """A backslash is no escape in a Terraform template: Terraform renders the ``${...}`` after
    it, and JSON reads the backslash with the first character rendered as an escape (``\\a``:
    no JSON; ``\\n``: a line break).  rolelint took the backslash for a JSON escape of the
    ``$``: the JSON did not parse, and the whole policy was "not analyzed", its other
    statement too (with quotes inside, the string was cut short).  The string is unknown now,
    with a note at it, and the rest of the policy is read."""
    text = heredoc_policy(
        OPEN_WRITE
        + '    {"Effect": "Allow", "Action": "s3:GetObject", "Resource": '
        + string
        + "}",
        PUBLIC + 'locals {\n  x = "arn:aws:s3:::a/*"\n}\n',
    )
    assert resources(text, tmp_path) == ["*", None]
    report = lint(tmp_path, text)
    assert [(f.rule_id, f.location.line) for f in report.findings] == [
        ("RL203", line_of(text, OPEN_WRITE.strip()))
    ]
    assert [(n.line, n.column, n.message) for n in report.notices] == [
        (*place(text, string), f"this string is not analyzed: {ESCAPED_BY_JSON}")
    ]


def test_an_escaped_backslash_before_an_interpolation_is_a_backslash(tmp_path: Path) -> None:
    """``\\\\`` is JSON's own escape of a backslash: the interpolation after it is read."""
    text = heredoc_policy(
        '    {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "a\\\\${local.x}"}',
        'locals {\n  x = "b"\n}\n',
    )
    assert resources(text, tmp_path) == ["a\\b"]


def test_a_template_file_reads_a_backslash_before_an_interpolation_the_same_way(
    tmp_path: Path,
) -> None:
    (tmp_path / "policy.json.tpl").write_text(
        '{"Version": "2012-10-17", "Statement": [\n' + OPEN_WRITE + '    {"Effect": "Allow",'
        ' "Action": "s3:GetObject", "Resource": "\\${bucket}"}]}\n'
    )
    text = (
        'resource "aws_iam_policy" "p" {\n  name   = "p"\n  policy = templatefile('
        '"${path.module}/policy.json.tpl", { bucket = "arn:aws:s3:::a/*" })\n}\n'
    )
    assert resources(text, tmp_path) == ["*", None]
    report = lint(tmp_path, text)
    assert [f.rule_id for f in report.findings] == ["RL203"]
    template = (tmp_path / "policy.json.tpl").read_text()
    assert [(n.file, n.line, n.column) for n in report.notices] == [
        (str(tmp_path / "policy.json.tpl"), *place(template, '"\\${bucket}"'))
    ]


TEMPLATE_CALL = (
    'resource "aws_iam_policy" "p" {\n  name   = "p"\n'
    '  policy = templatefile("${path.module}/policy.json.tpl", {})\n}\n'
)


@pytest.mark.parametrize(
    "resource",
    ["$${literal}", '"arn:aws:s3:::b/$${aws:username}/*" "arn:aws:s3:::c/*"'],
    ids=["escape-outside-a-string", "escape-in-a-string"],
)
def test_a_template_whose_only_dollar_braces_are_literals_is_judged_as_written(
    tmp_path: Path, resource: str
) -> None:
    """A template holding ``$${`` but no interpolation renders as written, ``$${`` as ``${``:
    JSON broken there is broken in what AWS gets, as a heredoc's is (RL604).  templatefile()
    took any ``${`` for an interpolation, so the policy was "not analyzed: the policy text could
    not be read as JSON before its ${...} are rendered", and nothing was reported."""
    template = (
        '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject",\n'
        f'  "Resource": {resource}}}]}}\n'
    )
    (tmp_path / "policy.json.tpl").write_text(template)
    report = lint(tmp_path, TEMPLATE_CALL)
    broken = "$${literal}" if resource == "$${literal}" else '"arn:aws:s3:::c/*"'
    assert [(f.rule_id, f.location.line, f.location.column) for f in report.findings] == [
        ("RL604", *place(template, broken))
    ]
    assert report.notices == []


def test_a_template_whose_only_dollar_braces_are_literals_reads_them_rendered(
    tmp_path: Path,
) -> None:
    """Read as JSON or as a string given to a function, ``$${`` is the ``${`` Terraform
    renders: ``replace()`` of a heredoc gave ``$${aws:username}`` to the policy, and of a
    template nothing at all (unknown)."""
    (tmp_path / "policy.json.tpl").write_text(
        '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject",'
        ' "Resource": "arn:aws:s3:::BUCKET/$${aws:username}/*"}]}\n'
    )
    heredoc = "<<EOT\n" + (tmp_path / "policy.json.tpl").read_text() + "EOT\n "
    for policy, bucket in (
        ('templatefile("${path.module}/policy.json.tpl", {})', "BUCKET"),
        ('replace(templatefile("${path.module}/policy.json.tpl", {}), "BUCKET", "b")', "b"),
        (f'replace({heredoc}, "BUCKET", "b")', "b"),
    ):
        text = f'resource "aws_iam_policy" "p" {{\n  name   = "p"\n  policy = {policy}\n}}\n'
        (tmp_path / "main.tf").write_text(text)
        inventory, report = read_inventory([str(tmp_path)])
        assert report.errors == [] and report.notices == [], policy
        [read] = inventory.standalone_policies
        resource = [value.text for statement in read.statements for value in statement.resources]
        assert resource == [f"arn:aws:s3:::{bucket}/${{aws:username}}/*"], policy


# A JSON escape is no whitespace to the template: Terraform renders the template first, whose
# strip markers see the escape's two characters (a backslash, then a letter), and JSON decodes
# it after.  rolelint decoded it before the markers ran, which stripped what it decodes to.
_X = "arn:aws:s3:::b/*"
_STRIPS_TO_AN_ESCAPE = [
    ('"a\\n${~ x}"', "a\n" + _X),
    ('"${x ~}\\tb"', _X + "\tb"),
    ('"${x ~} \\n b"', _X + "\n b"),
    ('"a \\u0020 ${~ x}"', "a  " + _X),
    ('"\\r\\n${~ x ~}\\r\\n"', "\r\n" + _X + "\r\n"),
    # An escape of what the template would read as a sequence is text, as rendered.
    ('"\\u0024{x}-${x}"', "${x}-" + _X),
    # An escape writing the character rolelint masks a backslash with is that character.
    ('"\\udb80\\udc5cn${~ x}"', "\U000f005cn" + _X),
]
_STRIP_IDS = ["line-feed", "tab", "space-then-line-feed", "unicode-space", "both", "dollar"]
_STRIP_IDS += ["stand-in"]


@pytest.mark.parametrize(("string", "read"), _STRIPS_TO_AN_ESCAPE, ids=_STRIP_IDS)
def test_a_strip_marker_stops_at_a_json_escape(tmp_path: Path, string: str, read: str) -> None:
    text = heredoc_policy(
        '    {"Effect": "Allow", "Action": "s3:GetObject", "Resource": '
        + string.replace("x", "local.x")
        + "}",
        f'locals {{\n  x = "{_X}"\n}}\n',
    )
    assert resources(text, tmp_path) == [read.replace("{x}", "{local.x}")]


@pytest.mark.parametrize(("string", "read"), _STRIPS_TO_AN_ESCAPE, ids=_STRIP_IDS)
def test_a_template_file_strips_to_a_json_escape_the_same_way(
    tmp_path: Path, string: str, read: str
) -> None:
    (tmp_path / "policy.json.tpl").write_text(
        '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow",'
        f' "Action": "s3:GetObject", "Resource": {string}}}]}}\n'
    )
    text = (
        'resource "aws_iam_policy" "p" {\n  name   = "p"\n  policy = templatefile('
        f'"${{path.module}}/policy.json.tpl", {{ x = "{_X}" }})\n}}\n'
    )
    assert resources(text, tmp_path) == [read]


# --- the masking itself -----------------------------------------------------------------------


def test_masking_keeps_the_width_and_restoring_gives_the_text_back() -> None:
    written = '{"a": "x${f("}", "\\\\")}y", "b": "$${c ? "d" : ""}"}'
    masked = masked_strings(written)
    assert len(masked) == len(written)
    assert masked.startswith('{"a": "x${f(') and masked.endswith('"b": "$${c ? "d" : ""}"}')
    inside = masked[masked.index("${") + 2 : masked.index(")}") + 1]
    assert '"' not in inside and "\\" not in inside
    assert restored(masked) == written


def test_a_literal_dollar_brace_outside_strings_is_no_interpolation() -> None:
    """Outside a string, ``$${`` was brace-matched as an interpolation too: its ``{`` swallowed
    the JSON strings up to a ``}``, and what JSON would misread in their interpolations was not
    masked.  It is text, as splice reads it now: the string after it is masked."""
    written = '{"R": $${, "a": "${f("z")}"}'
    masked = masked_strings(written)
    assert len(masked) == len(written)
    assert masked.startswith('{"R": $${, "a": "${f(') and '"z"' not in masked
    assert restored(masked) == written


def test_a_string_decoded_from_an_escape_is_not_restored() -> None:
    """Only the text of an interpolation is restored: a character a JSON escape writes, even
    a stand-in's, is the one it says."""
    stand_in = masked_strings('"${f("x")}"')[5]
    assert restored(f"{stand_in}${{f({stand_in}x{stand_in})}}") == f'{stand_in}${{f("x")}}'


def test_text_holding_a_stand_in_is_not_masked() -> None:
    stand_in = masked_strings('"${f("x")}"')[5]
    written = f'{{"a": "{stand_in}${{f("x")}}"}}'
    assert masked_strings(written) == written


def test_positions_after_a_masked_line_break_are_those_written() -> None:
    masked = masked_strings('{"a": "${f(\n  "x")}", "b": 1}')
    lines = masked_lines(masked)
    assert lines is not None and "\n" not in masked
    # "b" is at offset 21: line 1, column 22 in the masked text, line 2, column 10 as written.
    assert lines.span(Span(1, 22, 1, 25)) == Span(2, 10, 2, 13)
    assert masked_lines(masked_strings('{"a": "${f("x")}"}')) is None


# --- one brace match for every ${ of a text -------------------------------------------------

_BRACE_PIECES = ["${", "%{", "$${", "$", "%", "{", "}", '"', "\\", "#", "//", "/*", "*/", "/"]
_BRACE_PIECES += ["*", "\n", "x", " ", "("]


@settings(max_examples=2000, deadline=None, derandomize=True, database=None)
@given(st.lists(st.sampled_from(_BRACE_PIECES), max_size=14).map("".join), st.randoms())
def test_closings_are_those_closing_brace_finds_from_every_offset(
    text: str, order: random.Random
) -> None:
    """Closings reads a nested ``${`` on the way to where one from before it ends, and keeps
    what it found: from every offset, asked in any order, it says what closing_brace says."""
    offsets = list(range(len(text) + 1))
    order.shuffle(offsets)
    closings = Closings(text)
    assert [closings.at(offset) for offset in offsets] == [
        closing_brace(text, offset) for offset in offsets
    ]


class _CountedSearch:
    """A pattern whose searches add, to ``read[0]``, the characters each reads: from where it
    starts to the end of what it finds, or to the end of the text."""

    def __init__(self, pattern: re.Pattern[str], read: list[int]) -> None:
        self._pattern = pattern
        self._read = read

    def search(self, text: str, position: int = 0) -> re.Match[str] | None:
        found = self._pattern.search(text, position)
        self._read[0] += (len(text) if found is None else found.end()) - position
        return found


def counted_brace_reads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts, in its one item, the characters a brace match reads: what each search for the
    next token of an expression or a quoted string reads, what each search for a comment's end
    reads, and the whole text for each list of comment ends made."""
    read = [0]
    for name in ("_EXPRESSION_MARK", "_EXPRESSION_TOKEN", "_QUOTED_MARK"):
        monkeypatch.setattr(hcl_adapter, name, _CountedSearch(getattr(hcl_adapter, name), read))
    comment_end, occurrences = hcl_adapter._comment_end, hcl_adapter._occurrences

    def counted_end(text: str, index: int) -> int | None:
        end = comment_end(text, index)
        read[0] += 0 if end is None else end - index
        return end

    def counted_occurrences(text: str, needle: str) -> list[int]:
        read[0] += len(text)
        return occurrences(text, needle)

    monkeypatch.setattr(hcl_adapter, "_comment_end", counted_end)
    monkeypatch.setattr(hcl_adapter, "_occurrences", counted_occurrences)
    return read


_UNCLOSED = "${" * 10_000


@pytest.mark.parametrize(
    "resource",
    [
        _UNCLOSED,  # the hunt's: none closed
        _UNCLOSED + "x}",  # the last one closed
        "${a}" * 2_000 + _UNCLOSED + '${"}"}',  # closed ones, unclosed ones, a quoted brace
        "${{" * 5_000,  # each opening another level too
        "${\\\\" * 5_000,  # a backslash, escaped for JSON, after each
    ],
)
def test_many_unclosed_interpolations_are_read_once(
    monkeypatch: pytest.MonkeyPatch, resource: str
) -> None:
    """Hunt: a heredoc whose Resource holds 20,000 ``${`` and no ``}`` closing them (44 KB)
    took 25 s, 68 s through templatefile(): each ``${`` of the string was brace-matched to the
    end of the text, in the masking and again in restoring the string JSON decoded."""
    written = '{"Action": "${f("*")}", "Resource": "' + resource + '"}'
    read = counted_brace_reads(monkeypatch)
    masked = masked_strings(written)
    assert 0 < read[0] <= 3 * len(written)  # about len(written) ** 2 / 4 when read for each
    assert len(masked) == len(written) and '"*"' not in masked
    assert masked.endswith(resource.replace('"}"', "\U000f0022}\U000f0022") + '"}')
    decoded = json.loads(masked)["Action"] + resource
    read[0] = 0
    assert restored(decoded) == '${f("*")}' + resource
    assert 0 < read[0] <= 3 * len(decoded)


# A comment, a quote or a "/" between each two ${ of a string: the match from each read what
# follows it to the end of the text (a comment's end was searched for from each).
_BETWEEN = ["/*", "/**/", "#", "//", "/", "*/", '\\"', '\\"\\"', "{/*}"]


@pytest.mark.parametrize("between", _BETWEEN)
def test_interpolations_with_something_between_them_are_read_once(
    monkeypatch: pytest.MonkeyPatch, between: str
) -> None:
    """Hunt: a heredoc whose Resource holds ``"${/*" * 20,000`` (80 KB) took 0.9 s, four
    times as long for twice as many; ``"${/**/" * 20,000`` (120 KB) 243 s, and ``${/`` or
    ``${*/`` as long: only plain text between two ``${`` had each read once."""
    resource = ("${" + between) * 5_000
    written = '{"Action": "${f("*")}", "Resource": "' + resource + '"}'
    read = counted_brace_reads(monkeypatch)
    masked = masked_strings(written)
    assert 0 < read[0] <= 4 * len(written)  # about len(written) ** 2 / 4 when read for each
    assert len(masked) == len(written) and '"*"' not in masked


@pytest.mark.parametrize(
    ("text", "misread"), [("a", False), ('a"', True), ("a\\b", True), ("a\tb", True)]
)
def test_what_json_reads_otherwise(text: str, misread: bool) -> None:
    assert misread_in_json(text) is misread


# A JSON key that holds a directive and no ``$`` (``"%{ if var.x }Resource%{ endif }"``) was
# never rendered: the key was the text as written, its quotes masked (tf_template_json), so an
# element IAM never reads, or a condition key no request carries, quoted in messages with the
# masking characters.
DIRECTIVE_KEY_TRUST = (
    'variable "env" {\n  type = string\n}\n'
    'resource "aws_iam_role" "r" {\n  name = "r"\n  assume_role_policy = <<EOT\n'
    '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"},'
    ' "Action": "sts:AssumeRole",\n'
    '  "Condition": {"StringEquals": {"KEY": "o-a1b2c3d4e5"}}}]}\nEOT\n}\n'
)


def test_a_directive_in_an_element_key_is_rendered(tmp_path: Path) -> None:
    """Both branches render "Resource": the statement's Resource is "*" (it had none)."""
    key = '%{ if var.env == "prod" }Resource%{ else }Resource%{ endif }'
    statement = f'    {{"Effect": "Allow", "Action": "s3:GetObject", "{key}": "*"}}'
    text = heredoc_policy(statement, 'variable "env" {\n  type = string\n}\n')
    assert resources(text, tmp_path) == ["*"]


def test_a_directive_in_a_condition_key_is_rendered(tmp_path: Path) -> None:
    """Both branches render aws:PrincipalOrgID: "*" limited to one organization (no RL101;
    it was an INFO finding quoting the masked key as "a claim of the provider's tokens")."""
    key = '%{ if var.env == "prod" }aws:PrincipalOrgID%{ else }aws:PrincipalOrgID%{ endif }'
    report = lint(tmp_path, DIRECTIVE_KEY_TRUST.replace("KEY", key))
    assert report.findings == []


def test_a_directive_key_of_branches_not_known_is_an_unresolved_key(tmp_path: Path) -> None:
    """A key whose branch is not known is a condition rolelint cannot resolve, as a ``${...}``
    key is: never the text as written, with its masked quotes."""
    key = '%{ if var.env != "" }aws:PrincipalOrgID%{ endif }'
    report = lint(tmp_path, DIRECTIVE_KEY_TRUST.replace("KEY", key))
    assert [(finding.rule_id, finding.message) for finding in report.findings] == [
        (
            "RL101",
            "Trust policy of role aws_iam_role.r allows any AWS principal ('*') to assume the"
            " role; only a condition rolelint cannot resolve may limit who can use it",
        )
    ]
