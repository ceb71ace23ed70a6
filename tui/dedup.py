"""Recovering what was said from flattened rolling captions.

YouTube's auto-captions roll: each caption line is shown as it is typed, again
alone for a moment, and again as the top line of the next cue. Flattened to
plain text, every line therefore appears three times in a row (sometimes two
or one, where a cue went missing), while the speaker's own repeats ("I I can't
explain", "thank you thank you thank you") appear inside a line.

Which reading is right is a global choice, so it is made by a dynamic
programme: the text is cut into caption lines, each shown 3, 2 or 1 times, and
the cut with the lowest cost (a negative log-likelihood) wins. A line costs how
unlikely its length and its repeat count are, plus every word it keeps; words
in lines shown once cost a little more each, and a kept word that repeats the
one before (speech: "I I", "you know you know") costs less than a new word. So
"about about about people don't talk about" (x3) reads as a one-word line shown
three times followed by a line starting with the same word, because that keeps
fewer words than any other reading, while "to to approach it" inside a line
keeps its stutter, because a one-word line shown twice is rarer than a stutter.

Tracks differ (caption width, speech rate, lost cues, how a speaker
stutters), so the text is read twice: first with default shares, then with
the shares that first reading found in this track (`_fitted`): how long its
lines are, how often they are shown 3, 2 or 1 times, and how often this
speaker repeats each word or pair, counted inside lines shown 2 or 3 times
where a copy is surely speech. A speaker who says "no no no" inside such
lines keeps it at the edge of a line shown once; and where a habit is strong
("thank you" nearly always said three times), a reading that has the
speaker say it once without the copies pays for the habit not indulged.

Speed: candidate lines are found without a Python loop over the words. Each
distinct word gets a number of as few bytes as the vocabulary needs; for each
period p the bytes are XORed with themselves shifted by p words (one
big-integer operation), and runs of p or more zero words are the stretches
where a block of p words repeats. Only the starts of such runs (and the ends
of the blocks they offer) become nodes of the programme, so its cost follows
the number of caption lines, not of words. The first reading covers the
first FIT_WORDS words only.
"""

from __future__ import annotations

import bisect
import math
import re
from collections import Counter

# The longest caption line, in words: YouTube wraps at about 40 characters.
MAX_LINE = 16

# Costs in nats (-ln of a probability). The first reading uses shares as
# seen in real rolling tracks (an old three-line rolling track: 97% of lines
# shown 3 times, 3% once; 6% of lines one word long); the second uses the
# shares the first reading found in this track (see `_fitted`).
SHOWN_SHARE = {3: 0.90, 2: 0.05, 1: 0.05}
# How likely a line is to hold L words: mostly 5-9, short lines not rare
# (a pause ends a line), lines over 12 words very rare.
LENGTH_SHARE = [0.0, 0.06, 0.05, 0.05, 0.07] + [0.12] * 5 + [0.07, 0.04, 0.03] + [0.01] * (MAX_LINE - 12)
# A kept word costs about ln(vocabulary of a talk). Speech repeats a word or a
# pair ("I I", "no no no", "you know you know") now and then: a first copy
# costs REPEAT to start, a second copy AGAIN (who says "no no" often says
# "no no no"), each further word of a copy CONTINUE; a third copy and more
# ("yeah" x5) cost AGAIN by default, and what a track shows once fitted.
WORD = 7.0
REPEAT = 4.0
AGAIN = 3.5
CONTINUE = 0.3
# How many lines of the default shares a fitted share is worth: tracks differ
# (caption width, speech rate, lost cues), so a few hundred lines of the
# track itself outweigh the defaults.
PRIOR_LINES = 20
# Likewise for speech repeats: how many words, and how many copies, of the
# default rates a talk's rate is worth; and how many times said, of the
# talk's rate, one word's or pair's own rate is worth.
PRIOR_WORDS = 500
PRIOR_COPIES = 100
PRIOR_UNIT = 5
# The first reading is fitted on at most this many words (enough lines to
# count; a longer track costs one more programme over this prefix only).
FIT_WORDS = 10_000


