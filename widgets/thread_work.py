"""Thread workers that do not keep their widget alive once done.

Textual (8.2) runs a thread worker in the event loop's default executor and
marks it as the thread's running worker (`active_worker.set`) in that pool
thread's own context, never to reset it: each idle pool thread keeps the last
worker it ran, and through it the widget that started it. For a closed talk
screen that is the screen and every line it drew, held until the same pool
thread happens to run another worker. Work wrapped here forgets its worker
when it ends.
"""

from __future__ import annotations

from functools import wraps
from typing import Callable, TypeVar

try:
    from textual.worker import active_worker
except ImportError:  # pragma: no cover (another Textual)
    active_worker = None

Result = TypeVar("Result")


def forgets_its_worker(work: Callable[..., Result]) -> Callable[..., Result]:
    """`work`, for a thread worker, leaving no worker (and widget) behind in its pool thread."""

    @wraps(work)
    def run(*args, **kwargs) -> Result:  # noqa: ANN002, ANN003 (those of the work)
        try:
            return work(*args, **kwargs)
        finally:
            if active_worker is not None:
                active_worker.set(None)  # type: ignore[arg-type] (the thread runs no worker now)

    return run
