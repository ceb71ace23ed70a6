"""Pilot tests of the note editor and the notes view, each in a tiny host app."""

from __future__ import annotations

from textual.app import App
from textual.screen import Screen
from textual.widgets import Button, Input, OptionList, TextArea

from tui.model import Document, Role, Segment, Talk
from tui.store import Item, Store, moment_status, talk_key
from widgets.note_editor_screen import ConfirmDiscard, NoteEditor
from widgets.notes_screen import NotesScreen, item_prompt
from widgets.store_access import StoreAccess


class Host(App):
    """Pushes one screen and records what it dismissed with."""

    def __init__(self, screen: Screen) -> None:
        super().__init__()
        self.screen_under_test = screen
        self.results: list[object] = []

    def on_mount(self) -> None:
        self.push_screen(self.screen_under_test, self.results.append)


OPENINGS = [
    "Welcome everyone and thanks for coming today",
    "Our first topic is memory layout in practice",
    "Benchmarks lie unless you measure the floor too",
    "Ownership rules make aliasing bugs impossible here",
    "Questions from the audience came next that evening",
    "Finally we wrap up with a short demonstration",
]


def make_talk(video_id: str, title: str, n: int = 6) -> tuple[Talk, list[Segment]]:
    segs = [Segment(i * 40.0, i * 40.0 + 40, f"{OPENINGS[i]}, in {title}.") for i in range(n)]
    doc = Document(path="/x", role=Role.TRANSCRIPT, format="srt", video_id=video_id, segments=segs)
    return Talk(id=video_id, title=title, video_id=video_id, documents=[doc]), segs


# --- NoteEditor -------------------------------------------------------------


async def test_note_editor_type_and_save_with_f2():
    app = Host(NoteEditor(heading="Note at 00:01:20", quote="the [bold]quoted[/bold] words"))
    async with app.run_test() as pilot:
        await pilot.pause()
        assert isinstance(app.focused, TextArea)
        await pilot.press(*"first line", "enter", *"- item")
        await pilot.press("f2")
        await pilot.pause()
    assert app.results == ["first line\n- item"]


async def test_note_editor_save_button_and_ctrl_s_and_edit_existing():
    app = Host(NoteEditor("old text"))
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press(*" and more")
        await pilot.click("#save")
        await pilot.pause()
    assert app.results == ["old text and more"]

    app = Host(NoteEditor())
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press(*"quick")
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert app.results == ["quick"]


async def test_note_editor_refuses_an_empty_note():
    app = Host(NoteEditor())
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("space", "f2")
        await pilot.pause()
        assert app.results == [] and isinstance(app.screen, NoteEditor)


async def test_note_editor_escape_asks_before_dropping_text():
    app = Host(NoteEditor())
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press(*"unsaved", "escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDiscard)
        await pilot.press("n")  # keep editing: the text is still there
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor) and app.screen.text == "unsaved"
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
    assert app.results == [None]


async def test_note_editor_escape_without_changes_cancels_at_once():
    app = Host(NoteEditor("kept as it was"))
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
    assert app.results == [None]


async def test_note_editor_shows_file_text_literally():
    editor = NoteEditor(heading="[red]Title[/red]", quote="[bold]not bold[/bold] \x1b[31m")
    app = Host(editor)
    async with app.run_test() as pilot:
        await pilot.pause()
        heading = str(app.screen.query_one("#note-heading").render())
        quote = str(app.screen.query_one("#note-quote").render())
        assert "[red]Title[/red]" in heading
        assert "[bold]not bold[/bold]" in quote and "\x1b" not in quote
        assert str(app.screen.query_one("#save", Button).label) == "Save (F2)"


# --- NotesScreen --------------------------------------------------------------


def access(store: Store, told: list[str] | None = None) -> StoreAccess:
    """`store` as the app hands it to its screens; what a failure tells goes to `told`."""
    return StoreAccess(lambda tell: store, lambda message, **_: told.append(message) if told is not None else None)


def fill(store: Store) -> dict[str, Item]:
    rust, rs = make_talk("rustrustrus", "Rust at Scale")
    py, ps = make_talk("pythonpytho", "Python Typing")
    store.toggle_bookmark(rust, rs[1], rs)
    return {
        "rust": store.add_note(rust, [rs[3]], "borrow checker insight"),
        "py": store.add_note(py, [ps[2]], "protocols beat ABCs"),
        "whole": store.add_note(py, None, "a note on the whole talk"),
    }


async def test_notes_view_filter_and_enter_returns_the_item():
    with Store.open() as store:
        items = fill(store)
        view = NotesScreen(access(store))
        app = Host(view)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            option_list = view.query_one(OptionList)
            assert option_list.option_count == 4
            await pilot.press(*"protocols")
            await pilot.pause()
            assert [i.id for i in view.shown] == [items["py"].id]
            assert option_list.option_count == 1
            await pilot.press("enter")
            await pilot.pause()
        assert app.results == [items["py"]]


