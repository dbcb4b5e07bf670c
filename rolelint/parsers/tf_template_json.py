"""JSON written in a Terraform template (a heredoc, ``templatefile()``), read before rendering.

Terraform renders the template first and AWS reads the JSON that makes, so a ``${...}`` inside
a JSON string may hold what JSON itself would misread: ``"${var.public ? "a" : "b"}"``,
``"${format("arn:aws:s3:::%s/*", var.bucket)}"``, an interpolation spread over lines; and so
may a directive, ``"%{ if var.env == "prod" }...%{ endif }"``.  Such text is read as JSON only
once each character of those interpolations and directives that JSON would misread (``"``,
``\\``, a control character such as a line break) is masked by a stand-in of the same width;
the resolver of the JSON's strings restores them (:func:`restored`) before it reads the
interpolation, and :class:`MaskedLines` turns the positions of the masked text (where a masked
line break is no break) back into those of the text as written.  So is the whitespace that a
strip marker takes out (``"%{~ if var.x ~}`` then a line break): Terraform renders no line
break there, and the string's template strips it once restored.  In a string that interpolates,
the backslash of a JSON escape saying a character (``\\n``, ``\\u0024``) is masked too: the
template sees the escape as written, so a strip marker stops at it, and the literal text is
decoded once the template is read (:func:`decoded_escapes`).

What an interpolation renders is written into the JSON as it is: a rendered ``"``, ``\\`` or
control character changes what the JSON says (``"${join("\\",\\"", local.arns)}"`` makes
several strings), so such a value is never read as one string (:func:`misread_in_json`).
Nor is a string with a backslash right before an interpolation: a backslash is no escape in a
template, so Terraform renders the interpolation and JSON reads the backslash with the first
character rendered (:func:`escapes_interpolation`).
"""

from __future__ import annotations

import bisect
import json
import re
from typing import TYPE_CHECKING

from rolelint.source import UNIVERSAL_BREAKS, Span

if TYPE_CHECKING:  # hcl_adapter loads the grammar: imported where a text is masked
    from rolelint.parsers.hcl_adapter import Closings

# A masked character is the one in the Supplementary Private Use Area-A whose code is the
# character's plus _BASE: one code point, as wide as the character for every column counted.
_BASE = 0xF0000
_MASKED = '"\\' + "".join(chr(code) for code in range(0x20))
_MASK = {ord(char): _BASE + ord(char) for char in _MASKED}
_RESTORE = {stand_in: original for original, stand_in in _MASK.items()}
_STAND_IN = re.compile("[" + "".join(chr(code) for code in sorted(_RESTORE)) + "]")
_BREAK_STAND_IN = re.compile(f"[{chr(_MASK[10])}{chr(_MASK[13])}]")

# Outside strings: a string's start, a literal ``$${`` (no JSON, and no interpolation either)
# or a ``${...}`` written in place of a JSON value (which tf_eval.splice replaces).  Inside a
# string: its end, an escape, a literal ``$${`` or ``%%{``, a ``${...}`` or a ``%{...}``
# (escaped sequences first, as ``$${`` also holds ``${``).
STRING_OR_SPLICE = re.compile(r'"|\$\$\{|\$\{')
_IN_STRING = re.compile(r'["\\]|\$\$\{|%%\{|\$\{|%\{')
_TEMPLATE_START = re.compile(r"\$\$\{|%%\{|\$\{|%\{")
_LITERAL_STARTS = ("$${", "%%{")
# Where a template sequence starts: escaped ones first, as ``$${`` also holds ``${``.
_SEQUENCE = re.compile(r"\$\$\{|%%\{|\$\{|%\{")
_ESCAPE = re.compile(r"\$\$\{|%%\{")
# A masked backslash right before a ``${``, in a string JSON decoded: what only a backslash
# escaping an interpolation leaves there (restored() restores the interpolation, not it).
_ESCAPING_BACKSLASH = chr(_MASK[ord("\\")]) + "${"

# What JSON reads differently from what a rendered interpolation meant as part of one string.
_MISREAD = re.compile(r'["\\\x00-\x1f]')

# The JSON escapes masked in a string that interpolates (their backslash only): each says a
# character (``\\n`` a line feed, ``\\u0024`` a ``$``) JSON decodes only once Terraform has
# rendered the template, whose strip markers and sequences see the escape as written.  ``\\"``
# and ``\\\\`` are not: masked, JSON would read the quote, or the backslash, alone; they write
# no whitespace and no sequence.  A ``\\u`` without its four digits is no JSON: left as it is.
_MASKED_ESCAPE = re.compile(r"[bfnrt/]|u[0-9a-fA-F]{4}")
_BACKSLASH = chr(_MASK[ord("\\")])
# Masked escapes in a row, decoded together: a surrogate pair is two escapes.
_MASKED_ESCAPES = re.compile(f"(?:{_BACKSLASH}(?:[bfnrt/]|u[0-9a-fA-F]{{4}}))+")


