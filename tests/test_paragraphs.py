"""Paragraph building: sentences, pauses, steady size, speakers, annotations, times."""

from __future__ import annotations

import pytest

from tests.gen.captions import make_talk
from tui.paragraphs import MAX_WORDS, MIN_WORDS, Piece, build_paragraphs


def _words(segments):
    return " ".join(s.text for s in segments).split()


def test_punctuated_text_breaks_at_sentence_ends():
    talk = make_talk(5, 1200, punctuation=True)
    pieces = [Piece(talk.line_text(k)) for k in range(len(talk.lines))]
    segs = build_paragraphs(pieces)
    assert _words(segs) == talk.words
    assert len(segs) > 8
    for seg in segs[:-1]:
        assert seg.text[-1] in ".?!", seg.text[-30:]
        assert MIN_WORDS <= len(seg.text.split()) <= MAX_WORDS


def test_timed_text_breaks_at_the_longest_pause():
    words = [f"w{i}" for i in range(150)]
    starts = [i * 0.3 for i in range(150)]
    for i in range(90, 150):
        starts[i] += 5.0  # a long silence before word 90
    pieces = [Piece(w, s, s + 0.25) for w, s in zip(words, starts)]
    segs = build_paragraphs(pieces)
    assert [len(s.text.split()) for s in segs] == [90, 60]
    assert segs[1].start == starts[90]
    assert segs[0].end == starts[89] + 0.25


def test_untimed_unpunctuated_text_gets_a_steady_size():
    words = [f"w{i}" for i in range(1000)]
    segs = build_paragraphs([Piece(" ".join(words))])
    assert _words(segs) == words
    assert all(MIN_WORDS <= len(s.text.split()) <= MAX_WORDS for s in segs)
    assert all(s.start is None for s in segs)


def test_speaker_change_starts_a_paragraph_even_inside_a_piece():
    segs = build_paragraphs([Piece("so that was it", 1.0, 3.0), Piece("thanks >> and now a question", 3.0, 6.0)])
    assert [s.text for s in segs] == ["so that was it thanks", ">> and now a question"]
    # Inside a timed piece the time is interpolated by word position.
    assert segs[1].start == 3.0 + 3.0 * 1 / 6


def test_named_speakers_and_voices_start_paragraphs():
    segs = build_paragraphs([Piece("MOF : Il est là,"), Piece("bonsoir."), Piece("JLM : Bonsoir.")])
    assert [s.text for s in segs] == ["MOF : Il est là, bonsoir.", "JLM : Bonsoir."]
    segs = build_paragraphs([Piece("hello", speaker="Ann"), Piece("there", speaker="Ann"), Piece("hi", speaker="Bob")])
    assert [s.text for s in segs] == ["Ann: hello there", "Bob: hi"]


def test_annotations_between_sentences_are_their_own_segments():
    pieces = [Piece("[Music]", 0.0, 4.0), Piece("Welcome to the show.", 4.0, 6.0), Piece("[Applause]", 6.0, 8.0),
              Piece("Thank you. And then [laughter] we laughed.", 8.0, 12.0)]
    segs = build_paragraphs(pieces)
    kinds = [(s.kind, s.text) for s in segs]
    assert kinds[0] == ("annotation", "[Music]")
    assert ("annotation", "[Applause]") in kinds
    # Mid-sentence it stays inline, visible.
    assert any("[laughter]" in s.text and s.kind == "text" for s in segs)
    assert segs[1].start == 4.0


def test_paragraph_starts_at_first_word_time_and_keeps_lines():
    pieces = [Piece("alpha", 10.5, 11.0, line=7), Piece("beta", 11.0, 11.4, line=7), Piece("gamma", 11.4, 12.0, line=9)]
    (seg,) = build_paragraphs(pieces)
    assert (seg.start, seg.end, seg.line, seg.text) == (10.5, 12.0, 7, "alpha beta gamma")


def test_censored_word_is_not_an_annotation_and_empty_input():
    (seg,) = build_paragraphs([Piece("what the [ __ ] is that")])
    assert seg.kind == "text" and "[ __ ]" in seg.text
    assert build_paragraphs([]) == []
    assert build_paragraphs([Piece("  "), Piece("")]) == []


def test_an_escaped_bracket_is_text_not_an_annotation():
    (seg,) = build_paragraphs([Piece(r"text with \[escaped] words")])
    assert seg.kind == "text" and seg.text == r"text with \[escaped] words"


def _paragraph_ends(doc):
    ends, position = [], 0
    for seg in doc.segments:
        position += len(seg.text.split())
        ends.append(position - 1)
    return ends[:-1]


@pytest.mark.parametrize("punctuation", [True, False])
def test_generated_timed_talks_end_paragraphs_at_sentences_or_pauses(punctuation):
    """YouTube rolling WebVTT: each word "ends" where the next starts, so pauses
    come from start-to-start gaps. >= 95% of paragraph ends must fall on a
    sentence end or a pause of 0.8 s or more (measured: 100% punctuated, 98.5%
    unpunctuated, worst talk 95.5%)."""
    from tests.gen.captions import youtube_vtt
    from tui.readers import read_text_as

    good = total = 0
    for seed in range(10):
        talk = make_talk(seed, 3000, punctuation=punctuation, speakers=seed % 3 == 0, annotations=seed % 4 == 0)
        (doc,) = read_text_as(youtube_vtt(talk), f"t{seed}.en.vtt")
        assert _words(doc.segments) == talk.words
        ends = _paragraph_ends(doc)
        ok = sum(e in talk.sentence_ends or talk.starts[e + 1] - talk.ends[e] >= 0.8 for e in ends)
        assert ok >= 0.95 * len(ends), (seed, ok, len(ends))
        good, total = good + ok, total + len(ends)
    assert good >= 0.97 * total


