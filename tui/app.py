"""The talkshelf app: the talk list screen and the talk screen (transcript beside its outline).

The only Textual code under tui/: the widgets live in widgets/, the look in
styles/app.tcss, and everything the screens show comes from the core.
"""

from __future__ import annotations

import sqlite3
import time
import webbrowser
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import events, on, work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.containers import Horizontal
from textual.css.query import NoMatches
from textual.screen import Screen
from textual.theme import Theme
from textual.widgets import Footer, Input, Static
from textual.worker import get_current_worker

from tui.config import Config, load_config, save_theme
from tui.model import Segment, Talk, format_time
from tui.placement import Placement, own_times, place_sections
from tui.quotes import check_template, copy_text, format_quote
from tui.store import NOTE, Item, Locator, Moment, MomentChecker, Store, StoreError, talk_key
from tui.textio import strip_controls
from widgets.find_bar import FindBar
from widgets.help_screen import HelpScreen
from widgets.note_editor import NoteEditor
from widgets.notes_view import NotesView
from widgets.outline_tree import OutlineTree, Section
from widgets.problems_view import ProblemsScreen
from widgets.talk_list import TalkList
from widgets.transcript_view import TranscriptView

if TYPE_CHECKING:
    from tui.index import Index, SearchHit
    from tui.library import Library

STYLES = Path(__file__).resolve().parent.parent / "styles"
# What a store call can fail with (a full disk, a read-only folder, a lock held too long): told, never a crash.
STORE_FAILURES = (StoreError, sqlite3.Error, OSError)


def _plain(text: str) -> str:
    return " ".join(strip_controls(text).split())


# --- the talk list ------------------------------------------------------------


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
        app = self.app
        assert isinstance(app, TalkshelfApp)
        app.list_screen_ready()

    @property
    def talk_list(self) -> TalkList:
        return self.query_one(TalkList)

    def show_library(self, library: Library, notes_count: dict[str, int] | None = None) -> None:
        hint = " Press p to see the files that could not be read." if library.problems else ""
        self.talk_list.empty_message = f"No talks in {_plain(str(library.root))}.{hint}"
        self.talk_list.set_talks(library.talks, notes_count)
        self.update_header()

    def show_scan_progress(self, files: int) -> None:
        app = self.app
        assert isinstance(app, TalkshelfApp)
        if app.library is None:
            self.query_one("#list-header", Static).update(
                Text(f"talkshelf · scanning {_plain(str(app.library_path or 'the library'))} … {files} files read", no_wrap=True, overflow="ellipsis")
            )

    def update_header(self) -> None:
        app = self.app
        assert isinstance(app, TalkshelfApp)
        library = app.library
        header = self.query_one("#list-header", Static)
        if library is None:
            verb = "indexing" if app.indexing is not None else "scanning"
            self.talk_list.empty_message = f"{verb.capitalize()} the library…"
            self.talk_list.refresh()
            text = Text(f"talkshelf · {verb} {_plain(str(app.library_path or 'the library'))} …", no_wrap=True, overflow="ellipsis")
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
        parts.append(_plain(str(library.root)))
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
        app = self.app
        assert isinstance(app, TalkshelfApp)
        app.open_talk(event.talk)

    def action_focus_filter(self) -> None:
        self.query_one("#filter", Input).focus()

    def action_clear_filter(self) -> None:
        box = self.query_one("#filter", Input)
        if box.value:
            box.value = ""
        self.talk_list.focus()

    def action_show_problems(self) -> None:
        app = self.app
        assert isinstance(app, TalkshelfApp)
        app.action_show_problems()

    def action_show_notes(self) -> None:
        app = self.app
        assert isinstance(app, TalkshelfApp)
        app.action_show_notes()

    def action_search_library(self) -> None:
        app = self.app
        assert isinstance(app, TalkshelfApp)
        app.action_search_library()

    def palette_commands(self) -> list[tuple[str, str, Callable[[], object]]]:
        commands: list[tuple[str, str, Callable[[], object]]] = [
            ("Filter talks", "Type to filter the list by title or channel", self.action_focus_filter),
        ]
        app = self.app
        assert isinstance(app, TalkshelfApp)
        if app.library is not None:
            for talk in app.library.talks[:PALETTE_TALKS]:
                commands.append((f"Open talk: {_plain(talk.title)}", _plain(talk.channel or talk.id), partial(app.open_talk, talk)))
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


# --- one talk -----------------------------------------------------------------


class TalkTranscript(TranscriptView):
    """The talk screen's transcript: `v` (select) off the footer, which is full at 80 columns (help and the palette list it)."""

    BINDINGS = [Binding("v", "toggle_selection", "Select", show=False, id="transcript.select")]



