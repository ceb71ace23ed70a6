"""The library's persistent index: talks and full-text search in one SQLite file.

The index is a cache under `tui.paths.cache_dir()`: every file's size and
modification time, the documents read from it (enough to rebuild Talks without
reading the files again), its segments, and an FTS5 table over segment text,
titles and channels. A refresh reads again only files that are new or changed,
so the app starts from the cache at once. An index file that is damaged, of an
older schema, or unreadable is deleted and rebuilt, never trusted. Each library
has its own file, named by a hash of its resolved path (`file_name`), so the
app and `talkshelf index/search` share it and switching libraries rebuilds nothing.

Documents come back from `talks()` with their segments and outline unloaded:
they load from the index the first time they are touched, which keeps a list
of 10,000 talks small and fast.

Search: every word of the query is quoted before it reaches FTS5, so no typed
text is query syntax. Loose words are looked for first as a phrase, then
anywhere in a segment; the last word counts as a prefix while it is typed.
See `COMMON` below for how hits are ranked without walking the whole library.
"""

from __future__ import annotations

import functools
import hashlib
import gc
import itertools
import json
import multiprocessing
import os
import re
import sqlite3
import threading
import time
import unicodedata
from array import array
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from collections.abc import Sequence
from typing import Callable, Iterable, Iterator

from . import readers, timestamps
from .naming import file_kind
from .model import Document, OutlineEntry, Problem, ReadError, Role, Segment, Skipped, Stamp, Talk
from .textio import strip_controls

SCHEMA_VERSION = 7
FILE_NAME = "index.sqlite3"

# Batches smaller than this are read in-process: starting workers costs more.
POOL_MIN_FILES = 48
POOL_MIN_BYTES = 8 * 1024 * 1024
CHUNK_FILES = 8  # files per task sent to a worker
# A refresh commits what it has read this often (the first commit sooner, so
# a first run lists talks at once), or after this many files.
FIRST_COMMIT_SECONDS = 0.3
COMMIT_SECONDS = 1.0
COMMIT_FILES = 5000

# bm25 weighs each word by how rare it is, and FTS5 finds that out by walking
# every segment holding the word: for "the" in a big library, tens of
# milliseconds per keystroke. So bm25 ranks a query only when each of its
# phrases is in fewer than COMMON segments; a query with a common phrase ranks
# its first COMMON_CANDIDATES matches (in library order) by how densely they
# hold the query's words.
COMMON = 2000
COMMON_CANDIDATES = 250
# A phrase of common words that is itself rare ("to the more") can only be
# found by walking every segment holding those words. The phrase tier gets
# this long; if it runs out, the hits are those of the words anywhere.
PHRASE_TIER_SECONDS = 0.010
SNIPPET_CHARS = 160


# FTS5's unicode61 tokenizer splits on everything that is not a letter or digit.
_WORD = re.compile(r"[^\W_]+")
_QUERY_PART = re.compile(r'"([^"]*)("?)|([^\s"]+)')

ProgressCallback = Callable[[int, int], None]


@dataclass(slots=True, frozen=True)
class SearchHit:
    """One matching segment (or a talk's title when `segment` is -1).

    To open it: the talk `talk_id`, its document whose `path` is `path`, that
    document's `segments[segment]`, at `start` seconds. `text` is a window of
    the segment's text, `offset` where that window starts in the full segment
    text, and `spans` the matched words within `text` (add `offset` for spans
    in the full segment text).
    """

    talk_id: str
    title: str
    path: str
    role: str
    segment: int
    start: float | None
    estimated: bool
    text: str
    offset: int
    spans: tuple[tuple[int, int], ...]
    score: float
    phrase: bool = False

    def to_json(self) -> dict:
        return {
            "talk_id": self.talk_id,
            "title": self.title,
            "start": self.start,
            "text": self.text,
            "path": self.path,
            "score": float(f"{self.score:.6g}"),
        }


@dataclass(slots=True, frozen=True)
class RefreshStats:
    read: int
    unchanged: int
    removed: int
    talks: int
    problems: int
    seconds: float
    stopped: bool = False  # cancelled part way: what was read is kept, the rest is read next time


# --- documents in and out of the index ---------------------------------------


# The slots under Document.segments and Document.outline, which CachedDocument fills lazily.
_SEGMENTS_SLOT = Document.__dict__["segments"]
_OUTLINE_SLOT = Document.__dict__["outline"]
_DOCUMENTS_SLOT = Talk.__dict__["documents"]
_ROLES = {r.value: r for r in Role}
# Summaries whose stamps grouping reads again once the talk's length is known (library._refit_pages).
REFIT_FORMATS = ("markdown", "plain")

# Document fields stored as columns (outline as JSON), in this order.
DOC_COLUMNS = ("role", "format", "title", "channel", "video_id", "url", "duration", "language", "last_time", "outline")


class CachedDocument(Document):
    """A Document from the index: its segments and outline are read the first time they are used.

    That keeps a list of 10,000 talks small and quick to load; code using the
    document sees an ordinary Document.
    """

    __slots__ = ("_index", "_doc_id", "_last_time")

    @classmethod
    def from_row(cls, index: "Index", doc_id: int, path: str, row: tuple) -> "CachedDocument":
        """From the columns of LIST_COLUMNS (the outline is read when first used)."""
        role, fmt, title, channel, video_id, url, duration, language, last_time = row
        doc = object.__new__(cls)  # no __init__: segments and outline stay unset until used
        doc.path, doc.role, doc.format = _fs_path(path), _ROLES[role], fmt
        doc.title, doc.channel, doc.video_id, doc.url = title, channel, video_id, url
        doc.duration, doc.language = duration, language
        doc._index, doc._doc_id, doc._last_time = index, doc_id, last_time
        return doc

    @property
    def segments(self) -> list[Segment]:  # type: ignore[override]
        try:
            return _SEGMENTS_SLOT.__get__(self, Document)
        except AttributeError:
            value = self._index.segments(self._doc_id)
            _SEGMENTS_SLOT.__set__(self, value)
            return value

    @segments.setter
    def segments(self, value: list[Segment]) -> None:
        _SEGMENTS_SLOT.__set__(self, value)

    @property
    def outline(self) -> list[OutlineEntry]:  # type: ignore[override]
        try:
            return _OUTLINE_SLOT.__get__(self, Document)
        except AttributeError:
            value = self._index.outline(self._doc_id)
            _OUTLINE_SLOT.__set__(self, value)
            return value

    @outline.setter
    def outline(self, value: list[OutlineEntry]) -> None:
        _OUTLINE_SLOT.__set__(self, value)

    @property
    def loaded(self) -> bool:
        """Whether the segments have been read from the index."""
        try:
            _SEGMENTS_SLOT.__get__(self, Document)
            return True
        except AttributeError:
            return False

    @property
    def last_time(self) -> float | None:  # type: ignore[override]
        return Document.last_time.__get__(self) if self.loaded else self._last_time


class IndexedTalk(Talk):
    """A Talk from the index's snapshot: its documents are read the first time they are used.

    A start then reads one small value per talk (what the list shows), and
    only the talks drawn on screen or opened read their documents.
    """

    __slots__ = ("_index", "_doc_ids")

    @property
    def documents(self) -> list[Document]:  # type: ignore[override]
        try:
            return _DOCUMENTS_SLOT.__get__(self, Talk)
        except AttributeError:
            value = self._index._documents_by_id(self.doc_ids())
            _DOCUMENTS_SLOT.__set__(self, value)
            return value

    def doc_ids(self) -> list[int]:
        return [int(i) for i in self._doc_ids.split(",")]

    def documents_read(self) -> bool:
        try:
            _DOCUMENTS_SLOT.__get__(self, Talk)
        except AttributeError:
            return False
        return True

    @documents.setter
    def documents(self, value: list[Document]) -> None:
        _DOCUMENTS_SLOT.__set__(self, value)


# The snapshot as stored (see _pack_snapshot): this mark, then the header (talk count and
# each text column's size), the byte offsets of each text column, durations, the texts.
SNAPSHOT_MARK = b"talkshelf talk list 3\n"
# Version 2 stored every id and url in full; still read (an index of the day before).
_SNAPSHOT_MARK_2 = b"talkshelf talk list 2\n"
# Version 3 leaves out what a talk's video id gives: an id equal to it is stored as "",
# a url that is its watch page as WATCH_URL_MARK (a third of the bytes at 100,000 talks).
WATCH_URL = "https://www.youtube.com/watch?v="
WATCH_URL_MARK = "\0"
_SNAPSHOT_TEXTS = ("id", "title", "channel", "video_id", "url", "doc_ids")


