"""rolelint's own YAML data: the rule catalog, AWS managed policy documents, service principals.

These files are written for people (comments, one rule per file), so they stay YAML, but
parsing their 190 KB took about 30 ms of every run and importing PyYAML for it another 15 ms:
a sixth of a warm scan of a 300-file repository, whose own files all come from the cache
without PyYAML.  So they are read through the active parse cache (rolelint.parse_cache), keyed
by their names and bytes: a copy is used only while every file is unchanged.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rolelint import parse_cache


def load_yaml(path: Path) -> Any:
    """The document of one of rolelint's YAML data files."""
    return load_yaml_files([path])[0]


def load_yaml_files(paths: Sequence[Path]) -> list[Any]:
    """The documents of several data files, in order, cached as one entry."""
    texts = [path.read_text(encoding="utf-8") for path in paths]
    key = "\0".join(f"{path.name}\0{text}" for path, text in zip(paths, texts, strict=True))
    return parse_cache.cached(
        "data", "rolelint data", key, lambda: [_parse(t) for t in texts], list
    )


def _parse(text: str) -> Any:
    import yaml

    loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present
    return yaml.load(text, Loader=loader)
