"""The model picker (Ctrl+M) shows each model's context length and marks thinking models,
from what the servers say over real HTTP."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from opchat_gui.config.keystore import NO_KEYRING_ENV
from opchat_gui.ui.dialogs.provider_picker import short_count
from tests.conftest import wait_until


@pytest.fixture(autouse=True)
def no_keyring(monkeypatch):
    monkeypatch.setenv(NO_KEYRING_ENV, "1")


def texts(picker) -> dict[tuple[str, str], str]:
    return {picker.list.item(i).data(Qt.ItemDataRole.UserRole): picker.list.item(i).text()
            for i in range(picker.list.count())}


@pytest.mark.parametrize(("server", "large", "small"), [
    ("openrouter", "context 32k · thinks", "context 8k"),  # /models context_length
    ("ollama", "context 32k · thinks", "context 8k"),  # asked per model: /api/show
    ("lmstudio", "context 32k", "context 8k"),  # /api/v0/models
])
def test_picker_shows_context_length_and_thinking(open_app, server, openai_server, run,
                                                  large, small):
    session = open_app("--url", openai_server.url)
    local = session.providers.save({"name": "Local", "kind": "openai", "model": "demo-model",
                                    "url": openai_server.play_url("demo", server=server,
                                                                  ctx=8192)})
    window = session.window
    QTest.keyClick(window.composer, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    picker = window.picker
    run(wait_until(lambda: "context" in texts(picker).get((local.id, "demo-large"), ""),
                   what="the model facts"))
    shown = texts(picker)
    assert shown[(local.id, "demo-large")] == f"Local · demo-large  ·  {large}"
    assert shown[(local.id, "demo-model")] == f"Local · demo-model  ·  {small}"
    QTest.keyClick(picker.filter, Qt.Key.Key_Escape)


def test_a_server_that_says_nothing_shows_plain_names(open_app, server, openai_server, run):
    session = open_app("--url", server.url)
    local = session.providers.save({"name": "Local", "kind": "openai", "model": "demo-model",
                                    "url": openai_server.url})
    window = session.window
    QTest.keyClick(window.composer, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    picker = window.picker
    run(wait_until(lambda: (local.id, "demo-large") in texts(picker), what="the list"))
    run(wait_until(lambda: not session.providers._tasks, what="the facts asked"))
    assert texts(picker)[(local.id, "demo-large")] == "Local · demo-large"


def test_short_counts():
    assert [short_count(n) for n in (512, 4096, 128000, 131072, 1048576)] == \
        ["512", "4k", "128k", "128k", "1M"]
