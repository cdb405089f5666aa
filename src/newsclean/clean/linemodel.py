"""The learned line classifier of the text-dump cleaner: which lines of a flattened page are its main content.

Each line is described by its own shape (length, punctuation, case, bullets, indentation), by what the line
rules and the rule-based pass (textdump.rule_pass) say of it, by its place in the page and by the same figures
for the lines around it (shifted rows and window means, so lists, sections and teaser blocks are seen whole).
A gradient-boosted model (LightGBM) scores every line; two rankers (LightGBM lambdarank, a page's candidates
ranked against each other) pick the title and the date line among the candidates. All are trained on dumps of
labelled pages in several flattening styles (bench/train_cleaner.py) and ship in `model/`.
"""
from __future__ import annotations

import json
import re
import struct
from collections import Counter
from functools import cache, lru_cache
from itertools import chain, count
from operator import attrgetter
from importlib import resources
from typing import Protocol

import numpy as np

MODEL_VERSION = "lines-v2"

# Reasons the rules give (line rules, then the rule pass); index 0: none. Stable order: the model's categories.
REASONS = ("", "image_placeholder", "photo_credit", "footer", "contact", "comments", "ui_chrome", "read_more",
           "timestamp", "boilerplate_sentence", "related_block", "tags", "author_box", "share_block", "header",
           "trailer", "trailing_chrome", "repeated_line", "site_template", "title", "meta")
_REASON_ID = {r: i for i, r in enumerate(REASONS)}
_BULLETS = "•·▪●◦‣∙*-–—+>#|"
_TERMINAL = ".!?。！？…"
_PUNCT = set(".,;:!?。，、；：！？…\"'()[]«»“”‘’")


class RuledLine(Protocol):
    """What the model reads of a line after the rule pass (textdump._Line)."""

    no: int
    text: str
    words: int
    prose: bool
    key: str
    rule: str | None
    heading: str | None
    byline: bool
    bullet: bool
    template: bool
    texty: bool
    reason: str | None


_SHAPE_CACHE: dict[str, bytes] = {}
_SHAPE_CACHE_MAX = 50_000  # lines, as textdump's feature cache


def clear_shape_cache() -> None:
    """Forget the shapes and word sets of lines seen so far (benchmarks measure cold)."""
    _SHAPE_CACHE.clear()
    _word_set.cache_clear()


_UPPER_BYTES = bytes(range(65, 91))
_LETTER_BYTES = bytes(range(65, 91)) + bytes(range(97, 123))
_DIGIT_BYTES = b"0123456789"
_PUNCT_BYTES = bytes(sorted(ord(c) for c in _PUNCT if c.isascii()))


def _counts(s: str) -> tuple[int, int, int, int]:
    """(letters, upper-case letters, digits, punctuation marks) in s: its ASCII characters counted on bytes, the
    others one distinct character at a time."""
    b = s.encode("ascii", "ignore")
    n = len(b)
    letters, upper = n - len(b.translate(None, _LETTER_BYTES)), n - len(b.translate(None, _UPPER_BYTES))
    digits, punct = n - len(b.translate(None, _DIGIT_BYTES)), n - len(b.translate(None, _PUNCT_BYTES))
    if n < len(s):  # some characters are not ASCII
        for c, k in Counter(_NON_ASCII.findall(s)).items():
            letters += k * c.isalpha()
            upper += k * c.isupper()
            digits += k * c.isdigit()
            punct += k * (c in _PUNCT)
    return letters, upper, digits, punct


_NON_ASCII = re.compile(r"[^\x00-\x7f]")


_CAPITAL_SHAPE = bytes(32 if chr(c).isspace() else 85 if chr(c).isupper() else 120 for c in range(128)) + b"x" * 128


