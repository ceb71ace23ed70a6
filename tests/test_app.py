"""Pilot tests of the app: the list, a talk, outline <-> transcript, search, quotes, keys, themes."""

from __future__ import annotations

import pyperclip
import pytest
from textual.widgets import Input, Static
from app_talks import NAME_AT, library, until_library
from notices import Notices

from tui.app import TalkshelfApp
from widgets.talk_list_screen import TalkListScreen
from widgets.talk_screen import TalkScreen
from tui.config import Config, load_config
from widgets.find_bar import FindBar
from widgets.help_screen import HelpScreen
from widgets.outline_tree import OutlineTree, Section
from widgets.problems_screen import ProblemsScreen
from widgets.talk_list import TalkList
from widgets.transcript_view import TranscriptView

SIZE = (120, 40)


@pytest.fixture
def copied(monkeypatch):
    """pyperclip at the boundary: what the app handed to the system clipboard."""
    texts: list[str] = []
    monkeypatch.setattr(pyperclip, "copy", texts.append)
    return texts


@pytest.fixture
def no_clipboard(monkeypatch):
    def fail(text: str) -> None:
        raise pyperclip.PyperclipException("Pyperclip could not find a copy/paste mechanism for your system. More text")

    monkeypatch.setattr(pyperclip, "copy", fail)


def make_app(**kwargs) -> TalkshelfApp:
    kwargs.setdefault("config", Config())
    return TalkshelfApp(library(), **kwargs)


async def open_talk_a(pilot) -> TalkScreen:
    await pilot.pause()
    await pilot.press("down", "enter")  # the second row is "Scaling and Safety"
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, TalkScreen)
    return screen


def section_nodes(outline: OutlineTree) -> list:
    """The outline's section nodes in order, found through the Tree's own API."""
    found = []

    def walk(node) -> None:
        for child in node.children:
            if isinstance(child.data, Section):
                found.append(child)
            walk(child)

    walk(outline.root)
    return found


def outline_label(screen: TalkScreen) -> str:
    node = screen.query_one(OutlineTree).cursor_node
    return node.label.plain if node is not None else ""


async def test_list_shows_every_talk_and_opens_one():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, TalkListScreen)
        talks = app.screen.query_one(TalkList)
        assert [t.id for t in talks.talks] == ["lecture-three", "scaling-and-safety", "summary-only"]
        assert "3 talks" in app.screen.query_one("#list-header").title
        assert "2 problems" in app.screen.query_one("#list-header").title
        screen = await open_talk_a(pilot)
        assert screen.talk.id == "scaling-and-safety"
        view = screen.query_one(TranscriptView)
        assert len(view.segments) == 120 and view.has_focus
        # Untrusted text: the title's markup shows literally.
        assert "[bold]live[/bold]" in str(screen.query_one("#talk-header").render())
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, TalkListScreen)


async def test_filter_is_typo_tolerant_and_enter_opens_the_match():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("slash", *"optimsation")  # a letter missing
        await pilot.pause()
        talks = app.screen.query_one(TalkList)
        assert [talks.talks[i].id for i in talks.rows] == ["lecture-three"]
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, TalkScreen) and app.screen.talk.id == "lecture-three"


async def test_filter_puts_exact_matches_first_and_says_when_nothing_matches():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("slash", *"channel")
        await pilot.pause()
        talks = app.screen.query_one(TalkList)
        assert [talks.talks[i].id for i in talks.rows] == ["scaling-and-safety", "summary-only"]
        await pilot.press("down")  # the arrows move the list while the filter keeps the focus
        assert talks.highlighted.id == "summary-only" and isinstance(app.focused, Input)
        await pilot.press("up")
        await pilot.press(*"zzzz")
        await pilot.pause()
        assert talks.rows == []
        assert "No talk matches" in "".join(s.text for s in talks.render_line(0))
        await pilot.press("escape")  # clears the filter
        await pilot.pause()
        assert len(talks.rows) == 3


def app_with_section_at(title: str, start: float) -> TalkshelfApp:
    """The app on the test library, with the section `title` of "Scaling and Safety" moved to `start`."""
    lib = library()
    (talk,) = [t for t in lib.talks if t.id == "scaling-and-safety"]
    next(e for d in talk.summaries for e in d.outline if e.title == title).start = start
    return TalkshelfApp(lib, config=Config())


