"""The app with hostile files and a failing store (issue 8, items 3, 5, 7, 9, 11, 13)."""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from textual.widgets import TextArea

from app_talks import until_library
from tui import store as store_module
from tui.app import TalkshelfApp
from tui.config import Config
from tui.library import scan
from tui.store import Store
from widgets.note_editor_screen import NoteEditor
from widgets.notes_screen import NotesScreen
from widgets.problems_screen import ProblemsScreen
from widgets.talk_screen import TalkScreen
from notices import Notices

SIZE = (120, 40)


def dump(title: str, url: str, words: str = "some words spoken here") -> str:
    return f"Timestamp: 2024-01-01\nTitle: {title}\nURL: {url}\nStatus: ok\nDuration: 0:10\nContent:\n{words}. {words}.\n"


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    lib = tmp_path / "lib"
    lib.mkdir()
    (lib / "markup.txt").write_text(dump("Evil [/] talk [bold]x", "https://example.com/x[/]"))
    (lib / "click.txt").write_text(dump("Click [@click=app.quit]me[/]", "https://example.com/[@click=app.quit]go[/]"))
    (lib / "file.txt").write_text(dump("File link", "file:///etc/passwd"))
    (lib / "js.txt").write_text(dump("Script link", "javascript:alert(1)"))
    return lib


async def open_talk(pilot, app: TalkshelfApp, title_part: str) -> TalkScreen:
    talk = next(t for t in app.library.talks if title_part in t.title)
    app.open_talk(talk)
    await pilot.pause()
    assert isinstance(app.screen, TalkScreen) and app.screen.talk is talk
    return app.screen


# --- items 9 and 11: nothing in a file acts ----------------------------------------------


@pytest.mark.parametrize("title, expect_open", [("Evil", True), ("Click", True), ("File link", False), ("Script link", False)])
async def test_o_opens_only_web_links_and_no_text_is_markup(hostile, monkeypatch, title, expect_open):
    opened: list[str] = []
    monkeypatch.setattr("webbrowser.open", lambda url: opened.append(url) or True)
    app = TalkshelfApp(scan(hostile), config=Config())
    notices = Notices()
    async with app.run_test(size=SIZE, message_hook=notices) as pilot:
        await pilot.pause()
        screen = await open_talk(pilot, app, title)
        await pilot.press("o")
        await pilot.pause()
        assert app.is_running and app.screen is screen
        talk_url = screen.talk.url
        if expect_open:
            assert opened and opened[0].startswith(talk_url)
            assert any(talk_url in m for m in notices.messages)  # told as text: `[/]` and `[@click=...]` shown
        else:
            assert opened == []
            assert any("not opened" in m and talk_url in m for m in notices.messages)
        assert all(n.markup is False for n in notices.shown)


async def test_marks_view_shows_a_markup_title_and_notifications_never_parse_markup(hostile):
    app = TalkshelfApp(scan(hostile), config=Config())
    notices = Notices()
    async with app.run_test(size=SIZE, message_hook=notices) as pilot:
        await pilot.pause()
        screen = await open_talk(pilot, app, "Evil")
        await pilot.press("b")
        await pilot.pause()
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, NotesScreen)
        app.notify("A [/] stray [@click=app.quit]tag[/]")
        await pilot.pause()
        assert app.is_running
        assert "A [/] stray [@click=app.quit]tag[/]" in notices.messages


