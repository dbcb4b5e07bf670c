"""Values a Terraform heredoc or template writes into policy text, read as Terraform writes them.

- A template writes text: each ``${...}`` is converted to a string, and Terraform refuses a
  list or an object there ("Invalid template interpolation value: Cannot include the given
  value in a string template: string required", hcl's TemplateExpr).  ``"Statement":
  [${local.statement}]`` with an HCL object, ``"Resource": ${local.arns}`` and ``"Resource":
  "${local.arns}"`` with a list were read as the tree (as if jsonencode()d): RL201 or RL208 on
  a policy Terraform never renders.  The policy is now not analyzed, with a note at the
  interpolation saying Terraform refuses it if the value is as rolelint reads it.  Never an
  error of the run (exit 2): whether Terraform refuses it depends on values a deployment may
  not have (an untyped variable whose default is a list, given a string by every caller; a
  branch of a condition rolelint cannot decide; a resource only some deployments have).
- So does null (``${null}``, a variable whose value is null): "Invalid template interpolation
  value: The expression result is null".  Spliced in place of a JSON value it was read as
  JSON's null (``"Condition": ${null}`` an Allow of everything with no condition, RL201), in a
  JSON string as an unknown part of it without a word.  It is now the same note.
- ``file()``'s text spliced in place of a JSON value (``"Resource": ${file("arn.txt")}``) was
  unknown without a word, where a string's text spliced there is read as the JSON it is, or
  leaves the policy unknown with a note when it is none.  A file's text is now that string.
- ``resources = [local.statement_json]`` in an ``aws_iam_policy_document`` (the local a
  jsonencode()d map) was read as a map ("not a plain value"), where Terraform has a string,
  the map's JSON text: a Resource that is no ARN, which IAM rejects (RL608).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rolelint.api import lint_paths
from rolelint.findings import Report
from rolelint.model import Value
from rolelint.parsers.policy_builder import UNREAD_KIND, PolicyBuilder
from rolelint.parsers.terraform import OBJECT_AS_POLICY
from rolelint.parsers.tf_eval import MISREAD_IN_JSON, SPLICED_NOT_JSON, Evaluator, not_a_string
from rolelint.parsers.tree import PMap, PSeq
from rolelint.source import SourceRef, Span
from tests.conftest import count_calls, run_rolelint
from tests.parsers.test_tf_jsonencode_corners import ADMIN_DOCUMENT
from tests.parsers.test_tf_template_json import heredoc_policy, lint, place, resources

STATEMENT = (
    "locals {\n"
    '  statement = { Effect = "Allow", Action = "*", Resource = "*" }\n'
    '  arns      = ["*"]\n'
    "}\n"
)
READ_ANY = '    {"Effect": "Allow", "Action": "s3:GetObject", "Resource": RESOURCE}'


def checked(tmp_path: Path, text: str, name: str = "main.tf") -> Report:
    """The report of a run over ``text`` written as ``name`` in ``tmp_path``, errors and all."""
    (tmp_path / name).write_text(text)
    return lint_paths([str(tmp_path)])


REFUSED = {
    "object-as-a-statement": ("    ${local.statement}", "local.statement", "a map or object"),
    "list-as-a-value": (READ_ANY.replace("RESOURCE", "${local.arns}"), "local.arns", "a list"),
    "list-in-a-string": (
        READ_ANY.replace("RESOURCE", '"${local.arns}"'),
        "local.arns",
        "a list",
    ),
    "list-in-a-longer-string": (
        READ_ANY.replace("RESOURCE", '"arn:aws:s3:::${local.arns}/*"'),
        "local.arns",
        "a list",
    ),
    "object-in-a-key": (
        '    {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",'
        ' "Condition": {"StringEquals": {"${local.statement}": "x"}}}',
        "local.statement",
        "a map or object",
    ),
}


def noted(report: Report) -> list[tuple[int, int, str]]:
    """Each notice of ``report``: line, column and message."""
    return [(notice.line or 0, notice.column or 0, notice.message) for notice in report.notices]


@pytest.mark.parametrize(("statement", "written", "kind"), REFUSED.values(), ids=REFUSED.keys())
def test_a_list_or_object_a_heredoc_interpolates_is_a_note(
    tmp_path: Path, statement: str, written: str, kind: str
) -> None:
    """Terraform refuses the template if the value is as rolelint reads it: the policy not
    analyzed, a note at the interpolation says why, and no error; before, the tree was read
    (RL201 for the statement, RL208 for the list) or the string was unknown without a word."""
    text = heredoc_policy(statement, STATEMENT)
    report = checked(tmp_path, text)
    assert report.errors == []
    assert report.findings == []
    assert noted(report) == [(*place(text, written), f"the ${{...}} {not_a_string(kind)}")]


def test_a_list_a_template_file_interpolates_is_a_note_in_the_template(tmp_path: Path) -> None:
    """templatefile() the same way: the note is at the template's line, no error."""
    template = (
        '{"Version": "2012-10-17",\n'
        ' "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": ${arns}}]}\n'
    )
    (tmp_path / "policy.json.tpl").write_text(template)
    text = (
        'resource "aws_iam_policy" "p" {\n  name   = "p"\n'
        '  policy = templatefile("${path.module}/policy.json.tpl", { arns = ["*"] })\n}\n'
    )
    report = checked(tmp_path, text)
    assert report.errors == []
    assert report.findings == []
    assert [(n.file, n.line, n.column, n.message) for n in report.notices] == [
        (
            str(tmp_path / "policy.json.tpl"),
            *place(template, "arns}"),
            f"the ${{...}} {not_a_string('a list')}",
        )
    ]


def test_a_refused_value_does_not_fail_the_run_and_the_rest_is_judged(tmp_path: Path) -> None:
    """The command line: exit 1 for the module's other policy (RL201), the note said, no
    error (it was exit 2)."""
    text = (
        heredoc_policy("    ${local.statement}", STATEMENT)
        + ADMIN_DOCUMENT
        + (
            'resource "aws_iam_policy" "admin" {\n  name   = "admin"\n'
            "  policy = data.aws_iam_policy_document.admin.json\n}\n"
        )
    )
    (tmp_path / "main.tf").write_text(text)
    result = run_rolelint("check", str(tmp_path), "--no-cache")
    assert result.returncode == 1, result.stdout + result.stderr
    line, column = place(text, "local.statement}")
    assert f"main.tf:{line}:{column}: note: the ${{...}} interpolates a map" in result.stdout
    assert ": error:" not in result.stdout and "; 0 errors" in result.stdout
    assert "RL201" in result.stdout


