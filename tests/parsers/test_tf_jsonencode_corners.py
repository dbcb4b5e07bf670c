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
- A template writes what a ``${...}`` outside its JSON strings renders as it is:
  ``"Resource": ${var.arn}`` with ``arn = "arn:aws:s3:::b"`` renders ``"Resource":
  arn:aws:s3:::b``, no JSON (the provider refuses it, IAM would), which rolelint read as the
  ARN, and judged the rest of a policy no deployment has.  A string's text is now read as
  the JSON value it is (``"[\\"*\\"]"`` is a list), and a text that is none leaves the
  whole policy unknown, with a note.
- A string of Terraform's JSON syntax (``.tf.json``) is a template, as a quoted HCL string is
  ("When a JSON string is encountered in a location where arbitrary expressions are
  expected, its value is first parsed as a string template"), directives included: its
  ``%{ if }`` and ``%{ for }`` left the string unknown without a word.  They are now rendered
  as a quoted string's are, or the string is unknown with a note saying why.
- Terraform parses such a string as a template when it evaluates it, and rejects what HCL's
  template syntax rejects: an escaped quote of the file inside a ``${...}`` (``\\\\\\"`` in the
  file, ``\\"`` in the string), a ``${`` no ``}`` ends, a line feed in a quoted string of a
  ``${...}``, a directive out of place.  Each was a note ("an interpolation rolelint cannot
  parse", a directive "Terraform rejects") or literal text: it is now an error at its place,
  as in a heredoc.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rolelint.api import lint_paths, read_inventory
from rolelint.model import UNRESOLVED_KEY
from rolelint.parsers.tf_eval import SPLICED_NOT_JSON, splice
from tests.parsers.test_tf_template_json import (
    at,
    heredoc_policy,
    lint,
    place,
    placed_findings,
    resources,
)
from tests.rules.harness import line_of

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


def arn_variable(default: str) -> str:
    """A variable ``arn`` whose default is ``default`` (an HCL expression)."""
    return f'variable "arn" {{\n  default = {default}\n}}\n'


WRITE_ANY = '    {"Effect": "Allow", "Action": "s3:*", "Resource": ${var.arn}}'


@pytest.mark.parametrize(
    "default",
    ['"arn:aws:s3:::b"', '"*"', '""', '"\\"a\\", \\"b\\""'],
    ids=["arn", "star", "empty", "two"],
)
def test_a_string_spliced_in_place_of_a_json_value_that_is_no_json_value_leaves_the_policy_unknown(
    tmp_path: Path, default: str
) -> None:
    """Terraform writes ``"Resource": arn:aws:s3:::b``: no JSON, rejected.  Before, the ARN
    (or the "*") was read and the policy judged (RL202 for its s3:*, RL203 and RL208 for
    "*"); now nothing is judged of it, and a note at the policy says why."""
    text = heredoc_policy(WRITE_ANY, arn_variable(default))
    report = lint(tmp_path, text)
    assert report.findings == []
    [notice] = report.notices
    assert (notice.line, notice.column) == place(text, "<<EOT")
    assert notice.message.startswith("the policy aws_iam_policy.p is not analyzed: the ${...}")
    assert notice.message.endswith(SPLICED_NOT_JSON)
    assert f"(line {place(text, '${var.arn}')[0]})" in notice.message


# A jsonencode() call cannot be a variable's default (Terraform refuses a call there): a local.
_JSON_ENCODED_LOCAL = 'locals {\n  arn = jsonencode("arn:aws:s3:::b/*")\n}\n'


@pytest.mark.parametrize(
    ("defined", "read"),
    [
        (arn_variable('"\\"arn:aws:s3:::b/*\\""'), ["arn:aws:s3:::b/*"]),
        (arn_variable('"[\\"arn:aws:s3:::b/*\\", \\"*\\"]"'), ["arn:aws:s3:::b/*", "*"]),
        (_JSON_ENCODED_LOCAL, ["arn:aws:s3:::b/*"]),
    ],
    ids=["json-string", "json-list", "jsonencoded"],
)
def test_a_string_holding_json_spliced_in_place_of_a_json_value_is_that_json(
    tmp_path: Path, defined: str, read: list[str]
) -> None:
    """Its text is JSON, which JSON reads back: the string without its quotes, the list's
    items (before: one Resource, the text with its quotes and brackets)."""
    reference = "${local.arn}" if defined.startswith("locals") else "${var.arn}"
    text = heredoc_policy(WRITE_ANY.replace("${var.arn}", reference), defined)
    assert resources(text, tmp_path) == read
    report = lint(tmp_path, text)
    assert report.notices == []
    assert ("RL203" in {f.rule_id for f in report.findings}) is ("*" in read)


def test_a_branch_splicing_no_json_value_leaves_the_policy_unknown(tmp_path: Path) -> None:
    """One deployment's policy is no JSON: the policy is not read in either (the other
    branch's "*" was RL203 before, with the ARN of the first read as one)."""
    variables = 'variable "public" {\n  type = bool\n}\n'
    resource = '${var.public ? "\\"*\\"" : "arn:aws:s3:::b/*"}'
    text = heredoc_policy(WRITE_ANY.replace("${var.arn}", resource), variables)
    report = lint(tmp_path, text)
    assert report.findings == []
    assert [n.message.endswith(SPLICED_NOT_JSON) for n in report.notices] == [True]


def test_a_template_file_splicing_no_json_value_is_unknown(tmp_path: Path) -> None:
    """templatefile() renders the same way: the note names the template's line."""
    (tmp_path / "policy.json.tpl").write_text(
        '{"Version": "2012-10-17",\n'
        ' "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": ${arn}}]}\n'
    )
    text = (
        'resource "aws_iam_policy" "p" {\n  name   = "p"\n'
        '  policy = templatefile("${path.module}/policy.json.tpl", { arn = "arn:aws:s3:::b" })'
        "\n}\n"
    )
    report = lint(tmp_path, text)
    assert report.findings == []
    [notice] = report.notices
    assert "(policy.json.tpl line 2)" in notice.message
    assert notice.message.endswith(SPLICED_NOT_JSON)


def json_document(actions: list[str], resources: list[str]) -> str:
    """A ``.tf.json`` module of one standalone policy made by an ``aws_iam_policy_document``
    of one statement; ``var.rw`` is true and ``var.env`` "prod"."""
    statement = {"actions": actions, "resources": resources}
    return json.dumps(
        {
            "variable": {"rw": {"default": True}, "env": {"default": "prod"}},
            "data": {"aws_iam_policy_document": {"d": {"statement": [statement]}}},
            "resource": {
                "aws_iam_policy": {
                    "p": {"name": "p", "policy": "${data.aws_iam_policy_document.d.json}"}
                }
            },
        },
        indent=1,
    )


def json_read(tmp_path: Path, text: str) -> tuple[list[str | None], list[str | None]]:
    """The Action and Resource texts of the ``.tf.json`` module's one standalone policy."""
    (tmp_path / "main.tf.json").write_text(text)
    inventory, report = read_inventory([str(tmp_path)])
    assert report.errors == []
    [policy] = inventory.standalone_policies
    return (
        [value.text for statement in policy.statements for value in statement.actions],
        [value.text for statement in policy.statements for value in statement.resources],
    )


def test_a_directive_in_a_tf_json_string_is_rendered(tmp_path: Path) -> None:
    """var.rw is true: the Action is s3:*, RL202 at its string (before: unknown, no word)."""
    action = "s3:%{ if var.rw }*%{ else }GetObject%{ endif }"
    text = json_document([action], ["arn:aws:s3:::b/*"])
    assert json_read(tmp_path, text) == (["s3:*"], ["arn:aws:s3:::b/*"])
    report = lint(tmp_path, text, "main.tf.json")
    assert report.notices == []
    assert [(f.rule_id, f.location.line) for f in report.findings] == [
        ("RL202", place(text, json.dumps(action))[0])
    ]


def test_directives_of_a_tf_json_string_with_escapes_are_rendered(tmp_path: Path) -> None:
    """A condition comparing to a quoted string, whose quotes JSON escapes, and a for."""
    text = json_document(
        ["s3:GetObject"],
        [
            'arn:aws:s3:::%{ if var.env == "prod" }prod%{ else }dev%{ endif }-bucket/*',
            'arn:aws:s3:::%{ for b in ["x", "y"] }${b}-%{ endfor }*',
        ],
    )
    read = json_read(tmp_path, text)
    assert read == (["s3:GetObject"], ["arn:aws:s3:::prod-bucket/*", "arn:aws:s3:::x-y-*"])


def test_a_tf_json_string_whose_directive_terraform_rejects_is_an_error(tmp_path: Path) -> None:
    """%{ if } without %{ endif }: Terraform rejects the configuration, so that is an error at
    the ``%{`` (it was a note, then), as in a heredoc; the string is unknown, the rest of the
    statement read."""
    text = json_document(["s3:GetObject", "s3:%{ if var.rw }*"], ["arn:aws:s3:::b/*"])
    (tmp_path / "main.tf.json").write_text(text)
    inventory, report = read_inventory([str(tmp_path)])
    assert [(e.line, e.column, e.message) for e in report.errors] == [
        (*place(text, "%{ if var.rw }"), "invalid HCL: %{ if } without its %{ endif }")
    ]
    assert report.notices == []
    [policy] = inventory.standalone_policies
    assert [value.text for value in policy.statements[0].actions] == ["s3:GetObject", None]


def tf_json_policy(policy: str) -> str:
    """A ``.tf.json`` module of one ``aws_iam_policy`` whose ``policy`` string is ``policy``
    (the string's value: JSON escapes it in the file); ``var.on`` has no default."""
    return json.dumps(
        {
            "variable": {"on": {"type": "bool"}},
            "resource": {"aws_iam_policy": {"p": {"name": "p", "policy": policy}}},
        },
        indent=1,
    )


ACTION_OF = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ACTION,'
ACTION_OF += ' "Resource": "*"}]}'


def test_a_tf_json_string_is_the_template_its_json_unescapes(tmp_path: Path) -> None:
    """Guard: ``\\"`` in the file is a quote of the string's value, the template
    ``${var.on ? "*" : "b"}``: both branches read (RL201 for "*", RL605 for "b")."""
    text = tf_json_policy(ACTION_OF.replace("ACTION", '"${var.on ? "*" : "b"}"'))
    assert '\\"${var.on ? \\"*\\" : \\"b\\"}\\"' in text
    report = lint(tmp_path, text, "main.tf.json")
    assert sorted(f.rule_id for f in report.findings) == ["RL201", "RL605"]


# The string's value holds what HCL's template syntax rejects, which Terraform parses when it
# evaluates the string: an escaped quote inside a ${...} (a backslash is no character of an
# expression), a ${ no } ends, a line feed in a quoted string of a ${...}.  Each was a note
# ("an interpolation rolelint cannot parse") or read as literal text, or as a space.
REJECTED_IN_JSON = {
    "escaped-quote": ('"${var.on ? \\"*\\" : \\"b\\"}"', "invalid HCL: "),
    "unclosed": ('"arn:aws:s3:::${var.on"', "invalid HCL: unclosed template interpolation"),
    "line-feed": ('"${lower("A\nB")}"', "invalid HCL: invalid multi-line string"),
}


@pytest.mark.parametrize(("action", "error"), REJECTED_IN_JSON.values(), ids=REJECTED_IN_JSON)
def test_a_tf_json_string_terraform_rejects_is_an_error(
    tmp_path: Path, action: str, error: str
) -> None:
    """An error in the file where the policy's string is (exit 2, as in a heredoc), the
    policy not analyzed, with a note saying Terraform rejects it."""
    text = tf_json_policy(ACTION_OF.replace("ACTION", action))
    (tmp_path / "main.tf.json").write_text(text)
    report = lint_paths([str(tmp_path)])
    [problem] = report.errors
    assert problem.line == line_of(text, '"policy"') and problem.message.startswith(error)
    assert report.findings == []
    [notice] = report.notices
    assert notice.message.startswith(
        f"the policy aws_iam_policy.p is not analyzed: a template Terraform refuses, {error}"
    )


def test_a_tf_json_variable_default_is_no_template_terraform_rejects(tmp_path: Path) -> None:
    """Guard: Terraform reads a default with no evaluation context, a string of Terraform's
    JSON syntax as its text: a ``${`` no ``}`` ends there is no error."""
    policy = (
        '${jsonencode({Version = "2012-10-17", Statement = [{Effect = "Allow",'
        ' Action = "s3:GetObject", Resource = var.arn}]})}'
    )
    text = json.dumps(
        {
            "variable": {"arn": {"type": "string", "default": "arn:aws:s3:::${b"}},
            "resource": {"aws_iam_policy": {"p": {"name": "p", "policy": policy}}},
        }
    )
    (tmp_path / "main.tf.json").write_text(text)
    assert lint_paths([str(tmp_path)]).errors == []


ENCODED_VALUES = """\
variable "arns_json" {
  default = "[]"
}
locals {
  arns = jsonencode(["arn:aws:s3:::a/*"])
}
resource "aws_iam_role" "r" {
  name = "r"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{
    Effect    = "Allow",
    Principal = { AWS = jsonencode(["arn:aws:iam::111122223333:root"]) },
    Action    = "sts:AssumeRole"
  }] })
}
resource "aws_iam_role_policy" "p" {
  role   = aws_iam_role.r.id
  policy = jsonencode({ Version = "2012-10-17", Statement = [
    { Effect = "Allow", Action = "s3:GetObject", Resource = jsonencode(["arn:aws:s3:::a/*"]) },
    { Effect = "Allow", Action = "s3:PutObject", Resource = [local.arns, "arn:aws:s3:::b/*"] },
  ] })
}
"""


@pytest.mark.parametrize("command", [["roles"], ["show", "aws_iam_role.r"], ["report", "-o"]])
def test_values_jsonencode_made_of_lists_are_judged_by_the_audit(
    tmp_path: Path, command: list[str]
) -> None:
    """Regression hunt: a Resource or Principal jsonencode() made of a list (a string in
    Terraform, whose tree rolelint keeps) crashed roles, show and report ("internal error:
    TypeError: unhashable type: 'EncodedSeq'"): the audit keys what it judged by the values,
    and the kept tree was part of a value's hash.  check read them (RL608 on the text)."""
    from tests.conftest import run_rolelint

    (tmp_path / "main.tf").write_text(ENCODED_VALUES)
    args = [*command, str(tmp_path / "out.html")] if command[-1] == "-o" else command
    done = run_rolelint(*args, str(tmp_path / "main.tf"))
    assert done.returncode == 0, done.stderr
    assert "internal error" not in done.stderr


# ``(foo) = 1``: a parenthesised key is an expression, and a name alone that no ``for`` and no
# block binds is no reference Terraform knows ("Invalid reference").  The object, and the policy
# jsonencode()d around it, was unknown without a word: an Allow of "*" on "*" gave 0 findings,
# 0 errors, 0 notes.
ADMIN_WITH_KEY = (
    'jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "*",'
    ' Resource = "*", KEY = 1 }] })'
)


def test_a_key_naming_nothing_is_an_error_at_the_key(tmp_path: Path) -> None:
    """Terraform surely evaluates the policy: an error of the run (exit 2) at the key."""
    text = inline_policy(ADMIN_WITH_KEY.replace("KEY", "(foo)"))
    (tmp_path / "main.tf").write_text(text)
    report = lint_paths([str(tmp_path)])
    line, column = place(text, "(foo)")
    assert [(e.line, e.column, "(foo) names nothing" in e.message) for e in report.errors] == [
        (line, column, True)
    ]


def test_a_key_naming_nothing_read_tentatively_is_a_note(tmp_path: Path) -> None:
    """Inside try(), Terraform's failure is the fallback's: a note at the key, no error."""
    text = inline_policy(ADMIN_WITH_KEY.replace("KEY = 1", 'Sid = try({ (foo) = 1 }, "s")'))
    report = lint(tmp_path, text)
    line, column = place(text, "(foo)")
    assert [(n.line, n.column) for n in report.notices if "(foo)" in n.message] == [(line, column)]


def test_a_key_naming_nothing_in_a_template_file_is_a_note(tmp_path: Path) -> None:
    """In a template the name may be one of its variables, not given: a note, never an error."""
    (tmp_path / "p.tpl").write_text("${" + ADMIN_WITH_KEY.replace("KEY", "(foo)") + "}")
    text = inline_policy('templatefile("${path.module}/p.tpl", {})')
    report = lint(tmp_path, text)
    assert [n.file.endswith("p.tpl") for n in report.notices if "(foo)" in n.message] == [True]


def test_a_key_a_for_binds_is_read(tmp_path: Path) -> None:
    """Guard: ``(k)`` of a ``for`` is its value: the key is known and the policy judged."""
    policy = ADMIN_WITH_KEY.replace("KEY = 1", 'Sid = [for k in ["a"] : { (k) = 1 }]')
    report = lint(tmp_path, inline_policy(policy))
    assert report.notices == [] and "(k)" not in str(report.findings)


# ``(var.key) = ...``: a key Terraform knows only at apply makes the whole object unknown (hclsyntax
# ObjectConsExpr.Value returns cty.DynamicVal when a key is unknown), and rolelint kept it so;
# but inside a policy nothing said so: a statement so written vanished from the policy (an
# Allow of "*" on "*" gave no finding and no note), and a condition operator's map so keyed was
# a condition rolelint cannot resolve, silently.
KEYED = 'variable "key" {\n  type = string\n}\n'
KEY_NOT_KNOWN_PLACES = {
    "statement": ADMIN_WITH_KEY.replace("KEY", "(var.key)"),
    "condition": ADMIN_WITH_KEY.replace(
        "KEY = 1", 'Condition = { StringEquals = { (var.key) = "x" } }'
    ),
}


@pytest.mark.parametrize("policy", KEY_NOT_KNOWN_PLACES.values(), ids=KEY_NOT_KNOWN_PLACES.keys())
def test_a_key_not_known_in_a_policy_is_a_note_at_the_key(tmp_path: Path, policy: str) -> None:
    """One note, at the key, saying the object is read as a value not known, and why: a root
    variable without a default, which the deployment gives at plan (it was called "not known
    before apply"); never an error, and the object is never read as a wildcard (no RL201: the
    statement is not analyzed, or its condition may limit it)."""
    text = inline_policy(policy, KEYED)
    report = lint(tmp_path, text)
    line, column = place(text, "(var.key)")
    assert [(n.line, n.column) for n in report.notices] == [(line, column)]
    assert "whose key is not known (variable key has no default)" in report.notices[0].message
    assert "apply" not in report.notices[0].message
    assert report.findings == []


@pytest.mark.parametrize("policy", KEY_NOT_KNOWN_PLACES.values(), ids=KEY_NOT_KNOWN_PLACES.keys())
def test_a_key_known_only_after_apply_is_a_note_saying_so(tmp_path: Path, policy: str) -> None:
    """A resource's attribute AWS gives at apply: there Terraform itself knows none of the
    object's keys before apply, and the note says so, at the key."""
    text = inline_policy(policy.replace("var.key", "aws_iam_role.r.unique_id"))
    report = lint(tmp_path, text)
    line, column = place(text, "(aws_iam_role.r.unique_id)")
    assert [(n.line, n.column) for n in report.notices] == [(line, column)]
    assert "whose key is not known before apply: Terraform knows" in report.notices[0].message
    assert report.findings == []


def test_a_whole_policy_keyed_by_a_variable_says_why(tmp_path: Path) -> None:
    """A document that is an object so keyed: its note gives the key's reason too."""
    text = inline_policy('jsonencode({ (var.key) = "2012-10-17" })', KEYED)
    report = lint(tmp_path, text)
    assert [n.message for n in report.notices] == [
        "the inline policy aws_iam_role_policy.p is not analyzed: object key not known"
        " (variable key has no default)"
    ]


def test_a_condition_keyed_by_a_key_not_known_stays_a_condition(tmp_path: Path) -> None:
    """The statement is kept, its condition one rolelint cannot resolve (never dropped)."""
    policy = KEY_NOT_KNOWN_PLACES["condition"]
    (tmp_path / "main.tf").write_text(inline_policy(policy, KEYED))
    inventory, _ = read_inventory([str(tmp_path)])
    [role] = inventory.roles
    [statement] = [s for document in role.policies for s in document.statements]
    assert [value.text for value in statement.actions] == ["*"]
    assert [(c.operator, c.key) for c in statement.conditions] == [("StringEquals", UNRESOLVED_KEY)]


def test_a_key_not_known_outside_a_policy_says_nothing(tmp_path: Path) -> None:
    """Guard: an object of a local no policy reads is unknown, as in Terraform, and no note."""
    before = KEYED + 'locals {\n  m = { (var.key) = 1 }\n}\noutput "m" {\n  value = local.m\n}\n'
    report = lint(tmp_path, inline_policy(ADMIN_WITH_KEY.replace(", KEY = 1", ""), before))
    assert report.notices == []
    assert [f.rule_id for f in report.findings] == ["RL201"]


# A jsonencode()d list or map is a string: Terraform neither indexes it, nor reads its
# attributes, nor iterates it in a ``for`` or a ``...``, and fails the plan; ``[*]`` of it is a
# list of that one string.  rolelint read the list or map it encodes (RL201 for each below).
ENCODED_LOCALS = 'locals {\n  e = jsonencode(["*"])\n  m = jsonencode({ a = "*" })\n}\n'
STRING_AS_COLLECTION = {
    "index": ("local.e[0]", "indexes"),
    "attribute": ("local.m.a", "indexes"),
    "for": ("[for x in local.e : x]", "a for expression iterates"),
    "expansion": ('format("%s", local.e...)', "format(...) expands"),
}


@pytest.mark.parametrize(
    ("resource", "what"), STRING_AS_COLLECTION.values(), ids=STRING_AS_COLLECTION.keys()
)
def test_an_encoded_string_used_as_a_collection_is_not_analyzed(
    tmp_path: Path, resource: str, what: str
) -> None:
    """No RL201: the Resource is unknown, with a note at it saying Terraform refuses it."""
    policy = ADMIN_WITH_KEY.replace(", KEY = 1", "").replace(
        'Resource = "*"', f"Resource = {resource}"
    )
    text = inline_policy(policy, ENCODED_LOCALS)
    report = lint(tmp_path, text)
    assert "RL201" not in [f.rule_id for f in report.findings]
    line, column = place(text, resource)
    assert [(n.line, n.column, n.message.startswith(what)) for n in report.notices] == [
        (line, column, True)
    ]


def test_a_splat_of_an_encoded_string_is_a_list_of_that_string(tmp_path: Path) -> None:
    """``local.e[*]`` is ``[local.e]``: the Resource '["*"]', which is no ARN (RL608), not "*"."""
    policy = ADMIN_WITH_KEY.replace(", KEY = 1", "").replace(
        'Resource = "*"', "Resource = local.e[*]"
    )
    report = lint(tmp_path, inline_policy(policy, ENCODED_LOCALS))
    assert report.notices == []
    resources = [f.message for f in report.findings if f.rule_id == "RL608"]
    assert "RL201" not in [f.rule_id for f in report.findings] and len(resources) == 1
    assert """'["*"]'""" in resources[0]


# A statement rolelint cannot resolve (a variable without a default, a list concat() makes of
# one) was skipped by the policy builder without a word: ``Statement = var.statements`` gave no
# finding and no note, as if the policy allowed nothing.  It is still not analyzed (never read
# as a wildcard, never a finding of its own), the statements known beside it are, and a note at
# it says so.
UNKNOWN_STATEMENT_INPUTS = (
    'variable "s" {}\nvariable "c" {\n  type = bool\n}\n'
    'locals {\n  known = [{ Effect = "Allow", Action = "*", Resource = "*" }]\n}\n'
)
ADMIN_STATEMENT = '{ Effect = "Allow", Action = "*", Resource = "*" }'
UNKNOWN_STATEMENTS = {
    "an-item": (f"[var.s, {ADMIN_STATEMENT}]", "var.s", "a statement of", ["RL201"]),
    "the-list": ("var.s", "var.s", "the statements of", []),
    "a-concat": ("concat(local.known, var.s)", "concat(", "the statements of", []),
    "one-branch": (f"var.c ? [{ADMIN_STATEMENT}] : var.s", "var.s", "the statements of", ["RL201"]),
}


@pytest.mark.parametrize(
    ("statement", "noted_at", "what", "rules"),
    UNKNOWN_STATEMENTS.values(),
    ids=UNKNOWN_STATEMENTS.keys(),
)
def test_a_statement_not_known_is_a_note_at_it(
    tmp_path: Path, statement: str, noted_at: str, what: str, rules: list[str]
) -> None:
    """One note at the statement (or the whole Statement) not known, where its value is
    written, with why; the known statements judged (RL201), no finding of the one not
    known."""
    policy = f'jsonencode({{ Version = "2012-10-17", Statement = {statement} }})'
    text = inline_policy(policy, UNKNOWN_STATEMENT_INPUTS)
    report = lint(tmp_path, text)
    origin = "inline policy aws_iam_role_policy.p"
    message = f"{what} the {origin} {'is' if what.startswith('a ') else 'are'} not analyzed"
    assert [(n.line, n.column, n.message) for n in report.notices] == [
        (*place(text, noted_at), f"{message}: variable s has no default")
    ]
    assert [f.rule_id for f in report.findings] == rules
    # In the policy's own statement (not the local's).
    line = line_of(text, "  policy = ")
    start = text.splitlines()[line - 1].find(ADMIN_STATEMENT) + 1
    inside = range(start, start + len(ADMIN_STATEMENT))
    assert all(f.location.line == line and f.location.column in inside for f in report.findings)


def test_a_heredoc_statement_not_known_is_a_note_at_it(tmp_path: Path) -> None:
    """``"Statement": [${jsonencode(var.s)}, {...}]``: the same note, at the variable."""
    text = heredoc_policy(
        '    ${jsonencode(var.s)},\n    {"Effect": "Allow", "Action": "*", "Resource": "*"}',
        'variable "s" {}\n',
    )
    report = lint(tmp_path, text)
    assert [(n.line, n.column) for n in report.notices] == [place(text, "var.s)}")]
    assert report.notices[0].message.startswith("a statement of the ")
    assert report.notices[0].message.endswith(" is not analyzed: variable s has no default")
    assert [f.rule_id for f in report.findings] == ["RL201"]


def test_a_statement_known_only_at_deployment_elsewhere_says_nothing(tmp_path: Path) -> None:
    """Guard: statements whose values alone are not known (``Resource = var.s``) are analyzed
    as ever, without a note; the statement is known."""
    policy = (
        'jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow",'
        ' Action = "s3:GetObject", Resource = var.s }] })'
    )
    report = lint(tmp_path, inline_policy(policy, 'variable "s" {}\n'))
    assert report.notices == []


def test_a_statement_not_known_of_another_file_is_noted_there(tmp_path: Path) -> None:
    """``Statement = local.statements`` of a local another file writes: the note is in that
    file, at the value not known, as the known statement's finding is."""
    (tmp_path / "locals.tf").write_text(
        'variable "s" {}\nlocals {\n  statements = [\n    var.s,\n    '
        + ADMIN_STATEMENT
        + ",\n  ]\n}\n"
    )
    report = lint(
        tmp_path,
        'resource "aws_iam_policy" "p" {\n  name   = "p"\n'
        '  policy = jsonencode({ Version = "2012-10-17", Statement = local.statements })\n}\n',
    )
    assert [(Path(n.file).name, n.line, n.column) for n in report.notices] == [("locals.tf", 4, 5)]
    assert [(f.rule_id, Path(f.file).name) for f in report.findings] == [("RL201", "locals.tf")]
