"""A local OpenAI-compatible server for the tests and the demo (chat completions + models).

Like aiengine_server.py, the path prefix picks the behaviour, so a base URL selects it:

    http://127.0.0.1:PORT/v1                                   the demo reply
    http://127.0.0.1:PORT/play/status:status=429/v1            a 429 with an error body
    http://127.0.0.1:PORT/play/midstream-error:after=3/v1      text, then data: {"error":...}
    http://127.0.0.1:PORT/play/think:form=think/v1             <think>…</think> in content
    http://127.0.0.1:PORT/play/think:form=prompt/v1            …</think> (the prompt opened it)
    http://127.0.0.1:PORT/play/tools:kind=parallel/v1          two streamed tool calls
    http://127.0.0.1:PORT/play/tools:kind=text,form=hermes/v1  a call written as text

`server=llamacpp|ollama|openrouter|lmstudio` (any scenario) adds the routes where that
server tells a model's facts: llama.cpp's `/props` and `/tokenize`, Ollama's `/api/show`,
OpenRouter's `/models` fields, LM Studio's `/api/v0/models`; `ctx=N` is the context
length they report (and llama.cpp refuses a longer prompt, as the real one does);
`tools=1` makes llama.cpp's template say it supports tools, `tools=0` takes "tools" out
of Ollama's capabilities.
Without it those routes answer 404, as on a plain OpenAI server.

`python -m opchat_gui.demo.openai_server --port 8766` serves it on its own. See SCENARIOS.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from opchat_gui.demo.aiengine_server import Recorded, RecordingServer, demo_reply, spec_of, tokenize

Params = dict[str, str]
MODELS = ("demo-model", "demo-large")
THINKING_MODEL = "demo-large"  # the one the fact routes say thinks (and sees images)
SERVERS = ("llamacpp", "ollama", "openrouter", "lmstudio")
THOUGHT = "Let me think about this step by step. "  # the unit of every thinking phase
WORD = re.compile(r"\w+|[^\w\s]|\s+")  # the local server's "tokenizer"


def count_tokens(text: str) -> int:
    """How many tokens the local server says `text` is: words, signs and spaces."""
    return len(WORD.findall(text))


def prompt_tokens(body: Any) -> int:
    """The prompt's size as the local server counts it: its tokens plus 4 per message,
    and the `tools` as their JSON (llama-server's templates write them into the prompt:
    its task.n_tokens went from 20 to 970 with mcp-server-time's two tools)."""
    messages = body.get("messages") if isinstance(body, dict) else None
    if not isinstance(messages, list):
        return 0
    tools = body.get("tools")
    spent = count_tokens(json.dumps(tools)) if isinstance(tools, list) and tools else 0
    return spent + sum(_content_tokens(m.get("content")) + 4 for m in messages
                       if isinstance(m, dict))


IMAGE_TOKENS = 1000  # what the imitated vision server charges an image (its data URL: none)


def _content_tokens(content: Any) -> int:
    """A message's tokens: its text, or a multi-part content's text parts and images."""
    if isinstance(content, list):
        return sum(count_tokens(str(part.get("text") or "")) if part.get("type") == "text"
                   else IMAGE_TOKENS for part in content if isinstance(part, dict))
    return count_tokens(str(content or ""))


def model_context(server: str, model: str, ctx: int) -> int:
    return ctx * 4 if model == THINKING_MODEL else ctx


def chunk(delta: dict[str, Any], finish: str | None = None, model: str = "demo-model",
          **extra: Any) -> dict[str, Any]:
    return {"id": "chatcmpl-demo", "object": "chat.completion.chunk", "created": 0,
            "model": model, "choices": [{"index": 0, "delta": delta,
                                         "finish_reason": finish}], **extra}


def sse(obj: Any, *, ascii_only: bool = False) -> bytes:
    text = obj if isinstance(obj, str) else json.dumps(obj, ensure_ascii=ascii_only)
    return f"data: {text}\n\n".encode()


@dataclass
class Play:
    name: str
    params: Params
    request: web.Request
    record: Recorded

    def num(self, key: str, default: float) -> float:
        return float(self.params.get(key, default))

    @property
    def delay(self) -> float:
        return self.num("delay", 0.0)

    @property
    def question(self) -> str:
        body = self.record.json if isinstance(self.record.json, dict) else {}
        messages = body.get("messages") or [{}]
        last = messages[-1] if isinstance(messages[-1], dict) else {}
        content = last.get("content")
        if isinstance(content, list):  # text and images: the text parts are the question
            return "\n\n".join(str(part.get("text") or "") for part in content
                               if isinstance(part, dict) and part.get("type") == "text")
        return str(content or "")

    @property
    def model(self) -> str:
        body = self.record.json if isinstance(self.record.json, dict) else {}
        return str(body.get("model") or "demo-model")

    def chunks(self) -> list[str]:
        return tokenize(demo_reply(self.question))


class OpenAIDevServer(RecordingServer):
    """`await start()` on a running loop; records every request in `requests`."""

    def __init__(self, *, default_delay: float = 0.0) -> None:
        super().__init__()
        self.default_delay = default_delay

    @property
    def url(self) -> str:
        return f"{self.origin}/v1"

    def play_url(self, scenario: str, **params: object) -> str:
        return f"{self.origin}/play/{spec_of(scenario, params)}/v1"

    async def _route(self, request: web.Request, record: Recorded) -> web.StreamResponse:
        match = re.match(r"(?:/play/([^/]+))?(/v1)?(/.*)$", request.path)
        spec, route = (match.group(1), match.group(3)) if match else (None, request.path)
        name, _, raw = (spec or "demo").partition(":")
        params = dict(p.split("=", 1) for p in raw.split(",") if "=" in p)
        params.setdefault("delay", str(self.default_delay))
        play = Play(name, params, request, record)
        key = params.get("key")
        if key and request.headers.get("Authorization") != f"Bearer {key}":
            return web.json_response({"error": {
                "message": "Incorrect API key provided.", "type": "invalid_request_error",
                "code": "invalid_api_key"}}, status=401)
        if route == "/models" and request.method == "GET":
            if name in ("status", "stall", "empty"):
                return await SCENARIOS[name](self, play)
            return web.json_response({"object": "list", "data": [
                _model_entry(play, m) for m in MODELS]})
        facts = await _facts_route(play, route)
        if facts is not None:
            return facts
        if route != "/chat/completions" or request.method != "POST":
            return web.json_response({"error": {"message": f"no route {route}",
                                                "type": "not_found", "code": None}},
                                     status=404)
        if params.get("server") == "llamacpp" and "ctx" in params:
            over = _over_context(play)
            if over is not None:
                return over
        handler = SCENARIOS.get(name)
        if handler is None:
            return web.json_response({"detail": f"unknown scenario {name}"}, status=400)
        try:
            return await handler(self, play)
        except (ConnectionResetError, asyncio.CancelledError):
            record.events.append("client-gone")
            raise


def _model_entry(play: Play, model: str) -> dict[str, Any]:
    """One `/models` entry, with the fields the imitated server adds."""
    entry: dict[str, Any] = {"id": model, "object": "model", "owned_by": "opchat-gui"}
    kind, ctx = play.params.get("server"), int(play.num("ctx", 4096))
    thinks = model == THINKING_MODEL
    if kind == "openrouter":
        entry.update({
            "name": model, "context_length": model_context(kind, model, ctx),
            "architecture": {"input_modalities": ["text", "image"] if thinks else ["text"]},
            "supported_parameters": ["max_tokens", "temperature", "tools"]
            + (["reasoning", "include_reasoning"] if thinks else [])})
    elif kind == "llamacpp":
        entry["meta"] = {"n_ctx": ctx, "n_ctx_train": ctx * 2, "n_vocab": 1328}
    return entry


async def _facts_route(play: Play, route: str) -> web.StreamResponse | None:
    """The model-fact routes of the server `server=` names; None for the other routes."""
    kind, ctx = play.params.get("server"), int(play.num("ctx", 4096))
    method = play.request.method
    body = play.record.json if isinstance(play.record.json, dict) else {}
    if kind == "llamacpp" and route == "/props" and method == "GET":
        return web.json_response({
            "default_generation_settings": {"n_ctx": ctx, "params": {"n_predict": -1}},
            "total_slots": 1, "model_alias": "demo-model", "model_path": "demo.gguf",
            "modalities": {"vision": False, "audio": False},
            "chat_template_caps": {"supports_tools": play.params.get("tools") == "1"},
            "build_info": "demo"})
    if kind == "llamacpp" and route == "/apply-template" and method == "POST":
        # The prompt as a template writes it: the tools' JSON first, then each message.
        tools, messages = body.get("tools"), body.get("messages")
        head = json.dumps(tools) + "\n" if isinstance(tools, list) and tools else ""
        return web.json_response({"prompt": head + "\n".join(
            str(m.get("content") or "") for m in messages if isinstance(m, dict))
            if isinstance(messages, list) else head})
    if kind == "llamacpp" and route == "/tokenize" and method == "POST":
        text = str(body.get("content") or "")
        return web.json_response({"tokens": list(range(count_tokens(text)))})
    if kind == "ollama" and route == "/api/show" and method == "POST":
        model = str(body.get("model") or body.get("name") or "")
        if model not in MODELS:
            return web.json_response({"error": f"model '{model}' not found"}, status=404)
        thinks = model == THINKING_MODEL
        return web.json_response({
            "details": {"family": "llama", "parameter_size": "8B"},
            "model_info": {"general.architecture": "llama",
                           "llama.context_length": model_context(kind, model, ctx),
                           "llama.embedding_length": 4096},
            "capabilities": ["completion"] + ([] if play.params.get("tools") == "0"
                                              else ["tools"])
            + (["thinking", "vision"] if thinks else [])})
    if kind == "lmstudio" and route == "/api/v0/models" and method == "GET":
        return web.json_response({"object": "list", "data": [
            {"id": m, "object": "model", "type": "vlm" if m == THINKING_MODEL else "llm",
             "state": "not-loaded", "max_context_length": model_context(kind, m, ctx),
             "capabilities": ["tool_use"]} for m in MODELS]})
    if route in ("/props", "/tokenize", "/apply-template", "/api/show", "/api/v0/models"):
        return web.json_response({"error": {"message": f"no route {route}",
                                            "type": "not_found", "code": None}}, status=404)
    return None


def _over_context(play: Play) -> web.StreamResponse | None:
    """As llama.cpp: a prompt over its context (`ctx=N`) is refused before any reply."""
    ctx, used = int(play.num("ctx", 4096)), prompt_tokens(play.record.json)
    if used <= ctx:
        return None
    return web.json_response({"error": {
        "code": 400, "message": f"the request exceeds the available context size, try "
                                f"increasing it (n_prompt_tokens = {used}, n_ctx = {ctx})",
        "type": "exceed_context_size_error", "n_prompt_tokens": used, "n_ctx": ctx}},
        status=400)


async def _open(play: Play, content_type: str = "text/event-stream") -> web.StreamResponse:
    response = web.StreamResponse(headers={"Content-Type": content_type,
                                           "Cache-Control": "no-cache"})
    await response.prepare(play.request)
    return response


async def _text(play: Play, response: web.StreamResponse, pieces: list[str]) -> None:
    ascii_only = play.params.get("ascii") == "1"
    for index, piece in enumerate(pieces):
        await response.write(sse(chunk({"content": piece}, model=play.model),
                                 ascii_only=ascii_only))
        if play.params.get("ping") and index % int(play.num("ping", 5)) == 0:
            await response.write(f": ping - {time.time():.0f}\n\n".encode())
        if play.delay:
            await asyncio.sleep(play.delay)


async def play_demo(server: OpenAIDevServer, play: Play) -> web.StreamResponse:
    """Role-only first chunk, text, empty-delta finish chunk, usage chunk, [DONE].

    With `tools` offered, a message that names one of DEMO_CALLS' tools gets those calls
    (streamed as real servers do), and tool results get an answer quoting them.

    As a real server, it stops after `max_tokens` pieces with finish_reason `length`;
    finish=REASON forces the reason (e.g. content_filter).
    """
    messages = _messages(play)
    if messages and messages[-1].get("role") == "tool":
        return await _stream_text(play, tool_results_answer(messages))
    offered = offered_tools(play)
    wanted = [(name, DEMO_CALLS[name]) for name in offered
              if name in DEMO_CALLS and name in play.question]
    if wanted and messages and messages[-1].get("role") == "user":
        return await _stream_calls(play, wanted)
    response = await _open(play, play.params.get("ctype", "text/event-stream"))
    await response.write(sse(chunk({"role": "assistant", "content": None}, model=play.model)))
    pieces = play.chunks()
    sent = play.record.json if isinstance(play.record.json, dict) else {}
    reason = "stop"
    limit = sent.get("max_tokens") or sent.get("max_completion_tokens")
    if isinstance(limit, int) and 0 < limit < len(pieces):
        pieces, reason = pieces[:limit], "length"
    reason = play.params.get("finish", reason)
    await _text(play, response, pieces)
    await response.write(sse(chunk({}, reason, model=play.model)))
    await _usage(play, response, len(pieces))
    if play.params.get("done", "1") == "1":
        await response.write(b"data: [DONE]\n\n")
    await response.write_eof()
    play.record.events.append("done")
    return response


def thought(tokens: int) -> list[str]:
    """A thinking phase of `tokens` pieces (about as many tokens), numbered steps."""
    words = tokenize(THOUGHT)
    pieces = []
    for n in range(tokens):
        step = n // len(words)
        pieces.append((f"({step + 1}) " if step and n % len(words) == 0 else "")
                      + words[n % len(words)])
    return pieces


async def play_think(server: OpenAIDevServer, play: Play) -> web.StreamResponse:
    """A reasoning model: a thinking phase of `tokens=` pieces (default 30), then the answer.

    form=reasoning_content (llama.cpp, DeepSeek, LM Studio), reasoning (OpenRouter,
    Ollama, newer vLLM), think or thinking (the tags inline at the start of `content`),
    prompt (the chat template opened `<think>` in the prompt, as DeepSeek-R1's distills
    and QwQ do, and the server passes text through raw: the thinking with no opening tag,
    then `</think>`, then the answer; `close=thinking` closes with `</thinking>`; a
    request with `chat_template_kwargs: {"enable_thinking": false}` gets the answer alone,
    no tags, as such a template then closes an empty block in the prompt).
    answer=0: the model stops while thinking (finish_reason `length` unless finish= says).
    split=1: inline tags go one character per chunk, so `<think>` is cut everywhere.
    drop=N: the connection is torn down after N thinking pieces.
    Fast: events are written in batches, so 20,000 thinking tokens take a moment.
    """
    response = await _open(play)
    form = play.params.get("form", "reasoning_content")
    answer = play.chunks() if play.params.get("answer", "1") == "1" else []
    thinking = thought(int(play.num("tokens", 30)))
    if form == "prompt" and not _thinking_on(play):
        thinking = []
    events: list[bytes] = [sse(chunk({"role": "assistant", "content": None},
                                     model=play.model))]

    def content(text: str) -> None:
        pieces = list(text) if play.params.get("split") == "1" else [text]
        events.extend(sse(chunk({"content": p}, model=play.model)) for p in pieces)

    if form == "prompt" and not thinking:
        pass  # thinking is off: the answer alone
    elif form in ("think", "thinking", "prompt"):
        if form != "prompt":
            content(f"<{form}>\n")
        for piece in thinking:
            events.append(sse(chunk({"content": piece}, model=play.model)))
        if answer:
            tag = form if form != "prompt" else play.params.get("close", "think")
            content(("\n" if form == "prompt" else "") + f"</{tag}>\n\n")
    else:
        for piece in thinking:
            events.append(sse(chunk({form: piece, "content": None}, model=play.model)))
    events.extend(sse(chunk({"content": piece}, model=play.model)) for piece in answer)
    reason = play.params.get("finish", "stop" if answer else "length")
    events.append(sse(chunk({}, reason, model=play.model)))
    prompt = prompt_tokens(play.record.json)
    used = len(thinking) + len(answer)
    events.append(sse({"id": "chatcmpl-demo", "object": "chat.completion.chunk", "choices": [],
                       "usage": {"prompt_tokens": prompt, "completion_tokens": used,
                                 "total_tokens": prompt + used}}))
    events.append(b"data: [DONE]\n\n")
    if "drop" in play.params:  # the role chunk, `drop` pieces of thinking, then nothing
        await response.write(b"".join(events[:int(play.num("drop", 3)) + 1]))
        assert play.request.transport is not None
        play.request.transport.abort()
        return response
    batch = 1 if play.delay else 500
    for start in range(0, len(events), batch):
        await response.write(b"".join(events[start:start + batch]))
        if play.delay:
            await asyncio.sleep(play.delay)
    await response.write_eof()
    play.record.events.append("done")
    return response


def _thinking_on(play: Play) -> bool:
    """Whether the request leaves thinking on (`chat_template_kwargs.enable_thinking`)."""
    body = play.record.json if isinstance(play.record.json, dict) else {}
    kwargs = body.get("chat_template_kwargs")
    return not (isinstance(kwargs, dict) and kwargs.get("enable_thinking") is False)


async def play_split(server: OpenAIDevServer, play: Play) -> web.StreamResponse:
    """The whole stream in `size`-byte pieces: events split mid-line and mid-UTF-8."""
    response = await _open(play, "text/event-stream; charset=utf-8")
    pieces = tokenize("Привет, мир! ✓ Ünïcödé 🙂 " + demo_reply(play.question))
    raw = sse(chunk({"role": "assistant", "content": ""})) + b"".join(
        sse(chunk({"content": p}), ascii_only=i % 2 == 0) for i, p in enumerate(pieces))
    raw += b": ping - 0\n\n" + sse(chunk({}, "stop")) + b"data: [DONE]\n\n"
    size = int(play.num("size", 3))
    for start in range(0, len(raw), size):
        await response.write(raw[start:start + size])
        await asyncio.sleep(play.delay)
    await response.write_eof()
    return response


async def play_status(server: OpenAIDevServer, play: Play) -> web.StreamResponse:
    """An error status before the stream: body=error|detail|text|empty, code=int|str|null."""
    status = int(play.num("status", 500))
    message = play.params.get("message", "The server had an error processing your request.")
    kind = play.params.get("body", "error")
    reason = "" if status == 529 else None
    if kind == "detail":
        return web.json_response({"detail": message}, status=status, reason=reason)
    if kind == "text":
        return web.Response(status=status, text=message, reason=reason)
    if kind == "empty":
        return web.Response(status=status, reason=reason)
    code: Any = {"int": status, "str": "server_error", "null": None}[play.params.get("code",
                                                                                     "str")]
    return web.json_response({"error": {"message": message, "type": "server_error",
                                        "code": code}}, status=status, reason=reason)


async def play_overflow(server: OpenAIDevServer, play: Play) -> web.StreamResponse:
    """A prompt over the context window: style=llamacpp (its exceed_context_size_error, with
    the token counts) or style=openai (code context_length_exceeded)."""
    if play.params.get("style", "llamacpp") == "openai":
        return web.json_response({"error": {
            "message": "This model's maximum context length is 4096 tokens. However, your "
                       "messages resulted in 5120 tokens. Please reduce the length of the "
                       "messages.",
            "type": "invalid_request_error", "param": "messages",
            "code": "context_length_exceeded"}}, status=400)
    return web.json_response({"error": {
        "code": 400, "message": "the request exceeds the available context size, try "
                                "increasing it", "type": "exceed_context_size_error",
        "n_prompt_tokens": 5120, "n_ctx": 4096}}, status=400)


async def play_midstream_error(server: OpenAIDevServer, play: Play) -> web.StreamResponse:
    """Some text, then `data: {"error": {...}}` and the end, with no [DONE] (a proxy's way)."""
    response = await _open(play)
    await _text(play, response, play.chunks()[: int(play.num("after", 3))])
    message = play.params.get("message", "upstream connect error")
    await response.write(sse({"error": {"message": message, "type": "upstream_error",
                                        "code": 502}}))
    await response.write_eof()
    return response


async def play_empty(server: OpenAIDevServer, play: Play) -> web.StreamResponse:
    """Headers, then nothing."""
    response = await _open(play)
    await response.write_eof()
    return response


async def play_cutoff(server: OpenAIDevServer, play: Play) -> web.StreamResponse:
    """Some text, then a clean end of the body without a finish chunk or [DONE]."""
    response = await _open(play)
    await _text(play, response, play.chunks()[: int(play.num("after", 3))])
    await response.write_eof()
    return response


async def play_drop(server: OpenAIDevServer, play: Play) -> web.StreamResponse:
    """Some text, then the TCP connection is torn down."""
    response = await _open(play)
    await _text(play, response, play.chunks()[: int(play.num("after", 3))])
    assert play.request.transport is not None
    play.request.transport.abort()
    return response


async def play_stall(server: OpenAIDevServer, play: Play) -> web.StreamResponse:
    """Some text, then silence for `stall` seconds."""
    response = await _open(play)
    await _text(play, response, play.chunks()[: int(play.num("after", 3))])
    await asyncio.sleep(play.num("stall", 3600))
    await response.write_eof()
    return response


async def play_broken(server: OpenAIDevServer, play: Play) -> web.StreamResponse:
    """Some text, then a `data:` line that is not JSON."""
    response = await _open(play)
    await _text(play, response, play.chunks()[: int(play.num("after", 2))])
    await response.write(b"data: " + play.params.get("line", "{not json").encode() + b"\n\n")
    await response.write(b"data: [DONE]\n\n")
    await response.write_eof()
    return response


async def play_plain(server: OpenAIDevServer, play: Play) -> web.StreamResponse:
    """A whole, non-streamed completion (a server that ignores "stream": true)."""
    return web.json_response({"id": "chatcmpl-demo", "object": "chat.completion", "choices": [
        {"index": 0, "message": {"role": "assistant", "content": demo_reply(play.question)},
         "finish_reason": "stop"}], "usage": {"prompt_tokens": 12, "completion_tokens": 40}})


TOOL_CALLS: dict[str, list[tuple[str, str]]] = {
    # (name, the arguments exactly as the model writes them)
    "split": [("read_file", '{"path": "C:\\\\new \\"dir\\"\\\\notes.txt", "lines": 10, '
                            '"note": "caf\\u00e9 ✓"}')],
    "parallel": [("get_current_time", '{"timezone": "Europe/Paris"}'),
                 ("git_log", '{"repo_path": "/tmp/repo", "max_count": 3}')],
    "invalid": [("get_current_time", '{"timezone": "Europe/Paris"')],
    "unknown": [("no_such_tool", '{}')],
    # For the test tool server (tests/helpers/mcp_test_server.py):
    "echo": [("echo", '{"text": "hello from the model"}')],
    "two": [("echo", '{"text": "first"}'), ("fail", '{"message": "second went wrong"}')],
    "slow": [("slow", '{"seconds": 600}')],
    "block": [("block", '{"seconds": 600}')],  # ignores the cancellation
    "crash": [("crash", '{"code": 3}')],
    "loop": [("echo", '{"text": "again"}')],  # calls again after every result
    "media": [("image", '{}'), ("big", '{"size": 10000}')],
}
# What the plain demo model calls when tools are offered and the message names one.
DEMO_CALLS: dict[str, str] = {
    "get_current_time": '{"timezone": "Europe/Paris"}',
    "convert_time": '{"source_timezone": "Europe/Paris", "time": "12:00", '
                    '"target_timezone": "Asia/Tokyo"}',
    "git_status": '{"repo_path": "."}',
    "echo": '{"text": "hello from the model"}',
}


def _messages(play: Play) -> list[dict[str, Any]]:
    body = play.record.json if isinstance(play.record.json, dict) else {}
    messages = body.get("messages")
    return [m for m in messages if isinstance(m, dict)] if isinstance(messages, list) else []


def offered_tools(play: Play) -> list[str]:
    body = play.record.json if isinstance(play.record.json, dict) else {}
    tools = body.get("tools")
    if not isinstance(tools, list):
        return []
    return [str((t.get("function") or {}).get("name")) for t in tools if isinstance(t, dict)]


def tool_results_answer(messages: list[dict[str, Any]]) -> str:
    """What the demo model says after tool results: each result, quoted briefly."""
    results: list[str] = []
    for message in reversed(messages):
        if message.get("role") != "tool":
            break
        text = " ".join(str(message.get("content") or "").split())
        results.insert(0, text if len(text) <= 160 else text[:160] + "…")
    lines = [f"- {r}" for r in results]
    return "The tools answered:\n\n" + "\n".join(lines) + "\n\nThat is all I needed."


async def _stream_calls(play: Play, calls: list[tuple[str, str]]) -> web.StreamResponse:
    """The first chunk of each call holds its index, id, type and name with empty arguments;
    the arguments follow in `size`-character pieces (split anywhere, escapes included),
    the calls' pieces interleaved by index; then an empty delta with finish_reason
    `tool_calls`, and [DONE]."""
    size = int(play.num("size", 3))
    turns = sum(1 for m in _messages(play) if m.get("role") == "assistant")
    turn = f"{turns}_" if turns else ""  # ids stay unique over a conversation's turns
    response = await _open(play)
    await response.write(sse(chunk({"role": "assistant", "content": None}, model=play.model)))
    for index, (name, _arguments) in enumerate(calls):
        await response.write(sse(chunk({"tool_calls": [{
            "index": index, "id": f"call_{turn}{index}_{name}", "type": "function",
            "function": {"name": name, "arguments": ""}}]}, model=play.model)))
    pieces = [[args[i:i + size] for i in range(0, len(args), size)] for _n, args in calls]
    for step in range(max(len(p) for p in pieces)):
        for index, own in enumerate(pieces):
            if step < len(own):
                await response.write(sse(chunk({"tool_calls": [{
                    "index": index, "function": {"arguments": own[step]}}]},
                    model=play.model)))
                if play.delay:
                    await asyncio.sleep(play.delay)
    await response.write(sse(chunk({}, "tool_calls", model=play.model)))
    await response.write(b"data: [DONE]\n\n")
    await response.write_eof()
    play.record.events.append("done")
    return response


async def _usage(play: Play, response: web.StreamResponse, completion: int) -> None:
    """The usage chunk, when the request asked for it (as llama-server sends it)."""
    body = play.record.json if isinstance(play.record.json, dict) else {}
    if (body.get("stream_options") or {}).get("include_usage"):
        prompt = prompt_tokens(body)
        usage = {"prompt_tokens": prompt, "completion_tokens": completion,
                 "total_tokens": prompt + completion}
        await response.write(sse({"id": "chatcmpl-demo", "object": "chat.completion.chunk",
                                  "choices": [], "usage": usage}))


async def _stream_text(play: Play, text: str) -> web.StreamResponse:
    response = await _open(play)
    await response.write(sse(chunk({"role": "assistant", "content": None}, model=play.model)))
    pieces = tokenize(text)
    await _text(play, response, pieces)
    await response.write(sse(chunk({}, "stop", model=play.model)))
    await _usage(play, response, len(pieces))
    await response.write(b"data: [DONE]\n\n")
    await response.write_eof()
    return response


# A call written as text, as servers pass it on when they do not parse the model's format.
TEXT_FORMS: dict[str, Callable[[str, str], str]] = {
    "hermes": lambda n, a: f'I will check.\n<tool_call>\n{{"name": "{n}", "arguments": {a}}}'
                           "\n</tool_call>",
    "mistral": lambda n, a: f'[TOOL_CALLS][{{"name": "{n}", "arguments": {a}}}]',
    "mistral11": lambda n, a: f"[TOOL_CALLS]{n}[ARGS]{a}",
    "llama": lambda n, a: f'<|python_tag|>{{"name": "{n}", "parameters": {a}}}<|eom_id|>',
    "json": lambda n, a: f'{{"name": "{n}", "parameters": {a}}}',
    "garbled": lambda n, a: f'<tool_call>\n{{"name": "{n}", "arguments": {a[:-2]}\n</tool_call>',
}


def text_call(play: Play) -> str:
    """The reply of a model that writes its call as text (`form=`): the first offered
    tool the demo knows, with its arguments."""
    offered = offered_tools(play)
    name = next((n for n in offered if n in DEMO_CALLS), offered[0] if offered else "echo")
    return TEXT_FORMS[play.params.get("form", "hermes")](name, DEMO_CALLS.get(name, "{}"))


async def play_tools(server: OpenAIDevServer, play: Play) -> web.StreamResponse:
    """Tool calls in the shape real servers stream them (kind=split|parallel|invalid|unknown,
    and echo|two|slow|block|crash|loop|media for the test tool server); after tool results the model
    answers in text quoting them (kind=loop calls again instead, for the step limit).
    kind=reject answers HTTP 400 to a request that offers `tools`, as servers whose model
    cannot call tools do, and the demo reply to one that does not; kind=nojinja answers
    500 as llama-server started without --jinja does. kind=text writes the call as text
    in the content (form=hermes|mistral|mistral11|llama|json|garbled), as a server that
    ignores `tools` or does not parse the model's format passes it on."""
    kind = play.params.get("kind", "parallel")
    messages = _messages(play)
    if kind == "nojinja" and offered_tools(play):
        return web.json_response({"error": {
            "code": 500, "message": "tools param requires --jinja flag",
            "type": "server_error"}}, status=500)
    if kind in ("nojinja", "text") and not (messages and messages[-1].get("role") == "tool"):
        text = text_call(play) if kind == "text" and offered_tools(play) \
            else demo_reply(play.question)
        return await _stream_text(play, text)
    if kind == "reject":
        if offered_tools(play):
            return web.json_response({"error": {
                "message": "this model does not support tools", "type": "invalid_request_error",
                "code": "tools_unsupported"}}, status=400)
        return await _stream_text(play, demo_reply(play.question))
    if messages and messages[-1].get("role") == "tool" and kind != "loop":
        return await _stream_text(play, tool_results_answer(messages))
    return await _stream_calls(play, TOOL_CALLS[kind])


Scenario = Callable[[OpenAIDevServer, Play], Awaitable[web.StreamResponse]]
SCENARIOS: dict[str, Scenario] = {
    "demo": play_demo,
    "slow": play_demo,  # delay=SECONDS
    "split": play_split,
    "status": play_status,
    "midstream-error": play_midstream_error,
    "overflow": play_overflow,
    "empty": play_empty,
    "cutoff": play_cutoff,
    "drop": play_drop,
    "stall": play_stall,
    "broken": play_broken,
    "plain": play_plain,
    "think": play_think,
    "tools": play_tools,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--delay", type=float, default=0.03, help="seconds between chunks")
    args = parser.parse_args(argv)

    async def serve() -> None:
        server = await OpenAIDevServer(default_delay=args.delay).start(args.port)
        print(f"OpenAI-compatible dev server on {server.url} (scenarios: "
              f"{', '.join(SCENARIOS)})", flush=True)
        try:
            while True:
                await asyncio.sleep(3600)
        finally:
            await server.stop()

    try:
        asyncio.run(serve())
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
