"""File discovery: recursion, the ignore list, explicit files, order, missing paths."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from rolelint.api import lint_paths
from rolelint.discovery import IGNORED_DIRECTORIES, STDIN, discover, tidy_path
from rolelint.parsers import is_supported
from tests.conftest import nest_folders, remove_deep_tree


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


_TRUSTED_ELSEWHERE = """resource "aws_iam_role" "ci" {
  name = "ci"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { AWS = "arn:aws:iam::444455556666:root" }
    }]
  })
}
"""


@pytest.mark.parametrize("copies", [".terragrunt-stack", ".terragrunt-cache"])
def test_terragrunt_copies_of_a_unit_are_walked_past_but_read_when_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, copies: str
) -> None:
    """``terragrunt stack generate`` copies each unit into ``.terragrunt-stack/<path>/`` (as
    ``.terragrunt-cache`` holds the copies ``terragrunt plan`` makes): walked, every finding
    came once per copy, each with its own fingerprint, so no baseline covered the copies."""
    for unit in ["units/ci-role", f"live/dev/{copies}/ci-role", f"live/prod/{copies}/ci-role"]:
        (tmp_path / unit).mkdir(parents=True)
        (tmp_path / unit / "main.tf").write_text(_TRUSTED_ELSEWHERE)
    monkeypatch.chdir(tmp_path)
    report = lint_paths(["."])
    assert [(f.rule_id, f.location.file, f.location.line) for f in report.findings] == [
        ("RL102", os.path.join("units", "ci-role", "main.tf"), 8)
    ]
    copy = os.path.join("live", "dev", copies, "ci-role")
    for named in [os.path.join(copy, "main.tf"), copy, os.path.join("live", "dev", copies)]:
        assert [(f.rule_id, f.location.file) for f in lint_paths([named]).findings] == [
            ("RL102", os.path.join(copy, "main.tf"))
        ]


def test_explicit_files_are_taken_whatever_the_suffix_and_only_once(tmp_path: Path) -> None:
    odd = _touch(tmp_path / "policy.txt")
    targets = list(discover([str(odd), str(odd), STDIN]))
    assert [(t.path, t.explicit) for t in targets] == [(str(odd), True), (STDIN, True)]


def test_a_file_has_one_name_however_it_is_reached(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _touch(tmp_path / "a.yaml")
    _touch(tmp_path / "b" / "c.json")
    monkeypatch.chdir(tmp_path)
    named = [".", "./a.yaml", "a.yaml", "b/", ".//b/./c.json"]
    assert [t.path for t in discover(named)] == ["a.yaml", os.path.join("b", "c.json")]


def test_standard_input_named_twice_is_one_target() -> None:
    """Read twice, the second read was empty: one text counted as two files."""
    assert [t.path for t in discover([STDIN, STDIN, f".{os.sep}{STDIN}"])] == [
        STDIN,
        f".{os.sep}{STDIN}",
    ]


def test_tidy_paths_keep_what_changes_the_file_they_name() -> None:
    assert tidy_path("./x/../y.yaml") == os.path.join("x", "..", "y.yaml")  # x may be a link
    assert tidy_path(os.sep + os.path.join("abs", ".", "t.yaml")) == os.sep + os.path.join(
        "abs", "t.yaml"
    )
    assert [tidy_path(p) for p in (".", "./", STDIN, "")] == [".", ".", STDIN, ""]
    assert tidy_path("./-") == "./-"  # a file named "-", not standard input


def test_missing_paths_are_reported_not_dropped(tmp_path: Path) -> None:
    [target] = discover([str(tmp_path / "missing.yaml")])
    assert target.missing


def test_a_folder_deeper_than_the_recursion_limit_is_walked(tmp_path: Path) -> None:
    # os.walk recursed once per level before Python 3.12: 1,000 levels raised RecursionError,
    # which ended the whole run with an internal error.
    depth = sys.getrecursionlimit() + 50
    _touch(tmp_path / "top.json")
    try:
        _touch(nest_folders(tmp_path, "d", depth) / "deep.json")
        found = [Path(t.path).relative_to(tmp_path) for t in discover([str(tmp_path)])]
    finally:
        remove_deep_tree(tmp_path / "d")
    assert found == [Path("top.json"), Path(*["d"] * depth, "deep.json")]


def _os_walk_order(root: Path, excluded: Callable[[str], bool]) -> list[tuple[str, bool]]:
    """The walk as rolelint did it with ``os.walk``: the order and marks the new walk keeps."""
    found: list[tuple[str, bool]] = []
    for directory, subdirectories, files in os.walk(root):
        kept = []
        for name in sorted(subdirectories):
            path = os.path.join(directory, name)
            if name in IGNORED_DIRECTORIES:
                continue
            if excluded(path):
                found.append((path, True))
            else:
                kept.append(name)
        subdirectories[:] = kept
        found += [
            (os.path.join(directory, name), excluded(os.path.join(directory, name)))
            for name in sorted(files)
            if is_supported(name)
        ]
    return found


def test_the_walk_keeps_the_order_and_marks_of_os_walk(tmp_path: Path) -> None:
    for name in ["b/z.yaml", "b/a/x.json", "a.json", "c/skip/s.json", "c/k.tf", "B/q.yml"]:
        _touch(tmp_path / name)
    _touch(tmp_path / ".git" / "config.json")
    (tmp_path / "b" / "notes.txt").write_text("")
    os.symlink(tmp_path / "b", tmp_path / "linked")  # a linked folder: not walked
    # A linked file is read (here its file is not scanned under another name).
    os.symlink(tmp_path / ".git" / "config.json", tmp_path / "b" / "linked.json")
    os.symlink(tmp_path / "nowhere.json", tmp_path / "broken.json")  # read, to say it is broken

    def excluded(path: str) -> bool:
        return path.endswith(("skip", "x.json"))

    walked = [(t.path, t.excluded) for t in discover([str(tmp_path)], excluded)]
    assert walked == _os_walk_order(tmp_path, excluded)
    assert (str(tmp_path / "c" / "skip"), True) in walked
    assert str(tmp_path / "broken.json") in dict(walked)


def test_a_file_reached_under_two_names_is_read_once_under_the_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A link to a scanned file, or a folder and an absolute name of a file in it: reading it
    twice reported its findings twice, under two names and fingerprints."""
    _touch(tmp_path / "a.json")
    _touch(tmp_path / "b" / "c.json")
    os.symlink(os.path.join("..", "a.json"), tmp_path / "b" / "a-link.json")
    os.symlink(os.path.join("b", "c.json"), tmp_path / "c-link.json")
    os.symlink("b", tmp_path / "linked")
    monkeypatch.chdir(tmp_path)
    assert [t.path for t in discover(["."])] == ["a.json", "c-link.json"]
    named = [".", str(tmp_path / "b" / "c.json"), "linked/c.json", "b/a-link.json"]
    assert [t.path for t in discover(named)] == ["a.json", "c-link.json"]
    assert [t.path for t in discover(["b", "."])] == [
        os.path.join("b", "a-link.json"),
        os.path.join("b", "c.json"),
    ]


