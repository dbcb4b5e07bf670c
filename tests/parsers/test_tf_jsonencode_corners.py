"""Corners of JSON that Terraform renders from HCL values, read as Terraform renders them.

- A heredoc or template splices a value written outside its JSON strings
  (``"Resource": ${jsonencode(local.r)}``) through a placeholder string, "§0", that the
  resolver of the JSON's strings took back for the value; a string of the policy's own that
  says "§0" (written so, or escaped as ``\\u00a70``) was read as that value too: with
  ``r = ["*"]``, ``"Action": "§0"`` was ``*``, RL201 on a policy whose Action is the string
  "§0" (RL605: no action).  A placeholder is now named by a character no string of the text
  holds.
- ``jsonencode()`` of a value holding a string whose JSON text rolelint keeps as a tree (a
  map jsonencode() made, ``local.statement_json``; a policy document's ``.json``) writes
  that string as a JSON string: ``Statement = [local.statement_json]`` is a list of one
  string, which IAM rejects ("statement must be an object"), and
  ``jsonencode(data.aws_iam_policy_document.x.json)`` is a JSON string, no policy (the AWS
  provider: "contains a JSON-encoded string, not a JSON-encoded object (have you
  double-encoded your JSON data?)").  rolelint read the tree: RL201 on statements no
  deployment has.  Each is now read as the string it is: RL604, where IAM rejects it.
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


STATEMENT_JSON = (
    "locals {\n"
    '  statement_json = jsonencode({ Effect = "Allow", Action = "*", Resource = "*" })\n'
    '  statement      = { Effect = "Allow", Action = "*", Resource = "*" }\n'
    "}\n"
)
ADMIN_DOCUMENT = (
    'data "aws_iam_policy_document" "admin" {\n'
    '  statement {\n    actions   = ["*"]\n    resources = ["*"]\n  }\n}\n'
)


def inline_policy(policy: str, before: str = "") -> str:
    """A role with one inline policy whose ``policy`` is the HCL expression given."""
    return (
        ROLE
        + before
        + 'resource "aws_iam_role_policy" "p" {\n  role   = aws_iam_role.r.id\n'
        + f"  policy = {policy}\n}}\n"
    )


ENCODED_STATEMENTS = {
    "in-a-list": "[local.statement_json]",
    "alone": "local.statement_json",
    "from-a-for": "[for s in [local.statement] : jsonencode(s)]",
}


@pytest.mark.parametrize("statements", ENCODED_STATEMENTS.values(), ids=ENCODED_STATEMENTS.keys())
def test_a_jsonencoded_statement_inside_jsonencode_is_a_string(
    tmp_path: Path, statements: str
) -> None:
    """Terraform writes the statement's JSON text as a string: IAM rejects the policy (RL604,
    "statement must be an object"); before, the statement was read, RL201."""
    policy = f'jsonencode({{ Version = "2012-10-17", Statement = {statements} }})'
    report = lint(tmp_path, inline_policy(policy, STATEMENT_JSON))
    assert [(f.rule_id, f.message) for f in report.findings] == [
        ("RL604", "A policy statement must be an object; IAM rejects the policy")
    ]
    assert report.notices == []


def test_a_statement_object_inside_jsonencode_is_still_the_statement(tmp_path: Path) -> None:
    """Guard: an HCL object is a JSON object there, and a jsonencode()d statement spliced by a
    heredoc in place of a JSON value is read back as that statement."""
    policy = 'jsonencode({ Version = "2012-10-17", Statement = [local.statement] })'
    report = lint(tmp_path, inline_policy(policy, STATEMENT_JSON))
    assert [f.rule_id for f in report.findings] == ["RL201"]
    body = '{"Version":"2012-10-17","Statement":[${local.statement_json}]}'
    report = lint(tmp_path, inline_heredoc(body, STATEMENT_JSON))
    assert [f.rule_id for f in report.findings] == ["RL201"]


NOT_AN_OBJECT = "The policy text is not a JSON object; IAM rejects the policy"
ENCODED_TWICE = {
    "document": ("jsonencode(data.aws_iam_policy_document.admin.json)", ADMIN_DOCUMENT),
    "encoded-map": ("jsonencode(local.policy_json)", ""),
    "encoded-call": (
        'jsonencode(jsonencode({ Version = "2012-10-17", Statement = [local.statement] }))',
        "",
    ),
}
POLICY_JSON = (
    "locals {\n"
    '  policy_json = jsonencode({ Version = "2012-10-17", Statement = [local.statement] })\n'
    "}\n"
)


@pytest.mark.parametrize(("policy", "before"), ENCODED_TWICE.values(), ids=ENCODED_TWICE.keys())
def test_a_policy_encoded_twice_is_a_json_string(tmp_path: Path, policy: str, before: str) -> None:
    """jsonencode() of a policy's JSON text is a JSON string, which the AWS provider and IAM
    reject: RL604 at the call, where the policy was read (RL201) before."""
    text = inline_policy(policy, STATEMENT_JSON + POLICY_JSON + before)
    report = lint(tmp_path, text)
    assert [(f.rule_id, f.message) for f in report.findings] == [("RL604", NOT_AN_OBJECT)]
    assert report.findings[0].location.span == at(text, policy)
    assert report.notices == []


def test_a_policy_encoded_twice_is_a_string_where_a_heredoc_splices_it(tmp_path: Path) -> None:
    """``[${jsonencode(local.statement_json)}]`` writes a JSON string in place of the
    statement: RL604, never the statement (RL201 before)."""
    body = '{"Version":"2012-10-17","Statement":[${jsonencode(local.statement_json)}]}'
    report = lint(tmp_path, inline_heredoc(body, STATEMENT_JSON))
    assert [(f.rule_id, f.message) for f in report.findings] == [
        ("RL604", "A policy statement must be an object; IAM rejects the policy")
    ]


def test_a_trust_policy_of_a_document_encoded_again_is_rejected(tmp_path: Path) -> None:
    """A common slip: ``assume_role_policy = jsonencode(data.x.json)``.  The role cannot be
    created (RL604), where rolelint judged the document's trust (RL101, critical)."""
    text = (
        'data "aws_iam_policy_document" "trust" {\n  statement {\n'
        '    actions = ["sts:AssumeRole"]\n'
        '    principals {\n      type        = "AWS"\n      identifiers = ["*"]\n    }\n'
        "  }\n}\n"
        'resource "aws_iam_role" "r" {\n  name = "r"\n'
        "  assume_role_policy = jsonencode(data.aws_iam_policy_document.trust.json)\n}\n"
    )
    report = lint(tmp_path, text)
    assert [(f.rule_id, f.message) for f in report.findings] == [("RL604", NOT_AN_OBJECT)]
