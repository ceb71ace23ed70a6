"""Library benchmarks: the index of many talks, each figure beside a floor measured in the same run.

    python benchmarks/bench_library.py [--talks 2000] [--minutes 20 90] [--repeat 3] [--queries 50]
    python benchmarks/bench_library.py --talks 100000 --minutes 3 10 --keep /work/bench-100k
    python benchmarks/bench_library.py --talks 10000 --only warm   # iterate on the warm start
    python benchmarks/bench_library.py --talks 100000 --minutes 1 2 --keep /work/bench-100k --only first

Generates N talks (each a transcript of `--minutes` low to high, as transcript
JSON or SRT, plus a Markdown summary page) in a temporary folder, or once into
`--keep DIR` (reused while --talks and --minutes stay the same; the index is
rebuilt there by every run but `--only warm`). Then measures (targets from
issue 14):

  cold index     Index.refresh on an empty cache, beside merely reading and
                 splitting the same files                     within 6x
                 and beside the readers alone on every core   within 2x
  first talks    when the first talks are listed (committed, then
                 talks_so_far) during that cold index, beside the walk of
                 the folder; `--only first` times this alone  within 1 s
  index size     the index file beside its input              at most 0.5x
  warm start     an app start that opens the index, loads every talk and shows
                 them in the TalkList, beside a bare Textual app's start
                                                              within 1.5x
  search key     Index.search per keystroke, typing the queries letter by
                 letter (p50 and p95), beside a plain `in` scan of the same
                 segment texts                                p95 < 50 ms, 20x faster
  list filter    the talk list's typo-tolerant filter per keystroke, beside an
                 `in` scan of the titles                      p95 < 50 ms
  memory         peak RSS of a process showing the talk list, beside a bare
                 app's (each in a fresh process)              < 300 MB more

The machine is named in the header; the README quotes `--talks 10000` and
`--talks 100000 --minutes 3 10`.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.timing import median_time, timed  # noqa: E402
from tui.index import Index  # noqa: E402

# --- a generated library ------------------------------------------------------

COMMON = (
    "the a to of and in that is it you we i this for on be with are so have but not they what do as can at "
    "was about like there if or just one all my an our your know think people really going would more some "
    "model data time because when how very way kind then these right thing things actually also need much "
    "lot work make good want see well now first here other mean could something those into going training "
    "question problem system learning network language research scale compute product users build future"
).split()
NAMES = (
    "karpathy sutskever altman welinder hinton lecun bengio hassabis amodei murati brockman zaremba "
    "schulman radford kaplan hoffmann chinchilla transformer anthropic openai deepmind"
).split()
SYLLABLES = "ka to ri men sa lo ve di na pro ter con ex li mo ba tion ing er al re un de po fi gu ha".split()
LINES_IN_POOL = 30_000
WORDS_PER_MINUTE = 150
CUE_SECONDS = 3.2


def vocabulary(rng: random.Random, size: int = 30_000) -> tuple[list[str], list[float]]:
    """Words with Zipf-like weights: common English first, made-up words after, names sprinkled in."""
    made = sorted({"".join(rng.choices(SYLLABLES, k=rng.randint(2, 4))) for _ in range(size)})
    rng.shuffle(made)
    words = COMMON + made[: size - len(COMMON)]
    for i, name in enumerate(NAMES):  # names are mid-frequency words
        words.insert(300 + 40 * i, name)
    weights = list(itertools.accumulate(1.0 / (rank + 1) ** 1.07 for rank in range(len(words))))
    return words, weights


def line_pool(rng: random.Random) -> list[str]:
    """Caption lines (6 to 11 words) every talk draws from."""
    words, weights = vocabulary(rng)
    lines = []
    for _ in range(LINES_IN_POOL):
        line = rng.choices(words, cum_weights=weights, k=rng.randint(6, 11))
        if rng.random() < 0.25:
            line[-1] += "."
        lines.append(" ".join(line))
    return lines


def clock(seconds: float, sep: str = ",") -> str:
    ms = int(round(seconds * 1000))
    return f"{ms // 3_600_000:02d}:{ms // 60_000 % 60:02d}:{ms // 1000 % 60:02d}{sep}{ms % 1000:03d}"


def generate(root: Path, talks: int, seed: int = 4, length: tuple[float, float] = (20, 90)) -> int:
    """Write the library (transcripts `length` minutes long, low and high); returns its size in bytes."""
    rng = random.Random(seed)
    pool = line_pool(rng)
    total = 0
    lo, hi = length
    for n in range(talks):
        vid = f"v{n:010d}"
        minutes = rng.uniform(lo, hi)
        cues = int(minutes * 60 / CUE_SECONDS)
        lines = rng.choices(pool, k=cues)
        title = " ".join(rng.choice(pool).split()[:5]).rstrip(".").title()
        channel = f"channel{n % 97}"
        if n % 2:
            path = root / f"{channel}" / f"{title} [{vid}].en.srt"
            body = "\n".join(
                f"{i + 1}\n{clock(i * CUE_SECONDS)} --> {clock((i + 1) * CUE_SECONDS)}\n{text}\n" for i, text in enumerate(lines)
            )
        else:
            path = root / f"{channel}" / f"{vid}.json"
            items = [{"text": text, "start": round(i * CUE_SECONDS, 2), "duration": CUE_SECONDS} for i, text in enumerate(lines)]
            body = json.dumps(items)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(body, encoding="utf-8")
        total += len(body.encode())
        summary = [f"---\ntitle: {title}\nvideoId: {vid}\n---\n", f"From: [[{channel}]] <br/>\n"]
        for section in range(rng.randint(4, 9)):
            at = minutes * 60 * section / 10
            summary.append(f"## {' '.join(rng.choice(pool).split()[:4]).rstrip('.').title()}\n")
            for _ in range(rng.randint(1, 3)):
                stamp = clock(at, ".")[:8]
                summary.append(" ".join(rng.choices(pool, k=4)) + f' <a class="yt-timestamp" data-t="{stamp}">[{stamp}]</a>.\n')
                at += rng.uniform(20, 120)
        page = root / channel / f"{title} [{vid}].md"
        text = "\n".join(summary)
        page.write_text(text, encoding="utf-8")
        total += len(text.encode())
    return total


def queries(rng: random.Random, pool: list[str], count: int) -> list[str]:
    """What people type: names, rarer words, two- and three-word phrases from the text, a quoted phrase."""
    out = []
    for i in range(count):
        words = rng.choice(pool).replace(".", "").split()
        kind = i % 5
        if kind == 0:
            out.append(rng.choice(NAMES))
        elif kind == 1:
            out.append(max(words, key=len))
        elif kind in (2, 3):
            k = 2 + (kind == 3)
            s = rng.randrange(0, max(1, len(words) - k))
            out.append(" ".join(words[s : s + k]))
        else:
            s = rng.randrange(0, max(1, len(words) - 2))
            out.append('"' + " ".join(words[s : s + 2]) + '"')
    return out


# --- measures -----------------------------------------------------------------



def cpu_seconds() -> float:
    """CPU time of this process and of its finished children (worker processes): on a busy,
    shared machine a steadier measure of the work done than the wall clock."""
    import resource

    me, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + children.ru_utime + children.ru_stime


def floor_read_split(root: Path) -> None:
    for folder, _dirs, files in os.walk(root):
        for name in files:
            with open(os.path.join(folder, name), encoding="utf-8") as f:
                f.read().split()


def _read_all(paths: list[str]) -> int:
    from tui import readers

    count = 0
    for path in paths:
        try:
            count += len(readers.read_path(path))
        except Exception:
            pass
    return count


def parse_sample(root: Path, share: float = 0.2) -> list[str]:
    """Every fifth file (by default): enough to time the readers without doubling the run."""
    paths = sorted(str(p) for p in root.rglob("*") if p.is_file())
    step = max(1, round(1 / share))
    return paths[::step]


def floor_parse(paths: list[str]) -> None:
    """The readers alone on every core: what any index must spend before storing a word."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    chunks = [paths[i : i + 8] for i in range(0, len(paths), 8)]
    with ProcessPoolExecutor(os.cpu_count(), mp_context=multiprocessing.get_context("spawn")) as pool:
        sum(pool.map(_read_all, chunks))


