"""The CloudFormation templates a template named on the command line is judged with, as a folder
scan judges it.

pre-commit names the changed files alone, and a file's findings must be those a run over the
whole repository gives (the same messages and fingerprints, which the team's baseline records).
In a whole run, templates are linked both ways (rolelint.policy_links, rolelint.stack_exports):
a role of one stack attaches a customer managed policy (``AWS::IAM::ManagedPolicy``) another
defines, or takes it as its permissions boundary, by its ARN (``!Sub
arn:aws:iam::${AWS::AccountId}:policy/ops-admin``) or by ``Fn::ImportValue`` of the value the
other exports; a trust policy names a role another exports the same way.

- Judged without its users, a named template's policy had no holder: its finding named no
  role, so it had another fingerprint than the baseline's, and a boundary was judged as a
  permission policy (RL202, RL206, RL207, RL208 a whole run does not give).
- Judged without the template defining what it imports or attaches, a named template's role
  held an unknown policy (its access "none", the Deny of the policy not seen), a boundary left
  unknown (RL201 "may limit this" where a whole run gives RL208 under the boundary), a trust of
  an unknown principal (no RL401 or RL405 for the role it names).

So, in a run that names templates, each brings the templates of its project linked to it, found
by their text: for its policies whose ARN is exact, ``:policy/<path><name>`` in a template
naming one; for its exports, the export name in a template that imports something; for the
names it imports, the name in a template that exports something; for the exact customer policy
ARNs it attaches or is capped by (or exports), the policy's name in a template that defines a
managed policy.  A policy an ``iam:PermissionsBoundary`` test requires as the boundary of what
a delegate creates (rolelint.boundary_links) links the same way: a whole run judges it as that
boundary, not as a grant, and RL206 of the delegate by its document, so the template defining
it brings the files whose test requires it, and the file whose test requires it the one
defining it, as for a policy attached.  The text is a quick over-estimate of what a template
spells out, and what links is decided once every file is parsed, as in a whole run.  But a
whole run links by the names a template computes too (``Export: {Name: !Join ["-", [shared,
ExecArn]]}``, ``!ImportValue !Sub "${SharedStack}-PolicyArn"`` or ``ManagedPolicyName: !Sub
"${Env}-ops-admin"`` of a parameter's default, an ARN attached by ``!Sub
arn:aws:iam::${AWS::AccountId}:policy/${Name}``), and such a name is not in the text: the
template was not read, and the named one lost the whole run's findings without a word.  So a
template whose text computes a name of the kind sought (where it exports, imports, names a
managed policy or writes a policy's ARN) and is not found by its text is parsed, from the text
read for the search, and found when what it holds links it (the names its parse resolves, as a
whole run's parse does).  The project is the one rolelint.module_readers searches for Terraform
modules, with the same walk and the same budget
(:class:`~rolelint.module_readers.ModuleSearch`), and each file's text is read once for the
run; a template that defines, exports, imports, attaches or requires none of these searches
nothing.
The templates found are read as any other file (their findings are reported, as a Terraform
caller's are).

A template found is linked to others in turn, and a whole run links them too: a policy it
defines is held by roles of other templates as well (its finding names them all), its own role
may be capped by a boundary a third template exports.  Read without them, its findings were
not the whole run's, though the run reported them.  So each template found is searched for in
turn, as a named one is, in the named template's project, until a round finds no more: the
run holds every template linked to the named one, however indirectly, and links them as a
whole run does (a role chain through templates not linked this way is another matter: the
chaining rules are whole-run rules, rolelint.scope).  The search stays within the one budget
(each file's text is read once, whatever the round, and a round parses only the templates new
to it); past it, the notice says where it stopped and what is not known.  pre-commit names
many templates of a project: a round goes through its files once for all of them (_Finder),
and where the budget cuts that short, each named file whose search had yet to go through what
was left unread counts as stopped.

A managed policy links a template to files other than templates too: a Terraform role attaches
the policy a template defines by its ARN (``policy_arn =
"arn:aws:iam::${data.aws_caller_identity.current.account_id}:policy/ops-admin"``, the account
stand-in a template's own policy has), a template's role the one an ``aws_iam_policy`` or an
account export defines.  Named alone, the template judged its policy without the Terraform
holder (RL201 naming no role) and its role without the export's Deny; named alone, the
Terraform file or the export was judged without the template.  So a template (named or found)
brings, by a policy's ARN, the Terraform modules and the other files of its project (account
exports, plans) linked to it, and a named file other than a template (the modules it brings
included) brings the templates so linked to it, round after round as above.  Such a file
writes an ARN whole (an export) or a module computes it from what its text names, but which
account an ARN is in decides whether a whole run links it, and no text tells that: a
Terraform module whose text spells out the policy's ARN or name, computes an ARN or a
policy's name, or keeps the beginning of the ARN whole (a local's
``"arn:aws:iam::${...}:policy/"``, continued where it is used: ``"${local.prefix}ops-admin"``),
is parsed alone (as a folder scan reads every module folder), and brought when what it holds
links it; another file spelling the ARN is parsed and brought the same way.  But
a module computing the ARN from a variable (``policy/${var.policy_name}``), or the name of the
``aws_iam_policy`` it defines, holds no exact ARN alone, and its root, passing it the name
(``policy_name = "ops-admin"``, or a name it computes), may spell no ARN: a whole run evaluates
the module as the root calls it and links the policy to ``module.ci.aws_iam_role.ci``.  So a
module whose text may link it and that holds no link alone is evaluated as each of its callers
(and theirs, rolelint.module_readers) calls it, and the callers that link are brought.  A
module brought is read as a named file's module is, with its callers and the modules it calls
(rolelint.module_readers), and each of them is linked in turn.

A managed policy links two files neither of which is a template as well: a Terraform root
defining ``aws_iam_policy "ops"`` (named ``ops-admin``) and another root, with a state of its
own, attaching ``arn:aws:iam::${data.aws_caller_identity.current.account_id}:policy/ops-admin``;
an account export defining a policy (or a boundary) and a module attaching it by the export's
account, or another export of that account attaching it.  A whole run links them as it links a
template's policy (rolelint.policy_links), but the search looked only for templates from such
a file: named alone, each was judged without the other (the policy's RL201 naming no role,
another fingerprint than the baseline's; the role's Deny or boundary unseen).  So a file other
than a template (named or found, the modules it brings included) brings by a policy's ARN the
Terraform modules and the other files linked to it, as a template does: the same candidates
(:meth:`_Links.in_terraform`, :meth:`_Links.spelled_in`), confirmed by their parse, within
the same walk, budget and size limit, with the same notices.

What a file found takes from files the search does not look at, and what the budget cut off,
may still be missing, so the run does not say that a finding of theirs is gone
(rolelint.scope.RunScope.context); nor of a named file whose search stopped at the budget
(rolelint.scope.RunScope.stopped).
"""

