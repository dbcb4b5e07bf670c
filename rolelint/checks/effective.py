"""What an Allow is worth once Denies and permissions boundaries have had their say.

IAM grants an action only when some policy allows it, no policy denies it, and the permissions
boundary (when one is set) allows it too.  A statement allowing ``*`` under a Deny of ``iam:*``
grants every action except IAM's; under a boundary that allows only ``s3:*`` it grants every S3
action.  Rules judge that remainder, not the statement as written, and every finding can say
which Deny or boundary limited it and which one did not.

The remainder is a list of :class:`Piece` objects, each an action pattern minus the patterns
taken out of it.  The algebra is conservative in the direction of silence: a Deny removes only
when it is unconditional and covers every resource in question, a boundary limits only what it
plainly does not allow, and an unresolved value in a boundary caps nothing, nor does a boundary
rolelint cannot read at all (the effect then says it may limit the grant).  A boundary
statement on fewer resources than the grant's (``role/*`` under ``"*"``) lets the grant through
on those only: :func:`effects_on` gives the effect there, for rules to judge as if the grant
were written on them.  A condition the request must meet besides the grant's own (that of the
boundary's Allow the grant passes through, or the positive form of a Deny's negated test) is
kept as a gate (:attr:`Effect.gates`), for rules to judge as they judge the grant's own.
"""

from __future__ import annotations

import functools
import itertools
import operator
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Generic, TypeVar

from rolelint import placeholders
from rolelint.arns import PARTITIONS, SYMBOLIC_PARTITION
from rolelint.checks.base import some_of
from rolelint.checks.iam_match import (
    covers,
    has_unresolved_condition,
    has_wildcard,
    is_all_actions,
    is_any_resource,
    literal_start,
    names_actions,
    overlaps,
    parse_arn,
)
from rolelint.checks.stand_ins import holds_unknown, may_name, surely_names
from rolelint.condition_operators import matches_patterns, positive_of
from rolelint.model import (
    THIS_ACCOUNT,
    Condition,
    PolicyDocument,
    PolicyKind,
    Role,
    Statement,
    Value,
    stand_ins_in_words,
)

if TYPE_CHECKING:
    from rolelint.iam_actions import Action


@dataclass(frozen=True, slots=True)
class Piece:
    """An action pattern still granted, minus the patterns removed from it."""

    pattern: str
    excluded: tuple[str, ...] = ()

    def grants(self, action: str) -> bool:
        """Whether this piece grants all of ``action`` (a literal or a pattern)."""
        return covers(self.pattern, action, case_sensitive=False) and not any(
            overlaps(removed, action, case_sensitive=False) for removed in self.excluded
        )

    @property
    def empty(self) -> bool:
        """Whether it grants no action: a pattern taken out of it takes all of it (an Allow
        with NotAction ``"*"``, ``["s3:*", "*"]`` or ``"*:*"`` is every action but all of
        them).  Only a NotAction makes one (:func:`_start`): a Deny or a boundary drops a
        piece it takes all of (:func:`_without`, :func:`_meet`)."""
        return any(_takes_all_of(removed, self.pattern) for removed in self.excluded)

    def describe(self) -> str:
        if not self.excluded:
            return f"'{self.pattern}'"
        return f"'{self.pattern}' except {', '.join(self.excluded)}"


@dataclass(frozen=True, slots=True)
class Narrower:
    """Resources, narrower than those in question, a grant may still stand on.

    IAM allows a request when some Allow and the boundary both allow it, and no Deny denies
    it: the grant is worth the overlap of its resources and the boundary's, and a Deny of
    every resource but a few leaves it on those few.  Taken away on ``"*"``, iam:PassRole under
    a boundary allowing it on ``role/*`` still passes every role of the account.
    """

    resource: Value  # at the line of the grant's resource it narrows
    why: str  # what the effect there says limited it ("... allows it only on ...")
    # What the effect on ``resource`` alone would say instead, and ``why`` replaces: the
    # boundary "allows it", the Deny "covers fewer resources".
    instead: str


@dataclass(frozen=True, slots=True)
class Effect:
    """The remainder of one granted action pattern on some resources, with its explanation.

    ``limits`` say what took something away ("the Deny in ... removes iam:*"); ``non_limits``
    say what a reviewer might think limits the grant but does not, or may not (a conditional
    Deny, a boundary that allows it, one rolelint cannot read: :data:`unread_boundary`).
    """

    pieces: tuple[Piece, ...]
    limits: tuple[str, ...] = ()
    non_limits: tuple[str, ...] = field(default=())
    # The narrower resources a Deny of every resource but a few, or a permissions boundary
    # allowing the action on fewer resources, leaves the grant on (see :func:`effects_on`).
    narrower: tuple[Narrower, ...] = ()
    # Conditions IAM tests besides the grant's own, as groups of Allow statements: a request
    # passes only if, of each group, one statement's conditions hold.  A group is the Allows
    # with a condition of a permissions boundary that alone let the grant through, or a Deny
    # whose one condition is a negated test, in its positive form (a Deny of
    # iam:AttachRolePolicy where ArnNotEquals iam:PolicyARN X lets X alone through).  Rules
    # judge them as they judge the grant's own conditions: a boundary letting
    # iam:AttachRolePolicy through only for AmazonS3ReadOnlyAccess attaches nothing else.
    gates: tuple[tuple[Statement, ...], ...] = ()

    @property
    def removed(self) -> bool:
        return not self.pieces

    @property
    def whole(self) -> bool:
        """Nothing was taken away."""
        return not self.limits

    def grants(self, action: str) -> bool:
        return any(piece.grants(action) for piece in self.pieces)

    def passes_gates(self, *tests: Callable[[Statement], bool]) -> bool:
        """Whether what a rule judges gets through every gate (:attr:`gates`) by each of
        ``tests``, each a test of one statement's conditions, as the rule judges the grant's
        own statement: some statement of each group passes it (a request must pass one of
        each group), each test judged on its own.  Every rule that judges gates asks here,
        or :meth:`through_gates` for which actions get through."""
        return all(any(test(s) for s in group) for test in tests for group in self.gates)

    def through_gates(
        self,
        left_of: Callable[[Statement], frozenset[str] | None],
        left: frozenset[str] | None = None,
    ) -> frozenset[str] | None:
        """Of the actions ``left`` (None: all), those that get through every gate, where
        ``left_of`` says which a statement's conditions let through (None: all): a request
        must pass one statement of each group, so a group lets through what some statement
        of it does.  :meth:`passes_gates` is the yes-or-no form; RL203 asks which writes."""
        for group in self.gates:
            lefts = [left_of(statement) for statement in group]
            if any(passed is None for passed in lefts):
                continue  # some statement of the group lets everything through
            passing = frozenset[str]().union(*(passed for passed in lefts if passed is not None))
            left = passing if left is None else left & passing
        return left

    def note(self) -> str:
        """The explanation as a parenthesis to end a message with ("" when there is nothing to
        say)."""
        parts = [*self.limits, *self.non_limits]
        return f" ({'; '.join(dict.fromkeys(parts))})" if parts else ""


def effect_of(
    action: str,
    resources: Sequence[Value],
    document: PolicyDocument,
    roles: Iterable[Role],
    *,
    excluded: tuple[str, ...] = (),
    allow: Statement | None = None,
    implicit_deny: bool = True,
) -> Effect:
    """What ``action`` (minus ``excluded``, for NotAction) allowed on ``resources`` by
    ``document`` leaves for its holders.

    A policy attached to several roles is judged for each; the broadest remainder is returned,
    because a finding holds as soon as one holder has it (the permission rules then name only
    the holders it holds for, judging each group of :func:`alike` ones).  A Deny takes
    something away only where it is deployed wherever the grant is: not one some deployments
    leave out, and, of statements chosen by an ``Fn::If`` as a whole, only one of ``allow``'s
    branch (``allow``, the statement granting it: without it, no branch's Deny counts).

    ``implicit_deny=False`` leaves out what a permissions boundary takes away by not allowing
    it, and keeps its explicit Denies: so IAM limits what a resource-based policy grants an
    IAM user it names by ARN in its own account (IAM User Guide, policy evaluation logic: "not
    limited by an implicit deny in an identity-based policy or permissions boundary").
    """
    start = _start(action, excluded)
    holders = _by_holders(start, resources, document, roles, allow, implicit_deny)
    return _broadest(effect for _, effect, _ in holders)


