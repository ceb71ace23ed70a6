"""Which paragraph a moment lands on, in one list of start times.

Both directions of the summary <-> transcript link ask this: a stamp in a
summary names a whole second, a transcript paragraph starts at a fraction.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Sequence


def landing(starts: Sequence[float], seconds: float) -> int:
    """The position in `starts` (sorted) that a stamp at `seconds` goes to; -1 before the first.

    The paragraph containing `seconds` (the last starting at or before it), or
    the next one when that starts within the same whole second: a stamp written
    as 86 s means the paragraph starting at 86.655 s, not the one before it.
    """
    i = bisect_right(starts, seconds) - 1
    if i + 1 < len(starts) and starts[i + 1] < math.floor(seconds) + 1:
        return i + 1
    return i


def covering(starts: Sequence[float], seconds: float) -> int:
    """The position in `starts` (sorted) of the last start at or before `seconds`; -1 when none.

    Among equal starts the first: the paragraph where that moment begins.
    """
    i = bisect_right(starts, seconds) - 1
    while i > 0 and starts[i - 1] == starts[i]:
        i -= 1
    return i
