"""Pilot tests of issue 13: a reader that keeps your place and knows less and vim habits."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
from textual import events
from textual.widgets import Input

from app_talks import library
from notices import Notices
from notices import Notices
from tui.app import TalkshelfApp
from tui.config import Config
from tui.model import format_time
from widgets.talk_list import TalkList
from widgets.talk_list_screen import TalkListScreen
from widgets.talk_screen import TalkScreen

SIZE = (120, 40)


@pytest.fixture
def copied(monkeypatch):
    """pyperclip at the boundary: what the app handed to the system clipboard."""
    import pyperclip

    texts: list[str] = []
    monkeypatch.setattr(pyperclip, "copy", texts.append)
    return texts


def make_app(**kwargs) -> TalkshelfApp:
    kwargs.setdefault("config", Config())
    return TalkshelfApp(library(), **kwargs)


async def until(pilot, condition, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting for the app"
        await pilot.pause(0.02)


def filter_value(app) -> str:
    return app.screen.query_one("#filter", Input).value


def shown(app) -> list[str]:
    talks = app.screen.query_one(TalkList)
    return [talks.talks[i].id for i in talks.rows]


# -- 1. type to filter from the first letter ------------------------------------------


@pytest.mark.parametrize("word", ["sourdough", "gyro", "q", "safety", "G", "jk"])
async def test_every_letter_typed_on_the_list_filters_from_the_first(word):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.focused, TalkList)
        await pilot.press(*word)  # one call: the keys arrive as a burst
        await pilot.pause()
        assert isinstance(app.screen, TalkListScreen) and app.is_running
        assert filter_value(app) == word


async def test_a_burst_posted_before_any_key_is_handled_keeps_every_letter():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for ch in "sourdough":  # as a terminal delivers a paste: all queued at once
            app.post_message(events.Key(ch, ch))
        await pilot.pause()
        assert isinstance(app.screen, TalkListScreen)
        assert filter_value(app) == "sourdough"
        assert "No talk matches" in app.screen.query_one(TalkList).render_line(0).text
        await pilot.press("escape")
        await pilot.pause()
        for ch in "safety":
            app.post_message(events.Key(ch, ch))
        await pilot.pause()
        assert filter_value(app) == "safety" and shown(app)[0] == "scaling-and-safety"


async def test_the_lists_actions_are_on_symbols_and_ctrl_keys_in_footer_and_help():
    from textual.widgets import DataTable

    from widgets.footer import Footer

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        keys = {b.binding.key: b.binding.description for b in app.screen.active_bindings.values()}
        for key, what in {"ctrl+f": "Search all", "apostrophe": "Marks", "exclamation_mark": "Problems", "ctrl+q": "Quit"}.items():
            assert keys.get(key) == what, key
        footer = " ".join(item.display for item in app.screen.query_one(Footer).items)
        for shown_key in ("^f", "'", "!", "^q"):
            assert shown_key in footer, (shown_key, footer)
        # No plain letter is an action on the list.
        assert [k for k, b in app.screen.active_bindings.items() if len(k) == 1 and k.isalnum() and b.enabled] == []
        await pilot.press("question_mark")
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        rows = [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]
        assert any(r[0] == "!" and r[1] == "Problems" for r in rows)
        assert any(r[0] == "^r f5" and r[1] == "Reload" for r in rows), rows
        # `q` types here: help does not offer it as Quit (ctrl+q is).
        assert not any(r[0] == "q" for r in rows) and any(r[0] == "^q" and r[1] == "Quit" for r in rows), rows


async def test_editing_keys_in_a_burst_apply_in_turn_with_the_letters():
    """Backspace typed fast among letters deletes what it follows, not what comes after it:
    "a", backspace, "b" reads "b" (it read "a"; the backspace waited for the app's bindings)."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for burst, expected in ((["a", "backspace", "b"], "b"), (["b", "e", "e", "backspace", "backspace", "backspace", "x", "y", "z"], "xyz")):
            for key in burst:
                app.post_message(events.Key(key, key if len(key) == 1 else "\x7f"))
            await pilot.pause()
            await pilot.pause()
            assert filter_value(app) == expected, burst
            await pilot.press("escape")
            await pilot.pause()
        # Enter at the end of a burst opens the first match.
        for key in [*"safety", "enter"]:
            app.post_message(events.Key(key, key if len(key) == 1 else "\r"))
        await until(pilot, lambda: isinstance(app.screen, TalkScreen))
        assert app.screen.talk.id == "scaling-and-safety"


# -- 6. the live library ---------------------------------------------------------------------


def write_transcript(path: Path, lines: list[str], step: float = 5.0) -> Path:
    items = [{"text": text, "start": i * step, "duration": step} for i, text in enumerate(lines)]
    path.write_text(json.dumps(items), encoding="utf-8")
    return path


@pytest.mark.parametrize("use_index", [True, False])
async def test_files_added_changed_and_removed_while_running_appear_within_seconds(tmp_path: Path, use_index: bool):
    root = tmp_path / "library"
    root.mkdir()
    write_transcript(root / "AAAAAAAAAAA.json", ["we talk about gradient descent today."])
    app = TalkshelfApp(None, config=Config(), library_path=root, use_index=use_index)
    notices = Notices()
    async with app.run_test(size=SIZE, message_hook=notices) as pilot:
        await until(pilot, lambda: app.library is not None and (app.index_ready or not use_index))
        assert shown(app) == ["AAAAAAAAAAA"]
        await pilot.pause(0.3)  # the watch's first look
        write_transcript(root / "BBBBBBBBBBB.json", ["a brand new talk about sourdough."])
        await until(pilot, lambda: sorted(shown(app)) == ["AAAAAAAAAAA", "BBBBBBBBBBB"], seconds=8)
        await pilot.pause()  # the notice is posted after the list is shown
        assert any("1 talk added" in n.message for n in notices.shown), notices.messages
        (root / "AAAAAAAAAAA.json").unlink()
        await until(pilot, lambda: shown(app) == ["BBBBBBBBBBB"], seconds=8)
        # Changed in place: its new words are what the talk holds.
        write_transcript(root / "BBBBBBBBBBB.json", ["now it is about rye bread instead."])
        await until(
            pilot, lambda: app.library.talks and "rye" in app.library.talks[0].transcript.segments[0].text, seconds=8
        )


async def test_ctrl_r_reloads_now(tmp_path: Path):
    root = tmp_path / "library"
    root.mkdir()
    write_transcript(root / "AAAAAAAAAAA.json", ["one."])
    app = TalkshelfApp(None, config=Config(), library_path=root, use_index=True)
    app.watch_library = False  # no periodic look: only the key
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.index_ready)
        write_transcript(root / "BBBBBBBBBBB.json", ["two."])
        await pilot.pause(0.5)
        assert shown(app) == ["AAAAAAAAAAA"]
        await pilot.press("ctrl+r")
        await until(pilot, lambda: len(shown(app)) == 2, seconds=5)


