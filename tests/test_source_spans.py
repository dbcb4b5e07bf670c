"""first_containing: which named span holds each place, as searching every span would say."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from rolelint.source import Span, first_containing

points = st.tuples(st.integers(1, 6), st.integers(1, 6))


@st.composite
def spans(draw: st.DrawFn) -> Span | None:
    if draw(st.integers(0, 9)) == 0:
        return None
    start, end = sorted([draw(points), draw(points)])
    return Span(*start, *end)


def _first_by_search(named: list[tuple[str, Span | None]], place: Span | None) -> str | None:
    """The plain definition: the first span in order whose start <= place's start <= end."""
    if place is None:
        return None
    at = (place.line, place.column)
    for name, span in named:
        if span is not None and (span.line, span.column) <= at <= (span.end_line, span.end_column):
            return name
    return None


@settings(max_examples=3000, derandomize=True, database=None)
@given(st.lists(spans(), max_size=12), st.lists(spans(), max_size=12))
def test_the_sweep_names_what_searching_every_span_names(
    owners: list[Span | None], places: list[Span | None]
) -> None:
    """Nested, equal, overlapping (aliases point into other resources) and missing spans."""
    named = [(f"R{i}", span) for i, span in enumerate(owners)]
    assert first_containing(named, places) == [_first_by_search(named, p) for p in places]


def test_fifteen_thousand_places_among_fifteen_thousand_spans() -> None:
    """Each resource written twice: the owners of 15,000 duplicate keys took 37 s."""
    named = [(f"B{i}", Span(2 * i + 1, 3, 2 * i + 2, 30)) for i in range(15_000)]
    places = [Span(2 * i + 2, 5, 2 * i + 2, 9) for i in range(15_000)]
    assert first_containing(named, places) == [f"B{i}" for i in range(15_000)]