def _pack_snapshot(columns: list[list]) -> bytes:
    """The talk list's columns (see _snapshot) as one value that a start reads without parsing it.

    Each text column is its UTF-8 texts end to end with their byte offsets
    (None stored as ""), durations an array of doubles (NaN for none): a start
    then makes no string at all, and each talk's fields are cut out when its
    row is drawn (TalkRows). JSON of 100,000 talks took 70-130 ms to parse.
    """
    ids, titles, channels, video_ids, urls, durations, doc_ids = columns
    n = len(ids)
    ids = ["" if v and i == v else i for i, v in zip(ids, video_ids)]
    urls = [WATCH_URL_MARK if v and u == WATCH_URL + v else u for u, v in zip(urls, video_ids)]
    texts = []
    offsets = []
    for column in (ids, titles, channels, video_ids, urls, doc_ids):
        encoded = [(v or "").encode("utf-8", "surrogatepass") for v in column]
        offsets.append(array("I", itertools.accumulate((len(e) for e in encoded), initial=0)))
        texts.append(b"".join(encoded))
    head = array("I", [n] + [len(t) for t in texts])
    times = array("d", [float("nan") if d is None else float(d) for d in durations])
    return b"".join([SNAPSHOT_MARK, head.tobytes(), *(o.tobytes() for o in offsets), times.tobytes(), *texts])


class TalkRows(Sequence[Talk]):
    """The talks of the index's snapshot, each made the first time it is used (a row drawn, a talk opened).

    A warm start of 100,000 talks made 100,000 Talk objects and 600,000
    strings before the list could show its first 40. Here the list has its
    length at once; `ids()`, `titles()` and `channels()` read whole columns
    (finding a talk, the filter) without making talks.
    """

    def __init__(self, index: "Index", data: bytes) -> None:
        if data.startswith(SNAPSHOT_MARK):
            self._elided = True
        elif data.startswith(_SNAPSHOT_MARK_2):
            self._elided = False
        else:
            raise ValueError("not a talk list")
        at = len(SNAPSHOT_MARK)
        columns = len(_SNAPSHOT_TEXTS)
        head = array("I")
        head.frombytes(data[at : at + 4 * (1 + columns)])
        at += 4 * (1 + columns)
        n, sizes = head[0], head[1:]
        self._offsets: list[array] = []
        for size in sizes:
            offsets = array("I")
            offsets.frombytes(data[at : at + 4 * (n + 1)])
            if len(offsets) != n + 1 or offsets[-1] != size:
                raise ValueError("a damaged talk list")
            self._offsets.append(offsets)
            at += 4 * (n + 1)
        self._durations = array("d")
        self._durations.frombytes(data[at : at + 8 * n])
        at += 8 * n
        self._starts = list(itertools.accumulate(sizes, initial=at))
        if len(self._durations) != n or self._starts[-1] != len(data):
            raise ValueError("a damaged talk list")
        self._data = data
        self._index = index
        self._made: list[Talk | None] = [None] * n
        self._ids: dict[str, int] | None = None
        self._id_column: list[str] | None = None

    def __len__(self) -> int:
        return len(self._made)

    def __getitem__(self, i):  # noqa: ANN001, ANN204 (an int or a slice, as for a list)
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self._made)))]
        talk = self._made[i]  # IndexError past the end: iteration stops there
        if talk is None:
            talk = self._made[i] = self._make(i if i >= 0 else i + len(self._made))
        return talk

    @property
    def made(self) -> int:
        """How many talks have been made so far."""
        return sum(t is not None for t in self._made)

    def _text(self, column: int, i: int) -> str:
        offsets, start = self._offsets[column], self._starts[column]
        return self._data[start + offsets[i] : start + offsets[i + 1]].decode("utf-8", "surrogatepass")

    def _column(self, column: int) -> list[str]:
        offsets, start = self._offsets[column], self._starts[column]
        text = self._data[start + offsets[0] : start + offsets[-1]]
        return [text[a:b].decode("utf-8", "surrogatepass") for a, b in zip(offsets, offsets[1:])]

    def _make(self, i: int) -> Talk:
        text = self._text
        talk = object.__new__(IndexedTalk)  # no __init__: documents stay unset until used
        talk.title, talk.channel, talk.video_id = text(1, i), text(2, i) or None, text(3, i) or None
        talk.id, talk.url = text(0, i) or talk.video_id or "", text(4, i) or None
        if talk.url == WATCH_URL_MARK and self._elided:
            talk.url = WATCH_URL + (talk.video_id or "")
        duration = self._durations[i]
        talk.duration = None if duration != duration else duration  # NaN: none known
        talk._index, talk._doc_ids = self._index, text(5, i)
        return talk

    def read_documents(self, indices: Iterable[int]) -> None:
        """Read the documents of these talks in one query (a screen of rows: one query, not 40)."""
        wanted = [(t, t.doc_ids()) for t in (self[i] for i in indices) if not t.documents_read()]
        found = self._index._documents_map([i for _, ids in wanted for i in ids])
        for talk, ids in wanted:
            talk.documents = [found[i] for i in ids if i in found]

    def ids(self) -> list[str]:
        if self._id_column is None:
            self._id_column = [i or v for i, v in zip(self._column(0), self._column(3))]
        return self._id_column

    def titles(self) -> list[str]:
        return self._column(1)

    def channels(self) -> list[str | None]:
        return [c or None for c in self._column(2)]

    def find(self, key: str) -> Talk | None:
        """The first talk with this id or video id, as Library.find (without making the others)."""
        if self._ids is None:
            first: dict[str, int] = {}
            for i, (talk_id, video_id) in enumerate(zip(self.ids(), self._column(3))):
                first.setdefault(talk_id, i)
                if video_id:
                    first.setdefault(video_id, i)
            self._ids = first
        i = self._ids.get(key)
        return None if i is None else self[i]


def _document_row(doc: Document) -> tuple:
    """The DOC_COLUMNS of a document."""
    outline = json.dumps([[o.title, o.level, o.start, o.segment, o.origin] for o in doc.outline], ensure_ascii=False)
    return (doc.role.value, doc.format, doc.title, doc.channel, doc.video_id, doc.url, doc.duration, doc.language,
            doc.last_time, outline)


def _segment_row(i: int, seg: Segment) -> tuple:
    stamps = json.dumps([[s.offset, s.seconds, s.raw] for s in seg.stamps], ensure_ascii=False) if seg.stamps else None
    return (i, seg.start, seg.end, seg.text, int(seg.estimated), seg.line, seg.kind, seg.level, stamps, _pack_marks(seg.marks))


def _pack_marks(marks: tuple[tuple[int, float], ...]) -> bytes | None:
    """Word times as one small blob: character offsets (uint16) then milliseconds (uint32)."""
    kept = [(o, t) for o, t in marks if o < 65536 and 0 <= t < 4e6]
    if not kept:
        return None
    return array("H", [o for o, _ in kept]).tobytes() + array("I", [int(round(t * 1000)) for _, t in kept]).tobytes()


def _unpack_marks(blob: bytes | None) -> tuple[tuple[int, float], ...]:
    if not blob:
        return ()
    n = len(blob) // 6
    offsets, millis = array("H"), array("I")
    offsets.frombytes(blob[: 2 * n])
    millis.frombytes(blob[2 * n : 6 * n])
    return tuple(zip(offsets, (m / 1000 for m in millis)))


def _stamp_hours(doc: Document) -> str | None:
    """What grouping needs to tell whether a summary's stamps read differently for its talk (JSON)."""
    if doc.role is not Role.SUMMARY or doc.format not in REFIT_FORMATS:
        return None
    hours = timestamps.hours_readings(doc)
    return json.dumps(hours) if hours else None


def _title_row(doc: Document) -> tuple | None:
    """The title and channel as one searchable row (segment -1)."""
    text = " · ".join(t for t in (doc.title, doc.channel) if t)
    return (-1, None, None, text, 0, 0, "title", 0, None, None) if text else None


def _segment_from_row(row: tuple) -> Segment:
    start, end, text, estimated, line, kind, level, stamps, marks = row
    return Segment(
        start=start,
        end=end,
        text=text,
        estimated=bool(estimated),
        line=line,
        kind=kind,
        level=level,
        stamps=tuple(Stamp(o, s, r) for o, s, r in json.loads(stamps)) if stamps else (),
        marks=_unpack_marks(marks),
    )


