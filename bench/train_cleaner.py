"""Train the text-dump cleaner's line classifier from labelled pages, and measure it honestly.

Line labels come from aligning each dump to the page's gold main content: a line is content when most of its
words lie in word 3-grams that the gold text holds too. Pages: the WCXB development split (gold main content,
seven page kinds) and the Scrapinghub news pages, each in every dump style found (the flatteners in ../shared
and the styles bench/dump_styles.py makes from the same HTML), plus the hand-labelled seeds. Each dump is
prepared first as the pipeline does (clean/markup.py: link markup taken out, hard-wrapped paragraphs joined).

    python bench/train_cleaner.py cv      # grouped-by-domain cross-validation: line-level figures per style/kind
    python bench/train_cleaner.py train --per-page --line-weight 2
                                          # the same, then write the models to clean/model/ (as shipped: every
                                          # style learnt, each labelled page weighing the same, a line its words + 2)
    python bench/train_cleaner.py cv --unseen lynx   # lynx dumps scored by models that never saw one
                                          # (--unseen: no model, line model or picker, learns from those styles)
    python bench/train_cleaner.py train --pickers-only   # refit the title and date pickers alone

Two rounds: models learnt from the dumps alone give each page's out-of-fold output; that output, cleaned again,
is added with every line labelled content (cleaning is idempotent, and clean text must come through whole), and
the shipped models learn from both. (Labelling those lines with their labels in the page instead, or adding each
page's gold lines alone, measured worse: clean text lost lines.)
Features and the first round's scores are cached beside --cache (delete them after changing the features or the
rules).
"""
from __future__ import annotations

import argparse
import gzip
import json
import pickle
import re
import sys
from collections import Counter, defaultdict
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np

from newsclean.clean import linemodel as LM
from newsclean.clean.markup import prepare_dump
from newsclean.clean.textdump import TextCleanConfig, _make_lines, rule_pass
from newsclean.extract.dates import find_date

sys.path.insert(0, str(Path(__file__).resolve().parent))
from speed import c4_rules as c4_keeps  # noqa: E402  (the C4 line filter, on one line)
from newsclean.readers.encoding import decode_bytes

ROOT = Path(__file__).resolve().parent.parent
_WORD = re.compile(r"\w+")
CONFIG = TextCleanConfig()


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def line_labels(lines: list[str], gold: str) -> tuple[np.ndarray, np.ndarray]:
    """(label, words) per line: label 1 when at least half of the line's words sit in a word 3-gram of the gold."""
    g = words(gold)
    grams = {tuple(g[i:i + 3]) for i in range(len(g) - 2)}
    toks, owner = [], []
    for i, ln in enumerate(lines):
        w = words(ln)
        toks += w
        owner += [i] * len(w)
    covered = np.zeros(len(toks), dtype=bool)
    for i in range(len(toks) - 2):
        if tuple(toks[i:i + 3]) in grams:
            covered[i:i + 3] = True
    per_line = np.zeros(len(lines))
    count = np.zeros(len(lines))
    np.add.at(count, owner, 1)
    np.add.at(per_line, owner, covered)
    return (per_line >= 0.5 * np.maximum(count, 1)) & (count > 0), count


def page_rows(text: str, gold: str | None, labels: dict | None = None):
    """Features, labels and word counts of a page's non-blank lines (gold text, or the seeds' line labels;
    labels == "all": every line is content)."""
    if labels is None:  # a dump, prepared as the pipeline does (the seeds' labels count the lines as they are)
        text = prepare_dump(text)[0]
    lines = _make_lines(text, CONFIG, frozenset())
    rule_pass(lines, CONFIG)
    x = LM.line_features(lines).astype(np.float32)
    texts = [ln.text for ln in lines]
    if labels == "all":
        y = np.ones(len(lines), dtype=bool)
        n = np.array([len(words(t)) for t in texts], dtype=float)
    elif labels is not None:
        y = np.array([labels.get(str(ln.no)) in ("keep", "either") for ln in lines])
        n = np.array([len(words(t)) for t in texts], dtype=float)
    else:
        y, n = line_labels(texts, gold)
    return x, y.astype(np.int8), n.astype(np.float32), texts


def _read(path: Path) -> str:
    data = path.read_bytes()
    if path.suffix == ".gz":
        data = gzip.decompress(data)
    return decode_bytes(data)[0]


