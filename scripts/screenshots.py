"""Regenerate docs/screenshots/: the app as a user sees it, in light and dark (and the main
window in Russian, and its example prompts in a narrow window), each shot taken once
what it shows is on screen.

Run it through scripts/screenshots.sh, which starts a virtual X display (Xvfb) so Qt draws
with its real xcb platform and fonts. The app is built as main() builds it, over fresh
data dirs, with the built-in demo server; it is driven by key presses.

    python scripts/screenshots.py [OUT_DIR]

SCREENSHOTS_ONLY=branches,tour (any of first-run, tour, russian, branches, wide-table,
thinking, attachments, site-image, math, tools, context) takes
only those groups, for when one screen changed.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import qasync
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from opchat_gui.app.main import Session, parse_args, start  # noqa: E402
from opchat_gui.chat.context_meter import Estimate  # noqa: E402
from opchat_gui.config.paths import AppPaths  # noqa: E402
from opchat_gui.store import History  # noqa: E402

UNKNOWN_ESTIMATE = Estimate(0, None, 0, None)

MAX_WIDTH = 1200  # pixels: READMEs show them smaller anyway
WINDOW = (1100, 720)
NARROW = (620, 720)
QUESTION = "Show me a code block and a table"

# A small history, so the list, the switcher and search have something to show.
SEED = [
    ("Review the draft release notes", "Can you review the release notes draft?",
     "Sure. The **summary** reads well; move the breaking changes to the top."),
    ("SQLite WAL mode", "Why does SQLite's WAL mode help a chat app?",
     "WAL lets readers and one writer work at once: SQLite appends to the log, and the "
     "history stays readable while a reply is being saved."),
    ("Plan a weekend in Lisbon", "Plan two days in Lisbon, on foot.",
     "Day 1: Alfama and the castle. Day 2: Belém, then sunset at a miradouro."),
    ("Regex for ISO dates", "A regex for ISO 8601 dates?",
     "`\\d{4}-\\d{2}-\\d{2}` matches the shape; check the ranges in code, not in SQLite "
     "or the regex."),
]


# A conversation with a fork on a reply (regenerated) and on a user message (edited):
# (key, parent key, role, text); the path on show ends at "a2".
BRANCHED_TITLE = "History in SQLite or JSON?"
BRANCHED = [
    ("q1", None, "user", "Should a desktop chat app keep its history in SQLite or in "
     "JSON files?"),
    ("a1", "q1", "assistant", "JSON files are simple: one file per conversation, easy to "
     "read and to back up."),
    ("a1b", "q1", "assistant", "**SQLite.** One file, crash-safe in WAL mode, and "
     "full-text search built in. JSON files have to be rewritten whole on every change, "
     "and a crash mid-write can cost a conversation."),
    ("q2", "a1b", "user", "How do I search it?"),
    ("q2b", "a1b", "user", "How do I search every message quickly, by words?"),
    ("a2", "q2b", "assistant", "Index the messages with an FTS5 table kept in step by "
     "triggers, then ask it:\n\n```sql\nSELECT rowid FROM messages_fts\n"
     " WHERE messages_fts MATCH 'wal mode'\n ORDER BY rank LIMIT 50;\n```\n\n"
     "Ranking by bm25 stays within a frame for hundreds of thousands of messages."),
]


# A reply with a table too wide for the reading column: it scrolls sideways on its own.
WIDE_TITLE = "Compare local model servers"
WIDE_QUESTION = "Compare the local model servers I could use, in one table."
WIDE_REPLY = (
    "Here they are side by side:\n\n"
    "| Server | Default port | API | Models from | GPU support | Streaming | Licence |\n"
    "|---|---|---|---|---|---|---|\n"
    "| Ollama | 11434 | OpenAI-compatible and its own | its library (`ollama pull`) "
    "| CUDA, ROCm, Metal | yes | MIT |\n"
    "| llama.cpp server | 8080 | OpenAI-compatible | GGUF files on disk | CUDA, Vulkan, "
    "Metal | yes | MIT |\n"
    "| LM Studio | 1234 | OpenAI-compatible | its catalogue and Hugging Face | CUDA, "
    "Vulkan, Metal | yes | proprietary |\n"
    "| vLLM | 8000 | OpenAI-compatible | Hugging Face repositories | CUDA, ROCm | yes "
    "| Apache 2.0 |\n\n"
    "Scroll the table sideways with Shift+wheel, or choose the reply (Alt+Up) and press "
    "the arrow keys.")


def seed_wide(history: History) -> None:
    conversation = history.create_conversation(WIDE_TITLE)
    history.add_message(conversation.id, "user", WIDE_QUESTION)
    history.add_message(conversation.id, "assistant", WIDE_REPLY)


def seed_branched(history: History) -> None:
    conversation = history.create_conversation(BRANCHED_TITLE)
    ids: dict[str, int] = {}
    for key, parent, role, text in BRANCHED:
        ids[key] = history.add_message(conversation.id, role, text,
                                       parent_id=ids[parent] if parent else None).id
    history.set_active_leaf(conversation.id, ids["a2"])


async def until(predicate: Callable[[], object], what: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise SystemExit(f"screenshots: timed out waiting for {what}")
        await asyncio.sleep(0.02)


async def settle(seconds: float = 0.3) -> None:
    """Let Qt lay out and paint what the last key changed (fonts, icons, scroll)."""
    await asyncio.sleep(seconds)  # the qasync loop runs Qt's events meanwhile


def save(widget: QWidget, out: Path, name: str) -> None:
    image = widget.grab().toImage()
    if image.width() > MAX_WIDTH:
        image = image.scaledToWidth(MAX_WIDTH, Qt.TransformationMode.SmoothTransformation)
    image = image.convertToFormat(QImage.Format.Format_RGB888)  # no alpha: smaller files
    path = out / f"{name}.png"
    if not image.save(str(path), "PNG", 0):  # 0: the strongest compression
        raise SystemExit(f"screenshots: could not write {path}")
    print(f"screenshot: {path}")


def press(key: Qt.Key, modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
          ) -> None:
    """A key press where the keyboard focus is, as a user's would land."""
    target = QApplication.focusWidget() or QApplication.activeWindow()
    assert target is not None, "no window has the keyboard focus"
    QTest.keyClick(target, key, modifiers)


