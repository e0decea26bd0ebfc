"""HTTP plumbing shared by providers: timeouts, sessions, and aiohttp errors as ProviderErrors."""

from __future__ import annotations

import asyncio
import html
import os
import re
import ssl
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from opchat_gui.core.network import DEFAULT_CONNECT_TIMEOUT as DEFAULT_CONNECT_TIMEOUT
from opchat_gui.core.network import DEFAULT_READ_TIMEOUT as DEFAULT_READ_TIMEOUT
from opchat_gui.core.network import PROXY_SCHEMES, SOCKS_SCHEMES
from opchat_gui.providers.errors import (
    CutOffError,
    ProviderError,
    ProviderTimeoutError,
    ProxyError,
    UnreachableError,
)
from opchat_gui.providers.lazy import lazy_import

if TYPE_CHECKING:  # the real module for the type checker; lazy at run time
    import aiohttp
else:
    aiohttp = lazy_import("aiohttp")
aiohttp_socks = lazy_import("aiohttp_socks")
python_socks = lazy_import("python_socks")

EXCERPT_CHARS = 200


def proxy_errors() -> tuple[type[BaseException], ...]:
    """What a failing SOCKS proxy raises, from either library layer."""
    return (
        python_socks.ProxyError, python_socks.ProxyConnectionError,
        python_socks.ProxyTimeoutError, aiohttp_socks.ProxyError,
        aiohttp_socks.ProxyConnectionError, aiohttp_socks.ProxyTimeoutError,
    )


def network_errors() -> tuple[type[BaseException], ...]:
    """Every failure of the network stack that `translate` turns into a ProviderError."""
    return (TimeoutError, aiohttp.ClientError, OSError, *proxy_errors())


@dataclass(frozen=True)
class Timeouts:
    """Connect covers DNS, TCP and TLS; read is the longest silence allowed mid-stream."""

    connect: float = DEFAULT_CONNECT_TIMEOUT
    read: float = DEFAULT_READ_TIMEOUT

    def client_timeout(self) -> aiohttp.ClientTimeout:
        return aiohttp.ClientTimeout(
            total=None, connect=self.connect, sock_connect=self.connect, sock_read=self.read
        )


