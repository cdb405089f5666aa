"""A polite, safe HTTP fetcher: robots.txt per host, per-host delay and concurrency, retries with backoff on
timeouts, 429 and 5xx (never on other 4xx), conditional GET, size caps after decompression, checked redirects."""
from __future__ import annotations

import asyncio
import email.utils
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timezone
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import httpx

from newsclean import __version__, interrupt
from newsclean.fetch.safety import FetchRefused, check_url, pinned


@dataclass(frozen=True, slots=True)
class FetchConfig:
    """Politeness and safety limits; the defaults suit crawling other people's news sites."""

    user_agent: str = f"newsclean/{__version__} (news corpus builder; honours robots.txt)"
    per_host_delay: float = 1.0  # seconds between the starts of two requests to one host
    per_host_concurrency: int = 1
    max_concurrency: int = 16
    timeout: float = 15.0
    max_bytes: int = 10 * 1024 * 1024  # per response, counted after decompression
    max_redirects: int = 5
    retries: int = 3  # extra attempts after timeouts, connection errors, 429 and 5xx
    backoff: float = 0.5  # first retry waits this long, then doubling
    max_retry_after: float = 120.0
    allow_private_hosts: bool = False
    respect_robots: bool = True
    max_crawl_delay: float = 30.0  # a robots.txt Crawl-delay is honoured up to this many seconds
    max_listing_depth: int = 3  # sitemap index -> sitemap -> ...
    max_pages: int = 100_000


@dataclass(slots=True)
class FetchResult:
    """One request's outcome: a response (any status) or an error kind with a message."""

    url: str
    kind: str = "page"  # page | listing | robots
    final_url: str | None = None
    status: int | None = None
    reason: str = ""
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes | None = None
    fetched_at: datetime = field(default_factory=lambda: datetime.now(timezone.utc).replace(tzinfo=None))
    attempts: int = 0
    error_kind: str | None = None
    message: str | None = None

    def header(self, name: str) -> str | None:
        name = name.lower()
        return next((v for k, v in self.headers if k.lower() == name), None)

    @property
    def ok(self) -> bool:
        return self.error_kind is None and self.status == 200 and self.body is not None


class _Retry(Exception):
    def __init__(self, wait: float | None, message: str, kind: str):
        super().__init__(message)
        self.wait, self.message, self.kind = wait, message, kind


class HostGate:
    """Per-host politeness: at most `concurrency` requests at once, starts at least `delay` seconds apart."""

    def __init__(self, delay: float, concurrency: int):
        self.delay = delay
        self.host_delay: dict[str, float] = {}  # longer delays a host asks for (robots.txt Crawl-delay)
        self._sems: dict[str, asyncio.Semaphore] = defaultdict(lambda: asyncio.Semaphore(concurrency))
        self._next: dict[str, float] = defaultdict(float)
        self._locks: dict[str, asyncio.Lock] = defaultdict(asyncio.Lock)

    async def wait_turn(self, host: str) -> None:
        async with self._locks[host]:
            now = time.monotonic()
            start = max(now, self._next[host])
            self._next[host] = start + max(self.delay, self.host_delay.get(host, 0.0))
        if start > now:
            await asyncio.sleep(start - now)

    def slot(self, host: str) -> asyncio.Semaphore:
        return self._sems[host]


def _retry_after(value: str | None, cap: float) -> float | None:
    if not value:
        return None
    try:
        return min(cap, max(0.0, float(value)))
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
            return min(cap, max(0.0, when.timestamp() - time.time()))
        except (TypeError, ValueError):
            return None