def sources(shared: Path, dumps: Path):
    """(corpus, style, page id, path, group, kind, gold text or None, line labels or None) of every page."""
    wcxb = shared / "bench" / "wcxb"
    truth = json.load(gzip.open(wcxb / "ground-truth.json.gz", "rt", encoding="utf-8"))
    styles = {"inscriptis": wcxb / "flat-inscriptis", "w3m": wcxb / "flat-w3m"}
    styles |= {d.name: d for d in sorted((dumps / "wcxb").glob("*")) if d.is_dir()}
    for style, folder in styles.items():
        for path in sorted(folder.glob("*.txt*")):
            pid = path.name.split(".")[0]
            t = truth.get(pid)
            if t:
                yield "wcxb", style, pid, path, t["domain"], t["page_type"], t["main_content"] or "", None
    sh = shared / "bench" / "scrapinghub"
    truth = json.load(open(sh / "ground-truth.json", encoding="utf-8"))
    styles = {"inscriptis": sh / "flat"} | {d.name: d for d in sorted((dumps / "scrapinghub").glob("*")) if d.is_dir()}
    for style, folder in styles.items():
        for path in sorted(folder.glob("*.txt*")):
            pid = path.name.split(".")[0]
            t = truth.get(pid)
            if t:
                yield "scrapinghub", style, pid, path, "sh:" + urlsplit(t["url"]).netloc, "article", t["articleBody"], None
    gold = json.load(open(shared / "seeds" / "gold.json", encoding="utf-8"))
    for name, g in gold.items():
        labels = g["labels"] if isinstance(g["labels"], dict) else eval(g["labels"])  # noqa: S307 (our own file)
        yield "seeds", "seed", name, shared / "seeds" / name, "seed:" + name, "article", None, labels


def _one(item):
    corpus, style, pid, path, group, kind, gold, labels = item
    try:
        x, y, n, texts = page_rows(_read(path), gold, labels)
    except Exception as e:  # noqa: BLE001 - a page that cannot be read is left out and counted
        return None, f"{path}: {e}"
    return (corpus, style, pid, group, kind, x, y, n, texts), None


def build(shared: Path, dumps: Path, cache: Path, jobs: int) -> list:
    """Every page's rows, from the cache when it is there."""
    if cache.exists():
        return pickle.load(open(cache, "rb"))
    items = list(sources(shared, dumps))
    pages, failed = [], 0
    with ProcessPoolExecutor(jobs) as pool:
        for page, err in pool.map(_one, items, chunksize=16):
            if page is None:
                failed += 1
            else:
                pages.append(page)
    print(f"{len(pages)} pages read, {failed} failed", file=sys.stderr)
    cache.parent.mkdir(parents=True, exist_ok=True)
    pickle.dump(pages, open(cache, "wb"))
    return pages


def _one_cleaned(item):
    page, text = item
    x, y, n, texts = page_rows(text, None, "all")
    return (page[0], page[1] + "+clean", page[2], page[3], page[4], x, y, n, texts)


def cleaned_pages(pages: list, scores: list, threshold: float, cache: Path, jobs: int) -> list:
    """Each page as the cleaner outputs it (the lines kept out of fold, joined), every line labelled content:
    cleaning cleaned text must keep it whole (idempotence; an export's clean article text too)."""
    if cache.exists():
        return pickle.load(open(cache, "rb"))
    items = [(p[:5], "\n".join(t for t, k in zip(p[8], s >= threshold) if k))
             for p, s in zip(pages, scores) if (s >= threshold).any()]
    with ProcessPoolExecutor(jobs) as pool:
        out = list(pool.map(_one_cleaned, items, chunksize=16))
    pickle.dump(out, open(cache, "wb"))
    return out


def weights(y: np.ndarray, n: np.ndarray, extra: float = 0.2) -> np.ndarray:
    """Each page weighs the same in all (mean per-page F1); within a page a line weighs its words and `extra` more
    (so a line without words, a rule or a bullet alone, still counts for something)."""
    return (n + extra) / (n.sum() + extra * len(n)) * 100


PARAMS = dict(objective="binary", learning_rate=0.12, num_leaves=31, min_data_in_leaf=100, max_bin=63,
              feature_fraction=0.6, bagging_fraction=0.5, bagging_freq=1, lambda_l2=1.0, verbose=-1,
              num_threads=2, seed=7, deterministic=True, force_row_wise=True)
