"""Transcript JSON: `[{"text", "start", "duration"}, ...]`.

That is what transcript-download tools write. Also read: the same list inside
`{"segments" | "transcript" | "events": [...]}` (Whisper writes `start`/`end`,
YouTube's json3 writes `tStartMs`/`dDurationMs`/`segs`), the Podcasting 2.0
transcript (`{"version", "segments": [{"speaker", "startTime", "endTime",
"body"}]}`, a word or a sentence an item; a change of `speaker` starts a
paragraph), numbers written as strings, and items without a duration. A file named by its video id
(`dQw4w9WgXcQ.json`) belongs to that video.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

from ..model import Document, ReadError
from ..textio import strip_controls
from ..naming import VIDEO_ID, named_by_id
from ..paragraphs import Piece
from .srt import clean_caption_text, clean_caption_texts, transcript_documents
from .ytdlp_info import info_document, looks_like_info

_WRAPPERS = ("segments", "transcript", "events")
_GAP = re.compile(r"[\s,]*")
_EXPECTED = 'expected a list of {"text", "start", "duration"} items'


def _seconds(value: Any, scale: float = 1.0) -> float | None:
    """A time in seconds from a number or a numeric string; None when it is not one."""
    if type(value) is float and scale == 1.0:  # nearly always: skip the checks below
        return value if 0.0 <= value < math.inf else None
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return None
    if isinstance(value, str) and len(value) > 40:  # no time is written that long
        return None
    try:
        number = float(value) * scale
    except (ValueError, OverflowError):
        return None
    return number if math.isfinite(number) and number >= 0 else None


def _item_text(item: dict) -> str:
    text = item.get("text", item.get("body"))  # `body`: Podcasting 2.0
    if isinstance(text, str):
        return text
    segs = item.get("segs")  # json3: the words of one event
    if isinstance(segs, list):
        return "".join(s["utf8"] for s in segs if isinstance(s, dict) and isinstance(s.get("utf8"), str))
    return ""


def _item_lines(text: str, count: int) -> list[int]:
    """The file line each item of a top-level list starts on (for bookmarks); [] if unclear."""
    if "\n" not in text:
        return [1] * count  # one line (as json.dumps writes it): every item is on it
    decoder = json.JSONDecoder()
    pos = text.find("[") + 1
    line = 1 + text.count("\n", 0, pos)
    lines: list[int] = []
    try:
        while len(lines) < count:
            gap = _GAP.match(text, pos).end()
            line += text.count("\n", pos, gap)
            lines.append(line)
            _, pos = decoder.raw_decode(text, gap)
            line += text.count("\n", gap, pos)
    except (ValueError, RecursionError):
        return []
    return lines


def _piece(item: Any, line: int, text: str) -> Piece | None:
    """The piece of one item whose text is already cleaned."""
    if not text:
        return None
    if "tStartMs" in item:
        start = _seconds(item.get("tStartMs"), 0.001)
        duration = _seconds(item.get("dDurationMs"), 0.001)
    else:
        start = _seconds(item.get("start", item.get("offset", item.get("startTime"))))
        duration = _seconds(item.get("duration", item.get("dur")))
    end = _seconds(item.get("end", item.get("endTime")))
    if end is None and start is not None and duration is not None:
        end = start + duration
    if start is not None and end is not None and end < start:
        end = start
    speaker = item.get("speaker")
    if isinstance(speaker, str):
        speaker = clean_caption_text([speaker]) or None
    else:
        speaker = None  # a number or a list is no one's name
    return Piece(text, start, end, line, speaker)


def _items(data: Any) -> list | None:
    if isinstance(data, list):
        return data
    if isinstance(data, dict):
        for key in _WRAPPERS:
            if isinstance(data.get(key), list):
                return data[key]
    return None


def json3_pieces(events: list) -> list[Piece] | None:
    """YouTube's json3 timed text (`--sub-format json3`): a piece per word where the
    events time their words, else a piece per event; None when no event has `segs`.

        {"tStartMs": 2399, "dDurationMs": 6801, "wWinId": 1,
         "segs": [{"utf8": "hey", "acAsrConf": 0}, {"utf8": " in", "tOffsetMs": 201}]}
        {"tStartMs": 4430, "dDurationMs": 4770, "wWinId": 1, "aAppend": 1, "segs": [{"utf8": "\\n"}]}

    Auto-captions time each word by `tOffsetMs` from its event's start; events
    overlap on screen but never repeat words, so nothing needs deduplicating.
    An event that only appends a line break holds no words.
    """
    timed = [e for e in events if isinstance(e, dict) and isinstance(e.get("segs"), list)]
    if not timed:
        return None
    words: list[tuple[float, float | None, str]] = []  # (start, event end, text)
    for event in timed:
        start = _seconds(event.get("tStartMs"), 0.001)
        if start is None:
            continue
        length = _seconds(event.get("dDurationMs"), 0.001)
        end = start + length if length is not None else None
        for seg in event["segs"]:
            if not isinstance(seg, dict) or not isinstance(seg.get("utf8"), str):
                continue
            offset = _seconds(seg.get("tOffsetMs", 0), 0.001) or 0.0
            words.append((start + offset, end, seg["utf8"]))
    texts = clean_caption_texts([w[2] for w in words])
    pieces: list[Piece] = []
    for (start, end, _), text in zip(words, texts):
        if text:
            pieces.append(Piece(text, start, end))
    pieces.sort(key=lambda p: p.start or 0.0)  # stable: words of one event keep their order
    # A word lasts until the next one starts (or its event ends, if sooner).
    for piece, after in zip(pieces, pieces[1:]):
        if after.start is not None and (piece.end is None or after.start < piece.end):
            piece.end = max(piece.start or 0.0, after.start)
    if pieces and pieces[-1].end is None:
        pieces[-1].end = pieces[-1].start
    return pieces


def read(text: str, path: str) -> list[Document]:
    name = strip_controls(Path(path).name)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ReadError(f"{name} is not valid JSON (line {exc.lineno}, column {exc.colno}): {exc.msg}") from None
    except RecursionError:
        raise ReadError(f"{name} is nested too deeply to be a transcript") from None
    except ValueError as exc:  # e.g. an integer too long to convert
        if "integer string conversion" in str(exc):
            raise ReadError(f"{name} is not valid JSON for a transcript: it holds a number of thousands of digits") from None
        raise ReadError(f"{name} is not valid JSON: {exc}") from None
    if looks_like_info(data):  # yt-dlp's metadata under another name
        return [info_document(data, path)]
    if isinstance(data, dict) and isinstance(data.get("events"), list):
        pieces = json3_pieces(data["events"])
        if pieces is not None:
            return _named(transcript_documents(path, "json3", pieces, "caption events"), data)
    items = _items(data)
    if items is None:
        raise ReadError(f"{name} is JSON but not a transcript: {_EXPECTED}")
    lines = (_item_lines(text, len(items)) if isinstance(data, list) else []) or [0] * len(items)
    kept = [(item, line) for item, line in zip(items, lines) if isinstance(item, dict)]  # others hold no text
    texts = clean_caption_texts([_item_text(item) for item, _ in kept])  # cleaned in one pass
    pieces = [p for (item, line), text in zip(kept, texts) if (p := _piece(item, line, text)) is not None]
    # Without a duration an item lasts until the next one starts.
    for piece, after in zip(pieces, pieces[1:]):
        if piece.end is None and piece.start is not None and after.start is not None and after.start >= piece.start:
            piece.end = after.start
    if pieces and pieces[-1].end is None:
        pieces[-1].end = pieces[-1].start  # the talk lasts at least until its last item starts
    if not pieces:
        raise ReadError(f"{name} holds no transcript text: {_EXPECTED}")
    return _named(transcript_documents(path, "json", pieces, "transcript items"), data)


def _named(docs: list[Document], data: Any) -> list[Document]:
    if docs[0].title == docs[0].video_id or (docs[0].video_id and named_by_id(docs[0].path, docs[0].video_id)):
        docs[0].title = None  # `ID.json` names its video, not its title: let other files title the talk
    if isinstance(data, dict):
        # A wrapper may name its video: keep what it says over the file name.
        doc = docs[0]
        title = data.get("title")
        if isinstance(title, str) and clean_caption_text([title]):
            doc.title = clean_caption_text([title])
        for key in ("videoId", "video_id"):
            video_id = data.get(key)
            if isinstance(video_id, str) and VIDEO_ID.match(video_id):
                doc.video_id = video_id
    return docs
