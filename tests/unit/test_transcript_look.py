"""The transcript's shape where a test can tell: the reading column, the user's bubbles,
no dead band above the first message."""

from __future__ import annotations

from PySide6.QtGui import QColor, QFontInfo

from opchat_gui.ui.transcript.column import COLUMN_EM, SIDE, USER_INDENT, scroll_bar_room
from tests.transcript_helpers import msg


def first_header_rect(view, number: int = 0):
    head = view.index.header(view.order[number])
    return view.document().documentLayout().blockBoundingRect(head)


def test_a_wide_window_keeps_a_centred_column_of_at_most_46_em(view, qtbot):
    view.show_messages([msg(1, "user", "Hello"), msg(2, "assistant", "word " * 400)])
    view.resize(1600, 600)
    qtbot.waitUntil(lambda: view.viewport().width() > 1500)
    em = QFontInfo(view.font()).pixelSize()
    rect = first_header_rect(view, 1)  # the reply's: no bubble margins
    assert rect.width() <= COLUMN_EM * em + 1
    # Centred as if the scroll bar showed (its room is kept while it does not).
    left, right = rect.left(), view.viewport().width() - scroll_bar_room(view) - rect.right()
    assert abs(left - right) <= 2  # centred
    view.resize(500, 600)  # narrow: the column takes the width, less the margins
    qtbot.waitUntil(lambda: view.viewport().width() < 520)
    rect = first_header_rect(view, 1)
    assert rect.left() == SIDE
    assert rect.width() >= view.viewport().width() - scroll_bar_room(view) - 2 * SIDE - 1
    assert view.horizontalScrollBar().maximum() == 0


def test_nothing_but_the_header_gap_stands_above_the_first_message(view):
    view.show_messages([msg(1, "assistant", "First"), msg(2, "user", "Second")])
    view.verticalScrollBar().setValue(0)
    assert first_header_rect(view).top() <= 30  # was an empty line plus two margins (~56)


def test_the_users_messages_sit_in_rounded_bubbles_on_the_right(view, qtbot):
    view.resize(900, 500)
    view.show_messages([msg(1, "user", "A question that is long enough " * 3),
                        msg(2, "assistant", "An answer."), msg(3, "user", "Thanks")])
    view.verticalScrollBar().setValue(0)
    bubbles = view.bubbles.rects(0, view.document().size().height())
    assert len(bubbles) == 2
    head = first_header_rect(view)
    first = bubbles[0]
    assert first.left() == head.left() + USER_INDENT  # indented to the right
    assert first.top() < head.top() and first.right() > head.left() + USER_INDENT
    image = view.viewport().grab().toImage()
    fill = QColor(view.colours.user_bg)
    inside = image.pixelColor(int(first.left()) + 4, int(first.center().y()))
    corner = image.pixelColor(int(first.left()) + 1, int(first.top()) + 1)
    assert inside == fill  # painted under the text
    assert corner != fill  # and rounded at its corners
    for mode in ("light", "dark"):  # a theme change repaints it in the new colour
        from opchat_gui.ui import theme as themes
        view.set_theme(themes.THEMES[mode])
        view.verticalScrollBar().setValue(0)
        first = view.bubbles.rects(0, view.document().size().height())[0]
        image = view.viewport().grab().toImage()
        assert image.pixelColor(int(first.left()) + 4, int(first.center().y())) \
            == QColor(view.colours.user_bg)


def icon_links(view) -> list[tuple[str, str, str]]:
    """(icon name, href, tool tip) of every action icon in the document, in order."""
    found = []
    block = view.document().begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fmt = it.fragment().charFormat()
            if fmt.isImageFormat() and fmt.toImageFormat().name().startswith("opchat-icon:"):
                name = fmt.toImageFormat().name()[len("opchat-icon:"):].split("/")[0]
                found.append((name, fmt.anchorHref(), fmt.toolTip()))
            it += 1
        block = block.next()
    return found


