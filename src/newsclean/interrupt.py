"""Ctrl-C and SIGTERM during a run: raised where the program is, as Python does, and remembered.

An exception raised at an arbitrary point can be caught on its way by code that does not expect it (an event loop
callback, a library's retry), and the run then goes on. The interruption is therefore also recorded, and long
steps ask for it between their pieces of work (check), so a run stops at the latest there.
"""
from __future__ import annotations

import signal

_received: list[int] = []  # the signals received, in order


class Terminated(KeyboardInterrupt):
    """SIGTERM (kill, `timeout`, a service manager), raised where Ctrl-C would be, so that it unwinds the same way."""


def _raise(signum: int) -> None:
    raise Terminated if signum == signal.SIGTERM else KeyboardInterrupt


def _handler(signum: int, frame) -> None:
    _received.append(signum)
    _raise(signum)


def install() -> None:
    """Handle SIGINT and SIGTERM in this process (main thread only). Being our own handler, SIGINT is also raised
    inside an asyncio event loop, which would otherwise turn it into a cancellation that a task can absorb."""
    signal.signal(signal.SIGINT, _handler)
    signal.signal(signal.SIGTERM, _handler)


def received() -> int | None:
    """The last interrupting signal received (SIGINT, SIGTERM), or None."""
    return _received[-1] if _received else None


def check() -> None:
    """Raise the interruption received, if any: called between the pieces of a long step."""
    if _received:
        _raise(_received[-1])
