"""Export to Markdown and JSON, import back without duplicates, and the CLI functions."""

from __future__ import annotations

import json

import pytest

from tui.export import ImportFormatError, export_json, export_markdown, import_json
from tui.model import Document, Role, Segment, Talk
from tui.store import Store
from tui.store_cli import run_export, run_import


def talk(video_id: str | None, title: str, texts: list[str]) -> tuple[Talk, list[Segment]]:
    segs = [Segment(i * 60.0 + 14, i * 60.0 + 70, t) for i, t in enumerate(texts)]
    doc = Document(path="/x", role=Role.TRANSCRIPT, format="srt", video_id=video_id, segments=segs)
    return Talk(id=video_id or "t", title=title, video_id=video_id, documents=[doc]), segs


def fill(store: Store) -> None:
    rust, rs = talk("rustrustrus", "Rust at Scale", ["Ownership is the idea.", "Lifetimes are\nhard at first.", "Async is new."])
    local, ls = talk(None, "Local lecture", ["No video for this one.", "Second paragraph here."])
    store.toggle_bookmark(rust, rs[0], rs)
    store.add_note(rust, rs[1:2], "Re-read the *chapter* on lifetimes.\n\n- one\n- two")
    store.add_note(rust, None, "Whole talk: worth it.")
    store.add_note(local, [ls[1]], "A note without a video link")


def keyset(store: Store) -> set[tuple]:
    return {
        (i.uid, i.kind, i.talk_key, i.talk_title, i.video_id, i.seconds, i.opening, i.quote, i.note, i.created, i.updated)
        for i in store.all_items()
    }


@pytest.fixture
def store():
    with Store.open() as s:
        fill(s)
        yield s


def test_markdown_groups_by_talk_with_quotes_and_time_links(store):
    md = export_markdown(store)
    assert md.index("## Local lecture") < md.index("## Rust at Scale")
    rust = md[md.index("## Rust at Scale"):]
    assert "<https://youtu.be/rustrustrus>" in rust
    assert "### Bookmark at [00:00:14](https://youtu.be/rustrustrus?t=14)" in rust
    assert "### Note at [00:01:14](https://youtu.be/rustrustrus?t=74)" in rust
    # The quote as a block quote, every line of it, and the note under it.
    assert "> Lifetimes are\n> hard at first.\n\nRe-read the *chapter* on lifetimes.\n\n- one\n- two" in rust
    assert rust.index("Whole talk: worth it.") < rust.index("### Bookmark")
    local = md[md.index("## Local lecture"): md.index("## Rust at Scale")]
    assert "### Note at 00:01:14\n\n> Second paragraph here.\n\nA note without a video link" in local
    assert "](" not in local


def test_markdown_of_an_empty_store_says_so():
    with Store.open() as empty:
        assert "0 talks, 0 bookmarks, 0 notes" in export_markdown(empty)


def test_export_then_import_into_an_empty_store_gives_the_same_set(store, tmp_path):
    data = json.loads(json.dumps(export_json(store)))  # through real JSON text
    with Store.open(tmp_path / "other.sqlite3") as other:
        stats = import_json(other, data)
        assert (stats.added, stats.skipped, stats.updated, stats.rejected) == (4, 0, 0, [])
        assert keyset(other) == keyset(store)
        again = import_json(other, data)
        assert (again.added, again.skipped) == (0, 4)
        assert other.count() == 4


def test_import_merges_a_later_edit_and_skips_twins(store, tmp_path):
    data = export_json(store)
    with Store.open(tmp_path / "other.sqlite3") as other:
        import_json(other, data)
        note = next(i for i in store.all_items() if "lifetimes" in i.note)
        store.update_note(note.id, "Edited on the first machine")
        newer = export_json(store)
        # A twin: the same bookmark made independently on another machine (new uid).
        twin = dict(next(d for d in newer["items"] if d["kind"] == "bookmark"), uid="another-uid")
        newer["items"].append(twin)
        stats = import_json(other, newer)
        assert (stats.added, stats.updated, stats.skipped) == (0, 1, 4)
        assert "Edited on the first machine" in {i.note for i in other.all_items()}


def test_import_refuses_foreign_data_and_reports_bad_items(tmp_path):
    with Store.open() as store:
        with pytest.raises(ImportFormatError):
            import_json(store, {"items": []})
        with pytest.raises(ImportFormatError):
            import_json(store, [1, 2])
        with pytest.raises(ImportFormatError):
            import_json(store, {"format": "talkshelf-notes", "version": 99, "items": []})
        good = {"uid": "u1", "kind": "note", "talk_key": "k", "talk_title": "T", "seconds": 3, "created": "2026-01-01T00:00:00Z", "note": "hi"}
        data = {
            "format": "talkshelf-notes",
            "version": 1,
            "items": [good, {"uid": "u2", "kind": "sticker", "talk_key": "k", "created": "x"}, "junk", dict(good, uid="u3", seconds="soon")],
        }
        stats = import_json(store, data)
        assert stats.added == 1 and len(stats.rejected) == 3
        assert "item 2" in stats.rejected[0] and "sticker" in stats.rejected[0]
        assert [i.note for i in store.all_items()] == ["hi"]


def test_run_export_writes_a_file_or_stdout(store, tmp_path, capsys):
    out = tmp_path / "notes.md"
    assert run_export("md", out) == 0
    assert "## Rust at Scale" in out.read_text(encoding="utf-8")
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []
    assert run_export("json", None) == 0
    printed = json.loads(capsys.readouterr().out)
    assert len(printed["items"]) == 4
    assert run_export("xml", None) == 1
    assert run_export("md", tmp_path / "missing-folder" / "x.md") == 1
    assert "cannot write" in capsys.readouterr().err


def test_run_import_round_trip_and_bad_files(store, tmp_path, capsys):
    exported = tmp_path / "notes.json"
    assert run_export("json", exported) == 0
    for item in store.all_items():
        store.delete(item.id)
    assert run_import(exported) == 0
    assert "4 added" in capsys.readouterr().out
    assert run_import(exported) == 0
    assert "0 added" in capsys.readouterr().out and store.count() == 4
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    assert run_import(bad) == 1
    assert run_import(tmp_path / "absent.json") == 1
    bad.write_text('{"hello": 1}', encoding="utf-8")
    assert run_import(bad) == 1
    assert "not a talkshelf notes export" in capsys.readouterr().err


def test_cli_tells_the_user_when_the_store_was_moved_aside(capsys):
    from tui import paths

    store_file = paths.data_dir() / "store.sqlite3"
    store_file.write_bytes(b"garbage, not a database " * 100)
    assert run_export("json", None) == 1  # an export after a recovery is no success (issue 8, item 4)
    captured = capsys.readouterr()
    assert json.loads(captured.out)["items"] == []
    assert "moved aside" in captured.err and "store.sqlite3.broken-" in captured.err
    assert len(list(paths.data_dir().glob("store.sqlite3.broken-*"))) == 1