# Kinds of a speech-repeat position (bits, as one position may be several):
# the first or a further copy of one word or of a pair, a pair's second word.
# A third copy or later (of either) is _MORE.
_FIRST1, _AGAIN1, _FIRST2, _AGAIN2, _GO_ON, _MORE = 1, 2, 4, 8, 16, 32
_COPY_BITS = (_FIRST1, _AGAIN1, _FIRST2, _AGAIN2)


class Repeats:
    """How often the speaker repeats a word or a pair ("yeah yeah" is common,
    "see see" is not): each unit's own counts (first copies, further copies,
    times said), smoothed toward the rate of a unit not known to repeat
    (`repeat_rate` for words, `pair_rate` for pairs), which decides for units
    seen rarely."""

    def __init__(
        self, repeat_rate: float, again_rate: float, more_rate: float, first=None, again=None, said=None,
        pair_rate: float | None = None, room=None,
    ):
        self.first, self.again, self.said = first or {}, again or {}, said or {}
        # First copies with room left for another after them: the chances of a second copy.
        self.room = self.first if room is None else room
        self.repeat_rate, self.again_rate = repeat_rate, again_rate
        self.pair_rate = repeat_rate if pair_rate is None else pair_rate
        self.more_cost = -math.log(more_rate)  # for any unit: third copies are rare enough to pool

    def first_cost(self, unit) -> float:
        first, again = self.first.get(unit, 0), self.again.get(unit, 0)
        chances = max(first, self.said.get(unit, 0) - first - again)  # times said other than as a copy
        rate = self.pair_rate if type(unit) is tuple else self.repeat_rate
        return -math.log((first + PRIOR_UNIT * rate) / (chances + PRIOR_UNIT))

    def again_cost(self, unit) -> float:
        again, room = self.again.get(unit, 0), self.room.get(unit, 0)
        return -math.log((again + PRIOR_COPIES * self.again_rate) / (room + PRIOR_COPIES))


class Costs:
    """The costs of one reading: how often lines are shown, how long they
    are, and how often the speaker repeats."""

    def __init__(self, shown_share: dict[int, float], length_share: list[float], repeats: Repeats):
        self.shown = {k: -math.log(v) for k, v in shown_share.items()}
        self.line = [math.inf] + [-math.log(v) if v > 0 else math.inf for v in length_share[1:]]
        self.once_line = [self.shown[1] + c for c in self.line]
        # Lines shown once, read as a run longer than MAX_LINE: a run pays per
        # word the share of a line of the mean length.
        typical = max(1, min(MAX_LINE, round(sum(k * v for k, v in enumerate(length_share)) / sum(length_share))))
        self.run_word = (self.shown[1] + self.line[typical]) / typical
        self.repeats = repeats


DEFAULT_COSTS = Costs(SHOWN_SHARE, LENGTH_SHARE, Repeats(math.exp(-REPEAT), math.exp(-AGAIN), math.exp(-AGAIN)))

# `WEBVTT Kind: captions Language: en` flattened into the text.
_FLAT_HEADER = re.compile(
    r"^\s*WEBVTT\b[^\S\n]*(?:(?:Kind|Language|LastUpdated|Caption|Video|X-TIMESTAMP-MAP)\s*:\s*\S+\s*)*"
)
# Any non-zero byte becomes 1, so "end of a zero run" is one bytes.find.
_FLAGS = bytes([0] + [1] * 255)


def strip_flat_header(text: str) -> str:
    """Drop a WebVTT header that was flattened into caption text."""
    return _FLAT_HEADER.sub("", text, count=1)


def dedup_text(text: str) -> str:
    """`dedup_words` on text: header dropped, words joined by single spaces."""
    return " ".join(dedup_words(strip_flat_header(text).split()))


def dedup_words(words: list[str]) -> list[str]:
    """The words spoken, from the words of a flattened rolling caption track."""
    n = len(words)
    if n < 2:
        return list(words)
    candidates, repeats = _candidates(words)
    # Nodes are the places a line may start or end.
    nodes = sorted({0, n, *candidates, *(i + k * p for i, blocks in candidates.items() for p, k in blocks)})
    # Read once with the default shares (on the first FIT_WORDS words), count
    # what that reading found, and read again with this track's own shares.
    first = _best_reading(words, candidates, repeats, nodes[: bisect.bisect_left(nodes, FIT_WORDS) + 1], DEFAULT_COSTS)
    costs = _fitted(words, first)
    return _spoken(words, _best_reading(words, candidates, repeats, nodes, costs))


