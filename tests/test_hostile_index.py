"""Concurrent indexing and in-place edits (issue 8, item 8)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

from tui.index import Index
from tui.library_watch import snapshot

SRT = "1\n00:00:01,000 --> 00:00:02,000\n{}\n"


def _library(root: Path, n: int = 30) -> Path:
    root.mkdir()
    for i in range(n):
        (root / f"talk {i:03d}.srt").write_text(SRT.format(f"words of talk number{i}"))
    return root


def test_refreshes_started_at_once_on_a_new_library_all_finish(tmp_path):
    lib = _library(tmp_path / "lib")
    for round_ in range(4):
        cache = tmp_path / f"cache{round_}"
        barrier = threading.Barrier(6)
        errors: list[BaseException] = []
        stats = []

        def run() -> None:
            try:
                barrier.wait()
                with Index.open(cache, root=lib) as index:
                    stats.append(index.refresh(lib))
            except BaseException as exc:  # every failure counts
                errors.append(exc)

        threads = [threading.Thread(target=run) for _ in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert errors == []
        assert len(stats) == 6 and all(s.talks == 30 for s in stats)
        assert sum(s.read for s in stats) == 30  # each file read once: the others found it indexed


def test_two_index_commands_at_once_both_finish(tmp_path):
    lib = _library(tmp_path / "lib", 60)
    env = {**os.environ, "TALKSHELF_CACHE_DIR": str(tmp_path / "cache")}
    for _ in range(3):
        procs = [
            subprocess.Popen([sys.executable, "-m", "tui.cli", "index", str(lib)], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            for _ in range(2)
        ]
        for p in procs:
            out, err = p.communicate(timeout=120)
            assert p.returncode == 0, err.decode()
            assert b"60 talks" in err
        for f in (tmp_path / "cache").glob("index-*.sqlite3"):
            f.unlink()  # the next round starts on a new library again


def test_an_edit_with_the_same_size_and_an_old_mtime_is_read_again(tmp_path):
    lib = _library(tmp_path / "lib", 3)
    target = lib / "talk 001.srt"
    old = target.stat()
    with Index.open(tmp_path / "cache", root=lib) as index:
        index.refresh(lib)
        assert index.search("number1")
        watch_before = snapshot(lib)
        target.write_text(SRT.format("words of talk altered"))  # the same size
        os.utime(target, ns=(old.st_atime_ns, old.st_mtime_ns))  # and the old mtime put back
        assert target.stat().st_size == old.st_size and target.stat().st_mtime_ns == old.st_mtime_ns
        stats = index.refresh(lib)
        assert stats.read == 1
        assert index.search("altered") and not index.search("number1")
        assert snapshot(lib) != watch_before  # the live library notices it too
