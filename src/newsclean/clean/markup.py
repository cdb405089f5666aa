"""Link and layout markup that flatteners add to a dump by default, taken out before the cleaner judges its lines.

- Numbered links (`lynx -dump`, `elinks -dump`, `w3m -dump -o display_link_number=1`): "[12]Home" before every
  link's text, and a closing "References" list of the numbered URLs (with "Visible links" / "Hidden links" labels).
- Markdown (html2text, markdownify, turndown, crawlers' and reader services' exports): `[text](url)` keeps its
  text (a link around blocks too, its "[" and "](url)" lines apart), an image `![alt](url)` goes whole, and so do
  reference definitions (`[1]: url`). A reader service's header ("Title: …", "URL Source: …", then "Markdown
  Content:") is read off as metadata.
- pandoc's own Markdown: its div fences and attribute blocks. Debian's html2text: its headings between runs of stars
  and the underscores it writes for the spaces of links. Raw HTML (GitHub Markdown, CommonMark, exports that
  kept the page's markup), where a dump is mostly tags: the tags, an element's text staying. In Markdown, the
  backslashes that escape punctuation, and the underlines of headings (markdownify, turndown), which become "#"
  headings.

The URLs, markers and tags are not the page's text. Left in, a lynx dump's reference list often outweighs its
article, and a menu item or a paragraph carries URL words that change its shape. The references list, HTML tags and
the layout markup are taken out before the dump is reflowed (their long lines would hide the wrapping width), the
inline links after it (their markers count in the width a tool wrapped at). What is taken out is returned, so it
can be recorded; text without such markup comes back as it is.
"""
from __future__ import annotations

import bisect
import re
import string
from functools import lru_cache
from itertools import accumulate

import yaml

from newsclean.clean.reflow import reflow_lines, split_lost_breaks
from newsclean.document import RemovedSpan
from newsclean.extract.dates import find_date
from newsclean.text import headline, read_json

_REFERENCES_LINE = re.compile(r"^[ \t]*references:?[ \t\r]*$", re.I | re.M)
_LIST_LABEL = re.compile(r"(?i)\s*(?:visible|hidden) links:?\s*$")
# "  12. https://…" (lynx, elinks), "[12] https://…" (w3m); spaces may follow in the address
_NUMBERED_URL = re.compile(r"\s*(?:\d{1,6}\.|\[\d{1,6}\])\s+[a-z][a-z0-9+.-]*:\S", re.I)
_NUMBERED = re.compile(r"\s*\d{1,6}\.\s+\S")
_BARE_URL = re.compile(r"\s+[a-z][a-z0-9+.-]*:\S", re.I)
_LINK_NUMBER = r"\[\d{1,6}\]"
_GLUED_MARKER = re.compile(_LINK_NUMBER + r"(?=\w)")  # "[12]Home": a link's number, glued to the link's text
_MIN_SEQUENCE = 5  # markers numbered 1, 2, 3, … in order this far are link numbers even without a references list
# Markdown, whose links and images converters wrap over lines like any text (never over a blank line). A destination
# is an address (a scheme, a path, a fragment or "www."), parentheses balanced one level deep (Wikipedia URLs), with
# an optional title; anything between angle brackets (CommonMark's form for addresses with spaces or parentheses,
# which turndown writes: "(<#Choose-your-object >)"); or a relative path without spaces ("examples/",
# "book.html": a web file's extension, not a bare domain such as a lynx dump's "[38](latimes.com)"), with an optional
# title too ('(print.html "Print this book")', as node-html-markdown writes a link's title attribute). A link's text
# may hold an image (a linked logo) and brackets one level deep ("[[2025] Free courses](url)"), as may an image's
# alternative text.
_WRAP = r"\n(?![ \t]*\n)"
_ADDRESS_START = r"(?=[a-z][a-z0-9+.-]*:|[/#?]|\.\.?/|www\.)"
_ANGLED = r"<[^<>\n]*>"
_RELATIVE = r"[\w.~%+-]+(?:/[^()\s]*|\.(?:html?|php|aspx?|jsp|md|pdf|png|jpe?g|gif|svg|webp)(?:[?#][^()\s]*)?)"
_DEST = (r"\((?:" + _ANGLED + r"[^()\n]*|" + _ADDRESS_START + r"(?:[^()\n]|" + _WRAP + r"|\([^()\n]*\))*|"
         + _RELATIVE + r"""(?:[ \t]+"[^"\n]*")?)\)""")
_BRACKETED = r"\[[^\[\]\n]*\]"
_IMAGE = r"!\[(?:[^\[\]\n]|" + _WRAP + "|" + _BRACKETED + r")*\]" + _DEST
_MD_IMAGE = re.compile(_IMAGE, re.I)
# Markdown's reference links, "[text][label]" with "[label]: url" defined somewhere in the dump (html2text with
# inline_links off, turndown's "referenced" link style); labels match without regard to case.
_DEFINES = r"\]:[ \t]+(?:[a-z][a-z0-9+.-]*:|/|#)"  # after a definition's label: its address starts
_LABEL_DEFINED = re.compile(r"^[ \t]{0,3}\[([^\[\]\n]+)" + _DEFINES, re.I | re.M)
# A link's text is read item by item without going back (a possessive loop): an image where one starts, else a
# character, a line break or brackets. Read with backtracking, each image in it could also be read as "!", brackets
# and characters, and a "[" that opens no link (a JSON blob of Markdown articles left in a page's dump) took
# 2^images tries to fail: minutes on one line.
_INLINE = (r"(?P<image>" + _IMAGE + r")|(?P<link>\[(?P<text>(?:" + _IMAGE + r"|[^\[\]\n]|" + _WRAP + "|" + _BRACKETED
           + r")*+)\]" + _DEST + ")"
           + r"|(?P<definition>^[ \t]{0,3}\[[^\[\]\n]+" + _DEFINES + r"""\S*(?:[ \t]+["'(].*)?$)""")
# A link around blocks (a card's image, heading and summary), as turndown and markdownify write one: "[" and "](url)"
# with blank lines between them, which the inline links above never span; looked for once those are gone, its text
# holding no bracket and its destination on its closing line.
_BLOCK_LINK = re.compile(r"\[(?P<text>[^\[\]]{0,5000})\]\((?:" + _ANGLED + "|" + _ADDRESS_START
                         + r"[^()\s]*(?:\([^()\s]*\)[^()\s]*)*)(?:[ \t]+\"[^\"\n]*\")?\)", re.I)
