"""The summary layout (core) and the summary pane (Line API widget) on their own."""

from __future__ import annotations

from textual.app import App, ComposeResult

from tui.model import Talk
from tui.readers import read_text_as
from tui.summary_layout import Moments, place_blocks, summary_blocks, written
from widgets.summary_view import SummaryView

PAGE = """---
title: Bicycles
videoId: bK3cycL0Up8
---

From: [[physics]] <br/>

Opening words with no time at all.

## Why it stands <a class="yt-timestamp" data-t="00:01:26">[00:01:26]</a>

The trail matters most [00:01:30]. The gyroscope effect is real but small [00:01:50].

- A bullet [00:02:00]
    - A nested bullet
- Back out

> [!CAUTION]
> Do not ride without hands.

```mermaid
graph TD
  A --> B
```

## Untimed section

Words with no time here.
"""

PLAIN = """From: physics

Overview

A plain summary paragraph [00:00:40] with a stamp.
"""


def talk_of(*docs) -> Talk:
    documents = [d for ds in docs for d in ds]
    return Talk(id="t", title="Bicycles", documents=documents)


def page_talk() -> Talk:
    return talk_of(read_text_as(PAGE, "bikes.md", "markdown"), read_text_as(PLAIN, "bikes-notes.txt", "plain"))


# --- core ------------------------------------------------------------------------


def test_blocks_keep_the_summary_as_written():
    blocks = summary_blocks(page_talk())
    got = [(b.kind, b.level, b.text) for b in blocks]
    assert got[:9] == [
        ("text", 0, "Opening words with no time at all."),
        ("heading", 2, "Why it stands"),
        ("text", 0, "[00:01:26] The trail matters most [00:01:30]. The gyroscope effect is real but small [00:01:50]."),
        ("bullet", 0, "A bullet [00:02:00]"),
        ("bullet", 1, "A nested bullet"),
        ("bullet", 0, "Back out"),
        ("quote", 0, "[!CAUTION]"),
        ("quote", 0, "Do not ride without hands."),
        ("code", 0, "graph TD\n  A --> B"),
    ]
    assert got[9:12] == [("heading", 2, "Untimed section"), ("text", 0, "Words with no time here."), ("separator", 0, "Summary · bikes-notes")]
    # every stamp is a link over its own characters
    para = blocks[2]
    assert [para.text[link.start:link.end] for link in para.links] == ["[00:01:26]", "[00:01:30]", "[00:01:50]"]
    assert [link.seconds for link in para.links] == [86, 90, 110]


def test_block_times_own_inherited_and_none():
    blocks = summary_blocks(page_talk())
    assert (blocks[0].seconds, blocks[0].origin) == (None, "none")  # before any time
    assert (blocks[2].seconds, blocks[2].origin) == (86, "stamp")
    assert (blocks[4].seconds, blocks[4].origin) == (120, "earlier")  # the nested bullet: the stamp above it
    assert (blocks[10].seconds, blocks[10].origin) == (None, "none")  # a new section without a time
    placed = place_blocks(blocks, {(0, 1): (200.0, "matched")}, {(0, 0): 30.0})
    assert (placed[9].seconds, placed[9].origin) == (200.0, "matched")
    assert (placed[10].seconds, placed[10].origin) == (200.0, "earlier")
    assert (placed[0].seconds, placed[0].origin) == (30.0, "matched")


def test_display_offsets_follow_the_written_stamps():
    talk = page_talk()
    segment = talk.documents[0].segments[1]
    text, links, inserts = written(segment)
    word = segment.text.index("gyroscope")
    blocks = summary_blocks(talk)
    assert blocks[2].text[blocks[2].display_offset(word):].startswith("gyroscope")
    assert text == blocks[2].text and links == blocks[2].links and inserts


def test_moments_cover_with_the_last_time_at_or_before():
    blocks = summary_blocks(page_talk())
    moments = Moments(blocks)
    assert moments.block_at(0, 85) is None  # before the first time of that summary
    assert moments.block_at(0, 86.655) == 2
    assert moments.block_at(0, 119) == 2
    assert moments.block_at(0, 125) == 3
    assert moments.block_at(1, 45) == 13
    assert blocks[2].link_at(100) == 1


# --- the widget ----------------------------------------------------------------


