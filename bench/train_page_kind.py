"""Learn the page-kind recogniser (extract/kinds.py) from the WCXB development pages, and choose each kind's
extraction settings (extract/html.py KIND_SETTINGS), both measured with cross-validation grouped by domain.

    python bench/train_page_kind.py features   # parse every page once, cache its features (~2 min)
    python bench/train_page_kind.py cv         # recogniser accuracy out of fold, per kind and confusion
    python bench/train_page_kind.py train      # the same, then write extract/model/page_kind.txt
    python bench/train_page_kind.py settings GRID_DIR   # per-kind settings chosen out of fold (see below)
    python bench/train_page_kind.py retries    # per kind, the full-pass retry kept or dropped, chosen out of fold
    python bench/train_page_kind.py regions    # per kind, the extractor's text or the page's main region, out of fold
    python bench/train_page_kind.py second-opinion  # articles' retry asked of resiliparse too, out of fold
    python bench/train_page_kind.py take-other      # articles: resiliparse's text where the retry misses it too
    python bench/train_page_kind.py recipes         # each page's recipe chosen per page, not through its kind

`settings` reads one JSON Lines file per candidate setting in GRID_DIR (`NAME.jsonl`: path, text, as
bench/html_extraction.py quality --grid writes them), scores every page under each (WCXB's metric), adds each candidate
followed by the text pass, and, fold by fold, picks for every kind the candidate with the best mean F1 on the
other folds' pages of that kind; each held-out page is then extracted as its out-of-fold predicted kind's pick.
Folds: every page of one domain in the same fold.

`retries` extracts every page twice as `newsclean clean` does, as its out-of-fold recognised kind (cv writes
page_kind_oof.json beside the cache): with KIND_SETTINGS and every kind's quick pass redone as a full pass where it
keeps too little (`retry`), and with none redone; it scores both outputs (text pass, fallback and all) and times each page's CPU, then, fold by fold, keeps
each recognised kind's retry or drops it, whichever scored better on the other folds' pages. `regions` does the same
with three variants of every kind: its extractor (trafilatura or resiliparse, as before the main region), the page's
main region (extract/visible.py main_text) cleaned as a dump, and the main region with only its chrome lines out.
`second-opinion` does the same with articles' retry as shipped and redone only where the quick pass also keeps less
than a share of resiliparse's main-content words (KindSettings.retry_other: 0.4, 0.6, 0.8); as a saving of CPU, not
of F1, each fold picks the cheapest variant whose mean F1 on the other folds' pages of the kind is within 0.001 of
the best one's. `take-other` does the same with articles' retry as shipped, its text kept, and with resiliparse's
main content taken where the retry too keeps fewer words than retry_other of it (KindSettings.take_other); each
fold picks the variant that scored better on the other folds' pages. `recipes` extracts every page under every
kind's settings (its recipe) and compares, out of fold, the recognised kind's recipe with a per-page choice: the
recipe whose mean F1 on the training folds' pages of each gold kind, weighed by the recogniser's probability of
each kind for the page, is highest; and the best recipe of every page, what no choice can beat.
"""
from __future__ import annotations

import argparse
import gzip
import json
import pickle
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
MODEL = ROOT / "src" / "newsclean" / "extract" / "model" / "page_kind.txt"
PARAMS = {"objective": "multiclass", "num_class": 7, "learning_rate": 0.15, "num_leaves": 7, "min_data_in_leaf": 8,
          "feature_fraction": 0.8, "bagging_fraction": 0.8, "bagging_freq": 1, "lambda_l2": 1.0, "verbose": -1,
          "num_threads": 1, "seed": 7}
ROUNDS = 100
RETRY = (0.2, 0.5)  # candidate shares of the page's visible words below which the quick pass is redone in full
_WORD = re.compile(r"\w+")


