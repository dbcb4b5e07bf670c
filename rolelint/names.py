"""How rolelint names principals to people, and finds the names closest to a typo."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def short_name(identifier: str, file: str) -> str:
    """The name without the file it is qualified with (an account export's
    ``export.json#deploy``): the row or card already says where it is."""
    prefix = file + "#"
    return identifier[len(prefix) :] if identifier.startswith(prefix) else identifier


def closest(query: str, names: Iterable[str], count: int = 5) -> list[str]:
    """The ``names`` that look most like ``query``, ignoring case, best first, for an error
    that helps.  A Terraform address is also compared by its last part (``deploy``), and a name
    containing the query (or contained in it) counts as close."""
    wanted = query.casefold()
    candidates: dict[str, str] = {}
    for name in names:
        candidates.setdefault(name.casefold(), name)
    scored = []
    for folded, name in candidates.items():
        whole = _likeness(wanted, folded)
        score = max(whole, _likeness(wanted, folded.rsplit(".", 1)[-1]))
        if score >= 0.6:
            scored.append((-score, -whole, name))  # ties: the whole name's likeness first
    return [name for *_, name in sorted(scored)[:count]]


def _likeness(wanted: str, name: str) -> float:
    score = difflib.SequenceMatcher(None, wanted, name).ratio()
    if len(name) >= 3 and len(wanted) >= 3 and (wanted in name or name in wanted):
        score = max(score, 0.8)
    return score
