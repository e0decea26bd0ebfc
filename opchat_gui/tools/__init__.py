"""Tools for models: the MCP servers the user configured, run and called by this app.

Owns the `mcpServers` file (with its secrets in the key store), one connection per
server on the official `mcp` SDK (stdio processes the app owns, or streamable HTTP),
and the translation between MCP tools and the OpenAI `tools` / `role: "tool"` shapes.
It sits beside providers/ and store/: stdlib, the `mcp` SDK (imported lazily, on the
first server start) and core/ only. Never imports Qt, config/, chat/ or ui/; the key
store comes in through the small `Secrets` protocol.
"""
