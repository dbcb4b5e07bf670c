"""RL207: sts:AssumeRole on every role, with the scanned roles the holder
reaches (read from the assume-role graph).
"""

from __future__ import annotations

import functools
from collections.abc import Iterator

from rolelint.checks.admin_access import is_admin
from rolelint.checks.base import Hit, check
from rolelint.checks.effective import Effect, resources_named
from rolelint.checks.escalation_grants import unscoped_resources
from rolelint.checks.grant_conditions import may_grant, tagged_only
from rolelint.checks.grants import Entry, Grant, each_grant, entries_granting
from rolelint.checks.iam_match import covers, is_any_resource, parse_arn
from rolelint.model import Inventory, Value

ASSUME_ROLE = "sts:AssumeRole"


def _any_role(resource: Value) -> bool:
    """A resource covering every role of every account."""
    text = resource.text
    if text is None:
        return False
    arn = parse_arn(text)
    if is_any_resource(text):
        return True
    return arn is not None and covers(
        # Every account id has twelve digits and every name a character: "????????????" and
        # "role/?*" name every one as "*" does.
        text,
        f"arn:{arn.partition}:iam::????????????:role/?*",
        case_sensitive=True,
    )


def assuming_any_role(grant: Grant) -> tuple[Entry | None, list[tuple[Value, Effect]]]:
    """What grants sts:AssumeRole and the resources that cover any role with it, each with
    what is left of it there (nothing under a condition no sts:AssumeRole request can meet,
    see may_grant)."""
    if not may_grant(grant.statement, ASSUME_ROLE):
        return None, []
    granting = entries_granting(grant.statement, (ASSUME_ROLE,))
    if not granting:
        return None, []
    action = granting[0]
    resources = unscoped_resources(grant.statement, _any_role)
    grants = functools.partial(may_grant, action=ASSUME_ROLE)
    whole = (
        grant.standing(ASSUME_ROLE, resources, _any_role, passes=(grants,)) if resources else None
    )
    if whole is None:
        return None, []
    if len(resources) == 1:
        return action, [(resources[0], whole)]
    # Whether it stands, gates included, was judged above: what is left on each resource
    # is asked for its note alone.
    return action, [
        (
            r,
            grant.standing(ASSUME_ROLE, [r], _any_role, passes=())
            or grant.effect(ASSUME_ROLE, [r]),
        )
        for r in resources
    ]


@check("RL207", reads_graph=True)
def assume_any_role(inventory: Inventory) -> Iterator[Hit]:
    return each_grant(inventory, functools.partial(_assume_any_role_hits, inventory))


def _assume_any_role_hits(inventory: Inventory, grant: Grant) -> Iterator[Hit]:
    if is_admin(grant) or tagged_only(grant.statement):
        return
    action, found = assuming_any_role(grant)
    if action is None:
        return
    exact = action.is_exactly(ASSUME_ROLE)
    via = "" if exact else f" ({action.quoted})"
    # What grants it is part of the risk, as the message says: `NotAction: iam:*` and
    # `Action: sts:AssumeRole` on '*' in one policy are two findings, with two fingerprints.
    # The plain action adds nothing, which keeps the fingerprints recorded before.
    granted_by = () if exact else (action.key,)
    reached = _scanned_roles_reached(inventory, grant) if grant.worded else ""
    for resource, effect in found:
        note = effect.note()
        yield Hit(
            "RL207",
            f"{grant.subject} allows sts:AssumeRole{via} on "
            f"{resources_named(grant.statement, resource)}: the holder "
            f"can assume every role that trusts its account{note}{reached}",
            resource.ref,
            grant.document.resource,
            grant.key(ASSUME_ROLE, resource.display(), *granted_by),
            role=grant.role,
            roles=grant.each_role,
            holders=grant.each_holder,
        )


_SHOWN_ROLES = 5


def _scanned_roles_reached(inventory: Inventory, grant: Grant) -> str:
    """``; among the scanned roles: A, B and 3 more``: what the grant reaches in this scan
    (through a crowd: each of its roles, see rolelint.graph.crowds, without walking them all
    for every grant)."""
    from heapq import merge
    from itertools import islice

    from rolelint.graph.build import graph_of, node_ids_of

    graph = graph_of(inventory)
    ids = node_ids_of(inventory)
    holders = {ids.role(role) for role in grant.roles}
    single: set[str] = set()
    crowds: set[str] = set()
    for holder in holders:
        for edge in graph.out_edges(holder):
            if edge.grant is None:
                continue  # reached by direct trust, not with this permission
            (crowds if graph.is_crowd(edge.target) else single).add(edge.target)
    if len(crowds) > 1:  # rare: holders in several accounts; count the union plainly
        single.update(e.target for crowd in crowds for e in graph.out_edges(crowd))
        crowds.clear()
    crowd = next(iter(crowds), None)
    members = graph.crowd_members_by_label(crowd) if crowd is not None else []
    in_crowd = graph.crowd_member_ids(crowd) if crowd is not None else set()
    single = {node for node in single if node not in in_crowd}  # not "-=": that walks in_crowd
    count = len(single | holders) - len(holders) + len(members) - len(holders & in_crowd)
    if count <= 0:
        return ""
    ordered = merge(sorted((graph.nodes[n].label, n) for n in single - holders), members)
    labels = (label for label, node in ordered if node not in holders)
    shown = ", ".join(islice(labels, _SHOWN_ROLES))
    more = f" and {count - _SHOWN_ROLES} more" if count > _SHOWN_ROLES else ""
    return f"; among the scanned roles it reaches {shown}{more}"
