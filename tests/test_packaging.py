"""The built wheel carries the rule catalog inside the package and the installed copy finds it."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

from tests.conftest import REPO, run_python


def test_installed_wheel_finds_its_rules(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(wheels),
            str(REPO),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    [wheel] = wheels.glob("rolelint-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    shipped = sorted(n.rsplit("/", 1)[1] for n in names if n.startswith("rolelint/_catalog/"))
    expected = sorted(p.name for p in (REPO / "rules").iterdir() if p.is_file())
    assert shipped == expected
    assert not any(name.startswith("rules/") for name in names), "rules/ must not be top-level"
    assert "rolelint/data/aws_managed_policies.yaml" in names
    assert "rolelint/data/service_principals.yaml" in names

    site = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "-q",
            "--target",
            str(site),
            str(wheel),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    probe = (
        "from rolelint.catalog import catalog_dir, load_catalog;"
        "from rolelint.managed_policies import DATA, known_policies;"
        "assert DATA.is_file() and known_policies();"
        "print(catalog_dir()); print(len(load_catalog()))"
    )
    env = {**os.environ, "PYTHONPATH": str(site)}
    result = run_python(probe, env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    directory, count = result.stdout.split()
    assert Path(directory).is_relative_to(site)
    assert int(count) == len(list((REPO / "rules").glob("RL*.yaml")))
