"""Reader benchmarks: medians of repeated runs, each beside a floor measured in the same run.

    python benchmarks/bench_reader.py [--repeat N] [--library DIR --cache DIR]

Measures (targets from issues 3 and 14):
  open talk      `TranscriptView.show()` of a 3-hour talk + first paint   < 150 ms
  screen         every `render_line` of a 40-row screen after a jump,
                 strip caches cold                                        < 5 ms
  search key     one `search()` keystroke (growing prefixes of words)    < 10 ms
  talk + summary the talk screen of a 3-hour talk with a 200-paragraph
                 summary beside it, beyond the same screen with a
                 one-paragraph summary (issue 10)                         < 150 ms
  summary screen every `render_line` of the summary pane after a jump     < 5 ms
  talk screen    the whole talk screen of a 3-hour talk until painted     < 150 ms
  first paint    app start to its first painted screen, sample library,
                 beside a bare Textual app (and the same widgets without
                 data, in the note)                                       1.3x
  big library    the same through the index of `--library` (e.g. 100,000
                 talks from bench_library --keep)                         1.5x

Each measure is a function returning (median, floor, note); `main()` prints
the table. The floor is the smallest comparable work: a repaint of a one-
paragraph talk, 40 plain `Strip` constructions, a plain substring scan.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sys
import time
from pathlib import Path
from typing import Callable

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.timing import median_ms  # noqa: E402
from rich.segment import Segment as RichSegment  # noqa: E402
from rich.style import Style  # noqa: E402
from textual.app import App, ComposeResult  # noqa: E402
from textual.strip import Strip  # noqa: E402

from tui.model import Segment  # noqa: E402
from widgets.transcript_view import TranscriptView  # noqa: E402

THREE_HOURS = 3 * 3600.0
SCREEN_ROWS = 40
SEARCH_WORDS = ("scaling", "sutskever", "intelligence")


def three_hour_talk(paragraphs: int = 2000, seed: int = 7) -> list[Segment]:
    """A generated 3-hour transcript: ~2,000 paragraphs of 12-30 words, 5.4 s apart.

    Words follow a Zipf-like spread over common English words and made-up
    ones, so the vocabulary is a few thousand words like a real talk's. The
    name "suitskiver" (a caption's misspelling) appears a few times.
    """
    rnd = random.Random(seed)
    common = (
        "the a of and to in is that it we you this so was for on are with they be "
        "model data learning scaling intelligence network training think really know"
    ).split()
    syllables = "ka to ri me su lo an ve ti pa ne or qu el is ba de mi gu fe".split()
    invented = ["".join(rnd.choice(syllables) for _ in range(rnd.randint(1, 4))) for _ in range(6000)]
    vocabulary = common + invented
    weights = [1 / (rank + 1) for rank in range(len(vocabulary))]
    step = THREE_HOURS / paragraphs
    out = []
    for i in range(paragraphs):
        words = rnd.choices(vocabulary, weights, k=rnd.randint(12, 30))
        if i % 400 == 123:
            words.insert(3, "suitskiver")
        text = " ".join(words).capitalize() + "."
        out.append(Segment(start=i * step, end=(i + 1) * step, text=text, estimated=i % 7 == 0, line=i + 1))
    return out


class ViewApp(App):
    def compose(self) -> ComposeResult:
        yield TranscriptView()


def run_in_app(body: Callable[[App, object], "asyncio.Future"], size: tuple[int, int] = (120, SCREEN_ROWS)):
    """Run `body(app, pilot)` inside a headless app and return its result."""

    async def go():
        app = ViewApp()
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            return await body(app, pilot)

    return asyncio.run(go())


def bench_open_talk(repeat: int) -> tuple[float, float, str]:
    """show() of a 3-hour talk until the screen has been refreshed with it."""
    talk = three_hour_talk()
    tiny = talk[:1]

    async def body(app, pilot):
        view = app.query_one(TranscriptView)
        big, small = [], []
        for _ in range(repeat):
            for segments, samples in ((talk, big), (tiny, small)):
                painted = asyncio.Event()
                t0 = time.perf_counter()
                view.show(segments)
                # Runs once the screen has been refreshed with the new content.
                view.call_after_refresh(painted.set)
                await painted.wait()
                samples.append(time.perf_counter() - t0)
                await pilot.pause()
                await app.workers.wait_for_complete()
        return median_ms(big), median_ms(small)

    large, floor = run_in_app(body)
    return large, floor, f"{len(talk)} paragraphs; floor: a 1-paragraph talk"


def bench_screen_after_jump(repeat: int) -> tuple[float, float, str]:
    """All render_line calls of a 40-row screen after jump_to_time, strip cache cleared."""
    talk = three_hour_talk()
    rnd = random.Random(3)

    async def body(app, pilot):
        view = app.query_one(TranscriptView)
        view.show(talk)
        await pilot.pause()
        # The search vocabulary is built in a thread after the first paint;
        # let it finish so it does not share the CPU with what is measured.
        await app.workers.wait_for_complete()
        rows = view.scrollable_content_region.height
        width = view.scrollable_content_region.width
        samples, floors = [], []
        for _ in range(repeat):
            view.jump_to_time(rnd.uniform(0, THREE_HOURS))
            view._strips.clear()  # cold: nothing of this screen drawn yet
            t0 = time.perf_counter()
            texts = [view.render_line(y).text for y in range(rows)]
            samples.append(time.perf_counter() - t0)
            style = Style(color="white")
            t0 = time.perf_counter()
            for text in texts:
                Strip([RichSegment(text, style)]).crop_extend(0, width, style)
            floors.append(time.perf_counter() - t0)
        return median_ms(samples), median_ms(floors), rows

    screen, floor, rows = run_in_app(body)
    return screen, floor, f"{rows} rows; floor: {rows} plain Strip constructions"


def bench_search_keystroke(repeat: int) -> tuple[float, float, str]:
    """search() for each growing prefix of a few words (exact and close matches)."""
    talk = three_hour_talk()
    prefixes = [word[:n] for word in SEARCH_WORDS for n in range(1, len(word) + 1)]
    haystack = "\n".join(s.text for s in talk).lower()

    async def body(app, pilot):
        view = app.query_one(TranscriptView)
        view.show(talk)
        await pilot.pause()  # first paint; then the close-match vocabulary is built
        await app.workers.wait_for_complete()
        assert view._index.ready, "the close-match vocabulary was not built in the background"
        samples, floors, worst = [], [], (0.0, "")
        for _ in range(repeat):
            for prefix in prefixes:
                t0 = time.perf_counter()
                view.search(prefix)
                took = time.perf_counter() - t0
                samples.append(took)
                worst = max(worst, (took, prefix))
                t0 = time.perf_counter()
                haystack.count(prefix)
                floors.append(time.perf_counter() - t0)
        return median_ms(samples), median_ms(floors), worst

    search, floor, worst = run_in_app(body)
    return search, floor, f"{len(prefixes)} prefixes; slowest {worst[0] * 1000:.1f} ms ({worst[1]!r}); floor: str.count scan"


# --- the app: start-up and opening a talk screen (helper-3) ---------------------


def _startup_apps(library_path: Path | None = None, use_index: bool = False):
    """A bare Textual app, the same widgets as talkshelf's first screen without data, and talkshelf
    (on the sample library, or `library_path` through its index), each noting when its first screen is painted."""
    from textual.widgets import Footer, Input, Static

    from tui.app import TalkshelfApp
    from tui.config import Config
    from tui.paths import sample_library
    from widgets.footer import Footer as OurFooter
    from widgets.input_placeholder import InputPlaceholder
    from widgets.talk_list import TalkList
    from widgets.talk_list_screen import TalkListScreen
    from widgets.title_bar import TitleBar

    class BareApp(App):
        def __init__(self) -> None:
            super().__init__()
            self.painted = asyncio.Event()

        def compose(self) -> ComposeResult:
            yield Static("hello")
            yield Footer()

        def on_mount(self) -> None:
            self.call_after_refresh(self.painted.set)

    class SameWidgets(App):
        """talkshelf's first screen as widgets alone: its CSS, bindings, header, filter, list and footer; no data."""

        CSS_PATH = TalkshelfApp.CSS_PATH
        BINDINGS = TalkshelfApp.BINDINGS + TalkListScreen.BINDINGS

        def __init__(self) -> None:
            super().__init__()
            self.painted = asyncio.Event()

        def compose(self) -> ComposeResult:
            yield TitleBar("talkshelf", "T transcript · S summaries · N notes", aside_min_width=100, id="list-header")
            yield InputPlaceholder("Filter talks by title or channel", lambda: Input(id="filter"), id="filter-placeholder")
            yield TalkList(id="talks")
            yield OurFooter(compact=True)

        def on_mount(self) -> None:
            self.query_one(TalkList).focus()
            self.call_after_refresh(self.painted.set)

    class TimedTalkshelf(TalkshelfApp):
        def __init__(self) -> None:
            super().__init__(None, config=Config(), library_path=library_path or sample_library(), use_index=use_index)
            self.painted = asyncio.Event()
            self.filled = asyncio.Event()

        def list_screen_ready(self) -> None:
            super().list_screen_ready()
            self.screen.call_after_refresh(self.painted.set)

        def _library_ready(self) -> None:
            super()._library_ready()
            self.screen.call_after_refresh(self.filled.set)

    return BareApp, SameWidgets, TimedTalkshelf


def bench_startup(repeat: int, library_path: Path | None = None, use_index: bool = False) -> tuple[float, float, str]:
    """From creating the app to its first painted screen: talkshelf vs a bare app (and vs the same widgets without data)."""
    BareApp, SameWidgets, TimedTalkshelf = _startup_apps(library_path, use_index)

    async def once(make) -> tuple[float, float]:
        t0 = time.perf_counter()
        app = make()
        async with app.run_test(size=(120, SCREEN_ROWS)):
            await app.painted.wait()
            painted = time.perf_counter() - t0
            if hasattr(app, "filled"):
                await app.filled.wait()
            filled = time.perf_counter() - t0
        return painted, filled

    async def go():
        ours, bare, same, filled = [], [], [], []
        await once(TimedTalkshelf)  # warm imports and caches for all alike
        await once(BareApp)
        await once(SameWidgets)
        for _ in range(repeat):
            painted, full = await once(TimedTalkshelf)
            ours.append(painted)
            filled.append(full)
            bare.append((await once(BareApp))[0])
            same.append((await once(SameWidgets))[0])
        return median_ms(ours), median_ms(bare), median_ms(same), median_ms(filled)

    value, floor, same, full = asyncio.run(go())
    what = "the index" if use_index else "the sample library"
    return value, floor, (
        f"{what} listed after {full:.1f} ms (read in a worker); floor: a bare App with a Static and a Footer; "
        f"the same widgets, CSS and bindings without data: {same:.1f} ms ({same / floor:.2f}x the floor)"
    )


_PROCESS_BARE = """
import asyncio, sys
from textual.app import App
from textual.widgets import Footer, Static

class Bare(App):
    def compose(self):
        yield Static("hello")
        yield Footer()

    def on_mount(self):
        self.call_after_refresh(self.painted)

    def painted(self):
        print("painted", flush=True)
        self.exit()

asyncio.run(Bare().run_async(headless=True, size=(120, 40)))
"""

_PROCESS_OURS = """
import asyncio, sys
from tui.app import TalkshelfApp
from tui.config import Config
from tui.paths import sample_library

class Timed(TalkshelfApp):
    def list_screen_ready(self):
        super().list_screen_ready()
        self.screen.call_after_refresh(self.painted)

    def painted(self):
        print("painted", flush=True)
        self.exit()

asyncio.run(Timed(None, config=Config(), library_path=sample_library()).run_async(headless=True, size=(120, 40)))
"""


def bench_process_start(repeat: int) -> tuple[float, float, str]:
    """A fresh `python` process to its first painted screen (imports included): talkshelf on the
    sample library beside a bare Textual app, run alternately."""
    import subprocess

    root = Path(__file__).resolve().parents[1]
    # As installed: pip byte-compiles a package, so the warm-up run below may write talkshelf's
    # bytecode even where PYTHONDONTWRITEBYTECODE is set (Textual's came compiled from its wheel).
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}

    def once(code: str) -> float:
        t0 = time.perf_counter()
        child = subprocess.Popen([sys.executable, "-c", code], cwd=root, env=env, stdout=subprocess.PIPE, text=True)
        assert child.stdout is not None
        line = child.stdout.readline()
        took = time.perf_counter() - t0
        child.wait()
        assert line.strip() == "painted", f"the child did not paint: {line!r}"
        return took

    once(_PROCESS_OURS)  # bytecode caches and the page cache warm for both
    once(_PROCESS_BARE)
    ours, bare = [], []
    for _ in range(repeat):
        ours.append(once(_PROCESS_OURS))
        bare.append(once(_PROCESS_BARE))
    return median_ms(ours), median_ms(bare), "a fresh process each, imports included; floor: a bare App with a Static and a Footer"


