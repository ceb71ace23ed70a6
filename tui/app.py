"""The talkshelf app: start-up, the library's index and the notes store it owns, themes.

The only Textual code under tui/. The screens live in widgets/ (each in its own
file), the look in styles/app.tcss, and everything the screens show comes from the core.
"""

from __future__ import annotations

import gc
import sqlite3
import sys
import time
from collections import deque
from collections.abc import Iterable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from textual import events, on, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.css.query import NoMatches
from textual.screen import Screen
from textual.theme import Theme
from textual.timer import Timer
from textual.worker import get_current_worker

from tui.config import Config, load_config, save_theme
from tui.library_watch import LibraryWatch
from tui.model import Talk, talk_ids
from tui.quotes import check_template
from tui.store import STORE_FAILURES, Item, Moment, MomentChecker, Store
from tui.textio import one_line, strip_controls
from widgets.palette_commands import TalkshelfCommands
from widgets.store_access import FAILED, StoreAccess
from widgets.talk_list import TalkList
from widgets.talk_list_screen import TalkListScreen

# The first screen is the talk list: every other screen is imported when it is first
# opened (the talk screen and its panes alone took about as long to import as Textual's widgets).
if TYPE_CHECKING:
    from tui.index import Index, SearchHit
    from tui.library import Library
    from widgets.talk_screen import TalkScreen

STYLES = Path(__file__).resolve().parent.parent / "styles"
# What an index call may raise (a locked, broken or unwritable cache): told, never a crash.
INDEX_FAILURES = (sqlite3.Error, OSError)


