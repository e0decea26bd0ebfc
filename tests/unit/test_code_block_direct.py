"""A finished code block written without HTML (ui/transcript/code_block.py) must come
out exactly as the HTML path writes it (render_markdown, then insertHtml): the same
text, block formats and char-format runs, light and dark, for every kind of code."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QTextBlockFormat, QTextCharFormat, QTextCursor, QTextDocument

from opchat_gui.render.colours import DARK, LIGHT
from opchat_gui.render.markdown import render_markdown
from opchat_gui.ui.transcript.code_block import lone_fence, write_code_block
from opchat_gui.ui.transcript.text import SPACER
from tests.transcript_helpers import document_structure

BLOCKS = [
    "```python\nfor index in range(10):\n    print(index * index)\n```\n",
    "```python\ndef greet(name: str) -> str:\n    return f\"Hello, {name}!\"\n\n"
    "print(greet(\"opchat-gui\"))  # <&> café\n```\n\n",
    "```python\nx = '''a\nmulti-line\nstring'''\n\n\n\ty = 2  \n```",
    "```js\nconst a = `t ${b}`; // c\n```\n",
    "```\nno language < & > here\n  indented\n```\n",
    "```no-such-language\nplain text\n```\n",
    "```c++\nint main() { return 0; }\n```\n",
    "```rust\nfn main() {\n    println!(\"hi\");\n}\n```\n",
    "```bash\necho $HOME | grep -v x\n```\n",
    "```python\nx\n```\n",
    "```python\n# a comment\n\n\n    \nx = 1  \n```\n",
    "```html\n<div class=\"a\">&amp; text</div>\n```\n",
    "```json\n{\"a\": [1, 2.5, true, null]}\n```\n",
    "```diff\n- a\n+ b\n```\n",
    "```sql\nSELECT * FROM t WHERE a = 'x';\n```\n",
    "```python\n\u00e9 = '\U0001f600 emoji'  \t\n```\n",
    "```python\n" + "value = 'a long line of code' + " * 12 + "''\n```\n",
]


structure = document_structure


def written(text: str, colours, direct: bool) -> QTextDocument:
    document = QTextDocument()
    cursor = QTextCursor(document)
    cursor.insertText("before")
    cursor.insertBlock(QTextBlockFormat(), QTextCharFormat())
    if direct:
        fence = lone_fence(text)
        assert fence is not None
        write_code_block(cursor, fence.code, fence.language, colours,
                         "opchat:copy-code/7/3", "Копировать")
    else:
        cursor.insertHtml(SPACER + render_markdown(text, colours, message_id=7, code_base=3,
                                                   copy_label="Копировать").html)
    return document


@pytest.mark.parametrize("colours", [LIGHT, DARK], ids=["light", "dark"])
@pytest.mark.parametrize("text", BLOCKS)
def test_a_code_block_written_directly_is_the_html_paths_block(qapp, text, colours):
    html, direct = written(text, colours, False), written(text, colours, True)
    assert direct.toPlainText() == html.toPlainText()
    assert structure(direct) == structure(html)
    assert direct.toHtml() == html.toHtml()


@pytest.mark.parametrize("text", [
    "para\n\n```python\nx\n```\n", "```python\nx\n```\n\nafter\n", "```python\nx\n",
    "```python\n```\n", "```python\n\nx\n```\n", "```python\nx\u202e\n```\n",
    "```python\r\nx\r\n```\r\n", "~~~python\nx\n~~~\n",
])
def test_anything_but_one_plain_finished_fence_goes_the_html_way(text):
    assert lone_fence(text) is None


@pytest.mark.parametrize("colours", [LIGHT, DARK], ids=["light", "dark"])
@pytest.mark.parametrize("text", [BLOCKS[0], BLOCKS[4],
                                  "A plain paragraph, then code.\n\n" + BLOCKS[1]])
def test_a_folded_start_is_the_spacer_folded_away(qapp, text, colours):
    """A streamed update folds the spacer heading its insertion into the block after it
    (text.drop_spacer); the direct writers' `fold` skips writing it: the same document."""
    from opchat_gui.ui.transcript.index import MessageIndex
    from opchat_gui.ui.transcript.text import drop_spacer
    from opchat_gui.ui.transcript.writer import MessageWriter

    documents = []
    for fold in (False, True):
        document = QTextDocument()
        cursor = QTextCursor(document)
        cursor.insertText("before")
        cursor.insertBlock(QTextBlockFormat(), QTextCharFormat())
        start = cursor.position()
        writer = MessageWriter(MessageIndex(), lambda _message: [], colours)
        assert writer.markdown(cursor, text, 7, fold=fold)
        writer.paragraph(cursor, "the open paragraph", fold=fold)  # (not at a block start)
        drop_spacer(document, start)
        documents.append(structure(document))
    assert documents[0] == documents[1]
    assert documents[1][1][0] != "\u200b"  # the spacer's line is gone either way