def bench_open_talk_screen(repeat: int) -> tuple[float, float, str]:
    """The whole talk screen of a 3-hour talk (transcript, outline, placing 12 untimed sections) until painted."""
    from tui.app import TalkshelfApp
    from widgets.talk_screen import TalkScreen
    from tui.config import Config
    from tui.library import Library
    from tui.model import Document, OutlineEntry, Role, Talk

    segments = three_hour_talk()
    sections = [OutlineEntry(f"Section {i}", 2, None, i, "none") for i in range(12)]
    summary_segments = [Segment(None, None, segments[i * 160 + 5].text) for i in range(12)]
    documents = [
        Document("/t.vtt", Role.TRANSCRIPT, "vtt", segments=segments),
        Document("/t.md", Role.SUMMARY, "markdown", segments=summary_segments, outline=sections),
    ]
    talk = Talk("long", "A three-hour talk", video_id="abcdefghijk", duration=THREE_HOURS, documents=documents)
    # The floor: the same screen (transcript and outline) for one paragraph and one section.
    tiny = Talk(
        "tiny",
        "A one-paragraph talk",
        documents=[
            Document("/s.vtt", Role.TRANSCRIPT, "vtt", segments=segments[:1]),
            Document("/s.md", Role.SUMMARY, "markdown", segments=summary_segments[:1], outline=sections[:1]),
        ],
    )

    async def go():
        app = TalkshelfApp(Library(Path("/bench"), [talk, tiny], []), config=Config())
        big, small = [], []
        async with app.run_test(size=(120, SCREEN_ROWS)) as pilot:
            await pilot.pause()
            for _ in range(repeat):
                for which, samples in ((talk, big), (tiny, small)):
                    painted = asyncio.Event()
                    t0 = time.perf_counter()
                    screen = TalkScreen(which, notes=app.notes)
                    await app.push_screen(screen)
                    screen.call_after_refresh(painted.set)
                    await painted.wait()
                    samples.append(time.perf_counter() - t0)
                    await app.workers.wait_for_complete()
                    await app.pop_screen()
                    await pilot.pause()
        return median_ms(big), median_ms(small)

    value, floor = asyncio.run(go())
    return value, floor, f"{len(segments)} paragraphs, 12 sections placed by matching; floor: the screen for 1 paragraph and 1 section"


