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

from rolelint.model import stand_in_spellings
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


# What may come right before a file's name in a text: "role:FILE#ID", "<generated:FILE#ID>"
# (and "<unresolved name:FILE#ID>"), "a|FILE#ID" in a key, "of role FILE#ID", "policy file
# FILE|...", "('FILE')", and the node of an export's role, "FILE#FILE#NAME".  Never a "/":
# "../b/a.json" does not name "a.json".
_BEFORE_NAME = frozenset(":|'\"(<[,=;#")
# What may come right after a file's name; a folder's is only ever followed by the "#" of a
# WHERE#NAME (a name's stand-in, a Terraform module instance's node).
_AFTER_FILE = frozenset("#|'\">),]:;")


class ProjectNames:
    """Texts that embed the run's file and folder names, with each name as the project's root
    names it: what a fingerprint hashes besides the finding's file.

    A raw policy file's resource is the file itself ("policy file FILE" in a key), an export's
    role id is ``FILE#NAME``, a graph node in a chain's key is ``FILE#ID``, and a name's
    stand-in is ``<generated:WHERE#ID>`` or ``<unresolved name:WHERE#ID>`` (``WHERE`` a
    Terraform folder): recorded at the root as ``infra/a.json``, they were ``a.json`` from
    ``infra/`` and the finding came back as new.
    A name is renamed only where a text names it: between a separator (or a space, or the
    text's start) and a separator (or a space, or the text's end), and only when it is one of
    the run's names, the longest one there; so no other text changes, and a run from the root,
    which names every file as the root does, changes nothing at all.
    """

    def __init__(
        self, root: str | None, files: Iterable[str] = (), folders: Iterable[str] = ()
    ) -> None:
        self.root = root
        self._files: dict[str, str] = {}
        self._folders: dict[str, str] = {}
        self._longest = 0  # the longest name renamed: none when there is no root
        if root is None:
            return
        files = set(files)
        folders = {*folders, *(os.path.dirname(file) or os.curdir for file in files)}
        folders |= {os.path.normpath(folder) for folder in folders}
        for names, renamed in ((files, self._files), (folders, self._folders)):
            for name in names:
                project = project_path(name, root)
                if project != name:
                    renamed.update(
                        zip(stand_in_spellings(name), stand_in_spellings(project), strict=True)
                    )
        self._longest = max(map(len, (*self._files, *self._folders)), default=0)

    def path(self, file: str) -> str:
        """``file`` as the project's root names it (:func:`project_path`)."""
        return project_path(file, self.root)

    def text(self, text: str) -> str:
        """``text`` with each file or folder name it embeds named from the project's root."""
        if not self._longest:
            return text
        pieces: list[str] = []
        done = 0  # text[:done] is in pieces
        ends = [at for at, c in enumerate(text) if c in _AFTER_FILE or c.isspace()]
        ends.append(len(text))
        for start in range(len(text)):
            if start < done or (
                start > 0 and not (text[start - 1] in _BEFORE_NAME or text[start - 1].isspace())
            ):
                continue
            for end in reversed(ends):  # the longest name first
                if end <= start or end - start > self._longest:
                    continue
                name = text[start:end]
                project = self._files.get(name)
                if project is None and end < len(text) and text[end] == "#":
                    project = self._folders.get(name)
                if project is not None:
                    pieces += (text[done:start], project)
                    done = end
                    break
        return "".join(pieces) + text[done:] if pieces else text


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
