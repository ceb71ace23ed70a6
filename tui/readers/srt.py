"""SubRip (.srt) captions: numbered cues with `00:00:01,000 --> 00:00:04,000` timings.

webvtt-py parses the cues; we clean their text, note which line each cue
starts on (for bookmarks), and join the cues into paragraphs. The cleaning and
document building here are shared with the SBV and JSON readers.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Iterable, Sequence

import webvtt
from webvtt.errors import MalformedCaptionError, MalformedFileError

from ..model import Document, ReadError, Role
from ..naming import channel_from_name, language_from_name, title_and_id
from ..paragraphs import Piece, build_paragraphs
from ..textio import strip_controls

# Markup that caption files carry but a reader must not show: HTML-ish tags
# (`<i>`, `</font>`, `<c.colorE5E5E5>`), timestamp tags (`<00:00:01.000>`) and
# ASS override blocks (`{\an8}`). A bare `<` in text such as `a < b` stays.
_TAG = re.compile(r"</?[A-Za-z][^<>\n]*>|<\d[\d:.]*>|\{\\[^{}\n]*\}")
_SPACES = re.compile(r"\s+")

# `1` on one line, the timings on the next: where the first real cue starts.
_CUE_START = re.compile(r"^[ \t]*(\d+)[ \t]*\n(?=[ \t]*\d+:\d{1,2}:\d{1,2}[,.]\d+[ \t]*-->)", re.M)
_BARE_TIMING = re.compile(r"^(?=[ \t]*\d+:\d{1,2}:\d{1,2}[,.]\d+[ \t]*-->)", re.M)
_TIMING_LINE = re.compile(r"^\s*(\d+):(\d{1,2}):(\d{1,2})[,.](\d+)\s*-->\s*(\d+):(\d{1,2}):(\d{1,2})[,.](\d+)")

# One cue of a regular SRT file, as nearly every tool writes it: an ASCII cue
# number, the timings, one or more non-blank text lines, then blank lines.
# Files made only of such cues are split here with one compiled regex instead
# of webvtt-py, whose per-cue objects cost 20x the reading itself; anything
# else (text before the first cue, unnumbered cues, a cue without text, a
# text line holding `-->`, CR line ends) goes to webvtt-py as before. The
# fields are bounded so every time is one webvtt-py accepts, read the same way
# (fields carry over, the fraction is a number of milliseconds).
_REGULAR_CUE = re.compile(
    r"[0-9]+\n"
    r"([0-9]{1,9}):([0-9]{1,2}):([0-9]{1,2})[,.]([0-9]{1,3})[^\S\n]*-->[^\S\n]*"
    r"([0-9]{1,9}):([0-9]{1,2}):([0-9]{1,2})[,.]([0-9]{1,3})(?!\d)[^\n]*\n"
    r"([^\S\n]*\S[^\n]*(?:\n[^\S\n]*\S[^\n]*)*)"  # the text lines (spaces first: no backtracking)
    r"(?:\n[^\S\n]*)*"  # blank lines after them
)
# Anything that could make a cue's text more than its words and spaces.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean_caption_text(lines: Iterable[str]) -> str:
    """One line of plain text from a cue's lines: tags dropped, entities decoded.

    Entities are decoded after the tags are dropped, so an escaped `&lt;i&gt;`
    stays visible as the text `<i>`. Control characters a decoded entity could
    produce (`&#27;`) are stripped last. `[music]` and `>>` are kept: the
    paragraph builder gives them their meaning.
    """
    text = " ".join(lines)
    text = _TAG.sub("", text)
    text = html.unescape(text)
    text = strip_controls(text)
    return _SPACES.sub(" ", text).strip()


def clean_caption_texts(texts: Sequence[str]) -> list[str]:
    """clean_caption_text for many cue texts (lines joined by spaces or newlines).

    Most cues hold only words: no tag, entity, ASS block or control character
    can be in them, so collapsing the spaces is the whole cleaning.
    """
    plain = _CONTROL.search("".join(texts)) is None
    return [
        " ".join(t.split()) if plain and "<" not in t and "&" not in t and "{" not in t else clean_caption_text(t.split("\n"))
        for t in texts
    ]


def regular_srt_pieces(text: str) -> list[Piece] | None:
    """Pieces of a regular SRT file (see _REGULAR_CUE), or None for anything else."""
    if "\r" in text:
        return None
    pos = len(text) - len(text.lstrip("\n"))
    line = 1 + pos
    end = len(text)
    match_at = _REGULAR_CUE.match
    times: list[tuple[int, int, int]] = []
    texts: list[str] = []
    while pos < end:
        m = match_at(text, pos)
        if m is None:
            return None
        h1, m1, s1, f1, h2, m2, s2, f2, body = m.groups()
        if "-->" in body:
            return None  # webvtt-py may read such a line as a cue of its own
        start = ((int(h1) * 60 + int(m1)) * 60 + int(s1)) * 1000 + int(f1)
        stop = ((int(h2) * 60 + int(m2)) * 60 + int(s2)) * 1000 + int(f2)
        times.append((line + 1, start, stop))
        texts.append(body)
        line += text.count("\n", pos, m.end())
        pos = m.end()
    if not texts:
        return None
    return [
        Piece(clean, start / 1000, max(start, stop) / 1000, number)
        for (number, start, stop), clean in zip(times, clean_caption_texts(texts))
    ]


def transcript_documents(path: str, fmt: str, pieces: Sequence[Piece], what: str) -> list[Document]:
    """The transcript document of a caption file, or ReadError when it holds no text."""
    pieces = [p for p in pieces if p.text]
    if not pieces:
        raise ReadError(f"{strip_controls(Path(path).name)} holds no {what} with text")
    title, video_id = title_and_id(path)
    return [
        Document(
            path=path,
            role=Role.TRANSCRIPT,
            format=fmt,
            title=title,
            channel=channel_from_name(path),
            video_id=video_id,
            language=language_from_name(path),
            segments=build_paragraphs(pieces),
        )
    ]


def caption_pieces(captions: Sequence[webvtt.Caption], timing_lines: list[tuple[int, int, int]]) -> list[Piece]:
    """Pieces from parsed cues, each with the file line of its timings.

    `timing_lines` is (line, start ms, end ms) for every timing line in file
    order; cues come back from webvtt-py in the same order (some dropped), so
    one forward walk pairs them.
    """
    pieces: list[Piece] = []
    at = 0
    line = 0
    for cap in captions:
        start_ms = cap.start_time.in_milliseconds()
        end_ms = cap.end_time.in_milliseconds()
        for i in range(at, len(timing_lines)):
            if timing_lines[i][1:] == (start_ms, end_ms):
                line, at = timing_lines[i][0], i + 1
                break
        pieces.append(Piece(clean_caption_text(cap.lines), start_ms / 1000, max(start_ms, end_ms) / 1000, line))
    return pieces


def _to_ms(h: str, m: str, s: str, frac: str) -> int | None:
    # Read like webvtt-py: the fraction as a number of milliseconds. A field
    # too long to be a time (or to convert quickly) is no time at all.
    if any(len(f) > 17 for f in (h, m, s, frac)):
        return None
    return ((int(h) * 60 + int(m)) * 60 + int(s)) * 1000 + int(frac)


def timing_lines(text: str, pattern: re.Pattern[str], needle: str) -> list[tuple[int, int, int]]:
    """(file line, start ms, end ms) of every cue timing line, in file order (SRT and SBV).

    `pattern` matches a timing line at its start, with eight groups: hours,
    minutes, seconds and fraction of the start, then of the end. A line without
    `needle` (`-->`, the comma of SBV) cannot be one and is passed over unmatched.
    """
    found = []
    for number, line in enumerate(text.split("\n"), start=1):
        if needle not in line:
            continue
        m = pattern.match(line)
        if m:
            start, end = _to_ms(*m.group(1, 2, 3, 4)), _to_ms(*m.group(5, 6, 7, 8))
            if start is not None and end is not None:
                found.append((number, start, end))
    return found


def read(text: str, path: str) -> list[Document]:
    name = strip_controls(Path(path).name)
    pieces = regular_srt_pieces(text)
    if pieces is not None:
        return transcript_documents(path, "srt", pieces, "SRT captions")
    original = text
    first = _CUE_START.search(text)
    if not first and _BARE_TIMING.search(text):
        # Cues without numbers (hand-made files): number them for the parser.
        text = _BARE_TIMING.sub("0\n", text)
        first = _CUE_START.search(text)
    if not first:
        raise ReadError(
            f"{name} has no SRT captions: expected numbered cues such as "
            "'1' followed by '00:00:01,000 --> 00:00:04,000'"
        )
    try:
        # webvtt-py wants the file to open on a bare cue number: skip anything before it.
        body = first.group(1) + "\n" + text[first.end():]
        captions = webvtt.WebVTT.from_buffer([body], format="srt").captions
    except (MalformedFileError, MalformedCaptionError) as exc:
        raise ReadError(f"{name} is not a readable SRT file: {exc}") from None
    return transcript_documents(path, "srt", caption_pieces(captions, timing_lines(original, _TIMING_LINE, "-->")), "SRT captions")
