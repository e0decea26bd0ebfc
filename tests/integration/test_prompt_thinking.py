"""Thinking the chat template opened in the prompt (DeepSeek-R1 distills, QwQ): the reply
streams it with no opening tag, then `</think>`, then the answer. Real HTTP to the local
OpenAI-compatible server's `think:form=prompt` scenario, a real SQLite file."""

from __future__ import annotations

import sqlite3

import pytest
from PySide6.QtCore import QObject

from opchat_gui.chat import ChatService, StreamTarget
from opchat_gui.demo.aiengine_server import demo_reply
from opchat_gui.demo.openai_server import thought
from opchat_gui.providers.openai_compat import OpenAICompatible
from opchat_gui.providers.reasoning import BARE_CLOSE_LIMIT, InlineThinking
from opchat_gui.store import History, MessageState
from tests.conftest import collect, wait_until

QUESTION = "Why is the sky blue?"
MESSAGES = [{"role": "user", "content": QUESTION}]
THOUGHT = "".join(thought(30))
NO_THINKING = {"chat_template_kwargs": {"enable_thinking": False}}


class Heard:
    """Everything the provider says, in order: ("text" | "think" | "moved", value)."""

    def __init__(self) -> None:
        self.order: list[tuple[str, object]] = []

    def options(self, *, opened: bool = False) -> dict[str, object]:
        return {"reasoning_sink": lambda t: self.order.append(("think", t)),
                "prompt_thinking_sink": lambda m: self.order.append(("moved", m)),
                "thinking_end_sink": lambda r: self.order.append(("ended", r)),
                "prompt_opens_thinking": opened}

    def sides(self) -> tuple[str, str]:
        """(answer, thinking) as a caller that follows the moves ends up holding them."""
        answer: list[str] = []
        thinking: list[str] = []
        for kind, value in self.order:
            if kind == "text":
                answer.append(str(value))
            elif kind == "think":
                thinking.append(str(value))
            elif kind == "moved" and value:
                thinking[:0] = answer
                answer.clear()
            elif kind == "moved":
                answer[:0] = thinking
                thinking.clear()
        return "".join(answer), "".join(thinking)


async def _reply(url: str, heard: Heard, messages=MESSAGES, **options: object) -> None:
    async for piece in OpenAICompatible.create_async_generator(
            "demo-large", messages, base_url=url, **{**heard.options(), **options}):
        heard.order.append(("text", piece))


@pytest.mark.parametrize("split", ["0", "1"])
@pytest.mark.parametrize("close", ["think", "thinking"])
def test_a_bare_closing_tag_moves_the_reply_so_far_into_thinking(split, close, openai_server,
                                                                  run):
    heard = Heard()
    run(_reply(openai_server.play_url("think", form="prompt", split=split, close=close),
               heard))
    answer, thinking = heard.sides()
    assert answer == demo_reply(QUESTION)
    assert thinking == THOUGHT + "\n"
    assert [v for k, v in heard.order if k == "moved"] == [True]  # once
    assert ("ended", "stop") not in heard.order and f"</{close}>" not in answer + thinking
    moved = heard.order.index(("moved", True))
    assert all(k == "text" for k, _v in heard.order[:moved])  # shown as answer until then
    after = [k for k, _v in heard.order[moved + 1:]]
    assert "think" not in after[after.index("text"):]  # then the rest of it, then the answer


def test_a_model_known_to_open_thinking_thinks_from_the_first_token(openai_server, run):
    heard = Heard()
    run(_reply(openai_server.play_url("think", form="prompt"), heard,
               prompt_opens_thinking=True))
    assert heard.order[0][0] == "think"
    assert ("moved", True) not in heard.order and ("moved", False) not in heard.order
    assert heard.sides() == (demo_reply(QUESTION), THOUGHT + "\n")


def test_a_presumed_block_that_never_closes_was_the_answer(openai_server, run):
    """Thinking switched off (the template closes an empty block in the prompt): no tag
    comes, so what was taken for thinking moves back to the answer."""
    heard = Heard()
    run(_reply(openai_server.play_url("think", form="prompt"), heard,
               prompt_opens_thinking=True, extra_body=NO_THINKING))
    assert heard.order[0][0] == "think"  # taken for thinking while it streamed
    assert heard.order[-1] == ("moved", False)
    assert heard.sides() == (demo_reply(QUESTION), "")
    assert not any(k == "ended" for k, _v in heard.order)  # not "stopped while thinking"


