"""Link markup of text browsers and Markdown converters: taken out and recorded before the cleaner reads a dump,
other dumps left as they are."""
from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsclean.clean.markup import (HTML_MARKUP, LAYOUT_MARKUP, LINK_MARKUP, LINK_REFERENCES, MARKDOWN_EMPHASIS,
                                    MARKDOWN_ESCAPE, SCRIPT_TEXT,
                                    UNDERLINE, cut_references, is_code, unscript, front_matter, prepare_dump, reader_header, unfence, unlink, unlink_blocks,
                                    unadoc, unorg, unrst, unsetext, unstar, untag, unwiki, unwiki_headings)
from newsclean.clean.reflow import reflow
from newsclean.document import Document, RemovedSpan
from newsclean.pipeline import clean_documents
from newsclean.text import without_site_name
from tests.clean.test_textdump import BODY

SHARED = Path(__file__).resolve().parents[3] / "shared"
MENU = ["Home", "World", "Business", "Technology", "Sign in"]


def plain_page() -> str:
    """A page as a text browser dumps it without link numbers."""
    return "\n".join(["   " + m for m in MENU] + ["", "Storm closes the harbour", ""] + BODY
                     + ["", "   Related stories", "   Another headline about something else", "", "Copyright © 2024 Example News"])


def numbered_page(titled: bool = False) -> str:
    """The same page as `lynx -dump` or `elinks -dump` write it by default: every link numbered, and the list of
    their addresses at the end (elinks puts a link's title on the entry line and its address under it)."""
    menu = [f"   [{i}]{m}" for i, m in enumerate(MENU, start=1)]
    body = BODY[:1] + ["[6]" + BODY[1]] + BODY[2:]
    if titled:
        entries = ["   Visible links"] + [f"   {i}. {m}\n\thttps://news.example/{m.lower()}" for i, m in enumerate(MENU, 1)]
    else:
        entries = ["   Visible links:"] + [f"   {i}. https://news.example/{m.lower()}" for i, m in enumerate(MENU, 1)]
    entries += ["   6. https://news.example/harbour", "", "   Hidden links:", "   7. https://news.example/tag?q=a b",
                "      https://news.example/rest-after-a-space", "   8. file:///dev/stdin#"]
    return "\n".join(menu + ["", "Storm closes the harbour", ""] + body
                     + ["", "   Related stories", "   [9]Another headline about something else", "",
                        "Copyright © 2024 Example News", "", "References", ""] + entries)


def test_numbered_links_and_their_list_go_and_are_recorded():
    for titled in (False, True):
        text, spans = prepare_dump(numbered_page(titled))
        assert text.rstrip("\n") == plain_page()
        assert "[6]" not in text and "References" not in text
        refs = [s for s in spans if s.reason == LINK_REFERENCES]
        assert len(refs) == 1 and refs[0].text.startswith("References") and "file:///dev/stdin#" in refs[0].text
        assert refs[0].line == len(text.rstrip("\n").split("\n")) + 1  # the line after the text's last
        marks = {s.line: s.text for s in spans if s.reason == LINK_MARKUP}
        assert marks[1] == "[1]" and "[6]" in marks.values()


def test_w3m_link_numbers_and_list_go():
    menu = [f"[{i}]{m}" for i, m in enumerate(MENU, start=1)]
    dump = "\n".join(menu + [""] + BODY + ["", "References:", ""] + [f"[{i}] https://news.example/{i}" for i in range(1, 6)])
    text, spans = prepare_dump(dump)
    assert text.rstrip("\n") == "\n".join(MENU + [""] + BODY)
    assert [s.reason for s in spans][-1] == LINK_REFERENCES


def test_the_cleaner_keeps_the_same_article_from_either_dump():
    """Cleaning a dump with link numbers gives what cleaning the dump without them gives."""
    plain, numbered = (clean_documents([Document(path=f"{n}.txt", text=t)])[0]
                       for n, t in (("plain", plain_page()), ("numbered", numbered_page())))
    assert numbered.text == plain.text and BODY[0] in plain.text
    assert numbered.title == plain.title
    assert {s.reason for s in numbered.removed} >= {LINK_MARKUP, LINK_REFERENCES}
    assert not {s.reason for s in plain.removed} & {LINK_MARKUP, LINK_REFERENCES}


def test_a_bibliography_or_a_references_heading_stays():
    bibliography = "\n".join(BODY + ["", "References", "", "1. Smith, J. (2020). Harbours. https://doi.org/10.1/x",
                                     "2. Doe, A. (2019). Storms at sea. Journal of Weather."])
    assert cut_references(bibliography) == (bibliography, None)
    heading = "\n".join(BODY[:2] + ["References"] + BODY[2:])
    assert cut_references(heading) == (heading, None)
    assert prepare_dump(bibliography)[1] == []


def test_numbers_without_a_list_go_only_when_they_count_links_in_order():
    cited = "Storms closed the port [3] and the bridge [7] on Monday, officials said [1]."
    assert prepare_dump(cited) == (cited, [])
    sources = "\n".join(BODY + [f"[{i}] https://news.example/source-{i}" for i in range(1, 7)])
    assert prepare_dump(sources) == (sources, [])
    menu = "[1]Home [2]World [3]Business [4]Technology [5]Sign in\n" + BODY[0]
    text, spans = prepare_dump(menu)
    assert text == "Home World Business Technology Sign in\n" + BODY[0]
    assert spans[0].text == "[1] [2] [3] [4] [5]" and spans[0].line == 1


MARKDOWN = textwrap.dedent("""\
    [![Example News](https://news.example/logo-
    small.png)Example News](https://news.example/)

      * [World](/world/ "World news")
      * [Business](https://news.example/business/)

    # Storm closes the harbour

    ![A boat in the
    storm](https://news.example/img/boat.jpg)

    The harbour [closed on
    Monday](https://news.example/2024/storm-(update)) after the storm. Call (888) 555-0100 or see [the
    notice][1].

    [1]: https://news.example/notice "Notice"
    [Update]: the port reopens on Friday.
    """)


