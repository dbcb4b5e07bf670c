"""The role card: everything about one role a reviewer needs, in one screen, each line with
the file and line it comes from.

A card is a list of titled sections of lines (text, an indentation depth, a source position):
plain data that the terminal, JSON and HTML reporters render alike.  What the lines say comes
from the same analysis as the findings and the inventory row; nothing is judged twice
differently.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from rolelint.audit.rows import FindingsByHolder, RoleRow, judged_provider_words
from rolelint.checks.base import some_of
from rolelint.checks.conditions import NeverMet, statement_problems
from rolelint.checks.effective import (
    Effect,
    every_resource_but,
    remainders,
)
from rolelint.checks.federation import SubjectPin, provider_pin
from rolelint.checks.grants import grants_nothing
from rolelint.checks.iam_match import is_all_actions
from rolelint.checks.imds import Tokens, served, tokens_of
from rolelint.checks.principals import typed
from rolelint.checks.session import (
    MAX_SESSION_SECONDS,
    MIN_SESSION_SECONDS,
    longest_valid_session,
)
from rolelint.checks.trust_conditions import (
    Grade,
    Graded,
    benefit_of_doubt,
    grade,
    refusal,
    unjudged_claim_limit,
)
from rolelint.findings import Finding
from rolelint.graph.model import AssumeGraph, Edge, Node, NodeKind
from rolelint.model import (
    UNRESOLVED_KEY,
    UNRESOLVED_PATH,
    ComputeResource,
    Condition,
    Inventory,
    ManagedPolicyRef,
    PolicyDocument,
    PolicyKind,
    Principal,
    Role,
    Statement,
    Value,
    stand_ins_in_words,
)
from rolelint.names import short_name
from rolelint.source import SourceRef

# Access levels in the order a reviewer reads them: what changes things first.
_LEVEL_ORDER = ("Permissions management", "Write", "Tagging", "Read", "List")
_SHOWN_ACTIONS = 4  # action names listed per service and level before "and N more"
# Statements listed per policy document, and Deny statements per card.  IAM's size limits keep
# real documents far below it (10,240 characters for an inline policy); a generated one of
# 20,000 statements attached to 500 roles made a 73 MB HTML report.  Findings and the effective
# permissions still read them all.
_SHOWN_STATEMENTS = 100
# Caps on what one card lists, each with "and N more" past it, so that a generated role cannot
# make a card (or the HTML report of hundreds of cards) huge: a statement of 206 actions on 300
# resources, on 300 roles, made each card 1.3 MB and the report 386 MB.  Each cap is above what
# a policy IAM accepts can hold, so a real role's card is whole.
# Names in one line: a statement's actions or resources, a condition's values, the resources a
# service is granted on.  A written policy has at most 10,240 characters, a few hundred names.
_SHOWN_NAMES = 1_000
# Principals, NotPrincipals and conditions of one trust statement, and the callers summed up
# below them: a trust policy has at most 4,096 characters, under 300 account ids.
_SHOWN_PRINCIPALS = 300
# Lines of a list that no policy bounds: edges into and out of the role, its findings, its
# policies and managed policy ARNs (IAM allows 20 managed ones), statements with unjudged
# actions, notes.
_SHOWN_LINES = 100
# Findings a card lists: in its Findings section, and in the inventory row its JSON opens with
# (rolelint.reporters.card), which says how many more there are.
SHOWN_FINDINGS = _SHOWN_LINES
# Finding classes that say how a role can gain more than it was given.
_ESCALATION_CLASSES = frozenset(
    {"admin-access", "privilege-escalation", "assume-any-role", "not-action"}
)


@dataclass(frozen=True, slots=True)
class CardLine:
    text: str
    ref: SourceRef | None = None
    depth: int = 0


@dataclass(frozen=True, slots=True)
class CardSection:
    title: str
    lines: tuple[CardLine, ...]


@dataclass(frozen=True, slots=True)
class RoleCard:
    row: RoleRow
    sections: tuple[CardSection, ...]
    suppressed: tuple[Finding, ...] = field(default=())


def role_card(
    role: Role,
    row: RoleRow,
    inventory: Inventory,
    graph: AssumeGraph,
    findings: FindingsByHolder,
) -> RoleCard:
    """The card of ``role`` (whose inventory row is ``row``); ``findings`` are the run's, as
    ``check`` reports them (suppressed ones included), indexed by role."""
    own = findings.of(role)
    sections = (
        _summary(role, row),
        CardSection("Who can assume it", tuple(_trust(role, row))),
        CardSection("Permission policies", tuple(_policies(role))),
        CardSection("Effective permissions", tuple(_effective(role))),
        CardSection("Boundary and Denies", tuple(_limits(role))),
        CardSection("Privilege escalation", tuple(_escalation(own, role))),
        CardSection("Chaining", tuple(_chaining(row, graph, role))),
        CardSection("Instance profiles and IMDS", tuple(_instances(role, inventory))),
        CardSection("Findings", tuple(_findings(own))),
    )
    return RoleCard(row, sections, tuple(f for f in own if f.suppressed))


# --- summary ----------------------------------------------------------------------------------


def _summary(role: Role, row: RoleRow) -> CardSection:
    lines = [CardLine(f"{row.kind} {row.name}", role.ref)]
    if row.root is not None:
        # Another scanned root calls the module too: the same block, file and line make its role.
        lines.append(
            CardLine(f"Root module: {row.root} (this role is the instance its call makes)", None, 1)
        )
    # A name written but not known (a parameter or variable without a default) has a stand-in
    # of its own, worded "<unresolved name>"; so is one a plan knows only after apply, whose
    # stand-in is a generated one's.  The RoleName line below says why.
    unresolved = role.name is not None and not role.name.resolved
    # The Path line below says why a path is "<unresolved path>".
    arn = stand_ins_in_words(role.arn.display(), unresolved=unresolved)
    lines.append(CardLine(f"ARN: {arn}", role.arn.ref, 1))
    if role.name is not None:
        lines.append(CardLine(f"RoleName: {role.name.display()}", role.name.ref, 1))
    if role.path is not None:
        lines.append(CardLine(f"Path: {role.path.display()}", role.path.ref, 1))
    lines.append(_session_line(role, row))
    lines.append(CardLine(f"Access: {row.access.display()}", None, 1))
    if row.access.why:
        lines.append(CardLine(row.access.why, None, 2))
    risk = row.risk
    lines.append(
        CardLine(
            f"Risk {risk.score} = exposure {risk.exposure} ({row.exposure}) + access "
            f"{risk.access} + reach {risk.reach} + findings {risk.findings}",
            None,
            1,
        )
    )
    return CardSection("Role", tuple(lines))


def _session_line(role: Role, row: RoleRow) -> CardLine:
    """The longest session, as the row judges it, at the value it comes from: the longest
    valid one, else the first (one rolelint cannot resolve, or one AWS rejects)."""
    values = role.max_session_duration
    if row.session_invalid:
        rejected = ", ".join(value.display() for value in values)
        session = (
            f"invalid ({rejected}: AWS accepts {MIN_SESSION_SECONDS} to {MAX_SESSION_SECONDS} "
            "seconds, so the deployment fails)"
        )
    elif row.max_session is None:
        session = (
            f"unresolved ({row.session_unresolved})" if row.session_unresolved else "unresolved"
        )
    else:
        session = f"{row.max_session} s" + ("" if row.session_written else " (AWS's default)")
    shown = longest_valid_session(values) if row.max_session is not None else None
    where = (shown or values[0]).ref if values else None
    return CardLine(f"Max session duration: {session}", where, 1)


# --- trust --------------------------------------------------------------------------------------


def _trust(role: Role, row: RoleRow) -> Iterable[CardLine]:
    document = role.trust_policy
    if document is None:
        # Required by CloudFormation and Terraform: absent here, it is one the scan cannot
        # read (a parameter or variable without default, an import), said in a note.
        yield CardLine("no trust policy rolelint can read: who can assume it is not known")
        return
    denies = any(statement.is_deny for statement in document.statements)
    denied_subjects = _denied_subjects(document) if denies else []
    for statement in _shown(document.statements):
        yield CardLine(_statement_head(statement), statement.ref)
        principals = [
            CardLine(_principal_line(document, statement, principal), principal.value.ref, 1)
            for principal in statement.principals[:_SHOWN_PRINCIPALS]
        ]
        yield from _capped(principals, len(statement.principals), "principals", 1)
        not_principals = [
            CardLine(f"NotPrincipal {principal.value.said()}", principal.value.ref, 1)
            for principal in statement.not_principals[:_SHOWN_PRINCIPALS]
        ]
        yield from _capped(not_principals, len(statement.not_principals), "NotPrincipals", 1)
        never = list(statement_problems(document, statement))
        if never:
            yield from _never_applies(statement, never)
            continue
        verdicts = (
            _deny_verdicts(document, statement, denied_subjects)
            if statement.is_deny
            else _allow_verdicts(document, statement)
        )
        conditions = [
            _condition_line(c, verdicts(c)) for c in statement.conditions[:_SHOWN_PRINCIPALS]
        ]
        yield from _capped(conditions, len(statement.conditions), "conditions", 1)
    yield from _more_statements(document, 0)
    if row.assumed_by:
        yield CardLine("In short:")
        assumers = [
            CardLine(f"{a.display()}{', outside your accounts' if a.external else ''}", None, 1)
            for a in row.assumed_by[:_SHOWN_PRINCIPALS]
        ]
        yield from _capped(assumers, len(row.assumed_by), "callers", 1)


def _never_applies(statement: Statement, problems: Sequence[NeverMet]) -> Iterable[CardLine]:
    """What the card says of a statement RL611 finds never applies (its
    :func:`~rolelint.checks.conditions.never_applies`): that it never applies, and why, as
    RL611 says, at each condition no request meets; its conditions are listed, not graded.
    Graded, an Allow admitting no one read as limited by its other conditions, while the
    exposure said nobody."""
    effect = "this Deny never applies" if statement.is_deny else "this statement never applies"
    for problem in problems:
        yield CardLine(f"{effect}: {problem.words}", problem.condition.ref, 1)
    written = [
        CardLine(_condition_words(c), c.ref, 1) for c in statement.conditions[:_SHOWN_PRINCIPALS]
    ]
    yield from _capped(written, len(statement.conditions), "conditions", 1)


def _subject_pins(document: PolicyDocument, statement: Statement) -> list[SubjectPin]:
    """How ``statement`` pins which of each federated provider's tokens or assertions may use
    it, as RL103 (an OIDC subject) and RL104 (a SAML audience) judge it: the grade of a
    condition alone says nothing of a token's claims."""
    pins: list[SubjectPin] = []
    for principal in statement.principals:
        pin = provider_pin(document, statement, typed(principal))
        pins += [pin] if pin is not None else []
    return pins


