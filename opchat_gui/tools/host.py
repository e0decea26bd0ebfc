"""All the user's tool servers behind one object the chat layer calls.

`ToolHost` makes a `ServerConnection` per enabled server only when it is first needed,
lists every server's tools at once (a server that fails to start is reported, the
others still offer theirs), calls a tool by the name the model used, and stops every
server on shutdown.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from opchat_gui.tools.connection import CALL_TIMEOUT, ServerConnection
from opchat_gui.tools.errors import ToolServerError, UnknownToolError
from opchat_gui.tools.model_tools import ModelTools, ToolOutcome, model_tools, tool_result
from opchat_gui.tools.server_config import ServerConfig, ServersConfig

if TYPE_CHECKING:
    from mcp.types import Tool

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Listing:
    """Every enabled server's tools, and why the others offer none."""

    tools: dict[str, list[Tool]] = field(default_factory=dict)
    errors: dict[str, ToolServerError] = field(default_factory=dict)

    def for_model(self) -> ModelTools:
        return model_tools(self.tools)


class ToolHost:
    def __init__(self, config: ServersConfig, **connection_options: Any) -> None:
        self.config = config
        self._options = connection_options
        self._connections: dict[str, ServerConnection] = {}
        self._retired: list[asyncio.Task[None]] = []  # connections of changed entries

    def connection(self, name: str) -> ServerConnection:
        """The server's connection (not started); a changed entry gets a new one."""
        entry: ServerConfig = self.config.servers[name]
        current = self._connections.get(name)
        if current is None or current.config != entry:
            if current is not None:
                self._retired.append(asyncio.ensure_future(current.stop()))
            current = self._connections[name] = ServerConnection(entry, **self._options)
        return current

    async def list_tools(self) -> Listing:
        """Start what is needed and list the tools of every enabled server, concurrently."""
        names = [entry.name for entry in self.config.enabled()]
        results = await asyncio.gather(*(self.connection(n).tools() for n in names),
                                       return_exceptions=True)
        listing = Listing()
        for name, result in zip(names, results, strict=True):
            if isinstance(result, ToolServerError):
                listing.errors[name] = result
            elif isinstance(result, BaseException):
                raise result
            else:
                listing.tools[name] = result
        return listing

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


__all__ = ["Listing", "ToolHost"]
