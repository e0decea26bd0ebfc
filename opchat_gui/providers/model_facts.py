"""What a server says about a model: context length, and whether it thinks, sees, calls tools.

No common route exists, so each server is asked where it answers:

- llama.cpp: `GET /props` (`default_generation_settings.n_ctx`, `modalities`; a chat
  template that writes `<think>` belongs to a thinking model) and `meta.n_ctx` in `/models`;
- Ollama: `POST /api/show` (`model_info["<arch>.context_length"]`, `capabilities`
  such as `vision`, `thinking`, `tools`; a `num_ctx` in its `parameters` is what it runs
  with, so it wins over the trained length);
- OpenRouter: `GET /models` (`context_length`, `supported_parameters`,
  `architecture.input_modalities`);
- LM Studio: `GET /api/v0/models` (`max_context_length`, `type` `vlm`, `capabilities`).

All are asked at once under one short timeout. A server without a route, or that is
slow, or answers junk, leaves that fact unknown (None): asking never raises.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, fields, replace
from typing import Any

from opchat_gui.providers import http
from opchat_gui.providers.errors import ProviderError
from opchat_gui.providers.lazy import lazy_import

aiohttp = lazy_import("aiohttp")

log = logging.getLogger(__name__)

FACTS_SECONDS = 2.0
FACTS_LIMIT = 4 * 1024 * 1024
USER_AGENT = "opchat-gui (model facts)"
THINKING_PARAMS = frozenset({"reasoning", "include_reasoning", "reasoning_effort"})
NUM_CTX = re.compile(r"^\s*num_ctx\s+(\d+)\s*$", re.M)


@dataclass(frozen=True)
class ModelFacts:
    """What is known about one model; None is "the server did not say"."""

    context_length: int | None = None
    thinks: bool | None = None
    vision: bool | None = None
    tools: bool | None = None
    source: str = ""  # which route said it, for the log and the user ("llama.cpp /props")

    @property
    def known(self) -> bool:
        return any(getattr(self, f.name) is not None for f in fields(self) if f.name != "source")

    def over(self, other: ModelFacts) -> ModelFacts:
        """These facts, with `other`'s filling what these leave unknown."""
        merged = {f.name: getattr(self, f.name) if getattr(self, f.name) is not None
                  else getattr(other, f.name) for f in fields(self) if f.name != "source"}
        return replace(self, **merged,
                       source=" + ".join(s for s in (self.source, other.source) if s))


UNKNOWN = ModelFacts()


@dataclass(frozen=True)
class ModelInfo:
    """One entry of a server's model list, with the facts the list itself gives."""

    id: str
    facts: ModelFacts = UNKNOWN


def root_of(base_url: str) -> str:
    """Where a server's own routes live: the base URL without its OpenAI `/v1`."""
    base = base_url.rstrip("/")
    return base[:-3] if base.endswith("/v1") else base


def _positive(value: Any) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        number = int(value)
    except ValueError:
        return None
    return number if number > 0 else None


def _has(items: Any, name: str) -> bool | None:
    """Whether list `items` holds `name`; None if it is no list of names."""
    if not isinstance(items, list):
        return None
    return name in {str(item) for item in items}


def _said(facts: ModelFacts) -> ModelFacts:
    """`facts`, or UNKNOWN (no source either) when they say nothing."""
    return facts if facts.known else UNKNOWN


def facts_from_props(body: Any) -> ModelFacts:
    """llama.cpp's `GET /props`."""
    if not isinstance(body, dict):
        return UNKNOWN
    settings = body.get("default_generation_settings")
    n_ctx = settings.get("n_ctx") if isinstance(settings, dict) else None
    modalities = body.get("modalities")
    vision = modalities.get("vision") if isinstance(modalities, dict) else None
    caps = body.get("chat_template_caps")
    tools = caps.get("supports_tools") if isinstance(caps, dict) else None
    template = body.get("chat_template")
    thinks = True if isinstance(template, str) and (
        "<think>" in template or "reasoning_content" in template) else None
    return _said(ModelFacts(_positive(n_ctx) or _positive(body.get("n_ctx")), thinks,
                            vision if isinstance(vision, bool) else None,
                            tools if isinstance(tools, bool) else None, "llama.cpp /props"))


def facts_from_show(body: Any) -> ModelFacts:
    """Ollama's `POST /api/show`: the `num_ctx` it runs with, else the trained length."""
    if not isinstance(body, dict):
        return UNKNOWN
    context = None
    parameters = body.get("parameters")
    if isinstance(parameters, str):
        match = NUM_CTX.search(parameters)
        context = int(match.group(1)) if match else None
    info = body.get("model_info")
    if context is None and isinstance(info, dict):
        context = next((_positive(v) for k, v in info.items()
                        if str(k).endswith(".context_length") and _positive(v)), None)
    caps = body.get("capabilities")
    return _said(ModelFacts(context, _has(caps, "thinking"), _has(caps, "vision"),
                            _has(caps, "tools"), "Ollama /api/show"))


