"""Terraform input Terraform itself rejects: each is the file's error at its place (exit 2),
and the rest of the run is analyzed, as every syntax error is."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rolelint.api import lint_paths
from tests.conftest import run_rolelint

# An admin policy in a folder of its own: the run must go on to report it.
ADMIN_MODULE = (
    'resource "aws_iam_policy" "admin" {\n  name   = "admin"\n'
    '  policy = jsonencode({Version = "2012-10-17",\n'
    '    Statement = [{Effect = "Allow", Action = "*", Resource = "*"}]})\n}\n'
)


def quoted_policy(resource: str, before: str = "") -> str:
    """A module of one ``aws_iam_policy`` whose statement's Resource is ``resource`` (an HCL
    expression), after ``before`` (more of the module)."""
    return (
        before
        + 'resource "aws_iam_policy" "p" {\n  name   = "p"\n  policy = jsonencode({\n'
        + '    Version = "2012-10-17",\n'
        + '    Statement = [{Effect = "Allow", Action = "s3:PutObject",\n'
        + f"                  Resource = {resource}}}]\n"
        + "  })\n}\n"
    )


def check_beside_admin(
    tmp_path: Path, files: dict[str, str | bytes]
) -> tuple[list[tuple[str, int, int | None, str]], list[tuple[str, str]]]:
    """Run the command line on folder ``bad`` holding ``files`` and a folder holding an admin
    policy; assert it exits 2 and answer the errors (file name, line, column, message) and the
    findings (folder, rule)."""
    (tmp_path / "bad").mkdir()
    for name, text in files.items():
        written = text if isinstance(text, bytes) else text.encode()
        (tmp_path / "bad" / name).write_bytes(written)
    (tmp_path / "admin").mkdir()
    (tmp_path / "admin" / "main.tf").write_text(ADMIN_MODULE)
    result = run_rolelint("check", str(tmp_path), "--no-cache", "-f", "json")
    assert result.returncode == 2, (result.stdout, result.stderr)
    document = json.loads(result.stdout)
    errors = [
        (Path(e["file"]).name, e["line"], e["column"], e["message"]) for e in document["errors"]
    ]
    findings = [(Path(f["file"]).parent.name, f["rule_id"]) for f in document["findings"]]
    return errors, findings


MULTI_LINE_STRING = (
    "invalid HCL: invalid multi-line string: a quoted string may not be split over several"
    " lines (write \\n)"
)


def test_a_line_feed_in_a_quoted_string_is_the_file_s_error(tmp_path: Path) -> None:
    """``Resource = "*<LF>"``: Terraform rejects the file ("Invalid multi-line string"); rolelint
    read the string as "*\\n" and the policy on.  The error is at the line feed."""
    text = quoted_policy('"arn:aws:s3:::b/*\n"')
    offset = text.index("*\n")
    line = text.count("\n", 0, offset) + 1
    column = offset + 1 - text.rfind("\n", 0, offset)
    errors, findings = check_beside_admin(tmp_path, {"main.tf": text})
    assert errors == [("main.tf", line, column, MULTI_LINE_STRING)]
    assert findings == [("admin", "RL201")]


CONDITION = 'variable "c" {\n  type = bool\n}\n'
LIST = 'locals {\n  list = ["arn:aws:s3:::b/*"]\n}\n'
# Results no one type holds: a tuple (written, or a local's, or a typed variable's) and a string.
INCONSISTENT = {
    "local-list-and-string": ('var.c ? local.list : "*"', LIST, "a tuple and a string"),
    "string-and-tuple": ('var.c ? "*" : ["arn:aws:s3:::b/*"]', "", "a string and a tuple"),
    "typed-variable": (
        'var.c ? var.arns : "*"',
        'variable "arns" {\n  type = list(string)\n}\n',
        "a list and a string",
    ),
    "for-expression": ('var.c ? [for a in local.list : a] : "*"', LIST, "a tuple and a string"),
}


@pytest.mark.parametrize(
    ("resource", "more", "types"), INCONSISTENT.values(), ids=INCONSISTENT.keys()
)
def test_a_conditional_of_a_list_and_a_string_is_the_file_s_error(
    tmp_path: Path, resource: str, more: str, types: str
) -> None:
    """HCL unifies the results' types before it reads the condition, and fails: Terraform
    rejects the configuration whatever ``c`` is.  rolelint judged the ``"*"`` branch (RL203
    on s3:PutObject on "*"); it is now the error at the conditional's results, the policy
    not judged, the rest of the run analyzed."""
    text = quoted_policy(resource, CONDITION + more)
    offset = text.index(resource) + len("var.c ? ")
    line = text.count("\n", 0, offset) + 1
    column = offset + 1 - text.rfind("\n", 0, offset) - 1
    errors, findings = check_beside_admin(tmp_path, {"main.tf": text})
    message = (
        "Terraform rejects this conditional whatever its condition: its results are"
        f" {types}, which no one type holds (inconsistent conditional result types)"
    )
    assert errors == [("main.tf", line, column, message)]
    assert findings == [("admin", "RL201")]


# Results HCL unifies, or whose types depend on values: both branches judged as before.
CONSISTENT = {
    "tuple-and-list": ('var.c ? ["*"] : var.arns', 'variable "arns" {\n  type = list(string)\n}\n'),
    "number-and-string": ('var.c ? 1 : "*"', ""),
    "null-and-tuple": ('var.c ? null : ["*"]', ""),
    "untyped-variable": ('var.c ? var.arns : "*"', 'variable "arns" {\n  default = ["x"]\n}\n'),
    "lone-interpolation": ('var.c ? "${var.arns}" : "*"', 'variable "arns" {}\n'),
    "any-type": ('var.c ? var.arns : "*"', 'variable "arns" {\n  type = any\n}\n'),
}


@pytest.mark.parametrize(("resource", "more"), CONSISTENT.values(), ids=CONSISTENT.keys())
def test_a_conditional_whose_results_unify_is_judged_as_before(
    tmp_path: Path, resource: str, more: str
) -> None:
    """Guard: no error; the "*" option is judged (RL203)."""
    (tmp_path / "main.tf").write_text(quoted_policy(resource, CONDITION + more))
    report = lint_paths([str(tmp_path)])
    assert report.errors == []
    assert "RL203" in {f.rule_id for f in report.findings}


def heredoc_policy(resource: str, before: str = "") -> str:
    """A module of one ``aws_iam_policy`` written as a heredoc of JSON whose statement's
    Resource is the JSON string ``"resource"``, after ``before``."""
    return (
        before
        + 'resource "aws_iam_policy" "p" {\n  name   = "p"\n  policy = <<EOT\n'
        + '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow",\n'
        + f'  "Action": "s3:PutObject", "Resource": "{resource}"}}]}}\n'
        + "EOT\n}\n"
    )


# A conditional one of whose results is jsonencode(...) (rendered branch by branch into the
# JSON string), the other a tuple: a string and a tuple, which no one type holds.
ENCODED_INCONSISTENT = {
    "encoded-then-tuple": ('${var.c ? jsonencode(1) : ["*"]}', "a string and a tuple"),
    "tuple-then-encoded": ("${var.c ? local.list : jsonencode(1)}", "a tuple and a string"),
}


@pytest.mark.parametrize(
    ("resource", "types"), ENCODED_INCONSISTENT.values(), ids=ENCODED_INCONSISTENT.keys()
)
def test_a_conditional_of_jsonencode_and_a_list_in_json_text_is_the_file_s_error(
    tmp_path: Path, resource: str, types: str
) -> None:
    """A conditional rendered into JSON text whose branch is ``jsonencode(...)`` was not typed
    as every other conditional is: the tuple's branch was a note ("interpolates a list"), the
    error Terraform gives whatever ``c`` is never said.  It is now that error at its results."""
    text = heredoc_policy(resource, CONDITION + LIST)
    offset = text.index(resource) + len("${var.c ? ")
    line = text.count("\n", 0, offset) + 1
    column = offset - text.rfind("\n", 0, offset)
    errors, findings = check_beside_admin(tmp_path, {"main.tf": text})
    message = (
        "Terraform rejects this conditional whatever its condition: its results are"
        f" {types}, which no one type holds (inconsistent conditional result types)"
    )
    assert errors == [("main.tf", line, column, message)]
    assert findings == [("admin", "RL201")]


def test_a_conditional_of_jsonencode_and_a_string_in_json_text_is_judged(tmp_path: Path) -> None:
    """Guard: ``jsonencode(x)`` and a string unify (both strings): each branch is judged, the
    ``"*"`` included (RL203), and no error."""
    (tmp_path / "main.tf").write_text(heredoc_policy('${var.c ? jsonencode(1) : "*"}', CONDITION))
    report = lint_paths([str(tmp_path)])
    assert report.errors == []
    assert "RL203" in {f.rule_id for f in report.findings}


def test_object_items_without_a_separator_are_the_file_s_error(tmp_path: Path) -> None:
    """``{Effect = "Allow" Action = ...}``: HCL's object constructor needs a comma or a line
    break after each item but the last ("Missing attribute separator"), and Terraform rejects
    the file; rolelint read the statement on (RL203 of its "*").  The error is at the item
    that follows the value."""
    text = quoted_policy('"*"').replace('Effect = "Allow",', 'Effect = "Allow"')
    offset = text.index('Action = "s3')
    line = text.count("\n", 0, offset) + 1
    column = offset - text.rfind("\n", 0, offset)
    errors, findings = check_beside_admin(tmp_path, {"main.tf": text})
    assert errors == [("main.tf", line, column, "invalid HCL: unexpected 'Action'")]
    assert findings == [("admin", "RL201")]


def test_a_result_on_the_line_after_the_question_mark_is_the_file_s_error(tmp_path: Path) -> None:
    """``Resource = var.c ?<LF>"*" : ...`` in a statement's braces: HCL reads the result with
    the line breaks of the object, and the line break stands where an expression must
    ("Invalid expression"); Terraform rejects the file.  rolelint read the next line as the
    conditional's results (RL203 of its "*").  The error is at the line break."""
    text = quoted_policy('var.c ?\n    "*" : "arn:aws:s3:::b/*"', CONDITION)
    offset = text.index("?\n") + 1
    line = text.count("\n", 0, offset) + 1
    column = offset - text.rfind("\n", 0, offset)
    errors, findings = check_beside_admin(tmp_path, {"main.tf": text})
    assert errors == [("main.tf", line, column, "invalid HCL: unexpected end of line")]
    assert findings == [("admin", "RL201")]


@pytest.mark.parametrize(
    ("written", "replaced", "at", "message"),
    [
        ('  name   = "p"\n  policy', '  name   = "p" policy', "policy =", "unexpected 'policy'"),
        ('"p" {\n', '"p"\n{\n', "\n{\n  name", "unexpected end of line"),
    ],
    ids=["two-arguments-on-a-line", "brace-on-the-next-line"],
)
def test_a_body_item_without_its_line_break_is_the_file_s_error(
    tmp_path: Path, written: str, replaced: str, at: str, message: str
) -> None:
    """``name = "p" policy = jsonencode(...)`` on one line, or a block's ``{`` on the line after
    its labels: HCL's body needs a line break after each argument and block ("Missing newline
    after argument") and the ``{`` on the header's line ("Invalid block definition"), and
    Terraform rejects the file; rolelint read the policy on (RL203 of its "*")."""
    text = quoted_policy('"*"').replace(written, replaced, 1)
    offset = text.index(at)
    line = text.count("\n", 0, offset) + 1
    column = offset - text.rfind("\n", 0, offset)
    errors, findings = check_beside_admin(tmp_path, {"main.tf": text})
    assert errors == [("main.tf", line, column, f"invalid HCL: {message}")]
    assert findings == [("admin", "RL201")]
