"""Joining caption pieces into readable paragraphs.

(First version: a steady-size join. Sentence, pause and speaker-aware joining
is built on this interface.)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from .model import Segment


@dataclass(slots=True)
class Piece:
    """A caption line or a timed word, in the order spoken."""

    text: str
    start: float | None = None
    end: float | None = None
    line: int = 0


def build_paragraphs(pieces: Sequence[Piece], target_words: int = 60) -> list[Segment]:
    """Join pieces into paragraphs of about `target_words` words."""
    out: list[Segment] = []
    buf: list[Piece] = []
    count = 0
    for piece in pieces:
        buf.append(piece)
        count += len(piece.text.split())
        if count >= target_words:
            out.append(_segment(buf))
            buf, count = [], 0
    if buf:
        out.append(_segment(buf))
    return out


def _segment(buf: list[Piece]) -> Segment:
    return Segment(
        start=buf[0].start,
        end=buf[-1].end,
        text=" ".join(p.text.strip() for p in buf if p.text.strip()),
        line=buf[0].line,
    )
