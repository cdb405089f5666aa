"""The fetcher against a real HTTP server on 127.0.0.1: discovery, politeness, retries, caps and traps."""
from __future__ import annotations

import asyncio
import gzip
from dataclasses import replace

import pytest

from newsclean.fetch.client import FetchConfig, Fetcher, new_client
from newsclean.fetch.crawl import Known, crawl
from newsclean.fetch.discover import parse_listing
from newsclean.fetch.safety import FetchRefused, check_url
from newsclean.readers import read_path

FAST = FetchConfig(per_host_delay=0.0, allow_private_hosts=True, retries=2, backoff=0.05, timeout=0.5, max_bytes=200_000)


def fetch_one(url: str, config: FetchConfig = FAST):
    async def go():
        async with new_client(config) as client:
            return await Fetcher(config, client).get(url)
    return asyncio.run(go())


def test_sitemap_index_gzip_sitemap_and_pages(site, tmp_path):
    out = crawl([site.base + "/sitemap-index.xml"], FAST, {}, tmp_path / "run.warc.gz")
    outcomes = {r.result.url.replace(site.base, ""): r.outcome for r in out.records}
    assert outcomes["/sitemap-index.xml"] == "listing" and outcomes["/small-sitemap.xml.gz"] == "listing"
    assert outcomes["/page/1.html"] == "new" and outcomes["/page/2.html"] == "new"
    assert out.new_pages == 2 and out.warc_path
    # the archive is a normal newsclean input: its HTML records become documents
    loaded = read_path(out.warc_path)
    assert sorted(d.url.replace(site.base, "") for d in loaded.documents) == ["/page/1.html", "/page/2.html"]


def test_rss_and_atom_feeds_expand_to_articles(site, tmp_path):
    out = crawl([site.base + "/feed.rss", site.base + "/feed.atom"], FAST, {}, tmp_path / "f.warc.gz")
    pages = sorted(r.result.url.replace(site.base, "") for r in out.records if r.outcome == "new")
    assert pages == ["/page/3.html", "/page/4.html", "/page/5.html"]


