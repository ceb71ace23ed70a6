"""Live-library benchmark: what one look of tui.library_watch costs.

    python benchmarks/bench_watch.py [--files 10000] [--repeat 7]

Writes `files` small caption files into a temporary folder (100 per
sub-folder, as users group talks) and prints medians of:

  listing    os.walk of the folder (listing only, no stat): what no look can beat
  floor      os.walk plus os.stat of each file: the work a look must do
  snapshot   tui.library_watch.snapshot: the same, into a dict
             target: within 1.5x of floor
  interval   the pause the watch then waits between looks (cost x 20, at least 2 s)

Figures only: nothing here asserts on time.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.timing import median_time  # noqa: E402
from tui.library_watch import LibraryWatch, snapshot  # noqa: E402



def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=10000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for i in range(args.files):
            folder = root / f"channel{i // 100:04d}"
            folder.mkdir(exist_ok=True)
            (folder / f"talk{i:05d}.srt").write_text(f"1\n00:00:01,000 --> 00:00:02,000\ntalk {i}\n")
        listing = median_time(lambda: [f for _, _, f in os.walk(root)], args.repeat)

        def walk_and_stat() -> None:
            for folder, _dirs, names in os.walk(root):
                for name in names:
                    os.stat(os.path.join(folder, name))

        floor = median_time(walk_and_stat, args.repeat)
        look = median_time(lambda: snapshot(root), args.repeat)
        watch = LibraryWatch(root)
        print(f"files      {args.files}")
        print(f"listing    {listing * 1000:8.1f} ms  (os.walk, no stat)")
        print(f"floor      {floor * 1000:8.1f} ms  (os.walk + os.stat)")
        print(f"snapshot   {look * 1000:8.1f} ms  ({look / floor:.2f}x floor; target within 1.5x)")
        print(f"interval   {watch.interval:8.1f} s   between looks")


if __name__ == "__main__":
    main()
