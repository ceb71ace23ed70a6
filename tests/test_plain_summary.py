"""The plain summary reader, on seed 001 and on small summaries written here."""

from __future__ import annotations

import pytest

from tui.model import ReadError, Role
from tui.readers import read_path
from tui.readers.markdown_page import refit
from tui.readers.plain_summary import read


def one(text: str, path: str = "summary.txt"):
    docs = read(text, path)
    assert len(docs) == 1
    return docs[0]


@pytest.fixture
def seed001(seeds):
    return read_path(seeds / "001_ca66efa46ff40621.txt")[0]


def test_seed_001_metadata(seed001):
    doc = seed001
    assert doc.role is Role.SUMMARY and doc.format == "plain"
    assert doc.channel == "redpointai"
    assert doc.title is None  # a hash-like file name says nothing: the library names it
    assert doc.video_id is None


def test_seed_001_headings(seed001):
    got = [(e.title, e.start, e.origin) for e in seed001.outline]
    assert got == [
        ("Peter Welinder’s Perspective: Open vs. Closed Source", 921, "stamp"),
        ("Benefits and Role of Open Source Models", 1079, "stamp"),
        ("Competitive Landscape and Model Performance", 1309, "stamp"),
        ("The Role of Generality and Specialization", 1196, "stamp"),
        ("Hallucinations and Model Reliability", 1580, "stamp"),
    ]
    assert seed001.segments[seed001.outline[0].segment].line == 7


def test_seed_001_bullets_keep_levels_and_times(seed001):
    bullets = [(s.level, s.text[:30], s.start, s.line) for s in seed001.segments if s.kind == "bullet"]
    assert bullets == [
        (0, "Research Advancement: They are", 1090, 15),
        (0, "Experimentation: They enable p", 1096, 16),
        (0, "Specific Product Areas: Open s", None, 17),
        (1, "Smaller models for devices or ", 1116, 18),
        (1, "On-premise deployments where c", 1122, 19),
        (0, "Enabling Broader Use Cases: Op", 1479, 20),
    ]


def test_seed_001_stamps_leave_the_text(seed001):
    first = seed001.segments[0]
    assert first.line == 3 and first.text.startswith("Peter Welinder, VP of Product") and first.start is None
    for seg in seed001.segments:
        assert "[00:" not in seg.text and "•" not in seg.text
        for stamp in seg.stamps:
            assert stamp.seconds > 0 and stamp.raw.startswith("00:")
    seg = seed001.segments[1]
    assert seg.text[: seg.stamps[0].offset].endswith("“unpopular opinion”")
    assert seg.text[seg.stamps[0].offset] == "."
    assert [s.seconds for s in seg.stamps] == [921, 946, 978]


def test_title_line_above_from_and_heading_straight_into_bullets():
    doc = one("Clay\nFrom: Potters\n\nFiring\n• The kiln heats up [00:01:10]\n  • slowly [00:02:00]\n")
    assert (doc.title, doc.channel) == ("Clay", "Potters")
    assert [(e.title, e.start) for e in doc.outline] == [("Firing", 70)]
    assert [(s.kind, s.level, s.text, s.start) for s in doc.segments] == [
        ("bullet", 0, "The kiln heats up", 70),
        ("bullet", 1, "slowly", 120),
    ]


def test_file_name_gives_the_title():
    assert one("From: Potters\n\nSome text.\n", "talks/Clay firing.txt").title == "Clay firing"


def test_what_is_not_a_heading():
    doc = one(
        "From: Potters\n\n"
        "He lists the roles:\n\n• one\n\n"
        "a lowercase short line\n\nMore text.\n\n"
        "A paragraph wrapped\nover two lines [00:00:05].\n\n"
        "Thanks for reading"
    )
    assert doc.outline == []
    assert [s.text for s in doc.segments] == [
        "He lists the roles:",
        "one",
        "a lowercase short line",
        "More text.",
        "A paragraph wrapped over two lines.",
        "Thanks for reading",
    ]
    assert doc.segments[4].start == 5


def test_untrusted_markup_stays_text():
    doc = one("From: x\n\nA [bold red]warning[/] \x1b]52;c;aGk=\x07here [00:00:09].\n")
    assert doc.segments[0].text == "A [bold red]warning[/] here."
    assert doc.segments[0].start == 9


def test_padded_minutes_page_and_refit():
    doc = one("From: x\n\nIntro\n\nOne [00:40:00].\n\nTwo [01:15:00].\n")
    assert [s.start for s in doc.segments] == [2400, 4500]
    refit(doc, 420)
    assert [s.start for s in doc.segments] == [40, 75]
    assert doc.outline[0].start == 40


def test_empty_summary_is_a_clear_error():
    for text in ("", "From: someone\n", "\n \n"):
        with pytest.raises(ReadError, match="holds no summary text"):
            read(text, "empty.txt")
