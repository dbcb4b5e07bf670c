"""Configuration path patterns: the meaning of a regular expression, without its backtracking."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rolelint.globs import PathPatterns, _fullmatch, _pieces, matches
from tests.conftest import count_calls


def as_regular_expression(pattern: str) -> re.Pattern[str]:
    """What a pattern means, written as the regular expression rolelint used to match with:
    ``**/`` no folder or any folders, ``**`` anything, ``*`` anything within a name, ``?`` one
    character of a name; unanchored without a ``/``, anchored by a leading ``./``; a folder
    covers what is inside it."""
    dotted = re.match(r"(?:\./)*", pattern)
    assert dotted is not None
    pattern = pattern[dotted.end() :]
    anchored = bool(dotted.group()) or pattern.startswith("/") or "/" in pattern.strip("/")
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


pattern_texts = st.lists(
    st.sampled_from(["a", "b", "ab", "/", ".", "*", "**", "**/", "?"]), max_size=7
).map("".join)
path_texts = st.lists(st.sampled_from(["a", "b", "ab", "/", "."]), max_size=10).map("".join)


@settings(max_examples=1500, deadline=None, derandomize=True, database=None)
@given(st.lists(pattern_texts, max_size=12), st.lists(path_texts, min_size=1, max_size=5))
def test_a_pattern_set_finds_what_trying_each_pattern_finds(
    patterns: list[str], paths: list[str]
) -> None:
    """PathPatterns tries only the patterns whose longest literal run the path contains: it
    must find the same patterns, in the same order, as trying every one."""
    folder = "/repo"
    indexed = PathPatterns(patterns, folder)
    for path in paths:
        scanned = f"{folder}/{path}"
        every = [p for p in dict.fromkeys(patterns) if matches(p, scanned, folder)]
        assert indexed.matching(scanned) == every
        assert indexed.any_match(scanned) is bool(every)


def test_a_pattern_set_of_thousands_tries_few_per_path(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """3,000 patterns over 2,000 files took ten minutes when each was tried on each path."""
    import rolelint.globs as globs

    patterns = [f"infra/legacy-{n}/**" for n in range(1_000)]
    patterns += [f"*.{n}.yaml" for n in range(1_000)] + [f"**/build-{n}" for n in range(1_000)]
    indexed = PathPatterns(patterns, "/repo")
    tried = count_calls(monkeypatch, globs, "_fullmatch")
    assert indexed.matching("/repo/infra/legacy-7/role.yaml") == ["infra/legacy-7/**"]
    assert indexed.matching("/repo/app/t.12.yaml") == ["*.12.yaml"]
    assert indexed.matching("/repo/x/build-999/y.json") == ["**/build-999"]
    assert indexed.matching("/elsewhere/infra/legacy-7/role.yaml") == []
    assert tried.count < 60  # 9,000 when each pattern is tried on each path
