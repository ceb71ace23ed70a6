"""A dialog for writing a note (Markdown) on a paragraph, a selection or a whole talk.

Saving works from F2, ctrl+s and a visible Save button: terminals and tmux
swallow some ctrl keys, so ctrl+s is never the only way. Esc cancels, asking
first when there is text that would be lost.

The save and cancel keys are priority bindings, handled by the app as each
key arrives, while the keys typed before them still wait in the text area's
queue (a paste or a fast typist sends text and F2 at once). So both actions
run from that queue, after every key already in it: the note saved is the
note typed.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static, TextArea

from tui.textio import strip_controls

QUOTE_PREVIEW_CHARS = 400


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
    """

    BINDINGS = [
        Binding("f2", "save", "Save", priority=True, id="note.save"),
        Binding("ctrl+s", "save", "Save", show=False, priority=True, id="note.save_alt"),
        Binding("escape", "cancel", "Cancel", priority=True, id="note.cancel"),
    ]

    def __init__(
        self, text: str = "", heading: str = "Note", quote: str = "", save: Callable[[str], str | None] | None = None
    ) -> None:
        super().__init__()
        self.initial = text
        self._save = save
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
            yield TextArea(self.initial, id="note-text", soft_wrap=True, tab_behavior="focus")
            yield Static("", id="note-error")
            with Horizontal(id="note-buttons"):
                yield Button("Save (F2)", id="save", variant="primary")
                yield Button("Cancel (Esc)", id="cancel")

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    @property
    def text(self) -> str:
        return self.query_one(TextArea).text

    @property
    def changed(self) -> bool:
        return self.text != self.initial

    def action_save(self) -> None:
        # Behind the keys still queued for the text area (see the module's docstring).
        self.query_one(TextArea).call_later(self._save_now)

    def _save_now(self) -> None:
        if not self.is_attached or self.app.screen is not self:
            return  # already saved or cancelled by an earlier key of the same burst
        text = self.text.strip()
        if not text:
            self.notify("The note is empty: write something, or press Esc to cancel.", severity="warning")
            return
        if self._save is not None:
            problem = self._save(text)
            if problem is not None:
                self.problem = problem
                error = self.query_one("#note-error", Static)
                error.update(Text(f"Not saved: {strip_controls(problem)}. The text is kept: F2 tries again, Esc discards it."))
                error.add_class("-shown")
                self.notify(f"Could not save the note: {problem}", severity="error", timeout=10)
                self.query_one(TextArea).focus()
                return
        self.dismiss(text)

    def action_cancel(self) -> None:
        self.query_one(TextArea).call_later(self._cancel_now)

    def _cancel_now(self) -> None:
        if not self.is_attached or self.app.screen is not self:
            return
        if not self.changed or not self.text.strip():
            self.dismiss(None)
            return

        def answered(discard: bool | None) -> None:
            if discard:
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