ROUNDS = 120


def _sample(pages: list, share: float) -> list[np.ndarray]:
    """Rows of each page the models learn from: a random share of its lines (a page's lines are much alike;
    the features of a line were computed on the whole page)."""
    rng = np.random.default_rng(1)
    return [np.flatnonzero(rng.random(len(p[6])) < share) for p in pages]


def _dataset(matrices: list[np.ndarray], pages: list, rows: list[np.ndarray], names: tuple[str, ...],
             boost: list[float], extra: float):
    """One LightGBM dataset over the sampled rows of every page (binned once; folds are subsets of it); `boost`:
    each page's weight factor (dump_boost); `extra`: what a line weighs beyond its words (weights)."""
    import lightgbm as lgb

    y = np.concatenate([p[6][r] for p, r in zip(pages, rows)])
    w = np.concatenate([weights(p[6], p[7], extra)[r] * b for p, r, b in zip(pages, rows, boost)])
    cat = [names.index(c) for c in LM.CATEGORICAL]
    x = np.vstack([m[r] for m, r in zip(matrices, rows)])
    return lgb.Dataset(x, y, weight=w, feature_name=list(names), categorical_feature=cat,
                       params={"max_bin": PARAMS["max_bin"]}).construct()


def _folds(pages: list, k: int) -> np.ndarray:
    """Fold of each page: every page of one domain (group) in the same fold."""
    groups = sorted({p[3] for p in pages})
    order = np.random.default_rng(0).permutation(len(groups))
    fold_of = {groups[i]: j % k for j, i in enumerate(order)}
    return np.array([fold_of[p[3]] for p in pages])


def _stage(matrices: list[np.ndarray], pages: list, rows: list[np.ndarray], names: tuple[str, ...],
           fold: np.ndarray, k: int, boost: list[float], extra: float) -> tuple[list[np.ndarray], object]:
    """Out-of-fold scores of every page (k models, each trained without one fold), and a model on all."""
    import lightgbm as lgb

    data = _dataset(matrices, pages, rows, names, boost, extra)
    row_fold = np.concatenate([np.full(len(r), fold[i]) for i, r in enumerate(rows)])
    scores: list = [None] * len(pages)
    for f in range(k):
        model = lgb.train(PARAMS, data.subset(np.flatnonzero(row_fold != f)), ROUNDS)
        for i in np.flatnonzero(fold == f):
            scores[i] = model.predict(matrices[i], num_threads=2)
        print(f"  fold {f + 1}/{k}", file=sys.stderr)
    return scores, lgb.train(PARAMS, data, ROUNDS)


def _learnt(page, unseen: frozenset[str]) -> bool:
    """Whether models learn from this page: its dump style (a cleaned copy's too) is not held out as unseen."""
    return page[1].split("+")[0] not in unseen


def dump_boost(pages: list, unseen: frozenset[str], per_page: bool) -> list[float]:
    """Each dump's weight factor: 1 (each dump weighs as one page), or with `per_page` every labelled page weighs the
    same in all however many of its dumps are learnt from (a WCXB page comes in up to two dozen styles and their
    cleaned copies, a seed as it is and cleaned), its dumps sharing what one page with the most dumps has."""
    if not per_page:
        return [1.0] * len(pages)
    learnt = Counter((p[0], p[2]) for p in pages if _learnt(p, unseen))
    most = max(learnt.values(), default=1)
    return [most / learnt[(p[0], p[2])] if _learnt(p, unseen) else 0.0 for p in pages]


def fit_and_validate(pages: list, k: int, share: float, unseen: frozenset[str] = frozenset(),
                     per_page: bool = False, extra: float = 0.2):
    """The line model fitted on all pages, and every page's out-of-fold scores (folds grouped by domain)."""
    fold, rows = _folds(pages, k), _sample(pages, share)
    rows = [r if _learnt(p, unseen) else r[:0] for p, r in zip(pages, rows)]  # styles no model learns from
    print(f"line model: {sum(map(len, rows))} of {sum(len(p[6]) for p in pages)} lines", file=sys.stderr)
    boost = dump_boost(pages, unseen, per_page)
    oof, model = _stage([p[5] for p in pages], pages, rows, LM.feature_names(), fold, k, boost, extra)
    return LM.LineModel(model), [LM.lists_whole(p[5], s) for p, s in zip(pages, oof)]  # as the cleaner sees them