def _db_path(path: str) -> str | bytes:
    """A path as the files table keeps it: text, or its bytes when it is no UTF-8 (a Latin-1 name).

    sqlite3 cannot store a str holding the lone surrogates that stand for such
    bytes; a BLOB keeps the exact name, so the file is still found and opened.
    """
    try:
        path.encode("utf-8")
        return path
    except UnicodeEncodeError:
        return os.fsencode(path)


def _fs_path(value: str | bytes) -> str:
    """A files-table path back as the str that opens the file."""
    return os.fsdecode(value) if isinstance(value, bytes) else value


def _provisional_talk(key: str, docs: list[Document]) -> Talk:
    """A talk of `talks_so_far`: its fields from its documents, without reading their segments."""
    docs.sort(key=lambda d: (d.role is not Role.TRANSCRIPT, d.path))
    title = next((d.title for d in docs if d.title), None) or Path(docs[0].path).stem
    video_id = next((d.video_id for d in docs if d.video_id), None)
    url = next((d.url for d in docs if d.url), None) or (f"https://www.youtube.com/watch?v={video_id}" if video_id else None)
    return Talk(
        id=key,
        title=title,
        channel=next((d.channel for d in docs if d.channel), None),
        video_id=video_id,
        url=url,
        duration=next((d.duration for d in docs if d.duration), None),
        documents=docs,
    )


def _read_one(path: str) -> tuple[str | None, list[tuple[str, list[tuple]]]]:
    """Read a file into rows ready for the index: (problem, [(document row, segment rows)])."""
    if os.path.isdir(path):  # a folder the walk could not open (see _Walk)
        try:
            os.scandir(path).close()
        except OSError as exc:
            return strip_controls(f"cannot open folder: {exc.strerror or exc}"), []
        return None, []
    if file_kind(path) is None:
        from .library import not_a_document

        return not_a_document(Path(path)), []
    try:
        docs = readers.read_talk_path(path)
    except Skipped:  # known, nothing to read: stored as a file without documents or problem
        return None, []
    except ReadError as exc:
        return str(exc), []
    except Exception as exc:  # one odd file never stops a refresh
        return strip_controls(f"unexpected error: {type(exc).__name__}: {exc}"), []
    out = []
    for doc in docs:
        rows = [_segment_row(i, seg) for i, seg in enumerate(doc.segments)]
        title = _title_row(doc)
        if title:
            rows.append(title)
        out.append((_document_row(doc) + (_stamp_hours(doc),), rows))
    return None, out


def _read_chunk(paths: list[str]) -> list[tuple[str, str | None, list]]:
    """Worker task: read a few files (fewer round trips than one file per task)."""
    return [(p, *_read_one(p)) for p in paths]


def changed_ns(st: os.stat_result) -> int:
    """When a file last changed, as far as anyone can tell: the later of its mtime and ctime.

    An edit that keeps the size and puts an old mtime back (`cp -p`, `rsync -t`,
    `touch -d`, an editor restoring it) still moves the ctime, which no user
    can set; stored in the files table's mtime_ns column.
    """
    return max(st.st_mtime_ns, st.st_ctime_ns)


class _Walk:
    """Every file below `root` the library lists, with its (size, change time; see changed_ns), as it is found.

    What `talkshelf list` lists as problems is here too, so the app's problems
    view shows the same: files of other kinds, broken links and link loops (by
    the link's own stat), and folders that cannot be opened. Iterating yields
    each path once it is in `found`, so a refresh reads files while the walk
    goes on: the walk of 100,000 talks takes seconds, and a first run lists its
    first talks before it ends. `stopped` turns true when `cancelled()` did
    (asked every 1,000 files: quitting does not wait for the walk); `done` once
    the whole folder was walked.
    """

    def __init__(self, root: Path, cancelled: Callable[[], bool] | None = None) -> None:
        self.root = root
        self.cancelled = cancelled
        self.found: dict[str, tuple[int, int]] = {}
        self.stopped = False
        self.done = False

    def __iter__(self) -> Iterator[str]:
        from .library import iter_files

        folders: list[Problem] = []
        found, cancelled = self.found, self.cancelled
        for count, path in enumerate(iter_files(self.root, folders)):
            if cancelled is not None and count % 1000 == 999 and cancelled():
                self.stopped = True
                return
            if file_kind(path) == "skip":
                continue
            try:
                st = path.stat()
            except OSError:
                try:
                    st = path.lstat()  # a broken link or a loop: listed with its reason
                except OSError:
                    continue  # gone since the walk
            name = str(path)
            found[name] = (st.st_size, changed_ns(st))
            yield name
        for problem in folders:
            try:
                st = os.lstat(problem.path)
            except OSError:
                continue
            found[problem.path] = (st.st_size, changed_ns(st))
            yield problem.path
        self.done = True


# --- queries -------------------------------------------------------------------


def _fold(word: str) -> str:
    """A word as the tokenizer keeps it: case and diacritics removed."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@dataclass(slots=True, frozen=True)
class Phrase:
    """Words that must stand together; with `prefix`, the last may be the start of a word."""

    words: tuple[str, ...]
    prefix: bool = False

    def fts(self) -> str:
        """As an FTS5 string: always quoted, so no user text is ever FTS syntax."""
        body = '"' + " ".join(w.replace('"', '""') for w in self.words) + '"'
        return body + "*" if self.prefix else body


@dataclass(slots=True)
class QueryPlan:
    """What a typed query asks for: FTS5 tiers (best first), each an AND of phrases."""

    tiers: list[tuple[Phrase, ...]]
    words: list[str]  # every word of the query, for "did you mean"

    def expressions(self) -> list[str]:
        return [" AND ".join(p.fts() for p in tier) for tier in self.tiers]


def plan_query(query: str) -> QueryPlan:
    """Turn typed text into FTS5 expressions.

    Quoted phrases match as phrases; the last word is a prefix while it is
    being typed (no space after it yet). With several loose words, segments
    holding them as a phrase rank above segments where they are scattered.
    One-letter prefixes would match most of the vocabulary: they count as words.
    """
    typing = bool(query) and not query[-1].isspace()
    loose: list[str] = []
    phrases: list[list[str]] = []
    last = ""  # what the query ends with: "loose" or "phrase"
    unclosed = False
    for m in _QUERY_PART.finditer(query):
        if m.group(3) is not None:
            words = _WORD.findall(m.group(3))
            if words:
                loose.extend(words)
                last = "loose"
        else:
            words = _WORD.findall(m.group(1))
            if words:
                phrases.append(words)
                last = "phrase"
                unclosed = not m.group(2)  # a phrase still being typed
    if not loose and not phrases:
        return QueryPlan([], [])

    def phrase(words: list[str], prefix: bool) -> Phrase:
        return Phrase(tuple(words), prefix and len(words[-1]) > 1)

    quoted = tuple(
        phrase(words, typing and last == "phrase" and unclosed and i == len(phrases) - 1)
        for i, words in enumerate(phrases)
    )
    prefix_last = typing and last == "loose"
    scattered = tuple(phrase([w], prefix_last and j == len(loose) - 1) for j, w in enumerate(loose))
    tiers = []
    if len(loose) >= 2:
        tiers.append(quoted + (phrase(loose, prefix_last),))
    tiers.append(quoted + scattered)
    return QueryPlan(tiers, loose + [w for p in phrases for w in p])


@functools.lru_cache(maxsize=256)
def _phrase_pattern(p: Phrase) -> re.Pattern:
    """A phrase as a regular expression over folded text: its words with separators between."""
    body = r"[\W_]+".join(re.escape(_fold(w)) for w in p.words)
    tail = r"[^\W_]*" if p.prefix else r"(?![^\W_])"
    return re.compile(r"(?<![^\W_])" + body + tail)


def _folded_with_positions(text: str) -> tuple[str, list[int] | None]:
    """`text` folded like the tokenizer, and where each folded character came from (None: same place)."""
    if text.isascii():
        return text.lower(), None
    out: list[str] = []
    where: list[int] = []
    for i, c in enumerate(text):
        f = _fold(c)
        out.append(f)
        where.extend([i] * len(f))
    where.append(len(text))
    return "".join(out), where


def match_spans(text: str, phrases: Iterable[Phrase]) -> list[tuple[int, int]]:
    """Where the phrases occur in `text`, by the tokenizer's rules (sorted, not overlapping)."""
    folded, where = _folded_with_positions(text)
    spans = []
    for p in phrases:
        for m in _phrase_pattern(p).finditer(folded):
            a, b = m.span()
            spans.append((a, b) if where is None else (where[a], where[b - 1] + 1))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for a, b in spans:
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return merged


def _word_time(
    start: float, end: float | None, text: str, estimated: bool, marks: bytes | None, offset: int
) -> tuple[float | None, bool]:
    from .quotes import word_time

    return word_time(Segment(start, end, text, estimated, marks=_unpack_marks(marks)), offset)


