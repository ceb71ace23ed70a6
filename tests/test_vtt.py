"""WebVTT: YouTube rolling auto-captions (generated) and ordinary files (hand-written and real)."""

from __future__ import annotations

import pytest

from tests.gen.captions import make_talk, word_accuracy, youtube_vtt
from tui.model import ReadError, Role
from tui.readers import read_path, read_text_as
from tui.readers.vtt import read


def _words(doc):
    return " ".join(s.text for s in doc.segments if s.kind != "annotation").split()


@pytest.mark.parametrize("seed", range(12))
def test_generated_youtube_vtt_is_recovered(seed):
    talk = make_talk(seed, 1200, punctuation=seed % 2 == 0, speakers=seed % 3 == 0, annotations=seed % 4 == 0)
    (doc,) = read(youtube_vtt(talk), f"Generated talk {seed} [abcDEF12345].en.vtt")
    assert doc.format == "youtube-vtt" and doc.role is Role.TRANSCRIPT
    assert (doc.title, doc.video_id, doc.language) == (f"Generated talk {seed}", "abcDEF12345", "en")
    got = " ".join(s.text for s in doc.segments).split()
    assert word_accuracy(talk.words, got) >= 0.995
    # Each paragraph starts at its own first word's time, not its cue's.
    starts = {}
    position = 0
    for seg in doc.segments:
        starts[position] = seg.start
        position += len(seg.text.split())
    for position, start in starts.items():
        assert start == talk.starts[position]
    for seg in doc.segments:
        if seg.kind == "text":
            assert len(seg.text.split()) <= 120


def test_rolling_cues_take_only_new_text_with_entities():
    text = """WEBVTT
Kind: captions
Language: en

00:00:00.000 --> 00:00:02.000 align:start position:0%
 
[Music]

00:00:02.000 --> 00:00:04.500 align:start position:0%
[Music]
R&amp;D<00:00:02.900><c> is</c><00:00:03.100><c> what</c><00:00:03.300><c> we</c><00:00:03.500><c> do</c>

00:00:04.500 --> 00:00:04.510 align:start position:0%
R&amp;D is what we do
 

00:00:04.510 --> 00:00:07.000 align:start position:0%
R&amp;D is what we do
&gt;&gt;<00:00:05.000><c> so</c><00:00:05.500><c> what&nbsp;is</c><00:00:06.000><c> it</c>

00:00:07.000 --> 00:00:07.010 align:start position:0%
&gt;&gt; so what&nbsp;is it
 
"""
    (doc,) = read(text, "Talk [abcDEF12345].en.vtt")
    assert [(s.kind, s.text, s.start) for s in doc.segments] == [
        ("annotation", "[Music]", 0.0),
        ("text", "R&D is what we do", 2.0),
        ("text", ">> so what is it", 4.51),
    ]
    # Each word has its own time: `so` was said at 5.0, not at its cue's start.
    assert doc.segments[2].end == 7.0


def test_ordinary_webvtt_blocks_identifiers_settings_voices():
    text = """WEBVTT - a lecture
Kind: captions
Language: de

NOTE written by hand
over two lines

STYLE
::cue { color: yellow }

REGION
id:fred width:40%

intro
00:01.000 --> 00:04.000 line:0 position:20% align:start
<v Ann>Hello &amp; welcome,
everyone.

00:04.000 --> 00:06.500
<v Ann>This is <b>bold</b> text.

2
00:06.500 --> 00:09.000 region:fred
<v.loud Bob>And I disagree!
"""
    (doc,) = read(text, "/lib/Lecture one.vtt")
    assert doc.format == "vtt" and doc.language == "de" and doc.title == "Lecture one" and doc.video_id is None
    assert [(s.start, s.text) for s in doc.segments] == [
        (1.0, "Ann: Hello & welcome, everyone. This is bold text."),
        (6.5, "Bob: And I disagree!"),
    ]
    lines = text.split("\n")
    assert lines[doc.segments[0].line - 1].startswith("00:01.000")
    assert lines[doc.segments[1].line - 1].startswith("00:06.500")


def test_markup_and_escapes_stay_inert():
    text = "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n[bold red]alert[/bold red] &#27;[31m done\n"
    (doc,) = read(text, "x.vtt")
    body = " ".join(s.text for s in doc.segments)
    assert "\x1b" not in body
    assert "[bold red]alert[/bold red]" in body


@pytest.mark.parametrize("text", ["", "not a caption file", "WEBVTT\n\nNOTE only a note\n", "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n   \n"])
def test_bad_files_raise_read_error(text):
    with pytest.raises(ReadError):
        read(text, "bad.vtt")


def test_real_captions(real):
    files = sorted((real / "captions").glob("*.vtt"))
    assert len(files) == 3
    for path in files:
        (doc,) = read_path(path)
        source = path.read_text(encoding="utf-8")
        assert doc.format == "vtt"
        assert doc.video_id and doc.video_id in source  # from the `Video:` header
        body = " ".join(s.text for s in doc.segments)
        assert "-->" not in body and "<" not in body
        # Every cue's words arrive, in order, once.
        cue_words = [w for block in source.split("\n\n")[1:] for line in block.split("\n")[1:] for w in line.split()]
        assert body.split() == cue_words
        assert all(s.start is not None and not s.estimated for s in doc.segments)
        starts = [s.start for s in doc.segments]
        assert starts == sorted(starts)
    # Speaker prefixes start paragraphs; a multi-line cue reads as one sentence.
    (interview,) = read_path(next(p for p in files if "trump" in p.name))
    source = next(p for p in files if "trump" in p.name).read_text(encoding="utf-8")
    prefixed_cues = [line for line in source.split("\n") if line.startswith(("MOF :", "JLM :"))]
    prefixed_paragraphs = [s.text for s in interview.segments if s.text.startswith(("MOF :", "JLM :"))]
    assert len(prefixed_paragraphs) == len(prefixed_cues) > 20
    assert interview.segments[0].text.startswith("MOF :")
    assert interview.segments[1].text == "JLM : Bonsoir." and interview.segments[1].start == 3.2
    assert interview.language == "fr"
    (otan,) = read_path(next(p for p in files if "otan" in p.name))
    assert "an unbelievable statement a few lines further down," in " ".join(s.text for s in otan.segments)


def test_detected_by_read_text_as():
    talk = make_talk(99, 200)
    (doc,) = read_text_as(youtube_vtt(talk), "talk.vtt")
    assert doc.format == "youtube-vtt"
