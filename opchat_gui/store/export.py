"""Export to Markdown and to our versioned JSON (docs/export-format.md), and import it back.

Importing is idempotent: each conversation carries a stable `uid`, and one that is
already in the history is skipped, so importing the same file twice adds nothing.
"""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from opchat_gui.core.attachments import KINDS, Attachment, human_size
from opchat_gui.core.files import write_atomic
from opchat_gui.core.messages import (
    Conversation,
    Message,
    MessageState,
    request_info,
    tool_info,
)
from opchat_gui.store import attachments
from opchat_gui.store.export_files import FILES, FolderFiles, valid_ref
from opchat_gui.store.export_tools import tool_calls_markdown, tool_result_markdown
from opchat_gui.store.history import History

FORMAT = "opchat-gui.conversations"
FORMAT_VERSION = 2  # 2: every message names its parent (a tree); 1: a list with "versions"
ROLES = frozenset({"user", "assistant", "system", "error", "tool"})
CONVERSATION_FIELDS = ("uid", "title", "created_at", "updated_at", "pinned", "provider",
                       "model", "system_prompt", "draft")
MESSAGE_FIELDS = ("role", "content", "state", "error", "usage", "created_at", "updated_at")
THINKING_FIELDS = ("reasoning", "reasoning_ms")  # written only for a reply that thought
TOOL_FIELDS = ("tool_calls", "tool_call_id", "meta")  # written only when set (JSON text);
# `meta` only its "tool" key and a reply's "request" (the model and generation settings it
# was made with): the others (a branch's remembered leaf) are this file's own


Step = Callable[[int, int], None]
"""Told (done, total) before each conversation; raising from it stops the work cleanly."""


class ImportFormatError(ValueError):
    """The file is not something we can import; the message says what is wrong."""


@dataclass(frozen=True)
class ImportResult:
    added: int
    skipped: int  # already in the history (same uid)


# JSON

def conversation_record(history: History, conversation: Conversation,
                        messages: list[Message],
                        file_ref: Callable[[Attachment], str] | None = None) -> dict[str, Any]:
    """The whole tree: every message with its `id` and `parent` (numbers local to this
    record, parents listed before their children) and the `active_leaf` on show. Files
    go in base64, or (`file_ref`: a folder export) as their path beside the JSON."""
    record: dict[str, Any] = {name: getattr(conversation, name) for name in CONVERSATION_FIELDS}
    if conversation.generation:  # its own generation settings, as a JSON object
        try:
            record["generation"] = json.loads(conversation.generation)
        except ValueError:
            pass  # unreadable: it is not applied either (config/generation.loads)
    tree = history.tree(conversation.id)
    by_id = {m.id: m for m in messages}
    ordered = [i for root in tree.children[None] for i in tree.subtree(root) if i in by_id]
    numbers = {message_id: n for n, message_id in enumerate(ordered, 1)}
    files = attachments.of_messages(history.connection, ordered)
    record["messages"] = []
    for message_id in ordered:
        m = by_id[message_id]
        item: dict[str, Any] = {"id": numbers[m.id], "parent": numbers.get(m.parent_id or 0)}
        item.update({name: (str(getattr(m, name)) if name == "state" else getattr(m, name))
                     for name in MESSAGE_FIELDS})
        if m.reasoning:
            item.update({name: getattr(m, name) for name in THINKING_FIELDS})
        item.update({name: getattr(m, name) for name in TOOL_FIELDS[:2] if getattr(m, name)})
        kept = {key: part for key, part in (("tool", tool_info(m)),
                                            ("request", request_info(m))) if part}
        if kept:
            item["meta"] = json.dumps(kept, ensure_ascii=False)
        if m.id in files:
            item["attachments"] = [_attachment_item(history, a, file_ref) for a in files[m.id]]
        record["messages"].append(item)
    path = history.active_path(conversation.id, tree)
    record["active_leaf"] = numbers.get(path[-1]) if path else None
    return record


def _attachment_item(history: History, attachment: Attachment,
                     file_ref: Callable[[Attachment], str] | None = None) -> dict[str, Any]:
    """An attachment in the JSON: its row and its file's bytes (base64), so the export
    stands alone, or the file's path beside it; an import writes the file back,
    content-addressed, before the row."""
    item = {"name": attachment.name, "mime": attachment.mime, "size": attachment.size,
            "kind": attachment.kind, "width": attachment.width, "height": attachment.height,
            "text": attachment.text, "sha256": attachment.sha256}
    if file_ref is not None:
        return {**item, "file": file_ref(attachment)}
    if history.blobs is None:
        raise OSError("attachments are kept beside a history file; this one has none")
    data = history.blobs.read(attachment.sha256)
    return {**item, "data": base64.b64encode(data).decode("ascii")}


