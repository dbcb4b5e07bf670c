"""The parse floor: what merely loading a folder's CloudFormation files costs, with no analysis.

Usage: python benchmarks/parse_floor.py [--values] FOLDER   (prints the seconds spent loading)

Two floors, both on PyYAML's C loader, JSON decoded by ``json.loads`` (no positions) in both:

- default, *nodes*: YAML files composed into nodes with positions (``yaml.compose``).  Nodes
  are not yet values a check could read: this is the least any tool that reports lines pays.
- ``--values``: YAML files loaded into Python values (mappings, lists, strings) that keep where
  they start and end, short-form tags (``!Ref``) read as their long form: what a tool that
  reports lines, built on the C loader in the usual way, pays to have values to analyze.

The script imports nothing else, so that run as a command of its own (as
``benchmarks/compare.py`` does) it pays only what a whole run of any such tool pays besides:
interpreter start-up, importing the YAML library and reading the files.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any, TypeVar

import yaml

SUFFIXES = {".yaml", ".yml", ".json", ".template"}


class LocatedDict(dict[Any, Any]):
    __slots__ = ("end", "start")
    start: tuple[int, int]
    end: tuple[int, int]


class LocatedList(list[Any]):
    __slots__ = ("end", "start")
    start: tuple[int, int]
    end: tuple[int, int]


class LocatedStr(str):
    __slots__ = ("end", "start")
    start: tuple[int, int]
    end: tuple[int, int]


Located = TypeVar("Located", LocatedDict, LocatedList, LocatedStr)


def _locate(value: Located, node: yaml.Node) -> Located:
    """``value`` with where its node starts and ends (0-based line and column, as PyYAML's)."""
    value.start = (node.start_mark.line, node.start_mark.column)
    value.end = (node.end_mark.line, node.end_mark.column)
    return value


def _loader_with_positions() -> type:
    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class Loader(base):  # type: ignore[misc, valid-type]
        pass

    def mapping(loader: Any, node: yaml.MappingNode) -> Any:
        value = _locate(LocatedDict(), node)
        yield value
        value.update(loader.construct_mapping(node))

    def sequence(loader: Any, node: yaml.SequenceNode) -> Any:
        value = _locate(LocatedList(), node)
        yield value
        value.extend(loader.construct_sequence(node))

    def string(loader: Any, node: yaml.ScalarNode) -> LocatedStr:
        return _locate(LocatedStr(loader.construct_scalar(node)), node)

    def short_form(loader: Any, suffix: str, node: yaml.Node) -> LocatedDict:
        """``!GetAtt a.b`` as ``{"Fn::GetAtt": "a.b"}``: CloudFormation's short forms."""
        name = suffix if suffix == "Ref" or suffix == "Condition" else f"Fn::{suffix}"
        inner: Any
        if isinstance(node, yaml.MappingNode):
            inner = loader.construct_mapping(node, deep=True)
        elif isinstance(node, yaml.SequenceNode):
            inner = loader.construct_sequence(node, deep=True)
        else:
            inner = loader.construct_scalar(node)
        return _locate(LocatedDict({name: inner}), node)

    Loader.add_constructor("tag:yaml.org,2002:map", mapping)
    Loader.add_constructor("tag:yaml.org,2002:seq", sequence)
    Loader.add_constructor("tag:yaml.org,2002:str", string)
    Loader.add_multi_constructor("!", short_form)
    return Loader


def parse_floor(folder: Path, values: bool = False) -> float:
    """Seconds to read and load every YAML/JSON file of ``folder`` (files that fail to load
    count too: reading them as far as they go is part of the cost)."""
    files = [path for path in folder.rglob("*") if path.suffix in SUFFIXES]
    if values:
        loader = _loader_with_positions()

        def load_yaml(text: str) -> object:
            return yaml.load(text, Loader=loader)  # a subclass of (C)SafeLoader: safe
    else:
        node_loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

        def load_yaml(text: str) -> object:
            return yaml.compose(text, Loader=node_loader)

    start = time.perf_counter()
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        try:
            if path.suffix == ".json":
                json.loads(text)
            else:
                load_yaml(text)
        except (ValueError, yaml.YAMLError):
            continue
    return time.perf_counter() - start


if __name__ == "__main__":
    arguments = sys.argv[1:]
    with_values = "--values" in arguments
    folder = next(argument for argument in arguments if argument != "--values")
    print(f"{parse_floor(Path(folder), values=with_values):.3f}")