class TalkshelfApp(App[None]):
    TITLE = "talkshelf"
    CSS_PATH = [STYLES / "app.tcss"]
    COMMANDS = App.COMMANDS | {TalkshelfCommands}

    BINDINGS = [
        Binding("q", "quit", "Quit", id="quit"),
        Binding("question_mark", "help", "Help", id="help"),
        Binding("f1", "help", "Help", show=False, id="help_alt"),
        Binding("ctrl+t", "change_theme", "Theme", show=False, id="theme"),
    ]

    def __init__(
        self,
        library: Library | None,
        *,
        talk_id: str | None = None,
        at: float | None = None,
        config: Config | None = None,
        library_path: Path | None = None,
        notes_count: dict[str, int] | None = None,
        use_index: bool = False,
        index: Index | None = None,
    ) -> None:
        """`library`: already scanned (tests); else read `library_path` in a worker, through
        the persistent index with `use_index` (falling back to a scan when it cannot be used)."""
        super().__init__()
        self.library = library
        self.use_index = use_index
        self.index = index  # for searching the library; None when there is none
        self.index_ready = index is not None  # refreshed against the files
        self.indexing: tuple[int, int] | None = None  # (done, total) while a refresh runs
        self._so_far = False  # the list shows a first run's talks stored so far
        self.library_path = library_path if library_path is not None else (library.root if library else None)
        self.config = config if config is not None else load_config()
        self.start_talk = talk_id
        self.start_at = at
        self.notes_count = notes_count or {}
        self._saved_theme = self.config.theme
        # Bookmarks and notes: opened once, on first use (None with store_error set when it cannot be).
        self.store: Store | None = None
        self.store_error: str | None = None
        self._store_tried = False
        # The screens' way to it: every store call from a screen fails the same way (told, never a crash).
        self.notes = StoreAccess(lambda tell: self.notes_store(tell=tell), self.notify)
        # The live library: files added, changed or removed while the app runs (see tui.library_watch).
        self.watch_library = True
        self._watch: LibraryWatch | None = None
        self._watch_timer: Timer | None = None
        self._collector_paused = False  # see push_screen
        self._froze = False  # see keep_out_of_collections
        # Keys as they arrived, with the widget focused then (see on_event); a few suffice.
        self._key_targets: deque[tuple[events.Key, object]] = deque(maxlen=64)

    async def on_event(self, event: events.Event) -> None:
        """Keys typed ahead go where the keys before them sent the focus.

        A burst (a paste, a fast typist) is forwarded at once to the widget focused
        when it arrives; a key among them that moves the focus (`/`, Tab) runs as
        its binding only when it comes back up to the app, after the rest were
        queued for the old widget. A key coming back from a widget that is no
        longer focused is sent again, to the focused one, instead of acting as a
        shortcut there (`a` of "/part" opening the note editor).
        """
        if isinstance(event, events.Key):
            if not event.is_forwarded:
                self._key_targets.append((event, self.focused))
            elif self._sent_on(event):
                return
        await super().on_event(event)

    def _sent_on(self, event: events.Key) -> bool:
        for i, (key, target) in enumerate(self._key_targets):
            if key is event:
                del self._key_targets[i]
                focused = self.focused
                if target is None or focused is None or target is focused or not target.is_attached:
                    return False
                event.stop()
                self.post_message(events.Key(event.key, event.character))
                return True
        return False

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: str = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Every notification shows its text as written: never parsed as markup.

        Messages carry titles, links and paths from files: `[/]` raised a
        MarkupError and `[@click=app.quit]` became a live action. Every
        screen's `notify` comes here; `markup` is accepted and ignored.
        """
        kwargs = {} if timeout is None else {"timeout": timeout}
        super().notify(strip_controls(str(message)), title=one_line(title), severity=severity, markup=False, **kwargs)

    # -- start-up -------------------------------------------------------------------

    def on_mount(self) -> None:
        if self.config.theme:
            if self.config.theme in self.available_themes:
                self.theme = self.config.theme
            else:
                self.notify(f"Unknown theme {self.config.theme!r} in the settings; using {self.theme}.", severity="warning")
        if self.config.keys:
            self.set_keymap(self.config.keys)
            unknown = sorted(set(self.config.keys) - binding_ids())
            if unknown:
                self.notify(
                    f"config.toml [keys]: no action with the id {', '.join(unknown)} (press ? for the ids).",
                    title="Settings",
                    severity="warning",
                    timeout=10,
                )
        for problem in self.config.problems:
            self.notify(problem, title="Settings", severity="warning", timeout=10)
        if self.config.quote_template and (why := check_template(self.config.quote_template)):
            self.notify(f"{why}; quotes use the default template.", title="Settings", severity="warning", timeout=10)
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        # Opened (and any problem told) once the first frame is up: it is not needed to draw it.
        self.call_after_refresh(self.notes_store)

    def on_unmount(self) -> None:
        # What this app did to the collector ends with it (tests start many apps in one process).
        if self._collector_paused:
            gc.enable()
        if self._froze:
            gc.unfreeze()
        if self.store is not None:
            self.store.close()  # safe while a notes-count thread still reads: close takes the store's lock
            self.store = None
        index = self.index
        if index is not None and self.use_index:
            self.index = None
            index.close()

    # -- bookmarks and notes ----------------------------------------------------------

    def notes_store(self, *, tell: bool = False) -> Store | None:
        """The store, opened on first call; None when it cannot be opened (`tell`: say why)."""
        if not self._store_tried:
            self._store_tried = True
            try:
                self.store = Store.open()
            except STORE_FAILURES as exc:
                self.store_error = str(exc)
                self.notify(f"Bookmarks and notes are unavailable: {exc}", title="Notes", severity="error", timeout=15)
            else:
                if self.store.recovered_from:
                    self.notify(self.store.recovered_from, title="Notes", severity="warning", timeout=30)
                self._tell_drafts(self.store)
        elif self.store is None and tell:
            self.notify(f"Bookmarks and notes are unavailable: {self.store_error}", title="Notes", severity="error", timeout=8)
        return self.store

    def _tell_drafts(self, store: Store) -> None:
        """Say that notes written but not saved last time (a crash, a closed terminal) are kept."""
        try:
            kept = store.drafts()
        except STORE_FAILURES:
            return
        if not kept:
            return
        latest = kept[0]
        where = one_line(latest.heading or latest.talk_title)
        count = "A note you had not saved is" if len(kept) == 1 else f"{len(kept)} notes you had not saved are"
        self.notify(
            f"{count} kept ({where}). Open that note again (a on its paragraph, e in the marks list) to finish it.",
            title="Unsaved notes", severity="warning", timeout=20,
        )

    async def action_quit(self) -> None:
        """Quit; a note being written is saved first (an editor that cannot save it stays open, saying why)."""
        from widgets.note_editor_screen import NoteEditor

        editor = next((s for s in reversed(self.screen_stack) if isinstance(s, NoteEditor)), None)
        if editor is None:
            self.exit()
        else:
            editor.save_then(self.exit)

    def on_talk_screen_notes_changed(self, event: TalkScreen.NotesChanged) -> None:
        """One talk's bookmarks or notes changed: its count in the talk list follows."""
        count = self.notes.call(lambda store: len(store.items_for_talk(event.store_key)), None, tell=False)
        if count is FAILED:
            return
        if count:
            self.notes_count[event.talk.id] = count
        else:
            self.notes_count.pop(event.talk.id, None)
        self.list_screen.set_notes_count(self.notes_count)

    @work(thread=True, exclusive=True, group="notes-count")
    def _count_notes(self) -> None:
        """Every talk's count for the list (talk keys hash text: off the UI thread)."""
        store, library = self.store, self.library
        if store is None or library is None:
            return
        try:
            counts = store.counts_for(library.talks)
        except STORE_FAILURES:
            return  # the list shows no counts; the next change tries again
        if not get_current_worker().is_cancelled:
            self.call_from_thread(self._counted, counts)

    def _counted(self, counts: dict[str, int]) -> None:
        self.notes_count = counts
        try:
            self.list_screen.set_notes_count(counts)
        except (NoMatches, StopIteration):
            return  # the app is quitting: its screens are already gone

    def action_show_notes(self) -> None:
        """Every bookmark and note of the library; Enter opens the chosen one's talk at its moment."""
        from widgets.notes_screen import NotesScreen

        if isinstance(self.screen, NotesScreen):
            return
        store = self.notes_store(tell=True)
        if store is None:
            return
        checker = MomentChecker(self.library.talks if self.library is not None else [])
        self.push_screen(NotesScreen(self.notes, checker), partial(self._notes_closed, checker))

    def _notes_closed(self, checker: MomentChecker, item: Item | None) -> None:
        from widgets.talk_screen import TalkScreen

        # Items may have been edited or deleted there: marks and counts follow.
        for screen in self.screen_stack:
            if isinstance(screen, TalkScreen):
                screen.refresh_marks()
        self._count_notes()
        if item is None:
            return
        talk = checker.talk(item.talk_key)
        if talk is None:
            self.notify(f"{one_line(item.talk_title) or 'That talk'} is not in this library.", severity="warning", timeout=6)
            return
        screen = self.screen
        if isinstance(screen, TalkScreen) and screen.talk is talk:
            if item.moment is not None:
                screen.go_to_moment(item.moment)  # the outline follows through CursorMoved
            return
        while isinstance(self.screen, TalkScreen):
            self.pop_screen()
        self.list_screen.select_talk(talk.id)
        self.push_screen(self._talk_screen(talk, moment=item.moment))

    def get_default_screen(self) -> Screen:
        # The list is the first screen itself (not pushed over an empty one): one screen less to paint at start.
        return TalkListScreen()

    @on(TalkListScreen.Ready)
    def _list_screen_mounted(self) -> None:
        self.list_screen_ready()

    def list_screen_ready(self) -> None:
        """The list screen is mounted: fill it now, or scan the library in a thread first."""
        if self.library is not None:
            self._library_ready()
        else:
            self.list_screen.show_reading(self.library_path)
            # Start reading once the screen is up: a thread scanning while the first
            # frame is drawn would hold the interpreter lock and delay it.
            if self.use_index:
                self.call_after_refresh(self._load_index, self.library_path)
            else:
                self.call_after_refresh(self._scan, self.library_path)

    @work(thread=True, exclusive=True, group="scan")
    def _load_index(self, path: Path | None) -> None:
        """Show the library from the index at once, then bring the index up to date and show that."""
        from tui.index import Index
        from tui.library import Library, resolve_library, scan
        from tui.paths import cache_dir

        root = resolve_library(path)
        worker = get_current_worker()
        shown = False
        try:
            index = Index.open(cache_dir(), root=root)
            talks, problems = index.talks(), index.problems()
        except INDEX_FAILURES as exc:
            self.call_from_thread(
                self.notify, f"The library index cannot be used ({exc}): reading every file instead; searching the library is off.",
                title="Index", severity="warning", timeout=10,
            )
            library = scan(root)
            if not worker.is_cancelled:
                self.call_from_thread(self._scanned, library)
            return
        self.call_from_thread(self._index_opened, index)
        if talks or problems:
            shown = True
            self.call_from_thread(self._indexed, Library(root, talks, problems))
        last = 0.0
        list_at = 0.0  # when to list what is stored next (a first run only)

        def progress(done: int, total: int) -> None:
            nonlocal last
            now = time.monotonic()
            if now - last > 0.1 or done == total:  # a few updates a second, not one per file
                last = now
                self.call_from_thread(self._index_progress, done, total)

        def stored(done: int, total: int) -> None:
            # A first run lists the talks as their files are stored; listing costs
            # more as the library grows, so it happens less often then.
            nonlocal list_at
            if shown or worker.is_cancelled or time.monotonic() < list_at:
                return
            began = time.monotonic()
            so_far = index.talks_so_far()
            list_at = time.monotonic() + max(1.0, 4 * (time.monotonic() - began))
            self.call_from_thread(self._indexed_so_far, Library(root, so_far, []))

        self.call_from_thread(self._index_progress, 0, 0)
        try:
            stats = index.refresh(root, progress, stored, cancelled=lambda: worker.is_cancelled)
            if stats.stopped:
                return  # the app is closing
            talks, problems = index.talks(), index.problems()
        except INDEX_FAILURES as exc:
            self.call_from_thread(
                self.notify, f"Could not bring the library index up to date: {exc}", title="Index", severity="error", timeout=10
            )
            if not shown and not worker.is_cancelled:
                library = scan(root)
                self.call_from_thread(self._index_progress, None)
                self.call_from_thread(self._scanned, library)
            return
        if not worker.is_cancelled:
            self.call_from_thread(self._indexed, Library(root, talks, problems), True)

    def _index_opened(self, index: Index) -> None:
        self.index = index

    def _index_progress(self, done: int | None, total: int = 0) -> None:
        self.indexing = None if done is None else (done, total)
        self.list_screen.show_indexing(self.indexing)

    def _indexed_so_far(self, library: Library) -> None:
        """A first run's list of what the index has stored so far (grouped for good at the end)."""
        if self.index_ready:
            return  # the whole library arrived first
        self.library = library
        self.library_path = library.root
        self._so_far = True
        self.list_screen.show_library(library, self.notes_count)

    def _indexed(self, library: Library, refreshed: bool = False) -> None:
        """The index's view of the library: the first one shown, or the refreshed one replacing it."""
        first = self.library is None or self._so_far
        self._so_far = False
        self.library = library
        self.library_path = library.root
        if refreshed:
            self.indexing = None
            self.index_ready = True
            self.list_screen.show_indexing(None)
        if first:
            self._library_ready()
        else:
            self.list_screen.show_library(library, self.notes_count)
            keep_out_of_collections()
            self._froze = True
            if self.notes_store() is not None:
                self._count_notes()

    @work(thread=True, exclusive=True, group="scan")
    def _scan(self, path: Path | None) -> None:
        from tui.library import resolve_library, scan

        root = resolve_library(path)
        worker = get_current_worker()
        last = 0.0

        def progress(count: int, _path: Path) -> None:
            nonlocal last
            now = time.monotonic()
            if now - last > 0.1 and not worker.is_cancelled:  # a few updates a second, not one per file
                last = now
                self.call_from_thread(self.list_screen.show_scan_progress, count)

        library = scan(root, progress=progress)
        if not worker.is_cancelled:
            self.call_from_thread(self._scanned, library)

    def _scanned(self, library: Library) -> None:
        self.library = library
        self.library_path = library.root
        self._library_ready()

    # -- the live library ---------------------------------------------------------------

    def _start_watching(self) -> None:
        if self.watch_library and self._watch_timer is None and self.library is not None:
            self._watch_timer = self.set_timer(0.1, self._look)  # the first look sets what "unchanged" is

    def _look(self) -> None:
        self._watch_timer = None
        self._look_at_library(force=False)

    def action_reload_library(self) -> None:
        """Read the library's added, changed and removed files now (ctrl+r)."""
        if self.library is None:
            self.notify("The library is still being read.", timeout=3)
            return
        if not self.library.root.exists():
            self.notify(f"{one_line(str(self.library.root))} does not exist (any more): nothing to reload.", severity="error", timeout=8)
            return
        self.notify("Reloading the library…", timeout=2)
        self._look_at_library(force=True)

    @work(thread=True, exclusive=True, group="watch")
    def _look_at_library(self, force: bool) -> None:
        """One look at the folder (off the UI thread); on a change, refresh the index or scan again."""
        from tui.library import Library, scan

        library = self.library
        worker = get_current_worker()
        if library is None:
            return
        if self.use_index and not self.index_ready:
            # The start-up refresh is still reading the files: it will show what changed.
            if not worker.is_cancelled:
                self.call_from_thread(self._schedule_look)
            return
        root = library.root
        try:
            if self._watch is None or self._watch.root != root:
                self._watch = LibraryWatch(root)
                changed = force
            else:
                changed = self._watch.changed() or force
            if changed and root.exists():
                index = self.index if self.use_index else None
                if index is not None:
                    index.refresh(root)
                    fresh = Library(root, index.talks(), index.problems())
                else:
                    fresh = scan(root)
                if not worker.is_cancelled:
                    self.call_from_thread(self._library_changed, library, fresh, force)
        except INDEX_FAILURES as exc:
            if force and not worker.is_cancelled:
                self.call_from_thread(self.notify, f"Could not reload the library: {exc}", severity="error", timeout=8)
        finally:
            if not worker.is_cancelled:
                self.call_from_thread(self._schedule_look)

    def _schedule_look(self) -> None:
        if self.watch_library and self._watch_timer is None and self.is_running:
            interval = self._watch.interval if self._watch is not None else 2.0
            self._watch_timer = self.set_timer(interval, self._look)

    def _library_changed(self, old: Library, fresh: Library, asked: bool) -> None:
        before, after = set(talk_ids(old.talks)), set(talk_ids(fresh.talks))
        added, removed = len(after - before), len(before - after)
        self._indexed(fresh, refreshed=True)
        parts = []
        if added:
            parts.append(f"{added} talk{'s' if added != 1 else ''} added")
        if removed:
            parts.append(f"{removed} removed")
        if parts or asked:
            self.notify(f"Library: {', '.join(parts) or 'up to date'}.", timeout=3)

    def _library_ready(self) -> None:
        assert self.library is not None
        self._start_watching()
        self.list_screen.show_library(self.library, self.notes_count)
        keep_out_of_collections()
        self._froze = True
        if self.notes_store() is not None:
            self._count_notes()
        if self.start_talk:
            talk = self.library.find(self.start_talk)
            if talk is None:
                self.notify(f"No talk {self.start_talk!r} in {self.library.root}.", severity="error", timeout=10)
            else:
                self.list_screen.select_talk(talk.id)
                self.open_talk(talk, at=self.start_at)
            self.start_talk = None
        elif self.library.root.is_file() and len(self.library.talks) == 1:
            # `talkshelf talk.vtt`: the one talk is what the person wants to read.
            self.open_talk(self.library.talks[0], at=self.start_at)

    @property
    def list_screen(self) -> TalkListScreen:
        screen = next(s for s in self.screen_stack if isinstance(s, TalkListScreen))
        return screen

    # -- actions ------------------------------------------------------------------------

    @on(TalkListScreen.OpenTalk)
    def _talk_opened(self, event: TalkListScreen.OpenTalk) -> None:
        self.open_talk(event.talk)

    def _talk_screen(
        self, talk: Talk, *, at: float | None = None, moment: Moment | None = None, hit: SearchHit | None = None
    ) -> TalkScreen:
        """The talk screen on `talk`, opened at a time, a bookmark's moment or a search hit."""
        from widgets.talk_screen import TalkScreen

        return TalkScreen(talk, notes=self.notes, config=self.config, at=at, moment=moment, hit=hit)

    def open_talk(self, talk: Talk, at: float | None = None) -> None:
        self.push_screen(self._talk_screen(talk, at=at))

    def push_screen(self, screen, *args, **kwargs):  # noqa: ANN001, ANN201 (Textual's overloads)
        if gc.isenabled() and is_talk_screen(screen):
            # Opening a long talk makes some 50,000 objects, enough to set off a full
            # collection (about as long again as the rest of the opening): it waits
            # until the screen is drawn. The timer is a backstop should it never be.
            gc.disable()
            self._collector_paused = True
            screen.call_after_refresh(lambda: screen.call_after_refresh(self._collect_again))
            self.set_timer(1.0, self._collect_again)
        return super().push_screen(screen, *args, **kwargs)

    def _collect_again(self) -> None:
        if self._collector_paused:
            self._collector_paused = False
            gc.enable()

    def pop_screen(self):  # noqa: ANN201 (Textual's AwaitComplete)
        done = super().pop_screen()
        release_closed_widgets()
        return done

    def action_search_library(self) -> None:
        """Search every talk through the index; the chosen hit opens its talk there."""
        from widgets.library_search_screen import LibrarySearchScreen

        if isinstance(self.screen, LibrarySearchScreen):
            return
        if self.index is None:
            why = "the library is still being opened" if self.use_index and self.library is None else "there is no library index"
            self.notify(f"Searching the library is not available: {why}.", severity="warning", timeout=6)
            return
        if not self.index_ready:
            self.notify("Still indexing the library: searching what is indexed so far.", timeout=5)
        self.push_screen(LibrarySearchScreen(self.index), self._search_chosen)

    def _search_chosen(self, hit: SearchHit | None) -> None:
        if hit is None:
            return
        talk = self.library.find(hit.talk_id) if self.library is not None else None
        if talk is None:
            self.notify(f"{one_line(hit.title) or 'That talk'} is no longer in the list; try again after indexing.", severity="warning", timeout=6)
            return
        while is_talk_screen(self.screen):
            self.pop_screen()
        self.list_screen.select_talk(talk.id)
        self.push_screen(self._talk_screen(talk, hit=hit))

    def action_help(self) -> None:
        from widgets.help_screen import HelpScreen

        if isinstance(self.screen, HelpScreen):
            return
        self.push_screen(HelpScreen(self.screen))

    def action_show_problems(self) -> None:
        from widgets.problems_screen import ProblemsScreen

        if isinstance(self.screen, ProblemsScreen):
            return
        problems = self.library.problems if self.library is not None else []
        self.push_screen(ProblemsScreen(problems))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # On the talk list `q` is typed into the filter: its quit is the list's own ctrl+q.
        if action == "quit" and isinstance(self.screen, TalkListScreen):
            return False
        return True

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("Help: all keys", "Every key binding, with its id for config.toml", self.action_help)
        yield SystemCommand("Problems", "Files the scan could not read, and why", self.action_show_problems)
        yield SystemCommand("Bookmarks and notes", "Every one in the library, filterable; Enter jumps there", self.action_show_notes)
        yield SystemCommand("Search the library", "Every transcript and summary, as you type; Enter opens the moment", self.action_search_library)

    def _remember_theme(self, theme: Theme) -> None:
        if theme.name == self._saved_theme:
            return
        try:
            save_theme(theme.name)
            self._saved_theme = theme.name
        except OSError as exc:
            self.notify(f"Could not remember the theme: {exc}", severity="warning")


