"""Every rule fixture fires exactly the findings it declares, and every rule has fixtures.

The conventions (``# expect: RLxxx`` comments, ``.expected`` files for JSON) are described in
:mod:`tests.rules.harness`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from rolelint.catalog import load_catalog
from tests.rules.harness import (
    RULE_FIXTURES,
    describe,
    expected_findings,
    expected_in_folder,
    finding_set,
    fixture_files,
    fixture_id,
    is_terraform_fixture,
    lint_file,
    located_set,
)

BAD = fixture_files("bad")
GOOD = fixture_files("good")


@pytest.mark.parametrize("path", BAD, ids=fixture_id)
def test_bad_fixture_fires_exactly_what_it_declares(path: Path) -> None:
    expected = expected_findings(path)
    assert expected, f"{fixture_id(path)} declares no expected finding"
    assert path.parent.name in {rule_id for rule_id, _ in expected}, (
        f"{fixture_id(path)} never expects its own rule {path.parent.name}"
    )
    report = lint_file(path)
    assert report.errors == []
    if is_terraform_fixture(path):
        assert report.files_analyzed >= 1, "the module was skipped instead of analyzed"
        assert located_set(report.findings) == expected_in_folder(path), describe(report.findings)
        return
    assert report.files_analyzed == 1, "the fixture was skipped instead of analyzed"
    assert finding_set(report.findings) == expected, describe(report.findings)


@pytest.mark.parametrize("path", GOOD, ids=fixture_id)
def test_good_fixture_is_clean(path: Path) -> None:
    assert expected_findings(path) == set(), "a good fixture must not expect findings"
    report = lint_file(path)
    assert report.errors == []
    assert report.files_analyzed >= 1 if is_terraform_fixture(path) else report.files_analyzed == 1
    assert report.findings == [], describe(report.findings)


@pytest.mark.parametrize("rule_id", sorted(load_catalog()))
def test_every_rule_has_terraform_bad_and_good_fixtures(rule_id: str) -> None:
    """The same rule fires on Terraform as on CloudFormation: every rule proves it."""
    directory = RULE_FIXTURES / rule_id
    folders = [p.name for p in fixture_files() if p.parent == directory and is_terraform_fixture(p)]
    assert any(name.startswith("bad") for name in folders), f"{rule_id} has no bad Terraform"
    assert any(name.startswith("good") for name in folders), f"{rule_id} has no good Terraform"


@pytest.mark.parametrize("rule_id", sorted(load_catalog()))
def test_every_rule_has_bad_and_good_fixtures(rule_id: str) -> None:
    directory = RULE_FIXTURES / rule_id
    names = {path.name for path in fixture_files() if path.parent == directory}
    assert any(name.startswith("bad") for name in names), f"{rule_id} has no bad fixture"
    assert any(name.startswith("good") for name in names), f"{rule_id} has no good fixture"


def test_fixture_folders_name_catalog_rules() -> None:
    catalog = load_catalog()
    folders = [path.name for path in RULE_FIXTURES.iterdir() if path.is_dir()]
    assert [name for name in folders if name not in catalog] == []


def test_json_sidecars_belong_to_a_fixture() -> None:
    orphans = [
        sidecar
        for sidecar in RULE_FIXTURES.glob("*/*.expected")
        if not sidecar.with_name(sidecar.name.removesuffix(".expected")).exists()
    ]
    assert orphans == []


def test_expectation_markers_are_read_from_comments_and_sidecars(tmp_path: Path) -> None:
    template = tmp_path / "bad.yaml"
    template.write_text("a: 1\nb: '*'  # expect: RL101, RL206\nc: 2 # expect:RL102\n")
    assert expected_findings(template) == {("RL101", 2), ("RL206", 2), ("RL102", 3)}
    document = tmp_path / "bad.json"
    document.write_text("{}\n")
    assert expected_findings(document) == set()
    (tmp_path / "bad.json.expected").write_text("# why\n\n4 RL201\n7 RL203  # on Resource\n")
    assert expected_findings(document) == {("RL201", 4), ("RL203", 7)}
