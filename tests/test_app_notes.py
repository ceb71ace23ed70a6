"""Bookmarks and notes through the real app and its keys: b, a, A, m, the gutter, the list's N column, persistence."""

from __future__ import annotations

from app_talks import library
from notices import Notices

from tui.app import TalkshelfApp
from widgets.talk_list_screen import TalkListScreen
from widgets.talk_screen import TalkScreen
from tui.config import Config
from tui.model import Segment, format_time
from tui.paths import data_dir
from tui.store import STORE_NAME, Store, talk_key
from widgets.note_editor_screen import NoteEditor
from widgets.notes_screen import NotesScreen
from widgets.talk_list import TalkList
from widgets.transcript_view import TranscriptView

SIZE = (120, 40)


def make_app() -> TalkshelfApp:
    return TalkshelfApp(library(), config=Config())


async def open_scaling(pilot) -> TalkScreen:
    """Open "Scaling and Safety" (the second row) and wait for its marks."""
    await pilot.pause()
    await pilot.press("down", "enter")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, TalkScreen) and screen.talk.id == "scaling-and-safety"
    return screen


def gutter_lines(view: TranscriptView) -> list[str]:
    """The pane as drawn: one string per visible row."""
    return ["".join(s.text for s in view.render_line(y)) for y in range(view.size.height)]


def drawn_line_of(view: TranscriptView, index: int) -> str:
    """The drawn first row of paragraph `index` (it must be in view)."""
    time = format_time(view.segments[index].start)
    lines = [line for line in gutter_lines(view) if line[1:].lstrip().startswith(time)]
    assert lines, f"paragraph at {time} is not drawn"
    return lines[0]


def stored_items() -> list:
    with Store.open() as store:
        return store.all_items()


def list_row(app: TalkshelfApp, talk_id: str) -> str:
    talks = app.list_screen.query_one(TalkList)
    row = next(i for i, t in enumerate(talks.rows) if talks.talks[t].id == talk_id)
    return "".join(s.text for s in talks.render_line(row))


async def settle(app: TalkshelfApp, pilot) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()


async def test_b_toggles_a_bookmark_drawn_in_the_gutter():
    app = make_app()
    notices = Notices()
    async with app.run_test(size=SIZE, message_hook=notices) as pilot:
        screen = await open_scaling(pilot)
        view = screen.view
        await pilot.press("j", "j", "j")
        assert view.cursor == 3
        assert drawn_line_of(view, 3).startswith(" ")
        await pilot.press("b")
        await pilot.pause()
        assert drawn_line_of(view, 3).startswith("★")
        assert "Bookmarked 00:01:30" in notices.messages
        items = stored_items()
        assert [(i.kind, i.seconds) for i in items] == [("bookmark", 90.0)]
        await pilot.press("escape")  # back to the list: its N column counts the bookmark
        await settle(app, pilot)
        assert "N1" in list_row(app, "scaling-and-safety")
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, TalkScreen)
        screen.view.jump_to_segment(3)
        await pilot.pause()
        assert drawn_line_of(screen.view, 3).startswith("★")  # marks are drawn when a talk opens
        await pilot.press("b")
        await pilot.pause()
        assert drawn_line_of(screen.view, 3).startswith(" ")
        assert "Bookmark removed" in notices.messages
        assert stored_items() == []
        await pilot.press("escape")
        await settle(app, pilot)
        assert "N1" not in list_row(app, "scaling-and-safety")


async def test_a_writes_a_note_on_the_paragraph_and_edits_it_next_time():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_scaling(pilot)
        await pilot.press("j", "j", "a")
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, NoteEditor) and editor.quote.startswith("Part 2 of the talk")
        await pilot.press(*"worth a re-read", "f2")
        await pilot.pause()
        assert app.screen is screen
        [item] = stored_items()
        assert (item.kind, item.seconds, item.note) == ("note", 60.0, "worth a re-read")
        assert item.quote.startswith("Part 2 of the talk")
        assert drawn_line_of(screen.view, 2).startswith("✎")
        # `a` again on the same paragraph opens its note, and saving changes it (no second note).
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor) and app.screen.text == "worth a re-read"
        await pilot.press(*" twice", "f2")
        await pilot.pause()
        [item] = stored_items()
        assert item.note == "worth a re-read twice"


async def test_a_on_a_selection_quotes_the_selected_paragraphs():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_scaling(pilot)
        await pilot.press("j", "v", "shift+down", "a")
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor)
        await pilot.press(*"two paragraphs", "f2")
        await pilot.pause()
        [item] = stored_items()
        assert item.seconds == 30.0
        assert "Part 1 of the talk" in item.quote and "Part 2 of the talk" in item.quote
        assert drawn_line_of(screen.view, 1).startswith("✎")


