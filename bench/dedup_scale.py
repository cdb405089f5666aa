"""Near-duplicate detection at scale: a generated corpus (default 1,000,000 documents of news length, a known
share of them edited copies) through shingles, signatures, LSH and grouping. Prints time per stage,
documents/s, peak memory, and precision/recall on the planted copies.

Usage: python bench/dedup_scale.py [--docs 1000000] [--workers 2] [--dup-share 0.1]
"""
from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from multiprocessing import Pool

import numpy as np
import rensa

from newsclean.dedup.batch import candidate_pairs, group, verify
from newsclean.dedup.minhash import DedupConfig, shingles

VOCAB = 50_000
CHUNK = 5_000


def _vocab() -> np.ndarray:
    rng = np.random.default_rng(7)
    letters = np.array(list("abcdefghijklmnopqrstuvwxyz"))
    return np.array(["".join(rng.choice(letters, size=int(rng.integers(2, 10)))) for _ in range(VOCAB)])


def _source(idx: int, rng: np.random.Generator, words: np.ndarray) -> np.ndarray:
    """Word ids of original document idx (deterministic in idx): 250-800 words, Zipf-distributed."""
    r = np.random.default_rng(idx * 2654435761 % (2**32))
    length = int(r.integers(250, 800))
    return np.minimum(r.zipf(1.15, size=length) - 1, VOCAB - 1)


def _edit(ids: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A light edit: about 2 % of words replaced, 2 % dropped, and half the time the tail cut by up to 25 %."""
    ids = ids.copy()
    swap = rng.random(len(ids)) < 0.02
    ids[swap] = rng.integers(0, VOCAB, size=int(swap.sum()))
    ids = ids[rng.random(len(ids)) >= 0.02]
    if rng.random() < 0.5:
        ids = ids[: int(len(ids) * rng.uniform(0.75, 1.0))]
    return ids


def plan(n: int, dup_share: float, seed: int = 11) -> np.ndarray:
    """origin[i]: the original a document copies (its own index for originals)."""
    rng = np.random.default_rng(seed)
    origin = np.arange(n)
    dups = np.nonzero(rng.random(n) < dup_share)[0]
    dups = dups[dups > 0]
    origin[dups] = (rng.random(len(dups)) * dups).astype(np.int64)
    origin[dups] = origin[origin[dups]]  # copies of copies point to the first original
    return origin


_WORDS: np.ndarray | None = None


def _init() -> None:
    global _WORDS
    _WORDS = _vocab()


def sign_chunk(task: tuple[int, np.ndarray, DedupConfig]) -> tuple[int, np.ndarray, np.ndarray]:
    """Texts of one chunk generated, shingled and signed; returns (start, digests, shingle counts)."""
    start, origins, config = task
    sets = []
    for k, o in enumerate(origins):
        ids = _source(int(o), None, _WORDS)
        if o != start + k:
            ids = _edit(ids, np.random.default_rng(start + k))
        text = " ".join(_WORDS[ids])
        sets.append(list(shingles(text, config.shingle)))
    digests = np.asarray(rensa.RMinHash.digests_from_token_sets(sets, config.num_perm, config.seed), dtype=np.uint32)
    return start, digests, np.array([len(s) for s in sets], dtype=np.uint32)


def peak_mb() -> tuple[float, float]:
    me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return me, kids


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=1_000_000)
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--dup-share", type=float, default=0.1)
    args = ap.parse_args()
    config = DedupConfig()
    n = args.docs
    t0 = time.perf_counter()
    origin = plan(n, args.dup_share)
    digests = np.empty((n, config.num_perm), dtype=np.uint32)
    counts = np.empty(n, dtype=np.uint32)
    tasks = [(s, origin[s : s + CHUNK], config) for s in range(0, n, CHUNK)]
    with Pool(args.workers, initializer=_init) as pool:
        for start, d, c in pool.imap_unordered(sign_chunk, tasks):
            digests[start : start + len(d)] = d
            counts[start : start + len(c)] = c
    t1 = time.perf_counter()
    cands = candidate_pairs(digests, config)
    t2 = time.perf_counter()
    pairs, _ = verify(cands, digests, counts, config)
    t3 = time.perf_counter()
    dup_of = group(n, pairs, preference=np.arange(n))
    t4 = time.perf_counter()

    truth_root = origin
    pred_root = np.where(dup_of < 0, np.arange(n), dup_of)
    # pairwise precision/recall on documents grouped with something (counted through their roots)
    same_pred = pred_root != np.arange(n)
    same_true = truth_root != np.arange(n)
    tp = int(np.sum(same_pred & same_true & (truth_root[pred_root] == truth_root)))
    precision = tp / max(1, int(same_pred.sum()))
    recall = tp / max(1, int(same_true.sum()))
    me, kids = peak_mb()
    total = t4 - t0
    print(f"{n:,} documents ({int(same_true.sum()):,} planted copies), {args.workers} worker processes, {config.num_perm} permutations, "
          f"{config.bands}x{config.rows} bands")
    print(f"  generate + shingle + sign: {t1 - t0:7.1f} s  ({n / (t1 - t0):,.0f} docs/s)")
    print(f"  LSH candidate pairs:       {t2 - t1:7.1f} s  ({len(cands):,} pairs)")
    print(f"  verify:                    {t3 - t2:7.1f} s  ({len(pairs):,} duplicate pairs)")
    print(f"  group:                     {t4 - t3:7.1f} s")
    print(f"  total:                     {total:7.1f} s  ({n / total:,.0f} docs/s); peak memory: main {me:,.0f} MB, "
          f"largest worker {kids:,.0f} MB")
    print(f"  copies found: precision {precision:.3f} recall {recall:.3f} (document level, against the planted origins)")
    per_doc = digests.nbytes / n + 8 * 3
    print(f"  memory per document for grouping: ~{per_doc:.0f} B -> ~{4e9 / per_doc / 1e6:.1f} M documents in 4 GB; "
          f"signing is {100 * (t1 - t0) / total:.0f} % of the time and parallel per chunk")
    return 0


if __name__ == "__main__":
    sys.exit(main())
