"""ChatService with a real History file and the real local server."""

from __future__ import annotations

import sqlite3

import pytest
from PySide6.QtCore import QObject

from opchat_gui.chat import ChatService, StreamTarget
from opchat_gui.demo.aiengine_server import demo_reply, huge_reply, tokenize
from opchat_gui.providers import Opchatgpts
from opchat_gui.store import History, MessageState, partials
from tests.conftest import wait_until


@pytest.fixture
def history(tmp_path):
    opened = History.open(tmp_path / "history.sqlite3")
    yield opened
    opened.close()


def make_service(history: History, url: str) -> ChatService:
    target = StreamTarget(Opchatgpts, options={"url": url}, label="test")
    return ChatService(history, lambda _c: target)


class Recorder(QObject):
    def __init__(self, service: ChatService) -> None:
        super().__init__()
        self.chunks: list[tuple[int, int, str]] = []
        self.finished: list[tuple[int, MessageState]] = []
        service.chunk.connect(lambda c, m, t: self.chunks.append((c, m, t)))
        service.messageChanged.connect(lambda m: self.finished.append((m.id, m.state)))


def test_user_message_is_on_disk_before_the_request_leaves(history, server, tmp_path, run):
    service = make_service(history, server.url)
    conversation = service.new_conversation()
    assert service.send(conversation.id, "saved first")
    # The loop has not run yet, so no request can have been sent.
    assert server.requests == []
    with sqlite3.connect(tmp_path / "history.sqlite3") as other:
        rows = other.execute("SELECT role, content, state FROM messages ORDER BY id").fetchall()
    assert rows == [("user", "saved first", "done"), ("assistant", "", "streaming")]
    run(wait_until(lambda: not service.is_streaming(conversation.id)))  # end it cleanly
    assert server.requests[0].json["newMessage"] == "saved first"


def test_chunks_are_coalesced_and_join_to_the_reply(history, server, run):
    service = make_service(history, server.play_url("huge", tokens=4000))
    recorder = Recorder(service)
    conversation = service.new_conversation()
    service.send(conversation.id, "go")
    run(wait_until(lambda: recorder.finished, what="the reply to finish"))
    pieces = len(huge_reply(4000).split())
    assert "".join(t for _, _, t in recorder.chunks) == huge_reply(4000)
    assert len(recorder.chunks) < pieces  # several pieces per view update
    reply = service.messages(conversation.id)[-1]
    assert reply.state == MessageState.DONE and reply.content == huge_reply(4000)


def test_a_replys_first_piece_reaches_the_view_alone(history, server, run):
    """The first token is not held for the frame's coalescing (Enter to first token
    painted); the pieces after it are coalesced again."""
    service = make_service(history, server.play_url("huge", tokens=4000))
    recorder = Recorder(service)
    conversation = service.new_conversation()
    service.send(conversation.id, "go")
    run(wait_until(lambda: recorder.finished, what="the reply to finish"))
    assert recorder.chunks[0][2] == tokenize(huge_reply(4000))[0]
    assert len(recorder.chunks) < len(tokenize(huge_reply(4000)))


def test_partial_reply_is_saved_while_streaming(history, server, run, tmp_path):
    service = make_service(history, server.play_url("slow", delay=0.04))
    conversation = service.new_conversation()
    service.send(conversation.id, "periodic")

    def on_disk() -> tuple[str, str]:  # the row and the pieces saved beside it
        with sqlite3.connect(tmp_path / "history.sqlite3") as other:
            reply_id, state = other.execute(
                "SELECT id, state FROM messages WHERE role = 'assistant'").fetchone()
            return partials.saved(other, reply_id)[0], state

    run(wait_until(lambda: on_disk()[0], what="a periodic save"))
    content, state = on_disk()
    assert state == "streaming" and service.is_streaming(conversation.id)
    assert demo_reply("periodic").startswith(content) and content != demo_reply("periodic")
    service.stop(conversation.id)
    run(wait_until(lambda: not service.is_streaming(conversation.id)))


def test_streams_run_side_by_side_and_stop_is_per_conversation(history, server, run):
    urls: dict[int, str] = {}
    service = ChatService(history, lambda c: StreamTarget(Opchatgpts, options={"url": urls[c.id]}))
    recorder = Recorder(service)
    first, second = service.new_conversation(), service.new_conversation()
    # The one to stop streams for about a minute, so it cannot finish on its own first.
    urls[first.id] = server.play_url("slow", delay=0.5)
    urls[second.id] = server.play_url("slow", delay=0.01)
    service.send(first.id, "first")
    service.send(second.id, "second")
    assert service.is_streaming(first.id) and service.is_streaming(second.id)
    run(wait_until(lambda: {c for c, _, _ in recorder.chunks} == {first.id, second.id},
                   what="both streams to deliver text"))
    assert service.stop(first.id)
    run(wait_until(lambda: len(recorder.finished) == 2, what="both to end"))
    assert service.messages(first.id)[-1].state == MessageState.STOPPED
    assert service.messages(first.id)[-1].content.startswith("You ")
    assert service.messages(second.id)[-1].state == MessageState.DONE
    assert service.messages(second.id)[-1].content == demo_reply("second")


def test_failure_keeps_partial_text_and_the_error(history, server, run):
    service = make_service(history, server.play_url("cutoff", after=5))
    recorder = Recorder(service)
    conversation = service.new_conversation()
    service.send(conversation.id, "cut me")
    run(wait_until(lambda: recorder.finished))
    user, reply = service.messages(conversation.id)
    assert user.content == "cut me"
    assert reply.state == MessageState.FAILED
    assert reply.content == "".join(tokenize(demo_reply("cut me"))[:5])  # the chunks sent
    assert reply.error.startswith("The reply was cut off before it finished")


def test_context_sends_system_prompt_and_earlier_turns(history, server, run):
    service = make_service(history, server.url)
    conversation = service.new_conversation()
    history.update_conversation(conversation.id, system_prompt="Answer in haiku.")
    service.send(conversation.id, "one")
    run(wait_until(lambda: not service.is_streaming(conversation.id)))
    service.send(conversation.id, "two")
    run(wait_until(lambda: not service.is_streaming(conversation.id)))
    sent = server.requests[-1].json["messages"]
    assert sent == [
        {"role": "system", "content": "Answer in haiku."},
        {"role": "user", "content": "one"},
        {"role": "assistant", "content": demo_reply("one")},
        {"role": "user", "content": "two"},
    ]


def test_an_empty_message_is_not_sent(history, server):
    service = make_service(history, server.url)
    conversation = service.new_conversation()
    assert not service.send(conversation.id, "   \n ")
    assert service.messages(conversation.id) == []


def test_a_failure_is_stored_as_its_kind_and_a_retry_clears_it(history, server, run):
    urls = {"now": server.play_url("status", status=503)}
    service = ChatService(history, lambda _c: StreamTarget(Opchatgpts,
                                                           options={"url": urls["now"]}))
    conversation = service.new_conversation()
    service.send(conversation.id, "fail first")
    run(wait_until(lambda: not service.busy()))
    reply = service.messages(conversation.id)[-1]
    assert reply.state == MessageState.FAILED and reply.failure is not None
    assert (reply.failure.kind, reply.failure.status, reply.failure.retryable) == (
        "HTTPStatusError", 503, True)
    assert reply.error.startswith("The server answered with an error (HTTP 503")  # English

    urls["now"] = server.url
    assert service.retry(conversation.id)
    run(wait_until(lambda: not service.busy()))
    reply = service.messages(conversation.id)[-1]
    assert (reply.state, reply.error, reply.failure) == (MessageState.DONE, "", None)
