"""Shared test helpers: where things are, and how to run rolelint the way users do."""

from __future__ import annotations

import atexit
import json
import os
import shutil
import subprocess
import sys
import tempfile
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import pytest

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "fixtures"
EXAMPLES = FIXTURES / "examples"
# The shared real-world corpus sits beside the checkout (``../shared/corpus``); a clone made
# elsewhere (a CI workspace, a temporary folder) names it with ROLELINT_CORPUS, or the tests
# that read it are skipped, and say why.
CORPUS = Path(os.environ.get("ROLELINT_CORPUS") or REPO.parent / "shared" / "corpus")


# The commands the tests run keep their parse cache here, never in the user's own.  It goes when
# the test process ends: every run made a new one, and a day of runs left hundreds of megabytes
# of them in the temporary folder.
TEST_CACHE = tempfile.mkdtemp(prefix="rolelint-test-cache-")
atexit.register(shutil.rmtree, TEST_CACHE, ignore_errors=True)


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
    *args: str,
    stdin: str | None = None,
    cwd: Path = REPO,
    env: dict[str, str] | None = None,
    stdout: IO[Any] | int | None = subprocess.PIPE,
    stderr: IO[Any] | int | None = subprocess.PIPE,
    before: Callable[[], None] | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run the real command in a subprocess: real exit codes, real stderr.  Its output is
    captured unless ``stdout``/``stderr`` say where it goes; ``before`` runs in the child
    before rolelint starts (to close a standard stream, say).

    The command imports rolelint from this checkout (first on PYTHONPATH, before any the test
    gives): an interpreter whose rolelint is installed from another checkout (a git worktree
    sharing the main one's virtual environment) would otherwise test that one's code."""
    given = (env or {}).get("PYTHONPATH")
    path = os.pathsep.join([str(REPO), given] if given else [str(REPO)])
    return subprocess.run(
        [sys.executable, "-m", "rolelint", *args],
        input=stdin,
        stdout=stdout,
        stderr=stderr,
        text=True,
        cwd=cwd,
        env={
            "PATH": "/usr/bin:/bin",
            "NO_COLOR": "1",
            "ROLELINT_CACHE_DIR": TEST_CACHE,
            **(env or {}),
            "PYTHONPATH": path,
        },
        preexec_fn=before,
        timeout=300,
    )


@pytest.fixture
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip(f"the shared real-world corpus is not at {CORPUS} (set ROLELINT_CORPUS)")
    return CORPUS


_LETTERS = "aeioustrnlcd"


def dense_roles(folder: Path, count: int) -> Path:
    """A template of ``count`` roles trusting their account, each allowed sts:AssumeRole on one
    of a dozen role-name patterns (``arn:aws:iam::*:role/*a*e*``) that names about half of the
    others: ``benchmarks/hostile.py``'s dense-graph case, smaller (crowds are formed for '*'
    only, so each hop is an edge and an RL401 finding of its own)."""
    root = {"Fn::Sub": "arn:aws:iam::${AWS::AccountId}:root"}
    trust = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"AWS": root}, "Action": "sts:AssumeRole"}],
    }
    roles = {}
    for n in range(count):
        name = "".join(_LETTERS[(n * 7 + k * 5) % len(_LETTERS)] for k in range(10))
        pattern = f"arn:aws:iam::*:role/*{_LETTERS[n % 3]}*{_LETTERS[(n // 3) % 4]}*"
        statement = {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": pattern}
        policy = {"Version": "2012-10-17", "Statement": [statement]}
        roles[f"Role{n}"] = {
            "Type": "AWS::IAM::Role",
            "Properties": {
                "AssumeRolePolicyDocument": trust,
                "RoleName": f"role-{n}-{name}",
                "Policies": [{"PolicyName": "p", "PolicyDocument": policy}],
            },
        }
    template = folder / "dense.json"
    template.write_text(json.dumps({"Resources": roles}))
    return template


class Memory:
    """What :func:`traced_memory` measured: bytes still held when the block ended, and the
    most held at once during it, both counted from where it began."""

    kept = 0
    peak = 0


@contextmanager
def traced_memory() -> Iterator[Memory]:
    """Measures the memory Python allocates in the block (``tracemalloc``).  Tests that hold
    what a step keeps to its size measure it this way: bytes allocated do not depend on the
    machine's load, as time does."""
    memory = Memory()
    tracemalloc.start()
    try:
        start = tracemalloc.get_traced_memory()[0]
        yield memory
        kept, peak = tracemalloc.get_traced_memory()
        memory.kept, memory.peak = kept - start, peak - start
    finally:
        tracemalloc.stop()


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


def nest_folders(root: Path, name: str, depth: int) -> Path:
    """``root/name/name/...``, ``depth`` folders deep, made one level at a time from the folder
    above (``os.makedirs`` recurses once per level, and a path past the system's limit cannot be
    named whole); returns the path of the deepest."""
    above = os.open(root, os.O_RDONLY)
    try:
        for _ in range(depth):
            os.mkdir(name, dir_fd=above)
            below = os.open(name, os.O_RDONLY, dir_fd=above)
            os.close(above)
            above = below
    finally:
        os.close(above)
    return root.joinpath(*[name] * depth)


def remove_deep_tree(root: Path) -> None:
    """Removes ``root`` and everything in it without recursing: ``shutil.rmtree``, and so
    pytest's clean-up of old temporary folders, fails on a tree deeper than the recursion
    limit."""
    opened = [os.open(root, os.O_RDONLY)]
    names: list[str] = []
    while opened:
        here = opened[-1]
        with os.scandir(here) as listing:
            entries = [(e.name, e.is_dir(follow_symlinks=False)) for e in listing]
        folders = [name for name, is_folder in entries if is_folder]
        for name, is_folder in entries:
            if not is_folder:
                os.unlink(name, dir_fd=here)
        if folders:
            opened.append(os.open(folders[0], os.O_RDONLY, dir_fd=here))
            names.append(folders[0])
        else:
            os.close(opened.pop())
            if names:
                os.rmdir(names.pop(), dir_fd=opened[-1])
    os.rmdir(root)
