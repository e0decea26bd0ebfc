"""The model calling MCP tools in a chat, with the user in control (issue 17), driven by keys
through the real window: the local OpenAI-compatible server's tool scenarios over real HTTP,
and the test tool server (tests/helpers/mcp_test_server.py, the SDK's MCPServer) started
over stdio exactly as a user's `mcpServers` entry would start it."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import psutil

from opchat_gui.chat.tool_turns import DECLINED, NO_RESULT
from opchat_gui.core.messages import request_info, tool_info
from opchat_gui.store import MessageState
from tests.conftest import wait_until
from tests.e2e.test_app_keys import type_and_send
from tests.keyboard import press

HELPER = str(Path(__file__).resolve().parents[1] / "helpers" / "mcp_test_server.py")
HANGING = str(Path(__file__).resolve().parents[1] / "helpers" / "hanging_server.py")
SLOW = 120.0  # a server start on a loaded machine; never asserted on


def write_servers(data_dir: Path, servers: dict[str, Any], wait: float = SLOW) -> None:
    """The servers file, and how long a reply waits for them (a loaded machine starts a
    Python server slowly; the tests of leaving a server out set their own)."""
    folder = data_dir / "config"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "mcp_servers.json").write_text(json.dumps({"mcpServers": servers}),
                                             encoding="utf-8")
    (folder / "settings.json").write_text(json.dumps({"tool_start_wait": wait}),
                                          encoding="utf-8")


def tool_session(open_app, data_dir, server, openai_server, kind: str, **servers: Any):
    write_servers(data_dir, servers or {"test": {"command": sys.executable,
                                                 "args": [HELPER]}})
    session = open_app("--url", server.url)
    entry = session.providers.save({"name": "Local", "kind": "openai", "model": "demo-model",
                                    "url": openai_server.play_url("tools", kind=kind)})
    session.providers.set_default(entry.id)
    return session


def wait(run, predicate, what: str) -> None:
    run(wait_until(predicate, SLOW, what), timeout=SLOW)


def completions(openai_server) -> list[dict[str, Any]]:
    """The chat requests' bodies (not the model-facts probes), in order."""
    return [r.json for r in openai_server.requests
            if r.path.endswith("/chat/completions") and isinstance(r.json, dict)]


def branch(session) -> list:
    return session.service.messages(session.window.current_id)


def running_call(open_app, data_dir, server, openai_server, run, kind: str, prompt: str):
    """A session whose model called the always-allowed tool `kind`, now running on the
    started test server; returns the session and that server's connection."""
    session = tool_session(open_app, data_dir, server, openai_server, kind,
                           test={"command": sys.executable, "args": [HELPER],
                                 "alwaysAllow": [kind, "echo"]})
    type_and_send(session.window, prompt)
    wait(run, lambda: any(m.role == "tool" and m.state == MessageState.STREAMING
                          and "decision" in tool_info(m)
                          for m in branch(session)), "the running call")
    connection = session.service.tools.host.connection("test")
    wait(run, lambda: connection.pid is not None, "the server")
    return session, connection


def send_to_echo(session, openai_server, run) -> None:
    """Move the conversation to a model that calls `echo` once, send, and wait."""
    window = session.window
    echo = session.providers.save({"name": "Echo", "kind": "openai", "model": "m",
                                   "url": openai_server.play_url("tools", kind="echo")})
    session.service.set_target(window.current_id, echo.id, "m")
    type_and_send(window, "now something quick")
    wait(run, lambda: not session.service.busy(), "the next reply")


def waiting(session) -> bool:
    window = session.window
    return (window.current_id is not None
            and session.service.pending_approval(window.current_id) is not None
            and window.tool_approval.isVisible())


