"""Administrator access and service-wide wildcards: RL201 (every IAM action on
every resource) and RL202 (every action of a service, or a broad prefix on a sensitive one).

Also whether a policy held by no one is administrator-level (:func:`admin_level`), for the
policies a condition names (policy_limits).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from rolelint.checks.base import Hit, check, some_of
from rolelint.checks.effective import (
    Effect,
    Piece,
    every_resource_but,
    excludes_all_of,
    grants_all_of_iam,
    grants_everything,
    names_every_iam_resource,
    resources_named,
)
from rolelint.checks.escalation_grants import (
    escalation_methods,
    escalations,
    service_escalations,
)
from rolelint.checks.grant_conditions import grants_few_actions, may_grant
from rolelint.checks.grants import Entry, Grant, Place, action_entries, any_resources, each_grant
from rolelint.checks.iam_match import (
    covers,
    has_wildcard,
    is_all_actions,
    is_service_wide,
    names_actions,
    split_action,
    whole_fields,
)
from rolelint.model import Inventory, PolicyDocument, Statement, Value
from rolelint.source import SourceRef

# Every IAM action, as :func:`may_grant` is asked it for administrator access (RL201).
ALL_OF_IAM = "iam:*"


@dataclass(frozen=True, slots=True)
class Admin:
    """A grant of every IAM action on every resource that survives Denies and boundaries."""

    at: SourceRef
    what: str
    key: str
    resource: Value
    effect: Effect


def _admin_grants(grant: Grant) -> list[Admin]:
    if grant.admin is None:
        grant.admin = _find_admin_grants(grant)
    return grant.admin


def admin_resources(statement: Statement) -> list[Value]:
    """The resources of an Allow on which every IAM action is administrator access: ``"*"``
    (or every ARN); else those naming every IAM resource of an account or of all
    (``arn:aws:iam::111122223333:*``: IAM actions act on nothing else, so the holder can grant
    itself anything there too); else, for NotResource, every resource but a few when no whole
    type of IAM resource is among them.  RL201 and the role graph's admin level both ask."""
    wide = any_resources(statement) or [r for r in statement.resources if _every_iam_resource(r)]
    every_but = every_resource_but(statement)
    if not wide and every_but is not None and not excludes_all_of(statement, "iam"):
        wide = [every_but]  # every resource but a few, no whole type of IAM among them
    return wide


def _every_iam_resource(resource: Value) -> bool:
    return resource.text is not None and names_every_iam_resource(resource.text)


def may_name_all_of_iam(statement: Statement) -> bool:
    """Whether the statement has a NotAction or an Action value naming every IAM action
    (:func:`names_all_of_iam`): only such a statement may grant them all (RL201, the role
    graph's admin level).  Asked before its resources are gone through, and of each action
    text once: a statement an Fn::If on a shared condition splits lists hundreds of actions,
    once per branch."""
    if statement.has_not_action:
        return True
    texts = {value.text for value in statement.actions}
    return any(text is not None and names_all_of_iam(text) for text in texts)


def _find_admin_grants(grant: Grant) -> list[Admin]:
    if not may_grant(grant.statement, ALL_OF_IAM):
        # grants iam:PassRole or attachments alone, whatever its actions say (RL206), or,
        # under an S3 request key, the S3 actions whose requests carry it (RL203)
        return []
    if not may_name_all_of_iam(grant.statement):
        return []
    wide = admin_resources(grant.statement)
    if not wide:
        return []
    found = []
    statement = grant.statement
    excluded = tuple(v.text for v in statement.not_actions if v.text is not None)
    if statement.has_not_action and statement.not_action_ref is not None:
        effect = grant.standing(
            "*",
            wide,
            _every_iam_resource,
            passes=(_grants_all_of_iam,),
            test=grants_all_of_iam,
            excluded=excluded,
        )
        if len(excluded) == len(statement.not_actions) and effect is not None:
            listed = some_of([f"'{e}'" for e in excluded]) or "nothing"
            what = f"every action except {listed} (NotAction), every IAM action among them,"
            found.append(Admin(statement.not_action_ref, what, "NotAction", wide[0], effect))
    # What each text is worth, judged once: the statements an Fn::If on each of many
    # conditions splits list "*" once per Fn::If, and each judgment goes through every
    # resource (Grant.standing).
    judged: dict[str, Effect | None] = {}
    for action in statement.actions:
        text = action.text
        if text is None or not names_all_of_iam(text):
            continue
        if text not in judged:
            judged[text] = grant.standing(
                text,
                wide,
                _every_iam_resource,
                passes=(_grants_all_of_iam,),
                test=grants_all_of_iam,
            )
        effect = judged[text]
        if effect is None:
            continue
        everything = is_all_actions(text) and grants_everything(effect)
        what = f"{'every action' if everything else 'every IAM action'} ('{text}')"
        found.append(Admin(action.ref, what, action.display(), wide[0], effect))
    return found


