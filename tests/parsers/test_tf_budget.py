"""Terraform values that would grow without bound are refused: unknown, with a notice.

A few lines of locals can describe a value of any size (each doubling the one before); the
evaluator must stay bounded in time and memory, report where it stopped, and go on with the
rest of the module and the scan.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from rolelint.api import lint_paths, read_text
from rolelint.model import Value
from rolelint.parsers import tf_budget
from rolelint.parsers.terraform import parse_terraform_directory
from rolelint.parsers.tf_budget import (
    CHARS_PER_UNIT,
    MAX_MODULES,
    MAX_SIZE,
    MAX_WORK,
    TOO_LARGE,
    TOO_MANY_MODULES,
    TOO_MUCH,
    Budget,
)
from rolelint.parsers.tf_eval import TOO_DEEP, is_unknown
from rolelint.parsers.tf_module import Located, TerraformModule, read_module
from rolelint.parsers.tree import MAX_TEXT, PMap, PSeq
from rolelint.source import SourceRef
from tests.parsers.test_tf_eval import evaluate, text

AT = SourceRef("main.tf")
OPEN_TRUST = """
resource "aws_iam_role" "open" {
  name = "open"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { AWS = "*" }, Action = "sts:AssumeRole" }]
  })
}
"""


def doubling_locals(count: int, first: str, twice: str) -> str:
    """``l0 = first``, then each ``l<k>`` the one before it twice, ``twice`` saying how."""
    lines = [f"  l0 = {first}"]
    lines += [f"  l{k} = " + twice.format(f"local.l{k - 1}") for k in range(1, count + 1)]
    return "locals {\n" + "\n".join(lines) + "\n}\n"


# l<k> of doubling_locals as a list is a full binary tree: 2**(k+1) - 1 values.
FIRST_REFUSED = next(k for k in range(64) if 2 ** (k + 1) - 1 > MAX_SIZE)


def line_of(path: Path, needle: str) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if needle in line)


# --- sizes ----------------------------------------------------------------------------------------


def sequence(*items: object) -> PSeq:
    result = PSeq()
    for item in items:
        result.add(item, None)
    return result


def test_a_shared_value_counts_at_every_place_it_is_used() -> None:
    budget = Budget()
    leaf = sequence(*range(99))  # 100 values
    twice = sequence(leaf, leaf)
    assert budget.size_of(leaf) == 100
    assert budget.size_of(twice) == 201
    assert budget.size_of(sequence(twice, twice, twice)) == 604


def test_strings_and_keys_count_by_length() -> None:
    budget = Budget()
    mapping = PMap()
    mapping.set("k" * (3 * CHARS_PER_UNIT), Value("v" * (2 * CHARS_PER_UNIT), AT), None, None)
    assert budget.size_of(mapping) == 1 + 4 + 3
    assert budget.too_large(Value("x" * (MAX_TEXT + 1), AT))
    assert not budget.too_large(Value("x" * MAX_TEXT, AT))


def test_counting_stops_past_the_limit() -> None:
    """The answer for a value of 2**40 values costs no more than the limit."""
    value: object = "x"
    for _ in range(40):
        value = sequence(value, value)
    budget = Budget()
    assert MAX_SIZE < budget.size_of(value) < 2 * MAX_SIZE
    assert budget.too_large(value)


def test_nesting_past_every_loader_limit_is_too_large() -> None:
    value: object = "x"
    for _ in range(300):
        value = sequence(value)
    assert Budget().too_large(value)


# --- evaluation -----------------------------------------------------------------------------------


def test_a_list_doubled_thirty_times_is_refused_where_it_crosses_the_limit(tmp_path: Path) -> None:
    extra = doubling_locals(30, '"*"', "[{0}, {0}]")
    value = evaluate(tmp_path, "local.l30", extra)
    # The last list under the limit passes; the next is refused, and what uses it is a list of
    # unknowns.
    assert not is_unknown(evaluate(tmp_path, f"local.l{FIRST_REFUSED - 1}", extra))
    refused = evaluate(tmp_path, f"local.l{FIRST_REFUSED}", extra)
    assert is_unknown(refused) and refused.unresolved_reason == TOO_LARGE
    assert isinstance(value, PSeq)


# The first string of doubling_locals over the limit: l<k> holds 2**k characters.
FIRST_TOO_LONG = next(k for k in range(64) if 2**k > MAX_TEXT)


@pytest.mark.parametrize(
    "twice",
    ['"${{{0}}}${{{0}}}"', 'join("", [{0}, {0}])', 'format("%s%s", {0}, {0})'],
)
def test_a_string_doubled_forty_times_is_refused(tmp_path: Path, twice: str) -> None:
    extra = doubling_locals(40, '"x"', twice)
    last = evaluate(tmp_path, f"local.l{FIRST_TOO_LONG - 1}", extra)
    assert len(text(last)) == 2 ** (FIRST_TOO_LONG - 1)
    for name in (f"l{FIRST_TOO_LONG}", "l40"):
        refused = evaluate(tmp_path, f"local.{name}", extra)
        assert is_unknown(refused)
    assert evaluate(tmp_path, f"local.l{FIRST_TOO_LONG}", extra).unresolved_reason == TOO_LARGE


@pytest.mark.parametrize(
    ("expression", "known"),
    [
        ('replace(local.k, "", local.k)', False),  # 1,001 places times 1,000 characters
        ('replace(local.k, "x", "yy")', True),
        ('split("", local.m)', False),
        ('split(",", local.k)', True),
    ],
)
def test_functions_measure_what_they_would_build_first(
    tmp_path: Path, expression: str, known: bool
) -> None:
    extra = f'locals {{\n  k = "{"x" * 1000}"\n  m = "{"x" * MAX_SIZE}"\n}}\n'
    value = evaluate(tmp_path, expression, extra)
    assert is_unknown(value) is not known
    if not known:
        assert value.unresolved_reason == TOO_LARGE


def test_a_for_expression_stops_building_once_too_large(tmp_path: Path) -> None:
    """It stops as soon as the list passes the limit, not after all 10,000 items."""
    row = ", ".join(['"y"'] * 99)  # a list of 100 values
    items = ", ".join(str(i) for i in range(10_000))  # the most a for expression walks
    (tmp_path / "main.tf").write_text(
        f"locals {{\n  row = [{row}]\n  probe = [for i in [{items}] : local.row]\n}}\n"
    )
    module = TerraformModule(read_module(str(tmp_path), read_text))
    value = module.local("probe", AT)
    assert is_unknown(value) and value.unresolved_reason == TOO_LARGE
    assert module.evaluator.budget.spent < 1.1 * MAX_SIZE  # all items would be 1,000,000


def test_a_module_that_builds_too_much_stops_evaluating(tmp_path: Path) -> None:
    """Each copy is under the size limit; together they exceed the module's work."""
    row = ", ".join(['"y"'] * 99)  # a list of 100 values
    thousand = ", ".join(["1"] * 1000)
    copies = MAX_WORK // 100_000 + 2
    lines = [f"  row = [{row}]", f"  thousand = [{thousand}]"]
    lines += [f"  copy{n} = [for i in local.thousand : local.row]" for n in range(copies)]
    (tmp_path / "main.tf").write_text("locals {\n" + "\n".join(lines) + "\n}\n")
    module = TerraformModule(read_module(str(tmp_path), read_text))

    values = [module.local(f"copy{n}", AT) for n in range(copies)]

    assert not is_unknown(values[0]) and len(values[0]) == 1000
    assert is_unknown(values[-1]) and values[-1].unresolved_reason == TOO_MUCH
    assert [n.message for n in module.notices].count(TOO_MUCH) == 1  # said once, not per copy