def test_allow_once_runs_the_call_saves_it_and_the_model_answers(open_app, data_dir, server,
                                                                 openai_server, run):
    session = tool_session(open_app, data_dir, server, openai_server, "echo")
    window = session.window
    host = session.service.tools.host
    assert host is not None and host.connection("test").pid is None  # nothing at start
    type_and_send(window, "say hello through the tool")
    wait(run, lambda: waiting(session), "the approval prompt")
    bar = window.tool_approval
    assert "echo" in bar.title.text() and "test" in bar.title.text()
    assert json.loads(bar.arguments.toPlainText()) == {"text": "hello from the model"}
    assert bar.arguments.toPlainText().startswith("{\n  ")  # pretty-printed
    assert "Alt+Y" in bar.buttons["once"].text() and "Alt+N" in bar.buttons["deny"].text()
    assert "Waiting for your answer: echo on test" in window.transcript.toPlainText()
    assert window.composer.hasFocus() or window.focusWidget() is window.composer

    press(window, "Alt+Y")
    wait(run, lambda: not session.service.busy(), "the reply after the tool")
    assert not bar.isVisible()
    messages = branch(session)
    assert [m.role for m in messages] == ["user", "assistant", "tool", "assistant"]
    caller, result, answer = messages[1:]
    calls = json.loads(caller.tool_calls)
    assert calls[0]["function"]["name"] == "echo" and caller.state == MessageState.DONE
    assert result.tool_call_id == calls[0]["id"] and result.content == "hello from the model"
    assert result.state == MessageState.DONE and result.parent_id == caller.id
    assert "hello from the model" in answer.content and answer.state == MessageState.DONE
    assert request_info(caller)["model"] and request_info(answer) == request_info(caller)
    # The second request carried the call and its result in OpenAI's shape.
    sent = completions(openai_server)[-1]
    assert sent["tools"][0]["function"]["name"] == "echo"
    assert sent["messages"][-2]["tool_calls"][0]["id"] == calls[0]["id"]
    assert sent["messages"][-1] == {"role": "tool", "tool_call_id": calls[0]["id"],
                                    "content": "hello from the model"}
    text = window.transcript.toPlainText()
    assert "Called echo on test ·" in text and "Arguments" not in text  # folded

    press(window, "Alt+O")  # the last call opens
    text = window.transcript.toPlainText()
    assert "Arguments" in text and '"text": "hello from the model"' in text
    press(window, "Alt+O")
    assert "Arguments" not in window.transcript.toPlainText()
    # Saved and searchable: a new window reads it back.
    hits = session.service.search("hello")
    assert any(hit.message_id == caller.id for hit in hits)


def test_deny_tells_the_model_and_always_allow_is_remembered(open_app, data_dir, server,
                                                             openai_server, run):
    session = tool_session(open_app, data_dir, server, openai_server, "echo")
    window = session.window
    type_and_send(window, "first")
    wait(run, lambda: waiting(session), "the approval prompt")
    press(window, "Alt+N")
    wait(run, lambda: not session.service.busy(), "the reply after Deny")
    result = branch(session)[2]
    assert result.role == "tool" and result.content == DECLINED
    assert tool_info(result)["denied"] is True
    assert completions(openai_server)[-1]["messages"][-1]["content"] == DECLINED
    assert "Declined: echo on test" in window.transcript.toPlainText()

    type_and_send(window, "second")
    wait(run, lambda: waiting(session), "the approval prompt")
    press(window, "Alt+A")
    wait(run, lambda: not session.service.busy(), "the reply after Always")
    assert branch(session)[-2].content == "hello from the model"
    saved = json.loads((data_dir / "config" / "mcp_servers.json").read_text("utf-8"))
    assert saved["mcpServers"]["test"]["alwaysAllow"] == ["echo"]

    requests = len(completions(openai_server))
    type_and_send(window, "third")  # no prompt this time
    wait(run, lambda: not session.service.busy() and len(completions(openai_server))
                   == requests + 2, "the third reply")
    assert branch(session)[-2].content == "hello from the model"
    assert tool_info(branch(session)[-2])["decision"] == "always"