Verdicts = Callable[[Condition], str]


def _allow_verdicts(document: PolicyDocument, allow: Statement) -> Verdicts:
    """What the card says of each condition of an Allow: its grade, or that it pins the
    subject of an OIDC provider's tokens (the audience of a SAML provider's assertions)."""
    found = _subject_pins(document, allow)
    pins = [(c, pin.what) for pin in found for c in pin.conditions]
    undecided = [undecided for pin in found for undecided in pin.undecided]

    def verdict(condition: Condition) -> str:
        what = next((what for pinning, what in pins if pinning == condition), None)
        if what is not None:
            return f"{_GRADE_WORDS[Grade.EFFECTIVE]}: it pins {what}"
        why = next((why for pinning, why in undecided if pinning == condition), None)
        if why is not None:
            return f"{_GRADE_WORDS[Grade.UNKNOWN]}: {why}"
        return _graded_words(benefit_of_doubt(grade(condition)))

    return verdict


class _DeniedSubject(NamedTuple):
    """A Deny's condition that pins a federated provider's tokens or assertions: ``words``,
    what it pins (``SubjectPin.what``); or, not ``pins``, that would but for values rolelint
    cannot resolve alone: why it cannot tell what (``SubjectPin.undecided``)."""

    condition: Condition
    words: str
    pins: bool


