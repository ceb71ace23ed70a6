"""Play-along for a screen that shows a talk: its keys, and the text following mpv.

`PlayAlongScreen` is the talk screen's base class (a base, not a mixin:
Textual gathers BINDINGS only from DOM classes). A subclass provides `talk`,
`config` (the settings: play.mpv and kin), `view` (its TranscriptView) and
`refresh_header()`; it reads `play_status()` for its header, and
`playing_time()` for quotes and bookmarks.

While mpv plays, the paragraph being spoken is marked (and the word, where the
captions time words: tui/word_times.py) and the cursor follows it, so
it stays in view. Moving the cursor or scrolling away stops the
following (the header says so); `P` goes back to the playing moment, and `p`
on another paragraph plays from there. mpv's position is observed over its
socket by tui/player.py; this screen reads it five times a second, and that
timer runs only while something plays.
"""

from __future__ import annotations

from typing import Any

from textual import on, work
from textual.binding import Binding
from textual.screen import Screen
from textual.timer import Timer

from tui.config import Config
from tui.model import Talk, format_time
from tui.player import MPV_MISSING, Player, PlayerError, find_mpv
from tui.playalong import NO_SOURCE, Source, link_note, play_source, status_text
from tui.word_times import word_span_at
from widgets.screen_layout import LaidOutOnce
from widgets.summary_view import SummaryView
from widgets.thread_work import forgets_its_worker
from widgets.transcript_view import TranscriptView

SEEK_STEP = 5.0
TICK = 0.2  # seconds between looks at mpv's position (5 a second)


