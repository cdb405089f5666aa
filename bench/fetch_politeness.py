"""Politeness of the fetcher, measured on ~200 pages served on 127.0.0.1 (no network needed).

Crawls a sitemap of 200 pages plus one robots-disallowed page with a per-host delay, prints the measured
request rate against the configured limit and how many disallowed paths were requested, then crawls again
to show the conditional requests (304s) of a re-run.

Usage: python bench/fetch_politeness.py [--delay 0.02] [--concurrency 2]
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
from http.server import ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from newsclean.fetch.client import FetchConfig  # noqa: E402
from newsclean.fetch.crawl import Known, crawl  # noqa: E402
from tests.fetch.conftest import N_PAGES, Handler, Site  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--delay", type=float, default=0.02, help="per-host delay in seconds (limit = 1/delay requests/s)")
    ap.add_argument("--concurrency", type=int, default=2)
    args = ap.parse_args()
    site = Site()
    server = ThreadingHTTPServer(("127.0.0.1", 0), type("H", (Handler,), {"site": site}))
    site.base = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    config = FetchConfig(per_host_delay=args.delay, per_host_concurrency=args.concurrency, allow_private_hosts=True)
    with tempfile.TemporaryDirectory() as tmp:
        start = time.monotonic()
        first = crawl([site.base + "/sitemap.xml"], config, {}, Path(tmp) / "1.warc.gz")
        secs = time.monotonic() - start
        stamps = sorted(t for t, _, _ in site.log)
        gaps = [b - a for a, b in zip(stamps, stamps[1:])]
        disallowed = sum(1 for _, p, _ in site.log if p.startswith("/private/"))
        print(f"first crawl: {len(site.log)} requests ({N_PAGES} pages, sitemap, robots.txt) in {secs:.2f} s")
        print(f"  measured rate {len(site.log) / (stamps[-1] - stamps[0]):.1f} requests/s; limit {1 / args.delay:.1f}/s "
              f"(delay {args.delay} s); smallest gap between request starts {min(gaps) * 1000:.1f} ms")
        print(f"  pages archived {first.new_pages}; disallowed paths requested: {disallowed}")
        known = {r.result.url: Known(r.result.header("etag"), r.result.header("last-modified"), r.sha256)
                 for r in first.records if r.sha256}
        before = len(site.log)
        second = crawl([site.base + "/sitemap.xml"], config, known, Path(tmp) / "2.warc.gz")
        conditional = sum(1 for _, p, h in site.log[before:] if "If-None-Match" in h)
        outcomes: dict[str, int] = {}
        for r in second.records:
            outcomes[r.outcome] = outcomes.get(r.outcome, 0) + 1
        print(f"second crawl: {len(site.log) - before} requests, {conditional} conditional; outcomes {outcomes}; "
              f"new pages archived {second.new_pages}")
    server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
