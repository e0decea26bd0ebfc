"""The trimming decision: what is sent so a request fits the model's context."""

from __future__ import annotations

import pytest

from opchat_gui.providers.context_window import message_tokens, plan, reply_room
from opchat_gui.providers.tokens import REPLY_PRIMING, estimate_messages, estimate_tools


def chat(turns: int, words: int = 100, system: bool = True) -> list[dict]:
    messages = [{"role": "system", "content": "Be brief."}] if system else []
    for n in range(turns):
        messages.append({"role": "user", "content": f"question {n} " + "word " * words})
        messages.append({"role": "assistant", "content": f"answer {n} " + "word " * words})
    messages.append({"role": "user", "content": "the new message"})
    return messages


def sent(messages, result):
    return [messages[i] for i in result.kept]


def test_everything_is_sent_when_it_fits():
    messages = chat(3)
    result = plan(messages, limit=100_000)
    assert result.kept == tuple(range(len(messages))) and result.dropped == 0
    assert result.tokens == estimate_messages(messages) and result.fits


def test_oldest_turns_go_first_never_the_system_prompt_or_the_new_message():
    messages = chat(10)  # each message ~ 4 + 127 tokens
    limit = 1200
    result = plan(messages, limit=limit)
    kept = sent(messages, result)
    assert kept[0]["role"] == "system" and kept[-1]["content"] == "the new message"
    assert kept[1]["role"] == "user"  # never a reply without its question
    assert result.dropped > 0 and result.fits
    assert result.tokens + reply_room(limit, None) <= limit
    # Not one turn more than needed was dropped: the previous question and its answer
    # would not have fitted.
    previous = [0, *range(result.kept[1] - 2, len(messages))]
    with_it = REPLY_PRIMING + sum(message_tokens(messages[i]) for i in previous)
    assert with_it + reply_room(limit, None) > limit
    assert [m["content"] for m in kept[1:]] == [m["content"] for m in messages[-len(kept) + 1:]]


def test_max_tokens_is_the_room_kept_for_the_reply():
    messages = chat(10)
    small = plan(messages, limit=2000, max_tokens=100)
    large = plan(messages, limit=2000, max_tokens=900)
    assert small.room == 100 and large.room == 900
    assert large.dropped > small.dropped
    assert large.tokens + 900 <= 2000


def test_when_even_the_minimum_does_not_fit_it_is_sent_and_says_so():
    messages = chat(2, words=2000)
    result = plan(messages, limit=300)
    assert sent(messages, result) == [messages[0], messages[-1]] or not result.fits
    huge = [{"role": "user", "content": "word " * 5000}]
    alone = plan(huge, limit=300)
    assert alone.kept == (0,) and not alone.fits


def test_the_tools_sent_count_on_every_plan_and_make_it_trim_earlier():
    messages = chat(10)
    spec = [{"type": "function", "function": {"name": "get_time", "description": "x " * 300,
                                              "parameters": {"type": "object"}}}]
    fixed = estimate_tools(spec)
    assert fixed > 150 and estimate_tools(None) == 0
    alone, with_tools = plan(messages, limit=2500), plan(messages, limit=2500, fixed=fixed)
    assert with_tools.dropped > alone.dropped
    assert with_tools.tokens + with_tools.room <= 2500
    kept = [messages[i] for i in with_tools.kept]
    assert with_tools.tokens == REPLY_PRIMING + fixed + sum(message_tokens(m) for m in kept)


def test_calibration_ratio_makes_it_trim_earlier():
    messages = chat(10)
    assert plan(messages, limit=2500, ratio=1.5).dropped > plan(messages, limit=2500).dropped


def test_last_n_messages_keeps_the_system_prompt():
    messages = chat(10)
    result = plan(messages, limit=None, mode="last", last=5)
    kept = sent(messages, result)
    assert kept[0]["role"] == "system" and len(kept) <= 6
    assert kept[1]["role"] == "user" and kept[-1]["content"] == "the new message"


@pytest.mark.parametrize("limit", [None, 0])
def test_unknown_context_drops_nothing(limit):
    messages = chat(50)
    assert plan(messages, limit=limit).dropped == 0


def test_off_sends_everything_even_over_the_limit():
    messages = chat(10)
    result = plan(messages, limit=500, mode="off")
    assert result.dropped == 0 and not result.fits


def test_first_kept_names_where_the_marker_goes():
    messages = chat(10)
    result = plan(messages, limit=1200)
    assert result.first_kept == result.kept[1]
    assert plan(chat(1, system=False), limit=None).first_kept == 0


def test_multi_part_content_counts_its_text_and_a_fixed_cost_per_image():
    from opchat_gui.providers.tokens import IMAGE_TOKENS

    parts = {"role": "user", "content": [{"type": "text", "text": "word " * 40},
                                         {"type": "image_url", "image_url": {"url": "x"}}]}
    assert message_tokens(parts) == message_tokens({"role": "user", "content": "word " * 40}) \
        + IMAGE_TOKENS  # an image is never counted as the text of its data URL
