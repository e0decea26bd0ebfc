"""The general AI Engine client against the dev server playing the real plugin (issue 11).

Each turn reaching the model once, bodies that arrive in small pieces, the chatbot page,
rejections and HTML error pages, all over real HTTP on 127.0.0.1.
"""

from __future__ import annotations

import json

import pytest

from opchat_gui.chat import ChatService
from opchat_gui.config.keystore import NO_KEYRING_ENV, SecretStore
from opchat_gui.config.provider_entries import ProviderConfig, ProviderEntry
from opchat_gui.demo.aiengine_server import DevServer, demo_reply
from opchat_gui.providers.aiengine import AIEngine, Site
from opchat_gui.providers.errors import (
    AuthError,
    HTTPStatusError,
    InputTooLongError,
    NothingToSendError,
    ProviderError,
    RejectedError,
)
from opchat_gui.providers.opchatgpts import Opchatgpts
from opchat_gui.providers.openai_compat import OpenAICompatible
from opchat_gui.store import History, MessageState
from tests.conftest import collect, wait_until

MESSAGES = [{"role": "user", "content": "first"}, {"role": "assistant", "content": "ok"},
            {"role": "user", "content": "second question"}]
REJECTED_SENTENCE = (
    "The site refused this message (Sorry, your query has been rejected). It may be longer "
    "than the bot's input limit, empty, or meant for a bot the site does not have. Shorten "
    "the message, or check the bot id in the provider settings.")


@pytest.fixture
def config(tmp_path, monkeypatch) -> ProviderConfig:
    monkeypatch.setenv(NO_KEYRING_ENV, "1")
    return ProviderConfig.load(tmp_path / "config", SecretStore(tmp_path / "config"))


def gets(server: DevServer) -> list[str]:
    return [r.path for r in server.requests if r.method == "GET"]


def submits(server: DevServer) -> list:
    return [r for r in server.requests if r.path.endswith("/chats/submit")]


# 1. Each turn reaches the model once


@pytest.mark.parametrize("version", ["1.9", "2.4.4", "3.6"])
def test_each_turn_reaches_the_model_once_over_a_conversation(version, server, config, run,
                                                              tmp_path, qapp):
    """Through the app's own path: a site entry as --url makes it, ChatService, the plugin."""
    entry = config.ensure_site(server.play_url("plugin", version=version))
    history = History.open(tmp_path / "h.sqlite3")
    service = ChatService(history, lambda c: config.target_for(c.provider or entry.id))
    conversation = service.new_conversation()
    service.set_system_prompt(conversation.id, "Be brief.")
    expected = [{"role": "system", "content": "Be brief."}]
    for question in ("What is 2+2?", "And 3+3?", "Thanks!"):
        assert service.send(conversation.id, question)
        run(wait_until(lambda: not service.is_streaming(conversation.id)))
        expected.append({"role": "user", "content": question})
        assert server.model_prompts[-1] == expected  # every turn once, in order
        reply = service.messages(conversation.id)[-1]
        assert reply.state == MessageState.DONE and reply.content == demo_reply(question)
        expected.append({"role": "assistant", "content": reply.content})
    assert len(server.model_prompts) == 3
    history.close()


def test_the_old_shape_shows_the_modern_plugin_each_new_turn_twice(server, run):
    """Why the default changed: the plugin appends newMessage to messages (2.4+)."""
    url = server.play_url("plugin", version="3.6")
    run(collect(AIEngine.create_async_generator("", MESSAGES, url=url, new_shape=False)))
    run(collect(AIEngine.create_async_generator("", MESSAGES, url=url)))
    twice, once = server.model_prompts
    assert twice == [*MESSAGES, MESSAGES[-1]]
    assert once == MESSAGES


