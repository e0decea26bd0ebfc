"""Opchatgpts: gpt4free's provider for the AI Engine chatbot opchatgpts.net ran.

The request is byte-for-byte the reference client's (tests/test_opchatgpts.py holds
it to that). What changed is the reading: errors, JSON bodies, cut-off streams and
timeouts all become ProviderErrors, and `url=` reaches any AI Engine site.
"""

from __future__ import annotations

import random
import string
from contextlib import aclosing
from typing import Any
from urllib.parse import urlsplit

from opchat_gui.providers import http
from opchat_gui.providers.aiengine_stream import read_reply
from opchat_gui.providers.base import AsyncGeneratorProvider, AsyncResult, Messages
from opchat_gui.providers.errors import UnreachableError

GONE_MESSAGE = (
    "Could not reach the Opchatgpts service at https://opchatgpts.net; the public site has "
    "shut down. Press Retry, start with --demo to try the app offline, or point --url at "
    "another AI Engine site."
)
SUBMIT_PATH = "/wp-json/mwai-ui/v1/chats/submit"
USER_AGENT = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/116.0.0.0 Safari/537.36"
)


def random_chat_id(length: int = 10) -> str:
    return "".join(random.choices(string.ascii_lowercase + string.digits, k=length))


def browser_headers(url: str) -> dict[str, str]:
    """The headers of a desktop Chrome tab on the site, as the reference sends them."""
    return {
        "User-Agent": USER_AGENT,
        "Accept": "*/*",
        "Accept-Language": "de,en-US;q=0.7,en;q=0.3",
        "Origin": url,
        "Alt-Used": urlsplit(url).netloc,
        "Referer": f"{url}/chatgpt-free-use/",
        "Sec-Fetch-Dest": "empty",
        "Sec-Fetch-Mode": "cors",
        "Sec-Fetch-Site": "same-origin",
    }


def submit_body(messages: Messages) -> dict[str, Any]:
    return {
        "botId": "default",
        "chatId": random_chat_id(),
        "contextId": 28,
        "customId": None,
        "messages": messages,
        "newMessage": messages[-1]["content"],
        "session": "N/A",
        "stream": True,
    }


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
        **kwargs: Any,
    ) -> AsyncResult:
        """Stream the reply; `model` is accepted for the interface and not sent."""
        base = (url or cls.url).rstrip("/")
        timeouts = http.Timeouts(connect=connect_timeout, read=read_timeout)
        endpoint = base + SUBMIT_PATH
        try:
            async with http.translated(endpoint) as progress:
                async with (
                    http.session(browser_headers(base), timeouts) as session,
                    session.post(endpoint, json=submit_body(messages), proxy=proxy) as response,
                ):
                    async with aclosing(read_reply(response, progress)) as reply:
                        async for text in reply:
                            yield text
        except UnreachableError as exc:
            if base != Opchatgpts.url:
                raise
            raise UnreachableError(exc.detail, user_message=GONE_MESSAGE) from exc
