"""Progress of `run` and `clean`: a rich bar on a terminal, else a plain line now and then through `log`."""
from __future__ import annotations

import sys
import time
from typing import Callable

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeRemainingColumn
from rich.progress import Progress as Bar


class Progress:
    """Inputs read and documents cleaned, their rate and the time left, shown as work advances."""

    def __init__(self, total: int, log: Callable[[str], None], every: float = 10.0, console: Console | None = None):
        if console is None and sys.stderr.isatty():
            console = Console(stderr=True)
        self.total, self.log, self.every = total, log, every
        self.inputs = self.documents = 0
        self.started = self.logged = time.monotonic()
        self.bar = None
        if console is not None and total > 1:
            self.bar = Bar(TextColumn("reading"), BarColumn(), MofNCompleteColumn(), TextColumn("inputs, {task.fields[documents]} documents cleaned, {task.fields[rate]}"),
                           TimeRemainingColumn(), console=console, transient=True)
            self.task = self.bar.add_task("reading", total=total, documents=0, rate="")

    def __enter__(self) -> "Progress":
        if self.bar is not None:
            self.bar.start()
        return self

    def __exit__(self, *exc) -> None:
        if self.bar is not None:
            self.bar.stop()

    def advance(self, inputs: int, documents: int) -> None:
        """Count a finished piece of work: a bar update on a terminal, a log line at most every `every` seconds otherwise."""
        self.inputs += inputs
        self.documents += documents
        now = time.monotonic()
        rate = self.documents / max(now - self.started, 1e-9)
        if self.bar is not None:
            self.bar.update(self.task, advance=inputs, documents=self.documents, rate=f"{rate:.1f} docs/s")
        elif now - self.logged >= self.every and self.inputs < self.total:
            self.logged = now
            left = (self.total - self.inputs) * (now - self.started) / max(self.inputs, 1)
            self.log(f"{self.inputs}/{self.total} inputs read, {self.documents} documents cleaned, {rate:.1f} docs/s, "
                     f"about {left:.0f} s left")
