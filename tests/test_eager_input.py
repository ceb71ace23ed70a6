"""EagerInput: editing keys in a fast burst act in turn with the letters around them."""

from __future__ import annotations

import pytest
from textual import events
from textual.app import App, ComposeResult
from textual.widgets import Input

from widgets.eager_input import EagerInput

BURSTS = [
    (["a", "backspace", "b"], "b"),
    (["b", "e", "e", "backspace", "backspace", "backspace", "x", "y", "z"], "xyz"),
    (["h", "e", "l", "l", "o", "left", "left", "backspace", "backspace", "x"], "hxlo"),
    (["w", "o", "r", "d", "ctrl+w", "z"], "z"),
]


class Box(App):
    def __init__(self, kind: type[Input]) -> None:
        super().__init__()
        self.kind = kind

    def compose(self) -> ComposeResult:
        yield self.kind(id="box")


async def typed(kind: type[Input], keys: list[str]) -> str:
    app = Box(kind)
    async with app.run_test() as pilot:
        box = app.query_one("#box", Input)
        box.focus()
        await pilot.pause()
        for key in keys:  # all queued at once, as a terminal delivers a fast burst
            app.post_message(events.Key(key, key if len(key) == 1 else None))
        await pilot.pause()
        await pilot.pause()
        return box.value


@pytest.mark.parametrize(("keys", "expected"), BURSTS)
async def test_a_burst_reads_as_typed(keys, expected):
    assert await typed(EagerInput, keys) == expected


async def test_textuals_own_input_gets_a_burst_wrong():
    """Why EagerInput exists: the plain Input applies the backspace after the letter behind it."""
    assert await typed(Input, ["a", "backspace", "b"]) != "b"
