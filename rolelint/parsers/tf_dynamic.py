"""The blocks a ``dynamic`` block generates, for any kind of nested block rolelint reads.

A ``dynamic "statement"`` of a policy document, a ``dynamic "inline_policy"`` of a role, a
``dynamic "assume_role"`` of a provider: each ``for_each`` element gives the ``content`` block
once, with the iterator (the block's kind, or ``iterator = name``) bound to ``{key, value}``.
An unknown ``for_each`` gives the content once with the iterator unknown, so what does not
depend on it is still read; past :data:`MAX_GENERATED` blocks (counted per expansion, nested
ones included) the rest is one block with the iterator unknown, and a notice.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any

from rolelint.model import Value
from rolelint.parsers.hcl_ast import Block, Body
from rolelint.parsers.tf_budget import (
    MAX_GENERATED,
    TOO_MANY_BLOCKS,
    TOO_MANY_INSTANCES,
    too_many_instances_of_one,
)
from rolelint.parsers.tf_eval import Evaluator, as_text, iterate, to_number, unknown
from rolelint.parsers.tree import PMap, PSeq
from rolelint.source import SourceRef, Span

UNKNOWN_ELEMENT = "dynamic block element not known before apply"
UNKNOWN_INSTANCE = "the instance key, not known before apply"

# An instance's key: a ``count`` index, a ``for_each`` key, None for a single resource or one
# whose key is not known.
InstanceKey = int | str | None


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
        generated = self.known(block, kind, bindings)
        if generated is not None:
            yield from generated
            return
        contents = block.body.blocks_of("content")
        if contents:  # unknown for_each: the content once, its iterator unknown
            content = Block(kind, (), contents[0].body, contents[0].span)
            at = SourceRef(self.file, block.span)
            yield (
                content,
                {**bindings, self._iterator(block, kind, bindings): unknown(at, UNKNOWN_ELEMENT)},
            )

    def known(
        self, block: Block, kind: str, bindings: Mapping[str, Any]
    ) -> list[tuple[Block, Mapping[str, Any]]] | None:
        """The blocks a dynamic block generates; None when its ``for_each`` is not known (how
        many there are is then unknown too: zero, one or more)."""
        contents = block.body.blocks_of("content")
        if not contents:
            return []
        content = Block(kind, (), contents[0].body, contents[0].span)
        name = self._iterator(block, kind, bindings)
        for_each = block.body.get("for_each")
        collection = (
            self.evaluator.evaluate(for_each, self.file, bindings) if for_each is not None else None
        )
        if not isinstance(collection, (PSeq, PMap)):
            return None
        if self.generated + len(collection) > MAX_GENERATED:
            at = SourceRef(self.file, block.span)
            return [(content, {**bindings, name: self.evaluator.refuse(at, TOO_MANY_BLOCKS)})]
        self.generated += len(collection)
        generated: list[tuple[Block, Mapping[str, Any]]] = []
        for key, value, span in iterate(collection):
            generated.append((content, {**bindings, name: _element(key, value, span, self.file)}))
        return generated

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
    list: each element is its own attachment.  When the collection is not known, or over
    :data:`MAX_GENERATED`, one instance with no key and the binding unknown (what does not
    depend on it is still read); an element whose key is not known has no key either."""
    for_each = body.get("for_each")
    count = body.get("count")
    if for_each is None and count is None:
        return [(None, {})]
    name = "each" if for_each is not None else "count"
    expr = for_each if for_each is not None else count
    assert expr is not None
    at = SourceRef(file, expr.span)
    collection = evaluator.evaluate(expr, file, {})
    if name == "count":
        number = instance_count_of(collection)
        if number is not None:
            collection = PSeq(expr.span)
            for index in range(min(number, MAX_GENERATED + 1)):
                collection.add(index, expr.span)
    if not isinstance(collection, (PSeq, PMap)):
        return [(None, {name: unknown(at, f"{name}: {UNKNOWN_INSTANCE}")})]
    if len(collection) > MAX_GENERATED:
        too_many = too_many_instances_of_one("for_each" if name == "each" else "count")
        return [(None, {name: evaluator.refuse(at, too_many)})]
    if len(collection) > 1 and not evaluator.budget.make_instances(len(collection)):
        return [(None, {name: evaluator.refuse(at, TOO_MANY_INSTANCES)})]
    instances: list[tuple[InstanceKey, Mapping[str, Any]]] = []
    keys: set[str] = set()
    for key, value, span in iterate(collection):
        if name == "count":
            element = PMap(span)
            element.set("index", key, span, span)
            instances.append((key, {name: element}))
            continue
        own_key = value if isinstance(collection, PSeq) else key  # a set's key is its value
        text = as_text(own_key)
        if text is not None and text in keys:
            continue  # toset([1, "1"]): Terraform makes both the string "1", one instance
        if text is not None:
            keys.add(text)
        instances.append((text, {name: _element(own_key, value, span, file)}))
    return instances


def instance_count_of(count: Any) -> int | None:
    """How many instances a ``count`` value makes: converted to a number as Terraform converts
    it, so ``count = "0"`` (a legacy module's ``default = "0"``, ``"${var.enable}"``) makes none;
    None when it is not known before apply, or not a whole number of at least 0 (Terraform
    refuses the resource: no count is guessed)."""
    number = to_number(count)
    return number if isinstance(number, int) and number >= 0 else None


def uncertain(bindings: Mapping[str, Any]) -> bool:
    """Whether ``bindings`` are those of a block or resource instance whose ``for_each`` or
    ``count`` is not known before apply: there may be none of it at all."""
    return any(
        isinstance(bound, Value)
        and bound.unresolved_reason is not None
        and (
            bound.unresolved_reason == UNKNOWN_ELEMENT
            or bound.unresolved_reason.endswith(UNKNOWN_INSTANCE)
        )
        for bound in bindings.values()
    )


def instance_suffix(key: InstanceKey) -> str:
    """The instance's part of a Terraform address: ``[0]``, ``["ci"]`` (none for no key)."""
    if key is None:
        return ""
    return f"[{key}]" if isinstance(key, int) else f"[{json.dumps(key, ensure_ascii=False)}]"


def _element(key: Any, value: Any, span: Span | None, file: str) -> PMap:
    """``{key, value}`` of one element, as ``each`` and a dynamic block's iterator see it; a
    map's key is text like any string value (an inline policy's name)."""
    element = PMap(span)
    named = Value(key, SourceRef(file, span)) if isinstance(key, str) else key
    element.set("key", named, span, span)
    element.set("value", value, span, span)
    return element
