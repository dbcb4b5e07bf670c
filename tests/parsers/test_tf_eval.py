"""Terraform expressions evaluated statically: what is known, and what must stay unknown."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from rolelint.api import lint_paths, read_text
from rolelint.model import THIS_ACCOUNT, AccountContext, Value
from rolelint.parsers.terraform import parse_terraform_directory
from rolelint.parsers.tf_eval import (
    CANNOT_CONVERT,
    CWD_UNKNOWN,
    MAX_ALTERNATIVES,
    PositionedText,
    is_unknown,
    number_text,
    origin_of,
)
from rolelint.parsers.tf_module import TerraformModule, read_module
from rolelint.parsers.tree import Choice, PMap, PSeq, place_of


def evaluate(tmp_path: Path, expression: str, extra: str = "", tfvars: str = "") -> Any:
    """Evaluate ``expression`` as local ``probe`` of a module written to ``tmp_path``."""
    (tmp_path / "main.tf").write_text(f"locals {{\n  probe = {expression}\n}}\n{extra}")
    if tfvars:
        (tmp_path / "terraform.tfvars").write_text(tfvars)
    module = TerraformModule(read_module(str(tmp_path), read_text))
    file, expr = module.locals["probe"]
    return module.evaluator.evaluate(expr, file)


def text(value: Any) -> Any:
    """A Value as its text; containers with their items as text."""
    if isinstance(value, Value):
        return value.text
    if isinstance(value, PSeq):
        return [text(item) for item in value]
    if isinstance(value, PMap):
        return {key: text(item) for key, item in value.items()}
    return value


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ('"plain"', "plain"),
        ('format("%s-%d", "app", 3)', "app-3"),
        ('join(",", ["a", "b"])', "a,b"),
        ('concat(["a"], ["b", "c"])', ["a", "b", "c"]),
        ('merge({a = "1"}, {b = "2"})', {"a": "1", "b": "2"}),
        ('lookup({a = "x"}, "a", "d")', "x"),
        ('lookup({a = "x"}, "z", "d")', "d"),
        ('toset(["a", "a", "b"])', ["a", "b"]),
        ('tolist(["x"])', ["x"]),
        ('upper(trimprefix("repo:org", "repo:"))', "ORG"),
        ('replace("https://host", "https://", "")', "host"),
        ('split("/", "a/b")', ["a", "b"]),
        ('coalesce("", "second")', "second"),
        ('length(["a", "b"])', 2),
        ('length("abc")', 3),  # a string's characters (a validation's length(var.x) > 0)
        ('[for s in ["a", "b"] : "${s}-x"]', ["a-x", "b-x"]),
        ('{for k, v in {a = "1"} : v => k}', {"1": "a"}),
        ('true ? "yes" : "no"', "yes"),
        ('1 + 2 == 3 ? "math" : "broken"', "math"),
        ('element(["a", "b"], 3)', "b"),
        ('try({a = "x"}["b"], "fallback")', "fallback"),  # an error on known values
        ('try("known", "fallback")', "known"),
        # Go's widths and flags: an account id padded with zeros, a column of text.
        ('format("arn:aws:iam::%012d:root", 12345678901)', "arn:aws:iam::012345678901:root"),
        ('format("[%5s|%-5s]", "ab", "cd")', "[   ab|cd   ]"),
    ],
)
def test_known_values(tmp_path: Path, expression: str, expected: Any) -> None:
    assert text(evaluate(tmp_path, expression)) == expected


@pytest.mark.parametrize(
    ("expression", "reason"),
    [
        ("var.undeclared", "variable undeclared is not declared"),
        ("var.no_default", "variable no_default has no default"),
        ('"prefix-${var.no_default}"', "variable no_default has no default"),
        ("module.vpc.vpc_id", "output of module vpc"),
        ("aws_s3_bucket.unnamed.arn", "generated at apply"),
        ("aws_instance.web.private_ip", "known only after apply"),
        ("each.value", "instance key"),
        ('sha256("x")', "function sha256() is not evaluated"),
        ("local.probe", "refers to itself"),
        # try() passes over errors only: an argument not known is the answer, never a fallback
        # (try(var.principal, "*") with the variable unset was "*", and RL101 critical).
        ('try(var.no_default, "*")', "variable no_default has no default"),
        ('try(var.no_default.principal, "*")', "variable no_default has no default"),
        ('try(var.nothing, "*")', "variable nothing is not declared"),
        ('element(["x", "y"], -1)', "negative index"),  # Terraform refuses it
        ('format("%.2f", 1)', "format() verb"),
        ('["a", "b"]["1²"]', "no element"),  # a digit to str.isdigit, not to int(): crashed
    ],
)
def test_unknown_values_keep_their_reason(tmp_path: Path, expression: str, reason: str) -> None:
    extra = (
        'variable "no_default" {}\nresource "aws_s3_bucket" "unnamed" {}\n'
        'resource "aws_instance" "web" {}\n'
    )
    value = evaluate(tmp_path, expression, extra)
    assert is_unknown(value)
    assert reason in (value.unresolved_reason or "")


# Resources whose arguments the expressions of the next two tests read.
ARGUMENTS = """
resource "aws_iam_role" "r" {
  assume_role_policy   = "{}"
  description          = "written"
  permissions_boundary = null
}
resource "aws_iam_role" "many" {
  count              = 2
  assume_role_policy = "{}"
  path               = "/team-${count.index}/"
}
resource "aws_iam_role" "one" {
  count              = 1
  assume_role_policy = "{}"
  description        = "instance ${count.index}"
}
resource "aws_iam_role_policy" "p" {
  for_each = { a = "s3:GetObject", b = "s3:PutObject" }
  role     = "r"
  policy   = jsonencode({ Statement = [{ Action = each.value }] })
}
resource "aws_iam_user" "u" {
  name = "u"
}
resource "aws_iam_role" "loop_a" {
  assume_role_policy = aws_iam_role.loop_b.assume_role_policy
}
resource "aws_iam_role" "loop_b" {
  assume_role_policy = aws_iam_role.loop_a.assume_role_policy
}
resource "aws_instance" "web" {
  user_data = "#!/bin/sh"
}
"""


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        # What the block sets, with the instance's own count or each.
        ("aws_iam_role.r.description", "written"),
        ("aws_iam_role.r.assume_role_policy", "{}"),
        ("aws_iam_role.many[1].path", "/team-1/"),
        ("aws_iam_role.many[*].path", ["/team-0/", "/team-1/"]),
        ("[for role in aws_iam_role.many : role.path]", ["/team-0/", "/team-1/"]),
        ("aws_iam_role.one.description", "instance 0"),  # count = 1: the resource itself
        ("aws_iam_role.one[0].description", "instance 0"),
        ('aws_iam_role_policy.p["b"].policy', {"Statement": [{"Action": "s3:PutObject"}]}),
        # Not set (or null): what the provider's schema plans in its place.
        ("aws_iam_role.r.path", "/"),
        ("aws_iam_role.r.max_session_duration", 3600),
        ("aws_iam_role.r.permissions_boundary", None),
        ("aws_iam_user.u.path", "/"),
        ("aws_iam_user.u.permissions_boundary", None),
        ("aws_iam_user.u.force_destroy", False),
    ],
)
def test_a_resources_arguments_are_what_its_block_sets(
    tmp_path: Path, expression: str, expected: Any
) -> None:
    """A reference to an argument of an IAM resource was "known only after apply"; Terraform
    plans it as the block sets it (or as the schema's default: null is None, not unknown)."""
    value = evaluate(tmp_path, expression, ARGUMENTS)
    assert not is_unknown(value)
    assert text(value) == expected


@pytest.mark.parametrize(
    ("expression", "reason"),
    [
        # Computed by the provider: known only after apply, as before.
        ("aws_iam_role.r.unique_id", "aws_iam_role.r.unique_id is known only after apply"),
        ("aws_iam_role.r.create_date", "aws_iam_role.r.create_date is known only after apply"),
        ("aws_iam_role.r.name_prefix", "aws_iam_role.r.name_prefix is known only after apply"),
        ("aws_iam_role.many[0].tags_all", "aws_iam_role.many[0].tags_all is known only after"),
        ('aws_iam_role_policy.p["a"].id', 'aws_iam_role_policy.p["a"].id is known only after'),
        # Set, but rolelint does not know what the provider plans for it.
        ("aws_instance.web.user_data", "rolelint reads the arguments of IAM resources only"),
        ("aws_iam_role.loop_a.assume_role_policy", "refers to itself"),
        ("aws_iam_role.r.count", "count is not an attribute"),
    ],
)
def test_a_resources_attributes_not_known_say_why(
    tmp_path: Path, expression: str, reason: str
) -> None:
    value = evaluate(tmp_path, expression, ARGUMENTS)
    assert is_unknown(value)
    assert reason in (value.unresolved_reason or "")


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ('format("arn:aws:iam::%[1]s:root", "123456789012")', "arn:aws:iam::123456789012:root"),
        ('format("%[2]s-%[1]s", "a", "b")', "b-a"),
        ('format("%[2]s-%s", "a", "b", "c")', "b-c"),  # after [n], the next verb takes n+1
        ('format("%[1]s/%[1]s", "x")', "x/x"),
        ('format("%[1]q", "x")', '"x"'),
        ('format("%-[1]4s|", "x")', "x   |"),  # flags, then the index, then the width
    ],
)
def test_format_with_argument_indexes(tmp_path: Path, expression: str, expected: str) -> None:
    assert text(evaluate(tmp_path, expression)) == expected


