"""Configuration path patterns: the meaning of a regular expression, without its backtracking."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from rolelint.globs import _fullmatch, _pieces, matches


def as_regular_expression(pattern: str) -> re.Pattern[str]:
    """What a pattern means, written as the regular expression rolelint used to match with:
    ``**/`` no folder or any folders, ``**`` anything, ``*`` anything within a name, ``?`` one
    character of a name; unanchored without a ``/``; a folder covers what is inside it."""
    anchored = pattern.startswith("/") or "/" in pattern.strip("/")
    body = pattern.strip("/")
    parts = []
    index = 0
    while index < len(body):
        for wildcard, meaning in (("**/", "(?:.*/)?"), ("**", ".*"), ("*", "[^/]*"), ("?", "[^/]")):
            if body.startswith(wildcard, index):
                parts.append(meaning)
                index += len(wildcard)
                break
        else:
            parts.append(re.escape(body[index]))
            index += 1
    return re.compile(("" if anchored else "(?:.*/)?") + "".join(parts) + "(?:/.*)?")


@settings(max_examples=3000, deadline=None)
@given(
    st.lists(st.sampled_from(["a", "b", "/", ".", "*", "**", "**/", "?"]), max_size=7).map("".join),
    st.lists(st.sampled_from(["a", "b", "/", "."]), max_size=10).map("".join),
)
def test_patterns_mean_what_the_regular_expression_meant(pattern: str, path: str) -> None:
    expected = as_regular_expression(pattern).fullmatch(path) is not None
    assert _fullmatch(_pieces(pattern), path) is expected


def test_many_wildcards_do_not_backtrack(tmp_path: Path) -> None:
    """``*a*a...*z`` against a long name without a ``z``: the regular expression took minutes
    (it tries every way to share the name among the stars); the matcher walks it once."""
    name = "a" * 60
    assert not matches("*a" * 30 + "z", str(tmp_path / name), str(tmp_path))
    assert not matches("**/" * 30 + "x", str(tmp_path / "/".join("a" * 50)), str(tmp_path))
    assert matches("*a" * 30, str(tmp_path / name), str(tmp_path))