def summary_page(paragraphs: int = 200, seed: int = 11) -> str:
    """A generated Markdown summary page of a 3-hour talk: a `##` section every 10 paragraphs,
    2-3 stamps in each paragraph, every fourth paragraph a bullet."""
    rnd = random.Random(seed)
    words = "the model learns scaling data compute safety research product users alignment open source".split()
    lines = ["---", "title: A three-hour talk", "videoId: abcdefghijk", "---", "", "From: [[bench]] <br/>", ""]
    step = THREE_HOURS / paragraphs
    for i in range(paragraphs):
        if i % 10 == 0:
            lines += [f"## Section {i // 10}", ""]
        t = i * step
        parts = []
        for k in range(rnd.randint(2, 3)):
            sentence = " ".join(rnd.choices(words, k=rnd.randint(8, 16))).capitalize()
            stamp = int(t + k * step / 3)
            h, m, sec = stamp // 3600, stamp % 3600 // 60, stamp % 60
            anchor = f'<a class="yt-timestamp" data-t="{h:02d}:{m:02d}:{sec:02d}">[{h:02d}:{m:02d}:{sec:02d}]</a>'
            parts.append(f"{sentence} {anchor}.")
        lines += [("- " if i % 4 == 3 else "") + " ".join(parts), ""]
    return "\n".join(lines)


