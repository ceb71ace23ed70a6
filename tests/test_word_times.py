"""Which word is being said: YouTube auto-captions time every word, cue formats only cues."""

from __future__ import annotations

from bisect import bisect_right

import pytest

from tests.gen.captions import line_cues, make_talk, youtube_vtt
from tui.model import Segment
from tui.readers import read_path
from tui.word_times import word_span_at


def _norm(word: str) -> str:
    return word.strip(".,!?;:\"'()[]").casefold()


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_word_said_at_each_moment_is_the_one_marked(tmp_path, seed):
    talk = make_talk(seed, 1200, punctuation=True, speakers=True, annotations=True)
    path = tmp_path / "talk [abcdefghijk].en.vtt"
    path.write_text(youtube_vtt(talk), encoding="utf-8")
    doc = read_path(path)[0]
    assert doc.format == "youtube-vtt"
    starts = [s.start for s in doc.segments]
    hits = total = 0
    for word, start in zip(talk.words, talk.starts):
        if word == ">>" or word.startswith("["):
            continue  # the captioner's marks, not words said
        total += 1
        moment = start + 0.01
        index = max(0, bisect_right(starts, moment) - 1)
        span = word_span_at(doc.segments[index], moment)
        if span is not None and _norm(doc.segments[index].text[span[0] : span[1]]) == _norm(word):
            hits += 1
    # Real speech repeats ("I I") may be dropped from the paragraphs; nothing else should miss.
    assert hits / total >= 0.97, (hits, total)


def test_cue_times_mark_no_word(tmp_path):
    talk = make_talk(4, 300)
    lines = []
    for n, (start, end, text) in enumerate(line_cues(talk), 1):
        lines.append(f"{n}\n{_srt(start)} --> {_srt(end)}\n{text}\n")
    path = tmp_path / "talk.srt"
    path.write_text("\n".join(lines), encoding="utf-8")
    doc = read_path(path)[0]
    assert any(s.marks for s in doc.segments)
    for segment in doc.segments:
        for _offset, t in segment.marks:
            assert word_span_at(segment, t + 0.01) is None  # each cue has several words


def test_a_word_before_the_first_time_or_without_marks_is_none():
    segment = Segment(2.0, 4.0, "then we end.", marks=((0, 2.0), (5, 2.5), (8, 3.0)))
    assert word_span_at(segment, 1.0) is None
    a, b = word_span_at(segment, 2.6)
    assert segment.text[a:b] == "we"
    a, b = word_span_at(segment, 9.0)
    assert segment.text[a:b] == "end."
    assert word_span_at(Segment(0.0, 1.0, "no marks here"), 0.5) is None


def _srt(seconds: float) -> str:
    ms = int(round(seconds * 1000))
    return f"{ms // 3600000:02d}:{ms // 60000 % 60:02d}:{ms // 1000 % 60:02d},{ms % 1000:03d}"
