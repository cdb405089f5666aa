"""Page kinds (recogniser, per-kind extraction, the page_kind column), one-parse details and the fast mode."""
from __future__ import annotations

import json
from dataclasses import replace

import duckdb
import lxml.html
import trafilatura

from newsclean.document import Document, RawInput
from newsclean.extract.html import MAX_BLOB_CHARS, HtmlConfig, _resiliparse_text, cap_markup, cap_tags, extract_page
from newsclean.extract.kinds import FEATURE_NAMES, KINDS, kind_scores, page_features, page_kind
from newsclean.extract.visible import main_text, visible_text
from newsclean.pipeline import CleanConfig, clean_html
from newsclean.readers.encoding import repair as ftfy_repair
from newsclean.readers.html import decode_html
from newsclean.store.duck import Store
from tests.conftest import OTHER_STORY, STORY, html_page

POST = ("I replaced the pump seal last week and the leak stopped for two days, then came back worse than before. "
        "Has anyone seen this on the older models?")


def forum_page() -> str:
    ld = {"@context": "https://schema.org", "@type": "DiscussionForumPosting", "headline": "Pump seal keeps leaking",
          "comment": [{"@type": "Comment", "text": "x"}] * 6}
    posts = "".join(
        f'<div class="post-row"><div class="post-author"><a href="/u/{i}">member{i}</a> Joined 2019 Posts: {i * 7}</div>'
        f'<div class="post-body">{POST} Reply number {i}.</div><a class="reply-button">Reply</a> '
        f'<a class="quote">Quote</a></div>' for i in range(8))
    return (f'<html lang="en"><head><title>Pump seal keeps leaking - Plumbing Forum</title>'
            f'<link rel="canonical" href="https://forum.example.org/threads/pump-seal-keeps-leaking.4411/">'
            f'<script type="application/ld+json">{json.dumps(ld)}</script></head><body>'
            f'<nav><a href="/">Forums</a> <a href="/new">New posts</a></nav><h1>Pump seal keeps leaking</h1>'
            f'<div class="thread">{posts}</div></body></html>')


def product_page() -> str:
    ld = {"@context": "https://schema.org", "@type": "Product", "name": "Cordless drill 18V",
          "offers": {"@type": "Offer", "price": "89.99", "priceCurrency": "EUR"}}
    return ('<html lang="en"><head><title>Cordless drill 18V | Tool Shop</title><meta property="og:type" content="product">'
            '<link rel="canonical" href="https://shop.example.com/product/cordless-drill-18v">'
            f'<script type="application/ld+json">{json.dumps(ld)}</script></head><body>'
            '<nav><a href="/">Shop</a> <a href="/cart">Cart</a></nav><div class="product-main"><h1>Cordless drill 18V</h1>'
            '<div class="product-price">€89.99</div><button class="add-to-cart">Add to cart</button><p>In stock</p>'
            '<div class="product-description"><p>A compact drill with two speeds, an LED light and a 2 Ah battery that '
            'charges in forty minutes.</p></div><table class="specs"><tr><td>Voltage</td><td>18 V</td></tr>'
            '<tr><td>Weight</td><td>1.3 kg</td></tr></table></div></body></html>')


def test_features_are_numbers_with_fixed_names():
    tree = trafilatura.load_html(forum_page())
    features = page_features(tree)
    assert tuple(features) == FEATURE_NAMES and all(isinstance(v, float) for v in features.values())
    assert features["t_forum"] >= 1 and features["u_forum"] == 1.0  # JSON-LD types and the canonical URL are read
    assert features["rep_best"] >= 8  # the eight posts are one repeated structure


def test_features_count_the_visible_text_not_scripts():
    script = '<script>var shop = {"label": "Add to cart", "price": "$5", "note": "in stock, free shipping"};</script>'
    tree = trafilatura.load_html(html_page("Water board approves pipe plan", STORY).replace("<article>", script + "<article>"))
    features = page_features(tree)
    assert features["prices"] == 0 and features["w_cart"] == 0
    assert features["words"] == len(visible_text(tree).split())
    assert page_features(tree, None, visible_text(tree)) == features  # the caller's visible text, the same numbers


