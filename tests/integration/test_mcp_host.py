"""The MCP host end to end, on the app's qasync loop, through real server processes.

The servers are tests/helpers/mcp_test_server.py (the SDK's MCPServer) started exactly
as a user's `mcpServers` entry would start them. No timing assertions: timeouts are
generous and waits are for conditions.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import socket
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psutil
import pytest

from opchat_gui.app import logs
from opchat_gui.config.keystore import SecretStore
from opchat_gui.tools.errors import (
    CommandNotFoundError,
    ListTimeoutError,
    ServerExitedError,
    StartTimeoutError,
    ToolCallTimeoutError,
    UnknownToolError,
    UnreachableServerError,
)
from opchat_gui.tools.host import ToolHost
from opchat_gui.tools.model_tools import NAME_RE, tool_result
from opchat_gui.tools.server_config import SECRET_MARKER, ServersConfig
from tests.conftest import wait_until

HELPER = str(Path(__file__).resolve().parents[1] / "helpers" / "mcp_test_server.py")
HANGING = str(Path(__file__).resolve().parents[1] / "helpers" / "hanging_server.py")
SLOW = 120.0  # what a step may take on a loaded machine; never asserted on


def helper(*args: str, **extra: Any) -> dict[str, Any]:
    return {"command": sys.executable, "args": [HELPER, *args], **extra}


def gone(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


@pytest.fixture
def make_host(run: Any, tmp_path: Path) -> Iterator[Callable[..., ToolHost]]:
    """make_host({"name": entry, ...}, **connection options): a host over a real file."""
    hosts: list[ToolHost] = []

    def make(servers: dict[str, Any], **options: Any) -> ToolHost:
        folder = tmp_path / "config"
        folder.mkdir(exist_ok=True)
        path = folder / "mcp_servers.json"
        path.write_text(json.dumps({"mcpServers": servers}), encoding="utf-8")
        config = ServersConfig.load(path, SecretStore(folder, use_keyring=False))
        options.setdefault("init_timeout", SLOW)
        host = ToolHost(config, **options)
        hosts.append(host)
        return host

    yield make
    for host in hosts:
        run(host.stop_all(), timeout=SLOW)


def test_nothing_starts_before_first_use_then_tools_are_listed_and_called(run, make_host):
    host = make_host({"test": helper()})
    connection = host.connection("test")
    assert connection.state == "stopped" and connection.pid is None

    listing = run(host.list_tools(SLOW), timeout=SLOW)
    assert not listing.errors
    names = {tool.name for tool in listing.tools["test"]}
    assert {"echo", "fail", "slow", "block", "image", "crash"} <= names
    assert connection.state == "running" and connection.pid is not None

    tools = listing.for_model()
    outcome = run(host.call(tools, "echo", '{"text": "héllo"}'), timeout=SLOW)
    assert outcome.text == "héllo" and not outcome.is_error
    assert outcome.message("call_1") == {"role": "tool", "tool_call_id": "call_1",
                                         "content": "héllo"}


def test_a_failing_tool_is_an_error_result_the_model_reads(run, make_host):
    host = make_host({"test": helper()})
    tools = run(host.list_tools(SLOW), timeout=SLOW).for_model()
    outcome = run(host.call(tools, "fail", {"message": "disk is full"}), timeout=SLOW)
    assert outcome.is_error
    assert "disk is full" in outcome.text and outcome.text.startswith("The tool reported an error")


def test_an_image_is_summarised_for_the_model_and_kept_for_display(run, make_host):
    host = make_host({"test": helper()})
    tools = run(host.list_tools(SLOW), timeout=SLOW).for_model()
    outcome = run(host.call(tools, "image", "{}"), timeout=SLOW)
    assert outcome.text.startswith("[image: image/png,")
    (part,) = outcome.parts
    assert part.kind == "image" and part.data.startswith(b"\x89PNG")


def test_a_large_result_is_cut_for_the_model_and_says_so(run, make_host):
    host = make_host({"test": helper()})
    connection = host.connection("test")
    result = run(connection.call("big", {"size": 250_000}), timeout=SLOW)
    outcome = tool_result(result, limit=100_000)
    assert outcome.truncated
    assert outcome.text.startswith("x" * 100_000)
    assert "[Truncated: the tool returned 250,000 characters" in outcome.text


def test_garbage_on_stdout_is_skipped_and_logged(run, make_host, caplog, monkeypatch):
    monkeypatch.setattr(logging.getLogger("opchat_gui"), "propagate", True)  # setup() sets False
    caplog.set_level(logging.INFO, logger="opchat_gui.tools")
    host = make_host({"noisy": helper("--garbage")})
    connection = host.connection("noisy")
    assert "echo" in {t.name for t in run(connection.tools(), timeout=SLOW)}
    result = run(connection.call("echo", {"text": "still fine"}), timeout=SLOW)
    assert tool_result(result).text == "still fine"
    skipped = [r.getMessage() for r in caplog.records
               if r.name == "opchat_gui.tools.server.noisy" and r.levelno == logging.WARNING]
    assert any("Welcome to the server! (not JSON)" in m for m in skipped)
    assert any("{broken json" in m for m in skipped)


def test_the_servers_stderr_goes_to_the_log(run, make_host, caplog, monkeypatch):
    monkeypatch.setattr(logging.getLogger("opchat_gui"), "propagate", True)
    caplog.set_level(logging.INFO, logger="opchat_gui.tools")
    host = make_host({"dies": helper("--exit-at-start", "4")})
    with pytest.raises(ServerExitedError):
        run(host.connection("dies").tools(), timeout=SLOW)
    lines = [r.getMessage() for r in caplog.records if r.name == "opchat_gui.tools.server.dies"]
    assert "fatal: no configuration found" in lines


def test_a_secret_the_server_writes_to_stderr_is_redacted_in_the_log_file(run, make_host,
                                                                         tmp_path):
    secret = "hunter2-but-longer-9d8c7b"
    log_file = logs.setup(tmp_path / "logs")
    assert log_file is not None
    try:
        host = make_host({"chatty": helper(env={"CHATTY_TOKEN": secret})})
        run(host.connection("chatty").call("complain", {"name": "CHATTY_TOKEN"}), timeout=SLOW)
        run(wait_until(lambda: "token is" in log_file.read_text(encoding="utf-8"), SLOW,
                       "the stderr line in the log"), timeout=SLOW)
        text = log_file.read_text(encoding="utf-8")
        assert "opchat_gui.tools.server.chatty: token is [redacted]" in text
        assert secret not in text
    finally:
        logs.shutdown()


def test_start_failures_are_typed_with_one_sentence_for_the_user(run, make_host):
    host = make_host({"missing": {"command": "opchat-no-such-command-here"},
                      "dies": helper("--exit-at-start", "4")})
    listing = run(host.list_tools(SLOW), timeout=SLOW)
    assert not listing.tools

    missing = listing.errors["missing"]
    assert isinstance(missing, CommandNotFoundError)
    assert missing.user_message == (
        "The tool server “missing” could not start: the command “opchat-no-such-command-here” "
        "was not found; check that it is installed and on PATH.")

    dies = listing.errors["dies"]
    assert isinstance(dies, ServerExitedError) and dies.code == 4
    assert dies.user_message.startswith("The tool server “dies” exited with code 4 while "
                                        "starting. Its last messages:\n")
    assert dies.user_message.endswith("starting up\nfatal: no configuration found")

    # It never answers, so a short limit is not a race with a slow machine.
    hanging = make_host({"hangs": helper("--hang-at-start")}, init_timeout=3)
    hangs = run(hanging.list_tools(SLOW), timeout=SLOW).errors["hangs"]
    assert isinstance(hangs, StartTimeoutError)
    assert hangs.user_message.startswith("The tool server “hangs” did not finish starting "
                                         "within 3 seconds.")
    assert "waiting for something that never comes" in hangs.user_message
    assert hanging.connection("hangs").pid is None


def test_a_hanging_server_costs_one_short_wait_then_is_left_out_until_its_back_off(
        run, make_host, tmp_path):
    """A server that reads stdin and never answers: the listing gives up after its short
    wait with the others' tools, the start goes on in the background, and the next listing
    does not wait for it at all (it is not started again either)."""
    starts = tmp_path / "starts"
    host = make_host({"hang": {"command": sys.executable, "args": [HANGING, str(starts)]},
                      "test": helper()})
    run(host.connection("test").tools(), timeout=SLOW)  # ready: no race with a slow start
    hang = host.connection("hang")

    first = run(host.list_tools(0.5), timeout=SLOW)
    assert {tool.name for tool in first.tools["test"]} >= {"echo"}
    error = first.errors["hang"]
    assert isinstance(error, ListTimeoutError)
    assert error.user_message == ("The tool server “hang” did not start and list its tools "
                                  "within 0.5 seconds.")
    assert first.retry_in["hang"] > 0
    # Given up on by the listing, still hanging in its handshake (init_timeout is SLOW).
    assert hang.state == "starting"
    run(wait_until(lambda: starts.exists() and hang._process is not None, SLOW))

    # The next listing answers at once: a listing that waited would still be pending
    # after the loop ran the other server's (cached) answer.
    second = run(host.list_tools(SLOW), timeout=SLOW)
    assert second.errors["hang"] is error and "echo" in {t.name for t in second.tools["test"]}
    assert hang.state == "starting" and starts.read_text().count("\n") == 1

    # Its back-off over (made so here), it is waited for again and fails again, longer.
    host.left_out["hang"].until = 0
    third = run(host.list_tools(0.5), timeout=SLOW)
    assert isinstance(third.errors["hang"], ListTimeoutError)
    assert host.left_out["hang"].failures == 2
    assert third.retry_in["hang"] > first.retry_in["hang"]
    run(host.stop_all(), timeout=SLOW)
    assert hang.pid is None


def test_a_server_that_answers_the_handshake_but_hangs_listing_is_stopped(run, make_host,
                                                                           tmp_path):
    starts = tmp_path / "starts"
    host = make_host({"hang": {"command": sys.executable,
                               "args": [HANGING, str(starts), "--answer-initialize"]}},
                     init_timeout=2)  # it never answers, so no race with a slow machine
    listing = run(host.list_tools(SLOW), timeout=SLOW)
    error = listing.errors["hang"]
    assert isinstance(error, ListTimeoutError)
    assert error.user_message == ("The tool server “hang” started but did not list its "
                                  "tools within 2 seconds.")
    assert host.connection("hang").pid is None  # stopped: the next try starts a fresh one


def test_a_slow_start_left_out_once_is_offered_when_it_finishes(run, make_host):
    host = make_host({"test": helper()})
    connection = host.connection("test")
    first = run(host.list_tools(0.001), timeout=SLOW)  # no server answers that fast
    assert isinstance(first.errors["test"], ListTimeoutError)
    run(wait_until(lambda: connection.cached_tools() is not None, SLOW))
    second = run(host.list_tools(0.001), timeout=SLOW)  # in its back-off, but ready now
    assert not second.errors and "echo" in {t.name for t in second.tools["test"]}
    assert "test" not in host.left_out and connection.starts == 1


def test_a_timed_out_call_is_cancelled_on_the_server_which_keeps_serving(run, make_host,
                                                                         tmp_path):
    marker = tmp_path / "cancelled"
    host = make_host({"test": helper()}, cancel_grace=SLOW)
    connection = host.connection("test")
    run(connection.tools(), timeout=SLOW)
    pid = connection.pid
    async def time_out() -> None:
        try:
            await connection.call("slow", {"seconds": 3600, "marker": str(marker)}, timeout=1)
        finally:  # the ping check runs in the loop, not between two run() calls
            await connection.settled()

    with pytest.raises(ToolCallTimeoutError) as caught:
        run(time_out(), timeout=SLOW)
    assert caught.value.user_message == ("The tool “slow” of “test” did not answer within "
                                         "1 second, so the call was cancelled.")
    run(wait_until(marker.exists, SLOW, "the server to see the MCP cancellation"), timeout=SLOW)
    assert tool_result(run(connection.call("echo", {"text": "next"}), timeout=SLOW)).text == "next"
    assert connection.pid == pid  # it honoured the cancellation: no restart was needed


def test_cancelling_the_callers_task_sends_the_mcp_cancellation(run, make_host, tmp_path):
    marker = tmp_path / "cancelled"
    host = make_host({"test": helper()}, cancel_grace=SLOW)
    connection = host.connection("test")
    run(connection.tools(), timeout=SLOW)

    async def cancel_midway() -> None:
        call = asyncio.ensure_future(
            connection.call("slow", {"seconds": 3600, "marker": str(marker)}))
        await asyncio.sleep(0.5)  # let the request go out; the order is not asserted
        call.cancel()
        with pytest.raises(asyncio.CancelledError):
            await call
        await connection.settled()

    run(cancel_midway(), timeout=SLOW)
    run(wait_until(marker.exists, SLOW, "the server to see the MCP cancellation"), timeout=SLOW)


def test_a_server_that_ignores_cancellation_does_not_block_the_next_call(run, make_host):
    host = make_host({"test": helper()}, cancel_grace=3)
    connection = host.connection("test")
    run(connection.tools(), timeout=SLOW)
    blocked_pid = connection.pid
    assert blocked_pid is not None
    async def time_out() -> None:
        try:
            await connection.call("block", {"seconds": 3600}, timeout=1)
        finally:
            await connection.settled()

    with pytest.raises(ToolCallTimeoutError):
        run(time_out(), timeout=SLOW)
    assert connection.pid is None  # it did not answer the ping, so it was stopped

    result = run(connection.call("pid"), timeout=SLOW)
    assert tool_result(result).text != str(blocked_pid)  # a fresh server answered
    run(wait_until(lambda: gone(blocked_pid), SLOW, "the blocked server to be gone"),
        timeout=SLOW)


def test_a_crash_mid_session_fails_the_call_then_the_server_comes_back(run, make_host):
    host = make_host({"test": helper()}, restart_delays=(0.2,))
    connection = host.connection("test")
    run(connection.tools(), timeout=SLOW)
    first = connection.pid
    assert first is not None

    with pytest.raises(ServerExitedError) as caught:
        run(connection.call("crash", {"code": 3}), timeout=SLOW)
    assert caught.value.code == 3
    assert caught.value.user_message == ("The tool server “test” exited with code 3. Its last "
                                         "messages:\nabout to crash with 3")

    run(wait_until(lambda: connection.state == "running" and connection.pid not in (None, first),
                   SLOW, "the automatic restart"), timeout=SLOW)
    assert connection.starts == 2
    result = run(connection.call("echo", {"text": "back"}), timeout=SLOW)
    assert tool_result(result).text == "back"


def test_restarts_stop_after_the_limit(run, make_host):
    host = make_host({"test": helper()}, restart_delays=(0.1,), max_restarts=0)
    connection = host.connection("test")
    run(connection.tools(), timeout=SLOW)
    with pytest.raises(ServerExitedError):
        run(connection.call("crash", {"code": 5}), timeout=SLOW)
    run(wait_until(lambda: connection.state == "failed", SLOW, "the crash to be seen"),
        timeout=SLOW)
    assert connection.starts == 1  # no automatic restart; the next use would start it again


def test_stop_all_leaves_no_process_behind(run, make_host, tmp_path):
    host = make_host({"one": helper(), "two": helper()})
    run(host.list_tools(SLOW), timeout=SLOW)
    servers = [host.connection("one").pid, host.connection("two").pid]
    pid_file = tmp_path / "grandchild.pid"
    run(host.connection("one").call("spawn_child", {"pid_file": str(pid_file)}), timeout=SLOW)
    grandchild = int(pid_file.read_text(encoding="utf-8"))
    assert not gone(grandchild)

    run(host.stop_all(), timeout=SLOW)
    for pid in [*servers, grandchild]:
        assert pid is not None
        run(wait_until(lambda pid=pid: gone(pid), SLOW, f"process {pid} to end"), timeout=SLOW)
    assert all(c.state == "stopped" for c in (host.connection("one"), host.connection("two")))


def test_same_tool_names_on_two_servers_are_told_apart(run, make_host):
    host = make_host({"alpha": helper(), "beta server": helper()})
    tools = run(host.list_tools(SLOW), timeout=SLOW).for_model()
    names = [spec["function"]["name"] for spec in tools.specs]
    assert len(names) == len(set(names)) and all(NAME_RE.match(n) for n in names)
    assert "alpha_echo" in names and "beta_server_echo" in names
    echo = next(s for s in tools.specs if s["function"]["name"] == "beta_server_echo")
    assert echo["function"]["parameters"]["properties"]["text"]["type"] == "string"

    pid_a = run(host.call(tools, "alpha_pid", "{}"), timeout=SLOW).text
    pid_b = run(host.call(tools, "beta_server_pid", "{}"), timeout=SLOW).text
    assert pid_a == str(host.connection("alpha").pid) != pid_b
    with pytest.raises(UnknownToolError):
        run(host.call(tools, "echo", "{}"), timeout=SLOW)


def test_a_disabled_server_is_not_started(run, make_host):
    host = make_host({"on": helper(), "off": helper(disabled=True)})
    listing = run(host.list_tools(SLOW), timeout=SLOW)
    assert list(listing.tools) == ["on"]
    assert "off" not in host._connections


def test_a_secret_in_env_reaches_the_server_but_not_the_file(run, make_host, tmp_path):
    host = make_host({"test": helper(env={"SERVICE_API_KEY": "abcd-1234-secret",
                                          "MODE": "plain"})})
    on_disk = json.loads((tmp_path / "config" / "mcp_servers.json").read_text("utf-8"))
    assert on_disk["mcpServers"]["test"]["env"] == {"SERVICE_API_KEY": SECRET_MARKER,
                                                    "MODE": "plain"}
    connection = host.connection("test")
    got = run(connection.call("env", {"name": "SERVICE_API_KEY"}), timeout=SLOW)
    assert tool_result(got).text == "abcd-1234-secret"
    assert tool_result(run(connection.call("env", {"name": "MODE"}), timeout=SLOW)).text == "plain"


@pytest.fixture
def http_server(tmp_path: Path, run: Any) -> Iterator[tuple[str, str]]:
    """The test server over streamable HTTP on 127.0.0.1: (url, the bearer token it wants)."""
    token = "tok-7f3a9c1e5b2d8f40"
    port_file = tmp_path / "port"
    process = psutil.Popen([sys.executable, HELPER, "--http", str(port_file)],
                           env={**os.environ, "TOKEN": token})
    try:
        run(wait_until(port_file.exists, SLOW, "the HTTP server's port"), timeout=SLOW)
        yield f"http://127.0.0.1:{port_file.read_text(encoding='utf-8')}/mcp", token
    finally:
        process.terminate()
        process.wait(SLOW)


def test_streamable_http_with_a_secret_header(run, make_host, http_server, tmp_path):
    url, token = http_server
    host = make_host({"remote": {"type": "http", "url": url,
                                 "headers": {"Authorization": f"Bearer {token}"}}})
    text = (tmp_path / "config" / "mcp_servers.json").read_text(encoding="utf-8")
    assert token not in text and SECRET_MARKER in text

    listing = run(host.list_tools(SLOW), timeout=SLOW)
    assert not listing.errors
    tools = listing.for_model()
    assert run(host.call(tools, "echo", '{"text": "over http"}'), timeout=SLOW).text == "over http"
    assert run(host.call(tools, "image", "{}"), timeout=SLOW).parts[0].kind == "image"


def test_an_http_server_that_refuses_or_is_not_there_is_a_typed_error(run, make_host,
                                                                     http_server):
    url, _token = http_server
    free = socket.socket()
    free.bind(("127.0.0.1", 0))
    closed_port = free.getsockname()[1]
    free.close()
    host = make_host({"refused": {"url": url, "headers": {"Authorization": "Bearer wrong"}},
                      "absent": {"url": f"http://127.0.0.1:{closed_port}/mcp"}})
    listing = run(host.list_tools(SLOW), timeout=SLOW)
    assert not listing.tools
    for name in ("refused", "absent"):
        error = listing.errors[name]
        assert isinstance(error, UnreachableServerError), error
        assert error.user_message.startswith(f"The tool server “{name}” at http://127.0.0.1:")
    assert listing.errors["refused"].user_message.endswith("(HTTP 401).")


def test_the_sdk_is_imported_off_the_loops_thread_at_the_first_start():
    """The loop is the GUI's: the SDK's second of imports must not freeze the window."""
    script = textwrap.dedent(f"""
        import asyncio, sys, threading
        importers = []

        class Watch:
            def find_spec(self, name, path=None, target=None):
                if name == "mcp":
                    importers.append(threading.current_thread().name)
                return None

        sys.meta_path.insert(0, Watch())
        from opchat_gui.tools.connection import ServerConnection
        from opchat_gui.tools.server_config import ServerConfig

        async def main():
            connection = ServerConnection(ServerConfig("t", command=sys.executable,
                                                       args=({HELPER!r},)), init_timeout=120)
            try:
                print(len(await connection.tools()) > 0)
            finally:
                await connection.stop()

        asyncio.run(main())
        print(importers)
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=SLOW * 2)
    assert done.returncode == 0, done.stderr[-2000:]
    started, importers = done.stdout.splitlines()
    assert started == "True"
    assert importers != "[]" and "MainThread" not in importers


def test_a_process_that_exits_at_once_reports_its_code(run):
    """`sh` exits before Python would have imported anything: its exit can be reported
    before subprocess_exec returns, and the code must still be read (it was None)."""
    from opchat_gui.tools.stdio import StdioProcess

    async def start_and_wait() -> tuple[int | None, list[str]]:
        codes = []
        for _ in range(5):
            process = StdioProcess("quick", "sh", ("-c", "echo fatal >&2; exit 3"), {}, None)
            read, write = await process.start()
            await asyncio.wait_for(process.exited.wait(), 30)
            await asyncio.wait_for(process.stderr_done.wait(), 30)
            codes.append(process.returncode)
            await process.stop()
            read.close()
            write.close()
        return codes[-1], [str(code) for code in codes]

    last, codes = run(start_and_wait(), timeout=120)
    assert codes == ["3"] * 5 and last == 3
