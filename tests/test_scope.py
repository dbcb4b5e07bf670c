"""Which runs are partial for cross-file rules, and which baseline entries a run can judge."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from rolelint.scope import Absence, RunScope, judged_rules, names_files_alone, walked_folders


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "infra").mkdir()
    (tmp_path / "infra" / "a.yaml").write_text("x: 1\n")
    (tmp_path / "b.yaml").write_text("x: 1\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize(
    ("paths", "alone"),
    [
        (["."], False),
        (["infra"], False),
        (["infra/a.yaml"], True),  # the pre-commit hook
        (["-"], True),
        (["infra", "infra/a.yaml"], False),
        (["infra/a.yaml", "infra"], False),
        (["infra", "b.yaml"], True),
        (["missing.yaml"], True),
    ],
)
def test_names_files_alone(tree: Path, paths: list[str], alone: bool) -> None:
    assert names_files_alone(paths) is alone


def test_chaining_rules_are_judged_in_whole_runs_only() -> None:
    assert judged_rules(["RL101", "RL401", "RL405"], partial=False) == {"RL101", "RL401", "RL405"}
    assert judged_rules(["RL101", "RL401", "RL405"], partial=True) == {"RL101"}


def test_an_entry_is_covered_when_its_file_was_analyzed_or_is_gone(tree: Path) -> None:
    scope = RunScope(frozenset({"b.yaml"}), frozenset({"RL101"}), walked_folders(["infra"]))
    assert scope.covers("RL101", "b.yaml") and scope.covers("rl101", "b.yaml")
    assert not scope.covers("RL102", "b.yaml")  # did not run
    assert not scope.covers("RL101", "infra/a.yaml")  # there, but not analyzed (excluded, say)
    assert scope.covers("RL101", "infra/deleted.yaml")
    assert not scope.covers("RL101", "elsewhere/deleted.yaml")  # not walked: moved out of reach?


def test_an_entry_of_a_file_whose_search_stopped_is_not_judged() -> None:
    """A named file whose search for the files it is judged with stopped at its budget (and the
    modules it brought) was judged without what lies beyond: its entries are not called gone."""
    scope = RunScope(
        frozenset({"a.yaml", "b.yaml", "tf/main.tf"}),
        frozenset({"RL201"}),
        partial=True,
        stopped=frozenset({"a.yaml", "tf/main.tf"}),
    )
    assert scope.absence("RL201", "a.yaml", "OpsAdmin") is Absence.UNSEEN
    assert scope.absence("RL201", "tf/main.tf", "aws_iam_policy.x") is Absence.UNSEEN
    assert scope.absence("RL201", "b.yaml", "OpsAdmin") is Absence.GONE


def test_a_policy_read_in_another_role_is_one_judgement_for_the_baseline_and_covers(
    tree: Path,
) -> None:
    """A run of some files that read a policy on its own did not look for the finding a module
    reading it made: the entry is read elsewhere (whatever its rule), never gone, and covers
    says the same as the baseline's count, from the one test."""
    alone = RunScope(
        frozenset({"p.json"}),
        frozenset({"RL201"}),
        partial=True,
        policies_alone=frozenset({"p.json"}),
    )
    assert alone.absence("RL201", "p.json", "aws_iam_role.r") is Absence.ELSEWHERE
    assert alone.absence("RL999", "p.json", "aws_iam_role.r") is Absence.ELSEWHERE
    assert not alone.covers("RL201", "p.json", "aws_iam_role.r")
    assert alone.absence("RL201", "p.json", "p.json") is Absence.GONE
    assert alone.absence("RL999", "p.json", "p.json") is Absence.UNSEEN
    read = RunScope(
        frozenset({"p.json"}),
        frozenset({"RL201"}),
        partial=True,
        module_policies=frozenset({str(tree / "p.json")}),
    )
    assert read.absence("RL201", "p.json", "p.json") is Absence.ELSEWHERE
    assert read.absence("RL201", "p.json", "aws_iam_role.r") is Absence.GONE
    assert replace(alone, partial=False).covers("RL201", "p.json", "aws_iam_role.r")


def test_an_entry_with_an_empty_resource_tells_no_role(tree: Path) -> None:
    """The baseline counted an entry whose resource is empty neither read elsewhere nor gone,
    while covers tested the role it names (none): as an entry without a resource, it is judged
    by its rule and file."""
    alone = RunScope(
        frozenset({"p.json"}),
        frozenset({"RL201"}),
        partial=True,
        policies_alone=frozenset({"p.json"}),
    )
    assert alone.covers("RL201", "p.json", "") == alone.covers("RL201", "p.json") is True


def test_inputs_are_known_unless_a_module_was_read_without_its_caller(tree: Path) -> None:
    """A module evaluated through a call is judged in a whole run only (another caller may be
    left out of a partial one); a folder read alone with a variable nothing sets, never."""
    called = frozenset({str(tree / "infra")})
    whole = RunScope(called_modules=called, unset_input_modules=called)
    assert whole.inputs_known("infra/main.tf") and whole.inputs_known(str(tree / "infra/x.tf"))
    assert not replace(whole, partial=True).inputs_known("infra/main.tf")
    alone = RunScope(unset_input_modules=called)
    assert not alone.inputs_known("infra/main.tf")
    assert alone.inputs_known("main.tf") and alone.inputs_known("infra/a.yaml")