def _capitalised(s: str, toks: list[str]) -> int:
    """How many of the words toks of s start with a capital; on bytes when s is ASCII (after a space, a "U")."""
    if s.isascii():
        return (b" " + s.encode().translate(_CAPITAL_SHAPE)).count(b" U")
    return sum([t[0].isupper() for t in toks])


def _shape(text: str) -> bytes:
    """Per-line shape figures as a packed float64 row (a page's rows, joined, are read in one go), cached per
    distinct line: menus and footers repeat across a source's pages."""
    got = _SHAPE_CACHE.get(text)
    if got is not None:
        return got
    s = text.strip()
    n = len(s) or 1
    letters, upper, digits, punct = _counts(s)
    toks = s.split()
    capital = _capitalised(s, toks) / len(toks) if toks else 0.0
    last = s.rstrip("'\"”’»)]")[-1:] if s else ""
    got = _SHAPE_ROW.pack(
        len(s),
        len(text) - len(text.lstrip()),  # indentation (text browsers indent lists and quotes)
        upper / letters if letters else 0.0,
        digits / n,
        punct / n,
        capital,
        last in _TERMINAL,
        last in ":：",
        bool(s) and s[0] in _BULLETS,
        s[:1].isdigit(),
        s.count("|") + s.count("»") + s.count("›"),
        "http" in s or "www." in s,
        "©" in s or "(c)" in s.lower(),
        sum(map(len, toks)) / len(toks) if toks else 0.0,
        letters > 0 and s.isupper(),
    )
    if len(_SHAPE_CACHE) > _SHAPE_CACHE_MAX:
        _SHAPE_CACHE.clear()
    _SHAPE_CACHE[text] = got
    return got


SHAPE_NAMES = ("chars", "indent", "upper", "digits", "punct", "capital", "terminal", "colon", "bullet_char",
               "digit_start", "separators", "url", "copyright", "word_len", "all_caps")
_SHAPE_ROW = struct.Struct(f"{len(SHAPE_NAMES)}d")
_OWN_NAMES = ("words", "prose", "texty", "bullet", "byline", "heading", "template", "rule", "reason",
              "kept_by_rules", "repeats", "first_seen", "blank_before", "blank_after") + SHAPE_NAMES
_ATTRS = attrgetter("words", "prose", "texty", "bullet", "byline")
_KEY = attrgetter("key")
_RULED_ROW = struct.Struct(f"{_OWN_NAMES.index('blank_before')}d")  # the own columns before blank_before, packed
_NEIGHBOUR_COLS = ("words", "prose", "texty", "kept_by_rules", "chars", "terminal", "bullet_char", "blank_before")
_OFFSETS = (-3, -2, -1, 1, 2, 3)
_WINDOWS = (3, 10, 30)


def _shifted(col: np.ndarray, k: int, fill: float = -1.0) -> np.ndarray:
    """col (a column, or columns side by side) moved by k rows: the value of the line k below (k < 0: above),
    `fill` past the ends."""
    out = np.full_like(col, fill)
    if k > 0:
        out[:-k] = col[k:]
    elif k < 0:
        out[-k:] = col[:k]
    return out


def _window_mean(col: np.ndarray, half: int) -> np.ndarray:
    """Mean of col (a column, or columns side by side) over the lines within `half` rows of each line (fewer at
    the page's ends)."""
    c = np.concatenate((np.zeros((1,) + col.shape[1:]), np.cumsum(col, axis=0)))
    idx = np.arange(len(col))
    lo, hi = np.maximum(idx - half, 0), np.minimum(idx + half + 1, len(col))
    return (c[hi] - c[lo]) / (hi - lo).reshape((-1,) + (1,) * (col.ndim - 1))


