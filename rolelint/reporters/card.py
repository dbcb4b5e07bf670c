"""Role cards (``rolelint show``) as terminal text or JSON.

Each line of a card ends with the file and line it comes from, so a reviewer can jump from any
statement of the card to the source.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rolelint.audit.card import SHOWN_FINDINGS, RoleCard
from rolelint.json_text import dumps_indented
from rolelint.reporters.roles import row_dict


def render_cards(format_name: str, cards: Sequence[RoleCard], version: str) -> str:
    if format_name == "json":
        document = {"version": version, "roles": [card_dict(card) for card in cards]}
        return dumps_indented(document) + "\n"
    return "\n".join(_text(card) for card in cards)


def card_dict(card: RoleCard) -> dict[str, Any]:
    """The card as data.  Its row lists the findings its Findings section lists, the first
    :data:`SHOWN_FINDINGS`, and how many more (``findings_not_listed``): a generated role with
    1,662 findings made its row 580 kB.  ``rolelint roles`` lists every one."""
    return {
        "role": row_dict(card.row, listed=SHOWN_FINDINGS),
        "sections": [
            {
                "title": section.title,
                "lines": [
                    {
                        "text": line.text,
                        "depth": line.depth,
                        "file": line.ref.file if line.ref else None,
                        "line": line.ref.line if line.ref else None,
                    }
                    for line in section.lines
                ],
            }
            for section in card.sections
        ],
    }


def _text(card: RoleCard) -> str:
    from rolelint.reporters.text import shown_line

    row = card.row
    title = f"{row.name}  (risk {row.risk.score}, {row.access.display()})"
    lines = [shown_line(title), "=" * min(len(title), 100)]
    for section in card.sections:
        lines.append("")
        lines.append(shown_line(section.title))
        for line in section.lines:
            where = f"  ({line.ref.file}:{line.ref.line})" if line.ref is not None else ""
            lines.append(shown_line("  " * (line.depth + 1) + line.text + where))
    return "\n".join(lines) + "\n"