def is_talk_screen(screen: object) -> bool:
    """Whether `screen` is a talk screen (without importing it before one was made)."""
    module = sys.modules.get("widgets.talk_screen")
    return module is not None and isinstance(screen, module.TalkScreen)


def keep_out_of_collections() -> None:
    """Leave what exists now (Textual, the screens, the library shown) out of later full collections.

    A full collection walks every tracked object: with a library of 100,000
    talks that is millions of them, and one ran in each talk screen's opening
    (about half of its time, measured by bench_reader). The library lives until
    the next one replaces it; its objects hold no cycles, so reference counting
    still frees them when they go. The app unfreezes when it ends.
    """
    gc.freeze()


def release_closed_widgets() -> None:
    """Let a closed screen's widgets go.

    Textual 8.2 caches `StylesCache.get_inner_outer` with `lru_cache` on the
    method, so its key holds each widget's styles cache, with every line it drew,
    for the next 1024 calls (textual issue #6665): each 3-hour talk screen closed
    kept about 13,000 objects alive, and every later collection walked them.
    """
    from textual._styles_cache import StylesCache

    clear = getattr(StylesCache.get_inner_outer, "cache_clear", None)
    if clear is not None:
        clear()


def binding_ids() -> set[str]:
    """Every binding id a user can remap in config.toml."""
    # Off the start path: the screens are imported when first opened.
    from widgets.find_bar import FindBar
    from widgets.help_screen import HelpScreen
    from widgets.library_search_screen import LibrarySearchScreen
    from widgets.note_editor_screen import NoteEditor
    from widgets.notes_screen import NotesScreen
    from widgets.outline_tree import OutlineTree
    from widgets.problems_screen import ProblemsScreen
    from widgets.summary_view import SummaryView
    from widgets.talk_screen import TalkScreen
    from widgets.transcript_view import TranscriptView

    classes = (
        TalkshelfApp, TalkListScreen, TalkScreen, TalkList, TranscriptView, SummaryView, FindBar, OutlineTree, ProblemsScreen,
        HelpScreen, NotesScreen, NoteEditor, LibrarySearchScreen,
    )
    ids: set[str] = set()
    for cls in classes:
        for klass in cls.__mro__:
            for binding in klass.__dict__.get("BINDINGS", []):
                if isinstance(binding, Binding) and binding.id:
                    ids.add(binding.id)
    return ids


def run_app(path: Path | None, talk: str | None, at: float | None) -> int:
    """Open the app on `path` (None: the configured library, else the sample), maybe at a talk and moment.

    Returns the process exit code: not 0 when the app stopped on an error (a
    failed worker used to end it with 0).
    """
    # The index is read in a worker (resolve_library there picks the configured or sample library).
    app = TalkshelfApp(None, talk_id=talk, at=at, config=load_config(), library_path=path, use_index=True)
    # The index reads files in worker processes; multiprocessing's resource tracker must start
    # while stderr is still the terminal's (Textual replaces it with an object without a descriptor).
    from multiprocessing import resource_tracker

    try:
        resource_tracker.ensure_running()
    except (OSError, ValueError):
        pass  # the index then reads in-process
    app.run()
    return app.return_code or 0
