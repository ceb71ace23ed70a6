"""Word times for play-along: YouTube auto-captions' `<c>` timings laid onto the paragraphs."""

from __future__ import annotations

from bisect import bisect_right

import pytest

from tests.gen.captions import make_talk, youtube_vtt
from tui.readers import read_path
from tui.word_times import align, timed_words, word_times_for


def _norm(word: str) -> str:
    return word.strip(".,!?;:\"'()[]").casefold()


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_word_said_at_each_moment_is_the_one_marked(tmp_path, seed):
    talk = make_talk(seed, 1200, punctuation=True, speakers=True, annotations=True)
    path = tmp_path / "talk [abcdefghijk].en.vtt"
    path.write_text(youtube_vtt(talk), encoding="utf-8")
    doc = read_path(path)[0]
    assert doc.format == "youtube-vtt"
    times = word_times_for(doc)
    assert times is not None
    starts = [s.start for s in doc.segments]
    hits = total = 0
    for word, start in zip(talk.words, talk.starts):
        if word == ">>" or word.startswith("["):
            continue  # the captioner's marks, not words said
        total += 1
        moment = start + 0.01
        index = max(0, bisect_right(starts, moment) - 1)
        span = times.span_at(index, moment)
        if span is not None and _norm(doc.segments[index].text[span[0]:span[1]]) == _norm(word):
            hits += 1
    # Real speech repeats ("I I") may be dropped from the paragraphs; nothing else should miss.
    assert hits / total >= 0.97, (hits, total)


def test_files_without_word_timings_give_none(tmp_path):
    srt = tmp_path / "talk.srt"
    srt.write_text("1\n00:00:01,000 --> 00:00:02,000\nHello there.\n", encoding="utf-8")
    assert timed_words(srt) == []
    assert word_times_for(read_path(srt)[0]) is None
    assert timed_words(tmp_path / "gone.vtt") == []


def test_align_skips_words_the_paragraphs_do_not_have():
    from tui.model import Segment

    segments = [Segment(0.0, 2.0, "Alice: so so we start"), Segment(2.0, 4.0, "then we end.")]
    words = [(0.0, "so"), (0.3, "so"), (0.5, "so"), (0.8, "we"), (1.0, "start"), (2.0, "then"), (2.5, "we"), (3.0, "end")]
    times = align(segments, words)
    text = segments[0].text
    a, b = times.span_at(0, 1.05)
    assert text[a:b] == "start"
    a, b = times.span_at(1, 3.2)
    assert segments[1].text[a:b] == "end."
    assert times.span_at(1, 1.0) is None  # before the paragraph's first timed word
