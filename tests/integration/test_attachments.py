"""Attachments through the chat service and real HTTP (issue 15): what reaches the local
OpenAI-compatible server, what is refused at attach time, and what lands on disk."""

from __future__ import annotations

import base64
import io
import json
import os
import stat
from pathlib import Path

import pytest
from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtGui import QColor, QImage

from opchat_gui.chat.attachments import Refused
from opchat_gui.chat.service import ChatService
from opchat_gui.core.attachments import MAX_FILE_BYTES
from opchat_gui.providers.aiengine import AIEngine
from opchat_gui.providers.openai_compat import OpenAICompatible
from opchat_gui.providers.target import StreamTarget
from opchat_gui.store import History
from tests.conftest import wait_until

VISION_MODEL = "demo-large"  # the demo server's Ollama /api/show says it sees images


def png_bytes(width: int, height: int, fmt: str = "PNG") -> bytes:
    image = QImage(width, height, QImage.Format.Format_RGB32)
    for y in range(0, height, max(1, height // 16)):  # stripes, so it does not compress away
        for x in range(width):
            image.setPixelColor(x, y, QColor((x * 7) % 256, (y * 3) % 256, (x + y) % 256))
    out = QByteArray()
    buffer = QBuffer(out)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, fmt)
    return bytes(out.data())


def pdf_bytes(pages: list[str]) -> bytes:
    """A real PDF with one line of text per page, written by pypdf's own objects."""
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    writer = PdfWriter()
    font = DictionaryObject({NameObject("/Type"): NameObject("/Font"),
                             NameObject("/Subtype"): NameObject("/Type1"),
                             NameObject("/BaseFont"): NameObject("/Helvetica")})
    font_ref = writer._add_object(font)
    for text in pages:
        page = writer.add_blank_page(300, 200)
        stream = DecodedStreamObject()
        stream.set_data(f"BT /F1 12 Tf 20 100 Td ({text}) Tj ET".encode())
        page[NameObject("/Contents")] = writer._add_object(stream)
        page[NameObject("/Resources")] = DictionaryObject({NameObject("/Font"): DictionaryObject(
            {NameObject("/F1"): font_ref})})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.fixture
def make_service(tmp_path: Path, openai_server):
    made: list[History] = []

    def maker(url: str | None = None, model: str = VISION_MODEL, provider=OpenAICompatible,
              options=None, max_side: int = 1568) -> tuple[ChatService, int]:
        history = History.open(tmp_path / "history.sqlite3")
        made.append(history)
        opts = options if options is not None else {
            "base_url": url or openai_server.play_url("demo", server="ollama")}
        target = StreamTarget(provider, model=model, options=opts, label="test")
        service = ChatService(history, lambda _c: target, max_image_side=lambda: max_side)
        conversation = service.new_conversation()
        assert conversation is not None
        return service, conversation.id

    yield maker
    for history in made:
        history.close()


def completions(server) -> list[dict]:
    return [r.json for r in server.requests if r.path.endswith("/chat/completions")]


def send_and_wait(run, service: ChatService, cid: int, text: str) -> None:
    assert service.send(cid, text)
    run(wait_until(lambda: not service.is_streaming(cid), what="the reply to end"))


def test_an_image_reaches_the_server_as_a_data_url_of_the_scaled_image(
        make_service, openai_server, run, tmp_path):
    service, cid = make_service(max_side=400)
    photo = tmp_path / "photo.png"
    photo.write_bytes(png_bytes(1600, 1200))
    assert run(service.files.attach_file(cid, photo)) is None  # the server says it sees
    [chip] = service.files.pending(cid)
    assert (chip.kind, chip.width, chip.height) == ("image", 400, 300)
    send_and_wait(run, service, cid, "What is in this picture?")
    [body] = completions(openai_server)
    parts = body["messages"][-1]["content"]
    assert parts[0] == {"type": "text", "text": "What is in this picture?"}
    url = parts[1]["image_url"]["url"]
    header, encoded = url.split(",", 1)
    assert header in ("data:image/png;base64", "data:image/jpeg;base64")
    sent = QImage.fromData(base64.b64decode(encoded))
    assert (sent.width(), sent.height()) == (400, 300)
    assert service.files.pending(cid) == []  # the composer's files went with the message


def test_a_text_file_and_a_pdf_arrive_as_their_text(make_service, openai_server, run,
                                                     tmp_path):
    service, cid = make_service()
    notes = tmp_path / "Makefile"  # no extension: sniffed as text by its bytes
    notes.write_text("all:\n\techo ```hi```\n", encoding="utf-8")
    report = tmp_path / "report.pdf"
    report.write_bytes(pdf_bytes(["First page words", "Second page words"]))
    run(service.files.attach_file(cid, notes))
    run(service.files.attach_file(cid, report))
    send_and_wait(run, service, cid, "Summarise these.")
    content = completions(openai_server)[0]["messages"][-1]["content"]
    assert isinstance(content, str)
    assert content.startswith("Summarise these.\n\nMakefile:\n````\nall:\n\techo ```hi```\n````")
    assert "report.pdf:\n```\n[page 1]\nFirst page words\n\n[page 2]\nSecond page words" in content


@pytest.mark.parametrize("case", ["binary", "oversize", "unreadable", "broken image"])
def test_bad_files_are_refused_at_attach_time_and_nothing_is_kept(make_service, run, tmp_path,
                                                                  case):
    service, cid = make_service()
    service.save_draft(cid, "my typed message")
    path = tmp_path / "file.bin"
    if case == "binary":
        path.write_bytes(bytes(range(256)) * 4)
    elif case == "oversize":
        with path.open("wb") as handle:
            handle.truncate(MAX_FILE_BYTES + 1)
    elif case == "unreadable":
        path = tmp_path / "missing.txt"
    else:
        path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"junk" * 10)
    with pytest.raises(Refused) as refusal:
        run(service.files.attach_file(cid, path))
    reason = str(refusal.value)
    assert reason and "Traceback" not in reason
    expected = {"binary": "not text", "oversize": "MB", "unreadable": "cannot be read",
                "broken image": "image cannot be read"}[case]
    assert expected in reason
    assert service.files.pending(cid) == []
    assert service.draft(cid) == "my typed message"
    assert not (tmp_path / "attachments").exists() or not any(
        (tmp_path / "attachments").rglob("*"))


