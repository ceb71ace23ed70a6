"""The talk screen: the transcript (or the summaries, when there is none) beside the outline."""

from __future__ import annotations

import webbrowser
from dataclasses import replace
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Footer, Static
from textual.worker import get_current_worker

from tui.model import Segment, Talk, format_time
from tui.placement import Placement, own_times, place_sections
from tui.quotes import copy_text, format_quote, passage
from tui.store import NOTE, Item, Locator, Moment, Store, talk_key
from tui.textio import one_line
from widgets.find_bar import FindBar
from widgets.note_editor_screen import NoteEditor
from widgets.outline_tree import OutlineTree, Section
from widgets.play_along import PlayAlongScreen
from widgets.store_access import FAILED, StoreAccess
from widgets.transcript_view import TranscriptView

if TYPE_CHECKING:
    from tui.index import SearchHit


class TalkTranscript(TranscriptView):
    """The talk screen's transcript: `v` (select) off the footer, which is full at 80 columns (help and the palette list it)."""

    BINDINGS = [Binding("v", "toggle_selection", "Select", show=False, id="transcript.select")]



class TalkScreen(PlayAlongScreen):
    """The transcript (or the summaries, when there is no transcript) beside the outline.

    Its base adds play-along through mpv (widgets/play_along.py).
    """

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
        Binding("m", "app.show_notes", "Marks", show=False, id="talk.notes"),
        Binding("S", "app.search_library", "Library", id="talk.search_library"),
    ]

    class NotesChanged(Message):
        """This talk's bookmarks or notes changed (the talk list's count follows)."""

        def __init__(self, talk: Talk, store_key: str) -> None:
            super().__init__()
            self.talk = talk
            self.store_key = store_key

    def __init__(
        self,
        talk: Talk,
        *,
        notes: StoreAccess,
        at: float | None = None,
        moment: Moment | None = None,
        quote_template: str | None = None,
        hit: SearchHit | None = None,
    ) -> None:
        super().__init__()
        self.talk = talk
        self.notes = notes  # the app's way to the bookmarks and notes
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
        self._store_key: str | None = None
        self._talk_notes = 0

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
        playing = self.play_status()
        if playing:
            text.append(playing, "bold reverse")  # first: a long title must not hide it
            text.append(" ")
        if talk_notes:
            # Notes on the whole talk have no paragraph to mark: the header says they are there.
            text.append(f"✎{talk_notes if talk_notes > 1 else ''} ", "bold")
        text.append(one_line(talk.title) or talk.id, "bold")
        if talk.channel:
            text.append(f" · {one_line(talk.channel)}")
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
        chosen = passage(segments)
        match = self.view.current_match if self.searching and self.view.selection is None else None
        if match is not None and match[0] == self.view.cursor:
            # On a search hit the quote starts at the matched words, and at their moment.
            index = match[0]
            following = self.view.segments[index + 1].start if index + 1 < len(self.view.segments) else None
            chosen = passage(segments, match[1], next_start=following)
        playing = self.playing_time()
        if playing is not None:
            # On the paragraph being played, the quote opens the video at the moment heard.
            chosen = replace(chosen, start=playing, estimated=False)
        text = format_quote(self.talk, chosen, self.quote_template)
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
    def store_key(self) -> str:
        """The talk's key in the store (a hash of its text without a video id: computed once)."""
        if self._store_key is None:
            self._store_key = talk_key(self.talk)
        return self._store_key

    @property
    def locator(self) -> Locator:
        """Finds moments in the pane's paragraphs (the same list as tui.store.talk_paragraphs)."""
        if self._locator is None:
            self._locator = Locator(self.pane_segments)
        return self._locator

    def refresh_marks(self) -> None:
        """Redraw the gutter's ★ and ✎ from the store."""
        if not self.pane_segments:
            return
        found = self.notes.call(
            lambda store: (store.marks(self.store_key, self.locator), len(store.talk_notes(self.store_key))),
            "Could not read the bookmarks and notes",
            tell=False,
        )
        if found is FAILED:
            return
        marks, talk_notes = found
        self.view.set_marks(marks)
        self._talk_notes = talk_notes
        self.refresh_header()

    def refresh_header(self) -> None:
        self.query_one("#talk-header", Static).update(self._header_text(self._talk_notes))

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
        self.app.post_message(self.NotesChanged(self.talk, self.store_key))

    def action_bookmark(self) -> None:
        if self.notes.store(tell=True) is None:
            return
        view = self.view
        if not 0 <= view.cursor < len(self.pane_segments):
            self.notify("Nothing to bookmark here.", severity="warning")
            return
        segment = self.pane_segments[view.cursor]
        playing = self.playing_time()
        added = self.notes.call(
            lambda store: store.toggle_bookmark(self.talk, segment, self.locator, at=playing), "Could not save the bookmark"
        )
        if added is FAILED:
            return
        when = format_time(playing) if playing is not None else format_time(segment.start, segment.estimated)
        self.notify(f"Bookmarked {when}" if added else "Bookmark removed")
        self._changed()

    def _note_at(self, index: int) -> Item | None:
        """The first note whose moment is the paragraph `index`."""
        items = self.notes.call(lambda store: store.items_for_talk(self.store_key), None)
        if items is FAILED:
            return None  # a new note then; saving says what is wrong
        for item in items:
            if item.kind == NOTE and item.moment is not None and self.locator.locate(item.moment) == index:
                return item
        return None

    def action_note(self) -> None:
        """A note on the selection or the cursor paragraph; the paragraph's own note is edited if it has one."""
        if self.notes.store(tell=True) is None:
            return
        view = self.view
        segments = list(view.selected_segments())
        if not segments:
            self.notify("Nothing to write a note on here.", severity="warning")
            return
        existing = self._note_at(view.cursor) if view.selection is None else None
        title = one_line(self.talk.title) or self.talk.id
        when = format_time(segments[0].start, segments[0].estimated)
        heading = f"Note at {when}: {title}"
        if existing is not None:
            self._write_note(existing, heading)
            return
        quote = "\n\n".join(s.text for s in segments)
        self._write_note(
            None, heading, quote=quote, done=f"Note saved at {when}",
            save=lambda store, text: store.add_note(self.talk, segments, text, quote=quote),
        )

    def action_talk_note(self) -> None:
        """A note on the whole talk (its first such note is edited if there is one)."""
        if self.notes.store(tell=True) is None:
            return
        heading = f"Note on the whole talk: {one_line(self.talk.title) or self.talk.id}"
        notes = self.notes.call(lambda store: store.talk_notes(self.store_key), None)
        existing = None if notes is FAILED else next(iter(notes), None)  # none readable: a new note; saving says what is wrong
        if existing is not None:
            self._write_note(existing, heading)
            return
        self._write_note(
            None, heading, done="Note on the talk saved", save=lambda store, text: store.add_note(self.talk, None, text)
        )

    def _write_note(
        self,
        item: Item | None,
        heading: str,
        *,
        quote: str = "",
        done: str = "Note updated",
        save: Callable[[Store, str], object] | None = None,
    ) -> None:
        """The note editor on `item` (None: a new note, stored by `save`); the one place a note is saved from here."""
        if item is not None:
            quote = item.quote
            save = lambda store, text: store.update_note(item.id, text)  # noqa: E731
        assert save is not None

        def saved(text: str | None) -> None:
            if text is None or (item is not None and text == item.note):
                return
            stored = self.notes.call(lambda store: save(store, text), "Could not save the note", also=(KeyError,))
            if stored is FAILED:
                return
            self.notify(done)
            self._changed()

        self.app.push_screen(NoteEditor(item.note if item is not None else "", heading=heading, quote=quote), saved)

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
            commands.append((f"Go to section: {one_line(entry.title)}", when, partial(self._go_to_section, section)))
        return commands

    def _go_to_section(self, section: Section) -> None:
        self.query_one(OutlineTree).highlight_section(section)
        self._section_chosen(OutlineTree.SectionChosen(section))
