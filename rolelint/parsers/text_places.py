"""Where the characters of a string value are written in its file, where the file says exactly.

CloudFormation takes a policy as JSON text too (written as it is, or made by ``Fn::Sub``); the
JSON loader places its elements in that text, not in the file, and they were all placed at the
whole string, its first line, however far into it the offending element is.  Where each
character of the value is written can be told exactly of:

- a YAML literal block scalar (``|``, with a chomping or an indentation indicator): each line
  of the value is a line of the file, after the block's indentation;
- a scalar written on one line: a YAML plain or single-quoted one (``''`` writes one quote), a
  YAML double-quoted one without escapes, and a JSON string, through its escapes (``\\"`` is
  two characters of the file and one of the value);
- the text an ``Fn::Sub`` makes, through its template's: a substituted value changes lengths,
  so each piece of the made text is placed where the template writes it, and what a
  substituted value wrote, at its ``${...}`` (:class:`Segment`).

Nothing else is placed (a folded ``>`` block, a YAML double-quoted string with escapes, a
quoted or plain scalar folded over several lines): the caller keeps the whole string's span,
never a wrong line.  Every reading is checked against the value: the text the file holds
there must give it, character for character, or nothing is placed.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Callable, Sequence
from typing import NamedTuple, Protocol

from rolelint.parsers.json_escapes import written_offsets
from rolelint.source import UNIVERSAL_BREAKS, YAML_BREAKS, Span, split_lines

# The node properties (a tag such as ``!Sub``, an anchor) a YAML scalar's span starts with.
_PROPERTIES = re.compile(r"(?:[!&]\S*[ \t]+)*")
# The header of a literal block scalar: ``|``, a chomping indicator (``-``, ``+``) and an
# indentation indicator in either order, then perhaps a comment.
_LITERAL_HEADER = re.compile(r"\|(?:[1-9][-+]?|[-+][1-9]?)?(?:[ \t]+#.*)?[ \t]*")


class Places(Protocol):
    """Where a character of a value is written: the file's line and column (1-based) of the
    character at ``offset`` of the value, or, ``end`` (an offset a span ends before), of
    where the character before it ends."""

    def at(self, offset: int, end: bool) -> tuple[int, int]: ...


class _BlockLines:
    """A literal block scalar's value: its line k is the file's line ``first`` + k, written
    after ``indent`` spaces."""

    __slots__ = ("first", "indent", "starts")

    def __init__(self, first: int, indent: int, starts: list[int]) -> None:
        self.first, self.indent, self.starts = first, indent, starts

    def at(self, offset: int, end: bool) -> tuple[int, int]:
        line = max(bisect.bisect_right(self.starts, offset) - 1, 0)
        return self.first + line, self.indent + offset - self.starts[line] + 1


class _Columns:
    """A value written on one line: its character i at column ``columns[i]`` of ``line``, and
    the end of the value at the last column."""

    __slots__ = ("columns", "line")

    def __init__(self, line: int, columns: list[int]) -> None:
        self.line, self.columns = line, columns

    def at(self, offset: int, end: bool) -> tuple[int, int]:
        return self.line, self.columns[min(max(offset, 0), len(self.columns) - 1)]


class Segment(NamedTuple):
    """A piece of the text an ``Fn::Sub`` makes: where it is in the made text
    (``made``..``made_end``) and where the template writes it (``written``..``written_end``):
    as it is (``literal``), else as the ``${...}`` whose value it is."""

    made: int
    made_end: int
    written: int
    written_end: int
    literal: bool


class _Substituted:
    """The places of a made text, through the places of the template it was made from: a
    character the template writes as it is, where it is written; one of a substituted value,
    at the ``${...}`` (its start, or, where a span ends, its end)."""

    __slots__ = ("ends", "places", "segments", "starts")

    def __init__(self, places: Places, segments: Sequence[Segment]) -> None:
        self.places = places
        # Empty pieces hold no character: no span starts or ends inside them.
        self.segments = [piece for piece in segments if piece.made_end > piece.made]
        self.starts = [piece.made for piece in self.segments]
        self.ends = [piece.made_end for piece in self.segments]

    def at(self, offset: int, end: bool) -> tuple[int, int]:
        if not self.segments:
            return self.places.at(0, end)
        if end:  # the piece the character before ``offset`` is in
            index = bisect.bisect_left(self.ends, offset)
        else:  # the piece the character at ``offset`` is in
            index = bisect.bisect_right(self.starts, offset) - 1
        piece = self.segments[min(max(index, 0), len(self.segments) - 1)]
        if piece.literal:
            inside = min(max(offset - piece.made, 0), piece.made_end - piece.made)
            return self.places.at(piece.written + inside, end)
        return self.places.at(piece.written_end if end else piece.written, end)


def substituted(places: Places, segments: Sequence[Segment]) -> Places:
    """The places of a text made of ``segments``, whose template ``places`` places."""
    return _Substituted(places, segments)


def written_places(
    lines: Sequence[str], span: Span | None, value: str, *, in_json: bool
) -> Places | None:
    """Where each character of ``value``, the string written at ``span`` of a file whose
    lines are ``lines`` (split where its loader breaks them), is written; None where the
    file does not say exactly (see the module's docstring) or does not hold that value."""
    if span is None or not value or span.line > len(lines):
        return None
    if span.line == span.end_line:
        return _one_line(lines[span.line - 1], span, value, in_json)
    if in_json:
        return None  # a JSON string is one line
    header = lines[span.line - 1][span.column - 1 :]
    header = header[_PROPERTIES.match(header).end() :]  # type: ignore[union-attr]
    if not _LITERAL_HEADER.fullmatch(header):
        return None
    return _literal_block(lines, span.line + 1, value)


def _literal_block(lines: Sequence[str], first: int, value: str) -> Places | None:
    """A literal block scalar whose content starts on line ``first``: each line of the value
    is the file's line, after the same indentation (found from the first line with text)."""
    starts = [0, *(match.end() for match in YAML_BREAKS.finditer(value))]
    content = split_lines(value, YAML_BREAKS)
    if first - 1 + len(content) > len(lines):
        return None
    indent: int | None = None
    for number, text in enumerate(content, first):
        written = lines[number - 1]
        if not text:
            if written.strip(" "):
                return None
            continue
        if indent is None:
            indent = len(written) - len(text)
        if indent < 0 or written[:indent].strip(" ") or written[indent:] != text:
            return None
    return None if indent is None else _BlockLines(first, indent, starts)


def _one_line(line: str, span: Span, value: str, in_json: bool) -> Places | None:
    """A scalar written on one line: where each of its characters is, through its quotes and
    the escapes that are exact (a JSON string's, YAML's ``''``)."""
    written = line[span.column - 1 : span.end_column - 1]
    skip = 0 if in_json else _PROPERTIES.match(written).end()  # type: ignore[union-attr]
    token = written[skip:]
    read = _json_string(token) if in_json else _yaml_scalar(token)
    if read is None or read[0] != value:
        return None
    first = span.column + skip
    return _Columns(span.line, [first + offset for offset in read[1]])


def _json_string(token: str) -> tuple[str, list[int]] | None:
    """A JSON string token's value, and for each of its characters, and its end, the offset in
    the token where it is written (the opening quote is at 0); None if it is not one token."""
    if len(token) < 2 or token[0] != '"' or token[-1] != '"':
        return None
    try:
        value = json.loads(token)
    except ValueError:
        return None
    if not isinstance(value, str):
        return None
    offsets = written_offsets(token)
    return (value, offsets) if offsets is not None and len(offsets) == len(value) + 1 else None


def _yaml_scalar(token: str) -> tuple[str, list[int]] | None:
    """A YAML scalar written on one line: its value and where each character (and the end) is
    written in the token; None for a double-quoted one with escapes, whose places this does
    not read."""
    if token[:1] == "'" and token[-1:] == "'" and len(token) >= 2:
        characters: list[str] = []
        offsets: list[int] = []
        index, end = 1, len(token) - 1
        while index < end:
            offsets.append(index)
            characters.append(token[index])
            index += 2 if token[index : index + 2] == "''" else 1
        offsets.append(end)
        return "".join(characters), offsets
    if token[:1] == '"':
        if len(token) < 2 or token[-1] != '"' or "\\" in token:
            return None
        return token[1:-1], list(range(1, len(token)))
    return token, list(range(len(token) + 1))


def json_mover(text: str, places: Places) -> Callable[[Span], Span]:
    """Moves a span the JSON loader gives in ``text`` (lines broken as it breaks them) to
    where that part of ``text`` is written, by ``places``."""
    starts = [0, *(match.end() for match in UNIVERSAL_BREAKS.finditer(text))]

    def offset(line: int, column: int) -> int:
        return starts[min(max(line, 1), len(starts)) - 1] + column - 1

    def move(span: Span) -> Span:
        start = places.at(offset(span.line, span.column), False)
        end = places.at(offset(span.end_line, span.end_column), True)
        return Span(*start, *end)

    return move
