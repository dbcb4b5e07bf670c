"""Corners of JSON that Terraform renders from HCL values, read as Terraform renders them.

- A heredoc or template splices a value written outside its JSON strings
  (``"Resource": ${jsonencode(local.r)}``) through a placeholder string, "§0", that the
  resolver of the JSON's strings took back for the value; a string of the policy's own that
  says "§0" (written so, or escaped as ``\\u00a70``) was read as that value too: with
  ``r = ["*"]``, ``"Action": "§0"`` was ``*``, RL201 on a policy whose Action is the string
  "§0" (RL605: no action).  A placeholder is now named by a character no string of the text
  holds.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from rolelint.parsers.tf_eval import splice
from tests.parsers.test_tf_template_json import at, lint, placed_findings

ROLE = (
    'resource "aws_iam_role" "r" {\n  name = "r"\n'
    '  assume_role_policy = jsonencode({Version = "2012-10-17", Statement = [{Effect ='
    ' "Allow", Principal = {Service = "ec2.amazonaws.com"}, Action = "sts:AssumeRole"}]})\n}\n'
)


def inline_heredoc(body: str, before: str = "") -> str:
    """A role with one inline policy whose heredoc is ``body`` (one line of JSON)."""
    return (
        ROLE
        + before
        + 'resource "aws_iam_role_policy" "p" {\n  role   = aws_iam_role.r.id\n'
        + f"  policy = <<EOT\n{body}\nEOT\n}}\n"
    )


SLOT_LOOKALIKES = {"written": '"§0"', "escaped": '"\\u00a70"', "padded": '" §0 "'}


@pytest.mark.parametrize("action", SLOT_LOOKALIKES.values(), ids=SLOT_LOOKALIKES.keys())
def test_a_string_that_reads_as_a_placeholder_is_its_own_text(tmp_path: Path, action: str) -> None:
    """The Action "§0" is no action (RL605 where it is written), never the "*" spliced as the
    Resource: before, RL201 (full admin) for a policy that grants nothing."""
    text = inline_heredoc(
        '{"Version":"2012-10-17","Statement":[{"Effect":"Allow",'
        f'"Action":{action},"Resource":${{jsonencode(local.r)}}}}]}}',
        'locals {\n  r = ["*"]\n}\n',
    )
    report = lint(tmp_path, text)
    assert report.notices == []
    assert placed_findings(report) == [("RL605", at(text, action))]


def test_placeholders_are_named_by_a_mark_the_text_does_not_hold() -> None:
    """The section sign while the text holds none; else another mark, in every name."""
    _, plain = splice('{"a": ${x}, "b": ${y}}', 1, 1)
    assert list(plain) == ["\u00a70", "\u00a71"]
    for text in ('{"a": "§0", "b": ${x}}', '{"a": "\\u00A70", "b": ${x}}'):
        spliced, slots = splice(text, 1, 1)
        [name] = slots
        assert name[0] not in text and name[0] != "\u00a7"
        assert f'"{name}' in spliced and "§0" not in slots
