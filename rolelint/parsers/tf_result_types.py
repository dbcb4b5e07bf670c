"""The type of value a Terraform expression gives whatever the values it reads, where the
expression alone says it; what a conditional needs to be rejected before its condition is read.

HCL evaluates both results of ``c ? a : b`` and unifies their types before it reads ``c``
(hclsyntax's ConditionalExpr): results of types no one type holds are the error "Inconsistent
conditional result types", whatever ``c`` is, and Terraform rejects the configuration.  HCL
unifies most pairs: a string, a number and a bool convert to one another (to a string), a tuple
to a list of its elements' type, an object to a map, and a literal ``null`` to anything.  What it
never unifies is a primitive (string, number, bool) with a collection or a structural type
(tuple, list, set, map, object): neither converts to the other.  That is the only mismatch
judged here, and only where both types are certain: a literal, a template with text, a
``[...]``/``{...}`` or ``for`` expression, an operation, a call whose result type is fixed, a
variable's declared ``type``, a local written as one of these.  A name bound by a ``for``, an
untyped variable (whoever deploys may pass any type), a resource's attribute: no type is
certain, and nothing is judged.
"""

from __future__ import annotations

from collections.abc import Callable, Container

from rolelint.parsers.hcl_ast import (
    Call,
    Conditional,
    Expr,
    ForExpr,
    GetAttr,
    Literal,
    ObjectExpr,
    Operation,
    Template,
    Traversal,
    TupleExpr,
    bare_name,
)
from rolelint.parsers.tf_types import type_expression

PRIMITIVES = frozenset(("string", "number", "bool"))
COLLECTIONS = frozenset(("tuple", "list", "set", "map", "object"))
# How far a local naming a local is followed: real code chains a few; a cycle stops here.
MAX_DEPTH = 16

# The functions whose result has one type whatever their arguments (those rolelint policies
# meet most); any other call's type is not certain here.
_CALL_TYPES = {
    "jsonencode": "string",
    "format": "string",
    "join": "string",
    "lower": "string",
    "upper": "string",
    "replace": "string",
    "trimspace": "string",
    "tostring": "string",
    "base64encode": "string",
    "tonumber": "number",
    "length": "number",
    "tobool": "bool",
    "contains": "bool",
    "can": "bool",
    "tolist": "list",
    "split": "list",
    "formatlist": "list",
    "keys": "list",
    "toset": "set",
    "tomap": "map",
}
_ARITHMETIC = frozenset(("+", "-", "*", "/", "%"))
_LOGICAL = frozenset(("==", "!=", "<", ">", "<=", ">=", "&&", "||", "!"))

# The expression of a local by name (None for one not defined), and a variable's declared
# ``type`` expression (None for an untyped or undeclared one).
LocalExpression = Callable[[str], Expr | None]
VariableType = Callable[[str], Expr | None]


def inconsistent_results(
    then: Expr,
    otherwise: Expr,
    local: LocalExpression,
    variable_type: VariableType,
    bound: Container[str] = (),
) -> tuple[str, str] | None:
    """The certain types of a conditional's results (``then``, ``otherwise``) when HCL cannot
    unify them, one a primitive and the other a collection or structural type; None when it
    can or when either type is not certain.  ``bound`` are the names a ``for`` expression or
    ``dynamic`` block binds around the conditional."""
    kinds = (
        result_type(then, local, variable_type, bound),
        result_type(otherwise, local, variable_type, bound),
    )
    first, second = kinds
    if first is None or second is None:
        return None
    if (first in PRIMITIVES and second in COLLECTIONS) or (
        first in COLLECTIONS and second in PRIMITIVES
    ):
        return first, second
    return None


def result_type(
    expr: Expr,
    local: LocalExpression,
    variable_type: VariableType,
    bound: Container[str] = (),
    depth: int = 0,
) -> str | None:
    """The type ``expr`` surely gives ("string", "tuple", "object"...), as far as it alone says
    it; None when that depends on values (or is not read here)."""
    if depth > MAX_DEPTH:
        return None
    if isinstance(expr, Literal):
        return _literal_type(expr.value)
    if isinstance(expr, Template):
        if len(expr.parts) == 1 and isinstance(expr.parts[0], Expr) and not expr.directive:
            # "${x}" alone is x's value as it is, of x's type (HCL's TemplateWrapExpr).
            return result_type(expr.parts[0], local, variable_type, bound, depth + 1)
        return "string"
    if isinstance(expr, TupleExpr):
        return "tuple"
    if isinstance(expr, ObjectExpr):
        return "object"
    if isinstance(expr, ForExpr):
        return "tuple" if expr.key is None else "object"
    if isinstance(expr, Operation):
        if expr.operator in _LOGICAL:
            return "bool"
        return "number" if expr.operator in _ARITHMETIC else None
    if isinstance(expr, Call):
        return _CALL_TYPES.get(expr.name)
    if isinstance(expr, Conditional):
        then = result_type(expr.then, local, variable_type, bound, depth + 1)
        otherwise = result_type(expr.otherwise, local, variable_type, bound, depth + 1)
        if then == otherwise:
            return then
        if then in PRIMITIVES and otherwise in PRIMITIVES:
            return "string"  # HCL unifies two primitive types as a string
        return None
    if isinstance(expr, Traversal):
        return _named_type(expr, local, variable_type, bound, depth)
    return None


def _literal_type(value: object) -> str | None:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, str):
        return "string"
    if isinstance(value, int | float):
        return "number"
    return None  # null converts to any type


def _named_type(
    expr: Traversal,
    local: LocalExpression,
    variable_type: VariableType,
    bound: Container[str],
    depth: int,
) -> str | None:
    """The type of ``local.x`` (its expression's) or ``var.x`` (its declared one)."""
    if expr.root is None or expr.root in bound or len(expr.steps) != 1:
        return None
    step = expr.steps[0]
    if not isinstance(step, GetAttr):
        return None
    if expr.root == "local":
        written = local(step.name)
        if written is None:
            return None
        return result_type(written, local, variable_type, bound=(), depth=depth + 1)
    if expr.root == "var":
        return declared_type(variable_type(step.name))
    return None


def declared_type(expr: Expr | None) -> str | None:
    """The type a variable's ``type`` expression gives its value; None for ``any``, no type,
    or one not read here."""
    expr = type_expression(expr)  # a string in Terraform's JSON syntax: "list(string)"
    keyword = bare_name(expr) if expr is not None else None
    if keyword is not None:
        return keyword if keyword in PRIMITIVES else None
    if isinstance(expr, Call):
        return expr.name if expr.name in COLLECTIONS else None
    return None