def effects_on(
    action: str,
    resources: Sequence[Value],
    document: PolicyDocument,
    roles: Iterable[Role],
    *,
    excluded: tuple[str, ...] = (),
    allow: Statement | None = None,
) -> list[tuple[Sequence[Value], Effect]]:
    """The effect of the grant on ``resources`` (:func:`effect_of`), then its effect on each
    narrower resource a holder's Deny or permissions boundary leaves it on, where something
    of it stands: a rule judges the grant there as if it were written on that resource.

    "Allow iam:PassRole on *" under a boundary allowing iam:PassRole on ``role/*`` only passes
    every role of the account (the boundary and the policy overlap on ``role/*``), and under
    "Deny sts:AssumeRole on all but role/deploy-only" the holder can still assume deploy-only:
    neither is nothing.  Only one level is followed: a resource narrower still is not sought.
    """
    start = _start(action, excluded)
    holders = _by_holders(start, resources, document, roles, allow)
    first = _broadest(e for _, e, _ in holders)
    found: list[tuple[Sequence[Value], Effect]] = [(resources, first)]
    seen: set[tuple[str | None, str]] = set()
    for limiting, effect, unread in holders:
        for narrower in effect.narrower:
            key = (narrower.resource.text, narrower.why)
            if key in seen:
                continue
            seen.add(key)
            on = [narrower.resource]
            there = _effect_for(start, on, document, limiting, allow)
            if not there.removed:
                found.append((on, _noting(_said_there(there, narrower), unread)))
    return found


def _broadest(effects: Iterable[Effect]) -> Effect:
    """The effect that leaves the most, of one grant's for several holders: a finding holds as
    soon as one holder has it."""
    return max(effects, key=lambda e: (not e.removed, e.whole, len(e.pieces), not e.gates))


def _start(action: str, excluded: tuple[str, ...]) -> Piece:
    return Piece(action, tuple(e for e in excluded if overlaps(e, action, case_sensitive=False)))


def _by_holders(
    start: Piece,
    resources: Sequence[Value],
    document: PolicyDocument,
    roles: Iterable[Role],
    allow: Statement | None,
    implicit_deny: bool = True,
) -> list[tuple[tuple[PolicyDocument, ...], Effect, str | None]]:
    """The effect for each set of limiting documents among the holders (the document alone
    when it has none), with that set and what the effect says of a permissions boundary of
    theirs rolelint cannot read (:func:`unread_boundary`; None without one).  Those with
    such a boundary come last: of effects that leave as much, the one of a holder nothing
    unknown may limit is the broadest (:func:`_broadest` keeps the first)."""
    groups = alike(roles)
    if not groups:
        # No role holds it; the role it becomes may have a boundary all the same (an Identity
        # Center permission set's: PolicyDocument.holder_boundary), limiting it as a role's.
        limiting = _limiting(document, document.holder_boundaries)
        effect = _effect_for(start, resources, document, limiting, allow, implicit_deny)
        unread = _unread(document.holder_boundary, document.holder_boundaries)
        unread = unread if implicit_deny else None
        return [(limiting, _noting(effect, unread), unread)]
    # Holders with the same limiting documents (users of the same groups) come to the same
    # effect: each set of documents is judged once.
    found = []
    for group in groups:
        # A boundary limits nothing a resource-based policy grants (implicit_deny=False).
        unread = unread_boundary(group[0]) if implicit_deny else None
        # Each deployment of the grant with the policies some deployments leave out that are
        # there too: the broadest of them holds.
        for deployed in _deployed_beside(document, group[0]):
            limiting = _limiting(document, _role_limiting(group[0]) + deployed)
            effect = _effect_for(start, resources, document, limiting, allow, implicit_deny)
            found.append((limiting, _noting(effect, unread), unread))
    return sorted(found, key=lambda holding: holding[2] is not None)


def _noting(effect: Effect, unread: str | None) -> Effect:
    """``effect`` saying ``unread`` (what it says of a boundary rolelint cannot read) among
    what may not limit it: the boundary may, or may not."""
    if unread is None:
        return effect
    return replace(effect, non_limits=(*effect.non_limits, unread))


def _read_boundary_of(holder: Role) -> str | None:
    """:func:`unread_boundary`, worked out."""
    return _unread(holder.permissions_boundary, holder.policies)


def _unread(value: Value | None, documents: Iterable[PolicyDocument]) -> str | None:
    """What an effect says of a permissions boundary ``value`` names when none of
    ``documents`` is it (kind BOUNDARY): rolelint cannot read it, and it may limit the grant."""
    if value is None or any(d.kind is PolicyKind.BOUNDARY for d in documents):
        return None
    if value.text is None:
        why = f" ({value.unresolved_reason})" if value.unresolved_reason else ""
        return f"its permissions boundary is unresolved{why} and may limit this"
    from rolelint.managed_policies import unshipped_name

    name = unshipped_name(value.text)
    if name is not None:  # no scan holds an AWS managed policy's text: rolelint's data may not
        return (
            f"its permissions boundary, AWS managed policy {name}, is not in rolelint's policy"
            " data and may limit this"
        )
    named = stand_ins_in_words(value.text)
    return f"its permissions boundary {named} is not in the scanned files and may limit this"


def alike(holders: Iterable[Role], allow: Statement | None = None) -> list[tuple[Role, ...]]:
    """``holders`` in groups, in order, that the same Denies and boundaries limit: a grant
    comes to the same effect for every holder of a group (users of the same groups, roles
    without a Deny), so a rule judging a policy for each of its holders judges each group
    once.  With ``allow``, the Allow statement in question, a document whose every Deny is of
    actions it does not grant limits nothing of it and does not count: 1,000 roles each with
    a Deny of its own are one group for a statement those Denies do not touch."""
    patterns = None if allow is None else _granted_patterns(allow)
    groups: dict[tuple[tuple[int, ...], str | None], list[Role]] = {}
    for holder in holders:
        limiting = _role_limiting(holder) + _deployed_limiting(holder)
        if patterns is not None:
            limiting = tuple(d for d in limiting if _may_limit(d, patterns))
        # A boundary not read is said in the findings: only holders with the same one agree.
        groups.setdefault((tuple(map(id, limiting)), unread_boundary(holder)), []).append(holder)
    return [tuple(group) for group in groups.values()]


def _granted_patterns(allow: Statement) -> tuple[str, ...] | None:
    """The action patterns an Allow grants; None when that is not known or is everything but
    a list (NotAction): any Deny may then take something away."""
    if allow.has_not_action or any(v.text is None for v in allow.actions):
        return None
    return tuple(v.text for v in allow.actions if v.text is not None)


def _may_limit(document: PolicyDocument, patterns: tuple[str, ...] | None) -> bool:
    """Whether ``document`` (a boundary, or one with Denies) may limit a grant of
    ``patterns`` (None: of anything): a boundary always may, a Deny only of actions that may
    overlap them (_DenyIndex.candidates, which errs towards yes)."""
    if document.kind is PolicyKind.BOUNDARY or patterns is None:
        return True
    return bool(_deny_index(document).candidates(patterns))


def _said_there(effect: Effect, narrower: Narrower) -> Effect:
    """The effect on a narrower resource, saying what narrowed the grant to it (in place of
    what it says of the Deny or boundary judged on that resource alone)."""
    return Effect(
        effect.pieces,
        (narrower.why, *effect.limits),
        tuple(n for n in effect.non_limits if n != narrower.instead),
        effect.narrower,
        effect.gates,
    )


def _effect_for(
    start: Piece,
    resources: Sequence[Value],
    granting: PolicyDocument,
    limiting: Sequence[PolicyDocument],
    allow: Statement | None = None,
    implicit_deny: bool = True,
) -> Effect:
    """What is left of ``start`` (allowed by ``granting``, by ``allow`` when known) once the
    Denies and boundaries of ``limiting`` have had their say (the boundaries' Denies alone,
    without ``implicit_deny``).

    Worked out once for each question: the permission rules judge a shared policy for all its
    holders and again for each group of them (grants._attributed), and each group's
    question is one the first judgment asked already.  The objects asked about are kept with
    the answer, so their ids are not reused while it is remembered."""
    key = (
        start,
        _resources_key(resources),
        id(granting),
        tuple(map(id, limiting)),
        id(allow),
        implicit_deny,
    )
    known = _EFFECTS.get(key)
    if known is not None:
        return known[1]
    if len(_EFFECTS) >= _MAX_REMEMBERED:
        _EFFECTS.clear()
    effect = _judge(start, resources, granting, limiting, allow, implicit_deny)
    _EFFECTS[key] = ((granting, tuple(limiting), allow), effect)
    return effect


