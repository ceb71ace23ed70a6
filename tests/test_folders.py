"""Real folders as users keep them: yt-dlp archives, sidecars, media, folders per talk."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from tests.gen.captions import flattened, format_clock, make_talk, word_accuracy, youtube_vtt
from tests.gen.ytdlp import (
    damage, flattened_vtt, info_json, json3, make_video, markdown_note, plain_text, playlist_info_json, safe_name, srt,
    srv3, ttml, write_archive,
)
from tui.index import Index
from tui.library import scan
from tui.model import Role
from tui.readers import read_path, read_text_as

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
        formats = [d.format for d in talk.documents if d.role is not Role.TRANSCRIPT]
        assert formats == ["info", talk.media.suffix[1:]]  # the .description is the info's: not shown twice


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


# --- transcripts in notes and plain text ------------------------------------------


@pytest.mark.parametrize("seed", range(6))
def test_markdown_wrapped_rolling_track_with_damaged_tags(tmp_path: Path, seed: int):
    rng = random.Random(seed)
    video = make_video(100 + seed, 900)
    video.talk = make_talk(100 + seed, 900, punctuation=seed % 2 == 0, speakers=seed % 3 == 0)
    text = markdown_note(video, damage(flattened_vtt(video.talk), rng), rng)
    path = tmp_path / f"note {seed}.md"
    path.write_text(text, encoding="utf-8")
    (doc,) = read_path(path)
    assert doc.role is Role.TRANSCRIPT and doc.format == "note-timed"
    assert doc.video_id == video.video_id and doc.title == video.title and doc.channel == video.channel
    got = [w for w in " ".join(s.text for s in doc.segments).split() if w != ">>"]
    said = [w for w in video.talk.words if w != ">>"]
    assert word_accuracy(said, got) >= 0.995
    assert "<" not in " ".join(s.text for s in doc.segments)
    # The tags' times reach the paragraphs: each starts near its first word's real time.
    for seg in doc.segments[:10]:
        assert seg.start is not None and not seg.estimated


def test_untagged_track_in_a_note_is_estimated_from_its_duration(tmp_path: Path):
    talk = make_talk(21, 800)
    text = ("---\nduration_seconds: 600\n---\n# Untagged\n\n**URL:** https://www.youtube.com/watch?v=abcdefghijk&feature=share\n\n"
            + flattened(talk, random.Random(1), header=False) + "\n")
    (doc,) = read_text_as(text, "n.md")
    assert doc.format == "note" and doc.video_id == "abcdefghijk" and doc.duration == 600
    assert word_accuracy(talk.words, " ".join(s.text for s in doc.segments).split()) >= 0.995
    assert all(s.estimated for s in doc.segments) and doc.segments[-1].end == 600


def test_plain_text_transcript_reads_as_a_transcript(tmp_path: Path):
    talk = make_talk(31, 1200, punctuation=True)
    path = tmp_path / "Some Talk.en.txt"
    path.write_text(plain_text(talk))
    (doc,) = read_path(path)
    assert doc.role is Role.TRANSCRIPT and doc.format == "text" and doc.language == "en"
    assert word_accuracy(talk.words, " ".join(s.text for s in doc.segments).split()) == 1.0
    assert len(doc.segments) > 10
    assert all(s.text.endswith((".", "?", "!")) for s in doc.segments[:-1] if s.kind == "text")  # whole sentences
    assert all(s.start is None for s in doc.segments)  # no length known: no times
    (tmp_path / "Some Talk.info.json").write_text(json.dumps({"id": "abcdefghijk", "title": "Some Talk", "duration": 900, "_type": "video"}))
    (doc,) = read_path(path)
    assert all(s.estimated for s in doc.segments) and doc.segments[-1].end == 900


def test_seeds_stay_what_they_are(seeds: Path):
    formats = {p.name[:3]: read_path(p)[0].format for p in seeds.iterdir()}
    assert formats == {"000": "markdown", "001": "plain", "004": "dump"}


# --- grouping -----------------------------------------------------------------------


def _summary_page(video, *, with_link: bool = True) -> str:
    lines = [f"# Notes on {video.title}", ""]
    if with_link:
        lines += [f"**YouTube:** https://youtu.be/{video.video_id}?si=Zz9", ""]
    lines += ["## Main points", ""]
    for start, title in video.chapters:
        lines.append(f"- {title} [{format_clock(start)}]")
    return "\n".join(lines) + "\n"


def test_folder_per_talk_groups_into_one_talk_reading_the_best_copy(tmp_path: Path):
    videos = [make_video(200 + k, 500) for k in range(3)]
    for k, video in enumerate(videos):
        folder = tmp_path / safe_name(video.title)
        folder.mkdir()
        name = safe_name(video.title)
        (folder / f"{name}.en.vtt").write_text(youtube_vtt(video.talk))
        (folder / f"{name}.en.srt").write_text(srt(video.talk))
        (folder / f"{name}.en.txt").write_text(plain_text(video.talk))
        (folder / "SUMMARY.md").write_text(_summary_page(video, with_link=k != 2))
    library = scan(tmp_path)
    assert library.problems == []
    assert len(library.talks) == 3
    for k, video in enumerate(videos):
        talk = next(t for t in library.talks if Path(t.transcript.path).parent.name == safe_name(video.title))
        assert talk.transcript.format == "youtube-vtt"  # word timings win
        assert sorted(d.format for d in talk.alternatives) == ["srt", "text"]
        assert [d.path.endswith("SUMMARY.md") for d in talk.summaries] == [True]
        if k != 2:
            assert talk.video_id == video.video_id and talk.url == f"https://youtu.be/{video.video_id}"


def test_same_stem_files_are_one_talk_and_ids_never_merge(tmp_path: Path):
    video = make_video(300, 400)
    (tmp_path / "Talk.en.vtt").write_text(youtube_vtt(video.talk))
    (tmp_path / "Talk.en.srt").write_text(srt(video.talk))
    (tmp_path / "Talk.info.json").write_text(info_json(video))
    other = make_video(301, 400)
    # Two videos whose files happen to share a name stay two talks.
    (tmp_path / "Clip [AAAAAAAAAAA].en.srt").write_text(srt(other.talk))
    (tmp_path / "Clip [BBBBBBBBBBB].en.srt").write_text(srt(make_video(302, 400).talk))
    library = scan(tmp_path)
    assert library.problems == []
    talk = library.find(video.video_id)
    assert talk is not None and talk.title == video.title and talk.channel == video.channel
    assert [d.format for d in talk.documents] == ["youtube-vtt", "srt", "info"]
    assert len(library.talks) == 3


def test_idless_summary_joins_a_talk_whose_only_transcript_is_youtube_vtt(tmp_path: Path):
    video = make_video(400, 900)
    (tmp_path / f"{video.title}.en.vtt").write_text(youtube_vtt(video.talk))
    (tmp_path / "Distractor.en.vtt").write_text(youtube_vtt(make_talk(401, 900)))
    talk_words = video.talk.words
    bullets = [f"• {' '.join(talk_words[i:i + 12])} [{format_clock(video.talk.starts[i])}]" for i in range(0, len(talk_words) - 12, 90)]
    (tmp_path / f"{video.title} - notes.txt").write_text(f"From: {video.channel}\n\nNotes\n" + "\n".join(bullets) + "\n")
    library = scan(tmp_path)
    assert len(library.talks) == 2
    talk = next(t for t in library.talks if t.transcript.path.endswith(f"{video.title}.en.vtt"))
    assert [d.format for d in talk.summaries] == ["plain"]


def test_json_named_by_its_id_takes_its_title_from_the_other_documents(tmp_path: Path):
    (tmp_path / "Eb7B6c0aK_-.json").write_text(json.dumps([{"text": "hello and welcome", "start": 1.0, "duration": 2.0}] * 3))
    (tmp_path / "page.md").write_text("---\ntitle: Welcome Talk\nvideoId: Eb7B6c0aK_-\n---\n## Start\n- hello [00:00:01]\n")
    (talk,) = scan(tmp_path).talks
    assert talk.title == "Welcome Talk"
    (tmp_path / "page.md").unlink()
    (talk,) = scan(tmp_path).talks
    assert talk.title == "Eb7B6c0aK_-"  # alone, its id as written, not `Eb7B6c0aK -`


def test_readme_and_todo_are_not_talks(tmp_path: Path):
    (tmp_path / "README.md").write_text("# My talks\n\nThis folder holds my talks.\n\n- sorted by channel\n- see below\n")
    (tmp_path / "todo.txt").write_text("buy milk\ncall Ana\nwatch the compiler talk\n")
    (tmp_path / "notes.md").write_text("# Notes\n\nSee https://www.youtube.com/watch?v=abcdefghijk for the talk.\n")
    library = scan(tmp_path)
    reasons = {Path(p.path).name: p.reason for p in library.problems}
    assert set(reasons) == {"README.md", "todo.txt"}
    assert all(r.startswith("not a talk document") for r in reasons.values())
    assert [t.video_id for t in library.talks] == ["abcdefghijk"]


def test_description_file_alone_gives_the_talk_its_chapters(tmp_path: Path):
    video = make_video(500, 400)
    (tmp_path / f"{video.stem}.en.vtt").write_text(youtube_vtt(video.talk))
    desc = json.loads(info_json(video))["description"]
    (tmp_path / f"{video.stem}.description").write_text(desc)
    (talk,) = scan(tmp_path).talks
    (doc,) = talk.summaries
    assert doc.format == "description"
    assert [(e.start, e.title) for e in doc.outline if e.origin == "chapter"] == video.chapters


def test_srv3_and_ttml_read_with_their_times(tmp_path: Path):
    talk = make_talk(41, 600, punctuation=True)
    (tmp_path / "T [abcdefghijk].en.srv3").write_text(srv3(talk))
    (tmp_path / "T [abcdefghijk].en.ttml").write_text(ttml(talk))
    (srv,) = read_path(tmp_path / "T [abcdefghijk].en.srv3")
    (tt,) = read_path(tmp_path / "T [abcdefghijk].en.ttml")
    assert (srv.format, tt.format) == ("srv3", "ttml")
    for doc in (srv, tt):
        assert doc.video_id == "abcdefghijk" and doc.language == "en"
        assert word_accuracy(talk.words, " ".join(s.text for s in doc.segments).split()) >= 0.995
    starts = set(talk.starts)
    assert all(round(s.start, 3) in starts for s in srv.segments if s.kind == "text")  # word times
    (talk_,) = scan(tmp_path).talks
    assert talk_.transcript.format == "srv3" and [d.format for d in talk_.alternatives] == ["ttml"]


def test_xml_with_entities_is_refused_not_expanded(tmp_path: Path):
    bomb = ('<?xml version="1.0"?><!DOCTYPE t [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
            '<timedtext><body><p t="0" d="1">&b;</p></body></timedtext>')
    (tmp_path / "bomb.srv3").write_text(bomb)
    library = scan(tmp_path)
    assert library.talks == [] and "entities" in library.problems[0].reason


def test_note_with_timed_sections_beside_its_track_gives_a_summary_too(tmp_path: Path):
    rng = random.Random(5)
    video = make_video(600, 700)
    track = damage(flattened_vtt(video.talk), rng)
    text = (f"# {video.title}\n**Video ID:** {video.video_id}\n\n## Summary\n\n### Opening (00:00)\n"
            "The speaker sets out why the question matters at all.\n\n### Where it turns (01:30)\n"
            "A second part that takes the argument somewhere new.\n\n## Transcript\n\n" + track + "\n")
    (tmp_path / "note.md").write_text(text)
    (talk,) = scan(tmp_path).talks
    assert talk.transcript.format == "note-timed" and talk.video_id == video.video_id
    (summary,) = talk.summaries
    assert [(e.title, e.start) for e in summary.outline if e.start is not None][-2:] == [("Opening", 0.0), ("Where it turns", 90.0)]


def test_plain_transcript_under_a_transcript_heading_is_the_talks_transcript(tmp_path: Path):
    talk = make_talk(57, 900, punctuation=True)
    note = ("# Compilers Before Breakfast\n\n**URL:** https://youtu.be/cMp1lrBrkF5\n\n## Summary\n\n"
            "- The parser is where meaning starts.\n- Tokens carry more than their text.\n\n"
            "## Full transcript\n\n" + plain_text(talk) + "\n## Questions\n\nWhat does the linker do here?\n")
    (tmp_path / "compilers.md").write_text(note)
    (found,) = scan(tmp_path).talks
    assert found.video_id == "cMp1lrBrkF5" and found.transcript.format == "note"
    assert word_accuracy(talk.words, " ".join(s.text for s in found.transcript.segments).split()) == 1.0
    (summary,) = found.summaries
    said = " ".join(s.text for s in summary.segments)
    assert "where meaning starts" in said and "linker" in said
    # Bullets under such a heading are a summary's points, not what was said.
    points = note.replace(plain_text(talk), "".join(f"- {line}\n" for line in plain_text(talk).splitlines()))
    assert read_text_as(points, "points.md")[0].role is Role.SUMMARY


def test_a_short_clip_pasted_with_its_timing_tags_is_still_a_track():
    note = ("# A Short Clip\n**Video ID:** abcdefghijk\n\n## Transcript\n"
            "so the<00:00:00.500><c> moon</c><00:00:00.900><c> pulls</c> so the moon pulls<00:00:01.400><c> the</c>"
            "<00:00:01.800><c> sea</c> and that is the tide\n")
    (doc,) = read_text_as(note, "clip.md")
    assert doc.format == "note-timed" and doc.video_id == "abcdefghijk"
    text = " ".join(s.text for s in doc.segments)
    assert "<" not in text and text.startswith("so the moon pulls the sea")
