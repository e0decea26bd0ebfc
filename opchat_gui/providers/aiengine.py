"""A client for any WordPress site running the AI Engine chatbot plugin.

A site differs from another in its base URL, path prefix, botId, customId, the page
that carries its chatbot and its input limit. History goes in the shape the plugin's own
web client (2.4+) sends: `messages` without the new turn, the turn only in `newMessage`.
Plugins 2.4+ append `newMessage` to `messages`, so the old shape (the turn in both) made
the model see it twice; 1.9 builds the same prompt from either. Plugins from 2.0 want an
`X-WP-Nonce`: we try without one, and on `rest_forbidden` / `rest_cookie_invalid_nonce`
fetch one (start_session, else the chatbot page), retry once, and keep it per site,
honouring refreshed nonces the server hands back.

Images in the new turn go up first through the plugin's files route, and the submit
names them (providers/aiengine_files.py, which cites the plugin source it follows).

`live` events of subtype `thinking` go to `reasoning_sink` and `status` to `status_sink`,
never into the reply. Reasoning is never sent back: each message in `messages` goes out
as role and content only, and an earlier reply loses a leading `<think>` block.
"""

from __future__ import annotations

import html
import json
import logging
import random
import re
import string
from collections.abc import AsyncGenerator, Callable
from contextlib import aclosing
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from opchat_gui.providers import aiengine_files, http
from opchat_gui.providers.aiengine_stream import (
    NONCE_CODES,
    LiveSinks,
    error_from_status,
    read_body,
    read_reply,
)
from opchat_gui.providers.base import (
    AsyncGeneratorProvider,
    AsyncResult,
    Messages,
    text_of,
)
from opchat_gui.providers.errors import (
    AuthError,
    InputTooLongError,
    NothingToSendError,
    ProviderError,
)
from opchat_gui.providers.lazy import lazy_import
from opchat_gui.providers.pool import SessionPool, open_client
from opchat_gui.providers.reasoning import (
    ReasoningSink,
    StatusSink,
    ThinkingEndSink,
    outgoing_messages,
)

if TYPE_CHECKING:  # the real module for the type checker; lazy at run time
    import aiohttp
else:
    aiohttp = lazy_import("aiohttp")

log = logging.getLogger(__name__)

SUBMIT_PATH = "/wp-json/mwai-ui/v1/chats/submit"
START_SESSION_PATH = "/wp-json/mwai/v1/start_session"
USER_AGENT = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/116.0.0.0 Safari/537.36"
)
NONCE_IN_PAGE = re.compile(r'restNonce"\s*:\s*"([A-Za-z0-9_-]+)"')
PAGE_LIMIT = 2 * 1024 * 1024
DEFAULT_MAX_INPUT_CHARS = 512  # the plugin's default input limit (textInputMaxLength)
UsageSink = Callable[[dict[str, Any]], None]
FinalSink = Callable[[str], None]

# The nonce each site root last gave us; shared by every request in the process.
NONCES: dict[str, str] = {}


def random_chat_id(length: int = 10) -> str:
    return "".join(random.choices(string.ascii_lowercase + string.digits, k=length))


def browser_headers(url: str, referer: str) -> dict[str, str]:
    """The headers of a desktop Chrome tab on the site, as the reference client sends them."""
    return {
        "User-Agent": USER_AGENT,
        "Accept": "*/*",
        "Accept-Language": "de,en-US;q=0.7,en;q=0.3",
        "Origin": url,
        "Alt-Used": urlsplit(url).netloc,
        "Referer": referer,
        "Sec-Fetch-Dest": "empty",
        "Sec-Fetch-Mode": "cors",
        "Sec-Fetch-Site": "same-origin",
    }


