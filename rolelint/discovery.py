"""Which files a run reads: explicit files always, folders recursively with a small ignore list.

A folder walk does not follow symbolic links to folders (as git and ruff do not): a link to
``..`` or to its own folder would loop, and one to a shared folder would read it twice.  Name
a linked folder on the command line to scan it.  Links to files are read.  A folder that cannot
be listed (permission denied) is reported, never silently left out.

A file reached under a second name (a link to a file that is also scanned, or ``infra`` and
``$PWD/infra/a.yaml`` in one run) is read once, under the first name the run meets: two names
would report its findings twice, with two fingerprints.  Terraform files read with their
module are the exception: a module is its folder, so a linked ``.tf`` file belongs to the
module the link is in, and the caller reads each folder once (rolelint.api).  A tfvars file
Terraform does not load by itself (``prod.tfvars``) is read on its own, so it is read once too.

A Terraform file that Terraform itself never reads (a hidden backup ``.old_main.tf``, the
``.#main.tf`` lock link Emacs leaves, ``OLD.TF``) is found, named or walked, but marked to be
counted as skipped unread: a lock link points nowhere, and reading it failed the run.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from rolelint.parsers import (
    is_supported,
    is_terraform,
    is_unloaded_tfvars_file,
    terraform_leaves_out,
)

STDIN = "-"

# Folders that hold copies, caches or third-party code, never the user's own templates.
# ``.terragrunt-stack`` holds the copies of a stack's units ``terragrunt stack generate`` writes
# (as ``.terragrunt-cache`` those of ``terragrunt plan``): walked, each finding came once per copy.
IGNORED_DIRECTORIES = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        "node_modules",
        ".terraform",
        ".terragrunt-cache",
        ".terragrunt-stack",
        ".venv",
        "venv",
        "__pycache__",
        ".tox",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        ".aws-sam",
        ".serverless",
    }
)


@dataclass(frozen=True, slots=True)
class Target:
    """A file to read (``path == STDIN`` for standard input), or a path that does not exist."""

    path: str
    explicit: bool  # named on the command line: read it whatever its suffix
    missing: bool = False
    excluded: bool = False  # excluded by the configuration: counted as skipped, not read
    error: str | None = None  # why it cannot be read (a folder that cannot be listed)
    unread: str | None = None  # why it is counted as skipped, not read (Terraform ignores it)


@dataclass(frozen=True, slots=True)
class LeftOut:
    """The Terraform files a module is read without: those the configuration excludes.

    A module is its whole folder, so naming or walking one file of it reads the others, and an
    excluded ``fixture_test.tf`` beside ``main.tf`` would still be analyzed and reported.  The
    user's choice wins over what Terraform would load.  A folder excluded as a whole is read
    only when a scanned module calls it (its roles are the caller's): it is then read whole, as
    the call's source.  The run reads its modules so, and the searches of rolelint.module_readers
    read and parse the modules they look at so: what an excluded file says links nothing.  A
    class, not a closure: worker processes receive it pickled.
    """

    excluded: Callable[[str], bool]

    def __call__(self, path: str) -> bool:
        return self.excluded(path) and not self.excluded(os.path.dirname(path) or os.curdir)


def tidy_path(path: str) -> str:
    """``path`` without ``.`` segments and doubled separators: ``./a.yaml`` is ``a.yaml``.

    A file is reported, baselined and fingerprinted by the path it was read under, so one file
    must have one path however it was reached.  ``rolelint check`` walks ``.`` and would name
    ``./a.yaml``, where pre-commit passes ``a.yaml``: a baseline written by the first would not
    match in the second, and ``check . a.yaml`` would read the file twice.  ``..`` segments are
    kept: folding ``link/..`` would name another file when ``link`` is a symbolic link.
    """
    if path in ("", STDIN):
        return path
    drive, rest = os.path.splitdrive(path)
    if os.altsep:
        rest = rest.replace(os.altsep, os.sep)
    rooted = rest.startswith(os.sep)
    parts = [part for part in rest.split(os.sep) if part not in ("", ".")]
    tidy = drive + (os.sep if rooted else "") + os.sep.join(parts)
    if tidy == STDIN:  # ``./-`` is how a file named ``-`` is named apart from standard input
        return path
    return tidy or "."


def discover(
    paths: Iterable[str],
    excluded: Callable[[str], bool] | None = None,
    stdin_name: str | None = None,
) -> Iterator[Target]:
    """Files to analyze, in a stable order (sorted within each folder), each once, each under
    its :func:`tidy_path`; standard input once, however often it is named.

    ``excluded`` applies to named files too: pre-commit names every file it passes, and an
    excluded file must stay excluded there.  Excluded folders are not walked.  Standard input
    is excluded when the file name it was given (``stdin_name``, from --stdin-filename) is: an
    editor or hook piping an excluded file names it to have it judged as that file.  For the
    same reason it is skipped unread when Terraform leaves that file out.
    """
    is_excluded = excluded or (lambda _: False)
    seen: set[str] = set()
    first = _FirstNames()
    for path in map(tidy_path, paths):
        if path == STDIN:
            if STDIN in seen:
                continue  # read once: a second read is empty
            seen.add(STDIN)
            named_excluded = stdin_name is not None and is_excluded(stdin_name)
            # Named as a file Terraform does not read (``main.TF``, ``.old.tf``), it is
            # skipped as that file is on disk, not parsed as HCL.
            unread = terraform_leaves_out(stdin_name) if stdin_name is not None else None
            yield Target(STDIN, explicit=True, excluded=named_excluded, unread=unread)
        elif os.path.isdir(path):
            for found, link in _walk(path, is_excluded):
                if found.path not in seen:
                    seen.add(found.path)
                    if found.excluded or found.error or first.is_first(found.path, link):
                        yield found
        elif os.path.lexists(path):  # a broken link or a loop is read, to say which it is
            if path not in seen:
                seen.add(path)
                target = Target(
                    path,
                    explicit=True,
                    excluded=is_excluded(path),
                    unread=terraform_leaves_out(path),
                )
                if target.excluded or first.is_first(path, os.path.islink(path)):
                    yield target
        else:
            yield Target(path, explicit=True, missing=True)


@dataclass(slots=True)
class WalkLimit:
    """How many folder entries a walk may still look at, and the folder it stopped at once
    that ran out (its entries, and the folders after it, are not looked at)."""

    entries: int
    stopped_at: str | None = None


def module_folders(
    root: str,
    excluded: Callable[[str], bool] | None = None,
    limit: WalkLimit | None = None,
    documents: list[str] | None = None,
) -> list[str]:
    """The folders under ``root`` whose Terraform files a folder scan of ``root`` reads as
    modules of their own (not those Terraform leaves out, nor excluded ones), in walk order:
    where to look for the modules that read or call a file named alone
    (rolelint.module_readers).  With a ``limit``, those found before it ran out.  The same
    walk appends to ``documents`` the other files the scan reads (templates, policies), where
    to look for the templates that use a template named alone (rolelint.template_readers)."""
    is_excluded = excluded or (lambda _: False)
    folders: dict[str, None] = {}
    for found, _ in _walk(tidy_path(root), is_excluded, limit):
        folder = module_folder_of(found)
        if folder is not None:
            folders[folder] = None
        elif documents is not None and is_document(found):
            documents.append(found.path)
    return list(folders)


def is_document(found: Target) -> bool:
    """Whether a folder scan reads the file its walk found on its own, as a document (a
    template, a policy, a plan): not Terraform, not excluded, not skipped unread."""
    return (
        found.error is None
        and not found.excluded
        and found.unread is None
        and not is_terraform(found.path)
    )


def module_folder_of(found: Target) -> str | None:
    """The folder a folder scan reads as a module for a file its walk found: that of a
    Terraform file it reads (not one Terraform leaves out, an excluded one or a tfvars file
    Terraform does not load), else None."""
    if (
        found.error is None
        and not found.excluded
        and found.unread is None
        and is_terraform(found.path)
        and not is_unloaded_tfvars_file(found.path)
    ):
        return os.path.dirname(found.path)
    return None


def scanned_module(root: str, folder: str, excluded: Callable[[str], bool] | None) -> str | None:
    """The module in ``folder`` as a folder scan of ``root`` names it when it reads it on its
    own, found without walking ``root``; None when the scan does not read it so.  Every folder
    on the way down is one the walk enters (:func:`_not_entered`) and ``folder`` holds a
    Terraform file the scan reads (:func:`_found_file`).  The walk meets a folder at its real
    place, so ``live/prod/mods/ci_role`` reached through a link to ``../../modules`` is
    ``modules/ci_role``: the folders are spelled from ``root`` as the walk spells them (for
    ``excluded``, and for the findings' files, which their fingerprints embed)."""
    is_excluded = excluded or (lambda _: False)
    base = tidy_path(root) or os.curdir
    real = os.path.realpath(folder or os.curdir)
    relative = os.path.relpath(real, os.path.realpath(base))
    if relative == os.pardir or relative.startswith(os.pardir + os.sep) or os.path.isabs(relative):
        return None
    here = base
    for name in [] if relative == os.curdir else relative.split(os.sep):
        here = _joined(here, name)
        if _not_entered(here, name, is_excluded) is not None:
            return None
    try:
        _, files, _ = _listing(here)
    except OSError:
        return None
    for name in files:
        found = _found_file(here, name, is_excluded)
        if found is not None and module_folder_of(found) is not None:
            return os.path.dirname(found.path)
    return None


def folder_files(folder: str, excluded: Callable[[str], bool] | None = None) -> list[Target]:
    """The files of ``folder`` alone (not of its folders) as a walk of it finds them
    (:func:`_found_file`), sorted; none when it cannot be listed."""
    is_excluded = excluded or (lambda _: False)
    try:
        _, files, _ = _listing(folder or os.curdir)
    except OSError:
        return []
    found = (_found_file(folder, name, is_excluded) for name in sorted(files))
    return [target for target in found if target is not None]


class _FirstNames:
    """The files met so far, by real path: whether a name is the first a file is met under.

    A file that is not a link is its folder's real path and its name: one ``realpath`` per
    folder, not per file (a large tree has tens of thousands of files).  A link is resolved;
    a broken link or a loop has no file behind it and is always read, to say which it is.
    """

    def __init__(self) -> None:
        self._files: set[str] = set()
        self._folders: dict[str, str] = {}

    def is_first(self, path: str, link: bool) -> bool:
        if is_terraform(path) and not is_unloaded_tfvars_file(path):
            return True  # a module is its folder: see the module's docstring
        if link:
            if not os.path.exists(path):
                return True
            real = os.path.realpath(path)
        else:
            folder, name = os.path.split(path)
            real = os.path.join(self._real_folder(folder), name)
        if real in self._files:
            return False
        self._files.add(real)
        return True

    def _real_folder(self, folder: str) -> str:
        """The folder's real path; from its parent's, when that is known and the folder is not
        a link (one ``lstat`` rather than one per level)."""
        real = self._folders.get(folder)
        if real is None:
            parent, name = os.path.split(folder)
            known = self._folders.get(parent) if name not in ("", os.curdir, os.pardir) else None
            if known is not None and not os.path.islink(folder):
                real = os.path.join(known, name)
            else:
                real = os.path.realpath(folder or os.curdir)
            self._folders[folder] = real
        return real


def _walk(
    root: str, is_excluded: Callable[[str], bool], limit: WalkLimit | None = None
) -> Iterator[tuple[Target, bool]]:
    """Supported files under ``root``, each marked excluded when the configuration excludes it,
    or with why it is not read when Terraform does not read it (see the module's docstring);
    an excluded folder is yielded once, itself, as excluded (and not walked); a folder that
    cannot be listed is yielded with the reason.  Each with whether it is a symbolic link.

    The order is ``os.walk``'s, top down with names sorted: a folder's files, then each of its
    folders in turn.  The walk keeps its own stack of folders to visit rather than recursing as
    ``os.walk`` does before Python 3.12, which raised ``RecursionError`` about 1,000 folders
    deep and so lost the whole run.  With a ``limit``, the walk stops at the folder whose entries
    it has no more of.
    """
    pending = [root]
    while pending:
        directory = pending.pop()
        try:
            subdirectories, files, links = _listing(directory)
        except OSError as error:
            reason = f"cannot read folder: {error.strerror or error}"
            yield Target(directory, explicit=False, error=reason), False
            continue
        if limit is not None:
            limit.entries -= len(subdirectories) + len(files)
            if limit.entries < 0:
                limit.stopped_at = directory
                return
        walked = []
        for name in sorted(subdirectories):
            path = _joined(directory, name)
            left = _not_entered(path, name, is_excluded)
            if left is None:
                walked.append(path)
            elif left == _EXCLUDED:
                yield Target(path, explicit=False, excluded=True), False
        for name in sorted(files):
            found = _found_file(directory, name, is_excluded)
            if found is not None:
                yield found, name in links
        pending.extend(reversed(walked))


# Why the walk does not enter a folder (:func:`_not_entered`).
_IGNORED = "ignored"
_EXCLUDED = "excluded"
_LINKED = "a symbolic link"


def _not_entered(path: str, name: str, is_excluded: Callable[[str], bool]) -> str | None:
    """Why the walk does not enter the folder ``path`` (named ``name``), else None: its name is
    one of :data:`IGNORED_DIRECTORIES`, the configuration excludes it (the walk says so), or it
    is a symbolic link (see the module's docstring).  The one statement of the rule, which the
    walk and :func:`scanned_module` follow."""
    if name in IGNORED_DIRECTORIES:
        return _IGNORED
    if is_excluded(path):
        return _EXCLUDED
    if os.path.islink(path):
        return _LINKED
    return None


def _found_file(directory: str, name: str, is_excluded: Callable[[str], bool]) -> Target | None:
    """The file ``name`` of ``directory`` as the walk finds it, marked excluded when the
    configuration excludes it, or with why it is not read when Terraform does not read it;
    None when it is of no kind a scan reads (:func:`rolelint.parsers.is_supported`).  The one
    statement of the rule, which the walk, :func:`scanned_module` and :func:`folder_files`
    follow."""
    if not is_supported(name):
        return None
    path = _joined(directory, name)
    return Target(
        path, explicit=False, excluded=is_excluded(path), unread=terraform_leaves_out(name)
    )


def _joined(directory: str, name: str) -> str:
    """``name`` inside ``directory``, where the folder ``.`` adds nothing (see tidy_path), except
    to a file named ``-``, which would read as standard input."""
    return name if directory == "." and name != STDIN else os.path.join(directory, name)


def _listing(directory: str) -> tuple[list[str], list[str], set[str]]:
    """The names of ``directory``'s folders and of everything else in it, as ``os.walk`` sorts
    them: a link to a folder counts as a folder (and is not walked), an entry whose kind cannot
    be read as a file (reading it then says why); and which of the others are links."""
    subdirectories: list[str] = []
    files: list[str] = []
    links: set[str] = set()
    with os.scandir(directory) as entries:
        for entry in entries:
            try:
                is_directory = entry.is_dir()
            except OSError:
                is_directory = False
            (subdirectories if is_directory else files).append(entry.name)
            if not is_directory and _is_link(entry):
                links.add(entry.name)
    return subdirectories, files, links


def _is_link(entry: os.DirEntry[str]) -> bool:
    """Whether a folder entry is a symbolic link (read from the listing, no system call on
    most systems); one whose kind cannot be read is taken for one, to be resolved."""
    try:
        return entry.is_symlink()
    except OSError:
        return True
