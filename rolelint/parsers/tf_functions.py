"""The Terraform built-in functions IAM code uses, evaluated on positioned values.

Only functions whose result is fully determined by their arguments are here; any argument that is
not known before apply makes the result unknown (never a guess).  Functions not listed are unknown
too, with the function named in the reason.
"""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from rolelint.model import Value
from rolelint.parsers.tf_budget import MAX_SIZE, TOO_LARGE
from rolelint.parsers.tf_eval import (
    CANNOT_CONVERT,
    DIRECTIVE,
    TEXT_TREES,
    DocumentJson,
    EncodedMap,
    EncodedSeq,
    LoneInterpolation,
    PositionedText,
    PSet,
    as_text,
    converted,
    directive_outside_strings,
    encoded,
    fingerprint,
    first_tried,
    is_string,
    is_unknown,
    plain,
    same_value,
    splice,
    unknown,
)
from rolelint.parsers.tf_regex import replace_all, translated
from rolelint.parsers.tf_template_json import interpolates, maskable, masked_lines
from rolelint.parsers.tree import MAX_TEXT, PMap, PSeq
from rolelint.source import SourceRef, Span

if TYPE_CHECKING:
    from rolelint.parsers.tf_eval import Evaluator

Function = Callable[["Evaluator", list[Any], SourceRef], Any]
FUNCTIONS: dict[str, Function] = {}


def function(*names: str) -> Callable[[Function], Function]:
    def register(implementation: Function) -> Function:
        for name in names:
            FUNCTIONS[name] = implementation
        return implementation

    return register


# Which arguments of a function take a collection (refusing_strings): the first (by default),
# all of them, or all but the first (join()'s separator).
FIRST_ARGUMENT = slice(0, 1)
ALL_ARGUMENTS = slice(None)
AFTER_THE_FIRST = slice(1, None)


def refusing_strings(
    name: str, takes: str, given: slice = FIRST_ARGUMENT
) -> Callable[[Function], Function]:
    """A function that takes ``takes`` (a list, maps ...) in its arguments ``given``: a string
    there is refused as Terraform refuses it (:func:`_string_refused`), before the function
    sees it as the tree rolelint keeps of it."""

    def wrap(implementation: Function) -> Function:
        def checked(evaluator: Evaluator, args: list[Any], at: SourceRef) -> Any:
            refused_string = _string_refused(evaluator, name, args[given], at, takes)
            return implementation(evaluator, args, at) if refused_string is None else refused_string

        checked.__doc__ = implementation.__doc__
        return checked

    return wrap


def _first_unknown(args: list[Any]) -> Value | None:
    return next((arg for arg in args if is_unknown(arg)), None)


def _texts(values: list[Any]) -> list[str] | None:
    texts = [as_text(value) for value in values]
    return None if any(text is None for text in texts) else [t for t in texts if t is not None]


def _unknown_from(args: list[Any], at: SourceRef, name: str) -> Value:
    missing = _first_unknown(args)
    reason = missing.unresolved_reason if missing is not None else None
    return unknown(at, reason or f"{name}() of a value not known before apply")


def _sequence(values: list[Any], at: SourceRef) -> PSeq:
    sequence = PSeq(at.span)
    for value in values:
        sequence.add(value, at.span)
    return sequence


def _items(value: Any) -> list[tuple[Any, Span | None]] | None:
    if isinstance(value, PSeq):
        return [(item, value.span_at(index)) for index, item in enumerate(value)]
    return None


# --- structure ------------------------------------------------------------------------------------


@function("tostring", "sensitive", "nonsensitive")
def _identity(evaluator: Evaluator, args: list[Any], at: SourceRef) -> Any:
    return args[0] if len(args) == 1 else unknown(at, "wrong number of arguments")


@function("tomap")
@refusing_strings("tomap", "a map")
def _tomap(evaluator: Evaluator, args: list[Any], at: SourceRef) -> Any:
    """A map as it is; a string (a map jsonencode() made, a policy document's JSON) is refused:
    Terraform converts no string to a map ("cannot convert string to map of any single
    type"), though rolelint keeps such a string's tree."""
    return _identity(evaluator, args, at)


