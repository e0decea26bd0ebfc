"""The user's providers: a human-readable JSON file, one declarative field table, a resolver.

`FIELDS` is the one table the settings page is built from and `ProviderEntry` is what
it edits. `ProviderConfig.target_for(conversation)` turns a conversation's stored
provider id and model into the StreamTarget ChatService streams from. Keys and proxy
passwords never enter the file: they live in the KeyStore under a reference.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from opchat_gui.config import generation
from opchat_gui.config.keystore import SecretStore
from opchat_gui.core.files import write_atomic
from opchat_gui.core.text import QT_TRANSLATE_NOOP
from opchat_gui.providers.aiengine import DEFAULT_MAX_INPUT_CHARS, AIEngine
from opchat_gui.providers.base import AsyncGeneratorProvider
from opchat_gui.providers.opchatgpts import Opchatgpts
from opchat_gui.providers.openai_compat import PRESETS, OpenAICompatible
from opchat_gui.providers.target import StreamTarget

log = logging.getLogger(__name__)

FILE_NAME = "providers.json"
# 2: AI Engine entries send the new turn only in `newMessage` (version 1 files said
# new_shape false by default, which made plugins 2.4+ show the model every turn twice).
FILE_VERSION = 2
KINDS = ("aiengine", "openai", "opchatgpts")


KIND_LABELS = {
    "aiengine": QT_TRANSLATE_NOOP("ProvidersPage", "AI Engine site"),
    "openai": QT_TRANSLATE_NOOP("ProvidersPage", "OpenAI-compatible"),
    "opchatgpts": QT_TRANSLATE_NOOP("ProvidersPage", "Opchatgpts (reference client)"),
}
DEMO_ID = "demo"


@dataclass(frozen=True)
class Field:
    """One editable setting of a provider entry: the settings page is built from these."""

    name: str
    label: str
    kind: str  # "text" | "choice" | "bool" | "secret"
    kinds: tuple[str, ...] = KINDS  # which provider kinds show it
    help: str = ""
    choices: tuple[str, ...] = ()


FIELDS: tuple[Field, ...] = (
    Field("name", QT_TRANSLATE_NOOP("ProvidersPage", "Name"), "text",
          help=QT_TRANSLATE_NOOP("ProvidersPage", "What the picker and the header call it.")),
    Field("kind", QT_TRANSLATE_NOOP("ProvidersPage", "Kind"), "choice", choices=KINDS,
          help=QT_TRANSLATE_NOOP("ProvidersPage", "AI Engine: a WordPress chatbot site. "
                                 "OpenAI-compatible: Ollama, LM Studio, llama.cpp, OpenAI, "
                                 "OpenRouter and the like.")),
    Field("url", QT_TRANSLATE_NOOP("ProvidersPage", "Address"), "text",
          help=QT_TRANSLATE_NOOP("ProvidersPage", "AI Engine: the site's base URL. "
                                 "OpenAI-compatible: the API base, e.g. "
                                 "http://localhost:11434/v1.")),
    Field("model", QT_TRANSLATE_NOOP("ProvidersPage", "Model"), "text", ("openai",),
          help=QT_TRANSLATE_NOOP("ProvidersPage", "The default model for new conversations.")),
    Field("api_key", QT_TRANSLATE_NOOP("ProvidersPage", "API key"), "secret", ("openai",),
          help=QT_TRANSLATE_NOOP("ProvidersPage", "Kept in the system keyring (or a private "
                                 "file), never in the settings file.")),
    Field("bot_id", QT_TRANSLATE_NOOP("ProvidersPage", "Bot id"), "text", ("aiengine",),
          help=QT_TRANSLATE_NOOP("ProvidersPage", "Usually “default”.")),
    Field("custom_id", QT_TRANSLATE_NOOP("ProvidersPage", "Custom id"), "text", ("aiengine",),
          help=QT_TRANSLATE_NOOP("ProvidersPage", "The 32-hex id of a shortcode bot; leave "
                                 "empty otherwise.")),
    Field("prefix", QT_TRANSLATE_NOOP("ProvidersPage", "Path prefix"), "text", ("aiengine",),
          help=QT_TRANSLATE_NOOP("ProvidersPage", "Where WordPress lives under the site, e.g. "
                                 "/chatgpt; usually empty.")),
    Field("page", QT_TRANSLATE_NOOP("ProvidersPage", "Chatbot page"), "text", ("aiengine",),
          help=QT_TRANSLATE_NOOP("ProvidersPage", "The page that shows the site's chatbot, as "
                                 "an address or a path such as /chat/. Sites that want a "
                                 "security token print it only there; empty means the home "
                                 "page.")),
    Field("max_input_chars", QT_TRANSLATE_NOOP("ProvidersPage", "Input limit (characters)"),
          "text", ("aiengine",),
          help=QT_TRANSLATE_NOOP("ProvidersPage", "The bot's limit on one message; a longer "
                                 "one is refused before it is sent. The plugin's default is "
                                 "512; 0 means no limit.")),
    Field("new_shape", QT_TRANSLATE_NOOP("ProvidersPage", "Send the new turn separately"),
          "bool", ("aiengine",),
          help=QT_TRANSLATE_NOOP("ProvidersPage", "On (right for every plugin version): the "
                                 "history without the new message, which goes on its own, as "
                                 "the plugin's web client sends it. Off makes plugin 2.4 and "
                                 "later show the model the new message twice.")),
    Field("context_length", QT_TRANSLATE_NOOP("ProvidersPage", "Context length (tokens)"),
          "text", ("openai",),
          help=QT_TRANSLATE_NOOP("ProvidersPage", "How many tokens the model reads at once. "
                                 "Empty: as the server says (llama.cpp, Ollama, LM Studio and "
                                 "OpenRouter tell it); set it for a server that does not.")),
    Field("proxy", QT_TRANSLATE_NOOP("ProvidersPage", "Proxy"), "text",
          help=QT_TRANSLATE_NOOP("ProvidersPage", "http://, https:// or socks5://host:port, "
                                 "with user@ if it needs one; empty uses the global proxy.")),
    Field("proxy_password", QT_TRANSLATE_NOOP("ProvidersPage", "Proxy password"), "secret",
          help=QT_TRANSLATE_NOOP("ProvidersPage", "Kept in the system keyring (or a private "
                                 "file), never in the settings file.")),
    Field("ca_file", QT_TRANSLATE_NOOP("ProvidersPage", "CA certificate file"), "text",
          help=QT_TRANSLATE_NOOP("ProvidersPage", "A PEM file to trust as well, for a server "
                                 "with its own (self-signed) certificate; usually empty.")),
)
SECRET_FIELDS = frozenset(f.name for f in FIELDS if f.kind == "secret")


@dataclass(frozen=True)
class ProviderEntry:
    id: str
    name: str
    kind: str = "aiengine"
    url: str = ""
    model: str = ""
    bot_id: str = "default"
    custom_id: str = ""
    prefix: str = ""
    new_shape: bool = True
    page: str = ""
    max_input_chars: int = DEFAULT_MAX_INPUT_CHARS  # 0: no limit known
    proxy: str = ""
    ca_file: str = ""
    context_length: int = 0  # tokens; 0: as the server says
    # Generation defaults for this provider's conversations (config/generation.py).
    generation: dict[str, Any] = field(default_factory=dict)

    def label(self, model: str = "") -> str:
        model = model or self.model
        return f"{self.name} · {model}" if model else self.name


def distinct_names(entries: list[ProviderEntry]) -> dict[str, str]:
    """Each entry's name as a picker should show it: a name two entries share gets what
    tells them apart (the host, then the path, the bot or custom id), so two providers
    on one host, or two bots of one site, do not read the same."""
    names: dict[str, str] = {}
    by_name: dict[str, list[ProviderEntry]] = {}
    for entry in entries:
        by_name.setdefault(entry.name, []).append(entry)
    for name, group in by_name.items():
        if len(group) == 1:
            names[group[0].id] = name
            continue
        details = {entry.id: _details(entry) for entry in group}
        for entry in group:
            parts = details[entry.id]
            # The fewest leading details that no other entry of the group shares.
            for count in range(1, len(parts) + 1):
                if sum(details[other.id][:count] == parts[:count] for other in group) == 1:
                    break
            shown = " · ".join(part for part in parts[:count] if part) or entry.id
            names[entry.id] = f"{name} ({shown})"
    return names


def _details(entry: ProviderEntry) -> list[str]:
    parts = urlsplit(entry.url)
    bot = "" if entry.bot_id in ("", "default") or entry.kind != "aiengine" else entry.bot_id
    return [parts.netloc or entry.url, parts.path.rstrip("/"), bot, entry.custom_id,
            entry.prefix, entry.id]


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "provider"


def strip_password(proxy: str) -> tuple[str, str]:
    """(the proxy URL without its password, the password) so only the first is stored."""
    parts = urlsplit(proxy)
    if parts.password is None:
        return proxy, ""
    netloc = parts.hostname or ""
    if parts.port:
        netloc += f":{parts.port}"
    if parts.username:
        netloc = f"{parts.username}@{netloc}"
    return urlunsplit(parts._replace(netloc=netloc)), parts.password


def with_password(proxy: str, password: str | None) -> str:
    if not proxy or not password:
        return proxy
    parts = urlsplit(proxy)
    if not parts.username:
        return proxy
    netloc = f"{parts.username}:{password}@{parts.hostname}" + (
        f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


def input_limit(value: object) -> int:
    """A settings value as an input limit: a count, 0 for none, the default if unreadable."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return 0
    try:
        number = int(str(value).strip())
    except ValueError:
        return DEFAULT_MAX_INPUT_CHARS
    return max(0, number)


