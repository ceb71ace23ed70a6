"""A small library built in memory for the app's tests and snapshots.

Built from the model directly so the app's tests do not depend on the readers;
the texts are fixed, so snapshots are stable.
"""

from __future__ import annotations

from pathlib import Path

from tui.library import Library
from tui.model import Document, OutlineEntry, Problem, Role, Segment, Talk

WORDS = "model scaling data compute safety research product users open source alignment".split()
NAME_AT = 40  # the paragraph that names Ilya Sutskever, misspelled the way auto-captions do


def transcript_segments(count: int = 120) -> list[Segment]:
    out = []
    for i in range(count):
        words = " ".join(WORDS[(i * 3 + k) % len(WORDS)] for k in range(24))
        text = f"Part {i} of the talk: {words}."
        if i == NAME_AT:
            text = "And then Ilya suitskiver said that the scaling laws would hold for a long while."
        if i == 90:
            text = "Here we talk about the welinder gambit and pricing of the turbo model for developers."
        out.append(Segment(start=i * 30.0, end=i * 30.0 + 29, text=text, line=i * 3 + 1))
    return out


def library() -> Library:
    transcript = Document("/lib/talk-a.en.vtt", Role.TRANSCRIPT, "vtt", title="Scaling and Safety", segments=transcript_segments())
    page = Document(
        "/lib/talk-a.md",
        Role.SUMMARY,
        "markdown",
        title="Scaling and Safety: summary",
        segments=[
            Segment(None, None, "An overview of the talk."),
            Segment(60.0, None, "How scaling laws were found."),
            Segment(1200.0, None, "Who said what about names."),
            Segment(None, None, "The welinder gambit: pricing of the turbo model for developers."),
        ],
        outline=[
            OutlineEntry("Overview", 2, 0.0, 0, "stamp"),
            OutlineEntry("Scaling laws", 2, 60.0, 1, "stamp"),
            OutlineEntry("Names", 3, 1200.0, 2, "stamp"),
            OutlineEntry("Pricing the turbo model", 2, None, 3, "none"),
        ],
    )
    plain = Document(
        "/lib/talk-a.txt",
        Role.SUMMARY,
        "plain",
        segments=[Segment(None, None, "Notes on safety."), Segment(2400.0, None, "Safety at the end.")],
        outline=[OutlineEntry("Safety", 1, 2400.0, 1, "chapter"), OutlineEntry("Closing words", 1, None, 1, "none")],
    )
    talk_a = Talk(
        "scaling-and-safety",
        "Scaling and Safety [bold]live[/bold]",
        "Research Channel",
        video_id="abcdefghijk",
        duration=3600.0,
        documents=[transcript, page, plain],
    )
    summary_only = Talk(
        "summary-only",
        "开源模型 Open models, a summary",
        "Other Channel",
        documents=[
            Document(
                "/lib/open.md",
                Role.SUMMARY,
                "markdown",
                segments=[Segment(15.0, None, "Open models catch up slowly."), Segment(75.0, None, "Closed models lead.")],
                outline=[OutlineEntry("Catching up", 1, 15.0, 0), OutlineEntry("Leading", 1, 75.0, 1)],
            )
        ],
    )
    lecture = Talk(
        "lecture-three",
        "Lecture three: optimisation",
        "University Lectures",
        duration=5400.0,
        documents=[Document("/lib/lecture.srt", Role.TRANSCRIPT, "srt", segments=transcript_segments(10))],
    )
    problems = [
        Problem("/lib/broken.vtt", "broken.vtt is not WebVTT: no cue has a time line"),
        Problem("/lib/photo.jpg", "not a talk document: .jpg files are not read"),
    ]
    return Library(Path("/lib"), [lecture, talk_a, summary_only], problems)


async def until_library(app, pilot) -> None:
    """Wait until an app given a folder has read it: its scan starts after the first frame, so
    waiting for the workers at once may find none yet."""
    for _ in range(500):
        await app.workers.wait_for_complete()
        await pilot.pause(0.01)
        if app.library is not None:
            await app.workers.wait_for_complete()
            await pilot.pause()
            return
    raise AssertionError("the library was never read")
