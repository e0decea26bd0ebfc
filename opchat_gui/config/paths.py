"""Every path the app writes to, in one place; `--data-dir DIR` moves them all under DIR."""

from __future__ import annotations

import logging
import os
import sys
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "opchat-gui"


@dataclass(frozen=True)
class AppPaths:
    data: Path
    config: Path
    logs: Path
    cache: Path

    @property
    def database(self) -> Path:
        return self.data / "history.sqlite3"

    @property
    def attachments(self) -> Path:
        """Attached files, content-addressed (store/attachments.py)."""
        return self.data / "attachments"

    @property
    def backups(self) -> Path:
        return self.data / "backups"

    @property
    def settings(self) -> Path:
        return self.config / "settings.json"

    @property
    def tool_servers(self) -> Path:
        """The MCP servers, in Claude Desktop's `mcpServers` shape (opchat_gui.tools)."""
        return self.config / "mcp_servers.json"

    @classmethod
    def resolve(cls, data_dir: str | os.PathLike[str] | None = None) -> AppPaths:
        if data_dir is not None:
            root = Path(data_dir).expanduser().resolve()
            return cls(data=root, config=root / "config", logs=root / "logs",
                       cache=root / "cache")
        return cls(
            data=Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)),
            config=Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)),
            logs=Path(platformdirs.user_log_dir(APP_NAME, appauthor=False)),
            cache=Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False)),
        )

    @staticmethod
    def claude_desktop_config() -> Path:
        """Where Claude Desktop keeps its MCP servers, to offer importing them."""
        if sys.platform == "darwin":
            return Path.home() / "Library/Application Support/Claude/claude_desktop_config.json"
        if os.name == "nt":
            return Path(os.environ.get("APPDATA", Path.home())) / "Claude" / (
                "claude_desktop_config.json")
        return Path(platformdirs.user_config_dir("Claude", appauthor=False)) / (
            "claude_desktop_config.json")

    def ensure(self) -> None:
        """Create the folders; private to the user, since they hold their conversations."""
        for folder in (self.data, self.config, self.logs, self.cache):
            try:
                folder.mkdir(parents=True, exist_ok=True)
                if os.name == "posix" and (folder.stat().st_mode & 0o777) != 0o700:
                    folder.chmod(0o700)
            except OSError as exc:  # a read-only place: the history opens read-only and says so
                logging.getLogger(__name__).warning("cannot prepare %s: %s", folder, exc)
