"""Snapshots: a fixed report rendered in each format must match the reviewed files byte for byte.

JSON and text render ``sample_report()``; SARIF and the CI formats render ``ci_sample_report()``,
the same report with suppressed findings and a notice, which they show in their own ways.

After an intended output change, regenerate with ``ROLELINT_UPDATE_SNAPSHOTS=1 pytest
tests/reporters`` and review the diff of ``tests/reporters/snapshots/`` before committing.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from rolelint.findings import Report
from rolelint.reporters import RenderOptions, render
from tests.reporters.samples import ci_sample_report, sample_report, sample_rules

SNAPSHOTS = Path(__file__).resolve().parent / "snapshots"


CASES = [
    ("json", sample_report, "sample.json"),
    ("text", sample_report, "sample.txt"),
    ("sarif", ci_sample_report, "ci.sarif.json"),
    ("github", ci_sample_report, "ci.github.txt"),
    ("junit", ci_sample_report, "ci.junit.xml"),
    ("gitlab", ci_sample_report, "ci.gitlab.json"),
    ("markdown", ci_sample_report, "ci.markdown.md"),
]


@pytest.mark.parametrize(("format_name", "make_report", "snapshot"), CASES)
def test_snapshot(format_name: str, make_report: Callable[[], Report], snapshot: str) -> None:
    actual = render(format_name, make_report(), sample_rules(), RenderOptions(version="9.9.9"))
    path = SNAPSHOTS / snapshot
    if os.environ.get("ROLELINT_UPDATE_SNAPSHOTS"):
        path.write_text(actual, encoding="utf-8", newline="\n")
    expected = path.read_text(encoding="utf-8")
    if actual != expected:
        diff = "".join(
            difflib.unified_diff(
                expected.splitlines(keepends=True),
                actual.splitlines(keepends=True),
                fromfile=f"snapshots/{snapshot}",
                tofile="rendered",
            )
        )
        pytest.fail(f"{format_name} output differs from snapshots/{snapshot}:\n{diff}")


def test_every_format_has_a_snapshot() -> None:
    from rolelint.reporters import FORMATS

    assert sorted(name for name, _, _ in CASES) == sorted(FORMATS)