STRINGS = {
    "jsonencoded-object": ("    ${jsonencode(local.statement)}", "RL201"),
    "jsonencoded-local": ("    ${local.statement_json}", "RL201"),
    "jsonencoded-list": (READ_ANY.replace("RESOURCE", "${jsonencode(local.arns)}"), "RL208"),
    "string-of-a-list": (READ_ANY.replace("RESOURCE", '"${local.arns[0]}"'), "RL208"),
}


@pytest.mark.parametrize(("statement", "rule"), STRINGS.values(), ids=STRINGS.keys())
def test_a_string_a_heredoc_interpolates_is_still_read(
    tmp_path: Path, statement: str, rule: str
) -> None:
    """Guard: jsonencode()'s text, directly or through a local, and a string of a list, are
    strings Terraform writes: read as before, no error."""
    encoded = "locals {\n  statement_json = jsonencode(local.statement)\n}\n"
    report = lint(tmp_path, heredoc_policy(statement, STATEMENT + encoded))
    assert [f.rule_id for f in report.findings] == [rule]
    assert report.notices == []


def test_a_list_only_a_branch_interpolates_leaves_the_policy_unknown(tmp_path: Path) -> None:
    """Only the branch of a condition rolelint cannot decide interpolates the list: Terraform
    refuses it where that branch is taken.  No error (the other branch may be the only one
    deployed), but nothing of the policy is judged, and a note says why."""
    variables = 'variable "any" {\n  type = bool\n}\n'
    resource = '"%{ if var.any }${local.arns}%{ else }arn:aws:s3:::b/*%{ endif }"'
    text = heredoc_policy(READ_ANY.replace("RESOURCE", resource), STATEMENT + variables)
    report = checked(tmp_path, text)
    assert report.errors == []
    assert report.findings == []
    assert noted(report) == [(*place(text, "local.arns"), f"the ${{...}} {not_a_string('a list')}")]


NULL_VARIABLE = 'variable "arn" {\n  type    = string\n  default = null\n}\n'
ADMIN_IF = '    {"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": CONDITION}'
NULLS = {
    "null-as-a-value": (ADMIN_IF.replace("CONDITION", "${null}"), "null}"),
    "null-variable-as-a-value": (READ_ANY.replace("RESOURCE", "${var.arn}"), "var.arn"),
    "null-variable-in-a-string": (
        READ_ANY.replace("RESOURCE", '"arn:aws:s3:::${var.arn}/*"'),
        "var.arn",
    ),
    "null-of-a-function": (
        READ_ANY.replace("RESOURCE", '"${lookup({}, "arn", null)}"'),
        "lookup(",
    ),
}
NULL_NOTE = f"the ${{...}} {not_a_string('null')}"


@pytest.mark.parametrize(("statement", "written"), NULLS.values(), ids=NULLS.keys())
def test_null_a_heredoc_interpolates_is_a_note(
    tmp_path: Path, statement: str, written: str
) -> None:
    """Terraform refuses the template if the value is as rolelint reads it: the policy not
    analyzed, a note at the interpolation, no error; before, null was JSON's null (RL201 for
    the Allow of everything with a null Condition) or an unknown part of a string, without a
    word.  The variable is set null by the module's variable file."""
    (tmp_path / "terraform.tfvars").write_text("arn = null\n")
    text = heredoc_policy(statement, NULL_VARIABLE)
    report = checked(tmp_path, text)
    assert report.errors == []
    assert report.findings == []
    assert noted(report) == [(*place(text, written), NULL_NOTE)]


def test_null_a_template_file_interpolates_is_a_note_in_the_template(tmp_path: Path) -> None:
    """templatefile() with a null in its map the same way, at the template's line."""
    template = (
        '{"Version": "2012-10-17",\n'
        ' "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "${arn}"}]}\n'
    )
    (tmp_path / "policy.json.tpl").write_text(template)
    text = (
        'resource "aws_iam_policy" "p" {\n  name   = "p"\n'
        '  policy = templatefile("${path.module}/policy.json.tpl", { arn = null })\n}\n'
    )
    report = checked(tmp_path, text)
    assert report.errors == []
    assert [(n.file, n.line, n.column, n.message) for n in report.notices] == [
        (str(tmp_path / "policy.json.tpl"), *place(template, "arn}"), NULL_NOTE)
    ]
    assert report.findings == []


NULL_GUARDED = {
    # the branch that interpolates null is not taken: Terraform renders the other
    "directive-not-taken": '"%{ if var.arn != null }${var.arn}%{ else }*%{ endif }"',
    "conditional-not-taken": '"${var.arn == null ? "*" : var.arn}"',
    "jsonencoded": '${jsonencode(coalesce(var.arn, "*"))}',
}


@pytest.mark.parametrize("resource", NULL_GUARDED.values(), ids=NULL_GUARDED.keys())
def test_null_a_template_does_not_render_is_no_error(tmp_path: Path, resource: str) -> None:
    """Guard: what renders "*" instead of the null variable is read (RL208), no error."""
    text = heredoc_policy(READ_ANY.replace("RESOURCE", resource), NULL_VARIABLE)
    report = lint(tmp_path, text)
    assert report.notices == []
    assert [f.rule_id for f in report.findings] == ["RL208"]


def test_null_only_a_branch_interpolates_leaves_the_policy_unknown(tmp_path: Path) -> None:
    """Only the branch of a condition rolelint cannot decide interpolates null: no error,
    the policy unknown with a note."""
    variables = 'variable "any" {\n  type = bool\n}\n'
    resource = '"${var.any ? null : "arn:aws:s3:::b/*"}"'
    text = heredoc_policy(READ_ANY.replace("RESOURCE", resource), variables)
    report = checked(tmp_path, text)
    assert report.errors == [] and report.findings == []
    assert noted(report) == [(*place(text, "var.any"), NULL_NOTE)]


def test_a_files_text_spliced_in_place_of_a_json_value_that_is_none_is_noted(
    tmp_path: Path,
) -> None:
    """``"Resource": ${file("arn.txt")}`` writes the file's text as it is, here no JSON: the
    policy is unknown with a note, as a string's text there is (before: no word)."""
    (tmp_path / "arn.txt").write_text("arn:aws:s3:::b/*\n")
    resource = '${file("${path.module}/arn.txt")}'
    text = heredoc_policy(READ_ANY.replace("RESOURCE", resource))
    report = lint(tmp_path, text)
    assert report.findings == []
    [notice] = report.notices
    assert notice.message.startswith("the policy aws_iam_policy.p is not analyzed: the ${...}")
    assert f"(line {place(text, resource)[0]})" in notice.message
    assert "'arn:aws:s3:::b/*\\n'" in notice.message
    assert notice.message.endswith(SPLICED_NOT_JSON)


