"""``${...}`` found in one pass: what the regular expressions found, span for span, and each
character read a bounded number of times however many ``${`` no ``}`` closes."""

from __future__ import annotations

import re
from types import ModuleType

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rolelint import placeholders
from rolelint.model import NAME_STAND_IN, NAME_STAND_IN_ENCLOSED
from rolelint.placeholders import VARIABLE, Enclosed

# The expressions the search replaces, as they were written.
_VARIABLE = re.compile(r"\$\{([^}]*)\}")
_STAND_IN = NAME_STAND_IN_ENCLOSED
_NOT_LITERAL = re.compile(r"\$\{[^}]*\}|" + NAME_STAND_IN.pattern)

_PIECES = ["$", "{", "}", "${", "$${", "x", "a b", "<", ">", "<generated:", "<unresolved name:"]
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
    assert stand_ins == [m.span() for m in NAME_STAND_IN.finditer(text)]
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