def test_esc_mid_call_stops_the_turn_and_the_server_keeps_working(open_app, data_dir, server,
                                                                  openai_server, run):
    session, connection = running_call(open_app, data_dir, server, openai_server, run,
                                       "slow", "take your time")
    window = session.window
    pid = connection.pid
    press(window, "Esc")
    wait(run, lambda: not session.service.busy(), "the stop")
    messages = branch(session)
    assert messages[-1].role == "tool" and messages[-1].state == MessageState.STOPPED
    assert "Stopped: slow on test (no result)" in window.transcript.toPlainText()

    # The same server answers the next call; the stopped call goes back as "no result".
    send_to_echo(session, openai_server, run)
    assert branch(session)[-2].content == "hello from the model"
    assert connection.pid == pid
    sent = [m for r in completions(openai_server)[-2:] for m in r["messages"]]
    assert {"role": "tool", "tool_call_id": messages[-1].tool_call_id,
            "content": NO_RESULT} in sent


def test_esc_mid_call_on_a_server_that_ignores_cancellation_does_not_block_the_next(
        open_app, data_dir, server, openai_server, run):
    """The blocking tool never lets its server read the cancellation: Esc still stops the
    turn at once, and the next call gets a fresh server instead of queueing behind it."""
    session, connection = running_call(open_app, data_dir, server, openai_server, run,
                                       "block", "block it")
    window = session.window
    blocked = connection.pid
    press(window, "Esc")
    wait(run, lambda: not session.service.busy(), "the stop")
    assert branch(session)[-1].state == MessageState.STOPPED

    send_to_echo(session, openai_server, run)
    assert branch(session)[-2].content == "hello from the model"
    assert connection.pid not in (None, blocked) and gone(blocked)


def test_the_step_limit_is_said_plainly(open_app, data_dir, server, openai_server, run):
    write_servers(data_dir, {"test": {"command": sys.executable, "args": [HELPER],
                                      "alwaysAllow": ["echo"]}})
    session = open_app("--url", server.url)
    entry = session.providers.save({"name": "Loop", "kind": "openai", "model": "m",
                                    "url": openai_server.play_url("tools", kind="loop")})
    session.providers.set_default(entry.id)
    window = session.window
    type_and_send(window, "go on for ever")
    run(wait_until(lambda: window.current_id is not None, SLOW))
    session.history.set_tool_options(window.current_id, {"step_limit": 2})
    wait(run, lambda: not session.service.busy(), "the limit")
    messages = branch(session)
    assert [m.role for m in messages].count("tool") <= 10
    last = messages[-1]
    assert last.role == "assistant" and tool_info(last)["tool_limit"] >= 2
    assert "Tool step limit" in window.transcript.toPlainText()
    assert "were not run" in window.transcript.toPlainText()


def test_a_crashed_server_is_an_error_result_and_restarts(open_app, data_dir, server,
                                                          openai_server, run):
    write_servers(data_dir, {"test": {"command": sys.executable, "args": [HELPER],
                                      "alwaysAllow": ["crash", "echo"]}})
    session = open_app("--url", server.url)
    crash = session.providers.save({"name": "Crash", "kind": "openai", "model": "m",
                                    "url": openai_server.play_url("tools", kind="crash")})
    session.providers.set_default(crash.id)
    window = session.window
    type_and_send(window, "crash it")
    wait(run, lambda: not session.service.busy(), "the crash")
    result = branch(session)[2]
    assert result.role == "tool" and tool_info(result)["error"] is True
    assert "exited" in result.content and "failed" in window.transcript.toPlainText()
    assert branch(session)[-1].state == MessageState.DONE  # the model was told, answered

    echo = session.providers.save({"name": "Echo", "kind": "openai", "model": "m",
                                   "url": openai_server.play_url("tools", kind="echo")})
    session.service.set_target(window.current_id, echo.id, "m")
    type_and_send(window, "again")
    wait(run, lambda: not session.service.busy(), "the call after the restart")
    assert branch(session)[-2].content == "hello from the model"


