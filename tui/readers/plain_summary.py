"""Plain-text summaries of a talk.

A `From: channel` line, paragraphs, headings written as bare short lines,
`•` bullets nested by indentation, and `[HH:MM:SS]` stamps. The stamps leave
the text and become Stamps, read with the same rules as Markdown pages.
"""

from __future__ import annotations

import re
from pathlib import Path

from .. import timestamps
from ..model import Document, OutlineEntry, ReadError, Role, Segment
from ..naming import title_and_id
from ..textio import strip_controls
from .summary_blocks import BlockBuilder
from .markdown_page import HASH_LIKE_NAME, PRIVATE_USE, place_stamps

_FROM = re.compile(r"^From:[ \t]*(.*?)\s*$")
_BULLET = re.compile(r"^([ \t]*)([•·▪‣◦●○■□*\-–])[ \t]+(\S.*)$")
_STAMP = re.compile(r"[ \t]*\[(\d{1,3}(?::\d{1,2}){1,3})\]")
# A heading is a short line that does not end a sentence or a clause.
_HEADING_MAX_CHARS = 100
_HEADING_MAX_WORDS = 14
_SENTENCE_END = tuple(".!?,;:…")
_CLOSERS = "\"'”’»)]"


def read(text: str, path: str) -> list[Document]:
    """Read a plain summary into one summary Document."""
    name = Path(path).name
    text = PRIVATE_USE.sub("", strip_controls(text.replace("\r\n", "\n").replace("\r", "\n")).lstrip("\ufeff"))
    lines = [line.expandtabs(4).rstrip() for line in text.split("\n")]
    channel, title = _header(lines)
    blocks = _blocks(lines)

    segments: list[Segment] = []
    outline: list[OutlineEntry] = []

    def emit(text: str, line: int, kind: str, level: int) -> None:
        inline = _plain(text)
        if inline.text:
            segments.append(Segment(None, None, inline.text, line=line, kind=kind, level=level, stamps=tuple(inline.stamps)))

    builder = BlockBuilder(emit)
    for n, block in enumerate(blocks):
        if _is_heading(block, more=n + 1 < len(blocks)):
            heading = _plain(block[0][1].strip())
            block = block[1:]
            if heading.text:
                outline.append(OutlineEntry(heading.text, 1, None, segment=len(segments)))
            builder.end_list()
        for number, line in block:
            bullet = _BULLET.match(line)
            if bullet:
                builder.bullet(bullet.group(3), number, len(bullet.group(1)))
            elif builder.open:
                builder.extend(line.strip())
            else:
                builder.paragraph(line.strip(), number)
        builder.flush()  # a blank line ends a block

    if not segments and not outline:
        raise ReadError(f"{name} holds no summary text")
    outline = [e for e in outline if e.segment < len(segments)]
    file_title, file_id = title_and_id(path)
    if title is None and not HASH_LIKE_NAME.fullmatch(Path(path).stem):
        title = file_title
    doc = Document(
        path=str(path),
        role=Role.SUMMARY,
        format="plain",
        title=title,
        channel=channel,
        video_id=file_id,
        segments=segments,
        outline=outline,
    )
    timestamps.fit(doc)
    return [doc]


def _blocks(lines: list[str]) -> list[list[tuple[int, str]]]:
    """Runs of non-blank lines, each line with its 1-based number."""
    blocks: list[list[tuple[int, str]]] = []
    current: list[tuple[int, str]] = []
    for number, line in enumerate(lines, 1):
        if line.strip():
            current.append((number, line))
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def _header(lines: list[str]) -> tuple[str | None, str | None]:
    """The channel from a `From:` line near the top, and a title line just above it.

    Both lines are blanked out of `lines` (kept, so line numbers stay right).
    """
    filled = [i for i, line in enumerate(lines) if line.strip()][:3]
    for k, i in enumerate(filled):
        found = _FROM.match(lines[i].strip())
        if not found:
            continue
        lines[i] = ""
        title = None
        if k == 1 and len(lines[filled[0]]) <= _HEADING_MAX_CHARS and not _BULLET.match(lines[filled[0]]):
            title = _plain(lines[filled[0]].strip()).text or None
            lines[filled[0]] = ""
        return found.group(1) or None, title
    return None, None


def _is_heading(block: list[tuple[int, str]], more: bool) -> bool:
    """A block's first line that is short, not a bullet and not the end of a sentence,
    standing alone before more text, or leading straight into bullets."""
    if len(block) == 1:
        if not more:
            return False
    elif not _BULLET.match(block[1][1]):
        return False
    line = block[0][1]
    if line[:1].isspace() or _BULLET.match(line) or _STAMP.search(line):
        return False
    words = line.split()
    if len(line) > _HEADING_MAX_CHARS or len(words) > _HEADING_MAX_WORDS:
        return False
    end = line.rstrip(_CLOSERS) or line
    if end.endswith(_SENTENCE_END):
        return False
    return not line.strip()[:1].islower()


def _plain(text: str):
    """Text with its `[..]` stamps taken out (offsets in the text that remains)."""
    raws: list[str] = []

    def mark(m: re.Match[str]) -> str:
        if not timestamps.is_time(m.group(1)):
            return m.group(0)
        raws.append(m.group(1))
        return " \ue000"

    s = " ".join(_STAMP.sub(mark, text).split())
    return place_stamps(s, raws)

