"""A reply's tool calls (issue 17): offered to the model, asked of the user, run on the
MCP host, and saved as they happen.

Each call is a 'tool' message on the branch it was made in, under the assistant turn
that made it (whose `tool_calls` holds the calls as JSON). The row is written, as
`streaming`, before the user is asked, and finished when the result comes: a crash
mid-call leaves it `interrupted` (store recovery), never half-written JSON. Its `meta`
(JSON, under "tool") says which server and tool, the arguments, the user's decision, how long the
call took and whether the tool reported an error; its content is what the model got.

Tools are offered only to OpenAI-compatible targets (AI Engine sites run their own),
only when a server is enabled, and not to a conversation whose model cannot call them
(chat/tool_support: the server said so, refused them, or the calls came as unreadable
text).
Nothing starts a server before a reply offers tools: listing them is the first use.
"""

from __future__ import annotations

import asyncio
import base64
import json
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from opchat_gui.chat import tool_support
from opchat_gui.chat.signals import ChatSignals
from opchat_gui.config.settings import TOOL_START_WAIT, TOOL_STEP_LIMIT, TOOL_STEP_LIMIT_MAX
from opchat_gui.core.messages import CONTEXT_STATES, Message, MessageState
from opchat_gui.providers.base import Messages
from opchat_gui.providers.model_facts import ModelFacts
from opchat_gui.providers.openai_compat import OpenAICompatible
from opchat_gui.providers.target import StreamTarget
from opchat_gui.providers.tool_calls import ToolArgumentsError, ToolCall
from opchat_gui.store import History

if TYPE_CHECKING:  # the MCP host loads on first use, not with the app (start-up time)
    from opchat_gui.tools.host import ToolHost
    from opchat_gui.tools.model_tools import ModelTools, ToolOutcome
    from opchat_gui.tools.server_config import ServersConfig

log = logging.getLogger(__name__)

STEP_LIMIT = TOOL_STEP_LIMIT  # tool rounds per reply unless the conversation says otherwise
STEP_LIMIT_MAX = TOOL_STEP_LIMIT_MAX
LIST_WAIT = TOOL_START_WAIT  # tools.host is not imported before first use
ONCE, ALWAYS, DENY = "once", "always", "deny"
DECLINED = "The user declined this tool call; do not try it again unless they ask."
NO_RESULT = "The call was stopped before the tool returned a result."
SHOWN_IMAGE_BYTES = 512 * 1024  # images up to this size are kept in the row to show


@dataclass
class Approval:
    """A call waiting for the user: what the prompt shows, and where the answer goes."""

    conversation_id: int
    message_id: int  # the tool row
    server: str
    tool: str
    arguments: str  # pretty-printed JSON (or the model's text when it is not JSON)
    future: asyncio.Future[str] = field(repr=False)


def pretty(arguments: str) -> str:
    try:
        return json.dumps(json.loads(arguments or "{}"), indent=2, ensure_ascii=False)
    except ValueError:
        return arguments


def context_messages(messages: Iterable[Message],
                     user_content: Callable[[Message], Any] | None = None) -> Messages:
    """The turns of a branch in OpenAI's shape: user text, answers, assistant turns with
    their `tool_calls` and a `role: "tool"` result for every call (a call whose result
    never came, stopped or interrupted, is answered with NO_RESULT, as servers require).
    `user_content` makes a user turn's content (its text with its files); else the text."""
    out: Messages = []
    open_calls: list[str] = []

    def close_calls() -> None:
        for call_id in open_calls:
            out.append({"role": "tool", "tool_call_id": call_id, "content": NO_RESULT})
        open_calls.clear()

    for message in messages:
        if message.role == "tool":
            if message.tool_call_id in open_calls:
                open_calls.remove(message.tool_call_id)
                out.append({"role": "tool", "tool_call_id": message.tool_call_id,
                            "content": message.content if message.state == MessageState.DONE
                            and message.content else NO_RESULT})
            continue
        close_calls()
        if message.role == "user":
            out.append({"role": "user", "content": user_content(message) if user_content
                        else message.content})
        elif message.role == "assistant" and message.tool_calls:
            try:
                calls = json.loads(message.tool_calls)
            except ValueError:
                calls = []
            if isinstance(calls, list) and calls:
                out.append({"role": "assistant", "content": message.content,
                            "tool_calls": calls})
                open_calls.extend(str(c.get("id", "")) for c in calls if isinstance(c, dict))
            elif message.content:
                out.append({"role": "assistant", "content": message.content})
        elif (message.role == "assistant" and message.content
              and message.state in CONTEXT_STATES):
            out.append({"role": "assistant", "content": message.content})
    close_calls()
    return out


