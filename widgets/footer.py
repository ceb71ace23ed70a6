"""The footer of key bindings, rebuilt once for a burst of binding changes, and only when its keys change.

Textual's `Footer` removes and mounts all its keys again every time the screen
says its bindings may have changed. Opening the talk screen says so three or
four times in a row (the screen resumes, focus moves, focus styles update),
and each rebuild (some 15 ms) ran before the screen's first complete frame.
Here a burst of those signals schedules one rebuild, and a rebuild whose keys
would be the same as those shown is skipped; a screen under another one (the
list under an opening talk, some 14 ms) waits until it is shown again. The keys of a compact footer are
made with their `-compact` class, which Textual's keys set on themselves once
mounted: each key was styled twice (some 12 ms for the talk screen's keys).
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer as TextualFooter

try:  # Textual names its footer's keys only in a private module: without it, keys are styled twice
    from textual.widgets._footer import FooterKey
except ImportError:  # pragma: no cover (another Textual)
    FooterKey = None


class Footer(TextualFooter):
    """Textual's footer, rebuilt once per burst of binding changes and only when what it shows differs."""

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003 (Footer's own arguments)
        super().__init__(*args, **kwargs)
        self._rebuild_queued = False
        self._shown: tuple | None = None  # what the keys were built from (see _keys)

    def bindings_changed(self, screen: Screen) -> None:
        # Textual's own checks, then one rebuild for however many signals come before it runs.
        self._bindings_ready = True
        if not screen.app.app_focus or not self.is_attached or screen is not self.screen:
            return
        if screen is not screen.app.screen:
            # A screen under another one (the list under a talk) says its bindings
            # changed as focus leaves it: its footer is rebuilt when it is shown
            # again (resuming, the screen says so once more), not while the new
            # screen opens.
            return
        if not self._rebuild_queued:
            self._rebuild_queued = True
            self.call_after_refresh(self._rebuild)

    def compose(self) -> ComposeResult:
        for widget in super().compose():
            if self.compact and FooterKey is not None and isinstance(widget, FooterKey):
                widget.add_class("-compact", update=False)  # styled once mounted, as its `compact` (bound to the footer's) will set it
            yield widget

    def _keys(self) -> tuple:
        """Everything `Footer.compose` builds the keys from: the bindings it shows
        (hidden ones, which come and go with focus, change nothing) and the palette's."""
        app = self.app
        palette = app.COMMAND_PALETTE_BINDING
        return tuple(
            (key, binding, enabled, tooltip, app.get_key_display(binding))
            for key, (_node, binding, enabled, tooltip) in self.screen.active_bindings.items()
            if binding.show or key == palette
        ) + (self.show_command_palette, app.ENABLE_COMMAND_PALETTE)

    async def _rebuild(self) -> None:
        self._rebuild_queued = False  # a signal from now on schedules another
        if not self.is_attached:
            return
        keys = self._keys()
        if keys == self._shown:
            return
        self._shown = keys
        await self.recompose()
