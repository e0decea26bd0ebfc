"""Split a byte stream into lines, whatever the network's chunk boundaries are.

aiohttp's own line iterator refuses lines over its buffer limit; model output can be
one megabyte without a newline, so this splitter has no limit and stays linear.
"""

from __future__ import annotations

from collections.abc import AsyncIterable, AsyncIterator


class LineSplitter:
    """Feed bytes in any pieces; get back complete lines without their line ending."""

    def __init__(self) -> None:
        self._buf = bytearray()
        self._scanned = 0  # bytes of _buf already known to hold no newline

    def feed(self, data: bytes) -> list[bytes]:
        self._buf += data
        lines: list[bytes] = []
        start = 0
        while True:
            end = self._buf.find(b"\n", max(start, self._scanned))
            if end < 0:
                break
            line = bytes(self._buf[start:end])
            lines.append(line[:-1] if line.endswith(b"\r") else line)
            start = end + 1
        if start:
            del self._buf[:start]
        self._scanned = len(self._buf)
        return lines

    def flush(self) -> list[bytes]:
        """The last line, if the stream ended without a newline."""
        rest = bytes(self._buf)
        self._buf.clear()
        self._scanned = 0
        if rest.endswith(b"\r"):
            rest = rest[:-1]
        return [rest] if rest else []


async def iter_lines(chunks: AsyncIterable[bytes]) -> AsyncIterator[bytes]:
    splitter = LineSplitter()
    async for chunk in chunks:
        for line in splitter.feed(chunk):
            yield line
    for line in splitter.flush():
        yield line
