"""Reading the timestamps written in summary pages.

Pages write times in several styles, often mixed in one page:

- `HH:MM:SS` (`00:14:52`), the common form;
- `MM:SS:00`: minutes and seconds padded with `:00`, often for a whole page
  (`48:20:00` is 48 min 20 s); some pages pad with other digits too
  (`[01:40:53]` beside `[05:30:00]` in a one-hour talk);
- two-part `MM:SS` and four-part `HH:MM:SS:00`.

A three-part stamp is therefore ambiguous. Each stamp is read as the page and
the talk allow: first the page's style is decided from all its stamps, then
every stamp gets the reading that keeps the page in order (summaries follow
the talk, mostly) at the least cost, where going against the page's style
costs a fixed amount. A reading that would run past the talk (its transcript's
length, or 5 hours when unknown) is never taken while another exists.

A stamp may have several raw texts (an anchor's `data-t` and its `[..]` text
can disagree); the reading most consistent with the page wins.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from .model import Document, Stamp

# Without a transcript, no talk is taken to be longer than this.
DEFAULT_LIMIT = 5 * 3600.0
# What going against the page's style costs, in seconds of disorder: a reading
# against the style is taken only when it saves more than this much backtracking.
STYLE_COST = 900.0
# Preference for a stamp's first raw text (the anchor attribute) over a later one.
_LATER_RAW_COST = 1.0

TOKEN = re.compile(r"\d{1,3}(?::\d{1,2}){1,3}")

HOURS = "hours"  # three-part stamps are HH:MM:SS
MINUTES = "minutes"  # three-part stamps are MM:SS:00


@lru_cache(maxsize=8192)
def parts(token: str) -> tuple[int, ...] | None:
    """The numbers of a `12:34`, `1:02:03` or `01:00:21:00` token, None if it is not one."""
    token = token.strip()
    if not TOKEN.fullmatch(token):
        return None
    return tuple(int(p) for p in token.split(":"))


def tokens(raw: str) -> list[str]:
    """The time tokens in a stamp's raw text (`08:43:00 [08:43:48]` has two)."""
    return TOKEN.findall(raw)


def hours_reading(p: tuple[int, ...]) -> float | None:
    """A three-part stamp read as HH:MM:SS."""
    a, b, c = p
    return float(a * 3600 + b * 60 + c) if b < 60 and c < 60 else None


def minutes_reading(p: tuple[int, ...]) -> float | None:
    """A three-part stamp read as MM:SS followed by padding (`:00`, or frames)."""
    a, b, _ = p
    return float(a * 60 + b) if b < 60 else None


def fixed_reading(p: tuple[int, ...]) -> float | None:
    """Two- and four-part stamps have one reading: MM:SS and HH:MM:SS:frames."""
    if len(p) == 2:
        m, s = p
        return float(m * 60 + s) if s < 60 else None
    if len(p) == 4:
        h, m, s, _ = p
        return float(h * 3600 + m * 60 + s) if m < 60 and s < 60 else None
    return None


@lru_cache(maxsize=8192)
def is_time(raw: str) -> bool:
    """Whether a raw text holds at least one readable time."""
    for p in _numbers(raw):
        if len(p) == 3:
            if hours_reading(p) is not None or minutes_reading(p) is not None:
                return True
        elif fixed_reading(p) is not None:
            return True
    return False


def limit_for(duration: float | None) -> float:
    """The latest time a stamp may point at: the talk's length with some slack.

    A transcript may stop before the talk does (an outro without words), so a
    stamp a little past it is still read as written; only readings well past
    it (an hour in a seven-minute talk) are ruled out.
    """
    if not duration or duration <= 0:
        return DEFAULT_LIMIT
    return duration * 1.1 + 60.0


def page_style(raws: Sequence[str], limit: float = DEFAULT_LIMIT) -> str:
    """HOURS or MINUTES: how the page's three-part stamps are written.

    MINUTES when some stamp read as hours would run past the talk (so the page
    demonstrably pads minutes), or when every one of at least three
    three-part stamps ends in `:00` (a true HH:MM:SS page almost never does).
    """
    return _style_of([_numbers(raw) for raw in raws], limit)


def _numbers(raw: str) -> tuple[tuple[int, ...], ...]:
    """The numbers of each time token of a raw text (what `parts` gives for each of `tokens`)."""
    return tuple(tuple(map(int, tok.split(":"))) for tok in TOKEN.findall(raw))


def _style_of(numbers: Sequence[tuple[tuple[int, ...], ...]], limit: float) -> str:
    threes = 0
    padded = True
    for stamp in numbers:
        for p in stamp:
            if len(p) != 3:
                continue
            threes += 1
            padded = padded and p[2] == 0
            h, m = hours_reading(p), minutes_reading(p)
            if m is not None and (h is None or h > limit):
                return MINUTES
    return MINUTES if threes >= 3 and padded else HOURS


@lru_cache(maxsize=8192)
def candidates(raw: str, style: str, limit: float = DEFAULT_LIMIT) -> tuple[tuple[float, float], ...]:
    """The possible readings of one stamp as (seconds, cost), cheapest first."""
    return _candidates_of(_numbers(raw), style, limit)