def test_links_without_a_file_and_terraform_files_are_each_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A broken link is read to say it is broken, whatever else points where it points; a
    linked .tf file belongs to the module (folder) the link is in."""
    _touch(tmp_path / "m" / "main.tf")
    (tmp_path / "n").mkdir()
    os.symlink(os.path.join("..", "m", "main.tf"), tmp_path / "n" / "main.tf")
    os.symlink("gone.json", tmp_path / "x.json")
    os.symlink("gone.json", tmp_path / "y.json")
    monkeypatch.chdir(tmp_path)
    assert [t.path for t in discover(["."])] == [
        "x.json",
        "y.json",
        os.path.join("m", "main.tf"),
        os.path.join("n", "main.tf"),
    ]


def test_a_tfvars_file_read_on_its_own_is_read_once_under_its_first_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``prod.tfvars`` is read on its own, not with its module: reached as ``tv`` and as
    ``$PWD/tv/prod.tfvars``, its error was reported twice, and it was skipped twice."""
    (tmp_path / "tv").mkdir()
    (tmp_path / "tv" / "main.tf").write_text('variable "x" {}\n')
    (tmp_path / "tv" / "prod.tfvars").write_text("x = {\n")
    monkeypatch.chdir(tmp_path)
    named = ["tv", str(tmp_path / "tv" / "prod.tfvars")]
    assert [t.path for t in discover(named)] == [
        os.path.join("tv", "main.tf"),
        os.path.join("tv", "prod.tfvars"),
    ]
    report = lint_paths(named)
    assert [(e.file, e.line, e.message) for e in report.errors] == [
        (os.path.join("tv", "prod.tfvars"), 1, "invalid HCL: unexpected end of file")
    ]
    (tmp_path / "tv" / "prod.tfvars").write_text("x = 1\n")
    report = lint_paths(named)
    assert (report.errors, report.files_skipped) == ([], 1)
