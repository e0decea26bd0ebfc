"""What the window looks like where a test can tell: find highlights, the list's rows."""

from __future__ import annotations

import json
import time
from datetime import datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from opchat_gui.ui.widgets.conversation_list import HEADER_ROLE, ID_ROLE, STREAMING_ROLE
from tests.conftest import wait_until
from tests.keyboard import press, type_text


def test_a_search_without_a_match_clears_the_last_highlight(open_app, server, run):
    session = open_app("--url", server.url)
    window = session.window
    QTest.keyClicks(window.composer, "Colour me")
    QTest.keyClick(window.composer, Qt.Key.Key_Return)
    run(wait_until(lambda: not session.service.is_streaming(window.current_id)))
    press(window, "Ctrl+F")
    type_text(window, "Colour")
    assert window.transcript.textCursor().selectedText() == "Colour"
    assert window.transcript.extraSelections()
    type_text(window, "zzz")
    assert window.find_bar.count.text() == "No matches"
    assert not window.transcript.textCursor().hasSelection()
    assert not window.transcript.extraSelections()


DAY = 86400.0


def make(session, title: str, age: float, *, pinned: bool = False) -> int:
    """A conversation made through the service, its last activity `age` seconds ago."""
    service = session.service
    conversation = service.new_conversation()
    assert conversation is not None and service.rename(conversation.id, title)
    if pinned:
        assert service.toggle_pinned(conversation.id)
    session.history.connection.execute(
        "UPDATE conversations SET updated_at = ? WHERE id = ?", (time.time() - age,
                                                                 conversation.id))
    return conversation.id


def shown(window) -> list[str]:
    """The list as the user reads it: headers as '# Name', rows by title."""
    model = window.sidebar.model()
    return [("# " if model.index(row, 0).data(HEADER_ROLE) else "")
            + model.index(row, 0).data() for row in range(model.rowCount())]


@pytest.fixture
def dated(open_app, server):
    session = open_app("--url", server.url)
    midnight = datetime.now().replace(hour=0, minute=0, second=0, microsecond=0).timestamp()
    since_midnight = time.time() - midnight
    make(session, "Ancient", 40 * DAY)
    make(session, "Last week", since_midnight + 4 * DAY)
    make(session, "Yesterday evening", since_midnight + 60)
    make(session, "This morning", since_midnight / 2)
    make(session, "Kept", 90 * DAY, pinned=True)
    make(session, "Just now", 0)
    session.service.conversationsChanged.emit()
    return session


def test_conversations_are_grouped_by_their_last_activity(dated):
    assert shown(dated.window) == [
        "# Pinned", "Kept", "# Today", "Just now", "This morning", "# Yesterday",
        "Yesterday evening", "# Previous 7 days", "Last week", "# Older", "Ancient"]
    model = dated.window.sidebar.model()
    headers = [model.index(r, 0) for r in range(model.rowCount())
               if model.index(r, 0).data(HEADER_ROLE)]
    assert all(not index.flags() & Qt.ItemFlag.ItemIsSelectable for index in headers)


def test_keys_step_over_the_headers(dated):
    window = dated.window
    window.open_conversation(window.model.id_at(0))
    seen = []
    for _ in range(8):
        window.sidebar.setFocus()
        QTest.keyClick(window.sidebar, Qt.Key.Key_Down)
        seen.append(window.sidebar.currentIndex().data())
    assert seen == ["Just now", "This morning", "Yesterday evening", "Last week", "Ancient",
                    "Ancient", "Ancient", "Ancient"]
    window.sidebar.setFocus()
    QTest.keyClick(window.sidebar, Qt.Key.Key_Home)
    assert window.sidebar.currentIndex().data() == "Kept"
    QTest.keyClick(window.sidebar, Qt.Key.Key_Up)
    assert window.sidebar.currentIndex().data() == "Kept"


def test_the_filter_box_narrows_the_list_and_hands_over_to_it(dated):
    window = dated.window
    box = window.side.filter
    box.setFocus()
    type_text(window, "EVEN")
    assert shown(window) == ["# Yesterday", "Yesterday evening"]
    QTest.keyClick(box, Qt.Key.Key_Down)
    assert window.current_id == window.model.id_at(window.model.row_of(
        window.sidebar.currentIndex().data(ID_ROLE)))
    assert window.sidebar.currentIndex().data() == "Yesterday evening"
    box.setFocus()
    QTest.keyClick(box, Qt.Key.Key_Escape)
    assert box.text() == "" and len(shown(window)) == 11


def test_a_long_title_is_elided_and_never_scrolls_sideways(open_app, server, qtbot):
    session = open_app("--url", server.url)
    make(session, "word " * 60, 0)
    session.service.conversationsChanged.emit()
    window = session.window
    window.resize(900, 600)
    qtbot.waitExposed(window)
    bar = window.sidebar.horizontalScrollBar()
    assert not bar.isVisible() and bar.maximum() == 0
    index = window.sidebar.model().index(1, 0)
    assert window.sidebar.visualRect(index).width() <= window.sidebar.viewport().width()


def test_rows_keep_their_spacing_in_every_theme(open_app, server, data_dir):
    """Starting with Light or Dark chosen used to draw the rows with no spacing."""
    heights = {}
    for mode in ("system", "light", "dark"):
        folder = data_dir / mode
        (folder / "config").mkdir(parents=True)
        (folder / "config" / "settings.json").write_text(json.dumps({"theme": mode}))
        session = open_app("--url", server.url, "--data-dir", str(folder))
        assert session.settings["theme"] == mode
        make(session, "One", 0)
        session.service.conversationsChanged.emit()
        window = session.window
        heights[mode] = window.sidebar.visualRect(window.sidebar.model().index(1, 0)).height()
    assert len(set(heights.values())) == 1
    assert heights["light"] >= window.sidebar.fontMetrics().height() + 12


