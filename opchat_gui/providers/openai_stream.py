"""Reading an OpenAI-compatible chat-completions stream into reply text (no aiohttp here).

Real servers send a role-only first chunk, an empty finish chunk, a usage chunk,
`: ping` comments, and sometimes `data: {"error": ...}` or nothing at all after the
headers. Every byte sequence ends as text or as a ProviderError.

Thinking (`delta.reasoning_content`, `delta.reasoning`, or a leading `<think>` block in
`content`) never comes out as text: it goes to `reasoning_sink`, piece by piece. A reply
that ended while still thinking (thinking, then the end, and no answer) is told apart by
`thinking_end_sink`, which hears the finish reason: `length` (the token limit cut the
thought) or `stop` (the model stopped without answering).
"""

from __future__ import annotations

import json
import re
from collections.abc import AsyncGenerator, AsyncIterable, Callable
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
from opchat_gui.providers.reasoning import (
    InlineThinking,
    PromptThinkingSink,
    ReasoningSink,
    ThinkingEndSink,
    delta_reasoning,
)
from opchat_gui.providers.tool_calls import ToolCall, ToolCallAccumulator

BODY_LIMIT = 64 * 1024
LINE_SHOWN = 500
UsageSink = Callable[[dict[str, Any]], None]
FinishSink = Callable[[str], None]  # why the reply ended: stop, length, content_filter, ...
ToolCallsSink = Callable[[list[ToolCall]], None]  # the turn's tool calls, once, at its end
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


def _deltas(chunk: dict[str, Any]) -> list[dict[str, Any]]:
    """Every choice's `delta` (or, in a whole completion, its `message`)."""
    choices = chunk.get("choices")
    if not isinstance(choices, list):
        return []
    found: list[dict[str, Any]] = []
    for choice in choices:
        if not isinstance(choice, dict):
            continue
        delta = choice.get("delta")
        if not isinstance(delta, dict):
            delta = choice.get("message")
        if isinstance(delta, dict):
            found.append(delta)
    return found


def chunk_text(chunk: dict[str, Any]) -> str:
    """The raw `content` in one chunk, every choice's (inline think tags still in it)."""
    return "".join(d["content"] for d in _deltas(chunk) if isinstance(d.get("content"), str))


def chunk_reasoning(chunk: dict[str, Any]) -> str:
    """The thinking one chunk carries in `reasoning_content` or `reasoning`."""
    return "".join(delta_reasoning(d) for d in _deltas(chunk))


