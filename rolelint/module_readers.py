"""The Terraform modules a file named on the command line is judged with, as a folder scan does.

pre-commit names the changed files alone, and a file's findings must be those a run over the
whole repository gives (the same messages, resources and fingerprints, which the team's baseline
records), or the hook fails a commit on recorded findings and passes real ones:

- A policy kept as ``policies/deploy.json`` and read by ``file("${path.module}/...")`` (or a
  template rendered by ``templatefile()``) is that module's policy: it brings the modules that
  read it (:meth:`ModuleSearch.readers`), and is not analyzed a second time on its own.
- A module's file gets its values from its callers (``trusted_account = "999988887777"``):
  judged alone it said nothing.  It brings the roots that call it, and theirs
  (:meth:`ModuleSearch.callers`).
- A folder scan reads every module folder on its own as well as through its callers, and keeps
  the finding of the module read on its own (rolelint.engine.merge_module_instances), whose
  address has no ``module.`` prefix.  Every root a run reads therefore brings the local modules
  it calls inside the project, or outside any inside its folder (:meth:`ModuleSearch.called`),
  or the same finding came out with another fingerprint.

The search covers the file's project, walked as a folder scan walks it (not ``.git``,
``.terraform`` or the other folders a scan skips, nor what the configuration excludes): the
folder of the configuration file or the root of the git checkout, whichever is nearer the file.
Outside any project it covers the file's folder and the two above (:data:`LEVELS`), those
folders only (walking the folders below the top one could walk a home folder): a module's
caller beside it (``live/prod`` for ``modules/ci``) is not found, which docs/ci.md says, with
the remedy (a configuration file at the top makes the tree a project).  Only text is
read (the file names a folder's Terraform mentions, the sources of its module blocks:
rolelint.parsers.tf_calls), once per folder for the whole run; the modules found are then read
as any other, and only a real ``file()`` of a file makes it a module's.  No file over the
run's size limit is read, and a notice names each one left unread (:meth:`ModuleSearch.unread`):
nothing is skipped silently.

A project may be a monorepo of thousands of folders, and pre-commit names one file: the
searches of a run look at :data:`SEARCH_ENTRIES` folder entries and read :data:`SEARCH_BYTES` of
Terraform text at most, a text parsed by the search of rolelint.template_readers counted again
(:meth:`ModuleSearch.parsing`).  Past that, the modules not searched are not read, and one
notice says where the search stopped.  The modules a root calls are not searched for: a
root's text names them, and whether a folder scan reads one on its own is asked of its path
(rolelint.discovery.scanned_module), not of a walk.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from rolelint.discovery import LeftOut, WalkLimit
from rolelint.findings import InputError
from rolelint.parsers import POLICY_FORMAT, ParseOutcome
from rolelint.reading import MAX_FILE_SIZE, MIB, shown_size

LEVELS = 3  # outside a project: the file's folder and two above
# What the searches of one run may look at: folder entries listed while walking projects, and
# Terraform text read (file names and module sources are searched in it).  A project of 400
# module folders needs 810 entries and 22 KB, rolelint's own repository 1,083 entries and
# 180 KB.  Every entry counts, a Python or JavaScript file as well (telling them apart costs
# as much as listing them): an application beside the infrastructure (a folder of 5,400
# Python files) must not spend it, so it is ten times that, about 0.75 s of walking at 15 us
# an entry; the text, read only from the folders holding Terraform, stays small.  A text the
# template search parses (a module, with those it calls; a template) is counted again, as
# parsing costs more than reading (600 modules of 550 bytes parsed: 0.6 MB).  Past either,
# the modules not searched are not read, with a notice (search_stopped).
SEARCH_ENTRIES = 50_000
SEARCH_BYTES = 2 * MIB
# The suffixes of the files a module may read as a policy or a policy's template ("trust.json",
# "trust.json.tmpl", "trust.tmpl", and "trust.json.tftpl" as HashiCorp recommends naming the
# files of templatefile(), or the older ".tpl"): named on the command line, such a file brings
# its modules.
READ_SUFFIXES = (".json", ".tmpl", ".tftpl", ".tpl")
# Such a file's name as Terraform text writes it ("${path.module}/policies/deploy.json"): its
# suffix, and before it the path, up to what ends a path (a quote, a bracket, an interpolation).
_SUFFIX = re.compile(r"\.(?:json|tmpl|tftpl|tpl)\b", re.IGNORECASE)
_BEFORE_PATH = frozenset("\"'\\(){}[],=")
# A file named from the module's own folder, and nothing else to fill in: where it is, is known
# ("${path.module}/../../policies/trust.json"), so a module elsewhere naming another file of
# the same name ("${path.module}/policies/trust.json" in every stack) does not count.
_MODULE_PATH = re.compile(
    r'"\$\{path\.module\}/([^"$%\\\n]+\.(?:json|tmpl|tftpl|tpl))"', re.IGNORECASE
)

# Why a template named alone is not analyzed, when the search found no module rendering it.
NOT_RENDERED_IN_PROJECT = "no module of its project renders it with templatefile()"
NOT_RENDERED_NEARBY = "no module in its folder or the two above renders it with templatefile()"
# ... and when the search stopped before it could tell (search_stopped says where).
NOT_RENDERED_SEARCH_STOPPED = (
    "the search for a module rendering it with templatefile() stopped before the end"
)


@dataclass(frozen=True, slots=True)
class Sought:
    """What a search looks for, in the words of the notice that says where it stopped: the
    searches of one run share a walk and a budget, and the one that runs out says what it was
    looking for."""

    files: str  # the files it looks for
    text: str  # the text it reads in their folders
    beyond: str  # what is not known of the files it did not read


MODULES = Sought(
    "the modules that call or read this file",
    "Terraform text",
    "callers and readers beyond it are not read, so what they pass is not known here",
)
# The search of rolelint.template_readers, which reads its candidates with ModuleSearch.text.
TEMPLATES = Sought(
    "the templates linked to this template (using its policies or exports, or defining what it"
    " uses)",
    "text",
    "templates beyond it are not read, so the roles holding its policies there, and what it"
    " takes from them, are not known here",
)
# The search of rolelint.template_readers for the files linked to a template (or to a named
# file other than a template) by a customer managed policy one defines and another attaches:
# Terraform modules, account exports and other templates.
LINKED_BY_POLICY = Sought(
    "the files linked to this file by a customer managed policy (attaching one it defines, or"
    " defining one it attaches)",
    "text",
    "files beyond it are not read, so the roles holding its policies there, and the policies"
    " it attaches from them, are not known here",
)


def search_stopped(where: str, sought: Sought) -> str:
    """The notice of a search for ``sought`` that ran out of its budget at ``where``."""
    return (
        f"the search for {sought.files} stopped at {where or os.curdir} (rolelint looks at"
        f" {SEARCH_ENTRIES:,} folder entries and {shown_size(SEARCH_BYTES)} of {sought.text} at"
        f" most): {sought.beyond}"
    )


def may_be_read(path: str, outcome: ParseOutcome | None) -> bool:
    """Whether a module may read the file named ``path`` as a policy or a policy's template:
    its suffix says so, and its own reading (``outcome``; None when it could not be read, which
    that reading reports) found a policy, found no document it reads in a template (Terraform
    fills a template's ``${...}`` and ``%{...}`` before it is one, and may build its policy any
    way: ``${jsonencode({...})}``), or did not find it parse (a policy with placeholders is no
    JSON yet).  pre-commit passes every changed JSON file (``package.json``, ``tsconfig.json``, a
    saved plan): searching the project's modules for each would walk the whole repository for
    nothing.  A CloudFormation template, a Terraform plan or state, an account export or an IAM
    answer holds policies, but no module reads one as its policy.  Every ``.tpl`` of a Helm
    chart (a file of its ``templates/`` folder, beside ``Chart.yaml``) is Helm's, skipped
    quietly.  Decided from the reading the run makes anyway: the file is read once."""
    lowered = path.lower()
    if not lowered.endswith(READ_SUFFIXES) or _in_helm_chart(path):
        return False
    if outcome is None or outcome.format == POLICY_FORMAT:
        return True
    if outcome.format is not None:
        return False  # another document
    return outcome.holds_policies or bool(outcome.errors) or not lowered.endswith(".json")


def _in_helm_chart(path: str) -> bool:
    """Whether ``path`` is in the ``templates/`` folder of a Helm chart (or a folder of it)."""
    folder = os.path.dirname(os.path.abspath(path))
    while True:
        parent, name = os.path.split(folder)
        if name == "templates" and os.path.isfile(os.path.join(parent, "Chart.yaml")):
            return True
        if not name or parent == folder:
            return False
        folder = parent


class ModuleSearch:
    """The searches of one run, each folder read once however many files are named (pre-commit
    names hundreds of policies in the same folders), all within one budget; :attr:`notices`
    says where they stopped when it ran out."""

    def __init__(
        self,
        config_root: str | None = None,
        excluded: Callable[[str], bool] | None = None,
        max_size: int | None = MAX_FILE_SIZE,
    ) -> None:
        self._config_root = os.path.abspath(config_root) if config_root is not None else None
        self._excluded = excluded
        # The files of a module folder the run reads it without (those excluded): the searches
        # read and parse a module without them too, or a module linked only by what an excluded
        # file says was brought, and an excluded file named in a notice.
        self.left_out = LeftOut(excluded) if excluded is not None else None
        # The run's size limit (--max-file-size): no file the searches read or parse (a
        # template, a module's Terraform) is over it, as no file the run reads is.
        self._max_size = max_size
        # The files left unread for being over it, with the run's error for each (by real
        # path): said in notices (:meth:`unread`), as nothing is skipped silently.
        self._too_big: dict[str, InputError] = {}
        self._limit = WalkLimit(SEARCH_ENTRIES)
        self._bytes_left = SEARCH_BYTES
        self.notices: list[InputError] = []  # at most one: where the searches stopped
        self._texts: dict[str, list[tuple[str, str]]] = {}  # folder -> its files' texts
        self._projects: dict[str, str | None] = {}  # folder (absolute) -> its project's root
        self._names: dict[str, tuple[dict[str, set[str]], frozenset[str]]] = {}  # see _named
        self._calls: dict[str, list[str]] = {}  # folder -> the folders its module calls name
        self._walks: dict[tuple[str, bool], list[str]] = {}  # (root, absolute) -> its folders
        self._documents: dict[tuple[str, bool], list[str]] = {}  # the same walk's other files
        # (area, absolute) -> the callers of each module folder met there, by its real path
        self._callers: dict[tuple[str, bool], dict[str, list[str]]] = {}
        self._covered: set[str] = set()  # the projects the run's own walk covered
        self._cut: set[str] = set()  # the named files whose searches stopped before the end
        self._partial: set[tuple[str, bool]] = set()  # the walks the entries' budget cut short
        # The callers' indexes (their keys) built by a search the text budget cut short: they
        # miss what lies beyond, for every search asking them.
        self._short: set[tuple[str, bool]] = set()

    def walked(self, path: str, folders: Iterable[str]) -> None:
        """What the run's own walk of the folder ``path`` found (``folders``, the module
        folders of the files it met, spelled as it spelled them): when ``path`` is its
        project's root, the project is not walked again, and every module a folder scan of it
        reads on its own is read already (:meth:`called` has nothing to add)."""
        from rolelint.discovery import tidy_path

        root = os.path.abspath(path)
        absolute = os.path.isabs(path)
        spelled = tidy_path(path)
        if self.project(path) != root or spelled != (_spelled(root, absolute) or os.curdir):
            return
        if spelled == os.curdir:
            inside = [f for f in folders if not os.path.isabs(f) and not _above(f)]
        else:
            inside = [f for f in folders if f == spelled or f.startswith(spelled + os.sep)]
        self._walks[(root, absolute)] = list(dict.fromkeys(inside))
        self._covered.add(root)

    def project(self, path: str) -> str | None:
        """The root of ``path``'s project, absolute: the configuration's folder or the git
        checkout's root holding it, whichever is nearer; None outside both."""
        here = os.path.abspath(path)
        return self._project_of(here if os.path.isdir(here) else os.path.dirname(here))

    def _project_of(self, folder: str) -> str | None:
        """:meth:`project` of the absolute ``folder``, looked for once per folder for the run
        (pre-commit names hundreds of files in the same folders, and each is asked of several
        times): the answer is kept for every folder passed on the way up to it."""
        passed: list[str] = []
        root: str | None
        while True:
            if folder in self._projects:
                root = self._projects[folder]
                break
            passed.append(folder)
            if folder == self._config_root or os.path.lexists(os.path.join(folder, ".git")):
                root = folder  # a worktree's .git is a file
                break
            parent = os.path.dirname(folder)
            if parent == folder:
                root = None
                break
            folder = parent
        for seen in passed:
            self._projects[seen] = root
        return root

    def readers(self, path: str) -> list[str]:
        """The folders of the modules whose Terraform names ``path``'s file, spelled as
        ``os.path.dirname`` spells them (``""`` for the working folder)."""
        name = os.path.basename(path).lower()
        real = os.path.realpath(path)
        spelled = os.path.abspath(path).lower().replace(os.sep, "/")
        found = []
        for folder in self._searched(os.path.dirname(path), os.path.isabs(path), path):
            tails, exact = self._named(folder)
            if real in exact or any(
                spelled == tail or spelled.endswith("/" + tail) for tail in tails.get(name, ())
            ):
                found.append(folder)
        return found

    def not_rendered(self, path: str) -> str:
        """Why a template named alone that no module renders is skipped: where the search
        looked, or that it stopped before it could tell."""
        if path in self._cut:
            return NOT_RENDERED_SEARCH_STOPPED
        return NOT_RENDERED_NEARBY if self.project(path) is None else NOT_RENDERED_IN_PROJECT

    def callers(self, folder: str, named: str, together: Iterable[str] = ()) -> list[str]:
        """The folders of the modules that call the module in ``folder``, and of those that
        call them (a root reaches a module through others), spelled as ``folder`` is; ``named``
        is the file named on the command line that brought it (for the notice), ``together``
        the other named files searching for them with it (counted as stopped with it).  A
        module declaring no ``variable`` and reading no file from a place its caller decides
        (``path.root``, a relative path) has none: no caller changes anything it says."""
        from rolelint.parsers.tf_calls import takes_from_callers

        if not any(takes_from_callers(text) for _, text in self._files(folder)):
            return []
        # By the area searched: the project, or outside any the folder (its window).
        key = self._area_key(folder, os.path.isabs(folder))
        index = self._callers.get(key)
        if index is None:
            index = self._callers[key] = {}
            searched = 0
            for caller in self._searched(folder, key[1], named, MODULES, together):
                searched += 1
                for called in self._called_by(caller):
                    index.setdefault(os.path.realpath(called or os.curdir), []).append(caller)
            if searched < len(self._area(folder, key[1], named)):
                self._short.add(key)
        elif key in self._short or key in self._partial:
            # Built by a search the budget cut short: the callers beyond are not known to this
            # one either (counted as stopped, as the search that built it was).
            self._count_stopped(named, together)
        found: list[str] = []
        seen = {os.path.realpath(folder or os.curdir)}
        pending = list(seen)
        while pending:
            for caller in index.get(pending.pop(0), []):
                real = os.path.realpath(caller or os.curdir)
                if real not in seen:
                    seen.add(real)
                    found.append(caller)
                    pending.append(real)
        return found

    def called(self, folder: str, known: Iterable[str] = ()) -> list[str]:
        """The folders of the local modules the module in ``folder`` calls, and those they
        call, that a folder scan of its area reads on its own (:meth:`_area_key`: its
        project's root, or outside any its own folder, where the window of the other searches
        starts), spelled as its walk spells them (a module reached through a linked folder is
        read where the scan reads it, not under the link's name); ``known`` are the real paths
        of the folders the run reads already (passed through, not searched again).

        Outside a project none was: a root named alone read the modules it calls only through
        its calls, so their findings came out under ``module.`` addresses, with other
        fingerprints than a scan of its folder gives, which reads them alone too."""
        from rolelint.discovery import scanned_module

        absolute = os.path.isabs(folder)
        root = self._area_key(folder, absolute)[0]
        if root in self._covered:
            return []
        spelled_root = _spelled(root, absolute)
        found: list[str] = []
        seen = {os.path.realpath(folder or os.curdir), *known}
        pending = [folder]
        while pending:
            for called in self._called_by(pending.pop(0)):
                real = os.path.realpath(called or os.curdir)
                if real not in seen:
                    seen.add(real)
                    pending.append(called)
                    scanned = scanned_module(spelled_root, called, self._excluded)
                    if scanned is not None:
                        found.append(scanned)
        return found

    def documents(
        self, path: str, sought: Sought = TEMPLATES, together: Iterable[str] = ()
    ) -> list[str]:
        """The files other than Terraform a folder scan of ``path``'s project reads on their own
        (templates, policies, account exports), for the search of ``sought``: found by the walk
        the module searches use and within its budget (a notice at ``path`` when it runs out,
        and ``path``'s search counted as stopped, :attr:`stopped`); outside a project, those
        of the file's folder and the two above.  None when the run's own walk covered the
        project: every one of them is read already.  ``together`` are the other named files
        whose searches go through the same files with ``path``'s (of the same :meth:`area`):
        counted as stopped with it."""
        from rolelint.discovery import Target, is_document

        absolute = os.path.isabs(path)
        root = self.project(path)
        if root is None:
            return [
                found
                for folder in self._area(os.path.dirname(path), absolute, path)
                for found in _listed_files(folder)
                if is_document(Target(found, explicit=False, excluded=self._is_excluded(found)))
            ]
        if root in self._covered:
            return []
        self._walk(root, absolute, path, sought)
        if (root, absolute) in self._partial:
            self._count_stopped(path, together)  # its project's walk was cut short
        return self._documents.get((root, absolute), [])

    def modules(
        self, path: str, sought: Sought, together: Iterable[str] = ()
    ) -> Iterator[tuple[str, list[tuple[str, str]]]]:
        """The folders of Terraform modules of ``path``'s project (outside a project, of the
        file's folder and the two above), each with its files' texts, for the search of
        ``sought``: found by the walk and within the budget the module searches use (past
        it, a notice at ``path`` and no more; ``path``'s search, and those of ``together``
        going through them with it, counted as stopped).  Nothing when the run's own walk
        covered the project: every one of them is read already."""
        root = self.project(path)
        if root is not None and root in self._covered:
            return
        folder, absolute = os.path.dirname(path), os.path.isabs(path)
        for found in self._searched(folder, absolute, path, sought, together):
            yield found, self._files(found)

    def area(self, path: str) -> tuple[str | None, str, bool]:
        """What :meth:`documents` and :meth:`modules` give for ``path`` depends on: the named
        files of the same area are given the same files, and may go through them together (its
        project's root; the project or window of its folder; whether it is named by an absolute
        path, as they are spelled)."""
        folder = os.path.dirname(path) or os.curdir
        absolute = os.path.isabs(path)
        return self.project(path), self._area_key(folder, absolute)[0], absolute

    def text(
        self, path: str, named: str, sought: Sought = TEMPLATES, together: Iterable[str] = ()
    ) -> str | None:
        """``path``'s text for the search of ``sought``, counted in the budget of text the
        searches read; None when it cannot be read (its own reading says why), is over the
        run's size limit (left unread, as the run leaves such a file, and said in a notice:
        :meth:`unread`) or once the budget is spent (a notice at ``named`` says it stopped at
        ``path``, and ``named``'s search is counted as stopped, :attr:`stopped`, with those of
        ``together``, the named files reading it with it)."""
        from rolelint.parsers.document_formats import clearly_not_analyzed
        from rolelint.reading import is_regular_file, read_regular_text

        if self.spent:
            self._count_stopped(named, together)
            self._stop(path, named, sought)
            return None
        if not is_regular_file(path):
            return None  # not opened: a device may do something when it is
        # A package manager's lock file (package-lock.json, pnpm-lock.yaml) or a CDK tree.json
        # is no template, and its megabytes of text spent the budget before the templates
        # beyond it were read: judged by its name or start, as a scan judges one over the size
        # limit, it is left unread past its start.
        text, too_big = read_regular_text(
            path, max_size=self._max_size, unwanted=lambda head: clearly_not_analyzed(path, head)
        )
        self._left_unread(path, too_big)
        self._bytes_left -= len(text or "")
        return text

    def parsing(
        self, where: str, named: str, sought: Sought, size: int, together: Iterable[str] = ()
    ) -> bool:
        """Whether the search for ``sought`` may parse ``where``, whose parse reads ``size``
        bytes of text (:meth:`module_size` for a module).  A parse costs far more than reading
        the text it parses, and a search counting only the reading parsed most of a big
        repository's modules for one named template, with no notice: each parse is charged its
        text again.  Once the budget is spent, nothing more is parsed: a notice at ``named``
        says the search stopped at ``where``, and ``named``'s search is counted as stopped
        (:attr:`stopped`), with those of ``together``, the named files needing it too."""
        if self.spent:
            self._count_stopped(named, together)
            self._stop(where, named, sought)
            return False
        self._bytes_left -= size
        return True

    def module_size(self, folder: str) -> int:
        """The bytes of Terraform text parsing the module in ``folder`` reads: its files' and
        those of the local modules it calls, and they call, each once (a module's parse
        evaluates the modules it calls).  The text of a folder no search has read yet is read
        now, and counted twice: once as read, once as parsed."""
        size = 0
        seen: set[str] = set()
        pending = [folder]
        while pending:
            here = pending.pop()
            real = os.path.realpath(here or os.curdir)
            if real in seen:
                continue
            seen.add(real)
            read = here in self._texts
            text = sum(len(text) for _, text in self._files(here))
            size += text if read else 2 * text
            pending.extend(self._called_by(here))
        return size

    @property
    def max_size(self) -> int | None:
        """The run's size limit, which no file the searches read or parse is over."""
        return self._max_size

    def unread(self, read: Iterable[str]) -> list[InputError]:
        """The notices of the files the searches left unread for being over the run's size
        limit, in the run's words for such a file (its size and the limit), but of those in
        ``read`` (the files the run read or tried to read: its own error says it)."""
        reals = {os.path.realpath(path) for path in read}
        return [error for real, error in self._too_big.items() if real not in reals]

    def _left_unread(self, path: str, too_big: InputError | None) -> None:
        """Keep ``too_big``, the run's error for ``path`` over the size limit, for a notice."""
        if too_big is not None:
            self._too_big.setdefault(os.path.realpath(path), too_big)

    @property
    def stopped(self) -> frozenset[str]:
        """The named files (as the run names them) whose searches stopped before the end: what
        they are judged with may lie beyond where the budget ran out."""
        return frozenset(self._cut)

    @property
    def spent(self) -> bool:
        """Whether the searches have read as much text as their budget lets them."""
        return self._bytes_left <= 0

    def _is_excluded(self, path: str) -> bool:
        return self._excluded is not None and self._excluded(path)

    def _searched(
        self,
        folder: str,
        absolute: bool,
        named: str,
        sought: Sought = MODULES,
        together: Iterable[str] = (),
    ) -> Iterator[str]:
        """The folders searched for a file of ``folder`` (:meth:`_area`) whose text the budget
        lets the search for ``sought`` read; when it runs out, a notice at ``named`` and no
        more (the searches of ``named`` and ``together`` counted as stopped)."""
        area = self._area(folder, absolute, named, sought)
        if (self.project(folder or os.curdir), absolute) in self._partial:
            self._count_stopped(named, together)  # its project's walk was cut short
        for found in area:
            if found not in self._texts:
                if self._bytes_left <= 0:
                    self._count_stopped(named, together)
                    self._stop(found, named, sought)
                    return
                self._bytes_left -= sum(len(text) for _, text in self._files(found))
            yield found

    def _count_stopped(self, named: str, together: Iterable[str]) -> None:
        """Count the searches of ``named``, and of ``together`` going through the same files
        with it, as stopped before the end (:attr:`stopped`)."""
        self._cut.add(named)
        self._cut.update(together)

    def _area_key(self, folder: str, absolute: bool) -> tuple[str, bool]:
        """The area :meth:`_area` searches for a file of ``folder``: its project's root, or
        outside any the folder its window starts from; and whether it is spelled absolute."""
        here = os.path.abspath(folder or os.curdir)
        return self.project(here) or here, absolute

    def _stop(self, where: str, named: str, sought: Sought) -> None:
        """The notice at ``named`` of the first search that ran out, for ``sought``."""
        if not self.notices:
            self.notices.append(InputError(named, search_stopped(where, sought)))

    def _area(self, folder: str, absolute: bool, named: str, sought: Sought = MODULES) -> list[str]:
        """The folders searched for a file of ``folder``: its project's, or the window."""
        root = self.project(folder or os.curdir)
        if root is not None:
            return self._walk(root, absolute, named, sought)
        here = os.path.abspath(folder or os.curdir)
        window = []
        for _ in range(LEVELS):
            window.append(_spelled(here, absolute))
            parent = os.path.dirname(here)
            if parent == here:
                break
            here = parent
        return window

    def _walk(self, root: str, absolute: bool, named: str, sought: Sought) -> list[str]:
        """The folders with Terraform files under ``root``, as a folder scan finds them (those
        found within the budget; the walk that runs out of it was looking for ``sought``)."""
        key = (root, absolute)
        if key not in self._walks:
            from rolelint.discovery import module_folders

            spelled = _spelled(root, absolute) or os.curdir
            documents = self._documents[key] = []
            self._walks[key] = module_folders(spelled, self._excluded, self._limit, documents)
            if self._limit.entries < 0:
                self._partial.add(key)
            if self._limit.stopped_at is not None:
                self._stop(self._limit.stopped_at, named, sought)
        return self._walks[key]

    def _named(self, folder: str) -> tuple[dict[str, set[str]], frozenset[str]]:
        """The files ``folder``'s Terraform names where it may read them, outside comments: by
        file name (lower case), the end of the path each is named by that is known
        ("policies/trust.json" of "${var.root}/policies/trust.json"); and the real paths of
        those it names from its own folder."""
        found = self._names.get(folder)
        if found is None:
            from rolelint.parsers.tf_calls import without_comments

            tails: dict[str, set[str]] = {}
            exact: set[str] = set()
            here = os.path.abspath(folder or os.curdir)
            for _, text in self._files(folder):
                code = without_comments(text)
                for named in _MODULE_PATH.findall(code):
                    exact.add(os.path.realpath(os.path.join(here, named)))
                for tail in _path_tails(_MODULE_PATH.sub("", code)):
                    tails.setdefault(tail.rsplit("/", 1)[-1], set()).add(tail)
            found = self._names[folder] = (tails, frozenset(exact))
        return found

    def _called_by(self, folder: str) -> list[str]:
        """The folders of the local modules ``folder``'s module blocks call, spelled from it."""
        found = self._calls.get(folder)
        if found is None:
            from rolelint.parsers import is_module_file
            from rolelint.parsers.tf_calls import local_sources, module_directory

            calls = (
                module_directory(folder, source)
                for path, text in self._files(folder)
                if is_module_file(path)
                for source in local_sources(path, text)
            )
            found = self._calls[folder] = list(dict.fromkeys(calls))
        return found

    def _files(self, folder: str) -> list[tuple[str, str]]:
        """The Terraform files of ``folder`` and their texts, read once for the run."""
        found = self._texts.get(folder)
        if found is None:
            found = self._texts[folder] = _read_folder(
                folder, self._max_size, self._left_unread, self.left_out
            )
        return found


