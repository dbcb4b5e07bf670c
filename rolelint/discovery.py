"""Which files a run reads: explicit files always, folders recursively with a small ignore list."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
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
    excluded: bool = False  # excluded by the configuration: counted as skipped, not read


def discover(
    paths: Iterable[str], excluded: Callable[[str], bool] | None = None
) -> Iterator[Target]:
    """Files to analyze, in a stable order (sorted within each folder), each once.

    ``excluded`` applies to named files too: pre-commit names every file it passes, and an
    excluded file must stay excluded there.  Excluded folders are not walked.
    """
    is_excluded = excluded or (lambda _: False)
    seen: set[str] = set()
    for path in paths:
        if path == STDIN:
            yield Target(STDIN, explicit=True)
        elif os.path.isdir(path):
            for found, skipped in _walk(path, is_excluded):
                if found not in seen:
                    seen.add(found)
                    yield Target(found, explicit=False, excluded=skipped)
        elif os.path.exists(path):
            if path not in seen:
                seen.add(path)
                yield Target(path, explicit=True, excluded=is_excluded(path))
        else:
            yield Target(path, explicit=True, missing=True)


def _walk(root: str, is_excluded: Callable[[str], bool]) -> Iterator[tuple[str, bool]]:
    """Supported files under ``root``, each with whether the configuration excludes it; an
    excluded folder is yielded once, itself, as excluded (and not walked)."""
    for directory, subdirectories, files in os.walk(root):
        kept = []
        for name in sorted(subdirectories):
            if name in IGNORED_DIRECTORIES:
                continue
            if is_excluded(os.path.join(directory, name)):
                yield os.path.join(directory, name), True
                continue
            kept.append(name)
        subdirectories[:] = kept
        for name in sorted(files):
            if is_supported(name):
                path = os.path.join(directory, name)
                yield path, is_excluded(path)
