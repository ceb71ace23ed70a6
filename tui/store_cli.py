"""What `talkshelf export` and `talkshelf import` do; tui/cli.py parses the arguments.

Both return a process exit code and report problems on stderr in words a user
understands: 0 done, 1 the input or output could not be used, 2 the store
could not be opened.
"""

from __future__ import annotations

import json
import re
import sqlite3
import sys
from pathlib import Path

from .export import FORMAT, ImportFormatError, export_json, export_markdown, import_json
from .store import Store, StoreError
from .textio import json_text, visible, write_atomically


def say(line: str, err: bool = False) -> None:
    """Print a line safely (paths and reasons are untrusted): see tui.cli.say."""
    print(visible(line, lines=True), file=sys.stderr if err else sys.stdout)


def _open_store() -> Store | None:
    try:
        store = Store.open()
    except StoreError as exc:
        say(f"talkshelf: {exc}", err=True)
        return None
    if store.recovered_from:
        say(f"talkshelf: {store.recovered_from}", err=True)
    return store


_MD_COUNTS = re.compile(r"^_Exported [^\n]*?(\d+) bookmarks, (\d+) notes\._$", re.M)


def items_in_export(path: Path) -> int | None:
    """How many items an existing export file holds; None when it is not a talkshelf export."""
    try:
        with open(path, "rb") as f:
            data = f.read(64 * 1024 * 1024 + 1)
        text = data.decode("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None
    if text.lstrip().startswith("{"):
        try:
            parsed = json.loads(text)
        except (ValueError, RecursionError):
            return None
        if isinstance(parsed, dict) and parsed.get("format") == FORMAT and isinstance(parsed.get("items"), list):
            return len(parsed["items"])
        return None
    found = _MD_COUNTS.search(text[:4096])
    return int(found.group(1)) + int(found.group(2)) if text.startswith("# talkshelf notes") and found else None


def run_export(fmt: str = "md", output: Path | None = None, force: bool = False) -> int:
    """Export every bookmark and note as Markdown (`md`) or JSON (`json`) to `output` or stdout.

    An existing file is never replaced by an export holding fewer items, nor
    a file that is not a talkshelf export, unless `force`: a backup is what
    an export to a file usually is, and an emptied store (moved aside when
    damaged) must not overwrite the good one. After such a recovery the export
    says so and exits 1.
    """
    if fmt not in ("md", "json"):
        say(f"talkshelf: unknown export format {fmt!r} (use md or json)", err=True)
        return 1
    store = _open_store()
    if store is None:
        return 2
    recovered = store.recovered_from is not None
    with store:
        try:
            items = store.all_items()
            if fmt == "md":
                text = export_markdown(store)
            else:
                text = json_text(export_json(store)) + "\n"
        except sqlite3.Error as exc:
            say(f"talkshelf: the notes store could not be read: {exc}", err=True)
            return 2
    count = len(items)
    if output is None:
        sys.stdout.write(text)
        return 1 if recovered else 0
    output = Path(output)
    if output.exists() and not force:
        held = items_in_export(output)
        if held is None:
            say(f"talkshelf: {output} exists and is not a talkshelf export; not replaced (--force replaces it)", err=True)
            return 1
        if held > count:
            say(
                f"talkshelf: {output} holds {held} bookmarks and notes, this export only {count}; "
                "not replaced (--force replaces it)",
                err=True,
            )
            return 1
    try:
        write_atomically(output, text)
    except OSError as exc:
        say(f"talkshelf: cannot write {output}: {exc.strerror or exc}", err=True)
        return 1
    say(f"Exported {count} bookmarks and notes to {output}", err=True)
    if recovered:
        say("talkshelf: the export holds only what the new store has, not what the damaged one held", err=True)
        return 1
    return 0


# No export of ours comes near this: a bigger file is not one (and would be read whole).
MAX_IMPORT_BYTES = 512 * 1024 * 1024


def load_export(path: Path) -> object:
    """The parsed JSON of an export file, or ImportFormatError saying why it cannot be one.

    Hostile files get a reason, never a traceback: nesting deep enough to
    exhaust the parser, numbers of thousands of digits, and text that is not
    Unicode (lone surrogate escapes such as `\\ud800`, which talkshelf never
    writes and SQLite cannot store).
    """
    if path.stat().st_size > MAX_IMPORT_BYTES:
        raise ImportFormatError(f"is larger than any notes export ({MAX_IMPORT_BYTES // (1024 * 1024)} MB)")
    raw = path.read_bytes()
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise ImportFormatError(f"is not UTF-8 text (byte {exc.start}), so not a JSON export") from None
    except json.JSONDecodeError as exc:
        raise ImportFormatError(f"is not a JSON export (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
    except RecursionError:
        raise ImportFormatError("is nested too deeply to be a notes export") from None
    except ValueError:  # Python's limit on the digits of an integer
        raise ImportFormatError("holds a number of thousands of digits, so it is not a notes export") from None
    try:
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        raise ImportFormatError("holds text that is not valid Unicode (a lone surrogate such as \\ud800)") from None
    except RecursionError:
        raise ImportFormatError("is nested too deeply to be a notes export") from None
    return data


def run_import(path: Path) -> int:
    """Merge a JSON export into the store, without duplicates; reports what was added."""
    path = Path(path)
    try:
        data = load_export(path)
    except OSError as exc:
        say(f"talkshelf: cannot read {path}: {exc.strerror or exc}", err=True)
        return 1
    except ImportFormatError as exc:
        say(f"talkshelf: {path.name} {exc}; nothing was imported", err=True)
        return 1
    store = _open_store()
    if store is None:
        return 2
    with store:
        try:
            stats = import_json(store, data)
        except ImportFormatError as exc:
            say(f"talkshelf: {path.name}: {exc}", err=True)
            return 1
        except sqlite3.Error as exc:
            say(f"talkshelf: the notes store could not be written, nothing was imported: {exc}", err=True)
            return 2
    say(
        f"Imported from {path.name}: {stats.added} added, {stats.updated} updated, "
        f"{stats.skipped} already there."
    )
    for reason in stats.rejected:
        say(f"talkshelf: {path.name}: skipped unreadable {reason}", err=True)
    return 1 if stats.rejected else 0