def _window(text: str, spans: list[tuple[int, int]], size: int = SNIPPET_CHARS) -> tuple[int, int]:
    """A stretch of `text` about `size` long around the first match, cut at spaces."""
    if len(text) <= size:
        return 0, len(text)
    first = spans[0][0] if spans else 0
    start = max(0, first - size // 4)
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < first else start
    end = min(len(text), start + size)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start + size // 2 else end
    return start, end


# --- the index -------------------------------------------------------------------


def _snapshot(rows: Iterable[tuple]) -> list[list]:
    """The talk list's rows (one per document, from _LIST_SQL) as columns, one entry per talk.

    Columns: id, title, channel, video_id, url, duration, document ids ("12,13").
    Seven long lists parse faster than a list per talk, and leave the garbage
    collector fewer objects to track.
    """
    columns: list[list] = [[] for _ in range(7)]
    ids, docs = columns[0], columns[6]
    for row in rows:
        if ids and ids[-1] == row[0]:
            docs[-1] += f",{row[6]}"
            continue
        for column, value in zip(columns, row[:6]):
            column.append(value)
        docs.append(str(row[6]))
    return columns


_DOC_COLS = ", ".join(DOC_COLUMNS)
# What a talk list needs of each document: all but the outline.
_DOC_COLS_D = ", ".join(f"d.{c}" for c in DOC_COLUMNS if c != "outline")
# With the document row, stamp_hours (see _stamp_hours).
_DOC_MARKS = ", ".join("?" * (len(DOC_COLUMNS) + 1))

# The talk list: one row per document, in talk order.
_LIST_SQL = (
    f"SELECT t.id, t.title, t.channel, t.video_id, t.url, t.duration, d.id, f.path, {_DOC_COLS_D}"
    " FROM talks t JOIN documents d ON d.talk_id = t.id JOIN files f ON f.id = d.file_id"
    " ORDER BY t.ord, d.talk_pos"
)

_SCHEMA = f"""
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE files (
    id INTEGER PRIMARY KEY, path TEXT UNIQUE NOT NULL,
    size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL, problem TEXT
);
CREATE TABLE documents (
    id INTEGER PRIMARY KEY, file_id INTEGER NOT NULL, ordinal INTEGER NOT NULL,
    talk_id TEXT, talk_pos INTEGER,
    role TEXT NOT NULL, format TEXT NOT NULL, title TEXT, channel TEXT, video_id TEXT, url TEXT,
    duration REAL, language TEXT, last_time REAL, outline TEXT,
    -- a summary's three-part stamps read as hours (JSON), and the limit its
    -- stored stamps were read with (NULL: the readers' default); see _regroup
    stamp_hours TEXT, stamp_limit REAL
);
CREATE INDEX documents_file ON documents(file_id);
CREATE INDEX documents_talk ON documents(talk_id);
CREATE TABLE segments (
    id INTEGER PRIMARY KEY, doc_id INTEGER NOT NULL, seg INTEGER NOT NULL,
    start REAL, end REAL, text TEXT NOT NULL, estimated INTEGER NOT NULL,
    line INTEGER NOT NULL, kind TEXT NOT NULL, level INTEGER NOT NULL, stamps TEXT,
    marks BLOB  -- word times (see _pack_marks), NULL when none are known
);
CREATE INDEX segments_doc ON segments(doc_id, seg);
CREATE TABLE talks (
    id TEXT PRIMARY KEY, ord INTEGER NOT NULL, title TEXT NOT NULL,
    channel TEXT, video_id TEXT, url TEXT, duration REAL
);
CREATE VIRTUAL TABLE fts USING fts5(
    text, content='segments', content_rowid='id',
    tokenize='unicode61 remove_diacritics 2', prefix='2 3 4'
);
-- The talk list in one value, written after grouping: a start reads one
-- value instead of joining three tables. Columns (see _snapshot, packed by
-- _pack_snapshot) of talk fields and document ids: documents are read when used.
-- (Indexes written before talk rows were packed hold it as JSON text.)
CREATE TABLE snapshot (data BLOB NOT NULL);
CREATE VIRTUAL TABLE vocab USING fts5vocab(fts, 'row');
PRAGMA user_version = {SCHEMA_VERSION};
"""


def file_name(root: str | Path | None) -> str:
    """The index file of the library at `root`: named by a hash of its resolved path."""
    if root is None:
        return FILE_NAME
    resolved = str(Path(root).expanduser().resolve())
    digest = hashlib.sha1(resolved.encode("utf-8", "surrogateescape")).hexdigest()[:16]
    return f"index-{digest}.sqlite3"


def _is_damage(exc: sqlite3.Error) -> bool:
    """A damaged index file (rebuild it), not a busy or full disk (report it)."""
    if not isinstance(exc, sqlite3.DatabaseError):
        return False
    if not isinstance(exc, sqlite3.OperationalError):
        return True  # "database disk image is malformed", "file is not a database"
    text = str(exc).lower()
    return any(w in text for w in ("malformed", "corrupt", "no such table", "no such column", "not a database"))


def _connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, timeout=10, check_same_thread=False, isolation_level=None)
    # Switching a new file to WAL needs it alone, and SQLite answers `database is
    # locked` at once (no busy wait) while another connection opens it: try again.
    for attempt in range(100):
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            break
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or attempt == 99:
                conn.close()
                raise
            time.sleep(0.02)
    conn.execute("PRAGMA synchronous=NORMAL")
    return conn


def _create(conn: sqlite3.Connection) -> None:
    """The tables, in one transaction: no other connection ever sees half of them."""
    conn.executescript(f"BEGIN;\n{_SCHEMA}\nCOMMIT;")


_held = threading.local()


