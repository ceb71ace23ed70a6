"""WebVTT captions: ordinary files and YouTube's rolling auto-captions.

webvtt-py parses the blocks (NOTE, STYLE and REGION blocks are skipped, cue
identifiers and settings set aside). What the cues mean is ours to work out:

- Ordinary WebVTT: each cue is a piece of text (its lines joined), with its
  `<v Speaker>` voice, if any.
- YouTube auto-captions roll: a cue shows the previous line on top and types
  the new line below it with `<00:00:01.234><c> word</c>` timings, then a 10 ms
  cue shows the new line alone. Only new text is taken, each word with its own
  time (a line's first word starts with its cue).
"""

from __future__ import annotations

import re
from pathlib import Path

import webvtt
from webvtt.errors import MalformedCaptionError, MalformedFileError

from ..model import Document, ReadError, Role
from ..naming import channel_from_name, language_from_name, title_and_id
from ..paragraphs import Piece, build_paragraphs
from ..textio import strip_controls
from .srt import clean_caption_text

# `<00:00:01.234>` word timing inside a cue line (hours optional).
_WORD_TIME = re.compile(r"<((?:\d+:)?\d{1,2}:\d{2}\.\d{3})>")
_TIMING_LINE = re.compile(r"^\s*((?:\d+:)?\d{1,2}:\d{2}\.\d{3})\s*-->\s*((?:\d+:)?\d{1,2}:\d{2}\.\d{3})")
_C_TAG = re.compile(r"</?c(?:\.[\w.-]*)?>")
_VOICE = re.compile(r"<v(?:\.[^\s>]+)*(?:\s+([^>]*))?>")
# YouTube's 10 ms cue that repeats the line just typed.
_BLINK = 0.05


def read(text: str, path: str) -> list[Document]:
    name = strip_controls(Path(path).name)
    body = text.lstrip("\ufeff")
    try:
        vtt = webvtt.from_string(body)
    except (MalformedFileError, MalformedCaptionError) as exc:
        raise ReadError(f"{name} is not a readable WebVTT file (it must start with WEBVTT): {exc}") from None
    header = _header_fields(vtt.metadata)
    rolling = is_rolling(vtt.captions)
    pieces = rolling_pieces(vtt.captions, _timing_lines(body)) if rolling else cue_pieces(vtt.captions, _timing_lines(body))
    pieces = [p for p in pieces if p.text]
    if not pieces:
        raise ReadError(f"{name} holds no captions with text")
    title, video_id = title_and_id(path)
    return [
        Document(
            path=path,
            role=Role.TRANSCRIPT,
            format="youtube-vtt" if rolling else "vtt",
            title=header.get("title") or title,
            channel=channel_from_name(path),
            video_id=header.get("video") or video_id,
            language=header.get("language") or language_from_name(path),
            segments=build_paragraphs(pieces),
        )
    ]


def _header_fields(metadata: list[str]) -> dict[str, str]:
    """`Kind: captions`, `Language: en`, `Video: JzvRJs6q4tM`... as lower-case keys."""
    fields = {}
    for line in metadata:
        key, sep, value = line.partition(":")
        if sep and value.strip():
            fields[key.strip().lower()] = strip_controls(value.strip())
    video = fields.get("video", "")
    if video and not re.fullmatch(r"[A-Za-z0-9_-]{11}", video):
        fields.pop("video")
    return fields


def _seconds(stamp: str) -> float:
    if len(stamp) == 12:  # HH:MM:SS.mmm, nearly always
        return (int(stamp[:2]) * 3600000 + int(stamp[3:5]) * 60000 + int(stamp[6:8]) * 1000 + int(stamp[9:])) / 1000
    parts = stamp.split(":")
    seconds = float(parts[-1])
    minutes = int(parts[-2]) if len(parts) >= 2 else 0
    hours = int(parts[-3]) if len(parts) >= 3 else 0
    return round(hours * 3600 + minutes * 60 + seconds, 3)


def _timing_lines(text: str) -> list[tuple[int, int, int]]:
    """(file line, start ms, end ms) of every cue timing line, in file order."""
    found = []
    if "-->" not in text:
        return found
    for number, line in enumerate(text.split("\n"), start=1):
        if "-->" in line:
            m = _TIMING_LINE.match(line)
            if m:
                found.append((number, round(_seconds(m.group(1)) * 1000), round(_seconds(m.group(2)) * 1000)))
    return found