def _judge(
    start: Piece,
    resources: Sequence[Value],
    granting: PolicyDocument,
    limiting: Sequence[PolicyDocument],
    allow: Statement | None,
    implicit_deny: bool = True,
) -> Effect:
    """_effect_for, worked out."""
    pieces = [start]
    limits: list[str] = []
    non_limits: list[str] = []
    narrower: list[Narrower] = []
    gates: list[tuple[Statement, ...]] = []
    for document in limiting:
        index = _deny_index(document)
        # Later pieces are parts of these (a NotAction Deny keeps what it spares of each), so
        # a Deny that may overlap them is among these candidates too.
        for position in index.candidates(piece.pattern for piece in pieces):
            deny = index.statements[position]
            if not deny.always_beside(allow if document is granting else None):
                continue  # another branch of an Fn::If, or one some deployments leave out
            pieces = _apply_deny(
                pieces,
                deny,
                document,
                resources,
                limits,
                non_limits,
                granting,
                narrower,
                gates,
            )
    boundaries = limiting if implicit_deny else ()
    for boundary in (d for d in boundaries if d.kind is PolicyKind.BOUNDARY):
        capped, gate = _within_boundary(pieces, boundary, resources, narrower)
        if gate:
            gates.append(gate)
        if capped is None or capped == pieces:
            if pieces:
                non_limits.append(_allows_it(boundary, gate))
            continue
        pieces = capped
        remainder = ", ".join(p.describe() for p in pieces) or "nothing"
        limits.append(f"{boundary.origin} limits it to {remainder}{_only_under(gate)}")
    return Effect(tuple(pieces), tuple(limits), tuple(non_limits), tuple(narrower), tuple(gates))


def _allows_it(boundary: PolicyDocument, gate: tuple[Statement, ...] = ()) -> str:
    return f"{boundary.origin} allows it{_only_under(gate)}"


def _only_under(gate: tuple[Statement, ...]) -> str:
    """`` only under its condition at line N`` for a boundary that lets a grant through only
    by Allows with a condition (nothing without one)."""
    if not gate:
        return ""
    lines = list(dict.fromkeys(str(s.conditions[0].ref.line) for s in gate))
    if len(lines) == 1:
        return f" only under its condition at line {lines[0]}"
    return f" only under its conditions at lines {some_of(lines, 3)}"


def remainders(
    action: str,
    resources: Sequence[Value],
    document: PolicyDocument,
    holder: Role,
    *,
    allow: Statement,
    excluded: tuple[str, ...] = (),
) -> list[tuple[Sequence[Value], Effect]]:
    """What the Allow ``allow`` of ``action`` (minus ``excluded``, for NotAction) leaves
    ``holder``: the effect on ``resources`` and on each narrower resource a Deny or the
    boundary leaves it on (:func:`effects_on`).  "Deny sts:AssumeRole on all but
    role/deploy-only" under "Allow sts:AssumeRole on *" leaves the holder able to assume
    deploy-only: not nothing."""
    return effects_on(action, resources, document, [holder], excluded=excluded, allow=allow)


# --- which documents can take something away ------------------------------------------------

Key = TypeVar("Key")
Remembered = TypeVar("Remembered")


class _ByIdentity(Generic[Key, Remembered]):
    """``compute(key)`` once per object, by identity (the object is kept, so its id is not
    reused), all forgotten at once past :data:`_MAX_REMEMBERED` objects (a long-lived process).

    effect_of is asked once per statement and action a check or a card looks at: reading every
    statement of every document of the holder each time made a card quadratic in a policy's
    statements (1,000 roles sharing a 20,000-statement policy: a 45 s report) and in a role's
    documents (5,000 inline policies: 44 s).
    """

    def __init__(self, compute: Callable[[Key], Remembered]) -> None:
        self._compute = compute
        self._known: dict[int, tuple[Key, Remembered]] = {}

    def __call__(self, key: Key) -> Remembered:
        known = self._known.get(id(key))
        if known is not None and known[0] is key:
            return known[1]
        if len(self._known) >= _MAX_REMEMBERED:
            self._known.clear()
        result = self._compute(key)
        self._known[id(key)] = (key, result)
        return result


_MAX_REMEMBERED = 10_000


class _Resources:
    """The resources of an :func:`_effect_for` question, as its key: equal when the values are
    (as their tuple was), hashed once.  A card and the inventory ask once per action of a
    statement, with the same resources each time: hashing 300 values anew for each of 206
    actions of 300 roles' statements (37 million values) took most of a 3 MB report's 30 s."""

    __slots__ = ("_hash", "values")

    def __init__(self, values: tuple[Value, ...]) -> None:
        self.values = values
        self._hash = hash(values)

    def __hash__(self) -> int:
        return self._hash

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Resources) and self.values == other.values


# The key of the resources asked about last (questions come in runs on the same resources).
_last_resources: list[_Resources] = []


def _resources_key(resources: Sequence[Value]) -> _Resources:
    """``resources`` as a key: the last one's again when it holds the same objects (told by
    identity, without hashing a value), else a new one."""
    if _last_resources:
        last = _last_resources[0].values
        if len(last) == len(resources) and all(map(operator.is_, last, resources)):
            return _last_resources[0]
    key = _Resources(tuple(resources))
    _last_resources[:] = [key]
    return key


# _effect_for's answers: by the question, the objects it names by id and the answer.
_EFFECTS: dict[
    tuple[Piece, _Resources, int, tuple[int, ...], int, bool],
    tuple[tuple[object, ...], Effect],
] = {}

_denies = _ByIdentity[PolicyDocument, tuple[Statement, ...]](
    lambda document: tuple(s for s in document.statements if s.is_deny)
)


class _DenyIndex:
    """The Deny statements of a document, found by the literal start of their actions.

    A Deny whose every action pattern starts differently from every pattern still granted
    (``iam:Put1*`` against ``iam:Put2Role*``) removes nothing and says nothing, so only the
    others are applied.  Applying each Deny to each Allow made a role of 2,500 Allows and
    2,500 Denies ask 6,250,000 questions.  A NotAction Deny may remove anything: always applied.
    """

    def __init__(self, document: PolicyDocument) -> None:
        self.statements = _denies(document)
        self._always: list[int] = []
        self._by_head: dict[str, list[int]] = {}
        for position, statement in enumerate(self.statements):
            if statement.has_not_action:
                self._always.append(position)
                continue
            for value in statement.actions:
                if value.text is not None:
                    head = literal_start(value.text.lower())
                    self._by_head.setdefault(head, []).append(position)
        self._heads = sorted(self._by_head)
        self._lengths = sorted({len(head) for head in self._by_head})

    def candidates(self, patterns: Iterable[str]) -> list[int]:
        """The positions, in order, of the Denies that may overlap one of ``patterns``."""
        import bisect

        found = set(self._always)
        for pattern in patterns:
            head = literal_start(pattern.lower())
            for length in self._lengths:  # Deny starts that begin this one
                if length > len(head):  # (the lengths they have: a start may be 3 MB long)
                    break
                found.update(self._by_head.get(head[:length], ()))
            at = bisect.bisect_left(self._heads, head)  # and those this one begins
            while at < len(self._heads) and self._heads[at].startswith(head):
                found.update(self._by_head[self._heads[at]])
                at += 1
        return sorted(found)


_deny_index = _ByIdentity[PolicyDocument, _DenyIndex](_DenyIndex)


def _can_limit(document: PolicyDocument) -> bool:
    """A boundary, or a permission policy with a Deny (a trust policy's Denies say who may
    assume the role, not what it may do)."""
    if document.kind is PolicyKind.BOUNDARY:
        return True
    return document.kind is not PolicyKind.TRUST and bool(_denies(document))


Item = TypeVar("Item")


def once_each(items: Iterable[Item]) -> tuple[Item, ...]:
    """``items`` in order, each object once (two equal documents or holders stay two: the
    model's dataclasses compare by value, and two roles alike are still two roles)."""
    return tuple({id(item): item for item in items}.values())


_role_limiting = _ByIdentity[Role, tuple[PolicyDocument, ...]](
    lambda role: once_each(d for d in role.policies if _can_limit(d) and not d.optional)
)

# Of a holder's permission policies some deployments leave out, those with a Deny whose
# branches of the conditions they are deployed under are known (PolicyDocument.deployed_under):
# they limit what is deployed only where they are.
_deployed_limiting = _ByIdentity[Role, tuple[PolicyDocument, ...]](
    lambda role: once_each(
        d
        for d in role.policies
        if d.optional and d.deployed_under and d.kind is PolicyKind.PERMISSIONS and _can_limit(d)
    )
)

# The conditions whose branches are judged together for one grant (2**4 ways at most); a
# holder whose optional policies name more is judged as if none of them were deployed.
_MAX_DEPLOYMENT_CONDITIONS = 4