def test_a_files_json_text_spliced_in_place_of_a_json_value_is_that_json(tmp_path: Path) -> None:
    """A file holding ``["*"]`` spliced there is that list: RL208 for s3:GetObject on every
    object (before: unknown, no finding and no word)."""
    (tmp_path / "arns.json").write_text('["*"]\n')
    resource = '${file("${path.module}/arns.json")}'
    text = heredoc_policy(READ_ANY.replace("RESOURCE", resource))
    report = lint(tmp_path, text)
    assert report.notices == []
    assert [f.rule_id for f in report.findings] == ["RL208"]


def test_a_template_spliced_in_place_of_a_json_value_is_noted(tmp_path: Path) -> None:
    """A templatefile()'s text is read only as a whole policy: spliced into another, the
    value is unknown, and a note says so (before: no word)."""
    (tmp_path / "arn.tpl").write_text('"arn:aws:s3:::${name}/*"\n')
    resource = '${templatefile("${path.module}/arn.tpl", { name = "b" })}'
    text = heredoc_policy(READ_ANY.replace("RESOURCE", resource))
    report = lint(tmp_path, text)
    assert report.findings == []
    [notice] = report.notices
    assert notice.message.startswith("this value is not analyzed: ")
    assert (notice.line, notice.column) == place(text, resource)


STATEMENT_JSON = (
    "locals {\n"
    '  statement_json = jsonencode({ Effect = "Allow", Action = "*", Resource = "*" })\n'
    "}\n"
)


def document_policy(arguments: str) -> str:
    """A module of one ``aws_iam_policy`` whose policy document's statement has
    ``arguments`` (HCL)."""
    return (
        STATEMENT_JSON
        + 'data "aws_iam_policy_document" "p" {\n  statement {\n'
        + arguments
        + "  }\n}\n"
        + 'resource "aws_iam_policy" "p" {\n  name   = "p"\n'
        + "  policy = data.aws_iam_policy_document.p.json\n}\n"
    )


@pytest.mark.parametrize(
    "resources",
    ["[local.statement_json]", '["arn:aws:s3:::b", local.statement_json]'],
    ids=["alone", "beside-an-arn"],
)
def test_a_jsonencoded_map_in_a_documents_resources_is_a_string(
    tmp_path: Path, resources: str
) -> None:
    """The provider writes the string, the map's JSON text, as a Resource: no ARN, which IAM
    rejects (RL608 at the reference); before, a map, "not a plain value", no finding."""
    text = document_policy(f'    actions   = ["s3:GetObject"]\n    resources = {resources}\n')
    report = lint(tmp_path, text)
    assert [(f.rule_id, f.location.line) for f in report.findings] == [
        ("RL608", place(text, "local.statement_json]")[0])
    ]
    assert '{"Action":"*","Effect":"Allow","Resource":"*"}' in report.findings[0].message


def test_a_jsonencoded_map_as_a_source_document_is_still_the_document(tmp_path: Path) -> None:
    """Guard: a list of documents reads each JSON text as the document it is."""
    policy = (
        'locals {\n  policy_json = jsonencode({ Version = "2012-10-17",'
        ' Statement = [{ Effect = "Allow", Action = "*", Resource = "*" }] })\n}\n'
        'data "aws_iam_policy_document" "p" {\n'
        "  source_policy_documents = [local.policy_json]\n}\n"
        'resource "aws_iam_policy" "p" {\n  name   = "p"\n'
        "  policy = data.aws_iam_policy_document.p.json\n}\n"
    )
    report = lint(tmp_path, policy)
    assert [f.rule_id for f in report.findings] == ["RL201"]


def test_a_jsonencoded_map_in_a_documents_identifiers_is_a_string(tmp_path: Path) -> None:
    """The same string as a principal: no principal IAM can use (RL111 at the reference);
    before, a map, no finding."""
    text = document_policy(
        '    actions   = ["sts:AssumeRole"]\n    resources = ["arn:aws:iam::111122223333:role/x"]\n'
        '    principals {\n      type        = "AWS"\n'
        "      identifiers = [local.statement_json]\n    }\n"
    )
    report = lint(tmp_path, text)
    assert [(f.rule_id, f.location.line) for f in report.findings] == [
        ("RL111", place(text, "local.statement_json]")[0])
    ]


def test_null_a_root_modules_default_gives_is_no_error(tmp_path: Path) -> None:
    """``default = null`` is how an input is made optional: whoever deploys the folder may
    pass a value (``-var``), and only a deployment that passes none fails.  The policy is not
    analyzed, with the note, and no error."""
    resource = '"arn:aws:s3:::${var.arn}/*"'
    text = heredoc_policy(READ_ANY.replace("RESOURCE", resource), NULL_VARIABLE)
    report = checked(tmp_path, text)
    assert report.errors == [] and report.findings == []
    assert noted(report) == [(*place(text, "var.arn"), NULL_NOTE)]


def test_null_a_child_modules_default_gives_is_a_note_in_the_child(tmp_path: Path) -> None:
    """A call that passes no value leaves the child its default: the note at the
    interpolation in the child, no error (it was an error of the call)."""
    child = tmp_path / "modules" / "reader"
    child.mkdir(parents=True)
    resource = '"arn:aws:s3:::${var.arn}/*"'
    module_text = heredoc_policy(READ_ANY.replace("RESOURCE", resource), NULL_VARIABLE)
    (child / "main.tf").write_text(module_text)
    report = checked(tmp_path, 'module "reader" {\n  source = "./modules/reader"\n}\n')
    assert report.errors == []
    assert [(n.file, n.line, n.column, n.message) for n in report.notices] == [
        (str(child / "main.tf"), *place(module_text, "var.arn"), NULL_NOTE)
    ]


LIST_DEFAULT_MODULE = (
    'variable "resources" {\n  default = []\n}\n'
    'resource "aws_iam_role" "r" {\n  name = "r"\n'
    '  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow",'
    ' Principal = { Service = "ec2.amazonaws.com" }, Action = "sts:AssumeRole" }] })\n}\n'
    'resource "aws_iam_role_policy" "p" {\n  role   = aws_iam_role.r.id\n  policy = <<EOT\n'
    '{"Version": "2012-10-17", "Statement": [\n'
    '  {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "${var.resources}"}]}\n'
    "EOT\n}\n"
)