async def test_shift_a_writes_a_note_on_the_whole_talk():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_scaling(pilot)
        await pilot.press("A")
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor)
        await pilot.press(*"the whole talk is good", "f2")
        await pilot.pause()
        [item] = stored_items()
        assert item.moment is None and item.note == "the whole talk is good"
        assert item.talk_key == talk_key(library().find("scaling-and-safety"))
        header = app.screen.query_one("#talk-header").render()
        assert str(header).startswith("✎ Scaling and Safety")  # no paragraph to mark: the header shows it
        # `A` again edits that note rather than adding another.
        await pilot.press("A")
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor) and app.screen.text == "the whole talk is good"
        await pilot.press(*", really", "f2")
        await pilot.pause()
        assert [i.note for i in stored_items()] == ["the whole talk is good, really"]


async def test_notes_view_lists_jumps_deletes_and_undoes():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_scaling(pilot)
        await pilot.press(*"j" * 40, "b")  # paragraph 40, at 00:20:00
        await pilot.press("g", *"j" * 90, "a")  # paragraph 90, at 00:45:00
        await pilot.pause()
        await pilot.press(*"pricing note", "f2")
        await pilot.pause()
        await pilot.press("escape")  # back to the list: `'` works there (letters filter the list)
        await pilot.pause()
        assert isinstance(app.screen, TalkListScreen)
        await pilot.press("apostrophe")
        await pilot.pause()
        notes = app.screen
        assert isinstance(notes, NotesScreen)
        await settle(app, pilot)
        assert [(i.kind, i.seconds) for i in notes.shown] == [("bookmark", 1200.0), ("note", 2700.0)]
        # Delete the bookmark, then undo: it is back under the same id.
        await pilot.press("down")  # from the filter into the list
        first = notes.shown[0].id
        await pilot.press("d")
        await pilot.pause()
        assert [i.kind for i in stored_items()] == ["note"]
        await pilot.press("u")
        await pilot.pause()
        assert [i.id for i in notes.shown][0] == first and len(stored_items()) == 2
        # Enter on the note opens its talk at its moment.
        notes.query_one("#notes-list").highlighted = 2  # options: item, divider, item
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, TalkScreen) and screen.talk.id == "scaling-and-safety"
        assert screen.view.cursor == 90
        assert drawn_line_of(screen.view, 90).startswith("✎")
        # From the talk screen, `m` then Enter on the bookmark moves within the same talk.
        await pilot.press("m")
        await pilot.pause()
        await settle(app, pilot)
        await pilot.press("enter")  # the filter is focused: Enter takes the highlighted (first) item
        await pilot.pause()
        assert app.screen is screen and screen.view.cursor == 40
        assert drawn_line_of(screen.view, 40).startswith("★")


async def test_notes_survive_a_restart_of_the_app():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_scaling(pilot)
        await pilot.press("j", "b", "j", "a")
        await pilot.pause()
        await pilot.press(*"kept", "f2")
        await pilot.pause()
        await pilot.press("q")
    assert app.store is None  # closed on exit

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert "N2" in list_row(app, "scaling-and-safety")
        screen = await open_scaling(pilot)
        assert screen.view.cursor == 2  # reopened where it was left
        await pilot.press("g")
        assert drawn_line_of(screen.view, 1).startswith("★")
        assert drawn_line_of(screen.view, 2).startswith("✎")
        await pilot.press("m")
        await settle(app, pilot)
        notes = app.screen
        assert isinstance(notes, NotesScreen)
        assert [(i.kind, i.seconds, i.note) for i in notes.shown] == [("bookmark", 30.0, ""), ("note", 60.0, "kept")]


async def test_a_moment_gone_from_the_talk_is_listed_and_says_so():
    lib = library()
    talk = lib.find("scaling-and-safety")
    with Store.open() as store:
        gone = Segment(start=5000.0, end=5010.0, text="Words that are not in this talk anymore at all.")
        store.add_note(talk, [gone], "lost moment")
    app = TalkshelfApp(lib, config=Config())
    notices = Notices()
    async with app.run_test(size=SIZE, message_hook=notices) as pilot:
        await pilot.pause()
        await pilot.press("apostrophe")
        await settle(app, pilot)
        notes = app.screen
        assert isinstance(notes, NotesScreen)
        assert notes.problems == {notes.shown[0].id: "moment not found"}
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, TalkScreen)
        assert any("no longer in this talk" in m for m in notices.messages)


