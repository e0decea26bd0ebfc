"""The tool servers file: Claude Desktop's `mcpServers` shape, with the secrets moved out.

    {"mcpServers": {
        "git":  {"command": "uvx", "args": ["mcp-server-git"], "env": {...}, "cwd": "..."},
        "docs": {"url": "https://example.org/mcp", "headers": {"Authorization": "..."}},
        "old":  {"command": "...", "disabled": true, "alwaysAllow": ["read_file"]}}}

Any file in that shape (Claude Desktop's own, Cursor's, Cline's) can be imported as is.
`disabled` and `alwaysAllow` are Cline's names for the two things this app adds; `type`
(`stdio`, `http`/`streamable-http`) is accepted as the peers write it.

Values in `env` and `headers` that look like secrets (by name, or by looking like a
token) are kept in the key store under `mcp:<server>:env:<NAME>` / `...:header:<Name>`;
the file holds `SECRET_MARKER` in their place. A file edited by hand with a secret in it
has the secret moved out on the next load.

Nothing is lost: unknown keys, at the top and in each entry, are written back as they
were; an entry this app cannot use is kept verbatim and reported, not dropped; a file
that is not valid JSON, or not this shape, raises `ServersFileError` and is never
overwritten.
"""

from __future__ import annotations

import json
import logging
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol

from opchat_gui.core.redact import register_secret
from opchat_gui.tools.errors import ServerConfigError, ServersFileError

log = logging.getLogger(__name__)

SECRET_MARKER = "<in the key store>"
_KNOWN = frozenset({"command", "args", "env", "cwd", "url", "headers", "type", "disabled",
                    "alwaysAllow"})
_SECRET_NAME = re.compile(r"(?i)(key|token|secret|passw|pwd|auth|credential|cookie|session"
                          r"|bearer|private|(^|_)pat($|_))")
_URL_PASSWORD = re.compile(r"://[^/\s:@]+:[^@\s/]+@")
_HTTP_TYPES = frozenset({"http", "streamable-http", "streamable_http", "streamableHttp"})


class Secrets(Protocol):
    """What the key store offers (config.keystore.SecretStore fits)."""

    def get(self, ref: str) -> str | None: ...

    def set(self, ref: str, value: str) -> None: ...

    def delete(self, ref: str) -> None: ...


def looks_secret(name: str, value: str) -> bool:
    """A secret by its name (…_KEY, …TOKEN, Authorization) or by its look (a long token)."""
    if _SECRET_NAME.search(name) or _URL_PASSWORD.search(value):
        return True
    token = value.removeprefix("Bearer ").strip()
    return (len(token) >= 20 and not re.search(r"[\s/\\]", token)
            and bool(re.search(r"[A-Za-z]", token)) and bool(re.search(r"\d", token)))


@dataclass(frozen=True)
class ServerConfig:
    """One server as this app runs it: secrets resolved, ready to start."""

    name: str
    command: str = ""
    args: tuple[str, ...] = ()
    env: Mapping[str, str] = field(default_factory=dict)
    cwd: str | None = None
    url: str = ""
    headers: Mapping[str, str] = field(default_factory=dict)
    disabled: bool = False
    always_allow: tuple[str, ...] = ()
    extra: Mapping[str, Any] = field(default_factory=dict)  # keys this app does not know

    @property
    def transport(self) -> str:
        return "http" if self.url else "stdio"


@dataclass(frozen=True)
class InvalidServer:
    """An entry this app cannot use, kept exactly as written so saving does not lose it."""

    name: str
    raw: Any
    problem: ServerConfigError


def _strings(value: Any, what: str, name: str) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict) or not all(isinstance(k, str) for k in value):
        raise ServerConfigError(name, f"“{what}” must be an object of names and texts")
    out: dict[str, str] = {}
    for key, item in value.items():
        if not isinstance(item, str | int | float | bool):
            raise ServerConfigError(name, f"“{what}.{key}” must be a text")
        out[key] = item if isinstance(item, str) else json.dumps(item)
    return out


