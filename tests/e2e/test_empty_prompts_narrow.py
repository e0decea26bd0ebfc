"""The empty conversation's example prompts stay inside a narrow window: a prompt too
long for its button's line is broken into lines, so all of it shows (issue 16)."""

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
        lines = button.text().split("\n")
        assert all(button.fontMetrics().horizontalAdvance(line) <= room for line in lines)
        assert " ".join(" ".join(lines).split()[1:]) == prompt  # all of it, after the key
        assert "…" not in button.text() and not button.toolTip()
    assert any("\n" in button.text() for button in hint.buttons)  # (it had to wrap)
    window.resize(1100, 720)  # wide again: every prompt in full
    run(wait_until(lambda: all(p in b.text() for b, p in zip(hint.buttons, hint.prompts,
                                                              strict=True)),
                   what="the prompts on one line each"))
