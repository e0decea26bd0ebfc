"""A message over the site's known input limit is never sent; the window says why."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from tests.conftest import wait_until
from tests.keyboard import type_text


def submits(server) -> list:
    return [r for r in server.requests if r.path.endswith("/chats/submit")]


def test_over_the_limit_stays_in_the_composer_with_the_limit_and_length(open_app, server,
                                                                       run):
    session = open_app("--url", server.url)  # a new AI Engine site: the plugin's 512 limit
    window = session.window
    long_text = "x" * 600
    QTest.keyClicks(window.composer, long_text)
    QTest.keyClick(window.composer, Qt.Key.Key_Return)

    assert window.composer.toPlainText() == long_text  # kept, not sent
    note = window.problem.text()
    assert not window.problem.isHidden()
    assert "longer than this site accepts" in note and "600" in note and "512" in note
    assert "600" in window.statusBar().currentMessage()
    assert submits(server) == []  # the server never saw it
    if window.current_id is not None:
        assert session.service.messages(window.current_id) == []

    QTest.keyClick(window.composer, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClicks(window.composer, "y" * 512)  # exactly the limit goes through
    QTest.keyClick(window.composer, Qt.Key.Key_Return)
    assert window.composer.toPlainText() == ""
    assert window.problem.isHidden()
    run(wait_until(lambda: not session.service.is_streaming(window.current_id),
                   what="the reply to finish"))
    [sent] = submits(server)
    assert sent.json["newMessage"] == "y" * 512


def test_an_edit_over_the_limit_is_not_resent(open_app, server, run):
    session = open_app("--url", server.url)
    window = session.window
    QTest.keyClicks(window.composer, "short question")
    QTest.keyClick(window.composer, Qt.Key.Key_Return)
    run(wait_until(lambda: not session.service.is_streaming(window.current_id),
                   what="the first reply"))
    assert len(session.service.messages(window.current_id)) == 2
    QTest.keyClick(window.composer, Qt.Key.Key_Up)  # edit the last message
    QTest.keyClicks(window.composer, "z" * 520)
    QTest.keyClick(window.composer, Qt.Key.Key_Return)
    assert window.composer.toPlainText() == "short question" + "z" * 520
    assert "534" in window.problem.text() and not window.problem.isHidden()
    assert len(submits(server)) == 1
    assert session.service.messages(window.current_id)[0].content == "short question"


def test_the_note_is_in_the_interface_language(open_app, server, data_dir):
    config = data_dir / "config"
    config.mkdir(parents=True)
    (config / "settings.json").write_text('{"language": "ru"}', encoding="utf-8")
    window = open_app("--url", server.url).window
    type_text(window, "ж" * 600)
    QTest.keyClick(window.composer, Qt.Key.Key_Return)
    note = window.problem.text()
    assert note.startswith("Сообщение длиннее, чем принимает этот сайт")
    assert "600" in note and "512" in note and "characters" not in note
    assert submits(server) == []


def test_the_demo_server_takes_long_messages(open_app, run):
    """The built-in demo enforces no limit, so the window must not invent the plugin's 512."""
    session = open_app("--demo")
    window = session.window
    long_text = "d" * 600
    QTest.keyClicks(window.composer, long_text)
    QTest.keyClick(window.composer, Qt.Key.Key_Return)
    assert window.composer.toPlainText() == ""
    assert window.problem.isHidden()
    run(wait_until(lambda: not session.service.is_streaming(window.current_id),
                   what="the demo reply"))
    user, reply = session.service.messages(window.current_id)
    assert user.content == long_text and reply.content