def cold_index(root: Path, cache: Path, stop_when_listed: bool = False) -> float | None:
    """Index `root` from nothing; returns when the first talks were listed (seconds): the first
    commit, then `talks_so_far`, as a first run's app lists them. With `stop_when_listed`, the
    refresh is cancelled then (to time the first listing alone on a big library)."""
    shutil.rmtree(cache, ignore_errors=True)
    began = time.perf_counter()
    first: list[float] = []

    with Index.open(cache) as index:

        def stored(done: int, total: int) -> None:
            if not first and index.talks_so_far():
                first.append(time.perf_counter() - began)

        index.refresh(root, stored=stored, cancelled=(lambda: bool(first)) if stop_when_listed else None)
    return first[0] if first else None


def walk_alone(root: Path) -> float:
    """The floor of a first listing: finding every file of the library (what the refresh walks)."""
    from tui.index import _Walk

    t = time.perf_counter()
    for _ in _Walk(root):
        pass
    return time.perf_counter() - t


def first_only(args) -> int:
    """When a first run lists its first talks, beside the walk of the whole folder (cancelled once listed)."""
    root, cache, size = kept_library(args)
    os.environ["TALKSHELF_CACHE_DIR"] = str(cache)  # never the real cache
    (cache / "built").unlink(missing_ok=True)
    firsts = [cold_index(root, cache, stop_when_listed=True) for _ in range(args.repeat)]
    walks = [walk_alone(root) for _ in range(args.repeat)]
    first = statistics.median(f for f in firsts if f is not None)
    print(f"| first talks listed, cold, {args.talks} talks ({size / 1e6:.0f} MB) | {first:.2f} s "
          f"| {statistics.median(walks):.2f} s walk of the folder alone | - | within 1 s |")
    return 0