def test_a_presumed_block_cut_by_the_length_limit_stays_thinking(openai_server, run):
    heard = Heard()
    run(_reply(openai_server.play_url("think", form="prompt", answer="0"), heard,
               prompt_opens_thinking=True))
    assert heard.sides() == ("", THOUGHT)
    assert ("ended", "length") in heard.order and not any(k == "moved" for k, _ in
                                                           heard.order)


def test_a_server_that_splits_thinking_out_drops_the_presumption(openai_server, run):
    heard = Heard()
    run(_reply(openai_server.play_url("think", form="reasoning_content"), heard,
               prompt_opens_thinking=True))
    assert heard.sides() == (demo_reply(QUESTION), THOUGHT)
    assert not any(k == "moved" for k, _v in heard.order)


@pytest.mark.parametrize("question", ["What does </think> mean?", "</think>",
                                      "Close it with </thinking> then"])
def test_an_answer_that_writes_about_the_tag_is_left_alone(question, openai_server, run):
    heard = Heard()
    run(_reply(openai_server.play_url("demo"), heard,
               [{"role": "user", "content": question}]))
    assert heard.sides() == (demo_reply(question), "")
    assert not any(k == "moved" for k, _v in heard.order)


@pytest.mark.parametrize("text", [
    "Use `</think>`\nto close it.",  # quoted
    "```xml\n<a>\n</think>\n```\nDone.",  # inside a code fence
    "A <think> opens and\n</think>\ncloses.",  # an opening tag before it: written about
    "x" * (BARE_CLOSE_LIMIT + 1) + "\n</think>\nlate",  # too late
])
def test_tags_written_about_are_answer_text(text):
    """The rules the HTTP tests cannot reach with the demo reply, through the parser."""
    parser = InlineThinking(bare_close=True)
    pieces = [parser.feed(text[i:i + 7]) for i in range(0, len(text), 7)] + [parser.flush()]
    assert "".join(p.answer for p in pieces) == text
    assert not any(p.moved or p.reasoning for p in pieces)


def test_without_a_sink_the_old_behaviour_stays(openai_server, run):
    """A caller that cannot move text it was given (the plain gpt4free contract) gets
    the reply as the server sent it."""
    pieces = run(collect(OpenAICompatible.create_async_generator(
        "demo-large", MESSAGES, base_url=openai_server.play_url("think", form="prompt"))))
    assert "".join(pieces) == THOUGHT + "\n</think>\n\n" + demo_reply(QUESTION)


# Through ChatService: the stored reply, the memory per provider and model, the signals.


@pytest.fixture
def history(tmp_path):
    opened = History.open(tmp_path / "history.sqlite3")
    yield opened
    opened.close()


class Signals(QObject):
    def __init__(self, service: ChatService) -> None:
        super().__init__()
        self.order: list[tuple[str, object]] = []
        service.reasoning.connect(lambda _c, _m, t: self.order.append(("think", t)))
        service.chunk.connect(lambda _c, _m, t: self.order.append(("text", t)))
        service.thinkingMoved.connect(lambda _c, _m, s: self.order.append(("moved", s)))

    def clear(self) -> None:
        self.order.clear()


def stored(tmp_path) -> tuple[str, str, int, str]:
    with sqlite3.connect(tmp_path / "history.sqlite3") as other:
        row = other.execute("SELECT content, reasoning, reasoning_ms, state FROM messages "
                            "WHERE role = 'assistant' ORDER BY id DESC LIMIT 1").fetchone()
    return row


def test_the_service_moves_stores_and_remembers(history, openai_server, run, tmp_path):
    url = openai_server.play_url("think", form="prompt", split="1")
    extra: dict[str, object] = {}
    service = ChatService(history, lambda _c: StreamTarget(
        OpenAICompatible, "demo-large", {"base_url": url, **extra}, label="test"))
    heard = Signals(service)
    conversation = service.new_conversation()

    def ask(text: str = QUESTION) -> None:
        assert service.send(conversation.id, text)
        run(wait_until(lambda: not service.is_streaming(conversation.id),
                       what="the reply to finish"))

    ask()  # first: shown as answer until `</think>`, then moved
    content, reasoning, ms, state = stored(tmp_path)
    assert (content, reasoning, state) == (demo_reply(QUESTION), THOUGHT + "\n",
                                           MessageState.DONE.value)
    assert ms > 0
    kinds = [k for k, _v in heard.order]
    assert kinds.count("moved") == 1
    assert "think" not in kinds[:kinds.index("moved")]  # answer (if a frame showed it) first

    heard.clear()
    ask("And at sunset?")  # remembered: thinking from the first token, nothing moves
    assert heard.order[0][0] == "think" and not any(k == "moved" for k, _ in heard.order)
    content, reasoning, _ms, _state = stored(tmp_path)
    assert (content, reasoning) == (demo_reply("And at sunset?"), THOUGHT + "\n")

    heard.clear()
    extra["extra_body"] = NO_THINKING  # thinking off: no tag comes; it was the answer
    ask("Briefly?")
    assert ("moved", 0.0) in heard.order
    content, reasoning, ms, _state = stored(tmp_path)
    assert (content, reasoning, ms) == (demo_reply("Briefly?"), "", 0)

    heard.clear()
    ask("Again?")  # forgotten: the answer streams as answer from the start
    assert heard.order[0][0] == "text" and not any(k != "text" for k, _ in heard.order)


