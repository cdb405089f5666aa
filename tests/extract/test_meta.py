"""A page's metadata from what it declares: meta tags, <title>, JSON-LD, bylines, and htmldate for the date."""
from __future__ import annotations

import json

import trafilatura

from newsclean.document import Document
from newsclean.extract.html import extract_page
from newsclean.extract.meta import declared, page_metadata
from newsclean.extract.visible import visible_text
from tests.conftest import STORY


def _tree(head: str = "", body: str = ""):
    return trafilatura.load_html(f"<html><head>{head}</head><body>{body}</body></html>")


def _ld(*objects) -> str:
    return "".join(f'<script type="application/ld+json">{json.dumps(o)}</script>' for o in objects)


def test_what_a_page_declares_is_read_in_document_order_from_head_and_body():
    head = ('<meta property="og:url" content="/relative/not-an-address">'
            '<link rel="canonical" href="https://www.riverpost.example/story">'
            '<meta property="og:type" content="article"><meta name="Author" content="  Ana   Ruiz ">'
            '<meta name="author" content="Second Author"><meta name="robots">' + _ld({"@type": "NewsArticle"}))
    body = '<p>Text.</p>' + _ld({"@type": "BreadcrumbList"}) + '<meta property="og:type" content="website">'
    page = declared(_tree(head, body))
    assert page.address == "https://www.riverpost.example/story"  # the first one that is an address
    assert page.meta["author"] == "Ana Ruiz"  # names lower-cased, the first of each wins, spacing collapsed
    assert "robots" not in page.meta  # no content: not a meta tag to read
    assert page.og_types == ["article", "website"]
    assert [json.loads(s)["@type"] for s in page.ld_json] == ["NewsArticle", "BreadcrumbList"]


def test_json_ld_gives_headline_author_date_and_publisher_and_a_broken_script_is_passed_over():
    graph = {"@graph": [{"@type": "WebSite", "name": "not the title"},
                        {"@type": ["NewsArticle"], "headline": "Pipes &amp; pumps approved",
                         "author": [{"@type": "Person", "name": "Ana Ruiz"}, {"name": "Bo Li"}],
                         "datePublished": "2024-11-05T08:00:00Z", "publisher": {"name": "River Post"}}]}
    head = '<script type="application/ld+json">{"@type": "NewsArticle", broken</script>' + _ld(graph)
    meta = page_metadata(_tree(head, "<h1>Another heading</h1><h1>And another</h1>"), "https://www.riverpost.example/a")
    assert meta["title"] == "Pipes & pumps approved"  # entities in JSON-LD strings are decoded
    assert meta["author"] == "Ana Ruiz; Bo Li" and meta["sitename"] == "River Post"
    assert meta["date"] == "2024-11-05" and meta["hostname"] == "riverpost.example"


def test_json_ld_nested_too_deep_to_read_is_passed_over():
    deep = '<script type="application/ld+json">' + "[" * 5000 + "]" * 5000 + "</script>"
    graphs = '<script type="application/ld+json">' + '{"@graph":' * 900 + "{}" + "}" * 900 + "</script>"
    head = deep + graphs + _ld({"@type": "NewsArticle", "headline": "Pipes approved"})
    assert page_metadata(_tree(head))["title"] == "Pipes approved"


def test_title_from_the_title_element_without_the_site_name_and_a_lone_h1_before_it():
    assert page_metadata(_tree("<title>Water board approves plan | River Post</title>"))["title"] == \
        "Water board approves plan"
    assert page_metadata(_tree("<title>riverpost.com - Water board approves plan</title>"))["title"] == \
        "Water board approves plan"  # a part with a dot names the site
    lone = _tree("<title>Home | River Post</title>", "<h1>Water board approves plan</h1>")
    assert page_metadata(lone)["title"] == "Water board approves plan"


def test_the_title_as_the_page_s_headline_writes_it():
    named = '<meta property="og:title" content="Water board approves plan | River Post">' \
            '<meta property="og:site_name" content="River Post">'
    assert page_metadata(_tree(named))["title"] == "Water board approves plan"  # the site's name goes
    longer = '<meta property="og:title" content="Water board approves plan: what it means for you">'
    headline = '<h1><a href="/">River Post</a></h1><article><h1>Water board approves plan</h1><p>Text.</p></article>'
    # the first <h1> holding only words of the meta title (the site's logo in an <h1> holds others)
    assert page_metadata(_tree(longer, headline))["title"] == "Water board approves plan"
    assert page_metadata(_tree(longer, "<h1>Council news</h1>"))["title"] == \
        "Water board approves plan: what it means for you"
    # no site name declared: an <h1> must hold words of the title's longest part (the site's name is another)
    unnamed = '<meta property="og:title" content="Water board approves plan, in short | River Post">'
    assert page_metadata(_tree(unnamed, "<h1>River Post</h1><h1>Water board approves plan</h1>"))["title"] == \
        "Water board approves plan"


def test_author_from_the_innermost_byline_that_reads_as_a_name():
    body = ('<div class="author-box">By <a rel="author" href="/u/jd">Jane Doe</a>, 3 March 2025</div>'
            '<div class="post_author">Someone Else Entirely</div>')
    meta = page_metadata(_tree('<meta name="author" content="https://example.org/jane">', body))
    assert meta["author"] == "Jane Doe"  # the meta value is a URL; the outer byline holds a date
    labelled = _tree(body='<span class="post_author_intro">Written by</span> <span class="post_author">Kristin</span>')
    assert page_metadata(labelled)["author"] == "Kristin"  # a label alone is no name
    assert page_metadata(_tree('<meta name="author" content="Kristin">'))["author"] == "Kristin"
    assert page_metadata(_tree(body="<p>No byline here.</p>"))["author"] is None


def test_a_date_the_markup_does_not_name_is_the_first_date_of_the_visible_text_when_asked():
    tree = _tree(body="<p>Some text here about things.</p><div>Letzte Änderung: 3. März 2021</div>"
                      "<div>Archiv: 1. Januar 2019</div>")
    assert page_metadata(tree, visible=visible_text(tree))["date"] == "2021-03-03"
    assert page_metadata(tree)["date"] is None
    marked = _tree('<meta property="article:published_time" content="2020-05-06T10:00:00Z">',
                   "<div>Letzte Änderung: 3. März 2021</div>")
    assert page_metadata(marked, visible=visible_text(marked))["date"] == "2020-05-06"  # the markup's own first


def test_articles_and_forums_take_a_date_from_their_text_other_kinds_do_not():
    html = ("<html><body><article><h1>Water board approves plan</h1>"
            + "".join(f"<p>{p}</p>" for p in STORY.split("\n"))
            + "<div>Letzte Änderung: 3. März 2021</div></article></body></html>")
    dated = {kind: extract_page(Document(text="", html=html, page_kind=kind)).doc.published
             for kind in ("article", "forum", "product", "service")}
    assert dated == {"article": "2021-03-03", "forum": "2021-03-03", "product": None, "service": None}


def test_the_date_a_page_declares_comes_first_as_the_day_it_names():
    declared = _tree(_ld({"@type": "NewsArticle", "datePublished": "2021-06-01T22:30:00-04:00"})
                     + '<meta property="article:published_time" content="2020-01-02">', "<p>Updated 3 March 2022</p>")
    assert page_metadata(declared)["date"] == "2021-06-01"  # the page's own day, not UTC's
    tagged = _tree('<meta property="article:published_time" content="2020-01-02T10:00:00Z">', "<p>Text.</p>")
    assert page_metadata(tagged)["date"] == "2020-01-02"
