"""A big table's grid keeps each row on one line and scrolls sideways as a wide table
does (render/big_tables.py, ui/transcript/wide_table.py): the reading column wraps code,
and a wrapped grid lost its alignment. A real offscreen Transcript."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt

from opchat_gui.render.wide_tables import is_grid
from tests.conftest import wait_until
from tests.transcript_helpers import msg
from tests.unit.test_big_tables import table
from tests.unit.test_wide_tables import picture, table_rect, wheel, wide_table_key

SOURCE = table(300, 30)


@pytest.fixture
def shown(view, run):
    view.resize(900, 600)
    view.show_messages([msg(1, "user", "A big table"),
                        msg(2, "assistant", f"Here:\n\n{SOURCE}\n\nDone.")])
    run(wait_until(lambda: view.fully_loaded, what="the reply's last piece"))
    view.verticalScrollBar().setValue(0)
    return view


def visible_point(view, key) -> QPointF:
    """A point on the grid inside the viewport (the grid is taller than the view)."""
    rect = table_rect(view, key)
    return QPointF(rect.center().x(), max(rect.top(), 0) + 40)


def test_each_row_is_one_line_wider_than_the_column_and_the_transcript_is_not(shown):
    view = shown
    key = wide_table_key(view)
    assert is_grid(key)
    grid = view.tables.grid_of(key)
    assert grid is not None and len(grid.lines) == 302  # header, rule, 300 rows
    assert grid.lines[0].endswith("| h29") and grid.lines[-1].endswith("| r299c29")
    # drawn one row a line: as tall as 302 lines, as wide as the longest row
    rect = table_rect(view, key)
    spacing = grid.metrics.lineSpacing()
    assert 302 * spacing <= rect.height() < 303 * spacing + 20
    content, width = view.tables.extent(key)
    assert content >= grid.metrics.horizontalAdvance(grid.lines[-1])
    assert content > width + 100  # it overflows its view...
    assert view.horizontalScrollBar().maximum() == 0  # ...the transcript does not
    assert view.document().size().width() <= view.viewport().width()


def test_the_wheel_and_keys_scroll_the_grid(shown, qtbot):
    view = shown
    key = wide_table_key(view)
    at = visible_point(view, key)
    band = table_rect(view, key).intersected(view.viewport().rect().toRectF())
    before = picture(view, band)
    top = view.verticalScrollBar().value()
    wheel(view, at, QPoint(0, -120), Qt.KeyboardModifier.ShiftModifier)
    assert view.tables.offsets[key] > 0 and view.verticalScrollBar().value() == top
    assert picture(view, band) != before  # what shows of the grid moved
    wheel(view, at, QPoint(10_000, 0))  # a horizontal wheel back past the start
    assert view.tables.offsets.get(key, 0) == 0
    view.setFocus()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=at.toPoint())
    assert view.tables.active == key
    qtbot.keyClick(view, Qt.Key.Key_Right)
    assert view.tables.offsets[key] > 0
    content, width = view.tables.extent(key)
    qtbot.keyClick(view, Qt.Key.Key_End)
    assert view.tables.offsets[key] == pytest.approx(content - width)
    qtbot.keyClick(view, Qt.Key.Key_Home)
    assert view.tables.offsets.get(key, 0) == 0


def test_copy_gives_the_markdown_and_find_reaches_the_far_column(shown):
    view = shown
    key = wide_table_key(view)
    view.selectAll()
    copied = view.createMimeDataFromSelection().text()
    assert SOURCE.strip() in copied and "Here:" in copied and "Done." in copied
    [match] = view.table_matches("r150c29")
    view.show_table_match(match, "r150c29")
    assert view.tables.offsets[key] > 0  # scrolled to the cell found
