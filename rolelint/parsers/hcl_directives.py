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
place, an ``%{ if }`` without its ``%{ endif }``, another keyword, an expression with a syntax
error) and what rolelint cannot parse make the whole template one
:class:`~rolelint.parsers.hcl_ast.Unsupported`, whose reason says which: a template is never read
as the literal text of a directive it does not render.  What Terraform rejects is a
:class:`~rolelint.parsers.hcl_ast.Rejected`, with the error the parse of a file gives for it (the
same text in a quoted string's directive, or a message of its own where directives do not nest):
a heredoc or template holding one is an input error (:func:`rejected_template`), as a file is.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from rolelint.parsers.hcl_adapter import (
    BARE_CARRIAGE_RETURN,
    DirectiveText,
    directive_error,
    interpolation_parts,
    invalid_carriage_return,
    parse_expression,
    without_comments,
)
from rolelint.parsers.hcl_ast import Expr, Rejected, TemplateFor, TemplateIf, Unsupported
from rolelint.source import LinesSoFar, Span

# Directives nested deeper than this are hostile input, not a policy: the template is unknown
# (the nesting is read recursively).
MAX_NESTING = 50
REJECTED = "a template directive (%{ }) Terraform rejects"
UNPARSED = "a template directive (%{ }) rolelint cannot parse"
TOO_DEEP = f"template directives (%{{ }}) nested more than {MAX_NESTING} deep"
# A JSON string of a heredoc or template whose directives do not nest in it, though they do in
# the whole template (which Terraform takes): one of them opens or closes in another string.
SPLIT = "a template directive (%{ }) paired with one outside this JSON string"
_NOT_RENDERED = (REJECTED, UNPARSED, TOO_DEEP, SPLIT)

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
    """Directives that do not nest as HCL requires (Terraform rejects the template: ``detail``
    says how), or nest deeper than rolelint reads (no ``detail``)."""

    def __init__(self, span: Span | None, reason: str, detail: str | None = None) -> None:
        super().__init__(reason)
        self.span = span
        self.reason = reason
        self.detail = detail

    def unsupported(self, *, in_string: bool) -> Unsupported:
        """What the template is: :class:`Rejected` with the error of a file when Terraform
        rejects it, else unknown (nested too deep, or, ``in_string``, a JSON string of a
        template Terraform takes, whose directive pairs with one in another string)."""
        if self.detail is None:
            return Unsupported(self.span, self.reason)
        if in_string:
            return Unsupported(self.span, SPLIT)
        where = self.span or Span.point(1, 1)
        return Rejected(self.span, self.reason, f"invalid HCL: {self.detail}", where)


def template_parts(
    text: str,
    first_line: int,
    first_column: int,
    later_column: int | None = None,
    *,
    in_string: bool = False,
    literal: Callable[[str], str] | None = None,
    line_columns: Mapping[int, int] | None = None,
) -> list[str | Expr]:
    """``text`` as HCL reads a template: literal parts and expressions, its directives built
    into :class:`TemplateIf` and :class:`TemplateFor` (positioned in the file as
    :func:`~rolelint.parsers.hcl_adapter.interpolation_parts` places the interpolations), or
    one :class:`Unsupported`, the first part that cannot be read, when one cannot.
    ``in_string``: ``text`` is one JSON string of a heredoc or template that Terraform takes
    (:func:`rejected_template` found nothing), so directives that do not nest in it pair with
    one in another string (:data:`SPLIT`).  ``literal``: what each literal part is once the
    strip markers have run (the JSON escapes of a heredoc's string decoded, tf_template_json).
    ``line_columns``: the file column of the first character of the later lines (by file line)
    that start elsewhere than ``later_column`` (HeredocText.line_columns)."""
    flat = interpolation_parts(
        text, first_line, first_column, later_column, directives=True, line_columns=line_columns
    )
    if literal is not None:
        flat = [literal(part) if isinstance(part, str) else part for part in flat]
    return read_parts(flat, in_string=in_string)


def read_parts(flat: list[Any], *, in_string: bool = False) -> list[str | Expr]:
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
    return nested(tokens, in_string=in_string)


def nested(tokens: list[str | Expr | Directive], *, in_string: bool = False) -> list[str | Expr]:
    """A template's parts in order (its strip markers applied already) with its directives
    built into :class:`TemplateIf` and :class:`TemplateFor` as HCL nests them; one
    :class:`Unsupported` saying why when they do not nest (:class:`Rejected`: Terraform
    rejects the template) or nest too deep."""
    try:
        parts, _, _ = _sequence(tokens, 0, frozenset(), 0)
    except _Unbalanced as problem:
        return [problem.unsupported(in_string=in_string)]
    return parts


def rejected_template(
    text: str,
    first_line: int,
    first_column: int,
    line_columns: Mapping[int, int] | None = None,
) -> Rejected | None:
    """What Terraform rejects first in the template ``text`` (a heredoc's body, a template
    file's text: the whole template, whose directives may pair across its JSON strings), its
    first character at ``first_line``/``first_column`` of the file and each later line at
    ``first_column``, or at the column ``line_columns`` gives for its file line (a ``<<-``
    heredoc's line that keeps more indentation): an interpolation or a directive the parse of
    a file rejects, in the order written, else directives that do not nest.  None when
    Terraform takes it, or when rolelint cannot tell (a directive it cannot read, directives
    nested too deep)."""
    tokens: list[str | Expr | Directive] = []
    parts = interpolation_parts(
        text, first_line, first_column, directives=True, line_columns=line_columns
    )
    for part in parts:
        token = _directive(part) if isinstance(part, DirectiveText) else part
        if isinstance(token, Rejected):
            return token
        if isinstance(token, Unsupported) and isinstance(part, DirectiveText):
            return None  # a directive rolelint cannot read: how they nest is not known
        tokens.append(token)
    unread = not_rendered(tuple(nested(tokens)))
    return unread if isinstance(unread, Rejected) else None


def not_rendered(parts: tuple[str | Expr, ...]) -> Unsupported | None:
    """The :class:`Unsupported` :func:`nested` or :func:`template_parts` made of a template
    whose directives cannot be rendered (``parts`` is then that one part), else None."""
    if len(parts) != 1 or not isinstance(parts[0], Unsupported):
        return None
    return parts[0] if parts[0].reason.startswith(_NOT_RENDERED) else None


def _directive(piece: DirectiveText) -> Directive | Unsupported:
    """What a ``%{ ... }`` says; :class:`Rejected` (with the error of a file) what Terraform
    rejects."""
    here = Span.point(piece.line, max(piece.column - 2, 1))  # the ``%{``
    if piece.source is None:
        detail = "a template directive (%{ }) without its closing brace"
        return Rejected(
            here, f"{REJECTED}: it has no closing brace", f"invalid HCL: {detail}", here
        )
    source = piece.source
    bare = invalid_carriage_return(source)  # one in a quoted string: the expression's error
    if bare is not None:
        reason = f"{REJECTED}: it holds a carriage return not followed by a line feed"
        return Rejected(here, reason, BARE_CARRIAGE_RETURN, _place(piece, source, bare))
    if source.startswith("~"):
        source = " " + source[1:]
    if source.endswith("~"):
        source = source[:-1] + " "
    source = without_comments(source)  # blanked, same width: offsets stay those written
    keyword = _KEYWORD.match(source)
    if keyword is None:
        return _not_read(piece, source, here, f"{REJECTED}: it starts with no keyword")
    name, rest = keyword.group(1), keyword.end()
    if name in _CLOSERS:
        if source[rest:].strip():
            reason = f"{REJECTED}: %{{ {name} }} takes nothing after it"
            return _not_read(piece, source, here, reason)
        return Directive(name, here)
    if name == "if" and source[rest:].strip():
        condition = _expression(piece, source, rest)
        if isinstance(condition, Unsupported):
            return _unparsed(condition)
        return Directive("if", here, condition)
    intro = _FOR_INTRO.match(source, rest) if name == "for" else None
    if intro is not None and source[intro.end() :].strip():
        collection = _expression(piece, source, intro.end())
        if isinstance(collection, Unsupported):
            return _unparsed(collection)
        first, second = intro.group("first"), intro.group("second")
        key_name, value_name = (first, second) if second else (None, first)
        return Directive("for", here, collection, key_name, value_name)
    if name in ("if", "for"):
        return _not_read(piece, source, here, UNPARSED)
    return _not_read(piece, source, here, f'{REJECTED}: "{name}" is no directive keyword')


def _unparsed(expression: Unsupported) -> Unsupported:
    """A directive whose expression does not parse: :class:`Rejected` as the expression is
    (a syntax error Terraform rejects), else one rolelint alone cannot parse."""
    if isinstance(expression, Rejected):
        return Rejected(expression.span, UNPARSED, expression.error, expression.error_at)
    return Unsupported(expression.span, UNPARSED)


def _not_read(piece: DirectiveText, source: str, here: Span, reason: str) -> Unsupported:
    """A directive rolelint does not read (``reason``): :class:`Rejected`, with the error the
    parse of a file gives for the same directive in a quoted string, when it gives one."""
    error = directive_error(source, lambda offset: _place(piece, source, offset))
    if error is None:
        return Unsupported(here, reason)
    return Rejected(here, reason, *error)


def _place(piece: DirectiveText, source: str, offset: int) -> Span:
    """Where the character of ``source`` (a directive's text) at ``offset`` is written: the
    first line of the directive at its column, a later line at the column later lines of the
    template start at (or the one its file line starts at, a ``<<-`` heredoc's line that keeps
    more indentation)."""
    line, column = LinesSoFar(source, piece.line).at(offset)
    start = piece.column if line == piece.line else _later_column(piece, line)
    return Span.point(line, start + column - 1)


def _later_column(piece: DirectiveText, line: int) -> int:
    """The file column a later line of the directive ``piece`` starts at."""
    columns = piece.line_columns
    return columns.get(line, piece.later_column) if columns else piece.later_column


def _expression(piece: DirectiveText, source: str, offset: int) -> Expr:
    """The expression of ``source`` (a directive's text) from ``offset`` on, placed where it
    is written: the first line of the directive at its column, a later line at the column
    later lines of the template start at (or where its file line starts)."""
    place = _place(piece, source, offset)
    return parse_expression(
        source[offset:], place.line, place.column, piece.later_column, piece.line_columns
    )


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
                detail = "%{ if } without its %{ endif }"
                raise _Unbalanced(token.span, f"{REJECTED}: {detail}", detail)
            assert token.expression is not None
            parts.append(TemplateIf(token.span, token.expression, tuple(then), tuple(otherwise)))
        elif token.keyword == "for":
            body, index, end = _sequence(tokens, index + 1, frozenset(("endfor",)), depth + 1)
            if end is None:
                detail = "%{ for } without its %{ endfor }"
                raise _Unbalanced(token.span, f"{REJECTED}: {detail}", detail)
            assert token.expression is not None
            parts.append(
                TemplateFor(
                    token.span, token.key_name, token.value_name, token.expression, tuple(body)
                )
            )
        else:
            detail = f"%{{ {token.keyword} }} out of place"
            raise _Unbalanced(token.span, f"{REJECTED}: {detail}", detail)
        index += 1  # past the directive that closed it
    return parts, index, None
