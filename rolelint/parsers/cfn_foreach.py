"""``Fn::ForEach`` loops of a template's Resources, written out as the resources they generate.

``AWS::LanguageExtensions`` lets a template write one resource per element of a list::

    Fn::ForEach::Teams:
      - Team                      # the identifier
      - [alpha, beta]             # the collection: a list, or a list parameter's default
      - ${Team}Role:              # the output key: ${Team}, or &{Team} (letters and digits only)
          Type: AWS::IAM::Role
          Properties:
            RoleName: !Sub ${Team}-role    # !Ref Team and ${Team} in !Sub are the element
            ...

Each element gives a copy of the output values with the identifier replaced, at the places the
loop writes them (every copy points at the same lines), so a role a loop generates is analyzed
like one written out.  Loops inside a loop's output are expanded in turn, and so are loops in a
resource's properties, which write keys of the mapping they are in.  A loop whose
collection is not known (an import, a parameter without default, an intrinsic) is left as it
is, and the caller says so in a note; so is a loop that would take the values written out past
:data:`MAX_COPIED`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from rolelint.parsers import FOR_EACH
from rolelint.parsers.cfn_intrinsics import reads_ssm
from rolelint.parsers.tree import PMap, PSeq
from rolelint.source import Span

# Values one template's loops may write out: a loop of 10,000 elements over a large resource
# would otherwise copy it 10,000 times (the same bound as values copied out of Mappings).
MAX_COPIED = 200_000
MAX_NESTING = 5  # CloudFormation allows loops nested five deep

UNKNOWN_COLLECTION = "its collection is not a list written out or a list parameter's default"
NOT_A_LOOP = "it is not written as [identifier, collection, {output key: value}]"
TOO_MANY = f"writing it out would copy the template's values past {MAX_COPIED:,}"


@dataclass
class ExpandedResources:
    """The Resources section with its loops written out, and the loops that could not be."""

    resources: PMap
    kept: list[tuple[str, Span | None, str]] = field(default_factory=list)  # key, where, why
    # Loops in a resource's properties that could not be written out: resource, key, where, why.
    kept_inside: list[tuple[str, str, Span | None, str]] = field(default_factory=list)


def expand_resources(resources: PMap, parameters: Any, inside: bool = False) -> ExpandedResources:
    """``resources`` with every ``Fn::ForEach::`` entry replaced by what it generates (the same
    mapping when there is none).  ``inside``: also the loops within resources, which a caller
    that knows the template's text mentions no loop can skip (the walk visits every value)."""
    at_top = any(isinstance(key, str) and key.startswith(FOR_EACH) for key in resources)
    if not at_top and not inside:
        return ExpandedResources(resources)
    expander = _Expander(parameters if isinstance(parameters, PMap) else PMap())
    out = expander.written_out(resources, 1) if at_top else resources
    if inside:
        out = expander.within_resources(out)
    return ExpandedResources(out, expander.kept, expander.kept_inside)


@dataclass(frozen=True)
class _Entry:
    """A loop where it is written: its key, its value and their places."""

    key: str
    node: Any
    key_span: Span | None
    value_span: Span | None