def test_continue_is_never_presumed_thinking(history, openai_server, run, tmp_path):
    """A remembered model's Continue goes on with the answer: it is not taken for
    thinking from its first token (a closing tag in it still moves what came before)."""
    url = openai_server.play_url("think", form="prompt", finish="length")
    service = ChatService(history, lambda _c: StreamTarget(
        OpenAICompatible, "demo-large", {"base_url": url}, label="test"))
    heard = Signals(service)
    conversation = service.new_conversation()
    assert service.send(conversation.id, QUESTION)
    run(wait_until(lambda: not service.is_streaming(conversation.id), what="the reply"))
    cut = service.messages(conversation.id)[-1]
    assert cut.state == MessageState.CUT_OFF and cut.content == demo_reply(QUESTION)
    assert service.continue_reply(conversation.id)  # remembered by now
    heard.clear()
    run(wait_until(lambda: not service.is_streaming(conversation.id), what="the rest"))
    kinds = [k for k, _v in heard.order]
    assert "moved" in kinds and "think" not in kinds[:kinds.index("moved")]
    content, reasoning, _ms, _state = stored(tmp_path)
    assert content.startswith(cut.content + "You asked:") and "</think>" not in content
    assert reasoning == THOUGHT + "\n\n\n" + THOUGHT + "\n"  # the kept, then the new


def test_a_restart_remembers_it(openai_server, run, tmp_path):
    """What one run learnt is in the history file: the next run's first reply of that
    provider and model is thinking from its first token."""
    url = openai_server.play_url("think", form="prompt")

    def one_reply(path) -> list[str]:
        history = History.open(path)
        try:
            service = ChatService(history, lambda _c: StreamTarget(
                OpenAICompatible, "demo-large", {"base_url": url}, label="test"))
            heard = Signals(service)
            conversation = service.new_conversation()
            assert service.send(conversation.id, QUESTION)
            run(wait_until(lambda: not service.is_streaming(conversation.id),
                           what="the reply"))
            assert service.messages(conversation.id)[-1].reasoning == THOUGHT + "\n"
            return [k for k, _v in heard.order]
        finally:
            history.close()

    assert "moved" in one_reply(tmp_path / "history.sqlite3")  # learnt
    kinds = one_reply(tmp_path / "history.sqlite3")  # a new run on the same file
    assert kinds[0] == "think" and "moved" not in kinds
    assert "moved" in one_reply(tmp_path / "other.sqlite3")  # another file knows nothing


def _sides(pieces: list[str], **options: bool) -> tuple[str, str]:
    """(answer, thinking) the parser gives for `pieces`, following its moves."""
    parser = InlineThinking(**options)
    answer: list[str] = []
    thinking: list[str] = []
    for split in [parser.feed(piece) for piece in pieces] + [parser.flush()]:
        if split.moved:
            thinking[:0], answer = answer, []
        thinking.append(split.reasoning)
        answer.append(split.answer)
    return "".join(answer), "".join(thinking)


def test_every_cut_of_a_bare_close_gives_the_same_two_texts():
    """The tag, a look-alike before it and a `<` anywhere: cut in two and three places,
    and one character at a time, the parser gives the same answer and thinking."""
    text = "Plan: a < b, then </thin x.\n</think>\n\nThe answer </think> here <"
    want = ("The answer </think> here <", "Plan: a < b, then </thin x.\n")
    assert _sides([text], bare_close=True) == want
    assert _sides(list(text), bare_close=True) == want
    for i in range(len(text) + 1):
        assert _sides([text[:i], text[i:]], bare_close=True) == want, i
        for j in range(i, len(text) + 1, 3):
            assert _sides([text[:i], text[i:j], text[j:]], bare_close=True) == want, (i, j)
