"""The risk score that orders the role inventory, most dangerous first.

A role is dangerous when the wrong party can assume it (exposure), when it can do a lot once
assumed (access), when it leads to a more powerful role (reach), and when the rules found
problems on it (findings).  The score is the sum of one term for each, every term a table lookup
a reviewer can check by hand (docs/audit.md lists them).  Every term is non-negative and the
findings term is a plain sum, so adding a finding never lowers the score; the access term only
ever rises with more evidence.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rolelint.audit.access import Access
from rolelint.findings import Finding, Severity

ACCESS_POINTS = {
    Access.NONE: 0,
    Access.READ_ONLY: 2,
    Access.UNKNOWN: 5,  # as scoped: actions rolelint does not know
    Access.SCOPED: 5,
    Access.WRITE_ALL: 20,
    Access.ESCALATE: 30,
    Access.ADMIN: 40,
}
# Who can assume the role; the worst party counts.  "Open" means no condition limits who
# among that party may assume it.
EXPOSURE_POINTS = {
    "anyone, open": 40,
    "outside, open": 30,
    "anyone, conditioned": 15,
    "outside, conditioned": 10,
    "own account": 5,
    "service": 2,
    # A principal or a whole trust policy rolelint cannot read: never counted as dangerous (it
    # may be anyone or nobody), but said, so that a 0 is not read as "nobody can assume it".
    "unresolved": 0,
    "nobody": 0,
}
REACH_ADMIN_POINTS = 10  # can reach, by chaining, a role with admin-level access
FINDING_POINTS = {
    Severity.CRITICAL: 25,
    Severity.HIGH: 10,
    Severity.MEDIUM: 4,
    Severity.LOW: 1,
    Severity.INFO: 0,
}


@dataclass(frozen=True, slots=True)
class Risk:
    """The score and its terms, so every report can say where the number comes from."""

    exposure: int
    access: int
    reach: int
    findings: int

    @property
    def score(self) -> int:
        return self.exposure + self.access + self.reach + self.findings


def risk_of(
    exposure: str, access: Access, reaches_admin: bool, findings: Iterable[Finding]
) -> Risk:
    """The risk of a role; ``findings`` are its active (not suppressed) findings."""
    return Risk(
        exposure=EXPOSURE_POINTS[exposure],
        access=ACCESS_POINTS[access],
        reach=REACH_ADMIN_POINTS if reaches_admin else 0,
        findings=sum(FINDING_POINTS[finding.severity] for finding in findings),
    )
