"""A long conversation opens with its newest messages only; older ones come when the
user scrolls up to them, and whatever needs an older message or the whole conversation
(Ctrl+Home, find, select-all + copy, a search hit) brings it in first (issue 18: the
layout of every message is memory no Qt call gives back). A real window, offscreen, on
a real history file, driven by keys."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QGuiApplication, QTextCursor
from PySide6.QtTest import QTest

from opchat_gui.ui.transcript import older_hint
from tests.conftest import wait_until
from tests.keyboard import press, seed, type_text

MESSAGES = 600
FIRST_WORD = "aardvarkfirst"  # only in the first message
OLD_WORD = "quokkaelder"  # only in message 50 (of 600)


def text_of(number: int) -> str:
    words = {1: f" {FIRST_WORD}", 50: f" {OLD_WORD}"}.get(number, "")
    body = (f"Message number {number} of the long conversation.{words}\n\n"
            "A second paragraph, so that each message takes a few lines on screen.")
    return body


@pytest.fixture
def long_conversation(open_app, server, run):
    session = open_app("--url", server.url)
    window = session.window
    window.resize(1000, 700)
    window.show()
    messages = [("user" if n % 2 else "assistant", text_of(n))
                for n in range(1, MESSAGES + 1)]
    (conversation,) = seed(session, [("Long", messages)])
    window.open_conversation(conversation)
    transcript = window.transcript
    run(wait_until(lambda: transcript.settled, what="the open to settle"))
    first = session.service.messages(conversation)[0].id
    return session, first


def visible_anchor(transcript) -> tuple[int, int]:
    """The message whose header is the first one on screen, and its header's y."""
    top = transcript.cursorForPosition(QPoint(40, 40)).position()
    message_id = transcript.message_at(top)
    assert message_id is not None
    cursor = QTextCursor(transcript.document())
    cursor.setPosition(transcript.index.position(message_id) or 0)
    return message_id, transcript.cursorRect(cursor).top()


def on_screen(transcript, message_id: int) -> bool:
    cursor = QTextCursor(transcript.document())
    cursor.setPosition(transcript.index.position(message_id) or 0)
    rect = transcript.cursorRect(cursor)
    return 0 <= rect.top() and rect.bottom() <= transcript.viewport().height()


def test_opening_renders_the_newest_messages_only(long_conversation):
    session, first = long_conversation
    transcript = session.window.transcript
    assert 30 <= len(transcript.order) <= MESSAGES // 3
    assert not transcript.fully_loaded and first not in transcript.order
    assert f"Message number {MESSAGES} of" in transcript.toPlainText()
    assert FIRST_WORD not in transcript.toPlainText()
    bar = transcript.verticalScrollBar()
    assert bar.value() == bar.maximum()  # the newest message in view


def test_scrolling_up_loads_older_pages_and_what_is_on_screen_stays_put(long_conversation,
                                                                       run):
    session, first = long_conversation
    transcript = session.window.transcript
    transcript.setFocus()
    loads = 0
    presses = 0
    while not transcript.fully_loaded:
        before = len(transcript.order)
        QTest.keyClick(transcript, Qt.Key.Key_PageUp)
        presses += 1
        anchor, y = visible_anchor(transcript)
        run(wait_until(lambda: transcript.settled, what="the older page"))
        if len(transcript.order) > before:  # a page joined above: no jump, no gap
            loads += 1
            assert visible_anchor(transcript) == (anchor, y)
            assert transcript.verticalScrollBar().value() > 0
        assert presses < 2000, "PageUp never reached the first message"
    assert loads >= 3  # 600 messages came in page by page, not at once
    assert transcript.order[0] == first
    while transcript.verticalScrollBar().value() > 0:
        QTest.keyClick(transcript, Qt.Key.Key_PageUp)
    assert on_screen(transcript, first)


def test_ctrl_home_reaches_the_first_message(long_conversation, run):
    session, first = long_conversation
    window = session.window
    press(window, "Ctrl+Home")
    transcript = window.transcript
    # Older pages come a page per step (no long freeze), the view held at the top under
    # the "Loading older messages…" label, which goes once they are all in.
    assert not transcript.fully_loaded and transcript.verticalScrollBar().value() == 0
    assert older_hint.shown(transcript, not transcript.pager.settled)
    run(wait_until(lambda: transcript.fully_loaded, what="every older page"))
    assert not older_hint.shown(transcript, not transcript.pager.settled)
    assert len(transcript.order) == MESSAGES
    assert transcript.verticalScrollBar().value() == 0
    assert on_screen(transcript, first)


def test_ctrl_end_while_ctrl_home_loads_stays_at_the_end(long_conversation, run):
    # The view is held at the top only while it stays there: Ctrl+End (or any scroll)
    # ends it, and the pages still coming keep what is on screen where it is.
    session, _first = long_conversation
    window = session.window
    transcript = window.transcript
    press(window, "Ctrl+Home")
    assert not transcript.fully_loaded
    press(window, "Ctrl+End")
    run(wait_until(lambda: transcript.settled, what="the page on its way"))
    bar = transcript.verticalScrollBar()
    assert bar.value() == bar.maximum()


