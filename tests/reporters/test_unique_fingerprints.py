"""Repeats of one fingerprint (rolelint.reporters.common.UniqueFingerprints): each gets the
first derived fingerprint not given yet, as the definition says, with work that grows with
the findings, not with their square."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest

from rolelint.reporters.common import UniqueFingerprints


def _by_definition(bases: list[str]) -> list[str]:
    """The fingerprints the definition gives: for each base in turn, the base itself or else
    its repeat 2, 3, ... (the base and the number, hashed), the first that is not given yet."""
    given: list[str] = []
    for base in bases:
        candidate, repeat = base, 1
        while candidate in given:
            repeat += 1
            candidate = hashlib.sha256(f"{base}\x1f{repeat}".encode()).hexdigest()[:32]
        given.append(candidate)
    return given


def _repeat(base: str, repeat: int) -> str:
    return hashlib.sha256(f"{base}\x1f{repeat}".encode()).hexdigest()[:32]


@pytest.mark.parametrize(
    "bases",
    [
        ["a"] * 5,
        ["a", "b", "a", "b", "a", "c", "a"],
        # A base that is another base's repeat: the repeat numbers skip what it took.
        ["a", _repeat("a", 2), "a", "a", _repeat("a", 4), "a"],
        [_repeat("a", 3), "a", "a", "a", "a"],
    ],
)
def test_repeats_are_numbered_as_the_definition_numbers_them(bases: list[str]) -> None:
    fingerprints = UniqueFingerprints()
    assert [fingerprints.unique(base) for base in bases] == _by_definition(bases)


def test_repeats_of_one_fingerprint_are_hashed_once_each(monkeypatch: pytest.MonkeyPatch) -> None:
    """25,000 results of one fingerprint took 200 s: each repeat hashed every number below its
    own again.  Each is hashed once now."""
    hashed: list[bytes] = []
    sha256 = hashlib.sha256

    def counted(material: bytes) -> Any:
        hashed.append(material)
        return sha256(material)

    monkeypatch.setattr(hashlib, "sha256", counted)  # as common asks it
    fingerprints = UniqueFingerprints()
    given = [fingerprints.unique("same") for _ in range(3_000)]
    assert len(set(given)) == 3_000
    assert len(hashed) == 2_999