def test_pause_is_found_from_word_starts_when_ends_are_glued():
    # Every word ends where the next starts (as YouTube writes them); one gap is long.
    starts = [i * 0.35 for i in range(150)]
    for i in range(77, 150):
        starts[i] += 1.4
    pieces = [Piece(f"w{i}", t, starts[i + 1] if i + 1 < 150 else t + 0.3) for i, t in enumerate(starts)]
    segs = build_paragraphs(pieces)
    assert [len(s.text.split()) for s in segs] == [77, 73]


def test_punctuated_sentence_is_not_cut_until_the_hard_cap():
    from tui.paragraphs import HARD_CAP

    long_sentence = " ".join(f"w{i}" for i in range(170)) + "."
    text = "Short one here. " * 3 + long_sentence + " " + "Then more words follow here. " * 12
    segs = build_paragraphs([Piece(text)])
    assert all(s.text.endswith(".") for s in segs), [s.text[-20:] for s in segs]
    endless = " ".join(f"w{i}" for i in range(HARD_CAP + 200)) + ". " + "Next sentence here. " * 30
    segs = build_paragraphs([Piece(endless)])
    assert len(segs[0].text.split()) <= MAX_WORDS  # past the cap a sentence is cut after all


def test_unpunctuated_untimed_dump_cuts_before_likely_sentence_starts():
    import random

    rng = random.Random(5)
    filler = "the model learns from data and we see that it works on many tasks".split()
    sentences = []
    for k in range(40):
        body = rng.sample(filler, rng.randint(6, 12))
        start = rng.choice([["so", "I"], ["and", "so", "we"], ["okay", "let's"], ["um", "so", "you"]])
        sentences.append(start + body)
    words = [w for s in sentences for w in s]
    starts = set()
    position = 0
    for s in sentences:
        starts.add(position)
        position += len(s)
    segs = build_paragraphs([Piece(" ".join(words))])
    assert _words(segs) == words
    cuts, position = [], 0
    for seg in segs[:-1]:
        position += len(seg.text.split())
        cuts.append(position)
    assert cuts and sum(c in starts for c in cuts) >= 0.9 * len(cuts)


def test_a_few_words_between_breaks_are_no_paragraph():
    pieces = [Piece("Welcome to the show, it is good to have you all here with us tonight."), Piece("[Music]"),
              Piece("like um"), Piece("[Applause]"), Piece("So we begin.")]
    segs = build_paragraphs(pieces)
    assert all(len(s.text.split()) > 2 or s.kind == "annotation" for s in segs), [s.text for s in segs]
    assert "like um" in " ".join(s.text for s in segs)


def test_an_annotation_inside_an_unpunctuated_caption_stays_inline():
    pieces = [
        Piece("alpha [Music] beta", 1.0, 3.0),
        Piece("he said [sic] and [x]y left", 3.0, 5.0),
        Piece("[bold red]RED TEXT[/] and [link=http://evil]click me[/link]", 5.0, 7.0),
        Piece("[Music]", 9.0, 10.0),  # a caption of its own, after a pause: a segment of its own
        Piece("so we go on from here", 10.0, 12.0),
    ]
    segs = build_paragraphs(pieces)
    assert [(s.kind, s.text) for s in segs] == [
        ("text", "alpha [Music] beta he said [sic] and [x]y left [bold red]RED TEXT[/] and [link=http://evil]click me[/link]"),
        ("annotation", "[Music]"),
        ("text", "so we go on from here"),
    ]


def test_word_timed_annotations_split_only_where_the_talk_pauses():
    words = "we start here [Music] and then we carry on [Applause] until the end".split()
    times = [0.0, 0.3, 0.6, 3.0, 6.0, 6.3, 6.6, 6.9, 7.2, 7.5, 7.8, 8.1, 8.4]  # music from 1 s to 6 s
    segs = build_paragraphs([Piece(w, t, t + 0.3) for w, t in zip(words, times)])
    assert [(s.kind, s.text) for s in segs] == [
        ("text", "we start here"),
        ("annotation", "[Music]"),
        ("text", "and then we carry on [Applause] until the end"),
    ]


def test_a_long_silence_ends_a_paragraph_however_short():
    pieces = [Piece(f"Topic number {k} is about something else entirely.", 60.0 * k, 60.0 * k + 4) for k in range(6)]
    segs = build_paragraphs(pieces)
    assert [s.start for s in segs] == [0.0, 60.0, 120.0, 180.0, 240.0, 300.0]
    # Inside a sentence the silence is a breath, not a paragraph's end.
    pieces = [Piece("We waited for the answer and", 0.0, 2.0), Piece("then it came to us in the end.", 9.0, 11.0)]
    assert len(build_paragraphs(pieces)) == 1


def test_initials_end_no_sentence():
    from tui.paragraphs import _Stream

    said = "We talked of the U. S and the world. Then of J. R. R. Tolkien and plan B. Then home."
    stream = _Stream([Piece(said)])
    assert [stream.words[i] for i in stream.sentence_ends()] == ["world.", "B.", "home."]
