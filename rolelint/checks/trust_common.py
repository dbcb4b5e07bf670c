"""What every trust rule needs: the Allow statements of trust policies and how to name them."""

from __future__ import annotations

from collections.abc import Iterator

from rolelint.checks.base import Hit, on_text_of, policy_subject
from rolelint.checks.iam_match import statement_grants
from rolelint.model import Inventory, PolicyDocument, PolicyKind, Principal, Role, Statement

ASSUME_ROLE = "sts:AssumeRole"
ASSUME_WEB_IDENTITY = "sts:AssumeRoleWithWebIdentity"
ASSUME_SAML = "sts:AssumeRoleWithSAML"
ASSUME_ACTIONS = (ASSUME_ROLE, ASSUME_WEB_IDENTITY, ASSUME_SAML)
# How IAM refuses a policy whose principal it cannot read.
INVALID_PRINCIPAL = 'MalformedPolicyDocument "Invalid principal in policy"'


def assume_actions(statement: Statement) -> list[str]:
    """The assume actions ``statement`` grants, in ASSUME_ACTIONS order.  Each must be judged on
    its own: a Deny of the policy may refuse callers of one and leave another open."""
    return [action for action in ASSUME_ACTIONS if statement_grants(statement, action)]


def editable_trust_policies(inventory: Inventory) -> Iterator[tuple[PolicyDocument, Role | None]]:
    """Every trust policy whose owner can change it, with its role: not a service-linked
    role's, which AWS writes and nobody can modify, so a finding about it could not be fixed
    (an account export lists dozens)."""
    for document, role in inventory.trust_policies():
        if role is None or not role.service_linked:
            yield document, role


def trust_statements(
    inventory: Inventory,
) -> Iterator[tuple[PolicyDocument, Role | None, Statement]]:
    """Every Allow statement of every trust policy its owner can change, with its role."""
    for document, role in editable_trust_policies(inventory):
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


def written_statements(
    inventory: Inventory,
) -> Iterator[tuple[PolicyDocument, Role | None, str, Statement, tuple[Role, ...]]]:
    """Every statement of every policy whose text is in the scanned files (trust policies,
    resource policies, and permission policies), with the policy's role when it is a trust
    policy, how a message names the policy, and the roles holding it when it is a permission
    policy or a boundary (:func:`naming_holders`)."""
    documents: list[tuple[PolicyDocument, Role | None, tuple[Role, ...]]] = [
        (document, role, ()) for document, role in editable_trust_policies(inventory)
    ]
    documents += [
        (document, None, roles)
        for document, roles in inventory.written_policies_with_roles()
        if document.kind is not PolicyKind.TRUST
    ]
    for document, role, holders in documents:
        subject = policy_words(role) if role is not None else policy_subject(document)
        for statement in document.statements:
            yield document, role, subject, statement, holders


def written_principals(
    inventory: Inventory,
) -> Iterator[tuple[PolicyDocument, Role | None, str, Statement, Principal, tuple[Role, ...]]]:
    """Every principal of every statement :func:`written_statements` gives (of trust policies,
    resource policies, and the permission policies IAM rejects a principal in), with what it
    gives for the statement."""
    for document, role, subject, statement, holders in written_statements(inventory):
        for principal in (*statement.principals, *statement.not_principals):
            yield document, role, subject, statement, principal, holders


def naming_holders(hit: Hit, holders: tuple[Role, ...], document: PolicyDocument) -> Hit:
    """``hit``, on a principal of ``document``, a permission policy or a boundary, naming the
    roles that hold the policy (as base.on_text_of); one on a trust policy names its role
    already."""
    return on_text_of(hit, holders, document) if holders else hit
