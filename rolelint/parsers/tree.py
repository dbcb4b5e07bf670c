"""The positioned document tree that the loaders produce and the model builders read.

Mappings and sequences are ordinary ``dict``/``list`` subclasses, so format-specific code can use
them as plain data; they additionally remember the span of every key and value they hold.  Scalars
stay plain Python values (their spans live in the parent container), which keeps loading cheap.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from rolelint.source import SourceRef, Span

# How deep the loaders let a document nest (a value inside 100 mappings or lists is at level
# 100).  Real templates stay under 20; deeper input is hostile or broken, and walking it would
# take the parsers' recursion (and libyaml's composer, which recurses in C and would crash the
# process) past what the stack holds.  Such a document is refused, with a position.
MAX_DEPTH = 200
# The longest string the parsers build from a template's functions (CloudFormation Fn::Sub and
# Fn::Join, Terraform templates, join, format, replace).  References let a short file build a
# huge one (a long parameter used 20,000 times); IAM strings are far shorter.  A string over
# this is measured before it is built, and left unknown.
MAX_TEXT = 1_000_000


class PMap(dict[Any, Any]):
    """A mapping that remembers where it and each of its keys and values are."""

    __slots__ = ("key_spans", "span", "value_spans")

    def __init__(self, span: Span | None = None) -> None:
        super().__init__()
        self.span = span
        self.key_spans: dict[Any, Span] = {}
        self.value_spans: dict[Any, Span] = {}

    def set(self, key: Any, value: Any, key_span: Span | None, value_span: Span | None) -> None:
        self[key] = value
        if key_span is not None:
            self.key_spans[key] = key_span
        if value_span is not None:
            self.value_spans[key] = value_span

    def span_of(self, key: Any) -> Span | None:
        """The span of the value at ``key``, falling back to its key, then the mapping."""
        return self.value_spans.get(key) or self.key_spans.get(key) or self.span

    def key_span_of(self, key: Any) -> Span | None:
        return self.key_spans.get(key) or self.span


class PSeq(list[Any]):
    """A sequence that remembers where it and each of its items are."""

    __slots__ = ("item_spans", "span")

    def __init__(self, span: Span | None = None) -> None:
        super().__init__()
        self.span = span
        self.item_spans: list[Span | None] = []

    def add(self, value: Any, span: Span | None) -> None:
        self.append(value)
        self.item_spans.append(span)

    def span_at(self, index: int) -> Span | None:
        if 0 <= index < len(self.item_spans) and self.item_spans[index] is not None:
            return self.item_spans[index]
        return self.span

    def with_items(self, items: list[Any]) -> PSeq:
        """This sequence with ``items`` in place of its own, at their places: itself when every
        item is the one it holds, so a rewrite that changed nothing copies nothing."""
        if all(new is old for new, old in zip(items, self, strict=True)):
            return self
        sequence = PSeq(self.span)
        for index, item in enumerate(items):
            sequence.add(item, self.span_at(index))
        return sequence


class ProducedList(PSeq):
    """A list an expression produced (a CloudFormation list parameter, ``Fn::Split``,
    ``Fn::FindInMap``; a Terraform reference or splat) standing as one item of a written list.

    The policy builder reads its items as items of the enclosing list, as a list-valued
    expression there has always been read; a list *written* inside a list (``[["*"]]``) is
    none of these, and IAM's grammar reads it as no value at all."""

    __slots__ = ()


def produced_list(value: PSeq) -> ProducedList:
    """``value`` marked as a list an expression produced (see :class:`ProducedList`)."""
    if isinstance(value, ProducedList):
        return value
    result = ProducedList(value.span)
    result.extend(value)
    result.item_spans = list(value.item_spans)
    return result


class WrittenFloat(float):
    """A JSON number with a fraction or an exponent, and the text the file writes it as.

    Python reads ``4.32e4`` as 43200.0 and ``1e400`` as inf: a message quoting the value
    quoted neither what the file says nor anything the reader could search for.  The JSON
    loader makes one for each such number only (integers read back as written), so the
    common case costs nothing.
    """

    __slots__ = ("written",)
    written: str

    def __new__(cls, written: str) -> WrittenFloat:
        number = super().__new__(cls, written)
        number.written = written
        return number

    def __reduce__(self) -> tuple[type[WrittenFloat], tuple[str]]:
        return WrittenFloat, (self.written,)


