"""The collector pause around parsing and checking, and what the command line does on resume."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest

from rolelint import process_owner
from rolelint.gc_pause import gc_paused
from tests.conftest import run_python

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def unfrozen() -> Iterator[None]:
    """Leave the collector as the test found it: nothing frozen, default resume."""
    gc.unfreeze()
    yield
    gc.unfreeze()


def test_gc_paused_restores_the_collector_even_on_error() -> None:
    assert gc.isenabled()
    with pytest.raises(RuntimeError), gc_paused():
        assert not gc.isenabled()
        raise RuntimeError("boom")
    assert gc.isenabled()


def test_gc_paused_nested_leaves_a_disabled_collector_disabled() -> None:
    gc.disable()
    try:
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_by_default_nothing_is_frozen_on_resume(unfrozen: None) -> None:
    with gc_paused():
        built = [[index] for index in range(1000)]
    assert gc.get_freeze_count() == 0
    assert gc.is_tracked(built)


def test_a_short_lived_process_freezes_what_was_built_while_paused(
    unfrozen: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(process_owner, "_claimed", False)
    process_owner.claim()
    with gc_paused():
        built = [[index] for index in range(1000)]
    assert gc.isenabled()
    assert gc.get_freeze_count() >= len(built)
    # A collection no longer walks them: the youngest generation holds none of them.
    assert not any(obj is built for obj in gc.get_objects(generation=0))


def test_the_command_line_entry_point_is_the_short_lived_one() -> None:
    # The console script and ``python -m rolelint`` both go through ``run``.
    probe = (
        "import gc, sys, runpy; sys.argv = ['rolelint', '--version']\n"
        "try:\n    runpy.run_module('rolelint', run_name='__main__')\n"
        "except SystemExit:\n    pass\n"
        "from rolelint import process_owner; print(process_owner.claimed())"
    )
    result = run_python(probe)
    assert result.stdout.strip().splitlines()[-1] == "True", result.stderr


def test_parsing_leaves_no_reference_cycles_behind() -> None:
    """The command line never lets the collector walk the parse's objects, so an object kept
    alive only by a reference cycle would stay for the whole run: a template's whole loaded
    document did (a fifth more memory on 2,000 templates).  Every parser must free what it
    built by reference counting alone."""
    from rolelint.api import read_inventory

    paths = [str(REPO / "fixtures"), str(REPO / "fixtures" / "bad-inputs")]
    read_inventory(paths)  # imports and first-use caches are not what this test is about
    gc.collect()
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        inventory, report = read_inventory(paths)
        assert inventory.roles and report.errors  # good and broken files were both read
        gc.set_debug(gc.DEBUG_SAVEALL)
        gc.collect()
        left = sorted(
            {
                f"{type(found).__module__}.{type(found).__qualname__}"
                for found in gc.garbage
                if type(found).__module__.startswith("rolelint")
            }
        )
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        if was_enabled:
            gc.enable()
    assert left == []
