"""Backups carry the attachment files their messages name, and a restore brings them
back (issue 15): attach, back up, lose the data folder's files, restore, send again."""

from __future__ import annotations

import base64
import stat
import time
from pathlib import Path

from opchat_gui.chat.archive import Archive
from opchat_gui.chat.service import ChatService
from opchat_gui.providers.openai_compat import OpenAICompatible
from opchat_gui.providers.target import StreamTarget
from opchat_gui.store import History
from opchat_gui.store.backup import backup_if_due, daily_backups
from opchat_gui.store.backup_files import store_of
from tests.conftest import wait_until
from tests.integration.test_attachments import VISION_MODEL, png_bytes

DAY = 24 * 60 * 60


def completions(server) -> list[dict]:
    return [r.json for r in server.requests if r.path.endswith("/chat/completions")]


def test_a_restore_brings_back_the_files_the_data_folder_lost(openai_server, run, tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    history = History.open(data / "history.sqlite3")
    target = StreamTarget(OpenAICompatible, model=VISION_MODEL, options={
        "base_url": openai_server.play_url("demo", server="ollama")}, label="test")
    service = ChatService(history, lambda _c: target)
    cid = service.new_conversation().id
    photo = tmp_path / "photo.png"
    photo.write_bytes(png_bytes(120, 80))
    run(service.files.attach_file(cid, photo))
    assert service.send(cid, "Remember this picture")
    run(wait_until(lambda: not service.is_streaming(cid), what="the reply"))
    sent = completions(openai_server)[-1]["messages"][-1]["content"]
    [picture] = service.files.of_messages([m.id for m in history.messages(cid)]).popitem()[1]

    archive = Archive(history, data / "backups")
    backup = archive.backup_now()
    kept = store_of(data / "backups").path(picture.sha256)
    assert kept.read_bytes() == service.files.data(picture.sha256)
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600

    for blob in (data / "attachments").rglob("*"):  # the data folder loses its files
        if blob.is_file():
            blob.unlink()
    assert service.files.data(picture.sha256) is None

    staged = archive.stage_restore(backup)
    archive.finish_restore(staged)
    restored = service.files.data(picture.sha256)
    assert restored is not None
    assert base64.b64encode(restored).decode() in sent[1]["image_url"]["url"]
    assert stat.S_IMODE(history.blobs.path(picture.sha256).stat().st_mode) == 0o600
    assert service.regenerate(cid)  # and the model gets the picture again
    run(wait_until(lambda: not service.is_streaming(cid), what="the reply after restore"))
    assert completions(openai_server)[-1]["messages"][-1]["content"] == sent
    history.close()


def test_daily_backups_share_one_store_and_its_unnamed_files_go_with_the_last_backup(
        tmp_path: Path):
    history = History.open(tmp_path / "history.sqlite3")
    assert history.blobs is not None
    conversation = history.create_conversation("files")
    first = history.blobs.put(b"first file")
    second = history.blobs.put(b"second file")
    conn = history.connection
    from opchat_gui.store import attachments as rows

    row = rows.add(conn, conversation.id, sha256=first, name="a.txt", mime="text/plain",
                   size=10, kind="text", text="first file")
    folder = tmp_path / "backups"
    start = time.time()
    assert backup_if_due(history, folder, now=start, keep=2)
    store = store_of(folder)
    assert store.exists(first) and not store.exists(second)
    rows.remove(conn, row.id)  # the composer drops it; the second file comes in
    rows.add(conn, conversation.id, sha256=second, name="b.txt", mime="text/plain",
             size=11, kind="text", text="second file")
    assert backup_if_due(history, folder, now=start + DAY + 60, keep=2)
    assert store.exists(first) and store.exists(second)  # the first backup still names it
    assert backup_if_due(history, folder, now=start + 2 * DAY + 60, keep=2)
    assert len(daily_backups(folder)) == 2
    assert not store.exists(first) and store.exists(second)  # no kept backup names it
    history.close()


def test_a_partial_backup_a_kill_left_goes_with_the_files_only_it_named(tmp_path: Path):
    import os
    import shutil

    from opchat_gui.store import attachments as rows
    from opchat_gui.store.backup import prune_files, take_backup
    from opchat_gui.store.backup_files import copy_named

    history = History.open(tmp_path / "history.sqlite3")
    assert history.blobs is not None
    conversation = history.create_conversation("files")
    kept = history.blobs.put(b"kept file")
    rows.add(history.connection, conversation.id, sha256=kept, name="k.txt",
             mime="text/plain", size=9, kind="text", text="kept file")
    folder = tmp_path / "backups"
    take_backup(history, folder)
    lost = history.blobs.put(b"only the partial names this")
    rows.add(history.connection, conversation.id, sha256=lost, name="l.txt",
             mime="text/plain", size=27, kind="text", text="x")
    history.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    partial = folder / "history-killed.sqlite3.partial"
    shutil.copyfile(tmp_path / "history.sqlite3", partial)
    copy_named([lost], history.blobs, store_of(folder))
    assert prune_files(folder) == 0  # a young partial may be a backup being written
    assert store_of(folder).exists(lost)
    old = time.time() - 7 * 60 * 60
    os.utime(partial, (old, old))
    assert prune_files(folder) == 1
    assert not partial.exists() and not store_of(folder).exists(lost)
    assert store_of(folder).exists(kept)
    history.close()
