"""Transcripts written as timestamped lines, as people copy and tools print them.

    0:00                        YouTube's transcript panel, copied: the time on
    so today I want to talk     its own line, the words on the lines after it
    0:04
    about compilers

    [00:00:05] so today ...     a time before the words, bracketed or not
    [00:00:00.000 --> 00:00:04.000]  so today ...     whisper
    Speaker 1  0:03             Otter: who and when, then what was said
    Jane Doe (00:01:23):        Rev
    [00:01:23] Jane Doe: ...    Descript

A line that starts with a time starts an entry; the lines up to the next such
line are its words. An entry is a piece timed at its stamp (its end is the
next entry's start), so paragraphs, search and quotes land on the stamp.
Speakers come from a name before the time, or from a `Name:` opening the words
when the same name opens several entries (one "Note: ..." is no speaker).
Lines before the first stamp are the header: its fields name the talk.

A file is such a transcript when at least MIN_ENTRIES entries hold text, a
quarter of the region's lines are stamped, the times mostly run forward, and
the entries read as speech: a list of chapters (`0:00 Intro`, minutes apart,
a few words each) is a summary's outline, not a transcript. The same lines
pasted into a Markdown note read the same; the note's header gives the talk's
fields and whatever else it says becomes the talk's summary (as for a caption
track pasted into a note, see wrapped_transcript).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..model import Document, ReadError, Role
from ..paragraphs import Piece, build_paragraphs
from ..textio import strip_controls
from .wrapped_transcript import talk_fields, transcript_and_notes

MIN_ENTRIES = 8
STAMPED_SHARE = 0.25  # of the region's non-blank lines
FORWARD_SHARE = 0.9  # of steps between entries that do not go back in time
# Speech: entries a few seconds apart, or turns of named speakers (Otter and Rev stamp each turn).
MAX_MEDIAN_GAP = 45.0
MIN_ENTRY_WORDS = 3

_TIME = r"(?:(\d{1,2}):)?(\d{1,3}):(\d{2})(?:[.,](\d{1,3}))?"
# A time first: `0:00`, `[00:00:05]`, `(1:02:03)`, `[00:00:00.000 --> 00:00:04.000]`, then `-`, `:` or `|` and the words.
_STAMP_FIRST = re.compile(
    rf"[ \t]{{0,8}}[\[(]?{_TIME}(?:[ \t]*-->[ \t]*{_TIME})?[\])]?(?![\d:])(?:[ \t]*[-–—:|][ \t]+|[ \t]+|[ \t]*$)(.*)"
)
# A speaker then a time, nothing after: `Speaker 1  0:03`, `Jane Doe (00:01:23):`.
_WHO_FIRST = re.compile(rf"[ \t]{{0,8}}([^\W\d_][\w.'’-]{{0,30}}(?:[ \t]+[\w.'’-]{{1,30}}){{0,3}})[ \t]+[\[(]?{_TIME}[\])]?[ \t]*:?[ \t]*$")
# `Jane Doe: what she said` at an entry's start.
_NAMED = re.compile(r"([^\W\d_][\w.'’-]{0,30}(?: [\w.'’-]{1,30}){0,3}):[ \t]+(\S.*)")
_HEADING = re.compile(r"^[ \t]{0,3}#{1,6}[ \t]")
# The line Otter's export ends on: about the file, not said in the talk.
_TRAILER = re.compile(r"[ \t]*Transcribed by https?://otter\.ai/?[ \t]*", re.I)
# A cheap first look, run on every page a scan reads: lines that open on a time, and
# lines that end on one. Each starts on a literal character, which `re` finds quickly.
_OPENS_ON_TIME = re.compile(r"\n[ \t]{0,8}[\[(]?\d{1,3}:\d{2}")
_ENDS_ON_TIME = re.compile(r":\d{2}[\])]?[ \t]*:?[ \t]*\n")


@dataclass
class _Entry:
    line: int  # 1-based file line of its stamp
    start: float
    end: float | None
    who: str | None
    words: list[str] = field(default_factory=list)
    on_line: int = 0  # how many of the words are on the stamp's own line


def _seconds(groups: tuple[str | None, ...]) -> float | None:
    h, m, s, frac = groups
    if int(s) >= 60 or (h is not None and int(m) >= 60):
        return None
    return int(h or 0) * 3600 + int(m) * 60 + int(s) + (int(frac) / 10 ** len(frac) if frac else 0.0)


def _stamp(line: str) -> tuple[float, float | None, str | None, str] | None:
    """(start, end, speaker, words) when `line` opens an entry."""
    m = _STAMP_FIRST.fullmatch(line)
    if m:
        start = _seconds(m.group(1, 2, 3, 4))
        end = _seconds(m.group(5, 6, 7, 8)) if m.group(6) else None
        if start is not None:
            return start, end, None, m.group(9).strip()
    m = _WHO_FIRST.fullmatch(line)
    if m:
        start = _seconds(m.group(2, 3, 4, 5))
        if start is not None:
            return start, None, m.group(1), ""
    return None


def _entries(lines: list[str], first: int) -> tuple[list[_Entry], int]:
    """Entries from line index `first` on, and the index where they stop (a heading, or the end).

    What was said can hold a time too ("we met at 10:30", "10:30 is late"): a
    name-and-time line whose name opens no other turn, and a stamp that leaps
    ahead of the entries on both sides of it, are words of the entry before.
    """
    stop = len(lines)
    found: list[tuple[int, tuple[float, float | None, str | None, str] | None]] = []
    for i in range(first, len(lines)):
        if _HEADING.match(lines[i]):
            stop = i
            break
        if _TRAILER.fullmatch(lines[i]):
            continue
        found.append((i, _stamp(lines[i])))
    names: dict[str, int] = {}
    for _, stamp in found:
        if stamp is not None and stamp[2] is not None:
            names[stamp[2]] = names.get(stamp[2], 0) + 1
    entries: list[_Entry] = []
    for i, stamp in found:
        if stamp is not None and (stamp[2] is None or names[stamp[2]] >= 2):
            start, end, who, words = stamp
            said = words.split()
            entries.append(_Entry(i + 1, start, end, who, said, len(said)))
        elif entries:
            entries[-1].words.extend(lines[i].split())
    kept: list[_Entry] = []
    for n, e in enumerate(entries):
        after = entries[n + 1].start if n + 1 < len(entries) else None
        if kept and after is not None and kept[-1].start <= after < e.start:
            # A leap ahead and back: its line is words, not a stamp.
            kept[-1].words.extend(lines[e.line - 1].split() + e.words[e.on_line:])
            continue
        kept.append(e)
    return kept, stop


def _region(text: str) -> tuple[list[str], int, list[_Entry], int] | None:
    """The lines, where the stamped region starts and stops, and its entries; None when there is none."""
    head = text[:400_000]
    if len(_OPENS_ON_TIME.findall("\n" + head)) + len(_ENDS_ON_TIME.findall(head + "\n")) < MIN_ENTRIES:
        return None
    lines = text.split("\n")
    first = next((i for i, line in enumerate(lines) if _stamp(line) is not None), None)
    if first is None:
        return None
    # A note may open on a heading and fields before the transcript; the region runs to the next heading.
    entries, stop = _entries(lines, first)
    spoken = [e for e in entries if e.words]
    if len(spoken) < MIN_ENTRIES:
        return None
    filled = sum(1 for line in lines[first:stop] if line.strip())
    if len(entries) < filled * STAMPED_SHARE:
        return None
    steps = [b.start - a.start for a, b in zip(entries, entries[1:])]
    if sum(1 for s in steps if s >= 0) < len(steps) * FORWARD_SHARE:
        return None
    _speakers(entries)
    sizes = sorted(len(e.words) for e in spoken)
    gaps = sorted(s for s in steps if s >= 0)
    words = sizes[len(sizes) // 2]
    gap = gaps[len(gaps) // 2] if gaps else 0.0
    turns = sum(1 for e in entries if e.who is not None) >= len(entries) / 2
    # Entries minutes apart are speech only as turns of named speakers (Otter, Rev):
    # otherwise they are a summary's timed points or a list of chapters.
    if words < MIN_ENTRY_WORDS or (gap > MAX_MEDIAN_GAP and not turns):
        return None
    return lines, first, entries, stop


def looks_like_stamped_transcript(text: str) -> bool:
    return _region(text) is not None


def _speakers(entries: list[_Entry]) -> None:
    """Give entries the speaker a `Name:` opening their words names, where that name recurs."""
    named: dict[str, int] = {}
    for e in entries:
        if e.who is None and e.words:
            m = _NAMED.match(" ".join(e.words[:6]))
            if m:
                named[m.group(1)] = named.get(m.group(1), 0) + 1
    recurring = {name for name, count in named.items() if count >= 2}
    if not recurring:
        return
    for e in entries:
        if e.who is None and e.words:
            m = _NAMED.match(" ".join(e.words[:6]))
            if m and m.group(1) in recurring:
                e.who = m.group(1)
                e.words = e.words[len(m.group(1).split()):]  # the words after `Name:`


def _pieces(entries: list[_Entry]) -> list[Piece]:
    pieces = []
    speaker = None
    for n, e in enumerate(entries):
        if e.who is not None:
            speaker = strip_controls(e.who).strip()
        text = strip_controls(" ".join(e.words)).strip()
        if not text:
            continue
        later = next((x.start for x in entries[n + 1:] if x.start >= e.start), None)
        end = e.end if e.end is not None and e.end >= e.start else later
        if end is None:  # the last entry: about as long as its words take to say
            end = e.start + 0.4 * len(e.words)
        pieces.append(Piece(text, e.start, end, e.line, speaker))
    return pieces


def read(text: str, path: str) -> list[Document]:
    name = strip_controls(Path(path).name)
    found = _region(text)
    if found is None:
        raise ReadError(f"{name} has no timestamped lines of speech (such as '0:04 so today I want to')")
    lines, first, entries, stop = found
    pieces = _pieces(entries)
    if not pieces:
        raise ReadError(f"{name} has timestamped lines with no words")
    header = "\n".join(lines[:first])
    transcript = Document(path=path, role=Role.TRANSCRIPT, format="stamped", segments=build_paragraphs(pieces), **talk_fields(header, path))
    return transcript_and_notes(transcript, header + "\n" + "\n".join(lines[stop:]), path)