class _Expander:
    def __init__(self, parameters: PMap) -> None:
        self.parameters = parameters
        self.copied = 0  # values written out so far
        self.kept: list[tuple[str, Span | None, str]] = []
        self.kept_inside: list[tuple[str, str, Span | None, str]] = []
        self.resource: str | None = None  # the resource whose properties are being walked

    def written_out(self, mapping: PMap, nesting: int) -> PMap:
        """``mapping`` with its own loops replaced by the keys they write."""
        out = PMap(mapping.span)
        for key in mapping:
            node, key_span, value_span = mapping[key], *_spans(mapping, key)
            if isinstance(key, str) and key.startswith(FOR_EACH):
                self.expand(out, _Entry(key, node, key_span, value_span), nesting)
            elif key not in out:
                out.set(key, node, key_span, value_span)
        return out

    def within_resources(self, resources: PMap) -> PMap:
        """``resources`` with the loops inside each resource written out (the same mapping
        when there are none)."""
        out = PMap(resources.span)
        changed = False
        for key in resources:
            self.resource = str(key)
            node = self.within(resources[key])
            changed = changed or node is not resources[key]
            out.set(key, node, *_spans(resources, key))
        self.resource = None
        return out if changed else resources

    def within(self, node: Any) -> Any:
        """``node`` with every loop in it written out, outer loops first: an inner loop may
        name the outer one's identifier, which only the outer loop's copies replace.  A node
        without a loop is returned as it is (the tree's depth is bounded by its loader)."""
        if isinstance(node, PMap):
            if any(isinstance(key, str) and key.startswith(FOR_EACH) for key in node):
                node = self.written_out(node, 1)
            # A loop still here was kept (not known, or too large): what is inside it is its
            # template, with the identifier unreplaced, and is left as it is.
            parts = {
                key: node[key]
                if isinstance(key, str) and key.startswith(FOR_EACH)
                else self.within(node[key])
                for key in node
            }
            if all(parts[key] is node[key] for key in node):
                return node
            copy = PMap(node.span)
            for key in node:
                copy.set(key, parts[key], *_spans(node, key))
            return copy
        if isinstance(node, PSeq):
            return node.with_items([self.within(item) for item in node])
        return node

    def expand(self, out: PMap, entry: _Entry, nesting: int) -> None:
        """Writes the resources of the loop ``entry`` into ``out`` (or the loop itself, kept)."""
        parts = _parts(entry.node)
        items = self.collection(parts[1]) if parts is not None else None
        reason = NOT_A_LOOP if parts is None else UNKNOWN_COLLECTION
        if parts is not None and items is not None and nesting > MAX_NESTING:
            items, reason = None, NOT_A_LOOP
        if parts is None or items is None:
            self.keep(out, entry, reason)
            return
        identifier, _, template = parts
        cost = len(items) * _size(template, MAX_COPIED - self.copied + 1)
        if self.copied + cost > MAX_COPIED:
            self.keep(out, entry, TOO_MANY)
            return
        self.copied += cost
        for item in items:
            for output_key in template:
                where = _spans(template, output_key)
                name = _key(output_key, identifier, item)
                if isinstance(name, str) and name.startswith(FOR_EACH):
                    inner = _substitute_loop(template[output_key], identifier, item)
                    self.expand(out, _Entry(name, inner, *where), nesting + 1)
                    continue
                value = _substitute(template[output_key], identifier, item)
                if name not in out:
                    out.set(name, value, *where)

    def keep(self, out: PMap, entry: _Entry, reason: str) -> None:
        if self.resource is None:
            self.kept.append((entry.key, entry.key_span, reason))
        else:
            self.kept_inside.append((self.resource, entry.key, entry.key_span, reason))
        if entry.key not in out:
            out.set(entry.key, entry.node, entry.key_span, entry.value_span)

    def collection(self, node: Any) -> list[str] | None:
        """The elements as text: a list of strings written out, or the default of a parameter
        of a list type (a CommaDelimitedList's default is one string)."""
        if isinstance(node, PMap) and len(node) == 1 and "Ref" in node:
            name = node["Ref"]  # a name; anything else (a list) refers to no parameter
            parameter = self.parameters.get(name) if isinstance(name, str) else None
            # An SSM-typed list is read when the stack is deployed: its elements are not known.
            if not isinstance(parameter, PMap) or reads_ssm(parameter):
                return None
            node = parameter.get("Default")
            if isinstance(node, str):
                return [part.strip() for part in node.split(",")]
        if isinstance(node, PSeq) and all(isinstance(item, (str, int)) for item in node):
            return [str(item) for item in node]
        return None


