"""Escalation methods an Allow grants on its holders themselves: on their own
ARN or a pattern naming it, on a customer managed policy they hold, on a group a user is
certainly in (iam:PutRolePolicy on its own role).  Under a permissions boundary what the holder
gains is what that boundary allows.  RL206 reports them, and the role graph counts them as
administrator level.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from rolelint.checks.admin_access import is_admin
from rolelint.checks.base import some_of
from rolelint.checks.effective import Effect, once_each
from rolelint.checks.escalation_grants import (
    escalates_under,
    escalations_given,
    still_escalates,
)
from rolelint.checks.escalation_methods import (
    ESCALATIONS,
    ON_ITSELF,
    REMOVES_BOUNDARY,
    SETS_BOUNDARY,
)
from rolelint.checks.grants import Entry, Grant, action_entries
from rolelint.checks.iam_match import is_all_actions, parse_arn
from rolelint.checks.stand_ins import arn_matches
from rolelint.model import (
    NAME_STAND_IN,
    UNRESOLVED_PATH,
    PolicyDocument,
    PolicyKind,
    Role,
    Statement,
    Value,
)

_ON_ITSELF_METHODS = tuple(method for method in ESCALATIONS if method in ON_ITSELF)


@dataclass(frozen=True, slots=True)
class OnItself:
    """An escalation method an Allow grants on its holders themselves (:data:`ON_ITSELF`)."""

    method: str
    resource: Value  # the statement's resource that names them
    owns: tuple[str, ...]  # the holders' own ARNs (or their policies') that it names
    holders: tuple[Role, ...]  # the holders it names so
    effect: Effect
    # For writing itself a policy under a permissions boundary every deployment has: what
    # that boundary lets it write, in words (:func:`_gains_by_itself`); empty without one.
    capped: str = ""
    # Every one of them holds the policy only through a group it is in (Grant.members).
    members: bool = False


def _own_arns(holder: Role, kind: str) -> list[str]:
    """The resolved ARNs of ``holder`` itself when it is a ``kind`` (role or user: its ARN in
    every deployment); for ``group``, those of the groups it is certainly in (Role.group_arns);
    for ``policy``, those of the customer managed policies it holds: the documents it holds by
    a known ARN and those attached by ARN whose text the scan does not hold (AWS managed
    policies, in account ``aws``, no one can rewrite)."""
    if kind == "group":
        arns = [group.text for group in holder.group_arns]
    elif kind == "policy":
        arns = [
            document.arn
            for document in holder.policies
            if document.kind is PolicyKind.PERMISSIONS
            and document.managed
            and not document.aws_managed
        ]
        arns += [ref.arn.text for ref in holder.managed_policy_arns if not ref.inline]
    else:
        arns = [holder.arn.text, *(other.text for other in holder.other_arns)]
    found: list[str] = []
    for text in arns:
        arn = parse_arn(text) if text is not None else None
        if (
            text is not None
            and arn is not None
            and arn.service == "iam"
            and arn.account != "aws"
            and arn.resource.startswith(f"{kind}/")
        ):
            found.append(text)
    return list(dict.fromkeys(found))


def on_itself(grant: Grant, entry: Entry) -> list[OnItself]:
    """The escalation methods ``entry`` grants on the holders themselves (their own ARN, a
    pattern naming it, a customer managed policy they hold) that no Deny or boundary of theirs
    takes away, each with the first resource that names each holder (as a grant of
    sts:AssumeRole names the role it chains to: stand_ins.arn_matches; a user reads
    ``${aws:username}`` as its own name, :func:`_as_requested_by`).  A NotResource grant is
    judged as every resource but the listed ones (:func:`escalations`): what it leaves out of
    every role, user or policy it leaves out of the holder's too.  A resource or holder ARN not
    known names nothing.  A group's policy is judged for the users certainly in the group too
    (:attr:`Grant.members`): a group makes no request, its members do."""
    statement = grant.statement
    methods = entry.granted_among(_ON_ITSELF_METHODS)
    if not methods or statement.has_not_resource:
        return []  # most entries grant no such method: known before the holders are gathered
    acting = grant.acting
    if not acting:
        return []
    direct = {id(holder) for holder in grant.holders}
    found: list[OnItself] = []
    owned: dict[str, list[tuple[Role, str]]] = {}  # by kind: each holder's own ARNs, once
    # What each holder gains, once: under a boundary it is a judgement of the whole boundary
    # (_boundary_gives), the same for every resource, ARN and policy-writing method.
    gains: dict[tuple[int, str], str | None] = {}
    for method in methods:
        if not still_escalates(statement, method, grant.scanned):
            continue
        kind = ESCALATIONS[method][0]
        if kind not in owned:
            owned[kind] = [(h, own) for h in acting for own in _own_arns(h, kind)]
        escalates = functools.partial(escalates_under, method=method, scanned=grant.scanned)
        covered: set[int] = set()  # the holders a resource already names for the method
        for resource in statement.resources:
            text = resource.text
            if text is None:
                continue
            # The holders it names, by what they gain and by the text each reads (a user its
            # own name for ${aws:username}): each reading is judged as written so.
            named: dict[tuple[str, str], list[tuple[Role, str]]] = {}
            for holder, own in owned[kind]:
                read = _as_requested_by(text, own)
                if id(holder) in covered or not _names_own(grant, read, own):
                    continue
                # Every policy-writing method gains what the boundary allows: judged once.
                lifts = method in SETS_BOUNDARY or method in REMOVES_BOUNDARY
                key = (id(holder), method if lifts else "")
                if key not in gains:
                    gains[key] = _gains_by_itself(grant, holder, method)
                capped = gains[key]
                if capped is not None:
                    named.setdefault((capped, read), []).append((holder, own))
            standing: dict[str, list[tuple[list[tuple[Role, str]], Effect]]] = {}
            for (capped, read), those in named.items():
                on = resource if read == text else replace(resource, text=read)
                effect = _standing_on_itself(grant, method, on, those, escalates)
                if effect is not None:
                    standing.setdefault(capped, []).append((those, effect))
            for capped, kept in standing.items():
                pairs = [pair for those, _ in kept for pair in those]
                holders = once_each(holder for holder, _ in pairs)
                owns = tuple(dict.fromkeys(own for _, own in pairs))
                members = not any(id(holder) in direct for holder in holders)
                found.append(
                    OnItself(method, resource, owns, holders, kept[0][1], capped, members=members)
                )
                covered.update(id(holder) for holder in holders)
    return found


def _names_own(grant: Grant, pattern: str, own: str) -> bool:
    """Whether the resource ``pattern`` names the holder ARN ``own`` (stand_ins.arn_matches),
    asked once per grant: each entry granting a method of the same kind (iam:PutRolePolicy,
    iam:AttachRolePolicy) compares every resource of the statement with the same ARNs, and
    the comparison of an ARN holding a stand-in is the walk that costs."""
    if grant.names_own is None:
        grant.names_own = {}
    key = (pattern, own)
    known = grant.names_own.get(key)
    if known is None:
        known = grant.names_own[key] = arn_matches(pattern, own)
    return known


def _standing_on_itself(
    grant: Grant,
    method: str,
    resource: Value,
    named: list[tuple[Role, str]],
    escalates: Callable[[Statement], bool],
) -> Effect | None:
    """What of ``method`` on ``resource`` stands for the holders it names (each with its own
    ARN that it names), judged as if they held the grant alone."""
    holders = once_each(holder for holder, _ in named)
    owns = tuple(dict.fromkeys(own for _, own in named))

    def still_names(where: Value) -> bool:
        return where.text is not None and any(
            _names_own(grant, _as_requested_by(where.text, own), own) for own in owns
        )

    return grant.held_by(holders, worded=grant.worded).standing(
        method, [resource], still_names, passes=(escalates,)
    )


# ${aws:username}, the policy variable IAM replaces by the friendly name of the IAM user making
# the request (IAM User Guide, "IAM policy elements: Variables and tags"); a role's session,
# a federated user or the root user has no such key, and the variable then names nothing.
_USERNAME_VARIABLE = re.compile(r"\$\{aws:username\}", re.IGNORECASE)


def _as_requested_by(pattern: str, own: str) -> str:
    """``pattern`` as IAM reads it in a request of the holder whose own ARN is ``own``: for a
    user (``...:user/path/name``), ``${aws:username}`` is its name, so that
    ``user/${aws:username}``, AWS's pattern for "manage your own user" in a policy every user
    holds, names each user holding it.  Other variables (``${aws:userid}``, a unique id;
    ``${aws:PrincipalTag/...}``) hold values the files do not say: they stay as written and
    name no holder."""
    arn = parse_arn(own)
    if arn is None or not arn.resource.startswith("user/") or "${" not in pattern:
        return pattern
    return _USERNAME_VARIABLE.sub(lambda _: _user_name(own), pattern)


def _user_name(own: str) -> str:
    """The name of the user whose ARN is ``own``: what follows its path, or the stand-in of a
    name rolelint does not know (which may hold a ``/`` of its file's)."""
    rest = UNRESOLVED_PATH.sub("", own)
    stand_in = NAME_STAND_IN.search(rest)
    if stand_in is not None and stand_in.end() == len(rest):
        return stand_in.group()
    return rest.rsplit("/", 1)[-1]


def _gains_by_itself(grant: Grant, holder: Role, method: str) -> str | None:
    """Whether ``method`` on ``holder`` itself can give it more than it has; None when not.

    Removing or replacing its permissions boundary only when it has one (with none, nothing
    is lifted, and a new one only takes away).  Writing itself a policy (or a version of one
    it holds) gives it whatever its permissions boundary allows: everything without one (a
    boundary some deployments leave out, or one rolelint cannot read, which the finding says
    may limit it); with one every deployment has, only when what that boundary allows is more
    than a cap (:func:`_boundary_gives`), said in words for the finding; and nothing when the
    document judged is that boundary itself (what the holder writes is then no more than it).
    Empty when nothing is to be said."""
    if method in SETS_BOUNDARY or method in REMOVES_BOUNDARY:
        return "" if holder.permissions_boundary is not None else None
    if grant.document.kind is PolicyKind.BOUNDARY:
        return None
    said = []
    for boundary in holder.policies:
        if boundary.kind is not PolicyKind.BOUNDARY or boundary.optional:
            continue
        gives = _boundary_gives(grant, holder, boundary)
        if gives is None:
            return None  # it caps whatever the holder writes itself
        said.append(f"{boundary.origin} allows ({gives})")
    return "; ".join(said)


def _boundary_gives(grant: Grant, holder: Role, boundary: PolicyDocument) -> str | None:
    """What ``holder`` gets by writing itself any policy under its permissions boundary
    ``boundary``: what the boundary allows, judged as RL201 and this rule judge a policy the
    holder held (the boundary's own Denies and the holder's apply), in words:
    ``administrator access``, ``every action except ...``, or the first escalation method it
    allows (``iam:DeleteRolePermissionsBoundary, which lifts it``).  None when it allows
    neither (``s3:*`` and ``logs:*``): the boundary caps what the holder writes itself."""
    alone = grant.held_by((holder,), worded=False)
    for statement in boundary.statements:
        if not statement.is_allow or statement.names_no_resource:
            continue
        judged = replace(alone, document=boundary, statement=statement)
        if is_admin(judged):
            return "administrator access"
        found: list[tuple[Entry, str]] = []
        for entry in action_entries(statement):
            # Not iam:PassRole of tagged roles only, nor a service's tagged resources only.
            given = escalations_given(judged, entry).untagged
            found += [(entry, method) for method, _, _ in given]
            found += [(entry, item.method) for item in on_itself(judged, entry)]
        if found:
            return _boundary_given(judged, found)
    return None


def _boundary_given(judged: Grant, found: list[tuple[Entry, str]]) -> str:
    """How a finding says what a boundary statement lets its holder write itself, of the
    escalation methods its entries grant (``found``): every action but those taken away (a
    NotAction, or ``*`` under a Deny of a few), else removing or replacing a boundary (its own
    among them), which lifts it, else the first method."""
    for entry, _ in found:
        text = entry.value.text
        if entry.statement is not None:
            return entry.quoted
        if text is not None and is_all_actions(text):
            effect = judged.effect(text, judged.statement.resources)
            removed = sorted({gone for piece in effect.pieces for gone in piece.excluded})
            if removed:
                return f"every action except {some_of(removed)}"
    methods = [method for _, method in found]
    lifting = [m for m in methods if m in REMOVES_BOUNDARY + SETS_BOUNDARY]
    if lifting:
        verb = "lifts" if lifting[0] in REMOVES_BOUNDARY else "replaces"
        return f"{lifting[0]}, which {verb} it"
    return methods[0]