@pytest.mark.parametrize("named", ["folder", "module-file"])
def test_an_untyped_list_default_a_caller_gives_a_string_is_no_error(
    tmp_path: Path, named: str
) -> None:
    """``variable "resources" { default = [] }`` (no type) given "*" by its one caller:
    Terraform renders the heredoc (RL208 through the call).  The module folder read on its
    own, with its default, interpolates the list: a note, never an error (it was exit 2 with
    "invalid template interpolation"), whether the run names the folder or the module's file
    (which brings its caller)."""
    (tmp_path / ".rolelint.yaml").write_text("{}\n")
    (tmp_path / "mod").mkdir()
    (tmp_path / "mod" / "main.tf").write_text(LIST_DEFAULT_MODULE)
    (tmp_path / "root").mkdir()
    (tmp_path / "root" / "main.tf").write_text(
        'module "m" {\n  source    = "../mod"\n  resources = "*"\n}\n'
    )
    target = tmp_path if named == "folder" else tmp_path / "mod" / "main.tf"
    result = run_rolelint("check", str(target), "--no-cache", "--no-color", cwd=tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert ": error:" not in result.stdout and "; 0 errors" in result.stdout
    assert "RL208" in result.stdout
    line, column = place(LIST_DEFAULT_MODULE, "var.resources")
    note = f"mod/main.tf:{line}:{column}: note: the ${{...}} {not_a_string('a list')}"
    assert note in result.stdout


def test_a_heredoc_an_undecided_conditional_chooses_is_no_error(tmp_path: Path) -> None:
    """``policy = (var.on ? <<EOT ... EOT : "{}")``: only deployments with var.on render the
    heredoc, which interpolates a list: a note at the interpolation, no error (it was one),
    and the other branch still judged.  (In parentheses: outside them HCL ends the value at
    the line break after ``EOT``, and Terraform rejects the ``:`` on the next line.)"""
    text = (
        'variable "on" {\n  type = bool\n}\n'
        'locals {\n  list = ["arn:aws:s3:::b/*"]\n}\n'
        'resource "aws_iam_policy" "p" {\n  name   = "p"\n  policy = (var.on ? <<EOT\n'
        '{"Version": "2012-10-17", "Statement": [\n'
        '  {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "${local.list}"}]}\n'
        'EOT\n  : "{}")\n}\n'
    )
    report = checked(tmp_path, text)
    assert report.errors == []
    assert noted(report) == [
        (*place(text, "local.list}"), f"the ${{...}} {not_a_string('a list')}")
    ]
    assert "RL604" in {f.rule_id for f in report.findings}


def test_a_heredoc_of_a_resource_a_count_switches_is_no_error(tmp_path: Path) -> None:
    """``count = var.on ? 1 : 0``: only some deployments have the policy; a note, no error."""
    text = heredoc_policy(READ_ANY.replace("RESOURCE", '"${local.arns}"'), STATEMENT).replace(
        '  name   = "p"\n', '  count  = var.on ? 1 : 0\n  name   = "p"\n'
    )
    report = checked(tmp_path, 'variable "on" {\n  type = bool\n}\n' + text)
    assert report.errors == []
    assert [n.message for n in report.notices] == [f"the ${{...}} {not_a_string('a list')}"]


@pytest.mark.parametrize(
    ("resources", "what"),
    [
        ("local.arns_json", "the JSON text of a list"),
        ('jsonencode(["*"])', "the JSON text of a list"),
        ('"*"', "a string"),
        ("local.statement_json", "a string"),
    ],
    ids=["jsonencoded-local", "jsonencode-call", "plain-string", "jsonencoded-map"],
)
def test_a_string_where_a_documents_list_is_due_is_a_note_not_the_list(
    tmp_path: Path, resources: str, what: str
) -> None:
    """``resources`` is a set of strings: Terraform converts no string to one, not even the
    JSON text of a list, and refuses the configuration.  rolelint read ``jsonencode(["*"])``
    as the list ``["*"]`` and reported write access on every resource (RL203, RL208) that
    nothing deploys; now the Resource is not analyzed, with a note at the argument."""
    text = 'locals {\n  arns_json = jsonencode(["*"])\n}\n' + document_policy(
        f'    actions   = ["s3:GetObject"]\n    resources = {resources}\n'
    )
    report = lint(tmp_path, text)
    assert report.findings == []
    line, column = place(text, f"resources = {resources}")
    assert noted(report) == [
        (
            line,
            column + len("resources = "),
            f"resources is {what}, where Terraform requires a list of strings: it refuses the"
            " configuration, so this value is not analyzed",
        )
    ]


# A string every way a module writes one, each given for a policy document's list argument.
STRINGS_FOR_A_LIST = {
    "file": 'file("${path.module}/arns.txt")',
    "templatefile": 'templatefile("${path.module}/arns.tpl", { bucket = "*" })',
    "literal": '"arn:aws:s3:::b/*"',
}


@pytest.mark.parametrize("resources", STRINGS_FOR_A_LIST.values(), ids=STRINGS_FOR_A_LIST.keys())
def test_a_files_or_templates_text_where_a_documents_list_is_due_is_a_note(
    tmp_path: Path, resources: str
) -> None:
    """``resources = file("arns.txt")`` is a string, which Terraform refuses for the list
    ("set of string required") as it refuses ``resources = "arn:..."``: the same note.  One
    reading of what a string is said so for a literal and not for a file's or template's
    text, which was left a value of a kind rolelint does not read, without a word (while
    ``tolist(file(...))`` was refused)."""
    (tmp_path / "arns.txt").write_text("arn:aws:s3:::b/*\n")
    (tmp_path / "arns.tpl").write_text("arn:aws:s3:::${bucket}/*")
    text = document_policy(f'    actions   = ["s3:DeleteObject"]\n    resources = {resources}\n')
    report = lint(tmp_path, text)
    assert report.findings == []
    line, column = place(text, f"resources = {resources}")
    assert noted(report) == [
        (
            line,
            column + len("resources = "),
            "resources is a string, where Terraform requires a list of strings: it refuses the"
            " configuration, so this value is not analyzed",
        )
    ]


@pytest.mark.parametrize("argument", ["identifiers", "values"])
def test_a_jsonencoded_list_as_principals_or_condition_values_is_a_note(
    tmp_path: Path, argument: str
) -> None:
    """The same for a principal's ``identifiers`` and a condition's ``values``: read as the
    list, ``identifiers = jsonencode(["*"])`` opened the role's trust to everyone (RL101)."""
    principals = '      type        = "AWS"\n      identifiers = IDS\n'
    condition = (
        '    condition {\n      test     = "StringEquals"\n      variable = "aws:SourceAccount"\n'
        "      values   = VALUES\n    }\n"
    )
    arns = 'jsonencode(["*"])'
    account = '["arn:aws:iam::111122223333:root"]'
    body = principals.replace("IDS", arns if argument == "identifiers" else account)
    text = (
        'data "aws_iam_policy_document" "trust" {\n  statement {\n'
        '    actions = ["sts:AssumeRole"]\n    principals {\n'
        + body
        + "    }\n"
        + condition.replace("VALUES", arns if argument == "values" else '["111122223333"]')
        + "  }\n}\n"
        'resource "aws_iam_role" "r" {\n  name               = "r"\n'
        "  assume_role_policy = data.aws_iam_policy_document.trust.json\n}\n"
    )
    report = lint(tmp_path, text)
    assert [notice.message.split(" is ")[0] for notice in report.notices] == [argument]
    if argument == "identifiers":
        assert "RL101" not in {finding.rule_id for finding in report.findings}


def open_trust(values: str) -> str:
    """A role whose trust admits any AWS principal under ``aws:PrincipalOrgID`` = ``values``."""
    return (
        'data "aws_iam_policy_document" "trust" {\n  statement {\n'
        '    actions = ["sts:AssumeRole"]\n    principals {\n'
        '      type        = "AWS"\n      identifiers = ["*"]\n    }\n'
        '    condition {\n      test     = "StringEquals"\n'
        f'      variable = "aws:PrincipalOrgID"\n      values   = {values}\n    }}\n'
        "  }\n}\n"
        'resource "aws_iam_role" "r" {\n  name               = "r"\n'
        "  assume_role_policy = data.aws_iam_policy_document.trust.json\n}\n"
    )


@pytest.mark.parametrize("values", ['"o-abcdefghij"', 'jsonencode(["o-abcdefghij"])'])
def test_refused_condition_values_yield_no_finding_read_ones_would_not(
    tmp_path: Path, values: str
) -> None:
    """A ``"*"`` principal whose condition's ``values`` Terraform refuses (a string) is judged
    as with the values read: no finding.  RL101 said "nothing limits who can use it", the
    condition weak as if whoever deploys chose its value, where nothing is deployed: an
    unknown value yielded a finding a known one does not.  The note stays."""
    for name in ("read", "refused"):
        (tmp_path / name).mkdir()
    read = lint(tmp_path / "read", open_trust('["o-abcdefghij"]'))
    refused = lint(tmp_path / "refused", open_trust(values))
    assert read.findings == refused.findings == []
    assert [notice.message.split(" is ")[0] for notice in refused.notices] == ["values"]


def only_interpolation_policy(template_variables: str) -> str:
    """A module whose policy's Resource is ``templatefile("r.tpl", ...)``."""
    return (
        'resource "aws_iam_policy" "p" {\n  name   = "p"\n'
        '  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow",'
        ' Action = "s3:GetObject", Resource = templatefile("${path.module}/r.tpl", '
        + template_variables
        + ") }] })\n}\n"
    )


@pytest.mark.parametrize("template", ["${arns}", "${ arns }", "${~ arns ~}"])
def test_a_template_file_of_one_interpolation_is_its_value_unconverted(
    tmp_path: Path, template: str
) -> None:
    """A template that is one ``${...}`` and nothing else is its value itself (HCL's
    TemplateWrapExpr, which templatefile() returns as it is): the list ``["*"]`` is the
    Resource, and RL208 reports reading every object.  rolelint refused it as a longer
    template is refused, and the ``"*"`` went unjudged."""
    (tmp_path / "r.tpl").write_text(template)
    report = checked(tmp_path, only_interpolation_policy('{ arns = ["*"] }'))
    assert report.errors == []
    assert [finding.rule_id for finding in report.findings] == ["RL208"]


def test_a_template_file_of_one_interpolation_and_a_line_feed_is_a_string(
    tmp_path: Path,
) -> None:
    """Guard: one line feed after it makes the template text, which includes no list:
    Terraform refuses it, so nothing is reported."""
    (tmp_path / "r.tpl").write_text("${arns}\n")
    report = checked(tmp_path, only_interpolation_policy('{ arns = ["*"] }'))
    assert report.errors == []
    assert report.findings == []


def test_a_template_file_of_one_interpolation_reads_only_its_variables(tmp_path: Path) -> None:
    """Its expression reads the template's variables alone: ``var.x`` is not one."""
    (tmp_path / "r.tpl").write_text("${var.arns}")
    text = 'variable "arns" {\n  default = ["*"]\n}\n' + only_interpolation_policy("{}")
    report = checked(tmp_path, text)
    assert report.findings == []


# A heredoc, file() or templatefile() used as a string, not as a policy: a value jsonencode()
# encodes, an item of a policy document's list.  Its text was kept to be parsed as a policy,
# and the policy grammar, which reads strings, dropped it: the statement lost its Resource.
TEMPLATE_CALL_X = 'templatefile("${path.module}/r.tpl", { x = "arn:aws:s3:::b/*" })'
TEXTS_AS_STRINGS = {
    "template-file": f"Resource = {TEMPLATE_CALL_X}",
    "template-file-in-a-list": f"Resource = [{TEMPLATE_CALL_X}]",
    "template-file-interpolated": f'Resource = "${{{TEMPLATE_CALL_X}}}"',
    "file": 'Resource = file("${path.module}/arn.txt")',
    "heredoc": "Resource = <<EOT\n${local.x}\nEOT\n",
}


def texts_as_strings_module(tmp_path: Path, resource: str) -> str:
    (tmp_path / "r.tpl").write_text("${x}\n")
    (tmp_path / "arn.txt").write_text("arn:aws:s3:::b/*\n")
    return (
        'locals {\n  x = "arn:aws:s3:::b/*"\n}\n'
        'resource "aws_iam_policy" "p" {\n  name   = "p"\n'
        '  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow",\n'
        f'    Action = "s3:GetObject",\n    {resource}\n  }}] }})\n}}\n'
    )


@pytest.mark.parametrize("resource", list(TEXTS_AS_STRINGS.values()), ids=list(TEXTS_AS_STRINGS))
def test_a_text_jsonencode_encodes_is_the_string_it_renders(tmp_path: Path, resource: str) -> None:
    """``Resource = templatefile("r.tpl", ...)`` whose template is ``${x}\\n`` is the string
    ``arn:...`` and a line feed, which IAM rejects (RL608 says so)."""
    text = texts_as_strings_module(tmp_path, resource)
    assert resources(text, tmp_path) == ["arn:aws:s3:::b/*\n"]
    report = checked(tmp_path, text)
    assert [finding.rule_id for finding in report.findings] == ["RL608"]


@pytest.mark.parametrize(
    "item", [TEMPLATE_CALL_X, 'file("${path.module}/arn.txt")'], ids=["template-file", "file"]
)
def test_a_text_in_a_documents_resources_is_the_string_it_renders(
    tmp_path: Path, item: str
) -> None:
    (tmp_path / "r.tpl").write_text("${x}\n")
    (tmp_path / "arn.txt").write_text("arn:aws:s3:::b/*\n")
    text = document_policy(f'    actions   = ["s3:GetObject"]\n    resources = [{item}]\n')
    assert resources(text, tmp_path) == ["arn:aws:s3:::b/*\n"]
    report = checked(tmp_path, text)
    assert [(f.rule_id, f.location.line) for f in report.findings] == [
        ("RL608", place(text, item)[0])
    ]


def test_a_template_file_used_as_a_string_reads_only_its_variables(tmp_path: Path) -> None:
    """Guard: rendered as a string, its interpolations read the template's variables alone."""
    text = texts_as_strings_module(tmp_path, f"Resource = {TEMPLATE_CALL_X}")
    (tmp_path / "r.tpl").write_text("${local.x}\n")
    assert resources(text, tmp_path) == [None]


# The JSON template Terraform's documentation recommends: one ``${jsonencode({...})}``, which
# an editor ends with a line feed.  HCL makes a string of it, the JSON text and that line
# feed, which IAM reads as the JSON: rolelint left the policy unread ("the policy text is not
# a JSON object") and reported nothing where the same template without the line feed is RL203.
ENCODED_TEMPLATE = (
    '${jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow",'
    ' Action = "s3:PutObject", Resource = res }] })}'
)
ENCODED_CALL = 'templatefile("${path.module}/p.json.tpl", { res = "*" })'
ENCODED_POLICY = (
    f'resource "aws_iam_policy" "p" {{\n  name   = "p"\n  policy = {ENCODED_CALL}\n}}\n'
)
PADDINGS = {
    "line-feed": ("", "\n"),
    "crlf": ("", "\r\n"),
    "lines-before-and-indented": ("\n\n  ", "\n"),
    "tabs-and-spaces": ("\t \n", " \t\n\n"),
}


def findings_placed(report: Report) -> list[tuple[str, str, int, int]]:
    return [
        (f.rule_id, Path(f.location.file).name, f.location.line, f.location.column)
        for f in report.findings
    ]


@pytest.mark.parametrize(("before", "after"), PADDINGS.values(), ids=PADDINGS.keys())
def test_a_template_file_of_a_jsonencoded_document_and_blanks_is_that_document(
    tmp_path: Path, before: str, after: str
) -> None:
    """What the template without blanks reports, each finding in the template where its value
    is written (the blanks before it counted), and no note."""
    template = before + ENCODED_TEMPLATE + after
    (tmp_path / "p.json.tpl").write_bytes(template.encode())
    report = checked(tmp_path, ENCODED_POLICY)
    assert report.errors == [] and report.notices == []
    line, column = place(template.replace("\r", ""), "res }")
    assert findings_placed(report) == [("RL203", "p.json.tpl", line, column)]


def test_a_template_file_of_a_jsonencoded_document_reads_as_without_the_line_feed(
    tmp_path: Path,
) -> None:
    """The same findings at the same places as the template that is the interpolation alone."""
    (tmp_path / "p.json.tpl").write_text(ENCODED_TEMPLATE)
    alone = checked(tmp_path, ENCODED_POLICY)
    (tmp_path / "p.json.tpl").write_text(ENCODED_TEMPLATE + "\n")
    padded = checked(tmp_path, ENCODED_POLICY)
    assert findings_placed(padded) == findings_placed(alone) != []


def test_a_template_file_of_a_string_holding_json_and_a_line_feed_is_that_json(
    tmp_path: Path,
) -> None:
    """A string holding a JSON object, interpolated with a line feed after it: the JSON and
    the line feed, which IAM reads as the JSON."""
    (tmp_path / "p.json.tpl").write_text("${doc}\n")
    document = (
        '{"Version": "2012-10-17",'
        ' "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}'
    )
    variables = "{ doc = " + json.dumps(document) + " }"
    text = ENCODED_POLICY.replace('{ res = "*" }', variables)
    report = checked(tmp_path, text)
    assert report.errors == [] and report.notices == []
    assert "RL201" in [finding.rule_id for finding in report.findings]


def test_a_template_file_of_a_conditional_document_and_a_line_feed_is_each_branch(
    tmp_path: Path,
) -> None:
    """A condition rolelint does not decide chooses between two documents: each is read, the
    write on every resource of one branch reported."""
    (tmp_path / "p.json.tpl").write_text(
        ENCODED_TEMPLATE.replace("${jsonencode(", "${open ? jsonencode(").replace(
            "})}", '}) : jsonencode({ Version = "2012-10-17", Statement = [] })}'
        )
        + "\n"
    )
    text = 'variable "open" {\n  type = bool\n}\n' + ENCODED_POLICY.replace(
        '{ res = "*" }', '{ res = "*", open = var.open }'
    )
    report = checked(tmp_path, text)
    assert report.errors == []
    assert [finding.rule_id for finding in report.findings] == ["RL203"]


def test_file_of_a_jsonencode_template_is_the_text_as_written(tmp_path: Path) -> None:
    """Guard: ``file()`` renders nothing: AWS gets ``${jsonencode(...)}`` itself, which is no
    JSON (IAM rejects it), as before."""
    (tmp_path / "p.json.tpl").write_text(ENCODED_TEMPLATE + "\n")
    text = ENCODED_POLICY.replace(ENCODED_CALL, 'file("${path.module}/p.json.tpl")')
    report = checked(tmp_path, text)
    assert [finding.rule_id for finding in report.findings] == ["RL604"]


def test_a_template_file_of_a_list_and_blanks_is_still_refused(tmp_path: Path) -> None:
    """Guard: blanks around a list make a string Terraform refuses; nothing is reported."""
    (tmp_path / "r.tpl").write_text("\n  ${arns}\n")
    report = checked(tmp_path, only_interpolation_policy('{ arns = ["*"] }'))
    assert report.errors == []
    assert report.findings == []


# A template of one interpolation with blanks around it whose value is no JSON object: a
# string, rendered with the blanks, as a policy document's Resource.  (what is written, the
# Resource the provider renders, how many calls it holds)
LONE_STRINGS = {
    "heredoc": ('[<<EOT\n${lower("ARN:aws:s3:::b")}\nEOT\n    ]', "arn:aws:s3:::b\n", 1),
    "templatefile": (
        '[templatefile("${path.module}/r.tpl", { arn = "ARN:aws:s3:::b" })]',
        "\narn:aws:s3:::b\n",
        2,
    ),
}


@pytest.mark.parametrize(
    ("resources", "rendered", "calls"), LONE_STRINGS.values(), ids=LONE_STRINGS.keys()
)
def test_a_padded_interpolation_that_is_no_document_is_evaluated_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, resources: str, rendered: str, calls: int
) -> None:
    """The one interpolation of a heredoc or template with blanks around it is evaluated to
    tell whether it renders a policy; when it does not, the string it renders is made of
    that value, not of the interpolation evaluated a second time (each call of it was made
    twice, and so was everything it refers to)."""
    (tmp_path / "r.tpl").write_text("\n${lower(arn)}\n")
    text = document_policy(f'    actions   = ["s3:*"]\n    resources = {resources}\n')
    made = count_calls(monkeypatch, Evaluator, "call")
    report = lint(tmp_path, text)
    assert made.count == calls
    assert [finding.rule_id for finding in report.findings] == ["RL202", "RL608"]
    assert f"names Resource '{rendered}'" in report.findings[1].message


