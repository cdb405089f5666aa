"""HTML -> text and metadata with trafilatura (the extractor with the best published scores)."""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass, replace

import trafilatura

from newsclean.document import Document, RemovedSpan
from newsclean.readers.html import page_head

logging.getLogger("trafilatura").setLevel(logging.ERROR)
logging.getLogger("htmldate").setLevel(logging.ERROR)


MAX_BLOB_CHARS = 65_536
_HUGE_ATTRIBUTE = re.compile(r"""=\s*(?:"[^"]{%d,}"|'[^']{%d,}'|[^\s"'=<>`]{%d,})""" % ((MAX_BLOB_CHARS,) * 3))
_INLINE_BLOCK = re.compile(r"(<(script|style|template|svg)\b[^>]*>)(.*?)(</\2\s*>)|<!--.*?-->", re.I | re.S)


def cap_markup(html: str) -> str:
    """Empty attribute values (data: URIs, serialised app state), inline scripts, styles, SVGs and comments longer
    than MAX_BLOB_CHARS: lxml drops a whole page holding a 10 MB one, and they never hold article text."""
    if len(html) <= MAX_BLOB_CHARS:
        return html

    def block(m: re.Match) -> str:
        if len(m.group(0)) <= MAX_BLOB_CHARS:
            return m.group(0)
        return "" if m.group(1) is None else m.group(1) + m.group(4)

    return _INLINE_BLOCK.sub(block, _HUGE_ATTRIBUTE.sub('=""', html))


@dataclass(frozen=True, slots=True)
class HtmlConfig:
    """trafilatura options: comments out, tables in, precision favoured (less page chrome in a corpus)."""

    include_comments: bool = False
    include_tables: bool = True
    favor_precision: bool = True
    favor_recall: bool = False
    fallback_below_words: int = 200  # extractions shorter than this are compared with the flattened page...
    fallback_ratio: float = 0.2  # ...and replaced by its dump cleaning when they hold less than this share of it


def extract_html(doc: Document, config: HtmlConfig = HtmlConfig()) -> Document:
    """Fill text and metadata from the document's HTML; an empty extraction leaves empty text."""
    html = doc.html or ""
    result = trafilatura.bare_extraction(
        html,
        url=doc.url,
        with_metadata=True,
        include_comments=config.include_comments,
        include_tables=config.include_tables,
        favor_precision=config.favor_precision,
        favor_recall=config.favor_recall,
    )
    meta = result.as_dict() if result is not None else {}
    root = page_head(html).find("html")
    lang = str(root.get("lang", "")).split("-")[0].strip().lower() if root is not None else ""
    text = (meta.get("text") or "").strip()
    title = doc.title or meta.get("title")
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
        source=doc.source or meta.get("sitename") or meta.get("hostname"),
        author=doc.author or meta.get("author"),
        url=doc.url or meta.get("url"),
        language=doc.language or meta.get("language") or lang or None,
    )
