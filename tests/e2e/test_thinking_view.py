"""A reasoning model's reply in the real window, through real HTTP: "Thinking…" while it
thinks, one folded line once the answer begins, opened and closed by key and by mouse,
folded again when reopened, and a plain word when it never answered."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextCursor, QTextDocument
from PySide6.QtTest import QTest

from opchat_gui.demo.aiengine_server import demo_reply
from opchat_gui.demo.openai_server import thought
from opchat_gui.store import MessageState
from tests.conftest import wait_until
from tests.e2e.test_app_keys import type_and_send
from tests.e2e.test_reply_endings import last_reply, openai_session
from tests.keyboard import press, type_text

QUESTION = "Why is the sky blue?"
THOUGHT = "".join(thought(30))
NO_ANSWER = "No answer: the model was still thinking when the reply ended."


def ask(session, run, text: str = QUESTION) -> None:
    type_and_send(session.window, text)
    run(wait_until(lambda: not session.service.busy(), what="the reply to finish"))


def shown(window) -> str:
    return window.transcript.toPlainText()


def header_block(window) -> tuple[str, float, float, float]:
    """The last reply's header line and its margins."""
    block = window.transcript.document().find("Assistant", 0,
                                              QTextDocument.FindFlag.FindCaseSensitively)
    found = block.block()
    fmt = found.blockFormat()
    return found.text(), fmt.topMargin(), fmt.bottomMargin(), fmt.leftMargin()


@pytest.mark.parametrize(("form", "split"), [("reasoning_content", "0"), ("reasoning", "0"),
                                             ("think", "1")])
def test_each_form_ends_stored_and_drawn_folded(form, split, open_app, server, openai_server,
                                                run):
    session = openai_session(open_app, server,
                             openai_server.play_url("think", form=form, split=split))
    window = session.window
    ask(session, run)
    reply = last_reply(session)
    assert reply.reasoning == THOUGHT and reply.content == demo_reply(QUESTION)
    text = shown(window)
    assert "▸ Thought for " in text and "Thinking…" not in text
    assert "step by step" not in text and "<think" not in text  # folded, and no tags
    assert text.index("▸ Thought for") < text.index("You asked:")  # above the answer


def test_thinking_grows_live_then_folds_when_the_answer_begins(open_app, server,
                                                               openai_server, run):
    session = openai_session(open_app, server,
                             openai_server.play_url("think", tokens=60, delay=0.03))
    window = session.window
    type_and_send(window, QUESTION)
    run(wait_until(lambda: "step by step" in shown(window), what="thinking on screen"))
    assert window.transcript.thinking_live()
    text = shown(window)
    assert "▾ Thinking… " in text and " s" in text and "You asked:" not in text
    window.stream_status.refresh()
    assert window.stream_status.text().startswith("Thinking · ")
    assert "characters of thinking" in window.stream_status.text()
    run(wait_until(lambda: "You asked:" in shown(window), what="the answer to begin"))
    assert not window.transcript.thinking_live()
    assert "▸ Thought for " in shown(window) and "step by step" not in shown(window)
    line = window.transcript.document().find("Thought for").block()
    assert line.blockFormat().leftMargin() == 0  # the line, not the thinking's indented text
    run(wait_until(lambda: not session.service.busy()))
    assert "▸ Thought for " in shown(window) and "step by step" not in shown(window)


def test_keys_open_and_close_the_chosen_replys_thinking_and_reopening_folds_it(
        open_app, server, openai_server, run):
    session = openai_session(open_app, server, openai_server.play_url("think"))
    window = session.window
    ask(session, run)
    ask(session, run, "And at sunset?")
    first_reply = session.service.messages(window.current_id)[1]
    press(window, "Alt+T")  # nothing chosen: the newest reply that thought
    assert shown(window).count("▾ Thought for") == 1
    assert shown(window).count("▸ Thought for") == 1
    assert shown(window).count("step by step") == THOUGHT.count("step by step")
    press(window, "Alt+T")
    assert "step by step" not in shown(window)

    for _ in range(3):  # choose the first reply: up from the bottom
        press(window, "Alt+Up")
    assert window.transcript.actions.selected == first_reply.id
    press(window, "Alt+T")
    assert window.transcript.thinking_open(first_reply.id)
    text = shown(window)
    assert text.index("step by step") < text.index("And at sunset?")  # the first one opened

    window.open_conversation(window.current_id)  # reopened: drawn folded
    assert "step by step" not in shown(window) and shown(window).count("▸ Thought for") == 2


