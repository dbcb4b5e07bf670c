"""Fixtures shared by the reporter tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from rolelint.reporters import common, sarif


def _separators(monkeypatch: pytest.MonkeyPatch, backslash: bool) -> Iterator[None]:
    """Paths named as on a system where ``\\`` does (or does not) separate folders.  SARIF's
    URIs are cached by path: cleared before and after, so no other test sees these."""
    monkeypatch.setattr(common, "BACKSLASH_SEPARATES", backslash)
    sarif.artifact_uri.cache_clear()
    yield
    sarif.artifact_uri.cache_clear()


@pytest.fixture
def windows_paths(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """As on Windows: ``infra\\a.yaml`` is ``a.yaml`` in the folder ``infra``."""
    yield from _separators(monkeypatch, True)


@pytest.fixture
def posix_paths(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """As on Linux or macOS: ``a\\b.yaml`` is one file whose name holds a backslash."""
    yield from _separators(monkeypatch, False)
