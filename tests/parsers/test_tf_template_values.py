"""Values a Terraform heredoc or template writes into policy text, read as Terraform writes them.

- A template writes text: each ``${...}`` is converted to a string, and Terraform refuses a
  list or an object there ("Invalid template interpolation value: Cannot include the given
  value in a string template: string required", hcl's TemplateExpr).  ``"Statement":
  [${local.statement}]`` with an HCL object, ``"Resource": ${local.arns}`` and ``"Resource":
  "${local.arns}"`` with a list were read as the tree (as if jsonencode()d): RL201 or RL208 on
  a policy Terraform never renders.  Each is now an error at the interpolation (exit 2), as a
  template's syntax error is, and the policy is not analyzed, with a note; where only a
  branch of a condition rolelint cannot decide interpolates one, the policy is unknown with a
  note, and no error.
- So does null (``${null}``, a variable whose value is null): "Invalid template interpolation
  value: The expression result is null".  Spliced in place of a JSON value it was read as
  JSON's null (``"Condition": ${null}`` an Allow of everything with no condition, RL201), in a
  JSON string as an unknown part of it without a word.  It is now the same error and note.
- ``file()``'s text spliced in place of a JSON value (``"Resource": ${file("arn.txt")}``) was
  unknown without a word, where a string's text spliced there is read as the JSON it is, or
  leaves the policy unknown with a note when it is none.  A file's text is now that string.
- ``resources = [local.statement_json]`` in an ``aws_iam_policy_document`` (the local a
  jsonencode()d map) was read as a map ("not a plain value"), where Terraform has a string,
  the map's JSON text: a Resource that is no ARN, which IAM rejects (RL608).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from rolelint.api import lint_paths
from rolelint.findings import Report
from rolelint.parsers.tf_eval import NOT_A_STRING, NULL_INTERPOLATED, SPLICED_NOT_JSON
from tests.conftest import run_rolelint
from tests.parsers.test_tf_jsonencode_corners import ADMIN_DOCUMENT
from tests.parsers.test_tf_template_json import heredoc_policy, lint, place

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


def refused(report: Report) -> list[tuple[int, int, str]]:
    """Each input error of ``report``: line, column and message."""
    return [(error.line or 0, error.column or 0, error.message) for error in report.errors]


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


@pytest.mark.parametrize(("statement", "written", "kind"), REFUSED.values(), ids=REFUSED.keys())
def test_a_list_or_object_a_heredoc_interpolates_is_an_error(
    tmp_path: Path, statement: str, written: str, kind: str
) -> None:
    """Terraform refuses the template: an error at the interpolation, the policy not
    analyzed (a note says why); before, the tree was read (RL201 for the statement, RL208 for
    the list) or the string was unknown without a word."""
    text = heredoc_policy(statement, STATEMENT)
    report = checked(tmp_path, text)
    message = f"invalid template interpolation: Terraform cannot include {kind} in a string"
    assert refused(report) == [(*place(text, written), f"{message} template (string required)")]
    assert report.findings == []
    [notice] = report.notices
    assert (notice.line, notice.column) == place(text, "<<EOT")
    line = place(text, written)[0]
    assert notice.message == (
        "the policy aws_iam_policy.p is not analyzed: the ${...} (line "
        f"{line}) interpolates {kind}, {NOT_A_STRING}"
    )


def test_a_list_a_template_file_interpolates_is_an_error_in_the_template(tmp_path: Path) -> None:
    """templatefile() fails the same way: the error is at the template's line."""
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
    assert [(e.file, e.line, e.column) for e in report.errors] == [
        (str(tmp_path / "policy.json.tpl"), *place(template, "arns}"))
    ]
    assert report.findings == []
    [notice] = report.notices
    assert "(policy.json.tpl line 2) interpolates a list" in notice.message


def test_a_rejected_template_fails_the_run_and_the_rest_is_judged(tmp_path: Path) -> None:
    """The command line: exit 2, the error said, the module's other policy still judged."""
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
    assert result.returncode == 2, result.stdout + result.stderr
    line, column = place(text, "local.statement}")
    assert f"main.tf:{line}:{column}: error: invalid template interpolation" in result.stdout
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
    [notice] = report.notices
    assert notice.message.endswith(
        f"interpolates a list where a condition rolelint does not decide chooses it, {NOT_A_STRING}"
    )


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
NULL_ERROR = (
    "invalid template interpolation: the expression result is null, and Terraform cannot"
    " include null in a string template"
)


@pytest.mark.parametrize(("statement", "written"), NULLS.values(), ids=NULLS.keys())
def test_null_a_heredoc_interpolates_is_an_error(
    tmp_path: Path, statement: str, written: str
) -> None:
    """Terraform refuses the template: an error at the interpolation, the policy not
    analyzed (a note says why); before, null was JSON's null (RL201 for the Allow of
    everything with a null Condition) or an unknown part of a string, without a word.  The
    variable is set null by the module's variable file."""
    (tmp_path / "terraform.tfvars").write_text("arn = null\n")
    text = heredoc_policy(statement, NULL_VARIABLE)
    report = checked(tmp_path, text)
    assert refused(report) == [(*place(text, written), NULL_ERROR)]
    assert report.findings == []
    [notice] = report.notices
    assert notice.message == (
        "the policy aws_iam_policy.p is not analyzed: the ${...} (line "
        f"{place(text, written)[0]}) interpolates null, {NULL_INTERPOLATED}"
    )


def test_null_a_template_file_interpolates_is_an_error_in_the_template(tmp_path: Path) -> None:
    """templatefile() with a null in its map fails the same way, at the template's line."""
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
    assert [(e.file, e.line, e.column, e.message) for e in report.errors] == [
        (str(tmp_path / "policy.json.tpl"), *place(template, "arn}"), NULL_ERROR)
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
    report = checked(tmp_path, heredoc_policy(READ_ANY.replace("RESOURCE", resource), variables))
    assert report.errors == [] and report.findings == []
    [notice] = report.notices
    assert notice.message.endswith(
        f"interpolates null where a condition rolelint does not decide chooses it, "
        f"{NULL_INTERPOLATED}"
    )


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
    analyzed, with a note that says so, and no error; before this, an error, as if every
    deployment failed (a module's folder read on its own is such a root)."""
    resource = '"arn:aws:s3:::${var.arn}/*"'
    text = heredoc_policy(READ_ANY.replace("RESOURCE", resource), NULL_VARIABLE)
    report = checked(tmp_path, text)
    assert report.errors == [] and report.findings == []
    [notice] = report.notices
    assert notice.message.endswith(
        "interpolates null, a variable's default, where whoever deploys passes no other"
        f" value, {NULL_INTERPOLATED}"
    )


def test_null_a_child_modules_default_gives_is_an_error_of_the_call(tmp_path: Path) -> None:
    """A call that passes no value leaves the child its default: that instance fails, an error
    at the interpolation in the child (the folder read on its own: only a note)."""
    child = tmp_path / "modules" / "reader"
    child.mkdir(parents=True)
    resource = '"arn:aws:s3:::${var.arn}/*"'
    module_text = heredoc_policy(READ_ANY.replace("RESOURCE", resource), NULL_VARIABLE)
    (child / "main.tf").write_text(module_text)
    report = checked(tmp_path, 'module "reader" {\n  source = "./modules/reader"\n}\n')
    assert [(Path(e.file).name, e.line, e.column, e.message) for e in report.errors] == [
        ("main.tf", *place(module_text, "var.arn"), NULL_ERROR)
    ]
    assert Path(report.errors[0].file).parent == child