def test_markdown_links_keep_their_text_and_images_go():
    text, spans, _ = unlink(MARKDOWN, numbered=False)
    assert text.split("\n")[:5] == ["Example News", "", "  * World", "  * Business", ""]
    assert "The harbour closed on\nMonday after the storm. Call (888) 555-0100 or see the\nnotice." in text  # [1] defined
    assert "![" not in text and "](" not in text and "https://" not in text
    assert "[Update]: the port reopens on Friday." in text  # a bracket and a colon, but no address
    gone = dict(spans)
    assert gone[1] == "![Example News](https://news.example/logo-\nsmall.png) (https://news.example/)"
    assert gone[3] == '(/world/ "World news")'
    lines = text.split("\n")
    assert lines[7] == ""  # the image's line is left blank
    for no, piece in spans:  # each span names the line of the text returned where its markup stood
        assert 1 <= no <= len(lines)
    assert (len(lines) - 2, '[1]: https://news.example/notice "Notice"') in spans
    assert unlink(text, numbered=False) == (text, [], [])


def test_markdown_wrapped_around_links_is_reflowed():
    words = ("The harbour closed on Monday after the storm, and boats waited outside for two days while the "
             "water fell. ") * 3
    linked = words.replace("storm", "[storm](https://news.example/weather/2024/the-great-storm-of-the-year)")
    wrapped = "\n\n".join(textwrap.fill(p, 78) for p in [linked] * 4 + [words] * 4)
    text, _ = prepare_dump(wrapped)
    assert text.split("\n\n")[:2] == [words.strip()] * 2


@pytest.mark.skipif(not (SHARED / "seeds").is_dir(), reason="needs ../shared (the workplace's labelled data)")
def test_dumps_without_link_markup_are_left_as_they_are():
    pages = sorted((SHARED / "seeds").glob("*.txt")) + sorted((SHARED / "bench" / "scrapinghub" / "flat").glob("*.txt"))
    scripted = []
    for page in pages:
        text = page.read_text(encoding="utf-8")
        blanked, code = unscript(text)  # but for lines of script text
        assert prepare_dump(text) == (reflow(blanked), [RemovedSpan(gone, SCRIPT_TEXT, no) for no, gone in code]), page.name
        scripted += [gone[:40] for _, gone in code]
    # a menu of 40 languages written "Afrique francophone (français) América Latina (español) …" on one line of 1,224
    # characters, a tenth of them punctuation: chrome, taken as script text
    assert scripted == ["o Change language & content: Afrique fra"] * 2


@settings(max_examples=500, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(BODY + ["[1]Home", "[2]", "References", "   3. https://a.example/",
                                                  "[x](/y)", "![i](https://i.example/a.png)", "[1]: /z", "", "::: {.x}",
                                                  ":::", "[a]{.b}", '<div class="x">', "</div>", "<a href='/y'>",
                                                  "</a><a\nhref='/z'>", "<!-- c -->", "-   <span>", "Home [https://a.example/]",
                                                  "[/b/c]", "[INS::INS]", "[www.w.example]", "[x][1]", "[y][Z]",
                                                  "[z]: https://z.example/"]),
                          st.text(alphabet="[]()!:/ \n\tab1.h{}#<>=\"", max_size=40)), max_size=20))
def test_only_markup_goes_and_the_lines_are_accounted_for(lines):
    text = "\n".join(lines)
    out, spans = prepare_dump(text, join_wrapped=False)
    if not spans:
        assert out == text
    for span in spans:
        assert span.reason in (HTML_MARKUP, LAYOUT_MARKUP, LINK_MARKUP, LINK_REFERENCES, MARKDOWN_ESCAPE) and span.text
        assert 1 <= span.line <= out.count("\n") + 2
    assert len(out) <= len(text)


READER = ("Title: Storm closes the harbour\n\nURL Source: https://news.example/2024/storm\n\n"
          "Published Time: 2024-05-02T10:00:00Z\n\nMarkdown Content:\n"
          "[Home](https://news.example/) [World](/world/)\n\n# Storm closes the harbour\n\n" + "\n\n".join(BODY) + "\n")


def test_a_reader_services_header_becomes_metadata():
    doc = clean_documents([Document(path="storm.txt", text=READER)])[0]
    assert (doc.title, doc.url, doc.published) == ("Storm closes the harbour", "https://news.example/2024/storm", "2024-05-02")
    assert BODY[0] in doc.text and "URL Source" not in doc.text and "](" not in doc.text
    meta = [s for s in doc.removed if s.reason == "meta"]
    assert [s.line for s in meta[:4]] == [1, 3, 5, 7] and meta[0].text.startswith("Title: ")
    given = clean_documents([Document(path="s.txt", text=READER, title="Given", url="https://e.org/x")])[0]
    assert (given.title, given.url) == ("Given", "https://e.org/x")  # what the input gave wins


def test_a_title_line_in_an_article_is_not_a_reader_header():
    text = "Title: a novel in three parts\n\nThe book opens in winter.\nMarkdown Content:\nnothing"
    assert reader_header(text) == (text, {}, [])
    assert reader_header("\n".join(BODY)) == ("\n".join(BODY), {}, [])


PANDOC = textwrap.dedent("""\
    ::: wrapper
    ::: {#header .site-header
    role="banner"}
    [Example News](https://news.example/){.brand}
    :::

    -   ::: {#menu-item-1}
        [World](/world/)
        :::

    # Storm closes the harbour {#storm .entry-title}

    [by Ann
    Lee]{.author} The harbour closed on Monday.
    :::
    """)


def test_pandoc_markdown_loses_its_fences_and_attributes():
    text, spans, _ = unfence(PANDOC)
    lines = text.split("\n")
    assert ":::" not in text and "{" not in text
    assert "# Storm closes the harbour" in lines and "by Ann\nLee The harbour closed on Monday." in text
    assert "[Example News](https://news.example/)" in lines  # links are unlink's
    assert all(1 <= no <= len(lines) for no, _ in spans) and (1, "::: wrapper") in spans
    assert unfence(text) == (text, [], [])
    out, removed = prepare_dump(PANDOC)
    assert "Example News" in out and "](" not in out and {s.reason for s in removed} == {LAYOUT_MARKUP, LINK_MARKUP}


def test_braces_in_other_dumps_stay():
    code = "\n".join(BODY[:2] + ["function init(){ return {.5: 1}; }", "::: not a fence here", "Done. {#tag}"])
    assert unfence(code) == (code, [], [])