EKS_PROVIDER = (
    "arn:aws:iam::111122223333:oidc-provider/"
    "oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"
)


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        # The IRSA modules' issuer of an OIDC provider ARN.
        (
            f'replace("{EKS_PROVIDER}", "/^(.*provider/)/", "")',
            "oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE",
        ),
        ('replace("my-role.name_x", "/[^a-zA-Z0-9]/", "-")', "my-role-name-x"),
        ('replace("a1b22c333", "/\\d+/", "#")', "a#b#c#"),
        # Go's templates: $n and ${n}, $$, a name run on ($1x: no such group), a missing group.
        (
            'replace("arn:aws:iam::123456789012:role/a/b",'
            ' "/^arn:aws:iam::(\\d{12}):role/(.+)$/", "$2@$${1}$$ [$1x] [$9]")',
            "a/b@123456789012$ [] []",
        ),
        ('replace("foobar bar", "/(foo)?bar/", "<$1>")', "<foo> <>"),
        ('replace("aaaaaaa", "/a{2,3}/", "X")', "XXa"),
        ('replace("]a-b", "/[]a-]/", "X")', "XXXb"),
        # RE2's \s is [\t\n\f\r ]: no vertical tab; $ is the end of the text, not of a line.
        ('replace("a b\\tc\\u000bd", "/\\s+/", "_")', "a_b_c\vd"),
        ('replace("x\\n", "/x$/", "y")', "x\n"),
        ('replace("a.b", "/\\./", "/")', "a/b"),
        ('replace("/path/", "/", "")', "path"),  # one slash is a plain substring
    ],
)
def test_replace_with_a_regular_expression(tmp_path: Path, expression: str, expected: str) -> None:
    """``replace()`` with a ``/pattern/`` was never evaluated, so the IRSA modules' condition
    keys (``${replace(provider_arn, "/^(.*provider/)/", "")}:sub``) were unknown and no trust
    rule judged them.  A pattern in the subset Python's re reads as RE2 does is evaluated."""
    assert text(evaluate(tmp_path, expression)) == expected


@pytest.mark.parametrize(
    ("pattern", "subject"),
    [
        # Backtracking in exponential time to Python's re; RE2 is linear.
        ("(a+)+$", "a" * 5000 + "b"),
        ("(a|aa)*b", "a" * 5000),
        ("(ab)*", "ab"),  # any repeated group
        # Polynomial: the paths re may try over this text are far past the bound.
        (".*.*.*.*x", "a" * 5000),
        ("a.*b.*c", "a" * 5000),
        # May match the empty text: Go and Python place those replacements apart.
        ("a*", "abc"),
        ("\\b", "a b"),
        # Read apart by RE2 and Python, or not RE2 at all.
        ("(?i)abc", "ABC"),
        ("(?P<x>a)", "a"),
        ("[[:alpha:]]", "a"),
        ("\\pL", "a"),
        ("(a)\\1", "aa"),
        ("a{,3}", "a"),
        ("a**", "a"),
        ("(a", "a"),
        ("[\\S]", "a"),
        ("x" * 300, "x" * 300),  # a pattern past the length translated
    ],
)
def test_replace_with_a_regular_expression_not_translated_stays_unknown(
    tmp_path: Path, pattern: str, subject: str
) -> None:
    """A pattern outside the translated subset, or too costly for its text, is never run: the
    result stays unknown (and the scan never waits on Python's backtracking)."""
    hcl_pattern = pattern.replace("\\", "\\\\")
    value = evaluate(tmp_path, f'replace("{subject}", "/{hcl_pattern}/", "")')
    assert is_unknown(value)
    assert "regular expression is not evaluated" in (value.unresolved_reason or "")


IRSA_TRUST = """\
locals {
  provider_arn = "%s"
}
data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = [local.provider_arn]
    }
    condition {
      test     = "StringLike"
      variable = "${replace(local.provider_arn, "/^(.*provider/)/", "")}:sub"
      values   = ["system:serviceaccount:*:*"]
    }
    condition {
      test     = "StringEquals"
      variable = "${replace(local.provider_arn, "/^(.*provider/)/", "")}:aud"
      values   = ["sts.amazonaws.com"]
    }
  }
}
resource "aws_iam_role" "irsa" {
  name               = "irsa"
  assume_role_policy = data.aws_iam_policy_document.assume.json
}
"""


def test_an_irsa_trust_keyed_by_replace_is_judged(tmp_path: Path) -> None:
    """The IRSA module's keys, built with ``replace()`` and a regular expression, were unknown,
    so a service-account subject of every namespace went unreported."""
    (tmp_path / "main.tf").write_text(IRSA_TRUST % EKS_PROVIDER)
    report = lint_paths([str(tmp_path)])
    assert [(f.rule_id, f.severity.value, f.location.line) for f in report.findings] == [
        ("RL103", "critical", 14)
    ]
    assert "admits service accounts of every namespace" in report.findings[0].message


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        ("123456789012.0", "123456789012"),
        ("1.23456789012e11", "123456789012"),
        ("1e30", "1" + "0" * 30),  # not 1000000000000000019884624838656, the float's digits
        ("1e-7", "0.0000001"),  # Terraform writes no exponent
        ("1.5", "1.5"),
        ("-2.50", "-2.5"),
    ],
)
def test_a_number_becomes_the_text_terraform_writes(
    tmp_path: Path, number: str, expected: str
) -> None:
    """In "${...}" as in a policy (see test_terraform): cty's ``Text('f', -1)``."""
    assert text(evaluate(tmp_path, f'"n=${{{number}}}"')) == f"n={expected}"
    assert number_text(float(number)) == expected


@pytest.mark.parametrize(
    "expression",
    ['format("%[3]s", "a")', 'format("%[0]s", "a")', 'format("%x", 255)', 'format("50%", "a")'],
)
def test_a_format_verb_not_evaluated_is_never_left_in_the_text(
    tmp_path: Path, expression: str
) -> None:
    value = evaluate(tmp_path, expression)
    assert is_unknown(value)
    assert "format() verb" in (value.unresolved_reason or "")


def test_a_principal_formatted_with_an_argument_index_is_read(tmp_path: Path) -> None:
    """``format("arn:aws:iam::%[1]s:root", var.acct)`` kept "%[1]s" in the ARN: a false RL111
    on a principal IAM cannot use, and the account's RL102 missed."""
    (tmp_path / "main.tf").write_text(
        'variable "acct" {\n  default = "123456789012"\n}\n'
        'resource "aws_iam_role" "b" {\n  assume_role_policy = jsonencode({\n'
        '    Version = "2012-10-17"\n'
        '    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole",\n'
        '      Principal = { AWS = format("arn:aws:iam::%[1]s:root", var.acct) } }]\n  })\n}\n'
    )
    found = [(f.rule_id, f.location.line) for f in lint_paths([str(tmp_path)]).findings]
    assert found == [("RL102", 8)]


def test_try_goes_on_past_an_instance_of_a_resource_with_none(tmp_path: Path) -> None:
    """``try(data.x.custom[0].json, ...)`` with ``count = 0`` is an "Invalid index" error in
    Terraform, which try() catches: the fallback was never taken, and its policy not judged."""
    extra = 'resource "aws_iam_role" "off" {\n  count = 0\n  name = "off"\n}\n'
    value = evaluate(tmp_path, 'try(aws_iam_role.off[0].name, "fallback")', extra)
    assert text(value) == "fallback"


def test_unknown_condition_keeps_both_branches(tmp_path: Path) -> None:
    value = evaluate(tmp_path, 'var.admin ? "*" : "s3:GetObject"', 'variable "admin" {}\n')
    assert isinstance(value, Choice)
    assert sorted(text(option) for option in value.options) == ["*", "s3:GetObject"]


PICKERS = """\
variable "env" {
  default = "dev"
}
variable "long" {
  type    = bool
  default = true
}
variable "set" {
  default = "dev"
}
variable "dur" {
  default = 28800
}
variable "open" {}
"""


@pytest.mark.parametrize(
    ("expression", "expected", "origin"),
    [
        # The default picks the branch: another deployment may pass another value.
        (
            'var.env == "prod" ? 50000 : 7200',
            7200,
            "the branch picked by the default of variable env",
        ),
        ('var.long ? "4h" : "1h"', "4h", "the branch picked by the default of variable long"),
        (
            'var.long && var.env != "prod" ? "a" : "b"',
            "a",
            "the branch picked by the default of variable long and the default of variable env",
        ),
        # A branch that says where it comes from keeps it.
        ("var.long ? var.dur : 3600", 28800, "the default of variable dur"),
        # The code, or tfvars, decides: no default picks it.
        ('var.set == "dev" ? 7200 : 3600', 7200, None),
        ("1 == 1 ? 7200 : 3600", 7200, None),
    ],
)
def test_a_branch_a_default_picks_says_so(
    tmp_path: Path, expression: str, expected: Any, origin: str | None
) -> None:
    """``var.env == "prod" ? 50000 : 7200`` with env defaulting to dev is 7200 for whoever
    deploys without passing env: RL305 printed "7200 seconds" as a fact of the code, where a
    bare ``var.dur`` says "(the default of variable dur)".  A number keeps its place."""
    value = evaluate(tmp_path, expression, PICKERS, tfvars='set = "dev"\n')
    assert (text(value), origin_of(value)) == (expected, origin)
    place = place_of(value)
    if place is not None:  # the literal of the branch, as without a default
        column = len("  probe = ") + expression.rindex(str(expected)) + 1
        assert (place.line, place.column) == (2, column)