from __future__ import annotations

import enum
import functools
import operator
import os
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TypeVar

from rolelint import parse_cache
from rolelint.boundary_links import required_boundaries
from rolelint.model import NAME_STAND_IN, Inventory
from rolelint.module_readers import LINKED_BY_POLICY, TEMPLATES, ModuleSearch, Sought
from rolelint.parse_jobs import SOURCE_ENTRY, ModuleResult, parse_modules, parse_text
from rolelint.parsers import CLOUDFORMATION_FORMAT
from rolelint.policy_links import attached_arns, linkable_arns
from rolelint.stack_exports import imported_names

# What every template holds (a resource type, SAM's included); what a template that imports
# an export holds (``Fn::ImportValue``, ``!ImportValue``), one that exports a value
# (``Export: {Name: ...}`` of an output) and one that defines a managed policy.
_TEMPLATE_MARK = "AWS::"
_IMPORT_MARK = "ImportValue"
_EXPORT_MARK = "Export"
_POLICY_MARK = "AWS::IAM::ManagedPolicy"
# What may continue a policy's path and name, or an export's name: a name found followed by
# one of these is another (``ops-admin`` in ``ops-admin-readonly``); and what may come before a
# policy's name where its template names it (``ManagedPolicyName: ops-admin``).
_MORE_OF_A_POLICY = r"(?![\w+=,.@/-])"
_MORE_OF_AN_EXPORT = r"(?![\w:-])"
_LESS_OF_A_POLICY_NAME = r"(?<![\w+=,.@-])"
_MORE_OF_A_POLICY_NAME = r"(?![\w+=,.@-])"
# Where a template computes a name rather than spelling it out, so that the name is not in its
# text as another template spells it: the value of an export's ``Name``, of an
# ``Fn::ImportValue`` or of a ``ManagedPolicyName`` that is no text on its line (a tag such as
# ``!Sub``, ``!Join`` or ``!Ref``, a mapping such as JSON's ``{"Fn::Sub": ...}`` or YAML's on
# the lines below, an anchor or alias), and a policy's ARN made of pieces (``policy/${Name}``
# of an ``Fn::Sub``, a piece ``":policy/"`` or ``"policy/ops"`` of an ``Fn::Join``, a piece
# ``policy/ops`` after an interpolation, ``${Prefix}policy/ops``), and the beginning of a policy's
# ARN kept whole apart (_Links).  A quick over-estimate too: such a template is parsed, and what
# it holds decides.
# White space and comments, over lines; a comment runs to its line's end, so that a banner of
# many ``#`` is matched one way only (as ``#[^\n]*`` alone, it was split every way in turn).
_BLANKS = r"(?:\s|#[^\n]*\n)*"
_NOT_A_TEXT = r"[ \t]*(?:[!{\[&*#|>]|\r?$)"
_COMPUTED_EXPORT = re.compile(
    rf"Export[\"']?[ \t]*:{_BLANKS}(?:\{{{_BLANKS})?[\"']?Name[\"']?[ \t]*:{_NOT_A_TEXT}",
    re.MULTILINE,
)
_COMPUTED_IMPORT = re.compile(rf"ImportValue[\"']?(?:[ \t]*:)?{_NOT_A_TEXT}", re.MULTILINE)
_COMPUTED_POLICY_NAME = re.compile(rf"ManagedPolicyName[\"']?[ \t]*:{_NOT_A_TEXT}", re.MULTILINE)
_COMPUTED_POLICY_ARN = re.compile(
    r"policy/[\w+=,.@/-]{0,640}\$\{|(?:^|[\s,\[\"'-]):?policy/|:policy[\"'\s,\]]|\}policy/",
    re.MULTILINE,
)
# Where a text ends (a quote, the end of a YAML scalar or of a list's item): a beginning of an
# ARN ending there is continued elsewhere, as a prefix a Terraform local or an ``Fn::Sub``
# keeps whole (``"arn:aws:iam::${...}:policy/team/"``) is continued where it is used
# (``"${local.prefix}ops-admin"``).
_END_OF_A_TEXT = r"(?=[\"'\s,\]])"
# The same in Terraform, which also formats an ARN (``format("...:policy/%s", var.name)``),
# and an ``aws_iam_policy`` whose ``name`` is no text of its own (``var.name``, ``"${...}"``):
# the text of its block, up to the brace closing it at a line's start (a JSON module's is not
# told apart: one defining such a policy and interpolating anything is parsed).
_COMPUTED_TF_POLICY_ARN = re.compile(
    _COMPUTED_POLICY_ARN.pattern + r"|policy/[\w+=,.@/-]{0,640}%", re.MULTILINE
)
_TF_POLICY_BLOCK = re.compile(r'resource\s+"aws_iam_policy"\s+"[^"\n]*"\s*\{')
_TF_COMPUTED_NAME = re.compile(
    r'^[ \t]*name[ \t]*=(?![ \t]*"[^"$%\r\n]*"[ \t]*(?:(?:#|//)[^\r\n]*)?\r?$)', re.MULTILINE
)
_TF_JSON_POLICY_MARK = '"aws_iam_policy"'


