"""The first run: a welcome pane on an empty history whose choices, each one key away, end
in a working chat; and an empty conversation's target, example prompts and help key.
The real window built as main() builds it, the real local servers, keys only."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from opchat_gui.chat.provider_service import DEMO_ID
from opchat_gui.ui.keys import keymap
from tests.conftest import wait_until


def send(window, text: str) -> None:
    window.composer.setPlainText(text)
    QTest.keyClick(window.composer, Qt.Key.Key_Return)


def type_into(widget, text: str) -> None:
    widget.setFocus()
    QTest.keyClicks(widget, text)


def test_welcome_pane_shows_on_an_empty_history_only(open_app, server, run):
    session = open_app()
    window = session.window
    welcome = window.welcome
    assert welcome is not None and welcome.isVisible()
    assert not window.transcript.isVisible() and not window.composer.isVisible()
    assert "Welcome to opchat-gui" in welcome.title.text()
    assert "has shut down" in welcome.shut_down.text()  # listed, never the silent default
    assert list(welcome.buttons) == ["site", "openai", "demo"]
    assert not window.header.target.isVisibleTo(window)  # no provider named before a choice
    run(wait_until(lambda: session.providers.probed, what="the local-server probe"))
    assert "No local server" in welcome.found.text()
    run(session.close())

    session = open_app("--url", server.url)  # --url chose: no welcome
    assert session.window.welcome is None
    send(session.window, "Hello")
    run(wait_until(lambda: not session.service.is_streaming(session.window.current_id)))
    run(session.close())
    session = open_app()
    assert session.window.welcome is None
    assert session.window.transcript.isVisible()


def test_demo_choice_by_key_ends_in_a_streamed_reply(open_app, run):
    session = open_app()
    window = session.window
    QTest.keyClick(window.welcome, Qt.Key.Key_3)
    run(wait_until(lambda: not window.welcome.isVisible(), what="the demo server to start"))
    assert session.server is not None  # started from the UI, no restart
    assert session.providers.default_id() == DEMO_ID
    assert window.composer.isVisible() and window.composer.hasFocus()
    assert "Demo server" in window.header.target.text()
    send(window, "Hello demo")
    run(wait_until(lambda: window.current_id is not None
                   and session.service.is_streaming(window.current_id),
                   what="the reply to start streaming"))
    run(wait_until(lambda: not session.service.is_streaming(window.current_id),
                   what="the reply to finish"))
    reply = session.service.messages(window.current_id)[-1]
    assert reply.role == "assistant" and reply.content
    assert reply.content.split()[-1] in window.transcript.toPlainText()


def test_site_choice_says_what_is_wrong_in_place_then_chats(open_app, server, run):
    session = open_app()
    window = session.window
    welcome = window.welcome
    QTest.keyClick(welcome, Qt.Key.Key_1)
    assert welcome.form_box.isVisible() and welcome.address.hasFocus()
    assert not welcome.api_key.isVisible()  # a site needs only its address
    type_into(welcome.address, "not an address")
    QTest.keyClick(welcome.address, Qt.Key.Key_Return)
    assert "“not an address” is not a web address" in welcome.problem.text()
    assert welcome.isVisible()
    welcome.address.clear()
    type_into(welcome.address, server.play_url("echo", delay=0.001))
    QTest.keyClick(welcome.address, Qt.Key.Key_Return)
    assert not welcome.isVisible()
    default = session.providers.entry(session.providers.default_id())
    assert default.kind == "aiengine" and default.url == server.play_url("echo", delay=0.001)
    send(window, "Echo me")
    run(wait_until(lambda: window.current_id is not None
                   and not session.service.is_streaming(window.current_id)))
    assert session.service.messages(window.current_id)[-1].content == "Echo me"


def test_openai_choice_lists_models_from_the_server(open_app, openai_server, run):
    session = open_app()
    window = session.window
    welcome = window.welcome
    QTest.keyClick(welcome, Qt.Key.Key_2)
    type_into(welcome.address, openai_server.url)
    QTest.keyClick(welcome.address, Qt.Key.Key_Return)
    run(wait_until(lambda: welcome.model.count() > 0, what="the model list"))
    assert welcome.model.hasFocus()
    assert [r.path for r in openai_server.requests] == ["/v1/models"]
    model = welcome.model.currentText()
    QTest.keyClick(welcome.model, Qt.Key.Key_Return)
    assert not welcome.isVisible()
    default = session.providers.entry(session.providers.default_id())
    assert (default.kind, default.url, default.model) == ("openai", openai_server.url, model)
    assert model in window.header.target.text()


def test_found_local_server_is_a_choice(open_app, openai_server, monkeypatch, run):
    from opchat_gui.chat import provider_service
    from opchat_gui.config import provider_entries
    from opchat_gui.providers import openai_compat
    from opchat_gui.ui.widgets import welcome as welcome_module

    presets = (openai_compat.Preset("ollama", "Ollama", openai_server.url, local=True),)
    for module in (openai_compat, provider_entries, provider_service, welcome_module):
        monkeypatch.setattr(module, "PRESETS", presets)
    session = open_app()
    welcome = session.window.welcome
    run(wait_until(lambda: "ollama" in welcome.buttons, what="the probe to find Ollama"))
    assert f"Ollama ({openai_server.url})" in welcome.found.text()
    session.providers.set_default("opchatgpts")  # so the key, not the probe, decides
    QTest.keyClick(welcome, Qt.Key.Key_4)
    assert session.providers.default_id() == "ollama" and not welcome.isVisible()


def test_esc_skips_the_welcome_to_an_empty_conversation(open_app, run):
    window = open_app().window
    QTest.keyClick(window.welcome, Qt.Key.Key_Escape)
    assert not window.welcome.isVisible() and window.composer.hasFocus()
    assert window.empty_hint.isVisible()


def test_empty_conversation_shows_target_prompts_and_help_key(open_app, server, run):
    session = open_app("--url", server.url)
    window = session.window
    hint = window.empty_hint
    assert window.welcome is None  # --url chose the provider: no welcome needed
    assert hint.isVisible()
    assert f"127.0.0.1:{server.port}" in hint.target.text()
    assert hint.keys.text() == "F1 shows every key"
    QTest.keyClick(window.composer, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.composer.toPlainText() == hint.prompts[1]
    assert window.current_id is None  # filled, not sent
    QTest.keyClick(window.composer, Qt.Key.Key_Return)
    run(wait_until(lambda: window.current_id is not None
                   and not session.service.is_streaming(window.current_id)))
    assert not hint.isVisible()
    QTest.keyClick(window.composer, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert window.composer.toPlainText() == ""  # the prompts' keys are off once it has text
    window.resize(window.width() - 150, window.height() - 100)  # while it is hidden
    QApplication.processEvents()
    window.new_conversation()
    assert hint.isVisible()
    covers = window.transcript.rect().adjusted(2, 2, -2, -2)
    assert hint.geometry() == covers, (hint.geometry(), covers)
    window.resize(window.width() + 150, window.height() + 100)  # and while it shows
    QApplication.processEvents()
    covers = window.transcript.rect().adjusted(2, 2, -2, -2)
    assert hint.geometry() == covers, (hint.geometry(), covers)


def test_help_key_in_the_empty_conversation_follows_the_binding(open_app, server, data_dir):
    keymap.save_overrides(data_dir / "config" / "keys.json", {"show_shortcuts": ("F12",)})
    try:
        window = open_app("--url", server.url).window
        assert window.empty_hint.keys.text() == "F12 shows every key"
    finally:
        keymap.set_overrides({})