def test_articles_take_the_quick_pass_and_a_menu_around_the_story_does_not_redo_it(monkeypatch):
    calls = []
    real = trafilatura.bare_extraction

    def watched(*args, **kwargs):
        calls.append((kwargs["fast"], kwargs["favor_precision"]))
        return real(*args, **kwargs)

    monkeypatch.setattr(trafilatura, "bare_extraction", watched)
    story = html_page("Water board approves pipe plan", STORY)
    page = extract_page(Document(text="", html=story, page_kind="article"))
    assert calls == [(True, True)] and "eighteen months" in page.doc.text  # the quick pass, with precision
    calls.clear()
    menu = "".join(f'<li><a href="/s/{i}">Section {i} of the site, with its long name</a></li>' for i in range(300))
    crowded = extract_page(Document(text="", html=story.replace("<nav>", f"<nav><ul>{menu}</ul>"), page_kind="article"))
    # the story is a small share of the visible words, but resiliparse's main content is the story too: no full pass
    # (test_html.py has a page where it is redone)
    assert calls == [(True, True)]
    assert "eighteen months" in crowded.doc.text and "Section 12" not in crowded.doc.text


def test_recogniser_tells_kinds_apart():
    scores = kind_scores(page_features(trafilatura.load_html(forum_page())))
    assert set(scores) == set(KINDS) and abs(sum(scores.values()) - 1) < 1e-6
    assert page_kind(trafilatura.load_html(forum_page())) == "forum"
    assert page_kind(trafilatura.load_html(product_page())) == "product"
    assert page_kind(trafilatura.load_html(html_page("Water board approves pipe plan", STORY)),
                     "https://news.example.com/2025/03/04/water-board-approves-pipe-plan") == "article"


def test_page_kind_recorded_and_forum_posts_kept():
    doc = clean_html(Document(text="", html=forum_page()))
    assert doc.page_kind == "forum"
    assert doc.text.count("Has anyone seen this on the older models?") >= 6  # the posts, not only the first


def test_a_given_kind_is_used_as_it_is():
    doc = clean_html(Document(text="", html=html_page("Water board approves pipe plan", STORY), page_kind="listing"))
    assert doc.page_kind == "listing" and "eighteen months" in doc.text


def test_collection_pages_take_resiliparse_text_and_the_page_metadata():
    html = html_page("Water board approves pipe plan", STORY, site="River Post", date="2025-03-04")
    doc = extract_page(Document(text="", html=html, page_kind="collection")).doc
    assert doc.text == _resiliparse_text(html).partition("\n")[2].strip()  # its headline went to the title
    assert (doc.title, doc.published, doc.source) == ("Water board approves pipe plan", "2025-03-04", "River Post")
    assert extract_page(Document(text="", html=html, page_kind="article")).doc.text != doc.text  # trafilatura's


ENTRIES = [("Harbour ferry timetable changes from May",
            "The morning crossing leaves twenty minutes earlier and a late boat is added on Fridays."),
           ("Library extends weekend opening hours",
            "Readers can borrow and return books until eight in the evening on Saturdays and Sundays."),
           ("New cycle lane opens on Mill Road",
            "The protected lane links the station with the school and replaces forty parking spaces."),
           ("Market square fountain restored",
            "Stonemasons spent four months repairing the basin and the carved lions around it."),
           ("Town council publishes budget draft",
            "Residents have until the end of the month to comment on the spending plans online."),
           ("Swimming pool closes for repairs",
            "The roof of the main hall needs new beams, and the pool reopens in the autumn.")]


