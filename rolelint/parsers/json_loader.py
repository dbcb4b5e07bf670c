"""Positioned JSON loading: the C scanner reads the values, a token walk finds their places.

``json.loads`` keeps no positions and silently keeps the last of duplicate keys.  A valid
document is read twice, both times mostly in C: ``json.loads`` decodes it (objects as their
key/value pairs), then one regular expression lists its tokens (strings, scalars, brackets) in
order, and a walk over both gives every key and value its span and reports duplicates.  That is
several times faster than decoding in Python, and JSON templates are half of a typical corpus.

A document the C scanner refuses (or that nests too deeply for it) is read again by a decoder
that recurses in Python with positions, so the error names the line and column it stopped at.
Both readers refuse a document deeper than :data:`MAX_DEPTH`, with the position of the array or
object that crosses the limit.
"""

from __future__ import annotations

import bisect
import json
import json.decoder
import json.scanner
import re
import weakref
from collections.abc import Callable
from typing import Any

from rolelint.parsers.tree import (
    MAX_DEPTH,
    DuplicateKey,
    LoadedDocument,
    LoadError,
    PMap,
    PSeq,
    WrittenFloat,
    too_deep,
)
from rolelint.source import UNIVERSAL_BREAKS, LinesSoFar, Span, span_from

_WHITESPACE = re.compile(r"[ \t\n\r]*")
_scanstring: Any = json.decoder.scanstring  # type: ignore[attr-defined]


class _Positions:
    """Turns string offsets into 1-based line and column numbers, lines ending at each
    CRLF, CR or LF (:data:`~rolelint.source.UNIVERSAL_BREAKS`), as the fast path counts them."""

    def __init__(self, text: str) -> None:
        self.line_starts = [match.end() for match in UNIVERSAL_BREAKS.finditer(text)]

    def at(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.line_starts, offset)
        start = self.line_starts[line - 1] if line else 0
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
        # Through a weak reference: the scanner's functions call each other through closure
        # cells, a reference cycle, which would keep the decoder (and the document's text) alive
        # for the rest of a run that never lets the collector walk them (rolelint.gc_pause).
        myself = weakref.ref(self)
        context.parse_object = lambda *args: myself().parse_object(*args)  # type: ignore[union-attr]
        context.parse_array = lambda *args: myself().parse_array(*args)  # type: ignore[union-attr]
        context.memo = {}
        context.parse_float = WrittenFloat
        context.parse_constant = _refuse_constant
        make_scanner: Any = json.scanner.py_make_scanner  # type: ignore[attr-defined]
        self.scan_once: Callable[[str, int], tuple[Any, int]] = make_scanner(context)

    def fail(self, message: str, offset: int, *, beyond_limits: bool = False) -> LoadError:
        line, column = self.positions.at(offset)
        return LoadError(f"invalid JSON: {message}", line, column, beyond_limits=beyond_limits)

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
            except json.JSONDecodeError:
                raise
            except _NotJsonConstant as exc:
                raise self.fail(str(exc), offset) from None
            except ValueError:  # an integer longer than Python converts (4,300 digits)
                raise self.fail("number too long to read", offset, beyond_limits=True) from None
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
    try:
        decoded = json.loads(
            text,
            object_pairs_hook=_PairList,
            parse_float=WrittenFloat,
            parse_constant=_refuse_constant,
        )
    except (ValueError, RecursionError):  # JSONDecodeError is a ValueError
        return _load_with_positions(path, text)
    walk = _TokenWalk(text)
    root = walk.value(decoded, walk.next_token())[0]
    return LoadedDocument(path, root, text, walk.duplicates, in_json=True)


def _load_with_positions(path: str, text: str) -> LoadedDocument:
    """The slow reader: exact positions for what the C scanner refused."""
    decoder = _Decoder(text)
    offset = _WHITESPACE.match(text, 0).end()  # type: ignore[union-attr]
    try:
        root, end = decoder.value_at(offset)[:2]
    except json.JSONDecodeError as exc:
        # Not exc.lineno: Python counts only LF there, so a file of lone CRs was one line.
        line, column = decoder.positions.at(exc.pos)
        raise LoadError(_decode_message(exc.msg, line, column), line, column) from exc
    end = _WHITESPACE.match(text, end).end()  # type: ignore[union-attr]
    if end != len(text):
        raise decoder.fail("extra data after the document", end)
    return LoadedDocument(path, root, text, decoder.duplicates, in_json=True)


