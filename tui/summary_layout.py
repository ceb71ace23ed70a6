"""What the summary pane shows: every summary of a talk as written, block by block.

Readers keep a summary's structure: paragraphs, bullets with their level, code
(Mermaid) and quote segments, and headings in the outline, each pointing at the
first segment under it. This module lays that out as one list of blocks for
the pane: a separator naming each summary, its headings where they stand, and
each paragraph with its stamps written back into the text where they stood
(`[00:02:21]`), as links the pane can move to and follow.

Each block also knows the moment it points at, so the pane and the transcript
can follow each other: its own stamp or chapter time, else a time placed by
matching its words to the transcript, else the last time above it in its
section, else none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

from .model import Document, OutlineEntry, Segment, Talk, format_time
from .textio import strip_controls
from .timeline import covering

DOC_KINDS = {"markdown": "Summary page", "plain": "Summary", "description": "Video description"}

# A chapter line's own time at its start (`0:21 Why the tide is a clock`).
_LEADING_TIME = re.compile(r"^\d{1,2}(?::\d{2}){1,2}(?=\s|$)")
# No space between a stamp and punctuation closing the words before it.
_CLOSERS = set(".,;:!?)]}»”’\"'")
# Where a block's time came from: its own (stamp, chapter line), matched, or inherited.
OWN_ORIGINS = ("stamp", "chapter", "matched")


def summary_kind(doc: Document) -> str:
    return DOC_KINDS.get(doc.format, "Summary")


def summary_name(talk: Talk, doc: Document) -> str:
    """How a summary is named (as the outline names its branch): its kind, then its title or file."""
    name = strip_controls(doc.title or Path(doc.path).name)
    return summary_kind(doc) if doc.title == talk.title else f"{summary_kind(doc)} · {name}"


@dataclass(slots=True, frozen=True)
class Link:
    """A stamp as drawn: characters [start, end) of the block's text, and its second."""

    start: int
    end: int
    seconds: float


@dataclass(slots=True, frozen=True)
class Block:
    """One thing the pane draws: a separator, a heading or one segment of a summary."""

    kind: str  # "separator", "heading", or the segment's kind: "text", "bullet", "code", "quote"
    text: str  # as drawn: stamps written in as `[HH:MM:SS]`
    doc: int  # index in talk.documents
    summary: int  # index among the talk's summaries
    segment: int = -1  # index in the document's segments (-1: separator, heading)
    entry: int = -1  # index in the document's outline (headings)
    level: int = 0
    links: tuple[Link, ...] = ()
    seconds: float | None = None  # the moment the block points at
    origin: str = "none"  # "stamp", "chapter", "matched", "earlier" (inherited from above), "none"
    # (offset in the segment's text, characters inserted there): maps a segment offset to `text`
    inserts: tuple[tuple[int, int], ...] = ()

    @property
    def own_time(self) -> bool:
        return self.seconds is not None and self.origin in OWN_ORIGINS

    def display_offset(self, offset: int) -> int:
        """Where character `offset` of the segment's text stands in `text`."""
        return offset + sum(added for at, added in self.inserts if at <= offset)

    def link_at(self, seconds: float) -> int:
        """The index of the link for `seconds` (the last at or before it), -1 when none."""
        best = -1
        for i, link in enumerate(self.links):
            if link.seconds <= seconds and (best < 0 or link.seconds > self.links[best].seconds):
                best = i
        return best


def written(segment: Segment) -> tuple[str, tuple[Link, ...], tuple[tuple[int, int], ...]]:
    """The segment's text with its stamps written back where they stood, the links, the inserts."""
    text = segment.text
    if not segment.stamps:
        found = _LEADING_TIME.match(text) if segment.start is not None else None
        if found:  # a chapter line: its own time is the link
            return text, (Link(0, found.end(), segment.start),), ()  # type: ignore[arg-type]
        return text, (), ()
    out: list[str] = []
    links: list[Link] = []
    inserts: list[tuple[int, int]] = []
    pos = 0
    length = 0
    for stamp in sorted(segment.stamps, key=lambda s: s.offset):
        at = max(pos, min(stamp.offset, len(text)))
        chunk = text[pos:at]
        out.append(chunk)
        length += len(chunk)
        pos = at
        if stamp.raw and text.startswith(stamp.raw, at):
            # The stamp is still written in the text (a chapter line's `12:34`): it is the link.
            links.append(Link(length, length + len(stamp.raw), stamp.seconds))
            continue
        before = "" if at == 0 or text[at - 1].isspace() or (out and out[-1][-1:] == " ") else " "
        label = f"[{format_time(stamp.seconds)}]"
        after = " " if at < len(text) and not text[at].isspace() and text[at] not in _CLOSERS else ""
        piece = before + label + after
        links.append(Link(length + len(before), length + len(before) + len(label), stamp.seconds))
        out.append(piece)
        length += len(piece)
        inserts.append((at, len(piece)))
    out.append(text[pos:])
    return "".join(out), tuple(links), tuple(inserts)