def test_saved_site_entries_move_to_the_new_shape_but_the_preset_does_not(tmp_path,
                                                                         monkeypatch):
    monkeypatch.setenv(NO_KEYRING_ENV, "1")
    folder = tmp_path / "config"
    folder.mkdir()
    old = {"version": 1, "default": "site", "providers": [
        {"id": "site", "name": "Site", "kind": "aiengine", "url": "https://example.org",
         "new_shape": False},
        {"id": "bare", "name": "No shape saved", "kind": "aiengine",
         "url": "https://example.net"},
        {"id": "preset-site", "name": "Old Opchatgpts", "kind": "aiengine",
         "url": "https://opchatgpts.net", "new_shape": False},
        {"id": "opchatgpts", "name": "AI Engine (Opchatgpts)", "kind": "opchatgpts",
         "url": "", "new_shape": False},
    ]}
    (folder / "providers.json").write_text(json.dumps(old), encoding="utf-8")
    config = ProviderConfig.load(folder, SecretStore(folder))
    shapes = {entry.id: entry.new_shape for entry in config.entries}
    assert shapes == {"site": True, "bare": True, "preset-site": False, "opchatgpts": False}
    assert config.get("site").max_input_chars == 512
    assert config.target_for("site").options["new_shape"] is True
    assert config.target_for("opchatgpts").provider is Opchatgpts
    saved = json.loads((folder / "providers.json").read_text(encoding="utf-8"))
    assert saved["version"] == 2  # migrated once, on disk
    assert [p["new_shape"] for p in saved["providers"]] == [True, True, False, False]
    # A user who turns it off after the migration keeps it off.
    config.put(ProviderEntry("site", "Site", "aiengine", "https://example.org",
                             new_shape=False))
    again = ProviderConfig.load(folder, SecretStore(folder))
    assert again.get("site").new_shape is False


# 2. Bodies read to the end, however small the pieces


def test_page_nonce_45kb_into_a_page_that_trickles_in(run):
    """Plugin 2.4.3: no start_session; the nonce sits ~45 KB into a 47 KB chatbot page."""
    server = run(DevServer().start())
    try:
        url = server.play_url("plugin", version="2.4.3", trickle=7)
        text = "".join(run(collect(AIEngine.create_async_generator("", MESSAGES, url=url))))
        assert text == demo_reply("second question")
        assert gets(server) == ["/play/plugin:version=2.4.3,trickle=7/"]
        first, retry = submits(server)
        assert "X-WP-Nonce" not in first.headers
        assert retry.headers["X-WP-Nonce"] == server.nonce
    finally:
        run(server.stop())


def test_a_401_json_body_in_small_pieces_still_leads_to_a_nonce(server, run):
    url = server.play_url("nonce", trickle=3)
    text = "".join(run(collect(AIEngine.create_async_generator("", MESSAGES, url=url))))
    assert text == demo_reply("second question")
    assert len(submits(server)) == 2


def test_a_trickled_403_rejection_is_read_whole(server, run):
    with pytest.raises(RejectedError) as info:
        run(collect(AIEngine.create_async_generator(
            "", MESSAGES, url=server.play_url("rejected", trickle=2))))
    assert info.value.user_message == REJECTED_SENTENCE


# 3. The chatbot page: fetched once, under the prefix, or the page the entry names


def test_the_home_page_under_the_path_prefix_is_fetched_once(run):
    server = run(DevServer(chatbot_page="/chatgpt/").start())
    try:
        url = server.play_url("plugin", version="2.4.3")
        text = "".join(run(collect(AIEngine.create_async_generator(
            "", MESSAGES, url=url, prefix="/chatgpt"))))
        assert text == demo_reply("second question")
        assert gets(server) == ["/play/plugin:version=2.4.3/chatgpt/"]
    finally:
        run(server.stop())


@pytest.mark.parametrize("absolute", [False, True])
def test_the_entry_names_the_page_with_the_chatbot(absolute, run):
    server = run(DevServer(chatbot_page="/tools/ask-ai/").start())
    try:
        url = server.play_url("plugin", version="2.4.3", trickle=512)
        page = url + "/tools/ask-ai/" if absolute else "/tools/ask-ai/"
        text = "".join(run(collect(AIEngine.create_async_generator(
            "", MESSAGES, url=url, page=page))))
        assert text == demo_reply("second question")
        assert gets(server) == ["/play/plugin:version=2.4.3,trickle=512/tools/ask-ai/"]
    finally:
        run(server.stop())


def test_a_site_without_the_chatbot_on_its_home_page_looks_once_and_says_where(run):
    server = run(DevServer(chatbot_page="/tools/ask-ai/").start())
    try:
        url = server.play_url("plugin", version="2.4.3")
        with pytest.raises(AuthError) as info:
            run(collect(AIEngine.create_async_generator("", MESSAGES, url=url)))
        assert gets(server) == ["/play/plugin:version=2.4.3/"]  # once, not twice
        assert "chatbot page in the provider settings" in info.value.user_message
    finally:
        run(server.stop())


