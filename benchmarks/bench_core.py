"""Core benchmark: read, deduplicate and paragraph a 3-hour transcript dump.

    python benchmarks/bench_core.py [--hours 3] [--repeat 7]

Generates a talk of about `hours` hours (tests/gen/captions.py), writes it as a
transcript dump whose Content is the flattened rolling caption track (about
70,000 words for 3 hours) to a temporary folder, and prints medians of:

  floor        reading the file and `str.split()` of its text
  dedup+paras  tui.dedup.dedup_words then tui.paragraphs.build_paragraphs on
               the Content's words (each also alone)
                                                   target: within 10x of floor (goal 3x)
  read_path    tui.readers.read_path: decode, dedup, paragraphs, times
                                                   target: within 10x of floor
  youtube-vtt  the same talk as YouTube WebVTT through read_path (no target)
  cat process  `python -m tui.cli cat FILE` as a whole process (Python start-up
               included; a bare `python -c pass` is printed beside it)
                                                   target: under 0.5 s
  cat dump/srt the dump's `cat` beside `cat` of the same talk as SRT
                                                   target: within 1.5x

Figures only: nothing here asserts on time.
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.timing import median_time  # noqa: E402
from tests.gen.captions import dump_file, flattened, line_cues, make_talk, youtube_vtt  # noqa: E402
from tui.dedup import dedup_words, strip_flat_header  # noqa: E402
from tui.paragraphs import Piece, build_paragraphs  # noqa: E402
from tui.readers import read_path  # noqa: E402


def srt_text(talk) -> str:
    def clock(t: float) -> str:
        ms = int(round(t * 1000))
        return f"{ms // 3600000:02d}:{ms % 3600000 // 60000:02d}:{ms % 60000 // 1000:02d},{ms % 1000:03d}"

    return "\n".join(f"{k + 1}\n{clock(a)} --> {clock(b)}\n{text}\n" for k, (a, b, text) in enumerate(line_cues(talk)))



def paired(floor_fn, fn, repeat: int) -> tuple[float, float, float]:
    """Median times of `floor_fn` and `fn` run in turn, and the median of their
    ratios: on a busy machine each ratio compares runs seconds apart."""
    floors, times, ratios = [], [], []
    for _ in range(repeat):
        t = time.perf_counter()
        floor_fn()
        a = time.perf_counter() - t
        t = time.perf_counter()
        fn()
        b = time.perf_counter() - t
        floors.append(a)
        times.append(b)
        ratios.append(b / a)
    return statistics.median(floors), statistics.median(times), statistics.median(ratios)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--hours", type=float, default=3.0)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()

    # The generator speaks about 8,300 words an hour.
    talk = make_talk(2024, int(8_300 * args.hours), punctuation=False)
    content = flattened(talk, random.Random(2024))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "Three hour talk [abcDEF12345].txt"
        path.write_text(dump_file(content, title="A three-hour talk", duration=talk.duration), encoding="utf-8")
        size = path.stat().st_size
        print(f"talk: {talk.duration / 3600:.2f} h, {len(talk.words):,} words spoken, "
              f"{len(content.split()):,} flattened, {size / 1e6:.2f} MB")

        read_split = lambda: path.read_text(encoding="utf-8").split()  # noqa: E731
        flat = strip_flat_header(content).split()
        spoken = dedup_words(flat)
        floor, both, both_x = paired(read_split, lambda: build_paragraphs([Piece(" ".join(dedup_words(flat)))]), args.repeat)
        _, dedup, dedup_x = paired(read_split, lambda: dedup_words(flat), args.repeat)
        _, paras, paras_x = paired(read_split, lambda: build_paragraphs([Piece(" ".join(spoken))]), args.repeat)
        docs = read_path(path)
        _, core, core_x = paired(read_split, lambda: read_path(path), args.repeat)
        words = sum(len(s.text.split()) for s in docs[0].segments)
        print("(ratios: medians of each run beside a floor run just before it)")
        print(f"floor (read + split)      {floor * 1e3:8.1f} ms")
        print(f"dedup + paragraphs        {both * 1e3:8.1f} ms  = {both_x:5.1f}x floor  (target <= 10x, goal 3x)"
              f"  [dedup {dedup * 1e3:.1f} ms = {dedup_x:.1f}x, paragraphs {paras * 1e3:.1f} ms = {paras_x:.1f}x]")
        print(f"read_path (dedup+paras)   {core * 1e3:8.1f} ms  = {core_x:5.1f}x floor  (target <= 10x)"
              f"  -> {words:,} words in {len(docs[0].segments)} paragraphs")

        # The same talk as YouTube auto-caption WebVTT (no target: printed for reference).
        vtt = Path(tmp) / "Three hour talk [abcDEF12345].en.vtt"
        vtt.write_text(youtube_vtt(talk), encoding="utf-8")
        vtt_floor = median_time(lambda: vtt.read_text(encoding="utf-8").split(), 3)
        vtt_core = median_time(lambda: read_path(vtt), 3)
        print(f"youtube-vtt read_path     {vtt_core * 1e3:8.1f} ms  = {vtt_core / vtt_floor:5.1f}x its floor "
              f"({vtt.stat().st_size / 1e6:.1f} MB, floor {vtt_floor * 1e3:.1f} ms; no target)")

        if (ROOT / "tui" / "cli.py").exists():
            cmd = [sys.executable, "-m", "tui.cli", "cat", str(path)]
            check = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
            if check.returncode != 0:
                print(f"cat process failed ({check.returncode}): {check.stderr.strip()[:200]}")
            else:
                bare = median_time(lambda: subprocess.run([sys.executable, "-c", "pass"], check=True), args.repeat)
                run_cat = lambda: subprocess.run(cmd, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)  # noqa: E731
                whole = median_time(run_cat, args.repeat)
                print(f"cat process               {whole * 1e3:8.1f} ms  (target < 500 ms; "
                      f"bare Python start-up {bare * 1e3:.1f} ms of it)")
                srt = Path(tmp) / "Three hour talk [abcDEF12345].en.srt"
                srt.write_text(srt_text(talk), encoding="utf-8")
                srt_cmd = [sys.executable, "-m", "tui.cli", "cat", str(srt)]
                run_srt = lambda: subprocess.run(srt_cmd, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)  # noqa: E731
                as_srt, as_dump, dump_x = paired(run_srt, run_cat, args.repeat)
                print(f"cat of the same as SRT    {as_srt * 1e3:8.1f} ms  dump {as_dump * 1e3:.1f} ms = {dump_x:4.2f}x SRT"
                      "  (target <= 1.5x)")
        else:
            print("cat process: tui/cli.py not there yet")


if __name__ == "__main__":
    main()
