"""The rule catalog: one YAML file per rule in ``rules/`` (shipped in the wheel).

The catalog is the single source of truth for everything a user reads about a rule: ``rolelint
rules``, ``rolelint explain``, SARIF rule metadata and the rule index all come from it.  Full JSON
Schema validation runs in the tests (jsonschema costs more to import than loading the catalog);
loading checks only what the program itself relies on.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rolelint.findings import Severity

RULE_CLASSES = (
    "trust-wildcard",
    "cross-account-no-external-id",
    "federated-trust-unscoped",
    "admin-access",
    "wildcard-action",
    "wildcard-resource",
    "not-action",
    "privilege-escalation",
    "assume-any-role",
    "session-duration",
    "chaining",
    "imdsv2",
    "invalid-policy",
)

_REQUIRED = ("id", "name", "class", "severity", "summary", "rationale", "remediation")


class CatalogError(Exception):
    """The catalog shipped with rolelint is broken: a packaging bug, never a user error."""


@dataclass(frozen=True, slots=True)
class RuleExample:
    kind: str  # "bad" or "good"
    format: str  # file extension the example is written in: "yaml", "json"
    code: str
    lines: tuple[int, ...] = ()  # for bad examples: the lines the rule must report
    config: dict[str, Any] | None = None  # .rolelint.yaml settings the example needs


@dataclass(frozen=True, slots=True)
class RuleOption:
    """A setting a rule reads, declared in its catalog entry so the configuration can be
    validated against it and the documentation can list it."""

    name: str
    type: str  # "integer", "string" or "boolean"
    default: Any
    description: str
    minimum: int | None = None
    maximum: int | None = None
    shorthand: str | None = None  # a top-level configuration key that sets it

    def json_schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": self.type, "description": self.description}
        if self.minimum is not None:
            schema["minimum"] = self.minimum
        if self.maximum is not None:
            schema["maximum"] = self.maximum
        return schema


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    name: str
    rule_class: str
    severity: Severity
    summary: str
    rationale: str
    remediation: str
    references: tuple[str, ...] = ()
    examples: tuple[RuleExample, ...] = ()
    options: tuple[RuleOption, ...] = ()

    @property
    def help_uri(self) -> str | None:
        return self.references[0] if self.references else None


def catalog_dir() -> Path:
    """The installed catalog (inside the package) or, from a source checkout, ``rules/``."""
    package = Path(__file__).resolve().parent
    installed = package / "_catalog"
    if installed.is_dir():
        return installed
    return package.parent / "rules"


def _rule_from(data: Any, path: Path) -> Rule:
    if not isinstance(data, dict) or any(key not in data for key in _REQUIRED):
        raise CatalogError(f"{path}: a rule needs {', '.join(_REQUIRED)}")
    if data["id"] != path.stem:
        raise CatalogError(f"{path}: id {data['id']!r} does not match the file name")
    if data["class"] not in RULE_CLASSES:
        raise CatalogError(f"{path}: unknown class {data['class']!r}")
    examples = tuple(
        RuleExample(
            kind=str(example["kind"]),
            format=str(example.get("format", "yaml")),
            code=str(example["code"]),
            lines=tuple(int(line) for line in example.get("lines", ())),
            config=example.get("config"),
        )
        for example in data.get("examples", ())
    )
    return Rule(
        id=data["id"],
        name=data["name"],
        rule_class=data["class"],
        severity=Severity(data["severity"]),
        summary=str(data["summary"]).strip(),
        rationale=str(data["rationale"]).strip(),
        remediation=str(data["remediation"]).strip(),
        references=tuple(str(ref) for ref in data.get("references", ())),
        examples=examples,
        options=tuple(
            RuleOption(
                name=str(name),
                type=str(option["type"]),
                default=option["default"],
                description=str(option["description"]).strip(),
                minimum=option.get("minimum"),
                maximum=option.get("maximum"),
                shorthand=option.get("shorthand"),
            )
            for name, option in (data.get("options") or {}).items()
        ),
    )


@functools.lru_cache(maxsize=1)
def load_catalog() -> dict[str, Rule]:
    """All rules by id, in id order."""
    from rolelint.data_files import load_yaml_files

    directory = catalog_dir()
    paths = sorted(directory.glob("RL*.yaml"))
    rules: dict[str, Rule] = {}
    for path, data in zip(paths, load_yaml_files(paths), strict=True):
        rule = _rule_from(data, path)
        rules[rule.id] = rule
    if not rules:
        raise CatalogError(f"no rules found in {directory}")
    return rules


def find_rule(key: str) -> Rule | None:
    """A rule by id (case-insensitive) or by name."""
    rules = load_catalog()
    wanted = key.strip()
    if wanted.upper() in rules:
        return rules[wanted.upper()]
    return next((rule for rule in rules.values() if rule.name == wanted.lower()), None)
