"""Waiting for a corpus file another process holds: bounded retries, then one clear message."""
from __future__ import annotations

import fcntl
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

LOCK_WAIT = 60.0  # seconds a run or an export waits for another process to let go of the file


class StoreBusy(Exception):
    """The corpus file stayed locked by another process for longer than the wait allowed."""


def holder(message: str) -> str:
    """Who holds a DuckDB file lock, from DuckDB's error message ("... (PID 123)"), else 'another process'."""
    m = re.search(r"PID (\d+)", message)
    return f"process {m.group(1)}" if m else "another process"


def retry_while_locked(attempt: Callable[[], T], is_lock_error: Callable[[Exception], bool], wait: float, what: str) -> T:
    """attempt() until it stops failing with a lock error, for at most wait seconds.

    Polls often (every 20 to 100 ms): a run lets go of the file between batches only briefly."""
    deadline = time.monotonic() + wait
    pause = 0.02
    while True:
        try:
            return attempt()
        except Exception as exc:
            if not is_lock_error(exc):
                raise
            if time.monotonic() + pause > deadline:
                raise StoreBusy(f"{what} is locked by {holder(str(exc))}; gave up after waiting {wait:g} s") from None
        time.sleep(pause)
        pause = min(0.1, pause * 2)


@contextmanager
def run_lock(db: str | Path, wait: float = LOCK_WAIT) -> Iterator[None]:
    """One run at a time on a corpus file: an exclusive flock on `<db>.run.lock`, released even by kill -9."""
    path = Path(f"{db}.run.lock")
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a") as f:
        def take() -> None:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)

        retry_while_locked(take, lambda e: isinstance(e, BlockingIOError), wait, f"{db} (another newsclean run)")
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)