def _denied_subjects(document: PolicyDocument) -> list[_DeniedSubject]:
    """The conditions of the Denies of ``document`` that pin the subject of an OIDC provider's
    tokens (the audience of a SAML provider's assertions) for one of its Allows, as RL103 and
    RL104 count them, and those that would but by values rolelint cannot resolve alone
    (``SubjectPin.undecided``)."""
    allows = [statement for statement in document.statements if statement.is_allow]
    found = [pin for allow in allows for pin in _subject_pins(document, allow)]
    pinning = [_DeniedSubject(c, pin.what, True) for pin in found for c in pin.denies]
    return pinning + [_DeniedSubject(c, why, False) for pin in found for c, why in pin.undecided]


def _deny_verdicts(
    document: PolicyDocument,
    deny: Statement,
    denied_subjects: Sequence[_DeniedSubject],
) -> Verdicts:
    """What the card says of each condition of a Deny.  A Deny refuses whoever meets its
    conditions, so a negated test refuses every caller failing the positive one: such a Deny
    limits who as that test on the Allow would (as RL101 and RL103 count it), and is graded as
    that test.  Graded as an Allow's, the condition that protects the role read as weak."""
    refused = refusal(deny, document.statements)

    def verdict(condition: Condition) -> str:
        found = next((d for d in denied_subjects if d.condition == condition), None)
        if found is not None and found.pins:
            return f"{_GRADE_WORDS[Grade.EFFECTIVE]}: the Deny pins {found.words}"
        if found is not None:  # it would pin, but for values rolelint cannot resolve
            return f"{_GRADE_WORDS[Grade.UNKNOWN]}: {found.words}"
        if refused is not None and refused[0] == condition:
            graded = benefit_of_doubt(refused[1])
            if graded.grade is not Grade.EFFECTIVE:
                return _graded_words(graded)
            return (
                f"{_GRADE_WORDS[Grade.EFFECTIVE]}: the Deny refuses every caller that "
                f"{graded.condition.operator} would not admit"
            )
        met = "it" if len(deny.conditions) == 1 else "all its conditions"
        return f"the Deny refuses only the callers that meet {met}"

    return verdict


