"""A content-hash cache of parsed files, so an unchanged file is not parsed twice across runs.

Parsing is most of a scan's time (python-hcl2 reads about 0.1-0.3 MB/s, YAML with positions a
few MB/s); a pre-commit hook or a CI job that re-runs on a mostly unchanged repository should
pay it once.  An entry is keyed by what the parse depends on and nothing else: the file name
(positions name it), the text, and the code that parses it (rolelint's version and a digest of
the parser sources, so a development change invalidates entries too).

Entries are pickles, and unpickling runs code named in the data: a cache that someone else could
write would let them run code as you.  So the cache lives in your own cache folder (never in
the scanned repository), and every entry is signed with a random key kept in that folder
(HMAC-SHA256); an entry that is truncated, corrupt, signed with another key or written by
another version is ignored and replaced, never trusted.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import hmac
import os
import pickle
import re
import secrets
import stat
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, TypeVar

from rolelint import __version__
from rolelint.reading import read_regular_bytes

_MAGIC = b"RLCACHE1"
_KEY_FILE = "key"
# The folder of a cache where entries are written before they are renamed into place: one
# folder to sweep of what killed runs left, not each of the 256 an entry may go to.
_STAGING = "staging"
_KEY_SIZE = 32
_SIGNATURE = hashlib.sha256().digest_size

T = TypeVar("T")


def default_directory() -> Path:
    """``$ROLELINT_CACHE_DIR``, else ``$XDG_CACHE_HOME/rolelint``, else ``~/.cache/rolelint``."""
    explicit = os.environ.get("ROLELINT_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "rolelint"


@functools.lru_cache(maxsize=1)
def code_digest() -> str:
    """A digest of rolelint's code and data whose output is cached."""
    return digest_of(os.path.dirname(os.path.realpath(__file__)))


def digest_of(package: str) -> str:
    """A digest of the version and of :func:`digested_files` of ``package`` (rolelint's
    folder), by their names in it and their content."""
    digest = hashlib.sha256(__version__.encode())
    digest.update(library_stamp(_PARSING_LIBRARIES).encode())
    for path, content in digested_files(package).items():
        digest.update(os.path.relpath(path, package).replace(os.sep, "/").encode())
        digest.update(b"\0")
        digest.update(content)
    return digest.hexdigest()


# The libraries parsers hand the text to: what they return is what an entry holds.
_PARSING_LIBRARIES = ("yaml", "lark", "hcl2")


def library_stamp(names: tuple[str, ...]) -> str:
    """Where each library of ``names`` is installed, and the size and time of change of its
    ``__init__`` module: installing another version writes it anew.

    Upgrading python-hcl2 (its grammar), lark or PyYAML alone can change what a file parses
    to, and rolelint's version and code stay the same.  Asking each library its version would
    mean importing it, or importlib.metadata (30 ms, more than the rest of a cached run's
    start); finding and stating it costs well under a millisecond.  Reinstalling the same
    version also changes the stamp: the cache is then filled again, which is only slower.
    """
    import importlib.util

    parts = []
    for name in names:
        try:
            spec = importlib.util.find_spec(name)
        except (ImportError, ValueError):
            spec = None
        origin = spec.origin if spec is not None else None
        if origin is None:
            parts.append(f"{name} -")
            continue
        try:
            info = os.stat(origin)
        except OSError:
            parts.append(f"{name} {origin} -")
            continue
        # Not the folder's time: it changes when Python writes __pycache__ into it.
        parts.append(f"{name} {origin} {info.st_size}:{info.st_mtime_ns}")
    return "\n".join(parts)


# The modules whose results the cache keeps (what they hand to :func:`cached`): the parsers,
# and the readers of data that keep what they read.
_CACHING_MODULES = ("rolelint.data_files", "rolelint.iam_actions")
_PARSERS = "rolelint.parsers"
# Import statements naming rolelint modules: ``from rolelint.x import a, b`` (or ``(a, b)``),
# ``import rolelint.x``.  Two patterns with a literal start: one pattern starting at each
# line's indentation took 20 ms of every run to read the package.
_FROM_IMPORT = re.compile(rb"rolelint[\w.]*[ \t]+import[ \t]+(?:\([^)]*\)|[^\n#]*)")
_IMPORT = re.compile(rb"import[ \t]+rolelint[\w.]*")
_WORD = re.compile(rb"\w+")