# -- 2. search as in less and vim -------------------------------------------------------


def where(app) -> str:
    """The talk header's right part: the search counter, the cursor's time and share."""
    return str(app.screen.query_one("#talk-where").render())


async def test_search_flow_slash_enter_n_n_N_esc():
    from widgets.find_bar import FindBar

    app = make_app(talk_id="scaling-and-safety")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        view = screen.transcript
        # "Part 11" is in paragraphs 11 and 110 to 119: 11 matches.
        await pilot.press("slash", *"part 11", "enter")  # Enter closes the bar, the matches stay
        await pilot.pause()
        bar = screen.query_one(FindBar)
        status = view.search_status
        assert not bar.is_open and view.has_focus and status.total == 11 and status.current == 1
        assert view.cursor == 11 and where(app).startswith("/part 11 1/11")
        await pilot.press("n")  # n steps, it is not typed anywhere
        assert bar.value == "part 11" and view.search_status.current == 2 and view.cursor == 110
        await pilot.press("n")
        assert view.search_status.current == 3 and view.cursor == 111 and where(app).startswith("/part 11 3/11")
        await pilot.press("N")
        assert view.search_status.current == 2 and view.cursor == 110 and where(app).startswith("/part 11 2/11")
        await pilot.press("escape")  # clears the search and its counter, the talk stays open
        await pilot.pause()
        assert isinstance(app.screen, TalkScreen) and view.search_status.total == 0
        assert "/" not in where(app) and where(app).startswith("00:")
        await pilot.press("escape")  # the next Esc goes back
        await pilot.pause()
        assert isinstance(app.screen, TalkListScreen)


