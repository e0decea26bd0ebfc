"""Conversations as trees, through the real window, driven by keys (issue 13).

The three sequences that drew the conversation wrong when replies had "versions" are
kept here: each asserts what the transcript shows, in order, and what the next request
to the local server carries.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox

from opchat_gui.store import History
from tests.conftest import wait_until
from tests.keyboard import press, type_text

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
ALT = Qt.KeyboardModifier.AltModifier
TAB_LIMIT = 40  # how many Tab presses may pass over other links before the one we want


def idle(session, run) -> None:
    window = session.window
    run(wait_until(lambda: not session.service.is_streaming(window.current_id),
                   what="the reply to end"))


def send(session, run, text: str) -> None:
    QTest.keyClicks(session.window.composer, text)
    QTest.keyClick(session.window.composer, Qt.Key.Key_Return)
    idle(session, run)


def sent(server) -> list[str]:
    """The texts of the last request: its context, then the new message."""
    body = server.requests[-1].json
    texts = [m["content"] for m in body["messages"]]
    if not texts or texts[-1] != body["newMessage"]:
        texts.append(body["newMessage"])
    return texts


def drawn(window) -> list[str]:
    """The transcript's lines that say who speaks, what, and the branch counters, in order."""
    return [line for line in window.transcript.toPlainText().splitlines()
            if line.strip() and not line.startswith(("This reply", "- ", "A code", "def ",
                                                     "    ", "print", "Copy", "```"))]


def order_of(window, *needles: str) -> list[int]:
    text = window.transcript.toPlainText()
    return [text.index(needle) for needle in needles]


def press_link(window, href_end: str) -> None:
    """Tab through the transcript's links to the one whose href ends so, and press Enter."""
    view = window.transcript
    view.setFocus()
    for _ in range(TAB_LIMIT):
        QTest.keyClick(view, Qt.Key.Key_Tab, SHIFT)
        if view.textCursor().charFormat().anchorHref().endswith(href_end):
            QTest.keyClick(view, Qt.Key.Key_Return)
            return
    raise AssertionError(f"no link ending {href_end!r} reached by Tab")


def edit_last(session, run, text: str) -> None:
    composer = session.window.composer
    composer.setFocus()
    QTest.keyClick(composer, Qt.Key.Key_Up)
    QTest.keyClick(composer, Qt.Key.Key_A, CTRL)
    QTest.keyClicks(composer, text)
    QTest.keyClick(composer, Qt.Key.Key_Return)
    idle(session, run)


def test_sequence_1_regenerate_then_earlier_shows_only_the_earlier_reply(open_app, server,
                                                                         run):
    session = open_app("--url", server.url)
    window = session.window
    send(session, run, "Alpha question")
    [user, first] = session.service.messages(window.current_id)
    QTest.keyClick(window.composer, Qt.Key.Key_R, CTRL)
    run(wait_until(lambda: len(server.requests) == 2, what="the regenerate request"))
    idle(session, run)
    assert sent(server) == ["Alpha question"]  # the old reply is not context
    [_, second] = session.service.messages(window.current_id)
    assert second.id != first.id and second.parent_id == user.id
    assert "‹ 2/2 ›" in window.transcript.toPlainText()
    press_link(window, f"/{second.id}/-1")  # the "‹" under the reply
    text = window.transcript.toPlainText()
    assert window.transcript.order == [user.id, first.id]
    assert text.count("You asked: Alpha question") == 1 and "‹ 1/2 ›" in text
    # Reopening draws the same, and the next message follows the branch on show.
    window.open_conversation(window.current_id)
    assert window.transcript.toPlainText().replace("\u200b", "") == text.replace("\u200b", "")
    send(session, run, "Beta question")
    assert sent(server)[:1] == ["Alpha question"] and sent(server)[-1] == "Beta question"
    assert len(sent(server)) == 3 and sent(server)[1] == first.content


