"""Every permission rule's test of one grant, without the role graph:
grants._quiet asks them all whether a grant judged for no holder is found by any.  Imported
only then, since each of them builds on rolelint.checks.grants.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from rolelint.checks.admin_access import full_admin_access_hits, service_wide_wildcard_action_hits
from rolelint.checks.base import Hit
from rolelint.checks.broad_access import (
    allow_with_not_action_hits,
    allow_with_not_resource_hits,
    sensitive_read_on_all_resources_hits,
    write_access_on_all_resources_hits,
)
from rolelint.checks.escalation import privilege_escalation_hits
from rolelint.checks.grants import Grant

# What each permission check finds in one grant (RL207 by what it finds, without the role
# graph: _quiet judges a grant wherever it runs).
JUDGING_ALONE: tuple[Callable[[Grant], Iterable[Hit]], ...] = (
    full_admin_access_hits,
    service_wide_wildcard_action_hits,
    privilege_escalation_hits,
    write_access_on_all_resources_hits,
    sensitive_read_on_all_resources_hits,
    allow_with_not_action_hits,
    allow_with_not_resource_hits,
)
