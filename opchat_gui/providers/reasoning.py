"""A model's thinking, kept apart from its answer (no aiohttp here).

Reasoning models stream their thinking before the answer. Servers put it in one of three
places: `delta.reasoning_content` (llama.cpp, DeepSeek, LM Studio), `delta.reasoning`
(OpenRouter, Ollama, newer vLLM), or inline as `<think>…</think>` / `<thinking>…</thinking>`
at the start of `content` (servers that pass the chat template's text through raw). The
parsers yield only answer text, as the gpt4free contract wants, and hand every piece of
thinking to a `reasoning_sink` as it arrives.

Reasoning is never sent back to a model as context: `outgoing_messages` keeps only role
and content, and drops a leading think block from earlier assistant turns.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

ReasoningSink = Callable[[str], None]  # each piece of thinking, as it arrives
StatusSink = Callable[[str], None]  # one line of what the server is doing ("Searching…")
# Called once, with the finish reason ("stop", "length", ... or "" if the server gave
# none), when a reply ended with thinking and no answer: the model stopped while thinking.
ThinkingEndSink = Callable[[str], None]

OPEN_TAGS = ("<think>", "<thinking>")
CLOSE_FOR = {"<think>": "</think>", "<thinking>": "</thinking>"}
LEADING_BLOCK = re.compile(r"\A\s*<(think|thinking)>.*?</\1>\s*", re.S)
WIRE_KEYS = ("role", "content", "tool_calls", "tool_call_id")  # tool turns go back whole


class InlineThinking:
    """Split `content` pieces into (answer, reasoning), however the tags are chunked.

    Only a block that opens the reply counts (leading whitespace allowed): a model that
    writes "<think>" in the middle of its answer is talking about the tag. Text that might
    still become a tag is held back until the next piece decides it, so splitting the same
    content anywhere (even one character at a time) gives the same two texts. Whitespace
    between the opening tag and the thinking, and between the closing tag and the answer,
    is dropped.
    """

    def __init__(self) -> None:
        # start -> opened -> thinking -> after -> answer, or start -> answer
        self._state = "start"
        self._held = ""
        self._close = ""

    @property
    def thinking(self) -> bool:
        """Inside an inline block that has not closed yet."""
        return self._state in ("opened", "thinking")

    def feed(self, text: str) -> tuple[str, str]:
        """The answer text and the reasoning text that `text` completes."""
        answer: list[str] = []
        reasoning: list[str] = []
        self._held += text
        while self._held:
            if self._state == "start":
                head = self._held.lstrip()
                tag = next((t for t in OPEN_TAGS if head.startswith(t)), None)
                if tag is not None:
                    self._state, self._close = "opened", CLOSE_FOR[tag]
                    self._held = head[len(tag):]
                    continue
                if not head or any(t.startswith(head) for t in OPEN_TAGS):
                    break  # whitespace or a tag's beginning so far: wait for more
                self._state = "answer"
            elif self._state == "opened":
                self._held = self._held.lstrip()
                if self._held:
                    self._state = "thinking"
            elif self._state == "thinking":
                end = self._held.find(self._close)
                if end >= 0:
                    reasoning.append(self._held[:end])
                    self._held = self._held[end + len(self._close):]
                    self._state = "after"
                    continue
                keep = _partial_suffix(self._held, self._close)
                reasoning.append(self._held[:len(self._held) - keep])
                self._held = self._held[len(self._held) - keep:]
                break
            elif self._state == "after":
                self._held = self._held.lstrip()
                if self._held:
                    self._state = "answer"
            else:
                answer.append(self._held)
                self._held = ""
        return "".join(answer), "".join(reasoning)

    def flush(self) -> tuple[str, str]:
        """What is still held when the stream ends: a lone tag's beginning is answer text,
        a closing tag's beginning inside a block is thinking."""
        held, self._held = self._held, ""
        if self.thinking:
            return "", held
        if self._state == "start":
            self._state = "answer"
            return held, ""
        return "", ""


def _partial_suffix(text: str, tag: str) -> int:
    """The length of the longest end of `text` that is a beginning of `tag`."""
    for size in range(min(len(tag) - 1, len(text)), 0, -1):
        if tag.startswith(text[-size:]):
            return size
    return 0


def delta_reasoning(delta: Mapping[str, Any]) -> str:
    """The thinking in one delta (or message): `reasoning_content`, else `reasoning`.

    Some servers send both with the same text; taking one keeps it from doubling.
    """
    for key in ("reasoning_content", "reasoning"):
        value = delta.get(key)
        if isinstance(value, str) and value:
            return value
    return ""


def strip_thinking(text: str) -> str:
    """`text` without a leading `<think>…</think>` block (an old reply stored raw)."""
    return LEADING_BLOCK.sub("", text, count=1)


def outgoing_messages(messages: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The messages as they go on the wire: role and content only, no thinking.

    A message may carry more (an id, its stored reasoning, a timestamp); none of it is
    sent. Earlier assistant turns lose a leading think block, so a reply stored before
    thinking was kept apart is not fed back to the model either.
    """
    result: list[dict[str, Any]] = []
    for message in messages:
        wire = {key: message[key] for key in WIRE_KEYS if key in message}
        if wire.get("role") == "assistant" and isinstance(wire.get("content"), str):
            wire["content"] = strip_thinking(wire["content"])
        result.append(wire)
    return result
