"""Timing shared by the benchmarks: each run of a function, and their median.

Medians, not means: on a shared machine a run now and then is slowed by
something else, and one slow run should not move the figure.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def timed(fn: Callable[[], object], repeat: int) -> list[float]:
    """Seconds taken by each of `repeat` calls of `fn`."""
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    return samples


def median_time(fn: Callable[[], object], repeat: int) -> float:
    """The median seconds of `repeat` calls of `fn`."""
    return statistics.median(timed(fn, repeat))


def median_ms(samples: list[float]) -> float:
    """The median of samples in seconds, in milliseconds."""
    return statistics.median(samples) * 1000
