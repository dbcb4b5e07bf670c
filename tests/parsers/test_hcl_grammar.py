"""python-hcl2's parser: compiled once, kept signed in rolelint's cache folder, and the kept
tables parse exactly as freshly compiled ones."""

from __future__ import annotations

import marshal
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from lark import Token, Tree

from rolelint.parse_cache import read_signed, signing_key, staging_folder, write_signed
from rolelint.parsers import hcl_grammar
from tests.conftest import REPO, run_python

PARSE = "from rolelint.parsers.hcl_adapter import parse_hcl; parse_hcl('a = 1')"


def _options() -> dict[str, Any]:
    return {"propagate_positions": True, "postlex": hcl_grammar.PostLexer()}


@pytest.fixture(scope="module")
def compiled() -> Any:
    """A parser compiled from the grammar now, not loaded from any cache: rolelint's, as the
    tables it keeps are (python-hcl2's own no longer parses every fixture alike)."""
    import lark

    return lark.Lark(hcl_grammar.grammar_text(), parser="lalr", **_options())


@pytest.fixture()
def kept(compiled: Any, tmp_path: Path) -> tuple[Path, bytes]:
    """The compiled parser's tables, kept as rolelint keeps them."""
    key = signing_key(tmp_path)
    assert key is not None
    path = tmp_path / "hcl2-grammar-test.marshal"
    hcl_grammar._store(compiled, path, key)
    return path, key


def _nodes(tree: Any) -> Iterator[tuple[Any, ...]]:
    """Every node and token with its kind, text and position, in order."""
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, Token):
            yield (node.type, str(node), node.line, node.column, node.end_line, node.end_column)
        elif isinstance(node, Tree):
            meta = node.meta
            place = () if meta.empty else (meta.line, meta.column, meta.end_line, meta.end_column)
            yield (node.data, len(node.children), *place)
            stack.extend(reversed(node.children))
        else:
            yield (repr(node),)


def _outcome(parser: Any, text: str) -> tuple[Any, ...]:
    from lark.exceptions import UnexpectedInput

    try:
        return ("tree", *_nodes(parser.parse(text)))
    except UnexpectedInput as error:
        return ("error", type(error).__name__, error.line, error.column)


def test_kept_tables_parse_every_terraform_fixture_as_compiled_ones(
    compiled: Any, kept: tuple[Path, bytes]
) -> None:
    loaded = hcl_grammar._load(*kept, _options())
    assert loaded is not None
    files = sorted((REPO / "fixtures").rglob("*.tf"))
    assert len(files) > 100
    broken = 0
    for path in files:
        text = path.read_text(encoding="utf-8") + "\n"
        assert _outcome(loaded, text) == _outcome(compiled, text), path
        broken += _outcome(compiled, text)[0] == "error"
    assert 0 < broken < len(files) / 10  # the bad-input fixtures fail to parse: alike


def test_kept_tables_fail_on_broken_input_where_compiled_ones_do(
    compiled: Any, kept: tuple[Path, bytes]
) -> None:
    from lark.exceptions import UnexpectedInput

    loaded = hcl_grammar._load(*kept, _options())
    assert loaded is not None
    for text in ('resource "a" "b" {\n  x = [1,\n}\n', "a = 1 +\n", 'a = "${b\n'):
        with pytest.raises(UnexpectedInput) as expected:
            compiled.parse(text)
        with pytest.raises(UnexpectedInput) as raised:
            loaded.parse(text)
        assert (raised.value.line, raised.value.column) == (
            expected.value.line,
            expected.value.column,
        )


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda data: data[: len(data) // 2], id="truncated"),
        pytest.param(lambda data: data[:-1] + bytes([data[-1] ^ 1]), id="one bit changed"),
        pytest.param(lambda data: b"", id="empty"),
    ],
)
def test_damaged_tables_are_not_loaded(kept: tuple[Path, bytes], damage: Any) -> None:
    path, key = kept
    path.write_bytes(damage(path.read_bytes()))
    assert hcl_grammar._load(path, key, _options()) is None


def test_tables_signed_with_another_key_are_not_loaded(kept: tuple[Path, bytes]) -> None:
    path, key = kept
    assert hcl_grammar._load(path, bytes(32), _options()) is None
    assert hcl_grammar._load(path, key, _options()) is not None


@pytest.mark.parametrize("payload", [b"not marshal data", marshal.dumps({"data": 1})])
def test_signed_data_that_is_not_tables_is_not_loaded(tmp_path: Path, payload: bytes) -> None:
    key = signing_key(tmp_path)
    assert key is not None
    path = tmp_path / "tables"
    write_signed(path, key, payload, staging_folder(tmp_path))
    assert read_signed(path, key) == payload
    assert hcl_grammar._load(path, key, _options()) is None


def test_the_grammar_is_compiled_once_then_loaded(tmp_path: Path) -> None:
    """The first parse compiles the grammar (about 1.5 s) and keeps it; a later run must load
    it, not compile and write it again.  lark's own cache files, left by earlier versions, go."""
    cache = tmp_path / "cache"
    cache.mkdir()
    legacy = cache / "hcl2-grammar-0123456789abcdef-lark-1.2.2.cache"
    legacy.write_bytes(b"an unsigned pickle")
    environment = {**os.environ, "ROLELINT_CACHE_DIR": str(cache)}
    assert run_python(PARSE, env=environment).returncode == 0
    kept = list(cache.glob("hcl2-grammar-*"))
    assert [path.suffix for path in kept] == [".marshal"]
    assert stat.S_IMODE(kept[0].stat().st_mode) == 0o600  # tempfile's mode, kept on rename
    first = kept[0].stat()
    assert first.st_size > 100_000
    result = run_python(PARSE, env=environment)
    assert result.returncode == 0, result.stderr
    again = kept[0].stat()
    assert (again.st_ino, again.st_mtime_ns) == (first.st_ino, first.st_mtime_ns)


