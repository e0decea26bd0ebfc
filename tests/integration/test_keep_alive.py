"""Replies from a server on this machine reuse one connection (providers/pool.py), and what
a send defers until its request has left still happens (B9 latency)."""

from __future__ import annotations

import sqlite3
from typing import Any

import pytest
from aiohttp import ClientSession, web

from opchat_gui.chat import ChatService, StreamTarget
from opchat_gui.demo.aiengine_server import DevServer, demo_reply
from opchat_gui.demo.openai_server import OpenAIDevServer
from opchat_gui.providers import http
from opchat_gui.providers.aiengine import AIEngine
from opchat_gui.providers.openai_compat import OpenAICompatible
from opchat_gui.providers.pool import SessionPool
from opchat_gui.store import History, MessageState
from tests.conftest import chat_requests, wait_until


class Peers:
    """Which client connection (its address and port) each request of a server came on
    (made before the server starts: it routes to its `_dispatch`)."""

    def __init__(self, server: Any) -> None:
        self.seen: list[tuple[str, object]] = []
        dispatch = server._dispatch

        async def noted(request: web.Request) -> web.StreamResponse:
            transport = request.transport
            peer = transport.get_extra_info("peername") if transport is not None else None
            self.seen.append((request.path, peer))
            return await dispatch(request)

        server._dispatch = noted

    def of(self, suffix: str) -> list[object]:
        return [peer for path, peer in self.seen if path.endswith(suffix)]


@pytest.fixture
def history(tmp_path):
    opened = History.open(tmp_path / "history.sqlite3")
    yield opened
    opened.close()


def ask_twice(service: ChatService, run: Any) -> int:
    conversation = service.new_conversation()
    assert conversation is not None
    for text in ("first question", "second question"):
        assert service.send(conversation.id, text)
        run(wait_until(lambda: not service.is_streaming(conversation.id),
                       what="the reply to end"))
    return conversation.id


def test_two_replies_from_a_local_site_share_one_connection(history, run, tmp_path):
    server = DevServer()
    peers = Peers(server)
    run(server.start())
    try:
        service = ChatService(history, lambda _c: StreamTarget(AIEngine,
                                                               options={"url": server.url}))
        conversation_id = ask_twice(service, run)
        replies = [m for m in service.messages(conversation_id) if m.role == "assistant"]
        assert [m.state for m in replies] == [MessageState.DONE, MessageState.DONE]
        assert replies[1].content == demo_reply("second question")
        first, second = peers.of("/chats/submit")
        assert first == second  # the same client port: the kept connection
        run(service.shutdown())
    finally:
        run(server.stop())
    with sqlite3.connect(tmp_path / "history.sqlite3") as other:
        rows = other.execute("SELECT role, content FROM messages WHERE role = 'user'"
                             " ORDER BY id").fetchall()
    assert rows == [("user", "first question"), ("user", "second question")]


def test_two_replies_from_a_local_openai_server_share_one_connection(history, run):
    server = OpenAIDevServer()
    peers = Peers(server)
    run(server.start())
    try:
        target = StreamTarget(OpenAICompatible, "demo-model", {"base_url": server.url})
        service = ChatService(history, lambda _c: target)
        conversation_id = ask_twice(service, run)
        assert len(chat_requests(server)) == 2
        first, second = peers.of("/chat/completions")
        assert first == second
        assert service.messages(conversation_id)[-1].state == MessageState.DONE
        run(service.shutdown())
    finally:
        run(server.stop())


def test_a_server_restarted_between_replies_gets_a_new_connection(history, run):
    """The kept connection is closed under the app (the server went away and came back on
    the same port): the next reply opens a new one and arrives whole."""
    server = run(DevServer().start())
    port = server.port
    service = ChatService(history, lambda _c: StreamTarget(
        AIEngine, options={"url": f"http://127.0.0.1:{port}"}))
    conversation = service.new_conversation()
    assert conversation is not None
    assert service.send(conversation.id, "before the restart")
    run(wait_until(lambda: not service.is_streaming(conversation.id)))
    run(server.stop())
    again = run(DevServer().start(port))
    try:
        assert service.send(conversation.id, "after the restart")
        run(wait_until(lambda: not service.is_streaming(conversation.id)))
        reply = service.messages(conversation.id)[-1]
        assert reply.state == MessageState.DONE, reply.error
        assert reply.content == demo_reply("after the restart")
        run(service.shutdown())
    finally:
        run(again.stop())


