"""Positioned YAML loading with CloudFormation's short-form tags, on libyaml when present.

Why not cfn-flip's loader: it is pure Python, keeps no positions, turns ``Version: 2012-10-17``
into a date and silently keeps the last of duplicate keys.  This loader runs PyYAML's C parser,
builds :class:`PMap`/:class:`PSeq` with spans, keeps dates as strings and records duplicates.

Hostile input is refused while loading, in bounded time and memory: libyaml composes the node
graph in C, recursing once per level, so a few hundred kilobytes of ``[`` would overflow the C
stack and kill the process; the depth is counted as it composes (through the resolver hooks it
calls for every node) and the document refused past :data:`MAX_DEPTH`.  Aliases are not copied
while loading (an alias is the very node its anchor names), but everything after the loader
walks the tree, so a "billion laughs" of nested aliases would take hours and gigabytes there,
and an alias can nest a deep node deeper still: when the text has an anchor, the size and depth
the aliases expand the document to are measured before it is built.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import yaml

from rolelint.parsers.tree import (
    MAX_DEPTH,
    DuplicateKey,
    LoadedDocument,
    LoadError,
    PMap,
    PSeq,
    ReadInt,
    too_deep,
)
from rolelint.source import Span, span_from

_Base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# libyaml reads the text itself, as UTF-8 bytes; PyYAML's own reader reads characters.
_READS_BYTES = not issubclass(_Base, yaml.reader.Reader)

# Short-form tags whose long form is not simply "Fn::<Name>".
_TAG_NAMES = {"Ref": "Ref", "Condition": "Condition"}

# A node at level MAX_DEPTH is composed with MAX_DEPTH collections open around it.
_MAX_NODES_OPEN = MAX_DEPTH + 1
# How many nodes aliases may add to a document, counted as the tree the rest of rolelint walks
# (an alias stands for the whole node its anchor names, aliases inside it included).  Templates
# and CI files that share a block with ``<<: *defaults`` add hundreds; a "billion laughs" adds
# billions in a few lines.  A long string counts as a node per 100 characters: repeating one
# is as costly downstream as repeating a collection.
MAX_ALIAS_NODES = 100_000
_CHARACTERS_PER_NODE = 100
# An anchor (``&name``) may be in the text: only then can there be aliases worth counting.
_ANCHOR = re.compile(r"&[0-9A-Za-z_-]")


def _span(node: yaml.Node) -> Span:
    start, end = node.start_mark, _end_mark(node)
    return Span(start.line + 1, start.column + 1, end.line + 1, end.column + 1)


def _end_mark(node: yaml.Node) -> Any:
    """Where ``node``'s text ends: for a block mapping or sequence, where its last value ends.

    PyYAML ends a block collection where the next token starts: at the indentation of the next
    statement or item, so a statement followed by another one spanned a line of the next, and
    annotations marked it too.  A last value that is an alias has the marks of its anchor,
    somewhere else: then the collection keeps PyYAML's end, which is never too short.
    """
    end = node.end_mark
    while isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and not node.flow_style:
        if not node.value:
            break
        if isinstance(node, yaml.MappingNode):
            after, last = node.value[-1][0].end_mark, node.value[-1][1]
        else:
            after = node.value[-2].end_mark if len(node.value) > 1 else node.start_mark
            last = node.value[-1]
        if last.start_mark.index < after.index:
            break  # an alias (its anchor is earlier): not where this text ends
        node, end = last, last.end_mark
    return end


class _PositionedLoader(_Base):  # type: ignore[misc]
    """A SafeLoader that builds positioned containers and keeps every scalar it cannot type."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.duplicates: list[DuplicateKey] = []
        self.depth = 0  # nodes open while composing: the one being composed and its parents
        self.building: set[int] = set()  # ids of the collections being built
        # Only a "<<" key merges mappings: without one in the text, none needs flattening.
        self.may_merge = "<<" in stream

    # libyaml's composer calls these two around every node it composes (they exist for path
    # resolvers, which a SafeLoader has none of): the one place to count depth before C does.
    def descend_resolver(self, parent: yaml.Node | None, index: Any) -> None:
        self.depth += 1
        if self.depth > _MAX_NODES_OPEN:
            mark = parent.start_mark  # type: ignore[union-attr]  # the root is never too deep
            raise too_deep(mark.line + 1, mark.column + 1)

    def ascend_resolver(self) -> None:
        self.depth -= 1