def masked_strings(text: str) -> str:
    """``text`` with what JSON would misread inside each ``${...}`` and ``%{...}`` of its JSON
    strings masked.

    Each is brace-matched as HCL reads it (quoted strings and comments inside it included); a
    ``$${`` or ``%%{`` is a literal.  Text that already holds a stand-in (never written by hand) is
    returned as it is: restoring would change it.
    """
    if not maskable(text):
        return text
    from rolelint.parsers.hcl_adapter import Closings

    # The text between ``${`` and ``}`` in strings, and the whitespace beside their strip
    # markers: in order, possibly overlapping (:func:`_joined`).
    inside: list[tuple[int, int]] = []
    closings = Closings(text)
    index = 0
    while (mark := STRING_OR_SPLICE.search(text, index)) is not None:
        if mark.group() == '"':
            end = _string_end(text, mark.end(), inside, closings)
            if end is None:
                break  # unterminated: nothing after it is outside a string
            index = end
            continue
        if mark.group() == "$${":
            index = mark.end()  # as tf_eval.splice reads it: text, not an interpolation
            continue
        close = closings.at(mark.end())
        if close is None:
            break  # as tf_eval.splice reads it: the rest is not spliced
        index = close + 1
    if not inside:
        return text
    pieces: list[str] = []
    start = 0
    for first, last in _joined(inside):
        pieces.append(text[start:first])
        pieces.append(text[first:last].translate(_MASK))
        start = last
    pieces.append(text[start:])
    return "".join(pieces)