def page_f1(texts: list[str], keep: np.ndarray, gold: Counter) -> tuple[float, float, float]:
    """WCXB's per-page word P/R/F1 of the kept lines against the gold words."""
    pred = Counter(w for t, k in zip(texts, keep) if k for w in words(t))
    if not gold:
        return (1.0, 1.0, 1.0) if not pred else (0.0, 0.0, 0.0)
    if not pred:
        return 0.0, 0.0, 0.0
    ov = sum((pred & gold).values())
    P, R = ov / sum(pred.values()), ov / sum(gold.values())
    return P, R, 2 * P * R / (P + R) if P + R else 0.0


def evaluate(pages: list, oof: list, shared: Path) -> float:
    """WCXB's metric on each page's lines as kept out of fold, beside no cleaning, C4 and the rules alone;
    returns the keep threshold: the highest of those within THRESHOLD_TIE of the best mean F1 (the table uses 0.5)."""
    wcxb = json.load(gzip.open(shared / "bench" / "wcxb" / "ground-truth.json.gz", "rt", encoding="utf-8"))
    sh = json.load(open(shared / "bench" / "scrapinghub" / "ground-truth.json", encoding="utf-8"))
    gold = {("wcxb", pid): Counter(words(t["main_content"] or "")) for pid, t in wcxb.items()}
    gold |= {("scrapinghub", pid): Counter(words(t["articleBody"])) for pid, t in sh.items()}
    kept_col = LM.feature_names().index("kept_by_rules")
    res, sweep = defaultdict(list), defaultdict(list)
    for p, s in zip(pages, oof):
        if p[0] == "seeds":
            continue
        g = gold[(p[0], p[2])]
        c4 = np.array([bool(c4_keeps(t)) for t in p[8]], dtype=bool)
        for name, keep in (("none", np.ones(len(s), bool)), ("C4", c4), ("rules", p[5][:, kept_col] > 0),
                           ("model", s >= 0.5)):
            res[(p[0], p[1], p[4], name)].append(page_f1(p[8], keep, g))
        for t in THRESHOLDS:
            sweep[t].append(page_f1(p[8], s >= t, g)[2])
    report(res)
    means = {t: float(np.mean(sweep[t])) for t in THRESHOLDS}
    best = max(t for t in THRESHOLDS if means[t] >= max(means.values()) - THRESHOLD_TIE)  # a tie: the one keeping less
    print("mean F1 of all pages by keep threshold: " + ", ".join(f"{t}: {np.mean(sweep[t]):.4f}" for t in THRESHOLDS))
    return best


NAMES = ("none", "C4", "rules", "model")
THRESHOLDS = (0.3, 0.35, 0.4, 0.45, 0.5)
THRESHOLD_TIE = 0.001  # thresholds whose mean F1 is this close to the best tie; the highest of them is taken


def report(res: dict) -> None:
    """Mean F1 and the share of pages losing over half their words, per corpus, style and kind."""
    by = defaultdict(list)
    for (corpus, style, kind, name), rows in res.items():
        by[(corpus, style, "all", name)] += rows
        by[(corpus, style, kind, name)] += rows
    keys = sorted({k[:3] for k in by})
    print(f"{'corpus':12} {'style':11} {'kind':14} {'pages':>5}  " + "  ".join(f"{n:>13}" for n in NAMES))
    for key in keys:
        cells = []
        for name in NAMES:
            rows = by[key + (name,)]
            f1 = np.mean([r[2] for r in rows])
            cut = np.mean([r[1] < 0.5 for r in rows])
            cells.append(f"{f1:.3f} ({100 * cut:4.1f}%)")
        print(f"{key[0]:12} {key[1]:11} {key[2]:14} {len(by[key + ('none',)]):5d}  " + "  ".join(cells))


def title_match(a: str, b: str) -> bool:
    """WCXB's rule: the word sets' F1 is at least 0.8."""
    a, b = set(words(a)), set(words(b))
    return bool(a and b) and 2 * len(a & b) / (len(a) + len(b)) >= 0.8


