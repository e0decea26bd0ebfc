"""A model's thinking, kept apart from its answer (no aiohttp here).

Reasoning models stream their thinking before the answer. Servers put it in one of three
places: `delta.reasoning_content` (llama.cpp, DeepSeek, LM Studio), `delta.reasoning`
(OpenRouter, Ollama, newer vLLM), or inline as `<think>…</think>` / `<thinking>…</thinking>`
at the start of `content` (servers that pass the chat template's text through raw). The
parsers yield only answer text, as the gpt4free contract wants, and hand every piece of
thinking to a `reasoning_sink` as it arrives.

The prompt may open the block itself. The chat templates of DeepSeek-R1 and its distills,
QwQ and others end the prompt with `<think>\n`, so a server that passes text through raw
(vLLM without a reasoning parser, LM Studio, older llama.cpp; a current `llama-server`
puts the tag back, or splits the thinking out, itself) streams the thinking with no
opening tag, then `</think>`, then the answer. Until the closing tag arrives nobody can
tell that thinking from an answer, so:

- with a `prompt_thinking_sink`, a bare `</think>` or `</thinking>` early in the reply
  (within BARE_CLOSE_LIMIT characters, at the end of its line, as templates write it, not
  after a quote or backtick, not inside a code fence, with no opening tag before it) ends
  a thinking phase that began with the reply:
  the sink hears True, meaning "the answer so far was thinking: move it", the rest of the
  thinking goes to `reasoning_sink` and what follows the tag is the answer. A model that
  writes about the tag later, or quoted, is left alone;
- the caller remembers it for that provider and model and passes `prompt_opens_thinking`
  on the next reply, which is then taken as thinking from its first token ("Thinking…" at
  once). If that reply ends (finish reason other than `length`) without a closing tag, the
  template did not open a block this time (thinking switched off): the sink hears False,
  meaning "the thinking so far was the answer: move it back", and the caller forgets.
  Thinking that arrives in a reasoning field, or an opening tag in `content`, also means
  the server splits it out: the presumption is dropped.

Reasoning is never sent back to a model as context: `outgoing_messages` keeps only role
and content, and drops a leading think block (or thinking a bare closing tag ends) from
earlier assistant turns stored raw.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any, NamedTuple

ReasoningSink = Callable[[str], None]  # each piece of thinking, as it arrives
StatusSink = Callable[[str], None]  # one line of what the server is doing ("Searching…")
# Called once, with the finish reason ("stop", "length", ... or "" if the server gave
# none), when a reply ended with thinking and no answer: the model stopped while thinking.
ThinkingEndSink = Callable[[str], None]
# True: the reply's answer so far was thinking the prompt opened (a bare closing tag came);
# False: the thinking so far was the answer (a presumed block never closed). See above.
PromptThinkingSink = Callable[[bool], None]

OPEN_TAGS = ("<think>", "<thinking>")
CLOSE_TAGS = ("</think>", "</thinking>")
CLOSE_FOR = {"<think>": "</think>", "<thinking>": "</thinking>"}
LEADING_BLOCK = re.compile(r"\A\s*<(think|thinking)>.*?</\1>\s*", re.S)
WIRE_KEYS = ("role", "content", "tool_calls", "tool_call_id")  # tool turns go back whole
# How far into a reply a bare closing tag still ends a prompt-opened thinking phase:
# about 40,000 tokens, past a long (20,000-token) thinking phase.
BARE_CLOSE_LIMIT = 160_000
QUOTES = frozenset("`'\"«»“”‘’*")  # a tag after one is written about, not used
FENCE = "```"


class Split(NamedTuple):
    """What one piece of `content` completes: answer text, thinking text, and whether the
    answer before it turned out to be thinking (a bare closing tag; see the module)."""

    answer: str
    reasoning: str
    moved: bool = False


class InlineThinking:
    """Split `content` pieces into (answer, reasoning), however the tags are chunked.

    Only a block that opens the reply counts (leading whitespace allowed): a model that
    writes "<think>" in the middle of its answer is talking about the tag. Text that might
    still become a tag is held back until the next piece decides it, so splitting the same
    content anywhere (even one character at a time) gives the same two texts. Whitespace
    between the opening tag and the thinking, and between the closing tag and the answer,
    is dropped.

    `presumed`: the prompt opened the block, so the reply is thinking from its first token
    until a closing tag. `bare_close`: watch the answer for a bare closing tag that shows
    the prompt opened it after all (the caller can move what it showed as answer).
    """

    def __init__(self, *, presumed: bool = False, bare_close: bool = False) -> None:
        # start -> opened -> thinking -> after -> answer, or start -> answer
        self._state = "start"
        self._held = ""
        self._closes: tuple[str, ...] = ()
        self.presumed = presumed  # thinking since the first token, no tag seen yet
        self._watch = bare_close and not presumed
        self._seen: list[str] = []  # the answer so far, while a bare close may still come
        self._seen_chars = 0

    @property
    def thinking(self) -> bool:
        """Inside an inline block that has not closed yet."""
        return self._state in ("opened", "thinking")

    def unpresume(self) -> bool:
        """Drop the presumption before any content came (the server sends the thinking in
        a field, so `content` is the answer). Whether it was still presumed."""
        if self.presumed and self._state == "start" and not self._held.strip():
            self.presumed = False
            return True
        return False

    def feed(self, text: str) -> Split:
        """The answer text and the reasoning text that `text` completes."""
        answer: list[str] = []
        reasoning: list[str] = []
        moved = False
        self._held += text
        while self._held:
            if self._state == "start":
                head = self._held.lstrip()
                tag = next((t for t in OPEN_TAGS if head.startswith(t)), None)
                if tag is not None:
                    self._state, self._closes = "opened", (CLOSE_FOR[tag],)
                    self._held = head[len(tag):]
                    self.presumed = self._watch = False
                    continue
                if not head or any(t.startswith(head) for t in OPEN_TAGS):
                    break  # whitespace or a tag's beginning so far: wait for more
                if self.presumed:
                    self._state, self._closes, self._held = "thinking", CLOSE_TAGS, head
                else:
                    self._state = "answer"
            elif self._state == "opened":
                self._held = self._held.lstrip()
                if self._held:
                    self._state = "thinking"
            elif self._state == "thinking":
                at, close = _find_first(self._held, self._closes)
                if at >= 0:
                    reasoning.append(self._held[:at])
                    self._held = self._held[at + len(close):]
                    self._state = "after"
                    self.presumed = False
                    continue
                keep = max(_partial_suffix(self._held, tag) for tag in self._closes)
                reasoning.append(self._held[:len(self._held) - keep])
                self._held = self._held[len(self._held) - keep:]
                break
            elif self._state == "after":
                self._held = self._held.lstrip()
                if self._held:
                    self._state = "answer"
            elif self._watch:
                held = self._held
                at, close, real = (-1, "", False) if "</think" not in held \
                    else self._bare_close(final=False)  # (the cheap test: every piece)
                if at < 0:  # no tag: answer but a tag's possible beginning
                    keep = (0 if "<" not in held[-10:]
                            else max(_partial_suffix(held, tag) for tag in CLOSE_TAGS))
                    self._answer(answer, held[:len(held) - keep])
                    self._held = held[len(held) - keep:]
                    break
                if real is None:  # the character after the tag decides: wait for it
                    self._answer(answer, self._held[:at])
                    self._held = self._held[at:]
                    break
                if real:
                    moved = True  # the caller moves the answer it already has, too
                    reasoning.append("".join(answer) + self._held[:at])
                    answer.clear()
                    self._held = self._held[at + len(close):]
                    self._state, self._watch, self._seen = "after", False, []
                else:
                    self._answer(answer, self._held[:at + len(close)])
                    self._held = self._held[at + len(close):]
            else:
                answer.append(self._held)
                self._held = ""
        return Split("".join(answer), "".join(reasoning), moved)

    def flush(self) -> Split:
        """What is still held when the stream ends: a lone tag's beginning is answer text,
        a closing tag's beginning inside a block is thinking, a bare closing tag at the
        very end still ends a thinking phase."""
        if self._state == "answer" and self._watch:
            at, _close, real = self._bare_close(final=True)
            if real:
                thinking, self._held = self._held[:at], ""
                self._state, self._watch = "after", False
                return Split("", thinking, True)
        held, self._held = self._held, ""
        if self.thinking:
            return Split("", held)
        if self._state in ("start", "answer"):
            self._state = "answer"
            return Split(held, "")
        return Split("", "")

    def _answer(self, answer: list[str], text: str) -> None:
        """Answer text out; kept while a bare closing tag may still turn it into thinking."""
        if not text:
            return
        answer.append(text)
        self._seen.append(text)
        self._seen_chars += len(text)
        if self._seen_chars > BARE_CLOSE_LIMIT:  # too late: a tag now is written about
            self._watch, self._seen = False, []

    def _bare_close(self, *, final: bool) -> tuple[int, str, bool | None]:
        """The first closing tag in the held text (-1 if none), which one, and whether it
        really ends prompt-opened thinking: None while the character after it, which
        decides, has not arrived (unless the stream ended: `final`)."""
        at, close = _find_first(self._held, CLOSE_TAGS)
        if at < 0:
            return at, close, False
        after = self._held[at + len(close):at + len(close) + 1]
        if not after and not final:
            return at, close, None
        before = "".join(self._seen) + self._held[:at]
        real = (len(before) <= BARE_CLOSE_LIMIT and after in ("", "\n", "\r")
                and before[-1:] not in QUOTES
                and before.count(FENCE) % 2 == 0
                and not any(tag in before for tag in OPEN_TAGS))
        return at, close, real


def _find_first(text: str, tags: tuple[str, ...]) -> tuple[int, str]:
    """Where the first of `tags` starts in `text` (-1 if none) and which it is; at the same
    place the longer wins (`</thinking>` over a `</think` that is its beginning)."""
    best, which = -1, ""
    for tag in tags:
        at = text.find(tag)
        if at >= 0 and (best < 0 or at < best or (at == best and len(tag) > len(which))):
            best, which = at, tag
    return best, which


def _partial_suffix(text: str, tag: str) -> int:
    """The length of the longest end of `text` that is a beginning of `tag`."""
    if tag[0] not in text[1 - len(tag):]:  # no tag can begin in the last characters
        return 0
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
    """`text` without a leading `<think>…</think>` block, or without the thinking before
    a bare closing tag the prompt's own `<think>` opened (an old reply stored raw; the
    same rules as while streaming, so a reply that writes about the tag keeps it)."""
    stripped = LEADING_BLOCK.sub("", text, count=1)
    if stripped != text or "</think" not in text:
        return stripped
    parser = InlineThinking(bare_close=True)
    body, end = parser.feed(text), parser.flush()
    if body.moved:
        return body.answer + end.answer
    return "" if end.moved else text


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
