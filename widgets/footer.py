"""The footer of key bindings: one widget that draws the screen's shown keys on one line.

Textual's `Footer` is a container of one widget per key, removed and mounted
again every time the screen says its bindings may have changed. Each key is a
widget to style, lay out and draw, and opening a screen says "changed" three
or four times: the footer was some 8% of opening the talk screen even after
its rebuilds were batched. This one looks the same (compact or not, the
command palette's key on the right) but is a single line of text: a change of
keys is a repaint, a burst of signals makes one, and a screen under another
one (the list under an opening talk) repaints only when shown again.

Pressing a key with the mouse works as on Textual's footer: the click
simulates the key (a disabled one rings the bell), the key under the pointer
is highlighted and its tooltip shown, and the wheel scrolls keys that do not
fit.
"""

from __future__ import annotations

from typing import NamedTuple

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.reactive import reactive
from textual.screen import Screen
from textual.strip import Strip
from textual.widget import Widget


class FooterItem(NamedTuple):
    """One key as shown."""

    key: str
    display: str
    description: str
    enabled: bool
    tooltip: str
    palette: bool  # the command palette's key, drawn on the right


class Footer(Widget, can_focus=False):
    """The shown key bindings of the screen, drawn as one line."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES = {"footer--key", "footer--description", "footer--item", "footer--hover", "footer--divider"}
    # Textual's footer's colours, with the same theme variables.
    DEFAULT_CSS = """
    Footer {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        .footer--item { background: $footer-item-background; }
        .footer--key { color: $footer-key-foreground; background: $footer-key-background; text-style: bold; }
        .footer--description { color: $footer-description-foreground; background: $footer-description-background; }
        .footer--hover { color: $footer-key-foreground; background: $block-hover-background; }
        .footer--divider { color: $foreground 20%; }
    }
    """

    compact = reactive(False)
    """Less space around keys."""
    show_command_palette = reactive(True)
    """Show the key of the command palette, on the right."""

    def __init__(
        self,
        *,
        name: str | None = None,
        id: str | None = None,  # noqa: A002 (Textual's name)
        classes: str | None = None,
        show_command_palette: bool = True,
        compact: bool = False,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.set_reactive(Footer.show_command_palette, show_command_palette)
        self.set_reactive(Footer.compact, compact)
        self.items: tuple[FooterItem, ...] = ()
        self._update_queued = False
        self._spans: list[tuple[int, int, int]] = []  # (start, end, item index) as last drawn
        self._hover: int | None = None
        self._scroll = 0  # cells of the keys scrolled off to the left

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self.bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def bindings_changed(self, screen: Screen) -> None:
        if not screen.app.app_focus or not self.is_attached or screen is not self.screen:
            return
        if screen is not screen.app.screen:
            # A screen under another one (the list under a talk) says its bindings
            # changed as focus leaves it: it is shown again (resuming, the screen
            # says so once more) before this footer is seen.
            return
        if not self._update_queued:
            self._update_queued = True
            self.call_after_refresh(self._update)

    def _update(self) -> None:
        self._update_queued = False  # a signal from now on schedules another
        if not self.is_attached or self.screen is not self.app.screen:
            return  # closing, or covered since the signal: shown again, its screen signals once more
        items = self._items()
        if items != self.items:
            self.items = items
            self._hover = None
            self.refresh()

    def _items(self) -> tuple[FooterItem, ...]:
        """The keys Textual's footer shows: each action's first shown binding, then the palette's."""
        app = self.app
        bindings = self.screen.active_bindings
        items: list[FooterItem] = []
        actions: set[str] = set()
        for _node, binding, enabled, tooltip in bindings.values():
            if binding.show and binding.action not in actions:
                actions.add(binding.action)
                items.append(FooterItem(binding.key, app.get_key_display(binding), binding.description, enabled, tooltip, False))
        if self.show_command_palette and app.ENABLE_COMMAND_PALETTE:
            shown = bindings.get(app.COMMAND_PALETTE_BINDING)
            if shown is not None:
                _node, binding, enabled, _tooltip = shown
                tooltip = binding.tooltip or binding.description
                items.append(FooterItem(binding.key, app.get_key_display(binding), binding.description, enabled, tooltip, True))
        return tuple(items)

    def _item_segments(self, i: int, item: FooterItem, styles: dict[str, Style]) -> list[Segment]:
        # Under the pointer, both parts take the hover background (their own is see-through).
        on_top = Style(bgcolor=styles["hover"].bgcolor) if i == self._hover else Style()
        if not item.enabled:
            on_top += Style(dim=True)
        base = styles["item"]
        if not item.description:
            return [Segment(item.display, base + styles["key"] + on_top)]
        if self.compact:
            key, description = item.display, " " + item.description
        else:
            key, description = f" {item.display} ", item.description + " "
        return [Segment(key, base + styles["key"] + on_top), Segment(description, base + styles["description"] + on_top)]

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        styles = {name: self.get_component_rich_style(f"footer--{name}") for name in ("key", "description", "item", "hover", "divider")}
        gap = Style(bgcolor=self.rich_style.bgcolor)  # between keys: the footer's background only, as a margin
        keys: list[Segment] = []
        spans: list[tuple[int, int, int]] = []
        palette: list[Segment] = []
        at = 0
        for i, item in enumerate(self.items):
            segments = self._item_segments(i, item, styles)
            if item.palette:
                # Docked right, after a thin divider (Textual's `vkey` border).
                divider = Segment("▏", styles["divider"] + Style(bgcolor=styles["item"].bgcolor))
                palette = [divider, *segments, Segment(" ", gap if self.compact else styles["item"])]
                palette_index = i
                continue
            cells = sum(s.cell_length for s in segments)
            spans.append((at, at + cells, i))
            keys += segments
            at += cells
            if self.compact:
                keys.append(Segment(" ", gap))
                at += 1
        keys_width = max(0, width - Segment.get_line_length(palette))
        self._scroll = scroll = max(0, min(self._scroll, at - keys_width))
        line = Strip(keys, at).crop(scroll, scroll + keys_width).extend_cell_length(keys_width, gap)
        spans = [(a - scroll, min(b - scroll, keys_width), i) for a, b, i in spans if b > scroll and a - scroll < keys_width]
        if palette:
            spans.append((keys_width + 1, width, palette_index))
            line = Strip.join([line, Strip(palette)])
        self._spans = spans
        return line.crop(0, width)

    def _item_at(self, x: int) -> int | None:
        return next((i for a, b, i in self._spans if a <= x < b), None)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        hover = self._item_at(event.x)
        if hover != self._hover:
            self._hover = hover
            self.tooltip = self.items[hover].tooltip or None if hover is not None else None
            self.refresh()

    def on_leave(self) -> None:
        if self._hover is not None:
            self._hover = None
            self.refresh()

    def on_mouse_down(self, event: events.MouseDown) -> None:
        i = self._item_at(event.x)
        if i is None:
            return
        if self.items[i].enabled:
            self.app.simulate_key(self.items[i].key)
        else:
            self.app.bell()

    def _scroll_keys(self, by: int) -> None:
        self._scroll = max(0, self._scroll + by)
        self.refresh()

    def on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        event.stop()
        self._scroll_keys(4)

    def on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        event.stop()
        self._scroll_keys(-4)
