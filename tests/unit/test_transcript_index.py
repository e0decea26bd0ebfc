"""The transcript's parts share one message index: the view writes, the pager joins
older pages, the actions read; what one changes the others see. Real offscreen widgets."""

from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtGui import QGuiApplication

from opchat_gui.store import Message
from opchat_gui.ui.transcript.paging import Pager
from tests.conftest import wait_until
from tests.transcript_helpers import msg


def test_a_new_transcript_is_fully_loaded_before_anything_opens(view):
    # It raised AttributeError: the pager's state was first set when a conversation opened.
    assert view.fully_loaded
    view.load_all()
    assert view.order == [] and view.position_of(1) is None


def test_each_message_is_one_range_and_a_branch_redraws_from_the_fork_only(view):
    view.show_messages([msg(1, "user", "first question"), msg(2, "assistant", "first answer"),
                        msg(3, "user", "second question")])
    view.add_message(msg(4, "assistant", "second answer"))
    for mid, words in ((1, "first question"), (2, "first answer"), (4, "second answer")):
        view.select_message(mid)
        selected = view.textCursor().selectedText()
        assert words in selected and "question" not in selected.replace(words, "")
        assert view.message_at(view.document().find(words).position()) == mid
    above = view.index.position(2)
    fetched: list[list[int]] = []
    other = {5: msg(5, "user", "another question"), 6: msg(6, "assistant", "another answer")}

    def fetch(ids: list[int]) -> list[Message]:
        fetched.append(ids)
        return [other[i] for i in ids]

    assert view.redraw_from([1, 2, 5, 6], fetch, {5: (2, 2), 3: (1, 2)}) == 2
    assert fetched == [[5, 6]]  # only the new branch is read and written
    assert view.order == [1, 2, 5, 6] and view.index.position(2) == above
    text = view.toPlainText()
    assert "second" not in text
    assert text.index("first answer") < text.index("another question") < text.index(
        "another answer")
    assert "‹ 2/2 ›" in text
    view.select_message(5)
    assert "another question" in view.textCursor().selectedText()
    assert view.message_at(view.document().find("another answer").position()) == 6


def test_the_branch_links_ask_for_the_sibling_and_the_copy_is_what_is_shown(view):
    view.forks = {2: (2, 3)}
    view.show_messages([msg(1, "user", "q"), msg(2, "assistant", "the new answer")])
    assert "‹ 2/3 ›" in view.toPlainText()
    asked: list[tuple[int, int]] = []
    view.branchRequested.connect(lambda mid, delta: asked.append((mid, delta)))
    view.actions.on_anchor(QUrl("opchat:branch/2/-1"))  # the footer's "‹"
    view.actions.on_anchor(QUrl("opchat:branch/2/1"))  # and "›"
    assert asked == [(2, -1), (2, 1)]
    assert view.actions.step_branch(1)  # Alt+Right with nothing chosen: the lowest fork
    assert asked[-1] == (2, 1)
    assert view.actions.copy_message(2)
    assert QGuiApplication.clipboard().text() == "the new answer"


def test_opening_another_conversation_drops_the_older_pages_still_loading(view, run):
    long = [msg(i, "user", f"old conversation {i}") for i in range(1, 400)]
    view.open(lambda before, limit: [m for m in long if before is None or m.id < before][-limit:])
    assert not view.fully_loaded
    view.show_messages([msg(1000, "user", "the new one")])
    run(wait_until(lambda: view.fully_loaded))
    QGuiApplication.processEvents()
    assert view.order == [1000]
    assert "old conversation" not in view.toPlainText()


