"""The help screen: every key binding of the app and the screen beneath, with its id for config.toml."""

from __future__ import annotations

import re

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Input, Static

from widgets.footer import Footer

INTRO = (
    "Keys for this screen. Remap any of them in config.toml under [keys], "
    'by the id shown: e.g.  talk.quote = "y,c"'
)


def binding_rows(screen: Screen) -> list[tuple[str, str, str, str]]:
    """(keys, what it does, id, where) for every described binding on `screen`, its widgets and the app."""
    app = screen.app
    nodes: list[DOMNode] = [screen]
    # Only talkshelf's own widgets: Textual's (the footer's scrolling, a table's or a text field's
    # cursor keys) are the usual ones, and listing them buried ours ("Footer ← Scroll Left").
    nodes.extend(
        w
        for w in screen.walk_children(with_self=False)
        if getattr(w, "BINDINGS", None) and not isinstance(w, Input) and _ours(w)
    )
    nodes.append(app)
    # A screen where letters and digits type (the talk list's filter) shadows the app's keys on them.
    typed = getattr(screen, "TYPES_WORDS", False)
    rows: list[tuple[str, str, str, str]] = []
    seen: set[tuple[str, str, str]] = set()
    for node in nodes:
        bindings = node._bindings.copy()
        if app._keymap:
            bindings.apply_keymap(app._keymap)
        grouped: dict[tuple[str, str, str], list[str]] = {}
        for key, items in bindings.key_to_bindings.items():
            for binding in items:
                if not binding.description or binding.action in getattr(node, "HELP_HIDDEN", ()):
                    continue
                if not binding.id and node is not app:
                    continue  # a binding Textual's base classes bring (a tree's scrolling, a screen's copy)
                if typed and node is not screen and len(key) == 1 and key.isalnum():
                    continue
                grouped.setdefault((binding.action, binding.description, binding.id or ""), []).append(
                    app.get_key_display(binding)
                )
        where = "Everywhere" if node is app else ("This screen" if node is screen else _readable_name(node))
        for (action, description, binding_id), keys in grouped.items():
            if (where, action, binding_id) in seen:
                continue
            seen.add((where, action, binding_id))
            rows.append((" ".join(dict.fromkeys(keys)), description, binding_id, where))
    return rows


def _ours(node: DOMNode) -> bool:
    return type(node).__module__.split(".")[0] in ("widgets", "tui")


def _readable_name(node: DOMNode) -> str:
    """`TranscriptView` -> `Transcript view`: class names read as words."""
    words = re.findall(r"[A-Z][a-z0-9]*|[a-z0-9]+", type(node).__name__)
    return " ".join([words[0], *(w.lower() for w in words[1:])]) if words else type(node).__name__


class HelpScreen(ModalScreen[None]):
    """All bindings of the screen it was opened over."""

    BINDINGS = [Binding("escape,q,question_mark", "close_help", "Close", id="help.close")]

    def __init__(self, over: Screen) -> None:
        super().__init__()
        self.over = over

    def compose(self) -> ComposeResult:
        with Vertical(id="help-box"):
            yield Static("Keys", id="help-title")
            yield Static(INTRO, id="help-intro", markup=False)
            table: DataTable = DataTable(id="help-table", cursor_type="row", zebra_stripes=True)
            rows = binding_rows(self.over)
            # Keys as wide as the longest (`shift+enter` was cut to "s"), the description fixed
            # so the ids stay in view at 80 columns.
            table.add_column("Keys", width=max([4, *(len(keys) for keys, *_ in rows)]))
            table.add_column("Does", width=26)
            table.add_column("Id")
            table.add_column("Where")
            for row in rows:
                table.add_row(*(Text(cell) for cell in row))  # Text: no markup in key names
            yield table
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one(DataTable).focus()

    def action_close_help(self) -> None:
        self.dismiss(None)