_STR = "tag:yaml.org,2002:str"
_MERGE = "tag:yaml.org,2002:merge"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_INT = "tag:yaml.org,2002:int"
_NULL = "tag:yaml.org,2002:null"
# Python refuses to write an integer of more than 4,300 digits as text (about 14,284 bits).
# Decimal ones fail as they are read; hexadecimal, octal, binary and sexagesimal ones (0x..., 1:59)
# are read whole and would fail later, wherever the value is written: refused here, with the
# position, as decimal ones are.
_MAX_INT_BITS = 14_000


def _build(loader: _PositionedLoader, node: Any) -> Any:  # any yaml.Node
    """The value of ``node``: plain strings, mappings, sequences and short-form tags directly
    (nearly every node of a template), anything else through PyYAML's constructors.

    Going through ``construct_object`` for every node cost as much as composing the document
    in C: it keeps a registry of every object built, for aliases to share.  Here an alias is
    built again where it is used; the anchor check bounds how much that can add.
    """
    kind = type(node)
    tag = node.tag
    if kind is yaml.ScalarNode and tag == _STR:
        return node.value
    if kind is yaml.MappingNode and tag == _MAP:
        return _construct_mapping(loader, node)
    if kind is yaml.SequenceNode and tag == _SEQ:
        return _construct_sequence(loader, node)
    if tag.startswith("!"):
        return _construct_short_form(loader, tag[1:], node)
    try:
        value = loader.construct_object(node, deep=True)
    except ValueError:  # an integer longer than Python converts (4,300 digits)
        if tag != _INT:
            raise
        value = None
    if tag == _INT and (value is None or value.bit_length() > _MAX_INT_BITS):
        raise yaml.constructor.ConstructorError(
            None, None, "number too long to read", node.start_mark
        )
    if tag == _INT and isinstance(node.value, str) and node.value != str(value):
        return ReadInt(value, node.value)  # 012345670123, octal: 1402433619
    return value


def _entered(loader: _PositionedLoader, node: Any, kind: type[yaml.Node]) -> None:
    """Refuse a collection that contains itself through an alias (``&a [*a]``), and a scalar
    tagged as a collection (``!!map x``)."""
    if type(node) is not kind:
        expected = "mapping" if kind is yaml.MappingNode else "sequence"
        raise yaml.constructor.ConstructorError(
            None, None, f"expected a {expected} node, but found {node.id}", node.start_mark
        )
    if id(node) in loader.building:
        raise yaml.constructor.ConstructorError(
            None, None, "found unconstructable recursive node", node.start_mark
        )
    loader.building.add(id(node))


def _construct_mapping(loader: _PositionedLoader, node: yaml.MappingNode) -> PMap:
    _entered(loader, node, yaml.MappingNode)
    merged = 0  # pairs a merge key (<<) brought in: first in node.value once flattened
    if loader.may_merge:
        written = sum(1 for key_node, _ in node.value if key_node.tag != _MERGE)
        loader.flatten_mapping(node)
        merged = len(node.value) - written
    result = PMap(_span(node))
    key_spans = result.key_spans
    value_spans = result.value_spans
    scalar = yaml.ScalarNode
    written_keys: set[Any] = set()
    for index, (key_node, value_node) in enumerate(node.value):
        # Keys are text, as in the JSON form of a template: an unquoted ``Null:`` condition
        # operator is "Null", not YAML's null, and an account id key stays "123456789012".
        key: Any = (
            str(key_node.value)
            if type(key_node) is scalar
            else loader.construct_object(key_node, deep=True)
        )
        if not isinstance(key, (str, int, float, bool)) and key is not None:
            raise yaml.constructor.ConstructorError(
                "while constructing a mapping",
                node.start_mark,
                "found an unhashable key",
                key_node.start_mark,
            )
        start, end = key_node.start_mark, key_node.end_mark
        key_span = span_from((start.line + 1, start.column + 1, end.line + 1, end.column + 1))
        if index >= merged:
            # A key written beside ``<<`` overrides the merged one, as YAML means it to; only
            # a key written twice in the mapping itself is a duplicate.
            if key in written_keys:
                loader.duplicates.append(DuplicateKey(str(key), key_spans.get(key), key_span))
            written_keys.add(key)
        if type(value_node) is scalar and value_node.tag == _STR:
            result[key] = value_node.value
        else:
            result[key] = _build(loader, value_node)
        start, end = value_node.start_mark, _end_mark(value_node)
        key_spans[key] = key_span
        value_spans[key] = span_from(
            (start.line + 1, start.column + 1, end.line + 1, end.column + 1)
        )
    loader.building.discard(id(node))
    return result


