"""Opchatgpts: gpt4free's provider for the AI Engine chatbot opchatgpts.net ran.

The request is byte-for-byte the reference client's (tests/integration/test_opchatgpts.py holds
it to that). What changed is the reading: errors, JSON bodies, cut-off streams and
timeouts all become ProviderErrors, and `url=` reaches any AI Engine site.
"""

from __future__ import annotations

from contextlib import aclosing
from typing import Any

from opchat_gui.providers import http
from opchat_gui.providers.aiengine import (
    SUBMIT_PATH,
    USER_AGENT,
    FinalSink,
    Site,
    UsageSink,
    random_chat_id,
    stream_site,
)
from opchat_gui.providers.aiengine_stream import LiveSinks
from opchat_gui.providers.base import AsyncGeneratorProvider, AsyncResult, Messages
from opchat_gui.providers.errors import RejectedError, ServerError, UnreachableError
from opchat_gui.providers.reasoning import ReasoningSink, StatusSink

__all__ = ["GONE_MESSAGE", "SUBMIT_PATH", "USER_AGENT", "Opchatgpts", "browser_headers",
           "preset_site", "random_chat_id", "submit_body"]

GONE_MESSAGE = (
    "Could not reach the Opchatgpts service at https://opchatgpts.net; the public site has "
    "shut down. Press Retry, start with --demo to try the app offline, or point --url at "
    "another AI Engine site."
)


def preset_site(url: str) -> Site:
    """The reference client's site: bot "default", post 28, the old `messages` shape.

    No nonce dance: the reference never sent one, and its requests stay exactly its own.
    A nonce-protected site is reached through the general AI Engine client instead.
    """
    return Site(url.rstrip("/"), bot_id="default", custom_id=None, context_id=28,
                new_shape=False, referer_path="/chatgpt-free-use/", nonce=False,
                max_input_chars=None)


def browser_headers(url: str) -> dict[str, str]:
    """The headers of a desktop Chrome tab on the site, as the reference sends them."""
    return preset_site(url).headers()


def submit_body(messages: Messages) -> dict[str, Any]:
    return preset_site("").body(messages)


class Opchatgpts(AsyncGeneratorProvider):
    url = "https://opchatgpts.net"
    working = False
    supports_message_history = True
    supports_gpt_35_turbo = True

    @classmethod
    async def create_async_generator(
        cls,
        model: str,
        messages: Messages,
        proxy: str | None = None,
        *,
        url: str | None = None,
        connect_timeout: float = http.DEFAULT_CONNECT_TIMEOUT,
        read_timeout: float = http.DEFAULT_READ_TIMEOUT,
        usage_sink: UsageSink | None = None,
        final_sink: FinalSink | None = None,
        ca_file: str | None = None,
        reasoning_sink: ReasoningSink | None = None,
        status_sink: StatusSink | None = None,
        **kwargs: Any,
    ) -> AsyncResult:
        """Stream the reply; `model` is accepted for the interface and not sent.

        Thinking and status events go to their sinks, as with any AI Engine site.
        """
        base = (url or cls.url).rstrip("/")
        timeouts = http.Timeouts(connect=connect_timeout, read=read_timeout)
        try:
            async with aclosing(stream_site(preset_site(base), messages, proxy,
                                            timeouts=timeouts, usage_sink=usage_sink,
                                            final_sink=final_sink, ca_file=ca_file,
                                            sinks=LiveSinks(reasoning_sink, status_sink)
                                            )) as reply:
                async for text in reply:
                    yield text
        except UnreachableError as exc:
            if base != Opchatgpts.url:
                raise
            raise UnreachableError(exc.detail, user_message=GONE_MESSAGE) from exc
        except RejectedError as exc:  # the preset keeps its documented error types
            raise ServerError(exc.detail) from exc