OSC52 = "\x1b]52;c;UFdORUQ=\x07"
OSC8 = "\x1b]8;;https://evil.example/\x1b\\click me\x1b]8;;\x1b\\"
ESCAPES = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@pytest.mark.parametrize("clipboard", ["system", "terminal"])
async def test_a_quote_of_a_hostile_transcript_holds_no_escape_and_its_markup_as_written(tmp_path, monkeypatch, clipboard):
    import pyperclip

    lib = tmp_path / "lib"
    lib.mkdir()
    words = f"Escapes {OSC52} here, {OSC8} and \x1b[31mred \u202eevil. Then [bold]not bold[/bold] [link=https://evil.example]x[/link]"
    (lib / f"Title {OSC52}[red]X [@click=app.quit]Y.srt").write_text(f"1\n00:00:01,000 --> 00:00:04,000\n{words}\n")
    copied: list[str] = []
    if clipboard == "system":
        monkeypatch.setattr(pyperclip, "copy", copied.append)
    else:
        def no_clipboard(text: str) -> None:
            raise pyperclip.PyperclipException("Pyperclip could not find a copy/paste mechanism for your system.")

        monkeypatch.setattr(pyperclip, "copy", no_clipboard)
    app = TalkshelfApp(scan(lib), config=Config())
    if clipboard == "terminal":
        monkeypatch.setattr(app, "copy_to_clipboard", copied.append)  # what goes out as OSC 52
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await open_talk(pilot, app, "Title")
        await pilot.press("y")
        await pilot.pause()
        assert app.is_running
    assert len(copied) == 1
    quote = copied[0]
    assert not ESCAPES.findall(quote), ESCAPES.findall(quote)
    assert "Escapes here, click me and red evil." in quote and "Title [red]X" in quote, quote


# --- item 5: a failing save keeps the typed note ---------------------------------------------


def _hold_write_lock() -> sqlite3.Connection:
    from tui import paths

    other = sqlite3.connect(paths.data_dir() / "store.sqlite3", isolation_level=None, timeout=0.1)
    other.execute("BEGIN IMMEDIATE")
    return other


async def test_a_note_that_cannot_be_saved_stays_in_the_editor_with_the_reason(hostile, monkeypatch):
    monkeypatch.setattr(store_module, "WRITE_ATTEMPTS", 1)
    monkeypatch.setattr(store_module, "BUSY_TIMEOUT_MS", 50)  # a held lock fails a write quickly
    app = TalkshelfApp(scan(hostile), config=Config())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await open_talk(pilot, app, "Evil")
        assert app.notes.store() is not None
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor)
        app.screen.query_one(TextArea).insert("my precious words")
        holder = _hold_write_lock()  # another copy of talkshelf holds the lock past the retries
        try:
            await pilot.press("f2")
            await pilot.pause()
            editor = app.screen
            assert isinstance(editor, NoteEditor), "the editor closed and the text is gone"
            assert "my precious words" in editor.text
            assert editor.problem and "locked" in editor.problem
            assert "Not saved" in str(editor.query_one("#note-error").render())
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        await pilot.press("f2")  # the lock is free again: this time it is stored
        await pilot.pause()
        assert isinstance(app.screen, TalkScreen)
    with Store.open() as s:
        assert [i.note for i in s.all_items()] == ["my precious words"]


def _disk_full(conn) -> None:
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {pages}")  # SQLite's own `database or disk is full`


def _read_only(conn) -> None:
    conn.execute("PRAGMA query_only = 1")  # SQLite's own `attempt to write a readonly database`


def _writable(conn) -> None:
    conn.execute("PRAGMA max_page_count = 1073741823")
    conn.execute("PRAGMA query_only = 0")


@pytest.mark.parametrize("failure, reason", [(_disk_full, "full"), (_read_only, "readonly")], ids=["disk full", "read-only"])
async def test_a_note_that_meets_a_full_disk_or_a_read_only_store_stays_in_the_editor(hostile, failure, reason):
    words = "precious words " * 3000  # more than the pages the store has room for
    app = TalkshelfApp(scan(hostile), config=Config())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await open_talk(pilot, app, "Evil")
        conn = app.notes.store()._conn
        await pilot.press("a")
        await pilot.pause()
        app.screen.query_one(TextArea).insert(words)
        failure(conn)
        await pilot.press("f2")
        await pilot.pause()
        editor = app.screen
        assert app.is_running and isinstance(editor, NoteEditor), "the editor closed and the text is gone"
        assert editor.text.strip() == words.strip() and editor.problem and reason in editor.problem, editor.problem
        _writable(conn)
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, TalkScreen)
    with Store.open() as s:
        assert [i.note.strip() for i in s.all_items()] == [words.strip()]


# --- item 7: marks view store errors are notices --------------------------------------------------