def _read_folder(
    folder: str,
    max_size: int | None = MAX_FILE_SIZE,
    too_big: Callable[[str, InputError], None] | None = None,
    left_out: Callable[[str], bool] | None = None,
) -> list[tuple[str, str]]:
    """The Terraform files of ``folder`` its module reads (rolelint.parsers.module_files, but
    those ``left_out`` names, as the run reads the module), to be searched (a quick, safe
    over-estimate: a module found is then read, and only a real file() of a file makes it the
    module's), by name.  Regular files only: a pipe named ``x.tf`` is read once, by its module;
    an unreadable file is left out (the module's own reading reports it), and one over
    ``max_size`` bytes too, given to ``too_big`` with the run's error for it
    (:meth:`ModuleSearch.unread`)."""
    from rolelint.parsers import module_files
    from rolelint.reading import read_regular_text

    found = []
    for path in sorted(module_files(folder)[0]):
        if left_out is not None and left_out(path):
            continue
        text, over = read_regular_text(path, max_size=max_size)
        if over is not None and too_big is not None:
            too_big(path, over)
        if text is not None:
            found.append((path, text))
    return found


def _listed_files(folder: str) -> list[str]:
    """The files of ``folder`` a folder scan reads (rolelint.discovery.folder_files), sorted:
    regular ones, or links to them, whose text a search may read."""
    from rolelint.discovery import folder_files

    return [found.path for found in folder_files(folder) if os.path.isfile(found.path)]


