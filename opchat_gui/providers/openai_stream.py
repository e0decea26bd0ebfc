"""Reading an OpenAI-compatible chat-completions stream into reply text (no aiohttp here).

Real servers send a role-only first chunk, an empty finish chunk, a usage chunk,
`: ping` comments, and sometimes `data: {"error": ...}` or nothing at all after the
headers. Every byte sequence ends as text or as a ProviderError.
"""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterable, AsyncIterator, Callable
from typing import Any

from opchat_gui.providers.errors import (
    AuthError,
    ContextOverflowError,
    CutOffError,
    HTTPStatusError,
    ProtocolError,
    ProviderError,
    ProxyError,
    ServerError,
)
from opchat_gui.providers.http import excerpt
from opchat_gui.providers.lines import iter_lines

BODY_LIMIT = 64 * 1024
LINE_SHOWN = 500
UsageSink = Callable[[dict[str, Any]], None]
FinishSink = Callable[[str], None]  # why the reply ended: stop, length, content_filter, ...
OVERFLOW_TYPES = frozenset({"exceed_context_size_error", "context_length_exceeded"})
# What servers without a type or code say: vLLM, LiteLLM, Ollama, Anthropic-style proxies.
OVERFLOW_WORDS = re.compile(
    r"context (length|size|window)|maximum context|exceeds? the (available )?context|"
    r"too many tokens|prompt is too long|input is too long for", re.I)


def is_context_overflow(body: Any) -> bool:
    """Whether an error body says the prompt does not fit the model's context."""
    if not isinstance(body, dict):
        return False
    error = body.get("error")
    if isinstance(error, dict):
        if {str(error.get("type")), str(error.get("code"))} & OVERFLOW_TYPES:
            return True
        text = error.get("message")
    else:
        text = error if isinstance(error, str) else body.get("detail") or body.get("message")
    return isinstance(text, str) and bool(OVERFLOW_WORDS.search(text))


def error_message(body: Any) -> str | None:
    """The human part of an error body: {"error": {...}|"..."}, {"detail": ...}, {"message"}."""
    if not isinstance(body, dict):
        return None
    error = body.get("error")
    if isinstance(error, dict):
        message = error.get("message") or error.get("type") or error.get("code")
        extra = error.get("code")
        text = str(message) if message not in (None, "") else "unknown error"
        if extra not in (None, "") and str(extra) not in text:
            text += f" (code {extra})"
        return text
    if isinstance(error, str) and error:
        return error
    detail = body.get("detail")
    if detail:
        return detail if isinstance(detail, str) else json.dumps(detail, ensure_ascii=False)
    if isinstance(body.get("message"), str) and body.get("success") is not True:
        return str(body["message"])
    return None


def error_from_status(status: int, text: str) -> ProviderError:
    """A non-2xx answer as the ProviderError it means (JSON, text/plain or empty)."""
    try:
        body = json.loads(text)
    except ValueError:
        body = None
    message = error_message(body)
    shown = excerpt(message if message else text)
    if status in (400, 413, 422) and (is_context_overflow(body) or (
            body is None and OVERFLOW_WORDS.search(text))):
        return ContextOverflowError(f"HTTP {status}: {shown}")
    if status == 407:
        return ProxyError("HTTP 407: the proxy wants valid credentials"
                          + (f" ({shown})" if shown else ""))
    if status in (401, 403):
        return AuthError(status, shown)
    if status == 404:
        return HTTPStatusError(status, shown, user_message=(
            f"The server has no chat endpoint at this address (HTTP 404"
            f"{': ' + shown if shown else ''}). Check the base URL in the provider settings; "
            "it usually ends in /v1."))
    if status == 429:
        return HTTPStatusError(status, shown, user_message=(
            f"The server is limiting requests (HTTP 429{': ' + shown if shown else ''}). "
            "Wait a moment, then press Retry."))
    return HTTPStatusError(status, shown)


def _broken(line: bytes) -> ProtocolError:
    shown = line.decode("utf-8", "replace")
    if len(shown) > LINE_SHOWN:
        shown = shown[:LINE_SHOWN] + "…"
    return ProtocolError(f"Broken line: {shown}")


