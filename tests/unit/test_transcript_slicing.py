"""A big reply is written into the transcript a piece per event-loop turn (slicing.py):
its first screenful at once, the rest over later turns, and in the end the same
document as written whole. A real offscreen Transcript; no timing assertions."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication

from opchat_gui.render.colours import DARK
from opchat_gui.store import MessageState
from opchat_gui.ui.transcript.view import Transcript
from opchat_gui.ui.transcript.wide_table import OBJECT
from tests.conftest import wait_until
from tests.transcript_helpers import msg
from tests.unit.test_big_tables import table

CODE = "".join(f"value_{i} = compute({i}) * 2  # line {i}\n" for i in range(6_000))
REPLY = "Here it is:\n\n```python\n" + CODE + "```\n\nThat was the code, then a table.\n\n" \
    + table(300, 30) + "\n\nThe end."


def lines_in(view: Transcript) -> int:
    return view.toPlainText().count("value_")


def test_a_big_reply_shows_its_first_piece_now_and_the_rest_over_later_turns(view, run):
    view.slicer.budget = 0  # one piece per turn
    view.show_messages([msg(1, "user", "show me"), msg(2, "assistant", REPLY),
                        msg(3, "user", "thanks")])
    first = lines_in(view)
    assert 0 < first < 6_000 and "value_0 =" in view.toPlainText()
    assert "The end." not in view.toPlainText() and not view.fully_loaded
    assert view.toPlainText().rstrip().endswith("thanks")  # later messages are in already
    assert view.index.codes[2] == [CODE]  # Copy copies the whole block at once
    assert view.actions.copy_code(2, 0) and QGuiApplication.clipboard().text() == CODE
    QGuiApplication.processEvents()
    assert first < lines_in(view) < 6_000  # one more piece, not all of it
    run(wait_until(lambda: view.fully_loaded, what="the reply's last piece"))
    text = view.toPlainText()
    assert lines_in(view) == 6_000
    grid = text.index("table   Copy\n" + OBJECT)  # the grid: one object under its frame
    assert text.index("value_5999 =") < text.index("That was the code") < grid < text.index(
        "The end.") < text.index("thanks")
    # The pieces are the reply's own blocks: hit tests find it, search finds its text.
    assert view.message_at(view.document().find("value_5999 =").position()) == 2
    [grid] = view.table_matches("r150c3 ")
    assert view.message_at(grid.selectionStart()) == 2
    assert view.message_at(view.document().find("thanks").position()) == 3
    assert len(view.index.codes[2]) == 2 and "r299c29" in view.index.codes[2][1]


def test_written_in_pieces_the_document_equals_the_one_written_whole(view, run, qapp):
    messages = [msg(1, "user", "show me"), msg(2, "assistant", REPLY), msg(3, "user", "ok")]
    whole = Transcript()
    whole.resize(700, 500)
    whole.show()  # (the column's margins follow the view's width)
    whole.slicer.enabled = False
    try:
        whole.show_messages(messages)
        assert whole.fully_loaded  # nothing waits: written at once
        view.show_messages(messages)
        assert view.toPlainText() != whole.toPlainText()
        run(wait_until(lambda: view.fully_loaded, what="the reply's last piece"))
        assert view.toPlainText() == whole.toPlainText()
        assert view.document().toHtml() == whole.document().toHtml()
        assert view.index.codes == whole.index.codes
    finally:
        whole.deleteLater()


def test_a_code_reply_in_pieces_reads_as_the_same_code_block(view, run):
    """A reply that is one code block has the same text, block by block, as before
    slicing (the whole reply rendered at once and inserted in one piece)."""
    reply = "```python\n" + CODE + "```"
    whole = Transcript()
    whole.writer.slicer = None  # the writer as it was: one render, one insertion
    try:
        whole.show_messages([msg(2, "assistant", reply)])
        view.show_messages([msg(2, "assistant", reply)])
        run(wait_until(lambda: view.fully_loaded, what="the reply's last piece"))
        assert view.toPlainText() == whole.toPlainText()
        found = view.document().find("value_5999")
        block = found.block()
        assert block.blockFormat().background() == whole.document().find(
            "value_5999").block().blockFormat().background()
        assert found.charFormat().foreground().color().name() == whole.document().find(
            "value_5999").charFormat().foreground().color().name()
    finally:
        whole.deleteLater()


def test_opening_another_conversation_midway_drops_the_rest(view, run):
    view.slicer.budget = 0
    view.show_messages([msg(2, "assistant", REPLY)])
    assert view.slicer.busy
    view.show_messages([msg(5, "user", "another conversation")])
    assert not view.slicer.busy and view.fully_loaded
    for _ in range(5):
        QGuiApplication.processEvents()
    assert "value_" not in view.toPlainText() and "The end." not in view.toPlainText()
    assert view.toPlainText().strip().endswith("another conversation")


def test_a_redraw_midway_starts_over_and_load_all_finishes_it(view, run):
    view.slicer.budget = 0
    view.show_messages([msg(2, "assistant", REPLY), msg(3, "user", "after")])
    QGuiApplication.processEvents()
    view.set_colours(DARK)  # every message redrawn: the waiting pieces were the old look
    assert view.slicer.busy
    view.load_all()  # (a whole-transcript search or copy) writes the rest now
    assert view.fully_loaded and lines_in(view) == 6_000
    text = view.toPlainText()
    assert text.count("value_0 =") == 1 and text.count("The end.") == 1
    assert text.index("The end.") < text.index("after")
    colour = view.document().find("value_5999").block().blockFormat().background().color()
    assert colour.name() == DARK.code_bg


def test_a_big_code_block_streamed_in_is_written_in_pieces_before_what_follows(view, run,
                                                                              qtlog):
    view.slicer.budget = 0
    view.show_messages([msg(1, "user", "go")])
    view.add_message(msg(2, "assistant", "", MessageState.STREAMING))
    reply = "Intro.\n\n```python\n" + CODE + "```\n\nAfter the code.\n\nLast words"
    closed = reply.index("```\n\nAfter") + 4
    for start in range(0, closed, 3_000):
        view.append_chunk(2, reply[start:min(start + 3_000, closed)])
    assert view.slicer.busy  # the fence closed: its rendering waits its turns
    assert "value_5900 =" in view.toPlainText()  # its plain text goes later, not at once
    view.append_chunk(2, reply[closed:])
    view.update_message(msg(2, "assistant", reply))
    run(wait_until(lambda: view.fully_loaded, what="the streamed block's pieces"))
    text = view.toPlainText()
    assert "```" not in text and lines_in(view) == 6_000
    assert text.index("Intro.") < text.index("value_0 =") < text.index("value_5999 =") \
        < text.index("After the code.") < text.index("Last words")
    assert view.index.codes[2] == [CODE]
    assert not [r.message for r in qtlog.records if "out of range" in r.message]
    reopened = Transcript()
    try:
        reopened.show_messages([msg(1, "user", "go"), msg(2, "assistant", reply)])
        reopened.load_all()

        def words(t: Transcript) -> list[str]:
            return [line.strip() for line in t.toPlainText().replace("\u200b", "").split("\n")
                    if line.strip()]
        assert words(view) == words(reopened)  # what a reopen shows, line for line
    finally:
        reopened.deleteLater()


def test_the_end_stays_in_view_while_pieces_come_in_until_the_user_scrolls(view, run):
    from PySide6.QtWidgets import QAbstractSlider
    bar = view.verticalScrollBar()
    view.show_messages([msg(2, "assistant", REPLY)])
    run(wait_until(lambda: view.fully_loaded, what="the reply's last piece"))
    assert bar.value() == bar.maximum() and "The end." in view.toPlainText()
    view.slicer.budget = 0
    view.show_messages([msg(2, "assistant", REPLY)])
    bar.triggerAction(QAbstractSlider.SliderAction.SliderToMinimum)  # the user scrolls up
    run(wait_until(lambda: view.fully_loaded, what="the reply's last piece"))
    assert bar.value() == 0 < bar.maximum()  # what the user looks at stays put


def test_a_reply_that_ends_with_a_big_code_block_is_written_in_pieces_at_its_end(view, run):
    view.slicer.budget = 0
    view.show_messages([msg(1, "user", "go")])
    view.add_message(msg(2, "assistant", "", MessageState.STREAMING))
    reply = "```python\n" + CODE + "```"  # no newline after the fence: closed at the end
    for start in range(0, len(reply), 3_000):
        view.append_chunk(2, reply[start:start + 3_000])
    view.update_message(msg(2, "assistant", reply))
    assert view.slicer.busy
    run(wait_until(lambda: view.fully_loaded, what="the block's pieces"))
    text = view.toPlainText()
    assert "```" not in text and lines_in(view) == 6_000
    assert text.count("value_5999 =") == 1 and view.index.codes[2] == [CODE]
    assert view.message_at(view.document().find("value_5999 =").position()) == 2


def test_a_reply_with_a_megabyte_line_is_written_plain_in_pieces_as_before(view, run):
    reply = "Before\n" + "word " * 200_000 + "\nafter"  # Markdown would make one paragraph
    whole = Transcript()
    whole.writer.slicer = None  # the writer as it was: all of it at once
    try:
        whole.show_messages([msg(2, "assistant", reply)])
        view.show_messages([msg(2, "assistant", reply)])
        assert view.slicer.busy and "after" not in view.toPlainText()
        run(wait_until(lambda: view.fully_loaded, what="the reply's last piece"))
        assert view.toPlainText() == whole.toPlainText()
        assert view.document().blockCount() == whole.document().blockCount()  # cut alike
        assert view.message_at(view.document().find("after").position()) == 2
    finally:
        whole.deleteLater()


def test_a_big_reply_on_an_older_page_waits_for_its_page_then_comes_in_pieces(view, run):
    """Older pages are written into the pager's own document and moved in at the top: a
    big reply there is parked with its first piece and goes on once it is in the view."""
    messages = [msg(i, "user" if i % 2 else "assistant", REPLY if i == 6 else f"message {i}")
                for i in range(1, 61)]

    def loader(before, limit):
        older = [m for m in messages if before is None or m.id < before]
        return older[-limit:]

    whole = Transcript()
    whole.resize(700, 500)
    whole.show()
    whole.slicer.enabled = False
    try:
        whole.open(loader)
        run(wait_until(lambda: whole.fully_loaded, what="the older messages"))
        view.open(loader)
        assert 6 not in view.order  # an older page: not in the first one
        run(wait_until(lambda: view.fully_loaded, what="the older page's big reply"))
        assert lines_in(view) == 6_000 and view.order == list(range(1, 61))
        assert view.toPlainText() == whole.toPlainText()
        assert view.document().toHtml() == whole.document().toHtml()
        assert view.message_at(view.document().find("value_5999 =").position()) == 6
        bar = view.verticalScrollBar()
        assert bar.value() >= bar.maximum() - 30  # still at the newest message
    finally:
        whole.deleteLater()
