"""Programmatic entry point: ``lint_paths`` runs a whole check without click or any reporter."""

from __future__ import annotations

import sys
from collections.abc import Iterable

from rolelint.discovery import STDIN, Target, discover
from rolelint.engine import Selection, run_checks
from rolelint.findings import InputError, Report
from rolelint.model import Inventory
from rolelint.parsers import parse_source

STDIN_NAME = "<stdin>"


def _read(target: Target) -> tuple[str | None, InputError | None]:
    """The file's text, or the one-line reason it cannot be read."""
    name = STDIN_NAME if target.path == STDIN else target.path
    if target.missing:
        return None, InputError(name, "no such file or directory")
    try:
        data = sys.stdin.buffer.read() if target.path == STDIN else _read_bytes(target.path)
    except OSError as error:
        return None, InputError(name, f"cannot read file: {error.strerror or error}")
    if b"\x00" in data[:8192]:
        return None, InputError(name, "binary file, not a template or policy")
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        return None, InputError(name, "not UTF-8 text", line)


def _read_bytes(path: str) -> bytes:
    with open(path, "rb") as handle:
        return handle.read()


def lint_paths(
    paths: Iterable[str], selection: Selection | None = None, stdin_name: str = STDIN_NAME
) -> Report:
    """Read, parse and check every file under ``paths``; never raises for bad input."""
    report = Report()
    inventory = Inventory()
    stdin_texts: dict[str, str] = {}
    for target in discover(paths):
        name = stdin_name if target.path == STDIN else target.path
        text, error = _read(target)
        if error is not None:
            report.errors.append(error)
            continue
        assert text is not None
        if target.path == STDIN:
            stdin_texts[name] = text
        outcome = parse_source(name, text)
        if outcome.errors:
            report.errors.extend(outcome.errors)
        elif outcome.format is None:
            report.skip(outcome.skip_reason)
        else:
            report.files_analyzed += 1
            inventory.extend(outcome.inventory)
    report.roles = len(inventory.roles)
    report.findings = run_checks(inventory, selection)
    report.errors.sort(key=InputError.sort_key)
    _attach_snippets(report, stdin_texts)
    return report


def _attach_snippets(report: Report, stdin_texts: dict[str, str]) -> None:
    """Keep the source line of every finding so reporters can show it (stdin can't be re-read)."""
    wanted: dict[str, set[int]] = {}
    for finding in report.findings:
        wanted.setdefault(finding.file, set()).add(finding.location.line)
    for file, lines in wanted.items():
        try:
            if file in stdin_texts:
                source_lines = stdin_texts[file].splitlines()
            else:
                with open(file, encoding="utf-8", errors="replace") as handle:
                    source_lines = handle.read().splitlines()
        except OSError:
            continue
        for number in lines:
            if 0 < number <= len(source_lines):
                report.snippets[(file, number)] = source_lines[number - 1]
