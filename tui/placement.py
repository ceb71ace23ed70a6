"""Where each summary section sits in the talk, in seconds.

A section with a time of its own (a stamp or a chapter line) keeps it. A
section without one is placed where the transcript clearly says the same
thing: its heading and first paragraph are reduced to content words, each word
is matched to the transcript's vocabulary with rapidfuzz (auto-captions
misspell names), and the paragraph holding the rarest shared words wins — but
only when it wins clearly; otherwise the section stays without a time.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from rapidfuzz import fuzz, process

from .model import Document, Role, Segment, Talk

# (index of the document in talk.documents, index of the entry in its outline, seconds, origin)
Placement = tuple[int, int, float | None, str]

_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)?", re.UNICODE)
_STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from further
    had has have having he her here hers him his how i if in into is it its itself just like me more
    most my no nor not now of off on once only or other our out over own really same she should so
    some such than that the their them then there these they this those through to too under until
    up very was we were what when where which while who whom why will with would you your yours
    going know think thing things kind lot much well yeah okay right way get got one two make""".split()
)
HEAD_WORDS = 60  # words of the section's first paragraphs that take part in matching
MIN_SHARE = 0.34  # the share of the section's word weight a paragraph must hold
MIN_LEAD = 1.25
UNMATCHED_WEIGHT = 1.0  # ... and how far ahead of the best paragraph elsewhere


def _words(text: str) -> list[str]:
    return [w for w in _WORD.findall(text.casefold()) if len(w) > 2 and w not in _STOPWORDS]


def own_times(talk: Talk) -> list[Placement]:
    """Placements from the summaries' own times only, at once: untimed sections are
    "pending" when a transcript could place them (see place_sections), else "none"."""
    transcript = talk.transcript
    can_match = transcript is not None and bool(transcript.segments)
    out: list[Placement] = []
    for doc_index, doc in enumerate(talk.documents):
        if doc.role is not Role.SUMMARY:
            continue
        for i, entry in enumerate(doc.outline):
            if entry.start is not None and entry.origin != "none":
                out.append((doc_index, i, entry.start, entry.origin))
            else:
                out.append((doc_index, i, None, "pending" if can_match else "none"))
    return out


def place_sections(talk: Talk, matcher: _Matcher | None = None) -> list[Placement]:
    """A placement for every outline entry of every summary of `talk`, in document order."""
    transcript = talk.transcript
    if matcher is None and transcript and transcript.segments:
        matcher = _Matcher(transcript.segments)
    out: list[Placement] = []
    for doc_index, doc in enumerate(talk.documents):
        if doc.role is not Role.SUMMARY:
            continue
        out.extend(_place_document(doc_index, doc, matcher))
    return out


def _place_document(doc_index: int, doc: Document, matcher: _Matcher | None) -> list[Placement]:
    outline = doc.outline
    known = [e.start if e.start is not None and e.origin != "none" else None for e in outline]
    out: list[Placement] = []
    for i, entry in enumerate(outline):
        if known[i] is not None:
            out.append((doc_index, i, entry.start, entry.origin))
            continue
        seconds = None
        if matcher is not None:
            end = outline[i + 1].segment if i + 1 < len(outline) else len(doc.segments)
            words = _words(entry.title) + _head_words(doc.segments[entry.segment : max(end, entry.segment)])
            # Sections keep their order: stay between the neighbours that have times.
            low = next((t for t in reversed(known[:i]) if t is not None), None)
            high = next((t for t in known[i + 1 :] if t is not None), None)
            seconds = matcher.place(words, low, high)
        out.append((doc_index, i, seconds, "matched" if seconds is not None else "none"))
    return out


def _head_words(segments: Sequence[Segment]) -> list[str]:
    words: list[str] = []
    for seg in segments:
        words.extend(_words(seg.text))
        if len(words) >= HEAD_WORDS:
            break
    return words[:HEAD_WORDS]


