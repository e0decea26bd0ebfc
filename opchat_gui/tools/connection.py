"""One tool server: started on first use, called, restarted after a crash, stopped.

A `ServerConnection` owns one runner task, which holds the SDK's `ClientSession` open
(its task group must be entered and left in one task) until `stop()` or until the
process exits. Calls come from any task on the same loop.

- **First use starts it.** Nothing runs at app start; `tools()` or `call()` start the
  server and wait for its handshake (`init_timeout`).
- **Cancelling a call** (the caller's task is cancelled, or `timeout` runs out) makes
  the SDK send `notifications/cancelled`. A stdio server then has `cancel_grace`
  seconds to answer a ping; one that does not (it ignores cancellation and blocks) is
  stopped, and the next call starts a fresh one instead of queueing behind it.
- **A crash** (a stdio server exiting on its own) fails the calls in flight with
  `ServerExitedError`, then the server is started again after a back-off
  (`RESTART_DELAYS`), at most `max_restarts` times in a row; a call that succeeds
  resets the count. A call made during the back-off waits for the restart.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from opchat_gui.tools.errors import (
    ListTimeoutError,
    ServerExitedError,
    StartTimeoutError,
    ToolCallError,
    ToolCallTimeoutError,
    ToolServerError,
    UnreachableServerError,
)
from opchat_gui.tools.sdk import HttpStatus, client_session, load_sdk, open_http
from opchat_gui.tools.server_config import ServerConfig
from opchat_gui.tools.stdio import StdioProcess

if TYPE_CHECKING:
    from mcp import ClientSession
    from mcp.types import CallToolResult, Tool

log = logging.getLogger(__name__)

INIT_TIMEOUT = 30.0
CALL_TIMEOUT = 120.0
CANCEL_GRACE = 5.0
RESTART_DELAYS = (0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 30.0)
MAX_RESTARTS = 5
EXIT_REPORT_WAIT = 5.0  # for the exit code once the connection closed


def _retrieve(future: asyncio.Future[Any]) -> None:
    """Mark a start's failure as seen, so no "exception was never retrieved" is logged."""
    if not future.cancelled():
        future.exception()


