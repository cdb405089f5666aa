"""The HTML path against bare trafilatura, in one run: quality on the WCXB development pages (per page kind) and the
Scrapinghub pages, and CPU time on one core, with where newsclean's time goes.

    python bench/html_extraction.py quality [--fast] [--kinds oof.json] [--grid DIR] [--no-bare] [--no-fallback]
    python bench/html_extraction.py speed [--repeat 3]

quality: `newsclean clean`'s HTML path and bare `trafilatura.extract` (2.x defaults) on the same pages, scored by
../shared/bench/score_wcxb.py and score_extraction.py. --kinds gives each WCXB page a kind recognised out of fold
(bench/train_page_kind.py cv writes it), the honest figure; without it the shipped recogniser, which learnt from
these pages, recognises them. --grid DIR also writes the WCXB outputs of bare trafilatura, of a few other settings
and of resiliparse (the fast mode's extractor) there, for bench/train_page_kind.py settings.
speed: CPU time (process time, one process) over the 181 Scrapinghub pages from their bytes, median of --repeat
rounds: newsclean's HTML path (read, extract, text pass, removed lines), its fast mode, and bare
trafilatura.extract on the decoded pages, the three timed in turn on each page; each round starts with newsclean's
line cache empty (a new run's cold start); ratios are against bare trafilatura in the same round (their median is
printed, and each round's).
"""
from __future__ import annotations

import argparse
import gzip
import json
import logging
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import trafilatura

from newsclean.cli import _document_json
from newsclean.clean.textdump import TextCleanConfig, clear_feature_cache, strip_boilerplate
from newsclean.document import Document
from newsclean.extract.html import HtmlConfig, cap_markup, extract_page, fix_text, parse_html
from newsclean.extract.kinds import page_kind
from newsclean.extract.visible import visible_text
from newsclean.pipeline import CleanConfig, clean_document, not_extracted
from newsclean.readers.html import decode_html, read_html

logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
HERE = Path(__file__).resolve().parent
SHARED = HERE.parent.parent / "shared" / "bench"
GRID = {
    "prec_fast": dict(favor_precision=True, include_comments=False, fast=True),
    "def_fast_nocom": dict(include_comments=False, fast=True),
    "rec_fast": dict(favor_recall=True, fast=True),
    "rec_fast_nocom": dict(favor_recall=True, include_comments=False, fast=True),
    "prec_full": dict(favor_precision=True, include_comments=False),
    "def_full_nocom": dict(include_comments=False),
}


def pages(folder: Path) -> list[tuple[str, bytes]]:
    return [(p.name, gzip.open(p).read()) for p in sorted(folder.glob("*.html.gz"))]


def newsclean_docs(items: list[tuple[str, bytes]], config: CleanConfig, kinds: dict[str, str] | None = None):
    for name, data in items:
        for doc in read_html(data, name):
            if kinds:
                doc = replace(doc, page_kind=kinds.get(name.split(".")[0]))
            yield clean_document(doc, config)


def bare(html: str, **options) -> str:
    try:
        return trafilatura.extract(html, **options) or ""
    except Exception:
        return ""


def score(command: list) -> str:
    return subprocess.run([sys.executable, *map(str, command)], capture_output=True, text=True).stdout.strip()


def quality(args) -> None:
    # --no-fallback: the extraction kept however short (the dump cleaning of the visible text never weighed)
    never = {"fallback_below_words": 0} if args.no_fallback else {}
    config = replace(CleanConfig(), html=replace(HtmlConfig(), fast=args.fast, **never))
    kinds = json.loads(Path(args.kinds).read_text()) if args.kinds else None
    wcxb = SHARED / "wcxb"
    with tempfile.TemporaryDirectory() as tmp:
        for label, folder, scorer in (("WCXB", wcxb / "html", [SHARED / "score_wcxb.py", wcxb]),
                                      ("Scrapinghub", SHARED / "scrapinghub" / "html", [SHARED / "score_extraction.py"])):
            items = pages(folder)
            ours, theirs = Path(tmp) / "ours.jsonl", Path(tmp) / "bare.jsonl"
            with ours.open("w", encoding="utf-8") as f:
                for doc in newsclean_docs(items, config, kinds if label == "WCXB" else None):
                    f.write(_document_json(doc) + "\n")
            with theirs.open("w", encoding="utf-8") as f:
                for name, data in items if not args.no_bare else ():
                    f.write(json.dumps({"path": name, "text": bare(decode_html(data))}) + "\n")
            if args.grid and label == "WCXB":
                grid = Path(args.grid)
                grid.mkdir(parents=True, exist_ok=True)
                (grid / "bare.jsonl").write_text(theirs.read_text())
                for name, options in GRID.items():
                    with (grid / f"{name}.jsonl").open("w") as f:
                        for page, data in items:
                            f.write(json.dumps({"path": page, "text": bare(cap_markup(decode_html(data)), **options)}) + "\n")
                fast = replace(HtmlConfig(), fast=True)
                with (grid / "resiliparse.jsonl").open("w") as f:  # the fast mode's extractor, as it runs there
                    for page, data in items:
                        for doc in read_html(data, page):
                            f.write(json.dumps({"path": page, "text": extract_page(doc, fast).doc.text}) + "\n")
            meta = ["--meta"] if label == "WCXB" else []
            print(f"== {label} HTML ({len(items)} pages)" + (" fast mode" if args.fast else "")
                  + (", kinds recognised out of fold" if kinds and label == "WCXB" else ""))
            print("newsclean:        ", "\n  ".join(score([*scorer, ours, *meta]).splitlines()[-2:]))
            if not args.no_bare:
                print("bare trafilatura: ", "\n  ".join(score([*scorer, theirs]).splitlines()[-2:]))


