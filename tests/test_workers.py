"""Sharing tasks between the calling process and forked workers (rolelint.workers)."""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import subprocess
import sys
import time
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from functools import partial
from itertools import pairwise
from pathlib import Path

import pytest

from rolelint.workers import _Plan, share_out
from tests.conftest import REPO

pytestmark = pytest.mark.skipif(
    "fork" not in multiprocessing.get_all_start_methods(), reason="needs fork"
)


def _slow_pid(task: int) -> tuple[int, int]:
    time.sleep(0.01)  # long enough that no worker can take every task before the caller starts
    return task, os.getpid()


def _fail_on_three(task: int) -> int:
    if task == 3:
        raise ValueError(f"task {task} failed")
    return task * task


def _die_once(marker: str, caller: int, task: int) -> int:
    """``task * task``; but the first worker to run a task is killed, as the out-of-memory
    killer would (the marker says it happened)."""
    if os.getpid() != caller:
        try:
            with open(marker, "x"):
                pass
        except FileExistsError:
            pass
        else:
            os.kill(os.getpid(), signal.SIGKILL)
    return task * task


@pytest.mark.parametrize("count", [2, 40])
def test_a_killed_worker_loses_no_task(
    count: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A worker killed under a task broke the pool: tracebacks from handing tasks to it, then
    the whole run lost.  The caller now runs what was lost and says so once."""
    marker = tmp_path / "killed"
    task = partial(_die_once, str(marker), os.getpid())
    done = share_out(task, list(range(count)), 2, multiprocessing.get_context("fork"))
    assert marker.exists()  # a worker did die
    assert done == [index * index for index in range(count)]
    assert capsys.readouterr().err == (
        "rolelint: warning: a worker process was killed by SIGKILL (out of memory?): its tasks "
        "were run again in the main process, so the report is complete\n"
    )


@pytest.mark.parametrize("how", ["a task failed", "a submit failed"])
def test_a_broken_pool_is_handed_nothing_more(how: str) -> None:
    submitted: list[int] = []
    futures: dict[int, Future[int]] = {}

    def submit(index: int) -> Future[int]:
        if how == "a submit failed" and index == 2:
            raise BrokenProcessPool("A child process terminated abruptly")
        submitted.append(index)
        futures[index] = Future()
        return futures[index]

    plan = _Plan(10, submit)
    plan.hand_out(2)
    if how == "a task failed":
        futures[0].set_exception(BrokenProcessPool("terminated abruptly"))
    else:
        futures[0].set_result(0)  # handing out the next one finds the pool broken
    futures[1].set_result(1)
    assert submitted == [0, 1] and sorted(plan.handed) == [0, 1]
    # The caller takes every task that was not handed out.
    assert [plan.take_last() for _ in range(9)] == [9, 8, 7, 6, 5, 4, 3, 2, None]


def test_results_come_back_in_task_order_from_both_processes() -> None:
    done = share_out(_slow_pid, list(range(20)), 2, multiprocessing.get_context("fork"))
    assert [task for task, _ in done] == list(range(20))
    pids = [pid for _, pid in done]
    assert os.getpid() in pids  # the caller took a share
    assert len(set(pids)) == 2  # and one worker the rest
    # The caller works from the end, the worker from the start: each took one run of tasks.
    assert pids[-1] == os.getpid() and pids[0] != os.getpid()
    switches = sum(1 for before, after in pairwise(pids) if before != after)
    assert switches == 1


def test_one_job_or_one_task_runs_here_without_a_worker() -> None:
    fork = multiprocessing.get_context("fork")
    assert {pid for _, pid in share_out(_slow_pid, [1, 2, 3], 1, fork)} == {os.getpid()}
    assert share_out(_slow_pid, [7], 4, fork) == [(7, os.getpid())]
    assert share_out(_slow_pid, [], 4, fork) == []


@pytest.mark.parametrize("count", [4, 40])
def test_an_error_in_a_task_reaches_the_caller(count: int) -> None:
    # With 4 tasks task 3 runs here; with 40 a worker runs it.
    with pytest.raises(ValueError, match="task 3 failed"):
        share_out(_fail_on_three, list(range(count)), 2, multiprocessing.get_context("fork"))


def test_workers_are_handed_tasks_as_they_finish_and_the_caller_takes_the_rest() -> None:
    submitted: list[int] = []
    futures: dict[int, Future[int]] = {}

    def submit(index: int) -> Future[int]:
        submitted.append(index)
        futures[index] = Future()
        return futures[index]

    plan = _Plan(10, submit)
    plan.hand_out(2)
    assert submitted == [0, 1]  # two in flight, nothing queued beyond them
    assert plan.take_last() == 9
    futures[0].set_result(0)  # a worker finishes: it is handed the next from the front
    assert submitted == [0, 1, 2]
    assert [plan.take_last() for _ in range(6)] == [8, 7, 6, 5, 4, 3]
    assert plan.take_last() is None  # the two ends met
    futures[1].set_result(1)
    futures[2].set_result(2)
    assert submitted == [0, 1, 2]  # nothing left to hand out
    assert sorted(plan.handed) == [0, 1, 2]


def test_a_stopped_plan_hands_out_nothing_more() -> None:
    futures: list[Future[int]] = []

    def submit(index: int) -> Future[int]:
        futures.append(Future())
        return futures[-1]

    plan = _Plan(5, submit)
    plan.hand_out(1)
    plan.stop()
    futures[0].set_result(0)
    assert len(futures) == 1 and plan.take_last() is None


@pytest.mark.parametrize("count", [2, 3])
def test_with_few_tasks_the_caller_still_takes_its_share(count: int) -> None:
    # Terraform folders are handed out in one run per job: two tasks for two jobs.
    done = share_out(_slow_pid, list(range(count)), 2, multiprocessing.get_context("fork"))
    pids = [pid for _, pid in done]
    assert pids[-1] == os.getpid() and pids[0] != os.getpid()


def test_the_switch_interval_is_restored() -> None:
    before = sys.getswitchinterval()
    share_out(_slow_pid, list(range(6)), 2, multiprocessing.get_context("fork"))
    assert sys.getswitchinterval() == before
    with pytest.raises(ValueError):
        share_out(_fail_on_three, list(range(4)), 2, multiprocessing.get_context("fork"))
    assert sys.getswitchinterval() == before


# A caller that shares two long tasks with one worker; the worker names itself in a file.
_KILLED_CALLER = """
import multiprocessing, os, sys, time
from rolelint.workers import share_out

def task(index):
    if index == 0:  # the worker's (the caller takes tasks from the end)
        with open(sys.argv[1] + ".part", "w") as marker:
            marker.write(str(os.getpid()))
        os.rename(sys.argv[1] + ".part", sys.argv[1])
    time.sleep(60)

share_out(task, [0, 1], 2, multiprocessing.get_context("fork"))
"""


def _running(pid: int) -> bool:
    """Whether ``pid`` runs still (an ended process its new parent has not reaped is a zombie)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


@pytest.mark.skipif(not os.path.exists("/proc/self/stat"), reason="reads /proc")
def test_a_worker_ends_soon_after_its_caller_is_killed(tmp_path: Path) -> None:
    """``timeout`` and CI cancellations kill the caller; its worker used to wait for ever."""
    marker = tmp_path / "worker.pid"
    caller = subprocess.Popen([sys.executable, "-c", _KILLED_CALLER, str(marker)], cwd=REPO)
    worker = None
    try:
        deadline = time.monotonic() + 60
        while not marker.exists():
            assert time.monotonic() < deadline and caller.poll() is None
            time.sleep(0.05)
        worker = int(marker.read_text())
        assert _running(worker)
        caller.kill()
        caller.wait()
        deadline = time.monotonic() + 10  # the worker looks every 0.5 s
        while _running(worker) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not _running(worker)
    finally:
        caller.kill()
        if worker is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(worker, signal.SIGKILL)
