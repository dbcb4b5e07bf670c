"""Trust-policy rules: who may assume a role (RL101-RL104)."""

from __future__ import annotations

from collections.abc import Iterator

from rolelint.checks.base import Hit, check
from rolelint.checks.iam_match import (
    concrete_values,
    find_conditions,
    has_unresolved_condition,
    has_wildcard,
    is_wildcard_principal,
    literal_account,
    statement_grants,
)
from rolelint.findings import Severity
from rolelint.model import (
    Condition,
    Inventory,
    PolicyDocument,
    Principal,
    PrincipalKind,
    Role,
    Statement,
)

ASSUME_ROLE = "sts:AssumeRole"
ASSUME_WEB_IDENTITY = "sts:AssumeRoleWithWebIdentity"
ASSUME_SAML = "sts:AssumeRoleWithSAML"

EXTERNAL_ID = "sts:ExternalId"
# Condition keys that tie an otherwise open trust to one organization, account, caller or secret.
SCOPING_KEYS = (
    "aws:PrincipalOrgID",
    "aws:PrincipalOrgPaths",
    "aws:PrincipalAccount",
    "aws:PrincipalArn",
    "aws:SourceAccount",
    "aws:SourceArn",
    "aws:SourceOrgID",
    EXTERNAL_ID,
)
_SCOPING_OPERATORS = frozenset(
    {"stringequals", "stringequalsignorecase", "stringlike", "arnequals", "arnlike"}
)

GITHUB_HOST = "token.actions.githubusercontent.com"
# Providers whose tokens are scoped by the application (identity pool, client id), not the subject.
APPLICATION_CLAIMS = {
    "cognito-identity.amazonaws.com": "aud",
    "accounts.google.com": "aud",
    "graph.facebook.com": "app_id",
    "www.amazon.com": "app_id",
}
OIDC_MARKER = ":oidc-provider/"
SAML_MARKER = ":saml-provider/"


def _trusts(inventory: Inventory) -> Iterator[tuple[PolicyDocument, Role | None, Statement]]:
    """Every Allow statement of every trust policy, with its role."""
    for document, role in inventory.trust_policies():
        for statement in document.statements:
            if statement.is_allow:
                yield document, role, statement


def _policy(role: Role | None) -> str:
    """How a message names the trust policy."""
    return f"Trust policy of role {role.id}" if role is not None else "The trust policy"


def _role_id(role: Role | None) -> str | None:
    return role.id if role is not None else None


def _key(document: PolicyDocument, *parts: str) -> str:
    return "|".join((document.origin, *parts))


# --- RL101 ----------------------------------------------------------------------------------------


def _scopes(condition: Condition) -> bool:
    """A condition that limits an open trust to known callers: positive, mandatory, concrete."""
    if condition.if_exists or condition.operator.lower().startswith("forallvalues:"):
        return False
    operator = condition.base_operator.lower()
    if condition.key.lower() == EXTERNAL_ID.lower():
        return operator == "stringequals" and concrete_values(condition)
    return operator in _SCOPING_OPERATORS and concrete_values(condition)


def _scoping_condition(statement: Statement) -> Condition | None:
    return next((c for c in find_conditions(statement, SCOPING_KEYS) if _scopes(c)), None)


def _open_principals(statement: Statement) -> Iterator[tuple[Principal, str]]:
    """Principals that admit anyone, with how the message describes them."""
    for principal in statement.principals:
        text = principal.value.text
        if text is None:
            continue
        if principal.kind is PrincipalKind.ANYONE:
            yield principal, "anyone (Principal '*')"
        elif principal.kind is PrincipalKind.AWS and is_wildcard_principal(text):
            yield principal, f"any AWS principal ('{text}')"


@check("RL101")
def trust_policy_allows_anyone(inventory: Inventory) -> Iterator[Hit]:
    for document, role, statement in _trusts(inventory):
        if not (
            statement_grants(statement, ASSUME_ROLE)
            or statement_grants(statement, ASSUME_WEB_IDENTITY)
            or statement_grants(statement, ASSUME_SAML)
        ):
            continue
        found: list[tuple[Principal, str]] = list(_open_principals(statement))
        if statement.not_principals:
            first = statement.not_principals[0]
            found.append((first, "every principal except those in NotPrincipal"))
        scope = _scoping_condition(statement)
        unresolved = has_unresolved_condition(statement)
        for principal, who in found:
            if scope is None and unresolved:
                # A condition rolelint cannot read may be the one that limits it: never a guess.
                tail = "; only a condition rolelint cannot resolve may limit who can use it"
                severity = Severity.INFO
            elif scope is None:
                tail = "; no condition limits who can use it"
                severity = None
            else:
                tail = f"; only condition {scope.operator} {scope.key} limits who can use it"
                severity = Severity.INFO
            yield Hit(
                "RL101",
                f"{_policy(role)} allows {who} to assume the role{tail}",
                principal.value.ref,
                document.resource,
                _key(document, principal.kind.value, principal.value.display()),
                role=_role_id(role),
                severity=severity,
            )


