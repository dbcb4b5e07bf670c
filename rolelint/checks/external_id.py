"""Cross-account trust and its ExternalId (RL102)."""

from __future__ import annotations

from collections.abc import Iterator

from rolelint.checks.base import Hit, check
from rolelint.checks.iam_match import (
    concrete_values,
    find_conditions,
    has_unresolved_condition,
    has_wildcard,
    literal_account,
    statement_grants,
)
from rolelint.checks.trust_common import (
    ASSUME_ROLE,
    policy_words,
    role_id,
    trust_key,
    trust_statements,
)
from rolelint.model import Inventory, PrincipalKind, Statement

EXTERNAL_ID = "sts:ExternalId"


# --- RL102 ----------------------------------------------------------------------------------------


def _has_external_id(statement: Statement) -> bool:
    return any(
        condition.operator.lower() == "stringequals" and concrete_values(condition)
        for condition in find_conditions(statement, (EXTERNAL_ID,))
    )


@check("RL102")
def cross_account_trust_without_external_id(inventory: Inventory) -> Iterator[Hit]:
    for document, role, statement in trust_statements(inventory):
        if (
            not statement_grants(statement, ASSUME_ROLE)
            or _has_external_id(statement)
            or has_unresolved_condition(statement)
        ):
            continue
        for principal in statement.principals:
            if principal.kind is not PrincipalKind.AWS:
                continue
            account = literal_account(principal.value)
            if account is None or has_wildcard(principal.value.text or ""):
                continue
            yield Hit(
                "RL102",
                f"{policy_words(role)} lets account {account} "
                f"('{principal.value.text}') assume the role without an sts:ExternalId condition",
                principal.value.ref,
                document.resource,
                trust_key(document, principal.value.display()),
                role=role_id(role),
            )