def all_of_iam_stands(effect: Effect) -> bool:
    """Every IAM action stands, and not only under a permissions boundary's or a Deny's
    condition that leaves the grant fewer actions (:func:`may_grant`: iam:PassRole or the
    attachments alone, or the S3 actions carrying a request key).  RL201 asks it through
    :meth:`Grant.standing`, the role graph's admin level here: both judge the effect and its
    gates the same way, so that they agree."""
    return grants_all_of_iam(effect) and effect.passes_gates(_grants_all_of_iam)


def _grants_all_of_iam(statement: Statement) -> bool:
    """The gate test of RL201 and the graph's admin level: the statement's conditions leave
    every IAM action (:func:`may_grant`)."""
    return may_grant(statement, ALL_OF_IAM)


@functools.lru_cache(maxsize=4096)
def names_all_of_iam(text: str) -> bool:
    """An Action value that names every IAM action: ``*``, ``*:*``, ``iam:*``, ``i*:*``.  Not
    ``iam*`` nor ``*iam*``: a value without a service prefix names no action (IAM refuses it,
    RL605), though as a pattern it would match every IAM action.  Asked once per text: RL201
    and the graph's admin level ask it of every Action value of every statement, and the
    roles of a stack often hold the same statement (300 roles of 206 actions: 123,600 pattern
    comparisons of the same 206 texts)."""
    if not names_actions(text):
        return False
    return is_all_actions(text) or covers(text, "iam:*", case_sensitive=False)


def is_admin(grant: Grant) -> bool:
    return bool(_admin_grants(grant))


def admin_level(document: PolicyDocument) -> bool:
    """Whether ``document``, held by no one, grants every IAM action or a privilege
    escalation on every resource.  What a condition in it names is judged without the scan's
    policies (no policy's judgment waits on another's)."""
    grants = [Grant(document, s, ()) for s in document.statements if s.is_allow]
    return any(
        is_admin(grant)
        or any(escalations(grant, e) or service_escalations(grant, e) for e in action_entries(s))
        for grant, s in ((g, g.statement) for g in grants)
    )


# --- RL201 ----------------------------------------------------------------------------------------


@check("RL201")
def full_admin_access(inventory: Inventory) -> Iterator[Hit]:
    return each_grant(inventory, full_admin_access_hits)


def full_admin_access_hits(grant: Grant) -> Iterator[Hit]:
    for admin in _admin_grants(grant):
        yield Hit(
            "RL201",
            f"{grant.subject} allows {admin.what} on "
            f"{resources_named(grant.statement, admin.resource)}: full "
            f"administrator access{admin.effect.note()}",
            admin.at,
            grant.document.resource,
            grant.key(admin.key),
            role=grant.role,
            roles=grant.each_role,
            holders=grant.each_holder,
        )


# --- RL202 ----------------------------------------------------------------------------------------


def wide_piece(piece: Piece) -> str | None:
    """How a message names a piece that spans a whole service or all of them, else None: what
    RL202 reports of an Action value, and RL204 of a NotAction, once Denies and boundaries
    have had their say.

    ``lamda:*`` spans no service: its prefix is none of AWS's, so it grants nothing (RL605
    says so), and ``${Svc}:*`` is a placeholder rolelint could not resolve, never judged.
    Nor does every action but all of them (:attr:`Piece.empty`: NotAction ``"*"``)."""
    if piece.empty:
        return None
    if is_all_actions(piece.pattern):
        what = "every action of every service"
    elif is_service_wide(piece.pattern) and _is_service(piece.pattern.partition(":")[0]):
        what = f"every {piece.pattern.partition(':')[0].lower()} action"  # prefixes: any case
    else:
        matched = _services_matching(piece.pattern)
        if not matched:
            return None
        if len(matched) == 1:
            what = f"every {matched[0]} action"
        else:
            prefix = piece.pattern.partition(":")[0].lower()
            what = (
                f"every action of the {len(matched)} services matching '{prefix}' "
                f"({some_of(matched, 4)})"
            )
    return f"{what} except {', '.join(piece.excluded)}" if piece.excluded else what


@functools.lru_cache(maxsize=4096)
def _wide_pattern(text: str) -> str | None:
    """:func:`wide_piece` of a pattern as written, asked once: a statement lists the same
    action many times (each ``Fn::If`` of a list, each branch of a paired statement)."""
    return wide_piece(Piece(text))


def _services_matching(pattern: str) -> list[str]:
    """The services of the catalog every action of which a pattern with a wildcard prefix
    grants (``s*:*``: s3, sqs, sns ...; ``*3:*``: s3), in order; none for any other pattern.
    Each such service is granted whole, as ``s3:*`` grants S3."""
    service, _, name = whole_fields(pattern).partition(":")
    if name != "*" or not has_wildcard(service) or "$" in service or "<" in service:
        return []
    from rolelint.iam_actions import services

    return sorted(s for s in services() if covers(service, s, case_sensitive=False))