class ReadInt(int):
    """A YAML integer whose text is not the number it is read as, and that text: YAML 1.1, as
    CloudFormation reads it, takes an unquoted ``012345670123`` as the octal number 1402433619.
    The value is the number (what is deployed); ``written`` lets a message name what the file
    says, which the reader can find.  The YAML loader makes one for such integers only."""

    written: str

    def __new__(cls, number: int, written: str) -> ReadInt:
        read = super().__new__(cls, number)
        read.written = written
        return read

    def __reduce__(self) -> tuple[type[ReadInt], tuple[int, str]]:
        return ReadInt, (int(self), self.written)


class PlacedInt(int):
    """A whole number that remembers where it is written (``ref``), as a string's ``Value``
    does: a Terraform literal a reference or a function carries into a tree of another file
    (``identifiers = var.accounts``, with ``default = [210987654321]`` in variables.tf).  The
    span of its place in that tree is a span of the other file, so only the number knows its
    file.  Arithmetic on it gives a plain int: a computed number is written nowhere.

    ``origin``, as a string's (Value.origin): what picked it when that is not the code alone
    (the default a Terraform conditional's condition reads), for messages."""

    ref: SourceRef
    origin: str | None

    def __new__(cls, number: int, ref: SourceRef, origin: str | None = None) -> PlacedInt:
        made = super().__new__(cls, number)
        made.ref = ref
        made.origin = origin
        return made

    def __reduce__(self) -> tuple[type[PlacedInt], tuple[int, SourceRef, str | None]]:
        return PlacedInt, (int(self), self.ref, self.origin)


class PlacedFloat(float):
    """A number with a fraction that remembers where it is written, and what picked it (see
    :class:`PlacedInt`)."""

    ref: SourceRef
    origin: str | None

    def __new__(cls, number: float, ref: SourceRef, origin: str | None = None) -> PlacedFloat:
        made = super().__new__(cls, number)
        made.ref = ref
        made.origin = origin
        return made

    def __reduce__(self) -> tuple[type[PlacedFloat], tuple[float, SourceRef, str | None]]:
        return PlacedFloat, (float(self), self.ref, self.origin)


class PlacedWrittenFloat(WrittenFloat):
    """A JSON number with a fraction or an exponent, its text kept (:class:`WrittenFloat`), that
    remembers where it is written (see :class:`PlacedInt`): a number of a policy text marked
    with where the text is used is still the number IAM reads, as the text writes it."""

    __slots__ = ("ref",)
    ref: SourceRef

    def __new__(cls, written: str, ref: SourceRef) -> PlacedWrittenFloat:
        made = float.__new__(cls, written)
        made.written = written
        made.ref = ref
        return made

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:  # its own arguments, not its base's
        return PlacedWrittenFloat, (self.written, self.ref)


def placed(value: Any, ref: SourceRef) -> Any:
    """A number as one written at ``ref`` (:class:`PlacedInt`, :class:`PlacedFloat`,
    :class:`PlacedWrittenFloat`), a placed one keeping its origin; anything else (a bool, which
    Python lets nothing extend) as it is."""
    if isinstance(value, bool):
        return value
    if isinstance(value, WrittenFloat):
        return PlacedWrittenFloat(value.written, ref)
    origin = value.origin if isinstance(value, (PlacedInt, PlacedFloat)) else None
    if isinstance(value, int):
        return PlacedInt(value, ref, origin)
    if isinstance(value, float):
        return PlacedFloat(value, ref, origin)
    return value


def place_of(value: object) -> SourceRef | None:
    """Where a number is written, when it remembers (:func:`placed`); None otherwise: its
    place is that of the tree that holds it."""
    return value.ref if isinstance(value, (PlacedInt, PlacedFloat, PlacedWrittenFloat)) else None


def picked_by(origins: Sequence[str]) -> str:
    """How a value one or more defaults pick says so ("picked by the default of parameter
    Env"), after what it is: the entry of a map, the branch of a conditional.  ``origins`` are
    those defaults' own (Value.origin), each once."""
    return "picked by " + " and ".join(dict.fromkeys(origins))


def written_as(value: object) -> str | None:
    """The text a scalar is written as when it is read as another value (a :class:`ReadInt`);
    None when it is read as written."""
    return value.written if isinstance(value, ReadInt) else None


# The characters that make an IAM string a pattern.
IAM_WILDCARDS = ("*", "?")
# What a deployer may pass that makes a condition admit anyone: an input that keeps both out (an
# AllowedPattern, AllowedValues, a variable's validation) constrains its value.
ADMITS_ANYONE = ("", "*")


