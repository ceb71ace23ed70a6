"""Play a talk's audio (or video) through mpv, and say where it is.

mpv runs as its own process, driven over its JSON IPC socket
(`--input-ipc-server`) through python-mpv-jsonipc. That library, rather than
a client of our own, because it already does the parts that are easy to get
wrong: starting mpv and waiting for its socket, naming an option mpv rejects,
matching replies to requests from several threads, telling us when the
connection dies (mpv killed, or closed by the user), and a bounded teardown
(terminate, then kill) that never returns while mpv may still run. This module
wraps it so nothing else in talkshelf knows it exists.

Nothing here knows of Textual. The playing moment is *observed* (mpv pushes
`time-pos` changes over the socket to the library's reader thread), so there is
no polling loop; a screen reads `Player.state` when it redraws. Callbacks given
to the constructor run on the library's event thread: a UI marshals them.
"""

from __future__ import annotations

import atexit
import logging
import os
import shutil
import tempfile
import threading
import weakref
from dataclasses import dataclass, replace
from typing import Callable, Sequence

log = logging.getLogger(__name__)

# The library logs a connection that dies as an ERROR with a traceback; for us
# that is an event we report (on_exit), not a fault, and a traceback on stderr
# would land on the terminal under the TUI.
logging.getLogger("mpv-jsonipc").addHandler(logging.NullHandler())
logging.getLogger("mpv-jsonipc").propagate = False

SPEED_STEPS = (0.5, 0.75, 0.9, 1.0, 1.1, 1.25, 1.5, 1.75, 2.0, 2.5, 3.0)

MPV_MISSING = (
    "Playing needs mpv, which is not installed. Install it with your package manager "
    "(Debian/Ubuntu: sudo apt install mpv; macOS: brew install mpv), then press p again."
)


# Every player with an mpv running, so that an interpreter exit (even one where
# no screen got to stop its player) leaves no mpv behind.
_LIVE: "weakref.WeakSet[Player]" = weakref.WeakSet()


@atexit.register
def _stop_all() -> None:
    for player in list(_LIVE):
        player.stop()


class PlayerError(Exception):
    """mpv could not be started or driven; the message is written for a person."""


@dataclass(slots=True, frozen=True)
class PlayerState:
    """What mpv last told us. `time` is None until the file has loaded."""

    time: float | None = None
    duration: float | None = None
    paused: bool = False
    speed: float = 1.0
    loaded: bool = False
    ended: bool = False  # reached the end of the file (mpv keeps it open, paused)


def find_mpv(path: str | None = None) -> str | None:
    """The mpv executable to run (the configured one, else mpv on PATH), or None."""
    if path:
        path = os.path.expanduser(path)
        return path if os.access(path, os.X_OK) else shutil.which(path)
    return shutil.which("mpv")


def is_url(source: str) -> bool:
    return "://" in source and not source.startswith("file://")


def next_speed(speed: float, direction: int) -> float:
    """The next step of SPEED_STEPS above (direction > 0) or below the current speed."""
    if direction > 0:
        return next((s for s in SPEED_STEPS if s > speed + 1e-6), SPEED_STEPS[-1])
    return next((s for s in reversed(SPEED_STEPS) if s < speed - 1e-6), SPEED_STEPS[0])


