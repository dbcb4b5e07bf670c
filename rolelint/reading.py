"""Turning a path into text: the one place that reads bytes, so every way a file can be
unreadable (missing, too big, binary, not UTF-8, unreadable, not a file) becomes one clear error
line and the scan goes on."""

from __future__ import annotations

import codecs
import errno
import math
import os
import stat
import sys
from collections.abc import Callable
from typing import BinaryIO

from rolelint.discovery import STDIN, Target
from rolelint.findings import InputError

STDIN_NAME = "<stdin>"

MIB = 1024 * 1024
# Files larger than this are refused unread.  Real inputs are far smaller (a CloudFormation
# template may not exceed 1 MB, an IAM policy 10 KB); a file of many megabytes is a generated
# dump or an attack, and parsing it would cost seconds and gigabytes (the positioned trees keep
# a span per element).  Callers pass ``max_size`` to move the limit, ``None`` to lift it.
MAX_FILE_SIZE = 10 * MIB

Reading = tuple[str | None, InputError | None]

# What a binary file is said to be instead of: the input of a scan, or a settings file (a
# configuration or a baseline), which is no template or policy either.
BINARY_INPUT = "binary file, not a template or policy"
BINARY_SETTINGS = "binary file, not text"


def size_limit_problem(mib: float) -> str | None:
    """Why ``mib`` MiB is no size limit (None when it is one), said after the value.

    ``inf``, ``nan`` and ``1e308`` (whose bytes overflow) are numbers the options and the
    configuration's schema accept, and no count of bytes a file can be compared with.  A limit
    under one byte (``1e-300``) became a limit of 0 bytes, refusing every file as "over the 0
    bytes limit".  Any other fraction of a byte is dropped: the limit is whole bytes."""
    if not math.isfinite(mib * MIB):
        return "is not a finite number of MiB"
    if mib * MIB < 1:
        return f"MiB is less than one byte (1 byte is {1 / MIB:g} MiB)"
    return None


def read_target(target: Target, *, max_size: int | None = MAX_FILE_SIZE) -> Reading:
    """The file's text, or the one-line reason it cannot be read."""
    name = STDIN_NAME if target.path == STDIN else target.path
    if target.missing:
        return None, InputError(name, "no such file or directory")
    if target.error is not None:
        return None, InputError(name, target.error)
    if target.path != STDIN:
        return read_text(target.path, max_size=max_size)
    reading, _ = read_stdin(max_size)
    return reading


def read_stdin(max_size: int | None) -> tuple[Reading, str | None]:
    """Standard input's text, or the one-line reason it cannot be read; and, when it is over
    ``max_size`` bytes, its start as :func:`head_over_limit` gives a file's.

    Standard input is read once: what told that it is over the limit is all there is to judge
    it by (a ``package-lock.json`` piped in with ``--stdin-filename`` is skipped as one on disk
    is, not refused for its size)."""
    # Python sets ``sys.stdin`` to None when file descriptor 0 is closed (an editor, a daemon or
    # a CI step can start rolelint so): that is an input error, as any unreadable file is.
    stream: BinaryIO | None = getattr(sys.stdin, "buffer", None)
    if stream is None:
        return (None, InputError(STDIN_NAME, "cannot read standard input: it is closed")), None
    try:
        data, over = _read_bounded(stream, max_size)
    except OSError as error:
        reason = f"cannot read file: {error.strerror or error}"
        return (None, InputError(STDIN_NAME, reason)), None
    if over:
        return (None, _too_big(STDIN_NAME, None, max_size)), _head_text(data[:HEAD_SIZE])
    return _decode(STDIN_NAME, data), None


def read_text(
    path: str, *, max_size: int | None = MAX_FILE_SIZE, binary: str = BINARY_INPUT
) -> Reading:
    """A file's text as UTF-8, or the one-line reason it cannot be read (``binary`` when it
    holds a NUL: what the file is not).

    The size is checked before anything is read.  Pipes and devices (``/dev/zero``, a FIFO
    left in a folder, ``<(command)``) have no size: they are read up to the limit, and opening
    one never blocks.
    """
    try:
        data = _read_file(path, max_size)
    except _TooBig as too_big:
        return None, _too_big(path, too_big.size, max_size)
    except OSError as error:
        return None, InputError(path, _os_reason(path, error))
    return _decode(path, data, binary)


# How much of a file over the size limit is read to tell whether it is clearly no input of
# rolelint's (rolelint.parsers.document_formats.clearly_not_analyzed): its first keys.
HEAD_SIZE = 16 * 1024


def head_over_limit(path: str, max_size: int | None) -> str | None:
    """The first :data:`HEAD_SIZE` bytes of ``path`` as text, when it is a regular file over
    ``max_size`` bytes; None otherwise, or when they are no UTF-8 text (binary, UTF-16).

    What a file refused for its size may be judged by without being read whole: a
    ``package-lock.json`` or CDK ``tree.json`` over the limit says what it is in its first keys.
    A character cut short at the end is left out; a byte order mark is dropped.
    """
    if max_size is None or path == STDIN:
        return None
    try:
        descriptor = os.open(path, _OPEN_FLAGS)
    except (OSError, ValueError):  # ValueError: a NUL in the name
        return None
    try:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode) or status.st_size <= max_size:
            return None
        data = os.read(descriptor, HEAD_SIZE)
    except OSError:
        return None
    finally:
        os.close(descriptor)
    return _head_text(data)


