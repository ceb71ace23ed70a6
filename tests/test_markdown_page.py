"""The Markdown summary page reader, on seed 000 and on small pages written here."""

from __future__ import annotations

import re

import pytest

from tui.model import ReadError, Role
from tui.readers import read_path
from tui.readers.markdown_page import clean_inline, read, refit

MARKUP = re.compile(r"<a\b|</a>|\[\[|\]\]|\\_|data-t|yt-timestamp|<br")


def page(body: str, front: str = "title: A talk\nvideoId: abcdefghijk\n") -> str:
    return f"---\n{front}---\n\nFrom: [[Potters]] <br/> \n\n{body}"


def anchor(t: str, shown: str | None = None) -> str:
    return f'<a class="yt-timestamp" data-t="{t}">[{shown or t}]</a>'


def one(text: str, path: str = "talk.md"):
    docs = read(text, path)
    assert len(docs) == 1
    return docs[0]


def all_stamps(doc):
    return [s for seg in doc.segments for s in seg.stamps]


# --- seed 000 ---------------------------------------------------------------


@pytest.fixture
def seed000(seeds):
    return read_path(seeds / "000_1ac5883eac1c57cb.txt")[0]


def test_seed_000_metadata(seed000):
    doc = seed000
    assert doc.role is Role.SUMMARY and doc.format == "markdown"
    assert doc.title == "Challenges and opportunities in AI development"
    assert doc.video_id == "MvxtIIqJRUQ"
    assert doc.channel == "redpointai"


def test_seed_000_padded_stamps_read_as_minutes(seed000):
    by_raw = {s.raw: s.seconds for s in all_stamps(seed000)}
    assert by_raw["48:20:00"] == 2900
    assert by_raw["02:21:00"] == 141
    assert max(by_raw.values()) == 2900  # the talk is about 50 minutes


def test_seed_000_attribute_and_bracket_disagree(seed000):
    stamp = next(s for s in all_stamps(seed000) if "08:43:48" in s.raw)
    assert stamp.raw == "08:43:00 [08:43:48]"
    assert stamp.seconds == 523


def test_seed_000_outline(seed000):
    titles = [(e.title, e.level, e.start, e.origin) for e in seed000.outline]
    assert titles == [
        ("OpenAI's Approach to Value Accrual", 2, 141, "stamp"),
        ("Product Development and Prioritization at OpenAI", 2, 519, "stamp"),
        ("Open Source vs. Proprietary Models", 2, 965, "stamp"),
        ("Challenges and Strategies in Enterprise AI Deployment", 2, 1577, "stamp"),
        ("Risks and Safety in AI Development", 2, 1860, "stamp"),
        ("Internal Use of AI at OpenAI", 2, 2645, "stamp"),
        ("Overarching Concern", 2, 2830, "stamp"),
    ]
    for entry in seed000.outline:  # each starts at the first time under it
        first = next(s.start for s in seed000.segments[entry.segment :] if s.start is not None)
        assert first == entry.start


def test_seed_000_text_is_plain(seed000):
    first = seed000.segments[0]
    assert first.line == 8 and first.start is None
    assert first.text.startswith("AI development presents a multifaceted landscape of both opportunities and challenges, encompassing")
    for seg in seed000.segments:
        assert not MARKUP.search(seg.text), seg.text
        assert "**" not in seg.text and "[0" not in seg.text
    # the bullets of the risks section, with their bold labels made plain
    bullets = [s for s in seed000.segments if s.kind == "bullet"]
    assert bullets[0].text.startswith("Misinformation and Deepfakes: These are surmountable")
    assert bullets[0].line == 49


def test_seed_000_stamp_offsets_point_into_the_clean_text(seed000):
    seg = seed000.segments[1]
    first = seg.stamps[0]
    assert seg.text[: first.offset].endswith("application layer of the AI ecosystem")
    assert seg.text[first.offset] == "."
    assert seg.start == first.seconds == 141
    assert [s.offset for s in seg.stamps] == sorted(s.offset for s in seg.stamps)


def test_seed_000_refit_to_its_talk_keeps_minutes(seed000):
    before = [s.seconds for s in all_stamps(seed000)]
    refit(seed000, 2950)
    assert [s.seconds for s in all_stamps(seed000)] == before


# --- structure ----------------------------------------------------------------


def test_from_line_without_blank_line_and_wiki_link_paragraph():
    doc = one(page("").replace("From: [[Potters]] <br/> \n\n", "From: [[Potters]] <br/> \n[[Clay | The Clay Talk]]\n\nBody " + anchor("00:01:00") + ".\n"))
    assert doc.channel == "Potters"
    assert [s.text for s in doc.segments] == ["The Clay Talk", "Body."]
    assert doc.segments[1].start == 60


