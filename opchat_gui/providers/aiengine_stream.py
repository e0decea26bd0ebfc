"""Reading an AI Engine (`mwai-ui/v1/chats/submit`) response into reply text.

The reference client only knew `live` and `end`; real servers also send `error` events,
JSON error bodies (sometimes with a 200 and an SSE line inside), and streams that just
stop. Every one of those ends here as text or as a ProviderError, never as silence.

Newer plugins tag `live` events with a subtype. Only `content` (or none) is reply text;
`thinking` goes to `reasoning_sink`, `status` (one line, e.g. "Searching the web…") to
`status_sink`; `tool_call`, `debug` and unknown subtypes are not for the reader.
"""

from __future__ import annotations

import json
from collections.abc import AsyncGenerator, AsyncIterable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from opchat_gui.providers.errors import (
    AuthError,
    CutOffError,
    HTTPStatusError,
    ProtocolError,
    ProviderError,
    ProxyError,
    RejectedError,
    ServerError,
)
from opchat_gui.providers.http import excerpt
from opchat_gui.providers.http import read_body as read_to_limit
from opchat_gui.providers.lazy import lazy_import
from opchat_gui.providers.lines import iter_lines
from opchat_gui.providers.reasoning import ReasoningSink, StatusSink, ThinkingEndSink

if TYPE_CHECKING:  # the real module for the type checker; lazy at run time
    import aiohttp
else:
    aiohttp = lazy_import("aiohttp")

BODY_LIMIT = 64 * 1024
BROKEN_LINE_LIMIT = 500
NONCE_CODES = frozenset({"rest_forbidden", "rest_cookie_invalid_nonce"})
# What AI Engine says for an empty or over-long message and an unknown bot, as a 403 JSON
# body or (2.4+ input limit) as an in-stream `error` event.
REJECTED = "query has been rejected"
STATUS_SHOWN = 200  # a status line is one line of the status bar, not a log


def server_error(message: str) -> ProviderError:
    """A message the server reported: a refusal of this very message, or any other error."""
    return RejectedError(message) if REJECTED in message.lower() else ServerError(message)


def parse_event(line: bytes) -> dict[str, Any]:
    """One `data: {...}` line as a dict with a "type"; anything else is a broken line."""
    try:
        event = json.loads(line[5:])
        if not isinstance(event, dict) or "type" not in event:
            raise ValueError("no type")
    except ValueError as exc:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        shown = line.decode("utf-8", "replace")
        if len(shown) > BROKEN_LINE_LIMIT:
            shown = shown[:BROKEN_LINE_LIMIT] + "…"
        raise ProtocolError(f"Broken line: {shown}") from exc
    return event


def _data_text(event: dict[str, Any]) -> str | None:
    data = event.get("data")
    if data is None:
        return None
    return data if isinstance(data, str) else json.dumps(data, ensure_ascii=False)


def live_text(event: dict[str, Any]) -> str | None:
    """The reply text a `live` event carries, or None for thinking/status/debug events."""
    subtype = event.get("subtype")
    if subtype is not None and subtype != "content":
        return None
    return _data_text(event)


def live_reasoning(event: dict[str, Any]) -> str | None:
    """The thinking a `live` event with subtype `thinking` carries."""
    return _data_text(event) if event.get("subtype") == "thinking" else None


def live_status(event: dict[str, Any]) -> str | None:
    """A `status` event as one line of text (whitespace folded, long text cut)."""
    if event.get("subtype") != "status":
        return None
    line = " ".join((_data_text(event) or "").split())
    if len(line) > STATUS_SHOWN:
        line = line[:STATUS_SHOWN - 1] + "…"
    return line or None


def end_reply(event: dict[str, Any]) -> str:
    """The full reply an `end` event carries (its data is a JSON string, or an object)."""
    data = event.get("data")
    if isinstance(data, str):
        try:
            data = json.loads(data)
        except ValueError:
            return ""
    reply = data.get("reply") if isinstance(data, dict) else None
    return reply if isinstance(reply, str) else ""


def error_text(event: dict[str, Any]) -> str:
    data = event.get("data")
    if isinstance(data, str) and data.strip():
        return data.strip()
    if isinstance(data, dict) and data.get("message"):
        return str(data["message"])
    return "the server reported an error without a message"


