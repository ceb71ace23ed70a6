"""Hostile text: lone surrogates, undecodable file names, escapes and bidi overrides.

Issue 8, items 1 and 10: one file must never break the library, and nothing a
file holds may act on the terminal through what the CLI prints.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tui.index import Index
from tui.readers import read_path
from tui.textio import json_text, strip_controls, visible

SRT = "1\n00:00:01,000 --> 00:00:02,000\n{}\n"
OSC52 = "\x1b]52;c;aGVsbG8=\x07"


def run(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """The CLI in a process of its own; stdout as bytes, as a terminal gets them."""
    full = {**os.environ, **(env or {})}
    return subprocess.run([sys.executable, "-m", "tui.cli", *args], capture_output=True, timeout=120, env=full)


def _terminal_safe(data: bytes) -> str:
    """The bytes decode as UTF-8 and hold no control a terminal acts on (nor a bidi override)."""
    text = data.decode("utf-8")  # raises on invalid UTF-8
    bad = [c for c in text if (ord(c) < 0x20 and c not in "\n\t") or 0x7F <= ord(c) <= 0x9F or c in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"]
    assert not bad, bad
    return text


@pytest.fixture
def hostile_library(tmp_path: Path) -> Path:
    lib = tmp_path / "lib"
    lib.mkdir()
    bytes_lib = os.fsencode(lib)
    # A Latin-1 file name: not UTF-8, so Python sees it with a lone surrogate.
    with open(bytes_lib + b"/Caf\xe9 x.srt", "wb") as f:
        f.write(SRT.format("hello latin one").encode())
    (lib / "sur.json").write_text('[{"text": "bad \\ud800 here \\udc9b csi", "start": 0, "duration": 1}]')
    (lib / "yaml.md").write_text('---\ntitle: "T \\ud800 x"\nvideoId: abcdefghijk\n---\n# Heading\n\npara [00:01:00]\n')
    (lib / f"evil{OSC52}name.srt").write_text(SRT.format("osc words"))
    (lib / "bidi\u202eabc.srt").write_text(SRT.format("mirror \u202e words"))
    (lib / f"broken{OSC52}.vtt").write_text("not a caption file")
    return lib


# --- the core functions --------------------------------------------------------


def test_strip_controls_replaces_lone_surrogates_and_drops_bidi_overrides():
    assert strip_controls("a\ud800b\udc9bc") == "a\ufffdb\ufffdc"
    assert strip_controls("txt\u202eexe.\u2066x\u2069") == "txtexe.x"
    assert strip_controls("marks \u200f stay") == "marks \u200f stay"
    strip_controls("x\ud800").encode("utf-8")  # encodable now


def test_visible_spells_controls_out_and_keeps_lines_when_asked():
    assert visible(f"a{OSC52}b") == "a\\x1b]52;c;aGVsbG8=\\x07b"
    assert visible("a\u202eb\udce9") == "a\\u202eb\ufffd"
    assert visible("line\nnext\ttab") == "line\\x0anext\\x09tab"
    assert visible("line\nnext\ttab", lines=True) == "line\nnext\ttab"
    assert visible("plain") == "plain"


def test_json_text_is_valid_utf8_without_raw_c1_or_bidi():
    text = json_text({"a": "\x9b31m \ud800 \u202e \x1b"})
    text.encode("utf-8")
    assert "\x9b" not in text and "\u202e" not in text and "\x1b" not in text
    assert json.loads(text)["a"] == "\x9b31m \ufffd \u202e \x1b"  # the text itself survives, escaped


def test_json_escapes_become_clean_text_in_every_document(hostile_library):
    doc = read_path(hostile_library / "sur.json")[0]
    assert doc.segments[0].text == "bad \ufffd here \ufffd csi"
    page = read_path(hostile_library / "yaml.md")[0]
    assert page.title == "T \ufffd x"


def test_a_file_with_an_undecodable_name_is_indexed_searched_and_opened(hostile_library):
    with Index.open(root=hostile_library) as index:
        stats = index.refresh(hostile_library)
        assert stats.talks >= 5
        hits = index.search("latin")
        assert hits and hits[0].path.endswith(".srt")
        with open(hits[0].path, "rb") as f:  # the stored path opens the very file, by its bytes
            assert b"hello latin one" in f.read()
        assert index.search("osc") and index.search("here")  # the others are searchable too
        titles = [t.title for t in index.talks()]
        for title in titles:
            title.encode("utf-8")
        docs = [d for t in index.talks() for d in t.documents]
        assert any(os.path.exists(d.path) and "Caf" in d.path for d in docs)
        stats = index.refresh(hostile_library)
        assert stats.read == 0  # the BLOB-kept name is recognised again: nothing re-read


# --- the CLI ---------------------------------------------------------------------


def test_cat_prints_lone_surrogates_as_replacement_characters(hostile_library):
    out = run("cat", str(hostile_library / "sur.json"))
    assert out.returncode == 0, out.stderr
    text = _terminal_safe(out.stdout)
    assert "bad \ufffd here \ufffd csi" in text


def test_cat_never_writes_a_raw_8bit_csi_even_with_surrogateescape_output(hostile_library):
    # Under a C locale Python writes stdout with surrogateescape: `\udc9b` would be a raw 0x9B.
    out = run("cat", str(hostile_library / "sur.json"), env={"PYTHONIOENCODING": "utf-8:surrogateescape"})
    assert out.returncode == 0, out.stderr
    assert b"\x9b" not in out.stdout.replace("\ufffd".encode(), b"")
    _terminal_safe(out.stdout)


def test_list_shows_every_hostile_file_and_nothing_acts(hostile_library):
    out = run("list", str(hostile_library))
    assert out.returncode == 0, out.stderr
    text = _terminal_safe(out.stdout)
    assert "Caf\ufffd x" in text
    assert "broken\\x1b]52;c;aGVsbG8=\\x07.vtt" in text  # the problem's path, its escape spelled out
    assert "6 talk(s)" not in text and "5 talk(s)" in text


def test_list_json_is_valid_utf8_json(hostile_library):
    out = run("list", str(hostile_library), "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(_terminal_safe(out.stdout))
    assert len(data["talks"]) == 5 and len(data["problems"]) == 1
    paths = [d["path"] for t in data["talks"] for d in t["documents"]]
    assert any("Caf\ufffd x.srt" in p for p in paths)


def test_index_and_search_from_the_cli_survive_hostile_names(hostile_library):
    out = run("index", str(hostile_library))
    assert out.returncode == 0, out.stderr
    out = run("search", "latin", str(hostile_library))
    assert out.returncode == 0, out.stderr
    assert "hello latin one" in _terminal_safe(out.stdout)
    out = run("search", "words", str(hostile_library), "--json")
    hits = json.loads(_terminal_safe(out.stdout))
    assert {h["text"] for h in hits} == {"osc words", "mirror words"}


def test_a_readers_reason_never_carries_the_names_controls(tmp_path):
    from tui.model import ReadError

    for name in ("x\u202eevil.md", f"x{OSC52}.md", "x\u202eevil.txt"):
        path = tmp_path / name
        path.write_text("<!-- c -->\n" if name.endswith(".md") else "From: x\n")  # refused, naming the file
        with pytest.raises(ReadError) as caught:
            read_path(path)
        message = str(caught.value)
        assert "holds no" in message and "x" in message
        assert not any(c in message for c in "\u202e\x1b\x07"), repr(message)


def test_a_link_python_cannot_parse_breaks_neither_the_talk_nor_the_library(tmp_path):
    from tui.model import clean_link

    assert clean_link("https://[bold]x/watch?v=1", 61.0) == "https://[bold]x/watch?v=1"
    lib = tmp_path / "lib"
    lib.mkdir()
    (lib / "bad link.txt").write_text("Title: Bad link\nURL: https://[bold]x/\nStatus: ok\nContent:\nwords here. words here.\n")
    (lib / "good.srt").write_text(SRT.format("other words"))
    out = run("list", str(lib))
    assert out.returncode == 0, out.stderr.decode()
    assert "2 talk(s)" in _terminal_safe(out.stdout)


def test_a_path_given_on_the_command_line_is_printed_with_its_controls_spelled_out(tmp_path):
    for args in (
        ["cat", str(tmp_path / f"missing{OSC52}.srt")],
        ["list", str(tmp_path / f"gone\u202e{OSC52}")],
        [str(tmp_path / f"gone{OSC52}")],  # the app's own argument
        ["cat", "a", f"x{OSC52}"],  # argparse repeats what it did not expect
    ):
        out = run(*args)
        assert out.returncode != 0
        err = _terminal_safe(out.stderr)
        assert "\\x1b]52;c;aGVsbG8=\\x07" in err, err
