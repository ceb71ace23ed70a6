"""Transcripts written as timestamped lines (YouTube's panel copied, whisper, Otter, Rev, Descript).

Generated from talks whose words and times are known (tests/gen/stamped.py):
every word comes back, in order; a paragraph starts at its first word's
stamp; named speakers start paragraphs; lists of chapters and timed summary
points stay summaries.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.gen import stamped
from tests.gen.captions import GenTalk, make_talk, word_accuracy
from tui.model import Role
from tui.readers import detect_format, read_path, read_text_as

NAMES = ["Jane Doe", "Speaker 2"]
PLAIN = {"panel": stamped.panel, "inline": stamped.inline, "bracketed": stamped.bracketed, "whisper": stamped.whisper}
TURNS = {"otter": stamped.otter, "rev": stamped.rev, "descript": stamped.descript}


def _read(text: str, name: str = "Talk [abcdefghijk].en.txt"):
    docs = read_text_as(text, name)
    assert docs[0].role is Role.TRANSCRIPT and docs[0].format == "stamped"
    return docs


def _words_and_starts(doc, names=()) -> tuple[list[str], list[tuple[int, float]]]:
    """The words read (speaker labels left out), and (first word index, start) per paragraph."""
    words: list[str] = []
    starts = []
    for seg in doc.segments:
        said = seg.text.split()
        for name in names:
            if seg.text.startswith(name + ":"):
                said = said[len(name.split()):]
        starts.append((len(words), seg.start))
        words.extend(said)
    return words, starts


def _line_of(talk: GenTalk) -> list[int]:
    out = [0] * len(talk.words)
    for n, (a, b) in enumerate(talk.lines):
        for k in range(a, b):
            out[k] = n
    return out


def _check_starts(talk: GenTalk, starts: list[tuple[int, float]]) -> None:
    """A paragraph opening a line starts at that line's stamp (whole seconds: within 1 s);
    one opening inside a line starts within that line's time."""
    line_of = _line_of(talk)
    for k, start in starts:
        a, b = talk.lines[line_of[k]]
        if k == a:
            assert abs(start - talk.starts[k]) <= 1.0, (k, start, talk.starts[k])
        else:
            assert talk.starts[a] - 1.0 <= start <= talk.ends[b - 1] + 1.0, (k, start)


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("form", sorted(PLAIN))
def test_every_word_comes_back_at_its_stamp(form: str, seed: int):
    talk = make_talk(40 + seed, 1200, punctuation=seed % 2 == 0, annotations=seed == 3)
    (doc,) = _read(PLAIN[form](talk))
    words, starts = _words_and_starts(doc)
    assert word_accuracy(talk.words, words) == 1.0
    _check_starts(talk, starts)
    assert len(doc.segments) > 5  # paragraphs, not one block


@pytest.mark.parametrize("form", sorted(TURNS))
def test_named_speakers_start_paragraphs(form: str):
    talk = make_talk(51, 1200, punctuation=True)
    trailer = "\nTranscribed by https://otter.ai\n" if form == "otter" else ""  # Otter's last line: not speech
    (doc,) = _read(TURNS[form](talk, NAMES, seed=3) + trailer)
    words, starts = _words_and_starts(doc, NAMES)
    assert word_accuracy(talk.words, words) == 1.0
    _check_starts(talk, starts)
    # Each turn opens a paragraph labelled with its speaker, at the turn's stamp.
    turn_words = [talk.lines[n][0] for n in stamped.turns(talk, seed=3)]
    labelled = {k: seg.text.split(":")[0] for (k, _), seg in zip(starts, doc.segments) if seg.text.startswith(tuple(n + ":" for n in NAMES))}
    assert sorted(labelled) == turn_words
    assert [labelled[k] for k in turn_words] == [NAMES[n % 2] for n in range(len(turn_words))]