# --- RL102 ----------------------------------------------------------------------------------------


def _has_external_id(statement: Statement) -> bool:
    return any(
        condition.operator.lower() == "stringequals" and concrete_values(condition)
        for condition in find_conditions(statement, (EXTERNAL_ID,))
    )


@check("RL102")
def cross_account_trust_without_external_id(inventory: Inventory) -> Iterator[Hit]:
    for document, role, statement in _trusts(inventory):
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
                f"{_policy(role)} lets account {account} "
                f"('{principal.value.text}') assume the role without an sts:ExternalId condition",
                principal.value.ref,
                document.resource,
                _key(document, principal.value.display()),
                role=_role_id(role),
            )


# --- RL103 ----------------------------------------------------------------------------------------


def _oidc_host(text: str) -> str | None:
    """The provider host of an OIDC federated principal (ARN or bare host); None otherwise."""
    if OIDC_MARKER in text:
        return text.split(OIDC_MARKER, 1)[1]
    if not text.startswith("arn:") and "." in text:
        return text
    return None


def _mandatory(condition: Condition) -> bool:
    """A condition that must hold: not IfExists, not a negation."""
    return not condition.if_exists and "not" not in condition.base_operator.lower()


def _broad_subject(host: str, text: str) -> bool:
    """A ``sub`` value that admits tokens of any owner."""
    if text and set(text) <= {"*", "?"}:
        return True
    if host.lower() != GITHUB_HOST:
        return False
    lowered = text.lower()
    if not lowered.startswith("repo:"):
        return has_wildcard(text.split(":", 1)[0])
    owner = text[len("repo:") :].split("/", 1)[0]
    return owner == "" or has_wildcard(owner)


@check("RL103")
def oidc_trust_without_subject(inventory: Inventory) -> Iterator[Hit]:
    for document, role, statement in _trusts(inventory):
        if not statement_grants(statement, ASSUME_WEB_IDENTITY):
            continue
        for principal in statement.principals:
            text = principal.value.text
            if principal.kind is not PrincipalKind.FEDERATED or text is None:
                continue
            host = _oidc_host(text)
            if host is None:
                continue
            claim = APPLICATION_CLAIMS.get(host.lower(), "sub")
            key = f"{host}:{claim}"
            conditions = [c for c in find_conditions(statement, (key,)) if _mandatory(c)]
            if not conditions and not has_unresolved_condition(statement):
                yield Hit(
                    "RL103",
                    f"{_policy(role)} lets any identity of OIDC provider "
                    f"'{host}' assume the role: no condition on '{key}'",
                    principal.value.ref,
                    document.resource,
                    _key(document, text, claim),
                    role=_role_id(role),
                )
                continue
            for condition in conditions:
                broad = [
                    v
                    for v in condition.values
                    if v.text is not None and _broad_subject(host, v.text)
                ]
                if broad:
                    yield Hit(
                        "RL103",
                        f"{_policy(role)} accepts '{key}' value '{broad[0].text}', "
                        "which admits tokens of any owner",
                        broad[0].ref,  # the offending value, not the condition key
                        document.resource,
                        _key(document, text, claim, broad[0].text or ""),
                        role=_role_id(role),
                    )


# --- RL104 ----------------------------------------------------------------------------------------


@check("RL104")
def saml_trust_without_audience(inventory: Inventory) -> Iterator[Hit]:
    for document, role, statement in _trusts(inventory):
        if not statement_grants(statement, ASSUME_SAML):
            continue
        if has_unresolved_condition(statement) or any(
            _mandatory(c) for c in find_conditions(statement, ("SAML:aud",))
        ):
            continue
        for principal in statement.principals:
            text = principal.value.text
            if principal.kind is PrincipalKind.FEDERATED and text and SAML_MARKER in text:
                yield Hit(
                    "RL104",
                    f"{_policy(role)} accepts SAML assertions from "
                    f"'{text.split(SAML_MARKER, 1)[1]}' without a SAML:aud condition",
                    principal.value.ref,
                    document.resource,
                    _key(document, text),
                    role=_role_id(role),
                )
