"""A stdio server as a process this app owns, speaking to the SDK's `ClientSession`.

The SDK's own `stdio_client` hides its process: no pid, no exit code, and stderr must
be a real file. The app needs all three (to say "exited with code 3" with the server's
last stderr lines, to log stderr, to kill a hung server's whole process group), so this
module starts the process itself and only frames its stdout/stdin lines into the SDK's
message types; the JSON-RPC (requests, cancellation, the handshake) stays the SDK's.

- The server runs in its own session and process group; `stop()` closes its stdin,
  waits, then SIGTERMs and finally SIGKILLs the whole group, so nothing it started
  outlives it. If the app itself is killed, a server notices its stdin closing and
  exits; on Linux one that would not (hung, not reading stdin) gets SIGKILL from the
  kernel too (PR_SET_PDEATHSIG), so no server outlives the app.
- Each stderr line goes to the log (`opchat_gui.tools.server.<name>`, where the log
  formatter redacts secrets) and the last `TAIL_LINES` are kept for error messages.
- A stdout line that is not a JSON-RPC message is logged and skipped, not fatal.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import ctypes
import logging
import os
import signal
import subprocess
import sys
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from opchat_gui.tools.errors import CommandNotFoundError, ServerConfigError

if TYPE_CHECKING:
    from anyio.streams.memory import MemoryObjectReceiveStream, MemoryObjectSendStream
    from mcp.shared.message import SessionMessage

log = logging.getLogger(__name__)

TAIL_LINES = 12
LINE_LIMIT = 64 * 1024 * 1024  # one message; an image result can be several MB of base64
STDERR_LINE_CHARS = 2000
EXIT_GRACE = 2.0  # after stdin closes, as the MCP spec's shutdown asks
TERM_GRACE = 2.0
# Inherited by the server, as the SDK does, plus the locale: the app's own environment
# (which may hold API keys) is not passed on.
INHERITED_ENV = ("HOME", "LOGNAME", "PATH", "SHELL", "TERM", "USER", "LANG", "LC_ALL",
                 "LC_CTYPE", "TMPDIR", "APPDATA", "LOCALAPPDATA", "PATHEXT", "SYSTEMROOT",
                 "SYSTEMDRIVE", "TEMP", "USERNAME", "USERPROFILE", "PROGRAMFILES")


PR_SET_PDEATHSIG = 1


def _die_with_app() -> Callable[[], None] | None:
    """A pre-exec hook (Linux) asking the kernel to SIGKILL the server when the app dies;
    the C library is loaded here, in the app, so the forked child only makes one call."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    app = os.getpid()

    def hook() -> None:
        prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() != app:  # the app died before the call: nothing would tell us
            os._exit(1)
    return hook


def child_environment(extra: Mapping[str, str]) -> dict[str, str]:
    env = {k: v for k in INHERITED_ENV if (v := os.environ.get(k)) is not None
           and not v.startswith("()")}
    env.update(extra)
    return env


class _Protocol(asyncio.SubprocessProtocol):
    """Knows when the process exits, even while a grandchild still holds its pipes."""

    def __init__(self, owner: StdioProcess) -> None:
        self.owner = owner

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        # First of all: a server that exits at once can be reported exited before
        # subprocess_exec returns, and its exit code is read from this transport.
        if isinstance(transport, asyncio.SubprocessTransport):
            self.owner._transport = transport
            self.owner.pid = transport.get_pid()

    def pipe_data_received(self, fd: int, data: bytes) -> None:
        self.owner._data(fd, data)

    def pipe_connection_lost(self, fd: int, exc: Exception | None) -> None:
        self.owner._eof(fd)

    def process_exited(self) -> None:
        self.owner._exited()


