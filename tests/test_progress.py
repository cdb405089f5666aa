"""Progress: a rich bar on a terminal, plain lines through the log otherwise."""
from __future__ import annotations

import io

from rich.console import Console

from newsclean.progress import Progress


def test_a_terminal_gets_a_bar_with_counts_and_rate():
    screen = io.StringIO()
    lines: list[str] = []
    with Progress(3, lines.append, console=Console(file=screen, force_terminal=True, width=160)) as progress:
        progress.advance(2, 5)
        progress.bar.refresh()
    assert "2/3" in screen.getvalue() and "5 documents cleaned" in screen.getvalue() and "docs/s" in screen.getvalue()
    assert lines == []


def test_elsewhere_plain_lines_go_to_the_log():
    lines: list[str] = []
    with Progress(4, lines.append, every=0) as progress:
        progress.advance(1, 2)
        progress.advance(2, 3)
        progress.advance(1, 1)  # the last step logs nothing: the caller's summary says it
    assert len(lines) == 2 and lines[1].startswith("3/4 inputs read, 5 documents cleaned, ") and "docs/s" in lines[1]
    assert "s left" in lines[1]