def test_a_template_file_after_a_byte_order_mark_is_read_without_it(tmp_path: Path) -> None:
    """HCL's scanner drops a byte order mark before it reads a template (hclsyntax's
    scanTokens), so ``${arns}`` after one is still the one interpolation, the list itself
    (RL208); rolelint read the mark as text, which made a string of it Terraform refuses."""
    (tmp_path / "r.tpl").write_bytes(b"\xef\xbb\xbf${arns}")
    report = checked(tmp_path, only_interpolation_policy('{ arns = ["*"] }'))
    assert report.errors == []
    assert [finding.rule_id for finding in report.findings] == ["RL208"]


def test_a_json_template_after_a_byte_order_mark_is_read_without_it(tmp_path: Path) -> None:
    """A JSON template that interpolates, after a byte order mark: Terraform renders the JSON
    without the mark, and it is read (it was "could not be read as JSON")."""
    (tmp_path / "p.json.tpl").write_bytes(
        b'\xef\xbb\xbf{"Version": "2012-10-17", "Statement": [{"Effect": "Allow",'
        b' "Action": "s3:PutObject", "Resource": "${res}"}]}\n'
    )
    report = checked(tmp_path, ENCODED_POLICY)
    assert report.errors == [] and report.notices == []
    assert [finding.rule_id for finding in report.findings] == ["RL203"]


