"""A tool server for the MCP tests, written with the SDK's MCPServer (FastMCP in mcp 1.x).

    python tests/helpers/mcp_test_server.py [--garbage] [--exit-at-start CODE]
                                            [--hang-at-start] [--http PORT_FILE]

Tools that succeed, fail, take long (honouring or ignoring cancellation), return an
image or a lot of text, crash the process, and start a grandchild process. Started as a
user's config would start it: `{"command": sys.executable, "args": [this file, ...]}`.
"""

from __future__ import annotations

import os
import socket
import struct
import subprocess
import sys
import time
import zlib
from pathlib import Path


def early_exits(argv: list[str]) -> None:
    """The start failures, before the SDK is even imported (so they do not wait on it)."""
    if "--exit-at-start" in argv:
        print("starting up", file=sys.stderr)
        print("fatal: no configuration found", file=sys.stderr, flush=True)
        sys.exit(int(argv[argv.index("--exit-at-start") + 1]))
    if "--hang-at-start" in argv:
        print("waiting for something that never comes", file=sys.stderr, flush=True)
        time.sleep(3600)


if __name__ == "__main__":
    early_exits(sys.argv[1:])

import anyio  # noqa: E402
from mcp.server.mcpserver import Image, MCPServer  # noqa: E402
from mcp.server.mcpserver.exceptions import ToolError  # noqa: E402

server = MCPServer("opchat-test")


def tiny_png() -> bytes:
    """A valid 1×1 red PNG, made here so the test needs no image file."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels)
            + chunk(b"IEND", b""))


@server.tool()
def echo(text: str) -> str:
    """Return the text unchanged."""
    return text


@server.tool()
def fail(message: str) -> str:
    """Always fails with the given message."""
    raise ToolError(message)


@server.tool()
async def slow(seconds: float, marker: str = "") -> str:
    """Sleep, honouring cancellation; writes `marker` when it was cancelled."""
    try:
        await anyio.sleep(seconds)
    except anyio.get_cancelled_exc_class():
        if marker:
            Path(marker).write_text("cancelled", encoding="utf-8")
        raise
    return "slept"


@server.tool()
async def block(seconds: float) -> str:
    """Block the whole server (time.sleep in the event loop): it ignores cancellation."""
    time.sleep(seconds)
    return "blocked"


@server.tool()
def image() -> Image:
    """A small PNG."""
    return Image(data=tiny_png(), format="png")


@server.tool()
def big(size: int) -> str:
    """`size` characters of text."""
    return "x" * size


@server.tool()
def crash(code: int) -> str:
    """Write to stderr, then end the process with `code`."""
    print(f"about to crash with {code}", file=sys.stderr, flush=True)
    os._exit(code)


@server.tool()
def env(name: str) -> str:
    """The value of an environment variable ("" when unset)."""
    return os.environ.get(name, "")


@server.tool()
def complain(name: str) -> str:
    """Write the value of an environment variable to stderr (a server that logs a secret)."""
    print(f"token is {os.environ.get(name, '')}", file=sys.stderr, flush=True)
    return "complained"


@server.tool()
def pid() -> int:
    """This server's process id."""
    return os.getpid()


@server.tool()
def spawn_child(pid_file: str) -> int:
    """Start a grandchild that would sleep for ten minutes; write its pid to pid_file."""
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
    Path(pid_file).write_text(str(child.pid), encoding="utf-8")
    return child.pid


def serve_http(port_file: str) -> None:
    """Streamable HTTP on 127.0.0.1, refusing requests without `Authorization: Bearer $TOKEN`."""
    import uvicorn
    from starlette.responses import JSONResponse

    token = os.environ["TOKEN"]
    app = server.streamable_http_app()

    async def guarded(scope, receive, send):  # type: ignore[no-untyped-def]
        if scope["type"] == "http":
            headers = dict(scope["headers"])
            if headers.get(b"authorization") != f"Bearer {token}".encode():
                await JSONResponse({"error": "unauthorized"}, status_code=401)(scope, receive,
                                                                             send)
                return
        await app(scope, receive, send)

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    Path(port_file + ".tmp").write_text(str(sock.getsockname()[1]), encoding="utf-8")
    os.replace(port_file + ".tmp", port_file)
    config = uvicorn.Config(guarded, log_level="warning", lifespan="on")
    uvicorn.Server(config).run(sockets=[sock])


def main(argv: list[str]) -> None:
    if "--garbage" in argv:  # only before the server runs: the SDK then diverts fd 1
        print("Welcome to the server! (not JSON)", flush=True)
        print("{broken json", flush=True)
    if "--http" in argv:
        serve_http(argv[argv.index("--http") + 1])
        return
    server.run()


if __name__ == "__main__":
    main(sys.argv[1:])