def test_parse_listing_refuses_entity_expansion():
    bomb = (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>'
            b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>&a;</loc></url></urlset>')
    assert parse_listing(bomb).kind == "none"
    assert parse_listing(gzip.compress(b'<urlset><url><loc>http://e.org/a</loc></url></urlset>')).pages == ["http://e.org/a"]
    assert parse_listing(b"<html><body>not a sitemap</body></html>").kind == "none"


def test_robots_disallowed_paths_are_never_requested(site, tmp_path):
    out = crawl([site.base + "/sitemap.xml"], FAST, {}, tmp_path / "r.warc.gz")
    requested = [p for _, p, _ in site.log]
    assert "/robots.txt" in requested and not any(p.startswith("/private/") for p in requested)
    refused = [r for r in out.records if r.result.error_kind == "robots"]
    assert [r.result.url.replace(site.base, "") for r in refused] == ["/private/secret.html"]
    assert sum(1 for p in requested if p == "/robots.txt") == 1  # cached per host


def test_429_is_retried_after_retry_after(site):
    result = fetch_one(site.base + "/flaky")
    assert result.ok and result.attempts == 2 and site.counts["/flaky"] == 2


def test_5xx_is_retried_then_reported(site):
    result = fetch_one(site.base + "/broken")
    assert result.error_kind == "http_503" and result.attempts == 3 and site.counts["/broken"] == 3


def test_4xx_is_not_retried(site):
    result = fetch_one(site.base + "/nothing-here")
    assert result.status == 404 and result.error_kind is None and not result.ok and site.counts["/nothing-here"] == 1


def test_slow_endpoint_times_out(site):
    result = fetch_one(site.base + "/slow", FetchConfig(per_host_delay=0, allow_private_hosts=True, retries=0, timeout=0.3))
    assert result.error_kind == "timeout"


def test_oversized_body_and_gzip_bomb_are_refused(site):
    assert fetch_one(site.base + "/big").error_kind == "too_large"
    bomb = fetch_one(site.base + "/bomb")
    assert bomb.error_kind == "too_large" and "decompression" in bomb.message


def test_redirects_are_followed_and_loops_stopped(site):
    moved = fetch_one(site.base + "/moved")
    assert moved.ok and moved.final_url == site.base + "/page/9.html"
    loop = fetch_one(site.base + "/loop-a")
    assert loop.error_kind == "redirect_loop"


@pytest.mark.parametrize("url", ["http://[::1", "http://127.0.0.1:99999/page/1.html", "https://[not-an-address]/"])
def test_malformed_urls_are_refused_not_raised(url):
    with pytest.raises(FetchRefused) as info:
        check_url(url, allow_private_hosts=True)
    assert info.value.kind == "bad_url" and info.value.message.startswith("not a valid URL (")


def test_a_crawl_records_malformed_urls_and_redirects_and_fetches_the_rest(site, tmp_path):
    outcome = crawl(["http://[::1", site.base + "/bad-location", site.base + "/page/1.html"], FAST, {}, tmp_path / "a.warc.gz")
    kinds = {r.result.url: r.result.error_kind for r in outcome.records if r.result.kind == "page"}
    assert kinds["http://[::1"] == "bad_url" and kinds[site.base + "/page/1.html"] is None
    assert kinds[site.base + "/bad-location"] is not None  # recorded (httpx refuses the Location), not raised
    assert outcome.new_pages == 1 and outcome.warc_path == str(tmp_path / "a.warc.gz")


def test_a_crawl_that_fails_leaves_no_empty_archive(tmp_path, monkeypatch):
    import newsclean.fetch.crawl as crawl_module

    async def broken(*args):
        raise RuntimeError("the crawl broke")

    monkeypatch.setattr(crawl_module, "_crawl", broken)
    with pytest.raises(RuntimeError):
        crawl(["http://127.0.0.1:1/"], FAST, {}, tmp_path / "fetched" / "a.warc.gz")
    assert list((tmp_path / "fetched").iterdir()) == []  # a later run of the folder finds no empty archive


def test_private_hosts_and_other_schemes_are_refused_by_default(site):
    result = fetch_one(site.base + "/page/1.html", FetchConfig(per_host_delay=0))
    assert result.error_kind == "private_host" and not site.log  # nothing was sent
    with pytest.raises(FetchRefused) as info:
        check_url("file:///etc/passwd")
    assert info.value.kind == "bad_scheme"


def test_second_run_sends_conditional_requests_and_stores_nothing(site, tmp_path):
    first = crawl([site.base + f"/page/{n}.html" for n in range(3)], FAST, {}, tmp_path / "1.warc.gz")
    known = {r.result.url: Known(r.result.header("etag"), r.result.header("last-modified"), r.sha256)
             for r in first.records if r.outcome == "new"}
    assert len(known) == 3
    second = crawl(list(known), FAST, known, tmp_path / "2.warc.gz")
    assert sorted(r.outcome for r in second.records if r.result.kind == "page") == ["not_modified"] * 3
    assert all(h.get("If-None-Match", "").startswith('"page-') for _, p, h in site.log[-3:] if p.startswith("/page/"))
    assert second.warc_path is None and second.new_pages == 0


def test_per_host_delay_holds(site, tmp_path):
    config = FetchConfig(per_host_delay=0.05, per_host_concurrency=2, allow_private_hosts=True)
    crawl([site.base + f"/page/{n}.html" for n in range(20)], config, {}, tmp_path / "d.warc.gz")
    starts = sorted(t for t, p, _ in site.log if p.startswith("/page/"))
    assert len(starts) == 20
    # request starts are spaced by the delay; arrival jitter can shorten one gap, not a run of ten
    windows = [starts[i + 10] - starts[i] for i in range(len(starts) - 10)]
    assert min(windows) >= 10 * 0.05 * 0.9


def test_robots_crawl_delay_is_honoured(site, tmp_path):
    site.robots_extra = b"Crawl-delay: 1\n"  # whole seconds, as urllib.robotparser reads it
    crawl([site.base + f"/page/{n}.html" for n in range(3)], FAST, {}, tmp_path / "c.warc.gz")
    starts = sorted(t for t, p, _ in site.log if p.startswith("/page/"))
    assert len(starts) == 3 and starts[-1] - starts[0] >= 2 * 0.9


def test_the_request_goes_to_the_address_that_was_checked(site, monkeypatch):
    """DNS rebinding: a name we map ourselves answers 127.0.0.1 to the check, then 127.0.0.2 (nothing listens)."""
    import socket

    real = socket.getaddrinfo
    answers = []

    def rebinding(host, port, *args, **kwargs):
        if host != "rebind.test":
            return real(host, port, *args, **kwargs)
        answers.append("127.0.0.1" if not answers else "127.0.0.2")
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (answers[-1], port))]

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    url = site.base.replace("127.0.0.1", "rebind.test") + "/page/2.html"
    result = fetch_one(url, replace(FAST, respect_robots=False, retries=0))
    assert result.ok and result.final_url == url and answers == ["127.0.0.1"]  # resolved once, for the check
    assert site.log[-1][1] == "/page/2.html" and site.log[-1][2]["Host"] == url.split("/")[2]


def test_pinned_url_keeps_the_name_for_host_and_tls():
    from newsclean.fetch.safety import pinned

    assert pinned("https://news.example:8443/a?b=1", "203.0.113.5") == (
        "https://203.0.113.5:8443/a?b=1", {"Host": "news.example:8443"}, {"sni_hostname": "news.example"})
    assert pinned("http://news.example/a", "2001:db8::1") == ("http://[2001:db8::1]/a", {"Host": "news.example"}, {})
