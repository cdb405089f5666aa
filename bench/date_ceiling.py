"""How many WCXB article dumps show their publication date at all: the ceiling of any date picker on dumps.

For every article page with a gold date, the dump's lines (those under 300 characters, as the cleaner reads them)
are read by newsclean's date parser; the page counts when one of them gives the gold day.

Usage: python bench/date_ceiling.py [--wcxb ../shared/bench/wcxb]
"""
from __future__ import annotations

import argparse
import gzip
import json
from pathlib import Path

from newsclean.extract.dates import find_date

WCXB = Path(__file__).resolve().parents[2] / "shared" / "bench" / "wcxb"


def days_shown(text: str) -> set[str]:
    found = (find_date(line) for line in text.split("\n") if len(line) < 300)
    return {d[0] for d in found if d}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--wcxb", type=Path, default=WCXB)
    a = ap.parse_args()
    truth = json.load(gzip.open(a.wcxb / "ground-truth.json.gz", "rt", encoding="utf-8"))
    dated = {pid: t["publish_date"][:10] for pid, t in truth.items() if t["page_type"] == "article" and t.get("publish_date")}
    for flattener in sorted(p.name for p in a.wcxb.glob("flat-*")):
        shown = sum(day in days_shown(gzip.open(a.wcxb / flattener / f"{pid}.txt.gz", "rt", errors="replace").read())
                    for pid, day in dated.items())
        print(f"{flattener}: the gold day is readable in {shown} of {len(dated)} article dumps ({shown / len(dated):.1%})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