def token_count(value: object) -> int:
    """A settings value as a context length: a positive count, else 0 ("as the server
    says"); unreadable text counts as unset too, and the page refuses it before saving."""
    try:
        number = int(str(value).strip()) if value is not None else 0
    except ValueError:
        return 0
    return max(0, number)


def migrate(item: dict[str, Any], version: int) -> dict[str, Any]:
    """One stored entry brought up to FILE_VERSION."""
    item = dict(item)
    if version < 2 and item.get("kind", "aiengine") == "aiengine" \
            and urlsplit(str(item.get("url") or "")).hostname != "opchatgpts.net":
        item["new_shape"] = True  # the only shape every plugin version reads right
    if "max_input_chars" in item:
        item["max_input_chars"] = input_limit(item["max_input_chars"])
    if "context_length" in item:
        item["context_length"] = token_count(item["context_length"])
    if "generation" in item:
        item["generation"] = generation.cleaned(item["generation"])
    return item


def opchatgpts_entry() -> ProviderEntry:
    """The reference client on its own site (an empty URL means the preset's)."""
    return ProviderEntry("opchatgpts", "AI Engine (Opchatgpts)", "opchatgpts", "")


class ProviderConfig:
    """The providers file plus the keys, and the resolver from conversations to targets."""

    def __init__(self, path: Path, secrets: SecretStore) -> None:
        self.path = path
        self.secrets = secrets
        self.entries: list[ProviderEntry] = [opchatgpts_entry()]
        self.default_id = "opchatgpts"
        self.runtime: dict[str, ProviderEntry] = {}  # this run only (the demo server)
        self.run_default: str | None = None  # --url / --demo: this run's default, not saved
        self.first_run = not path.exists()

    @classmethod
    def load(cls, config_dir: Path, secrets: SecretStore) -> ProviderConfig:
        config = cls(config_dir / FILE_NAME, secrets)
        if config.first_run:
            return config
        try:
            data = json.loads(config.path.read_text(encoding="utf-8"))
            version = int(data.get("version") or 1)
            known = {f.name for f in fields(ProviderEntry)}
            entries = [ProviderEntry(**{k: v for k, v in migrate(item, version).items()
                                        if k in known})
                       for item in data.get("providers", [])]
        except (OSError, ValueError, TypeError, AttributeError) as exc:
            log.warning("%s could not be read (%s); using the built-in providers",
                        config.path, exc)
            return config
        config.entries = entries or config.entries
        config.default_id = str(data.get("default") or config.entries[0].id)
        if version < FILE_VERSION:
            log.info("%s: provider entries migrated from version %d to %d", config.path,
                     version, FILE_VERSION)
            config.save()
        return config

    def save(self) -> bool:
        """Write the file atomically; False (logged) when the folder cannot be written."""
        try:
            self._write()
        except OSError as exc:
            log.warning("could not save %s: %s", self.path, exc.strerror or exc)
            return False
        self.first_run = False
        return True

    def _write(self) -> None:
        data = {"version": FILE_VERSION, "default": self.default_id,
                "providers": [asdict(entry) for entry in self.entries]}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(self.path, json.dumps(data, indent=2, ensure_ascii=False) + "\n")

    # Entries

    def all(self) -> list[ProviderEntry]:
        return [*self.runtime.values(), *self.entries]

    def get(self, provider_id: str) -> ProviderEntry | None:
        return next((e for e in self.all() if e.id == provider_id), None)

    def default(self) -> ProviderEntry:
        return (self.get(self.run_default or "") or self.get(self.default_id)
                or self.all()[0])

    def new_id(self, name: str) -> str:
        base, taken = slug(name), {e.id for e in self.all()}
        candidate, number = base, 2
        while candidate in taken:
            candidate, number = f"{base}-{number}", number + 1
        return candidate

    def put(self, entry: ProviderEntry, secrets: dict[str, str] | None = None) -> ProviderEntry:
        """Add or replace an entry; a password typed into the proxy URL moves to the store."""
        proxy, password = strip_password(entry.proxy)
        entry = replace(entry, proxy=proxy)
        secrets = dict(secrets or {})
        if password:
            secrets["proxy_password"] = password
        for name, value in secrets.items():
            if name in SECRET_FIELDS and value is not None:
                self.secrets.set(f"{name}:{entry.id}", value)
        for index, existing in enumerate(self.entries):
            if existing.id == entry.id:
                self.entries[index] = entry
                break
        else:
            self.entries.append(entry)
        self.save()
        return entry

    def remove(self, provider_id: str) -> bool:
        before = len(self.entries)
        self.entries = [e for e in self.entries if e.id != provider_id]
        if len(self.entries) == before:
            return False
        for name in SECRET_FIELDS:
            self.secrets.delete(f"{name}:{provider_id}")
        if not self.entries:
            self.entries = [opchatgpts_entry()]
        if self.default_id == provider_id:
            self.default_id = self.entries[0].id
        self.save()
        return True

    def set_default(self, provider_id: str) -> None:
        """The user's choice: saved, and it also wins over this run's --url/--demo default."""
        if self.get(provider_id) is None:
            return
        self.run_default = None
        if provider_id in self.runtime:
            self.run_default = provider_id
        else:
            self.default_id = provider_id
            self.save()

    def secret(self, name: str, provider_id: str) -> str:
        return self.secrets.get(f"{name}:{provider_id}") or ""

    def ensure_site(self, url: str) -> ProviderEntry:
        """The AI Engine entry for `url` (--url), created if new; this run's default."""
        url = url.rstrip("/")
        entry = next((e for e in self.entries if e.kind == "aiengine" and e.url == url), None)
        if entry is None:
            name = urlsplit(url).netloc or url
            entry = self.put(ProviderEntry(self.new_id(name), f"AI Engine · {name}",
                                           "aiengine", url))
        self.run_default = entry.id
        return entry

    def add_runtime(self, entry: ProviderEntry) -> None:
        """An entry for this run only (the demo server), made this run's default."""
        self.runtime[entry.id] = entry
        self.run_default = entry.id

    def add_found(self, found: list[tuple[str, list[str]]]) -> list[ProviderEntry]:
        """Entries for local servers the first-run probe found (one per preset)."""
        presets = {p.key: p for p in PRESETS}
        added: list[ProviderEntry] = []
        for key, models in found:
            preset = presets.get(key)
            if preset is None or self.get(key) is not None:
                continue
            added.append(self.put(ProviderEntry(key, preset.name, "openai", preset.base_url,
                                                models[0] if models else "")))
        return added

    # Resolving

    def target_for(self, provider_id: str, model: str = "",
                   defaults: Mapping[str, Any] | None = None,
                   overrides: Mapping[str, Any] | None = None) -> StreamTarget:
        """`overrides`: the conversation's generation settings, over the entry's."""
        entry = self.get(provider_id) or self.default()
        return self.target(entry, model, defaults, overrides)

    def target(self, entry: ProviderEntry, model: str = "",
               defaults: Mapping[str, Any] | None = None,
               overrides: Mapping[str, Any] | None = None) -> StreamTarget:
        """The call for `entry`; `defaults` are the app-wide options (timeouts, global proxy)."""
        model = model or entry.model
        options: dict[str, Any] = dict(defaults or {})
        options.update(generation.request_options(
            entry.kind, generation.merged(entry.generation, overrides or {})))
        if entry.proxy:
            options["proxy"] = with_password(entry.proxy,
                                             self.secret("proxy_password", entry.id))
        elif options.get("proxy"):
            options["proxy"] = with_password(str(options["proxy"]),
                                             self.secret("proxy_password", "global"))
        if entry.ca_file:
            options["ca_file"] = entry.ca_file
        provider: type[AsyncGeneratorProvider]
        if entry.kind == "openai":
            provider = OpenAICompatible
            options.update(base_url=entry.url, api_key=self.secret("api_key", entry.id) or None)
        elif entry.kind == "opchatgpts":
            provider = Opchatgpts
            if entry.url:
                options["url"] = entry.url
        else:
            provider = AIEngine
            options.update(url=entry.url, bot_id=entry.bot_id, custom_id=entry.custom_id or None,
                           prefix=entry.prefix, new_shape=entry.new_shape, page=entry.page,
                           max_input_chars=entry.max_input_chars or None)
        return StreamTarget(provider, model, options, entry.label(model), entry.kind)

    def keep_global_proxy_password(self, proxy: str) -> str:
        """Move a password typed into the global proxy setting into the key store."""
        stripped, password = strip_password(proxy)
        if password:
            self.secrets.set("proxy_password:global", password)
        return stripped


def entry_from(values: dict[str, Any], provider_id: str) -> tuple[ProviderEntry, dict[str, str]]:
    """An entry and its secrets from a settings form's values (keyed by FIELDS names)."""
    known = {f.name for f in fields(ProviderEntry)}
    plain = {k: v for k, v in values.items() if k in known and k != "id"}
    if "max_input_chars" in plain:
        plain["max_input_chars"] = input_limit(plain["max_input_chars"])
    if "context_length" in plain:
        plain["context_length"] = token_count(plain["context_length"])
    if "generation" in plain:
        plain["generation"] = generation.cleaned(plain["generation"])
    secrets = {k: str(v) for k, v in values.items() if k in SECRET_FIELDS and v}
    return ProviderEntry(provider_id, **plain), secrets


__all__ = ["DEMO_ID", "FIELDS", "KINDS", "KIND_LABELS", "Field", "ProviderConfig",
           "ProviderEntry", "entry_from", "strip_password", "with_password"]
