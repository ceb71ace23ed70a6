"""The readers' fast paths read exactly what webvtt-py's parse reads.

Regular caption files skip webvtt-py (its per-cue objects cost many times the
reading itself). These differential tests read the same text twice, with the
fast path and with it switched off, on generated files (regular ones and ones
with every quirk the fast path must hand back) and on the real captions, and
demand identical documents.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.gen.captions import line_cues, make_talk
from tui.model import ReadError
from tui.readers import srt
from tui.textio import read_text

REAL = Path("/work/shared/corpus/real/captions")


def _clock(seconds: float, sep: str = ",") -> str:
    ms = int(round(seconds * 1000))
    return f"{ms // 3_600_000:02d}:{ms // 60_000 % 60:02d}:{ms // 1000 % 60:02d}{sep}{ms % 1000:03d}"


def _slow(monkeypatch_target, text: str, path: str):
    """srt.read with the fast path switched off (webvtt-py parses every file)."""
    fast = srt.regular_srt_pieces
    srt.regular_srt_pieces = lambda _text: None
    try:
        return monkeypatch_target(text, path)
    finally:
        srt.regular_srt_pieces = fast


def _both(text: str, path: str = "lib/chan__A Talk [abcdefghijk].en.srt"):
    def read(reader):
        try:
            return reader(text, path)
        except ReadError as exc:
            return str(exc)

    return read(srt.read), read(lambda t, p: _slow(srt.read, t, p))


# Text a cue may hold: words, tags, entities, ASS blocks, digits-only lines, annotations, `>>`.
_CUE_TEXTS = [
    "plain words here.",
    "<i>italic</i> and <b>bold</b>",
    "&amp; &gt;&gt; Speaker two &lt;i&gt;",
    "{\\an8}[Music]",
    "1984",
    "two\nlines of text",
    "  padded   spaces  ",
    "Ünïcödé — “quotes”…",
    "a < b and c > d",
    ">> who said that?",
    "(laughter)",
]


def _regular_srt(rng: random.Random, cues: int) -> str:
    out = []
    t = rng.uniform(0, 5)
    for i in range(cues):
        start, end = t, t + rng.uniform(0.5, 4)
        sep = rng.choice([",", ",", "."])
        arrow = rng.choice([" --> ", " --> ", "-->", "  -->\t"])
        tail = rng.choice(["", "", " X1:100 X2:200"])
        text = rng.choice(_CUE_TEXTS)
        out.append(f"{i + 1}\n{_clock(start, sep)}{arrow}{_clock(end, sep)}{tail}\n{text}\n")
        out.append(rng.choice(["\n", "\n", "\n\n", "\n  \n"]))
        t = end + rng.choice([0, 0, 0.1, 1.5])
    return "".join(out)


@pytest.mark.parametrize("seed", range(30))
def test_regular_srt_fast_path_matches_webvtt(seed):
    rng = random.Random(seed)
    text = _regular_srt(rng, rng.randint(1, 60))
    assert srt.regular_srt_pieces(text) is not None  # the fast path did the reading
    fast, slow = _both(text)
    assert fast == slow


def test_generated_talk_srt_matches_webvtt():
    talk = make_talk(3, 3000, punctuation=True, speakers=True, annotations=True)
    text = "\n".join(f"{i + 1}\n{_clock(s)} --> {_clock(e)}\n{line}\n" for i, (s, e, line) in enumerate(line_cues(talk)))
    assert srt.regular_srt_pieces(text) is not None
    fast, slow = _both(text)
    assert fast == slow and len(fast[0].segments) > 10


# Files the fast path must hand to webvtt-py: each still reads as webvtt-py reads it.
_IRREGULAR = [
    "Subtitles by someone\n\n1\n00:00:01,000 --> 00:00:02,000\nHello.\n",
    "00:00:01,000 --> 00:00:02,000\nNo numbers.\n\n00:00:03,000 --> 00:00:04,000\nStill.\n",
    "1\n00:00:01,000 --> 00:00:02,000\n\n2\n00:00:03,000 --> 00:00:04,000\nThe first cue has no text.\n",
    "1\n00:00:01,000 --> 00:00:02,000\nText then a cue with no gap\n2\n00:00:03,000 --> 00:00:04,000\nsecond\n",
    "1\n00:00:01,000 --> 00:00:02,000\nfirst\n\nan orphan block joins the cue before\n\n2\n00:00:03,000 --> 00:00:04,000\nsecond\n",
    "1\r\n00:00:01,000 --> 00:00:02,000\r\nCR line ends\r\n",
    "1\n00:00:01,12345 --> 00:00:02,000\nlong fraction\n",
    "1\n00:61:01,000 --> 00:00:02,000\nminutes carry over, end before start\n",
    "1\n0000000000001:00:01,000 --> 00:00:02,000\nmany hour digits\n",
    "1\n00:00:01,000 --> 00:00:02,000\ntext with --> an arrow\n",
    " 1\n00:00:01,000 --> 00:00:02,000\nindented number\n",
    "1\n00:00:01,000 --> 99999999999999999999:00:02,000\nout of range\n",
    "1\n00:00:01,000 --> 00:00:02,000\nctrl \x1b[31mred\x1b[0m &#27;\n",
]


@pytest.mark.parametrize("text", _IRREGULAR)
def test_irregular_srt_reads_as_webvtt_reads_it(text):
    fast, slow = _both(text)
    assert fast == slow


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 10**7), st.integers(0, 10**7), st.sampled_from(_CUE_TEXTS + ["", " ", "-->"])), max_size=12),
       st.sampled_from(["\n", "\n\n", "\n \n", ""]))
def test_any_cue_list_reads_as_webvtt_reads_it(cues, gap):
    text = "".join(f"{i + 1}\n{_clock(a / 1000)} --> {_clock(b / 1000)}\n{t}\n{gap}" for i, (a, b, t) in enumerate(cues))
    fast, slow = _both(text)
    assert fast == slow


@pytest.mark.skipif(not REAL.is_dir(), reason="the real corpus is not on this machine")
@pytest.mark.parametrize("name", sorted(p.name for p in REAL.glob("*.srt")) if REAL.is_dir() else [])
def test_real_srt_matches_webvtt(name):
    path = str(REAL / name)
    text = read_text(path)
    assert srt.regular_srt_pieces(text) is not None  # real files are regular ones
    fast, slow = _both(text, path)
    assert fast == slow


# --- paragraphs: sentence ends found by one regex, as the per-word test finds them ---

_WORDS = st.sampled_from(["word", "end.", "Why?", "wow!", "Mr.", "e.g.", "next", "Next", "[Music]", ">>", "a.b", ".", "?!", "Élan", "éte."])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(_WORDS, min_size=0, max_size=8), max_size=30))
def test_sentence_ends_match_the_per_word_test(lines):
    from tui.paragraphs import Piece, _Stream

    stream = _Stream([Piece(" ".join(words), float(i), i + 0.5) for i, words in enumerate(lines)])
    words = stream.words
    expected = [i for i in range(len(words)) if words[i][-1:] in ".?!" and stream.sentence_end(i)]
    assert stream.sentence_ends() == expected


# --- WebVTT: regular files split by one regex, as webvtt-py splits them ---

from tests.gen.captions import youtube_vtt  # noqa: E402
from tui.readers import vtt  # noqa: E402


def _vtt_both(text: str, path: str = "lib/chan__A Talk [abcdefghijk].en.vtt"):
    def read():
        try:
            return vtt.read(text, path)
        except ReadError as exc:
            return str(exc)

    fast = read()
    regular = vtt.regular_cues
    vtt.regular_cues = lambda _body: None
    try:
        slow = read()
    finally:
        vtt.regular_cues = regular
    return fast, slow


def _vtt_clock(ms: int) -> str:
    return f"{ms // 3_600_000:02d}:{ms // 60_000 % 60:02d}:{ms // 1000 % 60:02d}.{ms % 1000:03d}"


def _ordinary_vtt(rng: random.Random, cues: int) -> str:
    out = [rng.choice(["WEBVTT", "WEBVTT - a title", "WEBVTT\nKind: captions\nLanguage: fr"]), "\n\n"]
    t = rng.randint(0, 5000)
    for i in range(cues):
        start, end = t, t + rng.randint(0, 4000)
        ident = rng.choice(["", "", f"{i + 1}\n", f"cue-{i}\n", " \n"])
        settings = rng.choice(["", "", " align:start position:0%", " line:0 bogus"])
        text = rng.choice(_CUE_TEXTS + ["<v Anna>Hello there.", "<v.loud Bob>Hi</v>", " ", "<c.colorE5E5E5>coloured</c>"])
        out.append(f"{ident}{_vtt_clock(start)} --> {_vtt_clock(end)}{settings}\n{text}\n")
        out.append(rng.choice(["\n", "\n", "\n\n"]))
        t = end + rng.choice([0, 0, 10, 1500])
    return "".join(out)


@pytest.mark.parametrize("seed", range(30))
def test_ordinary_vtt_fast_path_matches_webvtt(seed):
    rng = random.Random(seed)
    text = _ordinary_vtt(rng, rng.randint(1, 60))
    assert vtt.regular_cues(text) is not None
    fast, slow = _vtt_both(text)
    assert fast == slow


@pytest.mark.parametrize("seed", range(4))
def test_youtube_vtt_fast_path_matches_webvtt(seed):
    talk = make_talk(seed, 2500, punctuation=seed % 2 == 0, speakers=True, annotations=True)
    text = youtube_vtt(talk, title_cue=seed == 1)
    assert vtt.regular_cues(text) is not None
    fast, slow = _vtt_both(text)
    assert fast == slow and fast[0].format == "youtube-vtt"


_IRREGULAR_VTT = [
    "WEBVTT\n\nNOTE a comment\n\n00:00:01.000 --> 00:00:02.000\nafter a note\n",
    "WEBVTT\n\nSTYLE\n::cue { color: red }\n\n00:00:01.000 --> 00:00:02.000\nafter a style\n",
    "WEBVTT\n\nREGION\nid:fred width:40%\n\n00:00:01.000 --> 00:00:02.000 region:fred\nin a region\n",
    "WEBVTT\n\n01:02.500 --> 01:03.000\nshort times\n",
    "WEBVTT\n\n00:61:02.500 --> 00:62:03.000\nminutes over 59 (dropped)\n\n00:00:01.000 --> 00:00:02.000\nkept\n",
    "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\ntext\n00:00:03.000 --> 00:00:04.000\nno empty line between\n",
    "WEBVTT\r\n\r\n00:00:01.000 --> 00:00:02.000\r\nCR line ends\r\n",
    "WEBVTT\n00:00:01.000 --> 00:00:02.000\ncue inside the header\n",
    "WEBVTT\n\n00:00:01.0000 --> 00:00:02.000\nlong fraction\n",
    "WEBVTT\n\n00:00:01.000 --> 00:00:02.0001\nlong end fraction\n",
    "WEBVTT\n\nid one\nid two\n00:00:01.000 --> 00:00:02.000\ntwo identifiers\n",
    "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n\n\nstray text block\n\n00:00:03.000 --> 00:00:04.000\nlast\n",
    "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nctrl \x1b[31mred &#27;\n",
    "WEBVTTX\n\n00:00:01.000-->00:00:02.000\nno spaces round the arrow\n",
    "NOT A VTT\n\n00:00:01.000 --> 00:00:02.000\nx\n",
]


@pytest.mark.parametrize("text", _IRREGULAR_VTT)
def test_irregular_vtt_reads_as_webvtt_reads_it(text):
    fast, slow = _vtt_both(text)
    assert fast == slow


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 10**7), st.integers(0, 10**7), st.sampled_from(_CUE_TEXTS + ["", " ", "-->", "NOTE", "1"]),
                          st.sampled_from(["", "7\n", "NOTE\n", " \n"])), max_size=12),
       st.sampled_from(["\n", "\n\n", "\n \n", ""]))
def test_any_vtt_cue_list_reads_as_webvtt_reads_it(cues, gap):
    text = "WEBVTT\n\n" + "".join(f"{ident}{_vtt_clock(a)} --> {_vtt_clock(b)}\n{t}\n{gap}" for a, b, t, ident in cues)
    fast, slow = _vtt_both(text)
    assert fast == slow


@pytest.mark.skipif(not REAL.is_dir(), reason="the real corpus is not on this machine")
@pytest.mark.parametrize("name", sorted(p.name for p in REAL.glob("*.vtt")) if REAL.is_dir() else [])
def test_real_vtt_matches_webvtt(name):
    path = str(REAL / name)
    text = read_text(path)
    fast, slow = _vtt_both(text, path)
    assert fast == slow
