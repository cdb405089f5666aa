"""HTML -> text and metadata: one parse per page, the kind of page recognised on that tree, trafilatura run on it
with the settings that fit the kind (resiliparse's main-content text for collections, the page's main region
without its navigation landmarks for forums, listings, service pages and documentation), the metadata the page
declares (extract/meta.py) and its visible lines taken from the same tree; or, in fast mode, resiliparse's
extraction for every page."""
from __future__ import annotations

import logging
import re
import threading
import unicodedata
from dataclasses import dataclass, replace

import ftfy.badness
import lxml.html
from lxml import etree

import trafilatura

from newsclean.document import Document, RemovedSpan
from newsclean.extract.kinds import page_kind
from newsclean.extract.meta import declared, page_metadata
from newsclean.extract.visible import main_text, visible_text
from newsclean.readers.encoding import repair
from newsclean.text import headline

logging.getLogger("trafilatura").setLevel(logging.ERROR)
logging.getLogger("htmldate").setLevel(logging.ERROR)


MAX_BLOB_CHARS = 65_536
_HUGE_ATTRIBUTE = re.compile(r"""=\s*(?:"[^"<]{%d,}"|'[^'<]{%d,}'|[^\s"'=<>`]{%d,})""" % ((MAX_BLOB_CHARS,) * 3))
_QUOTED_VALUE = re.compile(r"""=\s*(?:"[^"]*"|'[^']*')""")
_TAG_NAME = re.compile(r"[^\s/>]+")
# libxml2 and lexbor compare each attribute of a tag with the others: 1,000 attributes parse in about a millisecond,
# 100,000 (one 1.1 MB tag) took 12 and 18 s
MANY_ATTRIBUTES = 1_000
_BLOCK_TAGS = ("script", "style", "template", "svg")
_BLOCK_START = re.compile(f"<({'|'.join(_BLOCK_TAGS)})\\b|<!--", re.I)
_BLOCK_END = {tag: re.compile(f"</{tag}", re.I) for tag in _BLOCK_TAGS}


def _huge_blocks(html: str) -> list[tuple[int, int, int, int]]:
    """(start, end, content start, content end) of each inline script, style, template, SVG or comment longer
    than MAX_BLOB_CHARS; the content span of a comment is its whole span (it goes entirely)."""
    found, pos = [], 0
    while m := _BLOCK_START.search(html, pos):
        if m.group(1) is None:
            end = html.find("-->", m.end())
            if end < 0:
                break
            end += 3
            if end - m.start() > MAX_BLOB_CHARS:
                found.append((m.start(), end, m.start(), end))
        else:
            opened = html.find(">", m.end())
            closing = _BLOCK_END[m.group(1).lower()].search(html, opened) if opened >= 0 else None
            close = closing.start() if closing else -1
            end = html.find(">", close) + 1 if close >= 0 else 0
            if not end:
                pos = m.end()
                continue
            if end - m.start() > MAX_BLOB_CHARS:
                found.append((m.start(), end, opened + 1, close))
        pos = end
    return found


def _long_run(html: str) -> bool:
    """Whether html has more than MAX_BLOB_CHARS characters in a row without "<" (what a value or a tag that long
    needs). Such a run holds one of the windows of half that length that start at its multiples: only those windows
    are searched, and around the ones without "<", the run."""
    step = MAX_BLOB_CHARS // 2
    for start in range(0, len(html), step):
        if html.find("<", start, start + step) < 0:
            end = html.find("<", start)
            if (end if end >= 0 else len(html)) - html.rfind("<", 0, start) - 1 > MAX_BLOB_CHARS:
                return True
    return False


