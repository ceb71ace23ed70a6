"""Opening a long talk defers work past its first frame: the wrap of paragraphs below the first
screen, the search vocabulary, section placement. What the user sees and finds stays the same."""

from __future__ import annotations

import pytest

import widgets.transcript_view as transcript_view
from tui.model import Segment
from widgets.frame_gate import FrameGates
from widgets.transcript_view import LAZY_FROM, TranscriptView

from test_transcript_view import ReaderApp, lines

SIZE = (100, 30)
WORDS = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu".split()


def long_talk(count: int = 2000) -> list[Segment]:
    """Paragraphs of 3 to 60 words, 5.4 s apart; runs of bullets and a code block here and there."""
    out = []
    for i in range(count):
        text = f"P{i} " + " ".join(WORDS[(i * 7 + k) % len(WORDS)] for k in range(3 + (i * 13) % 58))
        kind = "bullet" if i % 50 in (10, 11, 12) else "code" if i % 97 == 5 else "text"
        if kind == "code":
            text = f"P{i} def f():\n    return {i}"
        if i == 1500:
            text = "And then Ilia suitskiver said " + text
        out.append(Segment(start=i * 5.4, end=(i + 1) * 5.4, text=text, kind=kind, level=i % 2, line=i + 1))
    return out


def whole_index(view: TranscriptView) -> tuple[list, list[int]]:
    return [view._rows[r] for r in range(len(view._rows))], list(view._first_row)


async def test_right_after_opening_a_long_talk_a_deep_jump_shows_what_a_whole_wrap_shows(monkeypatch):
    talk = long_talk()
    app = ReaderApp(talk)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        view = app.query_one(TranscriptView)
        screens = {}
        for lazy in (True, False):
            monkeypatch.setattr(transcript_view, "LAZY_FROM", LAZY_FROM if lazy else len(talk) + 1)
            view.show(talk)  # the pane is laid out: the wrap happens here, with no frame in between
            assert (view._wrapped < len(talk)) is lazy
            first = lines(view)
            view.jump_to_segment(1800)  # before any frame: the rest is wrapped on demand
            deep = lines(view)
            view.action_last()
            last = lines(view)
            screens[lazy] = (first, deep, last, whole_index(view), view.virtual_size)
        assert screens[True] == screens[False]
        first, deep, last, _index, _size = screens[True]
        assert first[0].split()[1] == "P0"
        assert any(" P1800 " in line for line in deep[:3])
        assert any(" P1999 " in line for line in last)


async def test_the_rest_of_a_long_talk_is_wrapped_after_the_next_frame_and_rows_drawn_keep_their_strips():
    talk = long_talk()
    app = ReaderApp(talk)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        view = app.query_one(TranscriptView)
        view.show(talk)
        wrapped = view._wrapped
        assert wrapped < len(talk)
        # Two screens of rows, so the first moves need no more wrapping.
        assert view._first_row_so_far[wrapped] >= 2 * view.scrollable_content_region.height
        before = lines(view)
        await pilot.pause()
        await pilot.pause()
        assert view._wrapped == len(talk)
        assert view.virtual_size.height == len(view._rows_so_far)
        assert lines(view) == before


@pytest.mark.parametrize("keys", [("G",), ("G", "g"), ("slash", *"P1234 ", "enter"), ("end", "k", "pageup")])
async def test_keys_pressed_as_a_long_talk_opens_land_where_a_whole_wrap_lands(monkeypatch, keys):
    talk = long_talk()
    shown = {}
    for lazy in (True, False):
        monkeypatch.setattr(transcript_view, "LAZY_FROM", LAZY_FROM if lazy else len(talk) + 1)
        app = ReaderApp(talk)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press(*keys)
            await pilot.pause()
            view = app.query_one(TranscriptView)
            shown[lazy] = (view.cursor, view.scroll_offset.y, lines(view), view.virtual_size)
    assert shown[True] == shown[False]


async def test_a_close_match_typed_as_the_talk_opens_is_found_before_the_vocabulary_thread_runs():
    talk = long_talk()
    app = ReaderApp(talk)
    async with app.run_test(size=SIZE) as pilot:
        view = app.query_one(TranscriptView)
        status = view.search("sutskever")  # the thread may not have started: the search builds what it needs
        assert status.fuzzy and status.total >= 1
        assert view.cursor != 1500  # close matches are offered, not gone to
        view.next_match()
        assert view.cursor == 1500
        await pilot.pause()
        assert any("suitskiver" in line for line in lines(view))
        await app.workers.wait_for_complete()


async def test_a_frame_gate_opens_after_the_next_frame_or_when_closed():
    app = ReaderApp(long_talk(10))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        view = app.query_one(TranscriptView)
        gates = FrameGates()
        drawn = gates.next_frame(view)
        closed = gates.next_frame(view)
        assert not drawn.is_set() and not closed.is_set()
        gates.close()
        assert closed.is_set()
        fresh = FrameGates().next_frame(view)
        view.refresh()
        await pilot.pause()
        await pilot.pause()
        assert fresh.is_set()


