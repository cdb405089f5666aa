"""The text-dump cleaner on the same dumps written a little differently: what a copy, an editor, an export or a
careless scraper does to a dump's text (line ends, indentation, blank lines, spaces, Unicode forms, HTML entities,
mojibake, straight quotes). Each variant of the WCXB inscriptis dumps is cleaned as `newsclean clean` cleans it and
scored by ../shared/bench/score_wcxb.py (all kinds, each kind, article titles and dates); the first row is the dumps
as they are. The models learnt from these pages (in other dump styles too), so the figures are in-sample: what
counts is how far each variant moves from the first row.

    python bench/perturb.py [--only crlf,entities] [--shared ../shared]
"""
from __future__ import annotations

import argparse
import gzip
import html
import random
import subprocess
import sys
import tempfile
import unicodedata
from pathlib import Path

from quality import clean_to_jsonl

HERE = Path(__file__).resolve().parent
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "--"})


def _some_spaces_nonbreaking(text: str) -> str:
    pick = random.Random(len(text))
    return "".join("\u00a0" if ch == " " and pick.random() < 0.15 else ch for ch in text)


def _lines(text: str, edit) -> str:
    return "\n".join(edit(line) for line in text.split("\n"))


VARIANTS = {
    "as they are": lambda t: t,
    "CRLF line ends": lambda t: t.replace("\n", "\r\n"),
    "CR line ends": lambda t: t.replace("\n", "\r"),
    "HTML entities left in": html.escape,
    "lines indented by 2 spaces, 2 trailing": lambda t: _lines(t, lambda ln: f"  {ln}  " if ln else ln),
    "lines indented by a tab": lambda t: _lines(t, lambda ln: f"\t{ln}" if ln else ln),
    "no blank lines": lambda t: "\n".join(ln for ln in t.split("\n") if ln.strip()),
    "a blank line after every line": lambda t: "\n\n".join(t.split("\n")),
    "15 % of spaces non-breaking": _some_spaces_nonbreaking,
    "Unicode NFD": lambda t: unicodedata.normalize("NFD", t),
    "BOM, zero-width spaces after sentences": lambda t: "\ufeff" + t.replace(". ", ".\u200b "),
    "UTF-8 read as cp1252 (mojibake)": lambda t: t.encode("utf-8").decode("cp1252", errors="replace"),
    "straight quotes and dashes": lambda t: t.translate(_QUOTES),
}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=HERE.parent.parent / "shared")
    ap.add_argument("--only", help="comma-separated words that pick variants by name (default: all)")
    args = ap.parse_args()
    wcxb = args.shared / "bench" / "wcxb"
    dumps = sorted((wcxb / "flat-inscriptis").glob("*.txt.gz"))
    if not dumps:
        print(f"no WCXB dumps under {wcxb}")
        return 1
    picked = [n for n in VARIANTS if not args.only or any(w.lower() in n.lower() for w in args.only.split(","))]
    print(f"WCXB inscriptis dumps ({len(dumps)}), mean per-page word F1: all kinds, articles; article titles and dates "
          "right (in-sample pages)")
    texts = {dump.name.removesuffix(".gz"): gzip.open(dump, "rt", encoding="utf-8").read() for dump in dumps}
    with tempfile.TemporaryDirectory() as tmp:
        for i, name in enumerate(picked):
            folder = Path(tmp) / str(i)
            folder.mkdir()
            paths = []
            for file_name, text in texts.items():
                path = folder / file_name
                path.write_bytes(VARIANTS[name](text).encode("utf-8"))
                paths.append(path)
            out = folder / "out.jsonl"
            clean_to_jsonl(paths, out)
            scores = [subprocess.run([sys.executable, str(args.shared / "bench" / "score_wcxb.py"), str(wcxb), str(out),
                                      "--meta", *extra], capture_output=True, text=True).stdout.strip().splitlines()
                      for extra in ([], ["--type", "article"])]
            print(f"== {name}\n  {scores[0][-2]}\n  articles: {scores[1][-2].split(';')[-2].strip()}; {scores[1][-1]}",
                  flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
