"""Keys and proxy passwords never reach the log file, the settings files or error messages."""

from __future__ import annotations

import logging
import os
import stat
import subprocess
import sys

from opchat_gui.app import logs
from opchat_gui.config.keystore import NO_KEYRING_ENV
from opchat_gui.core import redact
from opchat_gui.store import MessageState
from tests.conftest import wait_until
from tests.proxy_server import closed_port

KEY = "sk-test-4f9a8b7c6d5e4f3a2b1c"
PROXY_PASSWORD = "pr0xy-pa55-w0rd"


def test_a_known_key_never_reaches_the_log(open_app, openai_server, run, data_dir, monkeypatch):
    monkeypatch.setenv(NO_KEYRING_ENV, "1")
    session = open_app("--verbose")
    providers = session.providers
    keyed = providers.save({"name": "Keyed", "kind": "openai", "url": openai_server.url,
                            "model": "demo-model", "api_key": KEY})
    proxied = providers.save({"name": "Proxied", "kind": "openai", "url": openai_server.url,
                              "model": "demo-model",
                              "proxy": f"http://amy:{PROXY_PASSWORD}@127.0.0.1:{closed_port()}"})
    service = session.service

    first = service.new_conversation().id
    service.set_target(first, keyed.id, "")
    service.send(first, "use the key")
    run(wait_until(lambda: not service.is_streaming(first)))
    assert service.messages(first)[-1].state == MessageState.DONE
    assert openai_server.requests[-1].headers["Authorization"] == f"Bearer {KEY}"  # it was used

    second = service.new_conversation().id
    service.set_target(second, proxied.id, "")
    service.send(second, "through a dead proxy")
    run(wait_until(lambda: not service.is_streaming(second)))
    failed = service.messages(second)[-1]
    assert failed.state == MessageState.FAILED and failed.error.startswith("The proxy failed")
    assert PROXY_PASSWORD not in failed.error

    # Code that carelessly logs the secrets, as a request dump would:
    log = logging.getLogger("opchat_gui.test")
    log.warning("request headers: {'Authorization': 'Bearer %s'}", KEY)
    log.warning("key %s via proxy http://amy:%s@127.0.0.1:3128", KEY, PROXY_PASSWORD)
    run(session.close())

    log_file = data_dir / "logs" / logs.LOG_NAME
    text = log_file.read_text(encoding="utf-8")
    assert "request headers" in text and redact.MASK in text  # the lines are there, masked
    assert "reply" in text and "failed" in text  # the failure itself was logged
    assert stat.S_IMODE(os.stat(log_file).st_mode) == 0o600
    for folder in (data_dir / "logs", data_dir / "config"):
        for path in folder.iterdir():
            if path.name == "secrets.json":
                assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
                continue
            content = path.read_bytes()
            assert KEY.encode() not in content, path
            assert PROXY_PASSWORD.encode() not in content, path


def test_verbose_mirrors_the_log_to_stderr_redacted(tmp_path):
    code = (
        "import logging, sys\n"
        "from pathlib import Path\n"
        "from opchat_gui.app import logs\nfrom opchat_gui.core import redact\n"
        f"logs.setup(Path(sys.argv[1]), verbose=True)\n"
        f"redact.register_secret({KEY!r})\n"
        f"logging.getLogger('opchat_gui.x').warning('the key is %s', {KEY!r})\n"
    )
    result = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True,
                            text=True, timeout=60, check=True)
    assert "the key is [redacted]" in result.stderr and KEY not in result.stderr
    assert "the key is [redacted]" in (tmp_path / logs.LOG_NAME).read_text()


def test_redact_patterns():
    assert redact.redact("Authorization: Bearer abc.def-123") == "Authorization: Bearer [redacted]"
    assert redact.redact("socks5://u:secret@h:1") == "socks5://u:[redacted]@h:1"
    assert redact.redact("api_key=zzz123") == "api_key=[redacted]"
    assert redact.redact("sk-abcdefghijkl") == "[redacted]"


def test_an_error_that_quotes_a_url_with_a_password_is_stored_redacted(tmp_path, run, qapp):
    from opchat_gui.chat import ChatService, StreamTarget
    from opchat_gui.providers.aiengine import AIEngine
    from opchat_gui.store import History

    # Not a valid port: aiohttp's error quotes the whole address, credentials included.
    target = StreamTarget(AIEngine, options={"url": f"http://user:{PROXY_PASSWORD}@127.0.0.1:x"})
    history = History.open(tmp_path / "h.sqlite3")
    service = ChatService(history, lambda _c: target)
    conversation = service.new_conversation()
    service.send(conversation.id, "hello")
    run(wait_until(lambda: not service.is_streaming(conversation.id)))
    reply = service.messages(conversation.id)[-1]
    history.close()
    assert reply.state == MessageState.FAILED and reply.error
    assert PROXY_PASSWORD not in reply.error
