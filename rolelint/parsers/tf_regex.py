"""Terraform's regular expressions, evaluated only where Python's ``re`` provably agrees.

Terraform reads a pattern as Go's ``regexp`` does (RE2 syntax), which matches in linear time.
``re`` backtracks: ``(a+)+$`` against a long text of ``a`` takes it exponential time, and a
hostile module must not stall a scan.  So a pattern is translated only when it is written in a
conservative subset of RE2, whose meaning ``re`` shares, and whose backtracking is bounded:

- characters, punctuation escaped with ``\\``, ``\\t \\n \\r \\f \\v``, ``.`` (never a newline);
- ``\\d \\D \\w \\W \\s \\S`` (ASCII, as in RE2) and classes such as ``[a-z0-9_-]`` or ``[^/]``;
- ``^`` and ``$`` (the start and end of the whole text, as RE2 reads them without flags), ``\\A``,
  ``\\z``, ``\\b``, ``\\B``;
- groups ``(...)`` and ``(?:...)``, alternatives ``a|b``;
- ``* + ? {n} {n,} {n,m}`` (greedy or lazy) after one character, ``.``, an escape or a class, and
  ``?`` after a group.

A repeated group (``(a+)+``, ``(ab)*``), flags, named groups, Unicode and POSIX classes, and a
pattern that may match the empty text (Go and Python place the replacements of empty matches
differently) are left alone, as is a pattern the bound below finds too costly for its text.

The bound: with no repeated group, each path ``re`` may try at one place of the text takes one
option at each alternative and a count at each repetition, so there are at most the product
of those counts (each at most the text's length plus one) summed over alternatives; and a
pattern anchored with ``^`` is tried at the start only.
"""

from __future__ import annotations

import re
import string
import unicodedata
from dataclasses import dataclass

# A pattern longer than this, or a text past which the paths re may try exceed MAX_PATHS, is
# not evaluated.
MAX_PATTERN = 256
MAX_PATHS = 1_000_000
# RE2 refuses a count over 1,000 in {n,m}.
MAX_COUNT = 1000

# RE2's \s is [\t\n\f\r ]; Python's also holds \v.
_SPACE = "\\t\\n\\f\\r "
_CLASS_ESCAPES = {"d": "\\d", "D": "\\D", "w": "\\w", "W": "\\W", "s": _SPACE}
_ATOM_ESCAPES = {**_CLASS_ESCAPES, "s": f"[{_SPACE}]", "S": f"[^{_SPACE}]"}
_CONTROL = {"t": "\t", "n": "\n", "r": "\r", "f": "\f", "v": "\v"}
_ASSERTIONS = {"A": "\\A", "z": "\\Z", "b": "\\b", "B": "\\B"}
_SPECIAL = set("\\.+*?()|[]{}^$")


class _Unsupported(Exception):
    """The pattern is outside the subset translated here."""


@dataclass(frozen=True, slots=True)
class _Atom:
    """One character of the text: a literal, ``.``, an escape such as ``\\d``, or a class."""

    text: str


@dataclass(frozen=True, slots=True)
class _Assertion:
    """A place, matching no character: ``^``, ``$``, ``\\b``."""

    text: str


@dataclass(frozen=True, slots=True)
class _Group:
    inner: _Alternatives
    capturing: bool


@dataclass(frozen=True, slots=True)
class _Repeat:
    item: _Atom | _Group
    low: int
    high: int | None  # None: no upper limit
    lazy: bool


_Item = _Atom | _Assertion | _Group | _Repeat


@dataclass(frozen=True, slots=True)
class _Alternatives:
    branches: tuple[tuple[_Item, ...], ...]


def translated(pattern: str, text_length: int, *, whole: bool = False) -> re.Pattern[str] | None:
    """``pattern`` (RE2) as a compiled ``re`` pattern that finds the same matches in
    ``text_length`` characters, with bounded backtracking; None when that is not certain.
    ``whole``: it is only matched against whole texts (``fullmatch``), so one that may match
    the empty text is translated too (only replacements place empty matches apart)."""
    if len(pattern) > MAX_PATTERN:
        return None
    try:
        tree = _Parser(pattern).parse()
    except _Unsupported:
        return None
    if (_nullable(tree) and not whole) or _paths(tree, text_length) > MAX_PATHS:
        return None
    return re.compile(_python(tree), re.ASCII)


def replace_all(regex: re.Pattern[str], text: str, template: str, limit: int) -> str | None:
    """Every match of ``regex`` in ``text`` replaced as Go's ``ReplaceAllString`` does, with
    ``$1``, ``${1}`` and ``$$`` in ``template``; None once the result is over ``limit``
    characters.  (``regex`` never matches the empty text: see :func:`translated`.)"""
    pieces: list[str] = []
    size = 0
    last = 0
    for match in regex.finditer(text):
        pieces.append(text[last : match.start()])
        expanded = _expand(template, match, limit - size)
        if expanded is None:
            return None
        pieces.append(expanded)
        size += match.start() - last + len(expanded)
        last = match.end()
        if size > limit:
            return None
    pieces.append(text[last:])
    return None if size + len(text) - last > limit else "".join(pieces)