# How the card names a condition operator rolelint could not resolve.
_UNRESOLVED_OPERATOR = "<unresolved condition operator>"


def _condition_line(condition: Condition, verdict: str) -> CardLine:
    """A condition with what it does: ``verdict``."""
    return CardLine(f"{_condition_words(condition)} ({verdict})", condition.ref, 1)


def _condition_words(condition: Condition) -> str:
    """A condition as written: ``<operator> <key> = <values>``."""
    values = _names(condition.values)
    operator = _said(condition.operator, _UNRESOLVED_OPERATOR)
    key = _said(condition.key, UNRESOLVED_KEY)
    return f"{operator} {key} = {values}"


def _said(text: str, stand_in: str) -> str:
    """An operator or key as the card says it.  One rolelint could not resolve holds
    :data:`UNRESOLVED_KEY` and, after it, what keeps it apart from the other unresolved ones of
    its statement (where it is written, as the parser writes it): the card says only the
    stand-in, since the line's position already says where."""
    return stand_in if text.startswith(UNRESOLVED_KEY) else text


def _graded_words(graded: Graded) -> str:
    word = _GRADE_WORDS[graded.grade]
    if graded.grade is Grade.UNKNOWN and unjudged_claim_limit(graded.condition) is not None:
        word = "may limit who"  # readable, but a claim no rule judges: not "unresolved"
    return word + (f": {graded.why}" if graded.why else "")


def _principal_line(document: PolicyDocument, statement: Statement, principal: Principal) -> str:
    """``Federated: <value>``, with the issuer an unresolved provider is judged as, if any."""
    line = f"{_principal_words(principal)}: {principal.value.said()}"
    judged = judged_provider_words(document, statement, principal)
    return f"{line} ({judged})" if judged else line


def _principal_words(principal: Principal) -> str:
    return principal.kind.value if principal.kind.value != "*" else "everyone"


_GRADE_WORDS = {
    Grade.EFFECTIVE: "limits who",
    Grade.WEAK: "weak",
    Grade.IRRELEVANT: "does not say who",
    Grade.UNKNOWN: "unresolved",
}


def _statement_head(statement: Statement) -> str:
    effect = statement.effect.display() if statement.effect else "<no Effect>"
    empty = statement.empty_action  # ``"NotAction": []`` names no action
    actions = _names(statement.actions) or (f"<{empty.name} []>" if empty else "<no Action>")
    if statement.has_not_action:
        actions = "everything but " + _names(statement.not_actions)
    sid = f" ({statement.sid})" if statement.sid else ""
    return f"{effect} {actions}{sid}"


# --- policies -------------------------------------------------------------------------------------


def _documents(role: Role, kind: PolicyKind) -> list[PolicyDocument]:
    return [d for d in role.policies if d.kind is kind]


def _policies(role: Role) -> Iterable[CardLine]:
    documents = _documents(role, PolicyKind.PERMISSIONS)
    for document in documents[:_SHOWN_LINES]:
        yield CardLine(_document_words(document), document.ref)
        for statement in _shown(document.statements):
            resources = _resources(statement)
            conditions = (
                f", {len(statement.conditions)} condition(s)" if statement.conditions else ""
            )
            yield CardLine(
                f"{_statement_head(statement)} on {resources}{conditions}", statement.ref, 1
            )
        yield from _more_statements(document, 1)
    if len(documents) > _SHOWN_LINES:
        yield CardLine(f"and {len(documents) - _SHOWN_LINES:,} more policies")
    managed = [
        CardLine(_unread_words(reference), reference.arn.ref)
        for reference in role.managed_policy_arns[:_SHOWN_LINES]
    ]
    yield from _capped(managed, len(role.managed_policy_arns), "managed policies")
    if not documents and not role.managed_policy_arns:
        yield _unknown_line(role) or CardLine("none")


def _unknown_line(role: Role) -> CardLine | None:
    """What stands for "none" and "nothing" when the input holds none of the role's policies
    (Role.unread_permissions): they are unknown."""
    if role.unread_permissions is None:
        return None
    return CardLine(f"unknown: {role.unread_permissions}")