def test_the_page_field_reaches_the_call(config):
    entry = config.put(ProviderEntry("site", "Site", "aiengine", "https://example.org",
                                     page="/ask/", max_input_chars=2000))
    options = config.target(entry).options
    assert options["page"] == "/ask/" and options["max_input_chars"] == 2000
    assert Site("https://example.org", prefix="/wp", page="/ask/").pages() == [
        "https://example.org/ask/", "https://example.org/wp/"]
    assert Site("https://example.org", prefix="/wp").pages() == ["https://example.org/wp/"]


# 4. Rejections: a sentence that says why, no Retry, and the limit checked before sending


def test_a_rejection_says_the_site_refused_and_is_not_retryable(server, run):
    with pytest.raises(RejectedError) as info:
        run(collect(AIEngine.create_async_generator(
            "", MESSAGES, url=server.play_url("rejected"))))
    assert info.value.user_message == REJECTED_SENTENCE
    assert RejectedError.retryable is False and ProviderError.retryable is True


def test_the_plugins_input_limit_in_stream_is_a_rejection(server, run):
    long_message = [{"role": "user", "content": "x" * 600}]
    with pytest.raises(RejectedError) as info:  # no limit known to the client: sent
        run(collect(AIEngine.create_async_generator(
            "", long_message, url=server.play_url("plugin"), max_input_chars=0)))
    assert type(info.value) is RejectedError
    assert len(submits(server)) == 2  # the nonce dance, then the plugin's refusal
    assert server.model_prompts == []


def test_a_message_over_the_known_limit_is_refused_without_sending(server, run):
    long_message = [{"role": "user", "content": "y" * 513}]
    with pytest.raises(InputTooLongError) as info:
        run(collect(AIEngine.create_async_generator(
            "", long_message, url=server.play_url("plugin"))))
    assert server.requests == []
    assert info.value.retryable is False
    assert info.value.user_message == (
        "The message is longer than this site accepts (513 characters, at most 512). Shorten "
        "it and send again, or raise the input limit in the provider settings if the site "
        "allows more.")


def test_check_input_on_the_target_before_sending(config):
    """What the composer will ask before it sends: Qt-free, no network."""
    site = config.put(ProviderEntry("site", "Site", "aiengine", "https://example.org"))
    target = config.target(site)
    assert target.check_input("z" * 512) is None
    assert target.check_input("  " + "z" * 512 + "\n") is None  # the plugin trims
    assert target.check_input("z" * 513) == (
        "The message is longer than this site accepts (513 characters, at most 512). Shorten "
        "it and send again, or raise the input limit in the provider settings if the site "
        "allows more.")
    unlimited = config.put(ProviderEntry("open", "Open", "aiengine", "https://example.net",
                                         max_input_chars=0))
    assert config.target(unlimited).check_input("z" * 10_000) is None
    assert config.target_for("opchatgpts").check_input("z" * 10_000) is None
    local = config.put(ProviderEntry("llama", "llama", "openai", "http://127.0.0.1:1/v1"))
    assert config.target(local).check_input("z" * 10_000) is None


# 5. HTML error pages as their title; no ValueError for an empty request


def test_an_html_404_page_in_pieces_becomes_its_title(server, run):
    with pytest.raises(HTTPStatusError) as info:
        run(collect(AIEngine.create_async_generator(
            "", MESSAGES, url=server.play_url("status", status=404, page="notfound",
                                              trickle=5))))
    assert info.value.user_message == (
        "The server answered with an error (HTTP 404: Page not found – Demo site: Oops! That "
        "page can’t be found). Press Retry; if it keeps happening, check the provider "
        "settings.")


@pytest.mark.parametrize("provider", [AIEngine, Opchatgpts, OpenAICompatible])
def test_an_empty_message_list_is_a_provider_error(provider, server, run):
    with pytest.raises(NothingToSendError) as info:
        run(collect(provider.create_async_generator(
            "", [], url=server.url, base_url=server.url + "/v1")))
    assert isinstance(info.value, ProviderError) and not info.value.retryable
    assert server.requests == []
