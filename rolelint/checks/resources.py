"""Actions paired with resources they cannot act on (RL612).

``s3:GetObject`` on ``arn:aws:s3:::reports`` (a bucket, not an object) grants nothing: the
classic reason a role "has the permission" and still gets AccessDenied, and, in a Deny, the reason
an object is not protected.  The AWS action catalog lists the resource types each action acts on
and the ARN format of each; rolelint reports a pairing only when the catalog makes it certain:
literal actions it knows, and resources without wildcards or values it cannot resolve.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from rolelint.checks.base import Hit, check, policy_subject
from rolelint.checks.iam_match import parse_arn
from rolelint.findings import Severity
from rolelint.model import THIS_ACCOUNT, THIS_REGION, Inventory, Statement, Value

# Symbolic values of the model stand for a real account and region when matching ARN formats.
_SYMBOLS = (
    (THIS_ACCOUNT, "123456789012"),
    (THIS_REGION, "us-east-1"),
    ("${AWS::Partition}", "aws"),
)
_GENERATED = re.compile(r"<generated:[^>]*>")


def _concrete(resource: Value) -> str | None:
    """The resource as a plain ARN, or None when it has wildcards or unknown parts."""
    text = resource.text
    if text is None:
        return None
    for symbol, stand_in in _SYMBOLS:
        text = text.replace(symbol, stand_in)
    text = _GENERATED.sub("generated", text)
    if any(char in text for char in "*?$<") or parse_arn(text) is None:
        return None  # wildcards, unknown parts, or not an ARN at all (RL608)
    return text


def _mismatches(statement: Statement) -> Iterator[tuple[Value, str]]:
    from rolelint import iam_actions

    resources = [_concrete(r) for r in statement.resources]
    if not resources or any(r is None for r in resources):
        return
    for value in statement.actions:
        text = value.text
        if text is None or any(c in text for c in "*?"):
            continue
        action = iam_actions.lookup(text)
        if action is None or not action.resource_types:
            continue  # unknown (RL605) or "*"-only actions
        patterns = iam_actions.resource_arn_patterns(action.service)
        types = [t.lower() for t in action.resource_types if t.lower() in patterns]
        if len(types) != len(action.resource_types):
            continue  # a resource type without a known ARN format: not certain
        if any(patterns[t].fullmatch(r or "") for t in types for r in resources):
            continue
        yield value, ", ".join(action.resource_types)


@check("RL612")
def action_resource_mismatch(inventory: Inventory) -> Iterator[Hit]:
    for document in inventory.all_policies():
        for statement in document.statements:
            if statement.not_resources or not (statement.is_allow or statement.is_deny):
                continue
            for value, types in _mismatches(statement):
                effect = "denies nothing" if statement.is_deny else "grants nothing"
                subject = policy_subject(document)
                listed = ", ".join(f"'{r.text}'" for r in statement.resources)
                yield Hit(
                    "RL612",
                    f"{subject} pairs {value.text} with {listed}, but {value.text} acts on "
                    f"{types} resources and none of these is one, so it {effect} there",
                    value.ref,
                    document.resource,
                    f"mismatch|{document.origin}|{(value.text or '').lower()}|{listed}",
                    severity=Severity.HIGH if statement.is_deny else None,
                )