class PaneApp(App):
    def __init__(self, talk: Talk) -> None:
        super().__init__()
        self.talk = talk
        self.moves: list[tuple[int, float | None, bool]] = []

    def compose(self) -> ComposeResult:
        yield SummaryView()

    def on_mount(self) -> None:
        view = self.query_one(SummaryView)
        view.show_blocks(summary_blocks(self.talk))
        view.focus()

    def on_summary_view_moved(self, event: SummaryView.Moved) -> None:
        self.moves.append((event.index, event.seconds, event.chosen))


def screen_lines(view: SummaryView) -> list[str]:
    return [view.render_line(y).text for y in range(view.size.height)]


async def test_pane_draws_headings_bullets_code_and_stamps():
    app = PaneApp(page_talk())
    async with app.run_test(size=(70, 40)) as pilot:
        await pilot.pause()
        view = app.query_one(SummaryView)
        text = "\n".join(screen_lines(view))
        assert "Why it stands" in text
        assert "• A bullet [00:02:00]" in text
        assert "  • A nested bullet" in text
        assert "│ [!CAUTION]" in text
        assert "graph TD" in text and "  A --> B" in text  # preformatted, indentation kept
        assert "── Summary · bikes-notes ─" in text
        assert view.cursor == 0  # the first block


async def test_a_numbered_item_shows_its_number_not_a_bullet():
    page = PAGE.replace("- Back out\n", "- Back out\n\n1. A numbered step\n2) Another step\n")
    app = PaneApp(talk_of(read_text_as(page, "bikes.md", "markdown")))
    async with app.run_test(size=(70, 40)) as pilot:
        await pilot.pause()
        text = "\n".join(screen_lines(app.query_one(SummaryView)))
        assert "• A bullet [00:02:00]" in text
        assert "1. A numbered step" in text and "2) Another step" in text, text
        assert "• 1." not in text and "• 2)" not in text, text


async def test_moving_posts_moments_and_stamps_can_be_stepped_and_followed():
    app = PaneApp(page_talk())
    async with app.run_test(size=(70, 40)) as pilot:
        await pilot.pause()
        view = app.query_one(SummaryView)
        app.moves.clear()
        await pilot.press("down", "down")
        await pilot.pause()
        assert view.cursor == 2 and app.moves[-1] == (2, 86, False)
        await pilot.press("right", "right")
        await pilot.pause()
        assert view.stamp == 1 and app.moves[-1] == (2, 90, False)
        # the current stamp is drawn apart from the others
        row = next(y for y, line in enumerate(screen_lines(view)) if "[00:01:30]" in line)
        strip = view.render_line(row)
        styles = {seg.text: seg.style for seg in strip if seg.text in ("[00:01:30]", "[00:01:50]", "[00:01:26]")}
        assert styles["[00:01:30]"] != styles.get("[00:01:26]", styles.get("[00:01:50]"))
        await pilot.press("enter")
        await pilot.pause()
        assert app.moves[-1] == (2, 90, True)
        await pilot.press("right", "right")  # past the paragraph's last stamp: the bullet's
        await pilot.pause()
        assert view.cursor == 3 and view.stamp == 0 and app.moves[-1][1] == 120
        await pilot.press("left")
        await pilot.pause()
        assert view.cursor == 2 and view.stamp == 2


async def test_show_moment_moves_quietly_and_switching_summaries():
    app = PaneApp(page_talk())
    async with app.run_test(size=(70, 20)) as pilot:
        await pilot.pause()
        view = app.query_one(SummaryView)
        app.moves.clear()
        assert view.show_moment(112.0) == 2
        await pilot.pause()
        assert view.cursor == 2 and view.stamp == 2 and app.moves == []  # no echo
        assert view.show_moment(10.0) is None  # nothing covers it: the cursor stays
        assert view.cursor == 2
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert view.reading == 1 and view.block.kind in ("heading", "text")
        assert view.show_moment(41.0) == 13
        await pilot.press("left_square_bracket")
        await pilot.pause()
        assert view.reading == 0


async def test_search_in_the_pane_highlights_words_in_summary_text():
    app = PaneApp(page_talk())
    async with app.run_test(size=(70, 40)) as pilot:
        await pilot.pause()
        view = app.query_one(SummaryView)
        status = view.search("gyroscope")
        await pilot.pause()
        assert status.total == 1 and view.cursor == 2
        row = next(y for y, line in enumerate(screen_lines(view)) if "gyroscope" in line)
        match_bg = view.get_component_rich_style("transcript-view--match-current").bgcolor
        assert any(seg.text == "gyroscope" and seg.style.bgcolor == match_bg for seg in view.render_line(row))
