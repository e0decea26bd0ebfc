"""ProviderService: what the provider widgets need, so ui/ never touches aiohttp or files.

It wraps the ProviderConfig (entries, default, keys) and runs model listings on the
qasync loop, reporting back with signals.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import QObject, Signal

from opchat_gui.chat.context_meter import ContextSource
from opchat_gui.config import generation
from opchat_gui.config.provider_entries import (
    DEMO_ID,
    FIELDS,
    KIND_LABELS,
    Field,
    ProviderConfig,
    ProviderEntry,
    distinct_names,
    entry_from,
)
from opchat_gui.core.text import fill
from opchat_gui.providers.errors import ProviderError
from opchat_gui.providers.model_facts import ModelFacts, model_facts
from opchat_gui.providers.openai_compat import PRESETS, list_model_infos, probe
from opchat_gui.providers.target import StreamTarget
from opchat_gui.store import Conversation

log = logging.getLogger(__name__)
FACTS_MODELS = 8  # models whose facts are asked one by one when the list says none

__all__ = ["DEMO_ID", "FIELDS", "KIND_LABELS", "PRESETS", "Field", "ProviderEntry",
           "ProviderService"]


class ProviderService(QObject):
    changed = Signal()  # entries or the default changed
    modelsListed = Signal(str, object, str)  # provider id, list of model ids, error ("" if ok)
    notice = Signal(str)  # one line for the status bar (a local server became the default)

    def __init__(self, config: ProviderConfig,
                 app_options: Callable[[], Mapping[str, Any]] = dict,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.config = config
        self._app_options = app_options
        self._tasks: set[asyncio.Task[None]] = set()
        self.models: dict[str, list[str]] = {}
        self.facts: dict[str, dict[str, ModelFacts]] = {}  # per provider, per model
        self.probed = False  # a look for local servers has finished (at least once)
        self._probe: asyncio.Task[None] | None = None

    # For ChatService

    def target_for(self, conversation: Conversation) -> StreamTarget:
        """Read per reply, so an edited provider or proxy applies to the next reply."""
        return self.config.target_for(conversation.provider, conversation.model,
                                      self._app_options(),
                                      generation.loads(conversation.generation))

    def label_for(self, conversation: Conversation) -> str:
        """What the header shows: provider name and model, without touching any key."""
        entry = self.config.get(conversation.provider) or self.config.default()
        model = conversation.model or entry.model
        name = self.names().get(entry.id, entry.name)
        return f"{name} · {model}" if model else name

    def generation_for(self, conversation: Conversation) -> tuple[bool, dict[str, Any], str]:
        """For the generation editor: whether the conversation's provider takes generation
        settings at all, its defaults, and its name."""
        entry = self.config.get(conversation.provider) or self.config.default()
        return (entry.kind in generation.KINDS_TAKING_SETTINGS, dict(entry.generation),
                entry.name)

    def context_source(self, conversation: Conversation) -> ContextSource:
        """What the context estimate needs, without touching a key: the server, the
        model, the max_tokens in force and the context length set for the provider."""
        entry = self.config.get(conversation.provider) or self.config.default()
        values = generation.merged(entry.generation, generation.loads(conversation.generation))
        return ContextSource(entry.url if entry.kind == "openai" else "",
                             conversation.model or entry.model,
                             values.get("max_tokens") if entry.kind == "openai" else None,
                             entry.context_length)

    def new_defaults(self) -> dict[str, str]:
        entry = self.config.default()
        return {"provider": entry.id, "model": entry.model}

    # For the widgets

    def entries(self) -> list[ProviderEntry]:
        return self.config.all()

    def names(self) -> dict[str, str]:
        """Provider id -> the name to show, told apart from any other of the same name."""
        return distinct_names(self.config.all())

    def entry(self, provider_id: str) -> ProviderEntry | None:
        return self.config.get(provider_id)

    def chosen_for_run(self) -> bool:
        """Whether the command line chose this run's provider (--url, --demo)."""
        return self.config.run_default is not None

    def default_id(self) -> str:
        return self.config.default().id

    def is_runtime(self, provider_id: str) -> bool:
        return provider_id in self.config.runtime

    def has_secret(self, name: str, provider_id: str) -> bool:
        return bool(self.config.secret(name, provider_id))

    def keys_file(self) -> str:
        return str(self.config.secrets.path)

    def keys_in_keyring(self) -> bool:
        return self.config.secrets.in_keyring

    def save(self, values: dict[str, Any], provider_id: str | None = None) -> ProviderEntry:
        """Add (no id) or update an entry from a form's values; secrets go to the key store."""
        name = str(values.get("name") or "").strip() or "Provider"
        values = {**values, "name": name}
        entry, secrets = entry_from(values, provider_id or self.config.new_id(name))
        saved = self.config.put(entry, secrets)
        self.changed.emit()
        return saved

    def remove(self, provider_id: str) -> bool:
        removed = self.config.remove(provider_id)
        if removed:
            self.changed.emit()
        return removed

    def add_runtime(self, entry: ProviderEntry) -> None:
        """An entry for this run only (the demo server started from the welcome pane),
        made this run's default."""
        self.config.add_runtime(entry)
        self.changed.emit()

    def set_default(self, provider_id: str) -> None:
        self.config.set_default(provider_id)
        self.changed.emit()

    def list_models(self, provider_id: str, *, facts: bool = False) -> None:
        """Ask an OpenAI-compatible provider for its models; answers with modelsListed.
        `facts`: where the list says nothing of them, ask each model's (the picker)."""
        entry = self.config.get(provider_id)
        if entry is None or entry.kind != "openai":
            self.modelsListed.emit(provider_id, [], "")
            return
        target = self.config.target(entry, "", self._app_options())
        task = asyncio.get_event_loop().create_task(self._list(provider_id, target, facts))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _list(self, provider_id: str, target: StreamTarget, facts: bool) -> None:
        options = target.options
        base = str(options.get("base_url", ""))
        asking: dict[str, Any] = {"api_key": options.get("api_key"),
                                  "proxy": options.get("proxy") or None,
                                  "ca_file": options.get("ca_file") or None}
        try:
            infos = await list_model_infos(base, **asking)
        except ProviderError as exc:
            log.info("listing models of %s failed: %s", provider_id, exc)
            self.modelsListed.emit(provider_id, [], exc.user_message)
            return
        models = [info.id for info in infos]
        self.models[provider_id] = models
        self.facts[provider_id] = {info.id: info.facts for info in infos}
        self.modelsListed.emit(provider_id, models, "")
        if facts and infos and not any(info.facts.known for info in infos):
            # Ollama and LM Studio say nothing in /models: ask their own routes, per model.
            asked = infos[:FACTS_MODELS]
            found = await asyncio.gather(*(model_facts(base, info.id, **asking)
                                           for info in asked))
            self.facts[provider_id].update(
                {info.id: facts for info, facts in zip(asked, found, strict=True)})
            if any(facts.known for facts in found):
                self.modelsListed.emit(provider_id, models, "")

    def model_facts(self, provider_id: str, model: str) -> tuple[int | None, bool]:
        """What the picker shows of a listed model: its context length (None: not
        said) and whether it thinks."""
        facts = self.facts.get(provider_id, {}).get(model)
        if facts is None:
            return None, False
        return facts.context_length, bool(facts.thinks)

    async def add_local(self) -> None:
        """Offer the local servers that answer (loopback only); on every start.

        A server started after the app, or one a busy machine answered too slowly for last
        time, is found on a later look. While the default is still the shut-down
        Opchatgpts service, the first server found becomes the default, and `notice` says so.
        """
        found = await probe()
        log.info("local servers found: %s", [key for key, _ in found] or "none")
        self.config.add_found(found)
        self._prefer_local([key for key, _ in found])
        self.config.save()
        self.probed = True
        self.changed.emit()  # even with nothing new: the welcome pane says the look ended

    def look_for_local(self) -> None:
        """Probe again in the background (the picker opens), unless a probe is running."""
        if self._probe is not None and not self._probe.done():
            return
        self._probe = asyncio.get_event_loop().create_task(self.add_local())
        self._tasks.add(self._probe)
        self._probe.add_done_callback(self._tasks.discard)

    def _prefer_local(self, keys: list[str]) -> bool:
        """Make the first found server the default while Opchatgpts still is (not --url/--demo)."""
        config = self.config
        if config.run_default is not None or config.default().kind != "opchatgpts":
            return False
        entry = next((config.get(key) for key in keys if config.get(key) is not None), None)
        if entry is None:
            return False
        config.set_default(entry.id)
        log.info("%s at %s is now the default provider", entry.name, entry.url)
        self.notice.emit(fill(self.tr("Found %1 running at %2; new conversations use it now "
                                      "(Opchatgpts has shut down)."), entry.name, entry.url))
        return True

    async def shutdown(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
