"""Template directives and ``jsonencode()`` in quoted HCL strings, read as Terraform renders them.

- A quoted string is a template in HCL, and ``%{ if }``/``%{ for }`` directives are rendered
  in it as in a heredoc: ``actions = ["s3:%{ if var.rw }*%{ else }Get*%{ endif }"]``.
  rolelint read them only inside the JSON strings of a heredoc or template; a quoted string
  holding one was unknown, and nothing said so (a policy's ``s3:*`` never judged).  Now the
  same code renders both: the branch a known condition takes, both branches of an unknown
  one, each paired with the other conditionals on that condition as ``c ? a : b`` is; and a
  string whose directives cannot be rendered is unknown, with a note.  Directives that do not
  nest, which Terraform rejects, were such a note: they are an error of the file.
- ``jsonencode(x)`` is a string, x's JSON text, wherever it goes: ``"x-${jsonencode(v)}"``
  is ``x-"v"``, and ``local.enc`` (``enc = jsonencode(local.arns)``) is ``["a","*"]`` in a
  list of resources or a JSON string.  rolelint's jsonencode() kept x's tree (right where
  the text is read back as JSON: a whole policy, a value spliced in place of a JSON value),
  and only ``"${jsonencode(x)}"`` written inside a heredoc's JSON string was read as text:
  through a local or another function it was x again (the ARN without its quotes, the list
  ``["a","*"]`` as a list: RL203 for a "*" no deployment has).  It is now the text Terraform
  renders, or unknown with a note where that text breaks the JSON around it.
- A list, an object or null among a quoted string's parts (``"arn:${local.arns}"``) left the
  string unknown without a word, or with a note that did not say why; Terraform refuses the
  template if the value is as rolelint reads it, as a heredoc's: a note at the interpolation
  (no try() around it, no branch rolelint does not decide), in a heredoc's words, and never an
  error of the run: a deployment may have another value.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from rolelint.api import lint_paths, read_inventory
from rolelint.findings import Report
from rolelint.parsers.tf_eval import MISREAD_IN_JSON, not_a_string
from tests.conftest import run_rolelint
from tests.parsers.test_paired_branches import found, lint_module
from tests.parsers.test_tf_paired_paths import CHOSEN_RESOURCE, expected, inline
from tests.parsers.test_tf_template_corners import ENCODED, ENCODES, cli_check, statement
from tests.parsers.test_tf_template_json import heredoc_policy, place, resources

SWITCHES = 'variable "rw" {\n  default = true\n}\nvariable "env" {\n  default = "prod"\n}\n'


def document(actions: str, resources: str, variables: str = SWITCHES) -> str:
    """A module of one standalone policy made by an ``aws_iam_policy_document`` of one
    statement with ``actions`` and ``resources`` (HCL expressions)."""
    return (
        variables
        + 'data "aws_iam_policy_document" "d" {\n  statement {\n'
        + f"    actions   = {actions}\n    resources = {resources}\n  }}\n}}\n"
        + 'resource "aws_iam_policy" "p" {\n  name   = "p"\n'
        + "  policy = data.aws_iam_policy_document.d.json\n}\n"
    )


def read(tmp_path: Path, text: str) -> tuple[list[str | None], list[str | None]]:
    """The Action and Resource texts of the module's one standalone policy."""
    (tmp_path / "main.tf").write_text(text)
    inventory, report = read_inventory([str(tmp_path)])
    assert report.errors == []
    [policy] = inventory.standalone_policies
    return (
        [value.text for statement in policy.statements for value in statement.actions],
        [value.text for statement in policy.statements for value in statement.resources],
    )


def lint(tmp_path: Path, text: str) -> Report:
    (tmp_path / "main.tf").write_text(text)
    report = lint_paths([str(tmp_path)])
    assert report.errors == []
    return report


@pytest.mark.parametrize(
    ("rw", "action"),
    [("true", "s3:*"), ("false", "s3:Get*")],
)
def test_a_directive_in_a_quoted_string_renders_the_branch_its_condition_takes(
    tmp_path: Path, rw: str, action: str
) -> None:
    """The Action was unknown, without a word: the s3:* of every deployment never judged."""
    text = document(
        '["s3:%{ if var.rw }*%{ else }Get*%{ endif }"]',
        '["arn:aws:s3:::%{ if var.env == "prod" }prod%{ else }dev%{ endif }-bucket/*"]',
        SWITCHES.replace("true", rw),
    )
    assert read(tmp_path, text) == ([action], ["arn:aws:s3:::prod-bucket/*"])
    report = lint(tmp_path, text)
    assert report.notices == []
    rules = {(f.rule_id, f.location.line) for f in report.findings}
    assert (("RL202", place(text, "actions")[0]) in rules) is (rw == "true")


