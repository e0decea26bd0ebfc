"""Every user setting, in one declarative table, and the JSON file that stores them.

The table drives the settings dialog and the file. Loading never fails: a value that
is unknown or invalid falls back to its default, a broken file is moved aside, and
each such repair becomes a notice the window shows. No Qt here: labels are marked
with core.text.QT_TRANSLATE_NOOP so lupdate finds them and widgets translate them in
context "Settings"; notices and refusals are Phrases the UI renders in the reader's
language; whoever needs to hear of a change `observe`s the store (the Qt signal for it
is chat.settings_signal).
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from opchat_gui.core.files import write_atomic
from opchat_gui.core.network import DEFAULT_CONNECT_TIMEOUT, DEFAULT_READ_TIMEOUT, PROXY_SCHEMES
from opchat_gui.core.text import QT_TRANSLATE_NOOP, Phrase

CONTEXT = "Settings"
FONT_SIZES = (6, 48)  # points, smallest and largest, for the settings and the zoom keys
TOOL_STEP_LIMIT = 10  # tool rounds per reply; a conversation may set its own
TOOL_STEP_LIMIT_MAX = 100
TOOL_START_WAIT = 10.0  # seconds a reply waits for the tool servers to list their tools

Observer = Callable[[str, Any], None]  # (key, new value)


def _phrase(source: str, *args: object) -> Phrase:
    return Phrase(CONTEXT, source, args)


def _proxy_problem(value: object) -> Phrase | None:
    """Why a proxy address cannot work, or None when it can (empty means no proxy)."""
    assert isinstance(value, str)
    if not value:
        return None
    parts = urlsplit(value)
    if parts.scheme.lower() not in PROXY_SCHEMES or not parts.hostname:
        return _phrase(QT_TRANSLATE_NOOP("Settings", "a proxy looks like http://host:port or "
                                         "socks5://host:port"))
    try:
        parts.port  # noqa: B018 - raises on a port that is not a number
    except ValueError:
        return _phrase(QT_TRANSLATE_NOOP("Settings", "the port is not a number"))
    return None


@dataclass(frozen=True)
class Setting:
    """One row: what it is, what it starts as, how to show it and what it accepts."""

    key: str
    kind: type  # bool, int, float or str
    default: Any
    label: str
    help: str
    page: str
    choices: tuple[tuple[Any, str], ...] = ()  # (stored value, label); empty: free value
    minimum: float | None = None
    maximum: float | None = None
    check: Callable[[object], Phrase | None] | None = None  # why a value is invalid
    multiline: bool = False
    editor: str = ""  # a special editor: "font" for font families

    def problem(self, value: object) -> Phrase | None:
        """Why `value` is not acceptable for this setting, or None when it is."""
        if self.kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, self.kind) or (self.kind is int and isinstance(value, bool)):
            return _phrase(QT_TRANSLATE_NOOP("Settings", "expected %1"),
                           _phrase(_KIND_NAMES[self.kind]))
        if self.choices and value not in {choice for choice, _ in self.choices}:
            return _phrase(QT_TRANSLATE_NOOP("Settings", "not one of the choices"))
        if isinstance(value, int | float):
            if self.minimum is not None and value < self.minimum:
                return _phrase(QT_TRANSLATE_NOOP("Settings", "below the minimum %1"),
                               f"{self.minimum:g}")
            if self.maximum is not None and value > self.maximum:
                return _phrase(QT_TRANSLATE_NOOP("Settings", "above the maximum %1"),
                               f"{self.maximum:g}")
        return self.check(value) if self.check else None


_KIND_NAMES: dict[type, str] = {bool: QT_TRANSLATE_NOOP("Settings", "true or false"),
                                int: QT_TRANSLATE_NOOP("Settings", "a whole number"),
                                float: QT_TRANSLATE_NOOP("Settings", "a number"),
                                str: QT_TRANSLATE_NOOP("Settings", "text")}

# Pages, in dialog order: (id, label). Other helpers may host their own pages too.
PAGES: tuple[tuple[str, str], ...] = (
    ("appearance", QT_TRANSLATE_NOOP("Settings", "Appearance")),
    ("chat", QT_TRANSLATE_NOOP("Settings", "Chat")),
    ("connection", QT_TRANSLATE_NOOP("Settings", "Connection")),
)

SETTINGS: tuple[Setting, ...] = (
    Setting("theme", str, "system", QT_TRANSLATE_NOOP("Settings", "Theme"),
            QT_TRANSLATE_NOOP("Settings", "System follows the desktop's light or dark mode."),
            "appearance",
            choices=(("system", QT_TRANSLATE_NOOP("Settings", "System")),
                     ("light", QT_TRANSLATE_NOOP("Settings", "Light")),
                     ("dark", QT_TRANSLATE_NOOP("Settings", "Dark")))),
    Setting("language", str, "", QT_TRANSLATE_NOOP("Settings", "Language"),
            QT_TRANSLATE_NOOP("Settings", "The language of the interface and of dates and "
                              "numbers."),
            "appearance",
            choices=(("", QT_TRANSLATE_NOOP("Settings", "As on the desktop")),
                     ("en", "English"), ("ru", "Русский"))),
    Setting("transcript_font_family", str, "",
            QT_TRANSLATE_NOOP("Settings", "Transcript font"),
            QT_TRANSLATE_NOOP("Settings", "Empty uses the desktop's font."), "appearance",
            editor="font"),
    Setting("transcript_font_size", int, 11,
            QT_TRANSLATE_NOOP("Settings", "Transcript font size"),
            QT_TRANSLATE_NOOP("Settings", "In points."), "appearance",
            minimum=FONT_SIZES[0], maximum=FONT_SIZES[1]),
    Setting("composer_font_family", str, "",
            QT_TRANSLATE_NOOP("Settings", "Composer font"),
            QT_TRANSLATE_NOOP("Settings", "Empty uses the desktop's font."), "appearance",
            editor="font"),
    Setting("composer_font_size", int, 11,
            QT_TRANSLATE_NOOP("Settings", "Composer font size"),
            QT_TRANSLATE_NOOP("Settings", "In points."), "appearance",
            minimum=FONT_SIZES[0], maximum=FONT_SIZES[1]),
    Setting("send_key", str, "enter", QT_TRANSLATE_NOOP("Settings", "Send with"),
            QT_TRANSLATE_NOOP("Settings", "The other key combination inserts a new line."),
            "chat",
            choices=(("enter", QT_TRANSLATE_NOOP("Settings", "Enter (Shift+Enter for a new "
                                                 "line)")),
                     ("ctrl_enter", QT_TRANSLATE_NOOP("Settings", "Ctrl+Enter (Enter for a new "
                                                      "line)")))),
    Setting("follow_stream", bool, True,
            QT_TRANSLATE_NOOP("Settings", "Follow the reply as it streams"),
            QT_TRANSLATE_NOOP("Settings", "Off: the transcript stays where you scrolled."),
            "chat"),
    # The default provider is chosen on the Providers page (config/provider_entries.py).
    Setting("default_model", str, "", QT_TRANSLATE_NOOP("Settings", "Default model"),
            QT_TRANSLATE_NOOP("Settings", "Empty lets the provider choose."), "chat"),
    Setting("system_prompt", str, "", QT_TRANSLATE_NOOP("Settings", "Default system prompt"),
            QT_TRANSLATE_NOOP("Settings", "Sent first in every new conversation."), "chat",
            multiline=True),
    Setting("image_max_side", int, 1568,
            QT_TRANSLATE_NOOP("Settings", "Largest attached image side"),
            QT_TRANSLATE_NOOP("Settings", "In pixels; larger images are scaled down before "
                              "they are sent."), "chat", minimum=256, maximum=8192),
    # How much history is sent (providers/context_window.py).
    Setting("context_trim", str, "fit", QT_TRANSLATE_NOOP("Settings", "Conversation context"),
            QT_TRANSLATE_NOOP("Settings", "What is sent with each message when the "
                              "conversation grows long."), "chat",
            choices=(("fit", QT_TRANSLATE_NOOP("Settings", "Drop the oldest turns so it fits "
                                               "the model")),
                     ("last", QT_TRANSLATE_NOOP("Settings", "Only the last N messages")),
                     ("off", QT_TRANSLATE_NOOP("Settings", "Everything (the server may "
                                               "refuse it)")))),
    Setting("context_last_messages", int, 20,
            QT_TRANSLATE_NOOP("Settings", "Last N messages"),
            QT_TRANSLATE_NOOP("Settings", "How many recent messages “Only the last N "
                              "messages” sends; the system prompt goes besides."), "chat",
            minimum=1, maximum=10_000),
    # Tools (chat/tool_turns.py, tools/host.py).
    Setting("tool_step_limit", int, TOOL_STEP_LIMIT,
            QT_TRANSLATE_NOOP("Settings", "Tool steps per reply"),
            QT_TRANSLATE_NOOP("Settings", "How many rounds of tool calls a model may make "
                              "before it must answer; a conversation may set its own in its "
                              "generation settings."), "chat",
            minimum=1, maximum=TOOL_STEP_LIMIT_MAX),
    Setting("tool_start_wait", float, TOOL_START_WAIT,
            QT_TRANSLATE_NOOP("Settings", "Wait for tool servers"),
            QT_TRANSLATE_NOOP("Settings", "Seconds a reply waits for a tool server to start "
                              "and list its tools; a slower one is left out of that reply "
                              "and is not waited for again for a while."), "connection",
            minimum=1, maximum=300),
    Setting("proxy", str, "", QT_TRANSLATE_NOOP("Settings", "Proxy"),
            QT_TRANSLATE_NOOP("Settings", "For example http://127.0.0.1:8080. Empty: no "
                              "proxy."),
            "connection", check=_proxy_problem),
    Setting("connect_timeout", float, DEFAULT_CONNECT_TIMEOUT,
            QT_TRANSLATE_NOOP("Settings", "Connect timeout"),
            QT_TRANSLATE_NOOP("Settings", "Seconds to wait for the server to answer at all."),
            "connection", minimum=1, maximum=300),
    Setting("read_timeout", float, DEFAULT_READ_TIMEOUT,
            QT_TRANSLATE_NOOP("Settings", "Read timeout"),
            QT_TRANSLATE_NOOP("Settings", "Longest silence, in seconds, allowed mid-reply."),
            "connection", minimum=1, maximum=3600),
)

BY_KEY: dict[str, Setting] = {setting.key: setting for setting in SETTINGS}


def defaults() -> dict[str, Any]:
    return {setting.key: setting.default for setting in SETTINGS}


class Settings:
    """The current values; each observer hears of every value a `set` changes."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        self.values: dict[str, Any] = defaults()
        self.notices: list[Phrase] = []
        self._observers: list[Observer] = []
        self._unknown: dict[str, Any] = {}  # kept in the file; a newer version may know them
        self.dirty = False  # changed since loaded or saved

    @classmethod
    def load(cls, path: Path) -> Settings:
        """Read `path`; every repair is recorded in `notices`, and nothing raises."""
        settings = cls(path)
        try:
            raw = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return settings
        except (OSError, UnicodeDecodeError) as exc:
            settings._set_aside(exc)
            return settings
        try:
            data = json.loads(raw)
            if not isinstance(data, dict):
                raise ValueError("the file does not hold a JSON object")
        except ValueError as exc:
            settings._set_aside(exc)
            return settings
        settings._take(data)
        return settings

    def _take(self, data: Mapping[str, Any]) -> None:
        for key, value in data.items():
            setting = BY_KEY.get(key)
            if setting is None:
                self._unknown[key] = value
                self.notices.append(_phrase(QT_TRANSLATE_NOOP(
                    "Settings", "Unknown setting “%1” was ignored."), key))
                continue
            problem = setting.problem(value)
            if problem:
                self.notices.append(_phrase(QT_TRANSLATE_NOOP(
                    "Settings", "Setting “%1” had an invalid value (%2); using the default."),
                    key, problem))
                continue
            self.values[key] = float(value) if setting.kind is float else value

    def _set_aside(self, exc: Exception) -> None:
        assert self.path is not None
        aside = self.path.with_name(f"{self.path.name}.broken-{time.strftime('%Y%m%d-%H%M%S')}")
        try:
            os.replace(self.path, aside)
        except OSError as move_error:
            self.notices.append(_phrase(QT_TRANSLATE_NOOP(
                "Settings", "The settings file %1 could not be read (%2) nor moved aside (%3); "
                "using the defaults."), self.path, exc, move_error))
            return
        self.notices.append(_phrase(QT_TRANSLATE_NOOP(
            "Settings", "The settings file could not be read (%1). It was moved to %2; using "
            "the defaults."), exc, aside))

    def __getitem__(self, key: str) -> Any:
        return self.values[key]

    def observe(self, observer: Observer) -> None:
        """Call `observer(key, value)` after each change, in the order they observed."""
        self._observers.append(observer)

    def set(self, key: str, value: object) -> Phrase | None:
        """Change one value (the observers hear of it); returns why it was refused, or None."""
        setting = BY_KEY[key]
        problem = setting.problem(value)
        if problem:
            return problem
        if setting.kind is float and isinstance(value, int):
            value = float(value)
        if self.values[key] != value:
            self.values[key] = value
            self.dirty = True
            for observer in list(self._observers):
                # The current value, not `value`: an observer may have set it again.
                observer(key, self.values[key])
        return None

    def save(self) -> Phrase | None:
        """Write the file atomically; returns the error for the user, or None on success."""
        if self.path is None:
            return None
        data = {**self._unknown, **self.values}
        text = json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(self.path, text)
        except OSError as exc:
            return _phrase(QT_TRANSLATE_NOOP("Settings", "Could not save the settings to %1 (%2)."),
                           self.path, exc.strerror or exc)
        self.dirty = False
        return None

    def provider_options(self) -> dict[str, Any]:
        """The StreamTarget options these settings imply (timeouts and proxy)."""
        options: dict[str, Any] = {"connect_timeout": self["connect_timeout"],
                                   "read_timeout": self["read_timeout"]}
        if self["proxy"]:
            options["proxy"] = self["proxy"]
        return options
