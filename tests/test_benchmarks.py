"""The benchmark scripts still run: nothing else calls them, so a change to what they call
(``benchmarks/inventory.py`` stood in for ``run_checks`` with its old parameters and crashed with
a TypeError) went unnoticed.  Each one is run as CONTRIBUTING.md says, on a tiny input or with
``--help`` when even a tiny run would be slow; no time is asserted."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.conftest import REPO

BENCHMARKS = REPO / "benchmarks"

# Each script, with arguments that make its run cheap, and a piece of what it prints.
RUNS = {
    "inventory.py": (["fixtures/examples"], "unresolved"),
    "catalog_cost.py": (["fixtures/examples"], "services loaded:"),
    "parse_floor.py": (["fixtures/examples"], "."),
    "graph_scale.py": (["200"], "RL401 s"),
    "chain_depth.py": (["line:20", "hub:5:10"], "RL405 s"),
    "graph_svg.py": (["--repeat", "1", "20:40"], "nodes drawn"),
    "run.py": (["--help"], "--repeat"),
    "compare.py": (["--help"], "--skip-large"),
    "hostile.py": (["--help"], "--only"),
    "paired_ifs.py": (["--repeat", "1"], "median user s"),
}


def _run(script: str, *arguments: str) -> subprocess.CompletedProcess[str]:
    """The script as a contributor runs it, from the repository root, importing this
    checkout's rolelint."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [sys.executable, str(BENCHMARKS / script), *arguments],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=env,
        timeout=300,
    )


def test_every_benchmark_script_is_run_here() -> None:
    assert sorted(path.name for path in BENCHMARKS.glob("*.py")) == sorted(RUNS)


@pytest.mark.parametrize("script", sorted(RUNS))
def test_the_script_runs(script: str) -> None:
    arguments, printed = RUNS[script]
    result = _run(script, *arguments)
    assert result.returncode == 0, result.stderr
    assert printed in result.stdout


def test_chain_depth_times_rl403_past_wide_hubs() -> None:
    """The shapes RL403 once walked quadratically: each role before the hub reaches the
    administrator role four hops away (fan), and a circle through the hub reaches nothing
    beyond three (star)."""
    result = _run("chain_depth.py", "--rule", "RL403", "fan:5:10", "star:5")
    assert result.returncode == 0, result.stderr
    rows = [line.split() for line in result.stdout.splitlines()[1:]]
    assert [(row[0], row[1], row[-1]) for row in rows] == [
        ("fan:5:10", "18", "5"),
        ("star:5", "7", "0"),
    ]


def test_inventory_counts_what_rolelint_understood() -> None:
    result = _run("inventory.py", "fixtures/examples")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("files analyzed ")
    assert lines[-1].startswith("findings ")
