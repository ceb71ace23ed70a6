"""Joining caption pieces into paragraphs a person can read.

A paragraph is about `target_words` words (never fewer than `MIN_WORDS` unless
the talk forces it, never more than `MAX_WORDS`). Where it breaks:

- a change of speaker (`>>`, a `NAME :` prefix, a `<v Name>` voice) always
  starts a new paragraph, and so does a silence of LONG_PAUSE or more (at a
  sentence end where the text has them);
- an annotation (`[Music]`, `[Applause]`) between sentences is a segment of
  its own, kind "annotation"; inside a sentence it stays inline;
- otherwise at the end of a sentence where the text has punctuation (never
  inside one, unless a sentence runs past HARD_CAP words), preferring the
  sentence end followed by the longest pause near the target length; in
  unpunctuated text at the likeliest sentence boundary: a pause, or a word
  that usually starts one ("So", "And so", "Okay", "um", "I").

Pauses are measured between word starts, less a typical word's length: in
YouTube's rolling captions each word "ends" where the next starts, so the gap
between one end and the next start is never seen. A fragment of a few words
left between two hard breaks joins the paragraph before it.

A paragraph starts at its first word's time. When a piece holds several words
and only the piece is timed, a word inside it gets a time interpolated over
the piece.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from itertools import accumulate, compress
from dataclasses import dataclass
from typing import Sequence

from .model import Segment

MIN_WORDS = 40
MAX_WORDS = 120
# A punctuated sentence is cut inside only when it runs past this many words.
HARD_CAP = 200
# A gap this long between pieces is a pause worth breaking at (seconds).
PAUSE = 0.6
# A silence this long always ends a paragraph (seconds).
LONG_PAUSE = 5.0
# Paragraphs this short (between hard breaks) join the one before.
FRAGMENT = 3

# Speaker changes and annotations inside a piece's text (`\[x]` is an escaped bracket, not one;
# `[link=...]`, `[/]` are markup someone wrote, not a sound).
_SPECIAL = re.compile(
    r"(?P<speaker>>>)"
    r"|(?P<annotation>(?<!\\)\[(?!\s*_+\s*\])[^\[\]\n=/]{1,40}\]|\((?:music|applause|laughter|laughs|inaudible|silence|crosstalk)\)|♪+)",
    re.I,
)
# `MOF : Il est...`, `JLM: Bonsoir`, `SPEAKER 2: yes`: a speaker named in capitals at a cue's start.
_NAME_PREFIX = re.compile(r"^([A-ZÀ-ÖØ-Þ][A-ZÀ-ÖØ-Þ0-9.'-]{1,15}(?: [A-ZÀ-ÖØ-Þ0-9][A-ZÀ-ÖØ-Þ0-9.'-]{0,15}){0,2}) ?: ")
# A word ending a sentence, in the words joined by newlines.
_ENDS_SENTENCE = re.compile(r"[.?!]\n")
# Words that usually start a sentence in unpunctuated captions, with how
# likely a boundary before them is (found by one regex over the joined words).
_STARTERS = {
    "so": 2.0, "and so": 3.5, "okay": 1.5, "ok": 1.5, "alright": 1.5, "now": 1.2, "well": 1.0, "yeah": 1.0,
    "um": 1.2, "uh": 1.0, "but": 0.8, "i": 0.8, "because": 0.5, "then": 0.4, "and": 0.3,
}
# Looked up as written: a capital ("So", "Okay") adds to the score.
_STARTER_SCORES = {
    **{w: v for w, v in _STARTERS.items() if " " not in w},
    **{w.capitalize(): v + 0.5 for w, v in _STARTERS.items() if " " not in w},
    "I": 0.8,
}
_AND_SO = _STARTERS["and so"]
# A starter followed by one of these begins a clause ("so I", "and so we");
# "so much", "now in", "well done" do not.
_SUBJECTS = {
    w
    for base in ("i", "you", "we", "they", "he", "she", "it", "it's", "that's", "this", "there", "there's", "if",
                 "let's", "what", "when", "i'm", "i'll", "you're", "we're", "the", "my", "our", "one")
    for w in (base, base.capitalize())
}
_WEAK_ALONE = {"so", "So", "now", "Now", "well", "Well"}
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


def _initial(word: str) -> bool:
    """`U.`, `R.`, or a lone capital that is not a word of its own (`S` in `the U. S`)."""
    return (len(word) == 2 and word[1] == "." and word[0].isupper()) or (len(word) == 1 and word.isupper() and word not in "IA")


def build_paragraphs(pieces: Sequence[Piece], target_words: int = 60) -> list[Segment]:
    """Join pieces into readable paragraphs (see the module doc)."""
    stream = _Stream(pieces)
    out: list[Segment] = []
    n = len(stream.words)
    # A long silence ends a paragraph however short (at a sentence end, where the text has them).
    silences = [
        i for i, gap in stream.gap_before.items()
        if gap >= LONG_PAUSE and i not in stream.marks and (not stream.punctuated or stream.sentence_end(i - 1))
    ]
    hard = sorted([*stream.marks, *silences])
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
        self._gaps: list[int] | None = None
        self._sentence_ends: list[int] | None = None
        self._chars_before: list[int] | None = None
        speaker = None
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
        if self.timed:
            self._find_pauses()
        self._starters: tuple[list[int], dict[int, float]] | None = None
        joined = " ".join(words) + " "  # counted in C: a talk has tens of thousands of words
        sentence_ends = joined.count(". ") + joined.count("? ") + joined.count("! ")
        # Modern auto-captions end sentences; old ones (no punctuation) have a stray `edu.` at most.
        self.punctuated = sentence_ends * 80 >= len(words) > 0

    def _find_pauses(self) -> None:
        """Silence before each piece: from start-to-start gaps less a typical
        word length where ends are missing or glued to the next start."""
        pieces, at = self.pieces, self.piece_at
        n_words = len(self.words)
        gaps = sorted(
            b.start - a.start
            for a, b, i, j in zip(pieces, pieces[1:], at, at[1:])
            if j - i == 1 and a.start is not None and b.start is not None and b.start > a.start
        )
        word_length = min(0.6, max(0.1, gaps[len(gaps) // 2])) if len(gaps) >= 20 else 0.3
        for k in range(1, len(pieces)):
            a, b = pieces[k - 1], pieces[k]
            if a.start is None or b.start is None:
                continue
            if a.end is not None and a.end < b.start - 0.02:
                pause = b.start - a.end
            else:
                count = (at[k] - at[k - 1]) if k < len(at) else n_words - at[k - 1]
                pause = b.start - a.start - word_length * count
            if pause >= 0.2:
                self.gap_before[at[k]] = pause

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
        """The words followed by a pause of PAUSE or more, in order."""
        if self._pauses is None:
            self._pauses = sorted(i - 1 for i, gap in self.gap_before.items() if gap >= PAUSE)
        return self._pauses

    def gap_words(self) -> list[int]:
        """The words followed by any silence worth a look (0.2 s or more), in order."""
        if self._gaps is None:
            self._gaps = sorted(i - 1 for i in self.gap_before)
        return self._gaps

    def starters(self) -> tuple[list[int], dict[int, float]]:
        """Words after which a sentence likely ends, judged by the next word:
        their indices in order, and index -> how likely."""
        if self._starters is None:
            words, scores, subjects, weak = self.words, _STARTER_SCORES, _SUBJECTS, _WEAK_ALONE
            n = len(words)
            found: dict[int, float] = {}
            for i in compress(range(n), map(scores.__contains__, words)):  # no Python loop over all words
                word = words[i]
                after = words[i + 1] if i + 1 < n else ""
                score = scores[word]
                if word in ("and", "And") and after in ("so", "So"):
                    score += _AND_SO - _STARTERS["and"]
                    after = words[i + 2] if i + 2 < n else ""
                if after in subjects:
                    score += 1.0  # "so I", "and so we", "okay let's": a new clause starts
                elif word in weak:
                    score -= 1.0  # "so much", "now in", "well done": inside a sentence
                if i - 2 not in found:  # "um so", "so I": the boundary is before the first
                    found[i - 1] = score
            self._starters = (sorted(found), found)
        return self._starters

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
        if _initial(word) and (_initial(nxt.rstrip(",")) or (i > 0 and _initial(self.words[i - 1]))):
            return False  # initials: `U. S.`, `J. R. R. Tolkien`
        return not nxt[:1].islower()

    def is_boundary(self, index: int) -> bool:
        """Whether an annotation at `index` falls between sentences (not inside one).

        Without punctuation to say so, only where the talk pauses at it or where
        it is a caption of its own (among captions of several words): `alpha
        [Music] beta` said in one caption stays one run of text.
        """
        if index == 0 or self.marks.get(index - 1) == "annotation":
            return True
        if self.punctuated:
            return index in self.gap_before or self.sentence_end(index - 1)
        if self.gap_before.get(index, 0.0) >= PAUSE or self.gap_before.get(index + 1, 0.0) >= PAUSE:
            return True
        k = bisect_right(self.piece_at, index) - 1
        alone = self.piece_at[k] == index and (k + 1 == len(self.piece_at) or self.piece_at[k + 1] == index + 1)
        return alone and len(self.pieces) < 0.8 * len(self.words)  # word-timed pieces: only pauses tell

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
            marks=self.marks_of(a, b) if self.timed else (),
        )

    def marks_of(self, a: int, b: int) -> tuple[tuple[int, float], ...]:
        """(character offset in the paragraph, time) of each timed piece's first word in [a, b)."""
        at, pieces = self.piece_at, self.pieces
        if self._chars_before is None:
            # Characters of the words before each word, summed once (in C).
            self._chars_before = [0, *accumulate(map(len, self.words))]
        chars = self._chars_before
        marks = []
        for k in range(bisect_left(at, a), bisect_left(at, b)):
            start = pieces[k].start
            if start is not None:
                j = at[k]
                marks.append((chars[j] - chars[a] + j - a, start))  # a space after each word before it
        return tuple(marks)


