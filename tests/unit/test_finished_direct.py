"""A finished block that is one plain paragraph or one fenced code block is written
without HTML (MessageWriter.markdown): the document must come out as the HTML path
(render_markdown, then insertHtml) writes it, light and dark, and code blocks keep
their Copy index."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QTextBlockFormat, QTextCharFormat, QTextCursor, QTextDocument

from opchat_gui.render.colours import DARK, LIGHT
from opchat_gui.render.markdown import render_markdown
from opchat_gui.ui.transcript.index import MessageIndex
from opchat_gui.ui.transcript.text import SPACER
from opchat_gui.ui.transcript.writer import MessageWriter
from tests.unit.test_code_block_direct import structure

TEXTS = [
    "This paragraph is one of many in a very long reply, written to stress the "
    "transcript with realistic prose that wraps across several lines of the view.\n\n",
    "Two lines of plain words,\nthe second one (with brackets) and \"quotes\"!\n\n",
    "Héllo wörld, don't-stop  \n",  # (a hard break needs the renderer: HTML both ways)
    "```python\nfor index in range(10):\n    print(index * index)\n```\n",
    "Words and **bold** ones\n\n",  # the renderer's
    "Para one.\n\n```python\nx = 1\n```\n",
    "```python\nx = '''a\nb'''\n```\n\nPara two, after code.\n\nPara three.\n",
    "This paragraph is one of many.\n\n```python\nfor index in range(10):\n"
    "    print(index * index)\n```\n\nThis paragraph is the next one\n",
    "Para\n```js\nlet a = 1;\n```\nAfter words\n",
    "```python\nx\n```\n\n```js\ny\n```\n",  # two code blocks: the renderer's
]


def written(text: str, colours, direct: bool) -> tuple[QTextDocument, list[str]]:
    document = QTextDocument()
    cursor = QTextCursor(document)
    cursor.insertText("before")
    cursor.insertBlock(QTextBlockFormat(), QTextCharFormat())
    writer = MessageWriter(MessageIndex(), lambda _message: [], colours)
    writer.index.codes[5] = ["earlier code\n"]
    if direct:
        assert writer.markdown(cursor, text, 5)
    else:
        rendered = render_markdown(text, colours, message_id=5, code_base=1, copy_label="Copy")
        writer.index.codes[5].extend(rendered.codes)
        cursor.insertHtml(SPACER + rendered.html)
    return document, writer.index.codes[5]


@pytest.mark.parametrize("colours", [LIGHT, DARK], ids=["light", "dark"])
@pytest.mark.parametrize("text", TEXTS)
def test_a_finished_block_written_directly_is_the_html_paths(qapp, text, colours):
    (direct, direct_codes), (html, html_codes) = (written(text, colours, True),
                                                  written(text, colours, False))
    assert direct.toPlainText() == html.toPlainText()
    assert structure(direct) == structure(html)
    assert direct.toHtml() == html.toHtml()
    assert direct_codes == html_codes


def test_paragraphs_and_one_code_block_take_the_direct_way():
    from opchat_gui.ui.transcript.code_block import direct_blocks

    direct = [direct_blocks(text) is not None for text in TEXTS]
    assert direct == [True, True, False, True, False, True, True, True, True, False]