def _construct_sequence(loader: _PositionedLoader, node: yaml.SequenceNode) -> PSeq:
    _entered(loader, node, yaml.SequenceNode)
    result = PSeq(_span(node))
    item_spans = result.item_spans
    for item in node.value:
        result.append(_build(loader, item))
        start, end = item.start_mark, _end_mark(item)
        item_spans.append(
            span_from((start.line + 1, start.column + 1, end.line + 1, end.column + 1))
        )
    loader.building.discard(id(node))
    return result


def _construct_as_string(loader: _PositionedLoader, node: yaml.ScalarNode) -> str:
    """Dates stay strings: IAM's ``Version: 2012-10-17`` must compare as text."""
    return str(node.value)


def _construct_short_form(loader: _PositionedLoader, suffix: str, node: yaml.Node) -> PMap:
    """``!Ref X`` becomes ``{"Ref": "X"}``, ``!Sub ...`` becomes ``{"Fn::Sub": ...}`` and so on."""
    name = _TAG_NAMES.get(suffix, f"Fn::{suffix}")
    value: Any
    if isinstance(node, yaml.ScalarNode):
        value = str(node.value)
        if suffix == "GetAtt":
            resource, _, attribute = value.partition(".")
            getatt = PSeq(_span(node))
            getatt.add(resource, _span(node))
            getatt.add(attribute, _span(node))
            value = getatt
    elif isinstance(node, yaml.SequenceNode):
        value = _construct_sequence(loader, node)
    elif isinstance(node, yaml.MappingNode):
        value = _construct_mapping(loader, node)
    else:
        value = None
    result = PMap(_span(node))
    result.set(name, value, _span(node), _span(node))
    return result


_PositionedLoader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
_PositionedLoader.add_constructor("tag:yaml.org,2002:seq", _construct_sequence)
_PositionedLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_as_string)
_PositionedLoader.add_multi_constructor("!", _construct_short_form)


class SeveralDocuments(LoadError):
    """A well-formed stream of more than one YAML document with content (Kubernetes manifests
    split by ``---``) where one is expected; at the start of the second.  Not broken YAML: its
    caller may tell it apart from a file that does not parse, and judge by ``roots`` (each
    document's value) whether any of them is something it reads."""

    def __init__(self, line: int, column: int, roots: tuple[Any, ...] = ()) -> None:
        message = (
            "more than one YAML document (another starts here): rolelint reads one template or "
            "policy per file, so put each in a file of its own"
        )
        super().__init__(message, line, column)
        self.roots = roots


def _single_node(loader: _PositionedLoader) -> yaml.Node | None:
    """The stream's one document, composed, or None for an empty stream."""
    return loader.get_single_node()  # type: ignore[no-any-return]


def _is_empty(node: yaml.Node) -> bool:
    """A document with nothing in it: what a stray ``---`` (a leading or trailing separator,
    a common style) opens."""
    return isinstance(node, yaml.ScalarNode) and node.tag == _NULL and not node.value


def _one_of_several(loader: _PositionedLoader, text: str, mark: Any) -> yaml.Node:
    """Of a stream PyYAML refused as several documents (``mark``: where the second starts), the
    one document with content, composed by ``loader`` (fresh); :class:`SeveralDocuments` with
    every document's value when more than one has content.  A later document that does not
    parse raises here, as any broken YAML."""
    nodes: list[yaml.Node] = []
    while loader.check_node():
        nodes.append(loader.get_node())
    content = [node for node in nodes if not _is_empty(node)]
    if len(content) <= 1:
        return content[0] if content else nodes[0]
    if _ANCHOR.search(text):
        for node in content:
            _check_aliases(node)
    # PyYAML's mark is where the second document starts: the second with content when the
    # first two have it, else the start of that one's content.
    at = mark if nodes[1] is content[1] else content[1].start_mark
    roots = tuple(_build(loader, node) for node in content)
    raise SeveralDocuments(at.line + 1, at.column + 1, roots)


