"""A real HTTP server on 127.0.0.1 with the shapes of the web a crawler meets (and its traps)."""
from __future__ import annotations

import gzip
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.conftest import OTHER_STORY, STORY, html_page

N_PAGES = 200


def page(n: int) -> bytes:
    body = STORY if n % 2 else OTHER_STORY
    return html_page(f"Local story number {n}", body.replace("board", f"board {n}")).encode()


class Site:
    """Routes, a request log and per-path counters, shared with the handler."""

    def __init__(self):
        self.log: list[tuple[float, str, dict]] = []
        self.counts: dict[str, int] = {}
        self.lock = threading.Lock()
        self.base = ""
        self.robots_extra = b""

    def sitemap(self, paths: list[str]) -> bytes:
        urls = "".join(f"<url><loc>{self.base}{p}</loc></url>" for p in paths)
        return f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'.encode()


class Handler(BaseHTTPRequestHandler):
    site: Site

    def log_message(self, *args):  # keep test output quiet
        pass

    def send(self, status: int, body: bytes = b"", ctype: str = "text/html; charset=utf-8", headers: dict | None = None):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):  # noqa: N802 (http.server's naming)
        site, path = self.site, self.path
        with site.lock:
            site.log.append((time.monotonic(), path, dict(self.headers)))
            site.counts[path] = site.counts.get(path, 0) + 1
            count = site.counts[path]
        if path == "/robots.txt":
            return self.send(200, b"User-agent: *\nDisallow: /private/\n" + site.robots_extra, "text/plain")
        if path.startswith("/page/"):
            n = int(path.split("/")[2].split(".")[0])
            etag = f'"page-{n}"'
            if self.headers.get("If-None-Match") == etag:
                return self.send(304)
            return self.send(200, page(n), headers={"ETag": etag, "Last-Modified": "Mon, 03 Mar 2025 10:00:00 GMT"})
        if path.startswith("/private/"):
            return self.send(200, html_page("Secret", STORY).encode())
        if path == "/sitemap.xml":
            paths = [f"/page/{n}.html" for n in range(N_PAGES)] + ["/private/secret.html"]
            return self.send(200, site.sitemap(paths), "application/xml")
        if path == "/small-sitemap.xml.gz":
            return self.send(200, gzip.compress(site.sitemap(["/page/1.html", "/page/2.html"])), "application/x-gzip")
        if path == "/sitemap-index.xml":
            body = (f'<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                    f"<sitemap><loc>{site.base}/small-sitemap.xml.gz</loc></sitemap></sitemapindex>").encode()
            return self.send(200, body, "application/xml")
        if path == "/feed.rss":
            items = "".join(f"<item><title>t{n}</title><link>{site.base}/page/{n}.html</link></item>" for n in (3, 4))
            return self.send(200, f'<?xml version="1.0"?><rss version="2.0"><channel>{items}</channel></rss>'.encode(), "application/rss+xml")
        if path == "/feed.atom":
            body = (f'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><entry><title>x</title>'
                    f'<link rel="alternate" href="{site.base}/page/5.html"/></entry></feed>').encode()
            return self.send(200, body, "application/atom+xml")
        if path == "/entity.xml":
            body = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>'
                    b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>&lol2;</loc></url></urlset>')
            return self.send(200, body, "application/xml")
        if path == "/flaky":
            if count == 1:
                return self.send(429, b"slow down", "text/plain", {"Retry-After": "1"})
            return self.send(200, page(7))
        if path == "/broken":
            return self.send(503, b"down", "text/plain")
        if path == "/slow":
            time.sleep(1.5)
            return self.send(200, page(8))
        if path == "/big":
            return self.send(200, b"<html><body>" + b"x" * 300_000 + b"</body></html>")
        if path == "/bomb":
            return self.send(200, gzip.compress(b"<html>" + b"\0" * 20_000_000), headers={"Content-Encoding": "gzip"})
        if path == "/bad-location":  # a server's redirect to what is not a URL
            return self.send(302, headers={"Location": "http://[::1"})
        if path in ("/loop-a", "/loop-b"):
            return self.send(302, headers={"Location": "/loop-b" if path == "/loop-a" else "/loop-a"})
        if path == "/moved":
            return self.send(301, headers={"Location": "/page/9.html"})
        return self.send(404, b"not found", "text/plain")


@pytest.fixture
def site():
    """Serve the site on an ephemeral loopback port for one test."""
    state = Site()
    handler = type("BoundHandler", (Handler,), {"site": state})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    state.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()
