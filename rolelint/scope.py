"""What one run could have seen, so that rolelint only reports an absence it observed.

Two notes are about findings that did *not* occur: a baseline entry that no longer matches ("fix
recorded, record the baseline again") and a suppression that covers nothing ("remove it").  Both
are advice to delete something, and a run that did not look cannot give it: a pre-commit hook
passes only the changed files, ``--select``/``--ignore`` run some rules only.  Re-recording the
baseline from such a run would lose the entries of every other file and rule.

The rule: a run judges a rule when the rule ran; a cross-file rule (class ``chaining``: a chain
runs through roles of several files) only when the run named folders alone, not single files
(or standard input), since the files left out may hold the rest of the chain.  A folder is
taken to hold every role its chains pass through: name the folder that does.  A baseline entry
is judged when its rule is and its file was analyzed whole in this run (read and parsed
without error), or is no more in a folder the run walked (deleted with its findings).

What a Terraform module grants may depend on its inputs: a ``module.`` finding depends on the
call, in a file a run of some files may not have read, and a module folder read alone (the
hook passing its file, a run naming its folder) has no value for the variables only a caller
sets.  Neither run can tell that a finding there is absent.

A file read only because it is linked to a named file (rolelint.template_readers: a template,
a Terraform module or an account export) is judged with the files linked to it in turn as far
as the search goes, but not with all a whole run links it to (a role chain through files the
search does not look for, say): a finding of its own recorded by a whole run may not occur
only for that reason, so its absence is not judged either.  Nor is the absence of a finding
of a named file whose search stopped at its budget (rolelint.module_readers), or of the
modules it brought: what it is judged with beyond that point was not read.

A policy file is read in one of two roles: on its own (its findings' resource is the file) or
as the policy of a Terraform module reading it (the module's address).  A run of some files
that did not find the module a whole run found reads it on its own: it never looked for the
module's finding, so the entry recorded for it is not absent either.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum

# Rule classes whose findings depend on files other than the one they are reported in.
CROSS_FILE_CLASSES = frozenset({"chaining"})


class Absence(Enum):
    """What the absence of a recorded finding from a run means (:meth:`RunScope.absence`)."""

    GONE = "gone"  # the run could have made it: there is none any more
    ELSEWHERE = "elsewhere"  # its policy file was read in another role: it was not looked for
    UNSEEN = "unseen"  # the run could not have made it (a rule not judged, a file not read)


@dataclass(frozen=True, slots=True)
class RunScope:
    """The files a run analyzed whole, the rules it judged (see the module's docstring)."""

    files: frozenset[str] = frozenset()
    rules: frozenset[str] = frozenset()  # rule ids, upper-case
    folders: tuple[str, ...] = ()  # the folders the run walked, absolute
    partial: bool = False  # the run named files (or standard input), not folders alone
    # Folders of Terraform modules with a file that could not be read or parsed: what the rest
    # of the module holds may depend on it (a local it defines).
    broken_modules: frozenset[str] = frozenset()
    # Terraform module folders (real paths) evaluated through a module call, and those read
    # only as a root module, declaring a variable nothing sets (see inputs_known).
    called_modules: frozenset[str] = frozenset()
    unset_input_modules: frozenset[str] = frozenset()
    # The policy files read on their own (as the run names them), and those a Terraform module
    # read with file() or templatefile() (real paths): see absence.
    policies_alone: frozenset[str] = frozenset()
    module_policies: frozenset[str] = frozenset()
    # The files read only because they are linked to a named file (templates, account exports,
    # the files of Terraform modules; as the run names them): see absence.
    context: frozenset[str] = frozenset()
    # The files judged without all a search for what they depend on would have read, since it
    # stopped at its budget (rolelint.module_readers): a named file, and the files of the
    # modules it brought; see absence.
    stopped: frozenset[str] = frozenset()

    def judges(self, rule_id: str) -> bool:
        """Whether the absence of a finding of ``rule_id`` means there is none."""
        return rule_id.upper() in self.rules

    def whole(self, file: str) -> bool:
        """Whether ``file`` was analyzed with all it depends on: not a Terraform file of a
        module with a file that failed to parse."""
        from rolelint.parsers import is_terraform

        return not (is_terraform(file) and os.path.dirname(file) in self.broken_modules)

    def inputs_known(self, file: str) -> bool:
        """Whether ``file`` was evaluated with the inputs that decide what it grants: not a
        Terraform file of a module evaluated through a call in a partial run (another caller
        may be unread, as for a ``module.`` resource in :meth:`covers`), nor of a module read
        only without a caller while a variable of it has no value."""
        from rolelint.parsers import is_terraform

        if not is_terraform(file):
            return True
        folder = os.path.realpath(os.path.dirname(file) or os.curdir)
        if folder in self.called_modules:
            return not self.partial
        return folder not in self.unset_input_modules

    def covers(self, rule_id: str, file: str, resource: str | None = None) -> bool:
        """Whether the absence of a finding of ``rule_id`` in ``file`` (of ``resource``) means
        there is none (:meth:`absence`)."""
        return self.absence(rule_id, file, resource) is Absence.GONE

    def absence(self, rule_id: str, file: str, resource: str | None = None) -> Absence:
        """What the absence of a finding of ``rule_id`` in ``file`` (of ``resource``) means: the
        one judgement of a recorded finding the run did not make, so that a baseline entry is
        counted gone, or read elsewhere, by the same tests :meth:`covers` makes.

        A policy file read in another role than the one that made ``resource`` a finding's
        resource was not looked for (:meth:`_read_elsewhere`).  A Terraform module instance's
        finding (``module.app.…``) depends on the call, in a file a run of some files may not
        have read; one in a module's file may depend on what only a caller passes
        (:meth:`inputs_known`), as a suppression comment's does.  A file read only for a named
        one's sake (:attr:`context`) is not judged whole, nor one whose search stopped before
        the end (:attr:`stopped`)."""
        if self._read_elsewhere(file, resource):
            return Absence.ELSEWHERE
        if not self.judges(rule_id):
            return Absence.UNSEEN
        if self.partial and resource is not None and resource.startswith("module."):
            return Absence.UNSEEN
        if not self.whole(file) or not self.inputs_known(file):
            return Absence.UNSEEN
        if file in self.context or file in self.stopped:
            return Absence.UNSEEN
        if file in self.files or (
            not os.path.lexists(file) and _in_any(os.path.abspath(file), self.folders)
        ):
            return Absence.GONE
        return Absence.UNSEEN

    def _read_elsewhere(self, file: str, resource: str | None) -> bool:
        """Whether a run of some files read the policy ``file`` in another role than the one
        that made ``resource`` a finding's resource: on its own (a raw policy's resource is the
        file itself) rather than as a module's policy (a Terraform address), or the reverse.  A
        file named alone is read on its own when the search finds no module reading it
        (rolelint.module_readers) though a folder scan found one: its recorded finding is not
        absent, it was not looked for.  An entry without a resource tells no role."""
        if not self.partial or not resource:
            return False
        names_file = os.path.basename(resource) == os.path.basename(file)
        if file in self.policies_alone:
            return not names_file
        if self.module_policies and os.path.realpath(file) in self.module_policies:
            return names_file
        return False


def judged_rules(ran: Iterable[str], partial: bool) -> frozenset[str]:
    """The rules of ``ran`` whose silence a run may report: cross-file ones only when the run
    was not ``partial``."""
    from rolelint.catalog import load_catalog

    catalog = load_catalog().items()
    cross_file = {rule_id for rule_id, rule in catalog if rule.rule_class in CROSS_FILE_CLASSES}
    return frozenset(
        rule_id.upper() for rule_id in ran if not (partial and rule_id.upper() in cross_file)
    )


def names_files_alone(paths: Iterable[str]) -> bool:
    """Whether ``paths`` name standard input, or a file (or a path that is not there) outside
    every folder they also name: ``check a.yaml`` and ``check -`` do, ``check .`` and ``check
    infra infra/a.yaml`` do not."""
    from rolelint.discovery import STDIN

    named = list(paths)
    folders = walked_folders(named)
    for path in named:
        if path == STDIN:
            return True
        if not os.path.isdir(path) and not _in_any(os.path.abspath(path), folders):
            return True
    return False


def walked_folders(paths: Iterable[str]) -> tuple[str, ...]:
    """The folders among ``paths``, absolute."""
    from rolelint.discovery import STDIN

    return tuple(os.path.abspath(p) for p in paths if p != STDIN and os.path.isdir(p))


def _in_any(path: str, folders: Iterable[str]) -> bool:
    for folder in folders:
        try:
            if os.path.commonpath([path, folder]) == folder:
                return True
        except ValueError:  # another drive
            continue
    return False