# A JSON string of a heredoc or template that is one ``${...}`` of a file's, heredoc's or
# template's text (``"Resource": "${file("arn.txt")}"``): Terraform renders the text into the
# string.  rolelint kept the text to be parsed as a policy, which the policy grammar, reading
# strings, dropped without a word: the statement lost its Resource.
TEXTS_IN_JSON_STRINGS = {
    "file": 'file("${path.module}/arn.txt")',
    "local-file": "local.f",
    "template-file": 'templatefile("${path.module}/r.tpl", { x = "b" })',
}


def texts_in_json_strings_module(tmp_path: Path, item: str, arn: str) -> str:
    (tmp_path / "r.tpl").write_text("arn:aws:s3:::${x}/*")
    (tmp_path / "arn.txt").write_text(arn)
    statement = READ_ANY.replace("RESOURCE", f'"${{{item}}}"')
    return heredoc_policy(statement, 'locals {\n  f = file("${path.module}/arn.txt")\n}\n')


@pytest.mark.parametrize("item", TEXTS_IN_JSON_STRINGS.values(), ids=TEXTS_IN_JSON_STRINGS.keys())
def test_a_text_a_json_string_interpolates_is_the_string_it_renders(
    tmp_path: Path, item: str
) -> None:
    text = texts_in_json_strings_module(tmp_path, item, "arn:aws:s3:::b/*")
    assert resources(text, tmp_path) == ["arn:aws:s3:::b/*"]