def _size(node: Any, limit: int) -> int:
    """How many values ``node`` holds, counting stops past ``limit``."""
    count, pending = 0, [node]
    while pending and count <= limit:
        current = pending.pop()
        count += 1
        if isinstance(current, PMap):
            pending.extend(current.values())
        elif isinstance(current, PSeq):
            pending.extend(current)
    return count


def _parts(loop: Any) -> tuple[str, Any, PMap] | None:
    if isinstance(loop, PSeq) and len(loop) == 3:
        identifier, collection, template = loop[0], loop[1], loop[2]
        if isinstance(identifier, str) and isinstance(template, PMap):
            return identifier, collection, template
    return None


def _spans(mapping: PMap, key: Any) -> tuple[Span | None, Span | None]:
    return mapping.key_span_of(key), mapping.span_of(key)


def _key(key: Any, identifier: str, item: str) -> Any:
    """An output key with ``${identifier}`` replaced by the element and ``&{identifier}`` by
    its letters and digits (a logical id allows no others)."""
    if not isinstance(key, str):
        return key
    plain = re.sub(r"[^A-Za-z0-9]", "", item)
    return key.replace(f"${{{identifier}}}", item).replace(f"&{{{identifier}}}", plain)


def _substitute(node: Any, identifier: str, item: str) -> Any:
    """A copy of ``node`` with ``Ref: identifier`` and ``${identifier}`` in ``Fn::Sub`` text
    replaced by the element; every part keeps its place."""
    if isinstance(node, PMap):
        if len(node) == 1 and node.get("Ref") == identifier:
            return item
        if len(node) == 1 and "Fn::Sub" in node:
            return _sub(node, identifier, item)
        copy = PMap(node.span)
        for key in node:
            if str(key).startswith(FOR_EACH):  # a loop inside: its output keys may use ours
                inner = _substitute_loop(node[key], identifier, item)
                copy.set(_key(key, identifier, item), inner, *_spans(node, key))
            else:
                copy.set(key, _substitute(node[key], identifier, item), *_spans(node, key))
        return copy
    if isinstance(node, PSeq):
        sequence = PSeq(node.span)
        for index, element in enumerate(node):
            sequence.add(_substitute(element, identifier, item), node.span_at(index))
        return sequence
    return node


def _substitute_loop(loop: Any, identifier: str, item: str) -> Any:
    """A loop inside a loop: the element replaces the outer identifier in its collection, in
    its output values, and in its output keys (``${Env}${Team}Role``)."""
    parts = _parts(loop)
    if parts is None:
        return _substitute(loop, identifier, item)
    inner, collection, template = parts
    assert isinstance(loop, PSeq)
    outputs = PMap(template.span)
    for key in template:
        # A loop in the template: its own output keys may name the outer identifiers too.
        nested = isinstance(key, str) and key.startswith(FOR_EACH)
        value = (_substitute_loop if nested else _substitute)(template[key], identifier, item)
        outputs.set(_key(key, identifier, item), value, *_spans(template, key))
    copy = PSeq(loop.span)
    copy.add(inner, loop.span_at(0))
    copy.add(_substitute(collection, identifier, item), loop.span_at(1))
    copy.add(outputs, loop.span_at(2))
    return copy


def _sub(node: PMap, identifier: str, item: str) -> PMap:
    argument = node["Fn::Sub"]
    placeholder = f"${{{identifier}}}"
    copy = PMap(node.span)
    if isinstance(argument, str):
        copy.set("Fn::Sub", argument.replace(placeholder, item), *_spans(node, "Fn::Sub"))
    elif isinstance(argument, PSeq) and argument and isinstance(argument[0], str):
        text = PSeq(argument.span)
        text.add(argument[0].replace(placeholder, item), argument.span_at(0))
        for index in range(1, len(argument)):
            text.add(_substitute(argument[index], identifier, item), argument.span_at(index))
        copy.set("Fn::Sub", text, *_spans(node, "Fn::Sub"))
    else:
        copy.set("Fn::Sub", _substitute(argument, identifier, item), *_spans(node, "Fn::Sub"))
    return copy
