"""WebVTT captions: ordinary files and YouTube's rolling auto-captions.

A regular file (a header, then only cue blocks, as YouTube and most tools
write them) is split into cues by one compiled regex: webvtt-py's per-cue
objects and settings parsing cost more than everything else in reading a
3-hour talk. Anything else (NOTE, STYLE or REGION blocks, short or
out-of-range times, `-->` in text, CR line ends) is parsed by webvtt-py (NOTE,
STYLE and REGION blocks skipped, cue identifiers and settings set aside); the
two agree on regular files (tests/test_reader_fastpaths.py). What the cues
mean is ours to work out:

- Ordinary WebVTT: each cue is a piece of text (its lines joined), with its
  `<v Speaker>` voice, if any.
- YouTube auto-captions roll: a cue shows the previous line on top and types
  the new line below it with `<00:00:01.234><c> word</c>` timings, then a 10 ms
  cue shows the new line alone. Only new text is taken, each word with its own
  time (a line's first word starts with its cue).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import webvtt
from webvtt.errors import MalformedCaptionError, MalformedFileError

from ..model import Document, ReadError
from ..paragraphs import Piece
from ..textio import strip_controls
from .srt import clean_caption_text, transcript_documents

# `<00:00:01.234>` word timing inside a cue line (hours optional).
_WORD_TIME = re.compile(r"<((?:\d+:)?\d{1,2}:\d{2}\.\d{3})>")
_TIMING_LINE = re.compile(r"^\s*((?:\d+:)?\d{1,2}:\d{2}\.\d{3})\s*-->\s*((?:\d+:)?\d{1,2}:\d{2}\.\d{3})")
_C_TAG = re.compile(r"</?c(?:\.[\w.-]*)?>")
_VOICE = re.compile(r"<v(?:\.[^\s>]+)*(?:\s+([^>]*))?>")
# YouTube's 10 ms cue that repeats the line just typed.
_BLINK = 0.05

# One cue block of a regular file: an optional identifier line, strict
# `HH:MM:SS.mmm --> HH:MM:SS.mmm` timings (any cue settings after a space),
# then its text lines up to an empty line. Times that webvtt-py would refuse
# (minutes or seconds over 59) do not match, so every match is a cue it keeps.
_REGULAR_CUE = re.compile(
    r"(?:([^\n]+)\n)??"
    r"([0-9]{2,9}):([0-5][0-9]):([0-5][0-9])\.([0-9]{3})[ \t]+-->[ \t]+"
    r"([0-9]{2,9}):([0-5][0-9]):([0-5][0-9])\.([0-9]{3})(?:[ \t][^\n]*)?"
    r"((?:\n[^\n]+)*)"  # the text lines (a line of spaces is text in WebVTT)
    r"(?:\n\n+|\n?\Z)"  # an empty line ends the block
)


@dataclass(slots=True)
class Cue:
    """A parsed cue: times in milliseconds, its text lines as written, its timing line in the file."""

    start_ms: int
    end_ms: int
    lines: list[str]
    line: int

    @property
    def raw_text(self) -> str:
        return "\n".join(self.lines)


def read(text: str, path: str) -> list[Document]:
    name = strip_controls(Path(path).name)
    body = text.lstrip("\ufeff")
    parsed = regular_cues(body)
    if parsed is None:
        try:
            vtt = webvtt.from_string(body)
        except (MalformedFileError, MalformedCaptionError) as exc:
            raise ReadError(f"{name} is not a readable WebVTT file (it must start with WEBVTT): {exc}") from None
        parsed = vtt.metadata, webvtt_cues(vtt.captions, _timing_lines(body))
    metadata, cues = parsed
    header = _header_fields(metadata)
    rolling = is_rolling(cues)
    pieces = rolling_pieces(cues) if rolling else cue_pieces(cues)
    docs = transcript_documents(path, "youtube-vtt" if rolling else "vtt", pieces, "captions")
    doc = docs[0]
    # The file's own header wins over what its name says.
    doc.title = header.get("title") or doc.title
    doc.video_id = header.get("video") or doc.video_id
    doc.language = header.get("language") or doc.language
    return docs


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


def regular_cues(body: str) -> tuple[list[str], list[Cue]] | None:
    """The header lines and cues of a regular file (see _REGULAR_CUE), or None for anything else."""
    if not body.startswith("WEBVTT") or "\r" in body:
        return None
    header_end = body.find("\n\n")
    if header_end < 0:
        return None
    header = body[:header_end].split("\n")
    if "-->" in body[:header_end]:
        return None  # a cue inside the header: webvtt-py's rules for that
    pos = header_end + 2
    while pos < len(body) and body[pos] == "\n":
        pos += 1
    line = 1 + pos - header_end - 2 + len(header) + 1  # the 1-based line at pos
    cues: list[Cue] = []
    match_at = _REGULAR_CUE.match
    end = len(body)
    while pos < end:
        m = match_at(body, pos)
        if m is None:
            return None
        ident, h1, m1, s1, f1, h2, m2, s2, f2, payload = m.groups()
        if "-->" in payload or (ident is not None and "-->" in ident):
            return None  # a line that could start a cue of its own
        cues.append(
            Cue(
                ((int(h1) * 60 + int(m1)) * 60 + int(s1)) * 1000 + int(f1),
                ((int(h2) * 60 + int(m2)) * 60 + int(s2)) * 1000 + int(f2),
                payload[1:].split("\n") if payload else [],
                line + (ident is not None),
            )
        )
        line += body.count("\n", pos, m.end())
        pos = m.end()
    return header[1:], cues


def webvtt_cues(captions: list[webvtt.Caption], timing_lines: list[tuple[int, int, int]]) -> list[Cue]:
    """Cues from webvtt-py's captions, each paired with the file line of its timings.

    Captions come in file order (some dropped), so one forward walk over the
    timing lines pairs them.
    """
    cues = []
    at = 0
    line = 0
    for cap in captions:
        start, end = cap.start_time.in_milliseconds(), cap.end_time.in_milliseconds()
        for i in range(at, min(len(timing_lines), at + 50)):
            if timing_lines[i][1:] == (start, end):
                line, at = timing_lines[i][0], i + 1
                break
        cues.append(Cue(start, end, cap.lines, line))
    return cues


def is_rolling(cues: list[Cue]) -> bool:
    """YouTube auto-captions: word timing tags, or many 10 ms repeat cues."""
    blinks = 0
    for cue in cues[:400]:
        raw = cue.raw_text
        if "<c>" in raw or _WORD_TIME.search(raw):
            return True
        if cue.end_ms - cue.start_ms <= _BLINK * 1000:
            blinks += 1
    return len(cues) >= 6 and blinks * 4 >= min(len(cues), 400)


def cue_pieces(cues: list[Cue]) -> list[Piece]:
    """One piece per cue: its lines joined, its voice kept as the speaker."""
    pieces = []
    for cue in cues:
        speaker = None
        match = _VOICE.search(cue.raw_text)
        if match and match.group(1):
            speaker = clean_caption_text([match.group(1)]) or None
        start = cue.start_ms / 1000
        end = max(start, cue.end_ms / 1000)
        pieces.append(Piece(clean_caption_text(cue.lines), start, end, cue.line, speaker))
    return pieces


def rolling_pieces(cues: list[Cue]) -> list[Piece]:
    """The new text of rolling cues, one piece per word where words are timed."""
    pieces: list[Piece] = []
    shown: list[str] = []  # plain text of the lines taken so far (the last few)
    for cue in cues:
        start = cue.start_ms / 1000
        end = max(start, cue.end_ms / 1000)
        raw_lines = [raw for raw in cue.lines if raw.strip()]
        plain = [_clean_line(raw) for raw in raw_lines]
        timed = [bool(_WORD_TIME.search(raw)) for raw in raw_lines]
        # Leading untimed lines that repeat the lines last taken are the rolling display.
        old = 0
        for m in range(len(plain), 0, -1):
            if not any(timed[:m]) and plain[:m] == shown[-m:]:
                old = m
                break
        line = cue.line
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
