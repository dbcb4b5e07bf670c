"""How much a principal can do, in one word a reviewer understands at a glance.

The levels are ordered: a role is summarised by the strongest one any evidence supports.  The
evidence is the role's own policies (judged after Denies and the permissions boundary, as the
permission rules judge them) and the findings every rule raised on it, suppressed ones included:
accepting the risk of an escalation does not make the role less able to escalate.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING

from rolelint.findings import Finding
from rolelint.model import PolicyDocument, PolicyKind, Role, Statement, Value

if TYPE_CHECKING:
    from rolelint.graph.hops import AdminGrant


class Access(str, Enum):
    """From least to most; ``rank`` orders them."""

    NONE = "none"  # no permission policy grants anything (that rolelint can read)
    READ_ONLY = "read-only"  # only Read and List actions
    # The input holds none of its permission policies (Role.unread_permissions): it may do
    # anything, counted as actions rolelint does not know are (scoped), not as nothing.
    UNKNOWN = "unknown"
    SCOPED = "scoped"  # writes, but to named resources
    WRITE_ALL = "write on *"  # a write action on every resource (or all but a few: NotResource)
    ESCALATE = "can escalate"  # can grant itself more (a privilege-escalation method)
    ADMIN = "admin"  # every IAM action on every resource

    @property
    def rank(self) -> int:
        return _ORDER.index(self)


_ORDER = list(Access)

# Findings whose mere presence proves a level, by rule class or rule id.
_EVIDENCE = {
    "admin-access": Access.ADMIN,
    "privilege-escalation": Access.ESCALATE,
    "RL203": Access.WRITE_ALL,  # write access on all resources
    # sts:AssumeRole on every role: a write on every resource.  RL203 leaves it to RL207, so
    # without this the row called a role that can assume any role "scoped" (named resources).
    "RL207": Access.WRITE_ALL,
}


# Why a service-linked role's own policies are left out of its level.
AWS_WRITTEN = (
    "AWS writes the permissions of a service-linked role and nobody can change them: the rules"
    " do not judge them, nor does the access level"
)


@dataclass(frozen=True, slots=True)
class AccessSummary:
    """The level, why (the statement or finding that proves it), how many attached policies
    rolelint could not read (an unknown managed policy ARN): the level is then a lower bound,
    and how many it left out as AWS's text that the rules do not judge (a service-linked
    role's own, see rolelint.graph.hops.judged_permissions)."""

    level: Access
    why: str = ""
    unresolved_policies: int = 0
    aws_written_policies: int = 0

    def display(self) -> str:
        more = []
        if self.unresolved_policies:
            noun = "policy" if self.unresolved_policies == 1 else "policies"
            more.append(f"+{self.unresolved_policies} unread {noun}")
        if self.aws_written_policies:
            noun = "policy" if self.aws_written_policies == 1 else "policies"
            more.append(f"+{self.aws_written_policies} AWS-written {noun}, not judged")
        return f"{self.level.value} ({'; '.join(more)})" if more else self.level.value


def access_of(holder: Role, findings: Iterable[Finding], admin: AdminGrant | None) -> AccessSummary:
    """The access summary of ``holder`` (a role, or a user seen as one with its groups'
    policies).  ``admin`` is what makes ``holder`` admin-level (rolelint.graph.hops.admin_levels,
    as the graph marks it), None when it is not; ``findings`` are those raised on
    it.  A service-linked role's own policies are left out, as the rules and the graph leave
    them out (rolelint.graph.hops.judged_permissions)."""
    from rolelint.graph.hops import judged_permissions

    judged = judged_permissions(holder)
    left_out = sum(1 for d in holder.policies if d.kind is PolicyKind.PERMISSIONS) - len(judged)
    level, why = _from_policies(holder, judged)
    if left_out and level is Access.NONE:
        why = AWS_WRITTEN
    if holder.unread_permissions is not None and level.rank < Access.UNKNOWN.rank:
        level, why = Access.UNKNOWN, holder.unread_permissions
    if admin is not None:
        candidate = Access.ESCALATE if admin.escalation else Access.ADMIN
        if candidate.rank > level.rank:
            level, why = candidate, admin.reason
    for finding in findings:
        proven = _EVIDENCE.get(finding.rule_class) or _EVIDENCE.get(finding.rule_id)
        if proven is not None and proven.rank > level.rank:
            at = f"{finding.location.file}:{finding.location.line}"
            level, why = proven, f"{finding.rule_id} {finding.rule} at {at}"
    return AccessSummary(level, why, len(holder.managed_policy_arns), left_out)