def test_layout_spans_count_the_lines_after_links_wrapped_over_lines_are_taken_out():
    text = "::: a\n:::\n::: b\n[a wrapped\nlink](https://e.org/x-\ny) then\n::: c\nBody"
    out, spans = prepare_dump(text, join_wrapped=False)
    lines = out.split("\n")
    assert lines[3:] == ["a wrapped", "link then", "", "Body"]
    fence = next(s for s in spans if s.text == "::: c")
    assert fence.reason == LAYOUT_MARKUP and fence.line == 6 and lines[fence.line - 1] == ""


def gfm_page() -> str:
    """A page as `pandoc -t gfm` writes it: raw HTML for every element Markdown has no syntax for, tags wrapped over
    lines like the text, paragraphs wrapped at 72 columns."""
    header = textwrap.dedent("""\
        <div class="wrapper">

        <div id="header" class="site-header"
        role="banner">

        <a href="https://news.example/" class="brand">Example News</a>

        -   <div id="menu-item-1">

            [World](/world/)

            </div>

        </div>

        {menu}

        # Storm closes the harbour

        <span class="byline">by Ann Lee</span>
        """)
    menu = "\n\n".join(f'-   <div id="menu-item-{i}" class="menu-item menu-item-type-taxonomy">\n\n    [{m}](/{m}/)'
                       "\n\n    </div>" for i, m in enumerate(MENU, start=2))
    header = header.replace("{menu}", menu)
    body = "\n\n".join(textwrap.fill(p + " " + p, 72) for p in BODY)
    footer = textwrap.dedent("""\
        Tags:<a href="/tag/a/" rel="tag">Harbours</a><a href="/tag/b/"
        rel="tag">Weather</a> and <em>more</em>.

        <!-- footer --><script>var x = "<b>";</script>

        </div>
        """)
    return header + "\n" + body + "\n\n" + footer


def test_raw_html_in_a_dump_loses_its_tags_and_keeps_its_text():
    page = gfm_page()
    out, spans = prepare_dump(page)
    lines = out.split("\n")
    assert "<" not in out and ">" not in out and "var x" not in out
    assert all(p + " " + p in lines for p in BODY)  # the wrapped paragraphs joined, once the tags were out
    assert {"Example News", "# Storm closes the harbour", "by Ann Lee", "Tags:Harbours",
            "Weather and more."} <= set(lines)
    assert "World" in out and "-" not in lines  # a list item that held only a tag is blank
    html = [s for s in spans if s.reason == HTML_MARKUP]
    assert html and all(1 <= s.line <= len(lines) for s in html)
    byline = next(s for s in html if s.text.startswith('<span class="byline">'))
    assert lines[byline.line - 1] == "by Ann Lee"
    assert prepare_dump(out) == (out, [])  # nothing left to take out


def test_a_dump_that_shows_some_html_code_keeps_it():
    page = "\n".join(BODY + ["Try it", "<table>", '  <tr><th scope="col">Person</th></tr>', "</table>"] + BODY)
    assert untag(page) == (page, [], [])


def test_a_dump_in_raw_html_is_cleaned_as_the_same_page_without_it():
    doc = clean_documents([Document(path="storm.md", text=gfm_page())])[0]
    assert BODY[0] in doc.text and "<" not in doc.text and doc.title == "Storm closes the harbour"
    assert HTML_MARKUP in {s.reason for s in doc.removed}


def test_an_html_fragment_for_an_article_body_loses_its_tags():
    fragment = ("".join(f"<p>{p}</p>\n" for p in BODY) + "<h2>Why it matters</h2><ul><li>First point about the"
                " models.</li><li>Second point, about the costs.</li></ul>\n<!-- wp:paragraph -->\n<p>Share this"
                " article</p>")
    out, spans = prepare_dump(fragment)
    lines = out.split("\n")
    assert "<" not in out and set(BODY) <= set(lines)
    assert {"Why it matters", "First point about the models.", "Second point, about the costs."} <= set(lines)
    assert all(s.reason == HTML_MARKUP and 1 <= s.line <= len(lines) for s in spans)
    doc = clean_documents([Document(path="posts.jsonl", text=fragment, format="jsonl")])[0]
    assert BODY[0] in doc.text and "<p>" not in doc.text and "Share this article" not in doc.text


def test_text_that_opens_an_element_it_never_closes_is_not_read_as_markup():
    shown = "\n".join(["The <template> element holds markup that is not rendered."] + BODY * 4 + ["See </div>."])
    assert untag(shown) == (shown, [], [])


def test_pandoc_markdown_is_reflowed_past_attribute_blocks_wider_than_its_width():
    wide = 'sizes="(max-width: 200px) 100vw, 200px" orig-size="600,110" comments-opened="1" data-id="287553"}'
    assert len(wide) > 90  # pandoc breaks no attribute value: such a line passes the width it wrapped at
    text = "\n\n".join(["::: wrapper", "::: {#main .content}", "# Storm closes the harbour {#storm}",
                        "![](https://news.example/a.jpg){.wp-image-1 decoding=\"async\"\n" + wide]
                       + [textwrap.fill(p + " " + p, 72) for p in BODY] + [":::", ":::"])
    out, spans = prepare_dump(text)
    lines = out.split("\n")
    assert all(p + " " + p in lines for p in BODY) and "# Storm closes the harbour" in lines
    assert "{" not in out and ":::" not in out and "sizes=" not in out
    assert all(1 <= s.line <= len(lines) for s in spans)
    fence = next(s for s in spans if s.text == "::: {#main .content}")
    assert fence.reason == LAYOUT_MARKUP and lines[fence.line - 1] == ""


def test_markdown_loses_its_escapes_and_other_dumps_keep_their_backslashes():
    markdown = ("Read [the report](https://e.org/r) first.\n\n1\\. Not a list \\- really\n\n"
                "user\\_name and \\[brackets\\] in C:\\Users\\me\nA hard break\\\nthen more")
    out, spans = prepare_dump(markdown, join_wrapped=False)
    assert out.split("\n") == ["Read the report first.", "", "1. Not a list - really", "",
                                "user_name and [brackets] in C:\\Users\\me", "A hard break", "then more"]
    assert [(s.line, s.text) for s in spans if s.reason == MARKDOWN_ESCAPE] == [(3, "\\ \\"), (5, "\\ \\ \\"), (6, "\\")]
    numbered = "A pattern \\d+\\.\\d in a lynx dump\n" + " ".join(f"[{i}]Item" for i in range(1, 6))
    assert prepare_dump(numbered, join_wrapped=False)[0].startswith("A pattern \\d+\\.\\d in")
    plain = "A regex \\d+\\.\\d in [brackets] and \\_ stays\n" + "\n".join(BODY)
    assert prepare_dump(plain, join_wrapped=False) == (plain, [])


