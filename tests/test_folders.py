"""Real folders as users keep them: yt-dlp archives, sidecars, media, folders per talk."""

from __future__ import annotations

from pathlib import Path

from tui.index import Index
from tui.library import scan
from tui.model import Role

VTT = """WEBVTT

00:00:01.000 --> 00:00:04.000
Bread needs only flour, water and salt.

00:00:04.000 --> 00:00:08.000
Time does the rest of the work for you.
"""


def test_media_and_leftovers_attach_or_are_skipped_never_problems(tmp_path: Path):
    stem = "Slow Bread [pTnLoaf4x2Q]"
    (tmp_path / f"{stem}.en.vtt").write_text(VTT)
    for name in (f"{stem}.mp4", f"{stem}.webp", f"{stem}.f137.mp4.part", f"{stem}.mp4.ytdl", f"{stem}.live_chat.json",
                 "Lonely Clip [zzzzzzzzzzz].mkv", "cover.jpg"):
        (tmp_path / name).write_bytes(b"\x00\x01 not text")
    library = scan(tmp_path)
    assert library.problems == []
    _check_one_talk_with_media(library.talks, tmp_path / f"{stem}.mp4")
    with Index.open(root=tmp_path) as index:  # the index keeps it too
        index.refresh(tmp_path)
        assert index.problems() == []
        _check_one_talk_with_media(index.talks(), tmp_path / f"{stem}.mp4")


def _check_one_talk_with_media(talks, media: Path) -> None:
    assert len(talks) == 1  # a media file alone is no talk
    (talk,) = talks
    assert talk.media == media
    assert talk.transcript is not None and talk.transcript.format == "vtt"
    assert [d.role for d in talk.documents] == [Role.TRANSCRIPT, Role.MEDIA]