class Player:
    """One mpv process playing one source.

    `start` blocks while mpv starts (about a tenth of a second; run it off the UI
    thread); every other command is sent without waiting for mpv's answer, so a
    busy or dying mpv never holds up the caller.

    `on_change()` is called when the state changes (often: every time-pos step);
    `on_exit(message)` once when mpv goes away without `stop` being called (the
    user closed its window, it was killed, it crashed) or could not open the
    source; the message says what happened, and stays in `exit_message`.
    """

    def __init__(
        self,
        *,
        mpv: str | None = None,
        video: bool = False,
        options: Sequence[str] = (),
        on_change: Callable[[], None] | None = None,
        on_exit: Callable[[str], None] | None = None,
    ) -> None:
        self._mpv_path = mpv
        self.video = video
        self.options = tuple(options)
        self.on_change = on_change
        self.on_exit = on_exit
        self._mpv = None
        self._lock = threading.Lock()
        self._state = PlayerState()
        self._stopping = False
        self._exited = False
        self._pending_seek: float | None = None
        self._socket_dir: str | None = None
        self.source: str | None = None
        self.pid: int | None = None
        self.exit_message: str | None = None

    # -- what mpv said --------------------------------------------------------

    @property
    def state(self) -> PlayerState:
        return self._state

    @property
    def running(self) -> bool:
        return self._mpv is not None and not self._exited and not self._stopping

    def _update(self, **changes) -> None:
        with self._lock:
            self._state = replace(self._state, **changes)
        if self.on_change is not None:
            try:
                self.on_change()
            except Exception:  # a UI bug must not end the library's event thread
                log.exception("on_change failed")

    # -- starting and stopping ------------------------------------------------

    def start(self, source: str, at: float = 0.0) -> None:
        """Start mpv playing `source` (a file path or a URL) from `at` seconds.

        Raises PlayerError when mpv is missing or will not start. A source mpv
        cannot open is reported later, through `on_exit`, since a URL may take
        seconds to resolve.
        """
        if self._mpv is not None:
            raise PlayerError("This player has already been started.")
        executable = find_mpv(self._mpv_path)
        if executable is None:
            raise PlayerError(MPV_MISSING if not self._mpv_path else
                              f"mpv was not found at {self._mpv_path} (the `mpv` setting in config.toml).")
        try:
            from python_mpv_jsonipc import MPV, MPVError
        except ImportError as exc:  # pragma: no cover - a broken install
            raise PlayerError(f"The python-mpv-jsonipc package is missing ({exc}); reinstall talkshelf.") from exc

        self.source = source
        # A private folder for the socket: nobody else on the machine can reach it.
        self._socket_dir = tempfile.mkdtemp(prefix="talkshelf-mpv-")
        socket_path = os.path.join(self._socket_dir, "ipc")
        watchdog = os.path.join(self._socket_dir, "orphan.lua")
        with open(watchdog, "w", encoding="utf-8") as f:
            f.write(_ORPHAN_WATCHDOG.replace("@PARENT@", str(os.getpid())))
        options: dict[str, object] = {
            # mpv quits once talkshelf is gone without stopping it (killed, crashed).
            "script": watchdog,
            # Nothing drawn over the terminal, no key read from it.
            "terminal": False,
            "input_terminal": False,
            "idle": True,  # an error leaves mpv running so we can say what it was
            "keep_open": True,  # at the end: paused on the last moment, seekable
            "start": f"{max(0.0, at):.3f}",
        }
        if not self.video:
            options["video"] = False
        options.update(_option_kwargs(self.options))  # the user's options win
        try:
            self._mpv = MPV(
                ipc_socket=socket_path,
                mpv_location=executable,
                start_retries=1,
                discard_output=True,
                quit_callback=self._on_quit,
                **options,
            )
        except MPVError as exc:
            self._cleanup_socket_dir()
            detail = getattr(exc, "bad_option", None)
            if detail:
                raise PlayerError(f"mpv rejected the option --{detail}.") from exc
            raise PlayerError(f"mpv did not start: {exc}") from exc
        except (OSError, TimeoutError) as exc:
            self._cleanup_socket_dir()
            raise PlayerError(f"mpv did not start: {exc}") from exc
        _LIVE.add(self)
        process = getattr(self._mpv, "mpv_process", None)
        self.pid = process.process.pid if process is not None else None
        mpv = self._mpv
        mpv.bind_event("file-loaded", self._on_loaded)
        mpv.bind_event("end-file", self._on_end_file)
        for name in ("time-pos", "duration", "pause", "speed", "eof-reached"):
            mpv.bind_property_observer(name, self._on_property)
        self._command("loadfile", source, "replace")

    def stop(self) -> None:
        """Stop mpv and wait until its process is gone. Safe to call twice."""
        self._stopping = True
        mpv, self._mpv = self._mpv, None
        if mpv is not None:
            try:
                # Ask politely first: mpv exits at once on `quit`, without the signal.
                mpv.command_async("quit")
            except Exception:
                pass
            try:
                mpv.terminate()
            except Exception:
                log.exception("stopping mpv")
        self._cleanup_socket_dir()
        _LIVE.discard(self)

    def _cleanup_socket_dir(self) -> None:
        folder, self._socket_dir = self._socket_dir, None
        if folder:
            shutil.rmtree(folder, ignore_errors=True)

    # -- commands ---------------------------------------------------------------

    def _command(self, *args) -> None:
        mpv = self._mpv
        if mpv is None or self._exited:
            return
        try:
            mpv.command_async(*args, callback=self._on_reply(args[0]))
        except Exception as exc:  # the connection closed under us: on_exit says so
            log.debug("mpv command %s failed: %s", args[0], exc)

    @staticmethod
    def _on_reply(name: str):
        def check(error, result):
            if error is not None:
                log.debug("mpv %s: %s", name, error)
            return result

        return check

    def seek(self, seconds: float) -> None:
        """Go to `seconds` from the start of the talk (and keep playing or paused as before)."""
        seconds = max(0.0, seconds)
        if not self._state.loaded:
            self._pending_seek = seconds  # applied when the file has loaded
            return
        self._command("seek", seconds, "absolute+exact")
        self._update(time=seconds, ended=False)

    def seek_by(self, delta: float) -> None:
        now = self._state.time
        if now is None:
            return
        target = max(0.0, now + delta)
        if self._state.duration:
            target = min(target, self._state.duration)
        self.seek(target)

    def play_from(self, seconds: float) -> None:
        """Seek to `seconds` and play."""
        self.seek(seconds)
        self.resume()

    def pause(self) -> None:
        self._command("set_property", "pause", True)

    def resume(self) -> None:
        self._command("set_property", "pause", False)

    def toggle_pause(self) -> None:
        if self._state.paused:
            self.resume()
        else:
            self.pause()

    def set_speed(self, speed: float) -> None:
        speed = min(max(speed, 0.25), 4.0)
        self._command("set_property", "speed", speed)
        self._update(speed=speed)

    def change_speed(self, direction: int) -> float:
        speed = next_speed(self._state.speed, direction)
        self.set_speed(speed)
        return speed

    # -- what mpv tells us (the library's event thread) -------------------------

    def _on_property(self, name: str, value) -> None:
        if name == "time-pos":
            if value is not None:
                self._update(time=float(value))
        elif name == "duration":
            self._update(duration=float(value) if value is not None else None)
        elif name == "pause":
            self._update(paused=bool(value))
        elif name == "speed":
            if value is not None:
                self._update(speed=float(value))
        elif name == "eof-reached":
            self._update(ended=bool(value))

    def _on_loaded(self, _data) -> None:
        pending, self._pending_seek = self._pending_seek, None
        self._update(loaded=True)
        if pending is not None:
            self.seek(pending)

    def _on_end_file(self, data) -> None:
        if data.get("reason") != "error" or self._stopping:
            return
        reason = data.get("file_error") or "unknown error"
        source = self.source or ""
        message = f"mpv could not play {source}: {reason}."
        if is_url(source) and shutil.which("yt-dlp") is None:
            message += " Links to video sites need yt-dlp (pip install yt-dlp), which mpv uses to open them."
        self._tell_exit(message)
        # mpv is idle with nothing to play: end it rather than leave it behind.
        threading.Thread(target=self.stop, name="mpv-stop", daemon=True).start()

    def _on_quit(self) -> None:
        if self._stopping:
            return
        self._tell_exit("mpv stopped (its window was closed, or it was ended or crashed); press p to play again.")

    def _tell_exit(self, message: str) -> None:
        if self._exited:
            return
        self._exited = True
        self.exit_message = message
        if self.on_exit is not None:
            try:
                self.on_exit(message)
            except Exception:
                log.exception("on_exit failed")


