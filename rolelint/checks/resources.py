"""Actions paired with resources they cannot act on (RL612).

``s3:GetObject`` on ``arn:aws:s3:::reports`` (a bucket, not an object) grants nothing: the
classic reason a role "has the permission" and still gets AccessDenied, and, in a Deny, the reason
an object is not protected.  The AWS action catalog lists the resource types each action acts on
and the ARN format of each; rolelint reports a pairing only when the catalog makes it certain:
actions it knows (a wildcard action when none of the actions it matches fits), and resources
without wildcards or values it cannot resolve.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from rolelint.checks.base import Hit, check, policy_subject, some_of
from rolelint.checks.iam_match import parse_arn
from rolelint.findings import Severity
from rolelint.model import (
    NAME_STAND_IN,
    THIS_ACCOUNT,
    THIS_REGION,
    Inventory,
    Statement,
    Value,
    stand_ins_in_words,
)

if TYPE_CHECKING:
    from rolelint import iam_actions

# Symbolic values of the model stand for a real account and region when matching ARN formats.
_SYMBOLS = (
    (THIS_ACCOUNT, "123456789012"),
    (THIS_REGION, "us-east-1"),
    ("${AWS::Partition}", "aws"),
)


def _concrete(resource: Value) -> str | None:
    """The resource as a plain ARN, or None when it has wildcards or unknown parts."""
    text = resource.text
    if text is None:
        return None
    for symbol, stand_in in _SYMBOLS:
        text = text.replace(symbol, stand_in)
    text = NAME_STAND_IN.sub("generated", text)
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
        if text is None:
            continue
        wildcard = any(c in text for c in "*?")
        actions = iam_actions.expand(text) if wildcard else (iam_actions.lookup(text),)
        scoped = [a for a in actions if a is not None and a.resource_types]
        if not scoped:
            continue  # unknown (RL605) or "*"-only actions
        types = _types_if_certain(scoped)
        if types is None or any(t.fullmatch(r or "") for t in types.values() for r in resources):
            continue
        yield value, ", ".join(sorted({name for _, name in types}))


def _types_if_certain(
    actions: list[iam_actions.Action],
) -> dict[tuple[str, str], re.Pattern[str]] | None:
    """The ARN formats of every resource type the actions act on, by service and type (``table``
    is a type of DynamoDB, Glue and Timestream, each with its own format); None when one is
    unknown."""
    from rolelint import iam_actions

    formats: dict[tuple[str, str], re.Pattern[str]] = {}
    for action in actions:
        patterns = iam_actions.resource_arn_patterns(action.service)
        for resource_type in action.resource_types:
            pattern = patterns.get(resource_type.lower())
            if pattern is None:
                return None  # a resource type without a known ARN format: not certain
            formats[(action.service, resource_type)] = pattern
    return formats


@check("RL612")
def action_resource_mismatch(inventory: Inventory) -> Iterator[Hit]:
    for document in inventory.written_policies():
        for statement in document.statements:
            if statement.not_resources or not (statement.is_allow or statement.is_deny):
                continue
            for value, types in _mismatches(statement):
                effect = "denies nothing" if statement.is_deny else "grants nothing"
                subject = policy_subject(document)
                quoted = [f"'{r.text}'" for r in statement.resources]  # the key's: as written
                said = [f"'{stand_ins_in_words(r.text or '')}'" for r in statement.resources]
                yield Hit(
                    "RL612",
                    f"{subject} pairs {value.text} with {some_of(said)}, but {value.text} acts"
                    f" on {types} resources and none of these is one, so it {effect} there",
                    value.ref,
                    document.resource,
                    f"mismatch|{document.origin}|{(value.text or '').lower()}|{', '.join(quoted)}",
                    severity=Severity.HIGH if statement.is_deny else None,
                )
