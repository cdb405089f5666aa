"""Which URLs may be requested: http(s) only, and by default no private, loopback or link-local addresses."""
from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit


class FetchRefused(Exception):
    """A URL newsclean will not request (a recorded error, not a crash)."""

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind
        self.message = message


def _blocked(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    return ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_multicast or ip.is_reserved or ip.is_unspecified


def check_url(url: str, allow_private_hosts: bool = False) -> None:
    """Raise FetchRefused unless url is http(s) to a public address (or private ones are allowed)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise FetchRefused("bad_scheme", f"only http and https URLs are fetched, not {parts.scheme or 'no scheme'!r}")
    if not parts.hostname:
        raise FetchRefused("bad_url", "the URL has no host")
    if allow_private_hosts:
        return
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80), type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise FetchRefused("dns", f"cannot resolve {parts.hostname}: {exc}") from exc
    for info in infos:
        ip = ipaddress.ip_address(info[4][0])
        if _blocked(ip):
            raise FetchRefused(
                "private_host",
                f"{parts.hostname} resolves to {ip}, a private/loopback/link-local address (use --allow-private-hosts to allow)",
            )