CHOSEN = """\
variable "public" {
  type = bool
}
variable "principals" {
  type    = list(string)
  default = ["arn:aws:iam::111122223333:role/ci"]
}
variable "later" {}
locals {
  effective = var.public ? ["*"] : var.principals
}
"""


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("[for p in local.effective : p]", [["*"], ["arn:aws:iam::111122223333:role/ci"]]),
        (
            '{for p in local.effective : p => "x"}',
            [{"*": "x"}, {"arn:aws:iam::111122223333:role/ci": "x"}],
        ),
        ('[for p in var.public ? ["*"] : [] : p]', [["*"], []]),
        ('[for p in var.public ? ["*"] : var.later : p]', [["*"], None]),  # one branch unknown
    ],
)
def test_a_for_expression_over_a_conditional_keeps_each_branch(
    tmp_path: Path, expression: str, expected: list[Any]
) -> None:
    """A ``for`` over ``cond ? [...] : [...]`` was unknown ("for expression over a value not
    known before apply"): both branches, each known, were lost without a word."""
    value = evaluate(tmp_path, expression, CHOSEN)
    assert isinstance(value, Choice)
    assert [text(option) for option in value.options] == expected


def test_a_for_expression_over_too_many_alternatives_is_unknown(tmp_path: Path) -> None:
    """Bounded as a function's alternatives are (MAX_ALTERNATIVES)."""
    extra = "".join(f'variable "v{i}" {{}}\n' for i in range(MAX_ALTERNATIVES))
    chain = " : ".join(f'var.v{i} ? ["{i}"]' for i in range(MAX_ALTERNATIVES - 1)) + " : []"
    bounded = evaluate(tmp_path, f"[for p in {chain} : p]", extra)
    assert isinstance(bounded, Choice) and len(bounded.options) == MAX_ALTERNATIVES
    chain = " : ".join(f'var.v{i} ? ["{i}"]' for i in range(MAX_ALTERNATIVES)) + " : []"
    beyond = evaluate(tmp_path, f"[for p in {chain} : p]", extra)
    assert is_unknown(beyond)
    assert beyond.unresolved_reason == "for expression over too many alternatives"


def test_a_trust_policy_from_a_for_over_a_conditional_is_judged_in_each_branch(
    tmp_path: Path,
) -> None:
    """``identifiers = [for p in local.effective : p]`` gave no finding and no note, where
    ``identifiers = local.effective`` gives RL101 for the "*" branch and RL102 for the other."""
    (tmp_path / "main.tf").write_text(
        CHOSEN + 'data "aws_iam_policy_document" "t" {\n  statement {\n'
        '    actions = ["sts:AssumeRole"]\n    principals {\n      type        = "AWS"\n'
        "      identifiers = [for p in local.effective : p]\n    }\n  }\n}\n"
        'resource "aws_iam_role" "r" {\n  name               = "r"\n'
        "  assume_role_policy = data.aws_iam_policy_document.t.json\n}\n"
        'resource "aws_iam_role" "j" {\n  name               = "j"\n'
        '  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{'
        ' Effect = "Allow", Principal = { AWS = [for p in local.effective : p] },'
        ' Action = "sts:AssumeRole" }] })\n}\n'
    )
    report = lint_paths([str(tmp_path)])
    found = sorted((f.rule_id, f.resource) for f in report.findings)
    assert found == [
        ("RL101", "aws_iam_role.j"),
        ("RL101", "aws_iam_role.r"),
        ("RL102", "aws_iam_role.j"),
        ("RL102", "aws_iam_role.r"),
    ]
    assert report.errors == []


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("{a = 1} != null", True),
        ("[] == null", False),
        ('null == ["x"]', False),
        ("[var.no_default] != null", True),  # a list of an unknown is still a list
        ('"text" == null', False),
        ("null == null", True),
    ],
)
def test_a_known_value_compared_with_null_is_exact(
    tmp_path: Path, expression: str, expected: bool
) -> None:
    assert evaluate(tmp_path, expression, 'variable "no_default" {}\n') is expected


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("true == 1", False),  # Terraform's == needs the same type: a bool is no number
        ("false == 0", False),
        ("1 != true", True),
        ("0 != false", True),
        ("var.flag == 1", False),
        ("true == true", True),
        ("1 == 1.0", True),
        ("contains([1, 0], true)", False),
        ("contains([true], true)", True),
        ('["a", "b"][true]', "unknown"),  # Terraform converts no bool to an index
        ('element(["a", "b"], true)', "unknown"),
        ('try(["a", "b"][true], "fallback")', "fallback"),  # an error: try() goes past it
        ('try(element(["a", "b"], false), "fallback")', "fallback"),
        ('{"true" = "t"}[true]', "t"),  # a map's key is a string, and a bool converts to one
    ],
)
def test_a_bool_is_neither_equal_to_a_number_nor_an_index(
    tmp_path: Path, expression: str, expected: Any
) -> None:
    """``var.legacy_flag == 1 ? "*" : ...`` with the flag true took the "*" branch (RL101
    critical): Python's ``True == 1``; Terraform's ``true == 1`` is false."""
    value = evaluate(tmp_path, expression, 'variable "flag" {\n  default = true\n}\n')
    if expected == "unknown":
        assert is_unknown(value) and CANNOT_CONVERT in (value.unresolved_reason or "")
    else:
        assert text(value) == expected


def test_a_bool_compared_with_a_number_takes_the_branch_terraform_takes(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        'variable "legacy_flag" {\n  default = true\n}\n'
        'resource "aws_iam_role" "a" {\n  name = "a"\n  assume_role_policy = jsonencode({\n'
        '    Version = "2012-10-17"\n    Statement = [{\n      Effect    = "Allow"\n'
        '      Principal = { AWS = var.legacy_flag == 1 ? "*" : '
        '"arn:aws:iam::123456789012:role/ci" }\n'
        '      Action    = "sts:AssumeRole"\n    }]\n  })\n}\n'
    )
    own = AccountContext(own_accounts=frozenset({"123456789012"}))
    report = lint_paths([str(tmp_path)], accounts=own)
    assert report.findings == [] and report.errors == []


def test_a_value_not_known_compared_with_null_stays_unknown(tmp_path: Path) -> None:
    value = evaluate(tmp_path, "var.no_default == null", 'variable "no_default" {}\n')
    assert is_unknown(value)


NON_NULLABLE = """\
variable "required" {
  type     = string
  nullable = false
}
variable "settings" {
  type     = object({ principal = optional(string) })
  nullable = false
}
variable "nullable" {
  type = string
}
"""


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("var.required == null", False),  # nullable = false: never null, though not known
        ("var.required != null", True),
        ("null == var.required", False),
        ("var.nullable == null", "unknown"),
        ("var.settings.principal == null", "unknown"),  # its attributes may still be null
    ],
)
def test_a_variable_that_is_never_null_is_not_equal_to_null(
    tmp_path: Path, expression: str, expected: Any
) -> None:
    value = evaluate(tmp_path, expression, NON_NULLABLE)
    if expected == "unknown":
        assert is_unknown(value)
    else:
        assert value is expected


def test_a_null_test_of_a_variable_that_is_never_null_keeps_only_the_other_branch(
    tmp_path: Path,
) -> None:
    """``var.trusted == null ? "*" : var.trusted`` with ``nullable = false`` and no default
    kept the "*" branch, which Terraform never takes (RL101 critical)."""
    (tmp_path / "main.tf").write_text(
        'variable "trusted" {\n  type     = string\n  nullable = false\n}\n'
        'resource "aws_iam_role" "a" {\n  name = "a"\n  assume_role_policy = jsonencode({\n'
        '    Version = "2012-10-17"\n    Statement = [{ Effect = "Allow", Principal = { AWS = '
        'var.trusted == null ? "*" : var.trusted }, Action = "sts:AssumeRole" }]\n  })\n}\n'
    )
    report = lint_paths([str(tmp_path)])
    assert report.findings == [] and report.errors == []


def test_a_for_each_guarded_by_a_null_test_is_generated(tmp_path: Path) -> None:
    """``for_each = var.x != null ? var.x : []`` on a known list compared "unknown", and the
    statements and attachments it generates vanished: no RL101 for principal "*", no RL201 for
    AdministratorAccess (terraform-aws-iam's iam-role module writes its statements so)."""
    (tmp_path / "main.tf").write_text(
        'variable "extra" {\n  default = [{ principal = "*" }]\n}\n'
        'variable "arns" {\n  default = ["arn:aws:iam::aws:policy/AdministratorAccess"]\n}\n'
        'data "aws_iam_policy_document" "trust" {\n  dynamic "statement" {\n'
        "    for_each = var.extra != null ? var.extra : []\n    content {\n"
        '      actions = ["sts:AssumeRole"]\n      principals {\n        type = "AWS"\n'
        "        identifiers = [statement.value.principal]\n      }\n    }\n  }\n}\n"
        'resource "aws_iam_role" "r" {\n  name = "r"\n'
        "  assume_role_policy = data.aws_iam_policy_document.trust.json\n}\n"
        'resource "aws_iam_role_policy_attachment" "a" {\n'
        "  for_each   = var.arns == null ? toset([]) : toset(var.arns)\n"
        "  role       = aws_iam_role.r.name\n  policy_arn = each.value\n}\n"
    )
    found = {(f.rule_id, f.location.line) for f in lint_paths([str(tmp_path)]).findings}
    assert found == {("RL101", 14), ("RL201", 26)}


@pytest.mark.parametrize(
    ("expression", "expected"),
    [("var.unset[*]", []), ('"x"[*]', ["x"]), ('["a", "b"][*]', ["a", "b"])],
)
def test_a_splat_of_null_is_an_empty_list(tmp_path: Path, expression: str, expected: Any) -> None:
    extra = 'variable "unset" {\n  default = null\n}\n'
    assert text(evaluate(tmp_path, expression, extra)) == expected