def _uncrowded(html: str) -> str:
    """The page with each tag longer than MAX_BLOB_CHARS that holds more than MANY_ATTRIBUTES attributes (their
    quoted values aside) as its name alone. A shorter tag holds some ten thousand attributes at most (a fifth of a
    second to parse); a long one with few attributes, a hidden element's serialised state, stays."""
    pieces = html.split("<")
    crowded = False
    for i, piece in enumerate(pieces):
        end = piece.find(">") if len(piece) > MAX_BLOB_CHARS and piece[:1].isalpha() else -1
        if end > MAX_BLOB_CHARS and len(_QUOTED_VALUE.sub("=", piece[:end]).split()) - 1 > MANY_ATTRIBUTES:
            pieces[i] = _TAG_NAME.match(piece).group() + piece[end:]
            crowded = True
    return "<".join(pieces) if crowded else html


def cap_tags(html: str) -> str:
    """The page with each tag of more than MANY_ATTRIBUTES attributes as its name alone (the fast mode's capping:
    lexbor takes blobs of any length)."""
    return _uncrowded(html) if _long_run(html) else html


def cap_markup(html: str) -> str:
    """Empty attribute values (data: URIs, serialised app state), inline scripts, styles, SVGs and comments longer
    than MAX_BLOB_CHARS: lxml drops a whole page holding a 10 MB one, and they never hold article text; and tags of
    more than MANY_ATTRIBUTES attributes as their name alone (cap_tags)."""
    if len(html) <= MAX_BLOB_CHARS:
        return html
    if _long_run(html):
        html = _HUGE_ATTRIBUTE.sub('=""', _uncrowded(html))
    blocks = _huge_blocks(html)
    if not blocks:
        return html
    out, pos = [], 0
    for start, end, inner_start, inner_end in blocks:
        out.append(html[pos:inner_start])
        pos = inner_end if inner_start > start else end
    out.append(html[pos:])
    return "".join(out)


# lxml.html's parser asks a Python function which class each element it hands out belongs to (form fields get
# classes of their own): ~7 million calls over 1,032 pages, 6-7 % of the HTML path's CPU. This one gives every
# element HtmlElement without leaving C; nothing here or in trafilatura uses the form fields' classes. Comments and
# processing instructions are dropped at parse time, as trafilatura's own parser does. One parser a thread: lxml
# parses without holding the GIL, and a parser shared by threads (the run's threads, `--workers 0`) corrupted
# memory ("double free or corruption", 2026-12-07); lxml's FAQ asks for one parser per thread.
_PARSERS = threading.local()


def _parser() -> lxml.html.HTMLParser:
    """This thread's parser."""
    parser = getattr(_PARSERS, "parser", None)
    if parser is None:
        parser = lxml.html.HTMLParser(collect_ids=False, default_doctype=False, encoding="utf-8", remove_comments=True,
                                      remove_pis=True)
        parser.set_element_class_lookup(etree.ElementDefaultClassLookup(
            element=lxml.html.HtmlElement, comment=lxml.html.HtmlComment, pi=lxml.html.HtmlProcessingInstruction,
            entity=lxml.html.HtmlEntity))
        _PARSERS.parser = parser
    return parser


# Characters libxml2 refuses: the C0 controls but tab and line ends, and U+FFFE and U+FFFF (as UTF-8 bytes).
_NOT_IN_XML = bytes(range(9)) + b"\x0b\x0c" + bytes(range(14, 32))
_NOT_IN_XML_WIDE = (b"\xef\xbf\xbe", b"\xef\xbf\xbf")
# A doctype with a "/" in it (a DTD's address) on the page's first line: libxml2 can lose the page after it
# (lxml bug 1955915), so it goes; and "<html .../>", which would close the page at its start, is opened instead.
_DOCTYPE_WITH_ADDRESS = re.compile(r"^< ?! ?DOCTYPE[^>]*/[^<>]*>", re.I)
_SELF_CLOSED_HTML = re.compile(r"(<html.*?)\s*/>", re.I)


def _xml_bytes(html: str) -> bytes:
    """The page as UTF-8 bytes for the parser (lxml takes a str declaring an XML encoding as bytes only), without
    the characters libxml2 refuses; lone surrogates pass as their bytes."""
    data = html.encode("utf-8", "surrogatepass").translate(None, _NOT_IN_XML)
    if b"\xef\xbf" in data:
        for wide in _NOT_IN_XML_WIDE:
            data = data.replace(wide, b"")
    return data