def _line_dates(texts: list[str]) -> list[str | None]:
    return [(find_date(t) or (None,))[0] if len(t) < 300 else None for t in texts]


def metadata_rows(pages: list, scores: list, shared: Path):
    """Title and date candidates of every WCXB page with gold metadata: (page index, kind, rows, labels)."""
    truth = json.load(gzip.open(shared / "bench" / "wcxb" / "ground-truth.json.gz", "rt", encoding="utf-8"))
    titles, dates = [], []
    for i, (page, p) in enumerate(zip(pages, scores)):
        t = truth.get(page[2]) if page[0] == "wcxb" else None
        if not t:
            continue
        x, texts = page[5].astype(np.float64), page[8]
        d = _line_dates(texts)
        if t.get("title"):
            cand, f = LM.title_features(x, p, texts, d)
            titles.append((i, page[4], cand, f, np.array([title_match(texts[c], t["title"]) for c in cand])))
        if t.get("publish_date"):
            cand, f = LM.date_features(x, p, texts, d)
            dates.append((i, page[4], cand, f, np.array([d[c] == t["publish_date"][:10] for c in cand])))
    return titles, dates


PICKER_ROUNDS = 150


def fit_picker(rows: list, pages: list, k: int, names: tuple[str, ...], unseen: frozenset[str] = frozenset()):
    """A candidate ranker (LightGBM lambdarank: each page's candidates are one query, the right ones relevant), and
    per page whether its out-of-fold pick (the best-ranked candidate) is right."""
    import lightgbm as lgb

    params = PARAMS | {"objective": "lambdarank", "lambdarank_truncation_level": 10, "num_leaves": 15,
                       "min_data_in_leaf": 20, "bagging_fraction": 0.8}

    def ranker(train: list):
        data = lgb.Dataset(np.vstack([r[3] for r in train]), np.concatenate([r[4] for r in train]).astype(int),
                           group=[len(r[2]) for r in train], feature_name=list(names))
        return lgb.train(params, data, PICKER_ROUNDS)

    fold = _folds(pages, k)
    right = {}
    usable = [r for r in rows if len(r[2])]
    for f in range(k):
        model = ranker([r for r in usable if fold[r[0]] != f and _learnt(pages[r[0]], unseen)])
        for r in usable:
            if fold[r[0]] == f:
                s = model.predict(r[3], num_threads=2)
                right[r[0]] = bool(r[4][int(np.argmax(s))])
    return ranker([r for r in usable if _learnt(pages[r[0]], unseen)]), {r[0]: right.get(r[0], False) for r in rows}


def report_pickers(pages: list, titles: dict, dates: dict) -> None:
    """Share of pages whose title/date is picked right, per style, articles and all kinds."""
    by = defaultdict(lambda: [[], []])
    for which, right in ((0, titles), (1, dates)):
        for i, ok in right.items():
            by[(pages[i][1], "all")][which].append(ok)
            if pages[i][4] == "article":
                by[(pages[i][1], "article")][which].append(ok)
    print("metadata from dumps (out of fold, WCXB pages with gold metadata): title right / date right")
    for (style, kind), (t, d) in sorted(by.items()):
        print(f"  {style:11} {kind:8} title {np.mean(t):.3f} ({len(t)})  date {np.mean(d):.3f} ({len(d)})")


HARD_RULE_MAX_CONTENT = 0.07  # a line rule whose lines hold at most this share of content words decides alone


