"""OpenAI-compatible servers (issue 11): generation parameters sent, why a reply stopped,
context overflow, and the probe that finds a local server on a busy machine."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from opchat_gui.demo.aiengine_server import demo_reply, tokenize
from opchat_gui.demo.openai_server import MODELS, OpenAIDevServer
from opchat_gui.providers.errors import ContextOverflowError, ProviderError
from opchat_gui.providers.openai_compat import GENERATION_PARAMS, OpenAICompatible
from tests.conftest import collect

MESSAGES = [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hello"}]
ROOT = Path(__file__).resolve().parents[2]
OVERFLOW_HINT = ("Start a new conversation, shorten this one, or raise the server's context "
                 "size (for llama.cpp, its --ctx-size).")


def stream(url: str, **options):
    return collect(OpenAICompatible.create_async_generator("demo-model", MESSAGES,
                                                           base_url=url, **options))


# 6. Every generation parameter the client accepts is sent; unset ones are not


def test_every_generation_parameter_set_is_in_the_request_body(openai_server, run):
    params = {"max_tokens": 5, "temperature": 0.2, "top_p": 0.9, "seed": 42,
              "stop": ["\n\n"], "presence_penalty": 0.1, "frequency_penalty": 0.3,
              "top_k": 40, "min_p": 0.05, "repeat_penalty": 1.1}
    text = "".join(run(stream(openai_server.url, **params, logit_bias=None,
                              reasoning_effort=None)))
    [request] = openai_server.requests
    body = request.json
    assert {k: body[k] for k in params} == params
    assert "logit_bias" not in body and "reasoning_effort" not in body  # None: not sent
    assert body["model"] == "demo-model" and body["messages"] == MESSAGES
    assert body["stream"] is True
    assert text == "".join(tokenize(demo_reply("Hello"))[:5])  # the server honoured it


def test_no_parameter_set_means_none_sent(openai_server, run):
    run(stream(openai_server.url))
    body = openai_server.requests[0].json
    assert not set(body) & set(GENERATION_PARAMS)


# 7. Why the stream stopped reaches the finish_sink


@pytest.mark.parametrize(("options", "scenario", "reason"), [
    ({"max_tokens": 3}, {}, "length"),
    ({}, {}, "stop"),
    ({}, {"finish": "content_filter"}, "content_filter"),
])
def test_the_finish_sink_hears_why_the_reply_ended(options, scenario, reason, openai_server,
                                                   run):
    heard: list[str] = []
    url = openai_server.play_url("demo", **scenario) if scenario else openai_server.url
    run(stream(url, finish_sink=heard.append, **options))
    assert heard == [reason]


def test_a_whole_completion_reports_its_finish_reason(openai_server, run):
    heard: list[str] = []
    run(stream(openai_server.play_url("plain"), finish_sink=heard.append))
    assert heard == ["stop"]


# 8. Context overflow


@pytest.mark.parametrize(("style", "detail"), [
    ("llamacpp", "HTTP 400: the request exceeds the available context size, try increasing "
                 "it (code 400)"),
    ("openai", "HTTP 400: This model's maximum context length is 4096 tokens. However, your "
               "messages resulted in 5120 tokens. Please reduce the length of the messages. "
               "(code context_length_exceeded)"),
])
def test_context_overflow_says_what_to_do_and_is_not_retryable(style, detail, openai_server,
                                                               run):
    with pytest.raises(ContextOverflowError) as info:
        run(stream(openai_server.play_url("overflow", style=style)))
    error = info.value
    assert isinstance(error, ProviderError) and error.retryable is False
    assert str(error) == detail
    assert error.user_message == (
        f"The conversation is longer than the model's context ({detail.rstrip('.')}). "
        f"{OVERFLOW_HINT}")


# 9. The probe's budget starts after aiohttp is imported


PROBE_CHILD = textwrap.dedent("""
    import asyncio, importlib.abc, importlib.machinery, sys, time

    class SlowLoader(importlib.abc.Loader):
        # Executing aiohttp takes argv[2] seconds, as on a machine busy compiling.
        def __init__(self, inner):
            self.inner = inner
        def create_module(self, spec):
            return self.inner.create_module(spec)
        def exec_module(self, module):
            time.sleep(float(sys.argv[2]))
            self.inner.exec_module(module)

    class SlowImport(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name != "aiohttp":
                return None
            spec = importlib.machinery.PathFinder.find_spec(name, path)
            spec.loader = SlowLoader(spec.loader)
            return spec

    sys.meta_path.insert(0, SlowImport())
    from opchat_gui.providers.openai_compat import probe
    assert "aiohttp" not in sys.modules  # not imported yet (providers/lazy.py)
    print(asyncio.run(probe([("llamacpp", sys.argv[1])], total=float(sys.argv[3]))))
""")


def test_the_probe_finds_a_server_when_importing_aiohttp_is_slower_than_its_budget():
    """A fresh process (aiohttp not yet imported) whose import takes longer than the whole
    HTTP budget still finds the server: the clock starts after the import."""

    async def scenario() -> str:
        server = await OpenAIDevServer().start()
        try:
            child = await asyncio.create_subprocess_exec(
                sys.executable, "-c", PROBE_CHILD, server.url, "3.0", "2.0", cwd=ROOT,
                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            out, err = await asyncio.wait_for(child.communicate(), 120)
            assert child.returncode == 0, err.decode()
            return out.decode().strip()
        finally:
            await server.stop()

    assert asyncio.run(scenario()) == str([("llamacpp", sorted(MODELS))])


def test_the_probe_does_not_load_aiohttp_when_nothing_listens():
    code = textwrap.dedent("""
        import asyncio, sys
        from opchat_gui.providers.openai_compat import probe
        from tests.proxy_server import closed_port
        found = asyncio.run(probe([("x", f"http://127.0.0.1:{closed_port()}/v1")]))
        print(found, "aiohttp" in sys.modules)
    """)
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, check=True)
    assert done.stdout.split()[0] == "[]"
    assert done.stdout.split()[-1] == "False"  # aiohttp was never imported