def facts_from_entry(entry: Mapping[str, Any]) -> ModelFacts:
    """One `/models` entry: OpenRouter's fields, llama.cpp's `meta`, LM Studio's v0 fields."""
    context = _positive(entry.get("context_length")) or _positive(
        entry.get("max_context_length"))
    meta = entry.get("meta")
    if context is None and isinstance(meta, dict):
        context = _positive(meta.get("n_ctx"))
    params = entry.get("supported_parameters")
    thinks = tools = vision = None
    if isinstance(params, list):
        names = {str(p) for p in params}
        thinks, tools = bool(names & THINKING_PARAMS), "tools" in names
    arch = entry.get("architecture")
    if isinstance(arch, dict):
        vision = _has(arch.get("input_modalities"), "image")
    if entry.get("type") in ("vlm", "llm"):
        vision = entry.get("type") == "vlm"
    caps = entry.get("capabilities")
    if isinstance(caps, list) and tools is None:
        tools = _has(caps, "tool_use") or _has(caps, "tools")
    return _said(ModelFacts(context, thinks, vision, tools, "/models"))


def model_infos(body: Any) -> list[ModelInfo] | None:
    """A model list (OpenAI's `data`, Ollama's `models`, or a bare list) as ModelInfos;
    None if the body is no model list at all."""
    items = body.get("data", body.get("models")) if isinstance(body, dict) else body
    if not isinstance(items, list):
        return None
    infos: dict[str, ModelInfo] = {}
    for item in items:
        if isinstance(item, dict) and (item.get("id") or item.get("name")):
            model = str(item.get("id") or item.get("name"))
            infos.setdefault(model, ModelInfo(model, facts_from_entry(item)))
    return [infos[key] for key in sorted(infos)]


def _headers(api_key: str | None) -> dict[str, str]:
    result = {"User-Agent": USER_AGENT, "Accept": "application/json"}
    if api_key:
        result["Authorization"] = f"Bearer {api_key}"
    return result


async def model_facts(base_url: str, model: str, *, api_key: str | None = None,
                      proxy: str | None = None, ca_file: str | None = None,
                      timeout: float = FACTS_SECONDS) -> ModelFacts:
    """Everything the server at `base_url` says about `model`, within `timeout` seconds.

    Never raises for a server that lacks a route, refuses, or is unreachable: what was
    not said stays None. Sources merge in order of trust: what the running server uses
    (llama.cpp's /props, Ollama's num_ctx) before what a list says.
    """
    base, root = base_url.rstrip("/"), root_of(base_url)
    timeouts = http.Timeouts(connect=timeout, read=timeout)
    try:
        client, request_proxy = http.session(_headers(api_key), timeouts, proxy, ca_file)
    except ProviderError as exc:  # a bad proxy or CA file: no facts; the chat says why
        log.info("no model facts from %s: %s", http.site(base), exc)
        return UNKNOWN

    async def fetch(method: str, url: str, body: Any = None) -> Any:
        try:
            async with client.request(method, url, json=body, proxy=request_proxy) as reply:
                if not 200 <= reply.status < 300:
                    return None
                return json.loads(await http.read_body(reply, FACTS_LIMIT))
        except (aiohttp.ClientError, OSError, TimeoutError, ValueError) as exc:
            log.debug("%s %s: %s", method, url, exc)
            return None

    async def listed(url: str, source: str) -> ModelFacts:
        infos = model_infos(await fetch("GET", url)) or []
        found = next((i.facts for i in infos if i.id == model), UNKNOWN)
        return replace(found, source=source) if found.known else UNKNOWN

    async with client:
        asks = [
            asyncio.ensure_future(_then(fetch("GET", root + "/props"), facts_from_props)),
            asyncio.ensure_future(_then(fetch("POST", root + "/api/show", {"model": model}),
                                        facts_from_show)),
            asyncio.ensure_future(listed(root + "/api/v0/models", "LM Studio /api/v0/models")),
            asyncio.ensure_future(listed(base + "/models", "/models")),
        ]
        done, pending = await asyncio.wait(asks, timeout=timeout)
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
    facts = UNKNOWN
    for task in asks:
        if task in done and not task.cancelled() and task.exception() is None:
            said = task.result()
            if said.known:
                facts = facts.over(said) if facts.known else said
    log.debug("facts for %s at %s: %s", model, http.site(base), facts)
    return facts


async def _then(ask: Awaitable[Any], read: Callable[[Any], ModelFacts]) -> ModelFacts:
    body = await ask
    return read(body) if body is not None else UNKNOWN
