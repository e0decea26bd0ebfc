"""Attachments in the window (issue 15): a pasted file becomes a chip, chips are removed by
keys and by mouse, a message with files shows them and opens them in the viewer, and a
refusal keeps the typed message."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, Qt, QUrl
from PySide6.QtGui import QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from opchat_gui.ui.dialogs.attachment_viewer import AttachmentViewer
from opchat_gui.ui.transcript.files import OPEN
from tests.conftest import wait_until

CTRL = Qt.KeyboardModifier.ControlModifier


def paste_files(window, *paths) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    QApplication.clipboard().setMimeData(mime)
    window.composer.setFocus()
    QTest.keyClick(window.composer, Qt.Key.Key_V, CTRL)


def chip_names(window) -> list[str]:
    return [chip.attachment.name for chip in window.chips.chips]


def test_pasted_files_become_chips_removed_by_keys_and_mouse_and_sent(
        open_app, server, run, tmp_path):
    session = open_app("--url", server.url)
    window = session.window
    files = []
    for name in ("a.txt", "b.txt", "c.txt"):
        path = tmp_path / name
        path.write_text(f"words of {name}", encoding="utf-8")
        files.append(path)
    QTest.keyClicks(window.composer, "Read these")
    paste_files(window, *files)
    run(wait_until(lambda: chip_names(window) == ["a.txt", "b.txt", "c.txt"],
                   what="three chips"))
    assert window.composer.toPlainText() == "Read these"  # the paste added no text
    # Keys: Shift+Tab from the composer reaches the last chip; Delete removes it and the
    # focus stays on the chips.
    QTest.keyClick(window.composer, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert QApplication.focusWidget() is window.chips.chips[-1]
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Delete)
    run(wait_until(lambda: chip_names(window) == ["a.txt", "b.txt"], what="c removed"))
    assert QApplication.focusWidget() is window.chips.chips[-1]
    # Mouse: the first chip's ×.
    QTest.mouseClick(window.chips.chips[0].remove, Qt.MouseButton.LeftButton)
    run(wait_until(lambda: chip_names(window) == ["b.txt"], what="a removed"))
    window.composer.setFocus()
    QTest.keyClick(window.composer, Qt.Key.Key_Return)
    run(wait_until(lambda: not session.service.busy(), what="the reply"))
    assert window.chips.chips == [] and not window.chips.isVisible()
    body = server.requests[-1].json
    assert body["newMessage"] == "Read these\n\nb.txt:\n```\nwords of b.txt\n```"
    # The transcript shows the file on the message; its link opens the viewer.
    html = window.transcript.document().toHtml()
    assert "b.txt" in html and OPEN in html
    [shown] = window.transcript.files.shown.values()
    window.transcript.anchorClicked.emit(QUrl(f"{OPEN}{shown.id}"))
    viewer = window.attaching.viewer
    assert isinstance(viewer, AttachmentViewer) and viewer.isVisible()
    viewer.close()


def test_a_refused_file_keeps_the_message_and_says_why(open_app, server, run, tmp_path):
    session = open_app("--url", server.play_url("demo", uploads="no"))
    window = session.window
    binary = tmp_path / "program.bin"
    binary.write_bytes(bytes(range(256)))
    picture = tmp_path / "shot.png"
    image = QImage(20, 20, QImage.Format.Format_RGB32)
    image.fill(Qt.GlobalColor.red)
    image.save(str(picture))
    QTest.keyClicks(window.composer, "keep me")
    paste_files(window, binary)
    run(wait_until(lambda: window.problem.isVisible(), what="the refusal"))
    assert "Cannot attach program.bin" in window.problem.text()
    assert "not text" in window.problem.text()
    paste_files(window, picture)  # this site's bot takes no uploads, so no images
    run(wait_until(lambda: "shot.png" in window.problem.text(), what="the image refusal"))
    assert "does not take uploads" in window.problem.text()
    assert window.composer.toPlainText() == "keep me" and chip_names(window) == []


def test_a_sent_file_opens_from_the_transcript_by_keys(open_app, server, run, tmp_path):
    session = open_app("--url", server.url)
    window = session.window
    notes = tmp_path / "notes.txt"
    notes.write_text("keyboard words", encoding="utf-8")
    QTest.keyClicks(window.composer, "See the file")
    paste_files(window, notes)
    run(wait_until(lambda: chip_names(window) == ["notes.txt"], what="the chip"))
    QTest.keyClick(window.composer, Qt.Key.Key_Return)
    run(wait_until(lambda: not session.service.busy(), what="the reply"))
    transcript = window.transcript
    transcript.setFocus()
    for _ in range(20):  # Tab walks the transcript's links; stop on the file's
        if transcript.textCursor().charFormat().anchorHref().startswith(OPEN):
            break
        QTest.keyClick(transcript, Qt.Key.Key_Tab)
    assert transcript.textCursor().charFormat().anchorHref().startswith(OPEN)
    QTest.keyClick(transcript, Qt.Key.Key_Return)
    viewer = window.attaching.viewer
    assert viewer is not None and viewer.isVisible()
    viewer.close()


def test_files_dropped_on_the_window_become_chips(open_app, server, run, tmp_path):
    from PySide6.QtCore import QPoint
    from PySide6.QtGui import QDragEnterEvent, QDropEvent

    session = open_app("--url", server.url)
    window = session.window
    notes = tmp_path / "dropped.md"
    notes.write_text("# dropped", encoding="utf-8")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(notes))])
    point = QPoint(window.width() // 2, window.height() // 3)  # over the transcript
    enter = QDragEnterEvent(point, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()
    drop = QDropEvent(point.toPointF(), Qt.DropAction.CopyAction, mime,
                      Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, drop)
    run(wait_until(lambda: chip_names(window) == ["dropped.md"], what="the dropped file's chip"))
    assert window.current_id is not None  # a new conversation holds it


def test_a_clipboard_image_is_pasted_as_an_attachment_not_text(open_app, server, run):
    session = open_app("--url", server.url)
    window = session.window
    given: list[bytes] = []
    window.composer.imageGiven.connect(given.append)
    image = QImage(40, 30, QImage.Format.Format_RGB32)
    image.fill(Qt.GlobalColor.blue)
    mime = QMimeData()
    mime.setImageData(image)
    QApplication.clipboard().setMimeData(mime)
    QTest.keyClicks(window.composer, "look")
    QTest.keyClick(window.composer, Qt.Key.Key_V, CTRL)
    assert len(given) == 1
    pasted = QImage.fromData(given[0])
    assert (pasted.width(), pasted.height()) == (40, 30)
    # The demo site's bot takes uploads: the paste becomes a chip, the text stays.
    run(wait_until(lambda: chip_names(window) == ["pasted-image.png"], what="the chip"))
    assert window.composer.toPlainText() == "look"


def test_copied_text_that_also_comes_as_a_picture_pastes_as_text(open_app, server):
    window = open_app("--url", server.url).window
    given: list[bytes] = []
    window.composer.imageGiven.connect(given.append)
    image = QImage(40, 30, QImage.Format.Format_RGB32)
    image.fill(Qt.GlobalColor.white)
    mime = QMimeData()
    mime.setText("A1\tB1")
    mime.setImageData(image)  # what a spreadsheet puts beside the cells' text
    QApplication.clipboard().setMimeData(mime)
    window.composer.setFocus()
    QTest.keyClick(window.composer, Qt.Key.Key_V, CTRL)
    assert window.composer.toPlainText() == "A1\tB1" and given == []


def test_editing_a_message_shows_its_files_as_chips_and_sends_exactly_those(
        open_app, server, run, tmp_path):
    session = open_app("--url", server.url)
    window = session.window
    files = []
    for name in ("a.txt", "b.txt", "c.txt", "draft.txt"):
        path = tmp_path / name
        path.write_text(f"words of {name}", encoding="utf-8")
        files.append(path)
    QTest.keyClicks(window.composer, "Read these")
    paste_files(window, files[0], files[1])
    run(wait_until(lambda: chip_names(window) == ["a.txt", "b.txt"], what="two chips"))
    QTest.keyClick(window.composer, Qt.Key.Key_Return)
    run(wait_until(lambda: not session.service.busy(), what="the first reply"))
    paste_files(window, files[3])  # a file waiting for the next message, not the edit
    run(wait_until(lambda: chip_names(window) == ["draft.txt"], what="the draft's chip"))

    # Up in an empty composer edits the last message: its files become the chips.
    window.composer.setFocus()
    QTest.keyClick(window.composer, Qt.Key.Key_Up)
    assert window.composer.toPlainText() == "Read these"
    run(wait_until(lambda: chip_names(window) == ["a.txt", "b.txt"], what="its chips"))
    # Remove a.txt by keys (Shift+Tab to the last chip, Shift+Tab again to a.txt), add c.
    QTest.keyClick(window.composer, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Backtab,
                   Qt.KeyboardModifier.ShiftModifier)
    assert QApplication.focusWidget() is window.chips.chips[0]
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Delete)
    run(wait_until(lambda: chip_names(window) == ["b.txt"], what="a.txt removed"))
    paste_files(window, files[2])
    run(wait_until(lambda: chip_names(window) == ["b.txt", "c.txt"], what="c.txt added"))
    window.composer.setFocus()
    QTest.keyClick(window.composer, Qt.Key.Key_Return)
    run(wait_until(lambda: not session.service.busy(), what="the edited reply"))
    body = server.requests[-1].json
    assert body["newMessage"] == ("Read these\n\nb.txt:\n```\nwords of b.txt\n```\n\n"
                                  "c.txt:\n```\nwords of c.txt\n```")
    # The edited branch shows its files; the draft's file is back in the composer.
    assert chip_names(window) == ["draft.txt"]
    html = window.transcript.document().toHtml()
    assert "c.txt" in html and "a.txt" not in html

    # Esc cancels an edit: a file attached for it goes, and the draft's stays.
    QTest.keyClick(window.composer, Qt.Key.Key_Up)
    run(wait_until(lambda: chip_names(window) == ["b.txt", "c.txt"], what="edit chips"))
    paste_files(window, files[0])
    run(wait_until(lambda: chip_names(window) == ["b.txt", "c.txt", "a.txt"],
                   what="a.txt for the edit"))
    window.composer.setFocus()
    QTest.keyClick(window.composer, Qt.Key.Key_Escape)
    run(wait_until(lambda: chip_names(window) == ["draft.txt"], what="the draft's chip back"))
    assert [a.name for a in session.service.files.pending(window.current_id)] == ["draft.txt"]
