"""The F1 help reads in full in Russian at the window's default size (issue 16)."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QStyle

from opchat_gui.ui.keys import keymap
from opchat_gui.ui.panels.help import HelpOverlay
from tests.conftest import wait_until
from tests.keyboard import type_text


def _elided(help_panel: HelpOverlay) -> list[str]:
    """The Action and Where cells whose text is wider than its column (drawn with '…')."""
    table = help_panel.table
    metrics = table.fontMetrics()
    margin = 2 * (table.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin) + 1)
    model = help_panel.model
    return [model.item(row, column).text()
            for column in (1, 2) for row in range(model.rowCount())
            if metrics.horizontalAdvance(model.item(row, column).text())
            > table.columnWidth(column) - margin]


def test_russian_help_shows_every_action_in_full(open_app, data_dir, server, run):
    config = data_dir / "config"
    config.mkdir(parents=True)
    (config / "settings.json").write_text('{"language": "ru"}', encoding="utf-8")
    window = open_app("--url", server.url).window
    window.resize(1100, 720)  # the main window's default size
    window.show()
    help_panel = window.panels.help
    window.panels.open_overlay(help_panel)
    run(wait_until(lambda: help_panel.table.isVisible() and help_panel.model.rowCount() > 0,
                   what="the help table"))
    QApplication.processEvents()
    assert help_panel.model.horizontalHeaderItem(1).text() == "Действие"
    assert help_panel.model.rowCount() > 60  # every binding, unfiltered
    assert _elided(help_panel) == []


def test_the_selected_row_looks_the_same_in_every_cell(open_app, server, run):
    """With the table focused, the Keys cell had a lighter focus bar over the highlight."""
    window = open_app("--url", server.url).window
    window.show()
    window.activateWindow()
    help_panel = window.panels.help
    window.panels.open_overlay(help_panel)
    table = help_panel.table
    table.setFocus()
    run(wait_until(table.hasFocus, what="the help table's focus"))
    table.setCurrentIndex(help_panel.model.index(2, 0))
    QApplication.processEvents()
    image = table.viewport().grab().toImage()
    metrics = table.fontMetrics()
    for column in range(3):
        cell = table.visualRect(help_panel.model.index(2, column))
        text = help_panel.model.item(2, column).text()
        blank_from = cell.left() + metrics.horizontalAdvance(text) + 16
        colours = {image.pixelColor(x, y).name()
                   for x in range(blank_from, cell.right() - 1)
                   for y in range(cell.top() + 1, cell.bottom())}
        assert len(colours) == 1, (column, colours)


def test_rows_keep_their_height_when_the_filter_changes(open_app, server, run):
    """On its first open the table's rows were 14 px, after the first filter 22 px."""
    window = open_app("--url", server.url).window
    window.show()
    help_panel = window.panels.help
    window.panels.open_overlay(help_panel)
    QApplication.processEvents()
    table = help_panel.table
    first = table.rowHeight(help_panel.model.index(1, 0))
    type_text(window, "(")
    run(wait_until(lambda: 0 < help_panel.model.rowCount() < len(keymap.KEYMAP),
                   what="the filtered rows"))
    QApplication.processEvents()
    assert table.rowHeight(help_panel.model.index(1, 0)) == first
    assert first >= table.fontMetrics().height() + 8  # the style sheet's item padding
