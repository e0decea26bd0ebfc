"""A local AI Engine server for the demo, the tests and the benchmarks.

It speaks the `mwai-ui/v1/chats/submit` protocol over real HTTP on 127.0.0.1 and can
play every behaviour real servers were seen to show. The behaviour is chosen by the
site's path prefix, so any client that accepts a base URL can ask for it:

    http://127.0.0.1:PORT                            the demo reply
    http://127.0.0.1:PORT/play/slow:delay=0.2        the demo reply, slowly
    http://127.0.0.1:PORT/play/error:after=3         three chunks, then an error event
    http://127.0.0.1:PORT/play/plugin:version=2.4.3  a WordPress site as the real plugin
    http://127.0.0.1:PORT/play/math                  a reply with LaTeX math
    http://127.0.0.1:PORT/play/demo:uploads=no       a bot whose page offers no uploads

Images go up through the plugin's files route first (demo/aiengine_uploads.py).

`python -m opchat_gui.demo.aiengine_server --port 8765` serves it on its own. See SCENARIOS.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import ssl
import threading
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Self

from aiohttp import web

from opchat_gui.demo.aiengine_uploads import (
    NO_ROUTE,
    UPLOAD,
    Uploads,
    answer_upload,
    files_line,
    named_files,
    page_params,
    uploads_offered,
)

Params = dict[str, str]
SUBMIT = "/wp-json/mwai-ui/v1/chats/submit"
START_SESSION = "/wp-json/mwai/v1/start_session"
NONCE = "demo-nonce-1"
REJECTED = "Sorry, your query has been rejected."
MESSAGE_BYTES_LIMIT = 65536  # the plugin's 403 "rejected" above this (1.9 and 2.4)


def demo_reply(question: str) -> str:
    """A deterministic Markdown answer that echoes the question."""
    shown = " ".join(question.split()) or "(an empty message)"
    return (
        f"You asked: **{shown}**\n\n"
        "This reply comes from the built-in demo server, so it works offline. "
        "It streams in word by word, exactly as a real model's would.\n\n"
        "## What you can try\n\n"
        "- Press **Esc** while a reply streams to stop it.\n"
        "- Press **Ctrl+N** to start a new conversation.\n"
        "- Press **Ctrl+PgUp** / **Ctrl+PgDn** to move between conversations.\n\n"
        "A code block, for good measure:\n\n"
        "```python\n"
        "def greet(name: str) -> str:\n"
        '    return f"Hello, {name}!"\n'
        "\n"
        'print(greet("opchat-gui"))\n'
        "```\n\n"
        "| Key | Action |\n|---|---|\n| Enter | Send |\n| Shift+Enter | New line |\n"
        "| Esc | Stop |\n\n"
        "Point the app at a real AI Engine site with `--url`, and this demo steps aside."
    )


def huge_reply(tokens: int) -> str:
    """Roughly `tokens` words of Markdown prose and code, for stress and benchmarks."""
    unit = (
        "This paragraph is one of many in a very long reply, written to stress the "
        "transcript with realistic prose that wraps across several lines of the view.\n\n"
        "```python\nfor index in range(10):\n    print(index * index)\n```\n\n"
    )
    words_per_unit = len(unit.split())
    return unit * max(1, tokens // words_per_unit)


MATH_REPLY = (
    "The roots of $ax^2 + bx + c = 0$ are given by the quadratic formula:\n\n"
    "$$\nx = \\frac{-b \\pm \\sqrt{b^2 - 4ac}}{2a}\n$$\n\n"
    "The first $n$ integers add up to \\(\\tfrac{n(n+1)}{2}\\):\n\n"
    "\\[\n\\sum_{k=1}^{n} k = \\frac{n(n+1)}{2}\n\\]\n\n"
    "A rotation by $\\theta$ is the matrix\n\n"
    "$$\nR(\\theta) = \\begin{pmatrix} \\cos\\theta & -\\sin\\theta \\\\ "
    "\\sin\\theta & \\cos\\theta \\end{pmatrix}\n$$\n\n"
    "and the Gaussian integral is $\\int_{-\\infty}^{\\infty} e^{-x^2}\\,dx = \\sqrt{\\pi}$.\n\n"
    "Prices are not math: it costs $5 and $10."
)


def tokenize(text: str) -> list[str]:
    """Word-sized chunks that join back to exactly `text`."""
    return re.findall(r"\S+\s*|\s+", text)


def sse(event: dict[str, Any]) -> bytes:
    return b"data: " + json.dumps(event).encode() + b"\n\n"


def end_event(reply: str) -> bytes:
    payload = {"success": True, "reply": reply, "images": None,
               "usage": {"prompt_tokens": 10, "completion_tokens": len(tokenize(reply))}}
    return sse({"type": "end", "data": json.dumps(payload)})


@dataclass
class Recorded:
    """One request as the server saw it, for tests to assert on."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    json: Any = None
    events: list[str] = field(default_factory=list)  # "done", "client-gone", ...