@function("jsonencode")
def _jsonencode(evaluator: Evaluator, args: list[Any], at: SourceRef) -> Any:
    """A string, x's JSON text, that keeps x's tree (:func:`~rolelint.parsers.tf_eval.encoded`):
    a policy written as an HCL object stays positioned in the HCL."""
    return encoded(args[0], at) if len(args) == 1 else unknown(at, "wrong number of arguments")


@function("tonumber")
def _tonumber(evaluator: Evaluator, args: list[Any], at: SourceRef) -> Any:
    """``tonumber("0")`` is the number 0, as Terraform converts it (a string that is no number
    is an error: unknown, and try() goes on)."""
    return (
        converted(args[0], "number") if len(args) == 1 else unknown(at, "wrong number of arguments")
    )


@function("tobool")
def _tobool(evaluator: Evaluator, args: list[Any], at: SourceRef) -> Any:
    """``tobool("false")`` is false, as Terraform converts it."""
    return (
        converted(args[0], "bool") if len(args) == 1 else unknown(at, "wrong number of arguments")
    )


@function("tolist")
def _tolist(evaluator: Evaluator, args: list[Any], at: SourceRef) -> Any:
    """A set made a list is iterated by index again; a string is refused."""
    if len(args) == 1 and isinstance(args[0], PSet):
        return _copy(args[0], PSeq(args[0].span))
    if len(args) == 1 and is_string(args[0]):
        return _no_list_of_a_string(evaluator, "tolist", at)
    return _identity(evaluator, args, at)


def _no_list_of_a_string(evaluator: Evaluator, name: str, at: SourceRef) -> Value:
    """The unknown value of ``tolist()`` or ``toset()`` of a string, with a note (none where
    try() goes on past it): Terraform converts no string to a list, not even the JSON text of
    one, and refuses the configuration at plan ("Invalid value for "v" parameter: cannot
    convert string to list of any single type").  A note, as a string given to a policy
    document's list argument is, not an error of the run: the string may come from a branch
    or an instance a deployment does not have."""
    reason = (
        f"{name}() of a string, which Terraform refuses (it converts no string to a list or a set)"
    )
    return _refused(evaluator, reason, at)


def _string_refused(
    evaluator: Evaluator, name: str, given: list[Any], at: SourceRef, takes: str
) -> Value | None:
    """The unknown value of ``name()`` when one of the arguments ``given`` where it takes
    ``takes`` (a list, a map) is a string, with a note; None when none is.  A string whose
    tree rolelint keeps (``jsonencode(["*"])``, a policy document's JSON) is read as that
    tree elsewhere, and was taken for the list or map: ``concat(local.arns_json)`` was the
    list ``["*"]`` where Terraform refuses the configuration at plan (concat(): "all
    arguments must be lists or tuples; got string"; flatten(): "can only flatten lists,
    sets and tuples"; merge(): "arguments must be maps or objects")."""
    if not any(is_string(arg) for arg in given):
        return None
    reason = f"{name}() of a string, which Terraform refuses (it takes {takes})"
    return _refused(evaluator, reason, at)


def _refused(evaluator: Evaluator, reason: str, at: SourceRef) -> Value:
    """The unknown value of a call Terraform refuses for ``reason``, with a note at the call,
    none inside try(), which goes on past the failure (Evaluator.string_refused)."""
    return evaluator.string_refused(at, reason, f"{reason}: this value is not analyzed")


def _copy(source: PSeq, target: PSeq) -> PSeq:
    for index, item in enumerate(source):
        target.add(item, source.span_at(index))
    return target


@function("toset")
def _toset(evaluator: Evaluator, args: list[Any], at: SourceRef) -> Any:
    """A set: its elements are their own keys when iterated (``each.key``, a dynamic block's
    ``statement.key``, ``for k, v in``)."""
    if len(args) == 1 and is_string(args[0]):
        return _no_list_of_a_string(evaluator, "toset", at)
    if len(args) != 1 or not isinstance(args[0], PSeq):
        return _unknown_from(args, at, "toset")
    return as_set(args[0])


def as_set(elements: PSeq) -> PSet:
    """``elements`` as Terraform holds them in a set (``toset()``, or a value converted to a
    variable's ``set(...)`` type): each once, in the set's order."""
    result = PSet(elements.span)
    _copy(_set_ordered(_unique(elements)), result)
    return result


