"""The signals the chat service sends the UI, in one QObject every part emits through,
so the stream engine, conversation and message operations need not know each other."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal


class ChatSignals(QObject):
    conversationsChanged = Signal()
    messageAdded = Signal(object)  # Message: a user message, or a reply that starts streaming
    messageChanged = Signal(object)  # Message: a reply reached its final state, or was edited
    chunk = Signal(int, int, str)  # conversation id, message id, text to append
    # Conversation id, message id, thinking to append: sent before the same frame's chunk.
    reasoning = Signal(int, int, str)
    # Conversation id, message id, seconds it has thought (0: it holds no thinking now): the
    # streaming reply's text moved between answer and thinking (a chat template opened the
    # thinking: providers/reasoning.py); views draw it again from live_text/live_reasoning.
    thinkingMoved = Signal(int, int, float)
    replyStatus = Signal(int, int, str)  # conversation id, message id, what the server does
    streamingChanged = Signal(int, bool)  # conversation id, streaming now
    storageFailed = Signal(str)  # a write failed; the text says what and what to do
    replyFailed = Signal(int, object)  # reply message id, the ProviderError (or other error)
    branchChanged = Signal(int, int)  # conversation id, the message the view redraws from
    storageRecovered = Signal()  # writes work again and everything kept in memory is saved
    attachmentsChanged = Signal(int)  # conversation id: the composer's attachments changed
    toolApproval = Signal(object)  # tool_turns.Approval: a tool call waits for the user
    toolApprovalDone = Signal(int)  # conversation id: its waiting call was answered or stopped
    toolServerProblem = Signal(str)  # a tool server could not start: why (said once a run)