def _summary_talks():
    from tui.model import Document, Role, Talk
    from tui.readers import read_text_as

    segments = three_hour_talk()
    page = read_text_as(summary_page(), "/t.md", "markdown")[0]
    one = read_text_as(summary_page(1), "/s.md", "markdown")[0]

    def talk(key: str, summary) -> Talk:
        transcript = Document(f"/{key}.vtt", Role.TRANSCRIPT, "vtt", segments=segments)
        return Talk(key, "A three-hour talk", video_id="abcdefghijk", duration=THREE_HOURS, documents=[transcript, summary])

    return talk("long", page), talk("short", one), len(page.segments)


def bench_open_talk_with_summary(repeat: int) -> tuple[float, float, str]:
    """The talk screen, both panes at 120 columns: a 3-hour talk with a 200-paragraph summary
    beside it, against the same talk with a one-paragraph summary (the floor)."""
    from tui.app import TalkshelfApp
    from tui.config import Config
    from tui.library import Library
    from widgets.talk_screen import TalkScreen

    long_talk, short_talk, paragraphs = _summary_talks()

    async def go():
        app = TalkshelfApp(Library(Path("/bench"), [long_talk, short_talk], []), config=Config())
        big, small = [], []
        async with app.run_test(size=(120, SCREEN_ROWS)) as pilot:
            await pilot.pause()
            for _ in range(repeat):
                for which, samples in ((long_talk, big), (short_talk, small)):
                    painted = asyncio.Event()
                    t0 = time.perf_counter()
                    screen = TalkScreen(which, notes=app.notes)
                    await app.push_screen(screen)
                    screen.call_after_refresh(painted.set)
                    await painted.wait()
                    samples.append(time.perf_counter() - t0)
                    assert screen.summary.display and screen.transcript.display
                    await app.workers.wait_for_complete()
                    await app.pop_screen()
                    await pilot.pause()
        return median_ms(big), median_ms(small)

    value, floor = asyncio.run(go())
    return value, floor, f"{paragraphs}-paragraph summary beside 2000 paragraphs; floor: the same with a 1-paragraph summary"


