"""A failed reply is stored as a kind and worded, in the window, in the language it shows now."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from opchat_gui.core.errors import ErrorKind
from tests.conftest import wait_until
from tests.e2e.test_app_keys import type_and_send
from tests.integration.test_store_recovery import build_old


def set_language(data_dir: Path, language: str) -> None:
    config = data_dir / "config"
    config.mkdir(parents=True, exist_ok=True)
    (config / "settings.json").write_text(json.dumps({"language": language}), encoding="utf-8")


def test_an_error_stored_in_english_reads_in_russian_after_switching(open_app, data_dir,
                                                                     server, run):
    set_language(data_dir, "en")
    session = open_app("--url", server.play_url("status", status=500))
    window = session.window
    type_and_send(window, "fail please")
    run(wait_until(lambda: not session.service.busy()))
    conversation = window.current_id
    assert "The server answered with an error (HTTP 500" in window.transcript.toPlainText()
    window.close()
    run(session.close())
    with sqlite3.connect(data_dir / "history.sqlite3") as conn:  # what is on disk
        kind, params = conn.execute("SELECT error_kind, error_params FROM messages"
                                    " WHERE role = 'assistant'").fetchone()
    assert kind == ErrorKind.HTTP_STATUS and json.loads(params)["status"] == 500

    set_language(data_dir, "ru")
    again = open_app("--url", server.url)
    again.window.open_conversation(conversation)
    text = again.window.transcript.toPlainText()
    assert "✖ Ошибка" in text
    assert "Сервер ответил ошибкой (HTTP 500" in text
    assert "Нажмите «Повторить»; если это повторяется, проверьте настройки провайдера." in text
    assert "The server answered" not in text


OLD_SENTENCE = ("Could not reach the server (http://127.0.0.1:9/: connection refused). "
                "Check the address and your network connection, then press Retry.")


def old_file_with_a_failed_reply(data_dir: Path) -> None:
    """A schema-5 history (before kinds) whose failed reply holds only its English sentence."""
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / "history.sqlite3"
    build_old(path, 5)
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE messages SET state = 'failed', error = ?, content = ''"
                     " WHERE role = 'assistant'", (OLD_SENTENCE,))


def test_an_old_english_sentence_still_renders_in_both_languages(open_app, data_dir, run):
    old_file_with_a_failed_reply(data_dir)
    set_language(data_dir, "en")
    session = open_app("--url", "http://127.0.0.1:9")
    session.window.open_conversation(1)
    text = session.window.transcript.toPlainText()
    assert "✖ Failed" in text and OLD_SENTENCE in text and "Retry (Ctrl+R)" in text
    [_user, reply] = session.service.messages(1)
    assert reply.failure is None and reply.error == OLD_SENTENCE  # kept as it was
    run(session.close())

    set_language(data_dir, "ru")
    again = open_app("--url", "http://127.0.0.1:9")
    again.window.open_conversation(1)
    text = again.window.transcript.toPlainText()
    assert "Не удалось связаться с сервером (http://127.0.0.1:9/: connection refused)." in text
    assert "Повторить (Ctrl+R)" in text