@contextmanager
def _exclusive(path: Path, suffix: str) -> Iterator[None]:
    """Hold `path`+`suffix` locked against other processes and threads (re-entrant in one thread).

    An advisory `flock` on a small file beside the index; where there is no
    fcntl (Windows) SQLite's own locking is all there is.
    """
    key = str(path) + suffix
    held = getattr(_held, "keys", None)
    if held is None:
        held = _held.keys = set()
    if key in held:
        yield
        return
    try:
        import fcntl
    except ImportError:
        yield
        return
    with open(key, "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        held.add(key)
        try:
            yield
        finally:
            held.discard(key)
            fcntl.flock(handle, fcntl.LOCK_UN)


def _delete_files(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        try:
            os.remove(f"{path}{suffix}")
        except FileNotFoundError:
            pass


class Index:
    """The persistent index of one library. Safe to use from several threads."""

    def __init__(self, path: Path, conn: sqlite3.Connection):
        self.path = path
        self._conn = conn
        self._lock = threading.RLock()
        self._vocabulary: list[str] | None = None
        self._known: frozenset[str] = frozenset()
        self._common: dict[str, bool] = {}
        # While a refresh runs: (files searchable now, files in the library).
        self.coverage: tuple[int, int] | None = None

    # -- opening --------------------------------------------------------------

    @classmethod
    def open(cls, cache_dir: str | Path | None = None, root: str | Path | None = None) -> "Index":
        """Open the index, rebuilding it empty when it is damaged or from an older version.

        With `root`, the index of that library: each library has its own file
        (see `file_name`), so switching libraries never rebuilds another's.
        """
        if cache_dir is None:
            from .paths import cache_dir as default_cache_dir

            cache_dir = default_cache_dir()
        folder = Path(cache_dir)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / file_name(root)
        conn = cls._open_trusted(path)
        if conn is None:
            # Two processes starting on a new library would both create the
            # tables (`table meta already exists`) or delete the file the other
            # is writing (`disk I/O error`): one creates, the other then opens it.
            with _exclusive(path, ".create-lock"):
                conn = cls._open_trusted(path)
                if conn is None:
                    _delete_files(path)
                    conn = _connect(path)
                    _create(conn)
        return cls(path, conn)

    @staticmethod
    def _open_trusted(path: Path) -> sqlite3.Connection | None:
        """A connection to an existing, sound index of this version, else None."""
        if not path.exists():
            return None
        conn = None
        try:
            conn = _connect(path)
            if conn.execute("PRAGMA user_version").fetchone()[0] != SCHEMA_VERSION:
                raise sqlite3.DatabaseError("old version")
            names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
            if not {"meta", "files", "documents", "segments", "talks", "snapshot", "fts", "vocab"} <= names:
                raise sqlite3.DatabaseError("tables missing")
            # Touches the tables' first pages, not all of them (count(*) read 19 MB at 100,000
            # talks): damage deeper in is met, and rebuilt, where a query reaches it.
            conn.execute("SELECT id FROM files LIMIT 1").fetchone()
            conn.execute("SELECT rowid FROM fts WHERE fts MATCH 'a' LIMIT 1").fetchall()
            return conn
        except sqlite3.Error:
            if conn is not None:
                conn.close()
            return None

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> "Index":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _rebuild_empty(self) -> None:
        """Throw the index away and start a fresh one (it was found damaged)."""
        with self._lock:
            try:
                self._conn.close()
            except sqlite3.Error:
                pass
            with _exclusive(self.path, ".create-lock"):
                _delete_files(self.path)
                self._conn = _connect(self.path)
                _create(self._conn)
            self._vocabulary = None
            self._common = {}

    # -- refreshing ---------------------------------------------------------------

    def refresh(
        self,
        root: str | Path,
        progress: ProgressCallback | None = None,
        stored: ProgressCallback | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> RefreshStats:
        """Bring the index up to date with the files under `root` (a folder or one file).

        Only new and changed files are read; removed files are dropped (a
        renamed file is both). `progress(done, total)` is called as files are
        read, `stored(done, total)` each time what was read is committed: from
        then on `search` finds it (`coverage` says how much that is) and
        `talks_so_far` lists it. When `cancelled()` turns true the refresh
        stops soon after, keeping what it has stored.
        """
        # One refresh of a library at a time, across processes: two at once
        # fought over the write lock until one failed (`database is locked`).
        # The second waits, then finds nothing left to read.
        with _exclusive(self.path, ".refresh-lock"):
            try:
                return self._refresh(root, progress, stored, cancelled)
            except sqlite3.DatabaseError as exc:
                if not _is_damage(exc):
                    raise
                self._rebuild_empty()  # a damaged index is rebuilt from the files
                return self._refresh(root, progress, stored, cancelled)
            finally:
                self.coverage = None

    def _refresh(
        self,
        root: str | Path,
        progress: ProgressCallback | None,
        stored: ProgressCallback | None,
        cancelled: Callable[[], bool] | None,
    ) -> RefreshStats:
        began = time.perf_counter()
        root = Path(root).expanduser().resolve()
        walk = _Walk(root, cancelled)
        found = walk.found
        # The writer has its own connection: searches go on while it works.
        conn = _connect(self.path)
        try:
            conn.execute("BEGIN IMMEDIATE")
            old_root = conn.execute("SELECT value FROM meta WHERE key = 'root'").fetchone()
            if old_root is None or _fs_path(old_root[0]) != str(root):
                # The index holds one library: another root starts it afresh.
                self._clear(conn)
                conn.execute("INSERT OR REPLACE INTO meta VALUES ('root', ?)", (_db_path(str(root)),))
            known = {
                _fs_path(p): (fid, size, mtime)
                for fid, p, size, mtime in conn.execute("SELECT id, path, size, mtime_ns FROM files")
            }
            conn.execute("COMMIT")

            # Files are read as the walk finds them (a changed file's old rows go when
            # its new ones are stored, see _store_files); removed files are known, and
            # dropped, only once the walk is over.
            wanted = 0

            def to_read() -> Iterator[str]:
                nonlocal wanted
                for path in walk if root.exists() else ():
                    old = known.get(path)
                    if old is None or old[1:] != found[path]:
                        wanted += 1
                        yield path

            reading = to_read()
            # Enough to tell whether worker processes are worth starting (see _read_files).
            head = list(itertools.islice(reading, POOL_MIN_FILES))
            if walk.stopped:
                return RefreshStats(0, 0, 0, 0, 0, time.perf_counter() - began, stopped=True)

            def committed(done: int, total: int) -> None:
                self.coverage = (len(found) - wanted + done, len(found))
                if stored:
                    stored(done, total)

            self.coverage = (len(found) - wanted, len(found))
            done = self._read_into(conn, head, reading, lambda: wanted, found, progress, committed, cancelled)
            finished = done == wanted and not walk.stopped and (walk.done or not root.exists())
            removed = 0
            if finished:
                gone = [fid for p, (fid, _size, _mtime) in known.items() if p not in found]
                removed = len(gone)
                if gone:
                    conn.execute("BEGIN IMMEDIATE")
                    self._drop_files(conn, gone)
                    self._mark_ungrouped(conn)
                    conn.execute("COMMIT")

            grouped = conn.execute("SELECT value FROM meta WHERE key = 'grouped'").fetchone()
            if finished and (grouped is None or grouped[0] != "1"):
                self._regroup(conn)
            elif finished:
                self._repack_snapshot(conn)
            talks = conn.execute("SELECT count(*) FROM talks").fetchone()[0]
            problems = conn.execute("SELECT count(*) FROM files WHERE problem IS NOT NULL").fetchone()[0]
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        finally:
            conn.close()
        if done or removed:
            self._vocabulary = None
            self._common = {}
        return RefreshStats(
            read=done,
            unchanged=len(found) - wanted,
            removed=removed,
            talks=talks,
            problems=problems,
            seconds=time.perf_counter() - began,
            stopped=not finished,
        )

    @staticmethod
    def _repack_snapshot(conn: sqlite3.Connection) -> None:
        """An index written before the snapshot was packed holds it as JSON, or packed by an
        earlier version: packed anew once here (from the tables, which hold the truth), so
        later starts read the current form."""
        current = conn.execute(
            "SELECT 1 FROM snapshot WHERE typeof(data) = 'blob' AND substr(data, 1, ?) = ?", (len(SNAPSHOT_MARK), SNAPSHOT_MARK)
        ).fetchone()
        if current is not None or conn.execute("SELECT 1 FROM snapshot").fetchone() is None:
            return
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("DELETE FROM snapshot")
        conn.execute("INSERT INTO snapshot VALUES (?)", (_pack_snapshot(_snapshot(conn.execute(_LIST_SQL))),))
        conn.execute("COMMIT")

    @staticmethod
    def _mark_ungrouped(conn: sqlite3.Connection) -> None:
        """In the open transaction: files changed, so the talks must be grouped again."""
        conn.execute("INSERT OR REPLACE INTO meta VALUES ('grouped', '0')")
        conn.execute("DELETE FROM snapshot")

    @staticmethod
    def _clear(conn: sqlite3.Connection) -> None:
        conn.execute("INSERT INTO fts(fts) VALUES ('delete-all')")
        for table in ("segments", "documents", "files", "talks", "snapshot", "meta"):
            conn.execute(f"DELETE FROM {table}")

    @staticmethod
    def _drop_files(conn: sqlite3.Connection, file_ids: list[int]) -> None:
        for i in range(0, len(file_ids), 500):
            ids = file_ids[i : i + 500]
            marks = ",".join("?" * len(ids))
            docs = f"SELECT id FROM documents WHERE file_id IN ({marks})"
            # External-content FTS5 forgets a row only when given its old text.
            conn.execute(
                f"INSERT INTO fts(fts, rowid, text) SELECT 'delete', id, text FROM segments WHERE doc_id IN ({docs})", ids
            )
            conn.execute(f"DELETE FROM segments WHERE doc_id IN ({docs})", ids)
            conn.execute(f"DELETE FROM documents WHERE file_id IN ({marks})", ids)
            conn.execute(f"DELETE FROM files WHERE id IN ({marks})", ids)

    def _read_into(
        self,
        conn: sqlite3.Connection,
        head: list[str],
        rest: Iterator[str],
        total: Callable[[], int],
        stats: dict[str, tuple[int, int]],
        progress: ProgressCallback | None,
        stored: ProgressCallback | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> int:
        """Read `head` then `rest` (paths found as the walk goes on) and store what they hold,
        committing about once a second; returns how many files were read and stored.

        `total()` is how many files there are to read so far (it grows while the
        walk goes on). The index is a cache that a refresh can always rebuild, so
        the writer skips fsync (`synchronous=OFF`) and commits in large
        transactions; a commit every COMMIT_SECONDS lets the app list and search
        what is stored so far. `stored(done, total)` is called after each commit.
        Stops early when `cancelled()` turns true.
        """
        if progress:
            progress(0, total())
        if not head:
            return 0
        done = 0
        pending: list[tuple[str, str | None, list]] = []
        marked = False

        def flush() -> None:
            nonlocal marked
            conn.execute("BEGIN IMMEDIATE")
            if not marked:
                self._mark_ungrouped(conn)
                marked = True
            self._store_files(conn, pending, stats)
            conn.execute("COMMIT")
            pending.clear()
            if stored:
                stored(done, total())

        conn.execute("PRAGMA synchronous=OFF")
        reading = self._read_files(head, rest)
        try:
            flush_at = time.monotonic() + FIRST_COMMIT_SECONDS
            for results in reading:
                pending.extend(results)
                done += len(results)
                if time.monotonic() >= flush_at or len(pending) >= COMMIT_FILES:
                    flush()
                    flush_at = time.monotonic() + COMMIT_SECONDS
                if progress:
                    progress(done, total())
                if cancelled is not None and cancelled():
                    break
            if pending:
                flush()
        finally:
            reading.close()  # stops the worker processes when cancelled
            conn.execute("PRAGMA synchronous=NORMAL")
        return done

    @staticmethod
    def _read_files(head: list[str], rest: Iterator[str]) -> Iterator[list[tuple[str, str | None, list]]]:
        """Read `head`, then `rest` as it comes, on all cores when `head` shows a large batch;
        yields results in small lists."""
        cores = os.cpu_count() or 1
        big = len(head) >= POOL_MIN_FILES or sum(os.path.getsize(p) for p in head if os.path.exists(p)) >= POOL_MIN_BYTES
        done: set[str] = set()
        taken: list[str] = []  # what the pool was given, read here should it fail

        def given() -> Iterator[str]:
            for path in itertools.chain(head, rest):
                taken.append(path)
                yield path

        if cores >= 2 and big:
            try:
                for results in Index._read_in_pool(given(), cores):
                    done.update(r[0] for r in results)
                    yield results
            except (BrokenProcessPool, OSError, RuntimeError, ValueError):
                # No worker processes here (or they died; ValueError: a stderr without a real
                # file descriptor, as under a running Textual app): read the rest in-process.
                pass
            else:
                return
            remaining: Iterable[str] = itertools.chain(taken, rest)
        else:
            remaining = itertools.chain(head, rest)
        for path in remaining:
            if path not in done:
                yield [(path, *_read_one(path))]

    @staticmethod
    def _read_in_pool(paths: Iterator[str], cores: int) -> Iterator[list[tuple[str, str | None, list]]]:
        # The first files are read here while the workers start (a spawned
        # Python takes a while to import the readers): a first run lists its
        # first talks at once. Those not read by then go to the workers last.
        head = list(reversed(list(itertools.islice(paths, CHUNK_FILES * cores))))
        # The rest in chunks, taken from the walk only as workers are free for them.
        chunks = iter(lambda: list(itertools.islice(paths, CHUNK_FILES)), [])
        # spawn, not fork: the app refreshes from a thread, and forking a
        # threaded process can deadlock the child.
        context = multiprocessing.get_context("spawn")
        pool = ProcessPoolExecutor(max_workers=cores, mp_context=context)
        try:
            queue: Iterator[list[str]] = chunks
            running = set()
            for chunk in queue:  # keep a few tasks per worker in flight, not all of them
                running.add(pool.submit(_read_chunk, chunk))
                if len(running) >= cores * 3:
                    break
            while head and not any(f.done() for f in running):
                path = head.pop()
                yield [(path, *_read_one(path))]
            if head:
                queue = itertools.chain(queue, [list(reversed(head))])
                if not running:
                    running.add(pool.submit(_read_chunk, next(queue)))
            while running:
                finished, running = wait(running, return_when=FIRST_COMPLETED)
                for future in finished:
                    nxt = next(queue, None)
                    if nxt is not None:
                        running.add(pool.submit(_read_chunk, nxt))
                    yield future.result()
        finally:
            # Cancelled or done: chunks not started are dropped, running ones finish (a few files).
            pool.shutdown(wait=True, cancel_futures=True)

    @staticmethod
    def _store_files(conn: sqlite3.Connection, results: list[tuple[str, str | None, list]], stats: dict[str, tuple[int, int]]) -> None:
        """Store read files in the open transaction: rows first, then their FTS entries in one statement.

        Ids are given here, not by SQLite, so each table takes one executemany;
        FTS5 indexes a large batch of rows far faster than one row at a time.
        """
        again = [r[0] for path, *_ in results for r in conn.execute("SELECT id FROM files WHERE path = ?", (_db_path(path),))]
        if again:  # stored meanwhile by another refresh (the app and the CLI at once)
            Index._drop_files(conn, again)
        next_file, next_doc, next_seg = (
            conn.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {table}").fetchone()[0]
            for table in ("files", "documents", "segments")
        )
        first_seg = next_seg
        files, documents, segments = [], [], []
        for path, problem, docs in results:
            files.append((next_file, _db_path(path), *stats[path], problem))
            for ordinal, (doc_row, rows) in enumerate(docs):
                documents.append((next_doc, next_file, ordinal, *doc_row))
                segments.extend((next_seg + i, next_doc, *row) for i, row in enumerate(rows))
                next_seg += len(rows)
                next_doc += 1
            next_file += 1
        conn.executemany("INSERT INTO files(id, path, size, mtime_ns, problem) VALUES (?, ?, ?, ?, ?)", files)
        conn.executemany(f"INSERT INTO documents(id, file_id, ordinal, {_DOC_COLS}, stamp_hours) VALUES (?, ?, ?, {_DOC_MARKS})", documents)
        conn.executemany(
            "INSERT INTO segments(id, doc_id, seg, start, end, text, estimated, line, kind, level, stamps, marks)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            segments,
        )
        conn.execute("INSERT INTO fts(rowid, text) SELECT id, text FROM segments WHERE id >= ?", (first_seg,))

    # -- talks -------------------------------------------------------------------

    def _documents(self, conn: sqlite3.Connection) -> list[tuple[int, CachedDocument]]:
        rows = conn.execute(
            f"SELECT d.id, f.path, {_DOC_COLS_D} FROM documents d JOIN files f ON f.id = d.file_id ORDER BY f.path, d.ordinal"
        ).fetchall()
        return [(r[0], CachedDocument.from_row(self, r[0], r[1], r[2:])) for r in rows]

    def _regroup(self, conn: sqlite3.Connection) -> None:
        """Group every document into talks again and store which talk each belongs to.

        Grouping reads a summary's stamps again once its talk's length is known;
        only pages whose reading that can change are loaded and rewritten
        (timestamps.refit_changes), so a regroup of 100,000 talks does not read
        100,000 pages' segments.
        """
        from .library import group
        from .readers.markdown_page import refit

        docs = self._documents(conn)
        ids = {id(doc): doc_id for doc_id, doc in docs}
        fitted = {
            doc_id: (json.loads(hours), limit)
            for doc_id, hours, limit in conn.execute(
                "SELECT id, stamp_hours, stamp_limit FROM documents WHERE stamp_hours IS NOT NULL"
            )
        }
        talks = group((doc for _, doc in docs), refit=False)
        talk_rows, doc_rows, refits = [], [], []
        seen: set[str] = set()
        for ord_, talk in enumerate(talks):
            if talk.id in seen:  # two talks with one id: keep both reachable
                talk.id = f"{talk.id}-{ord_}"
            seen.add(talk.id)
            talk_rows.append((talk.id, ord_, talk.title, talk.channel, talk.video_id, talk.url, talk.duration))
            has_transcript = any(d.role is Role.TRANSCRIPT for d in talk.documents)
            limit = timestamps.limit_for(talk.duration)
            for pos, doc in enumerate(talk.documents):
                doc_id = ids.get(id(doc))
                if doc_id is None:
                    continue
                doc_rows.append((talk.id, pos, doc_id))
                if has_transcript and talk.duration and doc_id in fitted:
                    hours, old = fitted[doc_id]
                    if timestamps.refit_changes(hours, timestamps.DEFAULT_LIMIT if old is None else old, limit):
                        refits.append((doc_id, refit(doc, talk.duration), limit))
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("DELETE FROM talks")
        conn.execute("UPDATE documents SET talk_id = NULL, talk_pos = NULL")
        conn.executemany("INSERT INTO talks VALUES (?, ?, ?, ?, ?, ?, ?)", talk_rows)
        conn.executemany("UPDATE documents SET talk_id = ?, talk_pos = ? WHERE id = ?", doc_rows)
        for doc_id, doc, limit in refits:
            # Keep what grouping decided, and the limit it decided with.
            self._rewrite_times(conn, doc_id, doc, limit)
        conn.execute("DELETE FROM snapshot")
        conn.execute("INSERT INTO snapshot VALUES (?)", (_pack_snapshot(_snapshot(conn.execute(_LIST_SQL))),))
        conn.execute("INSERT OR REPLACE INTO meta VALUES ('grouped', '1')")
        conn.execute("COMMIT")

    @staticmethod
    def _rewrite_times(conn: sqlite3.Connection, doc_id: int, doc: Document, limit: float) -> None:
        conn.execute(
            "UPDATE documents SET outline = ?, last_time = ?, stamp_limit = ? WHERE id = ?",
            (_document_row(doc)[-1], doc.last_time, limit, doc_id),
        )
        conn.executemany(
            "UPDATE segments SET start = ?, end = ?, estimated = ?, stamps = ? WHERE doc_id = ? AND seg = ?",
            [(r[1], r[2], r[4], r[8], doc_id, i) for i, r in ((i, _segment_row(i, s)) for i, s in enumerate(doc.segments))],
        )

    def talks(self) -> Sequence[Talk]:
        """Every talk of the library, from the index alone: a TalkRows when the index is grouped
        (each talk made when first used; its segments load when they are)."""
        # Tens of thousands of new objects would set off the garbage collector
        # again and again, for nothing: none of them is garbage yet.
        collecting = gc.isenabled()
        gc.disable()
        try:
            return self._talks()
        finally:
            if collecting:
                gc.enable()

    def _talks(self) -> Sequence[Talk]:
        try:
            with self._lock:
                snap = self._snapshot_data()
                if snap is not None:
                    try:
                        return self._talks_from_snapshot(snap)
                    except (ValueError, TypeError, KeyError, IndexError, AttributeError):
                        pass  # a damaged snapshot: the tables below still hold the truth
                rows = self._conn.execute(_LIST_SQL).fetchall()
        except sqlite3.DatabaseError as exc:
            if not _is_damage(exc):
                raise
            self._rebuild_empty()  # the next refresh fills it again
            return []
        return self._talks_from(rows)

    def _snapshot_data(self) -> bytes | str | None:
        row = self._conn.execute("SELECT rowid, typeof(data) FROM snapshot").fetchone()
        if row is None:
            return None
        if row[1] == "blob" and hasattr(self._conn, "blobopen"):  # Python 3.11+
            # Read as a blob: 4x faster than SELECT for the 15 MB of 100,000 talks.
            with self._conn.blobopen("snapshot", "data", row[0], readonly=True) as blob:
                return blob.read()
        return self._conn.execute("SELECT data FROM snapshot WHERE rowid = ?", (row[0],)).fetchone()[0]

    def _talks_from(self, rows: list) -> list[Talk]:
        talks: list[Talk] = []
        current: Talk | None = None
        from_row = CachedDocument.from_row
        for row in rows:
            if current is None or current.id != row[0]:
                current = Talk(row[0], row[1], row[2], row[3], row[4], row[5], [])
                talks.append(current)
            current.documents.append(from_row(self, row[6], row[7], row[8:]))
        return talks

    def _talks_from_snapshot(self, data: bytes | str) -> TalkRows:
        if isinstance(data, str):  # the JSON columns an index of an earlier version wrote
            columns = json.loads(data)
            if len(columns) != 7 or len({len(c) for c in columns}) != 1:
                raise ValueError("not the talk list's columns")
            if not all(isinstance(v, str) for v in itertools.chain(columns[0], columns[6])):
                raise ValueError("not a talk")
            data = _pack_snapshot(columns)
        return TalkRows(self, data)

    def talks_so_far(self) -> list[Talk]:
        """While a refresh stores new files: every stored document in a talk, grouped by video id alone.

        The list a first run shows while its index fills. Grouping for good
        (summaries matched to talks, stamps fitted) waits for the end of the
        refresh; until then each talk's id is the one `search` gives its hits.
        """
        collecting = gc.isenabled()
        gc.disable()
        try:
            with self._lock:
                rows = self._conn.execute(
                    f"SELECT d.id, f.path, {_DOC_COLS_D} FROM documents d JOIN files f ON f.id = d.file_id"
                    " ORDER BY d.id"
                ).fetchall()
            groups: dict[str, list[Document]] = {}
            for row in rows:
                doc = CachedDocument.from_row(self, row[0], row[1], row[2:])
                groups.setdefault(doc.video_id or f"doc-{row[0]}", []).append(doc)
            talks = [_provisional_talk(key, docs) for key, docs in groups.items()]
        except sqlite3.Error:
            return []
        finally:
            if collecting:
                gc.enable()
        talks.sort(key=lambda t: (t.title.casefold(), t.id))
        return talks

    def _documents_by_id(self, doc_ids: list[int]) -> list[Document]:
        """The documents with these ids, in this order (those that have left the index are left out)."""
        found = self._documents_map(doc_ids)
        return [found[i] for i in doc_ids if i in found]

    def _documents_map(self, doc_ids: list[int]) -> dict[int, Document]:
        """The documents with these ids that are still in the index, by id."""
        rows = []
        try:
            with self._lock:
                for at in range(0, len(doc_ids), 500):  # well under SQLite's limit of variables
                    chunk = doc_ids[at : at + 500]
                    rows += self._conn.execute(
                        f"SELECT d.id, f.path, {_DOC_COLS_D} FROM documents d JOIN files f ON f.id = d.file_id"
                        f" WHERE d.id IN ({', '.join('?' * len(chunk))})",
                        chunk,
                    ).fetchall()
        except sqlite3.Error:
            return {}
        from_row = CachedDocument.from_row
        return {row[0]: from_row(self, row[0], row[1], row[2:]) for row in rows}

    def problems(self) -> list[Problem]:
        with self._lock:
            rows = self._conn.execute("SELECT path, problem FROM files WHERE problem IS NOT NULL ORDER BY path").fetchall()
        return [Problem(_fs_path(p), r) for p, r in rows]

    def outline(self, doc_id: int) -> list[OutlineEntry]:
        """One document's outline (empty when the document has left the index)."""
        try:
            with self._lock:
                row = self._conn.execute("SELECT outline FROM documents WHERE id = ?", (doc_id,)).fetchone()
        except sqlite3.Error:
            return []
        return [OutlineEntry(t, lv, st, sg, og) for t, lv, st, sg, og in json.loads(row[0] or "[]")] if row else []

    def segments(self, doc_id: int) -> list[Segment]:
        """One document's segments (empty when the document has left the index)."""
        try:
            with self._lock:
                rows = self._conn.execute(
                    "SELECT start, end, text, estimated, line, kind, level, stamps, marks FROM segments"
                    " WHERE doc_id = ? AND seg >= 0 ORDER BY seg",
                    (doc_id,),
                ).fetchall()
        except sqlite3.Error:
            return []
        return [_segment_from_row(r) for r in rows]

    # -- search ---------------------------------------------------------------------

    def search(self, query: str, limit: int = 50) -> list[SearchHit]:
        """Ranked hits for typed text, phrase matches first; never raises for odd input."""
        plan = plan_query(query)
        if not plan.tiers or limit <= 0:
            return []
        chosen: list[tuple[int, float, int]] = []  # (rowid, score: higher is better, tier)
        across: list[SearchHit] = []
        seen: set[int] = set()
        texts: dict[int, str] = {}
        try:
            with self._lock:
                for tier, phrases in enumerate(plan.tiers):
                    optional = tier < len(plan.tiers) - 1
                    try:
                        ranked = self._ranked(phrases, limit, texts, PHRASE_TIER_SECONDS if optional else None)
                    except sqlite3.OperationalError as exc:
                        if optional and "interrupt" in str(exc):
                            continue
                        raise
                    for rowid, score in ranked:
                        if rowid not in seen:
                            seen.add(rowid)
                            chosen.append((rowid, score, tier))
                    if tier == 0 and len(phrases) == 1 and len(phrases[0].words) > 1:
                        # A phrase may run from one paragraph into the next.
                        found = len(chosen)
                        across = self._across(plan.tiers[0], limit - found) if found < limit else []
                    if len(chosen) >= limit:
                        break
                hits = self._hits(plan, chosen[:limit])
                if across:
                    phrase_hits = sum(1 for _, _, tier in chosen[:limit] if tier == 0)
                    hits[phrase_hits:phrase_hits] = across
                return hits[:limit]
        except sqlite3.Error:
            return []  # whatever the input (or the state of the file), a search is never an error

    def _ranked(
        self, phrases: tuple[Phrase, ...], limit: int, texts: dict[int, str], seconds: float | None = None
    ) -> list[tuple[int, float]]:
        """The best `limit` segments matching all `phrases`, best first, with their scores.

        With `seconds`, SQLite is interrupted once that time has passed.
        """
        if seconds is None:
            return self._ranked_now(phrases, limit, texts, bm25=True)
        deadline = time.perf_counter() + seconds
        self._conn.set_progress_handler(lambda: time.perf_counter() > deadline, 500)
        try:
            # Every hit of the phrase tier holds the whole phrase: density ranks them
            # well, and bm25 would walk all the phrase's matches a second time.
            return self._ranked_now(phrases, limit, texts, bm25=False)
        finally:
            self._conn.set_progress_handler(None, 0)

    def _ranked_now(self, phrases: tuple[Phrase, ...], limit: int, texts: dict[int, str], bm25: bool) -> list[tuple[int, float]]:
        expr = " AND ".join(p.fts() for p in phrases)
        # Multi-word phrases too: bm25 would walk all their matches to weigh them.
        if bm25 and all(len(p.words) == 1 and not self._is_common(p) for p in phrases):
            rows = self._conn.execute(
                "SELECT rowid, bm25(fts) FROM fts WHERE fts MATCH ? ORDER BY rank LIMIT ?", (expr, limit)
            ).fetchall()
            return [(rowid, -score) for rowid, score in rows]
        ids = [r[0] for r in self._conn.execute("SELECT rowid FROM fts WHERE fts MATCH ? LIMIT ?", (expr, COMMON_CANDIDATES))]
        texts.update(self._texts(ids))
        # Rare words weigh more: a common phrase counts a tenth of a rare one.
        weights = [(_phrase_pattern(p), 0.1 if len(p.words) == 1 and self._is_common(p) else 1.0) for p in phrases]
        scored = []
        for rowid in ids:
            text = texts.get(rowid, "")
            folded = _folded_with_positions(text)[0]
            hits = sum(w * len(pattern.findall(folded)) for pattern, w in weights)
            scored.append((rowid, hits / (1.0 + len(text) / 400)))
        scored.sort(key=lambda r: -r[1])
        return scored[:limit]

    def _across(self, phrases: tuple[Phrase, ...], limit: int) -> list[SearchHit]:
        """Hits of a phrase that starts at the end of one transcript paragraph and
        runs on at the start of the next: for each way to split it, the
        paragraphs starting with its second part (FTS5 `^`) whose paragraph
        before ends with its first part."""
        if len(phrases) != 1 or len(phrases[0].words) < 2 or limit <= 0:
            return []
        words = phrases[0].words
        hits: list[SearchHit] = []
        seen: set[int] = set()
        for j in range(1, len(words)):
            tail = _phrase_pattern(Phrase(words[:j]))
            head = Phrase(words[j:], phrases[0].prefix)
            rows = self._conn.execute(
                "SELECT p.id, p.seg, p.start, p.end, p.estimated, p.text, p.marks, f.path, d.talk_id, t.title, s.text"
                " FROM fts JOIN segments s ON s.id = fts.rowid"
                " JOIN segments p ON p.doc_id = s.doc_id AND p.seg = s.seg - 1"
                " JOIN documents d ON d.id = s.doc_id JOIN files f ON f.id = d.file_id"
                " LEFT JOIN talks t ON t.id = d.talk_id"
                " WHERE fts MATCH ? AND s.seg > 0 AND d.role = ? LIMIT ?",
                ("^" + head.fts(), Role.TRANSCRIPT.value, COMMON_CANDIDATES),
            ).fetchall()
            for rowid, seg, start, end, estimated, full, marks, path, talk_id, title, _next in rows:
                if rowid in seen:
                    continue
                folded, where = _folded_with_positions(full)
                match = None
                for match in tail.finditer(folded):
                    pass  # the last occurrence: it must end the paragraph
                if match is None or _WORD.search(folded, match.end()):
                    continue
                seen.add(rowid)
                a = match.start() if where is None else where[match.start()]
                if start is not None:
                    start, estimated = _word_time(start, end, full, bool(estimated), marks, a)
                w0, w1 = _window(full, [(a, len(full))])
                path = _fs_path(path)
                hits.append(
                    SearchHit(
                        talk_id=talk_id or "",
                        title=title or strip_controls(Path(path).stem),
                        path=path,
                        role=Role.TRANSCRIPT.value,
                        segment=seg,
                        start=start,
                        estimated=bool(estimated),
                        text=full[w0:w1],
                        offset=w0,
                        spans=((a - w0, w1 - w0),),
                        score=0.0,
                        phrase=True,
                    )
                )
                if len(hits) >= limit:
                    return hits
        return hits

    def _is_common(self, phrase: Phrase) -> bool:
        """Whether at least COMMON segments hold `phrase` (remembered until the next refresh)."""
        key = phrase.fts()
        if key not in self._common:
            (count,) = self._conn.execute(
                "SELECT count(*) FROM (SELECT 1 FROM fts WHERE fts MATCH ? LIMIT ?)", (key, COMMON)
            ).fetchone()
            self._common[key] = count >= COMMON
        return self._common[key]

    def _texts(self, ids: list[int]) -> dict[int, str]:
        out: dict[int, str] = {}
        for i in range(0, len(ids), 500):
            part = ids[i : i + 500]
            out.update(self._conn.execute(f"SELECT id, text FROM segments WHERE id IN ({','.join('?' * len(part))})", part))
        return out

    def _hits(self, plan: QueryPlan, chosen: list[tuple[int, float, int]]) -> list[SearchHit]:
        if not chosen:
            return []
        ids = [r for r, _, _ in chosen]
        info: dict[int, tuple] = {}
        for i in range(0, len(ids), 500):
            part = ids[i : i + 500]
            marks = ",".join("?" * len(part))
            for row in self._conn.execute(
                # Until a refresh groups new documents, their hits name the talks of talks_so_far.
                "SELECT s.id, s.seg, s.start, s.estimated, s.text, f.path, d.role,"
                " coalesce(d.talk_id, d.video_id, 'doc-' || d.id), coalesce(t.title, d.title), s.end, s.marks"
                " FROM segments s JOIN documents d ON d.id = s.doc_id JOIN files f ON f.id = d.file_id"
                f" LEFT JOIN talks t ON t.id = d.talk_id WHERE s.id IN ({marks})",
                part,
            ):
                info[row[0]] = row[1:]
        hits = []
        for rowid, score, tier in chosen:
            if rowid not in info:
                continue
            seg, start, estimated, full, path, role, talk_id, title, end, marks = info[rowid]
            path = _fs_path(path)
            spans = match_spans(full, plan.tiers[tier])
            if spans and role == Role.TRANSCRIPT.value and start is not None:
                # The hit is the moment of its first matched word, not of its paragraph.
                start, estimated = _word_time(start, end, full, bool(estimated), marks, spans[0][0])
            a, b = _window(full, spans)
            hits.append(
                SearchHit(
                    talk_id=talk_id or "",
                    title=title or strip_controls(Path(path).stem),
                    path=path,
                    role=role,
                    segment=seg,
                    start=start,
                    estimated=bool(estimated),
                    text=full[a:b],
                    offset=a,
                    spans=tuple((s - a, e - a) for s, e in spans if s >= a and e <= b),
                    score=score,
                    phrase=len(plan.tiers) > 1 and tier == 0,
                )
            )
        return hits

    # -- did you mean -------------------------------------------------------------

    def vocabulary(self) -> list[str]:
        """Every word of the library (cached until the next refresh that changes files)."""
        if self._vocabulary is None:
            # Listing the vocabulary walks the whole index (seconds for a big
            # library): on its own connection, so searches meanwhile never wait.
            conn = _connect(self.path)
            try:
                rows = conn.execute("SELECT term FROM vocab").fetchall()
            except sqlite3.Error:
                rows = []
            finally:
                conn.close()
            words = [r[0] for r in rows if len(r[0]) > 2 and not r[0].isdigit()]
            self._known = frozenset(words)
            self._vocabulary = words
        return self._vocabulary

    def suggest(self, word: str, limit: int = 5) -> list[str]:
        """Library words closest to a (misspelled) word: auto-captions misspell names."""
        from rapidfuzz import fuzz, process

        key = " ".join(_WORD.findall(_fold(word)))
        if len(key) < 3:
            return []
        vocabulary = self.vocabulary()
        matches = process.extract(key, vocabulary, scorer=fuzz.ratio, limit=limit + 1, score_cutoff=60)
        return [term for term, _score, _i in matches if term != key][:limit]

    def corrections(self, query: str) -> list[str]:
        """Queries with each unknown word replaced by its closest library word."""
        plan = plan_query(query)
        self.vocabulary()
        known = self._known
        out = []
        for word in plan.words:
            w = _fold(word)
            if w in known or len(w) < 3:
                continue
            for better in self.suggest(w, limit=3):
                fixed = re.sub(rf"(?i)\b{re.escape(word)}\b", better, query.strip(), count=1)
                if fixed not in out:
                    out.append(fixed)
        return out
