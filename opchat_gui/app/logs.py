"""The log file: rotating, private (0600), and scrubbed of secrets before anything is written.

Redaction happens on the formatted line, so a key that sneaks in through an exception
message, a URL with credentials or a header dump is caught as well as a logged value.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import sys
from pathlib import Path

from opchat_gui.core.redact import redact

LOG_NAME = "opchat-gui.log"
MAX_BYTES = 1_000_000
BACKUPS = 3
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

_handlers: list[logging.Handler] = []


class RedactingFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


def _private_file_handler(path: Path) -> logging.handlers.RotatingFileHandler:
    if not path.exists():
        path.touch(mode=0o600)
    if os.name == "posix":
        path.chmod(0o600)
    return logging.handlers.RotatingFileHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUPS,
                                                encoding="utf-8")


def setup(folder: Path, *, verbose: bool = False) -> Path | None:
    """Log to folder/opchat-gui.log (and to stderr when verbose); safe to call again.

    Returns the log file, or None when it cannot be written (the app still starts).
    """
    shutdown()
    path: Path | None = folder / LOG_NAME
    formatter = RedactingFormatter(FORMAT)
    handlers: list[logging.Handler] = []
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handlers.append(_private_file_handler(folder / LOG_NAME))
    except OSError as exc:  # a read-only or full disk: run without a log file, say so
        path = None
        print(f"opchat-gui: cannot write the log in {folder}: {exc.strerror or exc}",
              file=sys.stderr)
    if verbose:
        handlers.append(logging.StreamHandler(sys.stderr))
    logger = logging.getLogger("opchat_gui")
    logger.setLevel(logging.DEBUG if verbose else logging.INFO)
    logger.propagate = False  # every line goes through the redacting formatter, nowhere else
    for handler in handlers:
        handler.setFormatter(formatter)
        logger.addHandler(handler)
        _handlers.append(handler)
    return path


def shutdown() -> None:
    """Detach and close what setup() attached (tests open many app sessions)."""
    logger = logging.getLogger("opchat_gui")
    while _handlers:
        handler = _handlers.pop()
        logger.removeHandler(handler)
        handler.close()