def test_a_model_the_server_says_is_blind_refuses_images_and_takes_text(
        make_service, openai_server, run, tmp_path):
    service, cid = make_service(openai_server.play_url("demo", server="llamacpp"),
                                model="demo-model")
    photo = tmp_path / "shot.png"
    photo.write_bytes(png_bytes(64, 64))
    with pytest.raises(Refused, match="does not take images"):
        run(service.files.attach_file(cid, photo))
    text = tmp_path / "notes.txt"
    text.write_text("plain words", encoding="utf-8")
    run(service.files.attach_file(cid, text))
    assert [a.name for a in service.files.pending(cid)] == ["notes.txt"]


def test_a_server_that_does_not_say_warns_once(make_service, openai_server, run, tmp_path):
    service, cid = make_service(openai_server.url, model="demo-model")
    photo = tmp_path / "shot.png"
    photo.write_bytes(png_bytes(64, 64))
    first = run(service.files.attach_file(cid, photo))
    second = run(service.files.attach_file(cid, photo))
    assert first is not None and "does not say" in first.render()
    assert second is None


def test_an_ai_engine_bot_without_uploads_takes_text_files_not_images(
        make_service, server, run, tmp_path):
    site = server.play_url("plugin", version="3.6")  # the bot's page: imageUpload false
    service, cid = make_service(provider=AIEngine, model="",
                                options={"url": site, "bot_id": "default"})
    service.save_draft(cid, "typed words")
    photo = tmp_path / "shot.png"
    photo.write_bytes(png_bytes(64, 64))
    with pytest.raises(Refused, match="does not take uploads"):
        run(service.files.attach_file(cid, photo))
    assert service.draft(cid) == "typed words"
    assert not any(r.path.endswith("/files/upload") for r in server.requests)
    notes = tmp_path / "notes.txt"
    notes.write_text("site words", encoding="utf-8")
    run(service.files.attach_file(cid, notes))
    send_and_wait(run, service, cid, "Read this")
    body = server.requests[-1].json
    assert body["newMessage"] == "Read this\n\nnotes.txt:\n```\nsite words\n```"
    assert "newFileIds" not in body


