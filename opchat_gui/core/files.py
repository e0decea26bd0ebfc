"""Crash-safe file writes: the one way the app replaces a file on disk.

A reader (or the next start after a crash or power cut) sees either the old file or
the whole new one, never half of either: the text goes to a temporary file in the
same folder, is flushed to the disk, and then renamed over the target; on POSIX the
folder is flushed too, so the rename itself survives a power cut.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

PRIVATE_MODE = 0o600  # readable and writable only by the user
PUBLIC_MODE = 0o666  # narrowed by the umask, as for any new file


def write_atomic(path: Path, text: str | bytes, *, private: bool = False) -> None:
    """Replace `path` with `text` (str as UTF-8, or bytes) atomically; `private` makes
    the file 0600.

    The folder must exist. On failure the old file is left as it was, no temporary
    file is left behind, and the OSError (or encoding error) propagates.
    """
    data = text.encode("utf-8") if isinstance(text, str) else text
    temporary = path.with_name(f".{path.name}.{os.urandom(4).hex()}.tmp")
    # O_EXCL: two writers of the same file never share a temporary file.
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL
                         | getattr(os, "O_BINARY", 0), PRIVATE_MODE if private else PUBLIC_MODE)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise
    if os.name == "posix":
        _sync_folder(path.parent)


def _sync_folder(folder: Path) -> None:
    """Flush the folder's entry for the renamed file to the disk."""
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
