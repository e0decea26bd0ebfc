"""Panels over the window: a dimmed veil behind them and a shadow under them."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QGraphicsDropShadowEffect

from tests.conftest import wait_until
from tests.keyboard import press, seed


def test_each_panel_opens_over_a_dimmed_veil_with_a_shadow(open_app, server, qtbot):
    session = open_app("--url", server.url)
    window = session.window
    qtbot.waitExposed(window)
    panels = window.panels
    assert panels.backdrop is None  # nothing made before a panel is wanted
    for key, panel in (("F1", panels.help), ("Ctrl+K", panels.switcher),
                       ("Ctrl+Shift+F", panels.search_panel)):
        press(window, key)
        veil = panels.backdrop
        assert panel.isVisible() and veil is not None and veil.isVisible()
        assert veil.geometry() == window.rect()
        assert isinstance(panel.graphicsEffect(), QGraphicsDropShadowEffect)
        # The veil is drawn over the chat and under the panel.
        under = veil.grab().toImage().pixelColor(5, window.height() - 5)
        assert under.alpha() > 0
        stack = [child for child in window.children() if child in (veil, panel)]
        assert stack == [veil, panel]
        press(window, "Esc")
        assert not panel.isVisible() and not veil.isVisible()
    window.resize(900, 650)
    press(window, "F1")
    assert panels.backdrop.geometry() == window.rect()
    corner = panels.backdrop.rect().bottomLeft()
    corner.setX(corner.x() + 4)
    corner.setY(corner.y() - 4)  # a click beside the panel closes it
    QTest.mouseClick(panels.backdrop, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     corner)
    assert not panels.help.isVisible() and not panels.backdrop.isVisible()


def test_jump_to_latest_appears_when_scrolled_up_and_marks_new_content(open_app, server, run,
                                                                        qtbot):
    session = open_app("--url", server.play_url("slow", delay=0.05))
    window = session.window
    window.resize(1000, 600)
    qtbot.waitExposed(window)
    long = "\n\n".join(f"Paragraph {n} of an earlier answer." for n in range(12))
    [conversation] = seed(session, [("Long", [("user", "Tell me"), ("assistant", long)] * 4)])
    window.open_conversation(conversation)
    transcript = window.transcript
    bar = transcript.verticalScrollBar()
    assert bar.maximum() > 0 and transcript._at_bottom()
    assert transcript.jump.button is None  # made when first needed
    QTest.keyClicks(window.composer, "More please")
    QTest.keyClick(window.composer, Qt.Key.Key_Return)
    run(wait_until(lambda: transcript._streaming_id is not None, what="the reply to start"))
    bar.setValue(0)  # the user scrolls up to read while the reply streams
    run(wait_until(lambda: transcript.jump.button is not None
                   and transcript.jump.button.isVisible() and transcript.jump.button.fresh,
                   what="the button with its new-content dot"))
    button = transcript.jump.button
    viewport = transcript.viewport().geometry()
    assert viewport.contains(button.geometry())
    assert button.toolTip()
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)
    run(wait_until(lambda: not button.isVisible(), what="the button to go"))
    assert transcript._at_bottom() and not button.fresh
    run(wait_until(lambda: not session.service.is_streaming(window.current_id),
                   what="the reply to finish"))
    assert transcript._at_bottom()  # followed the stream again to its end
    press(window, "Ctrl+Home")  # from the composer: the keys work wherever the focus is
    assert bar.value() == 0
    run(wait_until(lambda: button.isVisible() and not button.fresh))
    press(window, "Ctrl+End")
    assert transcript._at_bottom()
    run(wait_until(lambda: not button.isVisible()))


def test_the_regenerate_icon_regenerates_the_last_reply_only(open_app, server, run):
    from PySide6.QtCore import QUrl

    session = open_app("--url", server.url)
    window = session.window
    for text in ("first", "second"):
        QTest.keyClicks(window.composer, text)
        QTest.keyClick(window.composer, Qt.Key.Key_Return)
        run(wait_until(lambda: window.transcript.order and not session.service.is_streaming(
            window.current_id), what="the reply"))
    first_reply, last_reply = window.transcript.order[1], window.transcript.order[3]
    requests = len(server.requests)
    window.transcript.actions.on_anchor(QUrl(f"opchat:regenerate/{first_reply}"))
    assert len(server.requests) == requests  # an older reply has no redo: it says so
    assert "last reply" in window.statusBar().currentMessage()
    window.transcript.actions.on_anchor(QUrl(f"opchat:regenerate/{last_reply}"))
    run(wait_until(lambda: len(server.requests) > requests, what="the regenerate request"))
    run(wait_until(lambda: not session.service.is_streaming(window.current_id)))
    assert "‹ 2/2 ›" in window.transcript.toPlainText()


def test_the_switcher_is_as_tall_as_its_rows(open_app, server, qtbot):
    session = open_app("--url", server.url)
    window = session.window
    window.resize(1000, 800)
    qtbot.waitExposed(window)
    seed(session, [(f"Chat {n}", [("user", "hi")]) for n in range(3)])
    press(window, "Ctrl+K")
    switcher = window.panels.switcher
    rows = switcher.list.model().rowCount()
    assert 3 <= rows < 6
    assert switcher.height() < 400  # not a tall box of nothing
    last = switcher.list.visualRect(switcher.list.model().index(rows - 1, 0))
    assert switcher.list.viewport().rect().contains(last)  # and every row shows
    press(window, "Esc")
    press(window, "Ctrl+Shift+F")  # search fills as you type: it keeps its full height
    assert window.panels.search_panel.height() >= 400
    press(window, "Esc")


def test_the_help_is_wide_enough_to_show_most_actions_whole(open_app, server, qtbot):
    """At the switcher's 640 px the help's three columns cut actions to "Retry the last…"."""
    session = open_app("--url", server.url)
    window = session.window
    window.resize(1100, 720)
    qtbot.waitExposed(window)
    press(window, "F1")
    help_ = window.panels.help
    table = help_.table
    assert help_.width() > 640
    metrics = table.fontMetrics()
    action = table.header().sectionSize(1)
    labels = [help_.model.item(row, 1).text() for row in range(help_.model.rowCount())]
    whole = [label for label in labels if metrics.horizontalAdvance(label) + 12 <= action]
    assert len(whole) >= 0.9 * len(labels), [x for x in labels if x not in whole]
    press(window, "Esc")
    window.resize(700, 600)  # a small window: the help still fits in it
    press(window, "F1")
    assert help_.geometry().right() < window.width()
    press(window, "Esc")


def test_the_panels_are_made_when_first_opened_not_at_start(open_app, server, qtbot):
    """Start-up (B3) builds none of them; the first F1 (or Ctrl+K) makes that one."""
    from opchat_gui.ui.panels.overlay import Overlay

    session = open_app("--url", server.url)
    window = session.window
    qtbot.waitExposed(window)
    assert window.findChildren(Overlay) == []
    press(window, "Ctrl+K")
    assert [type(o).__name__ for o in window.findChildren(Overlay)] == ["QuickSwitcher"]
    assert window.panels.switcher.isVisible()
    press(window, "Esc")
    press(window, "F1")
    assert window.panels.help.isVisible() and not window.panels.switcher.isVisible()
    assert len(window.findChildren(Overlay)) == 2
    press(window, "Esc")
    assert not window.panels.help.isVisible()
    assert window.composer.hasFocus()
