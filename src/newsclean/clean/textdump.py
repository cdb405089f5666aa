"""Boilerplate removal for flattened pages (text dumps): line rules, section cuts and the densest prose run.

The page's DOM is gone, so the cleaner works from what survives flattening:
1. line rules: image placeholders, credits, copyright/contact footers, interface text, comment prompts,
   "Read: ..." pointers, relative times, lines repeated inside the page;
2. section cuts: a chrome heading ("Related Articles", "Comments", "Tags:") after most of the prose
   starts page furniture that runs to the end; the short lines just before it go with it;
3. the article body is the densest run of prose (maximum-sum segment of per-line scores); lines before
   it are the header (title and byline/date recovered from there) and lines after it the trailer.
Every dropped line becomes a RemovedSpan with a reason slug.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from newsclean.clean import patterns as P
from newsclean.document import RemovedSpan
from newsclean.extract.dates import find_date
from newsclean.text import CJK, word_count

_TERMINAL = re.compile(r"[.!?。！？…:;]['\"”’»)\]]*\s*$")


@dataclass(frozen=True, slots=True)
class TextCleanConfig:
    """Thresholds of the text-dump cleaner; defaults fit news and blog pages."""

    prose_min_words: int = 8  # a line with terminal punctuation and this many words is prose
    prose_long_words: int = 20  # a line this long is prose even without terminal punctuation
    short_line_penalty: float = 3.0  # cost of a non-prose line inside the body run
    cut_after_share: float = 0.5  # a chrome heading cuts the rest when this share of prose words precedes it
    title_max_words: int = 30


@dataclass(slots=True)
class CleanResult:
    """Cleaned text plus what was removed and the metadata found in the dump."""

    text: str
    removed: list[RemovedSpan] = field(default_factory=list)
    title: str | None = None
    published: str | None = None
    source: str | None = None
    author: str | None = None


@dataclass(slots=True)
class _Line:
    no: int  # 1-based line number in the input
    text: str
    words: int
    reason: str | None = None

    @property
    def stripped(self) -> str:
        return self.text.strip()


def _words(text: str) -> int:
    """Words of a line; CJK text counts one word per two characters (a rough word length)."""
    cjk = len(CJK.findall(text))
    return word_count(text) - cjk + (cjk + 1) // 2


def is_prose(line: str, config: TextCleanConfig = TextCleanConfig()) -> bool:
    """Sentence-like: long enough and ending like a sentence, or simply long."""
    n = _words(line)
    return n >= config.prose_long_words or (n >= config.prose_min_words and bool(_TERMINAL.search(line)))


def _norm(text: str) -> str:
    return " ".join(text.casefold().split())


def line_reason(text: str) -> str | None:
    """The reason slug for a line that is chrome wherever it stands, or None."""
    s = text.strip()
    n = _words(s)
    if P.IMAGE_PLACEHOLDER.match(s):
        return "image_placeholder"
    if n <= 20 and (P.PHOTO_CREDIT.match(s) or P.PHOTO_CREDIT.match(P.IMAGE_PREFIX.sub("", s))):
        return "photo_credit"
    if P.IMAGE_PREFIX.match(s) and n <= 20:
        return "image_placeholder"
    if n <= 12 and P.PHOTO_AGENCY.search(s) and not _TERMINAL.search(s.rstrip(")")):
        return "photo_credit"
    if n <= 40 and P.COPYRIGHT.search(s):
        return "footer"
    if n <= 12 and (P.EMAIL.search(s) or P.PHONE.search(s)):
        return "contact"
    if n <= 8 and P.COMMENTS.match(s):
        return "comments"
    if n <= 12 and P.UI_CHROME.match(s):
        return "ui_chrome"
    if n <= 25 and P.READ_MORE.match(s):
        return "read_more"
    if n <= 6 and P.RELATIVE_TIME.match(s):
        return "timestamp"
    return None


def _section_heading(text: str) -> str | None:
    s = text.strip()
    if _words(s) > 8:
        return None
    for reason, pattern in P.SECTION_HEADINGS.items():
        if pattern.match(s):
            return reason
    return None


def _score(line: _Line, config: TextCleanConfig) -> float:
    if is_prose(line.text, config):
        return float(line.words)
    return -config.short_line_penalty


def _best_run(lines: list[_Line], config: TextCleanConfig) -> tuple[int, int]:
    """Indices [start, end) of the maximum-sum run of line scores: the densest run of prose."""
    best, best_span = 0.0, (0, 0)
    total, start = 0.0, 0
    for i, line in enumerate(lines):
        if total <= 0:
            total, start = 0.0, i
        total += _score(line, config)
        if total > best:
            best, best_span = total, (start, i + 1)
    return best_span


_DATE_LABEL = re.compile(
    r"(?i)(?:\b(?:published|updated|posted|last modified|date|publié|mis à jour|veröffentlicht|aktualisiert|stand|publicado|"
    r"actualizado|pubblicato|aggiornato|gepubliceerd)\b|发布(?:时间|于)?|时间|更新)?\s*[:：]?\s*(?:\b(?:on|am|le|el|il|op|den)\b)?\s*$"
)


def _meta_from_line(text: str) -> tuple[str | None, str | None, str | None]:
    """(published, source, author) from a byline/dateline such as 'Asia Times17-02-2025' or 'By X | May 2, 2024'."""
    found = find_date(text)
    published = found[0] if found else None
    rest = text[: found[1]] if found else text
    rest = _DATE_LABEL.sub("", rest.strip())
    rest = rest.strip(" \t|·•,-–—:：/")
    source = author = None
    if rest and not rest.startswith("#") and _words(rest) <= 8:
        m = re.match(r"(?i)^(?:by|von|par|por|di|作者)\s*[:：]?\s+(.+)$", rest)
        if m:
            author = m.group(1).strip()
        elif not re.search(r"\d", rest):
            source = rest
    return published, source, author


def strip_boilerplate(text: str, config: TextCleanConfig = TextCleanConfig()) -> CleanResult:
    """Clean a flattened page: keep the article body, record every removed line with its reason."""
    lines = [_Line(no=i, text=t.rstrip(), words=_words(t)) for i, t in enumerate(text.split("\n"), start=1) if t.strip()]
    result = CleanResult(text="")

    # 1. Line rules and in-page repetition.
    seen: set[str] = set()
    for line in lines:
        line.reason = line_reason(line.text)
        key = _norm(line.text)
        if line.reason is None and key in seen and line.words >= 1:
            line.reason = "repeated_line"
        seen.add(key)
    live = [ln for ln in lines if ln.reason is None]

    # 2. Section cut: a chrome heading after most of the prose ends the article.
    prose_total = sum(ln.words for ln in live if is_prose(ln.text, config)) or 1
    prose_before = 0
    for i, line in enumerate(live):
        heading = _section_heading(line.text)
        if heading and prose_before >= config.cut_after_share * prose_total:
            j = i
            while j > 0 and not is_prose(live[j - 1].text, config):
                j -= 1
            for k, later in enumerate(live[j:], start=j):
                later.reason = heading if k >= i else "trailing_chrome"
            live = live[:j]
            break
        if is_prose(line.text, config):
            prose_before += line.words
    # Lines removed by rules inside a cut section take the section's reason too.
    cut_from = min((ln.no for ln in lines if ln.reason in P.SECTION_HEADINGS or ln.reason == "trailing_chrome"), default=None)

    # 3. Body = densest prose run; header and trailer around it.
    start, end = _best_run(live, config)
    header, trailer = live[:start], live[end:]
    for line in header:
        line.reason = "header"
    for line in trailer:
        line.reason = "trailer"

    # Metadata: title and dateline from the header, source lines anywhere outside the body.
    title_line = _pick_title(header, lines, config)
    if title_line is not None:
        result.title = title_line.stripped
        for line in lines:
            if line.reason in ("header", "repeated_line") and _norm(line.text) == _norm(title_line.text):
                line.reason = "title"
    for line in header + [ln for ln in lines if ln.reason == "repeated_line" and title_line and ln.no < title_line.no + 8]:
        if line.reason in ("header", "repeated_line") and line.words <= 14:
            published, source, author = _meta_from_line(line.stripped)
            if published:
                result.published = result.published or published
                result.source = result.source or source
                result.author = result.author or author
                line.reason = "meta"
    for line in lines:
        m = P.SOURCE_LINE.match(line.text)
        if m and line.reason is not None:
            result.source = result.source or m.group("source").strip()
            line.reason = "meta"
    if cut_from is not None:
        for line in lines:
            if line.no > cut_from and line.reason in ("trailer", "header"):
                line.reason = "trailing_chrome"

    kept = [ln.text for ln in lines if ln.reason is None]
    result.text = "\n".join(kept)
    result.removed = [RemovedSpan(text=ln.text, reason=ln.reason, line=ln.no) for ln in lines if ln.reason is not None]
    return result


def _pick_title(header: list[_Line], lines: list[_Line], config: TextCleanConfig) -> _Line | None:
    """The title: a header line shown twice, else the last header line shaped like a headline."""
    counts: dict[str, int] = {}
    for line in lines:
        counts[_norm(line.text)] = counts.get(_norm(line.text), 0) + 1
    candidates = [
        ln for ln in header
        if 3 <= ln.words <= config.title_max_words and not find_date(ln.text) and not P.BULLET.match(ln.text)
        and not ln.stripped.endswith((":", "：")) and not P.URL.search(ln.text)
    ]
    if not candidates:
        return None
    doubled = [ln for ln in candidates if counts[_norm(ln.text)] > 1]
    return doubled[0] if doubled else candidates[-1]
