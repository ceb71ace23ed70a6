"""Every real summary page under ../shared/corpus/real/wiki opens clean, with its times read right."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tui.readers import read_path
from tui.readers.markdown_page import refit

WIKI = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "real" / "wiki"
PAGES = sorted(p.name for p in WIKI.glob("*.md")) if WIKI.is_dir() else []

# The latest time each page may point at, from its talk (page channel -> seconds).
LATEST = {
    "3blue1brown": 30 * 60,
    "aidotengineer": 15 * 60,
    "amiteshanand": 5 * 60,
    "asianometry": 20 * 60,
    "causalpython": 30 * 60,
    "colemedin": 30 * 60,
    "dgelbart": 30 * 60,
    "everyinc": 5 * 3600,
    "goingonchain": 8 * 60,  # a 7-minute video written as MM:SS:00
    "hu-po": 80 * 60,
    "lexfridman": 20 * 60,
    "nikhil.kamath": 5 * 60,  # two-part MM:SS
    "redpointai": 80 * 60,
    "veritasium": 25 * 60,
}
MARKUP = re.compile(r"<a\b|</a>|\[\[|\]\]|\\_|\\|data-t|yt-timestamp|<br|\*\*|\[\d{1,3}:\d\d")
ANCHOR = re.compile(r"yt-timestamp")
BARE = re.compile(r"(?<!>)\[\d{1,3}(?::\d{1,2}){1,3}\](?!\()")

needs_wiki = pytest.mark.skipif(not PAGES, reason="../shared/corpus/real/wiki is not beside the checkout")


def load(name: str):
    docs = read_path(WIKI / name)
    assert len(docs) == 1
    return docs[0]


def stamps_of(doc):
    return [s for seg in doc.segments for s in seg.stamps]


def by_raw(doc) -> dict[str, float]:
    return {s.raw: s.seconds for s in stamps_of(doc)}


def page(channel: str) -> str:
    return next(p for p in PAGES if p.startswith(channel + "__"))


@needs_wiki
def test_all_fourteen_pages_are_here():
    assert len(PAGES) == 14
    assert {p.split("__")[0] for p in PAGES} == set(LATEST)


@needs_wiki
@pytest.mark.parametrize("name", PAGES)
def test_page_opens_clean(name):
    doc = load(name)
    source = (WIKI / name).read_text(encoding="utf-8")
    front = dict(re.findall(r"^(title|videoId): (.*)$", source.split("\n---\n")[0], re.M))
    assert doc.format == "markdown"
    assert doc.title == front["title"]
    assert doc.video_id == front["videoId"]
    assert doc.channel == name.split("__")[0]
    assert doc.segments and doc.outline
    for seg in doc.segments:
        assert seg.text and not MARKUP.search(seg.text), seg.text
        assert seg.line > 0
    for entry in doc.outline:
        assert entry.title and not MARKUP.search(entry.title), entry.title


@needs_wiki
@pytest.mark.parametrize("name", PAGES)
def test_every_time_is_read_and_plausible(name):
    doc = load(name)
    source = (WIKI / name).read_text(encoding="utf-8")
    times = [s.seconds for s in stamps_of(doc)]
    assert len(times) == len(ANCHOR.findall(source)) + len(BARE.findall(source))
    assert all(0 <= t <= LATEST[name.split("__")[0]] for t in times), max(times)
    # summaries follow their talk, with some references back
    forward = sum(b >= a for a, b in zip(times, times[1:]))
    assert forward >= 0.6 * (len(times) - 1)
    for seg in doc.segments:
        assert seg.start == (seg.stamps[0].seconds if seg.stamps else None)
        offsets = [s.offset for s in seg.stamps]
        assert offsets == sorted(offsets) and all(0 <= o <= len(seg.text) for o in offsets)


@needs_wiki
@pytest.mark.parametrize("name", PAGES)
def test_sections_start_at_their_first_time(name):
    doc = load(name)
    for n, entry in enumerate(doc.outline):
        stop = next((e.segment for e in doc.outline[n + 1 :] if e.level <= entry.level), len(doc.segments))
        first = next((s.start for s in doc.segments[entry.segment : stop] if s.start is not None), None)
        assert entry.start == first
        assert entry.origin == ("stamp" if first is not None else "none")


@needs_wiki
@pytest.mark.parametrize("name", PAGES)
def test_refit_to_a_talk_that_holds_every_time_changes_nothing(name):
    doc = load(name)
    before = [s.seconds for s in stamps_of(doc)]
    refit(doc, max(before) + 1)
    assert [s.seconds for s in stamps_of(doc)] == before


@needs_wiki
def test_goingonchain_whole_page_minutes():
    times = by_raw(load(page("goingonchain")))
    assert times["05:08:00"] == 308 and times["00:40:00"] == 40
    assert max(times.values()) < 8 * 60


@needs_wiki
def test_hu_po_mixed_styles():
    times = by_raw(load(page("hu-po")))
    assert times["58:09:00"] == 58 * 60 + 9
    assert times["01:05:28"] == 3600 + 5 * 60 + 28
    assert times["07:09:00"] == 7 * 60 + 9
    assert times["01:19:01"] == 3600 + 19 * 60 + 1


@needs_wiki
def test_nikhil_kamath_two_part_stamps():
    doc = load(page("nikhil.kamath"))
    assert all(s.raw.count(":") == 1 for s in stamps_of(doc))
    assert by_raw(doc)["03:38"] == 218
    assert doc.segments[0].start == 218


@needs_wiki
def test_redpointai_bare_and_four_part_stamps():
    doc = load(page("redpointai"))
    times = by_raw(doc)
    assert times["01:40:53"] == 100  # padded minutes, though the padding is not :00
    assert times["05:30:00"] == 330
    assert times["59:43:00"] == 59 * 60 + 43
    assert times["01:00:21:00"] == 3600 + 21
    assert times["01:13:11:00"] == 3600 + 13 * 60 + 11
    # the wiki link right under the From line is the first paragraph, shown as its label
    assert doc.segments[0].text == "The Role of AI Models in Advancing Robotics and Autonomous Driving"


@needs_wiki
def test_everyinc_touching_anchors_and_hours():
    doc = load(page("everyinc"))
    seg = next(s for s in doc.segments if len(s.stamps) > 1 and s.stamps[-1].offset == s.stamps[-2].offset)
    assert seg.text.endswith("evaluate the evaluator itself.")
    assert [s.seconds for s in seg.stamps[-2:]] == [36, 3 * 3600 + 24]
    assert by_raw(doc)["04:50:50"] == 4 * 3600 + 50 * 60 + 50


@needs_wiki
def test_colemedin_two_pipe_wiki_link():
    doc = load(page("colemedin"))
    text = " ".join(s.text for s in doc.segments)
    assert "breaking down a complex AI agent into simpler, manageable parts." in text
    # stamps listed with commas between them leave no stray commas
    assert "into manageable components." in text
    assert ",." not in text and ", ." not in text


@needs_wiki
def test_lexfridman_callouts():
    doc = load(page("lexfridman"))
    quotes = [s.text for s in doc.segments if s.kind == "quote"]
    assert quotes[0] == "[!info] Data Collection Challenges"  # the callout's label is kept
    assert quotes[1].startswith("One significant challenge") and quotes[1].endswith("initially.")
    assert quotes[2] == "[!info] The Data Paradox"


@needs_wiki
def test_symbols_survive():
    text = " ".join(s.text for s in load(page("3blue1brown")).segments)
    for symbol in ("x² + y² = 1", "√2 ≈ 1.414", "(±1, ±1)"):
        assert symbol in text
