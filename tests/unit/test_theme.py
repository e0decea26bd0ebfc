"""Themes: WCAG contrast computed from the palettes, and live switching of window and transcript."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import (
    QColor,
    QGuiApplication,
    QPalette,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from opchat_gui.ui import theme as themes
from opchat_gui.ui.theme import DARK, LIGHT, THEMES, contrast
from tests.conftest import wait_until

AA_BODY = 4.5
TEXT_ROLES = ("text", "muted", "link", "user", "assistant", "system", "error", "warning")
CODE_ROLES = ("code_text", "code_keyword", "code_string", "code_comment", "code_number",
              "code_function")


def test_contrast_formula_matches_known_values():
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)  # famous near-miss
    assert contrast("#ffffff", "#ffffff") == pytest.approx(1.0)


@pytest.mark.parametrize("name", sorted(THEMES))
def test_every_text_colour_passes_wcag_aa(name):
    theme = THEMES[name]
    failures = []
    for background in ("base", "window", "alternate"):
        for role in TEXT_ROLES:
            ratio = contrast(getattr(theme, role), getattr(theme, background))
            if ratio < AA_BODY:
                failures.append(f"{role} on {background}: {ratio:.2f}")
    for role in CODE_ROLES:
        ratio = contrast(getattr(theme, role), theme.code_background)
        if ratio < AA_BODY:
            failures.append(f"{role} on code_background: {ratio:.2f}")
    for text, background in (("notice_text", "notice_background"),
                             ("problem_text", "problem_background"),
                             ("highlighted_text", "highlight"), ("text", "selection")):
        ratio = contrast(getattr(theme, text), getattr(theme, background))
        if ratio < AA_BODY:
            failures.append(f"{text} on {background}: {ratio:.2f}")
    assert not failures, failures


def test_recolour_repaints_tagged_text_and_code_blocks(qapp):
    document = QTextDocument()
    cursor = QTextCursor(document)
    cursor.insertText("You", themes.char_format(LIGHT, "user"))
    cursor.insertText(" plain", QTextCharFormat())
    cursor.insertBlock(themes.block_background(QTextBlockFormat(), LIGHT, "code_background"))
    cursor.insertText("def", themes.char_format(LIGHT, "code_keyword", "code_background"))
    themes.recolour(document, DARK)
    first, code = document.firstBlock(), document.lastBlock()
    fragments = [code_fragment(first, i) for i in range(2)]
    assert fragments[0].charFormat().foreground().color().name() == DARK.user
    assert fragments[1].charFormat().foreground().style() == Qt.BrushStyle.NoBrush  # untagged
    keyword = code_fragment(code, 0).charFormat()
    assert keyword.foreground().color().name() == DARK.code_keyword
    assert keyword.background().color().name() == DARK.code_background
    assert code.blockFormat().background().color().name() == DARK.code_background


def code_fragment(block, index):
    iterator = block.begin()
    for _ in range(index):
        iterator += 1
    return iterator.fragment()


def fragment_colours(transcript) -> dict[str, str]:
    """Text of each coloured fragment -> its colour name, as painted now."""
    found: dict[str, str] = {}
    block = transcript.document().begin()
    while block.isValid():
        iterator = block.begin()
        while not iterator.atEnd():
            fragment = iterator.fragment()
            brush = fragment.charFormat().foreground()
            if brush.style() != Qt.BrushStyle.NoBrush:
                found[fragment.text().strip()] = brush.color().name()
            iterator += 1
        block = block.next()
    return found


def test_theme_switches_live_and_the_transcript_follows(open_app, server, run):
    session = open_app("--url", server.url)
    window = session.window
    session.settings.set("theme", "light")
    QTest.keyClicks(window.composer, "Colour me")
    QTest.keyClick(window.composer, Qt.Key.Key_Return)
    run(wait_until(lambda: not session.service.is_streaming(window.current_id)))
    before = fragment_colours(window.transcript)
    assert before["You"] == LIGHT.user and before["Assistant"] == LIGHT.assistant
    app = QApplication.instance()
    assert app.palette().color(QPalette.ColorRole.Base).name() == LIGHT.base

    session.settings.set("theme", "dark")  # what the settings dialog does

    after = fragment_colours(window.transcript)
    assert after["You"] == DARK.user and after["Assistant"] == DARK.assistant
    assert app.palette().color(QPalette.ColorRole.Base).name() == DARK.base
    assert window.transcript.palette().color(QPalette.ColorRole.Text).name() == DARK.text
    assert DARK.notice_background in app.styleSheet()
    assert window.transcript.toPlainText().count("Colour me") == 2  # nothing re-rendered twice

    # New text after the switch is painted in the new theme too.
    QTest.keyClicks(window.composer, "Again")
    QTest.keyClick(window.composer, Qt.Key.Key_Return)
    run(wait_until(lambda: not session.service.is_streaming(window.current_id)))
    # The reply is rendered Markdown now: links, inline code and pygments-highlighted code
    # have colours too. All must come from the dark theme; none may be light-only.
    dark_allowed = dark_colours()
    painted = set(fragment_colours(window.transcript).values())
    assert {DARK.user, DARK.assistant, DARK.muted} <= painted
    assert painted <= dark_allowed
    assert not painted & (light_colours() - dark_allowed)


def _style_colours(name: str) -> set[str]:
    from pygments.styles import get_style_by_name
    return {QColor("#" + style["color"]).name() for _token, style in get_style_by_name(name)
            if style["color"]}


def dark_colours() -> set[str]:
    from opchat_gui.render.colours import colours_from_theme
    colours = colours_from_theme(DARK)
    return ({getattr(DARK, role) for role in themes.ROLES}
            | {v for v in vars(colours).values() if isinstance(v, str) and v.startswith("#")}
            | _style_colours(colours.pygments_style))


def light_colours() -> set[str]:
    from opchat_gui.render.colours import colours_from_theme
    colours = colours_from_theme(LIGHT)
    return ({getattr(LIGHT, role) for role in themes.ROLES}
            | {v for v in vars(colours).values() if isinstance(v, str) and v.startswith("#")}
            | _style_colours(colours.pygments_style))


def test_system_mode_follows_the_desktop_colour_scheme(open_app, server):
    session = open_app("--url", server.url)
    assert session.settings["theme"] == "system"
    hints = QGuiApplication.styleHints()
    try:
        # The offscreen platform cannot change its scheme, so emit the real signal it sends.
        hints.colorSchemeChanged.emit(Qt.ColorScheme.Dark)
        assert session.themes.theme is DARK
        assert QApplication.instance().palette().color(QPalette.ColorRole.Window).name() \
            == DARK.window
        hints.colorSchemeChanged.emit(Qt.ColorScheme.Light)
        assert session.themes.theme is LIGHT
        session.settings.set("theme", "dark")  # an explicit choice wins over the desktop
        hints.colorSchemeChanged.emit(Qt.ColorScheme.Light)
        assert session.themes.theme is DARK
    finally:
        hints.colorSchemeChanged.emit(hints.colorScheme())


BUBBLES = {  # transcript background -> the text colours drawn on it
    "assistant_bg": ("text", "muted", "link", "assistant_label", "note", "error_text",
                     "quote"),
    "user_bg": ("text", "muted", "link", "user_label"),
    "system_bg": ("text", "muted", "link", "system_label"),
    "error_bg": ("text", "error_text"),
    "code_bg": ("text",),
    "code_header_bg": ("muted", "link"),
    "inline_code_bg": ("text",),
    "table_header_bg": ("text", "link"),
}


@pytest.mark.parametrize("name", sorted(THEMES))
def test_transcript_bubbles_and_code_highlighting_pass_wcag_aa(name):
    """The transcript's own table over the theme (issue 4's rendering), and its pygments style."""
    from pygments.styles import get_style_by_name
    from pygments.token import Whitespace

    from opchat_gui.render.colours import colours_from_theme

    colours = colours_from_theme(THEMES[name])
    failures = [f"{fg} on {bg}: {contrast(getattr(colours, fg), getattr(colours, bg)):.2f}"
                for bg, fgs in BUBBLES.items() for fg in fgs
                if contrast(getattr(colours, fg), getattr(colours, bg)) < AA_BODY]
    for token, style in get_style_by_name(colours.pygments_style):
        if style["color"] and token not in Whitespace:  # whitespace is never drawn
            ratio = contrast("#" + style["color"], colours.code_bg)
            if ratio < AA_BODY:
                failures.append(f"{token} #{style['color']} on code_bg: {ratio:.2f}")
    assert not failures, failures


def test_theme_switch_benchmark_quick_mode_prints_its_json(tmp_path):
    """The benchmark cannot rot; no timing is asserted (see benchmarks/)."""
    import json
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", TMPDIR=str(tmp_path))
    done = subprocess.run([sys.executable, "-m", "benchmarks.theme_switch", "--quick"],
                          cwd=root, env=env, capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout)
    assert result["benchmark"] == "theme_switch" and result["pairs"] == 5
    assert result["blocks_shown"] > 10 and result["switch_ms"] > 0 and result["open_ms"] > 0


def font_sizes(window) -> tuple[float, float]:
    return window.transcript.font().pointSizeF(), window.composer.font().pointSizeF()


def test_composer_and_transcript_share_the_default_size_through_theme_switches(open_app,
                                                                               server):
    """Each switch used to re-polish the app and drop the fonts set in code (11 -> 9 pt)."""
    session = open_app("--url", server.url)
    window = session.window
    default = float(session.settings["transcript_font_size"])
    assert font_sizes(window) == (default, default)
    for mode in ("light", "dark", "system"):
        session.settings.set("theme", mode)
        assert font_sizes(window) == (default, default), mode


def test_a_selection_turns_quiet_when_its_view_loses_focus():
    for theme in THEMES.values():
        palette = theme.palette()
        active = palette.color(QPalette.ColorGroup.Active, QPalette.ColorRole.Highlight)
        inactive = palette.color(QPalette.ColorGroup.Inactive, QPalette.ColorRole.Highlight)
        assert active.name() == theme.highlight
        assert inactive.name() == theme.selection != theme.highlight
        assert palette.color(QPalette.ColorGroup.Inactive,
                             QPalette.ColorRole.HighlightedText).name() == theme.text


def test_search_hit_text_follows_the_colour_group_the_row_is_painted_in(qapp):
    """A selected hit in a list without the focus sits on the quiet Inactive selection: its
    text takes that group's colour, not white on light grey (seen in the screenshots)."""
    from PySide6.QtGui import QPalette
    from PySide6.QtWidgets import QStyle, QStyleOptionViewItem

    from opchat_gui.core.messages import SearchHit
    from opchat_gui.ui.panels.search import HitDelegate
    from opchat_gui.ui.theme import LIGHT

    option = QStyleOptionViewItem()
    option.palette = LIGHT.palette()
    option.state = QStyle.StateFlag.State_Selected  # not State_Active: focus is elsewhere
    hit = SearchHit(1, 2, "Title", "user", "a snippet", 0.0)
    document = HitDelegate()._document(hit, option, True)
    inactive = LIGHT.palette().color(QPalette.ColorGroup.Inactive,
                                     QPalette.ColorRole.HighlightedText).name()
    assert inactive == LIGHT.text
    html = document.toHtml()
    assert "#ffffff" not in html.lower() and inactive.lower() in html.lower()