def test_sequence_2_earlier_regenerate_earlier_then_edit_draws_the_new_branch(
        open_app, server, run, data_dir):
    data_dir.mkdir(parents=True)
    history = History.open(data_dir / "history.sqlite3")
    talk = history.create_conversation("Existing")
    user = history.add_message(talk.id, "user", "Kappa question")
    old = history.add_message(talk.id, "assistant", "Kappa answer one")
    history.add_message(talk.id, "assistant", "Kappa answer two", parent_id=user.id)
    history.close()
    session = open_app("--url", server.url)
    window = session.window
    QTest.keyClick(window.composer, Qt.Key.Key_1, ALT)
    assert window.current_id == talk.id
    assert "Kappa answer two" in window.transcript.toPlainText()
    QTest.keyClick(window.composer, Qt.Key.Key_Left, ALT)  # ‹ on the lowest fork
    assert window.transcript.order == [user.id, old.id]
    QTest.keyClick(window.composer, Qt.Key.Key_R, CTRL)  # a third sibling reply
    run(wait_until(lambda: len(server.requests) == 1, what="the regenerate request"))
    idle(session, run)
    assert sent(server) == ["Kappa question"]
    assert "‹ 3/3 ›" in window.transcript.toPlainText()
    QTest.keyClick(window.composer, Qt.Key.Key_Left, ALT)
    assert "Kappa answer two" in window.transcript.toPlainText()
    edit_last(session, run, "Lambda edited")
    assert sent(server) == ["Lambda edited"]
    text = window.transcript.toPlainText()
    assert "Kappa" not in text
    lines = drawn(window)
    you = next(n for n, line in enumerate(lines) if line.startswith("You"))
    assert lines[you + 1] == "Lambda edited"  # the bubble has its text
    assert lines[you + 2].startswith("‹ 2/2 ›")  # then its action icons
    assert lines[you + 3].startswith("Assistant")
    assert "You asked: Lambda edited" in text
    QTest.keyClick(window.composer, Qt.Key.Key_Left, ALT)  # back to the first question
    text = window.transcript.toPlainText()  # with the reply on show when it was left,
    assert "Kappa question" in text and "‹ 1/2 ›" in text  # not the newest (the third)
    assert "Kappa answer two" in text and "‹ 2/3 ›" in text and "Lambda" not in text
    send(session, run, "Mu question")
    assert sent(server) == ["Kappa question", "Kappa answer two", "Mu question"]


def test_sequence_3_edit_the_last_message_then_earlier_pairs_each_reply_with_its_question(
        open_app, server, run):
    session = open_app("--url", server.url)
    window = session.window
    send(session, run, "Gamma question")
    send(session, run, "Delta question")
    edit_last(session, run, "Delta edited")
    assert sent(server) == [sent(server)[0], sent(server)[1], "Delta edited"]
    assert sent(server)[0] == "Gamma question"
    gamma, delta = order_of(window, "You asked: Gamma question", "Delta edited")
    assert gamma < delta and "Delta question" not in window.transcript.toPlainText()
    QTest.keyClick(window.composer, Qt.Key.Key_Left, ALT)  # ‹ on the edited message
    text = window.transcript.toPlainText()
    assert "Delta edited" not in text and "Version" not in text
    q, a = order_of(window, "\nDelta question", "You asked: Delta question")
    assert q < a and "‹ 1/2 ›" in text and text.count("You asked: Gamma question") == 1
    send(session, run, "Epsilon question")
    context = sent(server)
    assert context[0] == "Gamma question" and context[2] == "Delta question"
    assert context[-1] == "Epsilon question" and len(context) == 5
    assert not any("Delta edited" in c for c in context)