def parse_entry(name: str, raw: Any) -> ServerConfig:
    """One `mcpServers` entry as written (secrets still inline or as markers)."""
    if not isinstance(raw, dict):
        raise ServerConfigError(name, "the entry must be an object")
    command, url = raw.get("command"), raw.get("url")
    kind = raw.get("type")
    if kind == "sse":
        raise ServerConfigError(name, "the SSE transport is not supported; use streamable HTTP "
                                      "or stdio")
    if kind is not None and kind != "stdio" and kind not in _HTTP_TYPES:
        raise ServerConfigError(name, f"unknown transport type “{kind}”")
    if not (isinstance(command, str) and command.strip()) and not (
            isinstance(url, str) and url.strip()):
        raise ServerConfigError(name, "it needs a “command” to run or a “url” to connect to")
    if isinstance(url, str) and url and not re.match(r"(?i)https?://", url):
        raise ServerConfigError(name, f"the url “{url}” is not an http:// or https:// address")
    args = raw.get("args", [])
    if not isinstance(args, list) or not all(isinstance(a, str | int | float) for a in args):
        raise ServerConfigError(name, "“args” must be a list of texts")
    cwd = raw.get("cwd")
    if cwd is not None and not isinstance(cwd, str):
        raise ServerConfigError(name, "“cwd” must be a text")
    allow = raw.get("alwaysAllow", [])
    if not isinstance(allow, list) or not all(isinstance(a, str) for a in allow):
        raise ServerConfigError(name, "“alwaysAllow” must be a list of tool names")
    is_url = isinstance(url, str) and bool(url.strip()) and not (
        isinstance(command, str) and command.strip() and kind in (None, "stdio"))
    return ServerConfig(
        name=name,
        command="" if is_url else str(command).strip(),
        args=() if is_url else tuple(str(a) for a in args),
        env=_strings(raw.get("env"), "env", name),
        cwd=cwd or None,
        url=str(url).strip() if is_url else "",
        headers=_strings(raw.get("headers"), "headers", name),
        disabled=bool(raw.get("disabled", False)),
        always_allow=tuple(dict.fromkeys(allow)),
        extra={k: v for k, v in raw.items() if k not in _KNOWN},
    )


def _secret_ref(server: str, where: str, name: str) -> str:
    return f"mcp:{server}:{where}:{name}"