def line_features(lines: list[RuledLine]) -> np.ndarray:
    """The line model's feature matrix: one row per non-blank line, columns as in feature_names()."""
    n = len(lines)
    if n == 0:
        return np.zeros((0, len(feature_names())))
    counts = Counter(map(_KEY, lines))
    seen: set[str] = set()
    ruled = []  # packed rows: numpy reads them joined far faster than it converts tuples
    for ln in lines:
        key = ln.key
        ruled.append(_RULED_ROW.pack(*_ATTRS(ln), ln.heading is not None, ln.template, _REASON_ID[ln.rule or ""],
                                     _REASON_ID[ln.reason or ""], ln.reason is None, counts[key], key not in seen))
        seen.add(key)
    nos = [ln.no for ln in lines]
    gaps = np.diff(np.array([0] + nos + [nos[-1] + 2])) > 1  # a blank line (or the page's start/end) between
    own_m = np.hstack([np.frombuffer(b"".join(ruled)).reshape(n, -1), np.column_stack([gaps[:-1], gaps[1:]]),
                       np.frombuffer(b"".join([_shape(ln.text) for ln in lines])).reshape(n, -1)])
    col = {name: own_m[:, j] for j, name in enumerate(_OWN_NAMES)}
    pos = np.arange(n, dtype=np.float64)
    words = col["words"]
    prose_words = words * col["prose"]
    kept_words = words * col["kept_by_rules"]
    total_words, total_prose, total_kept = words.sum() or 1.0, prose_words.sum() or 1.0, kept_words.sum() or 1.0
    kept_idx = np.flatnonzero(col["kept_by_rules"])
    if len(kept_idx):
        in_span = (pos >= kept_idx[0]) & (pos <= kept_idx[-1])
        before_span, after_span = kept_idx[0] - pos, pos - kept_idx[-1]
    else:
        in_span = np.zeros(n)
        before_span = after_span = np.full(n, float(n))
    page = np.array([n, total_words, total_prose / total_words, total_kept / total_words, col["bullet"].mean(),
                     col["prose"].mean(), col["kept_by_rules"].mean()])
    parts = [own_m,
             np.column_stack([pos / n, pos, n - 1 - pos,
                              (np.cumsum(prose_words) - prose_words) / total_prose,
                              (np.cumsum(kept_words) - kept_words) / total_kept,
                              in_span, before_span, after_span, words / (words.max() or 1.0)]),
             np.broadcast_to(page, (n, len(page)))]
    neighbours = np.column_stack([col[name] for name in _NEIGHBOUR_COLS])
    shifted = np.stack([_shifted(neighbours, k) for k in _OFFSETS], axis=2)  # line, column, offset
    parts.append(shifted.reshape(n, -1))
    windowed = np.column_stack([prose_words, kept_words, col["kept_by_rules"], col["prose"],
                                col["bullet_char"] + col["bullet"], col["texty"]])
    parts += [_window_mean(windowed, half) for half in _WINDOWS]
    return np.hstack(parts)


@cache
def feature_names() -> tuple[str, ...]:
    """Column names of line_features, in order."""
    names = list(_OWN_NAMES)
    names += ["rel_pos", "pos", "pos_from_end", "prose_share_before", "kept_share_before", "in_rule_span",
              "lines_before_rule_span", "lines_after_rule_span", "words_vs_max"]
    names += ["page_lines", "page_words", "page_prose_share", "page_kept_share", "page_bullets", "page_prose_lines",
              "page_kept_lines"]
    names += [f"{c}@{k:+d}" for c in _NEIGHBOUR_COLS for k in _OFFSETS]
    names += [f"{c}~{h}" for h in _WINDOWS for c in ("prose_words", "kept_words", "kept", "prose", "bullets", "texty")]
    return tuple(names)


CATEGORICAL = ("rule", "reason")


_DATE_WORDS = ("publish", "posted", "updated", "date", "on ", "veröffentlicht", "publié", "publicado", "发布")


_WORD = re.compile(r"\w+")
_MARKERS = ("o", "+", "*", "-")  # what text browsers put before menu and list items


