"""Whether the open block of a streaming reply is shown formatted.

A reply's finished blocks are rendered once; the block still being written used to
show as plain text until it ended, so `**`, `##` and `-` flashed raw. Now the open
block is rendered as if it ended here (render/partial.py closes what it left open)
and replaced on each update. That costs one render of the open block per update, so
it is bounded by OPEN_BLOCK_CHARS and does not grow with the reply. A code fence stays
plain text on the code background (highlighting it per update would cost more and
show nothing new), as does a block with a formula (typesetting is per finished block).
"""

from __future__ import annotations

from opchat_gui.render.stream_blocks import BlockSplitter

OPEN_BLOCK_CHARS = 3_000  # a longer open block shows as plain text until it ends
MATH_MARKS = ("$", "\\(", "\\[")


def shows_formatted(splitter: BlockSplitter) -> bool:
    pending = splitter.pending
    return (bool(pending.strip()) and not splitter.in_fence
            and len(pending) <= OPEN_BLOCK_CHARS
            and not any(mark in pending for mark in MATH_MARKS))