def test_older_pages_join_the_index_and_the_actions_see_them(view, run):
    messages = [msg(i, "assistant" if i % 2 else "user", f"number {i}") for i in range(1, 301)]
    view.open(lambda before, limit:
              [m for m in messages if before is None or m.id < before][-limit:])
    run(wait_until(lambda: view.settled, what="the page above the first"))
    assert not view.fully_loaded and view.order == list(range(301 - len(view.order), 301))
    assert view.actions.step(-1) == 300
    oldest = view.order[0]
    view.actions.selected = oldest
    # Alt+Up on the oldest message loaded: the one above it is brought in and chosen.
    assert view.actions.step(-1) == oldest - 1
    assert f"number {oldest - 1}" in view.textCursor().selectedText()
    assert view.order == list(range(view.order[0], 301))
    view.scroll_to_start()  # Ctrl+Home: the rest, a page per step
    run(wait_until(lambda: view.fully_loaded, what="the older pages"))
    assert view.order == list(range(1, 301))
    view.actions.selected = 2
    assert view.actions.step(-1) == 1
    assert "number 1" in view.textCursor().selectedText()
    assert view.actions.copy_selected_or_last_reply()
    assert QGuiApplication.clipboard().text() == "number 1"


def test_fully_loaded_waits_for_the_last_older_messages_to_move_in(view, run, monkeypatch):
    # A step could end right after rendering the last older message, which then still sat
    # in the pager's detached document while fully_loaded already said yes: load_all() and
    # position_of() did nothing, and B2 counted the messages too early.
    seen: list[tuple[bool, int]] = []
    real = Pager._render_older

    def step(self, budget):
        real(self, budget)
        seen.append((self.fully_loaded, len(view.order)))  # what a caller sees between steps

    monkeypatch.setattr(Pager, "_render_older", step)
    view.pager.budget = 0  # every background step renders one message
    messages = [msg(i, "user", f"line {i}") for i in range(1, 36)]
    view.open(lambda before, limit:
              [m for m in messages if before is None or m.id < before][-limit:])
    run(wait_until(lambda: view.fully_loaded, what="older messages"))  # (35: two pages)
    assert view.order == list(range(1, 36))
    assert {count for loaded, count in seen if loaded} == {35}  # yes only once all are in


def test_a_branch_drawn_from_above_the_loaded_pages_loads_its_own_older_pages(view, run):
    # Switching the branch of the oldest message loaded: the new branch shares nothing with
    # what is drawn. Its newest messages are written (as many as were drawn, not all of it)
    # and its older ones come from the loader, as on open; nothing of the old branch stays.
    old = {i: msg(i, "user", f"old branch {i}") for i in range(1, 301)}
    new = {i: msg(i, "user", f"new branch {i}") for i in range(1001, 1301)}

    def loader(before, limit):
        branch = new if before is not None and before > 1000 else old
        return [m for i, m in sorted(branch.items()) if before is None or i < before][-limit:]

    view.open(loader)
    run(wait_until(lambda: view.settled, what="the page above the first"))
    drawn = len(view.order)
    assert drawn < 300
    written = view.redraw_from(list(new), lambda ids: [new[i] for i in ids], {})
    assert written == drawn and view.order == list(range(1301 - drawn, 1301))
    assert not view.fully_loaded
    view.scroll_to_start()
    run(wait_until(lambda: view.fully_loaded, what="the new branch's older pages"))
    assert view.order == list(range(1001, 1301))
    assert "old branch" not in view.toPlainText()


def test_a_branch_drawn_from_above_drops_the_big_reply_parked_on_the_page_in_flight(view, run):
    # A big reply on the older page being rendered waits (parked) in the pager's detached
    # document; a branch drawn from above drops that document, and the reply's pieces must
    # go with it, or the view would never settle (and never be fully loaded).
    big = "\n\n".join(f"Paragraph {i}: " + "text " * 20 for i in range(400))
    old = {i: msg(i, "assistant", big if i == 269 else f"old {i}") for i in range(1, 301)}
    new = {i: msg(i, "user", f"new branch {i}") for i in range(1001, 1301)}

    def loader(before, limit):
        branch = new if before is not None and before > 1000 else old
        return [m for i, m in sorted(branch.items()) if before is None or i < before][-limit:]

    view.pager.budget = 0  # one message per background step
    view.open(loader)
    run(wait_until(lambda: view.slicer.queued(269), what="the big reply parked"))
    assert 269 not in view.order  # still in the detached document
    view.redraw_from(list(new), lambda ids: [new[i] for i in ids], {})
    run(wait_until(lambda: view.settled, what="the view to settle"))
    assert not view.slicer.busy and "old" not in view.toPlainText()
