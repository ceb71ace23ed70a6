"""The sample library a new user sees first: every file opens, every format is there."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.model import Role
from tui.readers import read_path
from tui.textio import strip_controls

SAMPLE = Path(__file__).resolve().parents[1] / "tui" / "sample"
FILES = sorted(p for p in SAMPLE.iterdir() if p.is_file())


def test_sample_covers_every_format():
    formats = {doc.format for path in FILES for doc in read_path(path)}
    assert {"markdown", "plain", "dump", "description", "youtube-vtt", "srt", "sbv", "json"} <= formats


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_each_sample_file_reads_cleanly(path):
    docs = read_path(path)
    for doc in docs:
        assert doc.segments, f"{path.name}: {doc.role} has no text"
        for seg in doc.segments:
            assert seg.text == strip_controls(seg.text)
            for leftover in ("<c>", "</c>", "<i>", "data-t=", "[[", "]]", "&gt;", "&amp;", "{\\"):
                assert leftover not in seg.text, f"{path.name}: {leftover!r} left in {seg.text!r}"
        # Each talk is a short one: 2 to 3 minutes or so.
        if doc.role is Role.TRANSCRIPT:
            assert 100 <= doc.last_time <= 200
            assert any(">>" in seg.text for seg in doc.segments), "every sample talk has a question from the floor"


def test_sample_scans_into_five_complete_talks():
    from tui import library
    result = library.scan(SAMPLE)
    assert result.problems == []
    assert len(result.talks) == 5
    for talk in result.talks:
        assert talk.transcript is not None and talk.summaries, talk.title
        assert talk.video_id and talk.title != talk.video_id and talk.duration
        # Summary times point inside the talk.
        for summary in talk.summaries:
            for seg in summary.segments:
                for t in (seg.start, *(s.seconds for s in seg.stamps)):
                    assert t is None or 0 <= t <= talk.duration + 1, (talk.title, seg.text, t)
    annotations = " ".join(seg.text for talk in result.talks for seg in talk.transcript.segments)
    assert "[Music]" in annotations and "[Laughter]" in annotations
