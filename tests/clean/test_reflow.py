"""Reflowing hard-wrapped dumps: paragraphs and list items come back whole, other dumps stay as they are."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsclean.clean.reflow import reflow, split_lost_breaks, wrap_width
from newsclean.clean.textdump import TextCleanConfig
from newsclean.document import Document
from newsclean.pipeline import CleanConfig, clean_documents
from tests.clean.test_textdump import BODY

SHARED = Path(__file__).resolve().parents[3] / "shared"
MENU = ["Home", "World", "Business", "Technology", "Sign in"]
ITEMS = [
    "The first item of the list is long enough to be wrapped by the tool onto a second line of its own.",
    "A second item, just as long, that also goes on for more than the width of the dump in characters.",
]


def page(width: int, indent: str = "") -> tuple[str, list[str]]:
    """A dump wrapped at `width` the way text browsers wrap (textwrap, words kept whole), and the lines it was made
    from."""
    logical = MENU + [""] + [BODY[0] + " " + BODY[1], "", BODY[2] + " " + BODY[3], "", BODY[4] + " " + BODY[0]] + [""]
    logical += ["• " + item for item in ITEMS] + ["", "Copyright © 2024 Example News"]
    out = []
    for line in logical:
        if line.startswith("• "):
            out += textwrap.wrap(line, width, initial_indent=indent, subsequent_indent=indent + "  ",
                                 break_on_hyphens=False)
        elif line:
            out += textwrap.wrap(line, width, initial_indent=indent, subsequent_indent=indent, break_on_hyphens=False)
        else:
            out.append("")
    return "\n".join(out), [indent + ln if ln else ln for ln in logical]


@pytest.mark.parametrize("width", [37, 39, 60, 72, 80, 100])  # 37, 39: lynx and w3m asked for 40 columns
@pytest.mark.parametrize("indent", ["", "   "])
def test_wrapped_paragraphs_and_list_items_come_back_whole(width, indent):
    wrapped, logical = page(width, indent)
    assert wrapped != "\n".join(logical)
    assert wrap_width(wrapped.split("\n")) is not None
    assert reflow(wrapped).split("\n") == logical


def test_a_paragraph_is_not_joined_to_the_next_item_or_a_short_line():
    wrapped, _ = page(72)
    lines = reflow(wrapped).split("\n")
    assert lines[: len(MENU)] == MENU  # short lines far from the width are not wrapped text
    assert sum(ln.startswith("• ") for ln in lines) == len(ITEMS)  # each item its own line


def test_dumps_that_are_not_wrapped_stay_as_they_are():
    pages = sorted((SHARED / "seeds").glob("*.txt")) + sorted((SHARED / "bench" / "scrapinghub" / "flat").glob("*.txt"))
    assert len(pages) > 100
    for path in pages:
        text = path.read_text(encoding="utf-8")
        assert reflow(text) is text, path.name
    one_line_paragraphs = "\n".join(MENU + [""] + BODY * 3)
    assert reflow(one_line_paragraphs) is one_line_paragraphs


def test_a_list_of_alike_lines_each_starting_with_a_capital_or_a_number_is_not_wrapped():
    """Eight race dates of about the same length, no sentence ends: they pile up under a width as a wrapped
    paragraph's lines do, but no line goes on in lower case, as the rest of a wrapped sentence would."""
    calendar = ["Race calendar 2026", ""] + [f"Round {i}: {day} – {track}" for i, (day, track) in enumerate([
        ("10 March", "Northgate circuit"), ("8 April", "Southgate speedway"), ("22 April", "Old harbour ring"),
        ("6 May", "Lighthouse hill road"), ("20 May", "Northgate circuit"), ("5 August", "Island street track"),
        ("19 August", "to be announced"), ("9 September", "Southgate speedway"), ("4 October", "Valley park")], 1)]
    assert wrap_width(calendar) is None and reflow("\n".join(calendar)) == "\n".join(calendar)
    numbered = [f"{n} {ln.partition(': ')[2]}" for n, ln in enumerate(calendar[2:], 1)]  # digits first
    assert wrap_width(calendar[:2] + numbered) is None
    # the same lines as one paragraph's, the sentence going on in lower case, still read as wrapped
    prose = [ln.replace("Round", "round") if i % 2 else ln for i, ln in enumerate(calendar)]
    assert wrap_width(prose) is not None


