"""Snapshots of the main screens (pytest-textual-snapshot), on the in-memory library of app_talks.

Update after an intended change of look with `pytest tests/test_snapshots.py --snapshot-update`
and check the SVGs by eye.
"""

from __future__ import annotations

from app_talks import library
from textual.widgets import Input

from tui.app import TalkshelfApp
from tui.config import Config

WIDE = (120, 40)
NARROW = (80, 24)


def make_app(**kwargs) -> TalkshelfApp:
    return TalkshelfApp(library(), config=Config(), **kwargs)


async def steady(pilot) -> None:
    """No blinking cursors, so the picture does not depend on the moment it is taken."""
    await pilot.app.workers.wait_for_complete()  # sections placed by matching, the scan
    await pilot.pause()
    for box in pilot.app.screen.query(Input):
        box.cursor_blink = False
    await pilot.pause()


def test_talk_list(snap_compare):
    assert snap_compare(make_app(), terminal_size=WIDE, run_before=steady)


def test_talk_list_filtered_narrow(snap_compare):
    assert snap_compare(make_app(), press=["slash", *"scaling"], terminal_size=NARROW, run_before=steady)


def test_talk_screen(snap_compare):
    assert snap_compare(make_app(talk_id="scaling-and-safety", at=1200), terminal_size=WIDE, run_before=steady)


def test_talk_screen_narrow(snap_compare):
    assert snap_compare(make_app(talk_id="scaling-and-safety", at=1200), terminal_size=NARROW, run_before=steady)


def test_talk_screen_narrow_summary_pane(snap_compare):
    """At 80 columns one pane shows at a time: Tab switches to the summary, on the paragraph covering 00:20:00."""
    assert snap_compare(make_app(talk_id="scaling-and-safety", at=1200), press=["tab"], terminal_size=NARROW, run_before=steady)


def test_search_in_progress(snap_compare):
    async def search(pilot) -> None:
        await pilot.press("slash", *"scaling laws")
        await steady(pilot)

    assert snap_compare(make_app(talk_id="scaling-and-safety"), terminal_size=WIDE, run_before=search)


def test_help_screen(snap_compare):
    assert snap_compare(make_app(talk_id="scaling-and-safety"), press=["question_mark"], terminal_size=WIDE, run_before=steady)


def test_problems_view(snap_compare):
    assert snap_compare(make_app(), press=["exclamation_mark"], terminal_size=WIDE, run_before=steady)


def test_summaries_in_the_pane_without_a_transcript(snap_compare):
    assert snap_compare(make_app(talk_id="summary-only"), terminal_size=WIDE, run_before=steady)


def test_words_selected_after_a_search_narrow(snap_compare):
    """`/scaling` Enter `v l l l` at 80 columns: the counter in the header, four words lit (not the line)."""

    async def select(pilot) -> None:
        await pilot.press("slash", *"scaling laws", "enter", "v", "l", "l", "l")
        await steady(pilot)

    assert snap_compare(make_app(talk_id="scaling-and-safety", at=1200), terminal_size=NARROW, run_before=select)
