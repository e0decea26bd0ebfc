"""A reasoning model's thinking through ChatService: streamed beside the answer, stored
apart from it with how long it took, never sent back, exported, imported and searchable
(real HTTP to the local servers, a real SQLite file)."""

from __future__ import annotations

import json
import sqlite3

import pytest
from PySide6.QtCore import QObject

from opchat_gui.chat import ChatService, StreamTarget
from opchat_gui.demo.aiengine_server import demo_reply
from opchat_gui.demo.openai_server import thought
from opchat_gui.providers import Opchatgpts
from opchat_gui.providers.openai_compat import OpenAICompatible
from opchat_gui.store import History, MessageState, partials
from opchat_gui.store.export import (
    export_document,
    import_records,
    to_markdown,
    validate,
)
from tests.conftest import chat_requests, wait_until

QUESTION = "Why is the sky blue?"
FORMS = ["reasoning_content", "reasoning", "think", "thinking"]


@pytest.fixture
def history(tmp_path):
    opened = History.open(tmp_path / "history.sqlite3")
    yield opened
    opened.close()


def openai_service(history: History, url: str) -> ChatService:
    target = StreamTarget(OpenAICompatible, "demo-large", {"base_url": url}, label="test")
    return ChatService(history, lambda _c: target)


class Heard(QObject):
    def __init__(self, service: ChatService) -> None:
        super().__init__()
        self.order: list[tuple[str, str]] = []  # ("think" | "text", piece), as signalled
        self.status: list[str] = []
        self.finished: list[int] = []
        service.reasoning.connect(lambda _c, _m, t: self.order.append(("think", t)))
        service.chunk.connect(lambda _c, _m, t: self.order.append(("text", t)))
        service.replyStatus.connect(lambda _c, _m, t: self.status.append(t))
        service.messageChanged.connect(lambda m: self.finished.append(m.id))

    def joined(self, kind: str) -> str:
        return "".join(t for k, t in self.order if k == kind)


def ask(service: ChatService, run, text: str = QUESTION) -> int:
    conversation = service.new_conversation()
    assert service.send(conversation.id, text)
    run(wait_until(lambda: not service.is_streaming(conversation.id),
                   what="the reply to finish"))
    return conversation.id


@pytest.mark.parametrize("form", FORMS)
def test_each_form_streams_thinking_first_and_stores_it_apart(form, history, openai_server,
                                                              run, tmp_path):
    service = openai_service(history, openai_server.play_url("think", form=form, split="1"))
    heard = Heard(service)
    conversation_id = ask(service, run)
    assert heard.joined("think") == "".join(thought(30))
    assert heard.joined("text") == demo_reply(QUESTION)
    kinds = [k for k, _t in heard.order]
    assert kinds.index("text") > kinds.index("think")
    assert "text" not in kinds[:kinds.index("text")] and "think" not in kinds[
        kinds.index("text"):]  # all the thinking, then all the answer
    with sqlite3.connect(tmp_path / "history.sqlite3") as other:
        content, reasoning, ms, state = other.execute(
            "SELECT content, reasoning, reasoning_ms, state FROM messages"
            " WHERE role = 'assistant'").fetchone()
    assert (content, reasoning, state) == (demo_reply(QUESTION), "".join(thought(30)), "done")
    assert ms > 0
    reply = service.messages(conversation_id)[-1]
    assert reply.reasoning == "".join(thought(30)) and reply.reasoning_ms == ms


def test_thinking_is_saved_while_it_streams(history, openai_server, run, tmp_path):
    service = openai_service(history, openai_server.play_url("think", tokens=200, delay=0.03))
    conversation = service.new_conversation()
    service.send(conversation.id, QUESTION)

    def on_disk() -> tuple[str, str, str]:  # the row and the pieces saved beside it
        with sqlite3.connect(tmp_path / "history.sqlite3") as other:
            reply_id, state = other.execute("SELECT id, state FROM messages"
                                            " WHERE role = 'assistant'").fetchone()
            return (*partials.saved(other, reply_id), state)

    run(wait_until(lambda: on_disk()[1], what="a save while thinking"))
    content, reasoning, state = on_disk()
    assert state == "streaming" and content == ""
    assert "".join(thought(200)).startswith(reasoning)
    service.stop(conversation.id)
    run(wait_until(lambda: not service.is_streaming(conversation.id)))


def test_thinking_is_never_sent_back(history, openai_server, run):
    service = openai_service(history, openai_server.play_url("think", form="reasoning"))
    conversation_id = ask(service, run)
    assert service.send(conversation_id, "And at sunset?")
    run(wait_until(lambda: not service.is_streaming(conversation_id)))
    _first, second = chat_requests(openai_server)
    assert second.json["messages"] == [
        {"role": "user", "content": QUESTION},
        {"role": "assistant", "content": demo_reply(QUESTION)},
        {"role": "user", "content": "And at sunset?"}]
    assert thought(30)[2].encode() not in second.body  # "think" is in no message
    assert b"step by step" not in second.body and b"reasoning" not in second.body