async def _bare_app() -> None:
    from textual.app import App

    async with App().run_test(size=(120, 40)) as pilot:
        await pilot.pause()


async def _talk_list_app(cache: Path) -> int:
    from textual.app import App, ComposeResult

    from widgets.talk_list import TalkList

    class Shelf(App):
        def compose(self) -> ComposeResult:
            yield TalkList()

        def on_mount(self) -> None:
            self.index = Index.open(cache)
            self.query_one(TalkList).set_talks(self.index.talks())

        def on_unmount(self) -> None:
            self.index.close()  # as the app does: each start its own connection, none left open

    app = Shelf()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        return len(app.query_one(TalkList).talks)


def peak_rss_mb(code: str) -> float:
    """Peak RSS of a fresh Python process running `code` (after it has run)."""
    # VmHWM, not ru_maxrss: Linux carries the parent's peak into a child's ru_maxrss.
    probe = code + (
        "\nprint(next(l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM:')))"
    )
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True)
    return int(out.stdout.split()[-1]) / 1024


def warm_row(cache: Path, talks: int, repeat: int) -> tuple[str, str, str, str, str]:
    """The warm start: app + index + talk list vs a bare app."""
    shown = asyncio.run(_talk_list_app(cache))
    assert shown == talks, f"the list shows {shown} talks, expected {talks}"
    asyncio.run(_bare_app())
    # In turn, so a slow spell of the machine slows both alike.
    bares, warms = [], []
    for _ in range(repeat + 2):
        bares += timed(lambda: asyncio.run(_bare_app()), 1)
        warms += timed(lambda: asyncio.run(_talk_list_app(cache)), 1)
    bare, warm = statistics.median(bares), statistics.median(warms)
    with Index.open(cache) as index:
        load = median_time(index.talks, repeat + 2)
    return (
        f"warm start, {talks} talks listed",
        f"{warm * 1000:.0f} ms (talks() {load * 1000:.0f} ms)",
        f"{bare * 1000:.0f} ms bare app",
        f"{warm / bare:.2f}x",
        "within 1.5x",
    )


def kept_library(args) -> tuple[Path, Path, int]:
    """The library in the kept folder (`--keep`, else a fixed temp folder), generated on the first run only."""
    work = Path(args.keep) if args.keep else Path(tempfile.gettempdir()) / f"talkshelf-bench-keep-{args.talks}"
    root, cache = work / "library", work / "cache"
    stamp = work / "generated.json"
    wanted = {"talks": args.talks, "minutes": list(args.minutes)}
    if not stamp.exists() or json.loads(stamp.read_text()).get("params") != wanted:
        shutil.rmtree(root, ignore_errors=True)  # only what this script made there
        shutil.rmtree(cache, ignore_errors=True)
        t = time.perf_counter()
        size = generate(root, args.talks, length=args.minutes)
        work.mkdir(parents=True, exist_ok=True)
        stamp.write_text(json.dumps({"params": wanted, "bytes": size}))
        print(f"generated {args.talks} talks ({size / 1e6:.0f} MB) in {time.perf_counter() - t:.1f} s into {root}", file=sys.stderr)
    return root, cache, json.loads(stamp.read_text())["bytes"]


