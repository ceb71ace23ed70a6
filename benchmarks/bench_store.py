"""Notes store benchmark: writes and gutter marks, each beside a floor measured in the same run.

    python benchmarks/bench_store.py [--paragraphs 3000] [--items 300] [--repeat 9]

Uses a store in a temporary folder (never the user's). Prints medians of:

  floor write     a bare SQLite INSERT + COMMIT in WAL with synchronous=FULL
  add_note        Store.add_note (one transaction)
  toggle          Store.toggle_bookmark beside existing bookmarks
  floor normalize normalizing every paragraph's words once (what any lookup must do)
  marks fresh     Store.marks for a new list of paragraphs (the talk was just opened)
  marks again     Store.marks for the same list (a mark was added)
  marks drifted   Store.marks after re-transcription (words and times changed)
  marks merged    Store.marks after re-paragraphing (two paragraphs became one)

Figures only: nothing here asserts on time.
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.timing import median_ms, timed  # noqa: E402
from tui.model import Document, Role, Segment, Talk  # noqa: E402
from tui.store import Store, normalize  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--paragraphs", type=int, default=3000)
    parser.add_argument("--items", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args()

    rng = random.Random(7)
    vocab = [f"w{i}" for i in range(5000)]
    segs = [
        Segment(i * 20.0, i * 20.0 + 20, " ".join(rng.choice(vocab) for _ in range(55)))
        for i in range(args.paragraphs)
    ]
    doc = Document(path="/bench", role=Role.TRANSCRIPT, format="srt", segments=segs)
    talk = Talk(id="bench", title="Bench talk", video_id="benchbench1", documents=[doc])

    with tempfile.TemporaryDirectory() as tmp:
        os.environ["TALKSHELF_DATA_DIR"] = tmp
        store = Store.open()
        step = max(1, args.paragraphs // args.items)
        for n, i in enumerate(range(0, args.paragraphs, step)):
            if n >= args.items:
                break
            if n % 2:
                store.toggle_bookmark(talk, segs[i], segs)
            else:
                store.add_note(talk, [segs[i]], f"note {n}")

        raw = sqlite3.connect(Path(tmp) / "floor.sqlite3", isolation_level=None)
        raw.execute("PRAGMA journal_mode=WAL")
        raw.execute("PRAGMA synchronous=FULL")
        raw.execute("CREATE TABLE t (x TEXT)")

        def floor_write() -> None:
            raw.execute("BEGIN IMMEDIATE")
            raw.execute("INSERT INTO t VALUES ('note text')")
            raw.execute("COMMIT")

        free = iter(range(1, args.paragraphs, step))
        print(f"{args.paragraphs} paragraphs, {store.count()} items, median of {args.repeat}")
        print(f"  floor write      {median_ms(timed(floor_write, args.repeat)):8.2f} ms")
        print(f"  add_note         {median_ms(timed(lambda: store.add_note(talk, [segs[5]], 'x'), args.repeat)):8.2f} ms")
        print(f"  toggle           {median_ms(timed(lambda: store.toggle_bookmark(talk, segs[next(free)], segs), args.repeat)):8.2f} ms")
        print(f"  floor normalize  {median_ms(timed(lambda: [normalize(s.text) for s in segs], args.repeat)):8.2f} ms")
        print(f"  marks fresh      {median_ms(timed(lambda: store.marks(talk, list(segs)), args.repeat)):8.2f} ms")
        print(f"  marks again      {median_ms(timed(lambda: store.marks(talk, segs), args.repeat)):8.2f} ms")
        drifted = [Segment(s.start + 3, s.end + 3, "uh " + s.text.replace(s.text.split()[2], "zz", 1)) for s in segs]
        print(f"  marks drifted    {median_ms(timed(lambda: store.marks(talk, list(drifted)), args.repeat)):8.2f} ms")
        merged = [
            Segment(segs[i].start, segs[i + 1].end, segs[i].text + " " + segs[i + 1].text)
            for i in range(0, len(segs) - 1, 2)
        ]
        print(f"  marks merged     {median_ms(timed(lambda: store.marks(talk, list(merged)), args.repeat)):8.2f} ms")
        found = len(store.marks(talk, drifted)), len(store.marks(talk, segs))
        print(f"  drifted marks found {found[0]} of {found[1]}")
        raw.close()
        store.close()


if __name__ == "__main__":
    main()
