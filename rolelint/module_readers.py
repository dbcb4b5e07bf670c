"""The Terraform modules that may read a JSON file (or a template) named on the command line.

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
import re

LEVELS = 3  # the file's folder and two above: "${path.module}/../policies/x.json" reaches it
# The suffixes of the files a module may read as a policy or a policy's template ("trust.json",
# "trust.json.tmpl", "trust.tmpl", and "trust.json.tftpl" as HashiCorp recommends naming the
# files of templatefile(), or the older ".tpl"): named on the command line, such a file brings
# its modules.
READ_SUFFIXES = (".json", ".tmpl", ".tftpl", ".tpl")
# Such a file's name as Terraform text writes it ("${path.module}/policies/deploy.json").
_JSON_NAME = re.compile(r"[^\s\"'/\\(){}\[\],=]+\.(?:json|tmpl|tftpl|tpl)\b", re.IGNORECASE)


def modules_reading(path: str, read: dict[str, frozenset[str]] | None = None) -> list[str]:
    """The folders of Terraform modules that name ``path``'s file, nearest first, spelled as
    ``os.path.dirname`` spells them (``""`` for the working folder).  ``read`` keeps the JSON
    file names each folder's Terraform mentions, for the other files of the run: pre-commit
    names hundreds of policies in the same folders."""
    name = os.path.basename(path).lower()
    named = read if read is not None else {}
    absolute = os.path.isabs(path)
    here = os.path.dirname(os.path.abspath(path))
    found: list[str] = []
    for _ in range(LEVELS):
        folder = _spelled(here, absolute)
        if folder not in named:
            text = _terraform_text(folder)
            named[folder] = frozenset(m.lower() for m in _JSON_NAME.findall(text))
        if name in named[folder]:
            found.append(folder)
        if os.path.isdir(os.path.join(here, ".git")):
            break  # the root of the checkout: modules above it are not this project's
        parent = os.path.dirname(here)
        if parent == here:
            break
        here = parent
    return found


def _spelled(folder: str, absolute: bool) -> str:
    """``folder`` as the scan names folders: absolute when the file was named so, else relative
    to the working folder, which is ``""`` (``os.path.dirname("main.tf")``)."""
    if absolute:
        return folder
    relative = os.path.relpath(folder)
    return "" if relative == "." else relative


def _terraform_text(folder: str) -> str:
    """The Terraform files of ``folder``, read as one text to search names in (a quick, safe
    over-estimate: the module is then read, and only a real file() of a file makes it the
    module's).  Regular files only: a pipe named ``x.tf`` is read once, by its module; an
    unreadable file is left out (the module's own reading reports it)."""
    from rolelint.parsers import is_terraform
    from rolelint.reading import is_regular_file, read_text

    try:
        entries = sorted(os.listdir(folder or "."))
    except OSError:
        return ""
    paths = [os.path.join(folder, entry) for entry in entries if is_terraform(entry)]
    # Regular files only: a pipe read here would be empty when its module reads it.
    texts = (read_text(path)[0] for path in paths if is_regular_file(path))
    return "\n".join(text for text in texts if text is not None)