@lru_cache(maxsize=4_096)  # the same lines come back in every fixed-point pass (a page needs a few hundred;
# a long line's set is kilobytes: 65,536 of them held 270 MB)
def _word_set(text: str) -> frozenset[str]:
    return frozenset(_WORD.findall(text.lower()))


def title_features(x: np.ndarray, p: np.ndarray, texts: list[str], dates: list[str | None]) -> tuple[np.ndarray, np.ndarray]:
    """Rows of the lines that could be the title and their features: the line's own, its content score, where it
    stands relative to the kept text and the nearest dated line, how much of it the kept text repeats, and how many
    other candidates say nearly the same (a title shown twice). Candidates: short lines up to the end of the kept
    text, the 200 nearest to its start (a title stands just before the body, after however long a menu)."""
    n = len(p)
    kept = np.flatnonzero(p >= 0.5)
    first, last = (kept[0], kept[-1]) if len(kept) else (n, n)
    pos = np.arange(n)
    cand = np.flatnonzero((x[:, 0] >= 1) & (x[:, 0] <= 40) & (pos <= last))
    cand = np.sort(cand[np.argsort(np.abs(cand - first), kind="stable")[:200]])
    if not len(cand):
        return cand, np.zeros((0, len(title_feature_names())))
    sets = [_word_set(texts[i]) for i in cand]
    lead_overlap, body_overlap, similar = _word_overlaps(sets, [_word_set(texts[i]) for i in kept[:200]],
                                                         p[cand] >= 0.5)
    marker = [t in _MARKERS or (len(t) == 1 and not t.isalnum()) for t in (texts[i].split(" ", 1)[0] for i in cand)]
    dated = np.array([i for i, d in enumerate(dates) if d], dtype=int)
    if len(dated):
        after = dated[np.searchsorted(dated, cand).clip(0, len(dated) - 1)] - cand
        before = dated[(np.searchsorted(dated, cand) - 1).clip(0)] - cand
        to_date = np.where(np.abs(after) < np.abs(before), after, before).clip(-50, 50)
    else:
        to_date = np.full(len(cand), 99)
    rank = np.arange(len(cand))
    level, level_rank, top = _heading_levels(texts, cand)
    extra = np.column_stack([p[cand], _window_mean(p, 3)[cand], cand - first, rank, len(cand) - rank,
                             lead_overlap, body_overlap, similar, marker, np.searchsorted(cand, first) - rank, to_date,
                             level, level_rank, top])
    return cand, np.hstack([x[cand], extra])


_ATX = re.compile(r"[ \t]*(#{1,6})[ \t]")


def _heading_levels(texts: list[str], cand: np.ndarray) -> tuple[np.ndarray, ...]:
    """For each candidate line: its Markdown heading level (0: none), how many headings of that level come before
    it in the page (-1: none), and whether it is of the page's top heading level (a page's title is mostly its first
    or only "#" heading, its sections lower)."""
    levels = np.array([len(m.group(1)) if (m := _ATX.match(t)) else 0 for t in texts], dtype=np.int64)
    same = np.zeros(len(texts), dtype=np.int64)
    for lv in range(1, 7):
        on = levels == lv
        same[on] = np.arange(int(on.sum()))
    headed = levels[levels > 0]
    top = headed.min() if len(headed) else 0
    level = levels[cand]
    return level, np.where(level > 0, same[cand], -1), (level > 0) & (level == top)


