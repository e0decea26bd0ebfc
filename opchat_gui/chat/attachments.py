"""Attaching files to the message being written, and turning a sent message's files into
what the model reads. The slow parts (reading, hashing, scaling, PDF text) run on a
worker thread; rows are written on the GUI thread after the blob is on disk.

A refusal (`Refused`) is raised before anything is stored, so the composer, its text and
the other attachments stay as they were.
"""

from __future__ import annotations

import asyncio
import base64
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from opchat_gui.chat import images
from opchat_gui.chat.signals import ChatSignals
from opchat_gui.core.attachments import (
    CONTEXT,
    Attachment,
    Refused,
    check_size,
    extracted_text,
    kind_of,
    refused,
    with_files,
)
from opchat_gui.core.messages import Conversation
from opchat_gui.core.text import QT_TRANSLATE_NOOP, Phrase
from opchat_gui.providers.target import StreamTarget
from opchat_gui.store import History
from opchat_gui.store import attachments as rows
from opchat_gui.store.attachments import Blobs

log = logging.getLogger(__name__)

DEFAULT_MAX_SIDE = 1568


@dataclass
class _Edit:
    """A user message being edited: the chips the composer shows are its files still
    kept, then the files attached since; the composer's own files wait aside."""

    message_id: int
    kept: list[Attachment]
    aside: set[int]  # the composer's rows before the edit: not part of it


@dataclass(frozen=True)
class _Ready:
    data: bytes
    name: str
    mime: str
    kind: str
    width: int | None
    height: int | None
    text: str


def _prepare(name: str, data: bytes, max_side: int) -> _Ready:
    """Worker thread: what to store for this file, or Refused."""
    check_size(len(data))
    kind, mime = kind_of(data)
    if kind == "image":
        image = images.prepare(data, mime, max_side)
        return _Ready(image.data, name, image.mime, kind, image.width, image.height, "")
    return _Ready(data, name, mime, kind, None, None, extracted_text(kind, data))


