"""Scanning a folder and grouping its documents into talks."""

from __future__ import annotations

import json
import os

import pytest

from tui.library import group, resolve_library, scan
from tui.model import Document, Role, Segment, Stamp
from tui.paths import sample_library


def summary(path, channel, stamps, text, video_id=None, title=None):
    segs = [Segment(start=t, end=None, text=f"{text} {i}", stamps=(Stamp(0, t, ""),)) for i, t in enumerate(stamps)]
    return Document(path=path, role=Role.SUMMARY, format="plain", channel=channel, video_id=video_id, title=title, segments=segs)


def test_idless_summary_joins_the_talk_it_clearly_matches():
    a = summary("a.md", "chan", [60, 120, 300, 600], "open source models catch up", video_id="AAAAAAAAAAA", title="A")
    b = summary("b.md", "chan", [900, 1500, 2000], "cooking pasta and sauces", video_id="BBBBBBBBBBB", title="B")
    loose = summary("c.txt", "chan", [61, 300, 599], "open source models catch up")
    talks = group([a, b, loose])
    assert len(talks) == 2
    joined = next(t for t in talks if t.video_id == "AAAAAAAAAAA")
    assert [d.path for d in joined.documents] == ["a.md", "c.txt"]


def test_idless_summary_of_another_channel_stands_alone():
    a = summary("a.md", "chan", [60, 120, 300], "open source models", video_id="AAAAAAAAAAA", title="A")
    loose = summary("c.txt", "other", [60, 120, 300], "open source models")
    assert len(group([a, loose])) == 2


def test_ambiguous_summary_stands_alone():
    a = summary("a.md", "chan", [60, 120, 300], "open source models", video_id="AAAAAAAAAAA", title="A")
    b = summary("b.md", "chan", [60, 120, 300], "open source models", video_id="BBBBBBBBBBB", title="B")
    loose = summary("c.txt", "chan", [60, 120, 300], "open source models")
    talks = group([a, b, loose])
    assert len(talks) == 3


def test_talk_without_video_id_gets_a_content_hash_id_stable_across_moves():
    one = group([summary("x/one.txt", None, [1], "same words")])[0]
    two = group([summary("y/renamed.txt", None, [1], "same words")])[0]
    assert one.id == two.id and one.id.startswith("t-")


def test_seeds_make_two_talks(seeds):
    library = scan(seeds)
    assert library.problems == []
    assert len(library.talks) == 2
    by_title = {t.title: t for t in library.talks}
    dump = by_title["Inside OpenAI [Entire Talk]"]
    assert dump.duration == 3023
    assert [os.path.basename(d.path)[:3] for d in dump.documents] == ["004", "004"]
    pair = next(t for t in library.talks if t is not dump)
    assert pair.title == "Challenges and opportunities in AI development"
    assert pair.video_id == "MvxtIIqJRUQ"
    assert sorted(os.path.basename(d.path)[:3] for d in pair.documents) == ["000", "001"]


def test_every_real_file_opens(real):
    library = scan(real)
    assert library.problems == []
    files = {str(p) for p in real.rglob("*") if p.is_file() and p.name != "README.md"}
    read = {d.path for t in library.talks for d in t.documents}
    assert files <= read


def test_bad_and_foreign_files_are_listed_not_fatal(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "budget.xlsx").write_bytes(b"PK\x03\x04")  # (a thumbnail .jpg is skipped: test_folders)
    (tmp_path / "bad.srt").write_bytes(b"\xff\xfe\xfa not utf")
    (tmp_path / "ok.json").write_text(json.dumps([{"text": "hello there", "start": 1.0, "duration": 2.0}]))
    (tmp_path / ".hidden.txt").write_text("ignored")
    library = scan(tmp_path)
    reasons = {os.path.basename(p.path): p.reason for p in library.problems}
    assert set(reasons) == {"empty.txt", "budget.xlsx", "bad.srt"}
    assert "empty" in reasons["empty.txt"]
    assert "not a talk document" in reasons["budget.xlsx"]
    assert len(library.talks) == 1


def test_symlink_loop_does_not_hang(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "t.json").write_text(json.dumps([{"text": "hi", "start": 0, "duration": 1}]))
    os.symlink(tmp_path, tmp_path / "sub" / "loop")
    library = scan(tmp_path)
    assert len(library.talks) == 1


def test_missing_folder_is_a_problem(tmp_path):
    library = scan(tmp_path / "nope")
    assert library.talks == [] and library.problems[0].reason == "no such file or folder"


def test_resolve_library_order(tmp_path, monkeypatch):
    from tui import paths

    assert resolve_library(None) == sample_library()
    (paths.config_dir() / "config.toml").write_text(f'library = "{tmp_path / "cfg"}"\n')
    assert resolve_library(None) == tmp_path / "cfg"
    monkeypatch.setenv("TALKSHELF_LIBRARY", str(tmp_path / "env"))
    assert resolve_library(None) == tmp_path / "env"
    assert resolve_library(str(tmp_path / "arg")) == tmp_path / "arg"


def test_sample_library_opens_without_problems():
    library = scan(sample_library())
    assert library.problems == []
    assert len(library.talks) >= 3
    assert any(t.transcript for t in library.talks) and any(t.summaries for t in library.talks)


def test_page_stamps_are_refit_to_the_talk_length(tmp_path):
    # Read alone, `02:30:40` is 2 h 30 min; beside a 4-minute transcript it can only be minutes.
    (tmp_path / "page.md").write_text(
        "---\ntitle: Short talk\nvideoId: AbCdEfGhIjK\n---\n\nFrom: [[chan]] <br/>\n\n## Start\n\n"
        'Opening words <a class="yt-timestamp" data-t="01:10:20">[01:10:20]</a>.\n\n'
        '## Later\n\nClosing words <a class="yt-timestamp" data-t="02:30:40">[02:30:40]</a>.\n'
    )
    cues = [{"text": f"sentence number {i}.", "start": i * 10.0, "duration": 10.0} for i in range(24)]
    (tmp_path / "Short talk [AbCdEfGhIjK].json").write_text(json.dumps(cues))
    (talk,) = scan(tmp_path).talks
    assert talk.duration == 240
    page = talk.summaries[0]
    assert [e.start for e in page.outline] == [70, 150]  # MM:SS, the third part is padding
