"""rolelint's own YAML data through the parse cache: parsed once, re-read when it changes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from rolelint import catalog, data_files, parse_cache
from rolelint.parse_cache import ParseCache
from tests.conftest import FIXTURES, run_python


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The texts data_files hands to PyYAML, in order."""
    seen: list[str] = []
    real = data_files._parse

    def counting(text: str) -> Any:
        seen.append(text)
        return real(text)

    monkeypatch.setattr(data_files, "_parse", counting)
    return seen


def test_a_cached_copy_is_used_only_while_every_file_is_unchanged(
    tmp_path: Path, parses: list[str]
) -> None:
    first, second = tmp_path / "a.yaml", tmp_path / "b.yaml"
    first.write_text("names: [x, y]\n")
    second.write_text("count: 1\n")
    with parse_cache.using(ParseCache(tmp_path / "cache")):
        loaded = data_files.load_yaml_files([first, second])
        assert data_files.load_yaml_files([first, second]) == loaded
        assert loaded == [{"names": ["x", "y"]}, {"count": 1}]
        assert len(parses) == 2  # parsed once, then read from the cache
        second.write_text("count: 2\n")
        assert data_files.load_yaml_files([first, second]) == [{"names": ["x", "y"]}, {"count": 2}]
        assert len(parses) == 4  # one file changed: both read again, as one entry


def test_without_a_cache_every_load_parses(tmp_path: Path, parses: list[str]) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("retrieved: '2026-11-23'\n")
    with parse_cache.using(None):
        assert (
            data_files.load_yaml(path) == data_files.load_yaml(path) == {"retrieved": "2026-11-23"}
        )
    assert len(parses) == 2


def test_the_catalog_from_the_cache_is_the_catalog(tmp_path: Path, parses: list[str]) -> None:
    catalog.load_catalog.cache_clear()
    try:
        with parse_cache.using(None):
            parsed = catalog.load_catalog()
        catalog.load_catalog.cache_clear()
        with parse_cache.using(ParseCache(tmp_path / "cache")):
            catalog.load_catalog()  # stores it
            catalog.load_catalog.cache_clear()
            count = len(parses)
            assert catalog.load_catalog() == parsed
            assert len(parses) == count  # nothing parsed the second time
    finally:
        catalog.load_catalog.cache_clear()


def test_a_warm_run_of_json_files_does_not_import_pyyaml(tmp_path: Path) -> None:
    """The rule catalog, the managed policies and the service principals come from the cache,
    and so does every JSON file: nothing needs PyYAML (about 15 ms to import)."""
    project = tmp_path / "project"
    project.mkdir()
    for path in sorted((FIXTURES / "rules").rglob("*.json"))[:5]:
        (project / path.name).write_bytes(path.read_bytes())
    code = (
        "import sys\n"
        "from rolelint.cli import main\n"
        "try:\n"
        f"    main(['check', {str(project)!r}, '--jobs', '1'])\n"
        "except SystemExit:\n"
        "    print('yaml' in sys.modules)\n"
    )

    def yaml_imported() -> str:
        environment = {"PATH": "/usr/bin:/bin", "ROLELINT_CACHE_DIR": str(tmp_path / "cache")}
        result = run_python(code, env=environment)
        return result.stdout.strip().splitlines()[-1]

    assert yaml_imported() == "True"  # cold: the data files are parsed
    assert yaml_imported() == "False"
