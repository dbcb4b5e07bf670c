"""IAM's ``*`` and ``?`` against literals, without backtracking (rolelint.wildcards)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rolelint.checks.iam_match import covers, overlaps
from rolelint.iam_actions import expand
from rolelint.wildcards import arn_like_fields, arn_pattern_fields, matcher


def _by_regex(pattern: str, text: str) -> bool:
    """The regular expression rolelint used before: right, but backtracking on many stars."""
    regex = re.escape(pattern).replace(r"\*", ".*").replace(r"\?", ".")
    return re.fullmatch(regex, text, re.DOTALL) is not None


@settings(max_examples=3000, deadline=None, derandomize=True, database=None)
@given(st.text("ab?*\n.", max_size=9), st.text("ab\n.", max_size=12))
def test_the_same_answers_as_the_regular_expression(pattern: str, text: str) -> None:
    assert matcher(pattern)(text) == _by_regex(pattern, text)


@pytest.mark.parametrize(
    ("pattern", "text", "expected"),
    [
        ("iam:Pass*", "iam:PassRole", True),
        ("*", "", True),
        ("a*b*c", "abc", True),
        ("a*b*c", "ac", False),
        ("a?*?b", "axb", False),
        ("a?*?b", "axyb", True),
        ("*a*", "bab", True),
        ("**", "x", True),
        ("a*a*a", "aa", False),  # the pieces may not overlap
        ("arn:aws:iam::*:role/*-admin*", "arn:aws:iam::1:role/x-admin", True),
    ],
)
def test_examples(pattern: str, text: str, expected: bool) -> None:
    assert matcher(pattern)(text) is expected


def test_many_stars_against_a_long_text_answer_at_once() -> None:
    """The regular expression took 19 s for ten stars against forty a's, hours for twelve."""
    hostile = "*a" * 40 + "*b"
    assert matcher(hostile)("a" * 2048) is False
    assert matcher(hostile)("a" * 2048 + "b") is True
    arn = "arn:aws:iam::123456789012:role/" + "a" * 64
    assert not overlaps("arn:aws:iam::*:role/" + "*a" * 30 + "*z", arn, case_sensitive=True)
    assert not covers("arn:*" + "a*" * 30 + "z", arn, case_sensitive=True)
    assert expand("iam:" + "*a" * 30 + "*zzz") == ()


def test_long_pieces_are_found_without_compiling_them() -> None:
    """A piece is compiled only when it holds '?' and a text is long enough to hold it:
    compiling a 3 MB action pattern took 550 MB, checked against catalog names it never
    matches."""
    import tracemalloc

    literal = "iam:" + "x" * 1_000_000 + "*"
    questioned = "iam:" + "x" * 1_000_000 + "?*"
    text = "iam:" + "x" * 1_000_000 + "yz"
    tracemalloc.start()
    try:
        assert not matcher(questioned)("iam:GetRole")
        assert matcher(literal)(text)
        assert not matcher(literal)("iam:GetRole")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 5_000_000  # the pieces themselves: 2 MB (165 MB compiled)
    assert matcher(questioned)(text)  # compiled now: a text that may hold it


@pytest.mark.parametrize(
    ("value", "names_arns"),
    [
        ("arn:aws:iam::111122223333:role/x", True),
        ("a?n:aws:iam::111122223333:role/x", True),
        ("*:*:*:*:*:*", True),
        ("ARN:aws:iam::111122223333:role/x", False),
        ("Arn:aws:iam::*:role/*", False),
        ("A?N:*:*:*:*:*", False),
    ],
)
def test_an_arn_operator_reads_the_first_field_in_case(value: str, names_arns: bool) -> None:
    """ArnEquals and ArnLike are a "case-sensitive matching of the ARN", each of its six fields
    on its own (IAM User Guide, condition operators): every ARN begins with ``arn``, which
    ``ARN`` is not.  The first field was matched in lower case, so ``ARN:...`` named the ARN
    it spells."""
    assert (arn_pattern_fields(value) is not None) is names_arns
    actual = "arn:aws:iam::111122223333:role/x"
    assert (arn_like_fields(value, actual) is not None) is names_arns
