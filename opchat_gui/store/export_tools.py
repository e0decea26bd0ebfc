"""Tool calls and their results in the Markdown export (issue 17): what the model called,
with which arguments, and what came back, as the transcript shows them folded.

A reply's calls follow its text as a list; each result is a folded `<details>` block
("Called git_log on git · 0.4 s", or failed, declined, stopped, interrupted) holding the
result in a fenced block, so a long one does not bury the conversation.
"""

from __future__ import annotations

import json

from opchat_gui.core.messages import Message, MessageState, tool_info


def _fence(text: str) -> str:
    """A code fence longer than any run of backticks in `text`."""
    ticks = 3
    while "`" * ticks in text:
        ticks += 1
    return "`" * ticks


def tool_calls_markdown(message: Message) -> list[str]:
    """The calls an assistant turn made, one line each."""
    try:
        calls = json.loads(message.tool_calls) if message.tool_calls else []
    except ValueError:
        return []
    lines = []
    for call in calls if isinstance(calls, list) else []:
        function = call.get("function") if isinstance(call, dict) else None
        if not isinstance(function, dict):
            continue
        arguments = str(function.get("arguments") or "{}")
        fence = "``" if "`" in arguments else "`"
        lines.append(f"- Called `{function.get('name', '?')}` with {fence}{arguments}{fence}")
    return [*lines, ""] if lines else []


def tool_result_markdown(message: Message) -> list[str]:
    """A tool row as a folded block: what was called, how it ended, and its result."""
    info = tool_info(message)
    name = str(info.get("tool") or info.get("name") or "tool")
    where = f" on {info['server']}" if info.get("server") else ""
    if info.get("denied"):
        how = "Declined"
    elif info.get("stopped") or message.state == MessageState.STOPPED:
        how = "Stopped"
    elif message.state == MessageState.INTERRUPTED:
        how = "Interrupted"
    elif info.get("error"):
        how = "Failed"
    else:
        how = "Called"
    took = f" · {info['ms'] / 1000:.1f} s" if isinstance(info.get("ms"), int) else ""
    text = message.content or "(no result)"
    fence = _fence(text)
    return ["<details>", f"<summary>{how}: {name}{where}{took}</summary>", "",
            fence, text, fence, "", "</details>", ""]


__all__ = ["tool_calls_markdown", "tool_result_markdown"]
