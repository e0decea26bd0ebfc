"""Opchatgpts against the local AI Engine server over real HTTP: request, reply, failures."""

from __future__ import annotations

import asyncio
import re
import socket
from collections.abc import Iterator

import pytest

from opchat_gui.demo.aiengine_server import DevServer, ThreadedDevServer, demo_reply
from opchat_gui.providers import AsyncGeneratorProvider, Opchatgpts, ProviderError
from opchat_gui.providers.errors import (
    AuthError,
    CutOffError,
    HTTPStatusError,
    ProtocolError,
    ProviderTimeoutError,
    ServerError,
    UnreachableError,
)

MESSAGES = [
    {"role": "system", "content": "Be brief."},
    {"role": "user", "content": "Hi"},
    {"role": "assistant", "content": "Hello!"},
    {"role": "user", "content": "What is 2+2? Ответь по-русски."},
]


def run_async(coro):  # each test gets a fresh plain asyncio loop
    return asyncio.run(coro)


async def with_server(body, **kwargs):
    server = await DevServer(**kwargs).start()
    try:
        return await body(server)
    finally:
        await server.stop()


async def drain(url: str, **kwargs) -> tuple[list[str], BaseException | None]:
    chunks: list[str] = []
    try:
        async for chunk in Opchatgpts.create_async_generator("gpt-3.5-turbo", MESSAGES, url=url,
                                                             **kwargs):
            chunks.append(chunk)
    except ProviderError as exc:
        return chunks, exc
    return chunks, None


def test_class_contract():
    assert issubclass(Opchatgpts, AsyncGeneratorProvider)
    assert Opchatgpts.url == "https://opchatgpts.net"
    assert Opchatgpts.working is False
    assert Opchatgpts.supports_message_history is True
    assert Opchatgpts.supports_gpt_35_turbo is True
    assert issubclass(ProviderError, RuntimeError)


def test_request_matches_the_reference_field_by_field():
    async def body(server: DevServer):
        chunks, error = await drain(server.url)
        assert error is None
        return chunks, server.requests

    chunks, requests = run_async(with_server(body))
    [request] = requests
    assert request.method == "POST"
    assert request.path == "/wp-json/mwai-ui/v1/chats/submit"
    sent = request.json
    assert list(sent) == ["botId", "chatId", "contextId", "customId", "messages", "newMessage",
                          "session", "stream"]
    assert sent["botId"] == "default"
    assert re.fullmatch(r"[a-z0-9]{10}", sent["chatId"])
    assert sent["contextId"] == 28
    assert sent["customId"] is None
    assert sent["messages"] == MESSAGES
    assert sent["newMessage"] == MESSAGES[-1]["content"]
    assert sent["session"] == "N/A"
    assert sent["stream"] is True
    assert "gpt-3.5-turbo" not in request.body.decode()  # the model is not sent
    headers = request.headers
    origin = f"http://127.0.0.1:{headers['Host'].split(':')[1]}"
    assert headers["User-Agent"].startswith("Mozilla/5.0 (Windows NT 10.0; Win64; x64)")
    assert "Chrome/" in headers["User-Agent"]
    assert headers["Accept"] == "*/*"
    assert headers["Origin"] == origin
    assert headers["Referer"] == f"{origin}/chatgpt-free-use/"
    assert headers["Sec-Fetch-Dest"] == "empty"
    assert headers["Sec-Fetch-Mode"] == "cors"
    assert headers["Sec-Fetch-Site"] == "same-origin"
    assert headers["Content-Type"] == "application/json"
    assert "".join(chunks) == demo_reply(MESSAGES[-1]["content"])


def test_chat_ids_are_fresh_per_request():
    async def body(server: DevServer):
        await drain(server.url)
        await drain(server.url)
        return [r.json["chatId"] for r in server.requests]

    first, second = run_async(with_server(body))
    assert first != second


def test_yields_each_live_event_in_order():
    async def body(server: DevServer):
        return await drain(server.url)

    chunks, error = run_async(with_server(body))
    assert error is None
    assert len(chunks) > 20  # streamed, not one blob
    assert chunks[0] == "You "


def test_path_prefix_site_is_reached():
    async def body(server: DevServer):
        chunks, error = await drain(server.url + "/chatgpt")
        return chunks, error, server.requests[0].path

    chunks, error, path = run_async(with_server(body))
    assert error is None and chunks
    assert path == "/chatgpt/wp-json/mwai-ui/v1/chats/submit"


