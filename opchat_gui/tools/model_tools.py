"""MCP tools in the shapes an OpenAI-compatible model speaks, and their results back.

- `model_tools()` turns the tools of every enabled server into `tools` entries
  (`{"type": "function", "function": {"name", "description", "parameters"}}`, with the
  server's JSON Schema) and a map from each name back to (server, tool). Names must
  match `^[a-zA-Z0-9_-]{1,64}$` and be unique across servers: a tool keeps its own name
  when it is valid and no other server has it, and is called `<server>_<tool>`
  otherwise (cleaned, cut to 64 characters with a short hash, numbered if needed).
- `tool_result()` turns a `CallToolResult` into the text of the `role: "tool"` message
  and the parts the transcript shows. Text (and the text of embedded text resources)
  goes to the model as is; images, audio, binary resources and resource links are
  summarised for the model in one bracketed line each and kept whole for display.
  The model's text is limited to `MODEL_TEXT_LIMIT` characters (100,000, about 25,000
  tokens): above it the text is cut and a closing line says how much was left out.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mcp.types import CallToolResult, Tool

MODEL_TEXT_LIMIT = 100_000
NAME_RE = re.compile(r"^[a-zA-Z0-9_-]{1,64}$")
_BAD_CHARS = re.compile(r"[^a-zA-Z0-9_-]+")


@dataclass(frozen=True)
class ToolRef:
    server: str
    tool: str


@dataclass(frozen=True)
class ModelTools:
    """What a request sends as `tools`, and how to find the server for each name."""

    specs: list[dict[str, Any]]
    refs: dict[str, ToolRef]

    def ref(self, name: str) -> ToolRef | None:
        return self.refs.get(name)


def _clean(text: str) -> str:
    return _BAD_CHARS.sub("_", text).strip("_") or "tool"


def _fit(name: str) -> str:
    """At most 64 characters; a cut name ends in a hash of the whole, so it stays distinct."""
    if len(name) <= 64:
        return name
    digest = hashlib.sha1(name.encode()).hexdigest()[:8]
    return f"{name[:55]}_{digest}"


def _parameters(schema: Mapping[str, Any] | None) -> dict[str, Any]:
    """The tool's JSON Schema, as an object schema with `properties` (some servers omit it)."""
    params = copy.deepcopy(dict(schema or {}))
    params.setdefault("type", "object")
    if params["type"] == "object":
        params.setdefault("properties", {})
    return params


def model_tools(servers: Mapping[str, Sequence[Tool]]) -> ModelTools:
    """`tools` entries for every tool of `servers` (in order), with unique valid names."""
    counts: dict[str, int] = {}
    for tools in servers.values():
        for tool in tools:
            counts[tool.name] = counts.get(tool.name, 0) + 1
    specs: list[dict[str, Any]] = []
    refs: dict[str, ToolRef] = {}
    for server, tools in servers.items():
        for tool in tools:
            if NAME_RE.match(tool.name) and counts[tool.name] == 1 and tool.name not in refs:
                name = tool.name
            else:
                name = _fit(f"{_clean(server)}_{_clean(tool.name)}")
            base, number = name, 2
            while name in refs:
                name = _fit(f"{base}_{number}")
                number += 1
            refs[name] = ToolRef(server, tool.name)
            description = tool.description or tool.title or f"The {tool.name} tool of {server}."
            specs.append({"type": "function", "function": {
                "name": name, "description": description,
                "parameters": _parameters(tool.input_schema)}})
    return ModelTools(specs, refs)


@dataclass(frozen=True)
class Part:
    """One piece of a result for display: text, an image, audio or a resource."""

    kind: str  # "text" | "image" | "audio" | "resource" | "link"
    text: str = ""
    mime_type: str = ""
    data: bytes = b""
    uri: str = ""


@dataclass(frozen=True)
class ToolOutcome:
    """A finished call: the `role: "tool"` content and what the transcript shows."""

    text: str  # for the model
    is_error: bool
    parts: tuple[Part, ...]
    truncated: bool = False
    structured: Any = None

    def message(self, tool_call_id: str) -> dict[str, str]:
        return {"role": "tool", "tool_call_id": tool_call_id, "content": self.text}


def _size(data: bytes) -> str:
    if len(data) < 1024:
        return f"{len(data)} bytes"
    if len(data) < 1024 * 1024:
        return f"{len(data) / 1024:.1f} KB"
    return f"{len(data) / 1024 / 1024:.1f} MB"


def _decode(data: str) -> bytes:
    try:
        return base64.b64decode(data, validate=False)
    except ValueError:
        return b""


def limit_text(text: str, limit: int = MODEL_TEXT_LIMIT) -> tuple[str, bool]:
    """`text` cut to `limit` characters with a line that says so; (text, was it cut)."""
    if len(text) <= limit:
        return text, False
    return (text[:limit] + f"\n\n[Truncated: the tool returned {len(text):,} characters; "
            f"only the first {limit:,} are included.]", True)


def tool_result(result: CallToolResult, *, limit: int = MODEL_TEXT_LIMIT) -> ToolOutcome:
    """The model's text and the display parts of one `CallToolResult`."""
    from mcp import types

    pieces: list[str] = []
    parts: list[Part] = []
    blocks: list[object] = list(result.content)  # a newer server may send newer kinds
    for block in blocks:
        if isinstance(block, types.TextContent):
            pieces.append(block.text)
            parts.append(Part("text", block.text))
        elif isinstance(block, types.ImageContent | types.AudioContent):
            data = _decode(block.data)
            pieces.append(f"[{block.type}: {block.mime_type}, {_size(data)}, shown to the user]")
            parts.append(Part(block.type, mime_type=block.mime_type, data=data))
        elif isinstance(block, types.EmbeddedResource):
            resource = block.resource
            uri, mime = str(resource.uri), resource.mime_type or ""
            if isinstance(resource, types.TextResourceContents):
                pieces.append(f"[resource {uri}]\n{resource.text}")
                parts.append(Part("resource", resource.text, mime, uri=uri))
            else:
                data = _decode(resource.blob)
                pieces.append(f"[resource {uri}: {mime or 'binary'}, {_size(data)}, "
                              "shown to the user]")
                parts.append(Part("resource", mime_type=mime, data=data, uri=uri))
        elif isinstance(block, types.ResourceLink):
            uri = str(block.uri)
            pieces.append(f"[resource link: {block.name} <{uri}>]")
            parts.append(Part("link", block.name, block.mime_type or "", uri=uri))
        else:
            pieces.append(f"[{getattr(block, 'type', 'unknown')} content]")
    structured = result.structured_content
    if not pieces and structured is not None:
        pieces.append(json.dumps(structured, ensure_ascii=False, indent=2))
        parts.append(Part("text", pieces[-1]))
    text = "\n".join(pieces) if pieces else "(the tool returned nothing)"
    if result.is_error:
        text = f"The tool reported an error: {text}"
    text, truncated = limit_text(text, limit)
    return ToolOutcome(text, result.is_error, tuple(parts), truncated, structured)


def error_outcome(message: str) -> ToolOutcome:
    """A call that failed before a result came (timeout, crash, unknown tool), for the model."""
    return ToolOutcome(f"The tool call failed: {message}", True, (Part("text", message),))


__all__ = ["MODEL_TEXT_LIMIT", "ModelTools", "Part", "ToolOutcome", "ToolRef", "error_outcome",
           "limit_text", "model_tools", "tool_result"]
