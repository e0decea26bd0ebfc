"""Model facts and token counts, asked of the local server imitating each real one."""

from __future__ import annotations

import json

import pytest

from opchat_gui.demo.openai_server import count_tokens as server_count
from opchat_gui.demo.openai_server import prompt_tokens
from opchat_gui.providers.model_facts import UNKNOWN, ModelFacts, model_facts
from opchat_gui.providers.openai_compat import OpenAICompatible, list_model_infos, list_models
from opchat_gui.providers.tokens import (
    Calibration,
    count_tokens,
    count_tools,
    estimate_messages,
)
from tests.conftest import collect
from tests.proxy_server import closed_port

CTX = 8192
EXPECTED = {
    ("llamacpp", "demo-model"): ModelFacts(CTX, None, False, False),
    ("ollama", "demo-model"): ModelFacts(CTX, False, False, True),
    ("ollama", "demo-large"): ModelFacts(CTX * 4, True, True, True),
    ("openrouter", "demo-model"): ModelFacts(CTX, False, False, True),
    ("openrouter", "demo-large"): ModelFacts(CTX * 4, True, True, True),
    ("lmstudio", "demo-model"): ModelFacts(CTX, None, False, True),
    ("lmstudio", "demo-large"): ModelFacts(CTX * 4, None, True, True),
}


def bare(facts: ModelFacts) -> ModelFacts:
    return ModelFacts(facts.context_length, facts.thinks, facts.vision, facts.tools)


@pytest.mark.parametrize(("kind", "model"), sorted(EXPECTED))
def test_each_server_shape_tells_its_facts(kind, model, openai_server, run):
    url = openai_server.play_url("demo", server=kind, ctx=CTX)
    facts = run(model_facts(url, model, api_key="sk-test"))
    assert bare(facts) == EXPECTED[kind, model]
    assert facts.known and facts.source
    assert all(r.headers.get("Authorization") == "Bearer sk-test"
               for r in openai_server.requests)


def test_a_plain_server_without_those_routes_gives_unknown(openai_server, run):
    assert run(model_facts(openai_server.url, "demo-model")) == UNKNOWN
    asked = {r.path for r in openai_server.requests}
    assert asked == {"/props", "/api/show", "/api/v0/models", "/v1/models"}


def test_nothing_listening_gives_unknown(run):
    assert run(model_facts(f"http://127.0.0.1:{closed_port()}/v1", "m")) == UNKNOWN


def test_a_server_that_never_answers_gives_unknown_after_the_timeout(openai_server, run):
    url = openai_server.play_url("stall", stall=3600)  # /models hangs, the rest is 404
    assert run(model_facts(url, "demo-model", timeout=0.3)) == UNKNOWN


def test_model_list_carries_context_length_and_thinking(openai_server, run):
    infos = run(list_model_infos(openai_server.play_url("demo", server="openrouter",
                                                        ctx=CTX)))
    facts = {info.id: bare(info.facts) for info in infos}
    assert facts == {"demo-model": EXPECTED["openrouter", "demo-model"],
                     "demo-large": EXPECTED["openrouter", "demo-large"]}
    llama = run(list_model_infos(openai_server.play_url("demo", server="llamacpp", ctx=CTX)))
    assert [info.facts.context_length for info in llama] == [CTX, CTX]
    plain = run(list_model_infos(openai_server.url))
    assert [info.facts for info in plain] == [UNKNOWN, UNKNOWN]
    assert run(list_models(openai_server.url)) == ["demo-large", "demo-model"]


def test_tokenize_where_the_server_has_it(openai_server, run):
    text = "Hello, world! Привет, мир."
    url = openai_server.play_url("demo", server="llamacpp")
    assert run(count_tokens(url, text)) == server_count(text)
    assert openai_server.requests[-1].json == {"content": text}
    assert run(count_tokens(openai_server.url, text)) is None
    assert run(count_tokens(f"http://127.0.0.1:{closed_port()}/v1", text)) is None


def test_what_tools_add_to_a_prompt_is_counted_where_the_server_applies_its_template(
        openai_server, run):
    """llama.cpp: the template applied with and without the tools, each counted; a real
    llama-server put mcp-server-time's two at ~940 tokens where their JSON alone is ~550."""
    tools = [{"type": "function", "function": {
        "name": "get_time", "description": "The time in a zone, now.",
        "parameters": {"type": "object", "properties": {"zone": {"type": "string"}}}}}]
    url = openai_server.play_url("demo", server="llamacpp")
    # The local server writes the tools' JSON and a line break before the messages.
    assert run(count_tools(url, tools)) == server_count(json.dumps(tools) + "\n")
    applied = [r.json for r in openai_server.requests if r.path.endswith("/apply-template")]
    assert applied == [{"messages": [{"role": "user", "content": "hi"}], "tools": tools},
                       {"messages": [{"role": "user", "content": "hi"}]}]
    assert run(count_tools(openai_server.url, tools)) is None  # no such route there
    assert run(count_tools(f"http://127.0.0.1:{closed_port()}/v1", tools)) is None


def test_the_estimate_learns_from_the_usage_the_server_reports(openai_server, run):
    messages = [{"role": "system", "content": "Be brief."},
                {"role": "user", "content": "Why is the sky blue? " * 20}]
    usage: list[dict] = []
    run(collect(OpenAICompatible.create_async_generator(
        "demo-model", messages, base_url=openai_server.url, usage_sink=usage.append)))
    reported = usage[0]["prompt_tokens"]
    assert reported == prompt_tokens({"messages": messages})
    calibration = Calibration()
    estimated = estimate_messages(messages)
    assert calibration.estimate("local", "demo-model", messages) == estimated != reported
    calibration.observe("local", "demo-model", estimated, usage[0])
    assert calibration.estimate("local", "demo-model", messages) == reported
    assert calibration.estimate("local", "other-model", messages) == estimated