def _set_ordered(elements: PSeq) -> PSeq:
    """The elements in the order Terraform keeps a set of strings: sorted (cty orders a set of
    strings lexicographically), so ``tolist(toset(["b", "a"]))[0]`` is "a", the instance it
    names.  Any other set (an unknown element, numbers, objects) keeps the order given: its
    order is Terraform's own, which rolelint does not guess."""
    spans = [elements.span_at(index) for index in range(len(elements))]
    pairs = list(zip(elements, spans, strict=True))
    if not all(isinstance(item, Value) and item.text is not None for item, _ in pairs):
        return elements
    ordered = PSeq(elements.span)
    for item, span in sorted(pairs, key=lambda pair: pair[0].text):
        ordered.add(item, span)
    return ordered


@function("distinct")
@refusing_strings("distinct", "a list")
def _distinct(evaluator: Evaluator, args: list[Any], at: SourceRef) -> Any:
    """distinct() returns a list, iterated by index."""
    if len(args) != 1 or not isinstance(args[0], PSeq):
        return _unknown_from(args, at, "distinct")
    return _unique(args[0])


def _unique(elements: PSeq) -> PSeq:
    """Each element once, where it first is (an unknown one is kept every time: it may be any
    value, so none is the same as another)."""
    result = PSeq(elements.span)
    seen: set[str] = set()
    for index, item in enumerate(elements):
        marker = fingerprint(item)
        if marker not in seen or is_unknown(item):
            seen.add(marker)
            result.add(item, elements.span_at(index))
    return result


@function("concat")
@refusing_strings("concat", "lists", ALL_ARGUMENTS)
def _concat(evaluator: Evaluator, args: list[Any], at: SourceRef) -> Any:
    result = PSeq(at.span)
    for arg in args:
        items = _items(arg)
        if items is None:
            return _unknown_from(args, at, "concat")
        for item, span in items:
            result.add(item, span)
    return result


@function("flatten")
@refusing_strings("flatten", "a list")
def _flatten(evaluator: Evaluator, args: list[Any], at: SourceRef) -> Any:
    if len(args) != 1 or not isinstance(args[0], PSeq):
        return _unknown_from(args, at, "flatten")
    result = PSeq(args[0].span)
    _flatten_into(result, args[0])
    return result


def _flatten_into(result: PSeq, sequence: PSeq) -> None:
    # A function of the module, not a nested one: a nested function that calls itself is a
    # reference cycle, which would keep what it holds alive (see rolelint.gc_pause).
    for index, item in enumerate(sequence):
        if isinstance(item, PSeq):
            _flatten_into(result, item)
        else:
            result.add(item, sequence.span_at(index))


@function("compact")
@refusing_strings("compact", "a list")
def _compact(evaluator: Evaluator, args: list[Any], at: SourceRef) -> Any:
    if len(args) != 1 or not isinstance(args[0], PSeq):
        return _unknown_from(args, at, "compact")
    result = PSeq(args[0].span)
    for index, item in enumerate(args[0]):
        if plain(item) not in ("", None):
            result.add(item, args[0].span_at(index))
    return result


@function("merge")
@refusing_strings("merge", "maps", ALL_ARGUMENTS)
def _merge(evaluator: Evaluator, args: list[Any], at: SourceRef) -> Any:
    result = PMap(at.span)
    for arg in args:
        if arg is None:
            continue
        if not isinstance(arg, PMap):
            return _unknown_from(args, at, "merge")
        for key, value in arg.items():
            result.set(key, value, arg.key_spans.get(key), arg.value_spans.get(key))
    return result


@function("lookup")
@refusing_strings("lookup", "a map")
def _lookup(evaluator: Evaluator, args: list[Any], at: SourceRef) -> Any:
    if len(args) not in (2, 3) or not isinstance(args[0], PMap):
        return _unknown_from(args, at, "lookup")
    key = as_text(args[1])
    if key is None:
        return _unknown_from(args, at, "lookup")
    if key in args[0]:
        return args[0][key]
    return args[2] if len(args) == 3 else unknown(at, f"lookup of missing key {key!r}")


@function("element")
@refusing_strings("element", "a list")
def _element(evaluator: Evaluator, args: list[Any], at: SourceRef) -> Any:
    if len(args) == 2 and isinstance(args[1], bool):  # Terraform converts no bool to a number
        return unknown(at, f"{CANNOT_CONVERT}{as_text(args[1])} to a number (element()'s index)")
    if len(args) != 2 or not isinstance(args[0], PSeq) or not isinstance(args[1], int):
        return _unknown_from(args, at, "element")
    if not args[0]:
        return unknown(at, "element() of an empty list")
    if args[1] < 0:  # Terraform refuses it: "cannot use element function with a negative index"
        return unknown(at, "element() with a negative index, which Terraform refuses")
    return args[0][args[1] % len(args[0])]


