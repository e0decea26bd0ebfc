"""Start-up does not pay for the network stack: aiohttp loads on the first request."""

from __future__ import annotations

import subprocess
import sys
import textwrap

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
