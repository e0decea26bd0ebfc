"""ChatService: the one object the UI talks to about chats. Its jobs live next to it:

- `stream.StreamEngine` runs one provider stream per conversation, coalesced and saved;
- `replies.Replies` sends, retries, regenerates, edits, continues, switches branches and
  deletes messages (the conversation is a tree: core/tree.py);
- `conversations.Conversations` creates, renames, pins and deletes (with undo);
- `drafts.Drafts` keeps the composer's unsent text;
- `storage.StorageGuard` says once when the history cannot be written.

This class holds the signals (`signals.ChatSignals`) and the queries widgets need, so
they never import the store.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject

from opchat_gui.chat import tool_support
from opchat_gui.chat.attachments import DEFAULT_MAX_SIDE, Attachments
from opchat_gui.chat.context_meter import ContextMeter, ContextSource
from opchat_gui.chat.conversations import Conversations
from opchat_gui.chat.drafts import Drafts
from opchat_gui.chat.failures import failure_of
from opchat_gui.chat.replies import Replies
from opchat_gui.chat.signals import ChatSignals
from opchat_gui.chat.storage import StorageGuard, guarded
from opchat_gui.chat.stream import StreamEngine
from opchat_gui.chat.tool_turns import STEP_LIMIT_MAX, Approval, ToolTurns
from opchat_gui.config import generation
from opchat_gui.core.errors import Failure
from opchat_gui.core.messages import Conversation, ConversationSummary, Message, SearchHit
from opchat_gui.providers.openai_compat import OpenAICompatible
from opchat_gui.providers.target import StreamTarget
from opchat_gui.store import History
from opchat_gui.store.attachments import Blobs

if TYPE_CHECKING:  # loaded on first use (app/main.py attaches it after the window shows)
    from opchat_gui.tools.server_config import ServersConfig

__all__ = ["ChatService", "StreamTarget"]


class ChatService(ChatSignals):
    def __init__(self, history: History, target_for: Callable[[Conversation], StreamTarget],
                 parent: QObject | None = None, *,
                 new_defaults: Callable[[], Mapping[str, str]] | None = None,
                 label_for: Callable[[Conversation], str] | None = None,
                 attachments_folder: Path | None = None,
                 max_image_side: Callable[[], int] | None = None,
                 context_source: Callable[[Conversation], ContextSource] | None = None,
                 context_trim: Callable[[], tuple[str, int]] | None = None,
                 tool_servers: ServersConfig | None = None,
                 tool_settings: Callable[[], tuple[float, int]] | None = None) -> None:
        super().__init__(parent)
        self.history = history
        self._target_for = target_for
        self._label_for = label_for  # a header label without resolving keys (no keyring)
        self.storage = StorageGuard(history, self.storageFailed.emit,
                                    self.storageRecovered.emit)
        self.tools = ToolTurns(history, self, tool_servers, tool_settings)
        self._engine = StreamEngine(history, self, self.storage, target_for, self.tools)
        self.context = ContextMeter(history, target_for, context_source,
                                    context_trim or (lambda: ("fit", 20)), self)
        self._engine.fit = self.context.fit
        self._engine.ready = self.context.ready
        self.tools.facts = self.context.known_facts
        self.messageChanged.connect(self.context.reply_changed)
        if attachments_folder is None:  # beside the history file (in memory: a temporary one)
            attachments_folder = history.blobs.folder if history.blobs is not None \
                else Path(tempfile.mkdtemp()) / "attachments"
        self.files = Attachments(history, self, Blobs(attachments_folder), target_for,
                                 max_image_side or (lambda: DEFAULT_MAX_SIDE))
        self._replies = Replies(history, self, self.storage, self._engine, self.files)
        self._conversations = Conversations(history, self, self.storage,
                                            stop=self._engine.stop, new_defaults=new_defaults)
        self._drafts = Drafts(history, self.storage)
        # What Ctrl+Alt+Z brings back, newest last: (kind, what to restore).
        self._undo: list[tuple[str, Any]] = []

    # Queries, so widgets never need the store

    def conversations(self) -> list[Conversation]:
        return self._conversations.all()

    def conversation_list(self) -> list[ConversationSummary]:
        """Id, title and pin of every conversation in list order; cheap for 10,000."""
        return self._conversations.summaries()

    def conversation(self, conversation_id: int) -> Conversation | None:
        return self._conversations.get(conversation_id)

    def search(self, text: str, limit: int = 50) -> list[SearchHit]:
        """Ranked full-text hits over all history, deleted-but-undoable conversations left out."""
        return list(self._conversations.search(text, limit))

    def messages(self, conversation_id: int) -> list[Message]:
        """The branch on show, first message first."""
        return self.history.path_messages(self.history.active_path(conversation_id))

    def path(self, conversation_id: int) -> list[int]:
        """The ids of the branch on show, first message first."""
        return self.history.active_path(conversation_id)

    def path_messages(self, ids: list[int]) -> list[Message]:
        return self.history.path_messages(ids)

    def page(self, conversation_id: int, before: int | None,
             limit: int) -> tuple[list[Message], dict[int, tuple[int, int]]]:
        """The `limit` messages of the branch on show just above `before` (None: its end),
        first message first, and their forks (for paging). Read by walking parents, so a
        page costs the same in a conversation of any length."""
        if before is None:
            end = self.history.active_leaf(conversation_id)
        else:
            message = self.history.message(before)
            end = message.parent_id if message is not None else None
        if end is None:
            return [], {}
        ids = self.history.path_page(end, limit)
        return self.history.path_messages(ids), self.history.forks_of(conversation_id, ids)

    def forks(self, conversation_id: int) -> dict[int, tuple[int, int]]:
        """For each message on show that has siblings: (its place, how many), 1-based."""
        tree = self.history.tree(conversation_id)
        return tree.forks(self.history.active_path(conversation_id, tree))

    def live_text(self, message_id: int) -> str | None:
        """A streaming reply's text so far (more than the last save), else None."""
        return self._engine.live_text(message_id)

    def live_reasoning(self, message_id: int) -> str | None:
        """The thinking of a reply streaming now, so far; None when it is not streaming."""
        return self._engine.live_reasoning(message_id)

    def subtree_size(self, message_id: int) -> int:
        """How many messages deleting this one removes (it and all below it)."""
        return self._replies.subtree_size(message_id)

    def target_label(self, conversation: Conversation) -> str:
        if self._label_for is not None:
            return self._label_for(conversation)
        return self._target_for(conversation).label

    def is_streaming(self, conversation_id: int) -> bool:
        return self._engine.is_streaming(conversation_id)

    def busy(self) -> bool:
        """Whether any reply is streaming (restore waits for none)."""
        return self._engine.busy()

    def draft(self, conversation_id: int | None) -> str:
        return self._drafts.get(conversation_id)

    def pending_writes(self) -> int:
        """Replies held in memory because their final save failed."""
        return len(self.storage.pending)

    def reload(self) -> None:
        """The history changed underneath (import, restore): views re-read it."""
        self.conversationsChanged.emit()

    # Conversations

    def new_conversation(self) -> Conversation | None:
        """A new conversation with the defaults (provider, model, system prompt) on its row;
        None (and a banner) if it could not be saved."""
        return self._conversations.new()

    def set_target(self, conversation_id: int, provider: str, model: str) -> bool:
        """Switch a conversation's provider and model; the next reply uses them."""
        return self._conversations.update(conversation_id, provider=provider, model=model)

    def set_generation(self, conversation_id: int, values: Mapping[str, Any]) -> bool:
        """Store the conversation's generation overrides (only valid values are kept:
        config.generation checks them again); the next reply sends them."""
        return self._conversations.update(conversation_id,
                                          generation=generation.dumps(values))

    def generation(self, conversation_id: int) -> dict[str, Any]:
        """The conversation's generation overrides (field name -> value)."""
        conversation = self._conversations.get(conversation_id)
        return generation.loads(conversation.generation) if conversation else {}

    def set_system_prompt(self, conversation_id: int, prompt: str) -> bool:
        return self._conversations.update(conversation_id, system_prompt=prompt)

    def rename(self, conversation_id: int, title: str) -> bool:
        return self._conversations.rename(conversation_id, title)

    def toggle_pinned(self, conversation_id: int) -> bool:
        return self._conversations.toggle_pinned(conversation_id)

    def delete(self, conversation_id: int) -> bool:
        """Hide the conversation now and erase it after UNDO_SECONDS unless undone."""
        if not self._conversations.delete(conversation_id):
            return False
        self._undo.append(("conversation", conversation_id))
        return True

    def undo_delete(self) -> int | None:
        """Bring back what was deleted last, a conversation or a message's subtree (within
        UNDO_SECONDS); the conversation's id, or None."""
        while self._undo:
            kind, payload = self._undo.pop()
            if kind == "conversation":
                restored = self._conversations.undo_delete()
                if restored is not None:
                    return restored
            else:
                conversation_id, message_id, leaf = payload
                if (self._conversations.get(conversation_id) is not None
                        and self._replies.undelete(conversation_id, message_id, leaf)):
                    self.conversationsChanged.emit()
                    return int(conversation_id)
        return None

    def save_draft(self, conversation_id: int | None, text: str) -> bool:
        """Keep the composer's unsent text; False (and a banner) if it could not be saved."""
        return self._drafts.save(conversation_id, text)

    # Replies

    def input_problem(self, conversation_id: int, text: str) -> Failure | None:
        """Why the conversation's provider would refuse `text`, found without sending (an
        AI Engine site's input limit: the failure carries the limit and the length), as a
        failure the UI words like a reply's; None if nothing is known against it."""
        conversation = self._conversations.get(conversation_id)
        if conversation is None:
            return None
        error = self._target_for(conversation).input_error(text)
        return failure_of(error) if error is not None else None

    def send(self, conversation_id: int, text: str) -> bool:
        """Save the message and start the reply; False (and nothing sent) if it could not."""
        return self._replies.send(conversation_id, text)

    def retry(self, conversation_id: int) -> bool:
        """Ask again for the last reply if it failed, stopped or was interrupted."""
        return self._replies.retry(conversation_id)

    def regenerate(self, conversation_id: int) -> bool:
        """Ask again for a finished last reply, as a sibling: the old reply stays a branch."""
        return self._replies.regenerate(conversation_id)

    def edit_and_resend(self, conversation_id: int, message_id: int, text: str) -> bool:
        """A new branch from a user message: its edited text and a new reply."""
        return self._replies.edit_and_resend(conversation_id, message_id, text)

    def bring_on_show(self, message_id: int) -> bool:
        """Make the branch holding this message the one on show (a search hit in another
        branch); the window then opens its conversation."""
        return self._replies.bring_on_show(message_id)

    def switch_branch(self, conversation_id: int, message_id: int, delta: int) -> int | None:
        """Show the sibling `delta` places from `message_id`; the one now on show."""
        return self._replies.switch(conversation_id, message_id, delta)

    def continue_reply(self, conversation_id: int) -> bool:
        """Ask the model to go on from a cut-off reply, appending to that same reply."""
        return self._replies.continue_reply(conversation_id)

    def delete_message(self, message_id: int) -> bool:
        """Delete a message and everything below it, as a conversation is deleted: hidden
        now, erased after UNDO_SECONDS unless undone; never while its conversation
        streams."""
        deleted = self._replies.delete_subtree(message_id)
        if deleted is None:
            return False
        self._undo.append(("messages", deleted))
        return True

    def stop(self, conversation_id: int) -> bool:
        """Stop the reply, a tool call it runs (its MCP request is cancelled) included."""
        return self._engine.stop(conversation_id)

    # Tools (issue 17)

    def pending_approval(self, conversation_id: int) -> Approval | None:
        """The tool call waiting for the user's answer in this conversation, if one is."""
        return self.tools.pending.get(conversation_id)

    def answer_tool(self, conversation_id: int, decision: str) -> bool:
        """Allow once, always allow (remembered per server and tool) or deny the call
        waiting in this conversation (tool_turns.ONCE / ALWAYS / DENY)."""
        return self.tools.answer(conversation_id, decision)

    def tools_note(self, conversation_id: int) -> str:
        """Why this conversation's replies call no tools: "site" (an AI Engine site runs
        its own), "refused" (its server or model cannot take them), "none" (no server is enabled) or
        "" (they may call the enabled servers' tools)."""
        conversation = self._conversations.get(conversation_id)
        config = self.tools.config
        if conversation is None or config is None or not config.enabled():
            return "none"
        target = self._target_for(conversation)
        if self.tools.offered_to(conversation_id, target):
            return ""
        return "refused" if tool_support.unsupported(self.history, conversation_id,
                                                     target) else "site"

    def step_limit_field(self, conversation_id: int) -> tuple[int | None, int, int] | None:
        """What the step limit editor shows: the conversation's own limit (None: the
        default), the default, the largest allowed; None where replies call no tools."""
        conversation = self._conversations.get(conversation_id)
        if conversation is None or not issubclass(self._target_for(conversation).provider,
                                                  OpenAICompatible):
            return None
        return self.tools.own_step_limit(conversation_id), self.tools.settings()[1], \
            STEP_LIMIT_MAX

    @guarded(False)
    def set_step_limit(self, conversation_id: int, value: int | None) -> bool:
        """The conversation's tool step limit (None: the settings' default); False when
        refused (not a whole number from 1 to STEP_LIMIT_MAX) or not saved."""
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)
                                  or not 1 <= value <= STEP_LIMIT_MAX):
            return False
        return self.tools.set_step_limit(conversation_id, value)

    def flush_pending(self) -> bool:
        """Try the failed writes again; True when nothing is left in memory only."""
        return self.storage.pending.flush()

    async def shutdown(self) -> None:
        """Stop every stream and wait until each has saved its final state; finish deletes."""
        await self._engine.shutdown()
        await self.context.shutdown()
        self._conversations.erase_all_doomed()
        self._replies.erase_all_doomed()
        await self.tools.stop()
