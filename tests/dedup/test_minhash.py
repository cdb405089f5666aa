"""Exact and near-duplicate detection."""
from __future__ import annotations

from newsclean.dedup.minhash import (
    Candidate,
    DedupConfig,
    DedupIndex,
    canonical_rank,
    signature,
)
from newsclean.text import content_hash
from tests.conftest import OTHER_STORY, STORY


def cand(doc_id: str, text: str, fmt: str = "txt", published: str | None = None) -> Candidate:
    return Candidate(doc_id, content_hash(text), signature(text), canonical_rank(len(text.split()), published, fmt, doc_id))


def test_exact_copy_differing_in_case_and_spacing():
    idx = DedupIndex()
    m = idx.assign([cand("a", STORY), cand("b", "  " + STORY.upper().replace(" ", "   "))])
    assert list(m) == ["b"] and m["b"].duplicate_of == "a" and m["b"].kind == "exact"


def test_near_copy_with_light_edits_and_cut_tail():
    edited = STORY.replace("Monday", "Tuesday").rsplit("\n", 1)[0] + "\nThis story was distributed by a wire service."
    m = DedupIndex().assign([cand("a", STORY), cand("b", edited)])
    assert m["b"].duplicate_of == "a" and m["b"].kind == "near" and 0.6 <= m["b"].similarity < 1.0


def test_different_stories_are_not_merged():
    template = "Subscribe to our newsletter for the latest local news from the city and the region every morning."
    m = DedupIndex().assign([cand("a", STORY + "\n" + template), cand("b", OTHER_STORY + "\n" + template)])
    assert m == {}


def test_canonical_is_the_most_complete_then_html():
    longer = STORY + "\nA spokesperson said more details would follow at a public meeting next month."
    m = DedupIndex().assign([cand("short", STORY), cand("long", longer)])
    assert m["short"].duplicate_of == "long"
    m = DedupIndex().assign([cand("dump", STORY, "txt"), cand("page", STORY, "html")])
    assert m["dump"].duplicate_of == "page"


def test_index_from_stored_signatures_matches_later_documents():
    idx = DedupIndex()
    idx.add("old", content_hash(STORY), signature(STORY))
    m = idx.assign([cand("new", STORY.replace("eighteen", "twenty"))])
    assert m["new"].duplicate_of == "old"


def test_short_texts_only_match_exactly():
    assert signature("too short to sign", DedupConfig()) is None