def test_a_for_each_over_a_splat_of_null_creates_nothing(tmp_path: Path) -> None:
    """``var.x[*]`` with x null was ``[null]``: a role created with each.value null, its
    condition unknown, and a false RL101 critical on principal "*"."""
    (tmp_path / "main.tf").write_text(
        'variable "account" {\n  default = null\n}\n'
        'resource "aws_iam_role" "breakglass" {\n'
        "  for_each = toset(var.account[*])\n  assume_role_policy = jsonencode({\n"
        '    Version = "2012-10-17"\n    Statement = [{ Effect = "Allow",'
        ' Action = "sts:AssumeRole", Principal = { AWS = "*" },\n'
        '      Condition = { StringEquals = { "aws:PrincipalAccount" = each.value } } }]\n'
        "  })\n}\n"
    )
    report = lint_paths([str(tmp_path)])
    assert report.findings == [] and report.errors == []


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ('[for k, v in toset(["a", "b"]) : k]', ["a", "b"]),  # a set's key is its element
        ('{for k, v in toset(["x"]) : k => v}', {"x": "x"}),
        ('[for i, v in ["a", "b"] : i]', [0, 1]),
        ('[for i, v in tolist(toset(["a"])) : i]', [0]),  # a list again: indexes
        ('[for i, v in distinct(["a", "a"]) : i]', [0]),  # distinct() returns a list
    ],
)
def test_the_key_of_a_set_element_is_the_element(
    tmp_path: Path, expression: str, expected: Any
) -> None:
    assert text(evaluate(tmp_path, expression)) == expected


def test_a_dynamic_block_over_a_set_has_the_element_as_its_key(tmp_path: Path) -> None:
    """``statement.key`` over ``toset(["*"])`` was the index 0: a false RL111 on principal
    '0' and no RL101 for the "*" it is in Terraform."""
    (tmp_path / "main.tf").write_text(
        'data "aws_iam_policy_document" "trust" {\n  dynamic "statement" {\n'
        '    for_each = toset(["*"])\n    content {\n      actions = ["sts:AssumeRole"]\n'
        '      principals {\n        type        = "AWS"\n'
        "        identifiers = [statement.key]\n      }\n    }\n  }\n}\n"
        'resource "aws_iam_role" "r" {\n  name = "r"\n'
        "  assume_role_policy = data.aws_iam_policy_document.trust.json\n}\n"
    )
    found = [(f.rule_id, f.location.line) for f in lint_paths([str(tmp_path)]).findings]
    assert found == [("RL101", 8)]


SET_VARIABLES = """\
variable "arns" {
  type    = set(string)
  default = [
    "arn:aws:iam::111122223333:role/b",
    "arn:aws:iam::111122223333:role/a",
    "arn:aws:iam::111122223333:role/b",
  ]
}
variable "ports" {
  type    = set(number)
  default = ["1", 1, 2]
}
variable "groups" {
  type    = map(set(string))
  default = { ci = ["y", "x"] }
}
"""


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        # Each element once, in the set's order, and its own key.
        ("[for k, v in var.arns : k]", [f"arn:aws:iam::111122223333:role/{n}" for n in "ab"]),
        (
            '{for k, v in var.arns : k => v}["arn:aws:iam::111122223333:role/a"]',
            "arn:aws:iam::111122223333:role/a",
        ),
        ("tolist(var.arns)[0]", "arn:aws:iam::111122223333:role/a"),
        ("length(var.arns)", 2),
        ("[for k, v in var.ports : k]", [1, 2]),  # converted first: "1" and 1 are one
        ('[for k, v in var.groups["ci"] : k]', ["x", "y"]),  # a set inside a map
    ],
)
def test_a_variable_typed_set_is_a_set(tmp_path: Path, expression: str, expected: Any) -> None:
    """Terraform converts a value to its variable's type: ``set(string)`` holds a set, so its
    keys are its elements.  It was a list, and ``for k, v`` gave the indexes 0, 1."""
    assert text(evaluate(tmp_path, expression, SET_VARIABLES)) == expected


def test_a_dynamic_block_over_a_set_typed_input_has_the_element_as_its_key(
    tmp_path: Path,
) -> None:
    """A module's ``set(string)`` input given ``["*"]``: ``statement.key`` was the index 0, a
    false RL111 on principal '0' and no RL101 for the "*" the caller passes."""
    (tmp_path / "main.tf").write_text(
        'module "trust" {\n  source       = "./mod"\n  trusted_arns = ["*"]\n}\n'
    )
    (tmp_path / "mod").mkdir()
    (tmp_path / "mod" / "main.tf").write_text(
        'variable "trusted_arns" {\n  type = set(string)\n}\n'
        'data "aws_iam_policy_document" "trust" {\n  dynamic "statement" {\n'
        "    for_each = var.trusted_arns\n    content {\n"
        '      actions = ["sts:AssumeRole"]\n'
        '      principals {\n        type        = "AWS"\n'
        "        identifiers = [statement.key]\n      }\n    }\n  }\n}\n"
        'resource "aws_iam_role" "r" {\n  name = "r"\n'
        "  assume_role_policy = data.aws_iam_policy_document.trust.json\n}\n"
    )
    report = lint_paths([str(tmp_path)])
    found = [(f.rule_id, Path(f.file).name, f.location.line) for f in report.findings]
    assert found == [("RL101", "main.tf", 3)]
    assert (
        "module.trust.aws_iam_role.r allows any AWS principal ('*')" in report.findings[0].message
    )


def test_a_resource_for_each_over_a_set_typed_variable_is_keyed_by_element(
    tmp_path: Path,
) -> None:
    """``for k, v in var.set : k => v`` gave instances ``s["0"]``, ``s["1"]`` trusting the
    principals '0' and '1' (false RL111); they are the ARNs, each with its ExternalId."""
    (tmp_path / "main.tf").write_text(
        SET_VARIABLES + "locals {\n  m = { for k, v in var.arns : k => v }\n}\n"
        'resource "aws_iam_role" "s" {\n  for_each = local.m\n  name     = "s"\n'
        '  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{'
        ' Effect = "Allow", Principal = { AWS = each.key }, Action = "sts:AssumeRole",'
        ' Condition = { StringEquals = { "sts:ExternalId" = "k2D9fQ7xLm3vR8pZ" } } }] })\n}\n'
    )
    report = lint_paths([str(tmp_path)])
    assert report.findings == [] and report.errors == []
    outcome = parse_terraform_directory(str(tmp_path), read_text)
    trusted = {
        r.id: [p.value.text for s in r.trust_policy.statements for p in s.principals]
        for r in outcome.inventory.roles
        if r.trust_policy is not None
    }
    arn = "arn:aws:iam::111122223333:role/"
    assert trusted == {f'aws_iam_role.s["{arn}{n}"]': [f"{arn}{n}"] for n in "ab"}


def test_variables_tfvars_and_defaults(tmp_path: Path) -> None:
    extra = (
        'variable "account" {\n  default = "111111111111"\n}\n'
        'variable "env" {\n  default = "dev"\n}\n'
    )
    value = evaluate(tmp_path, '"${var.env}:${var.account}"', extra, 'account = "222222222222"\n')
    assert text(value) == "dev:222222222222"


def test_well_known_data_sources(tmp_path: Path) -> None:
    extra = 'data "aws_caller_identity" "me" {}\ndata "aws_partition" "p" {}\n'
    value = evaluate(
        tmp_path,
        '"arn:${data.aws_partition.p.partition}:iam::${data.aws_caller_identity.me.account_id}:root"',
        extra,
    )
    assert text(value) == f"arn:aws:iam::{THIS_ACCOUNT}:root"


def test_role_references_resolve_to_name_and_arn(tmp_path: Path) -> None:
    extra = 'resource "aws_iam_role" "deploy" {\n  name = "deployer"\n  path = "/ci/"\n}\n'
    value = evaluate(tmp_path, "[aws_iam_role.deploy.name, aws_iam_role.deploy.arn]", extra)
    assert text(value) == ["deployer", f"arn:aws:iam::{THIS_ACCOUNT}:role/ci/deployer"]


def test_unnamed_role_gets_a_stand_in_that_only_matches_itself(tmp_path: Path) -> None:
    extra = 'resource "aws_iam_role" "anonymous" {\n  name_prefix = "app-"\n}\n'
    name = text(evaluate(tmp_path, "aws_iam_role.anonymous.name", extra))
    # Terraform names it the prefix and a unique suffix, whose place the stand-in holds.
    assert name.startswith("app-<generated:") and "aws_iam_role.anonymous" in name
    assert "*" not in name


def test_strings_remember_the_file_they_were_written_in(tmp_path: Path) -> None:
    (tmp_path / "locals.tf").write_text('locals {\n  actions = ["s3:GetObject"]\n}\n')
    value = evaluate(tmp_path, "local.actions")
    assert isinstance(value, PSeq)
    [action] = value
    assert action.ref.file.endswith("locals.tf") and action.ref.line == 2