def _deployed_beside(granting: PolicyDocument, holder: Role) -> list[tuple[PolicyDocument, ...]]:
    """The holder's policies some deployments leave out (:data:`_deployed_limiting`) that are
    deployed beside ``granting``, once per way the conditions they are deployed under may hold
    where ``granting`` is (its own branches, when optional and known; any, else): ``var.prod ?
    [admin, guard] : []`` has the guard wherever admin is, and ``var.prod ? guard : guard2``
    one guard or the other beside a grant every deployment has.  Each way is a deployment of
    the grant, which a finding holds for as soon as one of them leaves it standing.  One way
    with none of them when there are none, or too many conditions to judge."""
    optional = tuple(d for d in _deployed_limiting(holder) if d is not granting)
    if not optional:
        return [()]
    names = sorted({name for d in optional for name, _ in d.deployed_under or ()})
    if len(names) > _MAX_DEPLOYMENT_CONDITIONS:
        return [()]
    fixed = dict(granting.deployed_under or ()) if granting.optional else {}
    found: dict[tuple[int, ...], tuple[PolicyDocument, ...]] = {}
    for truths in itertools.product((True, False), repeat=len(names)):
        holds = dict(zip(names, truths, strict=True))
        if any(holds.get(name, truth) != truth for name, truth in fixed.items()):
            continue  # no deployment of the grant
        there = tuple(
            d
            for d in optional
            if all(holds[name] == truth for name, truth in d.deployed_under or ())
        )
        found.setdefault(tuple(map(id, there)), there)
    return list(found.values())


# What the findings say of a holder's permissions boundary that rolelint cannot read: one the
# holder names (``PermissionsBoundary``, ``permissions_boundary``) by an ARN whose policy is
# not in the scanned files (nor among the AWS managed policies rolelint ships), or by a value
# not known statically.  It may allow everything the holder's policies grant, or little of
# it: the findings stand, as what the policies grant, and say that it may limit them (the
# role card says the same: "not readable here").  None when the holder has no boundary or
# rolelint reads it.
unread_boundary = _ByIdentity[Role, str | None](_read_boundary_of)


def _limiting(
    granting: PolicyDocument, of_holder: tuple[PolicyDocument, ...]
) -> tuple[PolicyDocument, ...]:
    """``granting`` and the holder's documents that can limit, in that order, each once."""
    rest = tuple(d for d in of_holder if d is not granting)
    return (granting, *rest) if _can_limit(granting) else rest


# --- Deny -----------------------------------------------------------------------------------------


def _no_resource_words(statement: Statement) -> str:
    """Why a Deny naming no resource takes nothing away.  Without Resource or NotResource IAM
    rejects its policy; an empty list (``"Resource": []``) is outside IAM's grammar, but IAM
    Access Analyzer files it as a suggestion (the statement "does not affect the policy"), so
    a rejection is not said of it."""
    empty = statement.empty_resource
    if empty is not None:
        return f"names no resource (its {empty.name} is an empty list)"
    return "names no resource, which IAM rejects"


def _apply_deny(
    pieces: list[Piece],
    statement: Statement,
    document: PolicyDocument,
    resources: Sequence[Value],
    limits: list[str],
    non_limits: list[str],
    granting: PolicyDocument | None = None,
    narrower: list[Narrower] | None = None,
    gates: list[tuple[Statement, ...]] | None = None,
) -> list[Piece]:
    """``pieces`` without what the Deny ``statement`` of ``document`` removes on
    ``resources``; says why in ``limits`` (or, when it does not apply, in ``non_limits``).
    A Deny in ``granting``, the policy that holds the Allow, is named by its line alone.
    The resources a Deny of every resource but a few spares go to ``narrower``; a Deny whose
    one condition is a negated test goes to ``gates`` in its positive form (:func:`_unless`)."""
    if statement.has_not_action:
        spared = [v.text for v in statement.not_actions if v.text is not None]
        if len(spared) < len(statement.not_actions):  # what it spares is unknown
            return pieces
        if all(any(covers(s, p.pattern, case_sensitive=False) for s in spared) for p in pieces):
            return pieces  # everything still granted is spared
        hit = [f"every action but {', '.join(spared) or 'none'}"]
    else:
        patterns = [v.text for v in statement.actions if v.text and names_actions(v.text)]
        hit = [
            pattern
            for pattern in patterns
            for piece in pieces
            if overlaps(pattern, piece.pattern, case_sensitive=False)
        ]
        if not hit:
            return pieces
    where = (
        f"the Deny at line {statement.ref.line}"
        if document is granting
        else f"the Deny in {document.origin} (line {statement.ref.line})"
    )
    if statement.names_no_resource:  # it denies nothing (RL613)
        non_limits.append(f"{where} {_no_resource_words(statement)}")
        return pieces
    if statement.conditions:
        positive = _unless(statement, pieces, resources) if gates is not None else None
        if positive is None or gates is None:
            non_limits.append(f"{where} has a condition, so it may not apply")
        else:
            gates.append((positive,))
            non_limits.append(f"{where} refuses it unless {_passes(positive.conditions[0])}")
        return pieces
    spared_resources = (
        _spared_resources(statement, resources) if statement.has_not_resource else None
    )
    covered = (
        _not_resource_covers(statement, resources)
        if statement.has_not_resource
        else _covers_resources(statement, resources)
    )
    held: list[tuple[str, Value]] | None = None  # what it spares, each in the resource holding it
    if statement.has_not_resource and spared_resources is None and not covered:
        within = _spared_within(statement, resources)
        if within is not None and not within.narrows:
            # It spares every resource in question: as on "*", say so when those are every
            # resource of the services granted.
            kinds = services_named_whole(within.sparing)
            if all(any(covers(w, p.pattern, case_sensitive=False) for w in kinds) for p in pieces):
                non_limits.append(_spares_whole(where, within.sparing, kinds))
                return pieces
        elif within is not None:
            held = list(within.held)
            spared_resources = [text for text, _ in held]
    if spared_resources is None and not covered:
        by_type = None
        if not statement.has_not_resource and not statement.has_not_action:
            by_type = _deny_of_whole_types(pieces, patterns, statement, resources)
        if by_type is None:
            non_limits.append(f"{where} covers fewer resources")
            return pieces
        left, complete = by_type
        denied = ", ".join(dict.fromkeys(hit))
        limits.append(
            f"{where} removes {denied} on every resource they act on"
            if complete
            else f"{where} removes those of {denied} whose every resource it names"
        )
        return left
    whole: list[str] = []  # the services whose every resource the Deny spares
    if spared_resources is not None:
        whole = services_named_whole(spared_resources)
        if all(any(covers(w, p.pattern, case_sensitive=False) for w in whole) for p in pieces):
            non_limits.append(_spares_whole(where, spared_resources, whole))
            return pieces
        # A Deny of every resource but a few: what it denies is granted on those few only, so
        # no longer on every resource.
        why = f"{where} leaves {', '.join(dict.fromkeys(hit))} only on " + _quoted(spared_resources)
        limits.append(why)
        if narrower is not None:
            if held is None:  # on every resource: each spared pattern is within it
                held = _held_by(spared_resources, resources)
            narrower.extend(_spared_narrower(held, why, f"{where} covers fewer resources"))
    else:
        limits.append(f"{where} removes {', '.join(dict.fromkeys(hit))}")
    # What the Deny spares whole stays as broad as it was.
    untouched = [meet for piece in pieces for w in whole for meet in _meet(piece, w)]
    if statement.has_not_action:
        # A Deny of everything but ``spared`` leaves only what ``spared`` names.
        met = (meet for piece in pieces for s in spared for meet in _meet(piece, s))
        return _dedupe([*met, *untouched])
    return [*untouched, *_without(pieces, patterns)]


def _spares_whole(where: str, spared: Sequence[str], whole: Sequence[str]) -> str:
    """What an effect says of a Deny with NotResource sparing every resource of the services
    ``whole`` (:func:`services_named_whole` of ``spared``) that the grant names."""
    if "*" in whole:
        return f"{where} spares every resource"
    services = ", ".join(w.removesuffix(":*") for w in whole)
    return f"{where} spares {_quoted(spared)}, every {services} resource of the kind it names"


def _unless(
    statement: Statement, pieces: Sequence[Piece], resources: Sequence[Value]
) -> Statement | None:
    """What a Deny with a condition lets through of ``pieces`` on ``resources``, as an Allow
    of them under the positive form of its condition, when that is certain: its one condition
    is a negated test (StringNotEquals, ArnNotLike ...; not IfExists, not a set operator) of
    values written in the policy, and it denies every piece on every resource in question.
    A Deny of iam:PassRole on ``"*"`` where StringNotEquals iam:PassedToService
    ec2.amazonaws.com passes a role to EC2 alone, as an Allow under StringEquals would.  None
    otherwise: several tests (the Deny applies where all hold) are no one positive test, and a
    key or value not known, or a value a parameter's default gives, may be another."""
    if len(statement.conditions) != 1 or statement.has_not_action or statement.has_not_resource:
        return None
    if has_unresolved_condition(statement):
        return None  # a key not known may be any: the Deny may not apply
    condition = statement.conditions[0]
    # The requests a Deny under a negated test refuses are exactly those its positive form
    # fails, a request without the key among them.  A prefix or IfExists: no positive form.
    positive = positive_of(condition.operator)
    if positive is None or not condition.values:
        return None
    if any(v.text is None or v.text == "" or v.origin is not None for v in condition.values):
        return None
    patterns = [v.text for v in statement.actions if v.text and names_actions(v.text)]
    if not all(any(_takes_all_of(p, piece.pattern) for p in patterns) for piece in pieces):
        return None  # it denies only part of what is granted
    if not _covers_resources(statement, resources):
        return None
    flipped = replace(condition, operator=positive)
    return replace(statement, effect=Value("Allow", statement.ref), conditions=(flipped,))


