"""What Terraform refuses in a variable definitions file (``terraform.tfvars``, ``*.auto.tfvars``,
a file passed with ``-var-file``).

Terraform evaluates each value of such a file with no evaluation context (``expr.Value(nil)``,
"nil because no function calls or variable references are allowed here"): a reference
(``var.y``, ``local.z``, ``"${var.y}"``) is "Variables not allowed", a function call "Function
calls not allowed" (hcl's ScopeTraversalExpr and FunctionCallExpr), and the run stops.  Read as
if it were a ``.tf`` file, ``x = var.y`` took the other variable's value, a policy Terraform never
deploys.

Only what HCL's evaluation surely reaches is refused here, so that each error is Terraform's
too: the branch a conditional does not take (hcl drops its diagnostics), the right operand of
``&&`` and ``||`` (which may be short-circuited), the body of a ``for`` over an empty collection
or behind a filter, a condition that is no literal bool, and a heredoc whose ``%{...}``
directives rolelint does not nest are left unjudged.  A ``.tfvars.json`` file holds no
reference: its strings are the text written (rolelint.parsers.hcl_json).

A variable's ``default`` is read the same way (Terraform's ``decodeVariableBlock`` evaluates
it with no context too): ``default = var.y`` is "Variables not allowed" where it is written, and
the configuration is rejected (:func:`refused_in` with :data:`IN_A_DEFAULT`).

Such a file sets variables and nothing else: Terraform reads its body as attributes only
(hcl's ``JustAttributes``), and a block written in it (``foo { ... }``) is "Unexpected "foo"
block; Blocks are not allowed here", which stops the run as a reference does.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from rolelint.findings import InputError
from rolelint.parsers.hcl_ast import (
    Attribute,
    Block,
    Body,
    Call,
    Conditional,
    Expr,
    ForExpr,
    GetAttr,
    GetIndex,
    Literal,
    ObjectExpr,
    Operation,
    Template,
    TemplateFor,
    TemplateIf,
    Traversal,
    TupleExpr,
    Unsupported,
)
from rolelint.source import Span

VARIABLES_NOT_ALLOWED = "Variables not allowed"
FUNCTIONS_NOT_ALLOWED = "Function calls not allowed"
BLOCKS_NOT_ALLOWED = "Blocks are not allowed here"
FILE = "a variable definitions file"
# What follows the name of a reference or a function a variable file's value holds.
NO_CONTEXT = f"{FILE}, whose values Terraform reads with no variables and no functions"
# The same for a variable's default.
IN_A_DEFAULT = "a variable's default, which Terraform reads with no variables and no functions"
# The reason the value of a variable the file sets that way is unknown: Terraform takes none.
REFUSED_VALUE = "a value Terraform refuses in a variable definitions file"
# HCL's bools, which a literal condition may be written as (cty converts these strings too).
_BOOLS = {True: True, False: False, "true": True, "false": False}


def read_variable_file(path: str, body: Body) -> tuple[Body, list[InputError]]:
    """The body of the variable file at ``path`` as Terraform takes it, and its errors: each
    value holding a reference or a function call is an error at it, and unknown in the body
    returned (the run is analyzed on, as it is past a file that does not parse); each block
    is an error at its type's name (it sets nothing: nothing reads a variable file's blocks).
    ``body`` is the parse cache's: it is never changed; an untouched file's body is returned
    as it is."""
    errors: list[InputError] = [_block_error(path, block) for block in body.blocks]
    refused: dict[str, Attribute] = {}
    for attribute in (*body.attributes.values(), *body.duplicates):
        found = refused_in(attribute.value)
        if found is None:
            continue
        message, span = found
        errors.append(InputError(path, message, span.line, span.column))
        if body.attributes.get(attribute.name) is attribute:
            unread = Unsupported(attribute.value.span, REFUSED_VALUE)
            refused[attribute.name] = Attribute(
                attribute.name, unread, attribute.span, attribute.name_span
            )
    if not refused:
        return body, errors
    attributes = {name: refused.get(name, attribute) for name, attribute in body.attributes.items()}
    return Body(attributes, body.blocks, body.duplicates), errors


def _block_error(path: str, block: Block) -> InputError:
    """Terraform's error for a block written in a variable file, where its type's name is."""
    span = block.span
    message = f'{BLOCKS_NOT_ALLOWED}: unexpected "{block.type}" block in {FILE}'
    return InputError(path, message, span.line if span else None, span.column if span else None)


def refused_in(expr: Expr, where: str = NO_CONTEXT) -> tuple[str, Span] | None:
    """The first reference or function call Terraform's evaluation of ``expr`` with no context
    reaches, as its error and where it is written; None when it reaches none.  ``where`` is
    what the error says the value is (a variable file's, a variable's default)."""
    found = next(_refusals(expr, frozenset()), None)
    if found is None:
        return None
    kind, name, span = found
    if kind == VARIABLES_NOT_ALLOWED:
        return f"{kind}: {name} may not be used in {where}", span
    return f"{kind}: {name}() may not be called in {where}", span


# What Terraform refuses, as (its error's first words, the reference or function's name, where).
_Refusal = tuple[str, str, Span]


def _refusals(expr: Expr, bound: frozenset[str]) -> Iterator[_Refusal]:
    """What Terraform refuses in ``expr``, in the order it evaluates it; ``bound`` are the
    names the ``for`` expressions around it declare, which are no references."""
    if isinstance(expr, Traversal):
        yield from _traversal(expr, bound)
    elif isinstance(expr, Call):
        if expr.span is not None:
            yield FUNCTIONS_NOT_ALLOWED, expr.name, expr.span
    elif isinstance(expr, Template):
        if not expr.directive:  # a directive rolelint does not nest: where it is is unknown
            yield from _parts(expr.parts, bound)
    elif isinstance(expr, TupleExpr):
        yield from _parts(expr.items, bound)
    elif isinstance(expr, ObjectExpr):
        for item in expr.items:
            yield from _refusals(item.key, bound)
            yield from _refusals(item.value, bound)
    elif isinstance(expr, Conditional):
        yield from _chosen(expr.condition, (expr.then,), (expr.otherwise,), bound)
    elif isinstance(expr, Operation):
        yield from _refusals(expr.left, bound)
        if expr.right is not None and expr.operator not in ("&&", "||"):
            yield from _refusals(expr.right, bound)
    elif isinstance(expr, ForExpr):
        body = [part for part in (expr.key, expr.value) if part is not None]
        names = (expr.key_name, expr.value_name)
        yield from _for(expr.collection, names, expr.condition, body, bound)


def _traversal(expr: Traversal, bound: frozenset[str]) -> Iterator[_Refusal]:
    """A reference (``var.y``) is refused where it is written; an iterator's name, or a
    traversal of a value (``[1, 2][0]``), only for what its source and indexes refer to."""
    if expr.root is None:
        if expr.source is not None:
            yield from _refusals(expr.source, bound)
    elif expr.root not in bound:
        if expr.span is not None:
            yield VARIABLES_NOT_ALLOWED, _reference_name(expr), expr.span
        return
    for step in expr.steps:
        if isinstance(step, GetIndex):
            yield from _refusals(step.key, bound)


def _parts(parts: Iterable[str | Expr], bound: frozenset[str]) -> Iterator[_Refusal]:
    """A template's interpolations and directives, in order (its text refuses nothing)."""
    for part in parts:
        if isinstance(part, TemplateIf):
            yield from _chosen(part.condition, part.then, part.otherwise, bound)
        elif isinstance(part, TemplateFor):
            names = (part.key_name, part.value_name)
            yield from _for(part.collection, names, None, part.body, bound)
        elif isinstance(part, Expr):
            yield from _refusals(part, bound)


