"""What the network layer and the settings table agree on: the default timeouts and the
proxy schemes. Here, not in providers/http.py, so the settings (which the first frame of
start-up reads) load without the provider package, asyncio and ssl."""

from __future__ import annotations

DEFAULT_CONNECT_TIMEOUT = 15.0  # seconds: DNS, TCP and TLS
DEFAULT_READ_TIMEOUT = 60.0  # seconds: the longest silence allowed mid-stream

# What aiohttp-socks can open; socks5h resolves host names at the proxy.
SOCKS_SCHEMES = frozenset({"socks4", "socks5", "socks5h"})
PROXY_SCHEMES = SOCKS_SCHEMES | {"http", "https"}