@pytest.mark.parametrize(
    ("written", "rendered"),
    [
        ('"arn:aws:s3:::%{ for b in ["x", "y"] }${b}-%{ endfor }/*"', "arn:aws:s3:::x-y-/*"),
        (
            '"arn:aws:s3:::%{ for i, b in ["x", "y"] }${b}%{ if i == 0 }-%{ endif }%{ endfor }"',
            "arn:aws:s3:::x-y",
        ),
        ('"arn:aws:s3:::%{ if true ~}   x   %{~ endif }/*"', "arn:aws:s3:::x/*"),
        ('"arn:aws:s3:::a%{ if false }b%{ endif }%%{ x }"', "arn:aws:s3:::a%{ x }"),
        ('"arn:aws:s3:::%{ if var.env != "prod" }dev%{ endif }*"', "arn:aws:s3:::*"),
    ],
    ids=["for", "for-with-key-and-if", "strip-markers", "escape", "empty-branch"],
)
def test_directives_in_a_quoted_string_render_as_in_a_heredoc(
    tmp_path: Path, written: str, rendered: str
) -> None:
    text = document('["s3:GetObject"]', f"[{written}]")
    assert read(tmp_path, text) == (["s3:GetObject"], [rendered])
    assert lint(tmp_path, text).notices == []


def test_a_directive_on_an_unknown_condition_pairs_with_a_conditional_on_it(
    tmp_path: Path,
) -> None:
    """As ``var.admin ? "s3:*" : "s3:GetObject"`` does: admin's s3:* on the logs (RL202), the
    reader's s3:GetObject on every resource (RL208), never s3:* on every resource (RL203)."""
    text = inline('"s3:%{ if var.admin }*%{ else }GetObject%{ endif }"', CHOSEN_RESOURCE)
    assert found(lint_module(tmp_path, {"main.tf": text})) == expected(text)


def test_directives_on_one_unknown_condition_pair_with_each_other(tmp_path: Path) -> None:
    """Both elements of the statement written with directives."""
    text = inline(
        '"s3:%{ if var.admin }*%{ else }GetObject%{ endif }"',
        '"%{ if var.admin }arn:aws:s3:::logs/*%{ else }*%{ endif }"',
    )
    assert found(lint_module(tmp_path, {"main.tf": text})) == expected(text)


def test_a_directive_over_a_collection_not_known_leaves_its_string_unknown_with_a_note(
    tmp_path: Path,
) -> None:
    """Never the literal text of a directive, never a branch: the string is unknown (it was,
    but without a word)."""
    written = '"%{ for a in var.actions }${a}%{ endfor }"'
    variables = SWITCHES + 'variable "actions" {\n  type = list(string)\n}\n'
    text = document(f"[{written}]", '["*"]', variables)
    assert read(tmp_path, text) == ([None], ["*"])
    report = lint(tmp_path, text)
    reason = "the collection of its %{ for } is not known: variable actions has no default"
    assert [(n.line, n.column, n.message) for n in report.notices] == [
        (*place(text, written), f"this string is not analyzed: {reason}")
    ]


@pytest.mark.parametrize(
    ("written", "at", "message"),
    [
        ('"%{ if var.rw }*"', "%{ if", "%{ if } without its %{ endif }"),
        ('"*%{ endif }"', "%{ endif", "%{ endif } out of place"),
        ('"%{ if var.rw }*%{ endfor }"', "%{ endfor", "%{ endfor } out of place"),
    ],
    ids=["no-endif", "endif-alone", "mismatched"],
)
def test_directives_that_do_not_nest_in_a_quoted_string_are_an_error(
    tmp_path: Path, written: str, at: str, message: str
) -> None:
    """Terraform rejects the file ("The control directives within this template are
    unbalanced"); it was a note, the string unknown, and exit code 0."""
    text = document(f"[{written}]", '["*"]')
    (tmp_path / "main.tf").write_text(text)
    report = lint_paths([str(tmp_path)])
    line, column = place(text, written)
    assert [(e.line, e.column, e.message) for e in report.errors] == [
        (line, column + written.index(at), f"invalid HCL: {message}")
    ]
    assert report.notices == []


