"""Fetching a user-supplied URL safely: address guard, timeouts, size cap, redirect limit.

The address check runs where the socket is opened (an httpcore network
backend), after DNS resolution and for every redirect hop, and the socket is
opened to the very address that was checked, so a name that resolves to a
public address for the check and a private one for the connection (DNS
rebinding) gets nowhere.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpcore
import httpx

from ..config import Settings
from ..errors import BlockedAddress, FetchError, TooLarge, TriangulateError
from ._decode import megabytes

ACCEPTED_TYPES = (
    "text/html",
    "application/xhtml+xml",
    "text/plain",
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/xml",
    "text/xml",
    "application/json",
    "application/x-ndjson",
    "application/jsonl",
)


def refuse_reason(address: str) -> str | None:
    """Why an IP address may not be fetched from, or None when it may.

    Example:
        >>> refuse_reason("127.0.0.1"), refuse_reason("10.1.2.3"), refuse_reason("93.184.216.34")
        ('loopback', 'private', None)
        >>> refuse_reason("100.100.100.200"), refuse_reason("2002:7f00:1::"), refuse_reason("fec0::1")
        ('carrier-grade NAT', '6to4', 'site-local')
    """
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.sixtofour or ip.teredo:  # tunnels that reach an IPv4 address of their own choosing
            return "6to4" if ip.sixtofour else "Teredo"
        if ip.is_site_local:
            return "site-local"
        embedded = ip.ipv4_mapped or (ip in _NAT64 and ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
        if embedded:
            ip = embedded
    for reason, flag in (
        ("loopback", ip.is_loopback),
        ("link-local", ip.is_link_local),
        ("private", ip.is_private),
        ("carrier-grade NAT", ip in _SHARED),
        ("multicast", ip.is_multicast),
        ("unspecified", ip.is_unspecified),
        ("reserved", ip.is_reserved),
    ):
        if flag:
            return reason
    return None


_SHARED = ipaddress.ip_network("100.64.0.0/10")  # carrier-grade NAT; cloud metadata (100.100.100.200) lives here
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


class _DeadlineStream:
    """A socket stream whose every read and write ends by the fetch's one deadline.

    httpx's timeouts count per operation, so a server that drips its headers a
    byte at a time never trips them; here each operation gets only the time
    left of the whole fetch.
    """

    def __init__(self, stream, deadline: float) -> None:
        self.stream = stream
        self.deadline = deadline

    def _left(self, timeout: float | None, error: type[Exception]) -> float:
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise error("the fetch's deadline passed")
        return left if timeout is None else min(timeout, left)

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self.stream.read(max_bytes, self._left(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        return self.stream.write(buffer, self._left(timeout, httpcore.WriteTimeout))

    def start_tls(self, ssl_context, server_hostname=None, timeout=None):
        left = self._left(timeout, httpcore.ConnectTimeout)
        return _DeadlineStream(self.stream.start_tls(ssl_context, server_hostname, left), self.deadline)

    def close(self) -> None:
        self.stream.close()

    def get_extra_info(self, info: str):
        return self.stream.get_extra_info(info)


class GuardedBackend(httpcore.SyncBackend):
    """Resolves, checks and connects to the checked address."""

    def __init__(self, allow_private: bool, allowed_networks: str = "", deadline: float | None = None) -> None:
        self.allow_private = allow_private
        self.allowed = [ipaddress.ip_network(n.strip()) for n in allowed_networks.split(",") if n.strip()]
        self.deadline = deadline

    def _refused(self, address: str) -> str | None:
        if self.allow_private:
            return None
        ip = ipaddress.ip_address(address.split("%", 1)[0])
        if any(ip in network for network in self.allowed):
            return None
        return refuse_reason(address)

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except socket.gaierror as exc:
            raise FetchError(f"cannot resolve host {host!r} ({exc.strerror}); check the URL") from None
        addresses = [info[4][0] for info in infos]
        for address in addresses:
            reason = self._refused(address)
            if reason:
                raise BlockedAddress(
                    f"refused to fetch from {host} ({address} is a {reason} address); "
                    "only public addresses are fetched from user-supplied URLs"
                )
        last: Exception | None = None
        for address in addresses:
            if self.deadline is not None:
                timeout = _DeadlineStream(None, self.deadline)._left(timeout, httpcore.ConnectTimeout)
            try:
                stream = super().connect_tcp(address, port, timeout, local_address, socket_options)
            except httpcore.ConnectError as exc:
                last = exc
                continue
            return stream if self.deadline is None else _DeadlineStream(stream, self.deadline)
        raise last or FetchError(f"no address to connect to for {host}")


class GuardedTransport(httpx.HTTPTransport):
    """httpx's transport, with its connection pool opening sockets through the guard."""

    def __init__(self, backend: GuardedBackend) -> None:
        super().__init__()
        self._pool = httpcore.ConnectionPool(ssl_context=httpx.create_ssl_context(), network_backend=backend)


