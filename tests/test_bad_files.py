"""A folder of bad files: each opens as it should or is refused with a clear reason.

Hostile text (Rich markup, terminal escapes) must come out as inert text:
markup kept literally, escape sequences stripped, never interpreted.
"""

from __future__ import annotations

import codecs
import json
import os
import re
from pathlib import Path

import pytest

from tui import textio
from tui.model import Document, ReadError
from tui.readers import read_path

MARKUP = "[bold red]x[/] and [link=http://evil]click[/link]"
ESCAPES = "\x1b[31mred\x1b[0m \x1b]52;c;aGVsbG8=\x07 \x1b]8;;http://evil\x1b\\link\x1b]8;;\x1b\\"
HOSTILE = f"Watch out: {MARKUP} then {ESCAPES} done."

SRT = "1\n00:00:01,000 --> 00:00:03,000\nHello and welcome.\n\n2\n00:00:03,500 --> 00:00:06,000\nThe tide comes in twice a day.\n"


def all_text(docs: list[Document]) -> str:
    parts = []
    for doc in docs:
        parts += [doc.title or "", doc.channel or "", doc.url or ""]
        parts += [seg.text for seg in doc.segments]
        parts += [entry.title for entry in doc.outline]
    return "\n".join(parts)


def assert_inert(docs: list[Document]) -> None:
    text = all_text(docs)
    assert "\x1b" not in text and "\x07" not in text and "\x9b" not in text


# --- the folder -------------------------------------------------------------

# name -> (bytes, expectation): "open" must give documents, "refuse" a ReadError
# whose message matches, "either" one of the two with the same guarantees.
def bad_files() -> dict[str, tuple[bytes, str, str]]:
    hostile_srt = f"1\n00:00:01,000 --> 00:00:03,000\n{HOSTILE}\n"
    return {
        "empty.srt": (b"", "refuse", "empty"),
        "blank.txt": (b" \n\t\n  \n", "refuse", "empty"),
        "binary.srt": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "refuse", "binary"),
        "invalid-utf8.srt": (SRT.encode() + b"caf\xe9 \xc3\x28\n", "refuse", "not valid UTF-8"),
        "utf16-bom.srt": (SRT.encode("utf-16"), "open", ""),
        "utf16-be-bom.srt": (codecs.BOM_UTF16_BE + SRT.encode("utf-16-be"), "open", ""),
        "utf16-no-bom.srt": (SRT.encode("utf-16-le"), "refuse", "UTF-16.*byte-order mark"),
        "utf8-bom.srt": (codecs.BOM_UTF8 + SRT.encode(), "open", ""),
        "utf8-bom [abcdefghijk].json": (
            codecs.BOM_UTF8 + json.dumps([{"text": "Tides", "start": 0, "duration": 1}]).encode(),
            "open",
            "",
        ),
        "hostile.srt": (hostile_srt.encode(), "open", ""),
        "hostile.sbv": (f"0:00:01.000,0:00:03.000\n{HOSTILE}\n".encode(), "open", ""),
        "hostile.json": (json.dumps([{"text": HOSTILE, "start": 1, "duration": 2}]).encode(), "open", ""),
        "hostile-entities.srt": (
            b"1\n00:00:01,000 --> 00:00:03,000\nsafe &#27;[31mred&#27;]52;c;aGk=&#7; text\n",
            "open",
            "",
        ),
        "hostile.vtt": (f"WEBVTT\n\n00:00:01.000 --> 00:00:03.000\n{HOSTILE}\n".encode(), "either", ""),
        "hostile.md": (
            f"---\ntitle: Hostile {MARKUP}\nvideoId: abcdefghijk\n---\n## Section\n{HOSTILE} [00:00:10]\n".encode(),
            "either",
            "",
        ),
        "hostile.txt": (f"Hostile talk\nFrom: someone\n\nSection\n• {HOSTILE} [00:00:10]\n".encode(), "either", ""),
        "hostile-dump.txt": (
            f"Title: Hostile {MARKUP}\nURL: https://youtu.be/abcdefghijk\nDuration: 1:00\n"
            f"Description:\n{HOSTILE}\nContent:\n{HOSTILE}\n".encode(),
            "either",
            "",
        ),
    }


@pytest.fixture
def folder(tmp_path) -> Path:
    root = tmp_path / "bad"
    root.mkdir()
    for name, (data, _, _) in bad_files().items():
        (root / name).write_bytes(data)
    return root


@pytest.mark.parametrize("name", sorted(bad_files()))
def test_each_bad_file(folder, name):
    path = folder / name
    _, expect, reason = bad_files()[name]
    try:
        docs = read_path(path)
    except ReadError as exc:
        assert expect in ("refuse", "either"), f"{name} should open but was refused: {exc}"
        assert str(exc).strip() and "\x1b" not in str(exc)
        if reason:
            assert re.search(reason, str(exc)), str(exc)
        return
    assert expect in ("open", "either"), f"{name} should be refused but opened"
    assert docs and all(isinstance(d, Document) for d in docs)
    assert_inert(docs)
    assert "\ufeff" not in all_text(docs)
    if name.startswith("hostile") and "entities" not in name:
        # Markup stays visible as the literal text it is (the paragraph
        # builder may set a bracketed piece apart, as it does `[Music]`).
        spoken = " ".join(seg.text for doc in docs for seg in doc.segments)
        titles = " ".join(doc.title or "" for doc in docs)
        assert "[bold red]x[/]" in spoken or "[bold red]x[/]" in titles
        assert "[link=http://evil]click[/link]" in spoken


