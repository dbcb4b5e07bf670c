"""Terraform expressions evaluated statically into the positioned trees the policy builder reads.

The result of evaluating an expression is what the CloudFormation resolver produces too: a
:class:`PMap`/:class:`PSeq` with the spans of the HCL text, plain scalars, :class:`Choice` for a
conditional whose condition is unknown (every branch is analyzed), or ``Value(None, ref, reason)``
for anything that cannot be known before apply (a variable without a default, a computed
attribute, a registry module's output).  Unknown values spread: ``"${var.x}-suffix"`` is unknown as
a whole, never a wildcard.  What names mean (``var``, ``local``, resources, data sources) is asked
of a :class:`ModuleScope`, so this module knows expressions and nothing of IAM.
"""

from __future__ import annotations

import json
import math
import os
import re
import weakref
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, fields, is_dataclass, replace
from decimal import Decimal
from fractions import Fraction
from itertools import product
from typing import Any, Protocol

from rolelint.model import Value
from rolelint.parsers.hcl_ast import (
    Call,
    Conditional,
    Expr,
    ForExpr,
    GetAttr,
    GetIndex,
    Literal,
    ObjectExpr,
    ObjectItem,
    Operation,
    Rejected,
    Splat,
    Step,
    Template,
    TemplateFor,
    TemplateIf,
    Traversal,
    TupleExpr,
    Unsupported,
    bare_name,
)
from rolelint.parsers.tf_budget import (
    MAX_MARKED,
    MAX_NUMBER_BITS,
    MAX_SIZE,
    TOO_LARGE,
    TOO_MUCH,
    Budget,
)
from rolelint.parsers.tf_template_json import (
    STRING_OR_SPLICE,
    MaskedLines,
    decoded_escapes,
    escapes_interpolation,
    maskable,
    masked_lines,
    masked_strings,
    misread_in_json,
    rendered_escapes,
    restored,
)
from rolelint.parsers.tree import (
    MAX_TEXT,
    Branches,
    Choice,
    JoinedPiece,
    PlacedFloat,
    PlacedInt,
    PMap,
    PSeq,
    SplicedPiece,
    WrittenFloat,
    branched_options,
    choice_of,
    conditional,
    joined_branches,
    joined_unknown,
    own_span,
    partly_known,
    picked_by,
    place_of,
    placed,
    produced_list,
)
from rolelint.source import LinesSoFar, SourceRef, Span

MAX_ALTERNATIVES = 32  # conditionals inside strings multiply; beyond this the string is unknown
MAX_DEPTH = 100  # references through references: deeper is a cycle or hostile input
TOO_DEEP = (
    f"expression nested too deeply (references through more than {MAX_DEPTH} levels); what "
    "uses it is not analyzed"
)
MAX_ITEMS = 10_000  # a for expression or range() bigger than this is not evaluated
DIRECTIVE = "template directive (%{ }) not evaluated"
MISREAD_IN_JSON = (
    "what its ${...} renders holds a quote, a backslash or a control character, which"
    " Terraform writes into the JSON as it is: the JSON it makes is not the one written"
)
ENCODED_INTO_JSON = (
    "its ${jsonencode(...)} writes JSON text into the string as it is, quotes included: the"
    " JSON Terraform makes is not the one written (most often no JSON at all, which IAM"
    " rejects); a value inside a string is written without jsonencode()"
)
SPLICED_NOT_JSON = (
    "writes a string's text as it is, which is no JSON value: the JSON Terraform makes is not"
    " the one written (most often no JSON at all, which IAM rejects); a string is written"
    " inside quotes, or spliced as jsonencode() of it"
)
# The name of null in messages.
NULL = "null"
# How the reason of a string starts whose interpolation Terraform refuses to include, read
# where Terraform drops that error (an argument of try(), which goes on past it).
INVALID_INTERPOLATION = "invalid template interpolation: "
# How the reason starts of a string Terraform refuses where it requires a collection (a list,
# a set, a map), read where Terraform drops that error (an argument of try(), which goes on
# past it): Evaluator.string_refused.
STRING_FOR_A_COLLECTION = "a string where Terraform requires a collection: "
# The reason of a string whose template Terraform refuses (a syntax error in it).
REFUSED_TEMPLATE = "a template Terraform refuses, "
TEMPLATE_SPLICED = (
    "a template's text written in place of a JSON value, which rolelint renders only as a"
    " whole policy"
)
ESCAPED_BY_JSON = (
    "the backslash before its ${...} is no escape in a Terraform template: Terraform renders"
    " the ${...}, and JSON reads the backslash with the first character rendered as an escape"
    " (no JSON at all unless that is one JSON escapes)"
)
# path.cwd is the folder Terraform is run from, before any -chdir: the root module's folder
# only when it is run there, which the code does not say.  Whoever runs it picks the folder,
# so the value is the deployer's choice, not constrained.
CWD_UNKNOWN = "path.cwd is the folder Terraform is run from, which the code does not say"


class FileMap(PMap):
    """A mapping evaluated from a known file: the document built from it must name that file,
    even when it is used in another one (a policy document in data.tf used by a role in main.tf).
    """

    __slots__ = ("file",)

    def __init__(self, file: str, span: Span | None = None) -> None:
        super().__init__(span)
        self.file = file


def file_of(value: Any, default: str) -> str:
    """The file a policy tree was written in."""
    if isinstance(value, FileMap):
        return value.file
    if isinstance(value, EncodedMap) and value.file is not None:
        return value.file
    if isinstance(value, PositionedText):
        return value.file
    if isinstance(value, Value):
        return value.ref.file
    return default


@dataclass(frozen=True, slots=True)
class PositionedText:
    """Text whose characters sit at known places of a file: a heredoc body or a ``file()``.

    A policy written this way is parsed as JSON with positions in that file, so findings point at
    the line inside the heredoc or the JSON file.  ``leaf`` resolves ``${...}`` inside the JSON's
    string values (None: the text is literal, as ``file()`` content is).  ``used_at``: where the
    text is used when that is not where it is written (the ``file()`` call, a reference to a
    local holding it), so that its strings are marked as a reference's values are
    (``SourceRef.used_at``): a suppression comment there covers the policy's findings.
    """

    text: str
    file: str
    first_line: int
    first_column: int
    leaf: Callable[[str, Span | None], Any] | None
    interpolated: bool  # the text holds ``${...}``, so it is not its own value as a string
    used_at: SourceRef | None = field(default=None, compare=False)
    # Where the characters of text that masks a line break inside a string's ``${...}`` are
    # written (tf_template_json): None when they are where the text puts them.
    written: MaskedLines | None = field(default=None, compare=False)
    # The string a heredoc or template that interpolates renders, where Terraform uses it as
    # a string, not read as a policy (:func:`text_as_string`): None when rolelint does not
    # render it (a heredoc's directives).
    rendered: Callable[[], Any] | None = field(default=None, compare=False)
    # The file column of the first character of the lines (by file line) that do not start at
    # ``first_column``: a ``<<-`` heredoc's lines it removed less indentation from
    # (HeredocText.line_columns); None when every line starts there.
    line_columns: Mapping[int, int] | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class LoneInterpolation:
    """The one interpolation of a heredoc or template with JSON blanks alone around it,
    evaluated once (:meth:`Evaluator.evaluated_once`): the policy it renders, if its value is
    JSON text of an object, else the value the string it renders is made of."""

    expression: Expr
    value: Any
    by_default: bool  # evaluating it read a root module variable's default
    document: Any = None

    def written_as(self, part: Expr) -> bool:
        """Whether ``part`` is this interpolation: the same expression, or one parsed again
        from the same text at the same place (a template file's, rendered as a string)."""
        return part is self.expression or part == self.expression  # an Expr holds its span


class ModuleScope(Protocol):
    """What the names in a module's expressions refer to."""

    directory: str
    module_path: str  # path.module as Terraform sees it: relative to the root module

    def variable(self, name: str, at: SourceRef) -> Any: ...

    def variable_origin(self, name: str, at: SourceRef) -> str | None:
        """Where ``var.<name>`` comes from when whoever deploys may pass another ("the default
        of variable X"), whatever its type (a bool carries no origin of its own); None for a
        value the code sets."""
        ...

    def writes(self, file: str) -> bool:
        """Whether ``file`` is one of the module's own (its .tf and .tfvars files): a value
        written anywhere else is one a caller passed in."""
        ...

    def local(self, name: str, at: SourceRef) -> Any: ...

    def local_expression(self, name: str) -> Expr | None:
        """The expression a local is written as; None for one not defined."""
        ...

    def variable_type(self, name: str) -> Expr | None:
        """A variable's declared ``type`` expression; None for an untyped or undeclared one."""
        ...

    def resource_attribute(self, kind: str, name: str, attribute: str, at: SourceRef) -> Any: ...

    def resource_argument(
        self, kind: str, name: str, key: int | str | None, attribute: str, at: SourceRef
    ) -> Any:
        """An attribute of the instance ``key`` of a resource with several that its
        :class:`InstanceObject` does not hold: an argument its block sets, or not."""
        ...

    def instances_value(self, mode: str, kind: str, name: str, at: SourceRef) -> Any:
        """A resource (``mode`` "resource") or data source ("data") with several instances:
        the map or list of them; None when it has one."""
        ...

    def data_attribute(self, kind: str, name: str, attribute: str, at: SourceRef) -> Any: ...

    def exists(self, mode: str, kind: str, name: str) -> bool:
        """False only when ``count``/``for_each`` is known to create no instance."""
        ...

    def read_file(self, path: str) -> tuple[str, str] | str:
        """(the file's name as reported, its text), or why it is not read."""
        ...

    def notice(self, at: SourceRef, message: str) -> None:
        """Something the user should know was not analyzed (not an error of their code)."""
        ...

    def error(self, at: SourceRef, message: str) -> None:
        """An error of their code found only as it is evaluated (a template file or a string of
        Terraform's JSON syntax whose template syntax Terraform rejects): an input error of
        the run, as a file that does not parse is.  Never what depends on values rolelint
        reads (:func:`not_a_string`)."""
        ...


# Why a template is unknown when it interpolates a list, a map or another non-string.
NOT_TEXT = "interpolates a value that is not a string"
NOT_COLLECTION = "not a list, a set or a map"
# Why jsonencode()'s text is unknown: a part of what it encodes is.
ENCODED_NOT_KNOWN = "jsonencode() of a value not known before apply"


def unknown(at: SourceRef, reason: str) -> Value:
    return Value(None, at, reason)


# The reason of an object one of whose keys is not known before apply, at that key: Terraform
# knows none of the object's keys then, and evaluates it to a value not known (hclsyntax
# ObjectConsExpr.Value gives cty.DynamicVal), which rolelint keeps (Evaluator.object).
KEY_NOT_KNOWN = "object key not known before apply"
# That of an object whose key rolelint cannot resolve for a reason of its own, which the
# deployment decides before apply (a root variable without a default, given at plan):
# ``object key not known (variable u has no default)``.
_KEY_NOT_KNOWN_FOR = "object key not known ("


def key_not_known(key: Any) -> str:
    """The reason of an object whose key is ``key``, a value rolelint cannot resolve: the
    key's own reason, where it has one that is no attribute AWS gives at apply
    (:func:`read_from_aws`), which only apply tells; else :data:`KEY_NOT_KNOWN`.  Calling a
    root variable "not known before apply" was wrong: Terraform reads it at plan."""
    reason = key.unresolved_reason if isinstance(key, Value) else None
    if reason is None or key.constrained:
        return KEY_NOT_KNOWN
    return f"{_KEY_NOT_KNOWN_FOR}{reason})"


def key_not_known_reason(reason: str | None) -> str | None:
    """Of an object's reason (:func:`key_not_known`), why its key is not known ("not known
    before apply", or the key's own reason); None for a reason that is no key's."""
    if reason == KEY_NOT_KNOWN:
        return "not known before apply"
    if reason is not None and reason.startswith(_KEY_NOT_KNOWN_FOR) and reason.endswith(")"):
        return reason[len(_KEY_NOT_KNOWN_FOR) : -1]
    return None


def read_from_aws(at: SourceRef, reason: str) -> Value:
    """An attribute of a data source or a resource that only AWS knows: unknown, but nobody
    passes it in, so it is constrained (Value.constrained), not the deployer's choice."""
    return Value(None, at, reason, constrained=True)


def refused(at: SourceRef, reason: str) -> Value:
    """A value Terraform refuses (a string where it requires a list): unknown, and in no
    deployment, as Terraform fails the plan, so it is not the deployer's choice either
    (Value.constrained): a condition holding it is no weaker than one holding a value read,
    and no rule says whoever deploys decides it."""
    return Value(None, at, reason, constrained=True)


def is_unknown(value: Any) -> bool:
    return isinstance(value, Value) and value.text is None


@dataclass(frozen=True, slots=True)
class NeverNull(Value):
    """A value not known before apply that Terraform guarantees is not null: that of a variable
    declared ``nullable = false``, for which Terraform refuses null (or puts its default in its
    place).  ``var.x == null`` is then known to be false.  Only the value itself is marked, not
    what is computed from it: an attribute of a map that is never null may still be null."""


def never_null(value: Any) -> Any:
    """``value`` with each unknown in it (itself, or an alternative of a conditional) marked as
    one that is never null (:class:`NeverNull`)."""
    if isinstance(value, Value) and value.text is None and not isinstance(value, NeverNull):
        return NeverNull(
            None,
            value.ref,
            value.unresolved_reason,
            constrained=value.constrained,
            origin=value.origin,
            written=value.written,
        )
    if isinstance(value, Choice):
        return value.mapped(never_null)
    return value


