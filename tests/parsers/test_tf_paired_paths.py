"""A Terraform conditional keeps which branch each option is of through every path of the
evaluator that rebuilds it.

``Action = lower(var.admin ? "S3:*" : "S3:GetObject")`` beside ``Resource = var.admin ?
"arn:aws:s3:::logs/*" : "*"`` is s3:* on the logs where admin holds and s3:GetObject on every
resource where it does not.  The function applied to each option rebuilt the Choice without
its branches (``Choice.when``), so the statement was crossed again and s3:* on ``"*"`` (RL203),
which no deployment has, was reported.  The same for a module variable whose null branch is its
default, string interpolation, ``jsonencode`` in a heredoc, an attribute of a chosen object, a
``for`` expression and a ``dynamic`` block over a chosen collection, and the statements of an
``aws_iam_policy_document``.  Every branch is still judged: admin's s3:* (RL202) and the
reader's s3:GetObject on every resource (RL208) are reported at their lines.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from rolelint.api import lint_paths
from rolelint.findings import Finding
from tests.parsers.test_paired_branches import ROLE_TF, found, lint_module
from tests.rules.harness import line_of

ADMIN = 'variable "admin" {\n  type = bool\n}\n'


def inline(action: str, resource: str, extra: str = "") -> str:
    """A module whose role holds an inline policy of one Allow with ``action`` and
    ``resource`` (HCL expressions)."""
    return (
        ADMIN
        + extra
        + f"""
resource "aws_iam_role_policy" "worker" {{
  role = aws_iam_role.worker.id
  policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [{{
      Effect   = "Allow"
      Action   = {action}
      Resource = {resource}
    }}]
  }})
}}
"""
        + ROLE_TF
    )


def expected(text: str) -> set[tuple[str, int]]:
    """What the deployments of :func:`inline`'s statement hold: admin's s3:* (RL202, at the
    Action), the reader's s3:GetObject on every resource (RL208, at the Resource).  Never
    s3:* on every resource (RL203), which is admin's Action on the reader's Resource."""
    return {("RL202", line_of(text, "Action   =")), ("RL208", line_of(text, "Resource ="))}


CHOSEN_RESOURCE = 'var.admin ? "arn:aws:s3:::logs/*" : "*"'


def test_the_conditionals_written_alone_are_paired(tmp_path: Path) -> None:
    """The statement every test below rewrites: without a path between, the two conditionals
    pair (what the others must give)."""
    text = inline('var.admin ? "s3:*" : "s3:GetObject"', CHOSEN_RESOURCE)
    assert found(lint_module(tmp_path, {"main.tf": text})) == expected(text)


@pytest.mark.parametrize(
    "action",
    [
        'lower(var.admin ? "S3:*" : "S3:GetObject")',
        'format("s3:%s", var.admin ? "*" : "GetObject")',
        'replace(var.admin ? "s3:ALL" : "s3:GetObject", "ALL", "*")',
        'concat(var.admin ? ["s3:*"] : [], var.admin ? [] : ["s3:GetObject"])',
        'tolist(var.admin ? ["s3:*"] : ["s3:GetObject"])',
        # jsonencode() of it was here: its text is "s3:*" with its quotes, which IAM rejects
        # (test_tf_quoted_templates); tostring() passes the value on as it is.
        'tostring(var.admin ? "s3:*" : "s3:GetObject")',
        '"s3:${var.admin ? "*" : "GetObject"}"',
        '(var.admin ? { a = "s3:*" } : { a = "s3:GetObject" }).a',
        '[for a in (var.admin ? ["S3:*"] : ["S3:GetObject"]) : lower(a)]',
    ],
)
def test_an_action_a_path_rebuilds_still_pairs_with_its_resource(
    tmp_path: Path, action: str
) -> None:
    """A function of a conditional (two of one condition pair their options: concat gives
    ``[s3:*]`` or ``[s3:GetObject]``, never both nor none), interpolation, an attribute of a
    chosen object and a ``for`` over a chosen list: each option keeps its branch."""
    text = inline(action, CHOSEN_RESOURCE)
    assert found(lint_module(tmp_path, {"main.tf": text})) == expected(text)


@pytest.mark.parametrize(
    "resource",
    [
        '"${var.admin ? "arn:aws:s3:::logs/" : ""}*"',
        'lower(var.admin ? "arn:aws:s3:::logs/*" : "*")',
    ],
)
def test_a_resource_a_path_rebuilds_still_pairs_with_its_action(
    tmp_path: Path, resource: str
) -> None:
    """The Resource rebuilt by interpolation or a function."""
    text = inline('var.admin ? "s3:*" : "s3:GetObject"', resource)
    findings = found(lint_module(tmp_path, {"main.tf": text}))
    assert ("RL203", line_of(text, "Resource =")) not in findings
    assert ("RL208", line_of(text, "Resource =")) in findings
    assert ("RL202", line_of(text, "Action   =")) in findings


def test_conditions_written_differently_still_cross_through_a_function(tmp_path: Path) -> None:
    """Two conditions are one only when written alike: through a function, ``var.env ==
    "admin"`` and ``var.admin`` still give every combination, s3:* on every resource among
    them, as before."""
    text = inline(
        'lower(var.env == "admin" ? "S3:*" : "S3:GetObject")',
        CHOSEN_RESOURCE,
        'variable "env" {\n  type = string\n}\n',
    )
    resource = line_of(text, "Resource =")
    assert ("RL203", resource) in found(lint_module(tmp_path, {"main.tf": text}))


HEREDOC = (
    ADMIN
    + """