def data_dir(base: Path, name: str, theme: str, language: str, *, seed: bool,
             branched: bool = False, wide: bool = False) -> Path:
    data = base / name
    config = data / "config"
    config.mkdir(parents=True)
    (config / "settings.json").write_text(json.dumps({"theme": theme, "language": language}),
                                          encoding="utf-8")
    if seed:
        paths = AppPaths.resolve(str(data))
        paths.ensure()
        history = History.open(paths.database)
        for title, question, answer in SEED:
            conversation = history.create_conversation(title)
            history.add_message(conversation.id, "user", question)
            history.add_message(conversation.id, "assistant", answer)
        if branched:
            seed_branched(history)
        if wide:
            seed_wide(history)
        history.close()
    return data


async def open_session(data: Path, *args: str) -> Session:
    session = await start(parse_args(["--data-dir", str(data), *args]))
    session.window.resize(*WINDOW)
    session.window.activateWindow()
    await settle()
    return session


async def first_run(base: Path, out: Path, theme: str) -> None:
    session = await open_session(data_dir(base, f"first-{theme}", theme, "en", seed=False))
    providers = session.providers
    assert providers is not None
    await until(lambda: providers.probed, "the local-server probe")
    await settle()
    save(session.window, out, f"first-run-{theme}")
    await session.close()


