"""Bookmarks and notes in SQLite, keyed so they survive files being moved.

A talk is keyed by its video id, or without one by a hash of its text (so a
moved or renamed file keeps its notes); the file each such key came from is
kept too, so an edited file (a new hash) keeps them as well (`follow`).
A moment is the paragraph's start time plus its opening words, found
again with `locate` even after a transcript is re-downloaded and re-paragraphed.

Safety: WAL journal, a busy timeout, every change inside `BEGIN IMMEDIATE`
(retried when another process holds the lock), `synchronous=FULL`, and a store
that cannot be opened is moved aside under a dated name, never deleted.

How the reader uses it (`paras` = `talk_paragraphs(talk)`, the list its pane shows):
    store = Store.open()                      # tell the user store.recovered_from
    store.toggle_bookmark(talk, paras[i], paras)                       # `b`
    store.add_note(talk, paras[i:j], text, quote=selected_or_None)     # `a`
    store.add_note(talk, None, text)          # a note on the whole talk
    view.set_marks(store.marks(talk, paras))  # gutter: {index: "★" | "✎"}
    store.counts_for(library.talks)           # talk list: {talk.id: count} (follows edited files)
    key = store.follow(talk)                  # the talk screen's key (follows an edited file)
    NotesScreen(store, MomentChecker(library.talks))  # then locate(item.moment, paras)
"""

from __future__ import annotations

import hashlib
import os
import re
import sqlite3
import threading
import time
import uuid
from bisect import bisect_left, bisect_right
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable, Iterator, Sequence

from rapidfuzz import fuzz

from .model import Segment, Talk
from .paths import data_dir
from .textio import strip_controls

STORE_NAME = "store.sqlite3"
BUSY_TIMEOUT_MS = 5000
# Beyond the busy timeout, a locked write is retried this many times before giving up.
WRITE_ATTEMPTS = 20

OPENING_WORDS = 8
# Text hashed for a talk without a video id: enough to tell talks apart, little to read.
KEY_TEXT_BYTES = 16 * 1024
# How far (seconds) a moment may have drifted and still be matched by its words.
NEAR_SECONDS = 120.0
# How far a moment may be from a paragraph's start when only the time is left to match.
TIME_TOLERANCE = 30.0
FUZZY_THRESHOLD = 85.0

BOOKMARK = "bookmark"
NOTE = "note"

# Schema migrations, in order; PRAGMA user_version counts the ones applied.
MIGRATIONS: list[str] = [
    """
    CREATE TABLE items (
        id INTEGER PRIMARY KEY,
        uid TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL CHECK (kind IN ('bookmark', 'note')),
        talk_key TEXT NOT NULL,
        talk_title TEXT NOT NULL DEFAULT '',
        video_id TEXT,
        url TEXT,
        seconds REAL,
        opening TEXT NOT NULL DEFAULT '',
        quote TEXT NOT NULL DEFAULT '',
        note TEXT NOT NULL DEFAULT '',
        created TEXT NOT NULL,
        updated TEXT NOT NULL
    );
    CREATE INDEX items_by_talk ON items (talk_key, seconds);
    """,
    # The file each talk without a video id was keyed from, so an edit of
    # that file (which changes its key) does not leave its notes behind.
    """
    CREATE TABLE talk_sources (
        path TEXT PRIMARY KEY,
        talk_key TEXT NOT NULL
    );
    """,
    # What the note editor holds but has not saved, kept as it is typed: a
    # crash, a killed process or a closed terminal loses none of it.
    """
    CREATE TABLE drafts (
        key TEXT PRIMARY KEY,
        talk_title TEXT NOT NULL DEFAULT '',
        heading TEXT NOT NULL DEFAULT '',
        text TEXT NOT NULL,
        updated TEXT NOT NULL
    );
    """,
]
SCHEMA_VERSION = len(MIGRATIONS)

_COLUMNS = (
    "id, uid, kind, talk_key, talk_title, video_id, url, seconds, opening, quote, note, created, updated"
)
_WORD = re.compile(r"\w+")

# SQLite primary result codes that mean the file itself is bad.
_SQLITE_CORRUPT = 11
_SQLITE_NOTADB = 26
_SQLITE_BUSY = 5
_SQLITE_LOCKED = 6


class StoreError(Exception):
    """The store cannot be used; the message is for the user."""


# What a store call can fail with (a full disk, a read-only folder, a lock held too long): told, never a crash.
STORE_FAILURES = (StoreError, sqlite3.Error, OSError)


# --- keys and moments -------------------------------------------------------