async def test_outline_section_jumps_the_transcript_and_the_cursor_moves_the_outline():
    # "Names" starts inside paragraph 40 (20:00-20:29): were the jump to echo back
    # through the transcript's cursor, the outline would hop to the section covering
    # the paragraph's start, "Scaling laws".
    app = app_with_section_at("Names", 1215.0)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_talk_a(pilot)
        view = screen.query_one(TranscriptView)
        outline = screen.query_one(OutlineTree)
        await pilot.press("shift+tab")  # Tab goes transcript, summary, outline: back once is the outline
        assert outline.has_focus
        assert outline_label(screen).endswith("Overview")  # it follows the transcript from the start
        # Down to "Names" (00:20:00): the transcript follows to paragraph 40.
        await pilot.press("down", "down")
        await pilot.pause()
        assert view.cursor == 40
        # The jump did not echo back: the outline stays on the chosen section.
        assert outline_label(screen).endswith("Names")
        # The header says where the transcript now is (the moves posted nothing to tell it).
        assert str(screen.query_one("#talk-where", Static).render()).startswith("00:20:00")
        await pilot.press("k")  # as in the panes
        await pilot.pause()
        assert not outline_label(screen).endswith("Names")
        await pilot.press("j")
        await pilot.pause()
        assert outline_label(screen).endswith("Names") and view.cursor == 40
        # Back in the transcript, paging down moves the outline to the section covering the cursor.
        await pilot.press("tab")
        assert view.has_focus
        view.jump_to_time(2460.0)
        await pilot.pause()
        assert "Safety" in outline_label(screen)
        await pilot.press("g")
        await pilot.pause()
        assert outline_label(screen).endswith("Overview")
        await pilot.press("pagedown", "pagedown", "pagedown", "pagedown")
        await pilot.pause()
        seconds = view.segments[view.cursor].start
        section = outline.cursor_node.data
        assert isinstance(section, Section) and section.seconds is not None and section.seconds <= seconds


async def test_before_every_section_the_outline_leaves_the_last_one():
    """At a time before the first section the outline's cursor goes to the summary's own line:
    it stayed on whatever section it was on ("Safety" at 00:00:06)."""
    app = app_with_section_at("Overview", 600.0)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_talk_a(pilot)
        view = screen.query_one(TranscriptView)
        outline = screen.query_one(OutlineTree)
        view.jump_to_time(2460.0)
        await pilot.pause()
        assert "Safety" in outline_label(screen)
        await pilot.press("g")
        await pilot.pause()
        assert view.segments[view.cursor].start < 600.0
        assert not isinstance(outline.cursor_node.data, Section), outline_label(screen)


async def test_a_narrow_terminal_gives_the_outlines_room_to_the_text():
    app = make_app()
    async with app.run_test(size=(60, 24)) as pilot:
        screen = await open_talk_a(pilot)
        outline = screen.query_one(OutlineTree)
        view = screen.query_one(TranscriptView)
        assert not outline.display and view.size.width >= 55
        await pilot.press("tab", "tab", "tab")  # the outline is not in the round
        assert not outline.has_focus
        await pilot.resize_terminal(100, 24)
        await pilot.pause()
        assert outline.display and outline.size.width >= 20


async def test_click_on_an_outline_section_jumps():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_talk_a(pilot)
        outline = screen.query_one(OutlineTree)
        names_line = next(n for n in section_nodes(outline) if n.label.plain.endswith("Names")).line
        await pilot.click(OutlineTree, offset=(8, names_line))
        await pilot.pause()
        assert screen.query_one(TranscriptView).cursor == 40


async def test_untimed_section_is_placed_by_its_words_and_marked():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_talk_a(pilot)
        outline = screen.query_one(OutlineTree)
        await app.workers.wait_for_complete()  # matching runs in a thread
        await pilot.pause()
        labels = [n.label.plain for n in section_nodes(outline)]
        assert "~00:45:00 Pricing the turbo model" in labels  # paragraph 90 says it
        assert "no time   Closing words" in labels


async def test_search_counts_and_steps_with_n_and_N():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_talk_a(pilot)
        view = screen.query_one(TranscriptView)
        await pilot.press("slash", *"safety")
        await pilot.pause()
        status = view.search_status
        assert status.total > 3 and status.current == 1 and not status.fuzzy
        assert str(screen.query_one("#find-status").render()) == f"1/{status.total}"
        first = view.cursor
        await pilot.press("escape")  # closes the bar, keeps the place and the matches
        await pilot.pause()
        assert not screen.query_one(FindBar).is_open and view.has_focus and view.cursor == first
        await pilot.press("n")
        assert view.search_status.current == 2 and view.cursor >= first
        await pilot.press("N", "N")
        assert view.search_status.current == status.total
        assert str(screen.query_one("#find-status").render()) == f"{status.total}/{status.total}"
        await pilot.press("escape")  # clears the search
        await pilot.pause()
        assert view.search_status.total == 0 and isinstance(app.screen, TalkScreen)
        await pilot.press("n")  # nothing to step through: n does nothing
        assert view.search_status.total == 0


