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
    write, on named resources.

    A write on ``"*"`` is RL203's finding, the evidence :func:`access_of` reads.  RL203 does not
    judge an Allow with NotResource (RL205 reports it), yet it writes on every resource but the
    listed ones: a write it leaves there is "write on *" here, or the row would call a role
    that may delete every bucket but one "scoped".  ``judged`` are the holder's permission
    policies the rules judge."""
    from rolelint.checks.broad_access import may_write
    from rolelint.checks.effective import remainders, resources_named
    from rolelint.checks.iam_match import is_all_actions
    from rolelint.iam_actions import MODIFYING_LEVELS, expand

    scoped = ""  # why the role writes, on named resources at least
    read = ""
    for document in judged:
        for statement in document.statements:
            if not statement.is_allow:
                continue
            every_but = _every_resource_but(document, statement)
            if scoped and every_but is None:
                continue  # only a write on every resource but a few says more
            if statement.has_not_action:
                scoped = scoped or f"NotAction in {document.origin}"
                continue
            if every_but is not None:
                resources = [every_but]
            else:
                resources = [r for r in statement.resources if r.text is not None]
            for action in statement.actions:
                if action.text is None:
                    scoped = scoped or f"'{action.display()}' in {document.origin}"
                    continue
                found = remainders(action.text, resources, document, holder, allow=statement)
                for kept, effect in found:
                    for piece in effect.pieces:
                        every = is_all_actions(piece.pattern)
                        actions = () if every else expand(piece.pattern)
                        granted = [a for a in actions if piece.grants(a.full_name)]
                        writes = every or any(a.access_levels & MODIFYING_LEVELS for a in granted)
                        # On every resource but a few, RL203's writes, as on "*", asked with
                        # the statement: its conditions may leave some of them (an S3 request
                        # key leaves those whose requests carry it), or none.
                        if (
                            every_but is not None
                            and kept is resources
                            and may_write(piece, statement)
                        ):
                            on = resources_named(statement, every_but)
                            return Access.WRITE_ALL, f"'{action.text}' on {on} in {document.origin}"
                        if not granted or writes:
                            scoped = scoped or f"'{action.text}' in {document.origin}"
                        elif not read:
                            read = f"only Read and List actions ({document.origin})"
    if scoped:
        return Access.SCOPED, scoped
    if read:
        return Access.READ_ONLY, read
    return Access.NONE, ""


def _every_resource_but(document: PolicyDocument, statement: Statement) -> Value | None:
    """The ``"*"`` that stands for every resource but the listed ones of an Allow with
    NotResource (rolelint.checks.effective.every_resource_but: None when one of them is not
    known, or is every resource), unless RL203 would not call a write on ``"*"`` there a write
    on every resource: in AWS's own policy for a service's role, or under a condition that
    limits what is acted on, whatever the action.  A condition that limits some actions only
    (an S3 request key: those whose requests lack it) is asked of each write
    (rolelint.checks.broad_access.may_write, with the statement), as RL203 asks it."""
    from rolelint.checks.effective import every_resource_but
    from rolelint.checks.grant_conditions import limited, tests_request_key

    if document.service_role_policy:
        return None
    if limited(statement) and not tests_request_key(statement):
        return None
    return every_resource_but(statement)
