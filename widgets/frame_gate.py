"""Threads that wait for the screen to be drawn before they start their work.

Opening a talk starts work in threads: placing untimed sections, building the
search vocabulary. They were started one frame after the talk's first frame,
in the same round of after-refresh callbacks as the footer's keys, and from
then on they took the interpreter lock from the UI in 5 ms slices: a 3-hour
talk's screen was complete some 100 ms later than it is without them. Now the
worker is still created at that moment (whoever waits for the app's workers
waits for it), but its thread first waits on a gate that opens once the screen
has drawn one more frame.
"""

from __future__ import annotations

import threading

from textual.widget import Widget

# Seconds a thread waits at most: should no frame come (the app closing), the work starts anyway.
BACKSTOP = 1.0


class FrameGates:
    """The gates of one widget's threads; `close()` (on unmount) opens them all so no thread is left waiting."""

    def __init__(self) -> None:
        self._pending: list[threading.Event] = []

    def next_frame(self, widget: Widget) -> threading.Event:
        """A gate that opens once the screen has drawn its next frame."""
        self._pending = [gate for gate in self._pending if not gate.is_set()]
        gate = threading.Event()
        if not widget.call_after_refresh(gate.set):
            gate.set()  # the widget is closing: nothing will be drawn for it
        self._pending.append(gate)
        return gate

    def close(self) -> None:
        for gate in self._pending:
            gate.set()
        self._pending = []


def wait_for_frame(gate: threading.Event) -> None:
    """In the thread: until the gate opens (at most BACKSTOP seconds)."""
    gate.wait(BACKSTOP)


# The opening talk's threads take their turns: each holds the interpreter lock
# in 5 ms slices, so the screen, waiting on it beside three of them, got a
# quarter of the time, and with one at a time it gets half.
_turn = threading.Lock()


def one_at_a_time() -> threading.Lock:
    """Held by a thread for its work: the others wait their turn (not the UI)."""
    return _turn