def _fitted(words: list[str], pieces: list[tuple[int, int, int]]) -> Costs:
    """The shares of a reading's lines, each smoothed with PRIOR_LINES lines of
    the defaults, and how often its speaker repeats (smoothed likewise).

    Lines shown 2 or 3 times give the lengths; text shown once is counted as
    lines of the mean length (where one such line ends is not seen). Repeats
    are counted in the words of lines shown 2 or 3 times only: there a copy is
    surely speech, while in text shown once two lines alike ("[Applause]",
    "[Applause]") may be one line shown twice."""
    lengths = [0.0] * (MAX_LINE + 1)
    shown = {3: 0.0, 2: 0.0, 1: 0.0}
    once_words = 0
    for x, y, p in pieces:
        if p:
            lengths[p] += 1
            shown[(y - x) // p] += 1
        else:
            once_words += y - x
    lines = sum(lengths)
    if lines:
        shown[1] += once_words / (sum(k * c for k, c in enumerate(lengths)) / lines)
    total = sum(shown.values())
    shown_share = {k: (shown[k] + PRIOR_LINES * SHOWN_SHARE[k]) / (total + PRIOR_LINES) for k in shown}
    length_share = [(c + PRIOR_LINES * d) / (lines + PRIOR_LINES) for c, d in zip(lengths, LENGTH_SHARE)]
    first: Counter = Counter()
    again: Counter = Counter()
    more: Counter = Counter()
    room: list[Counter] = [Counter(), Counter()]  # first and second copies with room for another
    # Counted over each stretch of such lines read in a row (a copy may start
    # the next line: "... thank you" | "thank you ..."), at the words and pairs
    # with room in the stretch for a copy on either side: a unit at its end
    # shows no copy even when one was said, and one at its start may be the
    # copy of a unit before it; neither is a chance not taken.
    kept: list = []
    kept_words = kept_pairs = 0
    stretch: list[str] = []
    for x, _, p in [*pieces, (0, 0, 0)]:
        if p:
            stretch += words[x : x + p]
        elif stretch:
            _speech_repeats(stretch, first, again, more, room)
            kept += stretch[1:-1]
            kept += zip(stretch[2:], stretch[3:-2])
            kept_words += max(0, len(stretch) - 2)
            kept_pairs += max(0, len(stretch) - 5)
            stretch = []
    agains = sum(again.values())
    # Good-Turing: the units seen repeating once stand for all those never
    # seen repeating ("method method" is rarer than the talk's mean rate, which
    # its habitual "I I" and "yeah yeah yeah" raise); words and pairs apart.
    new_words = sum(1 for u, c in first.items() if c == 1 and type(u) is str)
    new_pairs = sum(1 for u, c in first.items() if c == 1 and type(u) is tuple)
    repeat_rate = (new_words + PRIOR_WORDS * math.exp(-REPEAT)) / (kept_words + PRIOR_WORDS)
    pair_rate = (new_pairs + PRIOR_WORDS * math.exp(-REPEAT)) / (kept_pairs + PRIOR_WORDS)
    again_rate = (agains + PRIOR_COPIES * math.exp(-AGAIN)) / (sum(room[0].values()) + PRIOR_COPIES)
    mores = sum(more.values())
    more_rate = (mores + PRIOR_COPIES * math.exp(-AGAIN)) / (sum(room[1].values()) + PRIOR_COPIES)
    return Costs(
        shown_share, length_share,
        Repeats(repeat_rate, again_rate, more_rate, first, again, Counter(kept), pair_rate, room[0]),
    )


def _speech_repeats(words: list[str], first: Counter, again: Counter, more: Counter, room: list[Counter]) -> None:
    """Count first, second and later copies of a word or a pair in the words, by what is repeated;
    and first and second copies that leave room in the words for one more."""
    n = len(words)
    copy_end = -1  # where the last copy found ends
    copies = 0  # copies in the run it ends
    i = 1
    while i < n:
        if words[i] == words[i - 1]:
            unit, p = words[i], 1
        elif i >= 2 and words[i : i + 2] == words[i - 2 : i]:
            unit, p = (words[i], words[i + 1]), 2
        else:
            i += 1
            continue
        copies = copies + 1 if copy_end == i else 1
        (first if copies == 1 else again if copies == 2 else more)[unit] += 1
        if copies <= 2 and i + 2 * p <= n:
            room[copies - 1][unit] += 1
        i += p
        copy_end = i


def _spoken(words: list[str], pieces: list[tuple[int, int, int]]) -> list[str]:
    """The words a reading keeps: a line's first copy, all of text shown once."""
    out: list[str] = []
    for x, y, p in pieces:
        out.extend(words[x : x + p] if p else words[x:y])
    return out


def _candidates(words: list[str]) -> tuple[dict[int, list[tuple[int, int]]], dict[int, int]]:
    """Blocks that may be caption lines, as {start: [(period, times shown)]};
    and where speech repeats may be, as {position: kinds}."""
    n = len(words)
    # Each word as a number of `width` bytes, one per distinct word: blocks
    # match exactly where their bytes do. (Any numbering will do: a set is
    # the quickest way to the distinct words.)
    vocabulary = set(words)
    width = max(1, (len(vocabulary) - 1).bit_length() + 7 >> 3)
    as_bytes = {w: k.to_bytes(width, "big") for k, w in enumerate(vocabulary)}
    whole = int.from_bytes(b"".join(map(as_bytes.__getitem__, words)), "big")
    candidates: dict[int, list[tuple[int, int]]] = {}
    repeats: dict[int, int] = {}
    # Positions well inside a line of 3+ words shown three times: a one- or
    # two-word block repeating there is a stutter inside that line, repeated
    # with it ("I I" in "so I I think" x3), neither a line nor a repeat to price.
    inside = bytearray(n + 1)
    tails = []  # (last start of a line shown three times, its period) of each stretch
    setdefault = candidates.setdefault
    for p in range(min(MAX_LINE, n // 2), 0, -1):  # longest first, to mark `inside` before p <= 2
        inside_mark = b"\1" * (3 * p - 4) if p > 2 else b""
        # flags[k] == 0 where words k and k + p match: their bytes XOR to
        # zero, folded into each word's last byte. (Unmasked, the XOR keeps the
        # first p words above the n - p compared: their bytes are skipped.)
        diff = (whole >> (8 * width * p)) ^ whole
        for _ in range(1, width):  # byte by byte: a word's last byte gathers its own bytes only
            diff |= diff >> 8
        flags = diff.to_bytes(width * n, "big")[width * (p + 1) - 1 :: width].translate(_FLAGS)
        zeros = b"\0" * p
        find = flags.find
        a = find(zeros)
        while a >= 0:
            r = find(b"\1", a + p)
            if r < 0:
                r = len(flags)
            nxt = find(zeros, r)
            run = r - a  # words[a : r + p] repeats with period p
            if p <= 2 and inside[a] and inside[r + p - 1]:
                a = nxt
                continue
            if p == 1 or p == 2 and words[a] != words[a + 1]:  # "it it it it" repeats "it", not "it it"
                first, again = (_FIRST1, _AGAIN1) if p == 1 else (_FIRST2, _AGAIN2)
                for k in range(a, r):
                    copy = (k - a) // p  # 0: the first copy
                    kind = _GO_ON if (k - a) % p else first if copy == 0 else again if copy == 1 else _MORE
                    repeats[k + p] = repeats.get(k + p, 0) | kind
            if run >= 2 * p:
                last = a + run - 2 * p
                if last == a:  # most stretches: one line shown three times
                    setdefault(a, []).append((p, 3))
                    if p > 2:
                        inside[a + 2 : a + 3 * p - 2] = inside_mark
                else:
                    for i in range(a, last + 1) if last - a <= MAX_LINE else _starts(a, last, p):
                        setdefault(i, []).append((p, 3))
                        if p > 2:
                            inside[i + 2 : i + 3 * p - 2] = inside_mark
                # Shown twice at the stretch's end: one or two words after a line
                # that ended with them ("... compute very" x3, "very" x2); longer
                # ones only before a line that starts like them (below).
                if p <= 2:
                    setdefault(last + p, []).append((p, 2))
                tails.append((last, p))
            else:
                for i in range(a, a + run - p + 1):
                    setdefault(i, []).append((p, 2))
            a = nxt
    # A line shown three times may instead be one shown twice before a line
    # that starts like it ("we can" x2, "we can do this" x3): only worth a
    # node where a candidate line does start two copies on.
    for i, blocks in candidates.items():
        for p, k in blocks:
            if k == 3 and i + 2 * p in candidates:
                blocks.append((p, 2))  # appended pairs are (p, 2): the loop skips them
    # A line shown twice inside a stretch's last copy, before a line that
    # starts there: the ends it may have are in (last + 2p, last + 3p).
    starts = bytearray(n + 1)
    for i in candidates:
        starts[i] = 1
    start_at = starts.find
    for last, p in tails:
        end = start_at(1, last + 2 * p + 1, last + 3 * p)
        while end >= 0:
            setdefault(end - 2 * p, []).append((p, 2))
            end = start_at(1, end + 1, last + 3 * p)
    return candidates, repeats


# A chance not taken worth less than this (a word said by no habit) is not priced.
_HABIT = 0.05


def _not_taken(cost: float) -> float:
    """The cost of a chance not taken, from the cost of taking it."""
    return -math.log1p(-math.exp(-cost)) if cost > 0 else math.inf


def _savings(words: list[str], repeats: dict[int, int], costs: Costs) -> tuple[list[int], list[float]]:
    """Speech-repeat positions in order, and what they save on WORD summed up
    to each (so the saving over any span is two look-ups). A position of
    several kinds saves the most of them.

    A habit has a price when not indulged: where this speaker says "thank
    you" and most often says it again, a "thank you" with no copy after it
    costs what that chance not taken is worth (a negative saving where the
    unit is said); a copy pays it back for the one before it and carries the
    price of not going on itself."""
    rates = costs.repeats
    first_cost, again_cost, more_cost = rates.first_cost, rates.again_cost, rates.more_cost
    known: dict = {}  # (unit, kind) -> saving
    no_more = _not_taken(more_cost)
    no_first = {u: c for u in rates.first if (c := _not_taken(first_cost(u))) > _HABIT}
    # Only a unit said just before a copy of it is priced: elsewhere every
    # reading keeps the same number of it, so the price changes no choice.
    occurrences: dict[int, float] = {}
    if no_first:
        for k, kinds in repeats.items():
            if kinds & _FIRST1 and (price := no_first.get(words[k])):
                occurrences[k - 1] = occurrences.get(k - 1, 0.0) + price
            if kinds & _FIRST2 and (price := no_first.get((words[k - 2], words[k - 1]))):
                occurrences[k - 2] = occurrences.get(k - 2, 0.0) + price
    positions = sorted(repeats.keys() | occurrences.keys())
    summed = [0.0]
    total = 0.0
    for k in positions:
        kinds = repeats.get(k, 0)
        best = WORD - CONTINUE if kinds & _GO_ON else WORD - more_cost if kinds & _MORE else -occurrences.get(k, 0.0)
        for bit in _COPY_BITS:
            if kinds & bit:
                unit = words[k] if bit & (_FIRST1 | _AGAIN1) else (words[k - 2], words[k - 1])  # what the copy repeats
                saving = known.get((unit, bit))
                if saving is None:
                    if bit & (_FIRST1 | _FIRST2):
                        again = again_cost(unit)
                        saving = WORD - first_cost(unit) + no_first.get(unit, 0.0) - _not_taken(again)
                    else:
                        again = again_cost(unit)
                        saving = WORD - again + _not_taken(again) - no_more
                    known[unit, bit] = saving
                if saving > best:
                    best = saving
        total += best
        summed.append(total)
    return positions, summed


def _starts(first: int, last: int, p: int) -> range | list[int]:
    """Where a block of period p may start in a periodic stretch: near its
    start (the line may begin a few words in, after a line ending like it),
    and every p words (one line shown many times); a short stretch
    (MAX_LINE words or less) is taken whole by the caller."""
    return sorted(set(range(first, first + MAX_LINE + 1)) | set(range(first, last + 1, p)))


def _best_reading(
    words: list[str],
    candidates: dict[int, list[tuple[int, int]]],
    repeats: dict[int, int],
    nodes: list[int],
    costs: Costs,
) -> list[tuple[int, int, int]]:
    """The lowest-cost cut of the words up to the last node into lines (see
    the module doc), as (start, end, period) pieces in order; period 0 is text
    shown once.

    Nodes (in order) are the places a line may start or end. Into each node y come: a
    candidate line shown 3 or 2 times ending there; one line shown once from
    a node at most MAX_LINE words back; or a run of lines shown once from any
    earlier node (its cost is linear, so the best start is kept as one value).
    A word's cost is WORD less the repeat saving at it: g(x) below is the
    cost of all words before x, so words [x, y) cost g(y) - g(x).
    """
    n = nodes[-1]
    positions, summed = _savings(words, repeats, costs)
    positions.append(len(words) + MAX_LINE + 1)  # past every node: the scans below need no bound check
    inf = math.inf
    best = [inf] * (len(words) + 1)
    came = [0] * (len(words) + 1)  # where the reading ending here started
    period = [0] * (len(words) + 1)  # its line's period; 0: text shown once
    best[0] = 0.0
    once_line, run_word = costs.once_line, costs.run_word
    # What a line of p words shown k times costs, less its words' repeat savings.
    block_cost = [[]] * 2 + [[costs.shown[k] + c + WORD * p for p, c in enumerate(costs.line)] for k in (2, 3)]
    run_least, run_at = inf, 0  # least best[x] - g(x) - run_word * x, x over MAX_LINE back
    recent_x: list[int] = []  # nodes x < y reached, and best[x] - g(x)
    recent_v: list[float] = []
    lo = 0
    m = 0  # len(recent_x)
    r = 0
    no_blocks: list[tuple[int, int]] = []
    get = candidates.get
    for y in nodes:
        while positions[r] < y:
            r += 1
        g = WORD * y - summed[r]
        blocks = get(y, no_blocks)
        here = best[y]
        if blocks or y == n:
            # Text shown once ends where a line shown more often starts (or at the end).
            far = y - MAX_LINE
            while lo < m and recent_x[lo] < far:
                # Too far back for one line: from here on, a start of a longer run.
                value = recent_v[lo] - run_word * recent_x[lo]
                if value < run_least:
                    run_least, run_at = value, recent_x[lo]
                lo += 1
            cost = run_least + run_word * y + g
            if cost < here:
                here, came[y], period[y] = cost, run_at, 0
            for j in range(lo, m):
                x = recent_x[j]
                cost = recent_v[j] + once_line[y - x] + g
                if cost < here:
                    here, came[y], period[y] = cost, x, 0
            best[y] = here
        if here == inf:
            continue
        if period[y] or y == 0:
            # Text shown once starts where a line shown more often ended (after
            # text shown once it would only continue that text: same words).
            recent_x.append(y)
            recent_v.append(here - g)
            m += 1
        next_repeat = positions[r]
        for p, k in blocks:
            to = y + k * p
            # The words kept are the first copy's.
            cost = here + block_cost[k][p]
            if next_repeat < y + p:
                cost -= _saved(positions, summed, y + p, r)
            if cost < best[to]:
                best[to], came[to], period[to] = cost, y, p
    pieces = []
    y = n
    while y > 0:
        x = came[y]
        pieces.append((x, y, period[y]))
        y = x
    pieces.reverse()
    return pieces


def _saved(positions: list[int], summed: list[float], b: int, r: int) -> float:
    """The repeat saving over words [a, b), where r is the first position index >= a."""
    k = r
    while positions[k] < b:  # the last position is past every node
        k += 1
    return summed[k] - summed[r]
