"""Saved HTML pages: one document per file, extracted later by trafilatura."""
from __future__ import annotations

import re
import warnings

from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning

from newsclean.document import Document
from newsclean.readers.encoding import decode_bytes

_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_\-]+)", re.I)


def page_head(html: str | bytes, limit: int = 8192) -> BeautifulSoup:
    """The start of a page parsed leniently (broken markup is fine): enough for <html lang> and <meta>."""
    if isinstance(html, bytes):
        html = html[:limit].decode("ascii", "ignore")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        return BeautifulSoup(html[:limit], "lxml")


def declared_charset(data: bytes) -> str | None:
    """The charset a page declares in <meta charset> or <meta http-equiv="Content-Type">, if any."""
    for meta in page_head(data).find_all("meta"):
        if meta.get("charset"):
            return str(meta["charset"]).strip()
        if str(meta.get("http-equiv", "")).lower() == "content-type":
            m = _CHARSET.search(str(meta.get("content", "")))
            if m:
                return m.group(1)
    return None


def decode_html(data: bytes, declared: str | None = None) -> str:
    """HTML bytes to text, trusting a declared charset before detection."""
    text, _ = decode_bytes(data, declared or declared_charset(data))
    return text


def read_html(data: bytes, location: str) -> list[Document]:
    """An HTML page as one Document carrying its markup until extraction."""
    html = decode_html(data)
    return [Document(text="", html=html, path=location, format="html", raw_chars=len(html))]