@function("one")
@refusing_strings("one", "a list")
def _one(evaluator: Evaluator, args: list[Any], at: SourceRef) -> Any:
    if len(args) != 1 or not isinstance(args[0], PSeq) or len(args[0]) > 1:
        return _unknown_from(args, at, "one")
    return args[0][0] if args[0] else None


@function("keys")
@refusing_strings("keys", "a map")
def _keys(evaluator: Evaluator, args: list[Any], at: SourceRef) -> Any:
    if len(args) != 1 or not isinstance(args[0], PMap):
        return _unknown_from(args, at, "keys")
    return _sequence([Value(key, at) for key in sorted(args[0])], at)


@function("values")
@refusing_strings("values", "a map")
def _values(evaluator: Evaluator, args: list[Any], at: SourceRef) -> Any:
    if len(args) != 1 or not isinstance(args[0], PMap):
        return _unknown_from(args, at, "values")
    result = PSeq(at.span)
    for key in sorted(args[0]):
        result.add(args[0][key], args[0].span_of(key))
    return result


@function("length")
def _length(evaluator: Evaluator, args: list[Any], at: SourceRef) -> Any:
    """The items of a collection, or the characters of a string (``length(var.x) > 0`` in a
    validation).  Terraform counts a string's grapheme clusters, which only ASCII text is sure
    to have one per character: any other text is left unknown.  A string whose tree rolelint
    keeps is that string: ``length(jsonencode(["*"]))`` is 5, never the list's 1 (a policy
    document's JSON is the provider's text, which rolelint does not write: unknown)."""
    if len(args) == 1 and isinstance(args[0], TEXT_TREES):
        text = as_text(args[0])
        if text is not None and text.isascii():
            return len(text)
        return unknown(at, "length() of a string whose text rolelint does not write")
    if len(args) == 1 and isinstance(args[0], (PSeq, PMap)):
        return len(args[0])
    string = plain(args[0]) if len(args) == 1 else None
    if isinstance(string, str) and string.isascii():
        return len(string)
    return _unknown_from(args, at, "length")


@function("contains")
@refusing_strings("contains", "a list")
def _contains(evaluator: Evaluator, args: list[Any], at: SourceRef) -> Any:
    if len(args) != 2 or not isinstance(args[0], PSeq) or _first_unknown([*args[0], args[1]]):
        return _unknown_from(args, at, "contains")
    needle = plain(args[1])
    return any(same_value(needle, plain(item)) for item in args[0])


@function("coalesce")
def _coalesce(evaluator: Evaluator, args: list[Any], at: SourceRef) -> Any:
    for arg in args:
        if is_unknown(arg):
            return arg
        if plain(arg) not in (None, ""):
            return arg
    return unknown(at, "coalesce() of only empty values")


@function("coalescelist")
@refusing_strings("coalescelist", "lists", ALL_ARGUMENTS)
def _coalescelist(evaluator: Evaluator, args: list[Any], at: SourceRef) -> Any:
    for arg in args:
        if not isinstance(arg, PSeq):
            return _unknown_from(args, at, "coalescelist")
        if arg:
            return arg
    return unknown(at, "coalescelist() of only empty lists")


@function("try")
def _try(evaluator: Evaluator, args: list[Any], at: SourceRef) -> Any:
    return first_tried(args, at)


# --- strings --------------------------------------------------------------------------------------


@function("join")
@refusing_strings("join", "lists", AFTER_THE_FIRST)
def _join(evaluator: Evaluator, args: list[Any], at: SourceRef) -> Any:
    if len(args) < 2:
        return unknown(at, "join() needs a separator and a list")
    separator = as_text(args[0])
    if separator is None:
        return _unknown_from(args, at, "join")
    only = _only_item(args[1:])
    if only is not None and _is_document(only):
        return only  # join("", data.x.*.json): one text joined is itself, a document too
    texts: list[str] = []
    for arg in args[1:]:
        items = _items(arg)
        if items is None:
            return _unknown_from(args, at, "join")
        parts = _texts([item for item, _ in items])
        if parts is None:
            return _unknown_from([item for item, _ in items], at, "join")
        texts.extend(parts)
    if sum(map(len, texts)) + len(separator) * len(texts) > MAX_TEXT:
        return evaluator.refuse(at, TOO_LARGE)
    return Value(separator.join(texts), at)


