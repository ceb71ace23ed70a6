"""Play-along in the app against a real mpv (`--ao=null --vo=null`): the generated talk's
60 s of audio beside its generated transcript (tests/gen/media.py)."""

from __future__ import annotations

import asyncio
import os
import signal
import time
from pathlib import Path

import pyperclip
import pytest

from bisect import bisect_right

from tests.gen.captions import make_talk, youtube_vtt
from tests.gen.media import make_audio, make_transcript, require_mpv_and_sox, said, serve_folder
from tui.app import TalkshelfApp
from tui.config import Config
from tui.library import Library, scan
from tui.model import Talk
from tui.player import MPV_MISSING
from tui.playalong import NO_SOURCE
from tui.readers import media_document, read_path
from widgets.talk_screen import TalkScreen
from widgets.summary_view import SummaryView
from widgets.transcript_view import TranscriptView
from notices import Notices

SIZE = (100, 30)
QUIET = ["--ao=null", "--vo=null", "--no-config"]


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    require_mpv_and_sox()
    folder = tmp_path_factory.mktemp("talk")
    make_audio(folder / "talk.wav")
    make_transcript(folder / "talk.srt")
    return folder


def talk_at(folder: Path, url: str | None) -> Library:
    transcript = read_path(folder / "talk.srt")[0]
    talk = Talk("generated", "A generated talk", "Test channel", url=url, duration=60.0, documents=[transcript])
    return Library(folder, [talk], [])


def make_app(library: Library, **config) -> TalkshelfApp:
    config.setdefault("mpv_options", QUIET)
    return TalkshelfApp(library, config=Config(**config))


async def open_talk(pilot) -> TalkScreen:
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, TalkScreen)
    return screen