# Where a written wildcard stops mattering: what a condition value names who by (the organization
# of an entity path ``o-xxx/r-xxx/ou-xxx/``, the partition, service, region and account of an
# ARN, the owner of a repository ``repo:owner/name``) comes before its first "/".
PATH_SEPARATOR = "/"

# One piece of a joined text, in order: its alternatives, each a written text or, for one not
# known, whether it is constrained (Value.constrained).  ``["o-"]``, ``[True]`` (an
# AllowedPattern parameter), ``["dev", "prod"]`` (a choice of texts).
JoinedPiece = Sequence[str | bool]


def joined_constrained(pieces: Iterable[JoinedPiece]) -> bool:
    """Whether a text joined from ``pieces`` (in order) stays constrained (Value.constrained):
    every unknown piece is (AWS supplies it, or the input restricts it), and no written
    wildcard makes a pattern of who it names.  Then the whole is never empty and never a
    pattern the written text makes: ``o-${data.org.id}`` or ``arn:aws:iam::${Account}:root``
    name what AWS or the constraint decides.

    A wildcard written before the first "/" may change who the text names: ``${OrgId}*``
    admits every organization whose id starts with the one passed, ``arn:${Partition}:iam::*:
    root`` any account.  One written after it, with no wildcard before, cannot:
    ``${OrgId}/r-ab12/ou-ab12-11111111/*`` is a path inside the organization OrgId names, as
    ``arn:aws:iam::${Account}:role/*`` names roles of one account (:data:`PATH_SEPARATOR`).
    Only a "/" written as text of its own counts: one inside an unknown piece, or inside one
    of a piece's alternatives, is not seen.  Shared by CloudFormation Fn::Sub/Fn::Join and
    Terraform templates, so both formats judge a joined string alike."""
    pinned = False  # a "/" is written after something, with no wildcard before it
    named = False  # something comes before: an unknown piece or written text
    for alternatives in pieces:
        if any(option is False for option in alternatives):
            return False
        if pinned:
            continue
        texts = [option for option in alternatives if isinstance(option, str)]
        if len(alternatives) == 1 and texts:
            [text] = texts
            before = text[: _first_wildcard(text)]
            slash = before.find(PATH_SEPARATOR)
            pinned = slash > 0 or (slash == 0 and named)  # "/*" alone names nobody first
            if len(before) < len(text) and not pinned:
                return False
            named = named or bool(text)
        elif any(_first_wildcard(text) < len(text) for text in texts):
            return False
        else:
            named = named or any(alternatives)
    return True


def joined_unknown(
    pieces: Iterable[JoinedPiece], unknown: Iterable[tuple[bool, bool]]
) -> tuple[bool, bool]:
    """What a text joined from ``pieces`` (in order) that is not known is: whether it stays
    constrained (Value.constrained, :func:`joined_constrained`), and whether it is not for a
    written wildcard alone (Value.wildcard_written): not constrained, though every unknown
    piece (``unknown``: whether each is constrained, whether it is not for a written wildcard
    alone) is or is not so for that reason only.  Messages then name the wildcard written
    around them, not a missing constraint.  The one derivation CloudFormation Fn::Sub and
    Fn::Join, dynamic references and Terraform templates share."""
    constrained = joined_constrained(pieces)
    wildcard = not constrained and all(known or written for known, written in unknown)
    return constrained, wildcard


# A piece of a text some of which is not known: a known text, or an unknown one as
# Value.imported_text and Value.partly_known hold it (known text at even indexes, what stands
# for each unknown piece at odd ones).
SplicedPiece = str | tuple[str, ...]


def spliced(pieces: Iterable[SplicedPiece]) -> tuple[str, ...]:
    """A text joined from ``pieces`` (in order), as Value.imported_text and Value.partly_known
    hold it: the known text between two unknown pieces joined, each unknown piece's own
    known text spliced into it (``("arn:aws:s3:::", ("", "Bucket", "/*"), "/logs")`` is
    ``("arn:aws:s3:::", "Bucket", "/*/logs")``).  Shared by CloudFormation Fn::Sub/Fn::Join
    and Terraform templates."""
    parts: list[str] = []
    known: list[str] = []  # the known text since the last unknown piece
    for piece in pieces:
        if isinstance(piece, str):
            known.append(piece)
            continue
        first, *others = piece
        known.append(first)
        if others:
            parts.append("".join(known))
            parts.extend(others[:-1])
            known = [others[-1]]
    parts.append("".join(known))
    return tuple(parts)


