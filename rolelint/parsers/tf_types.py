"""A variable's ``type`` constraint, for what it changes in the value: ``optional()`` attributes,
strings given to a ``number`` or ``bool``, and lists given to a ``set``.

Terraform converts every value a variable gets (its default, a tfvars value, what a module call
passes) to the variable's type.  For an object type with ``optional(type, default)`` attributes,
that conversion fills in the default wherever the attribute is missing or null, at any depth
(``map(object({effect = optional(string, "Allow")}))``); an optional attribute without a default
becomes null.  A module written this way (``allow_any = optional(bool, false)``, ``default =
{}``) would otherwise read an attribute that is not there: unknown, so both branches of a
condition on it, and a ``"*"`` no deployment can get; or an ``effect`` that is never known, and
no finding for a statement every deployment allows.

A string given where the type says ``number`` or ``bool`` (``type = number``, ``default = "0"``;
``list(bool)``) is converted as Terraform converts it: ``"0"`` is the number 0, ``"false"`` and
``"0"`` the bool false, and one that does not convert is unknown (Terraform stops with an
error).  Otherwise a switch written the legacy way would be unknown, and a resource no
deployment creates analyzed.

A list given where the type says ``set(...)`` is a set, as ``toset()`` makes it: each element
once, in the set's order, and iterated with each element as its own key (a dynamic block's
``statement.key``, ``for k, v in``, a resource's ``each.key``).  Read as a list, those keys were
the indexes 0, 1, ...: a principal ``"0"`` where the caller passed ``"*"``.

Nothing else of the type is applied: rolelint does not convert to strings (every scalar reads
as its text anyway) or drop attributes the type does not name (Terraform would refuse to read
them anyway).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rolelint.parsers.hcl_ast import Call, Expr, Literal, ObjectExpr, Traversal, TupleExpr
from rolelint.parsers.tf_eval import FileMap, InstanceObject, converted
from rolelint.parsers.tf_functions import as_set
from rolelint.parsers.tree import Choice, PMap, PSeq

# How deep a type is read: real types nest a few levels; deeper is hostile input.
MAX_TYPE_DEPTH = 32


@dataclass(frozen=True, slots=True)
class Attribute:
    """An attribute of an object type: its own type, and whether it is ``optional()``."""

    shape: Shape | None
    optional: bool
    default: Expr | None  # the second argument of ``optional()``


@dataclass(frozen=True, slots=True)
class ObjectShape:
    attributes: dict[str, Attribute]


@dataclass(frozen=True, slots=True)
class CollectionShape:
    """``list(T)``, ``set(T)`` (every item is a T) or ``map(T)`` (every value is); the element
    None when a T changes nothing (a set is a set all the same)."""

    element: Shape | None
    is_set: bool = False


@dataclass(frozen=True, slots=True)
class TupleShape:
    items: tuple[Shape | None, ...]


@dataclass(frozen=True, slots=True)
class PrimitiveShape:
    """``number`` or ``bool``: what a string given to the variable is converted to."""

    kind: str


# The primitive types a string is converted to (``string`` changes nothing rolelint reads).
_CONVERTED_PRIMITIVES = ("number", "bool")

Shape = ObjectShape | CollectionShape | TupleShape | PrimitiveShape
# Evaluates an ``optional()`` default (written in the variable's file).
Evaluate = Callable[[Expr], Any]


def type_shape(expr: Expr | None) -> Shape | None:
    """What of a ``type`` expression changes a value: None when nothing does (``string``,
    ``any``, an object type without ``optional()``, ``number``, ``bool`` or ``set`` anywhere)."""
    return _shape(type_expression(expr), 0)


def type_expression(expr: Expr | None) -> Expr | None:
    """A ``type`` as an expression: Terraform's JSON syntax writes it as a string
    (``"object({a = optional(string)})"``), parsed where it is written."""
    if isinstance(expr, Literal) and isinstance(expr.value, str):
        from rolelint.parsers.hcl_adapter import parse_expression

        line, column = (expr.span.line, expr.span.column + 1) if expr.span else (1, 1)
        return parse_expression(expr.value, line, column)
    return expr


def _shape(expr: Expr | None, depth: int) -> Shape | None:
    if isinstance(expr, Traversal) and not expr.steps and expr.root in _CONVERTED_PRIMITIVES:
        return PrimitiveShape(expr.root)
    if not isinstance(expr, Call) or depth > MAX_TYPE_DEPTH:
        return None
    args = expr.args
    if expr.name == "object" and len(args) == 1 and isinstance(args[0], ObjectExpr):
        return _object_shape(args[0], depth)
    if expr.name in ("list", "set", "map") and len(args) == 1:
        element = _shape(args[0], depth + 1)
        if expr.name == "set":
            return CollectionShape(element, is_set=True)
        return CollectionShape(element) if element is not None else None
    if expr.name == "tuple" and len(args) == 1 and isinstance(args[0], TupleExpr):
        items = tuple(_shape(item, depth + 1) for item in args[0].items)
        return TupleShape(items) if any(item is not None for item in items) else None
    return None


def _object_shape(expr: ObjectExpr, depth: int) -> ObjectShape | None:
    attributes: dict[str, Attribute] = {}
    for item in expr.items:
        if not (isinstance(item.key, Literal) and isinstance(item.key.value, str)):
            continue
        written, name = item.value, item.key.value
        if isinstance(written, Call) and written.name == "optional" and 1 <= len(written.args) <= 2:
            default = written.args[1] if len(written.args) == 2 else None
            attributes[name] = Attribute(_shape(written.args[0], depth + 1), True, default)
        elif (shape := _shape(written, depth + 1)) is not None:
            attributes[name] = Attribute(shape, False, None)
    return ObjectShape(attributes) if attributes else None


def with_defaults(value: Any, shape: Shape | None, evaluate: Evaluate) -> Any:
    """``value`` as the variable holds it once converted to its type: each ``optional()``
    attribute that is missing or null is its default (itself given the defaults of its type),
    or null when it has none; a string where the type says ``number`` or ``bool`` that number
    or bool.  A null or unknown value stays as it is, as in Terraform; the value given is never
    changed (a caller's object may be used elsewhere as written)."""
    if shape is None or value is None:
        return value
    if isinstance(value, Choice):
        return value.mapped(lambda option: with_defaults(option, shape, evaluate))
    if isinstance(shape, PrimitiveShape):
        return converted(value, shape.kind)
    if isinstance(shape, ObjectShape) and isinstance(value, PMap):
        return _object(value, shape, evaluate)
    if isinstance(shape, CollectionShape) and isinstance(value, PMap):
        return _mapped(value, lambda _key, item: with_defaults(item, shape.element, evaluate))
    if isinstance(shape, CollectionShape) and isinstance(value, PSeq):
        listed = _listed(value, lambda _index, item: with_defaults(item, shape.element, evaluate))
        # Converted first: "1" and 1 given to a set(number) are one element.
        return as_set(listed) if shape.is_set else listed
    if isinstance(shape, TupleShape) and isinstance(value, PSeq):
        items = shape.items

        def item_of(index: int, item: Any) -> Any:
            return with_defaults(item, items[index], evaluate) if index < len(items) else item

        return _listed(value, item_of)
    return value


def _object(value: PMap, shape: ObjectShape, evaluate: Evaluate) -> PMap:
    if isinstance(value, InstanceObject):  # a resource's instance: not a value a caller wrote
        return value
    result = _mapped(
        value,
        lambda key, item: (
            with_defaults(item, shape.attributes[key].shape, evaluate)
            if key in shape.attributes
            else item
        ),
    )
    for name, attribute in shape.attributes.items():
        if not attribute.optional or result.get(name) is not None:
            continue
        if attribute.default is None:
            filled = None  # missing: null, as Terraform converts it
        else:
            filled = with_defaults(evaluate(attribute.default), attribute.shape, evaluate)
        # No span of its own: the default is written in the type, not in this object.
        result.set(name, filled, None, None)
    return result


def _mapped(value: PMap, convert: Callable[[Any, Any], Any]) -> PMap:
    result = FileMap(value.file, value.span) if isinstance(value, FileMap) else PMap(value.span)
    result.key_spans.update(value.key_spans)
    result.value_spans.update(value.value_spans)
    for key, item in value.items():
        result[key] = convert(key, item)
    return result


def _listed(value: PSeq, convert: Callable[[int, Any], Any]) -> PSeq:
    result = PSeq(value.span)
    for index, item in enumerate(value):
        span = value.item_spans[index] if index < len(value.item_spans) else None
        result.add(convert(index, item), span)
    return result