def test_a_server_that_refuses_tools_is_said_once_and_the_chat_goes_on(open_app, data_dir,
                                                                      server, openai_server,
                                                                      run):
    session = tool_session(open_app, data_dir, server, openai_server, "reject")
    window = session.window
    type_and_send(window, "hello")
    wait(run, lambda: not session.service.busy(), "the reply")
    reply = branch(session)[-1]
    assert reply.state == MessageState.DONE and reply.content
    assert "tools" in completions(openai_server)[0]
    assert "tools" not in completions(openai_server)[1]
    assert "The server refused tools" in window.transcript.toPlainText()
    assert session.service.tools_note(window.current_id) == "refused"
    assert "no tools" in window.header.target.text()
    type_and_send(window, "again")
    wait(run, lambda: not session.service.busy(), "the second reply")
    assert "tools" not in completions(openai_server)[-1]  # not offered again
    assert window.transcript.toPlainText().count("The server refused tools") == 1


def test_ai_engine_sites_get_no_tools_and_the_header_says_so(open_app, data_dir, server, run):
    write_servers(data_dir, {"test": {"command": sys.executable, "args": [HELPER]}})
    session = open_app("--url", server.url)
    window = session.window
    type_and_send(window, "hello site")
    wait(run, lambda: not session.service.busy(), "the reply")
    assert session.service.tools_note(window.current_id) == "site"
    assert session.service.tools.host.connection("test").pid is None
    assert "no MCP tools" in window.header.target.text()


def test_no_tool_server_outlives_a_killed_app(open_app, server, data_dir, openai_server,
                                             run):
    """The real app in a child process, with a tool call running, is killed (SIGKILL: no
    clean-up of its own); the tool server it started does not stay behind, and the next
    start shows the call interrupted (its JSON whole), the model later told it has no
    result."""
    write_servers(data_dir, {"test": {"command": sys.executable, "args": [HELPER],
                                      "alwaysAllow": ["slow"]}})
    kill_app_then_wait_for_the_server(run, data_dir, openai_server)

    session = open_app("--url", server.url)
    conversation = session.service.conversations()[0]
    session.window.open_conversation(conversation.id)
    messages = session.service.messages(conversation.id)
    assert [m.role for m in messages] == ["user", "assistant", "tool"]
    assert messages[-1].state == MessageState.INTERRUPTED
    assert json.loads(messages[1].tool_calls)[0]["function"]["name"] == "slow"
    assert ("Interrupted: slow on test (the app closed before it returned)"
            in session.window.transcript.toPlainText())


def test_a_hung_tool_server_does_not_outlive_a_killed_app(data_dir, openai_server, run):
    """A server that hangs while starting never reads its stdin, so the app's death (its
    pipes closing) tells it nothing: the kernel ends it with the app (Linux)."""
    write_servers(data_dir, {"test": {"command": sys.executable,
                                      "args": [HELPER, "--hang-at-start"]}})
    kill_app_then_wait_for_the_server(run, data_dir, openai_server, "starting")


def kill_app_then_wait_for_the_server(run, data_dir: Path, openai_server, *mode: str) -> None:
    child = subprocess.Popen(
        [sys.executable, str(Path(__file__).parents[1] / "tool_child.py"), str(data_dir),
         openai_server.play_url("tools", kind="slow"), "take your time", *mode],
        stdout=subprocess.PIPE, text=True, cwd=Path(__file__).parents[2])
    try:
        lines: list[str] = []

        async def read_pid() -> int:
            while True:
                line = await asyncio.get_running_loop().run_in_executor(
                    None, child.stdout.readline)  # type: ignore[union-attr]
                lines.append(line)
                if not line:
                    raise AssertionError(f"the app ended early: {lines}")
                if line.startswith("{"):
                    return int(json.loads(line)["server"])

        server_pid = run(read_pid(), timeout=SLOW)
        assert psutil.pid_exists(server_pid)
        child.kill()
        child.wait(30)
        wait(run, lambda: gone(server_pid), "the tool server to go")
    finally:
        if child.poll() is None:
            child.kill()
            child.wait(30)
        if child.stdout is not None:
            child.stdout.close()


