"""The one-line footer of keys: what it shows, and the mouse on it."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from widgets.footer import Footer


class KeysApp(App):
    BINDINGS = [
        Binding("a", "add", "Add"),
        Binding("b", "bye", "Bye"),  # disabled by check_action
        Binding("c", "add", "Also add"),  # a second key of a shown action: not shown again
        Binding("d", "hidden", "Hidden", show=False),
        Binding("e", "extra", "A long description of an extra key"),
    ]

    def __init__(self, compact: bool = True) -> None:
        super().__init__()
        self.compact = compact
        self.done: list[str] = []

    def compose(self) -> ComposeResult:
        yield Static("body")
        yield Footer(compact=self.compact)

    def check_action(self, action: str, parameters) -> bool | None:  # noqa: ANN001
        return None if action == "bye" else True

    def action_add(self) -> None:
        self.done.append("add")

    def action_extra(self) -> None:
        self.done.append("extra")


def line(app: App) -> str:
    return "".join(segment.text for segment in app.screen._compositor.render_strips()[-1])


async def test_the_footer_shows_each_shown_action_once_and_the_palette_key_on_the_right():
    app = KeysApp()
    async with app.run_test(size=(100, 5)) as pilot:
        await pilot.pause()
        footer = app.query_one(Footer)
        assert [(i.display, i.description, i.enabled) for i in footer.items] == [
            ("a", "Add", True),
            ("b", "Bye", False),
            ("e", "A long description of an extra key", True),
            ("^p", "palette", True),
        ]
        shown = line(app)
        assert shown.startswith("a Add b Bye e A long description of an extra key ")
        assert shown.rstrip().endswith("▏^p palette") and len(shown) == 100


async def test_the_wide_footer_pads_keys_as_textuals_does():
    app = KeysApp(compact=False)
    async with app.run_test(size=(100, 5)) as pilot:
        await pilot.pause()
        assert line(app).startswith(" a Add  b Bye  e A long")


async def test_clicking_a_key_presses_it_and_a_disabled_one_rings():
    app = KeysApp()
    rang = []
    app.bell = lambda: rang.append(True)
    async with app.run_test(size=(100, 5)) as pilot:
        await pilot.pause()
        await pilot.click(Footer, offset=(2, 0))  # "Add"
        await pilot.pause()
        assert app.done == ["add"]
        await pilot.click(Footer, offset=(7, 0))  # "Bye", disabled
        await pilot.pause()
        assert rang and app.done == ["add"]
        await pilot.click(Footer, offset=(40, 0))  # the long one
        await pilot.pause()
        assert app.done == ["add", "extra"]
        await pilot.click(Footer, offset=(60, 0))  # past every key: nothing
        await pilot.pause()
        assert app.done == ["add", "extra"]


async def test_the_key_under_the_pointer_is_highlighted():
    app = KeysApp()
    async with app.run_test(size=(100, 5)) as pilot:
        await pilot.pause()
        footer = app.query_one(Footer)
        plain = footer.render_line(0)
        await pilot.hover(Footer, offset=(2, 0))
        await pilot.pause()
        assert footer._hover == 0
        lit = footer.render_line(0)
        assert lit.text == plain.text
        assert [s.style for s in lit][0] != [s.style for s in plain][0]
        await pilot.hover(Static)
        await pilot.pause()
        assert footer._hover is None


async def test_keys_that_do_not_fit_are_cut_before_the_palette_and_scroll_into_view():
    app = KeysApp()
    async with app.run_test(size=(40, 5)) as pilot:
        await pilot.pause()
        shown = line(app)
        assert len(shown) == 40 and shown.rstrip().endswith("▏^p palette")
        assert shown.startswith("a Add b Bye e A long") and "extra key" not in shown
        footer = app.query_one(Footer)
        await pilot.hover(Footer, offset=(5, 0))
        for _ in range(10):
            footer.post_message(_scroll_down(footer))
        await pilot.pause()
        shown = line(app)
        assert "extra key" in shown and shown.rstrip().endswith("▏^p palette")
        # A click lands on what is shown there now.
        at = shown.index("extra key")
        await pilot.click(Footer, offset=(at, 0))
        await pilot.pause()
        assert app.done == ["extra"]


def _scroll_down(widget):  # noqa: ANN001, ANN202
    from textual.events import MouseScrollDown

    return MouseScrollDown(widget, 1, 0, 0, 1, 0, False, False, False, screen_x=1, screen_y=4)
