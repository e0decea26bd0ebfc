"""The `mcp` SDK, loaded off the loop on first use, and the glue around its session.

Importing the SDK takes a second or more (pydantic models, starlette), and the loop the
servers run on is the window's, so `load_sdk()` imports it in a worker thread, once.
`open_http()` gives the SDK's streamable-HTTP transport a client that carries the
entry's headers and keeps the last error status: the SDK itself only says "Server
returned an error response", and "HTTP 401" is what tells the user to check the token.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import logging
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mcp import ClientSession

log = logging.getLogger(__name__)

SDK_MODULES = ("mcp", "mcp.client.streamable_http", "mcp_types", "httpx2")
_sdk_loading: asyncio.Future[None] | None = None


def _import_sdk() -> None:
    for name in SDK_MODULES:
        importlib.import_module(name)


async def load_sdk() -> None:
    """Import the SDK in a worker thread, once (a failed import is tried again)."""
    global _sdk_loading
    loop = asyncio.get_running_loop()
    loading = _sdk_loading if _sdk_loading is not None and _sdk_loading.get_loop() is loop \
        else None
    if loading is None or (loading.done() and (loading.cancelled()
                                                or loading.exception() is not None)):
        if all(name in sys.modules for name in SDK_MODULES):  # imported by someone else
            return
        loading = _sdk_loading = loop.run_in_executor(None, _import_sdk)
    await asyncio.shield(loading)


@dataclass
class HttpStatus:
    """The last error status a streamable-HTTP server answered with."""

    code: int | None = None


async def open_http(stack: contextlib.AsyncExitStack, url: str, headers: Mapping[str, str],
                    status: HttpStatus) -> tuple[Any, Any]:
    """The SDK's streamable-HTTP transport (read, write), closed with `stack`."""
    import httpx2  # the SDK's HTTP client; its transport takes one configured by us
    from mcp.client.streamable_http import streamable_http_client

    status.code = None

    async def keep_status(response: httpx2.Response) -> None:
        if response.status_code >= 400:
            status.code = response.status_code

    client = await stack.enter_async_context(httpx2.AsyncClient(
        headers=dict(headers), timeout=httpx2.Timeout(30.0, read=300.0),
        event_hooks={"response": [keep_status]}))
    streams = await stack.enter_async_context(streamable_http_client(url, http_client=client))
    return streams[0], streams[1]


def client_session(name: str, read: Any, write: Any, errors: list[Exception]) -> ClientSession:
    """A session that names this app and collects transport failures into `errors`."""
    from mcp import ClientSession
    from mcp.types import Implementation

    from opchat_gui import __version__

    async def on_message(message: Any) -> None:
        if isinstance(message, Exception):  # a transport failure: HTTP refused, ...
            log.warning("tool server %s: %s", name, message)
            errors.append(message)

    return ClientSession(read, write, message_handler=on_message,
                         client_info=Implementation(name="opchat-gui", version=__version__))
