"""The blocks a ``dynamic`` block generates, for any kind of nested block rolelint reads.

A ``dynamic "statement"`` of a policy document, a ``dynamic "inline_policy"`` of a role, a
``dynamic "assume_role"`` of a provider: each ``for_each`` element gives the ``content`` block
once, with the iterator (the block's kind, or ``iterator = name``) bound to ``{key, value}``.
An unknown ``for_each`` gives the content once with the iterator unknown, so what does not
depend on it is still read; past :data:`MAX_GENERATED` blocks (counted per expansion, nested
ones included) the rest is one block with the iterator unknown, and a notice.

A ``for_each`` a condition chooses (``var.public ? ["*"] : []``) is known in each branch: the
blocks (and resource instances) of every branch are generated, each key once.  One only some
branches have is bound to a :class:`ChosenElement`, so it is optional, as one of an unknown
``for_each`` is: there may be none of it.  Where there is one, the branches it is of hold
(:func:`deployed_under`): what it generates reads the options of those branches alone.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from rolelint.model import Value
from rolelint.parsers.hcl_ast import Block, Body
from rolelint.parsers.tf_budget import (
    MAX_GENERATED,
    TOO_MANY_BLOCKS,
    TOO_MANY_INSTANCES,
    too_many_instances_of_one,
)
from rolelint.parsers.tf_eval import (
    MAX_ALTERNATIVES,
    Evaluator,
    as_text,
    fingerprint,
    iterate,
    to_number,
    unknown,
)
from rolelint.parsers.tree import (
    Branches,
    Choice,
    PMap,
    PSeq,
    branched_options,
    choice_of,
    joined_branches,
)
from rolelint.source import SourceRef, Span

UNKNOWN_ELEMENT = "dynamic block element not known before apply"
UNKNOWN_INSTANCE = "the instance key, not known before apply"

# An instance's key: a ``count`` index, a ``for_each`` key, None for a single resource or one
# whose key is not known.
InstanceKey = int | str | None
# An element of a ``for_each``: its key, its value, where it is, and None when every
# deployment has it, else the branches every deployment that has it is of (those all the
# branches of a condition holding it share: ``var.c ? [x] : []`` holds x where c is true).
Element = tuple[Any, Any, Span | None, Branches | None]


class ChosenElement(PMap):
    """``{key, value}`` of an element only some deployments have: of some branches of a
    ``for_each`` a condition chooses.  What it generates is optional (see :func:`uncertain`),
    and where it is, the branches of ``under`` hold (see :func:`deployed_under`)."""

    __slots__ = ("under",)

    def __init__(self, span: Span | None = None, under: Branches = frozenset()) -> None:
        super().__init__(span)
        self.under = under


class DynamicBlocks:
    """Expands the blocks of one file's bodies; ``generated`` counts what it has generated."""

    def __init__(self, evaluator: Evaluator, file: str) -> None:
        self.evaluator = evaluator
        self.file = file
        self.generated = 0

    def expanded(
        self, body: Body, kind: str, bindings: Mapping[str, Any]
    ) -> Iterator[tuple[Block, Mapping[str, Any]]]:
        """Blocks of ``kind``, static ones and those a ``dynamic "kind"`` block generates, each
        with the bindings its attributes are evaluated in."""
        for block in body.blocks:
            if block.type == kind:
                yield block, bindings
            elif block.type == "dynamic" and block.labels[:1] == (kind,):
                yield from self.dynamic(block, kind, bindings)

    def dynamic(
        self, block: Block, kind: str, bindings: Mapping[str, Any]
    ) -> Iterator[tuple[Block, Mapping[str, Any]]]:
        read = self._read(block, kind, bindings)
        if read is None:
            return
        content, name, collection, at = read
        unknown_element = (content, {**bindings, name: unknown(at, UNKNOWN_ELEMENT)})
        if isinstance(collection, Choice):
            chosen = chosen_elements(collection, own_keys=False)
            if chosen is None:
                yield unknown_element
                return
            elements, some_unknown = chosen
            yield from self.generate(content, name, elements, bindings, at)
            if some_unknown:  # a branch not known: its blocks as those of any unknown for_each
                yield unknown_element
            return
        if not isinstance(collection, (PSeq, PMap)):  # the content once, its iterator unknown
            yield unknown_element
            return
        yield from self.generate(content, name, _elements(collection), bindings, at)

    def known(
        self, block: Block, kind: str, bindings: Mapping[str, Any]
    ) -> list[tuple[Block, Mapping[str, Any]]] | None:
        """The blocks a dynamic block generates; None when its ``for_each`` is not known (how
        many there are is then unknown too: zero, one or more), or a condition chooses it (the
        blocks of one branch are not those of another)."""
        read = self._read(block, kind, bindings)
        if read is None:
            return []
        content, name, collection, at = read
        if not isinstance(collection, (PSeq, PMap)):
            return None
        return self.generate(content, name, _elements(collection), bindings, at)

    def _read(
        self, block: Block, kind: str, bindings: Mapping[str, Any]
    ) -> tuple[Block, str, Any, SourceRef] | None:
        """A dynamic block's content (as a block of ``kind``), its iterator's name, its
        ``for_each`` evaluated, and where it is; None when it has no content."""
        contents = block.body.blocks_of("content")
        if not contents:
            return None
        content = Block(kind, (), contents[0].body, contents[0].span)
        name = self._iterator(block, kind, bindings)
        return content, name, self._for_each(block, bindings), SourceRef(self.file, block.span)

    def generate(
        self,
        content: Block,
        name: str,
        elements: list[Element],
        bindings: Mapping[str, Any],
        at: SourceRef,
    ) -> list[tuple[Block, Mapping[str, Any]]]:
        """The content once per element, its iterator ``name`` bound to the element."""
        if self.generated + len(elements) > MAX_GENERATED:
            return [(content, {**bindings, name: self.evaluator.refuse(at, TOO_MANY_BLOCKS)})]
        self.generated += len(elements)
        return [
            (content, {**bindings, name: _element(key, value, span, self.file, under)})
            for key, value, span, under in elements
        ]

    def _for_each(self, block: Block, bindings: Mapping[str, Any]) -> Any:
        for_each = block.body.get("for_each")
        return (
            self.evaluator.evaluate(for_each, self.file, bindings) if for_each is not None else None
        )

    def _iterator(self, block: Block, kind: str, bindings: Mapping[str, Any]) -> str:
        """The name the content refers to each element by: the kind, or ``iterator``."""
        iterator_expr = block.body.get("iterator")
        if iterator_expr is None:
            return kind
        named = self.evaluator.evaluate(iterator_expr, self.file, bindings)
        return getattr(iterator_expr, "root", None) or as_text(named) or kind


