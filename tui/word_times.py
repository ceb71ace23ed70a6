"""Which word of a paragraph is being said at a moment, where the captions time words.

A paragraph's `marks` hold (character offset, seconds) for the first word of
each timed caption piece. YouTube's auto-captions time every word, so there
each mark is one word; a cue format (SRT, ordinary WebVTT) times only each
cue's first word, and a mark followed by more words before the next one is a
cue, not a word: no word is marked there (the paragraph is).
"""

from __future__ import annotations

import re
from bisect import bisect_right

from .model import Segment

_WORD = re.compile(r"\S+")


def word_span_at(segment: Segment, seconds: float) -> tuple[int, int] | None:
    """The character span of the word being said at `seconds`, when its own time is known."""
    marks = segment.marks
    if not marks:
        return None
    k = bisect_right(marks, seconds, key=_seconds) - 1  # the last word said by then
    if k < 0:
        return None
    offset = marks[k][0]
    word = _WORD.match(segment.text, offset)
    if word is None:
        return None
    next_offset = marks[k + 1][0] if k + 1 < len(marks) else len(segment.text)
    if segment.text[word.end() : next_offset].strip():
        return None  # more words follow before the next time: a cue's time, not this word's
    return word.span()



def _seconds(mark: tuple[int, float]) -> float:
    return mark[1]