def test_damaged_tables_are_compiled_and_kept_again(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    environment = {**os.environ, "ROLELINT_CACHE_DIR": str(cache)}
    assert run_python(PARSE, env=environment).returncode == 0
    [kept] = cache.glob("hcl2-grammar-*")
    kept.write_bytes(kept.read_bytes()[:1000])
    result = run_python(PARSE, env=environment)
    assert result.returncode == 0, result.stderr
    key = signing_key(cache)
    assert key is not None
    payload = read_signed(kept, key)
    assert payload is not None and len(payload) > 100_000


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes")
def test_pipes_in_place_of_the_key_the_tag_and_the_tables_are_replaced(tmp_path: Path) -> None:
    """The tables are loaded on every Terraform run, --no-cache too: a FIFO left as the key
    made every run wait for a writer for ever.  Pipes are no key and no tables: replaced."""
    cache = tmp_path / "cache"
    environment = {**os.environ, "ROLELINT_CACHE_DIR": str(cache)}
    assert run_python(PARSE, env=environment).returncode == 0
    [kept] = cache.glob("hcl2-grammar-*")
    for path in (kept, cache / "key", cache / "CACHEDIR.TAG"):
        path.unlink()
        os.mkfifo(path)
    result = run_python(PARSE, env=environment)
    assert result.returncode == 0, result.stderr
    for path in (kept, cache / "key", cache / "CACHEDIR.TAG"):
        assert stat.S_ISREG(path.lstat().st_mode), path
    key = signing_key(cache)
    assert key is not None and read_signed(kept, key) is not None


@pytest.fixture()
def temporary_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shared = tmp_path / "tmp"
    shared.mkdir()
    monkeypatch.setattr("rolelint.parsers.hcl_grammar.tempfile.gettempdir", lambda: str(shared))
    return shared / f"rolelint-{os.getuid()}"


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX owners and modes")
def test_a_private_temporary_folder_is_made_for_you_alone(temporary_folder: Path) -> None:
    assert hcl_grammar._private_temporary_folder() == temporary_folder
    assert stat.S_IMODE(temporary_folder.stat().st_mode) & 0o077 == 0


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX owners and modes")
def test_a_temporary_folder_others_can_write_is_not_used(temporary_folder: Path) -> None:
    """Someone who made the folder first could leave tables and the key that signs them."""
    temporary_folder.mkdir()
    temporary_folder.chmod(0o777)
    assert hcl_grammar._private_temporary_folder() is None


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX owners and modes")
def test_a_temporary_folder_that_is_a_link_is_not_used(
    temporary_folder: Path, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir(mode=0o700)
    temporary_folder.symlink_to(elsewhere)
    assert hcl_grammar._private_temporary_folder() is None


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX owners and modes")
def test_an_unwritable_cache_folder_falls_back_to_the_private_temporary_folder(
    temporary_folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("ROLELINT_CACHE_DIR", str(blocked / "cache"))
    place = hcl_grammar._cache_file("grammar")
    assert place is not None
    assert place[0].parent == temporary_folder
    assert place[0].name.startswith("hcl2-grammar-")


def test_the_file_name_follows_the_grammar(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ROLELINT_CACHE_DIR", str(tmp_path))
    one = hcl_grammar._cache_file("a = 1")
    other = hcl_grammar._cache_file("a = 2")
    assert one is not None and other is not None
    assert one[0] != other[0] and one[0].parent == other[0].parent == tmp_path


CLAIMED = "from rolelint import process_owner; process_owner.claim(); "


def test_the_command_line_reads_hcl_without_importing_regex() -> None:
    """lark imports ``regex`` (13 ms) whenever it is installed; python-hcl2's grammar does not
    need it.  It stays importable: python-hcl2's own package imports it."""
    probe = (
        "import sys; " + CLAIMED + PARSE + "; import lark.utils; "
        "print('regex' in sys.modules, lark.utils._has_regex); "
        "import hcl2, regex; print(hcl2.loads('a = 1')['a'], regex.__name__)"
    )
    result = run_python(probe)
    assert result.stdout.split() == ["False", "False", "1", "regex"], result.stderr


def test_an_application_importing_rolelint_keeps_lark_with_regex() -> None:
    probe = "import sys; " + PARSE + "; import lark.utils; print(lark.utils._has_regex)"
    result = run_python(probe)
    assert result.stdout.split() == ["True"], result.stderr


def test_tables_compiled_without_regex_parse_as_ones_compiled_with_it(
    compiled: Any, tmp_path: Path
) -> None:
    environment = {**os.environ, "ROLELINT_CACHE_DIR": str(tmp_path)}
    result = run_python(CLAIMED + PARSE, env=environment)
    assert result.returncode == 0, result.stderr
    [kept] = tmp_path.glob("hcl2-grammar-*")
    key = signing_key(tmp_path)
    assert key is not None
    loaded = hcl_grammar._load(kept, key, _options())
    assert loaded is not None
    for path in sorted((REPO / "fixtures").rglob("*.tf")):
        text = path.read_text(encoding="utf-8") + "\n"
        assert _outcome(loaded, text) == _outcome(compiled, text), path