def _only_item(lists: list[Any]) -> Any:
    """The one item of ``lists`` (lists of items, as join() takes), else None."""
    items: list[Any] = []
    for arg in lists:
        found = _items(arg)
        if found is None:
            return None
        items.extend(item for item, _ in found)
    return items[0] if len(items) == 1 else None


def _is_document(value: Any) -> bool:
    """A JSON document as Terraform strings hold it: jsonencode's tree (kept as a tree), a
    policy document's ``json``, text read from a file or heredoc."""
    return isinstance(value, (PMap, PositionedText))


@function("split")
def _split(evaluator: Evaluator, args: list[Any], at: SourceRef) -> Any:
    texts = _texts(args)
    if texts is None or len(texts) != 2:
        return _unknown_from(args, at, "split")
    separator, text = texts
    if (text.count(separator) if separator else len(text)) >= MAX_SIZE:
        return evaluator.refuse(at, TOO_LARGE)
    pieces = text.split(separator) if separator else list(text)
    return _sequence([Value(piece, at) for piece in pieces], at)


# A verb as Terraform's format() reads it: flags, an explicit argument index ("%[2]s"), a width
# and a precision (either may be "*"), a letter.  A "%" that starts no verb is an error there.
_FORMAT_VERB = re.compile(
    r"%(?:%|(?P<flags>[-+# 0]*)(?:\[(?P<index>[1-9]\d*)\])?"
    r"(?P<shape>(?:\*|[1-9]\d*)?(?:\.(?:\*|\d*))?[A-Za-z]))"
)
_PLAIN_VERB = re.compile(r"%[svdq]")
_SHAPED_VERB = re.compile(r"%(-?)(0?)(\d{1,3})([sdq])")


def _shaped(verb: str, text: str) -> str | None:
    """``text`` as ``verb`` puts it: ``%s``, or padded to a width (``%012d`` pads an account
    number with zeros, ``%-8s`` with blanks on the right); None for a shape not evaluated."""
    if _PLAIN_VERB.fullmatch(verb):
        return text
    match = _SHAPED_VERB.fullmatch(verb)
    if match is None:
        return None
    left, zeros, width, kind = match.groups()
    size = int(width)
    if left:
        return text.ljust(size)
    if zeros and kind == "d":
        sign = text[:1] if text[:1] in "+-" else ""
        return sign + text[len(sign) :].rjust(size - len(sign), "0")
    return text.rjust(size)


@function("format")
def _format(evaluator: Evaluator, args: list[Any], at: SourceRef) -> Any:
    if len(args) == 2 and as_text(args[0]) == "%s" and _is_document(args[1]):
        return args[1]  # format("%s", data.x.json): the text itself, a document too
    texts = _texts(args)
    if not texts:
        return _unknown_from(args, at, "format")
    template, values = texts[0], list(args[1:])
    pieces: list[str] = []
    position = 0
    argument = 0  # the next value an unindexed verb takes
    length = 0  # of the values put in so far
    while (start := template.find("%", position)) != -1:
        pieces.append(template[position:start])
        match = _FORMAT_VERB.match(template, start)
        if match is None:
            return unknown(at, "format() verb not evaluated")
        position = match.end()
        if match.group(0) == "%%":
            pieces.append("%")
            continue
        if match["index"] is not None:  # "%[2]s"; an unindexed verb after it takes the third
            argument = int(match["index"]) - 1
        shaped = _put("%" + match["flags"] + match["shape"], values, argument, at)
        argument += 1
        if isinstance(shaped, Value):
            return shaped
        pieces.append(shaped)
        length += len(shaped)
        if length > MAX_TEXT:  # the template's own text counts below
            return evaluator.refuse(at, TOO_LARGE)
    pieces.append(template[position:])
    if length + len(template) > MAX_TEXT:
        return evaluator.refuse(at, TOO_LARGE)
    return Value("".join(pieces), at)


