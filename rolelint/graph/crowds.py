"""Crowds: many principals allowed sts:AssumeRole on every role, many roles open to them.

A principal allowed ``sts:AssumeRole`` on ``"*"`` can assume every role whose trust policy
admits its account root (or anyone).  When an account has many of both, drawing each hop would
take (callers x roles) edges and findings: 30,000 roles of one generated repository made
hundreds of millions of them, and a report nobody can read.  One node per account stands in for
them: each caller gets one edge into the crowd, each open role one edge out of it, and the
chaining rules report one finding per caller instead of one per role.

Only hops that hold the same for every caller of the account go through a crowd: the caller has
no Deny and no permissions boundary (nothing can take the grant away for one target and not
another), and the role's trust policy has no Deny and no condition that depends on who calls
(``aws:Principal...`` keys, session tags, a source identity).  Every other hop is still judged
one by one.  Small accounts (fewer than :data:`CROWD_MIN_PAIRS` hops) keep their hops: a crowd
is for scale.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from rolelint.checks.iam_match import is_all_wildcards, parse_arn
from rolelint.graph.hops import (
    Candidate,
    any_requires_session_values,
    assume_statements,
    principal_admits,
    statement_indexes,
)
from rolelint.model import THIS_ACCOUNT, PrincipalKind, Role, Statement, Value

# Callers x open roles of one account from which their hops are drawn through a crowd.
CROWD_MIN_PAIRS = 5000


@dataclass(frozen=True, slots=True)
class CrowdMember:
    """An open role and the trust-policy principal that admits every caller of the account."""

    role: Role
    principal: Value
    how: str  # "its account root ('arn:aws:iam::123456789012:root')", "anyone ('*')"
    statement: int | None = None  # its index in the role's trust policy (see Edge.statement)


@dataclass(slots=True)
class Crowd:
    account: str
    members: list[CrowdMember] = field(default_factory=list)
    member_ids: set[int] = field(default_factory=set)  # id() of the members' roles

    @property
    def node_id(self) -> str:
        return f"crowd:{self.account}"

    @property
    def label(self) -> str:
        where = "this account" if self.account == THIS_ACCOUNT else f"account {self.account}"
        return f"every role open to {where}"


def covers_every_role(candidate: Candidate) -> bool:
    """A Resource that names every role of every account: ``*``, or a role ARN pattern whose
    account and name are wildcards (``arn:aws:iam::*:role/*``); not every resource but a few
    (NotResource), which may leave out some roles."""
    if candidate.except_for:
        return False
    text = candidate.resource.text or ""
    if is_all_wildcards(text):
        return True
    parsed = parse_arn(text)
    return (
        parsed is not None
        and parsed.service in ("iam", "*")
        and is_all_wildcards(parsed.account)
        and parsed.resource in ("*", "role/*", "role*")
    )


_CALLER_KEYS = ("aws:principal",)


def _depends_on_caller(statement: Statement) -> bool:
    return any(c.key.lower().startswith(_CALLER_KEYS) for c in statement.conditions) or (
        any_requires_session_values([statement])
    )


def open_admission(role: Role, caller_arn: str) -> tuple[Value, str, int | None] | None:
    """The principal of ``role``'s trust policy that admits every caller of ``caller_arn``'s
    account alike (``"*"``, the account id or its root), with how and the index of its
    statement; None when the admission depends on the caller, or there is none."""
    if role.arn.text is None:
        return None
    statements = assume_statements(role)
    if any(s.is_deny or _depends_on_caller(s) for s in statements):
        return None
    for statement in statements:
        for principal in statement.principals:
            text = principal.value.text
            if text is None or principal.kind not in (PrincipalKind.AWS, PrincipalKind.ANYONE):
                continue
            if text != "*" and not text.endswith(":root") and not _is_account(text):
                continue
            how = principal_admits(text, caller_arn)
            if how is not None:
                return principal.value, how, statement_indexes(role).get(id(statement))
    return None


def _is_account(text: str) -> bool:
    return text == THIS_ACCOUNT or (len(text) == 12 and text.isdigit())


def form_crowd(account: str, caller_arn: str, callers: int, pool: Sequence[Role]) -> Crowd | None:
    """The crowd of ``account`` from the roles of ``pool`` that admit its callers alike; None
    when ``callers`` x those roles stays under :data:`CROWD_MIN_PAIRS`."""
    crowd = Crowd(account)
    for role in pool:
        if id(role) in crowd.member_ids:
            continue
        admitted = open_admission(role, caller_arn)
        if admitted is not None:
            crowd.members.append(CrowdMember(role, *admitted))
            crowd.member_ids.add(id(role))
    if len(crowd.members) < 2 or callers * len(crowd.members) < CROWD_MIN_PAIRS:
        return None  # a crowd of one role is one hop per caller anyway
    return crowd
