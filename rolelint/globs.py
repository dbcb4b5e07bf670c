"""Path patterns of the configuration (``exclude``, ``per-path-ignores``), as teams write them
in .gitignore-like files: ``*`` within one folder or file name, ``**`` across folders, ``?`` one
character.  A pattern with a ``/`` is anchored at the configuration's folder; one without
matches a file or folder name at any depth (``cdk.out``, ``*.test.yaml``); a leading ``/``
or ``./`` anchors a bare name (``/infra``, ``./infra``).

What gitignore has and this does not (a leading ``!`` to re-include, ``[...]`` classes), and a
``..`` that leaves the configuration's folder, could only ever match nothing:
:func:`pattern_problem` says so, and the configuration refuses them.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterable, Sequence

# The pieces a pattern is made of.  Matching runs them as a set of positions advanced one
# character at a time (the way grep does), so it takes time proportional to the pattern's length
# times the path's: a regular expression with many ``*`` backtracks, and a configuration with
# ``*a*a*a...*z`` (it comes with the repository being checked) ran for minutes.
_ANY_FOLDERS = "**/"  # no folder or any number of folders
_ANYTHING = "**"  # any characters, across folders
_WITHIN = "*"  # any characters within one name
_ONE = "?"  # one character of a name
_INSIDE = "/**"  # nothing, or a folder's content: a pattern naming a folder covers it
_MAY_BE_EMPTY = frozenset({_ANY_FOLDERS, _ANYTHING, _WITHIN, _INSIDE})


def pattern_problem(pattern: str) -> str | None:
    """Why ``pattern`` can never match a path relative to the configuration's folder; None
    when it can.  Each read as literal text, these matched nothing, unsaid: an excluded
    fixture was scanned, a per-path ignore suppressed nothing."""
    if pattern.startswith("!"):
        return (
            "a leading '!' (negation) is not supported: list only the paths the setting applies to"
        )
    if ".." in _body(pattern)[0].split("/"):
        return (
            "'..' names a path outside the configuration's folder, and patterns match only "
            "paths inside it (write them relative to that folder)"
        )
    opening = pattern.find("[")
    if opening >= 0 and "]" in pattern[opening + 1 :]:
        return "brackets ([...]) are not supported: write ? for one character, or *"
    return None


def _body(pattern: str) -> tuple[str, bool]:
    """The pattern without its leading and trailing ``/``, and whether it is anchored at the
    configuration's folder: a leading ``/`` or ``./`` (``./infra/**`` is how a path relative to
    the configuration is often written, and read as a literal ``.`` it matched nothing), or a
    ``/`` inside."""
    dotted = False
    while pattern.startswith("./"):
        pattern, dotted = pattern[2:], True
    anchored = dotted or pattern.startswith("/") or "/" in pattern.strip("/")
    return pattern.strip("/"), anchored


@functools.lru_cache(maxsize=256)
def _pieces(pattern: str) -> tuple[str, ...]:
    body, anchored = _body(pattern)
    pieces: list[str] = [] if anchored else [_ANY_FOLDERS]
    index = 0
    while index < len(body):
        for wildcard in (_ANY_FOLDERS, _ANYTHING, _WITHIN, _ONE):
            if body.startswith(wildcard, index):
                # Repeats mean no more than one does, and would only add positions.
                if not (pieces and pieces[-1] == wildcard and wildcard != _ONE):
                    pieces.append(wildcard)
                index += len(wildcard)
                break
        else:
            pieces.append(body[index])
            index += 1
    pieces.append(_INSIDE)
    return tuple(pieces)


def _fullmatch(pieces: tuple[str, ...], text: str) -> bool:
    """Whether ``text`` is matched by ``pieces`` whole."""
    end = len(pieces)

    def closure(positions: set[int]) -> set[int]:
        """Add the positions past pieces that can match nothing."""
        found = set(positions)
        todo = list(positions)
        while todo:
            position = todo.pop()
            if position < end and pieces[position] in _MAY_BE_EMPTY and position + 1 not in found:
                found.add(position + 1)
                todo.append(position + 1)
        return found

    positions = closure({0})  # before the piece at each position
    folders: set[int] = set()  # inside a ``**/`` that has read something: it ends at a "/"
    for character in text:
        advanced: set[int] = set()
        inside: set[int] = set()
        for position in folders:
            inside.add(position)
            if character == "/":
                advanced.add(position + 1)
        for position in positions:
            if position == end:
                continue
            piece = pieces[position]
            if piece == _ANY_FOLDERS:
                inside.add(position)
                if character == "/":
                    advanced.add(position + 1)
            elif piece == _ANYTHING:
                advanced.add(position)
            elif piece == _WITHIN:
                if character != "/":
                    advanced.add(position)
            elif piece == _ONE:
                if character != "/":
                    advanced.add(position + 1)
            elif piece == _INSIDE:
                if character == "/":
                    return True  # the folder the pattern names: everything inside matches
            elif piece == character:
                advanced.add(position + 1)
        positions, folders = closure(advanced), inside
        if not positions and not folders:
            return False
    return end in positions


def relative_to(path: str, folder: str) -> str | None:
    """``path`` relative to ``folder`` with ``/`` separators; None when it lies outside."""
    relative = os.path.relpath(os.path.abspath(path), os.path.abspath(folder))
    if relative == os.pardir or relative.startswith(os.pardir + os.sep):
        return None
    return relative.replace(os.sep, "/")


def matches(pattern: str, path: str, folder: str) -> bool:
    """Whether ``path`` (as scanned) matches ``pattern`` written in a configuration in
    ``folder``."""
    relative = relative_to(path, folder)
    return relative is not None and _fullmatch(_pieces(pattern), relative)


class PathPatterns:
    """The patterns of one configuration (its ``exclude``, or its ``per-path-ignores`` globs),
    asked about every path of a scan: which of them match, in the order they are written.

    Trying every pattern on every path made a configuration of 3,000 patterns over 2,000 files
    (20,000 findings) take ten minutes.  A pattern's literal characters must each meet the same
    character of the path, and a run of them (``legacy-`` in ``infra/legacy-*/**``) must meet
    a run: each pattern is indexed by its longest run, and a path tries only the patterns
    whose run it contains, with the few that have no literal character at all.
    """

    def __init__(self, patterns: Iterable[str], folder: str) -> None:
        self.folder = folder
        self.patterns = tuple(dict.fromkeys(patterns))
        self._pieces = [_pieces(pattern) for pattern in self.patterns]
        self._by_run: dict[str, list[int]] = {}  # longest literal run -> patterns, in order
        self._always: list[int] = []  # no literal character: tried on every path
        for index, pieces in enumerate(self._pieces):
            run = _longest_run(pieces)
            if run:
                self._by_run.setdefault(run, []).append(index)
            else:
                self._always.append(index)
        self._lengths = sorted({len(run) for run in self._by_run})

    def matching(self, path: str) -> list[str]:
        """The patterns that match ``path`` (as scanned), in the order they were given."""
        relative = relative_to(path, self.folder)
        if relative is None:
            return []
        candidates = set(self._always)
        by_run = self._by_run
        for length in self._lengths:
            for start in range(len(relative) - length + 1):
                found = by_run.get(relative[start : start + length])
                if found is not None:
                    candidates.update(found)
        return [
            self.patterns[index]
            for index in sorted(candidates)
            if _fullmatch(self._pieces[index], relative)
        ]

    def any_match(self, path: str) -> bool:
        return bool(self.matching(path))


def _longest_run(pieces: Sequence[str]) -> str:
    """The longest run of literal characters (pieces that are not wildcards) of a pattern."""
    longest = ""
    run: list[str] = []
    for piece in (*pieces, _ONE):  # a wildcard at the end closes the last run
        if piece in _MAY_BE_EMPTY or piece == _ONE:
            if len(run) > len(longest):
                longest = "".join(run)
            run = []
        else:
            run.append(piece)
    return longest
