"""rolelint.json_text writes exactly what ``json.dumps(value, indent=2)`` writes."""

from __future__ import annotations

import enum
import json
from collections import OrderedDict
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rolelint import json_text
from rolelint.json_text import Lazy, chunks_indented, dumps_indented

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


class Colour(str, enum.Enum):
    RED = "red"


class Level(enum.IntEnum):
    HIGH = 3


scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(),
    st.sampled_from([Colour.RED, Level.HIGH, "\u2028", "\x00", "\ud800", "é", "\U0001f600"]),
)
keys = st.one_of(st.text(), st.integers(), st.booleans(), st.none(), st.floats())
documents = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=5),
        st.lists(children, max_size=5).map(tuple),
        st.dictionaries(st.text(), children, max_size=5),
        st.dictionaries(keys, children, max_size=5),
        st.dictionaries(st.text(), children, max_size=3).map(OrderedDict),
    ),
    max_leaves=40,
)


@settings(max_examples=500, deadline=None)
@given(documents)
def test_same_text_as_json_dumps(document: Any) -> None:
    assert dumps_indented(document) == json.dumps(document, indent=2)


@pytest.mark.parametrize(
    "document",
    [{}, [], (), {"a": {}}, {"a": []}, [[], {}], "", 0, -0.0, 1e300, True, None],
)
def test_empty_containers_and_lone_scalars(document: Any) -> None:
    assert dumps_indented(document) == json.dumps(document, indent=2)


def test_what_json_refuses_it_refuses_alike() -> None:
    for document in ({"a": {1, 2}}, [object()], {("tuple", "key"): 1}):
        with pytest.raises(TypeError) as expected:
            json.dumps(document, indent=2)
        with pytest.raises(TypeError) as got:
            dumps_indented(document)
        assert str(got.value) == str(expected.value)


def test_circular_document_fails_as_json_does() -> None:
    looped: list[Any] = []
    looped.append(looped)
    with pytest.raises(ValueError, match="Circular reference"):
        dumps_indented(looped)


def test_a_real_report_is_written_without_falling_back(monkeypatch: pytest.MonkeyPatch) -> None:
    """The speed-up is only real if reports take the fast path: json.dumps must not be called."""
    from rolelint.api import lint_paths
    from rolelint.catalog import load_catalog
    from rolelint.reporters import RenderOptions, render

    report = lint_paths([str(FIXTURES / "examples")])
    assert report.findings
    expected = {
        name: render(name, report, load_catalog(), RenderOptions(version="test"))
        for name in ("json", "sarif", "gitlab")
    }

    def refuse(*args: Any, **kwargs: Any) -> str:
        raise AssertionError("json.dumps called: the document left the fast path")

    monkeypatch.setattr("rolelint.json_text.json.dumps", refuse)
    for name, text in expected.items():
        assert render(name, report, load_catalog(), RenderOptions(version="test")) == text


def _written(document: dict[str, Any]) -> dict[str, Any]:
    """The document :func:`chunks_indented` writes for one holding :class:`Lazy` values."""
    return {
        key: [value.make(item) for item in value.items] if isinstance(value, Lazy) else value
        for key, value in document.items()
    }


@settings(max_examples=300, deadline=None)
@given(
    st.dictionaries(
        st.text(),
        st.one_of(documents, st.lists(documents, max_size=5).map(lambda items: Lazy(items, list))),
        max_size=5,
    )
)
def test_a_document_written_in_pieces_is_the_same_text(document: dict[str, Any]) -> None:
    """The values of a Lazy list are made as written (each wrapped in a list here, which
    nests it one level deeper), and the pieces joined are ``json.dumps``' text; values only
    ``json.dumps`` writes (non-string keys, non-finite floats, enums) are left to it value by
    value, nested in place."""
    try:
        expected = json.dumps(_written(document), indent=2)
    except (TypeError, ValueError):
        return  # refused: checked below for what json.dumps refuses
    assert "".join(chunks_indented(document)) == expected


def test_what_json_refuses_in_a_lazy_list_it_refuses_alike() -> None:
    document = {"a": Lazy([1, 2], lambda item: {item} if item == 2 else item)}
    with pytest.raises(TypeError) as expected:
        json.dumps(_written(document), indent=2)
    with pytest.raises(TypeError) as got:
        "".join(chunks_indented(document))
    assert str(got.value) == str(expected.value)


def test_a_long_lazy_list_is_written_in_pieces_of_bounded_size(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each value is made when its piece is written, and no piece is much longer than
    CHUNK: the text is never held whole."""
    monkeypatch.setattr(json_text, "CHUNK", 1_000)
    made: list[int] = []

    def make(item: int) -> dict[str, Any]:
        made.append(item)
        return {"item": item, "text": "x" * 50}

    pieces = chunks_indented({"version": "1", "items": Lazy(range(1_000), make), "after": []})
    first = next(pieces)
    assert len(made) < 20 and len(first) < 1_200  # made as written, not all at once
    rest = list(pieces)
    assert max(len(piece) for piece in rest) < 1_200
    document = {"version": "1", "items": [make(n) for n in range(1_000)], "after": []}
    assert first + "".join(rest) == json.dumps(document, indent=2)


@pytest.mark.parametrize("document", [{}, {"a": Lazy([], str)}, {"a": Lazy([1], str), "b": 2}])
def test_empty_documents_and_lists_written_in_pieces(document: dict[str, Any]) -> None:
    assert "".join(chunks_indented(document)) == json.dumps(_written(document), indent=2)
