"""Tool turns on disk (issue 17): saved as messages on their branch, exported and imported,
searchable, left `interrupted` by a crash mid-call, and sent back in OpenAI's shape."""

from __future__ import annotations

import json

from opchat_gui.chat.archive import Archive
from opchat_gui.chat.tool_turns import NO_RESULT, context_messages
from opchat_gui.core.messages import tool_info
from opchat_gui.store import History, MessageState
from opchat_gui.store.export import export_document

CALLS = [{"id": "call_1", "type": "function",
          "function": {"name": "git_log", "arguments": '{"max_count": 3}'}},
         {"id": "call_2", "type": "function",
          "function": {"name": "get_current_time", "arguments": "{}"}}]


def tool_turn(history: History) -> tuple[int, list[int]]:
    """A question, an assistant turn calling two tools, the first finished, the second
    still running (as a crash would leave it)."""
    conversation = history.create_conversation()
    user, reply = history.add_exchange(conversation.id, "what happened in the repository?")
    history.update_message(reply.id, content="Let me look.", state=MessageState.DONE,
                           tool_calls=json.dumps(CALLS))
    first = history.add_message(conversation.id, "tool", "", MessageState.STREAMING,
                                parent_id=reply.id, tool_call_id="call_1",
                                meta=json.dumps({"tool": {"server": "git", "tool": "git_log"}}))
    history.update_message(first.id, content="commit abc123 fixed the flux capacitor",
                           state=MessageState.DONE,
                           tool_meta={"server": "git", "tool": "git_log", "ms": 400})
    second = history.add_message(conversation.id, "tool", "", MessageState.STREAMING,
                                 parent_id=first.id, tool_call_id="call_2",
                                 meta=json.dumps({"tool": {"server": "time"}}))
    return conversation.id, [user.id, reply.id, first.id, second.id]


def test_a_crash_mid_call_leaves_the_turn_interrupted_and_the_model_gets_no_result(tmp_path):
    history = History.open(tmp_path / "h.sqlite3")
    conversation_id, ids = tool_turn(history)
    history.close()

    history = History.open(tmp_path / "h.sqlite3")  # the next start
    history.recover_interrupted()
    messages = history.path_messages(history.active_path(conversation_id))
    assert [m.id for m in messages] == ids
    running = messages[-1]
    assert running.state == MessageState.INTERRUPTED and tool_info(running) == {"server": "time"}
    assert tool_info(messages[2])["ms"] == 400
    assert json.loads(messages[1].tool_calls) == CALLS  # whole JSON, never half

    sent = context_messages(messages)
    assert sent == [
        {"role": "user", "content": "what happened in the repository?"},
        {"role": "assistant", "content": "Let me look.", "tool_calls": CALLS},
        {"role": "tool", "tool_call_id": "call_1",
         "content": "commit abc123 fixed the flux capacitor"},
        {"role": "tool", "tool_call_id": "call_2", "content": NO_RESULT}]
    history.close()


def test_a_call_without_its_row_still_gets_an_answer_before_the_next_turn(tmp_path):
    history = History.open(tmp_path / "h.sqlite3")
    conversation_id, ids = tool_turn(history)
    history.connection.execute("DELETE FROM messages WHERE id = ?", (ids[3],))  # never made
    history.add_message(conversation_id, "user", "and now?", parent_id=ids[2])
    sent = context_messages(history.path_messages(history.active_path(conversation_id)))
    assert [m["role"] for m in sent] == ["user", "assistant", "tool", "tool", "user"]
    assert sent[3] == {"role": "tool", "tool_call_id": "call_2", "content": NO_RESULT}
    history.close()


def test_tool_turns_are_searchable_and_survive_export_and_import(tmp_path):
    history = History.open(tmp_path / "h.sqlite3")
    conversation_id, ids = tool_turn(history)
    history.update_message(ids[3], content="12:00 in Paris", state=MessageState.DONE,
                           tool_meta={"server": "time", "tool": "get_current_time"})
    hits = {hit.message_id for hit in history.search("git_log")}
    assert ids[1] in hits  # the call's name, in tool_calls
    assert ids[2] in {hit.message_id for hit in history.search("capacitor")}  # its result

    out = Archive(history, tmp_path / "b").export_conversation(conversation_id,
                                                               tmp_path / "one.json")
    fresh = History.open(tmp_path / "fresh.sqlite3")
    assert Archive(fresh, tmp_path / "b").import_file(out).added == 1
    assert (export_document(fresh)["conversations"]
            == export_document(history)["conversations"])
    imported = fresh.conversations()[0]
    messages = fresh.path_messages(fresh.active_path(imported.id))
    assert [m.role for m in messages] == ["user", "assistant", "tool", "tool"]
    assert messages[2].tool_call_id == "call_1" and tool_info(messages[3])["server"] == "time"
    assert json.loads(messages[1].tool_calls) == CALLS
    history.close()
    fresh.close()


def test_a_tool_rows_own_meta_key_leaves_the_others_alone(tmp_path):
    history = History.open(tmp_path / "h.sqlite3")
    _, ids = tool_turn(history)
    history.connection.execute("UPDATE messages SET meta = json_set(meta, '$.last_leaf', 7)"
                               " WHERE id = ?", (ids[2],))
    history.update_message(ids[2], tool_meta={"server": "git", "tool": "git_log", "ms": 9})
    meta = json.loads(history.message(ids[2]).meta)
    assert meta == {"last_leaf": 7, "tool": {"server": "git", "tool": "git_log", "ms": 9}}
    history.close()


def test_the_markdown_export_shows_the_calls_and_their_results_folded(tmp_path):
    history = History.open(tmp_path / "h.sqlite3")
    conversation_id, ids = tool_turn(history)
    history.update_message(ids[3], state=MessageState.INTERRUPTED)  # as recovery leaves it
    out = Archive(history, tmp_path / "b").export_conversation(conversation_id,
                                                               tmp_path / "one.md")
    text = out.read_text("utf-8")
    assert "Let me look.\n\n- Called `git_log` with `{\"max_count\": 3}`\n" \
           "- Called `get_current_time` with `{}`" in text
    assert ("<details>\n<summary>Called: git_log on git · 0.4 s</summary>\n\n```\n"
            "commit abc123 fixed the flux capacitor\n```\n\n</details>") in text
    assert "<summary>Interrupted: tool on time</summary>" in text  # no name was saved
    assert "## tool ·" not in text  # under the reply, not a turn of their own
    history.close()
