"""Grants broader than what they act on: RL203 (write actions on every resource),
RL208 (sensitive reads on every resource), RL204 (Allow with NotAction) and RL205 (Allow with
NotResource).

An Allow with NotAction is RL204's while Denies and boundaries leave it something broad; once
they leave it a few actions, RL203 and RL208 judge those as Action values
(:func:`not_action_left`), and RL202 (rolelint.checks.admin_access) too.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from rolelint.checks.admin_access import grants_more_than_few, is_admin, judged_on, wide_piece
from rolelint.checks.assume_any_role import ASSUME_ROLE, assuming_any_role
from rolelint.checks.base import Hit, check, some_of
from rolelint.checks.effective import (
    Effect,
    Piece,
    names_every_resource_of,
    names_types,
    whole_types,
)
from rolelint.checks.escalation_grants import escalation_methods
from rolelint.checks.grant_conditions import limited, tests_request_key
from rolelint.checks.grants import (
    Entry,
    Grant,
    Place,
    any_resources,
    each_grant,
    every_resource,
    names_all_of,
    notes,
)
from rolelint.checks.iam_match import (
    action_grants,
    has_wildcard,
    is_all_actions,
    is_service_wide,
    names_actions,
    statement_grants,
)
from rolelint.model import Inventory, Statement, Value

if TYPE_CHECKING:
    from rolelint.iam_actions import Action


# Telemetry and agent self-reporting writes that workloads are routinely granted on "*": AWS's own
# basic execution and instance-core policies grant them so, some support no resource scoping at
# all, and none of them reads or changes anything but the caller's own reports.  Only these exact
# actions, never wildcards.
TELEMETRY_ACTIONS = frozenset(
    {
        "logs:createloggroup",
        "logs:createlogstream",
        "logs:putlogevents",
        "cloudwatch:putmetricdata",
        "xray:puttracesegments",
        "xray:puttelemetryrecords",
        # The Systems Manager agent reporting on its own instance (AmazonSSMManagedInstanceCore).
        "ssm:updateinstanceinformation",
        "ssm:putinventory",
        "ssm:putcomplianceitems",
        "ssm:putconfigurepackageresult",
        "ssm:updateassociationstatus",
        "ssm:updateinstanceassociationstatus",
    }
)


# --- RL203 ----------------------------------------------------------------------------------------


def _written(piece: Piece) -> Iterator[Action]:
    """The Write, Permissions management and Tagging actions an action piece grants that could
    be scoped to resources (actions AWS supports only on "*" cannot be blamed).

    Judged by the AWS action catalog; a pattern the catalog does not know grants nothing to
    judge here (RL605 reports it).
    """
    from rolelint.iam_actions import expand

    return (
        action
        for action in expand(piece.pattern)
        if action.modifies
        and action.supports_resources
        and action.full_name.lower() not in TELEMETRY_ACTIONS
        and action.full_name not in SENSITIVE_READS  # kms:Decrypt is a "Write": RL208's
        and (not piece.excluded or piece.grants(action.full_name))
    )


def may_write(piece: Piece, statement: Statement | None = None) -> bool:
    """Whether a piece grants a write RL203 would report on every resource (see _written),
    one the conditions of ``statement``, when given, leave there as RL203 judges them
    (:func:`_writes_left`: a test of what is acted on leaves none, one of an S3 request key
    those whose requests carry it): the audit's "write on *" asks the same of every resource
    but a few, with the statement that grants it."""
    left = None if statement is None else _writes_left(statement, piece.pattern)
    if left is None:
        return next(_written(piece), None) is not None
    return any(piece.grants(name) for name in left)


def _writes(effect: Effect) -> bool:
    return any(may_write(piece) for piece in effect.pieces)


def _writes_left(statement: Statement, pattern: str) -> frozenset[str] | None:
    """The writes ``pattern`` grants (:func:`_written`) that the statement's conditions leave
    on every resource (:func:`limited`): None for every one, empty for none.  A test of an S3
    request key (:data:`_REQUEST_KEYS`) is judged for each write: ``s3:Put*`` under
    ``s3:x-amz-server-side-encryption`` still writes objects everywhere (s3:PutObject carries
    the key), and only the writes whose requests lack it are granted nowhere."""
    if not tests_request_key(statement):
        return frozenset() if limited(statement) else None
    return frozenset(
        action.full_name
        for action in _written(Piece(pattern))
        if not limited(statement, (action.full_name,))
    )


def _open_left(effect: Effect, pattern: str, left: frozenset[str] | None) -> frozenset[str] | None:
    """Of the writes ``left`` (None: all), those a Deny's or the boundary's condition
    (:meth:`Effect.through_gates`) leaves as the statement's own would (:func:`_writes_left`).
    RL203 judges its gates here, not by :meth:`Grant.standing`'s yes-or-no tests: which
    writes get through is asked again for the message (:func:`_write_examples`)."""
    return effect.through_gates(functools.partial(_writes_left, pattern=pattern), left)


def _open_writes(effect: Effect, pattern: str, left: frozenset[str] | None = None) -> bool:
    """RL203's test of what stands of ``pattern``: writes among ``left`` (None: any), not
    under a Deny's or the boundary's condition that limits them as the statement's own would
    (:func:`_open_left`)."""
    open_ = _open_left(effect, pattern, left)
    if open_ is None:
        return _writes(effect)
    return any(effect.grants(name) for name in open_)


# How many of the write actions a pattern grants RL203 names.
_WRITE_EXAMPLES = 3


def _write_examples(
    pattern: str,
    judged: Sequence[tuple[Effect, frozenset[str] | None]],
    *,
    shared: bool = False,
) -> str:
    """Which write actions a pattern grants, for the message: some patterns read as harmless
    ('*:Get*' grants sts:GetFederationToken and redshift:GetClusterCredentials, which the
    catalog classes as Write).  Permissions management first: those are the worst.  Nothing
    for a literal action, nor for ``s3:*``, which plainly holds the service's writes, unless
    only some of them are judged (``judged``: each effect reported with the writes judged of
    it, None for all; an S3 request key leaves some, and on ``arn:aws:s3:::*/*`` only the
    object writes are on every resource) or some are left to RL206 or RL207 (``shared``:
    ``'*'`` limited to ``s3:*`` and ``lambda:*`` is reported here for the S3 writes alone,
    which the message names)."""
    from rolelint.iam_actions import PERMISSIONS_MANAGEMENT

    lefts = [(effect, _open_left(effect, pattern, left)) for effect, left in judged]
    wide = is_service_wide(pattern) or is_all_actions(pattern)
    if not has_wildcard(pattern) or (wide and all(o is None for _, o in lefts) and not shared):
        return ""
    actions = {
        action.full_name: action
        for effect, left in lefts
        for piece in effect.pieces
        for action in _written(piece)
        if left is None or action.full_name in left
    }
    ranked = sorted(
        actions.values(),
        key=lambda action: (PERMISSIONS_MANAGEMENT not in action.access_levels, action.full_name),
    )
    names = [action.full_name for action in ranked]
    if len(names) <= _WRITE_EXAMPLES:
        return f" ({len(names)} write action{'' if len(names) == 1 else 's'}: {', '.join(names)})"
    return f" ({len(names)} write actions, among them {', '.join(names[:_WRITE_EXAMPLES])})"


def _besides(effect: Effect, actions: tuple[str, ...]) -> Effect:
    """``effect`` without the pieces that grant one of ``actions``, the escalations RL206
    reports and the sts:AssumeRole RL207 reports of the same Action value: those pieces are
    theirs, the rest RL203's.  ``*`` under a boundary allowing ``s3:*`` and ``lambda:*``
    leaves ``lambda:*`` (lambda:UpdateFunctionCode) to RL206, and the writes of ``s3:*`` on
    every bucket to RL203."""
    if not actions:
        return effect
    kept = tuple(p for p in effect.pieces if not any(p.grants(a) for a in actions))
    return replace(effect, pieces=kept)


@dataclass(frozen=True, slots=True)
class _Standing:
    """What of an action pattern RL203 reports stands where (:func:`_writes_standing`)."""

    place: Place  # where: None on the resources judged, else the narrower one
    effect: Effect  # what stands there
    kept: Effect  # of it, what RL206 and RL207 do not report (:func:`_besides`)
    writes: frozenset[str] | None  # the writes judged there (None: all)


def _writes_standing(
    grant: Grant,
    pattern: str,
    resources: list[Value],
    named: frozenset[str] | None,
    excluded: tuple[str, ...],
    reported: tuple[str, ...],
) -> _Standing | None:
    """The first effect of ``pattern`` (less ``excluded``) on ``resources``, or on a narrower
    resource a Deny or the boundary leaves it on (:meth:`Grant.left`), where writes stand once
    ``reported`` (what RL206 and RL207 report of it: :func:`_besides`) are taken out: on
    ``resources``, the writes ``named`` (None: all); on a narrower one, those of them whose
    every resource it names (:func:`_writes_there`).  The gates of the Denies and the
    boundary are judged here too (:func:`_open_writes`: which writes get through), not by
    :meth:`Grant.standing`'s yes-or-no tests."""
    for place, effect in grant.left(pattern, resources, excluded=excluded):
        writes = named if place is None else _writes_there(pattern, named, excluded, place)
        if writes is not None and not writes:
            continue  # it names every resource of none of them
        kept = _besides(effect, reported)
        if _open_writes(kept, pattern, writes):
            return _Standing(place, effect, kept, writes)
    return None


@dataclass(frozen=True, slots=True)
class _Judged:
    """One action pattern RL203 judges as an Action value: one of the statement's, or a piece
    of what Denies and permissions boundaries leave of its NotAction (less the patterns it
    excludes: ``s3:Get*`` under a boundary, beside NotAction ``s3:GetObject``)."""

    piece: Piece
    # What RL206 and RL207 judge it as, for what RL203 leaves to them: the Action value, or
    # the NotAction as a whole (None for a NotAction listing nothing, which they do not judge).
    entry: Entry | None

    @property
    def excluded(self) -> tuple[str, ...]:
        return self.piece.excluded

    def assumes(self) -> bool:
        """Whether it grants sts:AssumeRole, which RL207 may report: an Action value as
        written, a piece of a NotAction as what is left."""
        if self.entry is not None and self.entry.statement is None:
            return self.entry.grants(ASSUME_ROLE)
        return self.piece.grants(ASSUME_ROLE)

    @property
    def quoted(self) -> str:
        """How a message names it: ``'s3:Put*'``, or ``'s3:Get*' except s3:GetObject``."""
        return self.piece.describe()


def _judged(statement: Statement, left: _NotActionLeft | None) -> Iterator[_Judged]:
    """What RL203 judges of ``statement`` as Action values: its own, or, of a NotAction, the
    pieces Denies and boundaries leave of it (``left``)."""
    if left is None:
        for action in statement.actions:
            if action.text is not None:
                yield _Judged(Piece(action.text), Entry(action))
        return
    entry = Entry(statement.not_actions[0], statement) if statement.not_actions else None
    for piece in left.pieces:
        yield _Judged(piece, entry)


@dataclass(slots=True)
class _ReportedElsewhere:
    """What RL206 and RL207 report of the Action value or NotAction an item of RL203 is
    judged as (:class:`_Judged`): RL203 leaves those actions to them.  A NotAction's is worked
    out once for all the pieces judged of it."""

    grant: Grant
    assumes_any_role: Callable[[], bool]
    not_action: list[str] | None = None

    def of(self, item: _Judged) -> list[str]:
        entry = item.entry
        if entry is None:
            reported: list[str] = []
        elif entry.statement is not None and self.not_action is not None:
            reported = list(self.not_action)
        else:
            reported = escalation_methods(self.grant, entry)
            if entry.statement is not None:
                self.not_action = list(reported)
        if item.assumes() and self.assumes_any_role():
            reported.append(ASSUME_ROLE)
        return reported


@dataclass(frozen=True, slots=True)
class _NotActionLeft:
    """What Denies and permissions boundaries leave of an Allow with NotAction that RL204
    does not report (nothing broad is left of it: :func:`_not_action_standing`): its
    effects on its resources and on the narrower ones they leave it on
    (:meth:`Grant.left`), each with where it is.  RL202, RL203 and RL208 judge each piece as
    an Action value, so that "Allow NotAction iam:*" under a boundary allowing s3:DeleteObject
    is reported as "Allow s3:DeleteObject" is, and under one allowing ``kms:Create*`` as
    "Allow kms:Create*" is; where RL204 reports the NotAction, they leave it to RL204."""

    excluded: str  # the NotAction's values, as a message quotes them
    places: tuple[tuple[Place, Effect], ...]

    @property
    def pieces(self) -> tuple[Piece, ...]:
        return tuple(dict.fromkeys(p for _, effect in self.places for p in effect.pieces))

    def grants(self, action: str) -> bool:
        return any(effect.grants(action) for _, effect in self.places)

    def there(self, place: Place, effect: Effect, holds: Callable[[Effect], bool]) -> Effect:
        """What a finding's note explains of a piece judged of it that stands at ``place``
        with ``effect`` (:meth:`Grant.standing_at`, :func:`_writes_standing`): the
        NotAction's own effect there, which says what limited it to what the finding reports
        ("limits it to 's3:Delete*' except s3:DeleteBucket"), as the note of the same grant
        written as an Action value says what limited that.  Not its effects elsewhere: on a
        narrower resource a boundary allows other actions on, what it says there is not what
        is reported.  Where the NotAction's effects hold none of it (``holds``), the piece's
        own."""
        for where, mine in self.places:
            if _same_place(where, place, mine, effect) and holds(mine):
                return mine
        return effect

    def of_piece(self, place: Place, effect: Effect, piece: Piece) -> Effect:
        """:meth:`there` of ``piece``, one judged of it: the NotAction's effect that holds it."""
        return self.there(place, effect, lambda mine: piece in mine.pieces)

    def said(self, what: str) -> str:
        """A finding's words for ``what`` RL202, RL203 or RL208 reports of it: the finding is
        at the resource, as those of RL203 and RL208 on an Action value are, and says whose
        remainder it is."""
        return (
            f"every action except {self.excluded} (Allow with NotAction); what Denies and "
            f"permissions boundaries leave of it includes {what}"
        )


def _same_place(where: Place, place: Place, mine: Effect, effect: Effect) -> bool:
    """Whether an effect of a NotAction (``mine`` at ``where``) and one of a piece of it
    (``effect`` at ``place``) are on the same resources: both on those in question, or both
    on the same narrower resource, narrowed to it by the same Deny or boundary (the first of
    their limits says which: :func:`rolelint.checks.effective.effects_on`)."""
    if where is None or place is None:
        return where is None and place is None
    return where.text == place.text and mine.limits[:1] == effect.limits[:1]


def not_action_left(grant: Grant) -> _NotActionLeft | None:
    """What RL202, RL203 and RL208 judge of a grant with NotAction (:class:`_NotActionLeft`): None
    when RL204 reports it (one grant, one finding: the NotAction still grants something
    broad), and when nothing is left of it.  On the resources RL204 judges
    (:func:`judged_on`), its unresolved values excluding nothing, as for RL204."""
    if _not_action_standing(grant) is not None:
        return None
    pattern, excluded = _not_action_piece(grant.statement)
    if Piece(pattern, excluded).empty:
        return None  # every action but all of them: nothing
    places = grant.left(pattern, judged_on(grant.statement), excluded=excluded)
    if not places:
        return None
    listed = some_of([f"'{v.display()}'" for v in grant.statement.not_actions]) or "nothing"
    return _NotActionLeft(listed, tuple(places))


def not_action_key(statement: Statement) -> str:
    """What tells a finding of RL202, RL203 or RL208 on a NotAction's remainder from one on the same
    actions written as Action values in the same policy (as :attr:`Entry.key` does)."""
    return "NotAction:" + ",".join(sorted(v.display().lower() for v in statement.not_actions))


@check("RL203")
def write_access_on_all_resources(inventory: Inventory) -> Iterator[Hit]:
    return each_grant(inventory, write_access_on_all_resources_hits)


def write_access_on_all_resources_hits(grant: Grant) -> Iterator[Hit]:
    wide = any_resources(grant.statement)
    if (
        not (wide or any(_may_name_all(r) for r in grant.statement.resources))
        or grant.document.service_role_policy
        or is_admin(grant)
    ):
        return  # (AWS's policy for a service's role: what the service needs; none narrower)
    left = not_action_left(grant) if grant.statement.has_not_action else None
    if grant.statement.has_not_action and left is None:
        return  # RL204 reports it
    # Asked only of a statement granting sts:AssumeRole: a limited one is judged no further.
    reported_elsewhere = functools.cache(lambda: bool(assuming_any_role(grant)[1]))
    targets = _WriteTargets(grant.statement, wide)
    writes: list[_Judged] = []
    explained: list[Effect] = []  # what the note explains: each effect reported
    examples: list[str] = []
    on: list[Value] = []
    theirs = _ReportedElsewhere(grant, reported_elsewhere)
    for item in _judged(grant.statement, left):
        pattern = item.piece.pattern
        if not targets.may_hold(pattern):
            continue
        # Judged for the writes it grants: an S3 request key limits none whose requests carry it.
        named_left = _writes_left(grant.statement, pattern)
        if named_left == frozenset():
            continue
        reported = theirs.of(item)
        # The writes that stand on each resource judged, with what is left of them there.
        judged: list[tuple[Effect, frozenset[str] | None]] = []
        shared = False
        for resources, named in targets.of(pattern, named_left):
            found = _writes_standing(
                grant, pattern, resources, named, item.piece.excluded, tuple(reported)
            )
            if found is not None:
                kept = found.kept
                judged.append((kept, found.writes))
                shared = shared or len(kept.pieces) < len(found.effect.pieces)
                on.append(resources[0])
                explained.append(
                    kept if left is None else left.of_piece(found.place, kept, item.piece)
                )
        if judged:
            writes.append(item)
            examples.append(_write_examples(pattern, judged, shared=shared))
    if not writes:
        return
    listed = some_of([f"{w.quoted}{e}" for w, e in zip(writes, examples, strict=True)])
    # One action written out is one write action; a pattern, or several, are write actions.
    one = len(writes) == 1 and not has_wildcard(writes[0].piece.pattern) and not writes[0].excluded
    at, where = _every_resource_words(grant.statement, wide, on, "it acts" if one else "they act")
    what = f"write action{'' if one else 's'} {listed} {where}"
    keys = sorted(w.piece.pattern.lower() for w in writes)
    if left is None:
        message = f"{grant.subject} allows {what}{notes(explained)}"
        key = grant.key("write", *keys)
    else:
        message = f"{grant.subject} allows {left.said(what)}{notes(explained)}"
        key = grant.key("write", not_action_key(grant.statement), *keys)
    yield Hit(
        "RL203",
        message,
        at.ref,
        grant.document.resource,
        key,
        role=grant.role,
        roles=grant.each_role,
        holders=grant.each_holder,
    )


def _may_name_all(resource: Value) -> bool:
    """Whether ``resource`` may name every resource of a type: only a pattern with a ``*``
    does (every field of every ARN format may be any length)."""
    return resource.text is not None and "*" in resource.text


class _WriteTargets:
    """Where RL203 judges the writes of each Action value of ``statement``: every resource
    (``wide``), or else each resource of the statement that names every resource of some of
    them (:func:`_writes_named_all`), with those.  ``s3:*`` on ``arn:aws:s3:::*/*`` writes
    every object, not every bucket.

    Worked out once per pattern: a statement lists the same action many times (every
    ``Fn::If`` of ``[!If [C0, s3:GetObject, s3:PutObject], !If [C1, ...], ...]``), and its
    resources that may name every resource are found once, not once per action."""

    def __init__(self, statement: Statement, wide: list[Value]) -> None:
        self.wide = wide
        self.candidates = [] if wide else [r for r in statement.resources if _may_name_all(r)]
        self.named: dict[str, list[tuple[Value, frozenset[str]]]] = {}

    def of(
        self, pattern: str, left: frozenset[str] | None
    ) -> Iterator[tuple[list[Value], frozenset[str] | None]]:
        """The targets of ``pattern``, with the writes judged on each (those of ``left``;
        None: all)."""
        if self.wide:
            yield self.wide, left
            return
        for resource, named in self._named(pattern):
            kept = named if left is None else named & left
            if kept:
                yield [resource], kept

    def may_hold(self, pattern: str) -> bool:
        """Whether :meth:`of` may yield a target for ``pattern``: not when no resource names
        every resource of one of its writes."""
        return bool(self.wide) or bool(self._named(pattern))

    def _named(self, pattern: str) -> list[tuple[Value, frozenset[str]]]:
        """Each candidate resource with the writes of ``pattern`` whose every resource it
        names, those naming none left out."""
        known = self.named.get(pattern)
        if known is None:
            # A pattern of no write RL203 judges (s3:GetObject) has none on any resource; the
            # others ask _named_all (_writes_named_all) of each resource, without a call more.
            candidates = self.candidates if _written_by_service(pattern) else []
            known = self.named[pattern] = [
                (r, named)
                for r in candidates
                if r.text is not None and (named := _named_all(pattern, r.text))
            ]
        return known


def _writes_named_all(pattern: str, resource: Value) -> frozenset[str]:
    """The writes of ``pattern`` RL203 judges (:func:`_written`) whose every resource
    ``resource``, a pattern narrower than every resource, names
    (rolelint.checks.effective.names_every_resource_of)."""
    return frozenset() if resource.text is None else _named_all(pattern, resource.text)


def _every_write(pattern: str) -> frozenset[str]:
    """The writes of ``pattern`` RL203 judges (:func:`_written`), by name."""
    return frozenset(
        name for actions in _written_by_service(pattern).values() for name, _ in actions
    )


@functools.lru_cache(maxsize=1024)
def _named_all(pattern: str, text: str) -> frozenset[str]:
    """:func:`_writes_named_all`, asked once for each action and resource pattern, service by
    service: ``*:Put*`` on ``arn:aws:s3:::*/*`` writes no other service's resources, and
    their actions are not asked about one by one."""
    found: list[str] = []
    for service, actions in _written_by_service(pattern).items():
        named = whole_types(text, service)
        if named:
            found.extend(name for name, action in actions if names_types(action, named))
    return frozenset(found)


@functools.lru_cache(maxsize=1024)
def _written_by_service(pattern: str) -> dict[str, tuple[tuple[str, Action], ...]]:
    """The writes of ``pattern`` RL203 judges on a resource pattern (:func:`_written`), by
    service, each with its name.  Not one that creates the resource it acts on
    (:attr:`~rolelint.iam_actions.Action.creates_its_resource`): iam:CreateVirtualMFADevice on
    every MFA device makes a new one and changes none, while on ``"*"`` it is judged as it
    always was."""
    found: dict[str, list[tuple[str, Action]]] = {}
    for action in _written(Piece(pattern)):
        if action.creates_its_resource:
            continue
        found.setdefault(action.service, []).append((action.full_name, action))
    return {service: tuple(actions) for service, actions in found.items()}


def _writes_there(
    pattern: str, named: frozenset[str] | None, excluded: tuple[str, ...], resource: Value
) -> frozenset[str] | None:
    """The writes RL203 judges of ``pattern`` on ``resource``, a narrower resource a Deny or
    a boundary leaves the grant on: those judged on the resources written (``named``; None:
    every write ``pattern`` grants but those of ``excluded``, the patterns a NotAction leaves
    out of it) whose every resource it names, as on a resource written (:class:`_WriteTargets`):
    ``named`` itself when it names every resource of them all, or is every resource; empty
    when it names that of none.  ``"*"`` or ``s3:*`` under a boundary allowing s3:DeleteObject
    on ``arn:aws:s3:::*/*`` still deletes every object: the object writes are judged there,
    as they are of the NotAction's s3:DeleteObject that boundary leaves."""
    if every_resource(resource):
        return named
    if not _may_name_all(resource):
        return frozenset()
    wanted = named
    if wanted is None:
        wanted = _every_write(pattern)
        if excluded:
            piece = Piece(pattern, excluded)
            wanted = frozenset(name for name in wanted if piece.grants(name))
    if not wanted:
        return frozenset()
    on_it = _writes_named_all(pattern, resource)
    return named if wanted <= on_it else wanted & on_it


def _every_resource_words(
    statement: Statement, wide: list[Value], on: list[Value], verb: str
) -> tuple[Value, str]:
    """Where a finding of RL203 or RL208 points and how it says what it is on: ``"*"`` (or
    every ARN) as before; else the resources (``on``, in the statement's order) naming every
    resource of the actions it reports, "on every resource they act on ('arn:aws:s3:::*/*')"
    (``verb``: "it acts" of one action)."""
    if wide:
        return wide[0], f"on every resource ('{wide[0].text}')"
    used = [r for r in statement.resources if any(r is u for u in on)]
    quoted = some_of(list(dict.fromkeys(f"'{r.text}'" for r in used)))
    return used[0], f"on every resource {verb} on ({quoted})"


# --- RL208 ----------------------------------------------------------------------------------------

# Reads that return secrets or data rather than metadata: on "*" they expose every secret,
# parameter, key-protected value or object of the account.
SENSITIVE_READS = (
    "secretsmanager:GetSecretValue",
    "ssm:GetParameter",
    "ssm:GetParameters",
    "ssm:GetParametersByPath",
    "kms:Decrypt",
    "s3:GetObject",
)
# What the reads of each service expose, for the message: only what the grant reaches is named.
_READ_EXPOSES = {
    "secretsmanager": "every secret",
    "ssm": "every SSM parameter",
    "kms": "every value encrypted with a key it may use",
    "s3": "every object of every bucket that does not deny it",
}


def _reads_written(statement: Statement, reads: Sequence[str]) -> list[str]:
    """The statement's actions that grant ``reads``, as written, each with the reads a pattern
    includes (``'s3:Get*' (includes s3:GetObject)``), each once: a message quoting only the
    read named an action the policy may not contain."""
    written: list[str] = []
    for action in statement.actions:
        granted = [read for read in reads if action_grants(action, read)]
        if not granted or action.text is None:
            continue
        literal = len(granted) == 1 and action.text.lower() == granted[0].lower()
        written.append(
            f"'{action.text}'" + ("" if literal else f" (includes {', '.join(granted)})")
        )
    return list(dict.fromkeys(written))


def _unlimited(read: str) -> Callable[[Statement], bool]:
    """RL208's gate test for ``read``: the statement's conditions leave it on every resource,
    as the grant's own must (:func:`limited`)."""

    def passes(statement: Statement) -> bool:
        return not limited(statement, (read,))

    return passes


@check("RL208")
def sensitive_read_on_all_resources(inventory: Inventory) -> Iterator[Hit]:
    return each_grant(inventory, sensitive_read_on_all_resources_hits)


def sensitive_read_on_all_resources_hits(grant: Grant) -> Iterator[Hit]:
    statement = grant.statement
    wide = any_resources(statement)
    # Each read on every resource, or else on the resources naming every resource it acts on.
    # The resources first: most statements name none of every resource a read acts on, and
    # need not be gone through action by action.
    named = {
        read: wide or [r for r in statement.resources if names_all_of(r, read)]
        for read in SENSITIVE_READS
    }
    if not any(named.values()):
        return
    # Of a NotAction, the reads Denies and boundaries leave of it, where RL204 does not
    # report it (not_action_left), each judged as an Action value granting it would be.
    left = not_action_left(grant) if statement.has_not_action else None
    if statement.has_not_action and left is None:
        return  # RL204 reports it
    granted = functools.partial(statement_grants, statement) if left is None else left.grants
    targets = {
        read: on
        for read, on in named.items()
        if on and granted(read) and not limited(statement, (read,))
    }
    if not any(targets.values()) or is_admin(grant):
        return
    standing = {
        read: grant.standing_at(
            read, on, functools.partial(names_all_of, action=read), passes=(_unlimited(read),)
        )
        for read, on in targets.items()
        if on
    }
    found = {read: at for read, at in standing.items() if at is not None}
    reads = list(found)
    if not reads:
        return
    exposed = list(dict.fromkeys(_READ_EXPOSES[read.split(":")[0]] for read in reads))
    readable = ", ".join(exposed[:-1]) + " and " + exposed[-1] if len(exposed) > 1 else exposed[0]
    written = _reads_written(statement, reads) if left is None else _reads_left(left.pieces, reads)
    verb = "it acts" if len(written) == 1 else "they act"
    at, where = _every_resource_words(
        statement, wide, [r for read in reads for r in targets[read]], verb
    )
    what = f"{some_of(written)} {where}: it can read {readable}"
    if left is None:
        message = f"{grant.subject} allows {what}"
        said = notes(effect for _, effect in found.values())
        key = grant.key("sensitive-read", *reads)
    else:
        message = f"{grant.subject} allows {left.said(what)}"
        said = notes(
            left.there(place, effect, functools.partial(Effect.grants, action=read))
            for read, (place, effect) in found.items()
        )
        key = grant.key("sensitive-read", not_action_key(statement), *reads)
    yield Hit(
        "RL208",
        f"{message}{said}",
        at.ref,
        grant.document.resource,
        key,
        role=grant.role,
        roles=grant.each_role,
        holders=grant.each_holder,
    )


def _reads_left(pieces: Sequence[Piece], reads: Sequence[str]) -> list[str]:
    """:func:`_reads_written` of what Denies and boundaries leave of a NotAction: each piece
    granting ``reads``, with the reads a pattern includes, each once."""
    written: list[str] = []
    for piece in pieces:
        granted = [read for read in reads if piece.grants(read)]
        if not granted:
            continue
        literal = (
            not piece.excluded and len(granted) == 1 and piece.pattern.lower() == granted[0].lower()
        )
        written.append(piece.describe() + ("" if literal else f" (includes {', '.join(granted)})"))
    return list(dict.fromkeys(written))


# --- RL204 / RL205 --------------------------------------------------------------------------------


def _not_action_piece(statement: Statement) -> tuple[str, tuple[str, ...]]:
    """What an Allow with NotAction grants, as an action pattern less the patterns it lists:
    ``*`` less those known.  One not known excludes nothing here: what it may leave out is
    not taken away (no Deny or boundary is credited with a value not known either)."""
    return "*", tuple(v.text for v in statement.not_actions if v.text is not None)


def _wide_of(effect: Effect) -> list[str]:
    """How RL204 names what of a NotAction's remainder is still broad: every action of a
    service or of all of them (RL202's :func:`wide_piece`), as RL202 reports ``*`` under the
    same Denies and boundary.  Named actions alone (a boundary allowing s3:GetObject) are no
    longer "every action but a few"."""
    return [w for w in map(wide_piece, effect.pieces) if w is not None]


def _not_action_standing(grant: Grant) -> Effect | None:
    """What of a NotAction's every-action-but-a-few stands for a holder once Denies and the
    permissions boundary have had their say (:meth:`Grant.standing`, on the resources RL202
    judges, :func:`judged_on`, or on a narrower one they leave it on): an effect with a broad
    piece (:func:`_wide_of`), through their conditions as RL202 lets ``*`` through them
    (:func:`grants_more_than_few`); None when nothing broad is left (a Deny of ``*`` on
    ``*``, a boundary naming a few actions), or never was (NotAction ``"*"`` grants no
    action: :attr:`Piece.empty`).  A Deny or boundary not known takes nothing
    away: the finding stands and says that it may limit it, as RL206 and RL207 do."""
    pattern, excluded = _not_action_piece(grant.statement)
    resources = judged_on(grant.statement)
    if not resources:
        effect = Effect((Piece(pattern, excluded),))
        return effect if _wide_of(effect) else None
    return grant.standing(
        pattern,
        resources,
        lambda _: True,
        passes=(grants_more_than_few,),
        test=lambda effect: bool(_wide_of(effect)),
        excluded=excluded,
    )


@check("RL204")
def allow_with_not_action(inventory: Inventory) -> Iterator[Hit]:
    return each_grant(inventory, allow_with_not_action_hits)


def allow_with_not_action_hits(grant: Grant) -> Iterator[Hit]:
    statement = grant.statement
    if not statement.has_not_action or statement.not_action_ref is None:
        return
    effect = _not_action_standing(grant)
    if effect is None:
        return
    excluded = some_of([f"'{v.display()}'" for v in statement.not_actions]) or "nothing"
    still = "" if effect.whole else f", which still grants {'; '.join(_wide_of(effect))}"
    yield Hit(
        "RL204",
        f"{grant.subject} allows every action except {excluded} "
        f"(Allow with NotAction){still}, including actions AWS adds later{effect.note()}",
        statement.not_action_ref,
        grant.document.resource,
        grant.key("NotAction", *sorted(v.display().lower() for v in statement.not_actions)),
        role=grant.role,
        roles=grant.each_role,
        holders=grant.each_holder,
    )


def _granted_by(statement: Statement) -> list[tuple[str, str, tuple[str, ...]]]:
    """What an Allow grants, each as a message quotes it with an action pattern and the
    patterns taken out of it: each Action value (one not known as ``*``: a Deny or boundary
    that leaves nothing of every action leaves nothing of it), or its NotAction."""
    if statement.has_not_action:
        pattern, excluded = _not_action_piece(statement)
        listed = some_of([f"'{v.display()}'" for v in statement.not_actions]) or "nothing"
        return [(f"every action except {listed}", pattern, excluded)]
    return [
        (f"'{value.display()}'", "*" if value.text is None else value.text, ())
        for value in statement.actions
        if value.text is None or names_actions(value.text)
    ]


def _every_resource_of(pattern: str) -> Callable[[Value], bool]:
    """RL205's test of a resource a Deny or boundary narrows a grant on every resource but a
    few to: every resource (or the one of a NotResource list not known, as written), or a
    pattern naming every resource of some action of ``pattern`` (``arn:aws:s3:::*/*`` for
    s3:GetObject): the grant still acts on all of those but the listed ones."""

    def on(resource: Value) -> bool:
        if resource.text is None or every_resource(resource):
            return True
        return _may_name_all(resource) and _names_every_resource_of_some(pattern, resource.text)

    return on


@functools.lru_cache(maxsize=1024)
def _names_every_resource_of_some(pattern: str, text: str) -> bool:
    """Whether ``text`` names every resource some action of ``pattern`` acts on
    (rolelint.checks.effective.names_every_resource_of, whose per-service reading of the
    pattern is cached)."""
    from rolelint.iam_actions import expand

    return any(names_every_resource_of(text, action) for action in expand(pattern))


def _unlimited_by(pattern: str) -> Callable[[Statement], bool]:
    """RL205's gate test: a Deny's or the boundary's condition leaves ``pattern`` on every
    resource, as RL203 and RL208 judge one (:func:`limited`)."""

    def passes(statement: Statement) -> bool:
        return not limited(statement, (pattern,))

    return passes


@check("RL205")
def allow_with_not_resource(inventory: Inventory) -> Iterator[Hit]:
    return each_grant(inventory, allow_with_not_resource_hits)


def allow_with_not_resource_hits(grant: Grant) -> Iterator[Hit]:
    statement = grant.statement
    if not statement.has_not_resource or statement.not_resource_ref is None:
        return
    resources = judged_on(statement)
    granted = _granted_by(statement)
    # What of each grant stands on every resource but the listed ones, once Denies and the
    # permissions boundary have had their say, or on a narrower resource they leave it on
    # that is still every resource of some of its actions.
    # (A NotResource always gives one: every resource but the listed ones, or one not known.)
    found = (
        (
            quoted,
            grant.standing(
                pattern,
                resources,
                _every_resource_of(pattern),
                passes=(_unlimited_by(pattern),),
                excluded=excluded,
            ),
        )
        for quoted, pattern, excluded in granted
    )
    standing = [(quoted, effect) for quoted, effect in found if effect is not None]
    if not standing:
        return
    # A role named by reference whose name or path is not known: its stand-ins in words.
    listed = [f"'{v.said()}'" for v in statement.not_resources]
    excluded_resources = some_of(listed) or "nothing"
    what = (
        "its actions"
        if len(standing) == len(granted)
        else some_of(list(dict.fromkeys(quoted for quoted, _ in standing)))
    )
    yield Hit(
        "RL205",
        f"{grant.subject} allows {what} on every resource except "
        f"{excluded_resources} (Allow with NotResource){notes(e for _, e in standing)}",
        statement.not_resource_ref,
        grant.document.resource,
        grant.key("NotResource", *sorted(v.display() for v in statement.not_resources)),
        role=grant.role,
        roles=grant.each_role,
        holders=grant.each_holder,
    )
