"""Source positions: every parsed value remembers the file, line and column it came from.

Lines and columns are 1-based, as editors and SARIF count them.  Checks never compute positions;
they point at model elements and the engine reads the element's ``SourceRef``.
"""

from __future__ import annotations

import functools
import heapq
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple


class Picklable:
    """Pickled as a call of the class with its field values.

    The parse cache stores models of hundreds of thousands of these small objects; the state
    functions ``dataclass(slots=True)`` generates look every field up again for each object and
    made unpickling three times slower than parsing some files.  A subclass is a dataclass whose
    fields are all ``__init__`` arguments, in order (``__match_args__``).
    """

    __slots__ = ()

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        return type(self), tuple([getattr(self, name) for name in self.__match_args__])  # type: ignore[attr-defined]


# The line breaks each reader counts.  ``str.splitlines`` knows more than any of them (a vertical
# tab, a form feed, U+001C-U+001E, U+0085, U+2028, U+2029): a text split by it where its reader
# runs on had every later line numbered one too far, so a suppression comment covered the wrong
# line and a finding showed another line's text.  The lines of a file are split where its
# parser breaks them (rolelint.parsers.line_breaks), and nowhere else.
HCL_BREAKS = re.compile(r"\r?\n")  # the HCL lexer counts line feeds; "\r\n" is one break
# Python's universal newlines: JSON, AWS config files (botocore reads them in text mode), and
# the breaks a report takes out of text it puts on one line.
UNIVERSAL_BREAKS = re.compile(r"\r\n|\r|\n")
# YAML 1.1's line breaks, which PyYAML and libyaml both count (NEL, LS and PS included).
YAML_BREAKS = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


def split_lines(text: str, breaks: re.Pattern[str]) -> list[str]:
    """The lines of ``text`` without their breaks, as ``str.splitlines`` gives them (no empty
    line after a final break), split at ``breaks`` only."""
    lines = breaks.split(text)
    if not lines[-1]:
        lines.pop()
    return lines


def line_starts(text: str, breaks: re.Pattern[str]) -> list[int]:
    """The offset where each line of ``text`` (as :func:`split_lines` gives them) starts."""
    starts = [0]
    starts.extend(match.end() for match in breaks.finditer(text))
    if starts[-1] == len(text):
        starts.pop()
    return starts


class LinesSoFar:
    """Line and column of offsets into ``text`` that never go back (a walk along the text).

    Line breaks are counted on from the previous offset: counting them from the start of the
    text each time made a heredoc with 20,000 interpolations spend 8 s counting.  A break is
    CRLF, CR or LF (:data:`UNIVERSAL_BREAKS`), counted with ``str.count``, in C.
    """

    __slots__ = ("counted", "has_cr", "line", "line_start", "text")

    def __init__(self, text: str, first_line: int = 1) -> None:
        self.text = text
        self.line = first_line
        self.line_start = 0  # offset of the first character of ``line``
        self.counted = 0  # offset up to which line breaks are counted
        self.has_cr = "\r" in text  # else LF alone breaks lines, counted with fewer scans

    def at(self, offset: int) -> tuple[int, int]:
        """The line of ``offset`` (not before the previous one) and its column, 1-based."""
        text, start = self.text, self.counted
        if not self.has_cr:
            breaks = text.count("\n", start, offset)
            if breaks:
                self.line += breaks
                self.line_start = text.rfind("\n", start, offset) + 1
        else:
            self._count_with_cr(start, offset)
        self.counted = offset
        return self.line, offset - self.line_start + 1

    def _count_with_cr(self, start: int, offset: int) -> None:
        """Lines from ``start`` to ``offset`` where a CR, alone or before an LF, breaks them."""
        text = self.text
        if 0 < start < offset and text[start - 1 : start + 1] == "\r\n":
            # The LF of a CRLF whose CR ended the previous count: that break is counted, but
            # the line starts after the LF.
            start += 1
            self.line_start = start
        breaks = text.count("\n", start, offset) + text.count("\r", start, offset)
        breaks -= text.count("\r\n", start, offset)
        if breaks:
            self.line += breaks
            last = max(text.rfind("\n", start, offset), text.rfind("\r", start, offset))
            self.line_start = last + 1


class Span(NamedTuple):
    """A region of a file: start and end (end is exclusive on the column, like SARIF).

    A named tuple rather than a frozen dataclass: the loaders make one for every key and value
    of every file, and a frozen dataclass takes four times as long to create (each field is set
    through ``object.__setattr__``), which was a fifth of the time spent loading a template.
    """

    line: int
    column: int
    end_line: int
    end_column: int

    @staticmethod
    def point(line: int, column: int) -> Span:
        return Span(line, column, line, column)

    def encloses(self, other: Span) -> bool:
        """Whether ``other`` starts and ends within this region."""
        return (self.line, self.column) <= (other.line, other.column) and (
            other.end_line,
            other.end_column,
        ) <= (self.end_line, self.end_column)


# ``Span`` from a 4-tuple without the named tuple's Python-level ``__new__``: half the cost, for
# the loaders, which make one per key and value.
span_from: Callable[[tuple[int, int, int, int]], Span] = functools.partial(tuple.__new__, Span)


@dataclass(frozen=True, slots=True)
class SourceRef(Picklable):
    """Where a model element came from: a file and, when known, a span inside it.

    ``used_at``: where a value written here is used, when a reference brought it there (the
    items of a Terraform list kept in a local, ``Action = local.admin``).  The element keeps
    the place where its text is written, the one to change; a suppression comment on the
    element that uses it applies as well.  It is not part of the place: two refs of one span are
    equal whatever their uses.
    """

    file: str
    span: Span | None = None
    used_at: SourceRef | None = field(default=None, compare=False)

    @property
    def line(self) -> int:
        return self.span.line if self.span else 1

    @property
    def column(self) -> int:
        return self.span.column if self.span else 1

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


def first_containing(
    named: Sequence[tuple[str, Span | None]], places: Sequence[Span | None]
) -> list[str | None]:
    """For each place, the name of the first span of ``named`` (in its order) that contains
    the place's start; None when none does (or the place has no span).

    A sweep in the order of the places rather than a search of every span for each: a template
    of 15,000 resources written twice took 37 s to name the owners of its duplicate keys.
    Spans that have started are kept in a heap by their order in ``named``; one that ended
    before a place ended before every later place too, so it is dropped for good.
    """
    starts = sorted(
        ((span.line, span.column), index) for index, (_, span) in enumerate(named) if span
    )
    ends = {i: (span.end_line, span.end_column) for i, (_, span) in enumerate(named) if span}
    located = sorted(
        ((span.line, span.column), i) for i, span in enumerate(places) if span is not None
    )
    owners: list[str | None] = [None] * len(places)
    live: list[int] = []  # indexes into named, as a heap: the first in order on top
    started = 0
    for point, i in located:
        while started < len(starts) and starts[started][0] <= point:
            heapq.heappush(live, starts[started][1])
            started += 1
        while live and ends[live[0]] < point:
            heapq.heappop(live)
        if live:
            owners[i] = named[live[0]][0]
    return owners
