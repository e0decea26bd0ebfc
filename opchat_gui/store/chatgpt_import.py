"""Read ChatGPT's data export (`conversations.json`) into our conversation records.

Each conversation is a tree (`mapping`: node id → {message, parent, children}); what the
user last saw is the branch that ends at `current_node`, so we walk from there to the
root. Nodes without a message, system and tool messages, hidden context, tool calls
(a recipient other than "all") and empty texts are skipped; assistant messages that a
skipped tool call split in two are joined back into one reply.
"""

from __future__ import annotations

from typing import Any

from opchat_gui.store.export import ImportFormatError

UID_PREFIX = "chatgpt:"
KEPT_ROLES = frozenset({"user", "assistant"})


def is_chatgpt_export(document: Any) -> bool:
    return (isinstance(document, list)
            and all(isinstance(c, dict) and isinstance(c.get("mapping"), dict)
                    for c in document))


def records(document: Any) -> list[dict[str, Any]]:
    """Our import records (see export.validate) for every conversation in the file."""
    if not is_chatgpt_export(document):
        raise ImportFormatError("this is not a ChatGPT conversations.json (a list of "
                                "conversations with a \"mapping\")")
    return [conversation(item, n) for n, item in enumerate(document, 1)]


def conversation(item: dict[str, Any], n: int) -> dict[str, Any]:
    external = item.get("conversation_id") or item.get("id")
    if not external:
        raise ImportFormatError(f"conversation {n} has no id")
    created = _number(item.get("create_time"), 0.0)
    messages: list[dict[str, Any]] = []
    for node in branch(item["mapping"], item.get("current_node")):
        message = node.get("message")
        if not isinstance(message, dict):
            continue
        text = _text(message)
        if text is None:
            continue
        role = message["author"]["role"]
        stamp = _number(message.get("create_time"), created)
        if messages and role == "assistant" and messages[-1]["role"] == "assistant":
            messages[-1]["content"] += "\n\n" + text
            messages[-1]["updated_at"] = stamp
            continue
        messages.append({"role": role, "content": text, "state": "done",
                         "created_at": stamp, "updated_at": stamp})
    updated = _number(item.get("update_time"), messages[-1]["updated_at"] if messages
                      else created)
    return {"uid": f"{UID_PREFIX}{external}", "title": str(item.get("title") or ""),
            "created_at": created, "updated_at": updated, "provider": "chatgpt-import",
            "model": str(item.get("default_model_slug") or ""), "messages": messages}


def branch(mapping: dict[str, Any], current: Any) -> list[dict[str, Any]]:
    """Root-first nodes from the root to `current` (the newest leaf if it is missing)."""
    if current not in mapping:
        current = _newest_leaf(mapping)
    path: list[dict[str, Any]] = []
    seen: set[str] = set()
    while current in mapping and current not in seen:  # `seen` guards against cycles
        seen.add(current)
        node = mapping[current]
        path.append(node)
        current = node.get("parent")
    path.reverse()
    return path


def _newest_leaf(mapping: dict[str, Any]) -> str | None:
    leaves = [key for key, node in mapping.items() if not node.get("children")]
    return max(leaves, key=lambda key: _number(((mapping[key].get("message") or {})
                                                .get("create_time")), 0.0), default=None)


def _text(message: dict[str, Any]) -> str | None:
    """The message's visible text, or None when it is not part of the visible chat."""
    role = (message.get("author") or {}).get("role")
    if role not in KEPT_ROLES:
        return None
    metadata = message.get("metadata") or {}
    if metadata.get("is_visually_hidden_from_conversation"):
        return None
    if message.get("recipient", "all") != "all":
        return None  # a tool call
    content = message.get("content") or {}
    kind = content.get("content_type")
    if kind in ("text", "multimodal_text"):
        pieces = []
        for part in content.get("parts") or []:
            if isinstance(part, str):
                pieces.append(part)
            elif isinstance(part, dict) and part.get("content_type") == "image_asset_pointer":
                pieces.append("[image]")
        text = "\n".join(p for p in pieces if p)
    elif kind == "code" and isinstance(content.get("text"), str):
        text = f"```\n{content['text']}\n```"
    else:
        return None  # user_editable_context, tether_browsing_display, thoughts, ...
    return text if text.strip() else None


def _number(value: Any, default: float) -> float:
    return float(value) if isinstance(value, int | float) else default