def test_delete_asks_with_the_count_and_undo_brings_the_branch_back(open_app, server, run):
    session = open_app("--url", server.url)
    window = session.window
    send(session, run, "one")
    send(session, run, "two")
    ids = list(window.transcript.order)
    QTest.keyClick(window.composer, Qt.Key.Key_Up, ALT)
    QTest.keyClick(window.composer, Qt.Key.Key_Up, ALT)
    QTest.keyClick(window.composer, Qt.Key.Key_Up, ALT)  # the first reply
    QTest.keyClick(window.composer, Qt.Key.Key_Delete, ALT)
    box = window.findChild(QMessageBox, "confirmDeleteMessage")
    assert box is not None and "Messages that go: 3." in box.text()
    QTest.keyClick(box, Qt.Key.Key_Return)  # Delete is the default button
    run(wait_until(lambda: window.transcript.order == ids[:1], what="the subtree gone"))
    assert "two" not in window.transcript.toPlainText()
    window.activateWindow()  # the offscreen platform does not hand activation back itself
    run(wait_until(lambda: QApplication.activeWindow() is window, what="the window back"))
    QTest.keyClick(window.composer, Qt.Key.Key_Z, CTRL | ALT)
    run(wait_until(lambda: window.transcript.order == ids, what="the undo"))
    send(session, run, "three")
    assert sent(server)[:3] == ["one", sent(server)[1], "two"]


def test_a_reply_streaming_in_a_hidden_branch_keeps_streaming_and_shows_live(
        open_app, server, run):
    session = open_app("--url", server.url)
    window = session.window
    send(session, run, "Zeta question")
    [user, first] = session.service.messages(window.current_id)
    server.default_delay = 0.05  # a slow reply, so it is still streaming when we switch
    QTest.keyClick(window.composer, Qt.Key.Key_R, CTRL)
    run(wait_until(lambda: session.service.live_text(
        window.transcript.order[-1]) not in (None, ""), what="the new reply streaming"))
    streaming = window.transcript.order[-1]
    QTest.keyClick(window.composer, Qt.Key.Key_Left, ALT)
    assert window.transcript.order == [user.id, first.id]
    assert session.service.is_streaming(window.current_id)
    QTest.keyClick(window.composer, Qt.Key.Key_Right, ALT)
    assert window.transcript.order == [user.id, streaming]
    idle(session, run)
    text = window.transcript.toPlainText()
    assert text.count("You asked: Zeta question") == 1 and "‹ 2/2 ›" in text
    [_, done] = session.service.messages(window.current_id)
    assert done.id == streaming and done.content == first.content


def test_a_search_hit_in_another_branch_opens_that_branch_with_the_hit_selected(
        open_app, server, run):
    session = open_app("--url", server.url)
    window = session.window
    history = session.history
    talk = history.create_conversation("Branchy")
    question = history.add_message(talk.id, "user", "Omega question")
    hidden = history.add_message(talk.id, "assistant", "the pomegranate answer")
    history.add_message(talk.id, "assistant", "the plain answer", parent_id=question.id)
    history.add_message(talk.id, "user", "follow-up on the plain one")
    session.service.conversationsChanged.emit()
    press(window, "Ctrl+Shift+F")
    type_text(window, "pomegranate")
    press(window, "Return")
    assert window.current_id == talk.id
    assert window.transcript.order == [question.id, hidden.id]  # that branch, on show
    assert "plain" not in window.transcript.toPlainText()
    assert window.transcript.textCursor().selectedText().casefold() == "pomegranate"
    assert session.service.path(talk.id) == [question.id, hidden.id]  # and what sends next


def test_a_long_conversation_pages_in_its_branch_with_the_forks_far_above(open_app, server,
                                                                           run):
    session = open_app("--url", server.url)
    window = session.window
    history = session.history
    talk = history.create_conversation("Long")
    first = history.add_message(talk.id, "user", "question 0")
    history.add_message(talk.id, "assistant", "an old answer 0")
    history.add_message(talk.id, "assistant", "answer 0", parent_id=first.id)
    for n in range(1, 60):  # 120 messages: the fork is pages above the first paint
        history.add_message(talk.id, "user", f"question {n}")
        history.add_message(talk.id, "assistant", f"answer {n}")
    session.service.conversationsChanged.emit()
    window.open_conversation(talk.id)
    assert len(window.transcript.order) < 120  # the newest page first
    window.transcript.load_all()
    path = session.service.path(talk.id)
    assert window.transcript.order == path and len(path) == 120
    assert window.transcript.forks == {path[1]: (2, 2)}
    text = window.transcript.toPlainText()
    assert "old answer" not in text and text.count("‹ 2/2 ›") == 1
    assert text.index("answer 0") < text.index("‹ 2/2 ›") < text.index("question 1")
    QTest.keyClick(window.composer, Qt.Key.Key_Left, ALT)  # the lowest fork: far above
    assert window.transcript.order == [first.id, path[1] - 1]
    assert "‹ 1/2 ›" in window.transcript.toPlainText()


