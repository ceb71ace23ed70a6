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

Speed: candidate lines are found without a Python loop over the words. Each
word is hashed to a byte; for each period p the bytes are XORed with
themselves shifted by p (one big-integer operation), and runs of p or more
zero bytes are the stretches where a block of p words repeats. Only the starts
of such runs (and the ends of the blocks they offer) become nodes of the
programme, so its cost follows the number of caption lines, not of words.
Hash collisions only propose candidates; each is checked on the words.
"""

from __future__ import annotations

import math
import re

# The longest caption line, in words: YouTube wraps at about 40 characters.
MAX_LINE = 16

# Costs in nats (-ln of a probability). Shares as seen in real rolling tracks
# (an old three-line rolling track: 97% of lines shown 3 times, 3% once;
# 6% of lines one word long).
_SHOWN = {3: -math.log(0.90), 2: -math.log(0.05), 1: -math.log(0.05)}
# How likely a line is to hold L words: mostly 5-9, short lines not rare
# (a pause ends a line), lines over 12 words very rare.
_LENGTH_SHARE = [0.0, 0.06, 0.05, 0.05, 0.07] + [0.12] * 5 + [0.07, 0.04, 0.03] + [0.01] * (MAX_LINE - 12)
_LINE = [math.inf] + [-math.log(s) for s in _LENGTH_SHARE[1:]]
# A kept word costs about ln(vocabulary of a talk). Speech repeats a word or a
# pair ("I I", "no no no", "you know you know") now and then: a first copy
# costs REPEAT to start, a further copy AGAIN (who says "no no" often says
# "no no no"), and each further word of a copy CONTINUE.
WORD = 7.0
REPEAT = 4.0
AGAIN = 3.5
CONTINUE = 0.3
# Lines shown once, read as a run longer than MAX_LINE: a run pays per word
# the share of a typical line (7 words).
ONCE_RUN_START = 0.0
ONCE_RUN_WORD = (_SHOWN[1] + _LINE[7]) / 7

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
    return _best_reading(words, *_candidates(words))


def _candidates(words: list[str]) -> tuple[dict[int, list[tuple[int, int]]], list[int], list[float]]:
    """Blocks that may be caption lines, as {start: [(period, times shown)]};
    and where speech repeats are, as sorted positions with the cost they save
    summed up to each (so the saving over any span is two look-ups)."""
    n = len(words)
    packed = bytes(map((255).__and__, map(hash, words)))
    whole = int.from_bytes(packed, "big")
    candidates: dict[int, list[tuple[int, int]]] = {}
    saving: dict[int, float] = {}
    first_saves, again_saves, go_on_saves = WORD - REPEAT, WORD - AGAIN, WORD - CONTINUE
    # Positions well inside a line of 3+ words shown three times: a one- or
    # two-word block repeating there is a stutter inside that line, repeated
    # with it ("I I" in "so I I think" x3), neither a line nor a repeat to price.
    inside = bytearray(n + 1)
    for p in range(min(MAX_LINE, n // 2), 0, -1):  # longest first, to mark `inside` before p <= 2
        # flags[k] == 0 where words k and k + p (probably) match.
        flags = ((whole >> (8 * p)) ^ (whole & ((1 << (8 * (n - p))) - 1))).to_bytes(n - p, "big").translate(_FLAGS)
        zeros = b"\0" * p
        a = flags.find(zeros)
        while a >= 0:
            r = flags.find(b"\1", a + p)
            if r < 0:
                r = len(flags)
            nxt = flags.find(zeros, r)
            # A hash collision next to a run would lengthen it: trim to real matches.
            while a < r and words[a] != words[a + p]:
                a += 1
            while r > a and words[r - 1] != words[r - 1 + p]:
                r -= 1
            run = r - a  # words[a : r + p] repeats with period p
            if run < p or (p <= 2 and inside[a] and inside[r + p - 1]):
                a = nxt
                continue
            if p <= 2:
                for k in range(a, r):
                    if words[k] == words[k + p]:
                        if (k - a) % p:
                            value = go_on_saves
                        else:
                            value = (first_saves if k == a else again_saves)
                        if saving.get(k + p, 0.0) < value:
                            saving[k + p] = value
            if run >= 2 * p:
                last = a + run - 2 * p
                for i in _starts(a, last, p):
                    if words[i : i + p] == words[i + p : i + 2 * p] == words[i + 2 * p : i + 3 * p]:
                        candidates.setdefault(i, []).append((p, 3))
                        if p > 2:
                            inside[i + 2 : i + 3 * p - 2] = b"\1" * (3 * p - 4)
            else:
                for i in range(a, a + run - p + 1):
                    if words[i : i + p] == words[i + p : i + 2 * p]:
                        candidates.setdefault(i, []).append((p, 2))
            a = nxt
    # A line shown three times may instead be one shown twice before a line
    # that starts like it ("we can" x2, "we can do this" x3): only worth a
    # node where a candidate line does start two copies on.
    for i, blocks in candidates.items():
        extra = [(p, 2) for p, k in blocks if k == 3 and i + 2 * p in candidates]
        if extra:
            blocks.extend(extra)
    positions = sorted(saving)
    summed = [0.0]
    total = 0.0
    for k in positions:
        total += saving[k]
        summed.append(total)
    return candidates, positions, summed


def _starts(first: int, last: int, p: int) -> range | list[int]:
    """Where a block of period p may start in a periodic stretch: near its
    start (the line may begin a few words in, after a line ending like it),
    and every p words (one line shown many times)."""
    if last - first <= MAX_LINE:
        return range(first, last + 1)
    return sorted(set(range(first, first + MAX_LINE + 1)) | set(range(first, last + 1, p)))


def _best_reading(
    words: list[str], candidates: dict[int, list[tuple[int, int]]], positions: list[int], summed: list[float]
) -> list[str]:
    """The lowest-cost cut of the text into lines (see the module doc).

    Nodes are the places a line may start or end. Into each node y come: a
    candidate line shown 3 or 2 times ending there; one line shown once from
    a node at most MAX_LINE words back; or a run of lines shown once from any
    earlier node (its cost is linear, so the best start is kept as one value).
    A word's cost is WORD less the repeat saving at it: g(x) below is the
    cost of all words before x, so words [x, y) cost g(y) - g(x).
    """
    n = len(words)
    nodes = {0, n}
    for i, blocks in candidates.items():
        nodes.add(i)
        nodes.update(i + k * p for p, k in blocks)
    inf = math.inf
    best = [inf] * (n + 1)
    came = [0] * (n + 1)  # where the reading ending here started
    period = [0] * (n + 1)  # its line's period; 0: text shown once
    best[0] = 0.0
    once_line = [_SHOWN[1] + c for c in _LINE]
    shown, line = _SHOWN, _LINE
    run_word = ONCE_RUN_WORD
    run_least, run_at = inf, 0  # least best[x] - g(x) - run_word * x, x over MAX_LINE back
    recent_x: list[int] = []  # nodes x < y reached, and best[x] - g(x)
    recent_v: list[float] = []
    lo = 0
    r = 0
    n_pos = len(positions)
    no_blocks: list[tuple[int, int]] = []
    for y in sorted(nodes):
        while r < n_pos and positions[r] < y:
            r += 1
        g = WORD * y - summed[r]
        blocks = candidates.get(y, no_blocks)
        if blocks or y == n:
            # Text shown once ends where a line shown more often starts (or at the end).
            far = y - MAX_LINE
            while lo < len(recent_x) and recent_x[lo] < far:
                # Too far back for one line: from here on, a start of a longer run.
                value = recent_v[lo] - run_word * recent_x[lo]
                if value < run_least:
                    run_least, run_at = value, recent_x[lo]
                lo += 1
            here = best[y]
            cost = run_least + ONCE_RUN_START + run_word * y + g
            if cost < here:
                here, came[y], period[y] = cost, run_at, 0
            for j in range(lo, len(recent_x)):
                cost = recent_v[j] + once_line[y - recent_x[j]] + g
                if cost < here:
                    here, came[y], period[y] = cost, recent_x[j], 0
            best[y] = here
        else:
            here = best[y]
        if here == inf:
            continue
        if period[y] or y == 0:
            # Text shown once starts where a line shown more often ended (after
            # text shown once it would only continue that text: same words).
            recent_x.append(y)
            recent_v.append(here - g)
        for p, k in blocks:
            end = y + k * p
            # The words kept are the first copy's.
            cost = here + shown[k] + line[p] + WORD * p
            if r < n_pos and positions[r] < y + p:
                cost -= _saved(positions, summed, y + p, r)
            if cost < best[end]:
                best[end], came[end], period[end] = cost, y, p
    pieces = []
    y = n
    while y > 0:
        x, p = came[y], period[y]
        pieces.append(words[x : x + p] if p else words[x:y])
        y = x
    out: list[str] = []
    for piece in reversed(pieces):
        out.extend(piece)
    return out


def _saved(positions: list[int], summed: list[float], b: int, r: int) -> float:
    """The repeat saving over words [a, b), where r is the first position index >= a."""
    k = r
    n_pos = len(positions)
    while k < n_pos and positions[k] < b:
        k += 1
    return summed[k] - summed[r]
