"""A table too wide for the reading column scrolls sideways on its own: by the wheel over
it and by keys, its columns keep a readable width, and the transcript itself never
scrolls sideways (render/wide_tables.py, ui/transcript/wide_table.py)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QTextTable, QWheelEvent
from PySide6.QtWidgets import QApplication

from opchat_gui.core.messages import MessageState
from opchat_gui.render.colours import LIGHT
from opchat_gui.render.markdown import render_markdown
from opchat_gui.render.wide_tables import needs_scroll
from opchat_gui.ui.transcript.wide_table import OBJECT, OBJECT_TYPE, source_of
from tests.transcript_helpers import msg

COLUMNS = 12
HEAD = "| " + " | ".join(f"Header {n}" for n in range(COLUMNS)) + " |"
ROW = "| " + " | ".join(f"value_{n}_with_a_long_identifier" for n in range(COLUMNS)) + " |"
WIDE = "\n".join([HEAD, "|" + "---|" * COLUMNS, ROW, ROW])
NARROW = "| a | b |\n|---|---|\n| 1 | 2 |"


def test_only_a_table_whose_columns_cannot_fit_is_rendered_apart():
    rendered = render_markdown(f"Before\n\n{WIDE}\n\nMiddle\n\n{NARROW}\n", LIGHT)
    [(table_html, source)] = rendered.tables
    assert source == WIDE  # copied as the Markdown it was
    assert "Header 11" in table_html and "Header 11" not in rendered.html
    assert 'src="opchat-table:0"' in rendered.html
    assert "<table" in rendered.html  # the narrow one stays in the text
    assert not needs_scroll([["a", "b"], ["1", "2"]])
    assert not needs_scroll([["x" * 200, "y" * 200]])  # two long columns wrap instead
    assert needs_scroll([[f"column {n}" for n in range(9)]])


def wide_table_key(view):
    """The wide table's key, once the view has drawn it."""
    view.viewport().grab()  # paint: a table is found by where it was drawn
    document = view.document()
    found = document.find(OBJECT)
    while not found.isNull():
        if found.charFormat().objectType() == OBJECT_TYPE:
            return found.charFormat().property(source_of.__globals__["HTML"])
        found = document.find(OBJECT, found.selectionEnd())
    raise AssertionError("no wide table in the transcript")


def table_rect(view, key):
    rect, _position = view.tables._drawn[key]
    return rect.translated(-view.horizontalScrollBar().value(),
                           -view.verticalScrollBar().value())


@pytest.fixture
def shown(view):
    view.resize(900, 600)
    view.show_messages([msg(1, "user", "Show me a table"),
                        msg(2, "assistant", f"Here:\n\n{WIDE}\n\nAnd a small one:\n\n{NARROW}\n")])
    view.verticalScrollBar().setValue(0)
    return view


def test_a_wide_table_is_wider_than_its_view_and_the_transcript_is_not(shown):
    view = shown
    key = wide_table_key(view)
    content, width = view.tables.extent(key)
    assert content > width + 100  # it overflows its view...
    assert view.horizontalScrollBar().maximum() == 0  # ...and the transcript does not
    column = view.document().textWidth() - 2 * view.document().rootFrame().frameFormat() \
        .leftMargin()
    assert width <= column
    # its columns keep a readable width: none is a letter or two
    table = next(frame for frame in view.tables.document_of(key).rootFrame().childFrames()
                 if isinstance(frame, QTextTable))
    layout = view.tables.document_of(key).documentLayout()
    char = view.fontMetrics().averageCharWidth()
    for number in range(table.columns()):
        cell = layout.blockBoundingRect(table.cellAt(1, number).firstCursorPosition().block())
        assert cell.width() >= 6 * char, number
    # the narrow table stays a table in the text, where find reaches its cells
    assert any(isinstance(frame, QTextTable) for frame in view.document().rootFrame()
               .childFrames())


def wheel(view, at: QPointF, angle: QPoint, modifiers=Qt.KeyboardModifier.NoModifier):
    event = QWheelEvent(at, view.viewport().mapToGlobal(at), QPoint(0, 0), angle,
                        Qt.MouseButton.NoButton, modifiers, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(view.viewport(), event)


def picture(view, rect):
    return view.viewport().grab(rect.toAlignedRect()).toImage()


def test_the_wheel_over_a_wide_table_scrolls_it_sideways(shown):
    view = shown
    key = wide_table_key(view)
    rect = table_rect(view, key)
    before = picture(view, rect)
    top = view.verticalScrollBar().value()
    wheel(view, rect.center(), QPoint(0, -120), Qt.KeyboardModifier.ShiftModifier)
    assert view.tables.offsets[key] > 0  # Shift+wheel down: further right
    assert view.verticalScrollBar().value() == top  # the transcript stayed put
    assert picture(view, rect) != before  # what shows of the table moved
    moved = view.tables.offsets[key]
    wheel(view, rect.center(), QPoint(-240, 0))  # a horizontal wheel / trackpad
    assert view.tables.offsets[key] > moved
    wheel(view, rect.center(), QPoint(10_000, 0))  # back past the start: stops at it
    assert view.tables.offsets.get(key, 0) == 0
    assert picture(view, rect) == before
    # a Shift+wheel away from the table moves no table
    wheel(view, QPointF(rect.center().x(), rect.top() - 40), QPoint(0, -120),
          Qt.KeyboardModifier.ShiftModifier)
    assert view.tables.offsets.get(key, 0) == 0


def test_keys_scroll_the_table_that_has_the_keyboard(shown, qtbot):
    view = shown
    key = wide_table_key(view)
    content, width = view.tables.extent(key)
    qtbot.keyClick(view, Qt.Key.Key_Right)  # no table has the keyboard: nothing moves
    assert view.tables.offsets.get(key, 0) == 0
    view.setFocus()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                     pos=table_rect(view, key).center().toPoint())
    assert view.tables.active == key
    qtbot.keyClick(view, Qt.Key.Key_Right)
    qtbot.keyClick(view, Qt.Key.Key_Right)
    assert view.tables.offsets[key] > 0
    qtbot.keyClick(view, Qt.Key.Key_End)
    assert view.tables.offsets[key] == pytest.approx(content - width)
    qtbot.keyClick(view, Qt.Key.Key_Left)
    assert view.tables.offsets[key] < content - width
    qtbot.keyClick(view, Qt.Key.Key_Home)
    assert view.tables.offsets.get(key, 0) == 0
    # a click elsewhere lets it go; choosing its message by keys takes it again
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(5, 5))
    assert view.tables.active is None
    view.actions.step(-1)  # Alt+Up: the reply
    qtbot.keyClick(view, Qt.Key.Key_End)
    assert view.tables.active == key and view.tables.offsets[key] > 0