class _Links:
    """What in another file may link it to some files: the names they use and define, and the
    patterns of these in another file's text."""

    def __init__(
        self, policies: set[str], exports: set[str], imports: set[str], attached: set[str]
    ) -> None:
        self._policies = policies  # the exact ARNs of their policies (no stand-in)
        self._exports = exports  # the names they export
        self._imports = imports  # the names they import
        self._attached = attached  # the exact ARNs of the policies they attach or are capped by
        tails = {_tail(arn) for arn in policies}
        names = {arn.rsplit("/", 1)[1] for arn in attached}
        self._policy_texts = _any_of(tails, after=_MORE_OF_A_POLICY)
        # The beginnings of their ARNs' tails, up to a segment of the path, where a text ends:
        # the rest of the ARN is written where it is used (``${local.prefix}/ops-admin``).
        beginnings = {beginning for tail in tails for beginning in _beginnings(tail)}
        self._beginning_texts = _any_of(beginnings, after=_END_OF_A_TEXT)
        self._attached_texts = _any_of(set(map(_tail, attached)), after=_MORE_OF_A_POLICY)
        self._export_texts = _any_of(exports, after=_MORE_OF_AN_EXPORT)
        self._import_texts = _any_of(imports, after=_MORE_OF_AN_EXPORT)
        self._definition_texts = _any_of(
            names, before=_LESS_OF_A_POLICY_NAME, after=_MORE_OF_A_POLICY_NAME
        )

    def __or__(self, other: _Links) -> _Links:
        return _Links(
            self._policies | other._policies,
            self._exports | other._exports,
            self._imports | other._imports,
            self._attached | other._attached,
        )

    @property
    def key(self) -> tuple[frozenset[str], ...]:
        """What these links are, to tell a file checked for them from one checked for others."""
        return (
            frozenset(self._policies),
            frozenset(self._exports),
            frozenset(self._imports),
            frozenset(self._attached),
        )

    def by_arn(self) -> _Links:
        """These links but those by a managed policy's ARN: how a file other than a template
        is linked to a template, and any file to one other than a template (an export's name
        is CloudFormation's alone)."""
        return _Links(self._policies, set(), set(), self._attached)

    @property
    def wanted(self) -> bool:
        """Whether another file may be linked to these at all."""
        return bool(self._policies or self._exports or self._imports or self._attached)

    def found_in(self, text: str) -> bool:
        """Whether a template's ``text`` spells out a name that may link it (a quick
        over-estimate: the links are made once it is parsed)."""
        if _TEMPLATE_MARK not in text:
            return False
        return (
            _search(self._policy_texts, text)
            or (_IMPORT_MARK in text and _search(self._export_texts, text))
            or (_EXPORT_MARK in text and _search(self._import_texts, text))
            or (_POLICY_MARK in text and _search(self._definition_texts, text))
        )

    def computed_in(self, text: str) -> bool:
        """Whether a template's ``text`` computes a name of a kind that may link it, which its
        text then does not spell out (:meth:`found_in` cannot tell): it is to be parsed."""
        if _TEMPLATE_MARK not in text:
            return False
        return (
            (
                bool(self._policies)
                and (
                    _COMPUTED_POLICY_ARN.search(text) is not None
                    or _search(self._beginning_texts, text)
                )
            )
            or (bool(self._exports) and _COMPUTED_IMPORT.search(text) is not None)
            or (bool(self._imports) and _COMPUTED_EXPORT.search(text) is not None)
            or (
                bool(self._attached)
                and _POLICY_MARK in text
                and _COMPUTED_POLICY_NAME.search(text) is not None
            )
        )

    def spelled_in(self, text: str) -> bool:
        """Whether the ``text`` of a file other than a template (an account export, a plan)
        spells out the ARN of one of the policies, which such a file always writes whole (a
        quick over-estimate: it is then parsed)."""
        return _search(self._policy_texts, text) or _search(self._attached_texts, text)

    def in_terraform(self, path: str, text: str) -> bool:
        """Whether the text of a Terraform file may attach one of the policies or define one of
        those attached: it spells out the one's ARN or the other's name (in the call of a
        module that defines it, say), computes an ARN or a policy's name, or keeps the
        beginning of the one's ARN whole (a local's ``"arn:aws:iam::${...}:policy/team/"``,
        continued where it is used) (a quick over-estimate: its module is then parsed)."""
        if _search(self._policy_texts, text) or _search(self._definition_texts, text):
            return True
        if self._policies and (
            _COMPUTED_TF_POLICY_ARN.search(text) is not None or _search(self._beginning_texts, text)
        ):
            return True
        return bool(self._attached) and _computes_a_policy_name(path, text)

    def held_by(self, inventory: Inventory) -> bool:
        """Whether what a file holds, parsed, links it as a whole run links files: it attaches
        one of the policies (or requires one as a boundary), imports one of the exports,
        exports one of the names imported or defines one of the policies attached."""
        return bool(
            self._policies & (attached_arns(inventory) | required_boundaries(inventory))
            or self._exports & imported_names(inventory)
            or self._imports & {export.name for export in inventory.exports}
            or self._attached & linkable_arns(inventory)
        )