@dataclass(frozen=True)
class Site:
    """One AI Engine site: where its REST routes live and which bot answers."""

    url: str
    bot_id: str = "default"
    custom_id: str | None = None
    prefix: str = ""  # e.g. "/chatgpt" when WordPress lives in a sub-folder
    new_shape: bool = True  # `messages` without the new turn; False is the reference's shape
    context_id: int = 28
    referer_path: str = "/"
    nonce: bool = True  # do the nonce dance when the site asks (the Opchatgpts preset does not)
    page: str = ""  # the page with the chatbot (URL, or path on the site); "" is the home page
    max_input_chars: int | None = None  # the bot's input limit, if known
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def base(self) -> str:
        return self.url.rstrip("/")

    @property
    def root(self) -> str:
        """Where /wp-json lives: the base URL plus the optional prefix."""
        prefix = self.prefix.strip("/")
        return self.base + (f"/{prefix}" if prefix else "")

    def headers(self) -> dict[str, str]:
        return browser_headers(self.base, self.base + self.referer_path)

    def pages(self) -> list[str]:
        """Where a nonce may be printed: the named chatbot page, then WordPress's home page.

        A path is taken as it appears in the browser's address bar after the base URL
        (prefix included); the home page is under the prefix. Each is listed once.
        """
        named = ""
        if self.page:
            named = self.page if "://" in self.page else (
                self.base + "/" + self.page.lstrip("/"))
        return list(dict.fromkeys(url for url in (named, self.root + "/") if url))

    def check_input(self, text: str) -> InputTooLongError | None:
        """The refusal a message over the known input limit would get, before sending it."""
        length = len(text.strip())  # the plugin trims, then counts characters
        if self.max_input_chars and length > self.max_input_chars:
            return InputTooLongError(length, self.max_input_chars)
        return None

    def body(self, messages: Messages) -> dict[str, Any]:
        if not messages:
            raise NothingToSendError("an AI Engine request needs at least one message")
        wire = outgoing_messages(messages)  # role and content only: no reasoning goes back
        for message in wire:  # a site takes text: images from another provider's turn go
            message["content"] = text_of(message.get("content"))
        sent = wire[:-1] if self.new_shape else wire
        return {
            "botId": self.bot_id,
            "chatId": random_chat_id(),
            "contextId": self.context_id,
            "customId": self.custom_id,
            "messages": sent,
            "newMessage": wire[-1].get("content", ""),
            "session": "N/A",
            "stream": True,
            **self.extra,
        }


def nonce_from_page(page: str) -> str | None:
    """The restNonce a chatbot page embeds in its (HTML-escaped) data-system JSON."""
    match = NONCE_IN_PAGE.search(html.unescape(page))
    return match.group(1) if match else None


async def fetch_nonce(session: aiohttp.ClientSession, site: Site, proxy: str | None
                      ) -> str | None:
    """A fresh nonce: start_session (plugin 2.4.4+), else the one embedded in the page."""
    try:
        async with session.post(site.root + START_SESSION_PATH, json={}, proxy=proxy) as resp:
            if resp.status == 200:
                body = json.loads(await read_body(resp))
                nonce = body.get("restNonce") if isinstance(body, dict) else None
                if isinstance(nonce, str) and nonce:
                    return nonce
    except ValueError:
        pass
    for page in site.pages():
        async with session.get(page, proxy=proxy) as resp:
            if resp.status == 200:
                nonce = nonce_from_page(await read_body(resp, PAGE_LIMIT))
                if nonce:
                    return nonce
            log.info("no nonce on %s (HTTP %s)", page, resp.status)
    return None


def end_handler(site: Site, usage_sink: UsageSink | None,
                final_sink: FinalSink | None) -> Callable[[dict[str, Any]], None]:
    """Read the `end` payload (a JSON string, or an object): final reply, usage, new_token."""

    def on_end(event: dict[str, Any]) -> None:
        data = event.get("data")
        if isinstance(data, str):
            try:
                data = json.loads(data)
            except ValueError:
                log.info("end payload from %s is not JSON; ignored", site.root)
                return
        if not isinstance(data, dict):
            return
        token = data.get("new_token")
        if isinstance(token, str) and token and site.nonce:
            NONCES[site.root] = token
        reply = data.get("reply")
        if final_sink is not None and isinstance(reply, str) and reply:
            final_sink(reply)
        usage = data.get("usage")
        if usage_sink is not None and isinstance(usage, dict) and usage:
            usage_sink(usage)

    return on_end