def test_a_directive_in_a_jsonencoded_policy_is_rendered(tmp_path: Path) -> None:
    """jsonencode({...}) of an HCL object: its strings are quoted HCL strings."""
    text = inline('"s3:%{ if var.admin }*%{ else }GetObject%{ endif }"', '"*"').replace(
        'variable "admin" {\n  type = bool\n}\n', 'variable "admin" {\n  default = false\n}\n'
    )
    report = lint(tmp_path, text)
    assert report.notices == []
    assert found(report.findings) == {("RL208", place(text, "Resource =")[0])}


def test_the_command_line_reports_what_a_quoted_directive_renders(tmp_path: Path) -> None:
    """Nothing was reported, nor noted."""
    written = '"%{ if var.env == "prod" }*%{ else }arn:aws:s3:::dev/*%{ endif }"'
    text = document('["s3:GetObject"]', f"[{written}]")
    (tmp_path / "main.tf").write_text(text)
    assert cli_check(tmp_path) == {"findings": [("RL208", *place(text, written))], "notices": []}


ENCODING = (
    ENCODES + "locals {\n  enc  = jsonencode(local.arns)\n  enc1 = jsonencode(local.arn)\n}\n"
)


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ('"${local.enc}"', ENCODED),
        ('"${local.enc1}"', ENCODED),
        ('"${var.on ? local.enc : "arn:aws:s3:::x/*"}"', ENCODED),
        ('"arn:${local.enc1}"', ENCODED),
        (
            '"${format("%s", jsonencode(local.arn))}"',
            f"this string is not analyzed: {MISREAD_IN_JSON}",
        ),
        ('"${lower(local.enc1)}"', f"this string is not analyzed: {MISREAD_IN_JSON}"),
    ],
    ids=["local-list", "local-string", "conditional", "after-text", "format", "lower"],
)
def test_jsonencode_through_a_local_or_a_function_in_a_json_string_is_noted(
    tmp_path: Path, written: str, message: str
) -> None:
    """It was the ARN unencoded, or the list itself (RL203 for its "*"): only a
    ``${jsonencode(...)}`` written in the string was read as the text it renders."""
    text = heredoc_policy(statement(written), ENCODING + 'variable "on" {\n  type = bool\n}\n')
    assert None in resources(text, tmp_path)
    report = lint(tmp_path, text)
    assert [(n.line, n.column, n.message) for n in report.notices] == [
        (*place(text, written), message)
    ]
    assert report.findings == []


@pytest.mark.parametrize(
    ("written", "rendered"),
    [
        ('"x-${jsonencode(local.arn)}"', 'x-"arn:aws:s3:::b/*"'),
        ("local.enc1", '"arn:aws:s3:::b/*"'),
        ("local.enc", '["arn:aws:s3:::b/*","*"]'),
        ('format("%s", jsonencode("*"))', '"*"'),
        ('"${jsonencode("*")}"', '"*"'),
        ('"a-${jsonencode(["*", 1, true, null])}"', 'a-["*",1,true,null]'),
        ('"a-${jsonencode({ b = "*", a = 1.50 })}"', 'a-{"a":1.5,"b":"*"}'),
    ],
    ids=["interpolated", "local", "local-list", "format", "alone", "list", "object"],
)
def test_jsonencode_in_a_quoted_string_or_a_list_is_the_text_it_renders(
    tmp_path: Path, written: str, rendered: str
) -> None:
    """Read without its quotes (the "*" of RL208 and RL203 on every resource), or a list
    of JSON text as a list; a map or list interpolated was unknown."""
    text = document('["s3:GetObject"]', f"[{written}]", ENCODING)
    assert read(tmp_path, text) == (["s3:GetObject"], [rendered])
    report = lint(tmp_path, text)
    assert report.notices == []
    assert {f.rule_id for f in report.findings} <= {"RL608"}


