"""The talk list: one line per talk, drawn on demand through the Line API.

Only the rows on screen are rendered, and finished rows are kept in an LRU of
strips, so the list and its filter stay instant with 10,000 talks.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from rapidfuzz import fuzz, process
from rich.segment import Segment as RichSegment
from rich.style import Style
from rich.cells import cell_len, set_cell_size
from textual import events
from textual.binding import Binding
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui.model import Talk, format_time, talk_ids
from tui.textio import strip_controls

CHANNEL_WIDTH = 22
DURATION_WIDTH = 8
MARKS_WIDTH = 9  # "T S2 N12 "


def talk_marks(talk: Talk, notes: int = 0) -> str:
    """`T` for a transcript, `S<n>` for n summaries, `N<n>` for n notes; blanks keep columns aligned."""
    t = "T" if talk.transcript is not None else "·"
    summaries = len(talk.summaries)
    s = f"S{summaries}" if summaries else "  "
    n = f"N{notes}" if notes else ""
    return f"{t} {s} {n}"


_WORD = re.compile(r"[^\W_]+", re.UNICODE)


class TalkFilter:
    """Typo-tolerant matching of a query against the talks' titles and channels.

    Talks whose text holds the query as typed come first, in list order. Then
    talks where every query word matches one of their words closely (rapidfuzz:
    a letter missing, swapped or wrong; a word begun but not finished), best
    first. Words are looked up in an inverted index, so a keystroke stays
    quick with 10,000 talks.
    """

    def __init__(self, texts: Sequence[str]) -> None:
        self.haystacks = [" ".join(t.casefold().split()) for t in texts]
        self.postings: dict[str, list[int]] = {}
        for i, text in enumerate(self.haystacks):
            for word in set(_WORD.findall(text)):
                self.postings.setdefault(word, []).append(i)
        self.vocabulary = list(self.postings)

    def __call__(self, query: str) -> list[int]:
        q = " ".join(query.casefold().split())
        if not q:
            return list(range(len(self.haystacks)))
        exact = [i for i, h in enumerate(self.haystacks) if q in h]
        words = _WORD.findall(q)
        if not words or any(len(w) < 4 for w in words) and len(words) == 1:
            return exact  # a typo in two or three letters cannot be told from another word
        # Per word: the talks holding a word that contains it (score 100), and the
        # closest score of the others. Sets, so a short common word ("a", "the") that
        # reaches most of 100,000 talks costs set operations, not a loop over them.
        containing: set[int] | None = None
        candidates: set[int] | None = None
        close_scores: list[dict[int, float]] = []
        for word in words:
            full, close = self._talk_scores(word)
            reached = full.union(close)
            containing = full if containing is None else containing & full
            candidates = reached if candidates is None else candidates & reached
            close_scores.append(close)
            if not candidates:
                return exact
        assert containing is not None and candidates is not None
        seen = set(exact)
        # Talks where every word is contained score 100 and come first, in list order;
        # then the others by their worst word's score.
        best = sorted(containing - seen)
        rest = []
        for i in candidates - containing - seen:
            score = min(100.0 if i not in close else close[i] for close in close_scores)
            rest.append((-score, i))
        rest.sort()
        return exact + best + [i for _, i in rest]

    def _talk_scores(self, word: str) -> tuple[set[int], dict[int, float]]:
        """The talks with a word containing `word`, and the others with a close word: index -> score (< 100)."""
        contained = [v for v in self.vocabulary if word in v]
        matched: dict[str, float] = {}
        if len(word) >= 4:
            for v, score, _ in process.extract(word, self.vocabulary, scorer=fuzz.ratio, score_cutoff=80, limit=None):
                matched[v] = max(matched.get(v, 0.0), score)
            # A word being typed, or misspelled inside a longer word: the query word within it.
            for v, score, _ in process.extract(word, self.vocabulary, scorer=fuzz.partial_ratio, score_cutoff=85, limit=None):
                if len(v) > len(word):
                    matched[v] = max(matched.get(v, 0.0), score * 0.95)
        postings = self.postings
        full: set[int] = set().union(*(postings[v] for v in contained))
        close: dict[int, float] = {}
        for v, score in matched.items():
            if score >= 100.0 or word in v:
                continue  # contained: already in `full`
            for i in postings[v]:
                if i not in full and score > close.get(i, 0.0):
                    close[i] = score
        return full, close


class TalkList(ScrollView, can_focus=True):
    """Every talk in the library (or those matching the filter), one per line."""

    DEFAULT_CSS = """
    TalkList {
        height: 1fr;
        background: $surface;
    }
    TalkList > .talk-list--cursor {
        background: $block-cursor-blurred-background;
    }
    TalkList:focus > .talk-list--cursor {
        background: $block-cursor-background;
        color: $block-cursor-foreground;
        text-style: $block-cursor-text-style;
    }
    TalkList > .talk-list--channel {
        color: $text-muted;
    }
    TalkList > .talk-list--marks {
        color: $text-accent;
    }
    TalkList > .talk-list--empty {
        color: $text-muted;
        text-style: italic;
    }
    """

    COMPONENT_CLASSES = {
        "talk-list--cursor",
        "talk-list--channel",
        "talk-list--marks",
        "talk-list--empty",
    }

    BINDINGS = [
        Binding("enter", "open", "Open", id="list.open"),
        # No letters: on the list every letter typed goes to the filter (see TalkListScreen).
        Binding("up", "cursor_up", "Up", show=False, id="list.up"),
        Binding("down", "cursor_down", "Down", show=False, id="list.down"),
        Binding("pageup,ctrl+b", "page_up", "Page up", show=False, id="list.page_up"),
        Binding("pagedown", "page_down", "Page down", show=False, id="list.page_down"),
        Binding("ctrl+u", "half_page_up", "Half page up", show=False, id="list.half_page_up"),
        Binding("ctrl+d", "half_page_down", "Half page down", show=False, id="list.half_page_down"),
        Binding("home", "first", "First", show=False, id="list.first"),
        Binding("end", "last", "Last", show=False, id="list.last"),
    ]

    cursor: reactive[int] = reactive(0, init=False)

    class Opened(Message):
        """The user chose a talk (Enter, a click on the highlighted row, a double click)."""

        def __init__(self, talk: Talk) -> None:
            super().__init__()
            self.talk = talk

    def __init__(self, *, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.talks: Sequence[Talk] = []
        # Indexes into self.talks, in display order: a range while unfiltered, so 100,000
        # talks cost no list of 100,000 numbers for the garbage collector to walk.
        self.rows: Sequence[int] = range(0)
        self.query_text = ""
        self.empty_message = "No talks in this library."
        self._notes: dict[str, int] = {}
        # Both built lazily: a start with 10,000 talks costs only the rows on screen.
        self._filter: TalkFilter | None = None  # on the first typed query
        self._lines: dict[int, tuple[str, str, str, str]] = {}  # marks, title, channel, duration (plain), once drawn
        self._cache: LRUCache[tuple[int, int, bool], Strip] = LRUCache(512)
        # (base, cursor, channel, marks): rich_style walks every ancestor, so once per style change, not per line.
        self._styles: tuple[Style, Style, Style, Style] | None = None
        self._drawn_with: tuple[Style, Style, Style, Style] | None = None  # the styles of the strips in _cache

    # -- data -------------------------------------------------------------

    def set_talks(self, talks: Sequence[Talk], notes_count: Mapping[str, int] | None = None) -> None:
        """Show `talks`, keeping the current filter; `notes_count` maps talk id -> notes."""
        current = self.highlighted
        # Kept as given: the index's TalkRows makes each talk only when its row is drawn.
        self.talks = talks if isinstance(talks, Sequence) else list(talks)
        self._notes = dict(notes_count or {})
        self._filter = None
        self._lines = {}
        self._apply_filter(keep=current, filtered_too=True)

    def set_notes_count(self, notes_count: Mapping[str, int]) -> None:
        self._notes = dict(notes_count)
        self._lines = {}
        self._cache.clear()
        self.refresh()

    def _plain_columns(self, talk: Talk) -> tuple[str, str, str, str]:
        # File content is shown as plain text: controls stripped, never parsed as markup.
        title = " ".join(strip_controls(talk.title).split()) or talk.id
        channel = " ".join(strip_controls(talk.channel or "").split())
        seconds = talk.duration
        transcript = talk.transcript
        if not seconds and transcript is not None:
            if not getattr(transcript, "loaded", True):
                # From the index, segments not read yet: its stored last time, without reading them.
                seconds = transcript.last_time
            elif transcript.segments:
                # The last paragraph's end: O(1) per talk, where last_time would walk every segment.
                last = transcript.segments[-1]
                seconds = last.end if last.end is not None else last.start
        duration = format_time(seconds) if seconds else ""
        return talk_marks(talk, self._notes.get(talk.id, 0)), title, channel, duration

    def set_filter(self, query: str) -> int:
        """Show only talks matching `query` (typo-tolerant); returns how many match."""
        self.query_text = query
        self._apply_filter(keep=self.highlighted)
        return len(self.rows)

    def _apply_filter(self, keep: Talk | None, filtered_too: bool = False) -> None:
        if self.query_text.strip():
            if self._filter is None:
                titles, channels = self._columns()
                self._filter = TalkFilter([f"{strip_controls(t)} {strip_controls(c or '')}" for t, c in zip(titles, channels)])
            self.rows = self._filter(self.query_text)
        else:
            self.rows = range(len(self.talks))
        self._cache.clear()
        # No width: rows are cut to the window, and a width here would lay the screen out
        # again each time the window (or the scroll bar) changes it.
        self.virtual_size = Size(0, len(self.rows))
        row = 0
        if keep is not None and (filtered_too or not self.query_text):
            # Clearing the filter returns to the talk that was highlighted; new talks
            # (the index refreshed) keep it too, found by id as the objects are new.
            ids = talk_ids(self.talks)
            row = next((r for r, i in enumerate(self.rows) if ids[i] == keep.id), 0)
        self.set_reactive(TalkList.cursor, row)
        self.scroll_to(y=max(0, row - self.scrollable_content_region.height // 2), animate=False)
        self.refresh()

    @property
    def highlighted(self) -> Talk | None:
        if 0 <= self.cursor < len(self.rows):
            return self.talks[self.rows[self.cursor]]
        return None

    def select_talk(self, talk_id: str) -> bool:
        """Move the cursor to the talk with this id, if it is shown."""
        ids = talk_ids(self.talks)
        for row, i in enumerate(self.rows):
            if ids[i] == talk_id:
                self.cursor = row
                return True
        return False

    def _columns(self) -> tuple[Sequence[str], Sequence[str | None]]:
        """Every talk's title and channel, in list order (from the index's columns, as talk_ids)."""
        if hasattr(self.talks, "titles"):
            return self.talks.titles(), self.talks.channels()
        return [t.title for t in self.talks], [t.channel for t in self.talks]

    # -- cursor -----------------------------------------------------------

    def validate_cursor(self, value: int) -> int:
        return max(0, min(value, len(self.rows) - 1))

    def watch_cursor(self, old: int, new: int) -> None:
        self._refresh_row(old)
        self._refresh_row(new)
        self.scroll_to_region(Region(0, new, 1, 1), animate=False, force=True)

    def _refresh_row(self, row: int) -> None:
        y = row - self.scroll_offset.y
        self.refresh(Region(0, y, self.size.width, 1))

    def action_cursor_up(self) -> None:
        self.cursor -= 1

    def action_cursor_down(self) -> None:
        self.cursor += 1

    def action_page_up(self) -> None:
        self.cursor -= max(1, self.scrollable_content_region.height - 1)

    def action_page_down(self) -> None:
        self.cursor += max(1, self.scrollable_content_region.height - 1)

    def action_half_page_up(self) -> None:
        self.cursor -= max(1, self.scrollable_content_region.height // 2)

    def action_half_page_down(self) -> None:
        self.cursor += max(1, self.scrollable_content_region.height // 2)

    def action_first(self) -> None:
        self.cursor = 0

    def action_last(self) -> None:
        self.cursor = len(self.rows) - 1

    def action_open(self) -> None:
        talk = self.highlighted
        if talk is not None:
            self.post_message(self.Opened(talk))

    def on_click(self, event: events.Click) -> None:
        row = event.y + self.scroll_offset.y
        if not 0 <= row < len(self.rows):
            return
        if row == self.cursor or event.chain >= 2:
            self.cursor = row
            self.action_open()
        else:
            self.cursor = row

    # -- rendering --------------------------------------------------------

    def notify_style_update(self) -> None:
        # Styles are updated often without changing (the focus arriving at the start): the
        # cached rows go only once the styles they were drawn with differ (see _row_styles).
        super().notify_style_update()
        self._styles = None

    def _fill_lines(self, index: int) -> None:
        """The plain columns of talk `index` and of every other row on screen still without them.

        The index's talks read their documents (the marks need them) for the whole screen
        in one query, rather than one per row.
        """
        top = self.scroll_offset.y
        wanted = [i for i in self.rows[top : top + self.size.height] if i not in self._lines]
        if index not in wanted:
            wanted.append(index)
        read = getattr(self.talks, "read_documents", None)
        if read is not None:
            read(wanted)
        for i in wanted:
            self._lines[i] = self._plain_columns(self.talks[i])

    def _row_styles(self) -> tuple[Style, Style, Style, Style]:
        if self._styles is None:
            base = self.rich_style
            self._styles = (
                base,
                base + self.get_component_rich_style("talk-list--cursor"),
                self.get_component_rich_style("talk-list--channel", partial=True),
                self.get_component_rich_style("talk-list--marks", partial=True),
            )
            if self._styles != self._drawn_with:
                self._cache.clear()
                self._drawn_with = self._styles
        return self._styles

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        row = self.scroll_offset.y + y
        base = self._row_styles()[0]
        if not self.rows:
            if y != 0:
                return Strip.blank(width, base)
            message = "No talk matches the filter." if self.query_text else self.empty_message
            style = base + self.get_component_rich_style("talk-list--empty")
            return Strip([RichSegment(f"  {message}", style)]).adjust_cell_length(width, base)
        if row >= len(self.rows):
            return Strip.blank(width, base)
        is_cursor = row == self.cursor
        key = (self.rows[row], width, is_cursor)
        strip = self._cache.get(key)
        if strip is None:
            strip = self._render_row(self.rows[row], width, is_cursor)
            self._cache[key] = strip
        return strip

    def _render_row(self, index: int, width: int, is_cursor: bool) -> Strip:
        if index not in self._lines:
            self._fill_lines(index)
        marks, title, channel, duration = self._lines[index]
        base, cursor, muted, accent = self._row_styles()
        if is_cursor:
            base = cursor
        channel_width = min(CHANNEL_WIDTH, max(0, (width - MARKS_WIDTH - DURATION_WIDTH) // 3))
        title_width = max(1, width - 1 - MARKS_WIDTH - channel_width - DURATION_WIDTH - 2)
        # Segments made here, not by a Rich Text rendered per row (a third of a start's drawing).
        segments = [
            RichSegment(" ", base),
            RichSegment(marks.ljust(MARKS_WIDTH)[:MARKS_WIDTH], base + accent),
            RichSegment(_fit(title, title_width), base),
            RichSegment(" ", base),
        ]
        if channel_width:
            segments.append(RichSegment(_fit(channel, channel_width), base + muted))
        segments.append(RichSegment(" ", base))
        segments.append(RichSegment(duration.rjust(DURATION_WIDTH), base + muted))
        return Strip(segments).adjust_cell_length(width, base)


def _fit(text: str, width: int) -> str:
    """`text` cut (with …) or padded to exactly `width` cells: wide characters count double."""
    length = cell_len(text)
    if length > width:
        return set_cell_size(text, width - 1) + "…" if width > 0 else ""
    return text + " " * (width - length)
