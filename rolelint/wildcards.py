"""IAM's wildcards, ``*`` (any run of characters, none included) and ``?`` (one character),
matched against a literal without backtracking.

The obvious regular expression, each ``*`` written ``.*``, backtracks: ``*a*a*a*a*a*a*a*a*a*a*b``
took 19 s to fail against forty a's, twelve stars take hours, and patterns come with the
templates being checked.  A pattern with more than one star is therefore cut at its stars into
pieces of fixed length: the first must match where the text starts, the last where it ends,
and each one between at its leftmost place after the one before (leftmost is never worse: a star
takes whatever lies between).  Each piece is a regular expression without repetition, so a
match costs at most the text's length times the pattern's.  A pattern with one star stays one
regular expression: ``.*`` once cannot backtrack more than the text's length.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

Matcher = Callable[[str], bool]


def _piece(text: str) -> re.Pattern[str]:
    """A part of a pattern with no star: ``?`` is any one character, the rest is literal."""
    return re.compile("".join("." if char == "?" else re.escape(char) for char in text), re.DOTALL)


@functools.lru_cache(maxsize=65536)
def matcher(pattern: str) -> Matcher:
    """Whether a whole text matches ``pattern`` (case-sensitive: callers lower both for IAM
    actions, which compare without case)."""
    if pattern.count("*") <= 1:
        parts = (_piece(part).pattern for part in pattern.split("*"))
        single = re.compile(".*".join(parts), re.DOTALL)
        return lambda text: single.fullmatch(text) is not None
    first, *middle, last = pattern.split("*")
    return _Pieces(first, [part for part in middle if part], last)


class _Pieces:
    """A pattern with several stars: its first and last pieces, and those between (see the
    module docstring)."""

    def __init__(self, first: str, middle: list[str], last: str) -> None:
        self.head = _piece(first)
        self.head_length = len(first)
        self.tail = _piece(last)
        self.tail_length = len(last)
        self.middle = [_piece(part) for part in middle]

    def __call__(self, text: str) -> bool:
        end = len(text) - self.tail_length
        if end < self.head_length or self.head.match(text) is None:
            return False
        if self.tail.fullmatch(text, end) is None:
            return False
        position = self.head_length
        for piece in self.middle:
            found = piece.search(text, position, end)
            if found is None:
                return False
            position = found.end()
        return True
