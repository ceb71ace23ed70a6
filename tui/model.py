"""The data every screen stands on: talks, their documents, segments and outlines.

Plain dataclasses with no Textual import, so the core can be used from scripts,
the CLI and the tests alike.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path


class ReadError(Exception):
    """A file could not be read as a talk document.

    The message is written for a person: it says what is wrong with the file,
    not which line of our code noticed.
    """


class Skipped(ReadError):
    """A file that belongs in a talk folder but holds nothing to read (a playlist's
    info.json, a thumbnail, an empty description): the scan leaves it out without
    listing it as a problem; `talkshelf cat` says why it shows nothing."""


class Role(str, Enum):
    TRANSCRIPT = "transcript"
    SUMMARY = "summary"
    # The video or audio file itself (yt-dlp's `Title [ID].mp4`): no text, only where it is.
    MEDIA = "media"


@dataclass(slots=True, frozen=True)
class Stamp:
    """A timestamp written inside a summary paragraph.

    `offset` is the character position in the paragraph's clean text where the
    stamp stood, `raw` the text as written (kept so a page can be re-read once
    the talk's length is known).
    """

    offset: int
    seconds: float
    raw: str = ""


@dataclass(slots=True)
class Segment:
    """One block of a document's text: a paragraph of a transcript, or a paragraph,
    bullet, code block or quote of a summary (`kind` says which).

    Not named a paragraph, since bullets and code blocks are segments too; the
    outline (`OutlineEntry.segment`), the index and the notes store all count in
    segments. (Rich's own `Segment` is imported as `RichSegment` where both meet.)

    `line` is the 1-based line of the file where it starts: with the document's
    path it says where the text came from, so a bookmark can point at it.
    """

    start: float | None
    end: float | None
    text: str
    estimated: bool = False
    line: int = 0
    # "text", "bullet", "code" (e.g. a Mermaid block), "quote", "annotation"
    kind: str = "text"
    level: int = 0  # nesting depth of a bullet
    stamps: tuple[Stamp, ...] = ()
    # (character offset, seconds) of the words whose time is known, in order:
    # every word where captions time words, each cue's first word otherwise.
    marks: tuple[tuple[int, float], ...] = ()


@dataclass(slots=True)
class OutlineEntry:
    """A section of a summary: heading, level and where it starts.

    `segment` is the index of the first segment under the heading in its
    document. `origin` says where `start` came from: "stamp" (a timestamp under
    the heading), "chapter" (a chapter line such as `12:34 Q&A`), "matched"
    (placed by matching its words against the transcript) or "none".
    """

    title: str
    level: int
    start: float | None
    segment: int = 0
    origin: str = "stamp"


@dataclass(slots=True)
class Document:
    """What one reader made of one file (a dump yields two: transcript and description)."""

    path: str
    role: Role
    # "markdown", "plain", "dump", "description", "vtt", "youtube-vtt", "srt", "sbv", "json",
    # "stamped" (timestamped lines), ... (tui/readers/__init__.py READERS);
    # for Role.MEDIA the file's extension ("mp4", "opus")
    format: str
    title: str | None = None
    channel: str | None = None
    video_id: str | None = None
    url: str | None = None
    duration: float | None = None
    language: str | None = None
    segments: list[Segment] = field(default_factory=list)
    outline: list[OutlineEntry] = field(default_factory=list)

    @property
    def last_time(self) -> float | None:
        """The latest time any segment reaches (a lower bound on the talk's length)."""
        latest = None
        for seg in self.segments:
            for t in (seg.start, seg.end):
                if t is not None and (latest is None or t > latest):
                    latest = t
        return latest


@dataclass(slots=True)
class Talk:
    """A talk: the documents of one video (or one stand-alone document)."""

    id: str
    title: str
    channel: str | None = None
    video_id: str | None = None
    url: str | None = None
    duration: float | None = None
    documents: list[Document] = field(default_factory=list)

    @property
    def transcript(self) -> Document | None:
        """The transcript the reader shows: the best timed of the talk's copies (grouping puts it first)."""
        return next((d for d in self.documents if d.role is Role.TRANSCRIPT), None)

    @property
    def alternatives(self) -> list[Document]:
        """The talk's other copies of its transcript (other formats), kept but not shown."""
        return [d for d in self.documents if d.role is Role.TRANSCRIPT][1:]

    @property
    def media(self) -> Path | None:
        """The talk's video or audio file, when the folder holds one (for play-along)."""
        doc = next((d for d in self.documents if d.role is Role.MEDIA), None)
        return Path(doc.path) if doc is not None else None

    @property
    def summaries(self) -> list[Document]:
        return [d for d in self.documents if d.role is Role.SUMMARY]

    def link(self, seconds: float | None = None) -> str | None:
        """A link that opens the video at `seconds` (None when the talk has no video)."""
        if self.video_id:
            base = f"https://youtu.be/{self.video_id}"
            return base if seconds is None else f"{base}?t={int(seconds)}"
        if self.url and "youtu" in self.url:
            return clean_link(self.url, seconds)
        return self.url


# Query parameters that only track who shared a link (YouTube's share button
# adds `si=`, `feature=`, `pp=`); a quoted link drops them.
_TRACKING = {"si", "feature", "pp", "fbclid", "gclid", "ab_channel", "app"}


def clean_link(url: str, seconds: float | None = None) -> str:
    """`url` without tracking parameters, and with `t=` set to `seconds` (floored,
    so the video opens at or just before the word) in place of any time it had."""
    from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

    try:
        parts = urlsplit(url)
    except ValueError:  # `https://[bold]x/`: not a link it can take apart, so it is kept as written
        return url
    query = [
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if key not in _TRACKING and not key.startswith("utm_") and (seconds is None or key not in ("t", "start"))
    ]
    if seconds is not None:
        query.append(("t", str(int(seconds))))
    fragment = "" if seconds is not None and parts.fragment.startswith("t=") else parts.fragment
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), fragment))


@dataclass(slots=True, frozen=True)
class Problem:
    """A file the scan could not read, and why."""

    path: str
    reason: str


def format_time(seconds: float | None, estimated: bool = False) -> str:
    """`HH:MM:SS`, with `≈` in front of an estimated time; `--:--:--` when unknown."""
    if seconds is None:
        return "--:--:--"
    s = int(seconds)
    text = f"{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}"
    return f"≈{text}" if estimated else text


def talk_ids(talks: Sequence[Talk]) -> list[str]:
    """Every talk's id, in order (from the index's columns when it has them: no talk is made)."""
    ids = getattr(talks, "ids", None)
    return ids() if ids is not None else [t.id for t in talks]
