"""Output that cannot be written: a full disk, a closed stream, a reader that went away.

A CI step that writes its report into a full disk must fail with a line saying so and exit
code 2, not an "internal error, please report it"; a status message that cannot be written to
standard error must not change the exit code (1 there would read as "findings").
"""

from __future__ import annotations

import json
import os
import subprocess
import threading
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

import pytest

from tests.conftest import FIXTURES, run_rolelint

EXAMPLE = str(FIXTURES / "examples" / "app-server.yaml")  # has findings: exit 1 when written
FULL = "/dev/full"  # every write fails with ENOSPC
NO_SPACE = "cannot write to standard output: No space left on device"

needs_dev_full = pytest.mark.skipif(not os.path.exists(FULL), reason="no /dev/full here")

# Commands that write to standard output, one of each kind of writer.
WRITERS = [
    pytest.param(["check", EXAMPLE], id="check-text"),
    pytest.param(["check", EXAMPLE, "-f", "sarif"], id="check-sarif"),
    pytest.param(["roles", EXAMPLE], id="roles"),
    pytest.param(["show", "AppRole", EXAMPLE], id="show"),
    pytest.param(["graph", EXAMPLE], id="graph"),
    pytest.param(["report", EXAMPLE, "-o", "-"], id="report"),
    pytest.param(["rules"], id="rules"),
    pytest.param(["rules", "-f", "markdown"], id="rules-markdown"),
    pytest.param(["explain", "RL101"], id="explain"),
    pytest.param(["--version"], id="version"),
]


def run(
    args: list[str],
    stdout: IO[Any] | int | None = subprocess.PIPE,
    stderr: IO[Any] | int | None = subprocess.PIPE,
    before: Callable[[], None] | None = None,
) -> subprocess.CompletedProcess[str]:
    return run_rolelint(*args, stdout=stdout, stderr=stderr, before=before)


def _close_stdout() -> None:
    os.close(1)


@needs_dev_full
@pytest.mark.parametrize("args", WRITERS)
def test_a_full_disk_under_standard_output_is_an_error_line(args: list[str]) -> None:
    with open(FULL, "w") as full:
        result = run(args, stdout=full)
    assert (result.returncode, result.stderr) == (2, f"error: {NO_SPACE}\n")


@pytest.mark.parametrize("args", WRITERS)
def test_a_closed_standard_output_is_an_error_line(args: list[str]) -> None:
    result = run(args, stdout=None, before=_close_stdout)
    expected = "error: cannot write to standard output: it is closed\n"
    assert (result.returncode, result.stderr) == (2, expected)


@pytest.mark.parametrize("args", WRITERS)
def test_a_reader_gone_ends_the_run_quietly_with_2(args: list[str]) -> None:
    reading, writing = os.pipe()
    os.close(reading)  # every write gets EPIPE
    try:
        result = run(args, stdout=writing)
    finally:
        os.close(writing)
    assert (result.returncode, result.stderr) == (2, "")


@pytest.mark.parametrize("unbuffered", ["1", ""])
def test_a_reader_gone_in_the_middle_of_the_report_ends_the_run_with_2(
    tmp_path: Path, unbuffered: str
) -> None:
    """``rolelint check . -f json | head -c 1``: the reader goes away while the report, larger
    than the pipe holds, is being written.  The write returns a short count, not an error, and
    with an unbuffered standard output (``PYTHONUNBUFFERED=1``, common in CI images) Python took
    it as done: the run ended with 0 (here, nothing at or above critical) and a report cut
    short."""
    statements = [
        {"Effect": "Allow", "Action": "s3:*", "Resource": f"arn:aws:s3:::bucket{n}/*"}
        for n in range(400)
    ]
    policy = tmp_path / "policy.json"
    policy.write_text(json.dumps({"Version": "2012-10-17", "Statement": statements}, indent=1))
    args = ["check", str(policy), "-f", "json", "--fail-on", "critical", "--no-cache"]
    whole = run(args)
    assert whole.returncode == 0 and len(whole.stdout) > 2 * 65536, whole.stderr
    reading, writing = os.pipe()
    first: list[bytes] = []

    def head() -> None:  # reads the first byte, as `head -c 1` does, and goes away
        first.append(os.read(reading, 1))
        os.close(reading)

    reader = threading.Thread(target=head)
    reader.start()
    try:
        result = run_rolelint(*args, stdout=writing, env={"PYTHONUNBUFFERED": unbuffered})
    finally:
        os.close(writing)
        reader.join(timeout=60)
    assert first == [b"{"]
    assert (result.returncode, result.stderr) == (2, "")


@needs_dev_full
@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["check", EXAMPLE, "--format", "json"], 1),  # findings, reported on standard output
        (["check", "no-such-file.yaml"], 2),  # the error line is lost, its exit code is not
        (["check", "--no-such-option"], 2),
        (["explain", "RL999"], 2),
    ],
)
def test_standard_error_that_cannot_be_written_keeps_the_exit_code(
    args: list[str], code: int
) -> None:
    for stderr in (FULL, None):
        with open(stderr or os.devnull, "w") as target:
            result = run(
                args,
                stdout=subprocess.DEVNULL,
                stderr=target,
                before=None if stderr else (lambda: os.close(2)),
            )
        assert result.returncode == code, (stderr, args)


@needs_dev_full
def test_a_report_file_is_written_when_its_status_line_cannot_be(tmp_path: Path) -> None:
    page = tmp_path / "audit.html"
    with open(FULL, "w") as full:
        result = run(["report", EXAMPLE, "-o", str(page)], stdout=subprocess.DEVNULL, stderr=full)
    assert result.returncode == 0 and page.read_text().startswith("<!doctype html>")


def test_a_report_file_that_cannot_be_written_costs_no_other_report(tmp_path: Path) -> None:
    """docs/ci.md: every report is written even when the run exits 2.  The SARIF file cannot
    be written; the JSON file after it and the text on standard output still are."""
    missing = tmp_path / "no-such-folder" / "a.sarif"
    written = tmp_path / "a.json"
    result = run(
        ["check", EXAMPLE, "-f", f"sarif:{missing}", "-f", "text", "-f", f"json:{written}"]
    )
    assert result.returncode == 2
    assert result.stderr == f"error: cannot write {missing}: No such file or directory\n"
    assert "RL" in result.stdout and result.stdout.rstrip().endswith("0 errors")
    assert json.loads(written.read_text())["findings"]
    assert not missing.exists()
