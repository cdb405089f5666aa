"""Script, style and data text in text dumps (clean/markup.py is_code): how much of it the markup step takes out, how
much visible text it takes with it, and what cleaning such dumps scores.

    python bench/script_lines.py [--sample 5] [--dumps DIR]

Lines: on every WCXB development page, the lines of the body's <script> and <style> elements (what a flattener
that joins every text node writes) and the lines of its visible text (extract/visible.py); the share of each one's
words on lines is_code takes. Dumps: every --sample-th WCXB page flattened as lxml's text_content() and a walk of
the tree's text nodes do it, one text node a line, scripts and styles included ("nodes"), and the same without
them ("nodes, no scripts"); each cleaned by `newsclean clean`'s text path with and without the step, scored with
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
import subprocess
import sys
import tempfile
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from functools import lru_cache
from pathlib import Path

import lxml.html

from newsclean.clean import markup
from newsclean.document import Document
from newsclean.extract.html import cap_markup, parse_html
from newsclean.extract.visible import visible_text
from newsclean.pipeline import CleanConfig, clean_document, ready_to_clean
from newsclean.readers.html import decode_html

SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "bench"
_WORD = re.compile(r"\w+")
_HIDDEN = {"script", "style"}


def node_lines(body, scripts: bool) -> list[str]:
    """The body's text nodes, one a line (a node's own line breaks kept), with or without scripts' and styles'."""
    lines = []
    for el in body.iter():
        texts = [el.tail] if el is not body else []
        if isinstance(el.tag, str) and (scripts or el.tag not in _HIDDEN):
            texts.insert(0, el.text)
        lines += [t.strip() for node in texts if node for t in node.split("\n") if t.strip()]
    return lines


def clean_all(texts: dict[str, str], with_step: bool) -> list[str]:
    """`newsclean clean`'s text path over the dumps, as JSON Lines, with the script step or without it."""
    original = markup.unscript
    if not with_step:
        markup.unscript = lambda text: (text, [])
    try:
        return [json.dumps({"path": name, "text": clean_document(ready_to_clean(Document(text=text, path=name)),
                                                                   CleanConfig()).text})
                for name, text in texts.items()]
    finally:
        markup.unscript = original


def _changed(path: Path) -> tuple[str, float, float] | None:
    """(style, F1 without the step, F1 with it) of a dump whose prepared text the step changes, else None."""
    text = gzip.open(path).read().decode("utf-8", "replace")
    if not any(span.reason == markup.SCRIPT_TEXT for span in markup.prepare_dump(text)[1]):
        return None
    gold = _gold()[path.name[:4]]["main_content"] or ""
    without, with_step = (json.loads(row)["text"] for row in (clean_all({path.name: text}, False)[0],
                                                               clean_all({path.name: text}, True)[0]))
    return path.parent.name, word_f1(without, gold), word_f1(with_step, gold)


@lru_cache(maxsize=1)
def _gold() -> dict:
    return json.loads(gzip.open(SHARED / "wcxb" / "ground-truth.json.gz").read())


def word_f1(pred: str, gold: str) -> float:
    """WCXB's metric for one page (../shared/bench/score_wcxb.py)."""
    p, g = Counter(_WORD.findall(pred.lower())), Counter(_WORD.findall(gold.lower()))
    overlap = sum((p & g).values())
    return 2 * overlap / (sum(p.values()) + sum(g.values())) if overlap else float(not p and not g)


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


def score(rows: list[str]) -> str:
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as f:
        f.write("\n".join(rows) + "\n")
    out = subprocess.run([sys.executable, str(SHARED / "score_wcxb.py"), str(SHARED / "wcxb"), f.name, "--answered"],
                         capture_output=True, text=True, check=True).stdout
    Path(f.name).unlink()
    return out.strip().splitlines()[-1]


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
        html = decode_html(gzip.open(path).read())
        tree = parse_html(cap_markup(html))
        body = lxml.html.fromstring(html).find("body")
        if tree is None or body is None:
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
            dumps["nodes"][name] = "\n".join(node_lines(body, True))
            dumps["nodes, no scripts"][name] = "\n".join(node_lines(body, False))
    for kind, (taken, total) in words.items():
        print(f"{kind} lines: {taken / max(total, 1):.4f} of {total:,} words on lines taken as script text")
    print("visible lines taken, first ones:\n  " + "\n  ".join(examples))
    for style, texts in dumps.items():
        print(f"{style} ({len(texts)} pages)")
        print("  no cleaning:     ", score([json.dumps({"path": n, "text": t}) for n, t in texts.items()]))
        print("  without the step:", score(clean_all(texts, False)))
        print("  newsclean:       ", score(clean_all(texts, True)))
    if args.dumps:
        compare_dumps(Path(args.dumps))
    return 0


if __name__ == "__main__":
    sys.exit(main())
