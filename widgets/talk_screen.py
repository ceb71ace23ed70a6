"""The talk screen: the transcript and the summaries side by side, each following the other, beside the outline.

At WIDE columns and more both panes show; narrower, one at a time and Tab
switches (Tab moves between the panes and the outline in either case); below
NARROW columns the outline hides, so the text keeps a readable width. `w`
cycles transcript only / both / summary only, remembered across runs. A talk
without a transcript shows its summaries alone.

The panes follow each other without echo: a move in one moves the other
under `prevent` of the other's message.
"""

from __future__ import annotations

import threading
import time
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
from textual.widgets import Static
from textual.worker import get_current_worker

from tui.config import Config, load_positions, save_position, save_talk_layout
from tui.model import Segment, Talk, format_time
from tui.positions import locate_position, position_at
from tui.placement import ParagraphTimes, Placement, own_times, place_all
from tui.quotes import clean_quote_text, copy_text, format_quote, passage
from tui.links import web_link
from tui.store import NOTE, Item, Locator, Moment, Store, draft_key, draft_place, talk_key, talk_paragraphs
from tui.summary_layout import Block, place_blocks, segment_blocks, summary_blocks, summary_name
from tui.textio import one_line
from tui.time_input import resolve_time_input
from widgets.find_bar import FindBar, status_text
from widgets.footer import Footer
from widgets.frame_gate import FrameGates, one_at_a_time, wait_for_frame
from widgets.goto_time_screen import GoToTimeScreen
from widgets.note_editor_screen import NoteEditor
from widgets.outline_tree import OutlineTree, Section
from widgets.play_along import PlayAlongScreen
from widgets.store_access import FAILED, StoreAccess
from widgets.summary_view import SummaryView
from widgets.thread_work import forgets_its_worker
from widgets.transcript_view import TranscriptView

if TYPE_CHECKING:
    from tui.index import SearchHit


def _short_reason(reason: str) -> str:
    """pyperclip's "Pyperclip could not find a copy/paste mechanism for your system" as "no system clipboard"."""
    return "no system clipboard" if "could not find a copy/paste mechanism" in reason else reason


class TalkTranscript(TranscriptView):
    """The talk screen's transcript: `v` (select) off the footer, which is full at 80 columns (help and the palette list it)."""

    BINDINGS = [Binding("v", "toggle_selection", "Select", show=False, id="transcript.select")]


class TalkSummary(SummaryView):
    """The talk screen's summary pane."""


LAYOUTS = ("transcript", "both", "summary")
LAYOUT_NAMES = {"transcript": "transcript only", "both": "transcript and summary", "summary": "summary only"}
WIDE = 120  # columns from which the two panes show side by side
NARROW = 72  # columns below which the outline gives its room to the pane it sits beside
POSITION_SAVE_EVERY = 2.0  # seconds: the place is written at most this often while the cursor moves


