"""`opchat-gui --smoke-test`: prove an installed or frozen build really works, then exit.

It runs the real start-up (start(), as main() does) over a throw-away data dir with the
in-process demo server, sends one message through the composer, waits for the streamed
reply, closes the session (which saves everything), and reads the reply back from the
history file on disk. Then it checks the tool servers' side: the `mcp` SDK is loaded
as the app loads it (opchat_gui/tools/sdk.py, via a ServerConnection), and a stdio
server (opchat_gui/demo/mcp_stdio_server.py, standard library only, run by the Python
on PATH when frozen) is started, its tools listed, one called and the server stopped.
Exit status 0 and one JSON line on stdout mean it all worked; any failure is one line
on stderr and exit status 1. Installers and CI run it on every build.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any

from opchat_gui import __version__, demo
from opchat_gui.config.paths import AppPaths
from opchat_gui.store import History, MessageState
from opchat_gui.tools.connection import ServerConnection
from opchat_gui.tools.errors import ToolServerError
from opchat_gui.tools.server_config import ServerConfig

QUESTION = "Smoke test: are you there?"
REPLY_END = "steps aside."  # the demo reply's last words (demo.aiengine_server.demo_reply)
TIMEOUT = 60.0  # seconds for the whole reply; the demo streams it in a few
TOOL_TIMEOUT = 60.0  # seconds to import the SDK, start the tool server and call it
ECHO = "Smoke test: tools"


Starter = Callable[[argparse.Namespace], Awaitable[Any]]


class SmokeFailure(RuntimeError):
    """What went wrong, in one line, for stderr."""


async def _until(predicate: Callable[[], object], what: str, deadline: float) -> None:
    while not predicate():
        if time.monotonic() > deadline:
            raise SmokeFailure(f"timed out waiting for {what}")
        await asyncio.sleep(0.02)


async def _check(args: argparse.Namespace, data_dir: Path, start: Starter) -> dict[str, object]:
    started = time.monotonic()
    deadline = started + TIMEOUT
    args.data_dir, args.demo = str(data_dir), True
    session = await start(args)
    try:
        window = session.window
        await _until(window.isVisible, "the window to show", deadline)
        shown = time.monotonic() - started
        shown_at = time.time()  # wall clock, so benchmarks can time from the process launch
        window.composer.setPlainText(QUESTION)
        window.composer.submitted.emit(QUESTION)  # the path Enter takes
        await _until(lambda: window.current_id is not None, "the message to be sent", deadline)
        conversation = window.current_id
        assert conversation is not None
        await _until(lambda: not session.service.is_streaming(conversation),
                     "the reply to finish", deadline)
        if REPLY_END not in window.transcript.toPlainText():
            raise SmokeFailure("the transcript does not show the whole reply")
        _check_math()
    finally:
        await session.close()
    history = History.open(AppPaths.resolve(data_dir).database)  # what a restart would see
    try:
        messages = history.messages(conversation)
    finally:
        history.close()
    if [m.role for m in messages] != ["user", "assistant"] or messages[0].content != QUESTION:
        raise SmokeFailure(f"the history holds {[(m.role, m.state) for m in messages]}")
    reply = messages[1]
    if reply.state != MessageState.DONE or not reply.content.endswith(REPLY_END):
        raise SmokeFailure(f"the saved reply is {reply.state}: {reply.content[-60:]!r}")
    return {"smoke_test": "ok", "version": __version__,
            "frozen": bool(getattr(sys, "frozen", False)), "reply_chars": len(reply.content),
            "window_shown_s": round(shown, 3), "window_shown_at": shown_at,
            "total_s": round(time.monotonic() - started, 3)}


def _check_math() -> None:
    """Formulas typeset and draw: ziamath, its fonts and QtSvg are all in the build."""
    from PySide6.QtCore import QByteArray
    from PySide6.QtSvg import QSvgRenderer

    from opchat_gui.render.math import typeset

    result = typeset("x = \\frac{-b \\pm \\sqrt{b^2 - 4ac}}{2a}", True)
    if result is None:
        raise SmokeFailure("a formula does not typeset (ziamath or its fonts are missing)")
    if not QSvgRenderer(QByteArray(result.svg)).isValid():
        raise SmokeFailure("a typeset formula does not draw (QtSvg is missing)")


def _python() -> str | None:
    """A Python to run the stdio server with: this one from source, the one on PATH frozen
    (a frozen app's sys.executable is the app)."""
    if not getattr(sys, "frozen", False):
        return sys.executable
    return shutil.which("python3") or shutil.which("python")


async def _check_tools() -> dict[str, object]:
    """Start the stdlib tool server over stdio as the app would, list and call its tool."""
    started = time.monotonic()
    python = _python()
    if python is None:  # the SDK is still loaded, as the app's first server start does
        from opchat_gui.tools.sdk import load_sdk

        await load_sdk()
        return {"tool_server": "skipped: no python3 on PATH"}
    script = Path(demo.__file__).with_name("mcp_stdio_server.py")
    if not script.is_file():
        raise SmokeFailure(f"the tool server script is missing: {script}")
    connection = ServerConnection(ServerConfig(name="smoke", command=python,
                                               args=(str(script),)),
                                  init_timeout=TOOL_TIMEOUT)
    try:
        async with asyncio.timeout(TOOL_TIMEOUT):
            tools = [tool.name for tool in await connection.tools()]
            result = await connection.call("echo", {"text": ECHO}, timeout=TOOL_TIMEOUT)
    except (ToolServerError, TimeoutError) as exc:
        raise SmokeFailure(f"the tool server: {exc}") from exc
    finally:
        pid = connection.pid
        await connection.stop()
    if tools != ["echo"] or result.is_error or result.structured_content != {"echo": ECHO}:
        raise SmokeFailure(f"the tool server listed {tools} and answered {result!r}")
    if os.name == "posix" and pid is not None and _alive(pid):
        raise SmokeFailure(f"the tool server (pid {pid}) outlived stop()")
    return {"tool_server": "ok", "tools": tools,
            "tools_s": round(time.monotonic() - started, 3)}


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, but not ours to signal
        return True
    return True


RESULT_ENV = "OPCHAT_GUI_SMOKE_RESULT"  # also write the result to this file: a windowed
# Windows build may have no stdout or stderr at all


async def run_smoke(args: argparse.Namespace, start: Starter) -> int:
    """`start` is the app's own start-up (app.main passes it, so this module needs no
    import of it)."""
    # ignore_cleanup_errors: Windows may still hold a just-closed file for a moment
    with tempfile.TemporaryDirectory(prefix="opchat-gui-smoke-",
                                     ignore_cleanup_errors=True) as folder:
        try:
            result = await _check(args, Path(folder) / "data", start)
            result.update(await _check_tools())
        except SmokeFailure as exc:
            result = {"smoke_test": "failed", "error": str(exc)}
            print(f"opchat-gui smoke test FAILED: {exc}", file=sys.stderr)
    if os.environ.get(RESULT_ENV):
        Path(os.environ[RESULT_ENV]).write_text(json.dumps(result), encoding="utf-8")
    if result["smoke_test"] != "ok":
        return 1
    print(json.dumps(result), flush=True)
    return 0


# What a healthy --smoke-test may print on stderr: Qt platform chatter that says nothing
# about the app. Anything else (a traceback, a Qt warning about our widgets, a missing
# plugin or library) fails the check.
STDERR_ALLOWED = (
    re.compile(r"This plugin does not support propagateSizeHints\(\)"),  # offscreen, xcb
    re.compile(r"QStandardPaths: XDG_RUNTIME_DIR not set.*"),  # root or a bare CI shell
    re.compile(r"QStandardPaths: runtime directory .* is not owned by.*"),
    re.compile(r"qt\.qpa\.xcb: X server does not support XInput 2"),  # bare Xvfb
    re.compile(r"qt\.qpa\.fonts: Populating font family aliases took \d+ ms\..*"),  # macOS
)


def unexpected_stderr(text: str) -> list[str]:
    """The stderr lines outside STDERR_ALLOWED."""
    return [line for line in text.splitlines()
            if line.strip() and not any(p.fullmatch(line.strip()) for p in STDERR_ALLOWED)]


def check_command(command: Sequence[str], timeout: float = 180.0) -> dict[str, object]:
    """Run `COMMAND --smoke-test` as a user would; raise SmokeFailure unless it passed
    cleanly. Used by the packaging tests and the release workflow."""
    with tempfile.TemporaryDirectory(prefix="opchat-gui-smoke-check-") as folder:
        report = Path(folder) / "result.json"
        done = subprocess.run([*command, "--smoke-test"], capture_output=True, text=True,
                              timeout=timeout, check=False,
                              env={**os.environ, RESULT_ENV: str(report)})
        written = report.read_text(encoding="utf-8") if report.is_file() else ""
    extra = unexpected_stderr(done.stderr)
    if done.returncode != 0 or extra or not written:
        raise SmokeFailure(f"{' '.join(command)} --smoke-test exited {done.returncode}; "
                           f"stderr: {done.stderr.strip()!r}; stdout: {done.stdout.strip()!r}; "
                           f"result: {written!r}")
    result = json.loads(written)
    if result.get("smoke_test") != "ok":
        raise SmokeFailure(f"unexpected result {result!r}")
    return result


if __name__ == "__main__":  # python -m opchat_gui.app.smoke PROGRAM [ARGS...]
    try:
        print(json.dumps(check_command(sys.argv[1:])))
    except (SmokeFailure, subprocess.TimeoutExpired, OSError) as exc:
        sys.exit(f"smoke check failed: {exc}")
