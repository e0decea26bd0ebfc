"""Start-up's second step and all the wiring, in one place: the qasync loop, the history
opened and checked, the chat and provider services, the window completed (`start`), and
the session that closes it all. The first step, the window's frame, is app/frame.py."""

from __future__ import annotations

import argparse
import asyncio
import gc
import logging
import os
import sqlite3
import sys
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NoReturn

from PySide6.QtCore import QByteArray, QCoreApplication, QTimer
from PySide6.QtWidgets import QApplication

import opchat_gui.app as app_package
from opchat_gui import __version__
from opchat_gui.app import i18n, logs
from opchat_gui.app.cli import already_running, parse_args, refuse  # noqa: F401  (imported from here too)
from opchat_gui.app.collector import MainThreadCollector
from opchat_gui.app.event_loop import AppEventLoop
from opchat_gui.app.frame import (
    GEOMETRY_KEY,
    LAST_CONVERSATION_KEY,
    Frame,
    demo_note,
    let_go,
    open_frame,
)
from opchat_gui.app.single_instance import AlreadyRunning, SingleInstance
from opchat_gui.app.warmup import WarmUp
from opchat_gui.chat import ChatService
from opchat_gui.chat.archive import Archive
from opchat_gui.chat.operations import Operation, OperationRunner
from opchat_gui.chat.provider_service import ProviderService
from opchat_gui.config.keystore import SecretStore
from opchat_gui.config.paths import AppPaths
from opchat_gui.config.provider_entries import DEMO_ID, ProviderConfig, ProviderEntry
from opchat_gui.config.settings import Settings
from opchat_gui.core.text import fill
from opchat_gui.store import History
from opchat_gui.store.backup import list_backups
from opchat_gui.store.recovery import Checking, Opened, open_history
from opchat_gui.store.schema import NewerSchemaError
from opchat_gui.tools.errors import ToolServerError
from opchat_gui.tools.server_config import ServersConfig
from opchat_gui.ui.dialogs.data_menu import DataMenu
from opchat_gui.ui.keys.registry import HISTORY
from opchat_gui.ui.main_window import MainWindow
from opchat_gui.ui.theme import ThemeManager

if TYPE_CHECKING:
    from opchat_gui.demo.aiengine_server import DevServer

if app_package.COLLECTING:  # paused while the modules above imported (app/__init__.py)
    gc.enable()

log = logging.getLogger("opchat_gui")

DEMO_DELAY = 0.03  # seconds between demo chunks: fast, yet visibly streaming
BACKUP_FIRST_DELAY = 20.0  # seconds after start-up: never slow the start down
COLLECT_AFTER_MS = 30_000  # unreferenced attachment files go once the start has settled
BACKUP_CHECK_EVERY = 60.0 * 60.0  # the backup itself is daily; this only checks if it is due


@dataclass
class Session:
    """Everything main() builds; tests build the same through start()."""

    paths: AppPaths
    history: History
    service: ChatService
    window: MainWindow
    settings: Settings
    themes: ThemeManager
    translations: i18n.Installed
    server: DevServer | None = None
    closed: asyncio.Event = field(default_factory=asyncio.Event)
    finished: bool = False
    archive: Archive | None = None
    instance: SingleInstance | None = None
    opened: Opened | None = None
    backups: asyncio.Task[None] | None = None
    providers: ProviderService | None = None
    first_probe: asyncio.Task[None] | None = None
    operations: OperationRunner | None = None
    demo_start: asyncio.Task[None] | None = None
    warmup: WarmUp | None = None
    file_collection: QTimer | None = None  # unreferenced attachment files, once settled

    def start_demo(self) -> None:
        """The welcome pane's demo choice: the built-in server, started now, no restart."""
        if self.demo_start is not None and not self.demo_start.done():
            return
        self.demo_start = asyncio.get_event_loop().create_task(self._start_demo())

    async def _start_demo(self) -> None:
        if self.server is None:
            self.server = await start_demo_server()
        assert self.providers is not None
        self.window.show_notice(demo_note(self.server.url))
        self.providers.add_runtime(demo_entry(self.server.url))

    async def close(self) -> None:
        """Stop streams, remember the window, close files; safe to call twice."""
        if self.finished:
            return
        self.finished = True
        for task in (self.backups, self.first_probe, self.demo_start):
            if task is not None:
                task.cancel()
        if self.file_collection is not None:  # never after the history is closed
            self.file_collection.stop()
        await self.service.shutdown()
        if self.operations is not None:
            self.operations.shutdown()  # a running export or backup lets go of the history
        if self.providers is not None:
            await self.providers.shutdown()
        self.window.drafts.save()
        if not self.service.flush_pending():
            log.error("%d reply(ies) could not be saved before exit",
                      self.service.pending_writes())
        try:
            self.history.set_state(GEOMETRY_KEY,
                                   bytes(self.window.saveGeometry().toHex()).decode())
            if self.window.current_id is not None:
                self.history.set_state(LAST_CONVERSATION_KEY, str(self.window.current_id))
        except sqlite3.Error as exc:  # read-only or full: the window state is not worth a crash
            log.warning("could not save the window state: %s", exc)
        self.window.hide()
        if self.settings.dirty:
            self.settings.save()
        self.history.close()
        let_go(self.themes, self.translations, self.instance)
        if self.server is not None:
            await self.server.stop()
        logs.shutdown()