def parse_html(html: str):
    """A page's tree (lxml.html elements), or None when the text holds no page: a text without "html" in its first
    50 characters must parse into at least two elements (head and body) to count as one."""
    start = html[:50].lower()
    if "doctype" in start:
        first, _, rest = html.partition("\n")
        html = _DOCTYPE_WITH_ADDRESS.sub("", first, count=1) + "\n" + rest
    for line in html[:4096].splitlines()[:4]:
        if "<html" in line and line.endswith("/>"):
            html = _SELF_CLOSED_HTML.sub(r"\1>", html, count=1)
            break
    try:
        tree = lxml.html.fromstring(_xml_bytes(html), parser=_parser())
    except (ValueError, etree.LxmlError):
        return None
    if tree is None or ("html" not in start and len(tree) < 2):
        return None
    return tree


@dataclass(frozen=True, slots=True)
class KindSettings:
    """How one kind of page is extracted. source: where the text comes from: trafilatura (with favor_precision,
    favor_recall, include_comments; its quick pass, or its full pass with readability and jusText compared when
    full_pass), resiliparse's main-content text, or the page's main region (extract/visible.py main_text: its
    <main> element, else its body, without navigation landmarks). The quick pass is redone as trafilatura's full
    pass when it keeps fewer words than retry_share of the page's visible words (unless retry is off); the retry is
    the full pass with the kind's own options, in place of the quick pass (retry_own), or with trafilatura's
    defaults and comments, kept when longer; with retry_other, only where the quick pass also keeps fewer words than
    that share of resiliparse's main content, and with take_other as well, resiliparse's text replaces the retry's
    where the retry too keeps fewer words than that share of it. text_pass: what follows: "chrome" (the lines the
    line rules mark as chrome wherever they stand), "rules" (the text-dump cleaner without its body search: the
    text is already the body) or "full" (the whole text-dump cleaner, as for a dump). dated_text: whether the page's
    visible text is searched for the date where its markup names none (dated writing only; on WCXB's product,
    collection, listing, documentation and service pages it gives more pages a date, and none of them a right one
    more)."""

    source: str = "trafilatura"  # "trafilatura", "resiliparse" or "main"
    favor_precision: bool = False
    favor_recall: bool = False
    include_comments: bool = False
    full_pass: bool = False
    retry_share: float = 0.2
    retry: bool = True  # whether the quick pass is redone at all (kept or dropped per kind out of fold)
    retry_own: bool = False
    retry_other: float = 0.0  # and below this share of resiliparse's main-content words (0: not asked)
    take_other: bool = False  # resiliparse's text where the retry too keeps under retry_other of its words
    text_pass: str = "chrome"  # "chrome", "rules" or "full"
    dated_text: bool = False  # the first date of the visible text where the markup names none: dated writing only