def _word_overlaps(cands: list[frozenset[str]], body: list[frozenset[str]], kept: np.ndarray) -> tuple[np.ndarray, ...]:
    """For each candidate line's word set: the share of its words in the first 15 kept lines (lead), the share the
    kept text repeats (a word counts when more kept lines than the candidate itself hold it), and how many other
    candidates say nearly the same (word-set F1 >= 0.8, counting only words held by at most 40 candidates, those
    that tell lines apart). `body`: the word sets of the first 200 kept lines; `kept`: whether each candidate is
    kept. Each distinct word gets a number, so all of this is counting over arrays."""
    groups = cands + body
    sizes = np.fromiter(map(len, groups), dtype=np.int64, count=len(groups))
    index: dict[str, int] = {}  # word -> the position where it first occurs (unique, not consecutive)
    ids = np.fromiter(map(index.setdefault, chain.from_iterable(groups), count()), dtype=np.int64,
                      count=int(sizes.sum()))
    nc, vocab = len(cands), len(ids)
    split = int(sizes[:nc].sum())
    size, rows, words = sizes[:nc], np.repeat(np.arange(nc), sizes[:nc]), ids[:split]
    denom = np.maximum(size, 1)
    in_body = np.bincount(ids[split:], minlength=vocab)[words] > kept[rows]
    lead = np.zeros(vocab, dtype=bool)
    lead[ids[split:split + int(sizes[nc:nc + 15].sum())]] = True
    body_overlap = np.bincount(rows, weights=in_body, minlength=nc) / denom
    lead_overlap = np.bincount(rows, weights=lead[words], minlength=nc) / denom
    # Shared rare words per pair of candidates: the (candidate, rare word) entries sorted by word, so each word's
    # holders are one run; every holder is paired with every holder of its run (itself included).
    rare = np.bincount(words, minlength=vocab)[words] <= 40
    order = np.argsort(words[rare], kind="stable")
    by_word, holder = words[rare][order], rows[rare][order]
    starts = np.flatnonzero(np.concatenate(([True], by_word[1:] != by_word[:-1])))
    run = np.diff(np.append(starts, len(by_word)))
    run_start, run_size = np.repeat(starts, run), np.repeat(run, run)  # per entry: where its run starts, how long
    within = np.arange(int(run_size.sum())) - np.repeat(np.cumsum(run_size) - run_size, run_size)  # 0, 1, ... per entry
    partner = holder[np.repeat(run_start, run_size) + within]
    shared = np.bincount(np.repeat(holder, run_size) * nc + partner, minlength=nc * nc)  # pair j, k at j * nc + k
    pair = np.flatnonzero(shared)
    j, k = np.divmod(pair, nc)
    near = (j != k) & (2 * shared[pair] >= 0.8 * (size[j] + size[k]))
    return lead_overlap, body_overlap, np.bincount(j[near], minlength=nc)


@cache
def title_feature_names() -> tuple[str, ...]:
    return feature_names() + ("p", "p~3", "from_first_kept", "candidate_rank", "candidate_rank_from_end",
                              "lead_overlap", "body_overlap", "similar_lines", "marker", "candidates_to_first_kept",
                              "to_date", "heading_level", "same_level_before", "top_level")


def date_features(x: np.ndarray, p: np.ndarray, texts: list[str], dates: list[str | None]) -> tuple[np.ndarray, np.ndarray]:
    """Rows of the lines that hold a date, and their features: the line's own, its content score, where it stands
    relative to the kept text and to the other dates, and whether a label such as "Published" goes with it."""
    cand = np.array([i for i, d in enumerate(dates) if d], dtype=int)
    if not len(cand):
        return cand, np.zeros((0, len(date_feature_names())))
    n = len(p)
    kept = np.flatnonzero(p >= 0.5)
    first = kept[0] if len(kept) else n
    values = np.array([int(dates[i].replace("-", "")) for i in cand], dtype=np.float64)
    low = [texts[i].lower() for i in cand]
    extra = np.column_stack([
        p[cand], cand - first, np.arange(len(cand)), len(cand) - np.arange(len(cand)),
        values == values.max(), values == values.min(), [sum(v == values) for v in values],
        [any(w in t for w in _DATE_WORDS) for t in low], [len(t) for t in low],
    ])
    return cand, np.hstack([x[cand], extra])


@cache
def date_feature_names() -> tuple[str, ...]:
    return feature_names() + ("p", "from_first_kept", "date_rank", "date_rank_from_end", "latest", "earliest",
                              "same_date_lines", "date_word", "line_chars")