def listing_page(main: bool = True) -> str:
    items = "".join(f'<article class="entry"><header><h2><a href="/n/{i}">{title}</a></h2></header><p>{summary}</p>'
                    f'</article>' for i, (title, summary) in enumerate(ENTRIES))
    region = f"<main><h1>Town news</h1>{items}</main>" if main else f"<h1>Town news</h1><div>{items}</div>"
    return ('<html lang="en"><head><title>Town news | Riverside Gazette</title></head><body>'
            '<header><a href="/">Riverside Gazette</a> <a href="/login">Sign in</a></header>'
            '<nav><ul><li><a href="/news">News</a></li><li><a href="/sport">Sport</a></li>'
            '<li><a href="/weather">Weather</a></li></ul></nav>'
            f'{region}<aside><h3>Most read</h3><a href="/x">Lottery winner found after six months</a></aside>'
            '<div role="navigation"><a href="/p/2">Next page</a></div>'
            '<footer>Contact the newsroom | Privacy | Terms</footer></body></html>')


def test_listing_and_service_pages_take_the_main_region_without_its_landmarks():
    for main in (True, False):  # a <main> element, or the body when the page has none
        for kind in ("listing", "service"):
            doc = clean_html(Document(text="", html=listing_page(main), page_kind=kind))
            for title, summary in ENTRIES:
                assert title in doc.text and summary in doc.text, (kind, main, title)
            for chrome in ("Sign in", "Sport", "Most read", "Lottery winner", "Next page", "Contact the newsroom"):
                assert chrome not in doc.text, (kind, main, chrome)
            assert ("Lottery winner found after six months", "html_boilerplate") in {
                (s.text, s.reason) for s in doc.removed}  # what the landmarks held is recorded as left out


def test_a_page_whose_text_sits_in_a_landmark_keeps_it():
    """A theme that puts the whole story inside a <nav>: the main region holds nothing, and the fallback (the
    page's visible text cleaned as a dump) keeps the story."""
    paragraphs = "".join(f"<p>{p}</p>" for p in STORY.split("\n"))
    page = f"<html><body><nav><h1>Water board approves pipe plan</h1>{paragraphs}</nav></body></html>"
    for kind in ("forum", "listing", "documentation", "service"):
        doc = clean_html(Document(text="", html=page, page_kind=kind))
        assert doc.text == STORY, kind


def test_text_inputs_said_to_be_extracted_leave_html_pages_cleaned_as_before():
    """`--extracted` ([text] find_body = false) speaks of the text inputs: a page's main region and a failed
    extraction's visible text are still cleaned as a dump."""
    extracted = replace(CleanConfig(), text=replace(CleanConfig().text, find_body=False))
    page = listing_page()
    assert clean_html(Document(text="", html=page, page_kind="service"), extracted) == clean_html(
        Document(text="", html=page, page_kind="service"))
    paragraphs = "".join(f"<p>{p}</p>" for p in STORY.split("\n"))
    menu = "".join(f'<a href="/{w}">{w}</a> ' for w in ("Home", "World", "Business", "Sport", "Weather"))
    hidden = f"<html><body><div>{menu}</div><nav><h1>Water board approves pipe plan</h1>{paragraphs}</nav></body></html>"
    doc = clean_html(Document(text="", html=hidden, page_kind="listing"), extracted)
    assert doc.text == STORY  # the fallback: the visible text cleaned as a dump, its menu gone


def test_documentation_takes_its_main_region_as_it_is():
    page = listing_page().replace("<main>", "<main><pre>pip install riverside</pre>")
    doc = clean_html(Document(text="", html=page, page_kind="documentation"))
    assert doc.text.startswith("pip install riverside") and all(t in doc.text for t, _ in ENTRIES)
    assert "Most read" not in doc.text and "Sign in" not in doc.text


def test_without_page_kinds_the_configured_options_apply():
    config = replace(CleanConfig(), html=HtmlConfig(page_kinds=False))
    doc = clean_html(Document(text="", html=forum_page()), config)
    assert doc.page_kind is None