def word_f1(pred: str, gold: str) -> float:
    """WCXB's per-page metric: bag-of-words F1 over lower-cased \\w+ tokens."""
    p, g = Counter(_WORD.findall(pred.lower())), Counter(_WORD.findall(gold.lower()))
    if not g:
        return 1.0 if not p else 0.0
    overlap = sum((p & g).values())
    if not overlap:
        return 0.0
    precision, recall = overlap / sum(p.values()), overlap / sum(g.values())
    return 2 * precision * recall / (precision + recall)


def truth(wcxb: Path) -> dict:
    return json.load(gzip.open(wcxb / "ground-truth.json.gz", "rt", encoding="utf-8"))


def folds(pids: list[str], gold: dict, k: int) -> np.ndarray:
    """Fold of each page: domains dealt round-robin, largest first, so every domain's pages share a fold."""
    sizes = Counter(gold[p]["domain"] for p in pids)
    fold_of = {d: i % k for i, (d, _) in enumerate(sorted(sizes.items(), key=lambda x: (-x[1], x[0])))}
    return np.array([fold_of[gold[p]["domain"]] for p in pids])


def compute_features(wcxb: Path, cache: Path) -> None:
    from newsclean.extract.html import cap_markup, parse_html
    from newsclean.extract.kinds import page_features
    from newsclean.readers.html import decode_html

    rows = {}
    for path in sorted((wcxb / "html").glob("*.html.gz")):
        tree = parse_html(cap_markup(decode_html(gzip.open(path).read())))
        rows[path.name.split(".")[0]] = page_features(tree) if tree is not None else None
    pickle.dump(rows, cache.open("wb"))
    print(f"features of {len(rows)} pages -> {cache}")


def load(wcxb: Path, cache: Path):
    from newsclean.extract.kinds import FEATURE_NAMES, KINDS

    gold = truth(wcxb)
    feats = pickle.load(cache.open("rb"))
    pids = sorted(p for p in feats if feats[p] is not None and p in gold)
    x = np.array([[feats[p][n] for n in FEATURE_NAMES] for p in pids])
    y = np.array([KINDS.index(gold[p]["page_type"]) for p in pids])
    return gold, pids, x, y


def out_of_fold(x: np.ndarray, y: np.ndarray, fold: np.ndarray, k: int) -> np.ndarray:
    import lightgbm as lgb

    proba = np.zeros((len(y), 7))
    for f in range(k):
        train = fold != f
        model = lgb.train(PARAMS, lgb.Dataset(x[train], y[train]), ROUNDS)
        proba[~train] = model.predict(x[~train])
    return proba


def report(y: np.ndarray, pred: np.ndarray) -> None:
    from newsclean.extract.kinds import KINDS

    print(f"accuracy out of fold: {np.mean(pred == y):.3f} ({len(y)} pages)")
    print("kind          pages  recall  precision | predicted as " + " ".join(k[:5] for k in KINDS))
    for i, kind in enumerate(KINDS):
        row = [int(np.sum((y == i) & (pred == j))) for j in range(7)]
        prec = np.sum((y == i) & (pred == i)) / max(1, np.sum(pred == i))
        print(f"{kind:13s} {np.sum(y == i):5d}  {row[i] / max(1, sum(row)):.3f}   {prec:.3f}     | "
              + " ".join(f"{n:5d}" for n in row))


def cv(wcxb: Path, cache: Path, k: int, write: bool) -> np.ndarray:
    import lightgbm as lgb

    from newsclean.extract.kinds import FEATURE_NAMES, KINDS

    gold, pids, x, y = load(wcxb, cache)
    fold = folds(pids, gold, k)
    proba = out_of_fold(x, y, fold, k)
    report(y, proba.argmax(1))
    oof = {p: KINDS[i] for p, i in zip(pids, proba.argmax(1))}
    (cache.parent / "page_kind_oof.json").write_text(json.dumps(oof))
    if write:
        model = lgb.train(PARAMS, lgb.Dataset(x, y, feature_name=list(FEATURE_NAMES)), ROUNDS)
        MODEL.parent.mkdir(exist_ok=True)
        MODEL.write_text(model.model_to_string())
        print(f"model -> {MODEL}")
    return proba