def _chosen(
    condition: Expr,
    then: Iterable[str | Expr],
    otherwise: Iterable[str | Expr],
    bound: frozenset[str],
) -> Iterator[_Refusal]:
    """A conditional (``c ? a : b``, ``%{ if c }``): its condition, then the branch a literal
    condition takes; hcl evaluates both branches but keeps the diagnostics of that one only,
    and of neither when the condition is not known."""
    yield from _refusals(condition, bound)
    written = condition.value if isinstance(condition, Literal) else None
    verdict = _BOOLS.get(written) if isinstance(written, (bool, str)) else None  # not 1 nor 0
    if verdict is not None:
        yield from _parts(then if verdict else otherwise, bound)


def _for(
    collection: Expr,
    names: tuple[str | None, str],
    condition: Expr | None,
    body: Iterable[str | Expr],
    bound: frozenset[str],
) -> Iterator[_Refusal]:
    """A ``for`` expression or directive: its collection, then, when that is written with an
    element, its filter and its body, in which the ``names`` it declares (its key's, if any,
    and its value's) are no references.  An
    empty collection evaluates neither; a filter may drop every element, so a body behind one
    is not judged."""
    yield from _refusals(collection, bound)
    if not (isinstance(collection, (TupleExpr, ObjectExpr)) and collection.items):
        return
    inner = bound | {name for name in names if name is not None}
    if condition is not None:
        yield from _refusals(condition, inner)
        return
    yield from _parts(body, inner)


def _reference_name(expr: Traversal) -> str:
    """A reference as written, to its first index (``var.y``, ``local.z.a``)."""
    names = [expr.root or ""]
    for step in expr.steps:
        if not isinstance(step, GetAttr):
            break
        names.append(step.name)
    return ".".join(names)
