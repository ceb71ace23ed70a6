"""Real folders as users keep them: yt-dlp archives, sidecars, media, folders per talk."""

from __future__ import annotations

import json
from pathlib import Path

from tests.gen.captions import make_talk, word_accuracy
from tests.gen.ytdlp import info_json, json3, make_video, playlist_info_json, write_archive
from tui.index import Index
from tui.library import scan
from tui.model import Role
from tui.readers import read_path

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


# --- yt-dlp archives ------------------------------------------------------------


def test_ytdlp_archive_opens_as_one_talk_per_video(tmp_path: Path):
    videos = write_archive(tmp_path, 6, seed=3)
    library = scan(tmp_path)
    assert library.problems == []
    assert len(library.talks) == len(videos)
    for video in videos:
        talk = library.find(video.video_id)
        assert talk is not None
        assert talk.title == video.title  # the info.json's, not the file name's `：｜？`
        assert talk.channel == video.channel
        assert talk.duration == round(video.talk.duration)
        assert talk.url == f"https://www.youtube.com/watch?v={video.video_id}"
        assert talk.media is not None and talk.media.stem.endswith(f"[{video.video_id}]")
        assert talk.transcript is not None and talk.transcript.format == "youtube-vtt"
        info = next(d for d in talk.summaries if d.format == "info")
        chapters = [(e.start, e.title) for e in info.outline if e.origin == "chapter"]
        assert chapters == video.chapters
        # Each chapter points at its line of the description.
        for entry in info.outline:
            if entry.origin == "chapter":
                assert info.segments[entry.segment].start == entry.start
        assert any("uploaded 2024-05-01" in s.text for s in info.segments)
        formats = {d.format for d in talk.documents}
        assert {"info", "description", "youtube-vtt"} <= formats


def test_info_json_alone_is_a_talk_with_an_outline_and_no_transcript(tmp_path: Path):
    video = make_video(7)
    data = json.loads(info_json(video, description=False))
    (tmp_path / "meta.json").write_text(json.dumps(data))  # not even named .info.json
    library = scan(tmp_path)
    assert library.problems == []
    (talk,) = library.talks
    assert talk.transcript is None and talk.video_id == video.video_id and talk.title == video.title
    (info,) = talk.summaries
    assert [(e.start, e.title) for e in info.outline if e.origin == "chapter"] == video.chapters
    assert [s.text for s in info.segments if s.kind == "bullet"][0] == "0:00 Intro"


def test_playlist_info_json_and_leftovers_are_skipped(tmp_path: Path):
    (tmp_path / "List [PLabcdefghijklmnopqrstuvwxyz012345].info.json").write_text(playlist_info_json([]))
    (tmp_path / "x.live_chat.json").write_text("{}\n")
    library = scan(tmp_path)
    assert library.talks == [] and library.problems == []


def test_ytdlp_archive_through_the_index_matches_the_scan(tmp_path: Path):
    write_archive(tmp_path, 3, seed=5)
    scanned = {t.id: (t.title, t.channel, t.duration, str(t.media)) for t in scan(tmp_path).talks}
    with Index.open(root=tmp_path) as index:
        index.refresh(tmp_path)
        assert index.problems() == []
        indexed = {t.id: (t.title, t.channel, t.duration, str(t.media)) for t in index.talks()}
        talk = index.talks()[0]
        assert any(e.origin == "chapter" for d in talk.summaries for e in d.outline)
    assert indexed == scanned


# --- YouTube timed text -----------------------------------------------------------


def test_json3_reads_with_word_times(tmp_path: Path):
    talk = make_talk(11, 500, punctuation=True)
    path = tmp_path / "Words [abcdefghijk].en.json3"
    path.write_text(json3(talk))
    (doc,) = read_path(path)
    assert doc.format == "json3" and doc.video_id == "abcdefghijk" and doc.language == "en"
    words = " ".join(s.text for s in doc.segments).split()
    assert word_accuracy(talk.words, words) >= 0.995
    # Paragraphs start at their first word's own time, not at an event's.
    starts = set(talk.starts)
    assert all(round(s.start, 3) in starts for s in doc.segments if s.kind == "text")
    manual = tmp_path / "Lines.json3"
    manual.write_text(json3(talk, auto=False))
    (doc,) = read_path(manual)
    assert word_accuracy(talk.words, " ".join(s.text for s in doc.segments).split()) >= 0.995
