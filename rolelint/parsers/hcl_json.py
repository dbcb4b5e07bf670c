"""Terraform's JSON syntax (``.tf.json``, ``.tfvars.json``) read into the same syntax tree as HCL.

JSON carries no schema, so which keys are nested blocks has to be known: the top-level block types
(``resource`` and ``data`` with two labels, ``module``/``variable``/... with one) and the nested
block types IAM code uses (``statement``, ``principals``, ``condition``, ``dynamic`` ...).  A string
is a template, exactly as in HCL: ``"${var.x}"`` is the variable.
"""

from __future__ import annotations

from typing import Any

from rolelint.parsers.hcl_adapter import interpolation_parts
from rolelint.parsers.hcl_ast import (
    Attribute,
    Block,
    Body,
    Expr,
    Literal,
    ObjectExpr,
    ObjectItem,
    Template,
    TupleExpr,
    Unsupported,
)
from rolelint.parsers.tree import LoadedDocument, LoadError, PMap, PSeq
from rolelint.source import Span

LABELS = {
    "resource": 2,
    "data": 2,
    "module": 1,
    "variable": 1,
    "output": 1,
    "provider": 1,
    "locals": 0,
    "terraform": 0,
    "moved": 0,
    "import": 0,
    "check": 1,
}
NESTED_BLOCKS = frozenset(
    {
        "statement",
        "principals",
        "not_principals",
        "condition",
        "inline_policy",
        "metadata_options",
        "iam_instance_profile",
        "lifecycle",
        "content",
        "validation",
    }
)


def body_from_json(loaded: LoadedDocument, *, tfvars: bool = False) -> Body:
    root = loaded.root
    if not isinstance(root, PMap):
        raise LoadError("a Terraform JSON file must hold an object", 1, 1)
    if tfvars:
        return _attributes_only(root)
    body = Body()
    for kind, content in root.items():
        depth = LABELS.get(str(kind))
        if depth is None:
            continue
        for labels, node, span in _labelled(content, depth, root.key_span_of(kind)):
            if kind == "locals":
                for local in _objects(node):
                    body.blocks.append(Block("locals", (), _attributes_only(local), span))
                continue
            for item in _objects(node):
                end = item.span.end_line if item.span is not None else 0
                body.blocks.append(Block(str(kind), labels, _body(item), span, end_line=end))
    return body


def _labelled(
    node: Any, depth: int, span: Span | None, labels: tuple[str, ...] = ()
) -> list[tuple[tuple[str, ...], Any, Span | None]]:
    """Walk ``depth`` levels of label keys down to the block bodies."""
    if depth == 0:
        return [(labels, node, span)]
    found: list[tuple[tuple[str, ...], Any, Span | None]] = []
    for item in _objects(node):
        for key, child in item.items():
            found.extend(_labelled(child, depth - 1, item.key_span_of(key), (*labels, str(key))))
    return found


def _objects(node: Any) -> list[PMap]:
    if isinstance(node, PMap):
        return [node]
    if isinstance(node, PSeq):
        return [item for item in node if isinstance(item, PMap)]
    return []


def _attributes_only(node: PMap) -> Body:
    body = Body()
    for key, value in node.items():
        body.add_attribute(
            Attribute(
                str(key),
                _expr(value, node.span_of(key)),
                node.key_span_of(key),
                node.key_spans.get(key),
            )
        )
    return body


def _body(node: PMap) -> Body:
    body = Body()
    for key, value in node.items():
        name = str(key)
        span = node.key_span_of(key)
        if name == "dynamic":
            for kind, content in _pairs(value):
                for item in _objects(content):
                    body.blocks.append(Block("dynamic", (kind,), _body(item), span))
            continue
        if name in NESTED_BLOCKS and _objects(value) and not isinstance(value, str):
            for item in _objects(value):
                body.blocks.append(Block(name, (), _body(item), item.span or span))
            continue
        body.add_attribute(
            Attribute(name, _expr(value, node.span_of(key)), span, node.key_spans.get(key))
        )
    return body


def _pairs(node: Any) -> list[tuple[str, Any]]:
    return [(str(key), value) for item in _objects(node) for key, value in item.items()]


def _expr(value: Any, span: Span | None) -> Expr:
    if isinstance(value, PMap):
        items = tuple(
            ObjectItem(
                Literal(value.key_spans.get(key), str(key)),
                _expr(item, value.span_of(key)),
                value.key_spans.get(key),
            )
            for key, item in value.items()
        )
        return ObjectExpr(value.span or span, items)
    if isinstance(value, PSeq):
        return TupleExpr(
            value.span or span, tuple(_expr(item, value.span_at(i)) for i, item in enumerate(value))
        )
    if isinstance(value, str):
        return _template(value, span)
    if value is None or isinstance(value, (bool, int, float)):
        return Literal(span, value)
    return Unsupported(span, "unexpected JSON value")


def _template(text: str, span: Span | None) -> Expr:
    if "${" not in text and "%{" not in text:
        return Literal(span, text.replace("$${", "${"))
    line = span.line if span else 1
    column = (span.column + 1) if span else 1  # after the opening quote
    parts = interpolation_parts(text, line, column)
    directive = any(not isinstance(part, (str, Expr)) for part in parts)
    clean = tuple(part for part in parts if isinstance(part, (str, Expr)))
    if len(clean) == 1 and isinstance(clean[0], Expr) and not directive:
        return clean[0]  # "${expr}" alone is the expression's own value, not a string
    return Template(span, clean, directive=directive)