@dataclass(frozen=True, slots=True)
class Held:
    """A file of the run, or a Terraform module's folder, with what it holds: named, or found
    by the search and read by the run."""

    path: str
    inventory: Inventory
    origin: str  # the named file whose project is searched (where a notice says it stopped)
    template: bool  # a CloudFormation template (linked in every way; another file by ARN only)


@dataclass(frozen=True, slots=True)
class Found:
    """A file (or a Terraform module's folder) the search found linked to one the run holds."""

    path: str
    origin: str  # the named file whose project was searched
    module: bool  # a Terraform module's folder


def linked_files(
    search: ModuleSearch,
    named: Iterable[Held],
    known: Iterable[str],
    read: Callable[[list[Found], Mapping[str, ModuleResult]], Iterable[Held]],
) -> list[Found]:
    """The files of the named files' projects linked to one of them, and to those in turn until
    no more are found, spelled as a folder scan spells them: the templates linked to a template
    (using a policy it defines or a value it exports, or defining a policy it attaches or
    exporting a value it imports), the Terraform modules and other files (account exports)
    linked to a template by a managed policy's ARN (attaching one it defines, or defining one
    it attaches), and the files so linked to a file other than a template (templates,
    Terraform modules, account exports).  ``named`` are
    the named files (the modules they bring) with what each holds, ``known`` the real paths
    of the files and module folders the run reads already.  ``read`` reads what was found, as
    the run reads any file or module, and gives what each file or module it read holds: what
    they are linked to is found from that, as a whole run links them.  ``read`` is given what
    the search parsed to tell a link (rolelint.parse_cache.remembering): a file found is
    parsed once for the run; and the modules it evaluated to tell one, by folder (see
    _Finder.evaluations): a module is evaluated once for the run."""
    finder = _Finder(search, known)
    found: list[Found] = []
    pending = list(named)
    while pending:
        more = finder.more(pending)
        if not more:
            break
        found.extend(more)
        # What the search parsed to tell a link (a template computing a name, a module and
        # the modules it calls) is not parsed again by the run reading it.
        with parse_cache.remembering(finder.parses):
            pending = list(read(more, finder.evaluations))
    return found