async def stream_site(
    site: Site,
    messages: Messages,
    proxy: str | None = None,
    *,
    timeouts: http.Timeouts | None = None,
    usage_sink: UsageSink | None = None,
    final_sink: FinalSink | None = None,
    ca_file: str | None = None,
    sinks: LiveSinks | None = None,
    pool: SessionPool | None = None,
) -> AsyncGenerator[str, None]:
    """Stream one reply from `site`, doing the nonce dance when the site asks for it;
    `pool` keeps the connection to a site on this machine for the next reply."""
    endpoint = site.root + SUBMIT_PATH
    body = site.body(messages)
    too_long = site.check_input(str(body["newMessage"] or ""))
    if too_long is not None:
        raise too_long
    async with http.translated(endpoint) as progress:
        opened, request_proxy = open_client(
            pool, endpoint, site.headers(), timeouts or http.Timeouts(), proxy, ca_file)
        async with opened as client:
            pictures = aiengine_files.images_of(messages[-1].get("content"))
            if pictures:
                body.update(aiengine_files.file_fields(
                    await upload_images(client, site, pictures, request_proxy)))
            for attempt in (1, 2):
                kept = NONCES.get(site.root) if site.nonce else None
                headers = {"X-WP-Nonce": kept} if kept else {}
                log.debug("POST %s (bot %s, nonce %s, proxy %s)", endpoint, site.bot_id,
                          "yes" if kept else "no", "yes" if request_proxy or proxy else "no")
                async with client.post(endpoint, json=body, headers=headers,
                                       proxy=request_proxy) as response:
                    if response.status in (401, 403):
                        text = await read_body(response)
                        if attempt == 1 and site.nonce and _wants_nonce(text):
                            await refresh_nonce(client, site, request_proxy, response.status)
                            continue
                        raise error_from_status(response.status, text)
                    fresh = response.headers.get("X-WP-Nonce")
                    if fresh and site.nonce:
                        NONCES[site.root] = fresh
                    on_end = end_handler(site, usage_sink, final_sink)
                    async with aclosing(read_reply(response, progress, on_end,
                                                   sinks=sinks)) as reply:
                        async for text in reply:
                            yield text
                    return


async def refresh_nonce(client: aiohttp.ClientSession, site: Site, proxy: str | None,
                        status: int) -> None:
    """Forget the site's nonce and fetch a fresh one; AuthError if it offers none."""
    NONCES.pop(site.root, None)
    nonce = await fetch_nonce(client, site, proxy)
    if nonce is None:
        raise AuthError(status, "the site wants a nonce and offers none",
                        user_message=NO_NONCE_MESSAGE)
    NONCES[site.root] = nonce
    log.info("%s wants a nonce: got a fresh one, retrying once", http.site(site.root))


async def upload_images(client: aiohttp.ClientSession, site: Site,
                        pictures: list[tuple[str, bytes]], proxy: str | None) -> list[str]:
    """Upload each image through the plugin's files route; the ids the submit names.
    A site that refuses one ends the send with its reason (ServerError)."""
    ids: list[str] = []
    for name, data in pictures:
        for attempt in (1, 2):
            kept = NONCES.get(site.root) if site.nonce else None
            headers = {"X-WP-Nonce": kept} if kept else {}
            status, text, file_id = await aiengine_files.upload(client, site.root, name, data,
                                                                headers, proxy)
            if status in (401, 403) and attempt == 1 and site.nonce and _wants_nonce(text):
                await refresh_nonce(client, site, proxy, status)
                continue
            if file_id is None:
                raise aiengine_files.upload_error(name, status, text)
            ids.append(file_id)
            break
    return ids


