"""A stdio "tool server" that hangs: it reads stdin and never answers.

    python tests/helpers/hanging_server.py STARTS_FILE [--answer-initialize]

Each start appends a line to STARTS_FILE (so a test can tell a second start from none).
With --answer-initialize it answers the MCP handshake and then nothing else: it hangs on
tools/list instead of on initialize. Standard library only, so it starts at once.
"""

from __future__ import annotations

import json
import os
import sys


def main(argv: list[str]) -> None:
    with open(argv[0], "a", encoding="utf-8") as starts:
        starts.write(f"{os.getpid()}\n")
    answer = "--answer-initialize" in argv
    for line in sys.stdin:
        print(f"hanging server read: {line.strip()[:80]}", file=sys.stderr, flush=True)
        if not answer:
            continue
        try:
            message = json.loads(line)
        except ValueError:
            continue
        if isinstance(message, dict) and message.get("method") == "initialize":
            version = message.get("params", {}).get("protocolVersion", "2025-06-18")
            reply = {"jsonrpc": "2.0", "id": message["id"], "result": {
                "protocolVersion": version, "capabilities": {"tools": {}},
                "serverInfo": {"name": "hanging", "version": "1"}}}
            sys.stdout.write(json.dumps(reply) + "\n")
            sys.stdout.flush()


if __name__ == "__main__":
    main(sys.argv[1:])
