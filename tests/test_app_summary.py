"""Pilot tests of the summary pane in the talk screen: layouts, following both ways, hits, quotes, notes."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.app import TalkshelfApp
from tui.config import Config, load_config
from tui.index import SearchHit
from tui.library import Library
from tui.model import Document, Role, Segment, Talk
from tui.paths import config_dir
from tui.readers import read_text_as
from widgets.outline_tree import OutlineTree
from widgets.summary_view import SummaryView
from widgets.talk_screen import TalkScreen

WIDE = (120, 40)
NARROW = (80, 24)

PAGE = """---
title: How a Bicycle Stays Upright
videoId: bK3cycL0Up8
---

From: [[Everyday Physics]] <br/>

Why does a moving bicycle balance itself?

## Not the gyroscope <a class="yt-timestamp" data-t="00:01:26">[00:01:26]</a>

The gyroscope effect of the spinning wheels is real but small [00:01:40]. Engineers cancelled it and the bike still balanced [00:02:10].

## Steering into the fall

- When the bike leans left the front wheel turns left [00:03:00]
    - many times a second
"""

NOTES = """From: Everyday Physics

Trail

The trail makes the wheel swing into a lean like a trolley caster [00:02:40].
"""


def transcript() -> Document:
    # Paragraphs every 10 s, but one starts a fraction after 86 s (the early-jump case).
    starts = [0.0, 10.0, 20.0, 30.0, 40.0, 50.0, 60.0, 70.0, 80.0, 86.655, 95.0, 100.0, 110.0, 120.0,
              130.0, 140.0, 150.0, 160.0, 170.0, 180.0, 190.0, 200.0]
    segments = [Segment(t, t + 5, f"Paragraph at {t:g} seconds: spoken words about bicycles number {i}.")
                for i, t in enumerate(starts)]
    return Document("/lib/bike.json", Role.TRANSCRIPT, "json", title="How a Bicycle Stays Upright", segments=segments)


def bike_talk(*, with_transcript: bool = True, notes: bool = True) -> Talk:
    docs = [transcript()] if with_transcript else []
    docs += read_text_as(PAGE, "/lib/bike.md", "markdown")
    if notes:
        docs += read_text_as(NOTES, "/lib/bike notes.txt", "plain")
    return Talk("bike", "How a Bicycle Stays Upright", channel="Everyday Physics", video_id="bK3cycL0Up8", documents=docs)


def make_app(talk: Talk, **kwargs) -> TalkshelfApp:
    return TalkshelfApp(Library(Path("/lib"), [talk]), config=kwargs.pop("config", Config()), talk_id=talk.id, **kwargs)


async def opened(pilot) -> TalkScreen:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, TalkScreen)
    return screen


def block_index(screen: TalkScreen, text: str) -> int:
    return next(i for i, b in enumerate(screen.summary.blocks) if text in b.text)


def pane_text(view) -> str:
    return "\n".join(view.render_line(y).text for y in range(view.size.height))


async def test_both_panes_side_by_side_at_120_columns():
    app = make_app(bike_talk())
    async with app.run_test(size=WIDE) as pilot:
        screen = await opened(pilot)
        assert screen.transcript.display and screen.summary.display
        assert screen.transcript.region.width > 30 and screen.summary.region.width > 30
        assert screen.transcript.region.x < screen.summary.region.x  # side by side
        text = pane_text(screen.summary)
        assert "Not the gyroscope" in text and "[00:01:40]" in text and "real but small" in text
        assert "• When the bike leans left" in text and "  • many times a second" in text
        assert screen.transcript.has_focus


async def test_one_pane_at_80_columns_tab_switches_and_w_cycles_remembered(tmp_path):
    app = make_app(bike_talk())
    async with app.run_test(size=NARROW) as pilot:
        screen = await opened(pilot)
        assert screen.transcript.display and not screen.summary.display
        assert "Tab: summary" in str(screen.transcript.border_title)
        await pilot.press("tab")
        await pilot.pause()
        assert screen.summary.display and not screen.transcript.display and screen.summary.has_focus
        await pilot.press("tab")  # on to the outline, the summary stays
        assert screen.query_one(OutlineTree).has_focus and screen.summary.display
        await pilot.press("tab")
        await pilot.pause()
        assert screen.transcript.display and screen.transcript.has_focus
        # w cycles transcript only / both / summary only, and it is remembered
        await pilot.press("w")
        await pilot.pause()
        assert screen.layout_mode == "summary" and screen.summary.display and not screen.transcript.display
        await pilot.press("w")
        assert screen.layout_mode == "transcript"
        await pilot.press("tab", "tab")  # transcript only: Tab goes to the outline and back
        await pilot.pause()
        assert screen.transcript.display and not screen.summary.display
    assert load_config(config_dir()).talk_layout == "transcript"
    # The next run starts with it.
    app = make_app(bike_talk(), config=load_config(config_dir()))
    async with app.run_test(size=WIDE) as pilot:
        screen = await opened(pilot)
        assert screen.layout_mode == "transcript" and not screen.summary.display


async def test_a_stamp_followed_into_the_transcript():
    app = make_app(bike_talk())
    async with app.run_test(size=WIDE) as pilot:
        screen = await opened(pilot)
        await pilot.press("tab")
        summary, transcript = screen.summary, screen.transcript
        assert summary.has_focus
        para = block_index(screen, "real but small")
        summary.jump_to_block(para)
        await pilot.pause()
        await pilot.press("right", "right")  # its second stamp: 00:01:40
        await pilot.pause()
        assert summary.moment == 100
        assert transcript.segments[transcript.cursor].start == 100.0
        # Its words lit for a moment, over the cursor that landed there.
        flash_bg = transcript.get_component_rich_style("transcript-view--flash").bgcolor
        lit = [transcript.render_line(y).text for y in range(transcript.size.height)
               if any(s.style and s.style.bgcolor == flash_bg for s in transcript.render_line(y))]
        assert lit and "00:01:40" in lit[0]
        await pilot.press("right")  # 00:02:10
        await pilot.pause()
        assert transcript.segments[transcript.cursor].start == 130.0
        # the summary did not move back (no echo): still on that stamp
        assert summary.cursor == para and summary.moment == 130
        await pilot.press("enter")  # follow: the transcript takes the focus
        await pilot.pause()
        assert transcript.has_focus and transcript.segments[transcript.cursor].start == 130.0


async def test_the_transcript_moves_the_summary_highlight():
    app = make_app(bike_talk())
    async with app.run_test(size=WIDE) as pilot:
        screen = await opened(pilot)
        summary, transcript = screen.summary, screen.transcript
        transcript.jump_to_segment(transcript.segments.index(next(s for s in transcript.segments if s.start == 140.0)))
        await pilot.pause()
        # 140 s: the last stamp at or before it is 00:02:10 in the gyroscope paragraph
        assert summary.cursor == block_index(screen, "real but small") and summary.moment == 130
        await pilot.press("down")
        await pilot.pause()
        assert transcript.segments[transcript.cursor].start == 150.0
        await pilot.press("G")
        await pilot.pause()
        assert summary.cursor == block_index(screen, "When the bike leans left")
        assert transcript.has_focus  # following never takes the focus


async def test_several_summaries_show_which_one_and_switch():
    app = make_app(bike_talk())
    async with app.run_test(size=WIDE) as pilot:
        screen = await opened(pilot)
        summary = screen.summary
        assert str(summary.border_title).startswith("1/2 Summary page")
        await pilot.press("tab", "right_square_bracket")
        await pilot.pause()
        assert summary.reading == 1 and str(summary.border_title).startswith("2/2 Summary · bike notes")
        assert "── Summary · bike notes" in pane_text(summary)
        # the transcript now highlights in the summary being read
        transcript = screen.transcript
        transcript.jump_to_segment(transcript.segments.index(next(s for s in transcript.segments if s.start == 170.0)))
        await pilot.pause()
        assert summary.block is not None and "trolley caster" in summary.block.text
        await pilot.press("left_square_bracket")
        await pilot.pause()
        assert summary.reading == 0


async def test_a_summary_only_talk_shows_headings_and_a_separator():
    app = make_app(bike_talk(with_transcript=False))
    async with app.run_test(size=WIDE) as pilot:
        screen = await opened(pilot)
        assert not screen.transcript.display and screen.summary.display and screen.summary.has_focus
        text = pane_text(screen.summary)
        assert "Not the gyroscope" in text and "Steering into the fall" in text
        assert "── Summary · bike notes" in text and "Trail" in text
        await pilot.press("w")  # nothing to switch to
        assert screen.summary.display and not screen.transcript.display


async def test_a_section_at_86_s_lands_on_the_paragraph_starting_at_86_655():
    app = make_app(bike_talk())
    async with app.run_test(size=WIDE) as pilot:
        screen = await opened(pilot)
        outline = screen.query_one(OutlineTree)
        section = next(s for s in outline.sections if s.seconds == 86.0)
        screen.post_message(OutlineTree.SectionChosen(section))  # as the outline posts it
        await pilot.pause()
        transcript = screen.transcript
        assert transcript.segments[transcript.cursor].start == 86.655
        # from the summary too: the heading's stamp at 00:01:26
        screen.summary.jump_to_block(block_index(screen, "real but small"))
        await pilot.pause()
        assert transcript.segments[transcript.cursor].start == 86.655


async def test_a_library_hit_in_a_summary_opens_the_summary_pane_there():
    talk = bike_talk()
    notes = talk.documents[2]
    text = notes.segments[0].text
    at = text.index("trolley")
    hit = SearchHit("bike", talk.title, notes.path, "summary", 0, 160.0, False, text, 0, ((at, at + 7),), 1.0)
    for size in (WIDE, NARROW):
        app = make_app(talk)
        async with app.run_test(size=size) as pilot:
            await opened(pilot)
            app._search_chosen(hit)
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, TalkScreen)
            summary = screen.summary
            assert summary.display and summary.has_focus
            assert summary.block is not None and "trolley caster" in summary.block.text
            status = summary.search_status
            assert status.query == "trolley" and status.total == 1
            row = next(y for y in range(summary.size.height) if "trolley" in summary.render_line(y).text)
            match_bg = summary.get_component_rich_style("transcript-view--match-current").bgcolor
            assert any(seg.text == "trolley" and seg.style.bgcolor == match_bg for seg in summary.render_line(row))
            # the transcript went to that moment
            if screen.transcript.display:
                assert screen.transcript.segments[screen.transcript.cursor].start == 160.0


async def test_quote_from_the_summary_carries_its_stamp_and_link(monkeypatch):
    copied: list[str] = []
    monkeypatch.setattr("widgets.talk_screen.copy_text", lambda text, _terminal: (copied.append(text), (True, ""))[1])
    app = make_app(bike_talk())
    async with app.run_test(size=WIDE) as pilot:
        screen = await opened(pilot)
        await pilot.press("tab")
        screen.summary.jump_to_block(block_index(screen, "real but small"))
        await pilot.press("right", "right")  # on the stamp 00:01:40
        await pilot.press("y")
        await pilot.pause()
        assert copied and "real but small" in copied[-1]
        assert "https://youtu.be/bK3cycL0Up8?t=100" in copied[-1] and "00:01:40" in copied[-1]
        await pilot.press("down")  # the nested bullet stands under the stamp 00:03:00 (it has none)
        await pilot.press("down", "down")
        await pilot.press("y")
        await pilot.pause()
        assert "many times a second" in copied[-1] and "?t=180" in copied[-1]


async def test_bookmark_and_note_in_the_summary_pane():
    app = make_app(bike_talk())
    async with app.run_test(size=WIDE) as pilot:
        screen = await opened(pilot)
        await pilot.press("tab")
        summary = screen.summary
        para = block_index(screen, "real but small")
        summary.jump_to_block(para)
        await pilot.press("b")
        await pilot.pause()
        store = app.notes_store()
        items = store.items_for_talk(screen.store_key)
        assert [i.kind for i in items] == ["bookmark"] and "real but small" in items[0].quote
        marked = [line for line in pane_text(summary).split("\n") if line.startswith("★")]
        assert len(marked) == 1 and summary.blocks[para].text[:20] in marked[0]
        assert "★" not in pane_text(screen.transcript)  # the transcript's paragraphs are not marked
        await pilot.press("a")
        await pilot.pause()
        await pilot.press(*"worth a look", "ctrl+s")
        await pilot.pause()
        items = store.items_for_talk(screen.store_key)
        assert any(i.kind == "note" and i.note == "worth a look" for i in items)
        # the bookmark is found again when the talk reopens from the notes
        moment = next(i.moment for i in items if i.kind == "bookmark")
        screen.go_to_moment(moment)
        await pilot.pause()
        assert summary.cursor == para and summary.has_focus


def test_the_new_keys_can_be_remapped():
    from tui.app import binding_ids

    assert {"summary.next_stamp", "summary.previous_stamp", "summary.next", "talk.layout", "talk.switch_pane"} <= binding_ids()


async def test_switching_summaries_shows_the_name_of_the_next_one():
    long_page = PAGE + "".join(f"\nFiller paragraph {i} about wheels [00:03:{i:02d}].\n" for i in range(40))
    talk = bike_talk()
    talk.documents[1:2] = read_text_as(long_page, "/lib/bike.md", "markdown")
    long_notes = NOTES + "".join(f"\nMore notes {i} [00:03:{i:02d}].\n" for i in range(40))
    talk.documents[2:3] = read_text_as(long_notes, "/lib/bike notes.txt", "plain")
    app = make_app(talk)
    async with app.run_test(size=NARROW) as pilot:
        screen = await opened(pilot)
        await pilot.press("tab", "right_square_bracket")
        await pilot.pause()
        lines = pane_text(screen.summary).split("\n")
        assert "Filler paragraph 39" not in "\n".join(lines[2:])  # scrolled past the first summary
        assert lines[1].startswith("── Summary · bike notes")  # its separator near the top
        assert screen.summary.block.text == "Trail"  # the cursor on its first heading
