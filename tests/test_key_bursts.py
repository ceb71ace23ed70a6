"""Keys typed ahead arrive at once (a paste, a fast typist, a slow machine): each goes where
the key before it sent the focus, as it would had they come one by one."""

from __future__ import annotations

from pathlib import Path

from textual import events

from app_talks import library
from tests.gen.captions import youtube_vtt
from tests.gen.ytdlp import info_json, make_video, safe_name
from tui.app import TalkshelfApp
from tui.config import Config
from tui.library import scan
from widgets.find_bar import FindBar
from widgets.talk_screen import TalkScreen

SIZE = (120, 40)


def queue(app, *keys: str) -> None:
    """Post every key before the first is handled."""
    for key in keys:
        char = key if len(key) == 1 else None
        name = {"/": "slash", " ": "space"}.get(key, key)
        app.post_message(events.Key(name, char))


async def test_a_search_typed_ahead_reaches_the_bar_and_n_steps_after_enter():
    app = TalkshelfApp(library(), config=Config(), talk_id="scaling-and-safety")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        view = app.screen.transcript
        queue(app, "/", *"part 11", "enter", "n", "n")  # "w" or "p" in the query would act on the pane otherwise
        await pilot.pause()
        bar = app.screen.query_one(FindBar)
        assert bar.value == "part 11" and not bar.is_open
        assert view.search_status.total == 11 and view.search_status.current == 3 and view.cursor == 111


async def test_keys_after_tab_in_one_burst_go_to_the_pane_tab_chose(tmp_path: Path):
    """`Tab G` typed ahead must move the summary, not the transcript."""
    video = make_video(11)
    (tmp_path / f"{safe_name(video.stem)}.info.json").write_text(info_json(video))
    (tmp_path / f"{safe_name(video.stem)}.en.vtt").write_text(youtube_vtt(video.talk))
    lib = scan(tmp_path)
    app = TalkshelfApp(lib, talk_id=lib.talks[0].id, config=Config())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, TalkScreen)
        transcript, summary = app.screen.query_one("#transcript"), app.screen.query_one("#summary")
        assert app.focused is transcript
        queue(app, "tab", "G")
        await pilot.pause()
        assert app.focused is summary
        assert summary.cursor == max(i for i, b in enumerate(summary.blocks) if b.kind != "separator")


async def test_a_filter_typed_ahead_on_the_list_keeps_its_order():
    """`/th` in one burst filters by "th": the slash opens the filter, it is not typed after."""
    app = TalkshelfApp(library(), config=Config())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        queue(app, "/", *"th")
        await pilot.pause()
        box = app.screen.query_one("#filter")
        assert app.focused is box and box.value == "th"
