"""Seconds spent per pipeline stage, exclusive of the stages timed inside them (for run summaries and benchmarks)."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from time import perf_counter

STAGES = ("list", "read", "extract", "clean", "sign", "dedup", "store")


class StageTimes(dict):
    """stage name -> seconds; a stage timed inside another is not counted twice (the outer one gets the rest)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._inner: list[float] = []

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = perf_counter()
        self._inner.append(0.0)
        try:
            yield
        finally:
            spent = perf_counter() - start
            inner = self._inner.pop()
            self[name] = self.get(name, 0.0) + spent - inner
            if self._inner:
                self._inner[-1] += spent

    def add(self, other: dict[str, float]) -> None:
        for name, seconds in other.items():
            self[name] = self.get(name, 0.0) + seconds

    def __reduce__(self):  # pickled as the plain figures
        return (StageTimes, (dict(self),))


def stage(times: StageTimes | None, name: str):
    """times.stage(name), or nothing when the caller does not time stages."""
    return nullcontext() if times is None else times.stage(name)
