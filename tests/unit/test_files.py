"""The one atomic write: whole new file or the old one, no leftovers, private when asked."""

from __future__ import annotations

import os
import stat

import pytest

from opchat_gui.core.files import write_atomic


def test_writes_and_replaces_the_whole_file(tmp_path):
    target = tmp_path / "settings.json"
    write_atomic(target, "first\n")
    write_atomic(target, "ünïcode second\n")
    assert target.read_text(encoding="utf-8") == "ünïcode second\n"
    assert [p.name for p in tmp_path.iterdir()] == ["settings.json"]


def test_a_failed_write_keeps_the_old_file_and_leaves_nothing_behind(tmp_path):
    target = tmp_path / "keys.json"
    write_atomic(target, "old")
    with pytest.raises(UnicodeEncodeError):
        write_atomic(target, "half \ud800 written")  # a lone surrogate cannot be UTF-8
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["keys.json"]


def test_a_failed_rename_keeps_the_old_file_and_leaves_nothing_behind(tmp_path):
    target = tmp_path / "taken"
    target.mkdir()  # a folder cannot be replaced by a file
    (target / "inside").write_text("kept", encoding="utf-8")
    with pytest.raises(OSError):
        write_atomic(target, "new")
    assert (target / "inside").read_text(encoding="utf-8") == "kept"
    assert [p.name for p in tmp_path.iterdir()] == ["taken"]


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_private_files_are_0600_even_when_replacing_a_wider_one(tmp_path):
    target = tmp_path / "secrets.json"
    target.write_text("{}", encoding="utf-8")
    target.chmod(0o644)
    write_atomic(target, '{"key": "value"}', private=True)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_other_files_get_the_usual_mode_from_the_umask(tmp_path):
    previous = os.umask(0o022)
    try:
        write_atomic(tmp_path / "export.md", "# Title\n")
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "export.md").stat().st_mode) == 0o644