async def start(args: argparse.Namespace, frame: Frame | None = None) -> Session:
    """Open the history, start the demo server if asked, and complete and show the window
    of `frame` (start-up's first step, app/frame.py), made here when not given (tests,
    the smoke test)."""
    app = QApplication.instance()
    assert isinstance(app, QApplication), "start() needs a QApplication"
    if frame is None:
        frame = open_frame(args)
    paths, settings, themes, window = frame.paths, frame.settings, frame.themes, frame.window
    checking = Checking(paths.database)  # reads the whole file while the lines below run
    log_file = logs.setup(paths.logs, verbose=getattr(args, "verbose", False))
    log.info("opchat-gui %s starting; log file %s", __version__, log_file)
    for notice in settings.notices:
        log.warning("settings: %s", notice)
    frame.instance.listen()
    config = ProviderConfig.load(paths.config, SecretStore(paths.config))
    try:
        opened = open_history(paths.database, paths.backups, checking=checking)
    except BaseException:
        frame.discard()
        logs.shutdown()
        raise
    history = opened.history
    if opened.interrupted:
        log.info("%d reply(ies) were interrupted by the last exit", opened.interrupted)

    server: DevServer | None = None
    note = ""
    if args.demo:
        server = await start_demo_server()
        note = demo_note(server.url)
        config.add_runtime(demo_entry(server.url))
    elif args.url:
        config.ensure_site(args.url)
    _keep_proxy_password_out_of_settings(settings, config)
    providers = ProviderService(config, settings.provider_options)

    def new_defaults() -> dict[str, str]:
        defaults = providers.new_defaults()
        return {"provider": defaults["provider"],
                "model": defaults["model"] or settings["default_model"],
                "system_prompt": settings["system_prompt"]}

    tool_servers, tools_problem = load_tool_servers(paths)
    service = ChatService(history, providers.target_for, new_defaults=new_defaults,
                          label_for=providers.label_for, attachments_folder=paths.attachments,
                          max_image_side=lambda: int(settings["image_max_side"]),
                          context_source=providers.context_source,
                          context_trim=lambda: (str(settings["context_trim"]),
                                                int(settings["context_last_messages"])),
                          tool_servers=tool_servers,
                          tool_settings=lambda: (float(settings["tool_start_wait"]),
                                                 int(settings["tool_step_limit"])))
    window.finish(service, demo_note=note, data_folder=paths.data, providers=providers)
    archive = Archive(history, paths.backups)
    operations = OperationRunner(window)
    window.data_menu = DataMenu(window, service, archive, operations,
                                lambda: window.current_id, window.reload, window.show_problem,
                                window.operation_progress)
    window.registry.add_owner(HISTORY, window.data_menu)
    for notice in startup_notices(opened, paths):
        window.show_notice(notice)
    if tools_problem:
        window.tools_problem = tools_problem
        window.show_notice(tools_problem)
    frame.instance.activationRequested.connect(window.bring_to_front)

    geometry = history.get_state(GEOMETRY_KEY)
    if geometry:
        window.restoreGeometry(QByteArray.fromHex(geometry.encode()))
    last = history.get_state(LAST_CONVERSATION_KEY)
    if last and last.isdigit():
        window.open_conversation(int(last))

    session = Session(paths, history, service, window, settings, themes, frame.translations,
                      server, archive=archive, instance=frame.instance, opened=opened,
                      providers=providers, operations=operations)
    if not opened.read_only_reason:
        session.backups = asyncio.get_event_loop().create_task(
            daily_backups(archive, operations))
    window.closed.connect(session.closed.set)
    window.demoRequested.connect(session.start_demo)
    window.show()
    window.activateWindow()
    # After the window shows, on every start: start-up never waits for the network, and a
    # local server started since the last run is found.
    session.first_probe = asyncio.get_event_loop().create_task(providers.add_local())
    session.warmup = WarmUp(lambda: window.transcript.settled, window)
    window.composer.textChanged.connect(session.warmup.now)
    if not opened.read_only_reason:  # files no message names any more, once nothing is busy
        session.file_collection = QTimer(window)
        session.file_collection.setSingleShot(True)
        session.file_collection.timeout.connect(
            lambda: service.files.collect(list_backups(paths.backups)))
        session.file_collection.start(COLLECT_AFTER_MS)
    window.release_input()  # what was typed while the frame was shown, to the composer
    return session