def normalize(text: str) -> str:
    """Lower-case words joined by single spaces: what survives re-punctuation."""
    return " ".join(_WORD.findall(text.casefold()))


def talk_key(talk: Talk) -> str:
    """The video id, or a hash of the talk's text, so a moved or renamed file still matches."""
    if talk.video_id:
        return talk.video_id
    doc = talk.transcript or next(iter(talk.summaries), None)
    parts: list[str] = []
    size = 0
    if doc is not None:
        for seg in doc.segments:
            words = normalize(seg.text)
            if words:
                parts.append(words)
                size += len(words) + 1
                if size >= KEY_TEXT_BYTES:
                    break
    text = " ".join(parts)[:KEY_TEXT_BYTES] or normalize(talk.title)
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def key_source(talk: Talk) -> str | None:
    """The file whose text `talk_key` hashed (None for a talk with a video id)."""
    if talk.video_id:
        return None
    doc = talk.transcript or next(iter(talk.summaries), None)
    if doc is None or not doc.path:
        return None
    # A file name's undecodable bytes (kept as surrogates) as escapes: SQLite text is UTF-8.
    return os.fsencode(doc.path).decode("utf-8", "backslashreplace")


@dataclass(slots=True, frozen=True)
class Moment:
    """A paragraph's start time and its opening words (normalized)."""

    seconds: float | None
    opening: str

    @classmethod
    def of(cls, segment: Segment) -> "Moment":
        return cls(segment.start, " ".join(normalize(segment.text).split()[:OPENING_WORDS]))


class Locator:
    """Finds moments in one list of paragraphs (normalized once, asked many times)."""

    def __init__(self, segments: Sequence[Segment]) -> None:
        self.segments = segments
        self._texts: list[str] | None = None
        self._index: dict[int, int] | None = None

    def _prepare(self) -> None:
        """Normalized words of every paragraph, joined, and paragraph starts sorted by time."""
        texts = [normalize(s.text) for s in self.segments]
        offsets, pos = [], 1
        for t in texts:
            offsets.append(pos)
            pos += len(t) + 1
        # " a b c d " : every paragraph and every word has a space on both sides.
        self._joined = " " + " ".join(texts) + " "
        self._offsets = offsets
        timed = sorted((s.start, i) for i, s in enumerate(self.segments) if s.start is not None)
        self._times = [t for t, _ in timed]
        self._timed = [i for _, i in timed]
        self._untimed = [i for i, s in enumerate(self.segments) if s.start is None]
        # Paragraphs by their opening words: the usual case is one dictionary look-up.
        self._openings: dict[str, list[int]] = {}
        for i, t in enumerate(texts):
            self._openings.setdefault(" ".join(t.split(" ", OPENING_WORDS)[:OPENING_WORDS]), []).append(i)
        self._texts = texts

    @property
    def texts(self) -> list[str]:
        """The paragraphs' normalized words (computed on first use)."""
        if self._texts is None:
            self._prepare()
        assert self._texts is not None
        return self._texts

    def index_of(self, segment: Segment) -> int | None:
        """The position of this very Segment object in the paragraphs."""
        if self._index is None:
            self._index = {id(s): i for i, s in enumerate(self.segments)}
        return self._index.get(id(segment))

    def _by_time(self, indices: Sequence[int], seconds: float | None) -> int:
        """The index among `indices` whose start is nearest `seconds` (first when unknown)."""
        if seconds is None:
            return indices[0]

        def distance(i: int) -> float:
            start = self.segments[i].start
            return abs(start - seconds) if start is not None else float("inf")

        return min(indices, key=distance)

    def _near(self, i: int, seconds: float | None) -> bool:
        start = self.segments[i].start
        return seconds is None or start is None or abs(start - seconds) <= NEAR_SECONDS

    def _window(self, seconds: float | None) -> list[int]:
        """Paragraphs starting within NEAR_SECONDS of `seconds` (all when it is unknown), and untimed ones."""
        if seconds is None:
            return list(range(len(self.segments)))
        lo = bisect_left(self._times, seconds - NEAR_SECONDS)
        hi = bisect_right(self._times, seconds + NEAR_SECONDS)
        return sorted(self._timed[lo:hi] + self._untimed)

    def _starts(self, opening: str) -> list[int]:
        """Paragraphs that open with `opening`."""
        if len(opening.split()) == OPENING_WORDS:
            return self._openings.get(opening, [])
        return [i for i, t in enumerate(self.texts) if (t + " ").startswith(opening + " ")]

    def _inside(self, opening: str, within: list[int] | None = None) -> list[int]:
        """Paragraphs where `opening` begins (anywhere in them), searched in `within` or everywhere."""
        needle = f" {opening} "
        start, end = 0, len(self._joined)
        if within is not None:
            if not within:
                return []
            first, last = min(within), max(within)
            start = self._offsets[first] - 1
            end = self._offsets[last] + len(self.texts[last]) + 1
        found: list[int] = []
        pos = self._joined.find(needle, start, end + len(needle))
        while pos >= 0:
            # The needle's first word starts at pos + 1; find the paragraph holding it.
            found.append(bisect_right(self._offsets, pos + 1) - 1)
            pos = self._joined.find(needle, pos + 1, end + len(needle))
        return found

    def locate(self, moment: Moment) -> int | None:
        """The paragraph index where `moment` is now, or None when it cannot be found.

        In order: a paragraph opening with the same words; the words inside a
        paragraph near the time (re-paragraphed); close words near the time
        (re-transcribed); the words anywhere; the paragraph running at that time.
        """
        if not self.segments or (moment.seconds is None and not moment.opening):
            return None
        texts = self.texts
        opening, seconds = moment.opening, moment.seconds
        if opening:
            # A few common words ("yes so") prove little on their own: keep those near the time.
            short = len(opening.split()) < 3
            found = self._starts(opening)
            if short:
                found = [i for i in found if self._near(i, seconds)]
            if found:
                return self._by_time(found, seconds)
            window = self._window(seconds)
            found = self._inside(opening, window if seconds is not None else None)
            if found:
                return self._by_time(found, seconds)
            best, best_score = None, FUZZY_THRESHOLD
            for i in window:
                if not texts[i]:
                    continue
                score = fuzz.partial_ratio(opening, texts[i])
                if score > best_score or (
                    score == best_score and best is not None and self._by_time([best, i], seconds) == i
                ):
                    best, best_score = i, score
            if best is not None:
                return best
            if seconds is not None and not short:
                found = self._inside(opening)
                if found:
                    return self._by_time(found, seconds)
        # Only the time is left: the paragraph running at that time, if close enough.
        if seconds is None or not self._times:
            return None
        k = bisect_right(self._times, seconds) - 1
        if k >= 0:
            i = self._timed[k]
            seg = self.segments[i]
            if (seg.end is not None and seg.end >= seconds) or seconds - seg.start <= TIME_TOLERANCE:
                return i
        if k + 1 < len(self._times) and self._times[k + 1] - seconds <= TIME_TOLERANCE:
            return self._timed[k + 1]
        return None


