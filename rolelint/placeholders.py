"""The ``${...}`` of a text, found in one pass.

A ``${...}`` is ``${``, then anything but ``}``, then ``}``: what the regular expression
``\\$\\{[^}]*\\}`` matches.  It is a CloudFormation ``Fn::Sub`` variable, an IAM policy variable
(``${aws:username}``), the stand-in the parsers write for a value only deployment knows
(``${AWS::AccountId}``) and a field of an ARN template of the action catalog
(``${BucketName}``): one definition for all of them, here.

Searched with that expression, a ``${`` that no ``}`` follows is read to the end of the text
before the search tries the next ``${``, which is read to the end again: an ``Fn::Sub`` of
100,000 ``${`` (200 KB) took 99 s.  Here the first ``${`` that no ``}`` follows ends the
search, since no later ``${`` has a ``}`` after it either; each character is looked at a
bounded number of times, and what is found is what the expression's ``finditer`` finds, span
for span.  :class:`Enclosed` generalizes the shape, for a search that takes the leftmost of
several kinds as an alternation (``a|b``) does.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

# str.find, named here so that the tests can count the characters the search reads.
_find = str.find


@dataclass(frozen=True)
class Enclosed:
    """What the regular expression ``(?:opener|...)[^closer]*closer`` matches: one of
    ``openers``, anything but ``closer`` (one character), then ``closer``.  ``closer`` is in no
    opener, so that one opener without a closer after it means none after any later opener."""

    openers: tuple[str, ...]
    closer: str

    def __post_init__(self) -> None:
        if len(self.closer) != 1 or any(self.closer in opener for opener in self.openers):
            raise ValueError(f"not a closer of its own: {self.closer!r}")


VARIABLE = Enclosed(("${",), "}")


class Pattern:
    """The regular expression of an :class:`Enclosed` kind (``pattern``, to build others
    from), as callers use one: ``finditer``, ``search``, ``sub`` and ``match`` give its own
    matches (their ``string``, ``start()``, ``group()``), but search no further than the
    text's last closer, which ends every match.  An opener after it ends none, and the
    expression searching the whole text read from each such opener to the end before it tried
    the next (20,000 ``<generated:`` in a RoleName: 4 s).  Before the last closer, every opener
    has a closer after it: each try ends in a match, and the next starts past that match, so
    each character is read a bounded number of times."""

    __slots__ = ("_expression", "kind", "pattern")

    def __init__(self, kind: Enclosed) -> None:
        self.kind = kind
        openers = "|".join(map(re.escape, kind.openers))
        closer = re.escape(kind.closer)
        self.pattern = f"(?:{openers})[^{closer}]*{closer}"
        self._expression = re.compile(self.pattern)

    def _searched(self, text: str) -> int:
        """Where the search of ``text`` ends: past its last closer (0 when it has none)."""
        return text.rfind(self.kind.closer) + 1

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        return self._expression.finditer(text, 0, self._searched(text))

    def search(self, text: str) -> re.Match[str] | None:
        return self._expression.search(text, 0, self._searched(text))

    def match(self, text: str) -> re.Match[str] | None:
        """The match at the text's start (one try, however long the text)."""
        return self._expression.match(text)

    def sub(self, replacement: str | Callable[[re.Match[str]], str], text: str) -> str:
        pieces: list[str] = []
        position = 0
        for found in self.finditer(text):
            written = replacement(found) if callable(replacement) else found.expand(replacement)
            pieces += [text[position : found.start()], written]
            position = found.end()
        if not pieces:
            return text
        pieces.append(text[position:])
        return "".join(pieces)


def spans(text: str, kinds: Sequence[Enclosed] = (VARIABLE,)) -> Iterator[tuple[int, int]]:
    """Where each match of ``kinds`` starts and ends in ``text``, left to right, as the
    alternation of their expressions finds them (``finditer``): at each place the leftmost
    match, of the first kind that matches there.

    An opener's closer is looked for only once it is the leftmost opener: one further right
    may be inside the match of another.  A kind whose leftmost opener has no closer is left
    out from there on."""
    openers = [(opener, kind) for kind in kinds for opener in kind.openers]
    next_at = [_find(text, opener) for opener, _ in openers]  # each opener's next place
    ended: set[Enclosed] = set()  # the kinds no match of which is left
    position = 0
    while True:
        best = -1
        for index, (opener, kind) in enumerate(openers):
            if kind in ended or next_at[index] < 0:
                continue
            if next_at[index] < position:  # inside the match before: look again from its end
                next_at[index] = _find(text, opener, position)
            if next_at[index] >= 0 and (best < 0 or next_at[index] < next_at[best]):
                best = index
        if best < 0:
            return
        opener, kind = openers[best]
        start = next_at[best]
        close = _find(text, kind.closer, start + len(opener))
        if close < 0:
            ended.add(kind)
            continue
        position = close + 1
        yield start, position


def split(text: str, kinds: Sequence[Enclosed] = (VARIABLE,)) -> list[str]:
    """The parts of ``text`` around the matches of ``kinds`` (``re.split`` of their
    expression): one more than there are matches."""
    parts: list[str] = []
    position = 0
    for start, end in spans(text, kinds):
        parts.append(text[position:start])
        position = end
    parts.append(text[position:])
    return parts


def replaced(text: str, by: str) -> str:
    """``text`` with each ``${...}`` written ``by`` (``re.sub`` of the expression)."""
    if "${" not in text:
        return text
    return by.join(split(text))


def named(text: str) -> list[str]:
    """The parts of ``text`` around its ``${...}``, each followed by the name between the
    braces (``re.split`` of ``\\$\\{([^}]*)\\}``): literal parts at the even places, names at
    the odd ones."""
    parts: list[str] = []
    position = 0
    for start, end in spans(text):
        parts += [text[position:start], text[start + 2 : end - 1]]
        position = end
    parts.append(text[position:])
    return parts


def whole(text: str) -> str | None:
    """The name of the ``${...}`` that is all of ``text``, else None (``fullmatch``)."""
    first = next(spans(text), None)
    return text[2:-1] if first == (0, len(text)) else None
