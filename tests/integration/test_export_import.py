"""Export to Markdown and JSON, import our JSON and ChatGPT's conversations.json."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from opchat_gui import __version__
from opchat_gui.chat.archive import Archive, ArchiveError
from opchat_gui.store import History, MessageState
from opchat_gui.store.export import FORMAT, FORMAT_VERSION, export_document
from tests.conftest import wait_until
from tests.dialogs import type_path, when_dialog


def sample_history(path: Path) -> History:
    history = History.open(path)
    first = history.create_conversation("Unicode — и Markdown", system_prompt="Be brief.")
    question = history.add_message(first.id, "user", "Привет! **bold** `code`\n\nline two")
    reply = history.add_message(first.id, "assistant", "first answer")
    history.update_message(reply.id, usage='{"completion_tokens": 2}')
    history.add_message(first.id, "assistant", "second answer, kept", parent_id=question.id)
    history.add_message(first.id, "user", "and then?")
    cut = history.add_message(first.id, "assistant", "half of it", MessageState.STREAMING)
    history.recover_interrupted()
    history.update_conversation(first.id, pinned=True, draft="unsent words", model="m-1",
                                generation='{"max_tokens": 64, "temperature": 0.5}')
    second = history.create_conversation("Failures")
    history.add_message(second.id, "user", "fail please")
    failed = history.add_message(second.id, "assistant", "par", MessageState.FAILED)
    history.update_message(failed.id, error="The server reported an error: upstream 500.")
    assert history.message(cut.id).state == MessageState.INTERRUPTED
    return history


def records(history: History) -> list[dict]:
    return export_document(history)["conversations"]


def test_json_round_trip_is_identical_and_a_second_import_adds_nothing(tmp_path):
    original = sample_history(tmp_path / "a.sqlite3")
    out = tmp_path / "all.json"
    Archive(original, tmp_path / "backups").export_all(tmp_path / "export")
    out = tmp_path / "export" / "opchat-gui-export.json"
    document = json.loads(out.read_text(encoding="utf-8"))
    assert (document["format"], document["version"]) == (FORMAT, FORMAT_VERSION)

    fresh = History.open(tmp_path / "b.sqlite3")
    archive = Archive(fresh, tmp_path / "backups")
    result = archive.import_file(out)
    assert (result.added, result.skipped) == (2, 0)
    assert records(fresh) == records(original)  # every field, timestamps, the tree, uids
    assert {c.title: c.generation for c in fresh.conversations()} == {
        "Unicode — и Markdown": '{"max_tokens": 64, "temperature": 0.5}', "Failures": ""}
    talk = fresh.conversations()[0].id
    tree = fresh.tree(talk)
    path = fresh.active_path(talk, tree)
    assert [m.content for m in fresh.path_messages(path)][1:] == [
        "second answer, kept", "and then?", "half of it"]
    assert [m.content for m in fresh.path_messages(tree.siblings(path[1]))] == [
        "first answer", "second answer, kept"]  # the regenerated reply's branch survives

    again = archive.import_file(out)
    assert (again.added, again.skipped) == (0, 2)
    assert len(fresh.conversations()) == 2
    assert Archive(original, tmp_path / "b").import_file(out).added == 0  # nor into the source
    original.close()
    fresh.close()


def test_the_streamed_json_is_byte_for_byte_what_one_json_dump_wrote(tmp_path):
    """Written one conversation at a time now; the file is the same as before."""
    history = sample_history(tmp_path / "a.sqlite3")
    for folder, expected in ((tmp_path / "two", history),
                             (tmp_path / "none", History.open(tmp_path / "empty.sqlite3"))):
        Archive(expected, tmp_path / "backups").export_all(folder)
        written = (folder / "opchat-gui-export.json").read_text(encoding="utf-8")
        document = export_document(expected, app_version=__version__)
        document["exported_at"] = json.loads(written)["exported_at"]
        assert written == json.dumps(document, ensure_ascii=False, indent=1) + "\n"
        expected.close()


def test_markdown_export_writes_one_readable_file_per_conversation(tmp_path):
    history = sample_history(tmp_path / "a.sqlite3")
    archive = Archive(history, tmp_path / "backups")
    written = archive.export_all(tmp_path / "md")
    markdown = sorted(p for p in written if p.suffix == ".md")
    assert len(markdown) == 2
    text = {p.name: p.read_text(encoding="utf-8") for p in markdown}
    [unicode_md] = [t for n, t in text.items() if "unicode" in n]
    assert unicode_md.startswith("# Unicode — и Markdown\n")
    assert "## System prompt\n\nBe brief." in unicode_md
    assert "Привет! **bold** `code`\n\nline two" in unicode_md
    assert "> Interrupted" in unicode_md
    assert "other branches" in unicode_md and "first answer" not in unicode_md
    assert "second answer, kept" in unicode_md  # the branch on show
    [failed_md] = [t for n, t in text.items() if "failures" in n]
    assert "> Failed: The server reported an error: upstream 500." in failed_md
    one = archive.export_conversation(history.conversations()[0].id, tmp_path / "one.md")
    assert one.read_text(encoding="utf-8") in text.values()
    history.close()


@pytest.mark.parametrize(("content", "message"), [
    (b"not json at all", "is not valid JSON"),
    (b'{"format": "something else"}', "not an opchat-gui export"),
    (json.dumps({"format": FORMAT, "version": FORMAT_VERSION + 1, "conversations": []})
     .encode(), "Update opchat-gui"),
    (json.dumps({"format": FORMAT, "version": 1, "conversations": [
        {"messages": [{"role": "wizard", "content": "x"}]}]}).encode(), "no valid role"),
    (b"\xff\xfe\x00garbage", "not UTF-8"),
])
def test_bad_import_files_are_refused_with_a_reason_and_change_nothing(tmp_path, content,
                                                                       message):
    history = sample_history(tmp_path / "a.sqlite3")
    before = records(history)
    bad = tmp_path / "bad.json"
    bad.write_bytes(content)
    with pytest.raises(ArchiveError, match=message):
        Archive(history, tmp_path / "backups").import_file(bad)
    assert records(history) == before
    history.close()


def node(node_id, parent, children, role=None, text=None, **extra):
    message = None
    if role is not None:
        content = extra.pop("content", {"content_type": "text", "parts": [text]})
        message = {"id": node_id, "author": {"role": role, "name": None, "metadata": {}},
                   "create_time": extra.pop("create_time", 1700000000.0 + len(node_id)),
                   "update_time": None, "content": content, "status": "finished_successfully",
                   "end_turn": True, "weight": 1.0, "metadata": extra.pop("metadata", {}),
                   "recipient": extra.pop("recipient", "all")}
    return {"id": node_id, "message": message, "parent": parent, "children": children}


def chatgpt_export() -> list[dict]:
    """Two conversations as ChatGPT's data export writes them (trimmed to what matters)."""
    branching = {
        "root": node("root", None, ["sys"]),
        "sys": node("sys", "root", ["u1"], "system", "",
                    metadata={"is_visually_hidden_from_conversation": True}),
        "u1": node("u1", "sys", ["a1-old", "a1"], "user", "What's the weather in Paris?"),
        "a1-old": node("a1-old", "u1", [], "assistant", "An abandoned first answer."),
        "a1": node("a1", "u1", ["tool-call"], "assistant", "Let me check."),
        "tool-call": node("tool-call", "a1", ["tool"], "assistant", None, recipient="browser",
                          content={"content_type": "code", "language": "unknown",
                                   "text": "search('Paris weather')"}),
        "tool": node("tool", "tool-call", ["a2"], "tool", None,
                     content={"content_type": "tether_browsing_display", "result": "..."}),
        "a2": node("a2", "tool", ["u2-old", "u2"], "assistant", "It is 18 °C and sunny."),
        "u2-old": node("u2-old", "a2", ["a3-old"], "user", "And tomorrow? (first wording)"),
        "a3-old": node("a3-old", "u2-old", [], "assistant", "Old branch reply."),
        "u2": node("u2", "a2", ["a3"], "user", "Thanks! And tomorrow?"),
        "a3": node("a3", "u2", [], "assistant", "Rain is expected."),
    }
    multimodal = {
        "r": node("r", None, ["u"]),
        "u": node("u", "r", ["empty"], "user", None, content={
            "content_type": "multimodal_text",
            "parts": [{"content_type": "image_asset_pointer", "asset_pointer": "file-1"},
                      "What is in this picture?"]}),
        "empty": node("empty", "u", ["a"], "assistant", ""),
        "a": node("a", "empty", [], "assistant", "A cat on a sofa."),
    }
    return [
        {"title": "Paris weather", "create_time": 1700000000.5, "update_time": 1700000100.25,
         "mapping": branching, "current_node": "a3", "conversation_id": "c-0001",
         "id": "c-0001", "default_model_slug": "gpt-4o", "moderation_results": []},
        {"title": "A picture", "create_time": 1700001000.0, "update_time": 1700001001.0,
         "mapping": multimodal, "current_node": "a", "conversation_id": "c-0002",
         "id": "c-0002"},
    ]


