"""Search inside one talk: exact spans, counting, stepping, and the close-match fallback."""

from __future__ import annotations

import threading

from tui.talk_search import SearchStatus, TalkSearch

TEXTS = [
    "Welcome everyone. Today Ilia suitskiver joins us.",
    "We talk about scaling. Scaling laws, SCALING everything.",
    "Nothing to see here.",
    "Deep learning works; ilya said so, and suits kiver agreed.",
]


def index_text(found, i, texts):
    seg, start, end = found.span(i)
    return texts[seg][start:end]


def test_exact_matches_are_case_insensitive_spans_in_paragraphs():
    index = TalkSearch(TEXTS)
    found = index.find("scaling")
    assert not found.fuzzy
    spans = [found.span(i) for i in range(len(found))]
    assert spans == [(1, 14, 21), (1, 23, 30), (1, 37, 44)]
    for seg, start, end in spans:
        assert TEXTS[seg][start:end].lower() == "scaling"


def test_in_segment_and_first_from():
    index = TalkSearch(TEXTS)
    found = index.find("e")
    assert [i for i, _s, _e in found.in_segment(2)] == list(range(found.first_from(2), found.first_from(3)))
    for i, start, end in found.in_segment(3):
        assert TEXTS[3][start:end].lower() == "e"
    # After the last paragraph with a match, counting wraps to the first match.
    assert index.find("nothing").first_from(3) == 0


def test_no_match_across_paragraph_boundary():
    index = TalkSearch(["ends with scal", "ing starts here"])
    assert len(index.find("scaling")) == 0 or index.find("scaling").fuzzy
    assert len(index.find("scal")) == 1


def test_multiword_exact_and_empty_queries():
    index = TalkSearch(TEXTS)
    assert [index.find("about scaling").span(0)] == [(1, 8, 21)]
    assert len(index.find("")) == 0
    assert len(index.find("   ")) == 0
    assert not index.find("").fuzzy


def test_fuzzy_fallback_finds_misspelled_names():
    index = TalkSearch(TEXTS)
    found = index.find("sutskever")
    assert found.fuzzy
    words = {TEXTS[s][a:b] for s, a, b in (found.span(i) for i in range(len(found)))}
    # The single misspelled word and the name split in two by the captions.
    assert words == {"suitskiver", "suits kiver"}
    ilya = index.find("Ilya")
    assert not ilya.fuzzy  # "ilya" appears exactly in paragraph 3
    assert [ilya.span(i)[0] for i in range(len(ilya))] == [3]


def test_fuzzy_word_pairs_and_similarity_threshold():
    index = TalkSearch(["Today Ilia suitskiver joins us.", "The illiad was long."])
    found = index.find("ilya sutskever")
    assert found.fuzzy
    assert [found.span(i) for i in range(len(found))] == [(0, 6, 21)]
    only_ilia = index.find("ilya")
    assert only_ilia.fuzzy and [only_ilia.span(0)] == [(0, 6, 10)] and len(only_ilia) == 1
    # Unrelated words of similar length stay out, and short queries never go fuzzy.
    assert len(index.find("quantum")) == 0
    assert len(index.find("xyz")) == 0 and not index.find("xyz").fuzzy


def test_length_preserving_fold_keeps_offsets():
    # "İ" lower-cases to two characters; spans after it must still line up.
    texts = ["İstanbul then Straße and the END"]
    index = TalkSearch(texts)
    found = index.find("end")
    seg, start, end = found.span(len(found) - 1)
    assert texts[seg][start:end] == "END"


def test_prepare_in_a_thread_then_search():
    index = TalkSearch(TEXTS * 50)
    worker = threading.Thread(target=index.prepare)
    worker.start()
    found = index.find("sutskever")  # waits for the vocabulary if still building
    worker.join()
    assert found.fuzzy and len(found) == 100


def test_search_status_fields():
    status = SearchStatus(current=3, total=17, fuzzy=False, query="x")
    assert (status.current, status.total, status.fuzzy, status.query) == (3, 17, False, "x")


def test_a_word_pair_never_replaces_a_closer_single_word():
    index = TalkSearch(["welcome to a Stanford talk at stanford"])
    found = index.find("stanfrd")
    assert found.fuzzy
    assert [index_text(found, i, ["welcome to a Stanford talk at stanford"]) for i in range(len(found))] == [
        "Stanford",
        "stanford",
    ]


def test_seed_004_captions_misspell_sutskever(seeds):
    # The dump's transcript is one long caption line; cut it into paragraphs.
    lines = (seeds / "004_8eb6f7f4f5cf5656.txt").read_text(encoding="utf-8").splitlines()
    words = next(line for line in lines if line.startswith("WEBVTT")).split()
    texts = [" ".join(words[i : i + 60]) for i in range(0, len(words), 60)]
    index = TalkSearch(texts)
    found = index.find("sutskever")
    assert found.fuzzy
    assert {index_text(found, i, texts) for i in range(len(found))} == {"suitskiver"}
    assert len(found) == 3
    both = index.find("Ilya Sutskever")
    assert {index_text(both, i, texts) for i in range(len(both))} == {"Ilia suitskiver"}