async def wait_until(pilot, condition, timeout: float = 6.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        await pilot.pause()
        if condition():
            return True
        await asyncio.sleep(0.05)
    return condition()


def header(screen: TalkScreen) -> str:
    return str(screen.query_one("#talk-header").render())


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/status") as f:
            return "zombie" not in f.read().lower()
    except OSError:
        return False


async def test_plays_along_by_url_seeks_pauses_quotes_and_quits_clean(folder, monkeypatch):
    copied: list[str] = []
    monkeypatch.setattr(pyperclip, "copy", copied.append)
    with serve_folder(folder) as base:
        app = make_app(talk_at(folder, f"{base}/talk.wav"), quote_template="{text} @{seconds}")
        notices = Notices()
        async with app.run_test(size=SIZE, message_hook=notices) as pilot:
            screen = await open_talk(pilot)
            view = screen.query_one(TranscriptView)
            view.jump_to_time(10)
            await pilot.press("p")
            assert await wait_until(pilot, lambda: screen.player is not None and screen.player.state.time is not None)
            player = screen.player
            pid = player.pid
            await asyncio.sleep(2)
            # Held still where it is (a busy machine must not move it on between looking and checking).
            player.pause()
            assert await wait_until(pilot, lambda: player.state.paused)
            await asyncio.sleep(0.1)
            screen._play_tick()
            now = player.state.time
            assert 11.5 <= now < 13, now
            marked = view.segments[view.playing]
            assert marked.start == 11 and said(11) in marked.text  # the paragraph from 00:11 to 00:13
            assert view.cursor == view.playing  # the cursor follows
            assert "00:00:1" in header(screen) and "/ 00:01:00" in header(screen)
            await pilot.press("p")  # on the playing paragraph: plays on
            assert await wait_until(pilot, lambda: not player.state.paused and "▶ 00:00:1" in header(screen))

            # A quote while playing takes the moment heard, not the paragraph's start.
            before = int(player.state.time)
            await pilot.press("y")
            after = int(player.state.time)
            assert copied and said(11) in copied[-1]
            quoted = int(copied[-1].rsplit("@", 1)[1])
            assert before <= quoted <= after and quoted >= 11

            # So does a bookmark.
            before = player.state.time
            await pilot.press("b")
            after = player.state.time
            (item,) = app.notes_store().items_for_talk(screen.store_key)
            assert before <= item.seconds <= after and item.seconds > 11, (before, item.seconds, after)
            assert item.opening.startswith("this is the part at second one one")
            assert any(m.startswith("Bookmarked 00:00:1") for m in notices.messages)

            # Seek forward and back 5 s.
            start = player.state.time
            await pilot.press("full_stop")
            assert await wait_until(pilot, lambda: player.state.time >= start + 4.5)
            await pilot.press("comma")
            assert await wait_until(pilot, lambda: player.state.time < start + 2)

            # Pause on the playing paragraph: the time holds and the header says so.
            await pilot.press("p")
            assert await wait_until(pilot, lambda: player.state.paused and "⏸" in header(screen))
            # Faster.
            await pilot.press("plus")
            assert await wait_until(pilot, lambda: "×1.1" in header(screen))

            # Going elsewhere stops the following; P comes back.
            await pilot.press("g")
            assert await wait_until(pilot, lambda: "P: back to it" in header(screen))
            assert view.cursor == 0
            await pilot.press("P")
            assert await wait_until(pilot, lambda: view.cursor == view.playing and "P: back" not in header(screen))

            # Moving the cursor and pressing play seeks there (and plays).
            view.jump_to_time(40)
            await pilot.press("p")
            assert await wait_until(pilot, lambda: 40 <= player.state.time < 42 and not player.state.paused)
            assert await wait_until(pilot, lambda: view.segments[view.playing].start == 40)
            assert alive(pid)
            await pilot.press("q")
        assert not alive(pid)  # quitting the app ends mpv


async def test_plays_the_talks_media_file_closing_stops_mpv_and_a_killed_mpv_is_told(folder):
    library = scan(folder)  # the folder as a user has it: talk.srt beside talk.wav
    assert [t.media for t in library.talks] == [folder / "talk.wav"]
    app = make_app(library)
    notices = Notices()
    async with app.run_test(size=SIZE, message_hook=notices) as pilot:
        screen = await open_talk(pilot)
        await pilot.press("p")
        assert await wait_until(pilot, lambda: screen.player is not None and screen.player.state.time is not None)
        assert screen.player.source == str(folder / "talk.wav")
        pid = screen.player.pid
        await pilot.press("escape")  # back to the list
        await pilot.pause()
        assert not alive(pid)

        screen = await open_talk(pilot)
        await pilot.press("p")
        assert await wait_until(pilot, lambda: screen.player is not None and screen.player.state.time is not None)
        os.kill(screen.player.pid, signal.SIGKILL)
        assert await wait_until(pilot, lambda: screen.player is None)
        assert any("mpv stopped" in m for m in notices.messages)
        assert screen.query_one(TranscriptView).playing is None
        assert "▶" not in header(screen)
        assert isinstance(app.screen, TalkScreen)  # told, not a crash


async def test_where_the_captions_time_words_the_word_being_said_is_marked(tmp_path):
    require_mpv_and_sox()
    said_words = make_talk(7, 140, punctuation=True)  # about a minute of speech, every word timed
    (tmp_path / "talk.en.vtt").write_text(youtube_vtt(said_words), encoding="utf-8")
    make_audio(tmp_path / "talk.wav")
    app = make_app(scan(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_talk(pilot)
        view = screen.query_one(TranscriptView)
        view.jump_to_time(20)
        await pilot.press("p")
        assert await wait_until(pilot, lambda: screen.player is not None and screen.player.state.time is not None)
        await asyncio.sleep(1.5)
        screen.player.pause()
        assert await wait_until(pilot, lambda: screen.player.state.paused)
        await asyncio.sleep(0.1)
        screen._play_tick()
        now = screen.player.state.time
        k = bisect_right(said_words.starts, now) - 1
        a, b = view._playing_span
        shown = view.segments[view.playing].text[a:b]
        assert shown.strip(".,!?").lower() == said_words.words[k].strip(".,!?").lower(), (now, shown, said_words.words[k])
        # Drawn: that word, and only it, underlined on screen.
        drawn = [
            seg.text for y in range(view.size.height) for seg in view.render_line(y)
            if seg.style is not None and seg.style.underline
        ]
        assert drawn == [shown]


SUMMARY = """From: Test channel

Opening
• The start of the talk [00:00:00]
• The part from ten seconds on [00:00:10]

Middle
• The part from thirty seconds on [00:00:30]
• The part from forty-five seconds on [00:00:45]
"""


@pytest.mark.parametrize("with_transcript", [True, False])
async def test_the_summary_pane_follows_the_playing_moment(folder, tmp_path, with_transcript):
    (tmp_path / "summary.txt").write_text(SUMMARY, encoding="utf-8")
    documents = read_path(tmp_path / "summary.txt")
    if with_transcript:
        documents = read_path(folder / "talk.srt") + documents
    talk = Talk("generated", "A generated talk", url=None, duration=60.0, documents=documents)
    talk.documents.append(media_document(folder / "talk.wav"))
    app = make_app(Library(tmp_path, [talk], []))
    async with app.run_test(size=(140, 30)) as pilot:  # wide: both panes side by side
        screen = await open_talk(pilot)
        summary = screen.query_one(SummaryView)
        if with_transcript:
            screen.play_view.jump_to_time(30)
        else:
            summary.show_moment(30)
        await pilot.press("p")
        assert await wait_until(pilot, lambda: screen.player is not None and (screen.player.state.time or 0) >= 31)
        assert await wait_until(pilot, lambda: summary.block is not None and "thirty seconds" in summary.block.text)
        # Moving in the summary is reading elsewhere: following stops until P.
        if not with_transcript:
            summary.focus()
        screen.set_focus(summary)
        await pilot.press("up")
        assert await wait_until(pilot, lambda: "P: back to it" in header(screen))
        held = summary.cursor
        await asyncio.sleep(1.2)
        await pilot.pause()
        assert summary.cursor == held
        await pilot.press("P")
        assert await wait_until(pilot, lambda: "thirty seconds" in summary.block.text and "P: back" not in header(screen))


async def test_without_mpv_or_without_a_source_p_says_what_is_missing(folder, monkeypatch):
    app = make_app(talk_at(folder, None))
    notices = Notices()
    async with app.run_test(size=SIZE, message_hook=notices) as pilot:
        await open_talk(pilot)
        await pilot.press("p")
        await pilot.pause()
        assert NO_SOURCE in notices.messages

    monkeypatch.setenv("PATH", "/nonexistent")
    app = make_app(talk_at(folder, "http://127.0.0.1:9/talk.wav"))
    notices = Notices()
    async with app.run_test(size=SIZE, message_hook=notices) as pilot:
        screen = await open_talk(pilot)
        await pilot.press("p")
        await pilot.pause()
        assert MPV_MISSING in notices.messages
        assert screen.player is None
        await pilot.press("full_stop")
        await pilot.pause()
        assert any("Nothing is playing" in m for m in notices.messages)


async def test_play_keys_have_ids_are_remappable_and_in_the_palette(folder, monkeypatch):
    from tui.app import binding_ids
    from widgets.palette_commands import TalkshelfCommands

    ids = {"play.toggle", "play.back", "play.forward", "play.slower", "play.faster", "play.go_to_playing"}
    assert ids <= binding_ids()
    monkeypatch.setenv("PATH", "/nonexistent")
    app = make_app(talk_at(folder, "http://127.0.0.1:9/talk.wav"), keys={"play.toggle": "ctrl+o"})
    notices = Notices()
    async with app.run_test(size=SIZE, message_hook=notices) as pilot:
        screen = await open_talk(pilot)
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert MPV_MISSING in notices.messages
        provider = TalkshelfCommands(screen)
        names = {hit.text async for hit in provider.discover()}  # what the palette lists
        assert {"Play here / pause", "Back 5 s", "Forward 5 s", "Slower", "Faster", "Go to the playing moment"} <= names