def test_markdown_loses_its_emphasis_and_keeps_its_code_and_words():
    markdown = ("Read [the report](https://e.org/r) first.\n\n**Storm** closes the _harbour_, said __Ann Lee__.\n\n"
                "* a list item with *one* word in it\n\nsnake_case, 2*3*4 and a * b * c stay, and \\*this\\* too\n\n"
                "Call `__init__` or `**kwargs`\n\n```python\ndef f(*args, **kwargs):\n    return _x_\n```\n\n*Done*")
    out, spans = prepare_dump(markdown, join_wrapped=False)
    assert out.split("\n\n") == ["Read the report first.", "Storm closes the harbour, said Ann Lee.",
                                  "* a list item with one word in it", "snake_case, 2*3*4 and a * b * c stay, and *this* too",
                                  "Call `__init__` or `**kwargs`",
                                  "```python\ndef f(*args, **kwargs):\n    return _x_\n```", "Done"]
    assert [(s.line, s.text) for s in spans if s.reason == MARKDOWN_EMPHASIS] == [(3, "** ** _ _ __ __"), (5, "* *"),
                                                                                (16, "* *")]
    plain = "**Storm** closes the harbour in a dump with no Markdown links\n" + "\n".join(BODY)
    assert prepare_dump(plain, join_wrapped=False) == (plain, [])  # not read as Markdown: its stars stay
    # Markdown by its headings (html2text with links left out): two "#" headings at least
    headed = "# Storm\n\n**Storm** closes the harbour\n\n## What next\n\n" + "\n".join(BODY)
    assert prepare_dump(headed, join_wrapped=False)[0].split("\n")[2] == "Storm closes the harbour"
    one = "# Storm\n\n**Storm** closes the harbour\n\n" + "\n".join(BODY)
    assert prepare_dump(one, join_wrapped=False) == (one, [])


def debian_html2text_page() -> str:
    """A page as Debian's html2text writes it: headings between runs of stars, links with underscores for their
    spaces, a rule of equals signs (its wrapping at 79 columns left out)."""
    menu = ["    * " + m.replace(" ", "_") for m in MENU]
    body = BODY
    return "\n".join(["Skip_to_content", "Example_News"] + menu + ["****** Storm closes the harbour ******",
                      "    * by Ann_Lee", "January_23,_2025"] + body[:4] + ["=" * 79, "***** Why it closed *****"]
                     + body[4:] + ["See https://news.example/a_b_c and ann_lee@example.org", "**** Related ****",
                                   "Another_headline_about_something_else"])


def test_debian_html2text_headings_become_markdown_and_its_links_get_their_spaces_back():
    page = debian_html2text_page()
    out, spans = prepare_dump(page, join_wrapped=False)
    lines = out.split("\n")
    assert lines[:3] == ["Skip to content", "Example News", "    * Home"] and "    * Sign in" in lines
    assert {"# Storm closes the harbour", "## Why it closed", "### Related", "January 23, 2025",
            "Another headline about something else"} <= set(lines)
    assert "See https://news.example/a_b_c and ann_lee@example.org" in lines  # addresses keep theirs
    assert len(lines) == len(page.split("\n"))  # line for line
    headings = [(no, line.split()[0] + " " + line.split()[0]) for no, line in enumerate(page.split("\n"), start=1)
                if line.startswith("**")]
    assert [(s.line, s.text) for s in spans if s.reason == LAYOUT_MARKUP] == headings and len(headings) == 3
    underlines = [s for s in spans if s.reason == UNDERLINE]
    assert all(page.split("\n")[s.line - 1].count("_") == s.text.count("_") for s in underlines)
    assert prepare_dump(out, join_wrapped=False) == (out, [])  # nothing left to take out


def test_long_lines_of_marks_without_their_other_half_are_read_once():
    """A line opening emphasis again and again and never closing it, and a Debian html2text dump's word of 60,000
    characters, come through as they are, each read once (read again from each opening or each character, as
    patterns free to start anywhere read them, they took minutes)."""
    openings = " _a_b" * 15_000
    markdown = "# Storm\n\n**Storm** closes the harbour\n\n## What next\n\n" + openings + "\n" + "\n".join(BODY)
    out = prepare_dump(markdown, join_wrapped=False)[0].split("\n")
    assert out[2] == "Storm closes the harbour" and out[6] == openings
    word = "x" * 60_000
    page = debian_html2text_page() + "\n" + word
    lines = prepare_dump(page, join_wrapped=False)[0].split("\n")
    assert lines[0] == "Skip to content" and lines[-1] == word


def test_underscores_and_stars_in_other_dumps_stay():
    one_heading = "\n".join(["****** Storm closes the harbour ******", "user_name and Test_Case", *BODY])
    assert unstar(one_heading) == (one_heading, [], [])
    lynx = "\n".join(["   * Home_Page", "** Rated 5 ** by readers", *BODY])
    assert prepare_dump(lynx, join_wrapped=False) == (lynx, [])


def test_a_debian_html2text_dump_gets_its_title_and_date():
    doc = clean_documents([Document(path="storm.txt", text=debian_html2text_page())])[0]
    assert doc.title == "Storm closes the harbour" and doc.published == "2025-01-23"
    assert BODY[0] in doc.text and "_" not in doc.text


def markdownify_page() -> str:
    """A page as markdownify writes it by default: headings underlined ("=" level 1, "-" level 2), the page's
    <title> first, the menu a list."""
    title, section = "**Storm closes the harbour**", "Why it closed"
    return "\n".join(["Storm closes the harbour | Example News", "", *[f"* {m}" for m in MENU], "",
                      title, "=" * (len(title) - 2), "", *[line + "\n" for line in BODY[:4]],
                      section, "-" * len(section), "", *[line + "\n" for line in BODY[4:]],
                      "Related", "-------", "", "* Another headline about something else"])


