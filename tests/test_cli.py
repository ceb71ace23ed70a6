"""The command line, as scripts and people use it."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tui.cli import main, parse_time


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tui.cli", *args], capture_output=True, text=True, timeout=120)


def test_help_documents_every_command():
    out = run("--help")
    assert out.returncode == 0
    for word in ("cat", "list", "index", "search", "export", "import", "--talk", "--at"):
        assert word in out.stdout


def test_bad_usage_exits_2():
    assert run("cat").returncode == 2
    assert run("list", "--bogus").returncode == 2


def test_cat_unreadable_file_exits_1_with_reason(tmp_path):
    bad = tmp_path / "empty.vtt"
    bad.write_bytes(b"")
    out = run("cat", str(bad))
    assert out.returncode == 1
    assert "empty" in out.stderr and out.stdout == ""


def test_cat_dump_seed(seeds, capsys):
    dump = next(seeds.glob("004_*"))
    assert main(["cat", str(dump)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("≈[00:00:00] ")
    words = sum(len(line.split()) - 1 for line in lines)
    assert 7000 <= words <= 8400
    assert main(["cat", "--json", str(dump)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["title"] == "Inside OpenAI [Entire Talk]" and data["duration"] == 3023
    assert data["video_id"] == "Wmo2vR7U9ck"
    assert all(s["estimated"] for s in data["segments"])
    assert set(data) == {"title", "channel", "video_id", "url", "duration", "segments", "outline"}


def test_cat_markdown_seed_reads_mm_ss_00(seeds, capsys):
    page = next(seeds.glob("000_*"))
    assert main(["cat", "--json", str(page)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["video_id"] == "MvxtIIqJRUQ" and data["channel"] == "redpointai"
    starts = [s["start"] for s in data["segments"] if s["start"] is not None]
    assert max(starts) == 2830  # the last paragraph starts at 47:10:00
    assert main(["cat", str(page)]) == 0
    last = capsys.readouterr().out.splitlines()[-1]
    assert last.startswith("[00:47:10] ") and last.endswith("innovation [00:48:20].")  # 48:20:00 is 48 min 20 s
    text = " ".join(s["text"] for s in data["segments"])
    assert "<a" not in text and "[[" not in text and "data-t" not in text


def test_cat_plain_seed_keeps_bullets_and_times(seeds, capsys):
    page = next(seeds.glob("001_*"))
    assert main(["cat", str(page)]) == 0
    out = capsys.readouterr().out
    assert "[00:18:10] • Research Advancement" in out
    assert "[00:18:36]   • Smaller models" in out


def test_list_json_shape(seeds, capsys):
    assert main(["list", "--json", str(seeds)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["problems"] == []
    assert len(data["talks"]) == 2
    talk = data["talks"][0]
    assert set(talk) == {"id", "title", "channel", "video_id", "url", "duration", "documents", "outline"}
    assert all(set(e) == {"title", "level", "start", "source"} for t in data["talks"] for e in t["outline"])
    assert all(d["kind"] in {"transcript", "summary"} for t in data["talks"] for d in t["documents"])


def test_list_lists_problems_and_exits_0(tmp_path, capsys):
    (tmp_path / "x.srt").write_bytes(b"\x00\x01\x02binary")
    assert main(["list", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "x.srt" in out and "could not be read" in out


def test_parse_time():
    assert parse_time("01:02:03") == 3723
    assert parse_time("2:03") == 123
    assert parse_time("90") == 90
    with pytest.raises(Exception):
        parse_time("soon")


def test_a_missing_path_is_bad_usage_everywhere(tmp_path):
    missing = str(tmp_path / "nope" / "dir")
    for args in (["list", missing], ["list", "--json", missing], ["index", missing], ["search", "x", missing], ["cat", missing]):
        assert main(args) == 2, args
    # The app too: a message and 2 before any screen, not an empty list.
    out = run(missing)
    assert out.returncode == 2
    assert "no such file or folder" in out.stderr and missing in out.stderr
    assert out.stdout == ""


def test_a_missing_configured_library_is_bad_usage(tmp_path, monkeypatch):
    monkeypatch.setenv("TALKSHELF_LIBRARY", str(tmp_path / "gone"))
    assert main(["list"]) == 2
    assert main([]) == 2


def test_search_exits_1_with_no_hits_as_grep(tmp_path, capsys):
    (tmp_path / "a.srt").write_text("1\n00:00:01,000 --> 00:00:02,000\nhello sourdough world\n")
    assert main(["search", "sourdough", str(tmp_path)]) == 0
    assert main(["search", "zzqxv", str(tmp_path)]) == 1
    assert "no matches" in capsys.readouterr().out


def test_help_tells_the_exit_codes():
    out = run("--help")
    assert "exit" in out.stdout.lower() and "2" in out.stdout and "grep" in out.stdout
    out = run("search", "--help")
    assert "1 with none" in " ".join(out.stdout.split())


def test_at_takes_the_prompt_forms():
    assert parse_time("1h5m") == 3900
    assert parse_time("83:20") == 5000
    import argparse

    with pytest.raises(argparse.ArgumentTypeError):
        parse_time("45%")
    with pytest.raises(argparse.ArgumentTypeError):
        parse_time("+30s")


def test_cat_json_keeps_every_stamp_with_its_offset(tmp_path, capsys):
    page = tmp_path / "page.md"
    page.write_text(
        "# Talk\n\nFirst point [00:01:05] and a second [00:02:10].\n\n"
        'Another <a class="yt-timestamp" data-t="00:03:00">[00:03:00]</a> here.\n',
        encoding="utf-8",
    )
    assert main(["cat", "--json", str(page)]) == 0
    data = json.loads(capsys.readouterr().out)
    first, second = data["segments"]
    assert first["text"] == "First point and a second."
    assert first["stamps"] == [{"start": 65.0, "offset": 11}, {"start": 130.0, "offset": 24}]
    assert first["text"][:11] == "First point"
    assert second["stamps"] == [{"start": 180.0, "offset": 7}]