class PlayAlongScreen(LaidOutOnce, Screen[None]):
    """A screen whose talk can be played through mpv while its transcript follows."""

    BINDINGS = [
        Binding("p", "play", "Play here / pause", show=False, id="play.toggle"),
        Binding("comma", "play_back", "Back 5 s", show=False, id="play.back"),
        Binding("full_stop", "play_forward", "Forward 5 s", show=False, id="play.forward"),
        Binding("minus", "play_slower", "Slower", show=False, id="play.slower"),
        Binding("plus,equals_sign", "play_faster", "Faster", show=False, id="play.faster"),
        Binding("P", "go_to_playing", "Go to the playing moment", show=False, id="play.go_to_playing"),
    ]

    # What the subclass provides: its talk, its settings, and the pane keys act on.
    talk: Talk
    config: Config
    view: TranscriptView

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._player: Player | None = None
        self._play_starting = False
        self._play_timer: Timer | None = None
        self._play_following = True
        # Where following last left the cursor and the scroll: anything else means the user moved.
        self._play_follow_cursor: int | None = None
        self._play_follow_scroll: int | None = None
        self._play_told_second: int | None = None

    # -- what the subclass provides ---------------------------------------------------

    @property
    def play_view(self) -> TranscriptView:
        """The pane that follows what plays: `view` unless the subclass has several panes."""
        return self.view

    def refresh_header(self) -> None:  # pragma: no cover - the subclass's
        pass

    # -- what the subclass reads ----------------------------------------------------------

    @property
    def player(self) -> Player | None:
        return self._player

    def play_status(self) -> str | None:
        """The header's play status, or None when nothing plays."""
        if self._play_starting:
            return "▶ starting mpv…"
        player = self._player
        if player is None:
            return None
        return status_text(player.state, following=self._play_following)

    def playing_time(self) -> float | None:
        """The playing moment, when the cursor is on the paragraph being played (else None)."""
        player = self._player
        view = self.play_view
        if player is None or not player.running or player.state.time is None:
            return None
        if view.playing is None or view.cursor != view.playing or view.selection is not None:
            return None
        return player.state.time

    # -- keys -----------------------------------------------------------------------------------

    def action_play(self) -> None:
        """Pause or resume; on another paragraph than the playing one, play from there."""
        if self._play_starting:
            return
        player = self._player
        view = self.play_view
        if player is not None and player.running:
            at = self._cursor_time()
            if self.view is view:
                on_playing = view.cursor == view.playing
            else:  # reading another pane (the summary): it is on the playing moment while it follows
                on_playing = self._play_following
            if on_playing or at is None:
                player.toggle_pause()
            else:
                player.play_from(at)
                self._play_follow_again()
            self._play_tick()
            return
        self._drop_player()
        source = play_source(self.talk)
        if source is None:
            self.notify(NO_SOURCE, title="Cannot play", severity="warning", timeout=12)
            return
        config = self.config
        if find_mpv(config.mpv) is None:
            message = MPV_MISSING if not config.mpv else f"mpv was not found at {config.mpv} (play.mpv in config.toml)."
            self.notify(message, title="Cannot play", severity="warning", timeout=12)
            return
        at = self._cursor_time() or 0.0
        note = link_note(source)
        self.notify(
            f"Playing {source.describe()} from {format_time(at)}" + (f". Note: {note}." if note else ""),
            timeout=8 if note else 3,
        )
        self._play_starting = True
        self.refresh_header()
        self._start_player(source, at, config.mpv, config.play_video, tuple(config.mpv_options))

    def action_play_back(self) -> None:
        if self._playing_or_tell():
            self._player.seek_by(-SEEK_STEP)  # type: ignore[union-attr]
            self._play_tick()

    def action_play_forward(self) -> None:
        if self._playing_or_tell():
            self._player.seek_by(SEEK_STEP)  # type: ignore[union-attr]
            self._play_tick()

    def action_play_slower(self) -> None:
        self._change_speed(-1)

    def action_play_faster(self) -> None:
        self._change_speed(+1)

    def action_go_to_playing(self) -> None:
        if self._playing_or_tell():
            self._play_follow_again()
            self._play_tick()

    def _change_speed(self, direction: int) -> None:
        if self._playing_or_tell():
            speed = self._player.change_speed(direction)  # type: ignore[union-attr]
            self.notify(f"Speed ×{speed:g}", timeout=2)
            self.refresh_header()

    def _playing_or_tell(self) -> bool:
        if self._player is not None and self._player.running:
            return True
        if not self._play_starting:
            self.notify("Nothing is playing: p plays the talk from the cursor.", timeout=4)
        return False

    def _cursor_time(self) -> float | None:
        """Where the cursor is: its paragraph's start, or the moment a summary pane reads."""
        if self.view is not self.play_view:
            moment = getattr(self.view, "moment", None)
            if moment is not None:
                return moment
        view = self.play_view
        if not view.segments:
            return None
        return view.segments[view.cursor].start

    def _play_follow_again(self) -> None:
        self._play_following = True
        self._play_follow_cursor = None
        self._play_follow_scroll = None

    # -- starting and stopping mpv -------------------------------------------------------------

    @work(thread=True, exclusive=True, group="play")
    @forgets_its_worker
    def _start_player(self, source: Source, at: float, mpv: str | None, video: bool, options: tuple[str, ...]) -> None:
        player = Player(mpv=mpv, video=video, options=options)
        try:
            player.start(source.location, at)
        except PlayerError as exc:
            self._from_thread(self._play_failed, str(exc))
            return
        if not self._from_thread(self._play_started, player):
            player.stop()  # the app is closing: nobody will stop it otherwise

    def _from_thread(self, callback, *args) -> bool:
        try:
            self.app.call_from_thread(callback, *args)
            return True
        except Exception:  # the app is no longer running
            return False

    def _play_started(self, player: Player) -> None:
        self._play_starting = False
        if not self.is_attached:  # the talk was closed while mpv started
            player.stop()
            return
        self._player = player
        self._play_follow_again()
        self._play_told_second = None
        self._play_timer = self.set_interval(TICK, self._play_tick)
        self.refresh_header()

    def _play_failed(self, message: str) -> None:
        self._play_starting = False
        if self.is_attached:
            self.notify(message, title="Cannot play", severity="error", timeout=12)
            self.refresh_header()

    def _drop_player(self, *, redraw: bool = True) -> None:
        """Forget the player (stopping mpv if it still runs) and, with `redraw`, every trace of it on screen."""
        player, self._player = self._player, None
        if self._play_timer is not None:
            self._play_timer.stop()
            self._play_timer = None
        if player is None:
            return
        player.stop()
        if redraw:
            self.play_view.set_playing(None)
            self.refresh_header()

    def stop_playing(self) -> None:
        self._drop_player()

    def on_unmount(self) -> None:
        # Closing the talk (or quitting) ends mpv: no process is left behind.
        self._drop_player(redraw=False)

    # -- following ------------------------------------------------------------------------------

    def _play_tick(self) -> None:
        player = self._player
        if player is None:
            return
        if player.exit_message is not None:
            message = player.exit_message
            self._drop_player()
            self.notify(message, title="Playback ended", severity="warning", timeout=10)
            return
        state = player.state
        view = self.play_view
        if state.time is not None:
            if view.segments:
                index = view.index_at_time(state.time)
                word = word_span_at(view.segments[index], state.time)
                view.set_playing(index, word)
                self._play_follow(index)
            second = int(state.time)
            if second != self._play_told_second:
                self._play_told_second = second
                self._show_moment_elsewhere(state.time)
        self.refresh_header()

    def _play_follow(self, index: int) -> None:
        view = self.play_view
        if not self._play_following:
            return
        moved = self._play_follow_cursor is not None and view.cursor != self._play_follow_cursor
        scrolled = (
            self._play_follow_scroll is not None
            and view.scroll_offset.y != self._play_follow_scroll
            and not view.segment_in_view(index)
        )
        if moved or scrolled:
            self._play_following = False  # the user went elsewhere: the header says how to come back
            return
        if not view.segment_in_view(index, whole=True):
            view.jump_to_segment(index)  # near the top: what comes next is in view too
        elif view.cursor != index:
            view.cursor = index
        self._play_follow_cursor = index
        self._play_follow_scroll = view.scroll_offset.y

    def _show_moment_elsewhere(self, seconds: float) -> None:
        """Panes beside the transcript (the summary) highlight what covers this moment, while following."""
        if not self._play_following:
            return
        for pane in self.query(SummaryView):
            pane.show_moment(seconds)

    @on(SummaryView.Moved)
    def _play_summary_moved(self, event: SummaryView.Moved) -> None:
        # The user moved in the summary (its own moves post nothing): they read elsewhere now.
        if self._player is not None:
            self._play_following = False
            self.refresh_header()
