"""Positioned YAML loading with CloudFormation's short-form tags, on libyaml when present.

Why not cfn-flip's loader: it is pure Python, keeps no positions, turns ``Version: 2012-10-17``
into a date and silently keeps the last of duplicate keys.  This loader runs PyYAML's C parser,
builds :class:`PMap`/:class:`PSeq` with spans, keeps dates as strings and records duplicates.

Hostile input is refused while loading, in bounded time and memory: libyaml composes the node
graph in C, recursing once per level, so a few hundred kilobytes of ``[`` would overflow the C
stack and kill the process; the depth is counted as it composes (through the resolver hooks it
calls for every node) and the document refused past :data:`MAX_DEPTH`.
"""

from __future__ import annotations

from typing import Any

import yaml

from rolelint.parsers.tree import (
    MAX_DEPTH,
    DuplicateKey,
    LoadedDocument,
    LoadError,
    PMap,
    PSeq,
    too_deep,
)
from rolelint.source import Span

_Base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# Short-form tags whose long form is not simply "Fn::<Name>".
_TAG_NAMES = {"Ref": "Ref", "Condition": "Condition"}

# A node at level MAX_DEPTH is composed with MAX_DEPTH collections open around it.
_MAX_NODES_OPEN = MAX_DEPTH + 1


def _span(node: yaml.Node) -> Span:
    start, end = node.start_mark, node.end_mark
    return Span(start.line + 1, start.column + 1, end.line + 1, end.column + 1)


class _PositionedLoader(_Base):  # type: ignore[misc]
    """A SafeLoader that builds positioned containers and keeps every scalar it cannot type."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.duplicates: list[DuplicateKey] = []
        self.depth = 0  # nodes open while composing: the one being composed and its parents

    # libyaml's composer calls these two around every node it composes (they exist for path
    # resolvers, which a SafeLoader has none of): the one place to count depth before C does.
    def descend_resolver(self, parent: yaml.Node | None, index: Any) -> None:
        self.depth += 1
        if self.depth > _MAX_NODES_OPEN:
            mark = parent.start_mark  # type: ignore[union-attr]  # the root is never too deep
            raise too_deep(mark.line + 1, mark.column + 1)

    def ascend_resolver(self) -> None:
        self.depth -= 1


def _construct_mapping(loader: _PositionedLoader, node: yaml.MappingNode) -> PMap:
    loader.flatten_mapping(node)
    result = PMap(_span(node))
    for key_node, value_node in node.value:
        # Keys are text, as in the JSON form of a template: an unquoted ``Null:`` condition
        # operator is "Null", not YAML's null, and an account id key stays "123456789012".
        key: Any = (
            str(key_node.value)
            if isinstance(key_node, yaml.ScalarNode)
            else loader.construct_object(key_node, deep=True)
        )
        if not isinstance(key, (str, int, float, bool)) and key is not None:
            raise yaml.constructor.ConstructorError(
                "while constructing a mapping",
                node.start_mark,
                "found an unhashable key",
                key_node.start_mark,
            )
        key_span = _span(key_node)
        if key in result:
            loader.duplicates.append(DuplicateKey(str(key), result.key_spans.get(key), key_span))
        value = loader.construct_object(value_node, deep=True)
        result.set(key, value, key_span, _span(value_node))
    return result


def _construct_sequence(loader: _PositionedLoader, node: yaml.SequenceNode) -> PSeq:
    result = PSeq(_span(node))
    for item in node.value:
        result.add(loader.construct_object(item, deep=True), _span(item))
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


def load_yaml(path: str, text: str) -> LoadedDocument:
    """Parse one YAML document with positions; raise :class:`LoadError` with a position on error."""
    loader = _PositionedLoader(text)
    try:
        root = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        reason = " ".join(str(part) for part in (exc.context, exc.problem) if part)
        raise LoadError(
            f"invalid YAML: {reason or 'cannot parse'}",
            mark.line + 1 if mark else None,
            mark.column + 1 if mark else None,
        ) from exc
    except yaml.YAMLError as exc:
        raise LoadError(f"invalid YAML: {exc}") from exc
    finally:
        loader.dispose()
    return LoadedDocument(path, root, text, loader.duplicates)
