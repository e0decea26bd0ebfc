"""A whole session with the keyboard alone: no mouse event, no direct widget calls.

Create, send, stop, retry, search and open a hit, quick-switch, rename, pin, delete and
undo, zoom, and the help overlay, each through the keys the key map gives it.
"""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from opchat_gui.store import MessageState
from tests.conftest import wait_until
from tests.keyboard import press, type_text


def test_a_whole_session_by_keys(open_app, server, run):
    session = open_app("--url", server.play_url("slow", delay=0.01))
    window, service = session.window, session.service

    def idle() -> None:
        run(wait_until(lambda: window.current_id is not None
                       and not service.is_streaming(window.current_id), what="reply end"))

    def say(text: str) -> None:
        type_text(window, text)
        press(window, "Return")
        idle()

    # Create two conversations and send; the second reply is stopped with Esc.
    say("Где купить билеты на поезд?")
    first = window.current_id
    press(window, "Ctrl+N")
    assert window.current_id is None
    type_text(window, "Tell me about kayaks and canoes")
    press(window, "Return")
    second = window.current_id
    run(wait_until(lambda: "You asked" in window.transcript.toPlainText()))
    press(window, "Esc")
    idle()
    assert service.messages(second)[-1].state == MessageState.STOPPED

    # Retry the stopped reply (Ctrl+R), and let it finish.
    requests = len(server.requests)
    press(window, "Ctrl+R")
    run(wait_until(lambda: len(server.requests) > requests, what="the retry"))
    idle()
    assert service.messages(second)[-1].state == MessageState.DONE

    # Search all history for a Cyrillic word, open the hit: back in the first conversation,
    # scrolled to the message with the word selected.
    press(window, "Ctrl+Shift+F")
    assert QApplication.focusWidget() is window.panels.search_panel.filter
    type_text(window, "БИЛЕТЫ")
    press(window, "Return")
    assert window.current_id == first
    assert not window.panels.search_panel.isVisible()
    assert window.transcript.textCursor().selectedText().casefold() == "билеты"
    assert window.find_bar.isVisible()
    press(window, "Esc")  # closes the find bar
    assert not window.find_bar.isVisible()

    # Quick-switch to the kayak conversation.
    press(window, "Ctrl+K")
    type_text(window, "kyk")
    press(window, "Return")
    assert window.current_id == second

    # Rename it, pin it, and see it first in the list.
    press(window, "F2")
    press(window, "Ctrl+A")
    type_text(window, "Boats")
    press(window, "Return")
    assert service.conversation(second).title == "Boats"
    press(window, "Alt+2")
    assert window.current_id == first
    press(window, "Ctrl+Shift+P")
    assert window.model.id_at(0) == first and service.conversation(first).pinned

    # Delete it, then undo within the 10 seconds.
    press(window, "Ctrl+Shift+Backspace")
    assert window.model.row_of(first) == -1 and window.current_id == second
    press(window, "Ctrl+Alt+Z")
    assert window.current_id == first and window.model.id_at(0) == first
    assert "поезд" in window.transcript.toPlainText()

    # Zoom in twice, out once, reset.
    base = window.transcript.font().pointSizeF()
    press(window, "Ctrl+=")
    press(window, "Ctrl+=")
    press(window, "Ctrl+-")
    assert window.transcript.font().pointSizeF() == base + 1
    press(window, "Ctrl+0")
    assert window.transcript.font().pointSizeF() == base

    # The help overlay: open, filter, close.
    press(window, "F1")
    assert window.panels.help.isVisible()
    type_text(window, "pin")
    rows = window.panels.help.row_texts()
    assert rows and all("pin" in row.lower() for row in rows)
    assert any("Ctrl+Shift+P" in row for row in rows)
    press(window, "Esc")
    assert not window.panels.help.isVisible()
    assert QApplication.focusWidget() is window.composer

    # Quit with Ctrl+Q: the deleted-then-restored conversation survives on disk.
    press(window, "Ctrl+Q")
    assert session.closed.is_set()
    run(session.close())
    assert [c.id for c in session.history.__class__.open(session.paths.database)
            .conversations()][:2] == [first, second]