class _Matcher:
    """The transcript's paragraphs as word sets, with the weight (rarity) of each word."""

    def __init__(self, segments: Sequence[Segment]) -> None:
        self.segments = segments
        # word -> the paragraphs that say it
        self.postings: dict[str, list[int]] = {}
        for i, segment in enumerate(segments):
            for word in set(_words(segment.text)):
                self.postings.setdefault(word, []).append(i)
        n = len(segments)
        self.idf = {w: math.log((n + 1) / (len(where) + 0.5)) for w, where in self.postings.items()}
        self.vocabulary = list(self.idf)
        self._spelled: dict[str, str | None] = {}

    def _spelling(self, word: str) -> str | None:
        """The transcript's spelling of `word` (exact, else the closest clear match)."""
        if word in self.idf:
            return word
        if word not in self._spelled:
            found = None
            if len(word) >= 5 and not word.isdigit():
                hit = process.extractOne(word, self.vocabulary, scorer=fuzz.ratio, score_cutoff=82)
                found = hit[0] if hit else None
            self._spelled[word] = found
        return self._spelled[word]

    def place(self, words: list[str], low: float | None, high: float | None) -> float | None:
        unique = set(words)
        targets = {t for t in (self._spelling(w) for w in unique) if t is not None}
        # Words in nearly every paragraph say nothing about where a section is.
        weights = {t: self.idf[t] for t in targets if self.idf[t] > 0.5}
        # Words the transcript never says still count against a match, at a modest weight.
        unmatched = len(unique) - len(targets)
        total = sum(weights.values()) + UNMATCHED_WEIGHT * unmatched
        if total <= 0 or len(weights) < 2:
            return None
        shares: dict[int, float] = {}
        for word, weight in weights.items():
            for i in self.postings[word]:
                shares[i] = shares.get(i, 0.0) + weight / total
        scores: list[tuple[float, int]] = []
        for i, share in shares.items():
            start = self.segments[i].start
            if start is None or (low is not None and start < low) or (high is not None and start > high):
                continue
            scores.append((share, i))
        if not scores:
            return None
        scores.sort(key=lambda item: (-item[0], item[1]))
        best, where = scores[0]
        runner_up = next((s for s, i in scores[1:] if abs(i - where) > 1), 0.0)
        if best < MIN_SHARE or best < runner_up * MIN_LEAD:
            return None
        return self.segments[where].start


# (index of the document in talk.documents, index of the segment) -> seconds
ParagraphTimes = dict[tuple[int, int], float]
MIN_PARAGRAPH_WORDS = 4  # fewer content words say too little to place a paragraph


def place_paragraphs(talk: Talk, matcher: _Matcher | None = None) -> ParagraphTimes:
    """Times for summary paragraphs without a stamp, where their words clearly match the transcript.

    Each stays between the nearest timed paragraphs above and below it, as sections do.
    """
    transcript = talk.transcript
    if transcript is None or not transcript.segments:
        return {}
    if matcher is None:
        matcher = _Matcher(transcript.segments)
    out: ParagraphTimes = {}
    for doc_index, doc in enumerate(talk.documents):
        if doc is transcript:
            continue
        segments = doc.segments
        below: list[float | None] = [None] * len(segments)
        nxt: float | None = None
        for i in range(len(segments) - 1, -1, -1):
            below[i] = nxt
            if segments[i].start is not None:
                nxt = segments[i].start
        above: float | None = None
        for i, segment in enumerate(segments):
            if segment.start is not None:
                above = segment.start
                continue
            if segment.kind == "code":
                continue
            words = _words(segment.text)[:HEAD_WORDS]
            if len(set(words)) < MIN_PARAGRAPH_WORDS:
                continue
            seconds = matcher.place(words, above, below[i])
            if seconds is not None:
                out[(doc_index, i)] = seconds
    return out


def place_all(talk: Talk) -> tuple[list[Placement], ParagraphTimes]:
    """`place_sections` and `place_paragraphs` over one reading of the transcript (a 3-hour
    talk's word sets and weights take ~40 ms to build)."""
    transcript = talk.transcript
    matcher = _Matcher(transcript.segments) if transcript and transcript.segments else None
    return place_sections(talk, matcher), place_paragraphs(talk, matcher)
