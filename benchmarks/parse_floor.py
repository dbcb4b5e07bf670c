"""The parse floor: what merely loading a folder's CloudFormation files costs, with no analysis.

Usage: python benchmarks/parse_floor.py FOLDER   (prints the seconds spent loading)

YAML files are composed into nodes with positions by PyYAML's C loader (``yaml.compose``), JSON
files decoded by ``json.loads``: what any tool that reports lines must at least pay.  The script
imports nothing else, so that run as a command of its own (as ``benchmarks/compare.py`` does)
it pays only what a whole run of any such tool pays besides: interpreter start-up, importing
the YAML library and reading the files.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import yaml

SUFFIXES = {".yaml", ".yml", ".json", ".template"}


def parse_floor(folder: Path) -> float:
    """Seconds to read and load every YAML/JSON file of ``folder`` (files that fail to load
    count too: reading them as far as they go is part of the cost)."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    files = [path for path in folder.rglob("*") if path.suffix in SUFFIXES]
    start = time.perf_counter()
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        try:
            if path.suffix == ".json":
                json.loads(text)
            else:
                yaml.compose(text, Loader=loader)
        except (ValueError, yaml.YAMLError):
            continue
    return time.perf_counter() - start


if __name__ == "__main__":
    print(f"{parse_floor(Path(sys.argv[1])):.3f}")