def test_strings_kept_in_place_remember_where_a_reference_uses_them(tmp_path: Path) -> None:
    """A suppression comment on ``Action = local.actions`` must reach the strings of the list,
    which keep their place in locals.tf: each is marked with the reference that used it, in
    lists, objects and alternatives alike; a string moved to the reference needs no mark."""
    (tmp_path / "locals.tf").write_text(
        'locals {\n  actions = ["s3:GetObject"]\n  principal = { AWS = ["*"] }\n'
        '  one = "sts:AssumeRole"\n}\n'
    )
    value = evaluate(
        tmp_path,
        "[local.actions, local.principal, var.on ? local.actions : [], local.one]",
        'variable "on" {}\n',
    )
    listed, mapped, chosen, moved = value
    places = [listed[0], mapped["AWS"][0], chosen.options[0][0]]
    assert [(Path(v.ref.file).name, v.ref.line) for v in places] == [
        ("locals.tf", 2),
        ("locals.tf", 3),
        ("locals.tf", 2),
    ]
    uses = [v.ref.used_at for v in places]
    assert [(Path(u.file).name, u.line, u.column) for u in uses if u] == [
        ("main.tf", 2, 12),
        ("main.tf", 2, 27),
        ("main.tf", 2, 53),
    ]
    assert (Path(moved.ref.file).name, moved.ref.line, moved.ref.used_at) == ("main.tf", 2, None)


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        # Terraform's dirname() and basename() are Go's filepath.Dir and filepath.Base.
        ('dirname(".")', "."),
        ('dirname("foo")', "."),
        ('dirname("")', "."),
        ('dirname("a/b/c.json")', "a/b"),
        ('dirname("a//b/")', "a/b"),
        ('dirname("./a/../b/c")', "b"),
        ('dirname("/c.json")', "/"),
        ('dirname("//a/b")', "/a"),
        ('basename("foo/")', "foo"),
        ('basename("")', "."),
        ('basename("/")', "/"),
        ('basename("a/b.json")', "b.json"),
        ('"${dirname(path.module)}/p.json"', "./p.json"),
    ],
)
def test_dirname_and_basename_are_those_of_go(
    tmp_path: Path, expression: str, expected: str
) -> None:
    """Python's ``posixpath.dirname(".")`` is "", so ``file("${dirname(path.module)}/p.json")``
    in a root module read "/p.json"; Go's is ".", which Terraform reads."""
    assert text(evaluate(tmp_path, expression)) == expected


def test_a_file_named_from_the_dirname_of_the_root_module_is_read(tmp_path: Path) -> None:
    (tmp_path / "policies").mkdir()
    (tmp_path / "policies" / "trust.json").write_text(
        '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},'
        '"Action":"sts:AssumeRole"}]}\n'
    )
    (tmp_path / "main.tf").write_text(
        'resource "aws_iam_role" "a" {\n  name = "a"\n'
        '  assume_role_policy = file("${dirname(path.module)}/policies/trust.json")\n}\n'
    )
    report = lint_paths([str(tmp_path)])
    found = [
        (f.rule_id, f.resource, Path(f.location.file).name, f.location.line, f.location.column)
        for f in report.findings
    ]
    assert found == [("RL101", "aws_iam_role.a", "trust.json", 1, 75)]
    assert report.notices == [] and report.errors == []


TRUST_OF_ACCOUNTS = """\
data "aws_iam_policy_document" "t" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = var.trusted_accounts
    }
  }
}
resource "aws_iam_role" "deploy" {
  name               = "deploy"
  assume_role_policy = data.aws_iam_policy_document.t.json
}
"""


def _places(tmp_path: Path) -> list[tuple[str, str, int, int, bool]]:
    return [
        (f.rule_id, Path(f.location.file).name, f.location.line, f.location.column, f.suppressed)
        for f in lint_paths([str(tmp_path)]).findings
    ]


@pytest.mark.parametrize("account", ["210987654321", '"210987654321"'])
def test_a_number_in_a_list_of_another_file_is_reported_in_that_file(
    tmp_path: Path, account: str
) -> None:
    """A number of a variable's default list was reported at the line and column it has in
    variables.tf, but in main.tf (on ``principals {``), as a string is not."""
    (tmp_path / "main.tf").write_text(TRUST_OF_ACCOUNTS)
    (tmp_path / "variables.tf").write_text(
        f'variable "trusted_accounts" {{\n  type    = list(string)\n  default = [{account}]\n}}\n'
    )
    assert _places(tmp_path) == [("RL102", "variables.tf", 3, 14, False)]


IGNORE_RL102 = "# rolelint:ignore RL102 partner account, reviewed\n"


def test_a_number_in_a_list_of_another_file_is_suppressed_where_it_is(tmp_path: Path) -> None:
    """The suppression above the default was "unused": the finding was put in main.tf."""
    (tmp_path / "main.tf").write_text(TRUST_OF_ACCOUNTS)
    (tmp_path / "variables.tf").write_text(
        'variable "trusted_accounts" {\n  type    = list(string)\n'
        f"  {IGNORE_RL102}  default = [210987654321]\n}}\n"
    )
    report = lint_paths([str(tmp_path)])
    assert [(f.rule_id, f.suppressed) for f in report.findings] == [("RL102", True)]
    assert report.notices == []


def test_a_number_in_a_list_of_another_file_is_suppressed_where_it_is_used(
    tmp_path: Path,
) -> None:
    """A suppression on the reference reaches the numbers of the list, as it reaches strings."""
    (tmp_path / "main.tf").write_text(
        'resource "aws_iam_role" "deploy" {\n  name = "deploy"\n'
        '  assume_role_policy = jsonencode({\n    Version = "2012-10-17"\n'
        '    Statement = [{\n      Effect = "Allow"\n      Action = "sts:AssumeRole"\n'
        f"      {IGNORE_RL102}      Principal = {{ AWS = var.trusted_accounts }}\n"
        "    }]\n  })\n}\n"
    )
    (tmp_path / "variables.tf").write_text(
        'variable "trusted_accounts" {\n  default = [210987654321]\n}\n'
    )
    report = lint_paths([str(tmp_path)])
    found = [(f.rule_id, Path(f.location.file).name, f.suppressed) for f in report.findings]
    assert found == [("RL102", "variables.tf", True)]
    assert report.notices == []


def test_numbers_of_locals_and_tfvars_are_reported_where_they_are_written(
    tmp_path: Path,
) -> None:
    """A list of a local in locals.tf, and one of terraform.tfvars, point at their numbers; a
    number reached alone through a reference points at the reference, as a string does."""
    (tmp_path / "locals.tf").write_text(
        "locals {\n  partners = [210987654321]\n  one = 111122223333\n}\n"
    )
    (tmp_path / "terraform.tfvars").write_text("accounts = [444455556666, 777788889999]\n")
    (tmp_path / "main.tf").write_text(
        'variable "accounts" {}\n'
        'resource "aws_iam_role" "a" {\n  name = "a"\n  assume_role_policy = jsonencode({\n'
        '    Version = "2012-10-17"\n    Statement = [{ Effect = "Allow", Action = '
        '"sts:AssumeRole",\n      Principal = { AWS = concat(local.partners, var.accounts) }\n'
        '    }, { Effect = "Allow", Action = "sts:AssumeRole",\n'
        "      Principal = { AWS = local.one }\n    }]\n  })\n}\n"
    )
    assert sorted(_places(tmp_path)) == [
        ("RL102", "locals.tf", 2, 15, False),
        ("RL102", "main.tf", 9, 27, False),
        ("RL102", "terraform.tfvars", 1, 13, False),
        ("RL102", "terraform.tfvars", 1, 27, False),
    ]


def test_a_number_keeps_its_place_through_a_function(tmp_path: Path) -> None:
    (tmp_path / "locals.tf").write_text("locals {\n  accounts = [1, 210987654321]\n}\n")
    value = evaluate(
        tmp_path, "element(local.accounts, 1) + 0 == 210987654321 ? element(local.accounts, 1) : 0"
    )
    assert value == 210987654321
    assert (Path(value.ref.file).name, value.ref.line, value.ref.column) == ("locals.tf", 2, 18)


def test_file_reads_relative_to_the_root_module(tmp_path: Path) -> None:
    (tmp_path / "policy.json").write_text('{"Version": "2012-10-17"}')
    value = evaluate(tmp_path, 'file("${path.module}/policy.json")')
    assert isinstance(value, PositionedText)
    assert value.text.startswith('{"Version"') and not value.interpolated


TEMPLATE_WITH_A_LOOP = """{
  "Version": "2012-10-17",
  "Statement": [{
    "Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"AWS": [
      %{ for arn in arns ~}
      "${arn}",
      %{ endfor ~}
      "arn:aws:iam::123456789012:root"
    ]}
  }]
}
"""


def test_a_template_file_with_a_directive_is_noted_as_one(tmp_path: Path) -> None:
    """A directive outside the JSON's strings was reported as "the policy text is not JSON
    (line 5): invalid JSON", where the same template in a heredoc says what it is."""
    (tmp_path / "trust.json.tpl").write_text(TEMPLATE_WITH_A_LOOP)
    (tmp_path / "main.tf").write_text(
        'resource "aws_iam_role" "r" {\n  name = "r"\n'
        '  assume_role_policy = templatefile("trust.json.tpl", { arns = ["*"] })\n}\n'
    )
    report = lint_paths([str(tmp_path)])
    assert report.findings == [] and report.errors == []
    assert [(n.line, n.message) for n in report.notices] == [
        (
            3,
            "the trust policy of role aws_iam_role.r is not analyzed: "
            "template directive (%{ }) not evaluated",
        )
    ]


def test_a_directive_inside_a_string_of_a_template_file_leaves_the_rest_read(
    tmp_path: Path,
) -> None:
    (tmp_path / "trust.json.tpl").write_text(
        '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",'
        ' "Principal": {"AWS": "*"},\n "Condition": {"StringEquals":'
        ' {"aws:PrincipalTag/team": "%{ if x }a%{ else }b%{ endif }"}}}]}\n'
    )
    (tmp_path / "main.tf").write_text(
        'resource "aws_iam_role" "r" {\n  name = "r"\n'
        '  assume_role_policy = templatefile("trust.json.tpl", { x = true })\n}\n'
    )
    found = [(f.rule_id, f.location.line) for f in lint_paths([str(tmp_path)]).findings]
    assert found == [("RL101", 1)]


