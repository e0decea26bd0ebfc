"""Random sequences of send, regenerate, edit, branch switch, delete and undo, against a
plain in-memory model of the conversation tree (issue 13).

After every step the stored tree, the path the window draws and the active path agree
with the model; every request the local server receives carries exactly the model's
path as its context. Real parts: the window (offscreen), the chat service, a SQLite
file per example and HTTP to the local AI Engine server.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule
from PySide6.QtWidgets import QMessageBox

from opchat_gui.chat import ChatService, StreamTarget
from opchat_gui.config.settings import Settings
from opchat_gui.providers import Opchatgpts
from opchat_gui.store import History
from opchat_gui.ui.main_window import MainWindow
from opchat_gui.ui.theme import ThemeManager
from tests.conftest import wait_until

WORDS = st.sampled_from(["alpha", "beta", "gamma", "delta", "epsilon"])


@dataclass
class Model:
    """The tree as the issue defines it: siblings in the order made; a switch shows the
    branch below the sibling as it was last on show (its newest if never); deleting a
    message takes everything below it."""

    parent: dict[int, int | None] = field(default_factory=dict)
    role: dict[int, str] = field(default_factory=dict)
    text: dict[int, str] = field(default_factory=dict)
    leaf: int | None = None
    shown: dict[int, int] = field(default_factory=dict)  # leaf -> when last on show
    undo: list[tuple[dict[int, tuple[int | None, str, str]], int | None]] = field(
        default_factory=list)

    def show(self, leaf: int | None) -> None:
        self.leaf = leaf
        if leaf is not None:
            self.shown[leaf] = max(self.shown.values(), default=0) + 1

    def add(self, message_id: int, parent: int | None, role: str, text: str) -> None:
        self.parent[message_id], self.role[message_id] = parent, role
        self.text[message_id] = text
        self.show(message_id)

    def leaf_below(self, node: int) -> int | None:
        """The leaf last on show below `node`, else the end of its newest branch."""
        seen = [m for m in self.subtree(node) if m in self.shown]
        return self.newest_leaf(max(seen, key=self.shown.__getitem__) if seen else node)

    def children(self, node: int | None) -> list[int]:
        return sorted(m for m, p in self.parent.items() if p == node)

    def siblings(self, message_id: int) -> list[int]:
        return self.children(self.parent[message_id])

    def newest_leaf(self, node: int | None) -> int | None:
        while self.children(node):
            node = self.children(node)[-1]
        return node

    def path(self) -> list[int]:
        path, node = [], self.leaf
        while node is not None:
            path.append(node)
            node = self.parent[node]
        return path[::-1]

    def subtree(self, message_id: int) -> list[int]:
        found = [message_id]
        for node in found:
            found.extend(self.children(node))
        return found

    def delete(self, message_id: int) -> None:
        doomed = self.subtree(message_id)
        self.undo.append(({m: (self.parent[m], self.role[m], self.text[m]) for m in doomed},
                          self.leaf))
        others = [s for s in self.siblings(message_id) if s != message_id]
        parent = self.parent[message_id]
        for m in doomed:
            del self.parent[m], self.role[m], self.text[m]
        if self.leaf in doomed:
            self.show(self.leaf_below(others[-1]) if others else parent)


class BranchMachine(RuleBasedStateMachine):
    run = None  # the qasync runner and the server, set by the test
    server = None

    def __init__(self) -> None:
        super().__init__()
        self.folder = tempfile.TemporaryDirectory()
        self.history = History.open(Path(self.folder.name) / "h.sqlite3")
        self.service = ChatService(self.history, lambda _c: StreamTarget(
            Opchatgpts, options={"url": self.server.play_url("echo")}, label="test"))
        self.themes = ThemeManager("light")
        self.window = MainWindow(self.service, settings=Settings(), themes=self.themes)
        conversation = self.service.new_conversation()
        assert conversation is not None
        self.cid = conversation.id
        self.window.open_conversation(self.cid)
        self.model = Model()
        self.said = 0  # numbers every message, so each is found once in the transcript

    def _word(self, word: str) -> str:
        self.said += 1
        return f"{word} #{self.said}"

    def teardown(self) -> None:
        self.run(wait_until(lambda: not self.service.is_streaming(self.cid)))
        self.run(self.service.shutdown())  # as the app does before closing the history
        self.window.close()
        self.window.deleteLater()
        self.themes.close()
        self.history.close()
        self.folder.cleanup()

    # Steps

    def _reply(self, parent: int) -> None:
        """The request just sent carries the model's path; its reply is the new leaf."""
        self.run(wait_until(lambda: not self.service.is_streaming(self.cid),
                            what="the reply"))
        body = self.server.requests[-1].json
        sent = [m["content"] for m in body["messages"]]
        if not sent or sent[-1] != body["newMessage"]:
            sent.append(body["newMessage"])
        assert sent == [self.model.text[m] for m in self.model.path()]
        reply = self.service.path(self.cid)[-1]
        message = self.history.message(reply)
        assert message is not None
        self.model.add(reply, parent, "assistant", message.content)

    @rule(word=WORDS)
    def send(self, word: str) -> None:
        word = self._word(word)
        before = set(self.history.tree(self.cid).parent)
        assert self.service.send(self.cid, word)
        [user] = [m for m in self.service.path(self.cid) if m not in before
                  and self.history.message(m).role == "user"]  # type: ignore[union-attr]
        self.model.add(user, self.model.leaf, "user", word)
        self._reply(user)

    @precondition(lambda self: self.model.leaf is not None
                  and self.model.role[self.model.leaf] == "assistant")
    @rule()
    def regenerate(self) -> None:
        parent = self.model.parent[self.model.leaf]  # type: ignore[index]
        self.window.retry_reply()
        assert parent is not None
        self.model.leaf = parent  # the context is the path down to the reply's parent
        self._reply(parent)

    @precondition(lambda self: any(self.model.role[m] == "user" for m in self.model.path()))
    @rule(pick=st.integers(0, 50), word=WORDS)
    def edit(self, pick: int, word: str) -> None:
        users = [m for m in self.model.path() if self.model.role[m] == "user"]
        chosen = users[pick % len(users)]
        word = self._word(word)
        self.window.edit_last_message(chosen)
        self.window.composer.setPlainText(word + " edited")
        before = set(self.history.tree(self.cid).parent)
        self.window.composer.submitted.emit(self.window.composer.toPlainText())
        [user] = [m for m in self.service.path(self.cid) if m not in before
                  and self.history.message(m).role == "user"]  # type: ignore[union-attr]
        self.model.add(user, self.model.parent[chosen], "user", word + " edited")
        self._reply(user)

    @precondition(lambda self: any(len(self.model.siblings(m)) > 1
                                   for m in self.model.path()))
    @rule(pick=st.integers(0, 50), forward=st.booleans())
    def switch(self, pick: int, forward: bool) -> None:
        forks = [m for m in self.model.path() if len(self.model.siblings(m)) > 1]
        chosen = forks[pick % len(forks)]
        siblings = self.model.siblings(chosen)
        place = siblings.index(chosen) + (1 if forward else -1)
        self.window.switch_branch(chosen, 1 if forward else -1)
        if 0 <= place < len(siblings):
            self.model.show(self.model.leaf_below(siblings[place]))

    @precondition(lambda self: self.model.leaf is not None)
    @rule(pick=st.integers(0, 50))
    def delete(self, pick: int) -> None:
        path = self.model.path()
        chosen = path[pick % len(path)]
        box = self.window.delete_chosen_message(chosen)
        assert box is not None
        assert f": {len(self.model.subtree(chosen))}." in box.text()
        [delete] = [b for b in box.buttons()
                    if box.buttonRole(b) == QMessageBox.ButtonRole.DestructiveRole]
        delete.click()
        self.model.delete(chosen)

    @precondition(lambda self: bool(self.model.undo))
    @rule()
    def undo(self) -> None:
        saved, leaf = self.model.undo.pop()
        self.window.conversations.undo_delete()
        for m, (parent, role, text) in saved.items():
            self.model.parent[m], self.model.role[m], self.model.text[m] = parent, role, text
        self.model.show(leaf)

    # What must hold after every step

    @invariant()
    def stored_drawn_and_active_agree_with_the_model(self) -> None:
        tree = self.history.tree(self.cid)
        assert tree.parent == self.model.parent
        path = self.model.path()
        assert self.service.path(self.cid) == path
        assert self.window.transcript.order == path
        assert self.window.transcript.forks == {
            m: (self.model.siblings(m).index(m) + 1, len(self.model.siblings(m)))
            for m in path if len(self.model.siblings(m)) > 1}
        text = self.window.transcript.toPlainText()
        positions = [text.find(self.model.text[m]) for m in path
                     if self.model.role[m] == "user"]
        assert -1 not in positions and positions == sorted(positions)


def test_random_sequences_keep_store_view_and_requests_in_step(run, server, qapp,
                                                                monkeypatch):
    # A delete stays undoable for the whole example, however slow the machine is.
    monkeypatch.setattr("opchat_gui.chat.replies.UNDO_SECONDS", 3600.0)
    BranchMachine.run = staticmethod(run)  # type: ignore[assignment]
    BranchMachine.server = server
    machine = BranchMachine.TestCase
    machine.settings = settings(max_examples=20, stateful_step_count=10, deadline=None,
                                suppress_health_check=list(HealthCheck))
    machine().runTest()
