"""Provider entries on disk, keys in the key store, and the conversation -> target resolver."""

from __future__ import annotations

import json
import os
import stat

import pytest

from opchat_gui.config.keystore import NO_KEYRING_ENV, SecretStore
from opchat_gui.config.provider_entries import (
    FIELDS,
    ProviderConfig,
    ProviderEntry,
    strip_password,
    with_password,
)
from opchat_gui.demo.openai_server import MODELS, OpenAIDevServer
from opchat_gui.providers.aiengine import AIEngine
from opchat_gui.providers.opchatgpts import Opchatgpts
from opchat_gui.providers.openai_compat import OpenAICompatible, probe


@pytest.fixture
def config(tmp_path, monkeypatch):
    monkeypatch.setenv(NO_KEYRING_ENV, "1")  # never touch a developer's real keyring
    return ProviderConfig.load(tmp_path, SecretStore(tmp_path))


def test_first_run_has_the_reference_provider_as_default(config):
    assert config.first_run
    target = config.target_for("")
    assert target.provider is Opchatgpts and "url" not in target.options


def test_entries_round_trip_as_readable_json_without_secrets(config, tmp_path):
    config.put(ProviderEntry("local", "Local llama", "openai", "http://127.0.0.1:8080/v1",
                             "qwen2.5", proxy="socks5://bob:pa55@127.0.0.1:1080"),
               {"api_key": "sk-local-secret-123"})
    config.set_default("local")
    text = (tmp_path / "providers.json").read_text(encoding="utf-8")
    assert "sk-local-secret-123" not in text and "pa55" not in text
    data = json.loads(text)
    assert data["default"] == "local"
    assert data["providers"][-1]["proxy"] == "socks5://bob@127.0.0.1:1080"
    assert "\n  " in text  # indented for people to read

    secrets_file = tmp_path / "secrets.json"
    assert stat.S_IMODE(os.stat(secrets_file).st_mode) == 0o600
    assert json.loads(secrets_file.read_text())["api_key:local"] == "sk-local-secret-123"

    again = ProviderConfig.load(tmp_path, SecretStore(tmp_path))
    assert not again.first_run and again.default().id == "local"
    target = again.target_for("local", "", {"read_timeout": 5.0})
    assert target.provider is OpenAICompatible and target.model == "qwen2.5"
    assert target.options["api_key"] == "sk-local-secret-123"
    assert target.options["proxy"] == "socks5://bob:pa55@127.0.0.1:1080"
    assert target.options["read_timeout"] == 5.0
    assert target.label == "Local llama · qwen2.5"


def test_conversation_model_and_unknown_provider(config):
    config.put(ProviderEntry("site", "My site", "aiengine", "https://example.org",
                             bot_id="chatbot-2", prefix="/wp", new_shape=True))
    target = config.target_for("site", "ignored-model")
    assert target.provider is AIEngine
    assert target.options == {"url": "https://example.org", "bot_id": "chatbot-2",
                              "custom_id": None, "prefix": "/wp", "new_shape": True,
                              "page": "", "max_input_chars": 512}
    assert config.target_for("gone-provider").provider is Opchatgpts  # falls back to default


def test_global_proxy_password_is_kept_out_and_added_back(config, tmp_path):
    stripped = config.keep_global_proxy_password("http://amy:hunter22@127.0.0.1:3128")
    assert stripped == "http://amy@127.0.0.1:3128"
    target = config.target_for("", "", {"proxy": stripped})
    assert target.options["proxy"] == "http://amy:hunter22@127.0.0.1:3128"
    assert "hunter22" not in (tmp_path / "secrets.json").read_text().replace(
        '"proxy_password:global": "hunter22"', "")


def test_remove_forgets_the_keys_and_moves_the_default(config, tmp_path):
    config.put(ProviderEntry("x", "X", "openai", "http://127.0.0.1:1/v1"), {"api_key": "k-x-1"})
    config.set_default("x")
    assert config.remove("x")
    assert config.default().id == "opchatgpts"
    assert "k-x-1" not in (tmp_path / "secrets.json").read_text()


def test_url_and_demo_entries_are_this_runs_default_only(config, tmp_path):
    entry = config.ensure_site("http://127.0.0.1:9999/")
    assert config.default().id == entry.id and entry.kind == "aiengine"
    assert json.loads((tmp_path / "providers.json").read_text())["default"] == "opchatgpts"
    config.add_runtime(ProviderEntry("demo", "Demo server", "aiengine", "http://127.0.0.1:1"))
    assert config.default().id == "demo"
    assert "demo" not in (tmp_path / "providers.json").read_text()


