"""Transcript dumps: a text file of header fields, a Description and the Content.

    Timestamp: 2025-04-07T10:03:50.944182
    Title: Inside OpenAI [Entire Talk]
    URL: https://youtube.com/watch?v=Wmo2vR7U9ck
    Status: success
    Duration: 50:23

    Description:
    ...summary, maybe in another language, maybe with a Mermaid block...

    Content:
    WEBVTT Kind: captions Language: en who you are defines who you are defines ...

The Content is usually a rolling caption track flattened to one line: it is
deduplicated (tui.dedup) and paragraphed, with times estimated from Duration
by word position. When it still holds real cue timings (WebVTT with its line
breaks), those are read instead. The Description becomes a second document,
a summary of role SUMMARY and format "description".
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from ..dedup import dedup_words, strip_flat_header
from ..model import Document, OutlineEntry, ReadError, Role, Segment, Stamp
from ..naming import channel_from_name, title_and_id, video_id_from_url
from ..paragraphs import Piece, build_paragraphs
from ..textio import strip_controls
from .summary_blocks import BlockBuilder

_FIELD = re.compile(r"^([A-Z][A-Za-z ]{0,20}):[ \t]*(.*)$")
_SECTION = re.compile(r"^(Description|Content):[ \t]*(.*)$", re.M)
_CUE_TIMING = re.compile(r"^\s*(?:\d+:)?\d{1,2}:\d{2}[.,]\d{3}\s*-->", re.M)
_SRT_TIME = re.compile(r"(\d{2}:\d{2}),(\d{3})")
_FLAT_MARKUP = re.compile(
    r"(?:\d+:)?\d{1,2}:\d{2}[.,]\d{3}\s*-->\s*(?:\d+:)?\d{1,2}:\d{2}[.,]\d{3}(?:\s+(?:align|position|line|size|region|vertical):\S+)*"
    r"|</?c(?:\.[\w.-]*)?>|<(?:\d+:)?\d{1,2}:\d{2}\.\d{3}>|</?[biu]>|</?v(?:\s[^>]*)?>"
)
_ENTITY = re.compile(r"&(?:[A-Za-z]{2,8}|#\d{1,7}|#[xX][0-9a-fA-F]{1,6});")
_FLAT_LANGUAGE = re.compile(r"^\s*WEBVTT\b.{0,80}?\bLanguage:\s*([A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})?)")

# Description markup
_CODE_OPEN = re.compile(r"^\s*(?:<(Mermaid_Diagram|mermaid)>|```+\s*([\w+-]*)\s*$)", re.I)
_CHAPTER = re.compile(r"^\s*(?:[-*•]\s+)?\(?((?:\d{1,2}:)?\d{1,2}:\d{2})\)?\s*(?:[-–—:|.)]\s*)?(\S.*)$")
_BULLET = re.compile(r"^(\s*)(?:[-*+•]|\d{1,2}[.)])\s+(.*)$")
_HEADING = re.compile(r"^\s*(#{1,6})\s+(.*?)\s*#*\s*$")
_BOLD_LINE = re.compile(r"^\s*\*\*(.+?)\*\*\s*$")
_EMPHASIS = re.compile(r"\*\*(.+?)\*\*|__(.+?)__|`([^`\n]+)`")


def read(text: str, path: str) -> list[Document]:
    name = strip_controls(Path(path).name)
    sections = _sections(text)
    header_end = sections[0].start() if sections else len(text)
    fields = _header(text[:header_end])
    content_at = next((m for m in sections if m.group(1) == "Content"), None)
    desc_at = next((m for m in sections if m.group(1) == "Description"), None)
    if content_at is None and desc_at is None:
        raise ReadError(f"{name} has header fields but no Description or Content section")

    title = fields.get("title")
    file_title, file_id = title_and_id(path)
    url = fields.get("url") or None
    video_id = video_id_from_url(url) or file_id
    duration = parse_duration(fields.get("duration", ""))
    channel = fields.get("channel") or fields.get("uploader") or channel_from_name(path)
    meta = dict(path=path, title=title or file_title, channel=channel, url=url, video_id=video_id, duration=duration)

    docs: list[Document] = []
    if content_at is not None:
        body_start = content_at.start(2)
        content = text[body_start:]
        first_line = text.count("\n", 0, body_start) + 1
        transcript = _transcript(content, first_line, duration, path, meta)
        if transcript is not None:
            docs.append(transcript)
    if desc_at is not None:
        end = content_at.start() if content_at is not None and content_at.start() > desc_at.start() else len(text)
        desc_start = desc_at.start(2)
        first_line = text.count("\n", 0, desc_start) + 1
        segments, outline = description_segments(text[desc_start:end], first_line)
        if segments:
            docs.append(Document(role=Role.SUMMARY, format="description", segments=segments, outline=outline, **meta))
    if not docs:
        raise ReadError(f"{name} has an empty Content and Description")
    return docs


def _sections(text: str) -> list[re.Match]:
    """The `Description:` and `Content:` lines, first of each, in file order.

    Found with str.find (the Content line can be half a megabyte long, and a
    multi-line regex would try every position of it).
    """
    found = []
    for name in ("Description:", "Content:"):
        at = 0 if text.startswith(name) else text.find("\n" + name) + 1
        if at > 0 or text.startswith(name):
            m = _SECTION.match(text, at)
            if m:
                found.append(m)
    return sorted(found, key=lambda m: m.start())


def _header(block: str) -> dict[str, str]:
    fields = {}
    for line in block.split("\n"):
        m = _FIELD.match(line.strip())
        if m:
            fields[m.group(1).strip().lower()] = m.group(2).strip()
    return fields


def parse_duration(value: str) -> float | None:
    """`50:23` -> 3023, `1:02:03` -> 3723, `3023` or `3023.5` seconds; None when unreadable."""
    value = value.strip()
    m = re.fullmatch(r"(?:(\d{1,3}):)?(\d{1,3}):(\d{2})(?:\.\d+)?", value)
    if m:
        hours, minutes, seconds = int(m.group(1) or 0), int(m.group(2)), int(m.group(3))
        if seconds < 60:
            return float(hours * 3600 + minutes * 60 + seconds)
        return None
    m = re.fullmatch(r"(\d{1,6}(?:\.\d+)?)\s*(?:s|sec|seconds)?", value)
    if m:
        return float(m.group(1))
    return None


def _transcript(content: str, first_line: int, duration: float | None, path: str, meta: dict) -> Document | None:
    # Real cues put a timing line near the top; a flattened track is one long line.
    if _CUE_TIMING.search(content, 0, 4096) and "\n" in content.strip():
        return _timed_transcript(content, path, meta)
    language = None
    m = _FLAT_LANGUAGE.match(content)
    if m:
        language = m.group(1)
    if "<" in content or "-->" in content:
        # A caption file flattened with its markup: timings, cue settings and tags are not words.
        content = _FLAT_MARKUP.sub(" ", content)
    if _ENTITY.search(content):
        numeric = "&#" in content
        content = html.unescape(content).replace("\xa0", " ")
        if numeric:
            content = strip_controls(content)  # a numeric entity can spell a control character
    words = dedup_words(strip_flat_header(content).split())
    if not words:
        return None
    segments = build_paragraphs([Piece(" ".join(words), line=first_line)])
    if duration:
        _estimate_times(segments, duration)
    return Document(role=Role.TRANSCRIPT, format="dump", language=language, segments=segments, **meta)


def _estimate_times(segments: list[Segment], duration: float) -> None:
    """Spread the talk's duration over its words: each paragraph starts at its first word's share."""
    counts = [seg.text.count(" ") + 1 for seg in segments]  # words are joined by single spaces
    total = sum(counts) or 1
    done = 0
    for seg, count in zip(segments, counts):
        seg.start = round(duration * done / total, 1)
        done += count
        seg.end = round(duration * done / total, 1)
        seg.estimated = True


def _timed_transcript(content: str, path: str, meta: dict) -> Document | None:
    """Content that still has its cue timings: read them (WebVTT, or bare cues given a header)."""
    from . import vtt  # the WebVTT reader does the work

    body = content.strip()
    if not body.startswith("WEBVTT"):
        # Bare cues (SRT-style `00:00:01,000`): give them a header and WebVTT's decimal point.
        body = "WEBVTT\n\n" + _SRT_TIME.sub(r"\1.\2", body)
    try:
        (doc,) = vtt.read(body, path)
    except ReadError:
        return None
    doc.format = "dump"
    doc.title, doc.url, doc.video_id, doc.duration = meta["title"], meta["url"], meta["video_id"], meta["duration"]
    return doc


def description_segments(text: str, first_line: int) -> tuple[list[Segment], list[OutlineEntry]]:
    """A description's paragraphs, bullets, code blocks, headings and chapter lines.

    A description is written line by line (YouTube keeps its line breaks): a
    bullet is its one line, and a line of text after it starts a paragraph.
    """
    segments: list[Segment] = []
    outline: list[OutlineEntry] = []
    lines = text.split("\n")

    def emit(text: str, line: int, kind: str, level: int) -> None:
        text = _inline(text)
        if text:
            segments.append(Segment(None, None, text, line=line, kind=kind, level=level))

    builder = BlockBuilder(emit)
    i = 0
    while i < len(lines):
        raw = lines[i]
        number = first_line + i
        stripped = raw.strip()
        code = _CODE_OPEN.match(raw)
        if code:
            builder.end_list()
            closing = re.compile(rf"^\s*</{code.group(1)}>\s*$", re.I) if code.group(1) else re.compile(r"^\s*```+\s*$")
            j = i + 1
            while j < len(lines) and not closing.match(lines[j]):
                j += 1
            block = "\n".join(lines[i + 1 : j]).strip("\n")
            if block.strip():
                segments.append(Segment(None, None, block, line=number + 1, kind="code"))
            i = j + 1
            continue
        if not stripped:
            builder.flush()
            i += 1
            continue
        chapter = _CHAPTER.match(raw)
        seconds = _clock(chapter.group(1)) if chapter else None
        if chapter and seconds is not None:
            builder.end_list()
            title = _inline(chapter.group(2))
            outline.append(OutlineEntry(title, 1, seconds, segment=len(segments), origin="chapter"))
            segments.append(
                Segment(seconds, None, f"{chapter.group(1)} {title}", line=number, stamps=(Stamp(0, seconds, chapter.group(1)),))
            )
            i += 1
            continue
        heading = _HEADING.match(raw) or _BOLD_LINE.match(raw)
        if heading:
            builder.end_list()
            level = len(heading.group(1)) if heading.re is _HEADING else 2
            title = _inline(heading.group(heading.lastindex))
            # Like the other summary readers: a heading is an outline entry over the segments after it.
            outline.append(OutlineEntry(title, level, None, segment=len(segments), origin="none"))
            i += 1
            continue
        bullet = _BULLET.match(raw)
        if bullet:
            builder.bullet(bullet.group(2), number, len(bullet.group(1).expandtabs(4)))
            builder.flush()  # one line: see above
        elif builder.open:
            builder.extend(stripped)
        else:
            builder.paragraph(stripped, number)
        i += 1
    builder.flush()
    return segments, outline


def _inline(text: str) -> str:
    """Markdown-ish emphasis made plain: `**bold**`, `__bold__`, `code` lose their marks."""
    return _EMPHASIS.sub(lambda m: m.group(1) or m.group(2) or m.group(3), text).strip()


def _clock(stamp: str) -> float | None:
    parts = [int(p) for p in stamp.split(":")]
    if any(p >= 60 for p in parts[1:]):
        return None
    seconds = 0
    for p in parts:
        seconds = seconds * 60 + p
    return float(seconds)
