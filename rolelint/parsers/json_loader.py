"""Positioned JSON loading: the standard library's scanner with position-recording containers.

``json.loads`` keeps no positions and silently keeps the last of duplicate keys.  We reuse the
stdlib scanner for strings and numbers and supply our own object/array builders, which record
the span of every key and value and report duplicates.  They also count how deep the document
nests: the scanner recurses in Python, and a document deeper than :data:`MAX_DEPTH` is refused
with the position of the array or object that crosses the limit.
"""

from __future__ import annotations

import bisect
import json
import json.decoder
import json.scanner
import re
from collections.abc import Callable
from typing import Any

from rolelint.parsers.tree import (
    MAX_DEPTH,
    DuplicateKey,
    LoadedDocument,
    LoadError,
    PMap,
    PSeq,
    too_deep,
)
from rolelint.source import Span

_WHITESPACE = re.compile(r"[ \t\n\r]*")
_NEWLINE = re.compile("\n")
_scanstring: Any = json.decoder.scanstring  # type: ignore[attr-defined]


class _Positions:
    """Turns string offsets into 1-based line and column numbers."""

    def __init__(self, text: str) -> None:
        self.newlines = [match.start() for match in _NEWLINE.finditer(text)]

    def at(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_left(self.newlines, offset)
        start = self.newlines[line - 1] + 1 if line else 0
        return line + 1, offset - start + 1

    def span(self, start: int, end: int) -> Span:
        line, column = self.at(start)
        end_line, end_column = self.at(end)
        return Span(line, column, end_line, end_column)


class _Decoder:
    """Holds the per-document state the scanner callbacks need."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.positions = _Positions(text)
        self.duplicates: list[DuplicateKey] = []
        self.depth = 0  # arrays and objects open at the scanner's position
        context: Any = json.JSONDecoder()
        context.parse_object = self.parse_object
        context.parse_array = self.parse_array
        context.memo = {}
        make_scanner: Any = json.scanner.py_make_scanner  # type: ignore[attr-defined]
        self.scan_once: Callable[[str, int], tuple[Any, int]] = make_scanner(context)

    def fail(self, message: str, offset: int) -> LoadError:
        line, column = self.positions.at(offset)
        return LoadError(f"invalid JSON: {message}", line, column)

    def enter(self, start: int) -> None:
        """One more array or object open, its first value about to be read (at level
        ``depth``): refused when that is deeper than :data:`MAX_DEPTH`."""
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise too_deep(*self.positions.at(start))

    def value_at(self, offset: int) -> tuple[Any, int, Span]:
        # Arrays and objects are built here directly, not through the scanner: two frames per
        # level instead of four keep the deepest document allowed far from the recursion limit.
        value: Any
        opening = self.text[offset : offset + 1]
        if opening == "{":
            value, end = self.parse_object((self.text, offset + 1))
        elif opening == "[":
            value, end = self.parse_array((self.text, offset + 1))
        else:
            try:
                value, end = self.scan_once(self.text, offset)
            except StopIteration as exc:
                raise self.fail("expecting a value", exc.value) from None
        return value, end, self.positions.span(offset, end)

    def parse_object(self, state: tuple[str, int], *_: Any) -> tuple[PMap, int]:
        text, offset = state
        start = offset - 1
        result = PMap()
        offset = _WHITESPACE.match(text, offset).end()  # type: ignore[union-attr]
        if text[offset : offset + 1] == "}":
            result.span = self.positions.span(start, offset + 1)
            return result, offset + 1
        self.enter(start)
        while True:
            if text[offset : offset + 1] != '"':
                raise self.fail("expecting a property name in double quotes", offset)
            key_start = offset
            key, offset = _scanstring(text, offset + 1, True)
            key_span = self.positions.span(key_start, offset)
            offset = _WHITESPACE.match(text, offset).end()  # type: ignore[union-attr]
            if text[offset : offset + 1] != ":":
                raise self.fail("expecting ':' delimiter", offset)
            offset = _WHITESPACE.match(text, offset + 1).end()  # type: ignore[union-attr]
            value, offset, value_span = self.value_at(offset)
            if key in result:
                self.duplicates.append(DuplicateKey(key, result.key_spans.get(key), key_span))
            result.set(key, value, key_span, value_span)
            offset = _WHITESPACE.match(text, offset).end()  # type: ignore[union-attr]
            delimiter = text[offset : offset + 1]
            if delimiter == "}":
                result.span = self.positions.span(start, offset + 1)
                self.depth -= 1
                return result, offset + 1
            if delimiter != ",":
                raise self.fail("expecting ',' delimiter", offset)
            offset = _WHITESPACE.match(text, offset + 1).end()  # type: ignore[union-attr]

    def parse_array(self, state: tuple[str, int], *_: Any) -> tuple[PSeq, int]:
        text, offset = state
        start = offset - 1
        result = PSeq()
        offset = _WHITESPACE.match(text, offset).end()  # type: ignore[union-attr]
        if text[offset : offset + 1] == "]":
            result.span = self.positions.span(start, offset + 1)
            return result, offset + 1
        self.enter(start)
        while True:
            value, offset, value_span = self.value_at(offset)
            result.add(value, value_span)
            offset = _WHITESPACE.match(text, offset).end()  # type: ignore[union-attr]
            delimiter = text[offset : offset + 1]
            if delimiter == "]":
                result.span = self.positions.span(start, offset + 1)
                self.depth -= 1
                return result, offset + 1
            if delimiter != ",":
                raise self.fail("expecting ',' delimiter", offset)
            offset = _WHITESPACE.match(text, offset + 1).end()  # type: ignore[union-attr]


def load_json(path: str, text: str) -> LoadedDocument:
    """Parse one JSON document with positions; raise :class:`LoadError` with a position on error."""
    decoder = _Decoder(text)
    offset = _WHITESPACE.match(text, 0).end()  # type: ignore[union-attr]
    try:
        root, end = decoder.value_at(offset)[:2]
    except json.JSONDecodeError as exc:
        raise LoadError(f"invalid JSON: {exc.msg}", exc.lineno, exc.colno) from exc
    end = _WHITESPACE.match(text, end).end()  # type: ignore[union-attr]
    if end != len(text):
        raise decoder.fail("extra data after the document", end)
    return LoadedDocument(path, root, text, decoder.duplicates)