@pytest.mark.parametrize("scenario", [{"name": "demo"},
                                      {"name": "plugin", "version": "3.6", "uploads": "yes"}])
def test_an_image_goes_to_an_ai_engine_bot_that_takes_uploads_through_its_files_route(
        make_service, server, run, tmp_path, scenario):
    params = dict(scenario)
    site = server.play_url(params.pop("name"), **params)
    service, cid = make_service(provider=AIEngine, model="", max_side=200,
                                options={"url": site, "bot_id": "default"})
    photo = tmp_path / "photo.png"
    photo.write_bytes(png_bytes(800, 400))
    assert run(service.files.attach_file(cid, photo)) is None  # the page says it takes them
    send_and_wait(run, service, cid, "What is this?")
    uploads = [r for r in server.requests if r.path.endswith("/wp-json/mwai-ui/v1/files/upload")]
    assert uploads[-1].headers["Content-Type"].startswith("multipart/form-data")
    if scenario["name"] == "plugin":  # refused without a nonce, then sent again with one
        assert [bool(r.headers.get("X-WP-Nonce")) for r in uploads] == [False, True]
    [(ref_id, (name, data))] = server.uploads.items()
    assert name == "image-1.png"
    sent = QImage.fromData(data)
    assert (sent.width(), sent.height()) == (200, 100)  # the scaled image, not the original
    submit = server.requests[-1].json
    assert submit["newMessage"] == "What is this?"
    assert (submit["newFileIds"], submit["newFileId"]) == ([ref_id], ref_id)
    reply = service.history.messages(cid)[-1]
    assert "received 1 uploaded file(s): image-1.png" in reply.content


def test_a_site_without_the_files_route_says_so_and_keeps_the_message(
        make_service, server, run, tmp_path):
    site = server.play_url("plugin", version="1.9")  # 1.9.88: no files route, no bot params
    service, cid = make_service(provider=AIEngine, model="",
                                options={"url": site, "bot_id": "default"})
    photo = tmp_path / "photo.png"
    photo.write_bytes(png_bytes(64, 64))
    warning = run(service.files.attach_file(cid, photo))
    assert warning is not None and "does not say" in warning.render()
    send_and_wait(run, service, cid, "Look")
    messages = service.history.messages(cid)
    assert messages[-2].content == "Look"
    assert messages[-1].state == "failed"
    assert "no upload route" in messages[-1].error
    assert not any(r.path.endswith("/chats/submit") for r in server.requests)


def test_blobs_are_private_deduplicated_and_sent_again_after_a_regenerate(
        make_service, openai_server, run, tmp_path):
    service, cid = make_service()
    photo = tmp_path / "same.png"
    photo.write_bytes(png_bytes(32, 32))
    run(service.files.attach_file(cid, photo))
    run(service.files.attach_file(cid, photo))
    [blob] = [p for p in (tmp_path / "attachments").rglob("*") if p.is_file()]
    assert blob.name == service.files.pending(cid)[0].sha256
    assert blob.parent.name == blob.name[:2]
    if os.name == "posix":
        assert stat.S_IMODE(blob.stat().st_mode) == 0o600
        assert stat.S_IMODE(blob.parent.stat().st_mode) == 0o700
    send_and_wait(run, service, cid, "Twice")
    assert service.regenerate(cid)
    run(wait_until(lambda: not service.is_streaming(cid), what="the regenerated reply"))
    first, second = completions(openai_server)
    assert first["messages"] == second["messages"]
    assert len(first["messages"][-1]["content"]) == 3  # the text and both images


