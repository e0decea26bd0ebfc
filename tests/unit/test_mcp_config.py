"""The tool servers file: Claude Desktop's shape, secrets in the key store, nothing lost."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from opchat_gui.config.keystore import SecretStore
from opchat_gui.config.paths import AppPaths
from opchat_gui.core.redact import redact
from opchat_gui.tools.errors import ServersFileError
from opchat_gui.tools.server_config import SECRET_MARKER, ServerConfig, ServersConfig, looks_secret

CLAUDE_DESKTOP = {
    "globalShortcut": "Ctrl+Space",
    "mcpServers": {
        "github": {
            "command": "npx",
            "args": ["-y", "@modelcontextprotocol/server-github"],
            "env": {"GITHUB_PERSONAL_ACCESS_TOKEN": "ghp_16C7e42F292c6912E7710c838347Ae178B4a",
                    "LOG_LEVEL": "debug"},
        },
        "time": {"command": "uvx", "args": ["mcp-server-time", "--local-timezone=UTC"]},
        "docs": {"type": "http", "url": "https://docs.example.org/mcp",
                 "headers": {"Authorization": "Bearer tok-51ab2d77c3e2"}},
    },
}


@pytest.fixture
def store(tmp_path: Path) -> SecretStore:
    return SecretStore(tmp_path / "config", use_keyring=False)


def write(path: Path, data: object) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_the_file_lives_in_the_config_folder(tmp_path):
    paths = AppPaths.resolve(tmp_path)
    assert paths.tool_servers == tmp_path / "config" / "mcp_servers.json"
    assert AppPaths.claude_desktop_config().name == "claude_desktop_config.json"


def test_importing_a_claude_desktop_file_moves_its_secrets_to_the_key_store(tmp_path, store):
    claude = write(tmp_path / "Claude" / "claude_desktop_config.json", CLAUDE_DESKTOP)
    config = ServersConfig.load(tmp_path / "config" / "mcp_servers.json", store)
    added, skipped = config.import_file(claude)
    assert added == ["github", "time", "docs"] and skipped == []

    text = config.path.read_text(encoding="utf-8")
    assert "ghp_16C7e42F" not in text and "tok-51ab2d77c3e2" not in text
    on_disk = json.loads(text)["mcpServers"]
    assert on_disk["github"]["env"] == {"GITHUB_PERSONAL_ACCESS_TOKEN": SECRET_MARKER,
                                        "LOG_LEVEL": "debug"}
    assert on_disk["docs"]["headers"] == {"Authorization": SECRET_MARKER}
    assert on_disk["time"] == CLAUDE_DESKTOP["mcpServers"]["time"]  # type: ignore[index]
    assert "globalShortcut" not in on_disk  # only the servers are taken
    assert store.get("mcp:github:env:GITHUB_PERSONAL_ACCESS_TOKEN") == (
        "ghp_16C7e42F292c6912E7710c838347Ae178B4a")

    again = ServersConfig.load(config.path, store)
    assert again.servers["github"].env["GITHUB_PERSONAL_ACCESS_TOKEN"].startswith("ghp_16C7")
    assert again.servers["docs"].url == "https://docs.example.org/mcp"
    assert again.servers["docs"].headers == {"Authorization": "Bearer tok-51ab2d77c3e2"}
    assert again.servers["time"].args == ("mcp-server-time", "--local-timezone=UTC")
    assert "ghp_16C7e42F292c6912E7710c838347Ae178B4a" not in redact(
        "env GITHUB_PERSONAL_ACCESS_TOKEN=ghp_16C7e42F292c6912E7710c838347Ae178B4a")

    assert config.import_file(claude) == ([], ["github", "time", "docs"])


def test_a_claude_desktop_file_loads_as_is_as_our_own(tmp_path, store):
    path = write(tmp_path / "config" / "mcp_servers.json", CLAUDE_DESKTOP)
    config = ServersConfig.load(path, store)
    assert config.names() == ["github", "time", "docs"]
    data = json.loads(path.read_text(encoding="utf-8"))  # the secrets were moved out at once
    assert data["globalShortcut"] == "Ctrl+Space"  # and what this app does not know stays
    assert data["mcpServers"]["github"]["env"]["GITHUB_PERSONAL_ACCESS_TOKEN"] == SECRET_MARKER


@pytest.mark.parametrize("text", ['{"mcpServers": {"a": {"command": "x",}}}', "[1, 2]",
                                  '{"mcpServers": ["a"]}', "\xff\xfe"])
def test_an_invalid_file_is_a_clear_error_and_is_left_as_it_was(tmp_path, store, text):
    path = tmp_path / "config" / "mcp_servers.json"
    path.parent.mkdir(parents=True)
    path.write_bytes(text.encode("latin-1"))
    with pytest.raises(ServersFileError) as caught:
        ServersConfig.load(path, store)
    assert caught.value.user_message.startswith(f"The tool servers file {path} could not be "
                                                "read: ")
    assert path.read_bytes() == text.encode("latin-1")


def test_a_file_that_failed_to_load_is_never_overwritten(tmp_path, store):
    path = tmp_path / "mcp_servers.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(ServersFileError):
        ServersConfig.load(path, store)
    empty = ServersConfig(path, store)  # what a caller might fall back to
    with pytest.raises(ServersFileError, match="not overwritten"):
        empty.put(ServerConfig("new", command="x"))
    assert path.read_text(encoding="utf-8") == "{not json"


def test_the_json_error_says_where(tmp_path, store):
    path = write(tmp_path / "mcp_servers.json", {})
    path.write_text('{\n  "mcpServers": {\n    "a": {"command": "x",}\n  }\n}', "utf-8")
    with pytest.raises(ServersFileError, match="line 3, column 26"):
        ServersConfig.load(path, store)


def test_an_unusable_entry_is_kept_verbatim_and_reported(tmp_path, store):
    weird = {"args": "not a list", "note": "keep me"}
    path = write(tmp_path / "mcp_servers.json", {"mcpServers": {
        "good": {"command": "uvx", "args": ["mcp-server-time"], "futureField": {"x": 1}},
        "bad": weird, "sse": {"type": "sse", "url": "http://localhost:1/sse"}}})
    config = ServersConfig.load(path, store)
    assert config.names() == ["good"]
    assert [p.server for p in config.problems()] == ["bad", "sse"]
    assert "SSE transport is not supported" in next(
        p for p in config.problems() if p.server == "sse").user_message

    config.allow_always("good", "get_current_time")
    data = json.loads(path.read_text(encoding="utf-8"))["mcpServers"]
    assert list(data) == ["good", "bad", "sse"]
    assert data["bad"] == weird
    assert data["good"]["futureField"] == {"x": 1}
    assert data["good"]["alwaysAllow"] == ["get_current_time"]


def test_always_allow_is_remembered_per_server_and_tool_and_revocable(tmp_path, store):
    path = write(tmp_path / "mcp_servers.json", {"mcpServers": {
        "git": {"command": "uvx", "args": ["mcp-server-git"]},
        "time": {"command": "uvx", "args": ["mcp-server-time"]}}})
    config = ServersConfig.load(path, store)
    config.allow_always("git", "git_log")
    reloaded = ServersConfig.load(path, store)
    assert reloaded.is_always_allowed("git", "git_log")
    assert not reloaded.is_always_allowed("time", "git_log")
    reloaded.allow_always("git", "git_log", allowed=False)
    assert not ServersConfig.load(path, store).is_always_allowed("git", "git_log")


def test_a_secret_typed_into_the_file_by_hand_moves_to_the_key_store(tmp_path, store):
    path = write(tmp_path / "mcp_servers.json", {"mcpServers": {
        "search": {"command": "npx", "env": {"BRAVE_API_KEY": "BSAabc123def456"}}}})
    config = ServersConfig.load(path, store)
    assert config.servers["search"].env["BRAVE_API_KEY"] == "BSAabc123def456"
    assert "BSAabc123def456" not in path.read_text(encoding="utf-8")
    assert store.get("mcp:search:env:BRAVE_API_KEY") == "BSAabc123def456"


def test_removing_a_server_forgets_its_secrets(tmp_path, store):
    config = ServersConfig.load(tmp_path / "mcp_servers.json", store)
    config.put(ServerConfig("svc", command="svc", env={"SVC_TOKEN": "abcdef123456"}))
    assert store.get("mcp:svc:env:SVC_TOKEN") == "abcdef123456"
    config.put(replace(config.servers["svc"], env={}))
    assert store.get("mcp:svc:env:SVC_TOKEN") is None
    config.put(ServerConfig("svc", command="svc", env={"SVC_TOKEN": "abcdef123456"}))
    assert config.remove("svc")
    assert store.get("mcp:svc:env:SVC_TOKEN") is None
    assert json.loads(config.path.read_text(encoding="utf-8")) == {"mcpServers": {}}


def test_a_missing_secret_is_left_out_and_the_marker_kept(tmp_path, store):
    path = write(tmp_path / "mcp_servers.json", {"mcpServers": {
        "svc": {"command": "svc", "env": {"SVC_TOKEN": SECRET_MARKER}}}})
    config = ServersConfig.load(path, store)
    assert config.servers["svc"].env == {}


@pytest.mark.parametrize(("name", "value", "secret"), [
    ("GITHUB_PERSONAL_ACCESS_TOKEN", "x", True),
    ("OPENAI_API_KEY", "x", True),
    ("Authorization", "Bearer abc", True),
    ("DB_PASSWORD", "hunter2", True),
    ("GITLAB_PAT", "x", True),
    ("DATABASE_URL", "postgres://user:pw@localhost/db", True),
    ("SOME_VALUE", "a8f5f167f44f4964e6c998dee827110c", True),
    ("LOG_LEVEL", "debug", False),
    ("ALLOWED_DIR", "/home/me/projects/2024-reports-and-more", False),
    ("Accept", "application/json", False),
])
def test_what_counts_as_a_secret(name, value, secret):
    assert looks_secret(name, value) is secret
