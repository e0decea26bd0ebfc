"""Which providers and models have a chat template that opens the thinking in the prompt
(DeepSeek-R1's distills, QwQ: providers/reasoning.py), so their replies are taken as
thinking from the first token. Learnt from the replies themselves, kept in the history
file's small state (`kv`), so a restart remembers them too."""

from __future__ import annotations

import json
import logging
import sqlite3

from opchat_gui.providers.target import StreamTarget
from opchat_gui.store import History

log = logging.getLogger(__name__)

STATE_KEY = "prompt_opens_thinking"  # a JSON list of [provider class, address, model]
Key = tuple[str, str, str]


def thinking_key(target: StreamTarget) -> Key:
    """Which provider and model a reply comes from: its class, its address, its model."""
    options = target.options
    return (target.provider.__name__,
            str(options.get("base_url") or options.get("url") or ""), target.model)


class OpensThinking:
    def __init__(self, history: History) -> None:
        self._history = history
        self._keys = _read(history.get_state(STATE_KEY))

    def __contains__(self, key: Key) -> bool:
        return key in self._keys

    def learn(self, key: Key, opens: bool) -> None:
        """What a reply showed; written at once when it changes what is known. A write
        that fails only costs the memory after a restart (the reply itself is saved by the
        stream engine, which reports a failing disk)."""
        before = set(self._keys)
        if opens:
            self._keys.add(key)
        else:
            self._keys.discard(key)
        if self._keys == before:
            return
        try:
            self._history.set_state(STATE_KEY, json.dumps(sorted(self._keys)))
        except sqlite3.Error as exc:
            log.warning("could not keep which models open their thinking: %s", exc)


def _read(stored: str | None) -> set[Key]:
    """The keys in the stored JSON (broken or missing: none)."""
    try:
        keys = json.loads(stored or "[]")
    except ValueError:
        return set()
    if not isinstance(keys, list):
        return set()
    return {(str(k[0]), str(k[1]), str(k[2])) for k in keys
            if isinstance(k, list) and len(k) == 3}