def test_a_text_a_template_files_json_string_interpolates_is_the_string_it_renders(
    tmp_path: Path,
) -> None:
    """The same in a templatefile() policy, the file's text given as its variable."""
    (tmp_path / "arn.txt").write_text("arn:aws:s3:::b/*")
    (tmp_path / "p.tpl").write_text(
        '{"Version": "2012-10-17", "Statement": [' + READ_ANY.replace("RESOURCE", '"${f}"') + "]}"
    )
    text = (
        'resource "aws_iam_policy" "p" {\n  name   = "p"\n'
        '  policy = templatefile("${path.module}/p.tpl", { f = file("${path.module}/arn.txt") })\n'
        "}\n"
    )
    assert resources(text, tmp_path) == ["arn:aws:s3:::b/*"]


def test_a_text_with_a_line_feed_a_json_string_interpolates_is_misread(tmp_path: Path) -> None:
    """Guard: a file's line feed, written into the JSON string as it is, is no JSON Terraform
    reads as written: unknown, with the note of any such rendered character."""
    text = texts_in_json_strings_module(
        tmp_path, TEXTS_IN_JSON_STRINGS["file"], "arn:aws:s3:::b/*\n"
    )
    assert resources(text, tmp_path) == [None]
    report = checked(tmp_path, text)
    assert report.findings == []
    assert [notice.message for notice in report.notices] == [
        f"this string is not analyzed: {MISREAD_IN_JSON}"
    ]


class _Unread:
    """A value of a kind the policy grammar does not read."""


@pytest.mark.parametrize("listed", [False, True], ids=["alone", "in-a-list"])
def test_a_value_of_a_kind_the_grammar_does_not_read_is_unknown_at_its_place(listed: bool) -> None:
    """Never dropped: an element that loses a value says other than the file (a Resource gone
    is a statement IAM rejects, or one that grants more, read with a NotResource).  Unknown,
    where it is written, and not the deployer's choice: no one passes it in."""
    statement = PMap(Span.point(1, 1))
    written = Span.point(2, 5)
    resource = PSeq(written) if listed else _Unread()
    if isinstance(resource, PSeq):
        resource.add(_Unread(), written)
    statement.set("Effect", "Allow", None, None)
    statement.set("Action", "s3:GetObject", None, None)
    statement.set("Resource", resource, None, written)
    built = PolicyBuilder("p.json").statement(statement, statement.span, "p")
    assert built.resources == (Value(None, SourceRef("p.json", written), UNREAD_KIND, True),)