# --- the parser -----------------------------------------------------------------------------------


class _Parser:
    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        self.at = 0

    def parse(self) -> _Alternatives:
        tree = self.alternatives()
        if self.at != len(self.pattern):
            raise _Unsupported  # a ")" without its "("
        return tree

    def peek(self, offset: int = 0) -> str:
        index = self.at + offset
        return self.pattern[index] if index < len(self.pattern) else ""

    def take(self) -> str:
        char = self.peek()
        if not char:
            raise _Unsupported
        self.at += 1
        return char

    def alternatives(self) -> _Alternatives:
        branches = [self.sequence()]
        while self.peek() == "|":
            self.at += 1
            branches.append(self.sequence())
        return _Alternatives(tuple(branches))

    def sequence(self) -> tuple[_Item, ...]:
        items: list[_Item] = []
        while self.peek() not in ("", "|", ")"):
            items.append(self.repeated(self.item()))
        return tuple(items)

    def item(self) -> _Atom | _Assertion | _Group:
        char = self.take()
        if char == "(":
            capturing = not self.pattern.startswith("?", self.at)
            if not capturing:
                if not self.pattern.startswith("?:", self.at):
                    raise _Unsupported  # flags, named groups
                self.at += 2
            inner = self.alternatives()
            if self.take() != ")":
                raise _Unsupported
            return _Group(inner, capturing)
        if char == "[":
            return _Atom(self.character_class())
        if char == ".":
            return _Atom(".")
        if char == "^":
            return _Assertion("\\A")
        if char == "$":
            return _Assertion("\\Z")
        if char == "\\":
            escaped = self.take()
            if escaped in _ASSERTIONS:
                return _Assertion(_ASSERTIONS[escaped])
            if escaped in _ATOM_ESCAPES:
                return _Atom(_ATOM_ESCAPES[escaped])
            return _Atom(re.escape(_escaped_character(escaped)))
        if char in _SPECIAL:
            raise _Unsupported  # a quantifier with nothing to repeat, "]", "{", "}"
        return _Atom(re.escape(char))

    def repeated(self, item: _Atom | _Assertion | _Group) -> _Item:
        bounds = self.quantifier()
        if bounds is None:
            return item
        low, high = bounds
        lazy = self.peek() == "?"
        self.at += lazy
        if self.peek() and self.peek() in "*+?{":
            raise _Unsupported  # a**: RE2 refuses it; a*+ is possessive to Python
        if isinstance(item, _Assertion):
            raise _Unsupported
        if isinstance(item, _Group) and (low, high) != (0, 1):
            raise _Unsupported  # a repeated group is how backtracking explodes
        return _Repeat(item, low, high, lazy)

    def quantifier(self) -> tuple[int, int | None] | None:
        char = self.peek()
        if char in ("*", "+", "?") and char:
            self.at += 1
            return {"*": (0, None), "+": (1, None), "?": (0, 1)}[char]
        if char != "{":
            return None
        found = re.compile(r"\{(\d{1,4})(,(\d{0,4}))?\}").match(self.pattern, self.at)
        if found is None:
            raise _Unsupported  # a literal "{" to RE2: rare, and left alone
        low = int(found.group(1))
        high = low if found.group(2) is None else int(found.group(3)) if found.group(3) else None
        if low > MAX_COUNT or (high is not None and not low <= high <= MAX_COUNT):
            raise _Unsupported
        self.at = found.end()
        return low, high

    def character_class(self) -> str:
        """The class after its ``[``, written back with every character escaped."""
        negated = self.peek() == "^"
        self.at += negated
        parts: list[str] = []
        first = True
        while first or self.peek() != "]":
            first = False
            low = self.class_character()
            if low is None:
                escaped = self.pattern[self.at - 1]
                parts.append(_CLASS_ESCAPES[escaped])
                if self.peek() == "-" and self.peek(1) not in ("]", ""):
                    raise _Unsupported  # [\d-z]: RE2 refuses the range
                continue
            if self.peek() == "-" and self.peek(1) not in ("]", ""):
                self.at += 1
                high = self.class_character()
                if high is None or high < low:
                    raise _Unsupported
                parts.append(f"{re.escape(low)}-{re.escape(high)}")
            else:
                parts.append(re.escape(low))
        self.at += 1  # the closing "]"
        return f"[{'^' if negated else ''}{''.join(parts)}]"

    def class_character(self) -> str | None:
        """One character of a class; None for an escape naming several (``\\d``)."""
        char = self.take()
        if char == "[":
            raise _Unsupported  # [[:alpha:]], and what Python reads as a nested set
        if char != "\\":
            return char
        escaped = self.take()
        if escaped in _CLASS_ESCAPES:
            return None
        return _escaped_character(escaped)