@dataclass(frozen=True, slots=True)
class _Search:
    """What one named file's search looks for in a round: the files linked to what it holds
    (the named file, or the files found for it)."""

    origin: str  # the named file (where a notice says the search stopped)
    to_templates: _Links  # what links a template to it
    to_others: _Links  # what links another file (a Terraform module, an export) to it
    sought: Sought  # the search's words in the notice


class _Finder:
    """The search of one run: each file's text is read once, within the budget of
    :class:`~rolelint.module_readers.ModuleSearch`, and each file or module found once.

    pre-commit names many templates of one project, and each named file has a search of its
    own (a file found goes to the first named file it is linked to; a search the budget cut
    short counts as stopped, :attr:`ModuleSearch.stopped`, which the baseline reads).  The
    searches of one area (:meth:`ModuleSearch.area`) go through its files once a round
    together: each file is matched once with what links it to any of them (a file linked to
    none of them by that is linked to none of each), and only the few that may be are matched
    with each search.  Where the budget cuts the pass short, every search that had yet to go
    through what was left unread counts as stopped (a text unread, the walk cut: all of them;
    a parse refused: those needing it), and a search that went to the end does not."""

    def __init__(self, search: ModuleSearch, known: Iterable[str]) -> None:
        self._search = search
        self._seen = set(known)  # real paths: read by the run, or found
        # By real path: the texts read (a text the budget refused is not kept, so that each
        # search meeting it again counts as stopped).
        self._texts: dict[str, str | None] = {}
        self._parsed: dict[str, tuple[str | None, Inventory] | None] = {}  # see _held
        self._modules: dict[str, Inventory] = {}  # by real path: see _module
        # The module folders (real paths) found not linked by links (their key): a module
        # linked by none stays so for the same links, whatever the round or the origin.
        self._checked: set[tuple[str, tuple[frozenset[str], ...]]] = set()
        # What the search parsed, by the parse cache's entry, for the run reading what it
        # found (:func:`~rolelint.parse_cache.remembering`): a file found is parsed once.
        self.parses: dict[parse_cache.Entry, object] = {}
        # The modules the search parsed (:meth:`_module`), by folder as spelled there, each
        # read as the run reads a module (the same files left out, the same size limit) and
        # with its loader's sources: the run reading one of them (found, or called by one
        # found) takes that parse rather than evaluate the module again, when it would read
        # the same folders (parse_jobs.parse_modules' ``ready``).
        self.evaluations: dict[str, ModuleResult] = {}

    def more(self, held: Iterable[Held]) -> list[Found]:
        """The files and modules not found yet that are linked to one of ``held``, each with
        its origin: the first origin, in the order given, whose files it is linked to."""
        by_origin: dict[str, tuple[list[Inventory], list[Inventory]]] = {}
        for item in held:
            self._seen.add(os.path.realpath(item.path or os.curdir))
            templates, others = by_origin.setdefault(item.origin, ([], []))
            (templates if item.template else others).append(item.inventory)
        areas: dict[tuple[str | None, str, bool], list[_Search]] = {}
        for origin, (templates, others) in by_origin.items():
            # A template is linked to a template in every way; any file to any other by a
            # policy's ARN (a Terraform module or an account export to another as well, as
            # rolelint.policy_links links them in a whole run).
            own = _links(templates)
            by_arn = (own | _links(others)).by_arn()
            search = _Search(
                origin, own | by_arn, by_arn, TEMPLATES if templates else LINKED_BY_POLICY
            )
            areas.setdefault(self._search.area(origin), []).append(search)
        found: dict[str, list[Found]] = {origin: [] for origin in by_origin}
        for searches in areas.values():
            for one in self._documents([s for s in searches if s.to_templates.wanted]):
                found[one.origin].append(one)
            for one in self._folders([s for s in searches if s.to_others.wanted]):
                found[one.origin].append(one)
        return [one for ones in found.values() for one in ones]

    def _documents(self, searches: list[_Search]) -> list[Found]:
        """The files other than Terraform of the project of ``searches`` (of one area) linked
        to one of them: templates by what links a template, other files by a policy's ARN;
        gone through once for all of them."""
        if not searches:
            return []
        lead, together = searches[0], [search.origin for search in searches[1:]]
        to_templates = _Each(searches, lambda search: search.to_templates)
        to_others = _Each(searches, lambda search: search.to_others)
        found: list[Found] = []
        for candidate in self._search.documents(lead.origin, lead.sought, together):
            real = os.path.realpath(candidate)
            if real in self._seen:
                continue
            text = self._text(candidate, real, searches)
            if text is None:
                continue
            template = _TEMPLATE_MARK in text
            if template:
                says = to_templates.told(_told_by_template, text)
            else:
                says = to_others.told(_told_by_other, text)
            if says is None:
                continue  # linked to none of them: the most of the files, matched once
            for search in searches:
                told = says(search)
                if told is _Told.PARSE and self._held_links(search, candidate, real, text):
                    told = _Told.LINKED
                if told is _Told.LINKED:
                    self._seen.add(real)
                    found.append(Found(candidate, search.origin, module=False))
                    break
        return found

    def _folders(self, searches: list[_Search]) -> list[Found]:
        """The Terraform modules of the project of ``searches`` (of one area) linked to one of
        them by a policy's ARN, gone through once for all of them: their text may link them,
        and what the module holds, parsed alone or as a caller evaluates it, does.  A module
        found not linked by the same links before (another origin's, another round's) is not
        checked again: its text, its parse and its callers' are the same.  Once the budget is
        spent, no more is parsed (the notice says where it stopped)."""
        if not searches:
            return []
        lead, together = searches[0], [search.origin for search in searches[1:]]
        each = _Each(searches, lambda search: search.to_others)
        found: list[Found] = []
        unlinked: list[tuple[str, str, list[_Search]]] = []  # held no link parsed alone
        for folder, texts in self._search.modules(lead.origin, LINKED_BY_POLICY, together):
            real = os.path.realpath(folder or os.curdir)
            asking = [s for s in searches if (real, s.to_others.key) not in self._checked]
            if real in self._seen or not asking:
                continue
            says = each.told(_told_by_terraform, texts)
            matching = []
            for search in asking:
                if says is not None and says(search) is _Told.PARSE:
                    matching.append(search)
                else:  # linked to none of them: the most of the modules, matched once
                    self._checked.add((real, search.to_others.key))
            module = self._module(folder, real, matching) if matching else None
            if module is None:
                continue  # none may be linked, or the budget is spent (theirs stopped)
            holders = [search for search in matching if search.to_others.held_by(module)]
            if holders:
                self._seen.add(real)
                found.append(Found(folder, holders[0].origin, module=True))
            # The searches before the one it goes to look for the callers linking it to them.
            waiting = matching[: matching.index(holders[0])] if holders else matching
            if waiting:
                unlinked.append((folder, real, waiting))
        # Once the walk is done, so that the callers are found within it (and its notice).
        for folder, real, waiting in unlinked:
            callers = self._linked_callers(folder, waiting)
            if callers is not None:
                found.extend(callers)
                self._checked.update((real, search.to_others.key) for search in waiting)
        return found

    def _linked_callers(self, folder: str, searches: list[_Search]) -> list[Found] | None:
        """The modules calling the module in ``folder`` (and those calling them) that, parsed
        with the modules they call, are linked to one of ``searches``.  A module computing the
        ARN it attaches from a variable (``policy/${var.policy_name}``), or its policy's name,
        holds no exact ARN alone, and a root passing the policy's name (``policy_name =
        "ops-admin"``, however it spells or computes it) attaches or defines nothing of its
        own: a whole run evaluates the module as its root calls it, and links the policy to
        ``module.ci.aws_iam_role.ci`` of that root.  A caller found is read as any module
        found (with its callers and the modules it calls).  None when the budget ran out
        before every caller was parsed (the searches counted as stopped)."""
        lead, together = searches[0], [search.origin for search in searches[1:]]
        found: list[Found] = []
        for caller in self._search.callers(folder, lead.origin, together):
            real = os.path.realpath(caller or os.curdir)
            if real in self._seen:
                continue
            module = self._module(caller, real, searches)
            if module is None:
                return None
            for search in searches:
                if search.to_others.held_by(module):
                    self._seen.add(real)
                    found.append(Found(caller, search.origin, module=True))
                    break
        return found

    def _held_links(self, search: _Search, path: str, real: str, text: str) -> bool:
        """Whether what the file ``path`` of ``text`` holds, parsed, links it to ``search``: a
        template by what it holds as a template, another file by a policy's ARN."""
        held = self._held(path, real, text, search)
        if held is None or held[0] is None:
            return False
        if _TEMPLATE_MARK in text:
            return held[0] == CLOUDFORMATION_FORMAT and search.to_templates.held_by(held[1])
        return search.to_others.held_by(held[1])

    def _held(
        self, path: str, real: str, text: str, search: _Search
    ) -> tuple[str | None, Inventory] | None:
        """The format of the file ``path`` and what it holds, parsed from ``text`` (the text
        the search read, as the run parses a file, through its parse cache) once for the run;
        None when it does not parse, or when the budget is spent before it is parsed (the
        parse is charged to ``search``, which then counts as stopped:
        :meth:`~rolelint.module_readers.ModuleSearch.parsing`)."""
        if real not in self._parsed:
            if not self._search.parsing(path, search.origin, search.sought, len(text)):
                return None
            with parse_cache.keeping(self.parses, [SOURCE_ENTRY]):
                outcome = parse_text((path, text)).outcome
            self._parsed[real] = (
                (outcome.format, outcome.inventory) if outcome is not None else None
            )
        return self._parsed[real]

    def _module(self, folder: str, real: str, searches: list[_Search]) -> Inventory | None:
        """What the Terraform module in ``folder`` holds, read alone (as a folder scan reads
        every module folder, within the run's size limit), once for the run; None when the
        budget is spent before it is parsed (the parse, the modules it calls included, is
        charged to the first of ``searches``, those needing it, which then count as stopped:
        :meth:`~rolelint.module_readers.ModuleSearch.parsing`)."""
        if real not in self._modules:
            size = self._search.module_size(folder)
            lead, together = searches[0], [search.origin for search in searches[1:]]
            if not self._search.parsing(folder, lead.origin, LINKED_BY_POLICY, size, together):
                return None
            from rolelint.parsers.tf_module import BODY_ENTRY

            with parse_cache.keeping(self.parses, [BODY_ENTRY]):
                parsed = parse_modules(
                    [folder], self._search.max_size, self._search.left_out, keep_sources=True
                )
            self._modules[real] = parsed.outcomes[0].inventory
            self.evaluations[folder] = parsed
        return self._modules[real]

    def _text(self, path: str, real: str, searches: list[_Search]) -> str | None:
        """``path``'s text, read once for the run (for the first of ``searches``, where a
        notice says the search stopped); None when it cannot be read, or once the budget is
        spent (every one of ``searches`` then counts as stopped: none has gone through it; the
        budget is never given back, and past it only the texts read already are matched)."""
        if real not in self._texts:
            lead, together = searches[0], [search.origin for search in searches[1:]]
            text = self._search.text(path, lead.origin, lead.sought, together)
            if text is None and self._search.spent:
                return None  # refused, not kept: a search meeting it later stops there too
            self._texts[real] = text
        return self._texts[real]


