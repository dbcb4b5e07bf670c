"""Shared test helpers: where things are, and how to run rolelint the way users do."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "fixtures"
EXAMPLES = FIXTURES / "examples"
CORPUS = REPO.parent / "shared" / "corpus"


# The commands the tests run keep their parse cache here, never in the user's own.
TEST_CACHE = tempfile.mkdtemp(prefix="rolelint-test-cache-")


def run_python(
    code: str, *, env: dict[str, str] | None = None, timeout: float = 120, cwd: Path = REPO
) -> subprocess.CompletedProcess[str]:
    """``code`` in a fresh interpreter (from the repository root unless ``cwd`` says): what a
    module imports, or what a run leaves behind, without this test process's imports."""
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=timeout,
    )


def run_rolelint(
    *args: str, stdin: str | None = None, cwd: Path = REPO, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the real command in a subprocess: real exit codes, real stderr."""
    return subprocess.run(
        [sys.executable, "-m", "rolelint", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=cwd,
        env={
            "PATH": "/usr/bin:/bin",
            "NO_COLOR": "1",
            "ROLELINT_CACHE_DIR": TEST_CACHE,
            **(env or {}),
        },
        timeout=300,
    )


@pytest.fixture
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip("the shared real-world corpus is not beside this checkout")
    return CORPUS


class Calls:
    """How many times a replaced function was called (see :func:`count_calls`)."""

    count = 0


def count_calls(monkeypatch: pytest.MonkeyPatch, owner: object, name: str) -> Calls:
    """Replace ``owner.name`` with a wrapper that counts its calls.  Tests that hold an
    algorithm to its size count its steps this way rather than timing it."""
    calls = Calls()
    plain = getattr(owner, name)

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.count += 1
        return plain(*args, **kwargs)

    monkeypatch.setattr(owner, name, counted)
    return calls
