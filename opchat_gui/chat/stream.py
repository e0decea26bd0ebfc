"""The stream engine: one provider stream per conversation on the qasync loop.

The view gets a turn's first piece at once (Enter to the first token painted is what a
user feels; a frame's wait there was most of it) and then at most one `chunk` signal per
FRAME_SECONDS per stream; the growing
reply is saved every SAVE_SECONDS (what came since the last save, beside its row:
store/partials.py; the row is written whole when it ends); a reasoning model's thinking
travels the same way beside it (`reasoning` signals, the `reasoning` column, with how
long it thought), never mixed into the answer; every stream ends in a final state on disk
(or, when the disk refuses, held in memory until it takes it). The UI never sees an exception:
failures arrive as message states.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Awaitable, Callable
from contextlib import aclosing
from dataclasses import dataclass, field, replace
from typing import Any

from opchat_gui.chat.failures import english_sentence, failure_of
from opchat_gui.chat.opens_thinking import Key, OpensThinking, thinking_key
from opchat_gui.chat.signals import ChatSignals
from opchat_gui.chat.storage import StorageGuard, guarded
from opchat_gui.chat.tool_support import read_text_calls
from opchat_gui.chat.tool_turns import ToolTurns
from opchat_gui.config import generation
from opchat_gui.core.errors import Failure
from opchat_gui.core.messages import FINISH_STATES, Conversation, Message, MessageState
from opchat_gui.providers.base import Messages
from opchat_gui.providers.errors import HTTPStatusError, ProviderError
from opchat_gui.providers.pool import SessionPool
from opchat_gui.providers.target import StreamTarget
from opchat_gui.providers.tool_calls import ToolCall
from opchat_gui.store import History

log = logging.getLogger(__name__)

# What a request's context is trimmed by: (conversation id, reply id, target, context,
# the tools' specs sent with it); and what asks the server's facts first (tools need them).
Fit = Callable[[int, int, StreamTarget, Messages, list[dict[str, Any]] | None],
               Awaitable[Messages]]
Ready = Callable[[StreamTarget], Awaitable[object]]
FRAME_SECONDS = 0.016
SAVE_SECONDS = 0.5


@dataclass
class _Stream:
    conversation_id: int
    reply_id: int
    parts: list[str] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)
    flush_handle: asyncio.TimerHandle | None = None
    last_save: float = field(default_factory=time.monotonic)
    saved_parts: int = 0  # parts on disk (the row, and the pieces saved since)
    saved_thoughts: int = 0  # the same for `reasoning`
    pieces: int = 0  # pieces saved beside the row while it streams (store/partials.py)
    task: asyncio.Task[None] | None = None
    final: str | None = None  # the server's own full reply (AI Engine `end`), if it sent one
    usage: dict[str, Any] | None = None
    prefix: str = ""  # Continue: the text the reply already had, kept in front
    failure: Failure | None = None  # why it failed, as a kind (shown in the UI's language)
    error: str = ""  # the same in English, kept for exports and older files
    finish: str = ""  # why the server says it ended (OpenAI's finish_reason), if it says
    reasoning: list[str] = field(default_factory=list)  # the thinking, as it arrived
    reasoning_pending: list[str] = field(default_factory=list)
    reasoning_prefix: str = ""  # Continue: the thinking the reply already had
    thinking_since: float | None = None  # when the first thinking arrived
    answer_since: float | None = None  # when the first answer text arrived
    thought_ms: int = 0  # how long it thought, once the answer began (or it ended)
    kept_ms: int = 0  # Continue: how long the kept part thought
    tool_calls: str = ""  # this turn's calls as JSON, once it made some (chat/tool_turns)
    meta: dict[str, Any] = field(default_factory=dict)  # notes: step limit, tools refused
    request: dict[str, Any] = field(default_factory=dict)  # what it was asked with (meta)
    shown: bool = False  # the view has had some of this turn: later pieces wait a frame


class StreamEngine:
    """Runs, coalesces, saves and finishes the replies that are streaming."""

    def __init__(self, history: History, signals: ChatSignals, storage: StorageGuard,
                 target_for: Callable[[Conversation], StreamTarget],
                 tools: ToolTurns | None = None) -> None:
        self.history = history
        self.tools = tools
        self.signals = signals
        self.storage = storage
        self._target_for = target_for
        self._streams: dict[int, _Stream] = {}
        self.fit: Fit | None = None
        self.ready: Ready | None = None
        self.opens_thinking = OpensThinking(history)  # chat templates that open thinking
        self.http = SessionPool()  # replies' connections to local servers, kept open

    def is_streaming(self, conversation_id: int) -> bool:
        return conversation_id in self._streams

    def busy(self) -> bool:
        return bool(self._streams)

    def live_text(self, reply_id: int) -> str | None:
        for stream in self._streams.values():
            if stream.reply_id == reply_id:
                return "".join(stream.parts)
        return None

    def live_reasoning(self, reply_id: int) -> str | None:
        """The thinking of a reply streaming now, so far (a view redrawn mid-stream)."""
        for stream in self._streams.values():
            if stream.reply_id == reply_id:
                return "".join(stream.reasoning)
        return None

    def start(self, conversation_id: int, reply: Message, context: Messages, *,
              prefix: str = "") -> None:
        """Stream `reply` (already on disk as streaming) from the conversation's target."""
        conversation = self.history.conversation(conversation_id)
        assert conversation is not None
        stream = _Stream(conversation_id, reply.id)
        if prefix:
            stream.parts.append(prefix)
            stream.saved_parts = 1
            stream.prefix = prefix
            stream.reasoning_prefix = reply.reasoning
            stream.kept_ms = reply.reasoning_ms
        self._streams[conversation_id] = stream
        target = self._target_for(conversation)
        # The loop qasync installed; a key press may arrive before it runs (tests, start-up).
        stream.task = asyncio.get_event_loop().create_task(
            self._run(stream, target, context), name=f"reply-{reply.id}")
        stream.task.add_done_callback(lambda _task: self._never_started(stream))
        self.signals.messageAdded.emit(reply)  # a reply already on view restarts in place
        if prefix:  # Continue: the kept text first
            self.signals.chunk.emit(conversation_id, reply.id, prefix)
        self.signals.streamingChanged.emit(conversation_id, True)

    def stop(self, conversation_id: int) -> bool:
        stream = self._streams.get(conversation_id)
        if stream is None or stream.task is None:
            return False
        stream.task.cancel()
        return True

    async def shutdown(self) -> None:
        """Stop every stream and wait until each has saved its final state."""
        tasks = [s.task for s in self._streams.values() if s.task is not None]
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)
        await self.http.close()

    async def _run(self, stream: _Stream, target: StreamTarget, context: Messages) -> None:
        state = MessageState.DONE
        options = dict(target.options)
        stream.request = request_record(target)
        options.setdefault("usage_sink", lambda usage: setattr(stream, "usage", dict(usage)))
        options.setdefault("final_sink", lambda text: setattr(stream, "final", text))
        options.setdefault("finish_sink", lambda reason: setattr(stream, "finish", reason))
        options.setdefault("reasoning_sink", lambda text: self._think(stream, text))
        options.setdefault("status_sink", lambda text: self.signals.replyStatus.emit(
            stream.conversation_id, stream.reply_id, text))
        key = thinking_key(target)
        options.setdefault("prompt_thinking_sink",
                           lambda thinking: self._prompt_thinking(stream, key, thinking))
        # Continue goes on with the answer: it may still close a block, never starts one.
        options.setdefault("prompt_opens_thinking",
                           key in self.opens_thinking and not stream.prefix)
        options.setdefault("http_pool", self.http)  # keep-alive to a local server
        try:
            if self.ready is not None:  # which tools are offered depends on the facts
                await self.ready(target)
            tools = None
            if self.tools is not None:
                tools = await self.tools.offer(stream.conversation_id, target, stream.meta)
            if self.fit is not None:  # trimmed to the model's context (chat/context_meter)
                context = await self.fit(stream.conversation_id, stream.reply_id, target,
                                         context, tools.specs if tools is not None else None)
            await self._turns(stream, target, context, options, tools)
            state = FINISH_STATES.get(stream.finish, MessageState.DONE)
        except asyncio.CancelledError:
            state = MessageState.STOPPED
        except ProviderError as exc:
            log.warning("reply %s failed: %s: %s", stream.reply_id, type(exc).__name__, exc)
            state = MessageState.FAILED
            stream.failure, stream.error = failure_of(exc), english_sentence(exc)
            self.signals.replyFailed.emit(stream.reply_id, exc)
        except Exception as exc:  # a provider bug must not take the app down
            log.exception("reply %s crashed", stream.reply_id)
            state = MessageState.FAILED
            stream.failure, stream.error = failure_of(exc), english_sentence(exc)
            self.signals.replyFailed.emit(stream.reply_id, exc)
        finally:
            self._finish(stream, state)

    async def _turns(self, stream: _Stream, target: StreamTarget, context: Messages,
                     options: dict[str, Any], tools: Any) -> None:
        """Stream the reply; while the model calls tools, run them and stream the next turn,
        up to the conversation's step limit (then the reply says so in its meta)."""
        steps = 0
        while True:
            calls: list[ToolCall] = []
            turn = dict(options)
            if tools is not None and self.tools is not None:
                turn["tools"] = tools.specs
                turn["tool_calls_sink"] = calls.extend
            try:
                shown = stream.shown
                async with aclosing(target.provider.create_async_generator(
                        target.model, context, **turn)) as pieces:
                    async for piece in pieces:
                        if piece:
                            self._take(stream, piece)
                        if stream.shown and not shown:
                            # The view paints the first token before more that came with
                            # it are read (they do not return to the loop in between).
                            shown = True
                            await asyncio.sleep(0)
            except HTTPStatusError as exc:
                if (tools is None or self.tools is None or stream.parts
                        or exc.status not in (400, 422, 500, 501)):
                    raise
                log.info("the server refused tools for reply %s: %s", stream.reply_id, exc)
                self.tools.refused(stream.conversation_id, target, str(exc))
                stream.meta["tools_refused"] = "jinja" if "--jinja" in str(exc) else True
                tools = None
                continue
            if tools is None or self.tools is None:
                return
            if not calls:  # a model whose calls the server passed on as text
                found = read_text_calls(self.history, stream.conversation_id, target,
                                        "".join(stream.parts)[len(stream.prefix):],
                                        list(tools.refs), stream.meta)
                if found is None or not found.readable:
                    return
                calls = found.calls
                stream.parts = [stream.prefix + found.rest]
            if steps >= self.tools.step_limit(stream.conversation_id):
                stream.meta["tool_limit"] = steps
                return
            steps += 1
            context = context + await self._tool_step(stream, calls, tools)

    async def _tool_step(self, stream: _Stream, calls: list[ToolCall],
                         tools: Any) -> Messages:
        """This turn is finished with its calls; they run (each a 'tool' row), and a new
        streaming reply row below them takes the next turn. The messages to send on."""
        assert self.tools is not None
        stream.tool_calls = json.dumps([c.message() for c in calls], ensure_ascii=False)
        if stream.thinking_since is not None and not stream.thought_ms:
            stream.thought_ms = _ms_since(stream.thinking_since)
        if stream.flush_handle is not None:
            stream.flush_handle.cancel()
        self._flush(stream)
        self._save(stream, MessageState.DONE)
        done = self.history.message(stream.reply_id)
        if done is not None:
            self.signals.messageChanged.emit(done)
        said = {"role": "assistant", "content": "".join(stream.parts),
                "tool_calls": [c.message() for c in calls]}
        last, results = await self.tools.run(stream.conversation_id, stream.reply_id, calls,
                                             tools)
        reply = self.history.add_message(stream.conversation_id, "assistant", "",
                                         MessageState.STREAMING, parent_id=last)
        fresh = _Stream(stream.conversation_id, reply.id)
        for name in ("parts", "pending", "saved_parts", "saved_thoughts", "pieces", "final",
                     "usage", "prefix", "finish", "tool_calls", "meta", "last_save",
                     "reasoning", "reasoning_pending", "reasoning_prefix", "thinking_since",
                     "answer_since", "thought_ms", "kept_ms", "shown"):
            setattr(stream, name, getattr(fresh, name))
        stream.flush_handle = None
        stream.reply_id = reply.id
        self.signals.messageAdded.emit(reply)
        self.signals.conversationsChanged.emit()
        return [said, *results]

    def _take(self, stream: _Stream, piece: str) -> None:
        if stream.thinking_since is not None and not stream.thought_ms:
            stream.thought_ms = _ms_since(stream.thinking_since)  # the answer begins
        if stream.answer_since is None:
            stream.answer_since = time.monotonic()
        stream.parts.append(piece)
        stream.pending.append(piece)
        self._later(stream)

    def _think(self, stream: _Stream, piece: str) -> None:
        """A piece of thinking: kept, shown and saved like the answer, but apart from it."""
        if not piece:
            return
        if stream.thinking_since is None:
            stream.thinking_since = time.monotonic()
        stream.reasoning.append(piece)
        stream.reasoning_pending.append(piece)
        self._later(stream)

    def _prompt_thinking(self, stream: _Stream, key: Key,
                         thinking: bool) -> None:
        """The reply's text changes sides. True: the answer so far was thinking the chat
        template opened (a bare closing tag came), so it moves into the thinking, and this
        provider and model start their next replies thinking. False: what was taken for such
        thinking was the answer (no closing tag came), so it moves back, and they do not.
        The view draws the reply again, once; Continue's kept text stays the answer."""
        if stream.flush_handle is not None:
            stream.flush_handle.cancel()
            stream.flush_handle = None
        kept = 1 if stream.prefix else 0
        self.opens_thinking.learn(key, thinking)
        if thinking:
            moved = "".join(stream.parts[kept:])
            del stream.parts[kept:]
            if moved:
                stream.reasoning.insert(0, moved)
            stream.thinking_since = (stream.answer_since or stream.thinking_since
                                     or time.monotonic())
            stream.answer_since, stream.thought_ms = None, 0
        else:
            stream.parts.append("".join(stream.reasoning))
            stream.reasoning.clear()
            stream.answer_since, stream.thinking_since = stream.thinking_since, None
            stream.thought_ms = 0
        stream.pending.clear()
        stream.reasoning_pending.clear()
        stream.saved_parts = min(stream.saved_parts, kept)
        seconds = (0.0 if stream.thinking_since is None
                   else time.monotonic() - stream.thinking_since)
        self.signals.thinkingMoved.emit(stream.conversation_id, stream.reply_id, seconds)
        self._save(stream, MessageState.STREAMING)

    def _later(self, stream: _Stream) -> None:
        """A view update within a frame (the turn's first piece at once), and a save when
        the last one is old enough."""
        if not stream.shown:
            if stream.flush_handle is not None:
                stream.flush_handle.cancel()
            self._flush(stream)
        elif stream.flush_handle is None:
            # Not get_running_loop(): qasync steps tasks in one last processEvents() after
            # run_until_complete() returns, when no loop counts as running.
            stream.flush_handle = asyncio.get_event_loop().call_later(
                FRAME_SECONDS, self._flush, stream)
        if time.monotonic() - stream.last_save >= SAVE_SECONDS:
            self._save_growth(stream)

    def _flush(self, stream: _Stream) -> None:
        stream.flush_handle = None
        stream.shown = stream.shown or bool(stream.pending or stream.reasoning_pending)
        if stream.reasoning_pending:  # thinking first: in one frame it came before the text
            thinking = "".join(stream.reasoning_pending)
            stream.reasoning_pending.clear()
            self.signals.reasoning.emit(stream.conversation_id, stream.reply_id, thinking)
        if stream.pending:
            text = "".join(stream.pending)
            stream.pending.clear()
            self.signals.chunk.emit(stream.conversation_id, stream.reply_id, text)

    @guarded(False)
    def _save(self, stream: _Stream, state: MessageState) -> bool:
        """Write the reply so far, whole; on failure the text stays in memory for the
        next try."""
        stream.last_save = time.monotonic()
        self.history.save_reply(stream.reply_id, **_row(stream, state))
        stream.saved_parts, stream.saved_thoughts = len(stream.parts), len(stream.reasoning)
        self.storage.worked()
        return True

    @guarded(False)
    def _save_growth(self, stream: _Stream) -> bool:
        """Save what came since the last save, beside the row (store/partials.py): a
        save's cost stays that of half a second of text, not of the whole reply."""
        stream.last_save = time.monotonic()
        content = "".join(stream.parts[stream.saved_parts:])
        thought = "".join(stream.reasoning[stream.saved_thoughts:])
        if thought and not stream.saved_thoughts and stream.reasoning_prefix:
            thought = "\n\n" + thought  # after a Continue's kept thinking, as _row joins it
        if content or thought:
            stream.pieces += 1
            self.history.save_partial(stream.reply_id, stream.pieces, content, thought,
                                      stream.kept_ms + stream.thought_ms)
        stream.saved_parts, stream.saved_thoughts = len(stream.parts), len(stream.reasoning)
        self.storage.worked()
        return True

    def _never_started(self, stream: _Stream) -> None:
        """Stopped before its first step (Esc right after Enter): _run's finally never ran,
        so finish it here, or it would count as streaming for ever."""
        if self._streams.get(stream.conversation_id) is stream:
            self._finish(stream, MessageState.STOPPED)

    def _finish(self, stream: _Stream, state: MessageState) -> None:
        if stream.thinking_since is not None and not stream.thought_ms:
            stream.thought_ms = _ms_since(stream.thinking_since)  # it ended while thinking
        if stream.flush_handle is not None:
            stream.flush_handle.cancel()
        self._flush(stream)
        if not self._save(stream, state):
            self.storage.pending.hold(stream.reply_id, _row(stream, state))
        self._streams.pop(stream.conversation_id, None)
        message = self.history.message(stream.reply_id)
        if message is not None:
            row = self.storage.pending.get(stream.reply_id)
            if row is not None:  # the disk lags: show what we hold
                message = replace(message, content=row["content"], state=state,
                                  error=stream.error, failure=stream.failure,
                                  reasoning=row["reasoning"],
                                  reasoning_ms=row["reasoning_ms"])
            self.signals.messageChanged.emit(message)
            if (state == MessageState.DONE and stream.final
                    and stream.final != "".join(stream.parts)):
                self.signals.messageChanged.emit(message)  # again: views redraw the final text
        self.signals.streamingChanged.emit(stream.conversation_id, False)
        self.signals.conversationsChanged.emit()


