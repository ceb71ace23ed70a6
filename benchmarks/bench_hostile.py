"""Hostile-input benchmark: pathological files stay linear (issue 8, item 2).

    python benchmarks/bench_hostile.py [--repeat 3] [--scale 1.0]

Generates each input in a temporary folder and prints, for each, the median
time of `read_path` (and of `cat`'s own step where it has one) beside a floor
measured in the same run: reading the file and the one linear scan any reader
must make of it (`re.findall` of its stamps, `str.split`). Linearity is shown
by the same input at a quarter of its size: a linear step takes about 4x as
long for 4x the input, a quadratic one 16x.

  stamps       a summary paragraph of 131,072 `[HH:MM:SS]` stamps (.txt and .md)
  cat step     `cat_lines` (the inline stamps put back) of that paragraph
  cat process  `python -m tui.cli cat FILE` and `cat --json FILE` of it
  comments     a page of `<!--` repeated to 1 MB and to 4 MB
  long comment a page whose one comment holds 2 MB of video metadata JSON
  front matter a 12 KB front matter nested 6,000 deep
  one cue      a pasted track of one cue repeated 131,072 times

Figures only: nothing here asserts on time.
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tui.cli import cat_json, cat_lines  # noqa: E402
from tui.readers import read_path  # noqa: E402

STAMP = re.compile(r"\[\d+:\d\d:\d\d\]")


def median_time(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def clock(i: int) -> str:
    i %= 5 * 3600  # within a long talk: every stamp has its HH:MM:SS reading
    return f"{i // 3600:02d}:{i // 60 % 60:02d}:{i % 60:02d}"


def stamps_page(n: int, markdown: bool) -> str:
    words = " ".join(f"w{i} [{clock(i)}]" for i in range(n))
    return ("# A talk\n\n" if markdown else "From: a channel\n\nHeading\n\n") + words + "\n"


def row(name: str, t: float, floor: float, quarter: float | None = None, note: str = "") -> None:
    growth = f"  4x input: {t / quarter:4.1f}x time" if quarter else ""
    print(f"{name:28s} {t * 1e3:9.1f} ms  = {t / floor:6.1f}x floor ({floor * 1e3:7.1f} ms){growth}{note}")


def measure(folder: Path, name: str, make, n: int, repeat: int, floor_scan) -> None:
    """`make(n)` and `make(n // 4)` through read_path, beside the floor scan of the bigger file."""
    big, small = folder / name, folder / f"quarter-{name}"
    big.write_text(make(n), encoding="utf-8")
    small.write_text(make(n // 4), encoding="utf-8")
    floor = median_time(lambda: floor_scan(big.read_text(encoding="utf-8")), repeat)
    quarter = median_time(lambda: read_path(small), repeat)
    whole = median_time(lambda: read_path(big), repeat)
    row(f"{name} ({big.stat().st_size / 1e6:.1f} MB)", whole, floor, quarter)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--scale", type=float, default=1.0, help="input sizes times this")
    args = parser.parse_args()
    n = int(131_072 * args.scale)
    mb = int((1 << 20) * args.scale)
    print("(medians; floor: read the file + the one linear scan of it, in the same run)")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for markdown in (False, True):
            name = "stamps.md" if markdown else "stamps.txt"
            measure(folder, name, lambda k, m=markdown: stamps_page(k, m), n, args.repeat, STAMP.findall)
        doc = read_path(folder / "stamps.txt")[0]
        floor = median_time(lambda: [s.text.split() for s in doc.segments], args.repeat)
        row("cat step (inline stamps)", median_time(lambda: cat_lines(doc), args.repeat), floor)
        row("cat --json step", median_time(lambda: cat_json([doc]), args.repeat), floor)
        for flag in ([], ["--json"]):
            cmd = [sys.executable, "-m", "tui.cli", "cat", *flag, str(folder / "stamps.txt")]
            whole = median_time(lambda: subprocess.run(cmd, cwd=ROOT, check=True, stdout=subprocess.DEVNULL), args.repeat)
            read = median_time(lambda: read_path(folder / "stamps.txt"), 1)
            print(f"{'cat process ' + ' '.join(flag):28s} {whole * 1e3:9.1f} ms  (read_path alone {read * 1e3:.1f} ms)")

        for size in (mb, 4 * mb):
            measure(folder, f"comments-{size >> 20 or 1}MB.md", lambda k: "# T\n\n" + "<!--" * (k // 4) + "\n", size,
                    args.repeat, str.split)
        meta = lambda k: '# T\n\nbefore <!-- {"formats": [' + ", ".join(f'"{i}"' for i in range(k // 8)) + "]} --> after\n"  # noqa: E731
        measure(folder, "long-comment.md", meta, 2 * mb, args.repeat, str.split)
        deep = lambda k: "---\ntitle: " + "[" * (k // 2) + "]" * (k // 2) + "\n---\n# H\n\ntext [00:01:00]\n"  # noqa: E731
        measure(folder, "deep-front-matter.md", deep, 12_000, args.repeat, str.split)
        cue = lambda k: "From: x\n\nHead\n\n" + "x [00:01:00] " * k + "\n"  # noqa: E731
        measure(folder, "one-cue.txt", cue, n, args.repeat, str.split)


if __name__ == "__main__":
    main()
