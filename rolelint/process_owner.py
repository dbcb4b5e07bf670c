"""Whether rolelint's command line owns the process it runs in.

The ``rolelint`` command runs one command in a process of its own, then exits.  An application
that imports rolelint shares its process with code rolelint knows nothing of.  A few speed-ups
are right only in the former:

- freezing what parsing built, rather than letting the collector walk it (rolelint.gc_pause);
- importing lark without the ``regex`` module (rolelint.parsers.lark_loader).
"""

from __future__ import annotations

_claimed = False


def claim() -> None:
    """Called once by the command line, before it does anything else."""
    global _claimed
    _claimed = True


def claimed() -> bool:
    return _claimed
