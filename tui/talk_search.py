"""Search inside one talk: exact matches first, close matches when there are none.

`TalkSearch` is built once per talk (when the transcript pane shows it) so that
each keystroke only scans prepared text. Exact search is a case-insensitive
substring scan over all paragraphs joined into one string; the C-level
`str.find` does the work. When the query occurs nowhere, the fallback compares
its words with the talk's vocabulary through rapidfuzz, because auto-captions
misspell names ("sutskever" is captioned "suitskiver", "Ilya" as "Ilia").

No Textual import: the widgets and the benchmarks both use this module.
"""

from __future__ import annotations

import re
import threading
from bisect import bisect_left, bisect_right
from collections import defaultdict
from dataclasses import dataclass
from itertools import compress
from typing import Sequence

from rapidfuzz import fuzz, process

# Paragraphs are joined with this; a query never contains it, so no exact
# match can run from one paragraph into the next.
_SEPARATOR = "\n"
_WORD = re.compile(r"\w+")

# Close matches: rapidfuzz's ratio (normalised Indel similarity, 0-100).
# 75 lets "ilya" find "ilia" (one letter of four differs) and keeps unrelated
# words of the same length out.
FUZZY_CUTOFF = 75.0
# Shorter queries have too many near neighbours to be useful as close matches.
FUZZY_MIN_LENGTH = 4
# A candidate's length may differ from the query's by at most this share.
_LENGTH_SLACK = 0.3


@dataclass(frozen=True, slots=True)
class SearchStatus:
    """What the find bar shows: `current` of `total` (1-based; 0 when none)."""

    current: int
    total: int
    fuzzy: bool
    query: str