def settings(wcxb: Path, cache: Path, grid: Path, k: int) -> None:
    """Per-kind settings chosen out of fold, scored with out-of-fold predicted kinds (and with the gold kinds)."""
    from newsclean.clean.textdump import TextCleanConfig, strip_boilerplate
    from newsclean.extract.kinds import KINDS

    gold, pids, _, _ = load(wcxb, cache)
    oof = json.loads((cache.parent / "page_kind_oof.json").read_text())
    fold = dict(zip(pids, folds(pids, gold, k)))
    text_pass = TextCleanConfig(find_body=False)
    visible = visible_words(wcxb, cache.parent / "visible_words.json")
    outputs = {}
    for path in sorted(grid.glob("*.jsonl")):
        texts = {Path(r["path"]).name.split(".")[0]: r["text"] or ""
                 for r in map(json.loads, path.open(encoding="utf-8"))}
        if set(pids) <= set(texts):
            outputs[path.stem] = texts
        else:
            print(f"skipping {path.name}: not every page", file=sys.stderr)
    full = outputs.pop("bare")
    for name in list(outputs):  # as extract_page runs it: a quick pass keeping too little is redone in full
        for share in RETRY:
            outputs[f"{name}+retry{share:g}"] = {
                p: full[p] if len(t.split()) < share * visible[p] and len(full[p].split()) > len(t.split()) else t
                for p, t in outputs[name].items()}
    outputs["bare"] = full
    scores: dict[str, dict[str, float]] = {}
    for name, texts in outputs.items():
        scores[name] = {p: word_f1(texts[p], gold[p]["main_content"] or "") for p in pids}
        if name != "bare":
            scores[name + "+pass"] = {p: word_f1(strip_boilerplate(texts[p], text_pass).text,
                                                 gold[p]["main_content"] or "") for p in pids}
    names = sorted(scores)
    by_kind = defaultdict(list)
    for p in pids:
        by_kind[gold[p]["page_type"]].append(p)
    print("mean F1 by gold kind, every candidate (all pages):")
    print(f"{'candidate':22s} all   " + " ".join(f"{kd[:6]:>6s}" for kd in KINDS))
    for n in names:
        print(f"{n:22s} {np.mean([scores[n][p] for p in pids]):.3f} "
              + " ".join(f"{np.mean([scores[n][p] for p in by_kind[kd]]):6.3f}" for kd in KINDS))
    picks_per_fold = []
    result = {"predicted": {}, "gold": {}}
    for f in range(k):
        train = [p for p in pids if fold[p] != f]
        pick = {}
        for kd in KINDS:
            members = [p for p in train if gold[p]["page_type"] == kd]
            pick[kd] = max(names, key=lambda n: np.mean([scores[n][p] for p in members]))
        picks_per_fold.append(pick)
        for p in pids:
            if fold[p] == f:
                result["predicted"][p] = scores[pick[oof[p]]][p]
                result["gold"][p] = scores[pick[gold[p]["page_type"]]][p]
    print("picks on every page (what KIND_SETTINGS ships): " + ", ".join(
        f"{kd}={max(names, key=lambda n: np.mean([scores[n][p] for p in by_kind[kd]]))}" for kd in KINDS))
    print("picks per fold:")
    for f, pick in enumerate(picks_per_fold):
        print(f"  fold {f}: " + ", ".join(f"{kd}={n}" for kd, n in pick.items()))
    for label, res in result.items():
        print(f"per-kind settings out of fold, {label} kinds: all {np.mean(list(res.values())):.3f} | "
              + " ".join(f"{kd} {np.mean([res[p] for p in by_kind[kd]]):.3f}" for kd in KINDS))
    best = {p: max(scores[n][p] for n in names) for p in pids}  # what no choice of settings can beat
    print(f"oracle (the best candidate of every page): all {np.mean(list(best.values())):.3f} | "
          + " ".join(f"{kd} {np.mean([best[p] for p in by_kind[kd]]):.3f}" for kd in KINDS))