_NUMBER = r"(?P<number>" + _LINK_NUMBER + ")"
# A link's or an image's address after its text, in brackets: "Menus [https://…/menus/]", "Home [/]" (the npm
# html-to-text's default; Debian's html2text writes images so), an address with a scheme ("https://", "mailto:"), a
# path from the site's root or "www.", without spaces. It goes with the spaces before it, and with the line break
# before it when a tool wrapped it onto a line of its own. Brackets that are a Markdown link's, a reference's or a
# pandoc span's ("[/r/python](…)", "[/x][1]", "[/]{.sep}", "[https://b.example/]: …") are not such an address; nor is
# an image's alternative text in brackets (w3m: "[INS::INS]").
_BRACKETED_ADDRESS = r"\[(?:[a-z][a-z0-9+.-]*://|mailto:|tel:|/|www\.)[^\[\]\s]*\](?![(\[:{])"
_ADDRESSES = re.compile(_BRACKETED_ADDRESS, re.I)
# The spaces before it are read from the start of their run and never given back: tried from every space of a long
# run with nothing after it, as a pattern free to start anywhere and to go back does, a line of 40,000 spaces (an
# org-mode table's padding) took half a minute.
_TARGET = r"(?P<target>(?<![ \t])[ \t]*+(?:\n[ \t]*+)?(?:" + _BRACKETED_ADDRESS + "))"
_MIN_ADDRESSES = 3  # bracketed addresses a dump shows for them to be its tool's way of writing links
_NOT_MARKDOWN = re.compile(r"(?:\s*(?:" + _LINK_NUMBER + "|" + _BRACKETED_ADDRESS + r"))+\s*", re.I)  # numbers, addresses
LINK_MARKUP, LINK_REFERENCES = "link_markup", "link_references"
# pandoc's own Markdown keeps the page's layout: "::: {.class}" fences around every div, and attribute blocks after
# links, images, bracketed spans ("[text]{.small}") and headings ("# Title {#id}"), wrapped over lines like the rest.
_PANDOC = re.compile(
    r"(?P<fence>^[ \t]*(?:(?:[-*+]|\d{1,3}[.)])[ \t]+)?:::(?:[ \t]*\{[^{}]*\}|[^\n]*))"
    r"|\[(?P<span>(?:[^\[\]\n]|" + _WRAP + r")*)\]\{[^{}]*\}"
    r"|(?<=[\])])\{[^{}]*\}"
    r"|(?<![ \t])[ \t]++\{#[^{}]*\}[ \t]*$", re.M)  # spaces read once from the start of their run
_PANDOC_FENCE = re.compile(r"^[ \t]*(?:(?:[-*+]|\d{1,3}[.)])[ \t]+)?:::", re.M)
_MIN_FENCES = 3  # a dump with this many fences is pandoc's Markdown
LAYOUT_MARKUP = "layout_markup"
# HTML left in a dump: GitHub Markdown and CommonMark (`pandoc -t gfm`) write every element they have no syntax
# for as raw HTML, and some exports keep the page's markup in their text. Tags go, their elements' text stays; a
# comment, and a script's or style's content, go whole. A run of tags keeps the line breaks it held, else leaves
# one where it holds a block element's tag (the page's blocks, which a converter wrapped together, one a line again)
# and a space between two elements ("</a><a …>"), and nothing inside running text ("a <em>bold</em> move").
_HIDDEN = "script|style|noscript|template|svg"
# (a comment or a hidden element is looked for within a bound: text that shows code may open one and never close
# it, and each opening must not scan the rest of the dump; past the bound, its tags go one by one)
_ONE_TAG = (rf"<!--.{{0,2000}}?-->|<(?:{_HIDDEN})\b[^>]*>.{{0,5000}}?</(?:{_HIDDEN})\s*>"
            r"|</?[a-z][a-z0-9:-]*(?:\s[^<>]*)?/?>")
_TAG_RUN = re.compile(rf"(?:{_ONE_TAG})(?:\s*(?:{_ONE_TAG}))*", re.I | re.S)
_TAG_NAME = re.compile(r"<(/?)([a-z][a-z0-9:-]*)", re.I)
_INLINE_TAGS = frozenset("a abbr b bdi bdo big cite code data del dfn em font i img ins kbd label mark picture q s "
                         "samp small source span strike strong sub sup time tt u var wbr".split())
# Dumps whose text is mostly tags: in the WCXB pages flattened by 15 tools, tags are at most 0.24 of a dump's
# non-space characters (reference pages that show HTML code); in the same pages written by `pandoc -t gfm`,
# half of them are 0.77 or more and 95 % 0.28 or more.
_MIN_TAG_SHARE = 0.3
_LIST_MARKER_ONLY = re.compile(r"\s*|[ \t]*(?:[-*+]|\d{1,3}[.)])[ \t]*")  # a line tags left with no more than this
_SPACES_ONLY = re.compile(r"\s*")
HTML_MARKUP = "html_markup"
# Markdown writers escape punctuation that would read as markup ("1\\. ", "\\_name", "\\[x\\]") and pandoc ends a
# line it must break with a backslash; in a dump read as Markdown those backslashes go (a backslash before a letter
# or a digit is no escape and stays).
_ESCAPE = re.compile(r"\\(?=[!-/:-@\[-`{-~])|\\$", re.M)
MARKDOWN_ESCAPE = "markdown_escape"
# Markdown's emphasis around words, on one line: "**strong**", "__strong__", "*em*", "_em_". A delimiter opens
# before a non-space and closes after one, never inside a word (snake_case, 2*3*4, a list's "* " stay), never
# escaped ("\\*").
# The text runs to the first closing mark, and never past another opening of the same mark: a line of openings
# without closings ("_a_b _c_d ...") is then read once, not again from each opening (a line of 160,000 characters
# took 20 s).
_EMPHASIS = re.compile(r"(?<![\w*\\])(?P<mark>\*\*|__|\*|_)(?=[^\s*_])"
                       r"(?P<text>(?:(?!(?<![\w*\\])(?P=mark)(?=[^\s*_]))[^\n])*?[^\s*_\\])(?P=mark)(?![\w*])")
