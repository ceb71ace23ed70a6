"""Search across the whole library: type, see ranked hits, Enter opens one.

Every keystroke runs the query against the index in a thread worker (the
newest query wins), so typing never waits. Each hit shows its talk's title,
the time, and a snippet with the matched words highlighted. When nothing
matches, the closest words of the library are offered ("did you mean").

The screen dismisses with the chosen `SearchHit`, or None on Escape.
"""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from tui.index import Index, SearchHit
from tui.model import format_time
from widgets.eager_input import EagerInput
from widgets.footer import Footer
from widgets.screen_layout import LaidOutOnce
from widgets.thread_work import forgets_its_worker

MAX_HITS = 200
_FIX = "fix:"  # option ids of "did you mean" entries


def hit_prompt(hit: SearchHit, match_style: str = "bold reverse") -> Text:
    """Two lines from plain strings: title and time, then the snippet with its matches styled."""
    head = Text(no_wrap=True, overflow="ellipsis")
    head.append(hit.title, style="bold")
    when = "title" if hit.segment < 0 else format_time(hit.start, hit.estimated)
    head.append(f"  {when}", style="dim")
    if hit.role == "summary":
        head.append("  summary", style="dim italic")
    snippet = Text(no_wrap=True, overflow="ellipsis")
    lead = "…" if hit.offset else ""
    snippet.append(lead)
    snippet.append(hit.text.replace("\n", " "))
    for a, b in hit.spans:
        snippet.stylize(match_style, len(lead) + a, len(lead) + b)
    return Text("\n").join([head, Text("  ").append_text(snippet)])


class LibrarySearchScreen(LaidOutOnce, Screen[SearchHit | None]):
    """Search every talk of the library as you type."""

    DEFAULT_CSS = """
    LibrarySearchScreen { layout: vertical; }
    LibrarySearchScreen #search-input { dock: top; margin: 0 1; }
    LibrarySearchScreen #search-status { height: 1; margin: 0 2; color: $text-muted; }
    /* A hit is two lines, each cut to the width: a long snippet never wraps back to the margin. */
    LibrarySearchScreen #search-hits { height: 1fr; border: none; text-wrap: nowrap; text-overflow: ellipsis; }
    LibrarySearchScreen > .library-search--match { background: $accent 45%; text-style: bold; }
    """

    COMPONENT_CLASSES = {"library-search--match"}

    BINDINGS = [
        Binding("escape", "close", "Close", id="library_search.close"),
        Binding("down", "cursor_down", "Next hit", show=False, id="library_search.down"),
        Binding("up", "cursor_up", "Previous hit", show=False, id="library_search.up"),
        Binding("pagedown", "page_down", show=False),
        Binding("pageup", "page_up", show=False),
    ]

    def __init__(self, index: Index, query: str = "", **kwargs) -> None:
        super().__init__(**kwargs)
        self.index = index
        self._initial = query
        self.hits: list[SearchHit] = []  # what the list shows, for shown_query
        self.shown_query: str | None = None  # the query the list shows results for
        self._coverage = index.coverage  # how much of the library the shown results searched

    def compose(self) -> ComposeResult:
        yield EagerInput(self._initial, placeholder='Search every talk ("quoted words" match as a phrase)', id="search-input")
        yield Static("", id="search-status")
        yield OptionList(id="search-hits")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(Input).focus()
        if self._initial:
            self.run_search(self._initial)
        if self._coverage is not None:
            self._following = self.set_interval(1.0, self._follow_index)

    def _follow_index(self) -> None:
        """While the index fills, search again as it grows (and once when it is whole)."""
        coverage = self.index.coverage
        if coverage == self._coverage:
            return
        self._coverage = coverage
        if coverage is None:
            self._following.stop()
        self.run_search(self.query_one(Input).value)

    # -- searching ----------------------------------------------------------

    @on(Input.Changed, "#search-input")
    def _changed(self, event: Input.Changed) -> None:
        self.run_search(event.value)

    @work(thread=True, exclusive=True, group="library-search")
    @forgets_its_worker
    def run_search(self, query: str) -> None:
        hits = self.index.search(query, limit=MAX_HITS) if query.strip() else []
        fixes = self.index.corrections(query) if query.strip() and not hits else []
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show, query, hits, fixes)

    def _show(self, query: str, hits: list[SearchHit], fixes: list[str]) -> None:
        if query != self.query_one(Input).value:
            return  # a newer query is on its way
        self.hits = hits
        self.shown_query = query
        hits_list = self.query_one(OptionList)
        status = self.query_one("#search-status", Static)
        match_style = self.get_component_rich_style("library-search--match", partial=True)
        options: list[Option] = []
        for i, hit in enumerate(hits):
            options.append(Option(hit_prompt(hit, match_style or "bold reverse"), id=str(i)))
        coverage = self.index.coverage
        so_far = f" · still indexing: {coverage[0]:,} of {coverage[1]:,} files searched so far" if coverage else ""
        if not query.strip():
            status.update(Text("Type to search every transcript and summary." + so_far))
        elif hits:
            more = "+" if len(hits) >= MAX_HITS else ""
            status.update(Text(f"{len(hits)}{more} {'hit' if len(hits) == 1 and not more else 'hits'}{so_far}"))
        elif fixes:
            status.update(Text(f"No matches{so_far}. Did you mean:"))
            options.extend(Option(Text(fix, style="bold"), id=f"{_FIX}{fix}") for fix in fixes)
        else:
            status.update(Text(f"No matches.{so_far}"))
        hits_list.set_options(options)
        if options:
            hits_list.highlighted = 0

    # -- choosing -------------------------------------------------------------

    @on(Input.Submitted, "#search-input")
    def _submitted(self) -> None:
        hits_list = self.query_one(OptionList)
        if hits_list.highlighted is not None:
            self._choose(hits_list.get_option_at_index(hits_list.highlighted))

    @on(OptionList.OptionSelected, "#search-hits")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self._choose(event.option)

    def _choose(self, option: Option) -> None:
        option_id = option.id or ""
        if option_id.startswith(_FIX):
            search_input = self.query_one(Input)
            search_input.value = option_id[len(_FIX):]
            search_input.cursor_position = len(search_input.value)
            search_input.focus()
            return
        self.dismiss(self.hits[int(option_id)])

    # -- actions ----------------------------------------------------------------

    def action_close(self) -> None:
        self.dismiss(None)

    def action_cursor_down(self) -> None:
        self.query_one(OptionList).action_cursor_down()

    def action_cursor_up(self) -> None:
        self.query_one(OptionList).action_cursor_up()

    def action_page_down(self) -> None:
        self.query_one(OptionList).action_page_down()

    def action_page_up(self) -> None:
        self.query_one(OptionList).action_page_up()
