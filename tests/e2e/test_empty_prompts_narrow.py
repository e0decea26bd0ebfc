"""The empty conversation's example prompts stay inside a narrow window: a prompt too
long for its button is cut with '…' and its tooltip holds all of it (issue 16)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from tests.conftest import wait_until


@pytest.mark.parametrize("width", [620, 480])
def test_russian_prompts_fit_a_narrow_window(open_app, data_dir, server, run, width):
    config = data_dir / "config"
    config.mkdir(parents=True)
    (config / "settings.json").write_text('{"language": "ru"}', encoding="utf-8")
    window = open_app("--url", server.url).window
    window.resize(width, 600)
    window.show()
    hint = window.empty_hint
    run(wait_until(hint.isVisible, what="the empty conversation"))
    QApplication.processEvents()
    assert hint.try_label.text() != "Try one of these:"  # Russian
    for button, prompt in zip(hint.buttons, hint.prompts, strict=True):
        assert hint.rect().contains(button.geometry()), (button.geometry(), hint.rect())
        room = button.contentsRect().width() - 24  # the style's 12 px padding each side
        assert button.fontMetrics().horizontalAdvance(button.text()) <= room, button.text()
        if prompt not in button.text():
            assert button.text().endswith("…") and button.toolTip() == prompt
    window.resize(1100, 720)  # wide again: every prompt in full
    run(wait_until(lambda: all(p in b.text() for b, p in zip(hint.buttons, hint.prompts,
                                                              strict=True)),
                   what="the prompts in full"))
