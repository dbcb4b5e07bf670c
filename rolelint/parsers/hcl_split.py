"""Where a large HCL file can be cut into pieces that parse on their own.

python-hcl2 builds a Lark tree of about 110 bytes of memory for each byte of input before
rolelint converts it into its own much smaller tree: a 10 MB ``.tf`` file took 1.9 GB.  Parsing
such a file a piece at a time keeps one piece's tree alive, not the whole file's.

A piece ends at the start of a line where no bracket, string, interpolation, heredoc or comment
is open: between two top-level blocks or attributes.  This module only *proposes* such places,
reading the text the way the grammar's lexer does (strings may span lines, heredocs end at the
first line holding their marker, ``$${`` and ``%%{`` are not interpolations).  The caller parses
each piece and parses the whole file instead if any piece fails: a place proposed wrongly leaves
an unclosed bracket, string, heredoc or comment, or a statement cut short, in one of the pieces,
which then fails to parse, so a wrong proposal costs time, never a different result.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

# In code (outside strings): the next character or sequence that opens or closes something,
# and, where nothing is open, the next line break.
_CODE = re.compile(r'[{}()\[\]"]|#|//|/\*|<<|\\"')
_TOP_LEVEL_CODE = re.compile(r'[{}()\[\]"\n]|#|//|/\*|<<|\\"')
# In a quoted string: what ends it or opens an interpolation, or a backslash's escape.  A ``$${``
# or ``%%{`` is skipped with all up to its ``}`` (:class:`_Closers`), as the expression
# ``\$\$\{[^}]*\}`` did, which read one without a ``}`` after it to the end of the text, and
# the next one again: a 576 KB file ending in a string of 80,000 ``$${"`` took 42 s.
_STRING = re.compile(r'\\.|\$\$\{|%%\{|[$%]\{|"', re.DOTALL)
_ESCAPES = ("$${", "%%{")
# str.find, named here so that the tests can count the characters the scan reads with it.
_find = str.find
_LINE_COMMENT_END = re.compile(r"[^\n]*")
_BLOCK_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)  # .*? : no backtracking frame per character
# A string escaped inside a template directive (the grammar's TEMPLATE_STRING).
_ESCAPED_STRING = re.compile(r'\\"(?:[^"\\]|\\.)*\\"')
_HEREDOC_START = re.compile(r"<<-?([a-zA-Z][a-zA-Z0-9._-]*)\r?\n")
_CLOSING = {"}": "{", ")": "(", "]": "["}
_INTERPOLATION = "$"  # on the stack: an interpolation or directive open inside a string


def _heredoc_end(text: str, start: int) -> int | None:
    r"""Where the heredoc opened at ``start`` (at ``<<``) ends, as the grammar's HEREDOC_TEMPLATE
    terminals end it; None when it is not a heredoc.

    The grammar's body, ``(?:(?:.|\n)*?\r?\n)??`` before ``\s*MARKER\r?\n``, is the shortest that
    ends at the start of the body or after a line break: the first place after a line break
    (the opening line ends with one) where ``\s*MARKER\r?\n`` matches.  Searched for that way,
    without the lazy ``(?:.|\n)*?``, which keeps a backtracking frame per character (116 MB for
    a 1 MB heredoc).
    """
    found = _heredoc_at(text, start)
    return found[2] if found is not None else None


def _heredoc_at(text: str, start: int) -> tuple[int, int, int] | None:
    """Where the body of the heredoc opened at ``start`` starts, where its closing line starts
    (with the whitespace before the marker) and where it ends; None when it is no heredoc."""
    opening = _HEREDOC_START.match(text, start)
    if opening is None:
        return None
    closing = _heredoc_closing(opening.group(1)).search(text, opening.end())
    if closing is None:
        return None
    return opening.end(), closing.start(), closing.end()


@functools.lru_cache(maxsize=256)
def _heredoc_closing(marker: str) -> re.Pattern[str]:
    return re.compile(r"(?<=\n)\s*" + re.escape(marker) + r"\r?\n")


def top_level_line_starts(text: str) -> Iterator[int]:
    """Offsets of line starts where nothing is open, in order; stops early (proposing nothing
    further) where the text does not read as HCL, since a piece cut there could not parse."""
    return _scan(text, None)


def long_tokens(text: str) -> list[tuple[int, int, int, int]]:
    """Each heredoc and each block comment over several lines, as python-hcl2's lexer reads
    them, in order: where the token starts, the part of it that is whole lines in between (a
    heredoc's body; a comment's lines but its first and last) and where it ends.  Those after a
    place where the text stops reading as HCL are not listed."""
    found: list[tuple[int, int, int, int]] = []
    for _ in _scan(text, found):
        pass
    return found


def _scan(text: str, tokens: list[tuple[int, int, int, int]] | None) -> Iterator[int]:
    """The reading behind both: top-level line starts yielded, long tokens added to ``tokens``."""
    stack: list[str] = []
    offset = 0
    in_string = False
    length = len(text)
    closers = _Closers(text)
    while offset < length:
        if in_string:
            match = _STRING.search(text, offset)
            if match is None:
                return  # an unterminated string
            token = match.group()
            offset = match.end()
            if token in _ESCAPES:
                close = closers.after(offset)
                if close is not None:
                    offset = close + 1  # a literal, skipped whole
                    continue
                # No "}" closes it: as the expression read it, the "$" (or "%") is text and
                # an interpolation (or a directive) opens at the next character.
                token = token[1:]
            if token == '"':
                in_string = False
            elif token in ("${", "%{"):
                stack.append(_INTERPOLATION)
                in_string = False
            continue
        match = (_CODE if stack else _TOP_LEVEL_CODE).search(text, offset)
        if match is None:
            return
        token = match.group()
        offset = match.end()
        if token == "\n":
            if not stack:
                yield offset
        elif token == '"':
            in_string = True
        elif token in "{([":
            stack.append(token)
        elif token in "})]":
            if not stack:
                return
            opened = stack.pop()
            if opened == _INTERPOLATION and token == "}":
                in_string = True
            elif opened != _CLOSING[token]:
                return
        elif token in ("#", "//"):
            offset = _LINE_COMMENT_END.match(text, offset).end()  # type: ignore[union-attr]
        elif token == "/*":
            comment = _BLOCK_COMMENT.match(text, match.start())
            if comment is None:
                return
            offset = comment.end()
            if tokens is not None:
                inner_start = text.find("\n", comment.start(), offset) + 1
                inner_end = text.rfind("\n", comment.start(), offset) + 1
                if 0 < inner_start < inner_end:
                    tokens.append((comment.start(), inner_start, inner_end, offset))
        elif token == "<<":
            found = _heredoc_at(text, match.start())
            if found is not None:
                if tokens is not None:
                    tokens.append((match.start(), *found))
                offset = found[2]
                if not stack:
                    yield offset  # a heredoc's match ends with its closing line's break
        else:  # an escaped string in a directive
            escaped = _ESCAPED_STRING.match(text, match.start())
            if escaped is not None:
                offset = escaped.end()


class _Closers:
    """Where the next ``}`` of a text is, looked for from later and later offsets: once none
    is left after one offset, none is after any later one, and the text is not read again."""

    __slots__ = ("_none_from", "_text")

    def __init__(self, text: str) -> None:
        self._text = text
        self._none_from = len(text) + 1  # no "}" at or after this offset

    def after(self, offset: int) -> int | None:
        if offset >= self._none_from:
            return None
        found = _find(self._text, "}", offset)
        if found < 0:
            self._none_from = offset
            return None
        return found


def pieces(text: str, size: int) -> list[tuple[int, str]]:
    """``text`` cut at top-level line starts into pieces of at least ``size`` characters (the
    last may be shorter), each with the number of lines before it."""
    result: list[tuple[int, str]] = []
    start = 0
    lines_before = 0
    for cut in top_level_line_starts(text):
        if cut - start >= size and cut < len(text):
            piece = text[start:cut]
            result.append((lines_before, piece))
            lines_before += piece.count("\n")
            start = cut
    result.append((lines_before, text[start:]))
    return result
