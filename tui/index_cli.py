"""`talkshelf index` and `talkshelf search`: the index from the shell.

Exit codes: 0 when the job was done (problem files are listed, not failures),
1 when the index cannot be opened or written and when `search` finds nothing
(as grep does), 2 for bad usage (a missing path included).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.text import Text

from .index import Index, RefreshStats, SearchHit
from .model import format_time
from .textio import json_text, visible


def _usage_error(console: Console, message: str) -> int:
    console.print(Text(visible(f"talkshelf: {message}"), style="red"))
    return 2


def _library_root(path: Path | None) -> Path:
    """The folder given, else the configured library (or the sample)."""
    if path is not None:
        return Path(path)
    from .library import resolve_library

    return resolve_library(None)


def _refresh(index: Index, path: Path, console: Console | None) -> RefreshStats:
    if console is None:
        return index.refresh(path)
    with Progress(
        TextColumn("indexing"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as bar:
        task = bar.add_task("indexing", total=None)

        def progress(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        return index.refresh(path, progress=progress)


def summary_line(stats: RefreshStats) -> str:
    return (
        f"{stats.read} files read, {stats.unchanged} unchanged, {stats.talks} talks, "
        f"{stats.problems} problems in {stats.seconds:.1f} s"
    )


def run_index(path: Path | None, console: Console) -> int:
    """Build or refresh the index of the library at `path`, with a progress bar."""
    path = _library_root(path)
    if not path.exists():
        return _usage_error(console, f"{path}: no such file or folder")
    try:
        with Index.open(root=path) as index:
            stats = _refresh(index, path, console)
    except (OSError, sqlite3.Error) as exc:
        console.print(Text(visible(f"talkshelf: cannot write the index: {exc}"), style="red"))
        return 1
    console.print(Text(summary_line(stats)))
    return 0


def hit_line(hit: SearchHit) -> Text:
    """`[HH:MM:SS] Title: snippet`, the matched words in bold (built from plain strings)."""
    stamp = "  title   " if hit.segment < 0 else f"[{format_time(hit.start, hit.estimated)}]"
    line = Text(f"{stamp} ")
    line.append(visible(hit.title), style="bold cyan")
    line.append(": ")
    snippet = Text(visible(hit.text))  # indexed text is clean already (unchanged, spans in place): a guard
    for a, b in hit.spans:
        snippet.stylize("bold yellow", a, b)
    line.append_text(snippet)
    return line


def run_search(query: str, path: Path | None, as_json: bool, limit: int, console: Console) -> int:
    """Search every talk of the library at `path` (refreshing the index first)."""
    if limit < 1:
        return _usage_error(console, "--limit must be at least 1")
    path = _library_root(path)
    if not path.exists():
        return _usage_error(console, f"{path}: no such file or folder")
    try:
        with Index.open(root=path) as index:
            index.refresh(path)
            hits = index.search(query, limit=limit)
            fixes = [] if hits or as_json else index.corrections(query)
    except (OSError, sqlite3.Error) as exc:
        console.print(Text(visible(f"talkshelf: cannot read the index: {exc}"), style="red"))
        return 1
    if as_json:
        # Written as-is: no Rich highlighting or wrapping in output meant for scripts.
        console.file.write(json_text([h.to_json() for h in hits], indent=None) + "\n")
        console.file.flush()
        return 0 if hits else 1
    for hit in hits:
        console.print(hit_line(hit), soft_wrap=True)
    if not hits:
        message = Text("no matches")
        if fixes:
            message.append("; did you mean: ")
            message.append(visible(", ".join(fixes)), style="bold")
        console.print(message)
        return 1  # as grep: scripts can test for "found nothing"
    return 0
