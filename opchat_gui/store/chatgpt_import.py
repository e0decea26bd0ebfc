"""Read ChatGPT's data export (`conversations.json`) into our conversation records.

Each conversation is a tree (`mapping`: node id → {message, parent, children}), and so is
ours: every branch is kept, and the one that ends at `current_node` (what the user last
saw) is the active one. Nodes without a message, system and tool messages, hidden
context, tool calls (a recipient other than "all") and empty texts are skipped, their
children hanging from the nearest kept ancestor; an assistant message that a skipped
tool call split from the one above is joined back into that one reply.
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
    mapping: dict[str, Any] = item["mapping"]
    messages: list[dict[str, Any]] = []
    by_ref: dict[str, dict[str, Any]] = {}  # node id -> the record it became (or joined)
    for key in _parents_first(mapping):
        parent = _kept_parent(mapping, key, by_ref)
        message = mapping[key].get("message")
        text = _text(message) if isinstance(message, dict) else None
        if text is None:
            continue
        assert isinstance(message, dict)
        role = message["author"]["role"]
        stamp = _number(message.get("create_time"), created)
        if (parent is not None and role == "assistant" and parent["role"] == "assistant"
                and _only_kept_child(mapping, key, by_ref, parent)):
            parent["content"] += "\n\n" + text
            parent["updated_at"] = stamp
            by_ref[key] = parent
            continue
        record = {"id": len(messages) + 1, "parent": parent["id"] if parent else None,
                  "role": role, "content": text, "state": "done", "created_at": stamp,
                  "updated_at": stamp}
        messages.append(record)
        by_ref[key] = record
    active = _active_record(mapping, item.get("current_node"), by_ref)
    updated = _number(item.get("update_time"), max((m["updated_at"] for m in messages),
                                                   default=created))
    return {"uid": f"{UID_PREFIX}{external}", "title": str(item.get("title") or ""),
            "created_at": created, "updated_at": updated, "provider": "chatgpt-import",
            "model": str(item.get("default_model_slug") or ""), "messages": messages,
            "active_leaf": active["id"] if active else None}


def _parents_first(mapping: dict[str, Any]) -> list[str]:
    """Every node reachable from the roots, parents before children, siblings in the order
    the export lists them (guarding against cycles and dangling ids)."""
    roots = [key for key, node in mapping.items() if node.get("parent") not in mapping]
    order: list[str] = []
    seen: set[str] = set()
    stack = list(reversed(roots))
    while stack:
        key = stack.pop()
        if key in seen or key not in mapping:
            continue
        seen.add(key)
        order.append(key)
        stack.extend(reversed([c for c in mapping[key].get("children") or [] if c in mapping]))
    return order


def _kept_parent(mapping: dict[str, Any], key: str,
                 by_ref: dict[str, dict[str, Any]]) -> dict[str, Any] | None:
    """The record of the nearest ancestor that was kept (or joined), if any."""
    seen: set[str] = set()
    node = mapping[key].get("parent")
    while node in mapping and node not in seen:
        seen.add(node)
        if node in by_ref:
            return by_ref[node]
        node = mapping[node].get("parent")
    return None


def _only_kept_child(mapping: dict[str, Any], key: str, by_ref: dict[str, dict[str, Any]],
                     parent: dict[str, Any]) -> bool:
    """Whether `key` is the only message under `parent` in the export (no branch there),
    so joining it to `parent` loses no branch. Nodes below `key` do not count."""
    for other, node in mapping.items():
        if other == key or not isinstance(node.get("message"), dict) \
                or _text(node["message"]) is None:
            continue
        seen: set[str] = set()
        ancestor = node.get("parent")
        while ancestor in mapping and ancestor not in seen and ancestor != key:
            seen.add(ancestor)
            if ancestor in by_ref:
                if by_ref[ancestor] is parent:
                    return False
                break
            ancestor = mapping[ancestor].get("parent")
    return True


def _active_record(mapping: dict[str, Any], current: Any,
                   by_ref: dict[str, dict[str, Any]]) -> dict[str, Any] | None:
    """The record that ends the branch the user last saw."""
    for node in reversed(branch(mapping, current)):
        key = _key_of(mapping, node)
        if key in by_ref:
            return by_ref[key]
    return None


def _key_of(mapping: dict[str, Any], node: dict[str, Any]) -> str | None:
    node_id = node.get("id")
    if isinstance(node_id, str) and mapping.get(node_id) is node:
        return node_id
    return next((k for k, v in mapping.items() if v is node), None)


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
