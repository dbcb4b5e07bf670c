"""``${...}`` found in one pass: what the regular expressions found, span for span, and each
character read a bounded number of times however many ``${`` no ``}`` closes."""

from __future__ import annotations

import re
import sys
from types import ModuleType

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rolelint import placeholders
from rolelint.model import NAME_STAND_IN, NAME_STAND_IN_ENCLOSED, UNRESOLVED_PATH
from rolelint.placeholders import VARIABLE, Enclosed, Pattern

# The expressions the search replaces, as they were written.
_VARIABLE = re.compile(r"\$\{([^}]*)\}")
_STAND_IN = NAME_STAND_IN_ENCLOSED
_NAME_STAND_IN = re.compile(r"<(?:generated|unresolved name):[^>]*>")
_UNRESOLVED_PATH = re.compile(r"/<unresolved path:[^>]*>")
_NOT_LITERAL = re.compile(r"\$\{[^}]*\}|" + _NAME_STAND_IN.pattern)

_PIECES = ["$", "{", "}", "${", "$${", "x", "a b", "<", ">", "<generated:", "<unresolved name:"]
_PIECES += ["/", "/<unresolved path:", "\\", "\\1"]
texts = st.lists(st.sampled_from(_PIECES), max_size=14).map("".join)


def reading(monkeypatch: pytest.MonkeyPatch, module: ModuleType = placeholders) -> list[int]:
    """Counts, in its one item, the characters ``module``'s search reads with ``str.find``
    (its ``_find``): from where it starts to the end of what it finds, or to the end of the
    text."""
    read = [0]

    def find(text: str, sub: str, start: int = 0) -> int:
        found = str.find(text, sub, start)
        read[0] += (found + len(sub) if found >= 0 else len(text)) - start
        return found

    monkeypatch.setattr(module, "_find", find)
    return read


@settings(max_examples=3000, deadline=None)
@given(texts)
def test_the_search_finds_what_the_expressions_found(text: str) -> None:
    assert list(placeholders.spans(text)) == [m.span() for m in _VARIABLE.finditer(text)]
    assert placeholders.split(text) == _VARIABLE.split(text)[::2]
    assert placeholders.named(text) == _VARIABLE.split(text)
    assert placeholders.replaced(text, "*") == _VARIABLE.sub("*", text)
    whole = _VARIABLE.fullmatch(text)
    assert placeholders.whole(text) == (whole.group(1) if whole else None)
    stand_ins = list(placeholders.spans(text, (_STAND_IN,)))
    assert stand_ins == [m.span() for m in _NAME_STAND_IN.finditer(text)]
    both = list(placeholders.spans(text, (VARIABLE, _STAND_IN)))
    assert both == [m.span() for m in _NOT_LITERAL.finditer(text)]
    assert placeholders.split(text, (VARIABLE, _STAND_IN)) == _NOT_LITERAL.split(text)


@pytest.mark.parametrize(
    "text",
    [
        "arn:aws:s3:::" + "${" * 20_000 + "/*",  # the hunt's Fn::Sub: no } at all
        "${" * 20_000 + "}",  # one } closes the first, the rest is text
        "${a}" * 5_000 + "${" * 20_000,  # closed ones, then unclosed ones
        "<generated:${" * 5_000,  # two kinds, neither closed
        "<generated:${" * 5_000 + ">",  # the stand-in holds every ${
        "${<generated:" * 5_000 + "}",  # the ${ holds every stand-in
    ],
)
def test_each_character_is_read_a_bounded_number_of_times(
    monkeypatch: pytest.MonkeyPatch, text: str
) -> None:
    """A ``${`` without a ``}`` after it was read to the end of the text before the next
    ``${`` was tried, and that one to the end again: 100,000 of them took 99 s."""
    read = reading(monkeypatch)
    found = list(placeholders.spans(text, (VARIABLE, _STAND_IN)))
    assert found == [m.span() for m in _NOT_LITERAL.finditer(text)]
    assert read[0] <= 3 * len(text)  # quadratic: about len(text) ** 2 / 4


def test_a_closer_in_an_opener_is_refused() -> None:
    with pytest.raises(ValueError):
        Enclosed(("<a>",), ">")