def test_a_broken_file_falls_back_to_the_builtin_provider(tmp_path, monkeypatch):
    monkeypatch.setenv(NO_KEYRING_ENV, "1")
    (tmp_path / "providers.json").write_text("{not json", encoding="utf-8")
    config = ProviderConfig.load(tmp_path, SecretStore(tmp_path))
    assert config.default().id == "opchatgpts"


def test_probe_results_become_entries(config, run):
    async def found():
        server = await OpenAIDevServer().start()
        try:
            return await probe([("ollama", server.url)])
        finally:
            await server.stop()

    [added] = config.add_found(run(found()))
    assert (added.id, added.name, added.kind) == ("ollama", "Ollama", "openai")
    assert added.url == "http://localhost:11434/v1" and added.model == sorted(MODELS)[0]


def test_the_field_table_covers_every_editable_entry_field():
    names = {f.name for f in FIELDS}
    # The generation defaults have their own table (config/generation.GEN_FIELDS).
    entry_fields = set(ProviderEntry.__dataclass_fields__) - {"id", "generation"}
    assert entry_fields <= names
    assert {"api_key", "proxy_password"} <= names


def test_password_helpers():
    assert strip_password("socks5://u:p%40ss@h:1080") == ("socks5://u@h:1080", "p%40ss")
    assert with_password("socks5://u@h:1080", "p%40ss") == "socks5://u:p%40ss@h:1080"
    assert strip_password("http://h:3128") == ("http://h:3128", "")


def test_a_ca_file_reaches_the_call(config):
    config.put(ProviderEntry("selfsigned", "Home server", "openai", "https://10.0.0.2/v1",
                             "m", ca_file="/etc/ssl/home-ca.pem"))
    assert config.target_for("selfsigned").options["ca_file"] == "/etc/ssl/home-ca.pem"
    assert "ca_file" not in config.target_for("opchatgpts").options


def test_a_keyring_that_fails_falls_back_to_the_private_file(tmp_path, monkeypatch):
    class Locked:
        def set_password(self, *_args):
            raise RuntimeError("the keyring is locked")

    store = SecretStore(tmp_path, use_keyring=False)
    store._backend = Locked()  # a backend that is listed, then refuses to work
    store.set("api_key:x", "k-locked-1")
    assert not store.in_keyring and "readable only by you" in store.where
    assert store.get("api_key:x") == "k-locked-1"
    assert stat.S_IMODE(os.stat(tmp_path / "secrets.json").st_mode) == 0o600


def test_the_keyring_is_not_loaded_until_a_key_is_needed(tmp_path):
    """Importing keyring costs ~0.2 s; start-up and header labels must not pay it."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from opchat_gui.config.keystore import SecretStore\n"
        "from opchat_gui.config.provider_entries import ProviderConfig, ProviderEntry\n"
        "config = ProviderConfig.load(Path(sys.argv[1]), SecretStore(Path(sys.argv[1])))\n"
        "config.put(ProviderEntry('o', 'O', 'openai', 'http://127.0.0.1:1/v1', 'm'))\n"
        "print(config.get('o').label(), 'keyring' in sys.modules)\n"
        "config.target_for('o')\n"
        "print('keyring' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True,
                         text=True, timeout=60, check=True, env={**os.environ,
                                                                 NO_KEYRING_ENV: ""})
    assert out.stdout.split() == ["O", "·", "m", "False", "True"]


def test_generation_defaults_and_context_length_round_trip(config, tmp_path):
    config.put(ProviderEntry("local", "Local", "openai", "http://127.0.0.1:8080/v1",
                             context_length=8192, generation={"temperature": 0.4}))
    again = ProviderConfig.load(tmp_path, SecretStore(tmp_path))
    entry = again.get("local")
    assert entry.context_length == 8192 and entry.generation == {"temperature": 0.4}
    raw = json.loads((tmp_path / "providers.json").read_text())
    raw["providers"][-1]["generation"] = {"temperature": "hot", "seed": 1}
    raw["providers"][-1]["context_length"] = "lots"
    (tmp_path / "providers.json").write_text(json.dumps(raw))
    entry = ProviderConfig.load(tmp_path, SecretStore(tmp_path)).get("local")
    assert entry.generation == {"seed": 1} and entry.context_length == 0