resource "aws_iam_role_policy" "worker" {
  role   = aws_iam_role.worker.id
  policy = <<EOF
{
  "Version": "2012-10-17",
  "Statement": [{
    "Effect": "Allow",
    "Action": ${jsonencode(var.admin ? ["s3:*"] : ["s3:GetObject"])},
    "Resource": "${local.prefix}*"
  }]
}
EOF
}

locals {
  prefix = var.admin ? "arn:aws:s3:::logs/" : ""
}
"""
    + ROLE_TF
)


def test_a_heredoc_policy_pairs_a_jsonencoded_action_with_an_interpolated_resource(
    tmp_path: Path,
) -> None:
    """The Action a ``jsonencode`` of a conditional spliced in, the Resource a string
    interpolating one: each keeps its branch."""
    findings = found(lint_module(tmp_path, {"main.tf": HEREDOC}))
    assert findings == {
        ("RL202", line_of(HEREDOC, '"Action"')),
        ("RL208", line_of(HEREDOC, '"Resource"')),
    }


def test_a_jsonencoded_map_with_a_conditional_through_a_function_pairs(tmp_path: Path) -> None:
    """``jsonencode({...})`` of a map whose Statement holds both conditionals, one through
    ``upper``/``lower``: the document is the map, its conditionals kept."""
    text = inline(
        'lower(upper(var.admin ? "s3:*" : "s3:GetObject"))',
        'var.admin ? lower("ARN:AWS:S3:::LOGS/*") : "*"',
    )
    assert found(lint_module(tmp_path, {"main.tf": text})) == expected(text)


def policy_document(statement: str, extra: str = "") -> str:
    """A module whose role holds the ``aws_iam_policy_document`` of ``statement`` (the text
    of its blocks)."""
    return (
        ADMIN
        + extra
        + f"""
data "aws_iam_policy_document" "worker" {{
{statement}}}

resource "aws_iam_role_policy" "worker" {{
  role   = aws_iam_role.worker.id
  policy = data.aws_iam_policy_document.worker.json
}}
"""
        + ROLE_TF
    )


def test_a_policy_document_statement_pairs_through_functions(tmp_path: Path) -> None:
    text = policy_document(
        """\
  statement {
    actions   = [lower(var.admin ? "S3:*" : "S3:GetObject")]
    resources = compact([var.admin ? "arn:aws:s3:::logs/*" : "*"])
  }
"""
    )
    assert found(lint_module(tmp_path, {"main.tf": text})) == {
        ("RL202", line_of(text, "actions")),
        ("RL208", line_of(text, "resources")),
    }


def test_a_deny_whose_elements_pair_through_functions_still_limits_every_deployment(
    tmp_path: Path,
) -> None:
    """The Deny of test_paired_branches' ONLY_S3_TF, its NotAction through a ``for`` and a
    function and its NotResource through ``tolist``: a Deny in every deployment is not split
    into branches (each in some deployments only would limit nothing), so ``Allow *`` is
    still no administrator (no RL201)."""
    from tests.parsers.test_paired_branches import ONLY_S3_TF

    text = ONLY_S3_TF.replace(
        'not_actions   = var.prod ? ["s3:GetObject"] : ["s3:*"]',
        'not_actions   = [for a in (var.prod ? ["S3:GetObject"] : ["S3:*"]) : lower(a)]',
    )
    text = text.replace("not_resources = var.prod ?", "not_resources = tolist(var.prod ?").replace(
        '"arn:aws:s3:::dev/*"]\n', '"arn:aws:s3:::dev/*"])\n'
    )
    assert "lower(a)" in text and "tolist(" in text
    allow = line_of(text, 'resources = ["*"]')
    assert found(lint_module(tmp_path, {"main.tf": text})) == {
        ("RL202", line_of(text, 'actions   = ["*"]')),
        ("RL203", allow),
        ("RL208", allow),
    }


def test_a_condition_that_cannot_be_named_keeps_the_branches_of_those_it_holds(
    tmp_path: Path,
) -> None:
    """``statement.value.wide ? (var.admin ? a : b) : b``: the outer condition is another
    for each element (it names no branch), the inner one still does, and pairs with the
    Resource it chooses."""
    text = policy_document(
        """\
  dynamic "statement" {
    for_each = var.grants
    content {
      actions   = [statement.value.wide ? (var.admin ? "s3:*" : "s3:GetObject") : "s3:GetObject"]
      resources = [var.admin ? "arn:aws:s3:::logs/*" : "*"]
    }
  }