class ToolTurns:
    """What the stream engine asks about tools; the UI answers approvals through it."""

    def __init__(self, history: History, signals: ChatSignals,
                 config: ServersConfig | None,
                 settings: Callable[[], tuple[float, int]] | None = None) -> None:
        self.history = history
        self.signals = signals
        self.config = config  # the servers file; None when it could not be read
        # (seconds a reply waits for the servers' tools, the default step limit)
        self.settings = settings or (lambda: (LIST_WAIT, STEP_LIMIT))
        # What the server said of a target's model, if it was asked (chat/context_meter).
        self.facts: Callable[[StreamTarget], ModelFacts | None] = lambda _target: None
        self._host: ToolHost | None = None
        self.pending: dict[int, Approval] = {}  # conversation id -> the call waiting
        self._reported: set[str] = set()  # servers whose start failure was said already

    @property
    def host(self) -> ToolHost | None:
        """The MCP host, made on first use: its modules (and the SDK behind them) stay
        unloaded until a reply offers tools or the settings page tests a server."""
        if self._host is None and self.config is not None:
            from opchat_gui.tools.host import ToolHost

            self._host = ToolHost(self.config)
        return self._host

    async def stop(self) -> None:
        """Stop every server the host started (none if it was never made)."""
        if self._host is not None:
            await self._host.stop_all()

    def offered_to(self, conversation_id: int, target: StreamTarget) -> bool:
        """Whether this conversation's replies may call tools at all (no server starts)."""
        return (self.config is not None and bool(self.config.enabled())
                and issubclass(target.provider, OpenAICompatible)
                and not tool_support.unsupported(self.history, conversation_id, target))

    async def offer(self, conversation_id: int, target: StreamTarget,
                    notes: dict[str, Any]) -> ModelTools | None:
        """The tools to send with this reply (starting the servers on first use), or None.
        What the reply should say about them goes into `notes` (its meta): servers newly
        left out (each said once, until it works again), a model the server says calls
        no tools."""
        # offered_to first: a reply without tools never loads the host's modules (an AI
        # Engine site's first send paid ~20 ms for them)
        if not self.offered_to(conversation_id, target) or self.host is None:
            return None
        facts = self.facts(target)
        if tool_support.says_no_tools(facts):
            assert facts is not None
            source = facts.source.split(" + ")[0]  # the most trusted route that spoke
            tool_support.mark_unsupported(self.history, conversation_id, target,
                                          f"the server says so ({source})")
            notes["tools_unsupported"] = source
            return None
        listing = await self.host.list_tools(self.settings()[0])
        left_out: list[dict[str, Any]] = []
        for name, error in listing.errors.items():
            if name not in self._reported:  # the reply goes on with the others' tools
                self._reported.add(name)
                self.signals.toolServerProblem.emit(error.user_message)
                left_out.append({"server": name, "why": error.user_message,
                                 "retry": round(listing.retry_in.get(name, 0))})
        if left_out:
            notes["tools_left_out"] = left_out
        self._reported -= set(listing.tools)  # working again: a new failure is said again
        tools = listing.for_model()
        return tools if tools.specs else None

    def own_step_limit(self, conversation_id: int) -> int | None:
        """The conversation's own limit (its tool options), None when it uses the default."""
        value = self.history.tool_options(conversation_id).get("step_limit")
        if isinstance(value, int) and not isinstance(value, bool) \
                and 0 < value <= STEP_LIMIT_MAX:
            return value
        return None

    def step_limit(self, conversation_id: int) -> int:
        """The conversation's own limit, else the settings' default."""
        own = self.own_step_limit(conversation_id)
        return own if own is not None else self.settings()[1]

    def set_step_limit(self, conversation_id: int, value: int | None) -> bool:
        options = self.history.tool_options(conversation_id)
        if value is None:
            options.pop("step_limit", None)
        else:
            options["step_limit"] = value
        self.history.set_tool_options(conversation_id, options)
        return True

    def refused(self, conversation_id: int, target: StreamTarget, reason: str) -> None:
        """The server refused `tools` for this model: the conversation goes on without."""
        tool_support.mark_unsupported(self.history, conversation_id, target, reason)

    def answer(self, conversation_id: int, decision: str) -> bool:
        """The user's answer to the call waiting in this conversation (ONCE, ALWAYS, DENY)."""
        approval = self.pending.get(conversation_id)
        if approval is None or approval.future.done():
            return False
        approval.future.set_result(decision)
        return True

    async def run(self, conversation_id: int, parent_id: int, calls: list[ToolCall],
                  tools: ModelTools) -> tuple[int, Messages]:
        """Run the calls in order, each saved as a 'tool' row below the one before; the last
        row's id and the `role: "tool"` messages for the model."""
        results: Messages = []
        for call in calls:
            ref = tools.ref(call.name)
            meta: dict[str, Any] = {"name": call.name, "arguments": call.arguments,
                                    "server": ref.server if ref else "",
                                    "tool": ref.tool if ref else call.name}
            row = self.history.add_message(conversation_id, "tool", "", MessageState.STREAMING,
                                           parent_id=parent_id, tool_call_id=call.id,
                                           meta=json.dumps({"tool": meta}, ensure_ascii=False))
            self.signals.messageAdded.emit(row)
            parent_id = row.id
            try:
                outcome = await self._one(conversation_id, row.id, call, tools, meta)
            except asyncio.CancelledError:
                meta["stopped"] = True
                self._finish(row.id, "", MessageState.STOPPED, meta)
                raise
            self._finish(row.id, outcome.text, MessageState.DONE, meta)
            results.append(outcome.message(call.id))
        return parent_id, results

    def _finish(self, row_id: int, content: str, state: MessageState,
                meta: dict[str, Any]) -> None:
        self.history.update_message(row_id, content=content, state=state, tool_meta=meta)
        message = self.history.message(row_id)
        if message is not None:
            self.signals.messageChanged.emit(message)

    async def _one(self, conversation_id: int, row_id: int, call: ToolCall,
                   tools: ModelTools, meta: dict[str, Any]) -> ToolOutcome:
        from opchat_gui.tools.errors import ToolServerError
        from opchat_gui.tools.model_tools import ToolOutcome, error_outcome

        assert self.host is not None
        ref = tools.ref(call.name)
        if ref is None:
            meta["error"] = True
            return error_outcome(f"there is no tool named {call.name!r}; the tools offered "
                                 f"are {', '.join(sorted(tools.refs)) or 'none'}.")
        try:
            arguments = call.parsed()
        except ToolArgumentsError as exc:
            meta["error"] = True
            return error_outcome(str(exc))
        decision = ALWAYS if self.host.config.is_always_allowed(ref.server, ref.tool) \
            else await self._ask(conversation_id, row_id, ref.server, ref.tool, call.arguments)
        meta["decision"] = decision
        self._finish(row_id, "", MessageState.STREAMING, meta)  # "Calling …" on show
        if decision == DENY:
            meta["denied"] = True
            return ToolOutcome(DECLINED, True, ())
        if decision == ALWAYS and not self.host.config.is_always_allowed(ref.server, ref.tool):
            try:
                self.host.config.allow_always(ref.server, ref.tool)
            except (OSError, ToolServerError) as exc:  # the call still runs this once
                log.warning("could not remember always-allow for %s: %s", ref.tool, exc)
        started = time.monotonic()
        try:
            outcome = await self.host.call(tools, call.name, arguments)
        except ToolServerError as exc:
            log.warning("tool call %s failed: %s", call.name, exc)
            outcome = error_outcome(exc.user_message)
        finally:
            meta["ms"] = round((time.monotonic() - started) * 1000)
        meta["error"] = outcome.is_error
        if outcome.truncated:
            meta["truncated"] = True
        parts = [{"kind": p.kind, "mime": p.mime_type, "uri": p.uri, "size": len(p.data)}
                 for p in outcome.parts if p.kind != "text"]
        for part, source in zip(parts, [p for p in outcome.parts if p.kind != "text"],
                                strict=True):
            if source.kind == "image" and len(source.data) <= SHOWN_IMAGE_BYTES:
                part["data"] = base64.b64encode(source.data).decode("ascii")
        if parts:
            meta["parts"] = parts
        return outcome

    async def _ask(self, conversation_id: int, row_id: int, server: str, tool: str,
                   arguments: str) -> str:
        future: asyncio.Future[str] = asyncio.get_event_loop().create_future()
        approval = Approval(conversation_id, row_id, server, tool, pretty(arguments), future)
        self.pending[conversation_id] = approval
        self.signals.toolApproval.emit(approval)
        try:
            return await future
        finally:
            self.pending.pop(conversation_id, None)
            self.signals.toolApprovalDone.emit(conversation_id)


__all__ = ["ALWAYS", "DENY", "LIST_WAIT", "ONCE", "STEP_LIMIT", "STEP_LIMIT_MAX", "Approval",
           "ToolTurns", "context_messages", "pretty"]