def test_collection_deletes_only_files_no_row_names(make_service, run, tmp_path):
    service, cid = make_service()
    kept, dropped = tmp_path / "kept.txt", tmp_path / "dropped.txt"
    kept.write_text("kept", encoding="utf-8")
    dropped.write_text("dropped", encoding="utf-8")
    run(service.files.attach_file(cid, kept))
    run(service.files.attach_file(cid, dropped))
    keep, drop = service.files.pending(cid)
    service.files.remove(cid, drop.id)
    assert service.files.blobs.collect(service.history.connection, grace=0) == 1
    assert service.files.data(keep.sha256) == b"kept"
    assert service.files.data(drop.sha256) is None
    assert json.loads(json.dumps([a.name for a in service.files.pending(cid)])) == ["kept.txt"]


def test_attachments_survive_export_and_import_into_another_data_folder(
        make_service, openai_server, run, tmp_path):
    from opchat_gui.store.export import (
        conversation_markdown,
        export_document,
        import_records,
        read_json,
        validate,
        write_json,
    )

    service, cid = make_service()
    photo, notes = tmp_path / "photo.png", tmp_path / "notes.txt"
    photo.write_bytes(png_bytes(64, 48))
    notes.write_text("exported words", encoding="utf-8")
    run(service.files.attach_file(cid, photo))
    run(service.files.attach_file(cid, notes))
    send_and_wait(run, service, cid, "Keep these")
    sent = completions(openai_server)[0]["messages"][-1]["content"]
    path = tmp_path / "export.json"
    write_json(path, export_document(service.history, [cid]))
    markdown = conversation_markdown(service.history, service.conversation(cid))
    assert "![photo.png](file://" in markdown and "[📎 notes.txt](file://" in markdown

    other = tmp_path / "elsewhere"
    other.mkdir()
    imported = History.open(other / "history.sqlite3")
    try:
        result = import_records(imported, validate(read_json(path)))
        assert (result.added, result.skipped) == (1, 0)
        [new_id] = [c.id for c in imported.conversations()]
        target = StreamTarget(OpenAICompatible, model=VISION_MODEL, options={
            "base_url": openai_server.play_url("demo", server="ollama")})
        again = ChatService(imported, lambda _c: target)
        assert again.regenerate(new_id)
        run(wait_until(lambda: not again.is_streaming(new_id), what="the reply after import"))
        # The imported conversation sends exactly what the original sent.
        assert completions(openai_server)[-1]["messages"][-1]["content"] == sent
        files = [p for p in (other / "attachments").rglob("*") if p.is_file()]
        assert len(files) == 2 and all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in files)
    finally:
        imported.close()


def test_a_broken_attachment_in_an_export_is_refused_with_a_sentence(tmp_path):
    from opchat_gui.store.export import ImportFormatError, validate

    document = {"format": "opchat-gui.conversations", "version": 2, "conversations": [{"messages": [
        {"id": 1, "role": "user", "content": "x",
         "attachments": [{"name": "a.txt", "kind": "text", "data": "not base64!"}]}]}]}
    with pytest.raises(ImportFormatError, match="broken attachment"):
        validate(document)


def test_collection_keeps_files_a_backup_still_names(make_service, run, tmp_path):
    from opchat_gui.store.backup import take_backup

    service, cid = make_service()
    notes = tmp_path / "kept-by-backup.txt"
    notes.write_text("backed up", encoding="utf-8")
    run(service.files.attach_file(cid, notes))
    [row] = service.files.pending(cid)
    backup = take_backup(service.history, tmp_path / "backups")
    service.files.remove(cid, row.id)
    assert service.files.blobs.collect(service.history.connection, grace=0,
                                       backups=[backup]) == 0
    assert service.files.data(row.sha256) == b"backed up"
    assert service.files.blobs.collect(service.history.connection, grace=0) == 1


