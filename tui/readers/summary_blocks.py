"""Paragraphs and bullets of a summary, gathered line by line: one builder for every summary reader.

Each reader decides what a line of its format is (a heading, a bullet, more of
the open paragraph, a block of its own); the builder keeps the open block's
lines, the line it started on and how deep a bullet is nested, and hands each
finished block to the reader's `emit`, which makes it a segment.
"""

from __future__ import annotations

from collections.abc import Callable

# emit(text, line, kind, level): the block's lines joined by spaces, its first
# line's 1-based number, "text" or "bullet", and a bullet's nesting depth.
Emit = Callable[[str, int, str, int], None]


def bullet_level(indents: list[int], indent: int) -> int:
    """The nesting level of a bullet at `indent`; `indents` is the stack of open levels (updated)."""
    while indents and indent < indents[-1]:
        indents.pop()
    if not indents or indent > indents[-1]:
        indents.append(indent)
    return len(indents) - 1


class BlockBuilder:
    """The open paragraph or bullet of a summary, and the list it belongs to."""

    __slots__ = ("_emit", "lines", "line", "kind", "level", "_indents")

    def __init__(self, emit: Emit) -> None:
        self._emit = emit
        self.lines: list[str] = []  # the open block's lines, stripped
        self.line = 0
        self.kind = "text"
        self.level = 0
        self._indents: list[int] = []  # indents of the open list's nesting levels

    @property
    def open(self) -> bool:
        """Whether a block is open (a following line of text may continue it)."""
        return bool(self.lines)

    def paragraph(self, text: str, line: int) -> None:
        """A line of text opens a paragraph: the block before it ends, and so does the list."""
        self.flush()
        self._indents = []
        self.lines, self.line, self.kind, self.level = [text], line, "text", 0

    def bullet(self, text: str, line: int, indent: int) -> None:
        """A bullet at `indent` columns opens a block, nested by the bullets before it."""
        self.flush()
        self.lines, self.line, self.kind = [text], line, "bullet"
        self.level = bullet_level(self._indents, indent)

    def extend(self, text: str) -> None:
        """A line that continues the open block."""
        self.lines.append(text)

    def flush(self) -> None:
        """The open block is finished (a blank line, or a block of another kind follows)."""
        if self.lines:
            self._emit(" ".join(self.lines), self.line, self.kind, self.level)
            self.lines = []

    def end_list(self) -> None:
        """The open block is finished and the list with it (a heading, a rule, a code block)."""
        self.flush()
        self._indents = []

    def take(self) -> list[str]:
        """The open block's lines, not emitted (they became something else, e.g. a heading); the list ends."""
        lines, self.lines, self._indents = self.lines, [], []
        return lines