def shown(history: History, conversation_id: int) -> list:
    return history.path_messages(history.active_path(conversation_id))


def test_chatgpt_import_keeps_every_branch_shows_the_current_and_skips_hidden_nodes(
        tmp_path):
    path = tmp_path / "conversations.json"
    path.write_text(json.dumps(chatgpt_export()), encoding="utf-8")
    history = History.open(tmp_path / "h.sqlite3")
    archive = Archive(history, tmp_path / "backups")
    result = archive.import_file(path)
    assert (result.added, result.skipped) == (2, 0)
    by_title = {c.title: c for c in history.conversations()}
    paris = by_title["Paris weather"]
    assert (paris.uid, paris.model, paris.created_at) == ("chatgpt:c-0001", "gpt-4o",
                                                          1700000000.5)
    assert [(m.role, m.content) for m in shown(history, paris.id)] == [
        ("user", "What's the weather in Paris?"),
        ("assistant", "Let me check.\n\nIt is 18 °C and sunny."),  # the tool call in between
        ("user", "Thanks! And tomorrow?"),
        ("assistant", "Rain is expected."),
    ]
    # The other branches are kept: the abandoned first answer, the first wording.
    tree = history.tree(paris.id)
    on_show = history.active_path(paris.id, tree)
    assert tree.forks(on_show) == {on_show[1]: (2, 2), on_show[2]: (2, 2)}
    [old_answer] = history.path_messages(tree.siblings(on_show[1])[:1])
    assert old_answer.content == "An abandoned first answer."
    old_question = tree.siblings(on_show[2])[0]
    assert [m.content for m in history.path_messages(tree.path(tree.newest_leaf(
        old_question)))][2:] == ["And tomorrow? (first wording)", "Old branch reply."]
    assert len(tree) == 7
    picture = by_title["A picture"]
    assert [(m.role, m.content) for m in shown(history, picture.id)] == [
        ("user", "[image]\nWhat is in this picture?"), ("assistant", "A cat on a sofa.")]
    assert all(m.state == MessageState.DONE for m in history.messages(picture.id))

    assert archive.import_file(path).added == 0  # a second import adds nothing
    assert len(history.conversations()) == 2
    # Our own export of the imported chats re-imports identically elsewhere.
    archive.export_all(tmp_path / "out")
    other = History.open(tmp_path / "other.sqlite3")
    Archive(other, tmp_path / "b2").import_file(tmp_path / "out" / "opchat-gui-export.json")
    assert records(other) == records(history)
    other.close()
    history.close()


