"""Transcript dumps: seed 004, generated dumps, descriptions, timed content."""

from __future__ import annotations

import random

import pytest

from tests.gen.captions import assert_no_tripled_line, dump_file, flattened, make_talk, word_accuracy, youtube_vtt
from tui.model import ReadError, Role
from tui.readers import read_path, read_text_as
from tui.readers.dump import description_segments, parse_duration, read


def _transcript(docs):
    return next(d for d in docs if d.role is Role.TRANSCRIPT)


def _summary(docs):
    return next(d for d in docs if d.role is Role.SUMMARY)


def test_seed_004(seeds):
    docs = read_path(next(seeds.glob("004_*")))
    assert len(docs) == 2
    doc = _transcript(docs)
    assert doc.format == "dump"
    assert doc.title == "Inside OpenAI [Entire Talk]"
    assert doc.duration == 3023
    assert doc.video_id == "Wmo2vR7U9ck"
    assert doc.url.startswith("https://youtube.com/watch?v=Wmo2vR7U9ck")
    assert doc.language == "en"
    words = " ".join(s.text for s in doc.segments).split()
    assert 7_500 <= len(words) <= 7_900
    assert "WEBVTT" not in words and "Kind:" not in words
    assert_no_tripled_line(words)
    # Times estimated from Duration by word position.
    assert all(s.estimated for s in doc.segments)
    starts = [s.start for s in doc.segments]
    assert starts[0] == 0 and starts == sorted(starts) and starts[-1] < 3023
    assert doc.segments[-1].end == pytest.approx(3023)
    middle = len(doc.segments) // 2
    done = sum(len(s.text.split()) for s in doc.segments[:middle])
    assert doc.segments[middle].start == pytest.approx(3023 * done / len(words), abs=0.1)
    assert all(40 <= len(s.text.split()) <= 120 for s in doc.segments[:-1])

    desc = _summary(docs)
    assert desc.format == "description" and desc.title == doc.title and desc.video_id == "Wmo2vR7U9ck"
    text = "\n".join(s.text for s in desc.segments)
    assert "大型语言模型（LLM）" in text
    assert "**" not in text
    (code,) = [s for s in desc.segments if s.kind == "code"]
    assert code.text.startswith("graph LR") and "style P fill:#f9f" in code.text and "Mermaid_Diagram" not in code.text
    bullets = [s for s in desc.segments if s.kind == "bullet"]
    assert {0, 1} <= {b.level for b in bullets}
    assert "二、OpenAI 的使命与伦理：" in [o.title for o in desc.outline]


def test_parse_duration():
    assert parse_duration("50:23") == 3023
    assert parse_duration("1:02:03") == 3723
    assert parse_duration("3023") == 3023
    assert parse_duration("") is None
    assert parse_duration("soon") is None
    assert parse_duration("12:75") is None


@pytest.mark.parametrize("seed", range(10))
def test_generated_dump_is_recovered(seed):
    talk = make_talk(seed, 1500, punctuation=seed % 2 == 1, speakers=seed % 3 == 0)
    text = dump_file(flattened(talk, random.Random(seed)), duration=talk.duration)
    (doc,) = read_text_as(text, "dump.txt")
    assert doc.format == "dump" and doc.video_id == "abcDEF12345"
    got = " ".join(s.text for s in doc.segments).split()
    assert word_accuracy(talk.words, got) >= 0.995
    assert all(s.estimated and s.start is not None for s in doc.segments)
    assert all(len(s.text.split()) <= 120 for s in doc.segments)


def test_without_duration_times_are_unknown():
    talk = make_talk(3, 300)
    (doc,) = read(dump_file(flattened(talk, random.Random(3)), url=None), "/x/My Talk [abcDEF12345].txt")
    assert doc.duration is None and doc.video_id == "abcDEF12345"
    assert all(s.start is None and not s.estimated for s in doc.segments)


def test_entities_and_speaker_changes_in_flattened_content():
    content = " ".join(["so that is the end"] * 3 + ["&gt;&gt; thanks R&amp;D team"] * 3)
    (doc,) = read(dump_file(content, duration=60), "d.txt")
    assert [s.text for s in doc.segments] == ["so that is the end", ">> thanks R&D team"]