def warm_only(args) -> int:
    """The warm-start row alone, on a library and index kept between runs (built on the first)."""
    root, cache, _size = kept_library(args)
    os.environ["TALKSHELF_CACHE_DIR"] = str(cache)  # never the real cache
    if not (cache / "built").exists():
        cold_index(root, cache)
        (cache / "built").touch()
    row = warm_row(cache, args.talks, args.repeat)
    print(f"| {' | '.join(row)} |")
    return 0


def filter_row(cache: Path, typed: list[str], repeat: int) -> tuple[str, str, str, str, str]:
    """The talk list's type-to-filter per keystroke, beside a plain `in` scan of the same titles."""
    from widgets.talk_list import TalkFilter

    with Index.open(cache) as index:
        talks = index.talks()
    texts = [f"{t.title} {t.channel or ''}" for t in talks]
    t = time.perf_counter()
    match = TalkFilter(texts)
    build = time.perf_counter() - t
    keys = [q.replace('"', "")[:i] for q in typed for i in range(1, len(q.replace('"', "")) + 1)]
    latencies = []
    for q in keys:
        latencies.append(median_time(lambda: match(q), repeat))
    folded = [x.casefold() for x in texts]
    scans = [median_time(lambda: [i for i, h in enumerate(folded) if q.casefold() in h], repeat) for q in keys]
    p50, p95 = statistics.median(latencies), percentile(latencies, 0.95)
    return (
        f"list filter keystroke ({len(keys)} keys, {len(talks)} titles)",
        f"p50 {p50 * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms (first key builds it: {build * 1000:.0f} ms)",
        f"{statistics.median(scans) * 1000:.1f} ms `in` scan of titles (p50)",
        f"{p50 / statistics.median(scans):.1f}x the scan",
        "p95 < 50 ms",
    )





