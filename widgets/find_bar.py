"""The find bar: a search field with a match counter, shown under the transcript.

It only reports what the reader types and presses; the app routes each
message to the transcript view and hands back the resulting `SearchStatus`
through `set_status`.

Keys while typing, as in less and vim: Enter (and Esc) close the bar and keep
the matches, for n / N to step through (the screen keeps the counter in its
header until Esc clears the search); down / F3 step to the next match without
closing, up / shift+F3 to the previous one.
"""

from __future__ import annotations

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input, Static

from tui.talk_search import SearchStatus
from widgets.eager_input import EagerInput


def status_text(status: SearchStatus) -> str:
    """The counter as shown: `3/17`, `no matches`, `≈ 2 close matches for "sutskever" · 1/2`.

    Close matches are offered, not gone to: until n (or down) steps onto one, the
    counter says how to reach them.
    """
    if not status.query.strip():
        return ""
    if status.total == 0:
        return "no matches"
    if status.fuzzy:
        noun = "close match" if status.total == 1 else "close matches"
        where = f"{status.current}/{status.total}" if status.current else "n: go"
        return f'≈ {status.total} {noun} for "{status.query}" · {where}'
    return f"{status.current}/{status.total}"


class FindInput(EagerInput):
    """The query field. Enter closes the bar at once, so keys typed ahead after it
    (`/wheel` Enter `n` in one burst) reach the pane, not the query."""

    async def _on_key(self, event: events.Key) -> None:
        if self.screen.focused is not self:
            # Queued here before Enter moved the focus: the app sends it where the focus is now.
            event.stop()
            event.prevent_default()
            self.app.post_message(events.Key(event.key, event.character))
            return
        if event.key == "enter":
            event.stop()
            event.prevent_default()
            bar = self.parent
            if isinstance(bar, FindBar):
                bar.action_close()
            return
        await super()._on_key(event)


class FindBar(Widget, can_focus=False):
    """Search-as-you-type field (hidden until `open`)."""

    DEFAULT_CSS = """
    /* In the flow, not docked: a docked bar would lie under a docked Footer.
       Compose it after the pane (and before the Footer) to sit at the bottom. */
    FindBar {
        height: 1;
        layout: horizontal;
        display: none;
        background: $panel;
        &.-open { display: block; }
        #find-label { width: auto; padding: 0 1; color: $text-muted; }
        #find-input { width: 1fr; height: 1; border: none; padding: 0; background: $panel; }
        #find-input:focus { border: none; }
        #find-status { width: auto; max-width: 60%; padding: 0 1; color: $text-muted; }
        &.-none #find-status { color: $error; }
        &.-fuzzy #find-status { color: $warning; }
    }
    """

    BINDINGS = [
        Binding("down,f3", "next", "Next match", show=False, id="find.next"),
        Binding("up,shift+f3", "previous", "Previous match", show=False, id="find.previous"),
        Binding("escape", "close", "Close search", show=False, id="find.close"),
    ]

    class Changed(Message):
        """The query changed (every keystroke)."""

        def __init__(self, find_bar: FindBar, query: str) -> None:
            super().__init__()
            self.find_bar = find_bar
            self.query = query

        @property
        def control(self) -> FindBar:
            return self.find_bar

    class _Signal(Message):
        def __init__(self, find_bar: FindBar) -> None:
            super().__init__()
            self.find_bar = find_bar

        @property
        def control(self) -> FindBar:
            return self.find_bar

    # Siblings, not subclasses of each other: `@on(FindBar.Next)` must not
    # also catch Previous or Closed.
    class Next(_Signal):
        """Go to the next match."""

    class Previous(_Signal):
        """Go to the previous match."""

    class Closed(_Signal):
        """The bar was closed with Enter or Esc; the view keeps its position and the matches."""

    _return_to: Widget | None = None  # the pane focused when the bar opened

    def compose(self) -> ComposeResult:
        yield Static("Find:", id="find-label")
        yield FindInput(placeholder="search this talk", id="find-input", select_on_focus=True)
        yield Static("", id="find-status", markup=False)

    @property
    def input(self) -> Input:
        return self.query_one("#find-input", Input)

    @property
    def value(self) -> str:
        return self.input.value

    @property
    def is_open(self) -> bool:
        return self.has_class("-open")

    def open(self, query: str | None = None) -> None:
        """Show the bar and focus the field (optionally with a query already in it)."""
        focused = self.screen.focused
        if focused is not self.input:
            self._return_to = focused
        self.add_class("-open")
        if query is not None:
            self.input.value = query
        # At once, not after the queued keys: the query typed ahead belongs in the field.
        self.screen.set_focus(self.input)

    def close(self) -> None:
        """Hide the bar (the query stays, for the next `open`); the focus goes back at once."""
        self.remove_class("-open")
        back = self._return_to
        if self.input.has_focus and back is not None and back.is_attached and back.display:
            self.screen.set_focus(back)

    def set_status(self, status: SearchStatus) -> None:
        """Show the result of the latest search."""
        self.set_class(bool(status.query.strip()) and status.total == 0, "-none")
        self.set_class(status.fuzzy and status.total > 0, "-fuzzy")
        # A Text, so a query like "[bold]" is shown as typed, not as markup.
        self.query_one("#find-status", Static).update(Text(status_text(status)))

    @on(Input.Changed, "#find-input")
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(self.Changed(self, event.value))

    @on(Input.Submitted, "#find-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_close()

    def action_next(self) -> None:
        self.post_message(self.Next(self))

    def action_previous(self) -> None:
        self.post_message(self.Previous(self))

    def action_close(self) -> None:
        self.close()
        self.post_message(self.Closed(self))
