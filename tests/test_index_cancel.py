"""Quitting during a refresh does not wait for the walk of a big folder (issue 14)."""

from __future__ import annotations

import json
from pathlib import Path

from tui.index import Index


def test_a_cancelled_refresh_stops_in_the_walk(tmp_path: Path):
    root = tmp_path / "library"
    root.mkdir()
    for i in range(2500):  # thumbnails: walked, never read
        (root / f"thumb{i}.jpg").write_bytes(b"")
    items = [{"text": "we talk about gradient descent today.", "start": 0.0, "duration": 2.0}]
    (root / "AAAAAAAAAAA.json").write_text(json.dumps(items), encoding="utf-8")
    asked = []

    def cancelled() -> bool:
        asked.append(1)
        return True

    with Index.open(tmp_path / "cache", root=root) as index:
        stats = index.refresh(root, cancelled=cancelled)
        assert stats.stopped
        assert stats.read == 0  # stopped before the files to read were even listed
        assert len(asked) == 1  # asked once, a thousand files into the walk
        assert index.talks() == []
        stats = index.refresh(root)  # the next refresh does the work
        assert not stats.stopped and stats.read == 1
        assert [t.video_id for t in index.talks()] == ["AAAAAAAAAAA"]
