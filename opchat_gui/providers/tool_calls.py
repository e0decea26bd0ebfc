"""Streamed `tool_calls` deltas of an OpenAI-compatible stream, put back together.

PROTOCOL.md section 3: `delta.tool_calls` is a list of `{index, id, type, function:
{name, arguments}}`; the id and name come in the first chunk of a call, the arguments
as string pieces split anywhere (even inside an escape), several calls interleave by
`index`, and the turn ends with `finish_reason: "tool_calls"`. What servers also do,
and is taken in here:

- the name repeated whole in later chunks (some proxies): kept once;
- arguments sent as a JSON object instead of a string: serialised;
- no `index` (each call whole in one chunk, as some servers send): a new id, or the
  first piece, starts a new call; otherwise the piece belongs to the last one;
- no `id` at all: `call_<index>` is made up, so the result can still be sent back;
- a whole (non-streamed) completion: `message.tool_calls`, fed the same way.

The arguments stay the text the model wrote; `ToolCall.parsed()` says whether it is a
JSON object, with a sentence the model can be sent back when it is not.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any


class ToolArgumentsError(ValueError):
    """The model's arguments are not a JSON object; `str()` is a sentence for the model."""


@dataclass
class ToolCall:
    index: int
    id: str = ""
    name: str = ""
    arguments: str = ""
    _pieces: list[str] = field(default_factory=list, repr=False)

    def parsed(self) -> dict[str, Any]:
        """The arguments as an object ({} when empty); ToolArgumentsError otherwise."""
        text = self.arguments.strip()
        if not text:
            return {}
        try:
            value = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ToolArgumentsError(
                f"The arguments for {self.name or 'the tool'} are not valid JSON "
                f"({exc.msg} at character {exc.pos}); send them again as one JSON object."
            ) from None
        if not isinstance(value, dict):
            raise ToolArgumentsError(f"The arguments for {self.name or 'the tool'} must be a "
                                     f"JSON object, not {type(value).__name__}.")
        return value

    def message(self) -> dict[str, Any]:
        """The call as it goes back in the assistant message's `tool_calls`."""
        return {"id": self.id, "type": "function",
                "function": {"name": self.name, "arguments": self.arguments}}


class ToolCallAccumulator:
    """Feed every chunk of a stream; `calls()` are the finished calls, in index order."""

    def __init__(self) -> None:
        self._calls: dict[int, ToolCall] = {}
        self.finish_reason: str | None = None

    def feed(self, chunk: dict[str, Any]) -> None:
        choices = chunk.get("choices")
        if not isinstance(choices, list):
            return
        for choice in choices:
            if not isinstance(choice, dict) or choice.get("index", 0) not in (0, None):
                continue
            if choice.get("finish_reason") and self.finish_reason is None:
                self.finish_reason = str(choice["finish_reason"])
            delta = choice.get("delta")
            if not isinstance(delta, dict):
                delta = choice.get("message")
            if not isinstance(delta, dict):
                continue
            pieces = delta.get("tool_calls")
            if isinstance(pieces, list):
                for piece in pieces:
                    if isinstance(piece, dict):
                        self._take(piece)

    def _target(self, piece: dict[str, Any]) -> ToolCall:
        index = piece.get("index")
        if isinstance(index, int) and not isinstance(index, bool):
            return self._calls.setdefault(index, ToolCall(index))
        new_id = piece.get("id")
        last = self._calls[max(self._calls)] if self._calls else None
        if last is None or (isinstance(new_id, str) and new_id and new_id != last.id):
            index = max(self._calls) + 1 if self._calls else 0
            return self._calls.setdefault(index, ToolCall(index))
        return last

    def _take(self, piece: dict[str, Any]) -> None:
        call = self._target(piece)
        if isinstance(piece.get("id"), str) and piece["id"] and not call.id:
            call.id = piece["id"]
        function = piece.get("function")
        if not isinstance(function, dict):
            return
        name = function.get("name")
        if isinstance(name, str) and name and name != call.name:
            call.name += name
        arguments = function.get("arguments")
        if isinstance(arguments, dict | list):
            arguments = json.dumps(arguments, ensure_ascii=False)
        if isinstance(arguments, str) and arguments:
            call._pieces.append(arguments)
            call.arguments = "".join(call._pieces)

    def calls(self) -> list[ToolCall]:
        ordered = [self._calls[i] for i in sorted(self._calls)]
        for call in ordered:
            call.id = call.id or f"call_{call.index}"
        return [c for c in ordered if c.name or c.arguments]


__all__ = ["ToolArgumentsError", "ToolCall", "ToolCallAccumulator"]
