"""ChatService: one provider stream per conversation, coalesced for the view, saved as it grows.

The user's message is on disk before the request leaves; the growing reply is saved
every SAVE_SECONDS; the view gets at most one `chunk` signal per FRAME_SECONDS per
stream. The UI never sees an exception: failures arrive as message states.
"""

from __future__ import annotations

import asyncio
import json
import logging
import sqlite3
import time
from collections.abc import Callable, Mapping
from contextlib import aclosing
from dataclasses import dataclass, field, replace
from typing import Any

from PySide6.QtCore import QObject, Signal

from opchat_gui.chat.storage import PendingWrites, storage_problem
from opchat_gui.core.redact import redact
from opchat_gui.providers.base import Messages
from opchat_gui.providers.errors import ProviderError
from opchat_gui.providers.target import StreamTarget
from opchat_gui.store import (
    Conversation,
    ConversationSummary,
    History,
    Message,
    MessageState,
    SearchHit,
)

__all__ = ["ChatService", "StreamTarget"]

log = logging.getLogger(__name__)

FRAME_SECONDS = 0.016
SAVE_SECONDS = 0.5
NEW_DRAFT_KEY = "draft/new"  # the composer's text before a conversation exists
CONTINUE_PROMPT = ("Continue exactly where your previous reply stopped. Do not repeat "
                   "anything you already wrote; start with the very next word.")
CONTINUABLE_STATES = frozenset({MessageState.INTERRUPTED, MessageState.STOPPED,
                                MessageState.FAILED})
UNDO_SECONDS = 10.0  # a deleted conversation stays recoverable this long
CONTEXT_STATES = frozenset({MessageState.DONE, MessageState.STOPPED, MessageState.INTERRUPTED})
RETRYABLE_STATES = frozenset({MessageState.FAILED, MessageState.STOPPED,
                              MessageState.INTERRUPTED})


@dataclass
class _Stream:
    conversation_id: int
    reply_id: int
    parts: list[str] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)
    flush_handle: asyncio.TimerHandle | None = None
    last_save: float = field(default_factory=time.monotonic)
    saved_parts: int = 0
    task: asyncio.Task[None] | None = None
    final: str | None = None  # the server's own full reply (AI Engine `end`), if it sent one
    usage: dict[str, Any] | None = None
    prefix: str = ""  # Continue: the text the reply already had, kept in front


