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

So, in a run that names templates, each brings the templates of its project linked to it,
found by their text: for its policies whose ARN is exact, ``:policy/<path><name>`` in a
template naming one; for its exports, the export name in a template that imports something;
for the names it imports, the name in a template that exports something; for the exact
customer policy ARNs it attaches or is capped by (or exports), the policy's name in a template
that defines a managed policy.  The text is a quick over-estimate of what a template spells
out, and what links is decided once every file is parsed, as in a whole run.  But a whole run
links by the names a template computes too (``Export: {Name: !Join ["-", [shared, ExecArn]]}``,
``!ImportValue !Sub "${SharedStack}-PolicyArn"`` or ``ManagedPolicyName: !Sub
"${Env}-ops-admin"`` of a parameter's default, an ARN attached by ``!Sub
arn:aws:iam::${AWS::AccountId}:policy/${Name}``), and such a name is not in the text: the
template was not read, and the named one lost the whole run's findings without a word.  So a
template whose text computes a name of the kind sought (where it exports, imports, names a
managed policy or writes a policy's ARN) and is not found by its text is parsed, from the text
read for the search, and found when what it holds links it (the names its parse resolves, as a
whole run's parse does).  The project
is the one rolelint.module_readers searches for Terraform modules, with the same walk and the
same budget (:class:`~rolelint.module_readers.ModuleSearch`), and each file's text is read
once for the run; a template that defines, exports, imports and attaches none of these searches
nothing.  The templates found are read as any other file (their findings are reported, as a
Terraform caller's are).

A template found is linked to others in turn, and a whole run links them too: a policy it
defines is held by roles of other templates as well (its finding names them all), its own role
may be capped by a boundary a third template exports.  Read without them, its findings were
not the whole run's, though the run reported them.  So each template found is searched for in
turn, as a named one is, in the named template's project, until a round finds no more: the
run holds every template linked to the named one, however indirectly, and links them as a
whole run does (a role chain through templates not linked this way is another matter: the
chaining rules are whole-run rules, rolelint.scope).  The search stays within the one budget
(each file's text is read once, whatever the round, and a round parses only the templates new
to it); past it, the notice says where it stopped and what is not known.  What a template
found takes from files the search does not look at (a policy a Terraform module or an account
export defines), and what the budget cut off, may still be missing, so the run does not say
that a finding of theirs is gone (rolelint.scope.RunScope.context).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Hashable, Iterable

from rolelint.model import NAME_STAND_IN, Inventory
from rolelint.module_readers import ModuleSearch
from rolelint.parse_jobs import parse_text
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
# of an ``Fn::Sub``, a piece ``":policy/"`` or ``"policy/ops"`` of an ``Fn::Join``).  A quick
# over-estimate too: such a template is parsed, and what it holds decides.
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
    r"policy/[\w+=,.@/-]{0,640}\$\{|(?:^|[\s,\[\"'-]):?policy/|:policy[\"'\s,\]]", re.MULTILINE
)


class _Links:
    """What in another template may link it to some templates: the names they use and define,
    and the patterns of these in another template's text."""

    def __init__(
        self, policies: set[str], exports: set[str], imports: set[str], attached: set[str]
    ) -> None:
        self._policies = policies  # the exact ARNs of their policies (no stand-in)
        self._exports = exports  # the names they export
        self._imports = imports  # the names they import
        self._attached = attached  # the exact ARNs of the policies they attach or are capped by
        tails = {":policy/" + arn.split(":policy/", 1)[1] for arn in policies}
        names = {arn.rsplit("/", 1)[1] for arn in attached}
        self._policy_texts = _any_of(tails, after=_MORE_OF_A_POLICY)
        self._export_texts = _any_of(exports, after=_MORE_OF_AN_EXPORT)
        self._import_texts = _any_of(imports, after=_MORE_OF_AN_EXPORT)
        self._definition_texts = _any_of(
            names, before=_LESS_OF_A_POLICY_NAME, after=_MORE_OF_A_POLICY_NAME
        )

    @property
    def wanted(self) -> bool:
        """Whether another template may be linked to these at all."""
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
            (bool(self._policies) and _COMPUTED_POLICY_ARN.search(text) is not None)
            or (bool(self._exports) and _COMPUTED_IMPORT.search(text) is not None)
            or (bool(self._imports) and _COMPUTED_EXPORT.search(text) is not None)
            or (
                bool(self._attached)
                and _POLICY_MARK in text
                and _COMPUTED_POLICY_NAME.search(text) is not None
            )
        )

    def held_by(self, inventory: Inventory) -> bool:
        """Whether what a template holds, parsed, links it as a whole run links templates: it
        attaches one of the policies, imports one of the exports, exports one of the names
        imported or defines one of the policies attached."""
        return bool(
            self._policies & attached_arns(inventory)
            or self._exports & imported_names(inventory)
            or self._imports & {export.name for export in inventory.exports}
            or self._attached & linkable_arns(inventory)
        )


def linked_templates(
    search: ModuleSearch,
    named: Iterable[tuple[str, Inventory]],
    known: Iterable[str],
    read: Callable[[list[str]], Iterable[tuple[str, Inventory]]],
) -> list[str]:
    """The templates of the named templates' projects linked to one of them (using a policy it
    defines or a value it exports, or defining a policy it attaches or exporting a value it
    imports), and to those in turn until no more are found, spelled as a folder scan spells
    them; ``named`` are the named templates with what each holds, ``known`` the real paths of
    the files the run reads already.  ``read`` reads the templates found, as the run reads any
    file, and gives what each that is a template holds: what they are linked to is found from
    that, as a whole run links them."""
    finder = _Finder(search, known)
    found: list[str] = []
    pending = [(path, inventory, path) for path, inventory in named]
    while pending:
        more = finder.more(pending)
        if not more:
            break
        found.extend(path for path, _ in more)
        origins = dict(more)
        read_now = read(list(origins))
        pending = [(path, inventory, origins[path]) for path, inventory in read_now]
    return found


class _Finder:
    """The search of one run: each file's text is read once, within the budget of
    :class:`~rolelint.module_readers.ModuleSearch`, and each template found once."""

    def __init__(self, search: ModuleSearch, known: Iterable[str]) -> None:
        self._search = search
        self._seen = set(known)  # real paths: read by the run, or found
        self._texts: dict[str, str | None] = {}  # by real path
        self._parsed: dict[str, Inventory | None] = {}  # by real path: see _held

    def more(self, templates: Iterable[tuple[str, Inventory, str]]) -> list[tuple[str, str]]:
        """The templates not found yet that are linked to one of ``templates`` (each with what
        it holds and its origin, the named template whose project is searched, where a notice
        says the search stopped), each with its origin: the first origin, in the order given,
        whose templates it is linked to.

        pre-commit names many templates of one project: its files are gone through once for
        all of them (:meth:`_candidates`), not once per named template, and only the few that
        may be linked to one of them are then matched with each."""
        held: dict[str, list[Inventory]] = {}
        for _, inventory, origin in templates:
            held.setdefault(origin, []).append(inventory)
        wanted = {origin: links for origin in held if (links := _links(held[origin])).wanted}
        areas: dict[Hashable, list[str]] = {}  # the origins whose projects' files are the same
        for origin in wanted:
            areas.setdefault(self._search.area(origin), []).append(origin)
        candidates: dict[str, list[tuple[str, str, str]]] = {}
        for origins in areas.values():
            kept = self._candidates(origins, [i for o in origins for i in held[o]])
            candidates.update(dict.fromkeys(origins, kept))
        found: list[tuple[str, str]] = []
        for origin, links in wanted.items():
            for candidate, real, text in candidates[origin]:
                if real not in self._seen and self._linked(links, candidate, real, text):
                    self._seen.add(real)
                    found.append((candidate, origin))
        return found

    def _candidates(
        self, origins: list[str], inventories: list[Inventory]
    ) -> list[tuple[str, str, str]]:
        """The files of the project of ``origins`` (which share it) not found yet that may be
        linked to one of them, each with its real path and text, in the order of the project's
        walk: what is linked to any of ``inventories`` (those of every origin) is, and a file
        linked to none of them is linked to none of the origins.  Each file's text is read as
        for the first origin (where a notice says the search stopped), as when each origin's
        search went through the project in turn: the first read them all."""
        links = _links(inventories)
        kept: list[tuple[str, str, str]] = []
        for candidate in self._search.documents(origins[0]):
            real = os.path.realpath(candidate)
            if real in self._seen:
                continue
            text = self._text(candidate, real, origins[0])
            if text is not None and self._linked(links, candidate, real, text):
                kept.append((candidate, real, text))
        return kept

    def _linked(self, links: _Links, path: str, real: str, text: str) -> bool:
        """Whether the template ``path`` of ``text`` may be linked: its text spells out a name
        sought, or it computes one and what its parse holds links it."""
        if links.found_in(text):
            return True
        if not links.computed_in(text):
            return False
        inventory = self._held(path, real, text)
        return inventory is not None and links.held_by(inventory)

    def _held(self, path: str, real: str, text: str) -> Inventory | None:
        """What the template ``path`` holds, parsed from ``text`` (the text the search read,
        as the run parses a file, through its parse cache) once for the run; None when it is
        no template (or does not parse)."""
        if real not in self._parsed:
            outcome = parse_text((path, text)).outcome
            self._parsed[real] = (
                outcome.inventory
                if outcome is not None and outcome.format == CLOUDFORMATION_FORMAT
                else None
            )
        return self._parsed[real]

    def _text(self, path: str, real: str, origin: str) -> str | None:
        """``path``'s text, read once for the run; None when it cannot be read, or could not
        once the budget was spent (the budget is never given back: past it, only the texts
        read already are matched again)."""
        if real not in self._texts:
            self._texts[real] = self._search.text(path, origin)
        return self._texts[real]


def _links(inventories: Iterable[Inventory]) -> _Links:
    """What links another template to the templates: the exact ARNs of their policies (a
    name's stand-in, generated or unresolved, is known to its own template only, which exports
    it for others), their exports' names, the names they import and the exact ARNs of the
    policies they attach."""
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
    return _Links(policies, exports, imports, attached)


def _any_of(texts: set[str], *, before: str = "", after: str) -> re.Pattern[str] | None:
    if not texts:
        return None
    return re.compile(before + "(?:" + "|".join(map(re.escape, sorted(texts))) + ")" + after)


def _search(pattern: re.Pattern[str] | None, text: str) -> bool:
    return pattern is not None and pattern.search(text) is not None
