"""The list screen's cheap first widgets: the filter's placeholder and the one-line title bar.

Both stand in for costlier widgets at the first paint; these tests hold them to
looking the same cell for cell and to behaving as the real filter does the
moment it is wanted (a key, `/`, a click, the palette)."""

from __future__ import annotations

import pytest
from rich.text import Text
from textual import events
from textual.app import App, ComposeResult
from textual.containers import Horizontal
from textual.widgets import Input, Static

from app_talks import library
from tui.app import TalkshelfApp
from tui.config import Config
from widgets.input_placeholder import InputPlaceholder
from widgets.talk_list import TalkList
from widgets.talk_list_screen import TalkListScreen
from widgets.title_bar import TitleBar

SIZE = (120, 30)


def cells(app: App, y: int) -> list[tuple[str, object]]:
    """Row y of the screen as (character, style) per cell."""
    strip = app.screen._compositor.render_strips()[y]
    # Without the offsets Textual keeps for text selection: only what is drawn.
    return [(ch, seg.style.clear_meta_and_links() if seg.style else seg.style) for seg in strip for ch in seg.text]


class Pair(App):
    """A real widget and its stand-in, one above the other, in the same theme."""

    AUTO_FOCUS = None  # both unfocused: the placeholder stands for an input not in use
    CSS = "Horizontal { height: 1; background: $panel; } #title { width: 1fr; padding: 0 1; background: $panel; color: $text; text-style: bold; } #aside { width: auto; padding: 0 1; background: $panel; color: $text-muted; }"

    def __init__(self, theme: str, title: str | Text, aside: str, aside_min_width: int) -> None:
        super().__init__()
        self.theme = theme
        self.title_text, self.aside, self.aside_min_width = title, aside, aside_min_width

    def compose(self) -> ComposeResult:
        yield Input(placeholder="Filter talks by title or channel  ( / )")
        yield InputPlaceholder("Filter talks by title or channel  ( / )", Input)
        with Horizontal():
            yield Static(self.title_text, id="title", markup=False)
            yield Static(self.aside, id="aside", markup=False)
        yield TitleBar(self.title_text, self.aside, aside_min_width=self.aside_min_width)

    def on_mount(self) -> None:
        self.query_one("#aside").display = self.size.width >= self.aside_min_width


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light", "ansi-dark", "gruvbox"])
@pytest.mark.parametrize("width", [120, 70, 40])
async def test_the_stand_ins_draw_the_cells_of_what_they_stand_for(theme, width):
    title = Text("talkshelf · 5 talks · tui/sample", no_wrap=True, overflow="ellipsis")
    app = Pair(theme, title, "T transcript · S summaries · N notes", 100)
    async with app.run_test(size=(width, 12)) as pilot:
        await pilot.pause()
        for y in range(3):  # the input's three rows (its tall border, the placeholder line)
            assert cells(app, 3 + y) == cells(app, y)
        assert cells(app, 7) == cells(app, 6)


async def test_the_title_bar_cuts_a_long_title_with_an_ellipsis_and_keeps_the_aside():
    # (A Static cuts it without the ellipsis its Text asks for.)
    app = Pair("textual-dark", "x" * 200, "aside", 0)
    async with app.run_test(size=(60, 12)) as pilot:
        await pilot.pause()
        row = "".join(ch for ch, _ in cells(app, 7))
        assert row == " " + "x" * 50 + "…" + " " + " aside "


def make_app() -> TalkshelfApp:
    return TalkshelfApp(library(), config=Config())


async def test_the_list_opens_without_the_filter_box_and_slash_puts_it_in_place():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, TalkListScreen)
        assert not screen.query(Input) and screen.query(InputPlaceholder)
        await pilot.press("slash")
        await pilot.pause()
        box = screen.query_one("#filter", Input)
        assert app.focused is box and not screen.query(InputPlaceholder)
        await pilot.press(*"lecture")
        await pilot.pause()
        assert box.value == "lecture"
        assert [screen.talk_list.talks[i].id for i in screen.talk_list.rows] == ["lecture-three"]


async def test_clicking_the_placeholder_focuses_the_filter():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.click(InputPlaceholder)
        await pilot.pause()
        assert isinstance(app.focused, Input) and app.focused.id == "filter"


async def test_the_palette_command_focuses_the_filter():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await app.screen.palette_commands()[0][2]()
        await pilot.pause()
        assert isinstance(app.focused, Input) and app.focused.id == "filter"


async def test_escape_before_the_filter_was_ever_used_leaves_the_list_focused():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.focused, TalkList) and app.is_running
        assert not app.screen.query(Input)


async def test_a_burst_that_starts_the_filter_keeps_every_letter_in_order():
    """The first letter mounts the box; the letters behind it, queued meanwhile, land after it."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        word = "sourdough starter"
        for ch in word:  # posted before any is handled
            app.post_message(events.Key("space" if ch == " " else ch, ch))
        await pilot.pause()
        await pilot.pause()
        assert app.screen.query_one("#filter", Input).value == word
