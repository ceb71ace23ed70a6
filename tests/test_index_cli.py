"""`talkshelf index` and `talkshelf search`, through the functions the CLI calls."""

from __future__ import annotations

import io
import json
from pathlib import Path

from rich.console import Console

from tests.test_index import write_transcript
from tui.index_cli import run_index, run_search


def console() -> tuple[Console, io.StringIO]:
    out = io.StringIO()
    return Console(file=out, width=200, color_system=None), out


def make_library(root: Path) -> Path:
    root.mkdir()
    write_transcript(root / "AAAAAAAAAAA.json", ["the [bold]first[/bold] talk about machine learning.", "more words."])
    write_transcript(root / "BBBBBBBBBBB.json", ["a machine that is learning to cook."])
    (root / "broken.json").write_text("[{", encoding="utf-8")
    return root


def test_index_prints_a_summary_line(tmp_path: Path):
    root = make_library(tmp_path / "lib")
    con, out = console()
    assert run_index(root, con) == 0
    assert "3 files read, 0 unchanged, 2 talks, 1 problems in" in out.getvalue()
    con, out = console()
    assert run_index(root, con) == 0
    assert "0 files read, 3 unchanged, 2 talks, 1 problems in" in out.getvalue()


def test_search_json_shape_best_first(tmp_path: Path):
    root = make_library(tmp_path / "lib")
    con, out = console()
    assert run_search("machine learning", root, True, 10, con) == 0
    hits = json.loads(out.getvalue())
    assert [h["talk_id"] for h in hits] == ["AAAAAAAAAAA", "BBBBBBBBBBB"]  # the phrase first
    for hit in hits:
        assert set(hit) == {"talk_id", "title", "start", "text", "path", "score"}
        assert isinstance(hit["start"], float) and isinstance(hit["score"], float) and hit["score"] > 0
        assert Path(hit["path"]).is_file()
    con, out = console()
    assert run_search("machine", root, True, 1, con) == 0
    assert len(json.loads(out.getvalue())) == 1


def test_search_text_lines_and_did_you_mean(tmp_path: Path):
    root = make_library(tmp_path / "lib")
    con, out = console()
    assert run_search("cook", root, False, 10, con) == 0
    # The time of the word found: "cook" late in a 5-second cue, placed by characters (≈).
    assert "[≈00:00:04] BBBBBBBBBBB: a machine that is learning to cook." in out.getvalue()
    con, out = console()
    assert run_search("first", root, False, 10, con) == 0
    assert "[bold]" in out.getvalue() and "[/bold]" in out.getvalue()  # file markup stays text
    con, out = console()
    assert run_search("machinne ", root, False, 10, con) == 1  # nothing found: 1, as grep
    assert "no matches; did you mean: machine" in out.getvalue()
    con, out = console()
    assert run_search("zzzqqq", root, True, 10, con) == 1
    assert json.loads(out.getvalue()) == []


def test_bad_usage_exits_2(tmp_path: Path):
    con, out = console()
    assert run_index(tmp_path / "missing", con) == 2
    assert run_search("x", tmp_path / "missing", False, 10, con) == 2
    assert run_search("x", make_library(tmp_path / "lib"), False, 0, con) == 2
