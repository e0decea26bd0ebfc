"""Tool calls a model wrote as text, because the server passed them on instead of parsing
them (a chat template the server does not understand, a server that ignores `tools`).

The forms seen from open models, as their chat templates ask for them:

- Hermes / Qwen: `<tool_call>{"name": …, "arguments": {…}}</tool_call>`, one block per
  call (the last one may lack its closing tag when the server stopped at it);
- Mistral: `[TOOL_CALLS][{"name": …, "arguments": {…}}, …]`, or in newer tokenizers
  `[TOOL_CALLS]name[ARGS]{…}` per call;
- Llama 3.1+: `<|python_tag|>{"name": …, "parameters": {…}}` (calls split by `;`, maybe
  ending in `<|eom_id|>`), or the same JSON object as the whole reply with no tag at all.

`find_text_calls` reads them only when it is unambiguous: after a marker, every call is
JSON with a name and an object for its arguments (a name no server offers is then run as
any unknown tool is: the model is told); a marker with calls that cannot be read that way
is reported as unreadable (the caller stops offering tools). Without a marker, a reply
that is exactly such JSON and names only offered tools is read as calls; any other JSON
reply is an ordinary answer.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from opchat_gui.providers.tool_calls import ToolCall

HERMES = re.compile(r"<tool_call>\s*(.*?)\s*(?:</tool_call>|\Z)", re.S)
MISTRAL = "[TOOL_CALLS]"
MISTRAL_ARGS = "[ARGS]"
PYTHON_TAG = "<|python_tag|>"
LLAMA_ENDS = ("<|eom_id|>", "<|eot_id|>")
FENCE = re.compile(r"^```(?:json)?\s*(.*?)\s*```$", re.S)
FORMS = {"hermes": "<tool_call>", "mistral": MISTRAL, "llama": PYTHON_TAG, "json": "JSON"}


@dataclass(frozen=True)
class TextCalls:
    """What a reply's text held: its calls (when readable) and the text around them."""

    form: str  # hermes | mistral | llama | json
    calls: list[ToolCall] = field(default_factory=list)
    rest: str = ""  # the reply without the calls
    readable: bool = True

    @property
    def marker(self) -> str:
        """How the form shows in the text, for a sentence to the user."""
        return FORMS[self.form]


def _call(obj: Any, names: Collection[str] | None) -> tuple[str, str] | None:
    """(name, arguments as JSON) of one call object (naming one of `names`, unless None)."""
    if not isinstance(obj, dict):
        return None
    function = obj.get("function")
    source = function if isinstance(function, dict) else obj
    name = source.get("name")
    args = source.get("arguments", source.get("parameters", {}))
    if isinstance(args, str):
        try:
            args = json.loads(args) if args.strip() else {}
        except ValueError:
            return None
    if not isinstance(name, str) or not name.strip() or not isinstance(args, dict):
        return None
    if names is not None and name not in names:
        return None
    return name, json.dumps(args, ensure_ascii=False)


def _calls(objects: list[Any], names: Collection[str] | None) -> list[ToolCall] | None:
    found = [_call(obj, names) for obj in objects]
    if not found or any(item is None for item in found):
        return None
    return [ToolCall(index, f"call_{uuid.uuid4().hex[:16]}", name, args)
            for index, (name, args) in enumerate(item for item in found if item)]


def _json_values(text: str) -> list[Any] | None:
    """The JSON values in `text`, one after another (separated by space or `;`)."""
    decoder = json.JSONDecoder()
    values: list[Any] = []
    position = 0
    text = text.strip()
    while position < len(text):
        while position < len(text) and text[position] in " \t\r\n;,":
            position += 1
        if position >= len(text):
            break
        try:
            value, position = decoder.raw_decode(text, position)
        except ValueError:
            return None
        values.extend(value if isinstance(value, list) else [value])
    return values


def _hermes(text: str) -> TextCalls:
    objects: list[Any] = []
    for body in HERMES.findall(text):
        values = _json_values(body)
        if values is None:
            return TextCalls("hermes", rest=text, readable=False)
        objects.extend(values)
    calls = _calls(objects, None)
    rest = HERMES.sub("", text).strip()
    return TextCalls("hermes", calls or [], rest if calls else text, calls is not None)


def _mistral(text: str) -> TextCalls:
    before, _, after = text.partition(MISTRAL)
    objects: list[Any] = []
    if MISTRAL_ARGS in after:  # name[ARGS]{…}, each call after its own [TOOL_CALLS]
        for part in after.split(MISTRAL):
            name, found, args = part.partition(MISTRAL_ARGS)
            values = _json_values(args) if found else None
            if values is None or len(values) != 1:
                return TextCalls("mistral", rest=text, readable=False)
            objects.append({"name": name.strip(), "arguments": values[0]})
    else:
        values = _json_values(after)
        if values is None:
            return TextCalls("mistral", rest=text, readable=False)
        objects = values
    calls = _calls(objects, None)
    return TextCalls("mistral", calls or [], before.strip() if calls else text,
                     calls is not None)


def _llama(text: str) -> TextCalls:
    before, _, after = text.partition(PYTHON_TAG)
    for end in LLAMA_ENDS:
        after = after.split(end, 1)[0]
    values = _json_values(after)
    calls = _calls(values, None) if values is not None else None
    return TextCalls("llama", calls or [], before.strip() if calls else text,
                     calls is not None)


def find_text_calls(text: str, names: Collection[str]) -> TextCalls | None:
    """The tool calls written in `text`, for the offered tool `names`; None when the text
    holds no call (an ordinary answer)."""
    if "<tool_call>" in text:
        return _hermes(text)
    if MISTRAL in text:
        return _mistral(text)
    if PYTHON_TAG in text:
        return _llama(text)
    bare = text.strip()
    fenced = FENCE.match(bare)
    if fenced:
        bare = fenced.group(1)
    if not bare.startswith(("{", "[")):
        return None
    values = _json_values(bare)
    calls = _calls(values, names) if values is not None else None
    return TextCalls("json", calls, "") if calls else None


__all__ = ["TextCalls", "find_text_calls"]