def bench_summary_screen_after_jump(repeat: int) -> tuple[float, float, str]:
    """All render_line calls of the summary pane (both panes at 120 columns) after the transcript jumps, strips cold."""
    from tui.app import TalkshelfApp
    from tui.config import Config
    from tui.library import Library
    from widgets.talk_screen import TalkScreen

    long_talk, _, _ = _summary_talks()
    rnd = random.Random(5)

    async def go():
        app = TalkshelfApp(Library(Path("/bench"), [long_talk], []), config=Config())
        async with app.run_test(size=(120, SCREEN_ROWS)) as pilot:
            await pilot.pause()
            screen = TalkScreen(long_talk, notes=app.notes)
            await app.push_screen(screen)
            await pilot.pause()
            await app.workers.wait_for_complete()
            view = screen.summary
            rows = view.scrollable_content_region.height
            width = view.scrollable_content_region.width
            samples, floors = [], []
            for _ in range(repeat):
                screen.transcript.jump_to_time(rnd.uniform(0, THREE_HOURS))  # the summary follows
                await pilot.pause()
                view._strips.clear()
                t0 = time.perf_counter()
                texts = [view.render_line(y).text for y in range(rows)]
                samples.append(time.perf_counter() - t0)
                style = Style(color="white")
                t0 = time.perf_counter()
                for text in texts:
                    Strip([RichSegment(text, style)]).crop_extend(0, width, style)
                floors.append(time.perf_counter() - t0)
            return median_ms(samples), median_ms(floors), rows

    screen, floor, rows = asyncio.run(go())
    return screen, floor, f"{rows} rows of the summary pane; floor: {rows} plain Strip constructions"