def test_find_finds_a_word_only_in_the_first_message(long_conversation, run):
    # Older messages load in background steps under "Searching older messages…" (one
    # step would freeze the window for seconds at 10,000); the keys typed meanwhile reach
    # the field, and the result comes once everything is in.
    session, first = long_conversation
    window = session.window
    transcript = window.transcript
    press(window, "Ctrl+F")
    type_text(window, FIRST_WORD[:4])
    assert window.find_bar.hint.text() == "Searching older messages…"
    assert not transcript.fully_loaded
    type_text(window, FIRST_WORD[4:])  # typed while the search waits
    assert window.find_bar.field.text() == FIRST_WORD
    run(wait_until(lambda: window.find_bar.count.text() == "1 of 1",
                   what="the find's result"))
    assert transcript.fully_loaded and len(transcript.order) == MESSAGES
    assert transcript.textCursor().selectedText() == FIRST_WORD
    assert transcript.message_at(transcript.textCursor().position()) == first
    tinted = [s.cursor.selectedText() for s in transcript.extraSelections()]
    assert tinted == [FIRST_WORD]  # the match highlighted...
    rect = transcript.cursorRect(transcript.textCursor())
    assert 0 <= rect.top() and rect.bottom() <= transcript.viewport().height()  # ...in view
    press(window, "Return")  # the next match: the same one, the search wraps
    assert transcript.message_at(transcript.textCursor().position()) == first
    assert window.find_bar.count.text() == "1 of 1"


def test_a_query_typed_during_the_search_wins(long_conversation, run):
    session, _first = long_conversation
    window = session.window
    transcript = window.transcript
    press(window, "Ctrl+F")
    type_text(window, OLD_WORD)
    assert window.find_bar.hint.text() == "Searching older messages…"
    press(window, "Ctrl+A")  # in the field: the query typed over
    type_text(window, FIRST_WORD)
    run(wait_until(lambda: transcript.fully_loaded and not window.find_bar.searching,
                   what="the search"))
    assert window.find_bar.count.text() == "1 of 1"
    assert transcript.textCursor().selectedText() == FIRST_WORD
    press(window, "Escape")  # keys go on working: Esc closes the bar
    assert not window.find_bar.isVisible()


def test_esc_during_the_search_closes_the_bar_and_nothing_follows(long_conversation, run):
    session, _first = long_conversation
    window = session.window
    transcript = window.transcript
    press(window, "Ctrl+F")
    type_text(window, FIRST_WORD)
    press(window, "Escape")
    assert not window.find_bar.isVisible()
    run(wait_until(lambda: transcript.fully_loaded, what="the load to end"))
    assert not window.find_bar.isVisible()
    assert not transcript.textCursor().hasSelection()


def test_another_conversation_during_the_search_drops_it(long_conversation, run):
    session, _first = long_conversation
    window = session.window
    press(window, "Ctrl+F")
    type_text(window, FIRST_WORD)
    assert window.find_bar.searching
    press(window, "Ctrl+N")  # a new conversation: the old one's older messages never come
    assert not window.find_bar.searching
    assert window.find_bar.hint.text() != "Searching older messages…"
    run(wait_until(lambda: window.transcript.settled, what="the new conversation"))
    assert not window.find_bar.searching and window.find_bar.count.text() == ""


def test_select_all_and_copy_hold_the_whole_conversation(long_conversation, run):
    session, _first = long_conversation
    window = session.window
    transcript = window.transcript
    clipboard = QGuiApplication.clipboard()
    clipboard.setText("")
    transcript.setFocus()
    press(window, "Ctrl+A")  # older messages load in steps; Ctrl+C waits for them
    press(window, "Ctrl+C")
    assert not transcript.fully_loaded and clipboard.text() == ""
    run(wait_until(lambda: clipboard.text() != "", what="the copy"))
    copied = clipboard.text()
    assert len(transcript.order) == MESSAGES
    assert FIRST_WORD in copied and f"Message number {MESSAGES} of" in copied
    assert copied.index(FIRST_WORD) < copied.index(f"Message number {MESSAGES} of")
    # The same as what a transcript rendered whole in one step copies.
    conversation = window.current_id
    window.open_conversation(None)
    window.open_conversation(conversation)
    run(wait_until(lambda: transcript.settled, what="the reopen"))
    transcript.load_all()
    assert transcript.fully_loaded
    clipboard.setText("")
    transcript.setFocus()
    press(window, "Ctrl+A")
    press(window, "Ctrl+C")
    assert clipboard.text() == copied


def test_a_theme_change_while_a_page_loads_reaches_every_message(long_conversation, run):
    session, _first = long_conversation
    window = session.window
    transcript = window.transcript
    before = transcript.colours
    press(window, "Ctrl+Home")
    run(wait_until(lambda: transcript.pager.rendered_aside > 0, what="a page half done"))
    session.settings.set("theme", "light" if before.dark else "dark")
    after = transcript.colours
    assert after.user_label != before.user_label
    run(wait_until(lambda: transcript.fully_loaded, what="every older page"))
    assert len(transcript.order) == MESSAGES
    for message_id in transcript.order:
        header = transcript.index.header(message_id)
        assert header is not None
        label = header.begin().fragment().charFormat().foreground().color().name()
        role = transcript.messages[message_id].role
        assert label == (after.user_label if role == "user" else after.assistant_label)


def test_a_search_hit_on_an_old_message_shows_it(long_conversation, run):
    session, first = long_conversation
    window = session.window
    transcript = window.transcript
    target = first + 49  # message 50: ids follow one another in the seeded chain
    assert target not in transcript.order
    press(window, "Ctrl+Shift+F")
    type_text(window, OLD_WORD)
    press(window, "Return")
    # Its older messages come in background steps (no freeze), the view at the top.
    assert target not in transcript.order and transcript.verticalScrollBar().value() == 0
    run(wait_until(lambda: target in transcript.order, what="the hit's message"))
    assert transcript.message_at(transcript.textCursor().position()) == target
    run(wait_until(lambda: window.find_bar.count.text() == "1 of 1", what="the find bar"))
    assert transcript.fully_loaded
    assert transcript.textCursor().selectedText() == OLD_WORD
    assert transcript.message_at(transcript.textCursor().position()) == target
    cursor = transcript.textCursor()
    rect = transcript.cursorRect(cursor)
    assert 0 <= rect.top() <= transcript.viewport().height()
