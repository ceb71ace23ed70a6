"""The talk list screen: every talk of the library, a filter above it, Enter opens one."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Footer, Input, Static

from tui.textio import one_line
from widgets.talk_list import TalkList

if TYPE_CHECKING:
    from tui.app import TalkshelfApp
    from tui.library import Library


class TalkListScreen(Screen[None]):
    """Every talk of the library; type to filter, Enter to open."""

    # Focus the list from the start (the default, the first focusable widget, is the filter:
    # moving focus again would redraw the footer once more).
    AUTO_FOCUS = "#talks"

    BINDINGS = [
        Binding("slash", "focus_filter", "Filter", id="list.filter"),
        Binding("p", "show_problems", "Problems", id="problems"),
        Binding("m", "show_notes", "Marks", id="list.notes"),
        Binding("s", "search_library", "Search all", id="list.search_library"),
        Binding("escape", "clear_filter", "Clear filter", show=False, id="list.clear_filter"),
    ]

    def compose(self) -> ComposeResult:
        with Horizontal(id="list-top"):
            yield Static("", id="list-header", markup=False)
            yield Static("T transcript · S summaries · N notes", id="list-legend", markup=False)
        yield Input(placeholder="Filter talks by title or channel  ( / )", id="filter", select_on_focus=False)
        # While the library is read, the list itself says so and the header counts files
        # (no animated indicator: one widget less to lay out before the first frame).
        yield TalkList(id="talks")
        yield Footer(compact=True)

    def on_resize(self, event) -> None:
        # On a narrow terminal the talk count matters more than the legend.
        self.query_one("#list-legend").display = event.size.width >= 100

    def on_mount(self) -> None:
        app = cast("TalkshelfApp", self.app)
        app.list_screen_ready()

    @property
    def talk_list(self) -> TalkList:
        return self.query_one(TalkList)

    def show_library(self, library: Library, notes_count: dict[str, int] | None = None) -> None:
        hint = " Press p to see the files that could not be read." if library.problems else ""
        self.talk_list.empty_message = f"No talks in {one_line(str(library.root))}.{hint}"
        self.talk_list.set_talks(library.talks, notes_count)
        self.update_header()

    def show_scan_progress(self, files: int) -> None:
        app = cast("TalkshelfApp", self.app)
        if app.library is None:
            self.query_one("#list-header", Static).update(
                Text(f"talkshelf · scanning {one_line(str(app.library_path or 'the library'))} … {files} files read", no_wrap=True, overflow="ellipsis")
            )

    def update_header(self) -> None:
        app = cast("TalkshelfApp", self.app)
        library = app.library
        header = self.query_one("#list-header", Static)
        if library is None:
            verb = "indexing" if app.indexing is not None else "scanning"
            self.talk_list.empty_message = f"{verb.capitalize()} the library…"
            self.talk_list.refresh()
            text = Text(f"talkshelf · {verb} {one_line(str(app.library_path or 'the library'))} …", no_wrap=True, overflow="ellipsis")
            if app.indexing is not None:
                text = _progress_text(*app.indexing).append(" · ").append_text(text)
            header.update(text)
            return
        shown, total = len(self.talk_list.rows), len(library.talks)
        parts = ["talkshelf", f"{total} talk{'s' if total != 1 else ''}"]
        if shown != total:
            parts.append(f"{shown} shown")
        if library.problems:
            count = len(library.problems)
            parts.append(f"{count} problem{'s' if count != 1 else ''} (p)")
        # The path last: a long one (the sample library's, in site-packages) is what gets cut.
        parts.append(one_line(str(library.root)))
        text = Text(" · ".join(parts), no_wrap=True, overflow="ellipsis")
        if app.indexing is not None:
            # The count first: on a narrow terminal the path is what gets cut.
            text = _progress_text(*app.indexing).append(" · ").append_text(text)
        header.update(text)

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.talk_list.set_filter(event.value)
        self.update_header()

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self) -> None:
        self.talk_list.action_open()

    def on_key(self, event: events.Key) -> None:
        filter_input = self.query_one("#filter", Input)
        # From the filter, the arrow keys move through the list without leaving the input.
        if self.focused is filter_input and event.key in ("down", "up", "pagedown", "pageup"):
            getattr(self.talk_list, {"down": "action_cursor_down", "up": "action_cursor_up",
                                     "pagedown": "action_page_down", "pageup": "action_page_up"}[event.key])()
            event.stop()
            event.prevent_default()
        # Type to filter: on the list, a printable key bound to nothing starts the filter with it.
        # Keys typed fast arrive queued for the list before the focus moved: once the filter has
        # the focus, any printable key that still reaches the screen belongs in it too (the
        # filter's own keys never get here: the Input stops them).
        elif event.is_printable and event.character and (
            (self.focused is self.talk_list and event.key not in self.active_bindings)
            or self.focused is filter_input
        ):
            event.stop()
            event.prevent_default()
            self.set_focus(filter_input)  # at once, not deferred: the next key must reach the filter
            filter_input.insert_text_at_cursor(event.character)

    @on(TalkList.Opened)
    def _open(self, event: TalkList.Opened) -> None:
        app = cast("TalkshelfApp", self.app)
        app.open_talk(event.talk)

    def action_focus_filter(self) -> None:
        self.query_one("#filter", Input).focus()

    def action_clear_filter(self) -> None:
        box = self.query_one("#filter", Input)
        if box.value:
            box.value = ""
        self.talk_list.focus()

    def action_show_problems(self) -> None:
        app = cast("TalkshelfApp", self.app)
        app.action_show_problems()

    def action_show_notes(self) -> None:
        app = cast("TalkshelfApp", self.app)
        app.action_show_notes()

    def action_search_library(self) -> None:
        app = cast("TalkshelfApp", self.app)
        app.action_search_library()

    def palette_commands(self) -> list[tuple[str, str, Callable[[], object]]]:
        commands: list[tuple[str, str, Callable[[], object]]] = [
            ("Filter talks", "Type to filter the list by title or channel", self.action_focus_filter),
        ]
        app = cast("TalkshelfApp", self.app)
        if app.library is not None:
            for talk in app.library.talks[:PALETTE_TALKS]:
                commands.append((f"Open talk: {one_line(talk.title)}", one_line(talk.channel or talk.id), partial(app.open_talk, talk)))
        return commands


PALETTE_TALKS = 500  # the palette is not the place to scroll 10,000 talks: the filter is
PROGRESS_CELLS = 12


def _progress_text(done: int, total: int) -> Text:
    """`indexing ━━━━━───── 120/2000`: a bar and a count from plain strings."""
    filled = round(PROGRESS_CELLS * done / total) if total else 0
    text = Text("indexing ", style="bold", no_wrap=True, overflow="ellipsis")
    text.append("━" * filled, style="bold green")
    text.append("━" * (PROGRESS_CELLS - filled), style="dim")
    text.append(f" {done}/{total}" if total else " …")
    return text
