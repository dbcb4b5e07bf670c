"""Corners of the HCL template language inside the JSON strings of a heredoc or templatefile().

Terraform renders the template first and AWS reads the JSON it makes; what rolelint reads of a
string must be what that rendering writes there, or the string is unknown and a notice says so.

- A comment (``#``, ``//``, ``/* */``) inside an interpolation is whitespace to HCL (its native
  syntax specification: "Comments and whitespace cannot begin ... within template literals
  except inside an interpolation sequence or template directive"; its scanner reads the
  inside of ``${`` as expressions, comments included, and its parser skips them).  rolelint
  read the interpolation as one line, where a ``#`` took everything after it: the
  conditional ``var.on # x\\n ? "*" : "b"`` was ``var.on``.  A quote or a brace in the comment
  ended the string or the interpolation early, and the policy was not analyzed.
- An interpolation rolelint cannot parse left its string unknown without a word.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import run_rolelint
from tests.parsers.test_tf_template_json import (
    at,
    heredoc_policy,
    lint,
    place,
    placed_findings,
    resources,
)

ON = 'variable "on" {\n  type = bool\n}\n'
# The public branch of the conditional of a Resource written over two lines, a comment between.
COMMENTED = {
    "hash": '"${var.on # public or not\n      ? "*" : "arn:aws:s3:::b/*"}"',
    "slashes": '"${var.on // public or not\n      ? "*" : "arn:aws:s3:::b/*"}"',
    "block": '"${var.on /* "public" or } not */ ? "*" : "arn:aws:s3:::b/*"}"',
    "quote-and-brace": '"${var.on ? "*" : "arn:aws:s3:::b/*" # don\'t "quote" } me\n}"',
}


def statement(resource: str) -> str:
    return f'    {{"Effect": "Allow", "Action": "s3:PutObject",\n     "Resource": {resource}}}'


@pytest.mark.parametrize("resource", COMMENTED.values(), ids=COMMENTED.keys())
def test_a_comment_inside_an_interpolation_is_whitespace(tmp_path: Path, resource: str) -> None:
    """Read as Terraform renders it, the comment ignored: the public branch's "*" is RL203
    where it is written.  Before, the "hash" and "slashes" Resource was ``var.on`` (unknown),
    and a quote or brace in the comment left the policy "not analyzed"."""
    text = heredoc_policy(statement(resource), ON)
    assert resources(text, tmp_path) == ["*", "arn:aws:s3:::b/*"]
    report = lint(tmp_path, text)
    assert report.notices == []
    assert placed_findings(report) == [("RL203", at(text, '"*"'))]


def test_a_comment_reads_the_same_through_templatefile(tmp_path: Path) -> None:
    """The template's Resource read ``on`` alone, true: "true" is no ARN (RL608), and its
    public branch was never judged."""
    template = (
        '{"Version": "2012-10-17", "Statement": [\n'
        + statement(COMMENTED["hash"].replace("var.on", "on"))
        + "]}\n"
    )
    (tmp_path / "policy.json.tpl").write_text(template)
    text = (
        'resource "aws_iam_policy" "p" {\n  name   = "p"\n'
        '  policy = templatefile("${path.module}/policy.json.tpl", { on = true })\n}\n'
    )
    report = lint(tmp_path, text)
    assert report.notices == []
    assert placed_findings(report) == [("RL203", at(template, '"*"'))]


def test_an_interpolation_rolelint_cannot_parse_is_noticed(tmp_path: Path) -> None:
    """Its string was unknown and nothing said so."""
    text = heredoc_policy(statement('"${var.on ? }"') + ",\n" + statement('["${var.on ? )}"]'), ON)
    report = lint(tmp_path, text)
    message = "this string is not analyzed: it holds an interpolation rolelint cannot parse"
    assert [(n.line, n.column, n.message) for n in report.notices] == [
        (*place(text, '"${var.on ? }"'), message),
        (*place(text, '"${var.on ? )}"'), message),
    ]
    assert resources(text, tmp_path) == [None, None]


def test_a_spliced_value_rolelint_cannot_parse_is_noticed(tmp_path: Path) -> None:
    text = heredoc_policy(statement("${jsonencode(}"), ON)
    report = lint(tmp_path, text)
    assert [(n.line, n.column, n.message) for n in report.notices] == [
        (
            *place(text, "${jsonencode(}"),
            "this value is not analyzed: it holds an interpolation rolelint cannot parse",
        )
    ]


def cli_check(folder: Path) -> dict[str, list[tuple[str, int, int]]]:
    """What ``rolelint check FOLDER -f json`` reports: each finding's rule and place, each
    notice's message and place."""
    result = run_rolelint("check", str(folder), "--no-cache", "-f", "json")
    assert result.returncode in (0, 1), result.stderr
    document = json.loads(result.stdout)
    return {
        "findings": [(f["rule_id"], f["line"], f["column"]) for f in document["findings"]],
        "notices": [(n["message"], n["line"], n["column"]) for n in document["notices"]],
    }


def test_the_command_line_reports_the_branch_behind_a_comment(tmp_path: Path) -> None:
    text = heredoc_policy(statement(COMMENTED["hash"]), ON)
    (tmp_path / "main.tf").write_text(text)
    assert cli_check(tmp_path) == {"findings": [("RL203", *place(text, '"*"'))], "notices": []}