HEREDOC_WITH_A_DIRECTIVE = """\
variable "prod" { default = true }
resource "aws_iam_role" "r" {
  name               = "r"
  assume_role_policy = <<-EOT
    %s
  EOT
}
resource "aws_iam_role_policy" "p" {
  role   = aws_iam_role.r.name
  policy = <<-EOT
    {
      "Version": "2012-10-17",
      "Statement": [
        {"Effect": "Allow", "Action": "*", "Resource": "*"},
        {"Effect": "Allow", "Action": "s3:GetObject",
         "Resource": "arn:aws:s3:::%%{ if var.prod }prod%%{ else }dev%%{ endif }-bucket/*"}
      ]
    }
  EOT
}
"""


def test_a_directive_inside_a_string_of_a_heredoc_leaves_the_rest_read(tmp_path: Path) -> None:
    """One ``%{ }`` inside a JSON string of a heredoc left the whole policy unanalyzed (a note),
    hiding its full-admin statement, while the same text in templatefile() was read: only that
    string is its own, now read as Terraform renders it (it was unknown; more in
    test_tf_template_corners.py).  A directive outside the strings still leaves the policy
    unread."""
    trust = TEMPLATE_WITH_A_LOOP.replace("\n", "\n    ").replace("${arn}", "$${arn}")
    (tmp_path / "main.tf").write_text(HEREDOC_WITH_A_DIRECTIVE % trust)
    report = lint_paths([str(tmp_path)])
    assert [(f.rule_id, f.location.line, f.location.column) for f in report.findings] == [
        ("RL201", 25, 39)
    ]
    assert [(n.line, n.message) for n in report.notices] == [
        (
            4,
            "the trust policy of role aws_iam_role.r is not analyzed: "
            "template directive (%{ }) not evaluated",
        )
    ]
    [role] = parse_terraform_directory(str(tmp_path), read_text).inventory.roles
    [policy] = role.policies
    [bucket] = policy.statements[1].resources  # the branch var.prod takes
    assert (bucket.text, bucket.ref.line) == ("arn:aws:s3:::prod-bucket/*", 27)


def test_runaway_alternatives_become_unknown(tmp_path: Path) -> None:
    extra = "".join(f'variable "v{i}" {{}}\n' for i in range(6))
    parts = "".join(f'${{var.v{i} ? "a" : "b"}}' for i in range(6))
    assert is_unknown(evaluate(tmp_path, f'"{parts}"', extra))


def test_count_instances_and_splats_of_a_policy_document(tmp_path: Path) -> None:
    extra = (
        'data "aws_iam_policy_document" "p" {\n  count = 1\n  statement {\n'
        '    actions = ["s3:GetObject"]\n    resources = ["*"]\n  }\n}\n'
    )
    indexed = evaluate(tmp_path, "data.aws_iam_policy_document.p[0].json", extra)
    splatted = evaluate(tmp_path, "one(data.aws_iam_policy_document.p[*].json)", extra)
    for document in (indexed, splatted):
        assert isinstance(document, PMap)
        assert text(document["Statement"][0]["Action"]) == ["s3:GetObject"]


SEVERAL_ROLES = (
    'resource "aws_iam_role" "team" {\n  for_each = toset(["ci", "audit"])\n'
    '  name = "team-${each.key}"\n}\n'
    'resource "aws_iam_role" "worker" {\n  count = 2\n  name = "worker-${count.index}"\n}\n'
)


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ('aws_iam_role.team["ci"].name', "team-ci"),
        ('aws_iam_role.team["audit"].arn', f"arn:aws:iam::{THIS_ACCOUNT}:role/team-audit"),
        ("aws_iam_role.worker[1].id", "worker-1"),
        ("aws_iam_role.worker[*].name", ["worker-0", "worker-1"]),
        ("[for role in aws_iam_role.team : role.name]", ["team-audit", "team-ci"]),
        ('{for key, role in aws_iam_role.team : key => role.id}["ci"]', "team-ci"),
        ("values(aws_iam_role.team)[0].name", "team-audit"),  # sorted by key, as Terraform
    ],
)
def test_references_to_one_of_several_instances(
    tmp_path: Path, expression: str, expected: Any
) -> None:
    assert text(evaluate(tmp_path, expression, SEVERAL_ROLES)) == expected


@pytest.mark.parametrize(
    ("expression", "reason"),
    [
        ('aws_iam_role.team["ci"].unique_id', 'aws_iam_role.team["ci"].unique_id is known only'),
        ('aws_iam_role.team["qa"].name', "no element 'qa'"),
        ("aws_iam_role.worker[var.which].arn", "index not known before apply"),
    ],
)
def test_what_instances_do_not_know_stays_unknown(
    tmp_path: Path, expression: str, reason: str
) -> None:
    value = evaluate(tmp_path, expression, SEVERAL_ROLES + 'variable "which" {}\n')
    assert is_unknown(value)
    assert reason in (value.unresolved_reason or "")


def test_a_document_per_instance_of_a_policy_document(tmp_path: Path) -> None:
    extra = (
        'data "aws_iam_policy_document" "p" {\n  for_each = {a = "s3:GetObject", b = "*"}\n'
        '  statement {\n    actions = [each.value]\n    resources = ["*"]\n  }\n}\n'
    )
    for key, action in (("a", "s3:GetObject"), ("b", "*")):
        document = evaluate(tmp_path, f'data.aws_iam_policy_document.p["{key}"].json', extra)
        assert isinstance(document, PMap)
        assert text(document["Statement"][0]["Action"]) == [action]


def test_splices_outside_strings_keep_their_lines_and_columns() -> None:
    """Each ``${...}`` written outside a JSON string becomes a placeholder of its width; its
    expression keeps where it was written, on whatever line (counted on from the one before)."""
    from rolelint.parsers.tf_eval import splice

    text = '{"a": "x\\"${y}",\n "P": ${jsonencode(local.p)},\n\n "c": ${var.q}}'
    spliced, slots = splice(text, 10, 3)
    assert len(spliced) == len(text)  # columns after a placeholder do not move
    assert '"x\\"${y}"' in spliced  # inside a string: left for the string's own reading
    positions = []
    for expression in slots.values():
        assert expression.span is not None
        positions.append((expression.span.line, expression.span.column))
    assert positions == [(11, 11), (13, 11)]


def test_a_splice_over_several_lines_keeps_the_lines_after_it() -> None:
    """A ``${...}`` spread over lines became a placeholder on one line: what follows it moved
    up a line for each line break inside, and its columns on the last line moved too."""
    from rolelint.parsers.tf_eval import splice

    text = '{"P": ${jsonencode(\n  local.p\r\n)}, "c": 1,\n "d": ${\nvar.q}}'
    spliced, slots = splice(text, 1, 1)
    assert spliced.splitlines() == [
        '{"P": "\u00a70         "',
        "         ",
        '  , "c": 1,',
        ' "d": "\u00a71"',
        "      }",
    ]
    assert len(slots) == 2


def test_a_literal_dollar_brace_outside_strings_is_not_spliced() -> None:
    """``$${`` is a literal ``${`` in a Terraform template, outside a JSON string as inside
    one: splice took ``$${literal}`` for an interpolation, parsed ``literal`` as an expression
    and put a placeholder after the first ``$``.  It is text, left as written; an
    interpolation after it is still spliced, and ``$$${x}`` is a ``$`` and a literal."""
    from rolelint.parsers.tf_eval import splice

    text = '{"R": $${literal}, "P": ${jsonencode(local.p)}, "Q": $$${x}}'
    spliced, slots = splice(text, 1, 1)
    assert len(spliced) == len(text)
    assert spliced.startswith('{"R": $${literal}, "P": "\u00a70')
    assert spliced.endswith('", "Q": $$${x}}')
    [expression] = slots.values()
    assert expression.span is not None and expression.span.column == text.index("jsonencode") + 1


MULTI_LINE_SPLICE = """{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": {"Service": ${jsonencode(
        NAME
      )}},
      "Action": "sts:AssumeRole"
    },
    {
      "Effect": "Allow",
      "Principal": {"AWS": "*"},
      "Action": "sts:AssumeRole"
    }
  ]
}
"""


def test_findings_after_a_multi_line_splice_of_a_heredoc_keep_their_line(tmp_path: Path) -> None:
    """RL101 on ``"AWS": "*"`` was reported two lines up, on a ``{``: one line for each line
    break inside the ``${jsonencode(...)}`` before it."""
    (tmp_path / "main.tf").write_text(
        'locals {\n  svc = ["ec2.amazonaws.com"]\n}\n'
        'resource "aws_iam_role" "a" {\n  name = "a"\n  assume_role_policy = <<EOF\n'
        + MULTI_LINE_SPLICE.replace("NAME", "local.svc")
        + "EOF\n}\n"
    )
    found = [
        (f.rule_id, Path(f.location.file).name, f.location.line, f.location.column)
        for f in lint_paths([str(tmp_path)]).findings
    ]
    assert found == [("RL101", "main.tf", 19, 28)]


def test_findings_after_a_multi_line_splice_of_a_template_keep_their_line(
    tmp_path: Path,
) -> None:
    (tmp_path / "trust.tpl").write_text(MULTI_LINE_SPLICE.replace("NAME", "services"))
    (tmp_path / "main.tf").write_text(
        'resource "aws_iam_role" "a" {\n  name = "a"\n  assume_role_policy = templatefile('
        '"${path.module}/trust.tpl", { services = ["ec2.amazonaws.com"] })\n}\n'
    )
    found = [
        (f.rule_id, Path(f.location.file).name, f.location.line, f.location.column)
        for f in lint_paths([str(tmp_path)]).findings
    ]
    assert found == [("RL101", "trust.tpl", 13, 28)]