MARKDOWN_EMPHASIS = "markdown_emphasis"
_ATX_HEADINGS = re.compile(r"^#{1,6} +\S", re.M)
# code, whose stars and underscores are its own: fenced blocks and `spans`
_CODE = re.compile(r"^(?P<fence>```|~~~).*?(?:^(?P=fence)[^\n]*$|\Z)|`[^`\n]+`", re.M | re.S)
# html2text, the converter Debian and Ubuntu install under that name (not the Python package), writes headings
# between runs of stars, fewer the lower the level ("****** Title ******" for <h1>), and underlined text, every link
# among it, with underscores for its spaces ("Skip_to_content", "January_23,_2025"). Of the WCXB pages it
# flattened, 94 % show two such headings or more; of the dumps of the 15 other styles, 0.2 % or fewer. Its headings
# become Markdown's ("# Title"), which the cleaner knows. A long heading wrapped over two lines stays so: joined, it
# is wider than the width the dump was wrapped at, which then goes unseen (clean/reflow.py).
_STAR_HEADING = re.compile(r"^(?P<mark>\*{2,6}) (?P<text>\S(?:.*\S)?) (?P=mark)[ \t]*$", re.M)
_MIN_STAR_HEADINGS = 2
_UNDERLINED = re.compile(r"(?<![\s_])_(?![\s_])")
# a URL, an e-mail address or a path keeps its underscores (read from the start of a word: from each of its
# characters, a long word without any took minutes)
_ADDRESS = re.compile(r"(?<!\S)\S*(?:://|www\.|@|/)\S*")
UNDERLINE = "underline"
# Markdown's other heading form, a line underlined with "=" (level 1) or "-" (level 2), as markdownify and turndown
# write headings by default and pandoc did before 2.11.2 (2020): an underline about as long as the line above it,
# the pair set off by blank lines (pandoc's fences and attribute blocks gone). Such headings become "# Title" too.
# (Debian's html2text draws a full-width "=" rule under a paragraph's last line, never set off; of 300 WCXB pages
# in 15 other styles, none shows the pattern.)
_UNDERLINE_SLACK = 2  # characters by which an underline may be longer or shorter than its heading
SETEXT_LEVEL = {"=": "#", "-": "##"}
# The header a reader service (Jina Reader and the like) writes before a page's Markdown
_READER_FIELD = re.compile(r"(Title|URL Source|Published Time|Description|Warning):[ \t]*(.*?)\s*$")
_READER_METADATA = {"Title": "title", "URL Source": "url", "Published Time": "published"}  # header -> Document
_READER_BODY = "\nMarkdown Content:\n"
_READER_HEADER_MAX = 4_000  # characters before the body
# Front matter: the YAML block between "---" lines that opens a Markdown file, as web clippers (Obsidian's: title,
# source, author, published), static site generators (title, date, author) and HTML-to-Markdown converters write
# one. Its fields, by the names they go by, become the document's metadata. A converter's block holds the page's
# <meta> tags by their names ("meta-og:title", "meta-article:published_time": html-to-markdown's form; the "meta-"
# is dropped before the names below are looked up) and its <title>, which names the site too.
_FRONT_MATTER = re.compile(r"\A\ufeff?---[ \t]*\n(?P<yaml>(?:.*\n)*?)(?:---|\.\.\.)[ \t]*(?:\n|\Z)")
_FRONT_MATTER_MAX = 20_000  # characters
FRONT_MATTER_FIELDS = {
    # a page's og:title names the article; its <title> mostly the site as well ("Storm closes the harbour | Example")
    "title": ("headline", "og:title", "title"),
    "url": ("source", "url", "link", "canonical_url", "original_url", "source_url", "canonical", "og:url"),
    # the publication date only: never a page's modified or updated time
    "published": ("published", "date", "pubdate", "publish_date", "published_at", "date_published",
                  "article:published_time", "og:published_time", "sailthru.date", "parsely-pub-date", "dc.date",
                  "dc.date.issued", "citation_publication_date"),
    "author": ("author", "authors", "byline", "article:author", "parsely-author", "sailthru.author", "dc.creator",
               "citation_author"),
    "source": ("site_name", "site", "publisher", "source_name", "og:site_name", "application-name"),
}
_META_PREFIX = "meta-"
_MARKDOWN_H1 = re.compile(r"^# +(.+?)(?: +#+)? *$", re.M)  # an ATX heading of the first level
# PyYAML's safe loader, in C where its wheel has libyaml (a converter's block of a page's meta tags takes the Python
# one ~2 ms)
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_WIKILINK = re.compile(r"\[\[(?:[^\]|]*\|)?([^\]]*)\]\]")  # Obsidian's "[[Name]]" and "[[page|Name]]": the name


def cut_references(text: str) -> tuple[str, str | None]:
    """(text without its closing list of numbered links, that list); (text, None) when it has none. The list: the
    last line "References" (or "References:") with only entries after it, besides "Visible links" / "Hidden links"
    labels: "12. URL" or "[12] URL", or "12. the link's title" with the URL alone on the next line (elinks); a URL
    with a space in it goes on on the next line."""
    heading = None
    for heading in _REFERENCES_LINE.finditer(text):
        pass
    if heading is None or not _only_entries(text[heading.end():].split("\n")):
        return text, None
    return text[:heading.start()].rstrip("\n") + "\n", text[heading.start():].strip("\n")


def _only_entries(lines: list[str]) -> bool:
    """Whether the non-blank lines are references entries and labels only, one entry at least."""
    entries, titled = 0, False  # titled: an entry's title was read, its URL must come next
    for line in lines:
        if not line.strip():
            continue
        if _BARE_URL.match(line) and entries:  # an entry's URL on its own line, or the rest of one cut at a space
            titled = False
        elif titled:
            return False
        elif _NUMBERED_URL.match(line):
            entries += 1
        elif _NUMBERED.match(line):
            entries, titled = entries + 1, True
        elif not _LIST_LABEL.match(line):
            return False
    return entries > 0 and not titled


def numbered_links(text: str, listed: bool) -> bool:
    """Whether the "[N]" markers of text number its links: the dump ended with their references list (`listed`), or
    its first markers glued to a link's text ("[1]Home", not the "[1] https://…" of a list of sources) count 1, 2,
    3, … in order, as a text browser numbers links."""
    if listed:
        return True
    first = [m.group()[1:-1] for _, m in zip(range(_MIN_SEQUENCE), _GLUED_MARKER.finditer(text))]
    return first == [str(n) for n in range(1, _MIN_SEQUENCE + 1)]