def test_underlined_markdown_headings_become_hash_headings():
    page = markdownify_page()
    out, spans = prepare_dump(page, join_wrapped=False)
    lines = out.split("\n")
    assert {"# Storm closes the harbour", "## Why it closed", "## Related"} <= set(lines)  # its emphasis gone too
    assert not any(line.strip("=-") == "" and line for line in lines)  # no underline left
    assert len(lines) == len(page.split("\n"))  # line for line: the underlines' lines are blank
    underlines = [(no, line) for no, line in enumerate(page.split("\n"), start=1) if line and not line.strip("=-")]
    assert [(s.line, s.text) for s in spans if s.reason == LAYOUT_MARKUP] == underlines and len(underlines) == 3
    assert prepare_dump(out, join_wrapped=False) == (out, [])


def test_rules_that_underline_no_heading_stay():
    debian_rule = "\n".join(["", BODY[0], BODY[1][:79], "=" * 79, "", BODY[2]])  # a paragraph's last line
    loose = "\n".join(["", "Storm closes the harbour", "", "=" * 24, "", BODY[0]])  # a rule set off by blank lines
    tight = "\n".join(["", "Storm closes the harbour", "-" * 24, BODY[0]])  # text right under the rule
    short = "\n".join(["", "Storm closes the harbour", "-" * 8, "", BODY[0]])  # far shorter than the line
    for text in (debian_rule, loose, tight, short):
        assert unsetext(text) == (text, [])


def test_a_markdownify_dump_gets_its_title_from_the_underlined_heading():
    doc = clean_documents([Document(path="storm.md", text=markdownify_page())])[0]
    assert doc.title == "Storm closes the harbour"
    assert BODY[0] in doc.text and "===" not in doc.text and "---" not in doc.text


def test_links_around_blocks_keep_their_text_line_for_line():
    # turndown and markdownify write a link that wraps a card (image, heading, summary) with blank lines inside
    card = ["[", "", "![Harbour at dusk](https://news.example/img/harbour.jpg)", "", "## Storm closes the harbour", "",
            "Boats stay in port until Friday.", "", "](https://news.example/storm) Read more"]
    page = "\n".join(["Latest", "", *card, "", "*   [", "", "](/)", "", BODY[0], "", "See [the map](/map) [sic]."])
    out, spans = prepare_dump(page, join_wrapped=False)
    lines = out.split("\n")
    assert len(lines) == len(page.split("\n"))
    assert {"## Storm closes the harbour", "Boats stay in port until Friday.", " Read more", BODY[0],
            "See the map [sic]."} <= set(lines)
    assert not any("](" in line or line.strip() == "[" for line in lines)
    links = [(s.line, s.text) for s in spans if s.reason == LINK_MARKUP]
    assert (3, "[ ](https://news.example/storm)") in links and (13, "[ ](/)") in links
    assert prepare_dump(out, join_wrapped=False) == (out, [])


def test_brackets_that_close_no_link_stay():
    text = "\n".join(["Prices [in euros", "", "and dollars] (see below)", "", "[1]", "", "](not a destination)"])
    assert unlink_blocks(text) == (text, [])


CLIPPED = """---
title: "Storm closes the harbour"
source: "https://news.example/2025/storm"
author:
  - "[[Ann Lee]]"
  - "[[people/bob|Bob Ray]]"
published: 2025-01-23
created: 2025-02-01
tags:
  - "clippings"
---
"""


def test_front_matter_is_read_into_metadata_line_for_line():
    # as Obsidian's web clipper writes a page: YAML between "---" lines, then the Markdown
    text = CLIPPED + "\n" + "\n\n".join(BODY)
    out, fields, spans = front_matter(text)
    assert fields == {"title": "Storm closes the harbour", "url": "https://news.example/2025/storm",
                      "published": "2025-01-23", "author": "Ann Lee, Bob Ray"}  # "created" is the clip's date
    assert out.split("\n")[CLIPPED.count("\n"):] == text.split("\n")[CLIPPED.count("\n"):]
    assert out.startswith("\n" * CLIPPED.count("\n")) and out.count("\n") == text.count("\n")
    assert [s.line for s in spans] == list(range(1, CLIPPED.count("\n") + 1)) and {s.reason for s in spans} == {"meta"}
    hugo = "---\ntitle: Storm\ndate: 2025-01-23T08:00:00+01:00\nauthors: [Ann Lee]\nurl: /storm/\n---\nText"
    assert front_matter(hugo)[1] == {"title": "Storm", "published": "2025-01-23T08:00:00+01:00", "author": "Ann Lee"}
    named = "---\nsource: Example News\nurl: https://news.example/storm\nsite_name: Example News\n---\nText"
    assert front_matter(named)[1] == {"url": "https://news.example/storm", "source": "Example News"}
    nested = "---\ntitle: Storm\na: &a [x, x, x]\nb: &b [*a, *a, *a]\nauthor: [*b, *b, Ann Lee]\n---\nText"
    assert front_matter(nested)[1] == {"title": "Storm", "author": "Ann Lee"}  # aliased lists are not walked


def test_text_that_only_looks_like_front_matter_stays():
    for text in ("---\n\nStorm closes the harbour\n\n---\n" + BODY[0],  # rule lines around a heading
                 "---\nlayout: post\n---\n" + BODY[0],  # no field newsclean reads
                 "---\ntitle: [unclosed\n---\n" + BODY[0],  # no YAML
                 "---\ntitle: Storm\ndate: 2025-13-45\n---\n" + BODY[0],  # a date no calendar has
                 "---\ntitle: Storm\nnested: " + "[" * 5000 + "\n---\n" + BODY[0],  # nesting past the stack
                 "---\ntitle: Storm\n" + BODY[0],  # never closed
                 BODY[0] + "\n---\ntitle: Storm\n---\n"):  # not at the start
        assert front_matter(text) == (text, {}, [])


def test_a_clipped_markdown_file_gets_its_metadata_from_its_front_matter(tmp_path):
    from newsclean.readers import read_path

    path = tmp_path / "storm.md"
    path.write_text(CLIPPED + "\n" + "\n\n".join(BODY) + "\n\n[Share](https://news.example/share)\n")
    docs = clean_documents(read_path(str(path)).documents)
    assert len(docs) == 1 and docs[0].format == "txt"
    doc = docs[0]
    assert (doc.title, doc.url, doc.published, doc.author) == ("Storm closes the harbour",
                                                               "https://news.example/2025/storm", "2025-01-23",
                                                               "Ann Lee, Bob Ray")
    assert BODY[0] in doc.text and "clippings" not in doc.text and "title:" not in doc.text
    assert {s.text for s in doc.removed if s.reason == "meta"} >= {"tags:", '  - "clippings"'}