def _joined(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Ranges of a text, sorted, with those that overlap or touch made one."""
    joined: list[tuple[int, int]] = []
    for first, last in sorted(ranges):
        if joined and first <= joined[-1][1]:
            joined[-1] = (joined[-1][0], max(joined[-1][1], last))
        else:
            joined.append((first, last))
    return joined


def _stripped_beside(text: str, start: int, close: int) -> list[tuple[int, int]]:
    """The whitespace Terraform strips beside the ``${`` or ``%{`` whose text runs from
    ``start`` to its ``}`` at ``close``: before it when it opens with ``~``, after it when it
    closes with ``~}`` (hcl_adapter.strip_before and strip_after: to the end of the line).
    Its line breaks and tabs are no JSON inside a string, but Terraform's rendering removes
    them before AWS reads the JSON: masked, the string is read, and its template strips them."""
    from rolelint.parsers.hcl_adapter import strip_after, strip_before

    found: list[tuple[int, int]] = []
    if text.startswith("~", start):
        found.append((strip_before(text, start - 2), start - 2))
    if close - start > 1 and text[close - 1] == "~":
        found.append((close + 1, strip_after(text, close + 1)))
    return [(first, last) for first, last in found if first < last]


def _string_end(
    text: str, index: int, inside: list[tuple[int, int]], closings: Closings
) -> int | None:
    """The offset past the JSON string whose content starts at ``index`` (None when it is not
    closed), each ``${...}`` and ``%{...}`` in it added to ``inside``.  A ``${`` without its
    ``}`` is read as text, as it was before interpolations were masked.

    A backslash escapes the next character for JSON, but is no escape in a template:
    Terraform renders a ``${...}`` (or reads a ``$${``) right after it first, and JSON then
    reads the backslash with what is rendered.  Such a backslash is masked with the
    interpolation (:func:`escapes_interpolation` finds it in the string JSON decodes)."""
    backslash = -1  # where the last backslash escaping the next character is
    escapes: list[tuple[int, int]] = []  # the backslashes of the escapes masked (_MASKED_ESCAPE)
    sequences = len(inside)
    while (mark := _IN_STRING.search(text, index)) is not None:
        token = mark.group()
        if token == '"':
            if len(inside) > sequences:  # the string interpolates: its template reads them
                inside.extend(escapes)
            return mark.end()
        if token == "\\":
            backslash = mark.start()
            if _MASKED_ESCAPE.match(text, mark.end()):
                escapes.append((backslash, backslash + 1))
            index = mark.end() if text.startswith("$", mark.end()) else mark.end() + 1
            continue
        index = mark.end()
        if token in ("${", "%{") and (close := closings.at(index)) is not None:
            if backslash == mark.start() - 1:
                inside.append((backslash, backslash + 1))
            inside.append((index, close))
            inside.extend(_stripped_beside(text, index, close))
            index = close + 1
    return None


def maskable(text: str) -> bool:
    """Whether :func:`masked_strings` masks what ``text`` interpolates in its strings: it holds
    a ``${`` or ``%{`` and no stand-in of its own (never written by hand), which restoring
    would change."""
    return ("${" in text or "%{" in text) and _STAND_IN.search(text) is None


def restored(string: str) -> str:
    """A string of masked JSON text, as JSON decoded it, with its interpolations and
    directives as written, and the whitespace their strip markers strip.

    Only what is between ``${`` (or ``%{``) and its ``}``, and beside a strip marker, is
    restored: what a JSON escape writes (``\\udb80\\udc22``) is the character it says, even
    a stand-in's."""
    if _STAND_IN.search(string) is None:
        return string
    from rolelint.parsers.hcl_adapter import Closings

    written = string.translate(_RESTORE)  # braces matched as in the text as written
    closings = Closings(written)
    ranges: list[tuple[int, int]] = []
    index = 0
    while (mark := _TEMPLATE_START.search(written, index)) is not None:
        index = mark.end()
        if mark.group() in _LITERAL_STARTS or (close := closings.at(index)) is None:
            continue
        ranges.append((index, close))
        ranges.extend(_stripped_beside(written, index, close))
        index = close
    pieces: list[str] = []
    start = 0
    for first, last in _joined(ranges):
        pieces.append(string[start:first])
        pieces.append(written[first:last])
        start = last
    pieces.append(string[start:])
    return "".join(pieces)


def decoded_escapes(literal: str) -> str:
    """A literal part of a string of masked JSON text, as JSON decoded it and its template
    read it, with the escapes :func:`masked_strings` masked decoded: what Terraform's rendering
    leaves of them for JSON to decode (a strip marker stops at one, ``\\n`` being no
    whitespace to the template).  Any other stand-in of a backslash in it is one of these: an
    escape writing one was masked too."""
    if _BACKSLASH not in literal:
        return literal
    return _MASKED_ESCAPES.sub(
        lambda mark: json.loads('"' + mark.group().replace(_BACKSLASH, "\\") + '"'), literal
    )


def interpolates(text: str) -> bool:
    """Whether template text holds a ``${`` or ``%{`` that is no escape (``$${``, ``%%{``):
    then what Terraform renders is not the text with its escapes rendered
    (:func:`rendered_escapes`), and JSON broken as written may not be broken once rendered."""
    return any(mark.group() in ("${", "%{") for mark in _SEQUENCE.finditer(text))


def rendered_escapes(text: str) -> str:
    """Template text that :func:`interpolates` nothing as Terraform renders it: ``$${`` is
    ``${`` and ``%%{`` is ``%{`` (``$$${`` a ``$`` and an escape, as HCL's scanner reads it)."""
    return _ESCAPE.sub(lambda mark: mark.group()[1:], text)


def escapes_interpolation(string: str) -> bool:
    """Whether a string of masked JSON text, as JSON decoded it, has a backslash that escapes
    what an interpolation right after it renders (masked by :func:`masked_strings`): JSON reads
    the backslash with the first character rendered (``\\n`` a line break, ``\\a`` no JSON)."""
    return _ESCAPING_BACKSLASH in string


def misread_in_json(text: str) -> bool:
    """Whether ``text``, rendered into a JSON string, reads as other than that text."""
    return _MISREAD.search(text) is not None


class MaskedLines:
    """Positions in masked text (a masked line break is none) as positions in the text as
    written: the two have the same length, so an offset is the same in both."""

    __slots__ = ("masked_starts", "written_starts")

    def __init__(self, masked: str) -> None:
        self.masked_starts = [0] + [match.end() for match in UNIVERSAL_BREAKS.finditer(masked)]
        written = UNIVERSAL_BREAKS.finditer(masked.translate(_RESTORE))
        self.written_starts = [0] + [match.end() for match in written]

    def span(self, span: Span) -> Span:
        line, column = self._written(span.line, span.column)
        end_line, end_column = self._written(span.end_line, span.end_column)
        return Span(line, column, end_line, end_column)

    def _written(self, line: int, column: int) -> tuple[int, int]:
        offset = self.masked_starts[line - 1] + column - 1
        written_line = bisect.bisect_right(self.written_starts, offset)
        return written_line, offset - self.written_starts[written_line - 1] + 1


def masked_lines(masked: str) -> MaskedLines | None:
    """The positions of text :func:`masked_strings` masked as written: None when it masks no
    line break, the positions of the masked text being those of the text as written."""
    return MaskedLines(masked) if _BREAK_STAND_IN.search(masked) else None
