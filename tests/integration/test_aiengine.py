"""The general AI Engine client against the local server: nonce flow, shapes, end payload."""

from __future__ import annotations

import json

import pytest

from opchat_gui.chat import ChatService, StreamTarget
from opchat_gui.demo.aiengine_server import demo_reply
from opchat_gui.providers.aiengine import NONCES, AIEngine, Site, nonce_from_page
from opchat_gui.providers.errors import AuthError
from opchat_gui.providers.opchatgpts import USER_AGENT, Opchatgpts
from opchat_gui.store import History, MessageState
from tests.conftest import collect, wait_until

MESSAGES = [{"role": "user", "content": "first"}, {"role": "assistant", "content": "ok"},
            {"role": "user", "content": "second question"}]


def submits(server):
    return [r for r in server.requests if r.path.endswith("/chats/submit")]


def test_nonce_from_start_session_then_kept_and_refreshed_by_header(server, run):
    url = server.play_url("nonce")
    text = "".join(run(collect(AIEngine.create_async_generator("", MESSAGES, url=url))))
    assert text == demo_reply("second question")
    paths = [r.path.rsplit("/wp-json", 1)[1] for r in server.requests]
    assert paths == ["/mwai-ui/v1/chats/submit", "/mwai/v1/start_session",
                     "/mwai-ui/v1/chats/submit"]
    first, _, second = server.requests
    assert "X-WP-Nonce" not in first.headers
    assert second.headers["X-WP-Nonce"] == "demo-nonce-1"
    fresh = NONCES[url]
    assert fresh.startswith("demo-nonce-1-fresh")  # the X-WP-Nonce response header

    server.requests.clear()
    run(collect(AIEngine.create_async_generator("", MESSAGES, url=url)))
    [again] = server.requests  # no 401, no start_session: the kept nonce worked
    assert again.headers["X-WP-Nonce"] == fresh


def test_nonce_embedded_in_the_page_when_start_session_is_missing(server, run):
    url = server.play_url("nonce", via="page")
    text = "".join(run(collect(AIEngine.create_async_generator("", MESSAGES, url=url))))
    assert text == demo_reply("second question")
    kinds = [(r.method, r.path.rsplit("/", 1)[-1]) for r in server.requests]
    assert kinds[1] == ("POST", "start_session") and kinds[2][0] == "GET"
    assert submits(server)[-1].headers["X-WP-Nonce"] == "demo-nonce-1"


def test_expired_nonce_is_refetched_and_retried_once(server, run):
    url = server.play_url("nonce", refresh="none")
    run(collect(AIEngine.create_async_generator("", MESSAGES, url=url)))
    server.nonce = "demo-nonce-2"  # the site rotated its nonce: ours has expired
    server.requests.clear()
    text = "".join(run(collect(AIEngine.create_async_generator("", MESSAGES, url=url))))
    assert text == demo_reply("second question")
    [stale, fresh] = submits(server)
    assert stale.headers["X-WP-Nonce"] == "demo-nonce-1"
    assert fresh.headers["X-WP-Nonce"] == "demo-nonce-2"
    assert NONCES[url] == "demo-nonce-2"


def test_new_token_in_the_end_payload_is_honoured(server, run):
    url = server.play_url("nonce", refresh="token")
    usage: list[dict] = []
    run(collect(AIEngine.create_async_generator("", MESSAGES, url=url,
                                                usage_sink=usage.append)))
    assert NONCES[url] == "demo-nonce-1-fresh1"
    assert usage and usage[0]["prompt_tokens"] == 10
    server.requests.clear()
    run(collect(AIEngine.create_async_generator("", MESSAGES, url=url)))
    [submit] = submits(server)
    assert submit.headers["X-WP-Nonce"] == "demo-nonce-1-fresh1"


