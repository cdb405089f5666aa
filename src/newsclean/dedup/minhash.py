"""Exact and near-duplicate documents: normalised-text hash first, then MinHash-LSH with a verification step."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from datasketch import MinHash, MinHashLSH

from newsclean.text import tokens


@dataclass(frozen=True, slots=True)
class DedupConfig:
    """MinHash over word shingles of the cleaned text.

    LSH proposes candidates at a lower Jaccard (lsh_threshold) than the verification needs, so pairs near the
    threshold are not lost to banding; a candidate is a duplicate when its estimated Jaccard >= threshold, or
    when the shorter text is almost contained in the longer (truncated copies, cut tails).
    """

    num_perm: int = 128
    shingle: int = 3
    lsh_threshold: float = 0.4
    threshold: float = 0.6
    containment: float = 0.8
    seed: int = 1
    min_words: int = 20  # shorter texts are matched exactly only: too few shingles to estimate similarity


def shingles(text: str, n: int) -> set[bytes]:
    """Word n-gram shingles (CJK characters count as words)."""
    toks = tokens(text)
    if len(toks) < n:
        return {" ".join(toks).encode()} if toks else set()
    return {" ".join(toks[i : i + n]).encode() for i in range(len(toks) - n + 1)}


def signature(text: str, config: DedupConfig = DedupConfig()) -> bytes | None:
    """The MinHash signature of a text as bytes (stored so later runs need not recompute it), or None if too short.

    The last 8 bytes hold the number of distinct shingles, needed to estimate containment.
    """
    if len(tokens(text)) < config.min_words:
        return None
    grams = shingles(text, config.shingle)
    m = MinHash(num_perm=config.num_perm, seed=config.seed, scheme="affine32")
    m.update_batch(list(grams))
    return m.hashvalues.astype(np.uint64).tobytes() + np.uint64(len(grams)).tobytes()


def _minhash(sig: bytes, config: DedupConfig) -> tuple[MinHash, int]:
    values = np.frombuffer(sig, dtype=np.uint64)
    return MinHash(num_perm=config.num_perm, seed=config.seed, scheme="affine32", hashvalues=values[:-1]), int(values[-1])


def similarity(a: tuple[MinHash, int], b: tuple[MinHash, int]) -> tuple[float, float]:
    """(estimated Jaccard, estimated containment of the smaller shingle set in the larger)."""
    j = a[0].jaccard(b[0])
    inter = j * (a[1] + b[1]) / (1 + j)
    return j, min(1.0, inter / max(1, min(a[1], b[1])))


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
    """Canonical documents seen so far (from the store and this run): exact hashes and an LSH over signatures."""

    config: DedupConfig = field(default_factory=DedupConfig)
    by_hash: dict[str, str] = field(default_factory=dict)
    lsh: MinHashLSH | None = None
    minhashes: dict[str, tuple[MinHash, int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.lsh = MinHashLSH(threshold=self.config.lsh_threshold, num_perm=self.config.num_perm)

    def add(self, doc_id: str, content_hash: str, sig: bytes | None) -> None:
        """Register a canonical document."""
        self.by_hash.setdefault(content_hash, doc_id)
        if sig is not None and doc_id not in self.minhashes:
            m = _minhash(sig, self.config)
            self.minhashes[doc_id] = m
            self.lsh.insert(doc_id, m[0])

    def match(self, content_hash: str, sig: bytes | None) -> Match | None:
        """The canonical document this one duplicates, if any."""
        if content_hash in self.by_hash:
            return Match(self.by_hash[content_hash], 1.0, "exact")
        if sig is None:
            return None
        m = _minhash(sig, self.config)
        best: Match | None = None
        for other in sorted(self.lsh.query(m[0])):
            jaccard, contained = similarity(m, self.minhashes[other])
            if jaccard < self.config.threshold and contained < self.config.containment:
                continue
            if best is None or jaccard > best.similarity:
                best = Match(other, jaccard, "near")
        return best

    def assign(self, candidates: list[Candidate]) -> dict[str, Match]:
        """Match new documents against the index in preference order; the first of a new story becomes canonical."""
        matches: dict[str, Match] = {}
        for c in sorted(candidates, key=lambda c: c.rank):
            found = self.match(c.content_hash, c.signature)
            if found is None:
                self.add(c.doc_id, c.content_hash, c.signature)
            else:
                matches[c.doc_id] = found
        return matches


def canonical_rank(word_count: int, published: str | None, fmt: str, doc_id: str) -> tuple:
    """Preference among copies: most complete text, then earliest date, then HTML over text dumps, then id."""
    return (-word_count, published or "9999-99-99", 0 if fmt in ("html", "warc") else 1, doc_id)
