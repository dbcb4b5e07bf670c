"""The engine's own promises: selection by id/name/class, and one finding per place in a module."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rolelint import engine
from rolelint.api import lint_paths, read_inventory
from rolelint.catalog import load_catalog
from rolelint.checks import base as checks_base
from rolelint.checks import load_checks
from rolelint.checks.base import Hit
from rolelint.engine import Selection, check_resolved, merge_module_instances, run_checks
from rolelint.findings import Finding, HolderKey, Severity
from rolelint.graph import build
from rolelint.model import Inventory
from rolelint.source import SourceRef, Span
from tests.conftest import dense_roles, traced_memory


def finding(resource: str, message: str, line: int = 7) -> Finding:
    return Finding(
        rule_id="RL203",
        rule="write-access-on-all-resources",
        rule_class="wildcard-resource",
        severity=Severity.MEDIUM,
        message=message,
        location=SourceRef("modules/role/main.tf", Span(line, 5, line, 8)),
        resource=resource,
        role=None,
        fingerprint=resource,
    )


def test_instances_of_one_module_are_reported_once() -> None:
    found = [
        finding(f"module.{name}.aws_iam_policy.this", f"Policy module.{name}.aws_iam_policy.this x")
        for name in ("b", "a", "c", "d", "e")
    ]
    found.append(finding("aws_iam_policy.this", "Policy aws_iam_policy.this x"))
    [merged] = merge_module_instances(found)
    assert merged.resource == "aws_iam_policy.this"  # the module on its own, the stable one
    assert merged.message == (
        "Policy aws_iam_policy.this x (also as module.a.aws_iam_policy.this, "
        "module.b.aws_iam_policy.this, module.c.aws_iam_policy.this and 2 more)"
    )


def test_different_lines_or_messages_are_kept_apart() -> None:
    found = [
        finding("module.a.aws_iam_policy.this", "Policy module.a.aws_iam_policy.this allows s3:*"),
        finding("module.b.aws_iam_policy.this", "Policy module.b.aws_iam_policy.this allows ec2:*"),
        finding(
            "module.c.aws_iam_policy.this", "Policy module.c.aws_iam_policy.this allows s3:*", 9
        ),
    ]
    assert merge_module_instances(found) == sorted(found, key=Finding.sort_key)


def test_findings_about_different_roles_are_never_merged() -> None:
    """A policy shared by ten roles that is too large for each was one finding naming the
    first role, 'also as' the same policy nine times."""
    from dataclasses import replace

    shared = finding("Shared", "AWS::IAM::Policy Shared is too large with the role's others")
    found = [replace(shared, role=f"R{n}", fingerprint=f"f{n}") for n in range(10)]
    assert merge_module_instances(found) == sorted(found, key=Finding.sort_key)


def test_the_same_words_about_the_same_role_are_one_finding_without_an_also() -> None:
    """Hops to two roles of one name in two files read the same: one finding, kept as it is
    (no 'also as' naming its own resource)."""
    from dataclasses import replace

    first = replace(finding("CiRole", "CiRole may assume Admin"), role="CiRole")
    second = replace(first, fingerprint="another")
    assert merge_module_instances([first, second]) == [first]


def test_module_called_twice_reports_each_line_once(tmp_path: Path) -> None:
    """One finding for the line both instances share.  The root named alone (outside any
    project) reads the module it calls on its own too, as a scan of its folder does: the
    finding is the module's own, naming both instances (it was module.one's, with another
    fingerprint than the folder scan's)."""
    module = tmp_path / "modules" / "role"
    module.mkdir(parents=True)
    (module / "main.tf").write_text(
        'variable "name" {}\n'
        'resource "aws_iam_role_policy" "this" {\n'
        "  role = var.name\n"
        '  policy = jsonencode({ Version = "2012-10-17", Statement = [\n'
        '    { Effect = "Allow", Action = "s3:*", Resource = "arn:aws:s3:::x/*" }] })\n'
        "}\n"
    )
    (tmp_path / "main.tf").write_text(
        'module "one" {\n  source = "./modules/role"\n  name = "one"\n}\n'
        'module "two" {\n  source = "./modules/role"\n  name = "two"\n}\n'
    )
    report = lint_paths([str(tmp_path / "main.tf")])
    [single] = report.findings
    assert single.location.line == 5 and single.resource == "aws_iam_role_policy.this"
    assert single.message.endswith(
        "(also as module.one.aws_iam_role_policy.this, module.two.aws_iam_role_policy.this)"
    )
    [scanned] = lint_paths([str(tmp_path)]).findings
    assert scanned.fingerprint == single.fingerprint


