"""An input box drawn as its placeholder until it is first used.

Textual's `Input` is among the costliest widgets to put on a first screen: it
is styled again with its four component classes each time the screen's
styles change as it opens, some 15 ms of the list screen's first paint
(measured: the same screen with the filter box 1.76x a bare app, without it
1.37x). Most starts never filter. So the list screen shows this placeholder,
a single line drawn exactly as an empty, unfocused `Input` (the same
look, the same theme variables), and mounts the real one in its place the
first time a key, a click or the palette asks for the filter.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual import events
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input


class InputPlaceholder(Widget):
    """Looks like an empty `Input` with `placeholder`; `make()` builds the real one."""

    COMPONENT_CLASSES = {"input-placeholder--text"}
    # Input's own look (its DEFAULT_CSS), unfocused and valid.
    DEFAULT_CSS = """
    InputPlaceholder {
        background: $surface;
        color: $foreground;
        padding: 0 2;
        border: tall $border-blurred;
        width: 100%;
        height: 3;
        pointer: text;
        & > .input-placeholder--text { color: $text-disabled; }
        &:ansi {
            background: ansi_default;
            color: ansi_default;
            & > .input-placeholder--text { text-style: dim; color: ansi_default; }
        }
    }
    """

    class Wanted(Message):
        """The placeholder was clicked: its screen puts the real input in its place."""

    def __init__(self, placeholder: str, make: Callable[[], Input], *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.placeholder = placeholder
        self._make = make
        self._input: Input | None = None
        self._mounted = None  # the AwaitMount of the real input, once started

    def render(self) -> Text:
        # Padded in the widget's own style, as Input pads its line (the same cells, colours included).
        # Cut, not ellipsised, where the box is narrow, as Input cuts its placeholder.
        text = Text(self.placeholder, style=self.rich_style, no_wrap=True, overflow="crop", end="")
        text.stylize(self.get_component_rich_style("input-placeholder--text"))
        text.truncate(self.content_size.width, overflow="crop", pad=True)
        return text

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self.post_message(self.Wanted())

    @property
    def made(self) -> Input | None:
        """The real input, once asked for (it may still be mounting)."""
        return self._input

    async def real_input(self) -> Input:
        """The real input, mounted where this placeholder was (which goes away)."""
        if self._input is None:
            # Made and placed at once, so a second caller waits on the same mount.
            self._input = self._make()
            self.display = False  # in the same frame as the input appears: no line drawn twice
            self._mounted = self.parent.mount(self._input, before=self)
            await self._mounted
            await self.remove()
        elif self._mounted is not None:
            await self._mounted
        return self._input
