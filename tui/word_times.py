"""When each word of a transcript is said, where the caption file times its words.

YouTube's auto-captions time every word (`<00:00:01.234><c> word</c>`). The
paragraphs keep only their own start, so for play-along the caption file is
read again (in a worker, when playing starts: the index stores no word times)
and its timed words are laid onto the paragraphs' text in order. A word the
paragraphs do not have (dropped as a repeat) or one they add (a speaker's
name) is skipped, found again within a few words.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from pathlib import Path
from typing import Sequence

from .model import Document, ReadError, Segment
from .textio import read_text

_WORD = re.compile(r"\S+")
# How far ahead to look for the next timed word before giving a display word up.
_LOOKAHEAD = 8


class WordTimes:
    """For each paragraph: its timed words' start times and character spans."""

    def __init__(self, per_segment: list[tuple[list[float], list[tuple[int, int]]]]) -> None:
        self._per_segment = per_segment

    def __len__(self) -> int:
        return sum(len(times) for times, _ in self._per_segment)

    def span_at(self, index: int, seconds: float) -> tuple[int, int] | None:
        """The span of the word being said at `seconds` in paragraph `index`, if its words are timed."""
        if not 0 <= index < len(self._per_segment):
            return None
        times, spans = self._per_segment[index]
        k = bisect_right(times, seconds) - 1
        return spans[k] if k >= 0 else None


def timed_words(path: str | Path) -> list[tuple[float, str]]:
    """(time, word) for every word a YouTube auto-caption file times; [] for any other file."""
    from .readers import vtt  # the reader's own cue parsing, so both agree on what a cue is

    try:
        text = read_text(Path(path))
    except ReadError:
        return []
    if not text.lstrip("\ufeff").startswith("WEBVTT"):
        return []
    parsed = vtt.regular_cues(text.lstrip("\ufeff"))
    if parsed is None:
        return []
    _, cues = parsed
    if not vtt.is_rolling(cues):
        return []
    out: list[tuple[float, str]] = []
    for piece in vtt.rolling_pieces(cues):
        if piece.start is None or not piece.text:
            continue
        words = piece.text.split()
        if len(words) == 1:  # a timed word (an untimed line is a piece of several)
            out.append((piece.start, _norm(words[0])))
    return out


def align(segments: Sequence[Segment], words: Sequence[tuple[float, str]]) -> WordTimes:
    """Lay `words` (in the order said) onto the paragraphs' words."""
    per_segment: list[tuple[list[float], list[tuple[int, int]]]] = []
    k = 0
    n = len(words)
    for segment in segments:
        times: list[float] = []
        spans: list[tuple[int, int]] = []
        for match in _WORD.finditer(segment.text):
            if k >= n:
                break
            shown = _norm(match.group())
            for ahead in range(k, min(n, k + _LOOKAHEAD)):
                if words[ahead][1] == shown:
                    t = words[ahead][0]
                    if not times or t >= times[-1]:
                        times.append(t)
                        spans.append(match.span())
                    k = ahead + 1
                    break
        per_segment.append((times, spans))
    return WordTimes(per_segment)


def word_times_for(document: Document | None) -> WordTimes | None:
    """The word times of a transcript, or None when its file times no words."""
    if document is None or document.format != "youtube-vtt" or not document.segments:
        return None
    words = timed_words(document.path)
    if not words:
        return None
    times = align(document.segments, words)
    return times if len(times) else None


def _norm(word: str) -> str:
    return word.strip(".,!?;:\"'()[]").casefold()
