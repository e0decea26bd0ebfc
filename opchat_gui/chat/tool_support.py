"""Whether a conversation's model can call tools, and what to do when it cannot (issue 17).

Three ways a model turns out not to call tools, each said once in the reply's notes:

- **the server says so before we ask**: llama.cpp's `/props` (`chat_template_caps.
  supports_tools` false), Ollama's `/api/show` (no "tools" in `capabilities`), OpenRouter's
  `supported_parameters` (providers/model_facts). Tools are not offered at all.
- **the server refuses** a request with `tools` (HTTP 400/422/500/501; llama-server
  without `--jinja` says "tools param requires --jinja flag"): chat/stream sends it again
  without them.
- **the model writes its calls as text** (providers/text_tool_calls): read as calls when
  that is unambiguous (said once per conversation and model), else tools stop.

The verdict is kept in the conversation's tool options for its provider and model: a
conversation moved to another model is offered tools again.
"""

from __future__ import annotations

from typing import Any

from opchat_gui.providers.model_facts import ModelFacts
from opchat_gui.providers.target import StreamTarget
from opchat_gui.providers.text_tool_calls import TextCalls, find_text_calls
from opchat_gui.store import History

LM_STUDIO = "LM Studio"  # prompts any model with tools: its missing "tool_use" is no verdict


def model_key(history: History, conversation_id: int, target: StreamTarget) -> str:
    conversation = history.conversation(conversation_id)
    return f"{conversation.provider if conversation else ''}\n{target.model}"


def unsupported(history: History, conversation_id: int, target: StreamTarget) -> str:
    """Why this conversation's model calls no tools ("" when it may)."""
    options = history.tool_options(conversation_id)
    reason = options.get("unsupported")
    if not reason:
        return ""
    owner = options.get("unsupported_for")  # absent: a verdict from before it was kept
    return str(reason) if owner in (None, model_key(history, conversation_id, target)) else ""


def mark_unsupported(history: History, conversation_id: int, target: StreamTarget,
                     reason: str) -> None:
    options = history.tool_options(conversation_id)
    options["unsupported"] = reason[:300]
    options["unsupported_for"] = model_key(history, conversation_id, target)
    history.set_tool_options(conversation_id, options)


def says_no_tools(facts: ModelFacts | None) -> bool:
    """Whether the server said, before any request, that this model calls no tools."""
    if facts is None or facts.tools is not False:
        return False
    return not facts.source.startswith(LM_STUDIO)


def read_text_calls(history: History, conversation_id: int, target: StreamTarget,
                    text: str, names: list[str], notes: dict[str, Any]) -> TextCalls | None:
    """The calls a turn wrote as text, when they can be read (`notes` says so once per
    conversation and model); an unreadable one stops tools for this model (said in
    `notes`). None: the text holds no call."""
    found = find_text_calls(text, names)
    if found is None:
        return None
    if not found.readable:
        mark_unsupported(history, conversation_id, target,
                         f"the model wrote tool calls as text ({found.marker}) that could "
                         "not be read")
        notes["tools_unreadable"] = found.marker
        return found
    options = history.tool_options(conversation_id)
    key = model_key(history, conversation_id, target)
    if options.get("text_calls_for") != key:
        options["text_calls_for"] = key
        history.set_tool_options(conversation_id, options)
        notes["text_calls"] = found.marker
    return found


__all__ = ["mark_unsupported", "model_key", "read_text_calls", "says_no_tools", "unsupported"]
