"""Keep-alive for replies from a server on this machine: one HTTP session per server
settings, kept open between replies, so a reply's request goes out on the connection
the last one used instead of a new one.

Why: with a local server, opening a connection (the session, the socket, its connect and
the event-loop turns around them) was about 2 ms of the 8 between Enter and the request's
arrival (benchmarks/b9_latency.py). Why loopback only: a POST is not retried by aiohttp,
and a remote server that closes an idle connection just as a request goes out would fail
that reply; on this machine the server's close reaches us at once, and aiohttp drops a
closed connection before it reuses one. Remote sites and proxies keep one session per
request, as before.

The sessions are closed by `close()` (ChatService.shutdown) or, when the loop's tasks are
cancelled without it (a test's loop at teardown), by the task that keeps them.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Mapping
from contextlib import AbstractAsyncContextManager
from typing import TYPE_CHECKING

from opchat_gui.providers import http

if TYPE_CHECKING:
    import aiohttp

KEEPALIVE_SECONDS = 60.0  # an idle connection is closed after this (or by its server)

_Key = tuple[tuple[tuple[str, str], ...], http.Timeouts, str]


def open_client(pool: SessionPool | None, url: str, headers: Mapping[str, str],
                timeouts: http.Timeouts, proxy: str | None = None, ca_file: str | None = None
                ) -> tuple[AbstractAsyncContextManager[aiohttp.ClientSession], str | None]:
    """`pool.client(...)`, or without a pool a session of the request's own."""
    if pool is None:
        return http.session(headers, timeouts, proxy, ca_file)
    return pool.client(url, headers, timeouts, proxy, ca_file)


class SessionPool:
    """The sessions kept for loopback servers, on one event loop."""

    def __init__(self) -> None:
        self._sessions: dict[_Key, aiohttp.ClientSession] = {}
        self._loop: asyncio.AbstractEventLoop | None = None
        self._keeper: asyncio.Task[None] | None = None

    def client(self, url: str, headers: Mapping[str, str], timeouts: http.Timeouts,
               proxy: str | None = None, ca_file: str | None = None
               ) -> tuple[AbstractAsyncContextManager[aiohttp.ClientSession], str | None]:
        """What a request to `url` runs in (`async with ... as session`) and the `proxy=`
        to pass: a kept session for a loopback URL without a proxy, else a session of its
        own that the `async with` closes."""
        if proxy or not http.is_loopback(url):
            return http.session(headers, timeouts, proxy, ca_file)
        loop = asyncio.get_event_loop()  # a step qasync runs while stopping has none running
        if loop is not self._loop:  # a new loop: the old one's keeper closed its sessions
            self._loop, self._sessions, self._keeper = loop, {}, None
        key = (tuple(sorted(headers.items())), timeouts, ca_file or "")
        session = self._sessions.get(key)
        if session is None or session.closed:
            session = http.session(headers, timeouts, None, ca_file,
                                   keepalive=KEEPALIVE_SECONDS)[0]
            self._sessions[key] = session
            if self._keeper is None:
                self._keeper = loop.create_task(self._keep(), name="http-session-pool")
        return contextlib.nullcontext(session), None

    async def close(self) -> None:
        """Close every kept session (and their connections)."""
        keeper, self._keeper = self._keeper, None
        if keeper is not None and not keeper.done():
            keeper.cancel()
            await asyncio.gather(keeper, return_exceptions=True)
        await self._close_all()

    async def _keep(self) -> None:
        try:
            await asyncio.Event().wait()
        finally:
            await self._close_all()

    async def _close_all(self) -> None:
        sessions = list(self._sessions.values())
        self._sessions.clear()
        for session in sessions:
            await session.close()
