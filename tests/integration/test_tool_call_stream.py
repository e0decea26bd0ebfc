"""Streamed tool calls put back together, over real HTTP from the local OpenAI server."""

from __future__ import annotations

import json

import aiohttp
import pytest

from opchat_gui.demo.openai_server import TOOL_CALLS
from opchat_gui.providers.lines import iter_lines
from opchat_gui.providers.tool_calls import ToolArgumentsError, ToolCallAccumulator

TOOLS = [{"type": "function", "function": {"name": "get_current_time", "description": "Now",
                                           "parameters": {"type": "object", "properties": {}}}}]


async def stream_calls(url: str) -> tuple[ToolCallAccumulator, int, str]:
    """POST a streamed completion and feed every `data:` chunk to an accumulator."""
    accumulator = ToolCallAccumulator()
    chunks = 0
    text = ""
    async with aiohttp.ClientSession() as session, session.post(
            f"{url}/chat/completions", json={"model": "demo-model", "stream": True,
                                             "tools": TOOLS,
                                             "messages": [{"role": "user",
                                                           "content": "What time is it?"}]},
    ) as response:
        assert response.status == 200
        async for line in iter_lines(response.content.iter_any()):
            payload = line.removeprefix(b"data:").strip()
            if not line.startswith(b"data:") or payload == b"[DONE]":
                continue
            chunk = json.loads(payload)
            chunks += 1
            accumulator.feed(chunk)
            for choice in chunk["choices"]:
                text += choice["delta"].get("content") or ""
    return accumulator, chunks, text


def test_arguments_split_mid_string_and_mid_escape_come_back_whole(openai_server, run):
    url = openai_server.play_url("tools", kind="split", size=2)
    accumulator, chunks, text = run(stream_calls(url))
    (call,) = accumulator.calls()
    ((name, arguments),) = TOOL_CALLS["split"]
    assert chunks > len(arguments) // 2  # it really came in pieces
    assert (call.id, call.name, call.arguments) == ("call_0_read_file", name, arguments)
    assert call.parsed() == {"path": 'C:\\new "dir"\\notes.txt', "lines": 10, "note": "café ✓"}
    assert accumulator.finish_reason == "tool_calls" and text == ""
    assert json.loads(openai_server.requests[-1].body)["tools"] == TOOLS  # what was asked


def test_two_parallel_calls_interleaved_by_index(openai_server, run):
    accumulator, _chunks, _text = run(stream_calls(openai_server.play_url("tools",
                                                                          kind="parallel")))
    first, second = accumulator.calls()
    assert (first.index, first.id, first.name) == (0, "call_0_get_current_time",
                                                   "get_current_time")
    assert first.parsed() == {"timezone": "Europe/Paris"}
    assert (second.index, second.id, second.name) == (1, "call_1_git_log", "git_log")
    assert second.parsed() == {"repo_path": "/tmp/repo", "max_count": 3}
    assert [c.message() for c in accumulator.calls()] == [
        {"id": "call_0_get_current_time", "type": "function",
         "function": {"name": "get_current_time", "arguments": '{"timezone": "Europe/Paris"}'}},
        {"id": "call_1_git_log", "type": "function",
         "function": {"name": "git_log",
                      "arguments": '{"repo_path": "/tmp/repo", "max_count": 3}'}}]


def test_invalid_json_arguments_are_kept_and_explained_for_the_model(openai_server, run):
    accumulator, _chunks, _text = run(stream_calls(openai_server.play_url("tools",
                                                                          kind="invalid")))
    (call,) = accumulator.calls()
    assert call.arguments == '{"timezone": "Europe/Paris"'
    with pytest.raises(ToolArgumentsError) as caught:
        call.parsed()
    assert str(caught.value) == (
        "The arguments for get_current_time are not valid JSON (Expecting ',' delimiter at "
        "character 27); send them again as one JSON object.")


def test_an_unknown_tool_name_is_passed_on_as_named(openai_server, run):
    accumulator, _chunks, _text = run(stream_calls(openai_server.play_url("tools",
                                                                          kind="unknown")))
    (call,) = accumulator.calls()
    assert call.name == "no_such_tool" and call.parsed() == {}


def test_what_other_servers_send_is_taken_in():
    accumulator = ToolCallAccumulator()
    # No index: each call whole in one chunk; a repeated whole name; object arguments.
    accumulator.feed({"choices": [{"delta": {"tool_calls": [
        {"id": "a", "function": {"name": "echo", "arguments": {"text": "hi"}}}]}}]})
    accumulator.feed({"choices": [{"delta": {"tool_calls": [
        {"id": "b", "function": {"name": "pid", "arguments": "{}"}}]}}]})
    accumulator.feed({"choices": [{"delta": {"tool_calls": [
        {"id": "b", "function": {"name": "pid"}}]}, "finish_reason": "tool_calls"}]})
    calls = accumulator.calls()
    assert [(c.index, c.id, c.name, c.parsed()) for c in calls] == [
        (0, "a", "echo", {"text": "hi"}), (1, "b", "pid", {})]

    # No id at all, and a whole (non-streamed) completion.
    whole = ToolCallAccumulator()
    whole.feed({"choices": [{"index": 0, "finish_reason": "tool_calls", "message": {
        "role": "assistant", "content": None, "tool_calls": [
            {"index": 0, "type": "function",
             "function": {"name": "get_current_time", "arguments": "[1]"}}]}}]})
    (call,) = whole.calls()
    assert call.id == "call_0" and whole.finish_reason == "tool_calls"
    with pytest.raises(ToolArgumentsError, match="must be a JSON object, not list"):
        call.parsed()
    assert ToolCallAccumulator().calls() == []
