"""Following a stream scrolls the pixels already on screen and repaints only the strip
the scroll uncovers (the viewport paints its own background: view.paintEvent). What is
on screen must stay exactly what painting the view afresh shows."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QPaintEvent

from opchat_gui.core.messages import MessageState
from opchat_gui.ui import theme as themes
from tests.transcript_helpers import msg

REPLY = ("A paragraph of words that wraps across the view, more than once, so that the "
         "view scrolls by a few lines at a time.\n\n```python\nfor index in range(3):\n"
         "    print(index)\n```\n\n- a point with **bold** words\n- another point\n\n")


def caught_up(view, qapp, qtbot) -> None:
    """The scroll bar's handle, held while streaming (stream_bar.py), painted where it is:
    waited for by its hold's end, not by a time, so a loaded machine cannot cut it short."""
    qtbot.waitUntil(lambda: not view.bar.hold.isActive())
    qapp.processEvents()  # (its repaint, asked for as the hold ended)


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_what_is_on_screen_while_following_a_stream_is_a_fresh_paint(view, qapp, qtbot,
                                                                     mode):
    view.set_theme(themes.THEMES[mode])
    view.show_messages([msg(1, "user", "go")])
    view.add_message(msg(2, "assistant", "", MessageState.STREAMING))
    screen = view.screen()
    scrolled = 0
    for start in range(0, len(REPLY) * 6, 23):  # chunks across words and blocks
        before = view.verticalScrollBar().value()
        view.append_chunk(2, (REPLY * 6)[start:start + 23])
        qapp.processEvents()  # this update's paint, as the event loop does it
        scrolled += view.verticalScrollBar().value() != before
    assert scrolled > 10  # the view followed the stream, scrolling as it went
    caught_up(view, qapp, qtbot)
    shown = screen.grabWindow(view.winId()).toImage()  # the window's pixels as they are
    fresh = view.grab().toImage()  # the view painted from nothing
    assert shown.size() == fresh.size()
    assert shown == fresh


def test_scrolling_under_the_jump_button_leaves_no_trace_of_it(view, qapp):
    """Scrolled up while the stream goes on, the view shows the jump button over its
    text; scrolling then moves the text under the button, not the button's pixels."""
    view.show_messages([msg(1, "user", "go")])
    view.add_message(msg(2, "assistant", "", MessageState.STREAMING))
    view.append_chunk(2, REPLY * 6)
    qapp.processEvents()
    bar = view.verticalScrollBar()
    bar.setValue(bar.maximum() - 400)  # the user scrolled up
    view.append_chunk(2, REPLY)  # more comes: the view stays, the button shows
    qapp.processEvents()
    assert view.jump.button is not None and view.jump.button.isVisible()
    for _ in range(6):
        bar.setValue(bar.value() - 37)
        qapp.processEvents()
    assert view.screen().grabWindow(view.winId()).toImage() == view.grab().toImage()


class PaintHeights(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.seen: list[int] = []

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if isinstance(event, QPaintEvent):
            self.seen.append(event.rect().height())
        return False


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_the_viewport_and_its_bar_paint_alone_and_look_the_same(view, qapp, qtbot, mode):
    """Under the theme's style sheet the transcript's bar is opaque, so its move each
    streamed update does not repaint the widgets under it first. Qt's style sheet style
    clears that flag whenever it polishes the bar: it holds after the first show and
    after a theme switch, the window's pixels stay what a fresh paint gives, and without
    the style sheet (Fusion's bar, which leaves pixels to what is under it) it is off."""
    from PySide6.QtCore import Qt

    from opchat_gui.ui.transcript.view import Transcript

    theme = themes.THEMES[mode]
    opaque = Qt.WidgetAttribute.WA_OpaquePaintEvent
    try:
        qapp.setPalette(theme.palette())
        qapp.setStyleSheet(theme.stylesheet())  # (re-polishes the view shown already)
        qtbot.waitUntil(lambda: view.verticalScrollBar().testAttribute(opaque))
        fresh_view = Transcript()  # polished with the style sheet when it first shows
        fresh_view.resize(500, 300)
        fresh_view.show()
        assert fresh_view.verticalScrollBar().testAttribute(opaque)
        fresh_view.close()
        view.set_theme(theme)
        view.show_messages([msg(1, "user", "go")])
        view.add_message(msg(2, "assistant", "", MessageState.STREAMING))
        heights = PaintHeights()
        view.viewport().installEventFilter(heights)
        for start in range(0, len(REPLY) * 6, 23):
            view.append_chunk(2, (REPLY * 6)[start:start + 23])
            qapp.processEvents()
        view.viewport().removeEventFilter(heights)
        # The view scrolled its pixels and painted the strips uncovered, not all of it.
        assert min(heights.seen) < view.viewport().height() // 2
        bar = view.verticalScrollBar()
        assert bar.isVisible() and bar.value() == bar.maximum() > 0
        caught_up(view, qapp, qtbot)
        shown = view.screen().grabWindow(view.winId()).toImage()
        assert shown == view.grab().toImage()
        # The bar's own pixels: the theme's groove and a handle, no other widget's.
        strip = bar.grab().toImage()
        assert strip.pixelColor(bar.width() // 2, 1).name() == theme.alternate
        # Back up to the user's bubble, a strip at a time: the bubble, painted under the
        # text, and the background Qt fills around it, in the theme's colours.
        while bar.value() > 0:
            bar.setValue(bar.value() - 61)
            qapp.processEvents()
        shown = view.screen().grabWindow(view.winId()).toImage()
        bubble = view.bubbles.in_view(view.viewport().rect())[0].toRect()
        corner = view.viewport().mapTo(view, bubble.topLeft())
        middle = view.viewport().mapTo(view, bubble.center()).y()
        assert shown.pixelColor(corner.x() + 4, middle).name() == view.writer.colours.user_bg
        assert shown.pixelColor(corner.x() - 20, middle).name() == theme.base
        assert shown.pixelColor(corner.x() + 4, corner.y() - 4).name() == theme.base
    finally:
        qapp.setStyleSheet("")
    qtbot.waitUntil(lambda: not view.verticalScrollBar().testAttribute(opaque))
