"""Pilot tests of the app started on the persistent index: warm start, refresh, progress, library search, fallback."""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from pathlib import Path

import pytest
from textual.widgets import Static

import tui.index
from tui.app import TalkshelfApp
from widgets.talk_list_screen import TalkListScreen
from widgets.talk_screen import TalkScreen
from tui.config import Config
from tui.index import Index
from tui.paths import cache_dir
from widgets.library_search_screen import LibrarySearchScreen
from widgets.talk_list import TalkList
from widgets.title_bar import TitleBar
from widgets.transcript_view import TranscriptView
from notices import Notices

SIZE = (120, 40)


def write_transcript(path: Path, lines: list[str], step: float = 5.0) -> Path:
    items = [{"text": text, "start": i * step, "duration": step} for i, text in enumerate(lines)]
    path.write_text(json.dumps(items), encoding="utf-8")
    return path


@pytest.fixture
def root(tmp_path: Path) -> Path:
    folder = tmp_path / "library"
    folder.mkdir()
    write_transcript(folder / "AAAAAAAAAAA.json", ["we talk about gradient descent today.", "then about the learning rate."])
    # Enough text for several paragraphs: the hit is in the last one.
    lines = [f"sentence number {i} about compilers and parsers and many other words." for i in range(40)]
    write_transcript(folder / "BBBBBBBBBBB.json", lines + ["descent into madness at the end."])
    return folder


REAL_REFRESH = Index.refresh  # before any test holds it back


def build_index(root: Path) -> None:
    with Index.open(cache_dir(), root=root) as index:
        REAL_REFRESH(index, root)


@pytest.fixture
def gate(monkeypatch) -> threading.Event:
    """Index.refresh waits for this event (after reporting some progress), so a test sees the app meanwhile."""
    event = threading.Event()

    def held(self, root, progress=None, *args, **kwargs):
        if progress is not None:
            progress(1, 3)
        assert event.wait(20), "the test never released the refresh"
        return REAL_REFRESH(self, root, progress, *args, **kwargs)

    monkeypatch.setattr(Index, "refresh", held)
    return event


def make_app(root: Path) -> TalkshelfApp:
    return TalkshelfApp(None, config=Config(), library_path=root, use_index=True)


async def until(pilot, condition, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting for the app"
        await pilot.pause(0.02)


def header(app: TalkshelfApp) -> str:
    screen = next(s for s in app.screen_stack if isinstance(s, TalkListScreen))
    return screen.query_one("#list-header", TitleBar).title


def listed(app: TalkshelfApp) -> list[str]:
    talk_list = next(s for s in app.screen_stack if isinstance(s, TalkListScreen)).query_one(TalkList)
    return [talk_list.talks[i].id for i in talk_list.rows]


async def test_warm_start_lists_the_index_before_the_refresh_then_follows_it(root: Path, gate: threading.Event):
    build_index(root)
    # Added between runs: only the refresh can know it.
    write_transcript(root / "CCCCCCCCCCC.json", ["a brand new talk about soup."])
    app = make_app(root)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.library is not None)
        await pilot.pause()
        assert sorted(listed(app)) == ["AAAAAAAAAAA", "BBBBBBBBBBB"]
        assert "indexing" in header(app) and "1/3" in header(app)
        assert not app.index_ready
        # The cursor on B survives the refresh (new Talk objects, same id).
        talk_list = app.screen.query_one(TalkList)
        assert talk_list.select_talk("BBBBBBBBBBB")
        gate.set()
        await until(pilot, lambda: app.index_ready)
        await pilot.pause()
        assert sorted(listed(app)) == ["AAAAAAAAAAA", "BBBBBBBBBBB", "CCCCCCCCCCC"]
        assert "indexing" not in header(app)
        assert "3 talks" in header(app)
        assert talk_list.highlighted is not None and talk_list.highlighted.id == "BBBBBBBBBBB"


async def test_first_run_shows_progress_then_the_list(root: Path, gate: threading.Event):
    app = make_app(root)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.indexing is not None and app.indexing[1] == 3)
        await pilot.pause()
        assert app.library is None
        text = header(app)
        assert "indexing" in text and "1/3" in text and "━" in text
        gate.set()
        await until(pilot, lambda: app.index_ready and app.library is not None)
        await pilot.pause()
        assert sorted(listed(app)) == ["AAAAAAAAAAA", "BBBBBBBBBBB"]
        assert "indexing" not in header(app)


async def test_index_files_are_per_library(root: Path, tmp_path: Path):
    other = tmp_path / "other"
    other.mkdir()
    write_transcript(other / "DDDDDDDDDDD.json", ["another library entirely."])
    build_index(root)
    build_index(other)
    with Index.open(cache_dir(), root=root) as index:
        assert {t.id for t in index.talks()} == {"AAAAAAAAAAA", "BBBBBBBBBBB"}
    with Index.open(cache_dir(), root=other) as index:
        assert {t.id for t in index.talks()} == {"DDDDDDDDDDD"}
    assert Index.open(cache_dir(), root=root / ".." / "library").path.name == tui.index.file_name(root)


