"""A screen's top line as one widget: a title on the left, an aside on the right.

It was a container of two `Static`s; every widget on a first screen is styled,
laid out and drawn before the first paint (three widgets for one line cost
some 9 ms of the list's first paint, one 3 ms). This draws the same cells: the
title bold and cut with an ellipsis where the line is short, the aside
(muted) after it, each with a cell of padding either side, the aside left out
when the line is narrower than `aside_min_width`.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.strip import Strip
from textual.widget import Widget


class TitleBar(Widget):
    """One line: `title` (str or Rich Text, never markup) and `aside` on the right."""

    COMPONENT_CLASSES = {"title-bar--title", "title-bar--aside"}
    DEFAULT_CSS = """
    TitleBar {
        height: 1;
        background: $panel;
        color: $text;
        & > .title-bar--title { text-style: bold; }
        & > .title-bar--aside { color: $text-muted; }
    }
    """

    def __init__(self, title: str | Text = "", aside: str = "", *, aside_min_width: int = 0, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self._title = title
        self._aside = aside
        self.aside_min_width = aside_min_width

    @property
    def title(self) -> str:
        """The title as plain text."""
        return self._title.plain if isinstance(self._title, Text) else self._title

    @property
    def aside(self) -> str:
        return self._aside

    def update(self, title: str | Text) -> None:
        self._title = title
        self.refresh()

    def update_aside(self, aside: str) -> None:
        self._aside = aside
        self.refresh()

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        if y or width <= 0:
            return Strip.blank(width, self.rich_style)
        base = self.rich_style
        pad = Style(bgcolor=base.bgcolor)  # padding and the fill after the title: the background only
        aside = self._aside if self._aside and width >= self.aside_min_width else ""
        aside_cells = cell_len(aside) + 2 if aside else 0
        room = max(0, width - aside_cells - 2)  # for the title, between its padding
        title = Text(self._title, end="") if isinstance(self._title, str) else self._title.copy()
        title.no_wrap, title.end = True, ""
        title.truncate(room, overflow="ellipsis")
        style = base + self.get_component_rich_style("title-bar--title")
        segments = [Segment(" ", pad)]
        segments += [Segment(seg.text, style + seg.style if seg.style else style) for seg in title.render(self.app.console)]
        if room > title.cell_len:
            segments.append(Segment(" " * (room - title.cell_len), pad))
        segments.append(Segment(" ", pad))
        if aside:
            segments += [Segment(" ", pad), Segment(aside, base + self.get_component_rich_style("title-bar--aside")), Segment(" ", pad)]
        return Strip(segments).crop(0, width).extend_cell_length(width, pad)
