"""How the audit views name a principal."""

from __future__ import annotations


def short_name(identifier: str, file: str) -> str:
    """The name without the file it is qualified with (an account export's
    ``export.json#deploy``): the row or card already says where it is."""
    prefix = file + "#"
    return identifier[len(prefix) :] if identifier.startswith(prefix) else identifier