async def tour(base: Path, out: Path, theme: str) -> None:
    """One demo session: empty conversation, streaming, finished reply, the overlays,
    settings and a narrow window."""
    session = await open_session(data_dir(base, f"tour-{theme}", theme, "en", seed=True),
                                 "--demo")
    window = session.window
    save(window, out, f"empty-conversation-{theme}")

    window.composer.setPlainText(QUESTION)
    press(Qt.Key.Key_Return)
    await until(lambda: "What you can try" in window.transcript.toPlainText(), "streaming")
    await settle(0.1)
    save(window, out, f"streaming-{theme}")
    await until(lambda: window.current_id is not None
                and not session.service.is_streaming(window.current_id), "the reply")
    await settle()
    save(window, out, f"reply-{theme}")

    for name, key, modifiers, typed in (
            ("help", Qt.Key.Key_F1, Qt.KeyboardModifier.NoModifier, ""),
            ("switcher", Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier, ""),
            ("search", Qt.Key.Key_F,
             Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
             "sqlite")):
        press(key, modifiers)
        await settle()
        if typed:
            QTest.keyClicks(QApplication.focusWidget(), typed)
            await settle(0.8)
        save(window, out, f"{name}-{theme}")
        press(Qt.Key.Key_Escape)
        await settle()

    press(Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)
    dialog = window.settings_dialog
    await until(lambda: dialog is not None and dialog.isVisible(), "the settings dialog")
    assert dialog is not None
    await settle()
    save(dialog, out, f"settings-{theme}")
    dialog.close()

    window.resize(*NARROW)
    await settle()
    save(window, out, f"narrow-{theme}")
    await session.close()