# Chosen per kind on the WCXB development pages by cross-validation grouped by domain (bench/train_page_kind.py
# settings; README, HTML extraction). Whether a kind's quick pass is redone at all (retry) was chosen the same way
# later, on the whole path's output (bench/train_page_kind.py retries, 2026-12-07): product, collection, listing and
# service pages no longer retry (their retry's full pass cost a third to two thirds of their CPU, and the page's
# visible text cleaned as a dump, the fallback, now covers what it found). The main region (forums, listings,
# service pages, documentation) was chosen the same way again, on the whole path's output (bench/train_page_kind.py
# regions, 2026-12-07, stop 39): every fold picked it for listings, documentation and service pages, four of five
# for forums; on every page listings and documentation score best with chrome lines out only. Articles ask
# resiliparse's main content before redoing the quick pass (retry_other, bench/train_page_kind.py second-opinion,
# stop 40): of 230 articles' retries over the WCXB and Scrapinghub pages, 167 gave the quick pass's text back; and
# take resiliparse's text where the retry too keeps under 0.6 of its words (take_other, bench/train_page_kind.py
# take-other, stop 42: every fold's pick).
KIND_SETTINGS: dict[str, KindSettings] = {
    # articles keep the precision news needs (recall with the quick pass: Scrapinghub 0.959 against 0.965); the full
    # pass, readability and jusText beside trafilatura's own extraction, costs nearly as much again and takes
    # readability's text only where it is twice trafilatura's: below 0.4 of the visible words (README, HTML extraction)
    "article": KindSettings(favor_precision=True, retry_share=0.4, retry_own=True, retry_other=0.6, take_other=True,
                            text_pass="rules", dated_text=True),
    "product": KindSettings(favor_recall=True, include_comments=True, retry_share=0.5, retry=False, text_pass="rules"),
    # collections: resiliparse keeps their items better (each fold's pick)
    "collection": KindSettings(source="resiliparse", retry_share=0.5, retry=False, text_pass="rules"),
    # a forum's posts and a service page's sections: the page's main region cleaned as a dump (menus, teasers and
    # calls to action left in it go as they would from a dump); a listing's entries and documentation: the main
    # region as it is, but for chrome lines
    "forum": KindSettings(source="main", retry=False, text_pass="full", dated_text=True),
    "listing": KindSettings(source="main", retry=False),
    "documentation": KindSettings(source="main", retry=False),
    "service": KindSettings(source="main", retry=False, text_pass="full"),
}


@dataclass(frozen=True, slots=True)
class HtmlConfig:
    """Extraction settings. With page_kinds each recognised kind of page gets its KIND_SETTINGS; without, every page
    gets the trafilatura options below and the text pass. fast: resiliparse's main-content extraction instead of
    trafilatura."""

    include_comments: bool = False
    include_tables: bool = True
    favor_precision: bool = True
    favor_recall: bool = False
    full_pass: bool = False
    retry_share: float = 0.2
    page_kinds: bool = True
    fast: bool = False
    fallback_below_words: int = 200  # extractions shorter than this are compared with the visible page...
    fallback_ratio: float = 0.2  # ...and replaced by its dump cleaning when they hold less than this share of it


@dataclass(slots=True)
class Extraction:
    """A page extracted: the document (text, metadata, page kind), its visible text one block a line, and the text
    pass that should follow (KindSettings.text_pass)."""

    doc: Document
    visible: str
    text_pass: str = "rules"  # KindSettings.text_pass


# UTF-8 read as Latin-1 or cp1252: a lead byte (Â..ô) then a continuation byte (U+0080..U+00BF or cp1252's
# characters at 0x80..0x9F). ftfy's own detector, far slower, runs only where this finds a candidate.
_MOJIBAKE_HINT = re.compile("[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192"
                            "\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]")


def fix_text(text: str, visible: str = "") -> tuple[str, str]:
    """Extracted text (and the page's visible text) with mojibake repaired by ftfy, as the readers configure it,
    when ftfy's detector sees mojibake in the extracted text; otherwise only NFC-normalised, which is all ftfy
    changes in the text of a correctly decoded page (ASCII text still goes through ftfy: it costs nothing)."""
    if not text.isascii() and _MOJIBAKE_HINT.search(text) and ftfy.badness.is_bad(text):
        return repair(text), repair(visible)
    nfc = unicodedata.normalize
    return (repair(text) if text.isascii() else nfc("NFC", text)), (visible if visible.isascii() else nfc("NFC", visible))


def _lang(tree) -> str:
    return str(tree.get("lang", "") or "").split("-")[0].split("_")[0].strip().lower()


def _settings(config: HtmlConfig, kind: str | None) -> KindSettings:
    if kind is not None:
        return KIND_SETTINGS.get(kind, KIND_SETTINGS["article"])
    return KindSettings(favor_precision=config.favor_precision, favor_recall=config.favor_recall,
                        include_comments=config.include_comments, full_pass=config.full_pass,
                        retry_share=config.retry_share, text_pass="rules", dated_text=True)


