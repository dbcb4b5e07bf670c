"""Broken copies of real infrastructure-as-code, and the promise every parser must keep on them.

Shared by the property tests (``tests/test_properties.py``, where hypothesis draws the
mutations) and the fuzz harness (``tests/fuzz/fuzz_parsers.py``, where a random generator or
atheris does): one definition of what a mutation is and of what "no crash" means, so a failure
found by one is reproduced by the other.

The promise (README: "a file that cannot be parsed is an error naming the file, line and
column"): whatever the text, reading it never raises; every error and notice names a file; a
line, when given, lies within the file; a column, when given, is at least 1.  And HCL read in
pieces, as a large file is, reads exactly as HCL read whole.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from rolelint.engine import run_checks
from rolelint.findings import InputError
from rolelint.parsers import is_terraform, parse_source
from rolelint.parsers.hcl_adapter import parse_hcl
from rolelint.parsers.terraform import parse_terraform_file
from rolelint.parsers.tf_module import is_hcl_file
from rolelint.parsers.tree import LoadError
from rolelint.reading import read_text
from tests.conftest import CORPUS

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "fixtures"
SEED_SUFFIXES = (".yaml", ".yml", ".json", ".template", ".tf", ".tfvars")

# What breaks a parser: the syntax of YAML, JSON and HCL, CloudFormation's tags and
# intrinsics, Terraform's templates and heredocs, and values IAM reads.  A mutation inserts
# one of them, or puts one in place of what was there.
# fmt: off
TOKENS: tuple[str, ...] = (
    '"', "'", "{", "}", "[", "]", "(", ")", ":", ",", "=", "\t", "\n", " ", "#", "//", "/*",
    "*/", "\\", "-", "- ", "? ", "|", ">", "&a ", "*a", "<<: *a", "---\n", "...\n", "%", "@",
    "`", "!", "!Ref ", "!Sub ", "!GetAtt ", "!If ", "!Join ", "!Select ", "!FindInMap ",
    "!ImportValue ", "!Condition ", "!!binary ", "!!python/object ", "!Unknown ",
    '{"Fn::If": ', '{"Ref": ', '"Fn::Sub"', '"Fn::GetAtt"', '"Fn::Join"', "AWS::NoValue",
    "AWS::IAM::Role", "Type", "Properties", "Resources", "AWSTemplateFormatVersion",
    "Statement", "Principal", "Action", "Resource", "Effect", "Condition", "NotPrincipal",
    "Version", "2012-10-17", "sts:AssumeRole", "arn:aws:iam::123456789012:root", "*",
    "${", "${var.", "}", "%{", "%{ if x }", "$${", "<<EOF\n", "<<-EOF\n", "EOF\n", "EOT",
    "jsonencode(", "file(", "templatefile(", "lookup(", "merge(", "concat(", "try(",
    "[for x in var.y : x]", "{for k, v in var.m : k => v}", "each.value", "count.index",
    "var.x", "local.y", "module.m.out", "data.aws_iam_policy_document.d.json", "dynamic",
    "for_each", "content", "statement", "principals", "resource", "data", "module", "locals",
    "variable", "null", "true", "false", "0", "-1", "1.5", "1e400", "99999999999999999999",
    "0x1F", "NaN", "Infinity", "\\u0000", "\\ud800", "\\u", '\\"', "\r", "\r\n", "\x00",
    "\x0b", "\x0c", "\x85", "\u2028", "\u2029", "\ufeff", "\u00e9", "\U0001f600",
)

# (name, position, size, token): what one mutation does and where; see :func:`mutate`.
OPERATIONS: tuple[str, ...] = (
    "truncate", "delete", "insert", "replace", "flip_byte", "delete_line", "duplicate_line",
    "swap_lines", "reindent",
)
# fmt: on


@dataclass(frozen=True, slots=True)
class Mutation:
    """One edit of a text.  ``position`` is a character offset (clamped to the text); line
    operations act on the line holding it; ``size`` is how much to cut, or which variant."""

    operation: str
    position: int
    size: int = 1
    token: str = ""


def mutate(text: str, mutation: Mutation) -> str:
    """``text`` with ``mutation`` applied; total (every mutation gives a text)."""
    position = max(0, min(mutation.position, len(text)))
    size = max(0, mutation.size)
    operation = mutation.operation
    if operation == "truncate":
        return text[:position]
    if operation == "delete":
        return text[:position] + text[position + max(1, size) :]
    if operation == "insert":
        return text[:position] + mutation.token + text[position:]
    if operation == "replace":
        return text[:position] + mutation.token + text[position + max(1, size) :]
    if operation == "flip_byte":
        return _flip_byte(text, position, size)
    return _mutate_lines(text, position, size, operation)


def _flip_byte(text: str, position: int, bit: int) -> str:
    """One bit of the UTF-8 encoding flipped; what no longer decodes becomes U+FFFD, as a file
    that is not UTF-8 never reaches a parser (rolelint.reading refuses it)."""
    data = bytearray(text.encode("utf-8"))
    if not data:
        return text
    index = min(len(text[:position].encode("utf-8")), len(data) - 1)
    data[index] ^= 1 << (bit % 8)
    return data.decode("utf-8", errors="replace")


def _mutate_lines(text: str, position: int, size: int, operation: str) -> str:
    lines = text.splitlines(keepends=True)
    if not lines:
        return text
    index = min(len(text[:position].splitlines()) - 1, len(lines) - 1)
    index = max(index, 0)
    if operation == "delete_line":
        del lines[index]
    elif operation == "duplicate_line":
        lines.insert(index, lines[index])
    elif operation == "swap_lines" and index + 1 < len(lines):
        lines[index], lines[index + 1] = lines[index + 1], lines[index]
    elif operation == "reindent":
        lines[index] = _reindent(lines, index, size)
    elif operation not in OPERATIONS:
        raise ValueError(f"unknown mutation {operation!r}")
    return "".join(lines)


def _reindent(lines: list[str], index: int, variant: int) -> str:
    """The line's indentation changed: tabs for spaces, deeper, none, or its neighbour's."""
    line = lines[index]
    body = line.lstrip(" \t")
    indent = line[: len(line) - len(body)]
    choice = variant % 4
    if choice == 0:
        indent = indent.replace("  ", "\t") if " " in indent else indent.replace("\t", "  ")
    elif choice == 1:
        indent += "  "
    elif choice == 2:
        indent = ""
    else:
        neighbour = lines[index + 1] if index + 1 < len(lines) else lines[index - 1]
        indent = neighbour[: len(neighbour) - len(neighbour.lstrip(" \t"))]
    return indent + body


# --- seeds ----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Seed:
    """A real file to mutate: its path (the suffix picks the parser) and its text."""

    path: str
    text: str

    @property
    def kind(self) -> str:
        """Which family of parser reads it: "terraform", "json" or "yaml"."""
        return file_kind(self.path)


def file_kind(path: str) -> str:
    if is_terraform(path):
        return "terraform"
    return "json" if path.lower().endswith(".json") else "yaml"


def _files(root: Path) -> Iterator[Path]:
    for directory, subdirectories, names in os.walk(root):
        subdirectories.sort()
        for name in sorted(names):
            if name.lower().endswith(SEED_SUFFIXES):
                yield Path(directory) / name


@cache
def seeds(*, corpus: bool = True, max_size: int = 20_000) -> tuple[Seed, ...]:
    """The committed fixtures, and the shared corpus when it is beside this checkout.

    Smallest first: hypothesis shrinks toward the first seed, so a failure is reported on the
    smallest file that shows it.  Empty and larger files are left out (big ones only slow the
    search: the same syntax occurs in small ones).
    """
    roots = [FIXTURES] + ([CORPUS] if corpus and CORPUS.is_dir() else [])
    found: list[Seed] = []
    for root in roots:
        for path in _files(root):
            text, error = read_text(str(path))
            if text is not None and error is None and 0 < len(text) <= max_size:
                found.append(Seed(str(path), text))
    found.sort(key=lambda seed: (len(seed.text), seed.path))
    return tuple(found)


def seeds_of(kind: str, *, corpus: bool = True, max_size: int = 20_000) -> tuple[Seed, ...]:
    return tuple(s for s in seeds(corpus=corpus, max_size=max_size) if s.kind == kind)


# --- the promise ----------------------------------------------------------------------------------


def line_count(text: str) -> int:
    """Lines as an editor shows them: every line break Python knows (a superset of YAML's, and
    of JSON's and HCL's "\\n"), plus the empty line after a final break, where a parser that
    hits the end of the file stops."""
    return len((text + ".").splitlines())


def check_messages(messages: Iterable[InputError], texts: dict[str, str]) -> None:
    """Every error and notice names a file and, when it gives a position, a real one.

    ``texts`` maps the files whose text is known to it; a message on another file (one the
    parser read from disk, a folder that cannot be listed) must still name one.
    """
    for message in messages:
        assert message.file, f"a message without a file: {message}"
        assert message.message, f"a message without text: {message}"
        text = texts.get(message.file)
        if message.line is not None:
            assert message.line >= 1, f"line {message.line} < 1: {message}"
            if text is not None:
                count = line_count(text)
                assert message.line <= count, f"line {message.line} of {count}: {message}"
        if message.column is not None:
            assert message.column >= 1, f"column {message.column} < 1: {message}"


def check_no_internal_error(messages: Iterable[InputError]) -> None:
    """No message is a parser bug turned into an error (rolelint.parse_jobs.internal_error):
    ``lint_paths`` catches every exception a parser raises and reports it so, which keeps the
    run going but would hide from a test the very crashes it looks for."""
    for message in messages:
        assert not message.message.startswith("internal error"), f"a parser bug: {message}"


def check_pieces(text: str) -> None:
    """HCL read in pieces (cut at every place rolelint.parsers.hcl_split proposes, as a large
    file is) and with the inside of every heredoc and block comment blanked for python-hcl2
    (as long ones are) gives the same body, or the same error, as read whole and as written."""
    text = text.removeprefix("\ufeff")

    def parse(piece_size: int, blank_over: int) -> object:
        try:
            return parse_hcl(text, piece_size, blank_over)
        except LoadError as error:
            return (str(error), error.line, error.column)

    whole = parse(len(text) + 1, len(text) + 1)
    assert parse(1, len(text) + 1) == whole, "HCL read in pieces differs from HCL read whole"
    assert parse(len(text) + 1, 0) == whole, "HCL read with long tokens blanked differs"
    assert parse(1, 0) == whole, "HCL read in pieces with long tokens blanked differs"


def parse_and_check(path: str, text: str) -> list[InputError]:
    """Read ``text`` as if it were the file ``path``, run every rule on what it gave, check the
    promise, and return the errors (for tests that want more).

    Terraform goes through the single-file parser (what ``rolelint check -`` uses, ``file()``
    still reading the seed's real neighbours); everything else through ``parse_source``, as
    ``lint_paths`` calls them.  The rules run too: a model built from a broken file must not
    break them either.
    """
    if is_terraform(path):
        if is_hcl_file(path):
            check_pieces(text)
        outcome = parse_terraform_file(path, text, read_text)
        errors, notices, inventory = outcome.errors, outcome.notices, outcome.inventory
    else:
        parsed = parse_source(path, text)
        errors, notices, inventory = parsed.errors, parsed.notices, parsed.inventory
    run_checks(inventory, None)
    check_messages(errors + notices, {path: text})
    return errors