# as html-to-markdown (the Rust converter behind several Python document pipelines) writes a page: its <title> and
# its meta tags by their names, keys sorted
CONVERTED = """---
canonical: https://news.example/2025/storm
meta-article:author: https://news.example/author/ann-lee
meta-article:modified_time: "2025-02-03T09:00:00+00:00"
meta-article:published_time: "2025-01-23T07:30:00+01:00"
meta-author: Ann Lee
meta-description: The harbour closed as the storm came in.
meta-og:site_name: Example News
meta-og:title: Storm closes the harbour
meta-og:type: article
meta-title: Not this one
title: Storm closes the harbour | Example News
---
"""


def test_a_converter_s_front_matter_gives_the_page_s_meta_tags():
    text = CONVERTED + "\n" + "\n\n".join(BODY)
    out, fields, spans = front_matter(text)
    # the publication time, never the modified one; the author by name (article:author is a web address); the
    # og:title before the <title>, and a plain key before its "meta-" namesake
    assert fields == {"title": "Storm closes the harbour", "url": "https://news.example/2025/storm",
                      "published": "2025-01-23T07:30:00+01:00", "author": "Ann Lee", "source": "Example News"}
    assert out.count("\n") == text.count("\n") and out.strip() == "\n\n".join(BODY).strip()
    assert len(spans) == CONVERTED.count("\n") and {s.reason for s in spans} == {"meta"}
    only_title = "---\ntitle: Example News | Storm closes the harbour\nmeta-og:site_name: Example News\n---\n"
    assert front_matter(only_title)[1]["title"] == "Storm closes the harbour"
    # the title as the text's first "#" heading writes it, where that holds only words of the front matter's title
    longer = "---\ntitle: Storm closes the harbour, ships wait | Example News\n---\n"
    body = "Home\n\n# Example News\n\n# Storm closes the harbour\n\n## Storm\n\n" + BODY[0]
    assert front_matter(longer + body)[1]["title"] == "Storm closes the harbour"
    assert front_matter(longer + BODY[0])[1]["title"] == "Storm closes the harbour, ships wait | Example News"
    # a date no one can read leaves the date to the cleaner, which finds it in the text
    assert front_matter("---\ntitle: Storm\ndate: the week of the storm\n---\n")[1] == {"title": "Storm"}


def test_a_page_title_loses_the_site_s_name_and_nothing_else():
    assert without_site_name("Storm closes the harbour | Example News", "Example News") == "Storm closes the harbour"
    assert without_site_name("Example News – Storm closes the harbour", "example news") == "Storm closes the harbour"
    assert without_site_name("Storm - the harbour closes - Example News", "Example News") == "Storm - the harbour closes"
    for title in ("Storm - the harbour closes", "Example News", "Storm closes the harbour at Example News"):
        assert without_site_name(title, "Example News") == title  # no part that is the site's name alone


def test_a_converted_page_gets_its_metadata_from_its_meta_tags(tmp_path):
    from newsclean.readers import read_path

    path = tmp_path / "storm.md"
    path.write_text(CONVERTED + "\n# Storm closes the harbour\n\n" + "\n\n".join(BODY) + "\n")
    doc = clean_documents(read_path(str(path)).documents)[0]
    assert (doc.title, doc.url, doc.published, doc.author, doc.source) == (
        "Storm closes the harbour", "https://news.example/2025/storm", "2025-01-23", "Ann Lee", "Example News")
    assert BODY[0] in doc.text and "meta-" not in doc.text and "2025-02-03" not in doc.text


def test_angle_bracket_destinations_and_brackets_inside_links():
    # CommonMark's "<…>" destinations (turndown writes them for addresses with spaces), a link text or an image's
    # alternative text holding brackets of its own
    text = "\n\n".join(["3. [Choose your object](<#Choose-your-object >)",
                        "* [[2025] 450 free certificates](https://courses.example/free)",
                        "![Ann Lee, editor, [object Object]](https://cdn.example/ann.png)",
                        "* [](<mailto:?subject=Storm closes the harbour>)", "See [sic] and [a] (b).",
                        "[Try it out](examples/) or read [the book](sen_book.html) by Kan Chu Sen.",
                        "Found on [the site](news.example) [1](fig.12)",  # relative paths, not a domain's name
                        '[Print](print.html "Print this book") or [quote](newreply.php?p=7 "Reply With Quote")'])
    out, spans = prepare_dump(text, join_wrapped=False)
    assert out.split("\n\n") == ["3. Choose your object", "* [2025] 450 free certificates", "", "* ",
                                 "See [sic] and [a] (b).", "Try it out or read the book by Kan Chu Sen.",
                                 "Found on [the site](news.example) [1](fig.12)", "Print or quote"]
    assert [s.reason for s in spans] == [LINK_MARKUP] * 6


def addressed_page() -> str:
    """plain_page() as the npm html-to-text writes it: each link's address in brackets after its text (one wrapped
    onto a line of its own), the logo image as its address."""
    menu = [f"   {m} [https://news.example/{m.lower().replace(' ', '-')}/]" for m in MENU]
    menu[2] = "   Business\n     [https://news.example/business/some-very-long-section-path-that-wraps-the-line/]"
    body = list(BODY)
    body[0] = body[0] + " [/notice/]"
    return "\n".join(["[https://news.example/logo.png]"] + menu + ["", "Storm closes the harbour", ""] + body
                     + ["", "   Related stories [/related/]",
                        "   Another headline about something else [https://news.example/other/]", "",
                        "Copyright © 2024 Example News"])


def test_addresses_in_brackets_after_links_go_and_are_recorded():
    text, spans = prepare_dump(addressed_page(), join_wrapped=False)
    assert text == "\n" + plain_page()  # the wrapped address goes with the line break before it; the logo's line is blank
    assert "[" not in text and "https://" not in text
    assert {span.reason for span in spans} == {LINK_MARKUP}
    lines = text.split("\n")
    at = {span.text: lines[span.line - 1].strip() for span in spans}  # the line each span names, in the text returned
    assert at["[https://news.example/business/some-very-long-section-path-that-wraps-the-line/]"] == "Business"
    assert at["[https://news.example/sign-in/]"] == "Sign in"
    assert at["[/notice/]"] == BODY[0]
    assert at["[/related/]"] == "Related stories"
    assert at["[https://news.example/logo.png]"] == ""


