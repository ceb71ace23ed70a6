"""Placing summary sections without a time by matching their words against the transcript."""

from __future__ import annotations

from tui.model import Document, OutlineEntry, Role, Segment, Talk
from tui.placement import place_sections

FILLER = "we talked about many things and the weather and other general matters of the day".split()


def transcript(special: dict[int, str], count: int = 60) -> Document:
    segments = []
    for i in range(count):
        text = special.get(i) or " ".join(FILLER[(i + k) % len(FILLER)] for k in range(12)) + f" item{i}"
        segments.append(Segment(i * 60.0, i * 60.0 + 59, text))
    return Document("/t.vtt", Role.TRANSCRIPT, "vtt", segments=segments)


def summary(entries: list[tuple[str, float | None, str]], texts: list[str]) -> Document:
    outline = [OutlineEntry(title, 2, start, i, "stamp" if start is not None else "none") for i, (title, start, _) in enumerate(entries)]
    return Document("/s.md", Role.SUMMARY, "markdown", segments=[Segment(None, None, t) for t in texts], outline=outline)


def test_stamped_sections_keep_their_time_and_untimed_ones_are_matched():
    talk = Talk(
        "t",
        "T",
        documents=[
            transcript({30: "Ilya suitskiver explained why reinforcement learning from human feedback changed chatbots"}),
            summary(
                [("Start", 0.0, ""), ("Sutskever on reinforcement learning", None, "")],
                ["Opening words.", "Sutskever explains how human feedback reinforcement learning shaped chatbots."],
            ),
        ],
    )
    assert place_sections(talk) == [(1, 0, 0.0, "stamp"), (1, 1, 1800.0, "matched")]


def test_no_clear_match_stays_without_a_time():
    talk = Talk(
        "t",
        "T",
        documents=[
            transcript({}),
            summary([("Quantum gardening", None, "")], ["Tomatoes grown in superposition by botanists."]),
        ],
    )
    assert place_sections(talk) == [(1, 0, None, "none")]


def test_two_equally_good_places_are_not_a_clear_match():
    said = "the pricing of the turbo model for developers"
    talk = Talk(
        "t",
        "T",
        documents=[transcript({10: said, 40: said}), summary([("Turbo pricing", None, "")], ["Pricing of the turbo model for developers."])],
    )
    assert place_sections(talk) == [(1, 0, None, "none")]


def test_matching_stays_between_timed_neighbours():
    said = "the pricing of the turbo model for developers"
    talk = Talk(
        "t",
        "T",
        documents=[
            transcript({10: said, 40: said}),
            summary(
                [("Early", 1500.0, ""), ("Turbo pricing", None, ""), ("Late", 3000.0, "")],
                ["a", "Pricing of the turbo model for developers.", "b"],
            ),
        ],
    )
    assert place_sections(talk)[1] == (1, 1, 2400.0, "matched")


def test_without_a_transcript_nothing_is_matched():
    talk = Talk("t", "T", documents=[summary([("A", None, ""), ("B", 60.0, "")], ["x", "y"])])
    assert place_sections(talk) == [(0, 0, None, "none"), (0, 1, 60.0, "stamp")]


def test_own_times_leave_untimed_sections_pending_only_when_a_transcript_can_place_them():
    from tui.placement import own_times

    untimed = summary([("A", None, ""), ("B", 60.0, "")], ["x", "y"])
    with_transcript = Talk("t", "T", documents=[transcript({}), untimed])
    assert own_times(with_transcript) == [(1, 0, None, "pending"), (1, 1, 60.0, "stamp")]
    alone = Talk("t", "T", documents=[untimed])
    assert own_times(alone) == [(0, 0, None, "none"), (0, 1, 60.0, "stamp")]


def test_untimed_summary_paragraphs_are_placed_only_where_they_clearly_match():
    from tui.model import Document, Role, Segment, Talk
    from tui.placement import place_paragraphs

    transcript = Document("t.srt", Role.TRANSCRIPT, "srt", segments=[
        Segment(0.0, 10, "welcome to the show about bicycles and wheels"),
        Segment(10.0, 20, "the gyroscope inside a spinning wheel resists tilting but the effect is small"),
        Segment(20.0, 30, "trail geometry steers the front fork back under the rider"),
        Segment(30.0, 40, "thanks for watching and see you next week"),
    ])
    summary = Document("s.md", Role.SUMMARY, "markdown", segments=[
        Segment(None, None, "Spinning wheel gyroscope resists tilting, a small effect."),
        Segment(25.0, None, "Trail matters."),
        Segment(None, None, "Completely unrelated words about cooking pasta sauces tonight."),
        Segment(None, None, "Short."),
    ])
    placed = place_paragraphs(Talk("x", "Bikes", documents=[transcript, summary]))
    assert placed == {(1, 0): 10.0}


def test_sections_and_paragraphs_placed_over_one_reading_of_the_transcript_are_placed_as_apart():
    """place_all builds the transcript's word sets once for both; misspelled names included."""
    from tui.placement import place_all, place_paragraphs

    special = {
        12: "Ilya suitskiver explained why reinforcement learning from human feedback changed chatbots",
        31: "pricing the turbo model for developers came down by a factor of three",
        47: "the welinder gambit made evaluation datasets public for everyone",
    }
    talk = Talk(
        "t",
        "T",
        documents=[
            transcript(special),
            summary(
                [("Sutskever on feedback", None, ""), ("Turbo pricing", None, ""), ("Open evaluations", None, "")],
                [
                    "Sutskever explains reinforcement learning from human feedback.",
                    "Pricing of the turbo model for developers fell threefold.",
                    "The Welinder gambit: public evaluation datasets for everyone.",
                ],
            ),
            Document("/n.txt", Role.SUMMARY, "plain", segments=[
                Segment(None, None, "Reinforcement learning from human feedback changed chatbots, said Suitskiver."),
                Segment(None, None, "Developers pay less for the turbo model now."),
            ]),
        ],
    )
    sections, paragraphs = place_all(talk)
    assert sections == place_sections(talk) and paragraphs == place_paragraphs(talk)
    assert [seconds for _d, _e, seconds, _o in sections] == [720.0, 1860.0, 2820.0]
    assert paragraphs[(2, 0)] == 720.0
    assert place_all(Talk("s", "S", documents=[talk.documents[1]])) == ([(0, 0, None, "none"), (0, 1, None, "none"), (0, 2, None, "none")], {})
