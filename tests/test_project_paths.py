"""Files named from the project's root (the configuration's folder), for fingerprints and the
baseline: the same from wherever the run starts, and as before from the root itself."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from rolelint.project_paths import RunNames, project_path
from rolelint.reading import STDIN_NAME


def test_a_run_from_the_root_names_files_as_before(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    root = str(tmp_path)
    assert project_path("infra/a.yaml", root) == os.path.join("infra", "a.yaml")
    assert project_path("a.yaml", None) == "a.yaml"  # no configuration: as named
    assert project_path(STDIN_NAME, root) == STDIN_NAME


def test_a_run_from_a_subfolder_names_files_from_the_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "infra").mkdir()
    monkeypatch.chdir(tmp_path / "infra")
    root = str(tmp_path)
    assert project_path("a.yaml", root) == os.path.join("infra", "a.yaml")
    assert project_path(str(tmp_path / "infra" / "a.yaml"), root) == os.path.join("infra", "a.yaml")
    outside = str(tmp_path.parent / "elsewhere.yaml")
    assert project_path(outside, root) == outside  # outside the root: as named


def test_a_recorded_file_is_named_as_the_run_names_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "infra").mkdir()
    monkeypatch.chdir(tmp_path / "infra")
    names = RunNames(str(tmp_path), ["a.yaml"])
    assert names.name("infra/a.yaml") == "a.yaml"  # as scanned
    assert names.name("infra/gone.yaml") == "gone.yaml"  # relative to the working folder
    assert names.name("other/b.yaml") == str(tmp_path / "other" / "b.yaml")
    assert RunNames(None, ["a.yaml"]).name("infra/a.yaml") == "infra/a.yaml"
