"""Terraform's JSON syntax (``.tf.json``, ``.tfvars.json``) read into the same syntax tree as HCL.

JSON carries no schema, so which keys are nested blocks has to be known: the top-level block types
(``resource`` and ``data`` with two labels, ``module``/``variable``/... with one) and the nested
block types IAM code uses (``statement``, ``principals``, ``condition``, ``dynamic`` ...).  A string
of a configuration file is a template, exactly as in HCL: ``"${var.x}"`` is the variable.  A
string of a variable file (``.tfvars.json``) is the text written: Terraform evaluates a variable
file's values with no variables, no functions and no templates.  So are the strings of the
arguments Terraform's JSON syntax takes literally (:data:`LITERAL`): a variable's ``default``
and ``description``, a module call's ``source`` and ``version``, a provider's ``alias`` and
``version``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields, is_dataclass, replace
from typing import Any

from rolelint.parsers.hcl_adapter import DirectiveText, interpolation_parts
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
from rolelint.parsers.json_escapes import written_offsets
from rolelint.parsers.tree import (
    DuplicateKey,
    LoadedDocument,
    LoadError,
    PMap,
    PSeq,
    WrittenFloat,
)
from rolelint.source import UNIVERSAL_BREAKS, Span

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
# The arguments of a top-level block Terraform reads as literal JSON values, their strings the
# text written, not templates (its JSON syntax's "Block-type-specific Exceptions": "Strings
# within this value are taken literally and not interpreted as string templates"; a module's
# source and version "are not interpreted as string templates").
# A provider's ``alias`` and ``version`` "must be given as literal strings" too: rolelint reads
# the alias (the name resources and module calls use for the configuration, the name of the
# sessions it asks for).  The settings of a ``terraform`` block and an output's
# ``description`` are literal as well, but rolelint reads none of them: left out.
LITERAL = {
    "variable": frozenset({"default", "description"}),
    "module": frozenset({"source", "version"}),
    "provider": frozenset({"alias", "version"}),
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
        "launch_template",
        "lifecycle",
        "content",
        "validation",
    }
)


def body_from_json(loaded: LoadedDocument, *, tfvars: bool = False) -> Body:
    """The body of a configuration file, or with ``tfvars`` of a variable file, whose values
    are all literal: Terraform reads a variable file's values without an evaluation context,
    and HCL's JSON syntax then returns a string "verbatim" (hcl/json: "passing a nil context
    is how the caller specifies that interpolations are not allowed"): ``"${var.x}"`` is
    those eight characters, ``$${`` two dollars, ``%{ if }`` text."""
    root = loaded.root
    raw = RawText(loaded.text, loaded.duplicates)
    if not isinstance(root, PMap):
        raise LoadError("a Terraform JSON file must hold an object", 1, 1)
    body = _attributes_only(root, raw, literal=True) if tfvars else _blocks(root, raw)
    # Recorded as the HCL reader records an attribute set again, all in the file's root body.
    body.duplicates.extend(raw.redefined)
    return body


def _blocks(root: PMap, raw: RawText) -> Body:
    body = Body()
    for kind, content in root.items():
        depth = LABELS.get(str(kind))
        if depth is None:
            continue
        for labels, node, span in _labelled(content, depth, root.key_span_of(kind)):
            if kind == "locals":
                for local in _objects(node):
                    body.blocks.append(Block("locals", (), _attributes_only(local, raw), span))
                continue
            for item in _objects(node):
                end = item.span.end_line if item.span is not None else 0
                block_body = _body(item, raw, LITERAL.get(str(kind), frozenset()))
                body.blocks.append(Block(str(kind), labels, block_body, span, end_line=end))
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


def _attributes_only(node: PMap, raw: RawText, *, literal: bool = False) -> Body:
    """A body of attributes alone (``locals``, a variable file); with ``literal``, their
    strings are the text written (:func:`_expr`)."""
    body = Body()
    for key, value in node.items():
        raw.note_repeated(node, key)
        body.add_attribute(
            Attribute(
                str(key),
                _expr(value, node.span_of(key), raw, literal=literal),
                node.key_span_of(key),
                node.key_spans.get(key),
            )
        )
    return body


def _body(node: PMap, raw: RawText, literal: frozenset[str] = frozenset()) -> Body:
    """A block's body; the arguments named in ``literal`` are read as literal values."""
    body = Body()
    for key, value in node.items():
        name = str(key)
        span = node.key_span_of(key)
        if name == "dynamic":
            for kind, content in _pairs(value):
                for item in _objects(content):
                    body.blocks.append(Block("dynamic", (kind,), _body(item, raw), span))
            continue
        if name in NESTED_BLOCKS and _objects(value) and not isinstance(value, str):
            for item in _objects(value):
                body.blocks.append(Block(name, (), _body(item, raw), item.span or span))
            continue
        raw.note_repeated(node, key)
        read = _expr(value, node.span_of(key), raw, literal=name in literal)
        body.add_attribute(Attribute(name, read, span, node.key_spans.get(key)))
    return body


def _pairs(node: Any) -> list[tuple[str, Any]]:
    return [(str(key), value) for item in _objects(node) for key, value in item.items()]


def _expr(value: Any, span: Span | None, raw: RawText, *, literal: bool = False) -> Expr:
    """A JSON value as an expression; with ``literal``, its strings (at any depth) are the text
    written, no template: the one switch for an argument Terraform's JSON syntax takes
    literally (:data:`LITERAL`) and for a variable file's values (:func:`body_from_json`)."""
    if isinstance(value, PMap):
        for key in value:
            raw.note_repeated(value, key)
        items = tuple(
            ObjectItem(
                Literal(value.key_spans.get(key), str(key)),
                _expr(item, value.span_of(key), raw, literal=literal),
                value.key_spans.get(key),
            )
            for key, item in value.items()
        )
        return ObjectExpr(value.span or span, items)
    if isinstance(value, PSeq):
        return TupleExpr(
            value.span or span,
            tuple(
                _expr(item, value.span_at(i), raw, literal=literal) for i, item in enumerate(value)
            ),
        )
    if isinstance(value, str):
        return Literal(span, value) if literal else _template(value, span, raw)
    if isinstance(value, WrittenFloat):
        # A number of Terraform's JSON syntax is a Terraform number, not the text it is written
        # as: ``1.23456789012e11`` is the account 123456789012 wherever it is used.
        return Literal(span, float(value))
    if value is None or isinstance(value, (bool, int, float)):
        return Literal(span, value)
    return Unsupported(span, "unexpected JSON value")


def _template(text: str, span: Span | None, raw: RawText) -> Expr:
    if "${" not in text and "%{" not in text:
        return Literal(span, text.replace("$${", "${"))
    line = span.line if span else 1
    column = (span.column + 1) if span else 1  # after the opening quote
    places = raw.places(text, span)
    if places is None:
        parts = interpolation_parts(text, line, column, directives=True)
    else:  # escapes: the text read is not the text written, column for column
        parts = interpolation_parts(text, 1, 1, directives=True)
    if any(isinstance(part, DirectiveText) for part in parts):
        return _directives(parts, span, places)
    if places is not None:
        parts = [_moved(part, places) for part in parts]
    directive = any(not isinstance(part, (str, Expr)) for part in parts)
    clean = tuple(part for part in parts if isinstance(part, (str, Expr)))
    if len(clean) == 1 and isinstance(clean[0], Expr) and not directive:
        return clean[0]  # "${expr}" alone is the expression's own value, not a string
    return Template(span, clean, directive=directive)


def _directives(
    parts: list[Any], span: Span | None, places: Callable[[Span], Span] | None
) -> Template:
    """A string holding directives, which HCL's JSON syntax reads as a template as its native
    syntax does: nested and rendered as those of a quoted string, or the one part that says
    why they cannot be (Terraform rejects them), the string then unknown with a note."""
    from rolelint.parsers.hcl_directives import not_rendered, read_parts

    built = tuple(read_parts(parts))
    if places is not None:
        built = _moved(built, places)
    return Template(span, built, directive=not_rendered(built) is not None)


class RawText:
    """The file's text, to place what is written inside a JSON string with escapes: in
    ``"${jsonencode({a = \\"x\\"})}"`` each ``\\"`` is two characters of the file and one of
    the string, so a column counted in the string is left of where the text is."""

    __slots__ = ("lines", "redefined", "repeated", "text")

    def __init__(self, text: str, duplicates: list[DuplicateKey] | None = None) -> None:
        self.text = text
        self.lines: list[str] | None = None  # split when a string with escapes needs them
        # The keys the loader read twice in one object, by where the later one is written (the
        # one it kept); an argument's or an object value's are "redefined", as Terraform refuses
        # them ("Duplicate argument", "Duplicate object attribute").  A block type or a label
        # may be written twice: Terraform reads every one (the loader keeps one, not said).
        self.repeated = {d.second: d for d in duplicates or () if d.second is not None}
        self.redefined: list[Attribute] = []

    def note_repeated(self, node: PMap, key: Any) -> None:
        """Record ``key`` of ``node`` as set twice, when the loader read it twice."""
        duplicate = self.repeated.get(node.key_spans.get(key))  # type: ignore[arg-type]
        if duplicate is not None:
            where = duplicate.second
            self.redefined.append(Attribute(duplicate.key, Literal(where, None), where, where))

    def places(self, decoded: str, span: Span | None) -> Callable[[Span], Span] | None:
        """How a span counted in ``decoded`` (from line 1, column 1) moves to where its text
        is written in the string at ``span``; None when nothing moves (no escapes)."""
        if span is None or span.line != span.end_line:
            return None
        if span.end_column - span.column - 2 == len(decoded):
            return None  # as many characters written as read: no escape
        if self.lines is None:
            self.lines = UNIVERSAL_BREAKS.split(self.text)  # the lines the JSON loader counted
        if span.line > len(self.lines):
            return None
        written = self.lines[span.line - 1][span.column - 1 : span.end_column - 1]
        offsets = written_offsets(written)
        if offsets is None or len(offsets) != len(decoded) + 1:
            return None
        return _Placer(span, offsets, decoded)


class _Placer:
    """Moves a span counted in a string's value (from line 1, column 1; a ``\\n`` escape
    starts a line there) to the file's line and columns where that text is written."""

    __slots__ = ("column", "line", "offsets", "starts")

    def __init__(self, span: Span, offsets: list[int], decoded: str) -> None:
        self.line, self.column, self.offsets = span.line, span.column, offsets
        self.starts = [0] + [index + 1 for index, char in enumerate(decoded) if char == "\n"]

    def __call__(self, place: Span) -> Span:
        start, end = self.at(place.line, place.column), self.at(place.end_line, place.end_column)
        return Span(self.line, start, self.line, end)

    def at(self, line: int, column: int) -> int:
        start = self.starts[min(max(line, 1), len(self.starts)) - 1]
        index = min(max(start + column - 1, 0), len(self.offsets) - 1)
        return self.column + self.offsets[index]


def _moved(node: Any, move: Callable[[Span], Span]) -> Any:
    """``node`` (a parsed expression, a text part) with every span in it moved."""
    if isinstance(node, Span):
        return move(node)
    if isinstance(node, tuple):
        return tuple(_moved(item, move) for item in node)
    if is_dataclass(node) and not isinstance(node, type):
        return replace(node, **{f.name: _moved(getattr(node, f.name), move) for f in fields(node)})
    return node
