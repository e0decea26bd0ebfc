"""One running app per data folder: a second launch brings the first window forward.

Why single-instance rather than concurrent writers: two windows on one history would
each hold their own view, drafts and streams, and a reply saved by one would never
appear in the other. A lock file in the data folder (QLockFile: a crashed owner's stale
lock is taken over) decides who runs; the owner listens on a local socket named after
the data folder, so `--data-dir` instances (and parallel tests) never collide.

The lock is taken in start-up's first step (app/frame.py), before any window shows; the
socket (QtNetwork) opens in the second (`listen`), so a launch in between waits for it.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QLockFile, QObject, Signal

if TYPE_CHECKING:
    from PySide6.QtNetwork import QLocalServer, QLocalSocket

LOCK_NAME = "instance.lock"
ACTIVATE = b"activate\n"
CONNECT_MS = 2000


def socket_name(data_dir: Path) -> str:
    import hashlib

    digest = hashlib.sha256(str(data_dir.resolve()).encode()).hexdigest()[:16]
    return f"opchat-gui-{digest}"


class AlreadyRunning(RuntimeError):
    """Another instance owns this data folder; it was asked to come to the front."""

    def __init__(self, message: str, *, woke: bool) -> None:
        super().__init__(message)
        self.woke = woke  # False: the owner did not answer, so say so in a dialog


class SingleInstance(QObject):
    activationRequested = Signal()

    def __init__(self, data_dir: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._data_dir = data_dir
        self._lock = QLockFile(str(data_dir / LOCK_NAME))
        self._lock.setStaleLockTime(0)  # stale only when the owner's process is gone
        self._server: QLocalServer | None = None

    @property
    def name(self) -> str:
        return socket_name(self._data_dir)

    def acquire(self, *, listen: bool = True) -> None:
        """Become the instance for this folder, or wake the owner and raise AlreadyRunning.
        `listen=False`: take the lock only; `listen()` opens the socket later."""
        if not self._lock.tryLock(200):
            held = self._lock.error() == QLockFile.LockError.LockFailedError
            woke = self._wake_owner(patient=held)
            if not held and not woke:  # cannot write the lock (read-only folder): run anyway
                if listen:
                    self.listen()
                return
            raise AlreadyRunning(
                "opchat-gui is already running with this data folder"
                + ("; its window was brought to the front." if woke else
                   ", but it did not answer. Close it, or start with another --data-dir."),
                woke=woke)
        if listen:
            self.listen()

    def listen(self) -> None:
        """Answer later launches (they ask this window to come forward)."""
        if self._server is not None:
            return
        from PySide6.QtNetwork import QLocalServer

        QLocalServer.removeServer(self.name)  # a socket file left by a crashed owner
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        server.newConnection.connect(self._on_connection)
        server.listen(self.name)
        self._server = server

    def release(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
        if self._lock.isLocked():
            self._lock.unlock()

    def _wake_owner(self, *, patient: bool) -> bool:
        """`patient`: the lock is held, so an owner that is still starting (it opens the
        socket after its window shows) gets CONNECT_MS to answer."""
        from PySide6.QtNetwork import QLocalSocket

        deadline = time.monotonic() + CONNECT_MS / 1000
        socket = QLocalSocket()
        while True:
            socket.connectToServer(self.name)
            if socket.waitForConnected(CONNECT_MS):
                break
            if not patient or time.monotonic() > deadline:
                return False
            time.sleep(0.05)
        socket.write(ACTIVATE)
        ok = socket.waitForBytesWritten(CONNECT_MS)
        socket.disconnectFromServer()
        return ok

    def _on_connection(self) -> None:
        assert self._server is not None
        while (socket := self._server.nextPendingConnection()) is not None:
            socket.readyRead.connect(lambda s=socket: self._on_ready(s))
            socket.disconnected.connect(socket.deleteLater)
            if socket.bytesAvailable():
                self._on_ready(socket)

    def _on_ready(self, socket: QLocalSocket) -> None:
        if bytes(socket.readAll().data()).startswith(ACTIVATE.strip()):
            self.activationRequested.emit()
