"""Actions paired with resources they cannot act on (RL612).

``s3:GetObject`` on ``arn:aws:s3:::reports`` (a bucket, not an object) grants nothing: the
classic reason a role "has the permission" and still gets AccessDenied, and, in a Deny, the reason
an object is not protected.  The AWS action catalog lists the resource types each action acts on
and the ARN format of each; rolelint reports a pairing only when the catalog makes it certain:
actions it knows (a wildcard action when none of the actions it matches fits), and resources
without wildcards or values it cannot resolve.  A role's ARN whose name or path rolelint cannot
know (a stand-in, rolelint.checks.stand_ins) is still a role's: it is judged for every name and
path it may take, and a type is ruled out only when none of them is of that type.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rolelint.checks.base import Hit, check, on_text_of, policy_subject, some_of
from rolelint.checks.iam_match import parse_arn
from rolelint.checks.stand_ins import holds_unknown, known_fields, pattern_names
from rolelint.findings import Severity
from rolelint.model import (
    NAME_STAND_IN,
    THIS_ACCOUNT,
    THIS_REGION,
    UNRESOLVED_PATH,
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


def _arn_of(resource: Value) -> str | None:
    """The resource as an ARN of this account, region and partition, or None when it has
    wildcards or unknown parts.  A name or path rolelint cannot know (a stand-in) stays in it:
    :func:`_may_be_of` judges it for every value it may take."""
    return None if resource.text is None else _arn_of_text(resource.text)


@functools.lru_cache(maxsize=4096)
def _arn_of_text(text: str) -> str | None:
    """:func:`_arn_of` of a text, remembered: a statement a condition splits lists its
    resources once per branch."""
    for symbol, stand_in in _SYMBOLS:
        text = text.replace(symbol, stand_in)
    # One value each stand-in may take: a name or path holds no ":", so whether the text is
    # shaped like an ARN is the same for all of them.
    shape = NAME_STAND_IN.sub("generated", UNRESOLVED_PATH.sub("/", text))
    if any(char in shape for char in "*?$<") or parse_arn(shape) is None:
        return None  # wildcards, unknown parts, or not an ARN at all (RL608)
    return text


def _mismatches(statement: Statement) -> Iterator[tuple[Value, str]]:
    """Each Action value none of whose resource types any resource may be of, with the names
    of those types.  Each text is judged once however many values hold it (a statement a
    condition splits lists ``"*"`` once per Fn::If), each resource once for each."""
    resources: list[str] = []
    for resource in statement.resources:
        arn = _arn_of(resource)
        if arn is None:
            return  # wildcards or unknown parts: no mismatch is certain
        resources.append(arn)
    if not resources:
        return
    distinct = tuple(dict.fromkeys(resources))
    judged: dict[str, str | None] = {}
    for value in statement.actions:
        text = value.text
        if text is None:
            continue
        if text not in judged:
            judged[text] = _mismatched_types(text, distinct)
        types = judged[text]
        if types is not None:
            yield value, types


def _mismatched_types(action: str, resources: tuple[str, ...]) -> str | None:
    """The names of the resource types ``action`` acts on when none of ``resources`` may be
    of any of them; None when one may, or when that is not certain."""
    formats = _formats_of(action)
    if formats is None or any(formats.may_hold(resource) for resource in resources):
        return None
    return formats.names


@functools.lru_cache(maxsize=4096)
def _formats_of(action: str) -> _Formats | None:
    """The ARN formats of the resource types an Action value (a pattern too) acts on; None
    when it names no known action acting on some resource type (an unknown action is RL605's,
    a "*"-only one acts on no type), or when the format of one type is unknown.  Remembered:
    the same texts recur in every statement, and ``"*"`` acts on 2,300 types."""
    from rolelint import iam_actions

    wildcard = any(c in action for c in "*?")
    actions = iam_actions.expand(action) if wildcard else (iam_actions.lookup(action),)
    scoped = [a for a in actions if a is not None and a.resource_types]
    if not scoped:
        return None
    types = _types_if_certain(scoped)
    return None if types is None else _Formats.of(types)


# The service field of an IAM pattern of an ARN format (iam_actions.resource_arn_wildcards),
# where written.
_SERVICE_FIELD = re.compile(r"arn:\*:([^:*?]*):")


@dataclass(frozen=True, slots=True)
class _Formats:
    """The ARN formats of the resource types an action acts on (:func:`_types_if_certain`),
    kept by the service their ARNs name: ``arn:${Partition}:s3:::${BucketName}`` matches no ARN
    whose service field is not ``s3`` (a partition holds no ":"), so an ARN is tried against
    the formats of its own service, and those whose service is a field (AWS Backup's
    ``arn:${Partition}:${Vendor}:...``), never the 2,300 formats ``"*"`` acts on."""

    names: str  # the names of the types, sorted, for the message
    every: tuple[tuple[re.Pattern[str], str], ...]
    by_service: dict[str, tuple[tuple[re.Pattern[str], str], ...]]
    any_service: tuple[tuple[re.Pattern[str], str], ...]

    @staticmethod
    def of(types: dict[tuple[str, str], tuple[re.Pattern[str], str]]) -> _Formats:
        by_service: dict[str, list[tuple[re.Pattern[str], str]]] = {}
        any_service: list[tuple[re.Pattern[str], str]] = []
        for arn_format in types.values():
            written = _SERVICE_FIELD.match(arn_format[1])
            if written is None:
                any_service.append(arn_format)
            else:
                by_service.setdefault(written.group(1), []).append(arn_format)
        return _Formats(
            ", ".join(sorted({name for _, name in types})),
            tuple(types.values()),
            {service: tuple(found) for service, found in by_service.items()},
            tuple(any_service),
        )

    def may_hold(self, resource: str) -> bool:
        """Whether ``resource`` may be of one of the types (:func:`_may_be_of`).  One holding a
        name or path rolelint cannot know is judged by the format's template, whose partition
        (a ``*``) may take any text, ":" too: so it is tried against the formats of each
        service one of its fields between two ":" names, and those whose service is a field.
        A value it may take holds ``:s3:`` only where a field of it between two ":" is
        ``s3``, since a stand-in holds no ":"; a field that holds one may be any service.
        (500 roles without a name, each at a path of its own, tried every format of
        ``s3:*`` and three more services each: 12 s.)"""
        if holds_unknown(resource):
            inner = known_fields(resource)[1:-1]
            if None in inner:
                candidates = self.every
            else:
                services = dict.fromkeys(field for field in inner if field is not None)
                named = [f for service in services for f in self.by_service.get(service, ())]
                candidates = (*named, *self.any_service)
        else:
            fields = resource.split(":", 3)
            if len(fields) < 4:
                candidates = self.every
            else:
                candidates = (*self.by_service.get(fields[2], ()), *self.any_service)
        return any(_may_be_of(arn_format, resource) for arn_format in candidates)


def _may_be_of(arn_format: tuple[re.Pattern[str], str], resource: str) -> bool:
    """Whether ``resource`` may be an ARN of the resource type whose ``arn_format`` is given
    (its pattern, and its template as an IAM pattern,
    :func:`~rolelint.iam_actions.resource_arn_wildcards`).

    A resource holding a name or path rolelint cannot know (``role/<unresolved path>/exec``)
    may be of the type unless none of the values it may take is, even by the template's wider
    pattern (rolelint.checks.stand_ins.pattern_names is False): a role's ARN is a role's
    whatever its path, never an S3 object's.  A statement naming one at a path not known was
    skipped, whatever its actions."""
    pattern, template = arn_format
    if not holds_unknown(resource):
        return pattern.fullmatch(resource) is not None
    return pattern_names(template, resource) is not False


def _types_if_certain(
    actions: list[iam_actions.Action],
) -> dict[tuple[str, str], tuple[re.Pattern[str], str]] | None:
    """The ARN formats of every resource type the actions act on, by service and type (``table``
    is a type of DynamoDB, Glue and Timestream, each with its own format): a pattern of its ARNs
    and its template as an IAM pattern; None when one is unknown."""
    from rolelint import iam_actions

    formats: dict[tuple[str, str], tuple[re.Pattern[str], str]] = {}
    for action in actions:
        patterns = iam_actions.resource_arn_patterns(action.service)
        templates = iam_actions.resource_arn_wildcards(action.service)
        for resource_type in action.resource_types:
            pattern = patterns.get(resource_type.lower())
            if pattern is None:
                return None  # a resource type without a known ARN format: not certain
            template = templates[resource_type.lower()]
            formats[(action.service, resource_type)] = (pattern, template)
    return formats


@check("RL612")
def action_resource_mismatch(inventory: Inventory) -> Iterator[Hit]:
    for document, roles in inventory.written_policies_with_roles():
        for statement in document.statements:
            if statement.not_resources or not (statement.is_allow or statement.is_deny):
                continue
            for value, types in _mismatches(statement):
                effect = "denies nothing" if statement.is_deny else "grants nothing"
                subject = policy_subject(document)
                quoted = [f"'{r.text}'" for r in statement.resources]  # the key's: as written
                said = [f"'{stand_ins_in_words(r.text or '')}'" for r in statement.resources]
                hit = Hit(
                    "RL612",
                    f"{subject} pairs {value.text} with {some_of(said)}, but {value.text} acts"
                    f" on {types} resources and none of these is one, so it {effect} there",
                    value.ref,
                    document.resource,
                    f"mismatch|{document.origin}|{(value.text or '').lower()}|{', '.join(quoted)}",
                    severity=Severity.HIGH if statement.is_deny else None,
                )
                yield on_text_of(hit, roles, document)
