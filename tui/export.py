"""Bookmarks and notes out of the store (Markdown for notes apps, JSON for backup) and back in.

The JSON holds every field of every item, including its uid, so importing the
same file twice, or a file exported from another machine, merges without
duplicates.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, timezone
from itertools import groupby
from typing import Any

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


def _one_line(text: str) -> str:
    return " ".join(clean(text).split())


def _quote_block(text: str) -> str:
    lines = clean(text).strip().splitlines() or [""]
    return "\n".join(f"> {line}".rstrip() for line in lines)


def _time_link(item: Item) -> str:
    if item.seconds is None:
        return "(time unknown)"
    label = format_time(item.seconds)
    link = item.link()
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
        link = first.link() if first.video_id or first.url else None
        if link:
            out += [f"<{link}>", ""]
        for item in group:
            if item.moment is None:
                out += [clean(item.note).strip(), ""]
                continue
            mark = "Bookmark" if item.kind == BOOKMARK else "Note"
            out += [f"### {mark} at {_time_link(item)}", ""]
            if item.quote.strip():
                out += [_quote_block(item.quote), ""]
            if item.note.strip():
                out += [clean(item.note).strip(), ""]
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
        if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or not math.isfinite(seconds) or seconds < 0:
            raise ValueError("seconds is not a time")
        seconds = float(seconds)
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