class _Lines:
    """Pairs parsed cues with the file line of their timings (cues come in file order)."""

    def __init__(self, timing_lines: list[tuple[int, int, int]]) -> None:
        self.timing_lines = timing_lines
        self.at = 0
        self.line = 0

    def of(self, cap: webvtt.Caption) -> int:
        key = (cap.start_time.in_milliseconds(), cap.end_time.in_milliseconds())
        for i in range(self.at, min(len(self.timing_lines), self.at + 50)):
            if self.timing_lines[i][1:] == key:
                self.line, self.at = self.timing_lines[i][0], i + 1
                break
        return self.line


def is_rolling(captions: list[webvtt.Caption]) -> bool:
    """YouTube auto-captions: word timing tags, or many 10 ms repeat cues."""
    blinks = 0
    for cap in captions[:400]:
        raw = cap.raw_text
        if "<c>" in raw or _WORD_TIME.search(raw):
            return True
        if cap.end_time.in_milliseconds() - cap.start_time.in_milliseconds() <= _BLINK * 1000:
            blinks += 1
    return len(captions) >= 6 and blinks * 4 >= min(len(captions), 400)


def cue_pieces(captions: list[webvtt.Caption], timing_lines: list[tuple[int, int, int]]) -> list[Piece]:
    """One piece per cue: its lines joined, its voice kept as the speaker."""
    lines = _Lines(timing_lines)
    pieces = []
    for cap in captions:
        speaker = None
        match = _VOICE.search(cap.raw_text)
        if match and match.group(1):
            speaker = clean_caption_text([match.group(1)]) or None
        start = cap.start_time.in_milliseconds() / 1000
        end = max(start, cap.end_time.in_milliseconds() / 1000)
        pieces.append(Piece(clean_caption_text(cap.lines), start, end, lines.of(cap), speaker))
    return pieces


def rolling_pieces(captions: list[webvtt.Caption], timing_lines: list[tuple[int, int, int]]) -> list[Piece]:
    """The new text of rolling cues, one piece per word where words are timed."""
    lines = _Lines(timing_lines)
    pieces: list[Piece] = []
    shown: list[str] = []  # plain text of the lines taken so far (the last few)
    for cap in captions:
        start = cap.start_time.in_milliseconds() / 1000
        end = max(start, cap.end_time.in_milliseconds() / 1000)
        raw_lines = [raw for raw in cap.lines if raw.strip()]
        plain = [_clean_line(raw) for raw in raw_lines]
        timed = [bool(_WORD_TIME.search(raw)) for raw in raw_lines]
        # Leading untimed lines that repeat the lines last taken are the rolling display.
        old = 0
        for m in range(len(plain), 0, -1):
            if not any(timed[:m]) and plain[:m] == shown[-m:]:
                old = m
                break
        line = lines.of(cap)
        for raw, text, has_times in zip(raw_lines[old:], plain[old:], timed[old:]):
            if not text:
                continue
            if has_times:
                pieces.extend(_timed_words(raw, start, end, line))
            else:
                pieces.append(Piece(text, start, end, line))
            shown.append(text)
        del shown[:-4]
    return pieces


def _timed_words(raw: str, start: float, end: float, line: int) -> list[Piece]:
    """Pieces for each word of a `word<00:00:01.234><c> word</c>` line, each at its own time."""
    parts = _WORD_TIME.split(raw)
    # parts: text, time, text, time, text...: each text runs from the time before it.
    spans = [(start, parts[0])] + [(_seconds(parts[k]), parts[k + 1]) for k in range(1, len(parts) - 1, 2)]
    words: list[tuple[float, str]] = []
    for t, chunk in spans:
        text = _clean_chunk(chunk)
        if text:
            t = min(max(t, start), end)
            words.extend((t, w) for w in text.split())
    out = []
    for k, (t, w) in enumerate(words):
        nxt = words[k + 1][0] if k + 1 < len(words) else end
        out.append(Piece(w, t, max(t, nxt), line))
    return out


def _clean_chunk(chunk: str) -> str:
    """clean_caption_text for one timed word, with a fast path for the usual `<c> word</c>`."""
    if "&" in chunk or "\\" in chunk or "{" in chunk:
        return clean_caption_text([chunk])
    if "<" in chunk:
        chunk = _C_TAG.sub("", chunk)
        if "<" in chunk:
            return clean_caption_text([chunk])
    return chunk.strip()


def _clean_line(raw: str) -> str:
    """clean_caption_text for one rolling line, with a fast path for plain words and timing tags."""
    if "&" in raw or "\\" in raw or "{" in raw:
        return clean_caption_text([raw])
    if "<" in raw:
        raw = _WORD_TIME.sub(" ", _C_TAG.sub("", raw))
        if "<" in raw:
            return clean_caption_text([raw])
    return " ".join(raw.split())
