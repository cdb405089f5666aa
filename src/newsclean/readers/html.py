"""Saved HTML pages: one document per file, extracted later (extract/html.py)."""
from __future__ import annotations

import re

from newsclean.document import Document
from newsclean.readers.encoding import decode_bytes

_META_CHARSET = re.compile(rb"<meta\b[^>]*?charset\s*=\s*[\"']?\s*([A-Za-z0-9_\-:.]+)", re.I)


# An HTML page's start: a doctype or <html> first, after a byte order mark, an XML declaration or comments
_PAGE_START = re.compile(rb"(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(!doctype\s+html|html)\b", re.I | re.S)
_ELEMENT = re.compile(rb"<[a-z][a-z0-9:-]*(?:\s[^<>]*)?/?>", re.I)


def is_html_page(data: bytes) -> bool:
    """Whether the bytes hold an HTML page, whatever the file is called (a page saved as .txt is read as HTML): an
    <html> tag first, or a doctype followed by an element's tag. A doctype alone is not a page: a flattener
    (node-html-markdown) writes it as text above the Markdown it makes of the page."""
    start = _PAGE_START.match(data[:4096])
    if start is None:
        return False
    return start.group(1).lower() == b"html" or _ELEMENT.search(data, start.end(), start.end() + 4096) is not None


def declared_charset(data: bytes, limit: int = 8192) -> str | None:
    """The charset a page declares in <meta charset> or <meta http-equiv="Content-Type">, if any (a byte pattern
    over the page's start: no parse)."""
    m = _META_CHARSET.search(data[:limit])
    return m.group(1).decode("ascii") if m else None


def decode_html(data: bytes, declared: str | None = None) -> str:
    """HTML bytes to text, trusting a declared charset before detection; mojibake is repaired after extraction."""
    text, _ = decode_bytes(data, declared or declared_charset(data), fix=False)
    return text


def read_html(data: bytes, location: str) -> list[Document]:
    """An HTML page as one Document carrying its markup until extraction."""
    html = decode_html(data)
    return [Document(text="", html=html, path=location, format="html", raw_chars=len(html))]
