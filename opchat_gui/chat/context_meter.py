"""ContextMeter: how many tokens a conversation is as it will be sent, against the model's
context length, and the trimming of each request so it fits (providers/context_window).

The context length is the one the user set for the provider, else what the server says
(providers/model_facts: llama.cpp /props, Ollama /api/show, OpenRouter and LM Studio
model lists), asked once per server and model and kept for the run. The estimate is
providers/tokens' heuristic times a ratio per provider and model, learnt from the
`usage` each reply reports and, where llama.cpp's `/tokenize` answers, from the exact
count of what is about to be sent.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal

from opchat_gui.core.messages import CONTEXT_STATES, Conversation, Message
from opchat_gui.providers import context_window
from opchat_gui.providers.base import Messages
from opchat_gui.providers.model_facts import UNKNOWN, ModelFacts, model_facts
from opchat_gui.providers.target import StreamTarget
from opchat_gui.providers.tokens import (
    MESSAGE_OVERHEAD,
    REPLY_PRIMING,
    Calibration,
    count_tokens,
    estimate_messages,
)
from opchat_gui.store import History

log = logging.getLogger(__name__)

Key = tuple[str, str]  # (base URL, model)


@dataclass(frozen=True)
class Estimate:
    """The next request of a conversation, as the status line and the transcript show it."""

    tokens: int
    limit: int | None
    dropped: int  # messages of the history that would not be sent
    first_sent: int | None  # the id of the first message sent, when some are dropped


class ContextMeter(QObject):
    changed = Signal(int)  # conversation id: its estimate may read differently now

    def __init__(self, history: History, target_for: Callable[[Conversation], StreamTarget],
                 limit_for: Callable[[Conversation], int],
                 trim: Callable[[], tuple[str, int]], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.history = history
        self._target_for = target_for
        self._limit_for = limit_for  # the user's context length for the provider (0: none)
        self._trim = trim  # the context_trim setting and its N
        self.calibration = Calibration()
        self.facts: dict[Key, ModelFacts] = {}
        self._asking: dict[Key, asyncio.Task[ModelFacts]] = {}
        self._waiting: dict[Key, set[int]] = {}  # conversations to tell when facts arrive
        self._sent: dict[int, tuple[Key, int]] = {}  # reply id -> (key, estimate sent)

    # The estimate (status line, transcript marker)

    def estimate(self, conversation_id: int) -> Estimate | None:
        """The next request without a new message; facts not asked yet are asked now and
        `changed` follows when they arrive."""
        conversation = self.history.conversation(conversation_id)
        if conversation is None:
            return None
        target = self._target_for(conversation)
        key = _key(target)
        limit = self._limit_for(conversation) or None
        if limit is None and key is not None:
            if key in self.facts:
                limit = self.facts[key].context_length
            else:
                self._waiting.setdefault(key, set()).add(conversation_id)
                self._ask(key, target)
        ids, messages = self._history(conversation)
        mode, last = self._trim()
        plan = context_window.plan(messages, limit=limit, max_tokens=_max_tokens(target),
                                   mode=mode, last=last, ratio=self._ratio(key))
        first = plan.first_kept
        return Estimate(plan.tokens, limit, plan.dropped,
                        ids[first] if plan.dropped and first is not None else None)

    def _history(self, conversation: Conversation) -> tuple[list[int | None], Messages]:
        """The branch on show as it would be sent (text only), with each message's id."""
        ids: list[int | None] = []
        messages: Messages = []
        if conversation.system_prompt.strip():
            ids.append(None)
            messages.append({"role": "system", "content": conversation.system_prompt})
        path = self.history.active_path(conversation.id)
        for message in self.history.path_messages(path):
            if message.role == "user" or (message.role == "assistant" and message.content
                                          and message.state in CONTEXT_STATES):
                ids.append(message.id)
                messages.append({"role": message.role, "content": message.content})
        return ids, messages

    # The request (StreamEngine calls this before each one)

    async def fit(self, conversation_id: int, reply_id: int, target: StreamTarget,
                  context: Messages) -> Messages:
        """`context` as it will be sent: trimmed to fit the model's context per the
        user's setting. Never raises; without a known length nothing is dropped."""
        conversation = self.history.conversation(conversation_id)
        key = _key(target)
        limit = (self._limit_for(conversation) if conversation is not None else 0) or None
        if key is not None:
            facts = self.facts.get(key)
            if facts is None:
                facts = await asyncio.shield(self._ask(key, target))
            limit = limit or facts.context_length
            if "llama.cpp" in facts.source:
                await self._count_exactly(key, target, context)
        mode, last = self._trim()
        plan = context_window.plan(context, limit=limit, max_tokens=_max_tokens(target),
                                   mode=mode, last=last, ratio=self._ratio(key))
        sent = [context[i] for i in plan.kept]
        if plan.dropped:
            log.info("reply %s: %d of %d messages sent (≈%d tokens of %s, mode %s)",
                     reply_id, len(sent), len(context), plan.tokens, limit, mode)
        if key is not None:
            self._sent[reply_id] = (key, estimate_messages(sent))
        self.changed.emit(conversation_id)
        return sent

    def reply_changed(self, message: Message) -> None:
        """A reply ended: fold the `usage` it reported into the ratio."""
        sent = self._sent.pop(message.id, None)
        if sent is None or not message.usage:
            return
        try:
            usage = json.loads(message.usage)
        except ValueError:
            return
        key, estimated = sent
        self.calibration.observe(*key, estimated, usage)
        self.changed.emit(message.conversation_id)

    # Facts and counts

    def _ratio(self, key: Key | None) -> float:
        return self.calibration.ratio(*key) if key is not None else 1.0

    def _ask(self, key: Key, target: StreamTarget) -> asyncio.Task[ModelFacts]:
        task = self._asking.get(key)
        if task is None:
            options = target.options
            task = asyncio.get_event_loop().create_task(model_facts(
                key[0], key[1], api_key=options.get("api_key"),
                proxy=options.get("proxy") or None, ca_file=options.get("ca_file") or None))
            task.add_done_callback(lambda done: self._told(key, done))
            self._asking[key] = task
        return task

    def _told(self, key: Key, task: asyncio.Task[ModelFacts]) -> None:
        self._asking.pop(key, None)
        if task.cancelled() or task.exception() is not None:
            return
        self.facts[key] = task.result()
        for conversation_id in self._waiting.pop(key, set()):
            self.changed.emit(conversation_id)

    async def _count_exactly(self, key: Key, target: StreamTarget, context: Messages) -> None:
        """llama.cpp's exact count of the texts about to be sent sets the ratio."""
        texts = [m.get("content") for m in context]
        if not all(isinstance(text, str) for text in texts):
            return
        options = target.options
        exact = await count_tokens(key[0], "".join(str(t) for t in texts),
                                   api_key=options.get("api_key"),
                                   proxy=options.get("proxy") or None,
                                   ca_file=options.get("ca_file") or None)
        if exact is not None:
            overhead = REPLY_PRIMING + MESSAGE_OVERHEAD * len(context)
            self.calibration.observe(*key, estimate_messages(context),
                                     {"prompt_tokens": exact + overhead})

    async def shutdown(self) -> None:
        tasks = list(self._asking.values())
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)


def _key(target: StreamTarget) -> Key | None:
    base = target.options.get("base_url")
    return (str(base), target.model) if base else None


def _max_tokens(target: StreamTarget) -> int | None:
    value = target.options.get("max_tokens")
    return value if isinstance(value, int) and not isinstance(value, bool) else None


__all__ = ["UNKNOWN", "ContextMeter", "Estimate"]