def _candidates_of(numbers: tuple[tuple[int, ...], ...], style: str, limit: float) -> tuple[tuple[float, float], ...]:
    found: dict[float, float] = {}

    def add(value: float | None, cost: float) -> None:
        if value is not None and (value not in found or cost < found[value]):
            found[value] = cost

    for i, p in enumerate(numbers):
        extra = _LATER_RAW_COST * i
        if len(p) != 3:
            add(fixed_reading(p), extra)
            continue
        h, m = hours_reading(p), minutes_reading(p)
        h_fits = h is not None and h <= limit
        padded = p[2] == 0
        if style == HOURS:
            if h_fits:
                add(h, extra)
            elif m is not None:
                add(m, extra)  # read as hours it would run past the talk
            else:
                add(h, extra)
        else:
            if m is not None:
                add(m, extra + (0.0 if padded else STYLE_COST))
            if h_fits:
                add(h, extra + (STYLE_COST if padded else 0.0))
            if m is None and not h_fits:
                add(h, extra)
    return tuple(sorted(found.items(), key=lambda item: (item[1], item[0])))


def resolve(raws: Sequence[str], limit: float = DEFAULT_LIMIT) -> list[float | None]:
    """Seconds for each stamp of a page, in page order (None for unreadable ones).

    A shortest-path over the stamps: each reading costs its style cost, and
    each step back in time costs the seconds it goes back.
    """
    # Each distinct raw text is taken apart once (a page may hold 100,000 stamps).
    numbers: dict[str, tuple[tuple[int, ...], ...]] = {}
    for raw in raws:
        if raw not in numbers:
            numbers[raw] = _numbers(raw)
    style = _style_of([numbers[raw] for raw in raws], limit)
    readings = {raw: _candidates_of(n, style, limit) for raw, n in numbers.items()}
    options = [readings[raw] for raw in raws]
    order = [i for i, opts in enumerate(options) if opts]
    result: list[float | None] = [None] * len(raws)
    if not order:
        return result
    if all(len(options[i]) == 1 for i in order):  # one reading each: nothing to choose
        for i in order:
            result[i] = options[i][0][0]
        return result
    # best[k][j]: least cost of the stamps up to order[k] with reading j there.
    best: list[list[float]] = []
    back: list[list[int]] = []
    for k, i in enumerate(order):
        row, links = [], []
        for value, cost in options[i]:
            if k == 0:
                row.append(cost)
                links.append(-1)
                continue
            prev_opts = options[order[k - 1]]
            if len(prev_opts) == 1:  # the common case: one reading before, nothing to choose
                row.append(best[k - 1][0] + max(0.0, prev_opts[0][0] - value) + cost)
                links.append(0)
                continue
            totals = [best[k - 1][j] + max(0.0, pv - value) for j, (pv, _) in enumerate(prev_opts)]
            j_best = min(range(len(totals)), key=totals.__getitem__)
            row.append(totals[j_best] + cost)
            links.append(j_best)
        best.append(row)
        back.append(links)
    j = min(range(len(best[-1])), key=best[-1].__getitem__)
    for k in range(len(order) - 1, -1, -1):
        result[order[k]] = options[order[k]][j][0]
        j = back[k][j]
    return result


def fit(document: Document, duration: float | None = None) -> Document:
    """(Re)read every stamp of a summary document, in place, and return it.

    Uses each Stamp's `raw`, so it can run again once the talk's length is
    known: segment starts and outline starts follow the new readings.
    """
    limit = limit_for(duration)
    flat = [(si, stamp) for si, seg in enumerate(document.segments) for stamp in seg.stamps]
    values = resolve([stamp.raw for _, stamp in flat], limit)
    new_stamps: list[list[Stamp]] = [[] for _ in document.segments]
    for (si, stamp), value in zip(flat, values):
        if value is not None:
            new_stamps[si].append(Stamp(stamp.offset, value, stamp.raw))
    for seg, stamps in zip(document.segments, new_stamps):
        seg.stamps = tuple(stamps)
        seg.start = stamps[0].seconds if stamps else None
    set_outline_starts(document)
    return document


def hours_readings(document: Document) -> tuple[float, ...]:
    """The hours readings of a summary's three-part stamps, sorted.

    All that `fit` decides from the talk's length is, for each of these,
    whether it is within the limit: so a page needs fitting again only when
    one of them lies between the old limit and the new (`refit_changes`).
    """
    found = {
        h
        for seg in document.segments
        for stamp in seg.stamps
        for tok in tokens(stamp.raw)
        if (p := parts(tok)) and len(p) == 3 and (h := hours_reading(p)) is not None
    }
    return tuple(sorted(found))


def refit_changes(hours: Sequence[float], old_limit: float, new_limit: float) -> bool:
    """Whether fitting with `new_limit` can read any stamp differently than with `old_limit`."""
    lo, hi = sorted((old_limit, new_limit))
    return any(lo < h <= hi for h in hours)


def set_outline_starts(document: Document) -> None:
    """Each outline entry starts at the first stamp under it (its subsections included)."""
    segs = document.segments
    entries = document.outline
    for n, entry in enumerate(entries):
        stop = len(segs)
        for later in entries[n + 1:]:
            if later.level <= entry.level:
                stop = later.segment
                break
        start = next((s.start for s in segs[entry.segment:stop] if s.start is not None), None)
        entry.start = start
        entry.origin = "stamp" if start is not None else "none"