def _split_block(stream: _Stream, a: int, b: int, target: int, out: list[Segment]) -> None:
    """Cut words [a, b) (no hard break inside) into paragraphs."""
    if b <= a:
        return
    if b - a <= FRAGMENT and out and out[-1].kind == "text" and stream.marks.get(a) != "speaker":
        # "like um" between two breaks is no paragraph: it joins the one before.
        last = out[-1]
        extra = stream.segment(a, b)
        shift = len(last.text) + 1
        last.marks = last.marks + tuple((offset + shift, t) for offset, t in extra.marks)
        last.text = f"{last.text} {extra.text}"
        last.end = extra.end if extra.end is not None else last.end
        return
    target = max(MIN_WORDS, min(target, MAX_WORDS))
    s = a
    while b - s > 0:
        remaining = b - s
        if remaining <= MAX_WORDS and remaining < target + MIN_WORDS:
            # What is left fits; split it only at a strong break leaving two real paragraphs.
            cut = _best_cut(stream, s + MIN_WORDS, b - MIN_WORDS, s + remaining // 2, target, strong=True)
            if cut is None:
                out.append(stream.segment(s, b))
                return
        else:
            cut = _best_cut(stream, s + MIN_WORDS, min(s + MAX_WORDS, b - 1), s + target, target)
            if cut is None and stream.punctuated:
                # No sentence ends in reach: run on to the next one, up to HARD_CAP words.
                cut = _next_sentence_end(stream, s + MAX_WORDS, min(s + HARD_CAP, b - 1))
            if cut is None:
                cut = _best_cut(stream, s + MIN_WORDS, min(s + MAX_WORDS, b - 1), s + target, target, loose=True)
            if cut is None:
                cut = min(s + target, b) - 1  # steady size
        out.append(stream.segment(s, cut + 1))
        s = cut + 1


def _next_sentence_end(stream: _Stream, lo: int, hi: int) -> int | None:
    ends = stream.sentence_ends()
    k = bisect_left(ends, lo)
    return ends[k] if k < len(ends) and ends[k] <= hi else None


def _best_cut(
    stream: _Stream, lo: int, hi: int, aim: int, target: int, *, strong: bool = False, loose: bool = False
) -> int | None:
    """The word to end a paragraph on within [lo, hi], or None.

    Punctuated text (unless `loose`): only sentence ends, scored by the pause
    after them. Otherwise: pauses and likely sentence starts. Either way the
    score falls with the distance from `aim`, so the largest pause near the
    target length wins. `strong` keeps only clear breaks (a sentence end, a
    pause of PAUSE or more, a boundary word scoring 2 or more).
    """
    if hi < lo:
        return None
    gaps = stream.gap_before
    scored: dict[int, float]  # word -> how good a place to end on
    if stream.punctuated and not loose:
        ends = stream.sentence_ends()
        scored = {i: min(gaps.get(i + 1, 0.0), 3.0) for i in ends[bisect_left(ends, lo) : bisect_right(ends, hi)]}
    else:
        pauses = stream.pause_words() if strong else stream.gap_words()
        scored = {i: min(gaps[i + 1], 3.0) + 1.0 for i in pauses[bisect_left(pauses, lo) : bisect_right(pauses, hi)]}
        order, starters = stream.starters()
        # With timings a pause is the better sign: boundary words only tip the balance.
        weight = 0.3 if stream.timed else 1.0
        if not gaps and not strong:
            # No pauses at all (an untimed dump): the likely sentence starts
            # alone, scored as below in one pass.
            spread = max(target, 1)
            best, best_key = -1, -math.inf
            for i in order[bisect_left(order, lo) : bisect_right(order, hi)]:
                key = starters[i] * weight - 1.5 * abs(i - aim) / spread
                if key > best_key:
                    best, best_key = i, key
            return best if best >= 0 else None
        if starters and not (strong and stream.timed):
            for i in order[bisect_left(order, lo) : bisect_right(order, hi)]:
                value = starters[i]
                if not strong or value >= 2.0:
                    value *= weight
                    if i in scored:
                        scored[i] += value
                    else:
                        scored[i] = value + min(gaps.get(i + 1, 0.0), 3.0)
    if not scored:
        return None
    # The best score less its distance from the aim; on a tie the earlier word.
    spread = max(target, 1)
    best, best_key = -1, -math.inf
    for i, value in scored.items():
        key = value - 1.5 * abs(i - aim) / spread
        if key > best_key or (key == best_key and i < best):
            best, best_key = i, key
    return best
