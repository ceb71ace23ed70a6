"""Nesting of bullets by indent, shared by the summary readers."""

from __future__ import annotations


def bullet_level(indents: list[int], indent: int) -> int:
    """The nesting level of a bullet at `indent`; `indents` is the stack of open levels (updated)."""
    while indents and indent < indents[-1]:
        indents.pop()
    if not indents or indent > indents[-1]:
        indents.append(indent)
    return len(indents) - 1