def test_a_row_button_runs_the_same_command_as_its_key(dated, qtbot):
    window = dated.window
    qtbot.waitExposed(window)
    target = window.model.id_at(3)
    assert not dated.service.conversation(target).pinned
    QTest.mouseClick(window.sidebar.viewport(), Qt.MouseButton.LeftButton,
                     Qt.KeyboardModifier.NoModifier,
                     window.sidebar.action_point(target, "toggle_pin"))
    assert dated.service.conversation(target).pinned and window.current_id == target
    QTest.mouseClick(window.sidebar.viewport(), Qt.MouseButton.LeftButton,
                     Qt.KeyboardModifier.NoModifier,
                     window.sidebar.action_point(target, "rename_conversation"))
    assert window.panels.rename_prompt.isVisible()


def test_a_narrow_window_collapses_the_list_and_ctrl_b_shows_it_over_the_chat(dated, qtbot):
    window = dated.window
    qtbot.waitExposed(window)
    assert not window.side.reveal_button.isVisible()
    window.resize(600, 600)
    assert not window.side.isVisible()
    assert window.side.reveal_button.isVisible()  # the mouse's way to the list
    press(window, "Ctrl+B")
    assert window.side.isVisible() and window.side.floating
    assert window.side.geometry().x() == 0
    assert QApplication.focusWidget() is window.side.filter  # type to filter, Down to pick
    press(window, "Esc")
    assert not window.side.isVisible()
    press(window, "Ctrl+B")
    QTest.keyClick(window.sidebar, Qt.Key.Key_Down)  # opens a conversation: the list goes
    assert not window.side.isVisible()
    QTest.mouseClick(window.side.reveal_button, Qt.MouseButton.LeftButton)
    assert window.side.isVisible() and window.side.floating
    press(window, "Esc")
    window.resize(1000, 600)
    assert window.side.isVisible() and not window.side.floating
    assert not window.side.reveal_button.isVisible()


def test_a_streaming_conversation_is_marked_in_the_list_until_it_ends(open_app, server, run):
    session = open_app("--url", server.play_url("slow", delay=0.01))
    window = session.window
    QTest.keyClicks(window.composer, "Mark me")
    QTest.keyClick(window.composer, Qt.Key.Key_Return)
    model = window.sidebar.model()

    def marked() -> bool:
        row = model.row_of(window.current_id)
        return bool(model.index(row, 0).data(STREAMING_ROLE))

    # Marked once the request has left (the list waits LIST_AFTER_SEND_MS after Enter).
    run(wait_until(marked, what="the streaming mark"))
    run(wait_until(lambda: not session.service.is_streaming(window.current_id),
                   what="the reply to finish"))
    assert not marked()


@pytest.mark.parametrize("reachable", [True, False])
def test_a_send_moves_its_conversation_up_the_list_whether_it_streams_or_fails(
        open_app, server, run, reachable):
    """The list's reorder waits until the request has left (B9), or for the reply's end
    when it fails at once (nothing listens on the port); either way it comes."""
    session = open_app("--url", server.url if reachable else "http://127.0.0.1:9")
    window = session.window
    older = make(session, "Older", 3 * DAY)
    make(session, "Newer", 0)
    session.service.conversationsChanged.emit()
    window.open_conversation(older)
    assert shown(window)[1] == "Newer"  # under "# Today", before the send
    QTest.keyClicks(window.composer, "Up you go")
    QTest.keyClick(window.composer, Qt.Key.Key_Return)
    run(wait_until(lambda: not session.service.is_streaming(older),
                   what="the reply to end"))
    run(wait_until(lambda: shown(window)[1] == "Older", what="the list to reorder"))
    model = window.sidebar.model()
    assert model.index(model.row_of(older), 0).data(ID_ROLE) == older
    assert window.sidebar.currentIndex().data(ID_ROLE) == older  # still the selected row
    assert not model.index(model.row_of(older), 0).data(STREAMING_ROLE)
    reply = session.service.messages(older)[-1]
    assert reply.state.value == ("done" if reachable else "failed")


def test_the_delete_button_deletes_like_its_key_and_undo_brings_it_back(dated, qtbot):
    window = dated.window
    qtbot.waitExposed(window)
    doomed = window.model.id_at(2)
    QTest.mouseClick(window.sidebar.viewport(), Qt.MouseButton.LeftButton,
                     Qt.KeyboardModifier.NoModifier,
                     window.sidebar.action_point(doomed, "delete_conversation"))
    assert window.model.row_of(doomed) == -1 and window.current_id != doomed
    press(window, "Ctrl+Alt+Z")
    assert window.model.row_of(doomed) >= 0


def test_a_focused_row_paints_its_buttons_in_both_themes(dated, qtbot):
    """Paints every icon the list draws (pin, pin-off, pencil, trash-2) through the delegate;
    an unknown icon name would raise inside paint, which pytest-qt turns into a failure."""
    window = dated.window
    qtbot.waitExposed(window)
    window.open_conversation(window.model.id_at(0))  # "Kept", pinned: shows pin-off
    for mode in ("light", "dark"):
        dated.settings.set("theme", mode)
        window.sidebar.setFocus()
        image = window.sidebar.viewport().grab().toImage()
        rect = window.sidebar.visualRect(window.sidebar.currentIndex())
        colours = {image.pixelColor(x, rect.center().y()).name()
                   for x in range(rect.left(), rect.right())}
        theme = dated.themes.theme
        assert theme.selection in colours and theme.highlight in colours  # row and its ring
