"""Models that cannot call tools (issue 17), through the real window and real HTTP to the
local OpenAI-compatible server: calls written as text (read when unambiguous), calls that
cannot be read, llama-server without --jinja, and servers that say beforehand that the
model calls no tools (llama.cpp /props, Ollama /api/show). Each is said once, and the
conversation goes on."""

from __future__ import annotations

import json
import sys

import pytest
from PySide6.QtCore import QLocale

from opchat_gui.core.messages import tool_info
from opchat_gui.demo.openai_server import prompt_tokens
from opchat_gui.providers.tokens import RATIO_LIMITS, estimate_messages
from opchat_gui.store import MessageState
from tests.e2e.test_app_keys import type_and_send
from tests.e2e.test_tool_calls import HELPER, branch, completions, wait, write_servers


def chat(open_app, data_dir, server, url: str, *, always: bool = True):
    write_servers(data_dir, {"test": {"command": sys.executable, "args": [HELPER],
                                      **({"alwaysAllow": ["echo"]} if always else {})}})
    session = open_app("--url", server.url)
    entry = session.providers.save({"name": "Local", "kind": "openai", "model": "demo-model",
                                    "url": url})
    session.providers.set_default(entry.id)
    return session


def send(session, run, text: str) -> None:
    type_and_send(session.window, text)
    wait(run, lambda: session.window.current_id is not None
         and not session.service.busy(), "the reply")


@pytest.mark.parametrize("form", ["hermes", "mistral", "mistral11", "llama", "json"])
def test_calls_written_as_text_are_read_run_and_said_once(form, open_app, data_dir, server,
                                                          openai_server, run):
    session = chat(open_app, data_dir, server,
                   openai_server.play_url("tools", kind="text", form=form))
    window = session.window
    send(session, run, "say hello through the tool")
    messages = branch(session)
    assert [m.role for m in messages] == ["user", "assistant", "tool", "assistant"]
    caller, result, answer = messages[1:]
    call = json.loads(caller.tool_calls)[0]
    assert call["function"]["name"] == "echo"
    assert json.loads(call["function"]["arguments"]) == {"text": "hello from the model"}
    assert not any(marker in caller.content for marker in
                   ("<tool_call>", "[TOOL_CALLS]", "<|python_tag|>", '"parameters"'))
    assert result.content == "hello from the model" and result.state == MessageState.DONE
    assert "hello from the model" in answer.content
    # The next request carried the call as a real one, and its result.
    sent = completions(openai_server)[1]["messages"]
    assert sent[-2]["tool_calls"][0]["id"] == call["id"]
    assert sent[-1] == {"role": "tool", "tool_call_id": call["id"],
                        "content": "hello from the model"}
    text = window.transcript.toPlainText()
    assert "Tool calls read from text" in text and "Called echo on test" in text
    assert session.service.tools_note(window.current_id) == ""  # tools stay on

    send(session, run, "and again")
    assert branch(session)[-2].content == "hello from the model"
    assert window.transcript.toPlainText().count("Tool calls read from text") == 1


def test_a_call_written_as_text_that_cannot_be_read_stops_tools_for_the_model(
        open_app, data_dir, server, openai_server, run):
    session = chat(open_app, data_dir, server,
                   openai_server.play_url("tools", kind="text", form="garbled"))
    window = session.window
    send(session, run, "say hello through the tool")
    messages = branch(session)
    assert [m.role for m in messages] == ["user", "assistant"]  # nothing ran
    assert "<tool_call>" in messages[-1].content  # kept as the model wrote it
    assert tool_info(messages[-1])["tools_unreadable"] == "<tool_call>"
    text = window.transcript.toPlainText()
    assert "The model wrote a tool call as text (<tool_call>) that could not be read" in text
    assert session.service.tools_note(window.current_id) == "refused"
    assert "no tools" in window.header.target.text()

    send(session, run, "hello again")
    assert "tools" not in completions(openai_server)[-1]
    assert branch(session)[-1].state == MessageState.DONE
    assert window.transcript.toPlainText().count("could not be read") == 1


def test_llama_server_without_jinja_is_named(open_app, data_dir, server, openai_server, run):
    session = chat(open_app, data_dir, server,
                   openai_server.play_url("tools", kind="nojinja"))
    window = session.window
    send(session, run, "hello")
    assert ["tools" in body for body in completions(openai_server)] == [True, False]
    assert branch(session)[-1].state == MessageState.DONE and branch(session)[-1].content
    text = window.transcript.toPlainText()
    assert "The server refused tools" in text and "started with --jinja" in text