def test_copying_a_selection_gives_the_table_as_markdown(shown):
    view = shown
    view.selectAll()
    text = view.createMimeDataFromSelection().text()
    assert WIDE in text and "Here:" in text and "And a small one:" in text
    assert OBJECT not in text


def test_a_streamed_wide_table_ends_up_scrolling(view):
    view.show_messages([msg(1, "user", "table please")])
    view.add_message(msg(2, "assistant", "", MessageState.STREAMING))
    reply = f"Here:\n\n{WIDE}\n\nDone."
    for start in range(0, len(reply), 17):
        view.append_chunk(2, reply[start:start + 17])
    view.update_message(msg(2, "assistant", reply))
    key = wide_table_key(view)
    content, width = view.tables.extent(key)
    assert content > width and view.horizontalScrollBar().maximum() == 0
    assert "Done." in view.toPlainText()


def test_a_long_code_line_wraps_in_the_column_instead_of_widening_the_transcript(view):
    line = "result = compute(" + ", ".join(f"argument_{n}" for n in range(40)) + ")"
    view.show_messages([msg(1, "assistant", f"```python\n{line}\n```\n")])
    assert view.horizontalScrollBar().maximum() == 0
    assert view.document().size().width() <= view.viewport().width()
    assert line in view.toPlainText()  # wrapped on screen, one line of text
    assert view.index.codes[1] == [line + "\n"]  # and copied as it was


def test_dragging_the_indicator_scrolls_the_table(shown, qtbot):
    view = shown
    key = wide_table_key(view)
    content, width = view.tables.extent(key)
    rect = table_rect(view, key)
    strip_y = int(rect.bottom() - 4)  # the indicator under the table
    qtbot.mousePress(view.viewport(), Qt.MouseButton.LeftButton,
                     pos=QPoint(int(rect.left()) + 5, strip_y))
    assert view.tables.offsets.get(key, 0) == 0  # pressed at its start: the first columns
    qtbot.mouseMove(view.viewport(), QPoint(int(rect.center().x()), strip_y))
    middle = view.tables.offsets[key]
    assert 0 < middle < content - width
    qtbot.mouseMove(view.viewport(), QPoint(int(rect.right()) - 2, strip_y))
    assert view.tables.offsets[key] == pytest.approx(content - width)  # dragged to its end
    qtbot.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton,
                       pos=QPoint(int(rect.right()) - 2, strip_y))
    assert not view.textCursor().hasSelection()  # a drag on it selects no text
    qtbot.mouseMove(view.viewport(), QPoint(int(rect.left()) + 5, strip_y))
    assert view.tables.offsets[key] == pytest.approx(content - width)  # released: stays


def test_find_reaches_a_wide_tables_cells_and_scrolls_to_them(shown):
    from opchat_gui.ui.panels.find_bar import FindBar

    view = shown
    key = wide_table_key(view)
    bar = FindBar(view)
    bar.object_matches = view.table_matches
    bar.show_object_match = view.show_table_match
    bar.field.setText("Header 11")  # only in the table, in its last column
    assert bar.count.text() == "1 of 1"
    assert view.tables.key_at(view.document(), view.textCursor().selectionStart()) == key
    content, width = view.tables.extent(key)
    assert view.tables.offsets[key] > content - width - width  # its last columns in view
    bar.field.setText("Here:")  # text around the table still found, in order
    assert bar.count.text() == "1 of 1"
    bar.field.setText("value_3_with")  # in two rows of one table: one match, the table
    assert bar.count.text() == "1 of 1"
    bar.field.setText("nowhere to be found")
    assert bar.count.text() == "No matches"


def test_a_narrower_window_narrows_the_tables_view_not_the_transcript(shown, qtbot):
    view = shown
    key = wide_table_key(view)
    _content, wide = view.tables.extent(key)
    view.resize(520, 600)
    qtbot.waitUntil(lambda: view.viewport().width() < 540)
    view.viewport().grab()
    _content, narrow = view.tables.extent(key)
    assert narrow < wide and narrow <= view.viewport().width() - 2 * 18  # the margins
    assert view.horizontalScrollBar().maximum() == 0
