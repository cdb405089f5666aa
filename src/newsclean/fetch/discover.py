"""Sitemaps (and sitemap indexes) and RSS/Atom feeds -> the URLs they list. XML is parsed with defusedxml:
no DTDs, no entity expansion, no external references."""
from __future__ import annotations

import zlib
from dataclasses import dataclass, field

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException


@dataclass(slots=True)
class Listing:
    """What a sitemap or feed points to: article URLs and further sitemaps."""

    kind: str  # sitemap | sitemapindex | rss | atom | none
    pages: list[str] = field(default_factory=list)
    sitemaps: list[str] = field(default_factory=list)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].lower()


def _gunzip(data: bytes, cap: int) -> bytes:
    d = zlib.decompressobj(16 + zlib.MAX_WBITS)
    out = d.decompress(data, cap + 1)
    if len(out) > cap:
        raise ValueError(f"the compressed sitemap is larger than {cap} bytes once decompressed")
    return out


def parse_listing(data: bytes, max_bytes: int = 50 * 1024 * 1024) -> Listing:
    """Parse sitemap/sitemap index/RSS/Atom bytes (gzip allowed); anything else gives kind 'none'."""
    if data[:2] == b"\x1f\x8b":
        data = _gunzip(data, max_bytes)
    head = data[:2048].lstrip().lower()
    if not (head.startswith(b"<?xml") or head.startswith(b"<urlset") or head.startswith(b"<sitemapindex")
            or head.startswith(b"<rss") or head.startswith(b"<feed") or head.startswith(b"<rdf")):
        return Listing("none")
    try:
        root = ElementTree.fromstring(data, forbid_dtd=True)
    except (DefusedXmlException, ElementTree.ParseError, ValueError):
        return Listing("none")
    kind = _local(root.tag)
    if kind == "urlset":
        return Listing("sitemap", pages=[_text(loc) for loc in root.iter() if _local(loc.tag) == "loc" and _text(loc)])
    if kind == "sitemapindex":
        return Listing("sitemapindex", sitemaps=[_text(loc) for loc in root.iter() if _local(loc.tag) == "loc" and _text(loc)])
    if kind in ("rss", "rdf"):
        items = [el for el in root.iter() if _local(el.tag) == "item"]
        links = [_text(link) for item in items for link in item if _local(link.tag) == "link"]
        return Listing("rss", pages=[u for u in links if u])
    if kind == "feed":
        pages = []
        for entry in (el for el in root.iter() if _local(el.tag) == "entry"):
            links = [ln for ln in entry if _local(ln.tag) == "link"]
            best = next((ln for ln in links if ln.get("rel", "alternate") == "alternate"), links[0] if links else None)
            if best is not None and best.get("href"):
                pages.append(best.get("href").strip())
        return Listing("atom", pages=pages)
    return Listing("none")


def _text(el) -> str:
    return (el.text or "").strip()


__all__ = ["Listing", "parse_listing"]
