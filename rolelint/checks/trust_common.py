"""What every trust rule needs: the Allow statements of trust policies and how to name them."""

from __future__ import annotations

from collections.abc import Iterator

from rolelint.model import Inventory, PolicyDocument, Role, Statement

ASSUME_ROLE = "sts:AssumeRole"
ASSUME_WEB_IDENTITY = "sts:AssumeRoleWithWebIdentity"
ASSUME_SAML = "sts:AssumeRoleWithSAML"
ASSUME_ACTIONS = (ASSUME_ROLE, ASSUME_WEB_IDENTITY, ASSUME_SAML)


def trust_statements(
    inventory: Inventory,
) -> Iterator[tuple[PolicyDocument, Role | None, Statement]]:
    """Every Allow statement of every trust policy, with its role."""
    for document, role in inventory.trust_policies():
        for statement in document.statements:
            if statement.is_allow:
                yield document, role, statement


def policy_words(role: Role | None) -> str:
    """How a message names the trust policy."""
    return f"Trust policy of role {role.id}" if role is not None else "The trust policy"


def role_id(role: Role | None) -> str | None:
    return role.id if role is not None else None


def trust_key(document: PolicyDocument, *parts: str) -> str:
    return "|".join((document.origin, *parts))