def test_a_name_that_opens_one_entry_is_no_speaker():
    talk = make_talk(52, 600, punctuation=True)
    text = stamped.bracketed(talk).split("\n")
    text[3] = text[3][:11] + "Note: " + text[3][11:]
    (doc,) = _read("\n".join(text))
    assert "Note: " in " ".join(s.text for s in doc.segments)


def test_times_said_in_the_words_stay_words():
    talk = make_talk(56, 900, punctuation=True)
    # Lines of speech that hold a time: "... at 10:30" ends a line, "10:30 ..." opens one.
    for n, words in ((5, ["we", "met", "at", "10:30"]), (9, ["10:30", "is", "too", "late"])):
        a, _ = talk.lines[n]
        talk.words[a : a + 4] = words
    for render in (stamped.panel, stamped.otter):
        text = render(talk, NAMES) if render is stamped.otter else render(talk)
        (doc,) = _read(text)
        words, starts = _words_and_starts(doc, NAMES)
        assert word_accuracy(talk.words, words) == 1.0, render.__name__
        _check_starts(talk, starts)


def test_pasted_into_a_markdown_note_with_its_fields_and_thoughts(tmp_path: Path):
    talk = make_talk(53, 900, punctuation=True)
    thoughts = "The parser section is the part to watch again before the meeting, and the symbol table part after it; the rest I knew."
    note = (
        "# Compilers Before Breakfast\n\n**URL:** https://www.youtube.com/watch?v=cMp1lrBrkF5&si=abc\n\n"
        f"{thoughts}\n\n## Transcript\n\n{stamped.panel(talk)}\n## Afterwards\n\nI still have to read the paper it cites, and ask about the linker.\n"
    )
    path = tmp_path / "compilers.md"
    path.write_text(note)
    transcript, notes = read_path(path)
    assert transcript.format == "stamped" and transcript.title == "Compilers Before Breakfast"
    assert transcript.video_id == "cMp1lrBrkF5"
    words, _ = _words_and_starts(transcript)
    assert word_accuracy(talk.words, words) == 1.0  # the heading after it is not speech
    assert notes.role is Role.SUMMARY and "symbol table part" in " ".join(s.text for s in notes.segments)


def test_hours_and_whisper_ends():
    talk = make_talk(54, 400)
    shift = 3 * 3600 + 5
    talk.starts = [s + shift for s in talk.starts]
    talk.ends = [e + shift for e in talk.ends]
    for render in (stamped.panel, stamped.whisper):
        (doc,) = _read(render(talk))
        assert abs(doc.segments[0].start - talk.starts[0]) <= 1.0
        assert doc.last_time == pytest.approx(talk.ends[-1], abs=5.0)


CHAPTERS = "\n".join(
    f"{stamped.clock(m * 60)} {title}"
    for m, title in enumerate(
        ["Intro", "Why parsers matter", "Tokens and their meaning", "The symbol table", "Types at last",
         "Optimising loops", "Registers", "Linking", "Questions from the room", "Thanks"]
    )
) + "\n"
SUMMARY_POINTS = "".join(
    f"[{stamped.clock(m * 240, hours=True)}] The speaker explains point {m}, why it matters to anyone who writes a compiler, "
    "and what the audience asked about it.\n"
    for m in range(12)
)


@pytest.mark.parametrize("text", [CHAPTERS, SUMMARY_POINTS], ids=["chapters", "summary points"])
def test_chapters_and_timed_summary_points_are_no_transcript(text: str):
    assert detect_format(text, "notes.txt") != "stamped"
    assert detect_format("# Notes\n\n" + text, "notes.md") != "stamped"


def test_times_running_backwards_are_no_transcript():
    talk = make_talk(55, 600)
    lines = stamped.inline(talk).splitlines()
    assert detect_format("\n".join(reversed(lines)), "t.txt") != "stamped"


def test_seeds_stay_what_they_are(seeds: Path):
    for path in seeds.iterdir():
        assert read_path(path)[0].format != "stamped"