def test_jsonencode_inside_a_jsonencoded_policy_is_a_string(tmp_path: Path) -> None:
    """``Resource = local.enc`` in ``jsonencode({...})`` is the string ``["...","*"]``, which
    IAM rejects (RL608), not the list: RL203 was reported for its "*"."""
    text = inline('"s3:PutObject"', "local.enc", ENCODING)
    (tmp_path / "main.tf").write_text(text)
    inventory, _ = read_inventory([str(tmp_path)])
    [role] = inventory.roles
    [policy] = role.policies
    assert [value.text for s in policy.statements for value in s.resources] == [
        '["arn:aws:s3:::b/*","*"]'
    ]
    assert {f.rule_id for f in lint(tmp_path, text).findings} == {"RL608"}


def test_a_jsonencoded_conditional_is_the_text_of_each_branch(tmp_path: Path) -> None:
    """``jsonencode(var.admin ? "s3:*" : "s3:GetObject")`` is ``"s3:*"`` quotes included:
    an action IAM rejects, never admin's s3:* (RL202)."""
    text = inline('jsonencode(var.admin ? "s3:*" : "s3:GetObject")', CHOSEN_RESOURCE)
    (tmp_path / "main.tf").write_text(text)
    inventory, _ = read_inventory([str(tmp_path)])
    [role] = inventory.roles
    [policy] = role.policies
    assert sorted(value.text or "" for s in policy.statements for value in s.actions) == [
        '"s3:*"',
        '"s3:GetObject"',
    ]
    assert "RL202" not in {f.rule_id for f in lint(tmp_path, text).findings}


@pytest.mark.parametrize(
    ("spliced", "read_as"),
    [
        ("${local.enc}", ["arn:aws:s3:::b/*", "*"]),
        ("${local.enc1}", ["arn:aws:s3:::b/*"]),
        ('${var.on ? local.enc1 : jsonencode("x")}', ["arn:aws:s3:::b/*", "x"]),
    ],
    ids=["list", "string", "conditional"],
)
def test_jsonencode_spliced_in_place_of_a_json_value_is_read_back(
    tmp_path: Path, spliced: str, read_as: list[str]
) -> None:
    """Guard: the text Terraform writes there is read back as JSON, x itself, found where it
    was (the "*" of ``local.arns`` in its list)."""
    text = heredoc_policy(statement(spliced), ENCODING + 'variable "on" {\n  type = bool\n}\n')
    assert resources(text, tmp_path) == read_as
    report = lint(tmp_path, text)
    assert report.notices == []
    expected = {("RL203", place(text, '"*"'))} if "*" in read_as else set()
    if "x" in read_as:
        expected.add(("RL608", place(text, '"x"')))
    assert {(f.rule_id, (f.location.line, f.location.column)) for f in report.findings} == (
        expected
    )


def test_a_template_variable_jsonencoded_reads_back_where_it_is_spliced(tmp_path: Path) -> None:
    """``templatefile(..., { arns = jsonencode(...) })``: ``${arns}`` in place of a JSON value
    is the list, as it was; ``"${arn}"`` in a JSON string was the ARN without its quotes."""
    template = (
        '{"Version": "2012-10-17", "Statement": [\n'
        + statement("${arns}")
        + ",\n"
        + statement('"${arn}"')
        + "]}\n"
    )
    (tmp_path / "policy.json.tpl").write_text(template)
    text = (
        ENCODES
        + 'resource "aws_iam_policy" "p" {\n  name   = "p"\n'
        + '  policy = templatefile("${path.module}/policy.json.tpl", '
        + "{ arns = jsonencode(local.arns), arn = jsonencode(local.arn) })\n}\n"
    )
    assert resources(text, tmp_path) == ["arn:aws:s3:::b/*", "*", None]
    report = lint(tmp_path, text)
    assert [(n.line, n.column, n.message) for n in report.notices] == [
        (*place(template, '"${arn}"'), ENCODED)
    ]