class TalkScreen(Screen[None]):
    """The transcript (or the summaries, when there is no transcript) beside the outline."""

    AUTO_FOCUS = "#transcript"

    BINDINGS = [
        Binding("escape", "clear_search", "Clear", id="talk.clear_search"),
        Binding("escape", "back", "Back", id="talk.back"),
        Binding("backspace", "back", "Back", show=False, id="talk.back_alt"),
        Binding("slash", "search", "Search", id="talk.search"),
        # While a search is on, n/N take its place in the footer (the same key, unlisted, still searches):
        # at 80 columns the footer must keep q and ?.
        Binding("slash", "search_again", "Search", show=False, id="talk.search_again"),
        Binding("n", "next_match", "Next", key_display="n/N", id="talk.next_match"),
        Binding("N", "previous_match", "Prev match", show=False, id="talk.previous_match"),
        Binding("y", "quote", "Quote", id="talk.quote"),
        # Off the footer (help and the palette list it): the footer is full at 80 columns.
        Binding("o", "open_video", "Open video", show=False, id="talk.open_video"),
        Binding("b", "bookmark", "Bookmark", id="talk.bookmark"),
        Binding("a", "note", "Note", id="talk.note"),
        # Off the footer (help and the palette list it): the footer is full at 80 columns.
        Binding("A", "talk_note", "Talk note", show=False, id="talk.talk_note"),
        Binding("m", "show_notes", "Marks", show=False, id="talk.notes"),
        Binding("S", "search_library", "Library", id="talk.search_library"),
    ]

    def __init__(
        self,
        talk: Talk,
        *,
        at: float | None = None,
        moment: Moment | None = None,
        quote_template: str | None = None,
        hit: SearchHit | None = None,
    ) -> None:
        super().__init__()
        self.talk = talk
        self.at = at
        self.hit = hit  # a library search hit to open at, highlighted
        self.moment = moment  # a bookmark's or note's moment to open at (found again by its words)
        self.quote_template = quote_template
        self.searching = False  # a search is active: its matches are drawn and n/N step through them
        # Without a transcript the pane shows the summaries: segment i of the pane is
        # segment `local` of document `doc` (and sections point into documents).
        self.pane_segments: list[Segment] = []
        self.pane_origin: list[tuple[int, int]] = []
        self.doc_offsets: dict[int, int] = {}
        self._locator: Locator | None = None
        self._key: str | None = None

    @property
    def has_transcript(self) -> bool:
        transcript = self.talk.transcript
        return transcript is not None and bool(transcript.segments)

    def compose(self) -> ComposeResult:
        yield Static(self._header_text(), id="talk-header")
        with Horizontal(id="talk-body"):
            yield TalkTranscript(id="transcript")
            yield OutlineTree(id="outline")
        yield FindBar(id="find")
        yield Footer(compact=True)

    def _header_text(self, talk_notes: int = 0) -> Text:
        talk = self.talk
        text = Text(no_wrap=True, overflow="ellipsis", end="")
        if talk_notes:
            # Notes on the whole talk have no paragraph to mark: the header says they are there.
            text.append(f"✎{talk_notes if talk_notes > 1 else ''} ", "bold")
        text.append(_plain(talk.title) or talk.id, "bold")
        if talk.channel:
            text.append(f" · {_plain(talk.channel)}")
        if talk.duration:
            text.append(f" · {format_time(talk.duration)}")
        if not self.has_transcript:
            text.append(" · no transcript: the summaries", "italic")
        return text

    def on_mount(self) -> None:
        view = self.query_one(TranscriptView)
        talk = self.talk
        if self.has_transcript:
            assert talk.transcript is not None
            self.pane_segments = talk.transcript.segments
        else:
            for doc_index, doc in enumerate(talk.documents):
                self.doc_offsets[doc_index] = len(self.pane_segments)
                for local, segment in enumerate(doc.segments):
                    self.pane_segments.append(segment)
                    self.pane_origin.append((doc_index, local))
        outline = self.query_one(OutlineTree)
        # The summaries' own times at once; sections without one are matched in a thread.
        placements = own_times(talk)
        outline.show(talk, placements)
        outline.display = bool(talk.summaries)
        if any(origin == "pending" for *_, origin in placements):
            # After the first frame: the thread would otherwise compete with it for the interpreter.
            self.call_after_refresh(self._place_sections)
        # Filled and moved quietly, then the outline is set once from where the cursor ended up.
        with self.prevent(TranscriptView.CursorMoved):
            view.show(self.pane_segments, empty_message="This talk has no text to show.")
            if self.at is not None:
                view.jump_to_time(self.at)
            if self.moment is not None:
                self.go_to_moment(self.moment)
            if self.hit is not None:
                self.go_to_hit(self.hit)
        if view.segments:
            self._follow_cursor(view.cursor)
        self.refresh_marks()
        view.focus()

    def go_to_hit(self, hit: SearchHit) -> None:
        """Move to a library search hit and highlight its matched words like a search in the talk."""
        view = self.view
        if hit.segment < 0:
            return  # a title hit: the talk itself is the answer
        pane_index: int | None = None
        transcript = self.talk.transcript
        if self.has_transcript and transcript is not None and transcript.path == hit.path and transcript.role == hit.role:
            pane_index = hit.segment
        elif not self.has_transcript:
            for doc_index, doc in enumerate(self.talk.documents):
                if doc.path == hit.path and doc.role == hit.role and doc_index in self.doc_offsets:
                    pane_index = self.doc_offsets[doc_index] + hit.segment
                    break
        if pane_index is not None and 0 <= pane_index < len(view.segments):
            view.jump_to_segment(pane_index)
        elif hit.start is not None:
            view.jump_to_time(hit.start)  # a summary's hit beside a transcript: its moment
        words = [hit.text[a:b] for a, b in hit.spans]
        if words:
            # The longest matched stretch: the pane's search finds it from the cursor on.
            status = view.search(max(words, key=len))
            self._set_searching(True)
            self.query_one(FindBar).set_status(status)

    def action_search_library(self) -> None:
        app = self.app
        assert isinstance(app, TalkshelfApp)
        app.action_search_library()

    @work(thread=True, exclusive=True, group="placement")
    def _place_sections(self) -> None:
        placements = place_sections(self.talk)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._placed, placements)

    def _placed(self, placements: list[Placement]) -> None:
        if not self.is_attached:
            return
        outline = self.query_one(OutlineTree)
        outline.show(self.talk, placements)
        if not outline.has_focus and self.view.segments:
            self._follow_cursor(self.view.cursor)

    @property
    def view(self) -> TranscriptView:
        return self.query_one(TranscriptView)

    # -- outline <-> transcript --------------------------------------------------

    @on(OutlineTree.SectionChosen)
    def _section_chosen(self, event: OutlineTree.SectionChosen) -> None:
        section = event.section
        view = self.view
        # Moving the transcript must not move the outline back (no echo).
        with self.prevent(TranscriptView.CursorMoved):
            if self.has_transcript:
                if section.seconds is not None:
                    view.jump_to_time(section.seconds)
                elif event.chosen:  # not while merely moving past it
                    self.notify("This section has no time and does not clearly match the transcript.", timeout=3)
            else:
                doc = self.talk.documents[section.doc_index]
                entry = doc.outline[section.entry_index]
                view.jump_to_segment(self.doc_offsets.get(section.doc_index, 0) + entry.segment)

    @on(TranscriptView.CursorMoved)
    def _cursor_moved(self, event: TranscriptView.CursorMoved) -> None:
        self._follow_cursor(event.index)

    def _follow_cursor(self, index: int) -> None:
        """Highlight the outline section that covers paragraph `index` of the pane."""
        outline = self.query_one(OutlineTree)
        if self.has_transcript:
            outline.highlight_time(self.pane_segments[index].start)
        elif 0 <= index < len(self.pane_origin):
            doc_index, local = self.pane_origin[index]
            doc = self.talk.documents[doc_index]
            entry_index = max((i for i, e in enumerate(doc.outline) if e.segment <= local), default=None)
            if entry_index is not None:
                section = next((s for s in outline.sections if (s.doc_index, s.entry_index) == (doc_index, entry_index)), None)
                outline.highlight_section(section)

    # -- search --------------------------------------------------------------------

    def action_search(self) -> None:
        self.query_one(FindBar).open()

    def action_search_again(self) -> None:
        self.action_search()

    @on(FindBar.Changed)
    def _search_changed(self, event: FindBar.Changed) -> None:
        if event.query.strip():
            status = self.view.search(event.query)
        else:
            self.view.clear_search()
            status = self.view.search_status
        self._set_searching(bool(event.query.strip()))
        self.query_one(FindBar).set_status(status)

    def _set_searching(self, active: bool) -> None:
        if active != self.searching:
            self.searching = active
            self.refresh_bindings()  # n / N appear in the footer only while a search is on

    @on(FindBar.Next)
    def _find_next(self) -> None:
        self.action_next_match()

    @on(FindBar.Previous)
    def _find_previous(self) -> None:
        self.action_previous_match()

    @on(FindBar.Closed)
    def _find_closed(self) -> None:
        # The position stays where the search took it; the matches stay for n / N.
        self.view.focus()

    def action_next_match(self) -> None:
        if self.searching:
            self.query_one(FindBar).set_status(self.view.next_match())

    def action_previous_match(self) -> None:
        if self.searching:
            self.query_one(FindBar).set_status(self.view.previous_match())

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("next_match", "previous_match", "clear_search"):
            return self.searching
        if action in ("back", "search"):
            return not self.searching
        if action == "search_again":
            return self.searching
        return True

    # -- quotes and the video ----------------------------------------------------------

    def action_quote(self) -> None:
        segments = list(self.view.selected_segments())
        if not segments:
            self.notify("Nothing to quote here.", severity="warning")
            return
        text = format_quote(self.talk, segments, self.quote_template)
        system, reason = copy_text(text, self.app.copy_to_clipboard)
        words = len(text.split())
        if system:
            self.notify(f"Quote copied to the clipboard ({words} words).", title="Copied")
        else:
            self.notify(
                f"Quote sent to the terminal clipboard (OSC 52), as there is no system clipboard here: {reason}. "
                "It pastes if your terminal allows OSC 52.",
                title="Copied through the terminal",
                timeout=8,
            )

    def action_open_video(self) -> None:
        segments = self.view.segments
        cursor = self.view.cursor
        seconds = segments[cursor].start if 0 <= cursor < len(segments) else None
        url = self.talk.link(seconds)
        if not url:
            self.notify("This talk has no video link.", severity="warning")
            return
        try:
            opened = webbrowser.open(url)
        except Exception as exc:  # no browser, a broken BROWSER variable: say so, never crash
            self.notify(f"Could not open a browser ({exc}). The link: {url}", severity="error", timeout=10)
            return
        if opened:
            self.notify(f"Opened {url}")
        else:
            self.notify(f"No browser to open here. The link: {url}", severity="warning", timeout=10)

    # -- bookmarks and notes -------------------------------------------------------------

    @property
    def key(self) -> str:
        """The talk's key in the store (a hash of its text without a video id: computed once)."""
        if self._key is None:
            self._key = talk_key(self.talk)
        return self._key

    @property
    def locator(self) -> Locator:
        """Finds moments in the pane's paragraphs (the same list as tui.store.talk_paragraphs)."""
        if self._locator is None:
            self._locator = Locator(self.pane_segments)
        return self._locator

    def _store(self) -> Store | None:
        app = self.app
        assert isinstance(app, TalkshelfApp)
        return app.notes_store(tell=True)

    def refresh_marks(self) -> None:
        """Redraw the gutter's ★ and ✎ from the store."""
        app = self.app
        assert isinstance(app, TalkshelfApp)
        store = app.notes_store()
        if store is not None and self.pane_segments:
            try:
                marks = store.marks(self.key, self.locator)
                talk_notes = len(store.talk_notes(self.key))
            except STORE_FAILURES as exc:
                self.notify(f"Could not read the bookmarks and notes: {exc}", severity="error", timeout=10)
                return
            self.view.set_marks(marks)
            self.query_one("#talk-header", Static).update(self._header_text(talk_notes))

    def go_to_moment(self, moment: Moment) -> None:
        """Put the cursor on the paragraph a bookmark or note was made on, found by its words."""
        view = self.view
        index = self.locator.locate(moment)
        if index is not None:
            view.jump_to_segment(index)
        elif moment.seconds is not None and self.has_transcript:
            view.jump_to_time(moment.seconds)
            self.notify(f"That moment's words are no longer in this talk: opened near {format_time(moment.seconds)}.",
                        severity="warning", timeout=6)
        else:
            self.notify("That moment is no longer in this talk.", severity="warning", timeout=6)

    def _changed(self) -> None:
        self.refresh_marks()
        app = self.app
        assert isinstance(app, TalkshelfApp)
        app.notes_changed(self.talk, self.key)

    def action_bookmark(self) -> None:
        store = self._store()
        view = self.view
        if store is None:
            return
        if not 0 <= view.cursor < len(self.pane_segments):
            self.notify("Nothing to bookmark here.", severity="warning")
            return
        segment = self.pane_segments[view.cursor]
        try:
            added = store.toggle_bookmark(self.talk, segment, self.locator)
        except STORE_FAILURES as exc:
            self.notify(f"Could not save the bookmark: {exc}", severity="error", timeout=10)
            return
        self.notify(f"Bookmarked {format_time(segment.start, segment.estimated)}" if added else "Bookmark removed")
        self._changed()

    def _note_at(self, index: int) -> Item | None:
        """The first note whose moment is the paragraph `index`."""
        store = self._store()
        if store is None:
            return None
        try:
            items = store.items_for_talk(self.key)
        except STORE_FAILURES:
            return None  # a new note then; saving says what is wrong
        for item in items:
            if item.kind == NOTE and item.moment is not None and self.locator.locate(item.moment) == index:
                return item
        return None

    def action_note(self) -> None:
        """A note on the selection or the cursor paragraph; the paragraph's own note is edited if it has one."""
        store = self._store()
        view = self.view
        if store is None:
            return
        segments = list(view.selected_segments())
        if not segments:
            self.notify("Nothing to write a note on here.", severity="warning")
            return
        existing = self._note_at(view.cursor) if view.selection is None else None
        title = _plain(self.talk.title) or self.talk.id
        when = format_time(segments[0].start, segments[0].estimated)
        heading = f"Note at {when}: {title}"
        quote = "\n\n".join(s.text for s in segments)
        if existing is not None:
            self._edit_note(existing, heading)
            return

        def saved(text: str | None) -> None:
            if text is None:
                return
            try:
                store.add_note(self.talk, segments, text, quote=quote)
            except STORE_FAILURES as exc:
                self.notify(f"Could not save the note: {exc}", severity="error", timeout=10)
                return
            self.notify(f"Note saved at {when}")
            self._changed()

        self.app.push_screen(NoteEditor(heading=heading, quote=quote), saved)

    def action_talk_note(self) -> None:
        """A note on the whole talk (its first such note is edited if there is one)."""
        store = self._store()
        if store is None:
            return
        heading = f"Note on the whole talk: {_plain(self.talk.title) or self.talk.id}"
        try:
            existing = next(iter(store.talk_notes(self.key)), None)
        except STORE_FAILURES:
            existing = None  # a new note then; saving says what is wrong
        if existing is not None:
            self._edit_note(existing, heading)
            return

        def saved(text: str | None) -> None:
            if text is None:
                return
            try:
                store.add_note(self.talk, None, text)
            except STORE_FAILURES as exc:
                self.notify(f"Could not save the note: {exc}", severity="error", timeout=10)
                return
            self.notify("Note on the talk saved")
            self._changed()

        self.app.push_screen(NoteEditor(heading=heading), saved)

    def _edit_note(self, item: Item, heading: str) -> None:
        store = self._store()
        assert store is not None

        def saved(text: str | None) -> None:
            if text is None or text == item.note:
                return
            try:
                store.update_note(item.id, text)
            except (*STORE_FAILURES, KeyError) as exc:
                self.notify(f"Could not save the note: {exc}", severity="error", timeout=10)
                return
            self.notify("Note updated")
            self._changed()

        self.app.push_screen(NoteEditor(item.note, heading=heading, quote=item.quote), saved)

    def action_show_notes(self) -> None:
        app = self.app
        assert isinstance(app, TalkshelfApp)
        app.action_show_notes()

    # -- leaving ------------------------------------------------------------------------

    def action_clear_search(self) -> None:
        # The first Esc after a search clears its matches; the next one goes back.
        self.view.clear_search()
        self._set_searching(False)
        self.query_one(FindBar).set_status(self.view.search_status)

    def action_back(self) -> None:
        self.app.pop_screen()

    def palette_commands(self) -> list[tuple[str, str, Callable[[], object]]]:
        commands: list[tuple[str, str, Callable[[], object]]] = [
            ("Back to the talk list", "Leave this talk", self.app.pop_screen),
            ("Search in the talk", "Highlight every match as you type", self.action_search),
            ("Copy quote", "The cursor paragraph or the selection, with a link to its moment", self.action_quote),
            ("Open the video here", "In the browser, at the cursor's time", self.action_open_video),
        ]
        outline = self.query_one(OutlineTree)
        for section in outline.sections:
            entry = self.talk.documents[section.doc_index].outline[section.entry_index]
            when = format_time(section.seconds) if section.seconds is not None else "no time"
            commands.append((f"Go to section: {_plain(entry.title)}", when, partial(self._go_to_section, section)))
        return commands

    def _go_to_section(self, section: Section) -> None:
        self.query_one(OutlineTree).highlight_section(section)
        self._section_chosen(OutlineTree.SectionChosen(section))