def _escaped_character(escaped: str) -> str:
    """The character ``\\`` + ``escaped`` stands for: punctuation or a control character."""
    if escaped in _CONTROL:
        return _CONTROL[escaped]
    if escaped in string.punctuation:
        return escaped
    raise _Unsupported  # \pL, \x{41}, \Q...\E, octal, a class RE2 and Python read apart


# --- what the tree means --------------------------------------------------------------------------


def _python(node: _Alternatives | _Item) -> str:
    if isinstance(node, _Alternatives):
        return "|".join("".join(_python(item) for item in branch) for branch in node.branches)
    if isinstance(node, (_Atom, _Assertion)):
        return node.text
    if isinstance(node, _Group):
        return f"({'' if node.capturing else '?:'}{_python(node.inner)})"
    item = _python(node.item)
    high = "" if node.high is None else str(node.high)
    count = f"{{{node.low},{high}}}" if node.high != node.low else f"{{{node.low}}}"
    return f"{item}{count}{'?' if node.lazy else ''}"


def _nullable(node: _Alternatives | _Item) -> bool:
    """Whether the node may match the empty text."""
    if isinstance(node, _Alternatives):
        return any(all(_nullable(item) for item in branch) for branch in node.branches)
    if isinstance(node, _Atom):
        return False
    if isinstance(node, _Assertion):
        return True
    if isinstance(node, _Group):
        return _nullable(node.inner)
    return node.low == 0 or _nullable(node.item)


def _paths(tree: _Alternatives, length: int) -> int:
    """An upper bound of the paths ``re`` may try over a text of ``length`` characters."""
    at_one_place = _count(tree, length)
    anchored = len(tree.branches) == 1 and tree.branches[0][:1] == (_Assertion("\\A"),)
    # Anchored, every other place fails at once.
    return at_one_place + length if anchored else at_one_place * (length + 1)


def _count(node: _Alternatives | _Item, length: int) -> int:
    """The paths at one place of the text, capped just past MAX_PATHS."""
    if isinstance(node, _Alternatives):
        total = sum(_sequence_count(branch, length) for branch in node.branches)
    elif isinstance(node, (_Atom, _Assertion)):
        total = 1
    elif isinstance(node, _Group):
        total = _count(node.inner, length)
    elif isinstance(node.item, _Group):  # (...)? : with it, or without
        total = _count(node.item, length) + 1
    else:
        high = length if node.high is None else min(node.high, length)
        total = max(high - node.low + 1, 1)
    return min(total, MAX_PATHS + 1)


def _sequence_count(items: tuple[_Item, ...], length: int) -> int:
    total = 1
    for item in items:
        total = min(total * _count(item, length), MAX_PATHS + 1)
    return total


# --- Go's replacement templates -------------------------------------------------------------------


def _expand(template: str, match: re.Match[str], limit: int) -> str | None:
    """``template`` with ``$n`` / ``${n}`` replaced by group n of ``match`` and ``$$`` by
    ``$``, as Go's ``Regexp.Expand`` does: a name is the longest run of letters, digits and
    ``_`` (``$1x`` is the group named ``1x``: none, so nothing), a reference to a group that
    does not exist or did not take part is empty, and a ``$`` that starts no reference stays.
    None once the text is over ``limit`` characters."""
    pieces: list[str] = []
    size = 0
    at = 0
    while size <= limit:
        dollar = template.find("$", at)
        if dollar < 0:
            pieces.append(template[at:])
            size += len(template) - at
            break
        pieces.append(template[at:dollar])
        size += dollar - at
        at = dollar + 1
        if template.startswith("$", at):
            pieces.append("$")
            size += 1
            at += 1
            continue
        reference = _reference(template, at)
        if reference is None:
            pieces.append("$")
            size += 1
            continue
        name, at = reference
        number = _group_number(name)
        if number is not None and number <= (match.re.groups or 0):
            group = match.group(number) or ""
            pieces.append(group)
            size += len(group)
    return "".join(pieces) if size <= limit else None


def _reference(template: str, start: int) -> tuple[str, int] | None:
    """The name of the reference starting at ``start`` (after its ``$``), and where it ends."""
    braced = template.startswith("{", start)
    end = start + braced
    while end < len(template) and _name_character(template[end]):
        end += 1
    if end == start + braced:
        return None
    name = template[start + braced : end]
    if braced:
        if not template.startswith("}", end):
            return None
        end += 1
    return name, end


def _name_character(char: str) -> bool:
    """A letter or decimal digit as Go's unicode package reads them, or ``_``."""
    return char == "_" or unicodedata.category(char)[0] == "L" or unicodedata.category(char) == "Nd"


def _group_number(name: str) -> int | None:
    """The group a name numbers (ASCII digits, no leading zero); None for a name."""
    if not all("0" <= char <= "9" for char in name) or len(name) > 8:
        return None
    if name.startswith("0") and len(name) > 1:
        return None
    return int(name)