async def test_a_corrupt_store_is_moved_aside_and_the_user_told():
    path = data_dir() / STORE_NAME
    path.write_bytes(b"this is not a database, just some bytes " * 200)
    app = make_app()
    notices = Notices()
    async with app.run_test(size=SIZE, message_hook=notices) as pilot:
        screen = await open_scaling(pilot)
        assert any("moved aside" in m for m in notices.messages)
        warned = [n for n in notices.shown if "moved aside" in n.message]
        assert warned[0].severity == "warning" and warned[0].timeout >= 15
        await pilot.press("b")  # the new store works
        await pilot.pause()
        assert drawn_line_of(screen.view, 0).startswith("★")
    [aside] = [p for p in data_dir().iterdir() if ".broken-" in p.name and not p.name.endswith(("-wal", "-shm"))]
    assert aside.read_bytes().startswith(b"this is not a database")
    assert len(stored_items()) == 1


async def test_an_unusable_store_leaves_the_app_running_and_says_why(monkeypatch, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("TALKSHELF_DATA_DIR", str(blocker / "data"))  # its parent is a file: cannot be created
    app = make_app()
    notices = Notices()
    async with app.run_test(size=SIZE, message_hook=notices) as pilot:
        screen = await open_scaling(pilot)
        await pilot.press("b")
        await pilot.pause()
        assert app.screen is screen
        assert sum("Bookmarks and notes are unavailable" in m for m in notices.messages) >= 2
        await pilot.press("m")
        await pilot.pause()
        assert app.screen is screen


async def test_a_store_locked_by_another_process_is_told_not_a_crash(monkeypatch):
    import sqlite3

    import tui.store

    monkeypatch.setattr(tui.store, "BUSY_TIMEOUT_MS", 50)
    monkeypatch.setattr(tui.store, "WRITE_ATTEMPTS", 1)
    app = make_app()
    notices = Notices()
    async with app.run_test(size=SIZE, message_hook=notices) as pilot:
        screen = await open_scaling(pilot)
        other = sqlite3.connect(str(data_dir() / STORE_NAME), isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # another copy of the app holds the write lock
        try:
            await pilot.press("b")
            await pilot.pause()
            assert app.screen is screen and any("Could not save the bookmark" in m for m in notices.messages)
            assert drawn_line_of(screen.view, 0).startswith(" ")
        finally:
            other.execute("ROLLBACK")
            other.close()
        await pilot.press("b")  # the lock is gone: it saves
        await pilot.pause()
        assert drawn_line_of(screen.view, 0).startswith("★")


async def test_a_bookmark_follows_an_edited_file_without_a_video_id(tmp_path):
    """A transcript pasted into a note file: the user adds a line at its top
    (the talk's content key changes); after a restart the bookmark is still
    counted in the list and drawn in the gutter."""
    lib = tmp_path / "lib"
    lib.mkdir()
    cues = [f"{k + 1}\n00:00:{k * 10:02d},000 --> 00:00:{k * 10 + 9:02d},000\nCue number {k} says {w} things.\n"
            for k, w in enumerate("storage logs pages readers writers checkpoints".split())]
    path = lib / "my notes.srt"
    path.write_text("\n".join(cues), encoding="utf-8")

    async def open_only_talk(pilot) -> TalkScreen:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, TalkScreen)
        return screen

    app = TalkshelfApp(None, config=Config(), library_path=lib)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_only_talk(pilot)
        last = len(screen.view.segments) - 1
        screen.view.jump_to_segment(last)
        await pilot.press("b")
        await pilot.pause()
        assert drawn_line_of(screen.view, last).startswith("★")
        await pilot.press("q")
    old_key = stored_items()[0].talk_key

    path.write_text("1\n00:00:00,000 --> 00:00:01,000\nMy own line, added on top.\n\n" + path.read_text(encoding="utf-8"),
                    encoding="utf-8")
    app = TalkshelfApp(None, config=Config(), library_path=lib)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        talk = app.library.talks[0]
        assert talk_key(talk) != old_key
        assert "N1" in list_row(app, talk.id)
        screen = await open_only_talk(pilot)
        await settle(app, pilot)
        last = len(screen.view.segments) - 1
        screen.view.jump_to_segment(last)
        await pilot.pause()
        assert drawn_line_of(screen.view, last).startswith("★")
        await pilot.press("q")
    assert [i.talk_key for i in stored_items()] == [talk_key(talk)]


def stored_drafts() -> list:
    with Store.open() as store:
        return store.drafts()


async def test_a_note_being_written_is_kept_and_comes_back_after_the_app_is_gone():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_scaling(pilot)
        await pilot.press("j", "a")
        await pilot.pause()
        await pilot.press(*"half a thought")
        await pilot.pause(0.8)  # past DRAFT_DELAY: kept as it would be when the terminal closes
        [draft] = stored_drafts()
        assert draft.text == "half a thought" and draft.heading.startswith("Note at 00:00:30")
    assert stored_items() == []  # nothing saved: the app went away with the editor open

    notices = Notices()
    app = make_app()
    async with app.run_test(size=SIZE, message_hook=notices) as pilot:
        await settle(app, pilot)
        assert any(m.startswith("A note you had not saved is kept (Note at 00:00:30") for m in notices.messages)
        screen = await open_scaling(pilot)
        # The talk opens on the draft's paragraph, saying so.
        assert screen.view.cursor == 1
        assert "Your unsaved note at 00:00:30 is kept. The cursor is on its paragraph: a finishes it." in notices.messages
        await pilot.press("a")
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, NoteEditor) and editor.restored and editor.text == "half a thought"
        await pilot.press(*", now whole", "f2")
        await pilot.pause()
        [item] = stored_items()
        assert (item.seconds, item.note) == (30.0, "half a thought, now whole")
        assert stored_drafts() == []  # saved: the draft is gone