async def test_search_falls_back_to_close_matches_and_says_so():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_talk_a(pilot)
        view = screen.query_one(TranscriptView)
        await pilot.press("slash", *"sutskever")
        await pilot.pause()
        assert view.search_status.fuzzy and view.search_status.total >= 1
        # Close matches are offered, never gone to silently: the cursor stays until n.
        assert view.cursor == 0
        assert str(screen.query_one("#find-status").render()).startswith("≈")
        assert str(screen.query_one("#find-status").render()).endswith("n: go")
        await pilot.press("enter", "n")
        assert view.cursor == NAME_AT and view.search_status.current == 1


async def test_quote_goes_to_the_system_clipboard(copied):
    app = make_app(talk_id="abcdefghijk", at=1200)
    notices = Notices()
    async with app.run_test(size=SIZE, message_hook=notices) as pilot:
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert copied == [
            "> And then Ilya suitskiver said that the scaling laws would hold for a long while.\n"
            ">\n"
            "> — [Scaling and Safety [bold]live[/bold]](https://youtu.be/abcdefghijk?t=1200) at 00:20:00"
        ]
        assert app.clipboard == ""  # the terminal was not used
        # One line in the header, not a toast over the text: what was copied and its time.
        assert str(app.screen.query_one("#talk-where").render()) == "Quote copied: 15 words at 00:20:00"
        assert not [n for n in notices.shown if "uote" in n.message]


async def test_quote_on_a_search_hit_starts_at_the_matched_words(copied):
    app = make_app(talk_id="scaling-and-safety", at=1200)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("slash", *"scaling laws")
        await pilot.pause()
        await pilot.press("escape")  # the bar closes, the match stays
        await pilot.press("y")
        await pilot.pause()
        # Paragraph 40 runs 1200-1229 s with no word times: "scaling" is placed by characters.
        text = "And then Ilya suitskiver said that the scaling laws would hold for a long while."
        at = int(1200 + 29 * text.index("scaling") / len(text))
        assert copied == [
            "> scaling laws would hold for a long while.\n"
            ">\n"
            f"> — [Scaling and Safety [bold]live[/bold]](https://youtu.be/abcdefghijk?t={at}) at ≈00:20:{at - 1200:02d}"
        ]


async def test_quote_of_a_selection_with_a_configured_template(copied):
    app = make_app(talk_id="scaling-and-safety", at=1200, config=Config(quote_template="{time} {text} ({url})"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("shift+down", "y")
        await pilot.pause()
        assert copied[0].startswith("00:20:00 And then Ilya suitskiver")
        assert "\n\nPart 41 of the talk" in copied[0]
        assert copied[0].endswith("(https://youtu.be/abcdefghijk?t=1200)")


async def test_quote_without_a_system_clipboard_goes_through_osc52(no_clipboard):
    app = make_app(talk_id="scaling-and-safety", at=1200)
    notices = Notices()
    async with app.run_test(size=SIZE, message_hook=notices) as pilot:
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert app.clipboard.startswith("> And then Ilya suitskiver")
        # The notice is one line in the header (a toast would cover the text), with the reason.
        notice = str(app.screen.query_one("#talk-where").render())
        assert "OSC 52" in notice and "no system clipboard" in notice


async def test_open_video_at_the_cursor(monkeypatch):
    opened: list[str] = []
    monkeypatch.setattr("webbrowser.open", lambda url: opened.append(url) or True)
    app = make_app(talk_id="scaling-and-safety", at=1200)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("o")
        assert opened == ["https://youtu.be/abcdefghijk?t=1200"]


async def test_open_video_without_a_browser_does_not_crash(monkeypatch):
    def broken(url):
        raise RuntimeError("no display")

    monkeypatch.setattr("webbrowser.open", broken)
    app = make_app(talk_id="scaling-and-safety", at=30)
    notices = Notices()
    async with app.run_test(size=SIZE, message_hook=notices) as pilot:
        await pilot.pause()
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, TalkScreen)
        assert any("https://youtu.be/abcdefghijk?t=30" in n.message for n in notices.shown)


async def test_launch_straight_at_a_talk_and_moment():
    app = make_app(talk_id="abcdefghijk", at=2405)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, TalkScreen) and screen.talk.id == "scaling-and-safety"
        assert screen.query_one(TranscriptView).cursor == 80
        assert "Safety" in outline_label(screen)
        await pilot.press("escape")
        await pilot.pause()
        # Back in the list, the opened talk is the highlighted one.
        assert app.screen.query_one(TalkList).highlighted.id == "scaling-and-safety"