def _path_tails(text: str) -> set[str]:
    """The files ``text`` may read as a policy, each as the known end of the path naming it
    (lower case, "/"-separated): found from its suffix, which few places of a Terraform file
    hold, back to where the path starts, and then only what follows a "..", a "$" or a "%"
    (``format("%s/x.json", ...)``), since what they stand for is not known here."""
    tails = set()
    for suffix in _SUFFIX.finditer(text):
        start = suffix.start()
        while start > 0 and not (text[start - 1] in _BEFORE_PATH or text[start - 1].isspace()):
            start -= 1
        parts = text[start : suffix.end()].lower().replace("\\", "/").split("/")
        known: list[str] = []
        for part in parts:
            if part == ".." or "$" in part or "%" in part:
                known = []
            elif part not in ("", "."):
                known.append(part)
        if known and known[-1] != suffix.group(0).lower():
            tails.add("/".join(known))
    return tails


def _above(folder: str) -> bool:
    """Whether a relative ``folder`` starts above the working folder (``../infra``)."""
    return folder == os.pardir or folder.startswith(os.pardir + os.sep)


def _spelled(folder: str, absolute: bool) -> str:
    """``folder`` as the scan names folders: absolute when the file was named so, else relative
    to the working folder, which is ``""`` (``os.path.dirname("main.tf")``)."""
    if absolute:
        return folder
    relative = os.path.relpath(folder)
    return "" if relative == "." else relative
