"""HTML extraction: trafilatura with metadata, the text pass after it, and the flattened-page fallback."""
from dataclasses import replace

from newsclean.document import Document
from newsclean.extract.flatten import flatten_html
from newsclean.extract.html import HtmlConfig
from newsclean.pipeline import CleanConfig, clean_html
from tests.conftest import STORY, html_page


def test_trafilatura_text_and_metadata():
    doc = clean_html(Document(text="", html=html_page("Water board approves pipe plan", STORY, site="River Post", date="2025-03-04")))
    assert "eighteen months" in doc.text and "Home" not in doc.text.split("\n")
    assert doc.title == "Water board approves pipe plan" and doc.source == "River Post" and doc.published == "2025-03-04"


def test_flatten_keeps_one_block_a_line():
    lines = flatten_html("<html><body><nav><a>Home</a> <a>News</a></nav><p>First para.</p><p>Second para.</p></body></html>").split("\n")
    assert "First para." in [ln.strip() for ln in lines] and "Second para." in [ln.strip() for ln in lines]


def test_fallback_to_the_flattened_page_when_extraction_keeps_too_little():
    html = html_page("Water board approves pipe plan", STORY)
    forced = replace(CleanConfig(), html=HtmlConfig(fallback_below_words=10_000, fallback_ratio=10.0))
    doc = clean_html(Document(text="", html=html), forced)
    assert "eighteen months" in doc.text
    assert doc.removed and all(s.reason for s in doc.removed)  # the dump cleaner recorded what it cut
    assert doc.title == "Water board approves pipe plan"


def test_what_extraction_leaves_out_is_recorded():
    doc = clean_html(Document(text="", html=html_page("Water board approves pipe plan", STORY, site="River Post")))
    spans = {(s.reason, s.text) for s in doc.removed}
    assert ("html_boilerplate", "Copyright 2025 River Post") in spans
    assert not any(s.text in doc.text for s in doc.removed if s.reason == "html_boilerplate")
    assert all(line.strip() not in {s.text for s in doc.removed} for line in STORY.split("\n"))