def gone(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def test_a_tool_turn_drawn_live_looks_as_it_does_reopened(open_app, data_dir, server,
                                                          openai_server, run):
    write_servers(data_dir, {"test": {"command": sys.executable, "args": [HELPER],
                                      "alwaysAllow": ["echo"]}})
    session = open_app("--url", server.url)
    entry = session.providers.save({"name": "Echo", "kind": "openai", "model": "m",
                                    "url": openai_server.play_url("tools", kind="echo",
                                                                  delay=0.005)})
    session.providers.set_default(entry.id)
    window = session.window
    type_and_send(window, "echo something")
    wait(run, lambda: window.current_id is not None and not session.service.busy(),
         "the answer")
    live = window.transcript.toPlainText()
    window.open_conversation(window.current_id)
    assert window.transcript.toPlainText() == live
    assert "Called echo on test" in live and "That is all I needed." in live


def test_the_tools_settings_page_adds_tests_disables_and_revokes_by_keyboard(
        open_app, data_dir, server, run):
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from opchat_gui.ui.dialogs.tools_page import ToolsPage

    write_servers(data_dir, {"old": {"command": sys.executable, "args": [HELPER],
                                     "alwaysAllow": ["echo", "pid"]}})
    session = open_app("--url", server.url)
    window = session.window
    press(window, "Ctrl+,")
    dialog = window.settings_dialog
    assert dialog is not None and dialog.isVisible()
    dialog.page_list.setCurrentRow(dialog.page_ids.index("tools"))
    page = dialog.stack.currentWidget()
    assert isinstance(page, ToolsPage)
    config = data_dir / "config" / "mcp_servers.json"

    def saved() -> dict[str, Any]:
        return json.loads(config.read_text("utf-8"))["mcpServers"]

    def click(button) -> None:
        button.setFocus()
        QTest.keyClick(button, Qt.Key.Key_Space)

    # A new server, typed in: a bad one is refused with its reason and nothing is saved.
    click(page.buttons["new"])
    QTest.keyClicks(page.inputs["name"], "echoes")
    click(page.buttons["save"])
    assert "needs a “command”" in page.status.text() and "echoes" not in saved()
    QTest.keyClicks(page.inputs["command"], sys.executable)
    QTest.keyClicks(page.inputs["args"], f"'{HELPER}'")
    QTest.keyClicks(page.inputs["env"], "API_TOKEN=sk-secret-1234567890abcdef")
    click(page.buttons["save"])
    assert "Saved echoes." in page.status.text()
    entry = saved()["echoes"]
    assert entry["command"] == sys.executable and entry["args"] == [HELPER]
    assert entry["env"]["API_TOKEN"] == "<in the key store>"  # the secret left the file
    assert page.inputs["env"].toPlainText() == "API_TOKEN=<in the key store>"
    assert session.service.tools.host.connection("echoes").pid is None  # saving starts none

    click(page.buttons["test"])
    wait(run, lambda: "its tools:" in page.status.text() or "could not" in page.status.text(),
         "the test")
    assert "echoes started; its tools:" in page.status.text()
    assert "echo" in page.status.text() and "spawn_child" in page.status.text()

    # Disable it by its check box (Space), then revoke an always-allowed tool of "old".
    page.enabled.setFocus()
    QTest.keyClick(page.enabled, Qt.Key.Key_Space)
    assert saved()["echoes"]["disabled"] is True
    page.list.setFocus()
    page.list.setCurrentRow(page.servers.names().index("old"))
    assert [page.allowed.item(i).text() for i in range(page.allowed.count())] == ["echo", "pid"]
    page.allowed.setFocus()
    page.allowed.setCurrentRow(0)
    QTest.keyClick(page.allowed, Qt.Key.Key_Delete)
    assert saved()["old"]["alwaysAllow"] == ["pid"]
    assert "echo asks again before each call." in page.status.text()

    # A server that cannot start says why.
    click(page.buttons["new"])
    QTest.keyClicks(page.inputs["name"], "broken")
    QTest.keyClicks(page.inputs["command"], "no-such-command-here")
    click(page.buttons["save"])
    click(page.buttons["test"])
    wait(run, lambda: "could not start" in page.status.text(), "the failed test")
    assert "no-such-command-here" in page.status.text()


def test_mcp_server_time_from_pypi_answers_through_the_window(open_app, data_dir, server,
                                                             openai_server, run):
    """A real server nobody here wrote, started over stdio as a user's entry would."""
    write_servers(data_dir, {"time": {"command": sys.executable,
                                      "args": ["-m", "mcp_server_time"]}})
    session = open_app("--url", server.url)
    entry = session.providers.save({"name": "Local", "kind": "openai", "model": "demo-model",
                                    "url": openai_server.url})  # the plain demo route
    session.providers.set_default(entry.id)
    window = session.window
    type_and_send(window, "What time is it? Use get_current_time.")
    wait(run, lambda: waiting(session), "the approval prompt")
    assert "get_current_time" in window.tool_approval.title.text()
    assert json.loads(window.tool_approval.arguments.toPlainText()) == {
        "timezone": "Europe/Paris"}
    press(window, "Alt+Y")
    wait(run, lambda: not session.service.busy(), "the answer")
    messages = branch(session)
    result = messages[-2]
    assert result.role == "tool" and not tool_info(result)["error"]
    assert json.loads(result.content)["timezone"] == "Europe/Paris"
    assert "Europe/Paris" in messages[-1].content  # the model quoted it
    assert "Called get_current_time on time" in window.transcript.toPlainText()


def test_the_app_loads_no_mcp_host_nor_sdk_before_first_use():
    """Start-up does not grow with tools: only the servers file's module is imported."""
    code = ("import sys, opchat_gui.app.main; "
            "print(sorted(m for m in ('opchat_gui.tools.host', 'opchat_gui.tools.connection',"
            " 'mcp') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=Path(__file__).parents[2]).stdout
    assert out.strip() == "[]"


def test_an_image_result_is_drawn_and_a_long_text_is_cut_in_view_only(open_app, data_dir,
                                                                      server, openai_server,
                                                                      run):
    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QImage, QTextDocument, QTextImageFormat

    write_servers(data_dir, {"test": {"command": sys.executable, "args": [HELPER],
                                      "alwaysAllow": ["image", "big"]}})
    session = open_app("--url", server.url)
    entry = session.providers.save({"name": "Media", "kind": "openai", "model": "m",
                                    "url": openai_server.play_url("tools", kind="media")})
    session.providers.set_default(entry.id)
    window = session.window
    type_and_send(window, "show me")
    wait(run, lambda: window.current_id is not None and not session.service.busy(),
         "the answer")
    image_row, big_row = [m for m in branch(session) if m.role == "tool"]
    assert "[image: image/png" in image_row.content  # the model gets a line about it
    assert tool_info(image_row)["parts"][0]["kind"] == "image"
    assert big_row.content == "x" * 10_000  # whole for the model
    transcript = window.transcript
    assert transcript.toggle_tool(image_row.id) and transcript.toggle_tool(big_row.id)
    images = []
    block = transcript.document().begin()
    while block.isValid():
        for fragment in (it.fragment() for it in block):  # type: ignore[attr-defined]
            if fragment.isValid() and fragment.charFormat().isImageFormat():
                images.append(QTextImageFormat(fragment.charFormat()).name())
        block = block.next()
    shown = [n for n in images if n.startswith(f"opchat-tool-image://{image_row.id}/")]
    assert shown
    image = transcript.document().resource(QTextDocument.ResourceType.ImageResource,
                                           QUrl(shown[0]))
    assert isinstance(image, QImage) and image.width() == 1  # the 1×1 PNG, drawn
    text = transcript.toPlainText()
    assert "Shown: the first 4,000 of 10,000 characters." in text
    assert "x" * 4000 in text and "x" * 4001 not in text


def test_a_server_that_cannot_start_is_said_once_and_the_others_tools_still_work(
        open_app, data_dir, server, openai_server, run):
    write_servers(data_dir, {"broken": {"command": sys.executable,
                                        "args": [HELPER, "--exit-at-start", "3"]},
                             "test": {"command": sys.executable, "args": [HELPER],
                                      "alwaysAllow": ["echo"]}})
    session = open_app("--url", server.url)
    entry = session.providers.save({"name": "Echo", "kind": "openai", "model": "m",
                                    "url": openai_server.play_url("tools", kind="echo")})
    session.providers.set_default(entry.id)
    window = session.window
    type_and_send(window, "hello")
    wait(run, lambda: window.current_id is not None and not session.service.busy(),
         "the answer")
    assert branch(session)[-2].content == "hello from the model"
    status = window.statusBar().currentMessage()
    assert "A tool server is left out of this reply" in status
    assert "exited with code 3" in status
    window.statusBar().clearMessage()
    type_and_send(window, "again")
    wait(run, lambda: not session.service.busy(), "the second answer")
    assert "could not start" not in window.statusBar().currentMessage()  # said once


def test_the_prompt_follows_its_conversation_and_esc_at_the_prompt_stops_the_turn(
        open_app, data_dir, server, openai_server, run):
    session = tool_session(open_app, data_dir, server, openai_server, "echo")
    window = session.window
    type_and_send(window, "ask me first")
    wait(run, lambda: waiting(session), "the approval prompt")
    asking = window.current_id
    press(window, "Ctrl+N")  # another conversation: the prompt is not its own
    assert window.current_id != asking and not window.tool_approval.isVisible()
    press(window, "Alt+Y")  # nothing waits here: the call in the other one is untouched
    assert session.service.pending_approval(asking) is not None
    window.open_conversation(asking)
    assert window.tool_approval.isVisible()

    press(window, "Esc")
    wait(run, lambda: not session.service.busy(), "the stop")
    assert not window.tool_approval.isVisible()
    call = branch(session)[-1]
    assert call.role == "tool" and call.state == MessageState.STOPPED
    assert "decision" not in tool_info(call)  # never answered, never run
    assert "Stopped: echo on test (no result)" in window.transcript.toPlainText()


def test_a_hanging_server_does_not_hold_the_reply_and_is_said_once(open_app, data_dir, server,
                                                                   openai_server, run, tmp_path):
    """A server that reads stdin and never answers: the request reaches the model's server
    while it still hangs in its handshake, the reply says once which server was left out
    and why, and the next reply neither waits for it nor starts it again."""
    starts = tmp_path / "starts"
    write_servers(data_dir, {"hang": {"command": sys.executable, "args": [HANGING, str(starts)]}},
                  wait=1)
    session = open_app("--url", server.url)
    entry = session.providers.save({"name": "Local", "kind": "openai", "model": "m",
                                    "url": openai_server.url})
    session.providers.set_default(entry.id)
    window = session.window
    hang = session.service.tools.host.connection("hang")
    hang.init_timeout = 3600  # it never answers: the handshake is still pending throughout

    type_and_send(window, "hello")
    wait(run, lambda: completions(openai_server), "the request")
    assert hang.state == "starting" and "tools" not in completions(openai_server)[0]
    wait(run, lambda: not session.service.busy(), "the reply")
    assert branch(session)[-1].state == MessageState.DONE
    text = window.transcript.toPlainText()
    assert "Tools left out" in text
    assert "The tool server “hang” did not start and list its tools within 1 second." in text
    assert "This reply went on without its tools" in text
    assert "left out of this reply" in window.statusBar().currentMessage()

    window.statusBar().clearMessage()
    type_and_send(window, "again")
    wait(run, lambda: len(completions(openai_server)) == 2, "the second request")
    assert hang.state == "starting" and starts.read_text().count("\n") == 1
    assert session.service.tools.host.left_out["hang"].failures == 1  # not waited for again
    wait(run, lambda: not session.service.busy(), "the second reply")
    assert window.transcript.toPlainText().count("Tools left out") == 1  # said once
    assert "left out" not in window.statusBar().currentMessage()
