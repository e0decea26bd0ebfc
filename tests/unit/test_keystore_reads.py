"""A key is read from the keyring once per run, not once per use (each read is a D-Bus
round trip, and a reply's target is resolved two or three times before its request
leaves: benchmarks/b9_latency.py); what is stored here is what is read next."""

from __future__ import annotations

from pathlib import Path

from keyring.backend import KeyringBackend

from opchat_gui.config.keystore import SERVICE, SecretStore
from opchat_gui.config.provider_entries import ProviderConfig, ProviderEntry


class CountingKeyring(KeyringBackend):
    """An in-memory keyring that counts its reads; `locked` makes reads fail."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[tuple[str, str], str] = {}
        self.reads = 0
        self.locked = False

    def get_password(self, service: str, username: str) -> str | None:
        self.reads += 1
        if self.locked:
            raise RuntimeError("the keyring is locked")
        return self.values.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.values[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.values.pop((service, username), None)


def store_with(backend: CountingKeyring, folder: Path) -> SecretStore:
    store = SecretStore(folder)
    store._backend = backend  # the keyring this run found
    return store


def test_resolving_a_target_again_reads_no_key_again(tmp_path):
    backend = CountingKeyring()
    backend.values[(SERVICE, "api_key:llama")] = "sk-local"
    config = ProviderConfig.load(tmp_path, store_with(backend, tmp_path))
    config.put(ProviderEntry("llama", "llama.cpp", "openai", "http://127.0.0.1:8080/v1"))
    for _ in range(3):  # the input check, the reply's start, the header's tools note
        target = config.target_for("llama")
        assert target.options["api_key"] == "sk-local"
    assert backend.reads == 1


def test_a_key_set_or_deleted_here_is_what_is_read_next(tmp_path):
    backend = CountingKeyring()
    store = store_with(backend, tmp_path)
    assert store.get("api_key:x") is None
    store.set("api_key:x", "first")
    assert store.get("api_key:x") == "first"
    store.set("api_key:x", "second")
    assert store.get("api_key:x") == "second"
    store.delete("api_key:x")
    assert store.get("api_key:x") is None
    assert backend.values == {}


def test_a_failed_read_is_asked_again(tmp_path):
    backend = CountingKeyring()
    backend.values[(SERVICE, "api_key:x")] = "unlocked at last"
    backend.locked = True
    store = store_with(backend, tmp_path)
    assert store.get("api_key:x") is None  # locked: nothing, and not remembered
    backend.locked = False
    assert store.get("api_key:x") == "unlocked at last"
    assert backend.reads == 2


def test_without_a_keyring_the_file_is_read_once(tmp_path):
    store = SecretStore(tmp_path, use_keyring=False)
    store.set("api_key:x", "in the file")
    (tmp_path / "secrets.json").write_text('{"api_key:x": "edited behind our back"}')
    assert store.get("api_key:x") == "edited behind our back"  # first read: the file
    (tmp_path / "secrets.json").write_text('{"api_key:x": "edited again"}')
    assert store.get("api_key:x") == "edited behind our back"  # kept for the run
