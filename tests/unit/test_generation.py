"""Generation settings: every field refuses bad input with a reason; the request mapping."""

from __future__ import annotations

import pytest

from opchat_gui.config import generation
from opchat_gui.config.generation import GEN_FIELDS, GenerationError, parse

BAD = {
    "temperature": ["abc", "2.5", "-0.1", "nan", "inf"],
    "top_p": ["2", "-1", "x"],
    "max_tokens": ["-1", "0", "1.5", "many"],
    "seed": ["1e3", "seven", str(2**64)],
    "stop": ["[]", "[1, 2]", "[\"ok\", \"\"]", "[broken"],
    "presence_penalty": ["3", "-2.5", "p"],
    "frequency_penalty": ["2.01", "f"],
    "reasoning_effort": ["max", "0"],
    "extra": ["{broken", "[1]", "42", "{\"model\": \"other\"}", "{\"messages\": []}"],
}
GOOD = {
    "temperature": ("0,7", 0.7), "top_p": ("1", 1.0), "max_tokens": ("256", 256),
    "seed": ("-1", -1), "stop": ("User:", ["User:"]),
    "presence_penalty": ("-2", -2.0), "frequency_penalty": ("0.5", 0.5),
    "reasoning_effort": ("High", "high"),
    "extra": ('{"chat_template_kwargs": {"enable_thinking": false}}',
              {"chat_template_kwargs": {"enable_thinking": False}}),
}


def test_every_field_is_covered_here():
    assert set(BAD) == set(GOOD) == {f.name for f in GEN_FIELDS}


@pytest.mark.parametrize(("name", "text"), [(n, t) for n, texts in BAD.items() for t in texts])
def test_bad_input_is_refused_with_a_reason(name, text):
    with pytest.raises(GenerationError) as refused:
        parse(name, text)
    assert str(refused.value.reason)  # a sentence the field shows


@pytest.mark.parametrize("name", sorted(GOOD))
def test_good_input_reads_and_shows_back_the_same(name):
    text, value = GOOD[name]
    assert parse(name, text) == value
    assert parse(name, generation.shown(name, value)) == value


def test_empty_means_server_default():
    assert all(parse(f.name, "  ") is None for f in GEN_FIELDS)


def test_several_stop_sequences_as_a_json_list():
    assert parse("stop", '["\\n\\n", "User:"]') == ["\n\n", "User:"]
    assert generation.shown("stop", ["\n\n", "User:"]) == '["\\n\\n", "User:"]'


def test_stored_junk_is_dropped_and_never_sent():
    stored = '{"temperature": "hot", "top_p": 0.9, "max_tokens": -5, "bogus": 1}'
    assert generation.loads(stored) == {"top_p": 0.9}
    assert generation.loads("{not json") == {} and generation.loads("") == {}


def test_overrides_win_and_only_set_fields_become_options():
    merged = generation.merged({"temperature": 0.2, "seed": 7}, {"temperature": 1.1})
    assert merged == {"temperature": 1.1, "seed": 7}
    options = generation.request_options("openai", {**merged, "extra": {"think": False}})
    assert options == {"temperature": 1.1, "seed": 7, "extra_body": {"think": False}}


def test_ai_engine_sites_are_sent_nothing():
    values = {"temperature": 1.0, "max_tokens": 10}
    assert generation.request_options("aiengine", values) == {}
    assert generation.request_options("opchatgpts", values) == {}


def test_dumps_is_empty_when_nothing_is_set():
    assert generation.dumps({}) == ""
    assert generation.loads(generation.dumps({"seed": 3})) == {"seed": 3}