@pytest.mark.parametrize("name", ["light", "dark"])
def test_check_boxes_and_radio_buttons_are_clearly_visible(qapp, name):
    """Their edge stands out from the window (3:1, WCAG's bar for controls) checked or
    not, a checked box is filled with a white tick, and the focus rings the indicator."""
    from PySide6.QtWidgets import QCheckBox, QRadioButton, QStyle, QStyleOptionButton

    theme = THEMES[name]
    qapp.setPalette(theme.palette())
    qapp.setStyleSheet(theme.stylesheet())
    try:
        for kind, element in ((QCheckBox, QStyle.SubElement.SE_CheckBoxIndicator),
                              (QRadioButton, QStyle.SubElement.SE_RadioButtonIndicator)):
            for checked in (False, True):
                box = kind("Option")
                box.setChecked(checked)
                box.resize(160, 30)
                box.show()
                option = QStyleOptionButton()
                box.initStyleOption(option)
                rect = box.style().subElementRect(element, option, box)
                image = box.grab().toImage()
                edge = image.pixelColor(rect.left() + rect.width() // 2, rect.top()).name()
                assert contrast(edge, theme.window) >= 3, (kind, checked, edge)
                middle = image.pixelColor(rect.center())
                if checked:
                    assert contrast(middle.name(), theme.highlight) < 1.2 or \
                        middle.lightness() > 230, (kind, middle.name())
                    colours = {image.pixelColor(x, y).name()
                               for x in range(rect.left(), rect.right())
                               for y in range(rect.top(), rect.bottom())}
                    if kind is QCheckBox:  # the tick
                        assert any(QColor(c).lightness() > 230 for c in colours)
                else:
                    assert contrast(middle.name(), theme.base) < 1.2
                box.setFocus()
                box.activateWindow()
                QTest.qWait(0)
                if box.hasFocus():
                    focused = box.grab().toImage()
                    assert focused != image  # the focus shows
                box.close()
            # read-only but on: still seen as on (a white tick or a dot on a grey fill)
            box = kind("Option")
            box.setChecked(True)
            box.setEnabled(False)
            box.resize(160, 30)
            box.show()
            option = QStyleOptionButton()
            box.initStyleOption(option)
            rect = box.style().subElementRect(element, option, box)
            image = box.grab().toImage()
            colours = [image.pixelColor(x, y) for x in range(rect.left(), rect.right())
                       for y in range(rect.top(), rect.bottom())]
            fill = image.pixelColor(rect.center()) if kind is QRadioButton else \
                image.pixelColor(rect.left() + 2, rect.top() + 2)
            assert contrast(fill.name(), theme.window) >= 2, (kind, fill.name())
            if kind is QCheckBox:
                assert any(c.lightness() > 230 for c in colours)
                assert contrast("#ffffff", fill.name()) >= 2.5
            box.close()
    finally:
        qapp.setStyleSheet("")


@pytest.mark.parametrize("name", ["light", "dark"])
def test_the_conversation_lists_scroll_bar_has_a_groove_of_the_theme_not_black(qapp, qtbot,
                                                                               name):
    """A list long enough to scroll: the groove under the handle is the theme's quiet
    track colour (Fusion drew it black under the app's style sheet, worst in the dark
    theme), and the handle stands out from it (3:1, WCAG's bar for controls)."""
    import time as clock

    from opchat_gui.core.messages import ConversationSummary
    from opchat_gui.ui.widgets.conversation_list import ConversationList, ConversationModel

    theme = THEMES[name]
    qapp.setPalette(theme.palette())
    qapp.setStyleSheet(theme.stylesheet())
    now = clock.time()
    rows = [ConversationSummary(number, f"Conversation {number}", 0, now - number)
            for number in range(200)]
    model = ConversationModel(lambda: rows, lambda _id: False)
    model.refresh()
    view = ConversationList(model)
    view.set_theme(theme)
    view.resize(260, 400)
    view.show()
    try:
        qtbot.waitUntil(lambda: view.verticalScrollBar().maximum() > 0)
        bar = view.verticalScrollBar()
        image = bar.grab().toImage()
        groove = image.pixelColor(bar.width() // 2, bar.height() - 20).name()
        handle = image.pixelColor(bar.width() // 2, 20).name()
        assert contrast(groove, theme.alternate) < 1.1, groove
        assert contrast(handle, groove) >= 3, (handle, groove)
    finally:
        view.close()
        qapp.setStyleSheet("")
