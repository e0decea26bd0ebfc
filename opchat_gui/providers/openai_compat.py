"""OpenAI-compatible chat completions: Ollama, LM Studio, llama.cpp, vLLM, OpenAI, OpenRouter.

One client for all of them: `POST {base}/chat/completions` streamed until `[DONE]`,
`GET {base}/models` for the model list, and a quick loopback probe that finds the
local servers a user already runs. Every generation parameter a caller sets is sent;
one left None is not, so the server's own default applies.

Thinking streams to `reasoning_sink`, never as reply text (see openai_stream), and is
never sent back: each message goes out as role and content only (`outgoing_messages`),
so history cannot carry a stored reasoning field, and an earlier reply's leading
`<think>` block is dropped before it goes back as context.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncGenerator, Iterable
from contextlib import aclosing
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from opchat_gui.providers import http
from opchat_gui.providers.base import AsyncGeneratorProvider, AsyncResult, Messages
from opchat_gui.providers.errors import (
    NothingToSendError,
    ProtocolError,
    ProviderError,
    UnreachableError,
)
from opchat_gui.providers.lazy import lazy_import
from opchat_gui.providers.model_facts import ModelInfo, model_facts, model_infos
from opchat_gui.providers.openai_stream import (
    FinishSink,
    ToolCallsSink,
    UsageSink,
    error_from_status,
    read_completion,
)
from opchat_gui.providers.pool import SessionPool, open_client
from opchat_gui.providers.reasoning import (
    PromptThinkingSink,
    ReasoningSink,
    ThinkingEndSink,
    outgoing_messages,
)

if TYPE_CHECKING:  # the real module for the type checker; lazy at run time
    import aiohttp
else:
    aiohttp = lazy_import("aiohttp")

log = logging.getLogger(__name__)

USER_AGENT = "opchat-gui (OpenAI-compatible client)"
PROBE_CONNECT_SECONDS = 0.5  # a bare TCP connect: who listens at all
PROBE_SECONDS = 2.0  # GET /models on the ports that listen; counted after aiohttp loads
LOOPBACK_HOSTS = http.LOOPBACK_HOSTS
MODELS_LIMIT = 4 * 1024 * 1024
# The sampling and length settings OpenAI-compatible servers take in the request body
# (OpenAI's own, plus llama.cpp/Ollama/vLLM's top_k, min_p and repeat_penalty).
GENERATION_PARAMS: tuple[str, ...] = (
    "max_tokens", "max_completion_tokens", "temperature", "top_p", "top_k", "min_p",
    "seed", "stop", "presence_penalty", "frequency_penalty", "repeat_penalty",
    "logit_bias", "reasoning_effort", "response_format",
)

RESERVED_FIELDS = frozenset({"model", "messages", "stream"})  # never taken from extra_body


@dataclass(frozen=True)
class Preset:
    """A known server: what to call it, where it listens, whether it needs a key."""

    key: str
    name: str
    base_url: str
    needs_key: bool = False
    local: bool = False


PRESETS: tuple[Preset, ...] = (
    Preset("ollama", "Ollama", "http://localhost:11434/v1", local=True),
    Preset("lmstudio", "LM Studio", "http://localhost:1234/v1", local=True),
    Preset("llamacpp", "llama.cpp", "http://localhost:8080/v1", local=True),
    Preset("openai", "OpenAI", "https://api.openai.com/v1", needs_key=True),
    Preset("openrouter", "OpenRouter", "https://openrouter.ai/api/v1", needs_key=True),
)
PRESETS_BY_KEY = {preset.key: preset for preset in PRESETS}


def headers(api_key: str | None) -> dict[str, str]:
    result = {"User-Agent": USER_AGENT, "Accept": "text/event-stream, application/json"}
    if api_key:
        result["Authorization"] = f"Bearer {api_key}"
    return result


def generation_params(options: dict[str, Any]) -> dict[str, Any]:
    """The generation parameters among `options` that are set (None means "not sent"),
    and `extra_body` (a server's own fields, such as `chat_template_kwargs`) merged in."""
    params = {name: options[name] for name in GENERATION_PARAMS
              if options.get(name) is not None}
    extra = options.get("extra_body")
    if isinstance(extra, dict):
        params.update({k: v for k, v in extra.items() if k not in RESERVED_FIELDS})
    return params


def request_body(model: str, messages: Messages,
                 params: dict[str, Any] | None = None) -> dict[str, Any]:
    """The request: role and content of each message only (never a reasoning field)."""
    return {"model": model, "messages": outgoing_messages(messages), "stream": True,
            "stream_options": {"include_usage": True}, **(params or {})}


async def stream_completion(
    base_url: str,
    model: str,
    messages: Messages,
    proxy: str | None = None,
    *,
    api_key: str | None = None,
    timeouts: http.Timeouts | None = None,
    usage_sink: UsageSink | None = None,
    finish_sink: FinishSink | None = None,
    ca_file: str | None = None,
    params: dict[str, Any] | None = None,
    reasoning_sink: ReasoningSink | None = None,
    thinking_end_sink: ThinkingEndSink | None = None,
    tool_calls_sink: ToolCallsSink | None = None,
    prompt_thinking_sink: PromptThinkingSink | None = None,
    prompt_opens_thinking: bool = False,
    pool: SessionPool | None = None,
) -> AsyncGenerator[str, None]:
    """`pool`: keeps the connection to a server on this machine for the next reply."""
    endpoint = base_url.rstrip("/") + "/chat/completions"
    log.debug("POST %s (model %s, key %s, proxy %s)", endpoint, model or "-",
              "yes" if api_key else "no", "yes" if proxy else "no")
    async with http.translated(endpoint) as progress:
        opened, request_proxy = open_client(
            pool, endpoint, headers(api_key), timeouts or http.Timeouts(), proxy, ca_file)
        async with (
            opened as client,
            client.post(endpoint, json=request_body(model, messages, params),
                        proxy=request_proxy) as response,
        ):
            if not 200 <= response.status < 300:
                text = (await http.read_body(response, 64 * 1024)).decode("utf-8", "replace")
                raise error_from_status(response.status, text)
            async with aclosing(read_completion(response.content.iter_any(), progress,
                                                usage_sink, finish_sink, reasoning_sink,
                                                thinking_end_sink,
                                                tool_calls_sink, prompt_thinking_sink,
                                                prompt_opens_thinking)) as reply:
                async for text in reply:
                    yield text


async def list_model_infos(base_url: str, *, api_key: str | None = None,
                           proxy: str | None = None, timeouts: http.Timeouts | None = None,
                           ca_file: str | None = None) -> list[ModelInfo]:
    """The models `GET {base}/models` lists (OpenAI's `data` or Ollama's `models`), each
    with what the list says about it: context length (OpenRouter, llama.cpp's `meta`,
    LM Studio), whether it thinks, sees images or calls tools (OpenRouter)."""
    endpoint = base_url.rstrip("/") + "/models"
    async with http.translated(endpoint):
        client, request_proxy = http.session(headers(api_key), timeouts or http.Timeouts(),
                                             proxy, ca_file)
        async with client, client.get(endpoint, proxy=request_proxy) as response:
            text = (await http.read_body(response, MODELS_LIMIT)).decode("utf-8", "replace")
            if not 200 <= response.status < 300:
                raise error_from_status(response.status, text)
    try:
        body = json.loads(text)
    except ValueError:
        raise ProtocolError(f"the model list is not JSON: {http.excerpt(text)}") from None
    infos = model_infos(body)
    if infos is None:
        raise ProtocolError(f"the model list has no data: {http.excerpt(text)}")
    return infos


async def list_models(base_url: str, *, api_key: str | None = None, proxy: str | None = None,
                      timeouts: http.Timeouts | None = None,
                      ca_file: str | None = None) -> list[str]:
    """The model ids `GET {base}/models` lists, sorted; `list_model_infos` adds facts."""
    return [info.id for info in await list_model_infos(
        base_url, api_key=api_key, proxy=proxy, timeouts=timeouts, ca_file=ca_file)]


is_loopback = http.is_loopback


async def _listens(url: str, timeout: float) -> bool:
    """Whether anything accepts a TCP connection at the URL's host and port (no HTTP)."""
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        async with asyncio.timeout(timeout):
            _, writer = await asyncio.open_connection(parts.hostname or "127.0.0.1", port)
    except (OSError, TimeoutError):
        return False
    writer.close()
    try:
        await writer.wait_closed()
    except OSError:
        pass
    return True


def load_network() -> None:
    """Import aiohttp now (lazy until its first use, ~130 ms, far more on a busy machine)."""
    _ = aiohttp.ClientSession


async def probe(candidates: Iterable[tuple[str, str]] | None = None,
                total: float = PROBE_SECONDS) -> list[tuple[str, list[str]]]:
    """Which local servers answer `GET /models`, all asked at once.

    First a bare TCP connect finds the ports anything listens on (no aiohttp needed, so
    a machine without local servers never loads it); then aiohttp is imported, and only
    then does the `total` seconds budget for the HTTP answers start: on a busy machine
    the import alone once ate the whole budget and a running llama.cpp went unseen.
    `candidates` are (key, base_url) pairs; only loopback addresses are ever probed.
    Returns (key, model ids) for each that answered, in the candidates' order.
    """
    pairs = [(key, url.replace("://localhost", "://127.0.0.1", 1))
             for key, url in (candidates or [(p.key, p.base_url) for p in PRESETS if p.local])
             if is_loopback(url)]
    listening = await asyncio.gather(*(_listens(url, PROBE_CONNECT_SECONDS)
                                       for _, url in pairs))
    pairs = [pair for pair, up in zip(pairs, listening, strict=True) if up]
    if not pairs:
        return []
    load_network()
    timeouts = http.Timeouts(connect=total, read=total)

    async def one(url: str) -> list[str] | None:
        try:
            return await list_models(url, timeouts=timeouts)
        except (ProviderError, aiohttp.ClientError, OSError):
            return None

    tasks = [asyncio.ensure_future(one(url)) for _, url in pairs]
    done, pending = await asyncio.wait(tasks, timeout=total)
    for task in pending:
        task.cancel()
    await asyncio.gather(*pending, return_exceptions=True)
    found: list[tuple[str, list[str]]] = []
    for (key, _), task in zip(pairs, tasks, strict=True):
        if task in done and not task.cancelled() and task.result() is not None:
            found.append((key, task.result() or []))
    return found


class OpenAICompatible(AsyncGeneratorProvider):
    """Any OpenAI-compatible server; `base_url=` and `api_key=` are given per call."""

    url = None
    working = True
    supports_message_history = True
    supports_gpt_35_turbo = True
    supports_gpt_4 = True

    @classmethod
    async def image_support(cls, model: str, **options: Any) -> bool | None:
        """What the server says of the model (llama.cpp /props modalities, Ollama
        /api/show capabilities, a /models entry's input modalities), or None."""
        base_url = str(options.get("base_url") or "")
        if not base_url:
            return None
        facts = await model_facts(base_url, model, api_key=options.get("api_key"),
                                  proxy=options.get("proxy"), ca_file=options.get("ca_file"))
        return facts.vision

    @classmethod
    async def create_async_generator(
        cls,
        model: str,
        messages: Messages,
        proxy: str | None = None,
        *,
        base_url: str = "",
        api_key: str | None = None,
        connect_timeout: float = http.DEFAULT_CONNECT_TIMEOUT,
        read_timeout: float = http.DEFAULT_READ_TIMEOUT,
        usage_sink: UsageSink | None = None,
        finish_sink: FinishSink | None = None,
        ca_file: str | None = None,
        reasoning_sink: ReasoningSink | None = None,
        thinking_end_sink: ThinkingEndSink | None = None,
        tools: list[dict[str, Any]] | None = None,
        tool_calls_sink: ToolCallsSink | None = None,
        prompt_thinking_sink: PromptThinkingSink | None = None,
        prompt_opens_thinking: bool = False,
        http_pool: SessionPool | None = None,
        **kwargs: Any,
    ) -> AsyncResult:
        """Stream the answer text. Any of GENERATION_PARAMS in kwargs (max_tokens,
        temperature, top_p, seed, stop, ...) goes into the request body unless it is None.

        Thinking goes to `reasoning_sink` piece by piece; `thinking_end_sink` hears the
        finish reason when the reply ended while still thinking (no answer). Messages are
        sent as role and content only: reasoning is never sent back as context.

        `prompt_thinking_sink` hears when thinking the chat template opened (no opening
        tag in the reply) moves between answer and thinking; `prompt_opens_thinking` says
        this model's template does, so the reply is thinking from its first token
        (providers/reasoning.py).

        `tools` (OpenAI's function entries) are offered to the model; the calls it makes
        go to `tool_calls_sink` when the turn ends (tool turns in `messages` keep their
        `tool_calls` and `tool_call_id`).
        """
        if not base_url:
            raise UnreachableError("no base URL is set for this provider")
        if not messages:
            raise NothingToSendError("a chat completion needs at least one message")
        timeouts = http.Timeouts(connect=connect_timeout, read=read_timeout)
        params = generation_params(kwargs)
        if tools:
            params["tools"] = tools
        async with aclosing(stream_completion(base_url, model, messages, proxy,
                                              api_key=api_key, timeouts=timeouts,
                                              usage_sink=usage_sink, finish_sink=finish_sink,
                                              ca_file=ca_file,
                                              params=params,
                                              reasoning_sink=reasoning_sink,
                                              thinking_end_sink=thinking_end_sink,
                                              tool_calls_sink=tool_calls_sink,
                                              prompt_thinking_sink=prompt_thinking_sink,
                                              prompt_opens_thinking=prompt_opens_thinking,
                                              pool=http_pool)) as reply:
            async for text in reply:
                yield text