# An mpv script: quit when the process that started mpv is no longer its parent
# (it died and mpv was handed to init), checked each second. Linux reads
# /proc; elsewhere `ps` says.
_ORPHAN_WATCHDOG = """\
local utils = require "mp.utils"
local parent = "@PARENT@"
local function ppid()
    local f = io.open("/proc/self/stat", "r")
    if f then
        local stat = f:read("*l") or ""
        f:close()
        return stat:match("^%d+ %b() %S+ (%d+)")
    end
    local r = utils.subprocess({args = {"ps", "-o", "ppid=", "-p", tostring(mp.get_property("pid"))}, playback_only = false})
    return r.status == 0 and (r.stdout or ""):match("(%d+)") or nil
end
mp.add_periodic_timer(1, function()
    local now = ppid()
    if now ~= nil and now ~= parent then
        mp.commandv("quit")
    end
end)
"""


def _option_kwargs(options: Sequence[str]) -> dict[str, object]:
    """`--ao=null`, `--no-config`, `volume=80` as the library's keyword options."""
    result: dict[str, object] = {}
    for option in options:
        option = option.strip()
        if not option:
            continue
        option = option.removeprefix("--")
        name, sep, value = option.partition("=")
        if not sep:
            if name.startswith("no-"):
                name, value = name[3:], False
            else:
                value = True
        result[name.replace("-", "_")] = value
    return result
