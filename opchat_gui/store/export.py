"""Export to Markdown and to our versioned JSON (docs/export-format.md), and import it back.

Importing is idempotent: each conversation carries a stable `uid`, and one that is
already in the history is skipped, so importing the same file twice adds nothing.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from opchat_gui.core.files import write_atomic
from opchat_gui.core.messages import Conversation, Message, MessageState
from opchat_gui.store.history import History

FORMAT = "opchat-gui.conversations"
FORMAT_VERSION = 1
ROLES = frozenset({"user", "assistant", "system", "error"})
CONVERSATION_FIELDS = ("uid", "title", "created_at", "updated_at", "pinned", "provider",
                       "model", "system_prompt", "draft")
MESSAGE_FIELDS = ("role", "content", "state", "error", "usage", "created_at", "updated_at")


class ImportFormatError(ValueError):
    """The file is not something we can import; the message says what is wrong."""


@dataclass(frozen=True)
class ImportResult:
    added: int
    skipped: int  # already in the history (same uid)


# JSON

def conversation_record(history: History, conversation: Conversation,
                        messages: list[Message]) -> dict[str, Any]:
    record: dict[str, Any] = {name: getattr(conversation, name) for name in CONVERSATION_FIELDS}
    record["messages"] = []
    for m in messages:
        item = {name: (str(getattr(m, name)) if name == "state" else getattr(m, name))
                for name in MESSAGE_FIELDS}
        item["versions"] = history.version_records(m.id)
        record["messages"].append(item)
    return record


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
    return {"format": FORMAT, "version": FORMAT_VERSION, "app_version": app_version,
            "exported_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "conversations": records}


def write_json(path: Path, document: Any) -> None:
    """Write via a temporary file and rename, so a crash never leaves half a file."""
    write_atomic(path, json.dumps(document, ensure_ascii=False, indent=1) + "\n")


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
        for message in record["messages"]:
            if not isinstance(message, dict) or message.get("role") not in ROLES:
                raise ImportFormatError(f"conversation {n} has a message with no valid role")
            if not isinstance(message.get("content", ""), str):
                raise ImportFormatError(f"conversation {n} has a message whose content is "
                                        "not text")
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


def import_records(history: History, records: list[dict[str, Any]]) -> ImportResult:
    added = skipped = 0
    for record in records:
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


def to_markdown(conversation: Conversation, messages: list[Message]) -> str:
    title = conversation.title or "Untitled conversation"
    lines = [f"# {title}", "", f"_Started {_when(conversation.created_at)}_", ""]
    if conversation.system_prompt.strip():
        lines += ["## System prompt", "", conversation.system_prompt, ""]
    for message in messages:
        lines += [f"## {ROLE_TITLES.get(message.role, message.role)} · "
                  f"{_when(message.created_at)}", "", message.content, ""]
        if message.state == MessageState.FAILED:
            lines += [f"> Failed: {message.error or 'the reply failed.'}", ""]
        elif message.state in STATE_NOTES:
            lines += [f"> {STATE_NOTES[message.state]}", ""]
    return "\n".join(lines).rstrip() + "\n"


def markdown_name(conversation: Conversation) -> str:
    """A safe, unique file name: date, a slug of the title, and the id."""
    slug = re.sub(r"[^\w]+", "-", conversation.title.lower(), flags=re.UNICODE).strip("-")
    day = time.strftime("%Y-%m-%d", time.localtime(conversation.created_at))
    return f"{day}-{slug[:50] or 'untitled'}-{conversation.id}.md"


def export_markdown(history: History, folder: Path,
                    conversation_ids: Iterable[int] | None = None) -> list[Path]:
    """One .md file per conversation in `folder`; returns the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    ids = ([c.id for c in history.conversations()] if conversation_ids is None
           else list(conversation_ids))
    written = []
    for conversation_id in ids:
        conversation = history.conversation(conversation_id)
        if conversation is None:
            continue
        path = folder / markdown_name(conversation)
        write_atomic(path, to_markdown(conversation, history.messages(conversation_id)))
        written.append(path)
    return written


def _when(timestamp: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(timestamp))