def test_headings_levels_segments_and_starts():
    doc = one(page(
        "Intro without time.\n\n"
        "## First\n\nNo time here.\n\n### Sub\n\nLater " + anchor("00:02:00") + ".\n\n"
        "## Second\n\nText " + anchor("00:03:00") + " and " + anchor("00:03:30") + ".\n\n"
        "## Empty\n\n## Last\n\nEnd.\n"
    ))
    outline = [(e.title, e.level, e.segment, e.start, e.origin) for e in doc.outline]
    assert outline == [
        ("First", 2, 1, 120, "stamp"),  # the first time under it, in its subsection
        ("Sub", 3, 2, 120, "stamp"),
        ("Second", 2, 3, 180, "stamp"),
        ("Empty", 2, 4, None, "none"),
        ("Last", 2, 4, None, "none"),
    ]
    assert doc.segments[3].text == "Text and."
    assert [s.offset for s in doc.segments[3].stamps] == [4, 8]


def test_heading_that_is_a_wiki_link_or_holds_an_anchor():
    doc = one(page(
        "## [[Setting up | Setting up the Kiln]]\n\nFirst " + anchor("00:05:00") + ".\n\n"
        "## Firing " + anchor("00:09:00") + "\n\nThe firing " + anchor("00:09:30") + ".\n"
    ))
    assert [e.title for e in doc.outline] == ["Setting up the Kiln", "Firing"]
    assert doc.outline[1].start == 540  # the heading's own time starts its section
    seg = doc.segments[1]
    assert seg.text == "The firing." and [s.seconds for s in seg.stamps] == [540, 570]


def test_wiki_links_show_their_label():
    assert clean_inline("a [[target | label]] b").text == "a label b"
    assert clean_inline("[[x|y]]").text == "y"
    assert clean_inline("buy [[Bitcoin]] now").text == "buy Bitcoin now"
    assert clean_inline("a [[one | two | three]] b").text == "a three b"
    assert clean_inline("[[Page#Part]]").text == "Page > Part"
    assert clean_inline("[[snake_case_page]]").text == "snake_case_page"


def test_anchors_and_bare_stamps_leave_the_text():
    inline = clean_inline("Done " + anchor("00:00:36") + anchor("03:00:24") + ". More [01:40:53] text [12:34].")
    assert inline.text == "Done. More text."
    assert [(s.offset, s.raw) for s in inline.stamps] == [(4, "00:00:36"), (4, "03:00:24"), (10, "01:40:53"), (15, "12:34")]
    listed = clean_inline("parts " + anchor("00:00:31") + ", " + anchor("00:01:12") + ".")
    assert listed.text == "parts." and len(listed.stamps) == 2
    middle = clean_inline("in " + anchor("00:01:00") + " the middle")
    assert middle.text == "in the middle" and middle.stamps[0].offset == 2


def test_emphasis_escapes_and_code_become_plain_text():
    assert clean_inline(r"the WPAS\_Search tool").text == "the WPAS_Search tool"
    assert clean_inline("**bold** and *italic* and __strong__ and _em_").text == "bold and italic and strong and em"
    assert clean_inline("a snake_case_name stays").text == "a snake_case_name stays"
    assert clean_inline("uses the `x * y = k` formula").text == "uses the x * y = k formula"
    assert clean_inline(r"a \*literal\* star").text == "a *literal* star"
    assert clean_inline("x² + y² = 1 ± √2 ≈ 1.4 – —").text == "x² + y² = 1 ± √2 ≈ 1.4 – —"
    assert clean_inline("Tom &amp; Jerry<br/>next").text == "Tom & Jerry next"
    assert clean_inline("[a link](https://example.com) and ![alt](i.png)").text == "a link and alt"


def test_untrusted_markup_stays_inert_text():
    doc = one(page("A [bold red]warning[/] and [link=http://evil]x[/link] \x1b[31mred\x1b[0m.\n"))
    assert doc.segments[0].text == "A [bold red]warning[/] and [link=http://evil]x[/link] red."
    assert clean_inline("see [above] and [99:99]").text == "see [above] and [99:99]"