def retries(wcxb: Path, cache: Path, k: int) -> None:
    """Each kind's full-pass retry, kept or dropped out of fold (see the module's docstring)."""
    from dataclasses import replace

    import newsclean.extract.html as html

    shipped = dict(html.KIND_SETTINGS)
    compare(wcxb, cache, k, {name: {kd: replace(v, retry=name == "retry") for kd, v in shipped.items()}
                             for name in ("retry", "no retry")})


# What forums, listings, documentation and service pages were extracted with before their main region (stop 39).
BEFORE_MAIN = {"forum": dict(source="resiliparse", retry_share=0.5, dated_text=True),
               "listing": dict(retry=False, text_pass="chrome"),
               "documentation": dict(favor_recall=True, include_comments=True, text_pass="chrome"),
               "service": dict(source="resiliparse", retry_share=0.5, retry=False, text_pass="rules")}


def regions(wcxb: Path, cache: Path, k: int) -> None:
    """Each kind's text from its extractor (trafilatura or resiliparse) or from the page's main region
    (extract/visible.py main_text), cleaned as a dump or only of chrome lines, chosen out of fold."""
    from dataclasses import replace

    import newsclean.extract.html as html

    shipped = dict(html.KIND_SETTINGS)
    extractor = {kd: html.KindSettings(**BEFORE_MAIN[kd]) if v.source == "main" else v for kd, v in shipped.items()}
    compare(wcxb, cache, k, {
        "extractor": extractor,
        "main region, full": {kd: replace(v, source="main", retry=False, text_pass="full") for kd, v in shipped.items()},
        "main region, chrome": {kd: replace(v, source="main", retry=False, text_pass="chrome")
                                for kd, v in shipped.items()}})


OPINION_SHARES = (0.4, 0.6, 0.8)


def article_variants(changes: dict[str, dict]) -> dict[str, dict]:
    """KIND_SETTINGS once per named change of the articles' settings (name -> KindSettings fields to replace)."""
    from dataclasses import replace

    import newsclean.extract.html as html

    shipped = dict(html.KIND_SETTINGS)
    return {name: {**shipped, "article": replace(shipped["article"], **fields)} for name, fields in changes.items()}


def second_opinion(wcxb: Path, cache: Path, k: int) -> None:
    """Articles' full-pass retry as shipped, or only where resiliparse's main content also holds far more than the
    quick pass (see the module's docstring), chosen out of fold as a saving."""
    changes = {"as shipped": {"retry_other": 0.0}} | {f"resiliparse {share}": {"retry_other": share}
                                                     for share in OPINION_SHARES}
    compare(wcxb, cache, k, article_variants(changes), tolerance=0.001)


def take_other(wcxb: Path, cache: Path, k: int) -> None:
    """Articles' retry as shipped, or resiliparse's text where the retry too keeps under retry_other of its words
    (see the module's docstring), chosen out of fold."""
    changes = {"retry's text": {"take_other": False}, "resiliparse's": {"take_other": True}}
    compare(wcxb, cache, k, article_variants(changes))


def page_text(wcxb: Path, pid: str, kind: str) -> tuple[str, float]:
    """A WCXB page's text as `newsclean clean` gives it when the page is of `kind`, and the CPU seconds that took
    (reading the file aside)."""
    import time
    from dataclasses import replace

    from newsclean.pipeline import clean_document
    from newsclean.readers.html import read_html

    data = gzip.open(wcxb / "html" / f"{pid}.html.gz").read()
    start = time.process_time()
    text = " ".join(clean_document(replace(doc, page_kind=kind)).text for doc in read_html(data, pid))
    return text, time.process_time() - start