def _unread_words(reference: ManagedPolicyRef) -> str:
    """A policy the card cannot list: one whose text is a parameter or variable, with why; an
    AWS managed policy rolelint ships no document of (no scanned file ever holds one); else one
    known by ARN only."""
    from rolelint.managed_policies import unshipped_name

    if reference.origin is not None:
        why = reference.arn.unresolved_reason or "not known"
        return f"{reference.origin}: not readable here (its text is unresolved: {why})"
    noun = "policy" if reference.inline else "managed policy"
    if not reference.inline and unshipped_name(reference.arn.text) is not None:
        why = (
            "an AWS managed policy whose text rolelint does not ship: what it grants is not judged"
        )
    else:
        why = "its text is not in the scanned files"
    return f"{noun} {reference.arn.said()}: not readable here ({why})"


def _shown(statements: Sequence[Statement]) -> Sequence[Statement]:
    return statements[:_SHOWN_STATEMENTS]


def _more_statements(document: PolicyDocument, depth: int) -> Iterable[CardLine]:
    """The line that says how many statements past :data:`_SHOWN_STATEMENTS` are not listed."""
    more = len(document.statements) - _SHOWN_STATEMENTS
    if more > 0:
        yield CardLine(f"and {more:,} more statements", document.ref, depth)


def _document_words(document: PolicyDocument) -> str:
    words = document.origin
    if document.aws_managed:
        words += " (AWS managed)"
    elif document.managed:
        words += " (customer managed)"
    return words


def _resources(statement: Statement) -> str:
    if statement.has_not_resource:
        return "everything but " + _names(statement.not_resources)
    return _names(statement.resources) or "<no Resource>"


def _names(values: Sequence[Value]) -> str:
    shown = [value.said() for value in values[:_SHOWN_NAMES]]
    return some_of(shown, _SHOWN_NAMES, count=len(values))


def _capped(lines: Sequence[CardLine], count: int, noun: str, depth: int = 0) -> Iterable[CardLine]:
    """``lines``, the first of ``count`` (the caller cut them at its cap), then one that says
    how many more were not listed."""
    yield from lines
    if count > len(lines):
        yield CardLine(f"and {count - len(lines):,} more {noun}", None, depth)


# --- effective permissions ----------------------------------------------------------------------


def _effective(role: Role) -> Iterable[CardLine]:
    """Per service and access level, the catalog actions the role's Allows grant once its
    Denies and boundary have had their say, on which resources.  An Allow that grants nothing
    whatever they say (rolelint.checks.grants.grants_nothing: NotAction ``"*"``, NotResource
    ``"*"``, an empty list) is not listed, as the rules judge it; when nothing is listed, the
    card says why (:func:`_nothing_granted`)."""
    from rolelint.iam_actions import expand

    grouped: dict[str, dict[str, tuple[set[str], set[str]]]] = {}
    first: dict[tuple[str, str], SourceRef] = {}  # where each service and level is first granted
    notes: dict[str, None] = {}
    everything: list[CardLine] = []
    unknown: list[CardLine] = []
    allows: list[Statement] = []
    idle: list[tuple[Statement, str]] = []  # the Allows granting nothing, with why
    for document in _documents(role, PolicyKind.PERMISSIONS):
        for statement in document.statements:
            if not statement.is_allow:
                continue
            allows.append(statement)
            why = grants_nothing(statement)
            if why is not None:
                idle.append((statement, why))
                continue
            resources = _judged_resources(statement)
            shown = _resources(statement)
            if statement.has_not_action and any(a.text is None for a in statement.not_actions):
                # What it leaves out is not known: said as written, not judged.
                everything.append(
                    CardLine(
                        f"every action but {', '.join(a.display() for a in statement.not_actions)}"
                        f" on {shown}",
                        statement.ref,
                    )
                )
                continue
            unjudged: list[tuple[str, SourceRef]] = []  # this statement's, in one line
            for action, text, excluded in _granting(statement):
                if text is None:
                    unjudged.append((action.display(), action.ref))
                    continue
                found = remainders(
                    text, resources, document, role, allow=statement, excluded=excluded
                )
                for note in _notes_of(found):
                    notes.setdefault(note)
                for kept, effect in found:
                    # What a Deny of all but a few resources leaves is shown on those few.
                    where = shown if kept is resources else _names(kept)
                    for piece in effect.pieces:
                        if is_all_actions(piece.pattern):
                            but = f" except {', '.join(piece.excluded)}" if piece.excluded else ""
                            line = CardLine(
                                f"every action of every service{but} on {where}", action.ref
                            )
                            everything.append(line)
                            continue
                        catalog = expand(piece.pattern)
                        if not catalog:
                            unjudged.append((piece.pattern, action.ref))
                        for entry in catalog:
                            if not piece.grants(entry.full_name):
                                continue
                            for level in entry.access_levels or {"Unknown"}:
                                names, places = grouped.setdefault(entry.service, {}).setdefault(
                                    level, (set(), set())
                                )
                                names.add(entry.name)
                                places.add(where)
                                first.setdefault((entry.service, level), action.ref)
            if unjudged:
                what = some_of([name for name, _ in unjudged], _SHOWN_NAMES)
                unknown.append(CardLine(f"{what} on {shown}", unjudged[0][1], 1))
    yield from _capped(
        everything[:_SHOWN_LINES], len(everything), "statements granting every action"
    )
    for service in sorted(grouped):
        levels = grouped[service]
        for level in sorted(levels, key=_level_rank):
            names, places = levels[level]
            listed = sorted(names)
            more = len(listed) - _SHOWN_ACTIONS
            words = ", ".join(listed[:_SHOWN_ACTIONS]) + (f" and {more} more" if more > 0 else "")
            on = some_of(sorted(places), _SHOWN_NAMES, separator="; ")
            yield CardLine(
                f"{service} {level}: {len(listed)} action(s) ({words}) on {on}",
                first[(service, level)],
            )
    if unknown:
        yield CardLine("not in the action catalog, or unresolved (not judged):")
        yield from _capped(unknown[:_SHOWN_LINES], len(unknown), "statements with such actions", 1)
    shown_notes = [CardLine(f"note: {note}") for note in list(notes)[:_SHOWN_LINES]]
    yield from _capped(shown_notes, len(notes), "notes")
    if not grouped and not everything and not unknown:
        yield from _nothing_granted(role, allows, idle)