def _from_policies(holder: Role, judged: list[PolicyDocument]) -> tuple[Access, str]:
    """Write on *, scoped, read-only or none, from what the Allow statements grant once the
    Denies and the permissions boundary have had their say (each remainder expanded with the
    catalog's access levels); an action rolelint cannot resolve or does not know counts as a
    write, on named resources.  A NotAction is judged so too, as every action but those it
    lists: a Deny of ``*`` on ``*`` leaves nothing of it, a boundary allowing s3:GetObject on
    one bucket that read alone, and a NotAction of every action (``"*"``) grants none
    (:attr:`~rolelint.checks.effective.Piece.empty`), as the rules judge it.

    A write on ``"*"`` is RL203's finding, the evidence :func:`access_of` reads.  RL203 does not
    judge an Allow with NotResource (RL205 reports it) nor one with NotAction (RL204), yet
    they write on every resource but the listed ones, or on ``"*"``: a write RL203 would
    report that they leave there is "write on *" here, or the row would call a role that may
    delete every bucket but one "scoped".  ``judged`` are the holder's permission policies
    the rules judge."""
    from rolelint.checks.broad_access import may_write
    from rolelint.checks.effective import Piece, remainders, resources_named
    from rolelint.checks.grants import grants_nothing
    from rolelint.checks.iam_match import is_all_actions
    from rolelint.iam_actions import MODIFYING_LEVELS, expand

    scoped = ""  # why the role writes, on named resources at least
    read = ""
    for document in judged:
        for statement in document.statements:
            if not statement.is_allow or grants_nothing(statement) is not None:
                continue  # NotResource "*", an empty NotAction, ...: as the card leaves it out
            every = _on_every_resource(document, statement)
            if scoped and every is None:
                continue  # only a write on every resource (but a few) says more
            if statement.has_not_action and any(v.text is None for v in statement.not_actions):
                scoped = scoped or f"NotAction in {document.origin}"  # what it leaves: unknown
                continue
            resources = _judged_resources(statement)
            for what, text, excluded in _granted(statement):
                if text is None:
                    scoped = scoped or f"{what} in {document.origin}"
                    continue
                if Piece(text, excluded).empty:
                    continue  # every action but all of them: none
                found = remainders(
                    text, resources, document, holder, allow=statement, excluded=excluded
                )
                for kept, effect in found:
                    for piece in effect.pieces:
                        all_actions = is_all_actions(piece.pattern)
                        actions = () if all_actions else expand(piece.pattern)
                        granted = [a for a in actions if piece.grants(a.full_name)]
                        writes = all_actions or any(
                            a.access_levels & MODIFYING_LEVELS for a in granted
                        )
                        # On every resource (but a few), RL203's writes, as on "*", asked
                        # with the statement: its conditions may leave some of them (an S3
                        # request key leaves those whose requests carry it), or none.
                        if every is not None and kept is resources and may_write(piece, statement):
                            on = resources_named(statement, every)
                            return Access.WRITE_ALL, f"{what} on {on} in {document.origin}"
                        if not granted or writes:
                            scoped = scoped or f"{what} in {document.origin}"
                        elif not read:
                            read = f"only Read and List actions ({document.origin})"
    if scoped:
        return Access.SCOPED, scoped
    if read:
        return Access.READ_ONLY, read
    return Access.NONE, ""


def _granted(statement: Statement) -> list[tuple[str, str | None, tuple[str, ...]]]:
    """What an Allow grants, each as the access reason names it, with its action pattern (None
    when not known) and the patterns taken out of it: each Action value, or its NotAction as
    every action less the listed ones (all known: the caller judges no other)."""
    if statement.has_not_action:
        excluded = tuple(v.text for v in statement.not_actions if v.text is not None)
        listed = ", ".join(f"'{v}'" for v in excluded) or "nothing"
        return [(f"every action except {listed}", "*", excluded)]
    return [(f"'{a.display()}'", a.text, ()) for a in statement.actions]


def _judged_resources(statement: Statement) -> list[Value]:
    """The resources an Allow is judged on: its Resource values rolelint resolved; for
    NotResource, a ``"*"`` standing for every resource but the listed ones
    (rolelint.checks.effective.every_resource_but), so that a Deny of ``*`` on ``*`` takes it
    away (none when the list is not known, or lists every resource)."""
    from rolelint.checks.effective import every_resource_but

    if statement.has_not_resource and not statement.resources:
        every_but = every_resource_but(statement)
        return [] if every_but is None else [every_but]
    return [r for r in statement.resources if r.text is not None]


def _on_every_resource(document: PolicyDocument, statement: Statement) -> Value | None:
    """Where a write RL203 would report is "write on *" though RL203 does not judge the
    statement: the ``"*"`` that stands for every resource but the listed ones of an Allow with
    NotResource (rolelint.checks.effective.every_resource_but: None when one of them is not
    known, or is every resource), or the ``"*"`` (or every ARN) of an Allow with NotAction.
    None in AWS's own policy for a service's role, or under a condition that limits what is
    acted on, whatever the action, where RL203 would not call a write on ``"*"`` a write on
    every resource.  A condition that limits some actions only (an S3 request key: those
    whose requests lack it) is asked of each write (rolelint.checks.broad_access.may_write,
    with the statement), as RL203 asks it."""
    from rolelint.checks.effective import every_resource_but
    from rolelint.checks.grant_conditions import limited, tests_request_key
    from rolelint.checks.grants import any_resources

    if document.service_role_policy:
        return None
    if limited(statement) and not tests_request_key(statement):
        return None
    if statement.has_not_action and not statement.has_not_resource:
        return next(iter(any_resources(statement)), None)
    return every_resource_but(statement)
