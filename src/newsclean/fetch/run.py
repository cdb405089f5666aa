"""Fetching as one pipeline step: URLs in, raw WARC archive and the rows to store out (the flow stores them)."""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from newsclean.document import InputError
from newsclean.fetch.client import FetchConfig
from newsclean.fetch.crawl import CrawlOutcome, FetchRecord, Known, crawl


def fetch_row(record: FetchRecord) -> dict:
    """A FetchRecord as a `fetches` row."""
    r = record.result
    return {
        "url": r.url, "final_url": r.final_url, "kind": r.kind, "status": r.status, "outcome": record.outcome,
        "fetched_at": r.fetched_at, "attempts": r.attempts, "etag": r.header("etag"),
        "last_modified": r.header("last-modified"), "content_type": r.header("content-type"), "sha256": record.sha256,
        "warc_path": record.warc_path, "warc_offset": record.warc_offset, "error_kind": r.error_kind, "message": r.message,
    }


def fetch_errors(outcome: CrawlOutcome) -> list[InputError]:
    """Failed requests and HTTP errors as input errors (location = URL)."""
    errors = []
    for rec in outcome.records:
        r = rec.result
        if r.error_kind:
            errors.append(InputError(location=r.url, kind=r.error_kind, message=r.message or r.error_kind))
        elif r.status is not None and r.status >= 400 and r.kind != "robots":
            errors.append(InputError(location=r.url, kind=f"http_{r.status}", message=f"HTTP {r.status} {r.reason}".strip()))
    return errors


@dataclass(slots=True)
class Fetched:
    """What a fetch step hands back for the flow to store: the WARC to read, `fetches` rows, errors, a summary."""

    warc_path: str | None
    rows: list[dict] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)
    summary: dict = field(default_factory=dict)


def fetch_urls(urls: list[str], known: dict[str, Known], archive_dir: str, config: FetchConfig, run_id: str | None = None) -> Fetched:
    """Fetch urls (and what their sitemaps/feeds list) into a WARC archive; known holds the last good fetch per URL.

    Writes nothing but the archive: the rows and errors come back to the caller. warc_path is None when nothing
    new or changed arrived.
    """
    run_id = run_id or uuid.uuid4().hex[:16]
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S")
    outcome = crawl(urls, config, known, Path(archive_dir) / f"fetch-{stamp}-{run_id}.warc.gz")
    errors = fetch_errors(outcome)
    by_outcome: dict[str, int] = {}
    for rec in outcome.records:
        by_outcome[rec.outcome] = by_outcome.get(rec.outcome, 0) + 1
    summary = {"requests": len(outcome.records), "new_pages": outcome.new_pages, "fetch_errors": len(errors),
               **{f"fetch_{k}": v for k, v in sorted(by_outcome.items())}}
    return Fetched(outcome.warc_path, [fetch_row(r) for r in outcome.records], errors, summary)
