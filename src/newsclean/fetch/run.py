"""Fetching as one pipeline step: URLs in, raw WARC archive and store rows out (used by the flow)."""
from __future__ import annotations

import uuid
from datetime import datetime, timezone
from pathlib import Path

from newsclean.document import InputError
from newsclean.fetch.client import FetchConfig
from newsclean.fetch.crawl import CrawlOutcome, FetchRecord, Known, crawl
from newsclean.store.duck import Store


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


def fetch_into_store(urls: list[str], db: str, archive_dir: str, config: FetchConfig, run_id: str | None = None) -> tuple[str | None, dict]:
    """Fetch urls (and what their sitemaps/feeds list), archive raw, record fetches and errors in the store.

    Returns the WARC to read as input (None when nothing new or changed arrived) and a summary.
    """
    run_id = run_id or uuid.uuid4().hex[:16]
    with Store(db) as store:
        known = {u: Known(*v) for u, v in store.known_fetches().items()}
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S")
    outcome = crawl(urls, config, known, Path(archive_dir) / f"fetch-{stamp}-{run_id}.warc.gz")
    errors = fetch_errors(outcome)
    with Store(db) as store:
        store.write_fetches(run_id, [fetch_row(r) for r in outcome.records])
        if errors:
            store.write_batch(run_id, [], [], errors, {}, {}, {}, (0, 0, 0))
    by_outcome: dict[str, int] = {}
    for rec in outcome.records:
        by_outcome[rec.outcome] = by_outcome.get(rec.outcome, 0) + 1
    return outcome.warc_path, {"requests": len(outcome.records), "new_pages": outcome.new_pages, "fetch_errors": len(errors),
                               **{f"fetch_{k}": v for k, v in sorted(by_outcome.items())}}
