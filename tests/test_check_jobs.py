"""Checks spread over processes (rolelint.check_jobs): the same findings as in one process,
the graph's checks together, and small inventories left in one process."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from rolelint import check_jobs
from rolelint.api import lint_paths, read_inventory
from rolelint.checks import load_checks
from rolelint.checks.base import READS_GRAPH, REGISTRY, CheckFunction, Hit
from rolelint.engine import run_checks
from rolelint.graph import build
from rolelint.graph.model import AssumeGraph
from rolelint.managed_policies import resolve_managed_policies
from rolelint.model import Inventory
from rolelint.source import SourceRef, Span

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "fixtures"
needs_fork = pytest.mark.skipif(
    "fork" not in multiprocessing.get_all_start_methods(), reason="needs fork"
)


@pytest.fixture(scope="module")
def fixture_inventory() -> Inventory:
    """Every rule's fixtures and the chain fixtures: each check has something to find."""
    inventory, _ = read_inventory([str(FIXTURES / "rules"), str(FIXTURES / "chains")])
    return inventory


@pytest.fixture
def any_size_in_parallel(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(check_jobs, "MIN_PARALLEL_ROLES", 1)


@needs_fork
def test_two_jobs_find_exactly_what_one_job_finds(
    fixture_inventory: Inventory, any_size_in_parallel: None
) -> None:
    one = run_checks(fixture_inventory, jobs=1)
    two = run_checks(fixture_inventory, jobs=2)
    assert len(one) > 100
    assert two == one
    # And on the same holders, which findings carry without comparing them (Finding.holders).
    assert any(finding.holders for finding in one)
    assert [finding.holders for finding in two] == [finding.holders for finding in one]


@needs_fork
def test_the_command_reports_the_same_with_checks_on_two_processes(
    any_size_in_parallel: None,
) -> None:
    paths = [str(FIXTURES / "rules"), str(FIXTURES / "chains"), str(FIXTURES / "examples")]
    one = lint_paths(paths, jobs=1)
    two = lint_paths(paths, jobs=2)
    assert one.findings and two.findings == one.findings
    assert two.errors == one.errors


def _pid_check(rule_id: str) -> CheckFunction:
    def check(inventory: Inventory) -> Iterator[Hit]:
        yield Hit(rule_id, str(os.getpid()), SourceRef("f", Span.point(1, 1)), "r", rule_id)

    return check


@needs_fork
def test_the_graph_checks_run_together_in_the_calling_process(
    monkeypatch: pytest.MonkeyPatch, any_size_in_parallel: None
) -> None:
    load_checks()
    rule_ids = [f"RLX{index:02d}" for index in range(12)]
    graph_rules = rule_ids[2:5]
    for rule_id in rule_ids:
        monkeypatch.setitem(REGISTRY, rule_id, _pid_check(rule_id))
    monkeypatch.setattr(check_jobs, "READS_GRAPH", set(graph_rules))
    inventory, _ = read_inventory([str(FIXTURES / "examples")])
    hits = check_jobs.hits_by_rule(inventory, rule_ids, 2)
    assert list(hits) == [r for r in rule_ids if r not in graph_rules] + graph_rules
    pid = {rule_id: int(found[0].message) for rule_id, found in hits.items()}
    assert {pid[rule_id] for rule_id in graph_rules} == {os.getpid()}
    assert len(set(pid.values())) == 2  # the other checks were shared with a worker


def test_a_small_inventory_is_checked_in_this_process(monkeypatch: pytest.MonkeyPatch) -> None:
    load_checks()
    monkeypatch.setitem(REGISTRY, "RLX99", _pid_check("RLX99"))
    inventory, _ = read_inventory([str(FIXTURES / "examples")])
    assert len(inventory.roles) < check_jobs.MIN_PARALLEL_ROLES
    [hit] = check_jobs.hits_by_rule(inventory, ["RLX99"], 8)["RLX99"]
    assert hit.message == str(os.getpid())


def test_every_check_that_builds_the_graph_says_so(
    fixture_inventory: Inventory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An unmarked graph reader would build the graph again in a worker: slower, not wrong."""
    checks = load_checks()
    inventory = resolve_managed_policies(fixture_inventory)
    real_build = build.build_graph
    builders: set[str] = set()
    current: list[str] = []

    def recording_build(subject: Inventory) -> AssumeGraph:
        builders.add(current[0])
        return real_build(subject)

    monkeypatch.setattr(build, "build_graph", recording_build)
    for rule_id, check in checks.items():
        build.graph_of.cache_clear()
        current[:] = [rule_id]
        list(check(inventory))
    build.graph_of.cache_clear()
    assert builders == READS_GRAPH


def test_derived_data_is_worked_out_once_per_inventory(
    fixture_inventory: Inventory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The Allow statements with their holders, and which of them are administrator access,
    are shared by the permission checks; another inventory gets its own."""
    from rolelint.checks import admin_access
    from rolelint.checks import grants as shared

    inventory = resolve_managed_policies(fixture_inventory)
    asked: list[int] = []
    real = admin_access._find_admin_grants

    def counting(grant: shared.Grant) -> list[admin_access.Admin]:
        asked.append(id(grant.statement))
        return real(grant)

    monkeypatch.setattr(admin_access, "_find_admin_grants", counting)
    shared._grants.cache_clear()
    checks = load_checks()
    expected = {rule: list(checks[rule](inventory)) for rule in ("RL201", "RL202", "RL206")}
    grants = shared._grants(inventory)
    assert shared._grants(inventory) is grants
    assert len(asked) == len(set(asked)) <= len(grants)  # each grant judged at most once
    assert any(grant.admin for grant in grants)  # the fixtures hold administrator access
    # A new inventory (the same files read again) is worked out afresh, with the same result.
    folders = [str(FIXTURES / "rules"), str(FIXTURES / "chains")]
    again = resolve_managed_policies(read_inventory(folders)[0])
    assert shared._grants(again) is not grants
    assert [h.key for h in checks["RL201"](again)] == [h.key for h in expected["RL201"]]
    shared._grants.cache_clear()
