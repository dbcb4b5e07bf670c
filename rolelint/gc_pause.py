"""Pausing Python's cyclic garbage collector while large, acyclic structures are built.

Building the assume-role graph of a big inventory allocates millions of small objects (edges,
tuples, strings) that never form reference cycles.  The collector cannot know that: each
allocation burst triggers a collection that walks every live object, so the cost of the build
grows faster than the graph.  With the collector paused the same work takes about half the time
(benchmarks/graph_scale.py); reference counting still frees everything that is dropped, and the
collector catches up on any cycle as soon as it is resumed.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """Run the body with the cyclic collector off; restore it as it was, even on error."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def pause_for_process() -> None:
    """Turn the collector off for the rest of a short-lived worker process (it parses files,
    hands the results back and exits)."""
    gc.disable()
