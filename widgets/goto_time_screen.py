"""The go-to-time prompt: one line at the bottom, like vim's `:` (keys `:` and `t` on a talk).

It takes what tui.time_input reads (`1:23:45`, `83:20`, `45%`, `+30s`,
`-2m`) and dismisses with what the caller's `resolve` made of it (where to
go); a form it cannot read is told on the prompt's own line and the prompt
stays open. Esc cancels.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from tui.time_input import FORMS, TimeInputError
from widgets.eager_input import EagerInput


class GoToTimeScreen(ModalScreen[Any]):
    """Ask for a moment; dismiss with `resolve(text)`, or None on Esc."""

    DEFAULT_CSS = """
    GoToTimeScreen { align: left bottom; background: $background 0%; }
    GoToTimeScreen > #goto-box {
        dock: bottom; height: 2; width: 100%; background: $panel;
    }
    GoToTimeScreen #goto-row { height: 1; }
    GoToTimeScreen #goto-label { width: auto; padding: 0 1; color: $text-muted; }
    GoToTimeScreen #goto-input { width: 1fr; height: 1; border: none; padding: 0; background: $panel; }
    GoToTimeScreen #goto-help { height: 1; padding: 0 1; color: $text-muted; }
    GoToTimeScreen #goto-help.-error { color: $error; }
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="goto.cancel")]

    def __init__(self, resolve: Callable[[str], Any], now: str = "") -> None:
        """`resolve` turns the text into a place (raising TimeInputError); `now` is the cursor's time, shown."""
        super().__init__()
        self.resolve = resolve
        self.now = now

    def compose(self) -> ComposeResult:
        with Vertical(id="goto-box"):
            with Horizontal(id="goto-row"):
                yield Static("Go to:", id="goto-label")
                yield EagerInput(placeholder=self.now, id="goto-input")
            hint = f"{FORMS}  ·  now at {self.now}" if self.now else FORMS
            yield Static(Text(hint), id="goto-help")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted, "#goto-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        help_line = self.query_one("#goto-help", Static)
        try:
            target = self.resolve(event.value)
        except TimeInputError as exc:
            help_line.add_class("-error")
            help_line.update(Text(str(exc)))
            return
        self.dismiss(target)

    def action_cancel(self) -> None:
        self.dismiss(None)