MEASURES: list[tuple[str, Callable[[int], tuple[float, float, str]], float]] = [
    ("open 3-hour talk", bench_open_talk, 150.0),
    ("screen after jump", bench_screen_after_jump, 5.0),
    ("search keystroke", bench_search_keystroke, 10.0),
    ("open talk screen", bench_open_talk_screen, 150.0),
    ("summary screen", bench_summary_screen_after_jump, 5.0),
]
# Targets for the time beyond the floor measured in the same run.
BEYOND_MEASURES: list[tuple[str, Callable[[int], tuple[float, float, str]], float]] = [
    ("talk + summary", bench_open_talk_with_summary, 150.0),
]
# Targets relative to the floor measured in the same run.
RELATIVE_MEASURES: list[tuple[str, Callable[[int], tuple[float, float, str]], float]] = [
    ("start to first paint", bench_startup, 1.3),
    ("process to 1st paint", bench_process_start, 1.3),
]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15, help="runs per measure (median reported)")
    parser.add_argument("--only", help="run only the measures whose name contains this")
    parser.add_argument("--library", help="also time the start on this library through its index (e.g. bench_library's --keep folder/library)")
    parser.add_argument("--cache", help="the cache folder holding that library's index (default: TALKSHELF_CACHE_DIR)")
    args = parser.parse_args(argv)
    import os
    import tempfile

    # Bookmarks, notes, positions and settings of the benchmark's apps stay out of the real
    # home folder, in a folder of the run's own, removed at the end.
    import atexit
    import shutil

    scratch = tempfile.mkdtemp(prefix="talkshelf-bench-reader-")
    atexit.register(shutil.rmtree, scratch, ignore_errors=True)
    for name in ("DATA", "CONFIG", "CACHE"):
        os.environ.setdefault(f"TALKSHELF_{name}_DIR", os.path.join(scratch, name.lower()))
    if args.only:
        for table in (MEASURES, BEYOND_MEASURES, RELATIVE_MEASURES):
            table[:] = [m for m in table if args.only in m[0]]
    print(f"{'measure':<20} {'median ms':>10} {'floor ms':>10} {'target ms':>10}  notes")
    for name, measure, target in MEASURES:
        value, floor, note = measure(args.repeat)
        flag = "" if value < target else "  OVER TARGET"
        print(f"{name:<20} {value:>10.2f} {floor:>10.2f} {target:>10.0f}  {note}{flag}")
    for name, measure, beyond in BEYOND_MEASURES:
        value, floor, note = measure(args.repeat)
        flag = "" if value - floor < beyond else "  OVER TARGET"
        print(f"{name:<20} {value:>10.2f} {floor:>10.2f} {f'+{beyond:.0f} floor':>10}  {note}{flag}")
    relative = list(RELATIVE_MEASURES)
    if args.library:
        if args.cache:
            os.environ["TALKSHELF_CACHE_DIR"] = args.cache
        library = Path(args.library)
        relative.append(("first paint, big lib", lambda r: bench_startup(r, library, use_index=True), 1.5))
    for name, measure, factor in relative:
        value, floor, note = measure(args.repeat)
        flag = "" if value <= factor * floor else "  OVER TARGET"
        print(f"{name:<20} {value:>10.2f} {floor:>10.2f} {f'{factor}x floor':>10}  {note}{flag}")


if __name__ == "__main__":
    main()
