"""Pausing Python's cyclic garbage collector while large, acyclic structures are built.

Building the assume-role graph of a big inventory allocates millions of small objects (edges,
tuples, strings) that never form reference cycles.  The collector cannot know that: each
allocation burst triggers a collection that walks every live object, so the cost of the build
grows faster than the graph.  With the collector paused the same work takes about half the time
(benchmarks/graph_scale.py); reference counting still frees everything that is dropped, and the
collector catches up on any cycle as soon as it is resumed.

Resuming has a price of its own: every object built while paused is still in the youngest
generation, so the first allocation after ``gc.enable()`` walks all of them (about 0.09 s after
parsing the CloudFormation corpus, a tenth of the run).  A short-lived process (the command line)
therefore moves them to the permanent generation on resume (``gc.freeze``): reference counting
still frees them, only a cycle among them would wait for the process to exit.  A long-lived
process that imports rolelint keeps the default, a full catch-up.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

from rolelint import process_owner


@contextmanager
def gc_paused() -> Iterator[None]:
    """Run the body with the cyclic collector off; restore it as it was, even on error."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if process_owner.claimed():  # the command line: see the module docstring
            gc.freeze()
        if was_enabled:
            gc.enable()


def pause_for_process() -> None:
    """Turn the collector off for the rest of a short-lived worker process (it parses files,
    hands the results back and exits)."""
    gc.disable()
