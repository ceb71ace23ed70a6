"""Pilot tests of the transcript pane and the find bar, over generated paragraphs."""

from __future__ import annotations

from rich.cells import cell_len
from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Footer

from tui.model import Segment
from widgets.find_bar import FindBar
from widgets.transcript_view import GUTTER_WIDTH, TranscriptView

WORDS = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu".split()


def paragraphs(count: int = 60, words: int = 30) -> list[Segment]:
    """Paragraphs 10 s apart with a few words each; paragraph 40 names Ilya Sutskever, misspelled."""
    out = []
    for i in range(count):
        text = " ".join(WORDS[(i + k) % len(WORDS)] for k in range(words))
        if i == 40:
            text = "And then Ilia suitskiver said " + text
        out.append(Segment(start=i * 10.0, end=i * 10.0 + 10, text=f"P{i} {text}", line=i + 1))
    return out


class ReaderApp(App):
    """The routing the real app does between the find bar and the view."""

    BINDINGS = [
        Binding("slash", "find", "Find"),
        Binding("n", "next", "Next"),
        Binding("N", "previous", "Previous"),
    ]

    def __init__(self, segments: list[Segment]) -> None:
        super().__init__()
        self.segments = segments
        self.moves: list[int] = []
        self.statuses = []

    def compose(self) -> ComposeResult:
        yield TranscriptView()
        yield FindBar()
        yield Footer()

    def on_mount(self) -> None:
        view = self.query_one(TranscriptView)
        view.show(self.segments)
        view.focus()

    def on_transcript_view_cursor_moved(self, event: TranscriptView.CursorMoved) -> None:
        assert event.segment is self.segments[event.index]
        self.moves.append(event.index)

    def action_find(self) -> None:
        self.origin = self.query_one(TranscriptView).cursor  # where an unmatched query returns
        self.query_one(FindBar).open()

    def action_next(self) -> None:
        self._status(self.query_one(TranscriptView).next_match())

    def action_previous(self) -> None:
        self._status(self.query_one(TranscriptView).previous_match())

    def _status(self, status) -> None:
        self.statuses.append(status)
        self.query_one(FindBar).set_status(status)

    @on(FindBar.Changed)
    def _changed(self, event: FindBar.Changed) -> None:
        self._status(self.query_one(TranscriptView).search(event.query, self.origin))

    @on(FindBar.Next)
    def _next(self) -> None:
        self.action_next()

    @on(FindBar.Previous)
    def _previous(self) -> None:
        self.action_previous()

    @on(FindBar.Closed)
    def _closed(self) -> None:
        self.query_one(TranscriptView).focus()


def lines(view: TranscriptView) -> list[str]:
    return [view.render_line(y).text for y in range(view.scrollable_content_region.height)]


def styled(view: TranscriptView, component: str) -> list[tuple[int, str]]:
    """(row, text) of every piece drawn with the given component style on screen."""
    style = view.get_component_rich_style(component)
    found = []
    for y in range(view.scrollable_content_region.height):
        for seg in view.render_line(y):
            if seg.style is not None and seg.style.bgcolor == style.bgcolor and seg.style.bold == style.bold:
                found.append((y, seg.text))
    return found


async def test_cursor_keys_and_page_keys():
    app = ReaderApp(paragraphs())
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.query_one(TranscriptView)
        assert view.cursor == 0
        await pilot.press("down", "j", "j")
        assert view.cursor == 3
        await pilot.press("up", "k")
        assert view.cursor == 1
        await pilot.press("up", "up")
        assert view.cursor == 0  # clamps at the first paragraph
        await pilot.press("G")
        assert view.cursor == 59
        assert view.scroll_offset.y == view.max_scroll_y
        await pilot.press("g")
        assert view.cursor == 0 and view.scroll_offset.y == 0
        await pilot.press("end")
        assert view.cursor == 59
        await pilot.press("home")
        assert view.cursor == 0
        await pilot.press("pagedown")
        first_page = view.cursor
        assert first_page > 2 and view.scroll_offset.y > 0
        # The cursor stays on screen after paging.
        assert any(f"P{first_page} " in line for line in lines(view))
        await pilot.press("pagedown")
        assert view.cursor > first_page
        await pilot.press("pageup", "pageup")
        assert view.cursor < first_page