def test_a_server_that_refuses_the_image_is_shown_as_a_sentence(make_service, openai_server,
                                                                run, tmp_path):
    from opchat_gui.core.messages import MessageState

    refusal = "image input is not supported - hint: you may need to provide the mmproj"
    service, cid = make_service(openai_server.play_url("status", status=500, message=refusal),
                                model="demo-model")
    photo = tmp_path / "shot.png"
    photo.write_bytes(png_bytes(32, 32))
    assert run(service.files.attach_file(cid, photo)) is not None  # nobody said: warned
    send_and_wait(run, service, cid, "What is this?")
    reply = service.messages(cid)[-1]
    assert reply.state == MessageState.FAILED
    assert refusal in reply.error and "{" not in reply.error
    assert [m.role for m in service.messages(cid)] == ["user", "assistant"]  # message kept


def test_an_image_counts_as_about_a_thousand_tokens_not_its_base64(tmp_path):
    from opchat_gui.demo.openai_server import prompt_tokens
    from opchat_gui.providers.context_window import message_tokens
    from opchat_gui.providers.tokens import IMAGE_TOKENS, estimate_messages

    url = "data:image/png;base64," + "A" * 400_000
    message = {"role": "user", "content": [{"type": "text", "text": "What is this?"},
                                           {"type": "image_url", "image_url": {"url": url}}]}
    assert IMAGE_TOKENS <= message_tokens(message) < IMAGE_TOKENS + 20
    assert IMAGE_TOKENS <= estimate_messages([message]) < IMAGE_TOKENS + 20
    # The local server counts it the same way, so the usage it reports calibrates sanely.
    assert IMAGE_TOKENS <= prompt_tokens({"messages": [message]}) < IMAGE_TOKENS + 20


def test_a_branch_switch_sends_the_files_of_the_branch_on_show(make_service, openai_server,
                                                               run, tmp_path):
    service, cid = make_service()
    photo = tmp_path / "first.png"
    photo.write_bytes(png_bytes(40, 40))
    run(service.files.attach_file(cid, photo))
    send_and_wait(run, service, cid, "First question")
    first_user = service.messages(cid)[0]
    notes = tmp_path / "other.txt"
    notes.write_text("other branch words", encoding="utf-8")
    # An edited question is a new branch and keeps the image it was sent with.
    assert service.edit_and_resend(cid, first_user.id, "Edited question")
    run(wait_until(lambda: not service.is_streaming(cid), what="the edited reply"))
    edited = completions(openai_server)[-1]["messages"][-1]["content"]
    assert edited[0]["text"] == "Edited question" and edited[1]["type"] == "image_url"
    # Back to the first branch: a regenerate there sends its own text and image again.
    assert service.switch_branch(cid, service.messages(cid)[0].id, -1) == first_user.id
    assert service.regenerate(cid)
    run(wait_until(lambda: not service.is_streaming(cid), what="the regenerated reply"))
    again = completions(openai_server)[-1]["messages"][-1]["content"]
    assert again == completions(openai_server)[0]["messages"][-1]["content"]


