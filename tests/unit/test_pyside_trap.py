"""PySide6 6.12.0 on Python 3.11 aborts after ~5,000 QTextCursor.insertText calls.

The streaming transcript makes one insertText call per coalesced update, so a long reply
is exactly that many calls. Run them in a subprocess: an abort must fail this test, not
kill the test run.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

CHUNKS = 20_000

SCRIPT = textwrap.dedent(f"""
    import os, time
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtGui import QTextCursor, QTextDocument
    from PySide6.QtWidgets import QApplication
    from opchat_gui.store import Message, MessageState
    from opchat_gui.ui.transcript.view import Transcript

    app = QApplication([])
    document = QTextDocument()
    cursor = QTextCursor(document)
    for i in range({CHUNKS}):
        cursor.insertText("x")
    assert document.characterCount() == {CHUNKS} + 1

    view = Transcript()
    now = time.time()
    view.add_message(Message(1, 1, "assistant", "", MessageState.STREAMING, "", "", now, now))
    for i in range({CHUNKS}):
        view.append_chunk(1, "tok%d " % i)
    text = view.toPlainText()
    assert "tok0 " in text and "tok{CHUNKS - 1} " in text, len(text)
    print("ok", len(text))
""")


def test_twenty_thousand_chunks_do_not_abort():
    result = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True,
                            timeout=240)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.startswith("ok ")
