"""JSON written in a Terraform template (a heredoc, ``templatefile()``), read before rendering.

What an interpolation inside a JSON string renders is written into the JSON as it is: a
rendered ``"``, ``\\`` or control character changes what the JSON says (``"${local.x}"`` with
x ``a", "*`` makes two strings), so such a value is never read as one string
(:func:`misread_in_json`).
"""

from __future__ import annotations

import re

# What JSON reads differently from what a rendered interpolation meant as part of one string.
_MISREAD = re.compile(r'["\\\x00-\x1f]')


def misread_in_json(text: str) -> bool:
    """Whether ``text``, rendered into a JSON string, reads as other than that text."""
    return _MISREAD.search(text) is not None
