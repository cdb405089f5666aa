"""A parsed page's metadata (title, author, publication date, site name, URL, host name) from what the page declares:
its meta tags and <title>, its structured data (JSON-LD), a byline or a lone <h1> where those are silent (the title
as its <h1> writes it, without the site's name), and the
publication date it declares (JSON-LD, meta tags), else htmldate's search of its markup, else, for dated writing, the
first date its visible text shows. This is the part of trafilatura's metadata newsclean stores,
without its body-wide searches for categories, tags, licence and author (most of that step's time)."""
from __future__ import annotations

import html
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

import htmldate
from lxml import etree

from newsclean.extract.dates import find_date, normalise_date
from newsclean.text import headline, read_json

_H1 = etree.XPath("//body//h1")
# Elements that name the author in the page's markup: microdata, rel=author, a class or id saying author or byline.
# (through the attributes: libxml2 then tests only the elements that have such an attribute)
_BYLINE = etree.XPath('//body//*/@class[contains(., "uthor") or contains(., "byline")]/..'
                      '|//body//*/@id[contains(., "author")]/..|//body//*/@itemprop[. = "author"]/..'
                      '|//body//*/@rel[. = "author"]/..')
_NOT_A_NAME = re.compile(r"\d|@|://|\babout\b|\bposts?\b|\barticles?\b", re.I)

# meta names (name, property or itemprop, lower-cased), in the order they are trusted
_TITLE_KEYS = ("og:title", "twitter:title", "citation_title", "dc.title", "dcterms.title", "headline",
               "parsely-title", "sailthru.title")
_AUTHOR_KEYS = ("author", "article:author", "citation_author", "dc.creator", "dcterms.creator", "parsely-author",
                "sailthru.author", "byl", "og:article:author")
_DATE_KEYS = ("article:published_time", "datepublished", "og:published_time", "pubdate", "publishdate", "date",
              "dc.date", "dc.date.issued", "sailthru.date", "parsely-pub-date")
_SITE_KEYS = ("og:site_name", "application-name", "publisher", "dc.publisher", "citation_journal_title",
              "twitter:site")
# JSON-LD types whose fields describe the page's own text
_CREATIVE_WORK = re.compile(r"article|posting|report|webpage|creativework|question|recipe|review|event", re.I)
# "By", "Written by", "Author:" and the like before a name (or alone, in an element of their own)
_BYLINE_PREFIX = re.compile(r"^(?:(?:text|written|posted|words|story|photos?)\s+)?(?:by|von|par|por|door|di|av|af)\b\s*:?\s*"
                            r"|^(?:author|autor|auteur|name|posted)\b\s*:?\s*", re.I)
_TITLE_SPLIT = re.compile(r"(?<!\s)\s++[|–—•·:»«~-]\s+")  # spaces read once, from the start of their run


def _spaced(text: str | None) -> str:
    return " ".join((text or "").split())


@dataclass(frozen=True, slots=True)
class Declared:
    """What a parsed page says of itself in its meta, link and script elements, read in one walk of the tree (the
    page kind's features and the metadata both use it): its meta tags by name (name, property or itemprop,
    lower-cased; the first of each name, contents with spacing collapsed), its og:type values as written, the text
    of its JSON-LD scripts, and its address (a canonical link or og:url, the first that starts with "http")."""

    meta: dict[str, str]
    og_types: list[str]
    ld_json: list[str]
    address: str


def declared(tree) -> Declared:
    """Read what a parsed page declares of itself (Declared), in document order."""
    meta: dict[str, str] = {}
    og_types, ld_json, address = [], [], ""
    for el in tree.iter("meta", "link", "script"):
        if el.tag == "meta":
            content = el.get("content")
            if content is None:
                continue
            prop = el.get("property")
            if prop == "og:type":
                og_types.append(content)
            elif prop == "og:url" and not address and content.startswith("http"):
                address = content
            key = (prop or el.get("name") or el.get("itemprop") or "").strip().lower()
            value = _spaced(content)
            if key and value:
                meta.setdefault(key, value)
        elif el.tag == "link":
            href = el.get("href")
            if not address and href and el.get("rel") == "canonical" and href.startswith("http"):
                address = href
        elif el.text and el.get("type") == "application/ld+json":
            ld_json.append(el.text)
    return Declared(meta, og_types, ld_json, address)


def _name(value) -> str:
    """A person or organisation as JSON-LD gives it: a string, an object with a name, or a list of those."""
    if isinstance(value, str):
        return _spaced(value)
    if isinstance(value, dict):
        return _name(value.get("name"))
    if isinstance(value, list):
        return "; ".join(n for n in map(_name, value) if n)
    return ""