@settings(max_examples=3000, deadline=None)
@given(texts)
def test_a_pattern_answers_as_its_expression(text: str) -> None:
    """The stand-ins' Patterns give the matches of the expressions they replace: the same
    spans, match objects over the same text, and the same text substituted (a replacement
    written with a backslash or a group is read as the expression reads it)."""
    for pattern, expression in (
        (NAME_STAND_IN, _NAME_STAND_IN),
        (UNRESOLVED_PATH, _UNRESOLVED_PATH),
    ):
        assert re.compile(pattern.pattern).pattern  # builds others (graph.hops, policy_links)
        found = list(pattern.finditer(text))
        assert [(m.span(), m.string) for m in found] == [
            (m.span(), m.string) for m in expression.finditer(text)
        ]
        searched, expected = pattern.search(text), expression.search(text)
        assert (searched and searched.span()) == (expected and expected.span())
        matched, expected = pattern.match(text), expression.match(text)
        assert (matched and matched.span()) == (expected and expected.span())
        for replacement in ("", "x", "\\g<0>!"):
            assert pattern.sub(replacement, text) == expression.sub(replacement, text)
        said = lambda match: f"[{match.start()}:{match.group()}]"  # noqa: E731
        assert pattern.sub(said, text) == expression.sub(said, text)


class _Tries:
    """A Pattern's expression, adding to ``read`` what its searches read: each try, at an
    opener (the leftmost past the last match, else past the last try), reads on to the closer
    after it, or to the end of what it is given when none follows."""

    def __init__(self, pattern: Pattern, read: list[int]) -> None:
        self._expression = re.compile(pattern.pattern)
        self._openers = re.compile("|".join(map(re.escape, pattern.kind.openers)))
        self._closer = pattern.kind.closer
        self._read = read

    def _tries(self, text: str, position: int, end: int, first: bool) -> None:
        end = min(end, len(text))
        while (opener := self._openers.search(text, position, end)) is not None:
            closer = text.find(self._closer, opener.end(), end)
            self._read[0] += (end if closer < 0 else closer + 1) - opener.start()
            if closer >= 0 and first:
                return
            position = opener.start() + 1 if closer < 0 else closer + 1

    def finditer(self, text: str, position: int = 0, end: int = sys.maxsize) -> object:
        self._tries(text, position, end, first=False)
        return self._expression.finditer(text, position, end)

    def search(self, text: str, position: int = 0, end: int = sys.maxsize) -> object:
        self._tries(text, position, end, first=True)
        return self._expression.search(text, position, end)


_OPENERS = [
    "<generated:" * 5_000,  # no ">" after any
    "<generated:" * 2_500 + ">" + "<unresolved name:" * 2_500,  # one closed, then none
    "/<unresolved path:" * 5_000,
    "/<unresolved path:" * 2_500 + ">x>" + "/<unresolved path:" * 2_500,
]


@pytest.mark.parametrize("text", _OPENERS)
def test_stand_ins_are_searched_in_one_pass(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    """A RoleName or an ARN holding many ``<generated:`` (or ``/<unresolved path:``) that no
    ">" follows was read from each to the end of the text wherever a name's or a path's
    stand-in was looked for: 20,000 took 4 s for one search, 5 s for a substitution.  The
    expression is now given the text up to its last ">" only, where every try ends in a
    match (searched to the end, these texts of 55,000 to 90,000 characters count 53 to 450
    million)."""
    read = [0]
    for pattern, expression in (
        (NAME_STAND_IN, _NAME_STAND_IN),
        (UNRESOLVED_PATH, _UNRESOLVED_PATH),
    ):
        expected = expression.search(text)
        substituted = expression.sub("", text)
        monkeypatch.setattr(pattern, "_expression", _Tries(pattern, read))
        searched = pattern.search(text)
        assert (searched and searched.span()) == (expected and expected.span())
        assert pattern.sub("", text) == substituted
    assert read[0] <= 4 * len(text)  # each of the 4 searches reads each character once


def test_a_pattern_is_of_its_kind() -> None:
    kind = Enclosed(("<a:", "[b "), ">")
    pattern = Pattern(kind)
    assert pattern.kind is kind
    assert re.fullmatch(pattern.pattern, "[b x]>") and not re.fullmatch(pattern.pattern, "<a:>>")
