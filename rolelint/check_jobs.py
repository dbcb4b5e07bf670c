"""Running the checks on every core when the inventory is large.

On a scan of thousands of roles the checks cost more than parsing did, and they ran in one
process while the others idled.  Each check reads the whole inventory, so the work is split by
check, not by role: forked workers inherit the inventory as it is in memory (nothing is
pickled on the way in) and send back only their hits.  The engine then takes every check's hits
in catalog order, as it does with one process, so the findings are the same byte for byte.

The checks that read the assume-role graph form one task, so the graph is built once, and the
calling process takes that task first: it is the largest, and ``rolelint roles``/``show`` then
find the graph already built where they need it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rolelint.checks.base import READS_GRAPH, REGISTRY, Hit
from rolelint.model import Inventory

# Fewer roles than this are checked in one process: forking would cost more than it saves.
MIN_PARALLEL_ROLES = 400

# The inventory forked workers check: set just before they start, cleared after.
_shared: list[Inventory] = []


def hits_by_rule(inventory: Inventory, rule_ids: Sequence[str], jobs: int) -> dict[str, list[Hit]]:
    """Every hit of each check in ``rule_ids`` over ``inventory``, on up to ``jobs`` processes
    when the inventory is large enough to gain from it and processes can be forked."""
    if not _worth_sharing(inventory, jobs):
        return dict(_hits(inventory, rule_ids))
    import multiprocessing

    from rolelint.workers import share_out

    graph = tuple(rule_id for rule_id in rule_ids if rule_id in READS_GRAPH)
    alone = [rule_id for rule_id in rule_ids if rule_id not in READS_GRAPH]
    tasks: list[tuple[str, ...]] = [(rule_id,) for rule_id in alone]
    if graph:
        tasks.append(graph)  # last: the calling process starts with it
    _shared[:] = [inventory]
    try:
        done = share_out(_check_task, tasks, jobs, multiprocessing.get_context("fork"))
    finally:
        _shared.clear()
    return {rule_id: hits for task in done for rule_id, hits in task}


def _worth_sharing(inventory: Inventory, jobs: int) -> bool:
    """Several jobs, a large inventory, and workers that can be forked with it in memory."""
    if jobs <= 1 or len(inventory.roles) < MIN_PARALLEL_ROLES:
        return False
    import multiprocessing  # only now: a one-file check does not pay the import

    return "fork" in multiprocessing.get_all_start_methods()


def _check_task(rule_ids: Sequence[str]) -> list[tuple[str, list[Hit]]]:
    return list(_hits(_shared[0], rule_ids))


def _hits(inventory: Inventory, rule_ids: Iterable[str]) -> Iterable[tuple[str, list[Hit]]]:
    for rule_id in rule_ids:
        yield rule_id, list(REGISTRY[rule_id](inventory))