def _put(verb: str, values: list[Any], argument: int, at: SourceRef) -> str | Value:
    """What ``verb`` (its argument index taken out) makes of the value at ``argument``, or
    why it is unknown: a verb not evaluated is never left in the text as it is written."""
    if argument >= len(values) or verb[-1] not in "svdq":
        return unknown(at, "format() verb not evaluated")
    text = as_text(values[argument])
    if text is None:
        return unknown(at, "format() of a value not known before apply")
    shaped = _shaped(verb, json.dumps(text) if verb.endswith("q") else text)
    if shaped is None:
        return unknown(at, f"format() verb {verb} not evaluated")
    return shaped


def _text_function(name: str, operation: Callable[..., str]) -> Function:
    def implementation(evaluator: Evaluator, args: list[Any], at: SourceRef) -> Any:
        if name == "trimspace" and len(args) == 1 and _is_document(args[0]):
            return args[0]  # JSON text without the blanks around it is the same document
        texts = _texts(args)
        # A list or map is no text (Terraform rejects it); jsonencode()'s is its JSON text.
        if texts is None or any(_collection(arg) for arg in args):
            return _unknown_from(args, at, name)
        try:
            return Value(operation(*texts), at)
        except TypeError:
            return unknown(at, f"{name}() with the wrong number of arguments")

    return implementation


FUNCTIONS["lower"] = _text_function("lower", str.lower)
FUNCTIONS["upper"] = _text_function("upper", str.upper)
FUNCTIONS["trimspace"] = _text_function("trimspace", str.strip)
FUNCTIONS["trimprefix"] = _text_function("trimprefix", str.removeprefix)
FUNCTIONS["trimsuffix"] = _text_function("trimsuffix", str.removesuffix)


def _collection(value: Any) -> bool:
    return isinstance(value, (PSeq, PMap)) and not isinstance(value, (EncodedMap, EncodedSeq))


def _go_clean(path: str) -> str:
    """Go's ``filepath.Clean``: ``posixpath.normpath``, except that Go keeps no second leading
    slash ("//a" is "/a"), where POSIX lets a system give "//" a meaning of its own."""
    cleaned = posixpath.normpath(path)
    return cleaned[1:] if cleaned.startswith("//") else cleaned


def _dirname(path: str) -> str:
    """Terraform's ``dirname()``, Go's ``filepath.Dir``: everything before the last slash,
    cleaned, and "." when nothing is left.  Python's ``posixpath.dirname(".")`` is "", so
    ``file("${dirname(path.module)}/p.json")`` in a root module named "/p.json"."""
    return _go_clean(path[: path.rfind("/") + 1])


def _basename(path: str) -> str:
    """Terraform's ``basename()``, Go's ``filepath.Base``: the last element once trailing
    slashes are dropped ("foo/" is "foo", where Python says ""); "." for "", "/" for slashes."""
    if not path:
        return "."
    stripped = path.rstrip("/")
    return stripped[stripped.rfind("/") + 1 :] if stripped else "/"


FUNCTIONS["basename"] = _text_function("basename", _basename)
FUNCTIONS["dirname"] = _text_function("dirname", _dirname)


@function("replace")
def _replace(evaluator: Evaluator, args: list[Any], at: SourceRef) -> Any:
    texts = _texts(args)
    if texts is None or len(texts) != 3:
        return _unknown_from(args, at, "replace")
    text, old, new = texts
    if len(old) > 1 and old.startswith("/") and old.endswith("/"):
        # A regular expression (RE2): evaluated only in the forms Python's re provably reads
        # alike and matches in bounded time (see rolelint.parsers.tf_regex).
        regex = translated(old[1:-1], len(text))
        if regex is None:
            return unknown(at, "replace() with this regular expression is not evaluated")
        replaced = replace_all(regex, text, new, MAX_TEXT)
        return evaluator.refuse(at, TOO_LARGE) if replaced is None else Value(replaced, at)
    # An empty ``old`` matches between every two characters: the result can be the text's
    # length times ``new``'s, and is measured before it is built.
    matches = text.count(old) if old else len(text) + 1
    if len(text) + matches * (len(new) - len(old)) > MAX_TEXT:
        return evaluator.refuse(at, TOO_LARGE)
    return Value(text.replace(old, new), at)


@function("startswith")
def _startswith(evaluator: Evaluator, args: list[Any], at: SourceRef) -> Any:
    texts = _texts(args)
    return texts[0].startswith(texts[1]) if texts and len(texts) == 2 else unknown(at, "?")