async def test_an_unmatched_query_leaves_the_cursor_where_the_search_began():
    app = make_app(talk_id="scaling-and-safety", at=600)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        view = app.screen.transcript
        assert view.cursor == 20
        await pilot.press("slash", *"xqzv")  # "x" alone matches (e.g. "next"), "xqzv" nowhere
        await pilot.pause()
        assert view.search_status.total == 0 and view.cursor == 20
        await pilot.press("enter")
        await pilot.pause()
        assert "no matches" in where(app) and view.cursor == 20
        await pilot.press("n")
        assert view.cursor == 20


async def test_close_matches_are_offered_and_n_goes_to_them():
    app = make_app(talk_id="scaling-and-safety")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        view = app.screen.transcript
        await pilot.press("slash", *"sutskever", "enter")
        await pilot.pause()
        status = view.search_status
        assert status.fuzzy and status.total == 1 and status.current == 0 and view.cursor == 0
        assert "n: go" in where(app)
        await pilot.press("n")
        assert view.cursor == 40 and view.search_status.current == 1


# -- 3. position, header, go to a time ------------------------------------------------------


async def test_a_talk_reopens_where_it_was_left_in_the_same_run():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.list_screen.select_talk("scaling-and-safety")
        await pilot.press("enter")
        await pilot.pause()
        view = app.screen.transcript
        assert view.cursor == 0 and where(app) == "00:00:00 0%"
        await pilot.press("space", "space", "j")
        await pilot.pause()
        left = view.cursor
        assert left > 3
        assert where(app) == f"{format_time(left * 30.0)} {100 * left * 30 / 3600:.0f}%"
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, TalkScreen) and app.screen.transcript.cursor == left
        assert app.screen.transcript.segment_in_view(left)


async def test_a_talk_reopens_where_it_was_left_after_a_restart_even_if_quit_from_it():
    app = make_app(talk_id="scaling-and-safety")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.screen.transcript.jump_to_segment(77)
        await pilot.pause()
        await pilot.press("q")  # quit from the talk: no Esc first
    assert not app.is_running
    state = (Path(os.environ["TALKSHELF_CONFIG_DIR"]) / "state.toml").read_text()
    assert "paragraph = 77" in state

    app = make_app(talk_id="scaling-and-safety")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.screen.transcript.cursor == 77
        assert where(app).startswith("00:38:30")
    # Opened at a time asked for (--at), that time wins over the place it was left.
    app = make_app(talk_id="scaling-and-safety", at=120)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.screen.transcript.cursor == 4


@pytest.mark.parametrize(
    "typed, paragraph",
    [("1:23:45", 119), ("0:20:00", 40), ("83:20", 119), ("20:00", 40), ("45%", 54), ("+30s", 21), ("-2m", 16), ("90s", 3)],
)
async def test_the_go_to_time_prompt_takes_every_form(typed, paragraph):
    from widgets.goto_time_screen import GoToTimeScreen

    app = make_app(talk_id="scaling-and-safety", at=600)  # paragraph 20, 00:10:00; the talk is 1 h long
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("colon")
        await pilot.pause()
        assert isinstance(app.screen, GoToTimeScreen)
        await pilot.press(*typed, "enter")
        await pilot.pause()
        assert isinstance(app.screen, TalkScreen) and app.screen.transcript.cursor == paragraph
        if typed == "45%":  # 00:27:00, inside the paragraph from 00:27:00: no notice needed
            assert where(app) == "00:27:00 45%"
        if typed == "1:23:45":  # past the end: the last paragraph, 00:59:30, and the notice says so
            assert where(app) == "01:00:00 is in the paragraph from 00:59:30"


