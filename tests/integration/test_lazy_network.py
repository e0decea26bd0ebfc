"""Start-up does not pay for the network stack: aiohttp loads on the first request."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from tests.conftest import wait_until

SCRIPT = textwrap.dedent("""
    import sys
    import opchat_gui.app.main
    loaded = sorted(m for m in ("aiohttp.client", "aiohttp.web", "aiohttp_socks.connector")
                    if m in sys.modules)
    print(",".join(loaded) or "none")
    from opchat_gui.providers import http
    assert http.aiohttp.ClientSession  # first use loads it for real
    print("aiohttp.client" in sys.modules)
""")


def test_importing_the_app_leaves_aiohttp_unloaded_until_used():
    result = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split() == ["none", "True"]


RACE = textwrap.dedent("""
    import sys, threading
    from opchat_gui.providers import http, lazy
    warm = threading.Thread(target=lazy.preload)
    warm.start()
    session_class = http.aiohttp.ClientSession  # the GUI thread needs it mid-warm-up
    warm.join()
    print(session_class is sys.modules["aiohttp"].ClientSession,
          http.python_socks.ProxyError is sys.modules["python_socks"].ProxyError)
""")


def test_a_warm_up_thread_and_a_first_use_at_once_share_one_import():
    result = subprocess.run([sys.executable, "-c", RACE], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split() == ["True", "True"]


def test_the_app_warms_the_network_stack_when_idle_after_start(open_app, run):
    session = open_app("--url", "http://127.0.0.1:9")
    assert session.warmup is not None
    run(wait_until(lambda: session.warmup.thread is not None
                   and not session.warmup.thread.is_alive(), what="the warm-up to finish"))
    assert session.window.isVisible()


def test_typing_starts_the_warm_up_at_once(open_app):
    session = open_app("--url", "http://127.0.0.1:9")
    session.warmup._timer.stop()  # no idle trigger: only the keystroke may start it
    assert session.warmup.thread is None
    session.window.composer.insertPlainText("h")
    assert session.warmup.thread is not None
    session.warmup.thread.join(60)


KEYRING = textwrap.dedent("""
    import os, sys
    os.environ.pop("OPCHAT_GUI_NO_KEYRING", None)
    from opchat_gui.app.warmup import WarmUp
    print("keyring" in sys.modules)
    WarmUp._run()  # what the warm-up thread runs
    import keyring.core
    print("keyring" in sys.modules, keyring.core._keyring_backend is not None)
""")


def test_the_warm_up_also_loads_the_keyring_and_lets_it_choose_its_backend():
    """A keyed provider's first send reads its key: keyring's import and backend choice
    (~0.25 s) belong to the warm-up's thread, not the GUI thread's Enter."""
    result = subprocess.run([sys.executable, "-c", KEYRING], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split() == ["False", "True", "True"]
