"""Hard-wrapped text dumps back to one line per paragraph.

Text browsers and converters at their default settings (w3m, lynx and elinks at 80 columns, pandoc at 72) break
every paragraph into lines of about the same width. The cleaner judges lines, and a fragment of a sentence looks
like a menu item or a caption: wrapped dumps lose text and titles. A dump is taken as wrapped when its lines of two
words or more that stand next to another line (not alone between blank lines: headings, one-line paragraphs) never
exceed some width W between 30 and 150 characters and pile up just under it (at least 8 lines, and 30 % of the
lines longer than W / 2, within 12 characters of W), as lines do when a tool wraps them, at most half of those
lines end a sentence (a tool breaks lines inside sentences; one sentence a line, all of about the same length, is
not wrapped), and some line after one of them starts in lower case where 8 or more start with a capital or a digit
(the rest of a sentence; a list of items each starting with a capital or a number is not wrapped). Two lines are then one paragraph when the first word of the second would not have fit on the first
(the reason a wrapping tool breaks there), the second is indented as the first one's text (under a list item's
text, not its bullet), and it does not open a list item itself.

The result never looks wrapped itself (else the dump is returned as it is), so reflowing is idempotent.

The other way round, a dump can have lost its line breaks: the text content of a page whose source is written on
few lines (DOM textContent, BeautifulSoup's get_text(), lxml's text_content()) holds its blocks on one long line,
apart only where the source indented the next tag (split_lost_breaks).
"""
from __future__ import annotations

import re

_MIN_WIDTH, _MAX_WIDTH = 30, 150
_NEAR = 12  # a wrapped line ends within this many characters of the width (the next word did not fit)
_MIN_NEAR, _NEAR_SHARE = 8, 0.3
_SENTENCE_END, _ENDED_SHARE = (".", "!", "?", "。", "！", "？", '."', ".”", "!”", "?”"), 0.5
# A list item's start: a bullet, "1." / "1)" or "a)" and a space (text browsers and pandoc mark lists so); also
# pandoc's div fence (":::"), a line that is never the rest of a paragraph.
_ITEM = re.compile(r"\s*(?:(?:[-*+•·▪●◦‣∙□■o]|\d{1,3}[.)]|[a-z][.)])\s+|:::)")


# Markup that tools leave whole past the width: an address, a Markdown link, pandoc's fences and attribute blocks
_UNBROKEN = ("://", "](", ":::", "]{", "){", "{#", "{.")


def wrap_width(lines: list[str]) -> int | None:
    """The width the lines (right-stripped) were wrapped at, or None when they do not look wrapped. Only lines with a
    non-blank line next to them count: a line standing alone (a heading, a one-line paragraph) shows no wrapping, and
    some tools leave headings whole, wider than the width; nor do lines holding markup a tool cannot break and leaves
    past the width (an address, a Markdown link, pandoc's fences and attributes)."""
    beside = [bool(ln.strip()) for ln in lines] + [False]  # beside[-1]: before the first line, after the last
    texts = [ln for i, ln in enumerate(lines)
             if len(ln.split(None, 1)) == 2 and (beside[i - 1] or beside[i + 1])
             and not any(mark in ln for mark in _UNBROKEN)]
    if len(texts) < _MIN_NEAR:
        return None
    width = max(map(len, texts))
    if not _MIN_WIDTH <= width <= _MAX_WIDTH:
        return None
    longer = [ln for ln in texts if len(ln) >= width / 2]
    near = [ln for ln in longer if len(ln) >= width - _NEAR]
    if len(near) < _MIN_NEAR or len(near) < _NEAR_SHARE * len(longer):
        return None
    # a tool breaks lines inside sentences; lines of about the same length that each end a sentence are not wrapped
    ended = sum(ln.endswith(_SENTENCE_END) for ln in near)
    if ended > _ENDED_SHARE * len(near):
        return None
    # ...so some of the lines after a full one go on in lower case: a list whose every item starts with a capital or
    # a digit (a calendar, a table of specifications) is not wrapped, however alike its lines' lengths
    after = [nxt.lstrip()[0] for ln, nxt in zip(lines, lines[1:]) if nxt.strip() and width - _NEAR <= len(ln) <= width]
    cased = [c for c in after if c.isdigit() or c.islower() or c.isupper()]  # scripts without case do not count
    return None if len(cased) >= _MIN_NEAR and not any(map(str.islower, cased)) else width


def _joined(lines: list[str], width: int) -> tuple[list[str], list[int]]:
    """The lines with each wrapped paragraph on one line (a joined line keeps its first line's indentation), and the
    line of the result (1-based) each line went to."""
    out: list[str] = []
    went: list[int] = []
    last = 0  # length of the last input line added to out[-1] (0: none, or a blank line)
    text_at = -1  # the indentation a continuation of out[-1] has
    for line in lines:
        words = line.split(None, 1)
        if not words:
            out.append(line)
            last, text_at = 0, -1
        else:
            indent = len(line) - len(line.lstrip())
            item = _ITEM.match(line)
            if last and last + 1 + len(words[0]) > width and indent == text_at and not item:
                out[-1] += " " + line.strip()
            else:
                out.append(line)
                text_at = item.end() if item else indent
            last = len(line)
        went.append(len(out))
    return out, went


def reflow(text: str) -> str:
    """text with its hard-wrapped paragraphs on one line each; text itself when it does not look wrapped."""
    return reflow_lines(text)[0]


def reflow_lines(text: str) -> tuple[str, list[int] | None]:
    """reflow(text), and the line of the result (1-based) each line of text went to (None: text came back as it
    is)."""
    lines = [ln.rstrip() for ln in text.split("\n")]
    width = wrap_width(lines)
    if width is None:
        return text, None
    out, went = _joined(lines, width)
    return (text, None) if wrap_width(out) is not None else ("\n".join(out), went)


# A line longer than this holding at least this many runs of two or more spaces or tabs has lost its line breaks: a
# tool that keeps them never writes one (its longest lines are paragraphs, whose words are one space apart; a text
# browser pads table cells with spaces, in rows far shorter), except Markdown converters, whose table rows and runs
# of links (long with their addresses) can be that long and padded: lines with Markdown links or starting a table
# row are left alone. None of the dumps in ../shared (inscriptis, w3m, the seeds) has such a line.
LOST_BREAKS_CHARS, LOST_BREAKS_RUNS = 1_000, 3
_GAP = re.compile(r"[ \t]{2,}")


def split_lost_breaks(text: str) -> str:
    """text with each line that lost its line breaks split at its runs of spaces and tabs, one block a line;
    text itself when no line did. Idempotent: the lines split off hold no such runs."""
    lines = text.split("\n")
    if all(len(ln) <= LOST_BREAKS_CHARS for ln in lines):
        return text
    out: list[str] = []
    for line in lines:
        s = line.strip()
        if (len(s) > LOST_BREAKS_CHARS and "](" not in s and not s.startswith("|")
                and len(_GAP.findall(s)) >= LOST_BREAKS_RUNS):
            out.extend(_GAP.split(s))
        else:
            out.append(line)
    return "\n".join(out)