class LineModel:
    """The boosted models: the line classifier, the title and date pickers, and the keep threshold."""

    def __init__(self, lines, title=None, date=None, threshold: float = 0.5, hard_rules: dict | None = None,
                 info: dict | None = None) -> None:
        self.lines, self.title, self.date = lines, title, date
        self.threshold, self.info = threshold, info or {}
        self.hard_rules = hard_rules or {}  # line rules precise enough to decide alone (share of content words)

    def keep_scores(self, lines: list[RuledLine]) -> np.ndarray:
        """The probability that each line is main content."""
        return self.scores(lines)[1]

    def scores(self, lines: list[RuledLine]) -> tuple[np.ndarray, np.ndarray]:
        """The features of each line and the probability that it is main content."""
        if not lines:
            return np.zeros((0, len(feature_names()))), np.zeros(0)
        x = line_features(lines)
        return x, lists_whole(x, self.lines.predict(x, num_threads=1))

    def pick_title(self, x: np.ndarray, p: np.ndarray, texts: list[str], dates: list[str | None]) -> int | None:
        """Index of the line most likely to be the page's title."""
        return _best(self.title, *title_features(x, p, texts, dates))

    def pick_date(self, x: np.ndarray, p: np.ndarray, texts: list[str], dates: list[str | None]) -> int | None:
        """Index of the line whose date is most likely the publication date."""
        return _best(self.date, *date_features(x, p, texts, dates))

    def to_files(self, folder) -> None:
        """Write the models and their description to `folder` (model files are LightGBM's text format)."""
        folder.mkdir(parents=True, exist_ok=True)
        for name in _BOOSTERS:
            getattr(self, name).save_model(str(folder / f"{name}.txt"))
        (folder / "model.json").write_text(json.dumps({**self.info, "version": MODEL_VERSION, "threshold": self.threshold,
                                                       "hard_rules": self.hard_rules},
                                                      indent=1, sort_keys=True) + "\n")


LIST_RUN = 3  # this many bulleted lines in a row, at one indentation, are a list


def lists_whole(x: np.ndarray, p: np.ndarray) -> np.ndarray:
    """Each list decided as a whole: every line of a run of at least LIST_RUN bulleted lines at one indentation
    takes the run's mean score, so a menu or a teaser list goes whole and a list in the article stays whole (line by
    line, the items next to the article took its scores: a menu's last item before the title, a footer's first)."""
    names = feature_names()
    bullet, indent = x[:, names.index("bullet")] > 0, x[:, names.index("indent")]
    # runs of lines: a line continues the run before it when both are bulleted at one indentation
    continues = bullet[1:] & bullet[:-1] & (indent[1:] == indent[:-1])
    run = np.cumsum(np.r_[True, ~continues])
    lines_in_run = np.bincount(run)
    in_list = bullet & (lines_in_run[run] >= LIST_RUN)
    if not in_list.any():
        return p
    mean = np.bincount(run, weights=p) / np.maximum(lines_in_run, 1)
    return np.where(in_list, mean[run], p)


def _best(picker, cand: np.ndarray, f: np.ndarray) -> int | None:
    """The candidate line the picker scores highest (None: no candidate)."""
    return int(cand[int(np.argmax(picker.predict(f, num_threads=1)))]) if len(cand) else None


_BOOSTERS = ("lines", "title", "date")


@cache
def default_model() -> LineModel:
    """The models shipped with the package, loaded once per process."""
    import lightgbm as lgb

    folder = resources.files("newsclean.clean") / "model"
    info = json.loads((folder / "model.json").read_text())
    boosters = [lgb.Booster(model_str=(folder / f"{name}.txt").read_text()) for name in _BOOSTERS]
    return LineModel(*boosters, threshold=info.pop("threshold"), hard_rules=info.pop("hard_rules"), info=info)