def _row(stream: _Stream, state: MessageState) -> dict[str, Any]:
    """The reply's fields as they should be on disk now. `error` keeps the English sentence
    too: exports and files from before kinds read it."""
    content = "".join(stream.parts)
    if state == MessageState.DONE and stream.final:
        content = stream.prefix + stream.final  # the server's own final reply is the one to keep
    usage = json.dumps(stream.usage, sort_keys=True) if stream.usage else None
    reasoning = "".join(stream.reasoning)
    if stream.reasoning_prefix and reasoning:  # Continue thought again: after the old one
        reasoning = stream.reasoning_prefix + "\n\n" + reasoning
    else:
        reasoning = stream.reasoning_prefix or reasoning
    row: dict[str, Any] = {"content": content, "state": state, "error": stream.error,
                           "failure": stream.failure, "usage": usage, "reasoning": reasoning,
                           "reasoning_ms": stream.kept_ms + stream.thought_ms}
    if stream.tool_calls:
        row["tool_calls"] = stream.tool_calls
    if stream.meta:
        row["tool_meta"] = stream.meta
    if stream.request:
        row["meta_keys"] = {"request": stream.request}
    return row


def request_record(target: StreamTarget) -> dict[str, Any]:
    """What a reply is asked with, kept in its `meta` (core.messages.request_info): the
    provider, the model and the generation settings actually sent (no keys, no URLs)."""
    record: dict[str, Any] = {"label": target.label, "model": target.model,
                              "settings": generation.sent_values(target.options)}
    if target.kind:
        record["kind"] = target.kind
    return record


def _ms_since(start: float) -> int:
    """Whole milliseconds since `start`, at least 1: 0 would mean "not known"."""
    return max(1, round((time.monotonic() - start) * 1000))
