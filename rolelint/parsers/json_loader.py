"""Positioned JSON loading: the standard library's scanner with position-recording containers.

``json.loads`` keeps no positions and silently keeps the last of duplicate keys.  We reuse the
stdlib scanner for strings and numbers and supply our own object/array builders, which record
the span of every key and value and report duplicates.
"""

from __future__ import annotations

import bisect
import json
import json.decoder
import json.scanner
import re
from collections.abc import Callable
from typing import Any

from rolelint.parsers.tree import DuplicateKey, LoadedDocument, LoadError, PMap, PSeq
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
        context: Any = json.JSONDecoder()
        context.parse_object = self.parse_object
        context.parse_array = self.parse_array
        context.memo = {}
        make_scanner: Any = json.scanner.py_make_scanner  # type: ignore[attr-defined]
        self.scan_once: Callable[[str, int], tuple[Any, int]] = make_scanner(context)

    def fail(self, message: str, offset: int) -> LoadError:
        line, column = self.positions.at(offset)
        return LoadError(f"invalid JSON: {message}", line, column)

    def value_at(self, offset: int) -> tuple[Any, int, Span]:
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
        while True:
            value, offset, value_span = self.value_at(offset)
            result.add(value, value_span)
            offset = _WHITESPACE.match(text, offset).end()  # type: ignore[union-attr]
            delimiter = text[offset : offset + 1]
            if delimiter == "]":
                result.span = self.positions.span(start, offset + 1)
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
    except RecursionError:
        raise LoadError("invalid JSON: nesting too deep") from None
    end = _WHITESPACE.match(text, end).end()  # type: ignore[union-attr]
    if end != len(text):
        raise decoder.fail("extra data after the document", end)
    return LoadedDocument(path, root, text, decoder.duplicates)
