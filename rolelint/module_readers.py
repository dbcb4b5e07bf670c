"""The Terraform modules that may read a JSON file named on the command line.

A policy kept as ``policies/deploy.json`` and read by ``file("${path.module}/policies/...")``
is that module's policy: a folder scan analyzes it as such, naming the role, and not on its
own.  pre-commit names the changed file alone; analyzed on its own, it became a raw policy with
other findings and other fingerprints, so the baseline the scan recorded did not match in the
hook.  A named JSON file therefore brings the modules that may read it, as a named ``.tf`` file
brings its own: those of its folder and the folders above (up to :data:`LEVELS`, not past the
root of a git checkout) whose Terraform text names the file.  The module then reads the file
as its policy (and the file is not analyzed a second time on its own).
"""

from __future__ import annotations

import os

LEVELS = 3  # the file's folder and two above: "${path.module}/../policies/x.json" reaches it
_TERRAFORM = (".tf", ".tf.json")
_MAX_TEXT = 1_000_000  # characters of one Terraform file searched for the name


def modules_reading(path: str) -> list[str]:
    """The folders of Terraform modules that name ``path``'s file, nearest first, spelled as
    ``os.path.dirname`` spells them (``""`` for the working folder)."""
    name = os.path.basename(path)
    folder = os.path.dirname(path)
    found: list[str] = []
    for _ in range(LEVELS):
        if _names(folder, name):
            found.append(folder)
        if os.path.isdir(os.path.join(folder or ".", ".git")):
            break  # the root of the checkout: modules above it are not this project's
        parent = os.path.dirname(folder)
        if parent == folder or not folder:
            break
        parent_is_up = os.path.normpath(os.path.join(folder, os.pardir))
        if os.path.normpath(parent or ".") != parent_is_up:
            break  # "a/.." or a path ending in "..": its parent is not its dirname
        folder = parent
    return found


def _names(folder: str, name: str) -> bool:
    """Whether a Terraform file of ``folder`` holds ``name`` (a quick, safe over-estimate:
    the module is then read, and only a real file() of that file makes it the module's)."""
    try:
        entries = sorted(os.listdir(folder or "."))
    except OSError:
        return False
    for entry in entries:
        if not entry.lower().endswith(_TERRAFORM):
            continue
        try:
            with open(os.path.join(folder, entry), encoding="utf-8", errors="replace") as handle:
                if name in handle.read(_MAX_TEXT):
                    return True
        except (OSError, ValueError):
            continue
    return False
