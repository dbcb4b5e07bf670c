"""Session rules: role settings that AWS rejects at deploy time (RL301)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from rolelint.checks.base import Hit, check
from rolelint.model import Inventory

# MaxSessionDuration bounds in seconds (1 to 12 hours), as the IAM API enforces them.
MIN_SESSION_SECONDS = 3600
MAX_SESSION_SECONDS = 43200

_INTEGER = re.compile(r"^[+-]?[0-9]+$")


def _in_range(text: str) -> bool:
    stripped = text.strip()
    return bool(_INTEGER.match(stripped)) and (
        MIN_SESSION_SECONDS <= int(stripped) <= MAX_SESSION_SECONDS
    )


@check("RL301")
def max_session_duration_out_of_range(inventory: Inventory) -> Iterator[Hit]:
    for role in inventory.roles:
        for value in role.max_session_duration:
            if value.text is None or _in_range(value.text):
                continue
            yield Hit(
                "RL301",
                f"MaxSessionDuration of role {role.id} is '{value.text}'; AWS accepts an integer "
                f"from {MIN_SESSION_SECONDS} to {MAX_SESSION_SECONDS} seconds (1 to 12 hours), "
                "so the deployment fails",
                value.ref,
                role.id,
                f"MaxSessionDuration|{value.text}",
                role=role.id,
            )
