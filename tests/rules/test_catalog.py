"""The rule catalog: valid against its schema, in step with the checks, examples that run."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from rolelint.catalog import RULE_CLASSES, Rule, catalog_dir, load_catalog
from rolelint.checks import load_checks
from tests.rules.harness import describe, lint_text

RULES_DIR = catalog_dir()
RULE_FILES = sorted(RULES_DIR.glob("RL*.yaml"))
SCHEMA = json.loads((RULES_DIR / "schema.json").read_text(encoding="utf-8"))


def _load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_schema_is_valid_draft_2020_12() -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


def test_schema_classes_are_the_catalog_classes() -> None:
    assert tuple(SCHEMA["properties"]["class"]["enum"]) == RULE_CLASSES


@pytest.mark.parametrize("path", RULE_FILES, ids=lambda path: path.stem)
def test_rule_file_validates(path: Path) -> None:
    data = _load(path)
    jsonschema.Draft202012Validator(SCHEMA).validate(data)
    assert data["id"] == path.stem


def test_schema_rejects_a_bad_example_without_lines() -> None:
    data = _load(RULE_FILES[0])
    data["examples"] = [
        {"kind": "bad", "format": "json", "code": "{}"},
        {"kind": "good", "format": "json", "code": "{}"},
    ]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(SCHEMA).validate(data)


def test_schema_rejects_unknown_keys() -> None:
    data = _load(RULE_FILES[0])
    data["typo"] = 1
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(SCHEMA).validate(data)


def test_names_are_unique() -> None:
    names = [rule.name for rule in load_catalog().values()]
    assert sorted(names) == sorted(set(names))


def test_every_rule_has_a_check_and_every_check_a_rule() -> None:
    catalog = set(load_catalog())
    checks = set(load_checks())
    assert sorted(catalog - checks) == [], "catalog rules without a check"
    assert sorted(checks - catalog) == [], "checks without a catalog entry"


def _examples(kind: str) -> list[tuple[Rule, int]]:
    return [
        (rule, index)
        for rule in load_catalog().values()
        for index, example in enumerate(rule.examples)
        if example.kind == kind
    ]


def _example_id(case: tuple[Rule, int]) -> str:
    return f"{case[0].id}-{case[1]}"


@pytest.mark.parametrize("case", _examples("bad"), ids=_example_id)
def test_bad_example_fires_at_its_lines(case: tuple[Rule, int], tmp_path: Path) -> None:
    rule, index = case
    example = rule.examples[index]
    report = lint_text(example.code, example.format, tmp_path, config=example.config)
    assert report.errors == []
    assert report.files_analyzed == 1
    lines = {f.location.line for f in report.findings if f.rule_id == rule.id}
    assert lines == set(example.lines), describe(report.findings)


@pytest.mark.parametrize("case", _examples("good"), ids=_example_id)
def test_good_example_does_not_fire(case: tuple[Rule, int], tmp_path: Path) -> None:
    rule, index = case
    example = rule.examples[index]
    report = lint_text(example.code, example.format, tmp_path, config=example.config)
    assert report.errors == []
    assert report.files_analyzed == 1
    assert [f for f in report.findings if f.rule_id == rule.id] == [], describe(report.findings)
