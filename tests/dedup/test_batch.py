"""Vectorised corpus grouping agrees with the planted duplicates."""
import numpy as np

from newsclean.dedup.batch import near_duplicate_groups
from newsclean.dedup.minhash import DedupConfig, signature, unpack
from tests.conftest import OTHER_STORY, STORY

THIRD = ("The city council voted on Wednesday to turn the old railway depot into a public market hall with room "
         "for forty stalls, a bakery school and a rooftop garden, after three years of consultation with residents.")


def test_groups_copies_and_keeps_different_stories_apart():
    texts = [STORY, OTHER_STORY, STORY.replace("Monday", "Tuesday"), THIRD * 2, STORY.rsplit("\n", 1)[0],
             OTHER_STORY.upper()]
    sigs = [unpack(signature(t)) for t in texts]
    digests = np.stack([d for d, _ in sigs])
    counts = np.array([c for _, c in sigs])
    preference = np.array([-len(t.split()) for t in texts])  # longest first
    dup_of, n_cands, n_pairs = near_duplicate_groups(digests, counts, preference, DedupConfig())
    roots = [i if d < 0 else int(d) for i, d in enumerate(dup_of)]
    assert roots[0] == roots[2] == roots[4] != roots[1]
    assert roots[1] == roots[5] and roots[3] == 3
    assert n_pairs >= 3 and n_cands >= n_pairs
