"""Boilerplate removal for flattened pages (text dumps): line rules and a rule pass, then a learned classifier.

The page's DOM is gone, so the cleaner works from what survives flattening. The rule pass (rule_pass) judges
every line:
1. line rules: image placeholders, credits, copyright/contact footers, interface text, comment prompts,
   "Read: ..." pointers, relative times, template sentences; lines of the source's site template
   (clean/templates.py) stay in place as separators and go at the end;
2. sections: a chrome heading ("Related Articles", "Comments", "Tags:") opens a block that ends where
   paragraphs resume (inline links) or runs to the end of the page (teasers, comment threads), in which case
   it is cut once enough of the article precedes it;
3. the article body is the densest run of prose (maximum-sum run of per-line scores); lines before it are
   the header (title and byline/date recovered from there) and lines after it the trailer.
The learned line classifier (clean/linemodel.py) then decides what is kept, with the rules' verdicts among its
features, and picks the title and the date line. Its verdict is applied again to what it kept until nothing
changes, so the result is a fixed point. Every dropped line becomes a RemovedSpan with a reason slug.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from operator import attrgetter

import numpy as np

from newsclean.clean import patterns as P
from newsclean.clean.linemodel import clear_shape_cache, default_model
from newsclean.document import RemovedSpan
from newsclean.extract.dates import find_date
from newsclean.text import CJK, TOKEN, word_count

_CJK_PUNCT = re.compile(r"[、，。！？；：]")
_PUNCT = re.compile(r"[.,;:!?。，、；：！？…]")
_TERMINAL_CHARS = ".!?。！？…:;"
_CLOSERS = "'\"”’»)]"


def _ends_sentence(text: str) -> bool:
    r"""Whether the line ends like a sentence: the last character before closing quotes/brackets and trailing
    space is terminal punctuation (the regex [.!?。！？…:;]['"”’»)\]]*\s*$, without scanning the line)."""
    t = text.rstrip().rstrip(_CLOSERS)
    return bool(t) and t[-1] in _TERMINAL_CHARS


@dataclass(frozen=True, slots=True)
class TextCleanConfig:
    """Thresholds of the text-dump cleaner; defaults fit news and blog pages."""

    prose_min_words: int = 8  # a line with terminal punctuation and this many words is prose
    prose_long_words: int = 20  # a line this long is prose even without terminal punctuation
    cjk_prose_chars: int = 20  # a line with this many CJK characters and CJK punctuation is prose
    short_line_penalty: float = 3.0  # cost of a non-prose line inside the body run
    cut_after_share: float = 0.5  # a chrome heading cuts the rest when this share of prose words precedes it
    cut_min_words: int = 100  # ... or when at least this many do
    comments_min_words: int = 30  # a comment section needs only this much article before it
    resume_run: int = 3  # consecutive prose lines after a heading that show the article goes on
    streak_cap: int = 10  # the escalating cost of a run of link-like lines stops growing here
    list_run: int = 3  # this many bulleted lines in a row form a list
    list_other_prose: int = 150  # ...whose items stop counting as paragraphs when the page has this much other prose
    repeat_distance: int = 2  # a body line equal to one this close before it (doubled title/headline) is dropped
    texty_penalty: float = 3.0  # flat cost (no escalation) of a non-prose line in running words (list items)
    min_bylines: int = 3  # comment bylines ("X says:", "May 2, 2019 at 4:47 pm") that make a comment thread
    isolated_weight: float = 0.3  # weight of a prose line with no prose neighbour (teaser feeds)
    meta_window: int = 12  # header lines nearest the body searched for a dateline/byline
    max_passes: int = 20  # the classifier is re-applied to its output until nothing changes (bounded)
    title_max_words: int = 30
    find_body: bool = True  # False for text an extractor already reduced to the article (HTML): rules and sections only
    headline_lines: bool = True  # the title line and dateline before the text go to the metadata (False: HTML, whose
    # markup gave them)
    line_model: bool = True  # the learned line classifier decides (clean/linemodel.py); False: the rules alone
    reflow: bool = True  # hard-wrapped dumps are joined back into one line per paragraph first (clean/reflow.py)
    link_markup: bool = True  # text browsers' link numbers and Markdown links are taken out first (clean/markup.py)


@dataclass(slots=True)
class CleanResult:
    """Cleaned text plus what was removed and the metadata found in the dump."""

    text: str
    removed: list[RemovedSpan] = field(default_factory=list)
    title: str | None = None
    published: str | None = None
    source: str | None = None
    author: str | None = None


class _Line:
    """A non-blank input line with its features (computed once per distinct line) and, once classified, the
    reason it is removed (None: kept)."""

    __slots__ = ("no", "text", "words", "prose", "key", "rule", "heading", "byline", "bullet", "template", "texty",
                 "reason")
    # no: 1-based line number; key: normalised text, for repetition; rule: reason from the line rules, if any;
    # heading: the section this line opens as a chrome heading; byline: looks like a reader comment's byline;
    # bullet: starts with a bullet or list number; template: part of this source's site template; texty: not
    # prose, but written in running words (list items, short answers), unlike links.

    def __init__(self, no: int, text: str, features: tuple) -> None:
        self.no, self.text, self.reason = no, text, None
        (self.words, self.prose, self.key, self.rule, self.heading, self.byline, self.bullet, self.template,
         self.texty) = features

    @property
    def stripped(self) -> str:
        return self.text.strip()


# Features of lines seen before, per config: menus, footers and templates repeat across a source's pages. Emptied
# when full: 50,000 lines hold a run's menus and footers in ~60 MB (200,000 took ~240 MB of a 50 MB dump's run).
_FEATURE_CACHE: dict[TextCleanConfig, dict[str, tuple]] = {}
_FEATURE_CACHE_MAX = 50_000


def clear_feature_cache() -> None:
    """Forget every line seen so far (benchmarks measure cold): line features and shapes, first-word gates, dates."""
    _FEATURE_CACHE.clear()
    P.clear_gate_cache()
    find_date.cache_clear()
    clear_shape_cache()


def _feature_cache(config: TextCleanConfig) -> dict[str, tuple]:
    cache = _FEATURE_CACHE.get(config)
    if cache is None or len(cache) > _FEATURE_CACHE_MAX:
        cache = _FEATURE_CACHE[config] = {}
    return cache


def key_and_prose(lines: Iterable[str], config: TextCleanConfig = TextCleanConfig()) -> Iterator[tuple[str, bool]]:
    """(line_key, is_prose) of each non-blank line, from the cleaner's line cache (which this fills for the
    cleaning that follows: site templates are learned from the same lines)."""
    cache = _feature_cache(config)
    for raw in lines:
        t = raw.rstrip()
        if t:
            f = cache.get(t) or _cached_features(cache, t, config)
            yield f[2], f[1]


def _cached_features(cache: dict[str, tuple], text: str, config: TextCleanConfig) -> tuple:
    """The features of a line not in the cache yet, now stored there."""
    features = cache[text] = _features(text, config)
    return features


def _make_lines(text: str, config: TextCleanConfig, templates: frozenset[str]) -> list[_Line]:
    """The non-blank lines of text with their features (looked up in the cache, else computed)."""
    cache = _feature_cache(config)
    get = cache.get
    lines = [_Line(no, t, get(t) or _cached_features(cache, t, config))
             for no, t in enumerate([raw.rstrip() for raw in text.split("\n")], start=1) if t]
    if templates:  # a template line stays in place as a non-prose separator, removed at the end
        for line in lines:
            if line.key in templates:
                line.prose, line.template, line.texty = False, True, False
    return lines


# ASCII text: word tokens are runs of letters and digits, so mapping every other byte to a space (and letters to
# lower case) and splitting gives the folded tokens of the token pattern, several times faster.
_ASCII_LOWER_WORDS = bytes(ord(chr(c).lower()) if chr(c).isalnum() else 32 for c in range(128)) + b" " * 128
_ASCII_SHAPE = bytes(108 if chr(c).islower() else 117 if chr(c).isupper() else 32 if chr(c).isspace() else 120
                     for c in range(128)) + b"x" * 128
_LOWER_AND_SPACE = b" abcdefghijklmnopqrstuvwxyz"
_ALNUM_RUN = re.compile(r"[^\W_]+")  # text.TOKEN without its CJK branch
_BULLET_START = "•·▪●◦‣∙*-–—"  # P.BULLET can only match a line whose first character is one of these or a digit


def _features(text: str, config: TextCleanConfig) -> tuple:
    """(words, prose, key, rule, heading, byline, bullet, template, texty) of a line: _Line's fields after no, text."""
    low = text.casefold()
    if text.isascii():
        data = text.encode()
        words = data.translate(_ASCII_LOWER_WORDS)
        tokens = words.decode().split()
        n = len(tokens)
        # the digits (what is left of letters and digits), counted where the byline and contact rules ask
        digits = len(words.translate(None, _LOWER_AND_SPACE)) if n <= 16 else 0
        prose = _prose(text, n, 0, config)
        s = text.lstrip()
        head = tokens[0] if tokens else ""  # where P.head_word differs ("_x"), it admits less: a safe stand-in
        symbols = False
        texty = not prose and _texty(text, n, data)
    else:
        digits = -1  # not counted
        cjk = len(CJK.findall(text))
        if not cjk and len(low) == len(text) and "ı" not in text and "\u0345" not in text:
            # casefold changed characters one for one and none between word and non-word (tests check this on
            # all of Unicode): the words of the folded line are the folded words of the line
            tokens = _ALNUM_RUN.findall(low)
            n = len(tokens)
        else:
            raw = TOKEN.findall(text) if cjk else _ALNUM_RUN.findall(text)  # the same tokens when there is no CJK
            tokens = list(map(str.casefold, raw)) if "ı" not in text and "İ" not in text else P.fold(" ".join(raw)).split()
            n = len(raw) - cjk + (cjk + 1) // 2  # as _words
        prose = _prose(text, n, cjk, config)
        s = text.strip()
        head = "" if n > 30 else P.head_word(s) if cjk else tokens[0] if tokens else ""  # tokens[0]: as for ASCII
        symbols = "©" in low or "ⓒ" in low or (cjk > 0 and any(map(low.__contains__, P.COPYRIGHT_SYMBOLS)))
        texty = not prose and _texty(text, n)
    # line_key, without re-splitting a line already normal: single spaces only (isprintable is false for every
    # other kind of whitespace)
    key = low if "  " not in low and low.isprintable() and low[0] != " " else " ".join(low.split())
    byline = n <= 16 and (":" in text or "：" in text) and bool(
        (text.endswith((":", "：")) and P.COMMENT_BYLINE.match(text))  # the pattern ends with the colon
        or (digits < 0 or digits >= 3) and P.CLOCK.search(text)  # a clock time has three digits at least
        and (find_date(text) or " ago" in key) and not P.ISO_STAMP.search(text))
    # Every gated pattern needs a short line (IMAGE_PLACEHOLDER: a word and a counter at most).
    gates = P.gates_for(head) if n <= 30 else P.NO_GATES
    heading = _heading(s, n, gates, head) if gates[7] or gates[8] else None
    bullet = (s[0] in _BULLET_START or s[0].isdigit()) and bool(P.BULLET.match(text))
    return n, prose, key, _line_reason(s, n, gates, low, tokens, symbols, digits, head), heading, byline, bullet, False, texty


def _words(text: str) -> int:
    """Words of a line; CJK text counts one word per two characters (a rough word length)."""
    if text.isascii():
        return len(text.encode().translate(_ASCII_LOWER_WORDS).split())
    cjk = len(CJK.findall(text))
    return word_count(text) - cjk + (cjk + 1) // 2


def _texty(text: str, n: int, data: bytes | None = None) -> bool:
    """Running words rather than a headline or a link: enough words, and many of them start in lower case.
    `data`: the line's bytes, when it is ASCII and already encoded."""
    if n < 3:
        return False
    if data is not None or text.isascii():  # word starts as bytes: a letter after a space (or at the start)
        shape = b" " + (data or text.encode()).translate(_ASCII_SHAPE)
        lower = shape.count(b" l")
        cased = lower + shape.count(b" u")
        return cased >= 3 and lower >= 0.4 * cased
    firsts = "".join([w[0] for w in text.split()])
    cased = [c for c in firsts if c.isalpha() and c.lower() != c.upper()]
    return len(cased) >= 3 and sum(c.islower() for c in cased) >= 0.4 * len(cased)


def is_prose(line: str, config: TextCleanConfig = TextCleanConfig(), n: int | None = None) -> bool:
    """Sentence-like: long enough and ending like a sentence, or simply long."""
    cjk = 0 if line.isascii() else len(CJK.findall(line))
    return _prose(line, _words(line) if n is None else n, cjk, config)


def _prose(line: str, n: int, cjk: int, config: TextCleanConfig) -> bool:
    """is_prose of a line with n words, cjk of them CJK characters."""
    if cjk >= config.cjk_prose_chars and _CJK_PUNCT.search(line):
        return True  # CJK sentences often end a line without 。; a long run of CJK with commas is prose
    if n >= config.prose_long_words:
        return bool(_PUNCT.search(line))  # a long line without any punctuation is a word list (tags, menus)
    return n >= config.prose_min_words and _ends_sentence(line)


def line_key(text: str) -> str:
    """A line's identity for repetition and templates: case-folded, spacing collapsed."""
    return " ".join(text.casefold().split())



def line_reason(text: str, n: int | None = None) -> str | None:
    """The reason slug for a line that is chrome wherever it stands, or None."""
    s = text.strip()
    head = P.head_word(s)
    return _line_reason(s, _words(s) if n is None else n, P.gates_for(head), s.casefold(), None, True, -1, head)


def _line_reason(s: str, n: int, gates: tuple[bool, ...], low: str, tokens: list[str] | None,
                 symbols: bool = True, digits: int = -1, head: str = "") -> str | None:
    """line_reason of a stripped line, given its word count, its first word's gates, its case-folded text and, if
    known, its folded word tokens, whether it holds a copyright symbol or CJK form (patterns.COPYRIGHT_SYMBOLS) and
    its number of digits (-1: not counted). A pattern is tried only on lines its gate admits, in the order that
    decides."""
    if gates is P.NO_GATES:  # most lines: only the rules that do not depend on the first word can apply
        if n > 80:
            return None
        if _credit(s, n, tokens):
            return "photo_credit"
        triggered = tokens is None or not P.TRIGGER_TOKENS.isdisjoint(tokens)
        if symbols or triggered:
            return _all_line_rules(s, n, gates, low, tokens, symbols, digits, head)
        if n <= 12 and _contact(s, digits, tokens):
            return "contact"
        if n <= 12 and P.UI_CHROME_ANYWHERE in low and P.UI_CHROME.match(s):
            return "ui_chrome"
        return None
    return _all_line_rules(s, n, gates, low, tokens, symbols, digits, head)


def _all_line_rules(s: str, n: int, gates: tuple[bool, ...], low: str, tokens: list[str] | None, symbols: bool,
                    digits: int, head: str) -> str | None:
    """_line_reason, every rule in order (each still behind its gate)."""
    image, image_prefix, photo, comments, ui, read_more, relative_time, _, _ = gates
    if image and P.IMAGE_PLACEHOLDER.match(s):
        return "image_placeholder"
    if n <= 20:
        if photo and P.PHOTO_CREDIT.match(s):
            return "photo_credit"
        if image_prefix:
            rest = P.IMAGE_PREFIX.sub("", s)
            if P.gates_for(P.head_word(rest))[2] and P.PHOTO_CREDIT.match(rest):
                return "photo_credit"
            if P.IMAGE_PREFIX.match(s):
                return "image_placeholder"
    if _credit(s, n, tokens):
        return "photo_credit"
    triggered = tokens is None or not P.TRIGGER_TOKENS.isdisjoint(tokens)
    if n <= 40 and (symbols or (triggered and (tokens is None or not P.COPYRIGHT_TOKENS.isdisjoint(tokens)))) \
            and any(map(low.__contains__, P.COPYRIGHT_HINTS)) and P.COPYRIGHT.search(s):
        return "footer"
    if n <= 12 and _contact(s, digits, tokens):
        return "contact"
    if n <= 8 and comments and P.COMMENTS.match(s):
        return "comments"
    if n <= 12 and (ui or P.UI_CHROME_ANYWHERE in low) and P.UI_CHROME.match(s):
        return "ui_chrome"
    if n <= 25 and read_more and P.READ_MORE.match(s):
        return "read_more"
    if n <= 6 and relative_time and P.RELATIVE_TIME.match(s):
        return "timestamp"
    if n <= 80 and triggered and (tokens is None or not P.BOILERPLATE_TOKENS.isdisjoint(tokens)) \
            and any(map(low.__contains__, P.BOILERPLATE_HINTS)) and P.BOILERPLATE_SENTENCE.search(s):
        return "boilerplate_sentence"
    return None


def _credit(s: str, n: int, tokens: list[str] | None) -> bool:
    """A photo credit at the end of a line: an agency's name, or a caption ending "(Photo: ...)"."""
    if n <= 12 and (_agency_at_end(s) if tokens is None else bool(tokens) and tokens[-1] in P.AGENCY_LAST_TOKENS) \
            and P.PHOTO_AGENCY.search(s) and not _ends_sentence(s.rstrip(")")):
        return True
    return n <= 60 and s.endswith(")") and bool(P.CAPTION_CREDIT.search(s))


def _contact(s: str, digits: int, tokens: list[str] | None) -> bool:
    """An e-mail address or a phone number (7 digits or more; `digits`: the line's digit count, -1 if not counted)."""
    if "@" in s and P.EMAIL.search(s):
        return True
    enough = digits >= 7 if digits >= 0 else tokens is None or not "".join(tokens).isalpha()
    return enough and bool(P.PHONE.search(s)) and sum(map(str.isdigit, s)) >= 7


def _agency_at_end(s: str) -> bool:
    """Whether the line ends with a photo agency's name (before trailing spaces, slashes, brackets and dots)."""
    t = s.rstrip()
    while t and t[-1] in "/).":
        t = t[:-1].rstrip()
    return P.fold(t[-24:]).endswith(P.AGENCY_ENDINGS)


_BYLINE = attrgetter("byline")


def _cut_sections(live: list[_Line], config: TextCleanConfig) -> tuple[list[_Line], tuple[int, int] | None, int | None]:
    """Remove sections opened by chrome headings; returns the lines left, the densest prose run (_best_run) of the
    lines it was given if it was computed, and the line number of the first line it cut, if any.

    A block inside the article (inline "Related" links) ends where paragraphs resume; a block with no article
    after it (teasers, comments, tags) runs to the end and is cut once enough of the body's prose precedes it.
    Comment threads are always cut there. In text an extractor already cut to the article (find_body False), every
    block but a comment thread ends at the next paragraph. Prose is counted once per distinct line, so removing
    repeats later does not change the decision on a re-run.
    """
    bylines = sum(map(_BYLINE, live)) if config.find_body else 0
    if bylines >= config.min_bylines:
        headings = [ln.heading or ("comments" if ln.byline else None) for ln in live]
    else:
        headings = [ln.heading for ln in live]
    if not any(headings):
        return live[:], None, None
    span = _best_run(live, config)
    first_cut = None
    body_start = span[0]
    prose = [ln.prose for ln in live]
    first = _first_occurrences(live[body_start:])
    prose_total = sum(ln.words for k, ln in enumerate(live[body_start:]) if prose[body_start + k] and k in first) or 1
    prose_before, i, dropped, counted = 0, 0, set(), set()
    while i < len(live):
        heading = headings[i]
        if heading is None:
            key = live[i].key
            if prose[i] and i >= body_start and key not in counted:
                prose_before += live[i].words
                counted.add(key)
            i += 1
            continue
        resume = _paragraphs_resume(prose, i + 1, config.resume_run)
        if resume is None and not config.find_body and heading != "comments":
            # text an extractor already cut to the article: its page chrome is gone, so a chrome heading left in
            # it heads an inline box ("Related article" and a link), not the page's tail, however the article
            # goes on after it (subheadings, lists, short paragraphs)
            resume = len(live)
        if resume is not None and heading != "comments":
            # the block is the heading and the link-like lines under it: it ends at the first paragraph
            resume = next((k for k in range(i + 1, resume) if prose[k]), resume)
            first_cut = live[i].no if first_cut is None else first_cut
            for k in range(i, resume):
                live[k].reason = heading
                dropped.add(k)
            i = resume
            continue
        enough = config.comments_min_words if heading == "comments" else config.cut_min_words
        if prose_before >= enough or prose_before >= config.cut_after_share * prose_total:
            j = i
            while j > 0 and not prose[j - 1] and (j - 1) not in dropped:
                j -= 1
            current = "trailing_chrome"
            first_cut = live[j].no if first_cut is None else first_cut
            for k in range(j, len(live)):  # each later heading names the lines under it
                current = (headings[k] or current) if k >= i else current
                live[k].reason = current
            break
        i += 1
    return [ln for ln in live if ln.reason is None], span, first_cut


def _first_occurrences(lines: list[_Line]) -> set[int]:
    seen: set[str] = set()
    out: set[int] = set()
    for k, line in enumerate(lines):
        if line.key not in seen:
            seen.add(line.key)
            out.add(k)
    return out


def _mark_repeats(body: list[_Line], config: TextCleanConfig) -> None:
    """In-page repetition inside the body: a line doubled right away (titles, teaser headlines). Lines repeated
    further apart are left alone: they can be the article's own (interview questions, recipe steps).
    Distances count surviving lines only, so cleaning the output again finds nothing more to remove."""
    last_seen: dict[str, int] = {}
    pos = 0
    for line in body:
        key = line.key
        prev = last_seen.get(key)
        if prev is not None and pos - prev <= config.repeat_distance:
            line.reason = "repeated_line"
            continue
        last_seen[key] = pos
        pos += 1


def _paragraphs_resume(prose: list[bool], start: int, run: int) -> int | None:
    """Index of the first run of `run` consecutive prose lines at or after start, or None."""
    count = 0
    for k in range(start, len(prose)):
        count = count + 1 if prose[k] else 0
        if count == run:
            return k - run + 1
    return None


def _section_heading(text: str, n: int | None = None) -> str | None:
    s = text.strip()
    head = P.head_word(s)
    return _heading(s, _words(s) if n is None else n, P.gates_for(head), head)


def _heading(s: str, n: int, gates: tuple[bool, ...], head: str) -> str | None:
    """The section a stripped line opens as a chrome heading, or None."""
    if n > 30:
        return None
    if gates[8] and P.COMMENT_COUNT_HEADING.match(s):
        return "comments"
    if n > 8 or not gates[7]:
        return None
    m = P.SECTION_HEADING.match(s)
    return m.lastgroup if m else None


def _best_run(lines: list[_Line], config: TextCleanConfig) -> tuple[int, int]:
    """Indices [start, end) of the maximum-sum run of line scores: the densest run of prose.

    A prose line scores its word count; the k-th non-prose line in a row costs k * short_line_penalty, so a
    subheading inside the article is cheap to cross while a long run of links or menu items is not.
    """
    prose = [ln.prose for ln in lines]
    prose.append(False)  # sentinel: the line after the last is not prose
    iso, texty_penalty, penalty, cap = config.isolated_weight, config.texty_penalty, config.short_line_penalty, config.streak_cap
    best, best_start, best_end = 0.0, 0, 0
    total, start, streak = 0.0, 0, 0
    for i, line in enumerate(lines):
        if total <= 0:
            total, start = 0.0, i
        if prose[i]:
            streak = 0
            # A paragraph standing alone between non-prose lines is how teaser feeds look: it counts less.
            alone = not prose[i - 1] and not prose[i + 1]  # prose[-1] is the sentinel when i == 0
            total += line.words * (iso if alone else 1.0)
        elif line.texty:
            total -= texty_penalty
        else:
            streak += 1
            total -= penalty * (streak if streak < cap else cap)
        if total > best:
            best, best_start, best_end = total, start, i + 1
    return best_start, best_end


_DATE_LABEL = re.compile(
    r"(?i)(?:\b(?:published|updated|posted|last modified|date|publié|mis à jour|veröffentlicht|aktualisiert|stand|publicado|"
    r"actualizado|pubblicato|aggiornato|gepubliceerd)\b|发布(?:时间|于)?|时间|更新)?\s*[:：]?\s*(?:\b(?:on|am|le|el|il|op|den)\b)?\s*$"
)


def _meta_from_line(text: str) -> tuple[str | None, str | None, str | None]:
    """(published, source, author) from a byline/dateline such as 'Asia Times17-02-2025' or 'By X | May 2, 2024'."""
    found = find_date(text)
    if not found:  # only a line with a date is read as a dateline
        return None, None, None
    published = found[0]
    rest = text[: found[1]]
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


def _mark_list_runs(lines: list[_Line], config: TextCleanConfig) -> None:
    """Runs of bulleted or numbered lines are lists: even long items (headline + teaser) are not paragraphs,
    unless the page has little prose besides its lists (then a list is the article: "10 things to know")."""
    flags = bytes([ln.bullet for ln in lines])  # 1 for a bulleted line
    in_runs = re.sub(b"\x01{%d,}" % config.list_run, lambda m: b"\x02" * len(m.group()), flags)  # 2: in a list
    if in_runs == flags:
        return
    other_prose = sum(ln.words for ln, mark in zip(lines, in_runs) if mark != 2 and ln.prose)
    if other_prose < config.list_other_prose:
        return
    for item, mark in zip(lines, in_runs):
        if mark == 2 and item.prose:
            item.texty, item.prose = True, False


def _classify(lines: list[_Line], config: TextCleanConfig) -> tuple[list[_Line], int | None]:
    """One pass of rules, section cuts and body selection; sets each removed line's reason.

    Returns the header lines (where title and dateline are looked for) and the line number where a trailing
    section was cut, if any.
    """
    # 1. Line rules. A chrome line that is also a section heading ("Comments") stays until sections are cut.
    for line in lines:
        line.reason = None if line.heading else line.rule
    live = [ln for ln in lines if ln.reason is None]

    # 2. Sections opened by a chrome heading, until nothing more is cut.
    cut_from = None  # the first line a section cut took (lines keep their order, so the first of each pass)
    while True:
        remaining, span, first_cut = _cut_sections(live, config)
        if first_cut is not None and (cut_from is None or first_cut < cut_from):
            cut_from = first_cut
        if len(remaining) == len(live):  # nothing cut: span, if any, is that of live
            break
        live = remaining

    # 3. Body = densest prose run; header and trailer around it.
    if not config.find_body:
        start, end = 0, len(live)
    else:
        start, end = span if span is not None else _best_run(live, config)
    header, trailer = live[:start], live[end:]
    for line in header:
        line.reason = "header"
    for line in trailer:
        line.reason = "trailer"
    body = live[start:end]
    while body and config.find_body:  # repeats removed can leave short lines at the body's edges: trim until stable
        _mark_repeats(body, config)
        body = [ln for ln in body if ln.reason is None]
        s2, e2 = _best_run(body, config)
        if (s2, e2) == (0, len(body)):
            break
        for line in body[:s2]:
            line.reason = "header"
        for line in body[e2:]:
            line.reason = "trailer"
        body = body[s2:e2]
    for line in body:
        if line.template:
            line.reason = "site_template"
        elif line.rule and line.reason is None:
            line.reason = line.rule
    return header, cut_from


def strip_boilerplate(text: str, config: TextCleanConfig = TextCleanConfig(), templates: frozenset[str] = frozenset()) -> CleanResult:
    """Clean a flattened page: keep its main content, record every removed line with its reason, recover title,
    date, source and author.

    The line rules and the rule pass (rule_pass) judge every line first; the learned line classifier
    (clean/linemodel.py) then decides, with the rules' verdicts among its features. `templates` holds line keys
    learned as this source's site template (clean/templates.py). Cleaning cleaned text changes nothing.
    """
    lines = _make_lines(text, config, templates)
    result = rule_pass(lines, config)
    if config.find_body and config.line_model and lines:
        _model_pass(lines, result, config, templates)
    kept_text: list[str] = []
    removed: list[RemovedSpan] = []
    for line in lines:
        if line.reason is None:
            kept_text.append(line.text)
        else:
            removed.append(RemovedSpan(line.text, line.reason, line.no))
    result.text = "\n".join(kept_text)
    result.removed = removed
    return result


def _model_pass(lines: list[_Line], result: CleanResult, config: TextCleanConfig, templates: frozenset[str]) -> None:
    """The learned classifier's verdict over the rules' one, and its title and date picks over theirs.

    The line rules that the training data shows precise (model.hard_rules) remove their lines whatever the score,
    and so do the lines newsclean never counts as article text whatever a benchmark's gold says (_always_chrome);
    the title line and the date line go to the metadata when no kept line precedes them. The verdict is applied
    again to what it keeps (as cleaning the cleaned text would) until it keeps every line, so cleaning is
    idempotent. A removed line keeps the most specific reason known: title or meta, the rules' one (but their
    header and trailer, which stood around the rules' own body), else where it stands (header before the first kept
    line, trailer after the last, chrome_line between)."""
    model = default_model()
    live, judged = lines, lines  # the original lines still kept, and the same lines as the next pass sees them
    x, scores = model.scores(judged)
    for passes in range(config.max_passes):
        keep = (scores >= model.threshold) & ~np.array([ln.rule in model.hard_rules or _always_chrome(ln) for ln in judged],
                                                       dtype=bool)
        if passes == 0:
            title, dated, dates = _metadata_lines(model, judged, x, scores)
            _set_metadata(result, judged, title, dated, dates)
            picks = lambda: (title, dated)
        else:  # the picks matter only where they take a line out: the pickers run only then
            picks = lambda: _metadata_lines(model, judged, x, scores)[:2]
        metadata = _leading_metadata(judged, keep, picks) if config.headline_lines else {}
        metadata.update(_later_copies(judged, keep, config))
        if keep.all() and (passes or [ln.no for ln in judged] == list(range(1, len(judged) + 1))):
            break  # kept whole, and seen as the output will be (no blank lines): a fixed point
        first = int(np.argmax(keep)) if keep.any() else len(keep)
        last = len(keep) - 1 - int(np.argmax(keep[::-1])) if keep.any() else -1
        for i, (original, seen) in enumerate(zip(live, judged)):
            if keep[i]:
                original.reason = None
            elif original.template:
                original.reason = "site_template"
            else:  # the rules' header and trailer stood around the rules' body, not the kept lines
                rules = seen.reason if seen.reason not in ("header", "trailer") else None
                original.reason = (metadata.get(i) or rules or seen.rule
                                   or ("header" if i < first else "trailer" if i > last else "chrome_line"))
        live = [ln for ln, k in zip(live, keep) if k]
        judged = _make_lines("\n".join(ln.text for ln in live), config, templates)
        rule_pass(judged, config)
        x, scores = model.scores(judged)
    for original in live:
        original.reason = None


def later_copies(lines: Iterable[tuple[str, int]], min_words: int) -> list[int]:
    """Positions of the later copies of a paragraph among lines given as (line_key, words): a line of min_words or
    more whose key came before. Some flatteners write a page's text twice (a hidden or mobile copy), and a forum
    quotes a post whole in its replies."""
    seen: set[str] = set()
    copies = []
    for i, (key, words) in enumerate(lines):
        if words >= min_words and key in seen:
            copies.append(i)
        seen.add(key)
    return copies


def _later_copies(lines: list[_Line], keep: np.ndarray, config: TextCleanConfig) -> dict[int, str]:
    """Take the later copies of a kept paragraph out of the kept lines: {index: "repeated_line"}."""
    kept = np.flatnonzero(keep)
    copies = kept[later_copies([(lines[i].key, lines[i].words) for i in kept], config.prose_long_words)]
    keep[copies] = False
    return dict.fromkeys(map(int, copies), "repeated_line")


def _leading_metadata(lines: list[_Line], keep: np.ndarray, picks) -> dict[int, str]:
    """Take the title line, then the date line, out of the kept lines when no kept line precedes them and they are
    short and not prose: {index: "title" or "meta"}. `picks()` gives the indices of the two lines the model picks;
    it is called only when the first kept line could be taken out (the pickers cost more than the rest of a pass)."""
    first = int(np.argmax(keep)) if keep.any() else None
    if first is None or lines[first].prose or lines[first].words > 14:
        return {}  # only the first kept line can be taken out, and this one cannot
    after = [first + 1 + int(k) for k in np.flatnonzero(keep[first + 1:])[:2]]
    if after and lines[after[0]].words <= 14 and find_date(lines[after[0]].stripped):
        after = after[1:]  # a dateline under the title
    if after and _alike(lines[first], lines[after[0]]):
        return {}  # the first of a list's items (a calendar's dates), not its heading
    metadata = {}
    for i, reason in zip(picks(), ("title", "meta")):  # in this order: a dateline follows the title
        if i is not None and keep[i] and not keep[:i].any() and not lines[i].prose and lines[i].words <= 14:
            keep[i], metadata[i] = False, reason
    return metadata


_LIST_MARKS = "*-•·+>#| \t"  # what can stand before a list item's first word (bullets, quote and heading marks)


def _alike(a: _Line, b: _Line) -> bool:
    """Whether two lines look like items of one list: neither prose, and both starting with the same word ("Round
    1: ...", "Round 2: ...") or with a number ("1a etapa", "2a etapa")."""
    if b.prose or a.bullet != b.bullet:
        return False
    first, second = a.stripped.lstrip(_LIST_MARKS), b.stripped.lstrip(_LIST_MARKS)
    if not first or not second:
        return False
    return first.split()[0] == second.split()[0] or (first[0].isdigit() and second[0].isdigit())


def _always_chrome(line: _Line) -> bool:
    """A line that credits a photo ("Photo source: ...", "Image: Reuters") or links to another story ("Read more:
    ..."): not the article's text, though WCXB's gold keeps some (policy, see the README). A caption that ends in
    its credit ("... (Photo: AP)") is left to the model."""
    return line.rule == "read_more" or (line.rule == "photo_credit" and not line.stripped.endswith(")"))


def _metadata_lines(model, lines: list[_Line], x: np.ndarray, scores: np.ndarray):
    """Indices of the title line and the date line the model picks (None: no candidate), and each line's date."""
    texts = [ln.stripped for ln in lines]
    dates = [find_date(t) if len(t) < 300 else None for t in texts]
    days = [d[0] if d else None for d in dates]
    title = model.pick_title(x, scores, texts, days)
    dated = model.pick_date(x, scores, texts, days)
    return title, dated, dates


_MARKDOWN_HEADING = re.compile(r"^#{1,6}[ \t]+|(?<![ \t])[ \t]+#+$")  # "## Title ##" (a hashtag has no space after "#")
# The runs of marks around a heading: "****** Title ******" (Debian's html2text, which wraps a long one over two
# lines, one run on each), "== Title ==" (wiki text). After an opening run, what follows the closing one is not the
# heading (a reflowed dump may have joined the next line to it).
_OPENING_RUN = re.compile(r"^(?:\*{2,6}|={2,6})[ \t]+(?=\S)")
_CLOSING_RUN = re.compile(r"(?<=\S)[ \t]+(?:\*{2,6}|={2,6})$")
_CLOSING_RUN_AND_AFTER = re.compile(r"(?<=\S)[ \t]+(?:\*{2,6}|={2,6})(?:[ \t].*)?$")


def title_text(line: str) -> str:
    """A title line as the title: without the Markdown heading marks, the runs of stars or equals signs around it
    or the bold around it ("# **Title**")."""
    t = _MARKDOWN_HEADING.sub("", line.strip())
    if opened := _OPENING_RUN.match(t):
        t = _CLOSING_RUN_AND_AFTER.sub("", t[opened.end():])
    else:
        t = _CLOSING_RUN.sub("", t)
    for mark in ("**", "__"):
        if len(t) > 4 and t.startswith(mark) and t.endswith(mark):
            t = t[2:-2].strip()
    return t


def _set_metadata(result: CleanResult, lines: list[_Line], title: int | None, dated: int | None, dates: list) -> None:
    """Title, date, and the source or author written beside the date, over what the rules found."""
    if title is not None:
        result.title = title_text(lines[title].text)
    if dated is not None:
        published, source, author = _meta_from_line(lines[dated].stripped)
        result.published = dates[dated][0]
        if published == result.published:
            result.source, result.author = source or result.source, author or result.author


def rule_pass(lines: list[_Line], config: TextCleanConfig) -> CleanResult:
    """The rules' verdict on each line (its reason, None: kept) and the metadata they recover (text left empty)."""
    _mark_list_runs(lines, config)
    result = CleanResult(text="")
    header, cut_from = _classify(lines, config)

    # Metadata: title and dateline from the header, source lines anywhere outside the body.
    title_line = _pick_title(header, lines, config)
    if title_line is not None:
        result.title = title_text(title_line.text)
        for line in lines:
            if line.reason == "header" and line.key == title_line.key:
                line.reason = "title"
    # A dateline or byline: in the header of a dump, or opening text an extractor already cut to the article.
    candidates = header[-config.meta_window:]
    if not config.find_body and config.headline_lines:
        candidates = _opening_datelines([ln for ln in lines if ln.reason is None])
    for line in candidates:
        if line.reason in ("header", None) and line.words <= 14:
            published, source, author = _meta_from_line(line.stripped)
            if published:
                result.published = result.published or published
                result.source = result.source or source
                result.author = result.author or author
                line.reason = "meta"
    for line in lines:
        reason = line.reason
        if reason is not None and (":" in line.text or "：" in line.text):
            m = P.SOURCE_LINE.match(line.text)
            if m:
                result.source = result.source or m.group("source").strip()
                line.reason = reason = "meta"
        if cut_from is not None and line.no > cut_from and reason in ("trailer", "header"):
            line.reason = "trailing_chrome"

    for _ in range(config.max_passes - 1):  # _classify only sets reasons, and the kept lines have none yet
        kept = [ln for ln in lines if ln.reason is None]
        _classify(kept, config)
        if all(ln.reason is None for ln in kept):
            break

    for line in lines:
        if line.reason in ("header", "trailer", "trailing_chrome"):  # the most specific reason for such lines
            line.reason = "site_template" if line.template else line.rule or line.reason
    return result


def _opening_datelines(kept: list[_Line]) -> list[_Line]:
    """The datelines and bylines that open text already cut to the article ("Posted by Ana Ruiz on May 2, 2024",
    "Last updated: April 21, 2025"): the kept lines from the first on that show a date in at most 14 words, up to
    one that ends in a colon (it introduces what follows) or starts a list of lines alike (a calendar's dates)."""
    found = []
    for line, after in zip(kept, kept[1:] + [None]):
        if line.words > 14 or line.stripped.endswith((":", "：")) or not find_date(line.stripped):
            break
        if after is not None and _alike(line, after):
            break
        found.append(line)
    return found


def _pick_title(header: list[_Line], lines: list[_Line], config: TextCleanConfig) -> _Line | None:
    """The title: a header line shown twice, else the last header line shaped like a headline."""
    counts = Counter(map(attrgetter("key"), lines))
    candidates = [
        ln for ln in header[-2 * config.meta_window:]
        if 3 <= ln.words <= config.title_max_words and not find_date(ln.text) and not ln.bullet
        and not ln.text.endswith((":", "："))
        and not (("://" in ln.text or "www." in ln.key) and P.URL.search(ln.text))
    ]
    if not candidates:
        return None
    doubled = [ln for ln in candidates if counts[ln.key] > 1]
    return doubled[0] if doubled else candidates[-1]