def test_the_cleaner_keeps_the_same_article_from_a_dump_with_addresses_in_brackets():
    plain, addressed = (clean_documents([Document(path=f"{n}.txt", text=t)])[0]
                        for n, t in (("plain", plain_page()), ("addressed", addressed_page())))
    assert addressed.text == plain.text and BODY[0] in plain.text
    assert addressed.title == plain.title == "Storm closes the harbour"


def test_a_long_run_of_spaces_beside_addresses_in_brackets_is_read_once():
    """An org-mode table pads its cells with spaces (a line of 60,000 of them here): the spaces before an address in
    brackets are read from the start of their run, not again from each of its spaces (that took minutes)."""
    padded = "| Harbour | " + " " * 60_000 + "| closed |"
    text, spans = prepare_dump(addressed_page() + "\n" + padded, join_wrapped=False)
    assert text.split("\n")[-1] == padded  # the table row as it was
    assert "https://" not in text and {span.reason for span in spans} == {LINK_MARKUP}
    assert "[/notice/]" in {span.text for span in spans}


def wiki_page(style: str) -> str:
    """plain_page() with its links and logo as pandoc's org, MediaWiki or AsciiDoc writers write them."""
    def link(url: str, text: str) -> str:
        return {"org": f"[[{url}][{text}]]", "mediawiki": f"[{url} {text}]", "asciidoc": f"{url}[{text}]"}[style]
    logo = {"org": "[[https://news.example/logo.png]]", "mediawiki": "[[File:https://news.example/logo.png|Logo]]",
            "asciidoc": "image:https://news.example/logo.png[Logo]"}[style]
    menu = ["   " + link(f"https://news.example/{m.lower().replace(' ', '-')}/", m) for m in MENU]
    return "\n".join([logo] + menu + ["", "Storm closes the harbour", ""] + BODY
                     + ["", "   " + link("https://news.example/related/", "Related stories"),
                        "   Another headline about something else", "", "Copyright © 2024 Example News"])


@pytest.mark.parametrize("style", ["org", "mediawiki", "asciidoc"])
def test_wiki_links_keep_their_text_and_images_go(style):
    page = wiki_page(style)
    text, spans = unwiki(page)
    assert text == "\n" + plain_page()  # line for line; the logo's line is blank
    assert len(spans) == 1 + len(MENU) + 1 and "news.example/logo.png" in spans[0][1]
    assert prepare_dump(page, join_wrapped=False)[0] == text
    assert {s.reason for s in prepare_dump(page, join_wrapped=False)[1]} == {LINK_MARKUP}
    cleaned = clean_documents([Document(path=f"{style}.txt", text=page)])[0]
    assert BODY[0] in cleaned.text and "news.example" not in cleaned.text


def rst_page() -> str:
    """A page as `pandoc -t rst` writes it: every div a container directive (a long class list on the next line)
    with options, the headline a rubric wrapped over two lines, links as "`text <url>`__", the logo a substitution."""
    menu = [f"      -  `{m} <https://news.example/{m.lower().replace(' ', '-')}/>`__" for m in MENU]
    return "\n".join([".. container:: site", "   :name: page", "", "   .. container::",
                      "   header-block alignfull is-layout-flow has-global-padding", "", "      |image1|", ""]
                     + menu + ["", "   .. rubric:: Storm closes the", "      harbour", "      :name: storm", "",
                               "   .. container:: entry-content", ""] + ["      " + line for line in BODY]
                     + ["", "      Copyright © 2024 Example News", "", ".. |image1| image:: https://news.example/logo.png"])


def test_restructured_text_loses_its_layout_and_link_markup():
    page = rst_page()
    text, spans = unrst(page)
    lines = text.split("\n")
    assert len(lines) == len(page.split("\n"))  # line for line
    shown = [line.strip() for line in lines if line.strip()]
    assert shown == ["-  " + m for m in MENU] + ["Storm closes the harbour"] + BODY + ["Copyright © 2024 Example News"]
    gone = " ".join(what for _, what in spans)
    assert "news.example/logo.png" in gone and ".. container:: site" in gone and "header-block" in gone
    doc = clean_documents([Document(path="storm.txt", text=page)])[0]
    assert doc.title == "Storm closes the harbour" and BODY[0] in doc.text and "container" not in doc.text
    assert unrst("\n".join([".. note:: one directive", "", *BODY])) == ("\n".join([".. note:: one directive", "", *BODY]), [])


def test_org_drawers_and_block_lines_go_and_mediawiki_piped_links_keep_their_text():
    drawer = ["  :PROPERTIES:", "  :CUSTOM_ID: storm", "  :CLASS: entry-title has-large-font-size", "  :END:"]
    page = "\n".join(["* Storm closes the harbour", *drawer, "", BODY[0], "#+begin_quote", BODY[1], "#+end_quote"])
    text, spans = unorg(page)
    assert text.split("\n") == ["* Storm closes the harbour", "", "", "", "", "", BODY[0], "", BODY[1], ""]
    assert spans == [(2, " ".join(" ".join(drawer).split())), (8, "#+begin_quote"), (10, "#+end_quote")]
    assert unorg("\n".join(BODY + ["Time :END: of the day"])) == ("\n".join(BODY + ["Time :END: of the day"]), [])
    toc = "\n".join(f"** [[#h-{i}|{m}]]" for i, m in enumerate(MENU))
    assert unwiki(toc)[0].split("\n") == [f"** {m}" for m in MENU]


def test_asciidoc_anchor_lines_and_empty_attribute_references_go():
    """pandoc's AsciiDoc: an anchor line for every element with an id, "{blank}" where an element has no text."""
    page = "\n".join(["[[page]]", "[[masthead]]", "== Storm closes the harbour", "", "[[s0-2-1[3]-@x]]", BODY[0],
                      "{blank}", f"{BODY[1]} {{empty}}", "[[x]] stays: not alone on its line"])
    text, spans = unadoc(page)
    assert text.split("\n") == ["", "", "== Storm closes the harbour", "", "", BODY[0], "", f"{BODY[1]} ",
                                "[[x]] stays: not alone on its line"]
    assert spans == [(1, "[[page]]"), (2, "[[masthead]]"), (5, "[[s0-2-1[3]-@x]]"), (7, "{blank}"), (8, "{empty}")]
    few = "\n".join(["[[a]]", "[[b]]", *BODY, "{blank}"])  # two anchor lines: no AsciiDoc dump, left as it is
    assert unadoc(few) == (few, [])
    assert any(span.reason == LAYOUT_MARKUP and span.text == "[[page]]" for span in prepare_dump(page)[1])


