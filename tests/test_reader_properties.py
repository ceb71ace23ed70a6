"""Every reader, fed arbitrary text and bytes, gives documents or a clear ReadError.

Nothing else may come out: no other exception, no empty result, no segment
whose text is not a string or whose time is not a real number. Inputs are
random text, random bytes, and random mixes of the fragments that steer each
reader into its deeper paths (timings, headers, anchors, JSON keys).
"""

from __future__ import annotations

import importlib.util
import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui.model import Document, ReadError, Role, Segment
from tui.readers import READERS, read_path, read_text_as
from tui.textio import decode

SUFFIX = {"markdown": ".md", "plain": ".txt", "dump": ".txt", "vtt": ".vtt", "srt": ".srt", "sbv": ".sbv", "json": ".json",
          "info": ".info.json", "description": ".description", "text": ".txt", "note": ".md",
          "timedtext": ".srv3", "stamped": ".txt"}

FRAGMENTS = [
    # captions
    "WEBVTT", "WEBVTT\nKind: captions\nLanguage: en", "NOTE a note", "STYLE\n::cue { color: red }", "REGION\nid:r1",
    "1", "2", "00:00:01,000 --> 00:00:02,000", "00:00:01.000 --> 00:00:04.000 align:start position:0%",
    "99:99:99,999 --> 00:00:00,000", "0:00:00.599,0:00:04.160", "0:00:04.160,0:00:01.000",
    "<c>word</c>", "<00:00:01.500><c> timed</c>", "<i>", "</i>", "{\\an8}", "&amp;", "&gt;&gt;", "&#27;", ">>", "[music]",
    # summaries
    "---", "title: A talk", "videoId: abcdefghijk", "title: [unclosed", "From: [[channel]] <br/>", "From: someone",
    "# Heading", "## Section", "### 00:01:10 Part", "• bullet", "  • nested", "- item", "```mermaid", "```",
    '<a class="yt-timestamp" data-t="00:01:10">[00:01:10]</a>', '<a class="yt-timestamp" data-t="48:20:00">[48:20:00]</a>',
    "[00:01:10]", "[48:20:00]", "[1:02:03:04]", "[12:34]", "[[Wiki link|label]]", "[[link]]", "\\[escaped\\]",
    # dump
    "Timestamp: 2024-01-01", "Title: Inside a talk", "URL: https://www.youtube.com/watch?v=abcdefghijk",
    "Status: ok", "Duration: 50:23", "Duration: 99:99:99", "Description:", "Content:", "0:00 Intro", "12:34 - Q&A",
    # timestamped lines
    "0:04", "0:04 so the kiln", "[00:00:05] it heats", "[00:00:00.000 --> 00:00:04.000]  up", "Speaker 1  0:03",
    "Jane Doe (00:01:23):", "[00:01:23] Jane Doe: slowly", "9:99 never", "1:02:03",
    # json
    "[", "]", "{", "}", '{"text": "hi", "start": 1, "duration": 2}', '"start": "1.5"', '{"segments": [', '{"events": [',
    # hostile text
    "[bold red]x[/]", "[link=http://evil]click[/link]", "\x1b[31m", "\x1b]52;c;aGVsbG8=\x07", "\x00", "\ufeff", "\u202e",
    "Привіт", "你好世界", "🎉", "",
]

# One small valid file per format: mutating it keeps the reader past its first checks.
VALID = {
    "markdown": "---\ntitle: Clay\nvideoId: abcdefghijk\n---\nFrom: [[Potters]] <br/>\n## Firing\n"
    '<a class="yt-timestamp" data-t="00:01:10">[00:01:10]</a> The kiln [[heat|heats]] up.\n- a point [00:02:00]\n',
    "plain": "Clay\nFrom: Potters\n\nFiring\n• The kiln heats up [00:01:10]\n  • slowly [00:02:00]\n",
    "dump": "Timestamp: 2024-01-01\nTitle: Clay\nURL: https://youtu.be/abcdefghijk\nStatus: ok\nDuration: 3:00\n"
    "Description:\n0:00 Intro\n1:10 Firing\nContent:\nthe kiln the kiln heats the kiln heats up up slowly\n",
    "vtt": "WEBVTT\nKind: captions\n\n00:00:01.000 --> 00:00:03.000 align:start\nthe<00:00:01.500><c> kiln</c>\n\n"
    "00:00:03.000 --> 00:00:05.000\nthe kiln\nheats up &gt;&gt; [music]\n",
    "srt": "1\n00:00:01,000 --> 00:00:03,000\n<i>The kiln</i>\nheats up.\n\n2\n00:00:03,000 --> 00:00:05,000\n[music]\n",
    "sbv": "0:00:01.000,0:00:03.000\nThe kiln\nheats up.\n\n0:00:03.000,0:00:05.000\n&gt;&gt; [music]\n",
    "json": '[{"text": "The kiln", "start": 1, "duration": 2}, {"text": "heats up", "start": "3"}]',
    "info": '{"id": "abcdefghijk", "title": "Clay", "channel": "Potters", "duration": 300, "upload_date": "20240501",\n'
    '"description": "The kiln.\\n0:00 Intro\\n1:10 Firing",\n"chapters": [{"start_time": 0, "title": "Intro"},\n'
    '{"start_time": 70.5, "end_time": 300, "title": "Firing"}],\n"webpage_url": "https://youtu.be/abcdefghijk", "_type": "video"}',
    "description": "The kiln heats up.\n\n0:00 Intro\n1:10 Firing\n- a point\n",
    "text": "The kiln heats up.\nIt heats up slowly\nover a whole day and night.\nThen it cools.\n",
    "timedtext": '<?xml version="1.0" encoding="utf-8" ?><timedtext format="3"><body>\n<p t="1000" d="2000" w="1">'
    '<s ac="0">the</s><s t="300" ac="0"> kiln</s></p>\n<p t="3000" d="1000">heats up &amp;gt;&amp;gt; slowly</p>\n</body></timedtext>',
    "note": "---\nduration_seconds: 120\n---\n# Clay\n**Video ID：** abcdefghijk\n## Transcript\n"
    + "the kiln<00: 00: 01. 500><c> heats</c> up the kiln heats up &gt; &gt; slowly " * 40 + "\n",
    "stamped": "".join(f"0:{4 * k:02d}\nthe kiln heats up {k} times\n" for k in range(10)),
}