def resource_instances(
    evaluator: Evaluator, file: str, body: Body
) -> list[tuple[InstanceKey, Mapping[str, Any]]]:
    """Each instance of a resource: its key (Terraform's ``["name"]`` or ``[0]``) and the
    bindings it is evaluated in: ``each`` for ``for_each`` (``{key, value}``; a set's key is its
    value), ``count`` for ``count`` (``{index}``).  A single resource is one instance with no key
    and no binding.  ``for_each = toset(var.policy_arns)`` is how attachments are written for a
    list: each element is its own attachment.  A ``for_each`` a condition chooses between known
    collections gives the instances of every branch (optional where only some have the key).
    When the collection is not known, or over :data:`MAX_GENERATED`, one instance with no key
    and the binding unknown (what does not depend on it is still read); an element whose key is
    not known has no key either."""
    for_each = body.get("for_each")
    count = body.get("count")
    if for_each is None and count is None:
        return [(None, {})]
    name = "each" if for_each is not None else "count"
    expr = for_each if for_each is not None else count
    assert expr is not None
    at = SourceRef(file, expr.span)
    collection = evaluator.evaluate(expr, file, {})
    not_known: list[tuple[InstanceKey, Mapping[str, Any]]] = [
        (None, {name: unknown(at, f"{name}: {UNKNOWN_INSTANCE}")})
    ]
    if name == "count":
        number = instance_count_of(collection)
        if number is None:
            switch = _switch(collection)
            return not_known if switch is None else [(None, {**not_known[0][1], **switch})]
        counted = PSeq(expr.span)
        for index in range(min(number, MAX_GENERATED + 1)):
            counted.add(index, expr.span)
        elements = _elements(counted)
    elif isinstance(collection, Choice):
        chosen = chosen_elements(collection, own_keys=True)
        if chosen is None or chosen[1]:  # a branch not known: how many, and which, is not
            return not_known
        elements = chosen[0]
    elif isinstance(collection, (PSeq, PMap)):
        elements = _elements(collection, own_keys=True)
    else:
        return not_known
    if len(elements) > MAX_GENERATED:
        too_many = too_many_instances_of_one("for_each" if name == "each" else "count")
        return [(None, {name: evaluator.refuse(at, too_many)})]
    if len(elements) > 1 and not evaluator.budget.make_instances(len(elements)):
        return [(None, {name: evaluator.refuse(at, TOO_MANY_INSTANCES)})]
    instances: list[tuple[InstanceKey, Mapping[str, Any]]] = []
    keys: set[str] = set()
    for key, value, span, under in elements:
        if name == "count":
            element = PMap(span)
            element.set("index", key, span, span)
            instances.append((key, {name: element}))
            continue
        text = as_text(key)
        if text is not None and text in keys:
            continue  # toset([1, "1"]): Terraform makes both the string "1", one instance
        if text is not None:
            keys.add(text)
        instances.append((text, {name: _element(key, value, span, file, under)}))
    return instances


