"""Progress: one parameter, ``show_progress``, for every long computation.

``show_progress`` is ``False`` (silent, the default), ``True`` (one-line messages and progress
bars with rate and ETA on stderr) or a callable taking a message (messages only, e.g. for a log
or a GUI). :func:`check_progress` turns it into a :class:`Progress`, which library code calls
with a message (``progress("loop 3: 12 solutions")``) and asks for bars
(``with progress.bar(total, "cells") as advance: ...``). The command line passes ``True``
unless ``--quiet``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Union

ShowProgress = Union[bool, None, Callable[[str], None], "Progress"]


class Progress:
    """Where progress goes: ``sink`` receives messages; ``bars`` enables progress bars."""

    def __init__(self, sink: Callable[[str], None] | None = None, *, bars: bool = False):
        self.sink, self.bars = sink, bars

    def __call__(self, message: str) -> None:
        if self.sink is not None:
            self.sink(message)

    def __bool__(self) -> bool:
        return self.sink is not None or self.bars

    @contextmanager
    def bar(self, total: int, description: str) -> Iterator[Callable[..., None]]:
        """Yield ``advance(n=1)``; a bar on stderr when bars are enabled."""
        with progress_bar(total, description, enabled=self.bars) as advance:
            yield advance


def check_progress(show_progress: ShowProgress) -> Progress:
    """The :class:`Progress` for a ``show_progress`` argument (see the module docstring)."""
    if isinstance(show_progress, Progress):
        return show_progress
    if show_progress is None or show_progress is False:
        return Progress()
    if show_progress is True:
        return Progress(_stderr_line, bars=True)
    if callable(show_progress):
        return Progress(show_progress)
    from .errors import SpecError

    raise SpecError(f"show_progress must be True, False or a callable taking a message; "
                    f"got {show_progress!r}")


def _stderr_line(message: str) -> None:
    from rich.console import Console
    from rich.markup import escape

    Console(stderr=True, emoji=False).print(f"[dim]{escape(message)}[/]", highlight=False)


@contextmanager
def progress_bar(total: int, description: str, *, enabled: bool = True):
    """Yield ``advance(n=1)``; shows done/total, rate and ETA on stderr when ``enabled``."""
    if not enabled:
        yield lambda n=1: None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        ProgressColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )
    from rich.progress import Progress as RichProgress
    from rich.text import Text

    class Rate(ProgressColumn):
        def render(self, task):
            speed = task.finished_speed or task.speed
            return Text("  -/s" if speed is None else f"{speed:7.1f}/s", style="progress.data.speed")

    with RichProgress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), Rate(),
                      TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
                      console=Console(stderr=True), transient=False) as bar:
        tid = bar.add_task(description, total=total)
        yield lambda n=1: bar.advance(tid, n)
