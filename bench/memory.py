"""Peak memory of cleaning a large dump: `newsclean clean` (which reads and cleans piece by piece, clean_stream)
against cleaning the whole input as one batch (load_and_clean, what `newsclean clean` did before 2026-12-03).

Writes a JSON Lines dump of --mb megabytes of generated articles (about 5 KB each), then cleans it to JSON
Lines in a fresh process per way and prints each process's peak RSS, its multiple of the input and of the
largest document, and the time. The imports alone (trafilatura, language model) take about 115 MB.

Usage: python bench/memory.py [--mb 50] [--piece-mb 4]
"""
from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.conftest import OTHER_STORY, STORY, text_dump  # noqa: E402

CLEAN = """
import sys
from newsclean.cli import _document_json
from newsclean.pipeline import clean_stream, load_and_clean
out = open(sys.argv[2], "w")
piece = int(sys.argv[3])
for loaded in clean_stream([sys.argv[1]], piece_chars=piece) if piece else load_and_clean([sys.argv[1]]):
    for doc in loaded.documents:
        out.write(_document_json(doc) + "\\n")
"""


def write_dump(path: Path, mb: int) -> int:
    """A JSON Lines dump of generated text dumps; returns the largest line in bytes."""
    rng = random.Random(7)
    words = (STORY + " " + OTHER_STORY).split()
    largest = 0
    with open(path, "w") as f:
        i = 0
        while f.tell() < mb * 1_000_000:
            paras = [" ".join(rng.choice(words) for _ in range(rng.randint(40, 90))) + "." for _ in range(12)]
            line = json.dumps({"text": text_dump(f"Story {i} about {rng.choice(words)}", "\n".join(paras)), "url": f"https://e.org/{i}"})
            largest = max(largest, len(line))
            f.write(line + "\n")
            i += 1
    return largest


def measure(cmd: list[str]) -> tuple[float, float]:
    """(peak RSS in MB, seconds) of one process."""
    start = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0, cmd
    return usage.ru_maxrss / 1024, time.monotonic() - start


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mb", type=int, default=50)
    ap.add_argument("--piece-mb", type=float, default=4)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        dump = Path(tmp) / "dump.jsonl"
        largest = write_dump(dump, args.mb)
        size = dump.stat().st_size / 1e6
        print(f"input: {size:.0f} MB JSON Lines, largest document {largest / 1e3:.0f} KB")
        ways = {
            "whole input as one batch (load_and_clean)": [sys.executable, "-c", CLEAN, str(dump), str(Path(tmp) / "whole.jsonl"), "0"],
            "newsclean clean (4 MB pieces)": [sys.executable, "-m", "newsclean.cli", "clean", str(dump)],
            f"clean_stream ({args.piece_mb:g} MB pieces)": [sys.executable, "-c", CLEAN, str(dump), str(Path(tmp) / "out.jsonl"),
                                                           str(int(args.piece_mb * 1_000_000))],
        }
        for name, cmd in ways.items():
            peak, secs = measure(cmd)
            print(f"{name}: peak {peak:.0f} MB ({peak / size:.1f}x the input), {secs:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