@dataclass(frozen=True, slots=True)
class Switched:
    """What a resource whose ``count`` a condition sets to 0 in some branches is bound to
    beside its ``count`` (``var.create ? 1 : 0``): the branches every deployment that has it
    is of (see :func:`deployed_under`)."""

    under: Branches


# The name a :class:`Switched` is bound to: no reference can name it (it is no identifier).
SWITCHED = "count switch"


def _switch(count: Any) -> dict[str, Switched] | None:
    """The binding of a ``count`` a condition chooses, known in each branch, that makes no
    instance in some (``var.create ? 1 : 0``): the branches those with an instance share; None
    for any other count."""
    if not isinstance(count, Choice):
        return None
    branches = branched_options(count)
    if len(branches) > MAX_ALTERNATIVES:
        return None
    numbers = [(instance_count_of(option), when) for option, when in branches]
    if any(number is None for number, _ in numbers):
        return None
    made = [when for number, when in numbers if number]
    if not made or len(made) == len(numbers):
        return None
    return {SWITCHED: Switched(frozenset.intersection(*made))}


def chosen_elements(collection: Choice, *, own_keys: bool) -> tuple[list[Element], bool] | None:
    """The elements of a ``for_each`` a condition chooses (``var.public ? ["*"] : []``): those
    of every branch, each key once, in the order first met, its value the choice of the
    branches' values for it, each of the branches it is in (``statement.value.actions`` beside
    ``statement.value.resources`` go branch by branch); certain when every branch has the key
    (one whose key is not known is never the same as another), else of the branches those that
    have it share.  Also whether some branch is not a collection known before apply.  None
    past :data:`MAX_ALTERNATIVES` branches, as a function of alternatives.  ``own_keys``: a
    set's or list's element is its own key (a resource's ``each.key``)."""
    branches = branched_options(collection)
    if len(branches) > MAX_ALTERNATIVES:
        return None
    # Of each key: its values, each with the branches it is deployed under, and the branches
    # (by number) that have it.
    found: list[tuple[Any, list[tuple[Any, Branches]], Span | None, set[int]]] = []
    by_key: dict[str, int] = {}
    some_unknown = False
    for number, (branch, when) in enumerate(branches):
        if not isinstance(branch, (PSeq, PMap)):
            some_unknown = True
            continue
        for key, value, span, _ in _elements(branch, own_keys=own_keys):
            text = as_text(key)
            index = by_key.get(text) if text is not None else None
            if index is None:
                if text is not None:
                    by_key[text] = len(found)
                found.append((key, [(value, when)], span, {number}))
                continue
            values, seen = found[index][1], found[index][3]
            _add_value(values, value, when)
            seen.add(number)
    elements: list[Element] = []
    for key, values, span, seen in found:
        under = None
        if len(seen) < len(branches):
            under = frozenset.intersection(*(branches[number][1] for number in seen))
        elements.append((key, choice_of(values), span, under))
    return elements, some_unknown


