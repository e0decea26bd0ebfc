"""Attaching from the window: the file dialog (the attach_files key), a paste or a drop;
the chips follow the chat service's attachmentsChanged; a refusal is one sentence in the
problem banner and leaves the typed message and the other chips as they were."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtWidgets import QFileDialog, QWidget

from opchat_gui.chat.attachments import Refused
from opchat_gui.chat.service import ChatService
from opchat_gui.core.attachments import Attachment
from opchat_gui.core.text import fill
from opchat_gui.ui.dialogs.attachment_viewer import AttachmentViewer
from opchat_gui.ui.widgets.attachment_chips import AttachmentChips

log = logging.getLogger(__name__)
PASTED_NAME = "pasted-image.png"


class Attaching(QObject):
    def __init__(self, window: QWidget, service: ChatService, chips: AttachmentChips, *,
                 conversation: Callable[[bool], int | None],
                 problem: Callable[[str], None], notice: Callable[[str], None]) -> None:
        super().__init__(window)
        self.window = window
        self.service = service
        self.chips = chips
        self._conversation = conversation  # the one on show; True: make one if none
        self._problem = problem
        self._notice = notice
        self.tasks: set[asyncio.Task[None]] = set()  # attaching now (tests wait for none)
        self._order = asyncio.Lock()  # one at a time: chips come in the order given
        self.viewer: AttachmentViewer | None = None
        chips.removeRequested.connect(self.remove)
        chips.openRequested.connect(self.open)
        service.attachmentsChanged.connect(self._on_changed)

    def pick(self) -> None:
        dialog = QFileDialog(self.window, self.tr("Attach files"), str(Path.home()),
                             self.tr("All files (*);;Images (*.png *.jpg *.jpeg *.gif *.webp "
                                     "*.bmp);;PDF files (*.pdf)"))  # text: by its content
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog)  # keys work the same
        dialog.setFileMode(QFileDialog.FileMode.ExistingFiles)
        if dialog.exec():
            self.attach_paths(dialog.selectedFiles())

    def attach_paths(self, paths: list[str]) -> None:
        for path in paths:
            self._run(Path(path).name, lambda cid, p=Path(path): self.service.files.attach_file(
                cid, p))

    def attach_data(self, name: str, data: bytes) -> None:
        self._run(name, lambda cid: self.service.files.attach(cid, name, data))

    def _run(self, name: str,
             attach: Callable[[int], Coroutine[Any, Any, Any]]) -> None:
        conversation_id = self._conversation(True)
        if conversation_id is None:
            return  # could not make a conversation: the banner says why
        task = asyncio.get_event_loop().create_task(self._attach(name, conversation_id, attach))
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def _attach(self, name: str, conversation_id: int,
                      attach: Callable[[int], Coroutine[Any, Any, Any]]) -> None:
        try:
            async with self._order:
                # Reading, scaling and asking the server may take a moment: say so.
                self._notice(fill(self.tr("Attaching %1…"), name))
                warning = await attach(conversation_id)
                self._notice("")
        except Refused as refusal:
            self._notice("")
            self._problem(fill(self.tr("Cannot attach %1: %2"), name,
                               refusal.reason.render(QCoreApplication.translate)))
            return
        except Exception as exc:  # a bug must not lose the message being written
            self._notice("")
            log.exception("attaching %s failed", name)
            self._problem(fill(self.tr("Cannot attach %1: %2"), name, exc))
            return
        if warning is not None:
            self._notice(warning.render(QCoreApplication.translate))

    def remove(self, attachment_id: int) -> None:
        conversation_id = self._conversation(False)
        if conversation_id is not None:
            self.service.files.remove(conversation_id, attachment_id)

    def open(self, attachment: Attachment) -> None:
        if self.viewer is not None:
            self.viewer.close()
        self.viewer = AttachmentViewer(attachment, self.service.files.data(attachment.sha256),
                                       self.window)
        self.viewer.destroyed.connect(lambda: setattr(self, "viewer", None))
        self.viewer.show()
        self.viewer.activateWindow()

    def show(self, conversation_id: int | None) -> None:
        """The chips of this conversation's composer (none for a new one); while a message
        is edited, its files and those attached for the edit."""
        files = [] if conversation_id is None else self.service.files.shown(conversation_id)
        self.chips.show_attachments(files, self.service.files.data)

    def has_any(self) -> bool:
        return bool(self.chips.chips)

    def _on_changed(self, conversation_id: int) -> None:
        if conversation_id == self._conversation(False):
            self.show(conversation_id)
