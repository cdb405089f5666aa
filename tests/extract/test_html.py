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


def test_parse_html_builds_the_tree_trafilatura_would_with_one_element_class():
    """Our parser gives every element lxml.html's HtmlElement without asking Python, and otherwise the tree
    trafilatura's own loader builds, odd pages included."""
    import lxml.html
    import trafilatura
    from lxml import etree

    from newsclean.extract.html import parse_html

    pages = [
        "<html><head><title>t</title></head><body><form><input name=q><select><option>a</select>"
        "<textarea>b</textarea><label>c</label></form><p>Text <b>bold</b></p><!-- note --></body></html>",
        '<?xml version="1.0" encoding="iso-8859-1"?><html><body><p>declared as XML</p></body></html>',
        '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">'
        "<html><body><p>after a DTD</p></body></html>",
        '<html lang="en"/>\n<body><p>a self-closed html tag</p></body>',
        "\x00\x0b<html><body><p>control characters</p></body></html>",
        "<html><body><p>non-characters \ufffe and \uffff beside an \u00e9</p></body></html>",
        "<div><p>a</p><p>b</p></div>",
    ]
    for page in pages:
        ours, theirs = parse_html(page), trafilatura.load_html(page)
        assert etree.tostring(ours) == etree.tostring(theirs), page
        assert {type(el) for el in ours.iter()} == {lxml.html.HtmlElement}
    tree = parse_html(pages[0])
    assert tree.find(".//p").text_content() == "Text bold" and tree.find(".//input").get("name") == "q"
    assert parse_html("plain words, no page") is None and parse_html("<p>one element</p>") is None


def test_later_copies_of_a_paragraph_go_from_extracted_text():
    """A post quoted whole in a reply, or a page holding its text twice: the later copies of a paragraph (20 words
    or more) go as repeated lines; short lines repeated (a meal plan's "Breakfast") stay."""
    from newsclean.pipeline import without_later_copies

    post = ("I replaced the pump last spring and the pressure has been fine ever since, but the noise at night "
            "is still there and I cannot find where it comes from.")
    doc = Document(text="\n".join(["Breakfast", post, "Did you check the valve?", "Breakfast", post, "Yes, twice."]))
    out = without_later_copies(doc, 20)
    assert out.text.split("\n") == ["Breakfast", post, "Did you check the valve?", "Breakfast", "Yes, twice."]
    assert [(s.reason, s.line) for s in out.removed] == [("repeated_line", 5)]
    page = html_page("Pump noise at night", "\n".join([post, "Did you check the valve?", post, "Yes, twice."]))
    cleaned = clean_html(replace(Document(text="", html=page), page_kind="forum"))
    assert cleaned.text.count(post) == 1 and any(s.reason == "repeated_line" for s in cleaned.removed)


def test_kinds_whose_retry_gained_nothing_keep_a_short_quick_pass(monkeypatch):
    import newsclean.extract.html as html

    calls = []

    def trafilatura_pass(tree, url, precision, recall, comments, tables, fast):
        calls.append("quick" if fast else "full")
        return "Little." if fast else "The full pass keeps this longer text of the page."

    monkeypatch.setattr(html, "_trafilatura", trafilatura_pass)
    # resiliparse's main content: more than the quick pass, no more than the full pass (which is then kept)
    monkeypatch.setattr(html, "_resiliparse_text", lambda markup: "Resiliparse finds ten words here, the full pass more.")
    page = "<html><body>" + "".join(f"<p>Paragraph {i} of a page with enough words in it.</p>" for i in range(40))
    region = "\n".join(f"Paragraph {i} of a page with enough words in it." for i in range(40))
    for kind, passes, text in [("article", ["quick", "full"], "The full pass keeps this longer text of the page."),
                               ("product", ["quick"], "Little."),
                               ("listing", [], region), ("documentation", [], region)]:  # the main region's text
        calls.clear()
        doc = html.extract_page(Document(text="", html=page + "</body></html>", page_kind=kind)).doc
        assert (calls, doc.text) == (passes, text), kind


def test_an_article_takes_resiliparses_text_where_both_of_trafilaturas_passes_miss_most_of_it(monkeypatch):
    """Two Scrapinghub stories lost two thirds of their text to both of trafilatura's passes, which resiliparse's
    main content held whole; where the full pass finds the story, or resiliparse finds no more, the text is
    trafilatura's."""
    import newsclean.extract.html as html

    story = " ".join(f"Sentence {i} of the story, which goes on for a while." for i in range(60))
    page = "<html><body>" + "".join(f"<p>Menu link {i}</p>" for i in range(200)) + f"<p>{story}</p></body></html>"
    for full_pass, other, expected in [("Only the lead.", story, story),
                                       (story, story, story),
                                       ("Only the lead.", "A short teaser.", "Only the lead.")]:
        monkeypatch.setattr(html, "_trafilatura", lambda *args, fast, text=full_pass: "Lead." if fast else text)
        monkeypatch.setattr(html, "_resiliparse_text", lambda markup, text=other: text)
        doc = html.extract_page(Document(text="", html=page, page_kind="article")).doc
        assert doc.text == expected, (full_pass, other)


def test_each_thread_parses_with_its_own_parser_and_threads_clean_pages_side_by_side():
    """lxml parses without the GIL: one parser shared by the run's threads (`--workers 0`) corrupted memory."""
    import threading
    from concurrent.futures import ThreadPoolExecutor
    from copy import deepcopy

    from newsclean.extract.html import _parser, parse_html

    seen = []
    barrier = threading.Barrier(4)

    def parser_of_this_thread(_):
        barrier.wait()  # four threads alive at once, each asking for its parser
        seen.append(_parser())
        return _parser() is seen[-1]

    with ThreadPoolExecutor(4) as pool:
        assert all(pool.map(parser_of_this_thread, range(4)))
    assert len({id(p) for p in seen}) == 4

    page = html_page("Threads", STORY * 20)

    def clean_many(_):
        for _ in range(30):
            tree = parse_html(page)
            deepcopy(tree)
            clean_html(Document(text="", html=page))
        return tree.findtext(".//title")

    with ThreadPoolExecutor(4) as pool:
        assert list(pool.map(clean_many, range(8))) == ["Threads"] * 8


def test_an_article_is_redone_in_full_only_where_a_second_extractor_finds_far_more(monkeypatch):
    import newsclean.extract.html as html

    calls = []
    story = "A short story of twenty words stands on this page, under a menu that holds far more words than it does."

    def trafilatura_pass(tree, url, precision, recall, comments, tables, fast):
        calls.append("quick" if fast else "full")
        return story if fast else story + " The full pass's text."

    monkeypatch.setattr(html, "_trafilatura", trafilatura_pass)
    menu = "<nav><ul>" + "".join(f"<li><a href='/s{i}'>Section number {i} of the site</a></li>" for i in range(40))
    short = f"<html><body>{menu}</ul></nav><article><p>{story}</p></article></body></html>"
    long = short.replace("</article>", "".join(f"<p>{story}</p>" for _ in range(8)) + "</article>")
    # both keep less than retry_share of the visible words; resiliparse finds about the story alone on the first
    # page (no full pass), and nine times as much on the second
    for page, passes in [(short, ["quick"]), (long, ["quick", "full"])]:
        calls.clear()
        html.extract_page(Document(text="", html=page, page_kind="article"))
        assert calls == passes
