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
from rolelint.model import PolicyKind, Role

if TYPE_CHECKING:
    from rolelint.graph.hops import AdminGrant


class Access(str, Enum):
    """From least to most; ``rank`` orders them."""

    NONE = "none"  # no permission policy grants anything (that rolelint can read)
    READ_ONLY = "read-only"  # only Read and List actions
    SCOPED = "scoped"  # writes, but to named resources
    WRITE_ALL = "write on *"  # a write action on every resource
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


@dataclass(frozen=True, slots=True)
class AccessSummary:
    """The level, why (the statement or finding that proves it), and how many attached policies
    rolelint could not read (an unknown managed policy ARN): the level is then a lower bound."""

    level: Access
    why: str = ""
    unresolved_policies: int = 0

    def display(self) -> str:
        if self.unresolved_policies:
            noun = "policy" if self.unresolved_policies == 1 else "policies"
            return f"{self.level.value} (+{self.unresolved_policies} unread {noun})"
        return self.level.value


def access_of(holder: Role, findings: Iterable[Finding], admin: AdminGrant | None) -> AccessSummary:
    """The access summary of ``holder`` (a role, or a user seen as one with its groups'
    policies).  ``admin`` is what makes it admin-level (rolelint.graph.hops.admin_grant), None
    when it is not; ``findings`` are those raised on it."""
    level, why = _from_policies(holder)
    if admin is not None:
        candidate = Access.ESCALATE if admin.escalation else Access.ADMIN
        if candidate.rank > level.rank:
            level, why = candidate, admin.reason
    for finding in findings:
        proven = _EVIDENCE.get(finding.rule_class) or _EVIDENCE.get(finding.rule_id)
        if proven is not None and proven.rank > level.rank:
            at = f"{finding.location.file}:{finding.location.line}"
            level, why = proven, f"{finding.rule_id} {finding.rule} at {at}"
    return AccessSummary(level, why, len(holder.managed_policy_arns))


def _from_policies(holder: Role) -> tuple[Access, str]:
    """Read-only, scoped or none, from what the Allow statements grant once the Denies and the
    permissions boundary have had their say (each remainder expanded with the catalog's access
    levels); an action rolelint cannot resolve or does not know counts as a write."""
    from rolelint.checks.effective import remainders
    from rolelint.checks.iam_match import is_all_actions
    from rolelint.iam_actions import MODIFYING_LEVELS, expand

    level = Access.NONE
    why = ""
    for document in holder.policies:
        if document.kind is not PolicyKind.PERMISSIONS:
            continue
        for statement in document.statements:
            if not statement.is_allow:
                continue
            if statement.has_not_action:
                return Access.SCOPED, f"NotAction in {document.origin}"
            resources = [r for r in statement.resources if r.text is not None]
            for action in statement.actions:
                if action.text is None:
                    return Access.SCOPED, f"'{action.display()}' in {document.origin}"
                found = remainders(action.text, resources, document, holder, allow=statement)
                for piece in (piece for _, effect in found for piece in effect.pieces):
                    actions = () if is_all_actions(piece.pattern) else expand(piece.pattern)
                    granted = [a for a in actions if piece.grants(a.full_name)]
                    if not granted or any(a.access_levels & MODIFYING_LEVELS for a in granted):
                        return Access.SCOPED, f"'{action.text}' in {document.origin}"
                    if level is Access.NONE:
                        level, why = (
                            Access.READ_ONLY,
                            f"only Read and List actions ({document.origin})",
                        )
    return level, why
