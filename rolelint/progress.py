"""Progress of a long scan, shown on a terminal and nowhere else.

A scan of thousands of templates takes a while; on a terminal, silence looks like a hang.  But
progress output in a CI log or a pre-commit hook is noise, and on standard output it would
corrupt the report: so it goes to standard error, only when that is a terminal, and only once
the scan is big enough to be worth it.  rich is imported only then (it costs start-up time).
"""

from __future__ import annotations

import os
from typing import IO, Any, Protocol

MIN_FILES = 50  # smaller scans finish before a bar is worth drawing


class Progress(Protocol):
    def phase(self, description: str, total: int | None = None) -> None:
        """Start a phase: ``total`` steps, or None for one of unknown length (a spinner)."""

    def advance(self, steps: int = 1) -> None: ...

    def close(self) -> None: ...


class Silent:
    """No progress at all: not a terminal, or a small scan."""

    def phase(self, description: str, total: int | None = None) -> None:
        pass

    def advance(self, steps: int = 1) -> None:
        pass

    def close(self) -> None:
        pass


class TerminalProgress:
    """A rich progress bar on ``stream``, erased when the scan ends (the report follows)."""

    def __init__(self, stream: IO[str]) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, SpinnerColumn, TextColumn
        from rich.progress import Progress as RichProgress

        self._bar = RichProgress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            console=Console(file=stream),
            transient=True,
        )
        self._task: Any = None
        self._bar.start()

    def phase(self, description: str, total: int | None = None) -> None:
        if self._task is not None:
            self._bar.remove_task(self._task)
        self._task = self._bar.add_task(description, total=total)

    def advance(self, steps: int = 1) -> None:
        if self._task is not None:
            self._bar.advance(self._task, steps)

    def close(self) -> None:
        self._bar.stop()


class Lazy:
    """Draws nothing until a phase of at least :data:`MIN_FILES` steps starts, then a
    :class:`TerminalProgress` for the rest of the run (later phases included)."""

    def __init__(self, stream: IO[str]) -> None:
        self._stream = stream
        self._shown: TerminalProgress | None = None

    def phase(self, description: str, total: int | None = None) -> None:
        if self._shown is None and total is not None and total >= MIN_FILES:
            self._shown = TerminalProgress(self._stream)
        if self._shown is not None:
            self._shown.phase(description, total)

    def advance(self, steps: int = 1) -> None:
        if self._shown is not None:
            self._shown.advance(steps)

    def close(self) -> None:
        if self._shown is not None:
            self._shown.close()


def for_stream(stream: IO[str]) -> Progress:
    """Progress on ``stream`` when it is a terminal (and ``TERM`` is not ``dumb``)."""
    try:
        terminal = stream.isatty()
    except (AttributeError, ValueError):
        terminal = False
    if not terminal or os.environ.get("TERM") == "dumb":
        return Silent()
    return Lazy(stream)
