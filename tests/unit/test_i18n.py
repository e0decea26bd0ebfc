"""Translations: complete, in step with the code, loaded, and leaving no English on screen."""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QWidget,
)

from opchat_gui.app import i18n
from opchat_gui.ui.theme import ROLE_PROPERTY
from opchat_gui.ui.transcript.view import _stamp_text
from tests.conftest import wait_until

ROOT = Path(__file__).resolve().parents[2]
TS_FILES = sorted((ROOT / "resources" / "i18n").glob("opchat_gui_*.ts"))
# Words that stay as they are in any language: names, keys, and the command line.
ALLOWED_WORDS = {"opchat", "gui", "AI", "Engine", "Ctrl", "Shift", "Enter", "Esc", "Opchatgpts",
                 "Markdown", "JSON", "ChatGPT", "Backspace",  # key names
                 "Python", "SQLite", "PostgreSQL", "DuckDB"}  # names in the example prompts


def tool(name: str) -> str:
    """pyside6-lupdate / pyside6-lrelease from the venv that runs the tests."""
    found = Path(sys.executable).with_name(name)
    path = str(found) if found.exists() else shutil.which(name)
    assert path, f"{name} not found: it ships with PySide6-Essentials"
    return path


def unfinished(ts: Path) -> list[str]:
    problems = []
    for context in ET.parse(ts).getroot().iter("context"):
        for message in context.iter("message"):
            source = message.findtext("source") or ""
            translation = message.find("translation")
            forms = [] if translation is None else list(translation.iter("numerusform"))
            texts = [f.text for f in forms] if forms else [
                None if translation is None else translation.text]
            if (translation is None or translation.get("type") in ("unfinished", "obsolete",
                                                                    "vanished")
                    or not all(text and text.strip() for text in texts)):
                problems.append(f"{context.findtext('name')}: {source}")
    return problems


def test_russian_is_shipped():
    assert [ts.name for ts in TS_FILES] == ["opchat_gui_ru.ts"]
    assert (ROOT / "resources" / "i18n" / "opchat_gui_ru.qm").exists()


@pytest.mark.parametrize("ts", TS_FILES, ids=lambda p: p.name)
def test_every_string_is_translated(ts):
    assert unfinished(ts) == []


@pytest.mark.parametrize("ts", TS_FILES, ids=lambda p: p.name)
def test_every_source_string_is_in_the_ts_file(ts, tmp_path):
    """lupdate over today's code into a copy: nothing new may appear as unfinished."""
    fresh = tmp_path / ts.name
    shutil.copy(ts, fresh)
    sources = sorted(str(p) for p in (ROOT / "opchat_gui").rglob("*.py"))
    subprocess.run([tool("pyside6-lupdate"), "-silent", "-no-obsolete", "-locations", "none",
                    *sources, "-ts", str(fresh)], check=True, capture_output=True, timeout=120)
    missing = unfinished(fresh)
    assert missing == [], ("new strings need translating: run scripts/update-translations.sh "
                           f"and translate them: {missing}")


@pytest.mark.parametrize("ts", TS_FILES, ids=lambda p: p.name)
def test_the_qm_file_is_compiled_from_the_ts_file(ts, tmp_path):
    qm = tmp_path / "out.qm"
    subprocess.run([tool("pyside6-lrelease"), "-silent", str(ts), "-qm", str(qm)],
                   check=True, capture_output=True, timeout=120)
    assert qm.read_bytes() == ts.with_suffix(".qm").read_bytes(), \
        "run scripts/update-translations.sh to rebuild the .qm"


def test_language_follows_the_desktop_unless_set():
    assert i18n.choose_language("", ["ru-RU", "en-US"]) == "ru"
    assert i18n.choose_language("", ["de-DE", "en-GB"]) == "en"
    assert i18n.choose_language("", ["de-DE"]) == "en"
    assert i18n.choose_language("en", ["ru-RU"]) == "en"


def type_text(widget: QWidget, text: str) -> None:
    """Type any text, Cyrillic included (QTest.keyClicks handles Latin-1 only)."""
    for char in text:
        QTest.sendKeyEvent(QTest.KeyAction.Click, widget, Qt.Key.Key_unknown, char,
                           Qt.KeyboardModifier.NoModifier)


def visible_strings(window: QWidget) -> list[str]:
    """Every string a user can read in the window now (message bodies aside)."""
    strings = [window.windowTitle()]
    for widget in window.findChildren(QWidget):
        if not widget.isVisibleTo(window):
            continue
        strings += [widget.toolTip(), widget.accessibleName()]
        if isinstance(widget, QLabel | QAbstractButton):
            strings.append(widget.text())
        if isinstance(widget, QLineEdit | QPlainTextEdit):
            strings.append(widget.placeholderText())
    for menu in window.menuBar().findChildren(QMenu):  # one click away: menus count too
        strings += [menu.title()] + [action.text() for action in menu.actions()]
    model = window.sidebar.model()
    strings += [model.index(row, 0).data() for row in range(model.rowCount())]
    block = window.transcript.document().begin()
    while block.isValid():  # the app's own words in the transcript: labels and markers
        iterator = block.begin()
        while not iterator.atEnd():
            fragment = iterator.fragment()
            if fragment.charFormat().property(ROLE_PROPERTY):
                strings.append(fragment.text())
            iterator += 1
        block = block.next()
    return [s for s in strings if s]