@lru_cache(maxsize=32)  # a few patterns serve all dumps; each set of reference labels needs its own
def _inline_markup(numbered: bool, addressed: bool, labels: frozenset[str] = frozenset()) -> re.Pattern:
    """The inline markup unlink takes out; `labels`: those reference definitions give (their links lose the label).
    A reference link's text is read without going back, as an inline link's (_INLINE)."""
    reference = (r"(?P<reference>\[(?P<reftext>(?:" + _IMAGE + r"|[^\[\]\n]|" + _WRAP + r")*+)\]\[(?:"
                 + "|".join(map(re.escape, sorted(labels, key=len, reverse=True))) + r")\])")
    return re.compile("|".join([_INLINE] + [_NUMBER] * numbered + [_TARGET] * addressed + [reference] * bool(labels)),
                      re.I | re.M)


def _around(whole: str, kept: str) -> str:
    """What a match took out around the text it keeps, spaces collapsed ("[[url][ ]]" of "[[url][Home]]")."""
    return " ".join(whole.replace(kept, " ", 1).split())


def _shows(pattern: re.Pattern, text: str, n: int) -> bool:
    """Whether text holds n matches of pattern or more (the search stops at the n-th)."""
    return sum(1 for _ in zip(range(n), pattern.finditer(text))) == n


def bracketed_addresses(text: str) -> bool:
    """Whether text writes its links' addresses in brackets after their text (_BRACKETED_ADDRESS), _MIN_ADDRESSES
    times or more."""
    return "[" in text and _shows(_ADDRESSES, text, _MIN_ADDRESSES)


def unlink(text: str, numbered: bool, addressed: bool = False) -> tuple[str, list[tuple[int, str]], list[tuple[int, int]]]:
    """text without its inline link markup: link numbers (when `numbered`), addresses in brackets after a link's
    text (when `addressed`), Markdown link destinations and reference links' labels, images and reference
    definitions; (line, what was taken out of it) for each line changed, counting the lines of the text returned
    (markup wrapped over lines goes with its line breaks; a line left with only spaces is blank); and (line of text
    where such markup ended, line breaks it took) for each."""
    if not (numbered or addressed or "](" in text or "]:" in text):
        return text, [], []
    labels = frozenset(label.lower() for label in _LABEL_DEFINED.findall(text)) if "]:" in text else frozenset()

    def pieces(m: re.Match) -> tuple[str, list[str]]:
        if addressed and m.group("target"):
            return "", [m.group().strip()]
        text = "reftext" if labels and m.group("reference") else "text" if m.group("link") else None
        if text is None:
            return "", [m.group()]
        # a link's text stays, without any image in it; its destination or label goes
        return (_MD_IMAGE.sub("", m.group(text)),
                _MD_IMAGE.findall(m.group(text)) + [m.group()[m.end(text) + 1 - m.start():]])

    return _taken_out(text, _inline_markup(numbered, addressed, labels).finditer(text), pieces)


def unlink_blocks(text: str) -> tuple[str, list[tuple[int, str]]]:
    """Markdown text without the markup of its links around blocks (their text stays, line for line); (line where
    such a link opened, what was taken out of it) for each."""
    if "](" not in text:
        return text, []
    out, taken, _ = _taken_out(text, _BLOCK_LINK.finditer(text),
                               lambda m: (m.group("text"), ["[", m.group()[m.end("text") - m.start():]]))
    return out, taken


# Links as wiki markup languages write them (pandoc's org, MediaWiki and AsciiDoc writers, note-taking exports):
# org's "[[url][text]]", MediaWiki's external "[url text]" and internal "[[page|text]]", AsciiDoc's "url[text]" and
# "link:path[text]" keep their text; an image or an address alone in double brackets (org's "[[logo.png]]",
# MediaWiki's "[[File:…]]") and AsciiDoc's "image:url[alt]" go. (A MediaWiki link's text holds no "/": a text
# browser's image address wrapped at a narrow width, "[https://cdn.example/wp- content/a.png]", is not one.) Taken
# out in a dump that shows _MIN_WIKI_LINKS or more of them (its tool's way of writing links, not a bracket in
# running text).
_WIKI_IMAGE = r"\[\[(?:(?:file|image):|[a-z][a-z0-9+.-]*://|/)[^\[\]\n]*\]\]"


def _wiki_text(chars: str) -> str:
    """A wiki link's text: `chars`, images and line breaks (a wrapped link)."""
    return r"(?:" + chars + "|" + _WRAP + "|" + _WIKI_IMAGE + r")*"


_WIKI_LINK = re.compile(
    r"\[\[[^\[\]\n]+\]\[(?P<org>" + _wiki_text(r"[^\[\]\n]") + r")\]\]"
    r"|\[(?:https?:|ftp:)?//[^\s\[\]]+(?:[ \t]+(?P<wiki>" + _wiki_text(r"[^\[\]\n/]") + r"))?\]"
    r"|(?<!\S)image::?[^\s\[\]]+\[[^\[\]\n]*\]"  # AsciiDoc's, from the start of a word (read once)
    r"|(?<!\S)(?:link:[^\s\[\]]+|(?:https?|ftp|mailto):[^\s\[\]]*)\[(?P<adoc>[^\[\]\n]*)\]"
    r"|" + _WIKI_IMAGE
    + r"|\[\[[^\[\]|\n]*\|(?P<piped>[^\[\]\n]+)\]\]", re.I)  # MediaWiki's internal "[[#anchor|text]]"
_WIKI_IMAGES = re.compile(_WIKI_IMAGE, re.I)
_MIN_WIKI_LINKS = 3


def unwiki(text: str) -> tuple[str, list[tuple[int, str]]]:
    """Text without the wiki markup of its links (_WIKI_LINK), their text kept line for line; (line where such a
    link opened, what was taken out of it) for each. Other dumps come back as they are."""
    if "[" not in text or not _shows(_WIKI_LINK, text, _MIN_WIKI_LINKS):
        return text, []

    def pieces(m: re.Match) -> tuple[str, list[str]]:
        shown = next((g for g in (m.group("org"), m.group("wiki"), m.group("adoc"), m.group("piped")) if g), "")
        kept = _WIKI_IMAGES.sub("", shown)
        return kept, [_around(m.group(), kept) if kept else m.group()]

    out, taken, _ = _taken_out(text, _WIKI_LINK.finditer(text), pieces)
    return out, taken


