"""Proxies: real HTTP (CONNECT / forwarding) and SOCKS5 proxies on 127.0.0.1, with credentials."""

from __future__ import annotations

import pytest

from opchat_gui.demo.aiengine_server import DevServer, demo_reply
from opchat_gui.demo.openai_server import OpenAIDevServer
from opchat_gui.providers.aiengine import AIEngine
from opchat_gui.providers.errors import ProxyError
from opchat_gui.providers.openai_compat import OpenAICompatible
from tests.conftest import collect
from tests.proxy_server import HTTPProxy, Socks5Proxy, closed_port, make_tls

MESSAGES = [{"role": "user", "content": "through the proxy"}]
ANSWER = demo_reply("through the proxy")


@pytest.mark.parametrize("kind", [HTTPProxy, Socks5Proxy])
def test_both_protocols_go_through_a_proxy_with_credentials(kind, server, openai_server, run):
    proxy = run(kind("alice", "s3cret").start())
    try:
        url = proxy.url("alice", "s3cret")
        text = "".join(run(collect(AIEngine.create_async_generator(
            "", MESSAGES, proxy=url, url=server.url))))
        assert text == ANSWER
        text = "".join(run(collect(OpenAICompatible.create_async_generator(
            "demo-model", MESSAGES, proxy=url, base_url=openai_server.url))))
        assert text == ANSWER
    finally:
        run(proxy.stop())
    assert proxy.targets == [f"127.0.0.1:{server.port}", f"127.0.0.1:{openai_server.port}"]
    assert len(server.requests) == 1 and len(openai_server.requests) == 1


@pytest.mark.parametrize("kind", [HTTPProxy, Socks5Proxy])
def test_wrong_proxy_credentials_are_a_proxy_problem(kind, server, run):
    proxy = run(kind("alice", "s3cret").start())
    try:
        with pytest.raises(ProxyError) as info:
            run(collect(AIEngine.create_async_generator(
                "", MESSAGES, proxy=proxy.url("alice", "wrong"), url=server.url)))
    finally:
        run(proxy.stop())
    assert "wrong" not in str(info.value) and "wrong" not in info.value.user_message
    assert info.value.user_message.startswith("The proxy failed")
    assert server.requests == []


@pytest.mark.parametrize("scheme", ["http", "socks5"])
def test_proxy_down_is_a_proxy_problem_not_a_network_error(scheme, server, run):
    port = closed_port()
    with pytest.raises(ProxyError) as info:
        run(collect(AIEngine.create_async_generator(
            "", MESSAGES, proxy=f"{scheme}://bob:pa55word@127.0.0.1:{port}", url=server.url)))
    message = info.value.user_message
    assert message.startswith("The proxy failed") and "network" not in message.split(".")[0]
    assert "pa55word" not in message and "pa55word" not in str(info.value)
    assert server.requests == []


@pytest.mark.parametrize("scheme", ["ftp", "socks4a"])  # socks4a: aiohttp-socks cannot either
def test_unknown_proxy_scheme_is_reported(scheme, server, run):
    with pytest.raises(ProxyError, match=f"unsupported proxy scheme '{scheme}'"):
        run(collect(AIEngine.create_async_generator(
            "", MESSAGES, proxy=f"{scheme}://127.0.0.1:1080", url=server.url)))
    assert server.requests == []


def test_socks5h_leaves_the_host_name_to_the_proxy(server, run):
    proxy = run(Socks5Proxy().start())
    try:
        socks5h = proxy.url().replace("socks5://", "socks5h://")
        text = "".join(run(collect(AIEngine.create_async_generator(
            "", MESSAGES, proxy=socks5h, url=f"http://localhost:{server.port}"))))
    finally:
        run(proxy.stop())
    assert text == ANSWER
    assert proxy.targets == [f"localhost:{server.port}"]  # socks5:// would send 127.0.0.1


@pytest.mark.parametrize("kind", [HTTPProxy, Socks5Proxy])
def test_https_servers_through_a_tunnel(kind, run, tmp_path):
    """HTTPS targets make an HTTP proxy open a CONNECT tunnel; TLS runs end to end."""
    server_context, ca_file = make_tls(tmp_path)
    ai = run(DevServer().start(ssl_context=server_context))
    oa = run(OpenAIDevServer().start(ssl_context=server_context))
    proxy = run(kind("alice", "s3cret").start())
    try:
        url = proxy.url("alice", "s3cret")
        text = "".join(run(collect(AIEngine.create_async_generator(
            "", MESSAGES, proxy=url, url=ai.url, ca_file=ca_file))))
        assert text == ANSWER
        text = "".join(run(collect(OpenAICompatible.create_async_generator(
            "demo-model", MESSAGES, proxy=url, base_url=oa.url, ca_file=ca_file))))
        assert text == ANSWER
    finally:
        run(proxy.stop())
        run(ai.stop())
        run(oa.stop())
    assert ai.url.startswith("https://") and oa.url.startswith("https://")
    assert proxy.targets == [f"127.0.0.1:{ai.port}", f"127.0.0.1:{oa.port}"]
    if kind is HTTPProxy:
        assert proxy.methods == ["CONNECT", "CONNECT"]