# A quoted string is a template too: Terraform refuses a list, an object or null among its
# parts ("Invalid template interpolation value"), as in a heredoc.  rolelint left the string
# unknown without a word (a list, an object) or with a note that did not say Terraform fails
# (null, "a value that is not a string"): now a note at the interpolation, in a heredoc's
# words, and no error (the value may be another in a deployment).
VALUES = (
    'locals {\n  arns = ["arn:aws:s3:::a"]\n  tags = { team = "x" }\n'
    '  bad  = "arn:aws:s3:::${local.arns}"\n}\n'
    'variable "on" {\n  type = bool\n}\nvariable "arn" {\n  type    = string\n  default = null\n}\n'
)
LIST_NOTE = f"the ${{...}} {not_a_string('a list')}"
REFUSED_PARTS = {
    "a-list": ('["arn:aws:s3:::${local.arns}/*"]', "local.arns}/*", LIST_NOTE),
    "an-object": (
        '["arn:aws:s3:::${local.tags}"]',
        "local.tags}",
        f"the ${{...}} {not_a_string('a map or object')}",
    ),
    "null": ('["arn:aws:s3:::${null}"]', "null}", f"the ${{...}} {not_a_string('null')}"),
    # a local is evaluated on its own, whoever refers to it: try() around the reference
    # does not go on past it
    "a-local-tried": ('[try(local.bad, "*")]', "local.arns}", LIST_NOTE),
}


@pytest.mark.parametrize(
    ("resources", "written", "message"), REFUSED_PARTS.values(), ids=REFUSED_PARTS.keys()
)
def test_a_list_an_object_or_null_a_quoted_string_interpolates_is_a_note(
    tmp_path: Path, resources: str, written: str, message: str
) -> None:
    """A note at the interpolation, no error (there was one), the Resource unknown (no
    finding for the s3:GetObject the policy allows on it)."""
    text = document('["s3:GetObject"]', resources, VALUES)
    report = lint(tmp_path, text)
    assert [(n.line, n.column, n.message) for n in report.notices] == [
        (*place(text, written), message)
    ]
    assert report.findings == []


def test_a_quoted_string_terraform_refuses_does_not_fail_the_run(tmp_path: Path) -> None:
    """The command line, with the same string in Terraform's JSON syntax: the note at its
    place in the ``.tf.json`` file, exit 0 (it was exit 2, an error)."""
    (tmp_path / "main.tf.json").write_text(
        '{"locals": {"arns": ["arn:aws:s3:::a"]},\n'
        ' "resource": {"aws_iam_policy": {"p": {"name": "p", "policy":'
        ' "${jsonencode({Version = \\"2012-10-17\\", Statement = [{Effect = \\"Allow\\",'
        ' Action = \\"s3:GetObject\\", Resource = \\"arn:${local.arns}\\"}]})}"}}}}\n'
    )
    result = run_rolelint("check", str(tmp_path), "--no-cache", "--no-color")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "main.tf.json:2:" in result.stdout and LIST_NOTE in result.stdout
    assert ": error:" not in result.stdout


TRIED_OR_BRANCHED = {
    # try() goes on past the error: "*", RL208 for s3:GetObject on every resource
    "tried": '[try("arn:aws:s3:::${local.arns}", "*")]',
    # a branch rolelint does not decide: Terraform drops the other branch's errors
    "a-branch": '[var.on ? "arn:aws:s3:::${local.arns}" : "*"]',
    # alone in its string, the interpolation is the list itself (HCL unwraps it)
    "alone": 'concat(["*"], [for arn in "${local.arns}" : arn])',
    # a root module's default: whoever deploys may pass an ARN
    "a-default": '["*", "arn:aws:s3:::${var.arn}"]',
}


@pytest.mark.parametrize("resources", TRIED_OR_BRANCHED.values(), ids=TRIED_OR_BRANCHED.keys())
def test_a_refusal_terraform_may_not_meet_is_no_error(tmp_path: Path, resources: str) -> None:
    """No error where Terraform does not surely fail: the "*" beside it is judged (RL208)."""
    text = document('["s3:GetObject"]', resources, VALUES)
    (tmp_path / "main.tf").write_text(text)
    report = lint_paths([str(tmp_path)])
    assert report.errors == []
    assert "RL208" in {f.rule_id for f in report.findings}


def test_a_refusal_in_a_resource_only_some_deployments_have_is_no_error(tmp_path: Path) -> None:
    """``count = var.on ? 1 : 0``: the policy is only where var.on holds; no error."""
    text = (
        VALUES + 'resource "aws_iam_policy" "p" {\n  count  = var.on ? 1 : 0\n  name   = "p"\n'
        '  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow",'
        ' Action = "s3:GetObject", Resource = ["*", "arn:aws:s3:::${local.arns}"] }] })\n}\n'
    )
    report = lint(tmp_path, text)
    assert [f.rule_id for f in report.findings] == ["RL208"]
