"""Scale bench: `newsclean run` (default settings) on 10,000 and 100,000 inputs built from the real pages in
../shared, to check that the cost per page does not grow with the corpus.

Inputs (the same mix at every size, deterministic): text dumps (WCXB's inscriptis and w3m flattenings and the
Scrapinghub ones) and, for 2 % of inputs, HTML pages (WCXB, Scrapinghub). The first use of a page is the page
itself; each later use is a new edition of it: the words of every line of 8 words or more (every <p> of an HTML
page) shuffled by the edition's seed, so its text is new while the page's shape, menus and footers stay. 10 % of
inputs are copies of earlier ones: a third exact, a third re-wrapped at 72 columns, a third with the last
paragraph cut (near-duplicates). Each size runs into a new DuckDB file.

Prints, per size: pages/s (whole command, and the flow alone without Prefect's server start), peak memory of
the whole process tree (run, workers, Prefect server), the seconds of each stage and per 1,000 pages, and the
100,000/10,000 ratio of pages/s.

Usage: nice -n 10 python bench/scale.py [--sizes 10000 100000] [--keep DIR]
"""
from __future__ import annotations

import argparse
import gzip
import os
import random
import re
import sys
import tempfile
import textwrap
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from throughput import NEWSCLEAN, SHARED, run_measured, summary_of  # noqa: E402

HTML_SHARE = 0.02
COPY_SHARE = 0.10
PARAGRAPH = re.compile(r"(<p\b[^>]*>)([^<]{40,})(</p>)", re.IGNORECASE)


def pools() -> tuple[list[str], list[str]]:
    """(text dumps, HTML pages) of the shared benchmarks."""
    def texts(folder: Path, pattern: str) -> list[str]:
        files = sorted(folder.glob(pattern))
        return [(gzip.decompress(f.read_bytes()) if f.suffix == ".gz" else f.read_bytes()).decode("utf-8", "replace") for f in files]

    dumps = (texts(SHARED / "wcxb" / "flat-inscriptis", "*.txt.gz") + texts(SHARED / "wcxb" / "flat-w3m", "*.txt.gz")
             + texts(SHARED / "scrapinghub" / "flat", "*.txt"))
    pages = texts(SHARED / "wcxb" / "html", "*.html.gz") + texts(SHARED / "scrapinghub" / "html", "*.html.gz")
    return dumps, pages


def _shuffle_words(text: str, rng: random.Random) -> str:
    words = text.split()
    rng.shuffle(words)
    return " ".join(words)


def edition(text: str, html: bool, seed: int) -> str:
    """A new edition of a page: its long lines' (paragraphs') words shuffled; short lines (menus, footers) kept."""
    if seed == 0:
        return text
    rng = random.Random(seed)
    if html:
        return PARAGRAPH.sub(lambda m: m.group(1) + _shuffle_words(m.group(2), rng) + m.group(3), text)
    return "\n".join(_shuffle_words(line, rng) if len(line.split()) >= 8 else line for line in text.split("\n"))


def copy_of(text: str, html: bool, kind: int) -> str:
    """An exact copy (0), a re-wrapped one (1: text dumps at 72 columns) or one with its last paragraph cut (2)."""
    if kind == 0 or html and kind == 1:
        return text
    if kind == 1:
        return "\n".join(textwrap.fill(line, 72) if len(line) > 72 else line for line in text.split("\n"))
    if html:
        last = text.rfind("<p")
        return text[:last] + text[text.find("</p>", last) + 4:] if last > 0 and "</p>" in text[last:] else text
    lines = text.rstrip("\n").split("\n")
    long = [i for i, line in enumerate(lines) if len(line.split()) >= 8]
    return "\n".join(lines[: long[-1]] + lines[long[-1] + 1:]) if long else text


def build(folder: Path, n: int, dumps: list[str], pages: list[str], seed: int = 5) -> dict[str, int]:
    """Write n inputs into folder (100 per subfolder); returns how many of each kind."""
    rng = random.Random(seed)
    made: list[tuple[Path, bool]] = []  # what was written, read back for copies (100,000 texts held took 4 GB)
    uses = {"txt": 0, "html": 0}
    kinds = {"text": 0, "html": 0, "copies": 0}
    for i in range(n):
        copy = bool(made) and rng.random() < COPY_SHARE
        if copy:
            source, html = made[rng.randrange(len(made))]
            text = copy_of(source.read_bytes().decode("utf-8"), html, rng.randrange(3))  # bytes: newlines as written
            kinds["copies"] += 1
        else:
            html = rng.random() < HTML_SHARE
            pool, key = (pages, "html") if html else (dumps, "txt")
            k = uses[key]
            uses[key] += 1
            text = edition(pool[k % len(pool)], html, seed=0 if k < len(pool) else k)
            kinds["html" if html else "text"] += 1
        sub = folder / f"{i // 100:04d}"
        sub.mkdir(parents=True, exist_ok=True)
        path = sub / f"{i:06d}.{'html' if html else 'txt'}"
        path.write_text(text, encoding="utf-8")
        if not copy:
            made.append((path, html))
    return kinds


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--keep", help="work in this folder and keep it")
    args = ap.parse_args()
    env = dict(os.environ, PREFECT_SERVER_ANALYTICS_ENABLED="false")
    dumps, pages = pools()
    print(f"pools: {len(dumps)} text dumps, {len(pages)} HTML pages; {os.cpu_count()} cores, load {os.getloadavg()[0]:.2f}")
    rates: dict[int, tuple[float, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(args.keep or tmp)
        for n in args.sizes:
            folder = work / f"inputs-{n}"
            kinds = build(folder, n, dumps, pages) if not folder.is_dir() else {}
            size = sum(f.stat().st_size for f in folder.rglob("*") if f.is_file()) / 2**20
            db = work / f"corpus-{n}.duckdb"
            db.unlink(missing_ok=True)
            at_peak: dict = {}
            out, wall, peak = run_measured([*NEWSCLEAN, "run", str(folder), "--db", str(db)], env, at_peak=at_peak)
            s = summary_of(out)
            flow = s["flow_seconds"]
            rates[n] = (n / wall, n / flow)
            print(f"{n:,} inputs ({size:.0f} MB{', ' + str(kinds) if kinds else ''}): {wall:.0f} s, {n / wall:.1f} pages/s; "
                  f"flow alone {flow:.0f} s, {n / flow:.1f} pages/s; peak memory {peak / 1024:.2f} GB; load {os.getloadavg()[0]:.2f}")
            print(f"  at the peak ({at_peak.pop('at', 0)} s in), MB: " + ", ".join(f"{k} {v:,}" for k, v in at_peak.items()))
            print(f"  stored {s['documents_new']:,} documents, {s['duplicates_new']:,} duplicates, {s['errors_new']} errors; "
                  f"{s['workers']}; database {db.stat().st_size / 2**20:.0f} MB")
            st = s["stage_seconds"]
            print("  stage seconds: " + ", ".join(f"{k} {v:.1f}" for k, v in st.items()))
            print("  per 1,000 pages: " + ", ".join(f"{k} {1000 * v / n:.2f}" for k, v in st.items()))
    if len(rates) > 1:
        small, large = min(rates), max(rates)
        print(f"pages/s at {large:,} / at {small:,}: {rates[large][0] / rates[small][0]:.2f} (whole command), "
              f"{rates[large][1] / rates[small][1]:.2f} (flow alone)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
