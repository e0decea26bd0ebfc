"""A tool server over stdio in the standard library alone, for `--smoke-test`.

    python3 mcp_stdio_server.py

It speaks MCP's JSON-RPC by hand (initialize, tools/list, tools/call, ping) and offers
one tool, `echo`, whose result carries structured content under an output schema, so
the client validates it as it would a real server's. A frozen app cannot run a module
of its own with Python, so this file imports nothing but the standard library and is
shipped as a plain file beside the frozen modules (packaging/opchat-gui.spec): any
Python 3 can run it by path.
"""

from __future__ import annotations

import json
import sys
from typing import Any

TOOL = "echo"
ECHO_TOOL: dict[str, Any] = {
    "name": TOOL,
    "description": "Says the text back.",
    "inputSchema": {"type": "object", "properties": {"text": {"type": "string"}},
                    "required": ["text"]},
    "outputSchema": {"type": "object", "properties": {"echo": {"type": "string"}},
                     "required": ["echo"]},
}


def answer(request: dict[str, Any]) -> dict[str, Any] | None:
    """The response to one message, or None for a notification."""
    if "id" not in request:
        return None
    method, params = request.get("method"), request.get("params") or {}
    result: dict[str, Any]
    if method == "initialize":
        result = {"protocolVersion": params.get("protocolVersion", "2025-11-25"),
                  "capabilities": {"tools": {}},
                  "serverInfo": {"name": "opchat-gui-smoke", "version": "1"}}
    elif method == "tools/list":
        result = {"tools": [ECHO_TOOL]}
    elif method == "tools/call" and params.get("name") == TOOL:
        text = str((params.get("arguments") or {}).get("text", ""))
        result = {"content": [{"type": "text", "text": text}],
                  "structuredContent": {"echo": text}}
    elif method == "ping":
        result = {}
    else:
        return {"jsonrpc": "2.0", "id": request["id"],
                "error": {"code": -32601, "message": f"no method {method}"}}
    return {"jsonrpc": "2.0", "id": request["id"], "result": result}


def main() -> None:
    for line in sys.stdin:
        if not line.strip():
            continue
        response = answer(json.loads(line))
        if response is not None:
            sys.stdout.write(json.dumps(response) + "\n")
            sys.stdout.flush()


if __name__ == "__main__":
    main()