""",
        'variable "grants" {\n  type = map(object({ wide = bool }))\n}\n',
    )
    assert found(lint_module(tmp_path, {"main.tf": text})) == {
        ("RL202", line_of(text, "actions")),
        ("RL208", line_of(text, "resources")),
    }


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ('"${var.admin ? "a" : ""}-${var.admin ? "" : "b"}"', ["a-", "-b"]),
        ("(var.admin ? 1 : 2) + (var.admin ? 10 : 20)", [11, 22]),
        ('lower(var.admin ? "A" : "B") == lower(var.admin ? "A" : "B")', [True]),
        ('(var.admin ? { a = "x" } : { a = "y" }).a', ["x", "y"]),
    ],
)
def test_the_options_of_one_condition_combine_branch_by_branch(
    tmp_path: Path, expression: str, expected: list[object]
) -> None:
    """Interpolation, an operator and a function combine the options a condition chooses
    branch by branch (never "a-b", 12 or 21), and each option says its branch."""
    from rolelint.parsers.tree import Choice
    from tests.parsers.test_tf_eval import evaluate, text

    value = evaluate(tmp_path, expression, ADMIN)
    chosen = value.options if isinstance(value, Choice) else (value,)
    assert [text(option) for option in chosen] == expected
    if isinstance(value, Choice):
        assert value.when is not None
        assert [sorted(truth for _, truth in branches) for branches in value.when] == [
            [True],
            [False],
        ]


def test_a_choice_rebuilt_from_options_keeps_their_branches() -> None:
    """What the paths above share: an option met twice is of the branches both have (so it
    pairs with more, never fewer, of the other elements' options); an option of opposite
    branches of one condition is left out; and should all be, every option is listed, of no
    branch, as before options said their branches."""
    from rolelint.parsers.tree import Choice, choice_of, conditional, joined_branches

    a, b = ("m", "A"), ("m", "B")
    shared = object()
    inner = conditional(b, ((True, "x"), (False, shared)))
    value = choice_of([(inner, frozenset({(a, True)})), (shared, frozenset({(a, False)}))])
    assert isinstance(value, Choice)
    assert value.options == ("x", shared)
    assert value.when == (frozenset({(a, True), (b, True)}), frozenset())
    assert joined_branches([frozenset({(a, True)}), frozenset({(a, False)})]) is None
    assert choice_of([(inner, frozenset({(b, False)}))]) is shared
    contradicted = choice_of([("x", frozenset({(a, True), (a, False)})), ("y", frozenset())])
    assert contradicted == "y"
    nothing = conditional(a, ((True, "x"), (False, "y")))
    assert isinstance(nothing, Choice)
    everything = choice_of([(nothing, frozenset({(a, True), (a, False)}))])
    assert isinstance(everything, Choice) and everything.options == ("x", "y")
    assert everything.when is None


def test_a_dynamic_statement_over_a_chosen_collection_pairs_its_elements(
    tmp_path: Path,
) -> None:
    """``for_each = var.admin ? {s = admin's} : {s = the reader's}``: the one statement
    generated reads each element of the value of the branch it is deployed in."""
    text = policy_document(
        """\
  dynamic "statement" {
    for_each = local.grants
    content {
      actions   = statement.value.actions
      resources = statement.value.resources
    }
  }
""",
        """
locals {
  grants = var.admin ? {
    s = { actions = ["s3:*"], resources = ["arn:aws:s3:::logs/*"] }
  } : {
    s = { actions = ["s3:GetObject"], resources = ["*"] }
  }
}
""",
    )
    assert found(lint_module(tmp_path, {"main.tf": text})) == {
        ("RL202", line_of(text, '["s3:*"]')),
        ("RL208", line_of(text, 'resources = ["*"]')),
    }


def chosen_statement(for_each: str, actions: str = "[statement.value]") -> str:
    """A dynamic statement over ``for_each`` whose Resource is the logs where admin holds and
    every resource where it does not."""
    return f"""\
  dynamic "statement" {{
    for_each = {for_each}
    content {{
      actions   = {actions}
      resources = var.admin ? ["arn:aws:s3:::logs/*"] : ["*"]
    }}
  }}
"""


@pytest.mark.parametrize(
    ("for_each", "actions"),
    [
        ('var.admin ? ["s3:PutObject"] : []', "[statement.value]"),
        ('var.admin ? { put = "s3:PutObject" } : {}', "[statement.value]"),
        ("var.admin ? [1] : []", '["s3:PutObject"]'),
    ],
    ids=["list", "map", "switch"],
)
def test_a_dynamic_statement_one_branch_generates_reads_that_branch(
    tmp_path: Path, for_each: str, actions: str
) -> None:
    """``for_each = var.admin ? ["s3:PutObject"] : []``: the statement is only where admin
    holds, and there its Resource is the logs.  The element, of one branch, lost it, and the
    Resource's "*" of the other branch was paired with s3:PutObject: RL203, which no
    deployment has.  The same for a map and for the switch whose content reads no element."""
    text = policy_document(chosen_statement(for_each, actions))
    assert found(lint_module(tmp_path, {"main.tf": text})) == set()


def test_a_dynamic_statement_of_the_other_branch_is_still_judged(tmp_path: Path) -> None:
    """Generated where admin does not hold, the same statement is s3:PutObject on every
    resource: RL203 at the "*"."""
    text = policy_document(chosen_statement('var.admin ? [] : ["s3:PutObject"]'))
    assert found(lint_module(tmp_path, {"main.tf": text})) == {
        ("RL203", line_of(text, "resources ="))
    }


def test_the_element_only_one_branch_has_reads_that_branch(tmp_path: Path) -> None:
    """``var.admin ? [GetObject, PutObject] : [GetObject]``: GetObject is in both branches, so
    its statement reads both Resources (RL208 on "*"); PutObject only where admin holds, on the
    logs (no RL203)."""
    for_each = 'var.admin ? ["s3:GetObject", "s3:PutObject"] : ["s3:GetObject"]'
    text = policy_document(chosen_statement(for_each))
    assert found(lint_module(tmp_path, {"main.tf": text})) == {
        ("RL208", line_of(text, "resources ="))
    }


# A policy of s3:PutObject on the logs where admin holds, on every resource where it does not.
PUT_POLICY = """jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "s3:PutObject",
      Resource = var.admin ? "arn:aws:s3:::logs/*" : "*" }]
  })"""


@pytest.mark.parametrize("branch", ['["logs"] : []', '[] : ["logs"]'], ids=["admin", "reader"])
def test_a_dynamic_inline_policy_one_branch_generates_reads_that_branch(
    tmp_path: Path, branch: str
) -> None:
    """A role's ``dynamic "inline_policy"`` over ``var.admin ? ["logs"] : []`` is only where
    admin holds: its policy is s3:PutObject on the logs (no RL203); over the other branch, on
    every resource (RL203)."""
    text = (
        ADMIN
        + f"""
