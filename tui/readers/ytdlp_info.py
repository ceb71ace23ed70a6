"""yt-dlp's metadata sidecars: `Title [ID].info.json` and `Title [ID].description`.

`--write-info-json` writes the video's metadata as yt-dlp extracted it. The
fields read here (yt-dlp's own names):

    id, title, fulltitle, channel, uploader, duration (seconds),
    upload_date ("YYYYMMDD"), webpage_url, original_url, description,
    chapters: [{"start_time": 0.0, "end_time": 95.0, "title": "Intro"}, ...],
    _type: "video" (a playlist's own file says "playlist")

It becomes a summary document of format "info": the description (its
paragraphs, bullets and chapter lines) with the creator's chapters as its
outline (origin "chapter"), and the fields that name the talk. Grouping lets it
enrich the talk of the same id; alone it is a talk with an outline and no
transcript. A playlist's or channel's info.json describes no one video: it is
skipped (`Skipped`), as is a file holding no field of a video at all.

`--write-description` writes the description alone: see `description.py`.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

from ..model import Document, OutlineEntry, ReadError, Role, Segment, Skipped, Stamp
from ..naming import VIDEO_ID, channel_from_name, title_and_id, video_id_from_url
from ..textio import strip_controls
from .dump import description_segments

# Keys that only a yt-dlp info dict has (a transcript JSON has none of them).
INFO_KEYS = ("extractor", "extractor_key", "webpage_url", "fulltitle", "upload_date", "_type", "uploader", "formats")
_DATE = re.compile(r"\A(\d{4})(\d{2})(\d{2})\Z")


def looks_like_info(data: Any) -> bool:
    return isinstance(data, dict) and sum(key in data for key in INFO_KEYS) >= 2


def _text(value: Any) -> str | None:
    if isinstance(value, str):
        value = " ".join(strip_controls(value).split())
        return value or None
    return None


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    value = float(value)
    return value if math.isfinite(value) and value >= 0 else None


def upload_date(value: Any) -> str | None:
    """yt-dlp's `20240501` as `2024-05-01`; None when it is not a date."""
    m = _DATE.match(value) if isinstance(value, str) else None
    if not m or not ("01" <= m.group(2) <= "12" and "01" <= m.group(3) <= "31"):
        return None
    return f"{m.group(1)}-{m.group(2)}-{m.group(3)}"


def read(text: str, path: str) -> list[Document]:
    name = strip_controls(Path(path).name)
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise ReadError(f"{name} is not valid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise ReadError(f"{name} is not a yt-dlp info file: expected a JSON object")
    return [info_document(data, path)]


def info_document(data: dict, path: str) -> Document:
    name = strip_controls(Path(path).name)
    kind = data.get("_type", "video")
    if kind in ("playlist", "multi_video", "url", "url_transparent") or isinstance(data.get("entries"), list):
        raise Skipped(f"{name} describes a playlist or channel, not one video")
    file_title, file_id = title_and_id(path)
    raw_id = _text(data.get("id"))
    url = _text(data.get("webpage_url")) or _text(data.get("original_url"))
    extractor = (_text(data.get("extractor_key")) or _text(data.get("extractor")) or "").casefold()
    video_id = None
    if raw_id and VIDEO_ID.match(raw_id) and (extractor.startswith("youtube") or not extractor):
        video_id = raw_id
    video_id = video_id or video_id_from_url(url) or file_id
    title = _text(data.get("title")) or _text(data.get("fulltitle"))
    channel = _text(data.get("channel")) or _text(data.get("uploader")) or channel_from_name(path)
    duration = _number(data.get("duration"))
    if not (title or video_id or url):
        raise Skipped(f"{name} names no video")
    description = data.get("description") if isinstance(data.get("description"), str) else ""
    segments, outline = description_segments(strip_controls(description), 0)
    segments, outline = with_chapters(segments, outline, data.get("chapters"), duration)
    date = upload_date(data.get("upload_date"))
    if date:
        # Where the talk comes from and when, as the first line of its description.
        about = " · ".join(x for x in (channel, f"uploaded {date}") if x)
        segments.insert(0, Segment(None, None, about, kind="annotation"))
        for entry in outline:
            entry.segment += 1
    return Document(
        path=path,
        role=Role.SUMMARY,
        format="info",
        title=title or file_title,
        channel=channel,
        video_id=video_id,
        url=url,
        duration=duration,
        language=_text(data.get("language")),
        segments=segments,
        outline=outline,
    )


def with_chapters(
    segments: list[Segment], outline: list[OutlineEntry], chapters: Any, duration: float | None
) -> tuple[list[Segment], list[OutlineEntry]]:
    """The description's outline with yt-dlp's `chapters` as its timed entries.

    A chapter the description lists as a line points at that line; one it does
    not list gets a line of its own under a "Chapters" heading. The
    description's own chapter lines give way to `chapters` (the same list, as
    YouTube read it), its headings stay.
    """
    parsed = []
    for item in chapters if isinstance(chapters, list) else []:
        if not isinstance(item, dict):
            continue
        start = _number(item.get("start_time"))
        title = _text(item.get("title"))
        if start is None or not title or (duration and start > duration + 1):
            continue
        parsed.append((start, title))
    if not parsed:
        return segments, outline
    parsed.sort(key=lambda c: c[0])
    by_start = {}
    for i, seg in enumerate(segments):
        if seg.start is not None and seg.stamps and seg.start not in by_start:
            by_start[seg.start] = i
    entries = [e for e in outline if e.origin != "chapter"]
    missing = [(s, t) for s, t in parsed if int(s) not in by_start and s not in by_start]
    if missing:
        heading_at = len(segments)
        entries.append(OutlineEntry("Chapters", 1, None, segment=heading_at, origin="none"))
        for start, title in missing:
            clock = _clock(start)
            by_start[start] = len(segments)
            segments.append(Segment(start, None, f"{clock} {title}", kind="bullet", stamps=(Stamp(0, start, clock),)))
    for start, title in parsed:
        at = by_start.get(start, by_start.get(int(start)))
        entries.append(OutlineEntry(title, 2 if missing else 1, start, segment=at, origin="chapter"))
    entries.sort(key=lambda e: (e.segment, e.origin == "chapter"))
    return segments, entries


def _clock(seconds: float) -> str:
    s = int(seconds)
    return f"{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}" if s >= 3600 else f"{s // 60}:{s % 60:02d}"