def test_export_and_import_from_the_keyboard(open_app, tmp_path, run):
    session = open_app("--url", "http://127.0.0.1:9")
    window = session.window
    source = tmp_path / "conversations.json"
    source.write_text(json.dumps(chatgpt_export()), encoding="utf-8")
    seen: list = []

    window.activateWindow()
    run(wait_until(lambda: QApplication.activeWindow() is window, what="the window active"))
    when_dialog(type_path(source), seen)
    QTest.keyClick(window, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)
    run(wait_until(lambda: not window.data_menu.operations.busy(), what="the import"))
    assert seen and window.model.rowCount() == 2
    assert "Imported 2 conversation(s)" in window.statusBar().currentMessage()

    window.activateWindow()  # a window manager gives the focus back after a dialog
    run(wait_until(lambda: QApplication.activeWindow() is window, what="the window active"))
    window.step_conversation(1)
    assert window.current_id is not None
    target = tmp_path / "exported.md"
    when_dialog(type_path(target), seen)
    QTest.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    run(wait_until(lambda: not window.data_menu.operations.busy(), what="the export"))
    assert len(seen) == 2 and target.exists()
    title = session.service.conversation(window.current_id).title
    assert target.read_text(encoding="utf-8").startswith(f"# {title}\n")

    # The History menu lists the same commands with their shortcuts.
    menu = window.registry.menus["history"]
    shortcuts = {a.objectName(): a.shortcut().toString() for a in menu.actions()}
    assert shortcuts["export_conversation"] == "Ctrl+S"
    assert shortcuts["import_file"] == "Ctrl+O"
    assert "restore_backup" in shortcuts and "export_all" in shortcuts


