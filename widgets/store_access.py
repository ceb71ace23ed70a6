"""The screens' one way to the notes store: opened by the app on first use, every failure told, never a crash.

The app makes one `StoreAccess` (with its own way of opening the store and of
telling the user) and hands it to each screen that reads or writes bookmarks
and notes, so that a full disk, a read-only folder or a lock held by another
copy of talkshelf reads the same everywhere.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Final, TypeVar

from tui.store import STORE_FAILURES, Store

T = TypeVar("T")


class Failed:
    """What `StoreAccess.call` returns when the call could not be made (the user has been told why)."""

    def __repr__(self) -> str:
        return "FAILED"


FAILED: Final = Failed()


@dataclass(frozen=True)
class NoteDraft:
    """Where one note's unsaved text is kept while the editor is open (see
    StoreAccess.draft_for): `load()` the text kept last time, or None;
    `keep(text)`; `drop()` once it is saved or discarded."""

    load: Callable[[], str | None]
    keep: Callable[[str], object]
    drop: Callable[[], object]


class StoreAccess:
    def __init__(self, open_store: Callable[[bool], Store | None], notify: Callable[..., object]) -> None:
        """`open_store(tell)`: the store, or None when it cannot be opened (`tell`: say why);
        `notify(message, severity=..., timeout=...)`: how a failure is told."""
        self._open = open_store
        self._notify = notify

    def store(self, *, tell: bool = False) -> Store | None:
        """The store, or None when it is unavailable (`tell`: say so again)."""
        return self._open(tell)

    def call(
        self,
        call: Callable[[Store], T],
        failure: str | None,
        *,
        tell: bool = True,
        also: tuple[type[Exception], ...] = (),
    ) -> T | Failed:
        """`call(store)`, or FAILED when the store is unavailable or the call fails.

        A failure is told as `failure: reason` (nothing when `failure` is None: a caller that
        can do without); `tell`: say again that the store is unavailable; `also`: more
        exceptions that mean the call failed (KeyError: the item was deleted meanwhile).
        """
        store = self._open(tell)
        if store is None:
            return FAILED
        try:
            return call(store)
        except (*STORE_FAILURES, *also) as exc:
            if failure is not None:
                self._notify(f"{failure}: {exc}", severity="error", timeout=10)
            return FAILED

    def attempt(self, call: Callable[[Store], object], *, also: tuple[type[Exception], ...] = ()) -> str | None:
        """`call(store)` for a caller that keeps what it was given on failure (the note editor):
        None when it was done, else the reason it was not (nothing is told here)."""
        store = self._open(False)
        if store is None:
            return "bookmarks and notes are unavailable"
        try:
            call(store)
        except (*STORE_FAILURES, *also) as exc:
            return str(exc) or type(exc).__name__
        return None

    def draft_for(self, key: str, *, talk_title: str, heading: str) -> NoteDraft:
        """Where the note editor keeps the unsaved text of the note `key` (see NoteDraft). A draft
        that cannot be kept is not told: saving the note says what is wrong."""
        return NoteDraft(
            load=lambda: None if (d := self.call(lambda store: store.draft(key), None, tell=False)) is FAILED or d is None else d.text,
            keep=lambda text: self.call(lambda store: store.keep_draft(key, text, talk_title=talk_title, heading=heading), None, tell=False),
            drop=lambda: self.call(lambda store: store.drop_draft(key), None, tell=False),
        )