async def test_search_key_opens_the_talk_at_the_hit_highlighted(root: Path):
    build_index(root)
    app = make_app(root)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.index_ready)
        await pilot.pause()
        assert app.screen.active_bindings["ctrl+f"].binding.description == "Search all"
        await pilot.press("ctrl+f")
        await until(pilot, lambda: isinstance(app.screen, LibrarySearchScreen))
        search = app.screen
        await pilot.press(*"madness")
        await until(pilot, lambda: search.shown_query == "madness" and search.hits)
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, TalkScreen))
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, TalkScreen)
        assert screen.talk.id == "BBBBBBBBBBB"
        view = screen.query_one(TranscriptView)
        hit = search.hits[0]
        assert hit.segment > 0 and view.cursor == hit.segment == len(view.segments) - 1
        assert "madness" in view.segments[view.cursor].text
        status = view.search_status
        assert status.query == "madness" and status.total == 1 and status.current == 1
        assert screen.searching  # n / N step and Esc clears, as after a search in the talk
        # From the talk screen, S searches again; Escape comes back to the talk.
        await pilot.press("S")
        await until(pilot, lambda: isinstance(app.screen, LibrarySearchScreen))
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, TalkScreen))


async def test_searching_while_still_indexing_says_so(root: Path, gate: threading.Event):
    build_index(root)
    app = make_app(root)
    notices = Notices()
    async with app.run_test(size=SIZE, message_hook=notices) as pilot:
        await until(pilot, lambda: app.library is not None and app.index is not None)
        await pilot.press("ctrl+f")
        await until(pilot, lambda: isinstance(app.screen, LibrarySearchScreen))
        assert any("Still indexing" in n.message for n in notices.shown)
        gate.set()
        await until(pilot, lambda: app.index_ready)


async def test_unusable_index_falls_back_to_a_scan_and_says_so(root: Path, monkeypatch):
    def broken(*args, **kwargs):
        raise sqlite3.OperationalError("unable to open database file")

    monkeypatch.setattr(Index, "open", broken)
    app = make_app(root)
    notices = Notices()
    async with app.run_test(size=SIZE, message_hook=notices) as pilot:
        await until(pilot, lambda: app.library is not None)
        await pilot.pause()
        assert sorted(listed(app)) == ["AAAAAAAAAAA", "BBBBBBBBBBB"]
        assert any("index cannot be used" in n.message for n in notices.shown)
        await pilot.press("ctrl+f")
        await pilot.pause()
        assert not isinstance(app.screen, LibrarySearchScreen)
        assert any("not available" in n.message for n in notices.shown)


async def test_read_only_cache_folder_falls_back(root: Path, tmp_path: Path, monkeypatch):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder should be")
    monkeypatch.setenv("TALKSHELF_CACHE_DIR", str(blocked / "cache"))
    app = make_app(root)
    notices = Notices()
    async with app.run_test(size=SIZE, message_hook=notices) as pilot:
        await until(pilot, lambda: app.library is not None)
        assert sorted(listed(app)) == ["AAAAAAAAAAA", "BBBBBBBBBBB"]
        assert any("index cannot be used" in n.message for n in notices.shown)


async def test_the_app_answers_keys_while_a_slow_first_index_runs(tmp_path: Path, monkeypatch):
    # A first run on a folder whose files take long to read: each read holds the
    # interpreter for 40 ms, in the app's own process (no worker processes here),
    # and the last one waits until the keys have been pressed.
    folder = tmp_path / "big"
    folder.mkdir()
    for n in range(80):
        write_transcript(folder / f"Talk {n:02d} [TALK{n:02d}xxxxx].json", [f"talk {n} is about wombats and {n} other things."])
    monkeypatch.setattr(tui.index, "POOL_MIN_FILES", 10**9)
    monkeypatch.setattr(tui.index, "POOL_MIN_BYTES", 10**12)
    monkeypatch.setattr(tui.index, "COMMIT_SECONDS", 0.2)
    real_read = tui.readers.read_path
    last_file = threading.Event()  # the last file waits for the test: the index cannot finish first

    def slow_read(path):
        end = time.perf_counter() + 0.04
        while time.perf_counter() < end:  # busy, holding the GIL, as parsing does
            pass
        if "TALK79" in str(path):
            assert last_file.wait(30), "the test never let the index finish"
        return real_read(path)

    monkeypatch.setattr(tui.readers, "read_path", slow_read)
    app = make_app(folder)
    handled_while_indexing = []
    async with app.run_test(size=SIZE) as pilot:
        # Talks appear while the index is still filling.
        await until(pilot, lambda: app.library is not None and len(app.library.talks) > 0)
        assert app.indexing is not None and not app.index_ready
        talk_list = app.screen.query_one(TalkList)
        start = talk_list.cursor
        for step in range(1, 4):
            await pilot.press("down")
            assert talk_list.cursor == min(start + step, len(talk_list.rows) - 1)
            handled_while_indexing.append(app.indexing is not None)
        await pilot.press("slash", *"talk 1")
        assert app.screen.query_one("#filter").value == "talk 1"
        assert talk_list.query_text == "talk 1"
        handled_while_indexing.append(app.indexing is not None)
        await pilot.press("escape", "escape")
        await pilot.press("ctrl+f")
        await until(pilot, lambda: isinstance(app.screen, LibrarySearchScreen))
        search = app.screen
        await pilot.press(*"wombats")
        await until(pilot, lambda: search.shown_query == "wombats")
        status = str(search.query_one("#search-status", Static).render())
        handled_while_indexing.append(app.indexing is not None)
        assert search.hits and "still indexing" in status and "files searched so far" in status, status
        assert handled_while_indexing == [True] * 5
        last_file.set()
        # Once the index is whole, the open search follows it: every talk, no "still indexing".
        await until(pilot, lambda: app.index_ready, seconds=30)
        await until(pilot, lambda: "still indexing" not in str(search.query_one("#search-status", Static).render()))
        assert len(search.hits) == 80
        await pilot.press("escape")
        await until(pilot, lambda: len(listed(app)) == 80)