def site(url: str) -> str:
    """scheme://host[:port] of a URL: what a user recognises in a message."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.netloc else url


def translate(exc: BaseException, url: str, *, started: bool = False) -> ProviderError:
    """Map an aiohttp/OS failure to the ProviderError a user can act on."""
    url = site(url)
    if isinstance(exc, ProviderError):
        return exc
    if isinstance(exc, aiohttp.ClientProxyConnectionError):
        return ProxyError(f"could not connect to the proxy at {exc.host}:{exc.port}: "
                          f"{_reason(exc.os_error)}")
    if isinstance(exc, aiohttp.ClientHttpProxyError):
        return ProxyError(f"the proxy refused the tunnel (HTTP {exc.status}"
                          + (f" {exc.message}" if exc.message else "") + ")")
    cause = getattr(exc, "os_error", None) or exc.__cause__
    for candidate in (exc, cause):
        if isinstance(candidate, proxy_errors()):
            return ProxyError(f"{type(candidate).__name__}: {candidate}")
    if isinstance(exc, aiohttp.ConnectionTimeoutError):
        return ProviderTimeoutError(f"no connection to {url} within the connect timeout")
    if isinstance(exc, aiohttp.SocketTimeoutError | asyncio.TimeoutError):
        return ProviderTimeoutError(f"{url} went silent for longer than the read timeout")
    if isinstance(exc, aiohttp.ClientConnectorCertificateError):
        cert = exc.certificate_error
        reason = getattr(cert, "verify_message", "") or getattr(cert, "reason", "") or cert
        return UnreachableError(f"TLS failed for {url}: the server's certificate is not "
                                f"trusted ({reason})")
    if isinstance(exc, aiohttp.ClientSSLError):
        return UnreachableError(f"TLS failed for {url}: {exc}")
    if isinstance(exc, aiohttp.ClientConnectorError):
        return UnreachableError(f"{url}: {_reason(exc.os_error)}")
    if isinstance(exc, aiohttp.ServerDisconnectedError | aiohttp.ClientPayloadError):
        if started:
            return CutOffError("the connection closed mid-reply")
        return UnreachableError(f"{url} closed the connection without answering")
    if isinstance(exc, aiohttp.InvalidURL):
        return UnreachableError(f"not a valid address: {exc}")
    if isinstance(exc, aiohttp.ClientError | OSError):
        return UnreachableError(f"{url}: {type(exc).__name__}: {exc}")
    raise exc


def _reason(err: OSError) -> str:
    reason = os.strerror(err.errno) if err.errno else str(err) or type(err).__name__
    return reason.lower()


@asynccontextmanager
async def translated(url: str) -> AsyncIterator[dict[str, bool]]:
    """Re-raise network failures inside the block as ProviderErrors.

    The yielded dict's "started" flag tells whether reply text already flowed, which
    turns a dropped connection into "cut off" rather than "unreachable".
    """
    state = {"started": False}
    try:
        yield state
    except network_errors() as exc:
        raise translate(exc, url, started=state["started"]) from exc


LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


def is_loopback(url: str) -> bool:
    """Whether `url` names this machine."""
    return (urlsplit(url).hostname or "") in LOOPBACK_HOSTS


def check_proxy(proxy: str) -> str:
    """The proxy URL if its scheme is one we speak; a ProxyError (never the URL) otherwise."""
    scheme = urlsplit(proxy).scheme.lower()
    if scheme not in PROXY_SCHEMES:
        raise ProxyError(f"unsupported proxy scheme {scheme or '(none)'!r}; use http, https "
                         "or socks5")
    return proxy


def ssl_context(ca_file: str | None) -> ssl.SSLContext | None:
    """The system's trust plus `ca_file` (a self-signed server's PEM), or None for defaults."""
    if not ca_file:
        return None
    context = ssl.create_default_context()
    try:
        context.load_verify_locations(cafile=ca_file)
    except (OSError, ssl.SSLError) as exc:
        raise UnreachableError(f"the CA certificate file {ca_file} cannot be used: "
                               f"{getattr(exc, 'strerror', None) or exc}") from exc
    return context


def session(headers: Mapping[str, str], timeouts: Timeouts, proxy: str | None = None,
            ca_file: str | None = None, *, keepalive: float | None = None
            ) -> tuple[aiohttp.ClientSession, str | None]:
    """A session and the `proxy=` to pass per request.

    SOCKS proxies are a connector (aiohttp-socks); HTTP(S) proxies are aiohttp's own,
    credentials taken from the URL. Either way the caller just passes the returned value.
    `keepalive`: seconds an idle connection is kept for the next request (providers/pool).
    """
    context = ssl_context(ca_file)
    connector: aiohttp.BaseConnector | None = None
    if proxy:
        check_proxy(proxy)
        if urlsplit(proxy).scheme.lower() in SOCKS_SCHEMES:
            remote_dns = proxy.lower().startswith("socks5h://")
            url = "socks5://" + proxy.split("://", 1)[1] if remote_dns else proxy
            connector = aiohttp_socks.ProxyConnector.from_url(
                url, rdns=remote_dns or None, **({"ssl": context} if context else {}))
            proxy = None
    if connector is None and keepalive is not None:
        connector = aiohttp.TCPConnector(ssl=context if context is not None else True,
                                         keepalive_timeout=keepalive)
    elif connector is None and context is not None:
        connector = aiohttp.TCPConnector(ssl=context)
    client = aiohttp.ClientSession(headers=dict(headers), timeout=timeouts.client_timeout(),
                                   connector=connector)
    return client, proxy


async def read_body(response: aiohttp.ClientResponse, limit: int) -> bytes:
    """The body up to its end or `limit` bytes, however many pieces it arrives in.

    `content.read(n)` returns what is buffered now (perhaps a few bytes), not n bytes, so
    a decision made on one read sees a truncated JSON error or half a page.
    """
    data = bytearray()
    while len(data) < limit:
        piece = await response.content.read(limit - len(data))
        if not piece:
            break
        data += piece
    return bytes(data)


def _text_of(fragment: str) -> str:
    text = re.sub(r"<[^>]+>", " ", fragment)
    return " ".join(html.unescape(text).split())


def html_summary(body: str) -> str | None:
    """An HTML page as its title (and first heading when it says more), or None if not HTML.

    A WordPress or nginx error page is mostly markup, scripts and menus; its title and
    first heading are what a person would read.
    """
    if not re.search(r"<(!doctype\s+html|html|head|body|title)\b", body[:2048], re.I):
        return None
    cleaned = re.sub(r"<(script|style|nav|header)\b.*?</\1\s*>", " ", body, flags=re.S | re.I)
    cleaned = re.sub(r"<!--.*?-->", " ", cleaned, flags=re.S)
    parts: list[str] = []
    for pattern in (r"<title\b[^>]*>(.*?)</title", r"<h1\b[^>]*>(.*?)</h1"):
        match = re.search(pattern, cleaned, re.S | re.I)
        text = _text_of(match.group(1)) if match else ""
        if text and not any(text in part or part in text for part in parts):
            parts.append(text)
    if not parts:
        body_match = re.search(r"<body\b[^>]*>(.*)", cleaned, re.S | re.I)
        first = _text_of(body_match.group(1) if body_match else cleaned)
        if first:
            parts.append(first)
    return ": ".join(parts)


def excerpt(body: str, limit: int = EXCERPT_CHARS) -> str:
    """A short, single-line, tag-free piece of an error body (HTML pages as their title)."""
    summary = html_summary(body)
    if summary is None:
        text = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S | re.I)
        text = re.sub(r"<[^>]+>", " ", text)
        summary = " ".join(text.split())
    return summary if len(summary) <= limit else summary[: limit - 1] + "…"
