"""Which URLs may be requested: http(s) only, and by default no private, loopback or link-local addresses."""
from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit, urlunsplit


class FetchRefused(Exception):
    """A URL newsclean will not request (a recorded error, not a crash)."""

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind
        self.message = message


def _blocked(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    return ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_multicast or ip.is_reserved or ip.is_unspecified


def check_url(url: str, allow_private_hosts: bool = False) -> str:
    """The address to connect to for url: its host resolved once and checked. Raise FetchRefused unless url is
    http(s) to a public address (or private ones are allowed). Connecting to this address, not resolving the
    name again, closes the DNS-rebinding window between the check and the request."""
    try:
        parts = urlsplit(url)
        host, port = parts.hostname, parts.port
    except ValueError as exc:  # "http://[::1", a port out of range: from a user's list or a server's redirect
        raise FetchRefused("bad_url", f"not a valid URL ({exc})") from None
    if parts.scheme not in ("http", "https"):
        raise FetchRefused("bad_scheme", f"only http and https URLs are fetched, not {parts.scheme or 'no scheme'!r}")
    if not host:
        raise FetchRefused("bad_url", "the URL has no host")
    try:
        infos = socket.getaddrinfo(host, port or (443 if parts.scheme == "https" else 80), type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, ValueError) as exc:
        raise FetchRefused("dns", f"cannot resolve {host}: {exc}") from exc
    addresses = [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]
    if not allow_private_hosts:
        for ip in addresses:
            if _blocked(ip):
                raise FetchRefused(
                    "private_host",
                    f"{host} resolves to {ip}, a private/loopback/link-local address (use --allow-private-hosts to allow)",
                )
    return str(addresses[0])


def pinned(url: str, address: str) -> tuple[str, dict[str, str], dict[str, str]]:
    """url with its host replaced by the checked address, plus the Host header and the TLS name (SNI) that
    keep the request addressed to the name: (url, headers, httpx request extensions)."""
    parts = urlsplit(url)
    host = f"[{address}]" if ":" in address else address
    netloc = f"{host}:{parts.port}" if parts.port else host
    extensions = {"sni_hostname": parts.hostname} if parts.scheme == "https" else {}
    return urlunsplit(parts._replace(netloc=netloc)), {"Host": parts.netloc.rsplit("@", 1)[-1]}, extensions