def extract_page(doc: Document, config: HtmlConfig = HtmlConfig()) -> Extraction:
    """Parse the document's HTML once; from that tree take the kind of page, the text (trafilatura, resiliparse or
    the main region, with the kind's settings), the metadata and language it declares and its visible lines.
    Mojibake is repaired (ftfy) on what is extracted, not on the markup."""
    if config.fast:
        return _extract_fast(doc, config)
    html = doc.html or ""
    tree = parse_html(html) if html.strip() else None
    visible = visible_text(tree) if tree is not None else ""
    if _MOJIBAKE_HINT.search(visible) and ftfy.badness.is_bad(visible):
        # a page saved with mojibake in its text: the markup repaired before trafilatura trims what ftfy needs (the
        # visible text is a tenth of the markup to search; on the 2,529 pages measured, the same texts and titles as
        # searching the whole markup)
        html = repair(html)
        tree = parse_html(html)
        visible = visible_text(tree) if tree is not None else ""
    if tree is None:
        return Extraction(replace(doc, html=None, text=""), "")
    page = declared(tree)  # read once for the kind's features and the metadata
    address = doc.url or page.address
    kind = doc.page_kind or (page_kind(tree, address, visible, page) if config.page_kinds else None)
    settings = _settings(config, kind)
    meta = page_metadata(tree, address, visible if settings.dated_text else None, page)
    if settings.source == "resiliparse":
        text = _resiliparse_text(html)
    elif settings.source == "main":
        text = main_text(tree)
    else:
        text = _trafilatura(tree, doc.url, settings.favor_precision, settings.favor_recall, settings.include_comments,
                            config.include_tables, fast=not settings.full_pass)
    if _short(text, visible, settings):
        # a second extractor's view: where resiliparse's main content is about as short as the quick pass, the full
        # pass's comparison with readability and jusText nearly always keeps the quick pass's text, at twice its cost
        other = _resiliparse_text(html) if settings.retry_other else ""
        if not settings.retry_other or _under(text, other, settings.retry_other):
            # the quick pass kept little of the page: trafilatura's full pass (readability and jusText compared)
            if settings.retry_own:
                text = _trafilatura(tree, doc.url, settings.favor_precision, settings.favor_recall,
                                    settings.include_comments, config.include_tables, fast=False)
            else:
                retried = _trafilatura(tree, doc.url, False, False, True, config.include_tables, fast=False)
                if len(retried.split()) > len(text.split()):
                    text = retried
            if settings.take_other and _under(text, other, settings.retry_other):
                text = other  # the full pass also missed most of what resiliparse found: resiliparse's text
    text, visible = fix_text(text, visible)
    return Extraction(_with_metadata(doc, text, kind, meta, _lang(tree) or None), visible, settings.text_pass)


def _short(text: str, visible: str, settings: KindSettings) -> bool:
    """Whether the quick pass kept so little that trafilatura's full pass may have to redo it: fewer words than
    retry_share of the page's visible words."""
    if not settings.retry or settings.full_pass:
        return False
    return _under(text, visible, settings.retry_share)


def _under(text: str, other: str, share: float) -> bool:
    """Whether text holds fewer words than `share` of other's."""
    return len(text.split()) < share * len(other.split())


def _trafilatura(tree, url: str | None, precision: bool, recall: bool, comments: bool, tables: bool,
                 fast: bool) -> str:
    """trafilatura's text of a parsed page (it works on a copy), with the comments, when asked, after it."""
    result = trafilatura.bare_extraction(tree, url=url, with_metadata=False, include_comments=comments,
                                         include_tables=tables, favor_precision=precision, favor_recall=recall,
                                         fast=fast)
    if result is None:  # too little text for trafilatura to answer
        return ""
    text = (result.text or "").strip()
    if comments and result.comments:
        text = (text + "\n" + result.comments.strip()).strip()
    return text


_RESILIPARSE_OPTIONS = dict(alt_texts=False, links=False, form_fields=False, noscript=False)


