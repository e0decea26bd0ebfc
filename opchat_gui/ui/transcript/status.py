"""The status line: elapsed time and speed while a reply streams, token usage after it.

It listens to ChatService's signals only, counts characters from the coalesced chunks
(so its cost is per frame, not per token), and refreshes a few times a second from a
timer, so a stalled stream still shows the time running. Numbers follow QLocale.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

from PySide6.QtCore import QCoreApplication, QLocale, QTimer
from PySide6.QtWidgets import QLabel, QWidget

from opchat_gui.core.text import fill
from opchat_gui.ui.keys import keymap

if TYPE_CHECKING:
    from opchat_gui.core.messages import Message

REFRESH_MS = 250
CUT_OFF_PREFIX = "The reply was cut off"  # how rows from before error kinds (schema 6) say it


@dataclass
class _Live:
    started: float
    chars: int = 0
    thought: int = 0  # characters of thinking (a reasoning model, before its answer)
    doing: str = ""  # what the server says it is doing (AI Engine `status` events)


def reply_outcome(message: Message) -> str:
    """How a reply ended, as a marker kind: "", "stopped", "interrupted", "cut_off" (the
    stream broke), "length" (the server's length limit), "withheld" or "failed"."""
    if message.role != "assistant":
        return ""
    # The message types load with the transcript: the status line is in start-up's
    # first frame, which has no message to show (B3).
    from opchat_gui.core.errors import ErrorKind
    from opchat_gui.core.messages import MessageState

    if message.state == MessageState.STOPPED:
        return "stopped"
    if message.state == MessageState.INTERRUPTED:
        return "interrupted"
    if message.state == MessageState.CUT_OFF:
        return "length"
    if message.state == MessageState.WITHHELD:
        return "withheld"
    if message.state == MessageState.FAILED:
        if message.failure is not None:
            return "cut_off" if message.failure.kind == ErrorKind.CUT_OFF else "failed"
        return "cut_off" if message.error.startswith(CUT_OFF_PREFIX) else "failed"
    return ""


class Marker(NamedTuple):
    """The note under a reply that did not simply finish."""

    title: str
    role: str  # "warning" or "error": the colour it is drawn in
    detail: str


def reply_marker(message: Message) -> Marker | None:
    """The marker a reply's outcome shows, in the UI's language; None if it finished."""
    outcome = reply_outcome(message)
    if not outcome:
        return None
    from opchat_gui.ui.transcript.error_text import error_sentence

    # Translated in the "Transcript" context, where these strings have always been.
    translate = QCoreApplication.translate
    if outcome == "stopped":
        return Marker("■ " + translate("Transcript", "Stopped"), "warning", translate(
            "Transcript", "You stopped this reply; the part above is kept."))
    if outcome == "interrupted":
        return Marker("⚠ " + translate("Transcript", "Interrupted"), "warning", translate(
            "Transcript", "The app closed while this reply was streaming."))
    if outcome == "length":
        return Marker("✂ " + translate("Transcript", "Cut off"), "warning", translate(
            "Transcript", "The reply reached the length limit; Continue asks for the rest."))
    if outcome == "withheld":
        return Marker("⊘ " + translate("Transcript", "Withheld"), "warning", translate(
            "Transcript", "The server withheld the rest of this reply (its content filter)."))
    if outcome == "cut_off":
        return Marker("✂ " + translate("Transcript", "Cut off"), "warning",
                      error_sentence(message))
    return Marker("✖ " + translate("Transcript", "Failed"), "error",
                  error_sentence(message) or translate("Transcript", "The reply failed."))


def parse_usage(usage: str) -> dict[str, int]:
    """Token counts from messages.usage (OpenAI-style JSON); {} when absent or unreadable."""
    if not usage:
        return {}
    try:
        data = json.loads(usage)
    except ValueError:
        return {}
    if not isinstance(data, dict):
        return {}
    counts = {key: value for key, value in data.items()
              if key in ("prompt_tokens", "completion_tokens", "total_tokens")
              and isinstance(value, int) and not isinstance(value, bool) and value >= 0}
    if "total_tokens" not in counts and {"prompt_tokens", "completion_tokens"} <= counts.keys():
        counts["total_tokens"] = counts["prompt_tokens"] + counts["completion_tokens"]
    return counts


class StreamStatus(QLabel):
    """One label in the window's status bar, for the conversation on screen."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("streamStatus")
        self.setAccessibleName(self.tr("Reply status"))
        self._live: dict[int, _Live] = {}
        self._usage: dict[int, str] = {}  # conversation id -> text after its last reply
        # conversation id -> how its last reply ended, when the user may act on it ("Stopped",
        # "Cut off"): shown until the next reply starts, wherever the transcript is scrolled.
        self._ending: dict[int, str] = {}
        self._current: int | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self.refresh)

    # Fed by the main window from ChatService's signals

    def set_current(self, conversation_id: int | None) -> None:
        self._current = conversation_id
        self.refresh()

    def on_streaming_changed(self, conversation_id: int, streaming: bool) -> None:
        if streaming:
            self._live[conversation_id] = _Live(time.monotonic())
            self._usage.pop(conversation_id, None)
            self._ending.pop(conversation_id, None)
        else:
            self._live.pop(conversation_id, None)
        if self._live and not self._timer.isActive():
            self._timer.start()
        elif not self._live:
            self._timer.stop()
        self.refresh()

    def on_chunk(self, conversation_id: int, _message_id: int, text: str) -> None:
        live = self._live.get(conversation_id)
        if live is not None:
            live.chars += len(text)

    def on_reasoning(self, conversation_id: int, _message_id: int, text: str) -> None:
        live = self._live.get(conversation_id)
        if live is not None:
            live.thought += len(text)

    def on_thinking_moved(self, conversation_id: int, _message_id: int,
                          seconds: float) -> None:
        """The reply's text changed sides (chat/stream.py): count it on its new side."""
        live = self._live.get(conversation_id)
        if live is not None:
            if seconds > 0:
                live.thought, live.chars = live.thought + live.chars, 0
            else:
                live.chars, live.thought = live.chars + live.thought, 0

    def on_reply_status(self, conversation_id: int, _message_id: int, text: str) -> None:
        """A server's own line about the reply ("Searching the web…"), shown until the next."""
        live = self._live.get(conversation_id)
        if live is not None:
            live.doing = text
            self.refresh()

    def on_message_changed(self, message: Message) -> None:
        """A reply ended: keep its token usage to show, if the provider reported it."""
        text = self.usage_text(parse_usage(message.usage), thought=bool(message.reasoning)) \
            if message.role == "assistant" else ""
        if text:
            self._usage[message.conversation_id] = text
        else:
            self._usage.pop(message.conversation_id, None)
        ending = self.ending_text(message)
        if ending:
            self._ending[message.conversation_id] = ending
        elif message.role == "assistant":
            self._ending.pop(message.conversation_id, None)
        self.refresh()

    # Text

    def refresh(self) -> None:
        live = self._live.get(self._current) if self._current is not None else None
        if live is not None:
            elapsed = time.monotonic() - live.started
            text = (self.thinking_text(elapsed, live.thought) if live.thought and not live.chars
                    else self.live_text(elapsed, live.chars))
            self.setText(f"{live.doing}  ·  {text}" if live.doing else text)
        elif self._current is None:
            self.setText("")
        else:
            usage = self._usage.get(self._current, "")
            self.setText("  ·  ".join(text for text in (self._ending.get(self._current, ""),
                                                        usage) if text))
            self.setToolTip(self.tr(
                "Tokens the server reported for the last reply: the request it read "
                "(prompt) and what it wrote (completion, thinking included).") if usage
                else "")

    def ending_text(self, message: Message) -> str:
        """'■ Stopped · Ctrl+R retries' and the like, for a reply the user can act on."""
        outcome = reply_outcome(message)
        marker = reply_marker(message)
        if marker is None or outcome not in ("stopped", "length", "cut_off", "interrupted"):
            return ""
        if outcome == "length":
            hint = fill(self.tr("%1 continues"),
                        keymap.display(keymap.keys_for("continue_reply")))
        else:
            hint = fill(self.tr("%1 retries"), keymap.display(keymap.keys_for("retry")))
        return f"{marker.title}  ·  {hint}"

    def live_text(self, elapsed: float, chars: int) -> str:
        locale = QLocale()
        speed = chars / elapsed if elapsed > 0.05 else 0.0
        return fill(self.tr("Streaming · %1 s · %2 characters · %3 characters/s · %4 stops"),
                    locale.toString(elapsed, "f", 1), locale.toString(chars),
                    locale.toString(speed, "f", 0), keymap.named("stop"))

    def thinking_text(self, elapsed: float, thought: int) -> str:
        """While the model thinks and has not begun its answer."""
        locale = QLocale()
        return fill(self.tr("Thinking · %1 s · %2 characters of thinking · %3 stops"),
                    locale.toString(elapsed, "f", 1), locale.toString(thought),
                    keymap.named("stop"))

    def usage_text(self, counts: dict[str, int], thought: bool = False) -> str:
        """What the server counted for the last reply: the request it read and the reply
        it wrote. (The next request's estimate sits at the other end of the status bar:
        named apart, so the two numbers never read as one contradicting the other. A
        reply that thought counts its thinking, which is never sent back: said so, as the
        next request can then be the smaller number.)"""
        if not counts:
            return ""
        locale = QLocale()
        if {"prompt_tokens", "completion_tokens"} <= counts.keys():
            words = (self.tr("Last reply: %1 prompt + %2 completion (thinking included) = "
                             "%3 tokens") if thought
                     else self.tr("Last reply: %1 prompt + %2 completion = %3 tokens"))
            return fill(words,
                        locale.toString(counts["prompt_tokens"]),
                        locale.toString(counts["completion_tokens"]),
                        locale.toString(counts["total_tokens"]))
        total = counts.get("total_tokens", counts.get("completion_tokens", 0))
        return fill(self.tr("Last reply: %1 tokens"), locale.toString(total))