def test_page_kind_is_stored_and_old_files_gain_the_column(tmp_path):
    db = tmp_path / "c.duckdb"
    con = duckdb.connect(str(db))  # a documents table as stores made before page_kind existed
    con.execute("CREATE TABLE documents (doc_id VARCHAR PRIMARY KEY, input_id VARCHAR, path VARCHAR, url VARCHAR, "
                "record INTEGER, format VARCHAR, title VARCHAR, published DATE, source VARCHAR, author VARCHAR, "
                "language VARCHAR, text VARCHAR, word_count INTEGER, raw_chars INTEGER, content_hash VARCHAR, "
                "duplicate_of VARCHAR, similarity DOUBLE, created_at TIMESTAMP, run_id VARCHAR)")
    con.execute("INSERT INTO documents (doc_id, text) VALUES ('old', 'stored before')")
    con.close()
    raw = RawInput(location="/x/f.html", sha256="cd" * 32, size=10, format="html")
    docs = [Document(text="a thread", doc_id="d1", input_id=raw.input_id, format="html", page_kind="forum"),
            Document(text="a dump", doc_id="d2", input_id=raw.input_id, record=1)]
    with Store(db) as store:
        store.write_batch("r1", [raw], docs, [], {"d1": "h1", "d2": "h2"}, {}, {}, (1, 3, 1))
    con = duckdb.connect(str(db), read_only=True)
    rows = con.execute("SELECT doc_id, page_kind, text FROM documents ORDER BY doc_id").fetchall()
    con.close()
    assert rows == [("d1", "forum", "a thread"), ("d2", None, "a dump"), ("old", None, "stored before")]


def test_fast_mode_text_and_metadata():
    config = replace(CleanConfig(), html=HtmlConfig(fast=True))
    html = html_page("Water board approves pipe plan", STORY + "\n" + OTHER_STORY, site="River Post", date="2025-03-04")
    doc = clean_html(Document(text="", html=html), config)
    assert "eighteen months" in doc.text and "bunched together" in doc.text
    assert "Copyright 2025 River Post" not in doc.text
    assert doc.title == "Water board approves pipe plan" and doc.source == "River Post"
    assert doc.published == "2025-03-04" and doc.language == "en"
    # a short main text: the page's visible text was read to weigh the fallback, so what was left out is listed
    assert ("Copyright 2025 River Post", "html_boilerplate") in {(s.text, s.reason) for s in doc.removed}


def test_fast_mode_long_page_lists_nothing_left_out():
    config = replace(CleanConfig(), html=HtmlConfig(fast=True))
    body = "\n".join(f"{p} (part {i})" for i in range(4) for p in (STORY + "\n" + OTHER_STORY).split("\n"))
    doc = clean_html(Document(text="", html=html_page("Water board approves pipe plan", body)), config)
    assert len(doc.text.split()) >= HtmlConfig().fallback_below_words and "(part 3)" in doc.text
    assert not any(s.reason == "html_boilerplate" for s in doc.removed)  # throughput first: not read, not listed


def test_fast_mode_falls_back_to_dump_cleaning_when_main_content_misses_the_story():
    config = replace(CleanConfig(), html=HtmlConfig(fast=True))
    # resiliparse's main-content rules drop what a class calls a sidebar; a theme put the story in one here
    paras = "".join(f"<p>{p}</p>" for p in STORY.split("\n"))
    html = ('<html lang="en"><head><title>Water board approves pipe plan</title></head><body>'
            '<nav><a href="/">Home</a></nav><h1>Water board approves pipe plan</h1>'
            f'<div class="sidebar">{paras}</div><p>Short note.</p></body></html>')
    page = extract_page(Document(text="", html=html), HtmlConfig(fast=True))
    doc = clean_html(Document(text="", html=html), config)
    assert "eighteen months" not in page.doc.text and "eighteen months" in page.visible
    assert "eighteen months" in doc.text and "pay for itself" in doc.text