def locate(moment: Moment, segments: Sequence[Segment]) -> int | None:
    """Where `moment` is in `segments` now (None: "moment not found")."""
    return Locator(segments).locate(moment)


MOMENT_NOT_FOUND = "moment not found"
TALK_NOT_FOUND = "talk not in library"


def talk_paragraphs(talk: Talk) -> list[Segment]:
    """The paragraphs moments refer to: the transcript's first, then every summary's in order.

    The same paragraphs the reader's two panes show, so a bookmark or note made
    in the transcript or in any summary can be found again.
    """
    transcript = talk.transcript
    if transcript is not None and transcript.segments:
        return transcript.segments + [s for doc in talk.documents if doc is not transcript for s in doc.segments]
    return [segment for doc in talk.documents for segment in doc.segments]


# --- items --------------------------------------------------------------------


@dataclass(slots=True, frozen=True)
class Item:
    """A bookmark or a note, with enough of its talk to be listed and exported alone."""

    id: int
    uid: str
    kind: str
    talk_key: str
    talk_title: str
    video_id: str | None
    url: str | None
    seconds: float | None
    opening: str
    quote: str
    note: str
    created: str
    updated: str

    @property
    def moment(self) -> Moment | None:
        """Where it sits in the talk; None for a note on the whole talk."""
        if self.seconds is None and not self.opening:
            return None
        return Moment(self.seconds, self.opening)

    @property
    def is_bookmark(self) -> bool:
        return self.kind == BOOKMARK

    def link(self) -> str | None:
        """A link that opens the video at this moment (None without a video)."""
        return Talk(id=self.talk_key, title=self.talk_title, video_id=self.video_id, url=self.url).link(self.seconds)

    def matches(self, words: Sequence[str]) -> bool:
        """True when every word occurs in the title, quote or note (case-insensitive)."""
        hay = f"{self.talk_title}\n{self.quote}\n{self.note}\n{self.opening}".casefold()
        return all(w in hay for w in words)