# --- the command palette ------------------------------------------------------------


class TalkshelfCommands(Provider):
    """Every action reachable from where the palette was opened: its key bindings and the screen's own commands."""

    def _commands(self) -> list[tuple[str, str, Callable[[], object]]]:
        screen = self.screen
        app = self.app
        commands: list[tuple[str, str, Callable[[], object]]] = []
        if hasattr(screen, "palette_commands"):
            commands.extend(screen.palette_commands())
        names = {name.casefold() for name, _, _ in commands}
        for key, active in screen.active_bindings.items():
            binding = active.binding
            if not binding.description or not active.enabled:
                continue
            name = binding.description
            if name.casefold() in names or name in ("Palette", "Keys"):
                continue
            names.add(name.casefold())
            shown_key = app.get_key_display(binding)
            commands.append((name, f"key: {shown_key}", partial(app.run_action, binding.action, active.node)))
        return commands

    async def discover(self) -> Hits:
        for name, help_text, callback in self._commands():
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, callback in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, text=name, help=help_text)


# --- the app ------------------------------------------------------------------------


class TalkshelfApp(App[None]):
    TITLE = "talkshelf"
    CSS_PATH = [STYLES / "app.tcss"]
    COMMANDS = App.COMMANDS | {TalkshelfCommands}

    BINDINGS = [
        Binding("q", "quit", "Quit", id="quit"),
        Binding("question_mark", "help", "Help", id="help"),
        Binding("f1", "help", "Help", show=False, id="help_alt"),
        Binding("ctrl+t", "change_theme", "Theme", show=False, id="theme"),
    ]

    def __init__(
        self,
        library: Library | None,
        *,
        talk_id: str | None = None,
        at: float | None = None,
        config: Config | None = None,
        library_path: Path | None = None,
        notes_count: dict[str, int] | None = None,
        use_index: bool = False,
        index: Index | None = None,
    ) -> None:
        """`library`: already scanned (tests); else read `library_path` in a worker, through
        the persistent index with `use_index` (falling back to a scan when it cannot be used)."""
        super().__init__()
        self.library = library
        self.use_index = use_index
        self.index = index  # for searching the library; None when there is none
        self.index_ready = index is not None  # refreshed against the files
        self.indexing: tuple[int, int] | None = None  # (done, total) while a refresh runs
        self.library_path = library_path if library_path is not None else (library.root if library else None)
        self.config = config if config is not None else load_config()
        self.start_talk = talk_id
        self.start_at = at
        self.notes_count = notes_count or {}
        self._saved_theme = self.config.theme
        # Bookmarks and notes: opened once, on first use (None with store_error set when it cannot be).
        self.store: Store | None = None
        self.store_error: str | None = None
        self._store_tried = False

    # -- start-up -------------------------------------------------------------------

    def on_mount(self) -> None:
        if self.config.theme:
            if self.config.theme in self.available_themes:
                self.theme = self.config.theme
            else:
                self.notify(f"Unknown theme {self.config.theme!r} in the settings; using {self.theme}.", severity="warning")
        if self.config.keys:
            self.set_keymap(self.config.keys)
            unknown = sorted(set(self.config.keys) - binding_ids())
            if unknown:
                self.notify(
                    f"config.toml [keys]: no action with the id {', '.join(unknown)} (press ? for the ids).",
                    title="Settings",
                    severity="warning",
                    timeout=10,
                )
        for problem in self.config.problems:
            self.notify(problem, title="Settings", severity="warning", timeout=10)
        if self.config.quote_template and (why := check_template(self.config.quote_template)):
            self.notify(f"{why}; quotes use the default template.", title="Settings", severity="warning", timeout=10)
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        # Opened (and any problem told) once the first frame is up: it is not needed to draw it.
        self.call_after_refresh(self.notes_store)

    def on_unmount(self) -> None:
        if self.store is not None:
            self.store.close()  # safe while a notes-count thread still reads: close takes the store's lock
            self.store = None
        index = self.index
        if index is not None and self.use_index:
            self.index = None
            index.close()

    # -- bookmarks and notes ----------------------------------------------------------

    def notes_store(self, *, tell: bool = False) -> Store | None:
        """The store, opened on first call; None when it cannot be opened (`tell`: say why)."""
        if not self._store_tried:
            self._store_tried = True
            try:
                self.store = Store.open()
            except STORE_FAILURES as exc:
                self.store_error = str(exc)
                self.notify(f"Bookmarks and notes are unavailable: {exc}", title="Notes", severity="error", timeout=15)
            else:
                if self.store.recovered_from:
                    self.notify(self.store.recovered_from, title="Notes", severity="warning", timeout=30)
        elif self.store is None and tell:
            self.notify(f"Bookmarks and notes are unavailable: {self.store_error}", title="Notes", severity="error", timeout=8)
        return self.store

    def notes_changed(self, talk: Talk, key: str) -> None:
        """One talk's bookmarks or notes changed: its count in the talk list follows."""
        store = self.notes_store()
        if store is None:
            return
        try:
            count = len(store.items_for_talk(key))
        except STORE_FAILURES:
            return
        if count:
            self.notes_count[talk.id] = count
        else:
            self.notes_count.pop(talk.id, None)
        self.list_screen.talk_list.set_notes_count(self.notes_count)

    @work(thread=True, exclusive=True, group="notes-count")
    def _count_notes(self) -> None:
        """Every talk's count for the list (talk keys hash text: off the UI thread)."""
        store, library = self.store, self.library
        if store is None or library is None:
            return
        try:
            counts = store.counts_for(library.talks)
        except STORE_FAILURES:
            return  # the list shows no counts; the next change tries again
        if not get_current_worker().is_cancelled:
            self.call_from_thread(self._counted, counts)

    def _counted(self, counts: dict[str, int]) -> None:
        self.notes_count = counts
        try:
            talk_list = self.list_screen.talk_list
        except (NoMatches, StopIteration):
            return  # the app is quitting: its screens are already gone
        talk_list.set_notes_count(counts)

    def action_show_notes(self) -> None:
        """Every bookmark and note of the library; Enter opens the chosen one's talk at its moment."""
        if isinstance(self.screen, NotesView):
            return
        store = self.notes_store(tell=True)
        if store is None:
            return
        checker = MomentChecker(self.library.talks if self.library is not None else [])
        self.push_screen(NotesView(store, checker), partial(self._notes_closed, checker))

    def _notes_closed(self, checker: MomentChecker, item: Item | None) -> None:
        # Items may have been edited or deleted there: marks and counts follow.
        for screen in self.screen_stack:
            if isinstance(screen, TalkScreen):
                screen.refresh_marks()
        self._count_notes()
        if item is None:
            return
        talk = checker.talk(item.talk_key)
        if talk is None:
            self.notify(f"{_plain(item.talk_title) or 'That talk'} is not in this library.", severity="warning", timeout=6)
            return
        screen = self.screen
        if isinstance(screen, TalkScreen) and screen.talk is talk:
            if item.moment is not None:
                screen.go_to_moment(item.moment)  # the outline follows through CursorMoved
            return
        while isinstance(self.screen, TalkScreen):
            self.pop_screen()
        self.list_screen.talk_list.select_talk(talk.id)
        self.push_screen(TalkScreen(talk, moment=item.moment, quote_template=self.config.quote_template))

    def get_default_screen(self) -> Screen:
        # The list is the first screen itself (not pushed over an empty one): one screen less to paint at start.
        return TalkListScreen()

    def list_screen_ready(self) -> None:
        """The list screen is mounted: fill it now, or scan the library in a thread first."""
        if self.library is not None:
            self._library_ready()
        else:
            self.list_screen.update_header()
            # Start reading once the screen is up: a thread scanning while the first
            # frame is drawn would hold the interpreter lock and delay it.
            if self.use_index:
                self.call_after_refresh(self._load_index, self.library_path)
            else:
                self.call_after_refresh(self._scan, self.library_path)

    @work(thread=True, exclusive=True, group="scan")
    def _load_index(self, path: Path | None) -> None:
        """Show the library from the index at once, then bring the index up to date and show that."""
        import sqlite3 as _sqlite3

        from tui.index import Index
        from tui.library import Library, resolve_library, scan
        from tui.paths import cache_dir

        root = resolve_library(path)
        worker = get_current_worker()
        shown = False
        try:
            index = Index.open(cache_dir(), root=root)
            talks, problems = index.talks(), index.problems()
        except (_sqlite3.Error, OSError) as exc:
            self.call_from_thread(
                self.notify, f"The library index cannot be used ({exc}): reading every file instead; searching the library is off.",
                title="Index", severity="warning", timeout=10,
            )
            library = scan(root)
            if not worker.is_cancelled:
                self.call_from_thread(self._scanned, library)
            return
        self.call_from_thread(self._index_opened, index)
        if talks or problems:
            shown = True
            self.call_from_thread(self._indexed, Library(root, talks, problems))
        last = 0.0

        def progress(done: int, total: int) -> None:
            nonlocal last
            now = time.monotonic()
            if now - last > 0.1 or done == total:  # a few updates a second, not one per file
                last = now
                self.call_from_thread(self._index_progress, done, total)

        self.call_from_thread(self._index_progress, 0, 0)
        try:
            index.refresh(root, progress)
            talks, problems = index.talks(), index.problems()
        except (_sqlite3.Error, OSError) as exc:
            self.call_from_thread(
                self.notify, f"Could not bring the library index up to date: {exc}", title="Index", severity="error", timeout=10
            )
            if not shown and not worker.is_cancelled:
                library = scan(root)
                self.call_from_thread(self._index_progress, None)
                self.call_from_thread(self._scanned, library)
            return
        if not worker.is_cancelled:
            self.call_from_thread(self._indexed, Library(root, talks, problems), True)

    def _index_opened(self, index: Index) -> None:
        self.index = index

    def _index_progress(self, done: int | None, total: int = 0) -> None:
        self.indexing = None if done is None else (done, total)
        self.list_screen.update_header()

    def _indexed(self, library: Library, refreshed: bool = False) -> None:
        """The index's view of the library: the first one shown, or the refreshed one replacing it."""
        first = self.library is None
        self.library = library
        self.library_path = library.root
        if refreshed:
            self.indexing = None
            self.index_ready = True
        if first:
            self._library_ready()
        else:
            self.list_screen.show_library(library, self.notes_count)
            if self.notes_store() is not None:
                self._count_notes()

    @work(thread=True, exclusive=True, group="scan")
    def _scan(self, path: Path | None) -> None:
        from tui.library import resolve_library, scan

        root = resolve_library(path)
        worker = get_current_worker()
        last = 0.0

        def progress(count: int, _path: Path) -> None:
            nonlocal last
            now = time.monotonic()
            if now - last > 0.1:  # a few updates a second, not one per file
                last = now
                self.call_from_thread(self.list_screen.show_scan_progress, count)

        library = scan(root, progress=progress)
        if not worker.is_cancelled:
            self.call_from_thread(self._scanned, library)

    def _scanned(self, library: Library) -> None:
        self.library = library
        self.library_path = library.root
        self._library_ready()

    def _library_ready(self) -> None:
        assert self.library is not None
        self.list_screen.show_library(self.library, self.notes_count)
        if self.notes_store() is not None:
            self._count_notes()
        if self.start_talk:
            talk = self.library.find(self.start_talk)
            if talk is None:
                self.notify(f"No talk {self.start_talk!r} in {self.library.root}.", severity="error", timeout=10)
            else:
                self.list_screen.talk_list.select_talk(talk.id)
                self.open_talk(talk, at=self.start_at)
            self.start_talk = None
        elif self.library.root.is_file() and len(self.library.talks) == 1:
            # `talkshelf talk.vtt`: the one talk is what the person wants to read.
            self.open_talk(self.library.talks[0], at=self.start_at)

    @property
    def list_screen(self) -> TalkListScreen:
        screen = next(s for s in self.screen_stack if isinstance(s, TalkListScreen))
        return screen

    # -- actions ------------------------------------------------------------------------

    def open_talk(self, talk: Talk, at: float | None = None) -> None:
        self.push_screen(TalkScreen(talk, at=at, quote_template=self.config.quote_template))

    def action_search_library(self) -> None:
        """Search every talk through the index; the chosen hit opens its talk there."""
        from widgets.library_search import LibrarySearchScreen

        if isinstance(self.screen, LibrarySearchScreen):
            return
        if self.index is None:
            why = "the library is still being opened" if self.use_index and self.library is None else "there is no library index"
            self.notify(f"Searching the library is not available: {why}.", severity="warning", timeout=6)
            return
        if not self.index_ready:
            self.notify("Still indexing the library: searching what is indexed so far.", timeout=5)
        self.push_screen(LibrarySearchScreen(self.index), self._search_chosen)

    def _search_chosen(self, hit: SearchHit | None) -> None:
        if hit is None:
            return
        talk = self.library.find(hit.talk_id) if self.library is not None else None
        if talk is None:
            self.notify(f"{_plain(hit.title) or 'That talk'} is no longer in the list; try again after indexing.", severity="warning", timeout=6)
            return
        while isinstance(self.screen, TalkScreen):
            self.pop_screen()
        self.list_screen.talk_list.select_talk(talk.id)
        self.push_screen(TalkScreen(talk, hit=hit, quote_template=self.config.quote_template))

    def action_help(self) -> None:
        if isinstance(self.screen, HelpScreen):
            return
        self.push_screen(HelpScreen(self.screen))

    def action_show_problems(self) -> None:
        if isinstance(self.screen, ProblemsScreen):
            return
        problems = self.library.problems if self.library is not None else []
        self.push_screen(ProblemsScreen(problems))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("Help: all keys", "Every key binding, with its id for config.toml", self.action_help)
        yield SystemCommand("Problems", "Files the scan could not read, and why", self.action_show_problems)
        yield SystemCommand("Bookmarks and notes", "Every one in the library, filterable; Enter jumps there", self.action_show_notes)
        yield SystemCommand("Search the library", "Every transcript and summary, as you type; Enter opens the moment", self.action_search_library)

    def _remember_theme(self, theme: Theme) -> None:
        if theme.name == self._saved_theme:
            return
        try:
            save_theme(theme.name)
            self._saved_theme = theme.name
        except OSError as exc:
            self.notify(f"Could not remember the theme: {exc}", severity="warning")


