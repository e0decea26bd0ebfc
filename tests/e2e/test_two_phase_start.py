"""Start-up in two steps (app/frame.py, app/launch.py): the window's frame is shown with
the real conversation list before the rest of the app is imported, keys typed meanwhile
are held and end up in the composer once the window is complete, and a damaged history
still gets the usual recovery (moved aside, a notice)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from opchat_gui.app.cli import parse_args
from opchat_gui.app.frame import LAST_CONVERSATION_KEY, Frame, open_frame
from opchat_gui.app.main import Session, start
from opchat_gui.store import History

NOWHERE = ("--url", "http://127.0.0.1:9")  # replies fail fast; never the public internet


@pytest.fixture
def two_steps(run, data_dir: Path) -> Iterator[list[Session]]:
    sessions: list[Session] = []
    yield sessions
    for session in sessions:
        run(session.close())


def first_step(data_dir: Path, painted: list[str] | None = None) -> tuple[object, Frame]:
    """`painted`: the list rows' texts drawn by the frame's first paint."""
    args = parse_args(["--data-dir", str(data_dir), *NOWHERE])
    frame = open_frame(args)
    if painted is not None:
        delegate = frame.window.sidebar.delegate
        draw = delegate.paint

        def paint(painter, option, index) -> None:
            painted.append(index.data())
            draw(painter, option, index)

        delegate.paint = paint
    frame.show()  # holds input, shows the frame and waits for its first paint
    return args, frame


def history_with(data_dir: Path, titles: list[str]) -> list[int]:
    data_dir.mkdir(parents=True, exist_ok=True)
    history = History.open(data_dir / "history.sqlite3")
    ids = []
    for title in titles:
        conversation = history.create_conversation(title)
        history.add_message(conversation.id, "user", f"about {title}")
        ids.append(conversation.id)
    history.set_state(LAST_CONVERSATION_KEY, str(ids[0]))
    history.close()
    return ids


def list_titles(frame: Frame) -> list[str]:
    model = frame.window.model
    return [model.title(row) for row in model.rows()]


def test_the_frame_shows_the_list_and_the_keys_typed_meanwhile_reach_the_composer(
        run, data_dir, two_steps):
    ids = history_with(data_dir, ["Oldest", "Middle", "Newest"])
    args, frame = first_step(data_dir)
    window = frame.window
    assert window.isVisible() and not window.complete
    assert list_titles(frame) == ["Newest", "Middle", "Oldest"]  # the history's own order
    assert window.sidebar.currentIndex().data() == "Oldest"  # the last one open, chosen
    assert not hasattr(window, "transcript")  # its place is held, nothing is built yet

    # Typed into the half-built window: the list must not search or open anything.
    QTest.keyClicks(window.sidebar, "Mid")
    QTest.keyClick(window.sidebar, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    QTest.keyClicks(window.composer, "dle, please")
    assert window.composer.toPlainText() == ""  # held, not lost
    assert window.sidebar.currentIndex().data() == "Oldest"

    session = run(start(args, frame))
    two_steps.append(session)
    assert session.window is window and window.complete
    assert window.current_id == ids[0]  # the last conversation opened, not a searched one
    assert window.composer.toPlainText() == "Mid\ndle, please"  # all of it, in order
    assert not window.hold.holding
    assert [m.content for m in session.service.messages(ids[0])] == ["about Oldest"]
    assert list_titles(frame) == ["Newest", "Middle", "Oldest"]


def test_the_first_paint_has_the_rows_of_a_long_list(run, data_dir, two_steps):
    """More rows than the list lays out in one batch (it lays them out between events,
    and no event loop turns after the frame's paint until the second step is done)."""
    history_with(data_dir, [f"Conversation {number}" for number in range(1000)])
    painted: list[str] = []
    args, frame = first_step(data_dir, painted)
    assert {"Conversation 999", "Conversation 990"} <= set(painted)
    two_steps.append(run(start(args, frame)))


def test_a_damaged_history_shows_an_empty_frame_then_the_usual_recovery(
        run, data_dir, two_steps):
    data_dir.mkdir(parents=True)
    garbage = os.urandom(3000)
    (data_dir / "history.sqlite3").write_bytes(garbage)
    args, frame = first_step(data_dir)
    assert frame.window.isVisible() and list_titles(frame) == []
    QTest.keyClicks(frame.window.composer, "still here")

    session = run(start(args, frame))
    two_steps.append(session)
    window = session.window
    [moved] = data_dir.glob("history.corrupt-*.sqlite3")
    assert moved.read_bytes() == garbage
    assert window.banner.isVisibleTo(window)
    assert str(moved) in window.banner.text() and "nothing was deleted" in window.banner.text()
    assert window.composer.toPlainText() == "still here"


def test_a_shortcut_pressed_during_the_hold_runs_and_what_follows_goes_where_it_leads(
        run, data_dir, two_steps):
    """Ctrl+K then letters, typed before the window is complete: the switcher opens and
    the letters filter it, as they would have a moment later."""
    history_with(data_dir, ["Alpha", "Beta"])
    args, frame = first_step(data_dir)
    window = frame.window
    QTest.keyClick(window.composer, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClicks(window.composer, "Alp")
    assert window.composer.toPlainText() == ""  # held

    session = run(start(args, frame))
    two_steps.append(session)
    switcher = window.panels.switcher
    assert switcher.isVisible()
    assert switcher.filter.text() == "Alp"
    assert window.composer.toPlainText() == ""  # neither "k" nor the letters leaked here


def test_keys_and_clicks_from_the_platform_are_held_at_the_window(run, data_dir, two_steps):
    """Keys as the platform gives them (to the window's QWindow, which passes them on to
    the focused widget), a shortcut among them, and a click on the list meanwhile."""
    history_with(data_dir, ["Alpha", "Beta"])
    args, frame = first_step(data_dir)
    window = frame.window
    handle = window.windowHandle()
    for letter in "hi":
        QTest.keyClick(handle, letter)
    QTest.keyClick(handle, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    for letter in "Be":
        QTest.keyClick(handle, letter)
    beta = window.sidebar.visualRect(window.sidebar.grouped.index(
        window.sidebar.grouped.row_of(window.model.rows()[0].id), 0)).center()
    QTest.mouseClick(handle, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     window.sidebar.viewport().mapTo(window, beta))
    assert window.composer.toPlainText() == ""  # held
    assert window.sidebar.currentIndex().data() == "Alpha"  # the click was dropped

    session = run(start(args, frame))
    two_steps.append(session)
    assert window.composer.toPlainText() == "hi"
    switcher = window.panels.switcher
    assert switcher.isVisible() and switcher.filter.text() == "Be"