def english_leftovers(strings: list[str]) -> list[str]:
    leftovers = []
    for text in strings:
        text = re.sub(r"https?://\S+|\w+\.json", "", text)  # addresses and file names
        words = [w for w in re.findall(r"[A-Za-z]{2,}", text) if w not in ALLOWED_WORDS]
        if words:
            leftovers.append(text)
    return leftovers


def test_russian_ui_shows_no_english(open_app, data_dir, server, run):
    config = data_dir / "config"
    config.mkdir(parents=True)
    (config / "settings.json").write_text('{"language": "ru"}', encoding="utf-8")
    session = open_app("--url", server.play_url("slow", delay=0.05))
    window = session.window
    assert session.translations.language == "ru"
    assert QLocale().language() == QLocale.Language.Russian
    assert window.header.title.text() == "Новая беседа"
    assert english_leftovers(visible_strings(window)) == []
    # Every key binding's label (menus, the shortcut help) is Russian too.
    labels = [action.text() for action in window.actions()]
    assert len(labels) > 5 and english_leftovers(labels) == [], labels

    type_text(window.composer, "Привет! Расскажи длинную историю")
    QTest.keyClick(window.composer, Qt.Key.Key_Return)
    run(wait_until(lambda: "Идёт ответ" in window.stream_status.text(), what="the status"))
    streaming = visible_strings(window)
    assert english_leftovers(streaming) == [], streaming
    QTest.keyClick(window.composer, Qt.Key.Key_Escape)
    run(wait_until(lambda: not session.service.is_streaming(window.current_id)))
    finished = visible_strings(window)
    assert "■ Остановлено" in finished and "Вы" in finished and "Ассистент" in finished
    assert english_leftovers(finished) == [], finished
    # Numbers follow the locale: Russian groups thousands with a (non-breaking) space.
    assert window.stream_status.usage_text({"total_tokens": 12345}) == \
        "Последний ответ, токены: 12\xa0345"
    # Dates too: an old message's stamp is day.month.year, 24-hour time.
    assert re.fullmatch(r"\d\d\.\d\d\.\d{4} \d{1,2}:\d\d", _stamp_text(1_000_000_000))



def test_every_provider_sentence_can_be_translated():
    """Providers' English parts are all in ui/transcript/error_text.PARTS (so in the .ts file)."""
    import importlib
    import pkgutil

    import opchat_gui.providers as providers
    from opchat_gui.providers.errors import ProviderError
    from opchat_gui.ui.transcript.error_text import PARTS

    classes, pending = [], [ProviderError]
    while pending:
        cls = pending.pop()
        classes.append(cls)
        pending += cls.__subclasses__()
    wanted = {text for cls in classes for text in (cls.what, cls.hint)}
    for info in pkgutil.iter_modules(providers.__path__):
        module = importlib.import_module(f"opchat_gui.providers.{info.name}")
        wanted |= {value for name, value in vars(module).items()
                   if name.endswith("_MESSAGE") and isinstance(value, str)}
    assert sorted(wanted - set(PARTS)) == [], "add these to opchat_gui/ui/transcript/error_text.py"


def test_a_failed_reply_reads_in_russian(open_app, data_dir, server, run):
    config = data_dir / "config"
    config.mkdir(parents=True)
    (config / "settings.json").write_text('{"language": "ru"}', encoding="utf-8")
    session = open_app("--url", server.play_url("status", status=500))
    window = session.window
    type_text(window.composer, "Ошибка?")
    QTest.keyClick(window.composer, Qt.Key.Key_Return)
    run(wait_until(lambda: not session.service.is_streaming(window.current_id)))
    text = window.transcript.toPlainText()
    assert "✖ Ошибка" in text
    assert "Сервер ответил ошибкой (HTTP 500" in text
    assert "Нажмите «Повторить»; если это повторяется, проверьте настройки провайдера." in text
    assert "Повторить (Ctrl+R)" in text
    # The stored error stays English (the history is language-neutral).
    assert session.service.messages(window.current_id)[-1].error.startswith(
        "The server answered with an error")


def test_keymap_strings_match_the_keymap():
    spec = importlib.util.spec_from_file_location("gen_keymap_strings",
                                                  ROOT / "scripts" / "gen_keymap_strings.py")
    assert spec is not None and spec.loader is not None
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    assert gen.KEYMAP_STRINGS.read_text(encoding="utf-8") == gen.keymap_strings_source(), \
        "the key map changed: run scripts/update-translations.sh and translate the new labels"