class TalkScreen(PlayAlongScreen):
    """The transcript (or the summaries, when there is no transcript) beside the outline.

    Its base adds play-along through mpv (widgets/play_along.py).
    """

    AUTO_FOCUS = ""  # none: on_mount focuses the pane the talk opens in (the transcript or the summary)
    HELP_HIDDEN = ("search_again",)  # `/` once in help: the same key as talk.search

    BINDINGS = [
        Binding("escape", "clear_search", "Clear", id="talk.clear_search"),
        Binding("escape", "back", "Back", id="talk.back"),
        Binding("backspace", "back", "Back", show=False, id="talk.back_alt"),
        Binding("slash", "search", "Search", id="talk.search"),
        # While a search is on, n/N take its place in the footer (the same key, unlisted, still searches):
        # at 80 columns the footer must keep q and ?.
        Binding("slash", "search_again", "Search", show=False, id="talk.search_again"),
        Binding("n", "next_match", "Next", key_display="n/N", id="talk.next_match"),
        # Off the footer (full at 80 columns); help and the palette list it, the header shows the time it replaces.
        Binding("colon,t", "go_to_time", "Go to time", show=False, id="talk.go_to_time"),
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
        # Off the footer (full at 80 columns); each pane's title line names them.
        Binding("tab", "switch_pane", "Next pane", show=False, id="talk.switch_pane"),
        Binding("shift+tab", "switch_pane(-1)", "Previous pane", show=False, id="talk.switch_pane_back"),
        Binding("w", "cycle_layout", "Panes", show=False, id="talk.layout"),
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
        config: Config | None = None,
        at: float | None = None,
        moment: Moment | None = None,
        hit: SearchHit | None = None,
    ) -> None:
        super().__init__()
        self.talk = talk
        self.notes = notes  # the app's way to the bookmarks and notes
        self.config = config if config is not None else Config()  # the settings: quotes, play-along
        self.at = at
        self.hit = hit  # a library search hit to open at, highlighted
        self.moment = moment  # a bookmark's or note's moment to open at (found again by its words)
        self.searching = False  # a search is active: its matches are drawn and n/N step through them
        # Every paragraph moments refer to (tui.store.talk_paragraphs): the transcript's,
        # then the summaries'; paragraph i >= len(transcript) is shown by block `para_blocks[i]`.
        self.pane_segments: list[Segment] = []
        self.para_blocks: dict[int, int] = {}
        self.blocks: list[Block] = []
        self._block_sections: list[tuple[int, int] | None] = []  # (doc, outline entry) each block is under
        self._heading_blocks: dict[tuple[int, int], int] = {}
        self._sections: dict[tuple[int, int], tuple[float | None, str]] = {}
        self._paragraph_times: ParagraphTimes = {}
        self._locator: Locator | None = None
        self._store_key: str | None = None
        self._talk_notes = 0
        self.layout_mode = "both"  # the chosen layout (LAYOUTS); narrow screens show one pane of "both"
        self._active = "transcript"  # the pane keys act on: "transcript" or "summary"
        self._search_origin: int | None = None  # the cursor when the find bar opened: where an unmatched query returns
        self._notice = ""  # a one-line notice in the header's right part (a quote copied), for a few seconds
        self._notice_timer = None
        self._left_at: int | None = None  # the cursor's paragraph in pane_segments, kept as it moves (saved on leaving)
        self._position_saved = time.monotonic()  # when the place was last written (not at once on opening)
        self._gates = FrameGates()

    @property
    def has_transcript(self) -> bool:
        transcript = self.talk.transcript
        return transcript is not None and bool(transcript.segments)

    @property
    def has_summary(self) -> bool:
        return any(doc.segments for doc in self.talk.summaries)

    @property
    def transcript(self) -> TranscriptView:
        return self.query_one("#transcript", TranscriptView)

    @property
    def summary(self) -> SummaryView:
        return self.query_one("#summary", SummaryView)

    def compose(self) -> ComposeResult:
        chosen = getattr(getattr(self.app, "config", None), "talk_layout", None)
        self.layout_mode = chosen if chosen in LAYOUTS else "both"
        with Horizontal(id="talk-top"):
            yield Static(self._header_text(), id="talk-header")
            yield Static("", id="talk-where", markup=False)
        # Styled with its layout from the start: set on mount, the class restyled the panes again.
        with Horizontal(id="talk-body", classes="-both" if len(self._shown()) == 2 else ""):
            yield TalkTranscript(id="transcript")
            yield TalkSummary(id="summary")
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

    def _where_text(self) -> Text:
        """The header's right part: the search counter, then where the cursor is (time, share of the talk)."""
        text = Text(no_wrap=True, end="")
        if self._notice:
            text.append(self._notice, "bold")
            return text
        if self.searching:
            status = self.view.search_status
            text.append(f"/{one_line(status.query)} ", "bold")
            text.append(status_text(status), "bold reverse" if status.total else "bold")
            text.append("  ")
        seconds, share = self.where()
        if seconds is not None:
            text.append(format_time(seconds))
        if share is not None:
            text.append(f" {share:.0f}%" if seconds is not None else f"{share:.0f}%")
        return text

    def where(self) -> tuple[float | None, float | None]:
        """The cursor's time and how far into the talk it is (percent); None where unknown."""
        if self._active == "summary" or not self.has_transcript:
            view = self.summary
            seconds = view.moment
            count = len(view.blocks)
            index = view.cursor
        else:
            view = self.transcript
            segments = view.segments
            if not segments:
                return None, None
            index = min(view.cursor, len(segments) - 1)
            seconds = segments[index].start
            count = len(segments)
        duration = self.duration
        if seconds is not None and duration:
            return seconds, min(100.0, 100.0 * seconds / duration)
        return seconds, (100.0 * index / max(1, count - 1)) if count else None

    @property
    def duration(self) -> float | None:
        """The talk's length: as its file says, else its last paragraph's end."""
        if self.talk.duration:
            return self.talk.duration
        transcript = self.talk.transcript
        if self.has_transcript and transcript is not None:
            last = transcript.segments[-1]
            return last.end if last.end is not None else last.start
        return None

    def refresh_where(self) -> None:
        if self.is_attached and self.children:
            self.query_one("#talk-where", Static).update(self._where_text())
            index = self._paragraph_index()
            if index != self._left_at:
                self._left_at = index
                # Written as the cursor moves too (at most every POSITION_SAVE_EVERY), not only on
                # leaving: a crash keeps the place. (No timer: a pending one keeps a closed screen alive.)
                now = time.monotonic()
                if now - self._position_saved >= POSITION_SAVE_EVERY:
                    self._position_saved = now
                    self.remember_position()

    def show_notice(self, text: str, seconds: float = 3.0) -> None:
        """One line in the header for `seconds`: above the text, so it covers none of it."""
        self._notice = one_line(text)
        if self._notice_timer is not None:
            self._notice_timer.stop()
        self._notice_timer = self.set_timer(seconds, self._end_notice)
        self.refresh_where()

    def _end_notice(self) -> None:
        self._notice = ""
        self._notice_timer = None
        self.refresh_where()

    def on_mount(self) -> None:
        talk = self.talk
        transcript, summary = self.transcript, self.summary
        self.pane_segments = talk_paragraphs(talk)
        outline = self.query_one(OutlineTree)
        # The summaries' own times at once; sections without one are matched in a thread.
        placements = own_times(talk)
        outline.show(talk, placements)  # shown or hidden by _apply_layout below
        self._sections = {(d, e): (t, o) for d, e, t, o in placements}
        self.blocks = summary_blocks(talk)
        self._index_blocks()
        if self.has_transcript and any(b.segment >= 0 and not b.own_time for b in self.blocks) or any(
            origin == "pending" for *_, origin in placements
        ):
            # Its thread starts its work once the screen is drawn (widgets/frame_gate.py): it
            # would otherwise compete with the first frames for the interpreter.
            self.call_after_refresh(self._start_placing)
        # Filled and moved quietly, then the outline is set once from where the cursor ended up.
        with self.prevent(TranscriptView.CursorMoved, SummaryView.Moved):
            if self.has_transcript:
                assert talk.transcript is not None
                transcript.show(talk.transcript.segments, empty_message="This talk has no text to show.")
            else:
                transcript.show([], empty_message="This talk has no transcript.")
                self._active = "summary"
            summary.show_blocks(self.blocks, empty_message="This talk has no summary.")
            self._apply_layout()
            if self.at is not None:
                if self.has_transcript:
                    transcript.jump_to_time(self.at)
                    summary.show_moment(transcript.segments[transcript.cursor].start)
                else:
                    summary.show_moment(self.at, 0)
            if self.moment is not None:
                self.go_to_moment(self.moment)
            if self.hit is not None:
                self.go_to_hit(self.hit)
            if self.at is None and self.moment is None and self.hit is None:
                self._restore_position()
            self._offer_draft(move=self.at is None and self.moment is None and self.hit is None)
        if self.has_transcript and transcript.segments and self.hit is None and self.moment is None:
            self._follow_cursor(transcript.cursor)
        elif self._active == "summary" and summary.block is not None:
            self._highlight_block_section(summary.cursor)
        self._title_panes()
        self.refresh_marks()
        self.refresh_where()
        self.set_focus(self.view)

    # -- where the talk was left ---------------------------------------------------

    def _restore_position(self) -> None:
        """Back to where this talk was left, in this run or an earlier one (state.toml)."""
        if not self.pane_segments:
            return
        try:
            position = load_positions().get(self.store_key)
        except OSError:
            return  # no state to read: the talk opens at its start
        if position is None:
            return
        index = locate_position(self.pane_segments, position)
        if index in self.para_blocks:
            self._reveal("summary")
            self.summary.jump_to_block(self.para_blocks[index])
        elif self.has_transcript and index < len(self.transcript.segments):
            self._reveal("transcript")
            self.transcript.jump_to_segment(index)

    def _offer_draft(self, *, move: bool) -> None:
        """A note written here but never saved (a crash, a closed terminal): say so and, when
        nothing else chose where the talk opens, put the cursor on its paragraph."""
        found = self.notes.call(lambda store: (store.drafts(), store.items_for_talk(self.store_key)), None, tell=False)
        if found is FAILED or not found[0]:
            return
        drafts, items = found
        by_uid = {i.uid: i for i in items}
        mine = [
            (d, kind, ident, start)
            for d in drafts
            for kind, ident, start in [draft_place(d.key)]
            if (kind == "note" and ident in by_uid) or (kind in ("talk", "new") and ident == self.store_key)
        ]
        if not mine:
            return
        draft, kind, ident, start = mine[0]
        item = by_uid.get(ident) if kind == "note" else None
        index = None
        if item is not None and item.moment is not None:
            index = self.locator.locate(item.moment)
        elif kind == "new":
            index = next((i for i, s in enumerate(self.pane_segments) if str(s.start) == start), None)
        if kind == "talk" or (item is not None and item.moment is None):
            self.notify("Your unsaved note on the whole talk is kept: A finishes it.", title="Unsaved note", timeout=12)
        elif index is None:
            self.notify(f"Your unsaved note is kept ({one_line(draft.heading)}): a on its paragraph finishes it.", title="Unsaved note", timeout=12)
        else:
            segment = self.pane_segments[index]
            when = format_time(segment.start, segment.estimated)
            if move and self.has_transcript and index < len(self.transcript.segments):
                self._reveal("transcript")
                self.transcript.jump_to_segment(index)
                self.notify(f"Your unsaved note at {when} is kept. The cursor is on its paragraph: a finishes it.", title="Unsaved note", timeout=12)
            else:
                self.notify(f"Your unsaved note at {when} is kept: a on that paragraph finishes it.", title="Unsaved note", timeout=12)

    def remember_position(self) -> None:
        """Keep where the cursor is, for the next time this talk opens (written atomically)."""
        index = self._left_at  # not read from the panes: on unmount they are already gone
        if index is None or not 0 <= index < len(self.pane_segments):
            return
        try:
            save_position(self.store_key, position_at(self.pane_segments, index))
        except OSError as exc:
            if self.app.is_running:
                self.app.notify(f"Could not remember where you were in this talk: {exc}", severity="warning", timeout=5)

    def on_unmount(self) -> None:
        # Left (Esc, another talk from a search, the app quitting): one write, however it was left.
        self.remember_position()
        self._gates.close()

    def _index_blocks(self) -> None:
        """Where each summary paragraph, heading and section stands among the blocks."""
        by_segment = segment_blocks(self.blocks)
        self.para_blocks = {}
        transcript = self.talk.transcript
        offset = len(transcript.segments) if self.has_transcript and transcript is not None else 0
        i = offset
        for doc_index, doc in enumerate(self.talk.documents):
            if self.has_transcript and doc is transcript:
                continue
            for seg_index in range(len(doc.segments)):
                block = by_segment.get((doc_index, seg_index))
                if block is not None:
                    self.para_blocks[i] = block
                i += 1
        self._block_paras = {block: para for para, block in self.para_blocks.items()}
        # A heading, or a chapter line that stands for its outline entry.
        self._heading_blocks = {(b.doc, b.entry): i for i, b in enumerate(self.blocks) if b.entry >= 0}
        current: tuple[int, int] | None = None
        self._block_sections = []
        for block in self.blocks:
            if block.kind == "separator":
                current = None
            elif block.entry >= 0:
                current = (block.doc, block.entry)
            self._block_sections.append(current)

    # -- the panes -------------------------------------------------------------------

    @property
    def view(self) -> TranscriptView:
        """The pane keys act on: the transcript, or the summary pane."""
        return self.summary if self._active == "summary" else self.transcript

    @property
    def play_view(self) -> TranscriptView:
        """Play-along follows in the transcript (the summary pane shows the moment through show_moment)."""
        return self.transcript

    def _available(self) -> list[str]:
        panes = []
        if self.has_transcript:
            panes.append("transcript")
        if self.has_summary:
            panes.append("summary")
        return panes or ["transcript"]

    def _shown(self) -> list[str]:
        """The panes on screen now, given the layout, the width and what the talk has."""
        available = self._available()
        if len(available) == 1:
            return available
        if self.layout_mode != "both":
            return [self.layout_mode]
        if self.app.size.width >= WIDE:
            return available
        return [self._active]

    def _apply_layout(self) -> None:
        shown = self._shown()
        if self._active not in shown:
            self._active = shown[0]
        self.transcript.display = "transcript" in shown
        self.summary.display = "summary" in shown
        self.query_one("#talk-body").set_class(len(shown) == 2, "-both")
        self.query_one(OutlineTree).display = bool(self.talk.summaries) and self.app.size.width >= NARROW
        self._title_panes()

    def on_resize(self, event) -> None:
        if self.is_mounted:
            focused = self.focused
            self._apply_layout()
            if focused is not None and not focused.display:
                self.set_focus(self.view)

    def _title_panes(self) -> None:
        """Each pane's top line says what it shows and how to reach the other."""
        available = self._available()
        shown = self._shown()
        hint = ""
        if len(available) == 2:
            other = {"transcript": "summary", "summary": "transcript"}
            hint = " · Tab: next pane · w: panes" if len(shown) == 2 else f" · Tab: {other[shown[0]]} · w: panes"
        self.transcript.border_title = "Transcript" + (hint if "summary" not in shown else "")
        summaries = [d for d in self.talk.documents if d.role.value == "summary" and d is not self.talk.transcript]
        if summaries:
            reading = min(max(0, self.summary.reading), len(summaries) - 1)
            title = summary_name(self.talk, summaries[reading])
            if len(summaries) > 1:  # which one is read, first: a narrow title is cut at its end
                title = f"{reading + 1}/{len(summaries)} {title} · [ ]: other summary"
            self.summary.border_title = one_line(title) + hint

    def action_switch_pane(self, direction: int = 1) -> None:
        """Tab: to the next pane (the transcript, the summary, the outline); a narrow screen swaps the pane it shows."""
        outline = self.query_one(OutlineTree)
        order = list(self._available())
        if outline.display:
            order.append("outline")
        if self.layout_mode in ("transcript", "summary") and len(self._available()) == 2:
            order = [p for p in order if p in (self.layout_mode, "outline")]
        if len(order) < 2:
            return
        current = "outline" if outline.has_focus else self._active
        target = order[(order.index(current) + direction) % len(order)] if current in order else order[0]
        if target == "outline":
            self.set_focus(outline)  # now: the next key of a burst goes there
            return
        self._active = target
        self._apply_layout()
        self.set_focus(self.view)

    def action_cycle_layout(self) -> None:
        """`w`: transcript only, both, summary only (remembered across runs)."""
        if len(self._available()) < 2:
            self.notify("This talk has only a " + ("transcript." if self.has_transcript else "summary."), timeout=3)
            return
        self.layout_mode = LAYOUTS[(LAYOUTS.index(self.layout_mode) + 1) % len(LAYOUTS)]
        if self.layout_mode != "both":
            self._active = self.layout_mode
        self._apply_layout()
        self.set_focus(self.view)
        narrow = self.layout_mode == "both" and self.app.size.width < WIDE
        self.notify(f"Panes: {LAYOUT_NAMES[self.layout_mode]}" + (" (one at a time at this width: Tab switches)" if narrow else ""), timeout=2)
        app = self.app
        config = getattr(app, "config", None)
        if config is not None:
            config.talk_layout = self.layout_mode
        try:
            save_talk_layout(self.layout_mode)
        except OSError as exc:
            self.notify(f"Could not remember the layout: {exc}", severity="warning", timeout=5)

    def on_descendant_focus(self, event) -> None:
        pane = {id(self.transcript): "transcript", id(self.summary): "summary"}.get(id(event.widget))
        if pane is not None and pane != self._active:
            self._active = pane
            if pane not in self._shown() or not event.widget.display:
                self._apply_layout()

    def _reveal(self, pane: str) -> None:
        """Make sure `pane` shows (a narrow screen or a one-pane layout switches to it)."""
        if pane not in self._available():
            return
        if pane not in self._shown():
            if self.layout_mode != "both":
                self.layout_mode = "both" if self.app.size.width >= WIDE else pane
        self._active = pane
        self._apply_layout()

    def go_to_hit(self, hit: SearchHit) -> None:
        """Move to a library search hit and highlight its matched words like a search in the talk."""
        if hit.segment < 0:
            return  # a title hit: the talk itself is the answer
        transcript = self.talk.transcript
        if self.has_transcript and transcript is not None and transcript.path == hit.path and transcript.role == hit.role:
            self._reveal("transcript")
            view = self.transcript
            if 0 <= hit.segment < len(view.segments):
                view.jump_to_segment(hit.segment)
        else:
            doc_index = next(
                (i for i, d in enumerate(self.talk.documents) if d.path == hit.path and d.role == hit.role and d is not transcript),
                None,
            )
            block = segment_blocks(self.blocks).get((doc_index, hit.segment)) if doc_index is not None else None
            if block is None:
                if hit.start is not None and self.has_transcript:
                    self.transcript.jump_to_time(hit.start)
                return
            self._reveal("summary")
            view = self.summary
            self.summary.jump_to_block(block)
            self._summary_followed(block, self.summary.moment, flash=False)
        words = [hit.text[a:b] for a, b in hit.spans]
        if words:
            # The longest matched stretch: the pane's search finds it from the cursor on.
            status = view.search(max(words, key=len))
            self._set_searching(True)
            self.query_one(FindBar).set_status(status)
        self.set_focus(view)

    def _start_placing(self) -> None:
        self._place_sections(self._gates.next_frame(self))

    @work(thread=True, exclusive=True, group="placement")
    @forgets_its_worker
    def _place_sections(self, gate: threading.Event) -> None:
        wait_for_frame(gate)
        if get_current_worker().is_cancelled:
            return
        with one_at_a_time():
            if get_current_worker().is_cancelled:
                return
            placements, paragraphs = place_all(self.talk)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._placed, placements, paragraphs)

    def _placed(self, placements: list[Placement], paragraphs: ParagraphTimes | None = None) -> None:
        if not self.is_attached:
            return
        outline = self.query_one(OutlineTree)
        outline.show(self.talk, placements)
        self._sections = {(d, e): (t, o) for d, e, t, o in placements}
        self._paragraph_times = paragraphs or {}
        self.blocks = place_blocks(self.blocks, self._sections, self._paragraph_times)
        self.summary.update_blocks(self.blocks)
        if not outline.has_focus and self.has_transcript and self.transcript.segments and self._active == "transcript":
            self._follow_cursor(self.transcript.cursor)

    # -- outline, transcript and summary follow each other ------------------------

    @on(OutlineTree.SectionHighlighted)
    @on(OutlineTree.SectionChosen)
    def _section_chosen(self, event: OutlineTree.SectionHighlighted) -> None:
        section = event.section
        heading = self._heading_blocks.get((section.doc_index, section.entry_index))
        # Moving the panes must not move the outline back (no echo).
        with self.prevent(TranscriptView.CursorMoved, SummaryView.Moved):
            if heading is not None:
                self.summary.jump_to_block(heading)
            if self.has_transcript:
                if section.seconds is not None:
                    self.transcript.jump_to_time(section.seconds)
                    self.transcript.flash()
                elif isinstance(event, OutlineTree.SectionChosen) and not self.summary.display:  # not while merely moving past it
                    self.notify("This section has no time and does not clearly match the transcript.", timeout=3)
        self._title_panes()
        self.refresh_where()  # the moves above post nothing, so the header is told here

    @on(TranscriptView.CursorMoved)
    def _cursor_moved(self, event: TranscriptView.CursorMoved) -> None:
        if event.view is self.transcript:
            self._follow_cursor(event.index)
        self.refresh_where()

    def _follow_cursor(self, index: int) -> None:
        """The transcript moved to paragraph `index`: the outline and the summary follow."""
        if not 0 <= index < len(self.transcript.segments):
            return
        start = self.transcript.segments[index].start
        self.query_one(OutlineTree).highlight_time(start)
        self.summary.show_moment(start)  # posts nothing: no echo

    @on(SummaryView.Moved)
    def _summary_moved(self, event: SummaryView.Moved) -> None:
        if event.view is not self.summary:
            return
        self.refresh_where()
        self._summary_followed(event.index, event.seconds, chosen=event.chosen)

    def _summary_followed(self, index: int, seconds: float | None, *, chosen: bool = False, flash: bool = True) -> None:
        """The summary moved to block `index` (pointing at `seconds`): the transcript and the outline follow."""
        self._highlight_block_section(index)
        self._title_panes()
        if not self.has_transcript:
            return
        if seconds is None:
            if chosen:
                self.notify("This part of the summary has no time and does not clearly match the transcript.", timeout=3)
            return
        transcript = self.transcript
        with self.prevent(TranscriptView.CursorMoved):
            transcript.jump_to_time(seconds)
        if flash:
            transcript.flash()
        if chosen:  # Enter follows into the transcript
            self._active = "transcript"
            self._apply_layout()
            self.set_focus(transcript)

    def _highlight_block_section(self, index: int) -> None:
        outline = self.query_one(OutlineTree)
        key = self._block_sections[index] if 0 <= index < len(self._block_sections) else None
        if key is not None:
            section = next((s for s in outline.sections if (s.doc_index, s.entry_index) == key), None)
            outline.highlight_section(section)

    # -- search --------------------------------------------------------------------

    def action_search(self) -> None:
        self._search_origin = self.view.cursor
        self.query_one(FindBar).open()

    def action_search_again(self) -> None:
        self.action_search()

    @on(FindBar.Changed)
    def _search_changed(self, event: FindBar.Changed) -> None:
        origin = self._search_origin
        if event.query.strip():
            status = self.view.search(event.query, origin)
        else:
            self.view.clear_search()
            if origin is not None:
                self.view.cursor = origin  # an emptied query goes back to where the search began
            status = self.view.search_status
        self._set_searching(bool(event.query.strip()))
        self.query_one(FindBar).set_status(status)

    def _set_searching(self, active: bool) -> None:
        if active != self.searching:
            self.searching = active
            self.refresh_bindings()  # n / N appear in the footer only while a search is on
        self.refresh_where()

    @on(FindBar.Next)
    def _find_next(self) -> None:
        self.action_next_match()

    @on(FindBar.Previous)
    def _find_previous(self) -> None:
        self.action_previous_match()

    @on(FindBar.Closed)
    def _find_closed(self) -> None:
        # The position stays where the search took it; the matches stay for n / N (typed ahead too).
        self.set_focus(self.view)

    def action_next_match(self) -> None:
        if self.searching:
            self.query_one(FindBar).set_status(self.view.next_match())
            self.refresh_where()

    def action_previous_match(self) -> None:
        if self.searching:
            self.query_one(FindBar).set_status(self.view.previous_match())
            self.refresh_where()

    # -- go to a time ------------------------------------------------------------------

    def action_go_to_time(self) -> None:
        """`:` or `t`: a prompt for `1:23:45`, `83:20`, `45%`, `+30s`, `-2m` (tui.time_input)."""
        seconds, _share = self.where()
        current = seconds or 0.0
        duration = self.duration

        def resolve(text: str) -> float:
            return resolve_time_input(text, current, duration)

        def chosen(target: float | None) -> None:
            if target is not None:
                self.go_to_time(target)

        self.app.push_screen(GoToTimeScreen(resolve, format_time(seconds) if seconds is not None else ""), chosen)

    def go_to_time(self, seconds: float) -> None:
        """The cursor to the paragraph covering `seconds` (the summary's block for a talk without a transcript)."""
        if self.has_transcript:
            self._reveal("transcript")
            index = self.transcript.jump_to_time(seconds)
            self.transcript.flash()
            self.set_focus(self.transcript)
            start = self.transcript.segments[index].start
            if start is not None and abs(start - seconds) >= 1:
                # The cursor is a paragraph: say where the time asked for is in it.
                self.show_notice(f"{format_time(seconds)} is in the paragraph from {format_time(start)}")
        elif self.summary.show_moment(seconds) is None:
            self.notify(f"Nothing in the summaries is timed near {format_time(seconds)}.", severity="warning", timeout=4)
            return
        self.refresh_where()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("next_match", "previous_match", "clear_search"):
            return self.searching
        if action in ("back", "search"):
            return not self.searching
        if action == "search_again":
            return self.searching
        return True

    # -- quotes and the video ----------------------------------------------------------

    def _summary_passage(self) -> list[Segment]:
        """The summary pane's selection (or cursor block) to quote: its text, timed at the stamp it stands under."""
        view = self.summary
        first, last = view.selection or (view.cursor, view.cursor)
        blocks = [b for b in view.blocks[first : last + 1] if b.kind != "separator"]
        moment = view.moment if view.selection is None else next((b.seconds for b in blocks if b.seconds is not None), None)
        texts = [b.text if b.segment < 0 else self.talk.documents[b.doc].segments[b.segment].text for b in blocks]
        return [Segment(moment if i == 0 else None, None, text) for i, text in enumerate(texts)]

    def _summary_segments(self) -> list[Segment]:
        """The summary paragraphs selected (or under the cursor; a heading stands for the paragraph below it)."""
        view = self.summary
        first, last = view.selection or (view.cursor, view.cursor)
        blocks = view.blocks
        out = [self.talk.documents[b.doc].segments[b.segment] for b in blocks[first : last + 1] if b.segment >= 0]
        if not out and 0 <= first < len(blocks) and blocks[first].kind == "heading":
            below = next((b for b in blocks[first + 1 :] if b.segment >= 0), None)
            if below is not None and below.doc == blocks[first].doc:
                out = [self.talk.documents[below.doc].segments[below.segment]]
        return out

    def _paragraph_index(self) -> int | None:
        """The cursor's paragraph in `pane_segments` (the list moments refer to)."""
        if self._active == "summary":
            segments = self._summary_segments()
            return self.locator.index_of(segments[0]) if segments else None
        cursor = self.transcript.cursor
        return cursor if 0 <= cursor < len(self.transcript.segments) else None

    def action_quote(self) -> None:
        segments = self._summary_passage() if self._active == "summary" else list(self.view.selected_segments())
        if not segments:
            self.notify("Nothing to quote here.", severity="warning")
            return
        chosen = passage(segments)
        in_transcript = self._active == "transcript"
        words = self.transcript.word_selection if in_transcript else None
        if words is not None:
            # Exactly the words selected, timed at the first of them.
            first, start, last, end = words
            spans = self.transcript.segments
            following = spans[first + 1].start if first + 1 < len(spans) else None
            chosen = passage(spans[first : last + 1], start, end if last > first else end, next_start=following)
        match = self.view.current_match if in_transcript and self.searching and self.view.selection is None else None
        if match is not None and match[0] == self.view.cursor:
            # On a search hit the quote starts at the matched words, and at their moment.
            index = match[0]
            following = self.view.segments[index + 1].start if index + 1 < len(self.view.segments) else None
            chosen = passage(segments, match[1], next_start=following)
        playing = self.playing_time() if in_transcript else None
        if playing is not None:
            # On the paragraph being played, the quote opens the video at the moment heard.
            chosen = replace(chosen, start=playing, estimated=False)
        text = format_quote(self.talk, chosen, self.config.quote_template)
        system, reason = copy_text(text, self.app.copy_to_clipboard)
        count = len(clean_quote_text(chosen.text).split())
        when = f" at {format_time(chosen.start, chosen.estimated)}" if chosen.start is not None else ""
        noun = "word" if count == 1 else "words"
        # One line in the header for 3 s (a toast would cover the text being read), short enough for 80 columns.
        how = "copied" if system else f"via the terminal (OSC 52, {_short_reason(reason)})"
        self.show_notice(f"Quote {how}: {count} {noun}{when}")
        if words is not None:
            self.transcript.action_clear_selection()

    def action_open_video(self) -> None:
        if self._active == "summary":
            seconds = self.summary.moment
        else:
            segments = self.transcript.segments
            cursor = self.transcript.cursor
            seconds = segments[cursor].start if 0 <= cursor < len(segments) else None
        url = self.talk.link(seconds)
        if not url:
            self.notify("This talk has no video link.", severity="warning")
            return
        if web_link(url) is None:
            # A file's `URL:` may be file:///etc/passwd or javascript:...: shown, never opened.
            self.notify(f"Not a web link, so not opened: {one_line(url)}", severity="warning", timeout=10)
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
        """The talk's key in the store (a hash of its text without a video id: computed once).

        Its notes follow an edited file (`Store.follow`) the first time."""
        if self._store_key is None:
            key = self.notes.call(lambda store: store.follow(self.talk), None, tell=False)
            self._store_key = talk_key(self.talk) if key is FAILED else key
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
        transcript_count = len(self.transcript.segments) if self.has_transcript else 0
        self.transcript.set_marks({i: m for i, m in marks.items() if i < transcript_count})
        self.summary.set_marks({self.para_blocks[i]: m for i, m in marks.items() if i in self.para_blocks})
        self._talk_notes = talk_notes
        self.refresh_header()

    def refresh_header(self) -> None:
        self.query_one("#talk-header", Static).update(self._header_text(self._talk_notes))

    def go_to_moment(self, moment: Moment) -> None:
        """Put the cursor on the paragraph a bookmark or note was made on, found by its words."""
        index = self.locator.locate(moment)
        if index is not None and index in self.para_blocks:
            self._reveal("summary")
            self.summary.jump_to_block(self.para_blocks[index])
        elif index is not None:
            self._reveal("transcript")
            self.transcript.jump_to_segment(index)
        elif moment.seconds is not None and self.has_transcript:
            self._reveal("transcript")
            self.transcript.jump_to_time(moment.seconds)
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
        index = self._paragraph_index()
        if index is None or not 0 <= index < len(self.pane_segments):
            self.notify("Nothing to bookmark here.", severity="warning")
            return
        segment = self.pane_segments[index]
        playing = self.playing_time() if self._active == "transcript" else None
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
        segments = self._summary_segments() if self._active == "summary" else list(view.selected_segments())
        if not segments:
            self.notify("Nothing to write a note on here.", severity="warning")
            return
        index = self._paragraph_index()
        existing = self._note_at(index) if view.selection is None and index is not None else None
        title = one_line(self.talk.title) or self.talk.id
        when = format_time(segments[0].start, segments[0].estimated)
        heading = f"Note at {when}: {title}"
        if existing is not None:
            self._write_note(existing, heading)
            return
        words = self.transcript.selected_text() if self._active == "transcript" else ""
        quote = words or "\n\n".join(s.text for s in segments)  # a note on chosen words quotes those words
        self._write_note(
            None, heading, quote=quote, done=f"Note saved at {when}",
            save=lambda store, text: store.add_note(self.talk, segments, text, quote=quote),
            key=draft_key(talk=self.store_key, start=segments[0].start, paragraphs=len(segments), quote=quote),
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
            None, heading, done="Note on the talk saved", save=lambda store, text: store.add_note(self.talk, None, text),
            key=draft_key(talk=self.store_key),
        )

    def _write_note(
        self,
        item: Item | None,
        heading: str,
        *,
        quote: str = "",
        done: str = "Note updated",
        save: Callable[[Store, str], object] | None = None,
        key: str | None = None,
    ) -> None:
        """The note editor on `item` (None: a new note, stored by `save`, its unsaved text kept
        as the draft `key`); the one place a note is saved from here."""
        if item is not None:
            quote = item.quote
            save = lambda store, text: store.update_note(item.id, text)  # noqa: E731
            key = draft_key(note=item.uid)
        assert save is not None and key is not None

        def store_text(text: str) -> str | None:
            """Save in the editor, so a failed save keeps the editor open with the text (None: stored)."""
            if item is not None and text == item.note:
                return None
            return self.notes.attempt(lambda store: save(store, text), also=(KeyError,))

        def saved(text: str | None) -> None:
            if text is None or (item is not None and text == item.note):
                return
            self.notify(done)
            self._changed()

        draft = self.notes.draft_for(key, talk_title=one_line(self.talk.title) or self.talk.id, heading=heading)
        editor = NoteEditor(item.note if item is not None else "", heading=heading, quote=quote, save=store_text, draft=draft)
        self.app.push_screen(editor, saved)

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
            ("Go to time", "1:23:45, 83:20, 45%, +30s, -2m (keys : and t)", self.action_go_to_time),
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
