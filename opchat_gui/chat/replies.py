"""Message operations that start a reply: send, retry, regenerate, edit and resend,
continue; and deleting a message. Each puts the rows on disk first, then hands the
reply to the stream engine; a write that fails starts nothing."""

from __future__ import annotations

from opchat_gui.chat.signals import ChatSignals
from opchat_gui.chat.storage import StorageGuard, guarded
from opchat_gui.chat.stream import StreamEngine
from opchat_gui.core.messages import (
    CONTEXT_STATES,
    REGENERABLE_STATES,
    Message,
    MessageState,
)
from opchat_gui.providers.base import Messages
from opchat_gui.store import History

CONTINUE_PROMPT = ("Continue exactly where your previous reply stopped. Do not repeat "
                   "anything you already wrote; start with the very next word.")


class Replies:
    def __init__(self, history: History, signals: ChatSignals, storage: StorageGuard,
                 engine: StreamEngine) -> None:
        self.history = history
        self.signals = signals
        self.storage = storage
        self.engine = engine

    @guarded(False)
    def send(self, conversation_id: int, text: str) -> bool:
        if not text.strip() or self.engine.is_streaming(conversation_id):
            return False
        user, reply = self.history.add_exchange(conversation_id, text)
        self.storage.worked()
        self.signals.messageAdded.emit(user)
        self.signals.conversationsChanged.emit()
        self._start(conversation_id, reply)
        return True

    @guarded(False)
    def retry(self, conversation_id: int) -> bool:
        if self.engine.is_streaming(conversation_id):
            return False
        last = self.history.messages(conversation_id, limit=1)
        if not last:
            return False
        if last[0].role == "user":
            reply = self.history.add_message(conversation_id, "assistant", "",
                                             MessageState.STREAMING)
        elif last[0].retryable:
            self.history.update_message(last[0].id, content="", error="",
                                        state=MessageState.STREAMING)
            reply = self._reread(last[0].id)
        else:
            return False
        self._start(conversation_id, reply)
        return True

    def regenerate(self, conversation_id: int) -> bool:
        if self.engine.is_streaming(conversation_id):
            return False
        last = self.history.messages(conversation_id, limit=1)
        if (not last or last[0].role != "assistant"
                or last[0].state not in REGENERABLE_STATES):
            return False
        return self._redo(conversation_id, last[0])

    @guarded(False)
    def edit_and_resend(self, conversation_id: int, message_id: int, text: str) -> bool:
        if not text.strip() or self.engine.is_streaming(conversation_id):
            return False
        tail = self.history.messages(conversation_id, limit=2)
        users = [m for m in tail if m.role == "user"]
        if not users or users[-1].id != message_id:
            return False
        reply = tail[-1] if tail[-1].role == "assistant" else None
        self.history.update_message(message_id, content=text)
        self.signals.messageChanged.emit(self._reread(message_id))
        if reply is None:
            return self.retry(conversation_id)
        return self._redo(conversation_id, reply)

    @guarded(False)
    def continue_reply(self, conversation_id: int) -> bool:
        if self.engine.is_streaming(conversation_id):
            return False
        last = self.history.messages(conversation_id, limit=1)
        if not last or not last[0].continuable:
            return False
        kept = last[0]
        self.history.update_message(kept.id, error="", state=MessageState.STREAMING)
        context = self._context(conversation_id, kept.id)
        context += [{"role": "assistant", "content": kept.content},
                    {"role": "user", "content": CONTINUE_PROMPT}]
        self.engine.start(conversation_id, self._reread(kept.id), context, prefix=kept.content)
        return True

    @guarded(False)
    def delete_message(self, message_id: int) -> bool:
        """Delete one message (never the reply that is streaming)."""
        message = self.history.message(message_id)
        if message is None or self.engine.streaming_reply(message.conversation_id) == message_id:
            return False
        self.history.delete_message(message_id)
        self.signals.messageRemoved.emit(message.conversation_id, message_id)
        return True

    @guarded(False)
    def _redo(self, conversation_id: int, reply: Message) -> bool:
        if reply.content:
            self.history.keep_version(reply.id)
        self.history.update_message(reply.id, content="", error="", state=MessageState.STREAMING)
        self._start(conversation_id, self._reread(reply.id))
        return True

    def _start(self, conversation_id: int, reply: Message) -> None:
        self.engine.start(conversation_id, reply, self._context(conversation_id, reply.id))

    def _reread(self, message_id: int) -> Message:
        message = self.history.message(message_id)
        assert message is not None
        return message

    def _context(self, conversation_id: int, before_id: int) -> Messages:
        """The system prompt and every earlier turn the model should see again."""
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