def digested_files(package: str) -> dict[str, bytes]:
    """The files of ``package`` (rolelint's folder) whose content decides what a cached entry
    holds, in a fixed order, with their content.

    Every parser and caching module, every rolelint module they import (directly or through
    each other), and every data file of ``data/`` such a module names.  Found by reading their
    import statements, not listed: a list missed the AWS managed policies (managed_policies.py
    and its data file, whose documents and names CloudFormation permission sets and account
    exports put in their outcomes), and an outcome cached before they changed was used after.
    Modules are looked up by name as they are met: walking the package first took 10 ms.
    """
    parsers = os.path.join(package, "parsers")
    roots = [os.path.join(parsers, name) for name in os.listdir(parsers) if name.endswith(".py")]
    roots += [_module_file(package, name) or "" for name in _CACHING_MODULES]
    texts: dict[str, bytes] = {}
    files: dict[str, str | None] = {}  # module name: its file, looked up once
    read: set[bytes] = set()  # import statements read (the same one is in many modules)
    waiting = [path for path in roots if path]
    while waiting:
        path = waiting.pop()
        if path in texts:
            continue
        with open(path, "rb") as stream:
            texts[path] = text = stream.read()
        statements = {*_FROM_IMPORT.findall(text), *_IMPORT.findall(text)} - read
        read |= statements
        for name in _imported(statements, files, package):
            if (file := files[name]) is not None:
                waiting.append(file)
    data = os.path.join(package, "data")
    every_text = b"\0".join(texts.values())
    named = sorted(
        os.path.join(data, name)
        for name in (os.listdir(data) if os.path.isdir(data) else ())
        if name.encode() in every_text
    )
    found = {path: texts[path] for path in sorted(texts)}
    for path in named:
        with open(path, "rb") as stream:
            found[path] = stream.read()
    return found


def _module_file(package: str, name: str) -> str | None:
    """The file of module ``name`` (``rolelint.parsers.tree``) in ``package``, if it has one."""
    parts = name.split(".")[1:]
    base = os.path.join(package, *parts)
    for path in (base + ".py" if parts else None, os.path.join(base, "__init__.py")):
        if path is not None and os.path.isfile(path):
            return path
    return None


def _imported(statements: set[bytes], files: dict[str, str | None], package: str) -> list[str]:
    """The rolelint modules import ``statements`` may load, each looked up in ``files``
    (filled as needed): the module named, the packages above it, and, when it is a package,
    each name imported from it (``from rolelint import parse_cache``).  Prose that looks like
    an import only adds a module: never one too few."""
    found: list[str] = []
    for statement in statements:
        words = [word.decode() for word in _WORD.findall(statement)]
        at = words.index("rolelint")
        end = words.index("import", at) if "import" in words[at:] else len(words)
        parts = words[at:end]
        names = [".".join(parts[:count]) for count in range(1, len(parts) + 1)]
        _look_up(names, files, package)
        if (files[names[-1]] or "").endswith("__init__.py"):  # a package: names may be modules
            submodules = [f"{names[-1]}.{word}" for word in words[end + 1 :]]
            _look_up(submodules, files, package)
            names += submodules
        found += names
    return found


def _look_up(names: list[str], files: dict[str, str | None], package: str) -> None:
    for name in names:
        if name not in files:
            files[name] = _module_file(package, name)