def chunk_text(chunk: dict[str, Any]) -> str:
    """The reply text in one chunk: every choice's `delta.content` (or `message.content`)."""
    choices = chunk.get("choices")
    if not isinstance(choices, list):
        return ""
    parts: list[str] = []
    for choice in choices:
        if not isinstance(choice, dict):
            continue
        delta = choice.get("delta")
        if not isinstance(delta, dict):
            delta = choice.get("message")
        if isinstance(delta, dict) and isinstance(delta.get("content"), str):
            parts.append(delta["content"])
    return "".join(parts)


def finish_reason(chunk: dict[str, Any]) -> str | None:
    """The first choice's `finish_reason`, if this chunk carries one."""
    choices = chunk.get("choices")
    if not isinstance(choices, list):
        return None
    for choice in choices:
        if isinstance(choice, dict) and choice.get("finish_reason"):
            return str(choice["finish_reason"])
    return None


def finished(chunk: dict[str, Any]) -> bool:
    return finish_reason(chunk) is not None


async def read_completion(
    chunks: AsyncIterable[bytes],
    progress: dict[str, bool],
    usage_sink: UsageSink | None = None,
    finish_sink: FinishSink | None = None,
) -> AsyncIterator[str]:
    """Yield text until `[DONE]`; raise a ProviderError for anything else that ends it.

    `finish_sink` hears why the reply ended (`length` means cut by a token limit, not
    finished), once, before the generator returns.
    """
    saw_event = done = False
    other = bytearray()
    async for line in iter_lines(chunks):
        if not line.startswith(b"data:"):
            if not saw_event and line.strip() and not line.startswith(b":") \
                    and len(other) < BODY_LIMIT:
                other += line + b"\n"
            continue
        payload = line[5:].strip()
        if not payload:
            continue
        saw_event = True
        if payload == b"[DONE]":
            return
        try:
            chunk = json.loads(payload)
        except ValueError:
            raise _broken(line) from None
        if not isinstance(chunk, dict):
            raise _broken(line)
        if "error" in chunk:
            message = error_message(chunk) or "the stream reported an error"
            if is_context_overflow(chunk):
                raise ContextOverflowError(message)
            raise ServerError(message)
        usage = chunk.get("usage")
        if usage_sink is not None and isinstance(usage, dict) and usage:
            usage_sink(usage)
        text = chunk_text(chunk)
        if text:
            progress["started"] = True
            yield text
        reason = finish_reason(chunk)
        if reason is not None and not done:
            done = True
            if finish_sink is not None:
                finish_sink(reason)
    if done:
        return  # a finish_reason arrived; some servers omit the final [DONE]
    if saw_event:
        raise CutOffError("the stream ended before the server said it was complete")
    async for text in _plain_body(bytes(other).decode("utf-8", "replace"), usage_sink,
                                  finish_sink):
        progress["started"] = True
        yield text


async def _plain_body(text: str, usage_sink: UsageSink | None,
                      finish_sink: FinishSink | None = None) -> AsyncIterator[str]:
    """A 2xx answer with no events: a whole (non-streamed) completion, an error, or junk."""
    if not text.strip():
        raise CutOffError("the server sent headers and then an empty answer")
    try:
        body = json.loads(text)
    except ValueError:
        raise ProtocolError(f"Broken line: {excerpt(text, LINE_SHOWN)}") from None
    if not isinstance(body, dict):
        raise ProtocolError(f"Broken line: {excerpt(text, LINE_SHOWN)}")
    message = error_message(body)
    if message and "choices" not in body:
        raise ContextOverflowError(message) if is_context_overflow(body) else ServerError(message)
    reply = chunk_text(body)
    if not reply and not finished(body):
        raise ProtocolError(f"Broken line: {excerpt(text, LINE_SHOWN)}")
    usage = body.get("usage")
    if usage_sink is not None and isinstance(usage, dict) and usage:
        usage_sink(usage)
    reason = finish_reason(body)
    if finish_sink is not None and reason is not None:
        finish_sink(reason)
    if reply:
        yield reply
