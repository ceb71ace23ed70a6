"""A first run reads files while the walk of the folder goes on (issue 14): talks appear within a second.

The walk of 100,000 talks (200,000 files) took 6 s before the first file was
read; now the reading takes files as the walk finds them.
"""

from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path

import tui.index
import tui.library
from tui.app import TalkshelfApp
from tui.config import Config
from tui.index import Index
from widgets.talk_list import TalkList


def write_transcript(path: Path, text: str) -> None:
    path.write_text(json.dumps([{"text": text, "start": 0.0, "duration": 2.0}]), encoding="utf-8")


def library(root: Path, folders: int, per_folder: int) -> int:
    for f in range(folders):
        folder = root / f"channel{f:02d}"
        folder.mkdir(parents=True)
        for n in range(per_folder):
            write_transcript(folder / f"T{f:02d}{n:03d}xxxxx.json", f"talk {f} {n} is about otters.")
    return folders * per_folder


def test_files_are_read_and_stored_before_the_walk_ends(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(tui.index, "FIRST_COMMIT_SECONDS", 0.0)
    monkeypatch.setattr(os, "cpu_count", lambda: 1)  # in this process: the order below is the walk's
    root = tmp_path / "lib"
    files = library(root, 3, 40)
    index = Index.open(tmp_path / "cache", root=root)
    seen: list[tuple[int, int, int]] = []

    def stored(done: int, total: int) -> None:
        seen.append((done, total, len(index.talks_so_far())))

    stats = index.refresh(root, stored=stored)
    assert not stats.stopped and stats.read == files and stats.unchanged == 0
    first_done, first_total, first_listed = seen[0]
    # The first commit came while the walk had found fewer than all files to read...
    assert first_total < files and first_listed == first_done >= 1
    # ...and the totals grew as it went on, to all of them.
    assert seen[-1][:2] == (files, files)
    assert len(index.talks()) == files
    assert len(index.search("otters", limit=1000)) == files
    # A second refresh finds nothing to read; a removed file goes once the walk is over.
    assert index.refresh(root).read == 0
    (root / "channel01" / "T01007xxxxx.json").unlink()
    again = index.refresh(root)
    assert (again.read, again.removed, again.talks) == (0, 1, files - 1)
    index.close()


def test_a_changed_file_found_by_the_walk_replaces_its_old_rows(tmp_path: Path):
    root = tmp_path / "lib"
    library(root, 1, 3)
    with Index.open(tmp_path / "cache", root=root) as index:
        index.refresh(root)
        path = root / "channel00" / "T00001xxxxx.json"
        write_transcript(path, "now it is about beavers, at length.")
        stats = index.refresh(root)
        assert (stats.read, stats.unchanged, stats.removed) == (1, 2, 0)
        assert [h.talk_id for h in index.search("beavers")] == ["T00001xxxxx"]
        assert "T00001xxxxx" not in {h.talk_id for h in index.search("otters")}
        assert len(index.talks()) == 3


async def test_a_first_run_lists_talks_while_the_walk_goes_on_and_answers_keys(tmp_path: Path, monkeypatch):
    # A folder whose walk is slow (a big library on a slow disk): each file takes 10 ms
    # to be found, and the walk's last file waits for the test.
    root = tmp_path / "lib"
    files = library(root, 2, 60)
    monkeypatch.setattr(os, "cpu_count", lambda: 1)  # no worker processes in a test
    real_iter = tui.library.iter_files
    walk_over = threading.Event()
    release = threading.Event()

    def slow_walk(*args, **kwargs):
        paths = list(real_iter(*args, **kwargs))
        for path in paths[:-1]:
            time.sleep(0.01)
            yield path
        assert release.wait(30), "the test never let the walk finish"
        yield paths[-1]
        walk_over.set()

    monkeypatch.setattr(tui.library, "iter_files", slow_walk)
    app = TalkshelfApp(None, config=Config(), library_path=root, use_index=True)
    async with app.run_test(size=(120, 40)) as pilot:
        began = time.monotonic()
        while not (app.library is not None and app.library.talks):
            assert time.monotonic() - began < 20, "no talks were listed while the walk went on"
            await pilot.pause(0.02)
        assert not walk_over.is_set() and app.indexing is not None
        talk_list = app.screen.query_one(TalkList)
        shown = len(talk_list.rows)
        assert 0 < shown < files
        await pilot.press("down")
        assert talk_list.cursor == min(1, shown - 1)
        await pilot.press("slash", *"otters")
        assert app.screen.query_one("#filter").value == "otters"
        release.set()
        began = time.monotonic()
        while not app.index_ready:
            assert time.monotonic() - began < 30
            await pilot.pause(0.05)
        await pilot.pause()
        assert len(app.library.talks) == files
