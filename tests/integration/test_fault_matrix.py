"""The fault matrix: every failure, both protocols, through ChatService onto a real SQLite file.

Each case asserts the error type, the exact sentence the user sees, and that the user's
message and any partial reply are on disk (read back through a second connection).
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from opchat_gui.chat import ChatService, StreamTarget
from opchat_gui.demo.aiengine_server import DevServer, demo_reply
from opchat_gui.demo.openai_server import OpenAIDevServer
from opchat_gui.providers.aiengine import AIEngine
from opchat_gui.providers.errors import (
    AuthError,
    ContextOverflowError,
    CutOffError,
    HTTPStatusError,
    ProtocolError,
    ProviderError,
    ProviderTimeoutError,
    ProxyError,
    RejectedError,
    ServerError,
    UnreachableError,
)
from opchat_gui.providers.openai_compat import OpenAICompatible
from opchat_gui.store import History, MessageState
from tests.conftest import wait_until
from tests.proxy_server import HTTPProxy, closed_port, make_tls

QUESTION = "Does this survive the fault?"
RETRY = "Press Retry; if it keeps happening, check the provider settings."
AUTH_HINT = "Check the API key or site settings, then press Retry."
CUT_HINT = "The part that arrived is kept; press Retry to ask again."
SERVER_HINT = "Press Retry; if it repeats, the server may need attention."
DOWN = "Check the address and your network connection, then press Retry."
SILENT = "It may be overloaded; press Retry, or raise the timeout in the settings."
UNREADABLE = "Check that the address points at the right kind of server."
REJECTED = ("It may be longer than the bot's input limit, empty, or meant for a bot the site "
            "does not have. Shorten the message, or check the bot id in the provider settings.")
OVERFLOW = ("Start a new conversation, shorten this one, or raise the server's context size "
            "(for llama.cpp, its --ctx-size).")
PROXY_HINT = "Check the proxy address and credentials in the settings, then press Retry."


@dataclass(frozen=True)
class Case:
    name: str
    protocol: str  # "aiengine" | "openai"
    where: str  # a scenario spec for the server, or "closed" / "silent" / "backlog"
    error: type[ProviderError]
    message: str  # {site} is the server's scheme://host:port
    partial: bool = False
    options: dict[str, Any] = field(default_factory=dict)
    proxy: str = ""  # "down" or "badauth"


CASES = [
    # AI Engine
    Case("ae-refused", "aiengine", "closed", UnreachableError,
         f"Could not reach the server ({{site}}: connection refused). {DOWN}"),
    Case("ae-tls-untrusted", "aiengine", "tls", UnreachableError,
         "Could not reach the server (TLS failed for {site}: the server's certificate is not "
         f"trusted (unable to get local issuer certificate)). {DOWN}"),
    Case("ae-connect-timeout", "aiengine", "backlog", ProviderTimeoutError,
         f"The server stopped answering (no connection to {{site}} within the connect "
         f"timeout). {SILENT}", options={"connect_timeout": 0.5}),
    Case("ae-silent-before-headers", "aiengine", "silent", ProviderTimeoutError,
         f"The server stopped answering ({{site}} went silent for longer than the read "
         f"timeout). {SILENT}", options={"read_timeout": 0.5}),
    Case("ae-idle-mid-stream", "aiengine", "stall:after=3", ProviderTimeoutError,
         f"The server stopped answering ({{site}} went silent for longer than the read "
         f"timeout). {SILENT}", partial=True, options={"read_timeout": 0.5}),
    Case("ae-500-html", "aiengine", "status:status=500", HTTPStatusError,
         "The server answered with an error (HTTP 500: Error: There has been a critical error "
         f"on this website). {RETRY}"),
    Case("ae-502-html", "aiengine", "status:status=502", HTTPStatusError,
         "The server answered with an error (HTTP 502: Error: There has been a critical error "
         f"on this website). {RETRY}"),
    Case("ae-401-html", "aiengine", "status:status=401", AuthError,
         "The server refused the request (HTTP 401: Error: There has been a critical error "
         f"on this website). {AUTH_HINT}"),
    Case("ae-nonce-unavailable", "aiengine", "nonce:via=none", AuthError,
         "The site refused the request and did not offer a security token (nonce). Check the "
         "site address, path prefix and chatbot page in the provider settings, then press "
         "Retry."),
    Case("ae-rejected-403", "aiengine", "rejected", RejectedError,
         f"The site refused this message (Sorry, your query has been rejected). {REJECTED}"),
    Case("ae-rejected-in-stream", "aiengine", "rejected:via=stream", RejectedError,
         f"The site refused this message (Sorry, your query has been rejected). {REJECTED}"),
    Case("ae-broken-line", "aiengine", "broken:after=2", ProtocolError,
         f"The server sent a reply this app cannot read (Broken line: data: {{{{not json). "
         f"{UNREADABLE}", partial=True),
    Case("ae-line-without-type", "aiengine", 'broken:after=2,line={"data":"x"}', ProtocolError,
         'The server sent a reply this app cannot read (Broken line: data: {{"data":"x"}}). '
         f"{UNREADABLE}", partial=True),
    Case("ae-error-event", "aiengine", "error:after=3", ServerError,
         "The server reported an error: cURL error 18: transfer closed with bytes remaining. "
         f"{SERVER_HINT}", partial=True),
    Case("ae-error-in-json-200", "aiengine", "json-error", ServerError,
         f"The server reported an error: No chatbot was found for this botId. {SERVER_HINT}"),
    Case("ae-cut-off", "aiengine", "cutoff:after=3", CutOffError,
         "The reply was cut off before it finished (the stream ended before the server said "
         f"it was complete). {CUT_HINT}", partial=True),
    Case("ae-dropped", "aiengine", "drop:after=3", CutOffError,
         f"The reply was cut off before it finished (the connection closed mid-reply). "
         f"{CUT_HINT}", partial=True),
    Case("ae-empty-body", "aiengine", "empty", CutOffError,
         f"The reply was cut off before it finished (the server sent an empty answer). "
         f"{CUT_HINT}"),
    Case("ae-proxy-down", "aiengine", "demo", ProxyError,
         "The proxy failed (could not connect to the proxy at {proxy}: connection refused). "
         f"{PROXY_HINT}", proxy="down"),
    Case("ae-proxy-auth", "aiengine", "demo", ProxyError,
         "The proxy failed (HTTP 407: the proxy wants valid credentials). " + PROXY_HINT,
         proxy="badauth"),
    # OpenAI-compatible
    Case("oa-refused", "openai", "closed", UnreachableError,
         f"Could not reach the server ({{site}}: connection refused). {DOWN}"),
    Case("oa-tls-untrusted", "openai", "tls", UnreachableError,
         "Could not reach the server (TLS failed for {site}: the server's certificate is not "
         f"trusted (unable to get local issuer certificate)). {DOWN}"),
    Case("oa-silent-before-headers", "openai", "silent", ProviderTimeoutError,
         f"The server stopped answering ({{site}} went silent for longer than the read "
         f"timeout). {SILENT}", options={"read_timeout": 0.5}),
    Case("oa-idle-mid-stream", "openai", "stall:after=3", ProviderTimeoutError,
         f"The server stopped answering ({{site}} went silent for longer than the read "
         f"timeout). {SILENT}", partial=True, options={"read_timeout": 0.5}),
    Case("oa-500-int-code", "openai", "status:status=500,code=int", HTTPStatusError,
         "The server answered with an error (HTTP 500: The server had an error processing "
         f"your request. (code 500)). {RETRY}"),
    Case("oa-400-null-code", "openai",
         "status:status=400,code=null,message=context length exceeded", ContextOverflowError,
         f"The conversation is longer than the model's context (HTTP 400: context length "
         f"exceeded). {OVERFLOW}"),
    Case("oa-overflow-llamacpp", "openai", "overflow:style=llamacpp", ContextOverflowError,
         "The conversation is longer than the model's context (HTTP 400: the request exceeds "
         f"the available context size, try increasing it (code 400)). {OVERFLOW}"),
    Case("oa-overflow-openai", "openai", "overflow:style=openai", ContextOverflowError,
         "The conversation is longer than the model's context (HTTP 400: This model's maximum "
         "context length is 4096 tokens. However, your messages resulted in 5120 tokens. "
         "Please reduce the length of the messages. (code context_length_exceeded)). "
         f"{OVERFLOW}"),
    Case("oa-400-detail", "openai", "status:status=400,body=detail,message=model not found",
         HTTPStatusError,
         f"The server answered with an error (HTTP 400: model not found). {RETRY}"),
    Case("oa-529-text-plain", "openai", "status:status=529,body=text,message=Overloaded",
         HTTPStatusError,
         f"The server answered with an error (HTTP 529: Overloaded). {RETRY}"),
    Case("oa-429-rate-limit", "openai", "status:status=429,message=Rate limit reached",
         HTTPStatusError,
         "The server is limiting requests (HTTP 429: Rate limit reached (code server_error)). "
         "Wait a moment, then press Retry."),
    Case("oa-401-bad-key", "openai", "demo:key=right-key", AuthError,
         "The server refused the request (HTTP 401: Incorrect API key provided. (code "
         f"invalid_api_key)). {AUTH_HINT}", options={"api_key": "wrong-key"}),
    Case("oa-404-wrong-path", "openai", "wrong-path", HTTPStatusError,
         "The server has no chat endpoint at this address (HTTP 404: no route "
         "/api/chat/completions). Check the base URL in the provider "
         "settings; it usually ends in /v1."),
    Case("oa-broken-line", "openai", "broken:after=2", ProtocolError,
         f"The server sent a reply this app cannot read (Broken line: data: {{{{not json). "
         f"{UNREADABLE}", partial=True),
    Case("oa-error-mid-stream", "openai", "midstream-error:after=3", ServerError,
         "The server reported an error: upstream connect error (code 502). "
         f"{SERVER_HINT}", partial=True),
    Case("oa-cut-off", "openai", "cutoff:after=3", CutOffError,
         "The reply was cut off before it finished (the stream ended before the server said "
         f"it was complete). {CUT_HINT}", partial=True),
    Case("oa-dropped", "openai", "drop:after=3", CutOffError,
         f"The reply was cut off before it finished (the connection closed mid-reply). "
         f"{CUT_HINT}", partial=True),
    Case("oa-empty-body", "openai", "empty", CutOffError,
         "The reply was cut off before it finished (the server sent headers and then an "
         f"empty answer). {CUT_HINT}"),
    Case("oa-proxy-down", "openai", "demo", ProxyError,
         "The proxy failed (could not connect to the proxy at {proxy}: connection refused). "
         f"{PROXY_HINT}", proxy="down"),
]


class _Sockets:
    """Listening sockets for the 'silent' (accepts, never answers) and 'backlog' cases."""

    def __init__(self) -> None:
        self.held: list[socket.socket] = []
        self.servers: list[Any] = []  # extra servers a case started (TLS)

    def silent(self) -> int:
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        sock.listen(8)  # the kernel completes the handshake; nobody ever reads
        self.held.append(sock)
        return sock.getsockname()[1]

    def full_backlog(self) -> int:
        """A port whose accept queue is full, so a new connect() hangs (Linux drops SYNs)."""
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        sock.listen(0)
        self.held.append(sock)
        port = sock.getsockname()[1]
        for _ in range(4):
            filler = socket.socket()
            filler.setblocking(False)
            try:
                filler.connect_ex(("127.0.0.1", port))
            finally:
                self.held.append(filler)
        return port

    def close(self) -> None:
        for sock in self.held:
            sock.close()


@pytest.fixture
def sockets(run) -> Iterator[_Sockets]:
    held = _Sockets()
    yield held
    for dev in held.servers:
        run(dev.stop())
    held.close()


def _base(case: Case, server: Any, openai_server: Any, sockets: _Sockets, run: Any,
          tmp_path: Any) -> str:
    if case.where in ("closed", "silent", "backlog"):
        port = {"closed": closed_port, "silent": sockets.silent,
                "backlog": sockets.full_backlog}[case.where]()
        return f"http://127.0.0.1:{port}" + ("/v1" if case.protocol == "openai" else "")
    if case.where == "tls":  # HTTPS with a certificate from a CA the client does not trust
        context, _ca_file = make_tls(tmp_path)
        dev = run((DevServer() if case.protocol == "aiengine" else OpenAIDevServer())
                  .start(ssl_context=context))
        sockets.servers.append(dev)
        return dev.url
    if case.where == "wrong-path":
        return openai_server.url.replace("/v1", "/api")
    name, _, params = case.where.partition(":")
    spec = dict(p.split("=", 1) for p in params.split(",") if "=" in p)
    dev = server if case.protocol == "aiengine" else openai_server
    return dev.play_url(name, **spec)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_fault(case: Case, server, openai_server, sockets, run, tmp_path, qapp):
    base = _base(case, server, openai_server, sockets, run, tmp_path)
    options: dict[str, Any] = dict(case.options)
    proxy_values: dict[str, str] = {}
    proxy: HTTPProxy | None = None
    if case.proxy == "down":
        port = closed_port()
        options["proxy"] = f"http://user:hunter2@127.0.0.1:{port}"
        proxy_values = {"proxy": f"127.0.0.1:{port}"}
    elif case.proxy == "badauth":
        proxy = run(HTTPProxy("user", "right").start())
        options["proxy"] = proxy.url("user", "wrong")
    if case.protocol == "aiengine":
        target = StreamTarget(AIEngine, options={"url": base, **options}, label=case.name)
    else:
        target = StreamTarget(OpenAICompatible, model="demo-model",
                              options={"base_url": base, **options}, label=case.name)

    path = tmp_path / "history.sqlite3"
    history = History.open(path)
    service = ChatService(history, lambda _c: target)
    failures: list[tuple[int, BaseException]] = []
    service.replyFailed.connect(lambda mid, exc: failures.append((mid, exc)))
    conversation = service.new_conversation()
    assert service.send(conversation.id, QUESTION)
    run(wait_until(lambda: not service.is_streaming(conversation.id), timeout=20,
                   what="the reply to end"))
    if proxy is not None:
        run(proxy.stop())
        assert proxy.refused >= 1
    history.close()

    site = "/".join(base.split("/")[:3])
    expected = case.message.format(site=site, **proxy_values)
    [(reply_id, error)] = failures
    assert type(error) is case.error
    assert error.user_message == expected
    assert "hunter2" not in error.user_message and "hunter2" not in str(error)

    on_disk = History.open(path)  # a second connection: what a restart would see
    try:
        [user, reply] = on_disk.messages(conversation.id)
    finally:
        on_disk.close()
    assert (user.role, user.content, user.state) == ("user", QUESTION, MessageState.DONE)
    assert reply.id == reply_id and reply.state == MessageState.FAILED
    assert reply.error == expected
    if case.partial:
        assert reply.content and demo_reply(QUESTION).startswith(reply.content)
    else:
        assert reply.content == ""


def test_the_matrix_covers_every_failure_for_both_protocols():
    kinds = {(c.protocol, c.error) for c in CASES}
    for protocol in ("aiengine", "openai"):
        for error in (UnreachableError, ProviderTimeoutError, HTTPStatusError, AuthError,
                      ProtocolError, ServerError, ProxyError, CutOffError):
            assert (protocol, error) in kinds, (protocol, error.__name__)
    assert len(CASES) >= 25