def partly_known(pieces: Iterable[SplicedPiece]) -> tuple[str, ...] | None:
    """Value.partly_known of a text joined from ``pieces`` (:func:`spliced`: each unknown one
    as ``("", reason, "")`` or its own partly known text); None when nothing of it is known,
    which its reason alone says."""
    parts = spliced(pieces)
    return parts if any(parts[::2]) else None


def holds_wildcard(text: str) -> bool:
    """Whether ``text`` holds an IAM wildcard anywhere: a text cut at places not known (a part
    of it may be any piece) is constrained only without one."""
    return _first_wildcard(text) < len(text)


def _first_wildcard(text: str) -> int:
    """Where the first IAM wildcard of ``text`` is; its length when there is none."""
    return min((at for at in (text.find(w) for w in IAM_WILDCARDS) if at >= 0), default=len(text))


def scalar_text(value: str | float) -> str:
    """A string or number as text; a JSON number with a fraction or an exponent as written."""
    return value.written if isinstance(value, WrittenFloat) else str(value)


def span_in(container: Any, key: Any) -> Span | None:
    """The span of ``container[key]`` for either container kind, or None."""
    if isinstance(container, PMap):
        return container.span_of(key)
    if isinstance(container, PSeq) and isinstance(key, int):
        return container.span_at(key)
    return None


def pinned(node: Any, span: Span | None) -> Any:
    """A copy of a tree decoded from text inside a file (a policy in a JSON string), every
    position moved onto that text: its characters' own positions would be meaningless there."""
    if isinstance(node, PMap):
        mapping = PMap(span)
        for key, item in node.items():
            mapping.set(key, pinned(item, span), span, span)
        return mapping
    if isinstance(node, PSeq):
        sequence = PSeq(span)
        for item in node:
            sequence.add(pinned(item, span), span)
        return sequence
    return node


def moved(node: Any, move: Callable[[Span], Span]) -> Any:
    """A copy of a tree decoded from text inside a file, every position moved (``move``) from
    that text onto the file, where each part of it is written (rolelint.parsers.text_places)."""
    if isinstance(node, PMap):
        mapping = PMap(node.span and move(node.span))
        for key, item in node.items():
            key_span, value_span = node.key_spans.get(key), node.value_spans.get(key)
            mapping.set(
                key,
                moved(item, move),
                key_span and move(key_span),
                value_span and move(value_span),
            )
        return mapping
    if isinstance(node, PSeq):
        sequence = PSeq(node.span and move(node.span))
        for index, item in enumerate(node):
            item_span = node.item_spans[index] if index < len(node.item_spans) else None
            sequence.add(moved(item, move), item_span and move(item_span))
        return sequence
    return node


def own_span(value: Any) -> Span | None:
    """The span a container knows for itself (scalars know none)."""
    if isinstance(value, (PMap, PSeq)):
        return value.span
    return None


@dataclass(frozen=True, slots=True)
class DuplicateKey:
    """A key that occurs twice in one mapping: only one of the values takes effect."""

    key: str
    first: Span | None
    second: Span | None


@dataclass(slots=True)
class LoadedDocument:
    """A file's positioned tree plus what the loader noticed while reading it, and whether the
    text was read as JSON (``in_json``; else as YAML): what a message about the file writes, a
    name (``.template``, standard input) cannot tell."""

    path: str
    root: Any
    text: str
    duplicates: list[DuplicateKey] = field(default_factory=list)
    in_json: bool = False