class _Told(enum.Enum):
    """What a file's text tells of its link to some files."""

    LINKED = "its text links it"
    NOT_LINKED = "its text does not link it"
    PARSE = "its parse tells"  # it computes a name, or is no template and spells out an ARN


def _told_by_template(links: _Links, text: str) -> _Told:
    """What a template's ``text`` tells of its link: spelling out a name sought links it;
    computing one of the kind sought, its parse tells."""
    if links.found_in(text):
        return _Told.LINKED
    return _Told.PARSE if links.computed_in(text) else _Told.NOT_LINKED


def _told_by_other(links: _Links, text: str) -> _Told:
    """What the ``text`` of a file other than a template (an account export, a plan) tells of
    its link by a policy's ARN: spelling one out, its parse tells."""
    return _Told.PARSE if links.wanted and links.spelled_in(text) else _Told.NOT_LINKED


def _told_by_terraform(links: _Links, texts: list[tuple[str, str]]) -> _Told:
    """What the ``texts`` of a Terraform module's files tell of its link: one may link it, and
    its parse tells; or none does."""
    if any(links.in_terraform(*each) for each in texts):
        return _Told.PARSE
    return _Told.NOT_LINKED


_Text = TypeVar("_Text")


class _Each:
    """The links of each search of a pass (``of`` picks them), matched once a file for all of
    them, then for each distinct links only when that may link the file: most files are
    linked to none, and several named files often seek the same links."""

    def __init__(self, searches: list[_Search], of: Callable[[_Search], _Links]) -> None:
        self._of = of
        self._distinct = {of(search).key: of(search) for search in searches}
        self._any = functools.reduce(operator.or_, self._distinct.values())

    def told(
        self, tell: Callable[[_Links, _Text], _Told], text: _Text
    ) -> Callable[[_Search], _Told] | None:
        """What ``tell`` tells of the file of ``text`` for each search; None when it is
        linked to none of them (told by matching it once, with what links any of them)."""
        told = tell(self._any, text)
        if told is _Told.NOT_LINKED:
            return None
        known: dict[tuple[frozenset[str], ...], _Told] = {}
        if len(self._distinct) == 1:
            known.update(dict.fromkeys(self._distinct, told))

        def of(search: _Search) -> _Told:
            links = self._of(search)
            if links.key not in known:
                known[links.key] = tell(links, text)
            return known[links.key]

        return of