WORD = st.text(alphabet="abcdefghij", min_size=1, max_size=12)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(WORD, min_size=1, max_size=60).map(" ".join), min_size=1, max_size=20),
       st.integers(min_value=30, max_value=160))
def test_reflowing_is_idempotent(paragraphs, width):
    wrapped = "\n\n".join("\n".join(textwrap.wrap(p, width)) for p in paragraphs)
    once = reflow(wrapped)
    assert reflow(once) == once
    assert once.split() == wrapped.split()  # only line breaks change


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet="ab \n", max_size=90), max_size=40).map("\n".join))
def test_reflowing_anything_keeps_its_words_and_is_idempotent(text):
    once = reflow(text)
    assert once.split() == text.split()
    assert reflow(once) == once


def test_the_pipeline_reflows_text_dumps_unless_told_not_to():
    wrapped, logical = page(76)
    doc = Document(path="wrapped.txt", text=wrapped)
    cleaned = clean_documents([doc])[0]
    assert BODY[2] + " " + BODY[3] in cleaned.text.split("\n")
    kept_as_is = clean_documents([doc], CleanConfig(text=TextCleanConfig(reflow=False)))[0]
    assert BODY[2] + " " + BODY[3] not in kept_as_is.text.split("\n")


def text_content(blocks: list[str]) -> str:
    """A page's text as textContent gives it when its source is written on one line: the blocks apart only by the
    source's indentation."""
    return "".join(block + " " * (4 + i % 9) for i, block in enumerate(blocks))


LOST = MENU + ["Example News", "Council approves the new river bridge"] + BODY * 2 + [
    "Related articles", "Storm closes the coast road", "Contact us", "Copyright © 2024 Example News"]


def test_a_dump_that_lost_its_line_breaks_gets_them_back():
    one_line = "  " + text_content(LOST)
    assert split_lost_breaks(one_line).split("\n") == LOST
    cleaned = clean_documents([Document(path="textcontent.txt", text=one_line)])[0]
    kept = cleaned.text.split("\n")
    assert all(sentence in kept for sentence in BODY)
    assert not set(MENU + ["Copyright © 2024 Example News"]) & set(kept)


def test_lines_that_kept_their_breaks_are_not_split():
    pages = sorted((SHARED / "seeds").glob("*.txt")) + sorted((SHARED / "bench" / "scrapinghub" / "flat").glob("*.txt"))
    for path in pages:
        text = path.read_text(encoding="utf-8")
        assert split_lost_breaks(text) == text, path.name
    paragraph = " ".join(BODY * 12)  # a long paragraph: one space between words
    table = "\n".join("Name    Price    Stock    " + f"Item {i}" for i in range(50))  # padded cells, short rows
    links = "   ".join(f"[Story {i}](https://example.org/news/{i}/a-long-address-for-story-{i})" for i in range(40))
    markdown_row = "| " + "  |  ".join(f"cell {i} of a wide table" for i in range(60)) + " |"
    for text in (paragraph, table, paragraph.replace(". ", ".  ", 2), links, markdown_row):
        # two sentences typed double-spaced; a Markdown converter's run of links, its padded table row
        assert split_lost_breaks(text) is text


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet="ab \t", max_size=3_000), max_size=6).map("\n".join))
def test_splitting_keeps_the_words_and_is_idempotent(text):
    once = split_lost_breaks(text)
    assert once.split() == text.split()
    assert split_lost_breaks(once) == once
