"""The History menu's commands: export, import, back up and restore.

Their menu entries and keys come from ui/keys/registry.COMMANDS (owner HISTORY); the
work is done by chat.Archive, as operations off the GUI thread (chat/operations.py):
each command asks what it needs, starts one and returns it, and the outcome shows in the
status line (or the problem banner) when it ends. Dialogs are Qt's own (not native) so
they behave the same everywhere and can be driven by keys in tests.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMainWindow, QMessageBox, QWidget

from opchat_gui.chat import ChatService
from opchat_gui.chat.archive import Archive, ArchiveError
from opchat_gui.chat.operations import Operation, OperationRunner
from opchat_gui.core.text import fill
from opchat_gui.ui.keys import keymap
from opchat_gui.ui.widgets.operation_progress import OperationProgress

STATUS_MS = 10000
T = TypeVar("T")


class DataMenu(QObject):
    def __init__(self, window: QMainWindow, service: ChatService, archive: Archive,
                 operations: OperationRunner, current: Callable[[], int | None],
                 reload: Callable[[], None], report_problem: Callable[[str], None],
                 progress: OperationProgress | None = None) -> None:
        """`progress`: the status bar's operation line, if the window made it already (its
        first frame does, so the status bar has its final height from the first paint)."""
        super().__init__(window)
        self.window = window
        self.service = service
        self.archive = archive
        self.operations = operations
        self._current = current
        self._reload = reload
        self._problem = report_problem
        if progress is None:
            progress = OperationProgress()
            window.statusBar().addPermanentWidget(progress)
        self.progress = progress
        operations.started.connect(self.progress.begin)
        operations.progressed.connect(self.progress.advance)
        operations.finished.connect(self.progress.end)
        self.progress.cancel_requested.connect(self.cancel_operation)

    # Commands; a path argument skips the dialog (scripts and tests). Each returns the
    # operation it started, or None when it asked and the answer was no.

    def export_conversation(self, path: Path | None = None) -> Operation[Path] | None:
        conversation_id = self._current()
        if self._still_running():
            return None
        if conversation_id is None:
            self._status(self.tr("Open a conversation to export it."))
            return None
        if path is None:
            conversation = self.service.conversation(conversation_id)
            title = (conversation.title if conversation else "") or "conversation"
            path = self._save_file(self.tr("Export conversation"),
                                   _safe(title) + ".md",
                                   self.tr("Markdown (*.md);;opchat-gui JSON (*.json)"))
            if path is None:
                return None
        target = path
        return self._start(
            Operation(self.tr("Exporting the conversation"),
                      lambda progress: self.archive.export_conversation(conversation_id,
                                                                        target, progress))
            .success(lambda _path: self._status(fill(self.tr("Exported to %1"), target)))
            .cancelled(lambda: self._status(self.tr("Export cancelled; no file was written."))))

    def export_all(self, folder: Path | None = None) -> Operation[list[Path]] | None:
        if self._still_running():
            return None
        if folder is None:
            folder = self._folder(self.tr("Export all conversations into a folder"))
            if folder is None:
                return None
        target = folder
        return self._start(
            Operation(self.tr("Exporting every conversation"),
                      lambda progress: self.archive.export_all(target, progress))
            .success(lambda _files: self._status(
                fill(self.tr("Exported every conversation to %1"), target)))
            .cancelled(lambda: self._status(self.tr("Export cancelled; no file was written."))))

    def import_file(self, path: Path | None = None) -> Operation[Any] | None:
        if self._still_running():
            return None
        if path is None:
            path = self._open_file(self.tr("Import conversations"),
                                   self.tr("Conversation exports (*.json);;All files (*)"))
            if path is None:
                return None
        source = path

        def imported(result: Any) -> None:
            self._reload()
            self._status(fill(self.tr("Imported %1 conversation(s) from %2; %3 were already "
                                      "here."), result.added, source.name, result.skipped))

        def cancelled() -> None:
            self._reload()  # the conversations imported before the cancel stay
            self._status(self.tr("Import cancelled. The conversations imported so far stay; "
                                 "importing the file again adds the rest."))

        return self._start(
            Operation(fill(self.tr("Importing %1"), source.name),
                      lambda progress: self.archive.import_file(source, progress))
            .success(imported).cancelled(cancelled))

    def backup_now(self) -> Operation[Path] | None:
        if self._still_running():
            return None
        return self._start(
            Operation(self.tr("Backing up the history"), self.archive.backup_now)
            .success(lambda path: self._status(
                fill(self.tr("Backed up the history to %1"), path)))
            .cancelled(lambda: self._status(self.tr("Backup cancelled."))))

    def restore_backup(self, source: Path | None = None, *, confirmed: bool = False
                       ) -> Operation[Path] | None:
        if self.service.busy():
            self._status(fill(self.tr("Wait for the reply to finish (or press %1), then "
                                      "restore."), keymap.named("stop")))
            return None
        if self._still_running():
            return None
        if source is None:
            source = self._choose_backup()
            if source is None:
                return None
        if not confirmed and not self._confirm_restore(source):
            return None
        chosen = source

        def staged(copy: Path) -> None:
            """Back on the GUI thread: swap the checked copy in, unless a reply started."""
            if self.service.busy():
                self.archive.discard_restore(copy)
                self._problem(self.tr("A reply started while the backup was being prepared, "
                                      "so nothing was restored. Restore again when it "
                                      "finishes."))
                return
            try:
                safety = self.archive.finish_restore(copy)
            except ArchiveError as exc:
                self._problem(str(exc))
                return
            self._reload()
            self._status(fill(self.tr("Restored %1. The history it replaced is saved as %2."),
                              chosen.name, safety))

        return self._start(
            Operation(fill(self.tr("Restoring %1"), chosen.name),
                      lambda progress: self.archive.stage_restore(chosen, progress))
            .success(staged)
            .cancelled(lambda: self._status(
                self.tr("Restore cancelled; the history is unchanged."))))

    def cancel_operation(self) -> bool:
        """Esc or the Cancel button: stop the running operation; False if none runs."""
        if not self.operations.cancel():
            return False
        self.progress.cancelling()
        return True

    # Dialogs

    def _choose_backup(self) -> Path | None:
        backups = self.archive.backups()
        if not backups:
            self._status(fill(self.tr("There are no backups yet in %1."),
                              self.archive.backups_dir))
            return None
        labels = [f"{time.strftime('%Y-%m-%d %H:%M', time.localtime(p.stat().st_mtime))}"
                  f"  ·  {p.name}" for p in backups]
        label, ok = QInputDialog.getItem(self.window, self.tr("Restore from backup"),
                                         self.tr("Choose a backup (newest first):"), labels,
                                         0, False)
        return backups[labels.index(label)] if ok and label in labels else None

    def _confirm_restore(self, source: Path) -> bool:
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Restore from backup"),
                          fill(self.tr("Replace the whole history with the backup %1?\n\n"
                                       "The current history is saved as a backup first, so "
                                       "this can be undone."), source.name),
                          QMessageBox.StandardButton.Cancel, self.window)
        restore = box.addButton(self.tr("&Restore"), QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        return box.clickedButton() is restore

    def _save_file(self, caption: str, name: str, filters: str) -> Path | None:
        dialog = QFileDialog(self.window, caption, str(Path.home() / name), filters)
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.selectFile(name)
        if not dialog.exec() or not dialog.selectedFiles():
            return None
        path = Path(dialog.selectedFiles()[0])
        if not path.suffix:
            path = path.with_suffix(".json" if "json" in dialog.selectedNameFilter().lower()
                                    else ".md")
        return path

    def _open_file(self, caption: str, filters: str) -> Path | None:
        dialog = QFileDialog(self.window, caption, str(Path.home()), filters)
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        if not dialog.exec() or not dialog.selectedFiles():
            return None
        return Path(dialog.selectedFiles()[0])

    def _folder(self, caption: str) -> Path | None:
        dialog = QFileDialog(self.window, caption, str(Path.home()))
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
        dialog.setFileMode(QFileDialog.FileMode.Directory)
        dialog.setOption(QFileDialog.Option.ShowDirsOnly)
        if not dialog.exec() or not dialog.selectedFiles():
            return None
        return Path(dialog.selectedFiles()[0])

    # Reporting

    def _still_running(self) -> bool:
        """One operation at a time: say so before asking for a file."""
        running = self.operations.current
        if running is not None:
            self._status(fill(self.tr("Wait for “%1” to finish, or cancel it."), running.label))
        return running is not None

    def _start(self, operation: Operation[T]) -> Operation[T] | None:
        """Run it in the background; failures land in the problem banner."""
        if self._still_running():  # the daily backup may have begun during a dialog
            return None
        if not self.operations.start(operation.failure(self._problem)):
            return None  # closing: the runner takes nothing new
        return operation

    def _status(self, text: str) -> None:
        self.window.statusBar().showMessage(text, STATUS_MS)


def confirm_quit_unsaved(window: QWidget, count: int) -> bool:
    """Quitting now would lose replies that only live in memory (full or read-only disk)."""
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        QCoreApplication.translate("DataMenu", "Replies not saved yet"),
        fill(QCoreApplication.translate(
            "DataMenu", "%1 reply(ies) could not be saved yet, because the disk is full or "
            "the data folder is read-only. Free some space and they are saved on their own.\n\n"
            "Quit anyway and lose them?"), count),
        QMessageBox.StandardButton.Cancel, window)
    quit_anyway = box.addButton(QCoreApplication.translate("DataMenu", "&Quit anyway"),
                                QMessageBox.ButtonRole.DestructiveRole)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    return box.clickedButton() is quit_anyway


def _safe(title: str) -> str:
    return "".join(c if c.isalnum() or c in " -_" else "-" for c in title).strip()[:60] or "x"