def test_a_click_on_the_line_opens_and_closes_it(open_app, server, openai_server, run):
    session = openai_session(open_app, server, openai_server.play_url("think"))
    window = session.window
    ask(session, run)
    transcript = window.transcript

    def click_the_line() -> None:
        found = transcript.document().find("Thought for")
        assert not found.isNull()
        cursor = QTextCursor(transcript.document())
        cursor.setPosition(found.selectionStart() + 2)
        point = transcript.cursorRect(cursor).center()
        QTest.mouseClick(transcript.viewport(), Qt.MouseButton.LeftButton,
                         Qt.KeyboardModifier.NoModifier, QPoint(point.x(), point.y()))

    click_the_line()
    assert "▾ Thought for" in shown(window) and "step by step" in shown(window)
    click_the_line()
    assert "▸ Thought for" in shown(window) and "step by step" not in shown(window)


def test_stopped_while_thinking_says_there_is_no_answer(open_app, server, openai_server, run):
    session = openai_session(open_app, server,
                             openai_server.play_url("think", tokens=3000, delay=0.02))
    window = session.window
    type_and_send(window, QUESTION)
    run(wait_until(lambda: "Thinking…" in shown(window), what="thinking on screen"))
    press(window, "Esc")
    run(wait_until(lambda: not session.service.busy(), what="the stop"))
    reply = last_reply(session)
    assert reply.state == MessageState.STOPPED and reply.content == "" and reply.reasoning
    text = shown(window)
    assert NO_ANSWER in text and "■ Stopped" in text and "▸ Thought for " in text
    window.open_conversation(window.current_id)
    assert NO_ANSWER in shown(window)


def test_a_length_cut_off_while_thinking_says_so_too(open_app, server, openai_server, run):
    session = openai_session(open_app, server, openai_server.play_url("think", answer=0))
    ask(session, run)
    assert last_reply(session).state == MessageState.CUT_OFF
    assert NO_ANSWER in shown(session.window) and "✂ Cut off" in shown(session.window)


def test_a_search_hit_in_the_thinking_opens_it(open_app, server, openai_server, run):
    session = openai_session(open_app, server, openai_server.play_url("think"))
    window = session.window
    ask(session, run)
    reply = last_reply(session)
    window.new_conversation()
    press(window, "Ctrl+Shift+F")
    type_text(window, "think")
    run(wait_until(lambda: window.panels.search_panel.model.rowCount(), what="a hit"))
    assert "Thinking:" in window.panels.search_panel.model.item(0).text()
    press(window, "Return")
    assert window.current_id == reply.conversation_id
    assert window.transcript.thinking_open(reply.id)
    assert window.transcript.textCursor().selectedText().casefold() == "think"


def test_an_ai_engine_site_that_thinks_shows_it_and_its_status(open_app, server, run):
    session = open_app("--url", server.play_url("think", delay=0.05))
    window = session.window
    type_and_send(window, QUESTION)
    run(wait_until(lambda: "Thinking about your question…" in window.stream_status.text(),
                   what="the site's status line"))
    run(wait_until(lambda: "Thinking…" in shown(window) or not session.service.busy(),
                   what="its thinking"))
    run(wait_until(lambda: not session.service.busy()))
    reply = last_reply(session)
    assert reply.reasoning and reply.content
    assert "▸ Thought for " in shown(window) and "Let me think" not in shown(window)