def on_disk(data_dir) -> list[str]:
    """The messages' texts in the history file, as another reader sees them."""
    with closing(sqlite3.connect(data_dir / "history.sqlite3")) as conn:
        return [row[0] for row in conn.execute("SELECT content FROM messages ORDER BY id")]


def delete_by_keys(window, run, steps_up: int) -> str:
    """Alt+Up to a message, Alt+Del, Enter on the confirmation; the question it asked."""
    for _ in range(steps_up):
        QTest.keyClick(window.composer, Qt.Key.Key_Up, ALT)
    QTest.keyClick(window.composer, Qt.Key.Key_Delete, ALT)
    box = window.findChild(QMessageBox, "confirmDeleteMessage")
    assert box is not None
    question = box.text()
    QTest.keyClick(box, Qt.Key.Key_Return)
    window.activateWindow()  # the offscreen platform does not hand activation back itself
    run(wait_until(lambda: QApplication.activeWindow() is window, what="the window back"))
    return question


def test_a_deleted_branch_is_erased_only_when_its_undo_time_is_over(
        open_app, server, run, data_dir, monkeypatch):
    """As a deleted conversation: hidden at once, still on disk (so a crash loses
    nothing), undoable from another conversation, erased for good when the time is over."""
    monkeypatch.setattr("opchat_gui.chat.replies.UNDO_SECONDS", 3600.0)
    session = open_app("--url", server.url)
    window = session.window
    send(session, run, "one")
    send(session, run, "two")
    talk = window.current_id
    ids = list(window.transcript.order)
    assert "Messages that go: 2." in delete_by_keys(window, run, 2)  # "two" and its reply
    run(wait_until(lambda: window.transcript.order == ids[:2], what="the subtree gone"))
    assert "two" not in window.transcript.toPlainText()
    assert "two" in on_disk(data_dir)  # hidden, not erased
    other = session.history.create_conversation("Other")
    session.service.conversationsChanged.emit()
    QTest.keyClick(window.composer, Qt.Key.Key_1, ALT)  # the newest: the other one
    assert window.current_id == other.id
    QTest.keyClick(window.composer, Qt.Key.Key_Z, CTRL | ALT)
    assert window.current_id == talk  # undo opens the conversation it happened in
    run(wait_until(lambda: window.transcript.order == ids, what="the undo"))
    assert "two" in window.transcript.toPlainText()

    monkeypatch.setattr("opchat_gui.chat.replies.UNDO_SECONDS", 0.2)
    delete_by_keys(window, run, 2)
    run(wait_until(lambda: window.transcript.order == ids[:2], what="the subtree gone"))
    run(wait_until(lambda: "two" not in on_disk(data_dir), what="the erase"))
    QTest.keyClick(window.composer, Qt.Key.Key_Z, CTRL | ALT)  # too late: nothing back
    assert window.transcript.order == ids[:2]
    send(session, run, "three")
    assert sent(server) == ["one", on_disk(data_dir)[1], "three"]


def test_quitting_within_the_undo_time_makes_a_delete_final(open_app, server, run,
                                                            data_dir):
    session = open_app("--url", server.url)
    window = session.window
    send(session, run, "one")
    send(session, run, "two")
    delete_by_keys(window, run, 2)
    assert "two" in on_disk(data_dir)
    run(session.close())
    assert on_disk(data_dir)[0] == "one" and "two" not in on_disk(data_dir)