async def test_the_go_to_time_prompt_on_t_says_what_it_cannot_read_and_esc_cancels():
    from widgets.goto_time_screen import GoToTimeScreen

    app = make_app(talk_id="scaling-and-safety", at=600)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("t", *"soon", "enter")
        await pilot.pause()
        assert isinstance(app.screen, GoToTimeScreen)
        assert "not a time" in str(app.screen.query_one("#goto-help").render())
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, TalkScreen) and app.screen.transcript.cursor == 20


async def test_go_to_time_is_in_help_and_the_palette():
    from widgets.help_screen import binding_rows

    app = make_app(talk_id="scaling-and-safety")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        rows = {binding_id: keys for keys, _does, binding_id, _where in binding_rows(app.screen)}
        assert rows["talk.go_to_time"] == ": t"
        # Each key and what it does once per place: `/` is not listed twice as Search.
        listed = [(keys, does, where) for keys, does, _id, where in binding_rows(app.screen)]
        assert len(listed) == len(set(listed))
        assert "Go to time" in [name for name, _help, _call in app.screen.palette_commands()]


# -- 4. paging ------------------------------------------------------------------------------


@pytest.mark.parametrize("pane", ["transcript", "summary"])
async def test_paging_keys_in_every_pane(pane):
    app = make_app(talk_id="scaling-and-safety")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        if pane == "summary":
            # A summary long enough to page through: the transcript's paragraphs as its blocks.
            from tui.summary_layout import Block

            screen.summary.show_blocks([Block(kind="text", text=s.text, doc=1, summary=0, seconds=s.start) for s in screen.transcript.segments])
            await pilot.press("tab")
        view = screen.view
        assert view.has_focus and view is (screen.summary if pane == "summary" else screen.transcript)
        height = view.scrollable_content_region.height
        positions = [view.cursor]
        for key in ("space", "ctrl+f", "ctrl+b", "ctrl+d", "ctrl+u", "pagedown"):
            await pilot.press(key)
            await pilot.pause()
            positions.append(view.cursor)
            assert view.segment_in_view(view.cursor)
        a, space, ctrl_f, ctrl_b, ctrl_d, ctrl_u, pagedown = positions
        assert a < space < ctrl_f and ctrl_b < ctrl_f and ctrl_b < ctrl_d < ctrl_f and ctrl_u < ctrl_d < pagedown
        rows = view._first_row
        # A page moves about a screen of rows, half a page about half of one.
        assert rows[space] - rows[a] >= height // 2
        assert rows[ctrl_d] - rows[ctrl_b] <= height


async def test_the_cursor_paragraph_stays_in_view_on_resize():
    app = make_app(talk_id="scaling-and-safety")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        view = app.screen.transcript
        await pilot.press("space", "space", "space")
        await pilot.press(*["j"] * 5)  # the cursor near the bottom of the screen
        await pilot.pause()
        for size in ((80, 24), (60, 14), (120, 40)):
            await pilot.resize_terminal(*size)
            await pilot.pause()
            await pilot.pause()
            assert view.segment_in_view(view.cursor), size


# -- 7. quotes of words, the notice, the marks view ------------------------------------------


async def test_v_then_words_quotes_exactly_those_words_with_the_first_words_time(copied):
    app = make_app(talk_id="scaling-and-safety", at=1200)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        view = app.screen.transcript
        # "And then Ilya suitskiver said that the scaling laws ...": from "scaling", four words.
        await pilot.press("slash", *"scaling", "enter", "v", "l", "l", "l")
        assert view.selected_text() == "scaling laws would hold"
        await pilot.press("y")
        await pilot.pause()
        text = "And then Ilya suitskiver said that the scaling laws would hold for a long while."
        at = int(1200 + 29 * text.index("scaling") / len(text))
        assert copied == [
            "> scaling laws would hold\n>\n"
            f"> — [Scaling and Safety [bold]live[/bold]](https://youtu.be/abcdefghijk?t={at}) at ≈00:20:{at - 1200:02d}"
        ]
        assert where(app) == f"Quote copied: 4 words at ≈00:20:{at - 1200:02d}"
        assert view.selection is None  # yanked: the selection is done with, as in vim


