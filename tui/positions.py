"""A reader's place in a talk: taken from the cursor, found again after the file changed.

A position is kept as the paragraph number, its time and its first words
(tui.config stores it in state.toml). Reopened, the paragraph is trusted when
its words still match; otherwise the words are looked for near it, then the
time is used (a re-captioned file keeps its times), and the number last.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence

from .config import Position
from .model import Segment

WORDS_KEPT = 8
_NEAR = 200  # paragraphs either side searched for the words


def first_words(text: str) -> str:
    return " ".join(text.split()[:WORDS_KEPT])


def position_at(segments: Sequence[Segment], index: int) -> Position:
    """The position of paragraph `index` (not yet stamped with when it was left)."""
    segment = segments[index]
    return Position(index, segment.start, first_words(segment.text))


def locate_position(segments: Sequence[Segment], position: Position) -> int:
    """The paragraph to reopen at (0 when the talk has none)."""
    if not segments:
        return 0
    index = min(position.paragraph, len(segments) - 1)
    words = position.words
    if words:
        if first_words(segments[index].text) == words:
            return index
        lo, hi = max(0, index - _NEAR), min(len(segments), index + _NEAR + 1)
        near = [i for i in range(lo, hi) if first_words(segments[i].text) == words]
        if near:
            return min(near, key=lambda i: abs(i - index))
    if position.seconds is not None:
        timed = [(s.start, i) for i, s in enumerate(segments) if s.start is not None]
        if timed:
            k = bisect_right([t for t, _ in timed], position.seconds) - 1
            return timed[max(0, k)][1]
    return index
