"""The summary pane: a talk's summaries as written, with every stamp a link to its moment.

It is the transcript pane's Line API view (wrap index, strip cache, cursor,
selection, marks, search) over the blocks of `tui.summary_layout`: separators
naming each summary, headings, paragraphs, nested bullets, code and quotes.
On top of that it has a second cursor inside a paragraph, on its stamps:

- up/down move by block, left/right (h/l) from stamp to stamp, Enter follows;
- every move posts `Moved` with the moment the user now reads (a stamp's
  second, else the block's), so the screen can scroll the transcript there;
- `show_moment(seconds)` does the reverse without posting anything: it puts
  the cursor on the block covering that moment (the last time at or before
  it) in the summary being read, so following the transcript never echoes.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.segment import Segment as RichSegment
from rich.style import Style
from textual.binding import Binding
from textual.message import Message
from textual.strip import Strip

from tui.model import Segment, format_time
from tui.summary_layout import Block, Moments

from .transcript_view import _MIN_TEXT_WIDTH, Row, TranscriptView, _indent, _lead

# mark (1 cell) + one space
GUTTER_WIDTH = 2


def _pane_segment(block: Block) -> Segment:
    """What the underlying view lays out for a block: its text, kind and level."""
    kind = block.kind if block.kind in ("bullet", "code", "quote") else "text"
    return Segment(block.seconds, None, block.text, kind=kind, level=block.level)


class SummaryView(TranscriptView):
    """Blocks of a talk's summaries, a block cursor and a stamp cursor inside it."""

    WORDS = False  # a selection here is whole blocks (h/l move between stamps)
    HELP_HIDDEN = ("word_forward", "word_back", "sentence_forward", "sentence_back")  # off with WORDS

    BINDINGS = [
        Binding("left,h", "previous_stamp", "Previous stamp", show=False, id="summary.previous_stamp"),
        Binding("right,l", "next_stamp", "Next stamp", show=False, id="summary.next_stamp"),
        Binding("enter", "follow", "Follow", show=False, id="summary.follow"),
        Binding("right_square_bracket", "next_summary", "Next summary", show=False, id="summary.next"),
        Binding("left_square_bracket", "previous_summary", "Previous summary", show=False, id="summary.previous"),
        Binding("v", "toggle_selection", "Select", show=False, id="summary.select"),
    ]

    COMPONENT_CLASSES = {
        "summary-view--heading",
        "summary-view--separator",
        "summary-view--link",
        "summary-view--link-current",
        "summary-view--untimed",
    }

    DEFAULT_CSS = """
    SummaryView {
        & > .summary-view--heading { color: $accent; text-style: bold; }
        & > .summary-view--separator { color: $text-muted; text-style: bold; }
        & > .summary-view--link { color: $text-primary; text-style: underline; }
        & > .summary-view--link-current { background: $primary; color: $text; text-style: bold; }
        & > .summary-view--untimed { color: $text-muted; }
    }
    """

    class Moved(Message):
        """The user moved to a block or a stamp (`chosen` on Enter): the moment they now read."""

        def __init__(self, view: SummaryView, index: int, block: Block, seconds: float | None, chosen: bool) -> None:
            super().__init__()
            self.view = view
            self.index = index
            self.block = block
            self.seconds = seconds
            self.chosen = chosen

        @property
        def control(self) -> SummaryView:
            return self.view

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, SummaryView.Moved) and message.view is self.view and not message.chosen

    def __init__(self, *, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._blocks: list[Block] = []
        self._moments = Moments([])
        self._link = -1  # the stamp under the cursor in the cursor's block, -1 for the block itself
        self._quiet = False  # set while show_moment moves the cursor: nothing is posted
        self._summaries: list[int] = []  # the first block of each summary

    # -- content -----------------------------------------------------------

    def show_blocks(self, blocks: list[Block], *, empty_message: str = "") -> None:
        """Replace the content with `blocks` (see tui.summary_layout.summary_blocks)."""
        self._blocks = list(blocks)
        self._moments = Moments(self._blocks)
        self._summaries = []
        for i, block in enumerate(self._blocks):
            if not self._summaries or block.summary != self._blocks[self._summaries[-1]].summary:
                self._summaries.append(i)
        self._link = -1
        self._quiet = True
        try:
            self.show([_pane_segment(b) for b in self._blocks], empty_message=empty_message)
        finally:
            self._quiet = False
        # The first block worth reading: a separator or heading leads nowhere by itself.
        self.set_reactive(TranscriptView.cursor, self._readable(0))

    def update_blocks(self, blocks: list[Block]) -> None:
        """The same blocks with new times (placements found later): cursor and scroll stay."""
        if len(blocks) != len(self._blocks):
            self.show_blocks(blocks)
            return
        self._blocks = list(blocks)
        self._moments = Moments(self._blocks)
        for segment, block in zip(self.segments, self._blocks):
            segment.start = block.seconds
        self._strips.clear()
        self.refresh()

    @property
    def blocks(self) -> list[Block]:
        return self._blocks

    @property
    def block(self) -> Block | None:
        return self._blocks[self.cursor] if 0 <= self.cursor < len(self._blocks) else None

    @property
    def stamp(self) -> int:
        """The stamp under the cursor within its block (-1: the block itself)."""
        return self._link

    @property
    def reading(self) -> int:
        """The summary the cursor is in (index among the talk's summaries), -1 when empty."""
        block = self.block
        return block.summary if block is not None else -1

    @property
    def moment(self) -> float | None:
        """The second the cursor points at: its stamp's, else its block's."""
        block = self.block
        if block is None:
            return None
        if 0 <= self._link < len(block.links):
            return block.links[self._link].seconds
        return block.seconds

    def _readable(self, index: int, direction: int = 1) -> int:
        """`index`, or the next block in `direction` that is not a separator."""
        n = len(self._blocks)
        i = index
        while 0 <= i < n and self._blocks[i].kind == "separator":
            i += direction
        return i if 0 <= i < n else max(0, min(index, n - 1))

    # -- moving --------------------------------------------------------------

    def watch_cursor(self, old: int, new: int) -> None:
        if new != old and not self._quiet:
            self._link = -1
        super().watch_cursor(old, new)

    def _post_cursor(self) -> None:
        self._post(chosen=False)

    def _post(self, *, chosen: bool) -> None:
        block = self.block
        if block is not None and not self._quiet:
            self.post_message(self.Moved(self, self.cursor, block, self.moment, chosen))

    def action_cursor_up(self) -> None:
        self._move(self._readable(self.cursor - 1, -1), extend=self._visual)

    def action_cursor_down(self) -> None:
        self._move(self._readable(self.cursor + 1, +1), extend=self._visual)

    def action_next_stamp(self) -> None:
        self._step_stamp(+1)

    def action_previous_stamp(self) -> None:
        self._step_stamp(-1)

    def _step_stamp(self, direction: int) -> None:
        """To the next (previous) stamp, on into the next (previous) block that has one."""
        block = self.block
        if block is None:
            return
        link = self._link + direction if self._link >= 0 or direction > 0 else -1
        if 0 <= link < len(block.links):
            self._link = link
            self._after_stamp_move()
            return
        i = self.cursor + direction
        while 0 <= i < len(self._blocks) and not self._blocks[i].links:
            i += direction
        if not 0 <= i < len(self._blocks):
            return
        self._move(i)
        self._link = 0 if direction > 0 else len(self._blocks[i].links) - 1
        self._after_stamp_move()

    def _after_stamp_move(self) -> None:
        self._scroll_to_stamp()
        self._post(chosen=False)
        self.refresh()

    def _scroll_to_stamp(self) -> None:
        block = self.block
        if block is None or not 0 <= self._link < len(block.links) or not self._layout_width:
            return
        start = block.links[self._link].start
        first, after = self._first_row[self.cursor], self._first_row[self.cursor + 1]
        for row in range(first, after):
            r = self._rows[row]
            if r.line >= 0 and r.start <= start < max(r.end, r.start + 1):
                self._scroll_to_row(row)
                return

    def action_follow(self) -> None:
        """Enter: follow the stamp (or the block) into the transcript."""
        self._post(chosen=True)

    def action_next_summary(self) -> None:
        self._to_summary(+1)

    def action_previous_summary(self) -> None:
        self._to_summary(-1)

    def _to_summary(self, direction: int) -> None:
        if len(self._summaries) < 2:
            return
        current = self.reading
        target = (current + direction) % len(self._summaries)
        self.go_to_summary(target)

    def jump_to_block(self, index: int, *, stamp: int = -1) -> None:
        """Cursor to block `index` (and its stamp `stamp`), scrolled near the top; posts Moved."""
        self.jump_to_segment(index)
        if stamp >= 0 and self.block is not None and stamp < len(self.block.links):
            self._link = stamp
            self._after_stamp_move()

    def go_to_summary(self, summary: int) -> None:
        """Cursor to the first block of summary `summary`."""
        if 0 <= summary < len(self._summaries):
            first = self._summaries[summary]
            self.jump_to_segment(self._readable(first))
            if self._layout_width and self._blocks[first].kind == "separator":
                self._scroll_to_row(self._first_row[first], top=True)  # its name in view

    def show_moment(self, seconds: float | None, summary: int | None = None) -> int | None:
        """Put the cursor on the block covering `seconds` in `summary` (the one read by default),
        on its stamp for that second, scrolled into view; posts nothing. Returns the block or None."""
        if seconds is None or not self._blocks:
            return None
        index = self._moments.block_at(self.reading if summary is None else summary, seconds)
        if index is None:
            return None
        self._quiet = True
        try:
            self.cursor = index
            self._link = self._blocks[index].link_at(seconds)
            if self._layout_width:
                self._scroll_to_segment(index)
                self._scroll_to_stamp()
        finally:
            self._quiet = False
        self.refresh()
        return index

    # -- drawing -------------------------------------------------------------

    @property
    def _text_width(self) -> int:
        return max(_MIN_TEXT_WIDTH, self._width - GUTTER_WIDTH)

    def render_line(self, y: int) -> Strip:
        if isinstance(found := self._row_on_screen(y), Strip):
            return found
        row_number, row = found
        width, base = self._width, self._base
        index = row.segment
        selection = self.selection
        selected = selection is not None and selection[0] <= index <= selection[1]
        is_cursor = index == self.cursor
        matches = self._matches
        current = -1
        if matches and row.line >= 0 and self._current_match >= 0 and matches.segment_of(self._current_match) == index:
            current = self._current_match
        key = (
            "summary",
            self._layout_generation,
            self._style_generation,
            row_number,
            is_cursor,
            selected,
            self._link if is_cursor else -1,
            self._marks.get(index) if row.line == 0 else None,
            self._search_generation if matches and row.line >= 0 else None,
            current,
        )
        strip = self._strips.get(key)
        if strip is None:
            strip = self._draw_block(row, width, base, is_cursor, selected, current).apply_offsets(0, row_number)
            self._strips[key] = strip
        return strip

    def _draw_block(self, row: Row, width: int, base: Style, is_cursor: bool, selected: bool, current: int) -> Strip:
        block = self._blocks[row.segment]
        line_style = base
        if selected:
            line_style = line_style + self.get_component_rich_style("transcript-view--selection")
        if is_cursor and block.kind != "separator":
            line_style = line_style + self.get_component_rich_style("transcript-view--cursor")
        if row.line < 0:
            return Strip.blank(width, base)
        text = self._texts[row.segment]
        if block.kind == "separator":
            style = self._over(base, "summary-view--separator")
            label = f"── {text[row.start:row.end]} "
            fill = max(0, width - cell_len(label))
            return Strip([RichSegment(label, style), RichSegment("─" * fill, style)]).crop_extend(0, width, base)
        parts: list[RichSegment] = []
        mark = self._marks.get(row.segment, " ") if row.line == 0 else " "
        mark = mark if len(mark) == 1 else " "
        parts.append(RichSegment(mark + " ", self._over(line_style, "transcript-view--mark")))
        segment = self._segments[row.segment]
        indent = _indent(segment)
        if indent:
            parts.append(RichSegment(" " * (indent - 2) + _lead(segment, text, row.line), line_style))
        text_style = line_style
        if block.kind == "heading":
            text_style = self._over(line_style, "summary-view--heading")
        elif block.kind == "code":
            text_style = self._over(line_style, "transcript-view--code")
        parts.extend(self._styled(text, row, text_style, is_cursor, current))
        return Strip(parts).crop_extend(0, width, line_style)

    def _styled(self, text: str, row: Row, style: Style, is_cursor: bool, current: int) -> list[RichSegment]:
        """The row's characters, stamps drawn as links and search matches over them."""
        start, end = row.start, row.end
        block = self._blocks[row.segment]
        # (from, to, component) pieces that restyle part of the row; later ones win.
        marks: list[tuple[int, int, str]] = []
        for i, link in enumerate(block.links):
            if link.end > start and link.start < end:
                name = "summary-view--link-current" if is_cursor and i == self._link else "summary-view--link"
                marks.append((max(link.start, start), min(link.end, end), name))
        if self._matches:
            for number, m_start, m_end in self._matches.in_segment(row.segment):
                if m_end > start and m_start < end:
                    name = "transcript-view--match-current" if number == current else "transcript-view--match"
                    marks.append((max(m_start, start), min(m_end, end), name))
        if not marks:
            return [RichSegment(text[start:end], style)]
        cuts = sorted({start, end, *(a for a, _, _ in marks), *(b for _, b, _ in marks)})
        out: list[RichSegment] = []
        for a, b in zip(cuts, cuts[1:]):
            piece_style = style
            for m_start, m_end, name in marks:
                if m_start <= a and b <= m_end:
                    piece_style = piece_style + self.get_component_rich_style(name)
            out.append(RichSegment(text[a:b], piece_style))
        return out

    # -- for the screen ------------------------------------------------------

    def moment_label(self) -> str:
        """`00:12:34` for the cursor's moment, `no time` when it has none."""
        moment = self.moment
        return format_time(moment) if moment is not None else "no time"
