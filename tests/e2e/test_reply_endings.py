"""How a reply ended, through the real window and real HTTP: cut off at the server's length
limit (Continue goes on), withheld by its content filter, or refused in a way no Retry
can fix (a rejected message, a conversation over the model's context)."""

from __future__ import annotations

from opchat_gui.chat.replies import CONTINUE_PROMPT
from opchat_gui.core.errors import ErrorKind
from opchat_gui.store import MessageState
from tests.conftest import chat_requests, wait_until
from tests.e2e.test_app_keys import type_and_send
from tests.keyboard import press


def openai_session(open_app, server, url: str):
    """The app with a local OpenAI-compatible entry at `url` as the default provider."""
    session = open_app("--url", server.url)
    entry = session.providers.save({"name": "Local", "kind": "openai", "url": url,
                                    "model": "demo-model"})
    session.providers.set_default(entry.id)
    return session


def last_reply(session):
    return session.service.messages(session.window.current_id)[-1]


def test_a_reply_cut_at_the_length_limit_is_marked_and_continues(open_app, server,
                                                                  openai_server, run):
    session = openai_session(open_app, server, openai_server.play_url("demo", finish="length"))
    window = session.window
    type_and_send(window, "tell me everything")
    run(wait_until(lambda: not session.service.busy()))
    reply = last_reply(session)
    assert reply.state == MessageState.CUT_OFF and reply.content
    text = window.transcript.toPlainText()
    assert "✂ Cut off" in text and "The reply reached the length limit" in text
    assert "Continue (Ctrl+Shift+R)" in text

    partial = reply.content
    press(window, "Ctrl+Shift+R")
    run(wait_until(lambda: len(chat_requests(openai_server)) == 2
                   and not session.service.busy(), what="the continuation"))
    sent = chat_requests(openai_server)[-1].json["messages"]
    assert sent[-2:] == [{"role": "assistant", "content": partial},
                         {"role": "user", "content": CONTINUE_PROMPT}]
    reply = last_reply(session)
    assert reply.content.startswith(partial) and len(reply.content) > len(partial)
    assert reply.content.count(partial) == 1  # appended to the same reply, not repeated


def test_a_finished_reply_is_done_and_a_filtered_one_is_withheld(open_app, server,
                                                                 openai_server, run):
    session = openai_session(open_app, server, openai_server.url)
    window = session.window
    type_and_send(window, "a normal question")
    run(wait_until(lambda: not session.service.busy()))
    assert last_reply(session).state == MessageState.DONE
    assert "Cut off" not in window.transcript.toPlainText()

    filtered = session.providers.save({"name": "Filtered", "kind": "openai", "model": "m",
                                       "url": openai_server.play_url("demo",
                                                                     finish="content_filter")})
    session.service.set_target(window.current_id, filtered.id, "m")
    type_and_send(window, "something the filter dislikes")
    run(wait_until(lambda: not session.service.busy()))
    assert last_reply(session).state == MessageState.WITHHELD
    text = window.transcript.toPlainText()
    assert "⊘ Withheld" in text and "The server withheld the rest" in text
    # no Continue, no Retry: the text above is kept; it can be copied (an icon)
    hrefs = [href for _, href in window.transcript.actions.footer_links(last_reply(session))]
    assert any(href.startswith("opchat:copy-message/") for href in hrefs)
    assert "Continue" not in text.split("⊘ Withheld")[1] and "Retry" not in text.split(
        "⊘ Withheld")[1]


def test_context_overflow_says_what_to_do_and_offers_no_retry(open_app, server, openai_server,
                                                              run):
    session = openai_session(open_app, server, openai_server.play_url("overflow"))
    window = session.window
    type_and_send(window, "a very long conversation")
    run(wait_until(lambda: not session.service.busy()))
    reply = last_reply(session)
    assert reply.state == MessageState.FAILED
    assert reply.failure is not None and reply.failure.kind == ErrorKind.CONTEXT_OVERFLOW
    text = window.transcript.toPlainText()
    assert "The conversation is longer than the model's context" in text
    assert "Start a new conversation, shorten this one" in text
    assert "Retry" not in text
    press(window, "Ctrl+R")
    assert not session.service.busy() and len(chat_requests(openai_server)) == 1  # not again


def test_a_rejected_message_says_why_and_offers_no_retry(open_app, server, run):
    session = open_app("--url", server.play_url("rejected"))
    window = session.window
    type_and_send(window, "refuse this")
    run(wait_until(lambda: not session.service.busy()))
    reply = last_reply(session)
    assert reply.failure is not None and reply.failure.kind == ErrorKind.REJECTED
    text = window.transcript.toPlainText()
    assert "The site refused this message" in text and "Shorten the message" in text
    assert "Retry" not in text
    asked = len(server.requests)
    press(window, "Ctrl+R")
    assert not session.service.busy() and len(server.requests) == asked
