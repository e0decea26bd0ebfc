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
    for text in ("", "No matches", "Searching older messages…", "1 of 2", "1 of 48,700"):
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
    qtbot.waitUntil(lambda: not bar.hint.isVisible())
    bar.count.setText("Searching older messages…")
    host.layout().activate()
    assert host.width() == 560  # the bar did not push the window wider
    assert wide_minimum <= 560
    assert bar.field.width() >= bar.field.minimumWidth() > 100
    assert bar.count.geometry().right() <= bar.contentsRect().right()
    host.resize(1000, 500)
    qtbot.waitUntil(bar.hint.isVisible)  # back when it fits again