class EncodedMap(PMap):
    """What ``jsonencode()`` makes of a map: a string, the map's JSON text, which is what it
    is wherever text is read (:func:`as_text`).  The tree is kept, and read wherever JSON is
    read back from the text: a policy (``policy = jsonencode({...})``), what a template
    splices in place of a JSON value, the documents of a list.  ``file``: the file the map
    was written in, when it was evaluated from one (:class:`FileMap`)."""

    __slots__ = ("file",)

    def __init__(self, span: Span | None = None, file: str | None = None) -> None:
        super().__init__(span)
        self.file = file


class EncodedSeq(PSeq):
    """What ``jsonencode()`` makes of a list: a string, the list's JSON text, which is what it
    is wherever text is read (:func:`as_text`: a template, a function of text; :func:`held`: an
    item of a list, a value of an object).  The tree is kept for where Terraform writes that
    text in place of a JSON value and JSON reads it back (a heredoc's ``"Resource":
    ${local.arns_json}``)."""

    __slots__ = ()


class DocumentJson(FileMap):
    """The JSON text a data source renders of a policy document
    (``data.aws_iam_policy_document.x.json``): a string in Terraform, which rolelint keeps as
    the document's tree, read wherever a policy is.  Its text is the provider's (indented, its
    keys in the provider's order), which rolelint does not write: where the string is held in
    what jsonencode() encodes (:func:`as_string`), :func:`json_text` writes the same document
    compact, which JSON reads as the same document."""

    __slots__ = ()


@dataclass(frozen=True, slots=True)
class EncodedText(Value):
    """What ``jsonencode()`` makes of a string, a number, a bool or null: its JSON text
    (``"arn:..."`` with its quotes), the value given kept in ``encoded``, which is what JSON
    reads back where Terraform writes the text in place of a JSON value (:func:`read_back`).
    Also a string whose tree rolelint keeps, where it is read as the string it is
    (:func:`as_string`: a list jsonencode() made once a list or an object holds it, and such
    a string, or a map jsonencode() made, or a policy document's JSON, in what jsonencode()
    encodes), its ``text`` None when a part of the tree is not known.

    ``encoded`` takes no part in equality or hashing: a list or map is unhashable, and the
    text already says what it holds (the audit keys what it has judged by the values asked
    about, and a jsonencode()d list as a Resource crashed ``roles``, ``show`` and ``report``)."""

    encoded: Any = field(default=None, compare=False)


# The strings whose JSON text rolelint keeps as the tree that text reads as.
TEXT_TREES = (EncodedMap, EncodedSeq, DocumentJson)


def is_string(value: Any) -> bool:
    """Whether ``value`` is a string in Terraform, where it refuses one for a collection: a
    string rolelint reads, one whose tree it keeps (what jsonencode() made, a policy
    document's JSON; a list's JSON text is a PSeq too), or a heredoc's, ``file()``'s or
    ``templatefile()``'s text (:class:`PositionedText`), known or not.  The one answer for
    every place that asks: two copies differed on the last, and ``resources =
    file("arns.txt")`` in a policy document was read as a policy text where ``tolist()`` of
    it was refused.  An unknown value may be a list, and is none of them."""
    if isinstance(value, (*TEXT_TREES, EncodedText, PositionedText)):
        return True
    return isinstance(value, Value) and value.text is not None


def encoded(value: Any, at: SourceRef) -> Any:
    """``jsonencode(value)``, a string: :class:`EncodedText` of a scalar, :class:`EncodedSeq`
    of a list, :class:`EncodedMap` of a map, the last two keeping the tree (a policy written
    as an HCL object stays positioned in the HCL).  An unknown stays unknown.  A string whose
    tree rolelint keeps, given or held in the value, is encoded as the string it is
    (:func:`_strings_in`)."""
    if isinstance(value, Choice):
        return value.mapped(lambda option: encoded(option, at))
    if is_unknown(value):
        return value
    # A string whose tree is kept is a string: its JSON text a JSON string, at the call.
    value = as_string(value, at) if isinstance(value, TEXT_TREES) else _strings_in(value, at, 0)
    if isinstance(value, PMap):
        mapping = EncodedMap(value.span, value.file if isinstance(value, FileMap) else None)
        mapping.update(value)
        mapping.key_spans = dict(value.key_spans)
        mapping.value_spans = dict(value.value_spans)
        return mapping
    if isinstance(value, PSeq):
        result = EncodedSeq(value.span)
        result.extend(value)
        result.item_spans = list(value.item_spans)
        return result
    text = json_text(value)
    if text is None:
        return unknown(at, ENCODED_NOT_KNOWN)
    if isinstance(value, Value):
        kept = {name: getattr(value, name) for name in Value.__match_args__}
        return EncodedText(**{**kept, "text": text, "written": None}, encoded=value)
    return EncodedText(text, place_of(value) or at, origin=origin_of(value), encoded=value)


def text_as_string(value: PositionedText, at: SourceRef) -> Any:
    """The text of a heredoc, ``file()`` or ``templatefile()`` where Terraform uses it as a
    string, not as a policy: a value of a map ``jsonencode()`` encodes, an item of a policy
    document's list.  It is the string it renders (``"${x}\\n"``, a line feed included), at
    the call that reads it, else where it is written.  Never left as text to be parsed: the
    policy grammar reads strings, and dropped it (a statement lost its Resource)."""
    where = value.used_at or SourceRef(value.file, Span.point(value.first_line, value.first_column))
    text = as_text(value)
    if text is not None:
        return Value(text, where)
    if value.rendered is None:
        return unknown(where, DIRECTIVE)
    return value.rendered()


def held(value: Any, at: SourceRef) -> Any:
    """``value`` as a list or an object written at ``at`` holds it: a list jsonencode() made is
    a string there (:class:`EncodedText`), never a list (a list a reference brings into a
    list is read as items of that list: tree.ProducedList)."""
    if isinstance(value, Choice):
        return value.mapped(lambda option: held(option, at))
    return as_string(value, at) if isinstance(value, EncodedSeq) else value


def as_string(value: EncodedMap | EncodedSeq | DocumentJson, at: SourceRef) -> EncodedText:
    """A string whose tree rolelint keeps, as the string it is: its JSON text, the tree kept
    in ``encoded`` for where Terraform writes that text in place of a JSON value
    (:func:`read_back`); at ``at``."""
    text = json_text(value)
    reason = ENCODED_NOT_KNOWN if text is None else None
    return EncodedText(text, at, reason, encoded=value)


def strings_held(value: Any, at: SourceRef) -> Any:
    """``value``, a list of strings an argument at ``at`` takes (a policy document's
    ``resources``, ``identifiers``, condition ``values``), with each string whose tree rolelint
    keeps (a map jsonencode() made, a policy document's JSON) read as the string it is
    (:func:`as_string`): ``resources = [local.statement_json]`` names one resource, the map's
    JSON text, never a map.  The string is placed where the list written at ``at`` holds it,
    else where its tree is written (else at ``at``); a list a reference brings into the list
    (tree.ProducedList) is read the same way."""
    if isinstance(value, Choice):
        return value.mapped(lambda option: strings_held(option, at))
    if not isinstance(value, PSeq) or isinstance(value, EncodedSeq):
        return value
    written_here = value.span is not None and value.span == at.span
    items: list[Any] = []
    for index, item in enumerate(value):
        if isinstance(item, TEXT_TREES):
            span = value.span_at(index) if written_here else None
            item = as_string(item, SourceRef(at.file, span) if span else _own_place(item) or at)
        elif isinstance(item, PositionedText):
            item = text_as_string(item, at)
        elif isinstance(item, PSeq):
            item = strings_held(item, at)
        items.append(item)
    if all(new is old for new, old in zip(items, value, strict=True)):
        return value
    sequence = type(value)(value.span)
    for index, item in enumerate(items):
        sequence.add(item, value.span_at(index))
    return sequence


_STRINGS_DEPTH = 32


def _strings_in(value: Any, at: SourceRef, depth: int) -> Any:
    """What ``jsonencode()`` encodes of ``value``: each string in it whose tree rolelint keeps
    (a map or a list jsonencode() made, a policy document's JSON; :data:`TEXT_TREES`) is the
    string it is (:func:`as_string`), which jsonencode() writes as a JSON string and JSON reads
    back as one: ``Statement = [local.statement_json]`` is a string there, never a statement;
    ``jsonencode(data.aws_iam_policy_document.x.json)`` is a JSON string, never the document.
    Placed where its tree is written (else at ``at``, the call); ``value`` itself when it holds
    none (or past :data:`_STRINGS_DEPTH` levels)."""
    if isinstance(value, TEXT_TREES):
        return as_string(value, _own_place(value) or at)
    if isinstance(value, PositionedText):
        return text_as_string(value, at)
    if depth > _STRINGS_DEPTH:
        return value
    if isinstance(value, Choice):
        options = tuple(_strings_in(option, at, depth + 1) for option in value.options)
        changed = any(new is not old for new, old in zip(options, value.options, strict=True))
        return Choice(options, value.when) if changed else value
    rebuilt = _rebuilt(value, lambda item: _strings_in(item, at, depth + 1))
    return value if rebuilt is None else rebuilt


def _rebuilt(value: Any, each: Callable[[Any], Any]) -> Any:
    """A list or map of the evaluator's with ``each`` of its items, in place and of its own
    kind (a file's map, what jsonencode() made, a document's JSON): ``value`` itself when no
    item changes; None for any other value.  The walks that mark what jsonencode() encodes
    (:func:`_strings_in`) and where a value is used (:func:`_marked`) rebuild trees so."""
    if isinstance(value, PSeq):
        items = [each(item) for item in value]
        if all(new is old for new, old in zip(items, value, strict=True)):
            return value
        sequence = type(value)(value.span)
        for index, item in enumerate(items):
            sequence.add(item, value.item_spans[index] if index < len(value.item_spans) else None)
        return sequence
    if type(value) in (PMap, FileMap, EncodedMap, DocumentJson):
        entries = {key: each(item) for key, item in value.items()}
        if all(entries[key] is item for key, item in value.items()):
            return value
        mapping: PMap = PMap(value.span)
        if isinstance(value, DocumentJson):
            mapping = DocumentJson(value.file, value.span)
        elif isinstance(value, FileMap):
            mapping = FileMap(value.file, value.span)
        elif isinstance(value, EncodedMap):
            mapping = EncodedMap(value.span, value.file)
        for key, item in entries.items():
            mapping.set(key, item, value.key_spans.get(key), value.value_spans.get(key))
        return mapping
    return None


def _own_place(value: Any) -> SourceRef | None:
    """Where a map rolelint evaluated from a file is written (None for another value)."""
    file = value.file if isinstance(value, (FileMap, EncodedMap)) else None
    return SourceRef(file, value.span) if file is not None and value.span is not None else None


def read_back(value: Any) -> Any:
    """What JSON reads of the text ``value`` writes where Terraform writes it in place of a
    JSON value (``"Resource": ${local.arn_json}``): what jsonencode() was given, where the
    text is used and picked as it is; anything else is its own tree."""
    if isinstance(value, Choice):
        return value.mapped(read_back)
    if not isinstance(value, EncodedText):
        return value
    given = value.encoded
    if isinstance(given, Value):
        return replace(given, ref=value.ref, origin=value.origin)
    return placed(given, value.ref) if place_of(given) is not None else given


class NotJsonSpliced(Exception):
    """A template writes a string's text in place of a JSON value (``"Resource":
    ${var.arn}``), and that text is no JSON value (``arn:aws:s3:::b``): the JSON Terraform
    renders is not the one rolelint reads (most often none at all), so the whole policy is
    unknown, not only that value (rolelint.parsers.tf_module.document_tree)."""

    def __init__(self, at: SourceRef, text: str) -> None:
        super().__init__(SPLICED_NOT_JSON)
        self.at = at
        self.text = text


def spliced(value: Any, at: SourceRef) -> Any:
    """What JSON reads where a template writes ``value``, the value of a ``${...}`` at ``at``,
    in place of a JSON value: what jsonencode() made, read back (:func:`read_back`); a
    string's text as it is, which JSON reads as the value that text is (a string holding JSON:
    ``"\\"arn:...\\""``, ``"[\\"a\\"]"``); raises :class:`NotJsonSpliced` when that text is
    no JSON value (in any option of a Choice).  Anything else is its own tree."""
    if isinstance(value, Choice):
        return value.mapped(lambda option: spliced(option, at))
    if isinstance(value, EncodedText) or not isinstance(value, Value) or value.text is None:
        return read_back(value)
    try:
        parsed = json.loads(value.text, parse_constant=_no_constant)
    except (ValueError, RecursionError):
        raise NotJsonSpliced(at, value.text) from None
    if isinstance(parsed, (int, float)) and not isinstance(parsed, bool):
        return value  # a number's text, as rolelint reads a number a policy writes
    return _json_tree(parsed, value, at.span)


def interpolation_note(kind: str) -> str:
    """The note at a ``${...}`` that interpolates ``kind`` (:func:`not_a_string`): one text
    for the policy a template is and for a quoted string."""
    return f"the ${{...}} {not_a_string(kind)}"


def not_a_string(kind: str) -> str:
    """What a note says of a ``${...}`` of a template (a heredoc, a ``templatefile()``
    template, a quoted string, a string of Terraform's JSON syntax) that interpolates ``kind``
    (a list, a set, a map or object, null), one wording for every form.  Terraform refuses it
    only if the value is the one rolelint reads: an untyped variable whose default is a list
    may be given a string by every caller, a branch or a resource rolelint cannot decide may
    never be evaluated.  So it is a note, never an error of the run."""
    why = "the expression result is null" if kind == NULL else "string required"
    hint = "" if kind == NULL else "; jsonencode() of a list or an object is a string"
    return (
        f"interpolates {kind}, which Terraform refuses if the value is as rolelint reads it:"
        f" it cannot include {kind} in a string template ({why}) and renders nothing of the"
        f" template{hint}"
    )


