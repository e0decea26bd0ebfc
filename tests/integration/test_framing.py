"""Stream framing: events split mid-line and mid-UTF-8 still give the exact text."""

from __future__ import annotations

import asyncio

from hypothesis import given
from hypothesis import strategies as st

from opchat_gui.demo.aiengine_server import DevServer, demo_reply, tokenize
from opchat_gui.providers import Opchatgpts
from opchat_gui.providers.lines import LineSplitter

SPLIT_PREFIX = "Привет, мир! ✓ Ünïcödé 🙂 splits: "


def test_split_bytes_over_real_http_give_the_exact_text():
    async def body() -> tuple[str, list[str]]:
        server = await DevServer().start()
        try:
            chunks = [c async for c in Opchatgpts.create_async_generator(
                "", [{"role": "user", "content": "разбей меня"}],
                url=server.play_url("split", size=1, delay=0.0005))]
        finally:
            await server.stop()
        return "".join(chunks), chunks

    text, chunks = asyncio.run(body())
    assert text == SPLIT_PREFIX + demo_reply("разбей меня")
    assert chunks == tokenize(SPLIT_PREFIX + demo_reply("разбей меня"))


def test_every_split_point_of_a_multibyte_stream():
    raw = "data: один\r\ndata: два 🙂\n\ndata: три".encode()
    expected = [b"data: \xd0\xbe\xd0\xb4\xd0\xb8\xd0\xbd", "data: два 🙂".encode(), b"",
                "data: три".encode()]
    for cut in range(len(raw) + 1):
        splitter = LineSplitter()
        lines = splitter.feed(raw[:cut]) + splitter.feed(raw[cut:]) + splitter.flush()
        assert lines == expected, cut


@given(st.lists(st.binary(max_size=40), max_size=30), st.data())
def test_any_chunking_gives_the_same_lines(parts, data):
    raw = b"\n".join(parts)
    cuts = sorted(data.draw(st.lists(st.integers(0, len(raw)), max_size=10)))
    splitter = LineSplitter()
    lines: list[bytes] = []
    start = 0
    for cut in [*cuts, len(raw)]:
        lines += splitter.feed(raw[start:cut])
        start = cut
    lines += splitter.flush()
    expected = [p[:-1] if p.endswith(b"\r") else p for p in raw.split(b"\n")]
    if expected and expected[-1] == b"":
        expected.pop()  # a final newline ends the last line; it does not start a new one
    assert lines == expected


def test_a_megabyte_line_is_one_line():
    splitter = LineSplitter()
    big = b"x" * 1_000_000
    lines: list[bytes] = []
    for start in range(0, len(big), 4096):
        lines += splitter.feed(big[start:start + 4096])
    lines += splitter.feed(b"\n")
    assert lines == [big]