def _decode_message(message: str, line: int, column: int) -> str:
    """The error of Python's string scanner as a whole sentence.

    Python ends some messages ready for the position its ``str()`` appends ("Unterminated
    string starting at", "Invalid control character at"), so the bare message stopped
    mid-sentence; the position it names (``line``, ``column``) is given.
    """
    if message.endswith(" at"):
        message = f"{message} line {line} column {column}"
    return f"invalid JSON: {message[:1].lower()}{message[1:]}"


class _NotJsonConstant(ValueError):
    """``NaN``, ``Infinity`` or ``-Infinity``: Python's json reads them, JSON has no such
    value, and AWS refuses a document that holds one."""


def _refuse_constant(name: str) -> Any:
    """Called by the scanner for NaN and the infinities: the fast path gives up (a ValueError)
    and the positioned reader reports the token where it is written."""
    raise _NotJsonConstant(f"{name} is not a JSON value")


class _PairList(list[tuple[str, Any]]):
    """An object as ``json.loads`` read it: its pairs in order, duplicates kept (a dict would
    keep only the last), and told apart from an array by its type."""

    __slots__ = ()


# Every token that starts or ends a value, in order (group 1): a string (a key or a value), a
# scalar (number, true, false, null) or a bracket, after the whitespace, commas
# and colons before it (matched rather than searched for: three times faster).  Only run on
# text json.loads accepted, so it needs no care for malformed input; strings hold no raw line
# break there.
_TOKEN = re.compile(r'[\s,:]*("[^"\\]*(?:\\.[^"\\]*)*"|[{}\[\]]|[^\s,:{}\[\]"]+)')


class _TokenWalk:
    """Lays the tokens of a valid document over the values ``json.loads`` made of it.

    Offsets only grow along the walk, so line numbers are counted forward from the last token
    rather than searched for.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.next_token: Callable[[], re.Match[str]] = _TOKEN.finditer(text).__next__
        self.duplicates: list[DuplicateKey] = []
        self.depth = 0
        # 1-based line and column of an offset, never before the previous one.
        self.position: Callable[[int], tuple[int, int]] = LinesSoFar(text).at

    def value(self, decoded: Any, token: re.Match[str]) -> tuple[Any, Span]:
        """``decoded`` positioned, ``token`` being its first: arrays and objects walked, a
        scalar as decoded, with its span."""
        kind = type(decoded)
        if kind is _PairList:
            return self.mapping(decoded, token.start(1))
        if kind is list:
            return self.sequence(decoded, token.start(1))
        return decoded, self.scalar_span(token)

    def scalar_span(self, token: re.Match[str]) -> Span:
        """A string or scalar token's span: it never spans lines in valid JSON."""
        start, end = token.span(1)
        line, column = self.position(start)
        return span_from((line, column, line, column + end - start))

    def opened(self, start: int, empty: bool) -> tuple[int, int]:
        """An array or object opens at ``start``: its position, the depth checked first when
        it holds something (an empty one adds no level)."""
        if not empty:
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise too_deep(*self.position(start))
        return self.position(start)

    def closed(self, opening: tuple[int, int], empty: bool) -> Span:
        """Its closing bracket is the next token: the span from ``opening`` to past it."""
        if not empty:
            self.depth -= 1
        end_line, end_column = self.position(self.next_token().start(1))
        return Span(*opening, end_line, end_column + 1)

    def mapping(self, pairs: _PairList, start: int) -> tuple[PMap, Span]:
        result = PMap()
        opening = self.opened(start, not pairs)
        next_token = self.next_token
        key_spans = result.key_spans
        value_spans = result.value_spans
        for key, decoded in pairs:
            key_span = self.scalar_span(next_token())
            value, value_span = self.value(decoded, next_token())
            if key in result:
                self.duplicates.append(DuplicateKey(key, key_spans.get(key), key_span))
            result[key] = value
            key_spans[key] = key_span
            value_spans[key] = value_span
        result.span = span = self.closed(opening, not pairs)
        return result, span

    def sequence(self, items: list[Any], start: int) -> tuple[PSeq, Span]:
        result = PSeq()
        opening = self.opened(start, not items)
        next_token = self.next_token
        item_spans = result.item_spans
        for decoded in items:
            value, value_span = self.value(decoded, next_token())
            result.append(value)
            item_spans.append(value_span)
        result.span = span = self.closed(opening, not items)
        return result, span
