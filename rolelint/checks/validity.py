"""Policy-grammar rules: documents AWS rejects or reads differently from what the author meant
(RL601-RL604)."""

from __future__ import annotations

from collections.abc import Iterator

from rolelint.checks.base import Hit, check
from rolelint.model import Inventory, PolicyDocument, Statement

CURRENT_VERSION = "2012-10-17"
LEGACY_VERSION = "2008-10-17"
EFFECTS = ("Allow", "Deny")


def _statements(inventory: Inventory) -> Iterator[tuple[PolicyDocument, Statement]]:
    for document in inventory.all_policies():
        for statement in document.statements:
            yield document, statement


def _subject(document: PolicyDocument) -> str:
    """How a message opens: the document in words, or "The policy" for a raw policy file."""
    if document.resource == document.ref.file:
        return "The policy"
    return document.origin[:1].upper() + document.origin[1:]


def _statement_words(statement: Statement) -> str:
    return f"statement '{statement.sid}'" if statement.sid else "a statement"


def _statement_key(document: PolicyDocument, statement: Statement, *parts: str) -> str:
    """Stable content of a statement: its Sid, or what it grants to whom when it has none."""
    if statement.sid:
        return "|".join((document.origin, statement.sid, *parts))
    content = [
        *(value.display() for value in statement.actions),
        *(value.display() for value in statement.not_actions),
        *(value.display() for value in statement.resources),
        *(principal.value.display() for principal in statement.principals),
    ]
    return "|".join((document.origin, ",".join(sorted(content)), *parts))


# --- RL601 ----------------------------------------------------------------------------------------


@check("RL601")
def duplicate_key(inventory: Inventory) -> Iterator[Hit]:
    for problem in inventory.problems:
        if problem.kind != "duplicate-key":
            continue
        yield Hit(
            "RL601",
            problem.message[:1].upper() + problem.message[1:],
            problem.ref,
            problem.resource,
            f"duplicate-key|{problem.message}",
        )


# --- RL602 ----------------------------------------------------------------------------------------


@check("RL602")
def invalid_policy_version(inventory: Inventory) -> Iterator[Hit]:
    for document in inventory.all_policies():
        version = document.version
        if version is None:
            yield Hit(
                "RL602",
                f"{_subject(document)} has no Version: AWS then reads it as {LEGACY_VERSION}, "
                f"where policy variables such as ${{aws:username}} are plain text; "
                f'add Version "{CURRENT_VERSION}"',
                document.ref,
                document.resource,
                f"{document.origin}|Version|<absent>",
            )
        elif version.text is None or version.text == CURRENT_VERSION:
            continue
        elif version.text == LEGACY_VERSION:
            yield Hit(
                "RL602",
                f'{_subject(document)} uses the legacy Version "{LEGACY_VERSION}", where policy '
                f'variables such as ${{aws:username}} are plain text; use "{CURRENT_VERSION}"',
                version.ref,
                document.resource,
                f"{document.origin}|Version|{version.text}",
            )
        else:
            yield Hit(
                "RL602",
                f"{_subject(document)} has Version '{version.text}'; IAM accepts only "
                f'"{CURRENT_VERSION}" (or the legacy "{LEGACY_VERSION}") and rejects the policy',
                version.ref,
                document.resource,
                f"{document.origin}|Version|{version.text}",
            )


# --- RL603 ----------------------------------------------------------------------------------------


@check("RL603")
def invalid_effect(inventory: Inventory) -> Iterator[Hit]:
    for document, statement in _statements(inventory):
        effect = statement.effect
        if effect is None:
            yield Hit(
                "RL603",
                f"{_subject(document)} has {_statement_words(statement)} without Effect; "
                'IAM rejects it: write "Allow" or "Deny"',
                statement.ref,
                document.resource,
                _statement_key(document, statement, "Effect", "<absent>"),
            )
        elif effect.text is not None and effect.text not in EFFECTS:
            yield Hit(
                "RL603",
                f"{_subject(document)} has Effect '{effect.text}'; IAM accepts exactly "
                '"Allow" or "Deny" (case-sensitive) and rejects the policy',
                effect.ref,
                document.resource,
                _statement_key(document, statement, "Effect", effect.text),
            )


# --- RL604 ----------------------------------------------------------------------------------------


@check("RL604")
def statement_without_action(inventory: Inventory) -> Iterator[Hit]:
    for document, statement in _statements(inventory):
        if statement.has_action or statement.has_not_action:
            continue
        yield Hit(
            "RL604",
            f"{_subject(document)} has {_statement_words(statement)} with neither Action nor "
            "NotAction; IAM rejects it",
            statement.ref,
            document.resource,
            _statement_key(document, statement, "no-action"),
        )
    for problem in inventory.problems:
        if problem.kind == "invalid-statement":
            yield Hit(
                "RL604",
                f"{problem.message[:1].upper()}{problem.message[1:]}; IAM rejects the policy",
                problem.ref,
                problem.resource,
                f"invalid-statement|{problem.message}",
            )