def load_tool_servers(paths: AppPaths) -> tuple[ServersConfig | None, str]:
    """The tool servers file (no server starts, and the MCP host is made on first use),
    or None and the sentence to show when the file cannot be read (it is left untouched)."""
    try:
        config = ServersConfig.load(paths.tool_servers, SecretStore(paths.config))
    except ToolServerError as exc:
        log.warning("tool servers: %s", exc)
        return None, exc.user_message
    return config, ""


async def start_demo_server() -> DevServer:
    from opchat_gui.demo.aiengine_server import DevServer  # aiohttp.web: only for the demo

    return await DevServer(default_delay=DEMO_DELAY).start()


def demo_entry(url: str) -> ProviderEntry:
    """The demo server enforces no input limit, so its entry claims none (0)."""
    return ProviderEntry(DEMO_ID, QCoreApplication.translate("App", "Demo server"),
                         "aiengine", url, max_input_chars=0)


def startup_notices(opened: Opened, paths: AppPaths) -> list[str]:
    """What the user must know about how the history was opened, in words."""
    notices = []
    if opened.moved_aside is not None:
        notices.append(fill(QCoreApplication.translate(
            "Startup", "The history file was damaged (%1). It was moved aside to %2 (nothing "
            "was deleted) and a fresh history was started."),
            opened.damage, opened.moved_aside))
    if opened.read_only_reason:
        notices.append(fill(QCoreApplication.translate(
            "Startup", "The history in %1 cannot be written (%2). It is shown read-only and "
            "nothing new will be saved: make the folder writable or free some space, then "
            "restart."), paths.data, opened.read_only_reason))
    return notices


async def daily_backups(archive: Archive, operations: OperationRunner) -> None:
    """Check now and then whether today's backup is due (backup.EVERY_SECONDS), in the
    background like any operation; while another one runs, the next check takes it."""
    await asyncio.sleep(BACKUP_FIRST_DELAY)
    label = QCoreApplication.translate("App", "Daily backup")
    while True:
        operations.start(Operation(label, archive.backup_if_due))  # failures are logged
        await asyncio.sleep(BACKUP_CHECK_EVERY)


def _keep_proxy_password_out_of_settings(settings: Settings, config: ProviderConfig) -> None:
    """A password typed into the global proxy goes to the key store, not settings.json."""

    def check(key: str, value: object) -> None:
        if key == "proxy" and isinstance(value, str):
            stripped = config.keep_global_proxy_password(value)
            if stripped != value:
                settings.set("proxy", stripped)

    check("proxy", settings["proxy"])
    settings.observe(check)


async def run(args: argparse.Namespace, frame: Frame | None = None) -> int:
    if getattr(args, "smoke_test", False):
        from opchat_gui.app.smoke import run_smoke  # only when asked: it is not start-up work

        return await run_smoke(args, start)
    session = await start(args, frame)
    await session.closed.wait()
    await session.close()
    return 0


def run_main(args: argparse.Namespace, frame: Frame | None) -> int:
    """Start-up's second step on the qasync loop, then the app until it quits
    (app/launch.py ran the first)."""
    app = QApplication.instance()
    assert isinstance(app, QApplication), "run_main() needs a QApplication"
    MainThreadCollector(app)
    loop = AppEventLoop(app)
    asyncio.set_event_loop(loop)
    try:
        with loop:
            exit_now(loop.run_until_complete(run(args, frame)))
    except AlreadyRunning as exc:
        already_running(str(exc), woke=exc.woke)
        return 0
    except NewerSchemaError as exc:
        refuse(str(exc))
        return 2
    finally:
        asyncio.set_event_loop(None)


def exit_now(code: int) -> NoReturn:
    """Leave as soon as Session.close is done, without Python's and Qt's teardown.

    Why: close() has stopped the streams, saved every reply, the drafts, the window state
    and the settings, closed the history and released the single-instance lock; what the
    teardown adds is destroying every widget, collecting the whole heap and joining the
    resolver's threads, 0.3-3 s in which the process still ran (and a relaunch found it
    "already running") for nothing the next start needs (benchmarks/b11_quit.py).
    """
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except (OSError, ValueError):  # a closed or broken pipe: nothing left to say there
            pass
    os._exit(code)
