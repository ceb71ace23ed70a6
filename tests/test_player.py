"""The mpv player against a real mpv (`--ao=null --vo=null`) and a generated 60 s file."""

from __future__ import annotations

import os
import signal
import threading
import time

import pytest

from tests.gen.media import make_audio, require_mpv_and_sox, serve_folder
from tui.player import MPV_MISSING, Player, PlayerError, next_speed

QUIET = ("--ao=null", "--vo=null", "--no-config")


@pytest.fixture(scope="module")
def audio(tmp_path_factory):
    require_mpv_and_sox()
    return make_audio(tmp_path_factory.mktemp("media") / "talk.wav")


def wait_for(condition, timeout=5.0):
    """Wait until condition() is true (checked 20 times a second); False on timeout."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def alive(pid: int) -> bool:
    return os.path.exists(f"/proc/{pid}") and "zombie" not in _status(pid)


def _status(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/status") as f:
            return f.read().lower()
    except OSError:
        return "zombie"


@pytest.fixture
def player():
    exits: list[str] = []
    changed = threading.Event()

    def on_change():
        changed.set()

    p = Player(options=QUIET, on_change=on_change, on_exit=exits.append)
    p.exits = exits  # type: ignore[attr-defined]
    yield p
    p.stop()


def test_plays_from_a_moment_and_follows_seek_pause_and_speed(player, audio):
    player.start(str(audio), at=10)
    assert wait_for(lambda: player.state.loaded and player.state.time is not None)
    time.sleep(2)
    now = player.state.time
    assert 11.2 <= now <= 13, now
    assert player.state.duration == pytest.approx(60, abs=0.5)

    player.seek(30)
    assert wait_for(lambda: 30 <= (player.state.time or 0) < 31)
    player.seek_by(-5)
    assert wait_for(lambda: 25 <= (player.state.time or 0) < 26.5)

    player.pause()
    assert wait_for(lambda: player.state.paused)
    time.sleep(0.3)  # the last time-pos mpv sent before it paused
    held = player.state.time
    time.sleep(0.5)
    assert player.state.time == pytest.approx(held, abs=0.05)

    player.change_speed(+1)
    assert wait_for(lambda: player.state.speed == pytest.approx(next_speed(1.0, 1)))
    player.set_speed(2.0)
    player.resume()
    assert wait_for(lambda: not player.state.paused)
    start, t0 = player.state.time, time.monotonic()
    time.sleep(1.5)
    gained = player.state.time - start
    elapsed = time.monotonic() - t0
    assert gained > 1.3 * elapsed, (gained, elapsed)  # twice as fast, give or take a busy machine
    assert player.exits == []


def test_stop_leaves_no_mpv_process(player, audio):
    player.start(str(audio), at=0)
    pid = player.pid
    assert pid and alive(pid)
    player.stop()
    assert not alive(pid)
    assert player.exits == []  # stopping is not news
    player.stop()  # twice is harmless


def test_an_mpv_killed_mid_play_is_told(player, audio):
    player.start(str(audio), at=5)
    assert wait_for(lambda: player.state.time is not None)
    os.kill(player.pid, signal.SIGKILL)
    assert wait_for(lambda: player.exits)
    assert "mpv stopped" in player.exits[0]
    assert not player.running
    player.seek(10)  # commands to a dead mpv are dropped, not raised
    player.toggle_pause()


def test_an_mpv_closed_by_its_user_is_told(player, audio):
    player.start(str(audio), at=5)
    assert wait_for(lambda: player.state.time is not None)
    pid = player.pid
    player._mpv.command_async("quit")  # what `q` in mpv's own window does
    assert wait_for(lambda: player.exits)
    assert "mpv stopped" in player.exits[0]
    assert wait_for(lambda: not alive(pid))


def test_a_link_that_fails_is_told(player, audio):
    with serve_folder(audio.parent) as base:
        player.start(f"{base}/no-such-talk.wav")
        assert wait_for(lambda: player.exits, timeout=8)
    assert "could not play" in player.exits[0] and "no-such-talk.wav" in player.exits[0]
    assert wait_for(lambda: not alive(player.pid))


def test_plays_the_same_file_by_url(player, audio):
    with serve_folder(audio.parent) as base:
        player.start(f"{base}/{audio.name}", at=20)
        assert wait_for(lambda: (player.state.time or 0) >= 20.3, timeout=8), player.state
        assert player.state.time < 25
        assert player.exits == []
        player.stop()


def test_a_source_mpv_cannot_open_is_told(player, tmp_path):
    require_mpv_and_sox()
    bad = tmp_path / "not-audio.mp3"
    bad.write_bytes(b"this is not a media file\n" * 50)
    player.start(str(bad))
    assert wait_for(lambda: player.exits, timeout=8)
    assert "could not play" in player.exits[0]
    assert wait_for(lambda: player.pid and not alive(player.pid))


def test_without_mpv_says_how_to_get_it(monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(PlayerError) as err:
        Player().start("talk.wav")
    assert str(err.value) == MPV_MISSING
    assert "apt install mpv" in str(err.value)


def test_speed_steps():
    assert next_speed(1.0, 1) == 1.1
    assert next_speed(1.0, -1) == 0.9
    assert next_speed(3.0, 1) == 3.0
    assert next_speed(0.5, -1) == 0.5
    assert next_speed(1.3, 1) == 1.5


def test_audio_only_unless_the_settings_ask_for_video(audio, tmp_path):
    from tui.config import load_config

    (tmp_path / "config.toml").write_text('[play]\nvideo = true\noptions = "--ao=null --vo=null --no-config"\n')
    config = load_config(tmp_path)
    assert config.problems == [] and config.play_video and config.mpv_options == list(QUIET)
    for video in (False, True):
        p = Player(video=video, options=config.mpv_options)
        try:
            p.start(str(audio))
            argv = p._mpv.mpv_process.argv
            assert ("--video=no" in argv) is (not video)
            assert "--terminal=no" in argv and "--ao=null" in argv
        finally:
            p.stop()


def test_mpv_quits_when_talkshelf_is_killed(audio):
    # A process that starts mpv and is then killed outright, as a crash or `kill -9` would.
    import subprocess
    import sys

    code = (
        "import os, signal, sys\n"
        "from tui.player import Player\n"
        f"p = Player(options={list(QUIET)!r})\n"
        f"p.start({str(audio)!r}, at=0)\n"
        "print(p.pid, flush=True)\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=30, cwd=os.getcwd())
    assert run.returncode == -signal.SIGKILL, run.stderr
    pid = int(run.stdout.split()[0])
    try:
        assert wait_for(lambda: not alive(pid), timeout=5.0), "mpv kept playing after talkshelf was killed"
    finally:
        if alive(pid):
            os.kill(pid, signal.SIGKILL)
