"""The generation settings editor, driven by keys in the real window and dialog."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from opchat_gui.config.keystore import NO_KEYRING_ENV
from tests.conftest import wait_until
from tests.keyboard import focused, type_text

# One refused input per field, in the form's Tab order.
BAD = [("temperature", "abc"), ("top_p", "2"), ("max_tokens", "-1"), ("seed", "x"),
       ("stop", "[1]"), ("presence_penalty", "3"), ("frequency_penalty", "-3"),
       ("reasoning_effort", "max"), ("extra", "{broken")]
GOOD = [("temperature", "1.5"), ("top_p", "0.9"), ("max_tokens", "5"), ("seed", "11"),
        ("stop", '["END"]'), ("presence_penalty", "0.5"), ("frequency_penalty", "-0.5"),
        ("reasoning_effort", "medium"), ("extra", '{"think": false}')]


@pytest.fixture(autouse=True)
def no_keyring(monkeypatch):
    monkeypatch.setenv(NO_KEYRING_ENV, "1")


@pytest.fixture
def local(open_app, server, openai_server):
    session = open_app("--url", server.url)
    entry = session.providers.save({"name": "Local", "kind": "openai",
                                    "url": openai_server.url, "model": "demo-model"})
    session.providers.set_default(entry.id)
    return session


def type_into_fields(dialog, entries) -> None:
    """Type each text into the focused field, then Tab on to the next one."""
    for name, text in entries:
        assert focused(dialog) is dialog.form.edits[name], name
        type_text(dialog, text)
        QTest.keyClick(focused(dialog), Qt.Key.Key_Tab)


def open_editor(window, run):
    window.activateWindow()  # as a window manager does when a dialog closes
    run(wait_until(window.isActiveWindow, what="the window to be active"))
    QTest.keyClick(window.composer, Qt.Key.Key_G,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    dialog = window.generation_dialog
    assert dialog is not None and dialog.isVisible()
    if dialog.form is not None:
        first = dialog.form.edits["temperature"]
        run(wait_until(lambda: focused(dialog) is first, what="the focus in the editor"))
    return dialog


def send(window, run, text: str) -> None:
    """Into the composer (offscreen, no window manager re-activates the window when the
    dialog closes, so the keys go to the composer itself)."""
    QTest.keyClicks(window.composer, text)
    QTest.keyClick(window.composer, Qt.Key.Key_Return)


def test_bad_input_in_every_field_is_refused_with_its_reason(local, openai_server, run):
    window = local.window
    dialog = open_editor(window, run)
    type_into_fields(dialog, BAD)
    for name, _text in BAD:
        error = dialog.form.errors[name]
        assert error.isVisible() and error.text(), name
    QTest.keyClick(dialog.form.edits["extra"], Qt.Key.Key_Return)
    assert dialog.isVisible()  # Enter does not save while a field is refused
    assert focused(dialog) is dialog.form.edits["temperature"]  # the first refused one
    QTest.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    assert local.service.generation(window.current_id) == {}
    send(window, run, "hello")
    # The reply runs to its end before the test does: a request still being written when
    # the session closes leaves aiohttp's body coroutine unawaited (seen under load).
    run(wait_until(lambda: not local.service.is_streaming(window.current_id)
                   and openai_server.requests, what="the reply"))
    assert {"temperature", "top_p", "max_tokens"}.isdisjoint(openai_server.requests[-1].json)


def test_tab_through_fields_enter_saves_and_the_server_gets_them(local, openai_server, run):
    window = local.window
    dialog = open_editor(window, run)
    type_into_fields(dialog, GOOD)
    QTest.keyClick(focused(dialog), Qt.Key.Key_Return)
    assert not dialog.isVisible()
    assert "own generation settings" in window.header.text()
    assert local.service.generation(window.current_id)["max_tokens"] == 5
    send(window, run, "hello")
    run(wait_until(lambda: not local.service.is_streaming(window.current_id)
                   and openai_server.requests, what="the reply"))
    body = openai_server.requests[-1].json
    assert {k: body[k] for k, _ in GOOD if k != "extra"} == {
        "temperature": 1.5, "top_p": 0.9, "max_tokens": 5, "seed": 11, "stop": ["END"],
        "presence_penalty": 0.5, "frequency_penalty": -0.5, "reasoning_effort": "medium"}
    assert body["think"] is False

    dialog = open_editor(window, run)  # shows what is stored; Esc keeps it
    assert dialog.form.edits["max_tokens"].text() == "5"
    type_text(dialog, "9")
    QTest.keyClick(focused(dialog), Qt.Key.Key_Escape)
    assert local.service.generation(window.current_id)["temperature"] == 1.5


def test_an_ai_engine_site_says_its_settings_live_on_the_site(open_app, server, run):
    session = open_app("--url", server.url)
    dialog = open_editor(session.window, run)
    assert dialog.form is None and dialog.steps is None  # a site runs its own tools
    assert "AI Engine site" in dialog.note.text()
    QTest.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def _press(widget) -> None:
    widget.setFocus()
    QTest.keyClick(widget, Qt.Key.Key_Space)


def test_provider_page_sets_defaults_and_refuses_bad_ones(local, openai_server, run):
    window = local.window
    QTest.keyClick(window.composer, Qt.Key.Key_M,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    page = window.settings_dialog.stack.currentWidget()
    entry_id = local.providers.default_id()
    row = next(i for i in range(page.list.count())
               if page.list.item(i).data(Qt.ItemDataRole.UserRole) == entry_id)
    page.list.setCurrentRow(row)
    assert page.generation_box.isVisibleTo(page)
    save = page.findChild(type(page.remove_button), "providerSave")
    for name, text in BAD:
        edit = page.generation.edits[name]
        edit.setFocus()
        QTest.keyClicks(edit, text)
        assert page.generation.errors[name].isVisibleTo(page), name
        _press(save)
        assert "refused" in page.status.text()
        assert local.providers.entry(entry_id).generation == {}  # nothing was saved
        edit.clear()
    page.editors["context_length"].setFocus()
    QTest.keyClicks(page.editors["context_length"], "lots")
    _press(save)
    assert "context length" in page.status.text()
    page.editors["context_length"].clear()
    QTest.keyClicks(page.editors["context_length"], "8192")
    QTest.keyClicks(page.generation.edits["temperature"], "0.3")
    QTest.keyClicks(page.generation.edits["max_tokens"], "7")
    _press(save)
    assert "Saved" in page.status.text()
    entry = local.providers.entry(entry_id)
    assert entry.generation == {"temperature": 0.3, "max_tokens": 7}
    assert entry.context_length == 8192
    window.settings_dialog.close()
    send(window, run, "hello")
    run(wait_until(lambda: openai_server.requests and not local.service.is_streaming(
        window.current_id), what="the reply"))
    body = openai_server.requests[-1].json
    assert (body["temperature"], body["max_tokens"]) == (0.3, 7)
    assert "top_p" not in body


def test_the_header_says_own_settings_only_where_they_apply(local, openai_server, run):
    """Overrides stay stored when the conversation moves to an AI Engine site, but that
    site takes none of them: the header does not claim them there, and says so again
    back on the OpenAI-compatible server."""
    window = local.window
    dialog = open_editor(window, run)
    type_text(dialog, "0.4")
    QTest.keyClick(focused(dialog), Qt.Key.Key_Return)
    assert "own generation settings" in window.header.text()
    site = next(e for e in local.providers.entries() if e.kind == "aiengine")
    window._on_picked(site.id, "")  # as the model picker (Ctrl+M) does
    assert local.service.generation(window.current_id) == {"temperature": 0.4}
    assert "own generation settings" not in window.header.text()
    window._on_picked(local.providers.default_id(), "demo-model")
    assert "own generation settings" in window.header.text()


def test_the_tool_step_limit_is_typed_checked_and_kept_per_conversation(local, run):
    window = local.window
    dialog = open_editor(window, run)
    type_into_fields(dialog, [(name, "") for name, _text in GOOD])  # Tab past the fields
    steps = dialog.steps
    assert steps is not None and focused(dialog) is steps.edit
    assert steps.edit.placeholderText() == "10 (default)"
    for bad in ("0", "101", "2.5", "ten"):
        steps.edit.clear()
        type_text(dialog, bad)
        assert steps.error.isVisible() and "from 1 to 100" in steps.error.text(), bad
        QTest.keyClick(steps.edit, Qt.Key.Key_Return)
        assert dialog.isVisible() and focused(dialog) is steps.edit  # refused, kept open
    assert local.service.tools.own_step_limit(window.current_id) is None
    steps.edit.clear()
    type_text(dialog, "3")
    assert not steps.error.isVisible()
    QTest.keyClick(steps.edit, Qt.Key.Key_Return)
    assert not dialog.isVisible()
    assert local.service.tools.step_limit(window.current_id) == 3
    assert local.history.tool_options(window.current_id)["step_limit"] == 3

    dialog = open_editor(window, run)  # shows it; emptied, the default applies again
    assert dialog.steps is not None and dialog.steps.edit.text() == "3"
    dialog.steps.edit.clear()
    QTest.keyClick(dialog.steps.edit, Qt.Key.Key_Return)
    assert local.service.tools.own_step_limit(window.current_id) is None
    assert "step_limit" not in local.history.tool_options(window.current_id)
    assert local.service.tools.step_limit(window.current_id) == 10  # the settings' default
    assert not local.service.set_step_limit(window.current_id, 0)  # refused below too
