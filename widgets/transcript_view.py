"""The transcript pane: every paragraph of a talk with its time, a cursor and search.

A talk of three hours has thousands of paragraphs, so nothing here is a widget
per paragraph. The view is a `ScrollView` drawn line by line through
`render_line` (Textual's Line API):

- a wrap index maps each visual row to (paragraph, line within it) and the
  character span that line shows; it is rebuilt only when the width or the
  content changes;
- finished `Strip`s are kept in an LRU cache keyed by everything that changes
  a line's look (layout, paragraph, line, cursor, selection, search, mark,
  the paragraph being played), and
  the cache is dropped when the theme or CSS changes.

Text from files is untrusted: lines become Rich segments built from plain
strings, never parsed as markup.

A selection is whole paragraphs (`v`, then j/k, shift+up/down) or a run of
words: in `v` mode h/l (or the arrows) move its end a word at a time and
`(` / `)` a sentence, and a mouse drag selects from the word pressed to the
word released. Not w/b/e as in vim: on the talk screen `w` cycles the panes
and `b` bookmarks, and the same key doing two things by mode is a trap.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_right
from functools import lru_cache
from itertools import chain, repeat
from typing import Iterable, NamedTuple

from rich.cells import cell_len, get_character_cell_size
from rich.segment import Segment as RichSegment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.timer import Timer
from textual.worker import get_current_worker

from tui.model import Segment, format_time
from tui.talk_search import Matches, SearchStatus, TalkSearch
from tui.timeline import landing
from widgets.frame_gate import FrameGates, one_at_a_time, wait_for_frame
from widgets.thread_work import forgets_its_worker

# mark (1 cell) + time right-aligned in 9 cells ("≈00:12:34") + one space
GUTTER_WIDTH = 11
_TIME_WIDTH = 9
# Never wrap text narrower than this, even in a very thin pane.
_MIN_TEXT_WIDTH = 8
# From this many paragraphs on, a layout is wrapped in two steps: at once the paragraphs
# down to a screen past the one shown first, the rest after the next frame (or as soon
# as anything asks for a row beyond them). A 3-hour talk's 2,000 paragraphs took some
# 12 ms to wrap before its first frame, which shows about 15 of them.
LAZY_FROM = 300
# Control characters would reach the terminal; each becomes one visible
# replacement character so offsets (search spans) stay valid.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_NON_SPACE = re.compile(r"\S+")
# A word that ends a sentence: its last letters are . ! ? (or … ), maybe inside quotes or brackets.
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*$")


class Row(NamedTuple):
    """One visual row: which paragraph, which of its lines, the characters it shows."""

    segment: int
    line: int  # -1 for the blank row between paragraphs
    start: int
    end: int


class Rows:
    """The wrap index: one `Row` per visual row, kept as columns of machine integers.

    A 3-hour talk has over 5,000 rows; as objects they were 5,000 allocations on
    every re-wrap and as many more for each full garbage collection to walk.
    """

    __slots__ = ("_segment", "_line", "_spans")

    def __init__(self) -> None:
        self._segment = array("i")
        self._line = array("i")
        self._spans = array("i")  # start, end of each row, interleaved

    def add(self, segment: int, spans: list[tuple[int, int]]) -> None:
        """The lines of paragraph `segment`, one per span."""
        self._segment.extend(repeat(segment, len(spans)))
        self._line.extend(range(len(spans)))
        self._spans.extend(chain.from_iterable(spans))

    def add_blank(self, segment: int) -> None:
        """The blank row after paragraph `segment`."""
        self._segment.append(segment)
        self._line.append(-1)
        self._spans.extend((0, 0))

    def __len__(self) -> int:
        return len(self._segment)

    def __getitem__(self, row: int) -> Row:
        if row < 0:
            row += len(self._segment)
        spans = self._spans
        return Row(self._segment[row], self._line[row], spans[2 * row], spans[2 * row + 1])


def display_text(segment: Segment) -> str:
    """The paragraph's text as drawn: same length as `segment.text`, nothing a terminal acts on."""
    text = segment.text.replace("\t", " ")
    if segment.kind != "code":
        text = text.replace("\r", " ")
    return _CONTROLS.sub("\ufffd", text)


@lru_cache(maxsize=64)
def _ascii_wrapper(width: int) -> re.Pattern[str]:
    # The longest run of up to `width` characters that starts a word and ends
    # before a space; a word longer than a line is folded at `width`.
    return re.compile(r"\S[^\n]{0,%d}(?=\s|$)|\S{%d}" % (width - 1, width))


def wrap_spans(text: str, width: int) -> list[tuple[int, int]]:
    """Character spans of `text` word-wrapped to `width` terminal cells.

    Newlines are hard breaks. Wide characters (CJK) count two cells, and text
    without spaces (Chinese) is folded between any two characters.
    """
    if text.isascii():
        spans = [m.span() for m in _ascii_wrapper(width).finditer(text)]
        return spans or [(0, 0)]
    spans: list[tuple[int, int]] = []
    line_start = -1
    line_end = 0
    used = 0
    for m in _NON_SPACE.finditer(text):
        start, end = m.span()
        word_cells = cell_len(m.group())
        gap = start - line_end
        if line_start >= 0 and "\n" not in text[line_end:start] and used + gap + word_cells <= width:
            used += gap + word_cells
            line_end = end
            continue
        if line_start >= 0:
            spans.append((line_start, line_end))
        if word_cells <= width:
            line_start, line_end, used = start, end, word_cells
            continue
        # Fold a word longer than the line between characters.
        line_start, used = start, 0
        for pos in range(start, end):
            cells = get_character_cell_size(text[pos])
            if used + cells > width and pos > line_start:
                spans.append((line_start, pos))
                line_start, used = pos, 0
            used += cells
        line_end = end
    if line_start >= 0:
        spans.append((line_start, line_end))
    return spans or [(0, 0)]


