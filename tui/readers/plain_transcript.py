"""Plain-text transcripts: one caption or one sentence per line, nothing else.

That is what youtube-transcript-api's TextFormatter and many pipelines write
(`Talk.en.txt`). Such a file has no summary structure: no `From:` line, no
bullets, no timestamps, no headings; most of its lines are short and few are
blank. It is read as an untimed transcript (format "text"), joined into
paragraphs of whole sentences. When the talk's length is known, from a
`duration` header line or the yt-dlp `.info.json` beside it, each paragraph
gets a time estimated by word position (marked estimated, shown with ≈).
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

from ..model import Document, ReadError, Role
from ..naming import channel_from_name, language_from_name, talk_stem, title_and_id
from ..paragraphs import Piece, build_paragraphs
from ..textio import strip_controls

MIN_LINES = 8
MIN_WORDS = 120
# A caption line is short; a sentence per line is longer, but not a paragraph.
MAX_MEDIAN_LINE = 220

_STAMP = re.compile(r"\[?\(?\b\d{1,2}:\d{2}(?::\d{2})?\b")
_BULLET = re.compile(r"^\s*(?:[•●▪◦‣*+-]|\d{1,3}[.)])\s+")
_FROM = re.compile(r"^\s*From\s*[:：]", re.I)
_HEADING = re.compile(r"^\s*#{1,6}\s")
_DURATION = re.compile(r"^\s*(?:duration|length)(?:_seconds)?\s*[:：]\s*(\S.*)$", re.I)


def looks_like_plain_transcript(text: str) -> bool:
    """Lines that read as captions or sentences, with no sign of a summary's structure."""
    lines = text.split("\n", 5000)[:5000]
    filled = [line.strip() for line in lines if line.strip()]
    if len(filled) < MIN_LINES:
        return False
    words = sum(len(line.split()) for line in filled)
    if words < MIN_WORDS:
        return False
    structure = sum(
        1 for line in filled[:2000] if _BULLET.match(line) or _FROM.match(line) or _HEADING.match(line) or _STAMP.search(line)
    )
    if structure > len(filled[:2000]) * 0.02:
        return False
    blank = len(lines) - len(filled)
    if blank > len(filled):  # a blank line after every line: paragraphs, not captions
        return False
    lengths = sorted(len(line) for line in filled)
    return lengths[len(lengths) // 2] <= MAX_MEDIAN_LINE


def read(text: str, path: str) -> list[Document]:
    name = strip_controls(Path(path).name)
    title, video_id = title_and_id(path)
    pieces = []
    duration = None
    for number, line in enumerate(text.split("\n"), 1):
        stripped = strip_controls(line).strip()
        if not stripped:
            continue
        if number <= 3 and duration is None:
            m = _DURATION.match(stripped)
            if m:
                from .dump import parse_duration

                duration = parse_duration(m.group(1))
                if duration is not None:
                    continue
        pieces.append(Piece(" ".join(stripped.split()), line=number))
    if not pieces:
        raise ReadError(f"{name} holds no transcript text")
    segments = build_paragraphs(pieces)
    duration = duration or sidecar_duration(path)
    if duration:
        estimate_times(segments, duration)
    return [
        Document(
            path=path,
            role=Role.TRANSCRIPT,
            format="text",
            title=title,
            channel=channel_from_name(path),
            video_id=video_id,
            duration=duration,
            language=language_from_name(path),
            segments=segments,
        )
    ]


def estimate_times(segments, duration: float) -> None:
    from .dump import _estimate_times

    _estimate_times(segments, duration)


def sidecar_info(path: str) -> str | None:
    """The yt-dlp `.info.json` of the same name beside the file, if there is one."""
    folder = os.path.dirname(path) or "."
    stem = talk_stem(path)
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.name.lower().endswith(".info.json") and talk_stem(entry.name) == stem:
                    return entry.path
    except OSError:
        return None
    return None


def sidecar_duration(path: str) -> float | None:
    """The length the `.info.json` beside the file gives, if there is one."""
    info = sidecar_info(path)
    if info is None:
        return None
    try:
        with open(info, encoding="utf-8", errors="replace") as f:
            data = json.load(f)
    except (OSError, ValueError, RecursionError):
        return None
    value = data.get("duration") if isinstance(data, dict) else None
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 0 < value < 10**6:
        return float(value)
    return None
