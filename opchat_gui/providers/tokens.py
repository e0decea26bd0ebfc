"""How many tokens a conversation is, before it is sent.

No tokenizer ships with the app (each model has its own, and loading one costs more than
the whole app), so the count is an estimate:

- **UTF-8 bytes / 4 per message text.** BPE tokenizers average about four characters
  of English per token; counting bytes instead of characters keeps the rule close for
  other scripts too (Cyrillic is two bytes a character and about two characters a token;
  CJK is three bytes a character and about one character a token), where characters / 4
  would undercount them by two to four times.
- **+4 per message, +3 for the reply.** Chat templates wrap each message in role markers
  and separators (`<|im_start|>user\\n … <|im_end|>\\n` is 4-5 tokens), and prime the reply
  with an assistant header; OpenAI's own counting guide uses the same 3-4.

The estimate is then corrected per provider and model by what servers report: after each
reply, `usage.prompt_tokens` divided by the estimate of what was sent is folded into a
ratio (`Calibration`), so a model whose tokenizer runs 30 % over the rule is estimated
30 % higher from then on. Where llama.cpp's `POST /tokenize` answers, `count_tokens`
gives the exact count of a text.
"""

from __future__ import annotations

import asyncio
import json
import logging
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from opchat_gui.providers import http
from opchat_gui.providers.base import image_count, text_of
from opchat_gui.providers.errors import ProviderError
from opchat_gui.providers.lazy import lazy_import
from opchat_gui.providers.model_facts import FACTS_SECONDS, root_of

aiohttp = lazy_import("aiohttp")

log = logging.getLogger(__name__)

BYTES_PER_TOKEN = 4
MESSAGE_OVERHEAD = 4
REPLY_PRIMING = 3
IMAGE_TOKENS = 1000  # a 1568 px image costs ~800-1600 tokens on the common vision models
RATIO_LIMITS = (0.25, 4.0)  # a report outside 4x either way is a different thing counted
SMOOTHING = 0.5  # weight of the newest report: follows a change in two or three replies
MIN_CALIBRATION_TOKENS = 16  # tiny prompts are mostly overhead; their ratio says little


def estimate_text(text: str) -> int:
    """The estimated tokens of one text: UTF-8 bytes / 4, rounded up."""
    return math.ceil(len(text.encode("utf-8", "replace")) / BYTES_PER_TOKEN)


def estimate_tools(specs: Sequence[Mapping[str, Any]] | None) -> int:
    """The estimated tokens of the `tools` a request carries: a chat template writes
    their JSON into the prompt (llama-server: ~950 tokens for mcp-server-time's two)."""
    if not specs:
        return 0
    return estimate_text(json.dumps(list(specs), ensure_ascii=False, separators=(",", ":")))


def estimate_messages(messages: Iterable[Mapping[str, Any]]) -> int:
    """The estimated prompt tokens of `messages` as sent, reply priming included."""
    total = REPLY_PRIMING
    for message in messages:
        content = message.get("content")
        total += (MESSAGE_OVERHEAD + estimate_text(text_of(content))
                  + IMAGE_TOKENS * image_count(content))
    return total


@dataclass
class Calibration:
    """The ratio of reported to estimated prompt tokens, kept per provider and model."""

    ratios: dict[tuple[str, str], float] = field(default_factory=dict)

    def ratio(self, provider: str, model: str) -> float:
        return self.ratios.get((provider, model), 1.0)

    def observe(self, provider: str, model: str, estimated: int, usage: Any) -> float:
        """Fold one reply's `usage` (the dict the server sent) into the ratio; the ratio.

        `estimated` is `estimate_messages` of exactly the messages that were sent. Usage
        without a whole positive `prompt_tokens` changes nothing.
        """
        reported = usage.get("prompt_tokens") if isinstance(usage, Mapping) else None
        if (not isinstance(reported, int) or isinstance(reported, bool) or reported <= 0
                or estimated < MIN_CALIBRATION_TOKENS):
            return self.ratio(provider, model)
        low, high = RATIO_LIMITS
        seen = min(max(reported / estimated, low), high)
        key = (provider, model)
        old = self.ratios.get(key)
        self.ratios[key] = seen if old is None else old + SMOOTHING * (seen - old)
        return self.ratios[key]

    def estimate(self, provider: str, model: str,
                 messages: Iterable[Mapping[str, Any]]) -> int:
        """The heuristic estimate, corrected by what this provider's model reported."""
        return math.ceil(estimate_messages(messages) * self.ratio(provider, model))


async def _post(base_url: str, route: str, body: dict[str, Any], *, api_key: str | None,
                proxy: str | None, ca_file: str | None, timeout: float) -> Any:
    """llama.cpp's answer to `POST {root}{route}` as JSON; None where the server has no
    such route (or is slow, or says something else). Never raises."""
    endpoint = root_of(base_url) + route
    headers = {"User-Agent": "opchat-gui (tokens)", "Accept": "application/json"}
    if api_key:
        headers["Authorization"] = f"Bearer {api_key}"
    try:
        client, request_proxy = http.session(headers, http.Timeouts(timeout, timeout), proxy,
                                             ca_file)
        async with asyncio.timeout(timeout), client, client.post(endpoint, json=body,
                                       proxy=request_proxy) as reply:
            if not 200 <= reply.status < 300:
                return None
            return json.loads(await http.read_body(reply, 64 * 1024 * 1024))
    except (aiohttp.ClientError, OSError, TimeoutError, ValueError) as exc:
        log.debug("no answer from %s: %s", http.site(endpoint), exc)
        return None
    except ProviderError as exc:  # a bad proxy or CA file: no count, no crash
        log.info("no answer from %s: %s", http.site(endpoint), exc)
        return None


async def count_tokens(base_url: str, text: str, *, api_key: str | None = None,
                       proxy: str | None = None, ca_file: str | None = None,
                       timeout: float = FACTS_SECONDS) -> int | None:
    """The exact token count of `text` from llama.cpp's `POST /tokenize`; None where the
    server has no such route (or is slow, or says something else). Never raises."""
    body = await _post(base_url, "/tokenize", {"content": text}, api_key=api_key,
                       proxy=proxy, ca_file=ca_file, timeout=timeout)
    tokens = body.get("tokens") if isinstance(body, dict) else None
    return len(tokens) if isinstance(tokens, list) else None


async def count_tools(base_url: str, tools: Sequence[Mapping[str, Any]], *,
                      api_key: str | None = None, proxy: str | None = None,
                      ca_file: str | None = None,
                      timeout: float = FACTS_SECONDS) -> int | None:
    """The tokens offering `tools` adds to a prompt on llama.cpp: its chat template applied
    with and without them (`POST /apply-template`), each counted (`POST /tokenize`). The
    tools' JSON alone is far from it: a real llama-server put mcp-server-time's two at
    ~550 tokens as JSON, ~940 in the prompt. None where it cannot say. Never raises."""
    probe = [{"role": "user", "content": "hi"}]
    options: dict[str, Any] = {"api_key": api_key, "proxy": proxy, "ca_file": ca_file,
                               "timeout": timeout}
    counts = []
    for body in ({"messages": probe, "tools": list(tools)}, {"messages": probe}):
        applied = await _post(base_url, "/apply-template", body, **options)
        prompt = applied.get("prompt") if isinstance(applied, dict) else None
        count = await count_tokens(base_url, prompt, **options) \
            if isinstance(prompt, str) else None
        if count is None:
            return None
        counts.append(count)
    return max(counts[0] - counts[1], 0)
