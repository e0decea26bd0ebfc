"""One app per data folder: a second launch wakes the first window and exits."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from opchat_gui.app.main import parse_args, start
from opchat_gui.app.single_instance import LOCK_NAME, AlreadyRunning, socket_name

ROOT = Path(__file__).resolve().parents[2]


async def launch(data_dir: Path) -> tuple[int, str]:
    """Start the real app in another process, as a user would, and wait for it to exit."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "opchat_gui", "--data-dir", str(data_dir), "--url",
        "http://127.0.0.1:9", cwd=ROOT, env=env, stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE)
    _out, err = await proc.communicate()
    return proc.returncode or 0, err.decode()


def test_second_launch_brings_the_first_window_forward_and_exits(open_app, run, data_dir):
    first = open_app("--url", "http://127.0.0.1:9")
    woken: list[bool] = []
    first.instance.activationRequested.connect(lambda: woken.append(True))
    first.window.showMinimized()

    code, err = run(launch(data_dir), timeout=60)
    assert code == 0
    assert "already running with this data folder; its window was brought to the front" in err
    assert woken == [True]
    assert not first.window.isMinimized()  # bring_to_front ran
    # The same from inside this process: start() refuses and wakes the owner again.
    with pytest.raises(AlreadyRunning):
        run(start(parse_args(["--data-dir", str(data_dir)])))
    assert woken == [True, True]


def test_other_data_folders_run_side_by_side(open_app, run, tmp_path):
    open_app("--url", "http://127.0.0.1:9")
    other = run(start(parse_args(["--data-dir", str(tmp_path / "other"), "--url",
                                  "http://127.0.0.1:9"])))
    try:
        assert other.window.isVisible()
        assert other.instance.name != socket_name(tmp_path / "data")
    finally:
        run(other.close())


def test_a_killed_owner_does_not_lock_the_folder_forever(open_app, data_dir):
    data_dir.mkdir(parents=True)
    code = ("import sys, time; from pathlib import Path;"
            "from PySide6.QtCore import QCoreApplication;"
            "from opchat_gui.app.single_instance import SingleInstance;"
            "app = QCoreApplication([]); s = SingleInstance(Path(sys.argv[1])); s.acquire();"
            "print('locked', flush=True); time.sleep(60)")
    owner = subprocess.Popen([sys.executable, "-c", code, str(data_dir)], cwd=ROOT,
                             stdout=subprocess.PIPE, text=True,
                             env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    try:
        assert owner.stdout.readline().strip() == "locked"
        assert (data_dir / LOCK_NAME).exists()
    finally:
        owner.send_signal(signal.SIGKILL)
        owner.wait()
        owner.stdout.close()
    session = open_app("--url", "http://127.0.0.1:9")  # the stale lock is taken over
    assert session.window.isVisible()
