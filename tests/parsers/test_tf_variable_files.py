"""A variable definitions file read as Terraform reads it: with no variables and no functions.

Terraform evaluates each value of ``terraform.tfvars``, ``*.auto.tfvars`` or a ``-var-file``
with no evaluation context (``expr.Value(nil)``): ``x = var.y``, ``x = "${var.y}"``, ``x =
local.z`` are "Variables not allowed", ``x = upper("a")`` "Function calls not allowed", and the
run stops.  rolelint evaluated them as if written in a ``.tf`` file: ``x = var.y`` was the other
variable's value, and the policy reading it was judged (RL208 below) though Terraform deploys
none.  Each is now an error at the reference or the call (exit 2), the variable's value unknown,
and the rest of the run analyzed.  What HCL evaluates but drops (the branch a conditional does
not take, the body of a ``for`` over no element) is no error, as in Terraform.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from rolelint.api import lint_paths
from rolelint.findings import Report
from rolelint.parsers.tf_variable_files import (
    BLOCKS_NOT_ALLOWED,
    FILE,
    FUNCTIONS_NOT_ALLOWED,
    IN_A_DEFAULT,
    NO_CONTEXT,
    VARIABLES_NOT_ALLOWED,
)
from tests.conftest import run_rolelint
from tests.parsers.test_tf_template_json import place

# A policy reading var.action on every resource: "s3:GetObject" there is RL208.
MODULE = (
    'variable "read" {\n  type    = string\n  default = "s3:GetObject"\n}\n'
    'variable "action" {\n  type    = string\n  default = "sts:GetCallerIdentity"\n}\n'
    'resource "aws_iam_policy" "p" {\n  name   = "p"\n'
    '  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow",'
    ' Action = var.action, Resource = "*" }] })\n}\n'
)


def checked(tmp_path: Path, tfvars: str, name: str = "terraform.tfvars") -> Report:
    """The report of a run over the module with the variable file ``name`` holding ``tfvars``."""
    (tmp_path / "main.tf").write_text(MODULE)
    (tmp_path / name).write_text(tfvars)
    return lint_paths([str(tmp_path)])


def refused(report: Report) -> list[tuple[str, int, int, str]]:
    """Each input error of ``report``: file name, line, column and message."""
    return [
        (Path(error.file).name, error.line or 0, error.column or 0, error.message)
        for error in report.errors
    ]


def variables(name: str) -> str:
    return f"{VARIABLES_NOT_ALLOWED}: {name} may not be used in {NO_CONTEXT}"


REFUSED = {
    "variable": ("action = var.read\n", "var.read", variables("var.read")),
    "interpolated": ('action = "${var.read}"\n', "var.read", variables("var.read")),
    "local": ("action = local.read\n", "local.read", variables("local.read")),
    "in-a-template": ('action = "s3:${local.verb}"\n', "local.verb", variables("local.verb")),
    "in-a-list": ("action = [var.read][0]\n", "var.read", variables("var.read")),
    "in-an-object": ("action = { a = var.read }.a\n", "var.read", variables("var.read")),
    "parenthesised-key": ('action = { (read) = "x" }.read\n', "read", variables("read")),
    "taken-branch": ('action = false ? "x" : var.read\n', "var.read", variables("var.read")),
    "function": (
        'action = lower("S3:GetObject")\n',
        "lower(",
        f"{FUNCTIONS_NOT_ALLOWED}: lower() may not be called in {NO_CONTEXT}",
    ),
}


@pytest.mark.parametrize(("tfvars", "written", "message"), REFUSED.values(), ids=REFUSED.keys())
def test_a_reference_or_a_call_in_a_variable_file_is_an_error(
    tmp_path: Path, tfvars: str, written: str, message: str
) -> None:
    """An error at the reference (or the call), and the variable's value unknown: no RL208 on
    the "s3:GetObject" that var.read (or the call) gave before."""
    report = checked(tmp_path, tfvars)
    assert refused(report) == [("terraform.tfvars", *place(tfvars, written), message)]
    assert report.findings == []


def test_the_run_fails_and_the_rest_is_judged(tmp_path: Path) -> None:
    """The command line: exit 2, the error said where it is, the module's policies still judged
    (another policy's "*" on every resource is RL201), an auto-loaded file refused too."""
    (tmp_path / "admin.tf").write_text(
        'resource "aws_iam_policy" "admin" {\n  name   = "admin"\n'
        '  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow",'
        ' Action = "*", Resource = "*" }] })\n}\n'
    )
    checked(tmp_path, 'action = "${var.read}"\n', name="prod.auto.tfvars")
    result = run_rolelint("check", str(tmp_path), "--no-cache", "--no-color")
    assert result.returncode == 2, result.stdout + result.stderr
    assert f"prod.auto.tfvars:1:13: error: {variables('var.read')}" in result.stdout
    assert "RL201" in result.stdout and "RL208" not in result.stdout


def test_a_variable_file_terraform_does_not_load_is_refused_too(tmp_path: Path) -> None:
    """``rolelint check prod.tfvars``: Terraform refuses it once a command passes it
    (``-var-file``), as it refuses one that does not parse, which is an error already."""
    checked(tmp_path, "action = local.read\n", name="prod.tfvars")
    report = lint_paths([str(tmp_path / "prod.tfvars")])
    assert refused(report) == [("prod.tfvars", 1, 10, variables("local.read"))]
    assert run_rolelint("check", str(tmp_path / "prod.tfvars"), "--no-cache").returncode == 2


ACCEPTED = {
    # hcl evaluates both branches and keeps the diagnostics of the branch taken only
    "untaken-branch": 'action = true ? "s3:GetObject" : var.read\n',
    # a for expression's own names are no references; over no element, its body is not read
    "for-names": 'action = [for verb in ["GetObject"] : "s3:${verb}"][0]\n',
    "for-over-nothing": 'action = [for v in [] : var.read] == [] ? "s3:GetObject" : "x"\n',
    "literal-interpolation": 'action = "s3:${"GetObject"}"\n',
    "dollar-escape": 'other = "$${var.read}"\naction = "s3:GetObject"\n',
}


@pytest.mark.parametrize("tfvars", ACCEPTED.values(), ids=ACCEPTED.keys())
def test_what_terraform_evaluates_without_a_context_is_read(tmp_path: Path, tfvars: str) -> None:
    """Guard: values Terraform takes from a variable file are no error, and are read."""
    report = checked(tmp_path, tfvars)
    assert report.errors == []
    assert [f.rule_id for f in report.findings] == ["RL208"]


BLOCKS = {
    "block": ('action = "s3:GetObject"\nfoo {\n  a = 1\n}\n', "foo", "foo"),
    "labelled": (
        'variable "action" {\n  default = "x"\n}\naction = "s3:GetObject"\n',
        "variable",
        "variable",
    ),
}


@pytest.mark.parametrize(("tfvars", "written", "kind"), BLOCKS.values(), ids=BLOCKS.keys())
def test_a_block_in_a_variable_file_is_an_error(
    tmp_path: Path, tfvars: str, written: str, kind: str
) -> None:
    """Terraform reads a variable file as attributes only: a block in it is "Unexpected block;
    Blocks are not allowed here", and the run stops.  It was skipped without a word; it is now
    that error at the block's type, the file's values still read (RL208) and the run exit 2."""
    report = checked(tmp_path, tfvars)
    message = f'{BLOCKS_NOT_ALLOWED}: unexpected "{kind}" block in {FILE}'
    assert refused(report) == [("terraform.tfvars", *place(tfvars, written), message)]
    assert [f.rule_id for f in report.findings] == ["RL208"]
    report = lint_paths([str(tmp_path / "terraform.tfvars")])  # named alone, not loaded
    assert refused(report) == [("terraform.tfvars", *place(tfvars, written), message)]


DEFAULTS = {
    "variable": ("var.read", "var.read", VARIABLES_NOT_ALLOWED, "var.read may not be used"),
    "interpolated": (
        '"${var.read}"',
        "var.read",
        VARIABLES_NOT_ALLOWED,
        "var.read may not be used",
    ),
    "local": ("local.read", "local.read", VARIABLES_NOT_ALLOWED, "local.read may not be used"),
    "function": (
        'lower("S3:GetObject")',
        "lower(",
        FUNCTIONS_NOT_ALLOWED,
        "lower() may not be called",
    ),
}


def module_defaulting(action: str) -> str:
    """MODULE with var.action's default written as ``action``."""
    return MODULE.replace('default = "sts:GetCallerIdentity"', f"default = {action}")


@pytest.mark.parametrize(
    ("action", "written", "kind", "said"), DEFAULTS.values(), ids=DEFAULTS.keys()
)
def test_a_reference_or_a_call_in_a_variable_default_is_an_error(
    tmp_path: Path, action: str, written: str, kind: str, said: str
) -> None:
    """Terraform reads a variable's default with no variables and no functions, as a variable
    file's values ("Variables not allowed", "Function calls not allowed"), and rejects the
    configuration.  rolelint evaluated it: ``default = var.read`` was "s3:GetObject" and the
    policy RL208.  It is now the error at the reference or the call, the variable unknown."""
    text = module_defaulting(action)
    (tmp_path / "main.tf").write_text(text)
    report = lint_paths([str(tmp_path)])
    assert refused(report) == [
        ("main.tf", *place(text, written), f"{kind}: {said} in {IN_A_DEFAULT}")
    ]
    assert report.findings == []


def test_a_refused_default_of_a_module_called_twice_is_one_error(tmp_path: Path) -> None:
    """Each instance of the module reads the default: one error all the same, exit 2, and the
    rest of the run judged (the root's admin policy, RL201)."""
    (tmp_path / "mod").mkdir()
    text = module_defaulting("var.read")
    (tmp_path / "mod" / "main.tf").write_text(text)
    (tmp_path / "main.tf").write_text(
        'module "m" {\n  source = "./mod"\n  count  = 2\n}\n'
        'resource "aws_iam_policy" "admin" {\n  name   = "admin"\n'
        '  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow",'
        ' Action = "*", Resource = "*" }] })\n}\n'
    )
    report = lint_paths([str(tmp_path)])
    message = f"{VARIABLES_NOT_ALLOWED}: var.read may not be used in {IN_A_DEFAULT}"
    assert refused(report) == [("main.tf", *place(text, "var.read"), message)]
    assert [f.rule_id for f in report.findings] == ["RL201"]
    result = run_rolelint("check", str(tmp_path), "--no-cache", "--no-color")
    assert result.returncode == 2, result.stdout + result.stderr


@pytest.mark.parametrize(
    "action",
    ['"s3:${"GetObject"}"', 'true ? "s3:GetObject" : var.read', '["s3:GetObject"][0]'],
    ids=["literal-interpolation", "untaken-branch", "index"],
)
def test_a_default_terraform_evaluates_without_a_context_is_read(
    tmp_path: Path, action: str
) -> None:
    """Guard: a default with no reference Terraform evaluates is read (RL208)."""
    (tmp_path / "main.tf").write_text(module_defaulting(action))
    report = lint_paths([str(tmp_path)])
    assert report.errors == []
    assert [f.rule_id for f in report.findings] == ["RL208"]