def binding_ids() -> set[str]:
    """Every binding id a user can remap in config.toml."""
    from widgets.library_search import LibrarySearchScreen  # off the start path: it imports the index

    classes = (
        TalkshelfApp, TalkListScreen, TalkScreen, TalkList, TranscriptView, FindBar, OutlineTree, ProblemsScreen, HelpScreen,
        NotesView, NoteEditor, LibrarySearchScreen,
    )
    ids: set[str] = set()
    for cls in classes:
        for klass in cls.__mro__:
            for binding in klass.__dict__.get("BINDINGS", []):
                if isinstance(binding, Binding) and binding.id:
                    ids.add(binding.id)
    return ids


def run_app(path: Path | None, talk: str | None, at: float | None) -> None:
    """Open the app on `path` (None: the configured library, else the sample), maybe at a talk and moment."""
    # The index is read in a worker (resolve_library there picks the configured or sample library).
    app = TalkshelfApp(None, talk_id=talk, at=at, config=load_config(), library_path=path, use_index=True)
    # The index reads files in worker processes; multiprocessing's resource tracker must start
    # while stderr is still the terminal's (Textual replaces it with an object without a descriptor).
    from multiprocessing import resource_tracker

    try:
        resource_tracker.ensure_running()
    except (OSError, ValueError):
        pass  # the index then reads in-process
    app.run()
