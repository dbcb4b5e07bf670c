"""Which files a run reads: explicit files always, folders recursively with a small ignore list."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from rolelint.parsers import is_supported

STDIN = "-"

# Folders that hold copies, caches or third-party code, never the user's own templates.
IGNORED_DIRECTORIES = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        "node_modules",
        ".terraform",
        ".terragrunt-cache",
        ".venv",
        "venv",
        "__pycache__",
        ".tox",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        ".aws-sam",
        ".serverless",
    }
)


@dataclass(frozen=True, slots=True)
class Target:
    """A file to read (``path == STDIN`` for standard input), or a path that does not exist."""

    path: str
    explicit: bool  # named on the command line: read it whatever its suffix
    missing: bool = False


def discover(paths: Iterable[str]) -> Iterator[Target]:
    """Files to analyze, in a stable order (sorted within each folder), each once."""
    seen: set[str] = set()
    for path in paths:
        if path == STDIN:
            yield Target(STDIN, explicit=True)
        elif os.path.isdir(path):
            for found in _walk(path):
                if found not in seen:
                    seen.add(found)
                    yield Target(found, explicit=False)
        elif os.path.exists(path):
            if path not in seen:
                seen.add(path)
                yield Target(path, explicit=True)
        else:
            yield Target(path, explicit=True, missing=True)


def _walk(root: str) -> Iterator[str]:
    for directory, subdirectories, files in os.walk(root):
        subdirectories[:] = sorted(d for d in subdirectories if d not in IGNORED_DIRECTORIES)
        for name in sorted(files):
            if is_supported(name):
                yield os.path.join(directory, name)