async def test_word_and_sentence_motions_and_paragraphs():
    app = make_app(talk_id="scaling-and-safety", at=1200)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        view = app.screen.transcript
        await pilot.press("v", "l")
        assert view.selected_text() == "And then"
        await pilot.press("h", "h")  # back past the anchor, into the paragraph before
        assert view.selected_text().endswith(".\n\nAnd") and view.cursor == 39
        await pilot.press("escape", "j", "v", "right_parenthesis")
        assert view.selected_text() == "And then Ilya suitskiver said that the scaling laws would hold for a long while."
        await pilot.press("right_parenthesis")  # on into the next paragraph's (first) sentence
        assert view.selected_text().endswith("data compute.") and view.cursor == 41
        await pilot.press("left_parenthesis")
        assert view.selected_text().endswith("long while.")
        await pilot.press("j")  # j/k still go by paragraphs: to the end of the next
        assert view.selected_text().endswith("data compute.")
        await pilot.press("escape")
        assert view.selection is None
        # `w` still cycles the panes and `b` still bookmarks while selecting: the motions are h/l ( ).
        await pilot.press("v", "w")
        assert app.screen.layout_mode == "summary"


async def test_a_mouse_drag_selects_words_and_y_quotes_them(copied):
    app = make_app(talk_id="scaling-and-safety", at=1200)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        view = app.screen.transcript
        row = next(y for y in range(view.size.height) if "And then Ilya" in view.render_line(y).text)
        line = view.render_line(row).text
        x1, x2 = line.index("then"), line.index("suitskiver") + 2
        dx, dy = view.content_region.x - view.region.x, view.content_region.y - view.region.y  # the border
        await pilot.mouse_down(view, offset=(x1 + dx, row + dy))
        view.on_mouse_move(_drag(view, x2, row))
        await pilot.mouse_up(view, offset=(x2 + dx, row + dy))
        await pilot.pause()
        assert view.selected_text() == "then Ilya suitskiver"
        await pilot.press("y")
        await pilot.pause()
        assert copied[0].startswith("> then Ilya suitskiver\n>\n")
        await pilot.mouse_down(view, offset=(x1 + dx, row + dy))
        view.on_mouse_move(_drag(view, x2, row))
        await pilot.mouse_up(view, offset=(x2 + dx, row + dy))
        await pilot.pause()
        assert view.word_selection is not None
        await pilot.click(view, offset=(x1 + dx, row + dy + 4))  # a plain click elsewhere ends it
        await pilot.pause()
        assert view.word_selection is None and view.selection is None


def _drag(view, x: int, y: int) -> events.MouseMove:
    """A move with the first button held (Pilot's hover sends none held)."""
    region = view.content_region
    return events.MouseMove(
        view, region.x + x, region.y + y, 0, 0, 1, False, False, False, screen_x=region.x + x, screen_y=region.y + y
    )


async def test_speaker_marks_are_dropped_and_estimated_times_kept_in_a_word_quote(copied):
    from tui.model import Segment

    lib = library()
    talk = lib.find("scaling-and-safety")
    talk.transcript.segments[3] = Segment(90.0, 119.0, ">> So we began. >> Yes we did.", estimated=True, line=10)
    app = TalkshelfApp(lib, config=Config(), talk_id="scaling-and-safety", at=90)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("v", *["l"] * 6, "y")  # ">>" counts as a word to move over, and is dropped
        await pilot.pause()
        assert copied[0].startswith("> So we began. Yes we\n>\n")
        at = int(90 + 29 * 3 / len(">> So we began. >> Yes we did."))  # "So", the first word quoted
        assert copied[0].endswith(f"at ≈00:01:{at - 60:02d}")