@pytest.mark.parametrize(("kind", "source"), [("llamacpp", "llama.cpp /props"),
                                              ("ollama", "Ollama /api/show")])
def test_a_server_that_says_the_model_calls_no_tools_is_not_offered_them(
        kind, source, open_app, data_dir, server, openai_server, run):
    session = chat(open_app, data_dir, server,
                   openai_server.play_url("tools", kind="echo", server=kind, tools=0))
    window = session.window
    send(session, run, "hello")
    assert "tools" not in completions(openai_server)[0]
    assert session.service.tools.host.connection("test").pid is None  # nothing started
    reply = branch(session)[-1]
    assert reply.state == MessageState.DONE and tool_info(reply)["tools_unsupported"] == source
    assert f"The server says this model cannot call tools ({source})" in \
        window.transcript.toPlainText()
    assert session.service.tools_note(window.current_id) == "refused"

    # Another model (here: another server entry) for the same conversation is offered them.
    able = session.providers.save({"name": "Able", "kind": "openai", "model": "demo-model",
                                   "url": openai_server.play_url("tools", kind="echo",
                                                                 server=kind, tools=1)})
    session.service.set_target(window.current_id, able.id, "demo-model")
    assert session.service.tools_note(window.current_id) == ""
    send(session, run, "now with tools")
    assert "tools" in completions(openai_server)[1]
    assert branch(session)[-2].content == "hello from the model"


def test_the_tools_count_when_the_context_is_trimmed(open_app, data_dir, server,
                                                     openai_server, run):
    """llama-server writes the tools into the prompt (mcp-server-time's two: 950 tokens
    of its 2048): a conversation that fits without them is trimmed so it fits with them,
    and the server, counting them too, accepts it."""
    ctx = 2400
    session = chat(open_app, data_dir, server, openai_server.play_url(
        "tools", kind="echo", server="llamacpp", tools=1, ctx=ctx))
    history = session.service.history
    conversation = history.create_conversation(provider=session.providers.config.default().id,
                                               model="demo-model")
    for n in range(8):  # the server counts about 8 * 2 * 105 tokens: these fit alone
        _user, reply = history.add_exchange(conversation.id, f"question {n} " + "word " * 50)
        history.update_message(reply.id, content=f"answer {n} " + "word " * 50,
                               state=MessageState.DONE)
    assert session.service.send(conversation.id, "say hello through the tool")
    wait(run, lambda: not session.service.is_streaming(conversation.id), "the reply")
    first = completions(openai_server)[0]
    assert first["tools"]
    assert prompt_tokens(first) <= ctx  # the server's own count, tools included
    assert first["messages"][-1]["content"] == "say hello through the tool"
    assert len(first["messages"]) < 17  # older turns went to make room for the tools
    reply = session.service.messages(conversation.id)[-1]
    assert reply.state == MessageState.DONE, reply.error


def test_a_reply_sent_again_without_tools_is_calibrated_without_them(
        open_app, data_dir, server, openai_server, run):
    """The usage of a request the server took only without tools (llama-server without
    --jinja) counts no tools: the token ratio learnt from it is the messages' own."""
    session = chat(open_app, data_dir, server, openai_server.play_url("tools", kind="nojinja"))
    send(session, run, "hello " + "there, and a few more words " * 8)
    first, second = completions(openai_server)
    assert "tools" in first and "tools" not in second
    [ratio] = session.service.context.calibration.ratios.values()
    seen = prompt_tokens(second) / estimate_messages(second["messages"])
    assert ratio == pytest.approx(min(max(seen, RATIO_LIMITS[0]), RATIO_LIMITS[1]), rel=0.01)


def test_the_status_line_counts_the_tools_the_last_request_carried(
        open_app, data_dir, server, openai_server, run):
    session = chat(open_app, data_dir, server, openai_server.play_url(
        "tools", kind="echo", server="llamacpp", tools=1))
    window = session.window
    send(session, run, "say hello through the tool")
    first = completions(openai_server)[0]
    tools = prompt_tokens(first) - prompt_tokens({"messages": first["messages"]})
    assert tools > 500  # the test server's tools, as the server counts them
    estimate = session.service.context.estimate(window.current_id)
    assert estimate is not None and tools < estimate.tokens < tools + 400
    assert f"≈ {QLocale().toString(estimate.tokens)} / " in window.context_status.text()