line = st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=12))
formatted_text = st.lists(line, max_size=30).map("\n".join)


@st.composite
def mutated_valid(draw):
    """A valid file of some format with lines replaced, inserted, dropped or cut short."""
    lines = draw(st.sampled_from(sorted(VALID.values()))).split("\n")
    for _ in range(draw(st.integers(0, 4))):
        at = draw(st.integers(0, len(lines)))
        action = draw(st.sampled_from(["insert", "replace", "drop", "cut"]))
        if action == "insert" or not lines or at == len(lines):
            lines.insert(at, draw(line))
        elif action == "replace":
            lines[at] = draw(line)
        elif action == "drop":
            del lines[at]
        else:
            lines[at] = lines[at][: draw(st.integers(0, len(lines[at])))]
    return "\n".join(lines)


any_text = st.one_of(st.text(max_size=400), formatted_text, mutated_valid())
any_bytes = st.one_of(
    st.binary(max_size=400),
    formatted_text.map(lambda t: t.encode("utf-8", "surrogatepass")),
    mutated_valid().map(lambda t: t.encode("utf-8", "surrogatepass")),
    formatted_text.map(lambda t: t.encode("utf-16", "surrogatepass")),  # with a BOM
    formatted_text.map(lambda t: t.encode("utf-16-le", "surrogatepass")),  # without one
)

CHECKS = settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def check_result(docs) -> None:
    assert isinstance(docs, list) and docs, "a reader returned no documents without raising ReadError"
    for doc in docs:
        assert isinstance(doc, Document)
        assert isinstance(doc.role, Role)
        assert isinstance(doc.segments, list)
        for seg in doc.segments:
            assert isinstance(seg, Segment) and isinstance(seg.text, str)
            for t in (seg.start, seg.end):
                assert t is None or (isinstance(t, (int, float)) and math.isfinite(t)), f"bad time {t!r}"


def read_or_refuse(call, *args) -> None:
    try:
        docs = call(*args)
    except ReadError as exc:
        assert str(exc).strip(), "a ReadError must say why"
        return
    check_result(docs)


@pytest.fixture(params=sorted(READERS))
def fmt(request) -> str:
    return request.param


def test_every_format_has_its_reader():
    for fmt, module in READERS.items():
        assert importlib.util.find_spec(f"tui.readers.{module}") is not None, fmt
    assert set(SUFFIX) == set(READERS) == set(VALID)


@CHECKS
@given(text=any_text)
def test_any_text(fmt, text):
    read_or_refuse(read_text_as, text, f"talk{SUFFIX[fmt]}", fmt)


@CHECKS
@given(data=any_bytes)
def test_any_bytes_decoded(fmt, data):
    # What read_path does, but forced through this reader instead of the detected one.
    try:
        text = decode(data, "talk")
    except ReadError as exc:
        assert str(exc).strip()
        return
    read_or_refuse(read_text_as, text, f"talk{SUFFIX[fmt]}", fmt)


@CHECKS
@given(data=any_bytes)
def test_any_bytes_from_a_file(fmt, data, tmp_path_factory):
    folder = tmp_path_factory.getbasetemp() / "reader-properties"
    folder.mkdir(exist_ok=True)
    path = folder / f"talk{SUFFIX[fmt]}"
    path.write_bytes(data)
    read_or_refuse(read_path, path)


def test_valid_examples_open(fmt):
    # The seeds of the mutation strategy must be real files of their format,
    # or the properties above would only ever test the refusal path.
    docs = read_text_as(VALID[fmt], f"talk{SUFFIX[fmt]}", fmt)
    check_result(docs)
    assert any(doc.segments for doc in docs)
