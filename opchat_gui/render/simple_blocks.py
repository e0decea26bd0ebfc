"""Text made only of plain paragraphs and fenced code, rendered without markdown-it.

Most of a chat reply is paragraphs of words and code blocks, and a streaming reply
renders each as it finishes: markdown-it's parse of such blocks cost about as much as
highlighting the code. `simple_blocks` reads them itself and gives what the parser would
hand the renderer (a paragraph's lines, a fence's language and code), or None as soon as
anything could mean more (a marker, a link-like word, an indented line, an unclosed
fence): then the parser renders it, as before. A paragraph here is lines that each start
with a letter and hold only words, single spaces and sentence punctuation, so no list,
heading, quote, table, emphasis, link, HTML, entity or formula can be in it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# A line of a plain paragraph: starts with a letter; words, spaces, sentence punctuation.
PARAGRAPH_LINE = re.compile(r"[^\W\d_](?:[^\W_]|[ ,.;:!?'\"()-])*")
WORD_EDGES = "\"'(),.;:!?-"
FENCE_OPEN = re.compile(r"```([A-Za-z0-9_+#.-]*)")
FENCE_CLOSE = re.compile(r" {0,3}`{3,}[ \t]*")
FENCE_LIKE = re.compile(r" {0,3}(`{3,}|~{3,})")


@dataclass(frozen=True)
class Paragraph:
    lines: tuple[str, ...]  # as markdown-it keeps them: trailing spaces dropped


@dataclass(frozen=True)
class Fence:
    language: str
    code: str  # the lines between the fences, each ending in a newline


def plain_words(line: str) -> bool:
    """Whether a line is a plain paragraph's line (see the module docstring): no word in
    it could become a link (`main.py`, `a@b.c`), and it ends in no hard break."""
    if not PARAGRAPH_LINE.fullmatch(line) or line.endswith("  "):
        return False
    for word in line.split():
        word = word.strip(WORD_EDGES).replace("'", "").replace("-", "")
        if word and not word.isalnum():
            return False
    return True


def simple_blocks(text: str) -> list[Paragraph | Fence] | None:
    """The text's blocks if it is only plain paragraphs and fenced code; else None."""
    lines = text.split("\n")
    blocks: list[Paragraph | Fence] = []
    number = 0
    while number < len(lines):
        line = lines[number]
        if not line.strip():
            number += 1
            continue
        opening = FENCE_OPEN.fullmatch(line)
        if opening:
            end = number + 1
            while end < len(lines) and not FENCE_CLOSE.fullmatch(lines[end]):
                end += 1
            if end == len(lines):
                return None  # an unclosed fence runs to the end: the parser's business
            blocks.append(Fence(opening.group(1), "".join(
                code + "\n" for code in lines[number + 1:end])))
            number = end + 1
            continue
        if FENCE_LIKE.match(line) or not plain_words(line):
            return None
        paragraph = [line.rstrip(" ")]
        number += 1
        while number < len(lines) and lines[number].strip():
            line = lines[number]
            if FENCE_OPEN.fullmatch(line):
                break  # a fence ends the paragraph without a blank line
            if FENCE_LIKE.match(line) or not plain_words(line):
                return None
            paragraph.append(line.rstrip(" "))
            number += 1
        blocks.append(Paragraph(tuple(paragraph)))
    return blocks
