"""A dialog for writing a note (Markdown) on a paragraph, a selection or a whole talk.

Saving works from F2, ctrl+s and a visible Save button: terminals and tmux
swallow some ctrl keys, so ctrl+s is never the only way. Esc cancels, asking
first when there is text that would be lost. Quitting the app with the editor
open saves the note first (`save_then`): nothing typed is thrown away by a key.

What is typed is kept as a draft in the store half a second after the last key
(widgets/store_access.py `NoteDraft`), so a crash, a killed process or a closed terminal loses at most
that half second; the next editor on the same note starts from the draft.

The save and cancel keys are priority bindings, handled by the app as each
key arrives, while the keys typed before them still wait in the text area's
queue (a paste or a fast typist sends text and F2 at once). So both actions
run from that queue, after every key already in it: the note saved is the
note typed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static, TextArea

from tui.textio import strip_controls

if TYPE_CHECKING:
    from .store_access import NoteDraft

QUOTE_PREVIEW_CHARS = 400
# Terminals shorter than this give the editor every row (and drop the quote).
SHORT_ROWS = 24
# How long after the last key the typed text is kept as a draft.
DRAFT_DELAY = 0.5


class ConfirmDiscard(ModalScreen[bool]):
    """"Discard the unsaved note?" -> True to discard, False to keep editing."""

    DEFAULT_CSS = """
    ConfirmDiscard { align: center middle; }
    ConfirmDiscard > Vertical {
        width: 50; height: auto; padding: 1 2;
        border: thick $warning; background: $surface;
    }
    ConfirmDiscard Horizontal { height: auto; margin-top: 1; }
    ConfirmDiscard Button { margin-right: 1; }
    """

    BINDINGS = [
        Binding("y,d", "answer(True)", "Discard"),
        Binding("n,escape", "answer(False)", "Keep editing"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Discard the unsaved note?")
            with Horizontal():
                yield Button("Discard (y)", id="discard", variant="error")
                yield Button("Keep editing (n)", id="keep", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#keep", Button).focus()

    def action_answer(self, discard: bool) -> None:
        self.dismiss(discard)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "discard")


class NoteEditor(ModalScreen[str | None]):
    """Edit a note; dismisses with the text on save, None on cancel.

    With `save` (text -> None when stored, else the reason it was not), the
    editor stores the note itself and closes only once it is stored: a full
    disk, a read-only folder or a lock held by another copy of talkshelf
    leaves the editor open with the typed text and the reason, to try again.
    """

    DEFAULT_CSS = """
    NoteEditor { align: center middle; }
    NoteEditor > #note-dialog {
        width: 90%; max-width: 100; height: 80%; max-height: 32;
        padding: 0 1; border: thick $primary; background: $surface;
    }
    NoteEditor #note-heading { text-style: bold; height: auto; }
    NoteEditor #note-quote {
        height: auto; max-height: 5; color: $text-muted;
        border-left: outer $primary-darken-2; padding-left: 1; margin-bottom: 1;
    }
    NoteEditor #note-text { height: 1fr; }
    NoteEditor #note-error { height: auto; color: $error; display: none; }
    NoteEditor #note-error.-shown { display: block; }
    NoteEditor #note-buttons { height: auto; margin-top: 1; }
    NoteEditor #note-buttons Button { margin-right: 1; }
    /* A short terminal: the whole height, no quote, so the text keeps rows to type in. */
    NoteEditor.-short > #note-dialog { height: 100%; max-height: 100%; width: 100%; }
    NoteEditor.-short #note-quote { display: none; }
    NoteEditor.-short #note-buttons { margin-top: 0; }
    """

    BINDINGS = [
        Binding("f2", "save", "Save", priority=True, id="note.save"),
        Binding("ctrl+s", "save", "Save", show=False, priority=True, id="note.save_alt"),
        Binding("escape", "cancel", "Cancel", priority=True, id="note.cancel"),
    ]

    def __init__(
        self,
        text: str = "",
        heading: str = "Note",
        quote: str = "",
        save: Callable[[str], str | None] | None = None,
        draft: NoteDraft | None = None,
    ) -> None:
        super().__init__()
        self.initial = text
        self._save = save
        self._draft = draft
        self._draft_timer = None
        self._latest: str | None = None  # the text as last typed (readable while unmounting)
        kept = draft.load() if draft is not None else None
        # Where the writing stopped last time, unsaved: go on from there.
        self.restored = kept is not None and kept.strip() != "" and kept != text
        self._start = kept if self.restored else text
        self.problem: str | None = None  # why the last save failed, while the editor stays open
        self.heading = strip_controls(heading)
        quote = " ".join(strip_controls(quote).split())
        if len(quote) > QUOTE_PREVIEW_CHARS:
            quote = quote[: QUOTE_PREVIEW_CHARS - 1].rstrip() + "…"
        self.quote = quote

    def compose(self) -> ComposeResult:
        with Vertical(id="note-dialog"):
            # Text objects, not markup: headings and quotes come from files.
            yield Static(Text(self.heading), id="note-heading")
            if self.quote:
                yield Static(Text(self.quote), id="note-quote")
            yield TextArea(self._start, id="note-text", soft_wrap=True, tab_behavior="focus")
            yield Static("", id="note-error")
            with Horizontal(id="note-buttons"):
                yield Button("Save (F2)", id="save", variant="primary")
                yield Button("Cancel (Esc)", id="cancel")

    def on_resize(self) -> None:
        self.set_class(self.app.size.height < SHORT_ROWS, "-short")

    def on_mount(self) -> None:
        self.set_class(self.app.size.height < SHORT_ROWS, "-short")
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)
        if self.restored:
            self.notify("This is the text you had not saved last time: F2 saves it, Esc discards it.", title="Draft restored", timeout=8)

    @on(TextArea.Changed)
    def _typed(self, event: TextArea.Changed) -> None:
        self._latest = event.text_area.text
        if self._draft is None:
            return
        if self._draft_timer is not None:
            self._draft_timer.stop()
        self._draft_timer = self.set_timer(DRAFT_DELAY, self._keep_draft)

    def _keep_draft(self) -> None:
        self._draft_timer = None
        if self._draft is None or self._latest is None:
            return
        if self._latest != self.initial and self._latest.strip():
            self._draft.keep(self._latest)
        else:
            self._draft.drop()  # back to what is saved: nothing to keep

    def _end_draft(self) -> None:
        """Saved or discarded: the draft has done its work."""
        if self._draft_timer is not None:
            self._draft_timer.stop()
            self._draft_timer = None
        if self._draft is not None:
            self._draft.drop()

    def on_unmount(self) -> None:
        # Closed by anything but save or cancel (the app quitting): keep what a pending timer would have.
        if self._draft_timer is not None:
            self._draft_timer.stop()
            self._keep_draft()

    @property
    def text(self) -> str:
        return self.query_one(TextArea).text

    @property
    def changed(self) -> bool:
        return self.text != self.initial

    def action_save(self) -> None:
        # Behind the keys still queued for the text area (see the module's docstring).
        self.query_one(TextArea).call_later(self._save_now)

    def save_then(self, then: Callable[[], object]) -> None:
        """Save what is typed (behind the keys still queued), then `then()`; when it cannot be
        saved, the editor stays open with the reason and `then` is not called."""

        def saved() -> None:
            if self.is_attached:  # else saved or cancelled by an earlier key of the same burst
                text = self.text.strip()
                if not (self.changed and text):
                    self._end_draft()
                elif not self._stored(text):
                    return
            then()

        self.query_one(TextArea).call_later(saved)

    def _save_now(self) -> None:
        if not self.is_attached or self.app.screen is not self:
            return  # already saved or cancelled by an earlier key of the same burst
        text = self.text.strip()
        if not text:
            self.notify("The note is empty: write something, or press Esc to cancel.", severity="warning")
            return
        if self._stored(text):
            self.dismiss(text)

    def _stored(self, text: str) -> bool:
        """Store `text` (when the editor has a `save`); False, with the reason shown, when it could not be."""
        if self._save is not None:
            problem = self._save(text)
            if problem is not None:
                self.problem = problem
                error = self.query_one("#note-error", Static)
                error.update(Text(f"Not saved: {strip_controls(problem)}. The text is kept: F2 tries again, Esc discards it."))
                error.add_class("-shown")
                self.notify(f"Could not save the note: {problem}", severity="error", timeout=10)
                self.query_one(TextArea).focus()
                return False
        self._end_draft()
        return True

    def action_cancel(self) -> None:
        self.query_one(TextArea).call_later(self._cancel_now)

    def _cancel_now(self) -> None:
        if not self.is_attached or self.app.screen is not self:
            return
        if not self.changed or not self.text.strip():
            self._end_draft()
            self.dismiss(None)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self._end_draft()
                self.dismiss(None)
            else:
                self.query_one(TextArea).focus()

        self.app.push_screen(ConfirmDiscard(), answered)

    @on(Button.Pressed, "#save")
    def _save_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_save()

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_cancel()
