"""Every bookmark and note across the library, filterable as you type.

Enter dismisses the screen with the chosen item (the app jumps there); j/k
move on the list, Space shows the whole note (a note cut to two lines ends
with `…`), `e` edits, `d` deletes and `u` undoes the last delete. A time that
was estimated shows `≈`, as the talk screen said when the mark was made. Whether an item's moment can
still be found is asked of the app (`check`) in a worker, so a big library
never stalls the list; items that cannot be reached say why.
"""

from __future__ import annotations

from typing import Callable

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from tui.model import format_time
from tui.store import Deleted, Item, draft_key
from widgets.eager_input import EagerInput
from widgets.footer import Footer
from widgets.note_editor_screen import NoteEditor
from widgets.screen_layout import LaidOutOnce
from widgets.store_access import FAILED, StoreAccess
from widgets.thread_work import forgets_its_worker

QUOTE_CHARS = 160
NOTE_LINES = 2

# check(item) -> None when the item can be reached, else a short reason
# ("moment not found", "talk not in library"); see tui.store.moment_status.
Check = Callable[[Item], "str | None"]


def _flat(text: str, limit: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def item_prompt(item: Item, problem: str | None = None, *, full: bool = False, estimated: bool = False) -> Text:
    """The lines of one item: mark, time, talk (and any problem); quote; note (all of it with `full`)."""
    mark = "★" if item.is_bookmark else "✎"
    when = "whole talk" if item.moment is None else format_time(item.seconds, estimated)
    # Plain strings appended to Text: nothing in a title, quote or note is read as markup.
    line = Text(no_wrap=True, overflow="ellipsis")
    line.append(f"{mark} ", style="bold yellow" if item.is_bookmark else "bold cyan")
    line.append(f"{when:>10}  ", style="bold")
    line.append(" ".join(item.talk_title.split()) or "Untitled talk")
    if problem:
        line.append(f"  [{problem}]", style="bold red")
    lines = [line]
    if item.quote.strip():
        lines.append(Text("   “" + _flat(item.quote, QUOTE_CHARS) + "”", style="italic dim", no_wrap=True, overflow="ellipsis"))
    note_lines = [ln.strip() for ln in item.note.splitlines() if ln.strip()]
    if full:
        # Every line, wrapped: Space asked for the whole note.
        lines.extend(Text("   " + line) for line in note_lines)
        return Text("\n").join(lines)
    shown = note_lines[:NOTE_LINES]
    if len(note_lines) > NOTE_LINES:
        shown[-1] = shown[-1].rstrip(" .…") + " …"  # more below: Space shows it
    for note_line in shown:
        lines.append(Text("   " + note_line, no_wrap=True, overflow="ellipsis"))
    return Text("\n", no_wrap=True, overflow="ellipsis").join(lines)


class NotesScreen(LaidOutOnce, Screen[Item | None]):
    """Bookmarks and notes of the whole library; dismisses with the item to jump to (None: back)."""

    DEFAULT_CSS = """
    NotesScreen #notes-title { text-style: bold; padding: 0 1; height: 1; }
    NotesScreen #notes-filter { margin: 0 0 1 0; }
    NotesScreen #notes-list { height: 1fr; text-wrap: nowrap; text-overflow: ellipsis; }
    NotesScreen #notes-status { height: 1; padding: 0 1; color: $text-muted; }
    """

    BINDINGS = [
        Binding("escape", "back", "Back", id="notes.back"),
        Binding("e", "edit", "Edit", id="notes.edit"),
        Binding("d", "delete", "Delete", id="notes.delete"),
        Binding("u", "undo", "Undo delete", id="notes.undo"),
        Binding("slash", "focus_filter", "Filter", id="notes.filter"),
        Binding("down", "focus_list", "List", show=False, id="notes.list"),
        # On the list (in the filter these letters are typed).
        Binding("j", "move(1)", "Down", show=False, id="notes.down"),
        Binding("k", "move(-1)", "Up", show=False, id="notes.up"),
        Binding("space", "expand", "Whole note", id="notes.expand"),
    ]

    def __init__(self, notes: StoreAccess, check: Check | None = None) -> None:
        super().__init__()
        self.notes = notes  # the app's way to the store: a failing call is told, and the list stays as it was
        self.check = check
        self.items: list[Item] = []  # everything in the store, in list order
        self.shown: list[Item] = []  # what the filter lets through
        self.problems: dict[int, str | None] = {}  # item id -> reason it cannot be reached
        self.deleted: list[Deleted] = []  # undo stack
        self.expanded: set[int] = set()  # item ids whose whole note is shown
        self.estimated: set[int] = set()  # item ids whose time is an estimate (≈)

    def compose(self) -> ComposeResult:
        yield Static("Bookmarks and notes", id="notes-title")
        yield EagerInput(placeholder="Filter: words from titles, quotes and notes", id="notes-filter")
        yield OptionList(id="notes-list", markup=False)
        yield Static("", id="notes-status")
        yield Footer()

    def on_mount(self) -> None:
        self.reload()
        self.query_one(Input).focus()

    # loading and filtering --------------------------------------------------

    @property
    def filter_text(self) -> str:
        return self.query_one(Input).value

    def reload(self, keep: int | None = None) -> None:
        """Read the store again and redraw; the highlight stays on `keep` (an item id) if given."""
        items = self.notes.call(lambda store: store.all_items(), "Could not read the bookmarks and notes")
        if items is not FAILED:
            self.items = items
        self._show(keep)
        unchecked = [i for i in self.items if i.id not in self.problems]
        if self.check is not None and unchecked:
            self._check_items(unchecked)

    def _show(self, keep: int | None = None) -> None:
        option_list = self.query_one(OptionList)
        if keep is None and option_list.highlighted_option is not None:
            keep = int(option_list.highlighted_option.id)
        words = self.filter_text.casefold().split()
        self.shown = [i for i in self.items if i.matches(words)] if words else list(self.items)
        options: list[Option | None] = []
        for item in self.shown:
            prompt = item_prompt(item, self.problems.get(item.id), full=item.id in self.expanded, estimated=item.id in self.estimated)
            options += [Option(prompt, id=str(item.id)), None]  # None: a divider
        option_list.set_options(options[:-1])
        if self.shown:
            ids = [i.id for i in self.shown]
            option_list.highlighted = ids.index(keep) if keep in ids else 0
        total, count = len(self.items), len(self.shown)
        status = f"{count} of {total}" if words else f"{total} bookmarks and notes"
        if self.deleted:
            status += "  ·  u: undo delete"
        self.query_one("#notes-status", Static).update(Text(status))

    @work(thread=True, exclusive=True, group="notes-check")
    @forgets_its_worker
    def _check_items(self, items: list[Item]) -> None:
        """Ask the app where each item's moment is now, off the UI thread."""
        assert self.check is not None
        found: dict[int, str | None] = {}
        estimated: set[int] = set()
        estimate = getattr(self.check, "estimated", None)
        for item in items:
            try:
                found[item.id] = self.check(item)
                if estimate is not None and found[item.id] is None and estimate(item):
                    estimated.add(item.id)
            except Exception as exc:  # a failing lookup marks the item, never kills the list
                found[item.id] = f"cannot check: {type(exc).__name__}"
        self.app.call_from_thread(self._checked, found, estimated)

    def _checked(self, found: dict[int, str | None], estimated: set[int] = frozenset()) -> None:
        self.problems.update(found)
        self.estimated |= estimated
        if self.is_mounted:
            self._show()

    @on(Input.Changed, "#notes-filter")
    def _filter_changed(self) -> None:
        self._show()

    # choosing ------------------------------------------------------------------

    @property
    def current(self) -> Item | None:
        option_list = self.query_one(OptionList)
        index = option_list.highlighted
        if index is None or not 0 <= index < len(self.shown):
            return None
        return self.shown[index]

    @on(Input.Submitted, "#notes-filter")
    def _filter_submitted(self) -> None:
        if self.current is not None:
            self.dismiss(self.current)

    @on(OptionList.OptionSelected, "#notes-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.shown[event.option_index])

    def action_back(self) -> None:
        if self.filter_text and self.query_one(Input).has_focus:
            self.query_one(Input).value = ""
            return
        self.dismiss(None)

    def action_move(self, step: int) -> None:
        option_list = self.query_one(OptionList)
        option_list.focus()
        if step > 0:
            option_list.action_cursor_down()
        else:
            option_list.action_cursor_up()

    def action_expand(self) -> None:
        """Space: the highlighted item's whole note, or back to two lines."""
        item = self.current
        if item is None:
            return
        self.expanded ^= {item.id}
        self._show(item.id)

    def action_focus_filter(self) -> None:
        self.query_one(Input).focus()

    def action_focus_list(self) -> None:
        option_list = self.query_one(OptionList)
        if option_list.has_focus:
            option_list.action_cursor_down()
        else:
            option_list.focus()

    # editing ---------------------------------------------------------------------

    def action_edit(self) -> None:
        item = self.current
        if item is None:
            return
        when = "the whole talk" if item.moment is None else format_time(item.seconds, item.id in self.estimated)
        heading = f"Note at {when}: {' '.join(item.talk_title.split())}"

        def store_text(text: str) -> str | None:
            # Saved in the editor: when it fails the editor stays open with the text and the reason.
            return self.notes.attempt(lambda store: store.update_note(item.id, text), also=(KeyError,))

        def saved(text: str | None) -> None:
            if text is None:
                return
            self.reload(keep=item.id)
            self.notify("Note saved.")

        draft = self.notes.draft_for(draft_key(note=item.uid), talk_title=item.talk_title, heading=heading)
        self.app.push_screen(NoteEditor(item.note, heading=heading, quote=item.quote, save=store_text, draft=draft), saved)

    def action_delete(self) -> None:
        item = self.current
        if item is None:
            return
        index = self.query_one(OptionList).highlighted or 0
        deleted = self.notes.call(lambda store: store.delete(item.id), "Could not delete it", also=(KeyError,))
        if deleted is FAILED:
            return
        self.deleted.append(deleted)
        self.reload()
        if self.shown:
            self.query_one(OptionList).highlighted = min(index, len(self.shown) - 1)
        what = "Bookmark" if item.is_bookmark else "Note"
        self.notify(f"{what} deleted. Press u to undo.")

    def action_undo(self) -> None:
        if not self.deleted:
            self.notify("Nothing to undo.", severity="warning")
            return
        restored = self.notes.call(lambda store: store.undo(self.deleted[-1]), "Could not undo the delete")
        if restored is FAILED:
            return  # still on the undo stack: u tries again
        self.deleted.pop()
        self.reload(keep=restored.id)
        self.notify("Restored.")