def read_regular_text(
    path: str, *, max_size: int | None, unwanted: Callable[[str], bool] | None = None
) -> Reading:
    """``path``'s text, as :func:`read_text` reads it, when it is a regular file of at most
    ``max_size`` bytes.  Otherwise no text, and no error when it is no regular file (a pipe
    reads once, a device differently each time), cannot be read, or is longer than
    :data:`HEAD_SIZE` bytes and ``unwanted`` judges by its start (as :func:`head_over_limit`
    gives it) that it is not worth reading whole; but :func:`read_text`'s error when it is
    over ``max_size`` bytes and ``unwanted`` does not judge it so: a run refuses such a file
    with that error, and a search that leaves it unread says so (nothing is skipped silently).

    For a search that reads many files it reports nothing else of (rolelint.module_readers):
    the file is opened once, its start judged and the rest read from the same handle, so that a
    big lock file is read no further than its start, and the file judged is the file read."""

    def refused(head: bytes) -> bool:
        text = _head_text(head)
        return unwanted is not None and text is not None and unwanted(text)

    judged = refused if unwanted is not None else None
    try:
        data = _read_file(path, max_size, regular_only=True, head_refused=judged)
    except _TooBig as too_big:
        return None, _too_big(path, too_big.size, max_size)
    except (OSError, ValueError, _NotRegular, _Refused):  # ValueError: a NUL in the name
        return None, None
    return _decode(path, data)[0], None


def _head_text(data: bytes) -> str | None:
    """The start of a file, ``data``, as text (a character it cuts short left out, a byte
    order mark dropped); None when it is no UTF-8 text."""
    data = data.removeprefix(codecs.BOM_UTF8)
    if b"\x00" in data:
        return None
    try:
        return codecs.getincrementaldecoder("utf-8")().decode(data, final=False)
    except UnicodeDecodeError:
        return None


def read_settings_text(path: str) -> Reading:
    """A configuration or baseline file's text, as :func:`read_text` reads a template, but only
    from a regular file: a device or a pipe in its place (a repository can hold one, and its
    configuration is found by name) is an error, not a configuration of ten MiB of zeros or an
    empty one."""
    try:
        mode = os.stat(path).st_mode
    except OSError as error:
        return None, InputError(path, _os_reason(path, error))
    except ValueError:  # a NUL in the path
        return None, InputError(path, "cannot read file: its name holds a NUL")
    if not stat.S_ISREG(mode) and not stat.S_ISDIR(mode):
        return None, InputError(path, "not a regular file (a device or a pipe): not read")
    return read_text(path, binary=BINARY_SETTINGS)


def read_regular_bytes(
    path: str | os.PathLike[str],
    max_size: int | None,
    accept: Callable[[os.stat_result], bool] | None = None,
) -> bytes | None:
    """The bytes of ``path`` when it is a regular file of at most ``max_size`` bytes; None when
    it is not (missing, unreadable, a folder, a pipe, a device, too big).

    For rolelint's own files (the parse cache's key and entries): one replaced by a FIFO made
    every run wait for a writer for ever, one linked to ``/dev/zero`` read zeros until memory
    ran out.  Opening never blocks, and nothing but a regular file is read.  ``accept`` judges
    the file opened (its owner, its mode) before it is read: the file judged is the file read,
    even when another is renamed in its place meanwhile.
    """
    try:
        return _read_file(os.fspath(path), max_size, regular_only=True, accept=accept)
    except (OSError, ValueError, _TooBig, _NotRegular, _Refused):  # ValueError: a NUL in the name
        return None


def is_regular_file(path: str) -> bool:
    """Whether ``path`` is a regular file (links followed), which reads the same every time: a
    pipe (``<(command)``, a FIFO) is empty once read, and opening one blocks; a device
    (``/dev/stdin``) may give other bytes."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except (OSError, ValueError):  # ValueError: a NUL in the name
        return False


def _decode(name: str, data: bytes, binary: str = BINARY_INPUT) -> Reading:
    """``data`` as text: UTF-8, a byte order mark dropped (so columns on line 1 count from the
    first real character); anything else is an error naming the line of the first bad byte."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    elif data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return None, InputError(name, "UTF-32 text, not UTF-8: save the file as UTF-8")
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # What PowerShell 5 writes with ``>``: common for `aws iam get-role` output on Windows.
        return None, InputError(name, "UTF-16 text, not UTF-8: save the file as UTF-8")
    if b"\x00" in data[:8192]:
        return None, InputError(name, binary)
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as error:
        return None, _not_utf8(name, data, error.start)


class _NotRegular(Exception):
    """A pipe or a device where only a regular file is read."""