def test_message_actions_are_icons_with_tips_a_focus_ring_and_no_copied_text(view, qtbot):
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QToolTip

    view.show_messages([msg(1, "user", "Hello"), msg(2, "assistant", "Hi there.")])
    # one shared format per action (the message is where it is clicked): no id in them
    assert [(name, href) for name, href, _ in icon_links(view)] == [
        ("pencil", "opchat:edit/"), ("copy", "opchat:copy-message/"),
        ("copy", "opchat:copy-message/"), ("refresh-cw", "opchat:regenerate/")]
    assert view.document().findBlock(  # your message's icons sit on its header line
        view.index.position(1)).text().startswith("You")
    assert all(tip for _, _, tip in icon_links(view))
    assert view.loadResource(2, "opchat-icon:copy/#59636e") is not None  # drawn, not fetched
    with qtbot.waitSignal(view.messageActionRequested) as edit:
        view.actions.on_anchor(__import__("PySide6.QtCore").QtCore.QUrl("opchat:edit/1"))
    assert edit.args == ["edit", 1]
    # Tab reaches each action; the one reached is ringed and says what it does.
    view.activateWindow()
    view.setFocus()
    qtbot.waitUntil(view.hasFocus)
    QTest.keyClick(view, Qt.Key.Key_Tab)
    ring = view.link_focus.rect()
    assert ring is not None and view.textCursor().charFormat().anchorHref() == "opchat:edit/"
    assert QToolTip.text() == icon_links(view)[0][2]
    image = view.viewport().grab().toImage()
    edge = {image.pixelColor(int(ring.left()), y).name()
            for y in range(int(ring.top()) + 4, int(ring.bottom()) - 4)}
    assert view.theme.highlight in edge
    with qtbot.waitSignal(view.messageActionRequested) as edit:  # Enter runs it
        QTest.keyClick(view, Qt.Key.Key_Return)
    assert edit.args == ["edit", 1]
    # a click on the reply's copy icon copies the reply (the message under the pointer)
    layout = view.document().documentLayout()
    block = view.document().findBlock(view.document().characterCount() - 2)
    line = block.layout().lineAt(0)
    spot = layout.blockBoundingRect(block).topLeft() + line.rect().topLeft()
    spot.setX(spot.x() + 8)
    spot.setY(spot.y() + line.height() / 2 - view.verticalScrollBar().value())
    assert view.anchorAt(spot.toPoint()) == "opchat:copy-message/"
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QHelpEvent

    QToolTip.hideText()
    hover = QHelpEvent(QEvent.Type.ToolTip, spot.toPoint(),
                       view.viewport().mapToGlobal(spot.toPoint()))
    QApplication.sendEvent(view.viewport(), hover)  # pointing at it says what it does
    assert QToolTip.text() == "Copy"
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     spot.toPoint())
    assert QApplication.clipboard().text() == "Hi there."
    view.clearFocus()  # no keyboard focus, no ring
    assert view.link_focus.rect() is None
    # Copying the whole transcript gives the words, not the icons' placeholders.
    view.selectAll()
    text = view.createMimeDataFromSelection().text()
    assert "\ufffc" not in text and "Hello" in text and "Hi there." in text
    QApplication.clipboard().clear()


def tail_text(view) -> str:
    """What the streaming reply's open block shows (from the tail to the end)."""
    from PySide6.QtGui import QTextCursor

    cursor = QTextCursor(view.document())
    cursor.setPosition(view._tail.position())
    cursor.movePosition(QTextCursor.MoveOperation.End, QTextCursor.MoveMode.KeepAnchor)
    return cursor.selectedText()


def test_the_open_block_streams_formatted_never_as_raw_markdown(view):
    from PySide6.QtGui import QFont

    from opchat_gui.core.messages import MessageState

    view.show_messages([msg(1, "user", "go")])
    view.add_message(msg(2, "assistant", "", MessageState.STREAMING))
    reply = ("## A heading\n\nSome **bold words** and `code` here.\n\n- one\n- two **strong**"
             "\n\n| Key | Value |\n|---|---|\n| a | 1 |\n\nThe end.")
    for start in range(0, len(reply), 2):  # two characters per update: every cut point
        view.append_chunk(2, reply[start:start + 2])
        shown = tail_text(view)
        for raw in ("**", "##", "`", "|---", "\u2029- "):
            assert raw not in shown, (reply[:start + 2], shown)
    # formatted as it streams: the open block's bold is bold before the block ends
    view.append_chunk(2, "\n\nMore **bold")
    cursor = view.document().find("bold", view._tail.position())
    assert cursor.charFormat().fontWeight() == QFont.Weight.Bold
    # a code fence and a formula stay plain while open (cost, and typesetting per block)
    view.append_chunk(2, "**\n\n```python\nx = 1\n")
    assert "x = 1" in tail_text(view) and view._splitter.in_fence
    view.update_message(msg(2, "assistant", reply + "\n\nMore **bold**\n\n```python\nx = 1\n```\n"))
    text = view.toPlainText()
    assert "**" not in text and "```" not in text and "x = 1" in text


def test_a_table_that_fits_stays_in_the_column_with_readable_columns(view):
    """Seven short columns still fit (a wider one scrolls: test_wide_tables.py)."""
    from PySide6.QtGui import QTextTable

    columns = 7
    head = "| " + " | ".join(f"Header {n}" for n in range(columns)) + " |"
    row = "| " + " | ".join(f"value {n}" for n in range(columns)) + " |"
    table = "\n".join([head, "|" + "---|" * columns, row, row])
    view.resize(1000, 600)
    view.show_messages([msg(1, "assistant", table + "\n\n| a | b |\n|---|---|\n| 1 | 2 |\n")])
    layout = view.document().documentLayout()
    wide, small = [frame for frame in view.document().rootFrame().childFrames()
                   if isinstance(frame, QTextTable)]
    column = first_header_rect(view)
    frame = layout.frameBoundingRect(wide)
    assert frame.width() <= column.width() and frame.right() < view.viewport().width() - 12
    assert view.horizontalScrollBar().maximum() == 0  # the transcript never scrolls sideways
    char = view.fontMetrics().averageCharWidth()
    for number in range(wide.columns()):
        cell = layout.blockBoundingRect(wide.cellAt(1, number).firstCursorPosition().block())
        assert cell.width() >= 4 * char, number  # a few letters a line, not one or two
    # set smaller than a narrow table, so its columns stay wider in letters
    wide_size = wide.cellAt(1, 0).firstCursorPosition().charFormat().font().pointSizeF()
    small_size = small.cellAt(1, 0).firstCursorPosition().charFormat().font().pointSizeF()
    assert wide_size < small_size or (wide_size <= 0 < small_size)


