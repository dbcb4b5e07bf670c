"""Which files a run reads: explicit files always, folders recursively with a small ignore list.

A folder walk does not follow symbolic links to folders (as git and ruff do not): a link to
``..`` or to its own folder would loop, and one to a shared folder would read it twice.  Name
a linked folder on the command line to scan it.  Links to files are read.  A folder that cannot
be listed (permission denied) is reported, never silently left out.
"""

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
    error: str | None = None  # why it cannot be read (a folder that cannot be listed)


def tidy_path(path: str) -> str:
    """``path`` without ``.`` segments and doubled separators: ``./a.yaml`` is ``a.yaml``.

    A file is reported, baselined and fingerprinted by the path it was read under, so one file
    must have one path however it was reached.  ``rolelint check`` walks ``.`` and would name
    ``./a.yaml``, where pre-commit passes ``a.yaml``: a baseline written by the first would not
    match in the second, and ``check . a.yaml`` would read the file twice.  ``..`` segments are
    kept: folding ``link/..`` would name another file when ``link`` is a symbolic link.
    """
    if path in ("", STDIN):
        return path
    drive, rest = os.path.splitdrive(path)
    if os.altsep:
        rest = rest.replace(os.altsep, os.sep)
    rooted = rest.startswith(os.sep)
    parts = [part for part in rest.split(os.sep) if part not in ("", ".")]
    tidy = drive + (os.sep if rooted else "") + os.sep.join(parts)
    if tidy == STDIN:  # ``./-`` is how a file named ``-`` is named apart from standard input
        return path
    return tidy or "."


def discover(
    paths: Iterable[str], excluded: Callable[[str], bool] | None = None
) -> Iterator[Target]:
    """Files to analyze, in a stable order (sorted within each folder), each once, each under
    its :func:`tidy_path`.

    ``excluded`` applies to named files too: pre-commit names every file it passes, and an
    excluded file must stay excluded there.  Excluded folders are not walked.
    """
    is_excluded = excluded or (lambda _: False)
    seen: set[str] = set()
    for path in map(tidy_path, paths):
        if path == STDIN:
            yield Target(STDIN, explicit=True)
        elif os.path.isdir(path):
            for found in _walk(path, is_excluded):
                if found.path not in seen:
                    seen.add(found.path)
                    yield found
        elif os.path.lexists(path):  # a broken link or a loop is read, to say which it is
            if path not in seen:
                seen.add(path)
                yield Target(path, explicit=True, excluded=is_excluded(path))
        else:
            yield Target(path, explicit=True, missing=True)


def _walk(root: str, is_excluded: Callable[[str], bool]) -> Iterator[Target]:
    """Supported files under ``root``, each marked excluded when the configuration excludes it;
    an excluded folder is yielded once, itself, as excluded (and not walked); a folder that
    cannot be listed is yielded with the reason.

    The order is ``os.walk``'s, top down with names sorted: a folder's files, then each of its
    folders in turn.  The walk keeps its own stack of folders to visit rather than recursing as
    ``os.walk`` does before Python 3.12, which raised ``RecursionError`` about 1,000 folders
    deep and so lost the whole run.
    """
    pending = [root]
    while pending:
        directory = pending.pop()
        try:
            subdirectories, files = _listing(directory)
        except OSError as error:
            reason = f"cannot read folder: {error.strerror or error}"
            yield Target(directory, explicit=False, error=reason)
            continue
        walked = []
        for name in sorted(subdirectories):
            if name in IGNORED_DIRECTORIES:
                continue
            path = _joined(directory, name)
            if is_excluded(path):
                yield Target(path, explicit=False, excluded=True)
            elif not os.path.islink(path):
                walked.append(path)
        for name in sorted(files):
            if is_supported(name):
                path = _joined(directory, name)
                yield Target(path, explicit=False, excluded=is_excluded(path))
        pending.extend(reversed(walked))


def _joined(directory: str, name: str) -> str:
    """``name`` inside ``directory``, where the folder ``.`` adds nothing (see tidy_path), except
    to a file named ``-``, which would read as standard input."""
    return name if directory == "." and name != STDIN else os.path.join(directory, name)


def _listing(directory: str) -> tuple[list[str], list[str]]:
    """The names of ``directory``'s folders and of everything else in it, as ``os.walk`` sorts
    them: a link to a folder counts as a folder (and is not walked), an entry whose kind cannot
    be read as a file (reading it then says why)."""
    subdirectories: list[str] = []
    files: list[str] = []
    with os.scandir(directory) as entries:
        for entry in entries:
            try:
                is_directory = entry.is_dir()
            except OSError:
                is_directory = False
            (subdirectories if is_directory else files).append(entry.name)
    return subdirectories, files
