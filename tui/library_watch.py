"""Noticing that a library folder changed while the app runs: a cheap periodic stat.

Every few seconds the folder's files are listed and stat'ed (name, size,
modification time); when that listing differs from the last one, the app
refreshes the index (which re-reads only the files that changed). A stat of
every file, not an OS watch: it needs no extra package, works the same on
network and FUSE folders where inotify stays silent, and costs a few
milliseconds per thousand files. The pause between looks grows with what a
look costs, so a 100,000-file library is not stat'ed in a tight loop.

No Textual import: the app runs `changed()` in a worker thread.
"""

from __future__ import annotations

import os
import time
from pathlib import Path


# Files still being written by a downloader change every second and are never read: not a change.
_IN_PROGRESS = (".part", ".ytdl", ".tmp")
MIN_INTERVAL = 2.0  # seconds between looks at a small library
COST_FACTOR = 20  # a look may take at most 1/20 of the time between looks


def snapshot(root: Path) -> dict[str, tuple[int, int]]:
    """path -> (size, mtime_ns) of every file the library would read.

    The same files as tui.library.iter_files (hidden entries skipped, folder
    links followed once), walked with os.scandir: no Path object per file.
    """
    files: dict[str, tuple[int, int]] = {}
    try:
        st = os.stat(root)
    except OSError:
        return files
    if not os.path.isdir(root):
        files[str(root)] = (st.st_size, max(st.st_mtime_ns, st.st_ctime_ns))
        return files
    seen = {(st.st_dev, st.st_ino)}
    folders = [os.fspath(root)]
    while folders:
        folder = folders.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if entry.name.startswith(".") or entry.name.endswith(_IN_PROGRESS):
                continue
            try:
                if entry.is_dir():  # follows links, as the scan does
                    est = entry.stat()
                    if (est.st_dev, est.st_ino) not in seen:
                        seen.add((est.st_dev, est.st_ino))
                        folders.append(entry.path)
                    continue
                est = entry.stat()
            except OSError:
                continue  # removed between the listing and the stat: gone
            files[entry.path] = (est.st_size, max(est.st_mtime_ns, est.st_ctime_ns))  # ctime: see index.changed_ns
    return files


class LibraryWatch:
    """`changed()` is True when a file was added, changed or removed since the last look."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        started = time.perf_counter()
        self._last = snapshot(self.root)
        self.cost = time.perf_counter() - started

    @property
    def interval(self) -> float:
        """Seconds to wait before the next look."""
        return max(MIN_INTERVAL, self.cost * COST_FACTOR)

    def changed(self) -> bool:
        started = time.perf_counter()
        now = snapshot(self.root)
        self.cost = time.perf_counter() - started
        if now == self._last:
            return False
        self._last = now
        return True

    def reset(self) -> None:
        """Take the folder as it is now as seen (after a reload the user asked for)."""
        self._last = snapshot(self.root)
