"""Real MCP servers nobody here wrote, from PyPI, started over stdio as a user's config does.

`mcp-server-time` (console script `mcp-server-time`, module `mcp_server_time`) and
`mcp-server-git` (`mcp-server-git`, module `mcp_server_git`, `--repository PATH`), both
installed by the test extra; started with this interpreter so the test does not depend
on PATH.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from opchat_gui.config.keystore import SecretStore
from opchat_gui.tools.host import ToolHost
from opchat_gui.tools.model_tools import NAME_RE
from opchat_gui.tools.server_config import ServersConfig

SLOW = 120.0


def host_for(tmp_path: Path, servers: dict[str, Any]) -> ToolHost:
    folder = tmp_path / "config"
    folder.mkdir(exist_ok=True)
    path = folder / "mcp_servers.json"
    path.write_text(json.dumps({"mcpServers": servers}), encoding="utf-8")
    return ToolHost(ServersConfig.load(path, SecretStore(folder, use_keyring=False)),
                    init_timeout=SLOW)


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True,
                   env={"GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "t@example.org",
                        "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "t@example.org",
                        "HOME": str(repo), "PATH": "/usr/bin:/bin:/usr/local/bin"})


def test_mcp_server_time_lists_its_tools_and_tells_the_time(run, tmp_path):
    host = host_for(tmp_path, {"time": {"command": sys.executable,
                                        "args": ["-m", "mcp_server_time"]}})
    try:
        listing = run(host.list_tools(SLOW), timeout=SLOW)
        assert not listing.errors
        assert {t.name for t in listing.tools["time"]} >= {"get_current_time", "convert_time"}
        tools = listing.for_model()
        spec = next(s for s in tools.specs if s["function"]["name"] == "get_current_time")
        assert spec["type"] == "function"
        assert "timezone" in spec["function"]["parameters"]["required"]
        assert all(NAME_RE.match(s["function"]["name"]) for s in tools.specs)

        outcome = run(host.call(tools, "get_current_time", '{"timezone": "Europe/Paris"}'),
                      timeout=SLOW)
        assert not outcome.is_error
        answer = json.loads(outcome.text)
        assert answer["timezone"] == "Europe/Paris"
        assert answer["datetime"].endswith(("+01:00", "+02:00"))

        bad = run(host.call(tools, "get_current_time", '{"timezone": "Mars/Olympus"}'),
                  timeout=SLOW)
        assert bad.is_error and "Mars/Olympus" in bad.text
    finally:
        run(host.stop_all(), timeout=SLOW)


def test_mcp_server_git_reads_status_and_log_of_a_fresh_repository(run, tmp_path):
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    (repo / "notes.txt").write_text("first\n", encoding="utf-8")
    git(repo, "add", "notes.txt")
    git(repo, "commit", "-q", "-m", "Add the first note")
    (repo / "draft.txt").write_text("not yet added\n", encoding="utf-8")

    host = host_for(tmp_path, {"git": {"command": sys.executable,
                                       "args": ["-m", "mcp_server_git", "--repository",
                                                str(repo)]}})
    try:
        listing = run(host.list_tools(SLOW), timeout=SLOW)
        assert not listing.errors
        assert {t.name for t in listing.tools["git"]} >= {"git_status", "git_log", "git_diff"}
        tools = listing.for_model()

        status = run(host.call(tools, "git_status", {"repo_path": str(repo)}), timeout=SLOW)
        assert not status.is_error
        assert "draft.txt" in status.text

        log = run(host.call(tools, "git_log", {"repo_path": str(repo)}), timeout=SLOW)
        assert not log.is_error
        assert "Add the first note" in log.text
    finally:
        run(host.stop_all(), timeout=SLOW)