@function("endswith")
def _endswith(evaluator: Evaluator, args: list[Any], at: SourceRef) -> Any:
    texts = _texts(args)
    return texts[0].endswith(texts[1]) if texts and len(texts) == 2 else unknown(at, "?")


# --- files ----------------------------------------------------------------------------------------


@function("file")
def _file(evaluator: Evaluator, args: list[Any], at: SourceRef) -> Any:
    return _read(evaluator, args, at, template=False)


@function("templatefile")
def _templatefile(evaluator: Evaluator, args: list[Any], at: SourceRef) -> Any:
    variables = args[1] if len(args) == 2 else None
    return _read(evaluator, args[:1], at, template=True, variables=variables)


# What JSON reads as blank between its tokens (RFC 8259): around the one interpolation of a
# template, text of these characters alone leaves the JSON the value renders as it is.
JSON_BLANKS = " \t\n\r"


def _lone_interpolation(text: str) -> tuple[str, str, str] | None:
    """(what is before ``${``, what is between ``${`` and ``}``, what is after ``}``) of a
    template that is one interpolation with JSON's blanks alone around it, if any; None
    otherwise.  With nothing around it, HCL returns its value itself, unconverted (hclsyntax's
    TemplateWrapExpr, which templatefile() gives as it is): a list stays a list.  One more
    character, a line feed at the end of the file included, makes a string of it (Terraform
    refuses a list there): the value's text and those blanks (what a ``~`` strips dropped),
    which JSON reads as it reads the value's text alone, so ``${jsonencode({...})}`` and a
    line feed, the form Terraform's documentation recommends for a JSON template, is that
    JSON."""
    from rolelint.parsers.hcl_adapter import closing_brace

    body = text.strip(JSON_BLANKS)
    if not body.startswith("${"):
        return None
    end = closing_brace(body, 2)
    if end != len(body) - 1:
        return None
    before = text[: len(text) - len(text.lstrip(JSON_BLANKS))]
    return before, body[2:end], text[len(before) + len(body) :]


def _padded_document(
    evaluator: Evaluator,
    padded: tuple[str, str, str],
    reported: str,
    bindings: dict[str, Any],
) -> LoneInterpolation:
    """The value of a template of one interpolation with blanks around it
    (:func:`_lone_interpolation`), and the policy it renders where that value is JSON text:
    a document jsonencode() made, or a policy document's ``json`` (their trees, positioned
    where they are written, as without the blanks), or a string holding a JSON object (that
    string with the blanks, which is what Terraform renders).  No policy for any other
    value, which the template is read as any template is (a list or null there is refused, a
    number is text), its string rendered from the value (Evaluator.join_parts)."""
    before, source, after = padded
    line = 1 + before.count("\n")
    column = len(before) - (before.rfind("\n") + 1) + 3
    lone = _unwrapped(evaluator, source, reported, bindings, line, column)
    kept_before = "" if source.startswith("~") else before
    kept_after = "" if source.endswith("~") else after
    return replace(lone, document=padded_json_document(lone.value, kept_before, kept_after))


def padded_json_document(value: Any, before: str, after: str) -> Any:
    """What a template renders of one interpolation whose value is ``value`` between the
    JSON blanks ``before`` and ``after`` (those HCL keeps, once ``~`` has stripped its
    share), where that value is JSON text of an object (:func:`_json_document_text`; every
    option of a condition rolelint does not decide): the tree jsonencode() or a policy
    document made, as without the blanks, which JSON reads alike, or the string with the
    blanks.  None for any other value, which the caller reads as any template.  A
    ``templatefile()`` and a heredoc of ``${jsonencode({...})}`` and a line feed both ask."""
    from rolelint.parsers.tree import Choice

    options = value.options if isinstance(value, Choice) else (value,)
    if not all(_json_document_text(option) for option in options):
        return None

    def rendered(option: Any) -> Any:
        if isinstance(option, Value) and option.text is not None:
            return replace(option, text=before + option.text + after, written=None)
        return option

    return value.mapped(rendered) if isinstance(value, Choice) else rendered(value)