async def test_marks_view_j_k_whole_notes_and_estimated_times():
    from tui.model import Segment
    from tui.store import Store
    from widgets.notes_screen import NotesScreen

    lib = library()
    talk = lib.find("scaling-and-safety")
    talk.transcript.segments[5] = Segment(150.0, 179.0, "An estimated paragraph here.", estimated=True, line=16)
    app = TalkshelfApp(lib, config=Config(), talk_id="scaling-and-safety", at=150)
    notices = Notices()
    async with app.run_test(size=SIZE, message_hook=notices) as pilot:
        await pilot.pause()
        await pilot.press("b")
        await pilot.pause()
        assert any("≈00:02:30" in n.message for n in notices.shown)
        with Store.open() as store:
            store.add_note(talk, [talk.transcript.segments[40]], "one\ntwo\nthree\nfour")
        await pilot.press("m")
        await app.workers.wait_for_complete()
        await pilot.pause()
        notes = app.screen
        assert isinstance(notes, NotesScreen)
        await pilot.press("tab")  # to the list
        options = notes.query_one("#notes-list")
        texts = lambda: [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]  # noqa: E731
        assert "≈00:02:30" in texts()[0]  # the bookmark, as its notice said
        note = next(t for t in texts() if "one" in t)
        assert "two …" in note and "three" not in note  # cut, and it says so
        await pilot.press("j")
        assert options.highlighted == 1
        await pilot.press("k")
        assert options.highlighted == 0
        await pilot.press("j", "space")
        await pilot.pause()
        note = next(t for t in texts() if "one" in t)
        assert "three" in note and "four" in note
        await pilot.press("space")
        assert "four" not in next(t for t in texts() if "one" in t)


# -- 8. a burst of keys to the note editor ---------------------------------------------------------


@pytest.mark.parametrize("save", ["f2", "ctrl+s"])
async def test_a_burst_of_text_then_the_save_key_saves_every_word(save):
    from tui.store import Store
    from widgets.note_editor_screen import NoteEditor

    text = "the whole note, typed in one burst with its last words"
    app = make_app(talk_id="scaling-and-safety")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor)
        await pilot.press(*text, save)  # one call
        await pilot.pause()
        assert isinstance(app.screen, TalkScreen)
        await pilot.press("A")  # and as a terminal delivers it: every key queued before the first is handled
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor)
        for ch in text:
            app.post_message(events.Key("space" if ch == " " else ch, ch))
        app.post_message(events.Key(save, None))
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, TalkScreen)
    with Store.open() as store:
        assert sorted(i.note for i in store.all_items()) == [text, text]


# -- help and palette --------------------------------------------------------------------------


async def test_help_lists_only_talkshelfs_keys_with_their_whole_names():
    from textual.widgets import DataTable

    app = make_app(talk_id="scaling-and-safety")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        rows = [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]
        assert not [r for r in rows if r[1] in ("Scroll Left", "Scroll Right", "Copy selected text")]
        assert not [r for r in rows if r[3] in ("Footer", "Outline tree") and not r[2]]
        longest = max(len(r[0]) for r in rows)
        assert table.columns[table.ordered_columns[0].key].width >= longest  # no key cut ("shift+enter" to "s")


async def test_palette_titles_keep_bracketed_text():
    from textual.command import CommandPalette

    lib = library()
    lib.talks[0].title = "Inside OpenAI [Entire Talk]"
    app = TalkshelfApp(lib, config=Config())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"inside")
        await pilot.pause(0.5)
        palette = app.screen
        assert isinstance(palette, CommandPalette)
        shown = [str(o.prompt) for o in palette.query_one("CommandList").options]
        assert any("Open talk: Inside OpenAI [Entire Talk]" in s for s in shown), shown


async def test_a_talk_with_only_summaries_reopens_at_the_block_left():
    app = make_app(talk_id="summary-only")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        summary = app.screen.summary
        first = summary.cursor
        await pilot.press("G")
        await pilot.pause()
        left = summary.cursor
        assert left != first and where(app).startswith("00:01:15")
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("enter")  # the list's highlight is still this talk
        await pilot.pause()
        assert isinstance(app.screen, TalkScreen) and app.screen.talk.id == "summary-only"
        assert app.screen.summary.cursor == left and where(app).startswith("00:01:15")


async def test_a_note_on_selected_words_quotes_those_words():
    from tui.store import Store

    app = make_app(talk_id="scaling-and-safety", at=1200)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("v", "l", "l", "a")
        await pilot.pause()
        await pilot.press(*"mine", "f2")
        await pilot.pause()
        assert isinstance(app.screen, TalkScreen)
    with Store.open() as store:
        assert [(i.quote, i.note) for i in store.all_items()] == [("And then Ilya", "mine")]
