"""SRT, SBV and transcript JSON readers: on generated files and on the real captions."""

from __future__ import annotations

import json
import random

import pytest

from tui.model import ReadError, Role
from tui.readers import detect_format, read_path, read_text_as
from tui.readers import json_transcript, sbv, srt


def words(doc) -> str:
    return " ".join(seg.text for seg in doc.segments)


# --- SRT -----------------------------------------------------------------

SRT = """1
00:06:45,596 --> 00:06:50,000
<i>Welcome back</i> to the workshop &amp; thank you
for staying.

2
00:06:50,100 --> 00:06:53,250
{\\an8}[music]

3
00:06:53,300 --> 00:06:58,000
&gt;&gt; Can you hear me at the back?
"""


def test_srt_reads_cues_times_and_clean_text():
    [doc] = srt.read(SRT, "lib/acme__Clay Ovens [abcdefghijk].en.srt")
    assert doc.role is Role.TRANSCRIPT and doc.format == "srt"
    assert (doc.title, doc.video_id, doc.channel, doc.language) == ("Clay Ovens", "abcdefghijk", "acme", "en")
    text = words(doc)
    assert "Welcome back to the workshop & thank you for staying." in text
    assert "<i>" not in text and "\\an8" not in text and "&amp;" not in text
    assert "[music]" in text  # annotations stay visible
    assert ">> Can you hear me at the back?" in text
    # A file that starts late keeps its real times.
    assert doc.segments[0].start == pytest.approx(405.596)
    assert doc.last_time == pytest.approx(418.0)
    assert doc.segments[0].line == 2  # the line of the first cue's timings


def test_srt_tolerates_junk_before_first_cue_crlf_and_padded_numbers():
    text = "Subtitles by someone\n\n 1 \n00:00:01.000 --> 00:00:02,500\nHello there.\n\n2\n00:00:03,000 --> 00:00:04,000\nGeneral Kenobi.\n"
    [doc] = read_text_as(text, "x.srt")
    assert words(doc) == "Hello there. General Kenobi."
    assert doc.segments[0].start == 1.0
    assert doc.segments[0].line == 4


def test_srt_without_cue_numbers():
    text = "00:00:01,000 --> 00:00:02,000\nNo numbers here.\n\n00:00:03,000 --> 00:00:04,000\nStill fine.\n"
    [doc] = srt.read(text, "x.srt")
    assert words(doc) == "No numbers here. Still fine."
    assert doc.segments[0].line == 1 and doc.last_time == 4


def test_srt_keeps_less_than_signs_and_escaped_tags_as_text():
    text = "1\n00:00:01,000 --> 00:00:02,000\nif a < b and c > d, write &lt;b&gt;\n"
    [doc] = srt.read(text, "x.srt")
    assert words(doc) == "if a < b and c > d, write <b>"


def test_srt_entity_cannot_smuggle_an_escape_sequence():
    text = "1\n00:00:01,000 --> 00:00:02,000\nred &#27;[31mtext&#7;\n"
    [doc] = srt.read(text, "x.srt")
    assert "\x1b" not in words(doc) and "\x07" not in words(doc)


@pytest.mark.parametrize(
    "text",
    ["", "hello world", "1\nno timing here\n", "00:00:01,000 --> 00:00:02,000\n", "1\n00:00:01,000 --> 00:00:02,000\n\n"],
)
def test_srt_without_captions_is_a_clear_error(text):
    with pytest.raises(ReadError, match="x.srt"):
        srt.read(text, "x.srt")


def test_srt_real_captions(real):
    files = sorted((real / "captions").glob("*.srt"))
    assert files
    for path in files:
        [doc] = read_path(path)
        assert doc.format == "srt" and doc.segments
        starts = [s.start for s in doc.segments]
        assert starts == sorted(starts)
        assert all("<" not in s.text or "< " in s.text for s in doc.segments)
    late = read_path(real / "captions" / "sy-subtitles__2004-05-09_Sahasrara-Puja-Continue-To-Live-A-Life-of-Reality__uk.srt")[0]
    assert late.segments[0].start == pytest.approx(6 * 60 + 45.596)
    assert late.language == "uk" and late.channel == "sy-subtitles"
    assert "Сьогодні дуже важливий день" in late.segments[0].text


# --- SBV -----------------------------------------------------------------

SBV = """0:00:00.599,0:00:04.160
Good morning, everyone.
Today: tidal energy &amp; the moon.

0:00:04.160,0:00:07.020
[applause]

0:00:07.020,0:00:09.500
&gt;&gt; Is it loud enough?
"""


def test_sbv_reads_cues():
    assert detect_format(SBV, "talk.txt") == "sbv"
    [doc] = sbv.read(SBV, "Tides [ABCDEFGHIJK].sbv")
    assert doc.format == "sbv" and doc.video_id == "ABCDEFGHIJK" and doc.title == "Tides"
    assert words(doc) == "Good morning, everyone. Today: tidal energy & the moon. [applause] >> Is it loud enough?"
    assert doc.segments[0].start == pytest.approx(0.599)
    assert doc.last_time == pytest.approx(9.5)
    assert doc.segments[0].line == 1


def test_sbv_skips_leading_junk():
    [doc] = sbv.read("\n\nexported\n" + SBV, "x.sbv")
    assert doc.segments[0].line == 4


@pytest.mark.parametrize("text", ["", "just words", "0:00:00.599,0:00:04.160\n\n"])
def test_sbv_without_captions_is_a_clear_error(text):
    with pytest.raises(ReadError, match="x.sbv"):
        sbv.read(text, "x.sbv")