class LoadError(Exception):
    """The file is not well-formed; carries the position the loader stopped at.

    ``beyond_limits`` marks text that may well be valid but is past what rolelint reads
    (nesting deeper than :data:`MAX_DEPTH`, a number too long to convert): a policy held as
    text inside a string is then no "neither JSON nor ..." string, and the reason is this.
    """

    def __init__(
        self,
        message: str,
        line: int | None = None,
        column: int | None = None,
        *,
        beyond_limits: bool = False,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column
        self.beyond_limits = beyond_limits


def too_deep(line: int | None, column: int | None) -> LoadError:
    """The error for a document nested deeper than :data:`MAX_DEPTH`, at the collection where
    the limit is crossed."""
    message = f"too deeply nested: more than {MAX_DEPTH} levels"
    return LoadError(message, line, column, beyond_limits=True)


# A deploy-time condition, as a parser names it: the file and the condition's name there (a
# CloudFormation condition) or its expression's text (a Terraform conditional).  Two Fn::Ifs
# on one key take the same branch in every deployment.
ConditionKey = tuple[str, str]
# The truth of the conditions one option of a Choice is deployed under (its branch of each).
Branches = frozenset[tuple[ConditionKey, bool]]


@dataclass(frozen=True, slots=True)
class Choice:
    """Alternatives where the value depends on a deploy-time condition (CloudFormation Fn::If).

    Every option is analyzed: a risky branch is a risk.

    ``when``: of each option, in order, the branch of each condition it is deployed under;
    None when that is not known (the options of a Mappings entry, of a text an Fn::If is a
    piece of).  Two Choices of one statement whose options name the same condition are
    deployed together branch by branch (rolelint.parsers.paired_branches): ``Action: !If [C,
    a, b]`` beside ``Resource: !If [C, x, y]`` is a on x or b on y, never a on y.
    """

    options: tuple[Any, ...]
    when: tuple[Branches, ...] | None = field(default=None, compare=False)

    def mapped(self, function: Callable[[Any], Any]) -> Choice:
        """``function`` of each option, each in its place, with the branches it is deployed
        under."""
        return Choice(tuple(function(option) for option in self.options), self.when)


def conditional(key: ConditionKey | None, branches: Sequence[tuple[bool, Any]]) -> Any:
    """The value of a conditional on ``key`` whose branches (its truth there, the value) are
    given: the one option, or a Choice of every option, each with the branches it is deployed
    under.  A branch that is itself a Choice gives its options, each keeping its own branches
    and gaining this one.  Without a key (a condition that cannot be named) the options keep
    only their own."""
    options: list[Any] = []
    when: list[Branches] = []
    for truth, value in branches:
        mine: Branches = frozenset() if key is None else frozenset({(key, truth)})
        for option, theirs in _flat_options(value, mine):
            options.append(option)
            when.append(theirs)
    if len(options) == 1:
        return options[0]
    return Choice(tuple(options), tuple(when) if any(when) else None)


def _flat_options(value: Any, under: Branches) -> Iterator[tuple[Any, Branches]]:
    """The options of ``value`` (itself, or each of a Choice's, nested ones included), each
    with the branches it is deployed under, ``under`` among them."""
    if not isinstance(value, Choice):
        yield value, under
        return
    when = value.when or (frozenset(),) * len(value.options)
    for option, branches in zip(value.options, when, strict=True):
        yield from _flat_options(option, under | branches)


def branched_options(value: Any) -> list[tuple[Any, Branches]]:
    """The options of ``value`` (itself, or each of a Choice's, nested ones included), each
    with the branches it is deployed under: what a rewrite of each option keeps, so that the
    Choice it makes still says which branch each of its options is of."""
    return list(_flat_options(value, frozenset()))


def joined_branches(parts: Iterable[Branches]) -> Branches | None:
    """The branches a value made of one option of each of several values (a function's
    arguments, the pieces of a text) is deployed under: those of every part.  None where two
    parts are of opposite branches of one condition: no deployment has both, so neither has
    the value (``concat(c ? [a] : [], c ? [] : [b])`` is ``[a]`` or ``[b]``, never ``[a, b]``
    nor ``[]``)."""
    union: Branches = frozenset().union(*parts)
    return union if len({name for name, _ in union}) == len(union) else None


def choice_of(alternatives: Iterable[tuple[Any, Branches]]) -> Any:
    """One value, or a Choice of the distinct ``alternatives``, each a value and the branches
    it is deployed under (a rewrite of each option of a Choice, a combination of the options
    of several).  A Choice among them gives its options, each keeping its own branches and
    gaining the alternative's; one of opposite branches of a condition is in no deployment, and
    is left out.  An object that is an alternative twice is listed once (an object is one
    option), deployed under the branches both have: fewer conditions, so it is paired with
    more of the other elements' options, never with fewer than are deployed.  Should every
    option be left out so, each is listed, of no branch (every combination judged, as before
    options said their branches)."""
    options: list[Any] = []
    when: list[Branches] = []
    every: list[Any] = []
    for value, branches in alternatives:
        for option, theirs in _flat_options(value, frozenset()):
            every.append(option)
            both = joined_branches((branches, theirs))
            if both is None:
                continue
            seen = next((i for i, known in enumerate(options) if known is option), None)
            if seen is None:
                options.append(option)
                when.append(both)
            else:
                when[seen] &= both
    if every and not options:
        return choice_of((option, frozenset()) for option in every)
    if len(options) == 1:
        return options[0]
    return Choice(tuple(options), tuple(when) if any(when) else None)


class _NoValue:
    """AWS::NoValue: the element is absent in this branch."""

    def __repr__(self) -> str:
        return "NO_VALUE"


NO_VALUE = _NoValue()