def error_from_json(status: int, body: Any) -> ProviderError | None:
    """The ProviderError a JSON body means, or None if it is not an error body."""
    if not isinstance(body, dict):
        return None
    message = body.get("message")
    message = str(message) if message else ""
    code = body.get("code")
    code = code if isinstance(code, str | int) and not isinstance(code, bool) else None
    if code in NONCE_CODES or (code and status in (401, 403)):
        return AuthError(status, f"{code}: {message}" if message else str(code))
    if body.get("success") is False:
        return server_error(message or "the server rejected the request")
    if status >= 300:
        return HTTPStatusError(status, excerpt(message or json.dumps(body)))
    return None


def error_from_status(status: int, text: str) -> ProviderError:
    try:
        body = json.loads(text)
    except ValueError:
        body = None
    error = error_from_json(status, body)
    if error is not None:
        return error
    if status == 407:
        shown = excerpt(text)
        return ProxyError("HTTP 407: the proxy wants valid credentials"
                          + (f" ({shown})" if shown else ""))
    cls = AuthError if status in (401, 403) else HTTPStatusError
    return cls(status, excerpt(text))


@dataclass(frozen=True)
class LiveSinks:
    """Where the `live` events that are not reply text go (None: dropped)."""

    reasoning: ReasoningSink | None = None
    status: StatusSink | None = None
    thinking_end: ThinkingEndSink | None = None


async def read_body(response: aiohttp.ClientResponse, limit: int = BODY_LIMIT) -> str:
    """The body as text, read to its end or `limit` bytes."""
    return (await read_to_limit(response, limit)).decode("utf-8", "replace")


async def read_reply(
    response: aiohttp.ClientResponse,
    progress: dict[str, bool],
    on_end: Callable[[dict[str, Any]], None] | None = None,
    *,
    sinks: LiveSinks | None = None,
) -> AsyncGenerator[str, None]:
    """Yield reply text from a submit response; raise a ProviderError for every failure.

    `progress["started"]` turns true with the first text, so a drop after it is "cut off".
    `on_end` receives the `end` event, for clients that want its final reply and usage.
    """
    if not 200 <= response.status < 300:
        raise error_from_status(response.status, await read_body(response))
    async for text in read_events(response.content.iter_any(), progress, on_end,
                                  status=response.status, sinks=sinks):
        yield text


async def read_events(
    chunks: AsyncIterable[bytes],
    progress: dict[str, bool],
    on_end: Callable[[dict[str, Any]], None] | None = None,
    *,
    status: int = 200,
    sinks: LiveSinks | None = None,
) -> AsyncGenerator[str, None]:
    """The body of a 2xx answer, in network-sized pieces, as reply text (no aiohttp here)."""
    sinks = sinks or LiveSinks()
    saw_event = answered = thought = False
    other = bytearray()
    async for line in iter_lines(chunks):
        if not line.startswith(b"data:"):
            if not saw_event and len(other) < BODY_LIMIT:
                other += line + b"\n"
            continue
        saw_event = True
        event = parse_event(line)
        kind = event["type"]
        if kind == "live":
            text = live_text(event)
            if text:
                progress["started"] = answered = True
                yield text
            thinking = live_reasoning(event)
            if thinking:
                progress["started"] = thought = True
                if sinks.reasoning is not None:
                    sinks.reasoning(thinking)
            status_line = live_status(event)
            if status_line and sinks.status is not None:
                sinks.status(status_line)
        elif kind == "end":
            if on_end is not None:
                on_end(event)
            if (thought and not answered and not end_reply(event).strip()
                    and sinks.thinking_end is not None):
                sinks.thinking_end("")  # the plugin sends no finish reason
            return
        elif kind == "error":
            raise server_error(error_text(event))
    if saw_event:
        raise CutOffError("the stream ended before the server said it was complete")
    async for text in _plain_body(status, bytes(other).decode("utf-8", "replace"), on_end):
        progress["started"] = True
        yield text


async def _plain_body(status: int, text: str,
                      on_end: Callable[[dict[str, Any]], None] | None = None
                      ) -> AsyncGenerator[str, None]:
    """A 2xx answer with no events: a non-streaming JSON reply, a JSON error, or junk."""
    if not text.strip():
        raise CutOffError("the server sent an empty answer")
    try:
        body = json.loads(text)
    except ValueError:
        raise ProtocolError(f"Broken line: {excerpt(text, BROKEN_LINE_LIMIT)}") from None
    error = error_from_json(status, body)
    if error is not None:
        raise error
    reply = body.get("reply") if isinstance(body, dict) else None
    if not isinstance(reply, str):
        raise ProtocolError(f"Broken line: {excerpt(text, BROKEN_LINE_LIMIT)}")
    yield reply
    if on_end is not None:
        on_end({"type": "end", "data": body})