# --- JSON ----------------------------------------------------------------


def test_json_list_with_strings_for_numbers_and_missing_duration():
    data = [
        {"text": "Welcome to the show &amp; hello.", "start": "0.5", "duration": "2.5"},
        {"text": "[Music]", "start": 3, "duration": 1},
        {"text": "Second line\nwrapped.", "start": 4.25},
        {"text": "Last.", "start": 9},
    ]
    [doc] = json_transcript.read(json.dumps(data), "library/dQw4w9WgXcQ.json")
    assert doc.format == "json" and doc.video_id == "dQw4w9WgXcQ" and doc.title is None
    assert words(doc) == "Welcome to the show & hello. [Music] Second line wrapped. Last."
    assert doc.segments[0].start == 0.5
    assert doc.last_time == 9  # the last item has no duration: it starts at 9


def test_json_paragraphs_know_their_line():
    text = '[\n  {"text": "One.", "start": 0, "duration": 1},\n\n  {"text": "Two,\\nthree.", "start": 1, "duration": 1}\n]'
    pieces_lines = [seg.line for seg in json_transcript.read(text, "x.json")[0].segments]
    assert pieces_lines[0] == 2
    compact = json.dumps([{"text": "a", "start": 0}, {"text": "b", "start": 1}])
    assert json_transcript.read(compact, "x.json")[0].segments[0].line == 1


@pytest.mark.parametrize("key", ["segments", "transcript", "events"])
def test_json_wrappers(key):
    data = {key: [{"text": "one", "start": 1, "end": 2}, {"text": "two", "start": 2, "end": 3}], "title": "Wrapped"}
    [doc] = json_transcript.read(json.dumps(data), "x.json")
    assert words(doc) == "one two" and doc.title == "Wrapped" and doc.last_time == 3


def test_json3_events():
    data = {"events": [{"tStartMs": 1500, "dDurationMs": 2000, "segs": [{"utf8": "hello"}, {"utf8": " world"}]}, {"tStartMs": 4000}]}
    [doc] = json_transcript.read(json.dumps(data), "x.json")
    assert words(doc) == "hello world"
    assert (doc.segments[0].start, doc.segments[0].end) == (1.5, 3.5)


def test_json_bad_numbers_become_unknown_times():
    data = [{"text": "a", "start": "soon"}, {"text": "b", "start": True}, {"text": "c", "start": -4}, {"text": "d", "start": 1e308 * 10}]
    [doc] = json_transcript.read(json.dumps(data), "x.json")
    assert words(doc) == "a b c d" and doc.last_time is None


@pytest.mark.parametrize(
    "text, reason",
    [
        ("", "not valid JSON"),
        ("{", "not valid JSON"),
        ('{"a": 1}', "not a transcript"),
        ("null", "not a transcript"),
        ("[1, 2, {}]", "no transcript text"),
        ('[{"text": "   "}]', "no transcript text"),
        ("[" * 100_000, "nested too deeply|not valid JSON"),
        ('[{"text": "x", "start": 1' + "0" * 5000 + "}]", "not valid JSON"),
    ],
)
def test_json_errors_say_why(text, reason):
    with pytest.raises(ReadError, match=reason):
        json_transcript.read(text, "x.json")


def test_json_read_through_read_path(tmp_path):
    path = tmp_path / "abcdefghijk.json"
    path.write_text(json.dumps([{"text": "Привіт, світ!", "start": 0, "duration": 1}]), encoding="utf-8")
    [doc] = read_path(path)
    assert doc.video_id == "abcdefghijk" and words(doc) == "Привіт, світ!"


def test_text_opening_on_a_bracket_is_no_json():
    # youtube-transcript-api's text often opens on `[Music]`; whisper-style lines on `[00:00:05]`.
    rng = random.Random(4)
    vocabulary = "so we tried every parser we could find and none of them kept the times right".split()
    lines = "\n".join(" ".join(rng.choices(vocabulary, k=8)) for _ in range(20))
    assert detect_format("[Music]\n" + lines, "talk.en.txt") == "text"
    assert detect_format("[00:00:05] so today\n" + lines, "talk.txt") != "json"
    for listed in ('[{"text": "hi", "start": 0}]', '[\n  {"text": "hi"}\n]', "[]", '["hi"]'):
        assert detect_format(listed, "talk.txt") == "json"


def test_podcasting_2_json_reads_with_its_speakers():
    # The podcast namespace's transcript JSON: a word an item (as its spec's example) or a sentence an item.
    said = [("Alice", "Welcome back to the show."), ("Bob", "Thanks, glad to be here again."), ("Alice", "So, compilers.")]
    words, sentences, t = [], [], 0.5
    for speaker, sentence in said:
        sentences.append({"speaker": speaker, "startTime": t, "endTime": t + 2.0, "body": sentence})
        for k, word in enumerate(sentence.split()):
            words.append({"speaker": speaker, "startTime": round(t + 0.3 * k, 2), "endTime": round(t + 0.3 * k + 0.25, 2), "body": word})
        t += 3.0
    for items in (words, sentences):
        text = json.dumps({"version": "1.0.0", "segments": items})
        assert detect_format(text, "episode.json") == "json"
        [doc] = read_text_as(text, "episode.json")
        assert [s.text for s in doc.segments] == [f"{who}: {sentence}" for who, sentence in said]
        assert [s.start for s in doc.segments] == [0.5, 3.5, 6.5]
