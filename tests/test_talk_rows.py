"""A warm start makes Talk objects only for the rows it draws (issue 14: 100,000 talks within 1.5x a bare app)."""

from __future__ import annotations

import json
import os
import sqlite3
import time
from pathlib import Path

import pytest

from tui.app import TalkshelfApp
from tui.config import Config
from tui.index import _LIST_SQL, _SNAPSHOT_MARK_2, SNAPSHOT_MARK, Index, TalkRows, _pack_snapshot
from tui.library import Library
from tui.model import talk_ids
from tui.paths import cache_dir
from widgets.talk_list import TalkList

TALKS = 150


@pytest.fixture
def root(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.setattr(os, "cpu_count", lambda: 1)  # read in this process: no workers to start
    folder = tmp_path / "library"
    for n in range(TALKS):
        channel = folder / f"channel{n % 3}"
        channel.mkdir(parents=True, exist_ok=True)
        items = [{"text": f"talk {n} is about otters and rivers.", "start": 0.0, "duration": 60.0 + n}]
        (channel / f"Talk number {n:03d} [T{n:03d}xxxxxxx].json").write_text(json.dumps(items), encoding="utf-8")
    with Index.open(cache_dir(), root=folder) as index:
        index.refresh(folder)
    return folder


def fields(talk) -> tuple:
    return (talk.id, talk.title, talk.channel, talk.video_id, talk.url, talk.duration, [d.path for d in talk.documents])


def test_the_snapshot_makes_talks_only_when_used_and_they_are_the_tables_talks(root: Path):
    with Index.open(cache_dir(), root=root) as index:
        talks = index.talks()
        assert isinstance(talks, TalkRows) and len(talks) == TALKS and talks.made == 0
        from_tables = index._talks_from(index._conn.execute(_LIST_SQL).fetchall())
        assert [fields(t) for t in talks[:3]] + [fields(talks[-1])] == [fields(t) for t in from_tables[:3] + from_tables[-1:]]
        assert talks.made == 4
        assert talk_ids(talks) == [t.id for t in from_tables] and talks.made == 4
        assert talks.titles() == [t.title for t in from_tables]
        found = Library(root, talks).find("T077xxxxxxx")
        assert found is not None and found.title == "Talk number 077" and talks.made == 5
        assert Library(root, talks).find("nothing") is None
        assert [fields(t) for t in talks] == [fields(t) for t in from_tables]  # iterating makes them all
        assert talks.made == TALKS and talks[7] is talks[7]


def test_every_value_comes_back_as_it_went_in(tmp_path: Path):
    odd = ["plain", "", "quote \" and \\ back", "emoji 🦦 and ünïcode", "nul \x00 inside", "lone \udc80 surrogate", "x" * 5000]
    watch = "https://www.youtube.com/watch?v="
    columns = [
        ["id0", "ABCDEFGHIJK", "id2", "VVVVVVVVVVV", "WWWWWWWWWWW", "id5", "id6"],
        odd,
        [None, "channel", None, "", "c", None, "c"],
        # Ids and urls that the video id gives are left out of the snapshot, the others kept.
        [None, "ABCDEFGHIJK", None, "VVVVVVVVVVV", "XXXXXXXXXXX", "YYYYYYYYYYY", None],
        [None, watch + "ABCDEFGHIJK", "https://example.org/?v=1", None, watch + "WWWWWWWWWWW", watch + "YYYYYYYYYYY", watch],
        [None, 0.0, 1.5, 3600.25, None, 7.0, 1e9],
        ["1", "2,3", "4", "5", "6", "7,8,9", "10"],
    ]
    with Index.open(tmp_path) as index:
        packed = _pack_snapshot(columns)
        talks = TalkRows(index, packed)
        assert [t.id for t in talks] == columns[0] == talks.ids()
        assert [t.video_id for t in talks] == columns[3]
        assert [t.url for t in talks] == columns[4]
        assert len(packed) < len(_pack_snapshot([[v + "!" if v else v for v in c] if k in (0, 4) else c for k, c in enumerate(columns)])) - 60
        assert [t.title for t in talks] == odd
        assert [t.channel for t in talks] == [None, "channel", None, None, "c", None, "c"]  # "" reads as none
        assert [t.duration for t in talks] == columns[5]
        assert [t._doc_ids for t in talks] == columns[6]
        assert talks.channels() == [t.channel for t in talks]
        with pytest.raises(IndexError):
            talks[len(odd)]
        assert talks[-1].title == "x" * 5000
        with pytest.raises(ValueError):
            TalkRows(index, _pack_snapshot(columns)[:-3])  # cut short: never trusted
        with pytest.raises(ValueError):
            TalkRows(index, b"[[]]")
        # Version 2 kept every id and url: with nothing to leave out, the same bytes under its mark.
        kept = [columns[0][:1] + ["id1"], odd[:2], [None, "c"], [None, "ABCDEFGHIJK"], ["\0", None], [None, 1.0], ["1", "2"]]
        old = TalkRows(index, _SNAPSHOT_MARK_2 + _pack_snapshot(kept)[len(SNAPSHOT_MARK) :])
        assert [(t.id, t.video_id, t.url) for t in old] == [("id0", None, "\0"), ("id1", "ABCDEFGHIJK", None)]


def test_an_earlier_json_snapshot_or_a_damaged_one_still_lists_the_talks(root: Path):
    with Index.open(cache_dir(), root=root) as index:
        expected = [fields(t) for t in index.talks()]
        path = index.path
    from tui.index import _snapshot

    with sqlite3.connect(path) as conn:
        columns = _snapshot(conn.execute(_LIST_SQL))
        conn.execute("UPDATE snapshot SET data = ?", (json.dumps(columns, ensure_ascii=False),))
    with Index.open(cache_dir(), root=root) as index:
        assert [fields(t) for t in index.talks()] == expected
        index.refresh(root)  # nothing changed, but the JSON is packed once for later starts
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT typeof(data) FROM snapshot").fetchall() == [("blob",)]
    with Index.open(cache_dir(), root=root) as index:
        assert [fields(t) for t in index.talks()] == expected
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE snapshot SET data = ?", (b"talkshelf talk list 2\n\x05\x00",))
    with Index.open(cache_dir(), root=root) as index:
        talks = index.talks()
        assert isinstance(talks, list) and [fields(t) for t in talks] == expected  # from the tables
        index.refresh(root)  # a snapshot that is not of this version is written anew
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT substr(data, 1, ?) FROM snapshot", (len(SNAPSHOT_MARK),)).fetchone()[0] == SNAPSHOT_MARK
    with Index.open(cache_dir(), root=root) as index:
        talks = index.talks()
        assert isinstance(talks, TalkRows) and [fields(t) for t in talks] == expected


def on_screen(talk_list: TalkList) -> list[int]:
    """The talks whose rows the list shows now."""
    top = int(talk_list.scroll_offset.y)
    return talk_list.rows[top : top + talk_list.size.height]  # Textual may ask for a line under the scroll bar


def made(talks: TalkRows) -> set[int]:
    return {i for i, t in enumerate(talks._made) if t is not None}


async def test_a_warm_start_makes_only_the_talks_on_screen_and_filters_without_more(root: Path):
    app = TalkshelfApp(None, config=Config(), library_path=root, use_index=True)
    async with app.run_test(size=(120, 40)) as pilot:
        began = time.monotonic()
        while not app.index_ready:
            assert time.monotonic() - began < 20
            await pilot.pause(0.05)
        await pilot.pause()
        talks = app.library.talks
        talk_list = app.screen.query_one(TalkList)
        assert isinstance(talks, TalkRows) and len(talk_list.rows) == TALKS
        shown = set(on_screen(talk_list))
        assert made(talks) == shown and 0 < len(shown) <= 40  # the rows drawn (38 on this screen), of 150
        # The filter reads the title and channel columns: it makes no talk but those it shows.
        for key in "142":
            await pilot.press(key)
            await pilot.pause()
            shown |= set(on_screen(talk_list))
            assert made(talks) == shown
        assert [talk_list.talks[i].title for i in talk_list.rows] == ["Talk number 142"]
        assert len(shown) < TALKS
        await pilot.press("enter")
        began = time.monotonic()
        while type(app.screen).__name__ != "TalkScreen":
            assert time.monotonic() - began < 10
            await pilot.pause(0.05)
        assert app.screen.talk.id == "T142xxxxxxx"


async def test_rows_fit_the_width_with_wide_and_long_titles(tmp_path: Path):
    from rich.cells import cell_len

    from tui.model import Talk

    talks = [
        Talk("a", "宽字符的标题很长很长很长很长很长很长很长很长很长很长很长很长很长很长", "频道名称频道名称频道名称", duration=3723),
        Talk("b", "A title that goes on " * 6, "a channel with a long name", duration=59),
        Talk("c", "short", None),
    ]
    app = TalkshelfApp(Library(tmp_path, talks), config=Config())
    async with app.run_test(size=(70, 12)) as pilot:
        await pilot.pause()
        talk_list = app.screen.query_one(TalkList)
        width = talk_list.scrollable_content_region.width
        lines = {talk_list.talks[talk_list.rows[y]].id: talk_list.render_line(y).text for y in range(3)}
        assert all(cell_len(line) == width for line in lines.values())
        assert "…" in lines["a"] and "宽字符" in lines["a"] and lines["a"].endswith("01:02:03")
        assert "A title that goes on A title" in lines["b"] and "…" in lines["b"] and lines["b"].endswith("00:00:59")
        assert lines["c"].split() == ["·", "short"]  # no transcript, no channel, no duration