def moment_status(item: "Item", segments: Sequence[Segment] | None) -> str | None:
    """What stops a jump to `item`, for listing: None when it can be found.

    `segments` are the paragraphs of the item's talk as the library has it
    now, None when the talk is not in the library.
    """
    if segments is None:
        return TALK_NOT_FOUND
    if item.moment is None:
        return None
    return None if locate(item.moment, segments) is not None else MOMENT_NOT_FOUND


class MomentChecker:
    """`check` for the notes view: where is each item now, in this library?

    Built from the library's talks; talk keys are computed on first use and
    Locators kept per talk, so checking a long list stays cheap. Safe to call
    from a worker thread.
    """

    def __init__(self, talks: Iterable[Talk]) -> None:
        self._talks = list(talks)
        self._by_key: dict[str, Talk] | None = None
        self._locators: dict[str, Locator] = {}
        self._lock = threading.Lock()

    def talk(self, key: str) -> Talk | None:
        with self._lock:
            if self._by_key is None:
                self._by_key = {talk_key(t): t for t in self._talks}
            return self._by_key.get(key)

    def __call__(self, item: "Item") -> str | None:
        talk = self.talk(item.talk_key)
        if talk is None:
            return TALK_NOT_FOUND
        if item.moment is None:
            return None
        return None if self._locate(talk, item)[1] is not None else MOMENT_NOT_FOUND

    def estimated(self, item: "Item") -> bool:
        """Whether the item's time is an estimate (its paragraph has no time of its own), as the talk
        screen said with `≈` when it was made: the notes view says so too."""
        talk = self.talk(item.talk_key)
        if talk is None or item.moment is None or item.seconds is None:
            return False
        locator, found = self._locate(talk, item)
        if found is None:
            return False
        segment = locator.segments[found]
        return segment.estimated and segment.start == item.seconds

    def _locate(self, talk: Talk, item: "Item") -> tuple[Locator, int | None]:
        """The talk's locator (made once) and the paragraph where the item's moment is now."""
        with self._lock:
            locator = self._locators.get(item.talk_key)
            if locator is None:
                locator = self._locators[item.talk_key] = Locator(talk_paragraphs(talk))
            return locator, locator.locate(item.moment)


@dataclass(slots=True, frozen=True)
class Draft:
    """A note's text as it was being written, not saved yet."""

    key: str  # what it would be saved as: see draft_key and draft_place
    talk_title: str
    heading: str
    text: str
    updated: str


def draft_key(*, note: str | None = None, talk: str | None = None, start: float | None = None, paragraphs: int = 0, quote: str = "") -> str:
    """The key an unsaved note is kept under: the note `note` (its uid) being edited; a new note
    on the whole talk `talk` (its talk key); or, given `start`, a new note on `paragraphs`
    paragraphs of it from `start` quoting `quote`."""
    if note is not None:
        return f"note:{note}"
    if start is None:
        return f"talk:{talk}"
    return f"new:{talk}:{start}:{paragraphs}:{len(quote)}"


def draft_place(key: str) -> tuple[str, str, str | None]:
    """What `draft_key` made `key` from: ("note", uid, None), ("talk", talk key, None) or
    ("new", talk key, start as written)."""
    kind, _, rest = key.partition(":")
    parts = rest.rsplit(":", 3)  # talk keys may hold colons; the last three fields never do
    if kind == "new" and len(parts) == 4:
        return kind, parts[0], parts[1]
    return kind, rest, None


@dataclass(slots=True, frozen=True)
class Deleted:
    """What `delete` removed, kept so `undo` can put it back with the same id."""

    item: Item


def now() -> str:
    """UTC timestamp, sortable as text."""
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def clean(text: str | None) -> str:
    """Untrusted text as stored: no terminal controls."""
    return strip_controls(text or "")