# reStructuredText as pandoc writes a page (`pandoc -t rst`): every div a ".. container::" directive, its classes as
# its argument (on the next line when long) and ":name:" / ":class:" options under it, a heading it cannot place as
# ".. rubric:: Heading", images as "|image1|" substitutions defined at the end (".. |image1| image:: url"), links as
# "`text <url>`__". In a dump with _MIN_DIRECTIVES directive lines or more, a directive goes to the first blank line
# after it (its argument, however many lines it takes, then its options), a rubric keeping its heading; a link keeps
# its text; a defined substitution goes where it is used. Lines keep their numbers (a directive's lines are left blank).
_RST_DIRECTIVE_LINE = re.compile(r"^[ \t]*\.\. (?:\|[^|\n]+\| )?[a-z][a-z0-9-]*::", re.M)
_MIN_DIRECTIVES = 3
_RST = re.compile(
    r"^[ \t]*\.\. (?:\|[^|\n]+\| )?(?P<name>[a-z][a-z0-9-]*)::[ \t]*(?P<arg>[^\n]*(?:\n[ \t]*[^\s:][^\n]*)*)"
    r"(?:\n[ \t]*:[a-z][a-z0-9_-]*:[^\n]*)*"  # a directive, its argument and its options
    r"|^[ \t]*(?:\.\. _[^:\n]+:|__)[ \t]+\S+[ \t]*$"  # a link target: ".. _label: url", "__ url"
    r"|`(?P<text>[^`<\n]*(?:\n[^`<\n]+)*?)[ \t\n]*<[^<>`\s]+>`__?"  # a link: "`text <url>`__"
    r"|`(?P<ref>[^`\n]+)`__?(?![\w`])", re.M | re.I)  # a reference to a link target: "`text`__"
_RST_SUBSTITUTION = re.compile(r"^[ \t]*\.\. \|([^|\n]+)\| ", re.M)
_HEADING_DIRECTIVES = frozenset({"rubric", "topic", "sidebar", "title"})


def unrst(text: str) -> tuple[str, list[tuple[int, str]]]:
    """pandoc's reStructuredText without its layout and link markup (_RST); (line, what went) for each line changed,
    lines keeping their numbers. Other dumps come back as they are."""
    if not _shows(_RST_DIRECTIVE_LINE, text, _MIN_DIRECTIVES):
        return text, []

    def pieces(m: re.Match) -> tuple[str, list[str]]:
        breaks = "\n" * m.group().count("\n")
        if m.group("text") is not None or m.group("ref") is not None:
            shown = m.group("text") if m.group("text") is not None else m.group("ref")
            return shown, [_around(m.group(), shown)]
        heading = m.group("arg") if (m.group("name") or "").lower() in _HEADING_DIRECTIVES else ""
        if heading.strip():  # the directive and its options go, the heading stays
            return " ".join(heading.split()) + breaks, [_around(m.group(), heading)]
        return breaks, [" ".join(m.group().split())]

    names = _RST_SUBSTITUTION.findall(text)
    out, taken, _ = _taken_out(text, _RST.finditer(text), pieces)
    if names:
        used = re.compile("|".join(re.escape(f"|{name}|") for name in sorted(set(names), key=len, reverse=True)))
        out, images, _ = _taken_out(out, used.finditer(out), lambda m: ("", [m.group()]))
        taken += images
    return out, taken


# org's layout as pandoc writes a page (`pandoc -t org`): a drawer of properties under every heading and div
# (":PROPERTIES:", ":CUSTOM_ID: …", ":CLASS: …", ":END:") and "#+begin_quote" / "#+end_quote" lines around blocks.
# In a dump with _MIN_ORG_LINES such lines or more, they go (lines keep their numbers, left blank).
_ORG_DRAWER_OR_BLOCK = re.compile(r"^[ \t]*:PROPERTIES:[ \t]*(?:\n[ \t]*:[A-Za-z0-9_+-]+:[^\n]*)*?\n[ \t]*:END:[ \t]*$"
                                  r"|^[ \t]*#\+(?:begin|end)_[a-z]+\b[^\n]*$", re.M | re.I)
_MIN_ORG_LINES = 3


def unorg(text: str) -> tuple[str, list[tuple[int, str]]]:
    """org text without its property drawers and block lines (_ORG_DRAWER_OR_BLOCK); (line, what went) for each,
    lines keeping their numbers. Other dumps come back as they are."""
    if ":END:" not in text and "#+" not in text:
        return text, []
    found = list(_ORG_DRAWER_OR_BLOCK.finditer(text))
    if sum(m.group().count("\n") + 1 for m in found) < _MIN_ORG_LINES:
        return text, []
    out, taken, _ = _taken_out(text, found, lambda m: ("\n" * m.group().count("\n"), [" ".join(m.group().split())]))
    return out, taken


# AsciiDoc as pandoc writes a page (`pandoc -t asciidoc`): an anchor line ("[[id]]") for every element with an id,
# and attribute references ("{blank}", "{empty}") where an element has no text. In a dump with _MIN_ANCHORS anchor
# lines or more, both go (lines keep their numbers, an anchor's left blank). An id starts with a letter, a digit or
# "_" and holds no space, colon, bar, "][" or "[[": org's and MediaWiki's links and images ("[[https://…][Home]]",
# "[[#h-1][Why]]", "[[/img/logo.png]]", "[[File:a.png|thumb]]") are no anchors.
_ADOC_ANCHOR_LINE = re.compile(r"^[ \t]*\[\[(?![^\s\]]*\]\[|\S*?\[\[)\w[^\s:|]*\]\][ \t]*$", re.M)
_ADOC_MARKUP = re.compile(_ADOC_ANCHOR_LINE.pattern + r"|\{(?:blank|empty)\}", re.M)
_MIN_ANCHORS = 3


def unadoc(text: str) -> tuple[str, list[tuple[int, str]]]:
    """AsciiDoc text without its anchor lines and empty attribute references (_ADOC_MARKUP); (line, what went) for
    each line changed, lines keeping their numbers. Other dumps come back as they are."""
    if "[[" not in text or not _shows(_ADOC_ANCHOR_LINE, text, _MIN_ANCHORS):
        return text, []
    out, taken, _ = _taken_out(text, _ADOC_MARKUP.finditer(text), lambda m: ("", [m.group().strip()]))
    return out, taken


def unfence(text: str) -> tuple[str, list[tuple[int, str]], list[tuple[int, int]]]:
    """pandoc's Markdown without its layout: div fences and attribute blocks (a bracketed span keeps its text); what
    was taken out and the line breaks it took, as unlink gives them. Other dumps come back as they are."""
    if len(_PANDOC_FENCE.findall(text)) < _MIN_FENCES:
        return text, [], []

    def pieces(m: re.Match) -> tuple[str, list[str]]:
        span = m.group("span")
        return (span, [m.group()[len(span) + 2:]]) if span is not None else ("", [m.group()])

    return _taken_out(text, _PANDOC.finditer(text), pieces)


