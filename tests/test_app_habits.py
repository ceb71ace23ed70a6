"""Pilot tests of issue 13: a reader that keeps your place and knows less and vim habits."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from textual import events
from textual.widgets import Input

from app_talks import library
from notices import Notices
from tui.app import TalkshelfApp
from tui.config import Config
from widgets.talk_list import TalkList
from widgets.talk_list_screen import TalkListScreen
from widgets.talk_screen import TalkScreen

SIZE = (120, 40)


def make_app(**kwargs) -> TalkshelfApp:
    kwargs.setdefault("config", Config())
    return TalkshelfApp(library(), **kwargs)


async def until(pilot, condition, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting for the app"
        await pilot.pause(0.02)


def filter_value(app) -> str:
    return app.screen.query_one("#filter", Input).value


def shown(app) -> list[str]:
    talks = app.screen.query_one(TalkList)
    return [talks.talks[i].id for i in talks.rows]


# -- 1. type to filter from the first letter ------------------------------------------


@pytest.mark.parametrize("word", ["sourdough", "gyro", "q", "safety", "G", "jk"])
async def test_every_letter_typed_on_the_list_filters_from_the_first(word):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.focused, TalkList)
        await pilot.press(*word)  # one call: the keys arrive as a burst
        await pilot.pause()
        assert isinstance(app.screen, TalkListScreen) and app.is_running
        assert filter_value(app) == word


async def test_a_burst_posted_before_any_key_is_handled_keeps_every_letter():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for ch in "sourdough":  # as a terminal delivers a paste: all queued at once
            app.post_message(events.Key(ch, ch))
        await pilot.pause()
        assert isinstance(app.screen, TalkListScreen)
        assert filter_value(app) == "sourdough"
        assert "No talk matches" in app.screen.query_one(TalkList).render_line(0).text
        await pilot.press("escape")
        await pilot.pause()
        for ch in "safety":
            app.post_message(events.Key(ch, ch))
        await pilot.pause()
        assert filter_value(app) == "safety" and shown(app)[0] == "scaling-and-safety"


async def test_the_lists_actions_are_on_symbols_and_ctrl_keys_in_footer_and_help():
    from textual.widgets import DataTable

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        keys = {b.binding.key: b.binding.description for b in app.screen.active_bindings.values()}
        for key, what in {"ctrl+f": "Search all", "apostrophe": "Marks", "exclamation_mark": "Problems", "ctrl+q": "Quit"}.items():
            assert keys.get(key) == what, key
        footer = " ".join(str(w.render()) for w in app.screen.query("FooterKey"))
        for shown_key in ("^f", "'", "!", "^q"):
            assert shown_key in footer, (shown_key, footer)
        # No plain letter is an action on the list.
        assert [k for k, b in app.screen.active_bindings.items() if len(k) == 1 and k.isalnum() and b.enabled] == []
        await pilot.press("question_mark")
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        rows = [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]
        assert any(r[0] == "!" and r[1] == "Problems" for r in rows)
        assert any(r[0] == "^r f5" and r[1] == "Reload" for r in rows), rows


# -- 6. the live library ---------------------------------------------------------------------


def write_transcript(path: Path, lines: list[str], step: float = 5.0) -> Path:
    items = [{"text": text, "start": i * step, "duration": step} for i, text in enumerate(lines)]
    path.write_text(json.dumps(items), encoding="utf-8")
    return path


@pytest.mark.parametrize("use_index", [True, False])
async def test_files_added_changed_and_removed_while_running_appear_within_seconds(tmp_path: Path, use_index: bool):
    root = tmp_path / "library"
    root.mkdir()
    write_transcript(root / "AAAAAAAAAAA.json", ["we talk about gradient descent today."])
    app = TalkshelfApp(None, config=Config(), library_path=root, use_index=use_index)
    notices = Notices()
    async with app.run_test(size=SIZE, message_hook=notices) as pilot:
        await until(pilot, lambda: app.library is not None and (app.index_ready or not use_index))
        assert shown(app) == ["AAAAAAAAAAA"]
        await pilot.pause(0.3)  # the watch's first look
        write_transcript(root / "BBBBBBBBBBB.json", ["a brand new talk about sourdough."])
        await until(pilot, lambda: sorted(shown(app)) == ["AAAAAAAAAAA", "BBBBBBBBBBB"], seconds=8)
        await pilot.pause()  # the notice is posted after the list is shown
        assert any("1 talk added" in n.message for n in notices.shown), notices.messages
        (root / "AAAAAAAAAAA.json").unlink()
        await until(pilot, lambda: shown(app) == ["BBBBBBBBBBB"], seconds=8)
        # Changed in place: its new words are what the talk holds.
        write_transcript(root / "BBBBBBBBBBB.json", ["now it is about rye bread instead."])
        await until(
            pilot, lambda: app.library.talks and "rye" in app.library.talks[0].transcript.segments[0].text, seconds=8
        )


async def test_ctrl_r_reloads_now(tmp_path: Path):
    root = tmp_path / "library"
    root.mkdir()
    write_transcript(root / "AAAAAAAAAAA.json", ["one."])
    app = TalkshelfApp(None, config=Config(), library_path=root, use_index=True)
    app.watch_library = False  # no periodic look: only the key
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.index_ready)
        write_transcript(root / "BBBBBBBBBBB.json", ["two."])
        await pilot.pause(0.5)
        assert shown(app) == ["AAAAAAAAAAA"]
        await pilot.press("ctrl+r")
        await until(pilot, lambda: len(shown(app)) == 2, seconds=5)