def _resiliparse_text(html: str) -> str:
    """resiliparse's main-content text of a page (the fast mode's extraction)."""
    from resiliparse.extract.html2text import extract_plain_text
    from resiliparse.parse.html import HTMLTree

    return extract_plain_text(HTMLTree.parse(html), main_content=True, **_RESILIPARSE_OPTIONS).strip()


def _fix(value: str | None) -> str | None:
    return fix_text(value)[0] if value else value


def _with_metadata(doc: Document, text: str, kind: str | None, meta: dict, lang: str | None) -> Document:
    """The document with its extracted text and the metadata found, what it already had winning; a first line
    repeating the title is moved to the title."""
    title = doc.title or _fix(meta.get("title"))
    removed = list(doc.removed)
    first, _, rest = text.partition("\n")
    if title and first.strip() and " ".join(first.split()).casefold() == " ".join(title.split()).casefold():
        removed.append(RemovedSpan(text=first, reason="title", line=1))  # the headline, kept as `title`
        text = rest.strip()
    return replace(
        doc,
        html=None,
        removed=removed,
        text=text,
        title=title,
        published=doc.published or meta.get("date"),
        source=doc.source or _fix(meta.get("sitename")) or meta.get("hostname"),
        author=doc.author or _fix(meta.get("author")),
        url=doc.url or meta.get("url"),
        language=doc.language or meta.get("language") or lang,
        page_kind=kind,
    )


_DATE_META = ("article:published_time", "datePublished", "date", "pubdate", "publishdate", "dc.date",
              "dc.date.issued", "sailthru.date", "parsely-pub-date", "og:published_time")


def _extract_fast(doc: Document, config: HtmlConfig) -> Extraction:
    """resiliparse (lexbor): its main-content text, and the page's visible text where that is short (the pipeline
    then weighs the dump-cleaning fallback, as for the full path); title, date, site name and author from the page
    head's meta tags (selectolax over the head's markup alone). Other pages' left-out lines are not recorded (they
    cost a quarter of the time)."""
    from resiliparse.extract.html2text import extract_plain_text
    from resiliparse.parse.html import HTMLTree
    from selectolax.lexbor import LexborHTMLParser

    tree = HTMLTree.parse(doc.html or "")
    text = extract_plain_text(tree, main_content=True, **_RESILIPARSE_OPTIONS)
    # the page's visible text only where the main content is short enough for the dump-cleaning fallback to weigh
    short = len(text.split()) < config.fallback_below_words
    visible = extract_plain_text(tree, **_RESILIPARSE_OPTIONS) if short else ""
    meta: dict[str, str] = {}
    head = LexborHTMLParser(tree.head.html) if tree.head is not None else None
    for el in head.css("meta[content]") if head is not None else ():
        key = el.attributes.get("property") or el.attributes.get("name") or el.attributes.get("itemprop") or ""
        meta.setdefault(key.lower(), el.attributes.get("content") or "")
    date = next((meta[k.lower()] for k in _DATE_META if meta.get(k.lower())), None)
    if date is None and tree.body is not None:
        stamp = tree.body.query_selector("time[datetime]")
        date = stamp.getattr("datetime") if stamp is not None else None
    h1s = (" ".join(h1.text.split()) for h1 in tree.body.query_selector_all("h1")) if tree.body is not None else ()
    site = meta.get("og:site_name")
    found = {"title": headline(meta.get("og:title") or (tree.title or "").strip() or None, site, h1s), "date": date,
             "sitename": site, "author": meta.get("author"), "url": meta.get("og:url")}
    root = tree.document.query_selector("html") if tree.document is not None else None
    lang = (root.getattr("lang") or "").split("-")[0].strip().lower() if root is not None else ""
    text, visible = fix_text(text.strip(), visible)
    return Extraction(_with_metadata(doc, text, None, found, lang or None), visible)


def extract_html(doc: Document, config: HtmlConfig = HtmlConfig()) -> Document:
    """Fill text, metadata and page kind from the document's HTML; an empty extraction leaves empty text."""
    return extract_page(doc, config).doc