def untag(text: str) -> tuple[str, list[tuple[int, str]], list[tuple[int, int]]]:
    """A dump made mostly of HTML tags (_MIN_TAG_SHARE), or an HTML fragment (a tag first and a tag last: an
    export's article body as markup), without its tags: what was taken out and the line breaks it took, as unlink
    gives them; a line left with only a list marker is blank too. Other dumps (text that shows some HTML code among its
    words too) come back as they are."""
    if "</" not in text:
        return text, [], []
    runs = list(_TAG_RUN.finditer(text))
    tagged = sum(len(m.group()) - m.group().count(" ") - m.group().count("\n") for m in runs)
    fragment = (bool(runs) and runs[0].start() == len(text) - len(text.lstrip())
                and runs[-1].end() == len(text.rstrip()))
    if not fragment and tagged < _MIN_TAG_SHARE * (len(text) - text.count(" ") - text.count("\n")):
        return text, [], []

    def pieces(m: re.Match) -> tuple[str, list[str]]:
        run = m.group()
        names = _TAG_NAME.findall(run)
        if run.count("\n") or any(name.lower() not in _INLINE_TAGS for _, name in names):
            kept = "\n" * max(1, run.count("\n"))
        else:  # inline elements only: a space between two of them
            closed = [i for i, (slash, _) in enumerate(names) if slash]
            kept = " " if closed and any(not slash for slash, _ in names[closed[0]:]) else ""
        return kept, [" ".join(run.split())]

    return _taken_out(text, runs, pieces, left_blank=_LIST_MARKER_ONLY)


def unescape(text: str) -> tuple[str, list[tuple[int, str]]]:
    """Markdown text without its backslash escapes and hard-break backslashes; (line, what went) for each line
    changed (lines keep their numbers)."""
    if "\\" not in text:
        return text, []
    out, taken, _ = _taken_out(text, _ESCAPE.finditer(text), lambda m: ("", [m.group()]))
    return out, taken


def _within(spans: list[tuple[int, int]]):
    """A test of whether the characters start:end overlap any of `spans` (in text order, apart)."""
    starts = [start for start, _ in spans]

    def overlaps(start: int, end: int) -> bool:
        i = bisect.bisect_left(starts, end) - 1  # the last span starting before `end`
        return i >= 0 and spans[i][1] > start

    return overlaps


def unemphasise(text: str) -> tuple[str, list[tuple[int, str]]]:
    """Markdown text with the words of its emphasis and without its delimiters ("**Storm** closes" -> "Storm
    closes"), code (fenced blocks, `spans`) as it is; (line, what went) for each line changed (lines keep their
    numbers)."""
    if "*" not in text and "_" not in text:
        return text, []
    in_code = _within([m.span() for m in _CODE.finditer(text)] if "`" in text or "~~~" in text else [])
    found = (m for m in _EMPHASIS.finditer(text) if not in_code(*m.span()))
    out, taken, _ = _taken_out(text, found, lambda m: (m.group("text"), [m.group("mark")] * 2))
    return out, taken


def unstar(text: str) -> tuple[str, list[tuple[int, str]], list[tuple[int, str]]]:
    """A dump by Debian's html2text with Markdown headings in place of its runs of stars and spaces back in place of
    the underscores of its underlined text (between two characters, outside addresses): (text, the stars taken out,
    the underscores taken out), by line (lines keep their numbers). Other dumps come back as they are."""
    if "*" not in text or len(_STAR_HEADING.findall(text)) < _MIN_STAR_HEADINGS:
        return text, [], []

    def heading(m: re.Match) -> tuple[str, list[str]]:
        mark = m.group("mark")
        return "#" * (7 - len(mark)) + " " + " ".join(m.group("text").split()), [mark, mark]

    text, stars, _ = _taken_out(text, _STAR_HEADING.finditer(text), heading)
    in_address = _within([m.span() for m in _ADDRESS.finditer(text) if "_" in m.group()])
    found = (m for m in _UNDERLINED.finditer(text) if not in_address(m.start(), m.start() + 1))
    text, underlines, _ = _taken_out(text, found, lambda m: (" ", ["_"]))
    return text, stars, underlines


def unsetext(text: str) -> tuple[str, list[tuple[int, str]]]:
    """Markdown with its underlined headings ("Title" over "=====") written as "# Title"; (line, underline) for
    each underline taken out (the underline's line is left blank: lines keep their numbers)."""
    if "===" not in text and "---" not in text:
        return text, []
    lines, taken = text.split("\n"), []
    blank = [not line.strip() for line in lines] + [True]  # past the end counts as blank
    for i in range(1, len(lines)):
        rule, heading = lines[i].strip(), lines[i - 1].strip()
        set_off = (i < 2 or blank[i - 2]) and blank[i + 1]
        if set_off and _underlines(rule, heading):
            lines[i - 1], lines[i] = SETEXT_LEVEL[rule[0]] + " " + heading, ""
            taken.append((i + 1, rule))
    return ("\n".join(lines), taken) if taken else (text, [])


# Headings as wiki markup writes them, at the start of a line: MediaWiki's "== Title ==", AsciiDoc's "== Title", org's
# "** Title"; in a dump with _MIN_WIKI_HEADINGS of one form or more (org's only where its drawers showed it is org),
# they become Markdown's ("## Title"), which the title picker knows.
_WIKI_HEADINGS = {
    "mediawiki": re.compile(r"^(?P<mark>={1,6}) (?P<text>\S(?:[^\n]*\S)?) (?P=mark)[ \t]*$", re.M),
    # AsciiDoc's marks stand on one side only: its headings are set off by blank lines, unlike a line of code
    "asciidoc": re.compile(r"(?:\A|(?<=\n\n))(?P<mark>={1,6}) (?P<text>\S[^\n]*?)[ \t]*(?=\n[ \t]*\n|\n?\Z)"),
    "org": re.compile(r"^(?P<mark>\*{1,6}) (?P<text>\S[^\n]*?)[ \t]*$", re.M),
}
_MIN_WIKI_HEADINGS = 2


def unwiki_headings(text: str, org: bool) -> tuple[str, list[tuple[int, str]]]:
    """Text with the headings of the first wiki form it shows (_WIKI_HEADINGS) written as Markdown's; (line, marks
    taken out) for each, lines keeping their numbers. `org`: the dump is org (unorg took its drawers out)."""
    def heading(m: re.Match) -> tuple[str, list[str]]:
        return "#" * len(m.group("mark")) + " " + m.group("text"), [_around(m.group(), m.group("text"))]

    for form, pattern in _WIKI_HEADINGS.items():
        if (form != "org" or org) and _shows(pattern, text, _MIN_WIKI_HEADINGS):
            out, taken, _ = _taken_out(text, pattern.finditer(text), heading)
            return out, taken
    return text, []