class ReplySplitter:
    """One reply's answer and thinking, from its chunks in order, whatever the form.

    With a `prompt_thinking_sink`, thinking the chat template opened (no opening tag in
    the reply) is found too: see providers/reasoning.py. `prompt_opens_thinking` says the
    caller knows this provider and model do that, so the reply is thinking from the start.
    """

    def __init__(self, reasoning_sink: ReasoningSink | None = None,
                 thinking_end_sink: ThinkingEndSink | None = None,
                 prompt_thinking_sink: PromptThinkingSink | None = None,
                 prompt_opens_thinking: bool = False) -> None:
        watch = prompt_thinking_sink is not None
        self._inline = InlineThinking(presumed=watch and prompt_opens_thinking,
                                      bare_close=watch)
        self._reasoning_sink = reasoning_sink
        self._thinking_end_sink = thinking_end_sink
        self._prompt_sink = prompt_thinking_sink
        self.thought = False  # any thinking arrived
        self.answered = False  # any answer text other than whitespace arrived

    def take(self, chunk: dict[str, Any]) -> str:
        """The answer text in `chunk`; its thinking goes to the sink."""
        fielded = chunk_reasoning(chunk)
        if fielded:
            self._inline.unpresume()  # the server splits thinking out: content is answer
        split = self._inline.feed(chunk_text(chunk))
        if split.moved and self._prompt_sink is not None:
            self.answered = False
            self._prompt_sink(True)
        self._think(fielded + split.reasoning)
        return self._answer(split.answer)

    def close(self, reason: str | None, *, complete: bool = True) -> str:
        """The answer text still held at the end. A `complete` reply (the server said it
        ended) that was all thinking is reported as ended while thinking."""
        unclosed = self._inline.presumed and self._inline.thinking
        split = self._inline.flush()
        if split.moved and self._prompt_sink is not None:
            self.answered = False
            self._prompt_sink(True)
        self._think(split.reasoning)
        answer = self._answer(split.answer)
        if complete and unclosed and reason != "length" and self._prompt_sink is not None:
            # A presumed block that never closed: the template opened none this time, and
            # what was taken for thinking (never empty here) was the answer.
            self._prompt_sink(False)
            self.thought, self.answered = False, True
        if (complete and self.thought and not self.answered
                and self._thinking_end_sink is not None):
            self._thinking_end_sink(reason or "")
        return answer

    def _think(self, text: str) -> None:
        if text:
            self.thought = True
            if self._reasoning_sink is not None:
                self._reasoning_sink(text)

    def _answer(self, text: str) -> str:
        if text.strip():
            self.answered = True
        return text


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
    reasoning_sink: ReasoningSink | None = None,
    thinking_end_sink: ThinkingEndSink | None = None,
    tool_calls_sink: ToolCallsSink | None = None,
    prompt_thinking_sink: PromptThinkingSink | None = None,
    prompt_opens_thinking: bool = False,
) -> AsyncGenerator[str, None]:
    """Yield answer text until `[DONE]`; raise a ProviderError for anything else that ends it.

    `tool_calls_sink` hears the turn's tool calls (put together by providers/tool_calls),
    once, when the server said the turn is complete; a cut-off turn's calls are never run.

    `finish_sink` hears why the reply ended (`length` means cut by a token limit, not
    finished), once, before the generator returns. `reasoning_sink` gets the thinking;
    `thinking_end_sink` the finish reason of a reply that was all thinking;
    `prompt_thinking_sink` when thinking the prompt opened moves (ReplySplitter).
    """
    saw_event = done = False
    reason: str | None = None
    reply = ReplySplitter(reasoning_sink, thinking_end_sink, prompt_thinking_sink,
                          prompt_opens_thinking)
    calls = ToolCallAccumulator()
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
            done = True
            break
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
        text = reply.take(chunk)
        calls.feed(chunk)
        if text or reply.thought or calls.calls():
            progress["started"] = True  # thinking is progress: a drop now is a cut-off
        if text:
            yield text
        ended = finish_reason(chunk)
        if ended is not None and reason is None:
            reason = ended
            if finish_sink is not None:
                finish_sink(ended)
    if done or reason is not None:  # some servers omit the final [DONE]
        text = reply.close(reason)
        if text:
            yield text
        if tool_calls_sink is not None and calls.calls():
            tool_calls_sink(calls.calls())
        return
    if saw_event:
        text = reply.close(None, complete=False)
        if text:
            yield text
        raise CutOffError("the stream ended before the server said it was complete")
    async for text in _plain_body(bytes(other).decode("utf-8", "replace"), usage_sink,
                                  finish_sink, reply):
        progress["started"] = True
        yield text


async def _plain_body(text: str, usage_sink: UsageSink | None,
                      finish_sink: FinishSink | None = None,
                      reply: ReplySplitter | None = None) -> AsyncGenerator[str, None]:
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
    if not chunk_text(body) and not chunk_reasoning(body) and not finished(body):
        raise ProtocolError(f"Broken line: {excerpt(text, LINE_SHOWN)}")
    usage = body.get("usage")
    if usage_sink is not None and isinstance(usage, dict) and usage:
        usage_sink(usage)
    reason = finish_reason(body)
    if finish_sink is not None and reason is not None:
        finish_sink(reason)
    reply = reply or ReplySplitter()
    answer = reply.take(body) + reply.close(reason)
    if answer:
        yield answer
