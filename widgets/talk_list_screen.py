"""The talk list screen: every talk of the library, a filter above it, Enter opens one.

The app fills it: it asks when mounted (`Ready`) and is told what to show
(`show_reading`, `show_indexing`, `show_library`); a talk to open goes up as
`OpenTalk`, and the other screens are the app's actions (`app.show_notes`).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Input

from tui.textio import one_line
from widgets.eager_input import EagerInput
from widgets.footer import Footer
from widgets.input_placeholder import InputPlaceholder
from widgets.screen_layout import LaidOutOnce
from widgets.talk_list import TalkList
from widgets.title_bar import TitleBar

if TYPE_CHECKING:
    from tui.library import Library
    from tui.model import Talk


class TalkListScreen(LaidOutOnce, Screen[None]):
    """Every talk of the library; type to filter, Enter to open.

    Every letter, digit and space typed here goes to the filter, from the first
    one on (`sourdough`, `gyro`, `q`): a reader types a title without first
    asking which letters are shortcuts. So this screen's own actions sit on
    keys that never start a word: symbols (`/` filter, `'` marks, `!` problems,
    `?` help) and ctrl keys (ctrl+f search every talk, ctrl+r reload,
    ctrl+q quit), listed in the footer and in help. Any other symbol bound
    to nothing also starts the filter.
    """

    # Letters and digits type into the filter here, so help leaves out the app's keys on them.
    TYPES_WORDS = True

    # Focus the list from the start (the default, the first focusable widget, is the filter:
    # moving focus again would redraw the footer once more).
    AUTO_FOCUS = "#talks"

    BINDINGS = [
        Binding("slash", "focus_filter", "Filter", show=False, id="list.filter"),
        Binding("ctrl+f", "app.search_library", "Search all", id="list.search_library"),
        Binding("apostrophe", "app.show_notes", "Marks", id="list.notes"),
        Binding("exclamation_mark", "app.show_problems", "Problems", id="problems"),
        Binding("ctrl+r,f5", "app.reload_library", "Reload", id="list.reload"),
        Binding("ctrl+q", "quit_app", "Quit", id="list.quit"),
        Binding("escape", "clear_filter", "Clear filter", show=False, id="list.clear_filter"),
    ]

    class Ready(Message):
        """The list is mounted: the app fills it (or starts reading the library)."""

    class OpenTalk(Message):
        """Open this talk: the app puts its talk screen over the list."""

        def __init__(self, talk: Talk) -> None:
            super().__init__()
            self.talk = talk

    def __init__(self) -> None:
        super().__init__()
        # What the header tells, as the app last said: the library once read, the folder and
        # the index's (done, total) while it is read.
        self.library: Library | None = None
        self.library_path: Path | None = None
        self.indexing: tuple[int, int] | None = None
        self._filter_placeholder = InputPlaceholder(FILTER_PLACEHOLDER, self._make_filter, id="filter-placeholder")

    @staticmethod
    def _make_filter() -> EagerInput:
        return EagerInput(placeholder=FILTER_PLACEHOLDER, id="filter", select_on_focus=False)

    @property
    def filter_input(self) -> EagerInput | None:
        """The filter box, once first wanted (until then its placeholder stands in its place)."""
        return self._filter_placeholder.made

    async def _filter(self) -> EagerInput:
        return await self._filter_placeholder.real_input()

    def compose(self) -> ComposeResult:
        # On a narrow terminal the talk count matters more than the legend.
        yield TitleBar("", "T transcript · S summaries · N notes", aside_min_width=100, id="list-header")
        # The filter box itself is mounted when first wanted (see InputPlaceholder).
        yield self._filter_placeholder
        # While the library is read, the list itself says so and the header counts files
        # (no animated indicator: one widget less to lay out before the first frame).
        yield TalkList(id="talks")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        # To the app itself, not bubbled up through this screen: filled as soon as it can be.
        self.app.post_message(self.Ready())

    @property
    def talk_list(self) -> TalkList:
        return self.query_one(TalkList)

    def show_library(self, library: Library, notes_count: dict[str, int] | None = None) -> None:
        self.library = library
        hint = " Press ! to see the files that could not be read." if library.problems else ""
        self.talk_list.empty_message = f"No talks in {one_line(str(library.root))}.{hint}"
        self.talk_list.set_talks(library.talks, notes_count)
        self.update_header()

    def show_reading(self, library_path: Path | None) -> None:
        """The library at `library_path` (None: the configured or sample one) is being read."""
        self.library_path = library_path
        self.update_header()

    def show_indexing(self, indexing: tuple[int, int] | None) -> None:
        """The index's refresh has read `done` of `total` files (None: it is over)."""
        self.indexing = indexing
        self.update_header()

    def show_scan_progress(self, files: int) -> None:
        # A count may come after the screen's widgets are gone (the app quit during the scan).
        header = self.query("#list-header")
        if self.library is None and header:
            header.first(TitleBar).update(
                Text(f"talkshelf · scanning {one_line(str(self.library_path or 'the library'))} … {files} files read", no_wrap=True, overflow="ellipsis")
            )

    def set_notes_count(self, notes_count: dict[str, int]) -> None:
        self.talk_list.set_notes_count(notes_count)

    def select_talk(self, talk_id: str) -> None:
        self.talk_list.select_talk(talk_id)

    def update_header(self) -> None:
        library = self.library
        header = self.query_one("#list-header", TitleBar)
        if library is None:
            verb = "indexing" if self.indexing is not None else "scanning"
            self.talk_list.empty_message = f"{verb.capitalize()} the library…"
            self.talk_list.refresh()
            text = Text(f"talkshelf · {verb} {one_line(str(self.library_path or 'the library'))} …", no_wrap=True, overflow="ellipsis")
            if self.indexing is not None:
                text = _progress_text(*self.indexing).append(" · ").append_text(text)
            header.update(text)
            return
        shown, total = len(self.talk_list.rows), len(library.talks)
        parts = ["talkshelf", f"{total} talk{'s' if total != 1 else ''}"]
        if shown != total:
            parts.append(f"{shown} shown")
        if library.problems:
            count = len(library.problems)
            parts.append(f"{count} problem{'s' if count != 1 else ''} (!)")
        # The path last: a long one (the sample library's, in site-packages) is what gets cut.
        parts.append(one_line(str(library.root)))
        text = Text(" · ".join(parts), no_wrap=True, overflow="ellipsis")
        if self.indexing is not None:
            # The count first: on a narrow terminal the path is what gets cut.
            text = _progress_text(*self.indexing).append(" · ").append_text(text)
        header.update(text)

    @on(TalkList.Opened)
    def _open(self, event: TalkList.Opened) -> None:
        event.stop()
        self.app.post_message(self.OpenTalk(event.talk))

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.talk_list.set_filter(event.value)
        self.update_header()

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self) -> None:
        self.talk_list.action_open()

    async def on_key(self, event: events.Key) -> None:
        if self.app.screen is not self:
            # Typed as a talk opened over the list: the app sends it on to that screen.
            return
        filter_input = self.filter_input
        # From the filter, the arrow keys move through the list without leaving the input.
        if filter_input is not None and self.focused is filter_input and event.key in ("down", "up", "pagedown", "pageup"):
            getattr(self.talk_list, {"down": "action_cursor_down", "up": "action_cursor_up",
                                     "pagedown": "action_page_down", "pageup": "action_page_up"}[event.key])()
            event.stop()
            event.prevent_default()
        # The filter key (/) moves the focus here, at once: as a binding it would run only when the
        # key came back up to the app, after the keys typed behind it had already started the filter.
        elif self.focused is self.talk_list and self._bound_to(event.key, "focus_filter"):
            event.stop()
            event.prevent_default()
            self.set_focus(await self._filter())
        # Type to filter: on the list, a letter, digit or space (whatever is bound to it elsewhere,
        # q included) or a symbol bound to nothing starts the filter with it.
        # Keys typed fast arrive queued for the list before the focus moved: once the filter has
        # the focus, any printable key that still reaches the screen belongs in it too (the
        # filter's own keys never get here: the Input stops them).
        elif event.is_printable and event.character and (
            (self.focused is self.talk_list and (types_into_filter(event.character) or event.key not in self.active_bindings))
            or (filter_input is not None and self.focused is filter_input)
        ):
            event.stop()
            event.prevent_default()
            # While the box mounts (the first key only), later keys wait in this screen's queue
            # behind this one: they come here next, in order, and find the focus on the filter.
            filter_input = await self._filter()
            self.set_focus(filter_input)  # at once, not deferred: the next key must reach the filter
            filter_input.insert_text_at_cursor(event.character)
        # An editing key (backspace, delete, the arrows, ctrl+w...) queued for the list before the
        # focus moved: its binding on the filter runs here, in turn with the letters typed around it
        # (see EagerInput). Left to the app, it ran after them ("a", backspace, "b" read "a").
        elif filter_input is not None and self.focused is filter_input:
            await filter_input.edit(event)

    def _bound_to(self, key: str, action: str) -> bool:
        active = self.active_bindings.get(key)
        return active is not None and active.node is self and active.binding.action == action

    async def action_focus_filter(self) -> None:
        (await self._filter()).focus()

    @on(InputPlaceholder.Wanted)
    async def _filter_clicked(self) -> None:
        await self.action_focus_filter()

    def action_clear_filter(self) -> None:
        box = self.filter_input
        if box is not None and box.value:
            box.value = ""
        self.talk_list.focus()

    def action_quit_app(self) -> None:
        # Not app.quit: on this screen the app's quit (q) is off, as q is typed into the filter.
        self.app.exit()

    def palette_commands(self) -> list[tuple[str, str, Callable[[], object]]]:
        commands: list[tuple[str, str, Callable[[], object]]] = [
            ("Filter talks", "Type to filter the list by title or channel", self.action_focus_filter),
            ("Reload the library", "Read added, changed and removed files now (key: ctrl+r)", partial(self.app.run_action, "app.reload_library")),
        ]
        if self.library is not None:
            for talk in self.library.talks[:PALETTE_TALKS]:
                opened = partial(self.app.post_message, self.OpenTalk(talk))
                commands.append((f"Open talk: {one_line(talk.title)}", one_line(talk.channel or talk.id), opened))
        return commands


def types_into_filter(character: str) -> bool:
    """Letters, digits and spaces always go to the filter on the list (never to a shortcut)."""
    return character.isalnum() or character == " "


FILTER_PLACEHOLDER = "Filter talks by title or channel  ( / )"
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
