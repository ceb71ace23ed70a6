"""A talk to play: a generated audio file beside a generated transcript.

The audio is made by sox in the test (never committed): one tone per ten
seconds, so a listener (or a test) can tell where it is. The transcript is SRT
with a paragraph every `step` seconds, each naming its own start time, so the
paragraph being spoken is known from the time alone.
"""

from __future__ import annotations

import http.server
import os
import re
import shutil
import subprocess
import threading
from contextlib import contextmanager
from functools import partial
from pathlib import Path

import pytest

from tui.player import find_mpv

NOTES = (220, 262, 294, 330, 349, 392, 440, 494, 523, 587)


def require_mpv_and_sox() -> None:
    """Skip where mpv or sox is missing, except in CI, which installs both (.ci/run)."""
    missing = [name for name, found in (("mpv", find_mpv()), ("sox", shutil.which("sox"))) if not found]
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"CI must install {', '.join(missing)} (see .ci/run)")
        pytest.skip(f"{', '.join(missing)} not installed")


def make_audio(path: Path, seconds: int = 60) -> Path:
    """`seconds` of quiet tones at 8 kHz mono, one pitch per ten seconds."""
    tones = []
    for k in range(0, seconds, 10):
        tone = path.with_name(f".tone{k}.wav")
        subprocess.run(
            ["sox", "-n", "-r", "8000", "-c", "1", "-b", "16", str(tone), "synth", str(min(10, seconds - k)),
             "sine", str(NOTES[(k // 10) % len(NOTES)]), "vol", "0.2"],
            check=True, capture_output=True,
        )
        tones.append(str(tone))
    subprocess.run(["sox", *tones, str(path)], check=True, capture_output=True)
    for tone in tones:
        os.remove(tone)
    return path


def _srt_time(seconds: float) -> str:
    ms = int(round(seconds * 1000))
    return f"{ms // 3600000:02d}:{ms // 60000 % 60:02d}:{ms // 1000 % 60:02d},{ms % 1000:03d}"


# Paragraph starts of the generated transcript: one at 00:10 to play from, and
# one from 00:11 to 00:13 that should be marked two seconds later.
STARTS = (0, 5, 10, 11, 13, 16, 20, 25, 30, 35, 40, 45, 50, 55)
_DIGITS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


def said(seconds: int) -> str:
    """How a paragraph names its start: 11 -> "one one"."""
    return " ".join(_DIGITS[int(d)] for d in f"{seconds:02d}")


def make_transcript(path: Path, seconds: int = 60, starts: tuple[int, ...] = STARTS) -> Path:
    """An SRT transcript: one sentence per start, saying when it starts.

    Each cue opens with `>>` (a change of speaker), so each is a paragraph of its own.
    """
    cues = []
    for n, start in enumerate(starts, 1):
        end = min(starts[n] if n < len(starts) else seconds, seconds) - 0.2
        cues.append(f"{n}\n{_srt_time(start)} --> {_srt_time(end)}\n>> This is the part at second {said(start)}.\n")
    path.write_text("\n".join(cues), encoding="utf-8")
    return path


@contextmanager
def serve_folder(folder: Path):
    """Serve `folder` over HTTP on 127.0.0.1 (a free port); yields the base URL."""
    handler = partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """The stdlib's file server, plus byte ranges (as real servers have), so mpv can seek."""

    def log_message(self, format, *args):  # noqa: A002 - the stdlib's name
        pass

    def send_head(self):
        match = re.fullmatch(r"bytes=(\d+)-(\d*)", self.headers.get("Range", ""))
        if not match:
            return super().send_head()
        path = self.translate_path(self.path)
        try:
            f = open(path, "rb")
        except OSError:
            self.send_error(404)
            return None
        size = os.fstat(f.fileno()).st_size
        first = int(match.group(1))
        last = min(int(match.group(2)), size - 1) if match.group(2) else size - 1
        if first >= size:
            f.close()
            self.send_error(416)
            return None
        f.seek(first)
        self.send_response(206)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Range", f"bytes {first}-{last}/{size}")
        self.send_header("Content-Length", str(last - first + 1))
        self.end_headers()
        return _Limited(f, last - first + 1)

    def end_headers(self):
        self.send_header("Accept-Ranges", "bytes")
        super().end_headers()

    def handle(self):
        try:
            super().handle()
        except (BrokenPipeError, ConnectionResetError):  # mpv hung up mid-file
            pass


class _Limited:
    """A file read no further than `left` bytes (copyfileobj reads until empty)."""

    def __init__(self, f, left: int) -> None:
        self.f, self.left = f, left

    def read(self, n: int = -1) -> bytes:
        if self.left <= 0:
            return b""
        n = self.left if n < 0 else min(n, self.left)
        data = self.f.read(n)
        self.left -= len(data)
        return data

    def close(self) -> None:
        self.f.close()
