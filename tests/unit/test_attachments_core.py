"""What an attachment is (sniffed from its bytes), how its text is fenced, and the blob
store's rules: one file per content, never a file a row or a backup names deleted."""

from __future__ import annotations

import os
import sqlite3
import time

import pytest

from opchat_gui.core.attachments import (
    Refused,
    decode_text,
    extracted_text,
    fenced,
    human_size,
    kind_of,
)
from opchat_gui.store import History
from opchat_gui.store.attachments import Blobs, names_in, sha256_of


@pytest.mark.parametrize(("data", "kind"), [
    (b"\x89PNG\r\n\x1a\n" + b"\0" * 20, "image"),
    (b"\xff\xd8\xff\xe0" + b"\0" * 20, "image"),
    (b"RIFF\x10\0\0\0WEBPVP8 ", "image"),
    (b"%PDF-1.7\n", "pdf"),
    ("naïve UTF-8 text\n".encode(), "text"),
    ("UTF-16 with a BOM".encode("utf-16"), "text"),
    (b"all:\n\tmake it\n", "text"),  # a Makefile: no extension needed
    (b"text with a \0 zero", "file"),
    (bytes(range(256)), "file"),
])
def test_kind_is_told_by_content(data, kind):
    assert kind_of(data)[0] == kind


def test_text_with_control_characters_is_not_text():
    assert decode_text(b"log line\x07bell") is None
    assert decode_text(b"tabs\tand\r\nnew lines\x0c") is not None


def test_a_fence_is_longer_than_any_backtick_run_inside():
    block = fenced("notes.md", "before\n````\ninner\n````\nafter")
    assert block.startswith("notes.md:\n`````\n") and block.endswith("\n`````")


def test_a_binary_file_is_refused_with_a_reason():
    with pytest.raises(Refused, match="not text, a PDF or an image"):
        extracted_text("file", b"\0\1\2")


def test_a_pdf_that_is_not_one_is_refused():
    with pytest.raises(Refused, match="PDF cannot be read"):
        extracted_text("pdf", b"%PDF-1.4 but nothing else")


@pytest.mark.parametrize(("size", "shown"), [(12, "12 B"), (2048, "2 KB"),
                                             (5 * 2**20 + 2**19, "5.5 MB")])
def test_human_sizes(size, shown):
    assert human_size(size) == shown


def test_blobs_are_deduplicated_named_by_hash_and_refuse_other_names(tmp_path):
    blobs = Blobs(tmp_path / "attachments")
    first = blobs.put(b"same bytes")
    assert blobs.put(b"same bytes") == first == sha256_of(b"same bytes")
    assert [p.name for p in (tmp_path / "attachments").rglob("*") if p.is_file()] == [first]
    with pytest.raises(ValueError):
        blobs.path("../../etc/passwd")


def test_collection_spares_young_files_rows_and_backups_and_removes_leftovers(tmp_path):
    history = History.open(tmp_path / "history.sqlite3")
    try:
        assert history.blobs is not None
        blobs = history.blobs
        conversation = history.create_conversation()
        named = blobs.put(b"named by a row")
        history.connection.execute(
            "INSERT INTO attachments (conversation_id, sha256, name, size, kind, created_at)"
            " VALUES (?, ?, 'a.txt', 14, 'text', 0)", (conversation.id, named))
        orphan = blobs.put(b"nobody names me")
        young = blobs.put(b"just written")
        leftover = blobs.path(orphan).with_name(f".{orphan}.abcd1234.tmp")
        leftover.write_bytes(b"half")
        old = time.time() - 7200
        for path in (blobs.path(named), blobs.path(orphan), leftover):
            os.utime(path, (old, old))
        backup = tmp_path / "old-backup.sqlite3"
        sqlite3.connect(backup).close()  # a file from before schema 8: no attachments table
        assert names_in(backup) == set()
        assert blobs.collect(history.connection, backups=[backup]) == 2
        assert blobs.exists(named) and blobs.exists(young)
        assert not blobs.exists(orphan) and not leftover.exists()
    finally:
        history.close()