def _passes(condition: Condition) -> str:
    """``iam:PolicyARN is 'arn:...'``: what a positive test admits, for a message.  An
    ``ArnEquals`` value with a wildcard matches many ARNs (IAM compares ARNs with wildcards under
    both ARN operators), so it "matches" as the ``Like`` tests do rather than "is"."""
    operator = condition.base_operator.lower()
    like = matches_patterns(operator) and (
        operator.endswith("like") or any(has_wildcard(v.text or "") for v in condition.values)
    )
    listed = _quoted([v.said() for v in condition.values])
    return f"{condition.key} {'matches' if like else 'is'} {listed}"


def _without(pieces: Iterable[Piece], patterns: Sequence[str]) -> list[Piece]:
    """``pieces`` less the action ``patterns``: a piece they cover goes, one they overlap
    keeps them as exclusions."""
    kept: list[Piece] = []
    for piece in pieces:
        if any(_takes_all_of(p, piece.pattern) for p in patterns):
            continue
        extra = tuple(
            p
            for p in dict.fromkeys(patterns)
            if overlaps(p, piece.pattern, case_sensitive=False) and p not in piece.excluded
        )
        kept.append(Piece(piece.pattern, piece.excluded + extra) if extra else piece)
    return kept


def _takes_all_of(denied: str, granted: str) -> bool:
    """Whether the denied action pattern takes every action of the granted one: it covers it,
    or names every action (``*:*`` does not cover ``*`` as text, but every action has its
    colon)."""
    return covers(denied, granted, case_sensitive=False) or is_all_actions(denied)


def _deny_of_whole_types(
    pieces: list[Piece], patterns: list[str], deny: Statement, resources: Sequence[Value]
) -> tuple[list[Piece], bool] | None:
    """What is left of a grant on resource patterns (``"*"``, every IAM resource of an account,
    ``arn:aws:ssm:*:*:*``) under a Deny of ``patterns`` on resources that do not cover them,
    when those are every resource some actions act on: a Deny of iam:PassRole on
    ``arn:aws:iam::*:role/*`` takes it away as surely as one on ``"*"``, since it passes only
    roles, and a Deny of ssm:* on every parameter takes ssm:DeleteParameter out of a grant on
    every SSM resource.  A literal resource is left to :func:`_covers_resources`: a Deny of
    every resource of its type covers it.  With whether it takes away all of what it denies;
    None when it takes nothing away that way.

    An action counts as denied when the AWS action catalog gives it resource types and the
    Deny names every resource of each (in every region, and every account, or the holder's
    own for IAM actions, whose resources no other account lets them act on); the others it
    grants, such as the IAM actions allowed only on ``"*"``, are left as they were.  Only
    Denies naming their services (``iam:*``, not ``*``) are judged so: the catalog is read one
    service at a time.  A Deny on every ARN is the exception: every action with a resource
    type is denied, of whatever service, and what is left of ``*`` is the actions allowed only
    on ``"*"`` (iam:ListRoles, ec2:DescribeInstances).
    """
    if not resources or not all(r.text is not None and "*" in r.text for r in resources):
        return None
    # A Deny on every ARN (``arn:*``, ``arn:aws:*:*:*:*``) names every resource of every type:
    # it takes every action that has one, of any service.
    every_arn = any(v.text is not None and is_any_resource(v.text) for v in deny.resources)
    if not every_arn and any(_service_of(pattern) is None for pattern in patterns):
        return None
    named = _whole_type_patterns(deny.resources)
    if not every_arn and not named.anywhere:
        return None
    kept: list[Piece] = []
    changed, whole = False, True
    for piece in pieces:
        hit = [p for p in patterns if overlaps(p, piece.pattern, case_sensitive=False)]
        overlap = _granted_among(piece, hit)
        left = [
            name
            for name, action in overlap.items()
            if not (bool(action.resource_types) if every_arn else _every_type_named(action, named))
        ]
        if len(left) == len(overlap):
            kept.append(piece)  # nothing it grants is denied everywhere it acts
            continue
        changed, whole = True, whole and not left
        if not any(_takes_all_of(p, piece.pattern) for p in hit):
            extra = tuple(p for p in dict.fromkeys(hit) if p not in piece.excluded)
            kept.append(Piece(piece.pattern, piece.excluded + extra))
        kept.extend(Piece(name) for name in left)
    return (_dedupe(kept), whole) if changed else None


def _granted_among(piece: Piece, patterns: list[str]) -> dict[str, Action]:
    """The catalog's actions that ``patterns`` name and ``piece`` grants, by name, reading the
    narrower of the two: ``*`` names every action of the catalog, and asking the piece about
    each of them, for each question a check asks, took seconds."""
    from rolelint.iam_actions import expand

    found: dict[str, Action] = {}
    for pattern in patterns:
        if not piece.excluded and covers(piece.pattern, pattern, case_sensitive=False):
            found.update((action.full_name, action) for action in expand(pattern))
            continue
        named = expand(
            piece.pattern if covers(pattern, piece.pattern, case_sensitive=False) else pattern
        )
        found.update((a.full_name, a) for a in named if piece.grants(a.full_name))
    return found


def _service_of(pattern: str) -> str | None:
    """The service an action pattern names without a wildcard (``iam`` for ``iam:Pass*``)."""
    service, sep, _ = pattern.partition(":")
    return service.lower() if sep and service and not any(c in service for c in "*?") else None


@dataclass(frozen=True, slots=True)
class _Named:
    """A Deny's resources as patterns to compare with the catalog's ARN templates, the
    partition left out (a grant and its Deny are deployed in one).

    ``by_iam`` widens the holder's own account to every account in IAM ARNs: an IAM action
    (iam:PassRole, iam:AttachRolePolicy) acts on no other account's roles, so every role of
    the account is every role it can act on.  ``anywhere`` keeps the account as written, for
    the other actions: sts:AssumeRole acts on the role ARN of any account that trusts the
    holder, so a Deny of the account's own roles leaves every other account's.
    """

    by_iam: tuple[str, ...]
    anywhere: tuple[str, ...]

    def for_action(self, action: Action) -> tuple[str, ...]:
        return self.by_iam if action.service.lower() == "iam" else self.anywhere


def _whole_type_patterns(resources: Sequence[Value]) -> _Named:
    """A Deny's resources as patterns of ARNs, as :class:`_Named` says."""
    by_iam: list[str] = []
    anywhere: list[str] = []
    for value in resources:
        arn = parse_arn(_six_fields(value.text)) if value.text is not None else None
        if arn is None:
            continue
        written = ("arn", "*", arn.service, arn.region, arn.account, arn.resource)
        anywhere.append(":".join(written))
        if arn.account == THIS_ACCOUNT and arn.service == "iam":
            by_iam.append(":".join(("arn", "*", arn.service, arn.region, "*", arn.resource)))
        else:
            by_iam.append(anywhere[-1])
    return _Named(tuple(by_iam), tuple(anywhere))


def names_every_iam_resource(text: str) -> bool:
    """Whether a resource pattern names every IAM resource of an account, or of every account,
    whatever its type (by the AWS action catalog's resource types): ``"*"`` and every ARN, and
    ``arn:aws:iam::111122223333:*``, ``arn:aws:iam::*:*`` or ``arn:aws:*:*:111122223333:*``.
    IAM actions act on nothing else (or on ``"*"`` alone), and only on their own account's
    resources, so for them such a pattern is every resource.  ``role/*`` is not: it leaves the
    users, groups and policies out."""
    from rolelint.iam_actions import resource_arn_wildcards

    if is_any_resource(text):
        return True
    arn = parse_arn(text)
    if arn is None or arn.resource[:1] not in ("*", "?"):
        return False  # the types begin differently: only a wildcard starts all of them
    written = ":".join(("arn", "*", arn.service, arn.region, "*", arn.resource))
    return all(
        covers(written, every, case_sensitive=True)
        for every in resource_arn_wildcards("iam").values()
    )


# Resource types whose resources a request may also name as those of another type: an object
# read through an S3 access point (``arn:aws:s3:eu-west-1:111122223333:accesspoint/ap/object/k``)
# is an object of the access point's bucket, which the object type names directly
# (``arn:aws:s3:::bucket/k``), and an access point leaves the bucket's own access as it was.
# A grant on every object's ARN reaches every object an access point reaches.
_NAMED_DIRECTLY = {("s3", "accesspointobject"): "object"}