def test_export_all_and_import_through_the_archive_carry_the_files(make_service, run,
                                                                   tmp_path):
    import shutil

    from opchat_gui.chat.archive import Archive, ArchiveError
    from opchat_gui.store import attachments as rows

    service, cid = make_service()
    notes = tmp_path / "carried notes.txt"
    notes.write_text("carried across", encoding="utf-8")
    photo = tmp_path / "photo.png"
    photo.write_bytes(png_bytes(30, 20))
    run(service.files.attach_file(cid, notes))
    run(service.files.attach_file(cid, photo))
    send_and_wait(run, service, cid, "Take this along")
    written = Archive(service.history, tmp_path / "backups").export_all(tmp_path / "out")
    [json_file] = [p for p in written if p.suffix == ".json"]
    [markdown] = [p for p in written if p.suffix == ".md"]
    beside = sorted(p.relative_to(tmp_path / "out").as_posix() for p in written
                    if p.parent.name == "files")
    assert len(beside) == 2 and beside[0].endswith("-carried-notes.txt")
    # The JSON names the files beside it instead of carrying them; the Markdown links them
    # by relative path, so the folder reads anywhere.
    document = json.loads(json_file.read_text(encoding="utf-8"))
    items = document["conversations"][0]["messages"][0]["attachments"]
    assert sorted(i["file"] for i in items) == beside and all("data" not in i for i in items)
    text = markdown.read_text(encoding="utf-8")
    assert f"[📎 carried notes.txt]({beside[0]})" in text and f"![photo.png]({beside[1]})" in text
    moved = tmp_path / "moved"
    shutil.move(tmp_path / "out", moved)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    fresh = History.open(elsewhere / "history.sqlite3")
    try:
        # A file missing beside the JSON: one sentence, nothing imported.
        (moved / beside[1]).rename(moved / "aside.png")
        with pytest.raises(ArchiveError, match="is missing beside the JSON"):
            Archive(fresh, elsewhere / "backups").import_file(moved / json_file.name)
        assert fresh.conversations() == []
        (moved / "aside.png").rename(moved / beside[1])
        assert Archive(fresh, elsewhere / "backups").import_file(moved / json_file.name).added == 1
        [conversation] = fresh.conversations()
        user = fresh.messages(conversation.id)[0]
        carried, picture = rows.of_messages(fresh.connection, [user.id])[user.id]
        assert (carried.name, carried.text) == ("carried notes.txt", "carried across")
        assert fresh.blobs is not None and fresh.blobs.read(carried.sha256) == b"carried across"
        assert fresh.blobs.read(picture.sha256) == service.files.data(picture.sha256)
    finally:
        fresh.close()


def test_a_message_of_files_alone_is_sent_and_titles_the_conversation(
        make_service, openai_server, run, tmp_path):
    service, cid = make_service()
    notes = tmp_path / "meeting-notes.txt"
    notes.write_text("agenda", encoding="utf-8")
    run(service.files.attach_file(cid, notes))
    send_and_wait(run, service, cid, "")
    assert service.conversation(cid).title == "meeting-notes.txt"
    content = completions(openai_server)[0]["messages"][-1]["content"]
    assert content == "meeting-notes.txt:\n```\nagenda\n```"
    assert not service.send(cid, "  ")  # nothing typed and nothing attached: nothing sent


def test_the_running_app_collects_unnamed_files_once_settled_and_never_after_close(
        open_app, run, monkeypatch, data_dir):
    """app/main.py: the collection runs a while after start on the live history, and a
    session closed before it is due never runs it against the closed file."""
    import os

    from opchat_gui.app import main as app_module

    orphan = data_dir / "attachments" / "ab" / ("ab" + "0" * 62)
    orphan.parent.mkdir(parents=True)
    orphan.write_bytes(b"no message names me")
    os.utime(orphan, (1.0, 1.0))  # long past the grace for files being attached
    monkeypatch.setattr(app_module, "COLLECT_AFTER_MS", 60_000)
    early = open_app("--url", "http://127.0.0.1:9")
    assert early.file_collection is not None and early.file_collection.isActive()
    run(early.close())
    assert not early.file_collection.isActive() and orphan.exists()

    monkeypatch.setattr(app_module, "COLLECT_AFTER_MS", 0)
    session = open_app("--url", "http://127.0.0.1:9")
    run(wait_until(lambda: not orphan.exists(), what="the unnamed file to go"))
    assert session.file_collection is not None and not session.file_collection.isActive()