def test_timed_content_uses_its_cue_times():
    talk = make_talk(4, 400, punctuation=True)
    (doc,) = read(dump_file(youtube_vtt(talk), duration=talk.duration), "d.txt")
    assert doc.format == "dump" and doc.duration == int(talk.duration)
    got = " ".join(s.text for s in doc.segments).split()
    assert word_accuracy(talk.words, got) >= 0.995
    assert not any(s.estimated for s in doc.segments)
    assert doc.segments[0].start == talk.starts[0]


DESCRIPTION = """In this talk we cover **three things**:

0:00 Intro
2:05 - The problem
12:34 - Q&A
1:02:03 Wrap up

* first point
    * nested point
- another point

```python
print("**not bold**")
```

Closing words
over two lines.
"""


def test_description_chapters_code_and_bullets():
    docs = read(dump_file("hello there " * 3, description=DESCRIPTION, duration=4000), "d.txt")
    desc = _summary(docs)
    assert [(o.title, o.start, o.origin) for o in desc.outline] == [
        ("Intro", 0, "chapter"), ("The problem", 125, "chapter"), ("Q&A", 754, "chapter"), ("Wrap up", 3723, "chapter"),
    ]
    for entry in desc.outline:
        assert desc.segments[entry.segment].start == entry.start
    kinds = [(s.kind, s.level, s.text) for s in desc.segments]
    assert kinds[0] == ("text", 0, "In this talk we cover three things:")
    assert ("bullet", 1, "nested point") in kinds
    assert ("code", 0, 'print("**not bold**")') in kinds
    assert kinds[-1] == ("text", 0, "Closing words over two lines.")


def test_description_bullets_nest_as_in_the_other_summaries():
    # Nested by the indents before them (two spaces are a level, as four are),
    # not by every four columns; a paragraph ends the list.
    text = "Topics:\n\n- top\n  - two deep\n    - three deep\n  - two again\n- top again\n\nAfter.\n   - a new list\n"
    segments, _ = description_segments(text, 1)
    assert [(s.kind, s.level, s.text) for s in segments] == [
        ("text", 0, "Topics:"),
        ("bullet", 0, "top"),
        ("bullet", 1, "two deep"),
        ("bullet", 2, "three deep"),
        ("bullet", 1, "two again"),
        ("bullet", 0, "top again"),
        ("text", 0, "After."),
        ("bullet", 0, "a new list"),
    ]
    # A description keeps its line breaks: the line after a bullet is a paragraph of its own.
    segments, _ = description_segments("- a point\nmore words\nand more\n", 1)
    assert [(s.kind, s.text, s.line) for s in segments] == [("bullet", "a point", 1), ("text", "more words and more", 2)]


def test_description_outline_points_past_empty_bullets():
    # A bullet with no text is no segment, and the sections after it still start at their own.
    segments, outline = description_segments("-  \n0:00 Intro\n## Part\nwords\n", 1)
    assert [s.text for s in segments] == ["0:00 Intro", "words"]
    assert [(e.title, segments[e.segment].text) for e in outline] == [("Intro", "0:00 Intro"), ("Part", "words")]


def test_errors():
    with pytest.raises(ReadError):
        read("Title: x\nURL: https://youtu.be/abcDEF12345\n", "d.txt")
    with pytest.raises(ReadError):
        read("Title: x\n\nDescription:\n\nContent:\nWEBVTT Kind: captions Language: en\n", "d.txt")


def test_caption_file_flattened_with_its_markup():
    """A YouTube WebVTT squashed onto one line: timings, settings and <c> tags are not words."""
    talk = make_talk(8, 800)
    content = " ".join(youtube_vtt(talk).split())
    assert "<c>" in content and "-->" in content
    (doc,) = read(dump_file(content, duration=talk.duration), "d.txt")
    got = " ".join(s.text for s in doc.segments).split()
    assert word_accuracy(talk.words, got) >= 0.995
    assert not any("-->" in w or "<" in w or w.startswith("align:") for w in got)