def _objects(value):
    """Every JSON object in a parsed JSON-LD value (lists and @graph walked)."""
    if isinstance(value, list):
        for item in value:
            yield from _objects(item)
    elif isinstance(value, dict):
        yield value
        yield from _objects(value.get("@graph"))


def _structured(scripts: list[str]) -> dict[str, str]:
    """Title, author, date and publisher from the page's JSON-LD objects (the scripts' texts) describing a piece of
    writing (the first that gives each field); scripts that are not valid JSON, or nest too deep to read, are
    passed over."""
    found: dict[str, str] = {}
    for script in scripts:
        try:
            objects = list(_objects(read_json(script)))
        except (ValueError, RecursionError):  # not JSON, or nested deeper than _objects (recursive) walks
            continue
        for obj in objects:
            kind = obj.get("@type")
            kind = " ".join(kind) if isinstance(kind, list) else str(kind or "")
            if not _CREATIVE_WORK.search(kind):
                continue
            for field, value in (("title", obj.get("headline") or obj.get("name")), ("author", _name(obj.get("author"))),
                                 ("date", obj.get("datePublished")), ("sitename", _name(obj.get("publisher")))):
                if isinstance(value, str) and _spaced(value):
                    found.setdefault(field, _spaced(html.unescape(value)))  # JSON-LD often carries entities
    return found


def _title(tree, meta: dict[str, str], ld: dict[str, str], h1s: list[str]) -> str | None:
    """The page's title: its meta tags or structured data, else a lone <h1> (h1s: the texts of its <h1>
    elements), else the <title> without the site name it usually carries ("Headline | Site"), else the first
    <h1>."""
    if ld.get("title"):
        return ld["title"]
    for key in _TITLE_KEYS:
        if meta.get(key):
            return meta[key]
    h1 = [t for t in h1s if t]
    if len(h1) == 1:
        return h1[0]
    element = tree.find(".//title")
    whole = _spaced(element.text_content()) if element is not None else ""
    parts = [p for p in _TITLE_SPLIT.split(whole) if p]
    for part in parts[:2] if len(parts) > 1 else ():
        if "." not in part:  # "example.com" is the site, not the title
            return part
    return whole or (h1[0] if h1 else None)


def _author(tree, meta: dict[str, str], ld: dict[str, str]) -> str | None:
    """The author: meta tags (URLs passed over), structured data, or the first byline in the markup that reads as
    a name (up to five words, no digits; of nested bylines the innermost)."""
    for key in _AUTHOR_KEYS:
        value = meta.get(key, "")
        if value and "://" not in value:
            return value
    if ld.get("author"):
        return ld["author"]
    found = _BYLINE(tree)
    marked = set(found)
    for el in found:
        if any(inner in marked for inner in el.iterdescendants()):
            continue
        text = _BYLINE_PREFIX.sub("", _spaced(" ".join(el.itertext())))
        if text and len(text.split()) <= 5 and not _NOT_A_NAME.search(text):
            return text
    return None


def page_metadata(tree, url: str | None = None, visible: str | None = None,
                  page: Declared | None = None) -> dict[str, str | None]:
    """Title, author, date (YYYY-MM-DD), site name, url and host name of a parsed page (None where not found).
    The date is the one the page declares (JSON-LD datePublished, date meta tags), else htmldate's search of its
    markup (time elements, classes, the URL...); where that finds none and `visible` (the page's visible text, one
    block a line) is given, the first date written there. `page`: what the page declares, when the caller has
    read it (declared)."""
    page = page or declared(tree)
    meta, ld = page.meta, _structured(page.ld_json)
    address = url or page.address or None
    host = (urlsplit(address).hostname or "").removeprefix("www.") if address else ""
    site = next((meta[k] for k in _SITE_KEYS if meta.get(k) and "://" not in meta[k]), None) or ld.get("sitename")
    published = _declared_date(meta, ld) or htmldate.find_date(tree, url=address, extensive_search=False,
                                                                original_date=True)
    if published is None and visible:
        published = first_date(visible)
    site = site.lstrip("@") if site else None
    h1s = [_spaced(h1.text_content()) for h1 in _H1(tree)]
    return {"title": headline(_title(tree, meta, ld, h1s), site, h1s), "author": _author(tree, meta, ld),
            "date": published, "sitename": site, "url": address, "hostname": host or None}


def _declared_date(meta: dict[str, str], ld: dict[str, str]) -> str | None:
    """The publication date the page states for itself: its JSON-LD datePublished, else its date meta tags."""
    for value in [ld.get("date")] + [meta.get(key) for key in _DATE_KEYS]:
        if value and (day := normalise_date(value)):
            return day
    return None


def first_date(visible: str) -> str | None:
    """The first date written in a page's visible text (lines up to 300 characters: a dateline, not a paragraph)."""
    for line in visible.split("\n"):
        if len(line) < 300 and (found := find_date(line)):
            return found[0]
    return None