async def site_uploads(site: Site, proxy: str | None, timeouts: http.Timeouts,
                       ca_file: str | None) -> bool | None:
    """Whether the site's bot offers uploads, as its chatbot page says; None when no page
    shows the bot or the site cannot be reached (the send has the last word)."""
    try:
        async with http.translated(site.root):
            client, request_proxy = http.session(site.headers(), timeouts, proxy, ca_file)
            async with client:
                for page in site.pages():
                    async with client.get(page, proxy=request_proxy) as resp:
                        if resp.status != 200:
                            continue
                        said = aiengine_files.bot_uploads(await read_body(resp, PAGE_LIMIT),
                                                          site.bot_id, site.custom_id)
                    if said is not None:
                        return said
    except ProviderError as exc:
        log.info("could not ask %s about uploads: %s", http.site(site.root), exc)
    return None


NO_NONCE_MESSAGE = (
    "The site refused the request and did not offer a security token (nonce). Check the "
    "site address, path prefix and chatbot page in the provider settings, then press Retry."
)


def _wants_nonce(text: str) -> bool:
    try:
        body = json.loads(text)
    except ValueError:
        return False
    return isinstance(body, dict) and body.get("code") in NONCE_CODES


class AIEngine(AsyncGeneratorProvider):
    """Any AI Engine site; the site is given per call (url=, bot_id=, custom_id=, ...)."""

    url = None
    working = True
    supports_message_history = True
    site_uploads = True  # images go where the site's bot takes uploads (image_support)

    @classmethod
    def input_error(cls, text: str, **options: Any) -> InputTooLongError | None:
        """The refusal `text` would get (over the site's input limit), or None; no network."""
        limit = options.get("max_input_chars", DEFAULT_MAX_INPUT_CHARS)
        return Site("", max_input_chars=limit or None).check_input(text)

    @classmethod
    async def image_support(cls, model: str, **options: Any) -> bool | None:
        """Whether the site's bot takes images: its chatbot page's upload switch."""
        if not options.get("url"):
            return None
        site = Site(str(options["url"]), bot_id=options.get("bot_id") or "default",
                    custom_id=options.get("custom_id") or None,
                    prefix=str(options.get("prefix") or ""), page=str(options.get("page") or ""))
        timeouts = http.Timeouts(
            connect=float(options.get("connect_timeout") or http.DEFAULT_CONNECT_TIMEOUT),
            read=float(options.get("read_timeout") or http.DEFAULT_READ_TIMEOUT))
        return await site_uploads(site, options.get("proxy"), timeouts, options.get("ca_file"))

    @classmethod
    async def create_async_generator(
        cls,
        model: str,
        messages: Messages,
        proxy: str | None = None,
        *,
        url: str = "",
        bot_id: str = "default",
        custom_id: str | None = None,
        prefix: str = "",
        new_shape: bool = True,
        page: str = "",
        max_input_chars: int | None = DEFAULT_MAX_INPUT_CHARS,
        connect_timeout: float = http.DEFAULT_CONNECT_TIMEOUT,
        read_timeout: float = http.DEFAULT_READ_TIMEOUT,
        usage_sink: UsageSink | None = None,
        final_sink: FinalSink | None = None,
        ca_file: str | None = None,
        reasoning_sink: ReasoningSink | None = None,
        status_sink: StatusSink | None = None,
        thinking_end_sink: ThinkingEndSink | None = None,
        http_pool: SessionPool | None = None,
        **kwargs: Any,
    ) -> AsyncResult:
        """Stream the reply; `model` is accepted for the interface (the bot picks the model).

        `reasoning_sink` gets `thinking` events, `status_sink` each `status` line, and
        `thinking_end_sink` hears "" when the reply ended with thinking and no answer.
        Messages are sent as role and content only: reasoning is never sent back.
        """
        site = Site(url or "", bot_id=bot_id or "default", custom_id=custom_id or None,
                    prefix=prefix, new_shape=new_shape, page=page,
                    max_input_chars=max_input_chars or None)
        timeouts = http.Timeouts(connect=connect_timeout, read=read_timeout)
        async with aclosing(stream_site(site, messages, proxy, timeouts=timeouts,
                                        usage_sink=usage_sink, final_sink=final_sink,
                                        ca_file=ca_file,
                                        sinks=LiveSinks(reasoning_sink, status_sink,
                                                        thinking_end_sink),
                                        pool=http_pool)) as reply:
            async for text in reply:
                yield text