def compare(wcxb: Path, cache: Path, k: int, variants: dict, tolerance: float | None = None) -> None:
    """Extract every page as `newsclean clean` does, as its out-of-fold recognised kind (cv writes
    page_kind_oof.json beside the cache), once under each variant (kind -> KindSettings); score each output (text
    pass, fallback and all) and time each page's CPU; then, fold by fold, pick for each recognised kind the variant
    that scored best on the other folds' pages (the first variant on a tie), or, with a tolerance, the one that
    took the least CPU on them among those within the tolerance of the best mean F1."""
    import newsclean.extract.html as html
    from newsclean.extract.kinds import KINDS
    from newsclean.pipeline import warm_up

    gold, pids, _, _ = load(wcxb, cache)
    oof = json.loads((cache.parent / "page_kind_oof.json").read_text())
    fold = dict(zip(pids, folds(pids, gold, k)))
    shipped = dict(html.KIND_SETTINGS)
    order = list(variants)
    warm_up()
    f1: dict[str, dict[str, float]] = {}
    cpu: dict[str, dict[str, float]] = {}
    for name, table in variants.items():
        html.KIND_SETTINGS.update(table)
        f1[name], cpu[name] = {}, {}
        for p in pids:
            text, cpu[name][p] = page_text(wcxb, p, oof[p])
            f1[name][p] = word_f1(text, gold[p]["main_content"] or "")
    html.KIND_SETTINGS.update(shipped)

    def best(kd: str, pages: list[str]) -> str:
        mine = [p for p in pages if oof[p] == kd]
        mean = {n: float(np.mean([f1[n][p] for p in mine] or [0.0])) for n in order}
        if tolerance is None:
            return max(order, key=lambda n: (mean[n], -order.index(n)))
        near = [n for n in order if mean[n] >= max(mean.values()) - tolerance]
        return min(near, key=lambda n: (sum(cpu[n][p] for p in mine), order.index(n)))

    chosen: dict[str, float] = {}
    picks = []
    for f in range(k):
        pick = {kd: best(kd, [p for p in pids if fold[p] != f]) for kd in KINDS}
        picks.append(pick)
        chosen.update({p: f1[pick[oof[p]]][p] for p in pids if fold[p] == f})
    by_kind = defaultdict(list)
    for p in pids:
        by_kind[gold[p]["page_type"]].append(p)
    print("mean word F1 by gold kind (pages extracted as their out-of-fold recognised kind), CPU seconds:")
    for name, scores in (*f1.items(), ("chosen out of fold", chosen)):
        seconds = sum(cpu[name].values()) if name in cpu else sum(cpu[picks[fold[p]][oof[p]]][p] for p in pids)
        print(f"  {name:20s} all {np.mean(list(scores.values())):.3f} | "
              + " ".join(f"{kd} {np.mean([scores[p] for p in by_kind[kd]]):.3f}" for kd in KINDS) + f" | CPU {seconds:.1f} s")
    print("per recognised kind, CPU seconds under each variant: " + ", ".join(
        f"{kd} " + " / ".join(f"{sum(cpu[n][p] for p in pids if oof[p] == kd):.1f}" for n in order) for kd in KINDS))
    print("by recognised kind, F1 under each variant: " + ", ".join(
        f"{kd} " + " / ".join(f"{np.mean([f1[n][p] for p in pids if oof[p] == kd]):.3f}" for n in order)
        for kd in KINDS))
    print("picks on every page (what KIND_SETTINGS ships): " + ", ".join(f"{kd}={best(kd, pids)}" for kd in KINDS))
    print("picks per fold:")
    for f, pick in enumerate(picks):
        print(f"  fold {f}: " + ", ".join(f"{kd}={n}" for kd, n in pick.items()))