async def russian(base: Path, out: Path, theme: str) -> None:
    session = await open_session(data_dir(base, f"ru-{theme}", theme, "ru", seed=True),
                                 "--demo")
    window = session.window
    # A new conversation in a narrow window: the example prompts wrap, none is cut.
    press(Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    window.resize(*NARROW)
    await until(lambda: window.empty_hint.isVisible(), "the empty conversation")
    await settle()
    save(window, out, f"empty-ru-narrow-{theme}")
    window.resize(*WINDOW)
    await settle()
    window.composer.setPlainText("Покажи блок кода и таблицу")
    press(Qt.Key.Key_Return)
    await until(lambda: window.current_id is not None
                and not session.service.is_streaming(window.current_id)
                and "Покажи" in window.transcript.toPlainText(), "the reply")
    await settle()
    # From the top: the question's bubble, the reply's start, and the jump-to-latest button.
    window.transcript.verticalScrollBar().setValue(0)
    await settle()
    save(window, out, f"main-ru-{theme}")
    await session.close()


async def branches(base: Path, out: Path, theme: str) -> None:
    """A conversation as a tree: `‹ 2/2 ›` under a regenerated reply and under an edited
    question, opened from the list by keys (Alt+1: the newest conversation)."""
    session = await open_session(data_dir(base, f"branches-{theme}", theme, "en", seed=True,
                                          branched=True), "--demo")
    window = session.window
    press(Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)
    await until(lambda: "‹ 2/2 ›" in window.transcript.toPlainText(), "the branched talk")
    await settle()
    save(window, out, f"branches-{theme}")
    await session.close()


async def wide_table(base: Path, out: Path, theme: str) -> None:
    """A table wider than the reading column, scrolled part way by keys: the reply is
    chosen (Alt+Up), → moves the table; its indicator shows where the view is."""
    session = await open_session(data_dir(base, f"wide-{theme}", theme, "en", seed=True,
                                          wide=True), "--demo")
    window = session.window
    press(Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)
    transcript = window.transcript
    await until(lambda: "Compare the local" in transcript.toPlainText(), "the wide table")
    transcript.setFocus()
    await settle()
    press(Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    for _ in range(4):
        press(Qt.Key.Key_Right)
    transcript.textCursor().clearSelection()
    cursor = transcript.textCursor()
    cursor.clearSelection()
    transcript.setTextCursor(cursor)
    transcript.verticalScrollBar().setValue(0)
    await settle()
    save(window, out, f"wide-table-{theme}")
    await session.close()


async def thinking(base: Path, out: Path, theme: str) -> None:
    """A reasoning model's reply (the local OpenAI-compatible server's `think` scenario,
    thinking in `reasoning_content` as llama.cpp sends it): "Thinking… N s" growing, then
    folded to "Thought for N s" above the answer."""
    from opchat_gui.demo.openai_server import OpenAIDevServer

    server = await OpenAIDevServer().start()
    session = await open_session(data_dir(base, f"thinking-{theme}", theme, "en", seed=True),
                                 "--demo")
    providers = session.providers
    assert providers is not None
    entry = providers.save({"name": "llama-server", "kind": "openai", "model": "demo-large",
                            "url": server.play_url("think", tokens=300, delay=0.015)})
    providers.set_default(entry.id)
    window = session.window
    press(Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    await settle()
    window.composer.setPlainText("Why is the sky blue?")
    press(Qt.Key.Key_Return)
    transcript = window.transcript
    await until(lambda: transcript.thinking_live() and "Thinking… 3" in
                transcript.toPlainText(), "three seconds of thinking")
    await settle(0.1)
    save(window, out, f"thinking-streaming-{theme}")
    await until(lambda: window.current_id is not None
                and not session.service.is_streaming(window.current_id), "the answer")
    transcript.scroll_to_start()
    await settle()
    save(window, out, f"thinking-{theme}")
    await session.close()
    await server.stop()


async def context(base: Path, out: Path, theme: str) -> None:
    """A long conversation over a model with a 700-token context (the local server as
    llama.cpp): "Next request ≈ N / M tokens" in the status line and the dashed line where
    the sent context begins; then the generation editor refusing a value, and the model picker
    with each model's context length."""
    from opchat_gui.demo.openai_server import OpenAIDevServer
    from opchat_gui.store import MessageState

    server = await OpenAIDevServer().start()
    session = await open_session(data_dir(base, f"context-{theme}", theme, "en", seed=True),
                                 "--demo")
    providers = session.providers
    assert providers is not None
    entry = providers.save({"name": "llama.cpp", "kind": "openai", "model": "demo-model",
                            "url": server.play_url("demo", server="llamacpp", ctx=700),
                            "generation": {"temperature": 0.7, "top_p": 0.95}})
    providers.set_default(entry.id)
    router = providers.save({"name": "OpenRouter", "kind": "openai", "model": "demo-large",
                             "url": server.play_url("demo", server="openrouter",
                                                    ctx=32768)})
    history = session.history
    talk = history.create_conversation("Planning a garden", provider=entry.id,
                                       model="demo-model",
                                       system_prompt="You are a patient gardener.")
    for question in ("Which vegetables grow well in partial shade?",
                     "How deep should raised beds be?", "When do I plant garlic?",
                     "How often should tomatoes be watered?",
                     "What is a good companion for basil?", "How do I keep slugs away?"):
        _user, reply = history.add_exchange(talk.id, question + " I have a small plot with "
                                            "clay soil and about four hours of sun a day.")
        history.update_message(reply.id, state=MessageState.DONE, content=(
            "In clay soil, loosen the top layer and add compost; most leafy greens cope "
            "well with a few hours of sun. ") * 3)
    window = session.window
    window.reload()
    window.open_conversation(talk.id)
    meter = session.service.context
    await until(lambda: (meter.estimate(talk.id) or UNKNOWN_ESTIMATE).limit == 700,
                "the server's context length")
    await until(lambda: window.transcript.context_marker.rect() is not None, "the marker")
    marker = window.transcript.context_marker.rect()
    assert marker is not None
    window.transcript.verticalScrollBar().setValue(int(marker.top()) - 120)
    await settle()
    save(window, out, f"context-{theme}")

    press(Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    dialog = window.generation_dialog
    assert dialog is not None and dialog.form is not None
    await until(lambda: QApplication.focusWidget() is dialog.form.edits["temperature"],
                "the editor's focus")
    QTest.keyClicks(dialog.form.edits["temperature"], "abc")
    QTest.keyClicks(dialog.form.edits["max_tokens"], "512")
    QTest.keyClicks(dialog.form.edits["extra"], '{"think": false}')
    await settle()
    save(dialog, out, f"generation-{theme}")
    dialog.reject()
    await settle()

    picker = window.choose_model()
    assert picker is not None
    await until(lambda: sum("context" in picker.list.item(i).text()
                            for i in range(picker.list.count())) == 4,
                "the models' context lengths")
    assert router.id in {row[0] for row in picker.rows()}
    await settle()
    save(picker, out, f"model-picker-{theme}")
    picker.reject()
    await session.close()
    await server.stop()


def picture(path: Path, width: int, height: int, label: str) -> None:
    """A stand-in screenshot to attach: a gradient with a caption."""
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QColor, QFont, QLinearGradient, QPainter

    image = QImage(width, height, QImage.Format.Format_RGB32)
    painter = QPainter(image)
    gradient = QLinearGradient(0, 0, width, height)
    gradient.setColorAt(0, QColor("#1e3a8a"))
    gradient.setColorAt(1, QColor("#0ea5e9"))
    painter.fillRect(0, 0, width, height, gradient)
    painter.setPen(QColor("white"))
    font = QFont()
    font.setPointSize(height // 12)
    painter.setFont(font)
    painter.drawText(QRectF(0, 0, width, height), Qt.AlignmentFlag.AlignCenter, label)
    painter.end()
    image.save(str(path), "PNG")


async def attachments(base: Path, out: Path, theme: str) -> None:
    """Files given with a message (the local OpenAI-compatible server imitating Ollama with
    a vision model): the chips above the composer, the sent message with its thumbnail and
    file link, and the image full size in the viewer."""
    from opchat_gui.demo.openai_server import OpenAIDevServer

    server = await OpenAIDevServer().start()
    session = await open_session(data_dir(base, f"attach-{theme}", theme, "en", seed=True),
                                 "--demo")
    providers = session.providers
    assert providers is not None
    entry = providers.save({"name": "Ollama", "kind": "openai", "model": "demo-large",
                            "url": server.play_url("demo", server="ollama", delay=0.01)})
    providers.set_default(entry.id)
    window = session.window
    press(Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    await settle()
    files = base / f"files-{theme}"
    files.mkdir()
    picture(files / "build-failure.png", 1600, 1000, "build #1423 failed")
    (files / "ci-build-1423.log").write_text(
        "".join(f"12:0{n % 10}:1{n % 7} test_export: expected 3 files, got 2\n"
                for n in range(3)), encoding="utf-8")
    window.attaching.attach_paths([str(files / "build-failure.png"),
                                   str(files / "ci-build-1423.log")])
    await until(lambda: len(window.chips.chips) == 2, "two chips")
    window.composer.setPlainText("Here is the failing build and its log. What is wrong?")
    window.chips.chips[-1].setFocus()  # Shift+Tab from the composer: the chip's focus ring
    await settle()
    save(window, out, f"attachments-composer-{theme}")
    window.composer.setFocus()
    press(Qt.Key.Key_Return)
    await until(lambda: window.current_id is not None
                and not session.service.is_streaming(window.current_id), "the reply")
    window.transcript.scroll_to_start()  # the message with its files, then the reply
    await settle()
    save(window, out, f"attachments-{theme}")
    shown = next(a for a in window.transcript.files.shown.values() if a.kind == "image")
    window.attaching.open(shown)
    viewer = window.attaching.viewer
    assert viewer is not None
    viewer.resize(900, 620)
    await settle(0.5)
    save(viewer, out, f"attachment-viewer-{theme}")
    viewer.close()
    await session.close()
    await server.stop()


async def site_image(base: Path, out: Path, theme: str) -> None:
    """An image sent to the demo AI Engine site, whose bot takes uploads: posted through
    the plugin's files route first, and the reply says what the site received."""
    session = await open_session(data_dir(base, f"site-image-{theme}", theme, "en",
                                          seed=True), "--demo")
    window = session.window
    press(Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    await settle()
    files = base / f"site-files-{theme}"
    files.mkdir()
    picture(files / "whiteboard.png", 1200, 800, "sprint plan")
    (files / "notes.txt").write_text("Ship the export fix first.\n", encoding="utf-8")
    window.attaching.attach_paths([str(files / "whiteboard.png"), str(files / "notes.txt")])
    await until(lambda: len(window.chips.chips) == 2, "two chips")
    window.composer.setPlainText("What does the whiteboard say?")
    window.composer.setFocus()
    press(Qt.Key.Key_Return)
    await until(lambda: window.current_id is not None
                and not session.service.is_streaming(window.current_id), "the reply")
    window.transcript.scroll_to_start()
    await settle()
    save(window, out, f"attachments-site-{theme}")
    await session.close()


async def formulas(base: Path, out: Path, theme: str) -> None:
    """A reply with inline and display formulas in all four delimiters (the AI Engine demo
    server's math reply), typeset in the theme's text colour; prices stay text."""
    from opchat_gui.demo.aiengine_server import DevServer

    server = await DevServer().start()
    session = await open_session(data_dir(base, f"math-{theme}", theme, "en", seed=True),
                                 "--demo")
    providers = session.providers
    assert providers is not None
    entry = providers.save({"name": "Maths site", "kind": "aiengine", "bot_id": "default",
                            "url": server.play_url("math", delay=0.005)})
    providers.set_default(entry.id)
    window = session.window
    press(Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    await settle()
    window.composer.setPlainText("How do I solve $ax^2 + bx + c = 0$?")
    press(Qt.Key.Key_Return)
    await until(lambda: window.current_id is not None
                and not session.service.is_streaming(window.current_id), "the reply")
    await settle(2.0)  # new formulas are typeset in the background, on-screen first
    save(window, out, f"math-{theme}")  # the reply's end: display, inline, and prices
    await session.close()
    await server.stop()


async def tools(base: Path, out: Path, theme: str) -> None:
    """A model calling two MCP tools (mcp-server-time, started over stdio as a user's
    config would): the approval bar for the first call, then both calls folded above the
    answer."""
    from opchat_gui.demo.openai_server import OpenAIDevServer

    server = await OpenAIDevServer(default_delay=0.01).start()
    data = data_dir(base, f"tools-{theme}", theme, "en", seed=True)
    # A loaded machine may start the server slower than a reply waits by default.
    (data / "config" / "settings.json").write_text(json.dumps(
        {"theme": theme, "language": "en", "tool_start_wait": 120}), encoding="utf-8")
    (data / "config" / "mcp_servers.json").write_text(json.dumps({"mcpServers": {"time": {
        "command": sys.executable, "args": ["-m", "mcp_server_time",
                                            "--local-timezone", "Europe/Paris"]}}}),
        encoding="utf-8")
    session = await open_session(data, "--demo")
    providers = session.providers
    assert providers is not None
    entry = providers.save({"name": "llama-server", "kind": "openai", "model": "demo-model",
                            "url": server.url})
    providers.set_default(entry.id)
    window = session.window
    press(Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    await settle()
    window.composer.setPlainText("What time is it in Paris, and what is noon there in Tokyo? "
                                 "Use get_current_time and convert_time.")
    press(Qt.Key.Key_Return)
    service = session.service

    def waiting() -> bool:
        return (window.current_id is not None
                and service.pending_approval(window.current_id) is not None)

    await until(waiting, "the first approval", 120)
    await settle()
    save(window, out, f"tools-approval-{theme}")
    first = service.pending_approval(window.current_id or 0)
    press(Qt.Key.Key_Y, Qt.KeyboardModifier.AltModifier)
    await until(lambda: waiting() and service.pending_approval(window.current_id or 0)
                is not first, "the second approval", 120)
    press(Qt.Key.Key_Y, Qt.KeyboardModifier.AltModifier)
    await until(lambda: window.current_id is not None
                and not service.is_streaming(window.current_id), "the answer", 120)
    await settle()
    save(window, out, f"tools-{theme}")
    await session.close()
    await server.stop()


GROUPS = {"first-run": first_run, "tour": tour, "russian": russian, "branches": branches,
          "wide-table": wide_table, "thinking": thinking, "attachments": attachments,
          "site-image": site_image, "math": formulas, "tools": tools,
          "context": context}


async def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    only = [g for g in os.environ.get("SCREENSHOTS_ONLY", "").split(",") if g]
    unknown = set(only) - set(GROUPS)
    if unknown:
        raise SystemExit(f"screenshots: no group {', '.join(sorted(unknown))}; "
                         f"the groups are {', '.join(GROUPS)}")
    with tempfile.TemporaryDirectory(prefix="opchat-shots-") as tmp:
        base = Path(tmp)
        for theme in ("light", "dark"):
            for name, group in GROUPS.items():
                if not only or name in only:
                    await group(base, out, theme)


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots"
    app = QApplication(sys.argv[:1])
    app.setApplicationName("opchat-gui")
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with loop:
        loop.run_until_complete(main(target))
