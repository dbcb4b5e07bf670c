"""Indented JSON text exactly as ``json.dumps(value, indent=2)`` writes it, about twice as fast.

Reports are written with two-space indentation so that people can read and diff them, and
scripts depend on their exact text (CONTRACT.md).  ``json.dumps`` uses its C encoder only when
there is no indentation; with it, every value passes through a chain of Python generators, and
for large inventories (36,000 findings from 20,000 roles) writing the JSON report took a tenth
of the run.  This module builds the same text with one join per container and leaves escaping
strings to json's C function.

What it does not know how to write (a key that is not a string, a float that is not finite, an
object json would refuse) sends the whole document to ``json.dumps`` instead, so the result is
always json's own text, errors included.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable, Iterator, Mapping
from json.encoder import encode_basestring_ascii
from typing import Any, Generic, TypeVar

_INDENT = "  "


class _NotPlain(Exception):
    """The document holds something only ``json.dumps`` knows how to write (or refuse)."""


def dumps_indented(value: Any) -> str:
    """``json.dumps(value, indent=2)``: same text, same errors."""
    try:
        return _text(value, "\n")
    except (_NotPlain, RecursionError):
        return json.dumps(value, indent=2)


def _text(value: Any, newline: str) -> str:
    """``value`` written at the indentation that ``newline`` (a line break and the indentation
    of the line that holds ``value``) sets.  Exact types first: they are nearly all a report
    holds, and ``type(...) is`` is cheaper than ``isinstance``."""
    kind = type(value)
    if kind is str:
        return encode_basestring_ascii(value)
    if kind is dict:
        return _mapping(value, newline)
    if kind is list or kind is tuple:
        return _sequence(value, newline)
    if kind is int:
        return int.__repr__(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    return _subclass_text(value, newline)


def _subclass_text(value: Any, newline: str) -> str:
    """Subclasses (an enum of strings, say) in the order ``json.dumps`` tests them."""
    if isinstance(value, str):
        return encode_basestring_ascii(value)
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float) and math.isfinite(value):
        return float.__repr__(value)
    if isinstance(value, (list, tuple)):
        return _sequence(value, newline)
    if isinstance(value, dict):
        return _mapping(value, newline)
    raise _NotPlain


def _mapping(mapping: dict[Any, Any], newline: str) -> str:
    if not mapping:
        return "{}"
    inner = newline + _INDENT
    entries = []
    for key, item in mapping.items():
        if not isinstance(key, str):
            raise _NotPlain
        # Strings are most of a report's values: written here without a call to _text.
        text = encode_basestring_ascii(item) if type(item) is str else _text(item, inner)
        entries.append(f"{encode_basestring_ascii(key)}: {text}")
    return "{" + inner + ("," + inner).join(entries) + newline + "}"


def _sequence(items: list[Any] | tuple[Any, ...], newline: str) -> str:
    if not items:
        return "[]"
    inner = newline + _INDENT
    return "[" + inner + ("," + inner).join([_text(item, inner) for item in items]) + newline + "]"


Item = TypeVar("Item")

# How much text :func:`chunks_indented` gathers before it hands a piece on: few enough pieces
# that writing them costs no more than writing one string, small enough to hold at once.
CHUNK = 1 << 20


class Lazy(Generic[Item]):
    """A list of a document whose values are made only as :func:`chunks_indented` writes them:
    ``make`` of each of ``items``, in order.  The findings of 800 roles each assuming hundreds
    of the others are 300,000 values, which held as dictionaries took more memory than the
    whole rest of the run."""

    __slots__ = ("items", "make")

    def __init__(self, items: Iterable[Item], make: Callable[[Item], Any]) -> None:
        self.items = items
        self.make = make


def chunks_indented(document: Mapping[str, Any], end: str = "") -> Iterator[str]:
    """The text of ``json.dumps(document, indent=2)`` and ``end``, where each :class:`Lazy`
    value of ``document`` is the list of its values, in pieces of about :data:`CHUNK`
    characters: a report written piece by piece never holds its whole text (for a report of
    300,000 findings, 260 MB of it, with the list of pieces it was joined from).  A text
    shorter than that is one piece, written at once as before.  Only the values of
    ``document`` itself may be :class:`Lazy`; what :func:`dumps_indented` would leave to
    ``json.dumps`` is left to it value by value (its text nested in place: JSON's strings hold
    no line break, so the indentation of each line is all that changes)."""
    pieces: list[str] = []
    size = 0
    for piece in _document_pieces(document):
        pieces.append(piece)
        size += len(piece)
        if size >= CHUNK:
            yield "".join(pieces)
            pieces.clear()
            size = 0
    pieces.append(end)
    yield "".join(pieces)


def _document_pieces(document: Mapping[str, Any]) -> Iterator[str]:
    if not document:
        yield "{}"
        return
    inner = "\n" + _INDENT
    item_line = inner + _INDENT
    opener = "{"
    for key, value in document.items():
        yield f"{opener}{inner}{encode_basestring_ascii(key)}: "
        opener = ","
        if not isinstance(value, Lazy):
            yield _nested(value, inner)
            continue
        separator = "[" + item_line
        for item in value.items:
            yield separator + _nested(value.make(item), item_line)
            separator = "," + item_line
        yield "[]" if separator.startswith("[") else inner + "]"
    yield "\n}"


def _nested(value: Any, newline: str) -> str:
    """``value``'s text at the indentation ``newline`` sets, as :func:`_text` writes it, else
    as ``json.dumps`` does (which raises what it raises for the whole document)."""
    try:
        return _text(value, newline)
    except (_NotPlain, RecursionError):
        return json.dumps(value, indent=2).replace("\n", newline)