class NotStringInterpolated(Exception):
    """A heredoc or template interpolates a list or an object (``"Statement":
    [${local.statement}]``, ``"Resource": "${local.arns}"``), or null (``${null}``, a
    variable whose value is null): Terraform converts what each ``${...}`` gives to a string,
    and converts no list, set, map or object to one ("Invalid template interpolation value:
    Cannot include the given value in a string template: string required", hcl's
    TemplateExpr), and includes no null ("The expression result is null").  Nothing of the
    template is rendered, so the whole policy is unknown, with a note at the interpolation
    ``at`` (rolelint.parsers.tf_module.document_tree).  No error: the value is the one
    rolelint reads, which a deployment may not have (:func:`not_a_string`).  ``kind`` names
    what it interpolates."""

    def __init__(self, at: SourceRef, kind: str) -> None:
        super().__init__(not_a_string(kind))
        self.at = at
        self.kind = kind


def string_required(value: Any, at: SourceRef) -> None:
    """Raises :class:`NotStringInterpolated` when ``value``, what the ``${...}`` at ``at``
    gives, is a list, an object or null, which Terraform cannot make a string of, or may be
    one (an option of a Choice).  A string whose JSON text rolelint keeps as a tree (what
    jsonencode() made, a policy document's JSON) is a string, and passes."""
    refused = [kind for kind in map(_no_string, options(value)) if kind is not None]
    if refused:
        raise NotStringInterpolated(at, refused[0])


def _no_string(value: Any) -> str | None:
    """What ``value`` is, as a message names it, when Terraform cannot make a string of it;
    None when it can (or rolelint does not know what it is)."""
    if value is None:
        return NULL
    if isinstance(value, TEXT_TREES):
        return None
    if isinstance(value, PMap):
        return "a map or object"
    if isinstance(value, PSet):
        return "a set"
    if isinstance(value, PSeq):
        return "a list"
    return None


def _no_constant(name: str) -> None:
    """Go's JSON, which Terraform's provider and AWS read, knows no NaN nor Infinity."""
    raise ValueError(name)


def _json_tree(parsed: Any, value: Value, span: Span | None) -> Any:
    """What JSON read of the text of the string ``value``: its strings at the string's place,
    its lists and objects at ``span``, where the template splices it."""
    if isinstance(parsed, str):
        return Value(parsed, value.ref, origin=value.origin)
    if isinstance(parsed, list):
        sequence = PSeq(span)
        for item in parsed:
            sequence.add(_json_tree(item, value, span), span)
        return sequence
    if isinstance(parsed, dict):
        mapping = PMap(span)
        for key, item in parsed.items():
            mapping.set(key, _json_tree(item, value, span), span, span)
        return mapping
    if isinstance(parsed, (int, float)) and not isinstance(parsed, bool):
        return placed(parsed, value.ref)
    return parsed  # a bool, null


def json_text(value: Any) -> str | None:
    """``value`` as jsonencode() writes it: compact, the keys of a map sorted, a number as
    Terraform writes one, a list jsonencode() made inside it as the string it is; None when
    any part of it is not known.  A string is written with its quotes, and escaped as JSON
    escapes it (Go also escapes ``<``, ``>`` and ``&``, which this does not: no reading
    depends on it, as a quote is always there)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(int(value))
    if isinstance(value, float):
        return number_text(value)
    if isinstance(value, PMap):
        members = []
        for key in sorted(value, key=str):
            member = _member_text(value[key])
            if member is None:
                return None
            members.append(json.dumps(str(key), ensure_ascii=False) + ":" + member)
        return "{" + ",".join(members) + "}"
    if isinstance(value, PSeq):
        items = [_member_text(item) for item in value]
        if any(item is None for item in items):
            return None
        return "[" + ",".join(item for item in items if item is not None) + "]"
    text = as_text(value)
    return None if text is None else json.dumps(text, ensure_ascii=False)


def _member_text(value: Any) -> str | None:
    """A member of a map or list as jsonencode() writes it: a map or list jsonencode() made,
    or a policy document's JSON, is a string (an :class:`EncodedText` is one already)."""
    if not isinstance(value, TEXT_TREES):
        return json_text(value)
    text = json_text(value)
    return None if text is None else json.dumps(text, ensure_ascii=False)


def plain(value: Any) -> Any:
    """A known string Value as its text (for comparisons); anything else unchanged."""
    if isinstance(value, Value) and value.text is not None:
        return value.text
    return value