class _Refused(Exception):
    """A file its reader's ``accept`` refused (see read_regular_bytes), or whose start it
    refused (see read_regular_text)."""


class _TooBig(Exception):
    """A file over the size limit; ``size`` is None when it has no size (a pipe, a device)."""

    def __init__(self, size: int | None) -> None:
        super().__init__(size)
        self.size = size


# Opening a FIFO for reading waits for a writer; non-blocking, it returns at once.
_NON_BLOCKING: int = getattr(os, "O_NONBLOCK", 0)
_OPEN_FLAGS = os.O_RDONLY | _NON_BLOCKING | getattr(os, "O_BINARY", 0)


def _read_file(
    path: str,
    max_size: int | None,
    *,
    regular_only: bool = False,
    accept: Callable[[os.stat_result], bool] | None = None,
    head_refused: Callable[[bytes], bool] | None = None,
) -> bytes:
    """The bytes of ``path``; ``accept`` judges the file opened, and ``head_refused`` the first
    :data:`HEAD_SIZE` bytes of a regular file longer than that, or over ``max_size`` (see
    read_regular_text)."""
    descriptor = os.open(path, _OPEN_FLAGS)
    with os.fdopen(descriptor, "rb") as handle:
        status = os.fstat(descriptor)
        if stat.S_ISDIR(status.st_mode):
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), path)
        if accept is not None and not accept(status):
            raise _Refused(path)
        if stat.S_ISREG(status.st_mode):
            if max_size is not None and status.st_size > max_size:
                # Not worth reading whole (a lock file) is said before too big to be read.
                if head_refused is not None and head_refused(handle.read(HEAD_SIZE)):
                    raise _Refused(path)
                raise _TooBig(status.st_size)
            if head_refused is None or status.st_size <= HEAD_SIZE:
                return handle.read()
            head = handle.read(HEAD_SIZE)
            if head_refused(head):
                raise _Refused(path)
            return head + handle.read()
        if regular_only:
            raise _NotRegular(path)
        if _NON_BLOCKING:
            os.set_blocking(descriptor, True)  # non-blocking was for opening only
        data, over = _read_bounded(handle, max_size)
        if over:
            raise _TooBig(None)
        return data


# How much a stream without a size (standard input, a pipe, a device) is read at a time.
_CHUNK = MIB


def _read_bounded(stream: BinaryIO, max_size: int | None) -> tuple[bytes, bool]:
    """Everything ``stream`` holds, and False; or, when that is more than ``max_size`` bytes,
    the first ``max_size + 1`` of them, and True.

    Read a chunk at a time: ``read(n)`` allocates ``n`` bytes before it reads one, so a
    generous limit meant as "no limit" (``--max-file-size 100000``) was a MemoryError, or an
    OverflowError past ``sys.maxsize``, that stopped the whole scan."""
    if max_size is None:
        return stream.read(), False
    chunks: list[bytes] = []
    total = 0
    while total <= max_size:
        chunk = stream.read(min(_CHUNK, max_size + 1 - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    return b"".join(chunks), total > max_size


# How to move the limit: plan JSON and account exports of a large account often pass 10 MiB.
RAISE_LIMIT = "(raise it with --max-file-size or the max-file-size setting)"


def _too_big(name: str, size: int | None, max_size: int | None) -> InputError:
    unit, label = _unit(max_size or 0)
    limit = shown_size(max_size or 0)
    if size is None:
        return InputError(name, f"over the {limit} limit: not read {RAISE_LIMIT}")
    # In the limit's unit, rounded up: a file just over the limit never reads as being at it.
    shown = math.ceil(size * 10 / unit) / 10 if unit > 1 else size
    return InputError(
        name, f"file is {shown:g} {label}, over the {limit} limit: not read {RAISE_LIMIT}"
    )


def shown_size(size: int) -> str:
    """A size as a limit is said: "10 MiB", "512 KiB"."""
    unit, label = _unit(size)
    return f"{size / unit:g} {label}"


def _unit(size: int) -> tuple[int, str]:
    """The unit a size is best said in: MiB for the usual limits, KiB or bytes for small ones."""
    for unit, label in ((MIB, "MiB"), (1024, "KiB")):
        if size >= unit:
            return unit, label
    return 1, "bytes"


def _not_utf8(name: str, data: bytes, offset: int) -> InputError:
    """The first undecodable byte, by line and column (characters, as every position is)."""
    line_start = data.rfind(b"\n", 0, offset) + 1
    line = data.count(b"\n", 0, offset) + 1
    column = len(data[line_start:offset].decode("utf-8")) + 1
    message = f"not UTF-8 text (byte 0x{data[offset]:02x}): save the file as UTF-8"
    return InputError(name, message, line, column)


def _os_reason(path: str, error: OSError) -> str:
    """Why the system refused to open or read ``path``, in words that name the cause."""
    if isinstance(error, FileNotFoundError) and os.path.islink(path):
        return f"broken symbolic link to {os.readlink(path)}"
    return f"cannot read file: {error.strerror or error}"
