"""The transcript renders Markdown safely, streams block by block, and opens long
conversations newest first. A real offscreen Transcript; real markdown-it and pygments."""

from __future__ import annotations

from PySide6.QtCore import QRegularExpression, QUrl
from PySide6.QtGui import QGuiApplication

from opchat_gui.render.colours import DARK, LIGHT
from opchat_gui.render.markdown import render_markdown
from opchat_gui.render.stream_blocks import BlockSplitter
from opchat_gui.store import MessageState
from opchat_gui.ui.transcript.view import Transcript
from tests.transcript_helpers import image_names, msg

HOSTILE = (
    "<script>alert('x')</script>\n\n"
    "<img src=http://127.0.0.1:9/tracker.png>\n\n"
    "![remote](http://127.0.0.1:9/pixel.png) and [click](javascript:alert(1)) and "
    "<javascript:alert(2)> and [ok](https://example.org)\n\n"
    '<a href="javascript:alert(3)">raw link</a>\n'
)




def anchors(view: Transcript) -> list[str]:
    found = []
    block = view.document().begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            href = it.fragment().charFormat().anchorHref()
            if href:
                found.append(href)
            it += 1
        block = block.next()
    return found


def test_hostile_output_is_shown_as_text_and_loads_nothing(view, monkeypatch):
    loads: list[str] = []
    original = Transcript.loadResource

    def spy(self, kind, url):
        loads.append(url.toString())
        return original(self, kind, url)

    monkeypatch.setattr(Transcript, "loadResource", spy)
    view.show_messages([msg(1, "assistant", HOSTILE)])
    QGuiApplication.processEvents()
    text = view.toPlainText()
    assert "<script>alert('x')</script>" in text  # raw HTML shown, not run or dropped
    assert "<img src=http://127.0.0.1:9/tracker.png>" in text
    assert '<a href="javascript:alert(3)">raw link</a>' in text
    assert "[click](javascript:alert(1))" in text  # not a link
    hrefs = anchors(view)
    assert "https://example.org" in hrefs
    assert "http://127.0.0.1:9/pixel.png" in hrefs  # the image became a link
    assert not any(h.lower().startswith("javascript") for h in hrefs)
    # no image object in the document but the app's own action icons, drawn here
    assert all(name.startswith("opchat-icon:") for name in image_names(view))
    assert text.count("\ufffc") == len(image_names(view))
    assert [url for url in loads if not url.startswith("opchat-icon:")] == []  # nothing fetched


def test_load_resource_refuses_remote_urls(view):
    from PySide6.QtGui import QTextDocument
    result = view.loadResource(QTextDocument.ResourceType.ImageResource.value,
                               QUrl("http://127.0.0.1:9/x.png"))
    assert result is None


def test_only_safe_links_reach_the_system_browser(view, monkeypatch):
    opened: list[str] = []
    monkeypatch.setattr("opchat_gui.ui.transcript.actions.QDesktopServices.openUrl",
                        lambda url: opened.append(url.toString()))
    for href in ("javascript:alert(1)", "file:///etc/passwd", "https://example.org/a",
                 "mailto:a@example.org", "data:text/html,hi"):
        view.actions.on_anchor(QUrl(href))
    assert opened == ["https://example.org/a", "mailto:a@example.org"]


def test_a_one_megabyte_line_streams_and_renders(view):
    view.show_messages([msg(1, "user", "go")])
    view.add_message(msg(2, "assistant", "", MessageState.STREAMING))
    line = "x" * 1_000_000
    for start in range(0, len(line), 50_000):
        view.append_chunk(2, line[start:start + 50_000])
    view.update_message(msg(2, "assistant", line))
    assert view.toPlainText().count("x") == 1_000_000


def test_markdown_tables_code_and_roles_render(view):
    reply = ("# Title\n\nSome **bold** and `code`.\n\n| Key | Action |\n|---|---|\n"
             "| Esc | Stop |\n\n```python\ndef f():\n    return 1\n```\n")
    view.show_messages([msg(1, "user", "Show me"), msg(2, "assistant", reply),
                        msg(3, "system", "Be brief"), msg(4, "error", "Boom")])
    text = view.toPlainText()
    for visible in ("You", "Assistant", "System", "Error", "Title", "Some bold and code.",
                    "Esc", "Stop", "def f():", "Copy", "Show me", "Be brief", "Boom"):
        assert visible in text
    assert "**" not in text and "```" not in text
    assert view.index.codes[2] == ["def f():\n    return 1\n"]
    # each message's blocks are marked as its own, so hit tests and actions find them
    assert view.message_at(view.document().find("Title").position()) == 2
    assert view.message_at(view.document().find("Boom").position()) == 4
    # code is highlighted: pygments gave 'def' its own colour
    found = view.document().find("def f")
    assert found.charFormat().foreground().color().name() != "#000000"