def test_selection_by_id_name_and_class_keeps_the_users_spelling() -> None:
    catalog = load_catalog()
    selection = Selection(select=["rl101", "wildcard-action"], ignore=["Nope"])
    assert {rule.id for rule in catalog.values() if selection.enabled(rule)} == {"RL101", "RL202"}
    assert selection.unknown(catalog.values()) == ["Nope"]


def test_a_roleless_finding_of_a_module_read_alone_yields_to_its_instances_naming_the_role() -> (
    None
):
    """Read on its own, a module whose caller passes the role's name cannot tell the role; the
    caller's instance can: one finding at the line, the one naming the role."""
    from dataclasses import replace

    alone = finding("aws_instance.i", "aws_instance aws_instance.i exposes 'p'")
    instance = replace(
        finding("module.app.aws_instance.i", "aws_instance module.app.aws_instance.i exposes 'p'"),
        role="aws_iam_role.app",
    )
    elsewhere = finding("aws_instance.j", "aws_instance aws_instance.j exposes 'p'", line=9)
    assert merge_module_instances([alone, instance, elsewhere]) == [instance, elsewhere]
    assert merge_module_instances([alone, elsewhere]) == [alone, elsewhere]


def test_a_finding_on_an_instance_of_a_module_two_roots_call_names_their_roots(
    tmp_path: Path,
) -> None:
    """prod and staging call one module as module.ci: the finding named
    module.ci.aws_iam_role.this at mod/main.tf:13, the same address, file and line in both,
    and said neither which root's instance it was on nor, when both were, that it was on two.
    The message now ends with the roots (Finding.roots); the fingerprint, in baselines, stays."""
    from tests import shared_ids

    shared_ids.module_of_two_roots(tmp_path)
    prod, staging = str(tmp_path / "prod"), str(tmp_path / "staging")
    [alone] = lint_paths([prod]).findings  # its module is no other root's: nothing to tell
    assert (alone.roots, alone.message.endswith("full administrator access")) == ((), True)
    [found] = lint_paths([prod, staging]).findings  # only prod's instance attaches it
    assert (found.rule_id, found.role) == ("RL201", shared_ids.ADDRESS)
    assert (found.roots, found.message) == ((prod,), f"{alone.message} (root {prod})")
    assert found.fingerprint == alone.fingerprint

    both = tmp_path / "both"
    shared_ids.module_of_two_roots(both, staging_admin=True)
    roots = (str(both / "prod"), str(both / "staging"))
    [found] = lint_paths(list(roots)).findings  # one finding for both instances
    assert found.roots == roots
    assert found.message.endswith(f"full administrator access (roots {roots[0]}, {roots[1]})")
    assert found.fingerprint == lint_paths([roots[0]]).findings[0].fingerprint


def test_the_instances_of_one_root_are_told_apart_by_address_not_root(tmp_path: Path) -> None:
    """module.a and module.b of one root: their addresses differ ("also as module.b..."), and
    no root is named."""
    from tests import shared_ids

    app = shared_ids.module_called_twice(tmp_path)
    [found] = lint_paths([str(app)]).findings
    assert found.roots == ()
    assert found.message.endswith(f"(also as {shared_ids.TWICE[1]})")


def test_a_finding_on_a_policy_text_two_roots_read_names_the_roles_of_both(
    tmp_path: Path,
) -> None:
    """A finding on a policy's text hashes no role, so the one policy file two roots read for
    two roles is one finding: it named the first root's role alone, and a suppression naming
    the other's did not match it."""
    (tmp_path / "pol.json").write_text(
        '{"Statement": [{"Effect": "Allow", "Action": "s3:GetObject",'
        ' "Resource": "arn:aws:s3:::b/*"}]}\n'
    )
    for root in ("a", "b"):
        (tmp_path / root).mkdir()
        (tmp_path / root / "main.tf").write_text(
            f'resource "aws_iam_role" "r_{root}" {{\n'
            f'  name = "role-{root}"\n'
            '  assume_role_policy = jsonencode({Version = "2012-10-17", Statement = [{'
            'Effect = "Allow", Principal = {Service = "ec2.amazonaws.com"}, '
            'Action = "sts:AssumeRole"}]})\n'
            "}\n"
            'resource "aws_iam_role_policy" "p" {\n'
            f"  role   = aws_iam_role.r_{root}.id\n"
            '  policy = file("${path.module}/../pol.json")\n'
            "}\n"
        )
    report = lint_paths([str(tmp_path / "a"), str(tmp_path / "b")])
    [missing_version] = [f for f in report.findings if f.rule_id == "RL602"]
    assert missing_version.roles == ("aws_iam_role.r_a", "aws_iam_role.r_b")
    assert missing_version.role == "aws_iam_role.r_a, aws_iam_role.r_b"