def link_point(view, href_end: str) -> QPoint:
    """Where on the transcript's viewport the link whose href ends so is drawn."""
    block = view.document().begin()
    while block.isValid():
        fragments = block.begin()
        while not fragments.atEnd():
            fragment = fragments.fragment()
            if fragment.charFormat().anchorHref().endswith(href_end):
                cursor = QTextCursor(view.document())
                cursor.setPosition(fragment.position() + fragment.length() // 2)
                view.setTextCursor(cursor)
                view.ensureCursorVisible()  # scrolled into sight, as a user would
                return view.cursorRect(cursor).center()
            fragments += 1
        block = block.next()
    raise AssertionError(f"no link ending {href_end!r} in the transcript")


def test_the_branch_arrows_work_by_mouse(open_app, server, run):
    session = open_app("--url", server.url)
    window = session.window
    send(session, run, "Theta question")
    [user, first] = session.service.messages(window.current_id)
    QTest.keyClick(window.composer, Qt.Key.Key_R, CTRL)
    run(wait_until(lambda: len(server.requests) == 2, what="the regenerate request"))
    idle(session, run)
    second = window.transcript.order[-1]
    view = window.transcript
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                     Qt.KeyboardModifier.NoModifier, link_point(view, f"/{second}/-1"))
    run(wait_until(lambda: view.order == [user.id, first.id], what="the earlier reply"))
    assert "‹ 1/2 ›" in view.toPlainText()
    send(session, run, "Iota question")
    assert sent(server) == ["Theta question", first.content, "Iota question"]
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                     Qt.KeyboardModifier.NoModifier, link_point(view, f"/{first.id}/1"))
    run(wait_until(lambda: view.order == [user.id, second], what="the regenerated reply"))
    assert "Iota" not in view.toPlainText() and "‹ 2/2 ›" in view.toPlainText()


def test_delete_while_a_reply_streams_says_why_and_deletes_nothing(open_app, server, run):
    session = open_app("--url", server.url)
    window = session.window
    send(session, run, "Kappa one")
    server.default_delay = 0.05  # a slow reply, still streaming when we try
    QTest.keyClicks(window.composer, "Kappa two")
    QTest.keyClick(window.composer, Qt.Key.Key_Return)
    run(wait_until(lambda: session.service.live_text(window.transcript.order[-1])
                   not in (None, ""), what="the reply streaming"))
    order = list(window.transcript.order)
    QTest.keyClick(window.composer, Qt.Key.Key_Up, ALT)
    QTest.keyClick(window.composer, Qt.Key.Key_Up, ALT)
    QTest.keyClick(window.composer, Qt.Key.Key_Delete, ALT)
    assert window.findChild(QMessageBox, "confirmDeleteMessage") is None
    assert "still streaming" in window.statusBar().currentMessage()
    assert window.transcript.order == order
    QTest.keyClick(window.composer, Qt.Key.Key_Escape)  # stop it
    idle(session, run)
    assert session.service.path(window.current_id) == order


def test_a_fork_shows_the_branch_last_left_there_after_a_restart(open_app, server, run):
    session = open_app("--url", server.url)
    window = session.window
    send(session, run, "Nu question")
    first = window.transcript.order[-1]
    for number in (2, 3):  # two more replies: ‹ 3/3 ›
        QTest.keyClick(window.composer, Qt.Key.Key_R, CTRL)
        run(wait_until(lambda n=number: len(server.requests) == n, what="a regenerate"))
        idle(session, run)
    QTest.keyClick(window.composer, Qt.Key.Key_Left, ALT)
    QTest.keyClick(window.composer, Qt.Key.Key_Left, ALT)  # back to the first reply: 1/3
    assert window.transcript.order[-1] == first and "‹ 1/3 ›" in window.transcript.toPlainText()
    edit_last(session, run, "Nu edited")  # leaves that branch for a new one
    assert "‹ 2/2 ›" in window.transcript.toPlainText()
    talk = window.current_id
    run(session.close())

    session = open_app("--url", server.url)
    window = session.window
    assert window.current_id == talk and "Nu edited" in window.transcript.toPlainText()
    QTest.keyClick(window.composer, Qt.Key.Key_Left, ALT)  # back to the first question
    text = window.transcript.toPlainText()
    assert window.transcript.order[-1] == first  # the reply it was left on, not the newest
    assert "‹ 1/2 ›" in text and "‹ 1/3 ›" in text and "Nu edited" not in text
    send(session, run, "Xi question")
    assert sent(server) == ["Nu question", session.history.message(first).content,
                            "Xi question"]
