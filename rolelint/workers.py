"""Spreading independent tasks over the calling process and forked worker processes.

The calling process is one of the ``jobs``: it starts ``jobs - 1`` workers and takes tasks
itself, from the end of the list, while the workers take them from the start.  It would
otherwise sit idle until the results came back, and what it does itself is neither pickled by
a worker nor unpickled here.  Results come back in the order of the tasks, whoever ran them, so
what a caller builds from them does not depend on the number of jobs.

Workers are handed tasks a few at a time, as they finish them, rather than all at once: a task
handed to a worker cannot be taken back, so when the two ends meet the caller would otherwise
wait for every task queued at the workers (a third of a large scan, with tasks handed out up
front).

A worker can die under a task (the out-of-memory killer sends SIGKILL): the pool is then
broken, and every task it held fails with it.  Nothing more is handed to it; the caller runs
the tasks that were lost, so the report stays whole, and says once on standard error that a
worker died, and how.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import BrokenExecutor, Future
from contextlib import contextmanager, suppress
from multiprocessing.context import BaseContext
from typing import Any, Generic, TypeVar

Task = TypeVar("Task")
Result = TypeVar("Result")

# Tasks a worker holds at a time when there are many: the one it runs and the next, so that it
# never waits for the caller to hand it one.  With few tasks (Terraform folders come in one run
# per job) a worker holds one: two would take the caller's share too.
_IN_FLIGHT_PER_WORKER = 2
_MANY_TASKS_PER_JOB = 4


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
    workers = min(jobs - 1, len(tasks) - 1)
    done: dict[int, Result] = {}
    lost: list[Any] = []  # the pool's processes, once one died
    with (
        _responsive_threads(),
        ProcessPoolExecutor(
            max_workers=workers,
            mp_context=context,
            initializer=_start_worker,
            initargs=(os.getpid(), initializer or _pause_collector, initargs),
        ) as pool,
    ):
        plan = _Plan(len(tasks), lambda index: pool.submit(function, tasks[index]))
        try:
            many = len(tasks) >= _MANY_TASKS_PER_JOB * (workers + 1)
            plan.hand_out(workers * (_IN_FLIGHT_PER_WORKER if many else 1))
            while (index := plan.take_last()) is not None:
                done[index] = function(tasks[index])
            for index, future in plan.handed.items():
                try:
                    done[index] = future.result()
                except BrokenExecutor:  # its worker died: the task is run here
                    if not lost:  # named now: the pool forgets its processes once shut down
                        lost = [*(getattr(pool, "_processes", None) or {}).values()] or [None]
                    done[index] = function(tasks[index])
        finally:
            plan.stop()  # on an error here, hand nothing more out while the pool shuts down
    if lost:  # said once the pool has ended every worker, so that each has its exit code
        _say_a_worker_died(lost)
    return [done[index] for index in range(len(tasks))]


def _say_a_worker_died(processes: Sequence[Any]) -> None:
    """One line on standard error.  The report is whole, but the user should know that a
    worker died, and what killed it: SIGKILL is usually the out-of-memory killer, and fewer
    jobs need less memory."""
    # The pool ends the other workers with SIGTERM once one has died.
    codes = [getattr(process, "exitcode", None) for process in processes]
    signals = [-code for code in codes if code is not None and code < 0]
    killed = [number for number in signals if number != signal.SIGTERM] or signals
    if not killed:
        how = "ended abruptly"
    elif killed[0] == signal.SIGKILL:
        how = "was killed by SIGKILL (out of memory?)"
    else:
        how = f"was killed by {_signal_name(killed[0])}"
    with suppress(OSError):  # standard error closed: the report is still whole
        print(
            f"rolelint: warning: a worker process {how}: its tasks were run again in the "
            "main process, so the report is complete",
            file=sys.stderr,
        )


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


class _Plan(Generic[Result]):
    """Which task goes where: workers take from the front, the caller from the back.  Worker
    tasks are submitted as earlier ones finish (from the pool's result thread, hence the lock).
    """

    def __init__(self, count: int, submit: Callable[[int], Future[Result]]) -> None:
        self._submit = submit
        self._lock = threading.Lock()
        self._front = 0  # the next task for a worker
        self._back = count - 1  # the next task for the caller
        self._broken = False  # a worker died: nothing more can be handed out
        self.handed: dict[int, Future[Result]] = {}

    def hand_out(self, count: int) -> None:
        for _ in range(count):
            self._hand_next()

    def _hand_next(self, finished: Future[Result] | None = None) -> None:
        with self._lock:
            if finished is not None and _broke(finished):
                self._broken = True
            if self._broken or self._front > self._back:
                return
            try:
                future = self._submit(self._front)
            except BrokenExecutor:  # a worker died: the caller takes every task left
                self._broken = True
                return
            self.handed[self._front] = future
            self._front += 1
        future.add_done_callback(self._hand_next)

    def take_last(self) -> int | None:
        with self._lock:
            if self._front > self._back:
                return None
            index = self._back
            self._back -= 1
            return index

    def stop(self) -> None:
        with self._lock:
            self._front, self._back = 1, 0


def _broke(future: Future[Any]) -> bool:
    """Whether ``future`` failed because its pool is broken (a worker died)."""
    return not future.cancelled() and isinstance(future.exception(), BrokenExecutor)


# How long this process's threads may hold the interpreter before another gets a turn, while
# tasks are shared (Python's default is 5 ms).  Handing a worker its next task takes three
# threads of the pool (results, management, queue feeder) a turn each while this thread is busy
# with its own task: at the default, a worker sat idle 40-80 ms between checks.
_SWITCH_INTERVAL = 0.0005


@contextmanager
def _responsive_threads() -> Iterator[None]:
    before = sys.getswitchinterval()
    sys.setswitchinterval(min(before, _SWITCH_INTERVAL))
    try:
        yield
    finally:
        sys.setswitchinterval(before)


def _pause_collector() -> None:
    from rolelint.gc_pause import pause_for_process

    pause_for_process()


# How often a worker looks whether the process that started it is still there.
_PARENT_CHECK_SECONDS = 0.5


def _start_worker(parent: int, initializer: Callable[..., None], initargs: tuple[Any, ...]) -> None:
    threading.Thread(
        target=_exit_without_parent, args=(parent,), name="rolelint-parent", daemon=True
    ).start()
    initializer(*initargs)


def _exit_without_parent(parent: int) -> None:
    """Ends this worker once the process that started it is gone.

    A caller killed outright (``timeout`` and CI cancellations send SIGTERM, which Python does
    not catch; then maybe SIGKILL) cannot stop its workers, and a forked worker would wait for
    its next task for ever: it holds both ends of its task queue's pipe itself, so the pipe
    never reads as closed.  The parent changes when the caller dies, whoever adopts the worker.
    """
    while True:
        time.sleep(_PARENT_CHECK_SECONDS)
        if os.getppid() != parent:
            os._exit(1)
