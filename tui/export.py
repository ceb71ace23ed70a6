"""Bookmarks and notes out of the store (Markdown for notes apps, JSON for backup) and back in.

The JSON holds every field of every item, including its uid, so importing the
same file twice, or a file exported from another machine, merges without
duplicates.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import lru_cache
from itertools import groupby
from typing import Any

from .links import web_link
from .model import format_time
from .store import BOOKMARK, NOTE, Item, Store, clean, now

FORMAT = "talkshelf-notes"
VERSION = 1

_TEXT_FIELDS = ("uid", "kind", "talk_key", "talk_title", "quote", "note", "opening", "created", "updated")


@dataclass(slots=True)
class ImportStats:
    """What an import did; `rejected` lists items that could not be read, and why."""

    added: int = 0
    skipped: int = 0
    updated: int = 0
    rejected: list[str] = field(default_factory=list)


class ImportFormatError(ValueError):
    """The data is not a talkshelf notes export; the message says why."""


# --- Markdown -----------------------------------------------------------------


# Markdown export: what a file said (titles, quoted transcript text) is shown
# literally, every Markdown character escaped; a note keeps the user's own
# Markdown, but nothing in it can change the document around it (see _note_block).
_MD_INLINE = re.compile(r"([\\`*_\[\]<>&~|#])")  # `#`: a title ending in ` #` would lose it as a closing sequence
# What only acts at the start of a line: headings, quotes, list markers, setext rules.
_MD_LINE_START = re.compile(r"^(\s*)(?:([#+\-=>])|(\d+)([.)]))")


def _literal(text: str) -> str:
    """Text that renders as itself: every character Markdown could act on there is backslash-escaped."""
    text = _MD_INLINE.sub(r"\\\1", text)
    return _MD_LINE_START.sub(lambda m: m.group(1) + (f"\\{m.group(2)}" if m.group(2) else f"{m.group(3)}\\{m.group(4)}"), text)


def _url(link: str | None) -> str | None:
    """A web link as a Markdown link target: parentheses percent-encoded, so none ends it early."""
    link = web_link(link)
    return link.replace("(", "%28").replace(")", "%29") if link else None


def _one_line(text: str) -> str:
    return _literal(" ".join(clean(text).split()))


def _quote_block(text: str) -> str:
    lines = clean(text).strip().splitlines() or [""]
    return "\n".join(f"> {_literal(line.strip())}".rstrip() for line in lines)


# A backtick fence's info string holds no backtick (CommonMark): "``` a`b" is text, not a fence.
_FENCE = re.compile(r"^ {0,3}(`{3,}(?=[^`]*$)|~{3,})")
# Container markers a line may start with (quotes, list items, nested): a heading,
# setext rule or link definition inside them acts as much as at the margin.
_CONTAINERS = r"(?:[ \t]*(?:>|[-+*]|\d{1,9}[.)])(?=[ \t]|$))*[ \t]*"
_BLOCK_START = re.compile(rf"^({_CONTAINERS})(#{{1,6}}(?=\s|$)|=+\s*$|-+\s*$|\[[^\]]*\]:)")
_LINK_TARGET = re.compile(r"\]\(\s*<?([^)\s>]*)")


def _note_line(line: str) -> str:
    """One line of a note outside code: no heading, setext rule, link definition, raw HTML or non-web link."""
    line = _BLOCK_START.sub(lambda m: m.group(1) + "\\" + m.group(2), line)
    line = line.replace("<", "&lt;")  # raw HTML and autolinks (`<script>`, `<javascript:...>`) show as text
    # `[text](target)`: only web links stay links; any other target shows as text.
    return _LINK_TARGET.sub(lambda m: m.group(0) if web_link(m.group(1)) else "]\\(" + m.group(0)[2:], line)


def _kept_markdown(text: str) -> str:
    """A note's Markdown with what could act outside the note neutralised, line by line."""
    out: list[str] = []
    fence: str | None = None
    for line in text.split("\n"):
        opener = _FENCE.match(line)
        if fence is None:
            if opener:
                fence = opener.group(1)
                out.append(line)
            else:
                out.append(_note_line(line))
            continue
        stripped = line.strip()
        if stripped.startswith(fence[0] * len(fence)) and not stripped.strip(fence[0]):
            fence = None  # a closing fence: the same character, at least as long, nothing after
        out.append(line)
    if fence is not None:
        out.append(fence)
    return "\n".join(out)


_END = "talkshelf-end-of-note"
# Without one of these a note holds no heading (ATX or setext), HTML, link, link definition or fence,
# and ends where it stands: most notes need no parse (about 1 ms each).
_MAY_ACT = re.compile(r"[#=\-\[<`~]")


@lru_cache(maxsize=1)
def _commonmark():
    from markdown_it import MarkdownIt  # only exports need it

    md = MarkdownIt("commonmark")
    md.validateLink = lambda url: True  # see every target, as other renderers would
    return md


def _stays_in_place(block: str) -> bool:
    """Whether a CommonMark parser reads `block` with no heading, raw HTML or non-web link,
    and ends it before what follows (a heading after it is still a heading)."""
    tokens = _commonmark().parse(f"{block}\n\n## {_END}\n")
    headings = [i for i, t in enumerate(tokens) if t.type == "heading_open"]
    if len(headings) != 1 or tokens[headings[0] + 1].content != _END:
        return False
    for token in tokens:
        for t in [token, *(token.children or [])]:
            if t.type in ("html_block", "html_inline"):
                return False
            target = t.attrs.get("href") if t.type == "link_open" else t.attrs.get("src") if t.type == "image" else None
            if target is not None and not web_link(str(target)):
                return False
    return True


