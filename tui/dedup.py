"""Recovering what was said from flattened rolling captions.

YouTube's auto-captions roll: each caption line is shown as it is typed, again
alone for a moment, and again as the top line of the next cue. Flattened to
plain text, every line therefore appears three times in a row (sometimes two
or one, where a cue went missing), while the speaker's own repeats ("I I can't
explain", "thank you thank you thank you") appear inside a line.

The text is scanned once. Where a block of up to `MAX_LINE` words repeats
three times, that is a caption line (an *anchor*): it is kept once. The longest
such block wins, so a line that itself holds a repeat ("thank you thank you
thank you", shown three times) keeps its repeat. Between anchors lies text shown
twice or once: there a block of 3+ words repeated twice is a caption line shown
twice; shorter doubles are speech ("I I", "to to") and stay. A short block
(1-3 words) shown three times may be speech too ("no no no"): it is a line only
when no longer line starts inside it, no line shown twice runs over it, and a
line boundary lies on one side of it. (What stays ambiguous: a speech triple at
the edge of a line shown once reads as a short line shown three times.)

Every step compares list slices (done in C), and the scan jumps a whole line
at a time, so the cost is linear in the number of words.
"""

from __future__ import annotations

import re

# The longest caption line, in words: YouTube wraps at about 40 characters.
MAX_LINE = 20
# A block shown twice must be this long to count as a caption line; a shorter
# double is more likely a stutter ("I I", "you know you know").
MIN_DOUBLE = 3
# Blocks of up to this many words shown three times are checked against a
# longer reading before they are taken as a caption line.
SHORT_LINE = 3

# `WEBVTT Kind: captions Language: en` flattened into the text.
_FLAT_HEADER = re.compile(
    r"^\s*WEBVTT\b[^\S\n]*(?:(?:Kind|Language|LastUpdated|Caption|Video|X-TIMESTAMP-MAP)\s*:\s*\S+\s*)*"
)


def strip_flat_header(text: str) -> str:
    """Drop a WebVTT header that was flattened into caption text."""
    return _FLAT_HEADER.sub("", text, count=1)


def dedup_words(words: list[str]) -> list[str]:
    """The words spoken, from the words of a flattened rolling caption track."""
    n = len(words)
    out: list[str] = []
    region = 0  # start of the text not yet explained by an anchor
    i = 0
    while i < n:
        p = _triple_period(words, i, n)
        if not p:
            i += 1
            continue
        if p <= SHORT_LINE:
            # A short block shown three times may be speech ("it it it") that
            # only looks like a line: it loses to a longer line starting inside
            # it, or to a line shown twice that runs over it.
            j, q = _longer_triple(words, i, p, n)
            if q:
                i, p = j, q
            elif _inside_double(words, region, i, p) or (
                i > region and not _ends_double(words, region, i) and not _starts_line(words, i + 3 * p, n)
            ):
                # (or: no line boundary on either side, so it sits inside a
                # line shown once: "we thank you thank you thank you and")
                i += 1
                continue
        i = _resolve_region(words, region, i, p, out)
        out.extend(words[i : i + p])
        i += 3 * p
        region = i
    _resolve_region(words, region, n, 0, out)
    return out


def dedup_text(text: str) -> str:
    """`dedup_words` on text: header dropped, words joined by single spaces."""
    return " ".join(dedup_words(strip_flat_header(text).split()))


def _triple_period(words: list[str], i: int, n: int) -> int:
    """The longest p <= MAX_LINE such that words[i:i+p] occurs three times in a row at i."""
    first = words[i]
    best = 0
    hi = min(n, i + MAX_LINE + 1)
    index = words.index
    j = i
    try:
        while True:
            j = index(first, j + 1, hi)
            p = j - i
            end = j + 2 * p
            if end > n:
                break
            # Cheap test first: the third copy must start with the same word.
            if words[j + p] == first and words[i:j] == words[j : j + p] == words[j + p : end]:
                best = p
    except ValueError:
        pass
    return best


def _longer_triple(words: list[str], i: int, p: int, n: int) -> tuple[int, int]:
    """A triple block longer than p starting inside the one at i, as (start, period)."""
    best_j, best_q = i, 0
    for j in range(i + 1, min(n, i + 3 * p)):
        q = _triple_period(words, j, n)
        if q > p and q > best_q:
            best_j, best_q = j, q
    return best_j, best_q


def _inside_double(words: list[str], region: int, i: int, p: int) -> bool:
    """Whether a block longer than p, shown twice, overlaps the triple block at i."""
    n = len(words)
    end = i + 3 * p
    block = words[i : i + p]
    for k in range(max(region, i - MAX_LINE), end):
        q = _double_period(words, k, n)
        if q > p and k + 2 * q > i:
            if q % p == 0 and words[k : k + q] == block * (q // p):
                continue  # only more copies of the block itself (next line starts like it)
            return True
    return False


def _ends_double(words: list[str], region: int, i: int) -> bool:
    """Whether [region, i) ends with a block of MIN_DOUBLE+ words shown twice."""
    for q in range(MIN_DOUBLE, min(MAX_LINE, (i - region) // 2) + 1):
        if words[i - 2 * q : i - q] == words[i - q : i]:
            return True
    return False


def _starts_line(words: list[str], j: int, n: int) -> bool:
    """Whether a caption line shown three or two times starts at j (or the text ends there)."""
    return j >= n or bool(_triple_period(words, j, n) or _double_period(words, j, n))


def _double_period(words: list[str], k: int, limit: int) -> int:
    """The longest p >= MIN_DOUBLE with words[k:k+p] repeated right after, within `limit`."""
    first = words[k]
    best = 0
    hi = min(limit, k + MAX_LINE + 1)
    lo = k + MIN_DOUBLE
    index = words.index
    while lo < hi:
        try:
            j = index(first, lo, hi)
        except ValueError:
            break
        p = j - k
        if j + p > limit:
            break
        if words[k:j] == words[j : j + p]:
            best = p
        lo = j + 1
    return best


def _resolve_region(words: list[str], start: int, anchor: int, p: int, out: list[str]) -> int:
    """Add the words in [start, anchor) to `out`, collapsing lines shown twice.

    Returns where the anchor (a block of period `p` shown three times) really
    starts. A line shown twice just before an anchor may end one or more words
    into it when the anchor's first words equal its line's last words (the scan
    found the anchor rotated); the anchor is then moved right, as long as it
    still repeats three times.
    """
    if start >= anchor:
        return anchor
    # How far the anchor may move right and still be a triple block.
    shift = 0
    if p:
        end = anchor + 3 * p
        while shift < p - 1 and end + shift < len(words) and words[end + shift] == words[anchor + shift]:
            shift += 1
    limit = anchor + shift
    k = start
    while k < anchor:
        q = _double_period(words, k, limit)
        if q:
            out.extend(words[k : k + q])
            k += 2 * q
        else:
            out.append(words[k])
            k += 1
    return max(k, anchor)