async def test_quitting_while_writing_a_note_saves_it():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_scaling(pilot)
        await pilot.press("j", "j", "a")
        await pilot.pause()
        await pilot.press(*"typed, then ctrl+q", "ctrl+q")  # one burst: the quit waits for the typing
        await pilot.pause()
    [item] = stored_items()
    assert (item.seconds, item.note) == (60.0, "typed, then ctrl+q")
    assert stored_drafts() == []


async def test_a_discarded_note_leaves_no_draft():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_scaling(pilot)
        await pilot.press("a")
        await pilot.pause()
        await pilot.press(*"not this")
        await pilot.pause(0.8)
        assert [d.text for d in stored_drafts()] == ["not this"]
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert stored_drafts() == [] and stored_items() == []


async def test_the_place_in_a_talk_is_written_as_the_cursor_moves():
    from tui.config import load_positions

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_scaling(pilot)
        await pilot.pause(2.1)  # POSITION_SAVE_EVERY after opening
        await pilot.press("j", "j")
        await pilot.pause()
        # Still in the talk: a crash now keeps the place.
        assert load_positions()[screen.store_key].paragraph == 1  # the first move is written, the next within 2 s waits
        await pilot.pause(2.1)
        await pilot.press("j")
        await pilot.pause()
        assert load_positions()[screen.store_key].paragraph == 3


async def test_the_note_editor_keeps_rows_to_type_in_on_a_short_terminal():
    app = make_app()
    async with app.run_test(size=(40, 15)) as pilot:
        await open_scaling(pilot)
        await pilot.press("a")
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, NoteEditor)
        from textual.widgets import Button, TextArea

        assert editor.query_one(TextArea).size.height >= 3
        assert all(b.region.height > 0 and b.region.bottom <= 15 for b in editor.query(Button))
        await pilot.press(*"short", "f2")
        await pilot.pause()
        assert [i.note for i in stored_items()] == ["short"]


async def test_unsaved_edits_of_a_saved_note_and_of_a_talk_note_are_offered_back():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_scaling(pilot)
        await pilot.press("j", "j", "a", *"first", "f2")
        await pilot.pause()
        await pilot.press("a", *", then more")  # an edit of the saved note, never saved
        await pilot.pause(0.8)
    notices = Notices()
    app = make_app()
    async with app.run_test(size=SIZE, message_hook=notices) as pilot:
        await settle(app, pilot)
        screen = await open_scaling(pilot)
        assert screen.view.cursor == 2  # on the edited note's paragraph
        assert "Your unsaved note at 00:01:00 is kept. The cursor is on its paragraph: a finishes it." in notices.messages
        await pilot.press("a")
        await pilot.pause()
        assert app.screen.restored and app.screen.text == "first, then more"
        await pilot.press("f2")
        await pilot.pause()
        await pilot.press("A", *"the whole talk")  # a new note on the talk, never saved
        await pilot.pause(0.8)
    [item] = stored_items()
    assert item.note == "first, then more"
    notices = Notices()
    app = make_app()
    async with app.run_test(size=SIZE, message_hook=notices) as pilot:
        await settle(app, pilot)
        await open_scaling(pilot)
        assert "Your unsaved note on the whole talk is kept: A finishes it." in notices.messages
        await pilot.press("A")
        await pilot.pause()
        assert app.screen.restored and app.screen.text == "the whole talk"