def test_stopped_while_thinking_keeps_the_thinking_and_no_answer(history, openai_server, run,
                                                                 tmp_path):
    service = openai_service(history, openai_server.play_url("think", tokens=2000,
                                                             delay=0.02))
    heard = Heard(service)
    conversation = service.new_conversation()
    service.send(conversation.id, QUESTION)
    run(wait_until(lambda: heard.joined("think"), what="some thinking"))
    service.stop(conversation.id)
    run(wait_until(lambda: not service.is_streaming(conversation.id)))
    reply = service.messages(conversation.id)[-1]
    assert reply.state == MessageState.STOPPED and reply.content == ""
    assert reply.reasoning and "".join(thought(2000)).startswith(reply.reasoning)
    assert reply.reasoning_ms > 0 and not reply.continuable and reply.retryable


def test_length_cut_off_while_thinking(history, openai_server, run):
    service = openai_service(history, openai_server.play_url("think", answer=0))
    conversation_id = ask(service, run)
    reply = service.messages(conversation_id)[-1]
    assert reply.state == MessageState.CUT_OFF and reply.content == ""
    assert reply.reasoning == "".join(thought(30))


def test_retry_forgets_the_old_thinking(history, openai_server, run):
    service = openai_service(history, openai_server.play_url("think", answer=0))
    conversation_id = ask(service, run)
    service._engine._target_for = lambda _c: StreamTarget(  # the server now answers
        OpenAICompatible, "demo-model", {"base_url": openai_server.url})
    assert service.retry(conversation_id)
    run(wait_until(lambda: not service.is_streaming(conversation_id)))
    reply = service.messages(conversation_id)[-1]
    assert reply.state == MessageState.DONE and reply.content
    assert reply.reasoning == "" and reply.reasoning_ms == 0


def test_aiengine_thinking_and_status_reach_the_app(history, server, run):
    target = StreamTarget(Opchatgpts, options={"url": server.play_url("think")})
    service = ChatService(history, lambda _c: target)
    heard = Heard(service)
    conversation_id = ask(service, run)
    reply = service.messages(conversation_id)[-1]
    assert reply.reasoning == heard.joined("think") and len(reply.reasoning.split()) >= 10
    assert heard.status == ["Thinking about your question…", "Writing the answer"]
    assert reply.content == heard.joined("text") and reply.content


def test_export_import_search_and_markdown_carry_the_thinking(history, openai_server, run,
                                                               tmp_path):
    service = openai_service(history, openai_server.play_url("think"))
    conversation_id = ask(service, run)
    reply = service.messages(conversation_id)[-1]
    document = json.loads(json.dumps(export_document(history)))
    [record] = document["conversations"]
    exported = record["messages"][-1]
    assert exported["reasoning"] == reply.reasoning
    assert exported["reasoning_ms"] == reply.reasoning_ms
    assert "reasoning" not in record["messages"][0]  # the user's message never thought

    other = History.open(tmp_path / "other.sqlite3")
    try:
        assert import_records(other, validate(document)).added == 1
        [imported] = other.conversations()
        back = other.path_messages(other.active_path(imported.id))[-1]
        assert (back.content, back.reasoning, back.reasoning_ms) == (
            reply.content, reply.reasoning, reply.reasoning_ms)
        # Search in the copy: a word only the thinking holds finds the reply, snippet from it.
        [hit] = other.search("think")
        assert hit.message_id == back.id and hit.field == "reasoning"
        assert "\x02think\x03" in hit.snippet
        word = next(w for w in back.content.split() if w.isalpha() and len(w) > 3
                    and w.lower() not in back.reasoning.lower())
        [answer_hit] = other.search(word)
        assert answer_hit.field == "content" and answer_hit.message_id == back.id
    finally:
        other.close()

    markdown = to_markdown(history.conversation(conversation_id), service.messages(
        conversation_id))
    assert "<details>" in markdown and "<summary>Thought for " in markdown
    assert markdown.index("step by step") < markdown.index("</details>") < markdown.index(
        reply.content.splitlines()[-1])


def test_older_exports_without_thinking_still_import(history):
    document = {"format": "opchat-gui.conversations", "version": 2, "conversations": [{
        "uid": "old", "title": "old", "messages": [
            {"id": 1, "parent": None, "role": "user", "content": "hi"},
            {"id": 2, "parent": 1, "role": "assistant", "content": "hello"}]}]}
    assert import_records(history, validate(document)).added == 1
    [conversation] = history.conversations()
    reply = history.path_messages(history.active_path(conversation.id))[-1]
    assert (reply.content, reply.reasoning, reply.reasoning_ms) == ("hello", "", 0)


def test_bad_thinking_fields_are_refused_with_a_reason():
    base = {"format": "opchat-gui.conversations", "version": 2}
    for bad, words in (({"reasoning": 5}, "reasoning is not text"),
                       ({"reasoning": "x", "reasoning_ms": -3}, "reasoning_ms")):
        document = {**base, "conversations": [{"messages": [
            {"role": "assistant", "content": "a", **bad}]}]}
        with pytest.raises(ValueError, match=words):
            validate(document)