def test_history_menu_shortcuts_clash_with_no_other_binding():
    from PySide6.QtGui import QKeySequence

    from opchat_gui.ui.keys.keymap import KEYMAP
    from opchat_gui.ui.keys.registry import COMMANDS

    window_wide = [(QKeySequence(k).toString(), b.action) for b in KEYMAP
                   if b.scope == "window" for k in b.keys]
    ours = {c.action for c in COMMANDS if c.menu == "history"} | {"continue_reply"}
    for key, action in window_wide:
        if action in ours:
            others = [a for k, a in window_wide if k == key and a != action]
            assert others == [], f"{key} is bound to {action} and {others}"


def test_one_conversation_to_json_and_back(tmp_path):
    history = sample_history(tmp_path / "a.sqlite3")
    conversation = history.conversations()[0]
    out = Archive(history, tmp_path / "b").export_conversation(conversation.id,
                                                               tmp_path / "one.json")
    fresh = History.open(tmp_path / "fresh.sqlite3")
    assert Archive(fresh, tmp_path / "b").import_file(out).added == 1
    assert records(fresh) == export_document(history, [conversation.id])["conversations"]
    history.close()
    fresh.close()


def test_a_format_1_export_with_versions_imports_them_as_sibling_replies(tmp_path):
    document = {"format": FORMAT, "version": 1, "conversations": [{
        "uid": "v1-talk", "title": "Old export", "created_at": 1.0, "updated_at": 9.0,
        "messages": [
            {"role": "user", "content": "question", "created_at": 1.0, "updated_at": 1.0},
            {"role": "assistant", "content": "newest answer", "created_at": 2.0,
             "updated_at": 5.0, "versions": [
                 {"content": "oldest answer", "state": "done", "created_at": 3.0},
                 {"content": "middle answer", "state": "done", "created_at": 4.0}]},
            {"role": "user", "content": "follow-up", "created_at": 6.0, "updated_at": 6.0}]}]}
    path = tmp_path / "old.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    history = History.open(tmp_path / "h.sqlite3")
    assert Archive(history, tmp_path / "backups").import_file(path).added == 1
    talk = history.conversations()[0].id
    tree = history.tree(talk)
    path_ids = history.active_path(talk, tree)
    assert [m.content for m in history.path_messages(path_ids)] == [
        "question", "newest answer", "follow-up"]
    assert [m.content for m in history.path_messages(tree.siblings(path_ids[1]))] == [
        "oldest answer", "middle answer", "newest answer"]
    history.close()


def test_messages_deleted_within_their_undo_time_are_not_exported(tmp_path):
    """The export reads on its own connection; it leaves out what the app has hidden."""
    history = History.open(tmp_path / "a.sqlite3")
    talk = history.create_conversation("Pruned")
    history.add_message(talk.id, "user", "kept question")
    history.add_message(talk.id, "assistant", "kept answer")
    doomed = history.add_message(talk.id, "user", "deleted question")
    history.add_message(talk.id, "assistant", "deleted answer")
    gone, _leaf = history.hide_subtree(doomed.id)
    archive = Archive(history, tmp_path / "backups")
    written = archive.export_conversation(talk.id, tmp_path / "talk.json")
    markdown = archive.export_conversation(talk.id, tmp_path / "talk.md")
    [record] = json.loads(written.read_text(encoding="utf-8"))["conversations"]
    assert [m["content"] for m in record["messages"]] == ["kept question", "kept answer"]
    assert "deleted" not in markdown.read_text(encoding="utf-8")
    assert history.unhide(talk.id, gone, _leaf)  # undone: the next export has them again
    written = archive.export_conversation(talk.id, tmp_path / "again.json")
    assert "deleted answer" in written.read_text(encoding="utf-8")
    history.close()