def test_shutdown_closes_the_kept_connection(history, run):
    server = run(DevServer().start())
    try:
        service = ChatService(history, lambda _c: StreamTarget(AIEngine,
                                                               options={"url": server.url}))
        conversation = service.new_conversation()
        assert conversation is not None
        assert service.send(conversation.id, "hello")
        run(wait_until(lambda: not service.is_streaming(conversation.id)))
        def connections() -> int:  # the server's open connections
            return len(server._runner.server.connections)

        assert connections() == 1  # kept after the reply
        run(service.shutdown())
        run(wait_until(lambda: connections() == 0, what="the connection to close"))
    finally:
        run(server.stop())


def test_only_a_loopback_server_without_a_proxy_gets_a_kept_session(run):
    pool = SessionPool()

    async def opened(url: str, proxy: str | None = None) -> object:
        context, _proxy = pool.client(url, {}, http.Timeouts(), proxy)
        if isinstance(context, ClientSession):
            await context.close()  # a session of its own, as `async with` would close it
        return context

    async def check() -> None:
        assert isinstance(await opened("https://example.org/wp-json/mwai-ui/v1/chats/submit"),
                          ClientSession)
        assert isinstance(await opened("http://127.0.0.1:9/v1", "http://127.0.0.1:3128"),
                          ClientSession)
        kept = await opened("http://127.0.0.1:9/v1")
        assert not isinstance(kept, ClientSession)
        async with kept as session:  # type: ignore[attr-defined]
            assert not session.closed
        async with pool.client("http://localhost:9/v1", {}, http.Timeouts())[0] as again:
            assert again is session  # the same settings: the same session
        await pool.close()
        assert session.closed

    run(check())


def test_the_status_lines_estimate_still_follows_a_send(history, run):
    """The trimmed request's estimate is told after the request left, not dropped: the
    context meter's `changed` comes while the reply still streams."""
    server = run(DevServer().start())
    try:
        service = ChatService(history, lambda _c: StreamTarget(
            AIEngine, options={"url": server.play_url("slow", delay=0.05)}))
        told: list[int] = []
        service.context.changed.connect(told.append)
        conversation = service.new_conversation()
        assert conversation is not None
        assert service.send(conversation.id, "estimate me")
        assert told == []  # not before the request's turn on the loop
        run(wait_until(lambda: conversation.id in told, what="the estimate to be told"))
        assert service.is_streaming(conversation.id)
        run(service.shutdown())
    finally:
        run(server.stop())


def test_an_estimate_due_after_the_history_closed_is_not_told(history, run, qtbot):
    """The history closed without the service's shutdown (the timer is not stopped): the
    estimate due 50 ms after a request was trimmed must not read the closed file."""
    server = OpenAIDevServer()
    run(server.start())
    try:
        target = StreamTarget(OpenAICompatible, "demo-model", {"base_url": server.url})
        service = ChatService(history, lambda _c: target)
        told: list[int] = []
        service.context.changed.connect(
            lambda cid: told.append(service.context.estimate(cid, "") is not None))
        conversation = service.new_conversation()
        assert conversation is not None
        assert service.send(conversation.id, "a question")
        run(wait_until(lambda: not service.is_streaming(conversation.id)))
        run(wait_until(lambda: bool(told), what="the estimate while open"))
        assert service.send(conversation.id, "another")
        run(wait_until(lambda: not service.is_streaming(conversation.id)))
        history.close()
        timer = service.context._tell_later
        if timer.isActive():  # due after the close: it fires into a closed history
            qtbot.waitUntil(lambda: not timer.isActive(), timeout=5000)
        service.context._to_tell.add(conversation.id)  # one due for certain, then fire it
        service.context._tell()
        assert told == [True] * len(told)  # nothing read the closed file
    finally:
        run(server.stop())
