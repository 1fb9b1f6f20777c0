"""The HTTP client every connector uses: TLS always verified, optional company-CA pinning.

* ``https://`` endpoints are verified against the system's trust store, or only against the
  company CA given as ``ca_file`` (pinning: a certificate from any other CA is refused).
* ``http://`` is refused except on loopback (the reference ERP on this machine), so a token
  never crosses a network in clear text.
* Per-request timeouts; the server's ``Date`` header gives the clock offset.
"""

from __future__ import annotations

import ipaddress
import ssl
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from station import __version__

__all__ = ["InsecureEndpointError", "make_client", "retry_after_seconds", "server_time"]

CONNECT_TIMEOUT = 5.0
READ_TIMEOUT = 30.0


class InsecureEndpointError(ValueError):
    """An endpoint that would send events or a token unencrypted over a network."""


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_endpoint(url: str) -> str:
    """The endpoint without a trailing slash; refuses what must not be used.

    >>> check_endpoint("https://erp.example.com/epcis/")
    'https://erp.example.com/epcis'
    >>> check_endpoint("http://127.0.0.1:8080")
    'http://127.0.0.1:8080'
    >>> check_endpoint("http://erp.example.com")
    Traceback (most recent call last):
    ...
    sync.http.InsecureEndpointError: use https:// for erp.example.com (http:// only on loopback)
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InsecureEndpointError(f"not an http(s) URL: {url!r}")
    if parts.scheme == "http" and not _is_loopback(parts.hostname):
        msg = f"use https:// for {parts.hostname} (http:// only on loopback)"
        raise InsecureEndpointError(msg)
    return url.rstrip("/")


def make_client(
    endpoint: str,
    *,
    token: str | None = None,
    ca_file: Path | None = None,
    read_timeout: float = READ_TIMEOUT,
) -> httpx.Client:
    """A client for ``endpoint``; ``ca_file`` pins the server to certificates of that CA."""
    base = check_endpoint(endpoint)
    verify: ssl.SSLContext | bool = True
    if ca_file is not None:
        verify = ssl.create_default_context(cafile=str(ca_file))  # only this CA is trusted
    headers = {"User-Agent": f"udi-station/{__version__}"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return httpx.Client(
        base_url=base,
        headers=headers,
        verify=verify,
        timeout=httpx.Timeout(read_timeout, connect=CONNECT_TIMEOUT),
        follow_redirects=False,  # a redirect must never carry the token elsewhere
        trust_env=False,  # no proxy or netrc surprises on a shop-floor PC
    )


def server_time(response: httpx.Response) -> datetime | None:
    """The server's clock from its ``Date`` header (None when absent or unreadable)."""
    value = response.headers.get("Date")
    if not value:
        return None
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def retry_after_seconds(response: httpx.Response, now: datetime | None = None) -> float | None:
    """``Retry-After`` as seconds (it may be a number or an HTTP date), capped at an hour."""
    value = response.headers.get("Retry-After")
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return min(float(value), 3600.0)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    delta = (when - (now or datetime.now(UTC))).total_seconds()
    return min(max(delta, 0.0), 3600.0)