async def test_marks_view_delete_edit_and_undo_under_a_held_lock_give_notices(hostile, monkeypatch):
    monkeypatch.setattr(store_module, "WRITE_ATTEMPTS", 1)
    monkeypatch.setattr(store_module, "BUSY_TIMEOUT_MS", 50)  # a held lock fails a write quickly
    app = TalkshelfApp(scan(hostile), config=Config())
    notices = Notices()
    async with app.run_test(size=SIZE, message_hook=notices) as pilot:
        await pilot.pause()
        await open_talk(pilot, app, "Evil")
        await pilot.press("b")
        await pilot.pause()
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, NotesScreen)
        await pilot.press("down")
        holder = _hold_write_lock()
        try:
            await pilot.press("d")
            await pilot.pause()
            assert app.is_running and isinstance(app.screen, NotesScreen)
            assert any("Could not delete" in m for m in notices.messages)
        finally:
            holder.execute("ROLLBACK")
        await pilot.press("d")
        await pilot.pause()
        holder.execute("BEGIN IMMEDIATE")
        try:
            await pilot.press("u")
            await pilot.pause()
            assert app.is_running and any("Could not undo" in m for m in notices.messages)
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        await pilot.press("u")
        await pilot.pause()
        assert "Restored." in notices.messages
    with Store.open() as s:
        assert s.count() == 1  # the bookmark survived the failed delete, the delete and the undo


async def test_marks_view_edit_under_a_held_lock_keeps_the_editor_and_the_text(hostile, monkeypatch):
    monkeypatch.setattr(store_module, "WRITE_ATTEMPTS", 1)
    monkeypatch.setattr(store_module, "BUSY_TIMEOUT_MS", 50)  # a held lock fails a write quickly
    app = TalkshelfApp(scan(hostile), config=Config())
    notices = Notices()
    async with app.run_test(size=SIZE, message_hook=notices) as pilot:
        await pilot.pause()
        screen = await open_talk(pilot, app, "Evil")
        store = app.notes.store()
        store.add_note(screen.talk, None, "first words")
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, NotesScreen)
        await pilot.press("down", "e")
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, NoteEditor)
        editor.query_one(TextArea).insert(" more")
        holder = _hold_write_lock()
        try:
            await pilot.press("f2")
            await pilot.pause()
            assert app.is_running and app.screen is editor, "the edit was lost"
            assert "first words more" in editor.text and editor.problem and "locked" in editor.problem
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, NotesScreen) and "Note saved." in notices.messages
    with Store.open() as s:
        assert [i.note for i in s.all_items()] == ["first words more"]


# --- item 3: no terminal ----------------------------------------------------------------------------


def test_the_app_without_a_terminal_exits_with_a_message(hostile):
    out = subprocess.run(
        [sys.executable, "-m", "tui.cli", str(hostile)],
        stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60, start_new_session=True,
        env={**os.environ, "TERM": "xterm-256color"},
    )
    assert out.returncode == 2
    assert "needs a terminal" in out.stderr


# --- item 13: the problems view lists what `talkshelf list` lists -------------------------------------


async def test_problems_view_lists_broken_links_loops_and_foreign_files(tmp_path):
    from tui.index import Index

    lib = tmp_path / "lib"
    lib.mkdir()
    (lib / "good.srt").write_text("1\n00:00:01,000 --> 00:00:02,000\nhello\n")
    (lib / "bad.srt").write_text("nothing")
    (lib / "sheet.xlsx").write_bytes(b"PK\x03\x04")
    os.symlink(lib / "missing.srt", lib / "broken.srt")
    os.symlink(lib / "loop.vtt", lib / "loop.vtt")
    listed = {Path(p.path).name for p in scan(lib).problems}
    assert listed == {"bad.srt", "sheet.xlsx", "broken.srt", "loop.vtt"}
    with Index.open(root=lib) as index:
        index.refresh(lib)
        assert {Path(p.path).name for p in index.problems()} == listed
        app = TalkshelfApp(None, config=Config(), library_path=lib, use_index=True, index=index)
        async with app.run_test(size=SIZE) as pilot:
            await until_library(app, pilot)
            app.action_show_problems()
            await pilot.pause()
            assert isinstance(app.screen, ProblemsScreen)
            assert {Path(p.path).name for p in app.screen.problems} == listed