def _footer_rebuilds(monkeypatch) -> list:
    """The screens whose footer (widgets.footer.Footer) changes the keys it shows, in order, from now on."""
    from widgets.footer import Footer

    rebuilds = []
    real = Footer._update

    def counted(self):
        before = self.items
        real(self)
        if self.items != before:
            rebuilds.append(self.screen)

    monkeypatch.setattr(Footer, "_update", counted)
    return rebuilds


async def test_the_talk_screen_footer_is_built_once_as_it_opens_and_follows_binding_changes(monkeypatch):
    """And the list's footer, under the talk as it opens, is not rebuilt then, but when shown again."""
    from app_talks import library
    from tui.app import TalkshelfApp
    from tui.config import Config
    from widgets.footer import Footer
    from widgets.talk_screen import TalkScreen

    rebuilds = _footer_rebuilds(monkeypatch)

    def keys(screen) -> list[tuple[str, str, bool]]:
        footer = screen.query_one(Footer)
        return [(item.display, item.description, footer.compact) for item in footer.items]

    app = TalkshelfApp(library(), config=Config())
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        listing = app.screen
        listed = keys(listing)
        assert listed and rebuilds and set(rebuilds) == {listing}
        rebuilds.clear()
        await pilot.press("down", "enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, TalkScreen)
        await pilot.pause()
        assert rebuilds == [screen]  # one build for the burst of binding changes as it opened
        shown = keys(screen)
        assert ("/", "Search", True) in shown and ("esc", "Back", True) in shown
        await pilot.press("slash", *"safety", "enter")
        await pilot.pause()
        searching = keys(screen)
        assert ("n/N", "Next", True) in searching and ("esc", "Clear", True) in searching
        assert ("esc", "Back", True) not in searching
        assert len(rebuilds) >= 2
        assert listing not in rebuilds
        await pilot.press("escape", "escape")
        await pilot.pause()
        await pilot.pause()
        assert app.screen is listing
        assert keys(listing) == listed


async def test_a_talk_screen_is_laid_out_once_as_it_opens_and_again_when_the_terminal_resizes(monkeypatch):
    from textual.screen import Screen

    from app_talks import library
    from tui.app import TalkshelfApp
    from tui.config import Config
    from widgets.talk_screen import TalkScreen

    layouts = []
    real = Screen._refresh_layout

    def counted(self, size=None, scroll=False):
        layouts.append((type(self).__name__, size))
        return real(self, size, scroll)

    monkeypatch.setattr(Screen, "_refresh_layout", counted)
    app = TalkshelfApp(library(), config=Config())
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        layouts.clear()
        await pilot.press("down", "enter")
        screen = app.screen
        assert isinstance(screen, TalkScreen)
        await pilot.pause()
        # Its own Resize, sent by its first layout, asked for a second one at the same size.
        assert layouts.count(("TalkScreen", screen.size)) == 1
        width = screen.transcript.scrollable_content_region.width
        await pilot.resize_terminal(90, 30)
        await pilot.pause()
        assert screen.size == (90, 30)
        assert screen.transcript.scrollable_content_region.width != width  # laid out anew (narrow: no outline)
        assert screen.transcript.render_line(0).cell_length == screen.transcript.scrollable_content_region.width
        await pilot.press("escape")
        await pilot.pause()
        listing = app.screen
        assert listing.size == (90, 30)  # the list, under the talk as the terminal resized, follows
        assert listing.query_one("#talks").size.width == 90


async def test_moving_between_panes_does_not_rebuild_the_footer_when_its_keys_stay(monkeypatch):
    from app_talks import library
    from tui.app import TalkshelfApp
    from tui.config import Config
    from widgets.talk_screen import TalkScreen

    rebuilds = _footer_rebuilds(monkeypatch)
    app = TalkshelfApp(library(), config=Config())
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, TalkScreen)
        await pilot.pause()
        rebuilds.clear()
        before = app.screen.focused
        await pilot.press("tab")
        await pilot.pause()
        await pilot.pause()
        assert app.screen.focused is not before  # the other pane's own (hidden) keys are now active
        assert rebuilds == []


async def test_the_opening_talks_threads_take_turns(monkeypatch):
    """Section placement and the two panes' search vocabularies run one after another, never together."""
    import threading
    import time as clock

    import widgets.talk_screen as talk_screen
    from app_talks import library
    from tui.app import TalkshelfApp
    from tui.config import Config
    from tui.talk_search import TalkSearch

    spans = []
    lock = threading.Lock()

    def timed(work):
        def run(*args, **kwargs):
            start = clock.perf_counter()
            clock.sleep(0.03)  # long enough to overlap, were they run together
            result = work(*args, **kwargs)
            with lock:
                spans.append((start, clock.perf_counter()))
            return result

        return run

    monkeypatch.setattr(talk_screen, "place_all", timed(talk_screen.place_all))
    monkeypatch.setattr(TalkSearch, "prepare", timed(TalkSearch.prepare))
    app = TalkshelfApp(library(), config=Config())
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("down", "enter")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
    assert len(spans) == 3  # placement, the transcript's vocabulary, the summary's
    spans.sort()
    assert all(end <= start for (_, end), (start, _) in zip(spans, spans[1:]))