def _json_document_text(value: Any) -> bool:
    """Whether ``value`` is a string Terraform holds JSON text of an object in: what
    jsonencode() made of a map, a policy document's ``json``, a string that reads as one."""
    if isinstance(value, (EncodedMap, DocumentJson)):
        return True
    if not isinstance(value, Value) or value.text is None:
        return False
    try:
        return isinstance(json.loads(value.text), dict)
    except (ValueError, RecursionError):
        return False


def _unwrapped(
    evaluator: Evaluator,
    source: str,
    reported: str,
    bindings: dict[str, Any],
    line: int = 1,
    column: int = 3,
) -> LoneInterpolation:
    """The value of the interpolation ``${source}`` of a template file, written at ``line``
    and ``column``: its expression's, read with the template's variables alone
    (``confined``), as the interpolations of any template are."""
    from rolelint.parsers.hcl_adapter import parse_expression

    expression = parse_expression(source, line, column)
    saved, evaluator.confined = evaluator.confined, True
    try:
        return evaluator.evaluated_once(expression, reported, bindings)
    finally:
        evaluator.confined = saved


def _rejected_template(evaluator: Evaluator, reported: str, text: str) -> str | None:
    """The error of a template an interpolation or directive of which Terraform rejects
    (templatefile() fails: nothing of the template is deployed), said at that interpolation
    or directive as the parse of a file says it, once; None when Terraform takes it."""
    from rolelint.parsers.hcl_adapter import rejected_in_template

    if "${" not in text and "%{" not in text:
        return None
    rejected = rejected_in_template(text)
    if rejected is None:
        return None
    evaluator.scope.error(SourceRef(reported, rejected.error_at), rejected.error)
    return rejected.error


def _read(
    evaluator: Evaluator,
    args: list[Any],
    at: SourceRef,
    *,
    template: bool,
    variables: Any = None,
) -> Any:
    name = "templatefile" if template else "file"
    path = as_text(args[0]) if len(args) == 1 else None
    if path is None:
        return _unknown_from(args, at, name)
    found = evaluator.scope.read_file(path)
    if isinstance(found, str):
        message = f"{name}({path!r}): {found}, so what it holds is not analyzed"
        evaluator.scope.notice(at, message)
        return unknown(at, message)
    reported, text = found
    if template:
        # HCL's scanner drops a byte order mark before it reads a template (hclsyntax
        # scanTokens): none is rendered, and ``${m}`` after one is still that one interpolation.
        # ``file()`` returns the text as it is, the mark included.
        text = text.removeprefix("\ufeff")
        rejected = _rejected_template(evaluator, reported, text)
        if rejected is not None:
            return unknown(at, f"{name}({path!r}): {rejected}")
    if template and directive_outside_strings(text):
        return unknown(at, DIRECTIVE)  # as a heredoc says it, not "the policy is not JSON"
    # Its strings, and the template variables' values in it, are used at the call: a comment
    # above ``policy = templatefile(...)`` covers them, as it covers what a reference brings.
    if not (template and ("${" in text or "%{" in text)):
        return PositionedText(text, reported, 1, 1, None, False, used_at=at)
    # A template whose only ``${`` are escapes (``$${aws:username}``) renders as written, each
    # escape as what it stands for: JSON broken in it is broken in what AWS gets, as a
    # heredoc's is (not interpolated), and its strings read ``$${`` as ``${`` (the resolver).
    # The template's variables are the map it is given: "${principal}" in a string, and
    # "${jsonencode(arns)}" written in place of a JSON value, take their values from it (a
    # variable not in it, or a map not known, is unknown).  Placeholders keep the columns.
    bindings = dict(variables) if isinstance(variables, PMap) else {}
    padded = _lone_interpolation(text)
    if padded is not None and not padded[0] and not padded[2]:
        return _unwrapped(evaluator, padded[1], reported, bindings).value
    lone = None if padded is None else _padded_document(evaluator, padded, reported, bindings)
    if lone is not None and lone.document is not None:
        return lone.document
    spliced, slots = splice(text, 1, 1)
    masked = maskable(text)
    leaf = evaluator.leaf_resolver(
        reported, bindings, slots, confined=True, masked=masked, lines_at=1
    )
    written = masked_lines(spliced) if masked else None
    interpolated = interpolates(text)
    return PositionedText(
        spliced,
        reported,
        1,
        1,
        leaf,
        interpolated,
        used_at=at,
        written=written,
        rendered=lambda: evaluator.rendered_template(text, reported, bindings, at, lone),
    )
