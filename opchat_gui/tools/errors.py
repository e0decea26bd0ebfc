"""Typed failures of tool servers and tool calls, each with one sentence a user can act on.

`str(error)` is the detail for the log; `error.user_message` is what the settings page
or the transcript shows.
"""

from __future__ import annotations

from collections.abc import Sequence

from opchat_gui.core.redact import redact


def _seconds(value: float) -> str:
    return "1 second" if value == 1 else f"{value:g} seconds"


class ToolServerError(RuntimeError):
    """Base of every failure of a tool server or a tool call."""

    def __init__(self, server: str, detail: str, user_message: str) -> None:
        super().__init__(f"{server}: {detail}" if server else detail)
        self.server = server
        self.detail = detail
        self.user_message = redact(user_message)


class ServersFileError(ToolServerError):
    """The servers file cannot be read or is not the `mcpServers` shape; it is left untouched."""

    def __init__(self, path: str, detail: str) -> None:
        super().__init__("", f"{path}: {detail}",
                         f"The tool servers file {path} could not be read: {detail}. "
                         "It was left as it is; fix it or move it away.")
        self.path = path


class ServerConfigError(ToolServerError):
    """One server's entry cannot be used (no command nor url, a wrong type, a missing secret)."""

    def __init__(self, server: str, detail: str) -> None:
        super().__init__(server, detail, f"The tool server “{server}” is not set up correctly: "
                                         f"{detail}.")


class CommandNotFoundError(ToolServerError):
    def __init__(self, server: str, command: str) -> None:
        super().__init__(server, f"command not found: {command}",
                         f"The tool server “{server}” could not start: the command “{command}” "
                         "was not found; check that it is installed and on PATH.")
        self.command = command


class ServerExitedError(ToolServerError):
    """The process ended: while starting, or later (a crash). Carries its last stderr lines."""

    def __init__(self, server: str, code: int | None, stderr_tail: Sequence[str] = (),
                 *, while_starting: bool = True) -> None:
        tail = [redact(line) for line in stderr_tail]
        how = f"exited with code {code}" if code is not None else "closed its connection"
        when = "while starting" if while_starting else ""
        sentence = f"The tool server “{server}” {how}{' ' + when if when else ''}."
        if tail:
            sentence += " Its last messages:\n" + "\n".join(tail)
        super().__init__(server, f"{how} {when}".strip(), sentence)
        self.code = code
        self.stderr_tail = tuple(tail)


class StartTimeoutError(ToolServerError):
    def __init__(self, server: str, seconds: float, stderr_tail: Sequence[str] = ()) -> None:
        tail = [redact(line) for line in stderr_tail]
        sentence = (f"The tool server “{server}” did not finish starting within "
                    f"{_seconds(seconds)}.")
        if tail:
            sentence += " Its last messages:\n" + "\n".join(tail)
        super().__init__(server, f"timed out initialising after {seconds:g} s", sentence)
        self.stderr_tail = tuple(tail)


class ListTimeoutError(ToolServerError):
    """The server did not list its tools in time: still starting, or hanging."""

    def __init__(self, server: str, seconds: float, *, started: bool) -> None:
        how = "started but did not list its tools" if started else \
            "did not start and list its tools"
        super().__init__(server, f"no tools listed after {seconds:g} s",
                         f"The tool server “{server}” {how} within {_seconds(seconds)}.")


class UnreachableServerError(ToolServerError):
    """A streamable-HTTP server that could not be connected to, or refused the handshake."""

    def __init__(self, server: str, url: str, reason: str) -> None:
        super().__init__(server, f"{url}: {reason}",
                         f"The tool server “{server}” at {url} could not be reached: {reason}.")
        self.url = url


class ToolCallTimeoutError(ToolServerError):
    def __init__(self, server: str, tool: str, seconds: float) -> None:
        super().__init__(server, f"{tool} timed out after {seconds:g} s",
                         f"The tool “{tool}” of “{server}” did not answer within "
                         f"{_seconds(seconds)}, so the call was cancelled.")
        self.tool = tool


class ToolCallError(ToolServerError):
    """The server answered the call with a protocol error (unknown tool, bad arguments...)."""

    def __init__(self, server: str, tool: str, message: str) -> None:
        super().__init__(server, f"{tool}: {message}",
                         f"The tool “{tool}” of “{server}” could not be called: {message}.")
        self.tool = tool


class UnknownToolError(ToolServerError):
    """The model asked for a tool name that no enabled server offers."""

    def __init__(self, name: str) -> None:
        super().__init__("", f"unknown tool {name}", f"There is no tool called “{name}”.")
        self.name = name