def names_every_resource_of(text: str, action: Action) -> bool:
    """Whether a resource pattern names every resource ``action`` acts on: ``"*"`` and every
    ARN, or a pattern covering the whole ARN format (by the AWS action catalog) of each
    resource type the action acts on (:func:`whole_types`).  ``arn:aws:s3:::*/*`` is every
    object, so every resource s3:GetObject acts on (an object named through an access point
    is one of those, :data:`_NAMED_DIRECTLY`); ``arn:aws:s3:::my-bucket/*`` is not, nor is
    ``arn:aws:secretsmanager:*:*:secret:prod/*`` for secretsmanager:GetSecretValue.  An action
    the catalog allows only on ``"*"`` is named by nothing else."""
    if is_any_resource(text):
        return True
    return names_types(action, whole_types(text, action.service))


def names_types(action: Action, named: frozenset[str]) -> bool:
    """Whether ``named`` (:func:`whole_types` of the action's service) holds every resource
    type the action acts on, or for one, the type its resources are also named as
    (:data:`_NAMED_DIRECTLY`) when the action acts on that one too."""
    types = {name.lower() for name in action.resource_types}
    return bool(types) and all(
        name in named or _NAMED_DIRECTLY.get((action.service, name)) in types & named
        for name in types
    )


@functools.lru_cache(maxsize=8192)
def whole_types(text: str, service: str) -> frozenset[str]:
    """The resource types of ``service`` (by the catalog, lower case) whose every resource the
    pattern ``text`` names: their ARN format with each field a ``*`` is within it.

    The partition is the policy's own, one AWS has or ``${AWS::Partition}``: a policy acts
    only in the partition it is deployed in.  The account must be every account (``*``), but
    for IAM the holder's own (``${AWS::AccountId}``) is as good, as for a Deny
    (:class:`_Named`): IAM actions act on no other account's resources, while another
    account may share its secrets, objects or roles with the holder, and a grant on the
    account's own leaves those.  The region must be every region: the stack's own
    (``${AWS::Region}``) leaves the others."""
    written = _of_every_partition(text, by_iam=service == "iam")
    arn = parse_arn(written) if written is not None else None
    if written is None or arn is None:
        return frozenset()
    by_service = _every_by_arn_service(service)
    # The service of a type's ARN is literal: a pattern naming another service literally
    # names none of its resources, and most types are not compared at all.
    if has_wildcard(arn.service):
        candidates = [item for items in by_service.values() for item in items]
    else:
        candidates = list(by_service.get(arn.service, ()))
    # A character the pattern writes literally must be in every ARN it covers: most patterns
    # (``arn:aws:s3:::my-bucket/*``) are told apart without a comparison.
    literal = frozenset(written) - _WILDCARDS
    return frozenset(
        name
        for name, every in candidates
        if literal <= _characters(every) and covers(written, every, case_sensitive=True)
    )


_WILDCARDS = frozenset("*?")


@functools.cache
def _characters(text: str) -> frozenset[str]:
    """The characters of a pattern of the catalog
    (:func:`~rolelint.iam_actions.resource_arn_wildcards`)."""
    return frozenset(text)


@functools.cache
def _every_by_arn_service(service: str) -> dict[str, tuple[tuple[str, str], ...]]:
    """The resource types of ``service`` with a pattern of all their ARNs
    (:func:`~rolelint.iam_actions.resource_arn_wildcards`), by the service their ARNs name
    (the types SSM acts on include S3 buckets and EC2 instances)."""
    from rolelint.iam_actions import resource_arn_wildcards

    grouped: dict[str, list[tuple[str, str]]] = {}
    for name, every in resource_arn_wildcards(service).items():
        arn = parse_arn(every)
        grouped.setdefault(arn.service if arn is not None else "", []).append((name, every))
    return {arn_service: tuple(types) for arn_service, types in grouped.items()}


@functools.lru_cache(maxsize=4096)
def _of_every_partition(text: str, *, by_iam: bool) -> str | None:
    """A resource pattern with its partition ``*``, to compare with the catalog's ARN formats
    (:func:`~rolelint.iam_actions.resource_arn_wildcards`), and, ``by_iam``, the holder's own
    account (``${AWS::AccountId}``) every account, as :func:`whole_types` reads them; None
    when it is no ARN of a partition the policy may be deployed in."""
    arn = parse_arn(_six_fields(text))
    if arn is None or not _deployable(arn.partition):
        return None
    account = "*" if by_iam and arn.account == THIS_ACCOUNT else arn.account
    return ":".join(("arn", "*", arn.service, arn.region, account, arn.resource))


def _deployable(partition: str) -> bool:
    """A partition field naming one a policy may be deployed in: one AWS has (or a pattern
    covering one), or the deployment's own (``${AWS::Partition}``)."""
    return partition == SYMBOLIC_PARTITION or any(
        covers(partition, known, case_sensitive=True) for known in PARTITIONS
    )


def _six_fields(text: str) -> str:
    """An ARN pattern that ends in a star before its sixth field (``arn:*``, ``arn:aws:iam:*``)
    written with all six: the star runs on over the fields it leaves out, and an ARN has
    six."""
    for _ in range(5):
        if parse_arn(text) is not None or not text.startswith("arn:") or not text.endswith("*"):
            break
        text += ":*"
    return text


def _every_type_named(action: Action, named: _Named) -> bool:
    """Whether the Deny's resources name every resource of every type the action acts on."""
    from rolelint.iam_actions import resource_arn_wildcards

    if not action.resource_types:
        return False  # allowed only on "*": a Deny on named resources never meets it
    patterns = named.for_action(action)
    every_of = resource_arn_wildcards(action.service)
    for resource_type in action.resource_types:
        every = every_of.get(resource_type.lower())
        if every is None or not any(covers(p, every, case_sensitive=True) for p in patterns):
            return False
    return True


def _spared_narrower(
    held: Sequence[tuple[str, Value]], why: str, instead: str
) -> Iterator[Narrower]:
    """The resources a Deny of all but a few leaves a grant on: each pattern it spares
    (``held``, each with the resource of the grant holding it), at that resource's line."""
    for text, target in dict.fromkeys(held):
        yield Narrower(Value(text, target.ref), why, instead)


def _held_by(spared: Sequence[str], resources: Sequence[Value]) -> list[tuple[str, Value]]:
    """Each spared pattern within one of ``resources`` (every resource), with the first that
    holds it: within ``"*"``, all of them; one of another partition than
    ``arn:aws:*:*:*:*`` is granted nowhere."""
    found = ((text, _holding(resources, text)) for text in dict.fromkeys(spared))
    return [(text, target) for text, target in found if target is not None]


def _holding(resources: Sequence[Value], text: str) -> Value | None:
    """The first of ``resources`` that names every resource ``text`` names."""
    return next(
        (r for r in resources if r.text is not None and covers(r.text, text, case_sensitive=True)),
        None,
    )


def _spared_resources(statement: Statement, resources: Sequence[Value]) -> list[str] | None:
    """What a Deny with NotResource leaves of a grant on every resource (``"*"``, or a pattern
    of every ARN such as ``arn:aws:*:*:*:*``, which the rules take for every resource too):
    the resources it spares, when all are known and none is every resource; None when it
    leaves the grant as broad as it was (or that cannot be known)."""
    if not resources or any(r.text is None or not is_any_resource(r.text) for r in resources):
        return None  # a grant on named resources: see _spared_within
    spared = [v.text for v in statement.not_resources]
    if not spared or any(text is None or text == "*" for text in spared):
        return None
    return [text for text in spared if text is not None]


@dataclass(frozen=True, slots=True)
class _Spared:
    """What a Deny with NotResource leaves of a grant on patterns (:func:`_spared_within`)."""

    # Where the grant stands: each pattern it spares within a resource of the grant, with that
    # resource, and each resource it spares whole, with itself.
    held: tuple[tuple[str, Value], ...]
    # The patterns it spares that hold a resource of the grant whole.
    sparing: tuple[str, ...]
    # Whether it takes something away: some resource is not spared whole.
    narrows: bool


def _spared_within(statement: Statement, resources: Sequence[Value]) -> _Spared | None:
    """What a Deny with NotResource leaves of a grant on patterns narrower than every
    resource, as :func:`_spared_resources` says it of ``"*"``.  A grant on
    ``arn:aws:s3:::*/*`` (every object, all s3:DeleteObject acts on) under "Deny s3:* on all
    but ``arn:aws:s3:::app-*/*``" deletes the app-* objects alone, as one on ``"*"`` does.

    None when that is not so told: it spares none of them (:func:`_not_resource_covers`), a
    value is not known, or what it leaves of a resource is no one pattern (a spared pattern
    meeting it without either holding the other, ``app-*`` and ``*/*``): the grant is then
    judged as broad as it was, erring towards a finding.  The partitions are compared as one:
    a policy is deployed in a single partition, and a grant on ``arn:${AWS::Partition}:s3:::*/*``
    is one on ``arn:aws:s3:::*/*`` there."""
    spared = [v.text for v in statement.not_resources]
    if not spared or any(text is None or text == "*" for text in spared):
        return None
    if not resources or any(r.text is None for r in resources):
        return None
    forms = [(text, _any_partition(text)) for text in spared if text is not None]
    held: list[tuple[str, Value]] = []
    sparing: list[str] = []
    narrows = False
    for target in resources:
        assert target.text is not None  # (every one is known: see above)
        own = _any_partition(target.text)
        whole = [text for text, form in forms if covers(form, own, case_sensitive=True)]
        if whole:
            held.append((target.text, target))
            sparing.extend(whole)
            continue
        narrows = True
        for text, form in forms:
            if covers(own, form, case_sensitive=True):
                held.append((text, target))
            elif _may_name(text, target.text):
                return None  # they meet on a part no one pattern spells
    if not held:
        return None
    return _Spared(tuple(held), tuple(dict.fromkeys(sparing)), narrows)


