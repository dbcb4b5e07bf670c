"""Whole numbers written as text, as AWS reads them.

``str.isdigit`` is true for ``"²"`` and other Unicode digits that ``int()`` rejects (a crash)
or reads (``"٣"`` is 3), and AWS takes neither; every number rolelint reads from a file's text
goes through :func:`integer_of` instead.
"""

from __future__ import annotations

import re

_INTEGER = re.compile(r"[+-]?[0-9]+")


def integer_of(text: str) -> int | None:
    """The integer ``text`` writes in ASCII digits (a sign and surrounding spaces allowed),
    None when it writes no integer."""
    stripped = text.strip()
    return int(stripped) if _INTEGER.fullmatch(stripped) else None