def _fold(text: str) -> str:
    """Lower-case `text` keeping its length, so offsets stay valid in the original."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    # A few characters lower-case into two ("İ" -> "i̇"); keep those as they are.
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


class Matches:
    """The spans a query found, in reading order.

    Spans are kept as absolute offsets into the joined text, so counting and
    stepping are bisections; `in_segment` turns them back into offsets inside
    one paragraph for drawing. Exact matches all have the query's length, so
    their ends are not stored (a one-letter query can match 40,000 times).
    """

    __slots__ = ("query", "fuzzy", "starts", "_ends", "_length", "_bases")

    def __init__(
        self, query: str, fuzzy: bool, starts: list[int], bases: list[int], *, length: int = 0, ends: list[int] | None = None
    ) -> None:
        self.query = query
        self.fuzzy = fuzzy
        self.starts = starts
        self._length = length
        self._ends = ends
        self._bases = bases

    def __len__(self) -> int:
        return len(self.starts)

    def _end(self, index: int) -> int:
        return self._ends[index] if self._ends is not None else self.starts[index] + self._length

    def segment_of(self, index: int) -> int:
        """The paragraph holding match `index`."""
        return bisect_right(self._bases, self.starts[index]) - 1

    def span(self, index: int) -> tuple[int, int, int]:
        """(paragraph, start, end) of match `index`, offsets inside the paragraph."""
        seg = self.segment_of(index)
        base = self._bases[seg]
        return seg, self.starts[index] - base, self._end(index) - base

    def in_segment(self, segment: int) -> list[tuple[int, int, int]]:
        """(match index, start, end) of every match inside paragraph `segment`."""
        base = self._bases[segment]
        lo = bisect_left(self.starts, base)
        hi = bisect_left(self.starts, self._bases[segment + 1])
        return [(i, self.starts[i] - base, self._end(i) - base) for i in range(lo, hi)]

    def first_from(self, segment: int) -> int:
        """Index of the first match in or after paragraph `segment`, wrapping to 0; -1 if none."""
        if not self.starts:
            return -1
        i = bisect_left(self.starts, self._bases[min(max(segment, 0), len(self._bases) - 1)])
        return i if i < len(self.starts) else 0


class TalkSearch:
    """A search index over the paragraphs of one talk."""

    def __init__(self, texts: Sequence[str]) -> None:
        self._bases: list[int] = []
        offset = 0
        for text in texts:
            self._bases.append(offset)
            offset += len(text) + len(_SEPARATOR)
        self._bases.append(offset)  # sentinel: where paragraph n would start
        self._text = _fold(_SEPARATOR.join(texts) + _SEPARATOR)
        self._vocabulary: dict[str, list[int]] | None = None
        self._prepare_lock = threading.Lock()

    @property
    def ready(self) -> bool:
        """True once `prepare` has built the close-match vocabulary."""
        return self._vocabulary is not None

    @property
    def paragraph_count(self) -> int:
        return len(self._bases) - 1

    def find(self, query: str) -> Matches:
        """Every match of `query`: exact (case-insensitive) if any, else close ones."""
        needle = _fold(query.replace(_SEPARATOR, " "))
        if not needle.strip():
            return Matches(query, False, [], self._bases)
        # Non-overlapping, left to right (what str.count counts).
        starts = [m.start() for m in re.finditer(re.escape(needle), self._text)]
        if starts:
            return Matches(query, False, starts, self._bases, length=len(needle))
        words = _WORD.findall(needle)
        if sum(len(w) for w in words) < FUZZY_MIN_LENGTH:
            return Matches(query, False, [], self._bases)  # too short to guess at
        starts, ends = self._close(words)
        return Matches(query, True, starts, self._bases, ends=ends)

    # -- close matches ---------------------------------------------------------

    def prepare(self) -> None:
        """Build the vocabulary for close matches (safe to call from a worker thread).

        It takes longer than an exact search, so a widget starts it in the
        background when a talk opens; a close search that comes first waits for it.
        """
        with self._prepare_lock:
            if self._vocabulary is None:
                self._build_vocabulary()

    def _build_vocabulary(self) -> None:
        """Word -> token numbers, plus the tokens' spans.

        Built by comprehensions over the talk's tokens, not one loop doing
        everything: it runs in a thread beside the screen being drawn, and the
        interpreter lock it holds is time the screen waits (0.6x the time of one
        loop for a 3-hour talk).
        """
        text = self._text
        matches = list(_WORD.finditer(text))
        words = [m.group() for m in matches]
        starts = [m.start() for m in matches]
        ends = [m.end() for m in matches]
        vocabulary: dict[str, list[int]] = defaultdict(list)
        for number, word in enumerate(words):
            vocabulary[word].append(number)
        self._token_starts = starts
        self._token_ends = ends
        # Words grouped by length, so a query is only compared with words of a
        # similar length (the ratio could not reach the cutoff otherwise).
        by_length: dict[int, list[str]] = defaultdict(list)
        for word in vocabulary:
            by_length[len(word)].append(word)
        self._by_length = dict(by_length)
        # Adjacent word pairs written together ("suits kiver" -> "suitskiver"):
        # captions split a name that the reader types as one word.
        pairs: dict[str, list[int]] = defaultdict(list)
        spaced = [text[end:start] == " " for end, start in zip(ends, starts[1:])]
        for number in compress(range(len(spaced)), spaced):
            pairs[words[number] + words[number + 1]].append(number)
        pairs_by_length: dict[int, list[str]] = defaultdict(list)
        for pair in pairs:
            pairs_by_length[len(pair)].append(pair)
        self._pairs = dict(pairs)
        self._pairs_by_length = dict(pairs_by_length)
        self._vocabulary = dict(vocabulary)  # last: its presence means "ready"

    def _similar(self, word: str, by_length: dict[int, list[str]]) -> list[tuple[str, float]]:
        slack = max(1, int(len(word) * _LENGTH_SLACK))
        choices: list[str] = []
        for size in range(len(word) - slack, len(word) + slack + 1):
            choices.extend(by_length.get(size, ()))
        found = process.extract(word, choices, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=None)
        return [(choice, score) for choice, score, _i in found]

    def _close(self, words: list[str]) -> tuple[list[int], list[int]]:
        self.prepare()
        assert self._vocabulary is not None
        # Tokens that could stand for each query word (a short word must match exactly).
        candidates: list[set[int]] = []
        for word in words:
            tokens: set[int] = set()
            similar = self._similar(word, self._by_length) if len(word) >= FUZZY_MIN_LENGTH else [(word, 100.0)]
            for close, _score in similar:
                tokens.update(self._vocabulary.get(close, ()))
            candidates.append(tokens)
        spans: dict[int, int] = {}
        # Runs of consecutive tokens matching the query's words in order.
        for first in candidates[0]:
            last = first + len(words) - 1
            if last < len(self._token_starts) and all(first + k in candidates[k] for k in range(1, len(words))):
                spans[self._token_starts[first]] = self._token_ends[last]
        if len(words) == 1 and len(words[0]) >= FUZZY_MIN_LENGTH:
            text, word = self._text, words[0]
            for pair, score in self._similar(word, self._pairs_by_length):
                for first in self._pairs[pair]:
                    # Only where the two words together are closer than either
                    # alone: "a stanford" must not stand for "stanford".
                    left = text[self._token_starts[first] : self._token_ends[first]]
                    right = text[self._token_starts[first + 1] : self._token_ends[first + 1]]
                    if max(fuzz.ratio(word, left), fuzz.ratio(word, right)) < score:
                        spans.setdefault(self._token_starts[first], self._token_ends[first + 1])
        # Keep matches inside one paragraph, in reading order, without overlaps.
        starts: list[int] = []
        ends: list[int] = []
        for start in sorted(spans):
            end = spans[start]
            if "\n" in self._text[start:end] or (ends and start < ends[-1]):
                continue
            starts.append(start)
            ends.append(end)
        return starts, ends
