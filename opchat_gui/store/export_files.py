"""A folder export's attached files: each once, beside the JSON in `files/`, named by
the start of its SHA-256 and its own name; the JSON names them (`"file"`) instead of
carrying them in base64, and the Markdown files link them by relative path, so the
folder reads and imports anywhere. An import reads them back and checks each against
its hash before anything is written.
"""

from __future__ import annotations

import base64
import re
import shutil
from pathlib import Path, PurePosixPath
from typing import Any

from opchat_gui.core.attachments import Attachment
from opchat_gui.store.attachments import Blobs, sha256_of

FILES = "files"
NAME_CHARS = 80


def safe_name(name: str) -> str:
    """The file's name with only letters, digits, '.', '-' and '_' (no path, no spaces)."""
    cleaned = re.sub(r"[^\w.\-]+", "-", name, flags=re.UNICODE).strip(".-")
    return cleaned[-NAME_CHARS:] or "file"


class FolderFiles:
    """Copies each attachment's blob into <staging>/files once; `ref` is its path there."""

    def __init__(self, blobs: Blobs | None, staging: Path) -> None:
        self.blobs = blobs
        self.staging = staging
        self._refs: dict[str, str] = {}  # sha256 -> "files/…"

    def ref(self, attachment: Attachment) -> str:
        known = self._refs.get(attachment.sha256)
        if known is not None:
            return known
        if self.blobs is None:
            raise OSError("attachments are kept beside a history file; this one has none")
        name = safe_name(attachment.name)
        ref = f"{FILES}/{attachment.sha256[:12]}-{name}"
        if ref in self._refs.values():  # two files' hashes start alike: the whole hash
            ref = f"{FILES}/{attachment.sha256}-{name}"
        target = self.staging / ref
        target.parent.mkdir(exist_ok=True)
        shutil.copyfile(self.blobs.path(attachment.sha256), target)
        self._refs[attachment.sha256] = ref
        return ref

    def names(self) -> list[str]:
        return list(self._refs.values())


def valid_ref(ref: Any) -> bool:
    """A path inside the export's files folder, nothing else."""
    if not isinstance(ref, str):
        return False
    parts = PurePosixPath(ref).parts
    return len(parts) == 2 and parts[0] == FILES and parts[1] not in ("", ".", "..") \
        and "\\" not in ref


def load_files(records: list[dict[str, Any]], folder: Path) -> None:
    """Read each attachment a record names by file (beside the JSON in `folder`) into its
    base64 `data`; ValueError saying which one is missing or not what the JSON says."""
    for record in records:
        for message in record.get("messages", []):
            for item in message.get("attachments") or []:
                if "data" in item or not valid_ref(item.get("file")):
                    continue
                path = folder / item["file"]
                try:
                    data = path.read_bytes()
                except OSError as exc:
                    raise ValueError(f"the attached file {item['file']} is missing beside "
                                     f"the JSON ({exc.strerror or exc})") from exc
                if "sha256" in item and sha256_of(data) != item["sha256"]:
                    raise ValueError(f"the attached file {item['file']} is not the one the "
                                     "export names (its SHA-256 differs)")
                item["data"] = base64.b64encode(data).decode("ascii")