def recipes(wcxb: Path, cache: Path, k: int) -> None:
    """Each page's recipe chosen per page instead of through its kind (see the module's docstring): every page
    extracted as `newsclean clean` does under each kind's KIND_SETTINGS, then, out of fold, the recipe of the
    recognised kind (as shipped), the recipe with the best expected F1 under the recogniser's kind probabilities,
    and the best recipe of every page (what no choice can beat)."""
    from newsclean.extract.html import KIND_SETTINGS
    from newsclean.extract.kinds import KINDS
    from newsclean.pipeline import warm_up

    gold, pids, x, y = load(wcxb, cache)
    fold = folds(pids, gold, k)
    names = list(dict.fromkeys(KIND_SETTINGS.values()))  # kinds sharing one recipe are one candidate
    recipe = {kd: names.index(KIND_SETTINGS[kd]) for kd in KINDS}
    warm_up()
    f1 = np.zeros((len(pids), len(names)))
    for j, settings in enumerate(names):
        kind = next(kd for kd in KINDS if KIND_SETTINGS[kd] == settings)
        for i, p in enumerate(pids):
            f1[i, j] = word_f1(page_text(wcxb, p, kind)[0], gold[p]["main_content"] or "")
    proba = out_of_fold(x, y, fold, k)
    expected = np.zeros(len(pids), dtype=int)
    for f in range(k):
        train = fold != f  # mean F1 of each recipe on the training folds' pages of each gold kind
        table = np.array([[f1[train & (y == i), j].mean() for j in range(len(names))] for i in range(len(KINDS))])
        expected[~train] = (proba[~train] @ table).argmax(1)
    gold_kind = np.array([gold[p]["page_type"] for p in pids])
    labels = [next(kd for kd in KINDS if KIND_SETTINGS[kd] == s) + "'s" for s in names]
    print("mean word F1 by gold kind, out of fold:")
    for name, pick in ([("recognised kind's recipe", np.array([recipe[KINDS[i]] for i in proba.argmax(1)])),
                        ("best expected F1", expected)]
                       + [(f"always {label}", np.full(len(pids), j)) for j, label in enumerate(labels)]
                       + [("best of every page", f1.argmax(1))]):
        got = f1[np.arange(len(pids)), pick]
        print(f"  {name:26s} all {got.mean():.3f} | "
              + " ".join(f"{kd} {got[gold_kind == kd].mean():.3f}" for kd in KINDS))


def visible_words(wcxb: Path, cache: Path) -> dict[str, int]:
    """Words of each page's visible text as extract_page reads it off the tree (cached)."""
    if cache.exists():
        return json.loads(cache.read_text())
    from newsclean.extract.html import cap_markup, parse_html
    from newsclean.extract.visible import visible_text
    from newsclean.readers.html import decode_html

    counts = {}
    for path in sorted((wcxb / "html").glob("*.html.gz")):
        tree = parse_html(cap_markup(decode_html(gzip.open(path).read())))
        counts[path.name.split(".")[0]] = len(visible_text(tree).split()) if tree is not None else 0
    cache.write_text(json.dumps(counts))
    return counts


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("command", choices=["features", "cv", "train", "settings", "retries", "regions",
                                               "second-opinion", "take-other", "recipes"])
    ap.add_argument("grid", nargs="?")
    ap.add_argument("--wcxb", default=str(SHARED / "bench" / "wcxb"))
    ap.add_argument("--cache", default="/tmp/newsclean-page-kind/features.pkl")
    ap.add_argument("--folds", type=int, default=5)
    a = ap.parse_args()
    wcxb, cache = Path(a.wcxb), Path(a.cache)
    cache.parent.mkdir(parents=True, exist_ok=True)
    if a.command == "features" or not cache.exists():
        compute_features(wcxb, cache)
    if a.command in ("cv", "train"):
        cv(wcxb, cache, a.folds, a.command == "train")
    if a.command == "settings":
        settings(wcxb, cache, Path(a.grid), a.folds)
    if a.command == "retries":
        retries(wcxb, cache, a.folds)
    if a.command == "regions":
        regions(wcxb, cache, a.folds)
    if a.command == "second-opinion":
        second_opinion(wcxb, cache, a.folds)
    if a.command == "take-other":
        take_other(wcxb, cache, a.folds)
    if a.command == "recipes":
        recipes(wcxb, cache, a.folds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