def cpu(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.process_time()
        fn()
        times.append(time.process_time() - start)
    return statistics.median(times)


def interleaved_round(items, decoded, full: CleanConfig, fast: CleanConfig) -> tuple[float, float, float]:
    """CPU seconds of bare trafilatura, the HTML path and the fast mode over the pages, the three run in turn on each
    page (the machine's speed drifting over a round moves all three alike); newsclean starts the round with no line
    seen before, as a new run does."""
    spent = [0.0, 0.0, 0.0]
    clear_feature_cache()
    for item, html in zip(items, decoded):
        for i, run in enumerate((lambda: bare(html), lambda: list(newsclean_docs([item], full)),
                                 lambda: list(newsclean_docs([item], fast)))):
            start = time.process_time()
            run()
            spent[i] += time.process_time() - start
    return spent[0], spent[1], spent[2]


def speed(args) -> None:
    items = pages(SHARED / "scrapinghub" / "html")
    decoded = [decode_html(data) for _, data in items]
    full, fast = CleanConfig(), replace(CleanConfig(), html=replace(HtmlConfig(), fast=True))
    list(newsclean_docs(items[:3], full))  # imports and models loaded before timing
    list(newsclean_docs(items[:3], fast))
    for html in decoded[:3]:  # trafilatura's own first-use costs (jusText's stop lists) paid before timing too
        bare(html)
    rounds = [interleaved_round(items, decoded, full, fast) for _ in range(args.repeat)]
    base, ours, quick = (statistics.median(r[i] for r in rounds) for i in range(3))
    ratio, quick_ratio = (statistics.median(r[i] / r[0] for r in rounds) for i in (1, 2))
    print(f"Scrapinghub HTML, {len(items)} pages, one core, CPU seconds, median of {args.repeat} rounds (bare, newsclean, "
          "fast mode in turn on each page; ratios: the median of each round's)")
    print(f"  bare trafilatura.extract (decoded pages): {base:6.2f} s")
    print(f"  newsclean HTML path (from bytes):         {ours:6.2f} s   ratio {ratio:.2f}")
    print(f"  newsclean fast mode (from bytes):         {quick:6.2f} s   ratio {quick_ratio:.2f} ({1 / quick_ratio:.1f}x less)")
    print("  each round's ratios: " + ", ".join(f"{o / b:.2f} / {q / b:.2f}" for b, o, q in rounds))
    capped = [cap_markup(h) for h in decoded]
    trees = [parse_html(h) for h in capped]
    visibles = [visible_text(t) for t in trees]
    texts = [extract_page(Document(text="", html=h)).doc.text for h in capped]
    stages = {
        "read: decode (bytes -> str, charset)": lambda: [decode_html(d) for _, d in items],
        "cap_markup (huge blobs emptied)": lambda: [cap_markup(h) for h in decoded],
        "extract_page, all of it:": lambda: [extract_page(Document(text="", html=h)) for h in capped],
        "  parse (lxml, once)": lambda: [parse_html(h) for h in capped],
        "  page kind (features + model)": lambda: [page_kind(t, None, v) for t, v in zip(trees, visibles)],
        "  visible lines from the tree": lambda: [visible_text(t) for t in trees],
        "  ftfy where needed (text, visible)": lambda: [fix_text(x) for x in texts],
        "text pass (rules, no body search)": lambda: [strip_boilerplate(x, TextCleanConfig(find_body=False)) for x in texts],
        "removed lines (not_extracted)": lambda: [not_extracted(visible_text(t), x) for t, x in zip(trees, texts)],
    }
    print("where newsclean's time goes (CPU seconds, same pages, median of the same passes; trafilatura is the rest "
          "of extract_page):")
    for name, fn in stages.items():
        print(f"  {name:42s} {cpu(fn, args.repeat):6.2f} s")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("command", choices=["quality", "speed"])
    ap.add_argument("--fast", action="store_true")
    ap.add_argument("--kinds")
    ap.add_argument("--grid")
    ap.add_argument("--no-bare", action="store_true", help="quality: newsclean only")
    ap.add_argument("--no-fallback", action="store_true",
                    help="quality: never replace a short extraction by the page's visible text cleaned as a dump")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    quality(args) if args.command == "quality" else speed(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