def _nothing_granted(
    role: Role, allows: Sequence[Statement], idle: Sequence[tuple[Statement, str]]
) -> Iterable[CardLine]:
    """What the card says when no effective permission is left, and why: no Allow at all;
    the only Allow, or every one, granting nothing (rolelint.checks.grants.grants_nothing),
    each with the element that makes it so; or Denies and the boundary leaving nothing of what
    the others grant (the notes above say which).  When the input holds none of the role's policies,
    that they are unknown."""
    unknown = _unknown_line(role)
    if unknown is not None:
        yield unknown
        return
    if not allows:
        yield CardLine("nothing (no Allow in a policy rolelint can read)")
        return
    if len(allows) == 1 and len(idle) == 1:
        statement, why = idle[0]
        yield CardLine(f"nothing: the only Allow grants nothing: {why}", statement.ref)
        return
    if len(idle) == len(allows):
        yield CardLine("nothing: no Allow grants anything")
    else:
        limiters = _limiters(role)
        verb = "leaves" if limiters == "the permissions boundary" else "leave"
        yield CardLine(f"nothing: {limiters} {verb} nothing of what the Allows grant")
    lines = [
        CardLine(f"{_statement_head(s)} on {_resources(s)} grants nothing: {why}", s.ref, 1)
        for s, why in idle[:_SHOWN_LINES]
    ]
    yield from _capped(lines, len(idle), "Allows granting nothing", 1)


def _limiters(role: Role) -> str:
    """What takes away what a role's Allows grant: its Denies, its permissions boundary, or
    both, as the card's notes name them."""
    denies = any(s.is_deny for d in _documents(role, PolicyKind.PERMISSIONS) for s in d.statements)
    bounded = role.permissions_boundary is not None or bool(_documents(role, PolicyKind.BOUNDARY))
    if denies and bounded:
        return "the Denies and the permissions boundary"
    return "the Denies" if denies else "the permissions boundary" if bounded else "the policies"


def _judged_resources(statement: Statement) -> list[Value]:
    """The resources the card judges an Allow on: its Resource values rolelint resolved; for
    NotResource, a ``"*"`` standing for every resource but the listed ones, as the rules
    judge it (rolelint.checks.effective.every_resource_but), so that a Deny of ``*`` on ``*``
    takes it away (none when the list is not known, or lists every resource)."""
    if statement.has_not_resource and not statement.resources:
        every_but = every_resource_but(statement)
        return [] if every_but is None else [every_but]
    return [r for r in statement.resources if r.text is not None]


def _granting(statement: Statement) -> list[tuple[Value, str | None, tuple[str, ...]]]:
    """What an Allow grants, as the card judges it: each Action value with its text, or the
    NotAction as every action less those it lists, at the statement (its values all known:
    the caller says one not known as written)."""
    if statement.has_not_action:
        excluded = tuple(v.text for v in statement.not_actions if v.text is not None)
        return [(Value("*", statement.ref), "*", excluded)]
    return [(action, action.text, ()) for action in statement.actions]


