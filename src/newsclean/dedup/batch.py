"""Near-duplicate groups of a whole corpus at once, vectorised: band keys sorted per band instead of a dict of
buckets, candidate pairs verified in numpy, groups as connected components. Memory is ~0.9 KB a document
(digest + one band key at a time), so millions of documents fit on one machine."""
from __future__ import annotations

import numpy as np

from newsclean.dedup.minhash import DedupConfig, band_keys


def candidate_pairs(digests: np.ndarray, config: DedupConfig = DedupConfig()) -> np.ndarray:
    """(i, j) index pairs, i < j, sharing at least one band; each bucket is linked as a star on its first member."""
    n = len(digests)
    found = []
    all_keys = np.concatenate([band_keys(digests[s : s + 100_000], config) for s in range(0, n, 100_000)]) if n else None
    for band in range(config.bands):
        keys = all_keys[:, band]
        order = np.argsort(keys, kind="stable")
        sorted_keys = keys[order]
        same = sorted_keys[1:] == sorted_keys[:-1]
        if not same.any():
            continue
        # start index of each run of equal keys, for every position
        run_start = np.maximum.accumulate(np.where(np.concatenate(([True], ~same)), np.arange(n), 0))
        members = np.nonzero(np.concatenate(([False], same)))[0]
        a, b = order[run_start[members]], order[members]
        found.append(np.stack([np.minimum(a, b), np.maximum(a, b)], axis=1))
    if not found:
        return np.empty((0, 2), dtype=np.int64)
    pairs = np.concatenate(found).astype(np.int64)
    codes = np.unique(pairs[:, 0] * n + pairs[:, 1])
    return np.stack([codes // n, codes % n], axis=1)


def verify(pairs: np.ndarray, digests: np.ndarray, counts: np.ndarray, config: DedupConfig = DedupConfig(),
           chunk: int = 200_000) -> tuple[np.ndarray, np.ndarray]:
    """The pairs that are duplicates (Jaccard >= threshold or containment >= containment), with their Jaccard."""
    keep, sims = [], []
    for start in range(0, len(pairs), chunk):
        p = pairs[start : start + chunk]
        j = (digests[p[:, 0]] == digests[p[:, 1]]).mean(axis=1)
        ca, cb = counts[p[:, 0]].astype(np.float64), counts[p[:, 1]].astype(np.float64)
        contained = np.minimum(1.0, j * (ca + cb) / (1 + j) / np.maximum(1, np.minimum(ca, cb)))
        ok = (j >= config.threshold) | (contained >= config.containment)
        keep.append(p[ok])
        sims.append(j[ok])
    if not keep:
        return np.empty((0, 2), dtype=np.int64), np.empty(0)
    return np.concatenate(keep), np.concatenate(sims)


def group(n: int, pairs: np.ndarray, preference: np.ndarray) -> np.ndarray:
    """duplicate_of index for each document (-1 for a canonical): connected components of the verified pairs,
    each pointing to its most preferred member (lowest preference value)."""
    parent = np.arange(n)

    def find(x: int) -> int:
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    for a, b in pairs:
        ra, rb = find(int(a)), find(int(b))
        if ra != rb:
            if preference[ra] <= preference[rb]:
                parent[rb] = ra
            else:
                parent[ra] = rb
    roots = np.array([find(i) for i in range(n)])
    return np.where(roots == np.arange(n), -1, roots)


def near_duplicate_groups(digests: np.ndarray, counts: np.ndarray, preference: np.ndarray,
                          config: DedupConfig = DedupConfig()) -> tuple[np.ndarray, int, int]:
    """duplicate_of per document (-1 = canonical), number of candidate pairs, number of verified pairs."""
    cands = candidate_pairs(digests, config)
    pairs, _ = verify(cands, digests, counts, config)
    return group(len(digests), pairs, preference), len(cands), len(pairs)