def _underlines(rule: str, heading: str) -> bool:
    """Whether rule (a stripped line) is a run of "=" or "-" about as long as heading, which is text, not a rule."""
    return (len(rule) >= 3 and rule[0] in SETEXT_LEVEL and not rule.strip(rule[0]) and bool(heading.strip("=-"))
            and abs(len(rule) - len(heading)) <= _UNDERLINE_SLACK)


# A page's scripts, styles and data blobs, which a flattener that joins every text node (lxml's text_content(), a
# walk of the tree's text) writes like its text: a Next.js or CMS page's JSON state holds the whole article again, on
# one line, and the cleaner took that line for the page's body. A line of CODE_LINE_CHARS or more is such text when
# CODE_SHARE of its characters or more are ASCII punctuation (prose: a few in a hundred; minified scripts, styles and
# JSON: a fifth or more), not counting the characters of rules, borders and blanks ("=====" under a heading a
# converter joined to it, a table's "+----+", a form field's "____") and fewer than SPACE_SHARE of them are spaces
# (minified code and data; code shown on a page, which a flattener may also write on one line, keeps its spaces:
# 0.13-0.19 of it on the WCXB pages' such lines), or when it is a JSON object or array; a Markdown table's row,
# however long, is not. Measured by `python bench/script_lines.py` on the
# WCXB development pages' own scripts and visible text (README, *Clean*).
SCRIPT_TEXT = "script_text"
CODE_LINE_CHARS = 500
CODE_SHARE = 0.1
SPACE_SHARE = 0.12
_CODE_CHARS = re.compile("[" + re.escape("".join(sorted(set(string.punctuation) - set("-_=+|~*#")))) + "]")


def is_code(line: str) -> bool:
    """Whether a line is script, style or data text (see CODE_LINE_CHARS)."""
    s = line.strip()
    if len(s) < CODE_LINE_CHARS or s[0] == "|":  # "|": a Markdown table's row (a converter writes a table on one line)
        return False
    if len(_CODE_CHARS.findall(s)) >= CODE_SHARE * len(s) and s.count(" ") < SPACE_SHARE * len(s):
        return True
    try:
        return s[0] in "{[" and isinstance(read_json(s.rstrip(";")), (dict, list))
    except ValueError:  # not JSON (or nested too deeply to read)
        return False


def unscript(text: str) -> tuple[str, list[tuple[int, str]]]:
    """text with its lines of script, style or data text left blank (lines keep their numbers); (line, its text) for
    each."""
    lines = text.split("\n")
    taken = [(no, line.strip()) for no, line in enumerate(lines, start=1) if is_code(line)]
    if not taken:
        return text, []
    for no, _ in taken:
        lines[no - 1] = ""
    return "\n".join(lines), taken


def _taken_out(text: str, found, pieces, left_blank: re.Pattern = _SPACES_ONLY
               ) -> tuple[str, list[tuple[int, str]], list[tuple[int, int]]]:
    """text with each match of `found` (in order) replaced by the part of it that stays, pieces(match) giving that
    part and what goes; (line, what was taken out of it) for each line changed, counting the lines of the text
    returned (what goes takes its line breaks with it; a changed line left with only what `left_blank` matches,
    spaces by default, is blank); and (line of text where a match ended, line breaks it took) for each match that
    took some."""
    out: list[str] = []
    taken: dict[int, list[str]] = {}
    moved: list[tuple[int, int]] = []
    pos = line = read = 0  # line: the line breaks in out so far; read: in text up to pos
    for m in found:
        kept, gone = pieces(m)
        out += (text[pos:m.start()], kept)
        before = text.count("\n", pos, m.start())
        line, read = line + before, read + before + m.group().count("\n")
        taken.setdefault(line + 1, []).extend(gone)
        line += kept.count("\n")
        if m.group().count("\n") > kept.count("\n"):
            moved.append((read + 1, m.group().count("\n") - kept.count("\n")))
        pos = m.end()
    if not taken:
        return text, [], []
    lines = "".join(out + [text[pos:]]).split("\n")
    for no in taken:
        if left_blank.fullmatch(lines[no - 1]):
            lines[no - 1] = ""
    return "\n".join(lines), [(no, " ".join(gone)) for no, gone in taken.items()], moved


def prepare_dump(text: str, join_wrapped: bool = True, link_markup: bool = True) -> tuple[str, list[RemovedSpan]]:
    """A text dump as the cleaner reads it: its references list cut and its markup taken out (when link_markup:
    HTML tags where the dump is mostly tags, pandoc's layout, Debian's html2text's and underlined headings, then,
    once its hard-wrapped paragraphs are joined (clean/reflow.py, when join_wrapped), inline links, then lines of
    script, style or data text); and what was taken out, as spans whose line numbers count the lines of the text
    returned (the references list: the line after its last). Tags and layout go before the reflow: a converter wraps them like text but never breaks an
    attribute's value, so left in, their long lines hide the width it wrapped at. A dump that lost its line breaks
    gets them back first (reflow.split_lost_breaks, when join_wrapped)."""
    if join_wrapped:
        text = split_lost_breaks(text)
    body, references = cut_references(text) if link_markup else (text, None)
    tags, layout, stars, setext, underlines = [], [], [], [], []
    if link_markup:
        body, tags, _ = untag(body)
        body, layout, unfenced = unfence(body)
        unfenced_past = _past(unfenced)
        tags = [(unfenced_past(no), gone) for no, gone in tags]
        body, rst = unrst(body)  # line for line
        body, org = unorg(body)  # line for line
        body, adoc = unadoc(body)  # line for line
        body, wiki_headings = unwiki_headings(body, bool(org))  # line for line
        layout += rst + org + adoc + wiki_headings
        body, stars, underlines = unstar(body)
        body, setext = unsetext(body)
    went = None
    if join_wrapped:
        body, went = reflow_lines(body)
    if not link_markup:
        return body, []
    body, taken, unlinked = unlink(body, numbered_links(body, references is not None), bracketed_addresses(body))
    body, blocks = unlink_blocks(body)
    body, wiki = unwiki(body)
    taken += blocks + wiki
    body, code = unscript(body)  # once link markup is out: a paragraph's links are brackets and parentheses too
    # Markdown: pandoc's layout went, or some Markdown link markup did (not only a text browser's link numbers or
    # addresses in brackets), or it has headings ("# ", two at least: one can be a hashtag or a code comment)
    markdown = (bool(layout) or any(not _NOT_MARKDOWN.fullmatch(gone) for _, gone in taken)
                or len(_ATX_HEADINGS.findall(body)) >= 2)
    body, emphasis = unemphasise(body) if markdown else (body, [])
    body, escapes = unescape(body) if markdown else (body, [])

    unlinked_past = _past(unlinked)

    def final(no: int) -> int:  # a line before the reflow as a line of the text returned
        return unlinked_past(went[no - 1] if went else no)

    spans = sorted([RemovedSpan(gone, HTML_MARKUP, final(no)) for no, gone in tags]
                   + [RemovedSpan(gone, LAYOUT_MARKUP, final(no)) for no, gone in layout + stars + setext]
                   + [RemovedSpan(gone, UNDERLINE, final(no)) for no, gone in underlines]
                   + [RemovedSpan(gone, SCRIPT_TEXT, no) for no, gone in code]
                   + [RemovedSpan(gone, LINK_MARKUP, no) for no, gone in taken]
                   + [RemovedSpan(gone, MARKDOWN_EMPHASIS, no) for no, gone in emphasis]
                   + [RemovedSpan(gone, MARKDOWN_ESCAPE, no) for no, gone in escapes], key=lambda span: span.line)
    if references is not None:
        spans.append(RemovedSpan(references, LINK_REFERENCES, body.count("\n") + 1 + (not body.endswith("\n"))))
    return body, spans