def test_streaming_renders_finished_blocks_once_and_the_open_one_as_it_grows(view):
    view.show_messages([msg(1, "user", "q")])
    view.add_message(msg(2, "assistant", "", MessageState.STREAMING))
    rendered: list[str] = []  # finished blocks (the open block renders partial=True)
    import opchat_gui.ui.transcript.writer as transcript_module
    real = transcript_module.render_markdown

    def counting(text, *args, **kwargs):
        if not kwargs.get("partial"):
            rendered.append(text)
        return real(text, *args, **kwargs)

    real_code = transcript_module.write_code_block

    def counting_code(cursor, code, *args, **kwargs):  # finished code: written directly
        rendered.append("code: " + code)
        real_code(cursor, code, *args, **kwargs)

    transcript_module.render_markdown = counting
    transcript_module.write_code_block = counting_code
    try:
        reply = "Para **one**\n\n```py\nx = 1\n```\n\nPara two is *long* " + "word " * 50
        for start in range(0, len(reply), 7):
            view.append_chunk(2, reply[start:start + 7])
        assert "Para one" in view.toPlainText()  # finished block rendered
        assert "*long*" not in view.toPlainText()  # the open block is shown formatted
        assert "Para two is long word" in view.toPlainText()
        assert rendered == ["Para **one**\n\n", "code: x = 1\n"]  # each once
        view.update_message(msg(2, "assistant", reply))
        assert rendered[-1].startswith("\nPara two")  # only the tail at the end
        assert len(rendered) == 3
    finally:
        transcript_module.render_markdown = real
        transcript_module.write_code_block = real_code
    assert "*long*" not in view.toPlainText()
    assert view.index.codes[2] == ["x = 1\n"]


def test_splitter_returns_every_character_once_in_any_chunking():
    text = ("# T\n\nA\nB\n\n```py\nx\n\ny\n```\nafter\n\n- a\n- b\n\n  more\n\n"
            "~~~\n```\n~~~\n\n| a |\n|---|\n| 1 |\n\nend")
    for size in range(1, 12):
        splitter = BlockSplitter()
        parts = [splitter.feed(text[i:i + size]) for i in range(0, len(text), size)]
        parts.append(splitter.finish())
        assert "".join(parts) == text
        assert "```py\nx\n\ny\n```\n" in parts  # a fence is never cut inside


def test_open_shows_newest_first_and_older_pages_when_needed(view, run):
    from tests.conftest import wait_until
    messages = [msg(i, "user" if i % 2 else "assistant", f"message number {i}")
                for i in range(1, 501)]
    pages: list[tuple[int | None, int]] = []

    def loader(before, limit):
        pages.append((before, limit))
        older = [m for m in messages if before is None or m.id < before]
        return older[-limit:]

    view.open(loader)
    assert "message number 500" in view.toPlainText()
    assert "message number 1\n" not in view.toPlainText()
    assert not view.fully_loaded
    bar = view.verticalScrollBar()
    assert bar.value() == bar.maximum()
    run(wait_until(lambda: view.settled, what="the page above the first"))
    # One page above the first screen, no more until the user scrolls up (or needs them).
    assert len(pages) == 2 and not view.fully_loaded
    assert view.order == list(range(501 - len(view.order), 501)) and len(view.order) < 200
    assert bar.value() >= bar.maximum() - 30  # still at the newest message
    view.scroll_to_start()  # Ctrl+Home: every older message, a page per step, at the top
    run(wait_until(lambda: view.fully_loaded, what="the older pages"))
    assert bar.value() == 0
    text = view.toPlainText()
    assert text.index("message number 1\n") < text.index("message number 500")
    assert view.order == list(range(1, 501))
    # Older messages are whole messages like the rest: hit tests and selection find them.
    for number in (1, 2, 250, 470, 471, 500):
        found = view.document().find(QRegularExpression(f"message number {number}(?!\\d)"))
        assert view.message_at(found.position()) == number
        view.select_message(number)
        selected = view.textCursor().selectedText()
        assert f"message number {number}" in selected and selected.count("message number") == 1


def test_theme_change_restyles_code(view):
    view.set_colours(LIGHT)
    view.show_messages([msg(1, "assistant", "```python\nprint(1)\n```\n")])
    light = view.document().find("print").charFormat().foreground().color().name()
    view.set_colours(DARK)
    dark = view.document().find("print").charFormat().foreground().color().name()
    assert light != dark
    view.set_colours(LIGHT)


def test_render_markdown_escapes_and_numbers_code():
    rendered = render_markdown("`<b>`\n\n```\na\n```\n\n```sh\nb\n```", LIGHT,
                               message_id=7, code_base=3)
    assert "&lt;b&gt;" in rendered.html and "<b>" not in rendered.html
    assert "opchat:copy-code/7/3" in rendered.html and "opchat:copy-code/7/4" in rendered.html
    assert rendered.codes == ["a\n", "b\n"]


def test_table_alignment_becomes_an_attribute():
    rendered = render_markdown("| a | b | c |\n|:-:|--:|---|\n| 1 | 2 | 3 |\n", LIGHT).html
    assert '<th align="center"' in rendered and '<td align="right">' in rendered
    assert "<td>3</td>" in rendered
