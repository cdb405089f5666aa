"""Near-duplicate detection on a labelled corpus built from ../shared data; pairwise precision and recall.

For each of the 181 Scrapinghub pages the corpus holds four forms of the same story:
  html     the saved page through newsclean's HTML path (trafilatura + text pass)
  dump     the flattened page (a text dump) through the text-dump cleaner
  rewrap   the page's true article text re-wrapped: paragraphs joined two by two, other line breaks
  edited   the true article text lightly edited: every 7th sentence dropped, a tail of 25 % cut, and
           a wire-service line added
Copies of one story must end in one group; different stories never, including the pairs of pages that
come from the same site (same chrome). Pages whose true texts are near-identical are one story.

Also compares the MinHash backends (datasketch, rensa) on signature speed and on the same pairs.

Usage: python bench/dedup_quality.py [--shared ../shared]
"""
from __future__ import annotations

import argparse
import gzip
import itertools
import json
import re
import sys
import time
from collections import defaultdict
from pathlib import Path

from newsclean.dedup.minhash import (
    Candidate,
    DedupConfig,
    DedupIndex,
    canonical_rank,
    shingles,
    signature,
)
from newsclean.document import Document
from newsclean.pipeline import clean_documents
from newsclean.text import content_hash, word_count

HERE = Path(__file__).resolve().parent
_SENT = re.compile(r"(?<=[.!?])\s+")


def rewrap(text: str) -> str:
    paras = [p for p in text.split("\n") if p.strip()]
    return "\n".join(" ".join(paras[i : i + 2]) for i in range(0, len(paras), 2))


def edited(text: str) -> str:
    sentences = [s for s in _SENT.split(text.replace("\n", " ")) if s.strip()]
    kept = [s for i, s in enumerate(sentences) if i % 7 != 6]
    kept = kept[: max(1, int(len(kept) * 0.75))]
    return " ".join(kept) + "\nThis story was distributed by a wire service."


def build_corpus(shared: Path) -> tuple[list[Document], dict[str, str]]:
    """Documents of the four forms and each document's story id."""
    truth = json.loads((shared / "bench" / "scrapinghub" / "ground-truth.json").read_text(encoding="utf-8"))
    docs, story = [], {}
    for key, item in truth.items():
        html = gzip.decompress((shared / "bench" / "scrapinghub" / "html" / f"{key}.html.gz").read_bytes()).decode("utf-8", "replace")
        flat = (shared / "bench" / "scrapinghub" / "flat" / f"{key}.txt").read_text(encoding="utf-8")
        body = item.get("articleBody", "")
        forms = {
            "html": Document(text="", html=html, format="html", path=f"{key}/page.html"),
            "dump": Document(text=flat, format="txt", path=f"{key}/page.txt"),
            "rewrap": Document(text=rewrap(body), format="txt", path=f"rewrap/{key}.txt"),
            "edited": Document(text=edited(body), format="txt", path=f"edited/{key}.txt"),
        }
        for form, doc in forms.items():
            doc.doc_id = f"{key[:12]}-{form}"
            story[doc.doc_id] = key
            docs.append(doc)
    # stories whose true texts are near-identical are one story
    sets = {k: shingles(v.get("articleBody", ""), 3) for k, v in truth.items()}
    keys = sorted(sets)
    alias = {k: k for k in keys}
    for a, b in itertools.combinations(keys, 2):
        inter = len(sets[a] & sets[b])
        if inter and inter / len(sets[a] | sets[b]) >= 0.5:
            alias[b] = alias[a]
    return docs, {d: alias[s] for d, s in story.items()}


def evaluate(groups: dict[str, str], story: dict[str, str]) -> tuple[float, float, int, int]:
    """Pairwise precision/recall of predicted groups against story ids."""
    def pairs(label: dict[str, str]) -> set[tuple[str, str]]:
        by = defaultdict(list)
        for d, g in label.items():
            by[g].append(d)
        return {tuple(sorted(p)) for members in by.values() for p in itertools.combinations(members, 2)}

    predicted, true = pairs(groups), pairs(story)
    tp = len(predicted & true)
    return (tp / len(predicted) if predicted else 1.0), (tp / len(true) if true else 1.0), len(predicted), len(true)


def run_dedup(docs: list[Document], config: DedupConfig) -> dict[str, str]:
    index = DedupIndex(config)
    cands = [Candidate(d.doc_id, content_hash(d.text), signature(d.text, config),
                       canonical_rank(d.word_count, d.published, d.format, d.doc_id)) for d in docs if d.text.strip()]
    matches = index.assign(cands)
    return {d.doc_id: (matches[d.doc_id].duplicate_of if d.doc_id in matches else d.doc_id) for d in docs}


def backend_speed(texts: list[str], num_perm: int) -> None:
    import numpy as np
    import rensa

    try:
        from datasketch import MinHash
    except ImportError:
        print("  datasketch is not installed (pip install datasketch) to compare the backends")
        return
    sets = [list(shingles(t, 3)) for t in texts]
    start = time.perf_counter()
    for s in sets:
        m = MinHash(num_perm=num_perm, seed=1)
        m.update_batch([x.encode() for x in s])
    ds = time.perf_counter() - start
    start = time.perf_counter()
    for s in sets:
        r = rensa.RMinHash(num_perm=num_perm, seed=1)
        r.update(s)
        np.asarray(r.digest(), dtype=np.uint32)
    rs = time.perf_counter() - start
    start = time.perf_counter()
    rensa.RMinHash.digests_from_token_sets(sets, num_perm, 1)
    rb = time.perf_counter() - start
    print(f"  signatures/s (one core, {num_perm} permutations, word 3-grams): datasketch {len(sets) / ds:,.0f}; "
          f"rensa {len(sets) / rs:,.0f} one by one, {len(sets) / rb:,.0f} batched  (rensa/datasketch = {ds / rb:.1f}x)")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", default=str(HERE.parent.parent / "shared"))
    args = ap.parse_args()
    shared = Path(args.shared)
    start = time.perf_counter()
    raw_docs, story = build_corpus(shared)
    docs = clean_documents(raw_docs)  # site templates are learned per folder: each page's two forms share one
    print(f"corpus: {len(docs)} documents, {len(set(story.values()))} stories, cleaned in {time.perf_counter() - start:.1f} s")
    short = sum(1 for d in docs if word_count(d.text) < 20)
    print(f"  documents under 20 words after cleaning (matched exactly only): {short}")
    for label, config in [
        ("newsclean default", DedupConfig()),
        ("FineWeb-style: 5-grams, 14x8 bands, Jaccard 0.75 only", DedupConfig(shingle=5, bands=14, rows=8, threshold=0.75, containment=1.01)),
        ("3-grams, Jaccard only (no containment)", DedupConfig(containment=1.01)),
        ("3-grams, 32x4 bands (candidates from ~0.42)", DedupConfig(bands=32, rows=4)),
        ("3-grams, Jaccard 0.7 or containment 0.9", DedupConfig(threshold=0.7, containment=0.9)),
    ]:
        t = time.perf_counter()
        groups = run_dedup(docs, config)
        p, r, npred, ntrue = evaluate(groups, story)
        f = 2 * p * r / (p + r) if p + r else 0.0
        print(f"{label:58s} precision {p:.3f} recall {r:.3f} F1 {f:.3f}  ({npred} pairs predicted, {ntrue} true; {time.perf_counter() - t:.1f} s)")
    backend_speed([d.text for d in docs], DedupConfig().num_perm)
    return 0


if __name__ == "__main__":
    sys.exit(main())