def _read(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        check_size(size)
        return path.read_bytes()
    except OSError as exc:
        raise refused(QT_TRANSLATE_NOOP("Attachments", "it cannot be read (%1)."),
                      exc.strerror or type(exc).__name__) from exc


class Attachments:
    def __init__(self, history: History, signals: ChatSignals, blobs: Blobs,
                 target_for: Callable[[Conversation], StreamTarget],
                 max_side: Callable[[], int] = lambda: DEFAULT_MAX_SIDE) -> None:
        self.history = history
        self.signals = signals
        self.blobs = blobs
        self._target_for = target_for
        self._max_side = max_side
        self._warned: set[tuple[str, str]] = set()  # (provider, model) warned about images
        self._sees: dict[tuple[str, str, str], bool | None] = {}  # what the server said
        self._edits: dict[int, _Edit] = {}  # conversation -> the message being edited

    async def attach_file(self, conversation_id: int, path: Path) -> Phrase | None:
        """Attach the file at `path`; a warning to show (or None); Refused says why not."""
        data = await asyncio.to_thread(_read, path)
        return await self.attach(conversation_id, path.name, data)

    async def attach(self, conversation_id: int, name: str, data: bytes) -> Phrase | None:
        """Attach `data` as a file called `name` (a paste, a drop, a dialog's pick)."""
        ready = await asyncio.to_thread(_prepare, name, data, self._max_side())
        warning = None
        if ready.kind == "image":
            warning = await self._image_check(conversation_id)
        sha = await asyncio.to_thread(self.blobs.put, ready.data)  # the blob before its row
        try:
            rows.add(self.history.connection, conversation_id, sha256=sha, name=ready.name,
                     mime=ready.mime, size=len(ready.data), kind=ready.kind,
                     width=ready.width, height=ready.height, text=ready.text)
        except Exception as exc:
            log.warning("attachment row not written: %s", exc)
            raise refused(QT_TRANSLATE_NOOP("Attachments", "the history cannot be written "
                                            "(%1)."), exc) from exc
        self.signals.attachmentsChanged.emit(conversation_id)
        return warning

    async def _image_check(self, conversation_id: int) -> Phrase | None:
        """Refused where the provider or the server says images cannot go; a warning
        the first time nobody says either way."""
        conversation = self.history.conversation(conversation_id)
        if conversation is None:
            raise refused(QT_TRANSLATE_NOOP("Attachments", "the conversation is gone."))
        target = self._target_for(conversation)
        asked = (target.provider.__name__, target.model,
                 str(target.options.get("base_url") or target.options.get("url") or ""))
        if asked not in self._sees:  # one question per server and model per run
            self._sees[asked] = await target.provider.image_support(target.model,
                                                                    **dict(target.options))
        said = self._sees[asked]
        if said is False and getattr(target.provider, "site_uploads", False):
            raise refused(QT_TRANSLATE_NOOP("Attachments", "the chatbot of %1 does not take "
                                            "uploads (its page says so), so no image can be "
                                            "sent to it; text files and PDFs can."),
                          target.label or target.model or target.provider.__name__)
        if said is False:
            raise refused(QT_TRANSLATE_NOOP("Attachments", "%1 does not take images; only "
                                            "text files and PDFs can be sent to it."),
                          target.model or target.label or target.provider.__name__)
        key = (target.provider.__name__, target.model)
        if said is None and key not in self._warned:
            self._warned.add(key)
            return Phrase(CONTEXT, QT_TRANSLATE_NOOP(
                "Attachments", "The server does not say whether %1 takes images; if it "
                "cannot, it will refuse the message."), (target.model or target.label,))
        return None

    def pending(self, conversation_id: int) -> list[Attachment]:
        """The composer's own files, waiting for the next message."""
        return rows.pending(self.history.connection, conversation_id)

    def shown(self, conversation_id: int) -> list[Attachment]:
        """The chips above the composer: while a message is edited, the files it keeps
        and those attached since; else the composer's own."""
        edit = self._edits.get(conversation_id)
        if edit is None:
            return self.pending(conversation_id)
        added = [a for a in self.pending(conversation_id) if a.id not in edit.aside]
        return [*edit.kept, *added]

    def begin_edit(self, conversation_id: int, message_id: int) -> None:
        """Show the files of the message being edited as the composer's chips."""
        self.end_edit(conversation_id, sent=False)
        kept = self.of_messages([message_id]).get(message_id, [])
        aside = {a.id for a in self.pending(conversation_id)}
        self._edits[conversation_id] = _Edit(message_id, list(kept), aside)
        self.signals.attachmentsChanged.emit(conversation_id)

    def edit_files(self, conversation_id: int) -> tuple[list[int], list[int]] | None:
        """(rows of the edited message still kept, composer rows attached for the edit),
        or None when no message of this conversation is being edited."""
        edit = self._edits.get(conversation_id)
        if edit is None:
            return None
        added = [a.id for a in self.pending(conversation_id) if a.id not in edit.aside]
        return [a.id for a in edit.kept], added

    def end_edit(self, conversation_id: int, *, sent: bool) -> None:
        """The edit is over: sent (its new files went with it), or cancelled (the files
        attached for it are dropped; the composer's own come back)."""
        edit = self._edits.pop(conversation_id, None)
        if edit is None:
            return
        if not sent:
            for attachment in self.pending(conversation_id):
                if attachment.id not in edit.aside:
                    rows.remove(self.history.connection, attachment.id)
        self.signals.attachmentsChanged.emit(conversation_id)

    def end_edits(self) -> None:
        for conversation_id in list(self._edits):
            self.end_edit(conversation_id, sent=False)

    def remove(self, conversation_id: int, attachment_id: int) -> None:
        edit = self._edits.get(conversation_id)
        if edit is not None and any(a.id == attachment_id for a in edit.kept):
            edit.kept = [a for a in edit.kept if a.id != attachment_id]  # the message keeps it
        else:
            rows.remove(self.history.connection, attachment_id)
        self.signals.attachmentsChanged.emit(conversation_id)

    def of_messages(self, message_ids: Iterable[int]) -> dict[int, list[Attachment]]:
        return rows.of_messages(self.history.connection, message_ids)

    def data(self, sha256: str) -> bytes | None:
        """The file's bytes (a thumbnail, the viewer), or None if it cannot be read."""
        try:
            return self.blobs.read(sha256)
        except (OSError, ValueError) as exc:
            log.warning("attachment %s unreadable: %s", sha256[:12], exc)
            return None

    def collect(self, backups: Iterable[Path] = ()) -> int:
        """Delete the files that neither the history nor a backup names any more (after
        start-up: nothing is mid-attach; young files are kept anyway)."""
        try:
            removed = self.blobs.collect(self.history.connection, backups=list(backups))
        except Exception as exc:  # never worth failing the start for
            log.warning("attachment clean-up skipped: %s", exc)
            return 0
        if removed:
            log.info("removed %d unreferenced attachment files", removed)
        return removed

    def content(self, text: str, files: list[Attachment]) -> Any:
        """A user message as the model reads it: its text with text files and PDFs
        inline; with images, OpenAI's content parts (the text first)."""
        body = with_files(text, files)
        pictures = [a for a in files if a.kind == "image"]
        if not pictures:
            return body
        parts: list[dict[str, Any]] = [{"type": "text", "text": body}]
        for picture in pictures:
            data = self.data(picture.sha256)
            if data is None:
                parts[0]["text"] += f"\n\n[{picture.name}: the file is missing]"
                continue
            url = f"data:{picture.mime};base64,{base64.b64encode(data).decode('ascii')}"
            parts.append({"type": "image_url", "image_url": {"url": url}})
        return parts


__all__ = ["Attachments", "Refused"]
