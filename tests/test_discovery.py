"""File discovery: recursion, the ignore list, explicit files, order, missing paths."""

from __future__ import annotations

from pathlib import Path

from rolelint.discovery import STDIN, discover


def _touch(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("{}")
    return path


def test_folders_are_walked_sorted_with_ignores(tmp_path: Path) -> None:
    _touch(tmp_path / "b" / "z.yaml")
    _touch(tmp_path / "a.json")
    _touch(tmp_path / "b" / "a.yml")
    _touch(tmp_path / "node_modules" / "x.yaml")
    _touch(tmp_path / ".git" / "config.json")
    _touch(tmp_path / ".terraform" / "m.json")
    _touch(tmp_path / "notes.txt")
    found = [Path(t.path).relative_to(tmp_path).as_posix() for t in discover([str(tmp_path)])]
    assert found == ["a.json", "b/a.yml", "b/z.yaml"]


def test_explicit_files_are_taken_whatever_the_suffix_and_only_once(tmp_path: Path) -> None:
    odd = _touch(tmp_path / "policy.txt")
    targets = list(discover([str(odd), str(odd), STDIN]))
    assert [(t.path, t.explicit) for t in targets] == [(str(odd), True), (STDIN, True)]


def test_missing_paths_are_reported_not_dropped(tmp_path: Path) -> None:
    [target] = discover([str(tmp_path / "missing.yaml")])
    assert target.missing
