"""Script, style and data text in text dumps (clean/markup.py is_code): how much of it the markup step takes out, how
much visible text it takes with it, and what cleaning such dumps scores.

    python bench/script_lines.py [--sample 5] [--dumps DIR]

Lines: on every WCXB development page, the lines of the body's <script> and <style> elements (what a flattener
that joins every text node writes) and the lines of its visible text (extract/visible.py); the share of each one's
words on lines is_code takes. Dumps: every --sample-th WCXB page flattened as lxml's text_content() and a walk of
the tree's text nodes do it, one text node a line, scripts and styles included ("nodes"), and the same without
them ("nodes, no scripts": bench/dump_styles.py's tagtext style); each cleaned by `newsclean clean`'s text path with and without the step, scored with
../shared/bench/score_wcxb.py (mean word F1, share of pages that lose more than half their text) beside no cleaning.
--dumps DIR (bench/dump_styles.py's output, one folder a style of gzipped WCXB dumps) also cleans, with and
without the step, every dump of those styles and of ../shared's two whose text the step changes, and compares their
mean word F1 per style.
"""
from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor
from functools import lru_cache
from pathlib import Path

import lxml.html

from dump_styles import SKIP_TAGS, tagtext_walk
from html_extraction import score
from newsclean.clean import markup
from newsclean.document import Document
from newsclean.extract.visible import visible_text
from newsclean.pipeline import CleanConfig, clean_document, ready_to_clean
from newsclean.readers.html import decode_html
from train_page_kind import word_f1

SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "bench"
_WORD = re.compile(r"\w+")


def cleaned(text: str, name: str, with_step: bool) -> str:
    """`newsclean clean`'s text path over one dump, with the script step or without it."""
    original = markup.unscript
    if not with_step:
        markup.unscript = lambda text: (text, [])
    try:
        return clean_document(ready_to_clean(Document(text=text, path=name)), CleanConfig()).text
    finally:
        markup.unscript = original


def _changed(path: Path) -> tuple[str, float, float] | None:
    """(style, F1 without the step, F1 with it) of a dump whose prepared text the step changes, else None."""
    text = gzip.open(path).read().decode("utf-8", "replace")
    if not any(span.reason == markup.SCRIPT_TEXT for span in markup.prepare_dump(text)[1]):
        return None
    gold = _gold()[path.name[:4]]["main_content"] or ""
    return (path.parent.name, word_f1(cleaned(text, path.name, False), gold),
            word_f1(cleaned(text, path.name, True), gold))


@lru_cache(maxsize=1)
def _gold() -> dict:
    return json.loads(gzip.open(SHARED / "wcxb" / "ground-truth.json.gz").read())


def compare_dumps(folder: Path) -> None:
    """The step on every dump of the styles in folder and of ../shared's two flatteners (see the docstring)."""
    paths = sorted((SHARED / "wcxb").glob("flat-*/*.txt.gz")) + sorted(folder.glob("*/*.txt.gz"))
    with ProcessPoolExecutor(2) as pool:
        changed = [r for r in pool.map(_changed, paths, chunksize=32) if r]
    print(f"dumps whose text the step changes: {len(changed)} of {len(paths)}; their mean F1 without the step "
          f"{sum(r[1] for r in changed) / max(len(changed), 1):.3f}, with it {sum(r[2] for r in changed) / max(len(changed), 1):.3f}")
    for style in sorted({r[0] for r in changed}):
        mine = [r for r in changed if r[0] == style]
        print(f"  {style}: {len(mine)} dumps, {sum(r[1] for r in mine) / len(mine):.3f} -> "
              f"{sum(r[2] for r in mine) / len(mine):.3f}")


def scored(texts: dict[str, str]) -> str:
    """../shared/bench/score_wcxb.py's summary line over the pages given (name -> text)."""
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as f:
        f.writelines(json.dumps({"path": name, "text": text}) + "\n" for name, text in texts.items())
    out = score([SHARED / "score_wcxb.py", SHARED / "wcxb", f.name, "--answered"])
    Path(f.name).unlink()
    return out.splitlines()[-1]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sample", type=int, default=5, help="every N-th WCXB page for the dumps (default 5)")
    ap.add_argument("--dumps", help="bench/dump_styles.py's output folder: compare the step on those styles' dumps")
    args = ap.parse_args()
    pages = sorted((SHARED / "wcxb" / "html").glob("*.html.gz"))
    words = {"script": [0, 0], "visible": [0, 0]}  # [words on lines taken, all words]
    examples: list[str] = []
    dumps: dict[str, dict[str, str]] = {"nodes": {}, "nodes, no scripts": {}}
    for i, path in enumerate(pages):
        tree = lxml.html.fromstring(decode_html(gzip.open(path).read()))  # not capped: its scripts whole
        body = tree.find("body")
        if body is None:
            continue
        scripts = [t for el in body.iter("script", "style") for t in (el.text or "").split("\n") if t.strip()]
        for kind, lines in (("script", scripts), ("visible", visible_text(tree).split("\n"))):
            for line in lines:
                n = len(_WORD.findall(line))
                words[kind][1] += n
                if markup.is_code(line):
                    words[kind][0] += n
                    if kind == "visible" and len(examples) < 8:
                        examples.append(f"{path.name[:4]}: {line.strip()[:100]}")
        if i % args.sample == 0:
            name = path.name.replace(".html.gz", ".txt")
            dumps["nodes"][name] = tagtext_walk(body, SKIP_TAGS - {"script", "style"})
            dumps["nodes, no scripts"][name] = tagtext_walk(body, SKIP_TAGS)  # bench/dump_styles.py's tagtext
    for kind, (taken, total) in words.items():
        print(f"{kind} lines: {taken / max(total, 1):.4f} of {total:,} words on lines taken as script text")
    print("visible lines taken, first ones:\n  " + "\n  ".join(examples))
    for style, texts in dumps.items():
        print(f"{style} ({len(texts)} pages)")
        print("  no cleaning:     ", scored(texts))
        print("  without the step:", scored({n: cleaned(t, n, False) for n, t in texts.items()}))
        print("  newsclean:       ", scored({n: cleaned(t, n, True) for n, t in texts.items()}))
    if args.dumps:
        compare_dumps(Path(args.dumps))
    return 0


if __name__ == "__main__":
    sys.exit(main())
