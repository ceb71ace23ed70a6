"""Joining caption pieces into paragraphs a person can read.

A paragraph is about `target_words` words (never fewer than `MIN_WORDS` unless
the talk forces it, never more than `MAX_WORDS`). Where it breaks:

- a change of speaker (`>>`, a `NAME :` prefix, a `<v Name>` voice) always
  starts a new paragraph;
- an annotation (`[Music]`, `[Applause]`) between sentences is a segment of
  its own, kind "annotation"; inside a sentence it stays inline;
- otherwise at the end of a sentence where the text has punctuation, at the
  longest pause where it has timings, else at a steady size.

A paragraph starts at its first word's time. When a piece holds several words
and only the piece is timed, a word inside it gets a time interpolated over
the piece.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from typing import Sequence

from .model import Segment

MIN_WORDS = 40
MAX_WORDS = 120
# A gap this long between pieces is a pause worth breaking at (seconds).
PAUSE = 0.6

# Speaker changes and annotations inside a piece's text.
_SPECIAL = re.compile(
    r"(?P<speaker>>>)"
    r"|(?P<annotation>\[(?!\s*_+\s*\])[^\[\]\n]{1,40}\]|\((?:music|applause|laughter|laughs|inaudible|silence|crosstalk)\)|♪+)",
    re.I,
)
# `MOF : Il est...`, `JLM: Bonsoir`, `SPEAKER 2: yes`: a speaker named in capitals at a cue's start.
_NAME_PREFIX = re.compile(r"^([A-ZÀ-ÖØ-Þ][A-ZÀ-ÖØ-Þ0-9.'-]{1,15}(?: [A-ZÀ-ÖØ-Þ0-9][A-ZÀ-ÖØ-Þ0-9.'-]{0,15}){0,2}) ?: ")
# A word ending a sentence, in the words joined by newlines.
_ENDS_SENTENCE = re.compile(r"[.?!]\n")
_ABBREVIATIONS = {"mr.", "mrs.", "ms.", "dr.", "prof.", "st.", "vs.", "etc.", "e.g.", "i.e.", "no.", "approx."}


@dataclass(slots=True)
class Piece:
    """A caption line or a timed word, in the order spoken.

    `speaker` is set by readers that know who speaks (WebVTT `<v Name>`); a
    change of speaker starts a paragraph that begins with `Name: `.
    """

    text: str
    start: float | None = None
    end: float | None = None
    line: int = 0
    speaker: str | None = None


def build_paragraphs(pieces: Sequence[Piece], target_words: int = 60) -> list[Segment]:
    """Join pieces into readable paragraphs (see the module doc)."""
    stream = _Stream(pieces)
    out: list[Segment] = []
    n = len(stream.words)
    hard = sorted(stream.marks)
    block_start = 0
    for index in hard + [n]:
        kind = stream.marks.get(index)
        if kind == "annotation":
            if block_start == index or stream.is_boundary(index):
                _split_block(stream, block_start, index, target_words, out)
                out.append(stream.segment(index, index + 1, kind="annotation"))
                block_start = index + 1
            # else: mid-sentence, it stays inline in the block
        elif index > block_start or index == n:
            _split_block(stream, block_start, index, target_words, out)
            block_start = index
    return out


class _Stream:
    """The pieces as one word list, with what is needed to cut and time it."""

    def __init__(self, pieces: Sequence[Piece]) -> None:
        self.words: list[str] = []
        self.marks: dict[int, str] = {}  # word index -> "speaker" | "annotation"
        self.piece_at: list[int] = []  # word index where each kept piece starts
        self.pieces: list[Piece] = []
        self.gap_before: dict[int, float] = {}  # word index -> silence before it (s)
        self.timed = False
        self._pauses: list[int] | None = None
        self._sentence_ends: list[int] | None = None
        speaker = None
        last_end = None
        words = self.words
        for piece in pieces:
            text = piece.text
            if not text or text.isspace():
                continue
            start_index = len(words)
            if piece.speaker and piece.speaker != speaker:
                speaker = piece.speaker
                self.marks[start_index] = "speaker"
                words.append(f"{speaker}:")
            elif ": " in text and _NAME_PREFIX.match(text):
                self.marks[start_index] = "speaker"
            if ">" in text or "[" in text or "(" in text or "♪" in text:
                self._add_special(text)
            else:
                words.extend(text.split())
            if len(words) == start_index:
                continue
            self.piece_at.append(start_index)
            self.pieces.append(piece)
            if piece.start is not None:
                self.timed = True
                if last_end is not None and piece.start - last_end >= PAUSE:
                    self.gap_before[start_index] = piece.start - last_end
            if piece.end is not None:
                last_end = piece.end
            elif piece.start is not None:
                last_end = piece.start
        joined = " ".join(words) + " "  # counted in C: a talk has tens of thousands of words
        sentence_ends = joined.count(". ") + joined.count("? ") + joined.count("! ")
        # Modern auto-captions end sentences; old ones (seed 004) have a stray `edu.` at most.
        self.punctuated = sentence_ends * 80 >= len(words) > 0

    def _add_special(self, text: str) -> None:
        words = self.words
        pos = 0
        while True:
            match = _SPECIAL.search(text, pos)
            if match is None:
                break
            words.extend(text[pos : match.start()].split())
            end = match.end()
            if match.lastgroup == "speaker":
                self.marks[len(words)] = "speaker"
                words.append(">>")
            else:
                self.marks.setdefault(len(words), "annotation")
                # What is written right after it stays with it: `[Impôt sur la Fortune],`
                while end < len(text) and not text[end].isspace():
                    end += 1
                words.append(text[match.start() : end])
            pos = end
        words.extend(text[pos:].split())

    # -- where to cut ------------------------------------------------------

    def pause_words(self) -> list[int]:
        """The words followed by a pause, in order."""
        if self._pauses is None:
            self._pauses = sorted(i - 1 for i in self.gap_before)
        return self._pauses

    def sentence_ends(self) -> list[int]:
        """The words that end a sentence, in order (found once for the whole talk).

        Candidates (words ending in `.`, `?` or `!`) are found by one regex over
        the words joined by newlines (no word holds one), counting newlines
        between them to know their index, instead of a Python loop per word.
        """
        if self._sentence_ends is None:
            joined = "\n".join(self.words) + "\n"
            ends = []
            index = 0
            last = 0
            for match in _ENDS_SENTENCE.finditer(joined):
                index += joined.count("\n", last, match.start())
                last = match.start()
                if self.sentence_end(index):
                    ends.append(index)
            self._sentence_ends = ends
        return self._sentence_ends

    def sentence_end(self, i: int) -> bool:
        """Whether word i ends a sentence (and the next word starts one)."""
        word = self.words[i]
        if word[-1:] not in ".?!" or word.lower() in _ABBREVIATIONS:
            return False
        nxt = self.words[i + 1] if i + 1 < len(self.words) else ""
        return not nxt[:1].islower()

    def is_boundary(self, index: int) -> bool:
        """Whether an annotation at `index` falls between sentences (not inside one)."""
        if not self.punctuated or index in self.gap_before:
            return True
        return index == 0 or self.sentence_end(index - 1) or self.marks.get(index - 1) == "annotation"

    # -- times ---------------------------------------------------------------

    def time_of(self, i: int) -> float | None:
        """The start time of word i, interpolated inside its piece."""
        k = bisect_right(self.piece_at, i) - 1
        piece = self.pieces[k]
        if piece.start is None:
            return None
        first = self.piece_at[k]
        if i == first or piece.end is None:
            return piece.start
        last = self.piece_at[k + 1] if k + 1 < len(self.piece_at) else len(self.words)
        return round(piece.start + (piece.end - piece.start) * (i - first) / (last - first), 3)

    def end_of(self, i: int) -> float | None:
        """The end time of word i."""
        k = bisect_right(self.piece_at, i) - 1
        piece = self.pieces[k]
        last = self.piece_at[k + 1] if k + 1 < len(self.piece_at) else len(self.words)
        if i + 1 >= last:
            return piece.end if piece.end is not None else piece.start
        return self.time_of(i + 1)

    def segment(self, a: int, b: int, kind: str = "text") -> Segment:
        k = bisect_right(self.piece_at, a) - 1
        return Segment(
            start=self.time_of(a),
            end=self.end_of(b - 1),
            text=" ".join(self.words[a:b]),
            line=self.pieces[k].line,
            kind=kind,
        )


def _split_block(stream: _Stream, a: int, b: int, target: int, out: list[Segment]) -> None:
    """Cut words [a, b) (no hard break inside) into paragraphs."""
    if b <= a:
        return
    target = max(MIN_WORDS, min(target, MAX_WORDS))
    ends = _sentence_ends(stream, a, b) if stream.punctuated else []
    all_pauses = stream.pause_words()
    pauses = all_pauses[bisect_right(all_pauses, a - 1) : bisect_left(all_pauses, b - 1)]
    s = a
    while b - s > 0:
        remaining = b - s
        if remaining <= MAX_WORDS and remaining < target + MIN_WORDS:
            # What is left fits; split it only at a strong break leaving two real paragraphs.
            cut = _best_cut(stream, ends, pauses, s + MIN_WORDS, b - MIN_WORDS, s + remaining // 2)
            if cut is None:
                out.append(stream.segment(s, b))
                return
        else:
            lo, hi = s + MIN_WORDS, min(s + MAX_WORDS, b - 1)
            cut = _best_cut(stream, ends, pauses, lo, hi, s + target)
            if cut is None:
                cut = min(s + target, b) - 1  # steady size
        out.append(stream.segment(s, cut + 1))
        s = cut + 1


def _sentence_ends(stream: _Stream, a: int, b: int) -> list[int]:
    """The sentence ends among words [a, b - 1)."""
    ends = stream.sentence_ends()
    return ends[bisect_left(ends, a) : bisect_left(ends, b - 1)]


def _best_cut(stream: _Stream, ends: list[int], pauses: list[int], lo: int, hi: int, aim: int) -> int | None:
    """The word to end a paragraph on within [lo, hi]: a sentence end nearest `aim`
    (the one followed by the longest pause when timed), else the longest pause."""
    if hi < lo:
        return None
    gaps = stream.gap_before
    candidates = ends[bisect_left(ends, lo) : bisect_right(ends, hi)]
    if candidates:
        # A sentence end followed by a pause beats one without; then nearest the aim.
        return min(candidates, key=lambda i: (-(gaps.get(i + 1, 0.0) >= PAUSE), abs(i - aim)))
    candidates = pauses[bisect_left(pauses, lo) : bisect_right(pauses, hi)]
    if candidates:
        return max(candidates, key=lambda i: (gaps[i + 1], -abs(i - aim)))
    return None
