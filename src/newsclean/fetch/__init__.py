"""HTTP: URL lists, sitemaps, feeds, robots.txt, per-host rate limits, safety checks, raw WARC archive."""
