"""The template directives of HCL, ``%{ if }`` and ``%{ for }``, read from a template's text.

HCL scans a template into literal text, interpolations and directives, applies the strip
markers (``%{~ if x ~}``) to the text beside them, then nests what lies between ``%{ if }``,
``%{ else }`` and ``%{ endif }`` (or ``%{ for }`` and ``%{ endfor }``): a conditional of two
templates, a join of a for expression over one.  Here they are
:class:`~rolelint.parsers.hcl_ast.TemplateIf` and :class:`~rolelint.parsers.hcl_ast.TemplateFor`,
which the evaluator renders as Terraform does.  The JSON strings of a heredoc or template, and
the strings of Terraform's JSON syntax, are read from their text (:func:`template_parts`,
:func:`read_parts`); a quoted HCL string is scanned by the grammar, whose directives the
adapter gives as :class:`Directive`: all are nested by :func:`nested`.

What Terraform rejects (a directive without its ``}``, an ``%{ else }`` or ``%{ endif }`` out of
place, an ``%{ if }`` without its ``%{ endif }``, another keyword) and what rolelint cannot parse
make the whole template one :class:`~rolelint.parsers.hcl_ast.Unsupported`, whose reason says
which: a template is never read as the literal text of a directive it does not render.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from rolelint.parsers.hcl_adapter import (
    DirectiveText,
    interpolation_parts,
    parse_expression,
    without_comments,
)
from rolelint.parsers.hcl_ast import Expr, TemplateFor, TemplateIf, Unsupported
from rolelint.source import LinesSoFar, Span

# Directives nested deeper than this are hostile input, not a policy: the template is unknown
# (the nesting is read recursively).
MAX_NESTING = 50
REJECTED = "a template directive (%{ }) Terraform rejects"
UNPARSED = "a template directive (%{ }) rolelint cannot parse"
TOO_DEEP = f"template directives (%{{ }}) nested more than {MAX_NESTING} deep"
_NOT_RENDERED = (REJECTED, UNPARSED, TOO_DEEP)

# HCL's identifiers (letters, digits, underscores and dashes, not starting with a digit or dash).
_NAME = r"[^\W\d][\w-]*"
_KEYWORD = re.compile(rf"\s*({_NAME})")
_FOR_INTRO = re.compile(rf"\s*(?P<first>{_NAME})\s*(?:,\s*(?P<second>{_NAME})\s*)?in(?![\w-])")
_CLOSERS = frozenset(("else", "endif", "endfor"))


@dataclass(frozen=True, slots=True)
class Directive:
    """One ``%{ ... }`` read: its keyword and, for ``if`` and ``for``, what it holds."""

    keyword: str
    span: Span | None
    expression: Expr | None = None  # the condition of an ``if``, the collection of a ``for``
    key_name: str | None = None
    value_name: str = ""


class _Unbalanced(Exception):
    """Directives that do not nest as HCL requires (Terraform rejects the template), or nest
    deeper than rolelint reads."""

    def __init__(self, span: Span | None, reason: str) -> None:
        super().__init__(reason)
        self.span = span
        self.reason = reason


def template_parts(
    text: str, first_line: int, first_column: int, later_column: int | None = None
) -> list[str | Expr]:
    """``text`` as HCL reads a template: literal parts and expressions, its directives built
    into :class:`TemplateIf` and :class:`TemplateFor` (positioned in the file as
    :func:`~rolelint.parsers.hcl_adapter.interpolation_parts` places the interpolations), or
    one :class:`Unsupported`, the first part that cannot be read, when one cannot."""
    flat = interpolation_parts(text, first_line, first_column, later_column, directives=True)
    return read_parts(flat)


def read_parts(flat: list[Any]) -> list[str | Expr]:
    """A template's parts as :func:`~rolelint.parsers.hcl_adapter.interpolation_parts` gives
    them with its directives' text (``directives=True``), each directive read and nested as
    :func:`template_parts` says: the JSON strings of a heredoc, the strings of Terraform's JSON
    syntax (rolelint.parsers.hcl_json)."""
    tokens: list[str | Expr | Directive] = []
    for part in flat:
        token = _directive(part) if isinstance(part, DirectiveText) else part
        if isinstance(token, Unsupported):
            return [token]
        tokens.append(token)
    return nested(tokens)


def nested(tokens: list[str | Expr | Directive]) -> list[str | Expr]:
    """A template's parts in order (its strip markers applied already) with its directives
    built into :class:`TemplateIf` and :class:`TemplateFor` as HCL nests them; one
    :class:`Unsupported` saying why when they do not nest (Terraform rejects the template) or
    nest too deep."""
    try:
        parts, _, _ = _sequence(tokens, 0, frozenset(), 0)
    except _Unbalanced as problem:
        return [Unsupported(problem.span, problem.reason)]
    return parts


def not_rendered(parts: tuple[str | Expr, ...]) -> Unsupported | None:
    """The :class:`Unsupported` :func:`nested` or :func:`template_parts` made of a template
    whose directives cannot be rendered (``parts`` is then that one part), else None."""
    if len(parts) != 1 or not isinstance(parts[0], Unsupported):
        return None
    return parts[0] if parts[0].reason.startswith(_NOT_RENDERED) else None


def _directive(piece: DirectiveText) -> Directive | Unsupported:
    """What a ``%{ ... }`` says."""
    here = Span.point(piece.line, max(piece.column - 2, 1))  # the ``%{``
    if piece.source is None:
        return Unsupported(here, f"{REJECTED}: it has no closing brace")
    source = piece.source
    if source.startswith("~"):
        source = " " + source[1:]
    if source.endswith("~"):
        source = source[:-1] + " "
    source = without_comments(source)  # blanked, same width: offsets stay those written
    keyword = _KEYWORD.match(source)
    if keyword is None:
        return Unsupported(here, f"{REJECTED}: it starts with no keyword")
    name, rest = keyword.group(1), keyword.end()
    if name in _CLOSERS:
        if source[rest:].strip():
            return Unsupported(here, f"{REJECTED}: %{{ {name} }} takes nothing after it")
        return Directive(name, here)
    if name == "if" and source[rest:].strip():
        condition = _expression(piece, source, rest)
        if isinstance(condition, Unsupported):
            return Unsupported(condition.span, UNPARSED)
        return Directive("if", here, condition)
    intro = _FOR_INTRO.match(source, rest) if name == "for" else None
    if intro is not None and source[intro.end() :].strip():
        collection = _expression(piece, source, intro.end())
        if isinstance(collection, Unsupported):
            return Unsupported(collection.span, UNPARSED)
        first, second = intro.group("first"), intro.group("second")
        key_name, value_name = (first, second) if second else (None, first)
        return Directive("for", here, collection, key_name, value_name)
    if name in ("if", "for"):
        return Unsupported(here, UNPARSED)
    return Unsupported(here, f'{REJECTED}: "{name}" is no directive keyword')


def _expression(piece: DirectiveText, source: str, offset: int) -> Expr:
    """The expression of ``source`` (a directive's text) from ``offset`` on, placed where it
    is written: the first line of the directive at its column, a later line at the column
    later lines of the template start at."""
    line, column = LinesSoFar(source, piece.line).at(offset)
    start = piece.column if line == piece.line else piece.later_column
    return parse_expression(source[offset:], line, start + column - 1, piece.later_column)


def _sequence(
    tokens: list[str | Expr | Directive], index: int, until: frozenset[str], depth: int
) -> tuple[list[str | Expr], int, Directive | None]:
    """The parts from ``tokens[index]`` up to the first directive whose keyword is in
    ``until`` (returned with its index; None at the end of the template), the directives
    between nested.  A closing directive not in ``until`` is out of place."""
    parts: list[str | Expr] = []
    while index < len(tokens):
        token = tokens[index]
        if not isinstance(token, Directive):
            parts.append(token)
            index += 1
            continue
        if token.keyword in until:
            return parts, index, token
        if token.keyword in ("if", "for") and depth >= MAX_NESTING:
            raise _Unbalanced(token.span, TOO_DEEP)
        if token.keyword == "if":
            then, index, end = _sequence(tokens, index + 1, frozenset(("else", "endif")), depth + 1)
            otherwise: list[str | Expr] = []
            if end is not None and end.keyword == "else":
                otherwise, index, end = _sequence(
                    tokens, index + 1, frozenset(("endif",)), depth + 1
                )
            if end is None:
                raise _Unbalanced(token.span, f"{REJECTED}: %{{ if }} without its %{{ endif }}")
            assert token.expression is not None
            parts.append(TemplateIf(token.span, token.expression, tuple(then), tuple(otherwise)))
        elif token.keyword == "for":
            body, index, end = _sequence(tokens, index + 1, frozenset(("endfor",)), depth + 1)
            if end is None:
                raise _Unbalanced(token.span, f"{REJECTED}: %{{ for }} without its %{{ endfor }}")
            assert token.expression is not None
            parts.append(
                TemplateFor(
                    token.span, token.key_name, token.value_name, token.expression, tuple(body)
                )
            )
        else:
            raise _Unbalanced(token.span, f"{REJECTED}: %{{ {token.keyword} }} out of place")
        index += 1  # past the directive that closed it
    return parts, index, None
