"""JSON written in a heredoc or a template whose strings interpolate what JSON would misread.

What an interpolation renders is written into the JSON as it is, so a rendered quote,
backslash or control character makes other JSON than the text says: such a string is unknown,
never one literal string (a local holding a quote was read as that string).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from rolelint.api import lint_paths, read_inventory
from rolelint.findings import Report
from rolelint.parsers.tf_eval import MISREAD_IN_JSON
from rolelint.parsers.tf_template_json import misread_in_json
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


@pytest.mark.parametrize(
    ("text", "misread"), [("a", False), ('a"', True), ("a\\b", True), ("a\tb", True)]
)
def test_what_json_reads_otherwise(text: str, misread: bool) -> None:
    assert misread_in_json(text) is misread
