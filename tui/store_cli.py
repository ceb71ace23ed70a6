"""What `talkshelf export` and `talkshelf import` do; tui/cli.py parses the arguments.

Both return a process exit code and report problems on stderr in words a user
understands: 0 done, 1 the input or output could not be used, 2 the store
could not be opened.
"""

from __future__ import annotations

import json
import sqlite3
import sys
from pathlib import Path

from .export import ImportFormatError, export_json, export_markdown, import_json
from .store import Store, StoreError
from .textio import write_atomically


def _open_store() -> Store | None:
    try:
        store = Store.open()
    except StoreError as exc:
        print(f"talkshelf: {exc}", file=sys.stderr)
        return None
    if store.recovered_from:
        print(f"talkshelf: {store.recovered_from}", file=sys.stderr)
    return store


def run_export(fmt: str = "md", output: Path | None = None) -> int:
    """Export every bookmark and note as Markdown (`md`) or JSON (`json`) to `output` or stdout."""
    if fmt not in ("md", "json"):
        print(f"talkshelf: unknown export format {fmt!r} (use md or json)", file=sys.stderr)
        return 1
    store = _open_store()
    if store is None:
        return 2
    with store:
        try:
            if fmt == "md":
                text = export_markdown(store)
            else:
                text = json.dumps(export_json(store), ensure_ascii=False, indent=2) + "\n"
            count = store.count()
        except sqlite3.Error as exc:
            print(f"talkshelf: the notes store could not be read: {exc}", file=sys.stderr)
            return 2
    if output is None:
        sys.stdout.write(text)
        return 0
    try:
        write_atomically(Path(output), text)
    except OSError as exc:
        print(f"talkshelf: cannot write {output}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    print(f"Exported {count} bookmarks and notes to {output}", file=sys.stderr)
    return 0


def run_import(path: Path) -> int:
    """Merge a JSON export into the store, without duplicates; reports what was added."""
    path = Path(path)
    try:
        data = json.loads(path.read_bytes().decode("utf-8-sig"))
    except OSError as exc:
        print(f"talkshelf: cannot read {path}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        print(f"talkshelf: {path.name} is not a JSON export: {exc}", file=sys.stderr)
        return 1
    store = _open_store()
    if store is None:
        return 2
    with store:
        try:
            stats = import_json(store, data)
        except ImportFormatError as exc:
            print(f"talkshelf: {path.name}: {exc}", file=sys.stderr)
            return 1
        except sqlite3.Error as exc:
            print(f"talkshelf: the notes store could not be written, nothing was imported: {exc}", file=sys.stderr)
            return 2
    print(
        f"Imported from {path.name}: {stats.added} added, {stats.updated} updated, "
        f"{stats.skipped} already there."
    )
    for reason in stats.rejected:
        print(f"talkshelf: skipped unreadable {reason}", file=sys.stderr)
    return 1 if stats.rejected else 0