async def test_cursor_drawn_with_its_component_style():
    app = ReaderApp(paragraphs(10))
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.query_one(TranscriptView)
        await pilot.press("down")
        cursor_bg = view.get_component_rich_style("transcript-view--cursor").bgcolor
        rows = [y for y in range(20) if any(s.style and s.style.bgcolor == cursor_bg for s in view.render_line(y))]
        assert rows and "P1 " in view.render_line(rows[0]).text
        assert all("P0 " not in view.render_line(y).text for y in rows)
        # The whole row is highlighted, gutter (mark, time) included.
        view.set_marks({1: "★"})
        await pilot.pause()
        assert {s.style.bgcolor for s in view.render_line(rows[0])} == {cursor_bg}
        # A new theme redraws with its colours (cached strips are dropped).
        app.theme = "textual-light" if app.theme != "textual-light" else "textual-dark"
        await pilot.pause()
        new_bg = view.get_component_rich_style("transcript-view--cursor").bgcolor
        assert new_bg != cursor_bg
        assert {s.style.bgcolor for s in view.render_line(rows[0])} == {new_bg}


async def test_jump_to_time_and_segment():
    segs = paragraphs()
    segs[5].start = None  # a paragraph without time never wins a jump
    app = ReaderApp(segs)
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.query_one(TranscriptView)
        assert view.jump_to_time(125.0) == 12
        assert view.cursor == 12
        await pilot.pause()
        top = lines(view)[:3]
        assert any("P12 " in line for line in top)  # near the top
        assert view.jump_to_time(0) == 0
        assert view.jump_to_time(-5) == 0
        assert view.jump_to_time(10_000) == 59
        assert view.jump_to_time(52.0) == 4
        view.jump_to_segment(30)
        assert view.cursor == 30
        assert any("P30 " in line for line in lines(view)[:3])


async def test_cursor_moved_posted_and_suppressed_under_prevent():
    app = ReaderApp(paragraphs())
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.query_one(TranscriptView)
        await pilot.pause()
        app.moves.clear()
        await pilot.press("down")
        await pilot.pause()
        assert app.moves == [1]
        view.jump_to_time(200)
        await pilot.pause()
        assert app.moves[-1] == 20
        app.moves.clear()
        with view.prevent(TranscriptView.CursorMoved):
            view.jump_to_time(300)
            view.jump_to_segment(7)
        await pilot.pause()
        assert app.moves == [] and view.cursor == 7
        # Setting the reactive directly also brings the paragraph into view.
        view.cursor = 45
        await pilot.pause()
        assert any("P45 " in line for line in lines(view))
        view.cursor = 7
        await pilot.pause()
        app.moves.clear()
        # A burst collapses: many moves in one go arrive as the latest.
        for _ in range(10):
            view.cursor += 1
        await pilot.pause()
        assert app.moves and app.moves[-1] == 17 and len(app.moves) < 10


async def test_selection_extend_toggle_and_clear():
    app = ReaderApp(paragraphs())
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.query_one(TranscriptView)
        assert view.selection is None
        assert [s.text[:3] for s in view.selected_segments()] == ["P0 "]
        await pilot.press("down", "shift+down", "shift+down")
        assert view.selection == (1, 3)
        assert [s.line for s in view.selected_segments()] == [2, 3, 4]
        await pilot.press("shift+up")
        assert view.selection == (1, 2)
        await pilot.press("escape")
        assert view.selection is None and view.cursor == 2
        # `v` starts a selection that plain moves extend, `v` again ends it.
        await pilot.press("v", "j", "j")
        assert view.selection == (2, 4)
        await pilot.press("k", "k", "k")
        assert view.selection == (1, 2)
        await pilot.press("v")
        assert view.selection is None
        # A shift-selection ends with the next plain move.
        await pilot.press("shift+down", "down")
        assert view.selection is None
        selection_bg = view.get_component_rich_style("transcript-view--selection").bgcolor
        await pilot.press("shift+down")
        assert any(s.style and s.style.bgcolor == selection_bg for y in range(20) for s in view.render_line(y))


