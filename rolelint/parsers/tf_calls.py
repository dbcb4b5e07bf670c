"""The local modules a Terraform file calls, and its code without comments, read from its text.

A module file named alone (the pre-commit hook passes the changed file) is judged with the roots
that call it, and a module a root calls is read on its own as well, as a folder scan reads it
(rolelint.module_readers).  Finding them means looking at every Terraform file of a project,
and parsing each is far too slow for a hook; the text is searched instead.  Terraform takes a
module's ``source`` as a literal string only (never an expression), so the text says what a
parse would: a file without a local ``source`` is passed over at once, and in the others only the
``source`` of a ``module`` block counts, not one in a string, a comment or another block
(``aws_s3_object``'s).  The folders found are then read and evaluated as any other; this only
chooses them, as :func:`takes_from_callers` tells whether a module's callers are worth looking
for.

:func:`module_directory` spells a call's folder, for this search and for the parser alike.
"""

from __future__ import annotations

import json
import os
import re

# The pieces of native syntax that matter: a module block's header, a source attribute with a
# literal value, and what to pass over whole (strings, heredocs, comments) so that a brace or
# a "source" inside them is not taken for one; braces, to know which block a source is in.
_TOKENS = re.compile(
    r'(?P<module>\bmodule\s+(?:"[^"\n]*"|[A-Za-z_][\w-]*)\s*\{)'
    r'|(?P<source>\bsource\s*=\s*"(?P<value>[^"\\\n]*)")'
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|<<-?(?P<tag>[A-Za-z_]\w*)[^\n]*\n.*?^[ \t]*(?P=tag)[ \t]*$"
    r"|#[^\n]*|//[^\n]*|/\*.*?\*/"
    r"|(?P<open>\{)|(?P<close>\})",
    re.DOTALL | re.MULTILINE,
)


# The text pre-filter: a file without a local source anywhere calls no local module (most do
# not, and every one holds "resource").
_LOCAL_SOURCE = re.compile(r'source"?\s*[=:]\s*"\.\.?/')


# Comments, and the strings and heredocs a "#" or "//" may stand in without starting one.
_COMMENTS = re.compile(
    r'"(?:[^"\\\n]|\\.)*"'
    r"|<<-?(?P<tag>[A-Za-z_]\w*)[^\n]*\n.*?^[ \t]*(?P=tag)[ \t]*$"
    r"|(?P<comment>#[^\n]*|//[^\n]*|/\*.*?\*/)",
    re.DOTALL | re.MULTILINE,
)


def without_comments(text: str) -> str:
    """``text`` with its comments left out: a file named in a comment ("# terraform show -json
    plan.out > plan.json") is not read by the module."""
    if "#" not in text and "/" not in text:
        return text
    return _COMMENTS.sub(lambda found: "" if found.group("comment") else found.group(0), text)


# A variable block's header at the start of a line (``variable "account" {``), or the key of a
# JSON file's variables: an over-estimate (one inside a heredoc or a block comment counts), which
# only costs a search.
_VARIABLE = re.compile(r'^[ \t]*variable\s+(?:"[^"\n]*"|[A-Za-z_][\w-]*)\s*\{|"variable"\s*:', re.M)
# What else a caller decides: the folder of its root (``path.root``) and the working folder
# (``path.cwd``, and every relative path a function reads a file by), so any reading of a file
# by other than ``"${path.module}/..."`` (file, filebase64, fileexists, fileset, templatefile).
_CALLERS_PATHS = re.compile(
    r'\bpath\.(?:root|cwd)\b|\b(?:file\w*|templatefile)\s*\(\s*(?!"\$\{path\.module\}/)'
)


def takes_from_callers(text: str) -> bool:
    """Whether what a Terraform file says may depend on the module's callers: it may declare a
    ``variable``, or read a file whose place the caller decides (``file("policies/x.json")``,
    ``"${path.root}/..."``).  A module whose files do neither says the same whoever calls it,
    so its callers are not searched for."""
    return _VARIABLE.search(text) is not None or _CALLERS_PATHS.search(text) is not None


def is_local_source(source: str) -> bool:
    """A module source Terraform reads from a folder of the same checkout (not a registry,
    git or archive address)."""
    return source.startswith(("./", "../"))


def local_sources(path: str, text: str) -> list[str]:
    """The local ``source`` of every ``module`` block of a ``.tf`` or ``.tf.json`` file."""
    if not _LOCAL_SOURCE.search(text):
        return []
    found = _json_sources(text) if path.lower().endswith(".json") else _native_sources(text)
    return [source for source in found if is_local_source(source)]


def _native_sources(text: str) -> list[str]:
    found: list[str] = []
    depth = 0
    in_module = False  # the block at depth 1 is a module block
    for token in _TOKENS.finditer(text):
        if token.group("module") is not None:
            in_module = in_module or depth == 0
            depth += 1
        elif token.group("open") is not None:
            depth += 1
        elif token.group("close") is not None:
            depth = max(depth - 1, 0)
            in_module = in_module and depth > 0
        elif token.group("source") is not None and in_module and depth == 1:
            found.append(token.group("value"))
    return found


def _json_sources(text: str) -> list[str]:
    """``{"module": {"ci": {"source": "../ci"}}}``, each level an object or a list of them."""
    if '"module"' not in text:
        return []
    try:
        document = json.loads(text)
    except (ValueError, RecursionError):
        return []  # the module's reading says what is wrong with it
    found: list[str] = []
    for modules in _objects(document):
        for calls in _objects(modules.get("module")):
            for call in calls.values():
                for body in _objects(call):
                    source = body.get("source")
                    if isinstance(source, str):
                        found.append(source)
    return found


def _objects(value: object) -> list[dict[str, object]]:
    if isinstance(value, dict):
        return [value]
    if isinstance(value, list):
        return [item for item in value if isinstance(item, dict)]
    return []


def module_directory(caller: str, source: str) -> str:
    """The folder of a local module ``source`` ("../../modules/x") called from ``caller``,
    spelled as the caller's folder is, without ``.`` segments: "infra/envs/dev" with
    "../../modules/x" gives "infra/modules/x", as a folder walk names it (discovery.tidy_path).

    os.path.normpath would also fold "a/../b" segments of the caller's own spelling.  Each job
    reads a module under the first spelling it meets, and a finding's file is part of its
    identity.  A module scanned as a folder in one job and reached through a caller in another
    would then be reported twice, under two names, and --jobs 2 would differ from --jobs 1.
    """
    absolute = caller.startswith(os.sep)
    parts = [part for part in caller.split(os.sep) if part not in ("", ".")]
    for part in source.split("/"):
        if part in ("", "."):
            continue
        if part != "..":
            parts.append(part)
        elif parts and parts[-1] != "..":
            parts.pop()
        elif parts or not absolute:  # above the root of an absolute path, ".." stays there
            parts.append("..")
    joined = os.sep.join(parts)
    return (os.sep + joined if absolute else joined) or "."
