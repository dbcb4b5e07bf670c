"""Files named the same from wherever a run starts: relative to the project's root.

A finding's file is shown as the run named it (relative to the working folder), but what a
baseline records must not depend on that folder: recorded at the repository's root and checked
from ``infra/`` (a hook, a developer in a subfolder), ``infra/a.yaml`` was named ``a.yaml``,
every fingerprint changed, every recorded finding came back as new and every entry was said to
no longer occur.  The root is the folder of the configuration file, as named (rolelint.config):
where the ``baseline`` setting and the globs already start.  Without a configuration there is no
root and the file is named as the run named it, as before; a run from the root names every file
as before too, so the fingerprints it gives are unchanged.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

from rolelint.reading import STDIN_NAME


def project_path(file: str, root: str | None) -> str:
    """``file`` (as the run named it) relative to ``root``, or as named when there is no root,
    it lies outside the root, or it is standard input without a name (``<stdin>`` is no path)."""
    if root is None or file == STDIN_NAME:
        return file
    try:
        relative = os.path.relpath(os.path.abspath(file), root)
    except ValueError:  # on another drive than the root
        return file
    if relative == os.pardir or relative.startswith(os.pardir + os.sep):
        return file
    return relative


class RunNames:
    """The inverse of :func:`project_path` for one run: a recorded project path as this run
    names the file (as it scanned it when it did, else relative to the working folder when it
    lies inside it), so that it can be compared with what the run analyzed and looked for on
    disk from the working folder."""

    def __init__(self, root: str | None, scanned: Iterable[str]) -> None:
        self.root = root
        self._scanned = {os.path.abspath(name): name for name in scanned}

    def name(self, recorded: str) -> str:
        if self.root is None or recorded == STDIN_NAME:
            return recorded
        absolute = os.path.normpath(os.path.join(self.root, recorded))
        if absolute in self._scanned:
            return self._scanned[absolute]
        try:
            relative = os.path.relpath(absolute)
        except ValueError:  # on another drive than the working folder
            return absolute
        return absolute if relative.startswith(os.pardir) else relative
