"""Reader throughput on the bench_library library, beside the floor measured in the same run.

    python benchmarks/bench_readers.py [--talks 2000] [--repeat 3] [--profile]

Generates the same library as bench_library.py (its `generate`), then prints
medians of:

  floor          reading and splitting every file (one process)
  readers, 1 core    tui.readers.read_path over every file, per format
  readers, N cores   read_path over every file in a process pool (as the index reads)

`--profile` prints the top functions of read_path (cProfile) per format.
"""

from __future__ import annotations

import argparse
import cProfile
import multiprocessing
import os
import pstats
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from benchmarks.timing import median_time  # noqa: E402
from bench_library import floor_read_split, generate  # noqa: E402
from tui import readers  # noqa: E402



def read_all(paths: list[str]) -> int:
    count = 0
    for path in paths:
        count += len(readers.read_path(path))
    return count


def read_pool(paths: list[str], workers: int) -> None:
    chunks = [paths[i : i + 8] for i in range(0, len(paths), 8)]
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        sum(pool.map(read_all, chunks))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--talks", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    workers = os.cpu_count() or 1
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "library"
        size = generate(root, args.talks)
        mb = size / 1e6
        paths = sorted(str(p) for p in root.rglob("*") if p.is_file())
        print(f"{args.talks} talks, {len(paths)} files, {mb:.1f} MB, {workers} cores")
        floor = median_time(lambda: floor_read_split(root), args.repeat)
        print(f"{'floor (read + split)':28s} {mb / floor:8.1f} MB/s")
        for suffix in (".srt", ".json", ".md"):
            some = [p for p in paths if p.endswith(suffix)]
            some_mb = sum(os.path.getsize(p) for p in some) / 1e6
            t = median_time(lambda: read_all(some), args.repeat)
            print(f"{'readers, 1 core, ' + suffix:28s} {some_mb / t:8.1f} MB/s  ({t / len(some) * 1000:.2f} ms a file)")
            if args.profile:
                profile = cProfile.Profile()
                profile.runcall(read_all, some)
                pstats.Stats(profile).sort_stats("tottime").print_stats(12)
        t = median_time(lambda: read_pool(paths, workers), args.repeat)
        print(f"{f'readers, {workers} cores, all':28s} {mb / t:8.1f} MB/s  ({t / floor:.1f}x the floor's time)")


if __name__ == "__main__":
    main()