def as_text(value: Any) -> str | None:
    """A scalar as Terraform turns it into a string; None for anything that is not one."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return number_text(value)
    if isinstance(value, str):
        return value
    if isinstance(value, Value):
        return value.text
    if isinstance(value, PositionedText) and not value.interpolated:
        # A template's escapes are rendered (``$${`` is ``${``); a file's text is as written.
        return value.text if value.leaf is None else rendered_escapes(value.text)
    if isinstance(value, (EncodedMap, EncodedSeq)):
        return json_text(value)
    return None


def number_text(value: float) -> str:
    """A number as Terraform writes it (``jsonencode``, ``tostring``, ``"${...}"``: cty's
    ``Text('f', -1)``): in full, without an exponent, and a whole number without a fraction.
    ``123456789012.0`` and ``1.23456789012e11`` are ``123456789012`` (an account id), not
    ``123456789012.0``; ``1e-7`` is ``0.0000001``.  Terraform's numbers are exact decimals;
    a float is read as the shortest decimal that is that float, which is what the file wrote
    for any number of up to 15 digits."""
    if not math.isfinite(value):
        return repr(value)
    exact = Decimal(repr(value))
    return str(int(exact)) if value.is_integer() else format(exact, "f")


# A decimal number as Terraform reads one from a string (cty: big.Float.Parse in base 10).
_DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
# Longer texts, or larger exponents, are left unknown: Python refuses to read over 4,300 digits,
# and no count or setting rolelint reads comes near (MAX_NUMBER_BITS is about 308 digits).
MAX_NUMBER_TEXT = 320
MAX_EXPONENT = 308
# Terraform's conversions of a string to a bool: cty accepts these four texts and no other.
_BOOLS = {"true": True, "false": False, "1": True, "0": False}
# Why a value is unknown when Terraform refuses to convert it (tonumber("abc"), a variable of
# ``type = number`` given "abc"): an error, so try() goes on past it.
CANNOT_CONVERT = "Terraform cannot convert "


class DefaultInt(int):
    """A whole number that a variable's default gives, with that origin ("the default of
    variable X"): whoever deploys may pass another, so a finding about it says where it comes
    from, as it does of a string default (``Value.origin``).  Arithmetic on it gives a plain
    int: a value computed from a default is not the default."""

    origin: str

    def __new__(cls, number: int, origin: str) -> DefaultInt:
        made = super().__new__(cls, number)
        made.origin = origin
        return made

    def __reduce__(self) -> tuple[type[DefaultInt], tuple[int, str]]:
        return DefaultInt, (int(self), self.origin)


class DefaultFloat(float):
    """A number with a fraction that a variable's default gives, with that origin (see
    :class:`DefaultInt`)."""

    origin: str

    def __new__(cls, number: float, origin: str) -> DefaultFloat:
        made = super().__new__(cls, number)
        made.origin = origin
        return made

    def __reduce__(self) -> tuple[type[DefaultFloat], tuple[float, str]]:
        return DefaultFloat, (float(self), self.origin)


def with_origin(value: Any, origin: str) -> Any:
    """``value`` marked as coming from ``origin``: a known string Value gets it as its origin,
    a number becomes a :class:`DefaultInt`/:class:`DefaultFloat`; anything else (a bool, a
    collection, an unknown) is left as it is."""
    if isinstance(value, Value) and value.text is not None:
        return replace(value, origin=origin)
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return DefaultInt(value, origin)
    if isinstance(value, float):
        return DefaultFloat(value, origin)
    return value


def origin_of(value: Any) -> str | None:
    """Where a scalar comes from when that is not what is written where it is used (see
    :func:`with_origin`, :func:`picked`); None for anything else."""
    if isinstance(value, Value):
        return value.origin
    if isinstance(value, (DefaultInt, DefaultFloat, PlacedInt, PlacedFloat)):
        return value.origin
    return None


def picked(value: Any, origin: str) -> Any:
    """``value``, the branch of a conditional whose condition reads defaults, marked as picked
    by them (``origin``: "the branch picked by the default of variable env"): another
    deployment may pass another value and get the other branch.  Each known scalar in it
    (each option of a Choice) gets ``origin`` unless it has one of its own; a number keeps
    its place.  A bool, a collection, an unknown are as they were."""
    if isinstance(value, Choice):
        return value.mapped(lambda option: picked(option, origin))
    if origin_of(value) is not None or isinstance(value, WrittenFloat):
        return value
    if isinstance(value, PlacedInt):
        return PlacedInt(value, value.ref, origin)
    if isinstance(value, PlacedFloat):
        return PlacedFloat(value, value.ref, origin)
    return with_origin(value, origin)


def to_number(value: Any) -> int | float | None:
    """A known value as the number Terraform converts it to (``count = "0"``, a legacy module's
    ``default = "2"``, an operand of ``>``): a number as it is, a string that writes a decimal
    number that number; whole numbers as int, so ``"2.0"`` counts 2 as 2 does.  None for
    anything else: a string that is no number (Terraform rejects it), a bool (Terraform converts
    no bool to a number), an unknown, a collection."""
    value = plain(value)
    if isinstance(value, bool):
        return None
    if isinstance(value, float):
        return int(value) if value.is_integer() else value
    if isinstance(value, int):
        return value
    if not isinstance(value, str) or len(value) > MAX_NUMBER_TEXT:
        return None
    if _DECIMAL.fullmatch(value) is None:
        return None
    exponent = value.lower().partition("e")[2]
    if exponent and abs(int(exponent)) > MAX_EXPONENT:
        return None
    number = Fraction(value)
    if number.denominator == 1:
        return int(number)
    try:
        return float(number)
    except OverflowError:  # over 1e308 with a fraction: past what a float holds
        return None


def to_bool(value: Any) -> bool | None:
    """A known value as the bool Terraform converts it to: a bool as it is; the strings
    ``"true"``/``"1"`` and ``"false"``/``"0"`` (cty's conversion, so a legacy module's
    ``default = "0"`` is false).  None for anything else (Terraform converts no number).  Also
    a condition's verdict (``var.enable ? 1 : 0`` with ``default = "0"`` is 0), None when it
    cannot be known before apply."""
    value = plain(value)
    if isinstance(value, bool):
        return value
    return _BOOLS.get(value) if isinstance(value, str) else None


def converted(value: Any, kind: str) -> Any:
    """``value`` converted to the primitive type ``kind`` (``"number"`` or ``"bool"``), as
    Terraform converts a variable's value to its ``type`` and as ``tonumber()``/``tobool()`` do.
    A string that does not convert is unknown (:data:`CANNOT_CONVERT`: Terraform stops with an
    error, so nothing is guessed); null, an unknown or any other value is left as it is."""
    if not (isinstance(value, Value) and value.text is not None):
        return value
    result = to_number(value) if kind == "number" else to_bool(value)
    if result is None:
        return unknown(value.ref, f"{CANNOT_CONVERT}{value.text[:40]!r} to a {kind}")
    return result


def options(value: Any) -> Iterator[Any]:
    """The alternatives of a value: a Choice fans out, anything else is its only option."""
    if isinstance(value, Choice):
        for option in value.options:
            yield from options(option)
    else:
        yield value


def choice(values: list[Any]) -> Any:
    """One value, or a Choice of the distinct alternatives; the options of a Choice among them
    keep the branches they are deployed under (:func:`choice_of`)."""
    return choice_of((value, frozenset()) for value in values)


def combined(
    alternatives: Sequence[Sequence[tuple[Any, Branches]]],
) -> list[tuple[list[Any], Branches]]:
    """Each combination of one alternative of each value (its option, the branches it is
    deployed under) that a deployment may have, with the branches it is deployed under: two
    options of opposite branches of one condition never go together.  Every combination, of
    no branch, should no pair of them go together (none is left out then, as before
    conditionals said their branches)."""
    found: list[tuple[list[Any], Branches]] = []
    for combination in product(*alternatives):
        branches = joined_branches(branches for _, branches in combination)
        if branches is not None:
            found.append(([option for option, _ in combination], branches))
    if found:
        return found
    return [
        ([option for option, _ in combination], frozenset())
        for combination in product(*alternatives)
    ]


class Evaluator:
    """Evaluates the expressions of one module; ``bindings`` hold for/dynamic iterator names."""

    def __init__(self, scope: ModuleScope, budget: Budget | None = None) -> None:
        # Weakly: the module holds its evaluator, and a reference back would make a cycle that
        # keeps every module's files alive until the cyclic collector runs, which the command
        # line never lets walk the parse's objects (rolelint.gc_pause).
        self.scope: ModuleScope = weakref.proxy(scope)
        self.depth = 0
        # How many values the depth limit has cut short: a value computed meanwhile holds only
        # as deep as it was computed (TerraformModule._memo).
        self.cut_by_depth = 0
        # Keys written twice in one object ({a = 1, a = 2}): Terraform rejects them, and only one
        # value would count.  (where the second one is, the key)
        self.duplicates: dict[SourceRef, str] = {}
        # Evaluating a templatefile() template: only the names of the map it is given exist.
        self.confined = False
        # How many values read so far are a root module variable's default (or the branch of a
        # condition such a default picks): whoever deploys may pass another.  A value that
        # moved it while computed is read from one (:meth:`_included`).
        self.defaults_taken = 0
        self.budget = budget if budget is not None else Budget()  # shared along module calls
        # Above 0 while what is evaluated is read tentatively: Terraform may never evaluate it,
        # or drops its errors (the arguments of try(), a branch of a condition rolelint does
        # not decide, a probe of a variable's validation), so none is certain there.
        self.tentative = 0
        from rolelint.parsers.tf_functions import FUNCTIONS

        self.functions = FUNCTIONS

    def evaluate(self, expr: Expr, file: str, bindings: Mapping[str, Any] | None = None) -> Any:
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                self.cut_by_depth += 1
                return self.refuse(SourceRef(file, expr.span), TOO_DEEP)
            if self.budget.exhausted:
                return self.refuse(SourceRef(file, expr.span), TOO_MUCH)
            value = self._evaluate(expr, file, bindings or {})
            if self.budget.too_large(value):
                return self.refuse(SourceRef(file, expr.span), TOO_LARGE)
            return value
        finally:
            self.depth -= 1

    def interpolated(
        self, expr: Expr, file: str, bindings: Mapping[str, Any], span: Span | None = None
    ) -> Any:
        """The value of the interpolation ``expr`` of a heredoc or template, checked as
        Terraform includes it in the text (:func:`string_required`), at its place (``span``
        where it has none)."""
        value = self.evaluate(expr, file, bindings)
        string_required(value, SourceRef(file, expr.span or span))
        return value

    def tentatively(self, compute: Callable[[], Any]) -> Any:
        """``compute()`` read tentatively (:attr:`tentative`): no error of Terraform's it finds
        is certain."""
        self.tentative += 1
        try:
            return compute()
        finally:
            self.tentative -= 1

    def afresh(self, compute: Callable[[], Any]) -> Any:
        """``compute()`` of a value Terraform evaluates on its own, whoever refers to it (a
        local, a resource's argument): its errors are its own, certain even where a try()
        or a branch refers to it."""
        saved, self.tentative = self.tentative, 0
        try:
            return compute()
        finally:
            self.tentative = saved

    def refuse(self, at: SourceRef, reason: str) -> Value:
        """An unknown value in place of one too large to build (see rolelint.parsers.tf_budget),
        with a notice: once per place, and once per module when the module's budget is spent
        (every expression after that would say so)."""
        if reason != TOO_MUCH or self.budget.first_time(reason):
            self.scope.notice(at, reason)
        return unknown(at, reason)

    def _evaluate(self, expr: Expr, file: str, bindings: Mapping[str, Any]) -> Any:
        at = SourceRef(file, expr.span)
        if isinstance(expr, Literal):
            # Strings and numbers carry their own position: a value defined in locals.tf and
            # used in main.tf must still point at locals.tf.
            return Value(expr.value, at) if isinstance(expr.value, str) else placed(expr.value, at)
        if isinstance(expr, Template):
            return self.template(expr, file, bindings)
        if isinstance(expr, TupleExpr):
            sequence = PSeq(expr.span)
            for item in expr.items:
                value = held(self.evaluate(item, file, bindings), SourceRef(file, item.span))
                if isinstance(value, PSeq) and not isinstance(item, TupleExpr):
                    value = produced_list(value)  # [local.arns], [aws_iam_role.r[*].arn]
                sequence.add(value, item.span)
            return sequence
        if isinstance(expr, ObjectExpr):
            return self.object(expr, file, bindings)
        if isinstance(expr, Traversal):
            value = self.traversal(expr, file, bindings)
            return self._at_use(value, at)
        if isinstance(expr, Call):
            return self.call(expr, file, bindings)
        if isinstance(expr, Conditional):
            return self.conditional(expr, file, bindings)
        if isinstance(expr, Operation):
            return self.operation(expr, file, bindings)
        if isinstance(expr, ForExpr):
            return self.for_expression(expr, file, bindings)
        if isinstance(expr, Rejected):
            return self._rejected(expr, at, bindings)
        if isinstance(expr, Unsupported):
            return unknown(at, expr.reason)
        return unknown(at, "expression not evaluated")

    # --- strings ---------------------------------------------------------------------------------

    def template(self, expr: Template, file: str, bindings: Mapping[str, Any]) -> Any:
        at = SourceRef(file, expr.span)
        if expr.heredoc is not None:
            heredoc = expr.heredoc
            line_columns = heredoc.line_columns()
            text, slots = splice(heredoc.text, heredoc.first_line, heredoc.indent + 1, line_columns)
            if expr.directive and directive_outside_strings(text):
                return unknown(at, DIRECTIVE)
            lone = None if expr.directive else self._padded_heredoc(expr.parts, file, bindings)
            if lone is not None and lone.document is not None:
                return lone.document
            # A directive inside a JSON string leaves that string unknown (leaf_resolver), as
            # in templatefile(): the rest of the policy is read.
            interpolated = expr.directive or any(not isinstance(p, str) for p in expr.parts)
            masked = maskable(heredoc.text)
            column = heredoc.indent + 1  # of every line of the body
            parts = expr.parts
            return PositionedText(
                text,
                file,
                heredoc.first_line,
                column,
                self.leaf_resolver(
                    file, bindings, slots, masked=masked, lines_at=column, line_columns=line_columns
                ),
                interpolated,
                written=masked_lines(text) if masked else None,
                rendered=None
                if expr.directive
                else lambda: self.join_parts(parts, file, bindings, at, lone=lone),
                line_columns=line_columns,
            )
        if expr.directive:
            return self._directives_not_rendered(expr, at, bindings)
        return self.join_parts(expr.parts, file, bindings, at)

    def _padded_heredoc(
        self, parts: Sequence[str | Expr], file: str, bindings: Mapping[str, Any]
    ) -> LoneInterpolation | None:
        """The value of the one interpolation of a heredoc with JSON blanks alone around it
        (``${jsonencode({...})}`` and the line feed every heredoc line ends with), and the
        policy it renders where that value is JSON text of an object: read as a
        ``templatefile()`` of the same text is (``tf_functions.padded_json_document``), the
        tree itself.  None for any other heredoc, read as any heredoc is.  ``parts`` are
        HCL's, what a ``~`` strips already gone."""
        from rolelint.parsers.tf_functions import JSON_BLANKS, padded_json_document

        expressions = [part for part in parts if not isinstance(part, str)]
        if len(expressions) != 1 or len(parts) == 1:
            return None
        expression = expressions[0]
        if isinstance(expression, (Rejected, Unsupported, TemplateIf, TemplateFor)):
            return None
        place = parts.index(expression)
        before = "".join(part for part in parts[:place] if isinstance(part, str))
        after = "".join(part for part in parts[place + 1 :] if isinstance(part, str))
        if (before + after).strip(JSON_BLANKS):
            return None
        # Evaluated, not yet checked as a string: any value but JSON text of an object is read
        # as before, where the heredoc's own reading says what Terraform refuses.
        lone = self.evaluated_once(expression, file, bindings)
        return replace(lone, document=padded_json_document(lone.value, before, after))

    def evaluated_once(
        self, expression: Expr, file: str, bindings: Mapping[str, Any]
    ) -> LoneInterpolation:
        """The value of the one interpolation ``expression`` of a heredoc or template, kept
        to render the string from (:meth:`join_parts`) where it is no policy: evaluated
        again, it made every call in it twice, and all it refers to."""
        taken = self.defaults_taken
        value = self.evaluate(expression, file, bindings)
        return LoneInterpolation(expression, value, self.defaults_taken != taken)

    def _directives_not_rendered(
        self, expr: Template, at: SourceRef, bindings: Mapping[str, Any]
    ) -> Value:
        """A quoted string whose directives are not rendered: unknown.  The parser nests a
        quoted HCL string's directives, and those of a string of Terraform's JSON syntax
        (rendered as a heredoc's JSON strings are), or leaves the one part that says why they
        cannot be: Terraform rejects them (:meth:`_rejected`), or rolelint cannot read them,
        and the user is told, as the string is not analyzed.  (A variable file's
        ``.tfvars.json`` strings are no templates: their text is read.)"""
        from rolelint.parsers.hcl_directives import not_rendered

        unread = not_rendered(expr.parts)
        if isinstance(unread, Rejected):
            return self._rejected(unread, at, bindings)
        return unknown(at, DIRECTIVE) if unread is None else self._unread(at, unread.reason)

    def _rejected(self, expr: Rejected, at: SourceRef, bindings: Mapping[str, Any]) -> Value:
        """The unknown value of a string of Terraform's JSON syntax whose template Terraform
        rejects (a syntax error in its ``${...}`` or ``%{...}``, which HCL's JSON syntax
        parses as a template when it evaluates the string; a heredoc's or a template file's
        is the error of its file or ``templatefile()`` call before it is evaluated): an error
        of the run at its place where Terraform surely evaluates the string (not read
        :attr:`tentative`-ly, nor in a block or resource instance only some deployments have),
        whatever the values, and the string unknown, saying Terraform rejects it."""
        if not self.tentative and not _only_in_some(bindings):
            self.scope.error(SourceRef(at.file, expr.error_at), expr.error)
        return unknown(at, f"{REFUSED_TEMPLATE}{expr.error}")

    def join_parts(
        self,
        parts: tuple[str | Expr, ...],
        file: str,
        bindings: Mapping[str, Any],
        at: SourceRef,
        *,
        into_json: bool = False,
        lone: LoneInterpolation | None = None,
    ) -> Any:
        """The string the parts make: one text, a Choice of texts, or unknown.

        A string that is one interpolation and nothing else (``"${data.x.json}"``, the
        Terraform 0.11 style) is that value itself, as HCL defines it: a policy document
        stays the document, not a text rolelint would have to read back (a directive, and
        in a string of JSON a ``jsonencode()``, make text).  A string of JSON text
        (``into_json``) is unknown where what an interpolation renders reads otherwise there
        (:func:`misread_in_json`).  ``lone``: the value of the interpolation of the parts
        already evaluated (:meth:`evaluated_once`), taken in its place (the same expression,
        or one parsed again at its place from its text)."""
        part = parts[0] if len(parts) == 1 else None
        if isinstance(part, Expr) and not isinstance(part, (TemplateIf, TemplateFor)):
            if not into_json:
                return self._evaluated(part, file, bindings, lone)[0]
            if not _encodes(part):
                return self._rendered_into_json(self.interpolated(part, file, bindings), at)
        return self._text_of(parts, file, bindings, at, into_json, lone)

    def _text_of(
        self,
        parts: tuple[str | Expr, ...],
        file: str,
        bindings: Mapping[str, Any],
        at: SourceRef,
        into_json: bool,
        lone: LoneInterpolation | None = None,
    ) -> Any:
        """The text template parts render, always a string (no interpolation passes its value
        through, as in a directive's branch): each part rendered in order, then joined."""
        rendered = [self._rendered(part, file, bindings, at, into_json, lone) for part in parts]
        return self._joined(rendered, at)

    def _evaluated(
        self,
        part: Expr,
        file: str,
        bindings: Mapping[str, Any],
        lone: LoneInterpolation | None,
    ) -> tuple[Any, bool]:
        """The value of the interpolation ``part`` and whether it read a root module
        variable's default (:attr:`defaults_taken`, which it moves as evaluating would):
        ``lone``'s where that is the same interpolation, evaluated already."""
        if lone is not None and lone.written_as(part):
            if lone.by_default:
                self.defaults_taken += 1
            return lone.value, lone.by_default
        taken = self.defaults_taken
        value = self.evaluate(part, file, bindings)
        return value, self.defaults_taken != taken

    def _rendered(
        self,
        part: str | Expr,
        file: str,
        bindings: Mapping[str, Any],
        at: SourceRef,
        into_json: bool,
        lone: LoneInterpolation | None = None,
    ) -> Any:
        """What one part of a template renders: its text, a directive's text, or the value of
        an interpolation (into JSON, unknown where its text reads otherwise there)."""
        if isinstance(part, str):
            return part
        if isinstance(part, TemplateIf):
            return self._chosen(
                part.condition,
                file,
                bindings,
                lambda: self._text_of(part.then, file, bindings, at, into_json),
                lambda: self._text_of(part.otherwise, file, bindings, at, into_json),
            )
        if isinstance(part, TemplateFor):
            return self._template_for(part, file, bindings, at, into_json)
        if into_json and isinstance(part, Call) and _encodes(part):
            return self._encoded_into_json(self.evaluate(part.args[0], file, bindings), at)
        if into_json and isinstance(part, Conditional) and _encodes(part):
            # Rendered branch by branch (each branch's JSON text), but typed as a whole first,
            # as :meth:`conditional` types every other conditional: Terraform rejects
            # ``c ? jsonencode(x) : ["*"]`` (a string and a tuple) whatever ``c`` is.
            rejected = self._inconsistent(part, file, bindings)
            if rejected is not None:
                return rejected
            return self._chosen(
                part.condition,
                file,
                bindings,
                lambda: self._rendered(part.then, file, bindings, at, into_json),
                lambda: self._rendered(part.otherwise, file, bindings, at, into_json),
            )
        if not into_json:
            value, by_default = self._evaluated(part, file, bindings, lone)
            return self._included(value, SourceRef(file, part.span), by_default)
        return self._rendered_into_json(self.interpolated(part, file, bindings), at)

    def _included(self, value: Any, at: SourceRef, by_default: bool) -> Any:
        """What the interpolation at ``at`` of a quoted string (of HCL, or of Terraform's JSON
        syntax) includes in the string's text: ``value``, unless every option of it is a list,
        an object or null, which Terraform refuses if the value is as rolelint reads it
        (:func:`not_a_string`): then the string is unknown.  Read :attr:`tentative`-ly, for a
        reason try() goes on past (an argument of its own failing), and without a word (what
        a branch rolelint does not decide holds is judged where it is taken); else with a
        note at the interpolation, and for a reason try() does not pass (a local failing
        fails the run, whoever refers to it).  Null a root module variable's default gives
        (``by_default``, :attr:`defaults_taken`) is an input not given, which whoever
        deploys may pass: no word, as for a variable without a default (``default = null``
        makes an input optional; a module's folder read on its own is such a root).  Where
        only some options are refused, they make the string unknown (:meth:`_joined`)."""
        kinds = [_no_string(option) for option in options(value)]
        refused = [kind for kind in kinds if kind is not None]
        if not refused or len(refused) != len(kinds) or (by_default and NULL in refused):
            return value
        note = interpolation_note(refused[0])
        if self.tentative:
            return unknown(at, f"{INVALID_INTERPOLATION}{note}")
        self.scope.notice(at, note)
        return unknown(at, note)

    def _encoded_into_json(self, value: Any, at: SourceRef) -> Any:
        """What ``${jsonencode(x)}`` renders into a JSON string, ``value`` being x: x's JSON
        text (:func:`json_text`; the tree :func:`encoded` keeps is right only where the text is
        the whole policy or a value spliced in place of a JSON value).  A string, a list or a
        map holding one, or an object, writes quotes, which end the JSON string: unknown, with
        a note, never the tree or the string unencoded.  A number, a bool, null or an empty
        list is that text (``"${jsonencode([])}"`` is the string "[]")."""
        if isinstance(value, Choice):
            return value.mapped(lambda option: self._encoded_into_json(option, at))
        if is_unknown(value):
            return value
        text = json_text(value)
        if text is None:
            return unknown(at, ENCODED_NOT_KNOWN)
        if misread_in_json(text):
            self.scope.notice(at, f"this string is not analyzed: {ENCODED_INTO_JSON}")
            return refused(at, ENCODED_INTO_JSON)
        return Value(text, at)

    def _template_for(
        self,
        part: TemplateFor,
        file: str,
        bindings: Mapping[str, Any],
        at: SourceRef,
        into_json: bool,
    ) -> Any:
        """The text of a ``%{ for }`` directive: its body rendered for each element of the
        collection, joined (each branch of a collection a condition chooses on its own)."""
        collection = self.evaluate(part.collection, file, bindings)
        if not isinstance(collection, Choice):
            return self._for_text(part, collection, file, bindings, at, into_json)
        alternatives = branched_options(collection)
        if len(alternatives) > MAX_ALTERNATIVES:
            return unknown(at, "too many alternatives")
        return self.tentatively(
            lambda: choice_of(
                (self._for_text(part, option, file, bindings, at, into_json), branches)
                for option, branches in alternatives
            )
        )

    def _for_text(
        self,
        part: TemplateFor,
        collection: Any,
        file: str,
        bindings: Mapping[str, Any],
        at: SourceRef,
        into_json: bool,
    ) -> Any:
        """A ``%{ for }`` directive's text over one collection; unknown, with a notice, when
        the collection is not one rolelint knows."""
        if not isinstance(collection, (PSeq, PMap)):
            reason = collection.unresolved_reason if isinstance(collection, Value) else None
            known = f"the collection of its %{{ for }} is not known: {reason or NOT_COLLECTION}"
            return self._not_rendered(at, known)
        if len(collection) > MAX_ITEMS:
            return self._not_rendered(at, f"its %{{ for }} is over more than {MAX_ITEMS} items")
        texts: list[Any] = []
        for key, value, _ in iterate(collection):
            self.budget.spent += 1
            if self.budget.exhausted:
                return self.refuse(at, TOO_MUCH)
            scope = dict(bindings)
            if part.key_name is not None:
                scope[part.key_name] = key
            scope[part.value_name] = value
            texts.append(self._text_of(part.body, file, scope, at, into_json))
        return self._joined(texts, at)

    def _not_rendered(self, at: SourceRef, reason: str) -> Value:
        """The unknown value of a JSON string whose directive rolelint does not render as
        Terraform would; the user is told, as the string is not analyzed."""
        self.scope.notice(at, f"this string is not analyzed: {reason}")
        return unknown(at, reason)

    def _joined(self, values: list[Any], at: SourceRef) -> Any:
        """The text rendered values make together (literal text is a ``str``): one text, a
        Choice of texts, or unknown."""
        pieces: list[list[tuple[str, Branches]]] = []
        joined: list[JoinedPiece] = []  # in order, as tree.joined_constrained reads them
        missing: list[Value] = []
        # In order, as tree.partly_known reads them; None once a part has alternatives.
        known: list[SplicedPiece] | None = []
        for value in values:
            if isinstance(value, str):
                pieces.append([(value, frozenset())])
                joined.append([value])
                if known is not None:
                    known.append(value)
                continue
            texts: list[tuple[str, Branches]] = []
            alternatives: list[str | bool] = []
            for option, branches in branched_options(value):
                text = as_text(option)
                if text is None:
                    encoding = isinstance(option, (EncodedMap, EncodedSeq))
                    reason = ENCODED_NOT_KNOWN if encoding else NOT_TEXT
                    missing.append(option if is_unknown(option) else unknown(at, reason))
                    alternatives.append(missing[-1].constrained)
                else:
                    texts.append((text, branches))
                    alternatives.append(text)
            pieces.append(texts)
            joined.append(alternatives)
            if known is not None and len(alternatives) == 1:
                known.append(_spliced(texts, missing))
            else:
                known = None
        if missing:
            # ``o-${data.org.id}`` is as much AWS's choice as the id alone: the whole stays
            # constrained when every unknown piece is and the written text makes no pattern.
            reason = missing[0].unresolved_reason or NOT_TEXT
            constrained, wildcard = joined_unknown(
                joined, ((value.constrained, value.wildcard_written) for value in missing)
            )
            return Value(
                None,
                at,
                reason,
                constrained=constrained,
                wildcard_written=wildcard,
                partly_known=None if known is None else partly_known(known),
            )
        combinations = 1
        for texts in pieces:
            combinations *= len(texts)
        if combinations > MAX_ALTERNATIVES:
            return unknown(at, "too many alternatives")
        if sum(max(len(text) for text, _ in texts) for texts in pieces) > MAX_TEXT:
            return self.refuse(at, TOO_LARGE)
        # Each text with the branches it is deployed under: ``"${c ? "a" : ""}/${c ? "" :
        # "b"}"`` is "a/" or "/b"; a text two combinations make, under the branches both have.
        results: dict[str, Branches] = {}
        for chosen, branches in combined(pieces):
            text = "".join(chosen)
            results[text] = results[text] & branches if text in results else branches
        return choice_of((Value(text, at), branches) for text, branches in results.items())

    def _rendered_into_json(self, value: Any, at: SourceRef) -> Any:
        """A string's one interpolation, rendered into JSON text: unknown where its text reads
        otherwise there (each option of a Choice on its own).  What jsonencode() made, through
        a reference or a function, is its JSON text, as written in the string; so is a policy
        document's, whose text holds quotes.  A list or an object is refused before it gets
        here (:func:`string_required`).  A file's, heredoc's or template's text is the string
        it renders (:func:`text_as_string`), never text to be read as a policy: the JSON string
        ``"${file("arn.txt")}"`` is the file's text, which the policy grammar, reading strings,
        dropped (the statement lost its Resource)."""
        if isinstance(value, Choice):
            return value.mapped(lambda option: self._rendered_into_json(option, at))
        if isinstance(value, PositionedText):
            return self._rendered_into_json(text_as_string(value, at), at)
        if isinstance(value, EncodedText):
            return self._encoded_into_json(value.encoded, at)
        if isinstance(value, (EncodedMap, EncodedSeq)):
            return self._encoded_into_json(value, at)
        if isinstance(value, DocumentJson):  # its keys are quoted
            return self._misread(at)
        text = as_text(value)
        if text is not None and misread_in_json(text):
            return self._misread(at)
        return value

    def _text_spliced(self, value: PositionedText, at: SourceRef) -> Any:
        """What JSON reads where a template writes the text of a file, or of a heredoc or
        template, in place of a JSON value (``"Resource": ${file("arn.txt")}``): a file's text
        (or a heredoc's that interpolates nothing) is a string there as any other, read as the
        JSON it is, or no JSON (:func:`spliced`); a template that interpolates is read only as
        a whole policy, so its text is unknown there, and the user is told."""
        text = as_text(value)
        if text is None:
            self.scope.notice(at, f"this value is not analyzed: {TEMPLATE_SPLICED}")
            return unknown(at, TEMPLATE_SPLICED)
        return spliced(Value(text, at), at)

    def _misread(self, at: SourceRef) -> Value:
        """The unknown value of a JSON string whose interpolation renders a quote, a backslash
        or a control character; the user is told, as the string is not analyzed.  Not the
        deployer's choice (tf_eval.refused): the JSON Terraform makes is what the file and
        the values rolelint read make it, most often none at all, which IAM rejects; read as
        a variable's unknown, RL101 said whoever deploys decides a "*" trust's condition."""
        self.scope.notice(at, f"this string is not analyzed: {MISREAD_IN_JSON}")
        return refused(at, MISREAD_IN_JSON)

    def _escaped(self, at: SourceRef) -> Value:
        """The unknown value of a JSON string with a backslash right before an interpolation,
        which JSON reads with what the interpolation renders; the user is told, as the string
        is not analyzed.  Not the deployer's choice either, as :meth:`_misread`'s."""
        self.scope.notice(at, f"this string is not analyzed: {ESCAPED_BY_JSON}")
        return refused(at, ESCAPED_BY_JSON)

    def _unread(self, at: SourceRef, reason: str, what: str = "this string") -> Value:
        """The unknown value of a JSON string (or a value spliced into the JSON) rolelint
        cannot read as Terraform does, such as an interpolation it cannot parse; the user is
        told, as it is not analyzed."""
        self.scope.notice(at, f"{what} is not analyzed: it holds {reason}")
        return unknown(at, reason)

    def rendered_template(
        self,
        text: str,
        file: str,
        bindings: Mapping[str, Any],
        at: SourceRef,
        lone: LoneInterpolation | None = None,
    ) -> Any:
        """The string a template file's ``text`` renders, with its variables alone
        (``confined``): for where Terraform uses it as a string (:func:`text_as_string`).
        ``lone``: its one interpolation, evaluated already (:meth:`join_parts`)."""
        from rolelint.parsers.hcl_directives import template_parts

        parts = template_parts(text, 1, 1)
        unread = next((part for part in parts if isinstance(part, Unsupported)), None)
        if unread is not None:
            return self._unread(at, unread.reason)
        saved, self.confined = self.confined, True
        try:
            return self.join_parts(tuple(parts), file, bindings, at, lone=lone)
        finally:
            self.confined = saved

    def leaf_resolver(
        self,
        file: str,
        bindings: Mapping[str, Any],
        slots: Mapping[str, Expr],
        *,
        confined: bool = False,
        masked: bool = False,
        lines_at: int,
        line_columns: Mapping[int, int] | None = None,
    ) -> Callable[[str, Span | None], Any]:
        """Resolves the strings of JSON written inside a heredoc or template, whose lines start
        at file column ``lines_at``, or at the one ``line_columns`` gives for their file line
        (a ``<<-`` heredoc's line that keeps more indentation, HeredocText.line_columns): a
        string's ``${...}`` written over several lines goes on from its first line to lines
        that start there, not at the string's column.

        ``${...}`` inside a string is interpolated, ``$${`` is a literal ``${``, and a placeholder
        left by :func:`splice` (``"Principal": ${jsonencode(local.x)}``) is the expression's own
        value, a whole tree when it is one.  The text being ``masked`` (tf_template_json), an
        interpolation is read as it is written; what it renders is written into the JSON as it
        is, so a value holding a quote, a backslash or a control character is unknown: the
        JSON Terraform writes then says something else (``"${join("\\",\\"", local.arns)}"``
        makes several strings), which rolelint does not read.  So is a string with a backslash
        right before an interpolation: no escape in the template, it escapes the first
        character rendered once JSON reads what Terraform made.
        """
        from rolelint.parsers.hcl_directives import template_parts

        def resolve(text: str, span: Span | None) -> Any:
            saved, self.confined = self.confined, confined
            try:
                return resolved(text, span)
            finally:
                self.confined = saved

        def resolved(text: str, span: Span | None) -> Any:
            slot = slots.get(text.strip())
            if isinstance(slot, Unsupported):
                return self._unread(SourceRef(file, span), slot.reason, "this value")
            if slot is not None:
                value = self.interpolated(slot, file, bindings, span)
                if isinstance(value, PositionedText):
                    return self._text_spliced(value, SourceRef(file, span))
                return spliced(value, SourceRef(file, span))
            if "${" not in text and "%{" not in text:
                return text
            if masked:
                text = restored(text)
                if escapes_interpolation(text):
                    return self._escaped(SourceRef(file, span))
            line = span.line if span else 1
            column = (span.column + 1) if span else 1
            # Directives that do not nest in the string pair with one in another: the whole
            # heredoc or template was taken (hcl_adapter.rejected_in, where it is parsed).
            # The JSON escapes masked in its literal text are decoded once its strip markers
            # have run, as Terraform renders before JSON decodes.
            literal = decoded_escapes if masked else None
            # The string's first line starts at its quote, placed already (``span``).
            later = {at: start for at, start in (line_columns or {}).items() if at != line}
            parts = template_parts(
                text,
                line,
                column,
                lines_at,
                in_string=True,
                literal=literal,
                line_columns=later or None,
            )
            at = SourceRef(file, span)
            unread = next((part for part in parts if isinstance(part, Unsupported)), None)
            if unread is not None:
                return self._unread(at, unread.reason)
            return self.join_parts(tuple(parts), file, bindings, at, into_json=True)

        return resolve

    # --- collections -----------------------------------------------------------------------------

    def object(self, expr: ObjectExpr, file: str, bindings: Mapping[str, Any]) -> Any:
        mapping = FileMap(file, expr.span)
        for item in expr.items:
            key = self.evaluate(item.key, file, bindings)
            text = as_text(key)
            if text is None:
                # A computed key: the object's shape is unknown, so the whole object is.
                return self._key_not_known(item, key, file, bindings)
            if text in mapping:
                self.duplicates[SourceRef(file, item.key_span)] = text
            value = self.evaluate(item.value, file, bindings)
            value = held(value, SourceRef(file, item.value.span))
            mapping.set(text, value, item.key_span, item.value.span)
        return mapping

    def string_refused(self, at: SourceRef, reason: str, note: str | None = None) -> Value:
        """The value at ``at`` of a string given where Terraform requires a collection (a
        function's list or map argument, an index, a ``for``, a ``...``, a policy document's
        list argument), which it refuses for ``reason``: in no deployment (:func:`refused`).
        The one reading of every such place: with ``note`` (else ``reason``) said at ``at``,
        and a reason try() does not pass (a local failing fails the run, whoever refers to
        it); read :attr:`tentative`-ly, without a word and for a reason try() goes on past
        (:data:`STRING_FOR_A_COLLECTION`): ``try(flatten(local.arns_json), ["*"])`` is
        ``["*"]`` in Terraform, and what a branch rolelint does not decide holds is judged
        where it is taken.  Some of these places were noted inside try() and left its value
        unknown, where Terraform takes the next argument."""
        if self.tentative:
            return refused(at, f"{STRING_FOR_A_COLLECTION}{reason}")
        self.scope.notice(at, note or reason)
        return refused(at, reason)

    def _string_as_collection(self, at: SourceRef, what: str) -> Value:
        """The unknown value of an index, a ``for`` or a ``...`` of JSON text rolelint keeps as
        a tree (a jsonencode()d list or map, a policy document's ``json``): that text is a
        string, which Terraform neither indexes ("This value does not have any indices",
        "Can't access attributes on a primitive-typed value") nor iterates ("Iteration over
        non-iterable value", "The expanding argument ... must be of a tuple, list, or set
        type"), and the plan fails; rolelint read the tree it encodes (:meth:`string_refused`)."""
        message = (
            f"{what} the JSON text jsonencode() or a policy document made, a string, which"
            f" Terraform cannot index nor iterate: it refuses the configuration, so this value"
            f" is not analyzed"
        )
        return self.string_refused(at, message)

    def _key_not_known(
        self, item: ObjectItem, key: Any, file: str, bindings: Mapping[str, Any]
    ) -> Value:
        """The unknown value of an object whose key ``item`` gives no text (``key``, whose
        reason is the object's, :func:`key_not_known`).  A key that is a
        bare name naming nothing (``(foo) = 1``: no variable of a ``for``, no binding of the
        block) is one Terraform rejects ("Invalid reference": a name alone is no reference),
        and the object, a policy jsonencode()d around it included, was dropped without a
        word: a note says so at the key, and an error of the run where Terraform surely
        evaluates it (not read tentatively, nor in a block or instance only some deployments
        have, nor in a template, whose names may be variables of the template)."""
        at = SourceRef(file, item.key_span)
        name = bare_name(item.key)
        if name is None or name in bindings or name in _REFERENCE_ROOTS:
            return unknown(at, key_not_known(key))
        message = (
            f"the object key ({name}) names nothing Terraform knows (a name alone is no"
            " reference: Invalid reference), so this object is not analyzed"
        )
        if self.confined or self.tentative or _only_in_some(bindings):
            self.scope.notice(at, message)
        else:
            self.scope.error(at, message)
        return unknown(at, message)

    def for_expression(self, expr: ForExpr, file: str, bindings: Mapping[str, Any]) -> Any:
        at = SourceRef(file, expr.span)
        collection = self.evaluate(expr.collection, file, bindings)
        if isinstance(collection, Choice):
            # A collection a condition chooses (``[for p in var.public ? ["*"] : var.arns :
            # p]``): each branch is iterated, and the result is the choice of theirs, as a
            # function's of alternatives is.  Unknown, it would hide both branches.
            alternatives = branched_options(collection)
            if len(alternatives) > MAX_ALTERNATIVES:
                return unknown(at, "for expression over too many alternatives")
            return self.tentatively(
                lambda: choice_of(
                    (self._for_over(expr, option, file, bindings), branches)
                    for option, branches in alternatives
                )
            )
        return self._for_over(expr, collection, file, bindings)

    def _for_over(
        self, expr: ForExpr, collection: Any, file: str, bindings: Mapping[str, Any]
    ) -> Any:
        """The for expression over one collection (one branch of a conditional)."""
        at = SourceRef(file, expr.span)
        if isinstance(collection, TEXT_TREES):
            return self._string_as_collection(at, "a for expression iterates")
        if not isinstance(collection, (PSeq, PMap)):
            reason = collection.unresolved_reason if isinstance(collection, Value) else None
            return unknown(at, reason or "for expression over a value not known before apply")
        if len(collection) > MAX_ITEMS:
            return unknown(at, "for expression over too many items")
        entries = list(iterate(collection))
        result: PMap | PSeq = PMap(expr.span) if expr.key is not None else PSeq(expr.span)
        built = 0  # the size of the result so far: refused as soon as it is too large
        for key, value, span in entries:
            self.budget.spent += 1  # an iteration costs even when its filter drops the item
            if self.budget.exhausted:
                return self.refuse(at, TOO_MUCH)
            scope = dict(bindings)
            if expr.key_name is not None:
                scope[expr.key_name] = key
            scope[expr.value_name] = value
            if expr.condition is not None:
                keep = to_bool(self.evaluate(expr.condition, file, scope))
                if keep is None:
                    return unknown(at, "for expression filter not known before apply")
                if not keep:
                    continue
            item = held(self.evaluate(expr.value, file, scope), SourceRef(file, expr.value.span))
            size = self.budget.size_of(item)
            built += size
            self.budget.spent += size
            if built > MAX_SIZE:
                return self.refuse(at, TOO_LARGE)
            if self.budget.exhausted:
                return self.refuse(at, TOO_MUCH)
            if isinstance(result, PSeq):
                result.add(item, span or expr.value.span)
                continue
            assert expr.key is not None
            key_text = as_text(self.evaluate(expr.key, file, scope))
            if key_text is None:
                return unknown(at, "for expression key not known before apply")
            built += self.budget.size_of(key_text)
            if built > MAX_SIZE:
                return self.refuse(at, TOO_LARGE)
            if expr.grouping:
                group = result.get(key_text)
                if not isinstance(group, PSeq):
                    group = PSeq(expr.span)
                    result.set(key_text, group, expr.key.span, expr.value.span)
                group.add(item, span)
            else:
                result.set(key_text, item, expr.key.span, span or expr.value.span)
        return result

    # --- references ------------------------------------------------------------------------------

    def _at_use(self, value: Any, at: SourceRef) -> Any:
        """A string or number reached through a reference points where it is used (``Action =
        var.x``), as a CloudFormation ``!Ref`` does; the items of a list keep their own places.

        Except a string the module's caller wrote (``var.x``, or ``each.value`` of a
        ``for_each`` over it): the module is shared by every call, and the value to change, the
        line a review of the caller shows, is where the call sets it.  Only the place changes:
        where the value comes from (``origin``: the default of variable X) is kept.

        What keeps its own place is marked as used at the reference (:func:`marked_used_at`): a
        suppression comment on ``Action = local.admin`` is on the element, and applies.  The
        marked copy serves every evaluation of the reference with that value (each instance of
        a ``count``): the budget counts copies, not instances.  A reference whose value is not
        marked (over the budget) is remembered in ``budget.unmarked``."""
        if (
            isinstance(value, Value)
            and value.text is not None
            and self.scope.writes(value.ref.file)
        ):
            return replace(value, ref=at)
        place = place_of(value)
        if place is not None and self.scope.writes(place.file):
            return placed(value, at)
        if isinstance(value, Choice):
            return value.mapped(lambda option: self._at_use(option, at))
        return marked_used_at(value, at, self.budget)

    def traversal(self, expr: Traversal, file: str, bindings: Mapping[str, Any]) -> Any:
        at = SourceRef(file, expr.span)
        steps = list(expr.steps)
        if expr.root is None:
            base = self.evaluate(expr.source, file, bindings) if expr.source else unknown(at, "?")
            return self.apply(base, steps, file, bindings, at)
        root = expr.root
        if root in bindings:
            return self.apply(bindings[root], steps, file, bindings, at)
        if self.confined:  # Terraform refuses the template: "vars map does not contain key"
            return unknown(at, f"{root} is not a variable of the template")
        names = leading_names(steps)
        if root == "var" and names:
            return self.apply(self.scope.variable(names[0], at), steps[1:], file, bindings, at)
        if root == "local" and names:
            return self.apply(self.scope.local(names[0], at), steps[1:], file, bindings, at)
        if root == "path" and names:
            if names[0] in ("module", "root"):
                where = self.scope.module_path if names[0] == "module" else "."
                return self.apply(Value(where, at), steps[1:], file, bindings, at)
            if names[0] == "cwd":
                return unknown(at, CWD_UNKNOWN)
            return unknown(at, f"path.{names[0]} is not known")
        if root == "data" and len(names) >= 2:
            if not self.scope.exists("data", names[0], names[1]):
                return _absent(steps[2:], at, f"data.{names[0]}.{names[1]}")
            several = self.scope.instances_value("data", names[0], names[1], at)
            if several is not None:
                return self.apply(several, steps[2:], file, bindings, at)
            rest = _skip_instance(steps[2:])
            attribute = leading_names(rest)
            if not attribute:
                return unknown(at, f"data source data.{names[0]}.{names[1]} used as a whole")
            value = self.scope.data_attribute(names[0], names[1], attribute[0], at)
            value = self.apply(value, rest[1:], file, bindings, at)
            return _as_splat(value, steps[2:], expr.span)
        if root == "module" and names:
            return unknown(at, f"output of module {names[0]}")
        if root in ("count", "each"):
            return unknown(at, f"{root}.{names[0] if names else '?'}: the instance key")
        if root in ("self", "terraform", "var", "local", "data", "path"):
            return unknown(at, f"{root} reference not evaluated")
        if names:
            if not self.scope.exists("resource", root, names[0]):
                return _absent(steps[1:], at, f"{root}.{names[0]}")
            several = self.scope.instances_value("resource", root, names[0], at)
            if several is not None:
                return self.apply(several, steps[1:], file, bindings, at)
            rest = _skip_instance(steps[1:])
            attribute = leading_names(rest)
            if not attribute:
                return unknown(at, f"resource {root}.{names[0]} used as a whole")
            value = self.scope.resource_attribute(root, names[0], attribute[0], at)
            value = self.apply(value, rest[1:], file, bindings, at)
            return _as_splat(value, steps[1:], expr.span)
        return unknown(at, f"unknown name {root}")

    def apply(
        self, value: Any, steps: list[Step], file: str, bindings: Mapping[str, Any], at: SourceRef
    ) -> Any:
        """Follow ``.attr``, ``[index]`` and splats into a value."""
        for position, step in enumerate(steps):
            if isinstance(value, Choice):  # each option's, of the branches it is of
                return choice_of(
                    (self.apply(option, steps[position:], file, bindings, at), branches)
                    for option, branches in branched_options(value)
                )
            if is_unknown(value):
                return unknown(at, value.unresolved_reason or "not known before apply")
            if isinstance(value, TEXT_TREES) and not isinstance(step, Splat):
                return self._string_as_collection(at, "indexes")
            if isinstance(step, Splat):
                items = _splatted(value)
                result = PSeq(own_span(value))
                for index, item in enumerate(items):
                    span = value.span_at(index) if isinstance(value, PSeq) else None
                    found = self.apply(item, steps[position + 1 :], file, bindings, at)
                    if isinstance(item, InstanceObject):
                        found, span = _at_reference(found, at), at.span
                    result.add(found, span)
                return result
            if isinstance(step, GetAttr):
                key: Any = step.name
            else:
                key = self.evaluate(step.key, file, bindings)
                if is_unknown(key) or isinstance(key, Choice):
                    return unknown(at, "index not known before apply")
            if isinstance(value, InstanceObject) and value.resource is not None:
                name = as_text(plain(key))
                if name is not None and name not in value:
                    kind, resource = value.resource
                    value = self.scope.resource_argument(kind, resource, value.key, name, at)
                    continue
            value = _index(value, key, at)
        return value

    # --- functions, conditionals, operators ------------------------------------------------------

    def call(self, expr: Call, file: str, bindings: Mapping[str, Any]) -> Any:
        at = SourceRef(file, expr.span)
        name = expr.name.split("::")[-1] if expr.name.startswith("provider::") else expr.name
        function = self.functions.get(name)
        if function is None:
            return unknown(at, f"function {expr.name}() is not evaluated")
        if name == "try":  # what fails in its arguments is no error: try() goes on past it
            args = self.tentatively(lambda: [self.evaluate(a, file, bindings) for a in expr.args])
        else:
            args = [self.evaluate(arg, file, bindings) for arg in expr.args]
        if expr.expand_last and args:
            last = args.pop()
            if isinstance(last, TEXT_TREES):
                return self._string_as_collection(at, f"{expr.name}(...) expands")
            if not isinstance(last, PSeq):
                return unknown(at, f"{expr.name}() expands a value not known before apply")
            args.extend(last)
        if name == "try":  # try() is lazy in Terraform: the first argument that evaluates wins
            return first_tried(args, at)
        if any(isinstance(arg, Choice) for arg in args):
            alternatives = [branched_options(arg) for arg in args]
            if _count(alternatives) > MAX_ALTERNATIVES:
                return unknown(at, f"{expr.name}() of too many alternatives")
            # Of each combination a deployment has, under its branches: ``lower(c ? "A" :
            # "B")`` is still "a" where c holds, to pair with another element c chooses.
            result = choice_of(
                (function(self, combination, at), branches)
                for combination, branches in combined(alternatives)
            )
        else:
            result = function(self, args, at)
        self.budget.charge(result)
        return result

    def conditional(self, expr: Conditional, file: str, bindings: Mapping[str, Any]) -> Any:
        rejected = self._inconsistent(expr, file, bindings)
        if rejected is not None:
            return rejected
        return self._chosen(
            expr.condition,
            file,
            bindings,
            lambda: self.evaluate(expr.then, file, bindings),
            lambda: self.evaluate(expr.otherwise, file, bindings),
        )

    def _inconsistent(
        self, expr: Conditional, file: str, bindings: Mapping[str, Any]
    ) -> Value | None:
        """The unknown value of a conditional whose results' types HCL cannot unify (a list
        and a string): Terraform rejects it whatever its condition, before reading it
        (rolelint.parsers.tf_result_types), and no result of it is ever deployed.  An error of
        the run at its results where Terraform surely evaluates it (not read tentatively, nor
        in a block or instance only some deployments have); None for any other conditional."""
        from rolelint.parsers.tf_result_types import inconsistent_results

        if self.confined:  # a template's names are the map it is given: no type is certain
            return None
        types = inconsistent_results(
            expr.then,
            expr.otherwise,
            self.scope.local_expression,
            self.scope.variable_type,
            bindings,
        )
        if types is None:
            return None
        message = inconsistent_message(*types)
        at = SourceRef(file, expr.then.span or expr.span)
        if not self.tentative and not _only_in_some(bindings):
            self.scope.error(at, message)
        return unknown(SourceRef(file, expr.span), message)

    def _chosen(
        self,
        condition: Expr,
        file: str,
        bindings: Mapping[str, Any],
        then: Callable[[], Any],
        otherwise: Callable[[], Any],
    ) -> Any:
        """The value of a conditional (``c ? a : b``, or a template's ``%{ if c }``) whose
        branches ``then`` and ``otherwise`` evaluate: the branch a known condition takes, else
        both, each under the branch of the condition it is (paired with another conditional
        on the same condition)."""
        verdict = to_bool(self.evaluate(condition, file, bindings))
        if verdict is not None:
            taken = then() if verdict else otherwise()
            origins = self.defaults_read(condition, file)
            if not origins:
                return taken
            self.defaults_taken += 1  # the branch a default picks
            return picked(taken, f"the branch {picked_by(origins)}")
        # Unknown condition: both branches are possible, and a risky branch is a risk.  HCL
        # keeps the errors of neither (nor of the branch a known condition does not take).
        then_value = self.tentatively(then)
        otherwise_value = self.tentatively(otherwise)
        text = condition_text(condition, bindings)
        if text is None or _shares_options(then_value, otherwise_value):
            return choice([then_value, otherwise_value])
        # The options say which branch they are of: another conditional of a statement with
        # this condition, in this module (its folder), takes the same one
        # (rolelint.parsers.paired_branches).
        branches = ((True, then_value), (False, otherwise_value))
        return conditional((os.path.dirname(file), text), branches)

    def defaults_read(self, condition: Expr, file: str) -> list[str]:
        """The defaults a known condition reads by name (``var.env`` nothing sets: "the default
        of variable env"), each once: the branch it takes is theirs to change.  What a local
        computes from one is not followed."""
        if self.confined:  # a template's names are its own, none a variable
            return []
        origins = (
            self.scope.variable_origin(name, SourceRef(file, span))
            for name, span in _variables_named(condition, 0)
        )
        return list(dict.fromkeys(origin for origin in origins if origin))

    def operation(self, expr: Operation, file: str, bindings: Mapping[str, Any]) -> Any:
        at = SourceRef(file, expr.span)
        operand = expr.right
        if expr.operator in ("&&", "||") and operand is not None:
            # HCL short-circuits them: the errors of an operand it does not need are dropped.
            left, right = self.tentatively(
                lambda: (
                    self.evaluate(expr.left, file, bindings),
                    self.evaluate(operand, file, bindings),
                )
            )
            return _logical(expr.operator, to_bool(left), to_bool(right), at)
        left = self.evaluate(expr.left, file, bindings)
        if expr.right is None:
            return _unary(expr.operator, left, at)
        right = self.evaluate(expr.right, file, bindings)
        if isinstance(left, Choice) or isinstance(right, Choice):
            combos = combined([branched_options(left), branched_options(right)])
            return choice_of(
                (_binary(expr.operator, a, b, at), branches) for (a, b), branches in combos
            )
        return _binary(expr.operator, left, right, at)


# Functions whose calls may each give another value: two conditionals testing one of them,
# written alike, may still take different branches.
_VARYING = frozenset(("timestamp", "plantimestamp", "uuid", "bcrypt"))
# What the syntax tree keeps of where an expression is written, not of what it says.
_PLACES = frozenset(("span", "key_span", "name_span", "heredoc"))
_MAX_CONDITION_DEPTH = 32


def inconsistent_message(then: str, otherwise: str) -> str:
    """Terraform's error for a conditional whose results are of types ``then`` and
    ``otherwise``, which no one type holds."""
    return (
        f"Terraform rejects this conditional whatever its condition: its results are {_a(then)}"
        f" and {_a(otherwise)}, which no one type holds (inconsistent conditional result types)"
    )


def _a(kind: str) -> str:
    return f"an {kind}" if kind[0] in "aeiou" else f"a {kind}"


def _encodes(expr: str | Expr) -> bool:
    """Whether an interpolation is ``jsonencode(x)``, whose text is x's JSON, or a conditional
    one of whose branches is (``c ? jsonencode(x) : "y"``): read as written, a map's included
    (its tree kept elsewhere, :func:`encoded`).  What a reference or another function brings
    from a jsonencode() is read by its value (Evaluator._rendered_into_json)."""
    if isinstance(expr, Conditional):
        return _encodes(expr.then) or _encodes(expr.otherwise)
    return (
        isinstance(expr, Call)
        and expr.name == "jsonencode"
        and len(expr.args) == 1
        and not expr.expand_last
    )


def condition_text(expr: Expr, bound: Mapping[str, Any]) -> str | None:
    """The condition of a conditional as text, positions left out: two conditionals of one
    module with the same text take the same branch in every deployment.  None for one that
    may not: a condition that reads a name the enclosing ``for`` expression or ``dynamic``
    block binds (each element gives its own), holds a ``for`` expression, calls a function
    whose calls differ, or is nested too deeply."""
    return _text_of(expr, bound, 0)


def _text_of(node: Any, bound: Mapping[str, Any], depth: int) -> str | None:
    if depth > _MAX_CONDITION_DEPTH or isinstance(node, ForExpr | Unsupported):
        return None
    if isinstance(node, Traversal) and node.root in bound:
        return None
    if isinstance(node, Call) and node.name.split("::")[-1] in _VARYING:
        return None
    if isinstance(node, tuple):
        items = [text for item in node if (text := _text_of(item, bound, depth + 1)) is not None]
        return "[" + ", ".join(items) + "]" if len(items) == len(node) else None
    if is_dataclass(node) and not isinstance(node, type):
        pieces = [type(node).__name__]
        for written in fields(node):
            if written.name in _PLACES:
                continue
            piece = _text_of(getattr(node, written.name), bound, depth + 1)
            if piece is None:
                return None
            pieces.append(piece)
        return "(" + " ".join(pieces) + ")"
    return repr(node)


def _variables_named(node: Any, depth: int) -> Iterator[tuple[str, Span | None]]:
    """Each ``var.<name>`` an expression reads, with where it is written."""
    if depth > _MAX_CONDITION_DEPTH:
        return
    if isinstance(node, Traversal) and node.root == "var":
        names = leading_names(node.steps)
        if names:
            yield names[0], node.span
    if isinstance(node, tuple):
        for item in node:
            yield from _variables_named(item, depth + 1)
    elif is_dataclass(node) and not isinstance(node, type):
        for written in fields(node):
            if written.name not in _PLACES:
                yield from _variables_named(getattr(node, written.name), depth + 1)


def _shares_options(then: Any, otherwise: Any) -> bool:
    """Whether one object is an option twice (reached by both branches, say): :func:`choice`
    lists it once, as of no branch in particular."""
    seen = [id(option) for value in (then, otherwise) for option in options(value)]
    return len(set(seen)) != len(seen)


def _spliced(texts: list[tuple[str, Branches]], missing: list[Value]) -> SplicedPiece:
    """The one option of a template's interpolation as tree.partly_known reads it: its text,
    else (the last of ``missing``) what is known of it around why the rest is not."""
    if texts:
        return texts[0][0]
    value = missing[-1]
    return value.partly_known or ("", value.unresolved_reason or NOT_TEXT, "")


def fingerprint(value: Any) -> str:
    """A text that is equal for equal values, whatever their positions."""
    return json.dumps(value, sort_keys=True, default=lambda item: repr(plain(item)))


class PSet(PSeq):
    """A set (what ``toset()`` makes): a set has no index, so iterating it gives each element
    as its own key, where a list gives the index (cty's set iterator, which Terraform's for
    expressions and dynamic blocks use)."""

    __slots__ = ()


def iterate(collection: PSeq | PMap) -> Iterator[tuple[Any, Any, Span | None]]:
    """(key, value, span) of each element: index for lists, the element for sets, key for maps
    (sorted, as Terraform)."""
    if isinstance(collection, PSeq):
        own_keys = isinstance(collection, PSet)
        for index, item in enumerate(collection):
            yield (item if own_keys else index), item, collection.span_at(index)
    else:
        for key in sorted(collection, key=str):
            yield key, collection[key], collection.span_of(key)


# Why a value is unknown when evaluating it failed on values that are known: Terraform reports an
# error there, which ``try()`` passes over.  Any other unknown is a value not known before apply,
# which ``try()`` returns as it is: it never falls back to a later argument because of it.
NO_ELEMENT = "no element "
NO_INSTANCE = " has no instance (its count is 0)"  # an error in Terraform, so try() goes on
NOT_A_COLLECTION = "indexes a value that is not a collection"


# The names Terraform reads as the start of a reference of its own (a variable, a local, a
# resource's instance key ...): a key of one of them is not "a name naming nothing".
_REFERENCE_ROOTS = frozenset(
    ("var", "local", "data", "module", "path", "terraform", "self", "count", "each")
)


def _only_in_some(bindings: Mapping[str, Any]) -> bool:
    """Whether what is evaluated with ``bindings`` is in a block or resource instance only some
    deployments have, or may have none of (a ``count`` or ``for_each`` a condition chooses or
    that is not known, an element of a ``dynamic`` block's): Terraform evaluates it there
    only (rolelint.parsers.tf_dynamic)."""
    if not bindings:
        return False
    from rolelint.parsers.tf_dynamic import deployed_under, uncertain

    return uncertain(bindings) or bool(deployed_under(bindings))


def first_tried(args: list[Any], at: SourceRef) -> Any:
    """``try(a, b, ...)``: the first argument that evaluates without an error.  An argument not
    known before apply is the answer (unknown): ``try(var.principal, "*")`` with the variable
    unset is the variable, never the ``"*"`` a guess would report."""
    for arg in args:
        if not is_unknown(arg):
            return arg
        reason = arg.unresolved_reason or ""
        if not reason.startswith(
            (
                NO_ELEMENT,
                NOT_A_COLLECTION,
                CANNOT_CONVERT,
                INVALID_INTERPOLATION,
                STRING_FOR_A_COLLECTION,
            )
        ) and not reason.endswith(NO_INSTANCE):
            return arg
    return unknown(at, "try() of arguments that all fail")


class InstanceObject(PMap):
    """One instance of a resource with several (``aws_iam_role.x["ci"]``), as a reference sees
    it: the attributes known before apply; the others are not missing.  Of a resource
    (``resource``: its type and name, ``key`` the instance's), they are its arguments, which
    the module reads when asked (ModuleScope.resource_argument): what it sets, or what its
    schema makes of what it does not.  Of a data source, known only after apply."""

    __slots__ = ("address", "key", "resource")

    def __init__(
        self,
        address: str,
        span: Span | None,
        resource: tuple[str, str] | None = None,
        key: int | str | None = None,
    ) -> None:
        super().__init__(span)
        self.address = address
        self.resource = resource
        self.key = key


def _at_reference(value: Any, at: SourceRef) -> Any:
    """What a splat reads from an instance of a resource (``aws_iam_role.admin[*].arn``) points
    at the reference: the instance's attributes are written nowhere (the resource block is only
    their source), and a finding about them is fixed where the reference is."""
    if isinstance(value, Value):
        return replace(value, ref=at)
    if isinstance(value, Choice):
        return value.mapped(lambda option: _at_reference(option, at))
    return value


_MARKED_DEPTH = 32


def _may_be_marked(value: Any) -> bool:
    """Whether ``value`` may hold a string or number to mark: a known string, a number that
    knows its place, a collection of values or a policy text (a bool, an unknown or a
    resource's instance holds none)."""
    if isinstance(value, EncodedText):
        return value.text is not None or _may_be_marked(value.encoded)
    if isinstance(value, Value):
        return value.text is not None
    if place_of(value) is not None or isinstance(value, PositionedText):
        return True
    return isinstance(value, (PSeq, PMap)) and not isinstance(value, InstanceObject)


def marked_used_at(value: Any, at: SourceRef, budget: Budget) -> Any:
    """``value`` marked as used at ``at`` (:func:`used_at`), paid for from the root module's
    ``budget`` (``MAX_MARKS``): every copy a mark makes, a reference's or a policy text's
    template variable's, counts, or a large module could copy without bound.  A value marked
    again at the same place reuses its copy (each instance of a ``count``); a value not marked
    (past the allowance) leaves ``at`` in ``budget.unmarked``, so a comment there is said to
    be out of reach, not unused."""
    if not _may_be_marked(value):
        return value
    key = (id(value), at)
    known = budget.marked.get(key)  # holding the value, so its id is not another's
    if known is not None:
        return known[1]
    marked, spent, whole = used_at(value, at, min(MAX_MARKED, budget.marks_left))
    budget.marks_left -= spent
    if not whole:
        budget.unmarked.add(at)
    budget.marked[key] = (value, marked)
    return marked


class _TooMany(Exception):
    """The value is larger or deeper than :func:`used_at` may mark."""


def used_at(value: Any, at: SourceRef, limit: int = MAX_MARKED) -> tuple[Any, int, bool]:
    """``value`` with each known string and placed number in it (in lists, objects,
    alternatives and a policy text) marked as used at ``at`` (``SourceRef.used_at``), where a
    reference brought it: its own place is kept; how many values that went through (those of
    an attempt given up included: the limit bounds the work); and whether it went through them
    all.  The value itself, unmarked, when nothing in it is marked, or it is over ``limit``
    values or :data:`_MARKED_DEPTH` levels (then not whole).  A resource's instance
    (:class:`InstanceObject`) is left alone: its attributes are written nowhere."""
    left = [limit]
    try:
        marked = _marked(value, at, left, 0)
    except _TooMany:
        return value, min(limit, limit - left[0]), False
    return marked, limit - left[0], True


def _marked(value: Any, at: SourceRef, left: list[int], depth: int) -> Any:
    left[0] -= 1
    if left[0] < 0 or depth > _MARKED_DEPTH:
        raise _TooMany
    if isinstance(value, EncodedText):  # and what it reads back as (read_back)
        ref = value.ref if value.text is None else SourceRef(value.ref.file, value.ref.span, at)
        return replace(value, ref=ref, encoded=_marked(value.encoded, at, left, depth + 1))
    if isinstance(value, Value):
        if value.text is None:
            return value
        ref = value.ref
        return replace(value, ref=SourceRef(ref.file, ref.span, at))
    place = place_of(value)
    if place is not None:
        return placed(value, SourceRef(place.file, place.span, at))
    if isinstance(value, Choice):
        return value.mapped(lambda option: _marked(option, at, left, depth + 1))
    if isinstance(value, PositionedText):  # its strings are marked when it is parsed
        return replace(value, used_at=at)
    rebuilt = _rebuilt(value, lambda item: _marked(item, at, left, depth + 1))
    return value if rebuilt is None else rebuilt


def _index(value: Any, key: Any, at: SourceRef) -> Any:
    key = plain(key)
    if isinstance(value, PMap):
        text = as_text(key)
        if text is not None and text in value:
            return value[text]
        if isinstance(value, InstanceObject):
            return read_from_aws(at, f"{value.address}.{text} is known only after apply")
        return unknown(at, f"{NO_ELEMENT}{text!r}")
    if isinstance(value, PSeq):
        if isinstance(key, bool):  # Terraform converts no bool to a number: an error
            return unknown(at, f"{CANNOT_CONVERT}{as_text(key)} to a number (a list's index)")
        number = key if isinstance(key, int) else None
        if isinstance(key, str) and key.isascii() and key.isdigit():
            number = int(key)
        if number is not None and 0 <= number < len(value):
            return value[number]
        return unknown(at, f"{NO_ELEMENT}{key!r}")
    return unknown(at, NOT_A_COLLECTION)


def leading_names(steps: Sequence[Step]) -> list[str]:
    """The names a traversal's steps start with (``.a.b`` of ``.a.b[0].c``)."""
    names: list[str] = []
    for step in steps:
        if not isinstance(step, GetAttr):
            break
        names.append(step.name)
    return names


def _skip_instance(steps: list[Step]) -> list[Step]:
    """``aws_iam_role.x[0].arn``, ``aws_iam_role.x[*].arn`` of a resource with one instance (or
    with instances not known before apply, analyzed as one): the instance key is dropped."""
    while steps and isinstance(steps[0], (GetIndex, Splat)):
        steps = steps[1:]
    return steps


# The marks a placeholder's name may start with: the section sign ("§0"), else a character of
# the Private Use Area.  A name's mark is one no JSON string of the text holds (_slot_mark).
_SLOT_MARKS = "\u00a7" + "".join(map(chr, range(0xE000, 0xF900)))
_UNICODE_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")


def _slot_mark(text: str) -> str | None:
    """The mark of the placeholders of ``text``: a character no JSON string of it holds,
    written or escaped (``\\u00a7``), so that none of its own strings ("§0") is taken for a
    placeholder and read as the value spliced there; None when every mark is (no text is
    written so).  The section sign, unless the text holds it."""
    escaped = {chr(int(code, 16)) for code in _UNICODE_ESCAPE.findall(text)}
    if _SLOT_MARKS[0] not in text and _SLOT_MARKS[0] not in escaped:
        return _SLOT_MARKS[0]
    held = escaped.union(text)
    return next((mark for mark in _SLOT_MARKS if mark not in held), None)


def splice(
    text: str, first_line: int, first_column: int, line_columns: Mapping[int, int] | None = None
) -> tuple[str, dict[str, Expr]]:
    """JSON text with each ``${...}`` written outside a string replaced by a placeholder string,
    and what JSON would misread in those inside strings masked (tf_template_json).

    ``"Principal": ${jsonencode(local.principals)}`` is how heredoc policies splice HCL values
    into JSON; the placeholder keeps the text parseable and, padded to the same width, keeps the
    columns of what follows.  A ``${...}`` spread over several lines keeps its line breaks after
    the placeholder (whitespace to JSON), and blanks in place of the rest of its text: what
    follows stays on its own line and column.  A ``$${`` is a literal ``${`` there as inside a
    string, and is left as written: Terraform renders it as ``${``, whose ``$`` no JSON value
    starts with, so the policy is broken whatever is spliced (the JSON says so at the ``$``).
    Returns the text and the expression of each placeholder, by its name: a mark no string of
    the text holds (:func:`_slot_mark`) and its number.  The lines of ``text`` start at file
    column ``first_column``, or at the one ``line_columns`` gives for their file line.
    """
    from rolelint.parsers.hcl_adapter import closing_brace, parse_expression

    if "${" not in text and "%{" not in text:
        return text, {}
    named = _slot_mark(text)
    if named is None:
        return text, {}  # left as written: JSON reads no ``${...}``, the policy is unknown
    text = masked_strings(text)
    pieces: list[str] = []
    slots: dict[str, Expr] = {}
    index = start = 0
    lines = LinesSoFar(text, first_line)
    while (mark := STRING_OR_SPLICE.search(text, index)) is not None:
        index = mark.start()
        if mark.group() == '"':
            string = _JSON_STRING.match(text, index)
            if string is None:
                break  # unterminated: nothing after it is outside a string
            index = string.end()
            continue
        if mark.group() == "$${":
            index = mark.end()
            continue
        end = closing_brace(text, index + 2)
        if end is None:
            break
        name = f"{named}{len(slots)}"
        original = text[index : end + 1]
        first = _LINE_BREAK.search(original)
        width = len(original) if first is None else first.start()
        pieces.append(text[start:index])
        pieces.append('"' + name.ljust(max(width - 2, len(name))) + '"')
        if first is not None:
            pieces.append(_NOT_A_BREAK.sub(" ", original[first.start() :]))
        line, column = lines.at(index)
        source = text[index + 2 : end]
        line_column = line_columns.get(line, first_column) if line_columns else first_column
        slots[name] = parse_expression(
            source, line, line_column + column + 1, first_column, line_columns
        )
        index = start = end + 1
    pieces.append(text[start:])
    return "".join(pieces), slots


def directive_outside_strings(text: str) -> bool:
    """Whether JSON text has a ``%{ }`` directive outside its strings (``%{ for }`` writing
    the items of a list): the text is JSON only once the directive has run, which rolelint
    does not do.  One inside a string leaves only that string unknown (see leaf_resolver)."""
    text = masked_strings(text)
    index = 0
    while (mark := _STRING_OR_DIRECTIVE.search(text, index)) is not None:
        if mark.group() != '"':
            return True
        string = _JSON_STRING.match(text, mark.start())
        if string is None:
            return False  # unterminated: nothing after it is outside a string
        index = string.end()
    return False


# The text is searched, not walked a character at a time (lines are counted on by LinesSoFar);
# STRING_OR_SPLICE (tf_template_json) finds a string's start, a literal ``$${`` or a ``${...}``.
_STRING_OR_DIRECTIVE = re.compile(r'"|(?<!%)%\{')  # "%%{" is a literal "%{"
_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_LINE_BREAK = re.compile(r"[\r\n]")
_NOT_A_BREAK = re.compile(r"[^\r\n]")


def _absent(steps: list[Step], at: SourceRef, address: str) -> Any:
    """A resource whose count is 0: its splat is an empty list, anything else is unknown."""
    if steps and isinstance(steps[0], Splat):
        return PSeq(at.span)
    return unknown(at, f"{address}{NO_INSTANCE}")


def _splatted(value: Any) -> list[Any]:
    """What ``[*]`` iterates: a list's items; a single value as a list of itself, except null,
    which is the empty list ("Single Values as Lists" in Terraform's splat documentation):
    ``toset(var.account[*])`` with the variable null creates no instance."""
    if isinstance(value, PSeq) and not isinstance(value, TEXT_TREES):
        return list(value)
    return [] if value is None else [value]


def _as_splat(value: Any, steps: list[Step], span: Span | None) -> Any:
    """``aws_iam_role.x[*].arn`` is a list (of the one instance rolelint analyzes)."""
    if steps and isinstance(steps[0], Splat) and not is_unknown(value):
        sequence = PSeq(span)
        sequence.add(value, span)
        return sequence
    return value


def _count(alternatives: Sequence[Sequence[Any]]) -> int:
    total = 1
    for values in alternatives:
        total *= len(values)
    return total


def _unary(operator: str, value: Any, at: SourceRef) -> Any:
    if operator == "!":
        verdict = to_bool(value)
        return unknown(at, "negates an unknown value") if verdict is None else not verdict
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return -value
    return unknown(at, f"{operator} of a value not known before apply")


def _logical(operator: str, left: bool | None, right: bool | None, at: SourceRef) -> Any:
    if operator == "&&":
        if left is False or right is False:
            return False
        if left is True and right is True:
            return True
    else:
        if left is True or right is True:
            return True
        if left is False and right is False:
            return False
    return unknown(at, f"{operator} of a value not known before apply")


def same_value(left: Any, right: Any) -> bool:
    """Terraform's ``==`` of two known scalars: true only for the same type and the same value.
    Python's ``True == 1`` holds, but a bool is no number to Terraform: ``true == 1`` is false,
    so ``var.legacy_flag == 1 ? "*" : ...`` takes the branch Terraform takes."""
    return isinstance(left, bool) == isinstance(right, bool) and left == right


def _comparable(value: Any) -> bool:
    return value is None or isinstance(value, (str, int, float, bool))


def _known_not_null(value: Any) -> bool:
    """A value known to exist, even if what it holds is not all known: a list, map or object
    (``[var.unset]`` is still a list), a known scalar, a text read from a file or heredoc, an
    unknown Terraform never lets be null (:class:`NeverNull`)."""
    if isinstance(value, (PSeq, PMap, PositionedText, NeverNull)):
        return True
    return value is not None and _comparable(value)


def _binary(operator: str, left: Any, right: Any, at: SourceRef) -> Any:
    left, right = plain(left), plain(right)
    if operator in ("==", "!="):
        if (left is None and _known_not_null(right)) or (right is None and _known_not_null(left)):
            # ``var.x != null ? var.x : {}`` on a known map: Terraform's null equals only null,
            # so the test is exact; an unknown here hid every statement the map generates.
            return operator == "!="
        if not (_comparable(left) and _comparable(right)):
            if isinstance(left, (PSeq, PMap)) and isinstance(right, (PSeq, PMap)):
                equal = fingerprint(left) == fingerprint(right)
                return equal if operator == "==" else not equal
            return unknown(at, f"compares a value not known before apply ({operator})")
        equal = same_value(left, right)
        return equal if operator == "==" else not equal
    # Arithmetic and ordering convert both operands to numbers, as Terraform does: ``var.n > 0``
    # with a legacy ``default = "0"`` is false (``==`` converts nothing: "1" == 1 is false).
    left, right = to_number(left), to_number(right)
    if left is None or right is None:
        return unknown(at, f"arithmetic on a value not known before apply ({operator})")
    # A product can double the digits (a local squaring the one before it, thirty times):
    # refused before it is computed.
    if (
        operator == "*"
        and isinstance(left, int)
        and isinstance(right, int)
        and left.bit_length() + right.bit_length() > MAX_NUMBER_BITS
    ):
        return unknown(at, "number too large to evaluate")
    try:
        return _ARITHMETIC[operator](left, right)
    except (KeyError, ZeroDivisionError, OverflowError):
        return unknown(at, f"arithmetic {operator} not evaluated")


_ARITHMETIC: dict[str, Callable[[Any, Any], Any]] = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "/": lambda a, b: a / b,
    "%": lambda a, b: a % b,
    "<": lambda a, b: a < b,
    ">": lambda a, b: a > b,
    "<=": lambda a, b: a <= b,
    ">=": lambda a, b: a >= b,
}
