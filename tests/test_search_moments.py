"""Library search lands on the words: a hit's `start` is its first matched word's time.

A phrase no generated talk holds is planted in talks written in every format;
`talkshelf search --json` must return it first, with `start` within 1 s of the
planted first word for timed formats and within 5% of the talk's length for
dumps (no timings: estimated by position). A phrase planted across a
paragraph boundary must be found too.
"""

from __future__ import annotations

import io
import json
import random
from pathlib import Path

import pytest
from rich.console import Console

from tests.gen.captions import GenTalk, dump_file, flattened, line_cues, make_talk, youtube_vtt
from tests.gen.stamped import panel, whisper
from tui.index import Index
from tui.index_cli import run_search
from tui.readers import read_path

PLANT = ["zyx194q", "marmalade", "hovercraft", "eels"]


def _clock(seconds: float, sep: str = ",") -> str:
    ms = int(round(seconds * 1000))
    return f"{ms // 3600000:02d}:{ms % 3600000 // 60000:02d}:{ms % 60000 // 1000:02d}{sep}{ms % 1000:03d}"


def srt(talk: GenTalk) -> str:
    return "\n".join(
        f"{k + 1}\n{_clock(a)} --> {_clock(b)}\n{text}\n" for k, (a, b, text) in enumerate(line_cues(talk))
    )


def plain_vtt(talk: GenTalk) -> str:
    return "WEBVTT\n\n" + "\n".join(
        f"{_clock(a, '.')} --> {_clock(b, '.')}\n{text}\n" for a, b, text in line_cues(talk)
    )


def sbv(talk: GenTalk) -> str:
    def t(s: float) -> str:
        ms = int(round(s * 1000))
        return f"{ms // 3600000}:{ms % 3600000 // 60000:02d}:{ms % 60000 // 1000:02d}.{ms % 1000:03d}"

    return "\n".join(f"{t(a)},{t(b)}\n{text}\n" for a, b, text in line_cues(talk))


def transcript_json(talk: GenTalk) -> str:
    return json.dumps([{"text": text, "start": a, "duration": round(b - a, 3)} for a, b, text in line_cues(talk)])


def dump(talk: GenTalk, seed: int) -> str:
    return dump_file(flattened(talk, random.Random(seed)), duration=talk.duration)


FORMATS = {
    "Youtube [aaaaaaaaaaa].en.vtt": (youtube_vtt, True),
    "Plain [bbbbbbbbbbb].en.vtt": (plain_vtt, True),
    "Subs [ccccccccccc].en.srt": (srt, True),
    "Sbv [ddddddddddd].en.sbv": (sbv, True),
    "Json [eeeeeeeeeee].json": (transcript_json, True),
    "Whisper [ggggggggggg].txt": (whisper, True),
    "Panel [hhhhhhhhhhh].txt": (panel, True),
    "Dump [fffffffffff].txt": (None, False),
}


def planted_talk(seed: int, at: float) -> tuple[GenTalk, int]:
    talk = make_talk(seed, 2500, punctuation=seed % 2 == 0)
    k = int(len(talk.words) * at)
    talk.words[k : k + len(PLANT)] = PLANT
    return talk, k


def search_json(query: str, root: Path) -> list[dict]:
    out = io.StringIO()
    assert run_search(query, root, True, 10, Console(file=out, width=200)) == 0
    return json.loads(out.getvalue())


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_a_planted_phrase_comes_back_first_at_its_first_word(tmp_path: Path, name: str):
    render, timed = FORMATS[name]
    for round_, (seed, at) in enumerate([(1, 0.37), (2, 0.81)]):
        root = tmp_path / f"lib{round_}"
        root.mkdir()
        talk, k = planted_talk(seed, at)
        (root / name).write_text(render(talk) if render else dump(talk, seed), encoding="utf-8")
        # Other talks around it, so the hit has to be found, not just be there.
        for other in range(3):
            (root / f"Other {other} [x{other}xxxxxxxxx].en.vtt").write_text(
                youtube_vtt(make_talk(100 + other, 800)), encoding="utf-8"
            )
        hits = search_json(" ".join(PLANT) + " ", root)
        assert hits and Path(hits[0]["path"]).name == name
        said = talk.starts[k]
        if timed:
            assert abs(hits[0]["start"] - said) <= 1.0, (name, hits[0]["start"], said)
        else:
            assert abs(hits[0]["start"] - said) <= 0.05 * talk.duration, (name, hits[0]["start"], said)


@pytest.mark.parametrize("name", ["Youtube [aaaaaaaaaaa].en.vtt", "Subs [ccccccccccc].en.srt", "Dump [fffffffffff].txt"])
def test_a_phrase_across_a_paragraph_boundary_is_found(tmp_path: Path, name: str):
    render, timed = FORMATS[name]
    path = tmp_path / name
    for attempt in range(5):
        # Plant across a boundary of the paragraphs as read, then check it still is one:
        # "... zyx194q marmalade. Hovercraft eels ..." (the sentence end kept).
        talk = make_talk(7, 2000, punctuation=True)
        path.write_text(render(talk) if render else dump(talk, 7), encoding="utf-8")
        (doc,) = [d for d in read_path(path) if d.role.value == "transcript"]
        starts, position = [], 0
        for seg in doc.segments:
            starts.append(position)
            position += len(seg.text.split())
        boundary = starts[3 + attempt]
        if not render:  # the same place among the words said (dedup may shift it by a word or two)
            read = " ".join(s.text for s in doc.segments).split()
            context = read[boundary - 3 : boundary + 3]
            boundary = next(i + 3 for i in range(len(talk.words)) if talk.words[i : i + 6] == context)
        talk.words[boundary - 2 : boundary + 2] = [PLANT[0], PLANT[1] + ".", PLANT[2].capitalize(), PLANT[3]]
        path.write_text(render(talk) if render else dump(talk, 7), encoding="utf-8")
        (doc,) = [d for d in read_path(path) if d.role.value == "transcript"]
        if any(s.text.endswith(PLANT[1] + ".") for s in doc.segments):
            break  # it does run over a boundary
    else:
        pytest.fail("could not plant a phrase across a paragraph boundary")
    index = Index.open()
    index.refresh(tmp_path)
    hits = index.search(" ".join(PLANT) + " ")
    assert hits and hits[0].phrase and Path(hits[0].path).name == name
    assert doc.segments[hits[0].segment].text.endswith(f"{PLANT[0]} {PLANT[1]}.")
    assert [hits[0].text[a:b] for a, b in hits[0].spans] == [f"{PLANT[0]} {PLANT[1]}."]
    if timed:
        assert abs(hits[0].start - talk.starts[boundary - 2]) <= 1.0
    # Quoted, the same.
    assert index.search('"' + " ".join(PLANT) + '"')[0].segment == hits[0].segment
    index.close()