def export_document(history: History, conversation_ids: Iterable[int] | None = None,
                    app_version: str = "") -> dict[str, Any]:
    ids = ([c.id for c in history.conversations()] if conversation_ids is None
           else list(conversation_ids))
    records = []
    for conversation_id in ids:
        conversation = history.conversation(conversation_id)
        if conversation is not None:
            records.append(conversation_record(history, conversation,
                                               history.messages(conversation_id)))
    return {**document_header(app_version), "conversations": records}


def document_header(app_version: str) -> dict[str, Any]:
    return {"format": FORMAT, "version": FORMAT_VERSION, "app_version": app_version,
            "exported_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}


def write_json(path: Path, document: Any) -> None:
    """Write via a temporary file and rename, so a crash never leaves half a file."""
    write_atomic(path, json.dumps(document, ensure_ascii=False, indent=1) + "\n")


class JsonStream:
    """Writes the same bytes as write_json(path, export_document(...)), one conversation
    at a time, so a 10,000-conversation export never holds the whole document."""

    def __init__(self, path: Path, app_version: str) -> None:
        empty = json.dumps({**document_header(app_version), "conversations": []},
                           ensure_ascii=False, indent=1)
        self._head = empty.removesuffix("[]\n}")
        self._handle = path.open("w", encoding="utf-8")
        self._count = 0

    def add(self, record: dict[str, Any]) -> None:
        text = json.dumps(record, ensure_ascii=False, indent=1)
        indented = "\n".join("  " + line for line in text.split("\n"))  # a record sits 2 deep
        self._handle.write((self._head + "[\n" if not self._count else ",\n") + indented)
        self._count += 1

    def close(self) -> None:
        try:
            self._handle.write("\n ]\n}\n" if self._count else self._head + "[]\n}\n")
        finally:
            self._handle.close()

    def abandon(self) -> None:
        """Close without finishing the document (the caller deletes the file)."""
        self._handle.close()


def read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise ImportFormatError(f"{path.name} is not UTF-8 text") from exc
    except json.JSONDecodeError as exc:
        raise ImportFormatError(f"{path.name} is not valid JSON ({exc})") from exc


def is_our_document(document: Any) -> bool:
    return isinstance(document, dict) and document.get("format") == FORMAT


def validate(document: Any) -> list[dict[str, Any]]:
    """The conversation records of one of our documents, checked; ImportFormatError if not."""
    if not is_our_document(document):
        raise ImportFormatError("this is not an opchat-gui export (no \"format\" field)")
    version = document.get("version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise ImportFormatError(f"this export has format version {version}; this opchat-gui "
                                f"reads up to version {FORMAT_VERSION}. Update opchat-gui.")
    records = document.get("conversations")
    if not isinstance(records, list):
        raise ImportFormatError("\"conversations\" must be a list")
    for n, record in enumerate(records, 1):
        if not isinstance(record, dict) or not isinstance(record.get("messages"), list):
            raise ImportFormatError(f"conversation {n} has no \"messages\" list")
        seen: set[object] = set()  # format 2: the ids listed so far
        for message in record["messages"]:
            if not isinstance(message, dict) or message.get("role") not in ROLES:
                raise ImportFormatError(f"conversation {n} has a message with no valid role")
            if not isinstance(message.get("content", ""), str):
                raise ImportFormatError(f"conversation {n} has a message whose content is "
                                        "not text")
            if not isinstance(message.get("reasoning", ""), str):
                raise ImportFormatError(f"conversation {n} has a message whose reasoning is "
                                        "not text")
            thought = message.get("reasoning_ms", 0)
            if not isinstance(thought, int) or isinstance(thought, bool) or thought < 0:
                raise ImportFormatError(f"conversation {n} has a message whose reasoning_ms "
                                        "is not a whole number of milliseconds")
            if any(not isinstance(message.get(name, ""), str) for name in TOOL_FIELDS):
                raise ImportFormatError(f"conversation {n} has a message whose tool calls are "
                                        "not JSON text")
            if message.get("parent") is not None and message["parent"] not in seen:
                raise ImportFormatError(f"conversation {n} has a message whose parent is not "
                                        "listed before it")
            if "id" in message:
                seen.add(message["id"])
            _check_attachments(n, message.get("attachments", []))
            versions = message.get("versions", [])
            if not isinstance(versions, list) or not all(
                    isinstance(v, dict) and isinstance(v.get("content", ""), str)
                    for v in versions):
                raise ImportFormatError(f"conversation {n} has a message with bad \"versions\"")
            try:
                MessageState(message.get("state", "done"))
            except ValueError as exc:
                raise ImportFormatError(f"conversation {n}: unknown state "
                                        f"{message.get('state')!r}") from exc
    return records


def _check_attachments(n: int, items: Any) -> None:
    if not isinstance(items, list):
        raise ImportFormatError(f"conversation {n} has a message whose attachments are not "
                                "a list")
    for item in items:
        ok = (isinstance(item, dict) and isinstance(item.get("name"), str)
              and item.get("kind") in KINDS and isinstance(item.get("text", ""), str)
              and (isinstance(item.get("data"), str) or valid_ref(item.get("file"))))
        if ok and "data" in item:
            try:
                data = base64.b64decode(item["data"], validate=True)
            except ValueError:
                ok = False
            else:
                ok = "sha256" not in item or attachments.sha256_of(data) == item["sha256"]
        if not ok:
            raise ImportFormatError(f"conversation {n} has a broken attachment (a name, a "
                                    "kind and the file's bytes in base64, or its path in "
                                    "the export's files folder, are needed)")


def import_records(history: History, records: list[dict[str, Any]],
                   step: Step | None = None) -> ImportResult:
    """Each conversation in its own transaction: a stop from `step` keeps the ones
    already imported, and importing the file again adds the rest."""
    added = skipped = 0
    for done, record in enumerate(records):
        if step is not None:
            step(done, len(records))
        fields = {k: v for k, v in record.items() if k != "messages"}
        if history.import_conversation(fields, record["messages"]) is None:
            skipped += 1
        else:
            added += 1
    return ImportResult(added, skipped)


# Markdown

ROLE_TITLES = {"user": "You", "assistant": "Assistant", "system": "System", "error": "Error"}
STATE_NOTES = {MessageState.STOPPED: "Stopped before the reply was complete.",
               MessageState.INTERRUPTED: "Interrupted: the app closed while this streamed.",
               MessageState.CUT_OFF: "Cut off: the reply reached the length limit.",
               MessageState.WITHHELD: "The server withheld the rest of this reply.",
               MessageState.STREAMING: "Still streaming when exported."}


def to_markdown(conversation: Conversation, messages: list[Message], *,
                branched: bool = False,
                files: Mapping[int, list[Attachment]] | None = None,
                link: Callable[[Attachment], str] | None = None) -> str:
    """The branch on show; `branched` says (in a note at the top) that there are others."""
    title = conversation.title or "Untitled conversation"
    lines = [f"# {title}", "", f"_Started {_when(conversation.created_at)}_", ""]
    if branched:
        lines += ["> This conversation has other branches (edited messages or regenerated "
                  "replies). This file holds the branch that was on show; the JSON export "
                  "keeps them all.", ""]
    if conversation.system_prompt.strip():
        lines += ["## System prompt", "", conversation.system_prompt, ""]
    for message in messages:
        if message.role == "tool":  # under the reply that called it, folded
            lines += tool_result_markdown(message)
            continue
        lines += [f"## {ROLE_TITLES.get(message.role, message.role)} · "
                  f"{_when(message.created_at)}", ""]
        if message.role == "assistant" and request_info(message):
            lines += [made_with_markdown(request_info(message)), ""]
        if message.reasoning:
            lines += thinking_markdown(message.reasoning, message.reasoning_ms)
        lines += [message.content, ""]
        lines += tool_calls_markdown(message)
        if files and message.id in files:
            lines += attachments_markdown(files[message.id], link)
        if message.reasoning and not message.content:
            lines += ["> No answer: the model was still thinking when the reply ended.", ""]
        if message.state == MessageState.FAILED:
            lines += [f"> Failed: {message.error or 'the reply failed.'}", ""]
        elif message.state in STATE_NOTES:
            lines += [f"> {STATE_NOTES[message.state]}", ""]
    return "\n".join(lines).rstrip() + "\n"


def made_with_markdown(info: Mapping[str, Any]) -> str:
    """What a reply was made with, one italic line: "_Made with Local · qwen3 ·
    temperature 0.7, max_tokens 300_" (the settings sent; none: the server's defaults)."""
    label, model = str(info.get("label") or ""), str(info.get("model") or "")
    made = label if not model or model in label else f"{label} · {model}"
    settings = info.get("settings")
    sent = [f"{name} {json.dumps(value, ensure_ascii=False)}"
            for name, value in (settings.items() if isinstance(settings, dict) else ())]
    text = f"Made with {made or '?'}" + (f" · {', '.join(sent)}" if sent else "")
    return "_" + re.sub(r"([\\`*_\[\]<>])", r"\\\1", text) + "_"


def attachments_markdown(files: list[Attachment],
                         link: Callable[[Attachment], str] | None) -> list[str]:
    """Each attachment as a link to its file (an image inline): in the data folder, or
    beside the Markdown in a folder export."""
    lines = []
    for a in files:
        target = link(a) if link is not None else a.sha256
        label = a.name.replace("[", "(").replace("]", ")")
        lines.append(f"![{label}]({target})" if a.kind == "image"
                     else f"[📎 {label}]({target}) ({human_size(a.size)})")
    return [*lines, ""]


def thinking_markdown(reasoning: str, reasoning_ms: int) -> list[str]:
    """The thinking as a folded `<details>` block: GitHub, GitLab, Obsidian and most
    viewers show it closed, as the app does, so a long thought does not bury the answer,
    and the text inside stays plain Markdown. A quoted section would show it all."""
    seconds = f" for {max(1, round(reasoning_ms / 1000))} s" if reasoning_ms > 0 else ""
    body = reasoning.strip().replace("</details>", "&lt;/details&gt;")
    return ["<details>", f"<summary>Thought{seconds}</summary>", "", body, "", "</details>", ""]


def conversation_markdown(history: History, conversation: Conversation,
                          link: Callable[[Attachment], str] | None = None) -> str:
    """The Markdown of a stored conversation: its active path, noting other branches.
    Files link into the data folder unless `link` says where they are."""
    tree = history.tree(conversation.id)
    path = history.active_path(conversation.id, tree)
    blobs = history.blobs
    if link is None and blobs is not None:
        def link(attachment: Attachment) -> str:
            return blobs.path(attachment.sha256).as_uri()
    return to_markdown(conversation, history.path_messages(path),
                       branched=len(path) < len(tree),
                       files=attachments.of_messages(history.connection, path), link=link)


def markdown_name(conversation: Conversation) -> str:
    """A safe, unique file name: date, a slug of the title, and the id."""
    slug = re.sub(r"[^\w]+", "-", conversation.title.lower(), flags=re.UNICODE).strip("-")
    day = time.strftime("%Y-%m-%d", time.localtime(conversation.created_at))
    return f"{day}-{slug[:50] or 'untitled'}-{conversation.id}.md"


def export_folder(history: History, folder: Path, json_name: str, app_version: str,
                  step: Step | None = None) -> list[Path]:
    """One Markdown file per conversation plus `json_name` holding all of them, in one pass,
    and the attached files beside them in `files/` (store/export_files.py).

    Everything is written into a hidden folder inside `folder` and moved into place only
    once every file is complete, so a failure (a full disk) or a stop from `step` leaves
    no file behind. Files are flushed to disk by one sync at the end instead of one fsync
    each: 10,000 fsyncs cost about a minute here, one sync under a second.
    """
    folder.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".opchat-gui-export-", dir=folder))
    try:
        # Ids, read one conversation at a time: 10,000 objects kept alive for the whole
        # export would make Python's full garbage collections, which hold the GIL, long.
        ids = [c.id for c in history.conversation_list()]
        names: list[str] = []
        files = FolderFiles(history.blobs, staging)
        stream = JsonStream(staging / json_name, app_version)
        try:
            for done, conversation_id in enumerate(ids):
                if step is not None:
                    step(done, len(ids))
                conversation = history.conversation(conversation_id)
                if conversation is None:
                    continue
                messages = history.messages(conversation.id)
                name = markdown_name(conversation)
                markdown = conversation_markdown(history, conversation, files.ref)
                (staging / name).write_text(markdown, encoding="utf-8")
                stream.add(conversation_record(history, conversation, messages, files.ref))
                names.append(name)
        except BaseException:
            stream.abandon()
            raise
        stream.close()
        names.append(json_name)
        names += files.names()
        _flush(staging, names)
        if files.names():
            (folder / FILES).mkdir(exist_ok=True)
        for name in names:
            os.replace(staging / name, folder / name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return [folder / name for name in names]


def _flush(folder: Path, names: list[str]) -> None:
    if hasattr(os, "sync"):
        os.sync()
        return
    for name in names:  # Windows: no sync(), so each file on its own
        with (folder / name).open("rb+") as handle:
            os.fsync(handle.fileno())


def _when(timestamp: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(timestamp))
