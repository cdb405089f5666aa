"""Print every score of the text-dump cleaner in one run: seeds, flattened Scrapinghub pages, HTML Scrapinghub
pages, WCXB dumps from both flatteners (with title/date accuracy), then the speed figures of bench/speed.py
(docs/s beside the C4-rules baseline, scaling to 5 MB).

The line classifier learnt from all of these pages, so these are in-sample figures: the honest ones, on domains a
model never saw, come from `python bench/train_cleaner.py cv` (cross-validation grouped by domain).

Uses the scorers and data in ../shared/bench (or --shared PATH). Usage: python bench/quality.py [--no-speed]
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from newsclean.cli import _document_json
from newsclean.pipeline import load_and_clean

HERE = Path(__file__).resolve().parent


def clean_to_jsonl(paths: list[Path], out: Path) -> tuple[int, float]:
    start = time.perf_counter()
    n = 0
    with out.open("w", encoding="utf-8") as f:
        for loaded in load_and_clean([str(p) for p in paths]):
            for doc in loaded.documents:
                f.write(_document_json(doc) + "\n")
                n += 1
    return n, time.perf_counter() - start


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--shared", default=str(HERE.parent.parent / "shared"))
    ap.add_argument("--no-speed", action="store_true", help="scores only")
    args = ap.parse_args()
    shared = Path(args.shared)
    bench, wcxb = shared / "bench", shared / "bench" / "wcxb"
    sets = [
        ("seeds", sorted((shared / "seeds").glob("*.txt")), [bench / "score_seeds.py"]),
        ("flattened pages", sorted((bench / "scrapinghub" / "flat").glob("*.txt")), [bench / "score_extraction.py"]),
        ("HTML pages", sorted((bench / "scrapinghub" / "html").glob("*.html.gz")), [bench / "score_extraction.py"]),
    ] + [(f"WCXB {flattener} dumps", sorted((wcxb / f"flat-{flattener}").glob("*.txt.gz")),
          [bench / "score_wcxb.py", wcxb, "--meta"]) for flattener in ("inscriptis", "w3m")]
    with tempfile.TemporaryDirectory() as tmp:
        for name, paths, scorer in sets:
            if not paths:
                print(f"{name}: no data under {shared}")
                continue
            out = Path(tmp) / f"{name.replace(' ', '_')}.jsonl"
            n, secs = clean_to_jsonl(paths, out)
            command = [sys.executable, str(scorer[0]), *map(str, scorer[1:2]), str(out), *scorer[2:]]
            score = subprocess.run(command, capture_output=True, text=True).stdout.strip()
            print(f"== {name}: {n} documents in {secs:.2f} s ({n / secs:.0f} docs/s)")
            print("\n".join(score.splitlines()[-2:]))
    if not args.no_speed:  # in a process of its own, untouched by the HTML run's memory
        print("== speed", flush=True)
        subprocess.run([sys.executable, str(HERE / "speed.py"), "--shared", str(shared)], check=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