resource "aws_iam_role" "worker" {{
  name = "worker"
  assume_role_policy = jsonencode({{ Version = "2012-10-17", Statement = [{{ Effect = "Allow",
    Principal = {{ Service = "lambda.amazonaws.com" }}, Action = "sts:AssumeRole" }}] }})
  dynamic "inline_policy" {{
    for_each = var.admin ? {branch}
    content {{
      name   = inline_policy.value
      policy = {PUT_POLICY}
    }}
  }}
}}
"""
    )
    expected = {("RL203", line_of(text, "Resource ="))} if branch.startswith("[]") else set()
    assert found(lint_module(tmp_path, {"main.tf": text})) == expected


@pytest.mark.parametrize("branch", ['["logs"] : []', '[] : ["logs"]'], ids=["admin", "reader"])
def test_a_resource_instance_one_branch_generates_reads_that_branch(
    tmp_path: Path, branch: str
) -> None:
    """``for_each = toset(var.admin ? ["logs"] : [])``: the instance is only where admin
    holds, and its policy there is s3:PutObject on the logs."""
    text = (
        ADMIN
        + f"""
resource "aws_iam_role_policy" "worker" {{
  for_each = toset(var.admin ? {branch})
  role     = aws_iam_role.worker.id
  policy   = {PUT_POLICY}
}}
"""
        + ROLE_TF
    )
    expected = {("RL203", line_of(text, "Resource ="))} if branch.startswith("[]") else set()
    assert found(lint_module(tmp_path, {"main.tf": text})) == expected


@pytest.mark.parametrize(
    ("count", "reported"),
    [("var.admin ? 1 : 0", False), ("var.admin ? 0 : 1", True), ("var.admin ? 2 : 1", True)],
    ids=["only-admin", "only-reader", "both"],
)
def test_a_resource_a_condition_counts_reads_the_branches_it_is_in(
    tmp_path: Path, count: str, reported: bool
) -> None:
    """``count = var.admin ? 1 : 0`` (how modules switch a resource on): the policy is only
    where admin holds, so its Resource is the logs there (no RL203).  Where the resource is
    in the reader's branch, or in both, its "*" is still judged."""
    text = (
        ADMIN
        + f"""
resource "aws_iam_role_policy" "worker" {{
  count  = {count}
  role   = aws_iam_role.worker.id
  policy = {PUT_POLICY}
}}
"""
        + ROLE_TF
    )
    expected = {("RL203", line_of(text, "Resource ="))} if reported else set()
    assert found(lint_module(tmp_path, {"main.tf": text})) == expected


