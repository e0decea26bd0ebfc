"""Full-text search over every message, ranked by FTS5's bm25.

The index (`messages_fts`, migration 5) follows the messages table through triggers, so
edits, streaming saves and deletes are searchable or gone the moment they are written.
What the user types is never passed to FTS5 as query syntax: each word becomes a quoted
string, which makes every input safe. Results follow typing: the last word also matches
as a prefix, when the whole words alone do not fill the page.
"""

from __future__ import annotations

import re
import sqlite3
import unicodedata
from collections.abc import Callable

from opchat_gui.core.messages import MARK_END, MARK_START, SearchHit

SNIPPET_WORDS = 16
SNIPPET_LEAD = 5  # words shown before the first hit
RANK_WINDOW = 3000
PREFIX_MIN = 3  # shorter last words match whole words only (prefix='3' indexes length 3)
_WORD = re.compile(r"[^\W_]+")  # as unicode61 splits: letters and digits


def fold(word: str) -> str:
    """Case and diacritics folded the way the unicode61 tokenizer folds them."""
    decomposed = unicodedata.normalize("NFD", word.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def match_expression(text: str, *, prefix: bool = False) -> str:
    """A safe FTS5 MATCH expression for all words of `text`; '' when it has none."""
    terms = words(text)
    if not terms:
        return ""
    quoted = [f'"{term}"' for term in terms]
    if prefix:
        quoted[-1] += "*"
    return " ".join(quoted)


def search(conn: sqlite3.Connection, text: str, limit: int = 50,
           exclude: frozenset[int] = frozenset(),
           hidden: frozenset[int] = frozenset()) -> list[SearchHit]:
    """The best `limit` messages holding every word of `text`, best first; none from the
    conversations in `exclude` nor the messages in `hidden` (deletes within undo time).

    Relevance is bm25 among the newest RANK_WINDOW matching messages, which keeps a
    query on a word found in a third of a million messages within a frame.
    """
    terms = words(text)
    if not terms:
        return []
    ranked = _ranked(conn, match_expression(text), limit, exclude, hidden)
    if len(ranked) < limit and len(terms[-1]) >= PREFIX_MIN:
        ranked = _ranked(conn, match_expression(text, prefix=True), limit, exclude, hidden)
        prefix = True
    else:
        prefix = False
    if not ranked:
        return []
    marks = ",".join("?" * len(ranked))
    found = {row[0]: row[1:] for row in conn.execute(
        "SELECT m.id, m.conversation_id, c.title, m.role, m.content, m.reasoning"
        " FROM messages AS m"
        f" JOIN conversations AS c ON c.id = m.conversation_id WHERE m.id IN ({marks})",
        [rowid for rowid, _rank in ranked])}
    folded = [fold(term) for term in terms]
    hits: list[SearchHit] = []
    for rowid, rank in ranked:
        if rowid in found:
            cid, title, role, content, reasoning = found[rowid]
            # A hit only in the thinking shows the thinking's words (the answer's would
            # not hold them), and says so: opening it unfolds the thinking.
            where = ("reasoning" if reasoning and not has_hit(content, folded, prefix=prefix)
                     and has_hit(reasoning, folded, prefix=prefix) else "content")
            text = reasoning if where == "reasoning" else content
            hits.append(SearchHit(rowid, cid, title, role,
                                  snippet(text, folded, prefix=prefix), rank, where))
    return hits


def _ranked(conn: sqlite3.Connection, expression: str, limit: int,
            exclude: frozenset[int], hidden: frozenset[int]) -> list[tuple[int, float]]:
    """(message id, bm25) of the best hits; ids only, so ranking stays cheap."""
    where = "messages_fts MATCH ?"
    source = "messages_fts"
    if exclude:
        left_out = ",".join(str(int(cid)) for cid in sorted(exclude))
        source = "messages_fts JOIN messages AS m ON m.id = messages_fts.rowid"
        where += f" AND m.conversation_id NOT IN ({left_out})"
    if hidden:
        where += (" AND messages_fts.rowid NOT IN"
                  f" ({','.join(str(int(m)) for m in sorted(hidden))})")
    sql = (f"SELECT rowid, rank FROM (SELECT messages_fts.rowid AS rowid, rank FROM {source}"
           f" WHERE {where} ORDER BY messages_fts.rowid DESC LIMIT {RANK_WINDOW})"
           " ORDER BY rank, rowid DESC LIMIT ?")
    return [(int(rowid), float(rank))
            for rowid, rank in conn.execute(sql, (expression, limit)).fetchall()]


def _matcher(folded_terms: list[str], prefix: bool) -> Callable[[str], bool]:
    last = folded_terms[-1] if folded_terms else ""
    whole = set(folded_terms[:-1]) if prefix else set(folded_terms)
    return lambda word: word in whole or (prefix and word.startswith(last))


def has_hit(text: str, folded_terms: list[str], *, prefix: bool = False) -> bool:
    """Whether any word of `text` is one the query looks for."""
    is_hit = _matcher(folded_terms, prefix)
    return any(is_hit(fold(m.group())) for m in _WORD.finditer(text))


def snippet(content: str, folded_terms: list[str], *, prefix: bool = False) -> str:
    """A few words around the first hit, each hit between MARK_START and MARK_END."""
    spans = [(m.start(), m.end(), fold(m.group())) for m in _WORD.finditer(content)]
    is_hit = _matcher(folded_terms, prefix)
    flags = [is_hit(word) for _s, _e, word in spans]
    first = flags.index(True) if True in flags else 0
    begin = max(0, first - SNIPPET_LEAD)
    end = min(len(spans), begin + SNIPPET_WORDS)
    if not spans:
        return ""
    pieces: list[str] = ["…" if begin > 0 else ""]
    cursor = spans[begin][0]
    for index in range(begin, end):
        start, stop, _word = spans[index]
        pieces.append(content[cursor:start])
        word = content[start:stop]
        pieces.append(f"{MARK_START}{word}{MARK_END}" if flags[index] else word)
        cursor = stop
    pieces.append("…" if end < len(spans) else content[cursor:])
    return " ".join("".join(pieces).split())
