"""Generated talks with known text, rendered the ways captions reach us.

`make_talk(seed)` invents a talk: sentences over a varied vocabulary with the
repeats real speech has ("I I can't", "to to approach it", "thank you thank
you thank you"), each word with its own start and end time, cut into caption
lines of 4-10 words. Renderers turn it into what a caption tool would write:

- `flattened(talk, rng)`: the rolling display flattened to one line of text,
  each caption line shown 3 times (sometimes 2 or 1), as transcript dumps hold it;
- `dump_file(...)`: a whole transcript dump (header, Description, Content);
- `youtube_vtt(talk)`: YouTube auto-caption WebVTT (rolling two-line cues,
  `<c>` word timings, 10 ms repeat cues, `&gt;&gt;` and `&amp;` entities);
- `line_cues(talk)`: (start, end, text) per caption line, for SRT/SBV/JSON.

`word_accuracy(reference, hypothesis)` is 1 - word edit distance / words;
`assert_no_tripled_line(words)` fails when a caption line survived tripled.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from rapidfuzz.distance import Levenshtein

_COMMON = (
    "the the the a a a and and and to to of of I I I you you you it it that that is is in in we we "
    "so so this this was was for on with they be have are not but what all can like just know think "
    "do if about there people one more when some would out up how then them time really because "
    "model data network learn train good very much right way see going get make things thing"
).split()
_CONTENT = (
    "neural gradient transformer capital research company mission safety product language "
    "students question answer future years months decade computer science biology physics "
    "market revenue investors founders engineers problem solution approach method result "
    "experiment paper theory practice system memory attention layer token prediction error "
    "learning scale compute energy hardware software startup university government policy "
    "ethics power concentration progress capability benchmark evaluation reasoning insight "
    "intuition brain neuron signal structure function value reward agent environment "
    "simulation robot vision speech translation writing reading music history economy "
    "Stanford OpenAI Microsoft Google YouTube Q&A R&D e-corner co-founder mid-2010s 1X GPT-4"
).split()
_SYLLABLES = "ka lo mi ne su ra ti po ve zu an el or is un tra pre con dis ment ing er al ly".split()

# Repeats that real speech has and a deduplicator must keep.
_SPEECH_REPEATS = (
    ["I", "I"],
    ["to", "to"],
    ["the", "the"],
    ["thank", "you", "thank", "you", "thank", "you"],
    ["you", "know", "you", "know"],
    ["no", "no", "no"],
    ["it", "it", "it"],
    ["very", "very"],
    ["yeah", "yeah", "yeah"],
)
_FILLERS = ["um", "uh", "so", "like", "yeah", "okay"]
_ANNOTATIONS = ["[Music]", "[Applause]", "[Laughter]"]


@dataclass
class GenTalk:
    """What was said: words in order with times, and how they were cut into lines."""

    words: list[str]
    starts: list[float]
    ends: list[float]
    lines: list[tuple[int, int]] = field(default_factory=list)  # [a, b) word ranges
    sentence_ends: set[int] = field(default_factory=set)  # index of each sentence's last word

    @property
    def duration(self) -> float:
        return self.ends[-1] if self.ends else 0.0

    def text(self) -> str:
        return " ".join(self.words)

    def line_text(self, index: int) -> str:
        a, b = self.lines[index]
        return " ".join(self.words[a:b])


def make_talk(
    seed: int,
    n_words: int = 1500,
    *,
    punctuation: bool = False,
    speakers: bool = False,
    annotations: bool = False,
    line_words: tuple[int, int] = (4, 10),
    line_shares: dict[int, float] | None = None,
    repeats: float = 0.04,
    edge_cuts: float = 0.0,
    zipf: bool = False,
    any_repeats: bool = False,
) -> GenTalk:
    """Invent a talk of about `n_words` words (reproducible from `seed`).

    Variations (defaults keep the original talks): `line_shares` draws each
    caption line's length from {words: weight} instead of `line_words`;
    `repeats` is the share of word slots that are a speech repeat ("I I",
    "no no no"); `edge_cuts` is the chance that a line is cut right at a speech
    repeat (before it, after it, or between its copies, so a line starts with
    the last line's word); `zipf` draws words from one skewed invented
    vocabulary instead of the common/content lists; `any_repeats` makes a
    speech repeat any word said two or three times, or any pair said twice,
    instead of one of a few habits.
    """
    rng = random.Random(seed)
    invented = ["".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4))) for _ in range(300)]
    if zipf:
        ranked = invented + [w.capitalize() for w in invented[:40]] + _COMMON[::3]
        rng.shuffle(ranked)
        zipf_weights = [1.0 / (k + 1) for k in range(len(ranked))]
    repeat_edges: list[int] = []  # word indices where a speech repeat starts, ends or repeats
    words: list[str] = []
    starts: list[float] = []
    ends: list[float] = []
    breaks_before: set[int] = set()  # indices that must start a caption line
    sentence_ends: set[int] = set()
    t = rng.uniform(0.0, 3.0)

    def say(word: str, gap: float = 0.0) -> None:
        nonlocal t
        t += gap
        length = rng.uniform(0.15, 0.5)
        words.append(word)
        starts.append(round(t, 3))
        t += length
        ends.append(round(t, 3))

    while len(words) < n_words:
        if annotations and rng.random() < 0.04:
            breaks_before.add(len(words))
            say(rng.choice(_ANNOTATIONS), gap=rng.uniform(0.5, 2.0))
            t += rng.uniform(1.0, 4.0)
            breaks_before.add(len(words))
            continue
        sentence: list[str] = []
        if speakers and rng.random() < 0.08:
            sentence.append(">>")
        for _ in range(rng.randint(4, 22)):
            r = rng.random()
            if r < repeats:
                if any_repeats:
                    pool = ranked if zipf else _COMMON + _CONTENT + invented
                    if rng.random() < 0.15:
                        block = [rng.choice(pool), rng.choice(pool)] * 2
                    else:
                        block = [rng.choice(pool)] * rng.choice([2, 2, 2, 3])
                else:
                    block = rng.choice(_SPEECH_REPEATS)
                if edge_cuts:
                    at = len(words) + len(sentence)
                    unit = 1 if block[0] == block[1] else 2
                    repeat_edges.extend(range(at, at + len(block) + 1, unit))
                sentence.extend(block)
            elif r < repeats + 0.04:
                sentence.append(rng.choice(_FILLERS))
            elif zipf:
                sentence.append(rng.choices(ranked, zipf_weights)[0])
            elif r < 0.50:
                sentence.append(rng.choice(_COMMON))
            elif r < 0.80:
                sentence.append(rng.choice(_CONTENT))
            else:
                sentence.append(rng.choice(invented))
        if punctuation:
            body = [w for w in sentence if w != ">>"]
            if body:
                body[0] = body[0][:1].upper() + body[0][1:]
                for k in range(2, len(body) - 1):
                    if rng.random() < 0.06:
                        body[k] += ","
                body[-1] += rng.choice([".", ".", ".", "?", "!"])
                sentence = ([">>"] if sentence[0] == ">>" else []) + body
        pause = rng.choice([0.05, 0.1, 0.2, 0.3, 0.5, 0.8, 1.5, 2.5])
        for k, word in enumerate(sentence):
            say(word, gap=pause if k == 0 else rng.uniform(0.0, 0.12))
        sentence_ends.add(len(words) - 1)
    talk = GenTalk(words, starts, ends, sentence_ends=sentence_ends)
    if line_shares or edge_cuts:
        talk.lines = _cut_varied(len(words), breaks_before, rng, line_shares or {k: 1.0 for k in range(line_words[0], line_words[1] + 1)}, repeat_edges, edge_cuts)
    else:
        talk.lines = _cut_lines(len(words), breaks_before, rng, line_words)
    return talk


def _cut_varied(
    n: int, breaks: set[int], rng: random.Random, shares: dict[int, float], edges: list[int], edge_cuts: float
) -> list[tuple[int, int]]:
    sizes, weights = list(shares), list(shares.values())
    edge_set = set(edges)
    lines = []
    a = 0
    while a < n:
        b = min(n, a + rng.choices(sizes, weights)[0])
        near = [k for k in range(a + 1, min(n, a + max(sizes)) + 1) if k in edge_set]
        if near and rng.random() < edge_cuts:
            b = rng.choice(near)
        cut = next((k for k in range(a + 1, b) if k in breaks), None)
        if cut is not None:
            b = cut
        lines.append((a, b))
        a = b
    return lines


def _cut_lines(n: int, breaks: set[int], rng: random.Random, sizes: tuple[int, int]) -> list[tuple[int, int]]:
    lines = []
    a = 0
    while a < n:
        b = min(n, a + rng.randint(*sizes))
        cut = next((k for k in range(a + 1, b) if k in breaks), None)
        if cut is not None:
            b = cut  # an annotation is a line of its own: it starts one and the next
        lines.append((a, b))
        a = b
    return lines


def repeat_counts(talk: GenTalk, rng: random.Random, weights=(0.88, 0.08, 0.04)) -> list[int]:
    """How often each line is shown: 3 times mostly, sometimes 2 or 1."""
    return rng.choices([3, 2, 1], weights=weights, k=len(talk.lines))


def flattened(talk: GenTalk, rng: random.Random, *, header: bool = True, counts: list[int] | None = None) -> str:
    """The rolling display flattened to one line, as a transcript dump's Content holds it."""
    counts = counts or repeat_counts(talk, rng)
    parts = ["WEBVTT Kind: captions Language: en"] if header else []
    for (a, b), count in zip(talk.lines, counts):
        line = " ".join(talk.words[a:b])
        parts.extend([line] * count)
    return " ".join(parts)


def format_clock(seconds: float) -> str:
    """`50:23` or `1:02:03`, as dump headers and chapter lines write a time."""
    s = int(seconds)
    h, m, sec = s // 3600, s % 3600 // 60, s % 60
    return f"{h}:{m:02d}:{sec:02d}" if h else f"{m}:{sec:02d}"


def dump_file(
    content: str,
    *,
    title: str = "A Generated Talk",
    url: str | None = "https://www.youtube.com/watch?v=abcDEF12345",
    duration: float | None = None,
    description: str = "",
) -> str:
    """A transcript dump: header fields, Description and Content."""
    head = ["Timestamp: 2025-04-07T10:03:50.944182", f"Title: {title}"]
    if url:
        head.append(f"URL: {url}")
    head.append("Status: success")
    if duration is not None:
        head.append(f"Duration: {format_clock(duration)}")
    return "\n".join(head) + f"\n\nDescription:\n{description}\n\nContent:\n{content}\n"


def _vtt_time(seconds: float) -> str:
    ms = int(round(seconds * 1000))
    return f"{ms // 3600000:02d}:{ms % 3600000 // 60000:02d}:{ms % 60000 // 1000:02d}.{ms % 1000:03d}"


def _escape(word: str) -> str:
    return word.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def youtube_vtt(talk: GenTalk, *, title_cue: bool = False) -> str:
    """YouTube auto-caption WebVTT: rolling two-line cues with `<c>` word timings."""
    out = ["WEBVTT", "Kind: captions", "Language: en", ""]
    previous = " "
    for index, (a, b) in enumerate(talk.lines):
        start = talk.starts[a]
        nxt = talk.starts[talk.lines[index + 1][0]] if index + 1 < len(talk.lines) else talk.ends[b - 1]
        end = max(start + 0.02, nxt - 0.01)
        typed = _escape(talk.words[a]) + "".join(
            f"<{_vtt_time(talk.starts[k])}><c> {_escape(talk.words[k])}</c>" for k in range(a + 1, b)
        )
        out += [f"{_vtt_time(start)} --> {_vtt_time(end)} align:start position:0%", previous, typed, ""]
        plain = " ".join(_escape(w) for w in talk.words[a:b])
        out += [f"{_vtt_time(end)} --> {_vtt_time(end + 0.01)} align:start position:0%", plain, " ", ""]
        previous = plain
    return "\n".join(out)


def line_cues(talk: GenTalk) -> list[tuple[float, float, str]]:
    """(start, end, text) of each caption line, for plain cue formats (SRT, SBV, JSON)."""
    return [(talk.starts[a], talk.ends[b - 1], " ".join(talk.words[a:b])) for a, b in talk.lines]


def word_accuracy(reference: list[str], hypothesis: list[str]) -> float:
    """1 - word edit distance / reference words (may go below 0 for junk)."""
    if not reference:
        return 1.0 if not hypothesis else 0.0
    return 1.0 - Levenshtein.distance(reference, hypothesis) / len(reference)


def assert_no_tripled_line(words: list[str], min_len: int = 5) -> None:
    """No block of min_len..20 words appears three times in a row."""
    n = len(words)
    for i in range(n):
        for p in range(min_len, 21):
            if i + 3 * p > n:
                break
            if words[i : i + p] == words[i + p : i + 2 * p] == words[i + 2 * p : i + 3 * p]:
                raise AssertionError(f"tripled: {' '.join(words[i:i + p])!r}")


# Caption-line lengths as seen in a real rolling track (seed 004): mostly 5-9
# words, one-word lines about 6%.
YOUTUBE_LINE_SHARES = {1: 6, 2: 5, 3: 4, 4: 5, 5: 8, 6: 15, 7: 22, 8: 18, 9: 10, 10: 4, 11: 2, 12: 1}

# Ways to generate a flattened rolling track: make_talk options and the shares
# of lines shown (3, 2, 1) times. Each differs in what makes dedup hard.
TRACK_FAMILIES: dict[str, tuple[dict, tuple[float, float, float]]] = {
    # The original talks: lines of 4-10 words, some shown twice or once.
    "classic": ({}, (0.88, 0.08, 0.04)),
    # Real line lengths (one-word lines), lines cut at speech repeats, few doubles.
    "youtube": ({"line_shares": YOUTUBE_LINE_SHARES, "edge_cuts": 0.3}, (0.94, 0.02, 0.04)),
    # Any length 1-12, more doubles and singles.
    "uniform": ({"line_words": (1, 12), "edge_cuts": 0.1}, (0.85, 0.10, 0.05)),
    # Another vocabulary (skewed, invented words), short lines.
    "zipf": ({"line_shares": {k: 1 for k in range(2, 9)}, "zipf": True, "edge_cuts": 0.1}, (0.85, 0.10, 0.05)),
    # Speech repeats of any word or pair, not a few habits, at real line lengths.
    "stutter": ({"line_shares": YOUTUBE_LINE_SHARES, "edge_cuts": 0.3, "any_repeats": True}, (0.90, 0.05, 0.05)),
}


def family_track(family: str, seed: int, n_words: int = 1500) -> tuple[GenTalk, str]:
    """A talk of one TRACK_FAMILIES family and its flattened rolling track."""
    options, weights = TRACK_FAMILIES[family]
    talk = make_talk(seed, n_words, punctuation=seed % 2 == 0, speakers=seed % 3 == 0, **options)
    rng = random.Random(seed)
    return talk, flattened(talk, rng, counts=repeat_counts(talk, rng, weights))
