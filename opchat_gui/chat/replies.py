"""Message operations on the conversation tree: send, retry, regenerate (a sibling
reply), edit and resend (a sibling user message), continue, switching branches and
deleting a subtree. Each puts the rows on disk first, then hands the reply to the
stream engine; a write that fails starts nothing.

A deleted subtree goes as a deleted conversation does (chat/conversations.py): hidden at
once (History.hide_subtree), erased UNDO_SECONDS later or when the app quits, undoable
until then; a crash before the erase leaves it on disk, back on show at the next start.
"""

from __future__ import annotations

import asyncio

from opchat_gui.chat.attachments import Attachments
from opchat_gui.chat.conversations import UNDO_SECONDS
from opchat_gui.chat.signals import ChatSignals
from opchat_gui.chat.storage import StorageGuard, guarded
from opchat_gui.chat.stream import StreamEngine
from opchat_gui.chat.tool_turns import context_messages
from opchat_gui.core.messages import (
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
                 engine: StreamEngine, files: Attachments) -> None:
        self.history = history
        self.files = files
        self.signals = signals
        self.storage = storage
        self.engine = engine
        # Deleted subtrees still undoable: their first message -> (all ids, the erase).
        self._doomed: dict[int, tuple[list[int], asyncio.TimerHandle]] = {}

    @guarded(False)
    def send(self, conversation_id: int, text: str) -> bool:
        """A new user message at the end of the branch on show, and its reply; it takes
        the composer's attachments (a message may be files alone)."""
        if self.engine.is_streaming(conversation_id):
            return False
        if not text.strip() and not self.files.pending(conversation_id):
            return False
        user, reply = self.history.add_exchange(conversation_id, text)
        self.storage.worked()
        self.signals.messageAdded.emit(user)
        self.signals.attachmentsChanged.emit(conversation_id)
        self.signals.conversationsChanged.emit()
        self._start(conversation_id, reply)
        return True

    @guarded(False)
    def retry(self, conversation_id: int) -> bool:
        """A failed or stopped last reply is asked again in place (no branch: there is
        nothing worth keeping); a user message left without a reply gets one."""
        if self.engine.is_streaming(conversation_id):
            return False
        last = self._last(conversation_id)
        if last is None:
            return False
        if last.role in ("user", "tool"):  # a tool turn stopped before its answer
            reply = self.history.add_message(conversation_id, "assistant", "",
                                             MessageState.STREAMING, parent_id=last.id)
        elif last.retryable:
            self.history.update_message(last.id, content="", error="", reasoning="",
                                        reasoning_ms=0, state=MessageState.STREAMING)
            reply = self._reread(last.id)
        else:
            return False
        self._start(conversation_id, reply)
        return True

    @guarded(False)
    def regenerate(self, conversation_id: int) -> bool:
        """A finished last reply gets a new sibling reply; the old one stays a branch."""
        if self.engine.is_streaming(conversation_id):
            return False
        last = self._last(conversation_id)
        if last is None or last.role != "assistant" or last.state not in REGENERABLE_STATES:
            return False
        reply = self.history.add_message(conversation_id, "assistant", "",
                                         MessageState.STREAMING, parent_id=last.parent_id)
        self._start(conversation_id, reply)
        self._branch_started(conversation_id, reply.id)
        return True

    @guarded(False)
    def edit_and_resend(self, conversation_id: int, message_id: int, text: str) -> bool:
        """Any user message on show: a sibling user message with `text` and a new reply
        start a new branch; the old branch stays reachable."""
        files = self.files.edit_files(conversation_id)
        has_files = bool(files and (files[0] or files[1])) if files is not None else False
        if (not text.strip() and not has_files) or self.engine.is_streaming(conversation_id):
            return False
        edited = self.history.message(message_id)
        if edited is None or edited.role != "user" or edited.conversation_id != conversation_id:
            return False
        # The chips the composer showed while editing, exactly; without an edit begun
        # there (a script), the message keeps its files.
        user, reply = self.history.add_exchange(conversation_id, text, edited.parent_id,
                                                files_of=edited.id, files=files)
        self.files.end_edit(conversation_id, sent=True)
        self.storage.worked()
        self._start(conversation_id, reply)
        self._branch_started(conversation_id, user.id)
        self.signals.conversationsChanged.emit()
        return True

    @guarded(False)
    def continue_reply(self, conversation_id: int) -> bool:
        if self.engine.is_streaming(conversation_id):
            return False
        kept = self._last(conversation_id)
        if kept is None or not kept.continuable:
            return False
        self.history.update_message(kept.id, error="", state=MessageState.STREAMING)
        context = self.context(conversation_id, kept.id)
        context += [{"role": "assistant", "content": kept.content},
                    {"role": "user", "content": CONTINUE_PROMPT}]
        self.engine.start(conversation_id, self._reread(kept.id), context, prefix=kept.content)
        return True

    @guarded(None)
    def switch(self, conversation_id: int, message_id: int, delta: int) -> int | None:
        """Show the sibling `delta` places from `message_id`, with the branch below it as
        it was last left (its newest if never); the id of the sibling now on show, or
        None if there is none that way."""
        tree = self.history.tree(conversation_id)
        if message_id not in tree:
            return None
        siblings = tree.siblings(message_id)
        place = siblings.index(message_id) + delta
        if delta == 0 or not 0 <= place < len(siblings):
            return None
        self.history.set_active_leaf(
            conversation_id, self.history.leaf_below(siblings[place], tree), tree)
        self._branch_started(conversation_id, siblings[place])
        return siblings[place]

    @guarded(False)
    def bring_on_show(self, message_id: int) -> bool:
        """Make a branch holding `message_id` (below it, the one last on show there) the
        active one, if it is not already; whether it is on show now."""
        message = self.history.message(message_id)
        if message is None:
            return False
        tree = self.history.tree(message.conversation_id)
        if message_id not in self.history.active_path(message.conversation_id, tree):
            self.history.set_active_leaf(message.conversation_id,
                                         self.history.leaf_below(message_id, tree), tree)
        return True

    @guarded(None)
    def delete_subtree(self, message_id: int) -> tuple[int, int, int | None] | None:
        """Hide a message and everything below it (never while its conversation streams)
        and erase them UNDO_SECONDS later; (conversation id, message id, the leaf before)
        for undo, or None."""
        message = self.history.message(message_id)
        if message is None or self.engine.is_streaming(message.conversation_id):
            return None
        ids, leaf_before = self.history.hide_subtree(message_id)
        if not ids:
            return None
        self._doomed[message_id] = (ids, asyncio.get_event_loop().call_later(
            UNDO_SECONDS, self.erase, message_id))
        self.signals.branchChanged.emit(message.conversation_id, message_id)
        return message.conversation_id, message_id, leaf_before

    @guarded(False)
    def undelete(self, conversation_id: int, message_id: int, leaf: int | None) -> bool:
        """Bring a deleted subtree back if it is not erased yet, its leaf on show again."""
        entry = self._doomed.pop(message_id, None)
        if entry is None:
            return False
        ids, erase = entry
        erase.cancel()
        if not self.history.unhide(conversation_id, ids, leaf):
            return False
        self.signals.branchChanged.emit(conversation_id, message_id)
        return True

    @guarded(None)
    def erase(self, message_id: int) -> None:
        """The undo time is over: the deleted rows go from disk."""
        entry = self._doomed.pop(message_id, None)
        if entry is None:
            return
        ids, erase = entry
        erase.cancel()
        self.history.erase_hidden(ids)

    def erase_all_doomed(self) -> None:
        for message_id in list(self._doomed):
            self.erase(message_id)

    def subtree_size(self, message_id: int) -> int:
        message = self.history.message(message_id)
        if message is None:
            return 0
        return len(self.history.tree(message.conversation_id).subtree(message_id))

    def _branch_started(self, conversation_id: int, fork_id: int) -> None:
        """The view redraws from `fork_id` down (a new or another sibling is on show)."""
        self.signals.branchChanged.emit(conversation_id, fork_id)

    def _start(self, conversation_id: int, reply: Message) -> None:
        self.engine.start(conversation_id, reply, self.context(conversation_id, reply.id))

    def _last(self, conversation_id: int) -> Message | None:
        path = self.history.active_path(conversation_id)
        return self.history.message(path[-1]) if path else None

    def _leaf(self, conversation_id: int) -> int | None:
        path = self.history.active_path(conversation_id)
        return path[-1] if path else None

    def _reread(self, message_id: int) -> Message:
        message = self.history.message(message_id)
        assert message is not None
        return message

    def context(self, conversation_id: int, reply_id: int) -> Messages:
        """The system prompt and every turn on the path from the first message down to
        `reply_id` (not included): nothing from other branches. Tool turns go in OpenAI's
        shape (chat/tool_turns.context_messages)."""
        conversation = self.history.conversation(conversation_id)
        context: Messages = []
        if conversation is not None and conversation.system_prompt.strip():
            context.append({"role": "system", "content": conversation.system_prompt})
        tree = self.history.tree(conversation_id)
        path = tree.path(reply_id)
        messages = self.history.path_messages(path[:-1])
        files = self.files.of_messages(m.id for m in messages if m.role == "user")
        # the user's turns with their files, on every branch and every retry
        context += context_messages(messages, lambda m: self.files.content(
            m.content, files.get(m.id, [])))
        return context
