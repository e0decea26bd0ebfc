"""All the user's tool servers behind one object the chat layer calls.

`ToolHost` makes a `ServerConnection` per enabled server only when it is first needed,
lists every server's tools at once (a server that fails to start is reported, the
others still offer theirs), calls a tool by the name the model used, and stops every
server on shutdown.

A reply waits for the listing at most `wait` seconds: a server that is slower, or fails,
is left out of that reply and of the replies that follow until its back-off
(`LEFT_OUT_DELAYS`, growing while it keeps failing) has passed, so a hanging server costs
one short wait, not one per reply. Its start goes on meanwhile: if it finishes, the next
reply finds its tools ready even during the back-off.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from opchat_gui.tools.connection import CALL_TIMEOUT, ServerConnection
from opchat_gui.tools.errors import ListTimeoutError, ToolServerError, UnknownToolError
from opchat_gui.tools.model_tools import ModelTools, ToolOutcome, model_tools, tool_result
from opchat_gui.tools.server_config import ServerConfig, ServersConfig

if TYPE_CHECKING:
    from mcp.types import Tool

log = logging.getLogger(__name__)

LIST_WAIT = 10.0  # seconds a reply waits for the servers' tools (the settings say)
LEFT_OUT_DELAYS = (30.0, 60.0, 120.0, 300.0)  # a failing server is not waited for again


@dataclass
class LeftOut:
    """A server that failed to list its tools: why, and until when it is not waited for."""

    error: ToolServerError
    until: float  # time.monotonic()
    failures: int


@dataclass(frozen=True)
class Listing:
    """Every enabled server's tools, and why the others offer none."""

    tools: dict[str, list[Tool]] = field(default_factory=dict)
    errors: dict[str, ToolServerError] = field(default_factory=dict)
    retry_in: dict[str, float] = field(default_factory=dict)  # seconds until tried again

    def for_model(self) -> ModelTools:
        return model_tools(self.tools)


class ToolHost:
    def __init__(self, config: ServersConfig, **connection_options: Any) -> None:
        self.config = config
        self._options = connection_options
        self._connections: dict[str, ServerConnection] = {}
        self._retired: list[asyncio.Task[None]] = []  # connections of changed entries
        self.left_out: dict[str, LeftOut] = {}

    def connection(self, name: str) -> ServerConnection:
        """The server's connection (not started); a changed entry gets a new one."""
        entry: ServerConfig = self.config.servers[name]
        current = self._connections.get(name)
        if current is None or current.config != entry:
            if current is not None:
                self._retired.append(asyncio.ensure_future(current.stop()))
            self.left_out.pop(name, None)  # a changed entry is waited for again
            current = self._connections[name] = ServerConnection(entry, **self._options)
        return current

    async def list_tools(self, wait: float = LIST_WAIT) -> Listing:
        """The tools of every enabled server, listed concurrently (starting what is needed),
        waiting at most `wait` seconds; a server in its back-off is not waited for."""
        names = [entry.name for entry in self.config.enabled()]
        results = await asyncio.gather(*(self._tools_of(n, wait) for n in names),
                                       return_exceptions=True)
        listing = Listing()
        now = time.monotonic()
        for name, result in zip(names, results, strict=True):
            if isinstance(result, ToolServerError):
                listing.errors[name] = result
                listing.retry_in[name] = max(0.0, self.left_out[name].until - now)
            elif isinstance(result, BaseException):
                raise result
            else:
                listing.tools[name] = result
        return listing

    async def _tools_of(self, name: str, wait: float) -> list[Tool]:
        connection = self.connection(name)
        ready = connection.cached_tools()
        if ready is not None:
            self.left_out.pop(name, None)
            return ready
        left = self.left_out.get(name)
        if left is not None and time.monotonic() < left.until:
            raise left.error
        try:
            async with asyncio.timeout(wait):
                tools = await connection.tools()  # the start goes on if this gives up
        except TimeoutError:
            error: ToolServerError = ListTimeoutError(name, wait,
                                                      started=connection.state == "running")
        except ToolServerError as exc:
            error = exc
        else:
            self.left_out.pop(name, None)
            return tools
        failures = left.failures + 1 if left is not None else 1
        delay = LEFT_OUT_DELAYS[min(failures, len(LEFT_OUT_DELAYS)) - 1]
        self.left_out[name] = LeftOut(error, time.monotonic() + delay, failures)
        log.warning("tool server %s left out for %g s: %s", name, delay, error.detail)
        raise error

    async def call(self, tools: ModelTools, name: str, arguments: str | Mapping[str, Any],
                   *, timeout: float = CALL_TIMEOUT) -> ToolOutcome:
        """Call the tool the model named; arguments as the model sent them (a JSON text).

        Failures of the server come back as ToolServerError; bad arguments (not JSON, not
        an object) as ValueError, so the caller can tell the model.
        """
        ref = tools.ref(name)
        if ref is None or ref.server not in self.config.servers:
            raise UnknownToolError(name)
        if isinstance(arguments, str):
            parsed = json.loads(arguments) if arguments.strip() else {}
        else:
            parsed = dict(arguments)
        if not isinstance(parsed, dict):
            raise ValueError("the arguments must be a JSON object")
        result = await self.connection(ref.server).call(ref.tool, parsed, timeout=timeout)
        return tool_result(result)

    async def stop_all(self) -> None:
        """Stop every server this host started; returns when no process is left."""
        connections = list(self._connections.values())
        await asyncio.gather(*(c.stop() for c in connections), *self._retired,
                             return_exceptions=True)
        self._retired.clear()


__all__ = ["LEFT_OUT_DELAYS", "LIST_WAIT", "LeftOut", "Listing", "ToolHost"]