def test_a_second_refusal_is_an_auth_error_not_a_loop(server, run):
    url = server.play_url("nonce", accept="none")
    with pytest.raises(AuthError) as info:
        run(collect(AIEngine.create_async_generator("", MESSAGES, url=url)))
    assert len(submits(server)) == 2  # the first try and exactly one retry
    assert info.value.user_message == (
        "The server refused the request (HTTP 403: rest_cookie_invalid_nonce: Cookie check "
        "failed). Check the API key or site settings, then press Retry.")


def test_site_shapes_prefix_bot_and_custom_id(server, run):
    base = server.play_url("demo")
    run(collect(AIEngine.create_async_generator(
        "", MESSAGES, url=base, prefix="/chatgpt", bot_id="chatbot-7",
        custom_id="0123456789abcdef0123456789abcdef", new_shape=True)))
    [request] = server.requests
    assert request.path.endswith("/chatgpt/wp-json/mwai-ui/v1/chats/submit")
    body = request.json
    assert body["botId"] == "chatbot-7"
    assert body["customId"] == "0123456789abcdef0123456789abcdef"
    assert body["messages"] == MESSAGES[:-1]  # the newer shape: the new turn goes separately
    assert body["newMessage"] == "second question"
    assert Site(base).body(MESSAGES)["messages"] == MESSAGES[:-1]  # the default shape
    old = Site(base, new_shape=False).body(MESSAGES)
    assert old["messages"] == MESSAGES and old["newMessage"] == "second question"


def test_opchatgpts_preset_request_is_the_reference_request(server, run):
    run(collect(Opchatgpts.create_async_generator("gpt-3.5-turbo", MESSAGES, url=server.url)))
    [request] = server.requests
    body = json.loads(request.body)
    assert list(body) == ["botId", "chatId", "contextId", "customId", "messages", "newMessage",
                          "session", "stream"]
    assert body["botId"] == "default" and body["contextId"] == 28 and body["customId"] is None
    assert body["messages"] == MESSAGES and body["newMessage"] == "second question"
    assert body["session"] == "N/A" and body["stream"] is True
    assert len(body["chatId"]) == 10 and body["chatId"].isalnum()
    headers = request.headers
    assert headers["User-Agent"] == USER_AGENT
    assert headers["Accept"] == "*/*"
    assert headers["Origin"] == server.url
    assert headers["Referer"] == f"{server.url}/chatgpt-free-use/"
    assert (headers["Sec-Fetch-Dest"], headers["Sec-Fetch-Mode"],
            headers["Sec-Fetch-Site"]) == ("empty", "cors", "same-origin")
    assert "X-WP-Nonce" not in headers


def test_nonce_from_an_escaped_page():
    page = ('<div data-system="{&quot;botId&quot;:&quot;default&quot;,'
            '&quot;restNonce&quot;:&quot;a1b2c3d4e5&quot;}"></div>')
    assert nonce_from_page(page) == "a1b2c3d4e5"
    assert nonce_from_page("<html>no chatbot here</html>") is None


def test_final_reply_and_usage_reach_the_history(server, run, tmp_path, qapp):
    """Only content text streams; the `end` reply is what is stored, with its usage."""
    target = StreamTarget(AIEngine, options={"url": server.play_url("final")})
    history = History.open(tmp_path / "h.sqlite3")
    service = ChatService(history, lambda _c: target)
    streamed: list[str] = []
    service.chunk.connect(lambda _c, _m, text: streamed.append(text))
    conversation = service.new_conversation()
    service.send(conversation.id, "hi")
    run(wait_until(lambda: not service.is_streaming(conversation.id)))
    assert "".join(streamed) == "Draft text"  # thinking and status events are not text
    reply = service.messages(conversation.id)[-1]
    assert reply.state == MessageState.DONE
    assert reply.content == "The final reply."
    assert json.loads(reply.usage) == {"prompt_tokens": 7, "completion_tokens": 3,
                                       "total_tokens": 10}
    history.close()


def test_non_streaming_json_reply(server, run):
    text = "".join(run(collect(AIEngine.create_async_generator(
        "", MESSAGES, url=server.play_url("plain")))))
    assert text == demo_reply("second question")