# A string left unknown because the JSON Terraform makes of it is not the one written (a
# rendered quote, a backslash before a ${...}, a ${jsonencode(...)} inside a string) is in
# no deployment as written (most often no JSON at all, which IAM rejects): not the
# deployer's choice.  It was read as a variable's unknown: RL101 (low) said whoever deploys
# decides the condition of a "*" trust, where the same condition read has no finding.
ORG_TRUST = (
    "locals {\n  org = ORG\n}\n"
    'resource "aws_iam_role" "r" {\n  name = "r"\n  assume_role_policy = <<EOT\n'
    '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"},'
    ' "Action": "sts:AssumeRole",\n'
    '  "Condition": {"StringEquals": {"aws:PrincipalOrgID": VALUE}}}]}\nEOT\n}\n'
)
MISREAD_VALUES = {
    "rendered-quote": ('"o-a1b2c3d4e5\\"x"', '"${local.org}"'),
    "backslash-before": ('"o-a1b2c3d4e5"', '"\\${local.org}"'),
    "jsonencode-in-a-string": ('"o-a1b2c3d4e5"', '"${jsonencode(local.org)}"'),
}


@pytest.mark.parametrize(("org", "value"), MISREAD_VALUES.values(), ids=MISREAD_VALUES.keys())
def test_a_string_json_misreads_is_no_deployers_choice(
    tmp_path: Path, org: str, value: str
) -> None:
    report = checked(tmp_path, ORG_TRUST.replace("ORG", org).replace("VALUE", value))
    assert report.errors == []
    assert report.findings == []
    assert [notice.message.split(":")[0] for notice in report.notices] == [
        "this string is not analyzed"
    ]


def test_a_condition_read_as_written_has_no_finding(tmp_path: Path) -> None:
    """Guard: the same trust, its condition read, is no finding."""
    text = ORG_TRUST.replace("ORG", '"o-a1b2c3d4e5"').replace("VALUE", '"${local.org}"')
    report = checked(tmp_path, text)
    assert (report.errors, report.findings, report.notices) == ([], [], [])


# The same JSON written as a heredoc: ``policy = <<EOT``, one ``${jsonencode({...})}`` line,
# ``EOT``.  HCL renders the value's text and the line feed that ends the heredoc's line, as it
# does the template file's; rolelint read the heredoc as text holding a JSON string ("the
# policy text is not a JSON object") and judged nothing.
HEREDOC_OPENERS = {"plain": ("<<EOT\n", "", "EOT"), "indented": ("<<-EOT\n", "    ", "  EOT")}


@pytest.mark.parametrize(
    ("opener", "indent", "closer"), HEREDOC_OPENERS.values(), ids=HEREDOC_OPENERS.keys()
)
def test_a_heredoc_of_a_jsonencoded_document_is_that_document(
    tmp_path: Path, opener: str, indent: str, closer: str
) -> None:
    """What the templatefile() of the same text reports, at the place the value is written in
    the heredoc, and no note."""
    heredoc = opener + indent + ENCODED_TEMPLATE.replace("res", '"*"') + "\n" + closer
    text = ENCODED_POLICY.replace(ENCODED_CALL, heredoc)
    report = checked(tmp_path, text)
    assert report.errors == [] and report.notices == []
    line, column = place(text, '"*" }')
    assert findings_placed(report) == [("RL203", "main.tf", line, column)]


def test_a_heredoc_of_a_list_and_a_line_feed_is_still_refused(tmp_path: Path) -> None:
    """Guard: only JSON text of an object reads as the document; a list in a heredoc is
    still a value Terraform refuses in a string, the policy not analysed."""
    text = ENCODED_POLICY.replace(ENCODED_CALL, '<<EOT\n${["*"]}\nEOT')
    report = checked(tmp_path, text)
    assert report.findings == [] and report.errors == [] and report.notices != []


# A template that is only ``${m}`` gives ``m`` itself (HCL's TemplateWrapExpr): with ``m`` an
# object, ``policy = templatefile(...)`` is an object, and the provider's ``policy`` is a string
# (Terraform fails the plan: "string required").  rolelint read the object as the policy and
# reported RL201 on what is never deployed.
OBJECT_POLICY = ENCODED_POLICY.replace(
    '{ res = "*" }',
    '{ m = { Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "*",'
    ' Resource = "*" }] } }',
)


def test_a_template_file_that_is_an_object_is_no_policy(tmp_path: Path) -> None:
    """No finding: the policy is not analyzed, with a note saying Terraform requires a string."""
    (tmp_path / "p.json.tpl").write_text("${m}")
    report = checked(tmp_path, OBJECT_POLICY)
    assert report.findings == [] and report.errors == []
    assert [notice.message.endswith(OBJECT_AS_POLICY) for notice in report.notices] == [True]


def test_a_template_file_that_jsonencodes_the_object_is_still_read(tmp_path: Path) -> None:
    """Guard: ``${jsonencode(m)}`` is the object's JSON text, a string: the policy is read."""
    (tmp_path / "p.json.tpl").write_text("${jsonencode(m)}")
    report = checked(tmp_path, OBJECT_POLICY)
    assert report.notices == [] and [f.rule_id for f in report.findings] == ["RL201"]


def test_a_branch_that_is_an_object_leaves_the_other_branch_read(tmp_path: Path) -> None:
    """A condition rolelint does not decide between the object and its JSON text: the object's
    branch is not analyzed, the string's is (RL201)."""
    (tmp_path / "p.json.tpl").write_text("${m}")
    (tmp_path / "q.json.tpl").write_text("${jsonencode(m)}")
    text = (
        'variable "raw" {\n  type = bool\n}\n'
        "locals {\n"
        '  m = { Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "*",'
        ' Resource = "*" }] }\n'
        "}\n"
        'resource "aws_iam_policy" "p" {\n  name   = "p"\n'
        '  policy = var.raw ? templatefile("${path.module}/p.json.tpl", { m = local.m })'
        ' : templatefile("${path.module}/q.json.tpl", { m = local.m })\n}\n'
    )
    report = checked(tmp_path, text)
    assert report.errors == [] and [f.rule_id for f in report.findings] == ["RL201"]
