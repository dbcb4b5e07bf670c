"""Shared helpers for the CloudFormation parser tests: parse a fixture, find model elements."""

from __future__ import annotations

from pathlib import Path

from rolelint.model import Identity, Inventory, Role, Value
from rolelint.parsers import parse_source

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "parsers" / "cloudformation"


def parse_fixture(name: str) -> Inventory:
    path = FIXTURES / name
    outcome = parse_source(str(path), path.read_text(encoding="utf-8"))
    assert outcome.format == "cloudformation"
    assert not outcome.errors
    return outcome.inventory


def parse_text(text: str, name: str = "template.yaml") -> Inventory:
    outcome = parse_source(name, text)
    assert outcome.format == "cloudformation", outcome.errors
    return outcome.inventory


def role(inventory: Inventory, role_id: str) -> Role:
    return next(r for r in inventory.roles if r.id == role_id)


def identity(inventory: Inventory, identity_id: str) -> Identity:
    return next(i for i in inventory.identities if i.id == identity_id)


def at(value: Value) -> tuple[int, int]:
    """(line, column) a value points at."""
    assert value.ref.span is not None
    return value.ref.span.line, value.ref.span.column
