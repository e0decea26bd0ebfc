"""Answer the modal dialog a key press opens (it runs its own event loop inside the press)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QFileDialog, QLineEdit, QWidget


def when_dialog(answer: Callable[[QWidget], None], seen: list[QWidget] | None = None,
                tries: int = 200) -> None:
    """Poll until a modal dialog is up, then call `answer(dialog)` (which must close it)."""

    def poll(left: int = tries) -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            if left:
                QTimer.singleShot(20, lambda: poll(left - 1))
            return
        if seen is not None:
            seen.append(dialog)
        try:
            answer(dialog)
        finally:
            if dialog.isVisible():  # the answer did not close it: never hang the test
                dialog.close()

    QTimer.singleShot(20, poll)


def type_path(path: Path) -> Callable[[QWidget], None]:
    """An answer for a QFileDialog: the full path in its name field, then Enter."""

    def answer(dialog: QWidget) -> None:
        assert isinstance(dialog, QFileDialog)
        name = dialog.findChild(QLineEdit, "fileNameEdit")
        assert name is not None
        name.setText(str(path))  # typed key by key, the path completer's popup may eat Enter
        QTest.keyClick(name, Qt.Key.Key_Return)

    return answer