def _is_service(prefix: str) -> bool:
    """Whether ``prefix`` is an AWS service prefix of the action catalog."""
    from rolelint.iam_actions import is_known_service

    return "$" not in prefix and "<" not in prefix and is_known_service(prefix)


# Services that decide who may do what (identity, organization, keys, secrets, audit): a
# wildcard prefix there grants permission changes nobody reviewed one by one.
SENSITIVE_SERVICES = frozenset(
    {
        "iam",
        "sts",
        "organizations",
        "account",
        "sso",
        "identitystore",
        "kms",
        "secretsmanager",
        "cloudtrail",
    }
)


@dataclass(frozen=True, slots=True)
class _Broad:
    """What RL202 finds of one action pattern (an Action value, or a piece of what Denies and
    boundaries leave of a NotAction): how a message names it, without its note, and what of
    it stands where (:func:`_wherever`), which the note explains."""

    what: str
    place: Place
    effect: Effect


def _broad_prefix(
    grant: Grant, piece: Piece, resources: Sequence[Value], escalates: Callable[[], bool]
) -> _Broad | None:
    """A wildcard prefix (``iam:Put*``) on a sensitive service that grants
    permissions-management actions left after Denies and boundaries, else None.

    ``kms:GenerateDataKey*`` grants only cryptographic operations and stays silent; prefixes
    that RL206 reports as privilege escalation (``escalates``, asked last: it is costly) are
    left to it.
    """
    text = piece.pattern
    parts = split_action(text)
    if parts is None or not has_wildcard(parts[1]) or is_service_wide(text):
        return None
    if has_wildcard(parts[0]) or parts[0].lower() not in SENSITIVE_SERVICES:
        return None
    from rolelint.iam_actions import PERMISSIONS_MANAGEMENT, expand

    found = _wherever(grant, piece, resources)
    if found is None:
        return None  # as under the statement's own iam:PassedToService or iam:PolicyARN
    place, effect = found
    granted = [a for a in expand(text) if effect.grants(a.full_name)]
    managing = [a.full_name for a in granted if PERMISSIONS_MANAGEMENT in a.access_levels]
    if not managing or escalates():
        return None
    service = parts[0].lower()
    if len(granted) == 1:  # "1 organizations action, permissions management (...)"
        counted = f"1 {service} action, permissions management"
    else:
        counted = f"{len(granted)} {service} actions, {len(managing)} of them"
        counted += " permissions management"
    what = f"a broad prefix on a sensitive service, {piece.describe()}: {counted}"
    return _Broad(f"{what} ({some_of(managing, 4)})", place, effect)


def _service_wide(grant: Grant, piece: Piece, resources: Sequence[Value]) -> _Broad | None:
    """A pattern that spans a whole service or all of them (:func:`wide_piece`), with what of
    it is still so after Denies and boundaries, else None."""
    found = _wherever(grant, piece, resources)
    if found is None:
        return None
    place, effect = found
    described = [w for w in map(wide_piece, effect.pieces) if w is not None]
    if not described:
        return None
    what = (
        f"{'; '.join(described)} ({piece.describe()})"
        if effect.whole
        else f"{piece.describe()}, which still grants {'; '.join(described)}"
    )
    return _Broad(what, place, effect)


def _wherever(
    grant: Grant, piece: Piece, resources: Sequence[Value]
) -> tuple[Place, Effect] | None:
    """What of ``piece`` stands on ``resources`` (the grant as written when they are not
    known), or on a narrower resource a boundary or Deny leaves it on, with where
    (:data:`Place`): what the action pattern still grants matters here, not on what.  None
    when it stands only under a Deny's or the boundary's condition that leaves iam:PassRole
    or the policy attachments alone (grants_few_actions), which RL202 judges as it judges
    the statement's own: a boundary allowing ``"*"`` only where iam:PassedToService is named
    grants nothing else."""
    if not resources:
        return None, Effect((piece,))
    # The first effect with something left, gated or not: its gates are judged below.
    action, excluded = piece.pattern, piece.excluded
    found = grant.standing_at(action, resources, lambda _: True, passes=(), excluded=excluded)
    place, effect = (
        found if found is not None else (None, grant.effect(action, resources, excluded))
    )
    return (place, effect) if effect.passes_gates(grants_more_than_few) else None


def grants_more_than_few(statement: Statement) -> bool:
    """RL202's gate test, and RL204's: the statement's conditions leave more than the few
    actions of :func:`grants_few_actions`."""
    return not grants_few_actions(statement)