def _notes_of(found: Sequence[tuple[Sequence[Value], Effect]]) -> list[str]:
    """What explains the lines one granted action gives: the notes of the effects that leave
    something (on the resources written, or on the narrower ones a boundary or a Deny leaves),
    or of the effect on the resources written when none does.  Those of a removed effect would
    contradict the lines: a boundary allowing '*' on one bucket limits 'Allow * on *' to
    nothing on '*', and to that bucket."""
    kept = [effect for _, effect in found if not effect.removed] or [found[0][1]]
    return [note for effect in kept for note in (*effect.limits, *effect.non_limits)]


def _level_rank(level: str) -> int:
    return _LEVEL_ORDER.index(level) if level in _LEVEL_ORDER else len(_LEVEL_ORDER)


# --- limits ---------------------------------------------------------------------------------


def _limits(role: Role) -> Iterable[CardLine]:
    boundaries = _documents(role, PolicyKind.BOUNDARY)
    if role.permissions_boundary is not None and not boundaries:
        value = role.permissions_boundary
        yield CardLine(
            f"permissions boundary {value.said()}: not readable here"
            " (it may limit what the policies grant)",
            value.ref,
        )
    for document in boundaries:
        yield CardLine(f"permissions boundary: {document.origin}", document.ref)
        for statement in _shown(document.statements):
            yield CardLine(
                f"{_statement_head(statement)} on {_resources(statement)}", statement.ref, 1
            )
        yield from _more_statements(document, 1)
    if role.permissions_boundary is None and not boundaries:
        yield CardLine("no permissions boundary")
    denies = [
        (document, statement)
        for document in _documents(role, PolicyKind.PERMISSIONS)
        for statement in document.statements
        if statement.is_deny
    ]
    for document, statement in denies[:_SHOWN_STATEMENTS]:
        conditional = " (only under its conditions)" if statement.conditions else ""
        yield CardLine(
            f"Deny in {document.origin}: {_statement_head(statement)} on "
            f"{_resources(statement)}{conditional}",
            statement.ref,
        )
    if len(denies) > _SHOWN_STATEMENTS:
        yield CardLine(f"and {len(denies) - _SHOWN_STATEMENTS:,} more Deny statements")
    if not denies:
        unknown = role.unread_permissions is not None
        yield CardLine(
            "Deny statements unknown (in the policies not in the input)"
            if unknown
            else "no Deny statement"
        )


# --- escalation, chaining, instances, findings ------------------------------------------------


def _escalation(findings: Sequence[Finding], role: Role) -> Iterable[CardLine]:
    """The escalation findings, accepted ones too (marked so): accepting the risk of an
    escalation does not make the role less able to escalate, and the Access line above counts
    them alike.  When the input holds none of the role's policies, that none was found says
    nothing: the section says they are unknown."""
    found = [f for f in findings if f.rule_class in _ESCALATION_CLASSES]
    for finding in found:  # the messages are under Findings: here, what and where
        accepted = " [accepted]" if finding.suppressed else ""
        yield CardLine(f"{finding.rule_id} {finding.rule}{accepted}", finding.location)
    if not found:
        yield _unknown_line(role) or CardLine("no escalation method found")


def _chaining(row: RoleRow, graph: AssumeGraph, role: Role) -> Iterable[CardLine]:
    node_id = row.node_id
    incoming = graph.in_edges(node_id)
    outgoing = graph.out_edges(node_id)
    yield CardLine(f"into it ({len(incoming)}):")
    into: list[CardLine] = []
    for edge in incoming[:_SHOWN_LINES]:
        into.append(_edge_line(graph.nodes[edge.source], edge))
        if graph.nodes[edge.source].kind is NodeKind.CROWD:
            into.append(_crowd_callers(graph, edge.source))
    yield from _capped(into, len(incoming), "edges into it", 1)
    yield CardLine(f"out of it ({len(outgoing)}):")
    out = [_edge_line(graph.nodes[edge.target], edge) for edge in outgoing[:_SHOWN_LINES]]
    yield from _capped(out, len(outgoing), "edges out of it", 1)
    if role.unread_permissions is not None:
        # Only trust policies naming it by ARN are known: what its own permissions let it
        # assume is not.
        yield CardLine(f"by its own permissions: unknown: {role.unread_permissions}", None, 1)
    if row.reaches_count:
        yield CardLine(f"reaches {row.reaches_count} role(s) in all: {row.reaches_named()}")


def _crowd_callers(graph: AssumeGraph, crowd_id: str) -> CardLine:
    """Who is behind a crowd (see rolelint.graph.crowds): the row only counts them, as
    thousands of roles share them, so the card names them."""
    callers = sorted(
        {
            _label(graph.nodes[e.source].label, graph.nodes[e.source].ref)
            for e in graph.in_edges(crowd_id)
        },
        key=lambda name: (name.casefold(), name),
    )
    return CardLine(f"its callers: {some_of(callers)}", None, 2)