async def test_mouse_click_and_wheel_move_the_cursor():
    app = ReaderApp(paragraphs(words=80))  # paragraphs taller than a wheel notch
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.query_one(TranscriptView)
        await pilot.pause()
        row = next(y for y, line in enumerate(lines(view)) if "P2 " in line)
        await pilot.click(TranscriptView, offset=(20, row))
        assert view.cursor == 2
        for _ in range(15):
            view.post_message(_wheel_down(view))
        await pilot.pause()
        assert view.scroll_offset.y > 0
        # The cursor followed into view: its first line is on screen.
        assert any(f"P{view.cursor} " in line for line in lines(view))
        # Back up: every notch scrolls up (the cursor following never pushes back),
        # also with notches longer than the gap between paragraphs.
        app.scroll_sensitivity_y = 5
        for _ in range(15):
            before = view.scroll_offset.y
            view.post_message(_wheel_up(view))
            await pilot.pause()
            assert view.scroll_offset.y == max(0, before - 5)
            assert any(f"P{view.cursor} " in line for line in lines(view))
        assert view.scroll_offset.y == 0


def _wheel_down(view):
    from textual.events import MouseScrollDown

    return MouseScrollDown(view, 10, 5, 0, 1, 0, False, False, False)


def _wheel_up(view):
    from textual.events import MouseScrollUp

    return MouseScrollUp(view, 10, 5, 0, -1, 0, False, False, False)


async def test_search_highlights_counts_and_steps_with_wraparound():
    app = ReaderApp(paragraphs())
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.query_one(TranscriptView)
        view.jump_to_segment(50)
        status = view.search("P4")  # P4, P40..P49
        assert status.total == 11 and not status.fuzzy and status.query == "P4"
        # The first match at or after the cursor (paragraph 50) wraps to P4.
        assert status.current == 1 and view.cursor == 4
        await pilot.pause()
        current = styled(view, "transcript-view--match-current")
        assert [text for _y, text in current] == ["P4"]
        view.jump_to_segment(41)
        status = view.search("P4")
        assert status.current == 3 and view.cursor == 41
        await pilot.pause()
        # Every match on screen is drawn (P41..P45 here), one as the current.
        others = [text for _y, text in styled(view, "transcript-view--match")]
        assert others and set(others) == {"P4"}
        await pilot.press("n")
        assert app.statuses[-1].current == 4 and view.cursor == 42
        await pilot.press("N", "N", "N")
        assert app.statuses[-1].current == 1 and view.cursor == 4
        await pilot.press("N")  # wraps to the last
        assert app.statuses[-1].current == 11 and view.cursor == 49
        await pilot.press("n")
        assert app.statuses[-1].current == 1
        # A new query redraws with its own matches only.
        view.search("gamma")
        await pilot.pause()
        drawn = styled(view, "transcript-view--match") + styled(view, "transcript-view--match-current")
        assert drawn and {text for _y, text in drawn} == {"gamma"}
        view.clear_search()
        await pilot.pause()
        assert styled(view, "transcript-view--match") == []
        assert view.search("no such words").total == 0


async def test_find_bar_typing_fuzzy_fallback_and_close():
    app = ReaderApp(paragraphs())
    async with app.run_test(size=(100, 24)) as pilot:
        view = app.query_one(TranscriptView)
        bar = app.query_one(FindBar)
        assert not bar.display or not bar.is_open
        await pilot.press("slash")
        assert bar.is_open and bar.input.has_focus
        await pilot.pause()
        # Shown on its own row, above the footer and below the pane.
        assert bar.region.height == 1 and not bar.region.overlaps(app.query_one(Footer).region)
        assert not bar.region.overlaps(view.region)
        await pilot.press(*"sutskever")
        await pilot.pause()
        status = app.statuses[-1]
        assert status.fuzzy and status.total == 1 and status.query == "sutskever"
        # A close match is offered (counted, highlighted where it is), not gone to.
        assert view.cursor == 0 and status.current == 0
        label = str(bar.query_one("#find-status").render())
        assert label == '≈ 1 close match for "sutskever" · n: go'
        await pilot.press("down")  # stepping goes to it
        assert view.cursor == 40
        label = str(bar.query_one("#find-status").render())
        assert label == '≈ 1 close match for "sutskever" · 1/1'
        assert [text for _y, text in styled(view, "transcript-view--match-current")] == ["suitskiver"]
        # Exact search: the arrow keys step while typing.
        await pilot.press(*["backspace"] * 9, *"p1")
        await pilot.pause()
        assert app.statuses[-1].total == 11 and not app.statuses[-1].fuzzy
        assert str(bar.query_one("#find-status").render()) == f"{app.statuses[-1].current}/11"
        before = app.statuses[-1].current
        await pilot.press("down")
        assert app.statuses[-1].current == before % 11 + 1
        await pilot.press("up")
        assert app.statuses[-1].current == before
        await pilot.press(*"zzzz")
        await pilot.pause()
        assert str(bar.query_one("#find-status").render()) == "no matches"
        at = view.cursor
        await pilot.press("escape")
        assert not bar.is_open and view.has_focus and view.cursor == at