def test_checking_keeps_nothing_derived_from_the_inventory(tmp_path: Path) -> None:
    """run_checks resolves the inventory's managed policies into one of its own, which no
    caller sees again: what the checks derived from it (the assume-role graph, 170 MB for 800
    roles each assuming hundreds of the others) was kept while the findings were made and
    written.  check_resolved, which the audit commands call, keeps it for them."""
    inventory, _ = read_inventory([str(dense_roles(tmp_path, 30))])
    found = run_checks(inventory, Selection(["RL401"]))
    assert found
    assert build.graph_of._last == []
    assert all(derived._last == [] for derived in checks_base.once_per_inventory.made)
    again = check_resolved(inventory, Selection(["RL401"]))
    assert again == found
    assert build.graph_of._last and build.graph_of._last[0][0] is inventory
    build.graph_of.cache_clear()


class _Key(str):
    """A hit's key that counts itself out when it goes: only the hit holds it."""

    gone: list[str] = []

    def __del__(self) -> None:
        _Key.gone.append(str(self))


def test_each_hit_is_let_go_once_it_is_a_finding(monkeypatch: pytest.MonkeyPatch) -> None:
    """The hits of every check were kept until the last was a finding: 300,000 RL401 hits
    (each with the key its fingerprint is made from) for 800 roles each assuming hundreds of
    the others, besides their findings.  Each is let go once it is one."""
    load_checks()
    count = 100

    def many_hits(inventory: Inventory) -> Iterator[Hit]:
        for line in range(1, count + 1):
            yield Hit("RL401", "m", SourceRef("t.yaml", Span.point(line, 1)), "R", _Key(line))

    gone_when_made: list[int] = []
    real = engine.to_finding

    def making(hit: Hit, *args: object) -> Finding:
        gone_when_made.append(len(_Key.gone))
        return real(hit, *args)  # type: ignore[arg-type]

    _Key.gone.clear()
    monkeypatch.setitem(checks_base.REGISTRY, "RL401", many_hits)
    monkeypatch.setattr(engine, "to_finding", making)
    found = check_resolved(Inventory(), Selection(["RL401"]))
    assert len(found) == count
    # When the n-th finding is made, the hits before the one before it are gone.
    assert all(gone >= made - 1 for made, gone in enumerate(gone_when_made))
    _Key.gone.clear()


_texts = st.sampled_from(["a", "b"])


@st.composite
def _findings(draw: st.DrawFn) -> list[Finding]:
    """Findings that say the same at the same place of the same resource and role, or not."""
    made = []
    for n in range(draw(st.integers(0, 12))):
        role = draw(st.sampled_from([None, "", "R1", "R2"]))
        made.append(
            replace(
                finding(draw(_texts), draw(_texts), line=draw(st.integers(1, 2))),
                role=role,
                roles=(),
                fingerprint=f"f{n}",
                holders=frozenset({HolderKey("t.yaml", n, 1, f"H{n}", None)}),
                earlier_fingerprints=tuple(draw(st.lists(_texts, max_size=2))),
            )
        )
    return made


@settings(max_examples=300, deadline=None)
@given(_findings())
def test_findings_naming_no_module_merge_as_the_instances_of_modules_do(
    found: list[Finding],
) -> None:
    """Findings none of which names a module are merged among neighbours once sorted (no key
    kept for each): the same findings, holders, roles and earlier fingerprints as the grouping
    of module instances gives them."""
    fast = merge_module_instances(found)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(engine, "_names_a_module", lambda finding: True)
        grouped = merge_module_instances(found)
    assert fast == grouped
    assert [f.holders for f in fast] == [f.holders for f in grouped]
    assert [f.earlier_fingerprints for f in fast] == [f.earlier_fingerprints for f in grouped]


def test_findings_naming_no_module_are_merged_without_a_key_each() -> None:
    """Merging the instances of modules kept a key of seven fields and a list for each
    finding: for 300,000 RL401 findings, 90 MB at the end of the run.  Findings that name no
    module are merged among neighbours, once sorted: all they hold is the sort's key of
    each, for the while of the sort."""
    found = [
        replace(finding(f"R{n}", f"Role R{n} can assume role T", line=n % 50 + 1), role=f"R{n}")
        for n in range(20_000)
    ]
    with traced_memory() as memory:
        merged = merge_module_instances(found)
    assert len(merged) == len(found)
    assert memory.peak / len(found) < 160  # 326 bytes before
