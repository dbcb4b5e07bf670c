"""How rolelint names principals to people, and finds the names closest to a typo."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable


def short_name(identifier: str, file: str) -> str:
    """The name without the file it is qualified with (an account export's
    ``export.json#deploy``): the row or card already says where it is."""
    prefix = file + "#"
    return identifier[len(prefix) :] if identifier.startswith(prefix) else identifier


def address_forms(short: str, *qualified: str) -> list[str]:
    """The other names people give a principal written as ``short`` (a logical id or a
    Terraform address) and named also as ``qualified`` (its graph id, ``FILE#NAME``): without
    module prefixes (``module.ci.aws_iam_role.deploy`` is also ``aws_iam_role.deploy``), and for
    an instance of count or for_each each name without the key, as Terraform names all of them
    (``aws_iam_role.app`` for ``aws_iam_role.app["web"]``).  ``show`` and ``graph --focus``
    take the same names."""
    forms: list[str] = []
    while short.startswith("module.") and short.count(".") >= 3:
        short = short.split(".", 2)[2]
        forms.append(short)
    keyed = [name for name in (*qualified, *forms) if _INSTANCE_KEY.search(name)]
    return forms + [_INSTANCE_KEY.sub("", name) for name in keyed]


# The instance key that ends an address: ["web"] (a quote inside escaped) or [0].
_INSTANCE_KEY = re.compile(r'\[(?:"(?:[^"\\]|\\.)*"|[0-9]+)\]$')


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
