"""Seeds (pages, sitemaps, sitemap indexes, RSS/Atom feeds) -> fetched pages, archived raw as WARC."""
from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from newsclean.fetch.archive import WarcArchive
from newsclean.fetch.client import FetchConfig, Fetcher, FetchResult, new_client
from newsclean.fetch.discover import parse_listing


@dataclass(frozen=True, slots=True)
class Known:
    """What the store remembers of a URL's last good fetch: validators for a conditional GET, body hash."""

    etag: str | None
    last_modified: str | None
    sha256: str | None


@dataclass(slots=True)
class FetchRecord:
    """A fetch as the store keeps it."""

    result: FetchResult
    sha256: str | None = None
    warc_path: str | None = None
    warc_offset: int | None = None
    outcome: str = "error"  # new | changed | unchanged | not_modified | listing | robots | http_error | error


@dataclass(slots=True)
class CrawlOutcome:
    records: list[FetchRecord] = field(default_factory=list)
    warc_path: str | None = None  # the run's archive, when it holds at least one new or changed HTML page
    new_pages: int = 0


def read_url_file(path: str | Path) -> list[str]:
    """URLs from a file, one a line; blank lines and # comments ignored."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return [ln.strip() for ln in lines if ln.strip() and not ln.lstrip().startswith("#")]


def _is_html(result: FetchResult) -> bool:
    ctype = (result.header("content-type") or "").lower()
    return "html" in ctype or (not ctype and (result.body or b"")[:512].lstrip().lower().startswith((b"<!doctype html", b"<html")))


async def _crawl(seeds: list[str], config: FetchConfig, known: dict[str, Known], archive: WarcArchive) -> CrawlOutcome:
    outcome = CrawlOutcome()
    seen: set[str] = set()
    async with new_client(config) as client:
        fetcher = Fetcher(config, client)

        async def visit(url: str, depth: int) -> None:
            if url in seen or len(seen) >= config.max_pages:
                return
            seen.add(url)
            k = known.get(url)
            result = await fetcher.get(url, conditional=(k.etag, k.last_modified) if k else None)
            record = FetchRecord(result)
            outcome.records.append(record)
            if result.status == 304:
                record.outcome = "not_modified"
                return
            if not result.ok:
                record.outcome = "http_error" if result.error_kind is None else "error"
                return
            record.sha256 = hashlib.sha256(result.body).hexdigest()
            listing = parse_listing(result.body, config.max_bytes) if not _is_html(result) else None
            if listing is not None and listing.kind != "none":
                result.kind, record.outcome = "listing", "listing"
                if not (k and k.sha256 == record.sha256):  # archive a sitemap/feed only when it changed
                    record.warc_path, record.warc_offset = archive.write(result)
                if depth < config.max_listing_depth:
                    await asyncio.gather(*(visit(u, depth + 1) for u in listing.sitemaps + listing.pages))
                return
            if k and k.sha256 == record.sha256:
                record.outcome = "unchanged"  # same bytes as last time: nothing new to store
                return
            record.outcome = "changed" if k else "new"
            record.warc_path, record.warc_offset = archive.write(result)
            if _is_html(result):
                outcome.new_pages += 1

        await asyncio.gather(*(visit(u, 0) for u in dict.fromkeys(seeds)))
        for robots in fetcher.robots_results:
            record = FetchRecord(robots, outcome="robots")
            if robots.ok:
                record.sha256 = hashlib.sha256(robots.body).hexdigest()
                k = known.get(robots.url)
                if not (k and k.sha256 == record.sha256):
                    record.warc_path, record.warc_offset = archive.write(robots)
            outcome.records.append(record)
    return outcome


def crawl(seeds: Iterable[str], config: FetchConfig, known: dict[str, Known], warc_path: str | Path) -> CrawlOutcome:
    """Fetch seeds and what their sitemaps/feeds list; every response body is archived in one WARC file.

    The WARC is returned for reading only when it holds new or changed HTML pages.
    """
    archive = WarcArchive(warc_path)
    try:
        outcome = asyncio.run(_crawl(list(seeds), config, known, archive))
    finally:
        archive.close()
        if archive.records == 0:  # also when the crawl failed: no empty archive is left for a later run to read
            archive.remove()
    if archive.records and outcome.new_pages:
        outcome.warc_path = str(archive.path)
    return outcome