async def test_unknown_talk_at_launch_is_reported():
    app = make_app(talk_id="nope")
    notices = Notices()
    async with app.run_test(size=SIZE, message_hook=notices) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, TalkListScreen)
        assert any("No talk 'nope'" in n.message for n in notices.shown)


async def test_talk_without_transcript_shows_its_summaries():
    app = make_app(talk_id="summary-only")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        view = screen.summary
        assert not screen.transcript.display and view.display and view.has_focus
        assert [(b.kind, b.text) for b in view.blocks] == [
            ("heading", "Catching up"), ("text", "Open models catch up slowly."),
            ("heading", "Leading"), ("text", "Closed models lead."),
        ]
        await pilot.press("tab", "down")  # the outline, its next section
        await pilot.pause()
        assert view.cursor == 2
        await pilot.press("tab", "up")
        await pilot.pause()
        assert view.has_focus and view.cursor == 1
        assert outline_label(screen).endswith("Catching up")


async def test_problems_view_lists_unreadable_files():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("exclamation_mark")
        await pilot.pause()
        assert isinstance(app.screen, ProblemsScreen)
        listed = app.screen.query_one("#problems-list")
        assert listed.option_count == 2
        assert "no cue has a time line" in str(listed.get_option_at_index(0).prompt)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, TalkListScreen)


async def test_help_lists_every_binding_with_its_id():
    app = make_app(talk_id="scaling-and-safety")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        table = app.screen.query_one("#help-table")
        rows = [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]
        ids = {r[2] for r in rows}
        assert {"quit", "talk.quote", "talk.search", "talk.open_video", "transcript.select", "help"} <= ids
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, TalkScreen)


async def test_keys_remapped_from_config(copied):
    app = make_app(talk_id="scaling-and-safety", config=Config(keys={"talk.quote": "c", "quit": "x"}))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert copied == []
        await pilot.press("c")
        await pilot.pause()
        assert len(copied) == 1
        await pilot.press("q")
        await pilot.pause()
        assert app.is_running
        await pilot.press("x")
        await pilot.pause()
    assert not app.is_running


async def test_command_palette_runs_screen_actions(copied):
    app = make_app(talk_id="scaling-and-safety", at=1200)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"copy quote")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause(0.2)
        assert len(copied) == 1 and copied[0].startswith("> And then Ilya")


async def test_theme_choice_is_remembered():
    app = make_app(config=load_config())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.theme = "nord"
        await pilot.pause()
    assert load_config().theme == "nord"
    again = make_app(config=load_config())
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert again.theme == "nord"


async def test_q_filters_the_list_and_ctrl_q_quits():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("q")
        await pilot.pause()
        assert app.is_running and app.screen.query_one("#filter", Input).value == "q"
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert not app.is_running
    assert app.return_code == 0