def test_wiki_headings_become_markdown_headings_and_the_title_is_found():
    for page, org in (("= Storm closes the harbour =\n\n{}\n\n== Why it closed ==\n\n{}", False),
                      ("= Storm closes the harbour\n\n{}\n\n== Why it closed\n\n{}", False),
                      ("* Storm closes the harbour\n\n{}\n\n** Why it closed\n\n{}", True)):
        text = page.format("\n".join(BODY[:3]), "\n".join(BODY[3:]))
        out, spans = unwiki_headings(text, org)
        assert out.split("\n")[0] == "# Storm closes the harbour" and "## Why it closed" in out.split("\n")
        assert len(spans) == 2 and len(out.split("\n")) == len(text.split("\n"))
    code = "\n".join(["x", "= visible", "= hidden", *BODY])  # one-sided marks not set off by blank lines: code
    assert unwiki_headings(code, False) == (code, [])
    listed = "\n".join(["* a list item", "* another item", *BODY])  # "*" lines outside an org dump: a list
    assert unwiki_headings(listed, False) == (listed, [])


def test_a_wiki_link_or_two_in_running_text_stay():
    text = "\n".join(BODY[:2] + ["The report [https://data.example/r.pdf the full text] is online, see [[notes][here]]."])
    assert unwiki(text) == (text, [])


def test_an_address_or_two_in_brackets_in_running_text_stay():
    """Fewer than three bracketed addresses are the text's own (a cited source), not a tool's way of writing links;
    an address in angle brackets is a Markdown autolink, shown text; brackets that are a Markdown link's or a
    reference definition's are left to the Markdown steps; w3m's image descriptions stay."""
    text = "\n".join(BODY[:2] + ["The full report [https://data.example/report.pdf] is online.",
                                  "See also [www.data.example/annex].", "", "[1] a footnote", "<https://a.example/>",
                                  "<https://b.example/>", "<https://c.example/>", "[INS::INS]"])
    assert prepare_dump(text, join_wrapped=False) == (text, [])
    markdown = "\n".join(["[https://a.example/](https://a.example/)", "[https://b.example/]: https://b.example/",
                           "[https://c.example/](https://c.example/)"] + BODY[:1])
    out, spans = prepare_dump(markdown, join_wrapped=False)
    assert out.split("\n")[:3] == ["https://a.example/", "", "https://c.example/"]  # links keep their text
    assert sorted(span.text for span in spans) == ["(https://a.example/)", "(https://c.example/)",
                                                    "[https://b.example/]: https://b.example/"]


def test_reference_links_keep_their_text_where_the_dump_defines_their_label():
    """Markdown's reference links (html2text with inline_links off, turndown's referenced style): "[text][label]"
    keeps its text when "[label]: url" is defined in the dump (labels match whatever their case); an undefined
    one stays as it is."""
    dump = ("  * [Home][1]\n  * [World][2]\n  * [Business][Biz]\n\nThe harbour closed on Monday after the storm, "
            "see [the\nnotice][4] and [elsewhere][9].\n\n   [1]: https://a.example/\n   [2]: https://a.example/world\n"
            "   [biz]: https://a.example/biz\n   [4]: https://a.example/notice\n")
    text, spans = prepare_dump(dump, join_wrapped=False)
    lines = text.split("\n")
    assert lines[:3] == ["  * Home", "  * World", "  * Business"]
    assert lines[4:6] == ["The harbour closed on Monday after the storm, see the", "notice and [elsewhere][9]."]
    assert "https://" not in text
    assert [(s.line, s.text) for s in spans if s.text.startswith("[") and s.text.endswith("]")] == [
        (1, "[1]"), (2, "[2]"), (3, "[Biz]"), (5, "[4]")]


def _state_blob(story: str, images: int) -> str:
    """A page's JSON state as a flattener that joins every text node writes it: one line holding the article again
    as Markdown, with images, inside an array that opens with "[" (no link after it)."""
    body = " ".join(f"{story} ![Figure {i}](https://img.example.com/{i}.png)" for i in range(images))
    return json.dumps({"props": {"pageProps": {"articles": [{"title": "Pipes", "text": body}]}}})


def test_script_and_data_text_goes_and_the_article_stays():
    article = "\n".join(BODY)
    blob = _state_blob(" ".join(BODY), 24)  # 24 images: reading the "[" before them with backtracking took minutes
    css = ".nav{display:flex;margin:0 auto}" * 20
    dump = "\n".join(["Home", "News", article, blob, css, "Copyright © 2025 Example Gazette"])
    text, spans = prepare_dump(dump)
    assert "pageProps" not in text and css not in text and article in text
    scripts = [(s.text[:10], s.line) for s in spans if s.reason == SCRIPT_TEXT]  # the blob's images went first,
    assert scripts == [('{"props": ', 8), (css[:10], 9)]  # as link markup
    assert text.split("\n")[7:9] == ["", ""]  # their lines left blank: the others keep their numbers
    cleaned = clean_documents([Document(text=dump, path="state.txt")])[0]
    assert BODY[0] in cleaned.text and "pageProps" not in cleaned.text


def test_long_lines_of_prose_in_any_script_and_paragraphs_with_links_stay():
    chinese = "自来水委员会周一批准了一项计划，将更换东区最老旧的水管，自一月以来漏水已导致三条街道封闭。" * 12
    quoted = 'He said: "The pipes (all of them) are old; we will replace them." And so they did. ' * 8
    linked = " ".join(f"The board's [report on pipe {i}](https://water.example.org/reports/{i}?year=2025) says so."
                      for i in range(8))  # Markdown: the links' brackets and addresses go first
    assert not is_code(chinese) and not is_code(quoted) and is_code(_state_blob(" ".join(BODY), 3))
    assert not is_code("[ " * 3000)  # an array nested deeper than json reads: not JSON (it raised)
    for line in (chinese, quoted, linked):
        assert len(line) >= 500
        text, spans = prepare_dump("\n".join(BODY) + "\n" + line)
        assert not [s for s in spans if s.reason == SCRIPT_TEXT], line[:40]
