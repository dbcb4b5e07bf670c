"""Path patterns of the configuration (``exclude``, ``per-path-ignores``), as teams write them
in .gitignore-like files: ``*`` within one folder or file name, ``**`` across folders, ``?`` one
character.  A pattern with a ``/`` is anchored at the configuration's folder; one without
matches a file or folder name at any depth (``cdk.out``, ``*.test.yaml``); a leading ``/``
anchors a bare name (``/infra``).
"""

from __future__ import annotations

import functools
import os
import re


@functools.lru_cache(maxsize=256)
def _compiled(pattern: str) -> re.Pattern[str]:
    anchored = pattern.startswith("/") or "/" in pattern.strip("/")
    body = pattern.strip("/")
    parts: list[str] = []
    index = 0
    while index < len(body):
        if body.startswith("**/", index):
            parts.append("(?:.*/)?")
            index += 3
        elif body.startswith("**", index):
            parts.append(".*")
            index += 2
        elif body[index] == "*":
            parts.append("[^/]*")
            index += 1
        elif body[index] == "?":
            parts.append("[^/]")
            index += 1
        else:
            parts.append(re.escape(body[index]))
            index += 1
    prefix = "" if anchored else "(?:.*/)?"
    # A pattern naming a folder also covers everything inside it.
    return re.compile(f"{prefix}{''.join(parts)}(?:/.*)?")


def relative_to(path: str, folder: str) -> str | None:
    """``path`` relative to ``folder`` with ``/`` separators; None when it lies outside."""
    relative = os.path.relpath(os.path.abspath(path), os.path.abspath(folder))
    if relative == os.pardir or relative.startswith(os.pardir + os.sep):
        return None
    return relative.replace(os.sep, "/")


def matches(pattern: str, path: str, folder: str) -> bool:
    """Whether ``path`` (as scanned) matches ``pattern`` written in a configuration in
    ``folder``."""
    relative = relative_to(path, folder)
    return relative is not None and _compiled(pattern).fullmatch(relative) is not None
