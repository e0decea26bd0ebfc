"""Warm what the first send needs while the app is idle after start.

Why: the first Enter used to import the network stack on the GUI thread (250-450 ms of
frozen window, benchmarks/b9_latency.py). It is imported on a worker thread instead, as
soon as the start-up work is done (the open conversation fully rendered, and a moment
more) or the user starts typing, whichever comes first; never before the first paint,
so start-up (B3) does not pay for it. A send during the warm-up waits only for its rest.
The keyring (import and backend choice, ~0.25 s) is warmed the same way, after it.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer

from opchat_gui.config import keystore
from opchat_gui.providers.lazy import preload

log = logging.getLogger(__name__)

SETTLE_MS = 300  # after the start-up work: the first frames and the list are done
POLL_MS = 100


class WarmUp(QObject):
    """Starts `preload` on a daemon thread once, when `settled()` has held for SETTLE_MS
    or `now()` is called (the composer's first keystroke)."""

    def __init__(self, settled: Callable[[], bool], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._settled = settled
        self._quiet_ms = 0
        self.thread: threading.Thread | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self._poll)
        self._timer.start()

    def now(self) -> None:
        if self.thread is not None:
            return
        self._timer.stop()
        self.thread = threading.Thread(target=self._run, name="opchat-warmup", daemon=True)
        self.thread.start()

    def _poll(self) -> None:
        self._quiet_ms = self._quiet_ms + POLL_MS if self._settled() else 0
        if self._quiet_ms >= SETTLE_MS:
            self.now()

    @staticmethod
    def _run() -> None:
        log.info("network stack loaded in the background in %.0f ms", preload() * 1000)
        keystore.warm()  # a keyed provider's first send reads its key
