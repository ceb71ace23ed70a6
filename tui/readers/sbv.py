"""SubViewer (.sbv) captions, as YouTube Studio exports them.

Each cue is a `0:00:00.599,0:00:04.160` timing line, then its text lines, then
a blank line. webvtt-py parses the cues; the timing-line scan, cleaning and
paragraphs are shared with the SRT reader.
"""

from __future__ import annotations

import re
from pathlib import Path

import webvtt
from webvtt.errors import MalformedCaptionError, MalformedFileError

from ..model import Document, ReadError
from ..textio import strip_controls
from .srt import caption_pieces, timing_lines, transcript_documents

_TIMING_LINE = re.compile(r"^[ \t]*(\d+):(\d{1,2}):(\d{1,2})\.(\d{3}),(\d+):(\d{1,2}):(\d{1,2})\.(\d{3})", re.M)


def read(text: str, path: str) -> list[Document]:
    name = strip_controls(Path(path).name)
    first = _TIMING_LINE.search(text)
    if not first:
        raise ReadError(
            f"{name} has no SBV captions: expected cues such as "
            "'0:00:00.599,0:00:04.160' followed by their text"
        )
    try:
        # webvtt-py wants the file to open on a cue: skip anything before it.
        body = text[first.start():].lstrip(" \t")
        captions = webvtt.WebVTT.from_buffer([body], format="sbv").captions
    except (MalformedFileError, MalformedCaptionError) as exc:
        raise ReadError(f"{name} is not a readable SBV file: {exc}") from None
    return transcript_documents(path, "sbv", caption_pieces(captions, timing_lines(text, _TIMING_LINE, ",")), "SBV captions")
