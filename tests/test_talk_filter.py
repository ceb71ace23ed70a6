"""The talk list's typo-tolerant filter against its definition, talk by talk (issue 14: sets, not loops)."""

from __future__ import annotations

import random
import re

from rapidfuzz import fuzz

from widgets.talk_list import TalkFilter

_WORD = re.compile(r"\w+")


def word_score(word: str, talk_words: set[str]) -> float:
    """How well a talk's closest word matches `word`: 100 when one contains it (the filter's rule)."""
    best = 0.0
    for v in talk_words:
        if word in v:
            return 100.0
        if len(word) >= 4:
            ratio = fuzz.ratio(word, v)
            if ratio >= 80:
                best = max(best, ratio)
            if len(v) > len(word):
                partial = fuzz.partial_ratio(word, v)
                if partial >= 85:
                    best = max(best, partial * 0.95)
    return best


def by_definition(texts: list[str], query: str) -> list[int]:
    """Exact matches in list order, then talks where every word matches closely, best first."""
    q = " ".join(query.casefold().split())
    haystacks = [" ".join(t.casefold().split()) for t in texts]
    exact = [i for i, h in enumerate(haystacks) if q in h]
    words = _WORD.findall(q)
    if len(words) == 1 and len(words[0]) < 4:
        return exact
    scored = []
    for i, h in enumerate(haystacks):
        if i in exact:
            continue
        talk_words = set(_WORD.findall(h))
        score = min(word_score(w, talk_words) for w in words)
        if score > 0:
            scored.append((-score, i))
    return exact + [i for _, i in sorted(scored)]


def test_filter_keeps_its_definition_for_short_common_words_and_typos():
    rng = random.Random(5)
    vocabulary = "a the to of network training transformer karpathy sutskever scaling laws data model tokens".split()
    texts = [" ".join(rng.choices(vocabulary, k=rng.randint(2, 7))) + f" channel{i % 9}" for i in range(400)]
    texts[17] = "The netwrok of a transfomer"  # typos that the close matches must find
    match = TalkFilter(texts)
    queries = ["a t", "a the", "a the n", "to t", "the netwrk", "transformr a", "karpaty sutskevr", "channel3 a", "zzzz a"]
    for query in queries:
        assert match(query) == by_definition(texts, query), query
    assert 17 in match("network transformer")  # typos in the talk, found by the query's right spelling
