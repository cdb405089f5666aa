"""Speed of the text-dump cleaner on one core, beside a C4-rules baseline measured in the same run, where its
time goes (line model, title and date pickers, the rest), and its scaling on dumps up to ~5 MB (no quadratic
blow-up).

Usage: python bench/speed.py [--shared ../shared] [--repeat 5]
"""
from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

from newsclean.clean.linemodel import default_model
from newsclean.clean.markup import prepare_dump
from newsclean.clean.textdump import clear_feature_cache, strip_boilerplate

HERE = Path(__file__).resolve().parent
_C4_END = re.compile(r"[.!?\"'”’]\s*$")
_C4_POLICY = re.compile(r"javascript|cookie|terms of use|privacy policy|lorem ipsum|\{", re.I)


def c4_rules(text: str) -> str:
    """The C4 line filter: keep lines ending in terminal punctuation, with >= 3 words, without policy words."""
    keep = [ln for ln in text.split("\n") if _C4_END.search(ln) and len(ln.split()) >= 3 and not _C4_POLICY.search(ln)]
    return "\n".join(keep)


def clean(text: str):
    """The text-dump cleaner as the pipeline runs it: the dump prepared (link markup, reflow), then strip_boilerplate."""
    return strip_boilerplate(prepare_dump(text)[0])


def docs_per_second(fn, texts: list[str], repeat: int, cold: bool = True) -> float:
    """Median rate over `repeat` passes; cold: the line cache is emptied before each pass (no line seen before)."""
    rates = []
    for _ in range(repeat):
        if cold:
            clear_feature_cache()
        start = time.perf_counter()
        for t in texts:
            fn(t)
        rates.append(len(texts) / (time.perf_counter() - start))
    return statistics.median(rates)


def time_split(texts: list[str]) -> dict[str, float]:
    """Seconds of one cold pass in the line model's scoring (features and LightGBM), its title picker and its date
    picker (all passes to the fixed point), and in the rest (rules, passes, output); timed by wrapping the model's
    methods on the shared instance for the pass."""
    model = default_model()
    spent: Counter = Counter()

    def timed(name, method):
        def run(*args):
            start = time.perf_counter()
            try:
                return method(*args)
            finally:
                spent[name] += time.perf_counter() - start
        return run

    names = ("scores", "pick_title", "pick_date")
    for name in names:
        setattr(model, name, timed(name, getattr(model, name)))
    try:
        clear_feature_cache()
        start = time.perf_counter()
        for t in texts:
            clean(t)
        total = time.perf_counter() - start
    finally:
        for name in names:
            delattr(model, name)
    return {"line model (features + scores)": spent["scores"], "title picker": spent["pick_title"],
            "date picker": spent["pick_date"], "rules and the rest": total - sum(spent.values())}


def report(shared: Path, repeat: int) -> bool:
    """Print the speed figures; False when the data is missing."""
    paths = sorted((shared / "bench" / "scrapinghub" / "flat").glob("*.txt"))
    if not paths:
        print(f"no flattened pages under {shared}")
        return False
    texts = [p.read_text(encoding="utf-8") for p in paths]
    mb = sum(len(t.encode()) for t in texts) / 1e6
    ours = docs_per_second(clean, texts, repeat)
    base = docs_per_second(c4_rules, texts, repeat)
    warm = docs_per_second(clean, texts, repeat, cold=False)
    print(f"flattened pages: {len(texts)} docs, {mb:.1f} MB, one core, median of {repeat} passes")
    print(f"  newsclean text-dump cleaner: {ours:8.0f} docs/s   (cold: every pass starts with no line seen)")
    print(f"  C4 line rules (baseline):    {base:8.0f} docs/s   ratio newsclean/C4 = {ours / base:.3f}")
    print(f"  newsclean, lines seen before:{warm:8.0f} docs/s   (a source's menus and footers already met)")
    split = time_split(texts)
    total = sum(split.values())
    print("where a cold pass's time goes: " + ", ".join(f"{name} {secs / total:.0%}" for name, secs in split.items()))

    print("scaling on one dump made of many pages (time per MB should stay flat):")
    for size_mb in (0.5, 1, 2, 5):
        dump, i = [], 0
        while sum(map(len, dump)) < size_mb * 1e6:
            dump.append(texts[i % len(texts)].replace("\n", f"\n{i} "))  # every line new: no cache help
            i += 1
        big = "\n".join(dump)
        clear_feature_cache()
        start = time.perf_counter()
        clean(big)
        secs = time.perf_counter() - start
        print(f"  {len(big) / 1e6:5.1f} MB: {secs:6.2f} s  ({secs / (len(big) / 1e6):.2f} s/MB)")
    return True


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--shared", default=str(HERE.parent.parent / "shared"))
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    return 0 if report(Path(args.shared), args.repeat) else 1


if __name__ == "__main__":
    sys.exit(main())