def _primary_code(exc: sqlite3.Error) -> int | None:
    code = getattr(exc, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None


def _is_busy(exc: sqlite3.Error) -> bool:
    code = _primary_code(exc)
    if code is not None:
        return code in (_SQLITE_BUSY, _SQLITE_LOCKED)
    return "locked" in str(exc) or "busy" in str(exc)


def _is_corrupt(exc: sqlite3.Error) -> bool:
    code = _primary_code(exc)
    if code is not None:
        return code in (_SQLITE_CORRUPT, _SQLITE_NOTADB)
    text = str(exc)
    return "not a database" in text or "malformed" in text


class _Corrupt(Exception):
    """Raised inside `open` when the file is damaged (not merely busy)."""


# --- the store ----------------------------------------------------------------


class Store:
    """The bookmarks and notes of one user: one SQLite file, safe to share between processes."""

    def __init__(self, conn: sqlite3.Connection, path: Path, recovered_from: str | None = None) -> None:
        self._conn = conn
        # One connection shared by the UI thread and workers: one transaction at a time.
        self._lock = threading.RLock()
        # The last few transcripts' Locators (normalizing a long transcript costs ~50 ms).
        self._locators: list[tuple[Sequence[Segment], int, Locator]] = []
        self.path = path
        # Set when a damaged store was moved aside on open: the message to show the user.
        self.recovered_from = recovered_from

    # opening ---------------------------------------------------------------

    @classmethod
    def open(cls, path: str | Path | None = None) -> "Store":
        """Open (creating if needed) the store; a damaged file is moved aside and replaced."""
        path = Path(path) if path is not None else data_dir() / STORE_NAME
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create the folder for notes {path.parent}: {exc.strerror or exc}") from None
        message = None
        try:
            conn = cls._connect(path)
        except _Corrupt as exc:
            aside = _move_aside(path)
            message = (
                f"The notes store {path} could not be opened ({exc}). "
                f"It was moved aside to {aside.name} and a new, empty store was started."
            )
            conn = cls._connect(path)
        return cls(conn, path, message)

    @staticmethod
    def _connect(path: Path) -> sqlite3.Connection:
        conn = None
        try:
            # isolation_level=None: we issue BEGIN/COMMIT ourselves.
            conn = sqlite3.connect(
                str(path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False
            )
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            _retry(lambda: conn.execute("PRAGMA journal_mode = WAL").fetchone())
            conn.execute("PRAGMA synchronous = FULL")  # a committed note survives a power cut too
            result = _retry(lambda: conn.execute("PRAGMA integrity_check").fetchall())
            if [tuple(r) for r in result] != [("ok",)]:
                raise _Corrupt("integrity check failed: " + "; ".join(str(r[0]) for r in result[:3]))
            _migrate(conn)
            return conn
        except sqlite3.Error as exc:
            if conn is not None:
                conn.close()
            if _is_corrupt(exc):
                raise _Corrupt(str(exc)) from None
            raise StoreError(f"cannot open the notes store {path}: {exc}") from None
        except BaseException:
            if conn is not None:
                conn.close()
            raise

    def close(self) -> None:
        # Under the lock: closing a connection while another thread uses it crashes the interpreter.
        with self._lock:
            self._conn.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def integrity(self) -> str:
        """`PRAGMA integrity_check` result ("ok" when healthy)."""
        with self._lock:
            return "; ".join(str(r[0]) for r in self._conn.execute("PRAGMA integrity_check").fetchall())

    # transactions ------------------------------------------------------------

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction; taken with BEGIN IMMEDIATE so it never deadlocks on upgrade."""
        with self._lock:
            _retry(lambda: self._conn.execute("BEGIN IMMEDIATE"))
            try:
                yield self._conn
            except BaseException:
                # SQLite has already rolled back after some errors (a full disk): a second
                # ROLLBACK would raise and hide the reason the user must see.
                if self._conn.in_transaction:
                    self._conn.execute("ROLLBACK")
                raise
            else:
                try:
                    _retry(lambda: self._conn.execute("COMMIT"))
                except BaseException:
                    if self._conn.in_transaction:
                        self._conn.execute("ROLLBACK")
                    raise

    def _select(self, where: str = "", params: Sequence[object] = ()) -> list[Item]:
        sql = f"SELECT {_COLUMNS} FROM items {where}"
        with self._lock:
            rows = _retry(lambda: self._conn.execute(sql, params).fetchall())
        return [Item(*row) for row in rows]

    # reading -------------------------------------------------------------------

    def get(self, item_id: int) -> Item | None:
        found = self._select("WHERE id = ?", (item_id,))
        return found[0] if found else None

    def items_for_talk(self, key: str) -> list[Item]:
        """A talk's items, the whole-talk notes first, then by time."""
        return self._select(
            "WHERE talk_key = ? ORDER BY seconds IS NOT NULL, seconds, created, id", (key,)
        )

    def all_items(self, filter_text: str = "") -> list[Item]:
        """Every item in the library, by talk title then time; filtered by words when given."""
        items = self._select("ORDER BY talk_title COLLATE NOCASE, talk_key, seconds IS NOT NULL, seconds, created, id")
        words = filter_text.casefold().split()
        return [i for i in items if i.matches(words)] if words else items

    def count(self) -> int:
        with self._lock:
            return _retry(lambda: self._conn.execute("SELECT count(*) FROM items").fetchone()[0])

    def counts_for(self, talks: Iterable[Talk]) -> dict[str, int]:
        """Bookmarks and notes per talk, by `Talk.id` (what the talk list shows).

        The notes of a talk without a video id whose file was edited since
        (so its key changed) are moved to it here (`follow`), so the list,
        the notes view and the talk screen all find them."""
        counts = self.counts_by_talk()
        if not counts:
            return {}
        sources = self._sources()
        unrecorded = []  # talks with notes whose file is not known yet (notes from before sources were kept)
        out = {}
        for t in talks:
            key = talk_key(t)
            n = counts.get(key, 0)
            source = key_source(t)
            if source is not None:
                old = sources.get(source)
                if not n and old is not None and old != key and counts.get(old) and self.follow(t) == key:
                    n = len(self.items_for_talk(key))
                elif n and old != key:
                    unrecorded.append(t)
            if n:
                out[t.id] = n
        if unrecorded:
            try:
                with self._write() as conn:
                    for t in unrecorded:
                        self._remember_source(conn, t)
            except STORE_FAILURES:
                pass  # counting still works; the next count records them
        return out

    def _sources(self) -> dict[str, str]:
        with self._lock:
            return dict(_retry(lambda: self._conn.execute("SELECT path, talk_key FROM talk_sources").fetchall()))

    def follow(self, talk: Talk) -> str:
        """The talk's key; for a talk without a video id whose file was edited
        since its notes were written (its text, so its key, changed), its
        notes are first moved to the new key: a file keeps its notes.

        They move only when the new text still holds the words of one of them
        (or none has words: notes on the whole talk), so a file replaced by
        another talk keeps nothing of the old one's."""
        key = talk_key(talk)
        source = key_source(talk)
        if source is None:
            return key
        old = self._sources().get(source)
        if old is None or old == key:
            return key
        worded = [i for i in self.items_for_talk(old) if i.opening]
        if worded:
            locator = Locator(talk_paragraphs(talk))
            # By words alone: the time of a moment proves nothing here.
            if all(locator.locate(Moment(None, i.opening)) is None for i in worded):
                return key
        with self._write() as conn:
            conn.execute("UPDATE items SET talk_key = ? WHERE talk_key = ?", (key, old))
            conn.execute("UPDATE talk_sources SET talk_key = ? WHERE path = ?", (key, source))
        return key

    def _remember_source(self, conn: sqlite3.Connection, talk: Talk) -> None:
        source = key_source(talk)
        if source is not None:
            conn.execute(
                "INSERT INTO talk_sources (path, talk_key) VALUES (?, ?) "
                "ON CONFLICT (path) DO UPDATE SET talk_key = excluded.talk_key",
                (source, talk_key(talk)),
            )

    def counts_by_talk(self) -> dict[str, int]:
        """How many bookmarks and notes each talk has, by talk key (for the talk list)."""
        sql = "SELECT talk_key, count(*) FROM items GROUP BY talk_key"
        with self._lock:
            return dict(_retry(lambda: self._conn.execute(sql).fetchall()))

    def marks(self, talk: Talk | str, segments: Sequence[Segment] | Locator) -> dict[int, str]:
        """Gutter marks for a transcript: {paragraph index: "★" bookmark or "✎" note}."""
        key = talk if isinstance(talk, str) else talk_key(talk)
        locator = self._locator(segments)
        marks: dict[int, str] = {}
        for item in self.items_for_talk(key):
            if item.moment is None:
                continue
            index = locator.locate(item.moment)
            if index is not None and marks.get(index) != "✎":
                marks[index] = "★" if item.is_bookmark else "✎"
        return marks

    # drafts -----------------------------------------------------------------

    def keep_draft(self, key: str, text: str, *, talk_title: str = "", heading: str = "") -> None:
        """Keep `text` as the unsaved draft of `key` (replacing the one before)."""
        with self._write() as conn:
            conn.execute(
                "INSERT INTO drafts (key, talk_title, heading, text, updated) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (key) DO UPDATE SET talk_title = excluded.talk_title, heading = excluded.heading, "
                "text = excluded.text, updated = excluded.updated",
                (key, clean(talk_title), clean(heading), clean(text), now()),
            )

    def draft(self, key: str) -> Draft | None:
        with self._lock:
            row = _retry(lambda: self._conn.execute(
                "SELECT key, talk_title, heading, text, updated FROM drafts WHERE key = ?", (key,)
            ).fetchone())
        return Draft(*row) if row else None

    def drafts(self) -> list[Draft]:
        """Every unsaved draft, the latest first."""
        with self._lock:
            rows = _retry(lambda: self._conn.execute(
                "SELECT key, talk_title, heading, text, updated FROM drafts ORDER BY updated DESC, rowid DESC"
            ).fetchall())
        return [Draft(*row) for row in rows]

    def drop_draft(self, key: str) -> None:
        with self._write() as conn:
            conn.execute("DELETE FROM drafts WHERE key = ?", (key,))

    def talk_notes(self, talk: Talk | str) -> list[Item]:
        """Notes on the whole talk (not tied to a moment)."""
        key = talk if isinstance(talk, str) else talk_key(talk)
        return [i for i in self.items_for_talk(key) if i.moment is None]

    def _locator(self, segments: Sequence[Segment] | Locator | None) -> Locator | None:
        """A Locator over `segments`, reused while the same unchanged list comes back."""
        if segments is None or isinstance(segments, Locator):
            return segments
        with self._lock:
            for cached, length, locator in self._locators:
                if cached is segments and length == len(segments):
                    return locator
            locator = Locator(segments)
            self._locators = [(segments, len(segments), locator), *self._locators[:3]]
            return locator

    # writing -------------------------------------------------------------------

    def _insert(self, conn: sqlite3.Connection, item: Item, keep_id: bool = False) -> int:
        values = (
            item.uid, item.kind, item.talk_key, item.talk_title, item.video_id, item.url,
            item.seconds, item.opening, item.quote, item.note, item.created, item.updated,
        )
        if keep_id:
            conn.execute(f"INSERT INTO items ({_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", (item.id, *values))
            return item.id
        cur = conn.execute(
            f"INSERT INTO items ({_COLUMNS.removeprefix('id, ')}) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", values
        )
        return int(cur.lastrowid)

    def _new(self, talk: Talk, kind: str, segment: Segment | None, quote: str, note: str) -> Item:
        moment = Moment.of(segment) if segment is not None else Moment(None, "")
        stamp = now()
        return Item(
            id=0, uid=uuid.uuid4().hex, kind=kind, talk_key=talk_key(talk),
            talk_title=clean(talk.title), video_id=talk.video_id, url=talk.url,
            seconds=moment.seconds, opening=moment.opening, quote=clean(quote), note=clean(note),
            created=stamp, updated=stamp,
        )

    def toggle_bookmark(
        self, talk: Talk, segment: Segment, segments: Sequence[Segment] | Locator | None = None,
        at: float | None = None,
    ) -> bool:
        """Bookmark the paragraph, or remove its bookmark; True when it is now bookmarked.

        With `segments` (the talk's paragraphs, or a Locator over them, which
        the caller may keep for speed), a bookmark whose moment is located at
        this paragraph counts even if its words drifted since. `at`: the moment
        inside the paragraph (the one being played) instead of its start.
        """
        key = talk_key(talk)
        target = Moment.of(segment)
        if at is not None:
            target = Moment(at, target.opening)
        locator = self._locator(segments)
        index = locator.index_of(segment) if locator is not None else None
        with self._write() as conn:
            rows = conn.execute(
                f"SELECT {_COLUMNS} FROM items WHERE talk_key = ? AND kind = ?", (key, BOOKMARK)
            ).fetchall()
            bookmarks = [Item(*r) for r in rows]
            match = next((b for b in bookmarks if b.moment == target), None)
            if match is None and locator is not None and index is not None:
                # Only a bookmark near in time can have drifted onto this paragraph.
                near = [
                    b for b in bookmarks
                    if b.moment is not None and (
                        b.seconds is None or target.seconds is None or abs(b.seconds - target.seconds) <= NEAR_SECONDS
                    )
                ]
                match = next((b for b in near if locator.locate(b.moment) == index), None)
            if match is not None:
                conn.execute("DELETE FROM items WHERE id = ?", (match.id,))
                return False
            item = self._new(talk, BOOKMARK, segment, segment.text, "")
            if at is not None:
                item = replace(item, seconds=at)
            self._insert(conn, item)
            self._remember_source(conn, talk)
            return True

    def add_note(
        self, talk: Talk, segments: Sequence[Segment] | None, text: str, quote: str | None = None
    ) -> Item:
        """A note on paragraphs (the first one is its moment) or, with None, on the whole talk.

        `quote` is the selected text when the note is on a selection; by default
        the paragraphs' text.
        """
        first = segments[0] if segments else None
        if quote is None:
            quote = "\n\n".join(s.text for s in segments) if segments else ""
        item = self._new(talk, NOTE, first, quote, text)
        with self._write() as conn:
            new_id = self._insert(conn, item)
            self._remember_source(conn, talk)
        return replace(item, id=new_id)

    def update_note(self, item_id: int, text: str) -> Item:
        """Change a note's text (a bookmark given text becomes a note)."""
        with self._write() as conn:
            cur = conn.execute(
                "UPDATE items SET note = ?, kind = ?, updated = ? WHERE id = ?", (clean(text), NOTE, now(), item_id)
            )
            if cur.rowcount == 0:
                raise KeyError(item_id)
        item = self.get(item_id)
        assert item is not None
        return item

    def delete(self, item_id: int) -> Deleted:
        """Remove an item; keep the result to `undo` it."""
        with self._write() as conn:
            row = conn.execute(f"SELECT {_COLUMNS} FROM items WHERE id = ?", (item_id,)).fetchone()
            if row is None:
                raise KeyError(item_id)
            conn.execute("DELETE FROM items WHERE id = ?", (item_id,))
        return Deleted(Item(*row))

    def undo(self, deleted: Deleted) -> Item:
        """Put a deleted item back, with the same id (and uid)."""
        item = deleted.item
        with self._write() as conn:
            clash = conn.execute("SELECT 1 FROM items WHERE id = ? OR uid = ?", (item.id, item.uid)).fetchone()
            if clash:
                # The id was taken meanwhile (by another process): keep the note, under a new id.
                item = replace(item, id=self._insert(conn, replace(item, uid=uuid.uuid4().hex)))
            else:
                self._insert(conn, item, keep_id=True)
        return item

    def merge(self, items: Iterable[Item]) -> tuple[int, int, int]:
        """Add items from elsewhere in one transaction: (added, updated, skipped).

        An item whose uid is known is skipped, or updated when the incoming
        copy was edited later; an item identical (same moment, quote and note)
        to one the store held before this merge, under another uid, is skipped.
        Items of the merge itself are never twins of each other: two equal
        notes in one export are two notes, and both come back.
        """
        added = updated = skipped = 0
        with self._write() as conn:
            (held_before,) = conn.execute("SELECT coalesce(max(id), 0) FROM items").fetchone()
            for item in items:
                row = conn.execute("SELECT updated FROM items WHERE uid = ?", (item.uid,)).fetchone()
                if row is not None:
                    if item.updated > row[0]:
                        conn.execute(
                            "UPDATE items SET kind = ?, note = ?, quote = ?, updated = ? WHERE uid = ?",
                            (item.kind, item.note, item.quote, item.updated, item.uid),
                        )
                        updated += 1
                    else:
                        skipped += 1
                    continue
                twin = conn.execute(
                    "SELECT 1 FROM items WHERE talk_key = ? AND kind = ? AND seconds IS ? AND opening = ? AND note = ?"
                    " AND quote = ? AND id <= ?",
                    (item.talk_key, item.kind, item.seconds, item.opening, item.note, item.quote, held_before),
                ).fetchone()
                if twin:
                    skipped += 1
                    continue
                self._insert(conn, item)
                added += 1
        return added, updated, skipped


# --- helpers ----------------------------------------------------------------


def _retry(action):
    """Run `action`, retrying while another process holds the lock past the busy timeout."""
    delay = 0.01
    for attempt in range(WRITE_ATTEMPTS):
        try:
            return action()
        except sqlite3.OperationalError as exc:
            if not _is_busy(exc) or attempt == WRITE_ATTEMPTS - 1:
                raise
            time.sleep(delay)
            delay = min(delay * 2, 0.5)


def _migrate(conn: sqlite3.Connection) -> None:
    """Bring the schema up to SCHEMA_VERSION; each step in its own transaction."""
    while True:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"the notes store was written by a newer talkshelf (schema {version}, this one knows {SCHEMA_VERSION}); "
                "update talkshelf"
            )
        if version == SCHEMA_VERSION:
            return
        _retry(lambda: conn.execute("BEGIN IMMEDIATE"))
        try:
            # Another process may have migrated while we waited for the lock.
            current = conn.execute("PRAGMA user_version").fetchone()[0]
            if current == version:
                for statement in _statements(MIGRATIONS[version]):
                    conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {version + 1}")
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise


def _statements(script: str) -> list[str]:
    """Split a migration script (executescript would commit our transaction)."""
    return [s.strip() for s in script.split(";") if s.strip()]


def _move_aside(path: Path) -> Path:
    """Rename a damaged store (and its WAL and shared-memory files) to a dated name."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    aside = path.with_name(f"{path.name}.broken-{stamp}")
    n = 1
    while aside.exists():
        aside = path.with_name(f"{path.name}.broken-{stamp}-{n}")
        n += 1
    path.replace(aside)
    for suffix in ("-wal", "-shm"):
        extra = path.with_name(path.name + suffix)
        if extra.exists():
            extra.replace(aside.with_name(aside.name + suffix))
    return aside