async def test_marks_drawn_before_the_time():
    segs = paragraphs(5)
    segs[2].estimated = True
    segs[3].start = None
    app = ReaderApp(segs)
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.query_one(TranscriptView)
        view.set_marks({1: "★", 2: "✎"})
        await pilot.pause()
        firsts = {int(line.split("P")[1].split()[0]): line for line in lines(view) if " P" in line}
        assert firsts[0].startswith("  00:00:00 P0 ")
        assert firsts[1].startswith("★ 00:00:10 P1 ")
        assert firsts[2].startswith("✎≈00:00:20 P2 ")
        assert firsts[3].startswith(" " * GUTTER_WIDTH + "P3 ")
        view.set_marks({})
        await pilot.pause()
        assert not any(line.startswith("★") for line in lines(view))


async def test_untrusted_markup_and_controls_render_literally():
    hostile = "[bold red]x[/] and [link=https://evil.example]click[/link] \x1b[31mred\x07 done"
    app = ReaderApp([Segment(start=0.0, end=5.0, text=hostile)])
    async with app.run_test(size=(100, 10)) as pilot:
        view = app.query_one(TranscriptView)
        await pilot.pause()
        strip = view.render_line(0)
        text = strip.text
        assert "[bold red]x[/] and [link=https://evil.example]click[/link]" in text
        assert "\x1b" not in text and "\x07" not in text
        assert "\ufffd[31mred\ufffd done" in text
        assert all(seg.style is None or (not seg.style.link and not seg.style.bold) for seg in strip)


async def test_wide_characters_align_and_wrap_index_rebuilt_on_resize():
    chinese = "核心技术：大型语言模型，通过训练神经网络预测文本中的下一个词来实现理解和生成文本。" * 3
    segs = [Segment(start=0.0, end=5.0, text=chinese), *paragraphs(20)[1:]]
    app = ReaderApp(segs)
    async with app.run_test(size=(60, 24)) as pilot:
        view = app.query_one(TranscriptView)
        await pilot.pause()
        width = view.scrollable_content_region.width
        rows = []
        for y in range(view.scrollable_content_region.height):
            strip = view.render_line(y)
            assert strip.cell_length == width
            if "P1 " in strip.text:
                break
            rows.append(strip.text)
        chinese_rows = [r for r in rows if r.strip()]
        assert len(chinese_rows) > 3
        for row in chinese_rows:
            assert cell_len(row) == width
            # Text starts right after the gutter on every row, and fits the pane.
            assert cell_len(row[: len(row) - len(row[GUTTER_WIDTH:])]) == GUTTER_WIDTH
            assert cell_len(row[GUTTER_WIDTH:].rstrip()) <= width - GUTTER_WIDTH
        assert "".join(r[GUTTER_WIDTH:].strip() for r in chinese_rows) == chinese
        narrow_rows = view.virtual_size.height
        view.jump_to_segment(10)
        await pilot.resize_terminal(120, 24)
        await pilot.pause()
        assert view.virtual_size.height < narrow_rows
        assert view.scrollable_content_region.width > width
        assert view.render_line(0).cell_length == view.scrollable_content_region.width
        assert any("P10 " in line for line in lines(view))  # the same paragraph stays in view
        assert view.cursor == 10