def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--talks", type=int, default=2000)
    p.add_argument("--minutes", type=float, nargs=2, default=(20.0, 90.0), metavar=("LOW", "HIGH"),
                   help="each transcript's length, drawn between these (default 20 90)")
    p.add_argument("--keep", help="generate the library once into this folder and reuse it (with its index)")
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--cold-repeat", type=int, default=1, help="cold index runs (each reads the whole library)")
    p.add_argument("--queries", type=int, default=50)
    p.add_argument("--scan-samples", type=int, default=40, help="keystrokes timed for the `in` scan floor")
    p.add_argument("--only", choices=("warm", "first"), help="measure only this, reusing a kept library (and index, for warm)")
    args = p.parse_args(argv)
    if args.only == "warm":
        return warm_only(args)
    if args.only == "first":
        return first_only(args)

    if args.keep:
        root, cache, size = kept_library(args)
        work = None
    else:
        work = Path(tempfile.mkdtemp(prefix="talkshelf-bench-"))
        root, cache = work / "library", work / "cache"
        t = time.perf_counter()
        size = generate(root, args.talks, length=args.minutes)
        print(f"generated {args.talks} talks ({size / 1e6:.0f} MB) in {time.perf_counter() - t:.1f} s", file=sys.stderr)
    os.environ["TALKSHELF_CACHE_DIR"] = str(cache)  # never the real cache
    mb = size / 1e6
    rows: list[tuple[str, str, str, str, str]] = []
    try:
        # cold index vs read + split, and vs the readers alone on every core
        floor = median_time(lambda: floor_read_split(root), args.repeat)
        sample = parse_sample(root)
        sample_mb = sum(os.path.getsize(p) for p in sample) / 1e6
        c = cpu_seconds()
        parse = median_time(lambda: floor_parse(sample), args.cold_repeat) * mb / sample_mb
        parse_cpu = (cpu_seconds() - c) / args.cold_repeat * mb / sample_mb
        firsts: list[float] = []

        def cold() -> None:
            first = cold_index(root, cache)
            if first is not None:
                firsts.append(first)

        c = cpu_seconds()
        cold_s = median_time(cold, args.cold_repeat)
        cold_cpu = (cpu_seconds() - c) / args.cold_repeat
        (cache / "built").touch()  # `--only warm` may reuse this index
        index_mb = sum(f.stat().st_size for f in cache.iterdir()) / 1e6
        runs = f", median of {args.cold_repeat}" if args.cold_repeat > 1 else ", one run"
        rows.append(("cold index", f"{mb / cold_s:.1f} MB/s ({cold_s:.1f} s{runs})", f"{mb / floor:.0f} MB/s read+split",
                     f"{cold_s / floor:.1f}x", "within 6x"))
        rows.append(("cold index vs the readers alone", f"{mb / cold_s:.1f} MB/s", f"{mb / parse:.1f} MB/s tui.readers, all cores (1/5 sample)",
                     f"{cold_s / parse:.1f}x", "within 2x"))
        rows.append(("  the same in CPU seconds", f"{cold_cpu:.0f} s", f"{parse_cpu:.0f} s readers alone",
                     f"{cold_cpu / parse_cpu:.1f}x", "-"))
        rows.append(("first talks listed during it", f"{statistics.median(firsts):.2f} s" if firsts else "-", "-", "-", "within 1 s"))
        rows.append(("index size", f"{index_mb:.0f} MB", f"{mb:.0f} MB of input", f"{index_mb / mb:.2f}x", "at most 0.5x"))
        print(f"cold index {cold_s:.1f} s", file=sys.stderr)

        # warm start: app + index + talk list vs a bare app
        rows.append(warm_row(cache, args.talks, args.repeat))

        # per-keystroke search vs a plain `in` scan of the same text
        rng = random.Random(11)
        typed = queries(rng, line_pool(random.Random(4)), args.queries)
        with Index.open(cache) as index:
            texts = [r[0].casefold() for r in index._conn.execute("SELECT text FROM segments")]
            latencies = []
            keystrokes = []
            for q in typed:
                for i in range(1, len(q) + 1):
                    keystrokes.append(q[:i])
                    t = time.perf_counter()
                    index.search(q[:i], limit=50)
                    latencies.append(time.perf_counter() - t)
            t = time.perf_counter()
            index.corrections("sutskevr karpaty")
            first_fix = time.perf_counter() - t
            fixes = []
            for word in ("sutskevr", "karpaty", "hasabis", "welindr", "chinchila"):
                t = time.perf_counter()
                index.corrections(word + " ")
                fixes.append(time.perf_counter() - t)
            vocab_size = len(index.vocabulary())
        step = max(1, len(keystrokes) // args.scan_samples)
        scans = []
        for q in keystrokes[::step]:
            needle = q.replace('"', "").casefold()
            t = time.perf_counter()
            [i for i, text in enumerate(texts) if needle in text]
            scans.append(time.perf_counter() - t)
        p50, p95, scan = statistics.median(latencies), percentile(latencies, 0.95), statistics.median(scans)
        del texts
        rows.append((
            f"search keystroke ({len(latencies)} keys)",
            f"p50 {p50 * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms",
            f"{scan * 1000:.0f} ms `in` scan (p50)",
            f"{scan / p50:.0f}x faster",
            "p95 < 50 ms, 20x",
        ))

        rows.append((
            f"did you mean ({vocab_size} words)",
            f"{statistics.median(fixes) * 1000:.0f} ms",
            f"first: {first_fix * 1000:.0f} ms (loads vocabulary)",
            "-",
            "-",
        ))

        # the talk list's filter, typing the same queries
        rows.append(filter_row(cache, typed, args.repeat))

        # peak memory of the talk list vs a bare app, each in a fresh process
        bare_rss = peak_rss_mb(
            "import asyncio, benchmarks.bench_library as b; asyncio.run(b._bare_app())"
        )
        list_rss = peak_rss_mb(
            f"import asyncio, pathlib, benchmarks.bench_library as b; asyncio.run(b._talk_list_app(pathlib.Path({str(cache)!r})))"
        )
        rows.append((
            f"peak memory, {args.talks} talks listed",
            f"{list_rss:.0f} MB",
            f"{bare_rss:.0f} MB bare app",
            f"+{list_rss - bare_rss:.0f} MB",
            "< +300 MB",
        ))
    finally:
        if work is not None:
            shutil.rmtree(work, ignore_errors=True)

    lo, hi = args.minutes
    print(f"\ntalkshelf library benchmark: {args.talks} talks of {lo:g}-{hi:g} minutes, {mb:.0f} MB of input; "
          f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"medians of {args.repeat}\n")
    header = ("measure", "talkshelf", "floor (same run)", "ratio", "target")
    widths = [max(len(r[i]) for r in rows + [header]) for i in range(5)]
    for r in [header, tuple("-" * w for w in widths)] + rows:
        print("| " + " | ".join(c.ljust(w) for c, w in zip(r, widths)) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
