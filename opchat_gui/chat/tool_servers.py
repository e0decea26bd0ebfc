"""The tool servers as the settings page edits them: add, edit, enable or disable, remove,
test (start it and list its tools, or say why it could not start) and revoke "Always
allow". Secrets are never shown back: a stored `env` or `headers` value reads as
SECRET_MARKER, and a marker left as it is keeps the stored value.
"""

from __future__ import annotations

import asyncio
import logging
import shlex
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Signal

from opchat_gui.core.text import fill
from opchat_gui.tools.errors import ToolServerError
from opchat_gui.tools.host import ToolHost
from opchat_gui.tools.server_config import SECRET_MARKER, ServerConfig, looks_secret, parse_entry

log = logging.getLogger(__name__)
translate = QCoreApplication.translate  # lupdate reads translate("Context", "text")


def pairs_text(values: dict[str, str], separator: str) -> str:
    """`NAME=value` (env) or `Name: value` (headers) lines; secrets as the marker."""
    return "\n".join(f"{key}{separator}{SECRET_MARKER if looks_secret(key, value) else value}"
                     for key, value in values.items())


def parse_pairs(text: str, separator: str, what: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        key, found, value = line.partition(separator)
        if not found or not key.strip():
            raise ValueError(fill(translate("ToolServers", "%1, line %2: write it as NAME%3value"),
                                  what, number, separator.rstrip()))
        out[key.strip()] = value.strip()
    return out


class ToolServers(QObject):
    changed = Signal()
    tested = Signal(str, bool, str)  # server, whether it started, what to show

    def __init__(self, host: ToolHost | None, problem: str = "",
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.host = host
        self.problem = problem  # why there is no host (the file could not be read)
        self._tests: set[asyncio.Task[None]] = set()

    def names(self) -> list[str]:
        return self.host.config.names() if self.host is not None else []

    def entry(self, name: str) -> ServerConfig | None:
        return self.host.config.servers.get(name) if self.host is not None else None

    def form_values(self, name: str) -> dict[str, str]:
        """What the form shows for a server (secrets as the marker)."""
        entry = self.entry(name)
        if entry is None:
            return {"name": "", "command": "", "args": "", "env": "", "cwd": "", "url": "",
                    "headers": ""}
        return {"name": entry.name, "command": entry.command,
                "args": shlex.join(entry.args), "env": pairs_text(dict(entry.env), "="),
                "cwd": entry.cwd or "", "url": entry.url,
                "headers": pairs_text(dict(entry.headers), ": ")}

    def save(self, old_name: str, values: dict[str, str]) -> str:
        """Add or replace a server from the form; "" when saved, else why not (nothing is
        changed then)."""
        if self.host is None:
            return self.problem
        name = values.get("name", "").strip()
        if not name:
            return translate("ToolServers", "A tool server needs a name.")
        if name != old_name and name in self.host.config.servers:
            return fill(translate("ToolServers", "There is already a tool server named %1."), name)
        old = self.entry(old_name)
        try:
            env = parse_pairs(values.get("env", ""), "=",
                              translate("ToolServers", "Environment"))
            headers = parse_pairs(values.get("headers", ""), ":",
                                  translate("ToolServers", "Headers"))
            args = shlex.split(values.get("args", ""))
        except ValueError as exc:
            return str(exc)
        for stored, given in ((old.env if old else {}, env),
                              (old.headers if old else {}, headers)):
            for key, value in list(given.items()):
                if value == SECRET_MARKER:
                    if key not in stored:
                        return fill(translate("ToolServers", "Type the value of %1: no "
                                              "value is stored for it."), key)
                    given[key] = stored[key]
        raw: dict[str, Any] = {"command": values.get("command", "").strip(), "args": args,
                               "env": env, "cwd": values.get("cwd", "").strip() or None,
                               "url": values.get("url", "").strip(), "headers": headers}
        raw = {k: v for k, v in raw.items() if v not in ("", None, [], {})}
        try:
            entry = parse_entry(name, raw)
        except ToolServerError as exc:
            return exc.user_message
        if old is not None:
            entry = replace(entry, disabled=old.disabled, always_allow=old.always_allow,
                            extra=old.extra)
        try:
            if old is not None and name != old_name:
                self.host.config.remove(old_name)
            self.host.config.put(entry)
        except (OSError, ToolServerError) as exc:
            return fill(translate("ToolServers",
                                  "The tool servers file could not be saved: %1"), exc)
        self.changed.emit()
        return ""

    def remove(self, name: str) -> str:
        if self.host is None:
            return self.problem
        try:
            self.host.config.remove(name)
        except OSError as exc:
            return fill(translate("ToolServers",
                                  "The tool servers file could not be saved: %1"), exc)
        self.changed.emit()
        return ""

    def set_enabled(self, name: str, enabled: bool) -> str:
        if self.host is None or name not in self.host.config.servers:
            return self.problem
        try:
            self.host.config.set_disabled(name, not enabled)
        except OSError as exc:
            return fill(translate("ToolServers",
                                  "The tool servers file could not be saved: %1"), exc)
        self.changed.emit()
        return ""

    def revoke(self, name: str, tool: str) -> str:
        """Forget "Always allow" for one tool: its next call asks again."""
        if self.host is None or name not in self.host.config.servers:
            return self.problem
        try:
            self.host.config.allow_always(name, tool, False)
        except OSError as exc:
            return fill(translate("ToolServers",
                                  "The tool servers file could not be saved: %1"), exc)
        self.changed.emit()
        return ""

    def test(self, name: str) -> None:
        """Start the server (if it is not running) and list its tools; `tested` says."""
        if self.host is None or name not in self.host.config.servers:
            self.tested.emit(name, False, self.problem or fill(translate(
                "ToolServers", "No tool server is named %1."), name))
            return
        task = asyncio.get_event_loop().create_task(self._test(name))
        self._tests.add(task)
        task.add_done_callback(self._tests.discard)

    async def _test(self, name: str) -> None:
        assert self.host is not None
        try:
            tools = await self.host.connection(name).tools()
        except ToolServerError as exc:
            log.info("testing tool server %s: %s", name, exc)
            self.tested.emit(name, False, exc.user_message)
            return
        self.tested.emit(name, True, ", ".join(tool.name for tool in tools)
                         or translate("ToolServers", "(none)"))


__all__ = ["ToolServers", "pairs_text", "parse_pairs"]
