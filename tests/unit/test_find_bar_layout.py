"""The find bar's row keeps its field steady and never widens a narrow window."""

from __future__ import annotations

from PySide6.QtWidgets import QTextEdit, QVBoxLayout, QWidget

from opchat_gui.ui.panels.find_bar import FindBar


def _bar(qtbot, width: int) -> tuple[QWidget, FindBar]:
    host = QWidget()
    qtbot.addWidget(host)
    view = QTextEdit()
    view.setPlainText("A bold claim.\n" * 40)
    bar = FindBar(view)
    column = QVBoxLayout(host)
    column.addWidget(view)
    column.addWidget(bar)
    host.resize(width, 500)
    host.show()
    qtbot.waitExposed(host)
    bar.open()
    qtbot.waitUntil(lambda: bar.field.width() > 0)
    return host, bar


def test_the_field_keeps_its_width_whatever_the_count_says(qtbot):
    host, bar = _bar(qtbot, 1000)
    widths = []
    for text in ("", "No matches", "1 of 2", "1 of 48,700"):
        bar.count.setText(text)
        host.layout().activate()
        bar.layout().activate()
        widths.append(bar.field.width())
    assert len(set(widths)) == 1, widths
    assert bar.hint.isVisible()  # room enough: the keys are named
    assert bar.hint.geometry().right() <= bar.contentsRect().right()


def test_a_narrow_window_drops_the_hint_not_the_field(qtbot):
    host, bar = _bar(qtbot, 1000)
    wide_minimum = host.minimumSizeHint().width()
    host.resize(560, 500)
    qtbot.waitUntil(lambda: not bar.hint.text())
    bar.count.setText("1 of 48,700")
    host.layout().activate()
    assert host.width() == 560  # the bar did not push the window wider
    assert wide_minimum <= 560
    assert bar.field.width() >= bar.field.minimumWidth() > 100
    assert bar.count.geometry().right() <= bar.contentsRect().right()
    host.resize(1000, 500)
    qtbot.waitUntil(lambda: bar.hint.text().endswith("closes"))  # back when it fits


def test_the_wait_for_older_messages_shows_in_the_hints_place(qtbot):
    host, bar = _bar(qtbot, 1000)
    later: list = []
    bar.all_loaded = lambda: False
    bar.load_all_then = later.append  # the view calls back once everything is in
    width = bar.field.width()
    bar.field.setText("claim")
    host.layout().activate()
    assert bar.searching
    assert bar.hint.text() == "Searching older messages…" and bar.hint.isVisible()
    assert bar.field.width() == width
    bar.all_loaded = lambda: True
    later[-1]()
    host.layout().activate()
    assert not bar.searching
    assert bar.count.text() == "1 of 40"
    assert bar.hint.text().endswith("closes")
    assert bar.field.width() == width
    host.resize(500, 500)  # too narrow for the keys, not for the wait
    qtbot.waitUntil(lambda: bar.hint.text() == "")
    host.layout().activate()
    width = bar.field.width()
    bar.all_loaded = lambda: False
    bar.field.setText("bold")
    qtbot.waitUntil(lambda: bar.hint.text() == "Searching older messages…")
    host.layout().activate()
    assert bar.hint.isVisible() and bar.field.width() == width
    assert host.width() == 500
