"""While a reply streams, the transcript's scroll bar is repainted at most every HOLD_MS
(stream_bar.py), by the stream's next change once a hold ends, then once more to show where
it ended; the user's own scrolling repaints it at once."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject

from opchat_gui.core.messages import MessageState
from opchat_gui.ui.transcript.stream_bar import HOLD_MS
from tests.transcript_helpers import msg

REPLY = "A paragraph of words that wraps across the view, more than once.\n\n" * 4


class Paints(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def eventFilter(self, _watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.count += 1
        return False


def test_a_streaming_bar_is_painted_less_and_ends_right(view, qapp, qtbot):
    view.show_messages([msg(1, "user", "go")])
    view.add_message(msg(2, "assistant", "", MessageState.STREAMING))
    bar = view.bar
    bar.hold.setInterval(60_000)  # (no hold ends during the updates, however slow they are)
    paints = Paints()
    bar.installEventFilter(paints)
    try:
        for _ in range(40):
            view.append_chunk(2, REPLY)
            qapp.processEvents()
        assert bar.value() == bar.maximum() > 0
        assert paints.count == 1  # the first change; the others wait for the hold's end
        bar.hold.setInterval(HOLD_MS)
        bar.hold.start()
        qtbot.waitUntil(lambda: paints.count == 2)  # the last change, painted once (alone:
        # no change came within a second HOLD_MS)
        grabbed = view.screen().grabWindow(view.winId()).toImage()
        assert grabbed == view.grab().toImage()  # the handle where a fresh paint puts it
        paints.count = 0  # (grab() painted it too)
        bar.hold.setInterval(60_000)
        view.append_chunk(2, REPLY)  # a new hold: its first change is painted
        view.append_chunk(2, REPLY)  # (this one waits)
        qapp.processEvents()
        assert paints.count == 1
        bar.setValue(bar.value() - 40)  # the user scrolls meanwhile: painted at once
        qapp.processEvents()
        assert paints.count == 2
    finally:
        bar.removeEventFilter(paints)


def test_a_hold_that_ends_mid_stream_paints_with_the_next_update(view, qapp):
    view.show_messages([msg(1, "user", "go")])
    view.add_message(msg(2, "assistant", "", MessageState.STREAMING))
    bar = view.bar
    bar.hold.setInterval(60_000)  # (the test ends the holds itself)
    paints = Paints()
    bar.installEventFilter(paints)
    try:
        view.append_chunk(2, REPLY * 3)  # the bar shows and is painted; a hold starts
        view.append_chunk(2, REPLY)  # held back
        qapp.processEvents()
        assert bar.isVisible() and bar.value() == bar.maximum() > 0
        assert paints.count == 1
        bar.hold.stop()
        bar.hold_ended()  # the hold ends while the reply streams on
        qapp.processEvents()
        assert paints.count == 1  # not a paint of its own ...
        assert bar.hold.isActive()  # (it would be, if no change came in time)
        view.append_chunk(2, REPLY)
        qapp.processEvents()
        assert paints.count == 2  # ... but with the stream's next change
        grabbed = view.screen().grabWindow(view.winId()).toImage()
        assert grabbed == view.grab().toImage()  # the handle where a fresh paint puts it
        paints.count = 0
        view.append_chunk(2, REPLY)  # a new hold began with that change: held back
        qapp.processEvents()
        assert paints.count == 0
        bar.hold.stop()
        bar.hold_ended()
        bar.hold.stop()
        bar.hold_ended()  # the stream stopped: no change came, so the bar is painted
        qapp.processEvents()
        assert paints.count == 1
    finally:
        bar.removeEventFilter(paints)