def summary_blocks(talk: Talk) -> list[Block]:
    """Every summary of `talk` in document order (the outline's order), a separator naming each after the first."""
    blocks: list[Block] = []
    summary = -1
    for doc_index, doc in enumerate(talk.documents):
        if doc is talk.transcript or doc.role.value != "summary":
            continue
        summary += 1
        if summary:  # between two summaries (the pane's title names the one being read)
            blocks.append(Block("separator", summary_name(talk, doc), doc_index, summary))
        headings: dict[int, list[int]] = {}
        for entry_index, entry in enumerate(doc.outline):
            headings.setdefault(entry.segment, []).append(entry_index)
        for seg_index, segment in enumerate(doc.segments):
            own_entry = -1
            for entry_index in headings.get(seg_index, ()):
                entry = doc.outline[entry_index]
                if entry.origin == "chapter" and _is_chapter_line(segment, entry):
                    own_entry = entry_index  # the line itself says it; a heading would repeat it
                    continue
                blocks.append(Block(
                    "heading", " ".join(strip_controls(entry.title).split()), doc_index, summary,
                    entry=entry_index, level=entry.level, seconds=entry.start,
                    origin=entry.origin if entry.start is not None else "none",
                ))
            text, links, inserts = written(segment)
            origin = "none"
            if segment.start is not None:
                origin = "stamp" if segment.stamps else "chapter"
            blocks.append(Block(
                segment.kind, text, doc_index, summary, segment=seg_index, level=segment.level,
                links=links, seconds=segment.start, origin=origin, inserts=inserts, entry=own_entry,
            ))
    return inherit_times(blocks)


def _is_chapter_line(segment: Segment, entry: OutlineEntry) -> bool:
    """A line such as `12:34 Q&A` that is the chapter `entry` (its time first, then its title)."""
    if entry.start is None or segment.start is None or int(segment.start) != int(entry.start):
        return False
    leading = _LEADING_TIME.match(segment.text)
    title = " ".join(entry.title.split()).casefold()
    return bool(leading and title and title in " ".join(segment.text[leading.end():].split()).casefold())


def place_blocks(
    blocks: list[Block],
    sections: dict[tuple[int, int], tuple[float | None, str]],
    paragraphs: dict[tuple[int, int], float] | None = None,
) -> list[Block]:
    """Blocks with the placements found later: sections' ((doc, entry) -> (seconds, origin))
    and untimed paragraphs' matched times ((doc, segment) -> seconds)."""
    paragraphs = paragraphs or {}
    out: list[Block] = []
    for block in blocks:
        if block.kind == "heading" and not block.own_time:
            seconds, origin = sections.get((block.doc, block.entry), (None, "none"))
            block = replace(block, seconds=seconds, origin=origin if seconds is not None else "none")
        elif block.segment >= 0 and not block.own_time and (block.doc, block.segment) in paragraphs:
            block = replace(block, seconds=paragraphs[(block.doc, block.segment)], origin="matched")
        elif block.origin == "earlier":
            block = replace(block, seconds=None, origin="none")
        out.append(block)
    return inherit_times(out)


def inherit_times(blocks: list[Block]) -> list[Block]:
    """An untimed paragraph points at the last time above it in its section (its heading's at least)."""
    out: list[Block] = []
    last: float | None = None
    for block in blocks:
        if block.kind in ("separator", "heading"):
            last = block.seconds if block.own_time else None
        elif block.own_time:
            last = block.seconds
        elif block.seconds is None and last is not None:
            block = replace(block, seconds=last, origin="earlier")
        out.append(block)
    return out


class Moments:
    """Which block of one summary covers a moment: the last own time at or before it."""

    def __init__(self, blocks: list[Block]) -> None:
        # (seconds, heading?, block): on a tie a paragraph wins over the heading above it.
        timed: dict[int, list[tuple[float, bool, int]]] = {}
        for i, block in enumerate(blocks):
            if block.own_time:
                times = {block.seconds, *(link.seconds for link in block.links)}
                for t in times:
                    timed.setdefault(block.summary, []).append((t, block.kind == "heading", i))  # type: ignore[arg-type]
        self._times: dict[int, list[float]] = {}
        self._blocks: dict[int, list[int]] = {}
        for summary, pairs in timed.items():
            pairs.sort()
            self._times[summary] = [t for t, _, _ in pairs]
            self._blocks[summary] = [i for _, _, i in pairs]

    def block_at(self, summary: int, seconds: float) -> int | None:
        """The block of `summary` covering `seconds`, or None (before its first time, or no times)."""
        times = self._times.get(summary)
        if not times:
            return None
        i = covering(times, seconds)
        return self._blocks[summary][i] if i >= 0 else None

    def first_time(self, summary: int) -> float | None:
        times = self._times.get(summary)
        return times[0] if times else None


def segment_blocks(blocks: list[Block]) -> dict[tuple[int, int], int]:
    """(document index, segment index) -> the block showing that segment."""
    return {(b.doc, b.segment): i for i, b in enumerate(blocks) if b.segment >= 0}