async def test_notes_view_list_keys_and_escape():
    with Store.open() as store:
        items = fill(store)
        view = NotesScreen(access(store))
        app = Host(view)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            await pilot.press(*"rust")
            await pilot.pause()
            assert {i.talk_title for i in view.shown} == {"Rust at Scale"}
            await pilot.press("down", "down", "enter")  # into the list, then the second item
            await pilot.pause()
        assert app.results == [items["rust"]]

        view = NotesScreen(access(store))
        app = Host(view)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            await pilot.press("x", "escape")  # first Esc clears the filter, the second leaves
            await pilot.pause()
            assert view.query_one(Input).value == "" and len(view.shown) == 4
            await pilot.press("escape")
            await pilot.pause()
        assert app.results == [None]


async def test_notes_view_delete_and_undo():
    with Store.open() as store:
        items = fill(store)
        view = NotesScreen(access(store))
        app = Host(view)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            await pilot.press(*"borrow", "down")
            await pilot.pause()
            assert view.current == items["rust"]
            await pilot.press("d")
            await pilot.pause()
            assert store.get(items["rust"].id) is None and view.shown == []
            await pilot.press("u")
            await pilot.pause()
            assert store.get(items["rust"].id) == items["rust"]  # same id, same everything
            assert [i.id for i in view.shown] == [items["rust"].id]
            await pilot.press("u")  # nothing left to undo: nothing happens
            await pilot.pause()
            assert store.count() == 4


async def test_notes_view_edit_through_the_editor():
    with Store.open() as store:
        items = fill(store)
        view = NotesScreen(access(store))
        app = Host(view)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            await pilot.press(*"protocols", "down", "e")
            await pilot.pause()
            assert isinstance(app.screen, NoteEditor)
            await pilot.press(*" and generics", "f2")
            await pilot.pause()
            assert app.screen is view
            assert store.get(items["py"].id).note == "protocols beat ABCs and generics"
            assert "and generics" in str(view.query_one(OptionList).get_option_at_index(0).prompt)


async def test_notes_view_says_when_a_moment_is_not_found():
    with Store.open() as store:
        items = fill(store)
        rust, _ = make_talk("rustrustrus", "Rust at Scale")
        # The library now holds a much shorter rust transcript and no python talk.
        short = rust.transcript.segments[:2]
        library = {talk_key(rust): short}

        def check(item: Item) -> str | None:
            return moment_status(item, library.get(item.talk_key))

        view = NotesScreen(access(store), check)
        app = Host(view)
        async with app.run_test(size=(120, 30)) as pilot:
            for _ in range(20):
                await pilot.pause(0.05)
                if len(view.problems) == 4:
                    break
            assert view.problems[items["rust"].id] == "moment not found"
            assert view.problems[items["py"].id] == "talk not in library"
            bookmark = next(i for i in view.items if i.is_bookmark)
            assert view.problems[bookmark.id] is None
            shown = {i.id: str(view.query_one(OptionList).get_option_at_index(n).prompt) for n, i in enumerate(view.shown)}
            assert "[moment not found]" in shown[items["rust"].id]
            assert "not found" not in shown[bookmark.id]


def test_item_prompt_keeps_markup_literal():
    with Store.open() as store:
        talk, segs = make_talk("markupmarku", "[b]Bold[/b] title")
        item = store.add_note(talk, [segs[0]], "[link=http://x]click[/link]")
        text = item_prompt(item)
        assert "[b]Bold[/b] title" in text.plain and "[link=http://x]click[/link]" in text.plain
        assert not any(span.style and "link" in str(span.style) for span in text.spans)


async def test_notes_view_tells_a_store_it_cannot_write_and_keeps_the_list(monkeypatch):
    import sqlite3

    import tui.store
    from tui.paths import data_dir

    monkeypatch.setattr(tui.store, "BUSY_TIMEOUT_MS", 50)
    monkeypatch.setattr(tui.store, "WRITE_ATTEMPTS", 1)
    with Store.open() as store:
        items = fill(store)
        told: list[str] = []
        view = NotesScreen(access(store, told))
        app = Host(view)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            await pilot.press(*"borrow", "down")
            await pilot.pause()
            other = sqlite3.connect(str(data_dir() / tui.store.STORE_NAME), isolation_level=None)
            other.execute("BEGIN IMMEDIATE")  # another copy of talkshelf holds the write lock
            try:
                await pilot.press("d")
                await pilot.pause()
                assert app.screen is view and any(m.startswith("Could not delete it: ") for m in told)
                assert store.get(items["rust"].id) == items["rust"] and view.current == items["rust"]
                await pilot.press("u")  # nothing was deleted: nothing to undo
                await pilot.pause()
            finally:
                other.execute("ROLLBACK")
                other.close()
            await pilot.press("d")  # the lock is gone: it deletes
            await pilot.pause()
            assert store.get(items["rust"].id) is None