def test_a_list_after_a_heading_leaves_no_empty_bullet_behind(view):
    from opchat_gui.core.messages import MessageState

    view.show_messages([msg(1, "user", "go")])
    view.add_message(msg(2, "assistant", "", MessageState.STREAMING))
    reply = "A paragraph.\n\n## A heading\n\n- Press **Esc** to stop.\n- Another point.\n\nEnd."
    for char in reply:  # every cut point
        view.append_chunk(2, char)
        block = view.document().begin()
        while block.isValid() and block.next().isValid():  # all but the growing last one
            assert not (block.textList() and not block.text().strip("\u200b ")), block.text()
            block = block.next()


def test_the_end_stays_in_view_when_the_window_narrows(view, qtbot):
    view.resize(900, 400)
    view.show_messages([msg(n, "assistant", "A paragraph that wraps. " * 20) for n in range(1, 6)])
    view.scroll_to_end()
    assert view._at_bottom()
    view.resize(420, 400)  # the text reflows, longer: the view follows its end
    qtbot.waitUntil(lambda: view.viewport().width() < 430)
    assert view._at_bottom()
    view.verticalScrollBar().setValue(0)  # scrolled up by the user: it stays there
    view.resize(600, 400)
    assert view.verticalScrollBar().value() == 0


def fragments(view) -> list[tuple[str, int, bool, bool, str]]:
    """The open block as the reader sees it: each run of text with its weight, slant,
    whether it is monospace, and its link."""
    runs = []
    block = view.document().findBlock(view._tail.position())
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            fmt = fragment.charFormat()
            runs.append((fragment.text(), int(fmt.fontWeight()), fmt.fontItalic(),
                         fmt.fontFixedPitch() or "mono" in ",".join(fmt.fontFamilies() or []),
                         fmt.anchorHref()))
            it += 1
        runs.append(("\u2029", 0, False, False, ""))
        block = block.next()
    merged: list[tuple[str, int, bool, bool, str]] = []
    for run in runs:  # Qt may split a run where a render would not: join equal formats
        if merged and merged[-1][1:] == run[1:]:
            merged[-1] = (merged[-1][0] + run[0], *run[1:])
        else:
            merged.append(run)
    return merged


def test_words_added_to_the_open_block_show_as_a_render_of_it_would(qapp, monkeypatch):
    """Plain words at the end of the open block go straight in (tail.appends_as_text);
    at every cut point the block looks exactly as rendering it again would show it."""
    from opchat_gui.core.messages import MessageState
    from opchat_gui.ui.transcript import view as views
    from opchat_gui.ui.transcript.view import Transcript

    reply = ("## A heading that goes on\n\nSome **bold words that go on** and `code that "
             "goes on` here, *with emphasis, and more* then plain words. A second "
             "sentence; with punctuation! And don't stop. See example.com or main.py now\n"
             "still the same paragraph\n\n- one point that grows\n- two **strong and "
             "long** point\n1. a number\n\n> a quote that grows\n\n12 monkeys went on\n\n"
             "A [link that](http://example.org/a) ends and _under score_ words, café über "
             "naïve\n\nWell-known words (in brackets): a note - then more; see http://x.org "
             "and a-b.com or 2-3 x\n\n- a point (with words) - and more\n-- not a list\n\n"
             "The end.")
    views_made = []
    for _made in range(2):  # words straight in, and every update rendered again
        view = Transcript()
        view.resize(700, 500)
        view.show()
        view.show_messages([msg(1, "user", "go")])
        view.add_message(msg(2, "assistant", "", MessageState.STREAMING))
        views_made.append(view)
    fast_view, slow_view = views_made
    taken = 0
    real = views.appends_as_text

    def counted(pending: str, shown: int) -> bool:
        nonlocal taken
        ok = real(pending, shown)
        taken += ok
        return ok

    try:
        for size in (1, 2, 3, 5, 7):  # different cut points
            for view in views_made:
                view.add_message(msg(2, "assistant", "", MessageState.STREAMING))
            for start in range(0, len(reply), size):
                piece = reply[start:start + size]
                monkeypatch.setattr(views, "appends_as_text", counted)
                fast_view.append_chunk(2, piece)
                monkeypatch.setattr(views, "appends_as_text", lambda _p, _s: False)
                slow_view.append_chunk(2, piece)
                assert fragments(fast_view) == fragments(slow_view), reply[:start + size]
                assert fast_view.toPlainText() == slow_view.toPlainText()
    finally:
        for view in views_made:
            view.close()
            view.deleteLater()
    assert taken > 100  # the words did go straight in, most of the time