async def test_bullets_code_and_empty_message():
    segs = [
        Segment(start=None, end=None, text="Outline", kind="text"),
        Segment(start=None, end=None, text="top level point", kind="bullet", level=0),
        Segment(start=None, end=None, text="nested point", kind="bullet", level=1),
        Segment(start=None, end=None, text="graph TD\n    A --> B", kind="code"),
        Segment(start=None, end=None, text="quoted words", kind="quote"),
    ]
    app = ReaderApp(segs)
    async with app.run_test(size=(80, 12)) as pilot:
        view = app.query_one(TranscriptView)
        await pilot.pause()
        text = [line[GUTTER_WIDTH:].rstrip() for line in lines(view)]
        assert "• top level point" in text
        assert "  • nested point" in text
        assert "graph TD" in text and "    A --> B" in text  # indentation kept
        assert "│ quoted words" in text
        view.show([], empty_message="This talk has no transcript.")
        await pilot.pause()
        assert view.render_line(0).text.startswith("This talk has no transcript.")
        assert view.selected_segments() == []
        assert view.search("x").total == 0


# -- the wrapping behind the wrap index ------------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from widgets.transcript_view import fold_spans, wrap_spans  # noqa: E402

_ALPHABET = st.sampled_from(list("abc xyz  \n") + ["中", "文", "，", "é", "\u0301", "😀"])


@settings(max_examples=300, deadline=None)
@given(text=st.text(_ALPHABET, max_size=200), width=st.integers(min_value=2, max_value=40))
def test_wrap_spans_fit_and_keep_every_word(text, width):
    spans = wrap_spans(text, width)
    assert spans == sorted(spans)
    kept = []
    for start, end in spans:
        line = text[start:end]
        assert "\n" not in line
        assert cell_len(line.rstrip()) <= width
        kept.append(line)
    # Nothing but whitespace is lost, and nothing is shown twice.
    assert "".join("".join(kept).split()) == "".join(text.split())


def test_wrap_spans_ascii_and_wide_agree_on_plain_text():
    text = "the quick brown fox jumps over the lazy dog " * 5
    ascii_spans = wrap_spans(text, 17)
    # Same breaks on both paths (the last line differs: it gains the "é").
    assert ascii_spans[:-1] == wrap_spans(text + "é", 17)[: len(ascii_spans) - 1]
    assert all(e - s <= 17 for s, e in wrap_spans("x" * 50, 17))


def test_fold_spans_keep_code_lines_and_indentation():
    code = "graph TD\n    A[Start] --> B{Is it?}\n\n    B -->|Yes| C[OK]"
    spans = fold_spans(code, 12)
    lines = [code[s:e] for s, e in spans]
    assert lines[0] == "graph TD" and lines[1] == "    A[Start]" and "" in lines
    assert "".join(lines) == code.replace("\n", "")


async def test_selected_words_alone_are_lit_and_a_paragraph_selection_lights_its_lines():
    app = ReaderApp(paragraphs())
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.query_one(TranscriptView)
        await pilot.press("j", "v", "j")
        await pilot.pause()
        whole = "".join(text for _y, text in styled(view, "transcript-view--selection"))
        assert view.segments[1].text[:20] in whole  # the paragraph's lines (the cursor's draw as the cursor)
        await pilot.press("escape", "k", "v", "l", "l")  # words now: the first three of paragraph 1
        await pilot.pause()
        lit = [text for _y, text in styled(view, "transcript-view--selection")]
        assert "".join(lit) == view.selected_text() == " ".join(view.segments[1].text.split()[:3])
        await pilot.press("escape")
        await pilot.pause()
        assert styled(view, "transcript-view--selection") == [] and view.selection is None


async def test_a_flash_shows_on_the_cursor_paragraph_then_goes():
    """A jump from the summary lands the cursor on a paragraph and lights it: the light must show over the cursor."""
    app = ReaderApp(paragraphs(10))
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.query_one(TranscriptView)
        view.jump_to_time(30.0)
        view.flash(seconds=1.5)  # long enough that a slow first pause (a loaded machine) still sees it
        await pilot.pause()
        flash_bg = view.get_component_rich_style("transcript-view--flash").bgcolor
        cursor_bg = view.get_component_rich_style("transcript-view--cursor").bgcolor
        assert flash_bg != cursor_bg
        lit = [y for y in range(20) if any(s.style and s.style.bgcolor == flash_bg for s in view.render_line(y))]
        assert lit
        assert "P3 " in view.render_line(lit[0]).text
        await pilot.pause(1.8)
        assert not [y for y in range(20) if any(s.style and s.style.bgcolor == flash_bg for s in view.render_line(y))]
