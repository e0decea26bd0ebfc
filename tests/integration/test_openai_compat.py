"""The OpenAI-compatible client against the local OpenAI-compatible server."""

from __future__ import annotations

import socket

from opchat_gui.demo.aiengine_server import demo_reply
from opchat_gui.demo.openai_server import MODELS, OpenAIDevServer, prompt_tokens
from opchat_gui.providers.openai_compat import (
    PRESETS_BY_KEY,
    OpenAICompatible,
    list_models,
    probe,
)
from tests.conftest import collect
from tests.proxy_server import closed_port

MESSAGES = [{"role": "system", "content": "Be brief."},
            {"role": "user", "content": "Why is the sky blue?"}]
ANSWER = demo_reply("Why is the sky blue?")


def stream(base: str, **options) -> list[str]:
    return collect(OpenAICompatible.create_async_generator("demo-model", MESSAGES,
                                                           base_url=base, **options))


def test_stream_with_role_chunk_finish_chunk_usage_and_done(openai_server, run):
    usage: list[dict] = []
    text = "".join(run(stream(openai_server.play_url("demo", ping=3),
                              usage_sink=usage.append, api_key="sk-test")))
    assert text == ANSWER
    assert usage and usage[0]["prompt_tokens"] == prompt_tokens({"messages": MESSAGES})
    [request] = openai_server.requests
    assert request.path.endswith("/v1/chat/completions")
    assert request.headers["Authorization"] == "Bearer sk-test"
    assert request.json["model"] == "demo-model" and request.json["stream"] is True
    assert request.json["messages"] == MESSAGES


def test_no_key_means_no_authorization_header(openai_server, run):
    run(stream(openai_server.url))
    assert "Authorization" not in openai_server.requests[0].headers


def test_split_mid_line_and_mid_utf8_with_escaped_and_raw_text(openai_server, run):
    text = "".join(run(stream(openai_server.play_url("split", size=2))))
    assert text.startswith("Привет, мир! ✓ Ünïcödé 🙂 ")
    assert text.endswith(ANSWER)


def test_missing_done_after_a_finish_reason_is_still_complete(openai_server, run):
    assert "".join(run(stream(openai_server.play_url("demo", done=0)))) == ANSWER


def test_whole_completion_when_the_server_ignores_stream(openai_server, run):
    usage: list[dict] = []
    text = "".join(run(stream(openai_server.play_url("plain"), usage_sink=usage.append)))
    assert text == ANSWER and usage[0]["completion_tokens"] == 40


def test_model_list(openai_server, run):
    assert run(list_models(openai_server.url)) == sorted(MODELS)


def test_probe_offers_only_what_answers_on_loopback(run):
    async def scenario():
        live = await OpenAIDevServer().start()
        silent = socket.socket()  # accepts connections (kernel backlog), never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        silent_port = silent.getsockname()[1]
        try:
            found = await probe([
                ("live", live.url),
                ("down", f"http://127.0.0.1:{closed_port()}/v1"),
                ("silent", f"http://127.0.0.1:{silent_port}/v1"),
                ("remote", "https://api.openai.com/v1"),  # never probed: not loopback
            ])
        finally:
            silent.close()
            await live.stop()
        return found, len(live.requests)

    found, asked = run(scenario())
    assert found == [("live", sorted(MODELS))]
    assert asked == 1


def test_presets():
    assert PRESETS_BY_KEY["ollama"].base_url == "http://localhost:11434/v1"
    assert PRESETS_BY_KEY["lmstudio"].base_url == "http://localhost:1234/v1"
    assert PRESETS_BY_KEY["llamacpp"].base_url == "http://localhost:8080/v1"
    assert PRESETS_BY_KEY["openai"].needs_key and PRESETS_BY_KEY["openrouter"].needs_key
