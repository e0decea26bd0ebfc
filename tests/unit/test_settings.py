"""Settings: the table, the file round trip, repairs with notices, and each setting's effect."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit
from shiboken6 import Shiboken

from opchat_gui.chat.settings_signal import settings_signal
from opchat_gui.config.settings import BY_KEY, SETTINGS, Settings, defaults
from opchat_gui.store import MessageState
from tests.conftest import wait_until


def write_settings(data_dir, content: str) -> None:
    config = data_dir / "config"
    config.mkdir(parents=True, exist_ok=True)
    (config / "settings.json").write_text(content, encoding="utf-8")


def test_every_row_is_complete_and_its_default_valid():
    for setting in SETTINGS:
        assert setting.label and setting.help and setting.page, setting.key
        assert setting.problem(setting.default) is None, setting.key
    assert len(BY_KEY) == len(SETTINGS)


def test_round_trip_keeps_every_value(tmp_path):
    path = tmp_path / "config" / "settings.json"
    first = Settings.load(path)
    assert first.values == defaults() and first.notices == []
    changes = {"theme": "dark", "language": "ru", "transcript_font_size": 15,
               "send_key": "ctrl_enter", "follow_stream": False,
               "system_prompt": "Be brief.\nAnswer in Russian.", "proxy": "socks5://127.0.0.1:9050",
               "connect_timeout": 3, "read_timeout": 120.5}
    for key, value in changes.items():
        assert first.set(key, value) is None
    assert first.dirty
    assert first.save() is None
    stored = json.loads(path.read_text(encoding="utf-8"))  # human-readable JSON
    assert stored["theme"] == "dark" and stored["connect_timeout"] == 3.0
    second = Settings.load(path)
    assert second.notices == []
    assert second.values == {**defaults(), **changes, "connect_timeout": 3.0}


def test_invalid_and_unknown_values_fall_back_with_notices(tmp_path):
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({
        "theme": "purple", "transcript_font_size": "big", "read_timeout": 0,
        "proxy": "ftp://example", "follow_stream": 1, "composer_font_size": True,
        "send_key": "ctrl_enter", "from_a_newer_version": {"x": 1},
    }), encoding="utf-8")
    settings = Settings.load(path)
    for key in ("theme", "transcript_font_size", "read_timeout", "proxy", "follow_stream",
                "composer_font_size"):
        assert settings[key] == BY_KEY[key].default, key
        assert any(f"“{key}”" in str(notice) for notice in settings.notices), key
    assert settings["send_key"] == "ctrl_enter"  # the valid value survives
    assert any("from_a_newer_version" in str(notice) for notice in settings.notices)
    assert len(settings.notices) == 7
    # Nothing is lost: the unknown key is written back for the version that knows it.
    assert settings.set("theme", "light") is None and settings.save() is None
    stored = json.loads(path.read_text(encoding="utf-8"))
    assert stored["from_a_newer_version"] == {"x": 1} and stored["theme"] == "light"


def test_set_refuses_invalid_values_and_says_why(tmp_path):
    settings = Settings.load(tmp_path / "s.json")
    assert "minimum" in str(settings.set("connect_timeout", 0.1))
    assert settings.set("proxy", "not a url") is not None
    assert settings.set("proxy", "http://127.0.0.1:abc") is not None
    assert settings.set("theme", "neon") is not None
    assert settings.set("proxy", "socks4a://127.0.0.1:1080") is not None  # aiohttp-socks cannot
    assert not settings.dirty and settings.values == defaults()


def test_every_proxy_scheme_the_providers_speak_is_accepted(tmp_path):
    settings = Settings.load(tmp_path / "s.json")
    for proxy in ("http://127.0.0.1:8080", "https://proxy.example:443", "socks4://h:1080",
                  "socks5://u@h:1080", "socks5h://127.0.0.1:9050", ""):
        assert settings.set("proxy", proxy) is None, proxy


def test_a_corrupt_file_is_moved_aside_and_never_fatal(tmp_path):
    for content in (b"{not json", b"[1, 2, 3]", b"\xff\xfe\x00garbage"):
        folder = tmp_path / str(len(list(tmp_path.iterdir())))
        folder.mkdir()
        path = folder / "settings.json"
        path.write_bytes(content)
        settings = Settings.load(path)
        assert settings.values == defaults()
        assert not path.exists()
        [aside] = folder.glob("settings.json.broken-*")
        assert aside.read_bytes() == content  # kept for the user to look at
        assert len(settings.notices) == 1 and str(aside) in str(settings.notices[0])
        assert settings.save() is None and json.loads(path.read_text()) == defaults()


def test_a_failed_save_is_reported_not_raised(tmp_path):
    blocker = tmp_path / "config"
    blocker.write_text("a file where the folder should be")
    settings = Settings.load(tmp_path / "config" / "settings.json")
    settings.set("theme", "dark")
    error = settings.save()
    assert "Could not save the settings" in str(error)
    assert settings.dirty


def test_observers_hear_each_change_once_with_the_final_value(tmp_path):
    settings = Settings(tmp_path / "s.json")
    first: list[tuple[str, object]] = []
    second: list[tuple[str, object]] = []

    def trim(key: str, value: object) -> None:  # an observer that rewrites what it hears
        first.append((key, value))
        if key == "system_prompt" and isinstance(value, str) and value != value.strip():
            settings.set(key, value.strip())

    settings.observe(trim)
    settings.observe(lambda key, value: second.append((key, value)))
    settings.set("system_prompt", "  Be brief.  ")
    assert settings["system_prompt"] == "Be brief."
    assert second[-1] == ("system_prompt", "Be brief.")  # never left on the untrimmed text
    assert {value for _key, value in second} == {"Be brief."}
    heard = len(first)
    assert settings.set("theme", "neon") is not None  # refused: nobody hears of it
    settings.set("system_prompt", "Be brief.")  # unchanged: nobody hears of it either
    assert len(first) == heard


def test_the_settings_signal_is_one_per_store_and_outlives_no_widget(qapp, tmp_path):
    settings = Settings(tmp_path / "s.json")
    signal = settings_signal(settings)
    assert settings_signal(settings) is signal
    label = QLabel()
    signal.changed.connect(label.setText)  # the key that changed
    settings.set("theme", "dark")
    assert label.text() == "theme"
    Shiboken.delete(label)  # a dialog closed; a plain callback would now call into it
    assert settings.set("theme", "light") is None and settings["theme"] == "light"


def test_settings_notices_read_in_the_language_the_same_file_chooses(open_app, data_dir,
                                                                      server):
    """The notices are built before the translations load, and shown after."""
    write_settings(data_dir, '{"language": "ru", "theme": "neon"}')
    session = open_app("--url", server.url)
    text = session.window.problem.text()
    assert text == "У настройки «theme» недопустимое значение (нет среди вариантов); " \
        "используется значение по умолчанию."


def test_the_window_shows_settings_notices_and_starts(open_app, data_dir, server):
    write_settings(data_dir, '{"theme": "dark", "oops": ')
    session = open_app("--url", server.url)
    window = session.window
    assert window.problem.isVisible()
    assert "could not be read" in window.problem.text()
    assert session.settings["theme"] == "system"
    assert list((data_dir / "config").glob("settings.json.broken-*"))


def test_ctrl_comma_opens_the_dialog_and_edits_apply_and_save(open_app, data_dir, server):
    session = open_app("--url", server.url)
    window = session.window
    QTest.keyClick(window, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)
    dialog = window.settings_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.page_ids[:3] == ["appearance", "chat", "connection"]
    theme = dialog.editors["theme"]
    assert isinstance(theme, QComboBox)
    theme.setCurrentIndex(theme.findData("dark"))
    assert session.themes.theme.dark  # applied at once
    proxy = dialog.editors["proxy"]
    assert isinstance(proxy, QLineEdit)
    proxy.setFocus()
    QTest.keyClicks(proxy, "ftp:x")
    assert dialog.problems["proxy"].text() and session.settings["proxy"] == ""
    dialog.reject()  # Close: the file is written
    stored = json.loads((data_dir / "config" / "settings.json").read_text(encoding="utf-8"))
    assert stored["theme"] == "dark" and stored["proxy"] == ""
    assert dialog.findChild(QLineEdit, "dataFolder").text() == str(session.paths.data)


def test_ctrl_enter_send_key_makes_enter_a_newline(open_app, server, run):
    session = open_app("--url", server.url)
    window = session.window
    session.settings.set("send_key", "ctrl_enter")
    assert "Ctrl+Enter" in window.composer.placeholderText()
    QTest.keyClicks(window.composer, "one")
    QTest.keyClick(window.composer, Qt.Key.Key_Return)
    QTest.keyClicks(window.composer, "two")
    assert window.composer.toPlainText() == "one\ntwo" and window.current_id is None
    QTest.keyClick(window.composer, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert window.current_id is not None and window.composer.toPlainText() == ""
    run(wait_until(lambda: not session.service.is_streaming(window.current_id)))
    assert session.service.messages(window.current_id)[0].content == "one\ntwo"


def test_read_timeout_setting_reaches_the_provider(open_app, server, run):
    session = open_app("--url", server.play_url("stall", after=1, stall=30))
    window = session.window
    assert session.settings.set("read_timeout", 1.0) is None
    QTest.keyClicks(window.composer, "Hello")
    QTest.keyClick(window.composer, Qt.Key.Key_Return)
    run(wait_until(lambda: not session.service.is_streaming(window.current_id), timeout=20,
                   what="the read timeout"))
    reply = session.service.messages(window.current_id)[-1]
    assert reply.state == MessageState.FAILED
    assert "stopped answering" in reply.error


def test_proxy_setting_reaches_the_provider(open_app, server, run):
    session = open_app("--url", server.url)
    window = session.window
    assert session.settings.set("proxy", "http://127.0.0.1:9") is None  # nothing listens there
    QTest.keyClicks(window.composer, "Hello")
    QTest.keyClick(window.composer, Qt.Key.Key_Return)
    run(wait_until(lambda: not session.service.is_streaming(window.current_id)))
    reply = session.service.messages(window.current_id)[-1]
    assert reply.state == MessageState.FAILED and "proxy" in reply.error.lower()


def test_default_system_prompt_and_fonts_apply(open_app, server, run):
    session = open_app("--url", server.url)
    window = session.window
    session.settings.set("system_prompt", "You are terse.")
    session.settings.set("transcript_font_size", 17)
    session.settings.set("composer_font_size", 9)
    assert window.transcript.font().pointSize() == 17
    assert window.transcript.document().defaultFont().pointSize() == 17  # what text is drawn in
    assert window.composer.font().pointSize() == 9
    QTest.keyClicks(window.composer, "Hi")
    QTest.keyClick(window.composer, Qt.Key.Key_Return)
    run(wait_until(lambda: not session.service.is_streaming(window.current_id)))
    assert session.service.conversation(window.current_id).system_prompt == "You are terse."
    session.settings.set("follow_stream", False)
    assert window.transcript.follow_stream is False


def test_the_readme_documents_every_setting():
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    missing = [s.key for s in SETTINGS if f"`{s.key}`" not in readme]
    assert missing == []


def test_the_dialog_has_an_editor_for_every_setting_and_restores_defaults(open_app, server):
    session = open_app("--url", server.url)
    dialog = session.window.open_settings()
    assert set(dialog.editors) == {s.key for s in SETTINGS}
    session.settings.set("transcript_font_size", 20)  # changed elsewhere (the zoom keys)
    assert dialog.editors["transcript_font_size"].value() == 20
    session.settings.set("theme", "dark")
    dialog.show_page("appearance")
    dialog.reset_button.click()
    assert session.settings["transcript_font_size"] == 11 and session.settings["theme"] == "system"
    assert dialog.editors["transcript_font_size"].value() == 11
    assert dialog.editors["theme"].currentData() == "system"
    assert session.window.transcript.font().pointSize() == 11
    dialog.show_page("data")
    assert not dialog.reset_button.isEnabled()


def test_follow_stream_off_stays_put_and_on_follows(open_app, server, run):
    session = open_app("--url", server.play_url("huge", tokens=600, delay=0.001))
    window = session.window
    bar = window.transcript.verticalScrollBar()

    def reply_to(text: str) -> None:
        QTest.keyClicks(window.composer, text)
        QTest.keyClick(window.composer, Qt.Key.Key_Return)
        run(wait_until(lambda: not session.service.is_streaming(window.current_id),
                       what="the reply"))

    reply_to("First, to make the transcript scroll")
    assert bar.maximum() > 0
    session.settings.set("follow_stream", False)
    bar.setValue(bar.maximum())  # at the bottom, yet the user asked to stay put
    start = bar.value()
    reply_to("Second")
    assert bar.maximum() > start and bar.value() < bar.maximum()
    session.settings.set("follow_stream", True)
    bar.setValue(bar.maximum())
    reply_to("Third")
    assert bar.value() == bar.maximum()
