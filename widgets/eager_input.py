"""An Input whose own editing keys act as each key arrives, in turn with the letters."""

from __future__ import annotations

from textual import events
from textual.binding import Binding
from textual.widgets import Input


def _declared_actions() -> frozenset[str]:
    """The actions of the bindings Input declares itself (editing, moving in the text, submit)."""
    actions = set()
    for binding in Input.BINDINGS:
        actions.add(binding.action if isinstance(binding, Binding) else binding[1])
    return frozenset(actions)


class EagerInput(Input):
    """Textual runs a widget's key bindings only once the key has bubbled up to
    the app, while letters are typed where they arrive: in a fast burst from
    the terminal ("a", backspace, "b") the backspace then ran after the "b"
    and deleted it. Here the box's own bindings (backspace, delete, the
    arrows, ctrl+w, enter...) run as their key arrives."""

    def bound_action(self, key: str) -> str | None:
        """The action `key` runs as an edit of this box: the bindings Input itself declares, not
        the scrolling every widget inherits (up, down, page keys go on to the screen as before)."""
        bindings = [b for b in self._bindings.key_to_bindings.get(key, ()) if b.action in _EDITING]
        return bindings[0].action if bindings else None

    async def edit(self, event: events.Key) -> bool:
        """Run `event`'s editing binding on this box now, if it has one; whether it did."""
        if event.is_printable or (action := self.bound_action(event.key)) is None:
            return False
        event.stop()
        event.prevent_default()
        self._restart_blink()
        await self.run_action(action)
        return True

    async def _on_key(self, event: events.Key) -> None:
        if not await self.edit(event):
            await super()._on_key(event)


_EDITING = _declared_actions()
