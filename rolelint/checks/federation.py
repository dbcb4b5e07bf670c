"""Federated trust: OIDC and SAML providers and the claims that must be pinned (RL103, RL104)."""

from __future__ import annotations

from collections.abc import Iterator

from rolelint.checks.base import Hit, check
from rolelint.checks.iam_match import (
    find_conditions,
    has_unresolved_condition,
    has_wildcard,
    statement_grants,
)
from rolelint.checks.principals import OIDC_MARKER, SAML_MARKER
from rolelint.checks.trust_common import (
    ASSUME_SAML,
    ASSUME_WEB_IDENTITY,
    policy_words,
    role_id,
    trust_key,
    trust_statements,
)
from rolelint.model import Condition, Inventory, PrincipalKind

GITHUB_HOST = "token.actions.githubusercontent.com"
# Providers whose tokens are scoped by the application (identity pool, client id), not the subject.
APPLICATION_CLAIMS = {
    "cognito-identity.amazonaws.com": "aud",
    "accounts.google.com": "aud",
    "graph.facebook.com": "app_id",
    "www.amazon.com": "app_id",
}


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
    for document, role, statement in trust_statements(inventory):
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
                    f"{policy_words(role)} lets any identity of OIDC provider "
                    f"'{host}' assume the role: no condition on '{key}'",
                    principal.value.ref,
                    document.resource,
                    trust_key(document, text, claim),
                    role=role_id(role),
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
                        f"{policy_words(role)} accepts '{key}' value '{broad[0].text}', "
                        "which admits tokens of any owner",
                        broad[0].ref,  # the offending value, not the condition key
                        document.resource,
                        trust_key(document, text, claim, broad[0].text or ""),
                        role=role_id(role),
                    )


# --- RL104 ----------------------------------------------------------------------------------------


@check("RL104")
def saml_trust_without_audience(inventory: Inventory) -> Iterator[Hit]:
    for document, role, statement in trust_statements(inventory):
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
                    f"{policy_words(role)} accepts SAML assertions from "
                    f"'{text.split(SAML_MARKER, 1)[1]}' without a SAML:aud condition",
                    principal.value.ref,
                    document.resource,
                    trust_key(document, text),
                    role=role_id(role),
                )