def test_utf16_with_bom_reads_the_same_as_utf8(folder):
    [plain] = read_path(folder / "utf8-bom.srt")
    for name in ("utf16-bom.srt", "utf16-be-bom.srt"):
        [doc] = read_path(folder / name)
        assert [s.text for s in doc.segments] == [s.text for s in plain.segments]
        assert [s.start for s in doc.segments] == [s.start for s in plain.segments]


def test_hostile_srt_keeps_words_around_stripped_escapes(folder):
    [doc] = read_path(folder / "hostile.srt")
    text = all_text([doc])
    assert "red" in text and "link" in text and "done." in text
    [doc] = read_path(folder / "hostile-entities.srt")
    assert "safe" in doc.segments[0].text and "\x1b" not in doc.segments[0].text


def test_a_file_name_with_escapes_gives_a_clean_title(tmp_path):
    path = tmp_path / "Tides \x1b[31mred\x1b[0m [abcdefghijk].srt"
    path.write_text(SRT, encoding="utf-8")
    [doc] = read_path(path)
    assert doc.title == "Tides red" and doc.video_id == "abcdefghijk"
    bad = tmp_path / "\x1b]52;c;aGk=\x07empty.srt"
    bad.write_bytes(b"")
    with pytest.raises(ReadError) as exc:
        read_path(bad)
    assert "\x1b" not in str(exc.value) and "\x07" not in str(exc.value)


# --- big and odd files --------------------------------------------------------


def test_max_bytes_is_a_sensible_policy():
    # Room for the largest real documents (a 3-hour talk is ~1.2 MB as a dump,
    # 3-5 MB as word-timed WebVTT or json3) but not for stray huge files.
    assert 16 * 1024 * 1024 <= textio.MAX_BYTES <= 64 * 1024 * 1024


def test_50_mb_single_line_is_refused_without_reading_it(tmp_path):
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:  # sparse-ish: written in chunks, never held whole
        chunk = b"word " * (1024 * 1024 // 5)
        for _ in range(50):
            handle.write(chunk)
    assert path.stat().st_size > 49 * 1024 * 1024 > textio.MAX_BYTES
    with pytest.raises(ReadError, match="MB"):
        read_path(path)


def test_a_file_that_grows_past_the_limit_is_refused(tmp_path, monkeypatch):
    # Between stat and read a file can grow: the read itself is capped.
    monkeypatch.setattr(textio, "MAX_BYTES", 1000)
    path = tmp_path / "growing.srt"
    path.write_bytes(b"x" * 10)
    real_stat = Path.stat

    def stale_stat(self, *args, **kwargs):
        result = real_stat(self, *args, **kwargs)
        if self == path:
            path.write_bytes(b"y" * 5000)
        return result

    monkeypatch.setattr(Path, "stat", stale_stat)
    with pytest.raises(ReadError, match="larger than a talk document"):
        read_path(path)


def test_a_long_single_line_under_the_limit_opens_or_is_refused(tmp_path):
    # 4 MB of one caption line: linear readers open it; none may hang or crash.
    line = ("and the tide comes in, " * 180_000)[: 4 * 1024 * 1024]
    path = tmp_path / "long-line.srt"
    path.write_text(f"1\n00:00:01,000 --> 00:00:05,000\n{line}\n", encoding="utf-8")
    [doc] = read_path(path)
    assert sum(len(s.text.split()) for s in doc.segments) == len(line.split())
    flat = tmp_path / "long-line.txt"
    flat.write_text(line, encoding="utf-8")
    try:
        docs = read_path(flat)
    except ReadError as exc:
        assert str(exc).strip()
    else:
        assert docs


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_named_pipe_is_refused_not_waited_on(tmp_path):
    pipe = tmp_path / "pipe.srt"
    os.mkfifo(pipe)
    with pytest.raises(ReadError, match="not a regular file"):
        read_path(pipe)


def test_a_folder_named_like_a_talk_is_refused(tmp_path):
    folder = tmp_path / "talk.srt"
    folder.mkdir()
    with pytest.raises(ReadError, match="talk.srt"):
        read_path(folder)


# --- the whole folder through the library scan ---------------------------------


def test_library_scan_lists_or_opens_every_bad_file(folder):
    from tui import library
    if hasattr(os, "mkfifo"):
        os.mkfifo(folder / "pipe.srt")
    result = library.scan(folder)
    opened = {Path(doc.path).name for talk in result.talks for doc in talk.documents}
    problems = {Path(p.path).name: p.reason for p in result.problems}
    for path in sorted(folder.iterdir()):
        name = path.name
        assert (name in opened) != (name in problems), f"{name} must be exactly one of a talk or a problem"
        if name in problems:
            assert problems[name].strip() and "\x1b" not in problems[name]
    for name, (_, expect, _) in bad_files().items():
        if expect == "refuse":
            assert name in problems, f"{name} should be listed as a problem"
        elif expect == "open":
            assert name in opened, f"{name} should open: {problems.get(name)}"
    assert "pipe.srt" not in opened
    for talk in result.talks:
        assert_inert(talk.documents)
        assert "\x1b" not in talk.title
