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
- An interpolation rolelint cannot parse left its string unknown without a word; one that
  Terraform rejects (a syntax error), or nested deeper than rolelint reads, was then a note
  where the same text in a quoted string is an error: it is now that error.
- A ``%{ if }`` or ``%{ for }`` directive inside a JSON string left that string unknown
  without a word, and one whose expression holds quotes (``%{ if var.env == "prod" }``) ended
  the JSON string early: the whole policy was "not analyzed".  They are now rendered as
  Terraform renders them (an unknown condition gives both branches, as ``${c ? a : b}`` does);
  a string whose directives cannot be rendered is unknown, with a note.  A directive Terraform
  rejects (a syntax error, directives that do not nest in the whole template) was such a note,
  and is now an error at its line, as a ``${...}`` Terraform rejects is.
- ``"${jsonencode(x)}"`` inside a JSON string renders x's JSON text there, quotes included:
  ``"Resource": ""arn:aws:s3:::b/*""`` is no JSON (Terraform's provider or IAM rejects the
  policy), ``"["a","*"]"`` neither.  rolelint's jsonencode() keeps the tree (right for a
  whole policy, or a value spliced in place of a JSON value), so the string was read as the
  ARN unencoded, or as the list itself (RL203 for the "*" of a policy never deployed).  Such
  a string is now unknown, with a note; text without quotes is read as the text it is.
- A quoted string inside an interpolation is a template of its own: the text of a string in
  its ``${...}`` ("//", "#", "}") was read as expression, a comment or a brace, and the JSON
  string never ended (the whole policy "not analyzed").
- A directive written over lines of a JSON string, whose strip markers take its line breaks
  out, left the whole policy "not analyzed": the line breaks are no JSON as written, and
  none is left once Terraform renders it.  A marker strips to the end of its line only.
- An interpolation no ``}`` ends was read as literal text, and a line feed in a quoted string
  of an interpolation as a space; HCL rejects both ("Unclosed template interpolation
  sequence", "Invalid multi-line string"): each is now an error at its place, as a syntax
  error of the heredoc or template is.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rolelint.api import lint_paths
from rolelint.parsers.hcl_adapter import (
    EXPRESSION_TOO_DEEP,
    MULTI_LINE_STRING,
    UNCLOSED,
    flushed_lines,
)
from rolelint.source import Span
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


ADMIN = '    {"Effect": "Allow", "Action": "*", "Resource": "*"},\n'
# An interpolation Terraform rejects in a JSON string, and the same text in a quoted HCL
# string; one nested deeper than rolelint reads an expression.
SYNTAX_ERROR = "${var.on ? }"
NESTED_DEEP = "${" + "[" * 150 + '"*"' + "]" * 150 + "}"


def quoted_policy(resource: str) -> str:
    """The module of :func:`heredoc_policy` with ``resource`` in an HCL quoted string."""
    return (
        ON
        + 'resource "aws_iam_policy" "p" {\n  name   = "p"\n  policy = jsonencode({\n'
        + '    Version = "2012-10-17",\n'
        + '    Statement = [{Effect = "Allow", Action = "s3:PutObject",\n'
        + f'                  Resource = "{resource}"}}]\n'
        + "  })\n}\n"
    )


@pytest.mark.parametrize(
    ("interpolation", "message"),
    [(SYNTAX_ERROR, "invalid HCL: unexpected '}'"), (NESTED_DEEP, EXPRESSION_TOO_DEEP)],
    ids=["syntax error", "nested too deep"],
)
def test_an_interpolation_a_file_rejects_is_an_error_in_a_heredoc_as_in_a_quoted_string(
    tmp_path: Path, interpolation: str, message: str
) -> None:
    """In a heredoc's JSON string it was a note ("this string is not analyzed: it holds an
    interpolation rolelint cannot parse") and exit 0, in a quoted string an error and exit 2:
    Terraform rejects both files (and rolelint a file nested that deep).  Now both are the
    same error at the file's line, and the rest of the run is analyzed."""
    heredoc = heredoc_policy(statement(f'"{interpolation}"'), ON)
    for name, text in [
        ("heredoc", heredoc),
        ("quoted", quoted_policy(interpolation)),
        ("admin", heredoc_policy(ADMIN.rstrip(",\n"))),
    ]:
        (tmp_path / name).mkdir()
        (tmp_path / name / "main.tf").write_text(text)
    result = run_rolelint("check", str(tmp_path), "--no-cache", "-f", "json")
    assert result.returncode == 2, result.stderr
    document = json.loads(result.stdout)
    errors = {Path(e["file"]).parent.name: e for e in document["errors"]}
    assert {name: error["message"] for name, error in errors.items()} == {
        "heredoc": message,
        "quoted": message,
    }
    line, column = place(heredoc, interpolation)
    at = column + len("${") + 100 if interpolation == NESTED_DEEP else column + 11  # its "}"
    assert (errors["heredoc"]["line"], errors["heredoc"]["column"]) == (line, at)
    assert [(Path(f["file"]).parent.name, f["rule_id"]) for f in document["findings"]] == [
        ("admin", "RL201")
    ]
    assert document["notices"] == []


def test_a_spliced_value_a_file_rejects_is_an_error(tmp_path: Path) -> None:
    """A ``${...}`` written in place of a JSON value: a note, "this value is not analyzed"."""
    text = heredoc_policy(statement("${jsonencode(}"), ON)
    (tmp_path / "main.tf").write_text(text)
    report = lint_paths([str(tmp_path)])
    line, column = place(text, "${jsonencode(}")
    assert [(e.line, e.column, e.message) for e in report.errors] == [
        (line, column + len("${jsonencode("), "invalid HCL: unexpected '}'")
    ]
    assert report.notices == []


def test_a_template_file_with_an_interpolation_terraform_rejects_is_an_error(
    tmp_path: Path,
) -> None:
    """templatefile() fails on it, and nothing of the template is deployed: the error is at
    the template's line (it was a note, and the rest of the template was judged); the rest
    of the module is analyzed."""
    template = (
        '{"Version": "2012-10-17", "Statement": [\n'
        + statement('"${x +}"')
        + ",\n"
        + ADMIN.rstrip(",\n")
        + "]}\n"
    )
    (tmp_path / "policy.json.tpl").write_text(template)
    text = (
        heredoc_policy(ADMIN.rstrip(",\n"))
        + 'resource "aws_iam_policy" "t" {\n  name   = "t"\n'
        + '  policy = templatefile("${path.module}/policy.json.tpl", { x = "s3:*" })\n}\n'
    )
    (tmp_path / "main.tf").write_text(text)
    report = lint_paths([str(tmp_path)])
    line, column = place(template, "${x +}")
    message = "invalid HCL: unexpected '}'"
    assert [(e.file, e.line, e.column, e.message) for e in report.errors] == [
        (str(tmp_path / "policy.json.tpl"), line, column + len("${x +"), message)
    ]
    assert [(f.location.file, f.rule_id) for f in report.findings] == [
        (str(tmp_path / "main.tf"), "RL201")
    ]
    call = "templatefile("
    assert [(n.line, n.column, n.message) for n in report.notices] == [
        (
            *place(text, call),
            "the policy aws_iam_policy.t is not analyzed: "
            f"templatefile('./policy.json.tpl'): {message}",
        )
    ]


ENV = 'variable "env" {\n  default = "prod"\n}\n'
PROD_ONLY = '"%{ if var.env == "prod" }*%{ else }arn:aws:s3:::b/*%{ endif }"'


@pytest.mark.parametrize(("env", "read"), [("prod", "*"), ("dev", "arn:aws:s3:::b/*")])
def test_a_directive_with_quotes_is_rendered(tmp_path: Path, env: str, read: str) -> None:
    """The quotes of ``"prod"`` ended the JSON string: the whole policy was "not analyzed",
    its full-admin statement (RL201) too.  Now the branch the condition takes is read."""
    variables = ENV.replace('"prod"', f'"{env}"')
    text = heredoc_policy(ADMIN + statement(PROD_ONLY), variables)
    assert resources(text, tmp_path) == ["*", read]
    report = lint(tmp_path, text)
    assert report.notices == []
    expected = {("RL201", place(text, '"*"')[0])}
    if env == "prod":
        expected.add(("RL203", place(text, PROD_ONLY)[0]))
    assert {(f.rule_id, f.location.line) for f in report.findings} == expected


def test_a_directive_on_an_unknown_condition_gives_both_branches_paired(tmp_path: Path) -> None:
    """As ``${var.admin ? ... : ...}`` does: the admin's s3:* on the logs (RL202) and the
    reader's s3:GetObject on every resource (RL208), never s3:* on every resource (RL203),
    the directive paired with the interpolation on the same condition."""
    text = heredoc_policy(
        '    {"Effect": "Allow", "Action": "${var.admin ? "s3:*" : "s3:GetObject"}",\n'
        '     "Resource": "%{ if var.admin }arn:aws:s3:::logs/*%{ else }*%{ endif }"}',
        'variable "admin" {\n  type = bool\n}\n',
    )
    assert resources(text, tmp_path) == ["arn:aws:s3:::logs/*", "*"]
    report = lint(tmp_path, text)
    assert report.notices == []
    assert {(f.rule_id, f.location.line) for f in report.findings} == {
        ("RL202", place(text, '"Action"')[0]),
        ("RL208", place(text, '"Resource"')[0]),
    }


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ('arn:aws:s3:::%{ for b in ["x", "y"] }${b}-%{ endfor }/*', "arn:aws:s3:::x-y-/*"),
        (
            'arn:aws:s3:::%{ for i, b in ["x", "y"] }${b}%{ if i == 0 }-%{ endif }%{ endfor }',
            "arn:aws:s3:::x-y",
        ),
        (
            'arn:aws:s3:::%{ for k, v in { b = "2", a = "1" } }${k}${v}%{ endfor }',
            "arn:aws:s3:::a1b2",
        ),
        ("arn:aws:s3:::%{ if true ~}   x   %{~ endif }/*", "arn:aws:s3:::x/*"),
        (
            'arn:aws:s3:::%{ if var.env # is it "prod"?\n == "prod" }p%{ endif }/*',
            "arn:aws:s3:::p/*",
        ),
        ("arn:aws:s3:::a%{ if false }b%{ endif }%%{ x }", "arn:aws:s3:::a%{ x }"),
    ],
    ids=["for", "for-with-key-and-if", "for-over-a-map", "strip-markers", "comment", "escape"],
)
def test_directives_render_as_terraform_renders_them(
    tmp_path: Path, written: str, read: str
) -> None:
    text = heredoc_policy(statement(f'"{written}"'), ENV)
    assert resources(text, tmp_path) == [read]
    assert lint(tmp_path, text).notices == []


DEEP = "%{ if true }" * 51 + "*" + "%{ endif }" * 51


def test_directives_nested_deeper_than_rolelint_reads_leave_their_string_unknown_with_a_note(
    tmp_path: Path,
) -> None:
    """Never the literal text of a directive, never a branch: the string is unknown (it was
    too, but without a word), and the rest of the policy is judged."""
    text = heredoc_policy(ADMIN + statement(f'"{DEEP}"'), ENV)
    assert resources(text, tmp_path) == ["*", None]
    report = lint(tmp_path, text)
    reason = "template directives (%{ }) nested more than 50 deep"
    assert [(n.line, n.column, n.message) for n in report.notices] == [
        (*place(text, f'"{DEEP}"'), f"this string is not analyzed: it holds {reason}")
    ]
    assert [f.rule_id for f in report.findings] == ["RL201"]


def test_a_directive_paired_across_json_strings_leaves_them_unknown_with_a_note(
    tmp_path: Path,
) -> None:
    """Terraform takes the heredoc (its directives nest in the whole template) and writes one
    JSON string or two; rolelint reads a JSON string at a time.  It said Terraform rejects
    each string ("%{ if } without its %{ endif }")."""
    first, second = '"a%{ if var.env == "prod" }"', '"*%{ endif }"'
    text = heredoc_policy(ADMIN + statement(f"[{first}, {second}]"), ENV)
    assert resources(text, tmp_path) == ["*", None, None]
    report = lint(tmp_path, text)
    note = "this string is not analyzed: it holds a template directive (%{ }) paired with one"
    assert [(n.line, n.column, n.message) for n in report.notices] == [
        (*place(text, first), f"{note} outside this JSON string"),
        (*place(text, second), f"{note} outside this JSON string"),
    ]


# Directives Terraform rejects, with where the error is (the first character of ``at`` in the
# string) and what it says: the error the same text gives in a quoted string, or, where
# directives do not nest (which a quoted string's parse takes), rolelint's own.
REJECTED_DIRECTIVES = {
    "no-endif": ("%{ if var.env }*", "%{", "%{ if } without its %{ endif }"),
    "endif-alone": ("*%{ endif }", "%{", "%{ endif } out of place"),
    "mismatched": ("%{ if var.env }*%{ endfor }", "%{ endfor", "%{ endfor } out of place"),
    "unknown-keyword": ("%{ unless var.env }*", "unless", "unexpected 'unless'"),
    "syntax-error": ("%{ if var.env ? }*%{ endif }", "}*", "unexpected '}'"),
    "no-condition": ("%{ if }*%{ endif }", "}*", "unexpected '}'"),
    "text-after-else": ("%{ if true }*%{ else x }%{ endif }", "x }", "unexpected 'x'"),
    "unclosed": (
        "%{ if var.env",
        "%{",
        "a template directive (%{ }) without its closing brace",
    ),
}


@pytest.mark.parametrize(
    ("written", "at", "message"), REJECTED_DIRECTIVES.values(), ids=REJECTED_DIRECTIVES.keys()
)
def test_a_directive_terraform_rejects_is_an_error_at_its_line(
    tmp_path: Path, written: str, at: str, message: str
) -> None:
    """It was a note ("this string is not analyzed: it holds a template directive (%{ })
    Terraform rejects ..." or "... rolelint cannot parse") and exit code 0, the rest of the
    policy judged: Terraform rejects the file, as it rejects a ``${...}`` with a syntax error
    there, which is an error since 715f8ef."""
    text = heredoc_policy(ADMIN + statement(f'"{written}"'), ENV)
    (tmp_path / "main.tf").write_text(text)
    report = lint_paths([str(tmp_path)])
    line, column = place(text, f'"{written}"')
    assert [(e.line, e.column, e.message) for e in report.errors] == [
        (line, column + 1 + written.index(at), f"invalid HCL: {message}")
    ]
    assert report.findings == [] and report.notices == []


def test_the_command_line_says_a_rejected_directive_and_analyzes_the_rest(
    tmp_path: Path,
) -> None:
    """Exit code 2, the error at its line, another module's policy still judged."""
    written, _, message = REJECTED_DIRECTIVES["endif-alone"]
    text = heredoc_policy(statement(f'"{written}"'), ENV)
    for name, module in [("heredoc", text), ("admin", heredoc_policy(ADMIN.rstrip(",\n")))]:
        (tmp_path / name).mkdir()
        (tmp_path / name / "main.tf").write_text(module)
    result = run_rolelint("check", str(tmp_path), "--no-cache", "-f", "json")
    assert result.returncode == 2, result.stderr
    document = json.loads(result.stdout)
    line, column = place(text, written)
    assert [
        (Path(e["file"]).parent.name, e["line"], e["column"], e["message"])
        for e in document["errors"]
    ] == [("heredoc", line, column + 1, f"invalid HCL: {message}")]
    assert [(Path(f["file"]).parent.name, f["rule_id"]) for f in document["findings"]] == [
        ("admin", "RL201")
    ]
    assert document["notices"] == []


def test_a_template_file_with_a_directive_terraform_rejects_is_an_error(tmp_path: Path) -> None:
    """templatefile() fails on it: the error is at the template's line (it was a note on the
    string, and the rest of the template was judged); the module's other policy is."""
    written, at, message = REJECTED_DIRECTIVES["syntax-error"]
    template = (
        '{"Version": "2012-10-17", "Statement": [\n'
        + statement(f'"{written.replace("var.env", "env")}"')
        + ",\n"
        + ADMIN.rstrip(",\n")
        + "]}\n"
    )
    (tmp_path / "policy.json.tpl").write_text(template)
    text = (
        heredoc_policy(ADMIN.rstrip(",\n"))
        + 'resource "aws_iam_policy" "t" {\n  name   = "t"\n'
        + '  policy = templatefile("${path.module}/policy.json.tpl", { env = "prod" })\n}\n'
    )
    (tmp_path / "main.tf").write_text(text)
    report = lint_paths([str(tmp_path)])
    line, column = place(template, at)
    assert [(e.file, e.line, e.column, e.message) for e in report.errors] == [
        (str(tmp_path / "policy.json.tpl"), line, column, f"invalid HCL: {message}")
    ]
    assert [(f.location.file, f.rule_id) for f in report.findings] == [
        (str(tmp_path / "main.tf"), "RL201")
    ]
    assert [(n.line, n.column, n.message) for n in report.notices] == [
        (
            *place(text, "templatefile("),
            "the policy aws_iam_policy.t is not analyzed: "
            f"templatefile('./policy.json.tpl'): invalid HCL: {message}",
        )
    ]


def test_a_directive_over_a_collection_not_known_is_noted(tmp_path: Path) -> None:
    written = '"arn:aws:s3:::%{ for b in var.buckets }${b}%{ endfor }/*"'
    text = heredoc_policy(statement(written), 'variable "buckets" {\n  type = list(string)\n}\n')
    assert resources(text, tmp_path) == [None]
    report = lint(tmp_path, text)
    assert [(n.line, n.column, n.message) for n in report.notices] == [
        (
            *place(text, written),
            "this string is not analyzed: the collection of its %{ for } is not known: "
            "variable buckets has no default",
        )
    ]


def test_a_template_file_renders_its_directives_the_same_way(tmp_path: Path) -> None:
    """templatefile(): the quotes of ``"prod"`` made the policy "not analyzed" there too."""
    written = PROD_ONLY.replace("var.env", "env")
    template = '{"Version": "2012-10-17", "Statement": [\n' + statement(written) + "]}\n"
    (tmp_path / "policy.json.tpl").write_text(template)
    text = (
        'resource "aws_iam_policy" "p" {\n  name   = "p"\n'
        '  policy = templatefile("${path.module}/policy.json.tpl", { env = "prod" })\n}\n'
    )
    report = lint(tmp_path, text)
    assert report.notices == []
    assert placed_findings(report) == [("RL203", at(template, written))]


ENCODED = (
    "this string is not analyzed: its ${jsonencode(...)} writes JSON text into the string as"
    " it is, quotes included: the JSON Terraform makes is not the one written (most often no"
    " JSON at all, which IAM rejects); a value inside a string is written without jsonencode()"
)
ENCODES = 'locals {\n  arn  = "arn:aws:s3:::b/*"\n  arns = ["arn:aws:s3:::b/*", "*"]\n}\n'


@pytest.mark.parametrize(
    "written",
    [
        '"${jsonencode(local.arn)}"',
        '"${jsonencode(local.arns)}"',
        '"arn:aws:s3:::${jsonencode(["*"])}"',
        '"${jsonencode({ a = 1 })}"',
        '"${var.on ? jsonencode(local.arn) : "x"}"',
    ],
    ids=["string", "list", "after-text", "object", "in-a-conditional"],
)
def test_jsonencode_inside_a_string_writes_quotes_and_is_noted(
    tmp_path: Path, written: str
) -> None:
    """The string was read as ``local.arn`` unencoded, as the list ``local.arns`` (a nested
    tree, RL203 for its "*"), or, after text, unknown without a word."""
    text = heredoc_policy(ADMIN + statement(written), ENCODES + ON)
    assert resources(text, tmp_path) == ["*", None]
    report = lint(tmp_path, text)
    assert [(n.line, n.column, n.message) for n in report.notices] == [
        (*place(text, written), ENCODED)
    ]
    assert [f.rule_id for f in report.findings] == ["RL201"]


def test_jsonencode_conditional_reads_the_branch_without_quotes(tmp_path: Path) -> None:
    """Only the branch that renders quotes is unknown."""
    written = '"${var.on ? jsonencode(local.arn) : "x"}"'
    text = heredoc_policy(statement(written), ENCODES + 'variable "on" {\n  default = false\n}\n')
    assert resources(text, tmp_path) == ["x"]


@pytest.mark.parametrize(
    ("written", "read"),
    [("${jsonencode([])}", "[]"), ("${jsonencode(12)}", "12"), ("a-${jsonencode(null)}", "a-null")],
)
def test_jsonencode_without_quotes_is_the_text_it_writes(
    tmp_path: Path, written: str, read: str
) -> None:
    """``"${jsonencode([])}"`` is the string "[]" to AWS; it was read as an empty list (RL613,
    a statement naming no resource)."""
    text = heredoc_policy(statement(f'"{written}"'))
    assert resources(text, tmp_path) == [read]
    report = lint(tmp_path, text)
    assert report.notices == []
    assert "RL613" not in {f.rule_id for f in report.findings}


def test_jsonencode_inside_a_template_files_string_is_noted(tmp_path: Path) -> None:
    written = '"${jsonencode(arns)}"'
    template = '{"Version": "2012-10-17", "Statement": [\n' + statement(written) + "]}\n"
    (tmp_path / "policy.json.tpl").write_text(template)
    text = (
        'resource "aws_iam_policy" "p" {\n  name   = "p"\n'
        '  policy = templatefile("${path.module}/policy.json.tpl", { arns = ["*"] })\n}\n'
    )
    report = lint(tmp_path, text)
    assert report.findings == []
    assert [(n.file, n.line, n.column, n.message) for n in report.notices] == [
        (str(tmp_path / "policy.json.tpl"), *place(template, written), ENCODED)
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


def test_the_command_line_reports_the_policy_behind_a_quoted_directive(tmp_path: Path) -> None:
    text = heredoc_policy(ADMIN + statement(PROD_ONLY), ENV)
    (tmp_path / "main.tf").write_text(text)
    assert cli_check(tmp_path) == {
        "findings": [("RL201", *place(text, '"*"')), ("RL203", *place(text, PROD_ONLY))],
        "notices": [],
    }


def test_the_command_line_says_a_jsonencoded_list_in_a_string_is_not_that_list(
    tmp_path: Path,
) -> None:
    """RL203 was reported for the "*" of a list Terraform never writes as one."""
    written = '"${jsonencode(local.arns)}"'
    text = heredoc_policy(statement(written), ENCODES)
    (tmp_path / "main.tf").write_text(text)
    assert cli_check(tmp_path) == {"findings": [], "notices": [(ENCODED, *place(text, written))]}


BUCKET = 'variable "bucket" {\n  default = "logs//#"\n}\n'


@pytest.mark.parametrize(
    ("written", "read"),
    [
        (
            '"${format("arn:aws:s3:::%s/*", "${trimsuffix(var.bucket, "//#")}")}"',
            "arn:aws:s3:::logs/*",
        ),
        (
            '"${format("arn:aws:s3:::%s*", "${replace(var.bucket, "#", "")}")}"',
            "arn:aws:s3:::logs//*",
        ),
        (
            '"${format("arn:aws:s3:::%s", "${var.bucket == "}" ? "x" : "logs/*"}")}"',
            "arn:aws:s3:::logs/*",
        ),
    ],
    ids=["slashes", "hash", "brace"],
)
def test_a_string_inside_an_interpolation_holds_a_template_of_its_own(
    tmp_path: Path, written: str, read: str
) -> None:
    """The text of the string inside the inner ``${...}`` ("//", "#", "}") was read as an
    expression's: a comment to the end of the line or a brace ending the outer interpolation,
    so the JSON string never ended and the whole policy was "not analyzed", its full-admin
    statement too."""
    text = heredoc_policy(ADMIN + statement(written), BUCKET)
    assert resources(text, tmp_path) == ["*", read]
    report = lint(tmp_path, text)
    assert report.notices == []
    assert [f.rule_id for f in report.findings] == ["RL201"]


X = 'variable "x" {\n  type = bool\n}\n'
# A directive written over lines in a JSON string, its strip markers taking the line breaks
# JSON does not allow in a string.  HCL scans a heredoc's or template file's text one line at
# a time (its line feed included) and a marker strips the one token beside it
# (hclsyntax/scan_tokens.rl, parser_template.go): ``~}`` strips to the end of its line, and
# ``%{~`` the text before it on its line, or, written at a line's start, the previous line's
# trailing whitespace and line feed.
OVER_LINES = '"%{~ if var.x ~}\narn:aws:s3:::b/*\n%{~ else ~}\n*\n%{~ endif ~}"'
# The next line's indentation is no whitespace beside the marker: it stays.
INDENTED = '"%{~ if var.x ~}\n        arn:aws:s3:::b/*\n%{~ else ~}\n*\n%{~ endif ~}"'


@pytest.mark.parametrize(
    ("written", "x", "read"),
    [
        (OVER_LINES, "true", "arn:aws:s3:::b/*"),
        (OVER_LINES, "false", "*"),
        (INDENTED, "true", "        arn:aws:s3:::b/*"),
    ],
    ids=["over-lines-true", "over-lines-false", "indentation-stays"],
)
def test_strip_markers_take_the_line_breaks_of_a_directive_written_over_lines(
    tmp_path: Path, written: str, x: str, read: str
) -> None:
    """The line breaks inside the JSON string made the whole policy "not analyzed" (invalid
    JSON), its full-admin statement too; Terraform's rendering strips them first."""
    variables = X.replace("type = bool", f"default = {x}")
    text = heredoc_policy(ADMIN + statement(written), variables)
    assert resources(text, tmp_path) == ["*", read]
    report = lint(tmp_path, text)
    assert report.notices == []
    rules = {"*": ["RL201", "RL203"], "arn:aws:s3:::b/*": ["RL201"]}.get(read, ["RL201", "RL608"])
    assert [f.rule_id for f in report.findings] == rules


def test_strip_markers_over_lines_on_an_unknown_condition_give_both_branches(
    tmp_path: Path,
) -> None:
    text = heredoc_policy(statement(OVER_LINES), X)
    assert resources(text, tmp_path) == ["arn:aws:s3:::b/*", "*"]
    assert [(f.rule_id, f.location.line) for f in lint(tmp_path, text).findings] == [
        ("RL203", place(text, OVER_LINES.splitlines()[0])[0])
    ]


def test_a_line_break_no_strip_marker_reaches_leaves_the_policy_no_json(tmp_path: Path) -> None:
    """``%{~ else`` after indentation strips that indentation only: the line break before it
    stays in the string Terraform writes, which is no JSON (a line break inside a string)."""
    written = OVER_LINES.replace("\n%{~ else", "\n  %{~ else")
    text = heredoc_policy(statement(written), X.replace("type = bool", "default = true"))
    report = lint(tmp_path, text)
    assert report.findings == []
    [notice] = report.notices
    assert "could not be read as JSON" in notice.message
    assert f"(line {place(text, 'arn:aws:s3:::b/*')[0]})" in notice.message


def test_strip_markers_over_lines_read_the_same_through_templatefile(tmp_path: Path) -> None:
    written = OVER_LINES.replace("var.x", "x")
    template = '{"Version": "2012-10-17", "Statement": [\n' + statement(written) + "]}\n"
    (tmp_path / "policy.json.tpl").write_text(template)
    text = (
        'resource "aws_iam_policy" "p" {\n  name   = "p"\n'
        '  policy = templatefile("${path.module}/policy.json.tpl", { x = false })\n}\n'
    )
    report = lint(tmp_path, text)
    assert report.notices == []
    line, column = place(template, written.splitlines()[0])
    last_line, last = template.splitlines()[line + 3], written.splitlines()[-1]
    end = Span(line, column, line + 4, last_line.index(last) + len(last) + 1)
    assert [(f.file, f.rule_id, f.location.span) for f in report.findings] == [
        (str(tmp_path / "policy.json.tpl"), "RL203", end)
    ]


CARRIAGE_RETURN = "invalid HCL: invalid character: a carriage return not followed by a line feed"


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ('"${var.on ?\r"*" : "arn:aws:s3:::b/*"}"', CARRIAGE_RETURN),
        ('"${var.on ? "*"\r: "arn:aws:s3:::b/*"}"', CARRIAGE_RETURN),
        ('"%{ if var.on\r}*%{ else }arn:aws:s3:::b/*%{ endif }"', CARRIAGE_RETURN),
        ('"${var.on ? "*\r" : "arn:aws:s3:::b/*"}"', MULTI_LINE_STRING),
    ],
    ids=["interpolation", "before-the-colon", "directive", "inner-string"],
)
def test_a_carriage_return_without_a_line_feed_in_an_interpolation_is_an_error(
    tmp_path: Path, written: str, message: str
) -> None:
    """HCL breaks lines at a line feed (or CR LF) only: its scanner reads a carriage return
    alone in an expression as an invalid character, and in a quoted string as a line break
    it may not hold ("Invalid multi-line string", which the inner string's was not said to
    be); Terraform rejects the file.  python-hcl2's grammar skips it as a blank: the
    conditional was read on, and what follows the carriage return placed a line too far
    down (the "*" judged at the next line, RL203 there)."""
    text = heredoc_policy(ADMIN + statement(written), ON)
    (tmp_path / "main.tf").write_bytes(text.encode())
    report = lint_paths([str(tmp_path)])
    line, column = place(text.replace("\r", " "), written.replace("\r", " "))
    assert [(e.line, e.column, e.message) for e in report.errors] == [
        (line, column + written.index("\r"), message)
    ]
    assert report.findings == []


@pytest.mark.parametrize(
    "written",
    ['"${var.on ?\r\n  "*" : "arn:aws:s3:::b/*"}"', '"${var.on # public?\r or not\n ? "*" : "b"}"'],
    ids=["crlf", "in-a-comment"],
)
def test_a_carriage_return_before_a_line_feed_or_in_a_comment_is_read(
    tmp_path: Path, written: str
) -> None:
    """CR LF is one line break, and a comment runs to the line feed: no error."""
    text = heredoc_policy(statement(written), ON.replace("type = bool", "default = true"))
    (tmp_path / "main.tf").write_bytes(text.encode())
    report = lint_paths([str(tmp_path)])
    assert report.errors == [] and report.notices == []
    assert [f.rule_id for f in report.findings] == ["RL203"]


def test_a_template_file_is_read_with_its_carriage_returns(tmp_path: Path) -> None:
    """templatefile() read the file with Python's universal newlines, a carriage return alone
    as a line feed: the template Terraform rejects was read and judged (RL203)."""
    written = '"${on ?\r"*" : "arn:aws:s3:::b/*"}"'
    template = '{"Version": "2012-10-17", "Statement": [\n' + statement(written) + "]}\n"
    (tmp_path / "policy.json.tpl").write_bytes(template.encode())
    text = (
        'resource "aws_iam_policy" "p" {\n  name   = "p"\n'
        '  policy = templatefile("${path.module}/policy.json.tpl", { on = true })\n}\n'
    )
    (tmp_path / "main.tf").write_text(text)
    report = lint_paths([str(tmp_path)])
    line, column = place(template.replace("\r", " "), written.replace("\r", " "))
    assert [(e.file, e.line, e.column, e.message) for e in report.errors] == [
        (str(tmp_path / "policy.json.tpl"), line, column + written.index("\r"), CARRIAGE_RETURN)
    ]
    assert report.findings == []
    (tmp_path / "policy.json.tpl").write_bytes(template.replace("\r", "\r\n").encode())
    assert [f.rule_id for f in lint(tmp_path, text).findings] == ["RL203"]


# A carriage return alone outside any interpolation: in a heredoc's JSON text, in a quoted
# string, between two tokens of the file.
# In a quoted string it is a line break the string may not hold ("Invalid multi-line string":
# HCL's scanner reads "\r" and "\n" alike there), elsewhere an invalid character.
BARE_CARRIAGE_RETURNS = {
    "heredoc-text": (
        heredoc_policy(ADMIN + statement('"arn:aws:s3:::b/*"\r'), ON),
        CARRIAGE_RETURN,
    ),
    "quoted-string": (quoted_policy("arn:aws:s3:::b/*\r"), MULTI_LINE_STRING),
    "between-tokens": (
        quoted_policy("*").replace('Action = "s3:PutObject",', 'Action = "*",\r '),
        CARRIAGE_RETURN,
    ),
}


@pytest.mark.parametrize(
    ("text", "message"), BARE_CARRIAGE_RETURNS.values(), ids=BARE_CARRIAGE_RETURNS.keys()
)
def test_a_carriage_return_without_a_line_feed_in_a_file_is_an_error(
    tmp_path: Path, text: str, message: str
) -> None:
    """Terraform rejects the file (HCL has no token for it but in a comment); rolelint read
    the policy, the admin statement (RL201) or the "*" (RL203) judged.  It is now the file's
    error at the carriage return, exit 2, and the rest of the run analyzed (RL201 of the
    other folder's policy)."""
    for name, written in [("cr", text), ("admin", heredoc_policy(ADMIN.rstrip(",\n")))]:
        (tmp_path / name).mkdir()
        (tmp_path / name / "main.tf").write_bytes(written.encode())
    result = run_rolelint("check", str(tmp_path), "--no-cache", "-f", "json")
    assert result.returncode == 2, result.stderr
    document = json.loads(result.stdout)
    offset = text.index("\r")  # HCL counts lines at line feeds only
    line, column = text.count("\n", 0, offset) + 1, offset - text.rfind("\n", 0, offset)
    assert [(e["line"], e["column"], e["message"]) for e in document["errors"]] == [
        (line, column, message)
    ]
    assert [(Path(f["file"]).parent.name, f["rule_id"]) for f in document["findings"]] == [
        ("admin", "RL201")
    ]


def _template_module(tmp_path: Path, template: str) -> str:
    """A module whose policy is the template file ``policy.json.tpl`` holding ``template``."""
    (tmp_path / "policy.json.tpl").write_text(template)
    return (
        'resource "aws_iam_policy" "p" {\n  name   = "p"\n'
        '  policy = templatefile("${path.module}/policy.json.tpl", { on = true })\n}\n'
    )


# An interpolation no "}" ends, last in its template: Terraform rejects the template ("Unclosed
# template interpolation sequence"); rolelint read the rest of the text as literal, and judged
# the admin statement before it (RL201) as if Terraform rendered it.
UNCLOSED_SEQUENCES = {
    "at-the-end": heredoc_policy(ADMIN + statement('"*"'), ON).replace(
        "EOT\n}", "${var.on\nEOT\n}"
    ),
    "in-a-string": heredoc_policy(ADMIN + statement('"arn:aws:s3:::${var.on"'), ON),
}


@pytest.mark.parametrize("text", UNCLOSED_SEQUENCES.values(), ids=UNCLOSED_SEQUENCES.keys())
def test_an_unclosed_interpolation_of_a_heredoc_is_an_error(tmp_path: Path, text: str) -> None:
    """The file's error at the ``${`` (exit 2, as a heredoc's syntax error is), no finding."""
    opened = "${var.on"
    (tmp_path / "main.tf").write_text(text)
    report = lint_paths([str(tmp_path)])
    assert [(e.line, e.column, e.message) for e in report.errors] == [
        (*place(text, opened), UNCLOSED)
    ]
    assert report.findings == []


def test_an_unclosed_interpolation_of_a_template_file_is_an_error(tmp_path: Path) -> None:
    """templatefile() parses the file as HCL does a heredoc: the error is in the template."""
    template = '{"Version": "2012-10-17", "Statement": [\n' + ADMIN + "]} ${on\n"
    text = _template_module(tmp_path, template)
    (tmp_path / "main.tf").write_text(text)
    report = lint_paths([str(tmp_path)])
    assert [(e.file, e.line, e.column, e.message) for e in report.errors] == [
        (str(tmp_path / "policy.json.tpl"), *place(template, "${on"), UNCLOSED)
    ]
    assert report.findings == []


# A line feed in the text of a quoted string inside an interpolation: HCL's scanner ends the
# string there ("Invalid multi-line string"), and Terraform rejects the template; rolelint read
# the interpolation as one line, the line feed a space ("A B" lowered: RL608 on "a b").
LINE_FEEDS = {
    "interpolation": '"${lower("A\nB")}"',
    "nested-string": '"${lower("arn:${upper("a\nb")}")}"',
    "directive": '"%{ if var.on == "x\ny" }*%{ else }arn:aws:s3:::b/*%{ endif }"',
}


@pytest.mark.parametrize("written", LINE_FEEDS.values(), ids=LINE_FEEDS.keys())
def test_a_line_feed_in_a_quoted_string_of_an_interpolation_is_an_error(
    tmp_path: Path, written: str
) -> None:
    """The file's error at the line feed, where HCL's scanner finds it; no finding."""
    text = heredoc_policy(ADMIN + statement(written), ON)
    (tmp_path / "main.tf").write_text(text)
    report = lint_paths([str(tmp_path)])
    first = written.splitlines()[0]
    line, column = place(text, first)
    assert [(e.line, e.column, e.message) for e in report.errors] == [
        (line, column + len(first), MULTI_LINE_STRING)
    ]
    assert report.findings == []


def test_a_line_feed_in_a_quoted_string_of_a_template_file_is_an_error(tmp_path: Path) -> None:
    written = LINE_FEEDS["interpolation"]
    template = '{"Version": "2012-10-17", "Statement": [\n' + statement(written) + "]}\n"
    text = _template_module(tmp_path, template)
    (tmp_path / "main.tf").write_text(text)
    report = lint_paths([str(tmp_path)])
    first = written.splitlines()[0]
    line, column = place(template, first)
    assert [(e.file, e.line, e.column, e.message) for e in report.errors] == [
        (str(tmp_path / "policy.json.tpl"), line, column + len(first), MULTI_LINE_STRING)
    ]


# A carriage return alone, or a CR LF, in the text of a quoted string inside an interpolation
# or a directive of a heredoc or template: HCL's scanner reads "\r" and "\n" alike in a quoted
# string (NewlineChars, a TokenQuotedNewline), so Terraform says "Invalid multi-line string" at
# the carriage return, as for a line feed there; rolelint said "invalid character", which a
# carriage return alone is only between tokens.
CARRIAGE_RETURNS_IN_STRINGS = {
    "interpolation": '"${lower("A\rB")}"',
    "cr-lf": '"${lower("A\r\nB")}"',
    "nested-string": '"${lower("arn:${upper("a\rb")}")}"',
    "directive": '"%{ if var.on == "x\ry" }*%{ else }arn:aws:s3:::b/*%{ endif }"',
}


def _carriage_return_place(text: str) -> tuple[int, int]:
    """Where the first carriage return of ``text`` is, its lines counted at line feeds only,
    as HCL counts them."""
    offset = text.index("\r")
    return text.count("\n", 0, offset) + 1, offset - text.rfind("\n", 0, offset)


@pytest.mark.parametrize(
    "written", CARRIAGE_RETURNS_IN_STRINGS.values(), ids=CARRIAGE_RETURNS_IN_STRINGS.keys()
)
def test_a_carriage_return_in_a_quoted_string_of_an_interpolation_is_a_multi_line_string(
    tmp_path: Path, written: str
) -> None:
    """The file's error at the carriage return, no finding."""
    text = heredoc_policy(ADMIN + statement(written), ON)
    (tmp_path / "main.tf").write_bytes(text.encode())
    report = lint_paths([str(tmp_path)])
    assert [(e.line, e.column, e.message) for e in report.errors] == [
        (*_carriage_return_place(text), MULTI_LINE_STRING)
    ]
    assert report.findings == []


@pytest.mark.parametrize("kind", ["interpolation", "cr-lf"])
def test_a_carriage_return_in_a_quoted_string_of_a_template_file_is_a_multi_line_string(
    tmp_path: Path, kind: str
) -> None:
    """A template file is read with its line endings as written: a CR LF's error is at its
    carriage return, where HCL's scanner starts the string's line break (it was at the line
    feed)."""
    written = CARRIAGE_RETURNS_IN_STRINGS[kind]
    template = '{"Version": "2012-10-17", "Statement": [\n' + statement(written) + "]}\n"
    text = _template_module(tmp_path, template)
    (tmp_path / "policy.json.tpl").write_bytes(template.encode())
    (tmp_path / "main.tf").write_text(text)
    report = lint_paths([str(tmp_path)])
    assert [(e.file, e.line, e.column, e.message) for e in report.errors] == [
        (str(tmp_path / "policy.json.tpl"), *_carriage_return_place(template), MULTI_LINE_STRING)
    ]


# Line feeds HCL skips: between two tokens, inside an interpolation nested in a string (where
# the scanner reads expressions again), in a comment.
SKIPPED_LINE_FEEDS = {
    "between-tokens": '"${var.on\n ? "*" : "arn:aws:s3:::b/*"}"',
    "in-a-nested-interpolation": '"${var.on ? "${lower(\n"*")}" : "arn:aws:s3:::b/*"}"',
    "in-a-comment": '"${var.on # "an open quote\n ? "*" : "arn:aws:s3:::b/*"}"',
}


@pytest.mark.parametrize("written", SKIPPED_LINE_FEEDS.values(), ids=SKIPPED_LINE_FEEDS.keys())
def test_a_line_feed_hcl_skips_in_an_interpolation_is_read(tmp_path: Path, written: str) -> None:
    """Guard: read as before, the public branch's "*" judged (RL203), no error."""
    text = heredoc_policy(statement(written), ON.replace("type = bool", "default = true"))
    report = lint(tmp_path, text)
    assert report.notices == []
    assert [f.rule_id for f in report.findings] == ["RL203"]


def _flush(body: str) -> tuple[str, int]:
    lines, indent, _ = flushed_lines(body.split("\n")[:-1])
    return "".join(line + "\n" for line in lines), indent


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # hashicorp/terraform#23710: the line after a ``~}`` that took its line feed is no
        # line start, so its indentation stays; the marker on the endfor changes nothing.
        (
            "    %{ for s in x ~}\n    ${s}\n    %{ endfor }\n",
            ("%{ for s in x ~}\n    ${s}\n%{ endfor }\n", 4),
        ),
        (
            "    %{ for s in x }\n    ${s}\n    %{ endfor ~}\n",
            ("%{ for s in x }\n${s}\n%{ endfor ~}\n", 4),
        ),
        # A ``${~`` that takes a line's whole indentation leaves it none: no line loses any.
        ("    a\n    ${~ x}\n    b\n", ("    a\n    ${~ x}\n    b\n", 0)),
        # Lines inside a ``${...}`` are not counted (whitespace between its tokens).
        ('    "${merge(\n  a,\nb)}"\n    c\n', ('"${merge(\na,\nb)}"\nc\n', 4)),
    ],
    ids=["strip-on-for", "strip-on-endfor", "strip-takes-indentation", "interpolation-lines"],
)
def test_an_indented_heredoc_strips_its_markers_before_its_indentation(
    body: str, expected: tuple[str, int]
) -> None:
    """HCL applies a template's strip markers, then removes the indentation of ``<<-``
    (flushHeredocTemplateParts, on the tokens the markers left); rolelint removed it first."""
    assert _flush(body) == expected


def test_the_line_after_a_stripped_line_feed_keeps_its_indentation_in_a_policy(
    tmp_path: Path,
) -> None:
    """Through a policy: the ARN's second line keeps its six spaces, as Terraform renders
    it; rolelint took four of them off."""
    text = (
        'resource "aws_iam_policy" "p" {\n  name   = "p"\n  policy = <<-EOT\n'
        '    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",'
        ' "Action": "s3:GetObject",\n'
        '      "Resource": "arn:aws:s3:::b/%{ if true ~}\n'
        '      x%{ endif }"}]}\n'
        "    EOT\n}\n"
    )
    assert resources(text, tmp_path) == ["arn:aws:s3:::b/      x"]


# ``<<-`` removes the indentation HCL counts from the lines it counts (flushHeredocTemplateParts),
# not from every line: the line after a ``~}`` that took its line feed keeps all of its own, and
# a line inside a ``${...}`` written over several lines loses no more than it has.  A value on
# such a line was placed as if the heredoc's indentation had been removed from it too: four
# columns right of where it is written (the first case), two (the last).
KEPT_INDENTATION = {
    "after-a-strip-marker": (
        '      "Action": ${jsonencode(local.action)~}\n      , "Resource": "*"}]}\n',
        '"*"',
    ),
    "interpolated-after-a-strip-marker": (
        '      "Action": ${jsonencode(local.action)~}\n      , "Resource": "${local.star}"}]}\n',
        "local.star",
    ),
    "inside-an-interpolation": (
        '      "Action": "s3:PutObject", "Resource": ${jsonencode([\n  "*"])}}]}\n',
        '"*"',
    ),
    # A JSON string's own ``${...}`` over several lines (read by the JSON's leaf resolver).
    "inside-a-json-string-s-interpolation": (
        '      "Action": "s3:PutObject", "Resource": "${element([\n  "*"], 0)}"}]}\n',
        '"*"',
    ),
}


@pytest.mark.parametrize(("lines", "value"), KEPT_INDENTATION.values(), ids=KEPT_INDENTATION.keys())
def test_a_value_on_a_line_that_keeps_its_indentation_is_placed_where_it_is(
    tmp_path: Path, lines: str, value: str
) -> None:
    text = (
        'locals {\n  action = "s3:PutObject"\n  star   = "*"\n}\n'
        'resource "aws_iam_policy" "p" {\n  name   = "p"\n  policy = <<-EOT\n'
        '    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",\n' + lines + "  EOT\n}\n"
    )
    report = lint(tmp_path, text)
    assert report.notices == []
    line, column = place(text, value, text.count(value))  # the heredoc's, the last one
    assert placed_findings(report) == [("RL203", Span(line, column, line, column + len(value)))]


# The error of a heredoc holding a directive, which the whole template is read for
# (hcl_directives.rejected_template), was placed as if every line had lost the heredoc's
# indentation: on a line inside a ``${...}`` or ``%{...}`` that keeps more of its own, or after
# a ``~}`` that took the line feed, it was that many columns right of where it is written.
KEPT_INDENTATION_ERRORS = {
    "in-an-interpolation": (
        '      "Action": "s3:PutObject", "Resource": "%{ if true }${element([\n'
        '  "*" +], 0)}%{ endif }"}]}\n',
        "], 0)}",
    ),
    "in-a-directive": (
        '      "Action": "s3:PutObject", "Resource": "%{ if [\n  true +] }*%{ endif }"}]}\n',
        "] }",
    ),
    "after-a-strip-marker": (
        '      "Action": "s3:PutObject"%{ if true ~}\n'
        '      , "Resource": "%{ unless }"%{ endif }}]}\n',
        "unless",
    ),
}


@pytest.mark.parametrize(
    ("lines", "error"), KEPT_INDENTATION_ERRORS.values(), ids=KEPT_INDENTATION_ERRORS.keys()
)
def test_an_error_on_a_line_that_keeps_its_indentation_is_placed_where_it_is(
    tmp_path: Path, lines: str, error: str
) -> None:
    text = (
        'resource "aws_iam_policy" "p" {\n  name   = "p"\n  policy = <<-EOT\n'
        '    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",\n' + lines + "  EOT\n}\n"
    )
    (tmp_path / "main.tf").write_text(text)
    report = lint_paths([str(tmp_path)])
    line, column = place(text, error)
    assert [(e.line, e.column, e.message) for e in report.errors] == [
        (line, column, f"invalid HCL: unexpected {error!r}")
    ]
