"""The token estimate: its rule, and how reports correct it."""

from __future__ import annotations

from opchat_gui.providers.tokens import (
    MESSAGE_OVERHEAD,
    REPLY_PRIMING,
    Calibration,
    estimate_messages,
    estimate_text,
)


def test_bytes_over_four_across_scripts() -> None:
    assert estimate_text("") == 0
    assert estimate_text("abcd") == 1 and estimate_text("abcde") == 2
    assert estimate_text("привет") == 3  # 12 bytes: Cyrillic counts double
    assert estimate_text("你好世界") == 3  # 12 bytes


def test_messages_add_their_overhead_and_the_reply_priming() -> None:
    messages = [{"role": "system", "content": "abcd"}, {"role": "user", "content": None}]
    assert estimate_messages(messages) == REPLY_PRIMING + 2 * MESSAGE_OVERHEAD + 1


def test_calibration_ignores_what_is_no_count_and_clamps_the_rest() -> None:
    calibration = Calibration()
    for junk in (None, {}, {"prompt_tokens": "12"}, {"prompt_tokens": True},
                 {"prompt_tokens": 0}, [1]):
        assert calibration.observe("p", "m", 100, junk) == 1.0
    assert calibration.observe("p", "m", 10, {"prompt_tokens": 30}) == 1.0  # too small
    assert calibration.observe("p", "m", 100, {"prompt_tokens": 10_000}) == 4.0
    assert calibration.observe("p", "m", 100, {"prompt_tokens": 200}) == 3.0  # smoothed
    assert calibration.ratio("p", "other") == 1.0
