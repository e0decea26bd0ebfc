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
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NamedTuple

from PySide6.QtCore import QObject, QTimer, Signal

from opchat_gui.core.messages import (
    CONTEXT_STATES,
    Conversation,
    Message,
    MessageState,
    tool_info,
)
from opchat_gui.providers import context_window
from opchat_gui.providers.base import Messages
from opchat_gui.providers.model_facts import UNKNOWN, ModelFacts, model_facts
from opchat_gui.providers.target import StreamTarget
from opchat_gui.providers.tokens import (
    BYTES_PER_TOKEN,
    MESSAGE_OVERHEAD,
    REPLY_PRIMING,
    Calibration,
    count_tokens,
    count_tools,
    estimate_messages,
    estimate_tools,
)
from opchat_gui.store import History

log = logging.getLogger(__name__)

Key = tuple[str, str]  # (base URL, model)
History_ = tuple[list[int | None], list[str], list[int]]  # ids, roles, token costs
CHANGED_AFTER_FIT_MS = 50  # a request's estimate is told this long after it is trimmed


@dataclass(frozen=True)
class Estimate:
    """The next request of a conversation, as the status line and the transcript show it."""

    tokens: int
    limit: int | None
    dropped: int  # messages of the history that would not be sent
    first_sent: int | None  # the id of the first message sent, when some are dropped


class ContextSource(NamedTuple):
    """What the estimate needs of a conversation's provider, read without touching a key
    (the header and status line ask on every change; a keyring may be slow or ask)."""

    base_url: str  # "" for a provider that is not OpenAI-compatible: no facts to ask
    model: str
    max_tokens: int | None  # the generation setting in force: the room for the reply
    limit: int  # the context length the user set for the provider (0: none)


def source_of(target: StreamTarget, limit: int = 0) -> ContextSource:
    return ContextSource(str(target.options.get("base_url") or ""), target.model,
                         _max_tokens(target), limit)