def _add_value(values: list[tuple[Any, Branches]], value: Any, when: Branches) -> None:
    """``value`` of a branch deployed under ``when`` among the values one key has: a value
    equal to one known is that one, deployed under the branches both have (the element reads
    the same there whichever branch holds)."""
    written = fingerprint(value)
    for index, (other, branches) in enumerate(values):
        if fingerprint(other) == written:
            values[index] = (other, branches & when)
            return
    values.append((value, when))


def _elements(collection: PSeq | PMap, *, own_keys: bool = False) -> list[Element]:
    """The elements of a known collection, every one certain; ``own_keys``: see
    :func:`chosen_elements`."""
    return [
        ((value if own_keys and isinstance(collection, PSeq) else key), value, span, None)
        for key, value, span in iterate(collection)
    ]


def instance_count_of(count: Any) -> int | None:
    """How many instances a ``count`` value makes: converted to a number as Terraform converts
    it, so ``count = "0"`` (a legacy module's ``default = "0"``, ``"${var.enable}"``) makes none;
    None when it is not known before apply, or not a whole number of at least 0 (Terraform
    refuses the resource: no count is guessed)."""
    number = to_number(count)
    return number if isinstance(number, int) and number >= 0 else None


def uncertain(bindings: Mapping[str, Any]) -> bool:
    """Whether ``bindings`` are those of a block or resource instance whose ``for_each`` or
    ``count`` is not known before apply, or of an element only some branches of a condition
    have: there may be none of it at all."""
    return optional_block(bindings) or any(
        isinstance(bound, Value)
        and bound.unresolved_reason is not None
        and bound.unresolved_reason.endswith(UNKNOWN_INSTANCE)
        for bound in bindings.values()
    )


def optional_block(bindings: Mapping[str, Any]) -> bool:
    """Whether a block generated with ``bindings`` may be absent from a deployment: generated
    once for the elements of a ``dynamic`` block not known, or for an element only some branches
    of a condition have (:func:`uncertain` also counts a resource instance whose ``for_each`` or
    ``count`` is not known)."""
    return any(
        isinstance(bound, ChosenElement)
        or (isinstance(bound, Value) and bound.unresolved_reason == UNKNOWN_ELEMENT)
        for bound in bindings.values()
    )


def deployed_under(bindings: Mapping[str, Any]) -> Branches:
    """The branches of conditions that hold wherever a block or resource instance generated
    with ``bindings`` is: those of the element of a chosen ``for_each`` each iterator is bound
    to (``var.c ? [x] : []``: x's block is only where c is true), and of a resource's ``count``
    (``var.c ? 1 : 0``), so that what it holds is read in those branches alone (``var.c ? [arn]
    : ["*"]`` inside it is the ARN).  Empty where
    nothing says (or two elements' branches contradict each other: then nothing is narrowed)."""
    chosen = [
        bound.under for bound in bindings.values() if isinstance(bound, (ChosenElement, Switched))
    ]
    if not chosen:
        return frozenset()
    return joined_branches(chosen) or frozenset()


def instance_suffix(key: InstanceKey) -> str:
    """The instance's part of a Terraform address: ``[0]``, ``["ci"]`` (none for no key)."""
    if key is None:
        return ""
    return f"[{key}]" if isinstance(key, int) else f"[{json.dumps(key, ensure_ascii=False)}]"


def _element(
    key: Any, value: Any, span: Span | None, file: str, under: Branches | None = None
) -> PMap:
    """``{key, value}`` of one element, as ``each`` and a dynamic block's iterator see it; a
    map's key is text like any string value (an inline policy's name).  One only some
    deployments have (``under`` some branches) is a :class:`ChosenElement`."""
    element = PMap(span) if under is None else ChosenElement(span, under)
    named = Value(key, SourceRef(file, span)) if isinstance(key, str) else key
    element.set("key", named, span, span)
    element.set("value", value, span, span)
    return element
