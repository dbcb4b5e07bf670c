"""The fuzz harness (tests/fuzz/fuzz_parsers.py) works: CI runs it for a few seconds in its
plain-Python mode, and proves on a planted bug that it finds, minimizes and saves a failure."""

from __future__ import annotations

import random
import re
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO
from tests.fuzz.fuzz_parsers import Crashes, fuzz_random
from tests.fuzz.mutations import seeds_of

HARNESS = REPO / "tests" / "fuzz" / "fuzz_parsers.py"


def test_the_harness_fuzzes_for_a_bounded_time(tmp_path: Path) -> None:
    arguments = ["--mode", "random", "--seconds", "5", "--seed", "0"]
    result = subprocess.run(
        [sys.executable, str(HARNESS), *arguments, "--crashes", str(tmp_path / "crashes")],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=300,
    )
    assert "Traceback" not in result.stderr, result.stderr
    summary = re.search(r"^(\d+) inputs in 5 s, (\d+) distinct failure", result.stdout, re.M)
    assert summary, result.stdout + result.stderr
    assert int(summary.group(1)) > 20
    assert summary.group(2) == "0", result.stdout  # see the saved input and traceback
    assert result.returncode == 0


def test_a_planted_bug_is_found_minimized_and_saved(tmp_path: Path) -> None:
    def planted(path: str, text: str) -> None:
        if "{" in text and "}" not in text:
            raise RuntimeError("planted: a brace is never closed")

    crashes = Crashes(tmp_path, planted)
    tried = fuzz_random(seeds_of("json", corpus=False), 1.0, random.Random(0), crashes)
    assert tried > 0
    assert crashes.found  # once per kind of file it was read as (JSON, sometimes YAML)
    for signature, stored in crashes.found.items():
        assert signature.startswith("RuntimeError at test_fuzz_harness.py:")
        assert stored.read_text(encoding="utf-8") == "{"  # minimized to what the bug needs
        report = stored.with_name(stored.name + ".txt").read_text(encoding="utf-8")
        assert "planted: a brace is never closed" in report and "Traceback" in report