@dataclass(frozen=True, slots=True)
class Fetched:
    url: str  # after redirects
    content: bytes
    content_type: str


def fetch(url: str, settings: Settings) -> Fetched:
    """GET a URL within the guard, the time limit and the size cap.

    One deadline, ``settings.fetch_timeout``, covers connecting, the headers
    and the body together. Raises ``BlockedAddress`` for private targets (also after a redirect),
    ``TooLarge`` past ``settings.max_document_bytes`` and ``FetchError`` for
    everything else that goes wrong (404, time-out, wrong content type).
    """
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises on a port that is not a number
        httpx.URL(url)
    except (ValueError, httpx.InvalidURL) as exc:
        raise FetchError(f"not a valid URL ({exc}); check it", item=url) from None
    scheme = parts.scheme.lower()
    if scheme not in {"http", "https"}:
        raise FetchError(f"only http and https URLs are fetched, not {scheme or 'a bare path'}", item=url)
    deadline = time.monotonic() + settings.fetch_timeout
    timeout = httpx.Timeout(settings.fetch_timeout, connect=min(5.0, settings.fetch_timeout))
    backend = GuardedBackend(settings.allow_private_urls, settings.allowed_networks, deadline)
    client = httpx.Client(
        transport=GuardedTransport(backend),
        follow_redirects=True,
        max_redirects=settings.max_redirects,
        timeout=timeout,
        trust_env=False,  # an environment proxy would bypass the address guard
        headers={"User-Agent": settings.user_agent, "Accept": ", ".join(ACCEPTED_TYPES[:6])},
    )
    try:
        with client, client.stream("GET", url) as response:
            if response.status_code >= 400:
                raise FetchError(
                    f"the server answered {response.status_code} {response.reason_phrase}; check the URL",
                    item=url,
                )
            kind = response.headers.get("content-type", "").split(";")[0].strip().lower()
            if kind and kind not in ACCEPTED_TYPES:
                raise FetchError(f"content type {kind!r} is not an article or feed", item=url)
            declared = int(response.headers.get("content-length") or 0)
            if declared > settings.max_document_bytes:
                raise _too_large(url, declared, settings)
            body = bytearray()
            for chunk in response.iter_bytes():
                body += chunk
                if len(body) > settings.max_document_bytes:
                    raise _too_large(url, len(body), settings)
                if time.monotonic() > deadline:
                    raise FetchError(f"took longer than {settings.fetch_timeout:g} s; try again later", item=url)
            return Fetched(str(response.url), bytes(body), kind)
    except FetchError as exc:
        if exc.item:
            raise
        raise type(exc)(str(exc), item=url) from None  # raised where the socket opens
    except httpx.TooManyRedirects:
        raise FetchError(f"more than {settings.max_redirects} redirects", item=url) from None
    except httpx.TimeoutException:
        raise FetchError(f"timed out after {settings.fetch_timeout:g} s; try again later", item=url) from None
    except httpx.HTTPError as exc:
        raise FetchError(f"{type(exc).__name__}: {exc}", item=url) from None
    except ValueError as exc:  # a redirect to a malformed URL
        if isinstance(exc, TriangulateError):
            raise
        raise FetchError(f"a malformed URL on the way ({exc})", item=url) from None


def _too_large(url: str, size: int, settings: Settings) -> TooLarge:
    return TooLarge(
        f"more than {megabytes(settings.max_document_bytes)} (got {megabytes(size)}); "
        "raise max_document_bytes if this page is really an article",
        item=url,
    )
