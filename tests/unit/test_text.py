"""Text for the user: Qt's %1 placeholders filled once, phrases rendered when shown."""

from __future__ import annotations

from opchat_gui.core.text import QT_TRANSLATE_NOOP, Phrase, fill


def test_values_go_where_the_translator_put_their_numbers():
    assert fill("Imported %1 from %2", 3, "a.json") == "Imported 3 from a.json"
    assert fill("Из %2: %1", 3, "a.json") == "Из a.json: 3"  # reordered by a translator


def test_a_value_that_looks_like_a_placeholder_is_not_filled_again():
    assert fill("Saved to %1 (%2)", "/tmp/%2 folder", "ok") == "Saved to /tmp/%2 folder (ok)"


def test_two_digit_numbers_and_missing_values():
    args = [str(n) for n in range(1, 12)]
    assert fill("%1-%10-%11", *args) == "1-10-11"
    assert fill("%1 and %2, 100%", "one") == "one and %2, 100%"


def test_a_phrase_renders_in_the_language_it_is_shown_in():
    dictionary = {("Settings", "expected %1"): "ожидается %1",
                  ("Settings", "a number"): "число"}

    def russian(context: str, source: str) -> str:
        return dictionary.get((context, source), source)

    phrase = Phrase("Settings", "expected %1", (Phrase("Settings", "a number"),))
    assert phrase.render(russian) == "ожидается число"
    assert str(phrase) == "expected a number"  # logs read English


def test_the_translation_mark_leaves_the_text_as_it_is():
    assert QT_TRANSLATE_NOOP("Settings", "Theme") == "Theme"