class ServersConfig:
    """The servers file plus its secrets. Load, change, save; never loses what it read."""

    def __init__(self, path: Path, secrets: Secrets) -> None:
        self.path = path
        self.secrets = secrets
        self.servers: dict[str, ServerConfig] = {}
        self.invalid: dict[str, InvalidServer] = {}
        self.order: list[str] = []  # as in the file, valid and invalid together
        self.top_extra: dict[str, Any] = {}
        self._read = False  # only a file that was read (or did not exist) is ever written

    @classmethod
    def load(cls, path: Path, secrets: Secrets) -> ServersConfig:
        """The file's servers (none when it does not exist yet); ServersFileError if unreadable."""
        config = cls(path, secrets)
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            config._read = True
            return config
        except (OSError, UnicodeDecodeError) as exc:
            raise ServersFileError(str(path), str(exc)) from exc
        moved = config._absorb(_parse_file(text, str(path)))
        config._read = True
        if moved:
            config.save()
        return config

    def _absorb(self, data: dict[str, Any]) -> bool:
        """Take the file's content in; True when inline secrets were moved to the key store."""
        self.top_extra = {k: v for k, v in data.items() if k != "mcpServers"}
        moved = False
        for name, raw in (data.get("mcpServers") or {}).items():
            try:
                entry = parse_entry(name, raw)
            except ServerConfigError as problem:
                log.warning("tool server %s: %s", name, problem.detail)
                self.invalid[name] = InvalidServer(name, raw, problem)
            else:
                entry, inline = self._resolve(entry)
                moved = moved or inline
                self.servers[name] = entry
            self.order.append(name)
        return moved

    def _resolve(self, entry: ServerConfig) -> tuple[ServerConfig, bool]:
        """Markers replaced by the key store's values; True when a secret was written inline."""
        inline = False
        resolved: dict[str, dict[str, str]] = {}
        for where, values in (("env", entry.env), ("header", entry.headers)):
            out: dict[str, str] = {}
            for key, value in values.items():
                ref = _secret_ref(entry.name, where, key)
                if value == SECRET_MARKER:
                    stored = self.secrets.get(ref)
                    if stored is None:
                        log.warning("tool server %s: the secret %s is missing from the key store",
                                    entry.name, key)
                        continue
                    out[key] = stored
                else:
                    if looks_secret(key, value):
                        inline = True
                        register_secret(value)
                    out[key] = value
            resolved[where] = out
        return replace(entry, env=resolved["env"], headers=resolved["header"]), inline

    # Changing

    def names(self) -> list[str]:
        return [n for n in self.order if n in self.servers]

    def enabled(self) -> list[ServerConfig]:
        return [self.servers[n] for n in self.names() if not self.servers[n].disabled]

    def put(self, entry: ServerConfig) -> None:
        """Add or replace a server (secrets inline in `entry`; they go to the key store)."""
        old = self.servers.get(entry.name)
        self.servers[entry.name] = entry
        self.invalid.pop(entry.name, None)
        if entry.name not in self.order:
            self.order.append(entry.name)
        if old is not None:
            self._forget_secrets(old, keep=entry)
        self.save()

    def remove(self, name: str) -> bool:
        entry = self.servers.pop(name, None)
        dropped = self.invalid.pop(name, None)
        if entry is None and dropped is None:
            return False
        self.order.remove(name)
        if entry is not None:
            self._forget_secrets(entry)
        self.save()
        return True

    def set_disabled(self, name: str, disabled: bool) -> None:
        self.put(replace(self.servers[name], disabled=disabled))

    def allow_always(self, name: str, tool: str, allowed: bool = True) -> None:
        """Remember (or revoke) "Always allow" for one tool of one server."""
        entry = self.servers[name]
        tools = [t for t in entry.always_allow if t != tool] + ([tool] if allowed else [])
        self.put(replace(entry, always_allow=tuple(tools)))

    def is_always_allowed(self, name: str, tool: str) -> bool:
        entry = self.servers.get(name)
        return entry is not None and tool in entry.always_allow

    def import_file(self, path: Path) -> tuple[list[str], list[str]]:
        """Take the servers of another app's file (Claude Desktop's...); (added, skipped).

        A name this file already has is skipped, never overwritten.
        """
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ServersFileError(str(path), str(exc)) from exc
        data = _parse_file(text, str(path))
        added: list[str] = []
        skipped: list[str] = []
        for name, raw in (data.get("mcpServers") or {}).items():
            if name in self.servers or name in self.invalid:
                skipped.append(name)
                continue
            try:
                entry = parse_entry(name, raw)
            except ServerConfigError as problem:
                self.invalid[name] = InvalidServer(name, raw, problem)
            else:
                self.servers[name] = self._resolve(entry)[0]
            self.order.append(name)
            added.append(name)
        if added:
            self.save()
        return added, skipped

    # Writing

    def _forget_secrets(self, entry: ServerConfig, keep: ServerConfig | None = None) -> None:
        for where, values in (("env", entry.env), ("header", entry.headers)):
            kept = (keep.env if where == "env" else keep.headers) if keep else {}
            for key in values:
                if key not in kept:
                    self.secrets.delete(_secret_ref(entry.name, where, key))

    def _entry_json(self, entry: ServerConfig) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if entry.url:
            out["url"] = entry.url
        else:
            out["command"] = entry.command
            out["args"] = list(entry.args)
        for where, label, values in (("env", "env", entry.env),
                                     ("header", "headers", entry.headers)):
            if not values:
                continue
            written: dict[str, str] = {}
            for key, value in values.items():
                if looks_secret(key, value):
                    self.secrets.set(_secret_ref(entry.name, where, key), value)
                    written[key] = SECRET_MARKER
                else:
                    written[key] = value
            out[label] = written
        if entry.cwd:
            out["cwd"] = entry.cwd
        if entry.disabled:
            out["disabled"] = True
        if entry.always_allow:
            out["alwaysAllow"] = list(entry.always_allow)
        out.update(entry.extra)
        return out

    def to_json(self) -> dict[str, Any]:
        servers: dict[str, Any] = {}
        for name in self.order:
            if name in self.servers:
                servers[name] = self._entry_json(self.servers[name])
            elif name in self.invalid:
                servers[name] = self.invalid[name].raw
        return {**self.top_extra, "mcpServers": servers}

    def save(self) -> None:
        """Write atomically (a temporary file, then a rename), private to the user.

        A file this object did not read (it was invalid, say) is never replaced.
        """
        if not self._read and self.path.exists():
            raise ServersFileError(str(self.path), "it was not read successfully, so it is "
                                                   "not overwritten")
        text = json.dumps(self.to_json(), indent=2, ensure_ascii=False) + "\n"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(self.path.name + ".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, self.path)

    def problems(self) -> Iterable[ServerConfigError]:
        return (self.invalid[n].problem for n in self.order if n in self.invalid)


def _parse_file(text: str, where: str) -> dict[str, Any]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ServersFileError(where, f"it is not valid JSON ({exc.msg} at line {exc.lineno}, "
                                      f"column {exc.colno})") from exc
    if not isinstance(data, dict):
        raise ServersFileError(where, "it must hold a JSON object")
    servers = data.get("mcpServers", {})
    if not isinstance(servers, dict):
        raise ServersFileError(where, "“mcpServers” must be an object of named servers")
    return data