class ContextMeter(QObject):
    changed = Signal(int)  # conversation id: its estimate may read differently now

    def __init__(self, history: History, target_for: Callable[[Conversation], StreamTarget],
                 source_for: Callable[[Conversation], ContextSource] | None,
                 trim: Callable[[], tuple[str, int]], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.history = history
        self._target_for = target_for  # with keys: only to ask a server for its facts
        self._source_for = source_for or (lambda c: source_of(target_for(c)))
        self._trim = trim  # the context_trim setting and its N
        self.calibration = Calibration()
        self.facts: dict[Key, ModelFacts] = {}
        self._asking: dict[Key, asyncio.Task[ModelFacts]] = {}
        self._waiting: dict[Key, set[int]] = {}  # conversations to tell when facts arrive
        # reply id -> (key, estimate of the messages sent, of the tools sent with them)
        self._sent: dict[int, tuple[Key, int, int]] = {}
        self._tool_costs: dict[tuple[Key, str], int] = {}  # llama.cpp's count of the tools
        # conversation id -> the tools its last request carried (known once a reply starts)
        self._tools_sent: dict[int, int] = {}
        # conversation id -> (what it was read from, its ids, roles and token costs): a
        # long conversation is re-read only when its branch or its last message changed.
        self._histories: dict[int, tuple[tuple[object, ...], History_]] = {}
        self._to_tell: set[int] = set()  # trimmed requests whose estimate is told later
        self._tell_later = QTimer(self, singleShot=True, interval=CHANGED_AFTER_FIT_MS)
        self._tell_later.timeout.connect(self._tell)

    # The estimate (status line, transcript marker)

    def estimate(self, conversation_id: int, draft: str = "") -> Estimate | None:
        """The next request, with `draft` as its new message (the composer's text);
        facts not asked yet are asked now and `changed` follows when they arrive."""
        conversation = self.history.conversation(conversation_id)
        if conversation is None:
            return None
        source = self._source_for(conversation)
        key = (source.base_url, source.model) if source.base_url else None
        limit = source.limit or None
        if limit is None and key is not None:
            if key in self.facts:
                limit = self.facts[key].context_length
            else:
                self._waiting.setdefault(key, set()).add(conversation_id)
                if key not in self._asking:
                    self._ask(key, self._target_for(conversation))
        mode, last = self._trim()
        leaf = self.history.active_leaf(conversation_id)
        leaf_message = self.history.message(leaf) if leaf is not None else None
        read_from = (leaf, leaf_message.updated_at if leaf_message else 0.0,
                     conversation.system_prompt)
        cached = self._histories.get(conversation_id)
        if cached is None or cached[0] != read_from:
            cached = (read_from, self._history(conversation))
            self._histories[conversation_id] = cached
        ids, roles, costs = cached[1]
        if draft.strip():
            ids, roles = [*ids, None], [*roles, "user"]
            costs = [*costs, context_window.message_tokens({"content": draft})]
        plan = context_window.plan_sized(roles, costs, limit=limit,
                                         max_tokens=source.max_tokens, mode=mode,
                                         last=last, ratio=self._ratio(key),
                                         fixed=self._tools_sent.get(conversation_id, 0))
        first = plan.first_kept
        return Estimate(plan.tokens, limit, plan.dropped,
                        ids[first] if plan.dropped and first is not None else None)

    def _history(self, conversation: Conversation
                 ) -> tuple[list[int | None], list[str], list[int]]:
        """The branch on show as it would be sent: each message's id, role and estimated
        tokens, from the sizes of the texts (not the texts: cheap for long ones)."""
        ids: list[int | None] = []
        roles: list[str] = []
        costs: list[int] = []
        if conversation.system_prompt.strip():
            ids.append(None)
            roles.append("system")
            costs.append(context_window.message_tokens(
                {"content": conversation.system_prompt}))
        sizes = self.history.message_sizes(conversation.id)
        for message_id in self.history.active_path(conversation.id):
            role, state, size = sizes.get(message_id, ("", MessageState.FAILED, 0))
            if role == "user" or (role == "assistant" and size and state in CONTEXT_STATES):
                ids.append(message_id)
                roles.append(role)
                costs.append(MESSAGE_OVERHEAD + math.ceil(size / BYTES_PER_TOKEN))
        return ids, roles, costs

    # The request (StreamEngine calls this before each one)

    async def ready(self, target: StreamTarget) -> ModelFacts | None:
        """The server's facts for the target, asked now if they are not known yet (the
        tools offered depend on them). Never raises."""
        key = _key(target)
        if key is None:
            return None
        facts = self.facts.get(key)
        if facts is None:
            facts = await asyncio.shield(self._ask(key, target))
        return facts

    async def fit(self, conversation_id: int, reply_id: int, target: StreamTarget,
                  context: Messages, tools: list[dict[str, Any]] | None = None) -> Messages:
        """`context` as it will be sent with `tools`: trimmed to fit the model's context
        per the user's setting, the tools' definitions counted (never dropped). Never
        raises; without a known length nothing is dropped."""
        conversation = self.history.conversation(conversation_id)
        key = _key(target)
        limit = (self._source_for(conversation).limit if conversation is not None
                 else 0) or None
        fixed = estimate_tools(tools)
        if key is not None:
            facts = await self.ready(target)
            assert facts is not None
            limit = limit or facts.context_length
            if "llama.cpp" in facts.source:
                await self._count_exactly(key, target, context)
                exact = await self._count_tools(key, target, tools) if tools else None
                if exact is not None:  # the plan scales what it adds up by the ratio
                    fixed = math.ceil(exact / self._ratio(key))
        mode, last = self._trim()
        plan = context_window.plan(context, limit=limit, max_tokens=_max_tokens(target),
                                   mode=mode, last=last, ratio=self._ratio(key),
                                   fixed=fixed)
        sent = [context[i] for i in plan.kept]
        self._tools_sent[conversation_id] = fixed
        if plan.dropped:
            log.info("reply %s: %d of %d messages sent (≈%d tokens of %s, mode %s)",
                     reply_id, len(sent), len(context), plan.tokens, limit, mode)
        if key is not None:
            self._sent[reply_id] = (key, estimate_messages(sent), fixed)
        # The request goes out first: the status line's new estimate (and its repaint)
        # would hold it back (benchmarks/b9_latency.py), and nobody reads it that soon.
        self._to_tell.add(conversation_id)
        if not self._tell_later.isActive():
            self._tell_later.start()
        return sent

    def _tell(self) -> None:
        told, self._to_tell = self._to_tell, set()
        if self.history.closed:  # closed without shutdown() (a test's teardown): nobody asks
            return
        for conversation_id in sorted(told):
            self.changed.emit(conversation_id)

    def reply_changed(self, message: Message) -> None:
        """A reply ended: fold the `usage` it reported into the ratio."""
        sent = self._sent.pop(message.id, None)
        if sent is None or not message.usage:
            return
        try:
            usage = json.loads(message.usage)
        except ValueError:
            return
        key, estimated, tools = sent
        # The usage counts the tools the request carried; a server that refused them got
        # the request again without (chat/stream).
        if not tool_info(message).get("tools_refused"):
            estimated += tools
        else:
            self._tools_sent[message.conversation_id] = 0
        self.calibration.observe(*key, estimated, usage)
        self.changed.emit(message.conversation_id)

    # Facts and counts

    def known_facts(self, target: StreamTarget) -> ModelFacts | None:
        """What the server said of the target's model, if it was asked already (fit asks)."""
        key = _key(target)
        return self.facts.get(key) if key is not None else None

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

    async def _count_tools(self, key: Key, target: StreamTarget,
                           tools: list[dict[str, Any]]) -> int | None:
        """llama.cpp's count of what the tools add to the prompt, asked once per tool set."""
        spec = json.dumps(tools, sort_keys=True)
        if (key, spec) not in self._tool_costs:
            options = target.options
            exact = await count_tools(key[0], tools, api_key=options.get("api_key"),
                                      proxy=options.get("proxy") or None,
                                      ca_file=options.get("ca_file") or None)
            if exact is None:
                return None
            self._tool_costs[(key, spec)] = exact
        return self._tool_costs[(key, spec)]

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
        self._tell_later.stop()  # the history closes next: nobody reads the estimate now
        self._to_tell.clear()
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


__all__ = ["UNKNOWN", "ContextMeter", "ContextSource", "Estimate", "source_of"]