class ServerConnection:
    def __init__(self, config: ServerConfig, *, init_timeout: float = INIT_TIMEOUT,
                 cancel_grace: float = CANCEL_GRACE, max_restarts: int = MAX_RESTARTS,
                 restart_delays: Sequence[float] = RESTART_DELAYS) -> None:
        self.config = config
        self.init_timeout = init_timeout
        self.cancel_grace = cancel_grace
        self.max_restarts = max_restarts
        self.restart_delays = tuple(restart_delays)
        self.state = "stopped"  # stopped | starting | running | restarting | failed
        self.last_error: ToolServerError | None = None
        self.starts = 0
        self._session: ClientSession | None = None
        self._process: StdioProcess | None = None
        self._starting: asyncio.Future[ClientSession] | None = None
        self._runner: asyncio.Task[None] | None = None
        self._stop: asyncio.Event | None = None
        self._restart: asyncio.Task[None] | None = None
        self._health: asyncio.Task[None] | None = None
        self._tools: list[Tool] | None = None
        self._listing: asyncio.Future[list[Tool]] | None = None
        self._crashes = 0
        self._closing = False
        self._http = HttpStatus()

    @property
    def name(self) -> str:
        return self.config.name

    @property
    def pid(self) -> int | None:
        """The stdio server's process id while it runs (tests check it is gone after stop)."""
        return self._process.pid if self._process is not None and self._session else None

    # Starting

    async def session(self) -> ClientSession:
        """The running session, starting the server first if it is not running."""
        self._closing = False
        for _attempt in range(3):  # a server that dies right after each start: give up
            for pending in (self._health, self._restart):
                if pending is not None and not pending.done():
                    await asyncio.shield(pending)
            if (running := self._live()) is not None:
                return running
            if self._starting is None or self._starting.done():
                self._start()
            assert self._starting is not None
            session = await asyncio.shield(self._starting)
            if session is self._live():  # not already gone again
                return session
        raise self.last_error or ServerExitedError(self.name, None)

    def _live(self) -> ClientSession | None:
        """The session now (a call, so no narrowing survives the awaits around it)."""
        return self._session

    def _start(self) -> None:
        loop = asyncio.get_running_loop()
        self._starting = loop.create_future()
        self._starting.add_done_callback(_retrieve)
        self._stop = asyncio.Event()
        self.state = "starting"
        self.starts += 1
        self._runner = asyncio.ensure_future(self._run(self._starting, self._stop))

    async def _run(self, ready: asyncio.Future[ClientSession], stop: asyncio.Event) -> None:
        """The runner task: open, hand the session out, hold it until stop or exit."""
        process: StdioProcess | None = None
        crashed = False
        failure: ToolServerError | None = None
        try:
            await load_sdk()
            async with contextlib.AsyncExitStack() as stack:
                transport_errors: list[Exception] = []
                if self.config.url:
                    read, write = await open_http(stack, self.config.url,
                                                  self.config.headers, self._http)
                else:
                    process = StdioProcess(self.name, self.config.command, self.config.args,
                                           self.config.env, self.config.cwd)
                    self._process = process
                    read, write = await process.start()
                    stack.push_async_callback(process.stop)
                session = await stack.enter_async_context(client_session(
                    self.name, read, write, transport_errors))
                # Not raised in here: the session's task group would wrap it in a group.
                failure = await self._handshake(session, process, transport_errors)
                if failure is None:
                    self._session, self.state, self.last_error = session, "running", None
                    ready.set_result(session)
                    crashed = await self._hold(stop, process)
                    self._session = None
                    self._tools = None
            if failure is not None:
                self._fail(ready, failure)
        except ToolServerError as exc:
            self._fail(ready, exc)
        except asyncio.CancelledError:  # stopped while starting, or torn down with the loop
            if not ready.done():
                ready.set_exception(ServerExitedError(self.name, None))
            raise
        except Exception as exc:  # from inside the SDK's task groups, often as a group
            log.debug("tool server %s failed", self.name, exc_info=True)
            error = self._explain(exc)
            if process is not None and isinstance(error, ServerExitedError) \
                    and error.code is None:
                # A server that exits at once can break the SDK's pipe before its exit is
                # seen: wait for the code, so the user reads "exited with code N".
                await self._wait_exit(process)
                if process.returncode is not None:
                    error = ServerExitedError(self.name, process.returncode,
                                              tuple(process.stderr_tail))
            self._fail(ready, error)
        finally:
            self._session = None
            if self.state in ("running", "starting") and not crashed:
                self.state = "stopped"
        if crashed and process is not None:
            self.last_error = ServerExitedError(self.name, process.returncode,
                                                tuple(process.stderr_tail),
                                                while_starting=False)
            log.warning("tool server %s crashed: %s", self.name, self.last_error.detail)
            self._schedule_restart()

    async def _handshake(self, session: ClientSession, process: StdioProcess | None,
                         errors: list[Exception]) -> ToolServerError | None:
        """None when the server answered the handshake, else why it did not."""
        try:
            await self._initialize(session, process, errors)
        except ToolServerError as exc:
            return exc
        return None

    async def _initialize(self, session: ClientSession, process: StdioProcess | None,
                          errors: list[Exception]) -> None:
        from mcp import MCPError

        init = asyncio.ensure_future(session.initialize())
        waits: set[asyncio.Future[Any]] = {init}
        exited = asyncio.ensure_future(process.exited.wait()) if process else None
        if exited is not None:
            waits.add(exited)
        try:
            try:
                async with asyncio.timeout(self.init_timeout):
                    while not init.done():
                        if errors and process is None:
                            raise self._unreachable(errors[-1])
                        await asyncio.wait(waits, timeout=0.1 if process is None else None,
                                           return_when=asyncio.FIRST_COMPLETED)
                        if exited is not None and exited.done():
                            break
            except TimeoutError:
                raise StartTimeoutError(self.name, self.init_timeout,
                                        tuple(process.stderr_tail) if process else ()) from None
            if init.done() and not init.cancelled() and init.exception() is None:
                return
            if process is not None:
                await self._wait_exit(process)
                raise ServerExitedError(self.name, process.returncode,
                                        tuple(process.stderr_tail))
            exc = init.exception()
            if errors:
                raise self._unreachable(errors[-1])
            raise self._unreachable(exc.message if isinstance(exc, MCPError) else str(exc))
        finally:
            for future in (init, exited):
                if future is not None and not future.done():
                    future.cancel()
            await asyncio.gather(*(f for f in (init, exited) if f is not None),
                                 return_exceptions=True)

    def _explain(self, exc: Exception) -> ToolServerError:
        """The typed error behind an exception (group) raised by the SDK or a transport."""
        leaves: list[BaseException] = []
        pending: list[BaseException] = [exc]
        while pending:
            current = pending.pop(0)
            if isinstance(current, BaseExceptionGroup):
                pending.extend(current.exceptions)
            else:
                leaves.append(current)
        for leaf in leaves:
            if isinstance(leaf, ToolServerError):
                return leaf
        first = next((e for e in leaves if isinstance(e, Exception)), exc)
        if self.config.url:
            return self._unreachable(first)
        return ServerExitedError(self.name, None, (f"{type(first).__name__}: {first}",))

    def _unreachable(self, exc: Exception | str) -> UnreachableServerError:
        reason = (str(exc) or type(exc).__name__).splitlines()[0]
        if self._http.code is not None:
            reason += f" (HTTP {self._http.code})"
        return UnreachableServerError(self.name, self.config.url, reason)

    async def _wait_exit(self, process: StdioProcess) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(process.exited.wait(), EXIT_REPORT_WAIT)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(process.stderr_done.wait(), 1.0)

    async def _hold(self, stop: asyncio.Event, process: StdioProcess | None) -> bool:
        """Until stop() (False) or the process exits on its own (True, a crash)."""
        waits = [asyncio.ensure_future(stop.wait())]
        if process is not None:
            waits.append(asyncio.ensure_future(process.exited.wait()))
        try:
            await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for waiter in waits:
                waiter.cancel()
            await asyncio.gather(*waits, return_exceptions=True)
        return not stop.is_set() and process is not None and process.exited.is_set()

    def _fail(self, ready: asyncio.Future[ClientSession], exc: ToolServerError) -> None:
        self.state, self.last_error = "failed", exc
        if not ready.done():
            ready.set_exception(exc)
        log.warning("tool server %s did not start: %s", self.name, exc.detail)

    # Crashes

    def _schedule_restart(self) -> None:
        self._crashes += 1
        if self._closing or self._crashes > self.max_restarts:
            self.state = "failed"
            return
        delay = self.restart_delays[min(self._crashes, len(self.restart_delays)) - 1]
        self.state = "restarting"
        self._restart = asyncio.ensure_future(self._restart_after(delay))

    async def _restart_after(self, delay: float) -> None:
        await asyncio.sleep(delay)
        if self._closing:
            return
        self._start()
        assert self._starting is not None
        try:
            await self._starting
        except ToolServerError:
            self._schedule_restart()  # the failed start counts as one more crash

    # Tools

    def cached_tools(self) -> list[Tool] | None:
        """The tools listed since this start, without waiting; None when not listed yet."""
        if self._tools is None or self._session is None:
            return None
        return list(self._tools)

    async def tools(self, *, refresh: bool = False) -> list[Tool]:
        """The server's tools (all pages), listed once per start.

        The start and the listing run in one task that callers share and that outlives
        a caller who stops waiting (a reply that goes on without this server's tools):
        the next caller finds the list ready, or the listing still under way.
        """
        if not refresh and (ready := self.cached_tools()) is not None:
            return ready
        if self._listing is None or self._listing.done():
            self._listing = asyncio.ensure_future(self._list(refresh))
            self._listing.add_done_callback(_retrieve)
        return list(await asyncio.shield(self._listing))

    async def _list(self, refresh: bool) -> list[Tool]:
        session = await self.session()  # loads the SDK first, off the loop's thread
        from mcp.types import PaginatedRequestParams

        if self._tools is not None and not refresh:
            return self._tools
        tools: list[Tool] = []
        cursor: str | None = None
        try:
            async with asyncio.timeout(self.init_timeout):
                while True:
                    page = await session.list_tools(
                        params=PaginatedRequestParams(cursor=cursor) if cursor else None)
                    tools.extend(page.tools)
                    cursor = page.next_cursor
                    if not cursor:
                        break
        except TimeoutError:
            # It answered the handshake but not tools/list: it hangs. The next try starts
            # a fresh one rather than queueing behind the request it never answered.
            log.warning("tool server %s did not list its tools within %g s; stopping it",
                        self.name, self.init_timeout)
            if session is self._session and not self._closing:
                await self._stop_runner()
            raise ListTimeoutError(self.name, self.init_timeout, started=True) from None
        if session is self._session:
            self._tools = tools
        return tools

    async def call(self, tool: str, arguments: dict[str, Any] | None = None, *,
                   timeout: float = CALL_TIMEOUT) -> CallToolResult:
        """Call `tool`; ToolCallTimeoutError, ServerExitedError, ToolCallError on failure."""
        from mcp import MCPError
        from mcp.types import CONNECTION_CLOSED

        session = await self.session()
        process = self._process
        try:
            async with asyncio.timeout(timeout):
                result = await session.call_tool(tool, arguments or {})
        except TimeoutError:
            self._after_abandon(session)
            raise ToolCallTimeoutError(self.name, tool, timeout) from None
        except asyncio.CancelledError:
            self._after_abandon(session)
            raise
        except MCPError as exc:
            if exc.code == CONNECTION_CLOSED and process is not None and not self._closing:
                await self._wait_exit(process)
                raise ServerExitedError(self.name, process.returncode,
                                        tuple(process.stderr_tail),
                                        while_starting=False) from exc
            raise ToolCallError(self.name, tool, exc.message) from exc
        except RuntimeError as exc:  # the SDK's "input required" and the like
            raise ToolCallError(self.name, tool, str(exc)) from exc
        self._crashes = 0
        return result

    def _after_abandon(self, session: ClientSession) -> None:
        """After a cancelled call: a stdio server that does not answer a ping is replaced."""
        if self.config.url or self._closing or session is not self._session:
            return
        if self._health is None or self._health.done():
            self._health = asyncio.ensure_future(self._check_alive(session))

    async def _check_alive(self, session: ClientSession) -> None:
        try:
            async with asyncio.timeout(self.cancel_grace):
                await session.send_ping()
            return
        except Exception as exc:  # TimeoutError, or the connection went away
            reason = type(exc).__name__
        if session is self._session and not self._closing:
            log.warning("tool server %s did not answer after a cancelled call (%s); "
                        "restarting it", self.name, reason)
            await self._stop_runner()

    async def settled(self) -> None:
        """Wait for a check after a cancelled call, or a restart, to finish.

        Calls do this themselves; it is for a caller that wants a quiet connection (a
        settings page's "Test" button, the tests) without making a call.
        """
        for pending in (self._health, self._restart):
            if pending is not None and not pending.done():
                await asyncio.gather(asyncio.shield(pending), return_exceptions=True)

    # Stopping

    async def _stop_runner(self) -> None:
        if self._stop is not None:
            self._stop.set()
        runner = self._runner
        if runner is not None and not runner.done():
            if self._starting is not None and not self._starting.done():
                runner.cancel()
            await asyncio.gather(runner, return_exceptions=True)
        self._session = None
        self._tools = None
        if self.state in ("running", "starting"):
            self.state = "stopped"

    async def stop(self) -> None:
        """Stop the server and any restart or check in progress; no process is left."""
        self._closing = True
        if self._listing is not None and not self._listing.done():
            self._listing.cancel()
        for task in (self._restart, self._health):
            if task is not None and not task.done() and task is not asyncio.current_task():
                task.cancel()
                await asyncio.gather(task, return_exceptions=True)
        await self._stop_runner()
        self.state = "stopped"
        self._crashes = 0
