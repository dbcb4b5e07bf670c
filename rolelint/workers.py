"""Spreading independent tasks over the calling process and forked worker processes.

The calling process is one of the ``jobs``: it starts ``jobs - 1`` workers and takes tasks
itself, from the end of the list, while the workers take them from the start.  It would
otherwise sit idle until the results came back, and what it does itself is neither pickled by
a worker nor unpickled here.  Results come back in the order of the tasks, whoever ran them, so
what a caller builds from them does not depend on the number of jobs.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from multiprocessing.context import BaseContext
from typing import Any, TypeVar

Task = TypeVar("Task")
Result = TypeVar("Result")


def share_out(
    function: Callable[[Task], Result],
    tasks: Sequence[Task],
    jobs: int,
    context: BaseContext,
    initializer: Callable[..., None] | None = None,
    initargs: tuple[Any, ...] = (),
) -> list[Result]:
    """``[function(task) for task in tasks]`` on this process and up to ``jobs - 1`` workers
    started from ``context`` (each first runs ``initializer(*initargs)``)."""
    from concurrent.futures import ProcessPoolExecutor

    if jobs <= 1 or len(tasks) <= 1:
        return [function(task) for task in tasks]
    with ProcessPoolExecutor(
        max_workers=min(jobs - 1, len(tasks) - 1),
        mp_context=context,
        initializer=initializer or _pause_collector,
        initargs=initargs,
    ) as pool:
        pending = [pool.submit(function, task) for task in tasks]
        done_here: dict[int, Result] = {}
        # A task no worker has started can still be cancelled: then it runs here.  The first
        # one that cannot be cancelled means the workers have taken everything before it.
        for index in reversed(range(len(tasks))):
            if not pending[index].cancel():
                break
            done_here[index] = function(tasks[index])
        return [
            done_here[index] if index in done_here else future.result()
            for index, future in enumerate(pending)
        ]


def _pause_collector() -> None:
    from rolelint.gc_pause import pause_for_process

    pause_for_process()