def test_bullets_nested_numbered_and_continued():
    doc = one(page(
        "Points:\n*   **One**: first " + anchor("00:01:00") + "\n    *   nested\n        - deeper\n*   Two\n"
        "continued line\n\n1.  Numbered\n2.  Again\n"
    ))
    got = [(s.kind, s.level, s.text) for s in doc.segments]
    assert got == [
        ("text", 0, "Points:"),
        ("bullet", 0, "One: first"),
        ("bullet", 1, "nested"),
        ("bullet", 2, "deeper"),
        ("bullet", 0, "Two continued line"),
        ("bullet", 0, "1. Numbered"),
        ("bullet", 0, "2. Again"),
    ]
    assert [s.line for s in doc.segments] == [8, 9, 10, 11, 12, 15, 16]


def test_obsidian_callouts_and_quotes():
    doc = one(page(
        "> [!info] Data Collection Challenges\n> \n> One challenge " + anchor("00:02:58") + ".\n\n"
        "> [!CAUTION]\n> Always assume.\n\n> \"A quote\" " + anchor("00:00:36") + "\n"
    ))
    got = [(s.kind, s.text, s.start) for s in doc.segments]
    assert got == [
        ("quote", "[!info] Data Collection Challenges", None),
        ("quote", "One challenge.", 178),
        ("quote", "[!CAUTION]", None),
        ("quote", "Always assume.", None),
        ("quote", "\"A quote\"", 36),
    ]


def test_code_block_is_kept_verbatim():
    doc = one(page("Before.\n\n```mermaid\ngraph TD\n  A[[x]] --> B\n```\n\nAfter.\n"))
    assert [(s.kind, s.text) for s in doc.segments] == [("text", "Before."), ("code", "graph TD\n  A[[x]] --> B"), ("text", "After.")]


def test_front_matter_broken_yaml_falls_back_to_lines():
    doc = one(page("Body.\n", front="title: [unclosed\nvideoId: abcdefghijk\n"))
    assert doc.title == "[unclosed" and doc.video_id == "abcdefghijk"
    digits = one(page("Body.\n", front="title: 'Quoted: title'\nvideoId: 12345678901\n"))
    assert digits.title == "Quoted: title" and digits.video_id == "12345678901"


def test_title_falls_back_to_h1_then_file_name():
    assert one("# The Heading\n\nBody.\n").title == "The Heading"
    assert one("Body.\n", "notes/Clay firing.md").title == "Clay firing"
    assert one("Body.\n", "notes/002_ab12cd34ef56ab78.md").title is None
    named = one("Body.\n", "Clay firing [abcdefghijk].md")
    assert named.video_id == "abcdefghijk"


def test_pages_without_text_are_a_clear_error():
    for text in ("", "---\ntitle: x\n---\n", "From: [[Potters]] <br/>\n", "\n\n   \n"):
        with pytest.raises(ReadError, match="holds no summary text"):
            read(text, "empty.md")


# --- refit ------------------------------------------------------------------


def test_refit_reads_hours_as_minutes_past_the_talk():
    doc = one(page("## A\n\nOne " + anchor("00:40:00") + ".\n\n## B\n\nTwo " + anchor("01:15:00") + ".\n"))
    assert [s.seconds for s in all_stamps(doc)] == [2400, 4500]  # two stamps: no page style to go by
    assert refit(doc, 7 * 60) is doc
    assert [s.seconds for s in all_stamps(doc)] == [40, 75]
    assert [seg.start for seg in doc.segments] == [40, 75]
    assert [e.start for e in doc.outline] == [40, 75]
    assert [s.raw for s in all_stamps(doc)] == ["00:40:00", "01:15:00"]
    refit(doc, 7 * 60)  # again: same answer
    assert [s.seconds for s in all_stamps(doc)] == [40, 75]
    refit(doc, 2 * 3600)  # a long talk: the hours reading comes back
    assert [s.seconds for s in all_stamps(doc)] == [2400, 4500]


def test_read_path_detects_seed_000_as_markdown(seeds):
    assert read_path(seeds / "000_1ac5883eac1c57cb.txt")[0].format == "markdown"


def test_setext_headings_and_comments():
    doc = one(page("Part One\n========\n\nText <!-- hidden --> here %%note%%.\n\nPart Two\n---\n\nMore.\n"))
    assert [(e.title, e.level, e.segment) for e in doc.outline] == [("Part One", 1, 0), ("Part Two", 2, 1)]
    assert [s.text for s in doc.segments] == ["Text here.", "More."]


def test_entities_cannot_smuggle_control_characters():
    text = clean_inline("bell &#7; escape &#27;[31m red &#x1b;]52;c;aGk=&#7; end").text
    assert not any(ord(c) < 32 or 0x7F <= ord(c) < 0xA0 for c in text)
