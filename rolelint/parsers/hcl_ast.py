"""A small positioned syntax tree for Terraform, the one shape ``.tf`` and ``.tf.json`` both become.

python-hcl2's own output either drops positions (``loads``) or is a raw Lark tree that changes
between releases; the evaluator works on these few dataclasses instead, so that only
:mod:`rolelint.parsers.hcl_adapter` knows the parser's internals.  Every node keeps the span of the
text it came from: findings point inside ``jsonencode({...})``, not at the resource header.
Nodes are :class:`~rolelint.source.Picklable`: the parse cache holds them, and unpickling them
is a good part of a warm Terraform scan.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rolelint.source import Picklable, Span

Scalar = str | int | float | bool | None


@dataclass(frozen=True, slots=True)
class Expr(Picklable):
    """Base of every expression; ``span`` is where its text is."""

    span: Span | None


@dataclass(frozen=True, slots=True)
class Literal(Expr):
    """A number, a bool, null, or a string without interpolation."""

    value: Scalar


@dataclass(frozen=True, slots=True)
class Template(Expr):
    """A quoted string or heredoc with ``${...}`` interpolations: text parts and expressions.

    ``directive`` marks a template with ``%{ if }``/``%{ for }`` directives rolelint does not
    render (the whole string stays unresolved): a heredoc's outside its JSON strings, and those
    of a quoted string (or a string of a ``.tf.json`` file) that cannot be rendered, whose one
    part is then the :class:`Unsupported` that says why.  Those of a quoted string, of a
    string of a ``.tf.json`` file, and of a JSON string inside a heredoc or template, are read
    as :class:`TemplateIf` and :class:`TemplateFor`.
    ``heredoc`` keeps, for heredocs, the raw body and where it starts, so JSON inside it can
    be positioned line by line.
    """

    parts: tuple[str | Expr, ...]
    directive: bool = False
    heredoc: HeredocText | None = None


@dataclass(frozen=True, slots=True)
class HeredocText(Picklable):
    """The body of a heredoc after ``<<-`` trimming, and where its first line starts."""

    text: str
    first_line: int  # the file line of the body's first line
    indent: int  # characters removed from the start of its lines by ``<<-`` (0 for ``<<``)
    # The lines ``<<-`` removed less than ``indent`` from, as HCL does (a line after a ``~}``
    # that took its line feed keeps its indentation, one inside a ``${...}`` loses no more than
    # it has): each one's file line and the file column of its first character in ``text``.
    kept: tuple[tuple[int, int], ...] = ()

    def line_columns(self) -> dict[int, int] | None:
        """The file column of the first character of each line of :attr:`kept`, by its file
        line; None when every line starts at column ``indent + 1``."""
        return dict(self.kept) if self.kept else None


@dataclass(frozen=True, slots=True)
class TupleExpr(Expr):
    items: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class ObjectItem(Picklable):
    key: Expr  # a Literal for bare names (``Version = ...``), else an expression
    value: Expr
    key_span: Span | None


@dataclass(frozen=True, slots=True)
class ObjectExpr(Expr):
    items: tuple[ObjectItem, ...]


@dataclass(frozen=True, slots=True)
class Call(Expr):
    name: str
    args: tuple[Expr, ...]
    expand_last: bool = False  # ``f(list...)``


@dataclass(frozen=True, slots=True)
class GetAttr(Picklable):
    name: str


@dataclass(frozen=True, slots=True)
class GetIndex(Picklable):
    key: Expr


@dataclass(frozen=True, slots=True)
class Splat(Picklable):
    """``[*]`` or ``.*``: the rest of the traversal applies to every element."""


Step = GetAttr | GetIndex | Splat


@dataclass(frozen=True, slots=True)
class Traversal(Expr):
    """``var.x``, ``data.aws_iam_policy_document.p.json``, ``each.value[0]``, ``(expr).attr``.

    ``root`` is the first name, or None when the traversal starts from an expression (``source``).
    """

    root: str | None
    steps: tuple[Step, ...]
    source: Expr | None = None


def bare_name(expr: Expr) -> str | None:
    """The name ``expr`` is when it is one name and nothing else (``foo``, not ``foo.bar``):
    an object key HCL reads as that text, and in parentheses a reference to it."""
    if isinstance(expr, Traversal) and expr.root is not None and not expr.steps:
        return expr.root
    return None


@dataclass(frozen=True, slots=True)
class Conditional(Expr):
    condition: Expr
    then: Expr
    otherwise: Expr


@dataclass(frozen=True, slots=True)
class Operation(Expr):
    """A unary (``right`` is None) or binary operator."""

    operator: str
    left: Expr
    right: Expr | None = None


@dataclass(frozen=True, slots=True)
class ForExpr(Expr):
    key_name: str | None  # ``for k, v in`` -> "k"; ``for v in`` -> None
    value_name: str
    collection: Expr
    key: Expr | None  # object ``for``: the key expression; None for a tuple ``for``
    value: Expr
    condition: Expr | None
    grouping: bool = False  # ``...`` after an object for's value


@dataclass(frozen=True, slots=True)
class TemplateIf(Expr):
    """``%{ if condition }then%{ else }otherwise%{ endif }`` in a template: the text of the
    branch the condition takes (``otherwise`` empty without ``%{ else }``), as HCL's own
    conditional of two templates is.  Built where rolelint reads directives (quoted strings,
    the JSON strings of a heredoc or template: :mod:`rolelint.parsers.hcl_directives`)."""

    condition: Expr
    then: tuple[str | Expr, ...]
    otherwise: tuple[str | Expr, ...]


@dataclass(frozen=True, slots=True)
class TemplateFor(Expr):
    """``%{ for key, value in collection }body%{ endfor }`` in a template: ``body`` rendered
    for each element of the collection, the texts joined (HCL's join of a for expression)."""

    key_name: str | None  # ``for k, v in`` -> "k"; ``for v in`` -> None
    value_name: str
    collection: Expr
    body: tuple[str | Expr, ...]


@dataclass(frozen=True, slots=True)
class Unsupported(Expr):
    """Syntax rolelint does not evaluate; always unresolved."""

    reason: str


@dataclass(frozen=True, slots=True)
class Rejected(Unsupported):
    """An interpolation of a heredoc or template that the parse of a file rejects, as it
    rejects the same text in a quoted string: ``error`` is that error's message (a syntax
    error, an expression nested too deep), ``error_at`` where it is.  What reads it as a value
    finds the Unsupported it was; the heredoc's file, or the ``templatefile()`` call, is an
    input error."""

    error: str
    error_at: Span


@dataclass(frozen=True, slots=True)
class Attribute(Picklable):
    name: str
    value: Expr
    span: Span | None  # the whole ``name = value``
    name_span: Span | None


@dataclass(slots=True)
class Block(Picklable):
    type: str
    labels: tuple[str, ...]
    body: Body
    span: Span | None  # the header line: ``resource "aws_iam_role" "x" {``
    file: str = ""
    end_line: int = 0  # the line of the closing brace: what lies between belongs to the block


@dataclass(slots=True)
class Body(Picklable):
    """Attributes by name (a duplicate keeps the first; the others are listed) and blocks."""

    attributes: dict[str, Attribute] = field(default_factory=dict)
    blocks: list[Block] = field(default_factory=list)
    duplicates: list[Attribute] = field(default_factory=list)

    def add_attribute(self, attribute: Attribute) -> None:
        if attribute.name in self.attributes:
            self.duplicates.append(attribute)
        else:
            self.attributes[attribute.name] = attribute

    def blocks_of(self, kind: str) -> list[Block]:
        return [block for block in self.blocks if block.type == kind]

    def get(self, name: str) -> Expr | None:
        attribute = self.attributes.get(name)
        return attribute.value if attribute is not None else None
