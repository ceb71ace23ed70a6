"""Generated talks written as timestamped lines, the ways people copy and tools print them.

Each renderer takes a GenTalk (tests/gen/captions.py) and writes its caption
lines, each under or after the time its first word is said:

- `panel(talk)`: YouTube's transcript panel copied (`0:04` on its own line, then the words);
- `inline(talk)`: `0:04 so today ...` on one line;
- `bracketed(talk)`: `[00:00:04] so today ...`;
- `whisper(talk)`: `[00:00:04.120 --> 00:00:06.900]  so today ...`;
- `otter(talk, names)`, `rev(talk, names)`, `descript(talk, names)`: turns of
  named speakers, with `turns(talk)` giving where each turn starts.
"""

from __future__ import annotations

import random

from tests.gen.captions import GenTalk


def clock(seconds: float, *, hours: bool = False) -> str:
    """`4:07`, `1:02:03`, or with `hours` always `00:04:07` (whole seconds, as panels write)."""
    s = int(seconds)
    if hours:
        return f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}"
    return f"{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}" if s >= 3600 else f"{s // 60}:{s % 60:02d}"


def _ms(seconds: float) -> str:
    ms = int(round(seconds * 1000))
    return f"{ms // 3600000:02d}:{ms // 60000 % 60:02d}:{ms // 1000 % 60:02d}.{ms % 1000:03d}"


def _lines(talk: GenTalk) -> list[tuple[float, float, str]]:
    return [(talk.starts[a], talk.ends[b - 1], " ".join(talk.words[a:b])) for a, b in talk.lines]


def panel(talk: GenTalk) -> str:
    return "".join(f"{clock(start)}\n{text}\n" for start, _, text in _lines(talk))


def inline(talk: GenTalk) -> str:
    return "".join(f"{clock(start)} {text}\n" for start, _, text in _lines(talk))


def bracketed(talk: GenTalk) -> str:
    return "".join(f"[{clock(start, hours=True)}] {text}\n" for start, _, text in _lines(talk))


def whisper(talk: GenTalk) -> str:
    return "".join(f"[{_ms(start)} --> {_ms(end)}]  {text}\n" for start, end, text in _lines(talk))


def turns(talk: GenTalk, seed: int = 0) -> list[int]:
    """Indexes of the caption lines where a new speaker's turn starts (2 to 6 lines a turn)."""
    rng = random.Random(seed)
    out, at = [], 0
    while at < len(talk.lines):
        out.append(at)
        at += rng.randint(2, 6)
    return out


def _turn_texts(talk: GenTalk, seed: int) -> list[tuple[float, str]]:
    starts = turns(talk, seed)
    lines = _lines(talk)
    return [(lines[a][0], " ".join(text for _, _, text in lines[a:b])) for a, b in zip(starts, starts[1:] + [len(lines)])]


def otter(talk: GenTalk, names: list[str], seed: int = 0) -> str:
    """Otter.ai's text export: `Name  0:03`, the turn's words, a blank line."""
    return "".join(
        f"{names[k % len(names)]}  {clock(start)}  \n{text}\n\n" for k, (start, text) in enumerate(_turn_texts(talk, seed))
    )


def rev(talk: GenTalk, names: list[str], seed: int = 0) -> str:
    """Rev's transcript: `Name (00:01:23):`, the turn's words, a blank line."""
    return "".join(
        f"{names[k % len(names)]} ({clock(start, hours=True)}):\n{text}\n\n" for k, (start, text) in enumerate(_turn_texts(talk, seed))
    )


def descript(talk: GenTalk, names: list[str], seed: int = 0) -> str:
    """Descript's export: `[00:01:23] Name: the turn's words`."""
    return "".join(
        f"[{clock(start, hours=True)}] {names[k % len(names)]}: {text}\n" for k, (start, text) in enumerate(_turn_texts(talk, seed))
    )
