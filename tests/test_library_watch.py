"""The live library's change detection: added, changed and removed files are noticed."""

from __future__ import annotations

import os

from tui.library_watch import MIN_INTERVAL, LibraryWatch


def test_added_changed_and_removed_files_are_noticed(tmp_path):
    first = tmp_path / "a.srt"
    first.write_text("1\n00:00:01,000 --> 00:00:02,000\nhello\n")
    watch = LibraryWatch(tmp_path)
    assert not watch.changed()
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.vtt").write_text("WEBVTT\n")
    assert watch.changed() and not watch.changed()
    first.write_text("1\n00:00:01,000 --> 00:00:02,000\nhello there\n")  # size changes
    assert watch.changed()
    st = first.stat()
    os.utime(first, ns=(st.st_atime_ns, st.st_mtime_ns + 10_000_000))  # same size, newer
    assert watch.changed()
    first.unlink()
    assert watch.changed() and not watch.changed()
    (tmp_path / ".hidden.srt").write_text("x")  # the scan skips hidden files: so does the watch
    assert not watch.changed()
    assert watch.interval >= MIN_INTERVAL


def test_a_folder_that_disappears_is_a_change_not_an_error(tmp_path):
    lib = tmp_path / "lib"
    lib.mkdir()
    (lib / "a.srt").write_text("x")
    watch = LibraryWatch(lib)
    (lib / "a.srt").unlink()
    lib.rmdir()
    assert watch.changed()
    assert not watch.changed()