OPTIONAL_ATTRIBUTES = """\
variable "teams" {
  type = map(object({
    effect  = optional(string, "Allow")
    sid     = optional(string)
    session = optional(object({ hours = optional(number, 1) }), {})
    roles   = optional(list(object({ path = optional(string, "/") })), [])
  }))
  default = {
    ci    = { roles = [{}] }
    audit = { effect = null, session = { hours = 4 } }
  }
}
variable "flags" {
  type    = object({ allow_any = optional(bool, false) })
  default = {}
}
"""


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("var.flags.allow_any", False),
        ('var.teams["ci"].effect', "Allow"),
        ('var.teams["ci"].session.hours', 1),  # the default gets its own type's defaults
        ('var.teams["ci"].roles[0].path', "/"),  # through list(object(...))
        ('var.teams["audit"].effect', "Allow"),  # null is filled in as a missing one is
        ('var.teams["audit"].session.hours', 4),
        ('var.teams["audit"].roles', []),
    ],
)
def test_optional_attributes_take_their_defaults(
    tmp_path: Path, expression: str, expected: Any
) -> None:
    """A module's ``optional(bool, false)`` was read as missing, so unknown: ``allow_any ?
    ["*"] : ...`` was "*" (RL101 critical), and ``effect`` left to its default never Allow."""
    assert text(evaluate(tmp_path, expression, OPTIONAL_ATTRIBUTES)) == expected


def test_an_optional_attribute_without_a_default_is_null(tmp_path: Path) -> None:
    """Not unknown: Terraform converts a missing optional attribute to null, and an argument
    set to null is one not set (``effect = null`` is the provider's default, Allow)."""
    assert evaluate(tmp_path, 'var.teams["ci"].sid', OPTIONAL_ATTRIBUTES) is None
    document = (
        'data "aws_iam_policy_document" "p" {\n  statement {\n'
        '    effect  = var.teams["ci"].sid\n    actions = ["s3:GetObject"]\n  }\n}\n'
    )
    tree = evaluate(tmp_path, "data.aws_iam_policy_document.p.json", OPTIONAL_ATTRIBUTES + document)
    assert text(tree["Statement"][0]) == {"Effect": "Allow", "Action": ["s3:GetObject"]}


def test_optional_attributes_of_a_type_written_in_json(tmp_path: Path) -> None:
    """Terraform's JSON syntax writes the type as a string."""
    variable = {"type": 'object({ kind = optional(string, "AWS") })', "default": {}}
    (tmp_path / "variables.tf.json").write_text(json.dumps({"variable": {"typed": variable}}))
    assert text(evaluate(tmp_path, "var.typed.kind")) == "AWS"


PRIMITIVES = """\
variable "untyped" {
  default = "0"
}
variable "number" {
  type    = number
  default = "2.0"
}
variable "flag" {
  type    = bool
  default = "false"
}
variable "flags" {
  type    = list(bool)
  default = ["1", "true"]
}
variable "not_a_number" {
  type    = number
  default = "two"
}
"""


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("var.number", 2),  # type = number: the string given converted, whole as 2
        ("var.flag", False),
        ("var.flags", [True, True]),
        ('tonumber("-1.5e1")', -15),
        ('tonumber("0.25")', 0.25),
        ('tobool("0")', False),
        ('try(tonumber("abc"), 5)', 5),  # an error in Terraform, so try() goes on
        ("var.untyped", "0"),  # untyped: a string, converted where it is used as a number
        ('var.untyped > 0 ? "on" : "off"', "off"),
        ("var.untyped + 1", 1),
        ('var.untyped ? "on" : "off"', "off"),  # a condition converts "0" to false
        ('var.untyped == 0 ? "equal" : "different"', "different"),  # == converts nothing
    ],
)
def test_strings_are_converted_to_numbers_and_bools_as_terraform_converts_them(
    tmp_path: Path, expression: str, expected: Any
) -> None:
    """A ``type = number`` variable with ``default = "0"`` stayed the string "0", and a count
    or condition on it unknown: a resource switched off was analyzed (critical findings)."""
    assert text(evaluate(tmp_path, expression, PRIMITIVES)) == expected


@pytest.mark.parametrize(
    "expression", ["var.not_a_number", 'tonumber("1 ")', 'tobool("yes")', 'tonumber("1e999")']
)
def test_a_string_terraform_cannot_convert_stays_unknown(tmp_path: Path, expression: str) -> None:
    """Terraform stops with an error ("a number is required"): never a guess.  (A number too
    large to read is left unknown too.)"""
    value = evaluate(tmp_path, expression, PRIMITIVES)
    assert is_unknown(value)
    if expression != 'tonumber("1e999")':
        assert (value.unresolved_reason or "").startswith(CANNOT_CONVERT)


def test_a_set_of_strings_is_ordered_as_terraform_orders_it(tmp_path: Path) -> None:
    """toset() kept the order given, where Terraform sorts a set of strings: the first element
    of tolist(toset(["b", "a"])) named instance "b", and AdministratorAccess landed on the
    wrong role.  A set with an element not known keeps its order (Terraform's is not guessed)."""
    assert text(evaluate(tmp_path, 'tolist(toset(["c", "b", "b", "a"]))')) == ["a", "b", "c"]
    unknown_first = evaluate(tmp_path, 'toset(["b", var.x, "a"])', 'variable "x" {}\n')
    assert text(unknown_first) == ["b", None, "a"]
    (tmp_path / "main.tf").write_text(
        'resource "aws_iam_role" "y" {\n  for_each = toset(["b", "a"])\n'
        '  name     = "y-${each.key}"\n'
        '  assume_role_policy = jsonencode({Version = "2012-10-17", Statement = [{Effect ='
        ' "Allow", Principal = {Service = "ec2.amazonaws.com"}, Action = "sts:AssumeRole"}]})\n'
        "}\n"
        'resource "aws_iam_role_policy_attachment" "b" {\n'
        '  role       = aws_iam_role.y[tolist(toset(["b", "a"]))[0]].name\n'
        '  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"\n}\n'
    )
    report = lint_paths([str(tmp_path)])
    found = [(f.rule_id, f.resource, f.location.line) for f in report.findings]
    assert found == [("RL201", 'aws_iam_role.y["a"]', 8)]


def test_path_cwd_is_not_known(tmp_path: Path) -> None:
    """``path.cwd`` is the folder Terraform is run from (before any ``-chdir``), which the code
    does not say.  It was ".", so ``"ci-${basename(path.cwd)}"`` named a role "ci-." and a
    bucket ".-bucket", names nothing deploys.  Whoever runs Terraform picks the folder: the
    value is unknown, and not constrained.  ``path.root`` stays "."."""
    (tmp_path / "prod").mkdir()
    for expression in ("path.cwd", "basename(path.cwd)", '"ci-${basename(path.cwd)}"'):
        value = evaluate(tmp_path / "prod", expression)
        assert is_unknown(value), expression
        assert value.unresolved_reason == CWD_UNKNOWN
        assert not value.constrained
    assert text(evaluate(tmp_path / "prod", "path.root")) == "."


REGIONS = (
    'variable "region" {\n  type = string\n}\n'
    "locals {\n"
    '  buckets = { "us-east-1" = "arn:aws:s3:::east", "eu-west-1" = "*" }\n'
    '  roles   = { "us-east-1" = { arn = "A" }, "eu-west-1" = { arn = "B" } }\n'
    "}\n"
)


def test_a_maps_element_at_a_key_with_a_default_is_that_one(tmp_path: Path) -> None:
    """Guard: a key that is known (the variable's value in terraform.tfvars) picks one."""
    value = evaluate(tmp_path, "local.buckets[var.region]", REGIONS, 'region = "eu-west-1"\n')
    assert text(value) == "*"


@pytest.mark.parametrize(
    "expression", ["local.buckets[var.region]", 'lookup(local.buckets, var.region, "*")']
)
def test_a_maps_element_at_a_key_not_known_stays_unknown(tmp_path: Path, expression: str) -> None:
    """The key whoever deploys gives may be any the variable's validation, its variable files
    or the code around it allow: reading the element as each of the map's values took the
    ``"*"`` of a key no deployment gives, and two lookups of one key in a statement as two
    independent choices (one environment's actions on another's resources)."""
    value = evaluate(tmp_path, expression, REGIONS)
    assert is_unknown(value)


def test_two_lookups_of_one_key_not_known_mix_no_environments(tmp_path: Path) -> None:
    """dev's ``s3:*`` on its bucket, prod's ``s3:GetObject`` on ``"*"``: no deployment has
    ``s3:*`` on every resource, and nothing is reported."""
    (tmp_path / "main.tf").write_text(
        'variable "env" {\n  type = string\n}\n'
        "locals {\n  cfg = {\n"
        '    dev  = { actions = ["s3:*"], resources = ["arn:aws:s3:::dev-bucket/*"] }\n'
        '    prod = { actions = ["s3:GetObject"], resources = ["*"] }\n  }\n}\n'
        'resource "aws_iam_policy" "p" {\n  name = "p"\n'
        '  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow",\n'
        "    Action = local.cfg[var.env].actions, Resource = local.cfg[var.env].resources }] })\n"
        "}\n"
    )
    assert lint_paths([str(tmp_path)]).findings == []


