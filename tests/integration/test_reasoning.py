"""Thinking, in every form servers send it, kept apart from the answer (real HTTP)."""

from __future__ import annotations

import pytest

from opchat_gui.demo.aiengine_server import demo_reply, tokenize
from opchat_gui.demo.openai_server import thought
from opchat_gui.providers.aiengine import AIEngine
from opchat_gui.providers.errors import CutOffError
from opchat_gui.providers.opchatgpts import Opchatgpts
from opchat_gui.providers.openai_compat import OpenAICompatible
from tests.conftest import collect

QUESTION = "Why is the sky blue?"
MESSAGES = [{"role": "user", "content": QUESTION}]
ANSWER = demo_reply(QUESTION)
FORMS = ["reasoning_content", "reasoning", "think", "thinking"]


class Sinks:
    """What a caller hears besides the answer text."""

    def __init__(self) -> None:
        self.reasoning: list[str] = []
        self.finish: list[str] = []
        self.ended_thinking: list[str] = []
        self.status: list[str] = []

    def options(self) -> dict[str, object]:
        return {"reasoning_sink": self.reasoning.append, "finish_sink": self.finish.append,
                "thinking_end_sink": self.ended_thinking.append,
                "status_sink": self.status.append}


def openai_reply(run, url: str, sinks: Sinks, messages=MESSAGES) -> list[str]:
    return run(collect(OpenAICompatible.create_async_generator(
        "demo-large", messages, base_url=url, **sinks.options())))


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("split", ["0", "1"])
def test_each_form_yields_only_the_answer_and_sends_thinking_to_the_sink(
        form, split, openai_server, run):
    sinks = Sinks()
    pieces = openai_reply(run, openai_server.play_url("think", form=form, split=split), sinks)
    assert all(isinstance(piece, str) for piece in pieces)
    assert "".join(pieces) == ANSWER
    assert "".join(sinks.reasoning) == "".join(thought(30))
    assert len(sinks.reasoning) > 1  # piece by piece, as it arrives
    assert sinks.finish == ["stop"] and sinks.ended_thinking == []


@pytest.mark.parametrize("form", FORMS)
def test_a_reply_that_stopped_while_thinking_says_so(form, openai_server, run):
    sinks = Sinks()
    pieces = openai_reply(run, openai_server.play_url("think", form=form, answer=0), sinks)
    assert "".join(pieces) == ""
    assert "".join(sinks.reasoning) == "".join(thought(30))
    assert sinks.finish == ["length"] and sinks.ended_thinking == ["length"]


def test_a_model_that_ends_its_thought_with_stop_and_no_answer(openai_server, run):
    sinks = Sinks()
    openai_reply(run, openai_server.play_url("think", answer=0, finish="stop"), sinks)
    assert sinks.ended_thinking == ["stop"]


def test_twenty_thousand_thinking_tokens_before_the_answer(openai_server, run):
    sinks = Sinks()
    pieces = openai_reply(run, openai_server.play_url("think", form="think", tokens=20_000),
                          sinks)
    assert "".join(pieces) == ANSWER
    assert "".join(sinks.reasoning) == "".join(thought(20_000))
    assert "<think>" not in "".join(pieces) and "</think>" not in "".join(sinks.reasoning)


def test_reasoning_is_never_sent_back(openai_server, run):
    """A history that carries reasoning (a stored field, or an old reply stored raw with
    its think block) goes out as role and content only, without the thinking."""
    history = [
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": "first", "id": "7"},
        {"role": "assistant", "content": "<think>\nsecret plan\n</think>\n\nThe answer.",
         "reasoning": "secret plan", "reasoning_content": "secret plan"},
        {"role": "user", "content": QUESTION},
    ]
    openai_reply(run, openai_server.play_url("think"), Sinks(), history)
    [request] = openai_server.requests
    assert request.json["messages"] == [
        {"role": "system", "content": "Be brief."}, {"role": "user", "content": "first"},
        {"role": "assistant", "content": "The answer."}, {"role": "user", "content": QUESTION}]
    assert b"secret plan" not in request.body


def test_thinking_the_prompt_opened_is_not_sent_back_either(openai_server, run):
    """An old reply of such a model stored raw (thinking, a bare closing tag, the answer)
    goes back as its answer only; one that writes about the tag goes back whole."""
    about = "Close the block with `</think>`\nand go on."
    history = [
        {"role": "user", "content": "first"},
        {"role": "assistant", "content": "secret plan, step by step.\n</think>\n\nThe answer."},
        {"role": "user", "content": "second"},
        {"role": "assistant", "content": about},
        {"role": "user", "content": QUESTION},
    ]
    openai_reply(run, openai_server.play_url("think"), Sinks(), history)
    [request] = openai_server.requests
    assert [m["content"] for m in request.json["messages"]] == [
        "first", "The answer.", "second", about, QUESTION]
    assert b"secret plan" not in request.body


def test_aiengine_sites_never_get_reasoning_back_either(server, run):
    history = [{"role": "user", "content": "first"},
               {"role": "assistant", "content": "<think>secret plan</think>Fine.",
                "reasoning": "secret plan"},
               {"role": "user", "content": QUESTION, "reasoning": "x"}]
    for provider, options in ((AIEngine, {"url": server.play_url("demo")}),
                              (Opchatgpts, {"url": server.play_url("demo")})):
        run(collect(provider.create_async_generator("", history, **options)))
    for request in server.requests:
        assert b"secret plan" not in request.body
        assert all(set(m) == {"role", "content"} for m in request.json["messages"])
        assert request.json["newMessage"] == QUESTION


def test_aiengine_thinking_and_status_events(server, run):
    sinks = Sinks()
    pieces = run(collect(AIEngine.create_async_generator(
        "", MESSAGES, url=server.play_url("think"), **sinks.options())))
    assert "".join(pieces) == ANSWER  # no thinking, tool call or debug text in it
    words = tokenize("Let me think about this step by step. ")
    assert sinks.reasoning == [words[n % len(words)] for n in range(20)]
    assert sinks.status == ["Thinking about your question…", "Writing the answer"]
    assert sinks.ended_thinking == []


def test_aiengine_reply_that_stopped_while_thinking(server, run):
    sinks = Sinks()
    pieces = run(collect(AIEngine.create_async_generator(
        "", MESSAGES, url=server.play_url("think", answer=0), **sinks.options())))
    assert pieces == [] and sinks.reasoning and sinks.ended_thinking == [""]


def test_the_opchatgpts_preset_routes_thinking_too(server, run):
    sinks = Sinks()
    options = sinks.options()
    del options["thinking_end_sink"], options["finish_sink"]
    pieces = run(collect(Opchatgpts.create_async_generator(
        "", MESSAGES, url=server.play_url("think"), **options)))
    assert "".join(pieces) == ANSWER and len(sinks.reasoning) == 20 and sinks.status


def test_a_drop_while_thinking_is_a_cut_off_reply_not_an_unreachable_server(openai_server,
                                                                             run):
    """Thinking is progress: after it, a torn connection means the reply was cut off."""
    sinks = Sinks()
    with pytest.raises(CutOffError):
        openai_reply(run, openai_server.play_url("think", drop=5), sinks)
    assert "".join(sinks.reasoning) == "".join(thought(5))
    assert sinks.ended_thinking == []  # cut off is its own ending, not "stopped thinking"
