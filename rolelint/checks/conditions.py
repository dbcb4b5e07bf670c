"""Conditions that can never be met by the actions they guard (RL611).

A service condition key the request does not carry is simply absent, and a positive operator
(StringEquals, ArnLike ...) on an absent key is false: the statement never applies.  An Allow
written that way grants nothing; a Deny written that way denies nothing, which is worse, because
the protection the author meant is not there.  The AWS action catalog says which keys each action
carries; rolelint judges only what the catalog makes certain.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from rolelint.checks.base import Hit, check, policy_subject
from rolelint.findings import Severity
from rolelint.model import Condition, Inventory, PolicyDocument, Statement

_NEGATED = ("stringnot", "arnnot", "numericnot", "datenot", "notipaddress")


def _positive(condition: Condition) -> bool:
    """An operator that is false when the key is absent (not IfExists, not negated, not Null)."""
    base = condition.base_operator.lower()
    return not condition.if_exists and base != "null" and not base.startswith(_NEGATED)


def _single_service(statement: Statement) -> str | None:
    """The one service of a statement whose actions are all literal and in the catalog."""
    from rolelint import iam_actions

    services: set[str] = set()
    for action in statement.actions:
        text = action.text
        if text is None or any(c in text for c in "*?") or iam_actions.lookup(text) is None:
            return None
        services.add(text.split(":", 1)[0].lower())
    return services.pop() if len(services) == 1 else None


def _problem(statement: Statement, condition: Condition, service: str) -> str | None:
    from rolelint import iam_actions

    key = condition.key.lower()
    prefix = key.split(":", 1)[0]
    if prefix != service or "/" in key or "$" in key or "<" in key:
        return None  # global keys, tag templates and other services' keys are not judged
    defined = iam_actions.service_condition_keys(service)
    if not defined:
        return None
    if key not in defined:
        names = [k for k in defined if "/" not in k]
        close = difflib.get_close_matches(key, names, n=1, cutoff=0.8)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        return f"'{condition.key}' is not a condition key of {service}{hint}"
    actions = [iam_actions.lookup(a.text or "") for a in statement.actions]
    if any(action is not None and key in action.condition_keys for action in actions):
        return None
    listed = ", ".join(a.full_name for a in actions if a is not None)
    return f"'{condition.key}' is never present in requests for {listed}"


def _statements(inventory: Inventory) -> Iterator[tuple[PolicyDocument, Statement]]:
    for document in inventory.all_policies():
        for statement in document.statements:
            if statement.conditions and statement.actions and not statement.not_actions:
                yield document, statement


@check("RL611")
def condition_never_met(inventory: Inventory) -> Iterator[Hit]:
    for document, statement in _statements(inventory):
        service = _single_service(statement)
        if service is None:
            continue
        for condition in statement.conditions:
            if not _positive(condition):
                continue
            problem = _problem(statement, condition, service)
            if problem is None:
                continue
            deny = statement.is_deny
            effect = "this Deny never applies" if deny else "this statement never applies"
            subject = policy_subject(document)
            yield Hit(
                "RL611",
                f"{subject} has a condition that cannot be met: {problem}, and "
                f"{condition.operator} is false without it, so {effect}",
                condition.ref,
                document.resource,
                f"condition-never-met|{document.origin}|{condition.operator}|{condition.key}",
                severity=Severity.HIGH if deny else None,
            )
