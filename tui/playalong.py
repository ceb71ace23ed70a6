"""Play-along without a screen: what to play for a talk, and what the header says.

The screen side (keys, the follow mark) is widgets/play_along.py; mpv itself
is driven by tui/player.py.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass

from .model import Talk, format_time
from .player import PlayerState

NO_SOURCE = (
    "Nothing to play for this talk: no media file beside its transcript and no video link. "
    "Keep the audio or video beside the captions (yt-dlp does: `yt-dlp -x --write-auto-subs URL`), "
    "or give the talk a link (a videoId in the summary's front matter, or the URL in the transcript's header)."
)


@dataclass(slots=True, frozen=True)
class Source:
    """What mpv opens: a file on disk, else a link (which mpv resolves through yt-dlp)."""

    location: str
    is_file: bool

    def describe(self) -> str:
        return os.path.basename(self.location) if self.is_file else self.location


def media_file(talk: Talk) -> str | None:
    """The talk's media file, when it has one that is still on disk."""
    media = talk.media
    if media is not None and media.is_file():
        return str(media)
    return None


def play_source(talk: Talk) -> Source | None:
    """The talk's media file, else its link; None when there is neither."""
    path = media_file(talk)
    if path is not None:
        return Source(path, True)
    link = talk.link()
    if link and "://" in link:
        return Source(link, False)
    return None


def link_note(source: Source) -> str | None:
    """A warning for a link mpv is likely to fail on: video sites need yt-dlp."""
    if source.is_file or shutil.which("yt-dlp") or shutil.which("youtube-dl"):
        return None
    if any(host in source.location for host in ("youtu", "vimeo.", "twitch.", "dailymotion.")):
        return "mpv opens video-site links through yt-dlp, which is not installed (pip install yt-dlp)"
    return None


def status_text(state: PlayerState, *, following: bool = True) -> str:
    """The header's play status: `▶ 00:12:03 / 01:02:00 ×1.25`, and when the view has been scrolled away."""
    if not state.loaded or state.time is None:
        return "▶ opening…"
    sign = "⏸" if state.paused or state.ended else "▶"
    text = f"{sign} {format_time(state.time)}"
    if state.duration:
        text += f" / {format_time(state.duration)}"
    if abs(state.speed - 1.0) > 1e-6:
        text += f" ×{state.speed:g}"
    if not following:
        text += " · P: back to it"
    return text
