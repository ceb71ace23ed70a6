"""What a talk screen leaves behind when it closes, and the collector around its opening (issue 14)."""

from __future__ import annotations

import gc
import weakref

from tests.app_talks import library
from tui.app import TalkshelfApp
from tui.config import Config
from widgets.talk_screen import TalkScreen
from widgets.transcript_view import Row, Rows, TranscriptView

SIZE = (120, 40)


async def test_a_closed_talk_screen_lets_its_drawn_lines_go():
    app = TalkshelfApp(library(), config=Config())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        talk = app.library.talks[0]
        drawn = []
        for _ in range(3):
            await app.push_screen(TalkScreen(talk, notes=app.notes, config=app.config))
            await pilot.pause()
            await app.workers.wait_for_complete()
            view = app.screen.query_one(TranscriptView)
            assert view.size.height > 0  # it has drawn lines
            drawn.append(weakref.ref(view._styles_cache))
            del view
            await app.pop_screen()
            await pilot.pause()
            await pilot.pause()
        gc.collect()
        # Textual's lru_cache on StylesCache.get_inner_outer held each one (and every line it drew),
        # and so did each pool thread, through the last worker it ran (widgets.thread_work).
        assert [ref() for ref in drawn] == [None, None, None]


async def test_no_full_collection_waits_in_front_of_a_talk_screen_and_collecting_resumes_after():
    app = TalkshelfApp(library(), config=Config())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert gc.isenabled()
        app.open_talk(app.library.talks[0])
        assert not gc.isenabled()  # paused while the screen is built and drawn
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, TalkScreen)
        assert gc.isenabled()  # and on again once it is drawn


def test_rows_are_the_wrap_index_as_columns():
    rows = Rows()
    rows.add(0, [(0, 10), (11, 20)])
    rows.add_blank(0)
    rows.add(1, [(0, 0)])
    assert len(rows) == 4
    assert [rows[i] for i in range(4)] == [Row(0, 0, 0, 10), Row(0, 1, 11, 20), Row(0, -1, 0, 0), Row(1, 0, 0, 0)]
    assert rows[-1] == Row(1, 0, 0, 0)
    assert not Rows()


async def test_the_collector_is_as_it_was_when_the_app_ends():
    """Frozen objects and a paused collector end with the app (tests run many apps in one process)."""
    app = TalkshelfApp(library(), config=Config())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert gc.get_freeze_count() > 0  # the library shown is out of full collections
        # As when the app ends while a talk screen is being opened (before its first frame).
        gc.disable()
        app._collector_paused = True
    # The collector is on again and nothing stays frozen.
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0
