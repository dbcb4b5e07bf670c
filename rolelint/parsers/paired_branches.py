"""A statement whose elements a condition chooses together, once per deployment of it.

``Action: !If [IsDev, secretsmanager:GetSecretValue, secretsmanager:DescribeSecret]`` beside
``Resource: !If [IsDev, <dev secrets>, "*"]`` is GetSecretValue on the dev secrets where IsDev
holds and DescribeSecret on every secret where it does not.  Read element by element, the
statement listed every option of each at once and granted GetSecretValue on ``"*"``, which no
deployment does.  The parsers say which branch of which condition each option of a
:class:`Choice` is of (``Choice.when``: an ``Fn::If`` on one condition of the template, a
Terraform conditional with one condition text); here a statement whose elements share such a
condition becomes one statement per way the shared conditions may hold, each element keeping
only the options of those branches.  The policy builder may name parts of a statement whose
conditions are split on even where one Choice alone reads them (``alone``: an Allow's NotAction
or NotResource, and the values of its negated condition operators, whose options listed together
exclude more than any deployment does), and have the options of a Choice no condition names (a
Mappings entry's) narrowed to those it keeps (:func:`kept_options`).  Nothing here knows a format
or a rule: the statements made are read by the policy builder as any other.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Sequence
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
# The conditions deployed_where picks at once: each is a bit of the picker's ways, below
# _CHANGES.
_MAX_NARROWED = 8


def paired_variants(statement: PMap, alone: Sequence[Any] = ()) -> list[PMap]:
    """The statement once per way the conditions its elements share may hold, and those a
    Choice in a node of ``alone`` names, even once (parts of the statement, which the policy
    builder names: :data:`~rolelint.parsers.policy_builder.ALLOW_SPLIT_ELEMENTS` and negated
    conditions' values, whose options listed together make the statement say less than any
    deployment of it does); the statement itself when no condition chooses two of its values
    (or a value twice), nor one in ``alone``."""
    shared = _shared_conditions(statement, alone)
    if not shared:
        return [statement]
    picker = _Picker(shared)
    variants = []
    for truths in product((True, False), repeat=len(shared)):
        variant = picker.statement(statement, dict(zip(shared, truths, strict=True)))
        if variant is not None:
            variants.append(variant)
    return variants or [statement]


def _shared_conditions(statement: PMap, alone: Sequence[Any] = ()) -> list[ConditionKey]:
    """The conditions (at most :data:`MAX_PAIRED_CONDITIONS`) that two Choices of the
    statement's elements depend on, or one Choice at two places, or a Choice in a node of
    ``alone``: first those of the elements first in :data:`PAIRED_ELEMENTS`, so that the same
    ones are paired on every run."""
    counts: dict[ConditionKey, int] = {}
    for key in PAIRED_ELEMENTS:
        if key in statement:
            _count_choices(statement[key], 0, counts)
    for node in alone:  # named once there is enough: counted once more (the order kept)
        _count_choices(node, 0, counts)
    shared = [condition for condition, count in counts.items() if count > 1]
    return shared[:MAX_PAIRED_CONDITIONS]


def kept_options(node: Any, keep: Callable[[tuple[Any, ...]], list[int]]) -> Any:
    """``node`` (the value of an element, or of a condition's key) with each Choice whose
    options no condition names (``Choice.when`` None: a Mappings entry's, one a text an
    ``Fn::If`` is a piece of gives), the value itself or an item of the list it is, down to
    the options ``keep`` gives the places of (all of them: left as it is; none: as well).
    Such a Choice is each deployment's one option, which pairing cannot tell apart; the
    policy builder keeps those of an Allow's NotResource that exclude least.  The Choice stays
    one, of the options kept, as the builder reads a Choice (a list option an item of the
    list is then still spliced into it); ``node`` itself where nothing changes."""
    if isinstance(node, Choice):
        return _kept(node, keep)
    if not isinstance(node, PSeq) or not any(isinstance(item, Choice) for item in node):
        return node
    items = [_kept(item, keep) if isinstance(item, Choice) else item for item in node]
    if all(map(operator.is_, items, node)):
        return node
    copy: PSeq = _emptied(node)
    copy.extend(items)
    copy.item_spans.extend(node.span_at(index) for index in range(len(node)))
    return copy


def _kept(choice: Choice, keep: Callable[[tuple[Any, ...]], list[int]]) -> Choice:
    if choice.when is not None:
        return choice
    kept = keep(choice.options)
    if not kept or len(kept) == len(choice.options):
        return choice
    return Choice(tuple(choice.options[index] for index in kept))


def with_value(mapping: PMap, key: Any, value: Any) -> PMap:
    """A copy of ``mapping`` (of its class, with its spans) with ``value`` at ``key``, every
    entry in its place."""
    copy: PMap = _emptied(mapping)
    for name, old in mapping.items():
        copy.set(
            name,
            value if name == key else old,
            mapping.key_spans.get(name),
            mapping.value_spans.get(name),
        )
    return copy


def _count_choices(node: Any, depth: int, counts: dict[ConditionKey, int]) -> None:
    """Count in ``counts`` each condition a Choice in ``node`` names (each Choice once, its
    options after it).  Every statement of a run is gone through, most holding no Choice."""
    if depth > _MAX_DEPTH:
        return
    if isinstance(node, Choice):
        if node.when is not None:
            for condition in sorted({name for branches in node.when for name, _ in branches}):
                counts[condition] = counts.get(condition, 0) + 1
        children: Any = node.options
    elif isinstance(node, PMap):
        children = node.values()
    elif isinstance(node, PSeq):
        children = node
    else:
        return
    for child in children:
        if isinstance(child, _PICKED):
            _count_choices(child, depth + 1, counts)


def deployed_where(node: Any, branches: Branches) -> Any:
    """``node`` (a statement, a document) as the deployments it is in have it, which are all of
    ``branches`` (a block a ``dynamic`` block generates for an element only those branches'
    collection holds): each Choice down to the options of those branches.  ``node`` itself
    where nothing is chosen by them, or where no option of some Choice is of them (what says the
    branches is then not to be trusted over what the node holds: nothing is narrowed)."""
    if not branches:
        return node
    named: dict[ConditionKey, int] = {}
    _count_choices(node, 0, named)
    chosen = {name: truth for name, truth in branches if name in named}
    if not chosen or len(chosen) > _MAX_NARROWED:
        return node  # nothing chosen by them; or too many to pick at once: read as written
    picked = _Picker(sorted(chosen)).statement(node, chosen)
    return node if picked is None else picked


class _Contradiction(Exception):
    """No option of a Choice is deployed where the conditions hold as chosen."""


# What the picker remembers of a subtree no option of which is deployed where it was asked.
_CONTRADICTION = object()
# A subtree the picker has not been asked about yet.
_MISSING = object()
# What the picker may change: everything else is kept as it is.
_PICKED = (Choice, PMap, PSeq)
# In a subtree's mask (_Picker._mask), above the shared conditions' bits (at most
# MAX_PAIRED_CONDITIONS): a Choice of fewer than two options in it, which picking changes.
_CHANGES = 1 << 8
# A list's items picked once, the places of those a shared condition chooses, each item's
# span, and whether the items picked once all stay in their places (_Picker._split).
_Split = tuple[list[Any], list[int], list[Any], bool]


class _Picker:
    """Picks the branches of one statement, once per way its shared conditions may hold.

    What a subtree becomes depends only on the truths of the shared conditions its Choices
    name (:func:`_holds`, :func:`_decided`), so each subtree is picked once per way those few
    hold and remembered: a Choice on one of them twice, not once per statement made; and one
    that names none (and holds no Choice of fewer than two options) stays as written, unpicked.
    A statement of 400 Ifs in each of Action and Resource, three of whose conditions are
    shared, is made 8 statements; its 794 Ifs on the other conditions were picked in each.
    Subtrees are known by their id (and depth): they are the statement's own, alive while it
    is picked."""

    def __init__(self, shared: list[ConditionKey]) -> None:
        # Each shared condition's bit in a way they hold (set where it holds).
        self.bits = {name: 1 << index for index, name in enumerate(shared)}
        self.shared_bits = (1 << len(shared)) - 1
        self.chosen: dict[ConditionKey, bool] = {}
        self.way = 0
        # By (id, depth): the bits of the shared conditions a subtree's Choices name, and
        # _CHANGES (_mask); 0 for a subtree picking leaves as it is.
        self.masks: dict[tuple[int, int], int] = {}
        # By (id, depth, the truths of those conditions): what the subtree became.
        self.picked: dict[tuple[int, int, int], Any] = {}
        # By (id, depth) of a list: its items as no shared condition chooses them (_split).
        self.splits: dict[tuple[int, int], _Split] = {}

    def statement(self, statement: PMap, chosen: dict[ConditionKey, bool]) -> PMap | None:
        """The statement where each condition of ``chosen`` has its truth; None when no
        deployment has them all (a value of which no option is deployed there)."""
        self.chosen = chosen
        self.way = sum(bit for name, bit in self.bits.items() if chosen[name])
        try:
            return self.pick(statement, 0)  # type: ignore[no-any-return]
        except _Contradiction:
            return None

    def pick(self, node: Any, depth: int) -> Any:
        """``node`` with each Choice down to the options deployed where ``chosen`` holds: one
        option is the value itself, several (chosen by other conditions) a Choice of them.  A
        container is copied only where something in it changes, its places kept; an element or
        item whose option is AWS::NoValue (or null) is left out, as that deployment has it."""
        if depth > _MAX_DEPTH or not isinstance(node, _PICKED):
            return node
        mask = self.masks.get((id(node), depth))
        if mask is None:
            mask = self._mask(node, depth)
        if not mask:
            return node  # nothing in it is picked, whatever the conditions
        key = (id(node), depth, self.way & mask)
        found = self.picked.get(key, _MISSING)
        if found is _MISSING:
            try:
                found = self._picked(node, depth)
            except _Contradiction:
                found = _CONTRADICTION
            self.picked[key] = found
        if found is _CONTRADICTION:
            raise _Contradiction
        return found

    def _mask(self, node: Any, depth: int) -> int:
        """The bits of the shared conditions the Choices in ``node`` name, as deep as
        :meth:`pick` looks, and :data:`_CHANGES` when a Choice in it has fewer than two
        options (one is the value itself, none a contradiction): 0 when picking ``node`` gives
        ``node`` itself whatever the conditions."""
        key = (id(node), depth)
        found = self.masks.get(key)
        if found is None:
            found = 0
            if depth <= _MAX_DEPTH:
                if isinstance(node, Choice):
                    if len(node.options) < 2:
                        found = _CHANGES
                    bits = self.bits
                    for branches in node.when or ():
                        for name, _ in branches:
                            found |= bits.get(name, 0)
                    children: Any = node.options
                elif isinstance(node, PMap):
                    children = node.values()
                elif isinstance(node, PSeq):
                    children = node
                else:
                    children = ()
                for child in children:
                    if isinstance(child, _PICKED):
                        found |= self._mask(child, depth + 1)
            self.masks[key] = found
        return found

    def _picked(self, node: Choice | PMap | PSeq, depth: int) -> Any:
        if isinstance(node, Choice):
            return self._picked_choice(node, depth)
        if isinstance(node, PMap):
            return self._picked_mapping(node, depth)
        return self._picked_sequence(node, depth)

    def _picked_choice(self, node: Choice, depth: int) -> Any:
        chosen = self.chosen
        when = node.when or (frozenset(),) * len(node.options)
        deployed = [
            (option, branches)
            for option, branches in zip(node.options, when, strict=True)
            if _holds(branches, chosen)
        ]
        if not deployed:
            raise _Contradiction
        if len(deployed) == 1:  # the common case: no branch left to say
            return self.pick(deployed[0][0], depth + 1)
        kept = [
            (self.pick(option, depth + 1), branches - _decided(branches, chosen))
            for option, branches in deployed
        ]
        if len(kept) == len(node.options) and all(
            new is old for (new, _), old in zip(kept, node.options, strict=True)
        ):
            return node
        remaining = tuple(branches for _, branches in kept)
        return Choice(tuple(option for option, _ in kept), remaining if any(remaining) else None)

    def _picked_mapping(self, node: PMap, depth: int) -> PMap:
        values = {key: self.pick(value, depth + 1) for key, value in node.items()}
        if all(values[key] is node[key] for key in node):
            return node
        copy: PMap = _emptied(node)
        for key, value in values.items():
            # A key whose option here is AWS::NoValue is not written; one whose option is null
            # is, with null (Terraform's jsonencode() writes ``"Resource":null``; an argument
            # of aws_iam_policy_document set to null is NO_VALUE already, one not set).
            if value is node[key] or value is not NO_VALUE:
                copy.set(key, value, node.key_spans.get(key), node.value_spans.get(key))
        return copy

    def _picked_sequence(self, node: PSeq, depth: int) -> PSeq:
        """``node`` with its items picked; an item that was a Choice and is now one of its
        options, a list, gives the list's items in its place, as the policy builder reads the
        options of a Choice in a list (``[s3:GetObject, !If [W, [s3:PutObject,
        s3:DeleteObject], !Ref AWS::NoValue]]``, Terraform's ``flatten([[...], var.w ? [...] :
        []])``): kept as one item, it would be a list inside the list, which IAM's grammar has
        not."""
        below = depth + 1
        fixed, varying, spans, plain = self._split(node, depth)
        items = list(fixed)
        for index in varying:
            items[index] = self.pick(node[index], below)
        if all(map(operator.is_, items, node)):
            return node
        copy: PSeq = _emptied(node)
        if plain and all(_plain(items[index], node[index]) for index in varying):
            copy.extend(items)  # each item in its place: what add does, item by item
            copy.item_spans.extend(spans)
            return copy
        add = copy.add
        for index, (item, written) in enumerate(zip(items, node, strict=True)):
            if isinstance(written, Choice) and isinstance(item, PSeq):
                for inner, part in enumerate(item):
                    if part is not NO_VALUE:
                        add(part, item.span_at(inner) or spans[index])
            elif item is not NO_VALUE:
                add(item, spans[index])
        return copy

    def _split(self, node: PSeq, depth: int) -> _Split:
        """The items of the list ``node`` (at ``depth``) as no shared condition chooses them,
        each picked once (those a shared condition chooses left as written), the places of
        those, the span of each item, and whether the items picked once all stay one item in
        their places: in a list of 400 Ifs of which three are on shared conditions, the other
        397 are not picked again for every way those three hold."""
        key = (id(node), depth)
        found = self.splits.get(key)
        if found is None:
            below = depth + 1
            shared = self.shared_bits
            masks = [self._mask(item, below) if isinstance(item, _PICKED) else 0 for item in node]
            fixed = [
                item if mask & shared else self.pick(item, below)
                for item, mask in zip(node, masks, strict=True)
            ]
            varying = [index for index, mask in enumerate(masks) if mask & shared]
            spans = [node.span_at(index) for index in range(len(node))]
            plain = all(map(_plain, fixed, node))
            found = self.splits[key] = (fixed, varying, spans, plain)
        return found


def _plain(item: Any, written: Any) -> bool:
    """Whether ``item``, picked of the list item ``written``, stays one item in its place:
    not left out (AWS::NoValue), nor a list whose items take its place."""
    return item is not NO_VALUE and not (isinstance(written, Choice) and isinstance(item, PSeq))


def _holds(branches: Branches, chosen: dict[ConditionKey, bool]) -> bool:
    """Whether an option of ``branches`` is deployed where ``chosen`` holds."""
    return all(chosen.get(name, truth) == truth for name, truth in branches)


def _decided(branches: Branches, chosen: dict[ConditionKey, bool]) -> Branches:
    """The branches of ``branches`` that ``chosen`` settles."""
    return frozenset(branch for branch in branches if branch[0] in chosen)


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
