"""Both stream parsers over arbitrary bytes split at arbitrary points: text or ProviderError."""

from __future__ import annotations

import asyncio
import json

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from opchat_gui.providers.aiengine import Site, end_handler
from opchat_gui.providers.aiengine_stream import read_events
from opchat_gui.providers.errors import ProviderError
from opchat_gui.providers.openai_stream import read_completion

# Pieces that look like the protocols, so the fuzzer reaches deep states, plus raw bytes.
FRAGMENTS = st.sampled_from([
    b"data: ", b"\n", b"\r\n", b"\n\n", b"data: [DONE]", b": ping\n", b"{", b"}", b'"',
    b'{"type":"live","data":"hi"}', b'{"type":"end","data":"{\\"reply\\":\\"x\\"}"}',
    b'{"type":"error","data":"bad"}', b'{"type":"live","subtype":["x"],"data":1}',
    b'{"choices":[{"delta":{"content":"a"}}]}', b'{"choices":[{"delta":{}}]}',
    b'{"choices":[{"delta":{"role":"assistant"},"finish_reason":"stop"}]}',
    b'{"error":{"message":null,"code":[1]}}', b'{"choices":null,"usage":[]}',
    b'{"success":false,"code":[],"message":{}}', b'{"reply":5}', b"\xff\xfe", "é".encode(),
    b"[]", b"null", b"1e999",
])
BODY = st.lists(st.one_of(FRAGMENTS, st.binary(max_size=24)), max_size=30).map(b"".join)


def _split(data: bytes, cuts: list[int]) -> list[bytes]:
    points = sorted({c % (len(data) + 1) for c in cuts})
    pieces, start = [], 0
    for point in [*points, len(data)]:
        pieces.append(data[start:point])
        start = point
    return pieces


async def _chunks(pieces: list[bytes]):
    for piece in pieces:
        yield piece


def _drain(agen) -> str | ProviderError:
    async def go() -> str:
        return "".join([text async for text in agen])

    try:
        return asyncio.run(go())
    except ProviderError as exc:
        return exc


def _check(result: str | ProviderError) -> None:
    if isinstance(result, ProviderError):
        assert result.user_message and isinstance(result.user_message, str)
    else:
        assert isinstance(result, str)


COMMON = settings(max_examples=300, deadline=None,
                  suppress_health_check=[HealthCheck.too_slow])


@COMMON
@given(BODY, st.lists(st.integers(min_value=0, max_value=10_000), max_size=8))
def test_aiengine_parser(data: bytes, cuts: list[int]) -> None:
    found: list[object] = []  # the real `end` handler: final reply, usage, new_token
    on_end = end_handler(Site("http://127.0.0.1:1"), found.append, found.append)
    _check(_drain(read_events(_chunks(_split(data, cuts)), {"started": False}, on_end)))


@COMMON
@given(BODY, st.lists(st.integers(min_value=0, max_value=10_000), max_size=8))
def test_openai_parser(data: bytes, cuts: list[int]) -> None:
    usage: list[dict] = []
    _check(_drain(read_completion(_chunks(_split(data, cuts)), {"started": False},
                                  usage.append)))


@COMMON
@given(st.text(max_size=60), st.lists(st.integers(min_value=0, max_value=500), max_size=6))
def test_a_valid_stream_survives_any_split(text: str, cuts: list[int]) -> None:
    """The same events, cut anywhere (mid-line, mid-UTF-8), give back exactly the text."""
    ae = (b"data: " + json.dumps({"type": "live", "data": text}).encode() + b"\n\n"
          + b'data: {"type":"end","data":"{}"}\n\n')
    oa = (b"data: " + json.dumps({"choices": [{"delta": {"content": text}}]},
                                 ensure_ascii=False).encode() + b"\n\ndata: [DONE]\n\n")
    assert _drain(read_events(_chunks(_split(ae, cuts)), {"started": False})) == text
    assert _drain(read_completion(_chunks(_split(oa, cuts)), {"started": False})) == text


# Thinking: text built from the tags' own letters, so splits land inside tags often.
TAGGY = st.text(alphabet=st.sampled_from(list("<>/thinkg \n.aé🙂")), max_size=40)
FORM = st.sampled_from(["reasoning_content", "reasoning", "think", "thinking"])


def _thinking_stream(form: str, thinking: str, answer: str, pieces: list[int]) -> bytes:
    """The events of one reply, its `content` (and reasoning) cut into pieces at `pieces`."""

    def cut(text: str) -> list[str]:
        points = sorted({p % (len(text) + 1) for p in pieces})
        return [text[a:b] for a, b in zip([0, *points], [*points, len(text)], strict=True)]

    deltas: list[dict[str, str]] = []
    if form in ("think", "thinking"):
        deltas += [{"content": p} for p in cut(f"<{form}>{thinking}</{form}>{answer}")]
    else:
        deltas += [{form: p} for p in cut(thinking)] + [{"content": p} for p in cut(answer)]
    events = [{"choices": [{"delta": d, "finish_reason": None}]} for d in deltas]
    events.append({"choices": [{"delta": {}, "finish_reason": "stop"}]})
    return b"".join(b"data: " + json.dumps(e, ensure_ascii=False).encode() + b"\n\n"
                    for e in events) + b"data: [DONE]\n\n"


@COMMON
@given(FORM, TAGGY, TAGGY, st.lists(st.integers(min_value=0, max_value=100), max_size=12),
       st.lists(st.integers(min_value=0, max_value=2_000), max_size=8))
def test_thinking_survives_any_chunking(form: str, thinking: str, answer: str,
                                        pieces: list[int], cuts: list[int]) -> None:
    """However the content is cut into events and the bytes into network chunks, the
    answer text and the reasoning text come out the same."""
    inline = form in ("think", "thinking")
    assume(f"</{form}>" not in thinking)
    assume(not answer.lstrip().startswith(("<think>", "<thinking>")))
    reasoning: list[str] = []
    data = _thinking_stream(form, thinking, answer, pieces)
    result = _drain(read_completion(_chunks(_split(data, cuts)), {"started": False},
                                    reasoning_sink=reasoning.append))
    assert result == (answer.lstrip() if inline else answer)
    assert "".join(reasoning) == (thinking.lstrip() if inline else thinking)
