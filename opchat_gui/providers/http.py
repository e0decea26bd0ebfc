"""HTTP plumbing shared by providers: timeouts, sessions, and aiohttp errors as ProviderErrors."""

from __future__ import annotations

import asyncio
import os
import re
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from urllib.parse import urlsplit

import aiohttp

from opchat_gui.providers.errors import (
    CutOffError,
    ProviderError,
    ProviderTimeoutError,
    ProxyError,
    UnreachableError,
)

DEFAULT_CONNECT_TIMEOUT = 15.0
DEFAULT_READ_TIMEOUT = 60.0
EXCERPT_CHARS = 200


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
    if isinstance(exc, aiohttp.ClientProxyConnectionError | aiohttp.ClientHttpProxyError):
        return ProxyError(f"{type(exc).__name__}: {exc}")
    if isinstance(exc, aiohttp.ConnectionTimeoutError):
        return ProviderTimeoutError(f"no connection to {url} within the connect timeout")
    if isinstance(exc, aiohttp.SocketTimeoutError | asyncio.TimeoutError):
        return ProviderTimeoutError(f"{url} went silent for longer than the read timeout")
    if isinstance(exc, aiohttp.ClientSSLError):
        return UnreachableError(f"TLS failed for {url}: {exc}")
    if isinstance(exc, aiohttp.ClientConnectorError):
        err = exc.os_error
        reason = os.strerror(err.errno) if err.errno else str(err) or type(err).__name__
        return UnreachableError(f"{url}: {reason.lower()}")
    if isinstance(exc, aiohttp.ServerDisconnectedError | aiohttp.ClientPayloadError):
        if started:
            return CutOffError("the connection closed mid-reply")
        return UnreachableError(f"{url} closed the connection without answering")
    if isinstance(exc, aiohttp.InvalidURL):
        return UnreachableError(f"not a valid address: {exc}")
    if isinstance(exc, aiohttp.ClientError | OSError):
        return UnreachableError(f"{url}: {type(exc).__name__}: {exc}")
    raise exc


@asynccontextmanager
async def translated(url: str) -> AsyncIterator[dict[str, bool]]:
    """Re-raise network failures inside the block as ProviderErrors.

    The yielded dict's "started" flag tells whether reply text already flowed, which
    turns a dropped connection into "cut off" rather than "unreachable".
    """
    state = {"started": False}
    try:
        yield state
    except (TimeoutError, aiohttp.ClientError, OSError) as exc:
        raise translate(exc, url, started=state["started"]) from exc


def session(headers: Mapping[str, str], timeouts: Timeouts) -> aiohttp.ClientSession:
    return aiohttp.ClientSession(headers=dict(headers), timeout=timeouts.client_timeout())


def excerpt(body: str, limit: int = EXCERPT_CHARS) -> str:
    """A short, single-line, tag-free piece of an error body (HTML error pages included)."""
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S | re.I)
    text = re.sub(r"<[^>]+>", " ", text)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