def judged_on(statement: Statement) -> list[Value]:
    """The resources RL202, RL204 and RL205 judge a grant on, after Denies: its resolved
    Resource values; when none is resolved, those not known (a Deny of "*" covers whatever
    they turn out to be); for NotResource, a "*" standing for every resource but the listed
    ones, or one not known when the list is not known."""
    resolved = [r for r in statement.resources if r.text is not None]
    if resolved or statement.resources:
        return resolved or list(statement.resources)
    every_but = every_resource_but(statement)
    if every_but is not None:
        return [every_but]
    if statement.has_not_resource:
        ref = statement.not_resource_ref or statement.ref
        return [Value(None, ref, "a NotResource list not known")]
    return []


@check("RL202")
def service_wide_wildcard_action(inventory: Inventory) -> Iterator[Hit]:
    return each_grant(inventory, service_wide_wildcard_action_hits)


def service_wide_wildcard_action_hits(grant: Grant) -> Iterator[Hit]:
    if is_admin(grant) or grants_few_actions(grant.statement):
        return  # under iam:PassedToService no wildcard grants more than iam:PassRole
    if grant.statement.has_not_action:
        yield from _not_action_left_hits(grant)
        return
    resources = judged_on(grant.statement)
    for action in grant.statement.actions:
        text = action.text
        if text is None:
            continue
        escalates = functools.partial(_escalates, grant, Entry(action))
        broad = _broad(grant, Piece(text), resources, escalates, wide=_wide_pattern(text))
        if broad is not None:
            message = f"{grant.subject} allows {broad.what}{broad.effect.note()}"
            yield _hit(grant, message, action.ref, action.display())


def _broad(
    grant: Grant,
    piece: Piece,
    resources: Sequence[Value],
    escalates: Callable[[], bool],
    *,
    wide: str | None,
) -> _Broad | None:
    """What RL202 finds of one action pattern: of one that spans a whole service or all of
    them (``wide``, :func:`wide_piece` of it), what of that stands; of any other, a broad
    prefix on a sensitive service."""
    if wide is None:
        return _broad_prefix(grant, piece, resources, escalates)
    return _service_wide(grant, piece, resources)


def _escalates(grant: Grant, entry: Entry) -> bool:
    """Whether RL206 reports ``entry`` (an Action value): RL202 leaves its prefix to it."""
    return bool(escalations(grant, entry) or service_escalations(grant, entry))


def _not_action_left_hits(grant: Grant) -> Iterator[Hit]:
    """RL202 of what Denies and permissions boundaries leave of an Allow with NotAction where
    RL204 does not report it (rolelint.checks.broad_access.not_action_left, which RL203 and
    RL208 judge too): each piece as an Action value is judged, a whole service or a broad
    prefix on a sensitive one, less the patterns the NotAction lists.  "Allow NotAction
    iam:*" under a boundary allowing ``kms:Create*`` is "Allow kms:Create*".  The finding is
    at the resource, as RL203's and RL208's on such a remainder are (there is no Action
    value), says whose remainder it is, and explains what limited the NotAction to it."""
    # broad_access builds on this module (wide_piece, judged_on): imported when first asked.
    from rolelint.checks.broad_access import not_action_key, not_action_left

    left = not_action_left(grant)
    if left is None:
        return  # RL204 reports it, or nothing is left of it
    statement = grant.statement
    resources = judged_on(statement)
    theirs = _ReportedOfNotAction(grant, statement)
    for piece in left.pieces:
        escalates = functools.partial(theirs.grants_one, piece)
        broad = _broad(grant, piece, resources, escalates, wide=wide_piece(piece))
        if broad is None:
            continue
        note = left.of_piece(broad.place, broad.effect, piece).note()
        message = f"{grant.subject} allows {left.said(broad.what)}{note}"
        key = (not_action_key(statement), piece.pattern.lower(), *piece.excluded)
        yield _hit(grant, message, resources[0].ref, *key)


@dataclass(slots=True)
class _ReportedOfNotAction:
    """The escalation methods RL206 reports of an Allow's NotAction, worked out once, when a
    piece of what is left of it first manages permissions: RL202 leaves a piece granting one
    of them to RL206, as it leaves an Action value RL206 reports."""

    grant: Grant
    statement: Statement
    methods: list[str] | None = None

    def grants_one(self, piece: Piece) -> bool:
        if self.methods is None:
            values = self.statement.not_actions
            entry = Entry(values[0], self.statement) if values else None
            self.methods = [] if entry is None else escalation_methods(self.grant, entry)
        return any(piece.grants(method) for method in self.methods)


def _hit(grant: Grant, message: str, at: SourceRef, *key: str) -> Hit:
    """RL202's finding on ``grant``, naming its holders."""
    return Hit(
        "RL202",
        message,
        at,
        grant.document.resource,
        grant.key(*key),
        role=grant.role,
        roles=grant.each_role,
        holders=grant.each_holder,
    )
