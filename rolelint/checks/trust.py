"""Trust open to anyone (RL101), judged by who can really satisfy the statement.

``"Principal": "*"`` under an effective ``aws:PrincipalOrgID`` condition admits only the
organization's accounts and is not reported; under ``aws:SecureTransport`` it admits anyone with
TLS, which is everyone, and is reported as critical with the condition named as irrelevant.
"""

from __future__ import annotations

from collections.abc import Iterator

from rolelint.checks.base import Hit, check
from rolelint.checks.iam_match import statement_grants
from rolelint.checks.principals import Who, typed
from rolelint.checks.trust_common import (
    ASSUME_ACTIONS,
    policy_words,
    role_id,
    trust_key,
    trust_statements,
)
from rolelint.checks.trust_conditions import Grade, Graded, Scope, scope_of
from rolelint.findings import Severity
from rolelint.model import Inventory, Principal, Statement


def _open_principals(statement: Statement) -> Iterator[tuple[Principal, str]]:
    """Principals that admit anyone, with how the message describes them."""
    for principal in statement.principals:
        kind = typed(principal)
        if kind.who is not Who.EVERYONE:
            continue
        if kind.text == "*" and principal.kind.value == "*":
            yield principal, "anyone (Principal '*')"
        elif kind.text == "*":
            yield principal, "any AWS principal ('*')"
        else:
            yield principal, f"any AWS principal ('{kind.text}': any account)"
    if statement.not_principals:
        yield statement.not_principals[0], "every principal except those in NotPrincipal"


def _verdict(scope: Scope) -> tuple[str, Severity | None] | None:
    """What the message says about the conditions, and the severity; None when scoped."""
    if scope.scoped:
        return None
    if scope.unknown:
        # A condition rolelint cannot read may be the one that limits it: never a guess.
        return "; only a condition rolelint cannot resolve may limit who can use it", Severity.INFO
    weak = scope.of(Grade.WEAK)
    if weak and all(_only_unresolved(g) for g in weak):
        # The template leaves the limit to whoever deploys it: worth knowing, not a verdict.
        return f"; {scope.explain()}", Severity.LOW
    return f"; {scope.explain()}", None


def _only_unresolved(graded: Graded) -> bool:
    values = graded.condition.values
    return bool(values) and all(value.text is None for value in values)


@check("RL101")
def trust_policy_allows_anyone(inventory: Inventory) -> Iterator[Hit]:
    for document, role, statement in trust_statements(inventory):
        action = next((a for a in ASSUME_ACTIONS if statement_grants(statement, a)), None)
        if action is None:
            continue
        found = list(_open_principals(statement))
        if not found:
            continue
        verdict = _verdict(scope_of(statement, document.statements, action))
        if verdict is None:
            continue
        tail, severity = verdict
        for principal, who in found:
            yield Hit(
                "RL101",
                f"{policy_words(role)} allows {who} to assume the role{tail}",
                principal.value.ref,
                document.resource,
                trust_key(document, principal.kind.value, principal.value.display()),
                role=role_id(role),
                severity=severity,
            )