async def test_scan_runs_in_a_worker_when_no_library_is_given(tmp_path):
    (tmp_path / "notes.xlsx").write_bytes(b"PK\x03\x04")  # a foreign file (a .jpg is a thumbnail, skipped)
    app = TalkshelfApp(None, config=Config(), library_path=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await until_library(app, pilot)
        assert app.library is not None and app.library.root == tmp_path
        assert "1 problem" in app.screen.query_one("#list-header").title


async def test_mouse_click_highlights_then_opens_a_talk():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        talks = app.screen.query_one(TalkList)
        await pilot.click(TalkList, offset=(10, 2))
        await pilot.pause()
        assert talks.highlighted.id == "summary-only" and isinstance(app.screen, TalkListScreen)
        await pilot.click(TalkList, offset=(10, 2))
        await pilot.pause()
        assert isinstance(app.screen, TalkScreen) and app.screen.talk.id == "summary-only"


async def test_notes_count_shows_in_the_marks():
    from tui.store import Store, talk_paragraphs

    lib = library()
    lecture = lib.find("lecture-three")
    with Store.open() as store:  # the counts come from the notes store (TALKSHELF_DATA_DIR, a temp dir)
        for i in range(4):
            store.add_note(lecture, talk_paragraphs(lecture)[i : i + 1], f"note {i}")
    app = TalkshelfApp(lib, config=Config())
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        talks = app.screen.query_one(TalkList)
        first = "".join(s.text for s in talks.render_line(0))
        second = "".join(s.text for s in talks.render_line(1))
        assert first.startswith(" T    N4 ") and "Lecture three" in first
        assert second.startswith(" T S2 ") and "[bold]live[/bold]" in second


async def test_unknown_key_ids_in_config_are_reported():
    app = make_app(config=Config(keys={"talk.qoute": "c", "quit": "x"}))
    notices = Notices()
    async with app.run_test(size=SIZE, message_hook=notices) as pilot:
        await pilot.pause()
        messages = notices.messages
        assert any("talk.qoute" in m for m in messages)
        assert not any("quit," in m or "id quit" in m for m in messages)


async def test_mouse_wheel_in_the_transcript_moves_the_outline():
    from textual import events

    app = make_app(talk_id="scaling-and-safety", at=1150)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        view = screen.query_one(TranscriptView)
        assert outline_label(screen).endswith("Scaling laws")
        for _ in range(12):  # wheel down: the cursor follows into view, the outline follows the cursor
            view.post_message(events.MouseScrollDown(view, 5, 5, 0, 1, 0, False, False, False))
            await pilot.pause()
        assert view.segments[view.cursor].start >= 1200
        assert outline_label(screen).endswith("Names")


async def test_a_single_file_opens_its_talk(seeds):
    app = TalkshelfApp(None, config=Config(), library_path=seeds / "004_8eb6f7f4f5cf5656.txt", at=1200)
    async with app.run_test(size=SIZE) as pilot:
        await until_library(app, pilot)
        assert isinstance(app.screen, TalkScreen) and app.screen.talk.video_id == "Wmo2vR7U9ck"
        view = app.screen.query_one(TranscriptView)
        # the paragraph holding 20:00, or one starting within that second (tui.timeline.landing)
        assert view.segments[view.cursor].start < 1201
        assert view.cursor + 1 == len(view.segments) or view.segments[view.cursor + 1].start >= 1201
        await pilot.press("escape")  # back to the list of that one talk
        await pilot.pause()
        assert isinstance(app.screen, TalkListScreen)


async def test_seed_library_end_to_end(seeds, copied):
    """The walk the issue asks for: open the 004 talk, search `suitskiver`, copy a quote, quit."""
    app = TalkshelfApp(None, config=Config(), library_path=seeds)
    async with app.run_test(size=SIZE) as pilot:
        await until_library(app, pilot)
        talks = app.screen.query_one(TalkList)
        assert len(talks.talks) == 2
        talks.select_talk(app.library.find("Wmo2vR7U9ck").id)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("slash", *"suitskiver", "enter")  # Enter closes the bar, the matches stay
        await pilot.pause()
        view = app.screen.query_one(TranscriptView)
        assert view.search_status.total >= 1
        await pilot.press("y")
        await pilot.pause()
        assert "suitskiver" in copied[0].casefold()
        assert "(https://youtu.be/Wmo2vR7U9ck?t=" in copied[0]
        await pilot.press("q")
        await pilot.pause()
    assert not app.is_running


async def test_typing_on_the_list_starts_the_filter_and_bound_keys_still_act():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.focused, TalkList)
        await pilot.press(*"optimsation")  # 'o' is bound to nothing here: it starts the filter
        await pilot.pause()
        assert isinstance(app.focused, Input) and app.focused.value == "optimsation"
        talks = app.screen.query_one(TalkList)
        assert [talks.talks[i].id for i in talks.rows] == ["lecture-three"]
        await pilot.press("escape")  # clears the filter
        await pilot.pause()
        app.screen.query_one(TalkList).focus()
        await pilot.press("exclamation_mark")  # a bound symbol keeps its action
        await pilot.pause()
        assert isinstance(app.screen, ProblemsScreen)


async def test_keys_typed_faster_than_the_focus_moves_all_reach_the_filter():
    from textual import events

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        # As the terminal driver delivers a fast burst (or a paste): the app forwards each key
        # to the focused widget's queue before that widget has handled the first.
        for ch in "optsmq":
            app.post_message(events.Key(ch, ch))
        await pilot.pause()
        assert isinstance(app.screen, TalkListScreen)  # 's', 'm', 'q' typed, not run
        assert app.screen.query_one("#filter", Input).value == "optsmq"


async def test_quitting_while_the_library_is_scanned_raises_nothing(tmp_path):
    """The scan's file counts may arrive after the list's widgets are gone (ctrl+q during a scan)."""
    for i in range(400):
        (tmp_path / f"talk {i}.srt").write_text(f"1\n00:00:01,000 --> 00:00:02,000\nline {i}\n", encoding="utf-8")
    for _ in range(3):
        app = TalkshelfApp(None, config=Config(), library_path=tmp_path)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            await pilot.press("ctrl+q")
    screen = TalkListScreen()  # and to a screen never composed, a count changes nothing
    screen.show_scan_progress(3)
