"""Placeholders in translated text: Qt's %1 convention, filled once."""

from __future__ import annotations

from opchat_gui.core.text import fill


def test_values_go_where_the_translator_put_their_numbers():
    assert fill("Imported %1 from %2", 3, "a.json") == "Imported 3 from a.json"
    assert fill("Из %2: %1", 3, "a.json") == "Из a.json: 3"  # reordered by a translator


def test_a_value_that_looks_like_a_placeholder_is_not_filled_again():
    assert fill("Saved to %1 (%2)", "/tmp/%2 folder", "ok") == "Saved to /tmp/%2 folder (ok)"


def test_two_digit_numbers_and_missing_values():
    args = [str(n) for n in range(1, 12)]
    assert fill("%1-%10-%11", *args) == "1-10-11"
    assert fill("%1 and %2, 100%", "one") == "one and %2, 100%"
