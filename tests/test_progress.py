"""Progress of long scans: drawn on standard error when it is a terminal, never otherwise, and
never mixed into the report."""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import sys
from pathlib import Path

import pytest

from rolelint.progress import MIN_FILES, Lazy, Silent, for_stream
from tests.conftest import EXAMPLES, REPO, TEST_CACHE, run_rolelint


@pytest.fixture(scope="module")
def many_templates(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("many")
    template = (EXAMPLES / "ci-pipeline-roles.yaml").read_text()
    for number in range(MIN_FILES + 10):
        (folder / f"stack{number:03d}.yaml").write_text(template)
    return folder


def _run_with_terminal_stderr(*args: str) -> tuple[int, str, bytes]:
    """Run rolelint with standard error on a pseudo-terminal; stdout stays a pipe.

    Both are read as they come: a report larger than the pipe's buffer would otherwise block
    rolelint before it exits and closes the terminal.
    """
    primary, secondary = pty.openpty()
    try:
        process = subprocess.Popen(
            [sys.executable, "-m", "rolelint", *args],
            stdout=subprocess.PIPE,
            stderr=secondary,
            cwd=REPO,
            env={
                "PATH": "/usr/bin:/bin",
                "TERM": "xterm-256color",
                "COLUMNS": "100",
                "ROLELINT_CACHE_DIR": TEST_CACHE,
            },
        )
        os.close(secondary)
        assert process.stdout is not None
        received = {primary: b"", process.stdout.fileno(): b""}
        open_ends = set(received)
        while open_ends:
            ready, _, _ = select.select(list(open_ends), [], [], 60)
            if not ready:
                break
            for end in ready:
                try:
                    chunk = os.read(end, 65536)
                except OSError:  # EIO: the last writer of the terminal closed its end
                    chunk = b""
                if chunk:
                    received[end] += chunk
                else:
                    open_ends.discard(end)
        process.wait(timeout=120)
        return process.returncode, received[process.stdout.fileno()].decode(), received[primary]
    finally:
        os.close(primary)


def test_a_terminal_sees_the_progress_and_the_report_stays_clean(many_templates: Path) -> None:
    code, stdout, terminal = _run_with_terminal_stderr(
        "check", "--no-cache", str(many_templates), "-f", "json"
    )
    assert code == 1
    assert b"reading files" in terminal
    assert b"checking" in terminal
    document = json.loads(stdout)  # nothing of the bar in the report
    assert document["summary"]["files_analyzed"] == MIN_FILES + 10


def test_no_terminal_no_progress(many_templates: Path) -> None:
    result = run_rolelint("roles", str(many_templates), "-f", "json")
    assert result.returncode == 0
    assert result.stderr == ""
    assert len(json.loads(result.stdout)["roles"]) == 2 * (MIN_FILES + 10)  # two roles each


def test_a_small_scan_draws_nothing_even_on_a_terminal() -> None:
    code, _, terminal = _run_with_terminal_stderr("check", str(EXAMPLES / "app-server.yaml"))
    assert code == 1
    assert b"reading files" not in terminal


def test_the_choice_of_progress() -> None:
    class Pipe:
        def isatty(self) -> bool:
            return False

    class Terminal:
        def isatty(self) -> bool:
            return True

    assert isinstance(for_stream(Pipe()), Silent)  # type: ignore[arg-type]
    assert isinstance(for_stream(Terminal()), Lazy)  # type: ignore[arg-type]
