"""Screens laid out once as they open, not twice.

Textual lays a screen out as it is shown; that layout sends the screen itself a
Resize (it was just shown), and the screen lays itself out again, at the same
size, with a full render: 10-20 ms of the talk screen's opening, before its
first frame. `LaidOutOnce` skips a resize to the size the screen is already laid
out at. Anything that does change (a widget mounted, a pane's size) asks for its
own layout, which is not this path.
"""

from __future__ import annotations

from textual.geometry import Size


class LaidOutOnce:
    """Mixin for a `Screen`: a resize to the size it is laid out at does nothing."""

    def _screen_resized(self, size: Size) -> None:
        compositor = getattr(self, "_compositor", None)  # Textual's, private: without it, as before
        if compositor is not None and getattr(compositor, "size", None) == size:
            return
        super()._screen_resized(size)  # type: ignore[misc]