def _note_block(text: str) -> str:
    """A note's Markdown, kept inside its own place in the document.

    Its headings cannot start a section of the export, raw HTML is shown as
    text, only web links stay links, and a code fence it leaves open is closed
    at its end (an unclosed fence would swallow every talk after it). Code
    inside fences is untouched. Whatever the line rules miss, a CommonMark
    parser catches: such a note is shown as literal text instead.
    """
    text = clean(text).strip("\n").rstrip()
    kept = _kept_markdown(text)
    if not _MAY_ACT.search(kept) or _stays_in_place(kept):
        return kept
    return "\n".join(_literal(line) if line.strip() else "" for line in text.split("\n"))


def _time_link(item: Item) -> str:
    if item.seconds is None:
        return "(time unknown)"
    label = format_time(item.seconds)
    link = _url(item.link())
    return f"[{label}]({link})" if link else label


def export_markdown(store: Store) -> str:
    """Every bookmark and note, grouped by talk: the quote, then the note under it."""
    items = store.all_items()
    talks = sum(1 for _ in groupby(items, key=lambda i: i.talk_key))
    bookmarks = sum(1 for i in items if i.kind == BOOKMARK)
    out = [
        "# talkshelf notes",
        "",
        f"_Exported {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC: "
        f"{talks} talks, {bookmarks} bookmarks, {len(items) - bookmarks} notes._",
    ]
    for _, group in groupby(items, key=lambda i: i.talk_key):
        group = list(group)
        first = group[0]
        out += ["", f"## {_one_line(first.talk_title) or 'Untitled talk'}", ""]
        link = _url(first.link()) if first.video_id or first.url else None
        if link:
            out += [f"<{link}>", ""]
        for item in group:
            if item.moment is None:
                out += [_note_block(item.note), ""]
                continue
            mark = "Bookmark" if item.kind == BOOKMARK else "Note"
            out += [f"### {mark} at {_time_link(item)}", ""]
            if item.quote.strip():
                out += [_quote_block(item.quote), ""]
            if item.note.strip():
                out += [_note_block(item.note), ""]
    return "\n".join(out).rstrip() + "\n"


# --- JSON ---------------------------------------------------------------------


def _item_dict(item: Item) -> dict[str, Any]:
    return {
        "uid": item.uid,
        "kind": item.kind,
        "talk_key": item.talk_key,
        "talk_title": item.talk_title,
        "video_id": item.video_id,
        "url": item.url,
        "seconds": item.seconds,
        "opening": item.opening,
        "quote": item.quote,
        "note": item.note,
        "created": item.created,
        "updated": item.updated,
    }


def export_json(store: Store) -> dict[str, Any]:
    """Every item with every field: what `import_json` restores."""
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported": now(),
        "items": [_item_dict(i) for i in store.all_items()],
    }


def _item_from(data: Any) -> Item:
    """An Item from one exported dict, or ValueError saying what is wrong."""
    if not isinstance(data, dict):
        raise ValueError("not an object")
    values: dict[str, Any] = {}
    for name in _TEXT_FIELDS:
        value = data.get(name, "")
        if not isinstance(value, str):
            raise ValueError(f"{name} is not text")
        values[name] = clean(value)
    for name in ("uid", "talk_key", "created"):
        if not values[name]:
            raise ValueError(f"{name} is missing")
    if values["kind"] not in (BOOKMARK, NOTE):
        raise ValueError(f"kind {values['kind']!r} is neither bookmark nor note")
    values["updated"] = values["updated"] or values["created"]
    for name in ("video_id", "url"):
        value = data.get(name)
        if value is not None and not isinstance(value, str):
            raise ValueError(f"{name} is not text")
        values[name] = clean(value) or None
    seconds = data.get("seconds")
    if seconds is not None:
        try:
            if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or not math.isfinite(seconds) or seconds < 0:
                raise ValueError("seconds is not a time")
            seconds = float(seconds)
        except OverflowError:  # an integer of hundreds of digits
            raise ValueError("seconds is not a time") from None
    values["seconds"] = seconds
    return Item(id=0, **values)


def import_json(store: Store, data: Any) -> ImportStats:
    """Merge an export into the store (one transaction): known items are skipped, never doubled."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ImportFormatError("this is not a talkshelf notes export (no \"format\": \"talkshelf-notes\")")
    version = data.get("version")
    if not isinstance(version, int) or version > VERSION:
        raise ImportFormatError(f"this export has version {version!r}; this talkshelf reads up to {VERSION}")
    raw = data.get("items")
    if not isinstance(raw, list):
        raise ImportFormatError("the export has no list of items")
    stats = ImportStats()
    items: list[Item] = []
    for n, entry in enumerate(raw, 1):
        try:
            items.append(_item_from(entry))
        except ValueError as exc:
            stats.rejected.append(f"item {n}: {exc}")
    stats.added, stats.updated, stats.skipped = store.merge(items)
    return stats