def _past(moved: list[tuple[int, int]]):
    """The function giving line `no` of a step's input as a line of its output, the step having taken `moved` line
    breaks with it ((line where markup ended, line breaks it took), in text order, as _taken_out gives them): a
    search of their running total, not a sum for each line (a dump of tens of thousands of tags)."""
    ends, taken = [end for end, _ in moved], list(accumulate(k for _, k in moved))

    def past(no: int) -> int:
        i = bisect.bisect_right(ends, no)
        return no - (taken[i - 1] if i else 0)

    return past


def reader_header(text: str) -> tuple[str, dict[str, str], list[RemovedSpan]]:
    """A reader service's header ("Title: …", "URL Source: …", "Published Time: …", then "Markdown Content:") read
    off the dump: (the dump with the header's lines left blank, so the lines keep their numbers; the metadata
    given, by Document field: title, url, published; the header's lines as spans, reason "meta"). (text, {}, [])
    for a dump without such a header."""
    head, found, _ = text[:_READER_HEADER_MAX].partition(_READER_BODY)
    if not found:
        return text, {}, []
    fields, spans = {}, []
    for no, line in enumerate(head.split("\n"), start=1):
        if line.strip():
            m = _READER_FIELD.match(line)
            if not m:
                return text, {}, []
            fields[m.group(1)] = m.group(2)
            spans.append(RemovedSpan(line, "meta", no))
    if not ("Title" in fields or "URL Source" in fields):
        return text, {}, []
    lines = head.count("\n") + 2  # the header and the "Markdown Content:" line
    spans.append(RemovedSpan(_READER_BODY.strip(), "meta", lines))
    metadata = {_READER_METADATA[k]: v for k, v in fields.items() if v and k in _READER_METADATA}
    return "\n" * lines + text[len(head) + len(_READER_BODY):], metadata, spans


def front_matter(text: str) -> tuple[str, dict[str, str], list[RemovedSpan]]:
    """A Markdown file's YAML front matter read off: (the text with its lines left blank, so lines keep their
    numbers; the metadata found, by Document field: title, url, published, author, source; its lines as spans,
    reason "meta"). (text, {}, []) when the text opens with no front matter, or with one that is no YAML mapping
    holding any of those fields, or one PyYAML cannot read (a dump that opens with a rule line stays as it is)."""
    m = _FRONT_MATTER.match(text[:_FRONT_MATTER_MAX])
    if not m:
        return text, {}, []
    try:
        data = yaml.load(m.group("yaml"), Loader=_YAML_LOADER)  # noqa: S506 (a safe loader)
    except (yaml.YAMLError, ValueError, RecursionError):
        return text, {}, []  # no YAML, a date no calendar has ("2025-13-45"), nesting past the stack ("[[[[…")
    if not isinstance(data, dict):
        return text, {}, []
    given: dict = {}
    for key, value in sorted(data.items(), key=lambda item: str(item[0]).lower().startswith(_META_PREFIX)):
        given.setdefault(str(key).lower().removeprefix(_META_PREFIX), value)  # a plain name wins over a "meta-" one
    fields = {}
    for field, names in FRONT_MATTER_FIELDS.items():
        values = (_plain(given.get(n)) for n in names)
        value = next((v for v in values if v and _fits(field, v)), None)
        if value:
            fields[field] = value
    if not fields:
        return text, {}, []
    block = m.group()
    if "title" in fields:  # as the page writes it: the body's first "#" heading holding only words of the title
        h1s = (h.group(1) for h in _MARKDOWN_H1.finditer(text, len(block), _FRONT_MATTER_MAX))
        fields["title"] = headline(fields["title"], fields.get("source"), h1s)
    spans = [RemovedSpan(line, "meta", no) for no, line in enumerate(block.split("\n"), start=1) if line.strip()]
    return "\n" * block.count("\n") + text[len(block):], fields, spans


def _fits(field: str, value: str) -> bool:
    """Whether a front-matter value can be that field: a URL must be a web address, an author must not be one (a
    page's article:author is often its author page), a date must be one newsclean reads (else the date the cleaner
    finds in the text is kept)."""
    web = value.startswith(("http://", "https://"))
    if field == "published":
        return find_date(value) is not None
    return web if field == "url" else not web if field == "author" else True


def _plain(value) -> str | None:
    """A front-matter value as one line of text: a list's items joined by commas (lists inside it are not read:
    YAML's aliases could nest them without end), a date as ISO, wiki-links as their names; None for nothing or a
    mapping."""
    if isinstance(value, (list, tuple)):
        value = ", ".join(filter(None, (_plain(v) for v in value if not isinstance(v, (list, tuple)))))
    elif isinstance(value, (dict, bool)) or value is None:
        return None
    elif hasattr(value, "isoformat"):
        value = value.isoformat()
    value = " ".join(_WIKILINK.sub(r"\1", str(value)).split())
    return value or None
