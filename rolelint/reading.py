"""Turning a path into text: the one place that reads bytes, so every way a file can be
unreadable (missing, binary, not UTF-8, unreadable) becomes one clear error line and the scan
goes on."""

from __future__ import annotations

import sys

from rolelint.discovery import STDIN, Target
from rolelint.findings import InputError

STDIN_NAME = "<stdin>"


def read_target(target: Target) -> tuple[str | None, InputError | None]:
    """The file's text, or the one-line reason it cannot be read."""
    name = STDIN_NAME if target.path == STDIN else target.path
    if target.missing:
        return None, InputError(name, "no such file or directory")
    if target.error is not None:
        return None, InputError(name, target.error)
    if target.path != STDIN:
        return read_text(target.path)
    try:
        return _decode(name, sys.stdin.buffer.read())
    except OSError as error:
        return None, InputError(name, f"cannot read file: {error.strerror or error}")


def read_text(path: str) -> tuple[str | None, InputError | None]:
    """A file's text as UTF-8, or the one-line reason it cannot be read."""
    try:
        data = _read_bytes(path)
    except OSError as error:
        return None, InputError(path, f"cannot read file: {error.strerror or error}")
    return _decode(path, data)


def _decode(name: str, data: bytes) -> tuple[str | None, InputError | None]:
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