def fold_spans(text: str, width: int) -> list[tuple[int, int]]:
    """Preformatted text (code): each source line kept whole, folded only where too wide."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        start, used = pos, 0
        for offset, char in enumerate(line):
            cells = get_character_cell_size(char)
            if used + cells > width and pos + offset > start:
                spans.append((start, pos + offset))
                start, used = pos + offset, 0
            used += cells
        spans.append((start, pos + len(line)))
        pos += len(line) + 1
    return spans


class TranscriptView(ScrollView, can_focus=True, inherit_bindings=False):
    """Paragraphs with times, a cursor, a selection, marks and search highlights."""

    BINDINGS = [
        Binding("up,k", "cursor_up", "Up", show=False, id="transcript.up"),
        Binding("down,j", "cursor_down", "Down", show=False, id="transcript.down"),
        # less and vim: Space / ctrl+f a page on, ctrl+b back, ctrl+d / ctrl+u half a page.
        Binding("pageup,ctrl+b", "page_up", "Page up", show=False, id="transcript.page_up"),
        Binding("pagedown,space,ctrl+f", "page_down", "Page down", show=False, id="transcript.page_down"),
        Binding("ctrl+d", "half_page_down", "Half a page down", show=False, id="transcript.half_page_down"),
        Binding("ctrl+u", "half_page_up", "Half a page up", show=False, id="transcript.half_page_up"),
        Binding("home,g", "first", "First", show=False, id="transcript.first"),
        Binding("end,G", "last", "Last", show=False, id="transcript.last"),
        Binding("shift+up", "extend_up", "Select up", show=False, id="transcript.select_up"),
        Binding("shift+down", "extend_down", "Select down", show=False, id="transcript.select_down"),
        Binding("v", "toggle_selection", "Select", id="transcript.select"),
        # While selecting (v): the selection's end by words and sentences (see the module's docstring).
        Binding("l,right", "word_forward", "Selection: a word on", show=False, id="transcript.word_forward"),
        Binding("h,left", "word_back", "Selection: a word back", show=False, id="transcript.word_back"),
        Binding("right_parenthesis", "sentence_forward", "Selection: a sentence on", show=False, id="transcript.sentence_forward"),
        Binding("left_parenthesis", "sentence_back", "Selection: a sentence back", show=False, id="transcript.sentence_back"),
        Binding("escape", "clear_selection", "Clear selection", show=False, id="transcript.clear_selection"),
    ]

    COMPONENT_CLASSES = {
        "transcript-view--cursor",
        "transcript-view--selection",
        "transcript-view--time",
        "transcript-view--mark",
        "transcript-view--code",
        "transcript-view--match",
        "transcript-view--match-current",
        "transcript-view--empty",
        "transcript-view--playing",
        "transcript-view--playing-word",
        "transcript-view--flash",
    }

    DEFAULT_CSS = """
    TranscriptView {
        scrollbar-gutter: stable;
        overflow-x: hidden;
        overflow-y: auto;
        background: $surface;
        & > .transcript-view--cursor { background: $boost; }
        &:focus > .transcript-view--cursor { background: $primary 30%; }
        & > .transcript-view--selection { background: $accent 25%; }
        & > .transcript-view--time { color: $text-muted; }
        & > .transcript-view--mark { color: $warning; }
        & > .transcript-view--code { color: $text-secondary; }
        & > .transcript-view--match { background: $warning 40%; }
        & > .transcript-view--match-current { background: $warning; color: $text; text-style: bold; }
        & > .transcript-view--empty { color: $text-muted; text-style: italic; }
        & > .transcript-view--playing { color: $success; text-style: bold; }
        & > .transcript-view--playing-word { color: $success; text-style: bold underline; }
        & > .transcript-view--flash { background: $accent 40%; }
    }
    """

    cursor: reactive[int] = reactive(0, init=False)
    WORDS = True  # words can be selected (the summary pane selects whole blocks)

    class CursorMoved(Message):
        """The cursor moved to another paragraph (bursts collapse into the latest)."""

        def __init__(self, view: TranscriptView, index: int, segment: Segment) -> None:
            super().__init__()
            self.view = view
            self.index = index
            self.segment = segment

        @property
        def control(self) -> TranscriptView:
            return self.view

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, TranscriptView.CursorMoved) and message.view is self.view

    def __init__(self, *, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._segments: list[Segment] = []
        self._texts: list[str] = []
        self._starts: list[float] = []  # start times where known, for jump_to_time
        self._start_segments: list[int] = []  # the paragraph of each of those times
        self._empty_message = ""
        # The wrap index so far: the rows of the first `_wrapped` paragraphs, and the first row
        # of each of them plus one more (the row after the last). `_rows` and `_first_row`
        # give the whole index, wrapping the rest first.
        self._rows_so_far = Rows()
        self._first_row_so_far: list[int] = [0]
        self._wrapped = 0
        self._layout_width = 0
        self._wrap_width = 0  # the text's width in that index
        self._layout_generation = 0
        self._style_generation = 0
        self._strips: LRUCache[tuple, Strip] = LRUCache(2048)
        self._anchor: int | None = None  # selection anchor
        # A selection of words: (paragraph, word number) where it began and where it ends now.
        self._word_anchor: tuple[int, int] | None = None
        self._word_head: tuple[int, int] | None = None
        self._word_spans: dict[int, list[tuple[int, int]]] = {}  # each paragraph's words, as found
        self._press: tuple[int, int] | None = None  # the word a mouse button went down on
        self._dragged = False  # the press became a drag: the click that ends it selects nothing
        self._visual = False  # `v` mode: plain moves extend the selection
        self._marks: dict[int, str] = {}
        self._playing: int | None = None  # the paragraph being played (play-along), and its word's span
        self._playing_span: tuple[int, int] | None = None
        self._index = TalkSearch([])
        self._matches: Matches | None = None
        self._current_match = -1
        self._pending_top: int | None = None  # paragraph to scroll to once laid out
        self._extending = False  # set while a move extends the selection
        self._following = False  # set while the cursor follows a wheel scroll
        self._search_generation = 0  # part of the strip key: which search is drawn
        self._base_style: Style | None = None
        self._width_for: tuple[Size | None, int] = (None, 0)
        self._flash = -1  # a paragraph lit for a moment after a jump from elsewhere (the summary)
        self._flash_timer: Timer | None = None
        self._gates = FrameGates()

    def on_mount(self) -> None:
        if self._segments:
            self.call_after_refresh(self._prepare_index)

    def on_unmount(self) -> None:
        self._gates.close()

    def _prepare_index(self) -> None:
        # Close matches need a vocabulary: build it off the UI thread, once the
        # screen with the talk is drawn (widgets/frame_gate.py), so opening a
        # talk is not slowed by it.
        index, gate = self._index, self._gates.next_frame(self)

        def prepare() -> None:
            wait_for_frame(gate)
            with one_at_a_time():
                if not get_current_worker().is_cancelled:
                    index.prepare()

        self.run_worker(forgets_its_worker(prepare), thread=True, exclusive=True, group="transcript-index")

    # -- content ---------------------------------------------------------------

    def show(self, segments: list[Segment], *, empty_message: str = "") -> None:
        """Replace the content; the cursor goes to the first paragraph.

        Marks, selection and search belong to the previous content and are cleared.
        """
        self._segments = list(segments)
        self._texts = [display_text(s) for s in self._segments]
        self._starts = []
        self._start_segments = []
        for i, seg in enumerate(self._segments):
            if seg.start is not None and (not self._starts or seg.start >= self._starts[-1]):
                self._starts.append(seg.start)
                self._start_segments.append(i)
        self._empty_message = empty_message
        self._anchor = None
        self._word_anchor = self._word_head = None
        self._word_spans = {}
        self._visual = False
        self._marks = {}
        self._playing = None
        self._playing_span = None
        self._matches = None
        self._current_match = -1
        self._search_generation += 1
        self._pending_top = None
        self._index = TalkSearch(self._texts)
        if self._segments and self.is_mounted:
            self.call_after_refresh(self._prepare_index)
        self._layout_width = 0
        self._relayout()
        self.set_reactive(TranscriptView.cursor, 0)
        self.scroll_to(y=0, animate=False, immediate=True)
        self._post_cursor()
        self.refresh()

    @property
    def segments(self) -> list[Segment]:
        return self._segments

    @property
    def selection(self) -> tuple[int, int] | None:
        """The selected paragraphs as an inclusive (first, last) range, or None."""
        if self._anchor is None or not self._segments:
            return None
        return (min(self._anchor, self.cursor), max(self._anchor, self.cursor))

    def selected_segments(self) -> list[Segment]:
        """The selected paragraphs, or the cursor's paragraph when nothing is selected."""
        if not self._segments:
            return []
        first, last = self.selection or (self.cursor, self.cursor)
        return self._segments[first : last + 1]

    def set_marks(self, marks: dict[int, str]) -> None:
        """One-cell marks drawn in the gutter before the time (bookmark, note, ...)."""
        self._marks = dict(marks)
        self.refresh()

    def set_playing(self, index: int | None, span: tuple[int, int] | None = None) -> None:
        """Mark paragraph `index` as the one being played (None: nothing plays); `span`: its word."""
        if (index, span) == (self._playing, self._playing_span):
            return
        self._playing, self._playing_span = index, span
        self.refresh()

    @property
    def playing(self) -> int | None:
        return self._playing

    def segment_in_view(self, index: int, *, whole: bool = False) -> bool:
        """Whether any line (with `whole`: every line) of paragraph `index` is on screen."""
        if not self._layout_width or not 0 <= index < len(self._segments):
            return False
        top = self.scroll_offset.y
        bottom = top + self.scrollable_content_region.height
        first, after = self._rows_of(index)
        if whole:
            last = after - 1 if after - first > 1 and self._rows_so_far[after - 1].line < 0 else after
            return first >= top and last <= bottom
        return first < bottom and after > top

    # -- layout ----------------------------------------------------------------

    @property
    def _text_width(self) -> int:
        return max(_MIN_TEXT_WIDTH, self._width - GUTTER_WIDTH)

    def _relayout(self) -> None:
        """Rebuild the wrap index for the current width (keeping the top paragraph in view)."""
        width = self._width
        if width <= 0:
            self._layout_width = 0
            self.virtual_size = Size(0, len(self._segments))
            return
        top_segment = None
        if self._layout_width:
            y = self.scroll_offset.y
            if y >= len(self._rows_so_far):
                self._wrap_rest()
            if y < len(self._rows_so_far):
                top_segment = self._rows_so_far[y].segment
        self._rows_so_far = Rows()
        self._first_row_so_far = [0]
        self._wrapped = 0
        self._layout_width = width
        self._wrap_width = self._text_width
        self._layout_generation += 1
        shown = self._pending_top if self._pending_top is not None else top_segment
        if len(self._segments) >= LAZY_FROM:
            self._wrap(shown or 0, rows_past=2 * max(1, self.scrollable_content_region.height))
            # The rest after the next frame (the one drawing these rows).
            self.call_after_refresh(self.call_after_refresh, self._wrap_rest)
        else:
            self._wrap(len(self._segments))
        self._set_virtual_size()
        if shown is not None:
            self._pending_top = None
            self._scroll_to_row(self._first_row_so_far[shown], top=True)

    def _wrap(self, last: int, rows_past: int = 0) -> None:
        """Wrap the paragraphs not yet wrapped, through paragraph `last` and on until `rows_past` rows follow its first row."""
        segments, texts = self._segments, self._texts
        rows, first_row = self._rows_so_far, self._first_row_so_far
        text_width = self._wrap_width
        first_row.pop()  # the row after the last paragraph wrapped: the next one's first row
        i, count = self._wrapped, len(segments)
        while i < count and (i <= last or len(rows) < first_row[last] + rows_past):
            seg, text = segments[i], texts[i]
            first_row.append(len(rows))
            indent = _indent(seg)
            if seg.kind == "code":
                spans = fold_spans(text, text_width - indent)
            else:
                spans = wrap_spans(text, text_width - indent)
            rows.add(i, spans)
            if i + 1 < count and not (seg.kind == "bullet" and segments[i + 1].kind == "bullet"):
                rows.add_blank(i)
            i += 1
        first_row.append(len(rows))
        self._wrapped = i

    def _wrap_rest(self) -> None:
        """Complete the wrap index (rows already wrapped stay as they are, and so do their strips)."""
        if self._layout_width and self._wrapped < len(self._segments):
            self._wrap(len(self._segments))
            self._set_virtual_size()

    def _set_virtual_size(self) -> None:
        rows = len(self._rows_so_far)
        if self._wrapped < len(self._segments):
            # Not wrapped yet: about a line and a blank row per paragraph beside its text's lines (the scrollbar's size).
            rest = self._texts[self._wrapped :]
            rows += 2 * len(rest) + sum(map(len, rest)) // self._wrap_width
        self.virtual_size = Size(self._layout_width, max(rows, 1 if self._empty_message else 0))

    @property
    def _rows(self) -> Rows:
        """The whole wrap index: one row per visual row."""
        self._wrap_rest()
        return self._rows_so_far

    @property
    def _first_row(self) -> list[int]:
        """The first row of each paragraph, and the row after the last."""
        self._wrap_rest()
        return self._first_row_so_far

    def _rows_of(self, index: int) -> tuple[int, int]:
        """The first row of paragraph `index` and the row after it (wrapping the rest only if it is not wrapped yet)."""
        if index >= self._wrapped:
            self._wrap_rest()
        return self._first_row_so_far[index], self._first_row_so_far[index + 1]

    def on_resize(self, event: events.Resize) -> None:
        if self._width != self._layout_width:
            self._relayout()
            self.refresh()
        if self._layout_width and self._segments:
            # Narrower or shorter, the paragraph being read stays on screen.
            self._scroll_to_segment(self.cursor)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._style_generation += 1
        self._strips.clear()
        self._base_style = None
        self._width_for = (None, 0)

    @property
    def _width(self) -> int:
        """Width of the text area (without the scrollbar), recomputed when the size changes."""
        size = self.size
        if self._width_for[0] != size:
            self._width_for = (size, self.scrollable_content_region.width)
        return self._width_for[1]

    @property
    def _base(self) -> Style:
        # `rich_style` walks every ancestor; once per style change is enough.
        if self._base_style is None:
            self._base_style = self.rich_style
        return self._base_style

    def _scroll_to_row(self, row: int, *, top: bool = False) -> None:
        """Bring `row` into view; with `top`, place it at the top (a line of context above)."""
        height = self.scrollable_content_region.height
        if top:
            y = max(0, row - 1)
        elif row < self.scroll_offset.y:
            y = row
        elif row >= self.scroll_offset.y + height:
            y = row - height + 1
        else:
            return
        self.scroll_to(y=y, animate=False, immediate=True)

    def _scroll_to_segment(self, index: int, *, top: bool = False) -> None:
        if not self._layout_width:
            self._pending_top = index
            return
        first, after = self._rows_of(index)
        # The paragraph's own lines, without the blank row after it.
        last = max(first, after - 1 - (1 if after - first > 1 and self._rows_so_far[after - 1].line < 0 else 0))
        if top:
            self._scroll_to_row(first, top=True)
        else:
            self._scroll_to_row(last)
            self._scroll_to_row(first)

    # -- cursor ----------------------------------------------------------------

    def validate_cursor(self, value: int) -> int:
        return max(0, min(value, len(self._segments) - 1))

    def watch_cursor(self, old: int, new: int) -> None:
        if self._anchor is not None and not self._visual and not self._extending:
            self._anchor = None
            self._word_anchor = self._word_head = None
        if self._layout_width and not self._following:
            self._scroll_to_segment(new)  # also when the app sets `cursor` itself
        self._post_cursor()
        self.refresh()

    def _post_cursor(self) -> None:
        if self._segments:
            self.post_message(self.CursorMoved(self, self.cursor, self._segments[self.cursor]))

    def _move(self, index: int, *, extend: bool = False, top: bool = False) -> None:
        if not self._segments:
            return
        if extend and self._anchor is None:
            self._anchor = self.cursor
        self._extending = extend
        try:
            self.cursor = index
        finally:
            self._extending = False
        if extend and self._word_head is not None:
            self._word_head = self._paragraph_end(self.cursor)  # j/k with words selected: whole paragraphs on
        self._scroll_to_segment(self.cursor, top=top)
        self.refresh()

    def flash(self, index: int | None = None, seconds: float = 1.2) -> None:
        """Light paragraph `index` (the cursor's by default) for a moment, to show where a jump landed."""
        if not self._segments:
            return
        self._flash = self.cursor if index is None else index
        if self._flash_timer is not None:
            self._flash_timer.stop()
        self._flash_timer = self.set_timer(seconds, self._end_flash)
        self.refresh()

    def _end_flash(self) -> None:
        self._flash = -1
        self._flash_timer = None
        self.refresh()

    def jump_to_segment(self, index: int) -> None:
        """Cursor to paragraph `index`, scrolled near the top."""
        self._move(index, top=True)

    def jump_to_time(self, seconds: float) -> int:
        """Cursor to the paragraph covering `seconds` (see tui.timeline.landing: one starting
        within the same whole second wins over the one before it)."""
        if not self._segments:
            return 0
        i = landing(self._starts, seconds)
        index = self._start_segments[i] if i >= 0 else 0
        self.jump_to_segment(index)
        return self.cursor

    def index_at_time(self, seconds: float) -> int:
        """The paragraph covering `seconds` (the last starting at or before it; the first before any).

        For a precise moment (the one playing); a stamp's whole second goes through jump_to_time."""
        i = bisect_right(self._starts, seconds) - 1
        return self._start_segments[i] if i >= 0 else 0

    def action_cursor_up(self) -> None:
        self._move(self.cursor - 1, extend=self._visual)

    def action_cursor_down(self) -> None:
        self._move(self.cursor + 1, extend=self._visual)

    def action_page_down(self) -> None:
        self._page_by(+1)

    def action_page_up(self) -> None:
        self._page_by(-1)

    def action_half_page_down(self) -> None:
        self._page_by(+1, half=True)

    def action_half_page_up(self) -> None:
        self._page_by(-1, half=True)

    def _page_by(self, direction: int, *, half: bool = False) -> None:
        if not self._segments:
            return
        if not self._layout_width:
            self._move(self.cursor + direction, extend=self._visual)
            return
        height = max(1, self.scrollable_content_region.height - 1)
        if half:
            height = max(1, self.scrollable_content_region.height // 2)
        row = self._first_row[self.cursor] + direction * height
        row = max(0, min(row, len(self._rows) - 1))
        target = self._rows[row].segment
        if target == self.cursor:
            target += direction
        self.scroll_to(y=self.scroll_offset.y + direction * height, animate=False, immediate=True)
        self._move(target, extend=self._visual)

    def action_first(self) -> None:
        self._move(0, extend=self._visual)

    def action_last(self) -> None:
        self._move(len(self._segments) - 1, extend=self._visual)

    def action_extend_up(self) -> None:
        self._move(self.cursor - 1, extend=True)

    def action_extend_down(self) -> None:
        self._move(self.cursor + 1, extend=True)

    def action_toggle_selection(self) -> None:
        if self._anchor is None:
            self._anchor = self.cursor
            self._visual = True
        else:
            self._anchor = None
            self._visual = False
            self._word_anchor = self._word_head = None
        self.refresh()

    def action_clear_selection(self) -> None:
        self._anchor = None
        self._visual = False
        self._word_anchor = self._word_head = None
        self.refresh()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Esc with nothing selected is left for the screen (close search, go back).
        if action == "clear_selection":
            return self._anchor is not None
        if action in ("word_forward", "word_back", "sentence_forward", "sentence_back"):
            return self.WORDS and self._visual and bool(self._segments)
        return True

    # -- a selection of words ----------------------------------------------------

    def words_of(self, index: int) -> list[tuple[int, int]]:
        """The character spans of paragraph `index`'s words."""
        spans = self._word_spans.get(index)
        if spans is None:
            spans = self._word_spans[index] = [m.span() for m in _NON_SPACE.finditer(self._texts[index])] or [(0, 0)]
        return spans

    @property
    def word_selection(self) -> tuple[int, int, int, int] | None:
        """(first paragraph, its first character, last paragraph, the end of its last word), or None."""
        if self._word_anchor is None or self._word_head is None or self._anchor is None:
            return None
        (p1, w1), (p2, w2) = sorted((self._word_anchor, self._word_head))
        return p1, self.words_of(p1)[w1][0], p2, self.words_of(p2)[w2][1]

    def selected_text(self) -> str:
        """The words selected, as they are in the paragraphs ("" without a word selection)."""
        chosen = self.word_selection
        if chosen is None:
            return ""
        p1, c1, p2, c2 = chosen
        if p1 == p2:
            return self._segments[p1].text[c1:c2]
        texts = [self._segments[p1].text[c1:], *(s.text for s in self._segments[p1 + 1 : p2]), self._segments[p2].text[:c2]]
        return "\n\n".join(texts)

    def _word_at(self, index: int, offset: int) -> int:
        """The word of paragraph `index` at character `offset` (the one before, between words)."""
        spans = self.words_of(index)
        return max(0, bisect_right([a for a, _ in spans], offset) - 1)

    def _start_words(self) -> None:
        """Turn a paragraph selection into a word selection: from the anchor paragraph's first word
        (the search match's, when the search is on that paragraph) to the cursor."""
        if self._word_head is not None:
            return
        if self._anchor is None:
            self._anchor = self.cursor
        anchor = self._anchor
        match = self.current_match
        first = self._word_at(anchor, match[1]) if match is not None and match[0] == anchor else 0
        self._word_anchor = (anchor, first)
        self._word_head = self._paragraph_end(self.cursor)

    def _paragraph_end(self, index: int) -> tuple[int, int]:
        """Where the head lands in paragraph `index`: its last word past the anchor, its first before it."""
        assert self._word_anchor is not None
        if index == self._word_anchor[0]:
            return self._word_anchor
        return (index, len(self.words_of(index)) - 1) if index > self._word_anchor[0] else (index, 0)

    def _set_head(self, head: tuple[int, int]) -> None:
        self._word_head = head
        self._extending = True
        try:
            self.cursor = head[0]
        finally:
            self._extending = False
        self._scroll_to_segment(head[0])
        self.refresh()

    def _step_word(self, head: tuple[int, int], direction: int) -> tuple[int, int]:
        index, word = head
        word += direction
        if word < 0:
            return (index - 1, len(self.words_of(index - 1)) - 1) if index > 0 else head
        if word >= len(self.words_of(index)):
            return (index + 1, 0) if index + 1 < len(self._segments) else head
        return index, word

    def _ends_sentence(self, head: tuple[int, int]) -> bool:
        index, word = head
        spans = self.words_of(index)
        a, b = spans[word]
        return word == len(spans) - 1 or bool(_SENTENCE_END.search(self._texts[index][a:b]))

    def action_word_forward(self) -> None:
        self._start_words()
        assert self._word_head is not None
        self._set_head(self._step_word(self._word_head, +1))

    def action_word_back(self) -> None:
        self._start_words()
        assert self._word_head is not None
        self._set_head(self._step_word(self._word_head, -1))

    def action_sentence_forward(self) -> None:
        """To the end of the sentence (past the anchor), or to the next sentence's first word (before it)."""
        self._start_words()
        assert self._word_head is not None and self._word_anchor is not None
        head = self._word_head
        backward = head < self._word_anchor
        while True:
            step = self._step_word(head, +1)
            if step == head:
                break
            if backward and self._ends_sentence(head):
                head = step
                break
            head = step
            if not backward and self._ends_sentence(head):
                break
        self._set_head(min(head, self._word_anchor) if backward and head > self._word_anchor else head)

    def action_sentence_back(self) -> None:
        """To the first word of the sentence (before the anchor), or back to the previous sentence's end."""
        self._start_words()
        assert self._word_head is not None and self._word_anchor is not None
        head = self._word_head
        forward = head > self._word_anchor
        head = self._step_word(head, -1)  # at least a word, then on to the sentence's edge
        while not (forward and (self._ends_sentence(head) or head == self._word_anchor)):
            step = self._step_word(head, -1)
            if step == head or (not forward and self._ends_sentence(step)):
                break
            head = step
        self._set_head(head)

    def _place(self, event: events.MouseEvent) -> tuple[int, int] | None:
        """The (paragraph, word) under the mouse, or None off the text."""
        offset = event.get_content_offset(self)
        if offset is None or not self._rows:
            return None
        row_number = self.scroll_offset.y + offset.y
        if not 0 <= row_number < len(self._rows):
            return None
        row = self._rows[row_number]
        if row.line < 0:
            return None
        x = offset.x - GUTTER_WIDTH - _indent(self._segments[row.segment])
        text = self._texts[row.segment]
        pos, used = row.start, 0
        while pos < row.end and used + get_character_cell_size(text[pos]) <= x:
            used += get_character_cell_size(text[pos])
            pos += 1
        return row.segment, self._word_at(row.segment, pos)

    def on_mouse_down(self, event: events.MouseDown) -> None:
        if event.button == 1 and self.WORDS and not event.shift:
            self._press = self._place(event)
            self._dragged = False
            if self._press is not None:
                self.capture_mouse()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        if self._press is None or not event.button:
            return
        place = self._place(event)
        if place is None or (place == self._press and not self._dragged):
            return
        if not self._dragged:
            # The drag starts a selection of words at the word pressed.
            self._dragged = True
            self._anchor, self._visual = self._press[0], True
            self._word_anchor = self._press
        self._set_head(place)

    def on_mouse_up(self, event: events.MouseUp) -> None:
        if self._press is not None:
            self._press = None
            self.release_mouse()

    # -- mouse -----------------------------------------------------------------

    def on_click(self, event: events.Click) -> None:
        if self._dragged:
            self._dragged = False  # the end of a drag, not a click: the words stay selected
            return
        offset = event.get_content_offset(self)
        if offset is None or not self._rows:
            return
        row = self.scroll_offset.y + offset.y
        if 0 <= row < len(self._rows):
            if not event.shift and self._word_head is not None:
                self.action_clear_selection()  # a plain click ends a selection of words (a drag's, or v's)
            self._move(self._rows[row].segment, extend=event.shift)

    def on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        self._wheel(event, +1)

    def on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        self._wheel(event, -1)

    def _wheel(self, event: events.MouseEvent, direction: int) -> None:
        # Scroll here (not in the base class, which runs later) so the cursor
        # can follow into view at once.
        event.prevent_default()
        event.stop()
        step = self.app.scroll_sensitivity_y * direction
        self.scroll_to(y=self.scroll_offset.y + step, animate=False, immediate=True)
        self._cursor_into_view()

    def _cursor_into_view(self) -> None:
        if not self._rows or not self._layout_width:
            return
        top = self.scroll_offset.y
        bottom = min(len(self._rows), top + self.scrollable_content_region.height) - 1
        first = self._first_row[self.cursor]
        if first < top:
            target = self._rows[top].segment
            if self._first_row[target] < top and self._first_row[target + 1] <= bottom:
                target += 1  # the first paragraph that starts on screen
        elif first > bottom:
            target = self._rows[bottom].segment
        else:
            return
        # The view follows the wheel, not the cursor: scrolling it back to show
        # the whole paragraph would fight the wheel.
        self._following = True
        try:
            self.cursor = target
        finally:
            self._following = False

    # -- search ----------------------------------------------------------------

    def search(self, query: str, origin: int | None = None) -> SearchStatus:
        """Highlight every match of `query`; move to the first at or after `origin` (default: the cursor).

        The cursor goes only to exact matches. Close matches (tui.talk_search's
        fallback) are highlighted and counted but not gone to until n steps onto
        one; with no exact match the cursor returns to `origin`, where the search
        began (as vim's incremental search does while typing).
        """
        start = self.cursor if origin is None else origin
        self._matches = self._index.find(query) if query else None
        self._search_generation += 1
        if self._matches and not self._matches.fuzzy:
            self._current_match = self._matches.first_from(start)
            self._go_to_match()
        else:
            self._current_match = -1
            if self._segments and self.cursor != start:
                self._move(start)
            self.refresh()
        return self.search_status

    def next_match(self) -> SearchStatus:
        return self._step(+1)

    def previous_match(self) -> SearchStatus:
        return self._step(-1)

    def clear_search(self) -> None:
        self._matches = None
        self._search_generation += 1
        self._current_match = -1
        self.refresh()

    @property
    def search_status(self) -> SearchStatus:
        matches = self._matches
        if matches is None:
            return SearchStatus(0, 0, False, "")
        if not matches:
            return SearchStatus(0, 0, matches.fuzzy, matches.query)
        return SearchStatus(self._current_match + 1, len(matches), matches.fuzzy, matches.query)

    @property
    def current_match(self) -> tuple[int, int, int] | None:
        """(paragraph, start, end) of the match the search is on, or None."""
        if self._matches and self._current_match >= 0:
            return self._matches.span(self._current_match)
        return None

    def _step(self, direction: int) -> SearchStatus:
        if self._matches:
            if self._current_match < 0:
                # Not yet on a match (close matches offered): the nearest one from the cursor that way.
                first = self._matches.first_from(self.cursor)
                if direction < 0:
                    after = first if self._matches.segment_of(first) >= self.cursor else len(self._matches)
                    first = (after - 1) % len(self._matches)
                self._current_match = first
            else:
                self._current_match = (self._current_match + direction) % len(self._matches)
            self._go_to_match()
        return self.search_status

    def _go_to_match(self) -> None:
        if self._matches and self._current_match >= 0:
            segment, start, _end = self._matches.span(self._current_match)
            self._move(segment)
            if self._layout_width:
                first, after = self._first_row[segment], self._first_row[segment + 1]
                match_row = first
                for row in range(first, after):
                    if self._rows[row].line >= 0 and self._rows[row].start <= start:
                        match_row = row
                self._scroll_to_row(match_row)
        self.refresh()

    # -- drawing ---------------------------------------------------------------

    def _row_on_screen(self, y: int) -> tuple[int, Row] | Strip:
        """Screen line `y`: its row number and wrap row, or the strip drawn past the last row."""
        width = self._width
        if self._layout_width != width and width > 0:
            self._relayout()
        row_number = self.scroll_offset.y + y
        base = self._base
        if row_number >= len(self._rows_so_far):
            self._wrap_rest()
        if row_number >= len(self._rows_so_far):
            if row_number == 0 and self._empty_message and not self._segments:
                style = base + self.get_component_rich_style("transcript-view--empty")
                return Strip([RichSegment(self._empty_message, style)]).crop_extend(0, width, base)
            return Strip.blank(width, base)
        return row_number, self._rows_so_far[row_number]

    def render_line(self, y: int) -> Strip:
        if isinstance(found := self._row_on_screen(y), Strip):
            return found
        row_number, row = found
        width, base = self._width, self._base
        index = row.segment
        selection = self.selection
        selected = selection is not None and selection[0] <= index <= selection[1]
        words: tuple[int, int] | None = None
        chosen = self.word_selection if selected else None
        if chosen is not None:
            # Words selected: only their characters are lit, not the whole line.
            p1, c1, p2, c2 = chosen
            words = (c1 if index == p1 else 0, c2 if index == p2 else len(self._texts[index]))
            selected = False
        state = (index == self.cursor, selected, index == self._flash)
        matches = self._matches
        current = -1
        if matches and row.line >= 0:
            if self._current_match >= 0 and matches.segment_of(self._current_match) == index:
                current = self._current_match
        key = (
            self._layout_generation,
            self._style_generation,
            row_number,
            state,
            self._marks.get(index) if row.line == 0 else None,
            self._search_generation if matches and row.line >= 0 else None,
            current,
            (True, self._playing_span) if index == self._playing else None,
            words,
        )
        strip = self._strips.get(key)
        if strip is None:
            strip = self._draw(row, width, base, state, current, words).apply_offsets(0, row_number)
            self._strips[key] = strip
        return strip

    def _draw(
        self, row: Row, width: int, base: Style, state: tuple[bool, bool, bool], current: int, words: tuple[int, int] | None = None
    ) -> Strip:
        is_cursor, selected, flashed = state
        line_style = base
        if selected:
            line_style = line_style + self.get_component_rich_style("transcript-view--selection")
        if is_cursor:
            line_style = line_style + self.get_component_rich_style("transcript-view--cursor")
        if flashed:  # over the cursor: a jump lands the cursor on the paragraph it lights
            line_style = line_style + self.get_component_rich_style("transcript-view--flash")
        if row.line < 0:
            return Strip.blank(width, base)
        segment = self._segments[row.segment]
        parts: list[RichSegment] = []
        playing = row.segment == self._playing
        if row.line == 0:
            mark = self._marks.get(row.segment, " ") or " "
            if cell_len(mark) != 1:
                mark = (mark + " ")[:1] if cell_len(mark[:1]) == 1 else " "
            time = "" if segment.start is None else format_time(segment.start, segment.estimated)
            if playing and mark == " ":
                mark = "▶"
            time_style = "transcript-view--playing" if playing else "transcript-view--time"
            parts.append(RichSegment(mark, self._over(line_style, "transcript-view--playing" if playing else "transcript-view--mark")))
            parts.append(RichSegment(time.rjust(_TIME_WIDTH) + " ", self._over(line_style, time_style)))
        elif playing:
            # Every line of the paragraph being played carries a bar in the mark column.
            parts.append(RichSegment("▎", self._over(line_style, "transcript-view--playing")))
            parts.append(RichSegment(" " * (GUTTER_WIDTH - 1), line_style))
        else:
            parts.append(RichSegment(" " * GUTTER_WIDTH, line_style))
        text = self._texts[row.segment]
        indent = _indent(segment)
        if indent:
            parts.append(RichSegment(" " * (indent - 2) + _lead(segment, text, row.line), line_style))
        text_style = line_style
        if segment.kind == "code":
            text_style = self._over(line_style, "transcript-view--code")
        word = self._playing_span if playing else None
        text_parts: list[RichSegment] = []
        if word is not None and word[0] < row.end and word[1] > row.start:
            # The word being spoken, drawn over whatever else styles that line.
            a, b = max(word[0], row.start), min(word[1], row.end)
            head = Row(row.segment, row.line, row.start, a)
            tail = Row(row.segment, row.line, b, row.end)
            text_parts.extend(self._text_parts(text, head, text_style, current))
            text_parts.append(RichSegment(text[a:b], self._over(text_style, "transcript-view--playing-word")))
            text_parts.extend(self._text_parts(text, tail, text_style, current))
        else:
            text_parts.extend(self._text_parts(text, row, text_style, current))
        if words is not None and words[0] < row.end and words[1] > row.start:
            text_parts = _lit(text_parts, row.start, words, self.get_component_rich_style("transcript-view--selection"))
        parts.extend(text_parts)
        strip = Strip(parts)
        return strip.crop_extend(0, width, line_style)

    def _over(self, line_style: Style, component: str) -> Style:
        """A component's colour and text style over the line's own background.

        The component's full style would also carry the pane's background and
        hide the cursor or selection behind gutter and code text.
        """
        return line_style + self.get_component_rich_style(component) + Style(bgcolor=line_style.bgcolor)

    def _text_parts(self, text: str, row: Row, style: Style, current: int) -> Iterable[RichSegment]:
        """The row's characters, with search matches styled."""
        start, end = row.start, row.end
        spans = self._matches.in_segment(row.segment) if self._matches else ()
        pos = start
        for number, m_start, m_end in spans:
            if m_end <= start or m_start >= end:
                continue
            m_start, m_end = max(m_start, start), min(m_end, end)
            if m_start > pos:
                yield RichSegment(text[pos:m_start], style)
            name = "transcript-view--match-current" if number == current else "transcript-view--match"
            yield RichSegment(text[m_start:m_end], style + self.get_component_rich_style(name))
            pos = m_end
        if pos < end:
            yield RichSegment(text[pos:end], style)


def _lit(parts: list[RichSegment], start: int, span: tuple[int, int], style: Style) -> list[RichSegment]:
    """`parts` (the characters of a row from offset `start`) with `style` over the characters of `span`."""
    out: list[RichSegment] = []
    pos = start
    a, b = span
    for part in parts:
        text, end = part.text, pos + len(part.text)
        cuts = sorted({pos, max(pos, min(a, end)), max(pos, min(b, end)), end})
        for x, y in zip(cuts, cuts[1:]):
            piece = text[x - pos : y - pos]
            inside = a <= x and y <= b
            out.append(RichSegment(piece, part.style + style if inside and part.style else style if inside else part.style))
        pos = end
    return out


_NUMBERED = re.compile(r"\d{1,3}[.)] ")


def _lead(segment: Segment, text: str, line: int) -> str:
    """What stands before a list item's or a quote's line: a bar, a bullet on an item's first line
    (none where the item is numbered: its number is its mark), else blanks."""
    if segment.kind == "quote":
        return "│ "
    return "• " if line == 0 and not _NUMBERED.match(text) else "  "


def _indent(segment: Segment) -> int:
    """Cells before a paragraph's text: bullets hang under their marker by level, quotes behind a bar."""
    if segment.kind == "bullet":
        return 2 * max(0, segment.level) + 2
    if segment.kind == "quote":
        return 2
    return 0