def load_yaml(path: str, text: str) -> LoadedDocument:
    """Parse one YAML document with positions; raise :class:`LoadError` with a position on error
    (:class:`SeveralDocuments` for a well-formed stream of several)."""
    loader = _PositionedLoader(text)
    try:
        try:
            node = _single_node(loader)
        except yaml.composer.ComposerError as exc:
            if exc.problem_mark is None or exc.problem != "but found another document":
                raise
            loader.dispose()
            loader = _PositionedLoader(text)
            node = _one_of_several(loader, text, exc.problem_mark)
        if node is not None and _ANCHOR.search(text):
            _check_aliases(node)
        root = _build(loader, node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if mark is not None and _NESTING_LIMIT in str(exc.problem or ""):
            raise _past_depth(path, text, mark) from exc
        reason = " ".join(str(part) for part in (exc.context, exc.problem) if part)
        raise LoadError(
            f"invalid YAML: {reason or 'cannot parse'}",
            mark.line + 1 if mark else None,
            mark.column + 1 if mark else None,
        ) from exc
    except yaml.reader.ReaderError as exc:
        raise _unreadable_character(text, exc) from exc
    except yaml.YAMLError as exc:
        raise LoadError(f"invalid YAML: {exc}") from exc
    finally:
        loader.dispose()
    return LoadedDocument(path, root, text, loader.duplicates)


def _unreadable_character(text: str, exc: yaml.reader.ReaderError) -> LoadError:
    """A character YAML does not allow in a document (a control character such as DEL), at its
    line and column, in one line of text.

    PyYAML's reader error is not a marked error: it gives an offset and its own rendering,
    which spans two lines and names ``"<unicode string>"`` rather than the file.  libyaml counts
    the offset in bytes of the UTF-8 text, the pure-Python reader in characters.  Nothing YAML
    refuses comes before the offending character, so the lines before it end at exactly the
    breaks YAML counts, which ``str.splitlines`` counts too.
    """
    offset = exc.position
    if _READS_BYTES:
        offset = len(text.encode("utf-8", "surrogatepass")[:offset].decode("utf-8", "ignore"))
    lines = (text[:offset] + ".").splitlines()  # "." keeps the empty line after a final break
    message = f"invalid YAML: {exc.reason} (U+{exc.character:04X})"
    return LoadError(message, len(lines), len(lines[-1]))


# libyaml 0.2.5 as PyYAML 6.0.4 builds it refuses flow collections nested 1,000 deep, and its
# scanner reads that far ahead of the composer, which refuses past MAX_DEPTH.
_NESTING_LIMIT = "exceeded maximum nesting depth"


def _past_depth(path: str, text: str, mark: Any) -> LoadError:
    """rolelint's own depth error, at the collection that crosses MAX_DEPTH: the text up to
    where libyaml stopped is deeper than MAX_DEPTH, so loading it alone says where."""
    try:
        load_yaml(path, text[: mark.index])
    except LoadError as problem:
        if problem.message == too_deep(None, None).message:
            return problem
    return too_deep(mark.line + 1, mark.column + 1)


def _check_aliases(root: yaml.Node) -> None:
    """Refuse a document whose aliases add more than :data:`MAX_ALIAS_NODES` nodes to the tree,
    or nest it deeper than :data:`MAX_DEPTH` (an alias deep inside repeating a deep node); the
    error names the mapping entry (or the sequence) holding the alias that crosses the limit."""
    _Expansion().measure(root, 0, root)


class _Expansion:
    """The size and height of each node once its aliases are expanded, measured once per node
    written (an alias is the very node its anchor names, and the anchor comes first), so this
    takes time linear in the text however large the expansion, and stops at the limit.  The
    recursion follows the written nesting only, already bounded.  An alias inside its own
    anchor counts once: the constructor refuses it."""

    def __init__(self) -> None:
        self.measured: dict[int, tuple[int, int]] = {}  # id(node) -> (size, height)
        self.added = 0  # nodes the aliases met so far stand for

    def measure(self, node: yaml.Node, level: int, where: yaml.Node) -> tuple[int, int]:
        known = self.measured.get(id(node))
        if known is not None:  # met before: an alias, which repeats the whole node
            self.added += known[0]
            if self.added > MAX_ALIAS_NODES:
                raise _too_many_aliases(where)
            if level + known[1] > MAX_DEPTH:
                raise too_deep(where.start_mark.line + 1, where.start_mark.column + 1)
            return known
        if isinstance(node, yaml.ScalarNode):
            size, height = 1 + len(node.value) // _CHARACTERS_PER_NODE, 0
        else:
            self.measured[id(node)] = (1, 0)  # while it is being measured
            size, height = 1, 0
            for child, at in _children(node):
                child_size, child_height = self.measure(child, level + 1, at)
                size += child_size
                height = max(height, child_height + 1)
        self.measured[id(node)] = (size, height)
        return size, height


def _children(node: yaml.Node) -> Iterator[tuple[yaml.Node, yaml.Node]]:
    """Each child of a collection with the node that shows where it is written: an aliased
    child's own position is its anchor's, so a mapping's entries are placed at their key."""
    if isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield item, node
    else:
        for key, value in node.value:
            yield key, key
            yield value, key


def _too_many_aliases(where: yaml.Node) -> LoadError:
    message = f"too many aliases: they expand the document by more than {MAX_ALIAS_NODES:,} nodes"
    mark = where.start_mark
    return LoadError(message, mark.line + 1, mark.column + 1)