# --- a whole scan ---------------------------------------------------------------------------------


def test_a_bomb_is_one_notice_and_the_rest_is_analyzed(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb"
    bomb.mkdir()
    (bomb / "locals.tf").write_text(doubling_locals(30, '"*"', "[{0}, {0}]"))
    (bomb / "main.tf").write_text(
        """
resource "aws_iam_role" "laughs" {
  name = "laughs"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { AWS = local.l30 }, Action = "sts:AssumeRole" }]
  })
}
"""
        + OPEN_TRUST
    )
    other = tmp_path / "other"
    other.mkdir()
    (other / "main.tf").write_text(OPEN_TRUST)

    report = lint_paths([str(tmp_path)])

    assert report.errors == []
    [notice] = [n for n in report.notices if TOO_LARGE in n.message]
    assert (notice.file, notice.line) == (
        str(bomb / "locals.tf"),
        line_of(bomb / "locals.tf", f"l{FIRST_REFUSED} ="),
    )
    open_roles = {(f.file, f.role) for f in report.findings if f.rule_id == "RL101"}
    # The open role beside the bomb and the one in the other folder are still reported; the
    # bomb's role is not judged on the '*' it could not build.
    assert open_roles == {
        (str(bomb / "main.tf"), "aws_iam_role.open"),
        (str(other / "main.tf"), "aws_iam_role.open"),
    }


def test_a_for_expression_stops_building_keys_once_too_large(tmp_path: Path) -> None:
    """Keys count as they are built: the loop stops near the limit, not after every key."""
    items = ", ".join(str(i) for i in range(1000))
    big = "x" * 50_000  # each key: 501
    key = 'format("%s%s", i, local.big)'  # format() is charged to the budget as it runs
    (tmp_path / "main.tf").write_text(
        f'locals {{\n  big = "{big}"\n  probe = {{for i in [{items}] : {key} => 1}}\n}}\n'
    )
    module = TerraformModule(read_module(str(tmp_path), read_text))
    value = module.local("probe", AT)
    assert is_unknown(value) and value.unresolved_reason == TOO_LARGE
    assert module.evaluator.budget.spent < 1.1 * MAX_SIZE  # all 1,000 keys would be 501,000


def test_small_keys_pass(tmp_path: Path) -> None:
    items = ", ".join(str(i) for i in range(1000))
    small = evaluate(tmp_path, f'{{for i in [{items}] : "${{i}}" => 1}}')
    assert isinstance(small, PMap) and len(small) == 1000


def test_module_calls_past_the_limit_are_not_followed(tmp_path: Path) -> None:
    """Four levels of modules, each calling the next ten times: 11,110 calls, 10,000 roles."""
    levels = 4
    folder = tmp_path
    for level in range(levels + 1):
        calls = "".join(f'module "c{n}" {{\n  source = "./m{level + 1}"\n}}\n' for n in range(10))
        role = 'resource "aws_iam_role" "r" {\n  name = "r"\n  assume_role_policy = "{}"\n}\n'
        (folder / "main.tf").write_text(calls if level < levels else role)
        folder = folder / f"m{level + 1}"
        folder.mkdir()

    outcome = parse_terraform_directory(str(tmp_path), read_text)

    [notice] = [n for n in outcome.notices if n.message == TOO_MANY_MODULES]
    assert notice.line is not None
    # At the module block where the limit was reached.
    assert Path(notice.file).read_text().splitlines()[notice.line - 1].startswith('module "c')
    assert 0 < len(outcome.inventory.roles) <= MAX_MODULES


def test_a_number_squared_thirty_times_is_not_computed(tmp_path: Path) -> None:
    """Each product doubles the digits: the thirtieth would have 11 * 2**30 of them."""
    extra = doubling_locals(30, "99999999999", "{0} * {0}")
    assert evaluate(tmp_path, "local.l4", extra) == 99999999999**16  # 593 bits
    value = evaluate(tmp_path, "local.l5", extra)  # would be 1,186
    assert is_unknown(value) and value.unresolved_reason == "number too large to evaluate"
    assert is_unknown(evaluate(tmp_path, "local.l30", extra))
    assert evaluate(tmp_path, "local.l3 + local.l3 - 1", extra) == 2 * 99999999999**8 - 1


def test_iterations_a_filter_drops_still_count(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Nothing is built, but 2,000 times 2,000 iterations are work all the same."""
    monkeypatch.setattr(tf_budget, "MAX_WORK", 100_000)  # the same, faster
    items = ", ".join(str(i) for i in range(2000))
    (tmp_path / "main.tf").write_text(
        f"locals {{\n  l = [{items}]\n"
        "  probe = [for a in local.l : [for b in local.l : b if b < 0]]\n}\n"
    )
    module = TerraformModule(read_module(str(tmp_path), read_text))
    value = module.local("probe", AT)
    assert is_unknown(value) and value.unresolved_reason == TOO_MUCH
    assert module.evaluator.budget.spent <= tf_budget.MAX_WORK + 10  # not 4,000,000


# --- where references use values ----------------------------------------------------------------


def test_values_used_many_times_are_marked_until_the_allowance_is_spent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each reference marks what keeps its own place with where it is used (for suppression
    comments), which copies it: a list of 990 strings used 3,000 times took 16 s and 500 MB.
    A reference marks at most MAX_MARKED values, a root module MAX_MARKS, attempts given up
    included; what is not marked is the same value."""
    monkeypatch.setattr(tf_budget, "MAX_MARKS", 5_000)
    items = ", ".join(f'"s3:Get{n}"' for n in range(990))
    uses = ", ".join(["local.big"] * 40)
    (tmp_path / "main.tf").write_text(
        f"locals {{\n  big = [{items}]\n  huge = [{uses}]\n  probe = [local.huge, local.big]\n}}\n"
    )
    module = TerraformModule(read_module(str(tmp_path), read_text))
    value = module.local("probe", AT)
    huge, big = value
    lists = [*huge, big]
    assert [len(listed) for listed in lists] == [990] * 41
    marked = [item for listed in lists for item in listed if item.ref.used_at is not None]
    assert 4 * 990 <= len(marked) <= 5_000
    assert module.evaluator.budget.marks_left >= 0
    # ``local.huge`` (40,000 values) is over what one reference marks: not even tried.
    assert huge[0] is module.local("huge", AT)[0]


def test_template_variables_marked_where_a_policy_text_is_used_spend_the_same_allowance(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A policy text (``templatefile()``, a heredoc) marks its strings and what its template
    variables bring with where it is used, copying those values: 30 policies rendering one list
    of 200 strings marked 6,000 copies past a root module's MAX_MARKS of 500.  Those marks
    are paid for from the same allowance."""
    monkeypatch.setattr(tf_budget, "MAX_MARKS", 500)
    actions = ", ".join(f'"s3:Get{n}"' for n in range(200))
    (tmp_path / "admin.tftpl").write_text(
        '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow",'
        ' "Action": ${jsonencode(actions)}, "Resource": "*"}]}\n'
    )
    policies = "".join(
        f'resource "aws_iam_role_policy" "p{n}" {{\n  role   = aws_iam_role.r.name\n'
        '  policy = templatefile("${path.module}/admin.tftpl", { actions = local.actions })\n}\n'
        for n in range(30)
    )
    holder = 'resource "aws_iam_role" "r" {\n  name = "r"\n  assume_role_policy = "{}"\n}\n'
    (tmp_path / "main.tf").write_text(f"locals {{\n  actions = [{actions}]\n}}\n{holder}{policies}")
    outcome = parse_terraform_directory(str(tmp_path), read_text)

    [role] = outcome.inventory.roles
    assert len(role.policies) == 30
    listed = [
        action
        for policy in role.policies
        for statement in policy.statements
        for action in statement.actions
    ]
    assert len(listed) == 30 * 200
    marked = [action for action in listed if action.ref.used_at is not None]
    assert 200 <= len(marked) <= 500  # the first policies' copies; not 6,000
    assert outcome.inventory.unmarked_uses  # the rest remembered, for the comments there


# --- policy text parsed where it is used ------------------------------------------------------


def test_a_policy_text_used_many_times_is_parsed_until_the_budget_is_spent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One long heredoc used by every resource is parsed at each: a 1 MB one used by 1,000
    resources took minutes.  Each parse is paid for; past the budget the rest are unknown."""
    monkeypatch.setattr(tf_budget, "MAX_WORK", 30_000)  # the same, faster
    statements = ",\n".join(
        f'    {{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b{n}/*"}}'
        for n in range(130)
    )
    heredoc = f'{{"Version": "2012-10-17", "Statement": [\n{statements}\n]}}'
    units = 1 + len(heredoc) // tf_budget.CHARS_PER_PARSED_UNIT
    resources = "".join(
        f'resource "aws_iam_role_policy" "p{n}" {{\n  role   = aws_iam_role.r.id\n'
        "  policy = local.policy\n}\n"
        for n in range(60)
    )
    (tmp_path / "main.tf").write_text(
        f"locals {{\n  policy = <<EOT\n{heredoc}\nEOT\n}}\n"
        'resource "aws_iam_role" "r" {\n  name = "r"\n  assume_role_policy = "{}"\n}\n' + resources
    )

    outcome = parse_terraform_directory(str(tmp_path), read_text)

    [role] = outcome.inventory.roles
    assert 30_000 // units - 1 <= len(role.policies) <= 30_000 // units + 1 < 60
    # Said once, in the first resource not analyzed (at its first attribute evaluated after).
    [notice] = [n for n in outcome.notices if n.message == TOO_MUCH]
    first_refused = line_of(tmp_path / "main.tf", f'"p{len(role.policies)}"')
    assert first_refused < (notice.line or 0) < first_refused + 4


def test_a_file_over_the_read_limit_is_not_read_cut_short(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its first 4,000,000 characters were read as if they were all of it: a JSON policy then
    failed to parse, reported as not JSON, after the slowest parse rolelint has."""
    from rolelint.parsers import tf_module

    monkeypatch.setattr(tf_module, "MAX_READ_FILE", 1_000)
    monkeypatch.setattr(tf_module, "TOO_LONG_TO_READ", "the file is over 1,000 characters")
    policy = '{"Version": "2012-10-17", "Statement": [' + ", ".join(['{"Effect": "Allow"}'] * 60)
    (tmp_path / "long.json").write_text(policy + "]}")
    (tmp_path / "short.json").write_text('{"Statement": []}')
    (tmp_path / "main.tf").write_text(
        'resource "aws_iam_role" "r" {\n  name = "r"\n'
        '  assume_role_policy = file("${path.module}/long.json")\n}\n'
        'resource "aws_iam_role" "s" {\n  name = "s"\n'
        '  assume_role_policy = file("${path.module}/short.json")\n}\n'
    )

    outcome = parse_terraform_directory(str(tmp_path), read_text)

    [notice] = outcome.notices
    assert notice.line == 3
    assert notice.message.endswith(
        "long.json'): the file is over 1,000 characters, so what it holds is not analyzed"
    )
    trusts = {}
    for role in outcome.inventory.roles:
        assert role.name is not None
        trusts[role.name.text] = role.trust_policy
    assert trusts["r"] is None and trusts["s"] is not None


@pytest.mark.parametrize(("links", "refused"), [(30, False), (150, True)])
def test_references_too_deep_to_follow_are_a_notice_not_silence(
    tmp_path: Path, links: int, refused: bool
) -> None:
    """A value reached through more references than the evaluator follows is unknown, and a
    notice says where (it used to be unknown without a word); a chain of 30 is followed."""
    lines = ['  l0 = "*"'] + [f"  l{k} = local.l{k - 1}" for k in range(1, links + 1)]
    (tmp_path / "locals.tf").write_text("locals {\n" + "\n".join(lines) + "\n}\n")
    (tmp_path / "main.tf").write_text(
        f"""
resource "aws_iam_role" "deep" {{
  name = "deep"
  assume_role_policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [{{
      Effect = "Allow", Principal = {{ AWS = local.l{links} }}, Action = "sts:AssumeRole"
    }}]
  }})
}}
"""
        + OPEN_TRUST
    )
    report = lint_paths([str(tmp_path)])
    assert report.errors == []
    open_roles = {f.role for f in report.findings if f.rule_id == "RL101"}
    deep = [n for n in report.notices if TOO_DEEP in n.message]
    if refused:
        assert open_roles == {"aws_iam_role.open"}  # not judged on a '*' it did not reach
        assert deep and all(n.file == str(tmp_path / "locals.tf") for n in deep)
    else:
        assert open_roles == {"aws_iam_role.deep", "aws_iam_role.open"}
        assert deep == []


def _trusting(role: str, principal: str) -> str:
    return f"""
resource "aws_iam_role" "{role}" {{
  name = "{role}"
  assume_role_policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [{{
      Effect = "Allow", Principal = {{ AWS = {principal} }}, Action = "sts:AssumeRole"
    }}]
  }})
}}
"""


@pytest.mark.parametrize("first", [True, False])
def test_a_value_cut_short_by_depth_does_not_stand_for_a_shallower_use(
    tmp_path: Path, first: bool
) -> None:
    """local.l60 is 60 references from "*": within the limit, so role "near" is judged on it
    whichever role comes first.  Reached first through local.l150, it was cut short on the way,
    and that unknown was kept for every later use: "near" lost its finding.  ("far", past the
    limit, is judged when the values it leads through were whole already.)"""
    lines = ['  l0 = "*"'] + [f"  l{k} = local.l{k - 1}" for k in range(1, 151)]
    (tmp_path / "locals.tf").write_text("locals {\n" + "\n".join(lines) + "\n}\n")
    far, near = _trusting("far", "local.l150"), _trusting("near", "local.l60")
    (tmp_path / "main.tf").write_text(far + near if first else near + far)
    report = lint_paths([str(tmp_path)])
    judged = {f.role for f in report.findings if f.rule_id == "RL101"}
    cut = [n.file for n in report.notices if TOO_DEEP in n.message]
    if first:
        assert judged == {"aws_iam_role.near"} and cut == [str(tmp_path / "locals.tf")]
    else:
        assert judged == {"aws_iam_role.near", "aws_iam_role.far"} and cut == []


def test_a_name_set_from_another_resource_is_evaluated_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Forty roles each named after the next: each name is evaluated once, not once for every
    role whose name leads through it (820 evaluations before)."""
    blocks = [
        f'resource "aws_iam_role" "r{k}" {{\n  name = aws_iam_role.r{k + 1}.name\n'
        '  assume_role_policy = "{}"\n}\n'
        for k in range(40)
    ]
    blocks.append(
        'resource "aws_iam_role" "r40" {\n  name = "last"\n  assume_role_policy = "{}"\n}\n'
    )
    (tmp_path / "main.tf").write_text("".join(blocks))
    asked: Counter[str] = Counter()
    plain = TerraformModule.evaluate_attribute

    def counting(module: TerraformModule, located: Located, name: str, *rest: Any) -> object:
        if name == "name":
            asked[located.block.labels[1]] += 1
        return plain(module, located, name, *rest)

    monkeypatch.setattr(TerraformModule, "evaluate_attribute", counting)
    outcome = parse_terraform_directory(str(tmp_path), read_text)
    assert {role.name.text for role in outcome.inventory.roles if role.name} == {"last"}
    assert set(asked) == {f"r{k}" for k in range(41)}
    assert max(asked.values()) <= 2  # once for the role's name, once as the name of an ARN
