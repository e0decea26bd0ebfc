"""API keys and proxy passwords: in the OS keyring, or in a 0600 file where there is none.

Every secret that passes through here is registered with the log redactor, so it can
never be written to the log, whatever code path logs it.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

from opchat_gui.core import redact as logs
from opchat_gui.core.files import write_atomic

log = logging.getLogger(__name__)

SERVICE = "opchat-gui"
FILE_NAME = "secrets.json"
NO_KEYRING_ENV = "OPCHAT_GUI_NO_KEYRING"


def _usable_keyring() -> object | None:
    """The keyring backend, or None where only the fail/null backends exist (CI, servers)."""
    if os.environ.get(NO_KEYRING_ENV):
        return None
    try:
        import keyring
        from keyring.backends import fail

        backend = keyring.get_keyring()
    except Exception as exc:  # a broken keyring install must not stop the app
        log.info("no keyring: %s", type(exc).__name__)
        return None
    if isinstance(backend, fail.Keyring) or "null" in type(backend).__module__.lower():
        return None
    return backend


def warm() -> None:
    """Import keyring and let it choose its backend now, on the warm-up's thread: both cost
    ~0.25 s, which the first send to a provider with a key paid on the GUI thread. The
    choice is keyring's own (process-wide), so every store's first use is then cheap."""
    if not os.environ.get(NO_KEYRING_ENV):
        _usable_keyring()


class SecretStore:
    """Look up, store and forget secrets by reference ("key:<provider id>", ...)."""

    def __init__(self, config_dir: Path, *, use_keyring: bool | None = None) -> None:
        self.path = config_dir / FILE_NAME
        self._want_keyring = use_keyring in (None, True)
        self._resolved = False
        self._backend_value: object | None = None
        # What each reference held when last read or written here. A reply reads its
        # provider's key two or three times before its request leaves, and a keyring
        # read is a D-Bus round trip (benchmarks/b9_latency.py); keys change only here.
        self._known: dict[str, str | None] = {}

    @property
    def _backend(self) -> object | None:
        """Found on first use: importing keyring costs ~0.2 s, which start-up should not pay."""
        if not self._resolved:
            self._resolved = True
            self._backend_value = _usable_keyring() if self._want_keyring else None
        return self._backend_value

    @_backend.setter
    def _backend(self, value: object | None) -> None:
        self._resolved = True
        self._backend_value = value

    @property
    def in_keyring(self) -> bool:
        return self._backend is not None

    @property
    def where(self) -> str:
        """A sentence for the settings page: where keys are kept."""
        if self._backend is not None:
            return f"Keys are kept in the system keyring ({type(self._backend).__name__})."
        return (f"No system keyring is available, so keys are kept in {self.path}, "
                "readable only by you.")

    def get(self, ref: str) -> str | None:
        if ref in self._known:
            return self._known[ref]
        value: str | None
        backend = self._backend
        if backend is not None:
            try:
                value = backend.get_password(SERVICE, ref)  # type: ignore[attr-defined]
            except Exception as exc:  # locked, or gone: asked again next time
                log.warning("keyring read failed: %s", type(exc).__name__)
                return None
        else:
            value = self._read_file().get(ref)
        logs.register_secret(value)
        self._known[ref] = value
        return value

    def set(self, ref: str, value: str) -> None:
        if not value:
            self.delete(ref)
            return
        logs.register_secret(value)
        self._known.pop(ref, None)  # read again once stored (the keyring may refuse it)
        backend = self._backend
        if backend is not None:
            try:
                backend.set_password(SERVICE, ref, value)  # type: ignore[attr-defined]
                return
            except Exception as exc:  # a keyring that is listed but locked or absent
                log.warning("the keyring refused to store a key (%s); using %s from now on",
                            type(exc).__name__, self.path)
                self._backend = None
        stored = self._read_file()
        stored[ref] = value
        self._write_file(stored)

    def delete(self, ref: str) -> None:
        self._known.pop(ref, None)
        backend = self._backend
        if backend is not None:
            try:
                backend.delete_password(SERVICE, ref)  # type: ignore[attr-defined]
            except Exception:  # deleting what is not there is fine
                pass
            return
        stored = self._read_file()
        if stored.pop(ref, None) is not None:
            self._write_file(stored)

    def _read_file(self) -> dict[str, str]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            log.warning("the secrets file could not be read: %s", type(exc).__name__)
            return {}
        return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}

    def _write_file(self, stored: dict[str, str]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(self.path, json.dumps(stored, indent=2, sort_keys=True), private=True)
