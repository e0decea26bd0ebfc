"""Choosing providers and models, the system prompt and the providers page, by keyboard only."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialogButtonBox

from opchat_gui.config.keystore import NO_KEYRING_ENV
from opchat_gui.ui.dialogs.providers_page import ProvidersPage
from tests.conftest import wait_until

CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture(autouse=True)
def no_keyring(monkeypatch):
    monkeypatch.setenv(NO_KEYRING_ENV, "1")


def send(window, text: str) -> None:
    QTest.keyClicks(window.composer, text)
    QTest.keyClick(window.composer, Qt.Key.Key_Return)


def finish(session, run) -> None:
    run(wait_until(lambda: not session.service.is_streaming(session.window.current_id)))


def test_ctrl_m_switches_provider_and_model_of_the_conversation(open_app, server,
                                                                openai_server, run):
    session = open_app("--url", server.url)
    window = session.window
    local = session.providers.save({"name": "Local", "kind": "openai", "url": openai_server.url,
                                    "model": "demo-model"})
    send(window, "first, to the AI Engine site")
    finish(session, run)
    assert len(server.requests) == 1
    assert f"AI Engine · 127.0.0.1:{server.port}" in window.header.text()

    QTest.keyClick(window.composer, Qt.Key.Key_M, CTRL)
    picker = window.picker
    assert picker is not None and picker.isVisible()
    run(wait_until(lambda: (local.id, "demo-large") in picker.rows(), what="the model list"))
    QTest.keyClicks(picker.filter, "local large")
    QTest.keyClick(picker.filter, Qt.Key.Key_Return)
    assert not picker.isVisible()
    assert "Local · demo-large" in window.header.text()
    conversation = session.service.conversation(window.current_id)
    assert (conversation.provider, conversation.model) == (local.id, "demo-large")

    send(window, "second, to the local server")
    finish(session, run)
    [request] = openai_server.requests[-1:]
    assert request.json["model"] == "demo-large"
    assert [m["content"] for m in request.json["messages"]][-1] == "second, to the local server"
    assert len(server.requests) == 1  # the site was not asked again
    assert session.service.messages(window.current_id)[-1].content.startswith("You asked")


def test_picker_arrows_and_escape(open_app, server, run):
    session = open_app("--url", server.url)
    window = session.window
    send(window, "hello")
    finish(session, run)
    before = session.service.conversation(window.current_id)
    QTest.keyClick(window.composer, Qt.Key.Key_M, CTRL)
    picker = window.picker
    QTest.keyClick(picker.filter, Qt.Key.Key_Down)
    QTest.keyClick(picker.filter, Qt.Key.Key_Escape)
    assert not picker.isVisible()
    after = session.service.conversation(window.current_id)
    assert (after.provider, after.model) == (before.provider, before.model)


def test_ctrl_shift_s_edits_the_system_prompt_that_is_sent(open_app, server, run):
    session = open_app("--url", server.url)
    window = session.window
    QTest.keyClick(window.composer, Qt.Key.Key_S, CTRL | Qt.KeyboardModifier.ShiftModifier)
    dialog = window.prompt_dialog
    assert dialog is not None and dialog.isVisible()
    QTest.keyClicks(dialog.editor, "Answer like a pirate.")
    QTest.keyClick(dialog.editor, Qt.Key.Key_Return, CTRL)
    assert not dialog.isVisible()
    assert session.service.conversation(window.current_id).system_prompt == \
        "Answer like a pirate."
    assert "system prompt set" in window.header.text()
    send(window, "hi there")
    finish(session, run)
    body = server.requests[-1].json
    assert body["messages"] == [{"role": "system", "content": "Answer like a pirate."}]
    assert body["newMessage"] == "hi there"  # the new turn goes only in newMessage


def test_new_conversations_use_the_default_provider(open_app, run):
    session = open_app("--demo")
    window = session.window
    send(window, "hi")
    finish(session, run)
    conversation = session.service.conversation(window.current_id)
    assert conversation.provider == "demo"
    assert "Demo server" in window.header.text()


def _press(widget) -> None:
    widget.setFocus()
    QTest.keyClick(widget, Qt.Key.Key_Space)


def test_providers_page_adds_edits_and_removes_by_keyboard(open_app, data_dir, run):
    session = open_app()
    window = session.window
    QTest.keyClick(window.composer, Qt.Key.Key_M, CTRL | Qt.KeyboardModifier.ShiftModifier)
    dialog = window.settings_dialog
    assert dialog is not None and dialog.isVisible()
    page = dialog.stack.currentWidget()
    assert isinstance(page, ProvidersPage)
    assert "readable only by you" in page.keys_note.text()  # no keyring here: it says so

    page.preset.setFocus()
    QTest.keyClick(page.preset, Qt.Key.Key_Down)  # the first OpenAI-compatible preset: Ollama
    _press(page.findChild(type(page.remove_button), "providerNew"))
    assert page.value("kind") == "openai" and page.value("url").endswith(":11434/v1")
    name = page.editors["name"]
    name.setFocus()
    QTest.keyClick(name, Qt.Key.Key_A, CTRL)
    QTest.keyClicks(name, "My Ollama")
    QTest.keyClicks(page.editors["model"], "llama3.2")
    QTest.keyClicks(page.editors["api_key"], "sk-page-secret-0001")
    assert not page.editors["bot_id"].isVisibleTo(page)  # AI Engine fields hide for OpenAI
    _press(page.findChild(type(page.remove_button), "providerSave"))
    assert "Saved" in page.status.text()

    stored = json.loads((data_dir / "config" / "providers.json").read_text())
    [entry] = [p for p in stored["providers"] if p["name"] == "My Ollama"]
    assert entry["model"] == "llama3.2" and entry["kind"] == "openai"
    assert "sk-page-secret-0001" not in json.dumps(stored)
    assert session.providers.has_secret("api_key", entry["id"])
    assert page.editors["api_key"].text() == ""  # a stored key is never shown back

    _press(page.default_button)
    assert session.providers.default_id() == entry["id"]
    assert "(default)" in page.list.currentItem().text()
    _press(page.remove_button)
    assert session.providers.entry(entry["id"]) is None
    assert not session.providers.has_secret("api_key", entry["id"])
    close = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Close)
    _press(close)
    assert not dialog.isVisible()


def test_first_run_adds_the_local_servers_that_answer(open_app, openai_server, monkeypatch,
                                                      run):
    from opchat_gui.config import provider_entries as provider_config
    from opchat_gui.providers import openai_compat
    from tests.proxy_server import closed_port

    presets = (openai_compat.Preset("ollama", "Ollama", openai_server.url, local=True),
               openai_compat.Preset("lmstudio", "LM Studio",
                                    f"http://127.0.0.1:{closed_port()}/v1", local=True),
               openai_compat.Preset("openai", "OpenAI", "https://api.openai.com/v1", True))
    monkeypatch.setattr(openai_compat, "PRESETS", presets)
    monkeypatch.setattr(provider_config, "PRESETS", presets)
    session = open_app()
    assert session.window.isVisible()  # shown before the probe has answered
    run(wait_until(lambda: session.providers.probed, what="the first-run probe"))
    ids = [entry.id for entry in session.providers.entries()]
    assert "ollama" in ids and "lmstudio" not in ids and "openai" not in ids
    found = session.providers.entry("ollama")
    assert (found.kind, found.url, found.model) == ("openai", openai_server.url, "demo-large")
    assert [r.path for r in openai_server.requests] == ["/v1/models"]
    # The default was still the shut-down Opchatgpts service: the local server takes over,
    # and the status line says so.
    assert session.providers.default_id() == "ollama"
    assert session.window.statusBar().currentMessage() == (
        f"Found Ollama running at {openai_server.url}; new conversations use it now "
        "(Opchatgpts has shut down).")
    run(session.close())

    session = open_app()  # every start looks again (a server may have started since)
    run(wait_until(lambda: session.providers.probed, what="the probe at start"))
    assert [r.path for r in openai_server.requests] == ["/v1/models"] * 2
    assert session.providers.default_id() == "ollama"
    assert session.window.statusBar().currentMessage() == ""  # nothing new to say


def test_the_servers_final_reply_replaces_the_streamed_text_on_screen(open_app, server, run):
    session = open_app("--url", server.play_url("final", reply="The server's own words."))
    window = session.window
    send(window, "hi")
    finish(session, run)
    shown = window.transcript.toPlainText()
    assert "The server's own words." in shown and "Draft text" not in shown
    assert session.service.messages(window.current_id)[-1].content == "The server's own words."


def test_opening_the_picker_looks_again_for_a_server_started_since(open_app, openai_server,
                                                                   monkeypatch, run):
    from opchat_gui.config import provider_entries as provider_config
    from opchat_gui.providers import openai_compat

    session = open_app()
    run(wait_until(lambda: session.providers.probed, what="the probe at start"))
    assert session.providers.default_id() == "opchatgpts"  # nothing local was running
    presets = (openai_compat.Preset("llamacpp", "llama.cpp", openai_server.url, local=True),)
    monkeypatch.setattr(openai_compat, "PRESETS", presets)  # "started" after the app
    monkeypatch.setattr(provider_config, "PRESETS", presets)
    session.providers.probed = False
    picker = session.window.choose_model()
    run(wait_until(lambda: session.providers.probed, what="the probe the picker started"))
    assert session.providers.default_id() == "llamacpp"
    assert "Found llama.cpp running at" in session.window.statusBar().currentMessage()
    picker.close()