def _edge_line(other: Node, edge: Edge) -> CardLine:
    """An edge into or out of the role, by the node at its other end."""
    return CardLine(f"{_label(other.label, other.ref)}: {edge.how}", edge.grant or edge.trust, 1)


def _label(label: str, ref: SourceRef | None) -> str:
    return short_name(label, ref.file) if ref is not None else label


def _instances(role: Role, inventory: Inventory) -> Iterable[CardLine]:
    """The instance profiles, and what runs with the role's credentials: instances and launch
    templates through a profile, EKS node groups through their node role (which needs none)."""
    users = served(role, inventory)
    profiles = _profile_names(role)
    if profiles:
        yield CardLine(f"instance profile(s): {', '.join(profiles)}")
    elif users:
        yield CardLine("no instance profile; EKS node groups run with it as their node role")
    else:
        yield CardLine("no instance profile")
        return
    # A resource read once per branch of a condition (a launch template's data, a node
    # group's template or role) is listed once for each state its branches give it.
    yield from dict.fromkeys(
        CardLine(f"{compute.kind} {compute.id}: {_imds(compute)}", compute.ref, 1)
        for compute in users
    )
    if not users:
        yield CardLine("no instance or launch template in the scanned files uses them", None, 1)


def _profile_names(role: Role) -> list[str]:
    """The instance profiles holding ``role`` as IAM names them, from the ARNs the role carries
    (Role.instance_profile_arns: every name a condition may give one), each ARN once: two
    profiles whose names CloudFormation generates are two, though said alike.  The keys
    compute resources find a profile by (a CloudFormation logical id, a plan address) are no
    name a reviewer finds in IAM; they are shown only when the source gives no ARN at all (an
    account export listing a profile without its Arn, where the key is its name)."""
    arns = dict.fromkeys(arn.text for arn in role.instance_profile_arns if arn.text)
    if arns:
        return [_profile_name(arn) for arn in arns]
    return [stand_ins_in_words(name) for _, name in role.instance_profile_keys]


_PROFILE_RESOURCE = ":instance-profile/"


def _profile_name(arn: str) -> str:
    """An instance profile's name from its ARN (a stand-in in words: one AWS or Terraform
    generates, one whoever deploys chooses), with its path when that is not "/".  A path not
    known is said as the ARN line says it (``/<unresolved path>/``, as a known one is said
    ``/team/``)."""
    if _PROFILE_RESOURCE not in arn:
        return arn
    # From the "/" that starts the path: a whole name is told by what is before it.
    resource = "/" + arn.split(_PROFILE_RESOURCE, 1)[1]
    said = stand_ins_in_words(resource)  # no worded name holds a "/"; a path not known does
    unknown = UNRESOLVED_PATH.match(resource)
    if unknown is not None:
        path = stand_ins_in_words(unknown.group())
        return f"{said.removeprefix(path)} (path {path})"
    path, _, name = said.rpartition("/")
    return name if path == "" else f"{name} (path {path}/)"


def _imds(compute: ComputeResource) -> str:
    """What RL501 judges of ``compute``'s metadata options (rolelint.checks.imds.tokens_of),
    in words."""
    state = tokens_of(compute)
    if state is Tokens.AMI_REQUIRED:
        return "IMDSv2 required (HttpTokens not set: its AMI requires tokens by default)"
    if state is Tokens.UNSET:
        return "IMDSv1 allowed (HttpTokens not set: optional by default)"
    if state is Tokens.UNSET_SOMEWHERE:
        return "IMDSv1 allowed in some deployments (a condition leaves HttpTokens unset)"
    if state is Tokens.REQUIRED:
        return "IMDSv2 required"
    written = compute.http_tokens.display() if compute.http_tokens is not None else ""
    if state is Tokens.UNRESOLVED:
        return f"HttpTokens {written}"
    return f"IMDSv1 allowed (HttpTokens {written})"


def _findings(findings: Sequence[Finding]) -> Iterable[CardLine]:
    lines = [_finding_line(finding) for finding in findings[:SHOWN_FINDINGS]]
    yield from _capped(lines, len(findings), "findings ('rolelint check' lists every one)")
    if not findings:
        yield CardLine("no finding")


def _finding_line(finding: Finding) -> CardLine:
    suppression = finding.suppression
    accepted = f" [accepted: {suppression.reason}]" if suppression is not None else ""
    return CardLine(
        f"{finding.severity.value.upper()} {finding.rule_id} {finding.rule}: "
        f"{finding.message}{accepted}",
        finding.location,
    )