class ChatService(QObject):
    conversationsChanged = Signal()
    messageAdded = Signal(object)  # Message: a user message, or a reply that starts streaming
    messageChanged = Signal(object)  # Message: a reply reached its final state, or was edited
    chunk = Signal(int, int, str)  # conversation id, message id, text to append
    streamingChanged = Signal(int, bool)  # conversation id, streaming now
    storageFailed = Signal(str)  # a write failed; the text says what and what to do
    replyFailed = Signal(int, object)  # reply message id, the ProviderError (or other error)
    messageRemoved = Signal(int, int)  # conversation id, message id
    storageRecovered = Signal()  # writes work again and everything kept in memory is saved

    def __init__(self, history: History, target_for: Callable[[Conversation], StreamTarget],
                 parent: QObject | None = None, *,
                 new_defaults: Callable[[], Mapping[str, str]] | None = None,
                 label_for: Callable[[Conversation], str] | None = None) -> None:
        super().__init__(parent)
        self.history = history
        self._target_for = target_for
        self._new_defaults = new_defaults
        self._label_for = label_for  # a header label without resolving keys (no keyring)
        self._streams: dict[int, _Stream] = {}
        self._pending = PendingWrites(history, self._storage_worked)  # failed final saves
        self.storage_ok = True
        self._doomed: dict[int, asyncio.TimerHandle] = {}  # deleted, still undoable

    # Queries, so widgets never need the store

    def conversations(self) -> list[Conversation]:
        return [c for c in self.history.conversations() if c.id not in self._doomed]

    def conversation_list(self) -> list[ConversationSummary]:
        """Id, title and pin of every conversation in list order; cheap for 10,000."""
        return [c for c in self.history.conversation_list() if c.id not in self._doomed]

    def conversation(self, conversation_id: int) -> Conversation | None:
        if conversation_id in self._doomed:
            return None
        return self.history.conversation(conversation_id)

    def search(self, text: str, limit: int = 50) -> list[SearchHit]:
        """Ranked full-text hits over all history, deleted-but-undoable conversations left out."""
        try:
            return self.history.search(text, limit, frozenset(self._doomed))
        except sqlite3.Error as exc:
            self._storage_failed(exc)
            return []

    def messages(self, conversation_id: int) -> list[Message]:
        return self.history.messages(conversation_id)

    def messages_page(self, conversation_id: int, before: int | None,
                      limit: int) -> list[Message]:
        """The newest `limit` messages older than `before`, oldest first (for paging)."""
        return self.history.messages(conversation_id, before=before, limit=limit)

    def versions(self, message_id: int) -> list[str]:
        return self.history.versions(message_id)

    def version_counts(self, conversation_id: int) -> dict[int, int]:
        return self.history.version_counts(conversation_id)

    def target_label(self, conversation: Conversation) -> str:
        if self._label_for is not None:
            return self._label_for(conversation)
        return self._target_for(conversation).label

    def is_streaming(self, conversation_id: int) -> bool:
        return conversation_id in self._streams

    def busy(self) -> bool:
        """Whether any reply is streaming (restore waits for none)."""
        return bool(self._streams)

    def reload(self) -> None:
        """The history changed underneath (import, restore): views re-read it."""
        self.conversationsChanged.emit()

    def new_conversation(self) -> Conversation | None:
        """A new conversation with the defaults (provider, model, system prompt) on its row;
        None (and a banner) if it could not be saved."""
        defaults = dict(self._new_defaults()) if self._new_defaults else {}
        try:
            conversation = self.history.create_conversation(
                provider=defaults.get("provider", ""), model=defaults.get("model", ""),
                system_prompt=defaults.get("system_prompt", ""))
        except sqlite3.Error as exc:
            self._storage_failed(exc)
            return None
        self.conversationsChanged.emit()
        return conversation

    def set_target(self, conversation_id: int, provider: str, model: str) -> bool:
        """Switch a conversation's provider and model; the next reply uses them."""
        return self._update(conversation_id, provider=provider, model=model)

    def set_system_prompt(self, conversation_id: int, prompt: str) -> bool:
        return self._update(conversation_id, system_prompt=prompt)

    def _update(self, conversation_id: int, **fields: Any) -> bool:
        try:
            self.history.update_conversation(conversation_id, **fields)
        except sqlite3.Error as exc:
            self._storage_failed(exc)
            return False
        self.conversationsChanged.emit()
        return True

    # Commands

    def send(self, conversation_id: int, text: str) -> bool:
        """Save the message and start the reply; False (and nothing sent) if it could not."""
        if not text.strip() or self.is_streaming(conversation_id):
            return False
        try:
            user, reply = self.history.add_exchange(conversation_id, text)
        except sqlite3.Error as exc:
            self._storage_failed(exc)
            return False
        self._storage_worked()
        self.messageAdded.emit(user)
        self.conversationsChanged.emit()
        self._start(conversation_id, reply)
        return True

    def retry(self, conversation_id: int) -> bool:
        """Ask again for the last reply if it failed, stopped or was interrupted."""
        if self.is_streaming(conversation_id):
            return False
        messages = self.history.messages(conversation_id)
        if not messages:
            return False
        last = messages[-1]
        try:
            if last.role == "user":
                reply = self.history.add_message(conversation_id, "assistant", "",
                                                 MessageState.STREAMING)
            elif last.role == "assistant" and last.state in RETRYABLE_STATES:
                self.history.update_message(last.id, content="", error="",
                                            state=MessageState.STREAMING)
                reply = self.history.message(last.id)
            else:
                return False
        except sqlite3.Error as exc:
            self._storage_failed(exc)
            return False
        assert reply is not None
        self._start(conversation_id, reply)
        return True

    def regenerate(self, conversation_id: int) -> bool:
        """Ask again for a finished last reply; the old text stays as an earlier version."""
        if self.is_streaming(conversation_id):
            return False
        last = self.history.messages(conversation_id, limit=1)
        if not last or last[0].role != "assistant" or last[0].state != MessageState.DONE:
            return False
        return self._redo(conversation_id, last[0])

    def edit_and_resend(self, conversation_id: int, message_id: int, text: str) -> bool:
        """Replace the last user message and ask again; the old reply stays as a version."""
        if not text.strip() or self.is_streaming(conversation_id):
            return False
        tail = self.history.messages(conversation_id, limit=2)
        users = [m for m in tail if m.role == "user"]
        if not users or users[-1].id != message_id:
            return False
        reply = tail[-1] if tail[-1].role == "assistant" else None
        try:
            self.history.update_message(message_id, content=text)
        except sqlite3.Error as exc:
            self._storage_failed(exc)
            return False
        edited = self.history.message(message_id)
        assert edited is not None
        self.messageChanged.emit(edited)
        if reply is None:
            return self.retry(conversation_id)
        return self._redo(conversation_id, reply)

    def delete_message(self, message_id: int) -> bool:
        """Delete one message (never the reply that is streaming)."""
        message = self.history.message(message_id)
        if message is None:
            return False
        stream = self._streams.get(message.conversation_id)
        if stream is not None and stream.reply_id == message_id:
            return False
        try:
            self.history.delete_message(message_id)
        except sqlite3.Error as exc:
            self._storage_failed(exc)
            return False
        self.messageRemoved.emit(message.conversation_id, message_id)
        return True

    def _redo(self, conversation_id: int, reply: Message) -> bool:
        try:
            if reply.content:
                self.history.keep_version(reply.id)
            self.history.update_message(reply.id, content="", error="",
                                        state=MessageState.STREAMING)
        except sqlite3.Error as exc:
            self._storage_failed(exc)
            return False
        restarted = self.history.message(reply.id)
        assert restarted is not None
        self._start(conversation_id, restarted)
        return True

    def continue_reply(self, conversation_id: int) -> bool:
        """Ask the model to go on from a cut-off reply, appending to that same reply."""
        if self.is_streaming(conversation_id):
            return False
        messages = self.history.messages(conversation_id)
        last = messages[-1] if messages else None
        if (last is None or last.role != "assistant" or not last.content
                or last.state not in CONTINUABLE_STATES):
            return False
        try:
            self.history.update_message(last.id, error="", state=MessageState.STREAMING)
        except sqlite3.Error as exc:
            self._storage_failed(exc)
            return False
        reply = self.history.message(last.id)
        assert reply is not None
        context = self._context(conversation_id, last.id)
        context += [{"role": "assistant", "content": last.content},
                    {"role": "user", "content": CONTINUE_PROMPT}]
        self._start(conversation_id, reply, context=context, prefix=last.content)
        return True

    def draft(self, conversation_id: int | None) -> str:
        if conversation_id is None:
            return self.history.get_state(NEW_DRAFT_KEY, "") or ""
        conversation = self.history.conversation(conversation_id)
        return conversation.draft if conversation is not None else ""

    def save_draft(self, conversation_id: int | None, text: str) -> bool:
        """Keep the composer's unsent text; False (and a banner) if it could not be saved."""
        try:
            if conversation_id is None:
                self.history.set_state(NEW_DRAFT_KEY, text)
            elif self.draft(conversation_id) != text:
                self.history.update_conversation(conversation_id, draft=text)
        except sqlite3.Error as exc:
            self._storage_failed(exc)
            return False
        return True

    def stop(self, conversation_id: int) -> bool:
        stream = self._streams.get(conversation_id)
        if stream is None or stream.task is None:
            return False
        stream.task.cancel()
        return True

    # Conversation management

    def rename(self, conversation_id: int, title: str) -> bool:
        title = " ".join(title.split())
        if not title or self.conversation(conversation_id) is None:
            return False
        return self._update(conversation_id, title=title)

    def toggle_pinned(self, conversation_id: int) -> bool:
        conversation = self.conversation(conversation_id)
        if conversation is None:
            return False
        return self._update(conversation_id, pinned=int(not conversation.pinned))

    def delete(self, conversation_id: int) -> bool:
        """Hide the conversation now and erase it after UNDO_SECONDS unless undone."""
        if self.conversation(conversation_id) is None:
            return False
        self.stop(conversation_id)
        self._doomed[conversation_id] = asyncio.get_event_loop().call_later(
            UNDO_SECONDS, self._erase, conversation_id)
        self.conversationsChanged.emit()
        return True

    def undo_delete(self) -> int | None:
        """Bring back the most recently deleted conversation; its id, or None."""
        if not self._doomed:
            return None
        conversation_id = next(reversed(self._doomed))
        self._doomed.pop(conversation_id).cancel()
        self.conversationsChanged.emit()
        return conversation_id

    def pending_deletes(self) -> list[int]:
        return list(self._doomed)

    def _erase(self, conversation_id: int) -> None:
        handle = self._doomed.pop(conversation_id, None)
        if handle is None:
            return
        handle.cancel()
        try:
            self.history.delete_conversation(conversation_id)
        except sqlite3.Error as exc:
            self._storage_failed(exc)

    async def shutdown(self) -> None:
        """Stop every stream and wait until each has saved its final state; finish deletes."""
        tasks = [s.task for s in self._streams.values() if s.task is not None]
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)
        for conversation_id in list(self._doomed):
            self._erase(conversation_id)

    # The stream

    def _context(self, conversation_id: int, before_id: int) -> Messages:
        conversation = self.history.conversation(conversation_id)
        context: Messages = []
        if conversation is not None and conversation.system_prompt.strip():
            context.append({"role": "system", "content": conversation.system_prompt})
        for message in self.history.messages(conversation_id):
            if message.id >= before_id:
                break
            if message.role == "user" or (message.role == "assistant" and message.content
                                          and message.state in CONTEXT_STATES):
                context.append({"role": message.role, "content": message.content})
        return context

    def _start(self, conversation_id: int, reply: Message, *, context: Messages | None = None,
               prefix: str = "") -> None:
        conversation = self.history.conversation(conversation_id)
        assert conversation is not None
        stream = _Stream(conversation_id, reply.id)
        if prefix:
            stream.parts.append(prefix)
            stream.saved_parts = 1
            stream.prefix = prefix
        self._streams[conversation_id] = stream
        if context is None:
            context = self._context(conversation_id, reply.id)
        target = self._target_for(conversation)
        # The loop qasync installed; a key press may arrive before it runs (tests, start-up).
        stream.task = asyncio.get_event_loop().create_task(
            self._run(stream, target, context), name=f"reply-{reply.id}")
        stream.task.add_done_callback(lambda _task: self._never_started(stream))
        self.messageAdded.emit(reply)  # a reply already on view restarts in place
        if prefix:
            self.chunk.emit(conversation_id, reply.id, prefix)  # Continue: the kept text first
        self.streamingChanged.emit(conversation_id, True)

    async def _run(self, stream: _Stream, target: StreamTarget, context: Messages) -> None:
        state, error = MessageState.DONE, ""
        options = dict(target.options)
        options.setdefault("usage_sink", lambda usage: setattr(stream, "usage", dict(usage)))
        options.setdefault("final_sink", lambda text: setattr(stream, "final", text))
        try:
            agen = target.provider.create_async_generator(target.model, context, **options)
            async with aclosing(agen) as pieces:
                async for piece in pieces:
                    if piece:
                        self._take(stream, piece)
        except asyncio.CancelledError:
            state = MessageState.STOPPED
        except ProviderError as exc:
            log.warning("reply %s failed: %s: %s", stream.reply_id, type(exc).__name__, exc)
            state, error = MessageState.FAILED, redact(exc.user_message)  # no key, ever
            self.replyFailed.emit(stream.reply_id, exc)
        except Exception as exc:  # a provider bug must not take the app down
            log.exception("reply %s crashed", stream.reply_id)
            state = MessageState.FAILED
            error = self.tr("Unexpected error: %1. Press Retry to try again.").replace(
                "%1", redact(f"{type(exc).__name__}: {exc}"))
            self.replyFailed.emit(stream.reply_id, exc)
        finally:
            self._finish(stream, state, error)

    def _take(self, stream: _Stream, piece: str) -> None:
        stream.parts.append(piece)
        stream.pending.append(piece)
        if stream.flush_handle is None:
            # Not get_running_loop(): qasync steps tasks in one last processEvents() after
            # run_until_complete() returns, when no loop counts as running.
            stream.flush_handle = asyncio.get_event_loop().call_later(
                FRAME_SECONDS, self._flush, stream)
        if time.monotonic() - stream.last_save >= SAVE_SECONDS:
            self._save(stream, MessageState.STREAMING)

    def _flush(self, stream: _Stream) -> None:
        stream.flush_handle = None
        if stream.pending:
            text = "".join(stream.pending)
            stream.pending.clear()
            self.chunk.emit(stream.conversation_id, stream.reply_id, text)

    def _save(self, stream: _Stream, state: MessageState, error: str = "") -> bool:
        """Write the reply so far; on failure the text stays in memory for the next try."""
        stream.last_save = time.monotonic()
        try:
            self.history.update_message(stream.reply_id, **_row(stream, state, error))
        except sqlite3.Error as exc:
            self._storage_failed(exc)
            return False
        stream.saved_parts = len(stream.parts)
        self._storage_worked()
        return True

    def _never_started(self, stream: _Stream) -> None:
        """Stopped before its first step (Esc right after Enter): _run's finally never ran,
        so finish it here, or it would count as streaming for ever."""
        if self._streams.get(stream.conversation_id) is stream:
            self._finish(stream, MessageState.STOPPED, "")

    def _finish(self, stream: _Stream, state: MessageState, error: str) -> None:
        if stream.flush_handle is not None:
            stream.flush_handle.cancel()
        self._flush(stream)
        if not self._save(stream, state, error):
            self._pending.hold(stream.reply_id, _row(stream, state, error))
        self._streams.pop(stream.conversation_id, None)
        message = self.history.message(stream.reply_id)
        if message is not None:
            row = self._pending.get(stream.reply_id)
            if row is not None:  # the disk lags: show what we hold
                message = replace(message, content=row["content"], state=state, error=error)
            self.messageChanged.emit(message)
            if (state == MessageState.DONE and stream.final
                    and stream.final != "".join(stream.parts)):
                self.messageChanged.emit(message)  # again: views redraw the server's final text
        self.streamingChanged.emit(stream.conversation_id, False)
        self.conversationsChanged.emit()

    def pending_writes(self) -> int:
        """Replies held in memory because their final save failed."""
        return len(self._pending)

    def flush_pending(self) -> bool:
        """Try the failed writes again; True when nothing is left in memory only."""
        return self._pending.flush()

    def _storage_worked(self) -> None:
        if len(self._pending):
            self._pending.flush()  # calls back here once all is saved
            return
        if not self.storage_ok:
            self.storage_ok = True
            self.storageRecovered.emit()

    def _storage_failed(self, exc: sqlite3.Error) -> None:
        log.error("history write failed: %s", exc)
        self.storage_ok = False
        self.storageFailed.emit(storage_problem(exc))


def _row(stream: _Stream, state: MessageState, error: str) -> dict[str, Any]:
    """The reply's fields as they should be on disk now."""
    content = "".join(stream.parts)
    if state == MessageState.DONE and stream.final:
        content = stream.prefix + stream.final  # the server's own final reply is the one to keep
    usage = json.dumps(stream.usage, sort_keys=True) if stream.usage else None
    return {"content": content, "state": state, "error": error if error else None,
            "usage": usage}