class ParseCache:
    """Entries under ``directory``; every failure to read or write one is a miss, never an
    error: the cache may only make a scan faster."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._key: bytes | None = None
        self.hits = 0
        self.misses = 0

    def _signing_key(self) -> bytes | None:
        if self._key is None:
            self._key = signing_key(self.directory)
        return self._key

    def _path(self, kind: str, name: str, text: str) -> Path:
        digest = hashlib.sha256()
        for part in (code_digest(), kind, name):
            digest.update(part.encode("utf-8", "surrogatepass"))
            digest.update(b"\0")
        digest.update(text.encode("utf-8", "surrogatepass"))
        hexdigest = digest.hexdigest()
        return self.directory / hexdigest[:2] / hexdigest[2:]

    def holds(self, kind: str, name: str, text: str) -> bool:
        """Whether an entry is there, not read: one that turns out unusable is a miss later."""
        return self._signing_key() is not None and self._path(kind, name, text).is_file()

    def get(self, kind: str, name: str, text: str, expected: type = object) -> Any | None:
        """The entry, when it is an ``expected``: a signed entry of another type (written by
        another code, or by hand with the key) is a miss, not a crash of the run."""
        key = self._signing_key()
        if key is None:
            return None
        payload = read_signed(self._path(kind, name, text), key)
        if payload is None:
            return None
        try:
            found = pickle.loads(payload)
        except Exception:  # a signed but unreadable entry (another Python): a miss
            return None
        return found if isinstance(found, expected) else None

    def put(self, kind: str, name: str, text: str, value: Any) -> None:
        key = self._signing_key()
        if key is None:
            return
        try:
            payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # something unpicklable: not cached, still correct
            return
        path = self._path(kind, name, text)
        with contextlib.suppress(OSError):
            path.parent.mkdir(parents=True, exist_ok=True)
        write_signed(path, key, payload, staging_folder(self.directory))

    def find(self, kind: str, name: str, text: str, expected: type = object) -> Any | None:
        """:meth:`get`, counted as a hit when the entry is there."""
        found = self.get(kind, name, text, expected)
        if found is not None:
            self.hits += 1
        return found

    def lookup(
        self, kind: str, name: str, text: str, compute: Callable[[], T], expected: type = object
    ) -> T:
        found = self.find(kind, name, text, expected)
        if found is not None:
            return found  # type: ignore[no-any-return]
        self.misses += 1
        value = compute()
        self.put(kind, name, text, value)
        return value


def signing_key(directory: Path) -> bytes | None:
    """The folder's signing key, created (readable by you only) on first use; None when the
    folder cannot be used, which turns the cache off.

    A key file that holds no key (``garbage``, or empty: a run stopped while writing it, before
    keys were written aside) is replaced: kept, it turned the cache off for good, without a
    word.  Nothing signed with it can be trusted or lost, since nothing could be signed.

    Only a key only you can read or write is used (see :func:`_private`): a key someone else
    wrote (a shared ``ROLELINT_CACHE_DIR``) let them sign a pickle that ran code as you.  Such
    a key, or a folder anyone can write, turns the cache off, quietly as any other cache
    problem does (the scan is only slower); one of yours that others could read is replaced."""
    path = directory / _KEY_FILE
    if not _private_folder(directory):
        return None
    # Whether a file was there before it was read: a key another run links in place after
    # this read found none is that run's, to be read, not replaced (replacing it gave two runs
    # started at once two keys, and each missed the other's entries).
    existed = os.path.lexists(path)
    key = _read_key(path)
    if key is not None:
        return key
    if existed and _foreign(path):
        return None  # someone else's key: neither trusted nor taken over
    try:
        directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        _write_aside(directory / "CACHEDIR.TAG", _CACHEDIR_TAG)
        _install_key(path, replace=existed)
    except OSError:
        return None
    return _read_key(path)


_CACHEDIR_TAG = (
    b"Signature: 8a477f597d28d172789f06886806bc55\n# rolelint's parse cache; safe to delete.\n"
)


def _write_aside(path: Path, data: bytes, staging: Path | None = None) -> None:
    """Write ``data`` to a new file (in ``staging``, a folder on the same file system, else
    beside ``path``) and rename it to ``path``: opened for writing, a FIFO left at ``path``
    would wait for a reader for ever; renamed over, it is simply replaced.  The new file is
    removed whatever stops the write (Ctrl-C too): nothing reads a left one."""
    handle, temporary = tempfile.mkstemp(dir=staging or path.parent, prefix=".tmp-")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temporary)


def _read_key(path: Path) -> bytes | None:
    """The key in ``path``: its 32 bytes, else None (missing, unreadable, no key, or not
    private).  Only a regular file holds one: a FIFO or a device there is no key, never waited
    on or read."""
    key = read_regular_bytes(path, max_size=_KEY_SIZE, accept=_private)
    return key if key is not None and len(key) == _KEY_SIZE else None


def _private(status: os.stat_result) -> bool:
    """Whether a key file is yours alone: owned by you, neither readable nor writable by
    anyone else.  A key someone else wrote, or can read, lets them sign an entry, and an entry
    is a pickle that runs code as you when it is read.  Where there are no user ids (Windows),
    file modes say nothing of that either: the cache folder's place keeps it private there."""
    own_id = getattr(os, "getuid", None)
    if own_id is None:
        return True
    return status.st_uid == own_id() and not status.st_mode & (stat.S_IRWXG | stat.S_IRWXO)