def hard_rules(pages: list) -> dict[str, float]:
    """The line rules precise enough to be verdicts rather than features: reason -> share of content words."""
    col, words_in, content = LM.feature_names().index("rule"), defaultdict(float), defaultdict(float)
    for p in pages:
        for r in np.unique(p[5][:, col]).astype(int):
            on = p[5][:, col] == r
            words_in[r] += p[7][on].sum()
            content[r] += (p[7][on] * p[6][on]).sum()
    shares = {LM.REASONS[r]: content[r] / words_in[r] for r in words_in if r and words_in[r]}
    print("line rules, share of content words: " + ", ".join(f"{k} {v:.3f}" for k, v in sorted(shares.items())))
    return {k: round(float(v), 4) for k, v in shares.items() if v <= HARD_RULE_MAX_CONTENT}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("command", choices=("cv", "train"))
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--dumps", type=Path, default=Path("/work/data/dumps"), help="extra styles (bench/dump_styles.py)")
    ap.add_argument("--cache", type=Path, default=Path("/work/data/lines.pkl"))
    ap.add_argument("--folds", type=int, default=3)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--sample", type=float, default=0.15, help="share of each page's lines the models learn from")
    ap.add_argument("--styles", help="comma-separated: only these dump styles")
    ap.add_argument("--unseen", help="comma-separated dump styles scored but never learned from (a new flattener)")
    ap.add_argument("--per-page", action="store_true",
                    help="each labelled page weighs the same however many of its dumps are learnt (a seed as much as "
                         "a WCXB page)")
    ap.add_argument("--line-weight", type=float, default=0.2,
                    help="what a line weighs beyond its words (0.2: a page's words decide, as word F1 does)")
    ap.add_argument("--pickers-only", action="store_true",
                    help="refit only the title and date pickers, on the cached out-of-fold line scores")
    a = ap.parse_args()
    pages = build(a.shared, a.dumps, a.cache, a.jobs)
    if a.styles:
        keep = set(a.styles.split(",")) | {"seed"}
        pages = [p for p in pages if p[1] in keep]
    unseen = frozenset(a.unseen.split(",")) if a.unseen else frozenset()
    if a.pickers_only:
        return fit_pickers_only(pages, a, unseen)
    first_scores = a.cache.with_suffix(".scores.pkl")  # round one: what a model learnt from the dumps keeps
    if first_scores.exists():
        oof = pickle.load(open(first_scores, "rb"))
    else:
        oof = fit_and_validate(pages, a.folds, a.sample, unseen, a.per_page, a.line_weight)[1]
        pickle.dump(oof, open(first_scores, "wb"))
    cleaned = cleaned_pages(pages, oof, 0.45, a.cache.with_suffix(".cleaned.pkl"), a.jobs)
    print(f"round two: {len(pages)} dumps and {len(cleaned)} cleaned pages", file=sys.stderr)
    model, oof = fit_and_validate(pages + cleaned, a.folds, a.sample, unseen, a.per_page, a.line_weight)
    oof, cleaned_oof = oof[:len(pages)], oof[len(pages):]
    pickle.dump(oof, open(a.cache.with_suffix(".scores2.pkl"), "wb"))
    model.threshold = evaluate(pages, oof, a.shared)
    kept_whole = np.mean([(s >= model.threshold).all() for s in cleaned_oof])
    print(f"cleaned pages kept whole when cleaned again (out of fold): {kept_whole:.3f}")
    titles, dates = metadata_rows(pages, oof, a.shared)
    model.title, title_right = fit_picker(titles, pages, a.folds, LM.title_feature_names(), unseen)
    model.date, date_right = fit_picker(dates, pages, a.folds, LM.date_feature_names(), unseen)
    report_pickers(pages, title_right, date_right)
    if a.command == "train":
        model.hard_rules = hard_rules([p for p in pages if _learnt(p, unseen)])
        model.info = {"pages": len(pages), "styles": sorted({p[1] for p in pages} - unseen),
                      "unseen_styles": sorted(unseen), "corpora": sorted({p[0] for p in pages}), "rounds": ROUNDS}
        model.to_files(ROOT / "src" / "newsclean" / "clean" / "model")


def fit_pickers_only(pages: list, a, unseen: frozenset[str]) -> None:
    """The title and date pickers refitted on the out-of-fold line scores of the last full run (round two's when
    cached, else round one's), beside the shipped line model."""
    cached = [a.cache.with_suffix(s) for s in (".scores2.pkl", ".scores.pkl") if a.cache.with_suffix(s).exists()]
    if not cached:
        sys.exit("no cached line scores: run cv or train first")
    print(f"line scores from {cached[0]}", file=sys.stderr)
    oof = pickle.load(open(cached[0], "rb"))
    titles, dates = metadata_rows(pages, oof, a.shared)
    title, title_right = fit_picker(titles, pages, a.folds, LM.title_feature_names(), unseen)
    date, date_right = fit_picker(dates, pages, a.folds, LM.date_feature_names(), unseen)
    report_pickers(pages, title_right, date_right)
    if a.command == "train":
        model = LM.default_model()
        model.title, model.date = title, date
        model.to_files(ROOT / "src" / "newsclean" / "clean" / "model")


if __name__ == "__main__":
    main()