def _any_partition(text: str) -> str:
    """An ARN pattern with its partition ``*`` when it is one a policy may be deployed in
    (:func:`_deployable`), to compare two patterns of one deployment."""
    arn = parse_arn(text)
    if arn is None or not _deployable(arn.partition):
        return text
    return ":".join(("arn", "*", arn.service, arn.region, arn.account, arn.resource))


def _not_resource_covers(statement: Statement, resources: Sequence[Value]) -> bool:
    """Whether a Deny with NotResource covers every named resource in question: it denies
    every resource it does not list, so a Deny of sts:AssumeRole on all but ``role/deploy-only``
    takes away the hop to any other role.  Each resource must be known and none of the listed
    patterns may name it, symbolic fields (``${AWS::AccountId}``) counting as any value: a
    pattern that might be the resource spares it."""
    if not resources or any(r.text is None or is_any_resource(r.text) for r in resources):
        return False  # unknown, or every resource (see _spared_resources)
    spared = [v.text for v in statement.not_resources]
    if not spared or any(text is None for text in spared):
        return False
    return not any(
        _may_name(pattern, target.text)
        for pattern in spared
        if pattern is not None
        for target in resources
        if target.text is not None
    )


def _may_name(pattern: str, resource: str) -> bool:
    """Whether ``pattern`` may name some resource ``resource`` names, ignoring case and taking
    a symbolic field (a ``${...}``), or a role's name or path rolelint cannot know, for any
    value it may take (rolelint.checks.stand_ins): in doubt, yes."""
    return may_name(
        placeholders.replaced(pattern, "*"),
        placeholders.replaced(resource, "*"),
        case_sensitive=False,
    )


def services_named_whole(spared: Sequence[str]) -> list[str]:
    """The actions (``s3:*``; ``*`` for all) of the services all of whose resources of some
    type one of the ``spared`` patterns names: ``arn:aws:iam::111122223333:role/*`` (every
    role), ``arn:aws:s3:::*``, ``arn:aws:*:*:111122223333:*``, ``arn:*``.  Such a Deny narrows
    nothing of those services: "deny all but my account's resources" leaves a grant of ``*``
    administering the account.  The partition, region and account are left out of the
    comparison, since the grant is in one account anyway.  A whole resource type stands for
    the whole service, which errs towards reporting: a grant of ``iam:*`` that such a Deny
    leaves on every role but no user still counts as every resource of IAM.
    """
    services: list[str] = []
    for text in spared:
        parts = text.split(":", 5)
        if parts[0] not in ("arn", "*"):
            continue
        if len(parts) < 6:  # "arn:*" and "arn:aws:*" run on over the segments they leave out
            if text.endswith("*"):
                services.append("*" if len(parts) < 3 or "*" in parts[2] else f"{parts[2]}:*")
            continue
        service, resource = parts[2], parts[5]
        if resource == "*":
            services.append("*" if "*" in service or not service else f"{service}:*")
        elif "*" not in service and _names_a_whole_type(parts, service):
            services.append(f"{service}:*")
    return ["*"] if "*" in services else list(dict.fromkeys(services))


def _names_a_whole_type(parts: list[str], service: str) -> bool:
    """Whether the ARN pattern split into ``parts`` names every resource of one of the
    service's resource types, in any partition, region and account."""
    from rolelint.iam_actions import resource_arn_wildcards

    pattern = ":".join(["arn", "*", service, "*", "*", parts[5]])
    for wildcard in resource_arn_wildcards(service).values():
        every = wildcard.split(":", 5)
        if len(every) == 6:
            every[1] = every[3] = every[4] = "*"
            if covers(pattern, ":".join(every), case_sensitive=True):
                return True
    return False


def _covers_resources(statement: Statement, resources: Sequence[Value]) -> bool:
    """Every resource in question is covered by the statement's resources.  Unresolved ones on
    either side prove nothing, except that a Deny of every resource (``"*"``) covers a resource
    not known as surely as any other.  A role whose name or path is not known is covered only
    by a pattern naming it whatever that turns out to be (rolelint.checks.stand_ins), never
    through the text standing for it (``role/*prod*`` of a template in a prod folder)."""
    if not resources:
        return False
    every = any(v.text is not None and is_any_resource(v.text) for v in statement.resources)
    return all(
        (every and target.text is None)
        or any(
            value.text is not None
            and target.text is not None
            and surely_names(value.text, target.text)
            for value in statement.resources
        )
        for target in resources
    )


# --- permissions boundary -------------------------------------------------------------------------


def _within_boundary(
    pieces: list[Piece],
    boundary: PolicyDocument,
    resources: Sequence[Value],
    narrower: list[Narrower] | None = None,
) -> tuple[list[Piece] | None, tuple[Statement, ...]]:
    """The pieces a boundary lets through on ``resources``; None when it may let anything
    through (an unresolved action in an applicable statement).  What a statement on fewer
    resources lets through it lets through on those: they go to ``narrower``.

    With them, the boundary's gate: its Allows with a condition through which alone they pass
    (IAM allows a request only where one of their conditions holds).  Empty when an Allow
    without a condition lets some of them through, or may (an action not known): then the
    boundary allows them whatever the conditions say.  Judged in the same pass, from what each
    Allow lets through of ``pieces`` less what the boundary's Denies remove: the pieces the
    boundary keeps are what its Allows let through less those Denies, so an Allow lets
    something of them through when it lets through something of ``pieces`` no Deny removes."""
    kept: list[Piece] = []
    unconditional: list[Piece] = []  # what the Allows without a condition let through
    gate: list[Statement] = []
    elsewhere: list[tuple[Statement, list[Piece]]] = []
    for statement in (s for s in boundary.statements if s.is_allow):
        through = _lets_through(statement, pieces)
        if through is not None and statement.has_not_resource:
            through = _outside_not_resource(through, statement, resources)
        if not _boundary_reaches(statement, resources):
            if through:  # an unresolved action on fewer resources: not judged, silence
                elsewhere.append((statement, through))
            continue
        if through is None:
            return None, ()
        kept.extend(through)
        if not statement.conditions:
            unconditional.extend(through)
        elif _boundary_denies(through, boundary, resources):
            gate.append(statement)
    result = _boundary_denies(_dedupe(kept), boundary, resources)
    if narrower is not None:
        for statement, through in elsewhere:
            if all(any(_contains(p, t) for p in result) for t in through):
                continue  # let through on every resource in question anyway
            narrower.extend(_overlap(statement, resources, boundary))
    if not result or (gate and _boundary_denies(_dedupe(unconditional), boundary, resources)):
        return result, ()
    return result, tuple(gate)


def _boundary_denies(
    pieces: list[Piece], boundary: PolicyDocument, resources: Sequence[Value]
) -> list[Piece]:
    """``pieces`` without what the boundary's Denies (those always in it) remove on
    ``resources``."""
    for deny in (s for s in boundary.statements if s.is_deny and s.always_beside(None)):
        pieces = _apply_deny(pieces, deny, boundary, resources, [], [])
    return pieces