def _links(inventories: Iterable[Inventory]) -> _Links:
    """What links another file to the files: the exact ARNs of their policies (a name's
    stand-in, generated or unresolved, is known to its own template only, which exports it for
    others), their exports' names, the names they import and the exact ARNs of the policies
    they attach or require as a boundary."""
    policies: set[str] = set()
    exports: set[str] = set()
    imports: set[str] = set()
    attached: set[str] = set()
    for inventory in inventories:
        policies.update(
            arn for arn in linkable_arns(inventory) if NAME_STAND_IN.search(arn) is None
        )
        exports.update(export.name for export in inventory.exports if export.name)
        imports.update(imported_names(inventory))
        attached.update(attached_arns(inventory))
        # A policy its iam:PermissionsBoundary tests require: defined elsewhere, it is judged
        # as that boundary (rolelint.boundary_links), its document by RL206.
        attached.update(required_boundaries(inventory) - linkable_arns(inventory))
    return _Links(policies, exports, imports, attached)


def _tail(arn: str) -> str:
    """What every file linking a policy's ``arn`` spells, whatever its account: ``:policy/``
    and its path and name."""
    return ":policy/" + arn.split(":policy/", 1)[1]


def _beginnings(tail: str) -> list[str]:
    """The beginnings of a policy's ``tail`` (``:policy/team/ops-admin``) that a prefix kept
    apart may hold, each up to a segment of the path, with or without its slash
    (``:policy``, ``:policy/``, ``:policy/team``, ``:policy/team/``): the rest is written
    where the prefix is used.  The name is never cut: ``:policy/ops`` is another policy's."""
    segments = tail.split("/")[:-1]  # [":policy", "team"]
    found = []
    for count in range(1, len(segments) + 1):
        beginning = "/".join(segments[:count])
        found += [beginning, beginning + "/"]
    return found


def _computes_a_policy_name(path: str, text: str) -> bool:
    """Whether the Terraform ``text`` of ``path`` defines an ``aws_iam_policy`` whose name is
    not written out (a variable, an interpolation): it is to be parsed."""
    if path.lower().endswith(".json"):
        return _TF_JSON_POLICY_MARK in text and "${" in text
    for block in _TF_POLICY_BLOCK.finditer(text):
        end = text.find("\n}", block.end())
        if _TF_COMPUTED_NAME.search(text, block.end(), len(text) if end < 0 else end):
            return True
    return False


def _any_of(texts: set[str], *, before: str = "", after: str) -> re.Pattern[str] | None:
    if not texts:
        return None
    return re.compile(before + "(?:" + "|".join(map(re.escape, sorted(texts))) + ")" + after)


def _search(pattern: re.Pattern[str] | None, text: str) -> bool:
    return pattern is not None and pattern.search(text) is not None