class StdioProcess:
    """One server process and the two SDK streams that carry its messages."""

    def __init__(self, name: str, command: str, args: tuple[str, ...],
                 env: Mapping[str, str], cwd: str | None) -> None:
        self.name = name
        self.command, self.args, self.env, self.cwd = command, args, env, cwd
        self.stderr_tail: collections.deque[str] = collections.deque(maxlen=TAIL_LINES)
        self.exited = asyncio.Event()
        self.stderr_done = asyncio.Event()
        self.returncode: int | None = None
        self.pid: int | None = None
        self._transport: asyncio.SubprocessTransport | None = None
        self._buffers = {1: bytearray(), 2: bytearray()}
        self._stdout_lines: asyncio.Queue[bytes | None] = asyncio.Queue()
        self._server_log = logging.getLogger(f"opchat_gui.tools.server.{name}")
        self._tasks: list[asyncio.Task[None]] = []
        self._reader: MemoryObjectSendStream[SessionMessage | Exception] | None = None

    async def start(self) -> tuple[MemoryObjectReceiveStream[SessionMessage | Exception],
                                   MemoryObjectSendStream[SessionMessage]]:
        """Start the process; the (read, write) streams a `ClientSession` takes."""
        import anyio
        from mcp.shared.message import SessionMessage

        if self.cwd and not os.path.isdir(self.cwd):
            raise ServerConfigError(self.name, f"the working folder “{self.cwd}” does not exist")
        loop = asyncio.get_running_loop()
        kwargs: dict[str, Any] = {"start_new_session": True} if os.name == "posix" else {
            "creationflags": getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0)}
        hook = _die_with_app()
        if hook is not None:
            kwargs["preexec_fn"] = hook
        try:
            transport, _ = await loop.subprocess_exec(
                lambda: _Protocol(self), self.command, *self.args,
                stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE, env=child_environment(self.env),
                cwd=self.cwd or None, **kwargs)
        except FileNotFoundError as exc:
            raise CommandNotFoundError(self.name, self.command) from exc
        except PermissionError as exc:
            raise ServerConfigError(self.name, f"the command “{self.command}” cannot be run "
                                               f"({exc.strerror})") from exc
        self._transport = transport
        self.pid = transport.get_pid()
        log.info("tool server %s started (pid %s)", self.name, self.pid)
        read_writer, read_stream = anyio.create_memory_object_stream[SessionMessage | Exception](
            0)
        write_stream, write_reader = anyio.create_memory_object_stream[SessionMessage](0)
        self._reader = read_writer
        self._tasks = [asyncio.ensure_future(self._pump_stdout(read_writer, SessionMessage)),
                       asyncio.ensure_future(self._pump_stdin(write_reader))]
        return read_stream, write_stream

    # Process callbacks (on the loop)

    def _data(self, fd: int, data: bytes) -> None:
        buffer = self._buffers[fd]
        buffer.extend(data)
        while (end := buffer.find(b"\n")) >= 0:
            line = bytes(buffer[:end])
            del buffer[:end + 1]
            self._line(fd, line)
        if len(buffer) > LINE_LIMIT:
            self._server_log.warning("a line longer than %d bytes; the server is stopped",
                                     LINE_LIMIT)
            buffer.clear()
            self.kill()

    def _line(self, fd: int, line: bytes) -> None:
        if fd == 1:
            self._stdout_lines.put_nowait(line)
            return
        text = line.decode("utf-8", "replace").rstrip("\r")
        if len(text) > STDERR_LINE_CHARS:
            text = text[:STDERR_LINE_CHARS] + "…"
        if text.strip():
            self.stderr_tail.append(text)
            self._server_log.info("%s", text)

    def _eof(self, fd: int) -> None:
        if self._buffers.get(fd):
            self._line(fd, bytes(self._buffers[fd]))
            self._buffers[fd].clear()
        if fd == 1:
            self._stdout_lines.put_nowait(None)
        elif fd == 2:
            self.stderr_done.set()

    def _exited(self) -> None:
        if self._transport is not None:
            self.returncode = self._transport.get_returncode()
        log.info("tool server %s (pid %s) exited with code %s", self.name, self.pid,
                 self.returncode)
        self.exited.set()
        # Whatever the server left running in its group goes with it.
        self._signal_group(signal.SIGKILL if os.name == "posix" else signal.SIGTERM)

    # Pumps

    async def _pump_stdout(self, out: MemoryObjectSendStream[SessionMessage | Exception],
                           message_type: type[SessionMessage]) -> None:
        import anyio
        import mcp_types

        async with out:
            while (line := await self._stdout_lines.get()) is not None:
                text = line.decode("utf-8", "replace").strip()
                if not text:
                    continue
                try:
                    message = mcp_types.jsonrpc_message_adapter.validate_json(text, by_name=False)
                except ValueError:
                    self._server_log.warning("not an MCP message on stdout, skipped: %.200s",
                                             text)
                    continue
                try:
                    await out.send(message_type(message))
                except (anyio.ClosedResourceError, anyio.BrokenResourceError):
                    return

    async def _pump_stdin(self, incoming: MemoryObjectReceiveStream[SessionMessage]) -> None:
        async with incoming:
            async for message in incoming:
                data = message.message.model_dump_json(by_alias=True, exclude_unset=True)
                pipe = self._transport.get_pipe_transport(0) if self._transport else None
                if not isinstance(pipe, asyncio.WriteTransport) or pipe.is_closing():
                    break
                pipe.write(data.encode() + b"\n")

    # Stopping

    def _signal_group(self, sig: int) -> None:
        if self.pid is None:
            return
        with contextlib.suppress(ProcessLookupError, PermissionError, OSError):
            if os.name == "posix":
                os.killpg(self.pid, sig)
            elif not self.exited.is_set():
                os.kill(self.pid, sig)

    def kill(self) -> None:
        """Kill the whole group now (a hung server, or app shutdown in a hurry)."""
        self._signal_group(signal.SIGKILL if os.name == "posix" else signal.SIGTERM)

    async def stop(self) -> None:
        """Close stdin, wait for the exit, then TERM and KILL the group; idempotent."""
        if self._transport is None:
            return
        pipe = self._transport.get_pipe_transport(0)
        if pipe is not None:
            pipe.close()
        for sig, grace in ((None, EXIT_GRACE), (signal.SIGTERM, TERM_GRACE),
                           (signal.SIGKILL if os.name == "posix" else signal.SIGTERM, 10.0)):
            if sig is not None:
                self._signal_group(sig)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.exited.wait(), grace)
            if self.exited.is_set():
                break
        self.kill()  # grandchildren that outlived a clean exit
        with contextlib.suppress(TimeoutError):  # the last stderr lines, for the error message
            await asyncio.wait_for(self.stderr_done.wait(), 1.0)
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._stdout_lines.put_nowait(None)
        self._transport.close()
        if self._reader is not None:
            self._reader.close()


__all__ = ["StdioProcess", "child_environment"]