@pytest.mark.parametrize(
    ("scenario", "params", "error_type", "text", "partial"),
    [
        ("error", {"after": 3, "message": "cURL error 18: transfer closed"}, ServerError,
         "cURL error 18: transfer closed", 3),
        ("error", {"after": 0, "message": "upstream 500"}, ServerError, "upstream 500", 0),
        ("json-error", {"message": "No chatbot found"}, ServerError, "No chatbot found", 0),
        ("rejected", {}, ServerError, "Sorry, your query has been rejected.", 0),
        ("nonce", {}, AuthError, "rest_forbidden", 0),
        ("status", {"status": 500}, HTTPStatusError, "HTTP 500", 0),
        ("status", {"status": 502}, HTTPStatusError, "critical error on this website", 0),
        ("cutoff", {"after": 4}, CutOffError, "the reply was cut off", 4),
        ("drop", {"after": 2}, CutOffError, "the reply was cut off", 2),
        ("empty", {}, CutOffError, "the reply was cut off", 0),
        ("broken", {"after": 2}, ProtocolError, "Broken line: data: {not json", 2),
        ("broken", {"after": 1, "line": '{"data": "no type"}'}, ProtocolError,
         'Broken line: data: {"data": "no type"}', 1),
    ],
)
def test_failure_modes_raise_typed_errors_after_yielding_what_arrived(
        scenario, params, error_type, text, partial):
    async def body(server: DevServer):
        return await drain(server.play_url(scenario, **params))

    chunks, error = run_async(with_server(body))
    assert type(error) is error_type
    assert text in str(error)
    assert len(chunks) == partial
    assert error.user_message and "\n" not in error.user_message


def test_broken_line_is_a_runtime_error_as_in_the_reference():
    async def body(server: DevServer):
        return await drain(server.play_url("broken", after=0))

    _, error = run_async(with_server(body))
    assert isinstance(error, RuntimeError)
    assert str(error) == "Broken line: data: {not json"


def test_status_error_carries_status_and_a_tag_free_excerpt():
    async def body(server: DevServer):
        return await drain(server.play_url("status", status=503))

    _, error = run_async(with_server(body))
    assert isinstance(error, HTTPStatusError) and error.status == 503
    assert "<" not in error.excerpt and "critical error" in error.excerpt


def test_plain_json_reply_is_yielded():
    async def body(server: DevServer):
        return await drain(server.play_url("plain"))

    chunks, error = run_async(with_server(body))
    assert error is None
    assert "".join(chunks) == demo_reply(MESSAGES[-1]["content"])


def test_idle_read_timeout_is_settable():
    async def body(server: DevServer):
        return await drain(server.play_url("stall", after=2, stall=30), read_timeout=0.3)

    chunks, error = run_async(with_server(body))
    assert isinstance(error, ProviderTimeoutError)
    assert len(chunks) == 2
    assert "stopped answering" in error.user_message


@pytest.fixture
def black_hole() -> Iterator[int]:
    """A port whose accept queue is full, so new connections hang in the SYN stage."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port = listener.getsockname()[1]
    fillers = []
    for _ in range(8):
        filler = socket.socket()
        filler.setblocking(False)
        filler.connect_ex(("127.0.0.1", port))
        fillers.append(filler)
    yield port
    for filler in fillers:
        filler.close()
    listener.close()


def test_connect_timeout_is_settable(black_hole):
    chunks, error = run_async(drain(f"http://127.0.0.1:{black_hole}", connect_timeout=0.3))
    assert chunks == []
    assert isinstance(error, ProviderTimeoutError)
    assert "connect timeout" in str(error)


def test_refused_connection_is_unreachable():
    with socket.socket() as probe:  # a port that was free a moment ago
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    _, error = run_async(drain(f"http://127.0.0.1:{port}"))
    assert isinstance(error, UnreachableError)
    assert "connection refused" in error.user_message


def test_cancelling_the_consumer_closes_the_response_promptly():
    async def body(server: DevServer):
        received: list[str] = []

        async def consume() -> None:
            async for chunk in Opchatgpts.create_async_generator(
                    "", MESSAGES, url=server.play_url("slow", delay=0.05)):
                received.append(chunk)

        task = asyncio.create_task(consume())
        while not received:
            await asyncio.sleep(0.01)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        record = server.requests[0]
        for _ in range(500):  # the server notices on its next write
            if "client-gone" in record.events:
                break
            await asyncio.sleep(0.01)
        return received, record.events

    received, events = run_async(with_server(body))
    assert received
    assert "client-gone" in events and "done" not in events


def test_create_async_joins_the_stream():
    async def body(server: DevServer):
        return await Opchatgpts.create_async("", MESSAGES, url=server.url)

    assert run_async(with_server(body)) == demo_reply(MESSAGES[-1]["content"])


def test_create_completion_is_a_plain_generator():
    with ThreadedDevServer() as server:
        stream = Opchatgpts.create_completion("", MESSAGES, url=server.url)
        assert isinstance(stream, Iterator)
        assert "".join(stream) == demo_reply(MESSAGES[-1]["content"])


def test_create_completion_refuses_a_running_loop():
    async def body() -> None:
        with pytest.raises(RuntimeError, match="inside an event loop"):
            next(iter(Opchatgpts.create_completion("", MESSAGES, url="http://127.0.0.1:9")))

    run_async(body())


