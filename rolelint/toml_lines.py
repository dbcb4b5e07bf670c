"""The line of each key of a TOML table, for configuration error messages.

Python's TOML reader (tomllib) gives values without positions, so an error about
``[tool.rolelint]`` could name the file but not the line.  This scan finds where each key (and
each item of an array of strings, and each key of an inline table) is written.  It only has to
be right for files tomllib has already accepted, and only steers error messages: a key it cannot
place gets no line, never a wrong value.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

KeyLines = dict[tuple[str, ...], int]

_KEY_PART = r'(?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|\'[^\']*\')'
_DOTTED_KEY = rf"{_KEY_PART}(?:\s*\.\s*{_KEY_PART})*"
_HEADER = re.compile(rf"^\s*\[\[?\s*({_DOTTED_KEY})\s*\]\]?")
_ASSIGNMENT = re.compile(rf"^\s*({_DOTTED_KEY})\s*=\s*")
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"|\'[^\']*\'')
# In an inline table: a key (after its table's ``{`` or a ``,``), a string, a bracket.
_INLINE_TOKEN = re.compile(rf"[{{,]\s*({_DOTTED_KEY})\s*=|{_STRING.pattern}|[{{}}\[\]]")


def key_lines(text: str, table: tuple[str, ...]) -> KeyLines:
    """The line (1-based) of each key path under ``table`` (``("tool", "rolelint")``), the
    first time it is written; array items by their index as text."""
    lines: KeyLines = {}
    current: tuple[str, ...] = ()
    array: tuple[tuple[str, ...], int] | None = None  # an open multi-line array and its next item
    closing: str | None = None  # the quotes that end an open multi-line string
    for number, line in enumerate(text.splitlines(), start=1):
        if closing is not None:
            if closing in line:
                closing = None
            continue
        if array is not None:
            array = _array_items(line, array, lines, number)
            continue
        header = _HEADER.match(line)
        if header and not _ASSIGNMENT.match(line):
            current = _parts(header.group(1))
            table_path = _under(table, current)
            if table_path is not None:
                lines.setdefault(table_path, number)
            continue
        assignment = _ASSIGNMENT.match(line)
        if assignment is None:
            continue
        full = (*current, *_parts(assignment.group(1)))
        path = _under(table, full)
        rest = line[assignment.end() :]
        if path is not None:
            lines.setdefault(path, number)
        if rest.startswith("{"):
            # Also when the assignment is the table, or encloses it: ``[tool]`` then
            # ``rolelint = {fail-on = "x"}`` gave its keys no line.
            for keys in _inline_keys(_strip_strings(rest)):
                inline = _under(table, (*full, *keys))
                if inline is not None:
                    lines.setdefault(inline, number)
        if rest.startswith("["):
            open_array = (path, 0) if path is not None else ((), 0)
            array = _array_items(rest[1:], open_array, lines if path is not None else {}, number)
        elif rest.startswith(('"""', "'''")) and rest.count(rest[:3]) == 1:
            closing = rest[:3]
    return lines


def _inline_keys(text: str) -> Iterator[tuple[str, ...]]:
    """The key path of each key of the inline table ``text`` starts with, nested tables' keys
    under theirs (``{RL305 = {max-session-duration = 1}}``: ``RL305``, then
    ``RL305.max-session-duration``; they were all taken as the outer table's).  Keys of tables
    inside an array are left out: they have no key path of their own."""
    stack: list[tuple[str, ...] | None] = []  # each open bracket's key path; None: an array
    last: tuple[str, ...] = ()  # the key just read, whose value a ``{`` or ``[`` opens
    for token in _INLINE_TOKEN.finditer(text):
        opening = token.group()[0]
        if opening == "{":
            outer = stack[-1] if stack else ()
            stack.append(None if outer is None else (*outer, *last))
        elif opening == "[":
            stack.append(None)
        elif opening in "}]":
            if stack:
                stack.pop()
            if not stack:
                return  # the table is closed: what follows is no part of it
        if token.group(1) is not None and stack:
            last = _parts(token.group(1))
            if stack[-1] is not None:
                yield (*stack[-1], *last)


def _array_items(
    line: str, array: tuple[tuple[str, ...], int], lines: KeyLines, number: int
) -> tuple[tuple[str, ...], int] | None:
    """Record the strings of an array written on this line; the array still open after it
    (with the index of its next item), or None once its ``]`` is reached."""
    path, index = array
    position = 0
    while position < len(line):
        char = line[position]
        if char == "#":
            break
        if char == "]":
            return None
        string = _STRING.match(line, position)
        if string is not None:
            if path:
                lines.setdefault((*path, str(index)), number)
            index += 1
            position = string.end()
            continue
        position += 1
    return path, index


def _under(table: tuple[str, ...], path: tuple[str, ...]) -> tuple[str, ...] | None:
    """The key path relative to ``table``; None when it is outside the table or is the table
    itself."""
    if len(path) <= len(table) or path[: len(table)] != table:
        return None
    return path[len(table) :]


def _parts(dotted: str) -> tuple[str, ...]:
    return tuple(_unquoted(part.group(0)) for part in re.finditer(_KEY_PART, dotted))


def _unquoted(part: str) -> str:
    if part[:1] == '"':
        try:
            text = json.loads(part)  # TOML's basic-string escapes are JSON's, but \U
        except ValueError:
            return part[1:-1]
        return text if isinstance(text, str) else part[1:-1]
    if part[:1] == "'":
        return part[1:-1]
    return part


def _strip_strings(text: str) -> str:
    """The text with string values blanked out, so an ``=`` inside a value is no key."""
    return _STRING.sub(lambda match: match.group(0) if _is_key(text, match) else '""', text)


def _is_key(text: str, match: re.Match[str]) -> bool:
    """Whether a quoted string is a key: followed by ``=`` or ``.``."""
    following = text[match.end() :].lstrip()
    return following.startswith(("=", "."))