def _outside_not_resource(
    through: list[Piece], statement: Statement, resources: Sequence[Value]
) -> list[Piece]:
    """What a boundary statement with NotResource lets through on every resource: it allows
    nothing on the resources it lists, so what it lets through is judged as a grant under a
    Deny of them is, by the same rules.  A piece naming its service loses the actions whose
    every resource the list names, by the catalog's resource types (_deny_of_whole_types:
    ``role/*`` takes iam:PassRole and sts:AssumeRole, not iam:CreateAccessKey); one over
    every service (``*``) loses the services a whole type of whose resources it names
    (services_named_whole: ``role/*`` takes every IAM action out of ``*``, erring towards
    silence).  A grant on resource patterns (``arn:aws:ssm:*:*:parameter/*``, which may be
    every resource its actions act on) is judged so too, and gets nothing through where the
    list covers its every resource.  Judged only for a grant on every resource or on patterns
    and a list all known; otherwise it lets ``through`` through, as before (an unresolved
    value in a boundary caps nothing)."""
    if any(v.text is not None and v.text == "*" for v in statement.not_resources):
        return []  # NotResource "*" allows nothing anywhere
    as_deny = Statement(statement.ref, None, resources=statement.not_resources)
    spared = _spared_resources(statement, resources)
    if spared is None:
        spared = _listed_beside_patterns(statement, resources)
        if spared is None:
            return through
        if _covers_resources(as_deny, resources):
            return []  # it allows nothing on any resource of the grant
    whole = services_named_whole(spared)
    if "*" in whole:
        return []  # every resource listed (arn:*)
    named = [p for p in through if _service_of(p.pattern) is not None]
    unnamed = _without((p for p in through if _service_of(p.pattern) is None), whole)
    if named:
        by_type = _deny_of_whole_types(named, [p.pattern for p in named], as_deny, resources)
        if by_type is not None:
            named = by_type[0]
    return _dedupe([*unnamed, *named])


def _listed_beside_patterns(statement: Statement, resources: Sequence[Value]) -> list[str] | None:
    """The resources a statement with NotResource lists, all known, beside a grant on resource
    patterns (each with a ``*``); None otherwise."""
    listed = [v.text for v in statement.not_resources]
    if not listed or not resources or any(r.text is None or "*" not in r.text for r in resources):
        return None
    return None if any(text is None for text in listed) else [t for t in listed if t is not None]


def _lets_through(statement: Statement, pieces: list[Piece]) -> list[Piece] | None:
    """What of ``pieces`` an Allow statement of a boundary lets through, wherever it applies;
    None when that is not known (an unresolved action)."""
    if statement.has_not_action:
        if any(v.text is None for v in statement.not_actions):
            return None
        outside = tuple(v.text for v in statement.not_actions if v.text is not None)
        return [p for piece in pieces for p in _minus(piece, outside)]
    through: list[Piece] = []
    for value in statement.actions:
        if value.text is None:
            return None
        if names_actions(value.text):  # "*Role" allows nothing (RL605)
            through.extend(meet for piece in pieces for meet in _meet(piece, value.text))
    return through


def _overlap(
    statement: Statement, resources: Sequence[Value], boundary: PolicyDocument
) -> Iterator[Narrower]:
    """Where a boundary statement on fewer resources than those in question meets them: each
    of its resources within one of them (the boundary's ``role/*`` within the grant's
    ``"*"``), at that one's line.  Two patterns neither of which holds the other (``role/a*``
    and ``role/*-prod``) meet on something this does not spell: not judged, silence."""
    for value in statement.resources:
        target = _holding(resources, value.text) if value.text is not None else None
        if target is not None and value.text is not None:
            yield Narrower(
                Value(value.text, target.ref),
                f"{boundary.origin} allows it only on '{stand_ins_in_words(value.text)}'",
                _allows_it(boundary),
            )


def _boundary_reaches(statement: Statement, resources: Sequence[Value]) -> bool:
    """A boundary statement applies to every resource in question (doubt counts as yes: a
    role whose name or path is not known counts as reached by a pattern that may name it)."""
    if statement.has_not_resource or not resources:
        return True
    return all(
        target.text is None
        or any(
            value.text is None
            or (
                may_name(value.text, target.text)
                if holds_unknown(target.text, value.text)
                else covers(value.text, target.text, case_sensitive=True)
            )
            for value in statement.resources
        )
        for target in resources
    )


def _minus(piece: Piece, outside: tuple[str, ...]) -> list[Piece]:
    """``piece`` without the patterns a NotAction boundary statement leaves out."""
    if any(covers(o, piece.pattern, case_sensitive=False) for o in outside):
        return []
    extra = tuple(o for o in outside if overlaps(o, piece.pattern, case_sensitive=False))
    return [Piece(piece.pattern, piece.excluded + extra) if extra else piece]


def _meet(piece: Piece, allowed: str) -> list[Piece]:
    """The part of ``piece`` that a boundary's allowed pattern lets through."""
    if covers(allowed, piece.pattern, case_sensitive=False):
        return [piece]
    if covers(piece.pattern, allowed, case_sensitive=False):
        if any(covers(e, allowed, case_sensitive=False) for e in piece.excluded):
            return []
        kept = tuple(e for e in piece.excluded if overlaps(e, allowed, case_sensitive=False))
        return [Piece(allowed, kept)]
    if not overlaps(piece.pattern, allowed, case_sensitive=False):
        return []
    # Neither contains the other (iam:*Policy under iam:Put*): the catalog's actions in both.
    from rolelint.iam_actions import expand

    return [
        Piece(action.full_name)
        for action in expand(piece.pattern)
        if covers(allowed, action.full_name, case_sensitive=False)
        and piece.grants(action.full_name)
    ]


def _dedupe(pieces: Iterable[Piece]) -> list[Piece]:
    """The pieces, without those another piece (with nothing excluded) already grants.

    A literal action holds only itself, so a piece is compared with the patterns kept and the
    literals of its own name, not with every piece: what a Deny of every ARN leaves of ``*``
    is thousands of literal actions (those allowed only on ``"*"``), and comparing each with
    each took minutes."""
    kept: list[Piece | None] = []  # in order; None where a later piece took one's place
    patterns: list[int] = []  # where the pieces with a wildcard are: they may hold any other
    literals: dict[str, list[int]] = {}  # where the literal ones are, by lower-case name
    for piece in pieces:
        name = None if has_wildcard(piece.pattern) else piece.pattern.lower()
        same = literals.get(name, []) if name is not None else []
        holders = (kept[i] for i in (*patterns, *same))
        if any(other is not None and _contains(other, piece) for other in holders):
            continue
        if not piece.excluded:  # one with exclusions holds only its equal, skipped above
            for i in range(len(kept)) if name is None else same:
                other = kept[i]
                if other is not None and _contains(piece, other):
                    kept[i] = None
        (patterns if name is None else literals.setdefault(name, [])).append(len(kept))
        kept.append(piece)
    return [piece for piece in kept if piece is not None]


def _contains(general: Piece, specific: Piece) -> bool:
    if general == specific:
        return True
    return not general.excluded and covers(general.pattern, specific.pattern, case_sensitive=False)


def grants_all_of_iam(effect: Effect) -> bool:
    """Every IAM action survives: the holder can make itself anything (admin-equivalent)."""
    return effect.grants("iam:*")


def grants_everything(effect: Effect) -> bool:
    return any(is_all_actions(piece.pattern) and not piece.excluded for piece in effect.pieces)


# --- Allow with NotResource -------------------------------------------------------------------


def every_resource_but(statement: Statement) -> Value | None:
    """An Allow with NotResource grants its actions on every resource but the listed ones: a
    ``"*"`` that stands for them, at the NotResource, so the rules about grants on every
    resource judge it too.  None when the statement has no NotResource, or lists a resource
    that is not known or is every resource (then it may grant nothing)."""
    if not statement.has_not_resource or not statement.not_resources:
        return None
    if any(v.text is None or is_any_resource(v.text) for v in statement.not_resources):
        return None
    return Value("*", statement.not_resource_ref or statement.ref)


def excludes_every_resource(statement: Statement) -> bool:
    """Whether the statement's NotResource lists every resource (``"*"``, or every ARN): an
    Allow of its actions on every resource but all of them grants them on none, as NotAction
    ``"*"`` grants no action (:attr:`Piece.empty`)."""
    return statement.has_not_resource and any(
        v.text is not None and is_any_resource(v.text) for v in statement.not_resources
    )


def excludes_all_of(statement: Statement, service: str) -> bool:
    """Whether the statement's NotResource names every resource of a type of ``service``, or
    every resource: granting "every IAM action but on roles" is then not judged as granting
    every IAM action."""
    whole = services_named_whole([v.text for v in statement.not_resources if v.text])
    return "*" in whole or f"{service}:*" in whole


def resources_named(statement: Statement, resource: Value) -> str:
    """How a message names the resources of a grant: ``'*'``, or for NotResource, every
    resource but the listed ones; a role's ARN with its stand-ins in words, as the rules, the
    graph's hops and the inventory's reasons all quote it here (``role/<generated:FILE#ID>``
    is no name a user can find)."""
    if statement.has_not_resource and not statement.resources:
        listed = some_of([f"'{v.said()}'" for v in statement.not_resources])
        return f"every resource except {listed} (NotResource)"
    return f"'{resource.said()}'"


def _quoted(texts: Sequence[str]) -> str:
    """Up to three of ``texts`` (resources, a condition's values), each quoted with its
    stand-ins in words (rolelint.model.stand_ins_in_words): a role or policy named by
    reference whose name or path is not known has a stand-in in its ARN, a file and a
    logical id or address no user finds in IAM."""
    return some_of([f"'{stand_ins_in_words(text)}'" for text in texts], 3)
