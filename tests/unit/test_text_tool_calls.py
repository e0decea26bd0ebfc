"""Tool calls a model wrote as text (providers/text_tool_calls): each form open models use,
read only when unambiguous."""

from __future__ import annotations

import json

import pytest

from opchat_gui.providers.text_tool_calls import find_text_calls

NAMES = ["echo", "get_current_time"]


def calls(text: str) -> list[tuple[str, dict]]:
    found = find_text_calls(text, NAMES)
    assert found is not None and found.readable
    return [(c.name, json.loads(c.arguments)) for c in found.calls]


@pytest.mark.parametrize(("text", "form"), [
    ('<tool_call>\n{"name": "echo", "arguments": {"text": "hi"}}\n</tool_call>', "hermes"),
    ('<tool_call>{"name": "echo", "arguments": "{\\"text\\": \\"hi\\"}"}', "hermes"),  # unclosed
    ('[TOOL_CALLS][{"name": "echo", "arguments": {"text": "hi"}}]', "mistral"),
    ('[TOOL_CALLS]echo[ARGS]{"text": "hi"}', "mistral"),
    ('<|python_tag|>{"name": "echo", "parameters": {"text": "hi"}}<|eom_id|>', "llama"),
    ('{"name": "echo", "parameters": {"text": "hi"}}', "json"),
    ('```json\n{"type": "function", "name": "echo", "parameters": {"text": "hi"}}\n```', "json"),
])
def test_each_form_is_read_as_a_call(text, form):
    found = find_text_calls(text, NAMES)
    assert found is not None and found.form == form and found.readable
    assert calls(text) == [("echo", {"text": "hi"})]
    assert all(c.id.startswith("call_") for c in found.calls)


def test_several_calls_and_the_text_around_them():
    text = ('Let me look.\n<tool_call>{"name": "echo", "arguments": {"text": "a"}}</tool_call>\n'
            '<tool_call>{"name": "get_current_time", "arguments": {}}</tool_call>')
    found = find_text_calls(text, NAMES)
    assert found is not None and found.rest == "Let me look."
    assert [c.index for c in found.calls] == [0, 1]
    assert calls(text) == [("echo", {"text": "a"}), ("get_current_time", {})]
    assert calls('<|python_tag|>{"name": "echo", "parameters": {"text": "a"}}; '
                 '{"name": "get_current_time", "parameters": {}}') == [
        ("echo", {"text": "a"}), ("get_current_time", {})]
    assert calls('[TOOL_CALLS]echo[ARGS]{"text": "a"}[TOOL_CALLS]get_current_time[ARGS]{}') == [
        ("echo", {"text": "a"}), ("get_current_time", {})]


def test_a_marker_whose_calls_cannot_be_read_is_unreadable():
    for text in ('<tool_call>{"name": "echo", "arguments": {"text": </tool_call>',
                 '[TOOL_CALLS][{"arguments": {}}]',
                 '<|python_tag|>print("hello")'):
        found = find_text_calls(text, NAMES)
        assert found is not None and not found.readable and not found.calls, text
        assert found.rest == text


def test_ordinary_answers_hold_no_call():
    for text in ("The time is noon.", '{"name": "Bob", "age": 3}',
                 '{"name": "weather", "parameters": {}}',  # not an offered tool
                 "[1, 2, 3]", ""):
        assert find_text_calls(text, NAMES) is None, text
