"""Exact and near-duplicate documents: normalised-text hash first, then MinHash (rensa) with LSH banding and a
verification step on candidate pairs.

Signatures are rensa RMinHash digests (bench/dedup_quality.py measured them ~25x faster than datasketch with
the same pairs found). Banding and verification are done here, on plain arrays, so the same code serves the
incremental index of the pipeline and the vectorised grouping of a whole corpus (dedup/batch.py).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
import rensa

from newsclean.text import tokens


@dataclass(frozen=True, slots=True)
class DedupConfig:
    """MinHash over word shingles of the cleaned text.

    LSH banding (bands x rows permutations) proposes pairs from a Jaccard of about 0.3 on, below the
    verification threshold so that pairs near it are not lost to banding; a candidate is a duplicate when its
    estimated Jaccard >= threshold, or when the shorter text is almost contained in the longer (truncated
    copies, cut tails, added chrome).
    """

    num_perm: int = 128
    shingle: int = 3
    bands: int = 42
    rows: int = 3  # bands * rows <= num_perm; (1/bands) ** (1/rows) ~ 0.29 is where candidates start
    threshold: float = 0.6
    containment: float = 0.8  # above 1: containment alone never makes a duplicate
    seed: int = 1
    min_words: int = 20  # shorter texts are matched exactly only: too few shingles to estimate similarity

    def __post_init__(self) -> None:
        if min(self.num_perm, self.shingle, self.bands, self.rows) < 1:
            raise ValueError("num_perm, shingle, bands and rows must be 1 or more")
        if self.bands * self.rows > self.num_perm:
            raise ValueError(f"bands x rows ({self.bands} x {self.rows}) must not exceed num_perm ({self.num_perm})")
        if not 0 < self.threshold <= 1 or self.containment <= 0:
            raise ValueError("threshold is a share: above 0, at most 1; containment is above 0 (above 1: not used)")


def shingles(text: str, n: int) -> set[str]:
    """Word n-gram shingles (CJK characters count as words)."""
    return _shingles(tokens(text), n)


def _shingles(toks: list[str], n: int) -> set[str]:
    if len(toks) < n:
        return {" ".join(toks)} if toks else set()
    return {" ".join(toks[i : i + n]) for i in range(len(toks) - n + 1)}


def signature(text: str, config: DedupConfig = DedupConfig()) -> bytes | None:
    """The MinHash signature of a text as bytes (stored so later runs need not recompute it), or None if too short.

    num_perm uint32 values, then the number of distinct shingles (uint32), needed to estimate containment.
    """
    toks = tokens(text)
    if len(toks) < config.min_words:
        return None
    grams = _shingles(toks, config.shingle)
    m = rensa.RMinHash(num_perm=config.num_perm, seed=config.seed)
    m.update(list(grams))
    return np.asarray(m.digest() + [len(grams)], dtype=np.uint32).tobytes()


def unpack(sig: bytes) -> tuple[np.ndarray, int]:
    """(digest, shingle count) from stored signature bytes."""
    values = np.frombuffer(sig, dtype=np.uint32)
    return values[:-1], int(values[-1])


_MIX = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0x27D4EB2F165667C5,
                 0xFF51AFD7ED558CCD], dtype=np.uint64)


def band_keys(digests: np.ndarray, config: DedupConfig = DedupConfig()) -> np.ndarray:
    """LSH band keys, shape (documents, bands), as int64: two documents sharing a key in a band are candidates.

    Each key mixes the band number and its rows' values into 64 bits (stored in `lsh_bands` for later runs).
    """
    digests = np.atleast_2d(digests)
    keys = np.empty((len(digests), config.bands), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for band in range(config.bands):
            cols = digests[:, band * config.rows : (band + 1) * config.rows].astype(np.uint64)
            h = np.full(len(digests), np.uint64(band + 1) * _MIX[0], dtype=np.uint64)
            for r in range(config.rows):
                h ^= cols[:, r] * _MIX[1 + r % 3]
                h = (h ^ (h >> np.uint64(31))) * _MIX[4]
            keys[:, band] = h
    return keys.view(np.int64)


def similarity(a: tuple[np.ndarray, int], b: tuple[np.ndarray, int]) -> tuple[float, float]:
    """(estimated Jaccard, estimated containment of the smaller shingle set in the larger)."""
    j = float(np.count_nonzero(a[0] == b[0])) / len(a[0])
    inter = j * (a[1] + b[1]) / (1 + j)
    return j, min(1.0, inter / max(1, min(a[1], b[1])))


def is_duplicate(jaccard: float, contained: float, config: DedupConfig) -> bool:
    return jaccard >= config.threshold or contained >= config.containment


@dataclass(slots=True)
class Candidate:
    """A new document as dedup sees it."""

    doc_id: str
    content_hash: str
    signature: bytes | None
    rank: tuple  # lower sorts first: the preferred canonical among copies


@dataclass(slots=True)
class Match:
    duplicate_of: str
    similarity: float
    kind: str  # exact | near


@dataclass(slots=True)
class DedupIndex:
    """Documents seen so far (from the store and this run), each with its group's canonical document.

    Every member is indexed, not only canonicals, so a new copy joins its story when it resembles any copy
    already grouped (a truncated copy of the HTML page matches the re-wrap, not only the longest version).
    """

    config: DedupConfig = field(default_factory=DedupConfig)
    by_hash: dict[str, str] = field(default_factory=dict)
    buckets: dict[tuple[int, int], list[str]] = field(default_factory=lambda: defaultdict(list))
    sigs: dict[str, tuple[np.ndarray, int]] = field(default_factory=dict)
    canonical_of: dict[str, str] = field(default_factory=dict)

    def add(self, doc_id: str, content_hash: str, sig: bytes | None, canonical: str | None = None,
            keys: list[int] | None = None) -> None:
        """Register a document of the group whose canonical is `canonical` (itself when None); keys are its band
        keys when already computed."""
        self.canonical_of[doc_id] = canonical or doc_id
        self.by_hash.setdefault(content_hash, doc_id)
        if sig is not None and doc_id not in self.sigs:
            unpacked = unpack(sig)
            self.sigs[doc_id] = unpacked
            for band, key in enumerate(keys if keys is not None else band_keys(unpacked[0], self.config)[0].tolist()):
                self.buckets[(band, key)].append(doc_id)

    def add_many(self, rows: list[tuple[str, str, bytes | None, str | None]]) -> None:
        """add() each (doc_id, content_hash, signature, canonical) in order, band keys computed in one go."""
        keys = self._keys([sig for _, _, sig, _ in rows])
        for (doc_id, content_hash, sig, canonical), k in zip(rows, keys):
            self.add(doc_id, content_hash, sig, canonical, k)

    def _keys(self, sigs: list[bytes | None]) -> list[list[int] | None]:
        """Band keys of each signature (None for None), for all of them at once."""
        signed = [i for i, sig in enumerate(sigs) if sig is not None]
        out: list[list[int] | None] = [None] * len(sigs)
        if signed:
            for i, k in zip(signed, band_keys(np.stack([unpack(sigs[i])[0] for i in signed]), self.config).tolist()):
                out[i] = k
        return out

    def match(self, content_hash: str, sig: bytes | None, keys: list[int] | None = None) -> Match | None:
        """The canonical document of the group this one duplicates, if any; keys are its band keys when known."""
        if content_hash in self.by_hash:
            return Match(self.canonical_of[self.by_hash[content_hash]], 1.0, "exact")
        if sig is None:
            return None
        mine = unpack(sig)
        if keys is None:
            keys = band_keys(mine[0], self.config)[0].tolist()
        candidates = {other for band, key in enumerate(keys) for other in self.buckets.get((band, key), ())}
        best: tuple[float, str] | None = None
        for other in sorted(candidates):
            jaccard, contained = similarity(mine, self.sigs[other])
            if is_duplicate(jaccard, contained, self.config) and (best is None or jaccard > best[0]):
                best = (jaccard, other)
        return Match(self.canonical_of[best[1]], best[0], "near") if best else None

    def assign(self, candidates: list[Candidate]) -> dict[str, Match]:
        """Match new documents in preference order; the first of a new story becomes its canonical."""
        matches: dict[str, Match] = {}
        ordered = sorted(candidates, key=lambda c: c.rank)
        for c, keys in zip(ordered, self._keys([c.signature for c in ordered])):
            found = self.match(c.content_hash, c.signature, keys)
            if found is not None:
                matches[c.doc_id] = found
            self.add(c.doc_id, c.content_hash, c.signature, found.duplicate_of if found else None, keys)
        return matches


def canonical_rank(word_count: int, published: str | None, fmt: str, doc_id: str) -> tuple:
    """Preference among copies: most complete text, then earliest date, then HTML over text dumps, then id."""
    return (-word_count, published or "9999-99-99", 0 if fmt in ("html", "warc") else 1, doc_id)