class Fetcher:
    """Fetch URLs over one httpx client, honouring robots.txt and the per-host gate."""

    def __init__(self, config: FetchConfig, client: httpx.AsyncClient):
        self.config = config
        self.client = client
        self.gate = HostGate(config.per_host_delay, config.per_host_concurrency)
        self.global_slots = asyncio.Semaphore(config.max_concurrency)
        self._robots: dict[str, RobotFileParser | None] = {}
        self._robots_locks: dict[str, asyncio.Lock] = defaultdict(asyncio.Lock)
        self.robots_results: list[FetchResult] = []

    async def allowed(self, url: str) -> bool:
        """Whether robots.txt of url's host lets our user agent fetch it (fetched once per host)."""
        if not self.config.respect_robots:
            return True
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        async with self._robots_locks[origin]:
            if origin not in self._robots:
                result = await self.get(origin + "/robots.txt", kind="robots", check_robots=False)
                self.robots_results.append(result)
                parser: RobotFileParser | None = RobotFileParser()
                if result.status == 200 and result.body is not None:
                    parser.parse(result.body.decode("utf-8", "replace").splitlines())
                elif result.status is not None and 400 <= result.status < 500:
                    parser.parse([])  # no robots.txt: everything allowed
                else:
                    parser = None  # robots.txt unreachable or 5xx: fetch nothing from this host
                self._robots[origin] = parser
                asked = parser.crawl_delay(self.config.user_agent) if parser is not None else None
                if asked:
                    self.gate.host_delay[parts.netloc] = min(float(asked), self.config.max_crawl_delay)
        parser = self._robots[origin]
        return parser is not None and parser.can_fetch(self.config.user_agent, url)

    async def get(self, url: str, kind: str = "page", conditional: tuple[str | None, str | None] | None = None,
                  check_robots: bool = True) -> FetchResult:
        """GET url with retries; never raises for network or HTTP problems (they are in the result)."""
        result = FetchResult(url=url, kind=kind)
        try:
            address = check_url(url, self.config.allow_private_hosts)
            if check_robots and not await self.allowed(url):
                raise FetchRefused("robots", f"robots.txt of {urlsplit(url).netloc} disallows {url}")
            for attempt in range(self.config.retries + 1):
                interrupt.check()  # a Ctrl-C that a library absorbed on its way stops the fetch here
                result.attempts = attempt + 1
                try:
                    await self._request(url, address, result, conditional)
                    return result
                except _Retry as retry:
                    if attempt == self.config.retries:
                        result.error_kind, result.message = retry.kind, f"{retry.message} (after {attempt + 1} attempts)"
                        return result
                    await asyncio.sleep(retry.wait if retry.wait is not None else self.config.backoff * 2**attempt)
        except FetchRefused as exc:
            result.error_kind, result.message = exc.kind, exc.message
        return result

    async def _request(self, url: str, address: str, result: FetchResult, conditional: tuple[str | None, str | None] | None) -> None:
        """One attempt, connecting to the checked address of each hop (see safety.pinned)."""
        headers = {"User-Agent": self.config.user_agent, "Accept-Encoding": "gzip, deflate"}
        if conditional:
            etag, modified = conditional
            if etag:
                headers["If-None-Match"] = etag
            if modified:
                headers["If-Modified-Since"] = modified
        current = url
        for _ in range(self.config.max_redirects + 1):
            host = urlsplit(current).netloc
            target, host_header, extensions = pinned(current, address)
            async with self.global_slots, self.gate.slot(host):
                await self.gate.wait_turn(host)
                try:
                    async with self.client.stream("GET", target, headers={**headers, **host_header}, extensions=extensions,
                                                  follow_redirects=False) as response:
                        if response.status_code in (301, 302, 303, 307, 308):
                            location = response.headers.get("location")
                            if not location:
                                raise FetchRefused("bad_redirect", f"{current} redirects without a Location")
                            nxt = urljoin(current, location)
                            address = check_url(nxt, self.config.allow_private_hosts)
                            current = nxt
                            continue
                        self._fill(result, response, current)
                        if response.status_code == 429 or response.status_code >= 500:
                            wait = _retry_after(response.headers.get("retry-after"), self.config.max_retry_after)
                            raise _Retry(wait, f"HTTP {response.status_code} from {current}", f"http_{response.status_code}")
                        if response.status_code == 200:
                            result.body = await self._read_capped(response, current)
                        return
                except httpx.TimeoutException as exc:
                    raise _Retry(None, f"timed out after {self.config.timeout} s: {current} ({type(exc).__name__})", "timeout") from exc
                except (httpx.ConnectError, httpx.RemoteProtocolError, httpx.ReadError) as exc:
                    raise _Retry(None, f"connection failed: {current} ({exc})", "connection") from exc
        raise FetchRefused("redirect_loop", f"more than {self.config.max_redirects} redirects starting at {url}")

    def _fill(self, result: FetchResult, response: httpx.Response, url: str) -> None:
        result.final_url = url
        result.status = response.status_code
        result.reason = response.reason_phrase
        result.headers = list(response.headers.multi_items())
        result.fetched_at = datetime.now(timezone.utc).replace(tzinfo=None)

    async def _read_capped(self, response: httpx.Response, url: str) -> bytes:
        cap = self.config.max_bytes
        declared = response.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > cap and "content-encoding" not in response.headers:
            raise FetchRefused("too_large", f"{url} declares {declared} bytes, more than the {cap}-byte cap")
        chunks, size = [], 0
        async for chunk in response.aiter_bytes():  # decoded: the cap holds after decompression (gzip bombs)
            size += len(chunk)
            if size > cap:
                raise FetchRefused("too_large", f"{url} is larger than {cap} bytes (after decompression)")
            chunks.append(chunk)
        return b"".join(chunks)


def new_client(config: FetchConfig) -> httpx.AsyncClient:
    """The shared client: timeouts from the config, no automatic redirects, no environment proxies."""
    return httpx.AsyncClient(timeout=httpx.Timeout(config.timeout), follow_redirects=False, trust_env=False,
                             limits=httpx.Limits(max_connections=config.max_concurrency))