def _foreign(path: Path) -> bool:
    """Whether ``path`` is a regular file someone else owns: their key is neither trusted nor
    replaced (the cache is off).  A file of yours that is no private key (garbage, or a key
    others may have read) is replaced by a new one; entries signed with the old are misses."""
    own_id = getattr(os, "getuid", None)
    if own_id is None:
        return False
    try:
        status = os.lstat(path)
    except (OSError, ValueError):
        return False
    return stat.S_ISREG(status.st_mode) and status.st_uid != own_id()


def _private_folder(directory: Path) -> bool:
    """Whether ``directory`` (the key's folder) is missing, or is not writable by others: in a
    folder anyone can write, anyone can put their own key and entries in place of yours."""
    if getattr(os, "getuid", None) is None:
        return True  # as for the key itself (see _private)
    try:
        status = os.stat(directory)
    except (OSError, ValueError):
        return True  # created below, yours alone; or it cannot be, and the cache is off
    return not status.st_mode & stat.S_IWOTH


def _install_key(path: Path, *, replace: bool) -> None:
    """Put a new random key at ``path``, written aside whole first: another run never reads
    half a key.  A new file is linked in place, which fails when another run has just created
    its own (the caller then reads theirs); a file holding no key is replaced.  Two runs
    replacing one at once both read the key that stayed: at worst an entry is written with the
    other, and is a miss later."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-key-")  # mode 0600
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(secrets.token_bytes(_KEY_SIZE))
        if replace:
            os.replace(temporary, path)
            return
        try:
            os.link(temporary, path)
        except FileExistsError:  # another run created it meanwhile: use theirs
            pass
        except OSError:  # no hard links on this file system
            if not os.path.lexists(path):
                os.replace(temporary, path)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temporary)


def read_signed(path: Path, key: bytes) -> bytes | None:
    """The payload of a file written by :func:`write_signed` with ``key``; None when it is
    missing, unreadable, not a regular file, truncated, corrupt or signed with another key."""
    # A regular file only (a FIFO there hung the run), of any size: a regular file ends.
    data = read_regular_bytes(path, max_size=None)
    if data is None:
        return None
    header = len(_MAGIC) + _SIGNATURE
    if len(data) < header or not data.startswith(_MAGIC):
        return None
    signature, payload = data[len(_MAGIC) : header], data[header:]
    if not hmac.compare_digest(signature, hmac.new(key, payload, hashlib.sha256).digest()):
        return None
    return payload


def staging_folder(directory: Path) -> Path:
    """Where what is kept in the cache folder ``directory`` is written before it is renamed
    into place (:func:`write_signed`): inside it, so on the same file system, where a rename
    is atomic."""
    return directory / _STAGING


def write_signed(path: Path, key: bytes, payload: bytes, staging: Path) -> None:
    """Keep ``payload`` at ``path``, signed with ``key``, written first in ``staging`` (the
    :func:`staging_folder` of the cache ``path`` is in); a failure to write is ignored."""
    signature = hmac.new(key, payload, hashlib.sha256).digest()
    with contextlib.suppress(OSError):
        staging.mkdir(mode=0o700, exist_ok=True)
        # Write aside, then rename: a reader never sees half an entry, and two runs at once
        # (pre-commit and an editor) cannot corrupt each other's.
        _write_aside(path, _MAGIC + signature + payload, staging)
        _sweep_once(staging, path)


# A file written aside is renamed within milliseconds; one this old was left by a run killed
# while writing it (SIGTERM, SIGKILL: nothing of the run's own removes it then).
STALE_TEMPORARY_SECONDS = 15 * 60

_swept: set[Path] = set()  # the staging folders this process has swept


def _sweep_once(folder: Path, written: Path) -> None:
    """Remove the ``.tmp-`` files of the staging folder ``folder`` older than
    :data:`STALE_TEMPORARY_SECONDS`, the first time this process writes through it: a killed
    run's file was never removed, and the cache grew.  Done on writing only (a run whose
    entries all hit lists no folder), and once per cache: every entry is written aside in its
    staging folder, so that one folder is listed, never the 256 entries go to.  A fresh one
    may be another run's write in progress and is left; age is told against ``written``, the
    entry just written, so that the clock compared is the file system's (a network cache's
    server may disagree with ours)."""
    if folder in _swept:
        return
    _swept.add(folder)
    try:
        cutoff = os.stat(written).st_mtime - STALE_TEMPORARY_SECONDS
        with os.scandir(folder) as entries:
            stale = [
                entry.path
                for entry in entries
                if entry.name.startswith(".tmp-")
                and entry.is_file(follow_symlinks=False)
                and entry.stat(follow_symlinks=False).st_mtime < cutoff
            ]
    except OSError:
        return
    for name in stale:
        with contextlib.suppress(OSError):
            os.unlink(name)


_active: ParseCache | None = None


@contextlib.contextmanager
def using(cache: ParseCache | None) -> Iterator[None]:
    """Parse with ``cache`` in the body (None: without a cache)."""
    global _active
    previous, _active = _active, cache
    try:
        yield
    finally:
        _active = previous


def set_process_cache(cache: ParseCache | None) -> None:
    """The cache of a worker process, for its whole life."""
    global _active
    _active = cache


def active() -> ParseCache | None:
    return _active


def stored(kind: str, name: str, text: str, expected: type = object) -> Any | None:
    """The entry for this file name and text remembered in this process (:func:`remembering`)
    or in the active cache, when it is an ``expected``; None without one."""
    found = _recalled((kind, name, text))
    if found is not None:
        return found
    return None if _active is None else _active.find(kind, name, text, expected)


def held(kind: str, name: str, text: str) -> bool:
    """Whether this process remembers (:func:`remembering`) or the active cache has an entry
    for this file name and text (not read)."""
    if _recalled((kind, name, text)) is not None:
        return True
    return _active is not None and _active.holds(kind, name, text)


def cached(kind: str, name: str, text: str, compute: Callable[[], T], expected: type = object) -> T:
    """``compute()``, or its result remembered in this process or cached for this file name
    and text (when it is an ``expected``, what ``compute`` returns: see ParseCache.get); kept
    as well when a step keeps what it parses for another (:func:`keeping`)."""
    found = _recalled((kind, name, text))
    if found is not None:
        return found  # type: ignore[no-any-return]
    result = compute() if _active is None else _active.lookup(kind, name, text, compute, expected)
    if _kept is not None and kind in _kept[1]:
        _kept[0][(kind, name, text)] = result
    return result


Entry = tuple[str, str, str]  # kind, file name, text

# What this process remembers (see remembering), the innermost first.
_remembered: tuple[Mapping[Entry, Any], ...] = ()
# What :func:`cached` keeps besides (see keeping): where, and of which kinds of entry.
_kept: tuple[dict[Entry, Any], frozenset[str]] | None = None


@contextlib.contextmanager
def remembering(results: Mapping[Entry, Any]) -> Iterator[None]:
    """In the body, :func:`cached`, :func:`stored` and :func:`held` answer from ``results``
    first, then from what an enclosing body remembers: what workers parsed ahead of the step
    that needs it (with or without a cache folder), what a step parsed for another
    (:func:`keeping`)."""
    global _remembered
    previous, _remembered = _remembered, (results, *_remembered)
    try:
        yield
    finally:
        _remembered = previous


def _recalled(entry: Entry) -> Any | None:
    """What this process remembers of ``entry`` (:func:`remembering`); None when nothing."""
    for results in _remembered:
        found = results.get(entry)
        if found is not None:
            return found
    return None


@contextlib.contextmanager
def keeping(results: dict[Entry, Any], kinds: Iterable[str]) -> Iterator[None]:
    """In the body, what :func:`cached` gives of the ``kinds`` of entry is kept in ``results``
    as well: a step parsing files another then reads (the search for the files linked to a
    named one, rolelint.template_readers, and the run reading those it found) hands them on
    (:func:`remembering`), so that the second parses none of them again, with or without a
    cache folder.  An entry is the parse of a file's name and text, the same whoever asks."""
    global _kept
    previous, _kept = _kept, (results, frozenset(kinds))
    try:
        yield
    finally:
        _kept = previous