@pytest.mark.parametrize("function", ["tolist", "toset"])
@pytest.mark.parametrize(
    "argument", ['jsonencode(["*"])', '"*"', 'jsonencode({ a = "*" })'], ids=["list", "str", "map"]
)
def test_a_string_made_a_list_is_unknown_with_a_note(
    tmp_path: Path, function: str, argument: str
) -> None:
    """``tolist(jsonencode(["*"]))`` is a string Terraform does not convert: it refuses the
    configuration at plan ("Invalid value for "v" parameter: cannot convert string to list of
    any single type").  rolelint returned what jsonencode() encoded, and read the list
    ``["*"]``; the value is now unknown, with a note, as a string given to a policy
    document's list argument is."""
    (tmp_path / "main.tf").write_text(
        'resource "aws_iam_policy" "p" {\n  name   = "p"\n'
        '  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow",'
        f' Action = "s3:PutObject", Resource = {function}({argument}) }}] }})\n}}\n'
    )
    report = lint_paths([str(tmp_path)])
    assert report.findings == []
    assert [(notice.line, notice.message) for notice in report.notices] == [
        (
            3,
            f"{function}() of a string, which Terraform refuses (it converts no string to"
            " a list or a set): this value is not analyzed",
        )
    ]


@pytest.mark.parametrize("function", ["tolist", "toset"])
def test_a_for_expression_over_a_string_made_a_list_is_unknown(
    tmp_path: Path, function: str
) -> None:
    """``[for r in tolist(jsonencode(["*"])) : r]`` iterated the list jsonencode() was given:
    a ``"*"`` Terraform never deploys."""
    value = evaluate(tmp_path, f'[for r in {function}(jsonencode(["*"])) : r]')
    assert is_unknown(value)


# A string whose tree rolelint keeps (what jsonencode() made, a policy document's JSON) given
# where a function takes a list or a map: Terraform refuses the configuration at plan
# (concat(): "all arguments must be lists or tuples; got string"; flatten(): "can only flatten
# lists, sets and tuples"; merge(): "arguments must be maps or objects"; the others cannot
# convert a string to the list or map their parameter is).  rolelint read the tree: the list
# or map jsonencode() was given.
STRING_GIVEN = {
    "distinct": ("distinct(local.arns_json)", "a list"),
    "concat": ('concat(["a"], local.arns_json)', "lists"),
    "flatten": ("flatten(local.arns_json)", "a list"),
    "compact": ("compact(local.arns_json)", "a list"),
    "coalescelist": ("coalescelist([], local.arns_json)", "lists"),
    "element": ("element(local.arns_json, 0)", "a list"),
    "one": ("one(local.arns_json)", "a list"),
    "contains": ('contains(local.arns_json, "*")', "a list"),
    "join": ('join(",", local.arns_json)', "lists"),
    "tomap": ("tomap(local.map_json)", "a map"),
    "merge": ("merge({}, local.map_json)", "maps"),
    "lookup": ('lookup(local.map_json, "a", "")', "a map"),
    "keys": ("keys(local.map_json)", "a map"),
    "values": ("values(local.map_json)", "a map"),
    "tomap-document": ("tomap(data.aws_iam_policy_document.d.json)", "a map"),
}
ENCODED = (
    'locals {\n  arns_json = jsonencode(["*"])\n  map_json = jsonencode({ a = "*" })\n}\n'
    'data "aws_iam_policy_document" "d" {\n  statement {\n    actions   = ["*"]\n'
    '    resources = ["*"]\n  }\n}\n'
)


@pytest.mark.parametrize(("call", "takes"), STRING_GIVEN.values(), ids=STRING_GIVEN.keys())
def test_a_string_given_for_a_list_or_map_is_unknown(tmp_path: Path, call: str, takes: str) -> None:
    value = evaluate(tmp_path, call, ENCODED)
    name = call.split("(")[0]
    assert is_unknown(value)
    assert (
        value.unresolved_reason
        == f"{name}() of a string, which Terraform refuses (it takes {takes})"
    )
    assert value.constrained  # in no deployment: not the deployer's choice


@pytest.mark.parametrize("call", ["flatten", "concat", "coalescelist", "distinct", "compact"])
def test_a_string_given_for_a_list_is_no_resource_and_a_note(tmp_path: Path, call: str) -> None:
    """``Resource = flatten(local.arns_json)`` was the list ``["*"]``: RL208-style findings on
    a policy Terraform never deploys.  Now the Resource is not analyzed, with a note."""
    (tmp_path / "main.tf").write_text(
        'locals {\n  arns_json = jsonencode(["*"])\n}\n'
        'resource "aws_iam_policy" "p" {\n  name   = "p"\n'
        '  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow",'
        f' Action = "s3:GetObject", Resource = {call}(local.arns_json) }}] }})\n}}\n'
    )
    report = lint_paths([str(tmp_path)])
    assert report.findings == []
    assert [(notice.line, notice.message) for notice in report.notices] == [
        (
            6,
            f"{call}() of a string, which Terraform refuses (it takes"
            f" {'lists' if call in ('concat', 'coalescelist') else 'a list'}): this value is"
            " not analyzed",
        )
    ]


def test_no_note_for_a_string_given_for_a_list_inside_try(tmp_path: Path) -> None:
    """try() goes on past the failure: no note (as for tolist())."""
    (tmp_path / "main.tf").write_text(
        'locals {\n  arns_json = jsonencode(["*"])\n}\n'
        'resource "aws_iam_policy" "p" {\n  name   = "p"\n'
        '  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow",'
        ' Action = "s3:GetObject", Resource = try(flatten(local.arns_json), "*") }] })\n}\n'
    )
    assert lint_paths([str(tmp_path)]).notices == []


# try() of a string given where Terraform requires a collection: Terraform's error makes try()
# take its next argument, here the "*" a finding is about (RL206, iam:PassRole on "*").
FALLS_BACK = {
    "function": 'try(flatten(local.arns_json), ["*"])',
    "tolist": 'try(tolist(local.arns_json), ["*"])',
    "index": 'try(local.arns_json[0], "*")',
    "for": 'try([for a in local.arns_json : a], ["*"])',
    "expansion": 'try(concat(local.arns_json...), ["*"])',
}
# Where Terraform may or may not take the fallback, or surely does not: a value not known
# before apply is try()'s answer, and a local failing fails the run whoever refers to it.
KEEPS_THE_FIRST = {
    "not-known": 'try(flatten(var.arns), ["*"])',
    "a-local-failing": 'try(local.flat, ["*"])',
}
TRIED = (
    'locals {\n  arns_json = jsonencode(["arn:aws:iam::111122223333:role/app"])\n'
    "  flat      = flatten(local.arns_json)\n}\n"
    'variable "arns" {}\n'
    'resource "aws_iam_policy" "p" {\n  name   = "p"\n'
    '  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow",'
    ' Action = "iam:PassRole", Resource = RESOURCE }] })\n}\n'
)


@pytest.mark.parametrize("resource", FALLS_BACK.values(), ids=FALLS_BACK.keys())
def test_a_string_given_for_a_collection_inside_try_takes_the_fallback(
    tmp_path: Path, resource: str
) -> None:
    """``try(flatten(local.arns_json), ["*"])`` is ``["*"]`` in Terraform: flatten() of a
    string fails, and try() goes on.  rolelint left it unknown (and noted the index, the
    ``for`` and the ``...`` inside try()), and iam:PassRole on every role went unreported."""
    (tmp_path / "main.tf").write_text(TRIED.replace("RESOURCE", resource))
    report = lint_paths([str(tmp_path)])
    assert [(f.rule_id, f.location.line) for f in report.findings] == [("RL206", 8)]
    assert "iam:PassRole on '*'" in report.findings[0].message
    assert report.notices == []


@pytest.mark.parametrize("resource", KEEPS_THE_FIRST.values(), ids=KEEPS_THE_FIRST.keys())
def test_try_keeps_a_first_argument_not_certain_to_fail(tmp_path: Path, resource: str) -> None:
    """Guard: no finding on the fallback where Terraform is not certain to take it, and the
    note of a local failing, at the local, where Terraform fails the run."""
    (tmp_path / "main.tf").write_text(TRIED.replace("RESOURCE", resource))
    report = lint_paths([str(tmp_path)])
    assert report.findings == []
    refused = "flatten() of a string, which Terraform refuses (it takes a list)"
    assert [(notice.line, notice.message) for notice in report.notices] == (
        [(3, f"{refused}: this value is not analyzed")] if "local.flat" in resource else []
    )


@pytest.mark.parametrize(
    "resource", ["flatten(local.arns_json)", "[local.arns_json[0]]"], ids=["function", "index"]
)
def test_a_string_given_for_a_collection_in_an_undecided_branch_is_quiet(
    tmp_path: Path, resource: str
) -> None:
    """One behaviour for every such refusal: in a branch of a condition rolelint does not
    decide, none is certain, and no note is given (the function said nothing there, the
    index did); the other branch is read (s3:* on a bucket: RL202)."""
    (tmp_path / "main.tf").write_text(
        TRIED.replace("RESOURCE", f'var.c ? {resource} : ["arn:aws:s3:::b/*"]')
        .replace("iam:PassRole", "s3:*")
        .replace('variable "arns" {}', 'variable "c" {\n  type = bool\n}')
    )
    report = lint_paths([str(tmp_path)])
    assert report.notices == []
    assert {finding.rule_id for finding in report.findings} == {"RL202"}


@pytest.mark.parametrize(
    ("call", "expected"),
    [
        ('flatten([local.arns_json, ["x"]])', ['["*"]', "x"]),
        ('concat([local.arns_json], ["x"])', ['["*"]', "x"]),
        ("length(local.arns_json)", 5),
        ("length(local.map_json)", 9),
    ],
)
def test_a_string_held_in_a_list_or_measured_is_the_string(
    tmp_path: Path, call: str, expected: Any
) -> None:
    """Guard: the string as an item of a list is kept as the string, and ``length()`` counts
    its characters, as Terraform does (it counted the list's items)."""
    assert text(evaluate(tmp_path, call, ENCODED)) == expected
