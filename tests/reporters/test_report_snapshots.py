"""Snapshots: a fixed report rendered as JSON and text must match the reviewed files byte for byte.

After an intended output change, regenerate with ``ROLELINT_UPDATE_SNAPSHOTS=1 pytest
tests/reporters`` and review the diff of ``tests/reporters/snapshots/`` before committing.
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

import pytest

from rolelint.reporters import RenderOptions, render
from tests.reporters.samples import sample_report, sample_rules

SNAPSHOTS = Path(__file__).resolve().parent / "snapshots"


@pytest.mark.parametrize(
    ("format_name", "snapshot"), [("json", "sample.json"), ("text", "sample.txt")]
)
def test_snapshot(format_name: str, snapshot: str) -> None:
    actual = render(format_name, sample_report(), sample_rules(), RenderOptions(version="9.9.9"))
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