MODULE_CALL = """\
variable "admin" {
  type = bool
}

module "worker" {
  source    = "./worker"
  actions   = var.admin ? ["s3:*"] : ["s3:GetObject"]
  resources = var.admin ? ["arn:aws:s3:::logs/*"] : null
}
"""

WORKER = (
    """\
variable "actions" {
  type = list(string)
}

variable "resources" {
  type     = list(string)
  nullable = false
  default  = ["*"]
}

resource "aws_iam_role_policy" "worker" {
  role = aws_iam_role.worker.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = var.actions
      Resource = var.resources
    }]
  })
}
"""
    + ROLE_TF
)


def found_in(root: Path, findings: list[Finding]) -> set[tuple[str, str, int]]:
    """Each finding's file (from ``root``), rule and line."""
    return {
        (Path(f.location.file).relative_to(root).as_posix(), f.rule_id, f.location.line)
        for f in findings
    }


def test_a_module_variable_whose_null_branch_is_its_default_keeps_its_branch(
    tmp_path: Path,
) -> None:
    """The caller passes null where admin does not hold: the module's ``nullable = false``
    variable is its default ``["*"]`` there, the reader's Resource; admin's is its logs."""
    (tmp_path / "main.tf").write_text(MODULE_CALL)
    (tmp_path / "worker").mkdir()
    (tmp_path / "worker" / "main.tf").write_text(WORKER)
    report = lint_paths([str(tmp_path)])
    assert report.errors == []
    assert found_in(tmp_path, report.findings) == {
        ("main.tf", "RL202", line_of(MODULE_CALL, '["s3:*"]')),
        ("worker/main.tf", "RL208", line_of(WORKER, 'default  = ["*"]')),
    }


ARGUMENT = (
    ADMIN
    + """
resource "aws_iam_role" "target" {
  name = "target"
  path = var.admin ? null : "/svc/"
  assume_role_policy = aws_iam_role.worker.assume_role_policy
}

resource "aws_iam_role_policy" "worker" {
  role = aws_iam_role.worker.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = var.admin ? "iam:GetRole" : "iam:PassRole"
      Resource = "arn:aws:iam::111122223333:role${aws_iam_role.target.path}*"
    }]
  })
}
"""
    + ROLE_TF
)


def test_an_argument_whose_null_branch_is_its_default_keeps_its_branch(tmp_path: Path) -> None:
    """``path = var.admin ? null : "/svc/"``: the provider's "/" where admin holds, where
    the role reads roles; the others pass only the roles under /svc/.  Passing every role
    (RL206) is admin's path with the others' action, which no deployment has; the null path
    with the passing branch is reported."""
    assert found(lint_module(tmp_path, {"main.tf": ARGUMENT})) == set()
    risky = ARGUMENT.replace('var.admin ? null : "/svc/"', 'var.admin ? "/svc/" : null')
    assert found(lint_module(tmp_path, {"main.tf": risky})) == {
        ("RL206", line_of(risky, "Action   ="))
    }