def test_visible_text_one_block_a_line_without_scripts():
    tree = trafilatura.load_html("<html><head><title>t</title></head><body><nav><a>Home</a> <a>News</a></nav>"
                                 "<script>var x = 1;</script><p>First <b>para</b>.</p><!-- note --><p>Second para.</p>"
                                 "<ul><li>one</li><li>two</li></ul></body></html>")
    assert visible_text(tree).split("\n") == ["Home News", "First para.", "Second para.", "one", "two"]


def test_main_text_is_the_main_region_without_its_landmarks():
    page = ("<html><body><nav>Menu</nav><div>Outside the main region</div><main><header>Section header</header>"
            "<p>First para.</p><div role='navigation'>Pages 1 2 3</div><aside>Sidebar</aside><ul><li>one</li>"
            "<li>two</li></ul><div role='search'>Search</div></main><footer>Footer</footer></body></html>")
    # a header inside the main region is its own, not the site's
    assert main_text(trafilatura.load_html(page)).split("\n") == ["Section header", "First para.", "one", "two"]
    role = page.replace("<main>", "<div role='main'>").replace("</main>", "</div>")
    assert main_text(trafilatura.load_html(role)).split("\n") == ["Section header", "First para.", "one", "two"]
    # no main region: the body without its landmarks, the site's header among them
    body = page.replace("<main>", "<div>").replace("</main>", "</div>")
    assert main_text(trafilatura.load_html(body)).split("\n") == ["Outside the main region", "First para.", "one", "two"]


def test_main_text_of_a_region_of_many_siblings_leaves_the_tree_as_it_was():
    """Landmarks are hidden by renaming them for the stylesheet's walk, then named back: a stylesheet testing
    conditions (role attributes) on every element counted each one's siblings, ten minutes for 50,000 of them.
    A landmark's tail is the region's text; a header inside the main region is its own."""
    items = "".join(f"<b><i>item {i}</b></i> " for i in range(20_000))  # misnested: 20,000 siblings
    page = (f"<html><body><main><nav>Menu</nav>tail of the menu <div role='banner'>Banner</div>{items}"
            "<header>Section header</header></main></body></html>")
    tree = trafilatura.load_html(page)
    before = lxml.html.tostring(tree)
    expected = ["tail of the menu " + " ".join(f"item {i}" for i in range(20_000)), "Section header"]
    assert main_text(tree).split("\n") == expected and lxml.html.tostring(tree) == before


def test_cap_markup_empties_huge_blobs_only():
    big = "x" * (MAX_BLOB_CHARS + 10)
    page = (f"<html><body><p>kept</p><script>{big}</script><script>small()</script><!--{big}--><!-- small -->"
            f'<img src="data:{big}"><STYLE type="text/css">{big}</Style ><p>also kept</p></body></html>')
    capped = cap_markup(page)
    assert capped == ('<html><body><p>kept</p><script></script><script>small()</script><!-- small -->'
                      '<img src=""><STYLE type="text/css"></Style ><p>also kept</p></body></html>')


def test_cap_markup_finds_the_closing_tag_after_text_that_lower_cases_longer():
    big = "x" * (MAX_BLOB_CHARS + 10)
    page = f"<html><body><p>İstanbul</p><script>{big}</script><p>after</p></body></html>"  # "İ".lower(): two characters
    assert cap_markup(page) == "<html><body><p>İstanbul</p><script></script><p>after</p></body></html>"


def test_cap_markup_never_takes_markup_for_an_attribute_value():
    # "='" in a script, then a long page without an apostrophe until "it's": no attribute value, nothing capped
    paragraphs = "".join(f"<p>Paragraph {i} of the story, with enough words to make a long page.</p>" for i in range(2000))
    page = (f"<html><head><script>var u = 'https://x.example/j.php?a=' + id;</script></head><body>{paragraphs}"
            "<p>And it's the end.</p></body></html>")
    assert len(page) > 2 * MAX_BLOB_CHARS and cap_markup(page) == page