def test_continue_keeps_the_folded_line_and_adds_the_new_thinking(open_app, server,
                                                                  openai_server, run):
    session = openai_session(open_app, server,
                             openai_server.play_url("think", finish="length"))
    window = session.window
    ask(session, run)
    cut = last_reply(session)
    assert cut.state == MessageState.CUT_OFF and cut.content and cut.reasoning == THOUGHT
    press(window, "Ctrl+Shift+R")
    posts = lambda: [r for r in openai_server.requests  # noqa: E731
                     if r.path.endswith("/chat/completions")]
    run(wait_until(lambda: len(posts()) == 2 and not session.service.busy(),
                   what=f"the continuation ({[r.path for r in openai_server.requests]})"))
    reply = last_reply(session)
    assert reply.id == cut.id and reply.content.startswith(cut.content)
    assert reply.reasoning == THOUGHT + "\n\n" + THOUGHT
    assert reply.reasoning_ms >= cut.reasoning_ms
    text = shown(window)
    assert text.count("Thought for") == 1 and "step by step" not in text
    assert b"step by step" not in posts()[1].body  # never sent back


def test_a_reply_interrupted_while_thinking_shows_its_thinking_after_a_restart(
        open_app, server, run):
    """The app died while the model thought: the next start shows what was saved."""
    session = open_app("--url", server.url)
    talk = session.history.create_conversation("Interrupted")
    session.history.add_message(talk.id, "user", QUESTION)
    reply = session.history.add_message(talk.id, "assistant", "", MessageState.STREAMING)
    session.history.update_message(reply.id, reasoning="half a plan", reasoning_ms=4000)
    assert session.history.recover_interrupted() == 1  # what a start after a crash does
    session.window.open_conversation(talk.id)
    text = shown(session.window)
    assert "▸ Thought for 4 s" in text and NO_ANSWER in text and "Interrupted" in text
    press(session.window, "Alt+T")
    assert "half a plan" in shown(session.window)


def test_thinking_the_prompt_opened_moves_up_once_its_tag_closes(open_app, server,
                                                                 openai_server, run):
    """DeepSeek-R1's distills: no opening tag. The first reply shows the thinking as answer
    until `</think>`, then it is drawn as thinking; the next reply of the same model is
    "Thinking…" from its first token."""
    session = openai_session(open_app, server, openai_server.play_url(
        "think", form="prompt", tokens=150, delay=0.02))
    window = session.window
    type_and_send(window, QUESTION)
    run(wait_until(lambda: "step by step" in shown(window), what="the reply on screen"))
    assert not window.transcript.thinking_live()  # no tag yet: it looks like an answer
    run(wait_until(lambda: "You asked:" in shown(window), what="the answer to begin"))
    text = shown(window)
    assert "▸ Thought for " in text and "step by step" not in text and "</think>" not in text
    run(wait_until(lambda: not session.service.busy(), what="the reply to finish"))
    reply = last_reply(session)
    assert reply.reasoning.strip() == "".join(thought(150)).strip()
    assert reply.content == demo_reply(QUESTION)
    assert "</think>" not in shown(window) and "▸ Thought for " in shown(window)
    live = header_block(window)
    window.open_conversation(window.current_id)
    assert header_block(window) == live  # no margin of the answer it first drew left over

    type_and_send(window, "And at sunset?")
    run(wait_until(lambda: shown(window).count("step by step"), what="the second reply"))
    assert window.transcript.thinking_live()  # remembered: thinking from the first token
    assert "▾ Thinking… " in shown(window)
    run(wait_until(lambda: not session.service.busy(), what="the second reply to finish"))
    assert shown(window).count("▸ Thought for ") == 2 and "</think>" not in shown(window)

    # Thinking switched off: no tag comes, so what was taken for thinking is the answer.
    session.service.set_generation(window.current_id, {
        "extra": {"chat_template_kwargs": {"enable_thinking": False}}})
    type_and_send(window, "Briefly?")
    run(wait_until(lambda: not session.service.busy(), what="the third reply to finish"))
    reply = last_reply(session)
    assert reply.content == demo_reply("Briefly?") and reply.reasoning == ""
    text = shown(window)
    assert text.count("Thought for") == 2 and "You asked: Briefly?" in text
    assert not window.transcript.thinking_live() and "Thinking…" not in text