@dataclass
class Play:
    """What one request asked the server to do."""

    name: str
    params: Params
    question: str
    request: web.Request
    record: Recorded
    files: list[tuple[str, bytes]] = field(default_factory=list)  # the uploads it names

    def num(self, key: str, default: float) -> float:
        return float(self.params.get(key, default))

    @property
    def delay(self) -> float:
        return self.num("delay", 0.0)

    def chunks(self) -> list[str]:
        if self.name == "echo":  # the question back, verbatim (hostile-output tests)
            return tokenize(self.question * int(self.num("repeat", 1)))
        if self.name == "math":  # inline and display formulas, cut mid-formula
            return tokenize(MATH_REPLY)
        if "tokens" in self.params:
            return tokenize(huge_reply(int(self.num("tokens", 1000))))
        return tokenize(files_line(self.files) + demo_reply(self.question))


class RecordingServer:
    """aiohttp.web on 127.0.0.1 that records every request; subclasses answer in `_route`."""

    def __init__(self) -> None:
        self.requests: list[Recorded] = []
        self._runner: web.AppRunner | None = None
        self.port = 0
        self.scheme = "http"

    @property
    def origin(self) -> str:
        return f"{self.scheme}://127.0.0.1:{self.port}"

    async def start(self, port: int = 0, ssl_context: ssl.SSLContext | None = None
                    ) -> Self:
        """Serve on 127.0.0.1:port (0 picks one); HTTPS when given an SSL context."""
        app = web.Application(client_max_size=16 * 1024 * 1024)
        app.router.add_route("*", "/{tail:.*}", self._dispatch)
        self._runner = web.AppRunner(app, shutdown_timeout=0.5, handler_cancellation=True,
                                     access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", port, ssl_context=ssl_context)
        self.scheme = "https" if ssl_context is not None else "http"
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return self

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def _dispatch(self, request: web.Request) -> web.StreamResponse:
        body = await request.read()
        record = Recorded(request.method, request.path, dict(request.headers), body)
        try:
            record.json = json.loads(body) if body else None
        except ValueError:
            record.json = None
        self.requests.append(record)
        return await self._route(request, record)

    async def _route(self, request: web.Request, record: Recorded) -> web.StreamResponse:
        raise NotImplementedError


def spec_of(scenario: str, params: dict[str, object]) -> str:
    """`name:k=v,...`, the path segment that picks a scenario."""
    return scenario + (":" + ",".join(f"{k}={v}" for k, v in params.items()) if params else "")


class DevServer(RecordingServer):
    """The server; `await start()` on a running loop, or use ThreadedDevServer."""

    def __init__(self, *, default: str = "demo", default_delay: float | None = None,
                 chatbot_page: str = "/") -> None:
        super().__init__()
        self.default = default
        self.default_delay = default_delay
        self.nonce = NONCE
        self.issued: set[str] = set()  # nonces handed back as refreshed ones; also valid
        # The "plugin" scenario: the path (under the play URL) of the one page that shows
        # the chatbot, and the prompts its upstream model was sent, one list per request.
        self.chatbot_page = chatbot_page
        self.model_prompts: list[list[dict[str, str]]] = []
        self.uploads: Uploads = {}  # what the files route took, by refId

    @property
    def url(self) -> str:
        return self.origin

    def play_url(self, scenario: str, **params: object) -> str:
        return f"{self.url}/play/{spec_of(scenario, params)}"

    async def _route(self, request: web.Request, record: Recorded) -> web.StreamResponse:
        prefix, sep, route = request.path.partition("/wp-json/")
        name, params = self._scenario(prefix)
        trickle = int(params.get("trickle", 0))
        if not sep:
            if name in ("plugin", "demo") and request.method == "GET":
                return await _plugin_page(self, request, name, params)
            if name == "nonce" and params.get("via") == "page" and request.method == "GET":
                return await send_body(request, 200, _page_with_nonce(self.nonce).encode(),
                                       "text/html", trickle)
            return await send_body(request, 404, NOT_FOUND_PAGE.encode(), "text/html", trickle)
        if "/" + sep.strip("/") + "/" + route == START_SESSION:
            old = name == "plugin" and params.get("version", "3.6") in ("1.9", "2.4.3")
            if old or (name == "nonce" and params.get("via") in ("page", "none")):
                return await send_json(request, 404, {
                    "code": "rest_no_route", "message": "No route was found matching the URL "
                    "and request method.", "data": {"status": 404}}, trickle)
            return await send_json(request, 200, {"success": True, "sessionId": "s1",
                                                  "restNonce": self.nonce}, trickle)
        if "/" + sep.strip("/") + "/" + route == UPLOAD and request.method == "POST":
            return await self._upload(request, record, name, params)
        if "/" + sep.strip("/") + "/" + route != SUBMIT or request.method != "POST":
            return web.json_response({"code": "rest_no_route", "message": "No route.",
                                      "data": {"status": 404}}, status=404)
        question = ""
        if isinstance(record.json, dict):
            question = str(record.json.get("newMessage") or "")
        play = Play(name, params, question, request, record,
                    named_files(self.uploads, record.json))
        handler = SCENARIOS.get(name)
        if handler is None:
            return web.json_response({"success": False, "message": f"Unknown scenario {name}"},
                                     status=400)
        try:
            return await handler(self, play)
        except (ConnectionResetError, asyncio.CancelledError):
            record.events.append("client-gone")
            raise

    async def _upload(self, request: web.Request, record: Recorded, name: str,
                      params: Params) -> web.StreamResponse:
        """The files route: on the demo and on plugin sites from 1.9.95 (nonce from 2.0)."""
        version = params.get("version", "3.6")
        if name not in ("demo", "plugin") or (name == "plugin" and version == "1.9"):
            return web.json_response(NO_ROUTE, status=404)
        if name == "plugin":
            sent = request.headers.get("X-WP-Nonce")
            if not sent:
                return web.json_response(NONCE_MISSING, status=401)
            if sent != self.nonce and sent not in self.issued:
                return web.json_response(NONCE_WRONG, status=403)
        return await answer_upload(request, self.uploads, self.origin, record.body)

    def _scenario(self, prefix: str) -> tuple[str, Params]:
        match = re.search(r"/play/([^/]+)", prefix)
        spec = match.group(1) if match else self.default
        name, _, raw = spec.partition(":")
        params = dict(p.split("=", 1) for p in raw.split(",") if "=" in p)
        if self.default_delay is not None and not match:
            params.setdefault("delay", str(self.default_delay))
        return name, params


NONCE_MISSING = {"code": "rest_forbidden", "message": "Sorry, you are not allowed to do that.",
                 "data": {"status": 401}}
NONCE_WRONG = {"code": "rest_cookie_invalid_nonce", "message": "Cookie check failed",
               "data": {"status": 403}}

NOT_FOUND_PAGE = (
    "<!DOCTYPE html><html lang=\"en-US\"><head><meta charset=\"UTF-8\">"
    "<title>Page not found &#8211; Demo site</title><style>body{margin:0}</style>"
    "<script>window.wp={};</script></head><body class=\"error404\"><header><nav><ul>"
    "<li><a href=\"/\">Home</a></li><li><a href=\"/blog/\">Blog</a></li></ul></nav></header>"
    "<main><h1 class=\"page-title\">Oops! That page can&rsquo;t be found.</h1><p>It looks "
    "like nothing was found at this location.</p></main></body></html>"
)


async def send_body(request: web.Request, status: int, body: bytes, content_type: str,
                    trickle: int = 0, pause: float = 0.0) -> web.StreamResponse:
    """A whole body; with `trickle`, written that many bytes at a time, as a slow PHP
    site behind a proxy does, so a client that reads once sees only the first piece."""
    if not trickle:
        return web.Response(status=status, body=body, content_type=content_type)
    response = web.StreamResponse(status=status, headers={"Content-Type": content_type})
    await response.prepare(request)
    for start in range(0, len(body), trickle):
        await response.write(body[start:start + trickle])
        await asyncio.sleep(pause)
    await response.write_eof()
    return response


async def send_json(request: web.Request, status: int, obj: Any, trickle: int = 0
                    ) -> web.StreamResponse:
    return await send_body(request, status, json.dumps(obj).encode(), "application/json",
                           trickle)


async def _open_stream(play: Play, content_type: str = "text/event-stream"
                       ) -> web.StreamResponse:
    response = web.StreamResponse(headers={"Content-Type": content_type,
                                           "Cache-Control": "no-cache"})
    await response.prepare(play.request)
    return response


def thinking_pieces(tokens: int) -> list[str]:
    """A thinking phase of `tokens` pieces, in paragraphs, as a reasoning model writes."""
    words = tokenize("Let me think about this step by step. ")
    return [words[n % len(words)] + ("\n\n" if n % 400 == 399 else "")
            for n in range(tokens)]


async def _stream(play: Play, response: web.StreamResponse, chunks: list[str]) -> None:
    """Chunks `delay` seconds apart, or paced to `rate` chunks per second on average
    (sleeps shorter than the loop's millisecond resolution are batched). think=N: first
    N `thinking` events (a newer plugin's reasoning model), paced the same way."""
    rate = play.num("rate", 0.0)
    loop = asyncio.get_running_loop()
    started = loop.time()
    events = [{"type": "live", "subtype": "thinking", "data": piece}
              for piece in thinking_pieces(int(play.num("think", 0)))]
    events += [{"type": "live", "data": chunk} for chunk in chunks]
    for index, event in enumerate(events):
        await response.write(sse(event))
        if rate > 0:
            wait = started + (index + 1) / rate - loop.time()
            if wait > 0.002:
                await asyncio.sleep(wait)
        elif play.delay:
            await asyncio.sleep(play.delay)


async def play_demo(server: DevServer, play: Play) -> web.StreamResponse:
    """The normal case: the reply as live events, then `end` with the JSON-string payload."""
    response = await _open_stream(play)
    chunks = play.chunks()
    await _stream(play, response, chunks)
    await response.write(end_event("".join(chunks)))
    await response.write_eof()
    play.record.events.append("done")
    return response


async def play_split(server: DevServer, play: Play) -> web.StreamResponse:
    """Bytes in tiny pieces, so events split mid-line and mid-UTF-8 character."""
    response = await _open_stream(play)
    chunks = tokenize("Привет, мир! ✓ Ünïcödé 🙂 splits: " + demo_reply(play.question))
    raw = b"".join(sse({"type": "live", "data": c}) for c in chunks) + end_event("".join(chunks))
    size = int(play.num("size", 3))
    for start in range(0, len(raw), size):
        await response.write(raw[start:start + size])
        await asyncio.sleep(play.delay)
    await response.write_eof()
    play.record.events.append("done")
    return response


async def play_error(server: DevServer, play: Play) -> web.StreamResponse:
    """Some text, then an `error` event and no `end` (an upstream failure mid-stream)."""
    response = await _open_stream(play, play.params.get("ctype", "text/event-stream"))
    await _stream(play, response, play.chunks()[: int(play.num("after", 3))])
    message = play.params.get("message", "cURL error 18: transfer closed with bytes remaining")
    await response.write(sse({"type": "error", "data": message}))
    await response.write_eof()
    return response


async def play_cutoff(server: DevServer, play: Play) -> web.StreamResponse:
    """Some text, then a clean end of the body without an `end` event."""
    response = await _open_stream(play)
    await _stream(play, response, play.chunks()[: int(play.num("after", 3))])
    await response.write_eof()
    return response


async def play_drop(server: DevServer, play: Play) -> web.StreamResponse:
    """Some text, then the TCP connection is torn down mid-body."""
    response = await _open_stream(play)
    await _stream(play, response, play.chunks()[: int(play.num("after", 3))])
    assert play.request.transport is not None
    play.request.transport.abort()
    play.record.events.append("dropped")
    return response


async def play_stall(server: DevServer, play: Play) -> web.StreamResponse:
    """Some text, then silence for `stall` seconds (past the client's read timeout)."""
    response = await _open_stream(play)
    await _stream(play, response, play.chunks()[: int(play.num("after", 3))])
    await asyncio.sleep(play.num("stall", 3600))
    await response.write_eof()
    return response


async def play_broken(server: DevServer, play: Play) -> web.StreamResponse:
    """A line that is not an event: bad JSON, or JSON without "type"."""
    response = await _open_stream(play)
    await _stream(play, response, play.chunks()[: int(play.num("after", 2))])
    line = play.params.get("line", "{not json")
    await response.write(b"data: " + line.encode() + b"\n\n")
    await response.write(end_event(""))
    await response.write_eof()
    return response


async def play_rejected(server: DevServer, play: Play) -> web.StreamResponse:
    """HTTP 403 JSON, as AI Engine answers an empty or over-long message; with via=stream,
    an in-stream `error` event, as 2.4+ answers a message over the bot's input limit."""
    if play.params.get("via") == "stream":
        response = await _open_stream(play)
        await response.write(sse({"type": "error", "data": REJECTED}))
        await response.write_eof()
        return response
    return await send_json(play.request, 403, {"success": False, "message": REJECTED},
                           int(play.params.get("trickle", 0)))


async def play_status(server: DevServer, play: Play) -> web.StreamResponse:
    """Any status with an HTML body, like a crashed PHP site behind nginx; page=notfound
    sends the theme's 404 page instead."""
    status = int(play.num("status", 500))
    html = ("<!DOCTYPE html><html><head><title>Error</title><style>p{}</style></head>"
            "<body><h1>There has been a critical error on this website.</h1></body></html>")
    if play.params.get("page") == "notfound":
        html = NOT_FOUND_PAGE
    return await send_body(play.request, status, html.encode(), "text/html",
                           int(play.params.get("trickle", 0)))


async def play_json_error(server: DevServer, play: Play) -> web.StreamResponse:
    """HTTP 200, JSON content type, yet the body is one SSE `error` line (seen in 1.9-3.6)."""
    return web.Response(status=200, content_type="application/json",
                        body=sse({"type": "error", "data": play.params.get(
                            "message", "No chatbot was found for this botId.")}))


def _page_with_nonce(nonce: str | None, size: int = 47 * 1024, uploads: bool | None = None
                    ) -> str:
    """A WordPress page of about `size` bytes; with a nonce, a chatbot page (plugin <= 2.4.3)
    whose data-system JSON carries it HTML-escaped, ~45 KB in as on a real theme. With
    `uploads` (True or False) the chatbot is there, and its data-params say whether it
    offers uploads."""
    head = ("<!DOCTYPE html><html lang=\"en-US\"><head><meta charset=\"UTF-8\">"
            "<title>Ask the bot &#8211; Demo site</title>")
    filler = "".join(f"<link rel='stylesheet' id='style-{i}-css' href='/wp-content/themes/"
                     f"demo/style-{i}.css?ver=6.1' media='all' />\n" for i in range(600))
    head += filler[: max(0, size - 3 * 1024 - len(head))] + "</head><body>"
    if nonce is None and uploads is None:
        chatbot = "<p>No chatbot on this page.</p>"
    else:
        system = json.dumps({"botId": "default", "customId": None, "userData": None,
                             "restNonce": nonce, "stream": True, "sessionId": "N/A"})
        escaped = system.replace("&", "&amp;").replace('"', "&quot;")
        params = page_params(bool(uploads)) if uploads is not None else "{}"
        front = params.replace("&", "&amp;").replace('"', "&quot;")
        chatbot = (f'<div class="mwai-chatbot-container" data-params="{front}" '
                   f'data-system="{escaped}"></div>')
    tail = "<footer>" + "<p>Footer text.</p>" * 60 + "</footer></body></html>"
    return head + "<main>" + chatbot + "</main>" + tail


async def _plugin_page(server: DevServer, request: web.Request, name: str, params: Params
                       ) -> web.StreamResponse:
    """GET of a page on the plugin (or demo) site: the chatbot page carries a nonce
    (plugin 2.x) and says whether the bot offers uploads; any other path is the theme's
    404 page. The demo's bot offers them; a plugin site's only with uploads=yes."""
    trickle = int(params.get("trickle", 0))
    match = re.search(r"/play/[^/]+(/.*)?$", request.path)
    path = (match.group(1) if match else request.path) or "/"
    if path.rstrip("/") != server.chatbot_page.rstrip("/"):
        return await send_body(request, 404, NOT_FOUND_PAGE.encode(), "text/html", trickle)
    version = params.get("version", "3.6")
    nonce = None if name == "demo" or version == "1.9" else server.nonce
    offered: bool | None = (uploads_offered(params) if name == "demo"
                            else None if version == "1.9" else params.get("uploads") == "yes")
    page = _page_with_nonce(nonce, uploads=offered)
    return await send_body(request, 200, page.encode(), "text/html", trickle)


def model_prompt(messages: list[dict[str, str]], new_message: str, version: str
                 ) -> list[dict[str, str]]:
    """What the plugin hands its upstream model: 2.4+ append `newMessage` after `messages`;
    1.9 replaces a trailing user turn with it (and appends it after anything else)."""
    prompt = [{"role": str(m.get("role")), "content": str(m.get("content"))} for m in messages]
    turn = {"role": "user", "content": new_message}
    if version == "1.9" and prompt and prompt[-1]["role"] == "user":
        return [*prompt[:-1], turn]
    return [*prompt, turn]


async def play_plugin(server: DevServer, play: Play) -> web.StreamResponse:
    """A WordPress site running AI Engine as the real plugin answers (seen on 1.9-3.6).

    Params: version=1.9|2.4.3|2.4.4|3.6 (nonce: none / page only / start_session),
    limit=N (the bot's input limit in characters; 512 from 2.4, none on 1.9),
    trickle=N (JSON bodies and pages N bytes at a time), uploads=yes (the bot's page
    offers uploads; the files route is there from 2.x either way). The prompt the
    upstream model would get is recorded in `server.model_prompts`.
    """
    version = play.params.get("version", "3.6")
    trickle = int(play.params.get("trickle", 0))
    request = play.request
    if version != "1.9":
        sent = request.headers.get("X-WP-Nonce")
        if not sent:
            return await send_json(request, 401, {
                "code": "rest_forbidden", "message": "Sorry, you are not allowed to do that.",
                "data": {"status": 401}}, trickle)
        if sent != server.nonce and sent not in server.issued:
            return await send_json(request, 403, {
                "code": "rest_cookie_invalid_nonce", "message": "Cookie check failed",
                "data": {"status": 403}}, trickle)
    body = play.record.json if isinstance(play.record.json, dict) else {}
    new_message = str(body.get("newMessage") or "").strip()
    too_long = len(new_message.encode()) > MESSAGE_BYTES_LIMIT
    if ((not new_message and not play.files) or too_long
            or not (body.get("botId") or body.get("customId"))):
        return await send_json(request, 403, {"success": False, "message": REJECTED}, trickle)
    headers = {"Content-Type": "text/event-stream"}
    if version != "1.9":
        fresh = f"{server.nonce}-fresh{len(server.issued) + 1}"
        server.issued.add(fresh)
        headers["X-WP-Nonce"] = fresh
    response = web.StreamResponse(headers=headers)
    await response.prepare(request)
    limit = int(play.params.get("limit", 0 if version == "1.9" else 512))
    if limit and len(new_message) > limit:
        await response.write(sse({"type": "error", "data": REJECTED}))
        await response.write_eof()
        return response
    messages = body.get("messages") if isinstance(body.get("messages"), list) else []
    server.model_prompts.append(model_prompt(messages, new_message, version))
    chunks = tokenize(files_line(play.files) + demo_reply(new_message))
    await _stream(play, response, chunks)
    await response.write(end_event("".join(chunks)))
    await response.write_eof()
    play.record.events.append("done")
    return response


async def play_nonce(server: DevServer, play: Play) -> web.StreamResponse:
    """A 2.x+ site: no nonce is 401 rest_forbidden, a wrong one 403; a good one streams.

    Params: via=session|page|none (where a client can get a nonce), refresh=header|token
    (hand back a fresh nonce in X-WP-Nonce or as `new_token` in the end payload),
    accept=none (refuse every nonce), trickle=N (JSON bodies and pages N bytes at a time).
    """
    sent = play.request.headers.get("X-WP-Nonce")
    trickle = int(play.params.get("trickle", 0))
    if not sent:
        return await send_json(play.request, 401, {
            "code": "rest_forbidden", "message": "Sorry, you are not allowed to do that.",
            "data": {"status": 401}}, trickle)
    refused = play.params.get("accept") == "none"
    if refused or (sent != server.nonce and sent not in server.issued):
        return await send_json(play.request, 403, {
            "code": "rest_cookie_invalid_nonce", "message": "Cookie check failed",
            "data": {"status": 403}}, trickle)
    refresh = play.params.get("refresh", "header")
    fresh = f"{server.nonce}-fresh{len(server.issued) + 1}"
    headers = {"Content-Type": "text/event-stream"}
    if refresh == "header":
        headers["X-WP-Nonce"] = fresh
        server.issued.add(fresh)
    response = web.StreamResponse(headers=headers)
    await response.prepare(play.request)
    chunks = play.chunks()
    await _stream(play, response, chunks)
    if refresh == "token":
        server.issued.add(fresh)
        payload = {"success": True, "reply": "".join(chunks), "new_token": fresh,
                   "usage": {"prompt_tokens": 10, "completion_tokens": len(chunks)}}
        await response.write(sse({"type": "end", "data": json.dumps(payload)}))
    else:
        await response.write(end_event("".join(chunks)))
    await response.write_eof()
    return response


async def play_final(server: DevServer, play: Play) -> web.StreamResponse:
    """Live text (with thinking/status events between), then an `end` whose reply differs."""
    response = await _open_stream(play)
    await response.write(sse({"type": "live", "subtype": "thinking", "data": "hmm"}))
    await response.write(sse({"type": "live", "subtype": "content", "data": "Draft "}))
    await response.write(sse({"type": "live", "subtype": "status", "data": "searching"}))
    await response.write(sse({"type": "live", "data": "text"}))
    payload = {"success": True, "reply": play.params.get("reply", "The final reply."),
               "usage": {"prompt_tokens": 7, "completion_tokens": 3, "total_tokens": 10}}
    await response.write(sse({"type": "end", "data": json.dumps(payload)}))
    await response.write_eof()
    return response


async def play_think(server: DevServer, play: Play) -> web.StreamResponse:
    """A newer plugin with a thinking model: `status` lines, `thinking` events (`tokens=`,
    default 20), a `tool_call` and a `debug` event (neither is for the reader), then the
    reply as `content` events and `end`. answer=0: no reply (it stopped while thinking)."""
    response = await _open_stream(play)
    stamp = {"timestamp": 1795990000, "visibility": "visible", "metadata": {}}
    await response.write(sse({"type": "live", "subtype": "status",
                              "data": "Thinking about\nyour question…", **stamp}))
    words = tokenize("Let me think about this step by step. ")
    for n in range(int(play.num("tokens", 20))):
        await response.write(sse({"type": "live", "subtype": "thinking",
                                  "data": words[n % len(words)], **stamp}))
        if play.delay:
            await asyncio.sleep(play.delay)
    await response.write(sse({"type": "live", "subtype": "tool_call",
                              "data": {"name": "web_search", "arguments": "{}"}, **stamp}))
    await response.write(sse({"type": "live", "subtype": "debug", "data": "took 12 ms",
                              **stamp}))
    await response.write(sse({"type": "live", "subtype": "status", "data": "Writing the answer",
                              **stamp}))
    # The demo reply (not play.chunks(): `tokens=` counts the thinking here, not the answer).
    answer = tokenize(demo_reply(play.question))
    chunks = answer if play.params.get("answer", "1") == "1" else []
    for piece in chunks:
        await response.write(sse({"type": "live", "subtype": "content", "data": piece,
                                  **stamp}))
        if play.delay:
            await asyncio.sleep(play.delay)
    await response.write(end_event("".join(chunks)))
    await response.write_eof()
    play.record.events.append("done")
    return response


async def play_plain(server: DevServer, play: Play) -> web.StreamResponse:
    """A non-streaming JSON reply, as with `"stream": false` or a takeover."""
    return web.json_response({"success": True, "reply": demo_reply(play.question),
                              "usage": {"prompt_tokens": 10, "completion_tokens": 20}})


async def play_empty(server: DevServer, play: Play) -> web.StreamResponse:
    """Headers, then a body with nothing in it."""
    response = await _open_stream(play)
    await response.write_eof()
    return response


Scenario = Callable[[DevServer, Play], Awaitable[web.StreamResponse]]
SCENARIOS: dict[str, Scenario] = {
    "demo": play_demo,
    "slow": play_demo,  # same reply; pass delay=SECONDS
    "huge": play_demo,  # pass tokens=N; rate=CHUNKS_PER_SECOND paces it; think=N thinks first
    "echo": play_demo,  # the question streamed back verbatim; repeat=N
    "split": play_split,
    "error": play_error,
    "cutoff": play_cutoff,
    "drop": play_drop,
    "stall": play_stall,
    "broken": play_broken,
    "rejected": play_rejected,
    "status": play_status,
    "json-error": play_json_error,
    "nonce": play_nonce,
    "plain": play_plain,
    "empty": play_empty,
    "final": play_final,
    "plugin": play_plugin,
    "think": play_think,
    "math": play_demo,  # a reply with inline and display math in all four delimiters
}


class ThreadedDevServer:
    """The server on its own thread and loop, for synchronous code and subprocess tests."""

    def __init__(self, **kwargs: Any) -> None:
        self.server = DevServer(**kwargs)
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True,
                                        name="devserver")

    def __enter__(self) -> DevServer:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self.server.start(), self._loop).result(10)
        return self.server

    def __exit__(self, *exc: object) -> None:
        asyncio.run_coroutine_threadsafe(self.server.stop(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        self._loop.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--delay", type=float, default=0.03, help="seconds between chunks")
    parser.add_argument("--chatbot-page", default="/",
                        help="path of the page with the chatbot (the plugin scenario)")
    args = parser.parse_args(argv)

    async def serve() -> None:
        server = await DevServer(default_delay=args.delay,
                                 chatbot_page=args.chatbot_page).start(args.port)
        print(f"AI Engine dev server on {server.url} (scenarios: {', '.join(SCENARIOS)})",
              flush=True)
        try:
            while True:
                await asyncio.sleep(3600)
        finally:
            await server.stop()

    try:
        asyncio.run(serve())
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
