"""MCP tools as OpenAI `tools` entries, and tool results as the `role: "tool"` text."""

from __future__ import annotations

import base64
import subprocess
import sys
import textwrap

from hypothesis import given
from hypothesis import strategies as st
from mcp import types

from opchat_gui.tools.model_tools import (
    NAME_RE,
    ToolRef,
    error_outcome,
    limit_text,
    model_tools,
    tool_result,
)


def tool(name: str, schema: dict | None = None, description: str | None = "does things"):
    return types.Tool(name=name, description=description,
                      input_schema=schema if schema is not None else {"type": "object"})


def test_a_tool_keeps_its_name_and_schema():
    schema = {"type": "object", "properties": {"repo_path": {"type": "string"}},
              "required": ["repo_path"]}
    tools = model_tools({"git": [tool("git_log", schema, "Shows the commit logs")]})
    assert tools.specs == [{"type": "function", "function": {
        "name": "git_log", "description": "Shows the commit logs", "parameters": schema}}]
    assert tools.ref("git_log") == ToolRef("git", "git_log")
    assert tools.ref("nope") is None


def test_a_schema_without_properties_gets_them_and_the_servers_copy_is_untouched():
    schema: dict = {"type": "object"}
    spec = model_tools({"s": [tool("ping", schema)]}).specs[0]
    assert spec["function"]["parameters"] == {"type": "object", "properties": {}}
    assert schema == {"type": "object"}


def test_clashing_and_invalid_names_are_made_unique_and_valid():
    tools = model_tools({
        "files": [tool("read"), tool("list.dir"), tool("ok_name")],
        "web fetch": [tool("read"), tool("x" * 80), tool("x" * 81)],
    })
    names = [s["function"]["name"] for s in tools.specs]
    assert names[:3] == ["files_read", "files_list_dir", "ok_name"]
    assert names[3] == "web_fetch_read"
    assert len(set(names)) == len(names) and all(NAME_RE.match(n) for n in names)
    assert tools.ref("web_fetch_read") == ToolRef("web fetch", "read")
    assert tools.ref(names[4]) == ToolRef("web fetch", "x" * 80)
    assert tools.ref(names[5]) == ToolRef("web fetch", "x" * 81)


def test_a_tool_without_a_description_is_described():
    spec = model_tools({"time": [tool("now", description=None)]}).specs[0]
    assert spec["function"]["description"] == "The now tool of time."


@given(st.dictionaries(st.text(min_size=1, max_size=30),
                       st.lists(st.text(min_size=1, max_size=90), max_size=5), max_size=4))
def test_names_are_always_valid_unique_and_map_back(servers):
    listing = {server: [tool(name) for name in names] for server, names in servers.items()}
    tools = model_tools(listing)
    names = [s["function"]["name"] for s in tools.specs]
    assert len(names) == len(set(names)) == sum(len(v) for v in listing.values())
    assert all(NAME_RE.match(n) for n in names)
    assert sorted((r.server, r.tool) for r in tools.refs.values()) == sorted(
        (server, t.name) for server, ts in listing.items() for t in ts)


def result(*content, error: bool = False, structured=None) -> types.CallToolResult:
    return types.CallToolResult(content=list(content), is_error=error,
                                structured_content=structured)


PNG = base64.b64encode(b"\x89PNG" + b"\x00" * 2044).decode()


def test_text_goes_to_the_model_as_is():
    outcome = tool_result(result(types.TextContent(text="one"), types.TextContent(text="two")))
    assert outcome.text == "one\ntwo" and not outcome.is_error and not outcome.truncated
    assert outcome.message("c1") == {"role": "tool", "tool_call_id": "c1", "content": "one\ntwo"}


def test_images_audio_and_resources_are_summarised_and_kept_for_display():
    outcome = tool_result(result(
        types.ImageContent(data=PNG, mime_type="image/png"),
        types.AudioContent(data=base64.b64encode(b"RIFF").decode(), mime_type="audio/wav"),
        types.EmbeddedResource(resource=types.TextResourceContents(
            uri="file:///notes.md", mime_type="text/markdown", text="# Notes")),
        types.EmbeddedResource(resource=types.BlobResourceContents(
            uri="file:///a.pdf", mime_type="application/pdf",
            blob=base64.b64encode(b"%PDF").decode())),
        types.ResourceLink(name="report", uri="https://example.org/r.csv", mime_type="text/csv"),
    ))
    assert outcome.text.splitlines() == [
        "[image: image/png, 2.0 KB, shown to the user]",
        "[audio: audio/wav, 4 bytes, shown to the user]",
        "[resource file:///notes.md]",
        "# Notes",
        "[resource file:///a.pdf: application/pdf, 4 bytes, shown to the user]",
        "[resource link: report <https://example.org/r.csv>]",
    ]
    kinds = [(p.kind, p.mime_type) for p in outcome.parts]
    assert kinds == [("image", "image/png"), ("audio", "audio/wav"),
                     ("resource", "text/markdown"), ("resource", "application/pdf"),
                     ("link", "text/csv")]
    assert outcome.parts[0].data.startswith(b"\x89PNG") and outcome.parts[3].data == b"%PDF"


def test_structured_content_alone_becomes_json_text():
    outcome = tool_result(result(structured={"temperature": 21.5}))
    assert outcome.text == '{\n  "temperature": 21.5\n}'
    assert tool_result(result()).text == "(the tool returned nothing)"


def test_an_error_result_says_so_to_the_model():
    outcome = tool_result(result(types.TextContent(text="no such file"), error=True))
    assert outcome.is_error and outcome.text == "The tool reported an error: no such file"
    failed = error_outcome("the server exited with code 3")
    assert failed.is_error and failed.text == "The tool call failed: the server exited with code 3"


def test_text_above_the_limit_is_cut_and_the_cut_is_said():
    assert limit_text("abc", 3) == ("abc", False)
    text, cut = limit_text("a" * 12_345, 1_000)
    assert cut and text.startswith("a" * 1_000) and not text.startswith("a" * 1_001)
    assert text.endswith("[Truncated: the tool returned 12,345 characters; only the first 1,000 "
                         "are included.]")
    outcome = tool_result(result(types.TextContent(text="b" * 200_001)))
    assert outcome.truncated and "200,001 characters" in outcome.text
    assert outcome.parts[0].text == "b" * 200_001  # the display keeps it all


def test_importing_the_app_and_the_tools_package_does_not_load_the_sdk():
    script = textwrap.dedent("""
        import sys
        import opchat_gui.app.main
        import opchat_gui.tools.host, opchat_gui.tools.model_tools
        import opchat_gui.tools.server_config, opchat_gui.tools.connection
        print(sorted(m for m in ("mcp", "mcp_types", "anyio", "pydantic", "httpx2")
                     if m in sys.modules) or "none")
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "none"
