"""A statement whose elements a condition chooses together, once per deployment of it.

``Action: !If [IsDev, secretsmanager:GetSecretValue, secretsmanager:DescribeSecret]`` beside
``Resource: !If [IsDev, <dev secrets>, "*"]`` is GetSecretValue on the dev secrets where IsDev
holds and DescribeSecret on every secret where it does not.  Read element by element, the
statement listed every option of each at once and granted GetSecretValue on ``"*"``, which no
deployment does.  The parsers say which branch of which condition each option of a
:class:`Choice` is of (``Choice.when``: an ``Fn::If`` on one condition of the template, a
Terraform conditional with one condition text); here a statement whose elements share such a
condition becomes one statement per way the shared conditions may hold, each element keeping
only the options of those branches.  Nothing here knows a format or a rule: the statements
made are read by the policy builder as any other.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import product
from typing import Any

from rolelint.parsers.tree import NO_VALUE, Branches, Choice, ConditionKey, PMap, PSeq

# The elements of a statement whose options go together: what it grants or refuses, to whom,
# and under which test.
PAIRED_ELEMENTS = (
    "Effect",
    "Principal",
    "NotPrincipal",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Condition",
)
# Conditions paired per statement: 2**3 statements at most.  The conditions after these (in
# the order the statement names them) are read as before, every option of each listed
# together, which judges more combinations than any deployment has, never fewer.
MAX_PAIRED_CONDITIONS = 3
# Deep enough for a condition's values (operator, key, list, Choice) and a principal's.
_MAX_DEPTH = 12


def paired_variants(statement: PMap) -> list[PMap]:
    """The statement once per way the conditions its elements share may hold; the statement
    itself when no condition chooses two of its values (or a value twice)."""
    shared = _shared_conditions(statement)
    if not shared:
        return [statement]
    variants = []
    for truths in product((True, False), repeat=len(shared)):
        chosen = dict(zip(shared, truths, strict=True))
        variant = _picked_statement(statement, chosen)
        if variant is not None:
            variants.append(variant)
    return variants or [statement]


def _shared_conditions(statement: PMap) -> list[ConditionKey]:
    """The conditions (at most :data:`MAX_PAIRED_CONDITIONS`) that two Choices of the
    statement's elements depend on, or one Choice at two places: first those of the elements
    first in :data:`PAIRED_ELEMENTS`, so that the same ones are paired on every run."""
    counts: dict[ConditionKey, int] = {}
    for key in PAIRED_ELEMENTS:
        if key in statement:
            for branches in _choices(statement[key], 0):
                for condition in sorted({name for name, _ in branches}):
                    counts[condition] = counts.get(condition, 0) + 1
    shared = [condition for condition, count in counts.items() if count > 1]
    return shared[:MAX_PAIRED_CONDITIONS]


def _choices(node: Any, depth: int) -> Iterator[Branches]:
    """For each Choice in ``node`` whose options name their conditions, every branch of them
    (the union of its options' branches)."""
    if depth > _MAX_DEPTH:
        return
    if isinstance(node, Choice):
        if node.when is not None:
            yield frozenset().union(*node.when)
        for option in node.options:
            yield from _choices(option, depth + 1)
    elif isinstance(node, PMap):
        for value in node.values():
            yield from _choices(value, depth + 1)
    elif isinstance(node, PSeq):
        for item in node:
            yield from _choices(item, depth + 1)


def deployed_where(node: Any, branches: Branches) -> Any:
    """``node`` (a statement, a document) as the deployments it is in have it, which are all of
    ``branches`` (a block a ``dynamic`` block generates for an element only those branches'
    collection holds): each Choice down to the options of those branches.  ``node`` itself
    where nothing is chosen by them, or where no option of some Choice is of them (what says the
    branches is then not to be trusted over what the node holds: nothing is narrowed)."""
    if not branches:
        return node
    chosen = dict(branches)
    if not any(name in chosen for found in _choices(node, 0) for name, _ in found):
        return node
    try:
        return _picked(node, chosen, 0)
    except _Contradiction:
        return node


class _Contradiction(Exception):
    """No option of a Choice is deployed where the conditions hold as chosen."""


def _picked_statement(statement: PMap, chosen: dict[ConditionKey, bool]) -> PMap | None:
    """The statement where each condition of ``chosen`` has its truth; None when no
    deployment has them all (a value of which no option is deployed there)."""
    try:
        return _picked(statement, chosen, 0)  # type: ignore[no-any-return]
    except _Contradiction:
        return None


def _picked(node: Any, chosen: dict[ConditionKey, bool], depth: int) -> Any:
    """``node`` with each Choice down to the options deployed where ``chosen`` holds: one
    option is the value itself, several (chosen by other conditions) a Choice of them.  A
    container is copied only where something in it changes, its places kept; an element or item
    whose option is AWS::NoValue (or null) is left out, as that deployment has it."""
    if depth > _MAX_DEPTH:
        return node
    if isinstance(node, Choice):
        return _picked_choice(node, chosen, depth)
    if isinstance(node, PMap):
        return _picked_mapping(node, chosen, depth)
    if isinstance(node, PSeq):
        return _picked_sequence(node, chosen, depth)
    return node


def _picked_choice(node: Choice, chosen: dict[ConditionKey, bool], depth: int) -> Any:
    when = node.when or (frozenset(),) * len(node.options)
    deployed = [
        (option, branches)
        for option, branches in zip(node.options, when, strict=True)
        if _holds(branches, chosen)
    ]
    if not deployed:
        raise _Contradiction
    if len(deployed) == 1:  # the common case: no branch left to say
        return _picked(deployed[0][0], chosen, depth + 1)
    kept = [
        (_picked(option, chosen, depth + 1), branches - _decided(branches, chosen))
        for option, branches in deployed
    ]
    if len(kept) == len(node.options) and all(
        new is old for (new, _), old in zip(kept, node.options, strict=True)
    ):
        return node
    remaining = tuple(branches for _, branches in kept)
    return Choice(tuple(option for option, _ in kept), remaining if any(remaining) else None)


def _holds(branches: Branches, chosen: dict[ConditionKey, bool]) -> bool:
    """Whether an option of ``branches`` is deployed where ``chosen`` holds."""
    return all(chosen.get(name, truth) == truth for name, truth in branches)


def _decided(branches: Branches, chosen: dict[ConditionKey, bool]) -> Branches:
    """The branches of ``branches`` that ``chosen`` settles."""
    return frozenset(branch for branch in branches if branch[0] in chosen)


def _picked_mapping(node: PMap, chosen: dict[ConditionKey, bool], depth: int) -> PMap:
    values = {key: _picked(value, chosen, depth + 1) for key, value in node.items()}
    if all(values[key] is node[key] for key in node):
        return node
    copy: PMap = _emptied(node)
    for key, value in values.items():
        # A key whose option here is AWS::NoValue (or a Terraform null) is not written.
        if value is node[key] or (value is not NO_VALUE and value is not None):
            copy.set(key, value, node.key_spans.get(key), node.value_spans.get(key))
    return copy


def _picked_sequence(node: PSeq, chosen: dict[ConditionKey, bool], depth: int) -> PSeq:
    """``node`` with its items picked; an item that was a Choice and is now one of its
    options, a list, gives the list's items in its place, as the policy builder reads the
    options of a Choice in a list (``[s3:GetObject, !If [W, [s3:PutObject, s3:DeleteObject],
    !Ref AWS::NoValue]]``, Terraform's ``flatten([[...], var.w ? [...] : []])``): kept as one
    item, it would be a list inside the list, which IAM's grammar has not."""
    items = [_picked(item, chosen, depth + 1) for item in node]
    if all(new is old for new, old in zip(items, node, strict=True)):
        return node
    copy: PSeq = _emptied(node)
    for index, (item, written) in enumerate(zip(items, node, strict=True)):
        if isinstance(written, Choice) and isinstance(item, PSeq):
            for inner, part in enumerate(item):
                if part is not NO_VALUE:
                    copy.add(part, item.span_at(inner) or node.span_at(index))
        elif item is not NO_VALUE:
            copy.add(item, node.span_at(index))
    return copy


def _emptied(node: PMap | PSeq) -> Any:
    """An empty container of the class of ``node`` (a list an expression produced, a mapping
    of a known file) with what that class keeps beside its items, and ``node``'s span."""
    copy: Any
    if isinstance(node, PMap):
        copy = PMap.__new__(type(node))
        PMap.__init__(copy, node.span)
    else:
        copy = PSeq.__new__(type(node))
        PSeq.__init__(copy, node.span)
    base = PMap if isinstance(node, PMap) else PSeq
    for owner in type(node).__mro__[: type(node).__mro__.index(base)]:
        slots = getattr(owner, "__slots__", ())
        for name in (slots,) if isinstance(slots, str) else slots:
            setattr(copy, name, getattr(node, name))
    return copy
