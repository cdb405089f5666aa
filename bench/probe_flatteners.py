"""Flatteners no model learnt from, probed on every fifth WCXB development page: pandoc's wiki writers
(reStructuredText, AsciiDoc, org, MediaWiki), lynx and w3m asked for 40 columns, Debian's html2text at 40.

For each tool: the mean per-page word F1 (WCXB's metric) of the dump as it is (no cleaning) and after `newsclean
clean`'s text-dump path, on all pages and on articles, the share of articles the cleaner cuts by more than half of
no cleaning's F1, the share of article titles recovered (WCXB's rule: word-set F1 >= 0.8), and the slowest dumps (CPU seconds, characters). The pages are in-sample for the models (they
learnt these pages in other styles): what this measures is the tools, not the pages.

Usage: python bench/probe_flatteners.py [--tools rst,org,...] [--step 5] [--cache DIR]
Needs pandoc, lynx, w3m and html2text (apt); dumps are kept in --cache (default /tmp/newsclean-probe) for reruns.
"""
from __future__ import annotations

import argparse
import gzip
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dump_styles import BENCH, decode_html, run_tool, utf8_html  # noqa: E402
from train_cleaner import title_match  # noqa: E402
from train_page_kind import word_f1  # noqa: E402

from newsclean.document import Document  # noqa: E402
from newsclean.pipeline import clean_document, ready_to_clean  # noqa: E402

TOOLS = {
    "rst": ["pandoc", "-f", "html", "-t", "rst"],
    "asciidoc": ["pandoc", "-f", "html", "-t", "asciidoc"],
    "org": ["pandoc", "-f", "html", "-t", "org"],
    "mediawiki": ["pandoc", "-f", "html", "-t", "mediawiki"],
    "lynx40": ["lynx", "-dump", "-nolist", "-width=40", "-force_html", "-stdin", "-assume_charset=utf-8",
               "-display_charset=utf-8"],
    "w3m40": ["w3m", "-dump", "-cols", "40", "-T", "text/html", "-I", "utf-8", "-O", "utf-8"],
    "debh2t40": ["/usr/bin/html2text", "-width", "40", "-utf8"],
}


def dump(tool: str, pid: str, cache: Path) -> str | None:
    """The page flattened by the tool (None: the tool gave up within 60 s), from the cache when made before."""
    path = cache / tool / f"{pid}.txt"
    if path.exists():
        return path.read_text()
    html = decode_html(gzip.open(BENCH / "wcxb" / "html" / f"{pid}.html.gz").read())
    try:
        text = run_tool(TOOLS[tool], utf8_html(html), 60)
    except Exception:  # a timeout or a crash of the tool: the page is left out for it
        return None
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return text


def probe(tool: str, pids: list[str], gold: dict, cache: Path) -> str:
    rows = []
    for pid in pids:
        text = dump(tool, pid, cache)
        if text is None:
            continue
        start = time.process_time()
        cleaned = clean_document(ready_to_clean(Document(text=text, path=f"{pid}.txt")))
        secs = time.process_time() - start
        truth = gold[pid].get("main_content") or ""
        titled = title_match(cleaned.title or "", gold[pid]["title"]) if gold[pid].get("title") else None
        rows.append((pid, gold[pid]["page_type"], word_f1(text, truth), word_f1(cleaned.text, truth), secs, len(text),
                     titled))
    articles = [r for r in rows if r[1] == "article"]
    mean = lambda values: statistics.fmean(values) if values else 0.0  # noqa: E731
    slowest = ", ".join(f"{pid} {secs:.2f} s ({chars:,} chars)" for pid, *_, secs, chars, _ in
                        sorted(rows, key=lambda r: -r[4])[:2])
    titles = [r[6] for r in articles if r[6] is not None]
    return (f"{tool:10s} {len(rows)} pages: no cleaning {mean([r[2] for r in rows]):.3f}, newsclean "
            f"{mean([r[3] for r in rows]):.3f} | articles {mean([r[2] for r in articles]):.3f} -> "
            f"{mean([r[3] for r in articles]):.3f}, cut by more than half "
            f"{mean([r[3] < 0.5 * r[2] for r in articles]):.1%}, titles right {mean(titles):.0%} | slowest: {slowest}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tools", default=",".join(TOOLS))
    ap.add_argument("--step", type=int, default=5, help="every STEP-th WCXB page")
    ap.add_argument("--cache", default="/tmp/newsclean-probe")
    args = ap.parse_args()
    gold = json.load(gzip.open(BENCH / "wcxb" / "ground-truth.json.gz", "rt", encoding="utf-8"))
    pids = sorted(p.name.split(".")[0] for p in (BENCH / "wcxb" / "html").glob("*.html.gz"))[::args.step]
    for tool in args.tools.split(","):
        print(probe(tool, pids, gold, Path(args.cache)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