def test_a_tag_of_thousands_of_attributes_keeps_its_name_only_in_both_modes():
    """libxml2 and lexbor compare each attribute of a tag with the others: one tag of 100,000 attributes took 12 and
    18 s to parse. Such a tag keeps its name; a tag long only by a huge value keeps its attributes (the full path
    empties the value, as any huge value; lexbor, the fast mode's parser, takes it)."""
    crowded = " ".join(f'a{i}="{i}"' for i in range(12_000))
    state = "y" * (MAX_BLOB_CHARS + 1)
    page = html_page("Crowded tags", STORY).replace("<p>", f'<p class="lead" {crowded}>', 1).replace(
        "</body>", f'<div class="app" data-state="{state}">Footer note.</div></body>')
    assert len(crowded) > MAX_BLOB_CHARS
    assert cap_tags(page) == html_page("Crowded tags", STORY).replace(
        "</body>", f'<div class="app" data-state="{state}">Footer note.</div></body>')
    assert cap_markup(page) == html_page("Crowded tags", STORY).replace(
        "</body>", '<div class="app" data-state="">Footer note.</div></body>')
    five_hundred = page.replace(crowded, " ".join(f'a{i}="{i:0200}"' for i in range(500)))  # as long, fewer
    assert cap_tags(five_hundred) == five_hundred
    for fast in (False, True):
        config = replace(CleanConfig(), html=replace(HtmlConfig(), fast=fast))
        capped = (cap_tags if fast else cap_markup)(page)
        assert clean_html(Document(text="", html=page), config).text == clean_html(
            Document(text="", html=capped), config).text != ""


def test_mojibake_repaired_after_extraction_not_in_the_markup():
    html = html_page("Café opens", STORY.replace("regional", "cafÃ© and regional"))
    raw = html.encode("utf-8")
    assert "cafÃ©" in decode_html(raw)  # the markup is left as decoded
    doc = clean_html(Document(text="", html=decode_html(raw)))
    assert "café and regional" in doc.text and "Ã" not in doc.text


def test_declared_charset_read_without_parsing():
    page = ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1251"></head>'
            '<body><p>Привет</p></body></html>').encode("cp1251")
    assert "Привет" in decode_html(page)


def test_extraction_keeps_the_visible_text_for_removed_lines():
    page = extract_page(Document(text="", html=html_page("Water board approves pipe plan", STORY, site="River Post")))
    assert "Copyright 2025 River Post" in page.visible.split("\n") and page.doc.html is None


def test_cli_fast_flag_and_page_kind_in_output(tmp_path):
    import subprocess
    import sys

    page = tmp_path / "story.html"
    page.write_text(html_page("Water board approves pipe plan", STORY, site="River Post"), encoding="utf-8")
    for flags in ([], ["--fast"]):
        out = subprocess.run([sys.executable, "-m", "newsclean.cli", "clean", str(page), *flags], capture_output=True,
                             text=True, check=True).stdout
        record = json.loads(out)
        assert "eighteen months" in record["text"] and record["title"] == "Water board approves pipe plan"
        assert (record["page_kind"] is None) if flags else record["page_kind"] in KINDS


def test_a_page_saved_with_mojibake_throughout_is_repaired_before_extraction(monkeypatch):
    """Mojibake in the page's visible text sends the markup to ftfy before trafilatura reads it."""
    import newsclean.extract.html as extract_html

    story = "\n".join(f"{line} The café’s owner said it’s a new start – and meant it." for line in STORY.split("\n"))
    html = html_page("Café – a new start", story).encode("utf-8").decode("cp1252")
    assert "cafÃ©" in html
    repaired = []
    monkeypatch.setattr(extract_html, "repair", lambda text: repaired.append(len(text)) or ftfy_repair(text))
    doc = clean_html(Document(text="", html=html))
    assert repaired and repaired[0] == len(html)  # the whole markup, once
    assert "café’s owner said it’s a new start – and meant it" in doc.text and "Ã" not in doc.text
